use leptos::prelude::*;
use microwish_core::Reachable;

use crate::i18n::t;

/// Whether a worker can reach someone beyond the app (a push to their phone, an SMS), beside
/// a volunteer or a member of staff: someone with neither is to be called.
#[component]
pub fn Reachability(reachable: Reachable) -> impl IntoView {
    let t = t();
    view! {
        <p
            class="reachability"
            class:reachability--none=!reachable.push && !reachable.sms
            data-push=reachable.push.to_string()
            data-sms=reachable.sms.to_string()
        >
            {t.reachable(reachable)}
        </p>
    }
}
