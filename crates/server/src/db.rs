//! The SQLite pool: created on first start, WAL mode, foreign keys on, migrations applied.
//!
//! Durability: `synchronous=FULL` in WAL mode syncs the log on every commit, so a write the
//! API acknowledged (a 201, a mutation `applied`) survives a power cut, not only a crash of
//! the process (with `NORMAL` the last commits can be lost when the machine loses power).
//! `make bench` prints claims/s both ways.

use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

/// Opens (creating if needed) the database at `url` and brings its schema up to date.
pub async fn connect(url: &str) -> anyhow::Result<SqlitePool> {
    connect_with(url, SqliteSynchronous::Full).await
}

/// [`connect`] with another durability setting (for the benchmark that compares them).
pub async fn connect_with(url: &str, synchronous: SqliteSynchronous) -> anyhow::Result<SqlitePool> {
    let options = options(url, synchronous)?;
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await?;
    sqlx::migrate!("./migrations").run(&pool).await?;
    Ok(pool)
}

/// How every connection to `url` is opened (the pool's and the writer's), creating the
/// file's directory when missing.
pub fn options(url: &str, synchronous: SqliteSynchronous) -> anyhow::Result<SqliteConnectOptions> {
    let options = SqliteConnectOptions::from_str(url)?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(synchronous)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    if let Some(dir) = options.get_filename().parent() {
        if !dir.as_os_str().is_empty() {
            std::fs::create_dir_all(dir)?;
        }
    }
    Ok(options)
}
