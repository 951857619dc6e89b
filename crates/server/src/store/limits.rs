//! Sliding-window counts of failed logins and registrations, per key, shared by every server
//! process on the database (see migration 0010).

use crate::error::ApiResult;
use crate::writer::Tx;

/// Counts one hit of `attempt` under each of `keys` (each with its limit), unless a key has
/// reached its limit within `window_ms`: then nothing is counted and the answer is how many
/// seconds until its oldest counted hit leaves the window.
pub fn take(
    tx: &Tx,
    keys: &[(String, usize)],
    attempt: &str,
    now_ms: i64,
    window_ms: i64,
) -> ApiResult<Result<(), u64>> {
    let mut wait = None;
    // Attempts through other connections (other servers) count one at a time per key.
    let mut locked: Vec<&str> = keys.iter().map(|(key, _)| key.as_str()).collect();
    locked.sort_unstable();
    for key in locked {
        tx.lock_key(key)?;
    }
    for (key, limit) in keys {
        if *limit == 0 {
            // Nothing allowed at all: refuse for the whole window.
            wait = wait.max(Some(u64::try_from((window_ms + 999) / 1000).unwrap_or(1)));
            continue;
        }
        super::run(
            tx,
            "DELETE FROM limit_hits WHERE key = ? AND at_ms <= ?",
            crate::args![key, now_ms - window_ms],
        )?;
        // The hit that must leave the window before another is allowed: the limit-th newest.
        let blocking: Option<i64> = tx.query_row(
            "SELECT at_ms FROM limit_hits WHERE key = ? ORDER BY at_ms DESC LIMIT 1 OFFSET ?",
            crate::args![key, (*limit as i64) - 1],
            |row| row.get(0),
        )?;
        if let Some(oldest) = blocking {
            // Rounded up: a client that waits as told is let in.
            let seconds = ((oldest + window_ms - now_ms + 999) / 1000).max(1);
            wait = wait.max(Some(u64::try_from(seconds).unwrap_or(1)));
        }
    }
    if let Some(wait) = wait {
        return Ok(Err(wait));
    }
    for (key, _) in keys {
        super::run(
            tx,
            "INSERT INTO limit_hits (key, at_ms, attempt) VALUES (?, ?, ?)",
            crate::args![key, now_ms, attempt],
        )?;
    }
    Ok(Ok(()))
}

/// The hits counted under `key` (within the window, as last pruned).
pub fn hits(tx: &Tx, key: &str) -> ApiResult<usize> {
    let count: i64 = tx
        .query_row(
            "SELECT COUNT(*) FROM limit_hits WHERE key = ?",
            crate::args![key],
            |row| row.get(0),
        )?
        .unwrap_or(0);
    Ok(usize::try_from(count).unwrap_or(0))
}

/// Takes back an attempt's hits (under every key, or under `only` alone).
pub fn forget_attempt(tx: &Tx, attempt: &str, only: Option<&str>) -> ApiResult<()> {
    match only {
        Some(key) => super::run(
            tx,
            "DELETE FROM limit_hits WHERE attempt = ? AND key = ?",
            crate::args![attempt, key],
        )?,
        None => super::run(
            tx,
            "DELETE FROM limit_hits WHERE attempt = ?",
            crate::args![attempt],
        )?,
    };
    Ok(())
}

/// Forgets every hit under `key`.
pub fn clear(tx: &Tx, key: &str) -> ApiResult<()> {
    super::run(
        tx,
        "DELETE FROM limit_hits WHERE key = ?",
        crate::args![key],
    )?;
    Ok(())
}

/// Drops hits older than `before_ms` under any key (keys nobody tries again).
pub fn prune(tx: &Tx, before_ms: i64) -> ApiResult<usize> {
    super::run(
        tx,
        "DELETE FROM limit_hits WHERE at_ms < ?",
        crate::args![before_ms],
    )
}
