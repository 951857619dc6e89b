//! A step hard to take back: its button asks first (the question, "yes" and "not yet"), and
//! only "yes" takes it.

use leptos::prelude::*;

use crate::i18n::t;

#[component]
pub fn SecondYes(
    /// The first button's words.
    label: String,
    question: String,
    /// The "yes" button's words.
    yes: &'static str,
    /// The first button leads (primary) or stays quiet.
    #[prop(optional)]
    primary: bool,
    /// "Yes" destroys something (it is red).
    #[prop(optional)]
    danger: bool,
    #[prop(into)] busy: Signal<bool>,
    #[prop(into)] on_yes: Callback<()>,
) -> impl IntoView {
    let t = t();
    let asking = RwSignal::new(false);
    let first = if primary {
        "button button--primary"
    } else {
        "button"
    };
    let yes_class = if danger {
        "button button--danger"
    } else {
        "button button--primary"
    };
    view! {
        <Show
            when=move || asking.get()
            fallback=move || {
                let label = label.clone();
                view! {
                    <button type="button" class=first disabled=busy on:click=move |_| asking.set(true)>
                        {label}
                    </button>
                }
            }
        >
            <div class="confirm-step" role="group">
                <p class="confirm-step__question">{question.clone()}</p>
                <button type="button" class=yes_class disabled=busy
                    on:click=move |_| {
                        asking.set(false);
                        on_yes.run(());
                    }>
                    {yes}
                </button>
                <button type="button" class="button" on:click=move |_| asking.set(false)>
                    {t.pledge_changes.not_yet}
                </button>
            </div>
        </Show>
    }
}
