//! Vetting volunteers: a worker approves them after meeting them, or suspends them.

use serde::{Deserialize, Serialize};

use crate::error::{Field, RuleError};
use crate::ids::UserId;
use crate::validate;

/// `approve_volunteer` / `suspend_volunteer`: who, and the worker's note (for a suspension,
/// the reason, which the volunteer's released bookings carry). An approval may also mark the
/// volunteer a party member (党员), or no longer one; absent leaves it as it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VolunteerDecision {
    pub user_id: UserId,
    #[serde(default)]
    pub note: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party_member: Option<bool>,
}

/// The body of `POST /api/volunteers/{user_id}/approve|suspend`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VolunteerRequest {
    #[serde(default)]
    pub note: String,
    /// On approval: a party member (党员), or no longer one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party_member: Option<bool>,
}

pub const VETTING_NOTE_MAX_CHARS: usize = 200;

impl VolunteerDecision {
    /// The note, trimmed; a suspension needs a reason.
    pub fn validate(&self, reason_required: bool) -> Result<String, RuleError> {
        let allowed = if reason_required {
            crate::command::REASON_CHARS
        } else {
            0..=VETTING_NOTE_MAX_CHARS
        };
        validate::only_text(Field::Note, &self.note, allowed)
    }
}
