//! `microwish-core`: every rule of microwish in one place, shared by the server and
//! the SPA (it builds for native and wasm32 and does no I/O; clocks are passed in).
//!
//! - [`model`]: domain types and the public views that leave the server;
//! - [`rules`]: wish and claim state machines, the quantity rule;
//! - [`validate`]: input validation with per-field errors;
//! - [`command`]: every write as a command, with its validation and permissions;
//! - [`account`]: registration, password and phone rules;
//! - [`sync`]: the push/pull protocol types;
//! - [`optimistic`]: pending commands applied over the cache, with the same rules;
//! - [`error`]: rule errors with stable codes.

pub mod account;
pub mod command;
pub mod error;
pub mod model;
pub mod optimistic;
pub mod rules;
pub mod sync;
pub mod validate;

pub use error::{FieldError, RuleError, ValidationErrors};
pub use model::*;
