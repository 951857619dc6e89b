//! The requester's answer to a resolved request (回访): it is fixed — a rating of 1 to 5 stars
//! (radio buttons, each named for a screen reader) and a word — or it is not, with what is
//! still wrong, within the answer time (after it, the request closes by itself).

use leptos::prelude::*;
use microwish_core::clock::community_today;
use microwish_core::command::{
    Command, RequestRating, RequestReason, RATING_NOTE_MAX_CHARS, REQUEST_NOTE_MAX_CHARS,
};
use microwish_core::{Field, RequestView};

use super::Step;
use crate::china_time::now;
use crate::components::{FieldMessages, FieldWords, FormError};
use crate::i18n::{fill, t, Texts};
use crate::sync::use_sync;

#[component]
pub(super) fn Answer(request: Signal<RequestView>) -> impl IntoView {
    let t = t();
    let sync = use_sync();
    let id = request.with_untracked(|r| r.id);
    let stars = RwSignal::new(0_u8);
    let note = RwSignal::new(String::new());
    let reopening = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let step = Step::new();
    let (errors, message) = step.problem();
    let pending = step.pending();
    let until = move || {
        request
            .with(|r| r.resolved_at)
            .map(|at| sync.policy().requests.answer_until(at))
    };
    let may_reopen = move || until().is_none_or(|until| now() <= until);
    let rating_words: FieldWords = Texts::rating_note_error;
    let reason_words: FieldWords = Texts::request_field_error;
    let confirm = move |_| {
        let note = note.get_untracked();
        step.run(Command::ConfirmRequest(RequestRating {
            request_id: id,
            rating: i64::from(stars.get_untracked()),
            note: (!note.trim().is_empty()).then_some(note),
        }));
    };
    let reopen = move |_| {
        step.run(Command::ReopenRequest(RequestReason {
            request_id: id,
            reason: reason.get_untracked(),
        }));
    };
    let star_choices = (1..=5_u8)
        .map(|n| {
            let lit = move || stars.get() >= n;
            view! {
                <label class="star" class:star--on=lit>
                    <input
                        type="radio"
                        name="rating"
                        value=n.to_string()
                        aria-label=t.stars(n)
                        prop:checked=move || stars.get() == n
                        on:change=move |_| stars.set(n)
                    />
                    <span aria-hidden="true">"★"</span>
                </label>
            }
        })
        .collect_view();
    view! {
        <section class="request-answer" aria-labelledby="request-answer-title">
            <h2 class="section-title" id="request-answer-title">{t.request_answer.question}</h2>
            {move || until().map(|until| view! {
                <p class="form-note">
                    {fill(t.request_answer.answer_until, &[("date", t.date(community_today(until)))])}
                </p>
            })}
            <fieldset class="stars">
                <legend class="field__label">{t.request_answer.rating}</legend>
                <div class="stars__row">{star_choices}</div>
                <p class="stars__word" aria-hidden="true">
                    {move || (stars.get() > 0).then(|| t.stars(stars.get()))}
                </p>
            </fieldset>
            <FieldMessages field=Field::Rating errors words=rating_words />
            <label class="field">
                <span class="field__label">{t.request_answer.note}</span>
                <textarea
                    class="field__input"
                    name="rating_note"
                    rows="2"
                    maxlength=RATING_NOTE_MAX_CHARS.to_string()
                    placeholder=t.request_answer.note_placeholder
                    bind:value=note
                ></textarea>
            </label>
            <FieldMessages field=Field::Note errors words=rating_words />
            <button
                type="button"
                class="button button--wide request-answer__confirm"
                disabled=move || pending.get()
                on:click=confirm
            >
                {t.request_answer.confirm}
            </button>
            {move || (may_reopen() && !reopening.get()).then(|| view! {
                <button
                    type="button"
                    class="button button--quiet button--wide request-answer__reopen"
                    on:click=move |_| reopening.set(true)
                >
                    {t.request_answer.reopen}
                </button>
            })}
            {move || reopening.get().then(|| view! {
                <label class="field">
                    <span class="field__label">{t.request_answer.reopen_reason}</span>
                    <textarea
                        class="field__input"
                        name="reopen_reason"
                        rows="2"
                        maxlength=REQUEST_NOTE_MAX_CHARS.to_string()
                        placeholder=t.request_answer.reopen_placeholder
                        bind:value=reason
                    ></textarea>
                </label>
                <FieldMessages field=Field::Reason errors words=reason_words />
                <div class="form-actions">
                    <button type="button" class="button button--quiet" on:click=move |_| reopening.set(false)>
                        {t.request_work.cancel}
                    </button>
                    <button
                        type="button"
                        class="button request-answer__reopen-submit"
                        disabled=move || pending.get()
                        on:click=reopen
                    >
                        {t.request_answer.reopen_submit}
                    </button>
                </div>
            })}
            <FormError message />
        </section>
    }
}
