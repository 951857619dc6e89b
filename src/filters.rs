//! The wish-list filters live in the page's URL (`/?kind=service&grid=grid-4&q=书包`), so a
//! filtered list survives a reload, can be shared as a link, and is restored by "back"; so do
//! the workers' inbox filters ([`InboxFilters`]).

use chrono::{DateTime, Utc};
use leptos_router::params::ParamsMap;
use microwish_core::{
    GridId, RequestCategory, RequestQuery, RequestStatus, RequestView, WishQuery,
};

/// The `status` value that asks for every public status (core's rule for list URLs).
pub const ALL_STATUSES: &str = WishQuery::ALL_STATUSES;

/// The filters a list URL's query holds (core's [`WishQuery::from_list_params`]).
pub fn query_from_params(params: &ParamsMap) -> WishQuery {
    WishQuery::from_list_params(|key| params.get(key))
}

/// The list URL for `query`, e.g. `/?kind=service`; the default filters give `/`.
pub fn list_url(query: &WishQuery) -> String {
    let mut params = ParamsMap::new();
    for (key, value) in query.list_params() {
        params.insert(key, value);
    }
    format!("/{}", params.to_query_string())
}

/// The workers' inbox filters, in its URL (`/worker/requests?status=all&grid=grid-2&overdue=1`):
/// open requests unless another status (or all) is asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InboxFilters {
    /// `None`: every open request; `Some(None)`: every request; else one status.
    pub status: Option<Option<RequestStatus>>,
    pub grid: Option<GridId>,
    pub category: Option<RequestCategory>,
    pub overdue: bool,
}

/// The `status` value that asks for the open requests (the inbox's default).
pub const OPEN_STATUSES: &str = "open";

impl InboxFilters {
    /// The filters an inbox URL's query holds; what it cannot read is left out.
    pub fn from_params(params: &ParamsMap) -> InboxFilters {
        let text = |key: &str| {
            params
                .get(key)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        InboxFilters {
            status: match text("status").as_deref() {
                None | Some(OPEN_STATUSES) => None,
                Some(ALL_STATUSES) => Some(None),
                Some(other) => other.parse().ok().map(Some),
            },
            grid: text("grid").map(|grid| grid.as_str().into()),
            category: text("category").and_then(|v| v.parse().ok()),
            overdue: text("overdue").is_some_and(|v| v == "1" || v == "true"),
        }
    }

    /// The inbox URL for these filters; the default gives `/worker/requests`.
    pub fn url(&self) -> String {
        let mut params = ParamsMap::new();
        match self.status {
            None => {}
            Some(None) => params.insert("status", ALL_STATUSES.to_owned()),
            Some(Some(status)) => params.insert("status", status.to_string()),
        }
        if let Some(grid) = &self.grid {
            params.insert("grid", grid.to_string());
        }
        if let Some(category) = self.category {
            params.insert("category", category.to_string());
        }
        if self.overdue {
            params.insert("overdue", "1".to_owned());
        }
        format!("/worker/requests{}", params.to_query_string())
    }

    /// Whether `request` is one the inbox shows at `now` (core's query, and open ones only
    /// unless a status or all were asked for).
    pub fn matches(&self, request: &RequestView, now: DateTime<Utc>) -> bool {
        let query = RequestQuery {
            status: self.status.flatten(),
            grid: self.grid.clone(),
            category: self.category,
            overdue: self.overdue.then_some(true),
            ..RequestQuery::default()
        };
        query.matches(request, now) && (self.status.is_some() || request.status.is_open())
    }
}
