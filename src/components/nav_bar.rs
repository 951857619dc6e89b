use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};
use microwish_core::Role;

use crate::api::{self, ApiError};
use crate::i18n::t;
use crate::session::{login_url, register_url, safe_next, use_session, SessionState};
use crate::sync::use_sync;

/// The bar at the bottom of every page, where a thumb reaches: the wishes, the user's
/// claims or the workers' queue by role, and logging in or out.
#[component]
pub fn NavBar() -> impl IntoView {
    let t = t();
    let session = use_session();
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
    let sync = use_sync();
    let logout = Action::new_local(|_: &()| api::logout());
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(()) | Err(ApiError::NotLoggedIn)) = logout.value().get() {
            session.logged_out();
            // Nothing of the user stays on the device.
            leptos::task::spawn_local(sync.switch_user(None));
            navigate("/", Default::default());
        }
    });

    view! {
        <nav class="tabbar" aria-label=t.nav.label>
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
                SessionState::LoggedIn(me) => {
                    let own_page = match me.role {
                        Role::Donor | Role::Volunteer => Some(view! {
                            <A href="/me/claims" attr:class="tabbar__item tabbar__claims">{t.nav.my_claims}</A>
                        }.into_any()),
                        Role::Worker => Some(view! {
                            <A href="/worker/claims" attr:class="tabbar__item tabbar__queue">{t.nav.to_confirm}</A>
                        }.into_any()),
                        Role::Shopkeeper => None,
                    };
                    view! {
                        {own_page}
                        <div class="tabbar__item tabbar__account">
                            <span class="tabbar__user">{me.display_name}</span>
                            <button
                                type="button"
                                class="tabbar__logout"
                                disabled=move || logout.pending().get()
                                on:click=move |_| {
                                    logout.dispatch(());
                                }
                            >
                                {t.nav.logout}
                            </button>
                        </div>
                    }
                    .into_any()
                }
            }}
        </nav>
    }
}
