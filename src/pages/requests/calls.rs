//! `/calls` (支部吹哨 → 党员报到): the open calls of a party-member volunteer's community —
//! what and which building only — with "我来" to take one (the first holds it; anyone after
//! is told it was taken), and the requests they hold (with the requester's phone when
//! allowed, on the request's page).

use leptos::prelude::*;
use microwish_core::command::{Command, RequestRef};
use microwish_core::{CallView, HandlerKind, Me, RequestId, RequestStatus, Role};

use super::card::RequestCard;
use super::{SignedIn, Step};
use crate::components::FormError;
use crate::i18n::t;
use crate::state::use_data;

#[component]
pub fn CallsPage() -> impl IntoView {
    let t = t();
    view! {
        <header class="page-head">
            <h1 class="page-head__title">{t.request_work.calls_title}</h1>
        </header>
        <SignedIn children=|me: Me| view! { <Calls me /> } />
    }
}

#[component]
fn Calls(me: Me) -> impl IntoView {
    let t = t();
    let data = use_data();
    if me.role != Role::Volunteer || !me.party_member {
        return view! { <p class="page empty">{t.request_work.calls_party_only}</p> }.into_any();
    }
    let open = Memo::new(move |_| {
        let mut calls: Vec<CallView> = data
            .calls
            .values(|call| call.status == RequestStatus::Calling);
        calls.sort_by(|a, b| {
            b.urgency
                .cmp(&a.urgency)
                .then(a.created_at.cmp(&b.created_at))
        });
        calls.into_iter().map(|call| call.id).collect::<Vec<_>>()
    });
    let held = Memo::new(move |_| {
        let mut mine = data.requests.values(|r| {
            r.handler
                .is_some_and(|h| h.kind == HandlerKind::Volunteer && h.user_id == me.id)
        });
        mine.sort_by_key(|r| std::cmp::Reverse(r.updated_at));
        mine.into_iter().map(|r| r.id).collect::<Vec<_>>()
    });
    view! {
        <div class="page requests">
            <p class="page-head__intro">{t.request_work.calls_intro}</p>
            {move || {
                let ids = open.get();
                if ids.is_empty() {
                    view! { <p class="empty">{t.request_work.calls_empty}</p> }.into_any()
                } else {
                    view! {
                        <ul class="request-list">
                            {ids.into_iter().map(|id| view! { <li><CallCard id /></li> }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }
            }}
            <h2 class="section-title">{t.request_work.held_section}</h2>
            {move || {
                let ids = held.get();
                if ids.is_empty() {
                    view! { <p class="empty">{t.request_work.none_held}</p> }.into_any()
                } else {
                    view! {
                        <ul class="request-list">
                            {ids.into_iter().map(|id| view! { <li><RequestCard id /></li> }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }
            }}
        </div>
    }
    .into_any()
}

/// One open call: the category, the building and the description, and "我来".
#[component]
pub(super) fn CallCard(id: RequestId) -> impl IntoView {
    let t = t();
    let data = use_data();
    let step = Step::new();
    let (_, message) = step.problem();
    let pending = step.pending();
    move || {
        data.calls.get(&id).map(|call| {
            let taking = call.status == RequestStatus::Calling;
            view! {
                <article class="request-card call-card" data-status=call.status.as_str()>
                    <span class="request-card__head">
                        <span class="tag">{t.request_category(call.category)}</span>
                        {(call.urgency == microwish_core::Urgency::Urgent).then(|| view! {
                            <span class="tag tag--urgent">{t.requests.urgent_badge}</span>
                        })}
                        <span class="request-status">{t.request_status(call.status)}</span>
                    </span>
                    <span class="request-card__place">{call.building.clone()}</span>
                    <span class="request-card__text">{call.description.clone()}</span>
                    {taking.then(|| view! {
                        <button
                            type="button"
                            class="button button--wide call-card__take"
                            disabled=move || pending.get()
                            on:click=move |_| step.run(Command::TakeCall(RequestRef { request_id: id }))
                        >
                            {t.request_work.take}
                        </button>
                    })}
                    <FormError message />
                </article>
            }
        })
    }
}
