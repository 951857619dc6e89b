//! The one error type of the API. Every failure leaves as RFC 9457
//! `application/problem+json` with a stable `code` that clients switch on.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use microwish_core::{RuleError, ValidationErrors};
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No such resource (an unknown id, an unknown `/api` path).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The request cannot be understood (malformed query or JSON).
    #[error("{detail}")]
    BadRequest { code: &'static str, detail: String },
    /// A rule in core refused the change.
    #[error(transparent)]
    Rule(#[from] RuleError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Stored data that no longer parses: a bug or a hand-edited database.
    #[error("corrupt data: {0}")]
    Corrupt(String),
}

impl ApiError {
    pub fn bad_request(code: &'static str, detail: impl Into<String>) -> Self {
        ApiError::BadRequest {
            code,
            detail: detail.into(),
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Rule(RuleError::Validation(_)) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Rule(_) => StatusCode::CONFLICT,
            ApiError::Database(_) | ApiError::Corrupt(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::NotFound(_) => "not_found",
            ApiError::BadRequest { code, .. } => code,
            ApiError::Rule(rule) => rule.code(),
            ApiError::Database(_) | ApiError::Corrupt(_) => "internal",
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        let detail = if status.is_server_error() {
            // The cause goes to the log, not to the client.
            tracing::error!(error = %self, "request failed");
            "something went wrong on the server; please try again".to_owned()
        } else {
            self.to_string()
        };
        let mut body = json!({
            "type": format!("/problems/{}", self.code()),
            "title": status.canonical_reason().unwrap_or("Error"),
            "status": status.as_u16(),
            "code": self.code(),
            "detail": detail,
        });
        if let ApiError::Rule(RuleError::Validation(ValidationErrors(errors))) = &self {
            body["errors"] = json!(errors);
        }
        (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body.to_string(),
        )
            .into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
