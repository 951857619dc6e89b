//! Dates, times of day and durations as each language writes them (China time, no locale
//! data: the month and weekday names are the table's).

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Timelike, Utc};
use microwish_core::clock::{days_until, to_china};
use microwish_core::WishStatus;

use super::{fill, Texts};

pub struct CalendarTexts {
    /// January first: "1月" / "Jan".
    pub month_names: [&'static str; 12],
    /// Monday first: "周一" / "Mon".
    pub weekday_names: [&'static str; 7],
    /// `{month}` a month's name, `{day}` the day of the month: "7月4日" / "Jul 4".
    pub date: &'static str,
    /// `{month}` a month's name, `{year}`: "2026年7月" / "Jul 2026".
    pub month_of_year: &'static str,
    /// A year in a date's lists: "2026年" / "2026".
    pub year: &'static str,
    /// A day in a date's lists: "29日" / "29".
    pub day_of_month: &'static str,
    /// What a date's three lists (year, month, day) are called, for screen readers.
    pub date_parts: [&'static str; 3],
    /// A day to choose for a house call, `{date}` and `{weekday}`; today or tomorrow follow
    /// in brackets.
    pub day_choice: &'static str,
    pub today: &'static str,
    pub tomorrow: &'static str,
    /// `{date}`: "8月31日前" / "by Aug 31".
    pub by_date: &'static str,
    /// `{hours}`, a number: "12.5 小时".
    pub hours: &'static str,
    /// `{n}`, a whole number: "40 分钟".
    pub minutes: &'static str,
    /// `{days}`, a number: "3.5 天".
    pub days: &'static str,
}

impl Texts {
    fn month_name(&self, month: u32) -> &'static str {
        self.calendar
            .month_names
            .get(month.wrapping_sub(1) as usize)
            .copied()
            .unwrap_or("")
    }

    /// "8月31日前", the way dates are written on notices.
    pub fn date(&self, date: NaiveDate) -> String {
        fill(
            self.calendar.date,
            &[
                ("month", self.month_name(date.month()).to_owned()),
                ("day", date.day().to_string()),
            ],
        )
    }

    /// "2026年7月" from "2026-07"; short: "7月".
    pub fn month(&self, month: &str, short: bool) -> String {
        match month.split_once('-') {
            Some((year, month)) => {
                let name = self.month_name(month.parse().unwrap_or(0)).to_owned();
                if short {
                    name
                } else {
                    fill(
                        self.calendar.month_of_year,
                        &[("month", name), ("year", year.to_owned())],
                    )
                }
            }
            None => month.to_owned(),
        }
    }

    /// A year in a date's lists: "2026年" / "2026".
    pub fn year_choice(&self, year: i32) -> String {
        fill(self.calendar.year, &[("year", year.to_string())])
    }

    /// A month in a date's lists: "11月" / "Nov".
    pub fn month_choice(&self, month: u32) -> String {
        self.month_name(month).to_owned()
    }

    /// A day in a date's lists: "29日" / "29".
    pub fn day_of_month_choice(&self, day: u32) -> String {
        fill(self.calendar.day_of_month, &[("day", day.to_string())])
    }

    /// A day to choose for a house call: "11月29日 周日(明天)" / "Sun, Nov 29 (tomorrow)".
    pub fn day_choice(&self, date: NaiveDate, today: NaiveDate) -> String {
        let weekday = self.calendar.weekday_names[date.weekday().num_days_from_monday() as usize];
        let when = match (date - today).num_days() {
            0 => self.in_brackets(self.calendar.today),
            1 => self.in_brackets(self.calendar.tomorrow),
            _ => String::new(),
        };
        let day = fill(
            self.calendar.day_choice,
            &[("date", self.date(date)), ("weekday", weekday.to_owned())],
        );
        day + &when
    }

    /// "8月31日前" / "by Aug 31".
    pub fn by_date(&self, date: NaiveDate) -> String {
        fill(self.calendar.by_date, &[("date", self.date(date))])
    }

    /// A wish's date with how long is left, while it still waits ("8月31日前 · 3天后截止");
    /// a wish that is done or ended no longer counts down ("8月31日前").
    pub fn deadline(&self, needed_by: NaiveDate, today: NaiveDate, status: WishStatus) -> String {
        let by = self.by_date(needed_by);
        if status.is_done() {
            by
        } else {
            format!("{by} · {}", self.due(needed_by, today))
        }
    }

    /// How urgent a wish is: "3天后截止", "今天截止" or "已过期望日期".
    pub fn due(&self, needed_by: NaiveDate, today: NaiveDate) -> String {
        match days_until(needed_by, today) {
            days if days < 0 => self.overdue.to_owned(),
            0 => self.due_today.to_owned(),
            days => fill(self.days_left, &[("n", days.to_string())]),
        }
    }

    /// "7月3日 10:00", China time.
    pub fn date_time(&self, at: DateTime<Utc>) -> String {
        let local = to_china(at);
        format!("{} {}", self.date(local.date()), clock(local))
    }

    /// "7月3日 10:00–11:00" (or with both dates when the slot crosses midnight), China time.
    pub fn slot(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> String {
        let (from, to) = (to_china(start), to_china(end));
        if from.date() == to.date() {
            format!("{} {}–{}", self.date(from.date()), clock(from), clock(to))
        } else {
            format!("{} – {}", self.date_time(start), self.date_time(end))
        }
    }

    /// Time served, written one way everywhere: "40 分钟" under an hour, else "1.5 小时".
    pub fn duration(&self, minutes: u32) -> String {
        if minutes < 60 {
            return fill(self.calendar.minutes, &[("n", minutes.to_string())]);
        }
        let hours = if minutes.is_multiple_of(60) {
            (minutes / 60).to_string()
        } else {
            format!("{:.1}", f64::from(minutes) / 60.0)
        };
        fill(self.calendar.hours, &[("hours", hours)])
    }

    /// "3.5 天".
    pub fn days(&self, days: f64) -> String {
        fill(self.calendar.days, &[("days", format!("{days:.1}"))])
    }
}

fn clock(at: NaiveDateTime) -> String {
    format!("{:02}:{:02}", at.hour(), at.minute())
}
