use leptos::prelude::*;
use microwish_core::{PublicCampaign, WishQuery};

use crate::api::{self, ApiError};
use crate::components::{BackLink, LoadError, ProgressBar, WishList};
use crate::format::today;
use crate::i18n::t;
use crate::pages::id_param;

/// `/campaigns/:id`: a drive, its progress and its wishes.
#[component]
pub fn CampaignPage() -> impl IntoView {
    let t = t();
    let id = id_param();
    let campaign = LocalResource::new(move || {
        let id = id();
        async move {
            let id = id.ok_or(ApiError::NotFound)?;
            let campaign = api::campaign(id).await?;
            let query = WishQuery {
                campaign: Some(id),
                ..Default::default()
            };
            let wishes = api::wishes(&query).await?;
            Ok::<_, ApiError>((campaign, wishes.items))
        }
    });
    let retry = Callback::new(move |_| campaign.refetch());
    view! {
        <BackLink />
        {move || match campaign.get() {
            None => view! { <p class="loading">{t.loading}</p> }.into_any(),
            Some(Err(ApiError::NotFound)) => view! {
                <section class="page not-found"><p>{t.campaign_not_found}</p></section>
            }
            .into_any(),
            Some(Err(error)) => view! { <LoadError message=t.error(&error) on_retry=retry /> }.into_any(),
            Some(Ok((campaign, wishes))) => view! {
                <CampaignHeader campaign />
                <h2 class="section-title">{t.campaign_wishes}</h2>
                <WishList wishes today=today() />
            }
            .into_any(),
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
