use leptos::prelude::*;
use microwish_core::engine::SyncStatus;
use microwish_core::giving::is_finished;
use microwish_core::{PublicWish, WishId, WishKind};

use crate::api;
use crate::china_time::today;
use crate::components::{BackLink, ClaimPanel, ProgressBar, Timeline};
use crate::i18n::t;
use crate::pages::id_param;
use crate::session::use_session;
use crate::state::use_data;

mod finished;

use finished::{Finished, MoreToHelp};

/// `/wishes/:id`: one wish in full, with a way to claim it and its story so far. The wish
/// comes from the device's cache, so the page opens offline and follows every change.
#[component]
pub fn WishDetailPage() -> impl IntoView {
    let t = t();
    let data = use_data();
    let id = id_param::<WishId>();
    let wish = Memo::new(move |_| data.wishes.get(&id()?));
    // Rendered once per wish; its fields follow the cache from then on.
    let shown = Memo::new(move |_| wish.with(|wish| wish.as_ref().map(|wish| wish.id)));
    // The server's drawing of this page (in the shell) stays until the page has its wish and
    // knows who is looking (the server drew a visitor's claim panel), or has heard from the
    // server that it has none.
    let session = use_session();
    crate::shell::take_over_when(move || {
        (shown.get().is_some() && session.viewer().is_some())
            || crate::shell::heard_from_server(data)
    });
    view! {
        <BackLink />
        {move || match shown.get() {
            Some(_) => {
                let initial = wish.get_untracked().expect("shown only when cached");
                let current = Signal::derive(move || wish.get().unwrap_or_else(|| initial.clone()));
                view! { <WishDetail current /> }.into_any()
            }
            None if data.synced.get() => view! {
                <section class="page not-found"><p>{t.wish_not_found}</p></section>
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

/// The wish as the cache has it now; counts and state follow claims made anywhere.
#[component]
fn WishDetail(current: Signal<PublicWish>) -> impl IntoView {
    let t = t();
    let today = today();
    let wish = current.get_untracked();
    let id = wish.id;
    let events = LocalResource::new(move || api::wish_events(id));
    // The timeline grows with each change of the wish (when online).
    Effect::new(move |previous: Option<chrono::DateTime<chrono::Utc>>| {
        let updated = current.with(|wish| wish.updated_at);
        if previous.is_some_and(|previous| previous != updated) {
            events.refetch();
        }
        updated
    });
    let status = move || current.with(|wish| wish.status);
    // Given all it asked for: thanks, and other wishes to help, instead of a dead end.
    let finished = Memo::new(move |_| is_finished(status()));
    let place_label = match wish.kind {
        WishKind::Item => t.drop_off,
        WishKind::Service => t.house_call_in,
    };
    let place = match wish.kind {
        WishKind::Item => format!("{}{}", wish.station, t.in_brackets(&wish.station_location)),
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
            {move || finished.get().then(|| view! { <Finished wish=current /> })}
            <dl class="detail__facts">
                <dt>{t.beneficiary}</dt>
                <dd>{format!("{}{}", wish.alias, t.in_brackets(t.group(wish.group)))}</dd>
                <dt>{t.filter_grid}</dt>
                <dd>{wish.grid_name.clone()}</dd>
                <dt>{place_label}</dt>
                <dd>{place}</dd>
                {wish.needed_by.map(|date| view! {
                    <dt>{t.needed_by}</dt>
                    <dd>{t.deadline(date, today, wish.status)}</dd>
                })}
            </dl>
            <section class="detail__about">
                <h2 class="section-title">{t.about_wish}</h2>
                <p>{wish.description.clone()}</p>
            </section>
            <ClaimPanel wish=current session=use_session() />
            {move || finished.get().then(|| view! { <MoreToHelp wish=current /> })}
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
