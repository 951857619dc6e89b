//! The SQL: one module per aggregate, each the only place that knows its tables. Routes and
//! the apply path call these functions and get core's types back.
//!
//! Reads go through the sqlx pool (`&SqlitePool`); every write, and what a command reads
//! before it writes, runs on the writer's connection (`&Tx`, rusqlite, see `writer`).

pub mod campaigns;
pub mod certificates;
pub mod claims;
pub mod community;
pub mod deliveries;
pub mod events;
pub mod facts;
pub mod handover;
pub mod households;
pub mod limits;
pub mod notices;
pub mod pairings;
pub mod phone_codes;
pub mod pledges;
pub mod reports;
pub mod requests;
pub mod shop_record;
pub mod sql;
pub mod subscriptions;
pub mod sync;
pub mod users;
pub mod wishes;

use chrono::{DateTime, NaiveDate, Utc};
use microwish_core::{RuleError, Status};

use crate::error::ApiError;
use crate::writer::Tx;
use sql::Arg;
pub use sql::{Failure, Pool, Row};

/// A round trip to the database.
pub async fn ping(db: &Pool) -> Result<(), ApiError> {
    db.execute("SELECT 1", crate::args![]).await?;
    Ok(())
}

/// Writes a consistent copy of the database to `file` (`VACUUM INTO` takes a snapshot
/// while the server keeps running).
pub async fn copy_to(db: &Pool, file: &std::path::Path) -> Result<(), ApiError> {
    // Readable by its owner alone, like the database (see `db::create_private`).
    let created = crate::db::create_private(file).map_err(|error| {
        ApiError::Internal(format!("cannot create {}: {error}", file.display()))
    })?;
    let copied = db
        .execute(
            "VACUUM INTO ?",
            crate::args![file.to_string_lossy().as_ref()],
        )
        .await;
    if copied.is_err() && created {
        let _ = std::fs::remove_file(file);
    }
    copied.map(|_| ())
}

/// Parses a value the database holds. A failure means the database holds something no
/// code wrote (corruption), not bad client input.
pub fn parse_stored<T: std::str::FromStr>(text: &str) -> Result<T, ApiError>
where
    T::Err: std::fmt::Display,
{
    text.parse()
        .map_err(|error: T::Err| ApiError::Corrupt(format!("{text:?}: {error}")))
}

/// A stored count or quantity; SQLite integers are i64 and ours are never negative.
pub fn count(value: i64) -> Result<u32, ApiError> {
    u32::try_from(value).map_err(|_| ApiError::Corrupt(format!("bad count {value}")))
}

/// Ids go to SQLite in chunks below its limit on bound parameters.
const CHUNK: usize = 200;

/// The rows `select` (ending in `… IN `, with `leading` bound before the list) finds for
/// every one of `ids`, asked in chunks below SQLite's limit on bound parameters, each row
/// read by `read`.
fn rows_in<T: ToString, R>(
    tx: &Tx,
    select: &str,
    leading: &[&dyn Arg],
    ids: &[T],
    read: impl FnMut(&Row) -> Result<R, ApiError>,
) -> Result<Vec<R>, ApiError> {
    rows_in_then(tx, select, "", leading, ids, read)
}

/// [`rows_in`] for what a command is about to change: on PostgreSQL the rows of `table` (its
/// name or alias in `select`) are locked until the command commits, so that another server's
/// command on them waits and then reads what that one wrote, rather than deciding on a state
/// about to be replaced. (SQLite's writer already holds the whole file.)
fn rows_in_for_update<T: ToString, R>(
    tx: &Tx,
    select: &str,
    table: &str,
    leading: &[&dyn Arg],
    ids: &[T],
    read: impl FnMut(&Row) -> Result<R, ApiError>,
) -> Result<Vec<R>, ApiError> {
    let lock = if tx.is_postgres() {
        format!(" FOR UPDATE OF {table}")
    } else {
        String::new()
    };
    rows_in_then(tx, select, &lock, leading, ids, read)
}

fn rows_in_then<T: ToString, R>(
    tx: &Tx,
    select: &str,
    then: &str,
    leading: &[&dyn Arg],
    ids: &[T],
    mut read: impl FnMut(&Row) -> Result<R, ApiError>,
) -> Result<Vec<R>, ApiError> {
    let mut found = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let ids: Vec<String> = chunk.iter().map(ToString::to_string).collect();
        let mut params: Vec<&dyn Arg> = leading.to_vec();
        params.extend(ids.iter().map(|id| id as &dyn Arg));
        found.extend(tx.query(&format!("{select}({marks}){then}"), &params, &mut read)?);
    }
    Ok(found)
}

/// Runs one statement of the writer's; how many rows it changed.
fn run(tx: &Tx, sql: &str, params: &[&dyn Arg]) -> Result<usize, ApiError> {
    tx.execute(sql, params)
}

/// How every time is stored, on both engines: RFC 3339 in UTC to the microsecond, always six
/// digits and a `Z` (`2026-07-01T02:00:05.300000Z`), so that the text's order is the time's
/// and a comparison in SQL (`hold_until <= ?`) compares the times. (The server's clock
/// counts in microseconds too, see `clock`, so a time read back equals the one written.)
pub const TIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.6fZ";

fn stamp(time: DateTime<Utc>) -> String {
    time.format(TIME_FORMAT).to_string()
}

/// A stored time (as [`stamp`] wrote it; the migrations brought older shapes to it).
fn stored_time(text: &str) -> Result<DateTime<Utc>, ApiError> {
    DateTime::parse_from_rfc3339(text)
        .map(|time| time.with_timezone(&Utc))
        .map_err(|error| ApiError::Corrupt(format!("time {text:?}: {error}")))
}

/// A date as sqlx writes it (`YYYY-MM-DD`).
fn day(date: NaiveDate) -> String {
    date.to_string()
}

/// A compare-and-set status update (`… WHERE status = <from>`) changed `rows` rows: none means
/// something else moved the row first, and the command fails (see `apply`: on PostgreSQL it
/// is decided again).
pub fn still_in(rows: usize, from: impl Into<Status>) -> Result<(), ApiError> {
    if rows == 1 {
        Ok(())
    } else {
        Err(RuleError::Moved { from: from.into() }.into())
    }
}
