//! What the sync driver takes from the browser besides fetch and IndexedDB: the network's
//! and the server's events (a notice the service worker was pushed too), timers, and the
//! session cookie's hint.

use leptos::prelude::{GetValue, SetValue};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use microwish_core::engine::Input;

use super::Sync;
use crate::api::ApiError;

impl Sync {
    /// Wakes the engine in `ms` milliseconds, replacing the timer set before.
    pub(super) fn wake_in(&self, ms: u32) {
        let Some(window) = web_sys::window() else {
            return;
        };
        if let Some(previous) = self.timer.get_value() {
            window.clear_timeout_with_handle(previous);
        }
        let sync = *self;
        let wake = Closure::once_into_js(move || sync.send(Input::Wake));
        let handle = window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                wake.unchecked_ref(),
                i32::try_from(ms).unwrap_or(i32::MAX),
            )
            .ok();
        self.timer.set_value(handle);
    }

    /// The browser's events the engine needs: the network going and coming (at once, not
    /// after a failed request), and the server's stream of change pokes.
    pub(super) fn listen(&self) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let sync = *self;
        let online = Closure::<dyn FnMut()>::new(move || {
            sync.send(Input::Online);
            sync.retry_photos();
        });
        let offline = Closure::<dyn FnMut()>::new(move || sync.send(Input::Offline));
        let _ = window.add_event_listener_with_callback("online", online.as_ref().unchecked_ref());
        let _ =
            window.add_event_listener_with_callback("offline", offline.as_ref().unchecked_ref());
        // A notice pushed to this device: something changed, pull it now (the event stream of
        // a page in the background may be asleep).
        let container = window.navigator().service_worker();
        let pushed = Closure::<dyn FnMut()>::new(move || sync.send(Input::Wake));
        if !container.is_undefined() {
            let _ = container
                .add_event_listener_with_callback("message", pushed.as_ref().unchecked_ref());
        }
        // They live as long as the app.
        online.forget();
        offline.forget();
        pushed.forget();
        let Ok(events) = web_sys::EventSource::new("/api/events") else {
            return;
        };
        let on_change = Closure::<dyn FnMut()>::new(move || sync.send(Input::Wake));
        let _ =
            events.add_event_listener_with_callback("change", on_change.as_ref().unchecked_ref());
        let on_open = Closure::<dyn FnMut()>::new(move || sync.send(Input::Live(true)));
        events.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        let on_error = Closure::<dyn FnMut()>::new(move || sync.send(Input::Live(false)));
        events.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_change.forget();
        on_open.forget();
        on_error.forget();
        std::mem::forget(events);
    }
}

/// `request`, or "no connection" if it takes longer than `ms` milliseconds.
pub async fn within<T>(
    ms: u32,
    request: impl std::future::Future<Output = Result<T, ApiError>>,
) -> Result<T, ApiError> {
    let request = Box::pin(request);
    let timeout = Box::pin(sleep(ms));
    match futures::future::select(request, timeout).await {
        futures::future::Either::Left((result, _)) => result,
        futures::future::Either::Right(((), _)) => Err(ApiError::Unreachable),
    }
}

/// Waits `ms` milliseconds.
pub async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
                &resolve,
                i32::try_from(ms).unwrap_or(i32::MAX),
            );
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Whether the server said it started a session on this browser (its `mw_signed_in`
/// cookie; the session's own cookie is out of the app's reach).
pub(super) fn session_hint() -> bool {
    web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.dyn_into::<web_sys::HtmlDocument>().ok())
        .and_then(|document| document.cookie().ok())
        .is_some_and(|cookies| {
            cookies
                .split(';')
                .any(|cookie| cookie.trim() == "mw_signed_in=1")
        })
}
