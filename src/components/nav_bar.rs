use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate};
use microwish_core::Role;

use microwish_core::engine::{SessionState, Unsent};

use crate::components::LogoutPrompt;
use crate::i18n::t;
use crate::session::{self, login_url, register_url, safe_next, use_session, LogOutChoice};
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
    // Changes not sent yet when the user asked to log out: they choose what happens.
    let unsent = RwSignal::new(None::<usize>);
    let navigate = use_navigate();
    let logout = Action::new_local(move |choice: &Option<LogOutChoice>| {
        let choice = *choice;
        async move {
            match choice {
                None => session::log_out(sync).await.map_err(|Unsent(n)| n),
                Some(choice) => {
                    session::log_out_with(sync, choice).await;
                    Ok(())
                }
            }
        }
    });
    Effect::new(move |_| match logout.value().get() {
        Some(Ok(())) => {
            unsent.set(None);
            navigate("/", Default::default());
        }
        Some(Err(n)) => unsent.set(Some(n)),
        None => {}
    });

    view! {
        <LogoutPrompt
            unsent
            on_choice=Callback::new(move |choice| {
                logout.dispatch(Some(choice));
            })
        />
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
                            <A href="/worker/households" attr:class="tabbar__item tabbar__households">{t.nav.households}</A>
                            <A href="/worker" exact=true attr:class="tabbar__item tabbar__console">{t.nav.console}</A>
                        }.into_any()),
                        Role::Shopkeeper => Some(view! {
                            <A href="/shop" attr:class="tabbar__item tabbar__donations">{t.nav.donations}</A>
                        }.into_any()),
                    };
                    view! {
                        {own_page}
                        <div class="tabbar__item tabbar__account">
                            <span class="tabbar__user">{me.display_name.to_string()}</span>
                            <button
                                type="button"
                                class="tabbar__logout"
                                disabled=move || logout.pending().get()
                                on:click=move |_| {
                                    logout.dispatch(None);
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
