//! 我的's notices: "notify me" for this device (the browser asks leave only after the tap),
//! and which kinds come by push and by SMS (the user's, on the server: online only). In-app
//! notices are always on; without an SMS gateway the SMS choices say so and stay off.

use leptos::prelude::*;
use microwish_core::notices::kinds_for;
use microwish_core::{NoticeChannel, NoticeKind, Preferences, Role};

use crate::api::{self, ApiError};
use crate::components::FormError;
use crate::i18n::t;
use crate::push::{self, PushError, PushState};
use crate::state::use_data;
use crate::sync::use_sync;

#[component]
pub fn NoticeSettings(role: Role) -> impl IntoView {
    let t = t();
    let device = RwSignal::new(None::<PushState>);
    leptos::task::spawn_local(async move {
        device.try_set(Some(push::state().await));
    });
    view! {
        <h2 class="section-title">{t.notices.settings}</h2>
        <div class="account__card notice-settings">
            <NotifyMe device />
            <NoticeChoices role device />
        </div>
    }
}

/// 通知我 / 关闭本机通知, and where this device stands.
#[component]
fn NotifyMe(device: RwSignal<Option<PushState>>) -> impl IntoView {
    let t = t();
    let toggle = Action::new_local(move |on: &bool| {
        let on = *on;
        async move {
            let result = if on {
                push::turn_on().await
            } else {
                push::turn_off().await
            };
            device.try_set(Some(push::state().await));
            result
        }
    });
    let problem = Signal::derive(move || {
        let error = toggle.value().get()?.err()?;
        Some(
            match error {
                PushError::Blocked => t.notices.notify_blocked,
                PushError::Server(ApiError::Unreachable) => t.notices.needs_network,
                PushError::Server(_) | PushError::Browser => t.notices.notify_failed,
            }
            .to_owned(),
        )
    });
    let working = toggle.pending();
    view! {
        {move || match device.get() {
            None => view! { <p class="loading">{t.loading}</p> }.into_any(),
            Some(PushState::Unsupported) => {
                view! { <p class="form-note notice-settings__unsupported">{t.notices.notify_unsupported}</p> }.into_any()
            }
            // After a refusal just now, the message below says what to do.
            Some(PushState::Blocked) => (problem.get().is_none()).then(|| view! {
                <p class="form-note notice-settings__blocked">{t.notices.notify_blocked}</p>
            })
            .into_any(),
            Some(PushState::Off) => view! {
                <p class="account__hint notice-settings__hint">{t.notices.notify_hint}</p>
                <button
                    type="button"
                    class="button button--wide notice-settings__on"
                    disabled=move || working.get()
                    on:click=move |_| {
                        toggle.dispatch(true);
                    }
                >
                    {move || if working.get() { t.notices.notify_working } else { t.notices.notify_me }}
                </button>
            }
            .into_any(),
            Some(PushState::On) => view! {
                <p class="notice-settings__state">{t.notices.notify_on}</p>
                <button
                    type="button"
                    class="button button--quiet button--wide notice-settings__off"
                    disabled=move || working.get()
                    on:click=move |_| {
                        toggle.dispatch(false);
                    }
                >
                    {t.notices.notify_stop}
                </button>
            }
            .into_any(),
        }}
        <FormError message=problem />
    }
}

/// Per kind the user can be told of: push on or off, SMS on or off.
#[component]
fn NoticeChoices(role: Role, device: RwSignal<Option<PushState>>) -> impl IntoView {
    let t = t();
    let data = use_data();
    let sync = use_sync();
    let chosen = RwSignal::new(None::<Result<Preferences, ApiError>>);
    leptos::task::spawn_local(async move {
        chosen.try_set(Some(api::preferences().await));
    });
    // The policy comes with each pull.
    let sms_available = move || {
        data.status.track();
        sync.policy().sms
    };
    let failed = RwSignal::new(None::<String>);
    let change = Action::new_local(move |(changes, before): &(Preferences, Preferences)| {
        let (changes, before) = (changes.clone(), before.clone());
        async move {
            match api::set_preferences(&changes).await {
                Ok(now) => {
                    chosen.try_set(Some(Ok(now)));
                    failed.try_set(None);
                }
                Err(error) => {
                    chosen.try_set(Some(Ok(before)));
                    let words = if error == ApiError::Unreachable {
                        t.notices.needs_network
                    } else {
                        t.notices.choices_failed
                    };
                    failed.try_set(Some(words.to_owned()));
                }
            }
        }
    });
    let set = move |channel: NoticeChannel, kind: NoticeKind, on: bool| {
        let Some(Ok(before)) = chosen.get_untracked() else {
            return;
        };
        let mut changes = Preferences::default();
        match channel {
            NoticeChannel::Push => changes.push.insert(kind, on),
            NoticeChannel::Sms => changes.sms.insert(kind, on),
        };
        // Shown at once; put back if the server did not take it.
        chosen.set(Some(Ok(before.with(&changes))));
        change.dispatch((changes, before));
    };
    // Whether the choices came (`None`: still coming); each box reads its own setting, so a
    // change redraws no row (and keeps the focus where it is).
    let loaded = Memo::new(move |_| chosen.with(|chosen| chosen.as_ref().map(Result::is_ok)));
    let wants = move |channel: NoticeChannel, kind: NoticeKind| {
        chosen.with(|chosen| match chosen {
            Some(Ok(preferences)) => preferences.wants(channel, kind),
            _ => Preferences::default_for(channel),
        })
    };
    let kinds = kinds_for(role);
    view! {
        <h3 class="notice-settings__title">{t.notices.choices}</h3>
        <p class="account__hint">{t.notices.choices_intro}</p>
        {move || (device.get() != Some(PushState::On)).then(|| view! {
            <p class="account__hint notice-settings__elsewhere">{t.notices.push_not_on_here}</p>
        })}
        {move || (!sms_available()).then(|| view! {
            <p class="account__hint notice-settings__no-sms">{t.notices.sms_unavailable}</p>
        })}
        {move || match loaded.get() {
            None => view! { <p class="loading">{t.loading}</p> }.into_any(),
            Some(false) => view! {
                <p class="form-note notice-settings__offline">{t.notices.choices_offline}</p>
            }
            .into_any(),
            Some(true) => {
                let sms_on = sms_available();
                let rows = kinds
                    .iter()
                    .map(|kind| {
                        let kind = *kind;
                        let words = t.notice_kind(kind);
                        view! {
                            <tr data-kind=kind.as_str()>
                                <th scope="row">{words}</th>
                                <td>
                                    <label class="notice-choices__toggle">
                                        <input
                                            type="checkbox"
                                            name=format!("push-{kind}")
                                            aria-label=format!("{words} {}", t.notices.push_column)
                                            prop:checked=move || wants(NoticeChannel::Push, kind)
                                            on:change=move |event| {
                                                set(NoticeChannel::Push, kind, event_target_checked(&event))
                                            }
                                        />
                                    </label>
                                </td>
                                <td>
                                    <label class="notice-choices__toggle">
                                        <input
                                            type="checkbox"
                                            name=format!("sms-{kind}")
                                            aria-label=format!("{words} {}", t.notices.sms_column)
                                            prop:checked=move || sms_on && wants(NoticeChannel::Sms, kind)
                                            disabled=!sms_on
                                            on:change=move |event| {
                                                set(NoticeChannel::Sms, kind, event_target_checked(&event))
                                            }
                                        />
                                    </label>
                                </td>
                            </tr>
                        }
                    })
                    .collect_view();
                view! {
                    <table class="notice-choices">
                        <thead>
                            <tr>
                                <th scope="col">{t.notices.kind_column}</th>
                                <th scope="col">{t.notices.push_column}</th>
                                <th scope="col">{t.notices.sms_column}</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                }
                .into_any()
            }
        }}
        <FormError message=failed />
    }
}
