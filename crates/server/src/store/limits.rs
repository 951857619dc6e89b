//! Sliding-window counts of failed logins and registrations, per key, shared by every server
//! process on the database (see migration 0010).

use crate::error::ApiResult;
use crate::writer::Tx;

/// What a key allows within the window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// At most this many hits.
    AtMost(usize),
    /// Any number of hits, but once `free` are counted each next one waits after the newest
    /// for a gap that doubles with every hit beyond them ([`paced_gap_ms`]).
    Paced { free: usize, max_gap_ms: i64 },
    /// Counted, never refused.
    Counted,
}

/// The gap a [`Check::Paced`] key wants after its newest hit when it holds `hits`: none below
/// `free`, then 1 s, 2 s, 4 s … doubling, at most `max_gap_ms`.
pub fn paced_gap_ms(hits: usize, free: usize, max_gap_ms: i64) -> i64 {
    if hits < free {
        return 0;
    }
    let doublings = u32::try_from(hits - free).unwrap_or(u32::MAX).min(20);
    (1000_i64 << doublings).min(max_gap_ms)
}

/// Seconds from `now_ms` until `at_ms`, rounded up (a client that waits as told is let in),
/// at least 1.
fn seconds_until(at_ms: i64, now_ms: i64) -> u64 {
    u64::try_from(((at_ms - now_ms + 999) / 1000).max(1)).unwrap_or(1)
}

/// Counts one hit of `attempt` under each of `keys` (each with its check), unless a key
/// refuses it within `window_ms`: then nothing is counted and the answer is how many seconds
/// until the key would let it in.
pub fn take(
    tx: &Tx,
    keys: &[(String, Check)],
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
    for (key, check) in keys {
        if *check == Check::AtMost(0) {
            // Nothing allowed at all: refuse for the whole window.
            wait = wait.max(Some(seconds_until(window_ms, 0)));
            continue;
        }
        prune_key(tx, key, now_ms - window_ms)?;
        match *check {
            Check::AtMost(limit) => {
                // The hit that must leave the window before another is allowed: the
                // limit-th newest.
                let blocking: Option<i64> = tx.query_row(
                    "SELECT at_ms FROM limit_hits WHERE key = ? ORDER BY at_ms DESC LIMIT 1 OFFSET ?",
                    crate::args![key, (limit as i64) - 1],
                    |row| row.get(0),
                )?;
                if let Some(oldest) = blocking {
                    wait = wait.max(Some(seconds_until(oldest + window_ms, now_ms)));
                }
            }
            Check::Paced { free, max_gap_ms } => {
                let gap = paced_gap_ms(hits(tx, key)?, free, max_gap_ms);
                let newest: Option<i64> = tx.query_row(
                    "SELECT at_ms FROM limit_hits WHERE key = ? ORDER BY at_ms DESC LIMIT 1",
                    crate::args![key],
                    |row| row.get(0),
                )?;
                if let Some(newest) = newest.filter(|newest| gap > 0 && newest + gap > now_ms) {
                    wait = wait.max(Some(seconds_until(newest + gap, now_ms)));
                }
            }
            Check::Counted => {}
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

/// Drops the hits under `key` at or before `before_ms` (out of its window).
pub fn prune_key(tx: &Tx, key: &str, before_ms: i64) -> ApiResult<()> {
    super::run(
        tx,
        "DELETE FROM limit_hits WHERE key = ? AND at_ms <= ?",
        crate::args![key, before_ms],
    )?;
    Ok(())
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

/// Drops hits older than `before_ms` under any key (keys nobody tries again), and rates
/// that have run down by then (an absent rate is an empty one).
pub fn prune(tx: &Tx, before_ms: i64) -> ApiResult<usize> {
    let rates = super::run(
        tx,
        "DELETE FROM rate_limits WHERE full_at_ms < ?",
        crate::args![before_ms],
    )?;
    Ok(rates
        + super::run(
            tx,
            "DELETE FROM limit_hits WHERE at_ms < ?",
            crate::args![before_ms],
        )?)
}

/// A rate: on average one event per `interval_ms`, with bursts of up to `burst` events at
/// once (the generic cell rate algorithm, see migration 0020).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rate {
    pub interval_ms: i64,
    pub burst: u64,
}

impl Rate {
    /// `per_minute` events a minute on average, `burst` at once.
    pub fn per_minute(per_minute: u64, burst: u64) -> Rate {
        Rate {
            interval_ms: 60_000 / i64::try_from(per_minute.max(1)).unwrap_or(i64::MAX),
            burst,
        }
    }

    /// Where a key's theoretical arrival time `full_at_ms` moves when `cost` events arrive at
    /// `now_ms`: `Ok(the new time)`, or `Err(ms to wait)` when they do not fit in the burst.
    pub fn admit(&self, full_at_ms: Option<i64>, cost: u64, now_ms: i64) -> Result<i64, i64> {
        let cost = i64::try_from(cost).unwrap_or(i64::MAX);
        let burst = i64::try_from(self.burst).unwrap_or(i64::MAX);
        let start = full_at_ms.unwrap_or(now_ms).max(now_ms);
        let next = start.saturating_add(cost.saturating_mul(self.interval_ms));
        let over = next - now_ms - burst.saturating_mul(self.interval_ms);
        if over > 0 {
            Err(over)
        } else {
            Ok(next)
        }
    }
}

/// Counts `cost` events under each key at its rate, or none when a key has no room for them:
/// then the answer is how many seconds until it would have.
pub fn take_rate(
    tx: &Tx,
    keys: &[(String, Rate)],
    cost: u64,
    now_ms: i64,
) -> ApiResult<Result<(), u64>> {
    let mut locked: Vec<&str> = keys.iter().map(|(key, _)| key.as_str()).collect();
    locked.sort_unstable();
    for key in locked {
        tx.lock_key(key)?;
    }
    let mut next = Vec::with_capacity(keys.len());
    let mut wait = None;
    for (key, rate) in keys {
        let full_at: Option<i64> = tx.query_row(
            "SELECT full_at_ms FROM rate_limits WHERE key = ?",
            crate::args![key],
            |row| row.get(0),
        )?;
        match rate.admit(full_at, cost, now_ms) {
            Ok(at) => next.push((key, at)),
            Err(over) => wait = wait.max(Some(seconds_until(now_ms + over, now_ms))),
        }
    }
    if let Some(wait) = wait {
        return Ok(Err(wait));
    }
    for (key, at) in next {
        super::run(
            tx,
            "INSERT INTO rate_limits (key, full_at_ms) VALUES (?, ?) \
             ON CONFLICT (key) DO UPDATE SET full_at_ms = excluded.full_at_ms",
            crate::args![key, at],
        )?;
    }
    Ok(Ok(()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paced_gaps_double_beyond_the_free_hits_up_to_the_cap() {
        let gaps: Vec<i64> = (0..=12).map(|hits| paced_gap_ms(hits, 4, 64_000)).collect();
        assert_eq!(
            gaps,
            [0, 0, 0, 0, 1000, 2000, 4000, 8000, 16000, 32000, 64000, 64000, 64000]
        );
        assert_eq!(paced_gap_ms(usize::MAX, 0, 64_000), 64_000);
    }

    #[test]
    fn a_rate_lets_a_burst_in_then_one_event_per_interval() {
        let rate = Rate::per_minute(120, 200);
        assert_eq!(rate.interval_ms, 500);
        // An empty key takes a whole burst at once, and nothing more.
        let full = rate.admit(None, 200, 0).unwrap();
        assert_eq!(full, 100_000);
        assert_eq!(rate.admit(Some(full), 1, 0), Err(500));
        // Half a second later there is room for one.
        assert_eq!(rate.admit(Some(full), 1, 500), Ok(100_500));
        assert_eq!(rate.admit(Some(full), 2, 500), Err(500));
        // Long after, the key is empty again (a time in the past counts from now).
        assert_eq!(rate.admit(Some(full), 200, 1_000_000), Ok(1_100_000));
        // More than a burst never fits.
        assert!(rate.admit(None, 201, 0).is_err());
    }
}
