//! What a person chooses for this device: the language and elder mode (长辈模式). Kept in the
//! browser's local storage, so they outlive logging out (a phone shared in a family keeps its
//! large text), and applied to `<html>` before the first page draws.

use std::sync::atomic::{AtomicU8, Ordering};

/// The app's languages; Chinese first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    ZhCn,
    En,
}

impl Language {
    pub const ALL: [Language; 2] = [Language::ZhCn, Language::En];

    /// The BCP 47 tag, for `<html lang>` and the browser's `Intl`.
    pub fn tag(self) -> &'static str {
        match self {
            Language::ZhCn => "zh-CN",
            Language::En => "en",
        }
    }

    /// Its own name, the same in every language (a person looking for theirs reads it).
    pub fn name(self) -> &'static str {
        match self {
            Language::ZhCn => "中文",
            Language::En => "English",
        }
    }

    fn from_tag(tag: &str) -> Option<Language> {
        Language::ALL
            .into_iter()
            .find(|language| language.tag() == tag)
    }
}

// public/prefs.js reads the same two keys to dress index.html's shell before the app loads.
const LANGUAGE_KEY: &str = "microwish.language";
const ELDER_KEY: &str = "microwish.elder";

/// The language in use, read once at start-up (0 = Chinese, 1 = English); a change reloads
/// the page, so every text is drawn in one language.
static LANGUAGE: AtomicU8 = AtomicU8::new(0);

pub fn language() -> Language {
    match LANGUAGE.load(Ordering::Relaxed) {
        1 => Language::En,
        _ => Language::ZhCn,
    }
}

fn set_language_now(language: Language) {
    LANGUAGE.store(language as u8, Ordering::Relaxed);
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn root() -> Option<web_sys::Element> {
    web_sys::window()?.document()?.document_element()
}

/// Reads the saved choices and applies them to the page; call before mounting the app.
pub fn apply_saved() {
    let saved = storage().and_then(|storage| storage.get_item(LANGUAGE_KEY).ok()?);
    set_language_now(
        saved
            .as_deref()
            .and_then(Language::from_tag)
            .unwrap_or(Language::ZhCn),
    );
    if let Some(root) = root() {
        let _ = root.set_attribute("lang", language().tag());
    }
    if let Some(document) = web_sys::window().and_then(|window| window.document()) {
        let t = crate::i18n::t();
        document.set_title(&format!("{} · {}", t.app_name, t.community));
    }
    show_elder(elder_mode());
}

/// Saves the language and reloads the page in it.
pub fn choose_language(language: Language) {
    if let Some(storage) = storage() {
        // Private mode may refuse; the choice then lasts for this page only.
        let _ = storage.set_item(LANGUAGE_KEY, language.tag());
    }
    set_language_now(language);
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
