//! The browser's clock and the house-call form's inputs. What the times mean (China time,
//! the community's day) is core's [`microwish_core::clock`]; this reads the browser's clock
//! and the values of date and time inputs.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use microwish_core::clock::{community_today, from_china};
use microwish_core::{Field, FieldCode, FieldError};

/// The browser's clock.
pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// The community's day now.
pub fn today() -> NaiveDate {
    community_today(now())
}

/// A date input's value (`YYYY-MM-DD`).
pub fn date_input_value(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// A house-call slot from a form's date and time inputs (`YYYY-MM-DD`, `HH:MM`), read as
/// China time, in UTC for the API. Empty or malformed inputs are reported with the codes
/// the server uses (`slot_start`/`slot_end` `required`); every other rule (order, length, in
/// the future, by the wish's date) is core's [`microwish_core::command::ClaimWish::validate`].
pub fn slot_from_inputs(
    date: &str,
    start: &str,
    end: &str,
) -> Result<(DateTime<Utc>, DateTime<Utc>), Vec<FieldError>> {
    let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").ok();
    let start = parse_time(start);
    let end = parse_time(end);
    match (date, start, end) {
        (Some(date), Some(start), Some(end)) => {
            Ok((from_china(date, start), from_china(date, end)))
        }
        (date, start, end) => {
            let mut errors = Vec::new();
            if date.is_none() || start.is_none() {
                errors.push(required(Field::SlotStart));
            }
            if end.is_none() {
                errors.push(required(Field::SlotEnd));
            }
            Err(errors)
        }
    }
}

/// A time input's value: `HH:MM`, or `HH:MM:SS` when the browser adds seconds.
fn parse_time(value: &str) -> Option<NaiveTime> {
    let value = value.trim();
    NaiveTime::parse_from_str(value, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(value, "%H:%M:%S"))
        .ok()
}

fn required(field: Field) -> FieldError {
    FieldError {
        field,
        code: FieldCode::Required,
        message: "required".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn house_call_inputs_are_read_in_china_time() {
        let utc = |d, h, m| Utc.with_ymd_and_hms(2026, 7, d, h, m, 0).unwrap();
        // 10:00–11:30 in Nantong is 02:00–03:30 UTC, whatever the phone's time zone.
        assert_eq!(
            slot_from_inputs("2026-07-03", "10:00", "11:30"),
            Ok((utc(3, 2, 0), utc(3, 3, 30)))
        );
        // Early in the morning in China is still the day before in UTC.
        assert_eq!(
            slot_from_inputs("2026-07-03", "07:00", "08:00:00"),
            Ok((utc(2, 23, 0), utc(3, 0, 0)))
        );
        let fields = |result: Result<_, Vec<FieldError>>| {
            result
                .unwrap_err()
                .into_iter()
                .map(|error| (error.field, error.code))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            fields(slot_from_inputs("", "10:00", "")),
            [
                (Field::SlotStart, FieldCode::Required),
                (Field::SlotEnd, FieldCode::Required)
            ]
        );
        assert_eq!(
            fields(slot_from_inputs("2026-07-03", "", "11:00")),
            [(Field::SlotStart, FieldCode::Required)]
        );
    }
}
