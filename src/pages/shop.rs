use leptos::prelude::*;
use microwish_core::{Me, Pledge};

use crate::components::{PledgeCard, ShopOnly};
use crate::i18n::t;
use crate::state::use_data;

/// `/shop` 我的捐赠: the shop's pledges, where every unit went and the thanks received;
/// goods are marked dropped at the station from here.
#[component]
pub fn ShopPage() -> impl IntoView {
    let t = t();
    view! {
        <header class="page-head">
            <h1 class="page-head__title">{t.shops.title}</h1>
        </header>
        <ShopOnly children=move |me: Me| view! {
            <p class="page-head__intro">{t.shops.intro}</p>
            <a class="button button--primary button--wide" href="/shop/pledges/new">{t.shops.new_pledge}</a>
            <OwnPledges me />
        } />
    }
}

#[component]
fn OwnPledges(me: Me) -> impl IntoView {
    let t = t();
    let data = use_data();
    let pledges = Memo::new(move |_| {
        let mut own: Vec<Pledge> = data.pledges.values(|pledge| pledge.shop == me.id);
        own.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
        own
    });
    move || {
        let pledges = pledges.get();
        if !data.loaded.get() {
            view! { <p class="loading">{t.loading}</p> }.into_any()
        } else if pledges.is_empty() {
            view! {
                <section class="page empty-state">
                    <p class="notice__title">{t.shops.none}</p>
                    <p>{t.shops.none_hint}</p>
                </section>
            }
            .into_any()
        } else {
            view! {
                <ul class="pledge-list" aria-live="polite">
                    {pledges
                        .into_iter()
                        .map(|pledge| view! { <li><PledgeCard pledge as_worker=false /></li> })
                        .collect_view()}
                </ul>
            }
            .into_any()
        }
    }
}
