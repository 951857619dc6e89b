//! What is wrong with one field of a form, by the field and the code the rules gave it, with
//! the rules' own limits filled in.

use microwish_core::account::{PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS};
use microwish_core::command::{
    MINUTES_MAX, NOTE_MAX_CHARS, PLEDGE_QUANTITY_MAX, REASON_CHARS, SLOT_MAX_MINUTES,
    SLOT_MIN_MINUTES, THANKS_CHARS, VARIANTS_MAX, VARIANT_LABEL_CHARS,
};
use microwish_core::validate::{
    ADDRESS_CHARS, ALIAS_CHARS, DESCRIPTION_MAX_CHARS, NAME_CHARS, TITLE_CHARS, UNIT_CHARS,
};
use microwish_core::{DisplayName, Field, FieldCode};
use std::ops::RangeInclusive;

use super::{fill, Texts};

/// Templates take `{n}` (one limit), or `{min}` and `{max}` (a range).
pub struct FieldErrorTexts {
    /// `{what}` one of the names below, `{min}`–`{max}` characters.
    pub length: &'static str,
    pub display_name_is: &'static str,
    pub name_is: &'static str,
    pub address_is: &'static str,
    pub title_is: &'static str,
    pub unit_is: &'static str,
    pub alias_is: &'static str,
    pub size_name_is: &'static str,
    pub display_name_plain: &'static str,
    pub phone: &'static str,
    pub password_too_short: &'static str,
    pub password_too_long: &'static str,
    pub password_too_common: &'static str,
    pub role_not_self_service: &'static str,
    pub role: &'static str,
    pub quantity_not_the_sum: &'static str,
    pub quantity_below_claimed: &'static str,
    pub quantity_service_is_one_visit: &'static str,
    pub quantity: &'static str,
    pub note_required: &'static str,
    pub note: &'static str,
    pub slot_start_required: &'static str,
    pub slot_start_in_the_past: &'static str,
    pub slot_start_not_for_items: &'static str,
    pub slot_end_required: &'static str,
    pub slot_end_before_start: &'static str,
    pub slot_end_too_short: &'static str,
    pub slot_end_too_long: &'static str,
    pub slot_end_after_needed_by: &'static str,
    pub reason: &'static str,
    pub variant_required: &'static str,
    pub variant: &'static str,
    pub variants_duplicate: &'static str,
    pub variants_out_of_range: &'static str,
    pub variants_too_long: &'static str,
    pub reveals_name: &'static str,
    pub reveals_address: &'static str,
    pub reveals_phone: &'static str,
    pub control_characters: &'static str,
    pub required: &'static str,
    pub description: &'static str,
    pub goal: &'static str,
    pub ends_before_start: &'static str,
    pub period_too_long: &'static str,
    pub needed_by_in_the_past: &'static str,
    pub needed_by_too_far: &'static str,
    pub thanks: &'static str,
    pub minutes: &'static str,
    pub grid: &'static str,
    pub station: &'static str,
    pub campaign: &'static str,
    pub community_required: &'static str,
    pub community: &'static str,
}

impl Texts {
    /// What is wrong with one field, by the field and the code the rules gave it.
    pub fn field_error(&self, field: Field, code: FieldCode) -> String {
        let words = &self.field_errors;
        let length = |what: &str, chars: &RangeInclusive<usize>| {
            range(&fill(words.length, &[("what", what.to_owned())]), chars)
        };
        match (field, code) {
            (Field::DisplayName, FieldCode::Length) => {
                length(words.display_name_is, &DisplayName::CHARS)
            }
            (Field::DisplayName, _) => words.display_name_plain.to_owned(),
            (Field::Phone, _) => words.phone.to_owned(),
            (Field::Password, FieldCode::TooShort) => {
                limit(words.password_too_short, PASSWORD_MIN_CHARS)
            }
            (Field::Password, FieldCode::TooLong) => {
                limit(words.password_too_long, PASSWORD_MAX_CHARS)
            }
            (Field::Password, _) => words.password_too_common.to_owned(),
            (Field::Role, FieldCode::NotSelfService) => words.role_not_self_service.to_owned(),
            (Field::Role, _) => words.role.to_owned(),
            (Field::Quantity, FieldCode::NotTheSum) => words.quantity_not_the_sum.to_owned(),
            (Field::Quantity, FieldCode::BelowClaimed) => words.quantity_below_claimed.to_owned(),
            (Field::Quantity, FieldCode::ServiceIsOneVisit) => {
                words.quantity_service_is_one_visit.to_owned()
            }
            (Field::Quantity, _) => words.quantity.to_owned(),
            (Field::Note, FieldCode::Required) => words.note_required.to_owned(),
            (Field::Note, _) => limit(words.note, NOTE_MAX_CHARS),
            (Field::SlotStart, FieldCode::Required) => words.slot_start_required.to_owned(),
            (Field::SlotStart, FieldCode::InThePast) => words.slot_start_in_the_past.to_owned(),
            (Field::SlotStart, FieldCode::NotForItems) => words.slot_start_not_for_items.to_owned(),
            (Field::SlotEnd, FieldCode::Required) => words.slot_end_required.to_owned(),
            (Field::SlotEnd, FieldCode::BeforeStart) => words.slot_end_before_start.to_owned(),
            (Field::SlotEnd, FieldCode::TooShort) => {
                limit(words.slot_end_too_short, SLOT_MIN_MINUTES)
            }
            (Field::SlotEnd, FieldCode::TooLong) => {
                limit(words.slot_end_too_long, SLOT_MAX_MINUTES / 60)
            }
            (Field::SlotEnd, FieldCode::AfterNeededBy) => words.slot_end_after_needed_by.to_owned(),
            (Field::Reason, _) => range(words.reason, &REASON_CHARS),
            (Field::Variant, FieldCode::Required) => words.variant_required.to_owned(),
            (Field::CommunityId, FieldCode::Required) => words.community_required.to_owned(),
            (Field::CommunityId, FieldCode::NotPaired) => self.pairings.not_paired.to_owned(),
            (_, FieldCode::RevealsName) => words.reveals_name.to_owned(),
            (_, FieldCode::RevealsAddress) => words.reveals_address.to_owned(),
            (_, FieldCode::RevealsPhone) => words.reveals_phone.to_owned(),
            (_, FieldCode::ControlCharacters) => words.control_characters.to_owned(),
            (_, FieldCode::Required) => words.required.to_owned(),
            (Field::Name, _) => length(words.name_is, &NAME_CHARS),
            (Field::Address, _) => length(words.address_is, &ADDRESS_CHARS),
            (Field::Title, _) => length(words.title_is, &TITLE_CHARS),
            (Field::Unit, _) => length(words.unit_is, &UNIT_CHARS),
            (Field::Alias, _) => length(words.alias_is, &ALIAS_CHARS),
            (Field::Variants, FieldCode::Duplicate) => words.variants_duplicate.to_owned(),
            (Field::Variants, FieldCode::OutOfRange) => {
                limit(words.variants_out_of_range, PLEDGE_QUANTITY_MAX)
            }
            (Field::Variants, FieldCode::TooLong) => limit(words.variants_too_long, VARIANTS_MAX),
            (Field::Variants, _) => length(words.size_name_is, &VARIANT_LABEL_CHARS),
            (Field::Variant, _) => words.variant.to_owned(),
            (Field::Description | Field::Notes, _) => {
                limit(words.description, DESCRIPTION_MAX_CHARS)
            }
            (Field::Goal, _) => limit(words.goal, PLEDGE_QUANTITY_MAX),
            (Field::EndsOn | Field::To, FieldCode::BeforeStart) => {
                words.ends_before_start.to_owned()
            }
            (Field::To, _) => words.period_too_long.to_owned(),
            (Field::NeededBy, FieldCode::InThePast) => words.needed_by_in_the_past.to_owned(),
            (Field::NeededBy, _) => words.needed_by_too_far.to_owned(),
            (Field::Text, _) => range(words.thanks, &THANKS_CHARS),
            (Field::Minutes, _) => limit(words.minutes, MINUTES_MAX),
            (Field::Grid, _) => words.grid.to_owned(),
            (Field::Station, _) => words.station.to_owned(),
            (Field::CampaignId, _) => words.campaign.to_owned(),
            (Field::CommunityId, _) => words.community.to_owned(),
            (Field::Code, _) => self.phone.wrong_code.to_owned(),
            (Field::CurrentPassword, _) => self.phone.wrong_current_password.to_owned(),
            _ => self.problem.field_invalid.to_owned(),
        }
    }
}

/// A template with one limit, `{n}`.
fn limit(template: &str, n: impl ToString) -> String {
    fill(template, &[("n", n.to_string())])
}

/// A template with a range, `{min}`–`{max}`.
fn range(template: &str, chars: &RangeInclusive<usize>) -> String {
    let (min, max) = (chars.start().to_string(), chars.end().to_string());
    fill(template, &[("min", min), ("max", max)])
}
