//! Wishes as workers post them on a household's behalf: create (as a draft or published),
//! edit (publishing a draft is an edit), cancel with a reason.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::command::households::present;
use crate::error::{Field, RuleError, ValidationErrors};
use crate::ids::{CampaignId, GridId, HouseholdId, WishId};
use crate::model::{BeneficiaryGroup, Category, WishKind};
use crate::public_text::{self, Private};
use crate::validate::{self, ALIAS_CHARS, DESCRIPTION_MAX_CHARS, TITLE_CHARS, UNIT_CHARS};

/// `POST /api/wishes` (worker): a wish on behalf of a household; its grid is the household's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewWish {
    /// Made by the client so that a retried request (or a mutation sent twice) makes one wish.
    #[serde(default = "WishId::generate")]
    pub id: WishId,
    pub household_id: HouseholdId,
    pub kind: WishKind,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub category: Category,
    /// Signed so that 0 and negative numbers are reported as a field error.
    pub quantity: i64,
    pub unit: String,
    /// The pseudonym (化名) the public sees; never the real name.
    pub alias: String,
    /// The broad group shown with the wish; the household's first group when absent.
    #[serde(default)]
    pub group: Option<BeneficiaryGroup>,
    /// The grid whose station takes the items; the household's own when absent.
    #[serde(default)]
    pub station: Option<GridId>,
    #[serde(default)]
    pub needed_by: Option<NaiveDate>,
    #[serde(default)]
    pub campaign_id: Option<CampaignId>,
    /// Published at once (open), or kept as a draft.
    #[serde(default)]
    pub publish: bool,
}

/// The texts and quantity of a wish, checked and trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WishTexts {
    pub title: String,
    pub description: String,
    pub quantity: u32,
    pub unit: String,
    pub alias: String,
}

impl NewWish {
    /// Checks every field at `today`, and that no public text (title, description, alias)
    /// shows the household's name, address or a phone ([`public_text`]).
    pub fn validate(&self, private: Private<'_>, today: NaiveDate) -> Result<WishTexts, RuleError> {
        let mut errors = ValidationErrors::default();
        let texts = WishTexts {
            title: validate::text(&mut errors, Field::Title, &self.title, TITLE_CHARS),
            description: validate::long_text(
                &mut errors,
                Field::Description,
                &self.description,
                DESCRIPTION_MAX_CHARS,
            ),
            quantity: validate::quantity(
                &mut errors,
                self.quantity,
                self.kind == WishKind::Service,
            ),
            unit: validate::text(&mut errors, Field::Unit, &self.unit, UNIT_CHARS),
            alias: validate::text(&mut errors, Field::Alias, &self.alias, ALIAS_CHARS),
        };
        public_text::check(&mut errors, Field::Title, &texts.title, private);
        public_text::check(&mut errors, Field::Description, &texts.description, private);
        public_text::check(&mut errors, Field::Alias, &texts.alias, private);
        if let Some(date) = self.needed_by {
            validate::needed_by(&mut errors, date, today);
        }
        errors.into_result(texts)
    }
}

/// `PATCH /api/wishes/{id}`: what to change; absent fields stay. `publish: true` opens a draft.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct WishPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<BeneficiaryGroup>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub station: Option<GridId>,
    /// `null` clears the date.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub needed_by: Option<Option<NaiveDate>>,
    /// `null` takes the wish out of its campaign.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub campaign_id: Option<Option<CampaignId>>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub publish: bool,
}

/// A patch's changed fields, checked and trimmed (the quantity goes with the counters).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WishChanges {
    pub title: Option<String>,
    pub description: Option<String>,
    pub category: Option<Category>,
    pub unit: Option<String>,
    pub alias: Option<String>,
    pub group: Option<BeneficiaryGroup>,
    pub station: Option<GridId>,
    pub needed_by: Option<Option<NaiveDate>>,
    pub campaign_id: Option<Option<CampaignId>>,
}

impl WishChanges {
    pub fn is_empty(&self) -> bool {
        *self == WishChanges::default()
    }
}

impl WishPatch {
    /// Checks the fields it changes, as [`NewWish::validate`] does; returns them and the new
    /// quantity, if any.
    pub fn validate(
        &self,
        kind: WishKind,
        private: Private<'_>,
        today: NaiveDate,
    ) -> Result<(WishChanges, Option<u32>), RuleError> {
        let mut errors = ValidationErrors::default();
        let text = |errors: &mut ValidationErrors, field, value: &Option<String>, allowed| {
            value
                .as_deref()
                .map(|value| validate::text(errors, field, value, allowed))
        };
        let changes = WishChanges {
            title: text(&mut errors, Field::Title, &self.title, TITLE_CHARS),
            description: self.description.as_deref().map(|value| {
                validate::long_text(
                    &mut errors,
                    Field::Description,
                    value,
                    DESCRIPTION_MAX_CHARS,
                )
            }),
            category: self.category,
            unit: text(&mut errors, Field::Unit, &self.unit, UNIT_CHARS),
            alias: text(&mut errors, Field::Alias, &self.alias, ALIAS_CHARS),
            group: self.group,
            station: self.station.clone(),
            needed_by: self.needed_by,
            campaign_id: self.campaign_id,
        };
        let quantity = self
            .quantity
            .map(|quantity| validate::quantity(&mut errors, quantity, kind == WishKind::Service));
        for (field, text) in [
            (Field::Title, &changes.title),
            (Field::Description, &changes.description),
            (Field::Alias, &changes.alias),
        ] {
            if let Some(text) = text {
                public_text::check(&mut errors, field, text, private);
            }
        }
        if let Some(Some(date)) = self.needed_by {
            validate::needed_by(&mut errors, date, today);
        }
        errors.into_result((changes, quantity))
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WishUpdate {
    pub wish_id: WishId,
    #[serde(flatten)]
    pub patch: WishPatch,
}

/// A worker cancels a wish; whoever holds a claim on it is told why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CancelWish {
    pub wish_id: WishId,
    pub reason: String,
}

/// The body of `POST /api/wishes/{id}/cancel`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CancelRequest {
    pub reason: String,
}

/// A worker closes a fulfilled wish (the household thanked, the wish archived); it stays
/// public, and nothing about it changes after.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CloseWish {
    pub wish_id: WishId,
}

impl CancelWish {
    pub fn validate(&self) -> Result<String, RuleError> {
        validate::only_text(Field::Reason, &self.reason, crate::command::REASON_CHARS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::FieldCode;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 7, 1).unwrap()
    }

    fn of(name: &'static str) -> Private<'static> {
        Private {
            name: Some(name),
            address: Some("星怡花园31幢104室"),
        }
    }

    fn school_bag() -> NewWish {
        NewWish {
            id: WishId::generate(),
            household_id: HouseholdId::generate(),
            kind: WishKind::Item,
            title: "  新书包一个 ".into(),
            description: "三年级,喜欢蓝色".into(),
            category: Category::School,
            quantity: 1,
            unit: "个".into(),
            alias: "小周".into(),
            group: None,
            station: None,
            needed_by: NaiveDate::from_ymd_opt(2026, 8, 31),
            campaign_id: None,
            publish: true,
        }
    }

    fn fields(error: RuleError) -> Vec<(Field, FieldCode)> {
        let RuleError::Validation(errors) = error else {
            panic!("{error:?}")
        };
        errors.0.iter().map(|e| (e.field, e.code)).collect()
    }

    #[test]
    fn a_good_wish_passes_trimmed() {
        let texts = school_bag().validate(of("周小娟"), today()).unwrap();
        assert_eq!(texts.title, "新书包一个");
        assert_eq!(texts.quantity, 1);
    }

    #[test]
    fn every_bad_field_is_reported_and_the_real_name_never_shows() {
        let mut wish = school_bag();
        wish.title = "包".into();
        wish.unit = String::new();
        wish.alias = "小娟".into();
        wish.quantity = 0;
        wish.needed_by = NaiveDate::from_ymd_opt(2026, 6, 30);
        wish.description = "周小娟三年级".into();
        let found = fields(wish.validate(of("周小娟"), today()).unwrap_err());
        for expected in [
            (Field::Title, FieldCode::Length),
            (Field::Unit, FieldCode::Required),
            (Field::Alias, FieldCode::RevealsName),
            (Field::Quantity, FieldCode::OutOfRange),
            (Field::NeededBy, FieldCode::InThePast),
            (Field::Description, FieldCode::RevealsName),
        ] {
            assert!(found.contains(&expected), "{expected:?} in {found:?}");
        }
        // Nobody's description may name them, a child's or an adult's, nor give their
        // building and room or a phone.
        let mut adult = school_bag();
        adult.description = "周小娟需要, 住31幢104室, 电话139 6280 0101".into();
        assert_eq!(
            fields(adult.validate(of("周小娟"), today()).unwrap_err()),
            [
                (Field::Description, FieldCode::RevealsName),
                (Field::Description, FieldCode::RevealsAddress),
                (Field::Description, FieldCode::RevealsPhone),
            ]
        );
    }

    #[test]
    fn a_patch_checks_only_what_it_changes() {
        let patch: WishPatch = serde_json::from_value(serde_json::json!({
            "quantity": 3, "needed_by": null, "publish": true
        }))
        .unwrap();
        let (changes, quantity) = patch.validate(WishKind::Item, of("王成"), today()).unwrap();
        assert_eq!(quantity, Some(3));
        assert_eq!(changes.needed_by, Some(None));
        assert!(patch.publish);
        let two_visits = WishPatch {
            quantity: Some(2),
            ..WishPatch::default()
        };
        assert!(two_visits
            .validate(WishKind::Service, of("王成"), today())
            .is_err());
        let named = WishPatch {
            alias: Some("王成".into()),
            ..WishPatch::default()
        };
        assert_eq!(
            fields(
                named
                    .validate(WishKind::Item, of("王成"), today())
                    .unwrap_err()
            ),
            [(Field::Alias, FieldCode::RevealsName)]
        );
    }
}
