//! The durable delivery queue: each notice's pushes and SMS as rows (one per notice, channel
//! and target, its id the idempotency key), leased by one server's sender at a time, marked
//! once sent; and the keys the server keeps for sending (VAPID).
//!
//! On PostgreSQL every server's sender takes rows `FOR UPDATE SKIP LOCKED` and leases them
//! before sending; on SQLite the writer holds the file while it takes them. A sender that dies
//! holding a lease leaves its rows pending: another (or itself, restarted) sends them once the
//! lease runs out, with the same key.

use chrono::{DateTime, Utc};
use microwish_core::{Notice, NoticeChannel, NoticeId};

use super::notices::{read_notice, NOTICE_COLUMNS};
use super::{count, parse_stored, stamp, stored_time};
use crate::error::ApiResult;
use crate::writer::Tx;

/// `FOR UPDATE SKIP LOCKED` on PostgreSQL (other servers' senders skip what this one took).
fn skip_locked(tx: &Tx, table: &str) -> String {
    if tx.is_postgres() {
        format!(" FOR UPDATE OF {table} SKIP LOCKED")
    } else {
        String::new()
    }
}

/// A notice whose deliveries no sender has queued yet.
pub struct Unqueued {
    pub notice: Notice,
    pub urgent: bool,
}

/// Up to `limit` notices not queued yet, oldest first.
pub fn unqueued(tx: &Tx, limit: usize) -> ApiResult<Vec<Unqueued>> {
    let lock = skip_locked(tx, "n");
    tx.query(
        &format!(
            "SELECT {NOTICE_COLUMNS}, n.urgent FROM notices n WHERE n.queued = 0 \
             ORDER BY n.created_at LIMIT ?{lock}"
        ),
        crate::args![limit],
        |row| {
            Ok(Unqueued {
                notice: read_notice(row)?,
                urgent: row.get::<_, i64>(10)? != 0,
            })
        },
    )
}

pub fn mark_queued(tx: &Tx, notice: NoticeId) -> ApiResult<()> {
    super::run(
        tx,
        "UPDATE notices SET queued = 1 WHERE id = ?",
        crate::args![notice.to_string()],
    )?;
    Ok(())
}

/// A delivery to queue.
pub struct NewDelivery<'a> {
    /// The idempotency key.
    pub id: String,
    pub notice: NoticeId,
    pub channel: NoticeChannel,
    pub target: &'a str,
    pub due_at: DateTime<Utc>,
}

/// Queues a delivery (one queued before is left as it is).
pub fn enqueue(tx: &Tx, delivery: &NewDelivery, now: DateTime<Utc>) -> ApiResult<()> {
    super::run(
        tx,
        "INSERT INTO deliveries (id, notice_id, channel, target, status, due_at, created_at) \
         VALUES (?, ?, ?, ?, 'pending', ?, ?) ON CONFLICT DO NOTHING",
        crate::args![
            delivery.id,
            delivery.notice.to_string(),
            delivery.channel.as_str(),
            delivery.target,
            stamp(delivery.due_at),
            stamp(now),
        ],
    )?;
    Ok(())
}

/// A delivery leased for sending.
pub struct Due {
    pub id: String,
    pub notice: Notice,
    pub urgent: bool,
    pub channel: NoticeChannel,
    pub target: String,
    /// Tries so far, this one included.
    pub attempts: u32,
    pub queued_at: DateTime<Utc>,
}

/// Leases up to `limit` pending deliveries due at `now` (none leased by a live sender) until
/// `until`, oldest first, counting the try.
pub fn lease(
    tx: &Tx,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: usize,
) -> ApiResult<Vec<Due>> {
    let lock = skip_locked(tx, "d");
    let due = tx.query(
        &format!(
            "SELECT {NOTICE_COLUMNS}, n.urgent, d.id, d.channel, d.target, d.attempts, d.created_at \
             FROM deliveries d JOIN notices n ON n.id = d.notice_id \
             WHERE d.status = 'pending' AND d.due_at <= ? \
             AND (d.leased_until IS NULL OR d.leased_until <= ?) \
             ORDER BY d.due_at LIMIT ?{lock}"
        ),
        crate::args![stamp(now), stamp(now), limit],
        |row| {
            Ok(Due {
                notice: read_notice(row)?,
                urgent: row.get::<_, i64>(10)? != 0,
                id: row.get(11)?,
                channel: parse_stored(&row.get::<_, String>(12)?)?,
                target: row.get(13)?,
                attempts: count(row.get(14)?)? + 1,
                queued_at: stored_time(&row.get::<_, String>(15)?)?,
            })
        },
    )?;
    for delivery in &due {
        super::run(
            tx,
            "UPDATE deliveries SET leased_until = ?, attempts = attempts + 1 WHERE id = ?",
            crate::args![stamp(until), delivery.id],
        )?;
    }
    Ok(due)
}

/// A delivery's statuses, as its CHECK lists them: waiting (or being sent), sent, its
/// subscription gone, or dropped for good.
pub const STATUSES: [&str; 4] = ["pending", "sent", "gone", "dropped"];

/// What became of a try.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Settled {
    Sent,
    /// Failed for now: try again at `at`.
    Retry {
        at: DateTime<Utc>,
        error: String,
    },
    /// The push service says the subscription is gone (404/410): it is forgotten.
    Gone(String),
    /// Not sent, and never will be (too old, over the day's SMS, an endpoint no longer
    /// allowed).
    Dropped(String),
}

/// Marks a leased delivery with what became of it.
pub fn settle(tx: &Tx, id: &str, settled: &Settled, now: DateTime<Utc>) -> ApiResult<()> {
    let [pending, sent, gone, dropped] = STATUSES;
    let (status, due_at, error) = match settled {
        Settled::Sent => (sent, None, None),
        Settled::Retry { at, error } => (pending, Some(stamp(*at)), Some(error.as_str())),
        Settled::Gone(error) => (gone, None, Some(error.as_str())),
        Settled::Dropped(error) => (dropped, None, Some(error.as_str())),
    };
    let sent_at = (*settled == Settled::Sent).then(|| stamp(now));
    super::run(
        tx,
        "UPDATE deliveries SET status = ?, due_at = COALESCE(?, due_at), error = ?, \
         sent_at = ?, leased_until = NULL WHERE id = ?",
        crate::args![status, due_at, error, sent_at, id],
    )?;
    Ok(())
}

/// SMS sent to `phone` since `since`, and those being sent now.
pub fn sms_to(tx: &Tx, phone: &str, since: DateTime<Utc>, now: DateTime<Utc>) -> ApiResult<u32> {
    let sent: Option<i64> = tx.query_row(
        "SELECT COUNT(*) FROM deliveries WHERE channel = 'sms' AND target = ? \
         AND (sent_at >= ? OR (status = 'pending' AND leased_until > ?))",
        crate::args![phone, stamp(since), stamp(now)],
        |row| row.get(0),
    )?;
    count(sent.unwrap_or(0))
}

/// The secret named `name`, made by `make` (once, whichever server asks first).
pub fn server_secret(
    tx: &Tx,
    name: &str,
    make: impl FnOnce() -> ApiResult<String>,
    now: DateTime<Utc>,
) -> ApiResult<String> {
    let read = |tx: &Tx| {
        tx.query_row(
            "SELECT secret FROM server_keys WHERE name = ?",
            crate::args![name],
            |row| row.get(0),
        )
    };
    // Read first: the key exists after its first use, and every claim asks for it.
    if let Some(secret) = read(tx)? {
        return Ok(secret);
    }
    super::run(
        tx,
        "INSERT INTO server_keys (name, secret, created_at) VALUES (?, ?, ?) \
         ON CONFLICT (name) DO NOTHING",
        crate::args![name, make()?, stamp(now)],
    )?;
    // Another server's, when it made one first.
    read(tx)?.ok_or_else(|| crate::error::ApiError::Corrupt(format!("no server key {name}")))
}
