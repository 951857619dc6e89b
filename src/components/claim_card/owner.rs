//! The claimer's actions on their own claim: mark it delivered (a house call once its slot
//! has begun), or give some or all of it back.

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use microwish_core::WishKind;

use super::ask::{ask_first, Question};
use crate::i18n::{fill, t};

/// Deliver (a house call once its slot has begun), or release after a second tap: giving a
/// claim back is easy to do by mistake.
#[component]
pub(super) fn OwnerActions(
    kind: WishKind,
    /// When a house call's slot begins.
    starts: Option<DateTime<Utc>>,
    /// Units the claim holds: some of them may be given back.
    held: u32,
    deliver: Callback<()>,
    release: Callback<Option<u32>>,
    busy: Signal<bool>,
) -> impl IntoView {
    let t = t();
    // Both cannot be taken back: each asks first.
    let asking = RwSignal::new(None::<Ask>);
    let started = super::visit_begun(starts);
    let (deliver_label, deliver_question) = match kind {
        WishKind::Item => (t.claim.deliver, t.claim.deliver_question),
        WishKind::Service => (t.claim.deliver_service, t.claim.deliver_question_service),
    };
    let working = move || busy.get().then_some(t.claim.working);
    // How many units to give back (all, unless the owner picks fewer).
    let give_back = RwSignal::new(held);
    let release_chosen = Callback::new(move |()| {
        let units = give_back.get_untracked();
        release.run((units < held).then_some(units));
    });
    let back = Callback::new(move |()| asking.set(None));
    let question = move |ask: Ask| match ask {
        Ask::Deliver => ask_first(
            Question {
                text: deliver_question.to_owned(),
                yes: t.claim.deliver_yes,
                name: "deliver",
                danger: false,
            },
            busy,
            None,
            Callback::new(move |()| {
                asking.set(None);
                deliver.run(());
            }),
            back,
        ),
        // Giving a claim back frees it for others: the warning colour.
        Ask::Release => ask_first(
            Question {
                text: t.claim.release_question.to_owned(),
                yes: t.claim.release_yes,
                name: "release",
                danger: true,
            },
            busy,
            (held > 1).then(|| how_many(held, give_back)),
            Callback::new(move |()| {
                asking.set(None);
                release_chosen.run(());
            }),
            back,
        ),
    };
    view! {
        <div class="claim-card__actions">
            {move || match asking.get() {
                Some(ask) => question(ask),
                None => view! {
                    <button
                        type="button"
                        class="button claim-card__deliver"
                        disabled=move || busy.get() || !started.get()
                        on:click=move |_| asking.set(Some(Ask::Deliver))
                    >
                        {move || working().unwrap_or(deliver_label)}
                    </button>
                    <button
                        type="button"
                        class="button button--quiet claim-card__release"
                        disabled=move || busy.get()
                        on:click=move |_| asking.set(Some(Ask::Release))
                    >
                        {t.claim.release}
                    </button>
                    <Show when=move || !started.get()>
                        <p class="field__hint claim-card__not-yet">{t.claim.deliver_not_yet}</p>
                    </Show>
                }
                .into_any(),
            }}
        </div>
    }
}

/// An owner's step that cannot be taken back, asked about first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ask {
    Deliver,
    Release,
}

/// "放弃几份": 1 to `held` units, all by default.
fn how_many(held: u32, give_back: RwSignal<u32>) -> AnyView {
    let t = t();
    let options = (1..=held)
        .map(|n| {
            let label = if n == held {
                fill(t.claim.give_back_all, &[("n", n.to_string())])
            } else {
                n.to_string()
            };
            view! { <option value=n.to_string() selected=n == held>{label}</option> }
        })
        .collect_view();
    view! {
        <label class="field claim-card__give-back">
            <span class="field__label">{t.claim.give_back_how_many}</span>
            <select
                class="field__input"
                name="give_back"
                on:change=move |event| {
                    if let Ok(n) = event_target_value(&event).parse() {
                        give_back.set(n);
                    }
                }
            >
                {options}
            </select>
        </label>
    }
    .into_any()
}
