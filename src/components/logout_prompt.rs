use leptos::prelude::*;
use microwish_core::engine::{SyncStatus, UnsentChange};

use crate::i18n::{fill, t};
use crate::session::LogOutChoice;
use crate::state::use_data;
use crate::sync::use_sync;

/// At most this many changes are named; the rest are counted.
const NAMED: usize = 3;

/// Asked at logout when changes wait to be sent: send them first (now, or once the phone is
/// back online; the safe choice, and the prominent one), stay logged in, or, set apart as a
/// plain destructive link, drop them. The question names what would be lost (which wish,
/// how many). Nothing is thrown away without this question.
#[component]
pub fn LogoutPrompt(
    /// How many changes wait; `None` hides the prompt.
    unsent: RwSignal<Option<usize>>,
    on_choice: Callback<LogOutChoice>,
) -> impl IntoView {
    let t = t();
    let data = use_data();
    let sync = use_sync();
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
                        {if n == 1 {
                            t.sync.unsent_at_logout_one.to_owned()
                        } else {
                            fill(t.sync.unsent_at_logout, &[("n", n.to_string())])
                        }}
                    </p>
                    <UnsentList changes=sync.unsent() />
                    <button
                        type="button"
                        class="button button--wide logout-prompt__send"
                        on:click=move |_| choose(LogOutChoice::SendFirst)
                    >
                        {move || if offline() { t.sync.send_then_log_out_offline } else { t.sync.send_then_log_out }}
                    </button>
                    <button
                        type="button"
                        class="button button--wide logout-prompt__keep"
                        on:click=move |_| unsent.set(None)
                    >
                        {t.sync.keep_logged_in}
                    </button>
                    <button
                        type="button"
                        class="button button--quiet logout-prompt__discard"
                        on:click=move |_| choose(LogOutChoice::Discard)
                    >
                        {t.sync.discard_and_log_out}
                    </button>
                </div>
            }
        })
    }
}

/// The changes that wait, named: the first few, then how many more.
#[component]
fn UnsentList(changes: Vec<UnsentChange>) -> impl IntoView {
    let t = t();
    let more = changes.len().saturating_sub(NAMED);
    let named = changes
        .iter()
        .take(NAMED)
        .map(|change| view! { <li>{t.unsent_change(change)}</li> })
        .collect_view();
    let more = (more > 0).then(|| {
        view! {
            <li class="logout-prompt__more">{fill(t.sync.unsent_more, &[("n", more.to_string())])}</li>
        }
    });
    view! {
        <ul class="logout-prompt__changes">
            {named}
            {more}
        </ul>
    }
}
