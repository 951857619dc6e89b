use std::ops::RangeInclusive;

use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;

use crate::i18n::t;

/// A date chosen from three lists (year, month, day) written in the app's language. A phone's
/// own date picker follows the phone's language and order ("11/29/2026" in the Chinese app
/// on an English phone); these read "2026年 11月 29日" or "2026 Nov 29" as the app does.
///
/// `value` holds `YYYY-MM-DD` once all three are chosen, else nothing (each list starts with
/// "—", so an optional date can be left out and a required one is asked for by the form's
/// rules). The days offered are the chosen month's.
#[component]
pub fn DatePicker(
    /// The form's name for the date; the lists are `<name>_year`, `_month` and `_day`.
    name: &'static str,
    label: &'static str,
    value: RwSignal<String>,
    /// The years offered.
    years: RangeInclusive<i32>,
    /// Said under the lists.
    #[prop(optional)]
    hint: Option<&'static str>,
) -> impl IntoView {
    let t = t();
    let parts = DateParts::new(&value.get_untracked());
    let (year, month, day) = (
        RwSignal::new(parts.year),
        RwSignal::new(parts.month),
        RwSignal::new(parts.day),
    );
    // Another hand on the value (a form cleared after sending, a draft loaded) shows here.
    Effect::new(move || {
        let now = DateParts::new(&value.get());
        let chosen = DateParts {
            year: year.get_untracked(),
            month: month.get_untracked(),
            day: day.get_untracked(),
        };
        if now.date().is_some() && now != chosen || now.date().is_none() && chosen.date().is_some()
        {
            year.set(now.year);
            month.set(now.month);
            day.set(now.day);
        }
    });
    let days_in_month = move || match (year.get(), month.get()) {
        (Some(year), Some(month)) => days_in(year, month),
        _ => 31,
    };
    let choose = move || {
        // A shorter month moves the day back to its last day, shown in the list.
        if let Some(chosen) = day.get_untracked() {
            let last = days_in_month();
            if chosen > last {
                day.set(Some(last));
            }
        }
        let chosen = DateParts {
            year: year.get_untracked(),
            month: month.get_untracked(),
            day: day.get_untracked(),
        };
        value.set(
            chosen
                .date()
                .map(|date| date.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
        );
    };
    let [year_label, month_label, day_label] = t.calendar.date_parts;
    // A date already held is always offered, whatever its year.
    let years = match parts.year {
        Some(held) => (*years.start()).min(held)..=(*years.end()).max(held),
        None => years,
    };
    let year_options = years
        .map(|option| {
            view! {
                <option value=option.to_string() prop:selected=move || year.get() == Some(option)>
                    {t.year_choice(option)}
                </option>
            }
        })
        .collect_view();
    let month_options = (1..=12u32)
        .map(|option| {
            view! {
                <option value=option.to_string() prop:selected=move || month.get() == Some(option)>
                    {t.month_choice(option)}
                </option>
            }
        })
        .collect_view();
    let day_options = move || {
        (1..=days_in_month())
            .map(|option| {
                view! {
                    <option value=option.to_string() prop:selected=move || day.get() == Some(option)>
                        {t.day_of_month_choice(option)}
                    </option>
                }
            })
            .collect_view()
    };
    view! {
        <fieldset class="field date-picker" data-name=name>
            <legend class="field__label">{label}</legend>
            <div class="date-picker__lists">
                {part_list(format!("{name}_year"), year_label, year_options, move |picked| {
                    year.set(picked.parse().ok());
                    choose();
                })}
                {part_list(format!("{name}_month"), month_label, month_options, move |picked| {
                    month.set(picked.parse().ok());
                    choose();
                })}
                {part_list(format!("{name}_day"), day_label, day_options, move |picked| {
                    day.set(picked.parse().ok());
                    choose();
                })}
            </div>
            {hint.map(|hint| view! { <span class="field__hint">{hint}</span> })}
        </fieldset>
    }
}

/// One of the three lists; nothing chosen, the browser shows its first option, "—".
fn part_list(
    name: String,
    label: &'static str,
    options: impl IntoView + 'static,
    picked: impl Fn(String) + 'static,
) -> impl IntoView {
    view! {
        <select
            class="field__input"
            name=name
            aria-label=label
            on:change=move |event| picked(event_target_value(&event))
        >
            <option value="">"—"</option>
            {options}
        </select>
    }
}

/// What each list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct DateParts {
    year: Option<i32>,
    month: Option<u32>,
    day: Option<u32>,
}

impl DateParts {
    fn new(value: &str) -> DateParts {
        match NaiveDate::parse_from_str(value.trim(), "%Y-%m-%d") {
            Ok(date) => DateParts {
                year: Some(date.year()),
                month: Some(date.month()),
                day: Some(date.day()),
            },
            Err(_) => DateParts {
                year: None,
                month: None,
                day: None,
            },
        }
    }

    fn date(&self) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(self.year?, self.month?, self.day?)
    }
}

/// The days of `month` in `year` (28 to 31).
fn days_in(year: i32, month: u32) -> u32 {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    next.and_then(|next| next.pred_opt())
        .map_or(31, |last| last.day())
}
