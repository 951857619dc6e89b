//! The SQLite pool: created on first start, WAL mode, foreign keys on, migrations applied.
//!
//! Durability: `synchronous=FULL` in WAL mode syncs the log on every commit, so a write the
//! API acknowledged (a 201, a mutation `applied`) survives a power cut, not only a crash of
//! the process (with `NORMAL` the last commits can be lost when the machine loses power).
//! Backups are `VACUUM INTO` copies of the live file; [`restore`] puts one back while no
//! server holds the database (each holds [`ServingLock`] while it runs).

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
    let _migrating = migration_lock(url).await?;
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        // sqlx pings a connection before lending it, by default: a round trip to its worker
        // thread before every query. A file on this machine has no network to lose.
        .test_before_acquire(false)
        .connect_with(options)
        .await?;
    sqlx::migrate!("./migrations").run(&pool).await?;
    Ok(pool)
}

/// Held while a server opens the database and brings its schema up to date: two servers
/// starting at once on a new database would otherwise both run the first migration ("table
/// grids already exists"), or find it locked while the other turns on its write-ahead log.
/// sqlx takes no lock for SQLite; this file lock is released when dropped.
async fn migration_lock(url: &str) -> anyhow::Result<Option<std::fs::File>> {
    let Some(database) = database_file(url)? else {
        return Ok(None);
    };
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(format!("{}-migrate.lock", database.display()))?;
    // Waiting for the other server's migrations blocks: off the async threads.
    let file = tokio::task::spawn_blocking(move || file.lock().map(|()| file)).await??;
    Ok(Some(file))
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

/// Held (shared: several server processes may share a file) by every server while it runs on
/// a database, so that a restore can tell the file is in use. The operating system lets go of
/// it when the process ends, however it ends.
pub struct ServingLock {
    _file: Option<std::fs::File>,
}

fn lock_path(database: &std::path::Path) -> std::path::PathBuf {
    std::path::PathBuf::from(format!("{}-serving.lock", database.display()))
}

fn database_file(url: &str) -> anyhow::Result<Option<std::path::PathBuf>> {
    let options = SqliteConnectOptions::from_str(url)?;
    let file = options.get_filename();
    Ok((file.as_os_str() != ":memory:").then(|| file.to_path_buf()))
}

impl ServingLock {
    /// No lock: a database with no file here (PostgreSQL).
    pub fn none() -> ServingLock {
        ServingLock { _file: None }
    }

    pub fn take(url: &str) -> anyhow::Result<ServingLock> {
        let Some(database) = database_file(url)? else {
            return Ok(ServingLock { _file: None });
        };
        // On a first start the database's directory may not exist yet.
        if let Some(dir) = database.parent().filter(|dir| !dir.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(lock_path(&database))?;
        file.try_lock_shared().map_err(|error| {
            anyhow::anyhow!("{} is being restored: {error}", database.display())
        })?;
        Ok(ServingLock { _file: Some(file) })
    }
}

/// What a restore put back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    pub wishes: i64,
    pub claims: i64,
    pub users: i64,
}

/// Replaces the database at `url` with the backup `file`: the backup is checked first
/// (`PRAGMA integrity_check`, and that it is a microwish database), and a database a server
/// is running on is refused unless `force` (then restart that server at once: it still holds
/// the old file). Phones that synced after the backup recover by themselves: their cursor is
/// ahead of the restored log (they start over) and their queued changes are numbered past
/// what the restored server recorded (they send them again, applied once).
pub async fn restore(file: &std::path::Path, url: &str, force: bool) -> anyhow::Result<Restored> {
    use sqlx::Connection;
    let target = database_file(url)?
        .ok_or_else(|| anyhow::anyhow!("a database in memory cannot be restored"))?;
    let source = SqliteConnectOptions::new()
        .filename(file)
        .read_only(true)
        .immutable(true);
    let mut backup = sqlx::SqliteConnection::connect_with(&source)
        .await
        .map_err(|error| anyhow::anyhow!("cannot open the backup {}: {error}", file.display()))?;
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut backup)
        .await?;
    if integrity != "ok" {
        anyhow::bail!("the backup {} is damaged: {integrity}", file.display());
    }
    let counts: Result<(i64, i64, i64), _> = sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM wishes), (SELECT COUNT(*) FROM claims), \
         (SELECT COUNT(*) FROM users)",
    )
    .fetch_one(&mut backup)
    .await;
    let (wishes, claims, users) =
        counts.map_err(|_| anyhow::anyhow!("{} is not a microwish database", file.display()))?;

    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock_path(&target))?;
    let held_by_a_server = lock.try_lock().is_err();
    if held_by_a_server && !force {
        anyhow::bail!(
            "a server is running on {}: stop it first (or pass --force, then restart it at once)",
            target.display()
        );
    }
    if let Some(dir) = target.parent().filter(|dir| !dir.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let fresh = std::path::PathBuf::from(format!("{}-restoring", target.display()));
    let _ = std::fs::remove_file(&fresh);
    sqlx::query("VACUUM INTO ?")
        .bind(fresh.to_string_lossy().as_ref())
        .execute(&mut backup)
        .await?;
    backup.close().await?;
    // The old database's log must never be replayed onto the restored file: remove it first.
    for suffix in ["-wal", "-shm"] {
        let side = std::path::PathBuf::from(format!("{}{suffix}", target.display()));
        match std::fs::remove_file(&side) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(error) => return Err(error.into()),
        }
    }
    std::fs::rename(&fresh, &target)?;
    Ok(Restored {
        wishes,
        claims,
        users,
    })
}
