//! Request extractors whose rejections are problem+json like every other error.

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use microwish_core::Id;
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
            .map_err(|rejection| ApiError::bad_request("bad_query", rejection.body_text()))
    }
}

/// Parses an id from a path. A malformed id names nothing, so it is a 404 like an unknown one.
pub fn parse_id(text: &str, what: &'static str) -> Result<Id, ApiError> {
    text.parse().map_err(|_| ApiError::NotFound(what))
}
