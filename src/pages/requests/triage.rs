//! What the community's workers do with a request (受理, 派单, 吹哨): accept it, dispatch it to
//! property staff or to themself, call the grid's party-member volunteers, turn it into a
//! wish for a household, merge a duplicate, or decline it with a reason. Only the steps core's
//! state machine allows from where the request stands are offered.

use leptos::prelude::*;
use microwish_core::command::{
    Command, RequestDispatch, RequestMerge, RequestReason, RequestRef, REASON_CHARS,
};
use microwish_core::rules::{next_request_status, RequestAction};
use microwish_core::{
    Field, Handler, HandlerKind, HouseholdId, Me, RequestId, RequestStatus, RequestView, Role,
    UserId,
};

use super::{building_name, Step};
use crate::components::{FieldMessages, FieldWords, FormError};
use crate::i18n::{t, Texts};
use crate::state::use_data;

/// The form open under the buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    Dispatch,
    Decline,
    Merge,
    Convert,
}

#[component]
pub(super) fn Triage(request: Signal<RequestView>, me: Me) -> impl IntoView {
    let t = t();
    let w = &t.request_work;
    let id = request.with_untracked(|r| r.id);
    let step = Step::new();
    let (errors, message) = step.problem();
    let pending = step.pending();
    let open = RwSignal::new(None::<Open>);
    // A step that went through closes its form.
    Effect::new(move |_| {
        if step.done() {
            open.set(None);
        }
    });
    // A request already handled through a wish is not turned into another.
    let allowed = move |action: RequestAction| {
        request.with(|r| {
            next_request_status(r.status, action).is_ok()
                && !(action == RequestAction::Convert && r.wish_id.is_some())
        })
    };
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
    let button = move |action: RequestAction,
                       label: &'static str,
                       class: &'static str,
                       form: Option<Open>| {
        move || {
            allowed(action).then(|| view! {
            <button
                type="button"
                class=format!("button triage__{class}")
                class:button--quiet=form.is_some()
                aria-expanded=form.map(|form| move || (open.get() == Some(form)).to_string())
                disabled=move || pending.get()
                on:click=move |_| match form {
                    Some(form) => toggle(form),
                    None => step.run(Command::AcceptRequest(RequestRef { request_id: id })),
                }
            >
                {label}
            </button>
        })
        }
    };
    let call = move || {
        allowed(RequestAction::Call).then(|| view! {
        <button
            type="button"
            class="button button--quiet triage__call"
            disabled=move || pending.get()
            on:click=move |_| step.run(Command::CallVolunteers(RequestRef { request_id: id }))
        >
            {w.call_volunteers}
        </button>
    })
    };
    let me_id = me.id;
    view! {
        <section class="triage" aria-label=w.inbox_title>
            <div class="triage__buttons">
                {button(RequestAction::Accept, w.accept, "accept", None)}
                {button(RequestAction::Dispatch, w.dispatch, "dispatch", Some(Open::Dispatch))}
                {call}
                {button(RequestAction::Convert, w.convert, "convert", Some(Open::Convert))}
                {button(RequestAction::Merge, w.merge, "merge", Some(Open::Merge))}
                {button(RequestAction::Decline, w.decline, "decline", Some(Open::Decline))}
            </div>
            {move || match open.get() {
                Some(Open::Dispatch) => view! { <DispatchForm id me=me_id step /> }.into_any(),
                Some(Open::Decline) => view! { <DeclineForm id step /> }.into_any(),
                Some(Open::Merge) => view! { <MergeForm request step /> }.into_any(),
                Some(Open::Convert) => view! { <ConvertForm id /> }.into_any(),
                None => ().into_any(),
            }}
            {move || (request.with(|r| r.status == RequestStatus::Calling)).then(|| view! {
                <p class="form-note">{w.call_hint}</p>
            })}
            <FieldMessages field=Field::Handler errors words=request_words() />
            <FieldMessages field=Field::Into errors words=request_words() />
            <FormError message />
        </section>
    }
}

fn request_words() -> FieldWords {
    Texts::request_field_error
}

/// Submit and cancel under an open form.
fn form_buttons(
    submit: &'static str,
    class: &'static str,
    pending: Signal<bool>,
    on_submit: impl Fn() + 'static,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class=format!("button button--wide {class}")
            disabled=move || pending.get()
            on:click=move |_| on_submit()
        >
            {submit}
        </button>
    }
}

#[component]
fn DispatchForm(id: RequestId, me: UserId, step: Step) -> impl IntoView {
    let t = t();
    let data = use_data();
    let chosen = RwSignal::new(Some(Handler {
        kind: HandlerKind::Worker,
        user_id: me,
    }));
    let property = Memo::new(move |_| {
        let mut staff = data.staff.values(|staff| staff.role == Role::Property);
        staff.sort_by(|a, b| a.display_name.cmp(&b.display_name));
        staff
    });
    let choice = move |handler: Handler, label: String| {
        view! {
            <label class="check triage__choice">
                <input
                    type="radio"
                    name="handler"
                    value=handler.user_id.to_string()
                    prop:checked=move || chosen.get() == Some(handler)
                    on:change=move |_| chosen.set(Some(handler))
                />
                <span>{label}</span>
            </label>
        }
    };
    view! {
        <fieldset class="triage__form">
            <legend class="field__label">{t.request_work.dispatch_to}</legend>
            {choice(Handler { kind: HandlerKind::Worker, user_id: me }, t.request_work.to_myself.to_owned())}
            {move || property.get().into_iter().map(|staff| {
                let label = format!("{}{}", staff.display_name, t.in_brackets(t.handler_kind(HandlerKind::Property)));
                choice(Handler { kind: HandlerKind::Property, user_id: staff.id }, label)
            }).collect_view()}
            {move || property.with(Vec::is_empty).then(|| view! { <p class="field__hint">{t.request_work.no_staff}</p> })}
            {form_buttons(t.request_work.dispatch_submit, "triage__dispatch-submit", step.pending(), move || {
                if let Some(handler) = chosen.get_untracked() {
                    step.run(Command::DispatchRequest(RequestDispatch { request_id: id, handler }));
                }
            })}
        </fieldset>
    }
}

#[component]
fn DeclineForm(id: RequestId, step: Step) -> impl IntoView {
    let t = t();
    let reason = RwSignal::new(String::new());
    let (errors, _) = step.problem();
    view! {
        <div class="triage__form">
            <label class="field">
                <span class="field__label">{t.request_work.decline_reason}</span>
                <textarea
                    class="field__input"
                    name="decline_reason"
                    rows="2"
                    maxlength=REASON_CHARS.end().to_string()
                    placeholder=t.request_work.decline_placeholder
                    bind:value=reason
                ></textarea>
            </label>
            <FieldMessages field=Field::Reason errors />
            {form_buttons(t.request_work.decline_submit, "button--danger triage__decline-submit", step.pending(), move || {
                step.run(Command::DeclineRequest(RequestReason { request_id: id, reason: reason.get_untracked() }));
            })}
        </div>
    }
}

/// A duplicate goes into another request of the community still followed; those of the
/// same building first.
#[component]
fn MergeForm(request: Signal<RequestView>, step: Step) -> impl IntoView {
    let t = t();
    let data = use_data();
    let this = request.get_untracked();
    let chosen = RwSignal::new(None::<RequestId>);
    let others = Memo::new(move |_| {
        let mut others = data.requests.values(|other| {
            other.id != this.id
                && other.community == this.community
                && !matches!(
                    other.status,
                    RequestStatus::Declined | RequestStatus::Merged
                )
        });
        others.sort_by_key(|other| {
            (
                other.building_id != this.building_id,
                std::cmp::Reverse(other.created_at),
            )
        });
        others
    });
    view! {
        <fieldset class="triage__form">
            <legend class="field__label">{t.request_work.merge_into}</legend>
            {move || {
                let others = others.get();
                if others.is_empty() {
                    return view! { <p class="field__hint">{t.request_work.merge_none}</p> }.into_any();
                }
                others.into_iter().map(|other| {
                    let label = format!(
                        "{} · {} · {} · {}",
                        t.request_category(other.category),
                        building_name(data, other.building_id),
                        t.date(microwish_core::clock::community_today(other.created_at)),
                        other.description.chars().take(24).collect::<String>(),
                    );
                    view! {
                        <label class="check triage__choice">
                            <input
                                type="radio"
                                name="into"
                                value=other.id.to_string()
                                prop:checked=move || chosen.get() == Some(other.id)
                                on:change=move |_| chosen.set(Some(other.id))
                            />
                            <span>{label}</span>
                        </label>
                    }
                }).collect_view().into_any()
            }}
            {form_buttons(t.request_work.merge_submit, "triage__merge-submit", step.pending(), move || {
                let into = chosen.get_untracked().unwrap_or(this.id);
                step.run(Command::MergeRequest(RequestMerge { request_id: this.id, into }));
            })}
        </fieldset>
    }
}

/// Choose the household; the wish form then posts the wish and ties the request to it.
#[component]
fn ConvertForm(id: RequestId) -> impl IntoView {
    let t = t();
    let data = use_data();
    let chosen = RwSignal::new(String::new());
    let households = Memo::new(move |_| {
        let mut households = data.households.values(|_| true);
        households.sort_by(|a, b| a.name.cmp(&b.name));
        households
    });
    let href = move || {
        chosen
            .get()
            .parse::<HouseholdId>()
            .ok()
            .map(|household| format!("/worker/wishes/new?household={household}&request={id}"))
    };
    view! {
        <div class="triage__form">
            <label class="field">
                <span class="field__label">{t.request_work.convert_household}</span>
                <select class="field__input" name="household" on:change=move |ev| chosen.set(event_target_value(&ev))>
                    <option value="">{t.request_work.choose_household}</option>
                    {move || households.get().into_iter().map(|household| view! {
                        <option value=household.id.to_string()>{format!("{} · {}", household.name, household.address)}</option>
                    }).collect_view()}
                </select>
                <span class="field__hint">{t.request_work.convert_hint}</span>
            </label>
            {move || href().map(|href| view! {
                <a class="button button--wide triage__convert-submit" href=href>{t.request_work.convert_submit}</a>
            })}
        </div>
    }
}
