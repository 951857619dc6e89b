//! The wishes posted for a household, on its page.

use leptos::prelude::*;
use microwish_core::{Household, PublicWish};

use crate::i18n::t;
use crate::state::use_data;

/// The wishes posted for the household, newest first, and a way to post another.
#[component]
pub(super) fn HouseholdWishes(current: Signal<Household>) -> impl IntoView {
    let t = t();
    let data = use_data();
    let id = current.with_untracked(|household| household.id);
    let wishes = Memo::new(move |_| {
        current
            .with(|household| household.wishes.clone())
            .into_iter()
            .rev()
            .filter_map(|wish| data.wishes.get(&wish))
            .collect::<Vec<PublicWish>>()
    });
    let list = move || {
        let wishes = wishes.get();
        if wishes.is_empty() {
            return view! { <p class="empty household-wishes__empty">{t.households.no_wishes}</p> }
                .into_any();
        }
        let items = wishes
            .into_iter()
            .map(|wish| {
                let pending = move || data.pending_wishes.with(|pending| pending.contains(&wish.id));
                view! {
                    <li>
                        <a class="household-wish" href=format!("/worker/wishes/{}", wish.id) data-status=wish.status.as_str()>
                            <span class="household-wish__title">{wish.title.clone()}</span>
                            <span class=format!("status status--{}", wish.status)>{t.status(wish.status)}</span>
                            {move || pending().then(|| view! { <span class="badge badge--pending">{t.sync.pending_badge}</span> })}
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="household-wishes__list">{items}</ul> }.into_any()
    };
    view! {
        <section class="household-wishes">
            <h2 class="section-title">{t.households.wishes_title}</h2>
            {list}
            <a class="button button--wide household-wishes__post" href=format!("/worker/wishes/new?household={id}")>
                {t.households.post_wish}
            </a>
        </section>
    }
}
