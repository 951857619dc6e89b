//! The SQL: one module per aggregate, each the only place that knows its tables. Routes and
//! the apply path call these functions and get core's types back.

pub mod campaigns;
pub mod claims;
pub mod community;
pub mod events;
pub mod households;
pub mod pledges;
pub mod reports;
pub mod sync;
pub mod users;
pub mod wishes;

use sqlx::{QueryBuilder, Sqlite};

use crate::error::ApiError;

/// A round trip to the database.
pub async fn ping(db: &sqlx::SqlitePool) -> Result<(), ApiError> {
    sqlx::query("SELECT 1").execute(db).await?;
    Ok(())
}

/// Writes a consistent copy of the database to `file` (`VACUUM INTO` takes a snapshot
/// while the server keeps running).
pub async fn copy_to(db: &sqlx::SqlitePool, file: &std::path::Path) -> Result<(), ApiError> {
    sqlx::query("VACUUM INTO ?")
        .bind(file.to_string_lossy().as_ref())
        .execute(db)
        .await?;
    Ok(())
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

/// `(?, ?, …)` with each of `values` bound.
fn push_list<'a, T: ToString>(sql: &mut QueryBuilder<'a, Sqlite>, values: &[T]) {
    sql.push("(");
    let mut list = sql.separated(", ");
    for value in values {
        list.push_bind(value.to_string());
    }
    sql.push(")");
}

/// The rows `select` (ending in `… IN `) finds for every one of `ids`, asked in chunks below
/// SQLite's limit on bound parameters.
async fn fetch_in<R, T>(
    conn: &mut sqlx::SqliteConnection,
    select: &str,
    ids: &[T],
) -> Result<Vec<R>, ApiError>
where
    T: ToString,
    R: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> + Send + Unpin,
{
    let mut rows = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new(select);
        push_list(&mut sql, chunk);
        rows.extend(sql.build_query_as::<R>().fetch_all(&mut *conn).await?);
    }
    Ok(rows)
}

/// Ids go to SQLite in chunks below its limit on bound parameters.
const CHUNK: usize = 200;

/// A compare-and-set status update (`… WHERE status = <from>`) changed `rows` rows: none means
/// something else moved the row first, and the command fails as the rules would have.
pub fn still_in(rows: u64, from: &'static str, to: &'static str) -> Result<(), ApiError> {
    if rows == 1 {
        Ok(())
    } else {
        Err(microwish_core::RuleError::InvalidState { from, action: to }.into())
    }
}
