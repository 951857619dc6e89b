//! The community at a glance: `GET /api/grids` and `GET /api/stats`.

use axum::extract::State;
use axum::Json;
use microwish_core::{Grid, Page, Stats};

use crate::app::AppState;
use crate::error::ApiResult;
use crate::store;

pub async fn grids(State(state): State<AppState>) -> ApiResult<Json<Page<Grid>>> {
    let items = store::community::grids(&state.db).await?;
    Ok(Json(Page { items, next: None }))
}

pub async fn stats(State(state): State<AppState>) -> ApiResult<Json<Stats>> {
    Ok(Json(store::community::stats(&state.db).await?))
}
