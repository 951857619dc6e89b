use chrono::NaiveDate;
use leptos::prelude::*;
use microwish_core::PublicWish;

use crate::components::ProgressBar;
use crate::i18n::t;

/// One wish in a list: what is wished, for whom (alias and broad group only), where,
/// how much is still needed and by when. The whole card links to the wish.
#[component]
pub fn WishCard(wish: PublicWish, today: NaiveDate) -> impl IntoView {
    let t = t();
    let due = wish.needed_by.map(|date| {
        let urgent = crate::format::days_until(date, today) <= 3;
        view! {
            <span class="wish-card__due" class:wish-card__due--urgent=urgent>
                {format!("{}前 · {}", t.date(date), t.due(date, today))}
            </span>
        }
    });
    view! {
        <a
            class="wish-card"
            href=format!("/wishes/{}", wish.id)
            data-kind=wish.kind.as_str()
            data-status=wish.status.as_str()
        >
            <div class="wish-card__tags">
                <span class=format!("tag tag--{}", wish.kind)>{t.kind(wish.kind)}</span>
                <span class="tag">{t.category(wish.category)}</span>
                <span class=format!("status status--{}", wish.status)>{t.status(wish.status)}</span>
            </div>
            <h3 class="wish-card__title">{wish.title.clone()}</h3>
            <p class="wish-card__who">
                <span class="wish-card__alias">{wish.alias.clone()}</span>
                {format!(" · {} · {}", t.group(wish.group), wish.grid_name)}
            </p>
            <ProgressBar done=wish.claimed total=wish.quantity label=t.progress_claimed />
            <div class="wish-card__bottom">
                <span class="wish-card__need">
                    {t.still_needed}
                    " "
                    <strong>{wish.remaining}</strong>
                    {format!("/{} {}", wish.quantity, wish.unit)}
                </span>
                {due}
            </div>
        </a>
    }
}
