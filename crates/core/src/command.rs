//! Commands: every write is one of these, validated here and applied by one
//! function in the server (REST endpoints and sync push both go through it).
//!
//! On the wire a command is `{"name": "claim_wish", "args": {...}}`: the name is
//! the snake_case command name, the args the same JSON as the REST body plus the target id.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{RuleError, ValidationErrors};
use crate::model::{ClaimStatus, Id, Role, WishKind};
use crate::rules::ClaimAction;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "name", content = "args", rename_all = "snake_case")]
pub enum Command {
    ClaimWish(ClaimWish),
    ReleaseClaim(ClaimRef),
    MarkDelivered(ClaimRef),
    ConfirmClaim(ClaimRef),
    RejectClaim(RejectClaim),
}

impl Command {
    pub fn name(&self) -> &'static str {
        match self {
            Command::ClaimWish(_) => "claim_wish",
            Command::ReleaseClaim(_) => "release_claim",
            Command::MarkDelivered(_) => "mark_delivered",
            Command::ConfirmClaim(_) => "confirm_claim",
            Command::RejectClaim(_) => "reject_claim",
        }
    }

    /// The claim the command creates or changes (a new claim's id only when the client
    /// made it).
    pub fn claim_id(&self) -> Option<Id> {
        match self {
            Command::ClaimWish(claim) => claim.id,
            Command::ReleaseClaim(target)
            | Command::MarkDelivered(target)
            | Command::ConfirmClaim(target) => Some(target.claim_id),
            Command::RejectClaim(reject) => Some(reject.claim_id),
        }
    }
}

/// A donor or volunteer takes `quantity` units of a wish (a house call: with a time slot).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimWish {
    /// Made by the client so that a retried request cannot create a second claim.
    #[serde(default)]
    pub id: Option<Id>,
    pub wish_id: Id,
    /// Signed so that 0 and negative numbers are reported as a field error, not a parse error.
    pub quantity: i64,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub slot_start: Option<DateTime<Utc>>,
    #[serde(default)]
    pub slot_end: Option<DateTime<Utc>>,
}

/// The body of `POST /api/wishes/{id}/claims`: a `ClaimWish` without the wish id (it is in the path).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimRequest {
    #[serde(default)]
    pub id: Option<Id>,
    pub quantity: i64,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub slot_start: Option<DateTime<Utc>>,
    #[serde(default)]
    pub slot_end: Option<DateTime<Utc>>,
}

impl ClaimRequest {
    pub fn for_wish(self, wish_id: Id) -> ClaimWish {
        ClaimWish {
            id: self.id,
            wish_id,
            quantity: self.quantity,
            note: self.note,
            slot_start: self.slot_start,
            slot_end: self.slot_end,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimRef {
    pub claim_id: Id,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RejectClaim {
    pub claim_id: Id,
    pub reason: String,
}

/// The body of `POST /api/claims/{id}/reject`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RejectRequest {
    pub reason: String,
}

pub const NOTE_MAX_CHARS: usize = 200;
pub const REASON_CHARS: std::ops::RangeInclusive<usize> = 2..=200;
pub const CLAIM_QUANTITY_MAX: i64 = 10_000;
pub const SLOT_MIN_MINUTES: i64 = 15;
pub const SLOT_MAX_MINUTES: i64 = 8 * 60;

/// The community keeps China Standard Time (UTC+8, no daylight saving): a wish needed
/// "by 12 March" may be served until the end of that day there.
pub fn community_day_end(date: NaiveDate) -> DateTime<Utc> {
    let offset = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    let next_midnight = date.succ_opt().unwrap_or(date).and_time(NaiveTime::MIN);
    offset
        .from_local_datetime(&next_midnight)
        .single()
        .map(|time| time.with_timezone(&Utc))
        .unwrap_or_else(|| Utc.from_utc_datetime(&next_midnight))
}

/// What validating a claim needs to know about its wish.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WishFacts {
    pub kind: WishKind,
    pub needed_by: Option<NaiveDate>,
}

/// A claim that passed validation, with its text trimmed and its quantity typed.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidClaim {
    pub quantity: u32,
    pub note: String,
    pub slot: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

impl ClaimWish {
    /// Checks the claim's own fields against its wish, at `now`. Whether enough units
    /// remain is decided by [`crate::rules::Units::claim`] inside the transaction.
    pub fn validate(&self, wish: WishFacts, now: DateTime<Utc>) -> Result<ValidClaim, RuleError> {
        let mut errors = ValidationErrors::default();
        if !(1..=CLAIM_QUANTITY_MAX).contains(&self.quantity) {
            errors.add(
                "quantity",
                "out_of_range",
                format!("must be between 1 and {CLAIM_QUANTITY_MAX}"),
            );
        }
        if wish.kind == WishKind::Service && self.quantity != 1 {
            errors.add(
                "quantity",
                "service_is_one_visit",
                "a house call is one visit",
            );
        }
        let note = self.note.as_deref().unwrap_or_default().trim().to_owned();
        if note.chars().count() > NOTE_MAX_CHARS {
            errors.add(
                "note",
                "too_long",
                format!("at most {NOTE_MAX_CHARS} characters"),
            );
        }
        let slot = match (wish.kind, self.slot_start, self.slot_end) {
            (WishKind::Item, None, None) => None,
            (WishKind::Item, _, _) => {
                errors.add(
                    "slot_start",
                    "not_for_items",
                    "only house calls take a time slot",
                );
                None
            }
            (WishKind::Service, Some(start), Some(end)) => {
                check_slot(&mut errors, start, end, wish.needed_by, now);
                Some((start, end))
            }
            (WishKind::Service, start, end) => {
                if start.is_none() {
                    errors.add("slot_start", "required", "choose when you will come");
                }
                if end.is_none() {
                    errors.add("slot_end", "required", "choose when you will finish");
                }
                None
            }
        };
        let quantity = u32::try_from(self.quantity).unwrap_or(0);
        errors.into_result(ValidClaim {
            quantity,
            note,
            slot,
        })
    }
}

fn check_slot(
    errors: &mut ValidationErrors,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    needed_by: Option<NaiveDate>,
    now: DateTime<Utc>,
) {
    let minutes = (end - start).num_minutes();
    if end <= start {
        errors.add("slot_end", "before_start", "must be after the start");
    } else if minutes < SLOT_MIN_MINUTES {
        errors.add(
            "slot_end",
            "too_short",
            format!("at least {SLOT_MIN_MINUTES} minutes"),
        );
    } else if minutes > SLOT_MAX_MINUTES {
        errors.add(
            "slot_end",
            "too_long",
            format!("at most {} hours", SLOT_MAX_MINUTES / 60),
        );
    }
    // A little slack for a phone whose clock is a few minutes behind.
    if start < now - Duration::minutes(5) {
        errors.add("slot_start", "in_the_past", "must be in the future");
    }
    if let Some(needed_by) = needed_by {
        if end > community_day_end(needed_by) {
            errors.add("slot_end", "after_needed_by", "must end by the wish's date");
        }
    }
}

impl RejectClaim {
    pub fn validate(&self) -> Result<String, RuleError> {
        let reason = self.reason.trim().to_owned();
        let mut errors = ValidationErrors::default();
        if !REASON_CHARS.contains(&reason.chars().count()) {
            errors.add(
                "reason",
                "length",
                format!(
                    "{} to {} characters",
                    REASON_CHARS.start(),
                    REASON_CHARS.end()
                ),
            );
        }
        errors.into_result(reason)
    }
}

/// Who is acting: a signed-in user, or the system (the hold timer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    User { id: Id, role: Role },
    System,
}

impl Actor {
    pub fn user_id(&self) -> Option<Id> {
        match self {
            Actor::User { id, .. } => Some(*id),
            Actor::System => None,
        }
    }
}

/// Who may claim what: items by donors and volunteers, house calls by volunteers.
pub fn may_claim(role: Role, kind: WishKind) -> Result<(), RuleError> {
    match (role, kind) {
        (Role::Donor | Role::Volunteer, WishKind::Item) | (Role::Volunteer, WishKind::Service) => {
            Ok(())
        }
        (Role::Donor, WishKind::Service) => Err(RuleError::Forbidden {
            reason: "house calls are taken by volunteers",
        }),
        _ => Err(RuleError::Forbidden {
            reason: "only donors and volunteers claim wishes",
        }),
    }
}

/// Who may move a claim: its owner delivers or releases it, a worker confirms or
/// rejects it, only the system lets it expire.
pub fn may_act_on_claim(actor: Actor, owner: Id, action: ClaimAction) -> Result<(), RuleError> {
    match (action, actor) {
        (ClaimAction::Expire, Actor::System) => Ok(()),
        (ClaimAction::Expire, _) => Err(RuleError::Forbidden {
            reason: "claims expire by themselves",
        }),
        (_, Actor::System) => Err(RuleError::Forbidden {
            reason: "the system only expires claims",
        }),
        (ClaimAction::Deliver | ClaimAction::Release, Actor::User { id, .. }) => {
            if id == owner {
                Ok(())
            } else {
                Err(RuleError::ClaimNotYours)
            }
        }
        (ClaimAction::Confirm | ClaimAction::Reject, Actor::User { role, .. }) => {
            if role == Role::Worker {
                Ok(())
            } else {
                Err(RuleError::Forbidden {
                    reason: "only community workers confirm or reject claims",
                })
            }
        }
    }
}

/// How long an active claim holds its units before they go back to the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HoldPolicy {
    /// An item must reach the grid station within this time.
    pub item: Duration,
    /// A house call is held until this long after its slot ends.
    pub after_slot: Duration,
}

impl Default for HoldPolicy {
    fn default() -> Self {
        HoldPolicy {
            item: Duration::days(7),
            after_slot: Duration::days(1),
        }
    }
}

impl HoldPolicy {
    pub fn hold_until(&self, now: DateTime<Utc>, slot_end: Option<DateTime<Utc>>) -> DateTime<Utc> {
        match slot_end {
            Some(end) => end + self.after_slot,
            None => now + self.item,
        }
    }
}

/// Volunteer time credited for a confirmed house call: the length of its slot.
pub fn volunteer_minutes(status: ClaimStatus, slot: Option<(DateTime<Utc>, DateTime<Utc>)>) -> u32 {
    match (status, slot) {
        (ClaimStatus::Confirmed, Some((start, end))) if end > start => {
            u32::try_from((end - start).num_minutes()).unwrap_or(0)
        }
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 7, 1, 2, 0, 0).unwrap()
    }

    fn claim(quantity: i64) -> ClaimWish {
        ClaimWish {
            id: None,
            wish_id: crate::model::new_id(),
            quantity,
            note: Some("  周六送到  ".into()),
            slot_start: None,
            slot_end: None,
        }
    }

    const ITEM: WishFacts = WishFacts {
        kind: WishKind::Item,
        needed_by: None,
    };

    fn service_by(day: u32) -> WishFacts {
        WishFacts {
            kind: WishKind::Service,
            needed_by: NaiveDate::from_ymd_opt(2026, 7, day),
        }
    }

    #[test]
    fn commands_travel_as_name_and_args() {
        let command = Command::ReleaseClaim(ClaimRef {
            claim_id: crate::model::new_id(),
        });
        let json = serde_json::to_value(&command).unwrap();
        assert_eq!(json["name"], "release_claim");
        assert!(json["args"]["claim_id"].is_string());
        let back: Command = serde_json::from_value(json).unwrap();
        assert_eq!(back, command);
        assert_eq!(back.name(), "release_claim");
        assert_eq!(
            back.claim_id(),
            Some(match &back {
                Command::ReleaseClaim(target) => target.claim_id,
                _ => unreachable!(),
            })
        );
    }

    #[test]
    fn quantity_must_be_positive_and_bounded() {
        for bad in [0, -1, CLAIM_QUANTITY_MAX + 1, i64::MAX] {
            let RuleError::Validation(errors) = claim(bad).validate(ITEM, now()).unwrap_err()
            else {
                panic!("expected a validation error");
            };
            assert!(errors.has("quantity"));
        }
        let valid = claim(3).validate(ITEM, now()).unwrap();
        assert_eq!(valid.quantity, 3);
        assert_eq!(valid.note, "周六送到");
    }

    #[test]
    fn items_take_no_slot_and_services_need_one_inside_the_window() {
        let mut item = claim(1);
        item.slot_start = Some(now());
        assert!(item.validate(ITEM, now()).is_err());

        let mut visit = claim(1);
        assert!(
            visit.validate(service_by(3), now()).is_err(),
            "slot required"
        );
        // 10:00–11:00 China time on 3 July.
        visit.slot_start = Some(Utc.with_ymd_and_hms(2026, 7, 3, 2, 0, 0).unwrap());
        visit.slot_end = Some(Utc.with_ymd_and_hms(2026, 7, 3, 3, 0, 0).unwrap());
        let valid = visit.validate(service_by(3), now()).unwrap();
        assert!(valid.slot.is_some());
        // The same slot is too late for a wish needed by 2 July.
        let RuleError::Validation(errors) = visit.validate(service_by(2), now()).unwrap_err()
        else {
            panic!()
        };
        assert!(errors.has("slot_end"));
        // A slot ending before it starts, too short, or in the past.
        let mut backwards = visit.clone();
        backwards.slot_end = backwards.slot_start.map(|s| s - Duration::hours(1));
        assert!(backwards.validate(service_by(3), now()).is_err());
        let mut short = visit.clone();
        short.slot_end = short.slot_start.map(|s| s + Duration::minutes(5));
        assert!(short.validate(service_by(3), now()).is_err());
        let mut past = visit.clone();
        past.slot_start = Some(now() - Duration::hours(2));
        past.slot_end = Some(now() - Duration::hours(1));
        assert!(past.validate(service_by(3), now()).is_err());
        // Two people for one visit is still one visit.
        let mut two = visit;
        two.quantity = 2;
        assert!(two.validate(service_by(3), now()).is_err());
    }

    #[test]
    fn community_day_ends_at_midnight_china_time() {
        let end = community_day_end(NaiveDate::from_ymd_opt(2026, 7, 3).unwrap());
        assert_eq!(end, Utc.with_ymd_and_hms(2026, 7, 3, 16, 0, 0).unwrap());
    }

    #[test]
    fn who_may_claim_what() {
        assert!(may_claim(Role::Donor, WishKind::Item).is_ok());
        assert!(may_claim(Role::Volunteer, WishKind::Item).is_ok());
        assert!(may_claim(Role::Volunteer, WishKind::Service).is_ok());
        assert_eq!(
            may_claim(Role::Donor, WishKind::Service)
                .unwrap_err()
                .code(),
            "forbidden"
        );
        assert!(may_claim(Role::Shopkeeper, WishKind::Item).is_err());
        assert!(may_claim(Role::Worker, WishKind::Item).is_err());
    }

    #[test]
    fn who_may_act_on_a_claim() {
        let owner = crate::model::new_id();
        let donor = Actor::User {
            id: owner,
            role: Role::Donor,
        };
        let other = Actor::User {
            id: crate::model::new_id(),
            role: Role::Donor,
        };
        let worker = Actor::User {
            id: crate::model::new_id(),
            role: Role::Worker,
        };
        for action in [ClaimAction::Deliver, ClaimAction::Release] {
            assert!(may_act_on_claim(donor, owner, action).is_ok());
            assert_eq!(
                may_act_on_claim(other, owner, action).unwrap_err().code(),
                "claim_not_yours"
            );
            assert_eq!(
                may_act_on_claim(worker, owner, action).unwrap_err().code(),
                "claim_not_yours"
            );
        }
        for action in [ClaimAction::Confirm, ClaimAction::Reject] {
            assert!(may_act_on_claim(worker, owner, action).is_ok());
            assert_eq!(
                may_act_on_claim(donor, owner, action).unwrap_err().code(),
                "forbidden"
            );
        }
        assert!(may_act_on_claim(Actor::System, owner, ClaimAction::Expire).is_ok());
        assert!(may_act_on_claim(worker, owner, ClaimAction::Expire).is_err());
        assert!(may_act_on_claim(Actor::System, owner, ClaimAction::Release).is_err());
    }

    #[test]
    fn holds_and_volunteer_time() {
        let policy = HoldPolicy::default();
        assert_eq!(policy.hold_until(now(), None), now() + Duration::days(7));
        let end = now() + Duration::hours(30);
        assert_eq!(policy.hold_until(now(), Some(end)), end + Duration::days(1));
        let slot = Some((now(), now() + Duration::minutes(90)));
        assert_eq!(volunteer_minutes(ClaimStatus::Confirmed, slot), 90);
        assert_eq!(volunteer_minutes(ClaimStatus::Delivered, slot), 0);
        assert_eq!(volunteer_minutes(ClaimStatus::Confirmed, None), 0);
    }

    #[test]
    fn reject_needs_a_reason() {
        let reject = |reason: &str| RejectClaim {
            claim_id: crate::model::new_id(),
            reason: reason.into(),
        };
        assert!(reject(" ").validate().is_err());
        assert_eq!(reject(" 物品不符 ").validate().unwrap(), "物品不符");
    }
}
