//! `/reset` (找回密码): the phone, the SMS code sent to it, a new password; then signed in,
//! with every other session ended.

use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use microwish_core::phone_code::{CodePurpose, PasswordReset};
use microwish_core::Field;

use crate::api;
use crate::components::{CodeField, FieldMessages, FormError};
use crate::i18n::t;
use crate::pages::login::{go_on_when_logged_in, next_param};
use crate::pages::{failure, field_errors};

#[component]
pub fn ResetPage() -> impl IntoView {
    let t = t();
    let next = next_param();
    let phone = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let available = RwSignal::new(true);
    let reset = Action::new_local(|reset: &PasswordReset| {
        let reset = reset.clone();
        async move { api::reset_password(&reset).await }
    });
    go_on_when_logged_in(reset.value().into(), next);
    let error = Signal::derive(move || reset.value().with(|answer| failure(answer.as_ref())));
    let errors = field_errors(error);
    let pending = reset.pending();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !pending.get_untracked() {
            reset.dispatch(PasswordReset {
                phone: phone.get_untracked().trim().to_owned(),
                code: code.get_untracked(),
                password: password.get_untracked(),
            });
        }
    };
    view! {
        <section class="page auth">
            <h1 class="auth__title">{t.phone.reset_title}</h1>
            <p class="auth__intro">{t.phone.reset_intro}</p>
            <form class="auth-form reset-form" on:submit=on_submit>
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
                <FieldMessages field=Field::Phone errors />
                <CodeField phone purpose=CodePurpose::Reset code errors available />
                <Show when=move || available.get()>
                    <label class="field">
                        <span class="field__label">{t.phone.new_password}</span>
                        <input
                            class="field__input"
                            name="new_password"
                            type="password"
                            autocomplete="new-password"
                            required
                            bind:value=password
                        />
                        <small class="field__hint">{t.account.password_hint}</small>
                    </label>
                    <FieldMessages field=Field::Password errors />
                    <FormError message=Signal::derive(move || {
                        error.get().filter(|error| error.field_errors().is_empty()).map(|error| t.problem(&error))
                    }) />
                    <button class="button button--wide auth-form__submit" type="submit" disabled=move || pending.get()>
                        {move || if pending.get() { t.account.submitting } else { t.phone.reset_submit }}
                    </button>
                </Show>
            </form>
            <p class="auth__switch">
                <a href="/login">{t.nav.login}</a>
            </p>
        </section>
    }
}
