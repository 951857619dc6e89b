//! Property tests of every command's validation, over any text and any number: it never
//! panics; what it accepts is trimmed and within its limits; what it refuses, it refuses as
//! field errors (422 `validation_failed`), never as anything a server would answer with 5xx.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

use super::*;
use crate::account::Registration;
use crate::validate::{
    ADDRESS_CHARS, ALIAS_CHARS, DESCRIPTION_MAX_CHARS, NAME_CHARS, NOTES_MAX_CHARS, QUANTITY,
    TITLE_CHARS, UNIT_CHARS,
};
use crate::{BeneficiaryGroup, Category, GridId, ProblemCode, Role, RuleError, WishKind};

/// Any text a client could send: empty, blank, padded, long, any script, control characters.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[ \t\n\u{3000}]{1,4}",
        " {0,2}[a-z0-9]{0,30} {0,2}",
        "\\PC{0,50}",
        "[\u{4e00}-\u{4e40}]{0,60}",
        "[a-z]{0,700}",
        ".{0,20}",
    ]
}

fn number() -> impl Strategy<Value = i64> {
    prop_oneof![-5_i64..=5, 0_i64..=200_000, any::<i64>(),]
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

fn date() -> impl Strategy<Value = NaiveDate> {
    (-800_i64..=800).prop_map(|days| today() + Duration::days(days))
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

fn trimmed(text: &str) -> bool {
    text == text.trim()
}

/// A refusal must be field errors, answered 422.
fn refused_well(error: &RuleError) -> Result<(), TestCaseError> {
    match error {
        RuleError::Validation(errors) => {
            prop_assert!(!errors.is_empty(), "a refusal names its fields");
            prop_assert_eq!(error.code(), ProblemCode::ValidationFailed);
            prop_assert_eq!(error.code().status(), 422);
            Ok(())
        }
        other => Err(TestCaseError::fail(format!("not a field error: {other:?}"))),
    }
}

fn short_text_ok(
    result: Result<String, RuleError>,
    allowed: std::ops::RangeInclusive<usize>,
) -> Result<(), TestCaseError> {
    match result {
        Ok(text) => {
            prop_assert!(allowed.contains(&chars(&text)), "{text:?}");
            prop_assert!(trimmed(&text));
            Ok(())
        }
        Err(error) => refused_well(&error),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn claims(quantity in number(), note in proptest::option::of(text()),
              service in any::<bool>(), start in -3_000_i64..3_000, length in -60_i64..600,
              needed_by in proptest::option::of(date())) {
        let now = Utc.with_ymd_and_hms(2026, 11, 28, 2, 0, 0).unwrap();
        let slot_start = now + Duration::minutes(start);
        let claim = ClaimWish {
            id: crate::ClaimId::generate(),
            wish_id: crate::WishId::generate(),
            quantity,
            note,
            slot_start: service.then_some(slot_start),
            slot_end: service.then_some(slot_start + Duration::minutes(length)),
        };
        let kind = if service { WishKind::Service } else { WishKind::Item };
        match claim.validate(kind, needed_by, now) {
            Ok(valid) => {
                prop_assert!(QUANTITY.contains(&i64::from(valid.quantity)));
                prop_assert!(chars(&valid.note) <= NOTE_MAX_CHARS && trimmed(&valid.note));
                if let Some((start, end)) = valid.slot {
                    let minutes = (end - start).num_minutes();
                    prop_assert!((SLOT_MIN_MINUTES..=SLOT_MAX_MINUTES).contains(&minutes));
                }
                prop_assert_eq!(valid.slot.is_some(), service);
            }
            Err(error) => refused_well(&error)?,
        }
    }

    #[test]
    fn short_texts(value in text(), required in any::<bool>(), minutes in any::<u32>()) {
        short_text_ok(RecordThanks { claim_id: crate::ClaimId::generate(), text: value.clone() }.validate(), THANKS_CHARS)?;
        short_text_ok(RejectClaim { claim_id: crate::ClaimId::generate(), reason: value.clone() }.validate(), REASON_CHARS)?;
        short_text_ok(CancelWish { wish_id: crate::WishId::generate(), reason: value.clone() }.validate(), REASON_CHARS)?;
        short_text_ok(ThankShop { allocation_id: crate::AllocationId::generate(), text: value.clone() }.validate(), THANKS_CHARS)?;
        let vetting = VolunteerDecision { user_id: crate::UserId::generate(), note: value, party_member: None };
        let allowed = if required { REASON_CHARS } else { 0..=VETTING_NOTE_MAX_CHARS };
        short_text_ok(vetting.validate(required), allowed)?;
        match (ConfirmClaim { claim_id: crate::ClaimId::generate(), minutes: Some(minutes) }).validate() {
            Ok(Some(minutes)) => prop_assert!((1..=MINUTES_MAX).contains(&minutes)),
            Ok(None) => prop_assert!(false, "minutes given, minutes kept"),
            Err(error) => refused_well(&error)?,
        }
    }

    #[test]
    fn wishes(title in text(), description in text(), unit in text(), alias in text(),
              quantity in number(), service in any::<bool>(), needed_by in proptest::option::of(date()),
              real_name in text(), address in text()) {
        let private = crate::public_text::Private { name: Some(&real_name), address: Some(&address) };
        let kind = if service { WishKind::Service } else { WishKind::Item };
        let wish = NewWish {
            id: crate::WishId::generate(),
            household_id: crate::HouseholdId::generate(),
            kind, title: title.clone(), description: description.clone(), category: Category::Daily,
            quantity, unit: unit.clone(), alias: alias.clone(), group: None, station: None,
            needed_by, campaign_id: None, publish: true,
        };
        match wish.validate(private, today()) {
            Ok(texts) => {
                prop_assert!(TITLE_CHARS.contains(&chars(&texts.title)) && trimmed(&texts.title));
                prop_assert!(chars(&texts.description) <= DESCRIPTION_MAX_CHARS);
                prop_assert!(UNIT_CHARS.contains(&chars(&texts.unit)) && trimmed(&texts.unit));
                prop_assert!(ALIAS_CHARS.contains(&chars(&texts.alias)) && trimmed(&texts.alias));
                prop_assert!(QUANTITY.contains(&i64::from(texts.quantity)));
            }
            Err(error) => refused_well(&error)?,
        }
        let patch = WishPatch {
            title: Some(title), description: Some(description), unit: Some(unit),
            alias: Some(alias), quantity: Some(quantity), needed_by: Some(needed_by),
            ..WishPatch::default()
        };
        match patch.validate(kind, private, today()) {
            Ok((changes, quantity)) => {
                let title = changes.title.unwrap_or_default();
                prop_assert!(TITLE_CHARS.contains(&chars(&title)) && trimmed(&title));
                prop_assert!(quantity.is_some_and(|q| QUANTITY.contains(&i64::from(q))));
            }
            Err(error) => refused_well(&error)?,
        }
    }

    #[test]
    fn households(name in text(), address in text(), phone in text(), notes in text(),
                  groups in proptest::sample::subsequence(BeneficiaryGroup::ALL.to_vec(), 0..=3),
                  consent_on in proptest::option::of(date()), minor in any::<bool>(),
                  guardian_consent_on in proptest::option::of(date())) {
        let fields = households::HouseholdFields {
            name, address, phone, grid: GridId::from("grid-1"), groups, notes, consent_on, guardian_consent_on, minor,
        };
        match fields.validate(today()) {
            Ok(valid) => {
                prop_assert!(NAME_CHARS.contains(&chars(&valid.name)) && trimmed(&valid.name));
                prop_assert!(ADDRESS_CHARS.contains(&chars(&valid.address)));
                prop_assert!(chars(&valid.notes) <= NOTES_MAX_CHARS);
                prop_assert!(!valid.groups.is_empty());
                prop_assert!(valid.phone.chars().all(|c| c.is_ascii_digit() || c == '-'), "{}", valid.phone);
            }
            Err(error) => refused_well(&error)?,
        }
    }

    #[test]
    fn pledges_and_campaigns(title in text(), unit in text(), note in text(),
                             quantity in proptest::option::of(number()),
                             variants in proptest::collection::vec((text(), number()), 0..45),
                             goal in number(), starts in date(), ends in date()) {
        let pledge = pledges::NewPledge {
            id: crate::PledgeId::generate(), title: title.clone(), category: Category::Clothing,
            quantity, unit: unit.clone(),
            variants: variants.into_iter().map(|(label, quantity)| pledges::VariantInput { label, quantity }).collect(),
            available_from: None, yearly: false, note,
            community_id: None,
        };
        match pledge.validate() {
            Ok(valid) => {
                prop_assert!(valid.quantity >= 1 && i64::from(valid.quantity) <= pledges::PLEDGE_QUANTITY_MAX);
                prop_assert!(valid.variants.len() <= pledges::VARIANTS_MAX);
                if !valid.variants.is_empty() {
                    let sum: u64 = valid.variants.iter().map(|(_, n)| u64::from(*n)).sum();
                    prop_assert_eq!(sum, u64::from(valid.quantity), "the sizes add up to the pledge");
                }
                for (label, _) in &valid.variants {
                    prop_assert!(pledges::VARIANT_LABEL_CHARS.contains(&chars(label)));
                }
            }
            Err(error) => refused_well(&error)?,
        }
        let campaign = pledges::NewCampaign {
            id: crate::CampaignId::generate(), title, description: String::new(), goal, unit,
            starts_on: starts, ends_on: ends,
        };
        match campaign.validate() {
            Ok(valid) => {
                prop_assert!(TITLE_CHARS.contains(&chars(&valid.title)));
                prop_assert!(starts <= ends, "a campaign ends after it starts");
                prop_assert!(i64::from(valid.goal) == goal);
            }
            Err(error) => refused_well(&error)?,
        }
    }

    #[test]
    fn accounts(display_name in text(), phone in text(), password in text(),
                role in proptest::sample::select(Role::ALL.to_vec())) {
        let registration = Registration { display_name, phone, password, role, community_id: None, privacy: None, code: None };
        match registration.validate() {
            Ok(account) => {
                prop_assert!(account.role != Role::Worker, "workers are never self-registered");
                prop_assert!(trimmed(account.display_name.as_str()));
            }
            Err(error) => refused_well(&error)?,
        }
    }
}
