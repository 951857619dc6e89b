//! Sessions: opaque tokens stored only as their SHA-256 hashes, started and ended here, and
//! the recently seen ones kept in memory.

use std::collections::HashMap;
use std::sync::Mutex;

use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use microwish_core::gates::Gate;
use microwish_core::{Me, UserId};
use sha2::{Digest, Sha256};

use crate::app::AppState;
use crate::error::ApiError;
use crate::store;
use crate::store::users::User;
use crate::store::Pool;

/// How long a session lasts at most (and its cookies).
pub const SESSION_DAYS: i64 = 30;
/// Days a session may go unused before it ends (`serve --session-idle-days`).
pub const SESSION_IDLE_DAYS: u32 = 14;
/// How often a session's last use is written down: at most hourly, so that reads stay reads.
pub const SEEN_EVERY: Duration = Duration::hours(1);

/// The hash a session token is stored under.
pub fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Starts a session: 256 random bits for the client, their hash for the database.
pub async fn create_session(
    db: &Pool,
    user: UserId,
    now: DateTime<Utc>,
) -> Result<String, ApiError> {
    let bytes = crate::security::random_bytes::<32>()?;
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let expires = now + Duration::days(SESSION_DAYS);
    store::users::insert_session(db, &token_hash(&token), user, now, expires).await?;
    Ok(token)
}

/// The user of the session stored under `token_hash` if it is live at `now`: not past its
/// end, and used within `idle`. A session that ended is deleted; a live one's last use is
/// written down when the stored one is [`SEEN_EVERY`] old.
pub(super) async fn live_session(
    state: &AppState,
    token_hash: String,
    now: DateTime<Utc>,
) -> Result<Option<User>, ApiError> {
    if let Some(user) = state.sessions.user(&token_hash, now) {
        return Ok(Some(user));
    }
    let Some(stored) = store::users::by_session(&state.db, &token_hash).await? else {
        return Ok(None);
    };
    let idle_end = stored.last_seen_at + state.session_idle;
    if stored.expires_at <= now || idle_end <= now {
        state.sessions.forget(&token_hash);
        store::users::delete_session(&state.db, &token_hash).await?;
        return Ok(None);
    }
    let last_seen_at = if now - stored.last_seen_at >= SEEN_EVERY {
        store::users::touch_session(&state.db, &token_hash, now).await?;
        now
    } else {
        stored.last_seen_at
    };
    let ends = stored.expires_at.min(last_seen_at + state.session_idle);
    state
        .sessions
        .keep(token_hash, &stored.user, ends, last_seen_at);
    Ok(Some(stored.user))
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
    /// When the session ends: its own end, or its last use plus the idle time if sooner.
    expires_at: DateTime<Utc>,
    /// Its last use as stored; once that is [`SEEN_EVERY`] old, the database is asked again
    /// (and told of this use).
    last_seen_at: DateTime<Utc>,
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
    pub(super) fn user(&self, token_hash: &str, now: DateTime<Utc>) -> Option<User> {
        let mut sessions = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        match sessions.get(token_hash) {
            Some(kept)
                if kept.expires_at > now
                    && now - kept.last_seen_at < SEEN_EVERY
                    && kept.read.elapsed() < Self::FOR =>
            {
                Some(kept.user.clone())
            }
            Some(_) => {
                sessions.remove(token_hash);
                None
            }
            None => None,
        }
    }

    pub(super) fn keep(
        &self,
        token_hash: String,
        user: &User,
        expires_at: DateTime<Utc>,
        last_seen_at: DateTime<Utc>,
    ) {
        let mut sessions = self.sessions.lock().unwrap_or_else(|p| p.into_inner());
        if sessions.len() >= Self::MOST {
            sessions.clear();
        }
        let kept = Kept {
            user: user.clone(),
            expires_at,
            last_seen_at,
            read: std::time::Instant::now(),
        };
        sessions.insert(token_hash, kept);
    }

    pub(super) fn forget(&self, token_hash: &str) {
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

/// What `GET /api/me` shows of a user.
pub async fn me(db: &Pool, user: &User) -> Result<Me, ApiError> {
    let standing = store::phone_codes::standing(db, user.id).await?;
    Ok(Me {
        id: user.id,
        display_name: user.display_name.clone(),
        phone: user.phone.clone(),
        role: user.role,
        volunteer_minutes: store::claims::volunteer_minutes(db, user.id).await?,
        volunteer_status: user.volunteer_status,
        party_member: user.party_member,
        community: user.community,
        // Only a shop pledges across a pairing: nobody else's pull pays for the query.
        partner_communities: match user.community {
            Some(community) if Gate::Shopkeeper.admits(user.role, user.community) => {
                store::pairings::partners(db, community).await?
            }
            _ => Vec::new(),
        },
        phone_verified: standing.phone_verified,
        volunteer_reason: microwish_core::visibility::vetting_reason(
            user.volunteer_status,
            standing.vetting_note,
        ),
    })
}
