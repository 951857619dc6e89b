//! Registers the service worker (`public/sw.js`, stamped per build by `scripts/stamp-sw.sh`)
//! that caches the app shell, so that the app opens with no network.

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// Registers `/sw.js` in the background. Without it the app only loses offline start-up, so
/// a failure (an old browser, a private window) is logged, never fatal.
pub fn register() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    // `navigator.serviceWorker` is undefined outside secure contexts (plain http, not localhost).
    if container.is_undefined() {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        if let Err(error) = JsFuture::from(container.register("/sw.js")).await {
            web_sys::console::warn_2(&JsValue::from_str("service worker not registered:"), &error);
        }
    });
}
