use leptos::prelude::*;
use microwish_core::{EventAction, EventView, WishStatus};

use crate::i18n::{fill, t};

/// How many of a wish's latest events the detail page shows.
const SHOWN_EVENTS: usize = 8;

/// A wish's story, newest first: who (a role, or a name for workers and the actor
/// themselves) did what, when, and what the wish became.
#[component]
pub fn Timeline(events: Vec<EventView>) -> impl IntoView {
    let t = t();
    if events.is_empty() {
        return ().into_any();
    }
    let items = events
        .into_iter()
        .rev()
        .take(SHOWN_EVENTS)
        .map(|event| {
            let what = match wish_status_change(&event) {
                Some(status) => fill(
                    t.claim.wish_became,
                    &[("status", t.status(status).to_owned())],
                ),
                None => {
                    let actor = event
                        .actor_name
                        .clone()
                        .or_else(|| event.actor_role.map(|role| t.role(role).to_owned()))
                        .unwrap_or_else(|| t.claim.system_actor.to_owned());
                    // Part of a claim given back leaves it as it was ("active" to "active").
                    let partly = event.action == EventAction::Release
                        && event.from_status.is_some()
                        && event.from_status == event.to_status;
                    let action = if partly {
                        t.claim.gave_back_part
                    } else {
                        t.event_action(event.action)
                    };
                    format!("{actor} {action}")
                }
            };
            view! {
                <li class="timeline__item" data-action=event.action.as_str()>
                    <time class="timeline__time" datetime=event.at.to_rfc3339()>
                        {t.date_time(event.at)}
                    </time>
                    <span class="timeline__what">{what}</span>
                    {event.note.map(|note| view! { <span class="timeline__note">{note}</span> })}
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="timeline">
            <h2 class="section-title">{t.claim.timeline}</h2>
            <ol class="timeline__list">{items}</ol>
        </section>
    }
    .into_any()
}

/// The wish's new status, when the event records one (action `status`, to a wish status).
fn wish_status_change(event: &EventView) -> Option<WishStatus> {
    if event.action != EventAction::Status {
        return None;
    }
    event.to_status.as_deref()?.parse().ok()
}
