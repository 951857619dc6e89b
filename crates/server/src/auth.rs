//! Accounts and sessions: argon2id password hashes, opaque session tokens stored
//! only as SHA-256 hashes, the session cookie, and login throttling.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use crate::store::Pool;
use argon2::password_hash::{
    self, rand_core::OsRng, PasswordHash, PasswordHasher, Salt, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use microwish_core::account::ValidAccount;
use microwish_core::{CommunityId, Me, Role, RuleError, UserId, VolunteerStatus};
use sha2::{Digest, Sha256};

use crate::app::AppState;
use crate::error::ApiError;
use crate::store;
use crate::store::users::User;
use crate::writer::Writer;

pub const SESSION_COOKIE: &str = "mw_session";
/// The name over HTTPS: browsers keep a `__Host-` cookie only if it is `Secure`, for this
/// host alone (no `Domain`) and the whole site, so a sibling subdomain cannot plant one.
pub const HOST_SESSION_COOKIE: &str = "__Host-mw_session";
pub const SESSION_DAYS: i64 = 30;

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
pub struct HashingPool {
    permits: tokio::sync::Semaphore,
    /// Work for the hashing threads; they end when the pool is dropped.
    jobs: std::sync::mpsc::Sender<Job>,
    /// How long a request waits for a turn.
    pub wait: std::time::Duration,
}

type Job = Box<dyn FnOnce() + Send>;

impl Default for HashingPool {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        HashingPool::new(cores, std::time::Duration::from_secs(2))
    }
}

impl HashingPool {
    pub fn new(at_once: usize, wait: std::time::Duration) -> HashingPool {
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let queue = std::sync::Arc::new(Mutex::new(queue));
        for n in 0..at_once {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("password-hashing-{n}"))
                .spawn(move || loop {
                    // The lock is held while waiting: one idle thread waits for the queue,
                    // the others for the lock.
                    let next = match queue.lock() {
                        Ok(queue) => queue.recv(),
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
            permits: tokio::sync::Semaphore::new(at_once),
            jobs,
            wait,
        }
    }

    /// Runs `work` on one of the pool's threads when a turn is free.
    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let _turn = match tokio::time::timeout(self.wait, self.permits.acquire()).await {
            Ok(Ok(permit)) => permit,
            Ok(Err(_)) => return Err(ApiError::Internal("hashing pool closed".into())),
            Err(_) => return Err(ApiError::Busy { retry_after: 2 }),
        };
        let (done, answer) = tokio::sync::oneshot::channel();
        self.jobs
            .send(Box::new(move || {
                let _ = done.send(work());
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

fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Starts a session: 256 random bits for the client, their hash for the database.
pub async fn create_session(
    db: &Pool,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes)
        .map_err(|error| ApiError::Internal(format!("no randomness: {error}")))?;
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let expires = now + Duration::days(SESSION_DAYS);
    store::users::insert_session(db, &token_hash(&token), user, now, expires).await?;
    Ok(token)
}

pub async fn end_session(state: &AppState, token: &str) -> Result<(), ApiError> {
    let token_hash = token_hash(token);
    state.sessions.forget(&token_hash);
    store::users::delete_session(&state.db, &token_hash).await
}

/// The users of sessions seen in the last few seconds, so that a request reads its session
/// from memory rather than the database (a claim's one other round trip besides its write).
///
/// What it answers is never staler than the database by more than [`SessionCache::FOR`], and
/// not at all for what this process does itself: a logout here forgets the session at once,
/// a session past its end is never answered, and a change of a user's vetting here forgets
/// that user's sessions. A logout or vetting on another server process on the same database
/// moves the sessions' epoch (migration 0011), and this server forgets everything it kept
/// when it sees that, within a quarter of a second (`announce_changes` in lib.rs).
pub struct SessionCache {
    sessions: Mutex<HashMap<String, Kept>>,
}

struct Kept {
    user: User,
    expires_at: DateTime<Utc>,
    read: std::time::Instant,
}

impl SessionCache {
    pub const FOR: std::time::Duration = std::time::Duration::from_secs(5);
    /// More sessions than this at once and the cache starts over (memory stays bounded).
    const MOST: usize = 100_000;

    pub fn new() -> SessionCache {
        SessionCache {
            sessions: Mutex::new(HashMap::new()),
        }
    }

    /// The session's user, if it was read recently and has not ended by `now`.
    fn user(&self, token_hash: &str, now: DateTime<Utc>) -> Option<User> {
        let mut sessions = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        match sessions.get(token_hash) {
            Some(kept) if kept.expires_at > now && kept.read.elapsed() < Self::FOR => {
                Some(kept.user.clone())
            }
            Some(_) => {
                sessions.remove(token_hash);
                None
            }
            None => None,
        }
    }

    fn keep(&self, token_hash: String, user: &User, expires_at: DateTime<Utc>) {
        let mut sessions = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        if sessions.len() >= Self::MOST {
            sessions.clear();
        }
        let kept = Kept {
            user: user.clone(),
            expires_at,
            read: std::time::Instant::now(),
        };
        sessions.insert(token_hash, kept);
    }

    fn forget(&self, token_hash: &str) {
        let mut sessions = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        sessions.remove(token_hash);
    }

    /// Forgets every session: one ended, or someone's vetting changed, on another server.
    pub fn forget_all(&self) {
        self.sessions
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }

    /// Forgets every session of `user` (their vetting changed: what they may see with it).
    pub fn forget_user(&self, user: UserId) {
        let mut sessions = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        sessions.retain(|_, kept| kept.user.id != user);
    }
}

impl Default for SessionCache {
    fn default() -> Self {
        SessionCache::new()
    }
}

/// The `Set-Cookie` value for a new session; `__Host-` and `Secure` over HTTPS.
pub fn session_cookie(token: &str, secure: bool) -> HeaderValue {
    cookie(token, SESSION_DAYS * 24 * 3600, secure)
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn expired_cookie(secure: bool) -> HeaderValue {
    cookie("", 0, secure)
}

/// A cookie the app may read (the session's own is HttpOnly) that only says a session was
/// started on this browser: without it the app knows it is a visitor without asking
/// `/api/me` (whose 401 every browser logs as an error). It holds no secret.
pub const SIGNED_IN_HINT: &str = "mw_signed_in";

pub fn signed_in_hint(signed_in: bool, secure: bool) -> HeaderValue {
    let max_age = if signed_in {
        SESSION_DAYS * 24 * 3600
    } else {
        0
    };
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SIGNED_IN_HINT}={}; Path=/; SameSite=Strict; Max-Age={max_age}{secure}",
        u8::from(signed_in)
    ))
    .expect("a plain cookie")
}

fn cookie(value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let (name, secure) = if secure {
        (HOST_SESSION_COOKIE, "; Secure")
    } else {
        (SESSION_COOKIE, "")
    };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .expect("cookie characters are URL-safe base64")
}

/// Whether the client reached us over HTTPS (directly or through a TLS-terminating proxy).
pub fn is_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|value| value.to_str().ok())
        .is_some_and(|proto| proto.eq_ignore_ascii_case("https"))
}

/// The session token the request carries, if any.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE || *name == HOST_SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|token| !token.is_empty())
}

/// The signed-in user of a request; extracting it answers 401 when there is none.
pub type CurrentUser = User;

/// Like [`CurrentUser`], but anonymous requests are welcome.
pub struct MaybeUser(pub Option<User>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some(token) = session_token(&parts.headers) else {
            return Ok(MaybeUser(None));
        };
        let token_hash = token_hash(&token);
        let now = state.clock.now();
        if let Some(user) = state.sessions.user(&token_hash, now) {
            return Ok(MaybeUser(Some(user)));
        }
        let found = store::users::by_session(&state.db, &token_hash, now).await?;
        Ok(MaybeUser(found.map(|(user, expires_at)| {
            state.sessions.keep(token_hash, &user, expires_at);
            user
        })))
    }
}

impl FromRequestParts<AppState> for User {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        MaybeUser::from_request_parts(parts, state)
            .await?
            .0
            .ok_or(ApiError::NotLoggedIn)
    }
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
    };
    let hash = state.hashing.hash(account.password).await?;
    let (stored, now) = (user.clone(), state.clock.now());
    state
        .writer
        .write(move |tx| store::users::insert(tx, &stored, &hash, now))
        .await?;
    Ok(user)
}

/// A signed-in community worker; anyone else is refused (401, 403) before their request's
/// body is even read, so that a refusal teaches nothing about the endpoint's rules.
pub struct Worker(pub User);

impl FromRequestParts<AppState> for Worker {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let user = User::from_request_parts(parts, state).await?;
        match (user.role, user.community) {
            (Role::Worker, Some(_)) => Ok(Worker(user)),
            _ => Err(RuleError::Forbidden {
                reason: "for community workers only",
            }
            .into()),
        }
    }
}

/// A signed-in donor or volunteer: the people who claim wishes.
pub struct Claimer(pub User);

impl FromRequestParts<AppState> for Claimer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let user = User::from_request_parts(parts, state).await?;
        match user.role {
            Role::Donor | Role::Volunteer => Ok(Claimer(user)),
            _ => Err(RuleError::Forbidden {
                reason: "only donors and volunteers claim wishes",
            }
            .into()),
        }
    }
}

/// A signed-in shopkeeper: the people who pledge goods.
pub struct Shopkeeper(pub User);

impl FromRequestParts<AppState> for Shopkeeper {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let user = User::from_request_parts(parts, state).await?;
        match user.role {
            Role::Shopkeeper => Ok(Shopkeeper(user)),
            _ => Err(RuleError::Forbidden {
                reason: "only shopkeepers pledge goods",
            }
            .into()),
        }
    }
}

/// A shopkeeper (who sees their own pledges) or a worker (who sees every pledge).
pub struct PledgeReader(pub User);

impl FromRequestParts<AppState> for PledgeReader {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let user = User::from_request_parts(parts, state).await?;
        match (user.role, user.community) {
            (Role::Shopkeeper, _) | (Role::Worker, Some(_)) => Ok(PledgeReader(user)),
            _ => Err(RuleError::Forbidden {
                reason: "pledges are for their shops and community workers",
            }
            .into()),
        }
    }
}

/// What `GET /api/me` shows of a user.
pub async fn me(db: &Pool, user: &User) -> Result<Me, ApiError> {
    Ok(Me {
        id: user.id,
        display_name: user.display_name.clone(),
        phone: user.phone.clone(),
        role: user.role,
        volunteer_minutes: store::claims::volunteer_minutes(db, user.id).await?,
        volunteer_status: user.volunteer_status,
        // server: party members not stored yet (issue 24, server slice)
        party_member: false,
        community: user.community,
    })
}

/// Failed logins in a sliding window, counted *before* the password is checked (an attempt is
/// a failure until it succeeds), so a burst of guesses sent at once gets no more tries than a
/// trickle. Three counts, each with its own limit:
/// - the phone from one address: the guesser is stopped after a few, while the phone's owner,
///   elsewhere, still gets in;
/// - the phone from anywhere: a guesser spread over many addresses is stopped too (later);
/// - the address, over all phones: generous, because a mobile carrier puts a whole
///   neighbourhood behind one address and a community centre shares one.
///
/// The counts live in the database (`store::limits`), so every server process on it shares
/// them: a guesser gains nothing by landing on another instance.
pub struct LoginThrottle {
    /// Failures allowed for one phone from one address; the other limits are multiples.
    pub max_failures: usize,
    pub window: Duration,
}

/// A login attempt under way, counted as a failure until [`LoginThrottle::succeeded`].
pub struct Attempt {
    keys: Vec<(String, usize)>,
    id: String,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle {
            max_failures: 5,
            window: Duration::minutes(15),
        }
    }
}

impl LoginThrottle {
    fn keys(&self, phone: &str, address: Option<IpAddr>) -> Vec<(String, usize)> {
        let address = address.map_or_else(|| "-".to_owned(), |address| address.to_string());
        vec![
            (format!("pair:{phone}@{address}"), self.max_failures),
            (format!("phone:{phone}"), self.max_failures * 10),
            (format!("addr:{address}"), self.max_failures * 20),
        ]
    }

    /// Counts an attempt at once, or refuses it (`TooManyAttempts`, with the seconds to wait)
    /// when a limit is reached.
    pub async fn attempt(
        &self,
        writer: &Writer,
        phone: &str,
        address: Option<IpAddr>,
        now: DateTime<Utc>,
    ) -> Result<Attempt, ApiError> {
        let attempt = Attempt {
            keys: self.keys(phone, address),
            id: uuid::Uuid::now_v7().to_string(),
        };
        let (keys, id) = (attempt.keys.clone(), attempt.id.clone());
        let window = self.window.num_milliseconds();
        writer
            .write(move |tx| store::limits::take(tx, &keys, &id, now.timestamp_millis(), window))
            .await?
            .map_err(|retry_after| ApiError::TooManyAttempts { retry_after })?;
        Ok(attempt)
    }

    /// How long to hold back the answer to a wrong password: nothing for the first couple of
    /// slips, then doubling with each failure from this phone and address (0.25 s … 4 s),
    /// so guessing slows down well before the limit, and a right password is never delayed.
    pub async fn delay_after(
        &self,
        writer: &Writer,
        attempt: &Attempt,
    ) -> Result<std::time::Duration, ApiError> {
        let key = attempt.keys[0].0.clone();
        let failures = writer
            .write(move |tx| store::limits::hits(tx, &key))
            .await?;
        Ok(delay_for(failures))
    }

    /// The password was never checked (the server was busy): the attempt does not count.
    pub async fn abandoned(&self, writer: &Writer, attempt: Attempt) -> Result<(), ApiError> {
        writer
            .write(move |tx| store::limits::forget_attempt(tx, &attempt.id, None))
            .await
    }

    /// The attempt was the owner's: it does not count, and their address starts afresh.
    pub async fn succeeded(&self, writer: &Writer, attempt: Attempt) -> Result<(), ApiError> {
        writer
            .write(move |tx| {
                store::limits::clear(tx, &attempt.keys[0].0)?;
                for (key, _) in &attempt.keys[1..] {
                    store::limits::forget_attempt(tx, &attempt.id, Some(key))?;
                }
                Ok(())
            })
            .await
    }
}

/// The hold-back after `failures` failed logins (this one included).
fn delay_for(failures: usize) -> std::time::Duration {
    match failures {
        0..=2 => std::time::Duration::ZERO,
        n => std::time::Duration::from_millis(250 << (n - 3).min(4)),
    }
}

/// At most `limit` events per client address in a sliding `window` (registrations), counted
/// in the database like [`LoginThrottle`]'s.
pub struct RateLimit {
    limit: usize,
    window: Duration,
}

impl RateLimit {
    pub fn new(limit: usize, window: Duration) -> RateLimit {
        RateLimit { limit, window }
    }

    /// Counts one event for `address`, or refuses it (`TooManyAttempts`, with the seconds to
    /// wait).
    pub async fn take(
        &self,
        writer: &Writer,
        address: IpAddr,
        now: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        let keys = vec![(format!("register:{address}"), self.limit)];
        let window = self.window.num_milliseconds();
        writer
            .write(move |tx| {
                let id = uuid::Uuid::now_v7().to_string();
                store::limits::take(tx, &keys, &id, now.timestamp_millis(), window)
            })
            .await?
            .map_err(|retry_after| ApiError::TooManyAttempts { retry_after })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_passwords_are_answered_ever_more_slowly() {
        let delays: Vec<u128> = (1..=9).map(|n| delay_for(n).as_millis()).collect();
        assert_eq!(delays, [0, 0, 250, 500, 1000, 2000, 4000, 4000, 4000]);
    }

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

    #[tokio::test]
    async fn a_panicking_job_is_an_error_and_the_thread_hashes_on() {
        let pool = HashingPool::new(1, std::time::Duration::from_secs(30));
        let failed = pool.run(|| -> u8 { panic!("a hash went wrong") }).await;
        assert!(matches!(failed, Err(ApiError::Internal(_))));
        assert_eq!(pool.run(|| 7).await.unwrap(), 7);
    }
}
