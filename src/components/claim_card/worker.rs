//! A worker's actions on a claim: confirm it (a house call with the minutes to credit) or
//! send it back with a reason; once confirmed, write down the household's thanks.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use microwish_core::command::{MINUTES_MAX, REASON_CHARS, THANKS_CHARS};
use microwish_core::{Field, FieldCode, WishKind};

use super::ask::{ask_first, Question};
use crate::i18n::{fill, t};

/// Confirm (a house call with the minutes to credit, the slot's length unless changed) after
/// a second tap, as it cannot be taken back; or reject with a reason typed in a small form.
#[component]
pub(super) fn WorkerActions(
    kind: WishKind,
    /// When a house call's slot begins: it is confirmed done only from then.
    starts: Option<DateTime<Utc>>,
    slot_minutes: Option<u32>,
    confirm: Callback<Option<u32>>,
    reject: Callback<String>,
    busy: Signal<bool>,
) -> impl IntoView {
    let t = t();
    let begun = super::visit_begun(starts);
    let rejecting = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let minutes = RwSignal::new(slot_minutes.map(|m| m.to_string()).unwrap_or_default());
    let minutes_error = RwSignal::new(false);
    let is_service = kind == WishKind::Service;
    let confirm_label = if is_service {
        t.worker.confirm_service
    } else {
        t.worker.confirm
    };
    // What a "yes" confirms (the minutes, for a house call), once asked.
    let asking = RwSignal::new(None::<Option<u32>>);
    let on_confirm = move |_| {
        if !is_service {
            return asking.set(Some(None));
        }
        match minutes.get_untracked().trim().parse::<u32>() {
            Ok(value) if (1..=MINUTES_MAX).contains(&value) => {
                minutes_error.set(false);
                asking.set(Some(Some(value)));
            }
            _ => minutes_error.set(true),
        }
    };
    let question = move |chosen: Option<u32>| {
        let text = match chosen {
            Some(minutes) => fill(
                t.worker.confirm_question_service,
                &[("n", minutes.to_string())],
            ),
            None => t.worker.confirm_question.to_owned(),
        };
        let question = Question {
            text,
            yes: t.worker.confirm_yes,
            name: "confirm",
            danger: false,
        };
        let yes = Callback::new(move |()| {
            asking.set(None);
            confirm.run(chosen);
        });
        ask_first(
            question,
            busy,
            None,
            yes,
            Callback::new(move |()| asking.set(None)),
        )
    };
    view! {
        {is_service.then(|| view! {
            <Show when=move || begun.get()>
            <label class="field claim-card__minutes">
                <span class="field__label">{t.worker.minutes}</span>
                <input class="field__input" name="minutes" type="number" inputmode="numeric" min="1"
                    max=MINUTES_MAX.to_string() bind:value=minutes />
                <span class="field__hint">{t.worker.minutes_hint}</span>
            </label>
            <Show when=move || minutes_error.get()>
                <p class="field__error" data-field="minutes">{t.field_error(Field::Minutes, FieldCode::OutOfRange)}</p>
            </Show>
            </Show>
        })}
        <div class="claim-card__actions">
            <Show
                when=move || rejecting.get()
                fallback=move || match asking.get() {
                    Some(chosen) => question(chosen),
                    None => view! {
                        <Show
                            when=move || begun.get()
                            fallback=move || view! {
                                <p class="claim-card__wait">{t.worker.confirm_after_visit}</p>
                            }
                        >
                            <button
                                type="button"
                                class="button claim-card__confirm"
                                disabled=move || busy.get()
                                on:click=on_confirm
                            >
                                {move || if busy.get() { t.claim.working } else { confirm_label }}
                            </button>
                        </Show>
                        <button
                            type="button"
                            class="button button--quiet claim-card__reject"
                            disabled=move || busy.get()
                            on:click=move |_| rejecting.set(true)
                        >
                            {t.worker.reject}
                        </button>
                    }
                    .into_any(),
                }
            >
                <form
                    class="claim-card__ask claim-card__reject-form"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        rejecting.set(false);
                        reject.run(reason.get_untracked().trim().to_owned());
                    }
                >
                    <label class="field">
                        <span class="field__label">{t.claim.reject_reason}</span>
                        <input
                            class="field__input"
                            name="reason"
                            required
                            maxlength=REASON_CHARS.end().to_string()
                            placeholder=t.worker.reject_placeholder
                            bind:value=reason
                        />
                    </label>
                    <button type="submit" class="button button--danger claim-card__reject-yes" disabled=move || busy.get()>
                        {t.worker.reject_submit}
                    </button>
                    <button
                        type="button"
                        class="button button--quiet claim-card__reject-no"
                        on:click=move |_| rejecting.set(false)
                    >
                        {t.worker.cancel}
                    </button>
                </form>
            </Show>
        </div>
    }
}

/// The household's thanks, written down by the worker after a confirmed claim (the claimer
/// reads it in 我的认领).
#[component]
pub(super) fn ThanksForm(thank: Callback<String>, busy: Signal<bool>) -> impl IntoView {
    let t = t();
    let text = RwSignal::new(String::new());
    let too_short = RwSignal::new(false);
    view! {
        <form
            class="claim-card__thanks-form"
            on:submit=move |ev| {
                ev.prevent_default();
                let written = text.get_untracked().trim().to_owned();
                if THANKS_CHARS.contains(&written.chars().count()) {
                    too_short.set(false);
                    thank.run(written);
                } else {
                    too_short.set(true);
                }
            }
        >
            <label class="field">
                <span class="field__label">{t.worker.record_thanks}</span>
                <input
                    class="field__input"
                    name="thanks"
                    maxlength=THANKS_CHARS.end().to_string()
                    placeholder=t.worker.thanks_placeholder
                    bind:value=text
                />
            </label>
            <Show when=move || too_short.get()>
                <p class="field__error" data-field="text">{t.field_error(Field::Text, FieldCode::Length)}</p>
            </Show>
            <button type="submit" class="button claim-card__thank" disabled=move || busy.get()>
                {t.worker.save_thanks}
            </button>
        </form>
    }
}
