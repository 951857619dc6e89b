//! Commands: every write is one of these. REST endpoints and sync push build the same
//! command; [`crate::decide`] says what it does; the server's apply path and the phone's
//! overlay carry that out.
//!
//! On the wire a command is `{"name": "claim_wish", "args": {...}}`: the name is the
//! snake_case command name, the args the same JSON as the REST body plus the target id.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::clock::community_day_end;
use crate::error::{Field, FieldCode, RuleError, ValidationErrors};
use crate::gates::Gate;
use crate::ids::{ClaimId, UserId, WishId};
use crate::model::{ClaimStatus, Me, PublicWish, Role, WishKind, WishStatus};
use crate::rules::ClaimAction;

mod households;
mod notices;
mod pledges;
mod requests;
#[cfg(test)]
mod validation_props;
mod volunteers;
mod wishes;

pub use households::*;
pub use notices::*;
pub use pledges::*;
pub use requests::*;
pub use volunteers::*;
pub use wishes::*;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "name", content = "args", rename_all = "snake_case")]
pub enum Command {
    ClaimWish(ClaimWish),
    ReleaseClaim(ReleaseClaim),
    MarkDelivered(ClaimRef),
    ConfirmClaim(ConfirmClaim),
    RejectClaim(RejectClaim),
    /// The hold timer lets an active claim go (only the system may).
    ExpireClaim(ClaimRef),
    /// A worker records the household's thanks for a confirmed claim.
    RecordThanks(RecordThanks),
    CreateHousehold(NewHousehold),
    UpdateHousehold(HouseholdUpdate),
    /// A worker deletes a household (PIPL): its private fields are erased, its open wishes
    /// withdrawn.
    DeleteHousehold(HouseholdRef),
    CreateWish(NewWish),
    UpdateWish(WishUpdate),
    CancelWish(CancelWish),
    CloseWish(CloseWish),
    ApproveVolunteer(VolunteerDecision),
    SuspendVolunteer(VolunteerDecision),
    CreatePledge(NewPledge),
    /// `update_pledge` (`PATCH /api/pledges/{id}`): the shop changes its pledge, sent whole
    /// with its `id`, checked as a new one is; never below what is given out (per size too),
    /// and still offered to the same community.
    UpdatePledge(NewPledge),
    /// The shop takes back what of its pledge is not yet given out.
    WithdrawPledge(PledgeRef),
    AllocatePledge(NewAllocation),
    /// The shop dropped allocated goods at the station.
    DeliverAllocation(AllocationRef),
    /// The shop had marked them dropped at the station by mistake (until a worker confirms).
    UndeliverAllocation(AllocationRef),
    ConfirmAllocation(AllocationRef),
    CancelAllocation(AllocationRef),
    ThankShop(ThankShop),
    CreateCampaign(NewCampaign),
    /// A worker changes a drive's text, goal or dates.
    UpdateCampaign(CampaignUpdate),
    /// A worker ends a drive early.
    EndCampaign(CampaignRef),
    /// A resident files a request (or a worker logs one on someone's behalf).
    FileRequest(NewRequest),
    AcceptRequest(RequestRef),
    DispatchRequest(RequestDispatch),
    /// A worker calls the grid's party-member volunteers (支部吹哨).
    CallVolunteers(RequestRef),
    /// A party-member volunteer takes the call: the first to take it holds it.
    TakeCall(RequestRef),
    StartRequest(RequestRef),
    NoteRequest(RequestNote),
    ResolveRequest(RequestResolution),
    /// The requester confirms the fix, with a rating.
    ConfirmRequest(RequestRating),
    ReopenRequest(RequestReason),
    DeclineRequest(RequestReason),
    MergeRequest(RequestMerge),
    ConvertRequest(RequestConversion),
    /// The requester's answer time ran out: a resolved request closes unrated (only the
    /// system may, as only it lets claims expire).
    CloseRequest(RequestRef),
    /// A user marks their notices read.
    MarkNoticesRead(MarkNoticesRead),
    /// The hold timer tells the claimer their hold ends within a day (only the system may).
    RemindClaim(ClaimRef),
    /// The hold timer tells the workers a request missed a limit (only the system may).
    RemindRequest(RequestReminder),
    /// A worker at the station confirms what a giver's hand-over code stands for: the claim's
    /// delivery or the allocation's receipt, as [`Command::ConfirmClaim`] and
    /// [`Command::ConfirmAllocation`] do.
    ConfirmHandover(ConfirmHandover),
}

/// `PUT /api/grids/{id}/station` (a worker of the grid's community): when its station is
/// open, whom to ask for and a phone to call, all public. Set online, not through the outbox:
/// it is the community's own notice board, changed seldom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StationDetails {
    #[serde(default)]
    pub hours: String,
    #[serde(default)]
    pub contact: String,
    /// A mobile or a landline, or empty.
    #[serde(default)]
    pub phone: String,
}

impl StationDetails {
    /// Checked and trimmed: `(hours, contact, phone)`.
    pub fn validate(&self) -> Result<(String, String, String), RuleError> {
        crate::validate::station_details(&self.hours, &self.contact, &self.phone)
    }
}

/// A donor or volunteer takes `quantity` units of a wish (a house call: with a time slot).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimWish {
    /// Made by the client so that a retried request cannot create a second claim.
    #[serde(default = "ClaimId::generate")]
    pub id: ClaimId,
    pub wish_id: WishId,
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ClaimRequest {
    #[serde(default)]
    pub id: Option<ClaimId>,
    pub quantity: i64,
    #[serde(default)]
    pub note: Option<String>,
    #[serde(default)]
    pub slot_start: Option<DateTime<Utc>>,
    #[serde(default)]
    pub slot_end: Option<DateTime<Utc>>,
}

impl ClaimRequest {
    pub fn for_wish(self, wish_id: WishId) -> ClaimWish {
        ClaimWish {
            id: self.id.unwrap_or_else(ClaimId::generate),
            wish_id,
            quantity: self.quantity,
            note: self.note,
            slot_start: self.slot_start,
            slot_end: self.slot_end,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ClaimRef {
    pub claim_id: ClaimId,
}

/// The claimer gives a held claim back: all of it, or only `quantity` of its units (the rest
/// stays theirs, with the same deadline).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReleaseClaim {
    pub claim_id: ClaimId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<u32>,
}

/// The body of `POST /api/claims/{id}/release` (optional): how many units to give back.
/// Other fields are ignored, as they were before the body had any (old clients send some).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReleaseRequest {
    /// Units to give back; absent: all of them.
    #[serde(default)]
    pub quantity: Option<u32>,
}

/// A worker confirms a delivery or a house call; for a house call, the minutes credited to
/// the volunteer (the slot's length unless the worker says otherwise).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ConfirmClaim {
    pub claim_id: ClaimId,
    #[serde(default)]
    pub minutes: Option<u32>,
}

/// The code a giver shows at the station, as the worker typed or scanned it (read by
/// [`crate::handover::HandoverCode::parse`]); also the body of `POST /api/handover`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConfirmHandover {
    pub code: String,
}

/// The body of `POST /api/claims/{id}/confirm`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ConfirmRequest {
    #[serde(default)]
    pub minutes: Option<u32>,
}

/// The household's thanks for a claim, as a worker heard it (the claimer sees it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordThanks {
    pub claim_id: ClaimId,
    pub text: String,
}

/// The body of `POST /api/claims/{id}/thanks`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ThanksRequest {
    pub text: String,
}

pub const THANKS_CHARS: std::ops::RangeInclusive<usize> = 2..=200;
/// The most minutes a worker may credit for one house call.
pub const MINUTES_MAX: u32 = 12 * 60;

impl ConfirmClaim {
    pub fn validate(&self) -> Result<Option<u32>, RuleError> {
        match self.minutes {
            Some(minutes) if !(1..=MINUTES_MAX).contains(&minutes) => Err(RuleError::field(
                Field::Minutes,
                FieldCode::OutOfRange,
                format!("1 to {MINUTES_MAX} minutes"),
            )),
            minutes => Ok(minutes),
        }
    }
}

impl RecordThanks {
    pub fn validate(&self) -> Result<String, RuleError> {
        crate::validate::only_text(Field::Text, &self.text, THANKS_CHARS)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RejectClaim {
    pub claim_id: ClaimId,
    pub reason: String,
}

/// The body of `POST /api/claims/{id}/reject`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RejectRequest {
    pub reason: String,
}

pub const NOTE_MAX_CHARS: usize = 200;
pub const REASON_CHARS: std::ops::RangeInclusive<usize> = 2..=200;
pub const CLAIM_QUANTITY_MAX: i64 = 10_000;
pub const SLOT_MIN_MINUTES: i64 = 15;
pub const SLOT_MAX_MINUTES: i64 = 8 * 60;
/// How far ahead a house call may be booked for a wish without a date (China days from
/// today): a slot years ahead would hold the visit, and the household's contact, for nothing.
pub const SLOT_HORIZON_DAYS: u64 = 90;

/// A house call's time slot.
pub type Slot = (DateTime<Utc>, DateTime<Utc>);

/// A claim that passed validation, with its text trimmed and its quantity typed.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidClaim {
    pub quantity: u32,
    pub note: String,
    pub slot: Option<Slot>,
}

impl ClaimWish {
    /// Checks the claim's own fields against a wish of `kind` needed by `needed_by`, at
    /// `now`. Whether enough units remain is [`crate::rules::Units::claim`]'s to say.
    pub fn validate(
        &self,
        kind: WishKind,
        needed_by: Option<NaiveDate>,
        now: DateTime<Utc>,
    ) -> Result<ValidClaim, RuleError> {
        let mut errors = ValidationErrors::default();
        if !(1..=CLAIM_QUANTITY_MAX).contains(&self.quantity) {
            errors.add(
                Field::Quantity,
                FieldCode::OutOfRange,
                format!("must be between 1 and {CLAIM_QUANTITY_MAX}"),
            );
        }
        if kind == WishKind::Service && self.quantity != 1 {
            errors.add(
                Field::Quantity,
                FieldCode::ServiceIsOneVisit,
                "a house call is one visit",
            );
        }
        let note = self.note.as_deref().unwrap_or_default().trim().to_owned();
        if note.chars().count() > NOTE_MAX_CHARS {
            errors.add(
                Field::Note,
                FieldCode::TooLong,
                format!("at most {NOTE_MAX_CHARS} characters"),
            );
        }
        let slot = match (kind, self.slot_start, self.slot_end) {
            (WishKind::Item, None, None) => None,
            (WishKind::Item, _, _) => {
                errors.add(
                    Field::SlotStart,
                    FieldCode::NotForItems,
                    "only house calls take a time slot",
                );
                None
            }
            (WishKind::Service, Some(start), Some(end)) => {
                check_slot(&mut errors, start, end, needed_by, now);
                Some((start, end))
            }
            (WishKind::Service, start, end) => {
                if start.is_none() {
                    errors.add(
                        Field::SlotStart,
                        FieldCode::Required,
                        "choose when you will come",
                    );
                }
                if end.is_none() {
                    errors.add(
                        Field::SlotEnd,
                        FieldCode::Required,
                        "choose when you will finish",
                    );
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

/// Whether a house call may start at `start`: not in the past (with a little slack for a
/// phone whose clock is a few minutes behind). The booking form offers only such times.
pub fn slot_start_allowed(start: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    start >= now - Duration::minutes(5)
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
        errors.add(
            Field::SlotEnd,
            FieldCode::BeforeStart,
            "must be after the start",
        );
    } else if minutes < SLOT_MIN_MINUTES {
        errors.add(
            Field::SlotEnd,
            FieldCode::TooShort,
            format!("at least {SLOT_MIN_MINUTES} minutes"),
        );
    } else if minutes > SLOT_MAX_MINUTES {
        errors.add(
            Field::SlotEnd,
            FieldCode::TooLong,
            format!("at most {} hours", SLOT_MAX_MINUTES / 60),
        );
    }
    if !slot_start_allowed(start, now) {
        errors.add(
            Field::SlotStart,
            FieldCode::InThePast,
            "must be in the future",
        );
    }
    match needed_by {
        Some(needed_by) => {
            if end > community_day_end(needed_by) {
                errors.add(
                    Field::SlotEnd,
                    FieldCode::AfterNeededBy,
                    "must end by the wish's date",
                );
            }
        }
        None => {
            let today = crate::clock::community_today(now);
            let last = today
                .checked_add_days(chrono::Days::new(SLOT_HORIZON_DAYS))
                .unwrap_or(today);
            if start >= community_day_end(last) {
                errors.add(
                    Field::SlotStart,
                    FieldCode::TooFar,
                    format!("must be within {SLOT_HORIZON_DAYS} days"),
                );
            }
        }
    }
}

impl RejectClaim {
    /// The reason, trimmed, if it is long enough to mean something (as every reason).
    pub fn validate(&self) -> Result<String, RuleError> {
        crate::validate::only_text(Field::Reason, &self.reason, REASON_CHARS)
    }
}

/// Who is acting: a signed-in user, or the system (the hold timer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    User { id: UserId, role: Role },
    System,
}

impl Actor {
    pub fn user_id(&self) -> Option<UserId> {
        match self {
            Actor::User { id, .. } => Some(*id),
            Actor::System => None,
        }
    }

    pub fn of(me: &Me) -> Actor {
        Actor::User {
            id: me.id,
            role: me.role,
        }
    }
}

/// Who may claim what: items by donors and volunteers (the claimer gate), house calls by
/// volunteers.
pub fn may_claim(role: Role, kind: WishKind) -> Result<(), RuleError> {
    Gate::Claimer.admit(role, None)?;
    match (role, kind) {
        (Role::Donor, WishKind::Service) => Err(RuleError::Forbidden {
            reason: "house calls are taken by volunteers",
        }),
        _ => Ok(()),
    }
}

/// Who may move a claim: its owner delivers or releases it, a worker confirms or
/// rejects it, only the system lets it expire.
pub fn may_act_on_claim(actor: Actor, owner: UserId, action: ClaimAction) -> Result<(), RuleError> {
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

/// What the claim part of a wish's page offers, given who is looking and the wish's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimOffer {
    /// Not known yet who is logged in.
    Waiting,
    /// The wish takes no claims now (all claimed, fulfilled, closed…).
    NotOpen(WishStatus),
    LogIn,
    /// A donor looking at a house call: those are for volunteers.
    VolunteersOnly,
    /// Shopkeepers and workers do not claim wishes.
    NotForRole(Role),
    /// A volunteer not (or no longer) approved by a worker, at a house call.
    AwaitingApproval,
    Claim,
}

/// [`may_claim`] decides who claims what; the offer only adds the wish's state and whether
/// anyone is logged in (`None` while that is not known yet).
pub fn claim_offer(viewer: Option<Option<&Me>>, wish: &PublicWish) -> ClaimOffer {
    if wish.status != WishStatus::Open {
        return ClaimOffer::NotOpen(wish.status);
    }
    if wish.remaining == 0 {
        return ClaimOffer::NotOpen(WishStatus::Claimed);
    }
    match viewer {
        None => ClaimOffer::Waiting,
        Some(None) => ClaimOffer::LogIn,
        Some(Some(me)) => match may_claim(me.role, wish.kind) {
            Ok(())
                if wish.kind == WishKind::Service
                    && me.volunteer_status != Some(crate::model::VolunteerStatus::Approved) =>
            {
                ClaimOffer::AwaitingApproval
            }
            Ok(()) => ClaimOffer::Claim,
            Err(_) if me.role == Role::Donor => ClaimOffer::VolunteersOnly,
            Err(_) => ClaimOffer::NotForRole(me.role),
        },
    }
}

/// How long an active claim holds its units before they go back to the pool. The server
/// runs with one (set on its command line) and sends it to phones with every pull, so an
/// offline claim shows the deadline the server will set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HoldPolicy {
    /// An item must reach the grid station within this time (minutes).
    #[serde(with = "minutes")]
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub item: Duration,
    /// A house call is held until this long after its slot ends (minutes).
    #[serde(with = "minutes")]
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
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

/// The settings the rules run with: the server's (from its command line), sent to phones with
/// every pull so that the overlay decides as the server will (and, for 我的, whether notices
/// can go out by SMS at all).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Policy {
    pub hold: HoldPolicy,
    /// How many house calls a volunteer may hold at once.
    pub max_house_calls: u32,
    /// How many item units one person may hold claimed (not yet delivered) at once.
    #[serde(default = "default_max_claim_units")]
    pub max_claim_units: u32,
    /// How many item units an account whose phone is not verified (by an SMS code, or by
    /// being added by the community) may hold claimed at once; `None`: the same as anyone.
    /// An operator's choice (`--unverified-claim-units`): fresh sign-ups cannot hold a
    /// week's worth of wishes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unverified_claim_units: Option<u32>,
    /// How fast requests are to be accepted and resolved, and how long a requester has to
    /// answer a resolution.
    #[serde(default)]
    pub requests: crate::model::RequestLimits,
    /// Whether this server sends SMS (an operator named a gateway): without one the phone
    /// offers no SMS choices.
    #[serde(default)]
    pub sms: bool,
}

fn default_max_claim_units() -> u32 {
    Policy::default().max_claim_units
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            hold: HoldPolicy::default(),
            max_house_calls: 3,
            max_claim_units: 20,
            unverified_claim_units: None,
            requests: crate::model::RequestLimits::default(),
            sms: false,
        }
    }
}

/// Durations travel as whole minutes.
pub(crate) mod minutes {
    use chrono::Duration;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(duration: &Duration, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_i64(duration.num_minutes())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Duration, D::Error> {
        Ok(Duration::minutes(i64::deserialize(deserializer)?))
    }
}

/// Volunteer time credited for a confirmed house call: the length of its slot.
pub fn volunteer_minutes(status: ClaimStatus, slot: Option<Slot>) -> u32 {
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
    use crate::ProblemCode;
    use chrono::TimeZone;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 7, 1, 2, 0, 0).unwrap()
    }

    fn claim(quantity: i64) -> ClaimWish {
        ClaimWish {
            id: ClaimId::generate(),
            wish_id: WishId::generate(),
            quantity,
            note: Some("  周六送到  ".into()),
            slot_start: None,
            slot_end: None,
        }
    }

    fn by(day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(2026, 7, day)
    }

    fn fields(error: RuleError) -> ValidationErrors {
        match error {
            RuleError::Validation(errors) => errors,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn commands_travel_as_name_and_args() {
        let command = Command::ReleaseClaim(ReleaseClaim {
            claim_id: ClaimId::generate(),
            quantity: None,
        });
        let json = serde_json::to_value(&command).unwrap();
        assert_eq!(json["name"], "release_claim");
        assert!(json["args"]["claim_id"].is_string());
        let back: Command = serde_json::from_value(json).unwrap();
        assert_eq!(back, command);
    }

    #[test]
    fn quantity_must_be_positive_and_bounded() {
        for bad in [0, -1, CLAIM_QUANTITY_MAX + 1, i64::MAX] {
            let errors = fields(
                claim(bad)
                    .validate(WishKind::Item, None, now())
                    .unwrap_err(),
            );
            assert!(errors.has(Field::Quantity));
        }
        let valid = claim(3).validate(WishKind::Item, None, now()).unwrap();
        assert_eq!(valid.quantity, 3);
        assert_eq!(valid.note, "周六送到");
    }

    #[test]
    fn items_take_no_slot_and_services_need_one_inside_the_window() {
        let service = WishKind::Service;
        let mut item = claim(1);
        item.slot_start = Some(now());
        assert!(item.validate(WishKind::Item, None, now()).is_err());

        let mut visit = claim(1);
        assert!(
            visit.validate(service, by(3), now()).is_err(),
            "slot required"
        );
        // 10:00–11:00 China time on 3 July.
        visit.slot_start = Some(Utc.with_ymd_and_hms(2026, 7, 3, 2, 0, 0).unwrap());
        visit.slot_end = Some(Utc.with_ymd_and_hms(2026, 7, 3, 3, 0, 0).unwrap());
        assert!(visit
            .validate(service, by(3), now())
            .unwrap()
            .slot
            .is_some());
        // The same slot is too late for a wish needed by 2 July.
        let errors = fields(visit.validate(service, by(2), now()).unwrap_err());
        assert!(errors.has(Field::SlotEnd));
        // A slot ending before it starts, too short, or in the past.
        let mut backwards = visit.clone();
        backwards.slot_end = backwards.slot_start.map(|s| s - Duration::hours(1));
        assert!(backwards.validate(service, by(3), now()).is_err());
        let mut short = visit.clone();
        short.slot_end = short.slot_start.map(|s| s + Duration::minutes(5));
        assert!(short.validate(service, by(3), now()).is_err());
        let mut past = visit.clone();
        past.slot_start = Some(now() - Duration::hours(2));
        past.slot_end = Some(now() - Duration::hours(1));
        assert!(past.validate(service, by(3), now()).is_err());
        // A wish without a date takes a slot up to 90 days ahead (China days), not years.
        let mut far = visit.clone();
        far.slot_start = Some(now() + Duration::days(365 * 3));
        far.slot_end = far.slot_start.map(|s| s + Duration::hours(1));
        let errors = fields(far.validate(service, None, now()).unwrap_err());
        assert!(errors.has(Field::SlotStart));
        assert_eq!(errors.0[0].code, FieldCode::TooFar);
        let last_day = crate::clock::community_today(now()) + Duration::days(90);
        let ten = chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap();
        far.slot_start = Some(crate::clock::from_china(last_day, ten));
        far.slot_end = far.slot_start.map(|s| s + Duration::hours(1));
        assert!(far.validate(service, None, now()).is_ok());
        far.slot_start = far.slot_start.map(|s| s + Duration::days(1));
        far.slot_end = far.slot_start.map(|s| s + Duration::hours(1));
        assert!(far.validate(service, None, now()).is_err());
        // Two people for one visit is still one visit.
        let mut two = visit;
        two.quantity = 2;
        assert!(two.validate(service, by(3), now()).is_err());
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
            ProblemCode::Forbidden
        );
        assert!(may_claim(Role::Shopkeeper, WishKind::Item).is_err());
        assert!(may_claim(Role::Worker, WishKind::Item).is_err());
    }

    #[test]
    fn who_may_act_on_a_claim() {
        let owner = UserId::generate();
        let user = |id, role| Actor::User { id, role };
        let donor = user(owner, Role::Donor);
        let other = user(UserId::generate(), Role::Donor);
        let worker = user(UserId::generate(), Role::Worker);
        for action in [ClaimAction::Deliver, ClaimAction::Release] {
            assert!(may_act_on_claim(donor, owner, action).is_ok());
            for stranger in [other, worker] {
                let refusal = may_act_on_claim(stranger, owner, action).unwrap_err();
                assert_eq!(refusal.code(), ProblemCode::ClaimNotYours);
            }
        }
        for action in [ClaimAction::Confirm, ClaimAction::Reject] {
            assert!(may_act_on_claim(worker, owner, action).is_ok());
            let refusal = may_act_on_claim(donor, owner, action).unwrap_err();
            assert_eq!(refusal.code(), ProblemCode::Forbidden);
        }
        assert!(may_act_on_claim(Actor::System, owner, ClaimAction::Expire).is_ok());
        assert!(may_act_on_claim(worker, owner, ClaimAction::Expire).is_err());
        assert!(may_act_on_claim(Actor::System, owner, ClaimAction::Release).is_err());
    }

    #[test]
    fn who_is_offered_a_claim_follows_the_rules_and_the_wish_state() {
        use crate::overlay::tests::{me, public_wish};
        let item = public_wish(4);
        let mut visit = public_wish(1);
        visit.kind = WishKind::Service;
        let offer = |role: Option<Role>, wish: &PublicWish| {
            let me = role.map(me);
            claim_offer(Some(me.as_ref()), wish)
        };
        assert_eq!(claim_offer(None, &item), ClaimOffer::Waiting);
        assert_eq!(offer(None, &item), ClaimOffer::LogIn);
        assert_eq!(offer(Some(Role::Donor), &item), ClaimOffer::Claim);
        assert_eq!(offer(Some(Role::Volunteer), &item), ClaimOffer::Claim);
        assert_eq!(offer(Some(Role::Volunteer), &visit), ClaimOffer::Claim);
        let mut newcomer = me(Role::Volunteer);
        newcomer.volunteer_status = Some(crate::model::VolunteerStatus::Pending);
        assert_eq!(
            claim_offer(Some(Some(&newcomer)), &visit),
            ClaimOffer::AwaitingApproval
        );
        assert_eq!(offer(Some(Role::Donor), &visit), ClaimOffer::VolunteersOnly);
        assert_eq!(
            offer(Some(Role::Shopkeeper), &item),
            ClaimOffer::NotForRole(Role::Shopkeeper)
        );
        assert_eq!(
            offer(Some(Role::Worker), &visit),
            ClaimOffer::NotForRole(Role::Worker)
        );
        let mut fulfilled = item.clone();
        fulfilled.status = WishStatus::Fulfilled;
        assert_eq!(
            offer(Some(Role::Donor), &fulfilled),
            ClaimOffer::NotOpen(WishStatus::Fulfilled)
        );
        let mut full = item;
        full.remaining = 0;
        assert_eq!(offer(None, &full), ClaimOffer::NotOpen(WishStatus::Claimed));
    }

    #[test]
    fn holds_and_volunteer_time() {
        let policy = HoldPolicy::default();
        assert_eq!(policy.hold_until(now(), None), now() + Duration::days(7));
        let end = now() + Duration::hours(30);
        assert_eq!(policy.hold_until(now(), Some(end)), end + Duration::days(1));
        let json = serde_json::to_value(policy).unwrap();
        assert_eq!(json, serde_json::json!({"item": 10080, "after_slot": 1440}));
        assert_eq!(serde_json::from_value::<HoldPolicy>(json).unwrap(), policy);
        let slot = Some((now(), now() + Duration::minutes(90)));
        assert_eq!(volunteer_minutes(ClaimStatus::Confirmed, slot), 90);
        assert_eq!(volunteer_minutes(ClaimStatus::Delivered, slot), 0);
        assert_eq!(volunteer_minutes(ClaimStatus::Confirmed, None), 0);
    }

    #[test]
    fn reject_needs_a_reason() {
        let reject = |reason: &str| RejectClaim {
            claim_id: ClaimId::generate(),
            reason: reason.into(),
        };
        assert!(reject(" ").validate().is_err());
        assert_eq!(reject(" 物品不符 ").validate().unwrap(), "物品不符");
    }
}
