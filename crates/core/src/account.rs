//! Accounts: who may register, and what a password and a phone number must be.

use serde::{Deserialize, Serialize};

use crate::error::{RuleError, ValidationErrors};
use crate::model::Role;
use crate::validate::normalize_phone;

pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_CHARS: usize = 128;
pub const DISPLAY_NAME_CHARS: std::ops::RangeInclusive<usize> = 1..=20;

/// Passwords that appear at the top of every leaked-password list, Chinese favourites
/// included; refused whatever their length.
const COMMON_PASSWORDS: &[&str] = &[
    "12345678",
    "123456789",
    "1234567890",
    "0123456789",
    "87654321",
    "11111111",
    "00000000",
    "88888888",
    "66666666",
    "12341234",
    "11223344",
    "12121212",
    "123123123",
    "147258369",
    "123456abc",
    "abc12345",
    "abcd1234",
    "a1234567",
    "a12345678",
    "a123456789",
    "qwer1234",
    "1qaz2wsx",
    "1q2w3e4r",
    "qwertyui",
    "qwertyuiop",
    "asdfghjk",
    "zxcvbnm1",
    "password",
    "password1",
    "passw0rd",
    "p@ssw0rd",
    "iloveyou",
    "woaini1314",
    "woaini520",
    "5201314",
    "52013145201314",
    "1314520",
    "13145200",
    "aaaaaaaa",
    "abcdefgh",
    "admin123",
    "admin1234",
    "welcome1",
    "letmein1",
    "sunshine",
    "princess",
    "football",
    "baseball",
    "dragon123",
    "monkey123",
    "superman",
    "trustno1",
    "qq123456",
    "qq5201314",
    "wang1234",
    "zhang123",
    "li123456",
    "microwish",
    "weixinyuan",
];

/// The body of `POST /api/auth/register`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    pub display_name: String,
    pub phone: String,
    pub password: String,
    pub role: Role,
}

/// A registration that passed validation: phone normalised, name trimmed.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidRegistration {
    pub display_name: String,
    pub phone: String,
    pub password: String,
    pub role: Role,
}

/// The body of `POST /api/auth/login`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Login {
    pub phone: String,
    pub password: String,
}

impl Registration {
    /// Self-registration is for donors, volunteers and shopkeepers; workers are
    /// created by an administrator (`microwish-server user add`).
    pub fn validate(self) -> Result<ValidRegistration, RuleError> {
        let mut errors = ValidationErrors::default();
        if self.role == Role::Worker {
            errors.add(
                "role",
                "not_self_service",
                "workers are added by the community",
            );
        }
        let display_name = self.display_name.trim().to_owned();
        check_display_name(&mut errors, &display_name);
        let phone = normalize_phone(&self.phone);
        if phone.is_none() {
            errors.add("phone", "invalid", "an 11-digit mainland mobile number");
        }
        check_password(&mut errors, &self.password);
        errors.into_result(ValidRegistration {
            display_name,
            phone: phone.unwrap_or_default(),
            password: self.password,
            role: self.role,
        })
    }
}

pub fn check_display_name(errors: &mut ValidationErrors, name: &str) {
    let count = name.chars().count();
    if !DISPLAY_NAME_CHARS.contains(&count) {
        errors.add(
            "display_name",
            "length",
            format!(
                "{} to {} characters",
                DISPLAY_NAME_CHARS.start(),
                DISPLAY_NAME_CHARS.end()
            ),
        );
    } else if name.chars().any(char::is_control) {
        errors.add("display_name", "control_characters", "must be plain text");
    }
}

/// At least 8 characters, not absurdly long, and not a well-known password.
pub fn check_password(errors: &mut ValidationErrors, password: &str) {
    let count = password.chars().count();
    if count < PASSWORD_MIN_CHARS {
        errors.add(
            "password",
            "too_short",
            format!("at least {PASSWORD_MIN_CHARS} characters"),
        );
    } else if count > PASSWORD_MAX_CHARS {
        errors.add(
            "password",
            "too_long",
            format!("at most {PASSWORD_MAX_CHARS} characters"),
        );
    } else if is_common_password(password) {
        errors.add(
            "password",
            "too_common",
            "this password is too easy to guess",
        );
    }
}

fn is_common_password(password: &str) -> bool {
    let lower = password.to_lowercase();
    let one_repeated_char = lower.chars().all(|c| lower.starts_with(c));
    one_repeated_char || COMMON_PASSWORDS.contains(&lower.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registration() -> Registration {
        Registration {
            display_name: " 张先生 ".into(),
            phone: "139 1234 5678".into(),
            password: "xingyi-garden-52".into(),
            role: Role::Donor,
        }
    }

    #[test]
    fn a_good_registration_is_normalised() {
        let valid = registration().validate().unwrap();
        assert_eq!(valid.display_name, "张先生");
        assert_eq!(valid.phone, "13912345678");
    }

    #[test]
    fn workers_cannot_register_themselves() {
        let mut worker = registration();
        worker.role = Role::Worker;
        let RuleError::Validation(errors) = worker.validate().unwrap_err() else {
            panic!()
        };
        assert!(errors.has("role"));
    }

    #[test]
    fn weak_passwords_and_bad_phones_are_refused() {
        for password in ["short", "12345678", "Password", "WOAINI1314", "zzzzzzzzzz"] {
            let mut weak = registration();
            weak.password = password.into();
            let RuleError::Validation(errors) = weak.validate().unwrap_err() else {
                panic!()
            };
            assert!(errors.has("password"), "{password} accepted");
        }
        let mut phone = registration();
        phone.phone = "12345".into();
        let RuleError::Validation(errors) = phone.validate().unwrap_err() else {
            panic!()
        };
        assert!(errors.has("phone"));
        let mut name = registration();
        name.display_name = "   ".into();
        assert!(name.validate().is_err());
    }
}
