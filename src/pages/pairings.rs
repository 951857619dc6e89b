//! `/worker/pairings` 结对社区: a worker's community's pairings (结对帮扶) — a question another
//! community asked is answered here, one of ours taken back, a pairing ended — and the form
//! that asks a community to pair. The server keeps pairings, so this page needs the network.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use microwish_core::clock::community_today;
use microwish_core::pairing::{Pairing, PairingStatus, PairingStep, ProposePairing};
use microwish_core::{CommunityId, Field, Me, PairingId};

use crate::api;
use crate::components::{
    Back, BackLink, FieldMessages, FormError, LoadError, SecondYes, WorkerOnly,
};
use crate::i18n::{t, Texts};
use crate::pages::failure;

#[component]
pub fn PairingsPage() -> impl IntoView {
    let t = t();
    view! {
        <BackLink to=Back::Console />
        <header class="page-head">
            <h1 class="page-head__title">{t.pairings.page_title}</h1>
        </header>
        <WorkerOnly children=move |me: Me| view! {
            <p class="page-head__intro">{t.pairings.page_intro}</p>
            {me.community.map(|community| view! { <Pairings community /> })}
        } />
    }
}

#[component]
fn Pairings(community: CommunityId) -> impl IntoView {
    let t = t();
    let words = &t.pairings;
    let list = LocalResource::new(api::pairings);
    let communities = LocalResource::new(api::communities_known);
    let step = Action::new_local(move |(id, step): &(PairingId, PairingStep)| {
        let (id, step) = (*id, *step);
        async move { api::pairing_step(id, step).await }
    });
    let propose = Action::new_local(move |request: &ProposePairing| {
        let request = *request;
        async move { api::propose_pairing(&request).await }
    });
    let chosen = RwSignal::new(None::<CommunityId>);
    Effect::new(move |_| {
        if let Some(Ok(_)) = step.value().get() {
            list.refetch();
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = propose.value().get() {
            chosen.set(None);
            list.refetch();
        }
    });
    let step_error =
        Signal::derive(move || failure(step.value().get().as_ref()).map(|error| t.problem(&error)));
    let errors = Signal::derive(move || {
        failure(propose.value().get().as_ref())
            .map(|error| error.field_errors().to_vec())
            .unwrap_or_default()
    });
    let propose_error = Signal::derive(move || {
        failure(propose.value().get().as_ref())
            .filter(|error| error.field_errors().is_empty())
            .map(|error| t.problem(&error))
    });
    let busy = Signal::derive(move || step.pending().get());
    let on_step = Callback::new(move |asked: (PairingId, PairingStep)| {
        step.dispatch(asked);
    });
    // Whom to ask: every other community without a live pairing with ours, once the pairings
    // are known. A memo, so that the choices are drawn again only when they change (drawing
    // them again would drop the one chosen).
    let candidates = Memo::new(move |_| {
        let Some(Ok(page)) = list.get() else {
            return Vec::new();
        };
        let live: Vec<CommunityId> = page
            .items
            .iter()
            .filter(|pairing| pairing.status.is_live())
            .map(|pairing| pairing.other_side(community).id)
            .collect();
        communities
            .get()
            .unwrap_or_default()
            .into_iter()
            .filter(|other| other.id != community && !live.contains(&other.id))
            .collect::<Vec<_>>()
    });
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if propose.pending().get_untracked() {
            return;
        }
        if let Some(partner) = chosen.get_untracked() {
            propose.dispatch(ProposePairing {
                id: PairingId::generate(),
                community_id: partner,
            });
        }
    };
    view! {
        <section class="pairings" aria-live="polite">
            {move || match list.get() {
                None => view! { <p class="loading">{t.loading}</p> }.into_any(),
                Some(Err(error)) => view! {
                    <LoadError message=t.error(&error) on_retry=Callback::new(move |_| list.refetch()) />
                }
                .into_any(),
                Some(Ok(page)) if page.items.is_empty() => {
                    view! { <p class="empty">{words.none}</p> }.into_any()
                }
                Some(Ok(page)) => view! {
                    <ul class="pairing-list">
                        {page
                            .items
                            .into_iter()
                            .map(|pairing| view! { <PairingRow pairing community busy on_step /> })
                            .collect_view()}
                    </ul>
                }
                .into_any(),
            }}
            <FormError message=step_error />
        </section>
        <Show when=move || candidates.with(|choices| !choices.is_empty())>
            <form class="account__card pairing-form" novalidate on:submit=on_submit>
                <h2 class="section-title">{words.invite_title}</h2>
                <label class="field">
                    <span class="field__label">{words.choose}</span>
                    <select
                        class="field__input"
                        name="community_id"
                        prop:value=move || chosen.get().map(|id| id.to_string()).unwrap_or_default()
                        on:change=move |ev| chosen.set(event_target_value(&ev).parse().ok())
                    >
                        <option value="" selected=move || chosen.get().is_none()>{words.choose}</option>
                        {move || {
                            candidates
                                .get()
                                .into_iter()
                                .map(|choice| {
                                    let id = choice.id;
                                    view! {
                                        <option value=id.to_string() selected=move || chosen.get() == Some(id)>
                                            {choice.name}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
                <FieldMessages field=Field::CommunityId errors words=Texts::pairing_field_error />
                <FormError message=propose_error />
                <button class="button button--primary button--wide" type="submit"
                    disabled=move || propose.pending().get() || chosen.get().is_none()>
                    {move || if propose.pending().get() { words.inviting } else { words.invite }}
                </button>
            </form>
        </Show>
    }
}

/// One pairing: with whom, its state and since when, and what this side may do now.
#[component]
fn PairingRow(
    pairing: Pairing,
    community: CommunityId,
    busy: Signal<bool>,
    on_step: Callback<(PairingId, PairingStep)>,
) -> impl IntoView {
    let t = t();
    let words = &t.pairings;
    let other = pairing.other_side(community).name.clone();
    let asked_us = pairing.partner.id == community;
    let line = match pairing.status {
        PairingStatus::Active => words.paired_with,
        PairingStatus::Ended => words.was_paired_with,
        _ if asked_us => words.asked_us,
        _ => words.we_asked,
    };
    let to_answer = pairing.awaits_answer_from(community);
    let id = pairing.id;
    let take = move |step: PairingStep| move |_| on_step.run((id, step));
    let actions = match pairing.status {
        PairingStatus::Proposed if to_answer => view! {
            <div class="pairing__actions">
                <button type="button" class="button button--primary" disabled=busy
                    on:click=take(PairingStep::Accept)>{words.accept}</button>
                <button type="button" class="button button--quiet" disabled=busy
                    on:click=take(PairingStep::Decline)>{words.decline}</button>
            </div>
        }
        .into_any(),
        PairingStatus::Proposed => view! {
            <div class="pairing__actions">
                <button type="button" class="button button--quiet" disabled=busy
                    on:click=take(PairingStep::End)>{words.withdraw}</button>
            </div>
        }
        .into_any(),
        PairingStatus::Active => view! {
            <div class="pairing__actions">
                <SecondYes label=words.end.to_owned() question=t.pairing_line(words.end_check, &other)
                    yes=words.end_yes danger=true busy
                    on_yes=Callback::new(move |()| on_step.run((id, PairingStep::End))) />
            </div>
        }
        .into_any(),
        PairingStatus::Declined | PairingStatus::Ended => ().into_any(),
    };
    let state = match pairing.status {
        PairingStatus::Active => "badge badge--active",
        PairingStatus::Proposed => "badge badge--waiting",
        _ => "badge",
    };
    view! {
        <li class="pairing account__card" data-status=pairing.status.as_str()>
            <p class="pairing__who">{t.pairing_line(line, &other)}</p>
            <p class="pairing__state">
                <span class=state>{t.pairing_status(pairing.status)}</span>
                " "
                <span class="pairing__since">{t.date(community_today(pairing.updated_at))}</span>
            </p>
            {actions}
        </li>
    }
}
