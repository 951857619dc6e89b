//! Sync bookkeeping: the change log pulls read (a global, increasing version per change),
//! and per client the last mutation processed and each mutation's result, for replays.

use super::sql::Pool;
use microwish_core::sync::{LostVersions, MutationResult};
use microwish_core::{ClientId, Entity, UserId};

use super::parse_stored;
use crate::error::{ApiError, ApiResult};
use crate::writer::Tx;

/// Records that an entity changed, for sync pulls.
pub fn log_change(tx: &Tx, entity: Entity, id: &str) -> ApiResult<()> {
    tx.logged_change();
    super::run(
        tx,
        "INSERT INTO change_log (entity, entity_id) VALUES (?, ?)",
        crate::args![entity.as_str(), id],
    )?;
    Ok(())
}

/// A sync client: whose it is, and the last of its mutations processed (for a pull, which
/// reads through the pool).
pub async fn client(db: &Pool, client: ClientId) -> ApiResult<Option<(UserId, u64)>> {
    let row: Option<(String, i64)> = db
        .fetch_optional(CLIENT, crate::args![client.to_string()])
        .await?;
    row.map(|(user, last)| Ok((parse_stored(&user)?, u64::try_from(last).unwrap_or(0))))
        .transpose()
}

/// [`client`] in the write transaction (for a push).
pub fn client_in(tx: &Tx, client: ClientId) -> ApiResult<Option<(UserId, u64)>> {
    let row: Option<(String, i64)> =
        tx.query_row(CLIENT, crate::args![client.to_string()], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })?;
    row.map(|(user, last)| Ok((parse_stored(&user)?, u64::try_from(last).unwrap_or(0))))
        .transpose()
}

const CLIENT: &str = "SELECT user_id, last_mutation_id FROM sync_clients WHERE client_id = ?";

/// What a processed mutation's fingerprint is kept as: a SHA-256 digest of core's fingerprint
/// (the command's JSON, up to the body limit), not the JSON itself; none for a mutation
/// without a command.
pub fn stored_fingerprint(fingerprint: &str) -> String {
    use sha2::{Digest, Sha256};
    if fingerprint.is_empty() {
        return String::new();
    }
    let digest = Sha256::digest(fingerprint.as_bytes());
    let mut stored = String::with_capacity(7 + 64);
    stored.push_str("sha256:");
    for byte in digest {
        stored.push_str(&format!("{byte:02x}"));
    }
    stored
}

/// Whether a stored fingerprint stands for the command whose fingerprint is `fingerprint`:
/// its digest, or (results stored before migration 0020, not yet acknowledged) the same
/// JSON; a result stored without one (a mutation without a command, or stored before
/// fingerprints) answers any replay.
pub fn same_command(stored: &str, fingerprint: &str) -> bool {
    stored.is_empty() || stored == fingerprint || stored == stored_fingerprint(fingerprint)
}

/// Results pruned per push at most (the rest on the next ones): a client from before
/// migration 0020 with a long history is pruned in steps.
pub const ACKNOWLEDGE_STEP: i64 = 1_000;

/// The client has every result before `first_pushed` (it pushes from there on: the phone sends
/// only mutations above the last it knows answered): those results keep only what a replay
/// needs (status, code, fingerprint digest); their messages are dropped, and a fingerprint
/// stored whole before migration 0020 becomes its digest. Nothing for another user's client.
pub fn acknowledge(tx: &Tx, client: ClientId, user: UserId, first_pushed: u64) -> ApiResult<()> {
    let row: Option<(String, i64)> = tx.query_row(
        "SELECT user_id, acknowledged_mutation_id FROM sync_clients WHERE client_id = ?",
        crate::args![client.to_string()],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let Some((owner, acknowledged)) = row else {
        return Ok(());
    };
    let through = i64::try_from(first_pushed.saturating_sub(1)).unwrap_or(i64::MAX);
    if owner != user.to_string() || through <= acknowledged {
        return Ok(());
    }
    let through = through.min(acknowledged + ACKNOWLEDGE_STEP);
    let (client, range) = (client.to_string(), (acknowledged, through));
    super::run(
        tx,
        "UPDATE sync_results SET message = NULL WHERE client_id = ? \
         AND mutation_id > ? AND mutation_id <= ? AND message IS NOT NULL",
        crate::args![client.as_str(), range.0, range.1],
    )?;
    let whole: Vec<(i64, String)> = tx.query(
        "SELECT mutation_id, fingerprint FROM sync_results WHERE client_id = ? \
         AND mutation_id > ? AND mutation_id <= ? AND fingerprint LIKE '{%'",
        crate::args![client.as_str(), range.0, range.1],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    for (id, fingerprint) in whole {
        super::run(
            tx,
            "UPDATE sync_results SET fingerprint = ? WHERE client_id = ? AND mutation_id = ?",
            crate::args![stored_fingerprint(&fingerprint), client.as_str(), id],
        )?;
    }
    super::run(
        tx,
        "UPDATE sync_clients SET acknowledged_mutation_id = ? WHERE client_id = ?",
        crate::args![through, client.as_str()],
    )?;
    Ok(())
}

/// A processed mutation's fingerprint (as stored: see [`same_command`]) and result.
pub fn stored_result(
    tx: &Tx,
    client: ClientId,
    id: u64,
) -> ApiResult<Option<(String, MutationResult)>> {
    let row: Option<(String, Option<String>, Option<String>, String)> = tx.query_row(
        "SELECT status, code, message, fingerprint FROM sync_results \
             WHERE client_id = ? AND mutation_id = ?",
        crate::args![client.to_string(), i64::try_from(id).unwrap_or(i64::MAX)],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
    )?;
    row.map(|(status, code, message, fingerprint)| {
        let result = MutationResult {
            id,
            status: parse_stored(&status)?,
            code: code.as_deref().map(parse_stored).transpose()?,
            message,
        };
        Ok((fingerprint, result))
    })
    .transpose()
}

/// Stores a mutation's result and moves the client's last mutation id to it.
pub fn record_result(
    tx: &Tx,
    client: ClientId,
    user: UserId,
    result: &MutationResult,
    fingerprint: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> ApiResult<()> {
    let id = i64::try_from(result.id).map_err(|_| {
        ApiError::bad_request(
            microwish_core::ProblemCode::BadMutationId,
            "mutation id too large",
        )
    })?;
    super::run(
        tx,
        "INSERT INTO sync_clients (client_id, user_id, last_mutation_id, updated_at) \
         VALUES (?, ?, ?, ?) ON CONFLICT (client_id) DO UPDATE SET \
         last_mutation_id = excluded.last_mutation_id, updated_at = excluded.updated_at",
        crate::args![client.to_string(), user.to_string(), id, super::stamp(now)],
    )?;
    super::run(
        tx,
        "INSERT INTO sync_results (client_id, mutation_id, status, code, message, fingerprint) \
         VALUES (?, ?, ?, ?, ?, ?)",
        crate::args![
            client.to_string(),
            id,
            result.status.as_str(),
            result.code.map(|code| code.as_str()),
            result.message,
            stored_fingerprint(fingerprint),
        ],
    )?;
    Ok(())
}

/// Drops up to `limit` change-log rows that a later row of the same entity supersedes; how
/// many it dropped. A pull answers each entity changed after its cursor once, at its latest
/// version, so only an entity's latest row is ever read: what this drops changes no answer,
/// and the log stays as long as there are entities, not as long as there were changes.
pub fn compact(tx: &Tx, limit: i64) -> ApiResult<usize> {
    super::run(
        tx,
        "DELETE FROM change_log WHERE version IN (SELECT version FROM change_log c \
         WHERE version < (SELECT MAX(version) FROM change_log l \
                          WHERE l.entity = c.entity AND l.entity_id = c.entity_id) \
         ORDER BY version LIMIT ?)",
        crate::args![limit],
    )
}

/// What a server watches for other servers' writes: the change log's newest version (0 when
/// empty) and the sessions' epoch (see migration 0011). A restore's mark (migration 0017) is
/// left out: changes after it are numbered past it, and a restore restarts the servers.
///
/// With `number`, on PostgreSQL it first numbers what has committed unnumbered (see
/// [`stamp`]): a change written outside a server's writer (a migration, the command line, a
/// writer that lost its connection before numbering) reaches the phones within the watch's
/// interval.
pub fn watched(db: &super::sql::Db, number: bool) -> ApiResult<(u64, i64)> {
    let latest = if number && db.is_postgres() {
        "change_log_stamp()"
    } else {
        "(SELECT COALESCE(MAX(version), 0) FROM change_log)"
    };
    let (latest, epoch): (i64, i64) = db
        .query_row(
            &format!("SELECT {latest}, (SELECT epoch FROM auth_epoch)"),
            crate::args![],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )?
        .ok_or_else(|| ApiError::Corrupt("auth_epoch has no row".into()))?;
    Ok((u64::try_from(latest).unwrap_or(0), epoch))
}

/// Numbers every change that has committed without a version, on PostgreSQL (see its
/// migration 0030: commits overlap, and changes are numbered after them, in turns); the
/// newest version. Run on its own, outside a transaction.
pub fn stamp(db: &super::sql::Db) -> ApiResult<u64> {
    let top: Option<i64> = db.query_row("SELECT change_log_stamp()", crate::args![], |row| {
        row.get(0)
    })?;
    Ok(top.map_or(0, |top| u64::try_from(top).unwrap_or(0)))
}

/// The newest version: the change log's (0 when empty), or a restore's mark when no change
/// came after it (see migration 0017).
pub async fn latest_version(db: &Pool) -> ApiResult<u64> {
    let (latest, restored): (i64, i64) = db.fetch_one(LATEST, crate::args![]).await?;
    Ok(u64::try_from(latest.max(restored)).unwrap_or(0))
}

const LATEST: &str = "SELECT (SELECT COALESCE(MAX(version), 0) FROM change_log), \
     (SELECT COALESCE(MAX(through_version) + 1, 0) FROM lost_versions)";

/// The versions restores took away, oldest first.
pub async fn lost_versions(db: &Pool) -> ApiResult<Vec<LostVersions>> {
    let rows: Vec<(i64, i64)> = db
        .fetch_all(
            "SELECT after_version, through_version FROM lost_versions ORDER BY through_version",
            crate::args![],
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|(after, through)| LostVersions {
            after: u64::try_from(after).unwrap_or(0),
            through: u64::try_from(through).unwrap_or(0),
        })
        .collect())
}

/// Each entity changed after `since`, once, with its latest version, oldest first; at most
/// `limit` of them; of the kinds in `only` when given (a visitor's pull: see core's
/// `visibility::entities_of`).
pub async fn changed_since(
    db: &Pool,
    since: u64,
    limit: i64,
    only: Option<&[Entity]>,
) -> ApiResult<Vec<(Entity, String, u64)>> {
    // The kinds are core's names, never a caller's text: written into the statement.
    let kinds = only.map_or_else(String::new, |only| {
        let names: Vec<String> = only
            .iter()
            .map(|entity| format!("'{}'", entity.as_str()))
            .collect();
        format!(" AND entity IN ({})", names.join(", "))
    });
    let rows: Vec<(String, String, i64)> = db
        .fetch_all(
            &format!(
                "SELECT entity, entity_id, MAX(version) AS version FROM change_log \
                 WHERE version > ?{kinds} GROUP BY entity, entity_id ORDER BY version LIMIT ?"
            ),
            crate::args![i64::try_from(since).unwrap_or(i64::MAX), limit],
        )
        .await?;
    rows.into_iter()
        .map(|(entity, id, version)| {
            Ok((
                parse_stored(&entity)?,
                id,
                u64::try_from(version).unwrap_or(0),
            ))
        })
        .collect()
}
