//! The OpenAPI 3.1 document of the whole API, served at `GET /api/openapi.json`.
//!
//! It is generated from the code: its operations are the routes of [`crate::routes::api`], each
//! handler carrying its `#[utoipa::path]` next to it, and every type one reads or answers derives
//! its schema in core (feature `openapi`). What holds for every operation is added here once:
//! any refusal is an RFC 9457 problem, and signed-in operations take the session cookie.

use axum::http::header;
use axum::response::IntoResponse;
use microwish_core::problem::Problem;
use microwish_core::sync::Mutation;
use serde::Serialize;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi as Document, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi, ToSchema};

/// What the document says beside its operations.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "microwish API",
        description = "微心愿: a community's small wishes and house calls, claimed by donors, \
            volunteers and shops. Refusals are `application/problem+json` with a stable `code`.",
        license(name = "MIT")
    ),
    components(schemas(Problem, Mutation))
)]
struct ApiDoc;

/// The document, built once per process from the router's list of routes.
pub fn document() -> &'static str {
    static JSON: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    JSON.get_or_init(|| {
        let mut doc = ApiDoc::openapi();
        doc.merge(crate::routes::api().into_openapi());
        EveryOperation.modify(&mut doc);
        doc.to_pretty_json()
            .expect("the OpenAPI document serialises")
    })
}

/// The API's own description, for clients and for fuzzing it (schemathesis in `make test`).
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "meta",
    operation_id = "meta_openapi",
    responses((status = 200, description = "This document", content_type = "application/json"))
)]
pub async fn openapi_json() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], document())
}

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok` when the database answered.
    status: String,
    version: String,
}

/// Whether the server and its database answer.
#[utoipa::path(
    get,
    path = "/health",
    tag = "meta",
    operation_id = "meta_health",
    responses((status = 200, description = "Up", body = Health))
)]
pub async fn health(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
) -> Result<axum::Json<Health>, crate::error::ApiError> {
    // A real round trip, so a broken database shows up as unhealthy.
    crate::store::ping(&state.db).await?;
    Ok(axum::Json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    }))
}

/// The session cookie, and a problem for every refusal of every operation.
struct EveryOperation;

impl Modify for EveryOperation {
    fn modify(&self, doc: &mut Document) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::auth::SESSION_COOKIE,
                "Set by `/api/auth/login` and `/api/auth/register` (`__Host-` prefixed over https).",
            ))),
        );
        let refused = ResponseBuilder::new()
            .description(
                "Refused: a problem (RFC 9457) whose `code` says why — `unauthorized`, \
                 `forbidden`, `not_found`, `validation_failed` (with `errors`), \
                 `wish_fully_claimed`, `too_many_attempts` (with `Retry-After`), …",
            )
            .content(
                "application/problem+json",
                ContentBuilder::new()
                    .schema(Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(
                        "Problem",
                    ))))
                    .build(),
            )
            .build();
        for item in doc.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.post,
                &mut item.patch,
                &mut item.put,
                &mut item.delete,
            ];
            for operation in operations.into_iter().flatten() {
                operation
                    .responses
                    .responses
                    .entry("4XX".to_owned())
                    .or_insert_with(|| RefOr::T(refused.clone()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The document names each enum's values as they travel (core's one literal per value):
    /// a schema that fell back to the Rust variant names (`WishFullyClaimed`) made every
    /// refusal "violate" it.
    #[test]
    fn enum_schemas_name_the_values_as_they_travel() {
        let doc: serde_json::Value = serde_json::from_str(document()).unwrap();
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        let values = |name: &str| -> Vec<String> {
            schemas[name]["enum"]
                .as_array()
                .unwrap_or_else(|| panic!("{name} is an enum"))
                .iter()
                .map(|value| value.as_str().unwrap().to_owned())
                .collect()
        };
        let texts = |all: &[&str]| {
            all.iter()
                .map(|text| (*text).to_owned())
                .collect::<Vec<_>>()
        };
        use microwish_core::{ProblemCode, Role, WishStatus};
        let problem: Vec<_> = ProblemCode::ALL.iter().map(|code| code.as_str()).collect();
        assert_eq!(values("ProblemCode"), texts(&problem));
        let status: Vec<_> = WishStatus::ALL
            .iter()
            .map(|status| status.as_str())
            .collect();
        assert_eq!(values("WishStatus"), texts(&status));
        let role: Vec<_> = Role::ALL.iter().map(|role| role.as_str()).collect();
        assert_eq!(values("Role"), texts(&role));
        for (name, schema) in schemas {
            for value in schema["enum"].as_array().into_iter().flatten() {
                let value = value.as_str().unwrap_or_default();
                assert!(
                    !value.chars().any(|c| c.is_ascii_uppercase()),
                    "{name}: {value} is not how it travels"
                );
            }
        }
    }

    #[test]
    fn every_operation_is_under_api_once_and_documents_its_refusals() {
        let doc: serde_json::Value = serde_json::from_str(document()).unwrap();
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(doc["info"]["title"], "microwish API");
        let paths = doc["paths"].as_object().unwrap();
        assert!(
            paths.contains_key("/api/openapi.json"),
            "{:?}",
            paths.keys()
        );
        let mut operation_ids = std::collections::HashSet::new();
        for (path, item) in paths {
            assert!(path.starts_with("/api/"), "{path} is nested under /api");
            for (method, operation) in item.as_object().unwrap() {
                assert!(
                    operation["responses"]["4XX"].is_object(),
                    "{method} {path} documents its refusals"
                );
                let id = operation["operationId"].as_str().unwrap_or_default();
                assert!(
                    operation_ids.insert(id.to_owned()),
                    "{method} {path}: operation id {id:?} is its own"
                );
            }
        }
    }
}
