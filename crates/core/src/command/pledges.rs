//! Shopkeepers' bulk pledges and workers' allocations of them to wishes, and campaigns.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Field, FieldCode, RuleError, ValidationErrors};
use crate::ids::{AllocationId, CampaignId, CommunityId, PledgeId, WishId};
use crate::model::Category;
use crate::validate::{self, DESCRIPTION_MAX_CHARS, TITLE_CHARS, UNIT_CHARS};

/// The most units one pledge (or one variant) may hold.
pub const PLEDGE_QUANTITY_MAX: i64 = 100_000;
pub const VARIANT_LABEL_CHARS: std::ops::RangeInclusive<usize> = 1..=20;
pub const VARIANTS_MAX: usize = 40;

/// One size or model of a pledge, with how many of it, e.g. "32码 × 10".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VariantInput {
    pub label: String,
    pub quantity: i64,
}

/// `POST /api/pledges` (shopkeeper): goods given in bulk, e.g. 104 pairs of children's shoes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewPledge {
    #[serde(default = "PledgeId::generate")]
    pub id: PledgeId,
    pub title: String,
    pub category: Category,
    /// With variants it may be left out: their sum. Given, it must equal their sum.
    #[serde(default)]
    pub quantity: Option<i64>,
    pub unit: String,
    #[serde(default)]
    pub variants: Vec<VariantInput>,
    #[serde(default)]
    pub available_from: Option<NaiveDate>,
    /// Given every year (the shoe shop's 104 pairs), or once.
    #[serde(default)]
    pub yearly: bool,
    /// Where and when the shop drops the goods, or anything else to know.
    #[serde(default)]
    pub note: String,
    /// The community it is offered to (its workers alone give it out); left out, the shop's
    /// own community if it has one, else every community's.
    #[serde(default)]
    pub community_id: Option<CommunityId>,
}

/// A pledge's fields, checked and trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidPledge {
    pub title: String,
    pub quantity: u32,
    pub unit: String,
    pub variants: Vec<(String, u32)>,
    pub note: String,
}

impl NewPledge {
    pub fn validate(&self) -> Result<ValidPledge, RuleError> {
        let mut errors = ValidationErrors::default();
        let title = validate::text(&mut errors, Field::Title, &self.title, TITLE_CHARS);
        let unit = validate::text(&mut errors, Field::Unit, &self.unit, UNIT_CHARS);
        let note = validate::long_text(&mut errors, Field::Note, &self.note, DESCRIPTION_MAX_CHARS);
        let mut variants = Vec::new();
        if self.variants.len() > VARIANTS_MAX {
            errors.add(
                Field::Variants,
                FieldCode::TooLong,
                format!("at most {VARIANTS_MAX} variants"),
            );
        }
        for variant in &self.variants {
            let label = validate::text(
                &mut errors,
                Field::Variants,
                &variant.label,
                VARIANT_LABEL_CHARS,
            );
            if !(1..=PLEDGE_QUANTITY_MAX).contains(&variant.quantity) {
                errors.add(
                    Field::Variants,
                    FieldCode::OutOfRange,
                    format!("each variant 1 to {PLEDGE_QUANTITY_MAX}"),
                );
            } else if variants.iter().any(|(other, _)| *other == label) {
                errors.add(Field::Variants, FieldCode::Duplicate, "each label once");
            } else {
                variants.push((label, u32::try_from(variant.quantity).unwrap_or(0)));
            }
        }
        // Saturating: any i64 can arrive, and a sum past the limit is refused anyway.
        let sum = self
            .variants
            .iter()
            .fold(0_i64, |sum, variant| sum.saturating_add(variant.quantity));
        let quantity = match (self.quantity, self.variants.is_empty()) {
            (Some(quantity), true) => quantity,
            (None, true) => {
                errors.add(Field::Quantity, FieldCode::Required, "how many");
                0
            }
            (None, false) => sum,
            (Some(quantity), false) => {
                if quantity != sum {
                    errors.add(
                        Field::Quantity,
                        FieldCode::NotTheSum,
                        format!("the variants add up to {sum}"),
                    );
                }
                quantity
            }
        };
        if !(1..=PLEDGE_QUANTITY_MAX).contains(&quantity) {
            errors.add(
                Field::Quantity,
                FieldCode::OutOfRange,
                format!("1 to {PLEDGE_QUANTITY_MAX}"),
            );
        }
        errors.into_result(ValidPledge {
            title,
            quantity: u32::try_from(quantity).unwrap_or(0),
            unit,
            variants,
            note,
        })
    }
}

/// `withdraw_pledge` (`POST /api/pledges/{id}/withdraw`, its shop): take back what is not yet
/// given out; what is allocated still goes to its wishes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PledgeRef {
    pub pledge_id: PledgeId,
}

/// The body of `PATCH /api/pledges/{id}`: only what changes; the rest stays.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PledgePatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Category>,
    /// Without variants: the whole. With them, leave it out (their sum) or give the sum.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Every size, replacing the list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variants: Option<Vec<VariantInput>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available_from: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yearly: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl PledgePatch {
    /// The whole pledge after this patch of `current`.
    pub fn over(self, current: &crate::model::Pledge) -> NewPledge {
        let variants = self.variants.unwrap_or_else(|| {
            current
                .variants
                .iter()
                .map(|variant| VariantInput {
                    label: variant.label.clone(),
                    quantity: i64::from(variant.quantity),
                })
                .collect()
        });
        // With sizes the whole is their sum unless given; without, the whole as it was.
        let quantity = match self.quantity {
            Some(quantity) => Some(quantity),
            None if variants.is_empty() => Some(i64::from(current.quantity)),
            None => None,
        };
        NewPledge {
            id: current.id,
            title: self.title.unwrap_or_else(|| current.title.clone()),
            category: self.category.unwrap_or(current.category),
            quantity,
            unit: self.unit.unwrap_or_else(|| current.unit.clone()),
            variants,
            available_from: self.available_from.or(current.available_from),
            yearly: self.yearly.unwrap_or(current.yearly),
            note: self.note.unwrap_or_else(|| current.note.clone()),
            community_id: current.community_id,
        }
    }
}

/// `POST /api/pledges/{id}/allocations` (worker): give `quantity` units of a pledge (of one
/// variant) to a wish. The REST body has no `pledge_id` (it is in the path).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewAllocation {
    #[serde(default = "AllocationId::generate")]
    pub id: AllocationId,
    pub pledge_id: PledgeId,
    pub wish_id: WishId,
    pub quantity: i64,
    #[serde(default)]
    pub variant: Option<String>,
}

/// The body of `POST /api/pledges/{id}/allocations`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AllocationRequest {
    #[serde(default)]
    pub id: Option<AllocationId>,
    pub wish_id: WishId,
    pub quantity: i64,
    #[serde(default)]
    pub variant: Option<String>,
}

impl AllocationRequest {
    pub fn for_pledge(self, pledge_id: PledgeId) -> NewAllocation {
        NewAllocation {
            id: self.id.unwrap_or_else(AllocationId::generate),
            pledge_id,
            wish_id: self.wish_id,
            quantity: self.quantity,
            variant: self.variant,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AllocationRef {
    pub allocation_id: AllocationId,
}

/// A worker records the household's thanks for an allocation (the shop sees it).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThankShop {
    pub allocation_id: AllocationId,
    pub text: String,
}

impl ThankShop {
    pub fn validate(&self) -> Result<String, RuleError> {
        validate::only_text(Field::Text, &self.text, crate::command::THANKS_CHARS)
    }
}

/// `POST /api/campaigns` (worker): a drive with a goal, e.g. "暖心行动送书包: 30 个书包".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewCampaign {
    #[serde(default = "CampaignId::generate")]
    pub id: CampaignId,
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// How many units the drive aims for.
    pub goal: i64,
    /// What the goal counts, e.g. "个书包".
    #[serde(default = "default_unit")]
    pub unit: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

fn default_unit() -> String {
    "件".to_owned()
}

/// A campaign's fields, checked and trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidCampaign {
    pub title: String,
    pub description: String,
    pub goal: u32,
    pub unit: String,
}

impl NewCampaign {
    pub fn validate(&self) -> Result<ValidCampaign, RuleError> {
        let mut errors = ValidationErrors::default();
        let campaign = ValidCampaign {
            title: validate::text(&mut errors, Field::Title, &self.title, TITLE_CHARS),
            description: validate::long_text(
                &mut errors,
                Field::Description,
                &self.description,
                DESCRIPTION_MAX_CHARS,
            ),
            goal: u32::try_from(self.goal).unwrap_or(0),
            unit: validate::text(&mut errors, Field::Unit, &self.unit, UNIT_CHARS),
        };
        // A campaign speaks of no one household: no phone, nobody's building and room.
        let nobody = crate::public_text::Private::NOBODY;
        crate::public_text::check(&mut errors, Field::Title, &campaign.title, nobody);
        crate::public_text::check(
            &mut errors,
            Field::Description,
            &campaign.description,
            nobody,
        );
        if !(1..=PLEDGE_QUANTITY_MAX).contains(&self.goal) {
            errors.add(
                Field::Goal,
                FieldCode::OutOfRange,
                format!("1 to {PLEDGE_QUANTITY_MAX}"),
            );
        }
        if self.ends_on < self.starts_on {
            errors.add(
                Field::EndsOn,
                FieldCode::BeforeStart,
                "must end after it starts",
            );
        }
        errors.into_result(campaign)
    }
}

/// `update_campaign` (`PATCH /api/campaigns/{id}`, worker of its community): the drive's
/// text, goal and dates, all of them, checked as a new one is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignUpdate {
    pub campaign_id: CampaignId,
    pub title: String,
    #[serde(default)]
    pub description: String,
    pub goal: i64,
    #[serde(default = "default_unit")]
    pub unit: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

impl CampaignUpdate {
    pub fn validate(&self) -> Result<ValidCampaign, RuleError> {
        NewCampaign {
            id: self.campaign_id,
            title: self.title.clone(),
            description: self.description.clone(),
            goal: self.goal,
            unit: self.unit.clone(),
            starts_on: self.starts_on,
            ends_on: self.ends_on,
        }
        .validate()
    }
}

/// The body of `PATCH /api/campaigns/{id}`: only what changes; the rest stays.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CampaignPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts_on: Option<NaiveDate>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ends_on: Option<NaiveDate>,
}

impl CampaignPatch {
    /// The whole drive after this patch of `current` (a drive of old kept no dates: then the
    /// patch must give them).
    pub fn over(self, current: &crate::model::PublicCampaign) -> Result<CampaignUpdate, RuleError> {
        let mut errors = ValidationErrors::default();
        let mut date = |given: Option<NaiveDate>, had: Option<NaiveDate>, field: Field| {
            given.or(had).unwrap_or_else(|| {
                errors.add(field, FieldCode::Required, "must be given");
                NaiveDate::MIN
            })
        };
        let starts_on = date(self.starts_on, current.starts_on, Field::StartsOn);
        let ends_on = date(self.ends_on, current.ends_on, Field::EndsOn);
        errors.into_result(CampaignUpdate {
            campaign_id: current.id,
            title: self.title.unwrap_or_else(|| current.title.clone()),
            description: self
                .description
                .unwrap_or_else(|| current.description.clone()),
            goal: self.goal.unwrap_or(i64::from(current.goal)),
            unit: self.unit.unwrap_or_else(|| current.unit.clone()),
            starts_on,
            ends_on,
        })
    }
}

/// `end_campaign` (`POST /api/campaigns/{id}/end`, worker of its community): the drive stops
/// being ongoing now, whatever its last day was; its wishes stay as they are.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CampaignRef {
    pub campaign_id: CampaignId,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shoes() -> NewPledge {
        NewPledge {
            id: PledgeId::generate(),
            title: "儿童鞋".into(),
            category: Category::Clothing,
            quantity: None,
            unit: "双".into(),
            variants: (28..=36)
                .map(|size| VariantInput {
                    label: format!("{size}码"),
                    quantity: if size == 32 { 16 } else { 11 },
                })
                .collect(),
            available_from: None,
            yearly: true,
            note: "每年六一前送到驿站".into(),
            community_id: None,
        }
    }

    #[test]
    fn a_pledge_in_sizes_adds_up() {
        let valid = shoes().validate().unwrap();
        assert_eq!(valid.quantity, 104);
        assert_eq!(valid.variants.len(), 9);
        let mut wrong = shoes();
        wrong.quantity = Some(100);
        let Err(RuleError::Validation(errors)) = wrong.validate() else {
            panic!()
        };
        assert_eq!(errors.0[0].code, FieldCode::NotTheSum);
        let mut twice = shoes();
        twice.variants[1].label = "28码".into();
        assert!(twice.validate().is_err());
        let mut plain = shoes();
        plain.variants.clear();
        assert!(plain.validate().is_err(), "a quantity is needed");
        plain.quantity = Some(20);
        assert_eq!(plain.validate().unwrap().quantity, 20);
    }

    #[test]
    fn a_campaign_has_a_goal_and_a_period() {
        let day = |d| NaiveDate::from_ymd_opt(2026, 8, d).unwrap();
        let mut campaign = NewCampaign {
            id: CampaignId::generate(),
            title: "暖心行动送书包".into(),
            description: String::new(),
            goal: 30,
            unit: "个书包".into(),
            starts_on: day(1),
            ends_on: day(31),
        };
        assert_eq!(campaign.validate().unwrap().goal, 30);
        campaign.goal = 0;
        campaign.ends_on = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        let Err(RuleError::Validation(errors)) = campaign.validate() else {
            panic!()
        };
        assert!(errors.has(Field::Goal) && errors.has(Field::EndsOn));
    }
}
