use leptos::prelude::*;
use microwish_core::phone_code::{CodePurpose, CodeRequest, CODE_DIGITS};
use microwish_core::{Field, FieldError, ProblemCode};

use crate::api;
use crate::components::FieldMessages;
use crate::i18n::t;

/// An SMS code field with its "获取验证码" button: the code goes to `phone` for `purpose`.
/// After a send the button rests for the server's minute; a server without SMS says so
/// (and `available` turns false, so a form can leave the code out).
#[component]
pub fn CodeField(
    #[prop(into)] phone: Signal<String>,
    purpose: CodePurpose,
    code: RwSignal<String>,
    #[prop(into)] errors: Signal<Vec<FieldError>>,
    #[prop(optional, into)] hint: Option<&'static str>,
    #[prop(optional)] available: Option<RwSignal<bool>>,
    /// A code was sent already (a login that asked for one).
    #[prop(optional)]
    sent_already: bool,
) -> impl IntoView {
    let t = t();
    let available = available.unwrap_or_else(|| RwSignal::new(true));
    let resting = RwSignal::new(false);
    let sent = RwSignal::new(sent_already);
    let send = Action::new_local(move |phone: &String| {
        let request = CodeRequest {
            phone: phone.clone(),
            purpose,
        };
        async move { api::request_code(&request).await }
    });
    Effect::new(move |_| match send.value().get() {
        Some(Ok(answer)) => {
            sent.set(true);
            resting.set(true);
            let rest = std::time::Duration::from_secs(u64::from(answer.resend_in));
            set_timeout(move || resting.set(false), rest);
        }
        Some(Err(error)) if error.is(ProblemCode::SmsUnavailable) => available.set(false),
        _ => {}
    });
    let send_error = Signal::derive(move || match send.value().get() {
        Some(Err(error)) if !error.is(ProblemCode::SmsUnavailable) => Some(error),
        _ => None,
    });
    let send_errors = Signal::derive(move || {
        send_error
            .get()
            .map(|error| error.field_errors().to_vec())
            .unwrap_or_default()
    });
    view! {
        <Show
            when=move || available.get()
            fallback=move || view! { <p class="form-note code-field__unavailable">{t.phone.sms_unavailable}</p> }
        >
            <div class="field code-field">
                <label class="field__label" for="sms-code">{t.phone.code}</label>
                <div class="code-field__row">
                    <input
                        id="sms-code"
                        class="field__input code-field__input"
                        name="code"
                        type="text"
                        inputmode="numeric"
                        autocomplete="one-time-code"
                        maxlength=CODE_DIGITS + 4
                        bind:value=code
                    />
                    <button
                        type="button"
                        class="button button--quiet code-field__send"
                        disabled=move || send.pending().get() || resting.get()
                        on:click=move |_| {
                            send.dispatch(phone.get_untracked().trim().to_owned());
                        }
                    >
                        {move || if send.pending().get() { t.phone.sending } else { t.phone.send_code }}
                    </button>
                </div>
                {hint.map(|hint| view! { <small class="field__hint">{hint}</small> })}
                <Show when=move || sent.get()>
                    <p class="form-note code-field__sent" role="status">{t.phone.code_sent}</p>
                </Show>
                <FieldMessages field=Field::Phone errors=send_errors />
                {move || send_error.get().filter(|error| error.field_errors().is_empty()).map(|error| view! {
                    <p class="field__error">{t.problem(&error)}</p>
                })}
                <FieldMessages field=Field::Code errors />
            </div>
        </Show>
    }
}
