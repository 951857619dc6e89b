//! Typed ids (a wish id cannot be passed where a claim id is meant), and the values that
//! are parsed once at the edge and trusted everywhere after: phone numbers, display names.
//!
//! Entity ids are UUIDv7, made by whoever creates the entity (a phone may do so offline).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::error::FieldCode;

macro_rules! uuid_id {
    ($($(#[$meta:meta])* $name:ident;)+) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new, time-ordered id.
            pub fn generate() -> Self {
                $name(Uuid::now_v7())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                fmt::Display::fmt(&self.0, f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                s.parse().map($name)
            }
        }
    )+};
}

uuid_id! {
    /// A wish (微心愿 or 微服务).
    WishId;
    /// A donor's or volunteer's claim on a wish.
    ClaimId;
    /// An account of any role.
    UserId;
    /// A drive grouping wishes.
    CampaignId;
    /// A needy household (private).
    HouseholdId;
    /// One device's sync client (a new one per login).
    ClientId;
    /// A community (社区): its workers see and change only its households and wishes.
    CommunityId;
    /// A shopkeeper's bulk pledge of goods.
    PledgeId;
    /// Units of a pledge given to a wish.
    AllocationId;
    /// A resident's request (诉求): a repair, a hazard, a need for help.
    RequestId;
    /// A photo of a request (before or after).
    PhotoId;
    /// A building (幢) of the community. A uuid rather than a code like [`GridId`]: buildings
    /// are named by their community ("32幢" is in many), are added by the command line with a
    /// name only, and several communities share one database, so a minted id never collides.
    BuildingId;
    /// A notice to one user (通知). Not time-ordered: derived from the event it tells of (see
    /// [`crate::notices`]), so one event never makes two notices for one person.
    NoticeId;
    /// A volunteer's service certificate (志愿服务时长证明). Its id is its verification link, so
    /// the server makes it from random bytes alone ([`CertificateId::from_random`]), never
    /// [`CertificateId::generate`]'s time-ordered one.
    CertificateId;
    /// Two communities paired (结对帮扶): one asked, the other agreed.
    PairingId;
}

impl CertificateId {
    /// A version 4 uuid of these (122 random bits kept): an id nobody can guess from the
    /// time it was issued or from another certificate's.
    pub fn from_random(bytes: [u8; 16]) -> CertificateId {
        CertificateId(uuid::Builder::from_random_bytes(bytes).into_uuid())
    }
}

/// A grid (网格) of the community: a short stable code such as `grid-1`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(transparent)]
pub struct GridId(pub String);

impl GridId {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for GridId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

impl From<&str> for GridId {
    fn from(code: &str) -> Self {
        GridId(code.to_owned())
    }
}

/// A mainland China mobile number, normalised to its 11 digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    /// 11 digits starting with 1 and a second digit 3–9. Spaces and dashes people type are
    /// removed; a `+86`/`86` prefix is accepted.
    pub fn parse(input: &str) -> Result<Phone, FieldCode> {
        let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
        let digits = digits
            .strip_prefix("+86")
            .or_else(|| digits.strip_prefix("86").filter(|rest| rest.len() == 11))
            .unwrap_or(&digits);
        let bytes = digits.as_bytes();
        let valid = bytes.len() == 11
            && bytes.iter().all(u8::is_ascii_digit)
            && bytes[0] == b'1'
            && (b'3'..=b'9').contains(&bytes[1]);
        if valid {
            Ok(Phone(digits.to_owned()))
        } else {
            Err(FieldCode::Invalid)
        }
    }

    /// The phone of a deleted account (PIPL: erased, so the number may sign up again): empty.
    pub fn erased() -> Phone {
        Phone(String::new())
    }

    pub fn is_erased(&self) -> bool {
        self.0.is_empty()
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

impl TryFrom<String> for Phone {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        if text.is_empty() {
            // A deleted account's, as the server shows it.
            return Ok(Phone::erased());
        }
        Phone::parse(&text).map_err(|_| format!("{text:?} is not a mainland mobile number"))
    }
}

impl From<Phone> for String {
    fn from(phone: Phone) -> String {
        phone.0
    }
}

/// What a user is called (称呼): trimmed, 1–20 characters of plain text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct DisplayName(String);

impl DisplayName {
    pub const CHARS: std::ops::RangeInclusive<usize> = 1..=20;

    pub fn parse(input: &str) -> Result<DisplayName, FieldCode> {
        let name = input.trim();
        if !Self::CHARS.contains(&name.chars().count()) {
            Err(FieldCode::Length)
        } else if name.chars().any(char::is_control) {
            Err(FieldCode::ControlCharacters)
        } else {
            Ok(DisplayName(name.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DisplayName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&self.0)
    }
}

impl TryFrom<String> for DisplayName {
    type Error = String;
    fn try_from(text: String) -> Result<Self, String> {
        DisplayName::parse(&text).map_err(|code| format!("display name {text:?}: {code}"))
    }
}

impl From<DisplayName> for String {
    fn from(name: DisplayName) -> String {
        name.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_mainland_mobiles() {
        let parse = |text: &str| Phone::parse(text).map(|phone| phone.as_str().to_owned());
        assert_eq!(parse("138 0000 1234").as_deref(), Ok("13800001234"));
        assert_eq!(parse("+86 139-1234-5678").as_deref(), Ok("13912345678"));
        assert_eq!(parse("8613912345678").as_deref(), Ok("13912345678"));
        for bad in ["12012345678", "1391234567", "1391234567a", "0513-8888888"] {
            assert_eq!(parse(bad), Err(FieldCode::Invalid), "{bad}");
        }
        assert!(serde_json::from_str::<Phone>("\"12345\"").is_err());
    }

    #[test]
    fn display_names_are_trimmed_plain_text() {
        assert_eq!(DisplayName::parse(" 张先生 ").unwrap().as_str(), "张先生");
        assert_eq!(DisplayName::parse("   "), Err(FieldCode::Length));
        assert_eq!(DisplayName::parse(&"长".repeat(21)), Err(FieldCode::Length));
        assert_eq!(
            DisplayName::parse("张\u{7}"),
            Err(FieldCode::ControlCharacters)
        );
    }

    #[test]
    fn ids_of_different_entities_keep_the_uuid_text() {
        let wish = WishId::generate();
        let text = wish.to_string();
        assert_eq!(text.parse::<WishId>().unwrap(), wish);
        assert_eq!(serde_json::to_string(&wish).unwrap(), format!("\"{text}\""));
        assert!("not-an-id".parse::<ClaimId>().is_err());
    }
}
