use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;
use leptos_router::NavigateOptions;

use crate::session::login_url;

/// Sends a logged-out visitor to the login page, to come back here afterwards. The
/// redirect replaces this page in the history, so "back" does not bounce to the login again.
#[component]
pub fn LoginRedirect() -> impl IntoView {
    let location = use_location();
    let search = location.search.get_untracked();
    let here = if search.is_empty() {
        location.pathname.get_untracked()
    } else {
        format!("{}?{search}", location.pathname.get_untracked())
    };
    let options = NavigateOptions {
        replace: true,
        ..Default::default()
    };
    view! { <Redirect path=login_url(&here) options /> }
}
