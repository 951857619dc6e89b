//! The one writer: every command's transaction runs on a single connection, owned by a
//! thread of its own, and the commands that arrive together share one transaction
//! (group commit: one `BEGIN IMMEDIATE`, one sync of the log for the whole batch).
//!
//! Why: with a pool, concurrent writers queue inside SQLite's busy handler, which sleeps and
//! retries, so the write lock sits idle while the requests wait (p99 near a second at 64
//! donors). Here writers queue in memory, in order, and the lock is never idle while work
//! waits. Each command runs in a savepoint, so one refused or failed command leaves no trace
//! in its batch; every caller hears its result only after the batch has committed, so an
//! acknowledged write is durable. Another server process on the same file still takes the
//! lock through SQLite (`BEGIN IMMEDIATE` and the busy timeout), so the database's own
//! compare-and-set and CHECKs keep guarding the quantities.
//!
//! The connection is rusqlite's, called directly on this thread: sqlx's hands every statement
//! to a worker thread of its own and waits for the answer, two thread switches per statement,
//! which was most of what a claim cost (1,277 claims/s, p99 73 ms at 64 donors).

use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use rusqlite::Connection;
use sqlx::sqlite::SqliteSynchronous;
use tokio::sync::{mpsc, oneshot};

use crate::error::ApiError;
use crate::store::sql::{Db, Pg};

/// The most commands in one transaction (a batch is what queued while the last committed).
const BATCH_MAX: usize = 256;

/// The connection a write runs on, inside the batch's transaction and its own savepoint.
pub type Tx = Db;

/// A queued piece of work: runs in its savepoint, answers whether to keep it, and hands back
/// how to tell its caller once the batch's fate is known.
type Job = Box<dyn FnOnce(&Tx) -> Ran + Send>;

struct Ran {
    keep: bool,
    answer: Answer,
}

/// Tells a caller its result, or why its batch did not commit.
type Answer = Box<dyn FnOnce(Result<(), String>) + Send>;

/// The handle every request uses to write; cloning it is cheap.
#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::UnboundedSender<Job>,
    commits: Arc<AtomicU64>,
}

impl Writer {
    /// Opens the write connection to the (already migrated) database `file` on a thread of
    /// its own; it lives as long as a handle does.
    pub async fn start(file: &Path, synchronous: SqliteSynchronous) -> anyhow::Result<Writer> {
        let (jobs, queue) = mpsc::unbounded_channel::<Job>();
        let commits = Arc::new(AtomicU64::new(0));
        let counted = commits.clone();
        let (opened, open_result) = oneshot::channel();
        let file = file.to_path_buf();
        std::thread::Builder::new()
            .name("microwish-writer".into())
            .spawn(move || match open(&file, synchronous) {
                Ok(connection) => {
                    let _ = opened.send(Ok(()));
                    let queue = std::sync::Mutex::new(queue);
                    write_batches(&Db::Sqlite(connection), &queue, BATCH_MAX, &counted);
                }
                Err(error) => {
                    let _ = opened.send(Err(error));
                }
            })?;
        open_result
            .await
            .map_err(|_| anyhow::anyhow!("the writer thread stopped while opening"))??;
        Ok(Writer { jobs, commits })
    }

    /// The writer on a PostgreSQL database (already migrated): `connections` threads, each
    /// with a connection of its own, take commands from one queue, each command in its own
    /// transaction. PostgreSQL lets them write at once (it locks rows, not the database).
    /// Not batched as on SQLite: commands batched together lock their rows in whatever order
    /// they queued, and two connections' batches then wait for each other (deadlocks that
    /// PostgreSQL breaks only after a second; measured: most claims failed under 64 donors).
    /// One batched connection per server avoids that but does one statement at a time, each
    /// a round trip (298 claims/s against 591 with four connections, same machine).
    pub async fn start_postgres(url: &str, connections: usize) -> anyhow::Result<Writer> {
        let (jobs, queue) = mpsc::unbounded_channel::<Job>();
        let queue = Arc::new(std::sync::Mutex::new(queue));
        let commits = Arc::new(AtomicU64::new(0));
        let runtime = tokio::runtime::Handle::current();
        for n in 0..connections.max(1) {
            let (opened, open_result) = oneshot::channel();
            let (url, runtime, queue, counted) = (
                url.to_owned(),
                runtime.clone(),
                queue.clone(),
                commits.clone(),
            );
            std::thread::Builder::new()
                .name(format!("microwish-writer-{n}"))
                .spawn(move || match Pg::connect(&url, runtime) {
                    Ok(connection) => {
                        let _ = opened.send(Ok(()));
                        write_batches(&Db::Postgres(connection), &queue, 1, &counted);
                    }
                    Err(error) => {
                        let _ = opened.send(Err(anyhow::anyhow!("{error}")));
                    }
                })?;
            open_result
                .await
                .map_err(|_| anyhow::anyhow!("the writer thread stopped while opening"))??;
        }
        Ok(Writer { jobs, commits })
    }

    /// How many batches this process has committed (it grows before their callers hear).
    pub fn commits(&self) -> Arc<AtomicU64> {
        self.commits.clone()
    }

    /// Runs `work` in the write transaction; its result once the transaction has committed.
    /// An `Err` from `work` undoes whatever it wrote (its savepoint is rolled back).
    pub async fn write<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Tx) -> Result<T, ApiError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel::<Result<T, ApiError>>();
        let job: Job = Box::new(move |connection| {
            let outcome = work(connection);
            Ran {
                keep: outcome.is_ok(),
                answer: Box::new(move |committed| {
                    let _ = reply.send(match committed {
                        Ok(()) => outcome,
                        Err(error) => Err(ApiError::Internal(error)),
                    });
                }),
            }
        });
        self.jobs
            .send(job)
            .map_err(|_| ApiError::Internal("the writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| ApiError::Internal("the writer dropped a write".into()))?
    }
}

/// The write connection: the pool's settings (WAL, durability, foreign keys, a busy timeout
/// for other server processes on the file) and room for every statement the commands use.
fn open(file: &Path, synchronous: SqliteSynchronous) -> anyhow::Result<Connection> {
    let connection = Connection::open(file)?;
    connection.busy_handler(Some(wait_for_write_lock))?;
    connection.set_prepared_statement_cache_capacity(256);
    let synchronous = match synchronous {
        SqliteSynchronous::Off => "OFF",
        SqliteSynchronous::Normal => "NORMAL",
        SqliteSynchronous::Full => "FULL",
        SqliteSynchronous::Extra => "EXTRA",
    };
    // A page cache of 64 MiB (SQLite's default is 2 MiB): the rows and indexes a claim
    // touches stay in memory instead of being read back from the file for every batch.
    // A checkpoint every 4,000 pages of log (16 MiB) rather than 1,000: the same hot pages
    // (a wish's row, the indexes' last leaves) are copied back once per checkpoint, not four
    // times; larger still and one checkpoint stalls the queue for long (p99 over 100 ms at a
    // million claims with 10,000). The log file is cut back to 64 MiB when it restarts.
    // Temporary storage in memory: each command's savepoint keeps the pages it changes in a
    // statement journal, which SQLite otherwise spills to a temporary file past 64 KiB, a
    // write to disk for every page of every command of a batch.
    connection.execute_batch(&format!(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = {synchronous}; \
         PRAGMA foreign_keys = ON; PRAGMA cache_size = -65536; PRAGMA temp_store = MEMORY; \
         PRAGMA wal_autocheckpoint = 4000; PRAGMA journal_size_limit = 67108864;"
    ))?;
    Ok(connection)
}

/// How long a write waits for another server process's write lock before failing.
const LOCK_WAIT: Duration = Duration::from_secs(5);

/// When this process last had to wait for the write lock (milliseconds on [`since_start`]'s
/// clock; 0: never): another server process is writing to the same file.
static LAST_WAITED_MS: AtomicU64 = AtomicU64::new(0);

fn since_start() -> Duration {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed()
}

/// SQLite's busy handler while another server process holds the write lock: try again every
/// 0.1 ms, for [`LOCK_WAIT`] in all. SQLite's own (`busy_timeout`) sleeps longer and longer,
/// up to 100 ms a try, so a writer that keeps the lock busy starves the other process (p99
/// 1.8 s with two servers on one file under load).
fn wait_for_write_lock(tries: i32) -> bool {
    const PAUSE: Duration = Duration::from_micros(100);
    LAST_WAITED_MS.store(since_start().as_millis() as u64 + 1, Ordering::Relaxed);
    if PAUSE * u32::try_from(tries).unwrap_or(u32::MAX) >= LOCK_WAIT {
        return false;
    }
    std::thread::sleep(PAUSE);
    true
}

/// After a commit, while another process has been waiting for the lock lately, leave it a
/// moment to take the lock before the next batch (a writer with a queue would otherwise take
/// it straight back, and the other would only get it by chance).
fn make_way_for_other_writers() {
    let waited = LAST_WAITED_MS.load(Ordering::Relaxed);
    if waited > 0 && since_start().as_millis() as u64 <= waited + 1_000 {
        std::thread::sleep(Duration::from_micros(300));
    }
}

/// Runs `work` in a savepoint of its own inside the caller's transaction: kept when it
/// succeeds, undone when it fails (sync push keeps a rejected mutation's result, not its
/// effects).
pub fn in_savepoint<T, E: From<ApiError>>(
    tx: &Tx,
    work: impl FnOnce(&Tx) -> Result<T, E>,
) -> Result<T, E> {
    run(tx, "SAVEPOINT nested")?;
    let outcome = work(tx);
    match &outcome {
        Ok(_) => run(tx, "RELEASE nested")?,
        Err(_) => {
            run(tx, "ROLLBACK TO nested")?;
            run(tx, "RELEASE nested")?
        }
    }
    outcome
}

/// The writer's loop: take what has queued (at least one), run it in one transaction,
/// commit, then answer everyone in it.
fn write_batches(
    connection: &Db,
    queue: &std::sync::Mutex<mpsc::UnboundedReceiver<Job>>,
    batch_max: usize,
    commits: &AtomicU64,
) {
    let mut batch = Vec::with_capacity(batch_max);
    loop {
        {
            // Several writers may share the queue (PostgreSQL): one waits at a time.
            let mut queue = queue.lock().unwrap_or_else(|p| p.into_inner());
            match queue.blocking_recv() {
                Some(first) => batch.push(first),
                None => return,
            }
            while batch.len() < batch_max {
                match queue.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
        }
        let mut answers = Vec::with_capacity(batch.len());
        let committed = run_batch(connection, batch.drain(..), &mut answers)
            .map_err(|error| format!("write failed: {error}"));
        match &committed {
            Ok(()) => {
                commits.fetch_add(1, Ordering::Release);
            }
            Err(error) => tracing::error!(%error, jobs = answers.len(), "a write batch failed"),
        }
        for answer in answers {
            answer(committed.clone());
        }
        make_way_for_other_writers();
    }
}

/// Runs the jobs in one transaction. A job that never ran (the batch failed first) is dropped,
/// and its caller hears that its write did not happen.
fn run_batch(
    connection: &Db,
    mut jobs: impl ExactSizeIterator<Item = Job>,
    answers: &mut Vec<Answer>,
) -> Result<(), ApiError> {
    connection.begin_write()?;
    if jobs.len() == 1 {
        // A batch of one (PostgreSQL's always, SQLite's when quiet) needs no savepoint: the
        // transaction is the job's own, committed or rolled back as the job says.
        let job = jobs.next().expect("one job");
        let ran = std::panic::catch_unwind(AssertUnwindSafe(|| job(connection)));
        let ended = match ran {
            Ok(ran) => {
                answers.push(ran.answer);
                connection.batch(if ran.keep { "COMMIT" } else { "ROLLBACK" })
            }
            Err(_) => {
                tracing::error!("a write panicked; it was undone");
                connection.batch("ROLLBACK")
            }
        };
        if ended.is_err() && connection.in_transaction() {
            let _ = connection.batch("ROLLBACK");
        }
        return ended;
    }
    let ran = run_jobs(connection, jobs, answers).and_then(|()| connection.batch("COMMIT"));
    if ran.is_err() && connection.in_transaction() {
        let _ = connection.batch("ROLLBACK");
    }
    ran
}

fn run_jobs(
    connection: &Db,
    jobs: impl Iterator<Item = Job>,
    answers: &mut Vec<Answer>,
) -> Result<(), ApiError> {
    for job in jobs {
        run(connection, "SAVEPOINT job")?;
        // A bug that panics in one command must not take the writer (and every later
        // write) down with it: that command's caller hears its write failed, the rest go on.
        let keep = match std::panic::catch_unwind(AssertUnwindSafe(|| job(connection))) {
            Ok(ran) => {
                answers.push(ran.answer);
                ran.keep
            }
            Err(_) => {
                tracing::error!("a write panicked; it was undone");
                false
            }
        };
        if !keep {
            run(connection, "ROLLBACK TO job")?;
        }
        run(connection, "RELEASE job")?;
    }
    Ok(())
}

/// A statement without parameters, prepared once per connection (a savepoint's, run for
/// every command).
fn run(connection: &Db, sql: &str) -> Result<(), ApiError> {
    connection.execute(sql, &[])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db;

    /// Jobs queued together share a transaction, yet a failed one leaves no trace and the
    /// others keep theirs; each caller hears its own result.
    #[tokio::test]
    async fn a_failed_job_leaves_no_trace_and_spares_its_batch() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("w.db");
        let pool = db::connect(&format!("sqlite://{}", file.display()))
            .await
            .unwrap();
        sqlx::query("CREATE TABLE marks (n INTEGER PRIMARY KEY)")
            .execute(&pool)
            .await
            .unwrap();
        let writer = Writer::start(&file, SqliteSynchronous::Full).await.unwrap();
        let mark = |n: i64, fail: bool| {
            let writer = writer.clone();
            async move {
                writer
                    .write(move |tx| {
                        tx.execute("INSERT INTO marks (n) VALUES (?)", crate::args![n])?;
                        if fail {
                            return Err(ApiError::Internal("refused".into()));
                        }
                        Ok(n)
                    })
                    .await
            }
        };
        let tasks: Vec<_> = (1..=30)
            .map(|n| tokio::spawn(mark(n, n % 3 == 0)))
            .collect();
        let mut results = Vec::new();
        for task in tasks {
            results.push(task.await.unwrap());
        }
        for (n, result) in (1..=30).zip(&results) {
            assert_eq!(result.is_ok(), n % 3 != 0, "job {n}: {result:?}");
        }
        let kept: Vec<(i64,)> = sqlx::query_as("SELECT n FROM marks ORDER BY n")
            .fetch_all(&pool)
            .await
            .unwrap();
        let expected: Vec<(i64,)> = (1..=30).filter(|n| n % 3 != 0).map(|n| (n,)).collect();
        assert_eq!(kept, expected);

        // A command that panics (a bug) fails alone and undone; the writer goes on.
        let panicked = writer
            .write(|tx| {
                tx.execute("INSERT INTO marks (n) VALUES (100)", &[])?;
                if std::hint::black_box(true) {
                    panic!("a bug in a command");
                }
                Ok(())
            })
            .await;
        assert!(panicked.is_err());
        assert_eq!(mark(101, false).await.unwrap(), 101);
        let after: Vec<(i64,)> = sqlx::query_as("SELECT n FROM marks WHERE n >= 100")
            .fetch_all(&pool)
            .await
            .unwrap();
        assert_eq!(after, [(101,)], "the panicked write left nothing");

        // A savepoint inside a job: its failure undoes only what it wrote.
        let kept = writer
            .write(|tx| {
                tx.execute("INSERT INTO marks (n) VALUES (200)", &[])?;
                let inner = in_savepoint(tx, |tx| -> Result<(), ApiError> {
                    tx.execute("INSERT INTO marks (n) VALUES (201)", &[])?;
                    Err(ApiError::Internal("rejected".into()))
                });
                assert!(inner.is_err());
                Ok(())
            })
            .await;
        assert!(kept.is_ok());
        let after: Vec<(i64,)> = sqlx::query_as("SELECT n FROM marks WHERE n >= 200")
            .fetch_all(&pool)
            .await
            .unwrap();
        assert_eq!(after, [(200,)], "the rejected inner write left nothing");
    }
}
