//! `/worker/wishes/new?household=ID` and `/worker/wishes/:id`: a worker posts or edits a wish
//! on a household's behalf (`&request=ID`: the wish answers a resident's request, which is
//! tied to it once posted). The page finds the household or the wish in the cache; the form
//! is [`form`], what it holds and the commands it makes are [`draft`].

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use microwish_core::{HouseholdId, Me, RequestId, WishId};

use crate::components::WorkerOnly;
use crate::i18n::{fill, t};
use crate::pages::not_cached;
use crate::state::use_data;

mod close;
mod draft;
mod form;

use form::WishForm;

/// Which wish the page is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// A new wish for this household (`?household=ID`).
    New(Option<HouseholdId>, Option<RequestId>),
    Existing(WishId),
    /// A malformed id in the address.
    Unknown,
}

/// `/worker/wishes/new?household=ID` and `/worker/wishes/:id`: post a wish on a household's
/// behalf (a draft or published), edit, publish or cancel it. Workers only. Works offline:
/// the change is checked by core's rules over the cache, queued, and shown at once.
#[component]
pub fn WishFormPage() -> impl IntoView {
    let t = t();
    let params = use_params_map();
    let query = use_query_map();
    let target = Memo::new(move |_| match params.read().get_str("id") {
        None | Some("new") => {
            let query = query.read();
            Target::New(
                query.get_str("household").and_then(|id| id.parse().ok()),
                query.get_str("request").and_then(|id| id.parse().ok()),
            )
        }
        Some(id) => id.parse().map_or(Target::Unknown, Target::Existing),
    });
    view! {
        <WorkerOnly children=move |me| {
            move || match target.get() {
                Target::New(Some(household), request) => view! { <NewWish household request me=me.clone() /> }.into_any(),
                Target::Existing(id) => view! { <ExistingWish id me=me.clone() /> }.into_any(),
                Target::New(None, request) => view! { <ChooseHousehold request /> }.into_any(),
                Target::Unknown => view! {
                    <TopBar household=None />
                    <section class="page not-found"><p>{t.wish_form.household_not_found}</p></section>
                }
                .into_any(),
            }
        } />
    }
}

/// `/worker/wishes/new` without a household (from 工作台): whom the wish is for, from the
/// community's households in the cache, each leading to its form.
#[component]
fn ChooseHousehold(request: Option<RequestId>) -> impl IntoView {
    let t = t();
    let data = use_data();
    let grid_name = move |id| {
        data.grids
            .get(&id)
            .map(|grid| grid.name)
            .unwrap_or_default()
    };
    // By grid, then by name: as the households page lists them.
    let households = Memo::new(move |_| {
        let mut households = data.households.values(|_| true);
        households.sort_by_cached_key(|household| {
            (grid_name(household.grid.clone()), household.name.clone())
        });
        households
    });
    let form_url = move |household: HouseholdId| match request {
        Some(request) => format!("/worker/wishes/new?household={household}&request={request}"),
        None => format!("/worker/wishes/new?household={household}"),
    };
    view! {
        <nav class="topbar">
            <a class="topbar__back" href="/worker">{format!("‹ {}", t.back_to_console)}</a>
        </nav>
        <section class="page choose-household">
            <h1 class="page-title">{t.wish_form.choose_household}</h1>
            {move || {
                let households = households.get();
                if households.is_empty() {
                    view! {
                        <p class="empty">{t.wish_form.no_households}</p>
                        <a class="button button--wide" href="/worker/households/new">{t.wish_form.add_household}</a>
                    }
                    .into_any()
                } else {
                    view! {
                        <ul class="console choose-household__list">
                            {households
                                .into_iter()
                                .map(|household| view! {
                                    <li>
                                        <a class="console__link choose-household__link" href=form_url(household.id)>
                                            <span>{household.name}</span>
                                            <span class="choose-household__grid">{grid_name(household.grid)}</span>
                                        </a>
                                    </li>
                                })
                                .collect_view()}
                        </ul>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}

/// Back to the household (or to the list when the household is not known).
#[component]
fn TopBar(household: Option<HouseholdId>) -> impl IntoView {
    let t = t();
    let (href, label) = match household {
        Some(id) => (format!("/worker/households/{id}"), t.wish_form.back),
        None => ("/worker/households".to_owned(), t.households.back),
    };
    view! {
        <nav class="topbar">
            <a class="topbar__back" href=href>{format!("‹ {label}")}</a>
        </nav>
    }
}

/// What the page says when the cache lacks the household or the wish, under a way back.
fn not_in_cache(gone: &'static str) -> AnyView {
    view! {
        <TopBar household=None />
        {not_cached(gone)}
    }
    .into_any()
}

/// A new wish for a household of the cache (answering `request`, when it is one).
#[component]
fn NewWish(household: HouseholdId, request: Option<RequestId>, me: Me) -> impl IntoView {
    let t = t();
    let data = use_data();
    let answering = move || {
        request
            .and_then(|id| data.requests.get(&id))
            .map(|request| {
                fill(
                    t.request_work.converting,
                    &[("what", t.request_category(request.category).to_owned())],
                )
            })
    };
    let cached = Memo::new(move |_| data.households.signal(&household).is_some());
    move || {
        if let Some(found) = cached
            .get()
            .then(|| untrack(|| data.households.get(&household)))
            .flatten()
        {
            view! {
                <TopBar household=Some(household) />
                <header class="page-head">
                    <h1 class="page-head__title">{t.wish_form.title_new}</h1>
                </header>
                <p class="page-head__sub">{fill(t.wish_form.for_household, &[("name", found.name.clone())])}</p>
                // Redrawn on its own: the request changes as the wish is tied to it, and the
                // form (waiting to go back to the request) must stay.
                {move || answering().map(|text| view! { <p class="form-note wish-form__converting">{text}</p> })}
                <div class="page worker-page">
                    <WishForm me=me.clone() household=Some(found) existing=None converts=request />
                </div>
            }
            .into_any()
        } else {
            not_in_cache(t.wish_form.household_not_found)
        }
    }
}

/// A wish of the cache, with the household it was posted for (when the cache has it).
#[component]
fn ExistingWish(id: WishId, me: Me) -> impl IntoView {
    let t = t();
    let data = use_data();
    let cached = Memo::new(move |_| data.wishes.signal(&id).is_some());
    move || {
        let signal = cached
            .get()
            .then(|| untrack(|| data.wishes.signal(&id)))
            .flatten();
        let Some(signal) = signal else {
            return not_in_cache(t.wish_not_found);
        };
        let current = Signal::derive(move || signal.get());
        let household = untrack(|| {
            data.households
                .values(|household| household.wishes.contains(&id))
                .into_iter()
                .next()
        });
        let household_id = household.as_ref().map(|household| household.id);
        let sub = household.as_ref().map(|household| {
            fill(
                t.wish_form.for_household,
                &[("name", household.name.clone())],
            )
        });
        view! {
            <TopBar household=household_id />
            <header class="page-head">
                <h1 class="page-head__title">{t.wish_form.title_edit}</h1>
            </header>
            {sub.map(|sub| view! { <p class="page-head__sub">{sub}</p> })}
            <div class="page worker-page">
                <WishForm me=me.clone() household existing=Some(current) />
            </div>
        }
        .into_any()
    }
}
