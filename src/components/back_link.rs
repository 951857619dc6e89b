use leptos::prelude::*;

use crate::app::ListUrl;
use crate::i18n::t;

/// The bar on top of inner pages, leading back to the wish list as the user left it.
#[component]
pub fn BackLink() -> impl IntoView {
    let list_url = use_context::<ListUrl>().map(|ListUrl(url)| url);
    let href = move || {
        list_url
            .map(|url| url.get())
            .unwrap_or_else(|| "/".to_owned())
    };
    view! {
        <nav class="topbar">
            <a class="topbar__back" href=href>{format!("‹ {}", t().back_to_list)}</a>
        </nav>
    }
}
