use leptos::prelude::*;

use crate::i18n::t;
use crate::sync::{use_sync, SyncStatus};

/// The sync indicator (synced, N pending, offline, retrying) and the
/// explanations of changes the server turned down, each until dismissed.
#[component]
pub fn SyncBar() -> impl IntoView {
    let t = t();
    let sync = use_sync();
    let status = move || sync.status.get();
    let indicator = move || {
        let status = status();
        let state = match status {
            SyncStatus::Starting => return None,
            SyncStatus::Synced => "synced",
            SyncStatus::Pending(_) => "pending",
            SyncStatus::Offline => "offline",
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
                each=move || sync.notices.get()
                key=|notice| notice.id
                children=move |notice| {
                    let id = notice.id;
                    view! {
                        <div class="sync-notice" role="alert">
                            <p class="sync-notice__text">{notice.text}</p>
                            <button class="button button--quiet" on:click=move |_| sync.dismiss(id)>
                                {t.sync.dismiss}
                            </button>
                        </div>
                    }
                }
            />
        </div>
    }
}
