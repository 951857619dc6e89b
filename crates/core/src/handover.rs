//! Hand-over codes: the short code a giver shows at the grid station and a worker types (or
//! scans) to confirm the hand-over, offline too. The server derives each one from a key it
//! keeps (so it cannot be guessed from an id); this module owns the alphabet, how a typed
//! code is read, and the answer to a confirmation.

use serde::{Deserialize, Serialize};

use crate::ids::{AllocationId, ClaimId};

/// The characters of a code: capitals and digits without look-alikes (no 0/O, 1/I, 2/Z,
/// 5/S, 8/B).
pub const ALPHABET: &[u8; 26] = b"ACDEFGHJKLMNPQRTUVWXY34679";
/// How many characters a code has.
pub const LEN: usize = 6;

/// Where a worker confirms hand-overs, and the query parameter that carries a scanned code.
pub const CONSOLE_PATH: &str = "/worker";
pub const LINK_PARAM: &str = "handover";

/// A well-formed hand-over code: [`LEN`] characters of [`ALPHABET`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String", into = "String")]
pub struct HandoverCode(String);

impl HandoverCode {
    /// A code as a person typed it: surrounding and inner spaces and dashes are dropped
    /// (the giver's phone shows it as `ACD EFG`), lower case is read as upper case.
    pub fn parse(text: &str) -> Option<HandoverCode> {
        let code: String = text
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let valid = code.len() == LEN && code.bytes().all(|b| ALPHABET.contains(&b));
        valid.then_some(HandoverCode(code))
    }

    /// The code for `digest` (a keyed hash's output): each character from the next share
    /// of its first 8 bytes.
    pub fn from_digest(digest: &[u8]) -> HandoverCode {
        let mut bytes = [0u8; 8];
        for (slot, byte) in bytes.iter_mut().zip(digest) {
            *slot = *byte;
        }
        let mut n = u64::from_be_bytes(bytes);
        let base = ALPHABET.len() as u64;
        let mut code = String::with_capacity(LEN);
        for _ in 0..LEN {
            code.push(char::from(ALPHABET[(n % base) as usize]));
            n /= base;
        }
        HandoverCode(code)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the giver's QR code holds: a link to the worker's console with this code, so
    /// the app's own scanner and a phone's camera app both lead to the confirmation.
    pub fn link(&self, origin: &str) -> String {
        format!("{origin}{CONSOLE_PATH}?{LINK_PARAM}={}", self.0)
    }

    /// A code as scanned: a [`HandoverCode::link`] (of any origin), or a bare code.
    pub fn from_scan(text: &str) -> Option<HandoverCode> {
        let text = text.trim();
        let Some((_, query)) = text.split_once('?') else {
            return HandoverCode::parse(text);
        };
        let query = query.split('#').next().unwrap_or_default();
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| *key == LINK_PARAM)
            .and_then(|(_, value)| HandoverCode::parse(value))
    }

    /// For reading aloud and typing: two groups of three (`ACD EFG`).
    pub fn grouped(&self) -> String {
        let (first, second) = self.0.split_at(LEN / 2);
        format!("{first} {second}")
    }
}

impl TryFrom<String> for HandoverCode {
    type Error = String;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        HandoverCode::parse(&text).ok_or_else(|| format!("not a hand-over code: {text:?}"))
    }
}

impl From<HandoverCode> for String {
    fn from(code: HandoverCode) -> String {
        code.0
    }
}

impl std::fmt::Display for HandoverCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(&self.0)
    }
}

/// What a code stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HandoverTarget {
    Claim(ClaimId),
    Allocation(AllocationId),
}

string_enum! {
    /// What a confirmed code stood for.
    HandoverKind {
        Claim = "claim",
        Allocation = "allocation",
    }
}

string_enum! {
    /// A hand-over's status once a worker confirmed it.
    HandoverStatus {
        Confirmed = "confirmed",
    }
}

/// The answer to `POST /api/handover`: what was confirmed (a replay answers the same).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HandoverConfirmed {
    pub kind: HandoverKind,
    pub id: uuid::Uuid,
    pub status: HandoverStatus,
}

impl HandoverConfirmed {
    pub fn of(target: HandoverTarget) -> HandoverConfirmed {
        let (kind, id) = match target {
            HandoverTarget::Claim(id) => (HandoverKind::Claim, id.0),
            HandoverTarget::Allocation(id) => (HandoverKind::Allocation, id.0),
        };
        HandoverConfirmed {
            kind,
            id,
            status: HandoverStatus::Confirmed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_alphabet_has_no_look_alikes_and_no_repeats() {
        for look_alike in b"0O1I2Z5S8B" {
            assert!(
                !ALPHABET.contains(look_alike),
                "{} is a look-alike",
                char::from(*look_alike)
            );
        }
        let mut sorted = ALPHABET.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), ALPHABET.len());
        assert!(ALPHABET
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()));
    }

    #[test]
    fn a_typed_code_is_read_in_upper_case_without_spaces() {
        let code = HandoverCode::parse("ACDEFG").unwrap();
        assert_eq!(code.as_str(), "ACDEFG");
        for typed in ["acdefg", "  AcDeFg ", "acd efg", "ACD-EFG", "\tacdefg\n"] {
            assert_eq!(HandoverCode::parse(typed), Some(code.clone()), "{typed:?}");
        }
        assert_eq!(code.grouped(), "ACD EFG");
    }

    #[test]
    fn a_scanned_link_or_bare_code_reads_as_its_code() {
        let code = HandoverCode::parse("ACDEFG").unwrap();
        let link = code.link("https://wish.example.cn");
        assert_eq!(link, "https://wish.example.cn/worker?handover=ACDEFG");
        assert_eq!(HandoverCode::from_scan(&link), Some(code.clone()));
        for scanned in [
            "ACDEFG",
            " acd efg ",
            "http://127.0.0.1:8080/worker?lang=en&handover=acdefg#top",
        ] {
            assert_eq!(
                HandoverCode::from_scan(scanned),
                Some(code.clone()),
                "{scanned:?}"
            );
        }
        for other in [
            "https://wish.example.cn/worker",
            "https://wish.example.cn/worker?code=ACDEFG",
            "https://wish.example.cn/worker?handover=ACDEF0",
            "hello",
        ] {
            assert_eq!(HandoverCode::from_scan(other), None, "{other:?}");
        }
    }

    #[test]
    fn a_code_of_the_wrong_length_or_with_look_alikes_is_no_code() {
        for typed in [
            "",
            "ACDEF",
            "ACDEFGH",
            "ACDEF0",
            "ACDEFO",
            "ACDEF1",
            "ACDEFé",
            "你好你好你好",
        ] {
            assert_eq!(HandoverCode::parse(typed), None, "{typed:?}");
        }
    }

    #[test]
    fn a_digest_gives_a_code_of_the_alphabet_and_different_digests_differ() {
        let a = HandoverCode::from_digest(&[1, 2, 3, 4, 5, 6, 7, 8, 9]);
        let b = HandoverCode::from_digest(&[1, 2, 3, 4, 5, 6, 7, 9, 9]);
        for code in [&a, &b] {
            assert_eq!(HandoverCode::parse(code.as_str()).as_ref(), Some(code));
        }
        assert_ne!(a, b);
        // A short digest still makes a whole code.
        assert_eq!(HandoverCode::from_digest(&[]).as_str().len(), LEN);
    }

    #[test]
    fn codes_travel_as_strings_and_bad_ones_are_refused() {
        let code: HandoverCode = serde_json::from_value(serde_json::json!("acd efg")).unwrap();
        assert_eq!(serde_json::to_value(&code).unwrap(), "ACDEFG");
        assert!(serde_json::from_value::<HandoverCode>(serde_json::json!("OOOOOO")).is_err());
        let answer = HandoverConfirmed::of(HandoverTarget::Claim(ClaimId(uuid::Uuid::nil())));
        let json = serde_json::to_value(answer).unwrap();
        assert_eq!(json["kind"], "claim");
        assert_eq!(json["status"], "confirmed");
    }
}
