use std::time::Duration;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use microwish_core::command::{MINUTES_MAX, REASON_CHARS, THANKS_CHARS};
use microwish_core::{ClaimStatus, ClaimView, Field, FieldCode, HouseContact, WishKind};

use crate::china_time::now;
use crate::i18n::{fill, t};

/// What the person looking at a claim may do with it from its card.
#[derive(Clone, Copy)]
pub enum ClaimActions {
    /// Only look.
    None,
    /// The claimer's own claim: mark it delivered, or give it back.
    Owner {
        deliver: Callback<()>,
        /// Units to give back; `None`: all of them.
        release: Callback<Option<u32>>,
    },
    /// A worker's view: confirm the household received it (for a house call, with the
    /// minutes to credit the volunteer), or send it back with a reason; once confirmed,
    /// write down the household's thanks.
    Worker {
        confirm: Callback<Option<u32>>,
        reject: Callback<String>,
        thank: Callback<String>,
    },
}

/// One claim: the wish (linked), how much, its state in words, what to do by when and
/// where, the household's contact when the server sends it, and the actions allowed now.
#[component]
pub fn ClaimCard(
    claim: ClaimView,
    actions: ClaimActions,
    /// An action is under way: the buttons wait.
    #[prop(into, optional)]
    busy: Signal<bool>,
    /// Why the last action failed.
    #[prop(into, optional)]
    error: Signal<Option<String>>,
) -> impl IntoView {
    let t = t();
    let wish = &claim.wish;
    let is_active = claim.status == ClaimStatus::Active;
    let deadline = (is_active && wish.kind == WishKind::Item).then(|| {
        let text = fill(
            t.claim.deliver_by,
            &[
                ("time", t.date_time(claim.hold_until)),
                ("station", wish.station.clone()),
            ],
        );
        view! {
            <p class="claim-card__deadline">
                {text}
                <span class="claim-card__place">{t.in_brackets(&wish.station_location)}</span>
            </p>
        }
    });
    let slot = claim.slot_start.zip(claim.slot_end).map(|(start, end)| {
        view! {
            <p class="claim-card__slot">{t.labelled(t.claim.slot_label, &t.slot(start, end))}</p>
        }
    });
    let as_worker = matches!(actions, ClaimActions::Worker { .. });
    let claimer = as_worker.then(|| {
        let role = t.role(claim.claimer_role);
        // Names like "志愿者 陈师傅" say the role already: say it once.
        let who = if claim.claimer_name.contains(role) {
            claim.claimer_name.clone()
        } else {
            format!("{}{}", claim.claimer_name, t.in_brackets(role))
        };
        let phone = claim.claimer_phone.clone().map(|phone| {
            view! {
                " "
                <a class="claim-card__call" href=format!("tel:{phone}")>
                    {format!("{} {phone}", t.worker.call)}
                </a>
            }
        });
        view! {
            <p class="claim-card__claimer">
                {t.labelled(t.worker.claimer, &who)}
                {phone}
            </p>
        }
    });
    let thanks = claim.thanks.clone().map(|text| {
        view! {
            <blockquote class="claim-card__thanks">
                <span class="claim-card__thanks-title">{t.worker.thanks_title}</span>
                {text}
            </blockquote>
        }
    });
    // The slot's length, what a house call credits unless the worker says otherwise.
    let slot_minutes = claim
        .slot_start
        .zip(claim.slot_end)
        .map(|(start, end)| u32::try_from((end - start).num_minutes()).unwrap_or(0));
    // A visit is marked done once its slot has begun (core refuses it before).
    let starts = claim.slot_start.filter(|_| wish.kind == WishKind::Service);
    let note = (!claim.note.is_empty()).then(|| {
        view! { <p class="claim-card__note">{t.labelled(t.claim.your_note, &claim.note)}</p> }
    });
    let reject_reason = claim.reject_reason.clone().map(|reason| {
        view! { <p class="claim-card__reason">{t.labelled(t.claim.reject_reason, &reason)}</p> }
    });
    let action_buttons = match actions {
        ClaimActions::Owner { deliver, release } if is_active => {
            let held = claim.quantity;
            view! { <OwnerActions kind=wish.kind starts held deliver release busy /> }.into_any()
        }
        ClaimActions::Worker {
            confirm, reject, ..
        } if matches!(claim.status, ClaimStatus::Active | ClaimStatus::Delivered) => {
            view! { <WorkerActions kind=wish.kind slot_minutes confirm reject busy /> }.into_any()
        }
        ClaimActions::Worker { thank, .. }
            if claim.status == ClaimStatus::Confirmed && claim.thanks.is_none() =>
        {
            view! { <ThanksForm thank busy /> }.into_any()
        }
        _ => ().into_any(),
    };
    view! {
        <article class="claim-card" data-status=claim.status.as_str() data-kind=wish.kind.as_str()>
            <div class="claim-card__head">
                <a class="claim-card__title" href=format!("/wishes/{}", claim.wish_id)>
                    {wish.title.clone()}
                </a>
                <span class=format!("claim-status claim-status--{}", claim.status)>
                    {t.claim_status_for(wish.kind, claim.status)}
                </span>
            </div>
            <p class="claim-card__meta">
                {fill(
                    t.claim.quantity_of,
                    &[("n", claim.quantity.to_string()), ("unit", wish.unit.clone())],
                )}
                {format!(" · {} · {}", wish.alias, wish.grid_name)}
            </p>
            {claimer}
            {deadline}
            {slot}
            {claim.contact.map(|contact| view! { <Contact contact /> })}
            {note}
            {reject_reason}
            {thanks}
            <p class="claim-card__time">
                {fill(t.claim.claimed_at, &[("time", t.date_time(claim.created_at))])}
            </p>
            {move || error.get().map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
            {action_buttons}
        </article>
    }
}

/// The household behind a house call, for the volunteer holding it (the alias to greet them
/// by, never the real name) and for workers (the name too).
#[component]
fn Contact(contact: HouseContact) -> impl IntoView {
    let t = t();
    let name = contact.name.clone().map(|name| {
        view! {
            <dt>{t.claim.contact_name}</dt>
            <dd>{name}</dd>
        }
    });
    view! {
        <dl class="claim-card__contact" aria-label=t.claim.contact_title>
            <dt>{t.claim.contact_alias}</dt>
            <dd>{contact.alias}</dd>
            {name}
            <dt>{t.claim.contact_address}</dt>
            <dd>{contact.address}</dd>
            <dt>{t.claim.contact_phone}</dt>
            <dd>
                <a class="claim-card__contact-phone" href=format!("tel:{}", contact.phone)>
                    {contact.phone.clone()}
                </a>
            </dd>
        </dl>
    }
}

/// Deliver (a house call once its slot has begun), or release after a second tap: giving a
/// claim back is easy to do by mistake.
#[component]
fn OwnerActions(
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
    let started = RwSignal::new(starts.is_none_or(|start| now() >= start));
    if let Some(start) = starts.filter(|_| !started.get_untracked()) {
        let wait = (start - now()).to_std().unwrap_or_default();
        // Browsers run a longer timeout at once (its milliseconds overflow 32 bits); a card
        // open that long is drawn again before then anyway.
        if wait < Duration::from_secs(24 * 24 * 3600) {
            if let Ok(timer) = set_timeout_with_handle(move || started.set(true), wait) {
                on_cleanup(move || timer.clear());
            }
        }
    }
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

/// A step that cannot be taken back, asked about first.
struct Question {
    text: String,
    /// What the "yes" button says.
    yes: &'static str,
    /// Names the buttons' classes: `claim-card__<name>-yes` and `-no`.
    name: &'static str,
    /// The step takes something away (the warning colour).
    danger: bool,
}

/// The question (with a choice to make first, if any): yes does it, "再想想" goes back.
fn ask_first(
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

/// Confirm (a house call with the minutes to credit, the slot's length unless changed) after
/// a second tap, as it cannot be taken back; or reject with a reason typed in a small form.
#[component]
fn WorkerActions(
    kind: WishKind,
    slot_minutes: Option<u32>,
    confirm: Callback<Option<u32>>,
    reject: Callback<String>,
    busy: Signal<bool>,
) -> impl IntoView {
    let t = t();
    let rejecting = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let minutes = RwSignal::new(slot_minutes.map(|m| m.to_string()).unwrap_or_default());
    let minutes_error = RwSignal::new(false);
    let is_service = kind == WishKind::Service;
    let confirm_label = if is_service {
        t.worker.confirm_service
    } else {
        t.worker.confirm
    };
    // What a "yes" confirms (the minutes, for a house call), once asked.
    let asking = RwSignal::new(None::<Option<u32>>);
    let on_confirm = move |_| {
        if !is_service {
            return asking.set(Some(None));
        }
        match minutes.get_untracked().trim().parse::<u32>() {
            Ok(value) if (1..=MINUTES_MAX).contains(&value) => {
                minutes_error.set(false);
                asking.set(Some(Some(value)));
            }
            _ => minutes_error.set(true),
        }
    };
    let question = move |chosen: Option<u32>| {
        let text = match chosen {
            Some(minutes) => fill(
                t.worker.confirm_question_service,
                &[("n", minutes.to_string())],
            ),
            None => t.worker.confirm_question.to_owned(),
        };
        let question = Question {
            text,
            yes: t.worker.confirm_yes,
            name: "confirm",
            danger: false,
        };
        let yes = Callback::new(move |()| {
            asking.set(None);
            confirm.run(chosen);
        });
        ask_first(
            question,
            busy,
            None,
            yes,
            Callback::new(move |()| asking.set(None)),
        )
    };
    view! {
        {is_service.then(|| view! {
            <label class="field claim-card__minutes">
                <span class="field__label">{t.worker.minutes}</span>
                <input class="field__input" name="minutes" type="number" inputmode="numeric" min="1"
                    max=MINUTES_MAX.to_string() bind:value=minutes />
                <span class="field__hint">{t.worker.minutes_hint}</span>
            </label>
            <Show when=move || minutes_error.get()>
                <p class="field__error" data-field="minutes">{t.field_error(Field::Minutes, FieldCode::OutOfRange)}</p>
            </Show>
        })}
        <div class="claim-card__actions">
            <Show
                when=move || rejecting.get()
                fallback=move || match asking.get() {
                    Some(chosen) => question(chosen),
                    None => view! {
                        <button
                            type="button"
                            class="button claim-card__confirm"
                            disabled=move || busy.get()
                            on:click=on_confirm
                        >
                            {move || if busy.get() { t.claim.working } else { confirm_label }}
                        </button>
                        <button
                            type="button"
                            class="button button--quiet claim-card__reject"
                            disabled=move || busy.get()
                            on:click=move |_| rejecting.set(true)
                        >
                            {t.worker.reject}
                        </button>
                    }
                    .into_any(),
                }
            >
                <form
                    class="claim-card__ask claim-card__reject-form"
                    on:submit=move |ev| {
                        ev.prevent_default();
                        rejecting.set(false);
                        reject.run(reason.get_untracked().trim().to_owned());
                    }
                >
                    <label class="field">
                        <span class="field__label">{t.claim.reject_reason}</span>
                        <input
                            class="field__input"
                            name="reason"
                            required
                            maxlength=REASON_CHARS.end().to_string()
                            placeholder=t.worker.reject_placeholder
                            bind:value=reason
                        />
                    </label>
                    <button type="submit" class="button button--danger claim-card__reject-yes" disabled=move || busy.get()>
                        {t.worker.reject_submit}
                    </button>
                    <button
                        type="button"
                        class="button button--quiet claim-card__reject-no"
                        on:click=move |_| rejecting.set(false)
                    >
                        {t.worker.cancel}
                    </button>
                </form>
            </Show>
        </div>
    }
}

/// The household's thanks, written down by the worker after a confirmed claim (the claimer
/// reads it in 我的认领).
#[component]
fn ThanksForm(thank: Callback<String>, busy: Signal<bool>) -> impl IntoView {
    let t = t();
    let text = RwSignal::new(String::new());
    let too_short = RwSignal::new(false);
    view! {
        <form
            class="claim-card__thanks-form"
            on:submit=move |ev| {
                ev.prevent_default();
                let written = text.get_untracked().trim().to_owned();
                if THANKS_CHARS.contains(&written.chars().count()) {
                    too_short.set(false);
                    thank.run(written);
                } else {
                    too_short.set(true);
                }
            }
        >
            <label class="field">
                <span class="field__label">{t.worker.record_thanks}</span>
                <input
                    class="field__input"
                    name="thanks"
                    maxlength=THANKS_CHARS.end().to_string()
                    placeholder=t.worker.thanks_placeholder
                    bind:value=text
                />
            </label>
            <Show when=move || too_short.get()>
                <p class="field__error" data-field="text">{t.field_error(Field::Text, FieldCode::Length)}</p>
            </Show>
            <button type="submit" class="button claim-card__thank" disabled=move || busy.get()>
                {t.worker.save_thanks}
            </button>
        </form>
    }
}
