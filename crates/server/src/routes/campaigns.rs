//! `GET /api/campaigns` and `GET /api/campaigns/{id}`: drives with their progress.

use axum::extract::{Path, State};
use axum::Json;
use microwish_core::{Entity, Page, PublicCampaign};

use crate::app::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::parse_id;
use crate::store;

pub async fn list(State(state): State<AppState>) -> ApiResult<Json<Page<PublicCampaign>>> {
    let items = store::campaigns::all(&state.db).await?;
    Ok(Json(Page { items, next: None }))
}

pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<PublicCampaign>> {
    let id = parse_id(&id, Entity::Campaign)?;
    let campaign = store::campaigns::one(&state.db, id).await?;
    Ok(Json(campaign.ok_or(ApiError::not_found(Entity::Campaign))?))
}
