//! The HTTP API, one file per resource.

pub mod auth;
pub mod campaigns;
pub mod claims;
pub mod community;
pub mod households;
pub mod pledges;
pub mod reports;
pub mod sync;
pub mod volunteers;
pub mod wishes;

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;
use microwish_core::decide::Decision;

use crate::app::AppState;
use crate::error::ApiError;

/// Every `/api` route. Anything else under `/api` is a problem+json 404, never the SPA.
pub fn api() -> Router<AppState> {
    Router::new()
        .route("/health", get(crate::openapi::health))
        .route("/openapi.json", get(crate::openapi::openapi_json))
        .route("/wishes", get(wishes::list).post(wishes::create))
        .route("/wishes/{id}", get(wishes::get).patch(wishes::update))
        .route("/wishes/{id}/events", get(wishes::events))
        .route("/wishes/{id}/cancel", post(wishes::cancel))
        .route("/wishes/{id}/close", post(wishes::close))
        .route("/wishes/{id}/claims", post(claims::create))
        .route("/claims", get(claims::all))
        .route("/claims/{id}/release", post(claims::release))
        .route("/claims/{id}/deliver", post(claims::deliver))
        .route("/claims/{id}/confirm", post(claims::confirm))
        .route("/claims/{id}/reject", post(claims::reject))
        .route("/claims/{id}/thanks", post(claims::thanks))
        .route(
            "/households",
            get(households::list).post(households::create),
        )
        .route(
            "/households/{id}",
            get(households::get).patch(households::update),
        )
        .route("/households/{id}/events", get(households::events))
        .route("/volunteers", get(volunteers::list))
        .route("/volunteers/{id}/approve", post(volunteers::approve))
        .route("/volunteers/{id}/suspend", post(volunteers::suspend))
        .route("/auth/register", post(auth::register))
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/me", get(auth::me))
        .route("/me/claims", get(claims::mine))
        .route("/sync/push", post(sync::push))
        .route("/sync/pull", get(sync::pull))
        .route("/events", get(sync::events))
        .route("/pledges", get(pledges::list).post(pledges::create))
        .route("/pledges/{id}", get(pledges::get))
        .route("/pledges/{id}/allocations", post(pledges::allocate))
        .route("/allocations/{id}/deliver", post(pledges::deliver))
        .route("/allocations/{id}/confirm", post(pledges::confirm))
        .route("/allocations/{id}/cancel", post(pledges::cancel))
        .route("/allocations/{id}/thanks", post(pledges::thanks))
        .route("/campaigns", get(campaigns::list).post(campaigns::create))
        .route("/campaigns/{id}", get(campaigns::get))
        .route("/grids", get(community::grids))
        .route("/stats", get(community::stats))
        .route("/stats/detail", get(reports::stats_detail))
        .route("/export/wishes.csv", get(reports::export_wishes))
        .route("/export/households.csv", get(reports::export_households))
        .fallback(|| async { ApiError::NotFound("API route") })
}

/// 201 for a command that created something, 200 for a retry of one already applied.
pub fn created_or_replayed(decision: &Decision) -> StatusCode {
    if decision.replayed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    }
}
