use chrono::NaiveDate;
use leptos::prelude::*;
use microwish_core::clock::days_until;
use microwish_core::PublicWish;

use crate::components::ProgressBar;
use crate::i18n::t;

/// One wish in a list: what is wished, for whom (alias and broad group only), where,
/// how much is still needed and by when. The whole card links to the wish.
///
/// A sync that changes only how much is claimed (the common case) updates the card's
/// figures in place; anything else redraws the card.
#[component]
pub fn WishCard(#[prop(into)] wish: Signal<PublicWish>, today: NaiveDate) -> impl IntoView {
    let t = t();
    // Everything but the counters and the status: a change there redraws the card.
    let face = Memo::new(move |_| wish.with(face_of));
    let status = move || wish.with(|wish| wish.status);
    let claimed = Signal::derive(move || wish.with(|wish| wish.claimed));
    let remaining = move || wish.with(|wish| wish.remaining);
    move || {
        face.track();
        let wish = wish.get_untracked();
        let due = wish.needed_by.map(|date| {
            let urgent = days_until(date, today) <= 3 && !wish.status.is_done();
            view! {
                <span class="wish-card__due" class:wish-card__due--urgent=urgent>
                    {t.deadline(date, today, wish.status)}
                </span>
            }
        });
        view! {
            <a
                class="wish-card"
                href=format!("/wishes/{}", wish.id)
                data-kind=wish.kind.as_str()
                data-status=move || status().as_str()
            >
                <div class="wish-card__tags">
                    <span class=format!("tag tag--{}", wish.kind)>{t.kind(wish.kind)}</span>
                    <span class="tag">{t.category(wish.category)}</span>
                    <span class=move || format!("status status--{}", status())>
                        {move || t.status(status())}
                    </span>
                </div>
                <h3 class="wish-card__title">{wish.title.clone()}</h3>
                <p class="wish-card__who">
                    <span class="wish-card__alias">{wish.alias.clone()}</span>
                    {format!(" · {} · {}", t.group(wish.group), wish.grid_name)}
                </p>
                <ProgressBar done=claimed total=wish.quantity label=t.progress_claimed />
                <div class="wish-card__bottom">
                    <span class="wish-card__need">
                        {t.still_needed}
                        " "
                        <strong>{remaining}</strong>
                        {format!("/{} {}", wish.quantity, wish.unit)}
                    </span>
                    {due}
                </div>
            </a>
        }
    }
}

/// What the card draws once: a digest of every field but the counters and the status.
fn face_of(wish: &PublicWish) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    (
        wish.id,
        wish.kind,
        wish.category,
        &wish.title,
        &wish.alias,
        wish.group,
        &wish.grid_name,
        &wish.unit,
        wish.quantity,
        wish.needed_by,
    )
        .hash(&mut hasher);
    hasher.finish()
}
