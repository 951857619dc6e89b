use chrono::NaiveDate;
use leptos::prelude::*;
use microwish_core::PublicWish;

use crate::components::WishCard;
use crate::i18n::t;

/// Wish cards, or a friendly note when nothing matches.
#[component]
pub fn WishList(wishes: Vec<PublicWish>, today: NaiveDate) -> impl IntoView {
    if wishes.is_empty() {
        return view! {
            <div class="empty">
                <p class="empty__title">{t().no_wishes}</p>
                <p class="empty__hint">{t().no_wishes_hint}</p>
            </div>
        }
        .into_any();
    }
    view! {
        <ul class="wish-list">
            {wishes
                .into_iter()
                .map(|wish| view! { <li><WishCard wish today /></li> })
                .collect_view()}
        </ul>
    }
    .into_any()
}
