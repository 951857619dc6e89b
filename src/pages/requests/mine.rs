//! `/me/requests` (我的诉求): the requests the user filed, newest first, each with its status
//! in words and whether it is late — from the device's cache, offline too.

use leptos::prelude::*;
use microwish_core::{Me, RequestView};

use super::card::RequestCard;
use super::SignedIn;
use crate::i18n::t;
use crate::state::use_data;

#[component]
pub fn MyRequestsPage() -> impl IntoView {
    let t = t();
    view! {
        <header class="page-head">
            <h1 class="page-head__title">{t.requests.my_title}</h1>
        </header>
        <SignedIn children=|me: Me| view! { <MyRequests me /> } />
    }
}

#[component]
fn MyRequests(me: Me) -> impl IntoView {
    let t = t();
    let data = use_data();
    let mine = Memo::new(move |_| {
        let mut mine: Vec<RequestView> = data.requests.values(|r| r.requester == me.id);
        mine.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
        mine.into_iter()
            .map(|request| request.id)
            .collect::<Vec<_>>()
    });
    view! {
        <div class="page requests">
            <a class="button button--wide requests__new" href="/requests/new">{t.requests.report}</a>
            {move || {
                let ids = mine.get();
                if !data.loaded.get() {
                    view! { <p class="loading">{t.loading}</p> }.into_any()
                } else if ids.is_empty() {
                    view! { <p class="empty">{t.requests.my_empty}</p> }.into_any()
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
}
