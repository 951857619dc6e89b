//! The code a giver shows at the grid station, large and in two groups of three (offline
//! too: it comes with the claim).

use leptos::prelude::*;
use microwish_core::HandoverCode;

use crate::i18n::t;

#[component]
pub fn HandoverCodeView(code: HandoverCode) -> impl IntoView {
    let t = t();
    view! {
        <div class="handover-code" data-code=code.as_str().to_owned()>
            <p class="handover-code__title">{t.handover.code_title}</p>
            <p class="handover-code__code" aria-label=code.as_str().to_owned()>{code.grouped()}</p>
            <p class="handover-code__hint">{t.handover.code_hint}</p>
        </div>
    }
}
