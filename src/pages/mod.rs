//! One routed page per file.

pub mod account;
pub mod allocate;
pub mod campaign;
pub mod campaign_form;
pub mod certificate;
pub mod certificates;
pub mod console;
pub mod household_form;
pub mod households;
pub mod login;
pub mod my_claims;
pub mod not_found;
pub mod notices;
pub mod pairings;
pub mod pledge_form;
pub mod pledges;
pub mod privacy;
pub mod register;
pub mod requests;
pub mod reset;
pub mod shop;
pub mod shop_thanks;
pub mod shop_years;
pub mod stations;
pub mod stats;
pub mod volunteers;
pub mod wish_detail;
pub mod wish_form;
pub mod wish_list;
pub mod worker_claims;

pub use account::AccountPage;
pub use allocate::AllocatePage;
pub use campaign::CampaignPage;
pub use campaign_form::{CampaignEditPage, CampaignFormPage};
pub use certificate::CertificatePage;
pub use certificates::MyCertificatesPage;
pub use console::ConsolePage;
pub use household_form::HouseholdPage;
pub use households::HouseholdsPage;
pub use login::LoginPage;
pub use my_claims::MyClaimsPage;
pub use not_found::NotFound;
pub use notices::{NoticeOpenPage, NoticesPage};
pub use pairings::PairingsPage;
pub use pledge_form::{PledgeEditPage, PledgeFormPage};
pub use pledges::PledgesPage;
pub use privacy::PrivacyPage;
pub use register::RegisterPage;
pub use requests::{
    AssignedPage, BoardPage, CallsPage, InboxPage, MyRequestsPage, RequestFormPage, RequestPage,
};
pub use reset::ResetPage;
pub use shop::ShopPage;
pub use shop_thanks::ShopThanksPage;
pub use shop_years::WorkerShopPage;
pub use stations::StationsPage;
pub use stats::StatsPage;
pub use volunteers::VolunteersPage;
pub use wish_detail::WishDetailPage;
pub use wish_form::WishFormPage;
pub use wish_list::WishListPage;
pub use worker_claims::WorkerClaimsPage;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use microwish_core::engine::{MutateError, SyncStatus};
use microwish_core::{FieldError, RuleError};

use crate::api::ApiError;
use crate::i18n::t;
use crate::state::use_data;

/// The `:id` of the current route, if it is a well-formed id.
fn id_param<T: std::str::FromStr>() -> impl Fn() -> Option<T> + Copy {
    let params = use_params_map();
    move || params.read().get("id").and_then(|id| id.parse().ok())
}

/// The error of a finished request, if it failed.
fn failure<T>(answer: Option<&Result<T, ApiError>>) -> Option<ApiError> {
    answer.and_then(|answer| answer.as_ref().err().cloned())
}

/// The per-field errors of a request's failure, for the form's fields.
fn field_errors(error: Signal<Option<ApiError>>) -> Signal<Vec<FieldError>> {
    Signal::derive(move || {
        error.with(|error| {
            error
                .as_ref()
                .map(|error| error.field_errors().to_vec())
                .unwrap_or_default()
        })
    })
}

/// Why a worker's form did not go through: its own check found fields to fix (before
/// anything was queued), or the rules refused the command over the device's cache.
#[derive(Debug, Clone, PartialEq)]
enum FormProblem {
    Invalid(Vec<FieldError>),
    Refused(MutateError),
}

impl FormProblem {
    /// The refusal of core's validation, field by field.
    fn invalid(error: RuleError) -> FormProblem {
        match error {
            RuleError::Validation(errors) => FormProblem::Invalid(errors.0),
            other => FormProblem::Refused(MutateError::Refused(other)),
        }
    }

    fn field_errors(&self) -> Vec<FieldError> {
        match self {
            FormProblem::Invalid(errors) => errors.clone(),
            FormProblem::Refused(MutateError::Refused(RuleError::Validation(errors))) => {
                errors.0.clone()
            }
            FormProblem::Refused(_) => Vec::new(),
        }
    }

    /// A refusal of a form that marks its every field: a field error is told under its
    /// field (in the form's own words), not spelled out again at its foot.
    fn at_fields(error: MutateError) -> FormProblem {
        match error {
            MutateError::Refused(RuleError::Validation(errors)) => FormProblem::Invalid(errors.0),
            other => FormProblem::Refused(other),
        }
    }

    fn message(&self) -> String {
        match self {
            FormProblem::Invalid(_) => t().problem.validation_failed.to_owned(),
            FormProblem::Refused(error) => t().mutate_error(error),
        }
    }
}

/// The field errors and the message of a form's problem, for its fields and its foot.
fn form_problem(
    problem: RwSignal<Option<FormProblem>>,
) -> (Signal<Vec<FieldError>>, Signal<Option<String>>) {
    let errors = Signal::derive(move || {
        problem.with(|problem| {
            problem
                .as_ref()
                .map(FormProblem::field_errors)
                .unwrap_or_default()
        })
    });
    let message =
        Signal::derive(move || problem.with(|problem| problem.as_ref().map(FormProblem::message)));
    (errors, message)
}

/// The `<option>`s of a `<select>` whose chosen value is `chosen`, from (value, label) pairs.
fn select_options(choices: Vec<(String, String)>, chosen: RwSignal<String>) -> impl IntoView {
    choices
        .into_iter()
        .map(|(value, label)| {
            let selected = {
                let value = value.clone();
                move || chosen.with(|chosen| *chosen == value)
            };
            view! { <option value=value selected=selected>{label}</option> }
        })
        .collect_view()
}

/// What a page says when the device's cache lacks what it shows (tracked): `gone` once the
/// cache is complete, that it cannot be fetched now when offline, else that it is coming.
fn not_cached(gone: &'static str) -> AnyView {
    let t = t();
    let data = use_data();
    let text = if data.synced.get() {
        gone
    } else if matches!(
        data.status.get(),
        SyncStatus::Offline(_) | SyncStatus::Failed
    ) {
        t.sync.not_cached
    } else {
        return view! { <p class="loading">{t.loading}</p> }.into_any();
    };
    view! { <section class="page not-found"><p>{text}</p></section> }.into_any()
}
