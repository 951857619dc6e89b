//! microwish (微心愿): the phone-first single-page app.
//!
//! - [`app`]: the router and the contexts provided once;
//! - [`state`]: what the screens show, a signal per entity; [`session`]: who is logged in;
//! - [`sync`]: the driver that runs core's sync engine in the browser; [`store`]: IndexedDB;
//! - [`api`]: the typed HTTP client over core's types;
//! - [`pages`]: one routed page per file; [`components`]: reusable pieces;
//! - [`filters`]: the wish-list and inbox filters, kept in the URL;
//! - [`photos`]: a request's photos, made smaller on the phone and sent once their request is;
//! - [`notices`]: what a notice links to and names; [`push`]: its alerts on this device;
//! - [`china_time`]: the browser's clock and the time inputs (the rules are core's `clock`);
//! - [`shell`]: when the page drawn before the app (index.html, the server's first screen)
//!   makes way for it;
//! - [`i18n`]: every user-visible string (zh-CN first, English); [`prefs`]: language and
//!   elder mode, per device.

pub mod api;
pub mod app;
pub mod china_time;
pub mod components;
pub mod filters;
pub mod i18n;
pub mod notices;
pub mod pages;
pub mod photos;
pub mod prefs;
pub mod push;
pub mod service_worker;
pub mod session;
pub mod shell;
pub mod state;
pub mod store;
pub mod sync;
