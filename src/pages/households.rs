use chrono::{Datelike, NaiveDate};
use leptos::prelude::*;
use microwish_core::{CommunityId, Grid, GridId, Household};

use crate::components::WorkerOnly;
use crate::i18n::{fill, t};
use crate::state::{use_data, Data};

/// `/worker/households` 住户: the community's households (private), searchable, with a way
/// to register a new one. Workers only. The list is the device's cache, so it opens and
/// searches offline.
#[component]
pub fn HouseholdsPage() -> impl IntoView {
    let t = t();
    view! {
        <header class="page-head">
            <h1 class="page-head__title">{t.households.title}</h1>
        </header>
        <WorkerOnly children=move |_me| view! { <HouseholdList /> } />
    }
}

/// The households, sorted by grid then name, filtered as the worker types.
#[component]
fn HouseholdList() -> impl IntoView {
    let t = t();
    let data = use_data();
    let search = RwSignal::new(String::new());
    let shown = Memo::new(move |_| {
        let query = search.with(|search| search.trim().to_lowercase());
        let mut households = data
            .households
            .values(|household| matches_search(household, &query));
        households.sort_by_cached_key(|household| {
            (
                grid_order(&household.grid),
                household.name.clone(),
                household.id,
            )
        });
        households
    });
    let list = move || {
        let households = shown.get();
        if !data.loaded.get() {
            view! { <p class="loading">{t.loading}</p> }.into_any()
        } else if data.households.is_empty() {
            view! {
                <div class="empty">
                    <p class="empty__title">{t.households.empty}</p>
                    <p>{t.households.empty_hint}</p>
                </div>
            }
            .into_any()
        } else if households.is_empty() {
            view! { <p class="empty">{t.households.no_match}</p> }.into_any()
        } else {
            view! {
                <p class="results__count">
                    {fill(t.households.count, &[("n", households.len().to_string())])}
                </p>
                <ul class="household-list">
                    {households
                        .into_iter()
                        .map(|household| {
                            let grid = grid_name(data, &household.grid);
                            view! { <HouseholdCard household grid /> }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any()
        }
    };
    view! {
        <div class="page worker-page">
        <div class="household-tools">
            <a class="button household-tools__new" href="/worker/households/new">
                {format!("+ {}", t.households.register)}
            </a>
            <input
                class="search__input household-tools__search"
                type="search"
                name="q"
                enterkeyhint="search"
                aria-label=t.households.search_label
                placeholder=t.households.search_placeholder
                bind:value=search
            />
        </div>
        <section class="households" aria-live="polite">{list}</section>
        </div>
    }
}

/// One household: who, where, how to call them, and where its wishes stand.
#[component]
fn HouseholdCard(household: Household, grid: String) -> impl IntoView {
    let t = t();
    let groups = household
        .groups
        .iter()
        .map(|group| t.group(*group))
        .collect::<Vec<_>>();
    let groups = t.list(&groups);
    let consent = consent_text(&household);
    let dial: String = household
        .phone
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    view! {
        <li class="claim-card household-card" data-id=household.id.to_string()>
            <div class="household-card__head">
                <a class="household-card__name" href=format!("/worker/households/{}", household.id)>
                    {household.name.clone()}
                </a>
                {household
                    .minor
                    .then(|| view! { <span class="badge badge--minor">{t.households.minor_badge}</span> })}
            </div>
            <p class="household-card__address">{household.address.clone()}</p>
            <p class="household-card__meta">
                <span class="household-card__grid">{grid}</span>
                " · "
                <span class="household-card__groups">{groups}</span>
            </p>
            <div class="household-card__bottom">
                <a class="household-card__phone" href=format!("tel:{dial}")>{household.phone.clone()}</a>
                <span
                    class="household-card__consent"
                    class:household-card__consent--missing=!household.consents_to_publish()
                >
                    {consent}
                </span>
                <span class="household-card__wishes">
                    {fill(t.households.wish_count, &[("n", household.wishes.len().to_string())])}
                </span>
            </div>
        </li>
    }
}

/// Whether the search text (lower-cased, trimmed) is in the name, address, phone or notes;
/// a phone number matches however it was spaced.
fn matches_search(household: &Household, query: &str) -> bool {
    if query.is_empty() {
        return true;
    }
    let digits = |text: &str| -> String { text.chars().filter(char::is_ascii_digit).collect() };
    let phone_match = query
        .chars()
        .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
        && !digits(query).is_empty()
        && digits(&household.phone).contains(&digits(query));
    phone_match
        || [
            &household.name,
            &household.address,
            &household.phone,
            &household.notes,
        ]
        .iter()
        .any(|field| field.to_lowercase().contains(query))
}

/// Grids in their natural order (`grid-2` before `grid-10`).
pub fn grid_order(grid: &GridId) -> (String, u64, String) {
    let code = grid.as_str();
    let prefix = code.trim_end_matches(|c: char| c.is_ascii_digit());
    let number = code[prefix.len()..].parse().unwrap_or(0);
    (prefix.to_owned(), number, code.to_owned())
}

/// The grids of the worker's community, in order (tracked).
pub fn community_grids(data: Data, community: Option<CommunityId>) -> Vec<Grid> {
    let mut grids = data.grids.values(|grid| Some(grid.community) == community);
    grids.sort_by_cached_key(|grid| grid_order(&grid.id));
    grids
}

/// A grid's name, or its code while the grids are not known yet (tracked).
pub(super) fn grid_name(data: Data, grid: &GridId) -> String {
    data.grids
        .get(grid)
        .map_or_else(|| grid.to_string(), |grid| grid.name)
}

/// When the household agreed to have its wishes published, or that it has not (yet): where a
/// child lives, a guardian's consent is needed too.
pub(super) fn consent_text(household: &Household) -> String {
    match household.consent_on {
        None => t().households.no_consent.to_owned(),
        Some(_) if !household.consents_to_publish() => {
            t().households.no_guardian_consent.to_owned()
        }
        Some(date) => fill(t().households.consented, &[("date", full_date(date))]),
    }
}

/// "2026年7月3日": a consent may be years old, so the year is written.
fn full_date(date: NaiveDate) -> String {
    fill(
        t().households.date_full,
        &[
            ("y", date.year().to_string()),
            ("m", date.month().to_string()),
            ("d", date.day().to_string()),
        ],
    )
}
