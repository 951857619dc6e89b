//! The one error type of the API. Every failure leaves as RFC 9457
//! `application/problem+json` with a stable `code` that clients switch on.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use microwish_core::{FieldError, RuleError, ValidationErrors};
use serde_json::json;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No such resource (an unknown id, an unknown `/api` path).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The request cannot be understood (malformed query or JSON).
    #[error("{detail}")]
    BadRequest { code: &'static str, detail: String },
    /// Well-formed JSON of the wrong shape (a string for a number, a missing field).
    #[error("{detail}")]
    InvalidBody { detail: String },
    #[error("request body is larger than {limit} bytes")]
    BodyTooLarge { limit: usize },
    #[error("state-changing requests must send Content-Type: application/json")]
    UnsupportedMediaType,
    #[error("cross-site requests may not change anything")]
    CrossSite,
    #[error("please log in first")]
    NotLoggedIn,
    #[error("wrong phone number or password")]
    InvalidCredentials,
    #[error("too many failed attempts; try again in {retry_after} seconds")]
    TooManyAttempts { retry_after: u64 },
    #[error("this phone number is already registered")]
    PhoneTaken,
    /// A sync push skipped a mutation id.
    #[error("expected mutation {expected} next, got {got}")]
    MutationGap { expected: u64, got: u64 },
    /// A rule in core refused the change.
    #[error(transparent)]
    Rule(#[from] RuleError),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// Stored data that no longer parses: a bug or a hand-edited database.
    #[error("corrupt data: {0}")]
    Corrupt(String),
    #[error("internal error: {0}")]
    Internal(String),
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
            ApiError::InvalidBody { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::BodyTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::CrossSite => StatusCode::FORBIDDEN,
            ApiError::NotLoggedIn | ApiError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            ApiError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::PhoneTaken | ApiError::MutationGap { .. } => StatusCode::CONFLICT,
            ApiError::Rule(RuleError::Validation(_)) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Rule(RuleError::Forbidden { .. } | RuleError::ClaimNotYours) => {
                StatusCode::FORBIDDEN
            }
            ApiError::Rule(_) => StatusCode::CONFLICT,
            ApiError::Database(_) | ApiError::Corrupt(_) | ApiError::Internal(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::NotFound(_) => "not_found",
            ApiError::BadRequest { code, .. } => code,
            ApiError::InvalidBody { .. } => "invalid_body",
            ApiError::BodyTooLarge { .. } => "body_too_large",
            ApiError::UnsupportedMediaType => "unsupported_media_type",
            ApiError::CrossSite => "cross_site",
            ApiError::NotLoggedIn => "not_logged_in",
            ApiError::InvalidCredentials => "invalid_credentials",
            ApiError::TooManyAttempts { .. } => "too_many_attempts",
            ApiError::PhoneTaken => "phone_taken",
            ApiError::MutationGap { .. } => "mutation_gap",
            ApiError::Rule(rule) => rule.code(),
            ApiError::Database(_) | ApiError::Corrupt(_) | ApiError::Internal(_) => "internal",
        }
    }

    /// The per-field errors a form can show, if any.
    fn field_errors(&self) -> Option<&[FieldError]> {
        match self {
            ApiError::Rule(RuleError::Validation(ValidationErrors(errors))) => Some(errors),
            _ => None,
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
        if let Some(errors) = self.field_errors() {
            body["errors"] = json!(errors);
        }
        let mut response = (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body.to_string(),
        )
            .into_response();
        if let ApiError::TooManyAttempts { retry_after } = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
