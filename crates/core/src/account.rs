//! Accounts: who may register, and what a password and a phone number must be.

use serde::{Deserialize, Serialize};

use crate::error::{Field, FieldCode, RuleError, ValidationErrors};
use crate::ids::{CommunityId, DisplayName, Phone, UserId};
use crate::model::Role;

pub const PASSWORD_MIN_CHARS: usize = 8;
pub const PASSWORD_MAX_CHARS: usize = 128;

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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Registration {
    pub display_name: String,
    pub phone: String,
    pub password: String,
    pub role: Role,
    /// The community a resident (or a volunteer) lives in; the only one when left out and
    /// there is only one (the server decides; other roles keep none unless they name one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub community_id: Option<CommunityId>,
    /// The person ticked "我已阅读并同意隐私说明" (the privacy notice): the server records
    /// when. Optional: accounts made without it (the command line, older apps) record none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privacy: Option<bool>,
    /// The SMS code sent for [`crate::phone_code::CodePurpose::Register`]: proves the number
    /// (the account starts verified). Optional: without it the account starts unverified.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// An account that passed validation: phone normalised, name trimmed.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidAccount {
    pub display_name: DisplayName,
    pub phone: Phone,
    pub password: String,
    pub role: Role,
}

/// The body of `POST /api/auth/login`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Login {
    pub phone: String,
    pub password: String,
    /// The SMS code a worker's account asks for after failed logins (401 `code_required`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// The body of `DELETE /api/me`: the account's password, asked again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AccountDeletion {
    pub password: String,
}

/// The name a deleted account's claims, events and timelines show (PIPL: no name is kept).
pub const ERASED_NAME: &str = "已注销用户";

/// Why a deleted volunteer's certificates were revoked (the reason workers read).
pub const CERTIFICATE_REVOKED_ON_DELETION: &str = "志愿者已注销账户";

/// What deleting an account does to its row: the name, phone and password are erased (the
/// phone is replaced by a value no number can equal, so the number may sign up again), every
/// session ends and every push subscription and notice preference goes. Its claims stay (the
/// community's counts and the households' timelines need them) and show [`ERASED_NAME`]. A
/// volunteer's service certificates keep their totals but lose the name (they show
/// [`ERASED_NAME`]) and are revoked with [`CERTIFICATE_REVOKED_ON_DELETION`]: their public
/// page can no longer vouch for anyone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erasure {
    pub display_name: DisplayName,
    /// What the phone column holds afterwards: unique per account, never a phone number.
    pub stored_phone: String,
}

/// Whether `user` (of `role`) may delete their account, and what is erased. Any signed-in
/// user may, once their password was checked again; but a worker who is the last one of
/// their community (`other_workers` is how many others it has) may not: nobody would be
/// left to look after its households (409 `last_worker`).
pub fn decide_account_deletion(
    user: UserId,
    role: Role,
    other_workers: u64,
) -> Result<Erasure, RuleError> {
    if role == Role::Worker && other_workers == 0 {
        return Err(RuleError::LastWorker);
    }
    Ok(Erasure {
        display_name: DisplayName::parse(ERASED_NAME).expect("a plain name"),
        stored_phone: erased_phone(user),
    })
}

/// The phone column of a deleted account: `erased:` and its id.
pub fn erased_phone(user: UserId) -> String {
    format!("erased:{user}")
}

/// Whether a stored phone is a deleted account's.
pub fn is_erased_phone(stored: &str) -> bool {
    stored.starts_with("erased:")
}

impl Registration {
    /// Self-registration is for residents, donors, volunteers and shopkeepers; workers and
    /// property staff are added by the community (a worker, or `microwish-server user add`,
    /// see [`Registration::validate_any_role`]).
    pub fn validate(self) -> Result<ValidAccount, RuleError> {
        let mut errors = ValidationErrors::default();
        if !self.role.is_self_service() {
            errors.add(
                Field::Role,
                FieldCode::NotSelfService,
                "workers and property staff are added by the community",
            );
        }
        let valid = self.validate_any_role();
        match (valid, errors.is_empty()) {
            (Ok(valid), true) => Ok(valid),
            (Ok(_), false) => Err(RuleError::Validation(errors)),
            (Err(RuleError::Validation(more)), _) => {
                errors.0.extend(more.0);
                Err(RuleError::Validation(errors))
            }
            (Err(other), _) => Err(other),
        }
    }

    /// The same checks for an account of any role, workers included (the server's
    /// command line).
    pub fn validate_any_role(self) -> Result<ValidAccount, RuleError> {
        let mut errors = ValidationErrors::default();
        let display_name = DisplayName::parse(&self.display_name);
        if let Err(code) = &display_name {
            let message = match code {
                FieldCode::Length => format!(
                    "{} to {} characters",
                    DisplayName::CHARS.start(),
                    DisplayName::CHARS.end()
                ),
                _ => "must be plain text".to_owned(),
            };
            errors.add(Field::DisplayName, *code, message);
        }
        let phone = Phone::parse(&self.phone);
        if let Err(code) = &phone {
            errors.add(Field::Phone, *code, "an 11-digit mainland mobile number");
        }
        check_password(&mut errors, &self.password);
        match (display_name, phone) {
            (Ok(display_name), Ok(phone)) if errors.is_empty() => Ok(ValidAccount {
                display_name,
                phone,
                password: self.password,
                role: self.role,
            }),
            _ => Err(RuleError::Validation(errors)),
        }
    }
}

/// At least 8 characters, not absurdly long, and not a well-known password.
pub fn check_password(errors: &mut ValidationErrors, password: &str) {
    let count = password.chars().count();
    if count < PASSWORD_MIN_CHARS {
        errors.add(
            Field::Password,
            FieldCode::TooShort,
            format!("at least {PASSWORD_MIN_CHARS} characters"),
        );
    } else if count > PASSWORD_MAX_CHARS {
        errors.add(
            Field::Password,
            FieldCode::TooLong,
            format!("at most {PASSWORD_MAX_CHARS} characters"),
        );
    } else if is_common_password(password) {
        errors.add(
            Field::Password,
            FieldCode::TooCommon,
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
            community_id: None,
            privacy: None,
            code: None,
        }
    }

    #[test]
    fn anyone_may_delete_their_account_but_the_last_worker_of_a_community() {
        let user = UserId::generate();
        for role in [
            Role::Donor,
            Role::Volunteer,
            Role::Resident,
            Role::Shopkeeper,
        ] {
            let erased = decide_account_deletion(user, role, 0).unwrap();
            assert_eq!(erased.display_name.as_str(), ERASED_NAME);
            assert!(is_erased_phone(&erased.stored_phone));
            assert!(
                Phone::parse(&erased.stored_phone).is_err(),
                "never a number"
            );
        }
        assert_eq!(
            decide_account_deletion(user, Role::Worker, 0).unwrap_err(),
            RuleError::LastWorker
        );
        assert!(decide_account_deletion(user, Role::Worker, 1).is_ok());
        assert_ne!(
            erased_phone(user),
            erased_phone(UserId::generate()),
            "unique per account"
        );
    }

    #[test]
    fn a_good_registration_is_normalised() {
        let valid = registration().validate().unwrap();
        assert_eq!(valid.display_name.as_str(), "张先生");
        assert_eq!(valid.phone.as_str(), "13912345678");
    }

    #[test]
    fn workers_cannot_register_themselves() {
        let mut worker = registration();
        worker.role = Role::Worker;
        let RuleError::Validation(errors) = worker.validate().unwrap_err() else {
            panic!()
        };
        assert!(errors.has(Field::Role));
        let mut admin = registration();
        admin.role = Role::Worker;
        assert!(admin.validate_any_role().is_ok());
    }

    #[test]
    fn residents_sign_up_and_property_staff_are_added_by_the_community() {
        let mut resident = registration();
        resident.role = Role::Resident;
        assert_eq!(resident.validate().unwrap().role, Role::Resident);
        let mut property = registration();
        property.role = Role::Property;
        let RuleError::Validation(errors) = property.clone().validate().unwrap_err() else {
            panic!()
        };
        assert!(errors.has(Field::Role));
        assert!(property.validate_any_role().is_ok());
    }

    #[test]
    fn weak_passwords_and_bad_phones_are_refused() {
        for password in ["short", "12345678", "Password", "WOAINI1314", "zzzzzzzzzz"] {
            let mut weak = registration();
            weak.password = password.into();
            let RuleError::Validation(errors) = weak.validate().unwrap_err() else {
                panic!()
            };
            assert!(errors.has(Field::Password), "{password} accepted");
        }
        let mut phone = registration();
        phone.phone = "12345".into();
        let RuleError::Validation(errors) = phone.validate().unwrap_err() else {
            panic!()
        };
        assert!(errors.has(Field::Phone));
        let mut name = registration();
        name.display_name = "   ".into();
        assert!(name.validate().is_err());
    }
}
