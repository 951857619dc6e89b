use leptos::prelude::*;
use microwish_core::command::REASON_CHARS;
use microwish_core::{ClaimStatus, ClaimView, HouseContact, WishKind};

use crate::i18n::{fill, t};

/// What the person looking at a claim may do with it from its card.
#[derive(Clone, Copy)]
pub enum ClaimActions {
    /// Only look.
    None,
    /// The claimer's own claim: mark it delivered, or give it back.
    Owner {
        deliver: Callback<()>,
        release: Callback<()>,
    },
    /// A worker's view: confirm the household received it, or send it back with a reason.
    Worker {
        confirm: Callback<()>,
        reject: Callback<String>,
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
                <span class="claim-card__place">{format!("({})", wish.station_location)}</span>
            </p>
        }
    });
    let slot = claim.slot_start.zip(claim.slot_end).map(|(start, end)| {
        view! {
            <p class="claim-card__slot">{format!("{}:{}", t.claim.slot_label, t.slot(start, end))}</p>
        }
    });
    let claimer = matches!(actions, ClaimActions::Worker { .. }).then(|| {
        view! {
            <p class="claim-card__claimer">
                {format!(
                    "{}:{}({})",
                    t.worker.claimer,
                    claim.claimer_name,
                    t.role(claim.claimer_role),
                )}
            </p>
        }
    });
    let note = (!claim.note.is_empty()).then(|| {
        view! { <p class="claim-card__note">{format!("{}:{}", t.claim.your_note, claim.note)}</p> }
    });
    let reject_reason = claim.reject_reason.clone().map(|reason| {
        view! { <p class="claim-card__reason">{format!("{}:{reason}", t.claim.reject_reason)}</p> }
    });
    let action_buttons = match actions {
        ClaimActions::Owner { deliver, release } if is_active => {
            view! { <OwnerActions kind=wish.kind deliver release busy /> }.into_any()
        }
        ClaimActions::Worker { confirm, reject }
            if matches!(claim.status, ClaimStatus::Active | ClaimStatus::Delivered) =>
        {
            view! { <WorkerActions confirm reject busy /> }.into_any()
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
                    {t.claim_status(claim.status)}
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
            <dd><a href=format!("tel:{}", contact.phone)>{contact.phone.clone()}</a></dd>
        </dl>
    }
}

/// Deliver, or release after a second tap: giving a claim back is easy to do by mistake.
#[component]
fn OwnerActions(
    kind: WishKind,
    deliver: Callback<()>,
    release: Callback<()>,
    busy: Signal<bool>,
) -> impl IntoView {
    let t = t();
    let confirming = RwSignal::new(false);
    let deliver_label = match kind {
        WishKind::Item => t.claim.deliver,
        WishKind::Service => t.claim.deliver_service,
    };
    let working = move || busy.get().then_some(t.claim.working);
    view! {
        <div class="claim-card__actions">
            <Show
                when=move || confirming.get()
                fallback=move || {
                    view! {
                        <button
                            type="button"
                            class="button claim-card__deliver"
                            disabled=move || busy.get()
                            on:click=move |_| deliver.run(())
                        >
                            {move || working().unwrap_or(deliver_label)}
                        </button>
                        <button
                            type="button"
                            class="button button--quiet claim-card__release"
                            disabled=move || busy.get()
                            on:click=move |_| confirming.set(true)
                        >
                            {t.claim.release}
                        </button>
                    }
                }
            >
                <div class="claim-card__ask" role="group">
                    <p>{t.claim.release_question}</p>
                    <button
                        type="button"
                        class="button button--danger claim-card__release-yes"
                        disabled=move || busy.get()
                        on:click=move |_| {
                            confirming.set(false);
                            release.run(());
                        }
                    >
                        {t.claim.release_yes}
                    </button>
                    <button
                        type="button"
                        class="button button--quiet claim-card__release-no"
                        on:click=move |_| confirming.set(false)
                    >
                        {t.claim.keep}
                    </button>
                </div>
            </Show>
        </div>
    }
}

/// Confirm at once, or reject with a reason typed in a small form.
#[component]
fn WorkerActions(
    confirm: Callback<()>,
    reject: Callback<String>,
    busy: Signal<bool>,
) -> impl IntoView {
    let t = t();
    let rejecting = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    view! {
        <div class="claim-card__actions">
            <Show
                when=move || rejecting.get()
                fallback=move || {
                    view! {
                        <button
                            type="button"
                            class="button claim-card__confirm"
                            disabled=move || busy.get()
                            on:click=move |_| confirm.run(())
                        >
                            {move || if busy.get() { t.claim.working } else { t.worker.confirm }}
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
