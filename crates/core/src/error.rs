//! Errors of the rules, each with a stable machine-readable code that the
//! server sends in problem+json and the SPA turns into a message.

use serde::{Deserialize, Serialize};

/// A text that is not one of an enum's values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} value {value:?}")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

/// Why a rule refused a change.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("this wish has nothing left to claim")]
    WishFullyClaimed,
    #[error("only {remaining} left to claim")]
    NotEnoughRemaining { remaining: u32 },
    #[error("cannot {action} while {from}")]
    InvalidState {
        from: &'static str,
        action: &'static str,
    },
    #[error("invalid input")]
    Validation(ValidationErrors),
    /// The actor's role may not do this at all.
    #[error("not allowed: {reason}")]
    Forbidden { reason: &'static str },
    /// The claim belongs to someone else.
    #[error("this claim belongs to someone else")]
    ClaimNotYours,
    /// A client-made id already names a different thing.
    #[error("this id is already used for something else")]
    IdConflict,
}

impl RuleError {
    /// The stable code clients rely on.
    pub fn code(&self) -> &'static str {
        match self {
            RuleError::WishFullyClaimed => "wish_fully_claimed",
            RuleError::NotEnoughRemaining { .. } => "not_enough_remaining",
            RuleError::InvalidState { .. } => "invalid_state",
            RuleError::Validation(_) => "validation_failed",
            RuleError::Forbidden { .. } => "forbidden",
            RuleError::ClaimNotYours => "claim_not_yours",
            RuleError::IdConflict => "id_conflict",
        }
    }
}

/// One invalid field: which, a stable code, and a message for developers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

/// Every invalid field of an input, so a form can mark them all at once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn add(&mut self, field: &str, code: &str, message: impl Into<String>) {
        self.0.push(FieldError {
            field: field.to_owned(),
            code: code.to_owned(),
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|error| error.field == field)
    }

    /// `Ok(value)` when nothing was added, the collected errors otherwise.
    pub fn into_result<T>(self, value: T) -> Result<T, RuleError> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(RuleError::Validation(self))
        }
    }
}
