use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use microwish_core::handover::LINK_PARAM;
use microwish_core::{CommunityId, HandoverCode, Me, VolunteerStatus};

use crate::api;
use crate::china_time::now;
use crate::components::{HandoverForm, WorkerOnly};
use crate::i18n::t;
use crate::state::use_data;

/// `/worker` 工作台: the worker's other tools, one tap away (the tab bar keeps the daily
/// ones: the queue and the households), the residents' requests first with how many are
/// overdue.
#[component]
pub fn ConsolePage() -> impl IntoView {
    let t = t();
    let data = use_data();
    let scanned = use_query_map()
        .read_untracked()
        .get(LINK_PARAM)
        .and_then(|code| HandoverCode::parse(&code));
    let waiting_volunteers = move || {
        data.volunteers
            .filter(|v| v.status == VolunteerStatus::Pending)
            .len()
    };
    let pledges_with_units = move || data.pledges.filter(|pledge| pledge.remaining > 0).len();

    // Late requests stand out here too (督).
    let overdue_requests = move || {
        let now = now();
        data.requests
            .filter(|request| request.overdue(now).is_some())
            .len()
    };
    view! {
        <header class="page-head">
            <h1 class="page-head__title">{t.report.console_title}</h1>
        </header>
        <WorkerOnly children=move |me: Me| view! {
            <p class="page-head__intro">{t.report.console_intro}</p>
            <ul class="console">
                <li>
                    <a class="console__link console__requests" href="/worker/requests">
                        <span>{t.request_work.to_inbox}</span>
                        {move || (overdue_requests() > 0).then(|| view! {
                            <span class="badge badge--count badge--overdue-count">{t.overdue_count(overdue_requests())}</span>
                        })}
                    </a>
                </li>
                <li>
                    <a class="console__link" href="/worker/volunteers">
                        <span>{t.report.to_volunteers}</span>
                        {move || (waiting_volunteers() > 0).then(|| view! {
                            <span class="badge badge--count">{waiting_volunteers()}</span>
                        })}
                    </a>
                </li>
                <li>
                    <a class="console__link" href="/worker/pledges">
                        <span>{t.report.to_pledges}</span>
                        {move || (pledges_with_units() > 0).then(|| view! {
                            <span class="badge badge--count">{pledges_with_units()}</span>
                        })}
                    </a>
                </li>
                <li><a class="console__link console__new-wish" href="/worker/wishes/new">{t.report.to_new_wish}</a></li>
                <li><a class="console__link" href="/worker/campaigns/new">{t.report.to_new_campaign}</a></li>
                <li><a class="console__link" href="/worker/stats">{t.report.to_stats}</a></li>
                <li><a class="console__link" href="/worker/stations">{t.stations.page_title}</a></li>
                <li><PairingsLink community=me.community /></li>
            </ul>
            <HandoverForm scanned=scanned.clone() />
        } />
    }
}

/// 结对社区, with how many other communities' questions to pair wait for this one. Asked
/// online (a pairing is the server's alone): a console opened without a connection shows no
/// count.
#[component]
fn PairingsLink(community: Option<CommunityId>) -> impl IntoView {
    let t = t();
    let pairings = LocalResource::new(api::pairings);
    let questions = move || match (pairings.get(), community) {
        (Some(Ok(page)), Some(community)) => page
            .items
            .iter()
            .filter(|pairing| pairing.awaits_answer_from(community))
            .count(),
        _ => 0,
    };
    view! {
        <a class="console__link" href="/worker/pairings">
            <span>{t.pairings.page_title}</span>
            {move || (questions() > 0).then(|| view! {
                <span class="badge badge--count">{questions()}</span>
            })}
        </a>
    }
}
