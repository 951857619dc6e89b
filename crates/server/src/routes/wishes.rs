//! `GET /api/wishes`, `GET /api/wishes/{id}` and the timeline `GET /api/wishes/{id}/events`.

use axum::extract::{Path, State};
use axum::Json;
use microwish_core::{Entity, EventView, Page, PublicWish, Role, WishQuery};

use crate::app::AppState;
use crate::auth::MaybeUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::{parse_id, ApiQuery};
use crate::store;

pub async fn list(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<WishQuery>,
) -> ApiResult<Json<Page<PublicWish>>> {
    Ok(Json(store::wishes::list(&state.db, &query).await?))
}

pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<PublicWish>> {
    let id = parse_id(&id, Entity::Wish)?;
    let wish = store::wishes::public(&state.db, id).await?;
    Ok(Json(wish.ok_or(ApiError::not_found(Entity::Wish))?))
}

/// The wish's timeline. The public sees who acted only as a role ("a donor"); workers and
/// the actor themselves see the name and any note.
pub async fn events(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Page<EventView>>> {
    let id = parse_id(&id, Entity::Wish)?;
    let is_worker = viewer
        .as_ref()
        .is_some_and(|user| user.role == Role::Worker);
    let status = store::wishes::status(&state.db, id)
        .await?
        .ok_or(ApiError::not_found(Entity::Wish))?;
    if !status.is_public() && !is_worker {
        return Err(ApiError::not_found(Entity::Wish));
    }
    let viewer_id = viewer.as_ref().map(|user| user.id);
    let items = store::events::timeline(&state.db, id)
        .await?
        .into_iter()
        .map(|row| {
            let may_see = is_worker || (row.actor_id.is_some() && row.actor_id == viewer_id);
            EventView {
                seq: row.seq,
                at: row.at,
                action: row.action,
                from_status: row.from_status,
                to_status: row.to_status,
                actor_role: row.actor_role,
                actor_name: row.actor_name.filter(|_| may_see),
                note: Some(row.note).filter(|note| may_see && !note.is_empty()),
            }
        })
        .collect();
    Ok(Json(Page { items, next: None }))
}
