//! Request extractors whose rejections are problem+json like every other error.

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use microwish_core::{Entity, ProblemCode};
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// `Query<T>` that answers a malformed query string with a 400 `bad_query`
/// naming the offending parameter, instead of axum's plain-text rejection.
pub struct ApiQuery<T>(pub T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::try_from_uri(&parts.uri)
            .map(|Query(value)| ApiQuery(value))
            .map_err(|rejection| {
                ApiError::bad_request(ProblemCode::BadQuery, rejection.body_text())
            })
    }
}

/// Parses an id from a path. A malformed id names nothing, so it is a 404 like an unknown one.
pub fn parse_id<T: std::str::FromStr>(text: &str, entity: Entity) -> Result<T, ApiError> {
    text.parse().map_err(|_| ApiError::not_found(entity))
}

/// `Json<T>` whose rejections are problem+json: 400 for malformed JSON, 422 for the
/// wrong shape, 413 for an oversized body, 415 without `Content-Type: application/json`.
pub struct ApiJson<T>(pub T);

impl<T, S> axum::extract::FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, ApiError> {
        use axum::extract::rejection::JsonRejection;
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(value)) => Ok(ApiJson(value)),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::UnsupportedMediaType),
            Err(JsonRejection::JsonSyntaxError(error)) => Err(ApiError::bad_request(
                ProblemCode::MalformedJson,
                error.body_text(),
            )),
            Err(JsonRejection::JsonDataError(error)) => Err(ApiError::InvalidBody {
                detail: error.body_text(),
            }),
            Err(JsonRejection::BytesRejection(error))
                if error.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE =>
            {
                Err(ApiError::BodyTooLarge {
                    limit: crate::app::BODY_LIMIT,
                })
            }
            Err(other) => Err(ApiError::bad_request(
                ProblemCode::BadBody,
                other.body_text(),
            )),
        }
    }
}

/// A JSON body read by hand (for an optional body), refused as [`ApiJson`] refuses one.
pub fn parse_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    serde_json::from_slice(body).map_err(|error| {
        if error.is_data() {
            ApiError::InvalidBody {
                detail: error.to_string(),
            }
        } else {
            ApiError::bad_request(ProblemCode::MalformedJson, error.to_string())
        }
    })
}

/// The position a paged timeline's `cursor` names (an event number; none: from the start).
pub fn event_cursor(query: &microwish_core::PageQuery) -> Result<i64, ApiError> {
    match query.cursor.as_deref() {
        None | Some("") => Ok(0),
        Some(text) => text
            .parse::<i64>()
            .ok()
            .filter(|seq| *seq >= 0)
            .ok_or_else(|| {
                ApiError::bad_request(
                    microwish_core::ProblemCode::BadQuery,
                    format!("invalid cursor {text:?}"),
                )
            }),
    }
}
