//! `/worker/requests` (诉求): the community's requests for its workers, from the cache — the
//! worker's own grid first (chosen once on this phone), then by the nearest limit (so the
//! overdue lead, and stand out); filtered by status, grid, category and lateness, the filters
//! kept in the URL like the wish list's.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use microwish_core::{GridId, Me, RequestCategory, RequestQuery, RequestStatus, RequestView};

use super::card::RequestCard;
use crate::china_time::now;
use crate::components::{ChipGroup, WorkerOnly};
use crate::filters::InboxFilters;
use crate::i18n::t;
use crate::pages::households::community_grids;
use crate::state::use_data;

/// Where this phone keeps its worker's grid.
const MY_GRID_KEY: &str = "microwish.my_grid";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn saved_grid() -> Option<GridId> {
    storage()
        .and_then(|storage| storage.get_item(MY_GRID_KEY).ok()?)
        .filter(|grid| !grid.is_empty())
        .map(GridId)
}

fn save_grid(grid: Option<&GridId>) {
    if let Some(storage) = storage() {
        let _ = match grid {
            Some(grid) => storage.set_item(MY_GRID_KEY, grid.as_str()),
            None => storage.remove_item(MY_GRID_KEY),
        };
    }
}

#[component]
pub fn InboxPage() -> impl IntoView {
    let t = t();
    view! {
        <header class="page-head">
            <h1 class="page-head__title">{t.request_work.inbox_title}</h1>
        </header>
        <WorkerOnly children=|me: Me| view! { <Inbox me /> } />
    }
}

/// The requests `filters` shows, in the inbox's order: `mine` grid first, then core's.
pub(super) fn inbox_order(
    requests: Vec<RequestView>,
    filters: &InboxFilters,
    mine: Option<&GridId>,
) -> Vec<RequestView> {
    let now = now();
    let mut shown: Vec<RequestView> = requests
        .into_iter()
        .filter(|request| filters.matches(request, now))
        .collect();
    RequestQuery::sort(&mut shown);
    shown.sort_by_key(|request| Some(&request.grid) != mine);
    shown
}

#[component]
fn Inbox(me: Me) -> impl IntoView {
    let t = t();
    let w = &t.request_work;
    let data = use_data();
    let params = use_query_map();
    let filters = Memo::new(move |_| params.with(InboxFilters::from_params));
    let my_grid = RwSignal::new(saved_grid());
    let navigate = use_navigate();
    let show = Callback::new(move |next: InboxFilters| {
        let options = NavigateOptions {
            replace: true,
            scroll: false,
            ..Default::default()
        };
        navigate(&next.url(), options);
    });
    let community = me.community;
    let shown = Memo::new(move |_| {
        let mine = my_grid.get();
        let requests = data.requests.values(|r| Some(r.community) == community);
        filters
            .with(|filters| inbox_order(requests, filters, mine.as_ref()))
            .into_iter()
            .map(|request| request.id)
            .collect::<Vec<_>>()
    });
    let grids = Memo::new(move |_| community_grids(data, community));
    let status_chips = vec![
        (None, w.only_open.to_owned()),
        (
            Some(Some(RequestStatus::Submitted)),
            t.request_status(RequestStatus::Submitted).to_owned(),
        ),
        (
            Some(Some(RequestStatus::Dispatched)),
            t.request_status(RequestStatus::Dispatched).to_owned(),
        ),
        (
            Some(Some(RequestStatus::Resolved)),
            t.request_status(RequestStatus::Resolved).to_owned(),
        ),
        (Some(None), t.all.to_owned()),
    ];
    let category_chips = std::iter::once((None, t.all.to_owned()))
        .chain(
            RequestCategory::ALL
                .iter()
                .map(|&c| (Some(c), t.request_category(c).to_owned())),
        )
        .collect::<Vec<_>>();
    let overdue_chips = vec![
        (None, t.all.to_owned()),
        (Some(true), w.only_overdue.to_owned()),
    ];
    let grid_choice = move || {
        let chosen = my_grid
            .get()
            .map(|grid| grid.to_string())
            .unwrap_or_default();
        std::iter::once((String::new(), t.all.to_owned()))
            .chain(
                grids
                    .get()
                    .into_iter()
                    .map(|grid| (grid.id.to_string(), grid.name)),
            )
            .map(|(value, label)| {
                let selected = value == chosen;
                view! { <option value=value selected=selected>{label}</option> }
            })
            .collect_view()
    };
    view! {
        <div class="page requests inbox">
            <p class="page-head__intro">{w.inbox_intro}</p>
            <a class="button button--quiet inbox__log" href="/requests/new">{format!("+ {}", w.log_for_someone)}</a>
            <label class="field inbox__my-grid">
                <span class="field__label">{w.my_grid}</span>
                <select
                    class="field__input"
                    name="my_grid"
                    on:change=move |ev| {
                        let value = event_target_value(&ev);
                        let grid = (!value.is_empty()).then_some(GridId(value));
                        save_grid(grid.as_ref());
                        my_grid.set(grid);
                    }
                >
                    {grid_choice}
                </select>
                <span class="field__hint">{w.my_grid_hint}</span>
            </label>
            <section class="filters inbox__filters" aria-label=w.inbox_title>
                <ChipGroup
                    label=w.filter_status
                    options=status_chips
                    selected=Signal::derive(move || filters.get().status)
                    on_select=Callback::new(move |status| show.run(InboxFilters { status, ..filters.get_untracked() }))
                />
                {move || {
                    let options = std::iter::once((None, t.all.to_owned()))
                        .chain(grids.get().into_iter().map(|grid| (Some(grid.id), grid.name)))
                        .collect::<Vec<_>>();
                    view! {
                        <ChipGroup
                            label=w.filter_grid
                            options
                            selected=Signal::derive(move || filters.get().grid)
                            on_select=Callback::new(move |grid| show.run(InboxFilters { grid, ..filters.get_untracked() }))
                        />
                    }
                }}
                <ChipGroup
                    label=w.filter_category
                    options=category_chips
                    selected=Signal::derive(move || filters.get().category)
                    on_select=Callback::new(move |category| show.run(InboxFilters { category, ..filters.get_untracked() }))
                />
                <ChipGroup
                    label=w.filter_overdue
                    options=overdue_chips
                    selected=Signal::derive(move || filters.get().overdue.then_some(true))
                    on_select=Callback::new(move |overdue: Option<bool>| show.run(InboxFilters { overdue: overdue.unwrap_or(false), ..filters.get_untracked() }))
                />
            </section>
            <section class="results" aria-live="polite">
                {move || {
                    let ids = shown.get();
                    if !data.loaded.get() {
                        return view! { <p class="loading">{t.loading}</p> }.into_any();
                    }
                    if ids.is_empty() {
                        return view! { <p class="empty">{w.no_match}</p> }.into_any();
                    }
                    view! {
                        <p class="results__count">{t.request_count(ids.len())}</p>
                        <ul class="request-list">
                            {ids.into_iter().map(|id| view! { <li><RequestCard id with_grid=true /></li> }).collect_view()}
                        </ul>
                    }
                    .into_any()
                }}
            </section>
        </div>
    }
}
