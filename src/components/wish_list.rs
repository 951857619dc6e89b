use chrono::NaiveDate;
use leptos::prelude::*;
use microwish_core::{PublicWish, WishId};

use crate::components::WishCard;
use crate::i18n::t;
use crate::state::use_data;

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

/// Wish cards for the ids given, each following its own wish in the cache: when a sync
/// changes one wish, only its card is drawn again.
#[component]
pub fn LiveWishList(
    #[prop(into)] ids: Signal<Vec<WishId>>,
    today: NaiveDate,
    /// What to say when there is nothing: (title, hint); by default, that no wish matches the
    /// filters.
    #[prop(optional)]
    empty_text: Option<(&'static str, &'static str)>,
) -> impl IntoView {
    let data = use_data();
    // Only emptiness redraws the whole list; which ids are shown is `For`'s to diff.
    let empty = Memo::new(move |_| ids.with(Vec::is_empty));
    let (empty_title, empty_hint) = empty_text.unwrap_or((t().no_wishes, t().no_wishes_hint));
    move || {
        if empty.get() {
            return view! {
                <div class="empty">
                    <p class="empty__title">{empty_title}</p>
                    <p class="empty__hint">{empty_hint}</p>
                </div>
            }
            .into_any();
        }
        view! {
            <ul class="wish-list">
                <For
                    each=move || ids.get()
                    key=|id| *id
                    children=move |id| {
                        let wish = data.wishes.signal(&id);
                        view! {
                            <li>
                                {wish.clone().map(|wish| view! { <WishCard wish today /> })}
                            </li>
                        }
                    }
                />
            </ul>
        }
        .into_any()
    }
}
