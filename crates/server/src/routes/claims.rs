//! Claims: `POST /api/wishes/{id}/claims`, `POST /api/claims/{id}/release|deliver|confirm|reject|thanks`,
//! `GET /api/me/claims` and, for workers, `GET /api/claims`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use microwish_core::command::{
    ClaimRef, ClaimRequest, Command, ConfirmClaim, ConfirmRequest, RecordThanks, RejectClaim,
    RejectRequest, ReleaseClaim, ReleaseRequest, ThanksRequest,
};
use microwish_core::decide::Subject;
use microwish_core::{ClaimId, ClaimStatus, ClaimView, Entity, Page, PageQuery, WishId};
use serde::Deserialize;

use crate::app::AppState;
use crate::apply::apply;
use crate::auth::{Claimer, CurrentUser, Worker};
use crate::error::{ApiError, ApiResult};
use crate::extract::{parse_id, parse_json, ApiJson, ApiQuery};
use crate::routes::created_or_replayed;
use crate::store::claims::{self, ClaimFilter};

/// A donor claims units of a wish, or an approved volunteer books a house call in their own community (another community's: 403 `forbidden`) (201; 200 for a retry with the same claim id).
#[utoipa::path(
    post,
    path = "/wishes/{id}/claims",
    tag = "claims",
    operation_id = "claims_create",
    params(("id" = uuid::Uuid, Path, description = "The wish")),
    request_body = ClaimRequest,
    security(("session" = [])),
    responses(
        (status = 201, description = "Claimed", body = ClaimView),
        (status = 200, description = "Already claimed (a retry)", body = ClaimView)
    )
)]
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

/// The claimer gives a held claim back, all of it or `quantity` units; they return to the wish.
#[utoipa::path(
    post,
    path = "/claims/{id}/release",
    tag = "claims",
    operation_id = "claims_release",
    params(("id" = uuid::Uuid, Path, description = "The claim")),
    security(("session" = [])),
    request_body(content = Option<ReleaseRequest>, description = "How many units to give back (optional; all without it)"),
    responses(
        (status = 200, description = "OK", body = ClaimView)
    )
)]
pub async fn release(
    state: State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<Json<ClaimView>> {
    // The body is optional: an empty one gives everything back.
    let request: ReleaseRequest = if body.iter().all(u8::is_ascii_whitespace) {
        ReleaseRequest::default()
    } else {
        parse_json(&body)?
    };
    act(state, user, &id, |claim_id| {
        Command::ReleaseClaim(ReleaseClaim {
            claim_id,
            quantity: request.quantity,
        })
    })
    .await
}

/// The claimer reports the goods delivered or the house call done.
#[utoipa::path(
    post,
    path = "/claims/{id}/deliver",
    tag = "claims",
    operation_id = "claims_deliver",
    params(("id" = uuid::Uuid, Path, description = "The claim")),
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = ClaimView)
    )
)]
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
#[utoipa::path(
    post,
    path = "/claims/{id}/confirm",
    tag = "claims",
    operation_id = "claims_confirm",
    params(("id" = uuid::Uuid, Path, description = "The claim")),
    request_body = ConfirmRequest,
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = ClaimView)
    )
)]
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

/// A worker rejects a reported delivery with a reason; the units return to the wish.
#[utoipa::path(
    post,
    path = "/claims/{id}/reject",
    tag = "claims",
    operation_id = "claims_reject",
    params(("id" = uuid::Uuid, Path, description = "The claim")),
    request_body = RejectRequest,
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = ClaimView)
    )
)]
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
#[utoipa::path(
    post,
    path = "/claims/{id}/thanks",
    tag = "claims",
    operation_id = "claims_thanks",
    params(("id" = uuid::Uuid, Path, description = "The claim")),
    request_body = ThanksRequest,
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = ClaimView)
    )
)]
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
        Subject::Claim(id) => {
            let reader = user.clone();
            let named = state
                .reader
                .read(move |db| claims::view(db, id, &reader))
                .await?;
            Ok(logged(state, user, named).await?)
        }
        _ => Err(ApiError::Internal(
            "a claim command answered something else".into(),
        )),
    }
}

/// The signed-in user's claims, newest first, a page at a time (`?cursor=&limit=`).
#[utoipa::path(
    get,
    path = "/me/claims",
    tag = "claims",
    operation_id = "claims_mine",
    params(PageQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = Page<ClaimView>)
    )
)]
pub async fn mine(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<ClaimView>>> {
    let filter = ClaimFilter::OwnedBy(user.id);
    let reader = user.clone();
    let named = state
        .reader
        .read(move |db| claims::page(db, &reader, filter, &page))
        .await?;
    Ok(Json(logged(&state, &user, named).await?))
}

/// The claims read, once the real names they show (a worker's view of house calls) are on
/// each household's record, as a household's own read is.
async fn logged<T>(state: &AppState, user: &CurrentUser, named: claims::Named<T>) -> ApiResult<T> {
    crate::store::events::record_reads(
        &state.writer,
        state.clock.now(),
        user.id,
        &named.households,
    )
    .await?;
    Ok(named.views)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ClaimsQuery {
    status: Option<ClaimStatus>,
    cursor: Option<String>,
    limit: Option<u32>,
}

/// Every claim on the worker's community's wishes, for confirming deliveries and visits.
#[utoipa::path(
    get,
    path = "/claims",
    tag = "claims",
    operation_id = "claims_all",
    params(ClaimsQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = Page<ClaimView>)
    )
)]
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
    let reader = user.clone();
    let named = state
        .reader
        .read(move |db| claims::page(db, &reader, filter, &page))
        .await?;
    Ok(Json(logged(&state, &user, named).await?))
}
