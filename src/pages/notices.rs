//! `/notices` (通知): the user's notices from the device's cache (so offline too), newest
//! first, unread ones marked; each a link to what it is about, read once tapped; "mark all
//! read". Both go through the outbox (`mark_notices_read`), so they work offline and reach the
//! server once. `/notices/{id}` is where a notice tapped on the lock screen lands: it marks
//! that notice read and goes on to its page.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;
use microwish_core::command::{Command, MarkNoticesRead};
use microwish_core::engine::{SessionState, SyncStatus};
use microwish_core::{Notice, NoticeId};

use super::id_param;
use crate::components::LoginRedirect;
use crate::i18n::t;
use crate::notices::{link, subject};
use crate::session::use_session;
use crate::state::use_data;
use crate::sync::{sleep, use_sync, Sync};

/// How many notices the inbox shows before "show more".
const PAGE: usize = 50;

/// How long a notice opened from the lock screen is waited for (the phone may not have
/// pulled it yet) before the inbox opens instead.
const OPEN_WAIT_MS: u32 = 8_000;

#[component]
pub fn NoticesPage() -> impl IntoView {
    let t = t();
    let session = use_session();
    view! {
        <section class="page notices">
            <h1 class="page-title">{t.notices.title}</h1>
            {move || match session.state() {
                SessionState::Checking => view! { <p class="loading">{t.loading}</p> }.into_any(),
                SessionState::LoggedOut => view! { <LoginRedirect /> }.into_any(),
                SessionState::LoggedIn(_) => view! { <Inbox /> }.into_any(),
            }}
        </section>
    }
}

/// Marks `ids` (or, with none, every notice) read, through the outbox; `then` runs once it is
/// queued.
fn mark_read(sync: Sync, ids: Vec<NoticeId>, then: impl FnOnce() + 'static) {
    let all = ids.is_empty();
    leptos::task::spawn_local(async move {
        // Refused only for a notice the cache no longer holds: nothing to mark then.
        let _ = sync
            .mutate(Command::MarkNoticesRead(MarkNoticesRead { ids, all }))
            .await;
        then();
    });
}

#[component]
fn Inbox() -> impl IntoView {
    let t = t();
    let data = use_data();
    let sync = use_sync();
    let shown = RwSignal::new(PAGE);
    let notices = Memo::new(move |_| {
        let mut all: Vec<Notice> = data.my_notices.values(|_| true);
        all.sort_by(|a, b| b.created_at.cmp(&a.created_at).then(b.id.cmp(&a.id)));
        all
    });
    let unread = Memo::new(move |_| data.unread_notices());
    // Set at the tap, before anything is queued: a second tap meanwhile queues nothing.
    let marking = RwSignal::new(false);
    view! {
        <div class="notices__head">
            <p class="notices__count" aria-live="polite">
                {move || (unread.get() > 0).then(|| t.unread(unread.get()))}
            </p>
            <button
                type="button"
                class="button button--quiet notices__mark-all"
                disabled=move || marking.get() || unread.get() == 0
                on:click=move |_| {
                    if !marking.get_untracked() && unread.get_untracked() > 0 {
                        marking.set(true);
                        // Shown read at once; the button stays quiet until a new one comes.
                        mark_read(sync, Vec::new(), move || {
                            marking.try_set(false);
                        });
                    }
                }
            >
                {t.notices.mark_all}
            </button>
        </div>
        {move || {
            let all = notices.get();
            if !data.loaded.get() {
                view! { <p class="loading">{t.loading}</p> }.into_any()
            } else if all.is_empty() {
                view! {
                    <div class="empty">
                        <p class="empty__title">{t.notices.empty}</p>
                        <p>{t.notices.empty_hint}</p>
                    </div>
                }
                .into_any()
            } else {
                let more = all.len() > shown.get();
                view! {
                    <ul class="notice-list">
                        {all
                            .into_iter()
                            .take(shown.get())
                            .map(|notice| view! { <li><NoticeItem notice /></li> })
                            .collect_view()}
                    </ul>
                    {more.then(|| view! {
                        <button
                            type="button"
                            class="button button--quiet button--wide notices__more"
                            on:click=move |_| shown.update(|shown| *shown += PAGE)
                        >
                            {t.show_more}
                        </button>
                    })}
                }
                .into_any()
            }
        }}
    }
}

/// One notice: its words, what it is about, when; a link to it that marks it read.
#[component]
fn NoticeItem(notice: Notice) -> impl IntoView {
    let t = t();
    let data = use_data();
    let sync = use_sync();
    let unread = notice.read_at.is_none();
    let id = notice.id;
    let about = {
        let notice = notice.clone();
        move || subject(&data, t, &notice)
    };
    view! {
        <a
            class="inbox-notice"
            class:inbox-notice--unread=unread
            data-kind=notice.kind.as_str()
            href=link(notice.kind, &notice.refs)
            on:click=move |_| {
                if unread {
                    mark_read(sync, vec![id], || ());
                }
            }
        >
            <span class="inbox-notice__title">
                {unread.then(|| view! {
                    <span class="inbox-notice__dot" aria-hidden="true"></span>
                    <span class="visually-hidden">{t.in_brackets(t.notices.unread_mark)}</span>
                })}
                {t.notice_kind(notice.kind)}
            </span>
            {move || about().map(|about| view! { <span class="inbox-notice__subject">{about}</span> })}
            <time class="inbox-notice__time" datetime=notice.created_at.to_rfc3339()>
                {t.date_time(notice.created_at)}
            </time>
        </a>
    }
}

/// `/notices/{id}`: a notice tapped on the lock screen. Once the phone holds it, it is
/// marked read and its page opens in its place; if it does not come (another user's, or no
/// network), the inbox does.
#[component]
pub fn NoticeOpenPage() -> impl IntoView {
    let t = t();
    let session = use_session();
    view! {
        <section class="page notices">
            {move || match session.state() {
                SessionState::LoggedOut => view! { <LoginRedirect /> }.into_any(),
                _ => view! { <OpenNotice /> }.into_any(),
            }}
            <p class="loading">{t.notices.opening}</p>
        </section>
    }
}

#[component]
fn OpenNotice() -> impl IntoView {
    let data = use_data();
    let sync = use_sync();
    let id = id_param::<NoticeId>();
    let navigate = use_navigate();
    let waited = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        sleep(OPEN_WAIT_MS).await;
        waited.try_set(true);
    });
    Effect::new(move |gone: Option<bool>| {
        if gone == Some(true) {
            return true;
        }
        let go = |path: &str| {
            let options = NavigateOptions {
                replace: true,
                ..NavigateOptions::default()
            };
            navigate(path, options);
            true
        };
        let Some(id) = id() else {
            return go("/notices");
        };
        if let Some(notice) = data.my_notices.get(&id) {
            if notice.read_at.is_none() {
                mark_read(sync, vec![id], || ());
            }
            return go(&link(notice.kind, &notice.refs));
        }
        let pulled = data.synced.get() && data.status.get() == SyncStatus::Synced;
        let stuck = matches!(
            data.status.get(),
            SyncStatus::Offline(_) | SyncStatus::Failed
        );
        if pulled || stuck || waited.get() {
            return go("/notices");
        }
        false
    });
}
