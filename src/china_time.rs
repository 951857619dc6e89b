//! The community keeps China Standard Time (UTC+8, no daylight saving) whatever the
//! phone's own time zone: a house call "at 10:00 on 3 July" means 10:00 in Nantong.
//! The API speaks UTC; these functions convert at the edges of the UI.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use microwish_core::FieldError;

const OFFSET_HOURS: i64 = 8;

/// The browser's clock.
pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// The wall-clock time in China at `at`.
pub fn to_china(at: DateTime<Utc>) -> NaiveDateTime {
    (at + Duration::hours(OFFSET_HOURS)).naive_utc()
}

/// The instant at which China's clocks show `date` `time`.
pub fn from_china(date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    date.and_time(time).and_utc() - Duration::hours(OFFSET_HOURS)
}

/// The day it is in China at `now`.
pub fn china_today(now: DateTime<Utc>) -> NaiveDate {
    to_china(now).date()
}

/// The day a house-call form suggests: tomorrow, or the wish's date if that comes sooner
/// (but never a day already gone).
pub fn default_slot_date(today: NaiveDate, needed_by: Option<NaiveDate>) -> NaiveDate {
    let tomorrow = today.succ_opt().unwrap_or(today);
    match needed_by {
        Some(date) if date < tomorrow => date.max(today),
        _ => tomorrow,
    }
}

/// A date input's value (`YYYY-MM-DD`).
pub fn date_input_value(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}

/// A house-call slot from a form's date and time inputs (`YYYY-MM-DD`, `HH:MM`), read as
/// China time, in UTC for the API. Empty or malformed inputs are reported with the codes
/// the server uses (`slot_start`/`slot_end` `required`); every other rule (order, length,
/// in the future, by the wish's date) is core's [`microwish_core::command::ClaimWish::validate`].
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
                errors.push(required("slot_start"));
            }
            if end.is_none() {
                errors.push(required("slot_end"));
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

fn required(field: &str) -> FieldError {
    FieldError {
        field: field.to_owned(),
        code: "required".to_owned(),
        message: "required".to_owned(),
    }
}
