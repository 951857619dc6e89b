//! `/worker/households/new` and `/worker/households/:id`: a worker registers or edits a
//! household; an existing one also shows its wishes ([`wishes`]) and who read its record
//! ([`records`]). The form is [`form`].

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use microwish_core::{HouseholdId, Me};

use crate::components::WorkerOnly;
use crate::i18n::t;
use crate::pages::not_cached;
use crate::state::use_data;

mod form;
mod records;
mod wishes;

use form::HouseholdForm;
use records::HouseholdRecords;
use wishes::HouseholdWishes;

/// Which household the page is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    New,
    Existing(HouseholdId),
    /// A malformed id in the address.
    Unknown,
}

/// `/worker/households/new` and `/worker/households/:id`: register or edit a household, with
/// its wishes and who read its record. Workers only. Works offline: the change is queued and
/// the household shows at once.
#[component]
pub fn HouseholdPage() -> impl IntoView {
    let t = t();
    let params = use_params_map();
    let target = Memo::new(move |_| match params.read().get_str("id") {
        None | Some("new") => Target::New,
        Some(id) => id.parse().map_or(Target::Unknown, Target::Existing),
    });
    view! {
        <nav class="topbar">
            <a class="topbar__back" href="/worker/households">{format!("‹ {}", t.households.back)}</a>
        </nav>
        <WorkerOnly children=move |me| {
            move || match target.get() {
                Target::New => view! {
                    <header class="page-head">
                        <h1 class="page-head__title">{t.households.new_title}</h1>
                    </header>
                    <div class="page worker-page">
                        <HouseholdForm me=me.clone() current=None />
                    </div>
                }
                .into_any(),
                Target::Existing(id) => view! { <ExistingHousehold id me=me.clone() /> }.into_any(),
                Target::Unknown => view! {
                    <section class="page not-found"><p>{t.households.not_found}</p></section>
                }
                .into_any(),
            }
        } />
    }
}

/// A registered household: its form, its wishes and its record's log, once the cache has it.
#[component]
fn ExistingHousehold(id: HouseholdId, me: Me) -> impl IntoView {
    let t = t();
    let data = use_data();
    // Rendered once per household: a pull changing it updates the sections, not the form
    // being typed into.
    let cached = Memo::new(move |_| data.households.signal(&id).is_some());
    move || {
        if cached.get() {
            let Some(household) = untrack(|| data.households.signal(&id)) else {
                return ().into_any();
            };
            let current = Signal::derive(move || household.get());
            view! {
                <header class="page-head">
                    <h1 class="page-head__title">{move || current.with(|household| household.name.clone())}</h1>
                </header>
                <div class="page worker-page">
                    <HouseholdForm me=me.clone() current=Some(current) />
                    <HouseholdWishes current />
                    <HouseholdRecords id updated=Signal::derive(move || current.with(|household| household.updated_at)) />
                    <p class="privacy-note">{t.households.private_note}</p>
                </div>
            }
            .into_any()
        } else {
            not_cached(t.households.not_found)
        }
    }
}
