use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use microwish_core::engine::SyncStatus;
use microwish_core::stats::{open_need, CountedWish};
use microwish_core::{Category, PublicCampaign, Stats, WishId, WishKind, WishQuery, WishStatus};

use crate::api;
use crate::app::ListUrl;
use crate::china_time::today;
use crate::components::{ChipGroup, LiveWishList, LoadError, ProgressBar};
use crate::filters::{list_url, query_from_params};
use crate::i18n::t;
use crate::state::use_data;
use crate::sync::use_sync;

/// How many wish cards the list paints at first, and adds per "show more".
const LIST_PAGE: usize = 40;

/// `/`: the community's wishes, with search and filter chips.
#[component]
pub fn WishListPage() -> impl IntoView {
    let t = t();
    let params = use_query_map();
    let query = Memo::new(move |_| params.with(query_from_params));
    if let Some(list) = use_context::<ListUrl>() {
        Effect::new(move |_| list.remember(list_url(&query.get())));
    }
    let navigate = use_navigate();
    // Changes one filter by moving to the URL of the new filters (replacing the history
    // entry, so "back" leaves the list instead of stepping through filter clicks).
    let show = Callback::new(move |next: WishQuery| {
        let options = NavigateOptions {
            replace: true,
            scroll: false,
            ..Default::default()
        };
        navigate(&list_url(&next), options);
    });
    // Everything below is read from the device's cache, filtered with core's rules (the
    // same the server's query uses): it shows at once, offline too, and follows each sync.
    // The list is of ids: a pull that changes a wish re-renders that wish's card only.
    let sync = use_sync();
    let data = use_data();
    let wishes = Memo::new(move |_| {
        let query = query.get();
        let mut found = data
            .wishes
            .select_placed(|wish| query.matches(wish).then(|| WishQuery::sort_key(wish)));
        found.sort();
        found
            .into_iter()
            .map(|(_, _, id)| id)
            .collect::<Vec<WishId>>()
    });
    // Rebuilt only when this changes, not on every sync status.
    let phase = Memo::new(move |_| {
        if data.loaded.get() && data.synced.get() {
            Phase::Ready
        } else {
            match data.status.get() {
                SyncStatus::Failed => Phase::Unreachable(t.err_server),
                SyncStatus::Offline(_) => Phase::Unreachable(t.err_unreachable),
                _ => Phase::Loading,
            }
        }
    });
    let shown = RwSignal::new(LIST_PAGE);
    // New filters start again from the top of the list.
    Effect::new(move |_| {
        query.track();
        shown.set(LIST_PAGE);
    });
    let grids = Memo::new(move |_| data.grids.values(|_| true));
    let campaigns = Memo::new(move |_| {
        // Ongoing means running today: an ended drive stays on its own page, not here.
        let today = today();
        let mut campaigns: Vec<PublicCampaign> =
            data.campaigns.values(|campaign| campaign.is_running(today));
        campaigns.sort_by_key(|campaign| std::cmp::Reverse(campaign.id));
        campaigns
    });
    // Counted as the server's summary counts them (core's `stats`), from the cache.
    let open = Memo::new(move |_| {
        let wishes = data.wishes.select(|wish| Some(CountedWish::of(wish)));
        let need = open_need(&wishes);
        (need.wishes, need.units)
    });
    // Households helped and pledged goods come from the server (when it is reachable).
    let stats = LocalResource::new(api::stats);
    // The server's first screen (in the shell) stays until this page can take its place as it
    // is: with its wishes (or why there are none) and its figures.
    crate::shell::take_over_when(move || {
        phase.get() != Phase::Loading && stats.with(Option::is_some)
    });
    let retry = Callback::new(move |_| {
        sync.wake();
        stats.refetch();
    });

    let kind_chips = vec![
        (None, t.all.to_owned()),
        (Some(WishKind::Item), t.kind(WishKind::Item).to_owned()),
        (
            Some(WishKind::Service),
            t.kind(WishKind::Service).to_owned(),
        ),
    ];
    let category_chips = std::iter::once((None, t.all.to_owned()))
        .chain(
            Category::ALL
                .iter()
                .map(|category| (Some(*category), t.category(*category).to_owned())),
        )
        .collect::<Vec<_>>();
    let status_chips = vec![
        (Some(WishStatus::Open), t.only_open.to_owned()),
        (None, t.all.to_owned()),
    ];

    let today = today();
    view! {
        <header class="hero">
            <p class="hero__community">{t.community}</p>
            <h1 class="hero__title">{t.app_name}</h1>
            <p class="hero__tagline">{t.tagline}</p>
            {move || {
                let (wishes_open, units_needed) = open.get();
                let stats = stats.get().and_then(Result::ok);
                data.synced.get().then(|| view! { <StatsStrip wishes_open units_needed stats /> })
            }}
        </header>

        <ReportEntry />
        {move || stats.get().and_then(Result::ok).map(|stats| view! { <RequestsStrip stats /> })}

        {move || {
            let campaigns = campaigns.get();
            (!campaigns.is_empty()).then(|| view! { <CampaignStrip campaigns /> })
        }}

        <section class="filters" aria-label=t.search>
            <SearchBox
                search=Signal::derive(move || query.get().q.unwrap_or_default())
                on_search=Callback::new(move |q| show.run(WishQuery { q: Some(q), ..query.get_untracked() }))
            />
            <ChipGroup
                label=t.filter_kind
                options=kind_chips
                selected=Signal::derive(move || query.get().kind)
                on_select=Callback::new(move |kind| show.run(WishQuery { kind, ..query.get_untracked() }))
            />
            {move || {
                let mut grids = grids.get();
                grids.sort_by(|a, b| a.id.cmp(&b.id));
                (!grids.is_empty())
                    .then(|| {
                        let options = std::iter::once((None, t.all.to_owned()))
                            .chain(grids.into_iter().map(|grid| (Some(grid.id), grid.name)))
                            .collect::<Vec<_>>();
                        view! {
                            <ChipGroup
                                label=t.filter_grid
                                options
                                selected=Signal::derive(move || query.get().grid)
                                on_select=Callback::new(move |grid| show.run(WishQuery { grid, ..query.get_untracked() }))
                            />
                        }
                    })
            }}
            <ChipGroup
                label=t.filter_category
                options=category_chips
                selected=Signal::derive(move || query.get().category)
                on_select=Callback::new(move |category| show.run(WishQuery { category, ..query.get_untracked() }))
            />
            <ChipGroup
                label=t.filter_status
                options=status_chips
                selected=Signal::derive(move || query.get().status)
                on_select=Callback::new(move |status| show.run(WishQuery { status, ..query.get_untracked() }))
            />
        </section>

        <section class="results" aria-live="polite">
            {move || {
                match phase.get() {
                    Phase::Ready => {
                        // A long list paints a screenful first; more on request.
                        let total = move || wishes.with(Vec::len);
                        let visible = Signal::derive(move || {
                            wishes.with(|ids| ids.iter().take(shown.get()).copied().collect::<Vec<_>>())
                        });
                        let more = move || {
                            let (total, showing) = (total(), visible.with(Vec::len));
                            (total > showing).then(|| view! {
                                <button
                                    class="button button--wide results__more"
                                    on:click=move |_| shown.update(|shown| *shown += LIST_PAGE)
                                >
                                    {format!("{} ({}/{})", t.show_more, showing, total)}
                                </button>
                            })
                        };
                        view! {
                            <p class="results__count">{move || format!("{} {}", total(), t.results)}</p>
                            <LiveWishList ids=visible today />
                            {more}
                        }
                        .into_any()
                    }
                    // Nothing cached yet and no server: say so, and offer to try again.
                    Phase::Unreachable(message) => {
                        view! { <LoadError message on_retry=retry /> }.into_any()
                    }
                    Phase::Loading => view! {
                        <p class="loading">{t.loading}</p>
                        <div class="skeleton-list" aria-hidden="true">
                            <div class="skeleton-card"></div>
                            <div class="skeleton-card"></div>
                            <div class="skeleton-card"></div>
                        </div>
                    }
                    .into_any(),
                }
            }}
        </section>
        <footer class="privacy-note">{t.privacy_note}</footer>
    }
}

/// What the results section shows.
#[derive(Clone, Copy, PartialEq)]
enum Phase {
    Loading,
    Ready,
    /// Nothing cached yet and the server out of reach: why.
    Unreachable(&'static str),
}

/// The search box. Searches on submit (Enter or the button), which also suits
/// Chinese input methods that compose a word over several keystrokes.
#[component]
fn SearchBox(search: Signal<String>, on_search: Callback<String>) -> impl IntoView {
    let t = t();
    let draft = RwSignal::new(search.get_untracked());
    // A search changed elsewhere (back button, a shared link) shows in the box.
    Effect::new(move |_| draft.set(search.get()));
    view! {
        <form
            class="search"
            role="search"
            on:submit=move |ev| {
                ev.prevent_default();
                on_search.run(draft.get_untracked().trim().to_owned());
            }
        >
            <input
                class="search__input"
                type="search"
                enterkeyhint="search"
                placeholder=t.search_placeholder
                aria-label=t.search
                prop:value=move || draft.get()
                on:input=move |ev| draft.set(event_target_value(&ev))
            />
            <button class="button search__button" type="submit">{t.search}</button>
            <Show when=move || !search.get().is_empty()>
                <button
                    class="button button--quiet"
                    type="button"
                    on:click=move |_| {
                        draft.set(String::new());
                        on_search.run(String::new());
                    }
                >
                    {t.clear}
                </button>
            </Show>
        </form>
    }
}

/// Open wishes and units still needed (from the cache); households helped and pledged
/// goods (from the server, left out when it cannot be reached).
#[component]
fn StatsStrip(wishes_open: u32, units_needed: u32, stats: Option<Stats>) -> impl IntoView {
    let t = t();
    // These two come from the server: offline they stay in place, as a dash, rather than
    // vanishing and moving the others.
    let (helped, pledged) = match stats {
        Some(stats) => (
            stats.households_helped.to_string(),
            stats.pledged_units.to_string(),
        ),
        None => ("–".to_owned(), "–".to_owned()),
    };
    let server = view! {
        <div><dt>{helped}</dt><dd>{t.stats_helped}</dd></div>
        <div><dt>{pledged}</dt><dd>{t.stats_pledged}</dd></div>
    };
    view! {
        <dl class="stats">
            <div><dt>{wishes_open}</dt><dd>{t.stats_open}</dd></div>
            <div><dt>{units_needed}</dt><dd>{t.stats_units}</dd></div>
            {server}
        </dl>
    }
}

/// 我要反映, for anyone signed in but workers (they log requests from their inbox).
#[component]
fn ReportEntry() -> impl IntoView {
    let t = t();
    let session = crate::session::use_session();
    move || {
        session
            .user()
            .filter(|me| me.role != microwish_core::Role::Worker)
            .map(|_| {
                view! {
                    <a class="report-entry" href="/requests/new">
                        <span class="report-entry__title">{t.requests.report}</span>
                        <span class="report-entry__hint">{t.requests.report_hint}</span>
                    </a>
                }
            })
    }
}

/// The residents' requests in numbers (counts and rates only), with the board of fixed ones.
#[component]
fn RequestsStrip(stats: Stats) -> impl IntoView {
    let t = t();
    let requests = stats.requests;
    view! {
        <section class="requests-strip" aria-label=t.board.summary_title>
            <h2 class="section-title">{t.board.summary_title}</h2>
            <dl class="stats stats--requests">
                <div><dt>{requests.total}</dt><dd>{t.board.filed}</dd></div>
                <div><dt>{requests.resolved}</dt><dd>{t.board.resolved}</dd></div>
                <div><dt>{t.rate(requests.response_rate)}</dt><dd>{t.board.response_rate}</dd></div>
                <div><dt>{t.rate(requests.satisfaction_rate)}</dt><dd>{t.board.satisfaction_rate}</dd></div>
            </dl>
            <a class="button button--quiet requests-strip__board" href="/board">{format!("{} ›", t.board.link)}</a>
        </section>
    }
}

#[component]
fn CampaignStrip(campaigns: Vec<PublicCampaign>) -> impl IntoView {
    let t = t();
    view! {
        <section class="campaigns" aria-label=t.campaigns>
            <h2 class="section-title">{t.campaigns}</h2>
            <div class="campaigns__row">
                {campaigns
                    .into_iter()
                    .map(|campaign| {
                        view! {
                            <a class="campaign-card" href=format!("/campaigns/{}", campaign.id)>
                                <span class="campaign-card__title">{campaign.title.clone()}</span>
                                <ProgressBar
                                    done=campaign.progress.units_claimed
                                    total=campaign.target_units()
                                    label=t.progress_claimed
                                />
                                <span class="campaign-card__meta">
                                    {
                                        // The goal in its own unit when it has one: "已认领 12 / 目标 30 个书包".
                                        let progress = if campaign.goal > 0 {
                                            t.campaign_goal(campaign.progress.units_claimed, campaign.goal, &campaign.unit)
                                        } else {
                                            format!("{} {}%", t.progress_claimed, campaign.progress.claimed_percent())
                                        };
                                        format!("{progress} · {} {}", campaign.progress.wishes, t.results)
                                    }
                                </span>
                            </a>
                        }
                    })
                    .collect_view()}
            </div>
        </section>
    }
}
