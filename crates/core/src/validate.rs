//! Field checks shared by the commands: each reports a problem with the field it belongs to,
//! so that a form can mark every wrong field at once.

use chrono::{Days, NaiveDate};

use crate::error::{Field, FieldCode, ValidationErrors};

pub const TITLE_CHARS: std::ops::RangeInclusive<usize> = 2..=40;
pub const DESCRIPTION_MAX_CHARS: usize = 500;
pub const UNIT_CHARS: std::ops::RangeInclusive<usize> = 1..=6;
pub const ALIAS_CHARS: std::ops::RangeInclusive<usize> = 1..=12;
pub const QUANTITY: std::ops::RangeInclusive<i64> = 1..=10_000;
/// A wish further out than this is more likely a typo than a plan.
pub const NEEDED_BY_MAX_DAYS: u64 = 366;
pub const NAME_CHARS: std::ops::RangeInclusive<usize> = 1..=20;
pub const ADDRESS_CHARS: std::ops::RangeInclusive<usize> = 2..=80;
pub const NOTES_MAX_CHARS: usize = 500;

/// A required text of `allowed` characters, plain (no control characters); trimmed.
pub fn text(
    errors: &mut ValidationErrors,
    field: Field,
    value: &str,
    allowed: std::ops::RangeInclusive<usize>,
) -> String {
    let value = value.trim();
    let count = value.chars().count();
    if count == 0 && *allowed.start() > 0 {
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
    } else if value.chars().any(|c| c.is_control() && c != '\n') {
        errors.add(field, FieldCode::ControlCharacters, "must be plain text");
    }
    value.to_owned()
}

/// A command whose only input is one text (a reason, a thanks, a vetting note): the text,
/// trimmed, or why not.
pub fn only_text(
    field: Field,
    value: &str,
    allowed: std::ops::RangeInclusive<usize>,
) -> Result<String, crate::error::RuleError> {
    let mut errors = ValidationErrors::default();
    let text = text(&mut errors, field, value, allowed);
    errors.into_result(text)
}

/// An optional longer text of at most `max` characters; trimmed.
pub fn long_text(errors: &mut ValidationErrors, field: Field, value: &str, max: usize) -> String {
    text(errors, field, value, 0..=max)
}

/// A wish's quantity: a whole number of units, one visit for a house call.
pub fn quantity(errors: &mut ValidationErrors, quantity: i64, service: bool) -> u32 {
    if !QUANTITY.contains(&quantity) {
        errors.add(
            Field::Quantity,
            FieldCode::OutOfRange,
            format!(
                "must be between {} and {}",
                QUANTITY.start(),
                QUANTITY.end()
            ),
        );
    } else if service && quantity != 1 {
        // A house call is one visit; several visits are several wishes.
        errors.add(
            Field::Quantity,
            FieldCode::ServiceIsOneVisit,
            "a service wish is one visit",
        );
    }
    u32::try_from(quantity).unwrap_or(0)
}

/// A needed-by date: today or later, within a year.
pub fn needed_by(errors: &mut ValidationErrors, date: NaiveDate, today: NaiveDate) {
    if date < today {
        errors.add(
            Field::NeededBy,
            FieldCode::InThePast,
            "must be today or later",
        );
    } else if today
        .checked_add_days(Days::new(NEEDED_BY_MAX_DAYS))
        .is_some_and(|limit| date > limit)
    {
        errors.add(
            Field::NeededBy,
            FieldCode::TooFar,
            format!("must be within {NEEDED_BY_MAX_DAYS} days"),
        );
    }
}

// What public text may not show (a name, an address, a phone) is `crate::public_text`.

/// A household's phone: a mobile or a landline (digits, with spaces or dashes people type).
pub fn household_phone(errors: &mut ValidationErrors, phone: &str) -> String {
    let phone = phone.trim();
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let plain = phone
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+'));
    if phone.is_empty() {
        errors.add(Field::Phone, FieldCode::Required, "must not be empty");
    } else if !plain || !(7..=15).contains(&digits) {
        errors.add(Field::Phone, FieldCode::Invalid, "a phone number");
    }
    phone.to_owned()
}

pub const STATION_HOURS_MAX_CHARS: usize = 40;
pub const STATION_CONTACT_MAX_CHARS: usize = 20;

/// A grid station's details as the community sets them (each may be left empty): opening
/// hours, a contact person, and a phone (a mobile or a landline); trimmed.
pub fn station_details(
    hours: &str,
    contact: &str,
    phone: &str,
) -> Result<(String, String, String), crate::error::RuleError> {
    let mut errors = ValidationErrors::default();
    let hours = long_text(&mut errors, Field::Hours, hours, STATION_HOURS_MAX_CHARS);
    let contact = long_text(
        &mut errors,
        Field::Contact,
        contact,
        STATION_CONTACT_MAX_CHARS,
    );
    let phone = if phone.trim().is_empty() {
        String::new()
    } else {
        household_phone(&mut errors, phone)
    };
    errors.into_result((hours, contact, phone))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_station_takes_hours_a_contact_and_a_mobile_or_landline() {
        let (hours, contact, phone) =
            station_details(" 每天 9:00–17:00 ", "网格长 李敏", "0571-8888 1234").unwrap();
        assert_eq!(
            (hours.as_str(), contact.as_str(), phone.as_str()),
            ("每天 9:00–17:00", "网格长 李敏", "0571-8888 1234")
        );
        assert!(
            station_details("", "", "").is_ok(),
            "each may be left empty"
        );
        let Err(crate::error::RuleError::Validation(errors)) =
            station_details(&"早".repeat(41), "李", "call me")
        else {
            panic!("too long hours and a phone that is no number are refused");
        };
        assert!(errors.has(Field::Hours) && errors.has(Field::Phone));
    }

    #[test]
    fn texts_are_trimmed_and_bounded() {
        let mut errors = ValidationErrors::default();
        assert_eq!(
            text(&mut errors, Field::Title, "  书包 ", TITLE_CHARS),
            "书包"
        );
        assert!(errors.is_empty());
        text(&mut errors, Field::Title, "包", TITLE_CHARS);
        text(&mut errors, Field::Unit, " ", UNIT_CHARS);
        text(&mut errors, Field::Alias, "小\u{0}娟", ALIAS_CHARS);
        long_text(&mut errors, Field::Description, &"很".repeat(501), 500);
        let codes: Vec<_> = errors.0.iter().map(|e| (e.field, e.code)).collect();
        assert_eq!(
            codes,
            [
                (Field::Title, FieldCode::Length),
                (Field::Unit, FieldCode::Required),
                (Field::Alias, FieldCode::ControlCharacters),
                (Field::Description, FieldCode::Length),
            ]
        );
    }

    #[test]
    fn quantities_and_dates() {
        let mut errors = ValidationErrors::default();
        assert_eq!(quantity(&mut errors, 3, false), 3);
        assert!(errors.is_empty());
        quantity(&mut errors, 0, false);
        quantity(&mut errors, 2, true);
        quantity(&mut errors, 10_001, false);
        assert_eq!(errors.0.len(), 3);
        let today = NaiveDate::from_ymd_opt(2026, 7, 1).unwrap();
        let mut errors = ValidationErrors::default();
        needed_by(&mut errors, today, today);
        assert!(errors.is_empty());
        needed_by(
            &mut errors,
            NaiveDate::from_ymd_opt(2026, 6, 30).unwrap(),
            today,
        );
        needed_by(
            &mut errors,
            NaiveDate::from_ymd_opt(2027, 7, 3).unwrap(),
            today,
        );
        assert_eq!(errors.0.len(), 2);
    }

    #[test]
    fn household_phones_may_be_landlines() {
        let mut errors = ValidationErrors::default();
        household_phone(&mut errors, "0513-8888 8888");
        household_phone(&mut errors, "139 6280 0101");
        assert!(errors.is_empty());
        household_phone(&mut errors, "call me");
        household_phone(&mut errors, "12");
        assert_eq!(errors.0.len(), 2);
    }
}
