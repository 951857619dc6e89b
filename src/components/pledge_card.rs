use leptos::prelude::*;
use microwish_core::command::{AllocationRef, Command, PledgeRef, ThankShop};
use microwish_core::{AllocationStatus, AllocationView, Pledge};

use crate::components::{HandoverCodeView, ProgressBar, SecondYes};
use crate::i18n::t;
use crate::state::use_data;
use crate::sync::use_sync;

/// A pledge with where every unit went (wish, alias, grid and station: nothing private) and
/// the thanks received. The shop marks its goods dropped at the station; a worker confirms,
/// cancels or writes down the thanks. Every step goes through the outbox, offline too.
#[component]
pub fn PledgeCard(pledge: Pledge, as_worker: bool) -> impl IntoView {
    let t = t();
    let data = use_data();
    let sync = use_sync();
    let id = pledge.id;
    let step = Action::new_local(move |command: &Command| {
        let command = command.clone();
        async move { sync.mutate(command).await }
    });
    let error = move || {
        step.value().with(|answer| {
            answer
                .as_ref()
                .and_then(|answer| answer.as_ref().err())
                .map(|error| t.mutate_error(error))
        })
    };
    let pending = move || data.is_pending_pledge(id);
    // No second step on a change still in flight.
    let busy = Signal::derive(move || pending() || step.pending().get());
    let unit = pledge.unit.clone();
    let summary = t.pledge_summary(&pledge);
    let withdrawn = pledge.withdrawn_at.is_some();
    let variants = pledge
        .variants
        .iter()
        .map(|variant| {
            let left = pledge.left(Some(&variant.label));
            view! {
                <li class="size-chip" class:size-chip--empty=left == 0>
                    <span class="size-chip__label">{variant.label.clone()}</span>
                    <span class="size-chip__count">{format!("{}/{}", variant.allocated, variant.quantity)}</span>
                </li>
            }
        })
        .collect_view();
    let mut allocations = pledge.allocations.clone();
    // Live ones first, newest first; cancelled ones last.
    allocations.sort_by_key(|allocation| {
        (
            allocation.status == AllocationStatus::Cancelled,
            std::cmp::Reverse(allocation.created_at),
        )
    });
    let went = if allocations.is_empty() {
        view! { <p class="empty">{t.shops.not_allocated_yet}</p> }.into_any()
    } else {
        let unit = unit.clone();
        view! {
            <ul class="allocation-list">
                {allocations
                    .into_iter()
                    .map(|allocation| {
                        view! {
                            <li>
                                <AllocationRow allocation unit=unit.clone() as_worker step busy />
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <article class="pledge-card" class:pledge-card--pending=pending data-pledge=id.to_string()>
            <header class="pledge-card__head">
                <h2 class="pledge-card__title">{pledge.title.clone()}</h2>
                <span class="badge">{if pledge.yearly { t.shops.yearly } else { t.shops.once }}</span>
                {withdrawn.then(|| view! {
                    <span class="badge badge--withdrawn">{t.pledge_changes.withdrawn_badge}</span>
                })}
                <Show when=pending>
                    <span class="badge badge--pending">{t.sync.pending_badge}</span>
                </Show>
            </header>
            {as_worker.then(|| view! { <p class="pledge-card__shop">{pledge.shop_name.clone()}</p> })}
            <p class="pledge-card__summary">{summary}</p>
            <ProgressBar done=pledge.allocated total=pledge.quantity label=t.shops.went_to />
            <p class="pledge-card__left">
                {if withdrawn {
                    t.withdrawn_units(pledge.withdrawn_units(), &unit)
                } else {
                    t.pledge_left(pledge.remaining, &unit)
                }}
            </p>
            {(!pledge.variants.is_empty()).then(|| view! { <ul class="size-chips">{variants}</ul> })}
            {pledge.available_from.map(|date| view! {
                <p class="pledge-card__meta">{t.available_on(date)}</p>
            })}
            {(!pledge.note.is_empty()).then(|| view! { <p class="pledge-card__meta">{pledge.note.clone()}</p> })}
            {(as_worker && pledge.remaining > 0).then(|| view! {
                <a class="button button--primary" href=format!("/worker/pledges/{id}")>{t.shops.allocate}</a>
            })}
            {(!as_worker && !withdrawn).then(|| view! {
                <ShopPledgeActions id left=pledge.remaining unit=unit.clone() step busy />
            })}
            <h3 class="pledge-card__section">{t.shops.went_to}</h3>
            {went}
            {move || error().map(|error| view! { <p class="form-error" role="alert">{error}</p> })}
        </article>
    }
}

/// Where some units went, and the step its viewer may take next.
#[component]
fn AllocationRow(
    allocation: AllocationView,
    unit: String,
    as_worker: bool,
    step: Action<Command, Result<(), microwish_core::engine::MutateError>>,
    busy: Signal<bool>,
) -> impl IntoView {
    let t = t();
    let target = AllocationRef {
        allocation_id: allocation.id,
    };
    let status = allocation.status;
    let units = match &allocation.variant {
        Some(variant) => format!("{variant} × {} {unit}", allocation.quantity),
        None => format!("{} {unit}", allocation.quantity),
    };
    let place = format!(
        "{} · {} · {}",
        allocation.alias, allocation.grid_name, allocation.station
    );
    let thanks = RwSignal::new(String::new());
    let live = matches!(
        status,
        AllocationStatus::Allocated | AllocationStatus::Delivered
    );
    // The shop shows it at the station while the hand-over is still to come.
    let handover = allocation
        .handover_code
        .clone()
        .filter(|_| live && !as_worker)
        .map(|code| view! { <HandoverCodeView code /> });
    let actions = if as_worker {
        let confirm = target.clone();
        let cancel = target.clone();
        let thank = allocation.id;
        view! {
            {live.then(|| view! {
                <div class="allocation__actions">
                    <button type="button" class="button button--primary" disabled=busy
                        on:click=move |_| { step.dispatch(Command::ConfirmAllocation(confirm.clone())); }>
                        {t.shops.confirm}
                    </button>
                    <SecondYes label=t.shops.cancel.to_owned() question=t.shops.cancel_check.to_owned()
                        yes=t.shops.cancel_yes danger=true busy
                        on_yes=move || { step.dispatch(Command::CancelAllocation(cancel.clone())); } />
                </div>
            })}
            {(status == AllocationStatus::Confirmed && allocation.thanks.is_none()).then(|| view! {
                <form class="allocation__thanks-form" on:submit=move |event| {
                    event.prevent_default();
                    step.dispatch(Command::ThankShop(ThankShop {
                        allocation_id: thank,
                        text: thanks.get_untracked(),
                    }));
                }>
                    <label class="field">
                        <span class="field__label">{t.shops.record_thanks}</span>
                        <input class="field__input" type="text" maxlength="200"
                            placeholder=t.shops.thanks_placeholder
                            prop:value=thanks on:input=move |event| thanks.set(event_target_value(&event)) />
                    </label>
                    <button type="submit" class="button" disabled=busy>{t.shops.save_thanks}</button>
                </form>
            })}
        }
        .into_any()
    } else {
        view! { <DropOff target status station=allocation.station.clone() step busy /> }.into_any()
    };
    view! {
        <div
            class="allocation"
            class:allocation--cancelled=status == AllocationStatus::Cancelled
            data-status=status.as_str()
            data-wish=allocation.wish_id.to_string()
        >
            <p class="allocation__wish">
                <a href=format!("/wishes/{}", allocation.wish_id)>{allocation.wish_title.clone()}</a>
            </p>
            <p class="allocation__place">{place}</p>
            <p class="allocation__units">
                {units}
                " · "
                <span class=format!("allocation__status allocation__status--{}", status.as_str())>
                    {t.allocation_status(status)}
                </span>
            </p>
            {allocation.thanks.clone().map(|text| view! {
                <blockquote class="allocation__thanks">
                    <span class="allocation__thanks-label">{t.shops.thanks_from}</span>
                    {text}
                </blockquote>
            })}
            {handover}
            {actions}
        </div>
    }
}

/// The shop's step on its goods: marked dropped at the station after a second "yes" (the
/// worker then looks for them), and taken back until a worker confirms.
#[component]
fn DropOff(
    target: AllocationRef,
    status: AllocationStatus,
    station: String,
    step: Action<Command, Result<(), microwish_core::engine::MutateError>>,
    busy: Signal<bool>,
) -> impl IntoView {
    let t = t();
    match status {
        AllocationStatus::Allocated => view! {
            <SecondYes label=t.shops.mark_delivered.to_owned() question=t.deliver_check(&station)
                yes=t.pledge_changes.deliver_yes primary=true busy
                on_yes=move || { step.dispatch(Command::DeliverAllocation(target.clone())); } />
        }
        .into_any(),
        AllocationStatus::Delivered => view! {
            <p class="allocation__waiting">{t.pledge_changes.delivered_waiting}</p>
            <button type="button" class="button button--quiet" disabled=busy
                on:click=move |_| { step.dispatch(Command::UndeliverAllocation(target.clone())); }>
                {t.pledge_changes.undeliver}
            </button>
        }
        .into_any(),
        _ => ().into_any(),
    }
}

/// The shop's pledge: changed, or what is not yet given out withdrawn after a second "yes".
#[component]
fn ShopPledgeActions(
    id: microwish_core::PledgeId,
    left: u32,
    unit: String,
    step: Action<Command, Result<(), microwish_core::engine::MutateError>>,
    busy: Signal<bool>,
) -> impl IntoView {
    let t = t();
    view! {
        <div class="pledge-card__actions">
            <a class="button" href=format!("/shop/pledges/{id}/edit")>{t.pledge_changes.edit}</a>
            {(left > 0).then(|| view! {
                <SecondYes label=t.withdraw_pledge(left, &unit) question=t.withdraw_check(left, &unit)
                    yes=t.pledge_changes.withdraw_yes danger=true busy
                    on_yes=move || { step.dispatch(Command::WithdrawPledge(PledgeRef { pledge_id: id })); } />
            })}
        </div>
    }
}
