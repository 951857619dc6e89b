//! A claim's card: the wish, how much, its state, what to do by when and where, and the
//! actions its viewer may take (the owner's in [`owner`], a worker's in [`worker`]).

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use microwish_core::giving::ClaimEnding;
use microwish_core::rules;
use microwish_core::{ClaimStatus, ClaimView, HouseContact, WishKind};

use crate::china_time::now;

use crate::components::{HandoverCodeView, WishStation};
use crate::i18n::{fill, t};

mod ask;
mod ending;
mod owner;
mod worker;

use ending::Ending;
use owner::OwnerActions;
use worker::{ThanksForm, WorkerActions};

/// Whether a house call's slot has begun (core's [`visit_begun`]: before it, the visit can be
/// neither reported nor confirmed done), turning true by itself when the slot begins while
/// the card is open.
fn visit_begun(starts: Option<DateTime<Utc>>) -> RwSignal<bool> {
    let begun = RwSignal::new(rules::visit_begun(starts, now()));
    if let Some(start) = starts.filter(|_| !begun.get_untracked()) {
        let wait = (start - now()).to_std().unwrap_or_default();
        // Browsers run a longer timeout at once (its milliseconds overflow 32 bits); a card
        // open that long is drawn again before then anyway.
        if wait < std::time::Duration::from_secs(24 * 24 * 3600) {
            if let Ok(timer) = set_timeout_with_handle(move || begun.set(true), wait) {
                on_cleanup(move || timer.clear());
            }
        }
    }
    begun
}

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
    /// Still in the outbox: the server has not taken it yet.
    #[prop(optional)]
    waiting: bool,
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
            <WishStation wish=wish.clone() />
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
    // A visit is marked (and confirmed) done once its slot has begun.
    let starts = claim.slot_start.filter(|_| wish.kind == WishKind::Service);
    // The giver shows it at the station while the hand-over is still to come.
    let handover = claim
        .handover_code
        .clone()
        .filter(|_| !matches!(actions, ClaimActions::Worker { .. }))
        .filter(|_| matches!(claim.status, ClaimStatus::Active | ClaimStatus::Delivered))
        .map(|code| view! { <HandoverCodeView code /> });
    let note = (!claim.note.is_empty()).then(|| {
        view! { <p class="claim-card__note">{t.labelled(t.claim.your_note, &claim.note)}</p> }
    });
    let ending = view! {
        <Ending ending=claim.ending() reason=claim.reject_reason.clone() giver=!as_worker />
    };
    let action_buttons = match actions {
        ClaimActions::Owner { deliver, release } if is_active => {
            let held = claim.quantity;
            view! { <OwnerActions kind=wish.kind starts held deliver release busy /> }.into_any()
        }
        ClaimActions::Worker {
            confirm, reject, ..
        } if matches!(claim.status, ClaimStatus::Active | ClaimStatus::Delivered) => {
            view! { <WorkerActions kind=wish.kind starts slot_minutes confirm reject busy /> }
                .into_any()
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
                <span class=format!("claim-status claim-status--{}", state_class(&claim, waiting))>
                    {t.claim_state(&claim, waiting)}
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
            {handover}
            {deadline}
            {slot}
            {claim.contact.map(|contact| view! { <Contact contact /> })}
            {note}
            {ending}
            {thanks}
            <p class="claim-card__time">
                {fill(t.claim.claimed_at, &[("time", t.date_time(claim.created_at))])}
            </p>
            {move || error.get().map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
            {action_buttons}
        </article>
    }
}

/// The state's class: `waiting` in the outbox, `withdrawn` with its wish, else the status.
fn state_class(claim: &ClaimView, waiting: bool) -> &'static str {
    if waiting {
        "waiting"
    } else if claim.ending() == Some(ClaimEnding::WishWithdrawn) {
        "withdrawn"
    } else {
        claim.status.as_str()
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
