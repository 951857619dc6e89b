//! Claims: `POST /api/wishes/{id}/claims`, `POST /api/claims/{id}/release|deliver|confirm|reject|thanks`,
//! `GET /api/me/claims` and, for workers, `GET /api/claims`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use microwish_core::command::{
    ClaimRef, ClaimRequest, Command, ConfirmClaim, ConfirmRequest, RecordThanks, RejectClaim,
    RejectRequest, ThanksRequest,
};
use microwish_core::decide::Subject;
use microwish_core::{ClaimId, ClaimStatus, ClaimView, Entity, Page, PageQuery, WishId};
use serde::Deserialize;

use crate::app::AppState;
use crate::apply::apply;
use crate::auth::{Claimer, CurrentUser, Worker};
use crate::error::{ApiError, ApiResult};
use crate::extract::{parse_id, ApiJson, ApiQuery};
use crate::routes::created_or_replayed;
use crate::store::claims::{self, ClaimFilter};

pub async fn create(
    State(state): State<AppState>,
    Claimer(user): Claimer,
    Path(wish_id): Path<String>,
    ApiJson(request): ApiJson<ClaimRequest>,
) -> ApiResult<(StatusCode, Json<ClaimView>)> {
    let wish_id: WishId = parse_id(&wish_id, Entity::Wish)?;
    let command = Command::ClaimWish(request.for_wish(wish_id));
    let decision = apply(&state, user.actor(), command).await?;
    let status = created_or_replayed(&decision);
    Ok((status, Json(answer(&state, &user, decision.subject).await?)))
}

pub async fn release(
    state: State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<ClaimView>> {
    act(state, user, &id, |claim_id| {
        Command::ReleaseClaim(ClaimRef { claim_id })
    })
    .await
}

pub async fn deliver(
    state: State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<ClaimView>> {
    act(state, user, &id, |claim_id| {
        Command::MarkDelivered(ClaimRef { claim_id })
    })
    .await
}

/// A worker confirms; for a house call, optionally with the minutes to credit.
pub async fn confirm(
    state: State<AppState>,
    Worker(user): Worker,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<ConfirmRequest>,
) -> ApiResult<Json<ClaimView>> {
    act(state, user, &id, |claim_id| {
        Command::ConfirmClaim(ConfirmClaim {
            claim_id,
            minutes: request.minutes,
        })
    })
    .await
}

pub async fn reject(
    state: State<AppState>,
    Worker(user): Worker,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<RejectRequest>,
) -> ApiResult<Json<ClaimView>> {
    act(state, user, &id, |claim_id| {
        Command::RejectClaim(RejectClaim {
            claim_id,
            reason: request.reason,
        })
    })
    .await
}

/// A worker records the household's thanks; the claimer sees it on their claim.
pub async fn thanks(
    state: State<AppState>,
    Worker(user): Worker,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<ThanksRequest>,
) -> ApiResult<Json<ClaimView>> {
    act(state, user, &id, |claim_id| {
        Command::RecordThanks(RecordThanks {
            claim_id,
            text: request.text,
        })
    })
    .await
}

async fn act(
    State(state): State<AppState>,
    user: CurrentUser,
    id: &str,
    command: impl FnOnce(ClaimId) -> Command,
) -> ApiResult<Json<ClaimView>> {
    let claim_id = parse_id(id, Entity::Claim)?;
    let decision = apply(&state, user.actor(), command(claim_id)).await?;
    Ok(Json(answer(&state, &user, decision.subject).await?))
}

/// The claim a command made or moved, as its caller may see it.
async fn answer(state: &AppState, user: &CurrentUser, subject: Subject) -> ApiResult<ClaimView> {
    match subject {
        Subject::Claim(id) => claims::view(&state.db, id, user).await,
        _ => Err(ApiError::Internal(
            "a claim command answered something else".into(),
        )),
    }
}

/// The signed-in user's claims, newest first, a page at a time (`?cursor=&limit=`).
pub async fn mine(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<ClaimView>>> {
    let filter = ClaimFilter::OwnedBy(user.id);
    Ok(Json(claims::page(&state.db, &user, filter, &page).await?))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimsQuery {
    status: Option<ClaimStatus>,
    cursor: Option<String>,
    limit: Option<u32>,
}

/// Every claim on the worker's community's wishes, for confirming deliveries and visits.
pub async fn all(
    State(state): State<AppState>,
    Worker(user): Worker,
    ApiQuery(query): ApiQuery<ClaimsQuery>,
) -> ApiResult<Json<Page<ClaimView>>> {
    let page = PageQuery {
        cursor: query.cursor,
        limit: query.limit,
    };
    let filter = ClaimFilter::Status(query.status);
    Ok(Json(claims::page(&state.db, &user, filter, &page).await?))
}
