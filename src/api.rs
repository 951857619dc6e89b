//! The typed HTTP client: one function per endpoint, JSON in core's types,
//! every failure an [`ApiError`] the UI can explain.

use gloo_net::http::{Request, Response};
use microwish_core::{Grid, Id, Page, PublicCampaign, PublicWish, Stats, WishQuery};
use serde::de::DeserializeOwned;

/// Why a request failed, in the terms the UI needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// No answer at all: offline, or the server is down.
    Unreachable,
    /// The server knows no such thing (404).
    NotFound,
    /// The server answered with a problem; `code` is its stable code.
    Problem { status: u16, code: String },
    /// The answer was not what this version of the app expects.
    Unexpected(String),
}

/// The RFC 9457 problem body, as far as the client uses it.
#[derive(serde::Deserialize)]
struct Problem {
    code: String,
}

async fn get_json<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    let response = Request::get(path)
        .header("accept", "application/json")
        .send()
        .await
        .map_err(|_| ApiError::Unreachable)?;
    decode(response).await
}

async fn decode<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    if response.ok() {
        return response
            .json()
            .await
            .map_err(|error| ApiError::Unexpected(error.to_string()));
    }
    if status == 404 {
        return Err(ApiError::NotFound);
    }
    // A proxy or a restarting server may answer 502/503 without a problem body.
    let code = match response.json::<Problem>().await {
        Ok(problem) => problem.code,
        Err(_) if status >= 500 => return Err(ApiError::Unreachable),
        Err(_) => format!("http_{status}"),
    };
    Err(ApiError::Problem { status, code })
}

pub async fn wishes(query: &WishQuery) -> Result<Page<PublicWish>, ApiError> {
    let query = query.to_query_string();
    if query.is_empty() {
        get_json("/api/wishes").await
    } else {
        get_json(&format!("/api/wishes?{query}")).await
    }
}

pub async fn wish(id: Id) -> Result<PublicWish, ApiError> {
    get_json(&format!("/api/wishes/{id}")).await
}

pub async fn campaigns() -> Result<Page<PublicCampaign>, ApiError> {
    get_json("/api/campaigns").await
}

pub async fn campaign(id: Id) -> Result<PublicCampaign, ApiError> {
    get_json(&format!("/api/campaigns/{id}")).await
}

pub async fn grids() -> Result<Page<Grid>, ApiError> {
    get_json("/api/grids").await
}

pub async fn stats() -> Result<Stats, ApiError> {
    get_json("/api/stats").await
}
