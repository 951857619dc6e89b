//! The user's own notices and how they want them: `GET /api/me/notices`,
//! `POST /api/me/notices/read`, `GET/PUT /api/me/preferences`.

use axum::extract::State;
use axum::Json;
use microwish_core::command::{Command, MarkNoticesRead};
use microwish_core::{NoticePage, PageQuery, Preferences, UnreadCount};

use crate::app::AppState;
use crate::apply::apply;
use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery};
use crate::store;

/// The caller's notices, newest first, with how many of theirs are unread.
#[utoipa::path(
    get,
    path = "/me/notices",
    tag = "notices",
    operation_id = "notices_list",
    params(PageQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = NoticePage)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<Json<NoticePage>> {
    Ok(Json(
        store::notices::page(&state.db, user.id, &query).await?,
    ))
}

/// Marks some of the caller's notices read (`ids`; another user's is 404), or all of them
/// (`all: true`); the unread count after it.
#[utoipa::path(
    post,
    path = "/me/notices/read",
    tag = "notices",
    operation_id = "notices_read",
    request_body = MarkNoticesRead,
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = UnreadCount)
    )
)]
pub async fn read(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(mark): ApiJson<MarkNoticesRead>,
) -> ApiResult<Json<UnreadCount>> {
    apply(&state, user.actor(), Command::MarkNoticesRead(mark)).await?;
    let unread = store::notices::unread(&state.db, user.id).await?;
    Ok(Json(UnreadCount { unread }))
}

/// Which kinds the caller gets by push and by SMS (every kind listed; push on, SMS off until
/// chosen).
#[utoipa::path(
    get,
    path = "/me/preferences",
    tag = "notices",
    operation_id = "preferences_get",
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = Preferences)
    )
)]
pub async fn preferences(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<Json<Preferences>> {
    let chosen = store::subscriptions::preferences(&state.db, user.id).await?;
    Ok(Json(chosen.complete()))
}

/// Sets the kinds named (others keep their setting); every kind in the answer.
#[utoipa::path(
    put,
    path = "/me/preferences",
    tag = "notices",
    operation_id = "preferences_put",
    request_body = Preferences,
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = Preferences)
    )
)]
pub async fn set_preferences(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(changes): ApiJson<Preferences>,
) -> ApiResult<Json<Preferences>> {
    let user_id = user.id;
    state
        .writer
        .write(move |tx| store::subscriptions::set_preferences(tx, user_id, &changes))
        .await?;
    preferences(State(state), user).await
}
