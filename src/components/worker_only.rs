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
    let session = use_session();
    move || match session.state() {
        SessionState::Checking => view! { <p class="loading">{t.loading}</p> }.into_any(),
        SessionState::LoggedOut => view! { <LoginRedirect /> }.into_any(),
        SessionState::LoggedIn(me) if me.role == Role::Worker => children(me).into_any(),
        SessionState::LoggedIn(_) => view! {
            <div class="page notice" role="alert">
                <p class="notice__title">{t.worker.workers_only}</p>
                <p>{t.worker.workers_only_hint}</p>
                <a class="button" href="/">{t.back_to_list}</a>
            </div>
        }
        .into_any(),
    }
}
