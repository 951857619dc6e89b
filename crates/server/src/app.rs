//! The application: shared state and the router (API + the built SPA).

use std::path::PathBuf;

use std::sync::Arc;

use crate::store::Pool;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use microwish_core::command::Policy;
use microwish_core::decide::{Decision, Write};
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

use crate::auth::LoginThrottle;
use crate::clock::Clock;
use crate::{routes, security};

/// The largest request body accepted (413 beyond).
pub const BODY_LIMIT: usize = 64 * 1024;

#[derive(Clone)]
pub struct AppState {
    /// Reads (and the one write outside the writer: sessions starting and ending).
    pub db: Pool,
    /// Every command's transaction, new accounts and the log of household reads.
    pub writer: crate::writer::Writer,
    /// Reads on the request's own thread (claims, see [`crate::reader`]).
    pub reader: Arc<crate::reader::Reader>,
    /// Recently read sessions (see [`crate::auth::SessionCache`]).
    pub sessions: Arc<crate::auth::SessionCache>,
    /// How long a session may go unused before it ends.
    pub session_idle: chrono::Duration,
    /// The directory Trunk built the SPA into.
    pub dist: PathBuf,
    pub clock: Clock,
    /// The settings the rules run with (hold times, house calls at once).
    pub policy: Policy,
    pub throttle: Arc<LoginThrottle>,
    /// New accounts per client address per hour.
    pub registrations: Arc<crate::auth::RateLimit>,
    /// Password hashing, a few at a time.
    pub hashing: Arc<crate::auth::HashingPool>,
    /// Mutations a sync client may push (a user: twice as many).
    pub push_rate: crate::store::limits::Rate,
    /// The anonymous snapshot, built once per version, and who asked for it how often.
    pub snapshots: Arc<crate::sync::pull::Snapshots>,
    /// Live-update streams open at once.
    pub streams: Arc<crate::security::StreamLimits>,
    /// Reverse proxies whose `X-Forwarded-For` names the client.
    pub trusted_proxies: Arc<[crate::security::Cidr]>,
    /// The Content-Security-Policy, computed from the built index.html at start.
    pub csp: HeaderValue,
    /// Pokes the clients listening on `/api/events` when the change log grows (see
    /// `announce_changes` in lib.rs).
    pub changes: tokio::sync::broadcast::Sender<()>,
    /// Wakes `announce_changes` after this process's own commits.
    pub committed: Arc<tokio::sync::Notify>,
    /// The public list, serialised once per change version.
    pub pages: Arc<crate::pages::PageCache>,
    /// The latest change version, without asking the database while nothing changed.
    pub freshness: Arc<crate::pages::Freshness>,
    /// Sends notices out (Web Push, SMS); woken after commits that may have made some.
    pub notifier: crate::notify::Notifier,
}

impl AppState {
    /// What follows every committed decision, whichever path wrote it (a REST command, a sync
    /// push, the hold timer): users whose vetting (or party membership) changed have their
    /// sessions read again rather than kept (see [`crate::auth::SessionCache`]), since it
    /// changes what they may see; listening clients are told (once the change log shows it),
    /// so that they pull; and the notice sender wakes if the decision may have told someone.
    /// A replay wrote nothing.
    pub fn after_commit(&self, decision: &Decision) {
        if decision.replayed {
            return;
        }
        for write in &decision.writes {
            if let Write::VolunteerStatus { user, .. } | Write::PartyMember { user, .. } = write {
                self.sessions.forget_user(*user);
            }
        }
        self.committed.notify_one();
        if microwish_core::notices::may_tell(decision) {
            self.notifier.wake();
        }
    }
}

pub fn router(state: AppState) -> Router {
    // The build leaves `name.br` / `name.gz` beside each hashed file (scripts/precompress.mjs, at
    // brotli's best, which is too slow to do per request): 592 KB of wasm instead of 766 KB.
    let assets = ServeDir::new(&state.dist)
        .precompressed_br()
        .precompressed_gzip()
        .fallback(axum::routing::get(spa_index).with_state(state.clone()));
    let (api, _) = routes::api().split_for_parts();
    let api = api
        .layer(middleware::from_fn(security::guard_writes))
        .layer(DefaultBodyLimit::max(BODY_LIMIT));
    Router::new()
        .merge(api)
        .route("/", axum::routing::get(crate::first_screen::list))
        .route(
            "/wishes/{id}",
            axum::routing::get(crate::shared_pages::wish),
        )
        .route(
            "/campaigns/{id}",
            axum::routing::get(crate::shared_pages::campaign),
        )
        .fallback_service(assets)
        .layer(middleware::from_fn(cache_headers))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            security::security_headers,
        ))
        .layer(CompressionLayer::new())
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// Client-side routes (`/wishes/…`) get `index.html`; a missing file (`/x.js`) stays a 404.
async fn spa_index(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: Request,
) -> Response {
    let path = request.uri().path();
    let last = path.rsplit('/').next().unwrap_or_default();
    if last.contains('.') {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    match tokio::fs::read(state.dist.join("index.html")).await {
        Ok(html) => ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response(),
        Err(_) => spa_index_missing(&state),
    }
}

pub(crate) fn spa_index_missing(state: &AppState) -> Response {
    tracing::error!(dist = %state.dist.display(), "index.html missing: build the SPA first");
    (
        StatusCode::SERVICE_UNAVAILABLE,
        "The app has not been built: run `make run` (or `trunk build`).",
    )
        .into_response()
}

/// Hashed assets never change, so browsers may keep them for a year; everything else
/// (index.html, the service worker, icons) is revalidated; API answers are never stored.
async fn cache_headers(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let policy = if path.starts_with("/api/") || path == "/api" {
        "no-store"
    } else if response.status().is_success() && is_hashed_asset(&path) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    response
        .headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static(policy));
    response
}

/// Trunk names what it builds `name-<hash>.js`, `name-<hash>_bg.wasm`, `name-<hash>.css`, and
/// the initializer `<hash>-name.js`; the hash is 64 bits in hex without leading zeros (1 to 16
/// digits). Copied files (icons, prefs.js, sw.js) keep their names.
fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let Some((stem, "js" | "wasm" | "css")) = name.rsplit_once('.') else {
        return false;
    };
    let is_hash =
        |text: &str| (1..=16).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_hexdigit());
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| is_hash(hash))
        || stem.split_once('-').is_some_and(|(hash, _)| is_hash(hash))
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn recognises_trunk_hashed_names() {
        assert!(is_hashed_asset("/microwish-3f5a0c8e1b2d4a6f_bg.wasm"));
        assert!(is_hashed_asset("/microwish-3f5a0c8e1b2d4a6f.js"));
        assert!(is_hashed_asset("/style-0123456789abcdef.css"));
        // A hash with leading zeros is written shorter; the initializer carries it in front.
        assert!(is_hashed_asset("/microwish-a0c8e1b2d4a6f_bg.wasm"));
        assert!(is_hashed_asset("/61bab5066ae2e5cf-loader.js"));
        assert!(!is_hashed_asset("/icon-192.png"));
        assert!(!is_hashed_asset("/prefs.js"));
        assert!(!is_hashed_asset("/microwish-3f5a0c8e1b2d4a6f0.js"));
        assert!(!is_hashed_asset("/microwish-notahash.js"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/sw.js"));
        assert!(!is_hashed_asset(
            "/wishes/0190a0b2-4c1d-7e3f-8a9b-0c1d2e3f4a5b"
        ));
    }
}
