//! `GET /api/campaigns`, `GET /api/campaigns/{id}`: drives with their progress;
//! `POST /api/campaigns` (worker) starts one.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use microwish_core::command::{Command, NewCampaign};
use microwish_core::visibility;
use microwish_core::{Entity, Page, PublicCampaign};

use crate::app::AppState;
use crate::apply::apply;
use crate::auth::{MaybeUser, Worker};
use crate::error::{ApiError, ApiResult};
use crate::extract::{parse_id, ApiJson};
use crate::routes::created_or_replayed;
use crate::store;

/// Every campaign (drive) with its progress; a worker's own community's only.
#[utoipa::path(
    get,
    path = "/campaigns",
    tag = "campaigns",
    operation_id = "campaigns_list",
    security((), ("session" = [])),
    responses(
        (status = 200, description = "OK", body = Page<PublicCampaign>)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
) -> ApiResult<Json<Page<PublicCampaign>>> {
    let sight = user.as_ref().map(|user| user.viewer());
    let items = store::campaigns::all(&state.db)
        .await?
        .into_iter()
        .filter(|campaign| visibility::campaign(sight.as_ref(), campaign.community_id))
        .collect();
    Ok(Json(Page { items, next: None }))
}

/// One campaign with its progress.
#[utoipa::path(
    get,
    path = "/campaigns/{id}",
    tag = "campaigns",
    operation_id = "campaigns_get",
    params(("id" = uuid::Uuid, Path, description = "The campaign")),
    security((), ("session" = [])),
    responses(
        (status = 200, description = "OK", body = PublicCampaign)
    )
)]
pub async fn get(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<String>,
) -> ApiResult<Json<PublicCampaign>> {
    let id = parse_id(&id, Entity::Campaign)?;
    let sight = user.as_ref().map(|user| user.viewer());
    let campaign = store::campaigns::one(&state.db, id)
        .await?
        .filter(|campaign| visibility::campaign(sight.as_ref(), campaign.community_id));
    Ok(Json(campaign.ok_or(ApiError::not_found(Entity::Campaign))?))
}

/// A worker starts a campaign (201; 200 for a retry).
#[utoipa::path(
    post,
    path = "/campaigns",
    tag = "campaigns",
    operation_id = "campaigns_create",
    request_body = NewCampaign,
    security(("session" = [])),
    responses(
        (status = 201, description = "Created", body = PublicCampaign),
        (status = 200, description = "Already created (a retry)", body = PublicCampaign)
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Worker(user): Worker,
    ApiJson(new): ApiJson<NewCampaign>,
) -> ApiResult<(StatusCode, Json<PublicCampaign>)> {
    let id = new.id;
    let decision = apply(&state, user.actor(), Command::CreateCampaign(new)).await?;
    let campaign = store::campaigns::one(&state.db, id).await?;
    Ok((
        created_or_replayed(&decision),
        Json(campaign.ok_or(ApiError::not_found(Entity::Campaign))?),
    ))
}
