//! The worker's 确认交接 at the station: a scanned or typed code checked against the claims
//! and allocations on this phone (offline too), the confirmation queued in the outbox. A
//! giver's QR code read by the phone's camera app opens the console with the code filled in.

use leptos::prelude::*;
use microwish_core::command::{Command, ConfirmHandover};
use microwish_core::HandoverCode;

use crate::components::handover_scanner::can_scan;
use crate::components::HandoverScanner;
use crate::i18n::t;
use crate::sync::use_sync;

#[component]
pub fn HandoverForm(
    /// A code the console's link brought (the giver's QR code read by another app).
    #[prop(optional_no_strip)]
    scanned: Option<HandoverCode>,
) -> impl IntoView {
    let t = t();
    let sync = use_sync();
    let linked = scanned.is_some();
    let code = RwSignal::new(scanned.map(|code| code.grouped()).unwrap_or_default());
    // Opened from a giver's QR code: the form, with its code, is what the worker came for.
    let form = NodeRef::<leptos::html::Form>::new();
    Effect::new(move |_| {
        if let Some(form) = form.get().filter(|_| linked) {
            form.scroll_into_view();
        }
    });
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
    // What the app's own camera reads is confirmed at once: the worker pointed it on purpose.
    let on_scanned = Callback::new(move |scanned: HandoverCode| {
        code.set(scanned.grouped());
        step.dispatch(scanned.as_str().to_owned());
    });
    view! {
        <form
            node_ref=form
            class="handover-form"
            on:submit=move |event| {
                event.prevent_default();
                step.dispatch(code.get_untracked());
            }
        >
            <h2 class="handover-form__title">{t.handover.confirm_title}</h2>
            <p class="handover-form__intro">{t.handover.confirm_intro}</p>
            {can_scan().then(|| view! { <HandoverScanner on_code=on_scanned /> })}
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
