use leptos::prelude::*;
use microwish_core::{ClaimStatus, ClaimView};

use crate::components::{LiveClaim, WorkerOnly};
use crate::i18n::t;
use crate::state::use_data;

/// `/worker/claims` "待确认": for community workers, the items delivered and the house calls
/// made, waiting for confirmation (a house call with the minutes to credit), then the claims
/// still under way, then those handled lately (where the household's thanks are written
/// down); each handled from its card, which shows who claimed and their number to call.
#[component]
pub fn WorkerClaimsPage() -> impl IntoView {
    let t = t();
    view! {
        <header class="page-head">
            <h1 class="page-head__title">{t.worker.title}</h1>
        </header>
        <WorkerOnly children=move |_me| view! {
            <QueueSection statuses=&[ClaimStatus::Delivered] title=t.worker.delivered_section empty=t.worker.none_delivered />
            <QueueSection statuses=&[ClaimStatus::Active] title=t.worker.active_section empty=t.worker.none_active />
            <QueueSection statuses=&[ClaimStatus::Confirmed, ClaimStatus::Rejected] title=t.worker.done_section empty=t.worker.none_done />
        } />
    }
}

/// How many handled claims the "recently handled" section keeps.
const RECENT: usize = 20;

/// The claims in `statuses`: waiting ones oldest first (first come, first confirmed),
/// handled ones newest first.
#[component]
fn QueueSection(
    statuses: &'static [ClaimStatus],
    title: &'static str,
    empty: &'static str,
) -> impl IntoView {
    let t = t();
    let data = use_data();
    let claims = Memo::new(move |_| {
        let mut queue: Vec<ClaimView> =
            data.claims.values(|claim| statuses.contains(&claim.status));
        queue.sort_by(|a, b| a.updated_at.cmp(&b.updated_at).then(a.id.cmp(&b.id)));
        let handled = statuses
            .iter()
            .any(|status| !matches!(status, ClaimStatus::Active | ClaimStatus::Delivered));
        if handled {
            queue.reverse();
            queue.truncate(RECENT);
        }
        queue
    });
    let loaded = move || data.loaded.get();
    view! {
        <section class="claims" aria-live="polite">
            <h2 class="section-title">{title}{move || t.in_brackets(claims.with(Vec::len))}</h2>
            {move || {
                let claims = claims.get();
                if !loaded() {
                    view! { <p class="loading">{t.loading}</p> }.into_any()
                } else if claims.is_empty() {
                    view! { <p class="empty">{empty}</p> }.into_any()
                } else {
                    view! {
                        <ul class="claim-list">
                            {claims
                                .into_iter()
                                .map(|claim| view! { <li><LiveClaim claim as_worker=true /></li> })
                                .collect_view()}
                        </ul>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
