//! Notices as commands: a user marks theirs read (offline too, through sync push), and the
//! hold timer reminds people of what is about to run out or has run late (only the system
//! may).

use serde::{Deserialize, Serialize};

use crate::error::{Field, FieldCode, RuleError};
use crate::ids::{NoticeId, RequestId};
use crate::model::Overdue;

/// `mark_notices_read`, and the body of `POST /api/me/notices/read`: these notices (`ids`), or
/// every one of the user's (`all`). Marking one read again changes nothing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MarkNoticesRead {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ids: Vec<NoticeId>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub all: bool,
}

/// The most notices marked read by id at once (`all` has no limit).
pub const MARK_READ_MAX: usize = 500;

impl MarkNoticesRead {
    /// Some notices, or all of them.
    pub fn validate(&self) -> Result<(), RuleError> {
        if self.all {
            return Ok(());
        }
        if self.ids.is_empty() {
            return Err(RuleError::field(
                Field::Ids,
                FieldCode::Required,
                "name the notices, or send all: true",
            ));
        }
        if self.ids.len() > MARK_READ_MAX {
            return Err(RuleError::field(
                Field::Ids,
                FieldCode::TooLong,
                format!("at most {MARK_READ_MAX} at once"),
            ));
        }
        Ok(())
    }
}

/// `remind_request`: the hold timer tells a community's workers that one of its requests
/// missed `limit` (once per limit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RequestReminder {
    pub request_id: RequestId,
    pub limit: Overdue,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn some_notices_or_all_of_them() {
        assert!(MarkNoticesRead::default().validate().is_err());
        let all = MarkNoticesRead {
            all: true,
            ..MarkNoticesRead::default()
        };
        assert!(all.validate().is_ok());
        let some = MarkNoticesRead {
            ids: vec![NoticeId(uuid::Uuid::nil())],
            all: false,
        };
        assert!(some.validate().is_ok());
        let too_many = MarkNoticesRead {
            ids: vec![NoticeId(uuid::Uuid::nil()); MARK_READ_MAX + 1],
            all: false,
        };
        assert!(too_many.validate().is_err());
        let json = serde_json::to_value(&all).unwrap();
        assert_eq!(json, serde_json::json!({"all": true}));
    }
}
