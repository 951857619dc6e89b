//! Handling a request (办理): whoever holds it (property staff, a volunteer who took the call,
//! a worker) starts on it, adds notes and photos of the fix, and resolves it with a word for
//! the requester and, if they like, one for the public board (core checks it hides phones,
//! the unit and names; its field errors show here). The community's workers may note and
//! resolve too.

use leptos::prelude::*;
use microwish_core::command::{
    Command, RequestNote, RequestRef, RequestResolution, PUBLIC_SUMMARY_MAX_CHARS,
    REQUEST_NOTE_MAX_CHARS,
};
use microwish_core::rules::{next_request_status, RequestAction};
use microwish_core::{Field, PhotoStage, RequestStatus, RequestView, PHOTOS_PER_STAGE};

use super::photo_picker::{PhotoPicker, PickedPhotos};
use super::Step;
use crate::components::{FieldMessages, FieldWords, FormError};
use crate::i18n::{t, Texts};
use crate::sync::use_sync;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Note,
    Resolve,
}

/// `holds`: the viewer is the request's handler (only they start it and add photos of the fix).
#[component]
pub(super) fn Handling(request: Signal<RequestView>, holds: Signal<bool>) -> impl IntoView {
    let t = t();
    let w = &t.request_work;
    let id = request.with_untracked(|r| r.id);
    let step = Step::new();
    let (errors, message) = step.problem();
    let pending = step.pending();
    let open = RwSignal::new(None::<Open>);
    let note = RwSignal::new(String::new());
    let result = RwSignal::new(String::new());
    let summary = RwSignal::new(String::new());
    Effect::new(move |_| {
        if step.done() {
            open.set(None);
            note.set(String::new());
        }
    });
    let words: FieldWords = Texts::request_field_error;
    let status = move || request.with(|r| r.status);
    let may = move |action: RequestAction| next_request_status(status(), action).is_ok();
    let toggle = move |form: Open| {
        step.problem.set(None);
        open.update(|open| {
            *open = if *open == Some(form) {
                None
            } else {
                Some(form)
            }
        });
    };
    let start =
        move || {
            (holds.get() && may(RequestAction::Start)).then(|| view! {
        <button
            type="button"
            class="button handling__start"
            disabled=move || pending.get()
            on:click=move |_| step.run(Command::StartRequest(RequestRef { request_id: id }))
        >
            {w.start}
        </button>
    })
        };
    let resolve_button = move || {
        may(RequestAction::Resolve).then(|| {
            view! {
                <button
                    type="button"
                    class="button handling__resolve"
                    aria-expanded=move || (open.get() == Some(Open::Resolve)).to_string()
                    on:click=move |_| toggle(Open::Resolve)
                >
                    {w.resolve}
                </button>
            }
        })
    };
    let note_button = move || {
        (!status().is_final()).then(|| {
            view! {
                <button
                    type="button"
                    class="button button--quiet handling__note"
                    aria-expanded=move || (open.get() == Some(Open::Note)).to_string()
                    on:click=move |_| toggle(Open::Note)
                >
                    {w.note}
                </button>
            }
        })
    };
    let note_form = move || {
        view! {
            <div class="triage__form">
                <label class="field">
                    <span class="field__label">{w.note}</span>
                    <textarea
                        class="field__input"
                        name="note"
                        rows="2"
                        maxlength=REQUEST_NOTE_MAX_CHARS.to_string()
                        placeholder=w.note_placeholder
                        bind:value=note
                    ></textarea>
                </label>
                <FieldMessages field=Field::Text errors words />
                <button
                    type="button"
                    class="button button--wide handling__note-submit"
                    disabled=move || pending.get()
                    on:click=move |_| step.run(Command::NoteRequest(RequestNote { request_id: id, text: note.get_untracked() }))
                >
                    {w.note_submit}
                </button>
            </div>
        }
    };
    let resolve_form = move || {
        view! {
            <div class="triage__form">
                <label class="field">
                    <span class="field__label">{w.resolve_note}</span>
                    <textarea
                        class="field__input"
                        name="resolve_note"
                        rows="3"
                        maxlength=REQUEST_NOTE_MAX_CHARS.to_string()
                        placeholder=w.resolve_note_placeholder
                        bind:value=result
                    ></textarea>
                </label>
                <FieldMessages field=Field::Note errors words />
                <label class="field">
                    <span class="field__label">{w.public_summary}</span>
                    <textarea
                        class="field__input"
                        name="public_summary"
                        rows="2"
                        maxlength=PUBLIC_SUMMARY_MAX_CHARS.to_string()
                        placeholder=w.public_summary_placeholder
                        bind:value=summary
                    ></textarea>
                    <span class="field__hint">{w.public_summary_hint}</span>
                </label>
                <FieldMessages field=Field::PublicSummary errors words />
                <button
                    type="button"
                    class="button button--wide handling__resolve-submit"
                    disabled=move || pending.get()
                    on:click=move |_| step.run(Command::ResolveRequest(RequestResolution {
                        request_id: id,
                        note: result.get_untracked(),
                        public_summary: summary.get_untracked(),
                    }))
                >
                    {w.resolve_submit}
                </button>
            </div>
        }
    };
    view! {
        <section class="handling" aria-label=w.resolve>
            <div class="triage__buttons">
                {start}
                {resolve_button}
                {note_button}
            </div>
            {move || match open.get() {
                Some(Open::Note) => note_form().into_any(),
                Some(Open::Resolve) => resolve_form().into_any(),
                None => ().into_any(),
            }}
            <FormError message />
            {move || holds.get().then(|| view! { <AfterPhotos request /> })}
        </section>
    }
}

/// Photos of the fix, while the request is in the handler's hands: kept on the phone and
/// sent like the requester's (at once when online).
#[component]
fn AfterPhotos(request: Signal<RequestView>) -> impl IntoView {
    let t = t();
    let sync = use_sync();
    let id = request.with_untracked(|r| r.id);
    let photos = PickedPhotos::new();
    let room = move || {
        let sent = request.with(|r| {
            r.photos
                .iter()
                .filter(|p| p.stage == PhotoStage::After)
                .count()
        });
        PHOTOS_PER_STAGE.saturating_sub(sent)
    };
    let handling = move || {
        matches!(
            request.with(|r| r.status),
            RequestStatus::Dispatched | RequestStatus::InProgress | RequestStatus::Resolved
        )
    };
    // Each photo picked goes to the outbox at once.
    Effect::new(move |_| {
        let picked = photos.jpegs();
        photos.0.track();
        if picked.is_empty() {
            return;
        }
        photos.0.update(|all| all.clear());
        leptos::task::spawn_local(async move {
            for jpeg in picked {
                let _ = sync.queue_photo(id, jpeg).await;
            }
        });
    });
    move || {
        (handling() && room() > 0).then(|| {
            view! {
                <PhotoPicker photos label=t.request_work.after_photo most=room() />
            }
        })
    }
}
