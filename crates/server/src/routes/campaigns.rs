//! `GET /api/campaigns`, `GET /api/campaigns/{id}`: drives with their progress;
//! `POST /api/campaigns` (worker) starts one, `PATCH /api/campaigns/{id}` changes it and
//! `POST /api/campaigns/{id}/end` ends it early.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use microwish_core::command::{CampaignPatch, CampaignRef, Command, NewCampaign};
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

/// A worker changes their community's drive: only the fields given (another community's: 404).
#[utoipa::path(
    patch,
    path = "/campaigns/{id}",
    tag = "campaigns",
    operation_id = "campaigns_update",
    params(("id" = uuid::Uuid, Path, description = "The campaign")),
    request_body = CampaignPatch,
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = PublicCampaign)
    )
)]
pub async fn update(
    State(state): State<AppState>,
    Worker(user): Worker,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<CampaignPatch>,
) -> ApiResult<Json<PublicCampaign>> {
    let current = own(&state, &user, &id).await?;
    let update = patch.over(&current)?;
    apply(&state, user.actor(), Command::UpdateCampaign(update)).await?;
    own(&state, &user, &id).await.map(Json)
}

/// A worker ends their community's drive early: no longer listed as ongoing (a retry changes
/// nothing; another community's: 404).
#[utoipa::path(
    post,
    path = "/campaigns/{id}/end",
    tag = "campaigns",
    operation_id = "campaigns_end",
    params(("id" = uuid::Uuid, Path, description = "The campaign")),
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = PublicCampaign)
    )
)]
pub async fn end(
    State(state): State<AppState>,
    Worker(user): Worker,
    Path(id): Path<String>,
) -> ApiResult<Json<PublicCampaign>> {
    let campaign_id = own(&state, &user, &id).await?.id;
    apply(
        &state,
        user.actor(),
        Command::EndCampaign(CampaignRef { campaign_id }),
    )
    .await?;
    own(&state, &user, &id).await.map(Json)
}

/// The drive `id` as the worker sees it: their own community's, else 404.
async fn own(
    state: &AppState,
    user: &crate::store::users::User,
    id: &str,
) -> ApiResult<PublicCampaign> {
    let id = parse_id(id, Entity::Campaign)?;
    store::campaigns::one(&state.db, id)
        .await?
        .filter(|campaign| visibility::campaign(Some(&user.viewer()), campaign.community_id))
        .ok_or(ApiError::not_found(Entity::Campaign))
}
