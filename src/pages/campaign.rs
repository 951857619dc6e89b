use leptos::prelude::*;
use microwish_core::{PublicCampaign, PublicWish, WishQuery};

use crate::components::{BackLink, ProgressBar, WishList};
use crate::format::today;
use crate::i18n::t;
use crate::pages::id_param;
use crate::sync::{use_sync, SyncStatus};

/// `/campaigns/:id`: a drive, its progress and its wishes, from the device's cache.
#[component]
pub fn CampaignPage() -> impl IntoView {
    let t = t();
    let sync = use_sync();
    let id = id_param();
    let campaign = Memo::new(move |_| {
        let id = id()?;
        sync.data.with(|data| {
            let campaign = data.campaigns.get(&id)?.clone();
            let query = WishQuery {
                campaign: Some(id),
                ..Default::default()
            };
            let mut wishes: Vec<PublicWish> = data
                .wishes
                .values()
                .filter(|wish| query.matches(wish))
                .cloned()
                .collect();
            WishQuery::sort(&mut wishes);
            Some((campaign, wishes))
        })
    });
    view! {
        <BackLink />
        {move || match campaign.get() {
            Some((campaign, wishes)) => view! {
                <CampaignHeader campaign />
                <h2 class="section-title">{t.campaign_wishes}</h2>
                <WishList wishes today=today() />
            }
            .into_any(),
            None if sync.data.with(|data| data.synced) => view! {
                <section class="page not-found"><p>{t.campaign_not_found}</p></section>
            }
            .into_any(),
            None if matches!(sync.status.get(), SyncStatus::Offline | SyncStatus::Failed) => view! {
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
            <h1 class="detail__title">{campaign.title}</h1>
            <p>{campaign.description}</p>
            {period.map(|period| view! { <p class="campaign__period">{format!("{}:{period}", t.period)}</p> })}
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
