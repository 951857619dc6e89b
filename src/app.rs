//! The app: routes, and the state shared by pages, provided once.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

use crate::components::{NavBar, SyncBar};
use crate::pages::{
    AccountPage, AllocatePage, AssignedPage, BoardPage, CallsPage, CampaignEditPage,
    CampaignFormPage, CampaignPage, CertificatePage, ConsolePage, HouseholdPage, HouseholdsPage,
    InboxPage, LoginPage, MyCertificatesPage, MyClaimsPage, MyRequestsPage, NotFound,
    NoticeOpenPage, NoticesPage, PairingsPage, PledgeEditPage, PledgeFormPage, PledgesPage,
    PrivacyPage, RegisterPage, RequestFormPage, RequestPage, ResetPage, ShopPage, ShopThanksPage,
    StationsPage, StatsPage, VolunteersPage, WishDetailPage, WishFormPage, WishListPage,
    WorkerClaimsPage, WorkerShopPage,
};
use crate::session::Session;
use crate::state::Data;
use crate::sync::Sync;
use microwish_core::engine::SessionState;

/// The URL of the wish list as last seen (with its filters), for the "back" links
/// of the detail and campaign pages. Kept in the tab's session storage so that it
/// survives a reload of an inner page.
#[derive(Clone, Copy)]
pub struct ListUrl(pub RwSignal<String>);

impl ListUrl {
    const KEY: &'static str = "microwish.list_url";

    fn storage() -> Option<web_sys::Storage> {
        web_sys::window()?.session_storage().ok()?
    }

    /// The remembered URL, or `/`; only same-site paths are trusted.
    pub fn restore() -> Self {
        let saved = Self::storage()
            .and_then(|storage| storage.get_item(Self::KEY).ok()?)
            .filter(|url| url.starts_with('/') && !url.starts_with("//"))
            .unwrap_or_else(|| "/".to_owned());
        ListUrl(RwSignal::new(saved))
    }

    pub fn remember(&self, url: String) {
        if let Some(storage) = Self::storage() {
            // Storage may be full or disabled (private mode); the link then falls back to memory.
            let _ = storage.set_item(Self::KEY, &url);
        }
        self.0.set(url);
    }
}

/// A page the server drew stays over the app (src/shell.rs) only while the app is on that page:
/// a link tapped meanwhile (the app's router follows links anywhere on the page, the drawn
/// page's too) opens a page the server did not draw, which shows at once.
#[component]
fn LeaveDrawnPage() -> impl IntoView {
    let location = use_location();
    let drawn = location.pathname.get_untracked();
    Effect::new(move |_| {
        if location.pathname.with(|path| *path != drawn) {
            crate::shell::take_over();
        }
    });
}

#[component]
pub fn App() -> impl IntoView {
    provide_context(ListUrl::restore());
    let data = Data::new(SessionState::Checking);
    provide_context(data);
    provide_context(Session(data.session));
    provide_context(Sync::start(data));
    crate::push::forget_at_logout(data);
    view! {
        <Router>
            <LeaveDrawnPage />
            <main class="app">
                <SyncBar />
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=WishListPage />
                    <Route path=path!("/wishes/:id") view=WishDetailPage />
                    <Route path=path!("/campaigns/:id") view=CampaignPage />
                    <Route path=path!("/login") view=LoginPage />
                    <Route path=path!("/register") view=RegisterPage />
                    <Route path=path!("/privacy") view=PrivacyPage />
                    <Route path=path!("/reset") view=ResetPage />
                    <Route path=path!("/me") view=AccountPage />
                    <Route path=path!("/me/claims") view=MyClaimsPage />
                    <Route path=path!("/me/certificates") view=MyCertificatesPage />
                    <Route path=path!("/certificates/:id") view=CertificatePage />
                    <Route path=path!("/worker/claims") view=WorkerClaimsPage />
                    <Route path=path!("/worker/households") view=HouseholdsPage />
                    <Route path=path!("/worker/households/new") view=HouseholdPage />
                    <Route path=path!("/worker/households/:id") view=HouseholdPage />
                    <Route path=path!("/worker/wishes/new") view=WishFormPage />
                    <Route path=path!("/worker/wishes/:id") view=WishFormPage />
                    <Route path=path!("/worker/volunteers") view=VolunteersPage />
                    <Route path=path!("/worker") view=ConsolePage />
                    <Route path=path!("/worker/pledges") view=PledgesPage />
                    <Route path=path!("/worker/pledges/:id") view=AllocatePage />
                    <Route path=path!("/worker/campaigns/new") view=CampaignFormPage />
                    <Route path=path!("/worker/campaigns/:id/edit") view=CampaignEditPage />
                    <Route path=path!("/worker/stats") view=StatsPage />
                    <Route path=path!("/worker/stations") view=StationsPage />
                    <Route path=path!("/worker/pairings") view=PairingsPage />
                    <Route path=path!("/shop") view=ShopPage />
                    <Route path=path!("/shops/:id") view=ShopThanksPage />
                    <Route path=path!("/worker/shops/:id") view=WorkerShopPage />
                    <Route path=path!("/shop/pledges/new") view=PledgeFormPage />
                    <Route path=path!("/shop/pledges/:id/edit") view=PledgeEditPage />
                    <Route path=path!("/requests/new") view=RequestFormPage />
                    <Route path=path!("/requests/:id") view=RequestPage />
                    <Route path=path!("/me/requests") view=MyRequestsPage />
                    <Route path=path!("/worker/requests") view=InboxPage />
                    <Route path=path!("/assigned") view=AssignedPage />
                    <Route path=path!("/calls") view=CallsPage />
                    <Route path=path!("/board") view=BoardPage />
                    <Route path=path!("/notices") view=NoticesPage />
                    <Route path=path!("/notices/:id") view=NoticeOpenPage />
                </Routes>
            </main>
            <NavBar />
        </Router>
    }
}
