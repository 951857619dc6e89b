//! `/me/certificates` 服务时长证明: a volunteer picks a period (this year so far unless they
//! change it) and issues a certificate of the house calls workers confirmed in it; the ones
//! already issued are listed, each leading to its printable page. The server counts (the
//! certificate is a record it keeps), so this page needs the network.

use chrono::{Datelike, NaiveDate};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use microwish_core::certificate::{Certificate, IssueCertificate};
use microwish_core::engine::SessionState;
use microwish_core::{Field, FieldCode, FieldError, Role};

use crate::api::{self, ApiError};
use crate::china_time::{date_input_value, today};
use crate::components::{Back, BackLink, DatePicker, FormError, LoadError, LoginRedirect};
use crate::i18n::t;
use crate::pages::failure;
use crate::session::use_session;

#[component]
pub fn MyCertificatesPage() -> impl IntoView {
    let t = t();
    let session = use_session();
    let state = Memo::new(move |_| session.state());
    view! {
        <BackLink to=Back::Me />
        <header class="page-head">
            <h1 class="page-head__title">{t.certificates.link}</h1>
        </header>
        {move || match state.get() {
            SessionState::Checking => view! { <p class="loading">{t.loading}</p> }.into_any(),
            SessionState::LoggedOut => view! { <LoginRedirect /> }.into_any(),
            SessionState::LoggedIn(me) if me.role == Role::Volunteer => view! { <Certificates /> }.into_any(),
            SessionState::LoggedIn(_) => view! {
                <p class="page-head__intro">{t.certificates.for_volunteers}</p>
            }
            .into_any(),
        }}
    }
}

#[component]
fn Certificates() -> impl IntoView {
    let t = t();
    let navigate = use_navigate();
    let to_day = today();
    let from = RwSignal::new(date_input_value(to_day.with_ordinal(1).unwrap_or(to_day)));
    let to = RwSignal::new(date_input_value(to_day));
    let years = to_day.year() - 5..=to_day.year();
    let list = LocalResource::new(api::my_certificates);
    let issue = Action::new_local(|request: &IssueCertificate| {
        let request = *request;
        async move { api::issue_certificate(&request).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(certificate)) = issue.value().get() {
            navigate(
                &format!("/certificates/{}", certificate.id),
                Default::default(),
            );
        }
    });
    let invalid = RwSignal::new(None::<ApiError>);
    let error = Signal::derive(move || {
        invalid
            .get()
            .or_else(|| failure(issue.value().get().as_ref()))
    });
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let day = |value: RwSignal<String>| {
            NaiveDate::parse_from_str(&value.get_untracked(), "%Y-%m-%d").ok()
        };
        match (day(from), day(to)) {
            (Some(from), Some(to)) => {
                invalid.set(None);
                if !issue.pending().get_untracked() {
                    issue.dispatch(IssueCertificate { from, to });
                }
            }
            (from, _) => {
                let field = if from.is_none() {
                    Field::From
                } else {
                    Field::To
                };
                invalid.set(Some(ApiError::invalid(vec![FieldError {
                    field,
                    code: FieldCode::Required,
                    message: String::new(),
                }])));
            }
        }
    };
    view! {
        <p class="page-head__intro">{t.certificates.mine_intro}</p>
        <form class="account__card certificate-issue" on:submit=on_submit>
            <DatePicker name="from" label=t.certificates.from value=from years=years.clone() />
            <DatePicker name="to" label=t.certificates.to value=to years />
            <FormError message=Signal::derive(move || error.get().map(|error| t.problem_with_fields(&error))) />
            <button class="button button--wide certificate-issue__submit" type="submit"
                disabled=move || issue.pending().get()>
                {t.certificates.issue}
            </button>
        </form>
        <h2 class="section-title">{t.certificates.issued}</h2>
        <section class="certificates" aria-live="polite">
            {move || match list.get() {
                None => view! { <p class="loading">{t.loading}</p> }.into_any(),
                Some(Ok(page)) if page.items.is_empty() => view! {
                    <p class="empty">{t.certificates.none_issued}</p>
                }
                .into_any(),
                Some(Ok(page)) => view! {
                    <ul class="certificate-list">
                        {page.items.into_iter().map(|certificate| view! { <li><Row certificate /></li> }).collect_view()}
                    </ul>
                }
                .into_any(),
                Some(Err(error)) => view! {
                    <LoadError message=t.error(&error) on_retry=Callback::new(move |_| list.refetch()) />
                }
                .into_any(),
            }}
        </section>
    }
}

/// One issued certificate: its period, its totals, whether it is still valid.
#[component]
pub fn Row(certificate: Certificate) -> impl IntoView {
    let t = t();
    let status = if certificate.valid {
        t.certificates.valid
    } else {
        t.certificates.revoked
    };
    view! {
        <a class="certificate-row" href=format!("/certificates/{}", certificate.id)
            data-valid=certificate.valid.to_string()>
            <span class="certificate-row__period">{t.certificate_period(&certificate)}</span>
            <span class="certificate-row__totals">
                {t.labelled(t.certificates.visits, &crate::i18n::fill(t.certificates.visits_count, &[("n", certificate.visits.to_string())]))}
                " · "
                {t.labelled(t.certificates.hours, &t.duration(certificate.minutes))}
            </span>
            <span class="certificate-row__status">{status}</span>
        </a>
    }
}
