//! A finished wish's page is not a dead end: it says the wish came true, shows the household's
//! thanks for the viewer's own part in it, and offers the open wishes most like it.

use leptos::prelude::*;
use microwish_core::giving::more_to_help;
use microwish_core::{PublicWish, WishStatus};

use crate::china_time::today;
use crate::components::LiveWishList;
use crate::i18n::t;
use crate::state::use_data;

/// How many other wishes are offered.
const MORE: usize = 3;

/// The wish came true: thanks to everyone, and the household's to the viewer.
#[component]
pub(super) fn Finished(wish: Signal<PublicWish>) -> impl IntoView {
    let t = t();
    let data = use_data();
    let id = wish.with_untracked(|wish| wish.id);
    // The household's thanks for the viewer's own claims on it (a worker sees every claim of
    // the community: only their own count here).
    let thanks = Memo::new(move |_| {
        let Some(me) = data.me() else {
            return Vec::new();
        };
        let mut mine = data.claims.values(|claim| {
            claim.wish_id == id && claim.claimer_id == me.id && claim.thanks.is_some()
        });
        mine.sort_by_key(|claim| claim.created_at);
        mine.into_iter()
            .filter_map(|claim| claim.thanks)
            .collect::<Vec<_>>()
    });
    view! {
        <section class="finished" aria-labelledby="finished-title">
            <h2 id="finished-title" class="finished__title">{t.giving.finished_title}</h2>
            <p class="finished__body">{t.giving.finished_body}</p>
            {move || {
                thanks
                    .get()
                    .into_iter()
                    .map(|text| view! {
                        <blockquote class="finished__thanks">
                            <span class="finished__thanks-title">{t.giving.thanks_to_you}</span>
                            {text}
                        </blockquote>
                    })
                    .collect_view()
            }}
        </section>
    }
}

/// The open wishes most like a finished one, and the way to all of them.
#[component]
pub(super) fn MoreToHelp(wish: Signal<PublicWish>) -> impl IntoView {
    let t = t();
    let data = use_data();
    let more = Memo::new(move |_| {
        let open = data
            .wishes
            .select_placed(|other| (other.status == WishStatus::Open).then(|| other.clone()));
        wish.with(|done| more_to_help(done, &open, MORE))
    });
    view! {
        <section class="finished__more" aria-labelledby="finished-more">
            <h2 id="finished-more" class="section-title">{t.giving.more_title}</h2>
            {move || {
                if more.with(Vec::is_empty) {
                    view! { <p class="finished__none">{t.giving.more_none}</p> }.into_any()
                } else {
                    view! { <LiveWishList ids=more today=today() /> }.into_any()
                }
            }}
            <a class="button button--wide finished__all" href="/">{t.giving.all_wishes}</a>
        </section>
    }
}
