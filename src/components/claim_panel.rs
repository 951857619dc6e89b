use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use microwish_core::clock::default_slot_date;
use microwish_core::command::{claim_offer, ClaimOffer, ClaimRequest, Command, NOTE_MAX_CHARS};
use microwish_core::engine::MutateError;
use microwish_core::{
    ClaimId, ClaimStatus, Field, ProblemCode, PublicWish, Role, RuleError, WishKind,
};

use crate::api::ApiError;
use crate::china_time::{now, today};
use crate::components::slot_picker::{SlotDraft, SlotPicker};
use crate::components::{FieldMessages, FormError, QuantityStepper, WishStation};
use crate::i18n::{fill, t};
use crate::session::{login_url, Session};
use crate::sync::use_sync;

/// Why the last claim failed; `remaining` is what the wish had left when it did.
#[derive(Debug, Clone, PartialEq)]
struct ClaimFailure {
    error: ApiError,
    remaining: Option<u32>,
}

/// A refusal, in the form the messages are written for.
fn refusal(error: &MutateError) -> ApiError {
    match error {
        MutateError::Refused(RuleError::Validation(errors)) => ApiError::invalid(errors.0.clone()),
        MutateError::Refused(rule) => ApiError::of(rule.code()),
        MutateError::NotLoggedIn => ApiError::of(ProblemCode::NotLoggedIn),
        MutateError::NotSaved => ApiError::Unexpected("not saved".to_owned()),
    }
}

/// The claim part of a wish's page: a form for those who may claim, a way to log in for
/// those who are not, a plain explanation for everyone else; after a claim, what to do next.
#[component]
pub fn ClaimPanel(#[prop(into)] wish: Signal<PublicWish>, session: Session) -> impl IntoView {
    let t = t();
    let sync = use_sync();
    let offer = Memo::new(move |_| {
        let viewer = session.viewer();
        wish.with(|wish| claim_offer(viewer.as_ref().map(Option::as_ref), wish))
    });
    // The claim made here, once it is in the outbox; it shows from the cache from then on
    // (and disappears again if the server turns it down: a notice says why).
    let claimed = RwSignal::new(None::<ClaimId>);
    let failure = RwSignal::new(None::<ClaimFailure>);
    // The id of the next claim, made here (even offline) so that however often it is
    // sent, the server makes one claim.
    let claim_id = StoredValue::new(ClaimId::generate());
    // Owned by the panel, not the form: the form goes away the moment the claim makes
    // the wish fully claimed, before the answer arrives.
    let submit = Action::new_local(move |command: &Command| {
        let command = command.clone();
        async move { sync.mutate(command).await }
    });
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(())) => {
            claimed.set(Some(claim_id.get_value()));
            claim_id.set_value(ClaimId::generate());
        }
        Some(Err(error)) => failure.set(Some(ClaimFailure {
            error: refusal(&error),
            remaining: Some(wish.with_untracked(|wish| wish.remaining)),
        })),
        None => {}
    });
    let claim_view = move || claimed.get().and_then(|id| sync.data.claims.get(&id));
    // What this person already holds of this wish, from the cache: the page says so after a
    // reload too, instead of offering the form as if they had never claimed.
    let held = Signal::derive(move || {
        let Some(me) = sync.data.me() else {
            return 0;
        };
        let wish_id = wish.with(|wish| wish.id);
        sync.data
            .claims
            .values(|claim| {
                claim.wish_id == wish_id
                    && claim.claimer_id == me.id
                    && matches!(claim.status, ClaimStatus::Active | ClaimStatus::Delivered)
            })
            .iter()
            .map(|claim| claim.quantity)
            .sum::<u32>()
    });
    let held_note = move || {
        let n = held.get();
        (n > 0).then(|| {
            let more = offer.get() == ClaimOffer::Claim;
            let text = wish.with(|wish| match wish.kind {
                WishKind::Item => {
                    let held = fill(
                        t.claim.already_held,
                        &[("n", n.to_string()), ("unit", wish.unit.clone())],
                    );
                    if more {
                        held + t.claim.held_more
                    } else {
                        held
                    }
                }
                WishKind::Service => t.claim.already_booked.to_owned(),
            });
            view! {
                <p class="claim-panel__held" role="status">
                    {text}" "
                    <a href="/me/claims">{t.claim.to_my_claims}</a>
                </p>
            }
        })
    };
    let message = Signal::derive(move || {
        failure.with(|failure| {
            failure
                .as_ref()
                .map(|failure| match (failure.error.code(), failure.remaining) {
                    (Some(ProblemCode::NotEnoughRemaining), Some(left)) => {
                        wish.with(|wish| t.only_left(left, &wish.unit))
                    }
                    _ => t.problem(&failure.error),
                })
        })
    });
    let login_href = wish.with_untracked(|wish| login_url(&format!("/wishes/{}", wish.id)));
    let offer_view = move || match offer.get() {
        ClaimOffer::Waiting => ().into_any(),
        ClaimOffer::Claim => view! {
            <ClaimForm wish failure claim_id submit />
        }
        .into_any(),
        ClaimOffer::LogIn => view! {
            <a class="button button--wide claim-panel__login" href=login_href.clone()>
                {t.claim.login_to_claim}
            </a>
        }
        .into_any(),
        ClaimOffer::VolunteersOnly => notice(t.claim.donor_on_service),
        // Where to be met is on 我的 (the stations, their hours and whom to ask for).
        ClaimOffer::AwaitingApproval => view! {
            <p class="claim-panel__notice">
                {t.problem.volunteer_not_approved}" "
                <a class="claim-panel__where" href="/me">{t.volunteers.me_where}</a>
            </p>
        }
        .into_any(),
        ClaimOffer::NotForRole(Role::Worker) => notice(t.claim.worker_cannot_claim),
        ClaimOffer::NotForRole(_) => notice(t.claim.shopkeeper_cannot_claim),
        // Theirs: the note above says so; "no longer open" would only confuse.
        ClaimOffer::NotOpen(_) if held.get() > 0 => ().into_any(),
        // A finished wish's page says so above, with its thanks and other wishes.
        ClaimOffer::NotOpen(status) if microwish_core::giving::is_finished(status) => ().into_any(),
        ClaimOffer::NotOpen(status) => notice(fill(
            t.claim.not_open,
            &[("status", t.status(status).to_owned())],
        )),
    };
    // Nothing to do here (yet): a quiet note instead of a call to action.
    let quiet = move || {
        claim_view().is_none()
            && matches!(offer.get(), ClaimOffer::Waiting | ClaimOffer::NotOpen(_))
    };
    view! {
        <section class="claim-panel" class:claim-panel--quiet=quiet>
            {move || match claim_view() {
                Some(claim) => {
                    let pending = sync.data.is_pending_claim(claim.id);
                    view! { <ClaimSuccess claim pending /> }.into_any()
                }
                None => view! {
                    {move || (!quiet()).then(|| view! {
                        <h2 class="section-title claim-panel__title">{t.claim.panel_title}</h2>
                    })}
                    {held_note}
                    {offer_view.clone()}
                }
                .into_any(),
            }}
            <FormError message />
        </section>
    }
}

fn notice(text: impl Into<String>) -> AnyView {
    view! { <p class="claim-panel__notice">{text.into()}</p> }.into_any()
}

/// How many, a note, and for a house call when: then one tap to claim.
#[component]
fn ClaimForm(
    wish: Signal<PublicWish>,
    failure: RwSignal<Option<ClaimFailure>>,
    claim_id: StoredValue<ClaimId>,
    submit: Action<Command, Result<(), MutateError>>,
) -> impl IntoView {
    let t = t();
    let (wish_id, kind, needed_by, unit) =
        wish.with_untracked(|wish| (wish.id, wish.kind, wish.needed_by, wish.unit.clone()));
    let quantity = RwSignal::new(1u32);
    let remaining = Signal::derive(move || wish.with(|wish| wish.remaining));
    let note = RwSignal::new(String::new());
    let today = today();
    let slot = SlotDraft::new(default_slot_date(today, needed_by));
    let pending = submit.pending();

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let invalid = |errors| {
            failure.set(Some(ClaimFailure {
                error: ApiError::invalid(errors),
                remaining: None,
            }))
        };
        let (slot_start, slot_end) = match kind {
            WishKind::Item => (None, None),
            WishKind::Service => match slot.to_utc() {
                Ok((start, end)) => (Some(start), Some(end)),
                Err(errors) => return invalid(errors),
            },
        };
        let note = note.get_untracked().trim().to_owned();
        let request = ClaimRequest {
            id: Some(claim_id.get_value()),
            quantity: i64::from(quantity.get_untracked()),
            note: (!note.is_empty()).then_some(note),
            slot_start,
            slot_end,
        };
        // Core's rules answer at once what the server would refuse.
        if let Err(RuleError::Validation(errors)) =
            request
                .clone()
                .for_wish(wish_id)
                .validate(kind, needed_by, now())
        {
            return invalid(errors.0);
        }
        failure.set(None);
        submit.dispatch(Command::ClaimWish(request.for_wish(wish_id)));
    };

    let errors = Signal::derive(move || {
        failure.with(|failure| {
            failure
                .as_ref()
                .map(|failure| failure.error.field_errors().to_vec())
                .unwrap_or_default()
        })
    });
    let sync = use_sync();
    let quantity_field = (kind == WishKind::Item).then(|| {
        // Before the tap, not after it: by when and where the item has to arrive.
        let deadline = sync.policy().hold.hold_until(now(), None);
        let shown = wish.get_untracked();
        let (station, location) = (shown.station.clone(), shown.station_location.clone());
        view! {
            <div class="field">
                <span class="field__label">{t.claim.quantity}</span>
                <QuantityStepper value=quantity max=remaining unit=unit.clone() />
                <FieldMessages field=Field::Quantity errors />
            </div>
            <p class="claim-form__deadline">
                {fill(
                    t.claim.deliver_by_if_claimed,
                    &[
                        ("time", t.date_time(deadline)),
                        ("station", station),
                        ("location", location),
                    ],
                )}
            </p>
            <WishStation wish=shown />
        }
    });
    let slot_field = (kind == WishKind::Service).then(|| {
        view! { <SlotPicker draft=slot first_day=today last_day=needed_by errors /> }
    });
    view! {
        <form class="claim-form" novalidate on:submit=on_submit>
            {quantity_field}
            {slot_field}
            <label class="field">
                <span class="field__label">{t.claim.note}</span>
                <textarea
                    class="field__input"
                    name="note"
                    rows="2"
                    maxlength=NOTE_MAX_CHARS.to_string()
                    placeholder=match kind {
                        WishKind::Item => t.claim.note_placeholder,
                        WishKind::Service => t.claim.note_placeholder_service,
                    }
                    bind:value=note
                ></textarea>
            </label>
            <FieldMessages field=Field::Note errors />
            <button
                type="submit"
                class="button button--wide claim-panel__submit"
                disabled=move || pending.get()
            >
                {move || match (pending.get(), kind) {
                    (true, _) => t.claim.submitting,
                    (false, WishKind::Item) => t.claim.submit,
                    (false, WishKind::Service) => t.claim.submit_service,
                }}
            </button>
        </form>
    }
}

/// After a claim: saved and waiting for the server (nothing to do yet), or taken by the
/// server: by when and where to bring the item (or when to call), and where to find it again.
#[component]
fn ClaimSuccess(claim: microwish_core::ClaimView, pending: bool) -> impl IntoView {
    let t = t();
    let wish = &claim.wish;
    if pending {
        return view! {
            <div class="claim-success claim-success--pending" role="status">
                <h2 class="claim-success__title">{t.sync.saved_title}</h2>
                <p class="claim-success__pending">{t.sync.saved_offline}</p>
                <p class="claim-success__quantity">
                    {fill(
                        t.claim.quantity_of,
                        &[("n", claim.quantity.to_string()), ("unit", wish.unit.clone())],
                    )}
                </p>
                <a class="button claim-success__link" href="/me/claims">{t.claim.to_my_claims}</a>
            </div>
        }
        .into_any();
    }
    let next_step = match claim.slot_start.zip(claim.slot_end) {
        Some((start, end)) => view! {
            <p class="claim-success__what">{fill(t.claim.visit_at, &[("slot", t.slot(start, end))])}</p>
            <p class="claim-success__where">{t.claim.contact_in_my_claims}</p>
        }
        .into_any(),
        None => view! {
            <p class="claim-success__what">
                {fill(
                    t.claim.deliver_by,
                    &[("time", t.date_time(claim.hold_until)), ("station", wish.station.clone())],
                )}
            </p>
            <p class="claim-success__where">{wish.station_location.clone()}</p>
            <WishStation wish=wish.clone() />
        }
        .into_any(),
    };
    view! {
        <div class="claim-success" role="status">
            <h2 class="claim-success__title">
                {if wish.kind == WishKind::Service { t.claim.success_title_service } else { t.claim.success_title }}
            </h2>
            <p class="claim-success__quantity">
                {fill(
                    t.claim.quantity_of,
                    &[("n", claim.quantity.to_string()), ("unit", wish.unit.clone())],
                )}
            </p>
            {next_step}
            <a class="button claim-success__link" href="/me/claims">{t.claim.to_my_claims}</a>
        </div>
    }
    .into_any()
}
