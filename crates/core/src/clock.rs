//! The community's one clock. Xingyi keeps China Standard Time (UTC+8, no daylight saving)
//! whatever a phone's or a server's own time zone: "today", a wish "needed by 12 March",
//! a house call "at 10:00" all mean China time. Times travel as UTC; the conversions are here,
//! and every part of the app (due labels, slot forms, the hold timer, the demo seed) uses them.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};

const OFFSET_HOURS: i64 = 8;

/// The wall-clock time in China at `at`.
pub fn to_china(at: DateTime<Utc>) -> NaiveDateTime {
    (at + Duration::hours(OFFSET_HOURS)).naive_utc()
}

/// The instant at which China's clocks show `date` `time`.
pub fn from_china(date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    date.and_time(time).and_utc() - Duration::hours(OFFSET_HOURS)
}

/// The community's day at `now`: what "today" means for every rule and label.
pub fn community_today(now: DateTime<Utc>) -> NaiveDate {
    to_china(now).date()
}

/// The end of `date` in China: a wish needed "by 12 March" may be served until then.
pub fn community_day_end(date: NaiveDate) -> DateTime<Utc> {
    let next = date.succ_opt().unwrap_or(date);
    from_china(next, NaiveTime::MIN)
}

/// Whole days from `today` until `date`; negative once it has passed.
pub fn days_until(date: NaiveDate, today: NaiveDate) -> i64 {
    (date - today).num_days()
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn day(month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, month, day).unwrap()
    }

    #[test]
    fn the_community_day_turns_at_midnight_china_time() {
        // 23:30 UTC on 30 June is 07:30 on 1 July in Nantong.
        let late = Utc.with_ymd_and_hms(2026, 6, 30, 23, 30, 0).unwrap();
        assert_eq!(community_today(late), day(7, 1));
        let early = Utc.with_ymd_and_hms(2026, 6, 30, 15, 59, 0).unwrap();
        assert_eq!(community_today(early), day(6, 30));
        assert_eq!(
            community_day_end(day(7, 3)),
            Utc.with_ymd_and_hms(2026, 7, 3, 16, 0, 0).unwrap()
        );
    }

    #[test]
    fn china_time_round_trips() {
        let ten = NaiveTime::from_hms_opt(10, 0, 0).unwrap();
        let at = from_china(day(7, 3), ten);
        assert_eq!(at, Utc.with_ymd_and_hms(2026, 7, 3, 2, 0, 0).unwrap());
        assert_eq!(to_china(at), day(7, 3).and_time(ten));
    }

    #[test]
    fn slot_forms_suggest_tomorrow_unless_the_wish_is_due_sooner() {
        let today = day(7, 1);
        assert_eq!(default_slot_date(today, None), day(7, 2));
        assert_eq!(default_slot_date(today, Some(day(7, 9))), day(7, 2));
        assert_eq!(default_slot_date(today, Some(day(7, 1))), today);
        assert_eq!(default_slot_date(today, Some(day(6, 20))), today);
        assert_eq!(days_until(day(7, 4), today), 3);
        assert_eq!(days_until(day(6, 30), today), -1);
    }
}
