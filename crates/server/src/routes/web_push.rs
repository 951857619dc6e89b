//! Web Push subscriptions: `GET /api/push/key` (the server's VAPID public key),
//! `POST /api/push/subscriptions` `{endpoint, keys: {p256dh, auth}}` → 201,
//! `DELETE /api/push/subscriptions` `{endpoint}` → 204. Endpoints must be https URLs on public
//! addresses (422 `bad_endpoint`), see `notify::endpoint`.

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use microwish_core::{Field, FieldCode, PushEndpoint, PushKey, PushSubscription, RuleError};

use crate::app::AppState;
use crate::auth::CurrentUser;
use crate::error::ApiResult;
use crate::extract::ApiJson;
use crate::notify::webpush::SubscriptionKeys;
use crate::store;

/// The server's VAPID public key (base64url), the phone's `applicationServerKey`.
#[utoipa::path(
    get,
    path = "/push/key",
    tag = "push",
    operation_id = "push_key",
    responses(
        (status = 200, description = "OK", body = PushKey)
    )
)]
pub async fn key(State(state): State<AppState>) -> Json<PushKey> {
    Json(PushKey {
        key: state.notifier.public_key().to_owned(),
    })
}

/// Pushes the caller's notices to this device's push service from now on.
#[utoipa::path(
    post,
    path = "/push/subscriptions",
    tag = "push",
    operation_id = "push_subscribe",
    request_body = PushSubscription,
    security(("session" = [])),
    responses(
        (status = 201, description = "Subscribed", body = PushEndpoint),
        (status = 422, description = "Not an https endpoint on a public address (bad_endpoint), or bad keys")
    )
)]
pub async fn subscribe(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(subscription): ApiJson<PushSubscription>,
) -> ApiResult<(StatusCode, Json<PushEndpoint>)> {
    state.notifier.check_endpoint(&subscription.endpoint)?;
    SubscriptionKeys::parse(&subscription.keys.p256dh, &subscription.keys.auth)
        .map_err(|why| RuleError::field(Field::Keys, FieldCode::Invalid, why))?;
    let (user_id, now) = (user.id, state.clock.now());
    let endpoint = subscription.endpoint.clone();
    state
        .writer
        .write(move |tx| store::subscriptions::subscribe(tx, user_id, &subscription, now))
        .await?;
    Ok((StatusCode::CREATED, Json(PushEndpoint { endpoint })))
}

/// Stops pushing the caller's notices to this endpoint (done already: the same answer).
#[utoipa::path(
    delete,
    path = "/push/subscriptions",
    tag = "push",
    operation_id = "push_unsubscribe",
    request_body = PushEndpoint,
    security(("session" = [])),
    responses(
        (status = 204, description = "Unsubscribed")
    )
)]
pub async fn unsubscribe(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(endpoint): ApiJson<PushEndpoint>,
) -> ApiResult<StatusCode> {
    let user_id = user.id;
    state
        .writer
        .write(move |tx| store::subscriptions::unsubscribe(tx, user_id, &endpoint.endpoint))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
