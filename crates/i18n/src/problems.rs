//! What went wrong, for the person who ran into it: a failed load, a refused action, a
//! problem code from the server or the rules.

use microwish_core::engine::MutateError;
use microwish_core::{ProblemCode, RuleError};

use super::{fill, Texts};
use microwish_core::problem::ApiError;

/// What each problem code means; field-by-field messages are [`super::FieldErrorTexts`].
pub struct ProblemTexts {
    pub wish_fully_claimed: &'static str,
    pub not_enough_remaining: &'static str,
    /// `{n}` units left, `{unit}` the wish's unit.
    pub only_left: &'static str,
    pub invalid_state: &'static str,
    pub claim_not_yours: &'static str,
    pub volunteer_not_approved: &'static str,
    pub too_many_house_calls: &'static str,
    pub too_many_claims: &'static str,
    /// The server holds accounts without a verified phone to a few units.
    pub phone_unverified: &'static str,
    pub busy: &'static str,
    pub call_taken: &'static str,
    pub too_many_photos: &'static str,
    pub consent_missing: &'static str,
    pub last_worker: &'static str,
    pub too_many_reveals: &'static str,
    /// A hand-over code that names nothing of the worker's community.
    pub unknown_code: &'static str,
    pub photo_too_large: &'static str,
    pub not_an_image: &'static str,
    pub too_many_connections: &'static str,
    pub pledge_exhausted: &'static str,
    pub pledge_withdrawn: &'static str,
    pub wish_full: &'static str,
    pub forbidden: &'static str,
    pub id_conflict: &'static str,
    pub validation_failed: &'static str,
    pub phone_taken: &'static str,
    pub invalid_credentials: &'static str,
    /// `{n}`: seconds to wait.
    pub too_many_attempts: &'static str,
    pub too_many_attempts_later: &'static str,
    pub not_logged_in: &'static str,
    /// The device could not store a change.
    pub not_saved: &'static str,
    pub body_too_large: &'static str,
    pub unsupported_media_type: &'static str,
    pub not_found: &'static str,
    pub field_invalid: &'static str,
}

impl Texts {
    /// The message for a failed load.
    pub fn error(&self, error: &ApiError) -> &'static str {
        match error {
            ApiError::Unreachable => self.err_unreachable,
            ApiError::Problem {
                code: ProblemCode::NotFound,
                ..
            } => self.not_found_body,
            ApiError::Problem { code, .. }
                if code.status() >= 500 && *code != ProblemCode::Busy =>
            {
                self.err_server
            }
            ApiError::Problem { code, .. } => self.code(*code),
            ApiError::Unexpected(_) => self.err_unexpected,
        }
    }

    /// What a problem code means for the person who ran into it.
    pub fn code(&self, code: ProblemCode) -> &'static str {
        use ProblemCode::*;
        let p = &self.problem;
        match code {
            WishFullyClaimed => p.wish_fully_claimed,
            NotEnoughRemaining => p.not_enough_remaining,
            InvalidState => p.invalid_state,
            ClaimNotYours => p.claim_not_yours,
            VolunteerNotApproved => p.volunteer_not_approved,
            TooManyHouseCalls => p.too_many_house_calls,
            TooManyClaims => p.too_many_claims,
            PhoneUnverified => p.phone_unverified,
            PledgeExhausted => p.pledge_exhausted,
            PledgeWithdrawn => p.pledge_withdrawn,
            WishFull => p.wish_full,
            Forbidden => p.forbidden,
            IdConflict => p.id_conflict,
            ValidationFailed | InvalidBody | InvalidMutation => p.validation_failed,
            PhoneTaken => p.phone_taken,
            InvalidCredentials => p.invalid_credentials,
            TooManyAttempts => p.too_many_attempts_later,
            TooManyConnections => p.too_many_connections,
            NotLoggedIn => p.not_logged_in,
            BodyTooLarge => p.body_too_large,
            UnsupportedMediaType | CrossSite => p.unsupported_media_type,
            NotFound => p.not_found,
            // Push subscriptions (issue 25): words of their own are the SPA slice's.
            MalformedJson | BadQuery | BadBody | TooManyMutations | BadMutationId | MutationGap
            | BadEndpoint => self.err_bad_request,
            Busy => p.busy,
            CallTaken => p.call_taken,
            TooManyPhotos => p.too_many_photos,
            ConsentMissing => p.consent_missing,
            LastWorker => p.last_worker,
            TooManyReveals => p.too_many_reveals,
            UnknownCode => p.unknown_code,
            NoConfirmedVisits => self.certificates.no_visits,
            CodeRequired => self.phone.code_required,
            SmsUnavailable => self.phone.sms_unavailable,
            TooLarge => p.photo_too_large,
            NotAnImage => p.not_an_image,
            Internal | Unknown => self.err_server,
        }
    }

    /// The message for a failed action (a login, a claim, a confirmation).
    pub fn problem(&self, error: &ApiError) -> String {
        match error {
            ApiError::Problem {
                code: ProblemCode::TooManyAttempts,
                retry_after: Some(seconds),
                ..
            } => fill(
                self.problem.too_many_attempts,
                &[("n", seconds.to_string())],
            ),
            ApiError::Problem { code, .. } => self.code(*code).to_owned(),
            other => self.error(other).to_owned(),
        }
    }

    /// Why an action was not taken: the rules (core's, the server's too) refuse it now,
    /// nobody is logged in, or the device could not store it.
    pub fn mutate_error(&self, error: &MutateError) -> String {
        match error {
            MutateError::Refused(RuleError::Validation(errors)) => {
                self.problem_with_fields(&ApiError::invalid(errors.0.clone()))
            }
            MutateError::Refused(rule) => self.code(rule.code()).to_owned(),
            MutateError::NotLoggedIn => self.problem.not_logged_in.to_owned(),
            MutateError::NotSaved => self.problem.not_saved.to_owned(),
        }
    }

    /// A problem with its field messages spelled out, where there are no fields to mark.
    pub fn problem_with_fields(&self, error: &ApiError) -> String {
        let fields: Vec<String> = error
            .field_errors()
            .iter()
            .map(|error| self.field_error(error.field, error.code))
            .collect();
        if fields.is_empty() {
            self.problem(error)
        } else {
            fields.join(self.punctuation.clauses)
        }
    }

    /// "只剩 2 个可以认领了…": a `not_enough_remaining` problem once the count is known.
    pub fn only_left(&self, remaining: u32, unit: &str) -> String {
        fill(
            self.problem.only_left,
            &[("n", remaining.to_string()), ("unit", unit.to_owned())],
        )
    }
}
