use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use leptos::prelude::*;
use microwish_core::clock::from_china;
use microwish_core::command::slot_start_allowed;
use microwish_core::{Field, FieldError};

use crate::china_time::{date_input_value, now, slot_from_inputs};
use crate::components::FieldMessages;
use crate::i18n::t;

/// The times a house-call form suggests, China time.
const DEFAULT_START: &str = "09:00";
const DEFAULT_END: &str = "10:00";

/// A house-call slot as the inputs hold it: a date and two times, China time.
#[derive(Clone, Copy)]
pub struct SlotDraft {
    pub date: RwSignal<String>,
    pub start: RwSignal<String>,
    pub end: RwSignal<String>,
}

impl SlotDraft {
    pub fn new(date: NaiveDate) -> Self {
        SlotDraft {
            date: RwSignal::new(date_input_value(date)),
            start: RwSignal::new(DEFAULT_START.to_owned()),
            end: RwSignal::new(DEFAULT_END.to_owned()),
        }
    }

    /// The slot in UTC for the API, or which inputs are missing.
    pub fn to_utc(&self) -> Result<(DateTime<Utc>, DateTime<Utc>), Vec<FieldError>> {
        slot_from_inputs(
            &self.date.get_untracked(),
            &self.start.get_untracked(),
            &self.end.get_untracked(),
        )
    }
}

/// The days a volunteer may pick at most, from today: house calls are booked for the weeks
/// ahead, and a long list of days is hard to scroll on a phone.
const DAYS_AHEAD: i64 = 90;

/// Times start and end on the half hour, from early morning to evening.
const FIRST_TIME: u32 = 6 * 60;
const LAST_TIME: u32 = 22 * 60;
const TIME_STEP: usize = 30;

/// When a volunteer will come: a day and two times, China time, chosen from lists written in
/// the app's language (a phone's own date and time pickers follow the phone's language, and
/// show "11/29/2026, 09:00 AM" in the Chinese app on an English phone).
#[component]
pub fn SlotPicker(
    draft: SlotDraft,
    /// The first day that may be chosen (today).
    first_day: NaiveDate,
    /// The last day (the wish's needed-by date), if any.
    last_day: Option<NaiveDate>,
    #[prop(into)] errors: Signal<Vec<FieldError>>,
) -> impl IntoView {
    let t = t();
    let now = now();
    // Core counts the horizon from today, whatever day the list starts on.
    let horizon = first_day + Duration::days(DAYS_AHEAD);
    // Late in the evening no time is left today: the list starts tomorrow (still called
    // 明天: the words count from today).
    let today = first_day;
    let first_day = if earliest_start(first_day, now).is_some() {
        first_day
    } else {
        first_day + Duration::days(1)
    };
    // Only times a visit may still start at (core's rule): a past time is never offered.
    let earliest = Memo::new(move |_| {
        let day = NaiveDate::parse_from_str(&draft.date.get(), "%Y-%m-%d").unwrap_or(first_day);
        earliest_start(day, now).unwrap_or(LAST_TIME)
    });
    Effect::new(move |_| {
        let earliest = earliest.get();
        let pick = |signal: RwSignal<String>, at: u32| {
            if minutes_of(&signal.get_untracked()).is_none_or(|chosen| chosen < at) {
                signal.set(time_value(at));
            }
        };
        pick(draft.start, earliest);
        pick(draft.end, (earliest + 60).min(LAST_TIME));
    });
    let last_day = last_day
        .map_or(horizon, |last| last.min(horizon))
        .max(first_day);
    if draft.date.get_untracked() < date_input_value(first_day) {
        draft.date.set(date_input_value(first_day));
    }
    let chosen_day = draft.date.get_untracked();
    let days = first_day
        .iter_days()
        .take_while(|day| *day <= last_day)
        .map(|day| {
            let value = date_input_value(day);
            let selected = value == chosen_day;
            view! { <option value=value selected=selected>{t.day_choice(day, today)}</option> }
        })
        .collect_view();
    view! {
        <fieldset class="slot">
            <legend class="field__label">{t.claim.slot_title}</legend>
            <label class="field slot__date">
                <span class="field__label">{t.claim.slot_date}</span>
                <select
                    class="field__input"
                    name="slot_date"
                    on:change=move |event| draft.date.set(event_target_value(&event))
                >
                    {days}
                </select>
            </label>
            <div class="slot__times">
                <label class="field">
                    <span class="field__label">{t.claim.slot_start}</span>
                    {times("slot_start", draft.start, earliest)}
                </label>
                <span class="slot__dash" aria-hidden="true">"–"</span>
                <label class="field">
                    <span class="field__label">{t.claim.slot_end}</span>
                    {times("slot_end", draft.end, earliest)}
                </label>
            </div>
            <FieldMessages field=Field::SlotStart errors />
            <FieldMessages field=Field::SlotEnd errors />
        </fieldset>
    }
}

/// The first time on the half hour that a visit on `day` may still start at, if any.
fn earliest_start(day: NaiveDate, now: DateTime<Utc>) -> Option<u32> {
    (FIRST_TIME..=LAST_TIME).step_by(TIME_STEP).find(|minutes| {
        NaiveTime::from_hms_opt(minutes / 60, minutes % 60, 0)
            .is_some_and(|time| slot_start_allowed(from_china(day, time), now))
    })
}

fn time_value(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

fn minutes_of(value: &str) -> Option<u32> {
    let (hours, minutes) = value.split_once(':')?;
    Some(hours.parse::<u32>().ok()? * 60 + minutes.parse::<u32>().ok()?)
}

/// A list of times on the half hour ("09:30", 24-hour as China writes them) from `earliest`
/// on (a visit cannot start in the past), `chosen` selected.
fn times(name: &'static str, chosen: RwSignal<String>, earliest: Memo<u32>) -> impl IntoView {
    let options = move || {
        let current = chosen.get_untracked();
        (earliest.get()..=LAST_TIME)
            .step_by(TIME_STEP)
            .map(|minutes| {
                let value = time_value(minutes);
                let selected = value == current;
                let label = value.clone();
                view! { <option value=value selected=selected>{label}</option> }
            })
            .collect_view()
    };
    view! {
        <select
            class="field__input"
            name=name
            prop:value=move || chosen.get()
            on:change=move |event| chosen.set(event_target_value(&event))
        >
            {options}
        </select>
    }
}
