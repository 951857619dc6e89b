use chrono::{DateTime, Duration, NaiveDate, Utc};
use leptos::prelude::*;
use microwish_core::{Field, FieldError};

use crate::china_time::{date_input_value, slot_from_inputs};
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
    let horizon = first_day + Duration::days(DAYS_AHEAD);
    let last_day = last_day
        .map_or(horizon, |last| last.min(horizon))
        .max(first_day);
    let chosen_day = draft.date.get_untracked();
    let days = first_day
        .iter_days()
        .take_while(|day| *day <= last_day)
        .map(|day| {
            let value = date_input_value(day);
            let selected = value == chosen_day;
            view! { <option value=value selected=selected>{t.day_choice(day, first_day)}</option> }
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
                    {times("slot_start", draft.start)}
                </label>
                <span class="slot__dash" aria-hidden="true">"–"</span>
                <label class="field">
                    <span class="field__label">{t.claim.slot_end}</span>
                    {times("slot_end", draft.end)}
                </label>
            </div>
            <FieldMessages field=Field::SlotStart errors />
            <FieldMessages field=Field::SlotEnd errors />
        </fieldset>
    }
}

/// A list of times on the half hour ("09:30", 24-hour as China writes them), `chosen`
/// selected.
fn times(name: &'static str, chosen: RwSignal<String>) -> impl IntoView {
    let current = chosen.get_untracked();
    let options = (FIRST_TIME..=LAST_TIME)
        .step_by(TIME_STEP)
        .map(|minutes| {
            let value = format!("{:02}:{:02}", minutes / 60, minutes % 60);
            let selected = value == current;
            let label = value.clone();
            view! { <option value=value selected=selected>{label}</option> }
        })
        .collect_view();
    view! {
        <select
            class="field__input"
            name=name
            on:change=move |event| chosen.set(event_target_value(&event))
        >
            {options}
        </select>
    }
}
