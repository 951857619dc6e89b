//! A person's hold on their account (issue 23, items 4, 5 and 9): one-time SMS codes
//! (`POST /api/auth/code`), a forgotten password reset with one (`POST /api/auth/reset`), a
//! phone proven later (`POST /api/me/phone`), a password changed (`POST /api/me/password`)
//! and every session ended ("log out everywhere", `DELETE /api/me/sessions`). What a code is
//! and what a number's phone receives are core's (`microwish_core::phone_code`).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use microwish_core::phone_code::{
    code_from_random, code_message, parse_code, wrong_code, CodeMessage, CodePurpose, CodeRequest,
    CodeSent, PasswordChange, PasswordReset, PhoneVerification,
};
use microwish_core::problem::{Problem, ProblemCode};
use microwish_core::{Field, FieldCode, Me, Phone, RuleError};

use crate::app::AppState;
use crate::auth::{self, CurrentUser};
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::notify::sms::SmsMessage;
use crate::security::ClientAddress;
use crate::store;

/// Sends a one-time code by SMS for `purpose` (`register`, `reset`, `verify`, `login`); it
/// works for 5 minutes and 5 tries. Answered 202 the same whether or not the number has an
/// account (a sign-up code for a taken number tells its owner instead; a reset code for an
/// unknown number sends nothing), so numbers cannot be enumerated. One a minute and five an
/// hour per number, 30 an hour per address (429 with `Retry-After`); 409 `sms_unavailable`
/// when the server has no SMS gateway.
#[utoipa::path(
    post,
    path = "/auth/code",
    tag = "auth",
    operation_id = "auth_code",
    request_body = CodeRequest,
    responses(
        (status = 202, description = "A code is on its way if the number may have one", body = CodeSent),
        (status = 409, description = "No SMS gateway (`sms_unavailable`)", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn request_code(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    ApiJson(request): ApiJson<CodeRequest>,
) -> ApiResult<(StatusCode, Json<CodeSent>)> {
    if !state.notifier.has_sms() {
        return Err(no_gateway());
    }
    let phone = Phone::parse(&request.phone)
        .map_err(|_| RuleError::field(Field::Phone, FieldCode::Invalid, "not a mobile number"))?;
    let now = state.clock.now();
    auth::take_code_request(&state.writer, phone.as_str(), address, now).await?;
    send_code(&state, &phone, request.purpose).await?;
    Ok((StatusCode::ACCEPTED, Json(CodeSent::now())))
}

fn no_gateway() -> ApiError {
    ApiError::bad_request(
        ProblemCode::SmsUnavailable,
        "this server sends no SMS; ask a community worker",
    )
}

/// Sends what `purpose` calls for to `phone` (core's [`code_message`]), keeping the code's
/// keyed hash when one is sent.
async fn send_code(state: &AppState, phone: &Phone, purpose: CodePurpose) -> ApiResult<()> {
    let exists = store::users::by_phone(&state.db, phone).await?.is_some();
    let message = match code_message(purpose, exists) {
        CodeMessage::Nothing => return Ok(()),
        CodeMessage::AlreadyRegistered => SmsMessage {
            phone: phone.as_str().to_owned(),
            template: "phone_registered".into(),
            params: serde_json::json!({}),
            key: uuid::Uuid::now_v7().to_string(),
        },
        CodeMessage::Code => {
            let random = crate::security::random_bytes::<4>()?;
            let code = code_from_random(u32::from_be_bytes(random));
            let (kept, now, typed) = (phone.clone(), state.clock.now(), code.clone());
            state
                .writer
                .write(move |tx| store::phone_codes::keep(tx, &kept, purpose, &typed, now))
                .await?;
            SmsMessage {
                phone: phone.as_str().to_owned(),
                template: "phone_code".into(),
                params: serde_json::json!({"code": code, "purpose": purpose}),
                key: uuid::Uuid::now_v7().to_string(),
            }
        }
    };
    state.notifier.text_soon(message);
    Ok(())
}

/// Whether `typed` is the live code for `phone` and `purpose` (used up if so; a wrong try
/// counts). Any failure reads as core's one "wrong or expired" field error on `code`.
pub async fn check_code(
    state: &AppState,
    phone: &Phone,
    purpose: CodePurpose,
    typed: &str,
) -> ApiResult<()> {
    let code = parse_code(typed)?;
    let (phone, now) = (phone.clone(), state.clock.now());
    let right = state
        .writer
        .write(move |tx| store::phone_codes::take(tx, &phone, purpose, &code, now))
        .await?;
    if right {
        Ok(())
    } else {
        Err(wrong_code().into())
    }
}

/// The signed-in user's sessions (all, or all but `keep`) end on every server at once.
async fn end_sessions(state: &AppState, user: &CurrentUser, keep: Option<String>) -> ApiResult<()> {
    let id = user.id;
    state
        .writer
        .write(move |tx| store::phone_codes::end_sessions(tx, id, keep.as_deref()))
        .await?;
    state.sessions.forget_user(user.id);
    Ok(())
}

/// Sets a new password with the code sent for `reset` (a wrong, expired or used code, or a
/// number with no account, is 422 on `code`); the number counts as verified, every other
/// session of the account ends, and this one starts (as a login does).
#[utoipa::path(
    post,
    path = "/auth/reset",
    tag = "auth",
    operation_id = "auth_reset",
    request_body = PasswordReset,
    responses(
        (status = 200, description = "Password set; signed in", body = Me),
        (status = 422, description = "A weak password (`password`) or a wrong code (`code`, `invalid`)", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn reset_password(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(reset): ApiJson<PasswordReset>,
) -> ApiResult<Response> {
    let code = reset.validate()?;
    let Ok(phone) = Phone::parse(&reset.phone) else {
        return Err(wrong_code().into());
    };
    check_code(&state, &phone, CodePurpose::Reset, &code).await?;
    let Some((user, _)) = store::users::by_phone(&state.db, &phone).await? else {
        return Err(wrong_code().into());
    };
    let hash = state.hashing.hash(reset.password).await?;
    let (id, now) = (user.id, state.clock.now());
    state
        .writer
        .write(move |tx| {
            store::phone_codes::set_password(tx, id, &hash)?;
            store::phone_codes::mark_verified(tx, id, now)?;
            store::phone_codes::end_sessions(tx, id, None)
        })
        .await?;
    state.sessions.forget_user(user.id);
    crate::routes::auth::start_session(&state, &headers, &user, StatusCode::OK).await
}

/// Proves the signed-in user's number with the code sent for `verify` (422 on `code` if it
/// is wrong or expired).
#[utoipa::path(
    post,
    path = "/me/phone",
    tag = "auth",
    operation_id = "auth_verify_phone",
    request_body = PhoneVerification,
    security(("session" = [])),
    responses(
        (status = 200, description = "Verified", body = Me),
        (status = 422, description = "A wrong or expired code (`code`, `invalid`)", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn verify_phone(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(verification): ApiJson<PhoneVerification>,
) -> ApiResult<Json<Me>> {
    check_code(&state, &user.phone, CodePurpose::Verify, &verification.code).await?;
    let (id, now) = (user.id, state.clock.now());
    state
        .writer
        .write(move |tx| store::phone_codes::mark_verified(tx, id, now))
        .await?;
    Ok(Json(auth::me(&state.db, &user).await?))
}

/// Changes the signed-in user's password: the current one is asked again (a wrong one is 422
/// on `current_password`, limited like logins); the new one follows sign-up's rules. Every
/// other session of the account ends; this one stays.
#[utoipa::path(
    post,
    path = "/me/password",
    tag = "auth",
    operation_id = "auth_change_password",
    request_body = PasswordChange,
    security(("session" = [])),
    responses(
        (status = 204, description = "Changed; other sessions ended"),
        (status = 422, description = "A wrong current password (`current_password`, `invalid`) or a weak new one (`password`)", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn change_password(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    user: CurrentUser,
    ApiJson(change): ApiJson<PasswordChange>,
) -> ApiResult<StatusCode> {
    change.validate()?;
    crate::routes::auth::password_again(
        &state,
        &user,
        address,
        change.current_password,
        Field::CurrentPassword,
    )
    .await?;
    let new_hash = state.hashing.hash(change.password).await?;
    let id = user.id;
    state
        .writer
        .write(move |tx| store::phone_codes::set_password(tx, id, &new_hash))
        .await?;
    let this_session = auth::session_token(&headers).map(|token| auth::token_hash(&token));
    end_sessions(&state, &user, this_session).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Ends every session of the signed-in user, on every device and server ("log out
/// everywhere"), this one included, and clears the cookie.
#[utoipa::path(
    delete,
    path = "/me/sessions",
    tag = "auth",
    operation_id = "auth_end_sessions",
    security(("session" = [])),
    responses(
        (status = 204, description = "Every session ended")
    )
)]
pub async fn end_all_sessions(
    State(state): State<AppState>,
    headers: HeaderMap,
    user: CurrentUser,
) -> ApiResult<Response> {
    end_sessions(&state, &user, None).await?;
    Ok(super::auth::signed_out(&headers))
}

/// A worker whose number saw [`WORKER_SECOND_FACTOR_AFTER`] failed logins lately must also
/// give the code sent to their phone, when the server can send one. `Ok` to let them in;
/// without a code one is sent and the answer is 401 `code_required`.
///
/// [`WORKER_SECOND_FACTOR_AFTER`]: microwish_core::phone_code::WORKER_SECOND_FACTOR_AFTER
pub async fn second_factor(
    state: &AppState,
    user: &CurrentUser,
    failures: usize,
    typed: Option<&str>,
    address: std::net::IpAddr,
) -> ApiResult<()> {
    use microwish_core::phone_code::WORKER_SECOND_FACTOR_AFTER;
    if user.role != microwish_core::Role::Worker
        || failures < WORKER_SECOND_FACTOR_AFTER
        || !state.notifier.has_sms()
    {
        return Ok(());
    }
    match typed {
        Some(typed) => check_code(state, &user.phone, CodePurpose::Login, typed).await,
        None => {
            // A code sent within the minute is still on its way: no second one.
            let now = state.clock.now();
            if auth::take_code_request(&state.writer, user.phone.as_str(), address, now)
                .await
                .is_ok()
            {
                send_code(state, &user.phone, CodePurpose::Login).await?;
            }
            Err(ApiError::bad_request(
                ProblemCode::CodeRequired,
                "after failed logins this account also needs the code just sent to its phone",
            ))
        }
    }
}
