//! The account page's "密码与登录" card: the number verified by an SMS code, the password
//! changed (the current one asked again; other devices signed out), and signing out on every
//! device at once.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use microwish_core::engine::SyncStatus;
use microwish_core::phone_code::{CodePurpose, PasswordChange, PhoneVerification};
use microwish_core::{Field, Me};

use crate::api;
use crate::components::{CodeField, FieldMessages, FormError};
use crate::i18n::t;
use crate::pages::{failure, field_errors};
use crate::session::{self, use_session, LogOutChoice};
use crate::state::use_data;
use crate::sync::use_sync;

#[component]
pub fn Security(me: Me) -> impl IntoView {
    let t = t();
    view! {
        <h2 class="section-title">{t.phone.security_title}</h2>
        <div class="account__card account__security">
            {(!me.phone_verified).then(|| view! { <VerifyPhone me=me.clone() /> })}
            <ChangePassword />
            <EndSessions />
        </div>
    }
}

/// Proving the number with a code sent to it.
#[component]
fn VerifyPhone(me: Me) -> impl IntoView {
    let t = t();
    let session = use_session();
    let sync = use_sync();
    let code = RwSignal::new(String::new());
    let phone = me.phone.to_string();
    let verify = Action::new_local(move |code: &String| {
        let verification = PhoneVerification { code: code.clone() };
        async move { api::verify_phone(&verification).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(me)) = verify.value().get() {
            session::logged_in(session, sync, me);
        }
    });
    let error = Signal::derive(move || failure(verify.value().get().as_ref()));
    let errors = field_errors(error);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !verify.pending().get_untracked() {
            verify.dispatch(code.get_untracked());
        }
    };
    view! {
        <details class="account__fold account__verify">
            <summary>{t.phone.verify_submit}</summary>
            <p class="account__hint">{t.phone.verify_intro}</p>
            <form on:submit=on_submit>
                <CodeField phone=Signal::stored(phone) purpose=CodePurpose::Verify code errors />
                <button class="button button--wide" type="submit" disabled=move || verify.pending().get()>
                    {t.phone.verify_submit}
                </button>
            </form>
        </details>
    }
}

#[component]
fn ChangePassword() -> impl IntoView {
    let t = t();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let change = Action::new_local(move |change: &PasswordChange| {
        let change = change.clone();
        async move { api::change_password(&change).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = change.value().get() {
            current.set(String::new());
            new.set(String::new());
        }
    });
    let error = Signal::derive(move || failure(change.value().get().as_ref()));
    let errors = field_errors(error);
    let done = move || matches!(change.value().get(), Some(Ok(())));
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !change.pending().get_untracked() {
            change.dispatch(PasswordChange {
                current_password: current.get_untracked(),
                password: new.get_untracked(),
            });
        }
    };
    view! {
        <details class="account__fold account__password">
            <summary>{t.phone.change_submit}</summary>
            <form on:submit=on_submit>
                <label class="field">
                    <span class="field__label">{t.phone.current_password}</span>
                    <input
                        class="field__input"
                        name="current_password"
                        type="password"
                        autocomplete="current-password"
                        required
                        bind:value=current
                    />
                </label>
                <FieldMessages field=Field::CurrentPassword errors />
                <label class="field">
                    <span class="field__label">{t.phone.new_password}</span>
                    <input
                        class="field__input"
                        name="new_password"
                        type="password"
                        autocomplete="new-password"
                        required
                        bind:value=new
                    />
                    <small class="field__hint">{t.account.password_hint}</small>
                </label>
                <FieldMessages field=Field::Password errors />
                <FormError message=Signal::derive(move || {
                    error.get().filter(|error| error.field_errors().is_empty()).map(|error| t.problem(&error))
                }) />
                <Show when=done>
                    <p class="form-note account__password-changed" role="status">{t.phone.changed}</p>
                </Show>
                <button class="button button--wide" type="submit" disabled=move || change.pending().get()>
                    {t.phone.change_submit}
                </button>
            </form>
        </details>
    }
}

/// Every session ends, this one too. Offered once nothing waits to be sent (what waits
/// needs this session to reach the server).
#[component]
fn EndSessions() -> impl IntoView {
    let t = t();
    let sync = use_sync();
    let data = use_data();
    let synced = move || data.status.get() == SyncStatus::Synced;
    let end = Action::new_local(move |_: &()| async move {
        api::end_all_sessions().await?;
        session::log_out_with(sync, LogOutChoice::Discard).await;
        Ok::<(), api::ApiError>(())
    });
    // Once signed out, 我的 shows the visitor's card (this card goes with the session).
    let error = Signal::derive(move || failure(end.value().get().as_ref()));
    view! {
        <p class="account__hint">{t.phone.end_sessions_hint}</p>
        <FormError message=Signal::derive(move || error.get().map(|error| t.problem(&error))) />
        <button
            type="button"
            class="button button--quiet button--wide account__end-sessions"
            disabled=move || end.pending().get() || !synced()
            on:click=move |_| {
                end.dispatch(());
            }
        >
            {t.phone.end_sessions}
        </button>
    }
}
