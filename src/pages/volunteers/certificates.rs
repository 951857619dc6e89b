//! A volunteer's service certificates on their card, for a worker of their community: each
//! with its period, totals and standing, opened to read it; a valid one revoked with a reason
//! the volunteer reads (its verification page then says 已撤销). Loaded when opened: it needs
//! the network (certificates are not synced).

use leptos::prelude::*;
use microwish_core::certificate::{Certificate, RevokeCertificate};
use microwish_core::command::REASON_CHARS;
use microwish_core::{CertificateId, RuleError, UserId};

use crate::api::{self, ApiError};
use crate::i18n::{fill, t};
use crate::pages::certificates::Row;

#[component]
pub(super) fn VolunteerCertificates(volunteer: UserId) -> impl IntoView {
    let t = t();
    let open = RwSignal::new(false);
    let list = LocalResource::new(move || {
        let open = open.get();
        async move {
            if open {
                api::volunteer_certificates(volunteer).await.map(Some)
            } else {
                Ok(None)
            }
        }
    });
    let count = move || match list.get() {
        Some(Ok(Some(page))) => page.items.len().to_string(),
        _ => "…".to_owned(),
    };
    view! {
        <details class="volunteer-card__certificates" on:toggle=move |event| {
            use wasm_bindgen::JsCast;
            let opened = event
                .target()
                .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
                .is_some_and(|details| details.has_attribute("open"));
            open.set(opened);
        }>
            <summary>{move || fill(t.certificates.of_volunteer, &[("n", count())])}</summary>
            {move || match list.get() {
                Some(Ok(Some(page))) if page.items.is_empty() => view! {
                    <p class="empty">{t.certificates.none_issued}</p>
                }
                .into_any(),
                Some(Ok(Some(page))) => view! {
                    <ul class="certificate-list">
                        {page
                            .items
                            .into_iter()
                            .map(|certificate| view! {
                                <li><Revocable certificate on_revoked=Callback::new(move |_| list.refetch()) /></li>
                            })
                            .collect_view()}
                    </ul>
                }
                .into_any(),
                Some(Err(error)) => view! { <p class="form-error" role="alert">{t.error(&error)}</p> }.into_any(),
                _ => view! { <p class="loading">{t.loading}</p> }.into_any(),
            }}
        </details>
    }
}

/// One certificate, with 撤销 (asking why) while it is valid.
#[component]
fn Revocable(certificate: Certificate, on_revoked: Callback<()>) -> impl IntoView {
    let t = t();
    let id: CertificateId = certificate.id;
    let valid = certificate.valid;
    let asking = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let invalid = RwSignal::new(None::<String>);
    let revoke = Action::new_local(move |revoke: &RevokeCertificate| {
        let revoke = revoke.clone();
        async move { api::revoke_certificate(id, &revoke).await }
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = revoke.value().get() {
            on_revoked.run(());
        }
    });
    let refused = move || {
        revoke.value().with(|answer| match answer {
            Some(Err(error)) => Some(t.problem_with_fields(error)),
            _ => None,
        })
    };
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let request = RevokeCertificate {
            reason: reason.get_untracked(),
        };
        // Checked by core's rule before it is sent: a reason is required.
        match request.validate() {
            Err(RuleError::Validation(errors)) => {
                invalid.set(Some(t.problem_with_fields(&ApiError::invalid(errors.0))));
            }
            _ => {
                invalid.set(None);
                revoke.dispatch(request);
            }
        }
    };
    let reason_text = certificate.revoke_reason.clone().map(|reason| {
        view! { <p class="volunteer-card__note certificate__revoked-why">{t.labelled(t.certificates.revoke_reason, &reason)}</p> }
    });
    view! {
        <Row certificate />
        {reason_text}
        {valid.then(|| view! {
            <Show when=move || asking.get() fallback=move || view! {
                <button type="button" class="button button--quiet certificate__revoke"
                    on:click=move |_| asking.set(true)>
                    {t.certificates.revoke}
                </button>
            }>
                <form class="volunteer-card__form certificate__revoke-form" on:submit=submit>
                    <label class="field">
                        <span class="field__label">{t.certificates.revoke_reason}</span>
                        <input class="field__input" name="revoke_reason"
                            maxlength=REASON_CHARS.end().to_string()
                            placeholder=t.certificates.revoke_placeholder bind:value=reason
                            on:input=move |_| invalid.set(None) />
                    </label>
                    <div class="volunteer-card__actions">
                        <button type="submit" class="button button--danger certificate__revoke-yes"
                            disabled=move || revoke.pending().get()>
                            {t.certificates.revoke_submit}
                        </button>
                        <button type="button" class="button button--quiet"
                            on:click=move |_| asking.set(false)>
                            {t.certificates.cancel}
                        </button>
                    </div>
                </form>
            </Show>
        })}
        {move || invalid.get().or_else(refused).map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
    }
}
