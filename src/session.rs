//! Who is using the app, and the session's lifecycle. The session itself is an HttpOnly
//! cookie the app never sees; the sync engine knows whom it belongs to (cached on the
//! device, so the app opens offline, then checked with the server). Logging in tells the
//! engine; logging out asks it first whether changes still wait to be sent.

use leptos::prelude::*;
use microwish_core::engine::{SessionState, Unsent};
use microwish_core::Me;

use crate::sync::Sync;

/// The session as the screens see it, provided once by the app.
#[derive(Clone, Copy)]
pub struct Session(pub RwSignal<SessionState>);

impl Session {
    pub fn new(state: SessionState) -> Self {
        Session(RwSignal::new(state))
    }

    /// The current state (tracked).
    pub fn state(&self) -> SessionState {
        self.0.get()
    }

    /// The logged-in user (tracked), `None` while checking or when logged out.
    pub fn user(&self) -> Option<Me> {
        self.0.with(|state| match state {
            SessionState::LoggedIn(me) => Some(me.clone()),
            _ => None,
        })
    }

    /// Who is looking, as core's offers ask it: `None` while not known yet.
    pub fn viewer(&self) -> Option<Option<Me>> {
        match self.state() {
            SessionState::Checking => None,
            SessionState::LoggedOut => Some(None),
            SessionState::LoggedIn(me) => Some(Some(me)),
        }
    }
}

/// The session the app provided.
pub fn use_session() -> Session {
    expect_context::<Session>()
}

/// The login or registration form got `me` from the server: the screens show them at once,
/// and the engine starts over for them (another user) or goes on (the same one).
pub fn logged_in(session: Session, sync: Sync, me: Me) {
    session.0.set(SessionState::LoggedIn(me.clone()));
    sync.logged_in(me);
}

/// What the user chose when changes were still waiting at logout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogOutChoice {
    /// Send them first (now, or as soon as the network is back), then log out.
    SendFirst,
    /// Log out now; they are dropped.
    Discard,
}

/// Logs out; with changes not yet sent, nothing happens and their number comes back so
/// that the user can choose ([`log_out_with`]).
pub async fn log_out(sync: Sync) -> Result<(), Unsent> {
    sync.log_out().await
}

pub async fn log_out_with(sync: Sync, choice: LogOutChoice) {
    match choice {
        LogOutChoice::SendFirst => sync.send_then_log_out().await,
        LogOutChoice::Discard => sync.log_out_now().await,
    }
}

/// Where to go after logging in: `next` if it is a path on this site, else the wish list.
/// Only paths with a single leading `/` are trusted (`//evil.example` and `/\evil.example`
/// would leave the site).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && !path.chars().any(char::is_control) =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// The login page, coming back to `next` afterwards.
pub fn login_url(next: &str) -> String {
    with_next("/login", next)
}

/// The registration page, coming back to `next` afterwards.
pub fn register_url(next: &str) -> String {
    with_next("/register", next)
}

fn with_next(page: &str, next: &str) -> String {
    if next == "/" {
        page.to_owned()
    } else {
        format!("{page}?next={}", js_sys::encode_uri_component(next))
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn login_returns_only_to_paths_on_this_site() {
        assert_eq!(safe_next(Some("/me/claims")), "/me/claims");
        assert_eq!(safe_next(Some("/wishes/1?x=2")), "/wishes/1?x=2");
        for unsafe_next in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example",
            "me",
            "",
            "/a\nb",
        ] {
            assert_eq!(safe_next(Some(unsafe_next)), "/", "{unsafe_next:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
