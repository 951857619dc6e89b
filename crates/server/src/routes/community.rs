//! The community at a glance: `GET /api/communities`, `GET /api/grids`, `GET /api/buildings`
//! and `GET /api/stats`.

use axum::extract::State;
use axum::Json;
use microwish_core::{Building, Community, Grid, Page, Stats};

use crate::app::AppState;
use crate::auth::MaybeUser;
use crate::error::ApiResult;
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
