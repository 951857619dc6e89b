//! The one error type of the API. Every failure leaves as RFC 9457
//! `application/problem+json` with a stable [`ProblemCode`] that clients switch on.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use microwish_core::problem::Problem;
use microwish_core::{Entity, FieldError, ProblemCode, RuleError, ValidationErrors};

use crate::store::sql::{Failure, StoreError};

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// No such resource (an unknown id, an unknown `/api` path).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The request cannot be understood (malformed query or JSON), with the code saying how.
    #[error("{detail}")]
    BadRequest { code: ProblemCode, detail: String },
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
    /// Too many requests of a kind from one client (pushed mutations, anonymous snapshots).
    #[error("too many requests; try again in {retry_after} seconds")]
    RateLimited { retry_after: u64 },
    /// Too many live-update streams (per user, per address, or visitors in all).
    #[error("too many live connections ({0}); close another tab or try again later")]
    TooManyConnections(&'static str),
    /// Too much at once (password hashing and the writer's queue are bounded): come back
    /// shortly.
    #[error("the server is busy; try again in {retry_after} seconds")]
    Busy { retry_after: u64 },
    #[error("this phone number is already registered")]
    PhoneTaken,
    /// A sync push is out of line with what the server has applied for its client.
    #[error("expected mutation {expected} next, got {got}")]
    MutationGap { expected: u64, got: u64 },
    /// A rule in core refused the change.
    #[error(transparent)]
    Rule(#[from] RuleError),
    /// A statement or commit failed, on either engine, classified once (`store::sql`).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// Stored data that no longer parses: a bug or a hand-edited database.
    #[error("corrupt data: {0}")]
    Corrupt(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn bad_request(code: ProblemCode, detail: impl Into<String>) -> Self {
        ApiError::BadRequest {
            code,
            detail: detail.into(),
        }
    }

    pub fn code(&self) -> ProblemCode {
        match self {
            ApiError::NotFound(_) => ProblemCode::NotFound,
            ApiError::BadRequest { code, .. } => *code,
            ApiError::InvalidBody { .. } => ProblemCode::InvalidBody,
            ApiError::BodyTooLarge { .. } => ProblemCode::BodyTooLarge,
            ApiError::UnsupportedMediaType => ProblemCode::UnsupportedMediaType,
            ApiError::CrossSite => ProblemCode::CrossSite,
            ApiError::NotLoggedIn => ProblemCode::NotLoggedIn,
            ApiError::InvalidCredentials => ProblemCode::InvalidCredentials,
            ApiError::TooManyAttempts { .. } | ApiError::RateLimited { .. } => {
                ProblemCode::TooManyAttempts
            }
            ApiError::TooManyConnections(_) => ProblemCode::TooManyConnections,
            ApiError::Busy { .. } => ProblemCode::Busy,
            ApiError::PhoneTaken => ProblemCode::PhoneTaken,
            ApiError::MutationGap { .. } => ProblemCode::MutationGap,
            ApiError::Rule(rule) => rule.code(),
            ApiError::Store(error) => match error.failure {
                Failure::Busy | Failure::Serialization => ProblemCode::Busy,
                Failure::Unique => ProblemCode::IdConflict,
                Failure::Check => ProblemCode::InvalidState,
                Failure::ForeignKey => ProblemCode::NotFound,
                Failure::Other => ProblemCode::Internal,
            },
            ApiError::Corrupt(_) | ApiError::Internal(_) => ProblemCode::Internal,
        }
    }

    /// Not the request's fault: the server failed or was busy (a retry may work).
    pub fn is_server_error(&self) -> bool {
        self.code().status() >= 500
    }

    /// Whether a statement or commit failed this way.
    pub fn is(&self, failure: Failure) -> bool {
        matches!(self, ApiError::Store(error) if error.failure == failure)
    }

    /// The seconds to wait before trying again, when waiting is the answer.
    fn retry_after(&self) -> Option<u64> {
        match self {
            ApiError::TooManyAttempts { retry_after }
            | ApiError::RateLimited { retry_after }
            | ApiError::Busy { retry_after } => Some(*retry_after),
            ApiError::Store(error)
                if matches!(error.failure, Failure::Busy | Failure::Serialization) =>
            {
                Some(STORE_RETRY_AFTER)
            }
            _ => None,
        }
    }

    /// What the client is told: the error itself, but nothing of the server's insides.
    pub fn detail(&self) -> String {
        match self {
            _ if self.code() == ProblemCode::Internal => SERVER_FAILED.to_owned(),
            ApiError::Store(error) => match error.failure {
                Failure::Busy | Failure::Serialization => {
                    "the server is busy; please try again in a moment".to_owned()
                }
                Failure::Unique => "something with this id already exists".to_owned(),
                Failure::Check => "the change breaks a rule of what is stored".to_owned(),
                Failure::ForeignKey => "something it refers to does not exist".to_owned(),
                Failure::Other => SERVER_FAILED.to_owned(),
            },
            _ => self.to_string(),
        }
    }

    /// The per-field errors a form can show, if any.
    fn field_errors(&self) -> &[FieldError] {
        match self {
            ApiError::Rule(RuleError::Validation(ValidationErrors(errors))) => errors,
            _ => &[],
        }
    }

    /// A rule's "not found" names what was not found.
    pub fn not_found(entity: Entity) -> ApiError {
        ApiError::Rule(RuleError::NotFound(entity))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let code = self.code();
        // The cause goes to the log, not to the client.
        match &self {
            _ if code == ProblemCode::Internal => tracing::error!(error = %self, "request failed"),
            ApiError::Store(error) => tracing::warn!(%error, "a statement failed"),
            _ => {}
        }
        let status =
            StatusCode::from_u16(code.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut problem = Problem::new(
            code,
            status.canonical_reason().unwrap_or("Error"),
            self.detail(),
        );
        problem.errors = self.field_errors().to_vec();
        if let ApiError::MutationGap { expected, .. } = self {
            problem.expected = Some(expected);
        }
        let body = serde_json::to_string(&problem).unwrap_or_default();
        let mut response = (
            status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body,
        )
            .into_response();
        if let Some(retry_after) = self.retry_after() {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(retry_after));
        }
        response
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

/// What a client is told of a failure on the server (the cause goes to the log).
const SERVER_FAILED: &str = "something went wrong on the server; please try again";

/// How long a client waits after the database was busy.
const STORE_RETRY_AFTER: u64 = 1;

impl From<rusqlite::Error> for ApiError {
    fn from(error: rusqlite::Error) -> ApiError {
        ApiError::Store(error.into())
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(error: sqlx::Error) -> ApiError {
        ApiError::Store(error.into())
    }
}
