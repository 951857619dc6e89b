//! A request's progress in plain words, newest first: who did what and when (core's events,
//! worded by the app). Read from the server, so it needs the network; it follows each change
//! of the request.

use leptos::prelude::*;
use microwish_core::engine::SyncStatus;
use microwish_core::RequestView;

use crate::api::{self, ApiError};
use crate::i18n::t;
use crate::state::use_data;
use crate::sync::use_sync;

#[component]
pub(super) fn RequestTimeline(request: Signal<RequestView>) -> impl IntoView {
    let t = t();
    let data = use_data();
    let id = request.with_untracked(|r| r.id);
    let sync = use_sync();
    // Filed on this phone and not taken by the server yet: it has no timeline there.
    let waiting = move || !sync.request_on_server(id);
    let online = Memo::new(move |_| !matches!(data.status.get(), SyncStatus::Offline(_)));
    let events = LocalResource::new(move || {
        online.track();
        request.with(|r| r.updated_at);
        // Not asked before the server has the request: it would answer 404 (and the browser
        // would log it); the resource runs again once the filing is applied.
        let asked = (!waiting()).then(|| api::request_timeline(id));
        async move {
            match asked {
                Some(answer) => answer.await,
                None => Ok(Vec::new()),
            }
        }
    });
    view! {
        <section class="timeline request-timeline">
            <h2 class="section-title">{t.requests.timeline}</h2>
            {move || match events.get() {
                _ if waiting() => view! { <p class="form-note">{t.requests.timeline_waiting}</p> }.into_any(),
                None => view! { <p class="loading">{t.loading}</p> }.into_any(),
                Some(Err(ApiError::Unreachable)) => {
                    view! { <p class="form-note">{t.requests.timeline_offline}</p> }.into_any()
                }
                Some(Err(error)) => view! { <p class="form-note">{t.error(&error)}</p> }.into_any(),
                Some(Ok(events)) => view! {
                    <ol class="timeline__list">
                        {events.into_iter().rev().map(|event| view! {
                            <li class="timeline__item" data-action=event.action.as_str()>
                                <time class="timeline__time" datetime=event.at.to_rfc3339()>
                                    {t.date_time(event.at)}
                                </time>
                                <span class="timeline__what">{t.request_event(&event)}</span>
                                {t.request_event_note(&event).map(|note| view! {
                                    <span class="timeline__note">{note}</span>
                                })}
                            </li>
                        }).collect_view()}
                    </ol>
                }
                .into_any(),
            }}
        </section>
    }
}
