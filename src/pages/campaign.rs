use leptos::prelude::*;
use microwish_core::engine::SyncStatus;
use microwish_core::{CampaignId, PublicCampaign, WishId, WishQuery};

use microwish_core::command::{CampaignRef, Command};
use microwish_core::Role;

use crate::china_time::today;
use crate::components::{BackLink, FormError, LiveWishList, ProgressBar};
use crate::i18n::t;
use crate::pages::id_param;
use crate::session::use_session;
use crate::state::use_data;
use crate::sync::use_sync;

/// `/campaigns/:id`: a drive, its progress and its wishes, from the device's cache.
#[component]
pub fn CampaignPage() -> impl IntoView {
    let t = t();
    let data = use_data();
    let id = id_param::<CampaignId>();
    let campaign = Memo::new(move |_| data.campaigns.get(&id()?));
    let wishes = Memo::new(move |_| {
        let query = WishQuery {
            campaign: id(),
            ..Default::default()
        };
        let mut found = data
            .wishes
            .select_placed(|wish| query.matches(wish).then(|| WishQuery::sort_key(wish)));
        found.sort();
        found
            .into_iter()
            .map(|(_, _, id)| id)
            .collect::<Vec<WishId>>()
    });
    // The server's drawing of this page (in the shell) stays until the page has its campaign,
    // or has heard from the server that it has none.
    crate::shell::take_over_when(move || {
        campaign.with(Option::is_some) || crate::shell::heard_from_server(data)
    });
    view! {
        <BackLink />
        {move || match campaign.get() {
            Some(campaign) => view! {
                <CampaignHeader campaign=campaign.clone() />
                <WorkerActions campaign />
                <h2 class="section-title">{t.campaign_wishes}</h2>
                <LiveWishList ids=wishes today=today()
                    empty_text=(t.report.campaign_no_wishes, t.report.campaign_no_wishes_hint) />
            }
            .into_any(),
            None if data.synced.get() => view! {
                <section class="page not-found"><p>{t.campaign_not_found}</p></section>
            }
            .into_any(),
            None if matches!(data.status.get(), SyncStatus::Offline(_) | SyncStatus::Failed) => view! {
                <section class="page not-found"><p>{t.sync.not_cached}</p></section>
            }
            .into_any(),
            None => view! { <p class="loading">{t.loading}</p> }.into_any(),
        }}
    }
}

#[component]
fn CampaignHeader(campaign: PublicCampaign) -> impl IntoView {
    let t = t();
    let progress = campaign.progress;
    let period = match (campaign.starts_on, campaign.ends_on) {
        (Some(start), Some(end)) => Some(format!("{} – {}", t.date(start), t.date(end))),
        _ => None,
    };
    view! {
        <header class="page campaign">
            <p class="hero__community">{t.campaign}</p>
            <h1 class="detail__title">{campaign.title.clone()}</h1>
            {campaign.has_ended(crate::china_time::today()).then(|| view! {
                <p class="campaign__ended tag">{t.campaign_ended}</p>
            })}
            <p>{campaign.description}</p>
            {period.map(|period| view! { <p class="campaign__period">{t.labelled(t.period, &period)}</p> })}
            {(campaign.goal > 0).then(|| view! {
                <ProgressBar done=progress.units_claimed total=campaign.goal label=t.progress_claimed />
                <p class="campaign__goal">{t.campaign_goal(progress.units_claimed, campaign.goal, &campaign.unit)}</p>
            })}
            <ProgressBar done=progress.units_claimed total=progress.units label=t.progress_claimed />
            <p class="detail__counts">
                {format!(
                    "{} {}/{} · {} {}/{}",
                    t.progress_claimed,
                    progress.units_claimed,
                    progress.units,
                    t.progress_fulfilled,
                    progress.units_fulfilled,
                    progress.units,
                )}
            </p>
        </header>
    }
}

/// For a worker of the drive's community: edit it, or end it early (asked first; offline
/// too, through the outbox).
#[component]
fn WorkerActions(campaign: PublicCampaign) -> impl IntoView {
    let t = t();
    let session = use_session();
    let sync = use_sync();
    let theirs = move || {
        session.user().is_some_and(|me| {
            me.role == Role::Worker
                && me.community.is_some()
                && me.community == campaign.community_id
        })
    };
    let asking = RwSignal::new(false);
    let end = Action::new_local(move |campaign_id: &CampaignId| {
        let command = Command::EndCampaign(CampaignRef {
            campaign_id: *campaign_id,
        });
        async move { sync.mutate(command).await }
    });
    let message = Signal::derive(move || match end.value().get() {
        Some(Err(error)) => Some(t.mutate_error(&error)),
        _ => None,
    });
    let id = campaign.id;
    let running = !campaign.has_ended(today());
    move || {
        theirs().then(|| {
            view! {
                <div class="campaign__actions">
                    <a class="button button--quiet campaign__edit" href=format!("/worker/campaigns/{id}/edit")>
                        {t.report.edit_campaign}
                    </a>
                    {running.then(|| view! {
                        <Show
                            when=move || asking.get()
                            fallback=move || view! {
                                <button type="button" class="button button--quiet campaign__end"
                                    on:click=move |_| asking.set(true)>
                                    {t.report.end_campaign}
                                </button>
                            }
                        >
                            <div class="campaign__ask" role="alertdialog">
                                <p>{t.report.end_campaign_question}</p>
                                <button type="button" class="button button--danger campaign__end-yes"
                                    disabled=move || end.pending().get()
                                    on:click=move |_| {
                                        asking.set(false);
                                        end.dispatch(id);
                                    }>
                                    {t.report.end_campaign_yes}
                                </button>
                                <button type="button" class="button button--quiet campaign__end-no"
                                    on:click=move |_| asking.set(false)>
                                    {t.report.keep_campaign}
                                </button>
                            </div>
                        </Show>
                    })}
                    <FormError message />
                </div>
            }
        })
    }
}
