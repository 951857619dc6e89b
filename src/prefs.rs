//! What a person chooses for this device: the language and elder mode (长辈模式). Kept in the
//! browser's local storage, so they outlive logging out (a phone shared in a family keeps its
//! large text), and applied to `<html>` before the first page draws.

use crate::i18n::{self, Texts};

// public/prefs.js reads the same two keys to dress index.html's shell before the app loads.
const LANGUAGE_KEY: &str = "microwish.language";
const ELDER_KEY: &str = "microwish.elder";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn root() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.document_element()
}

/// Reads the saved choices and applies them to the page; call before mounting the app.
pub fn apply_saved() {
    let saved = storage().and_then(|storage| storage.get_item(LANGUAGE_KEY).ok()?);
    i18n::speak(
        saved
            .as_deref()
            .and_then(i18n::language)
            .unwrap_or(i18n::LANGUAGES[0]),
    );
    let t = i18n::t();
    if let Some(root) = root() {
        let _ = root.set_attribute("lang", t.tag);
    }
    if let Some(document) = web_sys::window().and_then(|window| window.document()) {
        document.set_title(&format!("{} · {}", t.app_name, t.community));
    }
    show_elder(elder_mode());
}

/// Saves the language and reloads the page in it.
pub fn choose_language(language: &Texts) {
    if let Some(storage) = storage() {
        // Private mode may refuse; the choice then lasts for this page only.
        let _ = storage.set_item(LANGUAGE_KEY, language.tag);
    }
    i18n::speak(language);
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

pub fn elder_mode() -> bool {
    storage()
        .and_then(|storage| storage.get_item(ELDER_KEY).ok()?)
        .is_some_and(|value| value == "on")
}

/// Turns elder mode on or off for this device, at once.
pub fn set_elder_mode(on: bool) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(ELDER_KEY, if on { "on" } else { "off" });
    }
    show_elder(on);
}

fn show_elder(on: bool) {
    if let Some(root) = root() {
        let _ = root.class_list().toggle_with_force("elder", on);
    }
}
