//! Residents' requests (诉求): the resident's form ([`form`], with [`photo_picker`]), their
//! list ([`mine`]), a request's page ([`detail`]: its facts, photos and [`timeline`], and what
//! each person may do with it: [`answer`] for its requester, [`triage`] for the workers,
//! [`handling`] for whoever holds it), the workers' [`inbox`], property staff's [`assigned`],
//! the party-member volunteers' [`calls`] and the public [`board`]. Everything but the
//! timeline and the board is read from the device's cache, so it works offline; every step
//! is a command through the sync's outbox.

mod answer;
mod assigned;
mod board;
mod calls;
mod card;
mod detail;
mod form;
mod handling;
mod inbox;
mod mine;
mod photo_picker;
mod timeline;
mod triage;

pub use assigned::AssignedPage;
pub use board::BoardPage;
pub use calls::CallsPage;
pub use detail::RequestPage;
pub use form::RequestFormPage;
pub use inbox::InboxPage;
pub use mine::MyRequestsPage;

use leptos::prelude::*;
use microwish_core::command::Command;
use microwish_core::engine::{MutateError, SessionState};
use microwish_core::{BuildingId, Me};

use super::FormProblem;
use crate::components::LoginRedirect;
use crate::i18n::t;
use crate::session::use_session;
use crate::state::Data;
use crate::sync::use_sync;

/// A page for anyone signed in: `children` given who it is; a visitor is sent to log in.
#[component]
fn SignedIn<V: IntoView + 'static>(
    children: impl Fn(Me) -> V + Send + Sync + 'static,
) -> impl IntoView {
    let session = use_session();
    // Rebuilt only when who is logged in changes (the engine re-announces the same one).
    let state = Memo::new(move |_| session.state());
    move || match state.get() {
        SessionState::Checking => view! { <p class="loading">{t().loading}</p> }.into_any(),
        SessionState::LoggedOut => view! { <LoginRedirect /> }.into_any(),
        SessionState::LoggedIn(me) => children(me).into_any(),
    }
}

/// A building's name from the cache (tracked), or nothing while it is not known.
fn building_name(data: Data, id: BuildingId) -> String {
    data.buildings
        .get(&id)
        .map(|building| building.name)
        .unwrap_or_default()
}

/// One step on a request: the command goes through the sync (checked by core's rules over
/// the cache, queued, shown at once); a refusal shows under the form that made it.
#[derive(Clone, Copy)]
struct Step {
    action: Action<Command, Result<(), MutateError>>,
    problem: RwSignal<Option<FormProblem>>,
}

impl Step {
    fn new() -> Step {
        let sync = use_sync();
        let problem = RwSignal::new(None::<FormProblem>);
        let action = Action::new_local(move |command: &Command| {
            let command = command.clone();
            async move { sync.mutate(command).await }
        });
        Effect::new(move |_| {
            if let Some(Err(error)) = action.value().get() {
                problem.set(Some(FormProblem::Refused(error)));
            }
        });
        Step { action, problem }
    }

    fn run(&self, command: Command) {
        if !self.action.pending().get_untracked() {
            self.problem.set(None);
            self.action.dispatch(command);
        }
    }

    fn pending(&self) -> Signal<bool> {
        self.action.pending().into()
    }

    /// The last command went through (tracked).
    fn done(&self) -> bool {
        self.action
            .value()
            .with(|answer| matches!(answer, Some(Ok(()))))
    }

    /// The refusal's field errors and its message, for the form and its foot.
    fn problem(
        &self,
    ) -> (
        Signal<Vec<microwish_core::FieldError>>,
        Signal<Option<String>>,
    ) {
        super::form_problem(self.problem)
    }
}
