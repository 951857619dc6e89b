//! The one writer: every command's transaction runs on a single connection, owned by a
//! thread of its own, and the commands that arrive together share one transaction
//! (group commit: one `BEGIN IMMEDIATE`, one sync of the log for the whole batch).
//!
//! Why: with a pool, concurrent writers queue inside SQLite's busy handler, which sleeps and
//! retries, so the write lock sits idle while the requests wait (p99 near a second at 64
//! donors). Here writers queue in memory, in order, and the lock is never idle while work
//! waits. Each command runs in a savepoint, so one refused or failed command leaves no trace
//! in its batch; every caller hears its result only after the batch has committed, so an
//! acknowledged write is durable. The queue is bounded: a write that finds it full is
//! answered 503 `busy` at once rather than left waiting behind a flood. Another server
//! process on the same file still takes the lock through SQLite (`BEGIN IMMEDIATE` and the
//! busy timeout), so the database's own compare-and-set and CHECKs keep guarding the
//! quantities.
//!
//! The connection is rusqlite's, called directly on this thread: sqlx's hands every statement
//! to a worker thread of its own and waits for the answer, two thread switches per statement,
//! which was most of what a claim cost (1,277 claims/s, p99 73 ms at 64 donors).

use std::cell::Cell;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use rusqlite::Connection;
use sqlx::sqlite::SqliteSynchronous;
use tokio::sync::{mpsc, oneshot};

use crate::error::{ApiError, ApiResult};
use crate::store::sql::{Arg, Db, Pg, Row, StoreError};

/// The most commands in one transaction (a batch is what queued while the last committed).
const BATCH_MAX: usize = 256;

/// The most writes waiting their turn; more are answered 503 `busy` with `Retry-After` at
/// once rather than queued for ever longer (a few hundred milliseconds of claims at full
/// speed, a backlog only a flood builds).
pub const QUEUE_MAX: usize = 1024;

/// How long a write turned away by a full queue is asked to wait.
const FULL_RETRY_AFTER: u64 = 1;

/// A queued piece of work, called with the batch's transaction to run in (its own savepoint),
/// or with none when its batch failed before its turn; answers whether to keep what it wrote,
/// and hands back how to tell its caller once the batch's fate is known.
type Job = Box<dyn FnOnce(Option<&Tx>) -> Ran + Send>;

struct Ran {
    keep: bool,
    answer: Answer,
}

/// Tells a caller its result, or why its batch did not commit.
type Answer = Box<dyn FnOnce(Result<(), StoreError>) + Send>;

/// The handle every request uses to write; cloning it is cheap.
#[derive(Clone)]
pub struct Writer {
    jobs: mpsc::Sender<Job>,
    commits: Arc<AtomicU64>,
}

impl Writer {
    /// Opens the write connection to the (already migrated) database `file` on a thread of
    /// its own; it lives as long as a handle does. At most `queue` writes wait their turn.
    pub async fn start(
        file: &Path,
        synchronous: SqliteSynchronous,
        queue: usize,
    ) -> anyhow::Result<Writer> {
        let (jobs, queue) = mpsc::channel::<Job>(queue.max(1));
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
                    write_batches(&Db::Sqlite(connection), &queue, BATCH_MAX, &counted, None);
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
    /// Changes are numbered after their commits, not in them (see [`Stamper`]): the
    /// connections' commits overlap.
    /// Not batched as on SQLite: commands batched together lock their rows in whatever order
    /// they queued, and two connections' batches then wait for each other (deadlocks that
    /// PostgreSQL breaks only after a second; measured: most claims failed under 64 donors).
    /// One batched connection per server avoids that but does one statement at a time, each
    /// a round trip (298 claims/s against 591 with four connections, same machine).
    pub async fn start_postgres(
        url: &str,
        connections: usize,
        queue: usize,
    ) -> anyhow::Result<Writer> {
        let (jobs, queue) = mpsc::channel::<Job>(queue.max(1));
        let queue = Arc::new(std::sync::Mutex::new(queue));
        let commits = Arc::new(AtomicU64::new(0));
        let stamper = Arc::new(Stamper::default());
        let runtime = tokio::runtime::Handle::current();
        for n in 0..connections.max(1) {
            let (opened, open_result) = oneshot::channel();
            let (url, runtime, queue, counted, stamper) = (
                url.to_owned(),
                runtime.clone(),
                queue.clone(),
                commits.clone(),
                stamper.clone(),
            );
            std::thread::Builder::new()
                .name(format!("microwish-writer-{n}"))
                .spawn(move || match Pg::connect(&url, runtime.clone()) {
                    Ok(connection) => {
                        let _ = opened.send(Ok(()));
                        let mut connection = Db::Postgres(connection);
                        while let Stopped::ConnectionLost =
                            write_batches(&connection, &queue, 1, &counted, Some(&stamper))
                        {
                            connection = Db::Postgres(reconnect(&url, &runtime));
                        }
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
    /// An `Err` from `work` undoes whatever it wrote (its savepoint is rolled back). When
    /// [`QUEUE_MAX`] writes (or the number the writer was started with) already wait, nothing
    /// is done: 503 `busy`, to come back after `Retry-After`.
    pub async fn write<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce(&Tx) -> Result<T, ApiError> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel::<Result<T, ApiError>>();
        let job: Job = Box::new(move |tx| {
            let outcome = match tx {
                Some(tx) => work(tx),
                // Never seen: a batch that failed first answers with why it failed.
                None => Err(ApiError::Internal("its batch failed before it ran".into())),
            };
            Ran {
                keep: outcome.is_ok(),
                answer: Box::new(move |committed| {
                    let _ = reply.send(committed.map_err(ApiError::Store).and(outcome));
                }),
            }
        });
        self.jobs.try_send(job).map_err(|refused| match refused {
            mpsc::error::TrySendError::Full(_) => ApiError::Busy {
                retry_after: FULL_RETRY_AFTER,
            },
            mpsc::error::TrySendError::Closed(_) => {
                ApiError::Internal("the writer has stopped".into())
            }
        })?;
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

/// The write transaction a job runs in: statements and savepoints, but not the transaction's
/// own begin, commit or rollback, which only the writer's loop (holding the connection) does.
pub struct Tx<'c> {
    db: &'c Db,
    /// Savepoints open now: each is named after its depth, so nested ones never share a name.
    savepoints: Cell<usize>,
    /// Whether a change was logged for sync (then PostgreSQL numbers it after the commit).
    changed: Cell<bool>,
}

impl<'c> Tx<'c> {
    /// Starts the write transaction on the writer's connection.
    fn begin(db: &'c Db) -> ApiResult<Tx<'c>> {
        db.begin_write()?;
        Ok(Tx {
            db,
            savepoints: Cell::new(0),
            changed: Cell::new(false),
        })
    }

    /// Commits (`keep`) or rolls back; a failed commit is rolled back too.
    fn end(self, keep: bool) -> ApiResult<()> {
        let ended = self.db.batch(if keep { "COMMIT" } else { "ROLLBACK" });
        if ended.is_err() && self.db.in_transaction() {
            let _ = self.db.batch("ROLLBACK");
        }
        ended
    }

    /// Runs a statement; how many rows it changed.
    pub fn execute(&self, sql: &str, args: &[&dyn Arg]) -> ApiResult<usize> {
        self.db.execute(not_transaction_control(sql)?, args)
    }

    /// The connection, for a read written once for both the reader and a write transaction
    /// (a `SELECT` cannot end the transaction).
    pub fn reads(&self) -> &Db {
        self.db
    }

    /// Every row a query returns, each read by `read`.
    pub fn query<T>(
        &self,
        sql: &str,
        args: &[&dyn Arg],
        read: impl FnMut(&Row) -> ApiResult<T>,
    ) -> ApiResult<Vec<T>> {
        self.db.query(not_transaction_control(sql)?, args, read)
    }

    /// The first row a query returns, read by `read`; `None` when there is none.
    pub fn query_row<T>(
        &self,
        sql: &str,
        args: &[&dyn Arg],
        read: impl FnOnce(&Row) -> ApiResult<T>,
    ) -> ApiResult<Option<T>> {
        self.db.query_row(not_transaction_control(sql)?, args, read)
    }

    /// See [`Db::lock_key`].
    pub fn lock_key(&self, key: &str) -> ApiResult<()> {
        self.db.lock_key(key)
    }

    pub fn is_postgres(&self) -> bool {
        self.db.is_postgres()
    }

    /// Notes that this transaction logged a change for sync (see `store::sync::log_change`).
    pub fn logged_change(&self) {
        self.changed.set(true);
    }

    /// Opens a savepoint one deeper than those open; its depth, to end it with.
    fn open_savepoint(&self) -> ApiResult<usize> {
        let depth = self.savepoints.get() + 1;
        self.db.execute(&format!("SAVEPOINT s{depth}"), &[])?;
        self.savepoints.set(depth);
        Ok(depth)
    }

    /// Ends the savepoint at `depth` (and any a panic left open inside it), keeping what was
    /// written in it or undoing it.
    fn end_savepoint(&self, depth: usize, keep: bool) -> ApiResult<()> {
        self.savepoints.set(depth - 1);
        if !keep {
            self.db.execute(&format!("ROLLBACK TO s{depth}"), &[])?;
        }
        self.db.execute(&format!("RELEASE s{depth}"), &[])?;
        Ok(())
    }
}

/// `sql`, unless it would begin, end or roll back a transaction or a savepoint: those are the
/// writer's (a job that committed would commit its whole batch, half-done commands included).
fn not_transaction_control(sql: &str) -> ApiResult<&str> {
    const CONTROL: [&str; 8] = [
        "BEGIN",
        "START",
        "COMMIT",
        "END",
        "ROLLBACK",
        "ABORT",
        "SAVEPOINT",
        "RELEASE",
    ];
    let first = sql.split_whitespace().next().unwrap_or_default();
    if CONTROL.iter().any(|word| first.eq_ignore_ascii_case(word)) {
        return Err(ApiError::Internal(format!(
            "a write may not run {first:?}: the writer owns the transaction"
        )));
    }
    Ok(sql)
}

/// Runs `work` in a savepoint of its own inside the caller's transaction: kept when it
/// succeeds, undone when it fails (sync push keeps a rejected mutation's result, not its
/// effects).
pub fn in_savepoint<T, E: From<ApiError>>(
    tx: &Tx,
    work: impl FnOnce(&Tx) -> Result<T, E>,
) -> Result<T, E> {
    let depth = tx.open_savepoint()?;
    let outcome = work(tx);
    tx.end_savepoint(depth, outcome.is_ok())?;
    outcome
}

/// Numbers the changes of this server's PostgreSQL commits once they have committed (see
/// migrations-postgres/0030): after a batch that logged a change, its writer asks for a round
/// of numbering and answers its callers only once one has run that began after its commit, so
/// an acknowledged change is in the next pull, through whichever server. One writer runs a
/// round at a time, for everything committed so far; the others wait for it, so one round's
/// log sync serves every commit that came before it.
#[derive(Default)]
struct Stamper {
    rounds: std::sync::Mutex<Rounds>,
    round_done: std::sync::Condvar,
}

#[derive(Default)]
struct Rounds {
    /// Commits that asked for a round (each is given the count as its ticket).
    asked: u64,
    /// Every ticket up to this one has had its round.
    served: u64,
    running: bool,
}

impl Stamper {
    fn stamp_after_commit(&self, connection: &Db) {
        let mut rounds = self.rounds.lock().unwrap_or_else(|p| p.into_inner());
        rounds.asked += 1;
        let ticket = rounds.asked;
        while rounds.served < ticket {
            if rounds.running {
                rounds = self
                    .round_done
                    .wait(rounds)
                    .unwrap_or_else(|p| p.into_inner());
                continue;
            }
            // This writer runs the round, for every ticket handed out so far: their commits
            // came before the round's first statement, which sees them.
            rounds.running = true;
            let covers = rounds.asked;
            drop(rounds);
            if let Err(error) = crate::store::sync::stamp(connection) {
                // The changes are committed: the next round, or the server's watch within
                // its interval, numbers them.
                tracing::error!(%error, "numbering committed changes failed");
            }
            rounds = self.rounds.lock().unwrap_or_else(|p| p.into_inner());
            rounds.running = false;
            rounds.served = rounds.served.max(covers);
            self.round_done.notify_all();
        }
    }
}

/// Connects again to PostgreSQL after the writer's connection was lost (the database
/// restarted, say), trying every quarter second for as long as it takes; writes wait in the
/// queue meanwhile (turned away with 503 `busy` once it is full).
fn reconnect(url: &str, runtime: &tokio::runtime::Handle) -> Pg {
    let mut tries = 0_u64;
    loop {
        match Pg::connect(url, runtime.clone()) {
            Ok(connection) => {
                tracing::info!(tries, "the writer connected to PostgreSQL again");
                return connection;
            }
            Err(error) => {
                if tries.is_multiple_of(40) {
                    tracing::warn!(%error, "the writer cannot reach PostgreSQL; trying again");
                }
                tries += 1;
                std::thread::sleep(Duration::from_millis(250));
            }
        }
    }
}

/// Why a writer's loop ended.
enum Stopped {
    /// Every handle is gone: the server is stopping.
    Closed,
    /// A batch failed and the connection no longer answers (PostgreSQL went away).
    ConnectionLost,
}

/// The writer's loop: take what has queued (at least one), run it in one transaction,
/// commit, then answer everyone in it.
fn write_batches(
    connection: &Db,
    queue: &std::sync::Mutex<mpsc::Receiver<Job>>,
    batch_max: usize,
    commits: &AtomicU64,
    stamper: Option<&Stamper>,
) -> Stopped {
    let mut batch = Vec::with_capacity(batch_max);
    loop {
        {
            // Several writers may share the queue (PostgreSQL): one waits at a time.
            let mut queue = queue.lock().unwrap_or_else(|p| p.into_inner());
            match queue.blocking_recv() {
                Some(first) => batch.push(first),
                None => return Stopped::Closed,
            }
            while batch.len() < batch_max {
                match queue.try_recv() {
                    Ok(job) => batch.push(job),
                    Err(_) => break,
                }
            }
        }
        let mut answers = Vec::with_capacity(batch.len());
        let mut jobs = batch.drain(..);
        let committed =
            run_batch(connection, &mut jobs, &mut answers).map_err(|error| match error {
                ApiError::Store(error) => error,
                other => StoreError::other(other.to_string()),
            });
        // The jobs the failure came before: their callers hear it too.
        answers.extend(jobs.map(|job| job(None).answer));
        match &committed {
            Ok(changed) => {
                if let (true, Some(stamper)) = (changed, stamper) {
                    stamper.stamp_after_commit(connection);
                }
                commits.fetch_add(1, Ordering::Release);
            }
            Err(error) => tracing::error!(%error, jobs = answers.len(), "a write batch failed"),
        }
        let committed = committed.map(|_| ());
        for answer in answers {
            answer(committed.clone());
        }
        if committed.is_err() && !connection.answers() {
            return Stopped::ConnectionLost;
        }
        make_way_for_other_writers();
    }
}

/// Runs the jobs in one transaction, taking them from `jobs` as it goes (those left when it
/// fails never ran); whether it logged a change for sync.
fn run_batch(
    connection: &Db,
    jobs: &mut impl ExactSizeIterator<Item = Job>,
    answers: &mut Vec<Answer>,
) -> Result<bool, ApiError> {
    let tx = Tx::begin(connection)?;
    if jobs.len() == 1 {
        // A batch of one (PostgreSQL's always, SQLite's when quiet) needs no savepoint: the
        // transaction is the job's own, committed or rolled back as the job says.
        let job = jobs.next().expect("one job");
        let keep = match std::panic::catch_unwind(AssertUnwindSafe(|| job(Some(&tx)))) {
            Ok(ran) => {
                answers.push(ran.answer);
                ran.keep
            }
            Err(_) => {
                tracing::error!("a write panicked; it was undone");
                false
            }
        };
        let changed = keep && tx.changed.get();
        return tx.end(keep).map(|()| changed);
    }
    match run_jobs(&tx, jobs, answers) {
        Ok(()) => {
            let changed = tx.changed.get();
            tx.end(true).map(|()| changed)
        }
        Err(error) => {
            let _ = tx.end(false);
            Err(error)
        }
    }
}

fn run_jobs(
    tx: &Tx,
    jobs: &mut impl Iterator<Item = Job>,
    answers: &mut Vec<Answer>,
) -> Result<(), ApiError> {
    for job in jobs {
        let depth = match tx.open_savepoint() {
            Ok(depth) => depth,
            Err(error) => {
                answers.push(job(None).answer);
                return Err(error);
            }
        };
        // A bug that panics in one command must not take the writer (and every later
        // write) down with it: that command's caller hears its write failed, the rest go on.
        let keep = match std::panic::catch_unwind(AssertUnwindSafe(|| job(Some(tx)))) {
            Ok(ran) => {
                answers.push(ran.answer);
                ran.keep
            }
            Err(_) => {
                tracing::error!("a write panicked; it was undone");
                false
            }
        };
        tx.end_savepoint(depth, keep)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db;
    use crate::store::sql::Failure;
    use axum::response::IntoResponse;
    use microwish_core::ProblemCode;

    /// A writer on a new database with a table of marks (numbers, each once), at most
    /// `queue` writes waiting; the directory, the pool to read back, the writer.
    async fn marks(queue: usize) -> (tempfile::TempDir, sqlx::SqlitePool, Writer) {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("w.db");
        let pool = db::connect(&format!("sqlite://{}", file.display()))
            .await
            .unwrap();
        sqlx::query("CREATE TABLE marks (n INTEGER PRIMARY KEY)")
            .execute(&pool)
            .await
            .unwrap();
        let writer = Writer::start(&file, SqliteSynchronous::Full, queue)
            .await
            .unwrap();
        (dir, pool, writer)
    }

    impl Writer {
        /// [`Writer::write`] by a handle of its own, for a task to own.
        async fn write_owned<T, F>(self, work: F) -> Result<T, ApiError>
        where
            T: Send + 'static,
            F: FnOnce(&Tx) -> Result<T, ApiError> + Send + 'static,
        {
            self.write(work).await
        }
    }

    async fn marked(pool: &sqlx::SqlitePool) -> Vec<i64> {
        sqlx::query_scalar("SELECT n FROM marks ORDER BY n")
            .fetch_all(pool)
            .await
            .unwrap()
    }

    /// The status, code and `Retry-After` an error is answered with.
    fn answered(error: ApiError) -> (u16, ProblemCode, Option<String>) {
        let code = error.code();
        let response = error.into_response();
        let retry_after = response
            .headers()
            .get("retry-after")
            .map(|value| value.to_str().unwrap().to_owned());
        (response.status().as_u16(), code, retry_after)
    }

    /// Jobs queued together share a transaction, yet a failed one leaves no trace and the
    /// others keep theirs; each caller hears its own result.
    #[tokio::test]
    async fn a_failed_job_leaves_no_trace_and_spares_its_batch() {
        let (_dir, pool, writer) = marks(QUEUE_MAX).await;
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

    /// Back-pressure: with the writer busy and its queue full, a write is turned away at once
    /// (503 `busy`, come back in a second) and does nothing; once the writer is free again,
    /// everything queued is written and new writes are taken.
    #[tokio::test]
    async fn a_full_queue_turns_writes_away_at_once() {
        let (_dir, pool, writer) = marks(1).await;
        let (started, running) = oneshot::channel();
        let (release, released) = std::sync::mpsc::channel::<()>();
        let blocking = tokio::spawn(writer.clone().write_owned(move |tx| {
            let _ = started.send(());
            released.recv().unwrap();
            tx.execute("INSERT INTO marks (n) VALUES (1)", &[])?;
            Ok(())
        }));
        running.await.unwrap();
        // The writer is held: the next write waits in the queue, which then is full.
        let mut queued =
            Box::pin(writer.write(|tx| tx.execute("INSERT INTO marks (n) VALUES (2)", &[])));
        let waited = tokio::time::timeout(Duration::from_millis(50), &mut queued).await;
        assert!(waited.is_err(), "the second write waits its turn");

        let refused = writer
            .write(|tx| tx.execute("INSERT INTO marks (n) VALUES (3)", &[]))
            .await
            .unwrap_err();
        assert!(
            matches!(refused, ApiError::Busy { retry_after: 1 }),
            "{refused:?}"
        );
        assert_eq!(
            answered(refused),
            (503, ProblemCode::Busy, Some("1".to_owned()))
        );

        release.send(()).unwrap();
        blocking.await.unwrap().unwrap();
        assert_eq!(queued.await.unwrap(), 1);
        writer
            .write(|tx| tx.execute("INSERT INTO marks (n) VALUES (4)", &[]))
            .await
            .unwrap();
        assert_eq!(
            marked(&pool).await,
            [1, 2, 4],
            "the refused write did nothing"
        );
    }

    /// A job holds the transaction's statements, not the transaction: beginning, committing or
    /// rolling back (or a savepoint by hand) is refused, and its batch is untouched.
    #[tokio::test]
    async fn a_job_cannot_begin_commit_or_roll_back_the_transaction() {
        let (_dir, pool, writer) = marks(QUEUE_MAX).await;
        for control in [
            "COMMIT",
            "  commit",
            "END TRANSACTION",
            "ROLLBACK",
            "BEGIN IMMEDIATE",
            "SAVEPOINT mine",
            "RELEASE s1",
            "ROLLBACK TO s1",
        ] {
            let tried = writer
                .write(move |tx| {
                    tx.execute("INSERT INTO marks (n) VALUES (1)", &[])?;
                    tx.execute(control, &[])?;
                    tx.execute("INSERT INTO marks (n) VALUES (2)", &[])?;
                    Ok(())
                })
                .await
                .unwrap_err();
            assert!(
                tried
                    .to_string()
                    .contains("the writer owns the transaction"),
                "{control}: {tried}"
            );
            let queried = writer
                .write(move |tx| tx.query(control, &[], |_| Ok(())))
                .await;
            assert!(queried.is_err(), "{control}");
        }
        // Nothing of those jobs was kept, and the writer's own transactions go on.
        writer
            .write(|tx| tx.execute("INSERT INTO marks (n) VALUES (3)", &[]))
            .await
            .unwrap();
        assert_eq!(marked(&pool).await, [3]);
    }

    /// Savepoints nest, each named after its depth: an inner one that fails is undone alone,
    /// the outer one around it is kept with what it wrote before and after.
    #[tokio::test]
    async fn nested_savepoints_have_names_of_their_own_and_fail_alone() {
        let (_dir, pool, writer) = marks(QUEUE_MAX).await;
        writer
            .write(|tx| {
                let base = tx.savepoints.get();
                tx.execute("INSERT INTO marks (n) VALUES (1)", &[])?;
                in_savepoint(tx, |tx| -> ApiResult<()> {
                    assert_eq!(tx.savepoints.get(), base + 1);
                    tx.execute("INSERT INTO marks (n) VALUES (2)", &[])?;
                    let inner = in_savepoint(tx, |tx| -> ApiResult<()> {
                        assert_eq!(tx.savepoints.get(), base + 2, "a name of its own");
                        tx.execute("INSERT INTO marks (n) VALUES (3)", &[])?;
                        Err(ApiError::Internal("rejected".into()))
                    });
                    assert!(inner.is_err());
                    assert_eq!(tx.savepoints.get(), base + 1);
                    tx.execute("INSERT INTO marks (n) VALUES (4)", &[])?;
                    Ok(())
                })?;
                assert_eq!(tx.savepoints.get(), base);
                // A sibling after them takes the freed depth; undone, it leaves the rest.
                let sibling = in_savepoint(tx, |tx| -> ApiResult<()> {
                    assert_eq!(tx.savepoints.get(), base + 1);
                    tx.execute("INSERT INTO marks (n) VALUES (5)", &[])?;
                    Err(ApiError::Internal("rejected too".into()))
                });
                assert!(sibling.is_err());
                Ok(())
            })
            .await
            .unwrap();
        assert_eq!(marked(&pool).await, [1, 2, 4]);

        // Two levels where the outer fails: everything in it goes, inner successes included.
        writer
            .write(|tx| {
                let outer = in_savepoint(tx, |tx| -> ApiResult<()> {
                    tx.execute("INSERT INTO marks (n) VALUES (6)", &[])?;
                    in_savepoint(tx, |tx| tx.execute("INSERT INTO marks (n) VALUES (7)", &[]))?;
                    Err(ApiError::Internal("the outer one is refused".into()))
                });
                assert!(outer.is_err());
                Ok(())
            })
            .await
            .unwrap();
        assert_eq!(marked(&pool).await, [1, 2, 4]);
    }

    /// A job whose statement breaks a UNIQUE constraint hears it typed: a conflict (409
    /// `id_conflict`), not a server failure; its batch is spared.
    #[tokio::test]
    async fn a_broken_unique_constraint_is_a_conflict() {
        let (_dir, pool, writer) = marks(QUEUE_MAX).await;
        writer
            .write(|tx| tx.execute("INSERT INTO marks (n) VALUES (1)", &[]))
            .await
            .unwrap();
        let again = writer
            .write(|tx| tx.execute("INSERT INTO marks (n) VALUES (1)", &[]))
            .await
            .unwrap_err();
        assert!(again.is(Failure::Unique), "{again:?}");
        assert!(!again.is_server_error());
        // What a client (or a rejected mutation's result) is told names no table.
        assert!(!again.detail().contains("marks"), "{}", again.detail());
        assert_eq!(answered(again), (409, ProblemCode::IdConflict, None));
        assert_eq!(marked(&pool).await, [1]);
    }

    /// A commit that fails (here a deferred foreign key, checked only at COMMIT) is told to
    /// every caller in the batch, typed, rather than as a string; nothing of the batch stays.
    #[tokio::test]
    async fn a_failed_commit_is_told_to_every_caller_typed() {
        let (_dir, pool, writer) = marks(QUEUE_MAX).await;
        sqlx::query(
            "CREATE TABLE notes (n INTEGER PRIMARY KEY, \
             mark INTEGER REFERENCES marks (n) DEFERRABLE INITIALLY DEFERRED)",
        )
        .execute(&pool)
        .await
        .unwrap();
        // Held so that the next writes queue up and share one batch.
        let (started, running) = oneshot::channel();
        let (release, released) = std::sync::mpsc::channel::<()>();
        let holding = tokio::spawn(writer.clone().write_owned(move |_| {
            let _ = started.send(());
            released.recv().unwrap();
            Ok(())
        }));
        running.await.unwrap();
        let dangling = tokio::spawn(
            writer
                .clone()
                .write_owned(|tx| tx.execute("INSERT INTO notes (n, mark) VALUES (1, 99)", &[])),
        );
        let innocent = tokio::spawn(
            writer
                .clone()
                .write_owned(|tx| tx.execute("INSERT INTO marks (n) VALUES (5)", &[])),
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
        release.send(()).unwrap();
        holding.await.unwrap().unwrap();
        for failed in [dangling.await.unwrap(), innocent.await.unwrap()] {
            let failed = failed.unwrap_err();
            assert!(failed.is(Failure::ForeignKey), "{failed:?}");
            assert_eq!(answered(failed), (404, ProblemCode::NotFound, None));
        }
        assert_eq!(marked(&pool).await, Vec::<i64>::new());
    }

    /// Another process holding the write lock past the writer's wait: the write is answered
    /// 503 `busy` with `Retry-After` (nothing was done), not a server failure.
    #[tokio::test]
    async fn a_write_lock_held_elsewhere_past_the_wait_is_busy() {
        let (_dir, pool, writer) = marks(QUEUE_MAX).await;
        let mut elsewhere = pool.acquire().await.unwrap();
        sqlx::query("BEGIN IMMEDIATE")
            .execute(&mut *elsewhere)
            .await
            .unwrap();
        let busy = writer
            .write(|tx| tx.execute("INSERT INTO marks (n) VALUES (1)", &[]))
            .await
            .unwrap_err();
        assert!(busy.is(Failure::Busy), "{busy:?}");
        assert!(busy.is_server_error(), "not the request's fault");
        assert_eq!(
            answered(busy),
            (503, ProblemCode::Busy, Some("1".to_owned()))
        );
        sqlx::query("ROLLBACK")
            .execute(&mut *elsewhere)
            .await
            .unwrap();
        drop(elsewhere);
        writer
            .write(|tx| tx.execute("INSERT INTO marks (n) VALUES (2)", &[]))
            .await
            .unwrap();
        assert_eq!(marked(&pool).await, [2]);
    }
}
