//! The HTTP API, one file per resource (the sync protocol's three in [`crate::sync`]), and the
//! list of its routes.

pub mod account;
pub mod auth;
pub mod campaigns;
pub mod certificates;
pub mod claims;
pub mod community;
pub mod handover;
pub mod households;
pub mod import;
pub mod notices;
pub mod pairings;
pub mod pledges;
pub mod reports;
pub mod requests;
pub mod shops;
pub mod volunteers;
pub mod web_push;
pub mod wishes;

use axum::http::StatusCode;
use microwish_core::decide::Decision;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};
use utoipa_axum::routes;

use crate::app::AppState;
use crate::error::ApiError;
use crate::openapi;
use crate::sync::{events, pull, push};

/// Every `/api` route, and with it the OpenAPI document: one line per path, naming its
/// handlers, whose `#[utoipa::path]` gives the method and the path (under `/api`). Nothing is
/// routed here that is not documented: `routes!` needs the handler's annotation. Anything else
/// under `/api` is a problem+json 404, never the SPA.
pub fn api() -> OpenApiRouter<AppState> {
    let paths: Vec<UtoipaMethodRouter<AppState>> = vec![
        routes!(openapi::health),
        routes!(openapi::openapi_json),
        routes!(wishes::list, wishes::create),
        routes!(wishes::get, wishes::update),
        routes!(wishes::events),
        routes!(wishes::cancel),
        routes!(wishes::close),
        routes!(claims::create),
        routes!(claims::all),
        routes!(claims::release),
        routes!(claims::deliver),
        routes!(claims::confirm),
        routes!(claims::reject),
        routes!(claims::thanks),
        routes!(handover::confirm),
        routes!(households::list, households::create),
        routes!(households::get, households::update, households::delete),
        routes!(households::events),
        routes!(volunteers::list),
        routes!(volunteers::approve),
        routes!(volunteers::suspend),
        routes!(certificates::of_volunteer),
        routes!(certificates::issue),
        routes!(certificates::mine),
        routes!(certificates::get),
        routes!(certificates::qr),
        routes!(certificates::revoke),
        routes!(auth::register),
        routes!(auth::login),
        routes!(auth::logout),
        routes!(auth::me, auth::delete_me),
        routes!(account::request_code),
        routes!(account::reset_password),
        routes!(account::verify_phone),
        routes!(account::change_password),
        routes!(account::end_all_sessions),
        routes!(claims::mine),
        routes!(push::push),
        routes!(pull::pull),
        routes!(events::events),
        routes!(pledges::list, pledges::create),
        routes!(pledges::get, pledges::update),
        routes!(pledges::withdraw),
        routes!(pledges::allocate),
        routes!(pledges::deliver),
        routes!(pledges::undeliver),
        routes!(pledges::confirm),
        routes!(pledges::cancel),
        routes!(pledges::thanks),
        routes!(shops::record),
        routes!(shops::put_year, shops::delete_year),
        routes!(shops::set_page),
        routes!(shops::thanks),
        routes!(campaigns::list, campaigns::create),
        routes!(campaigns::get, campaigns::update),
        routes!(campaigns::end),
        routes!(community::communities),
        routes!(pairings::list, pairings::propose),
        routes!(pairings::accept),
        routes!(pairings::decline),
        routes!(pairings::end),
        routes!(community::grids),
        routes!(community::set_station),
        routes!(community::buildings),
        routes!(community::stats),
        routes!(reports::stats_detail),
        routes!(reports::export_wishes),
        routes!(reports::export_households),
        routes!(reports::export_requests),
        routes!(import::households),
        routes!(import::wishes),
        routes!(requests::list, requests::create),
        routes!(requests::get),
        routes!(requests::put_photo, requests::get_photo),
        routes!(requests::accept),
        routes!(requests::dispatch),
        routes!(requests::call),
        routes!(requests::take),
        routes!(requests::start),
        routes!(requests::notes),
        routes!(requests::resolve),
        routes!(requests::confirm),
        routes!(requests::reopen),
        routes!(requests::decline),
        routes!(requests::merge),
        routes!(requests::convert),
        routes!(requests::board),
        routes!(notices::list),
        routes!(notices::read),
        routes!(notices::preferences, notices::set_preferences),
        routes!(web_push::key),
        routes!(web_push::subscribe, web_push::unsubscribe),
    ];
    let api = paths
        .into_iter()
        .fold(OpenApiRouter::default(), OpenApiRouter::routes)
        .fallback(|| async { ApiError::NotFound("API route") });
    OpenApiRouter::default().nest("/api", api)
}

/// 201 for a command that created something, 200 for a retry of one already applied.
pub fn created_or_replayed(decision: &Decision) -> StatusCode {
    if decision.replayed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    }
}
