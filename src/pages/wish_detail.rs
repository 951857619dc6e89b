use leptos::prelude::*;
use microwish_core::{ClaimView, PublicWish, WishKind};

use crate::api::{self, ApiError};
use crate::components::{BackLink, ClaimPanel, LoadError, ProgressBar, Timeline};
use crate::format::today;
use crate::i18n::t;
use crate::pages::id_param;
use crate::session::use_session;

/// `/wishes/:id`: one wish in full, with a way to claim it and its story so far.
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

/// The wish as loaded; its counts and state follow claims made from this page.
#[component]
fn WishDetail(wish: PublicWish) -> impl IntoView {
    let t = t();
    let today = today();
    let id = wish.id;
    let current = RwSignal::new(wish.clone());
    let events = LocalResource::new(move || api::wish_events(id));
    let on_claimed = Callback::new(move |claim: ClaimView| {
        current.set(claim.wish);
        events.refetch();
    });
    let on_wish_changed = Callback::new(move |fresh: PublicWish| {
        current.set(fresh);
        events.refetch();
    });
    let status = move || current.with(|wish| wish.status);
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
                <span class=move || format!("status status--{}", status())>{move || t.status(status())}</span>
                {campaign}
            </div>
            <h1 class="detail__title">{wish.title.clone()}</h1>
            {move || current.with(need)}
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
            <ClaimPanel wish=current session=use_session() on_claimed on_wish_changed />
            {move || events.get().and_then(Result::ok).map(|page| view! { <Timeline events=page.items /> })}
            <p class="privacy-note">{t.privacy_note}</p>
        </article>
    }
}

/// How much is still needed, and how far the wish has come.
fn need(wish: &PublicWish) -> impl IntoView {
    let t = t();
    view! {
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
    }
}
