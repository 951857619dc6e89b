//! Passwords: argon2id hashes computed on a bounded pool of threads of its own, and the
//! accounts whose passwords they are.

use std::sync::Mutex;

use argon2::password_hash::{
    self, rand_core::OsRng, PasswordHash, PasswordHasher, Salt, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use microwish_core::account::ValidAccount;
use microwish_core::{CommunityId, UserId, VolunteerStatus};

use crate::app::AppState;
use crate::error::ApiError;
use crate::store;
use crate::store::users::User;

/// argon2id with 19 MiB of memory, 2 passes, 1 lane (OWASP's recommended minimum).
fn argon2_params() -> Params {
    Params::new(19 * 1024, 2, 1, None).expect("valid argon2 parameters")
}

fn argon2() -> Argon2<'static> {
    Argon2::new(Algorithm::Argon2id, Version::V0x13, argon2_params())
}

thread_local! {
    /// argon2's 19 MiB of working memory, kept by each hashing thread for its next hash.
    static ARGON2_MEMORY: std::cell::RefCell<Vec<argon2::Block>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A PHC hash string of `password`: what `PasswordHasher::hash_password` makes, with the
/// thread's kept memory instead of 19 MiB allocated and freed per hash.
fn hash_with_kept_memory(password: &[u8], salt: Salt<'_>) -> password_hash::Result<String> {
    let (algorithm, version, params) = (Algorithm::Argon2id, Version::V0x13, argon2_params());
    let hash = argon2_output(algorithm, version, &params, password, salt)?;
    let phc = PasswordHash {
        algorithm: algorithm.ident(),
        version: Some(version.into()),
        params: password_hash::ParamsString::try_from(&params)?,
        salt: Some(salt),
        hash: Some(hash),
    };
    Ok(phc.to_string())
}

/// Whether `password` matches a stored PHC hash, computed with the hash's own algorithm,
/// version and parameters (hashes made under other parameters still verify), in kept memory.
fn verify_with_kept_memory(
    password: &[u8],
    stored: &PasswordHash<'_>,
) -> password_hash::Result<bool> {
    let algorithm = Algorithm::try_from(stored.algorithm)?;
    let version = stored
        .version
        .map(Version::try_from)
        .transpose()?
        .unwrap_or_default();
    let params = Params::try_from(stored)?;
    let (Some(salt), Some(expected)) = (stored.salt, stored.hash) else {
        return Err(password_hash::Error::PhcStringField);
    };
    // `Output`'s equality takes the same time wherever the outputs differ.
    Ok(argon2_output(algorithm, version, &params, password, salt)? == expected)
}

fn argon2_output(
    algorithm: Algorithm,
    version: Version,
    params: &Params,
    password: &[u8],
    salt: Salt<'_>,
) -> password_hash::Result<password_hash::Output> {
    let mut salt_bytes = [0u8; 64];
    let salt = salt.decode_b64(&mut salt_bytes)?;
    let hasher = Argon2::new(algorithm, version, params.clone());
    let length = params.output_len().unwrap_or(Params::DEFAULT_OUTPUT_LEN);
    password_hash::Output::init_with(length, |out| {
        ARGON2_MEMORY.with_borrow_mut(|memory| {
            memory.resize(params.block_count(), argon2::Block::default());
            let hashed =
                hasher.hash_password_into_with_memory(password, salt, out, &mut memory[..]);
            // Nothing derived from a password stays in memory until the next hash.
            memory.fill(argon2::Block::default());
            Ok(hashed?)
        })
    })
}

/// Password hashing, at most as many at once as there are cores (each takes ~19 MiB and tens
/// of milliseconds by design): a flood of logins or registrations waits its turn briefly,
/// then is told to come back (503 with `Retry-After`) instead of exhausting the machine.
///
/// The hashes run on the pool's own threads, as many as may hash at once, not on tokio's
/// blocking threads: glibc keeps a freed 19 MiB block in the arena of the thread that freed it,
/// and tokio's pool spreads hashes over up to 16 arenas on 2 cores, so 50 logins grew the
/// server from 100 to 418 MB. With the hashing on `at_once` threads it stays at `at_once` blocks.
///
/// A client that hangs up costs nothing more than its wait: a turn is held until its hash has
/// run (not merely until its request is dropped), a request dropped before its hash started
/// gives its turn back without hashing, and at most `queue` requests wait for a turn at once
/// (more are answered 503 at once). The audit's 450 logins that hung up at 0.5 s used to leave
/// their hashes queued behind the turns they had let go, and the next real login waited 3.8 s.
pub struct HashingPool {
    permits: std::sync::Arc<tokio::sync::Semaphore>,
    /// Work for the hashing threads; they end when the pool is dropped.
    jobs: std::sync::mpsc::Sender<Job>,
    /// How long a request waits for a turn.
    pub wait: std::time::Duration,
    /// How many requests may wait for a turn at once.
    queue: usize,
    /// Requests waiting for a turn now.
    waiting: std::sync::atomic::AtomicUsize,
    /// Jobs run to the end (hashes computed), and jobs skipped because their request was
    /// gone before they started: what the tests count.
    ran: std::sync::Arc<std::sync::atomic::AtomicU64>,
    skipped: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

type Job = Box<dyn FnOnce() + Send>;

/// Requests that may wait for a hashing turn, per hashing thread: as many as the threads get
/// through in about the time a request waits (a hash takes ~20–50 ms).
pub const QUEUE_PER_THREAD: usize = 32;

impl Default for HashingPool {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        HashingPool::new(cores, std::time::Duration::from_secs(2))
    }
}

impl HashingPool {
    /// `at_once` hashing threads; a request waits at most `wait` for a turn, and at most
    /// [`QUEUE_PER_THREAD`] per thread wait at once.
    pub fn new(at_once: usize, wait: std::time::Duration) -> HashingPool {
        HashingPool::with_queue(at_once, wait, at_once * QUEUE_PER_THREAD)
    }

    pub fn with_queue(at_once: usize, wait: std::time::Duration, queue: usize) -> HashingPool {
        let (jobs, receiver) = std::sync::mpsc::channel::<Job>();
        let receiver = std::sync::Arc::new(Mutex::new(receiver));
        for n in 0..at_once {
            let receiver = receiver.clone();
            std::thread::Builder::new()
                .name(format!("password-hashing-{n}"))
                .spawn(move || loop {
                    // The lock is held while waiting: one idle thread waits for the queue,
                    // the others for the lock.
                    let next = match receiver.lock() {
                        Ok(receiver) => receiver.recv(),
                        Err(_) => return,
                    };
                    let Ok(job) = next else {
                        return; // The pool was dropped.
                    };
                    // A panicking hash must not take the thread with it: its caller hears of
                    // it (the answer channel is dropped), the next hash still has a thread.
                    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                })
                .expect("the system starts a password-hashing thread");
        }
        HashingPool {
            permits: std::sync::Arc::new(tokio::sync::Semaphore::new(at_once)),
            jobs,
            wait,
            queue,
            waiting: std::sync::atomic::AtomicUsize::new(0),
            ran: std::sync::Arc::default(),
            skipped: std::sync::Arc::default(),
        }
    }

    /// Jobs run to the end so far (each a hash, outside tests).
    pub fn ran(&self) -> u64 {
        self.ran.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Jobs not run because their request was gone before their turn came.
    pub fn skipped(&self) -> u64 {
        self.skipped.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Runs `work` on one of the pool's threads when a turn is free; not at all if the caller
    /// stopped waiting (its request was dropped) before the work began.
    pub async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        use std::sync::atomic::Ordering;
        // The queue is bounded: beyond it, come back later, at once.
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.queue {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(ApiError::Busy { retry_after: 2 });
        }
        let waited = {
            // Counted out however the wait ends (a dropped request included).
            struct Waiting<'a>(&'a std::sync::atomic::AtomicUsize);
            impl Drop for Waiting<'_> {
                fn drop(&mut self) {
                    self.0.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                }
            }
            let _waiting = Waiting(&self.waiting);
            tokio::time::timeout(self.wait, self.permits.clone().acquire_owned()).await
        };
        let turn = match waited {
            Ok(Ok(permit)) => permit,
            Ok(Err(_)) => return Err(ApiError::Internal("hashing pool closed".into())),
            Err(_) => return Err(ApiError::Busy { retry_after: 2 }),
        };
        let (done, answer) = tokio::sync::oneshot::channel();
        let (ran, skipped) = (self.ran.clone(), self.skipped.clone());
        self.jobs
            .send(Box::new(move || {
                // The turn is the job's until it ends, whether or not anyone still waits
                // for its answer: a hash under way keeps its thread busy.
                let turn = turn;
                if done.is_closed() {
                    // The request is gone: its turn goes back without a hash.
                    skipped.fetch_add(1, Ordering::SeqCst);
                    return;
                }
                let result = work();
                ran.fetch_add(1, Ordering::SeqCst);
                // The turn goes back before the answer does, so whoever is answered may
                // take it again at once (one hash after another, as the demo seed makes
                // its accounts, is never told the pool is busy).
                drop(turn);
                let _ = done.send(result);
            }))
            .map_err(|_| ApiError::Internal("the hashing threads are gone".into()))?;
        answer
            .await
            .map_err(|_| ApiError::Internal("password hashing failed".into()))
    }

    /// Hashes a password, in turn.
    pub async fn hash(&self, password: String) -> Result<String, ApiError> {
        self.run(move || {
            let salt = SaltString::generate(&mut OsRng);
            hash_with_kept_memory(password.as_bytes(), salt.as_salt())
                .map_err(|error| ApiError::Internal(format!("hashing failed: {error}")))
        })
        .await?
    }

    /// Checks a password against a stored hash, in turn.
    pub async fn verify(&self, password: String, hash: String) -> Result<bool, ApiError> {
        self.run(move || {
            let parsed = PasswordHash::new(&hash)
                .and_then(|parsed| verify_with_kept_memory(password.as_bytes(), &parsed));
            parsed.map_err(|error| ApiError::Corrupt(format!("password hash: {error}")))
        })
        .await?
    }
}

/// A hash that no password matches, verified when the phone is unknown so that
/// a failed login takes as long whether or not the account exists.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(b"no account has this password", &salt)
            .map(|hash| hash.to_string())
            .unwrap_or_default()
    })
}

/// Adds an account that passed core's validation (registration, `user add`, the demo seed):
/// a worker in `community`; a volunteer with their vetting.
pub async fn add_user(
    state: &AppState,
    account: ValidAccount,
    community: Option<CommunityId>,
    vetting: Option<VolunteerStatus>,
) -> Result<User, ApiError> {
    let user = User {
        id: UserId::generate(),
        role: account.role,
        display_name: account.display_name,
        phone: account.phone,
        volunteer_status: vetting,
        community,
        party_member: false,
    };
    let hash = state.hashing.hash(account.password).await?;
    let (stored, now) = (user.clone(), state.clock.now());
    state
        .writer
        .write(move |tx| store::users::insert(tx, &stored, &hash, now))
        .await?;
    Ok(user)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What bounds the server's memory: however many hashes are asked for, they run on the
    /// pool's `at_once` threads (each keeps the 19 MiB it frees for its next hash).
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn hashes_run_on_the_pools_own_threads_and_nowhere_else() {
        let pool = std::sync::Arc::new(HashingPool::new(2, std::time::Duration::from_secs(30)));
        let asked: Vec<_> = (0..24)
            .map(|_| {
                let pool = pool.clone();
                tokio::spawn(async move {
                    pool.run(|| {
                        let thread = std::thread::current();
                        // Long enough that hashes asked for together overlap.
                        std::thread::sleep(std::time::Duration::from_millis(5));
                        (thread.id(), thread.name().map(str::to_owned))
                    })
                    .await
                })
            })
            .collect();
        let mut threads = std::collections::HashSet::new();
        for answer in asked {
            let (id, name) = answer.await.unwrap().unwrap();
            assert!(name.is_some_and(|name| name.starts_with("password-hashing-")));
            threads.insert(id);
        }
        assert!(threads.len() <= 2, "{} threads hashed", threads.len());

        // A real hash and its check go the same way.
        let hash = pool.hash("correct horse".into()).await.unwrap();
        assert!(pool
            .verify("correct horse".into(), hash.clone())
            .await
            .unwrap());
        assert!(!pool.verify("wrong horse".into(), hash).await.unwrap());
    }

    /// The kept-memory hashing is argon2's own: each side verifies the other's hashes, other
    /// parameters included, and the memory is used again without a trace of the last hash.
    #[test]
    fn hashes_in_kept_memory_are_argon2s_own() {
        use argon2::password_hash::PasswordVerifier;
        let salt = SaltString::generate(&mut OsRng);
        let ours = hash_with_kept_memory(b"correct horse", salt.as_salt()).unwrap();
        let theirs = argon2()
            .hash_password(b"correct horse", &salt)
            .unwrap()
            .to_string();
        assert_eq!(ours, theirs);
        assert!(argon2()
            .verify_password(b"correct horse", &PasswordHash::new(&ours).unwrap())
            .is_ok());

        let smaller = Params::new(8 * 1024, 3, 1, Some(24)).unwrap();
        let older = Argon2::new(Algorithm::Argon2id, Version::V0x13, smaller)
            .hash_password(b"old password", &salt)
            .unwrap()
            .to_string();
        for _ in 0..2 {
            assert!(
                verify_with_kept_memory(b"old password", &PasswordHash::new(&older).unwrap())
                    .unwrap()
            );
            assert!(
                !verify_with_kept_memory(b"old passworD", &PasswordHash::new(&older).unwrap())
                    .unwrap()
            );
            assert!(
                verify_with_kept_memory(b"correct horse", &PasswordHash::new(&ours).unwrap())
                    .unwrap()
            );
        }
        ARGON2_MEMORY.with_borrow(|memory| {
            assert_eq!(memory.len(), 19 * 1024);
            assert!(memory
                .iter()
                .all(|block| block.as_ref().iter().all(|word| *word == 0)));
        });
    }

    /// The audit's hang-ups: requests dropped while they wait for a turn hash nothing, so
    /// the next real request's work runs next (in hash units: one job, the one under way,
    /// before it), and their turns are not lost.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn requests_that_hang_up_give_their_turn_back_before_hashing() {
        let pool = std::sync::Arc::new(HashingPool::with_queue(
            1,
            std::time::Duration::from_secs(30),
            1_000,
        ));
        // A login whose client hung up while its hash runs (held until told to end).
        let (release, held) = std::sync::mpsc::channel::<()>();
        let (started, running) = tokio::sync::oneshot::channel::<()>();
        let busy = pool.run(move || {
            let _ = started.send(());
            let _ = held.recv();
        });
        tokio::select! {
            _ = busy => unreachable!("the hash is held"),
            _ = running => {}
        }
        // 450 logins that hang up, one after another, each after a moment.
        for _ in 0..450 {
            let hung_up = tokio::time::timeout(
                std::time::Duration::from_millis(1),
                pool.run(|| std::thread::sleep(std::time::Duration::from_millis(20))),
            )
            .await;
            assert!(hung_up.is_err(), "it hung up");
        }
        release.send(()).unwrap();
        // The real login: the work before it was the hash under way, nothing of the 450.
        let ran_before = pool.run({
            let ran = pool.ran.clone();
            move || ran.load(std::sync::atomic::Ordering::SeqCst)
        });
        assert_eq!(
            ran_before.await.unwrap(),
            1,
            "only the hash under way ran first"
        );
        assert_eq!(pool.ran(), 2);
        assert_eq!(pool.waiting.load(std::sync::atomic::Ordering::SeqCst), 0);
        // The turn is handed back just after the answer is sent: wait for it (bounded).
        for _ in 0..200 {
            if pool.permits.available_permits() == 1 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        assert_eq!(pool.permits.available_permits(), 1, "no turn was lost");
    }

    /// A request whose turn came but that was gone before its work began: skipped, turn back.
    #[tokio::test]
    async fn a_job_whose_request_is_gone_is_skipped() {
        let pool = HashingPool::new(1, std::time::Duration::from_secs(30));
        let (release, held) = std::sync::mpsc::channel::<()>();
        // The thread is held by a job sent behind the pool's back: the next job queues.
        pool.jobs
            .send(Box::new(move || {
                let _ = held.recv();
            }))
            .unwrap();
        let dropped = tokio::time::timeout(
            std::time::Duration::from_millis(20),
            pool.run(|| panic!("a job whose request is gone never runs")),
        )
        .await;
        assert!(dropped.is_err());
        release.send(()).unwrap();
        assert_eq!(pool.run(|| 7).await.unwrap(), 7);
        assert_eq!((pool.ran(), pool.skipped()), (1, 1));
    }

    /// Beyond the queue, a request is told to come back at once rather than wait.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn beyond_the_queue_the_answer_is_busy_at_once() {
        let pool = std::sync::Arc::new(HashingPool::with_queue(
            1,
            std::time::Duration::from_secs(30),
            2,
        ));
        let (release, held) = std::sync::mpsc::channel::<()>();
        let busy = {
            let pool = pool.clone();
            tokio::spawn(async move { pool.run(move || held.recv().is_ok()).await })
        };
        while pool.permits.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        let waiters: Vec<_> = (0..2)
            .map(|_| {
                let pool = pool.clone();
                tokio::spawn(async move { pool.run(|| 1).await })
            })
            .collect();
        while pool.waiting.load(std::sync::atomic::Ordering::SeqCst) < 2 {
            tokio::task::yield_now().await;
        }
        let started = std::time::Instant::now();
        let refused = pool.run(|| 1).await;
        assert!(matches!(refused, Err(ApiError::Busy { .. })), "{refused:?}");
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        release.send(()).unwrap();
        assert!(busy.await.unwrap().unwrap());
        for waiter in waiters {
            assert_eq!(waiter.await.unwrap().unwrap(), 1);
        }
    }

    #[tokio::test]
    async fn a_panicking_job_is_an_error_and_the_thread_hashes_on() {
        let pool = HashingPool::new(1, std::time::Duration::from_secs(30));
        let failed = pool.run(|| -> u8 { panic!("a hash went wrong") }).await;
        assert!(matches!(failed, Err(ApiError::Internal(_))));
        assert_eq!(pool.run(|| 7).await.unwrap(), 7);
    }
}
