use leptos::prelude::*;
use microwish_core::{ClaimView, Me, Role};

use crate::components::{LiveClaim, LoginRedirect};
use crate::i18n::{fill, t};
use crate::session::use_session;
use crate::state::use_data;
use microwish_core::engine::SessionState;

/// `/me/claims` "我的认领": the logged-in user's claims, newest first, each with what to
/// do next — from the device's cache, so it works offline; logged-out visitors are sent
/// to log in first.
#[component]
pub fn MyClaimsPage() -> impl IntoView {
    let t = t();
    let session = use_session();
    view! {
        <header class="page-head">
            <h1 class="page-head__title">{t.claim.my_title}</h1>
        </header>
        {move || match session.state() {
            SessionState::Checking => view! { <p class="loading">{t.loading}</p> }.into_any(),
            SessionState::LoggedOut => view! { <LoginRedirect /> }.into_any(),
            SessionState::LoggedIn(me) => view! { <MyClaims me /> }.into_any(),
        }}
    }
}

#[component]
fn MyClaims(me: Me) -> impl IntoView {
    let t = t();
    let data = use_data();
    let me_id = me.id;
    let claims = Memo::new(move |_| {
        let mut mine: Vec<ClaimView> = data.claims.values(|claim| claim.claimer_id == me_id);
        mine.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
        mine
    });
    let loaded = move || data.loaded.get();
    let volunteer_time = (me.role == Role::Volunteer).then(|| {
        let time = t.duration(me.volunteer_minutes);
        view! { <p class="page-head__sub">{fill(t.claim.volunteer_time, &[("time", time)])}</p> }
    });
    view! {
        {volunteer_time}
        <section class="claims" aria-live="polite">
            {move || {
                let claims = claims.get();
                if !loaded() {
                    view! { <p class="loading">{t.loading}</p> }.into_any()
                } else if claims.is_empty() {
                    view! {
                        <div class="empty">
                            <p class="empty__title">{t.claim.empty}</p>
                            <a class="button" href="/">{t.claim.browse}</a>
                        </div>
                    }
                    .into_any()
                } else {
                    view! {
                        <ul class="claim-list">
                            {claims
                                .into_iter()
                                .map(|claim| view! { <li><LiveClaim claim as_worker=false /></li> })
                                .collect_view()}
                        </ul>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
