//! Every problem the API can answer with: one stable code per kind of refusal, with its HTTP
//! status in one table, and the RFC 9457 `application/problem+json` body that carries it.
//! The server builds problems from these codes; the SPA matches on them (never on text) and
//! i18n turns each into words.

use serde::{Deserialize, Serialize};

use crate::engine::Failure;
use crate::error::FieldError;

string_enum! {
    /// The `code` of a problem.
    ProblemCode {
        // 400: the request cannot be understood.
        MalformedJson = "malformed_json",
        BadQuery = "bad_query",
        BadBody = "bad_body",
        TooManyMutations = "too_many_mutations",
        BadMutationId = "bad_mutation_id",
        // 401
        NotLoggedIn = "not_logged_in",
        InvalidCredentials = "invalid_credentials",
        /// The password was right, but after failed logins a worker's account also asks for
        /// the code just sent to its phone (`code` in the login).
        CodeRequired = "code_required",
        // 403
        Forbidden = "forbidden",
        ClaimNotYours = "claim_not_yours",
        CrossSite = "cross_site",
        /// A volunteer not (or no longer) approved by a worker tried to book a house call.
        VolunteerNotApproved = "volunteer_not_approved",
        /// An account whose phone is not verified asked to hold more item units than the
        /// server lets such accounts hold (only where the operator set a limit).
        PhoneUnverified = "phone_unverified",
        // 404
        NotFound = "not_found",
        /// A hand-over code that names nothing of the worker's community.
        UnknownCode = "unknown_code",
        // 409: the state of things does not allow it (now).
        WishFullyClaimed = "wish_fully_claimed",
        NotEnoughRemaining = "not_enough_remaining",
        InvalidState = "invalid_state",
        IdConflict = "id_conflict",
        PhoneTaken = "phone_taken",
        MutationGap = "mutation_gap",
        /// A volunteer already holds as many house calls as one may at once.
        TooManyHouseCalls = "too_many_house_calls",
        /// A donor already holds as many item units (claimed, not yet delivered) as one may.
        TooManyClaims = "too_many_claims",
        /// A pledge (or its variant) has fewer units left than an allocation asks.
        PledgeExhausted = "pledge_exhausted",
        /// The shop withdrew the pledge: it changes no more.
        PledgeWithdrawn = "pledge_withdrawn",
        /// A wish needs fewer units than an allocation gives.
        WishFull = "wish_full",
        /// Another volunteer took the call for help first (the first to take it holds it).
        CallTaken = "call_taken",
        /// A request has as many photos of that stage as it may.
        TooManyPhotos = "too_many_photos",
        /// A wish published for a household without a consent date (or, where a child
        /// lives, without a guardian's consent date).
        ConsentMissing = "consent_missing",
        /// The last worker of a community may not delete their account (nobody would be
        /// left to look after its households).
        LastWorker = "last_worker",
        /// The server has no SMS gateway, so it sends no codes.
        SmsUnavailable = "sms_unavailable",
        // 413, 415
        BodyTooLarge = "body_too_large",
        /// An uploaded photo is larger than allowed (bytes or pixels).
        TooLarge = "too_large",
        UnsupportedMediaType = "unsupported_media_type",
        // 422: well-formed, but wrong.
        ValidationFailed = "validation_failed",
        InvalidBody = "invalid_body",
        /// A pushed mutation this server cannot read (unknown name, wrong arguments).
        InvalidMutation = "invalid_mutation",
        /// An uploaded photo is not a JPEG, PNG or WebP image one can read.
        NotAnImage = "not_an_image",
        /// A push subscription's endpoint that is not an https URL on a public address.
        BadEndpoint = "bad_endpoint",
        /// A service certificate asked for a period with no confirmed house call in it.
        NoConfirmedVisits = "no_confirmed_visits",
        // 429
        TooManyAttempts = "too_many_attempts",
        /// Too many live-update streams open for this user, address, or visitors at large.
        TooManyConnections = "too_many_connections",
        /// A volunteer received as many households' contacts today as one may (house calls
        /// booked at 3 homes in 24 hours).
        TooManyReveals = "too_many_reveals",
        /// Too much at once: come back after `Retry-After` (nothing was done).
        Busy = "busy",
        // 500
        Internal = "internal",
        /// A code this version of the app does not know (a newer server).
        #[serde(other)]
        Unknown = "unknown",
    }
}

impl ProblemCode {
    /// The HTTP status a problem with this code is answered with.
    pub fn status(self) -> u16 {
        use ProblemCode::*;
        match self {
            MalformedJson | BadQuery | BadBody | TooManyMutations | BadMutationId => 400,
            NotLoggedIn | InvalidCredentials | CodeRequired => 401,
            Forbidden | ClaimNotYours | CrossSite | VolunteerNotApproved | PhoneUnverified => 403,
            NotFound | UnknownCode => 404,
            WishFullyClaimed | NotEnoughRemaining | InvalidState | IdConflict | PhoneTaken
            | MutationGap | TooManyHouseCalls | TooManyClaims | PledgeExhausted
            | PledgeWithdrawn | WishFull | CallTaken | TooManyPhotos | ConsentMissing
            | LastWorker | SmsUnavailable => 409,
            BodyTooLarge | TooLarge => 413,
            UnsupportedMediaType => 415,
            ValidationFailed | InvalidBody | InvalidMutation | NotAnImage | BadEndpoint
            | NoConfirmedVisits => 422,
            TooManyAttempts | TooManyConnections | TooManyReveals => 429,
            Busy => 503,
            Internal | Unknown => 500,
        }
    }

    /// The code a bare status stands for, when a proxy answers without a problem body.
    pub fn of_bare_status(status: u16) -> ProblemCode {
        match status {
            401 => ProblemCode::NotLoggedIn,
            404 => ProblemCode::NotFound,
            413 => ProblemCode::BodyTooLarge,
            415 => ProblemCode::UnsupportedMediaType,
            429 => ProblemCode::TooManyAttempts,
            503 => ProblemCode::Busy,
            500.. => ProblemCode::Internal,
            _ => ProblemCode::Unknown,
        }
    }
}

/// An RFC 9457 problem, as the API sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    #[serde(rename = "type")]
    pub kind: String,
    pub title: String,
    pub status: u16,
    pub code: ProblemCode,
    pub detail: String,
    /// Every invalid field, for `validation_failed`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For `mutation_gap`: the mutation id the server expects next from this client.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected: Option<u64>,
}

impl Problem {
    pub fn new(code: ProblemCode, title: &str, detail: impl Into<String>) -> Problem {
        Problem {
            kind: format!("/problems/{code}"),
            title: title.to_owned(),
            status: code.status(),
            code,
            detail: detail.into(),
            errors: Vec::new(),
            expected: None,
        }
    }
}

/// Why a request failed, as a client reads it (the SPA's API calls, and the words that
/// explain each failure).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// No answer at all: offline, the server down, or too slow.
    Unreachable,
    /// The server answered with a problem.
    Problem {
        code: ProblemCode,
        /// What is wrong with each field, for `validation_failed`.
        errors: Vec<FieldError>,
        /// Seconds to wait before trying again, for `too_many_attempts`.
        retry_after: Option<u32>,
        /// The mutation id the server expects next, for `mutation_gap`.
        expected: Option<u64>,
    },
    /// The answer was not what this version of the app expects.
    Unexpected(String),
}

impl ApiError {
    /// A problem with a code only.
    pub fn of(code: ProblemCode) -> Self {
        ApiError::Problem {
            code,
            errors: Vec::new(),
            retry_after: None,
            expected: None,
        }
    }

    /// A form the app itself found invalid, reported like the server's 422 so that both
    /// read the same way.
    pub fn invalid(errors: Vec<FieldError>) -> Self {
        ApiError::Problem {
            code: ProblemCode::ValidationFailed,
            errors,
            retry_after: None,
            expected: None,
        }
    }

    /// The problem's code, if the server sent one.
    pub fn code(&self) -> Option<ProblemCode> {
        match self {
            ApiError::Problem { code, .. } => Some(*code),
            _ => None,
        }
    }

    pub fn is(&self, code: ProblemCode) -> bool {
        self.code() == Some(code)
    }

    /// The per-field errors of a `validation_failed` problem (empty for any other error).
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            ApiError::Problem { errors, .. } => errors,
            _ => &[],
        }
    }

    /// What the sync engine makes of it.
    pub fn failure(self) -> Failure {
        match self {
            ApiError::Unreachable => Failure::Unreachable,
            ApiError::Problem {
                code: ProblemCode::NotLoggedIn,
                ..
            } => Failure::NotLoggedIn,
            ApiError::Problem {
                code: ProblemCode::MutationGap,
                expected: Some(expected),
                ..
            } => Failure::Gap { expected },
            ApiError::Problem { code, .. } => Failure::Problem(code),
            ApiError::Unexpected(_) => Failure::Problem(ProblemCode::Unknown),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_a_status_and_round_trips() {
        for code in ProblemCode::ALL {
            assert!((400..600).contains(&code.status()), "{code}");
            let json = serde_json::to_string(code).unwrap();
            assert_eq!(serde_json::from_str::<ProblemCode>(&json).unwrap(), *code);
        }
        assert_eq!(ProblemCode::WishFullyClaimed.status(), 409);
        assert_eq!(ProblemCode::ValidationFailed.status(), 422);
        assert_eq!(ProblemCode::CallTaken.status(), 409);
        assert_eq!(ProblemCode::TooManyPhotos.status(), 409);
        assert_eq!(ProblemCode::TooLarge.status(), 413);
        assert_eq!(ProblemCode::NotAnImage.status(), 422);
        assert_eq!(ProblemCode::BadEndpoint.status(), 422);
        assert_eq!(ProblemCode::LastWorker.status(), 409);
        assert_eq!(ProblemCode::TooManyReveals.status(), 429);
    }

    #[test]
    fn a_code_from_a_newer_server_reads_as_unknown() {
        let code: ProblemCode = serde_json::from_str("\"asteroid_incoming\"").unwrap();
        assert_eq!(code, ProblemCode::Unknown);
    }
}
