//! Vetting volunteers (worker only): `GET /api/volunteers?status=pending|approved|suspended`,
//! `POST /api/volunteers/{user_id}/approve|suspend` `{note}`.

use axum::extract::{Path, State};
use axum::Json;
use microwish_core::command::{Command, VolunteerDecision, VolunteerRequest};
use microwish_core::visibility;
use microwish_core::{Entity, Page, UserId, VolunteerStatus, VolunteerView};
use serde::Deserialize;

use crate::app::AppState;
use crate::apply::apply;
use crate::auth::Worker;
use crate::error::{ApiError, ApiResult};
use crate::extract::{parse_id, ApiJson, ApiQuery};
use crate::store;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct VolunteersQuery {
    status: Option<VolunteerStatus>,
}

/// The volunteers of the worker's community for them to vet, by status (another community's are never listed).
#[utoipa::path(
    get,
    path = "/volunteers",
    tag = "volunteers",
    operation_id = "volunteers_list",
    params(VolunteersQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = Page<VolunteerView>)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Worker(user): Worker,
    ApiQuery(query): ApiQuery<VolunteersQuery>,
) -> ApiResult<Json<Page<VolunteerView>>> {
    let Some(community) = visibility::volunteers_of(Some(&user.viewer())) else {
        return Ok(Json(Page {
            items: Vec::new(),
            next: None,
        }));
    };
    let items = store::users::volunteers(&state.db, community, None, query.status).await?;
    Ok(Json(Page { items, next: None }))
}

/// A worker approves a volunteer of their community they have met (another community's: 404).
#[utoipa::path(
    post,
    path = "/volunteers/{id}/approve",
    tag = "volunteers",
    operation_id = "volunteers_approve",
    params(("id" = uuid::Uuid, Path, description = "The volunteer (a user id)")),
    request_body = VolunteerRequest,
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = VolunteerView)
    )
)]
pub async fn approve(
    state: State<AppState>,
    worker: Worker,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<VolunteerRequest>,
) -> ApiResult<Json<VolunteerView>> {
    vet(state, worker, &id, request, Command::ApproveVolunteer).await
}

/// A worker suspends a volunteer of their community; their booked house calls end (another community's: 404).
#[utoipa::path(
    post,
    path = "/volunteers/{id}/suspend",
    tag = "volunteers",
    operation_id = "volunteers_suspend",
    params(("id" = uuid::Uuid, Path, description = "The volunteer (a user id)")),
    request_body = VolunteerRequest,
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = VolunteerView)
    )
)]
pub async fn suspend(
    state: State<AppState>,
    worker: Worker,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<VolunteerRequest>,
) -> ApiResult<Json<VolunteerView>> {
    vet(state, worker, &id, request, Command::SuspendVolunteer).await
}

async fn vet(
    State(state): State<AppState>,
    Worker(user): Worker,
    id: &str,
    request: VolunteerRequest,
    command: fn(VolunteerDecision) -> Command,
) -> ApiResult<Json<VolunteerView>> {
    let user_id: UserId = parse_id(id, Entity::Volunteer)?;
    let decision = VolunteerDecision {
        user_id,
        note: request.note,
        party_member: request.party_member,
    };
    apply(&state, user.actor(), command(decision)).await?;
    let community = visibility::volunteers_of(Some(&user.viewer()))
        .ok_or(ApiError::not_found(Entity::Volunteer))?;
    store::users::volunteers(&state.db, community, Some(&[user_id]), None)
        .await?
        .pop()
        .map(Json)
        .ok_or(ApiError::not_found(Entity::Volunteer))
}
