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

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use std::panic::AssertUnwindSafe;

use futures_util::future::BoxFuture;
use futures_util::FutureExt;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};
use tokio::sync::{mpsc, oneshot};

use crate::error::ApiError;

/// The most commands in one transaction (a batch is what queued while the last committed).
const BATCH_MAX: usize = 256;

/// A queued piece of work: runs in its savepoint, answers whether to keep it, and hands back
/// how to tell its caller once the batch's fate is known.
type Job = Box<dyn for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Ran> + Send>;

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
    /// Opens the write connection on its own thread; it lives as long as a handle does.
    pub async fn start(options: SqliteConnectOptions) -> anyhow::Result<Writer> {
        let (jobs, queue) = mpsc::unbounded_channel::<Job>();
        let commits = Arc::new(AtomicU64::new(0));
        let counted = commits.clone();
        let (opened, open_result) = oneshot::channel();
        std::thread::Builder::new()
            .name("microwish-writer".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(error) => {
                        let _ = opened.send(Err(anyhow::anyhow!("writer runtime: {error}")));
                        return;
                    }
                };
                runtime.block_on(async move {
                    match SqliteConnection::connect_with(&options).await {
                        Ok(connection) => {
                            let _ = opened.send(Ok(()));
                            write_batches(connection, queue, &counted).await;
                        }
                        Err(error) => {
                            let _ = opened.send(Err(error.into()));
                        }
                    }
                });
            })?;
        open_result
            .await
            .map_err(|_| anyhow::anyhow!("the writer thread stopped while opening"))??;
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
        F: for<'c> FnOnce(&'c mut SqliteConnection) -> BoxFuture<'c, Result<T, ApiError>>
            + Send
            + 'static,
    {
        let (reply, answer) = oneshot::channel::<Result<T, ApiError>>();
        let job: Job = Box::new(move |connection| {
            Box::pin(async move {
                let outcome = work(connection).await;
                Ran {
                    keep: outcome.is_ok(),
                    answer: Box::new(move |committed| {
                        let _ = reply.send(match committed {
                            Ok(()) => outcome,
                            Err(error) => Err(ApiError::Internal(error)),
                        });
                    }),
                }
            })
        });
        self.jobs
            .send(job)
            .map_err(|_| ApiError::Internal("the writer has stopped".into()))?;
        answer
            .await
            .map_err(|_| ApiError::Internal("the writer dropped a write".into()))?
    }
}

/// The writer's loop: take what has queued (at least one), run it in one transaction,
/// commit, then answer everyone in it.
async fn write_batches(
    mut connection: SqliteConnection,
    mut queue: mpsc::UnboundedReceiver<Job>,
    commits: &AtomicU64,
) {
    let mut batch = Vec::with_capacity(BATCH_MAX);
    while queue.recv_many(&mut batch, BATCH_MAX).await > 0 {
        let mut answers = Vec::with_capacity(batch.len());
        let committed = run_batch(&mut connection, batch.drain(..), &mut answers).await;
        let committed = committed.map_err(|error| format!("write failed: {error}"));
        match &committed {
            Ok(()) => {
                commits.fetch_add(1, Ordering::Release);
            }
            Err(error) => tracing::error!(%error, jobs = answers.len(), "a write batch failed"),
        }
        for answer in answers {
            answer(committed.clone());
        }
    }
}

/// Runs the jobs in one transaction. A job that never ran (the batch failed first) is dropped,
/// and its caller hears that its write did not happen.
async fn run_batch(
    connection: &mut SqliteConnection,
    jobs: impl Iterator<Item = Job>,
    answers: &mut Vec<Answer>,
) -> Result<(), sqlx::Error> {
    let mut tx = connection.begin_with("BEGIN IMMEDIATE").await?;
    for job in jobs {
        let mut savepoint = Connection::begin(&mut *tx).await?;
        // A bug that panics in one command must not take the writer (and every later
        // write) down with it: that command's caller hears its write failed, the rest go on.
        match AssertUnwindSafe(job(&mut savepoint)).catch_unwind().await {
            Ok(ran) => {
                answers.push(ran.answer);
                if ran.keep {
                    savepoint.commit().await?;
                } else {
                    savepoint.rollback().await?;
                }
            }
            Err(_) => {
                tracing::error!("a write panicked; it was undone");
                savepoint.rollback().await?;
            }
        }
    }
    tx.commit().await
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
        let url = format!("sqlite://{}", dir.path().join("w.db").display());
        let pool = db::connect(&url).await.unwrap();
        sqlx::query("CREATE TABLE marks (n INTEGER PRIMARY KEY)")
            .execute(&pool)
            .await
            .unwrap();
        let writer =
            Writer::start(db::options(&url, sqlx::sqlite::SqliteSynchronous::Full).unwrap())
                .await
                .unwrap();
        let mark = |n: i64, fail: bool| {
            let writer = writer.clone();
            async move {
                writer
                    .write(move |tx| {
                        Box::pin(async move {
                            sqlx::query("INSERT INTO marks (n) VALUES (?)")
                                .bind(n)
                                .execute(&mut *tx)
                                .await?;
                            if fail {
                                return Err(ApiError::Internal("refused".into()));
                            }
                            Ok(n)
                        })
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
                Box::pin(async move {
                    sqlx::query("INSERT INTO marks (n) VALUES (100)")
                        .execute(&mut *tx)
                        .await?;
                    if std::hint::black_box(true) {
                        panic!("a bug in a command");
                    }
                    Ok(())
                })
            })
            .await;
        assert!(panicked.is_err());
        assert_eq!(mark(101, false).await.unwrap(), 101);
        let after: Vec<(i64,)> = sqlx::query_as("SELECT n FROM marks WHERE n >= 100")
            .fetch_all(&pool)
            .await
            .unwrap();
        assert_eq!(after, [(101,)], "the panicked write left nothing");
    }
}
