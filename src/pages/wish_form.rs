use leptos::prelude::*;

use crate::components::WorkerOnly;
use crate::i18n::t;

/// `/worker/wishes/new?household=ID` and `/worker/wishes/:id`: post a wish on a household's
/// behalf (a draft or published), edit, publish or cancel it. Workers only.
#[component]
pub fn WishFormPage() -> impl IntoView {
    let t = t();
    view! {
        <header class="page-head">
            <h1 class="page-head__title">{t.wish_form.title_new}</h1>
        </header>
        <WorkerOnly children=move |_me| view! { <p class="loading">{t.loading}</p> } />
    }
}
