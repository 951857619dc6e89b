//! The wish-list filters live in the page's URL (`/?kind=service&grid=grid-4&q=书包`), so a
//! filtered list survives a reload, can be shared as a link, and is restored by "back".

use leptos_router::params::ParamsMap;
use microwish_core::{WishQuery, WishStatus};

/// The `status` value that asks for every public status; no `status` means open wishes only,
/// because donors come to find something still to do.
pub const ALL_STATUSES: &str = "all";

/// The filters a list URL's query holds. Unknown or malformed values are ignored, never an error:
/// a mistyped link still shows wishes.
pub fn query_from_params(params: &ParamsMap) -> WishQuery {
    let text = |key: &str| {
        params
            .get(key)
            .map(|value| value.trim().to_owned())
            .filter(|v| !v.is_empty())
    };
    WishQuery {
        kind: text("kind").and_then(|v| v.parse().ok()),
        grid: text("grid").map(|grid| grid.as_str().into()),
        category: text("category").and_then(|v| v.parse().ok()),
        status: match text("status").as_deref() {
            Some(ALL_STATUSES) => None,
            Some(other) => Some(other.parse().unwrap_or(WishStatus::Open)),
            None => Some(WishStatus::Open),
        },
        q: text("q"),
        ..Default::default()
    }
}

/// The list URL for `query`, e.g. `/?kind=service`; the default filters give `/`.
pub fn list_url(query: &WishQuery) -> String {
    let mut params = ParamsMap::new();
    if let Some(kind) = query.kind {
        params.insert("kind", kind.to_string());
    }
    if let Some(grid) = &query.grid {
        params.insert("grid", grid.to_string());
    }
    if let Some(category) = query.category {
        params.insert("category", category.to_string());
    }
    match query.status {
        Some(WishStatus::Open) => {}
        Some(status) => params.insert("status", status.to_string()),
        None => params.insert("status", ALL_STATUSES.to_owned()),
    }
    if let Some(q) = query.search_text() {
        params.insert("q", q.to_owned());
    }
    format!("/{}", params.to_query_string())
}
