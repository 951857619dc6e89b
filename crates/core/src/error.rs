//! Why a rule refused a change, with the stable problem code the server sends and the SPA
//! turns into words; and per-field validation errors, typed by field and code.

use serde::{Deserialize, Serialize};

use crate::model::{Entity, EventAction, Status};
use crate::problem::ProblemCode;

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
    InvalidState { from: Status, action: EventAction },
    /// What a command read as `from` was changed by someone else before its write (a
    /// compare-and-set found the row moved on).
    #[error("no longer {from}: it was changed meanwhile")]
    Moved { from: Status },
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
    /// No such thing, or not one the actor may see.
    #[error("{0} not found")]
    NotFound(Entity),
    /// House calls are booked by volunteers a worker has approved.
    #[error("a community worker has to approve you before you book house calls")]
    VolunteerNotApproved,
    #[error("you already hold {limit} house calls; finish one first")]
    TooManyHouseCalls { limit: u32 },
    /// Fair shares: nobody holds every unit of every wish.
    #[error("you hold {holding} units not yet delivered; at most {limit} at once, deliver or give some back first")]
    TooManyClaims { limit: u32, holding: u32 },
    /// An account whose phone is not verified holds at most `limit` units (when the server
    /// sets such a limit).
    #[error("verify your phone number to hold more than {limit} units at once")]
    PhoneUnverified { limit: u32 },
    /// A pledge (or its variant) has fewer units left than asked.
    #[error("only {remaining} left in this pledge")]
    PledgeExhausted { remaining: u32 },
    /// The shop withdrew the pledge: it changes no more.
    #[error("this pledge was withdrawn")]
    PledgeWithdrawn,
    /// A wish needs fewer units than allocated.
    #[error("the wish needs only {remaining} more")]
    WishFull { remaining: u32 },
    /// Another volunteer took the call for help first.
    #[error("another volunteer took this call first")]
    CallTaken,
    /// A request has `limit` photos of that stage already.
    #[error("at most {limit} photos of each stage")]
    TooManyPhotos { limit: usize },
    /// A wish is published only for a household that consented (a child's guardian too).
    #[error(
        "the household has not consented to publishing (a child also needs a guardian's consent)"
    )]
    ConsentMissing,
    /// A volunteer received as many households' contacts in a day as one may.
    #[error("you booked house calls at {limit} homes today; more tomorrow")]
    TooManyReveals { limit: u32 },
    /// The last worker of a community may not delete their own account.
    #[error("you are the last worker of your community: add another worker first")]
    LastWorker,
    /// A hand-over code that names no claim or allocation of the worker's community.
    #[error("no hand-over with this code here")]
    UnknownCode,
    /// A certificate asked for a period without a house call a worker confirmed.
    #[error("no house call of yours was confirmed in this period")]
    NoConfirmedVisits,
}

impl RuleError {
    /// The stable code clients rely on.
    pub fn code(&self) -> ProblemCode {
        match self {
            RuleError::WishFullyClaimed => ProblemCode::WishFullyClaimed,
            RuleError::NotEnoughRemaining { .. } => ProblemCode::NotEnoughRemaining,
            RuleError::InvalidState { .. } | RuleError::Moved { .. } => ProblemCode::InvalidState,
            RuleError::Validation(_) => ProblemCode::ValidationFailed,
            RuleError::Forbidden { .. } => ProblemCode::Forbidden,
            RuleError::ClaimNotYours => ProblemCode::ClaimNotYours,
            RuleError::IdConflict => ProblemCode::IdConflict,
            RuleError::NotFound(_) => ProblemCode::NotFound,
            RuleError::VolunteerNotApproved => ProblemCode::VolunteerNotApproved,
            RuleError::TooManyHouseCalls { .. } => ProblemCode::TooManyHouseCalls,
            RuleError::TooManyClaims { .. } => ProblemCode::TooManyClaims,
            RuleError::PhoneUnverified { .. } => ProblemCode::PhoneUnverified,
            RuleError::PledgeExhausted { .. } => ProblemCode::PledgeExhausted,
            RuleError::PledgeWithdrawn => ProblemCode::PledgeWithdrawn,
            RuleError::WishFull { .. } => ProblemCode::WishFull,
            RuleError::CallTaken => ProblemCode::CallTaken,
            RuleError::TooManyPhotos { .. } => ProblemCode::TooManyPhotos,
            RuleError::ConsentMissing => ProblemCode::ConsentMissing,
            RuleError::LastWorker => ProblemCode::LastWorker,
            RuleError::TooManyReveals { .. } => ProblemCode::TooManyReveals,
            RuleError::UnknownCode => ProblemCode::UnknownCode,
            RuleError::NoConfirmedVisits => ProblemCode::NoConfirmedVisits,
        }
    }

    /// A refusal for one field.
    pub fn field(field: Field, code: FieldCode, message: impl Into<String>) -> RuleError {
        let mut errors = ValidationErrors::default();
        errors.add(field, code, message);
        RuleError::Validation(errors)
    }
}

string_enum! {
    /// The input fields rules check, named as in the JSON bodies.
    Field {
        DisplayName = "display_name",
        Phone = "phone",
        Password = "password",
        Role = "role",
        Quantity = "quantity",
        Note = "note",
        SlotStart = "slot_start",
        SlotEnd = "slot_end",
        Reason = "reason",
        Title = "title",
        Description = "description",
        Unit = "unit",
        Alias = "alias",
        Grid = "grid",
        NeededBy = "needed_by",
        Name = "name",
        Address = "address",
        Groups = "groups",
        Notes = "notes",
        ConsentOn = "consent_on",
        GuardianConsentOn = "guardian_consent_on",
        HouseholdId = "household_id",
        Station = "station",
        Hours = "hours",
        Contact = "contact",
        CampaignId = "campaign_id",
        Text = "text",
        Minutes = "minutes",
        Variants = "variants",
        Variant = "variant",
        Goal = "goal",
        StartsOn = "starts_on",
        EndsOn = "ends_on",
        From = "from",
        To = "to",
        Category = "category",
        BuildingId = "building_id",
        Place = "place",
        Channel = "channel",
        OnBehalf = "on_behalf",
        Handler = "handler",
        PublicSummary = "public_summary",
        Rating = "rating",
        Into = "into",
        WishId = "wish_id",
        Ids = "ids",
        Keys = "keys",
        CommunityId = "community_id",
        /// A one-time SMS code.
        Code = "code",
        CurrentPassword = "current_password",
        /// A past year of a shop's giving.
        Year = "year",
        Units = "units",
        Wishes = "wishes",
    }
}

string_enum! {
    /// What is wrong with a field.
    FieldCode {
        Required = "required",
        Length = "length",
        TooShort = "too_short",
        TooLong = "too_long",
        OutOfRange = "out_of_range",
        ControlCharacters = "control_characters",
        Invalid = "invalid",
        TooCommon = "too_common",
        NotSelfService = "not_self_service",
        ServiceIsOneVisit = "service_is_one_visit",
        NotForItems = "not_for_items",
        InThePast = "in_the_past",
        TooFar = "too_far",
        BeforeStart = "before_start",
        AfterNeededBy = "after_needed_by",
        /// Names nothing known (a grid, a household, a campaign).
        Unknown = "unknown",
        /// An alias or public text that shows the household's real name.
        RevealsName = "reveals_name",
        /// A wish's quantity below what is already claimed.
        BelowClaimed = "below_claimed",
        InTheFuture = "in_the_future",
        /// A pledge offered to a community neither the shop's own nor paired with it.
        NotPaired = "not_paired",
        /// A house call reported done before its slot began.
        BeforeSlot = "before_slot",
        Duplicate = "duplicate",
        /// A total that is not the sum of its parts.
        NotTheSum = "not_the_sum",
        /// Public text with a phone number in it.
        RevealsPhone = "reveals_phone",
        /// Public text that shows where someone lives (their unit).
        RevealsAddress = "reveals_address",
    }
}

/// One invalid field: which, a stable code, and a message for developers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    pub field: Field,
    pub code: FieldCode,
    pub message: String,
}

/// Every invalid field of an input, so a form can mark them all at once.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ValidationErrors(pub Vec<FieldError>);

impl ValidationErrors {
    pub fn add(&mut self, field: Field, code: FieldCode, message: impl Into<String>) {
        self.0.push(FieldError {
            field,
            code,
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn has(&self, field: Field) -> bool {
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
