//! Input validation: every field of a new wish or household is checked here,
//! once, and every problem is reported with the field it belongs to.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{Field, FieldCode, RuleError, ValidationErrors};
use crate::ids::{CampaignId, GridId, HouseholdId, WishId};
use crate::model::{BeneficiaryGroup, Category, WishKind};

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
    pub id: Option<WishId>,
    pub kind: WishKind,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub category: Category,
    pub quantity: u32,
    pub unit: String,
    pub alias: String,
    pub group: BeneficiaryGroup,
    pub grid: GridId,
    pub household_id: Option<HouseholdId>,
    pub needed_by: Option<NaiveDate>,
    pub campaign_id: Option<CampaignId>,
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

        check_chars(&mut errors, Field::Title, &self.title, TITLE_CHARS);
        if self.description.chars().count() > DESCRIPTION_MAX_CHARS {
            errors.add(
                Field::Description,
                FieldCode::TooLong,
                format!("at most {DESCRIPTION_MAX_CHARS} characters"),
            );
        }
        check_chars(&mut errors, Field::Unit, &self.unit, UNIT_CHARS);
        check_chars(&mut errors, Field::Alias, &self.alias, ALIAS_CHARS);
        if !QUANTITY.contains(&self.quantity) {
            errors.add(
                Field::Quantity,
                FieldCode::OutOfRange,
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
                Field::Quantity,
                FieldCode::ServiceIsOneVisit,
                "a service wish is one visit",
            );
        }
        if self.grid.as_str().trim().is_empty() {
            errors.add(Field::Grid, FieldCode::Required, "choose a grid");
        }
        if let Some(needed_by) = self.needed_by {
            if needed_by < today {
                errors.add(
                    Field::NeededBy,
                    FieldCode::InThePast,
                    "must be today or later",
                );
            } else if today
                .checked_add_days(Days::new(NEEDED_BY_MAX_DAYS))
                .is_some_and(|limit| needed_by > limit)
            {
                errors.add(
                    Field::NeededBy,
                    FieldCode::TooFar,
                    format!("must be within {NEEDED_BY_MAX_DAYS} days"),
                );
            }
        }
        errors.into_result(self)
    }
}

pub(crate) fn check_chars(
    errors: &mut ValidationErrors,
    field: Field,
    value: &str,
    allowed: std::ops::RangeInclusive<usize>,
) {
    let count = value.chars().count();
    if count == 0 {
        errors.add(field, FieldCode::Required, "must not be empty");
    } else if !allowed.contains(&count) {
        errors.add(
            field,
            FieldCode::Length,
            format!(
                "must be {} to {} characters",
                allowed.start(),
                allowed.end()
            ),
        );
    } else if value.chars().any(char::is_control) {
        errors.add(field, FieldCode::ControlCharacters, "must be plain text");
    }
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
            grid: GridId::from("grid-4"),
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
        wish.grid = GridId::from(" ");
        wish.needed_by = NaiveDate::from_ymd_opt(2026, 6, 30);
        wish.description = "很".repeat(DESCRIPTION_MAX_CHARS + 1);
        let RuleError::Validation(errors) = wish.validate(today()).unwrap_err() else {
            panic!("expected validation errors");
        };
        for field in [
            Field::Title,
            Field::Unit,
            Field::Alias,
            Field::Quantity,
            Field::Grid,
            Field::NeededBy,
            Field::Description,
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
}
