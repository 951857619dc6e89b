//! microwish (微心愿): the phone-first single-page app.
//!
//! - [`app`]: the router and the contexts provided once;
//! - [`api`]: the typed HTTP client over core's types;
//! - [`session`]: who is logged in; [`china_time`]: the community's clock (UTC+8);
//! - [`pages`]: one routed page per file; [`components`]: reusable pieces;
//! - [`filters`]: the wish-list filters, kept in the URL;
//! - [`i18n`]: every user-visible string (zh-CN first).

pub mod api;
pub mod app;
pub mod china_time;
pub mod components;
pub mod filters;
pub mod format;
pub mod i18n;
pub mod pages;
pub mod service_worker;
pub mod session;
pub mod store;
pub mod sync;
