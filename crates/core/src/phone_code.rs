//! One-time SMS codes (issue 23, items 4 and 5): a phone proven at sign-up or later, a
//! forgotten password reset, and a worker's second factor after failed logins. The server
//! sends codes through the operator's SMS gateway (DESIGN.md, "Notices"); without one there
//! are no codes, and accounts made by sign-up stay unverified.
//!
//! Nothing here lets a stranger learn whose number is registered: a request for a code is
//! answered the same whatever the number, and what the phone receives depends on the
//! account ([`code_message`]).

use chrono::Duration;
use serde::{Deserialize, Serialize};

use crate::account::check_password;
use crate::error::{Field, FieldCode, RuleError, ValidationErrors};

string_enum! {
    /// What a code is for; a code only works for the purpose it was sent for.
    CodePurpose {
        /// Proving a number at sign-up (`code` in the registration).
        Register = "register",
        /// Setting a new password (`POST /api/auth/reset`).
        Reset = "reset",
        /// Proving the signed-in user's number later (`POST /api/me/phone`).
        Verify = "verify",
        /// A worker's second factor after failed logins (`code` in the login).
        Login = "login",
    }
}

/// Digits in a code.
pub const CODE_DIGITS: usize = 6;
/// How long a code works.
pub const CODE_TTL: Duration = Duration::minutes(5);
/// Wrong tries before a code stops working (a new one must be asked for).
pub const CODE_TRIES: u32 = 5;
/// Codes one number may be sent in an hour, and the shortest gap between two.
pub const CODES_PER_PHONE_PER_HOUR: usize = 5;
pub const CODE_GAP: Duration = Duration::seconds(60);
/// Codes one client address may ask for in an hour (a community centre's Wi-Fi on sign-up
/// day shares one).
pub const CODES_PER_ADDRESS_PER_HOUR: usize = 30;
/// Failed logins at a worker's number (from anywhere, within the login throttle's window)
/// after which a right password is not enough: the code sent to the worker's phone is asked
/// for too. Only when the server has an SMS gateway.
pub const WORKER_SECOND_FACTOR_AFTER: usize = 3;

/// The body of `POST /api/auth/code`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CodeRequest {
    pub phone: String,
    pub purpose: CodePurpose,
}

/// The answer to a code request: the same whoever owns the number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CodeSent {
    /// Seconds the code works, once it arrives.
    pub expires_in: u32,
    /// Seconds before another code may be asked for.
    pub resend_in: u32,
}

impl CodeSent {
    pub fn now() -> CodeSent {
        CodeSent {
            expires_in: CODE_TTL.num_seconds() as u32,
            resend_in: CODE_GAP.num_seconds() as u32,
        }
    }
}

/// The body of `POST /api/auth/reset`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    pub phone: String,
    pub code: String,
    pub password: String,
}

/// The body of `POST /api/me/password`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    pub password: String,
}

/// The body of `POST /api/me/phone`: the code sent for [`CodePurpose::Verify`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PhoneVerification {
    pub code: String,
}

/// What the number's phone receives when a code is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeMessage {
    /// The code.
    Code,
    /// "This number already has an account; if it was not you, ignore this": a sign-up for
    /// a taken number tells the owner rather than the one asking.
    AlreadyRegistered,
    /// Nothing (a reset or login code for a number with no account).
    Nothing,
}

/// What to send for a code asked for `purpose` at a number that has an account or not.
pub fn code_message(purpose: CodePurpose, account_exists: bool) -> CodeMessage {
    match (purpose, account_exists) {
        (CodePurpose::Register, false) => CodeMessage::Code,
        (CodePurpose::Register, true) => CodeMessage::AlreadyRegistered,
        (CodePurpose::Reset | CodePurpose::Login | CodePurpose::Verify, true) => CodeMessage::Code,
        (CodePurpose::Reset | CodePurpose::Login | CodePurpose::Verify, false) => {
            CodeMessage::Nothing
        }
    }
}

/// The code a random number makes: six digits, leading zeros kept.
pub fn code_from_random(random: u32) -> String {
    format!("{:0width$}", random % 1_000_000, width = CODE_DIGITS)
}

/// A code as typed: spaces and dashes dropped, six digits or a field error on `code`.
pub fn parse_code(typed: &str) -> Result<String, RuleError> {
    let code: String = typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    if code.len() == CODE_DIGITS && code.chars().all(|c| c.is_ascii_digit()) {
        Ok(code)
    } else {
        Err(wrong_code())
    }
}

/// The one answer to a code that does not work: wrong, expired, used up, sent for something
/// else, or never sent (the number has no account) all read the same.
pub fn wrong_code() -> RuleError {
    RuleError::field(Field::Code, FieldCode::Invalid, WRONG_CODE)
}

const WRONG_CODE: &str = "the code is wrong or has expired; ask for a new one";

impl PasswordReset {
    /// The new password follows sign-up's rules; the code must look like one.
    pub fn validate(&self) -> Result<String, RuleError> {
        let mut errors = ValidationErrors::default();
        check_password(&mut errors, &self.password);
        let code = parse_code(&self.code).ok();
        if code.is_none() {
            errors.add(Field::Code, FieldCode::Invalid, WRONG_CODE);
        }
        errors.into_result(code.unwrap_or_default())
    }
}

impl PasswordChange {
    /// The new password follows sign-up's rules.
    pub fn validate(&self) -> Result<(), RuleError> {
        let mut errors = ValidationErrors::default();
        check_password(&mut errors, &self.password);
        errors.into_result(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_with_leading_zeros() {
        assert_eq!(code_from_random(42), "000042");
        assert_eq!(code_from_random(4_294_967_295), "967295");
        assert_eq!(parse_code(" 012 345 ").unwrap(), "012345");
        assert_eq!(parse_code("012-345").unwrap(), "012345");
        for typed in ["12345", "1234567", "12a456", "", "１２３４５６"] {
            assert_eq!(parse_code(typed), Err(wrong_code()), "{typed:?}");
        }
    }

    #[test]
    fn a_taken_number_tells_its_owner_and_nobody_else_learns_it_is_taken() {
        assert_eq!(
            code_message(CodePurpose::Register, false),
            CodeMessage::Code
        );
        assert_eq!(
            code_message(CodePurpose::Register, true),
            CodeMessage::AlreadyRegistered
        );
        assert_eq!(code_message(CodePurpose::Reset, true), CodeMessage::Code);
        assert_eq!(
            code_message(CodePurpose::Reset, false),
            CodeMessage::Nothing
        );
        assert_eq!(
            code_message(CodePurpose::Login, false),
            CodeMessage::Nothing
        );
    }

    #[test]
    fn a_reset_checks_the_new_password_and_the_code_together() {
        let reset = PasswordReset {
            phone: "13800000000".into(),
            code: "12".into(),
            password: "12345678".into(),
        };
        let RuleError::Validation(errors) = reset.validate().unwrap_err() else {
            panic!("field errors")
        };
        assert!(errors.has(Field::Password) && errors.has(Field::Code));
        let fine = PasswordReset {
            code: "123456".into(),
            password: "xingyi-garden-52".into(),
            ..reset
        };
        assert_eq!(fine.validate().unwrap(), "123456");
    }
}
