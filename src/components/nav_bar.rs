use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;
use microwish_core::Role;

use microwish_core::engine::SessionState;

use crate::i18n::t;
use crate::session::{login_url, register_url, safe_next, use_session};
use crate::state::use_data;

/// The bar at the bottom of every page, where a thumb reaches: the wishes, the user's
/// claims, requests or the workers' queue by role (a resident's 诉求, property staff's
/// 派给我的, a party-member volunteer's 召集), logging in, the signed-in user's 通知 (with how
/// many are unread), and 我的 (the account, settings and logging out).
#[component]
pub fn NavBar() -> impl IntoView {
    let t = t();
    let session = use_session();
    let data = use_data();
    let unread = Memo::new(move |_| data.unread_notices());
    let awaiting = Memo::new(move |_| data.awaiting_worker());
    let location = use_location();
    // Where logging in should come back to: here, or, from the login and registration
    // pages themselves, where they were going to come back to.
    let back_here = move || {
        let path = location.pathname.get();
        if path == "/login" || path == "/register" {
            location
                .query
                .with(|query| safe_next(query.get_str("next")))
        } else {
            let search = location.search.get();
            if search.is_empty() {
                path
            } else {
                format!("{path}?{search}")
            }
        }
    };
    let session_attr = move || match session.state() {
        SessionState::Checking => "checking",
        SessionState::LoggedOut => "out",
        SessionState::LoggedIn(_) => "in",
    };

    view! {
        <nav class="tabbar" aria-label=t.nav.label data-session=session_attr>
            <A href="/" exact=true attr:class="tabbar__item">{t.nav.wishes}</A>
            {move || match session.state() {
                SessionState::Checking => ().into_any(),
                SessionState::LoggedOut => view! {
                    <A href=move || login_url(&back_here()) attr:class="tabbar__item tabbar__login">
                        {t.nav.login}
                    </A>
                    <A href=move || register_url(&back_here()) attr:class="tabbar__item tabbar__register">
                        {t.nav.register}
                    </A>
                }
                .into_any(),
                SessionState::LoggedIn(me) => match me.role {
                    Role::Donor => view! {
                        <A href="/me/claims" attr:class="tabbar__item tabbar__claims">{t.nav.my_claims}</A>
                    }
                    .into_any(),
                    Role::Volunteer => view! {
                        <A href="/me/claims" attr:class="tabbar__item tabbar__claims">{t.nav.my_claims}</A>
                        {me.party_member.then(|| view! {
                            <A href="/calls" attr:class="tabbar__item tabbar__calls">{t.nav.calls}</A>
                        })}
                    }
                    .into_any(),
                    Role::Worker => view! {
                        <A href="/worker/claims" attr:class="tabbar__item tabbar__queue">
                            <span class="tabbar__label">
                                {t.nav.to_confirm}
                                {move || (awaiting.get() > 0).then(|| view! {
                                    <span class="tabbar__badge" aria-hidden="true">{t.badge(awaiting.get())}</span>
                                    <span class="visually-hidden">{t.in_brackets(t.waiting(awaiting.get()))}</span>
                                })}
                            </span>
                        </A>
                        <A href="/worker/households" attr:class="tabbar__item tabbar__households">{t.nav.households}</A>
                        <A href="/worker" exact=true attr:class="tabbar__item tabbar__console">{t.nav.console}</A>
                    }
                    .into_any(),
                    Role::Shopkeeper => view! {
                        <A href="/shop" attr:class="tabbar__item tabbar__donations">{t.nav.donations}</A>
                    }
                    .into_any(),
                    Role::Resident => view! {
                        <A href="/me/requests" attr:class="tabbar__item tabbar__requests">{t.nav.requests}</A>
                    }
                    .into_any(),
                    Role::Property => view! {
                        <A href="/assigned" attr:class="tabbar__item tabbar__assigned">{t.nav.assigned}</A>
                    }
                    .into_any(),
                },
            }}
            {move || session.user().map(|_| view! {
                <A href="/notices" attr:class="tabbar__item tabbar__notices">
                    // The badge sits on the label's corner, taking no room from the other tabs.
                    <span class="tabbar__label">
                        {t.notices.title}
                        {move || (unread.get() > 0).then(|| view! {
                            <span class="tabbar__badge" aria-hidden="true">{t.badge(unread.get())}</span>
                            <span class="visually-hidden">{t.in_brackets(t.unread(unread.get()))}</span>
                        })}
                    </span>
                </A>
            })}
            <A href="/me" exact=true attr:class="tabbar__item tabbar__me">{t.nav.me}</A>
        </nav>
    }
}
