use leptos::prelude::*;
use microwish_core::engine::SyncStatus;

use crate::i18n::{fill, t};
use crate::session::LogOutChoice;
use crate::state::use_data;

/// Asked at logout when changes wait to be sent: send them first (now, or once the phone is
/// back online), drop them, or stay logged in. Nothing is thrown away without this question.
#[component]
pub fn LogoutPrompt(
    /// How many changes wait; `None` hides the prompt.
    unsent: RwSignal<Option<usize>>,
    on_choice: Callback<LogOutChoice>,
) -> impl IntoView {
    let t = t();
    let data = use_data();
    let offline = move || matches!(data.status.get(), SyncStatus::Offline(_));
    let choose = move |choice| {
        unsent.set(None);
        on_choice.run(choice);
    };
    move || {
        unsent.get().map(|n| {
            view! {
                <div class="logout-prompt" role="alertdialog" aria-labelledby="logout-prompt-text">
                    <p id="logout-prompt-text" class="logout-prompt__text">
                        {fill(t.sync.unsent_at_logout, &[("n", n.to_string())])}
                    </p>
                    <button
                        type="button"
                        class="button button--wide logout-prompt__send"
                        on:click=move |_| choose(LogOutChoice::SendFirst)
                    >
                        {move || if offline() { t.sync.send_then_log_out_offline } else { t.sync.send_then_log_out }}
                    </button>
                    <button
                        type="button"
                        class="button button--danger button--wide logout-prompt__discard"
                        on:click=move |_| choose(LogOutChoice::Discard)
                    >
                        {t.sync.discard_and_log_out}
                    </button>
                    <button
                        type="button"
                        class="button button--quiet button--wide logout-prompt__keep"
                        on:click=move |_| unsent.set(None)
                    >
                        {t.sync.keep_logged_in}
                    </button>
                </div>
            }
        })
    }
}
