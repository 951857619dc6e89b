//! A household's record of access: who registered, edited or read it, and when.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use microwish_core::engine::SyncStatus;
use microwish_core::{EventView, HouseholdId};

use crate::api::{self, ApiError};
use crate::components::LoadError;
use crate::i18n::t;
use crate::state::use_data;

/// Who registered, edited or read the household's record, and when (from the server: the
/// device keeps no copy of the log).
#[component]
pub(super) fn HouseholdRecords(id: HouseholdId, updated: Signal<DateTime<Utc>>) -> impl IntoView {
    let t = t();
    let data = use_data();
    let online = Memo::new(move |_| !matches!(data.status.get(), SyncStatus::Offline(_)));
    // Registered on this phone and not on the server yet: its log does not exist there.
    let waiting = Memo::new(move |_| {
        data.pending_households
            .with(|pending| pending.contains(&id))
    });
    let events = LocalResource::new(move || {
        let ask = online.get() && !waiting.get();
        async move {
            if ask {
                api::household_events(id).await
            } else {
                Err(ApiError::Unreachable)
            }
        }
    });
    // An edit made here shows in the log once the server has it.
    Effect::new(move |previous: Option<DateTime<Utc>>| {
        let at = updated.get();
        if previous.is_some_and(|previous| previous != at) {
            events.refetch();
        }
        at
    });
    let body = move || {
        if !online.get() {
            return view! { <p class="records__offline">{t.households.records_offline}</p> }
                .into_any();
        }
        if waiting.get() {
            return view! { <p class="records__offline">{t.households.records_waiting}</p> }
                .into_any();
        }
        match events.get() {
            None => view! { <p class="loading">{t.loading}</p> }.into_any(),
            Some(Err(error)) => view! {
                <LoadError message=t.error(&error) on_retry=Callback::new(move |_| events.refetch()) />
            }
            .into_any(),
            Some(Ok(page)) if page.items.is_empty() => {
                view! { <p class="records__empty">{t.households.records_empty}</p> }.into_any()
            }
            Some(Ok(page)) => view! {
                <ol class="timeline__list records__list">
                    {page.items.into_iter().rev().map(record).collect_view()}
                </ol>
            }
            .into_any(),
        }
    };
    view! {
        <section class="records">
            <h2 class="section-title">{t.households.records_title}</h2>
            <p class="records__intro">{t.households.records_intro}</p>
            {body}
        </section>
    }
}

/// One entry of the log: who (name, or role), did what, when.
fn record(event: EventView) -> impl IntoView {
    let t = t();
    let who = match (&event.actor_name, event.actor_role) {
        (Some(name), Some(role)) => format!("{name}{}", t.in_brackets(t.role(role))),
        (Some(name), None) => name.clone(),
        (None, Some(role)) => t.role(role).to_owned(),
        (None, None) => t.claim.system_actor.to_owned(),
    };
    view! {
        <li class="timeline__item" data-action=event.action.as_str()>
            <time class="timeline__time" datetime=event.at.to_rfc3339()>{t.date_time(event.at)}</time>
            <span class="timeline__what">{format!("{who} {}", t.event_action(event.action))}</span>
            {event.note.filter(|note| !note.is_empty()).map(|note| view! { <span class="timeline__note">{note}</span> })}
        </li>
    }
}
