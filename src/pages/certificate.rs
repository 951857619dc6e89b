//! `/certificates/:id` 志愿服务时长证明: the certificate itself, for anyone holding its link — the
//! volunteer prints it (A4, or shows it on the phone), a school or employer scans its QR code
//! and reads the same page: the totals taken when it was issued and, in large letters, whether
//! it is still valid. Never a household: the server sends totals only.

use leptos::prelude::*;
use microwish_core::certificate::Certificate;
use microwish_core::clock::community_today;
use microwish_core::{CertificateId, ProblemCode};

use crate::api::{self, ApiError};
use crate::components::LoadError;
use crate::i18n::{fill, t};
use crate::pages::id_param;

#[component]
pub fn CertificatePage() -> impl IntoView {
    let t = t();
    let id = id_param::<CertificateId>();
    let certificate = LocalResource::new(move || {
        let id = id();
        async move {
            match id {
                Some(id) => api::certificate(id).await,
                None => Err(ApiError::of(ProblemCode::NotFound)),
            }
        }
    });
    view! {
        <section class="page certificate-page" aria-live="polite">
            {move || match certificate.get() {
                None => view! { <p class="loading">{t.loading}</p> }.into_any(),
                Some(Ok(certificate)) => view! { <CertificateView certificate /> }.into_any(),
                Some(Err(error)) if error.is(ProblemCode::NotFound) => view! {
                    <p class="empty certificate-page__missing">{t.certificates.not_found}</p>
                }
                .into_any(),
                Some(Err(error)) => view! {
                    <LoadError message=t.error(&error) on_retry=Callback::new(move |_| certificate.refetch()) />
                }
                .into_any(),
            }}
        </section>
    }
}

#[component]
fn CertificateView(certificate: Certificate) -> impl IntoView {
    let t = t();
    let words = &t.certificates;
    let (status, status_class) = if certificate.valid {
        (
            words.valid,
            "certificate__status certificate__status--valid",
        )
    } else {
        (
            words.revoked,
            "certificate__status certificate__status--revoked",
        )
    };
    let confirmed_by = if certificate.confirmed_by.is_empty() {
        "—".to_owned()
    } else {
        let names: Vec<&str> = certificate
            .confirmed_by
            .iter()
            .map(String::as_str)
            .collect();
        t.list(&names)
    };
    let facts = [
        (words.volunteer, certificate.volunteer_name.clone()),
        (words.community, certificate.community_name.clone()),
        (words.period, t.certificate_period(&certificate)),
        (
            words.visits,
            fill(words.visits_count, &[("n", certificate.visits.to_string())]),
        ),
        (words.hours, t.duration(certificate.minutes)),
        (words.confirmed_by, confirmed_by),
        (
            words.issued_on,
            t.full_date(community_today(certificate.issued_at)),
        ),
        (words.number, certificate.id.to_string()),
    ]
    .into_iter()
    .map(|(label, value)| {
        view! {
            <div class="certificate__fact">
                <dt>{label}</dt>
                <dd>{value}</dd>
            </div>
        }
    })
    .collect_view();
    let standing = match certificate.revoked_at {
        None => view! { <p class="certificate__note">{words.valid_note}</p> }.into_any(),
        Some(at) => {
            let reason = certificate.revoke_reason.clone().map(|reason| {
                view! { <p class="certificate__reason">{t.labelled(words.revoke_reason, &reason)}</p> }
            });
            view! {
                <p class="certificate__note certificate__note--revoked">
                    {fill(words.revoked_on, &[("date", t.full_date(community_today(at)))])}
                </p>
                {reason}
            }
            .into_any()
        }
    };
    let print = move |_| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    };
    view! {
        <article class="certificate" data-valid=certificate.valid.to_string()>
            <p class=status_class role="status">{status}</p>
            <h1 class="certificate__title">{words.title}</h1>
            <p class="certificate__statement">{t.certificate_statement(&certificate)}</p>
            <dl class="certificate__facts">{facts}</dl>
            {standing}
            <figure class="certificate__qr">
                <img src=api::certificate_qr(certificate.id) alt=words.qr_alt width="144" height="144" />
                <figcaption>{words.scan}</figcaption>
            </figure>
        </article>
        <button type="button" class="button button--wide certificate__print" on:click=print>
            {words.print}
        </button>
    }
}
