//! Lock-screen notices on this device (Web Push): whether the browser can show them, asking
//! for leave only when the user taps 通知我 (never on a first visit), subscribing through the
//! service worker (public/sw.js shows what arrives) with the server's key, telling the server,
//! turning it off again, and letting it go when the user logs out (a shared phone does not
//! keep showing someone else's notices).

use leptos::prelude::*;
use microwish_core::engine::SessionState;
use microwish_core::{PushEndpoint, PushSubscription};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Notification, NotificationPermission, PushManager, ServiceWorkerRegistration};

use crate::api::{self, ApiError};
use crate::state::Data;
use crate::sync::within;

/// How long to wait for the service worker (it may still be installing on a first visit).
const WORKER_WAIT_MS: u32 = 10_000;

/// Where this device stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PushState {
    /// No service worker, Push API or notifications here (an old browser, plain http).
    Unsupported,
    /// The user (or the browser) refused this site's notifications.
    Blocked,
    Off,
    On,
}

/// Why turning alerts on or off did not work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushError {
    /// The user did not allow notifications when asked.
    Blocked,
    /// The server could not be reached (or refused).
    Server(ApiError),
    /// The browser or its push service failed.
    Browser,
}

/// Whether this browser has what alerts need at all.
pub fn supported() -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let has = |name: &str| js_sys::Reflect::has(&window, &JsValue::from_str(name)).unwrap_or(false);
    !window.navigator().service_worker().is_undefined() && has("PushManager") && has("Notification")
}

/// Where this device stands now.
pub async fn state() -> PushState {
    if !supported() {
        return PushState::Unsupported;
    }
    if Notification::permission() == NotificationPermission::Denied {
        return PushState::Blocked;
    }
    match subscription().await {
        Ok(Some(_)) => PushState::On,
        Ok(None) => PushState::Off,
        Err(()) => PushState::Unsupported,
    }
}

/// Asks leave to notify (the user just tapped 通知我), subscribes with the server's key and
/// gives the subscription to the server. A subscription the server did not take is dropped
/// again, so that "on" always means the server knows it.
pub async fn turn_on() -> Result<(), PushError> {
    // First, while the tap still counts as the user's (browsers ask only then).
    let asked = Notification::request_permission().map_err(|_| PushError::Browser)?;
    let answer = JsFuture::from(asked)
        .await
        .map_err(|_| PushError::Blocked)?;
    if answer.as_string().as_deref() != Some("granted") {
        return Err(PushError::Blocked);
    }
    let key = api::push_key().await.map_err(PushError::Server)?;
    let manager = push_manager().await.map_err(|()| PushError::Browser)?;
    let options = web_sys::PushSubscriptionOptionsInit::new();
    options.set_user_visible_only(true);
    options.set_application_server_key_opt_str(Some(&key.key));
    let subscribing = manager
        .subscribe_with_options(&options)
        .map_err(|_| PushError::Browser)?;
    let subscribed: web_sys::PushSubscription = JsFuture::from(subscribing)
        .await
        .map_err(|_| PushError::Browser)?
        .unchecked_into();
    let sent = match as_core(&subscribed) {
        Some(subscription) => api::subscribe_push(&subscription)
            .await
            .map_err(PushError::Server),
        None => Err(PushError::Browser),
    };
    if sent.is_err() {
        let _ = unsubscribe(&subscribed).await;
    }
    sent
}

/// Stops alerts on this device: the server forgets it, then the browser does.
pub async fn turn_off() -> Result<(), PushError> {
    let Ok(Some(subscribed)) = subscription().await else {
        return Ok(());
    };
    let endpoint = PushEndpoint {
        endpoint: subscribed.endpoint(),
    };
    api::unsubscribe_push(&endpoint)
        .await
        .map_err(PushError::Server)?;
    unsubscribe(&subscribed)
        .await
        .map_err(|()| PushError::Browser)
}

/// When the user logs out, this device's subscription goes (its endpoint dies with it, so the
/// server drops it at its next push even when the network is down now).
pub fn forget_at_logout(data: Data) {
    Effect::new(move |was_in: Option<bool>| {
        let is_in = data
            .session
            .with(|state| matches!(state, SessionState::LoggedIn(_)));
        if was_in == Some(true) && !is_in && supported() {
            leptos::task::spawn_local(async {
                if let Ok(Some(subscribed)) = subscription().await {
                    let _ = unsubscribe(&subscribed).await;
                }
            });
        }
        is_in
    });
}

async fn registration() -> Result<ServiceWorkerRegistration, ()> {
    let container = web_sys::window().ok_or(())?.navigator().service_worker();
    let ready = container.ready().map_err(|_| ())?;
    let waited = within(WORKER_WAIT_MS, async {
        JsFuture::from(ready)
            .await
            .map_err(|_| ApiError::Unexpected("no service worker".to_owned()))
    })
    .await;
    waited.map(JsCast::unchecked_into).map_err(|_| ())
}

async fn push_manager() -> Result<PushManager, ()> {
    registration().await?.push_manager().map_err(|_| ())
}

async fn subscription() -> Result<Option<web_sys::PushSubscription>, ()> {
    let asking = push_manager().await?.get_subscription().map_err(|_| ())?;
    let found = JsFuture::from(asking).await.map_err(|_| ())?;
    Ok((!found.is_null() && !found.is_undefined()).then(|| found.unchecked_into()))
}

async fn unsubscribe(subscribed: &web_sys::PushSubscription) -> Result<(), ()> {
    let promise = subscribed.unsubscribe().map_err(|_| ())?;
    JsFuture::from(promise).await.map(drop).map_err(|_| ())
}

/// The subscription as the server takes it (`{endpoint, keys: {p256dh, auth}}`).
fn as_core(subscribed: &web_sys::PushSubscription) -> Option<PushSubscription> {
    let json = subscribed.to_json().ok()?;
    let text = js_sys::JSON::stringify(&json).ok()?.as_string()?;
    serde_json::from_str(&text).ok()
}
