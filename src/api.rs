//! The typed HTTP client: one function per endpoint, JSON in core's types,
//! every failure an [`ApiError`] the UI can explain.
//!
//! The session is an HttpOnly cookie on the same origin: the browser sends it with
//! every request, so no function here deals with tokens.

use gloo_net::http::{Request, Response};
use microwish_core::account::{Login, Registration};
use microwish_core::sync::{PullResponse, PushRequest, PushResponse};
use microwish_core::{EventView, FieldError, Id, Me, Page, Stats};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// Why a request failed, in the terms the UI needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// No answer at all: offline, or the server is down.
    Unreachable,
    /// The server knows no such thing (404).
    NotFound,
    /// Nobody is logged in, or the session ended (401 `not_logged_in`): time to log in.
    NotLoggedIn,
    /// The server answered with a problem; `code` is its stable code.
    Problem {
        status: u16,
        code: String,
        /// What is wrong with each field, for 422 `validation_failed`.
        errors: Vec<FieldError>,
        /// Seconds to wait before trying again, for 429 `too_many_attempts`.
        retry_after: Option<u32>,
    },
    /// The answer was not what this version of the app expects.
    Unexpected(String),
}

impl ApiError {
    /// A form the app itself found invalid, reported like the server's 422 so that
    /// both read the same way.
    pub fn invalid(errors: Vec<FieldError>) -> Self {
        ApiError::Problem {
            status: 422,
            code: "validation_failed".to_owned(),
            errors,
            retry_after: None,
        }
    }

    /// The problem's stable code, if the server sent one.
    pub fn code(&self) -> Option<&str> {
        match self {
            ApiError::Problem { code, .. } => Some(code),
            ApiError::NotLoggedIn => Some("not_logged_in"),
            _ => None,
        }
    }

    /// The per-field errors of a `validation_failed` problem (empty for any other error).
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            ApiError::Problem { errors, .. } => errors,
            _ => &[],
        }
    }
}

/// The RFC 9457 problem body, as far as the client uses it.
#[derive(serde::Deserialize)]
struct ProblemBody {
    code: String,
    #[serde(default)]
    errors: Vec<FieldError>,
}

/// The `{}` body of state-changing requests that carry no data: the server
/// accepts writes only as JSON.
#[derive(Serialize)]
struct NoFields {}

async fn get_json<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let response = Request::get(path)
        .header("accept", "application/json")
        .send()
        .await
        .map_err(|_| ApiError::Unreachable)?;
    decode(response).await
}

/// Sends `body` as JSON; `json()` sets `Content-Type: application/json`, without which
/// the server refuses any write (415).
async fn post(path: &str, body: &impl Serialize) -> Result<Response, ApiError> {
    Request::post(path)
        .header("accept", "application/json")
        .json(body)
        .map_err(|error| ApiError::Unexpected(error.to_string()))?
        .send()
        .await
        .map_err(|_| ApiError::Unreachable)
}

async fn post_json<T: DeserializeOwned>(path: &str, body: &impl Serialize) -> Result<T, ApiError> {
    decode(post(path, body).await?).await
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    if !response.ok() {
        return Err(problem(response).await);
    }
    response
        .json()
        .await
        .map_err(|error| ApiError::Unexpected(error.to_string()))
}

/// Turns a failed response into an [`ApiError`].
async fn problem(response: Response) -> ApiError {
    let status = response.status();
    if status == 404 {
        return ApiError::NotFound;
    }
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|seconds| seconds.trim().parse().ok());
    let (code, errors) = match response.json::<ProblemBody>().await {
        Ok(body) => (body.code, body.errors),
        // A proxy or a restarting server may answer 502/503 without a problem body.
        Err(_) if status >= 500 => return ApiError::Unreachable,
        // Limits enforced in front of the app may answer without one too.
        Err(_) => (code_of_bare_status(status), Vec::new()),
    };
    if code == "not_logged_in" {
        return ApiError::NotLoggedIn;
    }
    ApiError::Problem {
        status,
        code,
        errors,
        retry_after,
    }
}

fn code_of_bare_status(status: u16) -> String {
    match status {
        401 => "not_logged_in".to_owned(),
        413 => "body_too_large".to_owned(),
        415 => "unsupported_media_type".to_owned(),
        429 => "too_many_attempts".to_owned(),
        _ => format!("http_{status}"),
    }
}

/// The public timeline of a wish, oldest first.
pub async fn wish_events(id: Id) -> Result<Page<EventView>, ApiError> {
    get_json(&format!("/api/wishes/{id}/events")).await
}

pub async fn stats() -> Result<Stats, ApiError> {
    get_json("/api/stats").await
}

/// Creates an account and logs it in (the answer sets the session cookie).
pub async fn register(registration: &Registration) -> Result<Me, ApiError> {
    post_json("/api/auth/register", registration).await
}

pub async fn login(login: &Login) -> Result<Me, ApiError> {
    post_json("/api/auth/login", login).await
}

pub async fn logout() -> Result<(), ApiError> {
    let response = post("/api/auth/logout", &NoFields {}).await?;
    if response.ok() {
        Ok(())
    } else {
        Err(problem(response).await)
    }
}

/// Who the session cookie belongs to; [`ApiError::NotLoggedIn`] when nobody.
pub async fn me() -> Result<Me, ApiError> {
    get_json("/api/me").await
}

/// Sends pending mutations; each gets a result (applied or rejected, with a code).
pub async fn push(request: &PushRequest) -> Result<PushResponse, ApiError> {
    post_json("/api/sync/push", request).await
}

/// Everything the user may see that changed after `cursor`.
pub async fn pull(cursor: u64, client_id: Id) -> Result<PullResponse, ApiError> {
    get_json(&format!(
        "/api/sync/pull?cursor={cursor}&client_id={client_id}"
    ))
    .await
}
