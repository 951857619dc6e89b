use leptos::prelude::*;
use microwish_core::command::RejectRequest;
use microwish_core::{ClaimStatus, ClaimView, Page, Role};

use crate::api::{self, ApiError};
use crate::components::{ClaimActions, ClaimCard, LoadError, LoginRedirect};
use crate::i18n::t;
use crate::pages::failure;
use crate::session::{use_session, SessionState};

/// `/worker/claims` "待确认": for community workers, the claims delivered and waiting for
/// confirmation, then those still under way; each confirmed or sent back from its card.
#[component]
pub fn WorkerClaimsPage() -> impl IntoView {
    let t = t();
    let session = use_session();
    view! {
        <header class="page-head">
            <h1 class="page-head__title">{t.worker.title}</h1>
        </header>
        {move || match session.state() {
            SessionState::Checking => view! { <p class="loading">{t.loading}</p> }.into_any(),
            SessionState::LoggedOut => view! { <LoginRedirect /> }.into_any(),
            SessionState::LoggedIn(me) if me.role == Role::Worker => view! { <WorkerQueue /> }.into_any(),
            SessionState::LoggedIn(_) => view! {
                <div class="page notice" role="alert">
                    <p class="notice__title">{t.worker.workers_only}</p>
                    <p>{t.worker.workers_only_hint}</p>
                    <a class="button" href="/">{t.back_to_list}</a>
                </div>
            }
            .into_any(),
        }}
    }
}

#[component]
fn WorkerQueue() -> impl IntoView {
    let t = t();
    let delivered = LocalResource::new(|| api::claims(Some(ClaimStatus::Delivered)));
    let active = LocalResource::new(|| api::claims(Some(ClaimStatus::Active)));
    view! {
        <QueueSection title=t.worker.delivered_section empty=t.worker.none_delivered claims=delivered />
        <QueueSection title=t.worker.active_section empty=t.worker.none_active claims=active />
    }
}

#[component]
fn QueueSection(
    title: &'static str,
    empty: &'static str,
    claims: LocalResource<Result<Page<ClaimView>, ApiError>>,
) -> impl IntoView {
    let t = t();
    let session = use_session();
    Effect::new(move |_| {
        if let Some(Err(error)) = claims.get() {
            session.check(&error);
        }
    });
    let retry = Callback::new(move |_| claims.refetch());
    view! {
        <section class="claims" aria-live="polite">
            <h2 class="section-title">
                {title}
                {move || claims.get().and_then(Result::ok).map(|page| format!("({})", page.items.len()))}
            </h2>
            {move || match claims.get() {
                None => view! { <p class="loading">{t.loading}</p> }.into_any(),
                Some(Err(error)) => view! { <LoadError message=t.error(&error) on_retry=retry /> }.into_any(),
                Some(Ok(page)) if page.items.is_empty() => view! { <p class="empty">{empty}</p> }.into_any(),
                Some(Ok(page)) => view! {
                    <ul class="claim-list">
                        {page.items.into_iter().map(|claim| view! { <li><QueuedClaim claim /></li> }).collect_view()}
                    </ul>
                }
                .into_any(),
            }}
        </section>
    }
}

#[derive(Debug, Clone)]
enum WorkerStep {
    Confirm,
    Reject(String),
}

/// A claim a worker confirms or sends back; the card shows it as the server returns it.
#[component]
fn QueuedClaim(claim: ClaimView) -> impl IntoView {
    let t = t();
    let session = use_session();
    let id = claim.id;
    let current = RwSignal::new(claim);
    let step = Action::new_local(move |step: &WorkerStep| {
        let step = step.clone();
        async move {
            match step {
                WorkerStep::Confirm => api::confirm_claim(id).await,
                WorkerStep::Reject(reason) => {
                    api::reject_claim(id, &RejectRequest { reason }).await
                }
            }
        }
    });
    Effect::new(move |_| {
        step.value().with(|answer| match answer {
            Some(Ok(claim)) => current.set(claim.clone()),
            Some(Err(error)) => session.check(error),
            None => {}
        })
    });
    let error = Signal::derive(move || {
        step.value()
            .with(|answer| failure(answer.as_ref()))
            .map(|error: ApiError| t.problem_with_fields(&error))
    });
    let actions = ClaimActions::Worker {
        confirm: Callback::new(move |_| {
            step.dispatch(WorkerStep::Confirm);
        }),
        reject: Callback::new(move |reason| {
            step.dispatch(WorkerStep::Reject(reason));
        }),
    };
    let busy = step.pending();
    move || view! { <ClaimCard claim=current.get() actions busy error /> }
}
