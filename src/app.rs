//! The app: routes, and the state shared by pages, provided once.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use microwish_core::{Category, WishKind, WishQuery, WishStatus};

use crate::pages::{CampaignPage, NotFound, WishDetailPage, WishListPage};

/// The wish-list filters. Kept above the routes so they survive a visit to a detail page.
#[derive(Clone, Copy)]
pub struct Filters {
    pub kind: RwSignal<Option<WishKind>>,
    pub grid: RwSignal<Option<String>>,
    pub category: RwSignal<Option<Category>>,
    pub status: RwSignal<Option<WishStatus>>,
    pub search: RwSignal<String>,
}

impl Filters {
    pub fn new() -> Self {
        Filters {
            kind: RwSignal::new(None),
            grid: RwSignal::new(None),
            category: RwSignal::new(None),
            // Donors come to find something to do: open wishes first.
            status: RwSignal::new(Some(WishStatus::Open)),
            search: RwSignal::new(String::new()),
        }
    }

    /// The server query for the current filters (reactive: tracks every filter).
    pub fn query(&self) -> WishQuery {
        WishQuery {
            kind: self.kind.get(),
            grid: self.grid.get(),
            category: self.category.get(),
            status: self.status.get(),
            q: Some(self.search.get()).filter(|q| !q.trim().is_empty()),
            ..Default::default()
        }
    }
}

impl Default for Filters {
    fn default() -> Self {
        Self::new()
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_context(Filters::new());
    view! {
        <Router>
            <main class="app">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=WishListPage />
                    <Route path=path!("/wishes/:id") view=WishDetailPage />
                    <Route path=path!("/campaigns/:id") view=CampaignPage />
                </Routes>
            </main>
        </Router>
    }
}
