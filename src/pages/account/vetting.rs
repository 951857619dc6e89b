//! A volunteer's standing on 我的: waiting to be met (and where: the stations, with their
//! hours and whom to ask for), approved (and what to do now), or declined or suspended (with
//! the worker's reason).

use leptos::prelude::*;
use microwish_core::{Me, VolunteerStatus, WishKind, WishQuery, WishStatus};

use crate::components::CommunityStations;
use crate::filters::list_url;
use crate::i18n::t;

#[component]
pub(super) fn VolunteerStanding(me: Me) -> impl IntoView {
    let t = t();
    let status = me.volunteer_status.unwrap_or(VolunteerStatus::Pending);
    let (title, body) = match status {
        VolunteerStatus::Pending => (t.volunteers.me_pending_title, t.volunteers.me_pending),
        VolunteerStatus::Approved => (t.volunteers.me_approved_title, t.volunteers.me_approved),
        VolunteerStatus::Suspended => (t.volunteers.me_suspended_title, t.volunteers.me_suspended),
    };
    let reason = me
        .volunteer_reason
        .clone()
        .filter(|_| status == VolunteerStatus::Suspended)
        .map(|reason| {
            view! {
                <p class="vetting__reason">{t.labelled(t.volunteers.me_reason, &reason)}</p>
            }
        });
    let next = match status {
        VolunteerStatus::Approved => {
            let services = list_url(&WishQuery {
                kind: Some(WishKind::Service),
                status: Some(WishStatus::Open),
                ..WishQuery::default()
            });
            view! {
                <a class="button button--wide vetting__services" href=services>
                    {t.volunteers.me_browse_services}
                </a>
                <a class="button button--quiet button--wide vetting__certificates" href="/me/certificates">
                    {t.certificates.link}
                </a>
            }
            .into_any()
        }
        // A suspended volunteer's past service still counts.
        VolunteerStatus::Suspended => view! {
            <CommunityStations community=me.community />
            <a class="button button--quiet button--wide vetting__certificates" href="/me/certificates">
                {t.certificates.link}
            </a>
        }
        .into_any(),
        VolunteerStatus::Pending => view! { <CommunityStations community=me.community /> }.into_any(),
    };
    view! {
        <div class="account__card vetting" data-status=status.as_str() role="status">
            <h2 class="vetting__title">{title}</h2>
            <p class="vetting__body">{body}</p>
            {reason}
            {next}
        </div>
    }
}
