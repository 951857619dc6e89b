//! Wishes: the public `GET /api/wishes`, `GET /api/wishes/{id}` and the timeline
//! `GET /api/wishes/{id}/events`; for workers, `POST /api/wishes` (on a household's behalf),
//! `PATCH /api/wishes/{id}`, `POST /api/wishes/{id}/cancel` and `POST /api/wishes/{id}/close`.

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use microwish_core::command::{
    CancelRequest, CancelWish, CloseWish, Command, NewWish, WishPatch, WishUpdate,
};
use microwish_core::visibility;
use microwish_core::{Entity, EventView, Page, PageQuery, PublicWish, WishId, WishQuery};

use crate::app::AppState;
use crate::apply::apply;
use crate::auth::{MaybeUser, Worker};
use crate::error::{ApiError, ApiResult};
use crate::extract::{event_cursor, parse_id, ApiJson, ApiQuery};
use crate::routes::created_or_replayed;
use crate::store::events::TimelineRow;
use crate::store::users::User;
use crate::{pages, store};

/// The public list, from memory while nothing changed (see [`crate::pages`]).
#[utoipa::path(
    get,
    path = "/wishes",
    tag = "wishes",
    operation_id = "wishes_list",
    params(WishQuery),
    responses(
        (status = 200, description = "OK", body = Page<PublicWish>),
        (status = 304, description = "Not modified since the `ETag` sent in `If-None-Match`")
    )
)]
pub async fn list(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
    headers: HeaderMap,
    ApiQuery(query): ApiQuery<WishQuery>,
) -> ApiResult<Response> {
    let raw = raw.unwrap_or_default();
    let version = state
        .freshness
        .latest(|| async { store::sync::latest_version(&state.db).await })
        .await?;
    if let Some(page) = state.pages.get(&raw, version) {
        return Ok(page.respond(&headers));
    }
    let found = store::wishes::list(&state.db, &query).await?;
    let json = serde_json::to_vec(&found).map_err(|error| ApiError::Corrupt(error.to_string()))?;
    let page = std::sync::Arc::new(pages::Page::new(version, json));
    state.pages.put(raw, page.clone());
    Ok(page.respond(&headers))
}

/// A public wish; for a worker of its community, a draft or a cancelled one too.
#[utoipa::path(
    get,
    path = "/wishes/{id}",
    tag = "wishes",
    operation_id = "wishes_get",
    params(("id" = uuid::Uuid, Path, description = "The wish")),
    security((), ("session" = [])),
    responses(
        (status = 200, description = "OK", body = PublicWish)
    )
)]
pub async fn get(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    Path(id): Path<String>,
) -> ApiResult<Json<PublicWish>> {
    let id = parse_id(&id, Entity::Wish)?;
    if let Some(wish) = store::wishes::public(&state.db, id).await? {
        return Ok(Json(wish));
    }
    // A draft or a cancelled wish: for whom core's rule allows.
    let wish = store::wishes::by_ids(&state.db, &[id])
        .await?
        .remove(&id)
        .ok_or(ApiError::not_found(Entity::Wish))?;
    let community = store::wishes::community_of(&state.db, id).await?;
    let viewer = viewer.as_ref().map(User::viewer);
    if !visibility::wish(viewer.as_ref(), wish.status, community) {
        return Err(ApiError::not_found(Entity::Wish));
    }
    Ok(Json(wish))
}

/// The wish's timeline. The public sees who acted only as a role ("a donor"); workers of its
/// community and the actor themselves see the name and any note.
#[utoipa::path(
    get,
    path = "/wishes/{id}/events",
    tag = "wishes",
    operation_id = "wishes_events",
    params(("id" = uuid::Uuid, Path, description = "The wish"), PageQuery),
    security((), ("session" = [])),
    responses(
        (status = 200, description = "OK", body = Page<EventView>)
    )
)]
pub async fn events(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    Path(id): Path<String>,
    ApiQuery(page): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<EventView>>> {
    let id = parse_id(&id, Entity::Wish)?;
    let after = event_cursor(&page)?;
    let status = store::wishes::status(&state.db, id)
        .await?
        .ok_or(ApiError::not_found(Entity::Wish))?;
    let community = store::wishes::community_of(&state.db, id).await?;
    let viewer = viewer.as_ref().map(User::viewer);
    if !visibility::wish(viewer.as_ref(), status, community) {
        return Err(ApiError::not_found(Entity::Wish));
    }
    let (rows, more) = store::events::timeline(&state.db, id, after, page.page_size()).await?;
    let next = rows.last().filter(|_| more).map(|row| row.seq.to_string());
    let items = rows
        .into_iter()
        .map(|row| {
            let names = visibility::event_names(viewer.as_ref(), row.actor_id, community);
            event_view(row, names)
        })
        .collect();
    Ok(Json(Page { items, next }))
}

/// An event with who acted and their note where `names` (core's
/// [`visibility::event_names`]), their role alone otherwise.
pub fn event_view(row: TimelineRow, names: bool) -> EventView {
    EventView {
        seq: row.seq,
        at: row.at,
        action: row.action,
        from_status: row.from_status,
        to_status: row.to_status,
        actor_role: row.actor_role,
        actor_name: row.actor_name.filter(|_| names),
        note: Some(row.note).filter(|note| names && !note.is_empty()),
    }
}

/// A worker posts a wish on a household's behalf (201; 200 when the same id was already created).
/// A title, description or alias showing the household's name, address (or building and room)
/// or any phone number is 422 with a field error (`reveals_name`, `reveals_address`,
/// `reveals_phone`); publishing for a household without a consent date (where a child lives,
/// also a guardian's) is 409 `consent_missing`.
#[utoipa::path(
    post,
    path = "/wishes",
    tag = "wishes",
    operation_id = "wishes_create",
    request_body = NewWish,
    security(("session" = [])),
    responses(
        (status = 201, description = "Created", body = PublicWish),
        (status = 200, description = "Already created (a retry)", body = PublicWish)
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Worker(user): Worker,
    ApiJson(new): ApiJson<NewWish>,
) -> ApiResult<(StatusCode, Json<PublicWish>)> {
    let id = new.id;
    let decision = apply(&state, user.actor(), Command::CreateWish(new)).await?;
    let status = created_or_replayed(&decision);
    Ok((status, Json(worker_view(&state, id).await?)))
}

/// A worker edits a wish (draft or published): public text is checked as on creation, and
/// publishing a draft needs the household's consent (409 `consent_missing`).
#[utoipa::path(
    patch,
    path = "/wishes/{id}",
    tag = "wishes",
    operation_id = "wishes_update",
    params(("id" = uuid::Uuid, Path, description = "The wish")),
    request_body = WishPatch,
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = PublicWish)
    )
)]
pub async fn update(
    State(state): State<AppState>,
    Worker(user): Worker,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<WishPatch>,
) -> ApiResult<Json<PublicWish>> {
    let wish_id = parse_id(&id, Entity::Wish)?;
    let command = Command::UpdateWish(WishUpdate { wish_id, patch });
    apply(&state, user.actor(), command).await?;
    Ok(Json(worker_view(&state, wish_id).await?))
}

/// A worker cancels a wish with a reason; its active claims end.
#[utoipa::path(
    post,
    path = "/wishes/{id}/cancel",
    tag = "wishes",
    operation_id = "wishes_cancel",
    params(("id" = uuid::Uuid, Path, description = "The wish")),
    request_body = CancelRequest,
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = PublicWish)
    )
)]
pub async fn cancel(
    State(state): State<AppState>,
    Worker(user): Worker,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<CancelRequest>,
) -> ApiResult<Json<PublicWish>> {
    let wish_id = parse_id(&id, Entity::Wish)?;
    let command = Command::CancelWish(CancelWish {
        wish_id,
        reason: request.reason,
    });
    apply(&state, user.actor(), command).await?;
    Ok(Json(worker_view(&state, wish_id).await?))
}

/// A worker closes a fulfilled wish (the household thanked, the wish archived); it stays
/// public. Any other status is 409 `invalid_state`.
#[utoipa::path(
    post,
    path = "/wishes/{id}/close",
    tag = "wishes",
    operation_id = "wishes_close",
    params(("id" = uuid::Uuid, Path, description = "The wish")),
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = PublicWish)
    )
)]
pub async fn close(
    State(state): State<AppState>,
    Worker(user): Worker,
    Path(id): Path<String>,
) -> ApiResult<Json<PublicWish>> {
    let wish_id = parse_id(&id, Entity::Wish)?;
    apply(
        &state,
        user.actor(),
        Command::CloseWish(CloseWish { wish_id }),
    )
    .await?;
    Ok(Json(worker_view(&state, wish_id).await?))
}

/// A wish whatever its status (the worker posting or editing it may see it).
async fn worker_view(state: &AppState, id: WishId) -> ApiResult<PublicWish> {
    store::wishes::by_ids(&state.db, &[id])
        .await?
        .remove(&id)
        .ok_or(ApiError::not_found(Entity::Wish))
}
