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
    let file = options.get_filename();
    if file.as_os_str() != ":memory:" {
        if let Some(dir) = file.parent() {
            if !dir.as_os_str().is_empty() {
                std::fs::create_dir_all(dir)?;
            }
        }
        // SQLite gives its `-wal` and `-shm` files the database file's own mode.
        create_private(file)?;
    }
    Ok(options)
}

/// Creates `file` empty, readable and writable by its owner alone (0600 on Unix: a database
/// or a backup holds every household's address and phone), unless it exists; whether it
/// was created. SQLite then opens it as a new database, `VACUUM INTO` fills it.
pub fn create_private(file: &std::path::Path) -> std::io::Result<bool> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(file) {
        Ok(_) => Ok(true),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(error) => Err(error),
    }
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
    /// The versions the restored database no longer has (recorded in it, see migration 0017).
    pub lost: microwish_core::sync::LostVersions,
}

/// The newest version a database at `file` has handed out (0 when there is none, or it is no
/// microwish database): its change log's top, or a former restore's mark.
async fn top_of(file: &std::path::Path) -> anyhow::Result<u64> {
    use sqlx::Connection;
    if !file.exists() {
        return Ok(0);
    }
    // Not read-only: a log the server left behind (killed, or still running with --force)
    // is read too.
    let options = SqliteConnectOptions::new().filename(file);
    let mut db = sqlx::SqliteConnection::connect_with(&options).await?;
    let logged: Option<i64> = sqlx::query_scalar("SELECT MAX(version) FROM change_log")
        .fetch_one(&mut db)
        .await
        .unwrap_or(None);
    // Absent before migration 0017.
    let restored: Option<i64> =
        sqlx::query_scalar("SELECT MAX(through_version) + 1 FROM lost_versions")
            .fetch_one(&mut db)
            .await
            .unwrap_or(None);
    // The numbering SQLite continues from (versions of changes compacted away count too).
    let numbered: Option<i64> =
        sqlx::query_scalar("SELECT seq FROM sqlite_sequence WHERE name = 'change_log'")
            .fetch_optional(&mut db)
            .await
            .unwrap_or(None);
    db.close().await?;
    let top = [logged, restored, numbered].into_iter().flatten().max();
    Ok(top.map_or(0, |top| u64::try_from(top).unwrap_or(0)))
}

/// Brings the copy at `file` (about to replace a database whose top was `live_top`) up to
/// date and records the versions it lost: from its own top through `live_top`. Its numbering
/// goes on past them, so no phone is ever handed a version twice, and every phone from
/// before the restore starts over (core's `sync::must_start_over`).
async fn record_restore(
    file: &std::path::Path,
    live_top: u64,
) -> anyhow::Result<microwish_core::sync::LostVersions> {
    use sqlx::Connection;
    let options = SqliteConnectOptions::new()
        .filename(file)
        .journal_mode(SqliteJournalMode::Delete)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true);
    let mut db = sqlx::SqliteConnection::connect_with(&options).await?;
    sqlx::migrate!("./migrations").run(&mut db).await?;
    let (logged, restored): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT COALESCE(MAX(version), 0) FROM change_log), \
                (SELECT COALESCE(MAX(through_version) + 1, 0) FROM lost_versions)",
    )
    .fetch_one(&mut db)
    .await?;
    let after = u64::try_from(logged.max(restored)).unwrap_or(0);
    let lost = microwish_core::sync::LostVersions {
        after,
        through: live_top.max(after),
    };
    let through = i64::try_from(lost.through)?;
    let mut tx = db.begin().await?;
    sqlx::query(
        "INSERT INTO lost_versions (after_version, through_version, restored_at) VALUES (?, ?, ?)",
    )
    .bind(i64::try_from(lost.after)?)
    .bind(through)
    .bind(
        chrono::Utc::now()
            .format(crate::store::TIME_FORMAT)
            .to_string(),
    )
    .execute(&mut *tx)
    .await?;
    // The next change is numbered past the restore's mark (`through + 1`).
    let moved =
        sqlx::query("UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = 'change_log'")
            .bind(through + 1)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    if moved == 0 {
        sqlx::query("INSERT INTO sqlite_sequence (name, seq) VALUES ('change_log', ?)")
            .bind(through + 1)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    db.close().await?;
    Ok(lost)
}

/// Replaces the database at `url` with the backup `file`: the backup is checked first
/// (`PRAGMA integrity_check`, and that it is a microwish database), and a database a server
/// is running on is refused unless `force` (then restart that server at once: it still holds
/// the old file). The restored copy records the versions it lost (see [`record_restore`]):
/// every phone from before the restore starts over on its next pull and sends again the
/// changes the server answered but no longer has (phones keep them), each applied once.
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
    create_private(&fresh)?;
    sqlx::query("VACUUM INTO ?")
        .bind(fresh.to_string_lossy().as_ref())
        .execute(&mut backup)
        .await?;
    backup.close().await?;
    // Read after the server stopped writing (or while it still runs, with --force: the top
    // it had reached then).
    // A damaged live database (a reason to restore) must not stop it: numbering then goes on
    // from the backup's own top, and phones from the future still start over.
    let live_top = top_of(&target).await.unwrap_or_else(|error| {
        tracing::warn!(%error, "cannot read the top version of the database being replaced");
        0
    });
    let lost = match record_restore(&fresh, live_top).await {
        Ok(lost) => lost,
        Err(error) => {
            let _ = std::fs::remove_file(&fresh);
            return Err(error.context(format!("cannot prepare the copy of {}", file.display())));
        }
    };
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
        lost,
    })
}
