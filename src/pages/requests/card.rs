//! A request in a list: what and where, its status in words, and whether it is late.

use leptos::prelude::*;
use microwish_core::{Overdue, RequestId, RequestView, Urgency};

use super::building_name;
use crate::china_time::now;
use crate::i18n::{fill, t};
use crate::pages::households::grid_name;
use crate::state::use_data;

/// A request's card, linking to its page; it follows the request's signal (a pull that
/// changes one request redraws its card only). `with_grid`: the workers' lists name it.
#[component]
pub(super) fn RequestCard(id: RequestId, #[prop(optional)] with_grid: bool) -> impl IntoView {
    let data = use_data();
    move || {
        data.requests
            .get(&id)
            .map(|request| card(request, with_grid))
    }
}

fn card(request: RequestView, with_grid: bool) -> impl IntoView {
    let t = t();
    let data = use_data();
    let id = request.id;
    let overdue = request.overdue(now()).map(|missed| match missed {
        Overdue::Accept => t.requests.overdue_accept,
        Overdue::Resolve => t.requests.overdue_resolve,
    });
    let pending = move || data.is_pending_request(id);
    let mut place = building_name(data, request.building_id);
    if let Some(spot) = &request.place {
        place = t.list(&[&place, spot]);
    }
    if with_grid {
        place = t.list(&[&grid_name(data, &request.grid), &place]);
    }
    let filed = fill(
        t.requests.filed_on,
        &[("date", t.date_time(request.created_at))],
    );
    view! {
        <a
            class="request-card"
            class:request-card--overdue=overdue.is_some()
            href=format!("/requests/{id}")
            data-status=request.status.as_str()
        >
            <span class="request-card__head">
                <span class="tag">{t.request_category(request.category)}</span>
                {(request.urgency == Urgency::Urgent).then(|| view! {
                    <span class="tag tag--urgent">{t.requests.urgent_badge}</span>
                })}
                <span class=format!("request-status request-status--{}", request.status.as_str())>
                    {t.request_status(request.status)}
                </span>
            </span>
            <span class="request-card__place">{place}</span>
            <span class="request-card__text">{request.description}</span>
            <span class="request-card__foot">
                <span class="request-card__time">{filed}</span>
                {overdue.map(|words| view! { <span class="badge badge--overdue">{words}</span> })}
                {move || pending().then(|| view! {
                    <span class="badge badge--pending">{t.sync.pending_badge}</span>
                })}
            </span>
        </a>
    }
}
