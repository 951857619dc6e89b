use leptos::prelude::*;

use crate::i18n::t;

/// A failed load: what went wrong, in words a person understands, and a way to try again.
#[component]
pub fn LoadError(message: &'static str, on_retry: Callback<()>) -> impl IntoView {
    view! {
        <div class="load-error" role="alert">
            <p class="load-error__message">{message}</p>
            <button class="button" on:click=move |_| on_retry.run(())>{t().retry}</button>
        </div>
    }
}
