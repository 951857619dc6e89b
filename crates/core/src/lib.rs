//! `microwish-core`: every rule of microwish in one place, shared by the server and
//! the SPA (it builds for native and wasm32 and does no I/O; clocks are passed in).
//!
//! - [`ids`]: typed ids, phone numbers and display names, parsed once at the edge;
//! - [`model`]: domain types and the views that leave the server;
//! - [`problem`]: the problem codes every refusal is reported with, and their HTTP statuses;
//! - [`public_text`]: what public text may not show of a household (name, address, phones);
//! - [`clock`]: China time, "today" and the community day;
//! - [`rules`]: wish and claim state machines, the quantity rule;
//! - [`command`]: every write as a command, with its validation;
//! - [`facts`]: what a decision reads, gathered by one set of rules from the store or the cache;
//! - [`gates`]: who may use what by role, each gate once;
//! - [`handover`]: the codes givers show at the station, and how a typed one is read;
//! - [`decide`]: what a command does, decided once from the facts (server and phone alike);
//! - [`overlay`]: the phone's cache with pending commands applied through [`decide`];
//! - [`engine`]: the phone's sync engine, a plain state machine over outbox and cache;
//! - [`giving`]: why a giver's claim ended, and which wishes to help after a finished one;
//! - [`certificate`]: a volunteer's service certificate, its totals and who issues and revokes it;
//! - [`stats`]: the workers' report (months, grids, volunteer hours, shops), counted once;
//! - [`visibility`]: who may see which entity and which of its fields (every read asks it);
//! - [`notices`]: who is told of what a command did, and how a notice leaves the app;
//! - [`sync`]: the push/pull protocol types;
//! - [`import`]: a worker's spreadsheet of households or wishes as commands, with its report;
//! - [`account`], [`validate`]: registration and input validation with per-field errors.

/// Declares a fieldless enum stored and sent as a snake_case string, with the complete list
/// of its values and a parser for query strings and database rows. Each value is spelled
/// once, by its literal: serde, the database (`as_str`) and the parser all use it; a test
/// per enum (named after it) checks that they agree on every value. The literal is taken as a
/// plain token (`tt`, not `literal`): utoipa cannot read a `literal` fragment inside
/// `#[serde(rename = …)]` and would document the Rust variant names instead.
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $text:tt),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name { $($(#[$vmeta])* #[serde(rename = $text)] $variant),+ }

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

        // A function may share the enum's name (they live in different namespaces): the
        // test reads as `model::WishStatus`.
        #[cfg(test)]
        #[test]
        #[allow(non_snake_case)]
        fn $name() {
            $crate::spelled_once($name::ALL);
        }
    };
}

/// Every value of a [`string_enum!`] reads and writes as its one literal: serde's JSON string
/// is `as_str()`, and both parsers (serde's and `FromStr`) give the value back.
#[cfg(test)]
fn spelled_once<T>(all: &[T])
where
    T: Copy + Eq + std::fmt::Debug + std::fmt::Display + std::str::FromStr,
    T: serde::Serialize + serde::de::DeserializeOwned,
    T::Err: std::fmt::Debug,
{
    assert!(!all.is_empty());
    for &value in all {
        let text = value.to_string();
        assert_eq!(
            serde_json::to_value(value).unwrap(),
            serde_json::Value::String(text.clone()),
            "{value:?}: serde and the database spell it alike"
        );
        assert_eq!(text.parse::<T>().unwrap(), value, "{value:?} from text");
        assert_eq!(
            serde_json::from_value::<T>(serde_json::Value::String(text)).unwrap(),
            value,
            "{value:?} from JSON"
        );
    }
}

pub mod account;
pub mod certificate;
pub mod clock;
pub mod command;
pub mod decide;
pub mod engine;
pub mod error;
pub mod facts;
pub mod gates;
pub mod giving;
pub mod handover;
pub mod ids;
pub mod import;
pub mod model;
pub mod notices;
pub mod overlay;
pub mod pairing;
pub mod phone_code;
pub mod problem;
pub mod public_text;
pub mod rules;
pub mod share;
pub mod sheet;
pub mod shop_record;
pub mod stats;
pub mod sync;
pub mod validate;
pub mod visibility;

pub use error::{Field, FieldCode, FieldError, RuleError, ValidationErrors};
pub use handover::{HandoverCode, HandoverConfirmed, HandoverKind, HandoverTarget};
pub use ids::*;
pub use model::*;
pub use problem::ProblemCode;
