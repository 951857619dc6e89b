use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use microwish_core::account::{Registration, PASSWORD_MAX_CHARS};
use microwish_core::phone_code::CodePurpose;
use microwish_core::DisplayName;
use microwish_core::Field;
use microwish_core::{CommunityId, Role};

use crate::api;
use crate::components::{CodeField, FieldMessages, FormError};
use crate::i18n::t;
use crate::pages::login::{go_on_when_logged_in, next_param, AlreadyLoggedIn};
use crate::pages::{failure, field_errors};
use crate::session::{login_url, use_session};

/// The roles people give themselves; workers and property staff are added by the community.
const SELF_SERVICE_ROLES: [Role; 4] = [
    Role::Resident,
    Role::Donor,
    Role::Volunteer,
    Role::Shopkeeper,
];

/// The role offered first: a resident's when they came to report something, else a donor's
/// (most come from a wish).
fn default_role(next: &str) -> Role {
    if next.starts_with("/requests") || next.starts_with("/me/requests") {
        Role::Resident
    } else {
        Role::Donor
    }
}

/// `/register?next=/path`: a name, a phone, a password and a role; logged in at once.
#[component]
pub fn RegisterPage() -> impl IntoView {
    let t = t();
    let next = next_param();
    let display_name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    // An SMS code is optional: with it the number starts verified.
    let code = RwSignal::new(String::new());
    let role = RwSignal::new(default_role(&next.get_untracked()));
    // Several communities in one server: residents and volunteers say which is theirs (with
    // one, the server takes it; offline or unanswered, nothing is shown).
    let communities = LocalResource::new(api::communities_known);
    let community = RwSignal::new(None::<CommunityId>);
    // The privacy notice must be accepted before an account is made (the server records when).
    let agreed = RwSignal::new(false);
    let unticked = RwSignal::new(false);
    let several = move || communities.get().is_some_and(|items| items.len() > 1);
    let register = Action::new_local(|registration: &Registration| {
        let registration = registration.clone();
        async move { api::register(&registration).await }
    });
    go_on_when_logged_in(register.value().into(), next);
    let error = Signal::derive(move || register.value().with(|answer| failure(answer.as_ref())));
    let errors = field_errors(error);
    let pending = register.pending();
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        unticked.set(!agreed.get_untracked());
        if !pending.get_untracked() && agreed.get_untracked() {
            register.dispatch(Registration {
                display_name: display_name.get_untracked().trim().to_owned(),
                phone: phone.get_untracked().trim().to_owned(),
                password: password.get_untracked(),
                role: role.get_untracked(),
                community_id: if several() {
                    community.get_untracked()
                } else {
                    None
                },
                privacy: Some(true),
                code: Some(code.get_untracked().trim().to_owned()).filter(|code| !code.is_empty()),
            });
        }
    };
    let role_choices = SELF_SERVICE_ROLES
        .into_iter()
        .map(|choice| {
            view! {
                <label class="role-choice">
                    <input
                        type="radio"
                        name="role"
                        value=choice.as_str()
                        prop:checked=move || role.get() == choice
                        on:change=move |_| role.set(choice)
                    />
                    <span class="role-choice__text">
                        <span class="role-choice__name">{t.role(choice)}</span>
                        <span class="role-choice__hint">{t.role_hint(choice)}</span>
                    </span>
                </label>
            }
        })
        .collect_view();
    view! {
        <section class="page auth">
            <h1 class="auth__title">{t.account.register_title}</h1>
            <p class="auth__intro">{t.account.register_intro}</p>
            <AlreadyLoggedIn session=use_session() next />
            <form class="auth-form" on:submit=on_submit>
                <label class="field">
                    <span class="field__label">{t.account.display_name}</span>
                    <input
                        class="field__input"
                        name="display_name"
                        autocomplete="nickname"
                        maxlength=DisplayName::CHARS.end().to_string()
                        required
                        bind:value=display_name
                    />
                    <span class="field__hint">{t.account.display_name_hint}</span>
                </label>
                <FieldMessages field=Field::DisplayName errors />
                <label class="field">
                    <span class="field__label">{t.account.phone}</span>
                    <input
                        class="field__input"
                        name="phone"
                        type="tel"
                        inputmode="numeric"
                        autocomplete="tel"
                        required
                        bind:value=phone
                    />
                </label>
                <FieldMessages field=Field::Phone errors />
                <CodeField phone purpose=CodePurpose::Register code errors hint=t.phone.code_optional />
                <label class="field">
                    <span class="field__label">{t.account.password}</span>
                    <input
                        class="field__input"
                        name="password"
                        type="password"
                        autocomplete="new-password"
                        maxlength=PASSWORD_MAX_CHARS.to_string()
                        required
                        bind:value=password
                    />
                    <span class="field__hint">{t.account.password_hint}</span>
                </label>
                <FieldMessages field=Field::Password errors />
                <fieldset class="roles">
                    <legend class="field__label">{t.account.role}</legend>
                    {role_choices}
                </fieldset>
                <FieldMessages field=Field::Role errors />
                <Show when=several>
                    <label class="field">
                        <span class="field__label">{t.account.community}</span>
                        <select
                            class="field__input"
                            name="community_id"
                            on:change=move |ev| {
                                community.set(event_target_value(&ev).parse().ok());
                            }
                        >
                            <option value="" selected=move || community.get().is_none()>
                                {t.account.community_choose}
                            </option>
                            {move || {
                                communities
                                    .get()
                                    .unwrap_or_default()
                                    .into_iter()
                                    .map(|choice| {
                                        let id = choice.id;
                                        view! {
                                            <option
                                                value=id.to_string()
                                                selected=move || community.get() == Some(id)
                                            >
                                                {choice.name}
                                            </option>
                                        }
                                    })
                                    .collect_view()
                            }}
                        </select>
                    </label>
                    <FieldMessages field=Field::CommunityId errors />
                </Show>
                // The link sits beside the box, not in its label: tapping it must not tick the
                // box, and it gets a full-size target of its own.
                <div class="register__privacy">
                    <label class="field field--check">
                        <input
                            type="checkbox"
                            name="privacy"
                            required
                            prop:checked=move || agreed.get()
                            on:change=move |ev| {
                                agreed.set(event_target_checked(&ev));
                                unticked.set(false);
                            }
                        />
                        <span>{t.privacy.agree}</span>
                    </label>
                    <a class="register__privacy-link" href="/privacy" target="_blank">
                        {t.privacy.agree_link}
                    </a>
                </div>
                <Show when=move || unticked.get()>
                    <p class="field__error register__privacy-missing">{t.privacy.agree_required}</p>
                </Show>
                <FormError message=Signal::derive(move || error.get().map(|error| t.problem(&error))) />
                <button class="button button--wide auth-form__submit" type="submit" disabled=move || pending.get()>
                    {move || if pending.get() { t.account.submitting } else { t.account.submit_register }}
                </button>
            </form>
            <p class="auth__switch">
                {t.account.have_account}
                " "
                <a href=move || login_url(&next.get())>{t.account.go_login}</a>
            </p>
        </section>
    }
}
