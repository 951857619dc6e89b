use leptos::prelude::*;
use microwish_core::command::{
    ClaimRef, Command, ConfirmClaim, RecordThanks, RejectClaim, ReleaseClaim,
};
use microwish_core::{ClaimStatus, ClaimView};

use crate::components::{ClaimActions, ClaimCard};
use crate::i18n::t;
use crate::sync::use_sync;

/// A claim card whose actions go through the outbox: shown at once, sent when online,
/// marked "待同步" until the server has taken them.
#[component]
pub fn LiveClaim(claim: ClaimView, as_worker: bool) -> impl IntoView {
    let t = t();
    let sync = use_sync();
    let id = claim.id;
    let step = Action::new_local(move |command: &Command| {
        let command = command.clone();
        async move { sync.mutate(command).await }
    });
    let error = Signal::derive(move || {
        step.value().with(|answer| {
            answer
                .as_ref()
                .and_then(|answer| answer.as_ref().err())
                .map(|error| t.mutate_error(error))
        })
    });
    let actions = if as_worker {
        ClaimActions::Worker {
            confirm: Callback::new(move |minutes| {
                step.dispatch(Command::ConfirmClaim(ConfirmClaim {
                    claim_id: id,
                    minutes,
                }));
            }),
            reject: Callback::new(move |reason| {
                step.dispatch(Command::RejectClaim(RejectClaim {
                    claim_id: id,
                    reason,
                }));
            }),
            thank: Callback::new(move |text| {
                step.dispatch(Command::RecordThanks(RecordThanks { claim_id: id, text }));
            }),
        }
    } else {
        ClaimActions::Owner {
            deliver: Callback::new(move |_| {
                step.dispatch(Command::MarkDelivered(ClaimRef { claim_id: id }));
            }),
            release: Callback::new(move |quantity| {
                step.dispatch(Command::ReleaseClaim(ReleaseClaim {
                    claim_id: id,
                    quantity,
                }));
            }),
        }
    };
    let pending = move || sync.data.is_pending_claim(id);
    view! {
        <div class="live-claim" class:live-claim--pending=pending>
            <Show when=pending>
                <span class="badge badge--pending">{t.sync.pending_badge}</span>
            </Show>
            // What needs the server's answer waits for it: no actions on a change in flight.
            {move || {
                let actions = if pending() { ClaimActions::None } else { actions };
                // A claim not yet taken by the server reads 待发送; a change to a taken one
                // (a worker's confirmation in the outbox) shows the state it leads to.
                let waiting = pending() && claim.status == ClaimStatus::Active;
                view! { <ClaimCard claim=claim.clone() actions busy=step.pending() error waiting /> }
            }}
        </div>
    }
}
