//! Reads on the request's own thread: a few rusqlite connections lent out one at a time, each
//! query a plain call (sqlx's pool hands every query to a worker thread and waits, two thread
//! switches per query). Used for what a busy path reads back: the claim a command just made.
//! The queries are short indexed lookups, over in microseconds, so running them on the async
//! runtime's thread costs less than handing them off.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::error::ApiError;
use crate::store::sql::Db;

/// Idle connections kept for the next read (more are opened while many read at once).
const KEEP: usize = 8;

pub struct Reader {
    file: PathBuf,
    idle: Mutex<Vec<Db>>,
}

impl Reader {
    pub fn new(file: &Path) -> Reader {
        Reader {
            file: file.to_path_buf(),
            idle: Mutex::new(Vec::new()),
        }
    }

    /// Runs `work` on a connection of its own (opened if none is idle).
    pub fn read<T>(&self, work: impl FnOnce(&Db) -> Result<T, ApiError>) -> Result<T, ApiError> {
        let lent = self.idle.lock().unwrap_or_else(|p| p.into_inner()).pop();
        let connection = match lent {
            Some(connection) => connection,
            None => Db::Sqlite(open(&self.file)?),
        };
        let outcome = work(&connection);
        let mut idle = self.idle.lock().unwrap_or_else(|p| p.into_inner());
        if idle.len() < KEEP {
            idle.push(connection);
        }
        outcome
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
