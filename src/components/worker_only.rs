use leptos::prelude::*;
use microwish_core::engine::SessionState;
use microwish_core::{Me, Role};

use crate::components::LoginRedirect;
use crate::i18n::t;
use crate::session::use_session;

/// The worker console's pages: for a logged-in community worker, `children` (given the
/// worker); a visitor is sent to log in; anyone else is told the page is for workers.
#[component]
pub fn WorkerOnly<V: IntoView + 'static>(
    children: impl Fn(Me) -> V + Send + Sync + 'static,
) -> impl IntoView {
    let t = t();
    only_for(
        Role::Worker,
        (t.worker.workers_only, t.worker.workers_only_hint),
        children,
    )
}

/// A shop's pages (我的捐赠, the pledge form), likewise for shopkeepers.
#[component]
pub fn ShopOnly<V: IntoView + 'static>(
    children: impl Fn(Me) -> V + Send + Sync + 'static,
) -> impl IntoView {
    let t = t();
    only_for(
        Role::Shopkeeper,
        (t.shops.shops_only, t.shops.shops_only_hint),
        children,
    )
}

fn only_for<V: IntoView + 'static>(
    role: Role,
    (refusal, hint): (&'static str, &'static str),
    children: impl Fn(Me) -> V + Send + Sync + 'static,
) -> impl IntoView {
    let t = t();
    let session = use_session();
    // The page, and any form being filled in on it, is rebuilt only when who is logged in
    // changes: not when the engine re-announces the same session, nor when the user's own
    // fields change (a pairing agreed gives a shop a partner while it types a pledge).
    let who = Memo::new(move |_| match session.state() {
        SessionState::Checking => None,
        SessionState::LoggedOut => Some(None),
        SessionState::LoggedIn(me) => Some(Some((me.id, me.role))),
    });
    move || match who.get() {
        None => view! { <p class="loading">{t.loading}</p> }.into_any(),
        Some(None) => view! { <LoginRedirect /> }.into_any(),
        Some(Some((_, signed_in))) if signed_in == role => match untrack(|| session.state()) {
            SessionState::LoggedIn(me) => children(me).into_any(),
            _ => ().into_any(),
        },
        Some(Some(_)) => view! {
            <div class="page notice" role="alert">
                <p class="notice__title">{refusal}</p>
                <p>{hint}</p>
                <a class="button" href="/">{t.back_to_list}</a>
            </div>
        }
        .into_any(),
    }
}
