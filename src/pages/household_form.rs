use leptos::prelude::*;

use crate::components::WorkerOnly;
use crate::i18n::t;

/// `/worker/households/new` and `/worker/households/:id`: register or edit a household, with
/// its wishes and who read its record. Workers only.
#[component]
pub fn HouseholdPage() -> impl IntoView {
    let t = t();
    view! {
        <header class="page-head">
            <h1 class="page-head__title">{t.households.title}</h1>
        </header>
        <WorkerOnly children=move |_me| view! { <p class="loading">{t.loading}</p> } />
    }
}
