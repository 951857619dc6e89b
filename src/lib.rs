//! microwish (微心愿): the phone-first single-page app.
//!
//! - [`app`]: the router and the contexts provided once;
//! - [`api`]: the typed HTTP client over core's types;
//! - [`pages`]: one routed page per file; [`components`]: reusable pieces;
//! - [`filters`]: the wish-list filters, kept in the URL;
//! - [`i18n`]: every user-visible string (zh-CN first).

pub mod api;
pub mod app;
pub mod components;
pub mod filters;
pub mod format;
pub mod i18n;
pub mod pages;
