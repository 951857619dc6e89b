//! `POST /api/auth/register|login|logout` and `GET /api/me`.

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{AppendHeaders, IntoResponse, Response};
use axum::Json;
use microwish_core::account::{decide_account_deletion, AccountDeletion, Login, Registration};
use microwish_core::phone_code::CodePurpose;
use microwish_core::problem::Problem;
use microwish_core::{CommunityId, Field, FieldCode, Me, Phone, Role, RuleError, VolunteerStatus};

use crate::app::AppState;
use crate::auth::{self, CurrentUser};
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::security::ClientAddress;
use crate::store;

/// A new resident, donor, volunteer or shopkeeper account (workers and property staff are added by the community: 422); signs in (sets the session cookie). `community_id` names the community a resident or volunteer lives in: the only one when left out; with several communities it is required of residents and volunteers (422 `required`), and an unknown one is 422 `unknown`. Limited per address; 503 `busy` with `Retry-After` when every password hasher is taken.
#[utoipa::path(
    post,
    path = "/auth/register",
    tag = "auth",
    operation_id = "auth_register",
    request_body = Registration,
    responses(
        (status = 201, description = "Registered and signed in", body = Me),
        (status = 503, description = "Every password hasher is busy: retry after `Retry-After` seconds", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn register(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    ApiJson(registration): ApiJson<Registration>,
) -> ApiResult<Response> {
    let wanted = registration.community_id;
    let registration_privacy = registration.privacy;
    let code = registration.code.clone();
    let account = registration.validate()?;
    let community = home_community(&state, account.role, wanted).await?;
    // Each account costs a slow hash: a few dozen an hour from one address (a community
    // centre's Wi-Fi on sign-up day) is welcome, a script is not.
    state
        .registrations
        .take(&state.writer, address, state.clock.now())
        .await?;
    // A code proves the number. For a taken number none was sent (its owner was told
    // instead), so a sign-up with a code reads the same whether or not the number is taken.
    if let Some(code) = &code {
        super::account::check_code(&state, &account.phone, CodePurpose::Register, code).await?;
    }
    // A volunteer waits for a worker to meet them before any house call.
    let vetting = (account.role == Role::Volunteer).then_some(VolunteerStatus::Pending);
    let accepted_privacy = registration_privacy == Some(true);
    let user = auth::add_user(&state, account, community, vetting).await?;
    if accepted_privacy || code.is_some() {
        let (id, now, verified) = (user.id, state.clock.now(), code.is_some());
        state
            .writer
            .write(move |tx| {
                if accepted_privacy {
                    store::users::record_privacy_accepted(tx, id, now)?;
                }
                if verified {
                    store::phone_codes::mark_verified(tx, id, now)?;
                }
                Ok(())
            })
            .await?;
    }
    start_session(&state, &headers, &user, StatusCode::CREATED).await
}

/// The community a new account belongs to: the one it names (which must exist), else for a
/// resident or a volunteer (who files requests and answers calls where they live) the only
/// community there is; with several, they must name one (422). None otherwise.
async fn home_community(
    state: &AppState,
    role: Role,
    wanted: Option<CommunityId>,
) -> ApiResult<Option<CommunityId>> {
    let communities = store::community::communities(&state.db).await?;
    match wanted {
        Some(wanted) if communities.iter().any(|(id, _)| *id == wanted) => Ok(Some(wanted)),
        Some(_) => {
            Err(
                RuleError::field(Field::CommunityId, FieldCode::Unknown, "no such community")
                    .into(),
            )
        }
        None => match (role, communities.as_slice()) {
            (Role::Resident | Role::Volunteer, [(only, _)]) => Ok(Some(*only)),
            (Role::Resident | Role::Volunteer, [_, _, ..]) => Err(RuleError::field(
                Field::CommunityId,
                FieldCode::Required,
                "choose your community",
            )
            .into()),
            _ => Ok(None),
        },
    }
}

/// Signs in with phone and password (sets the session cookie). Failed attempts are limited per phone and address, with a growing delay; 429 with `Retry-After` beyond them.
#[utoipa::path(
    post,
    path = "/auth/login",
    tag = "auth",
    operation_id = "auth_login",
    request_body = Login,
    responses(
        (status = 200, description = "Signed in", body = Me),
        (status = 503, description = "Every password hasher is busy: retry after `Retry-After` seconds", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn login(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    ApiJson(login): ApiJson<Login>,
) -> ApiResult<Response> {
    let now = state.clock.now();
    let phone = Phone::parse(&login.phone);
    // An unparsable phone is throttled under what was typed, so guessing stays limited.
    let throttle_key = match &phone {
        Ok(phone) => phone.as_str().to_owned(),
        Err(_) => login.phone.trim().to_owned(),
    };
    let client = address;
    let address = Some(address);
    let attempt = state
        .throttle
        .attempt(&state.writer, &throttle_key, address, now)
        .await?;
    let found = match &phone {
        Ok(phone) => store::users::by_phone(&state.db, phone).await?,
        Err(_) => None,
    };
    // An unknown phone costs as much time as a wrong password.
    let hash = found
        .as_ref()
        .map(|(_, hash)| hash.clone())
        .unwrap_or_else(|| auth::dummy_hash().to_owned());
    let matches = match state.hashing.verify(login.password, hash).await {
        Ok(matches) => matches,
        Err(error) => {
            // Not checked (the server was busy): the attempt does not count.
            state.throttle.abandoned(&state.writer, attempt).await?;
            return Err(error);
        }
    };
    let Some((user, _)) = found.filter(|_| matches) else {
        tokio::time::sleep(state.throttle.delay_after(&state.writer, &attempt).await?).await;
        return Err(ApiError::InvalidCredentials);
    };
    let failures = state
        .throttle
        .failures_at_phone(&state.writer, &attempt, now)
        .await?;
    if let Err(refused) =
        super::account::second_factor(&state, &user, failures, login.code.as_deref(), client).await
    {
        // The password was right: this attempt is no failure, but no session either.
        state.throttle.abandoned(&state.writer, attempt).await?;
        return Err(refused);
    }
    state.throttle.succeeded(&state.writer, attempt).await?;
    start_session(&state, &headers, &user, StatusCode::OK).await
}

pub(crate) async fn start_session(
    state: &AppState,
    headers: &HeaderMap,
    user: &CurrentUser,
    status: StatusCode,
) -> ApiResult<Response> {
    let token = auth::create_session(&state.db, user.id, state.clock.now()).await?;
    let me = auth::me(&state.db, user).await?;
    let https = auth::is_https(headers);
    let cookies = AppendHeaders([
        (header::SET_COOKIE, auth::session_cookie(&token, https)),
        (header::SET_COOKIE, auth::signed_in_hint(true, https)),
    ]);
    Ok((status, cookies, Json(me)).into_response())
}

/// Ends the session (if any) and clears the cookie.
#[utoipa::path(
    post,
    path = "/auth/logout",
    tag = "auth",
    operation_id = "auth_logout",
    security((), ("session" = [])),
    responses(
        (status = 204, description = "Signed out")
    )
)]
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> ApiResult<Response> {
    if let Some(token) = auth::session_token(&headers) {
        auth::end_session(&state, &token).await?;
    }
    Ok(signed_out(&headers))
}

/// The signed-in user.
#[utoipa::path(
    get,
    path = "/me",
    tag = "auth",
    operation_id = "auth_me",
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = Me)
    )
)]
pub async fn me(State(state): State<AppState>, user: CurrentUser) -> ApiResult<Json<Me>> {
    Ok(Json(auth::me(&state.db, &user).await?))
}

/// Deletes the signed-in account (PIPL): the password is asked again (a wrong one is 422 on
/// `password`, limited like logins). The name, phone and password are erased (the number may
/// sign up again), every session ends, push subscriptions go; claims stay, showing no name.
/// The last worker of a community may not (409 `last_worker`).
#[utoipa::path(
    delete,
    path = "/me",
    tag = "auth",
    operation_id = "auth_delete_me",
    request_body = AccountDeletion,
    security(("session" = [])),
    responses(
        (status = 204, description = "Deleted and signed out"),
        (status = 409, description = "The last worker of a community (`last_worker`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong password (field `password`, code `invalid`)", body = Problem, content_type = "application/problem+json")
    )
)]
pub async fn delete_me(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    user: CurrentUser,
    ApiJson(deletion): ApiJson<AccountDeletion>,
) -> ApiResult<Response> {
    let now = state.clock.now();
    password_again(&state, &user, address, deletion.password, Field::Password).await?;
    let erased = user.clone();
    state
        .writer
        .write(move |tx| {
            // Counted in the deletion's transaction: two last workers leaving at once cannot
            // both go.
            let others = match erased.community {
                Some(community) => store::users::other_workers(tx, community, erased.id)?,
                None => 0,
            };
            let erasure = decide_account_deletion(erased.id, erased.role, others)?;
            store::users::erase(tx, &erased, &erasure, now)
        })
        .await?;
    state.sessions.forget_user(user.id);
    Ok(signed_out(&headers))
}

/// The signed-in user's password, asked again before something grave (deleting the account,
/// changing the password): limited and slowed like a login; a wrong one is 422 on `field`.
pub(crate) async fn password_again(
    state: &AppState,
    user: &CurrentUser,
    address: std::net::IpAddr,
    password: String,
    field: Field,
) -> ApiResult<()> {
    let now = state.clock.now();
    let attempt = state
        .throttle
        .attempt(&state.writer, user.phone.as_str(), Some(address), now)
        .await?;
    let hash = store::users::by_phone(&state.db, &user.phone)
        .await?
        .filter(|(found, _)| found.id == user.id)
        .map(|(_, hash)| hash)
        .ok_or(ApiError::NotLoggedIn)?;
    let matches = match state.hashing.verify(password, hash).await {
        Ok(matches) => matches,
        Err(error) => {
            state.throttle.abandoned(&state.writer, attempt).await?;
            return Err(error);
        }
    };
    if !matches {
        tokio::time::sleep(state.throttle.delay_after(&state.writer, &attempt).await?).await;
        return Err(RuleError::field(field, FieldCode::Invalid, "wrong password").into());
    }
    state.throttle.succeeded(&state.writer, attempt).await
}

/// 204 with the session cookie cleared and the signed-in hint off: every way out (logging
/// out, out everywhere, deleting the account) answers alike.
pub(crate) fn signed_out(headers: &HeaderMap) -> Response {
    let https = auth::is_https(headers);
    let cookies = AppendHeaders([
        (header::SET_COOKIE, auth::expired_cookie(https)),
        (header::SET_COOKIE, auth::signed_in_hint(false, https)),
    ]);
    (StatusCode::NO_CONTENT, cookies).into_response()
}
