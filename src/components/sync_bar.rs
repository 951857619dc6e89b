use leptos::prelude::*;
use microwish_core::engine::SyncStatus;

use crate::i18n::t;
use crate::state::use_data;

/// The sync indicator (synced, N waiting, offline, retrying) for those it speaks to (not a
/// visitor with nothing waiting), and the explanations of changes the server turned down,
/// each until dismissed.
#[component]
pub fn SyncBar() -> impl IntoView {
    let t = t();
    let data = use_data();
    let indicator = move || {
        let status = data.status.get();
        if !status.speaks_to(data.me().is_some()) {
            return None;
        }
        let state = match status {
            SyncStatus::Starting => return None,
            SyncStatus::Synced => "synced",
            SyncStatus::Pending(_) => "pending",
            SyncStatus::Offline(_) => "offline",
            SyncStatus::LoginToSend(_) => "login",
            SyncStatus::Failed => "failed",
        };
        Some(view! {
            <p class=format!("sync-status sync-status--{state}") role="status" data-state=state>
                {t.sync_status(status)}
            </p>
        })
    };
    view! {
        <div class="sync-bar" aria-live="polite">
            {indicator}
            <For
                each=move || data.notices.get()
                key=|notice| notice.mutation
                children=move |notice| {
                    let id = notice.mutation;
                    view! {
                        <div class="sync-notice" role="alert">
                            <p class="sync-notice__text">{t.notice(&notice)}</p>
                            <button class="button button--quiet" on:click=move |_| data.dismiss(id)>
                                {t.sync.dismiss}
                            </button>
                        </div>
                    }
                }
            />
        </div>
    }
}
