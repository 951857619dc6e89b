//! `microwish-server`: the JSON API over SQLite (or PostgreSQL), and the host of the built SPA.

pub mod app;
pub mod apply;
pub mod auth;
pub mod clock;
pub mod db;
pub mod demo;
pub mod error;
pub mod extract;
pub mod first_screen;
pub mod import;
pub mod migrate;
pub mod notify;
pub mod openapi;
pub mod pages;
pub mod photos;
pub mod reader;
pub mod routes;
pub mod security;
pub mod shared_pages;
pub mod store;
pub mod sync;
pub mod writer;

pub use app::{router, AppState};

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use microwish_core::command::Policy;
use tokio::net::TcpListener;

/// What `serve` needs to run.
#[derive(Clone)]
pub struct ServeConfig {
    pub addr: SocketAddr,
    pub database_url: String,
    pub dist: PathBuf,
    pub demo: bool,
    /// With `demo`: also 桔园村, paired with 星怡社区 (a second community).
    pub demo_pairing: bool,
    pub policy: Policy,
    /// How often stalled claims are looked for and released.
    pub expiry_interval: Duration,
    pub clock: clock::Clock,
    /// How hard SQLite syncs commits: `Full` (the default) makes every acknowledged write
    /// survive a power cut; `Normal` is only for measuring what that costs (`make bench`).
    pub synchronous: sqlx::sqlite::SqliteSynchronous,
    /// Reverse proxies trusted to name the client in `X-Forwarded-For`.
    pub trusted_proxies: Vec<security::Cidr>,
    /// Accounts one client address may register per hour.
    pub registrations_per_hour: usize,
    /// How long a session may go unused before it ends (and is deleted).
    pub session_idle: chrono::Duration,
    /// Password hashes computed at once, and how long a request waits for its turn.
    pub hashing: (usize, Duration),
    /// Writes that may wait for the writer at once; more are answered 503 `busy`.
    pub writer_queue: usize,
    /// Mutations one sync client may push: on average, and at once (a user may push twice
    /// as many, over all their phones).
    pub push_rate: store::limits::Rate,
    /// Anonymous snapshots (`/api/sync/pull` without a session from scratch) one client
    /// address may ask for: on average, and at once.
    pub snapshot_rate: store::limits::Rate,
    /// Live-update streams at once: per user, per address, visitors in all.
    pub streams: (usize, usize, usize),
    /// How often the database is looked at for what other servers on it committed (on
    /// PostgreSQL they also say so at once, by NOTIFY), and for logouts made there.
    pub watch_interval: Duration,
    /// Where notices may be pushed besides public https endpoints, and the SMS gateway.
    pub notify: notify::NotifyConfig,
}

impl ServeConfig {
    pub fn new(addr: SocketAddr, database_url: String, dist: PathBuf) -> ServeConfig {
        ServeConfig {
            addr,
            database_url,
            dist,
            demo: false,
            demo_pairing: false,
            policy: Policy::default(),
            expiry_interval: Duration::from_secs(60),
            clock: clock::Clock::System,
            synchronous: sqlx::sqlite::SqliteSynchronous::Full,
            trusted_proxies: Vec::new(),
            registrations_per_hour: 30,
            session_idle: chrono::Duration::days(auth::SESSION_IDLE_DAYS.into()),
            hashing: (
                std::thread::available_parallelism().map_or(2, |n| n.get()),
                Duration::from_secs(2),
            ),
            writer_queue: writer::QUEUE_MAX,
            push_rate: sync::push::PUSH_RATE,
            snapshot_rate: sync::pull::SNAPSHOT_RATE,
            streams: (10, 500, 20_000),
            watch_interval: Duration::from_millis(250),
            notify: notify::NotifyConfig::default(),
        }
    }
}

/// Connections writing to PostgreSQL at once per server, each command its own transaction
/// (see `writer::Writer::start_postgres`).
const POSTGRES_WRITERS: usize = 4;

/// A server bound to its port (port 0 picks a free one), ready to run.
pub struct Server {
    /// Tells a restore that this database is in use, for as long as the server lives.
    _serving: db::ServingLock,
    listener: TcpListener,
    state: AppState,
    expiry_interval: Duration,
    watch_interval: Duration,
    /// The PostgreSQL database whose change notices to listen to.
    notices_from: Option<String>,
}

impl Server {
    /// Opens the database (creating and migrating it), seeds the demo when asked, binds.
    pub async fn build(config: &ServeConfig) -> anyhow::Result<(Server, Option<demo::Seeded>)> {
        let url = &config.database_url;
        let (serving, db, writer, reader, freshness) = if migrate::is_postgres(url) {
            // Migrated under PostgreSQL's own lock (sqlx takes an advisory lock), so servers
            // starting together do not race; no file to lock against a restore.
            let pool = migrate::connect_postgres(url).await?;
            let writer =
                writer::Writer::start_postgres(url, POSTGRES_WRITERS, config.writer_queue).await?;
            let reader = reader::Reader::postgres(url);
            // Other servers' commits leave no trace here to watch: read the version each time.
            let freshness = pages::Freshness::always_read(writer.commits());
            let db = store::Pool::Postgres(pool);
            (db::ServingLock::none(), db, writer, reader, freshness)
        } else {
            let serving = db::ServingLock::take(url)?;
            let db = db::connect_with(url, config.synchronous).await?;
            let options = db::options(url, config.synchronous)?;
            let wal = {
                let file = options.get_filename();
                (file.as_os_str() != ":memory:")
                    .then(|| PathBuf::from(format!("{}-wal", file.display())))
            };
            let writer = writer::Writer::start(
                options.get_filename(),
                config.synchronous,
                config.writer_queue,
            )
            .await?;
            let reader = reader::Reader::new(options.get_filename());
            let freshness = pages::Freshness::new(wal, writer.commits());
            (serving, store::Pool::Sqlite(db), writer, reader, freshness)
        };
        let reader = Arc::new(reader);
        let freshness = Arc::new(freshness);
        let index_html = std::fs::read_to_string(config.dist.join("index.html")).ok();
        let notifier =
            notify::Notifier::start(&writer, config.notify.clone(), config.clock.now()).await?;
        // Claims and allocations live before hand-over codes existed get theirs (once).
        let now = config.clock.now();
        writer
            .write(move |tx| crate::store::handover::fill_missing(tx, now))
            .await
            .map_err(|error| anyhow::anyhow!("hand-over codes: {error}"))?;
        let state = AppState {
            db,
            writer,
            dist: config.dist.clone(),
            clock: config.clock.clone(),
            // Phones learn from the policy whether SMS can go out at all.
            policy: Policy {
                sms: config.notify.sms.is_some(),
                ..config.policy
            },
            throttle: Arc::new(auth::LoginThrottle::default()),
            sessions: Arc::default(),
            session_idle: config.session_idle,
            reader,
            registrations: Arc::new(auth::RateLimit::new(
                config.registrations_per_hour,
                chrono::Duration::hours(1),
            )),
            hashing: Arc::new(auth::HashingPool::new(config.hashing.0, config.hashing.1)),
            push_rate: config.push_rate,
            snapshots: Arc::new(sync::pull::Snapshots::new(config.snapshot_rate)),
            trusted_proxies: config.trusted_proxies.clone().into(),
            streams: Arc::new(security::StreamLimits::new(
                config.streams.0,
                config.streams.1,
                config.streams.2,
            )),
            csp: security::content_security_policy(index_html.as_deref()),
            changes: tokio::sync::broadcast::channel(16).0,
            committed: Arc::default(),
            pages: Arc::default(),
            freshness,
            notifier,
        };
        let seeded = if config.demo {
            demo::seed_if_empty(&state, config.demo_pairing).await?
        } else {
            None
        };
        let listener = TcpListener::bind(config.addr)
            .await
            .map_err(|error| anyhow::anyhow!("cannot listen on {}: {error}", config.addr))?;
        let server = Server {
            _serving: serving,
            listener,
            state,
            expiry_interval: config.expiry_interval,
            watch_interval: config.watch_interval,
            notices_from: migrate::is_postgres(url).then(|| url.clone()),
        };
        Ok((server, seeded))
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, releasing stalled claims in the background.
    pub async fn run(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let expiry = tokio::spawn(release_stalled_claims(
            self.state.clone(),
            self.expiry_interval,
        ));
        let compaction = tokio::spawn(compact_change_log(self.state.clone()));
        let sender = tokio::spawn(notify::run_sender(self.state.clone()));
        // What is already announced is read before the first request is served: read later
        // (after connecting to PostgreSQL's notices, slow on a loaded database), it could count
        // a phone's first change as announced, and that phone's listeners would never hear of it.
        let seen = self
            .state
            .reader
            .read(|db| store::sync::watched(db, true))
            .await
            .unwrap_or((0, 0));
        let announcer = tokio::spawn(announce_changes(
            self.state.clone(),
            self.watch_interval,
            self.notices_from,
            seen,
        ));
        let app = router(self.state).into_make_service_with_connect_info::<SocketAddr>();
        let served = axum::serve(self.listener, app)
            .with_graceful_shutdown(shutdown)
            .await;
        expiry.abort();
        compaction.abort();
        sender.abort();
        announcer.abort();
        served
    }
}

/// The hold timer: active claims past their `hold_until` expire and their units return; and
/// resolved requests their requesters left unanswered past the answer time close.
async fn release_stalled_claims(state: AppState, every: Duration) {
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        match apply::expire_due_claims(&state).await {
            Ok(0) => {}
            Ok(expired) => tracing::info!(expired, "released stalled claims"),
            Err(error) => tracing::error!(%error, "releasing stalled claims failed"),
        }
        match apply::remind_due(&state).await {
            Ok(0) => {}
            Ok(reminded) => tracing::info!(reminded, "reminded claimers of holds ending"),
            Err(error) => tracing::error!(%error, "reminding claimers failed"),
        }
        match apply::close_answered_requests(&state).await {
            Ok(0) => {}
            Ok(closed) => tracing::info!(closed, "closed requests left unanswered"),
            Err(error) => tracing::error!(%error, "closing unanswered requests failed"),
        }
    }
}

/// Watches the database for every server process's writes:
/// - pokes this server's listening phones whenever the change log has grown: at once after
///   this process's own commits; after another server's on the same database at once on
///   PostgreSQL (each commit NOTIFYs `microwish_changes`, see its migration 0003), else
///   within `every` (a phone on one instance sees a claim made on another); each new version
///   is announced once, however many commits and wake-ups brought it;
/// - after the notices' connection was lost and made again (notices may have been missed),
///   tells every phone to pull;
/// - drops the sessions this server keeps in memory when the sessions' epoch moved (a logout
///   or a change of vetting, wherever it was made), within `every`.
///
/// `seen` is the change version and sessions' epoch when the server started serving.
async fn announce_changes(
    state: AppState,
    every: Duration,
    notices_from: Option<String>,
    seen: (u64, i64),
) {
    let mut notices = match &notices_from {
        Some(url) => match listen_for_changes(url).await {
            Ok(listener) => Some(listener),
            Err(error) => {
                tracing::error!(%error, "cannot listen for other servers' changes; watching instead");
                None
            }
        },
        None => None,
    };
    let (mut announced, mut epoch) = seen;
    let mut ticks = tokio::time::interval(every);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        let tick = tokio::select! {
            _ = ticks.tick() => true,
            () = state.committed.notified() => false,
            notice = next_notice(&mut notices) => {
                if !notice {
                    // Back after a lost connection: whatever was announced meanwhile, a
                    // pull finds it.
                    let _ = state.changes.send(());
                }
                false
            }
        };
        // Under load the servers commit thousands of times a second, each commit heard here
        // (its own, or a notice): with no phone listening here, nothing to do until the next
        // tick.
        if !tick && state.changes.receiver_count() == 0 {
            continue;
        }
        // Numbering stragglers (see `store::sync::watched`) is the ticks' work alone.
        let watched = state
            .reader
            .read(move |db| store::sync::watched(db, tick))
            .await;
        let (version, now_epoch) = match watched {
            Ok(seen) => seen,
            Err(error) => {
                tracing::error!(%error, "watching the database failed");
                continue;
            }
        };
        if now_epoch != epoch {
            epoch = now_epoch;
            state.sessions.forget_all();
        }
        if version > announced && state.changes.receiver_count() > 0 {
            announced = version;
            // No listener left since is fine: nobody needs poking.
            let _ = state.changes.send(());
        }
    }
}

async fn listen_for_changes(url: &str) -> Result<sqlx::postgres::PgListener, sqlx::Error> {
    let mut listener = sqlx::postgres::PgListener::connect(url).await?;
    listener.listen("microwish_changes").await?;
    Ok(listener)
}

/// Waits for the next change notice: `true` for one, `false` when the connection was lost
/// (the listener connects again on the next call); never, without a listener.
async fn next_notice(notices: &mut Option<sqlx::postgres::PgListener>) -> bool {
    let Some(listener) = notices else {
        return std::future::pending().await;
    };
    match listener.try_recv().await {
        Ok(Some(_)) => {
            // Notices that arrived meanwhile are for the same look at the change log.
            while listener.next_buffered().is_some() {}
            true
        }
        Ok(None) => false,
        Err(error) => {
            tracing::warn!(%error, "listening for changes failed; trying again");
            tokio::time::sleep(Duration::from_secs(1)).await;
            false
        }
    }
}

/// Keeps the change log as long as there are entities (see `store::sync::compact`), drops
/// login and registration counts far older than any limit's window, and sessions that ended
/// (past their end, or unused too long) whose cookies never came back.
async fn compact_change_log(state: AppState) {
    let mut ticks = tokio::time::interval(Duration::from_secs(600));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticks.tick().await;
        let day_ago = (state.clock.now() - chrono::Duration::days(1)).timestamp_millis();
        if let Err(error) = state
            .writer
            .write(move |tx| store::limits::prune(tx, day_ago))
            .await
        {
            tracing::error!(%error, "dropping old login counts failed");
        }
        let now = state.clock.now();
        if let Err(error) = state
            .writer
            .write(move |tx| store::phone_codes::prune(tx, now))
            .await
        {
            tracing::error!(%error, "dropping expired phone codes failed");
        }
        match store::users::delete_ended_sessions(&state.db, now, now - state.session_idle).await {
            Ok(0) => {}
            Ok(ended) => tracing::info!(ended, "deleted sessions that ended"),
            Err(error) => tracing::error!(%error, "deleting sessions that ended failed"),
        }
        match apply::compact_change_log(&state).await {
            Ok(0) => {}
            Ok(dropped) => tracing::info!(dropped, "compacted the change log"),
            Err(error) => tracing::error!(%error, "compacting the change log failed"),
        }
    }
}
