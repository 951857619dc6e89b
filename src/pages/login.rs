use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use microwish_core::account::Login;
use microwish_core::phone_code::CodePurpose;
use microwish_core::Me;
use microwish_core::{Field, ProblemCode};

use crate::api::{self, ApiError};
use crate::components::{CodeField, FieldMessages, FormError};
use crate::i18n::{fill, t};
use crate::pages::{failure, field_errors};
use crate::session::{self, register_url, safe_next, use_session, Session};
use crate::sync::use_sync;
use microwish_core::engine::SessionState;

/// `/login?next=/path`: phone and password, then back to `next` (a path on this site).
#[component]
pub fn LoginPage() -> impl IntoView {
    let t = t();
    let session = use_session();
    let next = next_param();
    let phone = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let login = Action::new_local(|login: &Login| {
        let login = login.clone();
        async move { api::login(&login).await }
    });
    go_on_when_logged_in(login.value().into(), next);
    let error = Signal::derive(move || login.value().with(|answer| failure(answer.as_ref())));
    // After failed logins a worker's account asks for the code sent to its phone; once
    // asked, the field stays until the login succeeds.
    let code_asked = RwSignal::new(false);
    Effect::new(move |_| {
        if error.with(|error| {
            error
                .as_ref()
                .is_some_and(|error| error.is(ProblemCode::CodeRequired))
        }) {
            code_asked.set(true);
        }
    });
    let pending = login.pending();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !pending.get_untracked() {
            let typed = code.get_untracked();
            login.dispatch(Login {
                phone: phone.get_untracked().trim().to_owned(),
                password: password.get_untracked(),
                code: (code_asked.get_untracked() && !typed.trim().is_empty()).then_some(typed),
            });
        }
    };
    let field_errors = field_errors(error);
    view! {
        <section class="page auth">
            <h1 class="auth__title">{t.account.login_title}</h1>
            <p class="auth__intro">{t.account.login_intro}</p>
            <AlreadyLoggedIn session next />
            <form class="auth-form" on:submit=on_submit>
                <label class="field">
                    <span class="field__label">{t.account.phone}</span>
                    <input
                        class="field__input"
                        name="phone"
                        type="tel"
                        inputmode="numeric"
                        autocomplete="username"
                        required
                        bind:value=phone
                    />
                </label>
                <FieldMessages field=Field::Phone errors=field_errors />
                <label class="field">
                    <span class="field__label">{t.account.password}</span>
                    <input
                        class="field__input"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                        bind:value=password
                    />
                </label>
                <FieldMessages field=Field::Password errors=field_errors />
                <Show when=move || code_asked.get()>
                    <CodeField phone purpose=CodePurpose::Login code errors=field_errors sent_already=true />
                </Show>
                <FormError message=Signal::derive(move || error.get().map(|error| t.problem(&error))) />
                <button class="button button--wide auth-form__submit" type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { t.account.submitting } else { t.account.submit_login }}
                </button>
            </form>
            <p class="auth__switch">
                <a class="auth__forgot" href="/reset">{t.phone.forgot}</a>
            </p>
            <p class="auth__switch">
                {t.account.no_account}
                " "
                <a href=move || register_url(&next.get())>{t.account.go_register}</a>
            </p>
        </section>
    }
}

/// The `next` query parameter, if it is a path on this site; else the wish list.
pub(super) fn next_param() -> Memo<String> {
    let query = use_query_map();
    Memo::new(move |_| query.with(|query| safe_next(query.get_str("next"))))
}

/// Once the server answers with the user, the session has them and the page moves on to
/// `next`, replacing itself in the history so that "back" does not return to the form.
pub(super) fn go_on_when_logged_in(
    answer: Signal<Option<Result<Me, ApiError>>>,
    next: Memo<String>,
) {
    let session = use_session();
    let sync = use_sync();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(me)) = answer.get() {
            // Another user on this device: the cache starts over for them.
            session::logged_in(session, sync, me);
            let options = NavigateOptions {
                replace: true,
                ..Default::default()
            };
            navigate(&next.get_untracked(), options);
        }
    });
}

/// Someone already logged in who opens a login or registration page: say so, and offer
/// to go on to where they were going.
#[component]
pub(super) fn AlreadyLoggedIn(session: Session, next: Memo<String>) -> impl IntoView {
    let t = t();
    move || match session.state() {
        SessionState::LoggedIn(me) => Some(view! {
            <p class="auth__already">
                {fill(t.account.already_logged_in, &[("name", me.display_name.to_string())])}
                " "
                <a href=move || next.get()>{t.account.continue_to}</a>
            </p>
        }),
        _ => None,
    }
}
