use leptos::prelude::*;

use crate::components::WorkerOnly;
use crate::i18n::t;

/// `/worker/volunteers` 志愿者: pending, approved and suspended volunteers; approve after
/// meeting them, or suspend with a reason. Workers only.
#[component]
pub fn VolunteersPage() -> impl IntoView {
    let t = t();
    view! {
        <header class="page-head">
            <h1 class="page-head__title">{t.volunteers.title}</h1>
        </header>
        <WorkerOnly children=move |_me| view! { <p class="loading">{t.loading}</p> } />
    }
}
