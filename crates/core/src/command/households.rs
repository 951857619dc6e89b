//! Households (private): registered and edited by the workers of their community.

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::{Field, FieldCode, RuleError, ValidationErrors};
use crate::ids::{GridId, HouseholdId};
use crate::model::{BeneficiaryGroup, Household};
use crate::validate::{self, ADDRESS_CHARS, NAME_CHARS, NOTES_MAX_CHARS};

/// Every field of a household a worker fills in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HouseholdFields {
    pub name: String,
    pub address: String,
    pub phone: String,
    pub grid: GridId,
    #[serde(default)]
    pub groups: Vec<BeneficiaryGroup>,
    #[serde(default)]
    pub notes: String,
    /// When the household agreed that its wishes be published (under an alias).
    #[serde(default)]
    pub consent_on: Option<NaiveDate>,
    /// When a guardian agreed for the child (needed to publish when `minor`).
    #[serde(default)]
    pub guardian_consent_on: Option<NaiveDate>,
    /// A child under 14 lives here.
    #[serde(default)]
    pub minor: bool,
}

impl HouseholdFields {
    /// The fields trimmed, or every problem at once. Whether the grid is the worker's is
    /// for [`crate::decide`] to say.
    pub fn validate(self, today: NaiveDate) -> Result<HouseholdFields, RuleError> {
        let mut errors = ValidationErrors::default();
        let name = validate::text(&mut errors, Field::Name, &self.name, NAME_CHARS);
        let address = validate::text(&mut errors, Field::Address, &self.address, ADDRESS_CHARS);
        let phone = validate::household_phone(&mut errors, &self.phone);
        let notes = validate::long_text(&mut errors, Field::Notes, &self.notes, NOTES_MAX_CHARS);
        if self.groups.is_empty() {
            errors.add(
                Field::Groups,
                FieldCode::Required,
                "choose at least one group",
            );
        }
        if self.consent_on.is_some_and(|day| day > today) {
            errors.add(
                Field::ConsentOn,
                FieldCode::InTheFuture,
                "must be today or earlier",
            );
        }
        if self.guardian_consent_on.is_some_and(|day| day > today) {
            errors.add(
                Field::GuardianConsentOn,
                FieldCode::InTheFuture,
                "must be today or earlier",
            );
        }
        let mut groups = self.groups;
        groups.sort();
        groups.dedup();
        errors.into_result(HouseholdFields {
            name,
            address,
            phone,
            groups,
            notes,
            ..self
        })
    }

    /// The fields of a household record.
    pub fn of(household: &Household) -> HouseholdFields {
        HouseholdFields {
            name: household.name.clone(),
            address: household.address.clone(),
            phone: household.phone.clone(),
            grid: household.grid.clone(),
            groups: household.groups.clone(),
            notes: household.notes.clone(),
            consent_on: household.consent_on,
            guardian_consent_on: household.guardian_consent_on,
            minor: household.minor,
        }
    }
}

/// `POST /api/households`: a new household, with an id the client may make (offline).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NewHousehold {
    #[serde(default = "HouseholdId::generate")]
    pub id: HouseholdId,
    #[serde(flatten)]
    pub fields: HouseholdFields,
}

/// `PATCH /api/households/{id}`: the fields to change; absent ones stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HouseholdPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grid: Option<GridId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub groups: Option<Vec<BeneficiaryGroup>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// `null` withdraws the consent.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub consent_on: Option<Option<NaiveDate>>,
    /// `null` withdraws the guardian's consent.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub guardian_consent_on: Option<Option<NaiveDate>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minor: Option<bool>,
}

impl HouseholdPatch {
    /// Whether it changes what publishing its wishes depends on: a consent, or a child.
    pub fn touches_consent(&self) -> bool {
        self.consent_on.is_some() || self.guardian_consent_on.is_some() || self.minor.is_some()
    }

    /// The household's fields with this patch applied.
    pub fn apply_to(self, household: &Household) -> HouseholdFields {
        let current = HouseholdFields::of(household);
        HouseholdFields {
            name: self.name.unwrap_or(current.name),
            address: self.address.unwrap_or(current.address),
            phone: self.phone.unwrap_or(current.phone),
            grid: self.grid.unwrap_or(current.grid),
            groups: self.groups.unwrap_or(current.groups),
            notes: self.notes.unwrap_or(current.notes),
            consent_on: self.consent_on.unwrap_or(current.consent_on),
            guardian_consent_on: self
                .guardian_consent_on
                .unwrap_or(current.guardian_consent_on),
            minor: self.minor.unwrap_or(current.minor),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HouseholdUpdate {
    pub household_id: HouseholdId,
    #[serde(flatten)]
    pub patch: HouseholdPatch,
}

/// A worker deletes a household (PIPL): `delete_household {household_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HouseholdRef {
    pub household_id: HouseholdId,
}

/// A field that is present (even as `null`) is `Some`; an absent one stays `None`.
pub(crate) fn present<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 7, 1).unwrap()
    }

    fn fields() -> HouseholdFields {
        HouseholdFields {
            name: " 王成 ".into(),
            address: "星怡花园32幢102室".into(),
            phone: "13962800101".into(),
            grid: GridId::from("grid-4"),
            groups: vec![
                BeneficiaryGroup::ElderlyAlone,
                BeneficiaryGroup::ElderlyAlone,
            ],
            notes: String::new(),
            consent_on: Some(today()),
            guardian_consent_on: None,
            minor: false,
        }
    }

    #[test]
    fn a_household_is_trimmed_and_checked_whole() {
        let valid = fields().validate(today()).unwrap();
        assert_eq!(valid.name, "王成");
        assert_eq!(valid.groups, vec![BeneficiaryGroup::ElderlyAlone]);
        let mut bad = fields();
        bad.name = " ".into();
        bad.address = "x".into();
        bad.phone = "none".into();
        bad.groups.clear();
        bad.consent_on = today().succ_opt();
        bad.guardian_consent_on = today().succ_opt();
        let Err(RuleError::Validation(errors)) = bad.validate(today()) else {
            panic!()
        };
        for field in [
            Field::Name,
            Field::Address,
            Field::Phone,
            Field::Groups,
            Field::ConsentOn,
            Field::GuardianConsentOn,
        ] {
            assert!(errors.has(field), "{field}");
        }
    }

    #[test]
    fn a_patch_changes_only_what_it_names_and_null_withdraws_consent() {
        let patch: HouseholdPatch =
            serde_json::from_value(serde_json::json!({"notes": "请先电话", "consent_on": null}))
                .unwrap();
        assert_eq!(patch.consent_on, Some(None));
        let untouched: HouseholdPatch =
            serde_json::from_value(serde_json::json!({"notes": "x"})).unwrap();
        assert_eq!(untouched.consent_on, None);
        let update: HouseholdUpdate = serde_json::from_value(serde_json::json!({
            "household_id": HouseholdId::generate(), "minor": true
        }))
        .unwrap();
        assert_eq!(update.patch.minor, Some(true));
    }
}
