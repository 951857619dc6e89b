//! Households (worker only): `GET/POST /api/households`, `GET/PATCH/DELETE /api/households/{id}`,
//! `GET /api/households/{id}/events`. A worker sees only their community's households (another
//! community's are 404), and every read of the private fields is written to the event log.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use microwish_core::command::{
    Command, HouseholdPatch, HouseholdRef, HouseholdUpdate, NewHousehold,
};
use microwish_core::visibility;
use microwish_core::{CommunityId, Entity, EventView, Household, HouseholdId, Page, PageQuery};
use serde::Deserialize;

use crate::app::AppState;
use crate::apply::apply;
use crate::auth::Worker;
use crate::error::{ApiError, ApiResult};
use crate::extract::{parse_id, ApiJson, ApiQuery};
use crate::routes::created_or_replayed;
use crate::routes::wishes::event_view;
use crate::store;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct HouseholdsQuery {
    /// Text in the name, address, phone or notes.
    q: Option<String>,
}

/// A worker's households (private: names, addresses, phones). Every read is logged.
#[utoipa::path(
    get,
    path = "/households",
    tag = "households",
    operation_id = "households_list",
    params(HouseholdsQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = Page<Household>)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Worker(user): Worker,
    ApiQuery(query): ApiQuery<HouseholdsQuery>,
) -> ApiResult<Json<Page<Household>>> {
    let community = community_of(&user)?;
    let items = store::households::list(&state.db, community, query.q.as_deref()).await?;
    let ids: Vec<HouseholdId> = items.iter().map(|household| household.id).collect();
    store::events::record_reads(&state.writer, state.clock.now(), user.id, &ids).await?;
    Ok(Json(Page { items, next: None }))
}

/// A worker registers a household (201; 200 for a retry).
#[utoipa::path(
    post,
    path = "/households",
    tag = "households",
    operation_id = "households_create",
    request_body = NewHousehold,
    security(("session" = [])),
    responses(
        (status = 201, description = "Created", body = Household),
        (status = 200, description = "Already created (a retry)", body = Household)
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Worker(user): Worker,
    ApiJson(new): ApiJson<NewHousehold>,
) -> ApiResult<(StatusCode, Json<Household>)> {
    let decision = apply(&state, user.actor(), Command::CreateHousehold(new.clone())).await?;
    let status = created_or_replayed(&decision);
    Ok((status, Json(read(&state, &user, new.id).await?)))
}

/// One household of the worker's community. The read is logged.
#[utoipa::path(
    get,
    path = "/households/{id}",
    tag = "households",
    operation_id = "households_get",
    params(("id" = uuid::Uuid, Path, description = "The household")),
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = Household)
    )
)]
pub async fn get(
    State(state): State<AppState>,
    Worker(user): Worker,
    Path(id): Path<String>,
) -> ApiResult<Json<Household>> {
    let id = parse_id(&id, Entity::Household)?;
    Ok(Json(read(&state, &user, id).await?))
}

/// A worker edits a household. Clearing `consent_on` (or, where a child lives,
/// `guardian_consent_on`) takes its open and claimed wishes back to drafts and ends their
/// active claims with a reason (their holders are told `wish_withdrawn`).
#[utoipa::path(
    patch,
    path = "/households/{id}",
    tag = "households",
    operation_id = "households_update",
    params(("id" = uuid::Uuid, Path, description = "The household")),
    request_body = HouseholdPatch,
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = Household)
    )
)]
pub async fn update(
    State(state): State<AppState>,
    Worker(user): Worker,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<HouseholdPatch>,
) -> ApiResult<Json<Household>> {
    let household_id = parse_id(&id, Entity::Household)?;
    let command = Command::UpdateHousehold(HouseholdUpdate {
        household_id,
        patch,
    });
    apply(&state, user.actor(), command).await?;
    Ok(Json(read(&state, &user, household_id).await?))
}

/// A worker deletes a household of their community (PIPL; another community's is 404): its
/// name, address, phone and notes are erased and it is never listed or read again; its open
/// and claimed wishes go back to drafts and their active claims end with a reason (their
/// holders are told `wish_withdrawn`), as when consent is withdrawn; fulfilled wishes stay,
/// linked to nothing private. The deletion is in the event log (`erase`).
#[utoipa::path(
    delete,
    path = "/households/{id}",
    tag = "households",
    operation_id = "households_delete",
    params(("id" = uuid::Uuid, Path, description = "The household")),
    security(("session" = [])),
    responses(
        (status = 204, description = "Deleted")
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    Worker(user): Worker,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    let household_id = parse_id(&id, Entity::Household)?;
    let command = Command::DeleteHousehold(HouseholdRef { household_id });
    apply(&state, user.actor(), command).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What was done with the household's record: registered, edited, read, its contact given
/// to a volunteer for a house call (who, when).
#[utoipa::path(
    get,
    path = "/households/{id}/events",
    tag = "households",
    operation_id = "households_events",
    params(("id" = uuid::Uuid, Path, description = "The household"), PageQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = Page<EventView>)
    )
)]
pub async fn events(
    State(state): State<AppState>,
    Worker(user): Worker,
    Path(id): Path<String>,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<EventView>>> {
    let id = parse_id(&id, Entity::Household)?;
    let after = crate::extract::event_cursor(&page)?;
    let community = community_of(&user)?;
    store::households::one(&state.db, community, id)
        .await?
        .ok_or(ApiError::not_found(Entity::Household))?;
    let (rows, more) = store::events::of_household(&state.db, id, after, page.page_size()).await?;
    let next = rows.last().filter(|_| more).map(|row| row.seq.to_string());
    let items = rows.into_iter().map(|row| event_view(row, true)).collect();
    Ok(Json(Page { items, next }))
}

/// One household of the worker's community, its reading logged.
async fn read(
    state: &AppState,
    user: &store::users::User,
    id: HouseholdId,
) -> ApiResult<Household> {
    let community = community_of(user)?;
    let household = store::households::one(&state.db, community, id)
        .await?
        .ok_or(ApiError::not_found(Entity::Household))?;
    store::events::record_reads(&state.writer, state.clock.now(), user.id, &[id]).await?;
    Ok(household)
}

/// Whose households `user` may read (core's rule): their community's.
fn community_of(user: &store::users::User) -> ApiResult<CommunityId> {
    visibility::households_of(Some(&user.viewer())).ok_or(ApiError::not_found(Entity::Household))
}
