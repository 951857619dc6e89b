use leptos::prelude::*;

use crate::components::WorkerOnly;
use crate::i18n::t;

/// `/worker/households` 住户: the community's households (private), searchable, with a way
/// to register a new one. Workers only.
#[component]
pub fn HouseholdsPage() -> impl IntoView {
    let t = t();
    view! {
        <header class="page-head">
            <h1 class="page-head__title">{t.households.title}</h1>
        </header>
        <WorkerOnly children=move |_me| view! { <p class="loading">{t.loading}</p> } />
    }
}
