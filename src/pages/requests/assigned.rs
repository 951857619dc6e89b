//! `/assigned` (派给我的): the requests dispatched to this person (property staff, 物业保障),
//! the ones to handle first by their nearest limit, then those resolved.

use leptos::prelude::*;
use microwish_core::{Me, RequestQuery, RequestView};

use super::card::RequestCard;
use super::SignedIn;
use crate::i18n::t;
use crate::state::use_data;

#[component]
pub fn AssignedPage() -> impl IntoView {
    let t = t();
    view! {
        <header class="page-head">
            <h1 class="page-head__title">{t.request_work.assigned_title}</h1>
        </header>
        <SignedIn children=|me: Me| view! { <Assigned me /> } />
    }
}

#[component]
fn Assigned(me: Me) -> impl IntoView {
    let t = t();
    let w = &t.request_work;
    let data = use_data();
    let mine = Memo::new(move |_| {
        let mut mine: Vec<RequestView> = data
            .requests
            .values(|r| r.handler.is_some_and(|handler| handler.user_id == me.id));
        RequestQuery::sort(&mut mine);
        let (open, done): (Vec<_>, Vec<_>) = mine.into_iter().partition(|r| r.status.is_open());
        let ids = |list: Vec<RequestView>| list.into_iter().map(|r| r.id).collect::<Vec<_>>();
        (ids(open), ids(done))
    });
    let list = |ids: Vec<microwish_core::RequestId>| {
        view! {
            <ul class="request-list">
                {ids.into_iter().map(|id| view! { <li><RequestCard id /></li> }).collect_view()}
            </ul>
        }
    };
    view! {
        <div class="page requests">
            <p class="page-head__intro">{w.assigned_intro}</p>
            {move || {
                let (open, done) = mine.get();
                if !data.loaded.get() {
                    return view! { <p class="loading">{t.loading}</p> }.into_any();
                }
                view! {
                    {if open.is_empty() {
                        view! { <p class="empty">{w.assigned_empty}</p> }.into_any()
                    } else {
                        list(open).into_any()
                    }}
                    {(!done.is_empty()).then(|| view! {
                        <h2 class="section-title">{w.handled_section}</h2>
                        {list(done)}
                    })}
                }
                .into_any()
            }}
        </div>
    }
}
