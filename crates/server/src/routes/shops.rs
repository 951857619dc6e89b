//! A shop's record of giving (issue 28): `GET /api/shops/{id}/record` (the shop, and the
//! workers its giving reaches), `PUT`/`DELETE /api/shops/{id}/years/{year}` (such a worker: a
//! year the shop gave before the app), `PUT /api/me/shop-page` {public} (the shop) and
//! `GET /api/shops/{id}/thanks` (anyone, once the shop made its thank-you page public).

use axum::extract::{Path, State};
use axum::Json;
use microwish_core::clock::community_today;
use microwish_core::shop_record::{self, RecordPastYear, ShopPage, ShopRecord, ShopThanks};
use microwish_core::visibility::Viewer;
use microwish_core::{Entity, Field, FieldCode, RuleError, UserId};

use crate::app::AppState;
use crate::auth::{PledgeReader, Shopkeeper, Worker};
use crate::error::{ApiError, ApiResult};
use crate::extract::{parse_id, ApiJson};
use crate::store;
use crate::store::shop_record::Shop;

/// Every year the shop has given, the latest first: the app's years as the workers' report
/// counts its allocations, and the past years workers entered. For the shop itself and the
/// workers of its community or of a community its pledges are offered to; another shop or
/// another community's worker: 404; anyone else: 403.
#[utoipa::path(
    get,
    path = "/shops/{id}/record",
    tag = "shops",
    operation_id = "shops_record",
    params(("id" = uuid::Uuid, Path, description = "The shop (a user id)")),
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = ShopRecord)
    )
)]
pub async fn record(
    State(state): State<AppState>,
    PledgeReader(user): PledgeReader,
    Path(id): Path<String>,
) -> ApiResult<Json<ShopRecord>> {
    let shop = readable(&state, &user.viewer(), &id).await?;
    Ok(Json(record_of(&state, &shop).await?))
}

/// A worker records what the shop gave in a past year (before the app), or replaces what was
/// recorded: units, wishes and a note. A year the app already counts: 422 `year` `duplicate`;
/// this year or later, before 1990: 422 `year`.
#[utoipa::path(
    put,
    path = "/shops/{id}/years/{year}",
    tag = "shops",
    operation_id = "shops_put_year",
    params(
        ("id" = uuid::Uuid, Path, description = "The shop (a user id)"),
        ("year" = i32, Path, description = "The year, as 2016")
    ),
    request_body = RecordPastYear,
    security(("session" = [])),
    responses(
        (status = 200, description = "Recorded", body = ShopRecord)
    )
)]
pub async fn put_year(
    State(state): State<AppState>,
    Worker(user): Worker,
    Path((id, year)): Path<(String, String)>,
    ApiJson(request): ApiJson<RecordPastYear>,
) -> ApiResult<Json<ShopRecord>> {
    let shop = recordable(&state, &user.viewer(), &id).await?;
    let now = state.clock.now();
    let past = shop_record::past_year(parse_year(&year)?, &request, community_today(now))?;
    let allocations = store::shop_record::allocations(&state.db, shop.id).await?;
    shop_record::not_counted_yet(past.year, &allocations)?;
    store::shop_record::put_year(&state.writer, shop.id, past, user.id, now).await?;
    Ok(Json(record_of(&state, &shop).await?))
}

/// A worker removes a past year recorded (none recorded: nothing changes).
#[utoipa::path(
    delete,
    path = "/shops/{id}/years/{year}",
    tag = "shops",
    operation_id = "shops_delete_year",
    params(
        ("id" = uuid::Uuid, Path, description = "The shop (a user id)"),
        ("year" = i32, Path, description = "The year, as 2016")
    ),
    security(("session" = [])),
    responses(
        (status = 200, description = "Removed", body = ShopRecord)
    )
)]
pub async fn delete_year(
    State(state): State<AppState>,
    Worker(user): Worker,
    Path((id, year)): Path<(String, String)>,
) -> ApiResult<Json<ShopRecord>> {
    let shop = recordable(&state, &user.viewer(), &id).await?;
    store::shop_record::delete_year(&state.writer, shop.id, parse_year(&year)?).await?;
    Ok(Json(record_of(&state, &shop).await?))
}

/// The signed-in shop makes its thank-you page (`/shops/{id}`) public, or private again.
#[utoipa::path(
    put,
    path = "/me/shop-page",
    tag = "shops",
    operation_id = "shops_set_page",
    request_body = ShopPage,
    security(("session" = [])),
    responses(
        (status = 200, description = "Set", body = ShopPage)
    )
)]
pub async fn set_page(
    State(state): State<AppState>,
    Shopkeeper(user): Shopkeeper,
    ApiJson(request): ApiJson<ShopPage>,
) -> ApiResult<Json<ShopPage>> {
    store::shop_record::set_public(&state.writer, user.id, request.public).await?;
    Ok(Json(request))
}

/// A shop's public thank-you page, for anyone: its name, the years it gave and their units and
/// wishes (never a household, an alias, a thanks text or a worker's note). 404 unless the shop
/// made it public.
#[utoipa::path(
    get,
    path = "/shops/{id}/thanks",
    tag = "shops",
    operation_id = "shops_thanks",
    params(("id" = uuid::Uuid, Path, description = "The shop (a user id)")),
    responses(
        (status = 200, description = "OK", body = ShopThanks)
    )
)]
pub async fn thanks(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<ShopThanks>> {
    let shop = find(&state, &id).await?;
    if !shop.public {
        return Err(ApiError::NotFound("shop"));
    }
    Ok(Json(record_of(&state, &shop).await?.thanks()))
}

async fn record_of(state: &AppState, shop: &Shop) -> ApiResult<ShopRecord> {
    let allocations = store::shop_record::allocations(&state.db, shop.id).await?;
    let past = store::shop_record::past_years(&state.db, shop.id).await?;
    Ok(shop_record::record(
        shop.id,
        shop.name.clone(),
        shop.public,
        &allocations,
        &past,
    ))
}

/// The shopkeeper `id` names; 404 for anything else.
async fn find(state: &AppState, id: &str) -> ApiResult<Shop> {
    let id: UserId = parse_id(id, Entity::Pledge).map_err(|_| ApiError::NotFound("shop"))?;
    store::shop_record::shop(&state.db, id)
        .await?
        .ok_or(ApiError::NotFound("shop"))
}

/// The shop, if `viewer` may read its record (else 404: whether a shop exists is not told).
async fn readable(state: &AppState, viewer: &Viewer, id: &str) -> ApiResult<Shop> {
    let shop = find(state, id).await?;
    if shop_record::may_read(viewer, shop.id, shop.community, &shop.offered_to) {
        Ok(shop)
    } else {
        Err(ApiError::NotFound("shop"))
    }
}

/// The shop, if `viewer` may record its past years.
async fn recordable(state: &AppState, viewer: &Viewer, id: &str) -> ApiResult<Shop> {
    let shop = find(state, id).await?;
    if shop_record::may_record(viewer, shop.id, shop.community, &shop.offered_to) {
        Ok(shop)
    } else {
        Err(ApiError::NotFound("shop"))
    }
}

/// The path's year; not a number: 422 on `year`.
fn parse_year(text: &str) -> Result<i32, RuleError> {
    text.parse()
        .map_err(|_| RuleError::field(Field::Year, FieldCode::Invalid, "must be a year, as 2016"))
}
