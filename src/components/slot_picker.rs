use chrono::{DateTime, NaiveDate, Utc};
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

/// When a volunteer will come: the phone's own date and time pickers, read as China time.
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
    view! {
        <fieldset class="slot">
            <legend class="field__label">{t.claim.slot_title}</legend>
            <label class="field slot__date">
                <span class="field__label">{t.claim.slot_date}</span>
                <input
                    class="field__input"
                    type="date"
                    name="slot_date"
                    min=date_input_value(first_day)
                    max=last_day.map(date_input_value)
                    bind:value=draft.date
                />
            </label>
            <div class="slot__times">
                <label class="field">
                    <span class="field__label">{t.claim.slot_start}</span>
                    <input class="field__input" type="time" name="slot_start" bind:value=draft.start />
                </label>
                <span class="slot__dash" aria-hidden="true">"–"</span>
                <label class="field">
                    <span class="field__label">{t.claim.slot_end}</span>
                    <input class="field__input" type="time" name="slot_end" bind:value=draft.end />
                </label>
            </div>
            <FieldMessages field=Field::SlotStart errors />
            <FieldMessages field=Field::SlotEnd errors />
        </fieldset>
    }
}
