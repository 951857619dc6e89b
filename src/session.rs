//! Who is logged in, provided once by the app. The session itself is an HttpOnly cookie
//! the app never sees: at start the sync loop shows the user cached on the device (so the
//! app opens offline), then asks the server whom the cookie belongs to.

use leptos::prelude::*;
use microwish_core::Me;

use crate::api::ApiError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionState {
    /// Waiting for the server to say whom the cookie belongs to.
    Checking,
    LoggedOut,
    LoggedIn(Me),
}

#[derive(Clone, Copy)]
pub struct Session(RwSignal<SessionState>);

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

    pub fn logged_in(&self, me: Me) {
        self.0.set(SessionState::LoggedIn(me));
    }

    pub fn logged_out(&self) {
        self.0.set(SessionState::LoggedOut);
    }

    /// Notes a failed request: `not_logged_in` means the session ended (expired, or
    /// logged out on another tab), so the UI stops showing a logged-in user.
    pub fn check(&self, error: &ApiError) {
        if *error == ApiError::NotLoggedIn {
            self.logged_out();
        }
    }
}

/// The session the app provided.
pub fn use_session() -> Session {
    expect_context::<Session>()
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
