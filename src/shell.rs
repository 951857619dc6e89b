//! The shell index.html draws while the app loads, and the moment the app takes its place.
//!
//! Usually the app takes over as it mounts. But when the server has drawn the page itself into
//! the shell (the list's first screen, a shared wish's or campaign's page:
//! `crates/server/src/first_screen.rs`),
//! the app's page has nothing to show until its first sync: taking over at once would swap
//! wishes for a loading line and back. So then the shell stays, the app hidden behind it
//! (style/main.css), until that page is ready or has said why it is not (it calls
//! [`take_over`]), or [`HOLD_AT_MOST_MS`] have passed.

use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// However long the first sync takes, the app is shown after this.
const HOLD_AT_MOST_MS: i32 = 10_000;

/// Called as the app mounts: takes over at once, unless the shell holds a page the server drew
/// and the app opens on that page (the list, a wish, a campaign).
pub fn mount() {
    let holds_page = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| {
            document
                .query_selector("#shell.first-screen")
                .ok()
                .flatten()
        })
        .is_some();
    let on_drawn_page = web_sys::window()
        .and_then(|window| window.location().pathname().ok())
        .is_some_and(|path| {
            path == "/" || path.starts_with("/wishes/") || path.starts_with("/campaigns/")
        });
    if !(holds_page && on_drawn_page) {
        take_over();
        return;
    }
    if let Some(window) = web_sys::window() {
        let give_way = Closure::once_into_js(take_over);
        // Without a timer the list's own call still takes over.
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            give_way.unchecked_ref(),
            HOLD_AT_MOST_MS,
        );
    }
}

/// Takes over once `ready` is true: the page it is called from has what the server drew (it
/// is tracked, so it is asked again as the page's signals change).
pub fn take_over_when(ready: impl Fn() -> bool + 'static) {
    leptos::prelude::Effect::new(move |_| {
        if ready() {
            take_over();
        }
    });
}

/// Whether the sync has heard from the server (or knows it cannot): an inner page the server
/// drew may take over then even without its entity, which is then truly not there (a cache
/// from an earlier visit may not have it yet before that).
pub fn heard_from_server(data: crate::state::Data) -> bool {
    use leptos::prelude::Get;
    use microwish_core::engine::SyncStatus;
    matches!(
        data.status.get(),
        SyncStatus::Synced | SyncStatus::Offline(_) | SyncStatus::Failed
    )
}

/// The shell makes way for the app (again: nothing happens).
pub fn take_over() {
    if let Some(shell) = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.get_element_by_id("shell"))
    {
        shell.remove();
    }
}
