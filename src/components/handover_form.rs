//! The worker's 确认交接 at the station: a typed code checked against the claims and
//! allocations on this phone (offline too), the confirmation queued in the outbox.

use leptos::prelude::*;
use microwish_core::command::{Command, ConfirmHandover};

use crate::i18n::t;
use crate::sync::use_sync;

#[component]
pub fn HandoverForm() -> impl IntoView {
    let t = t();
    let sync = use_sync();
    let code = RwSignal::new(String::new());
    let step = Action::new_local(move |typed: &String| {
        let command = Command::ConfirmHandover(ConfirmHandover {
            code: typed.clone(),
        });
        async move { sync.mutate(command).await }
    });
    let answer = move || {
        step.value().with(|answer| {
            answer.as_ref().map(|answer| match answer {
                Ok(()) => view! { <p class="handover-form__done" role="status">{t.handover.confirmed}</p> }.into_any(),
                Err(error) => view! { <p class="form-error" role="alert">{t.mutate_error(error)}</p> }.into_any(),
            })
        })
    };
    view! {
        <form
            class="handover-form"
            on:submit=move |event| {
                event.prevent_default();
                step.dispatch(code.get_untracked());
            }
        >
            <h2 class="handover-form__title">{t.handover.confirm_title}</h2>
            <p class="handover-form__intro">{t.handover.confirm_intro}</p>
            <label class="field__label" for="handover-code">{t.handover.code_label}</label>
            <input
                id="handover-code"
                class="handover-form__code"
                autocomplete="off"
                autocapitalize="characters"
                spellcheck="false"
                maxlength="9"
                prop:value=move || code.get()
                on:input=move |event| code.set(event_target_value(&event))
            />
            <button class="button" type="submit" disabled=move || step.pending().get()>
                {t.handover.submit}
            </button>
            {answer}
        </form>
    }
}
