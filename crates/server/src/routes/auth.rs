//! `POST /api/auth/register|login|logout` and `GET /api/me`.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use microwish_core::account::{Login, Registration};
use microwish_core::validate::normalize_phone;
use microwish_core::{new_id, Me};

use crate::app::AppState;
use crate::auth::{self, CurrentUser};
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::stored::parse_stored;

pub async fn register(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(registration): ApiJson<Registration>,
) -> ApiResult<Response> {
    let valid = registration.validate()?;
    let user = CurrentUser {
        id: new_id(),
        role: valid.role,
        display_name: valid.display_name,
        phone: valid.phone,
    };
    let hash = auth::hash_password(valid.password).await?;
    insert_user(&state, &user, &hash).await?;
    start_session(&state, &headers, &user, StatusCode::CREATED).await
}

/// Adds a user; used by registration, the `user add` command and the demo seed.
pub async fn insert_user(
    state: &AppState,
    user: &CurrentUser,
    password_hash: &str,
) -> ApiResult<()> {
    let inserted = sqlx::query(
        "INSERT INTO users (id, phone, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(user.id.to_string())
    .bind(&user.phone)
    .bind(&user.display_name)
    .bind(user.role.as_str())
    .bind(password_hash)
    .bind(state.clock.now())
    .execute(&state.db)
    .await;
    match inserted {
        Ok(_) => Ok(()),
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
            Err(ApiError::PhoneTaken)
        }
        Err(error) => Err(error.into()),
    }
}

pub async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    ApiJson(login): ApiJson<Login>,
) -> ApiResult<Response> {
    let now = state.clock.now();
    // An unparsable phone is throttled under what was typed, so guessing stays limited.
    let phone = normalize_phone(&login.phone).unwrap_or_else(|| login.phone.trim().to_owned());
    let address = Some(peer.ip());
    if let Some(retry_after) = state.throttle.retry_after(&phone, address, now) {
        return Err(ApiError::TooManyAttempts { retry_after });
    }
    let row: Option<(String, String, String, String)> =
        sqlx::query_as("SELECT id, role, display_name, password_hash FROM users WHERE phone = ?")
            .bind(&phone)
            .fetch_optional(&state.db)
            .await?;
    let hash = row
        .as_ref()
        .map(|(_, _, _, hash)| hash.clone())
        .unwrap_or_else(|| auth::dummy_hash().to_owned());
    let matches = auth::verify_password(login.password, hash).await?;
    let Some((id, role, display_name, _)) = row.filter(|_| matches) else {
        state.throttle.record_failure(&phone, address, now);
        return Err(ApiError::InvalidCredentials);
    };
    state.throttle.record_success(&phone);
    let user = CurrentUser {
        id: parse_stored(&id)?,
        role: parse_stored(&role)?,
        display_name,
        phone,
    };
    start_session(&state, &headers, &user, StatusCode::OK).await
}

async fn start_session(
    state: &AppState,
    headers: &HeaderMap,
    user: &CurrentUser,
    status: StatusCode,
) -> ApiResult<Response> {
    let token = auth::create_session(&state.db, user.id, state.clock.now()).await?;
    let me = auth::me(&state.db, user).await?;
    let cookie = auth::session_cookie(&token, auth::is_https(headers));
    Ok((status, [(header::SET_COOKIE, cookie)], Json(me)).into_response())
}

pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    if let Some(token) = auth::session_token(&headers) {
        auth::end_session(&state.db, &token).await?;
    }
    let cookie = auth::expired_cookie(auth::is_https(&headers));
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

pub async fn me(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<Me>> {
    Ok(Json(auth::me(&state.db, &user).await?))
}
