//! One routed page per file.

pub mod campaign;
pub mod household_form;
pub mod households;
pub mod login;
pub mod my_claims;
pub mod not_found;
pub mod register;
pub mod volunteers;
pub mod wish_form;
pub mod wish_detail;
pub mod wish_list;
pub mod worker_claims;

pub use campaign::CampaignPage;
pub use household_form::HouseholdPage;
pub use households::HouseholdsPage;
pub use login::LoginPage;
pub use my_claims::MyClaimsPage;
pub use not_found::NotFound;
pub use register::RegisterPage;
pub use volunteers::VolunteersPage;
pub use wish_form::WishFormPage;
pub use wish_detail::WishDetailPage;
pub use wish_list::WishListPage;
pub use worker_claims::WorkerClaimsPage;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use microwish_core::FieldError;

use crate::api::ApiError;

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
