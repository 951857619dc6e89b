use leptos::prelude::*;

use crate::i18n::t;

#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <section class="page not-found">
            <h1>{t().not_found_title}</h1>
            <p>{t().not_found_body}</p>
            <a class="button" href="/">{t().back_to_list}</a>
        </section>
    }
}
