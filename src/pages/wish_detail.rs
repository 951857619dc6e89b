use leptos::prelude::*;
use microwish_core::{PublicWish, WishKind};

use crate::api::{self, ApiError};
use crate::components::{BackLink, LoadError, ProgressBar};
use crate::format::today;
use crate::i18n::t;
use crate::pages::id_param;

/// `/wishes/:id`: one wish in full.
#[component]
pub fn WishDetailPage() -> impl IntoView {
    let t = t();
    let id = id_param();
    let wish = LocalResource::new(move || {
        let id = id();
        async move {
            match id {
                Some(id) => api::wish(id).await,
                None => Err(ApiError::NotFound),
            }
        }
    });
    let retry = Callback::new(move |_| wish.refetch());
    view! {
        <BackLink />
        {move || match wish.get() {
            None => view! { <p class="loading">{t.loading}</p> }.into_any(),
            Some(Err(ApiError::NotFound)) => view! {
                <section class="page not-found"><p>{t.wish_not_found}</p></section>
            }
            .into_any(),
            Some(Err(error)) => view! { <LoadError message=t.error(&error) on_retry=retry /> }.into_any(),
            Some(Ok(wish)) => view! { <WishDetail wish /> }.into_any(),
        }}
    }
}

#[component]
fn WishDetail(wish: PublicWish) -> impl IntoView {
    let t = t();
    let today = today();
    let place_label = match wish.kind {
        WishKind::Item => t.drop_off,
        WishKind::Service => t.house_call_in,
    };
    let place = match wish.kind {
        WishKind::Item => format!("{}({})", wish.station, wish.station_location),
        WishKind::Service => t.address_private.to_owned(),
    };
    let campaign = wish.campaign_id.map(|id| {
        let title = wish
            .campaign_title
            .clone()
            .unwrap_or_else(|| t.campaign.to_owned());
        view! { <a class="detail__campaign" href=format!("/campaigns/{id}")>{title}</a> }
    });
    view! {
        <article class="page detail">
            <div class="wish-card__tags">
                <span class=format!("tag tag--{}", wish.kind)>{t.kind(wish.kind)}</span>
                <span class="tag">{t.category(wish.category)}</span>
                <span class=format!("status status--{}", wish.status)>{t.status(wish.status)}</span>
                {campaign}
            </div>
            <h1 class="detail__title">{wish.title.clone()}</h1>
            <div class="detail__need">
                <p>
                    {t.still_needed}
                    " "
                    <strong class="detail__remaining">{wish.remaining}</strong>
                    {format!(" / {} {}", wish.quantity, wish.unit)}
                </p>
                <ProgressBar done=wish.claimed total=wish.quantity label=t.progress_claimed />
                <p class="detail__counts">
                    {format!(
                        "{} {} · {} {}",
                        t.progress_claimed,
                        wish.claimed,
                        t.progress_fulfilled,
                        wish.fulfilled,
                    )}
                </p>
            </div>
            <dl class="detail__facts">
                <dt>{t.beneficiary}</dt>
                <dd>{format!("{}({})", wish.alias, t.group(wish.group))}</dd>
                <dt>{t.filter_grid}</dt>
                <dd>{wish.grid_name.clone()}</dd>
                <dt>{place_label}</dt>
                <dd>{place}</dd>
                {wish.needed_by.map(|date| view! {
                    <dt>{t.needed_by}</dt>
                    <dd>{format!("{} · {}", t.date(date), t.due(date, today))}</dd>
                })}
            </dl>
            <section class="detail__about">
                <h2 class="section-title">{t.about_wish}</h2>
                <p>{wish.description.clone()}</p>
            </section>
            <p class="privacy-note">{t.privacy_note}</p>
        </article>
    }
}
