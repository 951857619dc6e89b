use leptos::prelude::*;
use microwish_core::Pledge;

use crate::components::{Back, BackLink, PledgeCard, WorkerOnly};
use crate::i18n::t;
use crate::state::use_data;

/// `/worker/pledges` 商户认捐: every shop's pledges with what is left to give out (per size),
/// and each allocation to confirm, cancel or thank for.
#[component]
pub fn PledgesPage() -> impl IntoView {
    let t = t();
    let data = use_data();
    let pledges = Memo::new(move |_| {
        let mut all: Vec<Pledge> = data.pledges.values(|_| true);
        // Those with units left first, then the newest.
        all.sort_by(|a, b| {
            (b.remaining > 0)
                .cmp(&(a.remaining > 0))
                .then(b.created_at.cmp(&a.created_at))
                .then(b.id.cmp(&a.id))
        });
        all
    });
    view! {
        <BackLink to=Back::Console />
        <header class="page-head">
            <h1 class="page-head__title">{t.shops.pledges_title}</h1>
        </header>
        <WorkerOnly children=move |_| view! {
            <p class="page-head__intro">{t.shops.pledges_intro}</p>
            {move || {
                let pledges = pledges.get();
                if !data.loaded.get() {
                    view! { <p class="loading">{t.loading}</p> }.into_any()
                } else if pledges.is_empty() {
                    view! { <p class="empty">{t.shops.no_pledges}</p> }.into_any()
                } else {
                    view! {
                        <ul class="pledge-list" aria-live="polite">
                            {pledges
                                .into_iter()
                                .map(|pledge| {
                                    let record = format!("/worker/shops/{}", pledge.shop);
                                    view! {
                                        <li>
                                            <PledgeCard pledge as_worker=true />
                                            <a class="pledge-list__record" href=record>{t.shop_record.past_years_link}</a>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                    .into_any()
                }
            }}
        } />
    }
}
