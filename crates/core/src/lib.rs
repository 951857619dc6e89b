//! `microwish-core`: every rule of microwish in one place, shared by the server and
//! the SPA (it builds for native and wasm32 and does no I/O; clocks are passed in).
//!
//! - [`ids`]: typed ids, phone numbers and display names, parsed once at the edge;
//! - [`model`]: domain types and the views that leave the server;
//! - [`problem`]: the problem codes every refusal is reported with, and their HTTP statuses;
//! - [`clock`]: China time, "today" and the community day;
//! - [`rules`]: wish and claim state machines, the quantity rule;
//! - [`command`]: every write as a command, with its validation;
//! - [`gates`]: who may use what by role, each gate once;
//! - [`decide`]: what a command does, decided once from the facts (server and phone alike);
//! - [`overlay`]: the phone's cache with pending commands applied through [`decide`];
//! - [`engine`]: the phone's sync engine, a plain state machine over outbox and cache;
//! - [`stats`]: the workers' report (months, grids, volunteer hours, shops), counted once;
//! - [`sync`]: the push/pull protocol types;
//! - [`account`], [`validate`]: registration and input validation with per-field errors.

/// Declares a fieldless enum stored and sent as a snake_case string, with the complete list
/// of its values and a parser for query strings and database rows.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::error::UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::error::UnknownValue {
                        kind: stringify!($name),
                        value: s.to_owned(),
                    }),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.pad(self.as_str())
            }
        }
    };
}

pub mod account;
pub mod clock;
pub mod command;
pub mod decide;
pub mod engine;
pub mod error;
pub mod gates;
pub mod ids;
pub mod model;
pub mod overlay;
pub mod problem;
pub mod rules;
pub mod stats;
pub mod sync;
pub mod validate;

pub use error::{Field, FieldCode, FieldError, RuleError, ValidationErrors};
pub use ids::*;
pub use model::*;
pub use problem::ProblemCode;
