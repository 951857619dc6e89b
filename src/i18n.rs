//! The app's words: every string lives in the `microwish-i18n` crate, which the server's first
//! screens read too.

pub use microwish_i18n::*;
