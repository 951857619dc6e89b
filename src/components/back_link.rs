use leptos::prelude::*;

use crate::app::ListUrl;
use crate::i18n::t;

/// Where an inner page leads back to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Back {
    /// The wish list, as the user left it (filters and all).
    #[default]
    List,
    /// A worker's 工作台.
    Console,
    /// The shops' pledges a worker allocates.
    Pledges,
    /// A shop's 我的捐赠.
    Shop,
    /// 我的 (a volunteer's certificates).
    Me,
}

/// The bar on top of inner pages, leading back to where the page was reached from: the wish
/// list for everyone's pages, the console or the shop's page for theirs.
#[component]
pub fn BackLink(#[prop(optional)] to: Back) -> impl IntoView {
    let t = t();
    let list_url = use_context::<ListUrl>().map(|ListUrl(url)| url);
    let href = move || match to {
        Back::List => list_url
            .map(|url| url.get())
            .unwrap_or_else(|| "/".to_owned()),
        Back::Console => "/worker".to_owned(),
        Back::Pledges => "/worker/pledges".to_owned(),
        Back::Shop => "/shop".to_owned(),
        Back::Me => "/me".to_owned(),
    };
    let label = match to {
        Back::List => t.back_to_list,
        Back::Console => t.back_to_console,
        Back::Pledges => t.back_to_pledges,
        Back::Shop => t.back_to_shop,
        Back::Me => t.back_to_me,
    };
    view! {
        <nav class="topbar">
            <a class="topbar__back" href=href>{format!("‹ {label}")}</a>
        </nav>
    }
}
