//! The community at a glance: `GET /api/grids` and `GET /api/stats`.

use axum::extract::State;
use axum::Json;
use microwish_core::{Grid, Page, Stats};

use crate::app::AppState;
use crate::error::ApiResult;
use crate::store;

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

/// Public totals.
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
    Ok(Json(store::community::stats(&state.db).await?))
}
