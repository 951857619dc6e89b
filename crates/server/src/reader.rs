//! Reads through the store's synchronous connections ([`Db`]): what a busy path reads back
//! (the claim a command just made, a page of claims) and the watcher's look at the change log.
//!
//! On SQLite they run on the request's own thread: a few rusqlite connections lent out one at
//! a time, each query a plain call (sqlx's pool hands every query to a worker thread and
//! waits, two thread switches per query). The queries are short indexed lookups, over in
//! microseconds, so running them on the async runtime's thread costs less than handing them
//! off. On PostgreSQL each read is a network round trip: it runs on a blocking thread.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::error::ApiError;
use crate::store::sql::{Db, Pg};

/// Idle connections kept for the next read (more are opened while many read at once).
const KEEP: usize = 8;

pub struct Reader {
    source: Source,
    idle: Arc<Mutex<Vec<Db>>>,
    /// On PostgreSQL, reads at once (each holds a connection): at most [`KEEP`], so that a
    /// burst waits for the kept connections instead of opening (and dropping) new ones.
    turns: tokio::sync::Semaphore,
}

enum Source {
    Sqlite(PathBuf),
    Postgres {
        url: String,
        runtime: tokio::runtime::Handle,
    },
}

impl Reader {
    /// Reads from the SQLite database `file`.
    pub fn new(file: &Path) -> Reader {
        Reader {
            source: Source::Sqlite(file.to_path_buf()),
            idle: Arc::default(),
            turns: tokio::sync::Semaphore::new(KEEP),
        }
    }

    /// Reads from the PostgreSQL database at `url` (called within the runtime).
    pub fn postgres(url: &str) -> Reader {
        Reader {
            source: Source::Postgres {
                url: url.to_owned(),
                runtime: tokio::runtime::Handle::current(),
            },
            idle: Arc::default(),
            turns: tokio::sync::Semaphore::new(KEEP),
        }
    }

    /// Runs `work` on a connection of its own (opened if none is idle).
    pub async fn read<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Db) -> Result<T, ApiError> + Send + 'static,
    {
        match &self.source {
            Source::Sqlite(file) => {
                let connection = match lend(&self.idle) {
                    Some(connection) => connection,
                    None => Db::Sqlite(open(file)?),
                };
                let outcome = work(&connection);
                give_back(&self.idle, connection);
                outcome
            }
            Source::Postgres { url, runtime } => {
                let _turn = self
                    .turns
                    .acquire()
                    .await
                    .map_err(|_| ApiError::Internal("the reader has stopped".into()))?;
                let (url, runtime, idle) = (url.clone(), runtime.clone(), self.idle.clone());
                tokio::task::spawn_blocking(move || {
                    let connection = match lend(&idle) {
                        Some(connection) => connection,
                        None => Db::Postgres(Pg::connect(&url, runtime)?),
                    };
                    let outcome = work(&connection);
                    // A connection whose read failed may be broken: not kept.
                    if outcome.is_ok() {
                        give_back(&idle, connection);
                    }
                    outcome
                })
                .await
                .map_err(|error| ApiError::Internal(format!("a read stopped: {error}")))?
            }
        }
    }
}

fn lend(idle: &Mutex<Vec<Db>>) -> Option<Db> {
    idle.lock().unwrap_or_else(|p| p.into_inner()).pop()
}

fn give_back(idle: &Mutex<Vec<Db>>, connection: Db) {
    let mut idle = idle.lock().unwrap_or_else(|p| p.into_inner());
    if idle.len() < KEEP {
        idle.push(connection);
    }
}

/// A read-only connection to the (migrated) database.
fn open(file: &Path) -> Result<Connection, ApiError> {
    let connection = Connection::open_with_flags(
        file,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    connection.busy_timeout(Duration::from_secs(5))?;
    connection.set_prepared_statement_cache_capacity(64);
    Ok(connection)
}
