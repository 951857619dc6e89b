//! `/me` (我的): who is signed in (the full name the tab bar has no room for), a way to report
//! something and to their requests, their notices' alerts ([`notices`]), this device's language
//! and elder mode, and logging out. Visitors get the settings and a way in.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use microwish_core::account::AccountDeletion;
use microwish_core::engine::{SessionState, SyncStatus, Unsent};
use microwish_core::{Field, Role};

use crate::api;
use crate::components::{FieldMessages, FormError, LogoutPrompt};
use crate::i18n::{t, LANGUAGES};
use crate::pages::{failure, field_errors};
use crate::prefs;
use crate::session::{self, login_url, register_url, use_session, LogOutChoice};
use crate::state::use_data;
use crate::sync::use_sync;

mod notices;
mod security;
mod vetting;

use notices::NoticeSettings;
use security::Security;
use vetting::VolunteerStanding;

#[component]
pub fn AccountPage() -> impl IntoView {
    let t = t();
    let session = use_session();
    view! {
        <section class="page account">
            <h1 class="page-title">{t.account.me_title}</h1>
            {move || match session.state() {
                SessionState::Checking => view! { <p class="loading">{t.loading}</p> }.into_any(),
                SessionState::LoggedOut => view! {
                    <div class="account__card">
                        <p>{t.account.visitor_intro}</p>
                        <div class="form-actions">
                            <A href=login_url("/me") attr:class="button account__login">{t.nav.login}</A>
                            <A href=register_url("/me") attr:class="button button--quiet account__register">
                                {t.nav.register}
                            </A>
                        </div>
                    </div>
                }
                .into_any(),
                SessionState::LoggedIn(me) => view! {
                    <dl class="account__card account__who">
                        <dt class="account__name">{me.display_name.to_string()}</dt>
                        <dd class="account__role">{t.role(me.role)}</dd>
                        <dd class="account__phone">
                            {t.account.phone_shown}" "{me.phone.to_string()}" · "
                            <span class=if me.phone_verified { "account__verified" } else { "account__unverified" }>
                                {if me.phone_verified { t.phone.verified } else { t.phone.unverified }}
                            </span>
                        </dd>
                        {(me.role == Role::Volunteer).then(|| view! {
                            <dd>{t.account.volunteer_time}" "{t.duration(me.volunteer_minutes)}</dd>
                        })}
                    </dl>
                    {(me.role == Role::Volunteer).then(|| view! { <VolunteerStanding me=me.clone() /> })}
                    {(me.role != Role::Worker).then(|| view! {
                        <div class="account__card account__requests">
                            <a class="button button--wide account__report" href="/requests/new">{t.requests.report}</a>
                            <a class="button button--quiet button--wide account__my-requests" href="/me/requests">
                                {t.requests.my_link}
                            </a>
                        </div>
                    })}
                    <NoticeSettings role=me.role />
                    <Security me=me.clone() />
                }
                .into_any(),
            }}
            <h2 class="section-title">{t.account.settings}</h2>
            <Settings />
            {move || session.user().map(|_| view! { <LogOut /> <DeleteAccount /> })}
        </section>
    }
}

/// Language and elder mode, for this device.
#[component]
fn Settings() -> impl IntoView {
    let t = t();
    let elder = RwSignal::new(prefs::elder_mode());
    view! {
        <div class="account__card account__settings">
            <fieldset class="account__languages">
                <legend>{t.account.language}</legend>
                {LANGUAGES
                    .into_iter()
                    .map(|language| view! {
                        <label class="account__choice">
                            <input
                                type="radio"
                                name="language"
                                value=language.tag
                                checked=t.tag == language.tag
                                on:change=move |_| prefs::choose_language(language)
                            />
                            <span lang=language.tag>{language.name}</span>
                        </label>
                    })
                    .collect_view()}
            </fieldset>
            <label class="account__choice account__elder">
                <input
                    type="checkbox"
                    name="elder"
                    prop:checked=move || elder.get()
                    on:change=move |event| {
                        let on = event_target_checked(&event);
                        elder.set(on);
                        prefs::set_elder_mode(on);
                    }
                />
                <span>
                    <strong>{t.account.elder_mode}</strong>
                    <small class="account__hint">{t.account.elder_mode_hint}</small>
                </span>
            </label>
        </div>
    }
}

/// Logging out; with changes not sent yet it asks first (see [`LogoutPrompt`]).
#[component]
fn LogOut() -> impl IntoView {
    let t = t();
    let sync = use_sync();
    let data = use_data();
    let offline = move || matches!(data.status.get(), SyncStatus::Offline(_));
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
        {move || offline().then(|| view! { <p class="form-note account__offline">{t.account.logout_offline_note}</p> })}
        <button
            type="button"
            class="button button--quiet button--wide account__logout"
            disabled=move || logout.pending().get()
            on:click=move |_| {
                logout.dispatch(None);
            }
        >
            {t.nav.logout}
        </button>
    }
}

/// Deleting one's account (PIPL): the password again, then the device forgets everything as
/// at a logout (unsent changes are dropped: the account they were for is gone).
#[component]
fn DeleteAccount() -> impl IntoView {
    let t = t();
    let sync = use_sync();
    let navigate = use_navigate();
    let password = RwSignal::new(String::new());
    let delete = Action::new_local(move |password: &String| {
        let deletion = AccountDeletion {
            password: password.clone(),
        };
        async move {
            api::delete_account(&deletion).await?;
            session::log_out_with(sync, LogOutChoice::Discard).await;
            Ok::<(), api::ApiError>(())
        }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = delete.value().get() {
            navigate("/", Default::default());
        }
    });
    let error = Signal::derive(move || failure(delete.value().get().as_ref()));
    let errors = field_errors(error);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !delete.pending().get_untracked() {
            delete.dispatch(password.get_untracked());
        }
    };
    view! {
        <details class="account__card account__delete">
            <summary>{t.account.delete_title}</summary>
            <p class="account__hint">{t.account.delete_intro}</p>
            <form on:submit=on_submit>
                <label class="field">
                    <span class="field__label">{t.account.delete_password}</span>
                    <input
                        class="field__input"
                        name="delete_password"
                        type="password"
                        autocomplete="current-password"
                        required
                        bind:value=password
                    />
                </label>
                <FieldMessages field=Field::Password errors />
                <FormError message=Signal::derive(move || error.get().map(|error| t.problem(&error))) />
                <button
                    class="button button--danger button--wide account__delete-submit"
                    type="submit"
                    disabled=move || delete.pending().get()
                >
                    {t.account.delete_submit}
                </button>
            </form>
        </details>
    }
}
