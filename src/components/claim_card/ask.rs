//! A step on a claim that cannot be taken back, asked about before it is taken.

use leptos::prelude::*;

use crate::i18n::t;

/// A step that cannot be taken back, asked about first.
pub(super) struct Question {
    pub text: String,
    /// What the "yes" button says.
    pub yes: &'static str,
    /// Names the buttons' classes: `claim-card__<name>-yes` and `-no`.
    pub name: &'static str,
    /// The step takes something away (the warning colour).
    pub danger: bool,
}

/// The question (with a choice to make first, if any): yes does it, "再想想" goes back.
pub(super) fn ask_first(
    question: Question,
    busy: Signal<bool>,
    choice: Option<AnyView>,
    yes: Callback<()>,
    no: Callback<()>,
) -> AnyView {
    let style = if question.danger {
        "button button--danger"
    } else {
        "button"
    };
    view! {
        <div class="claim-card__ask" role="group">
            <p>{question.text}</p>
            {choice}
            <button
                type="button"
                class=format!("{style} claim-card__{}-yes", question.name)
                disabled=move || busy.get()
                on:click=move |_| yes.run(())
            >
                {question.yes}
            </button>
            <button
                type="button"
                class=format!("button button--quiet claim-card__{}-no", question.name)
                on:click=move |_| no.run(())
            >
                {t().claim.keep}
            </button>
        </div>
    }
    .into_any()
}
