//! Input validation: every field of a new wish or household is checked here,
//! once, and every problem is reported with the field it belongs to.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{RuleError, ValidationErrors};
use crate::model::{BeneficiaryGroup, Category, Id, WishKind};

pub const TITLE_CHARS: std::ops::RangeInclusive<usize> = 2..=40;
pub const DESCRIPTION_MAX_CHARS: usize = 500;
pub const UNIT_CHARS: std::ops::RangeInclusive<usize> = 1..=6;
pub const ALIAS_CHARS: std::ops::RangeInclusive<usize> = 1..=12;
pub const QUANTITY: std::ops::RangeInclusive<u32> = 1..=10_000;
/// A wish further out than this is more likely a typo than a plan.
pub const NEEDED_BY_MAX_DAYS: u64 = 366;

/// A wish as a worker posts it on behalf of a household.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewWish {
    pub id: Option<Id>,
    pub kind: WishKind,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub category: Category,
    pub quantity: u32,
    pub unit: String,
    pub alias: String,
    pub group: BeneficiaryGroup,
    pub grid: String,
    pub household_id: Option<Id>,
    pub needed_by: Option<NaiveDate>,
    pub campaign_id: Option<Id>,
}

impl NewWish {
    /// Checks every field against the rules, with `today` from the caller's clock; returns
    /// the wish with text trimmed, or all the problems at once.
    pub fn validate(mut self, today: NaiveDate) -> Result<NewWish, RuleError> {
        let mut errors = ValidationErrors::default();
        self.title = self.title.trim().to_owned();
        self.description = self.description.trim().to_owned();
        self.unit = self.unit.trim().to_owned();
        self.alias = self.alias.trim().to_owned();

        check_chars(&mut errors, "title", &self.title, TITLE_CHARS);
        if self.description.chars().count() > DESCRIPTION_MAX_CHARS {
            errors.add(
                "description",
                "too_long",
                format!("at most {DESCRIPTION_MAX_CHARS} characters"),
            );
        }
        check_chars(&mut errors, "unit", &self.unit, UNIT_CHARS);
        check_chars(&mut errors, "alias", &self.alias, ALIAS_CHARS);
        if !QUANTITY.contains(&self.quantity) {
            errors.add(
                "quantity",
                "out_of_range",
                format!(
                    "must be between {} and {}",
                    QUANTITY.start(),
                    QUANTITY.end()
                ),
            );
        }
        // A house call is one visit; several visits are several wishes.
        if self.kind == WishKind::Service && self.quantity != 1 {
            errors.add(
                "quantity",
                "service_is_one_visit",
                "a service wish is one visit",
            );
        }
        if self.grid.trim().is_empty() {
            errors.add("grid", "required", "choose a grid");
        }
        if let Some(needed_by) = self.needed_by {
            if needed_by < today {
                errors.add("needed_by", "in_the_past", "must be today or later");
            } else if today
                .checked_add_days(Days::new(NEEDED_BY_MAX_DAYS))
                .is_some_and(|limit| needed_by > limit)
            {
                errors.add(
                    "needed_by",
                    "too_far",
                    format!("must be within {NEEDED_BY_MAX_DAYS} days"),
                );
            }
        }
        errors.into_result(self)
    }
}

fn check_chars(
    errors: &mut ValidationErrors,
    field: &str,
    value: &str,
    allowed: std::ops::RangeInclusive<usize>,
) {
    let count = value.chars().count();
    if count == 0 {
        errors.add(field, "required", "must not be empty");
    } else if !allowed.contains(&count) {
        errors.add(
            field,
            "length",
            format!(
                "must be {} to {} characters",
                allowed.start(),
                allowed.end()
            ),
        );
    } else if value.chars().any(char::is_control) {
        errors.add(field, "control_characters", "must be plain text");
    }
}

/// A mainland China mobile number: 11 digits starting with 1 and a second digit 3–9.
/// Spaces and dashes people type are removed; a `+86`/`86` prefix is accepted.
pub fn normalize_phone(input: &str) -> Option<String> {
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
    valid.then(|| digits.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 7, 1).unwrap()
    }

    fn school_bag() -> NewWish {
        NewWish {
            id: None,
            kind: WishKind::Item,
            title: "  新书包一个 ".into(),
            description: "三年级,喜欢蓝色".into(),
            category: Category::School,
            quantity: 1,
            unit: "个".into(),
            alias: "小娟".into(),
            group: BeneficiaryGroup::ChildInDifficulty,
            grid: "grid-4".into(),
            household_id: None,
            needed_by: NaiveDate::from_ymd_opt(2026, 8, 31),
            campaign_id: None,
        }
    }

    #[test]
    fn a_good_wish_passes_trimmed() {
        let wish = school_bag().validate(today()).unwrap();
        assert_eq!(wish.title, "新书包一个");
    }

    #[test]
    fn every_bad_field_is_reported() {
        let mut wish = school_bag();
        wish.title = "包".into();
        wish.unit = String::new();
        wish.alias = "这个化名实在是太长太长太长了啊".into();
        wish.quantity = 0;
        wish.grid = " ".into();
        wish.needed_by = NaiveDate::from_ymd_opt(2026, 6, 30);
        wish.description = "很".repeat(DESCRIPTION_MAX_CHARS + 1);
        let RuleError::Validation(errors) = wish.validate(today()).unwrap_err() else {
            panic!("expected validation errors");
        };
        for field in [
            "title",
            "unit",
            "alias",
            "quantity",
            "grid",
            "needed_by",
            "description",
        ] {
            assert!(errors.has(field), "{field} not reported: {errors:?}");
        }
    }

    #[test]
    fn quantity_bounds_and_service_visits() {
        let mut wish = school_bag();
        wish.quantity = 10_001;
        assert!(wish.clone().validate(today()).is_err());
        wish.quantity = 10_000;
        assert!(wish.clone().validate(today()).is_ok());
        wish.kind = WishKind::Service;
        assert!(wish.clone().validate(today()).is_err());
        wish.quantity = 1;
        assert!(wish.validate(today()).is_ok());
    }

    #[test]
    fn needed_by_must_be_within_a_year() {
        let mut wish = school_bag();
        wish.needed_by = NaiveDate::from_ymd_opt(2027, 7, 3);
        assert!(wish.clone().validate(today()).is_err());
        wish.needed_by = Some(today());
        assert!(wish.validate(today()).is_ok());
    }

    #[test]
    fn control_characters_are_refused() {
        let mut wish = school_bag();
        wish.title = "书包\u{0}一个".into();
        assert!(wish.validate(today()).is_err());
    }

    #[test]
    fn phones_are_mainland_mobiles() {
        assert_eq!(
            normalize_phone("138 0000 1234").as_deref(),
            Some("13800001234")
        );
        assert_eq!(
            normalize_phone("+86 139-1234-5678").as_deref(),
            Some("13912345678")
        );
        assert_eq!(
            normalize_phone("8613912345678").as_deref(),
            Some("13912345678")
        );
        assert_eq!(normalize_phone("12012345678"), None);
        assert_eq!(normalize_phone("1391234567"), None);
        assert_eq!(normalize_phone("1391234567a"), None);
        assert_eq!(normalize_phone("0513-8888888"), None);
    }
}
