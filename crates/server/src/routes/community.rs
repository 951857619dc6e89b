//! The community at a glance: `GET /api/communities`, `GET /api/grids`, `GET /api/buildings`
//! and `GET /api/stats`; a worker says when their stations are open (`PUT
//! /api/grids/{id}/station`).

use axum::extract::{Path, State};
use axum::Json;
use microwish_core::command::StationDetails;
use microwish_core::{visibility, Building, Community, Entity, Grid, Page, Stats};

use crate::app::AppState;
use crate::auth::{MaybeUser, Worker};
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::store;

/// Every community (id and name): whom a resident or volunteer signs up with.
#[utoipa::path(
    get,
    path = "/communities",
    tag = "community",
    operation_id = "community_list",
    responses(
        (status = 200, description = "OK", body = Page<Community>)
    )
)]
pub async fn communities(State(state): State<AppState>) -> ApiResult<Json<Page<Community>>> {
    let items = store::community::communities(&state.db)
        .await?
        .into_iter()
        .map(|(id, name)| Community { id, name })
        .collect();
    Ok(Json(Page { items, next: None }))
}

/// The community's grids (网格).
#[utoipa::path(
    get,
    path = "/grids",
    tag = "community",
    operation_id = "community_grids",
    responses(
        (status = 200, description = "OK", body = Page<Grid>)
    )
)]
pub async fn grids(State(state): State<AppState>) -> ApiResult<Json<Page<Grid>>> {
    let items = store::community::grids(&state.db).await?;
    Ok(Json(Page { items, next: None }))
}

/// A worker sets when a station of their community is open, whom to ask for and its phone
/// (422 for a bad phone or too long a text; another community's grid: 404). Phones pull the
/// grid again.
#[utoipa::path(
    put,
    path = "/grids/{id}/station",
    tag = "community",
    operation_id = "community_set_station",
    params(("id" = String, Path, description = "The grid")),
    request_body = StationDetails,
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = Grid)
    )
)]
pub async fn set_station(
    State(state): State<AppState>,
    Worker(user): Worker,
    Path(id): Path<String>,
    ApiJson(details): ApiJson<StationDetails>,
) -> ApiResult<Json<Grid>> {
    let find = |grids: Vec<Grid>| {
        grids
            .into_iter()
            .find(|grid| grid.id.as_str() == id)
            .filter(|grid| visibility::station_editable(Some(&user.viewer()), grid.community))
            .ok_or(ApiError::not_found(Entity::Grid))
    };
    let grid = find(store::community::grids(&state.db).await?)?;
    let (hours, contact, phone) = details.validate()?;
    let target = grid.id.clone();
    state
        .writer
        .write(move |tx| {
            store::community::set_station(tx, &target, (&hours, &contact, &phone)).map(|_| ())
        })
        .await?;
    Ok(Json(find(store::community::grids(&state.db).await?)?))
}

/// The buildings (幢) of the caller's community, each in its grid (to say where a request is);
/// for visitors and those of no community, every community's.
#[utoipa::path(
    get,
    path = "/buildings",
    tag = "community",
    operation_id = "community_buildings",
    security((), ("session" = [])),
    responses(
        (status = 200, description = "OK", body = Page<Building>)
    )
)]
pub async fn buildings(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
) -> ApiResult<Json<Page<Building>>> {
    let community = user.and_then(|user| user.community);
    let items = store::community::buildings(&state.db, community).await?;
    Ok(Json(Page { items, next: None }))
}

/// Public totals (wishes, and the requests' counts and rates).
#[utoipa::path(
    get,
    path = "/stats",
    tag = "community",
    operation_id = "community_stats",
    responses(
        (status = 200, description = "OK", body = Stats)
    )
)]
pub async fn stats(State(state): State<AppState>) -> ApiResult<Json<Stats>> {
    Ok(Json(
        store::community::stats(&state.db, state.clock.now()).await?,
    ))
}
