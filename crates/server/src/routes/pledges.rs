//! Shops' pledges and their allocations: `POST /api/pledges` (shopkeeper), `GET /api/pledges`
//! (a shop: its own; workers: all), `GET /api/pledges/{id}`, `POST /api/pledges/{id}/allocations`
//! (worker), `PATCH /api/pledges/{id}` and `POST /api/pledges/{id}/withdraw` (the shop),
//! `POST /api/allocations/{id}/deliver|undeliver` (the shop), `…/confirm|cancel|thanks` (worker).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use microwish_core::command::{
    AllocationRef, AllocationRequest, Command, NewPledge, PledgePatch, PledgeRef, ThankShop,
    ThanksRequest,
};
use microwish_core::visibility::{self, PledgeScope};
use microwish_core::{AllocationId, AllocationView, Entity, Page, Pledge, PledgeId};

use crate::app::AppState;
use crate::apply::apply;
use crate::auth::{CurrentUser, PledgeReader, Shopkeeper, Worker};
use crate::error::{ApiError, ApiResult};
use crate::extract::{parse_id, ApiJson};
use crate::routes::created_or_replayed;
use crate::store::pledges::{self, PledgeFilter};
use crate::store::users::User;

/// A shopkeeper pledges goods in bulk, optionally in sizes, to one community (`community_id`; left out, the shop's own if it has one, else every community's) (201; 200 for a retry; 422 for an unknown community).
#[utoipa::path(
    post,
    path = "/pledges",
    tag = "pledges",
    operation_id = "pledges_create",
    request_body = NewPledge,
    security(("session" = [])),
    responses(
        (status = 201, description = "Created", body = Pledge),
        (status = 200, description = "Already created (a retry)", body = Pledge)
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Shopkeeper(user): Shopkeeper,
    ApiJson(new): ApiJson<NewPledge>,
) -> ApiResult<(StatusCode, Json<Pledge>)> {
    let id = new.id;
    let decision = apply(&state, user.actor(), Command::CreatePledge(new)).await?;
    Ok((
        created_or_replayed(&decision),
        Json(read(&state, &user, id).await?),
    ))
}

/// A shopkeeper's own pledges; a worker's: those offered to their community or to every community.
#[utoipa::path(
    get,
    path = "/pledges",
    tag = "pledges",
    operation_id = "pledges_list",
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = Page<Pledge>)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    PledgeReader(user): PledgeReader,
) -> ApiResult<Json<Page<Pledge>>> {
    let filter = match visibility::pledge_scope(Some(&user.viewer())) {
        PledgeScope::OfferedTo(community) => PledgeFilter::OfferedTo(community),
        PledgeScope::OfShop(shop) => PledgeFilter::OfShop(shop),
        // The gate let only shops and workers in.
        PledgeScope::Nothing => {
            return Ok(Json(Page {
                items: Vec::new(),
                next: None,
            }))
        }
    };
    let items = pledges::views(&state.db, Some(&user.viewer()), filter).await?;
    Ok(Json(Page { items, next: None }))
}

/// One pledge with its allocations (404 to a worker of a community it is not offered to).
#[utoipa::path(
    get,
    path = "/pledges/{id}",
    tag = "pledges",
    operation_id = "pledges_get",
    params(("id" = uuid::Uuid, Path, description = "The pledge")),
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = Pledge)
    )
)]
pub async fn get(
    State(state): State<AppState>,
    PledgeReader(user): PledgeReader,
    Path(id): Path<String>,
) -> ApiResult<Json<Pledge>> {
    let id = parse_id(&id, Entity::Pledge)?;
    Ok(Json(read(&state, &user, id).await?))
}

/// The shop changes its pledge: only the fields given (`variants` replaces every size); never
/// below what is given out, per size too (422); a withdrawn pledge 409 `pledge_withdrawn`;
/// another shop's 404.
#[utoipa::path(
    patch,
    path = "/pledges/{id}",
    tag = "pledges",
    operation_id = "pledges_update",
    params(("id" = uuid::Uuid, Path, description = "The pledge")),
    request_body = PledgePatch,
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = Pledge)
    )
)]
pub async fn update(
    State(state): State<AppState>,
    Shopkeeper(user): Shopkeeper,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<PledgePatch>,
) -> ApiResult<Json<Pledge>> {
    let id = parse_id(&id, Entity::Pledge)?;
    let current = read(&state, &user, id).await?;
    apply(
        &state,
        user.actor(),
        Command::UpdatePledge(patch.over(&current)),
    )
    .await?;
    Ok(Json(read(&state, &user, id).await?))
}

/// The shop takes back what of its pledge is not yet given out; what is allocated still goes
/// (a retry changes nothing; another shop's: 404).
#[utoipa::path(
    post,
    path = "/pledges/{id}/withdraw",
    tag = "pledges",
    operation_id = "pledges_withdraw",
    params(("id" = uuid::Uuid, Path, description = "The pledge")),
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = Pledge)
    )
)]
pub async fn withdraw(
    State(state): State<AppState>,
    Shopkeeper(user): Shopkeeper,
    Path(id): Path<String>,
) -> ApiResult<Json<Pledge>> {
    let pledge_id = parse_id(&id, Entity::Pledge)?;
    apply(
        &state,
        user.actor(),
        Command::WithdrawPledge(PledgeRef { pledge_id }),
    )
    .await?;
    Ok(Json(read(&state, &user, pledge_id).await?))
}

/// 201 with the allocation, or 409 `pledge_exhausted` / `wish_full`.
#[utoipa::path(
    post,
    path = "/pledges/{id}/allocations",
    tag = "pledges",
    operation_id = "pledges_allocate",
    params(("id" = uuid::Uuid, Path, description = "The pledge")),
    request_body = AllocationRequest,
    security(("session" = [])),
    responses(
        (status = 201, description = "Allocated", body = AllocationView),
        (status = 200, description = "Already allocated (a retry)", body = AllocationView)
    )
)]
pub async fn allocate(
    State(state): State<AppState>,
    Worker(user): Worker,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<AllocationRequest>,
) -> ApiResult<(StatusCode, Json<AllocationView>)> {
    let pledge_id: PledgeId = parse_id(&id, Entity::Pledge)?;
    let new = request.for_pledge(pledge_id);
    let allocation_id = new.id;
    let decision = apply(&state, user.actor(), Command::AllocatePledge(new)).await?;
    let view = allocation(&state, &user, allocation_id).await?;
    Ok((created_or_replayed(&decision), Json(view)))
}

/// The shop dropped the goods at the station (core checks it is the pledging shop).
#[utoipa::path(
    post,
    path = "/allocations/{id}/deliver",
    tag = "pledges",
    operation_id = "pledges_deliver",
    params(("id" = uuid::Uuid, Path, description = "The allocation")),
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = AllocationView)
    )
)]
pub async fn deliver(
    state: State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<AllocationView>> {
    act(state, user, &id, Command::DeliverAllocation).await
}

/// The shop takes back "dropped at the station" (marked by mistake) until a worker confirms
/// (409 `invalid_state` otherwise).
#[utoipa::path(
    post,
    path = "/allocations/{id}/undeliver",
    tag = "pledges",
    operation_id = "pledges_undeliver",
    params(("id" = uuid::Uuid, Path, description = "The allocation")),
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = AllocationView)
    )
)]
pub async fn undeliver(
    state: State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<AllocationView>> {
    act(state, user, &id, Command::UndeliverAllocation).await
}

/// A worker confirms a delivered allocation.
#[utoipa::path(
    post,
    path = "/allocations/{id}/confirm",
    tag = "pledges",
    operation_id = "pledges_confirm",
    params(("id" = uuid::Uuid, Path, description = "The allocation")),
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = AllocationView)
    )
)]
pub async fn confirm(
    state: State<AppState>,
    Worker(user): Worker,
    Path(id): Path<String>,
) -> ApiResult<Json<AllocationView>> {
    act(state, user, &id, Command::ConfirmAllocation).await
}

/// A worker cancels an allocation; its units return to the pledge and the wish.
#[utoipa::path(
    post,
    path = "/allocations/{id}/cancel",
    tag = "pledges",
    operation_id = "pledges_cancel",
    params(("id" = uuid::Uuid, Path, description = "The allocation")),
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = AllocationView)
    )
)]
pub async fn cancel(
    state: State<AppState>,
    Worker(user): Worker,
    Path(id): Path<String>,
) -> ApiResult<Json<AllocationView>> {
    act(state, user, &id, Command::CancelAllocation).await
}

/// A worker records the household's thanks; the shop reads it under the pledge.
#[utoipa::path(
    post,
    path = "/allocations/{id}/thanks",
    tag = "pledges",
    operation_id = "pledges_thanks",
    params(("id" = uuid::Uuid, Path, description = "The allocation")),
    request_body = ThanksRequest,
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = AllocationView)
    )
)]
pub async fn thanks(
    State(state): State<AppState>,
    Worker(user): Worker,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<ThanksRequest>,
) -> ApiResult<Json<AllocationView>> {
    let allocation_id = parse_id(&id, Entity::Allocation)?;
    let command = Command::ThankShop(ThankShop {
        allocation_id,
        text: request.text,
    });
    apply(&state, user.actor(), command).await?;
    Ok(Json(allocation(&state, &user, allocation_id).await?))
}

async fn act(
    State(state): State<AppState>,
    user: User,
    id: &str,
    command: fn(AllocationRef) -> Command,
) -> ApiResult<Json<AllocationView>> {
    let allocation_id = parse_id(id, Entity::Allocation)?;
    apply(
        &state,
        user.actor(),
        command(AllocationRef { allocation_id }),
    )
    .await?;
    Ok(Json(allocation(&state, &user, allocation_id).await?))
}

/// A pledge as `user` may see it (core's rule: a shop only its own, a worker one offered to
/// their community or to all).
async fn read(state: &AppState, user: &User, id: PledgeId) -> ApiResult<Pledge> {
    pledges::views(&state.db, Some(&user.viewer()), PledgeFilter::Ids(&[id]))
        .await?
        .pop()
        .filter(|pledge| visibility::pledge(Some(&user.viewer()), pledge.shop, pledge.community_id))
        .ok_or(ApiError::not_found(Entity::Pledge))
}

async fn allocation(state: &AppState, user: &User, id: AllocationId) -> ApiResult<AllocationView> {
    let pledge_id = pledges::pledge_of(&state.db, id)
        .await?
        .ok_or(ApiError::not_found(Entity::Allocation))?;
    read(state, user, pledge_id)
        .await?
        .allocations
        .into_iter()
        .find(|allocation| allocation.id == id)
        .ok_or(ApiError::not_found(Entity::Allocation))
}
