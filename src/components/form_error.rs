use leptos::prelude::*;

/// Why a form was refused, above its submit button; nothing when all is well.
#[component]
pub fn FormError(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    move || {
        message
            .get()
            .map(|message| view! { <p class="form-error" role="alert">{message}</p> })
    }
}
