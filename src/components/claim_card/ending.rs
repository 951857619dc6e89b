//! Why a claim ended, in its giver's words: a withdrawn wish says so and thanks them (their
//! gift was not refused) with a way on to other wishes; a refusal gives the worker's reason.

use leptos::prelude::*;
use microwish_core::giving::ClaimEnding;

use crate::i18n::t;

/// The reason a claim ended with, labelled for how it ended; for a withdrawn wish, its giver
/// is thanked and shown the way to the wishes still open.
#[component]
pub(super) fn Ending(
    ending: Option<ClaimEnding>,
    reason: Option<String>,
    /// The claim's giver is looking (not a worker).
    giver: bool,
) -> impl IntoView {
    let t = t();
    let reason = reason.map(|reason| {
        view! {
            <p class="claim-card__reason">{t.labelled(t.ending_reason(ending), &reason)}</p>
        }
    });
    let thanks = (giver && ending == Some(ClaimEnding::WishWithdrawn)).then(|| {
        view! {
            <div class="claim-card__withdrawn">
                <p class="claim-card__withdrawn-thanks">{t.giving.withdrawn_thanks}</p>
                <a class="button claim-card__other-wishes" href="/">{t.giving.other_wishes}</a>
            </div>
        }
    });
    view! {
        {reason}
        {thanks}
    }
}
