use leptos::prelude::*;
use microwish_core::{ClaimView, Me, Role};

use crate::api::{self, ApiError};
use crate::components::{ClaimActions, ClaimCard, LoadError, LoginRedirect};
use crate::i18n::{fill, t};
use crate::pages::failure;
use crate::session::{use_session, SessionState};

/// `/me/claims` "我的认领": the logged-in user's claims, newest first, each with what to
/// do next; logged-out visitors are sent to log in first.
#[component]
pub fn MyClaimsPage() -> impl IntoView {
    let t = t();
    let session = use_session();
    view! {
        <header class="page-head">
            <h1 class="page-head__title">{t.claim.my_title}</h1>
        </header>
        {move || match session.state() {
            SessionState::Checking => view! { <p class="loading">{t.loading}</p> }.into_any(),
            SessionState::LoggedOut => view! { <LoginRedirect /> }.into_any(),
            SessionState::LoggedIn(me) => view! { <MyClaims me /> }.into_any(),
        }}
    }
}

#[component]
fn MyClaims(me: Me) -> impl IntoView {
    let t = t();
    let session = use_session();
    let claims = LocalResource::new(api::my_claims);
    Effect::new(move |_| {
        if let Some(Err(error)) = claims.get() {
            session.check(&error);
        }
    });
    let retry = Callback::new(move |_| claims.refetch());
    let volunteer_time = (me.role == Role::Volunteer).then(|| {
        let minutes = me.volunteer_minutes.to_string();
        view! { <p class="page-head__sub">{fill(t.claim.volunteer_time, &[("minutes", minutes)])}</p> }
    });
    view! {
        {volunteer_time}
        <section class="claims" aria-live="polite">
            {move || match claims.get() {
                None => view! { <p class="loading">{t.loading}</p> }.into_any(),
                Some(Err(error)) => view! { <LoadError message=t.error(&error) on_retry=retry /> }.into_any(),
                Some(Ok(page)) if page.items.is_empty() => view! {
                    <div class="empty">
                        <p class="empty__title">{t.claim.empty}</p>
                        <a class="button" href="/">{t.claim.browse}</a>
                    </div>
                }
                .into_any(),
                Some(Ok(page)) => view! {
                    <ul class="claim-list">
                        {page.items.into_iter().map(|claim| view! { <li><OwnClaim claim /></li> }).collect_view()}
                    </ul>
                }
                .into_any(),
            }}
        </section>
    }
}

#[derive(Debug, Clone, Copy)]
enum OwnerStep {
    Deliver,
    Release,
}

/// One of the user's claims, which they may mark delivered or give back; the card shows
/// the claim as the server returns it after each step.
#[component]
fn OwnClaim(claim: ClaimView) -> impl IntoView {
    let t = t();
    let session = use_session();
    let id = claim.id;
    let current = RwSignal::new(claim);
    let step = Action::new_local(move |step: &OwnerStep| {
        let step = *step;
        async move {
            match step {
                OwnerStep::Deliver => api::deliver_claim(id).await,
                OwnerStep::Release => api::release_claim(id).await,
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
    let actions = ClaimActions::Owner {
        deliver: Callback::new(move |_| {
            step.dispatch(OwnerStep::Deliver);
        }),
        release: Callback::new(move |_| {
            step.dispatch(OwnerStep::Release);
        }),
    };
    let busy = step.pending();
    move || view! { <ClaimCard claim=current.get() actions busy error /> }
}
