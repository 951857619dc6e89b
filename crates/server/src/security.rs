//! Protections every response or write gets: security headers (with a CSP that allows
//! the wasm app and nothing else), and the refusal of cross-site or non-JSON writes.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::app::AppState;
use crate::error::ApiError;

/// The Content-Security-Policy for the SPA in `index_html`. Trunk starts the app with an
/// inline module script; its hash is allowed, no other inline script is.
pub fn content_security_policy(index_html: Option<&str>) -> HeaderValue {
    let inline_scripts: String = index_html
        .map(inline_script_hashes)
        .unwrap_or_default()
        .into_iter()
        .map(|hash| format!(" 'sha256-{hash}'"))
        .collect();
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{inline_scripts}; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'none'; form-action 'self'"
    );
    HeaderValue::from_str(&policy).expect("the policy is ASCII")
}

/// Base64 SHA-256 of the body of every inline `<script>` in `html`.
fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let tag = &after[..open_end];
        let body_and_more = &after[open_end + 1..];
        let Some(close) = body_and_more.find("</script>") else {
            break;
        };
        if !tag.contains(" src=") {
            let digest = Sha256::digest(&body_and_more.as_bytes()[..close]);
            hashes.push(base64::engine::general_purpose::STANDARD.encode(digest));
        }
        rest = &body_and_more[close..];
    }
    hashes
}

pub async fn security_headers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_SECURITY_POLICY, state.csp.clone());
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
    );
    response
}

/// State-changing requests must be JSON (a cross-site HTML form cannot send that without a
/// CORS preflight, which we never grant) and must not come from another site.
pub async fn guard_writes(request: Request, next: Next) -> Response {
    let reads = [Method::GET, Method::HEAD, Method::OPTIONS];
    if !reads.contains(request.method()) {
        let headers = request.headers();
        let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
        if site == Some("cross-site") {
            return ApiError::CrossSite.into_response();
        }
        let json = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
        if !json {
            return ApiError::UnsupportedMediaType.into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_hashed_and_external_ones_skipped() {
        let html = r#"<script type="module">init()</script><script src="/a.js"></script>"#;
        let hashes = inline_script_hashes(html);
        let expected = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(b"init()"));
        assert_eq!(hashes, vec![expected.clone()]);
        let policy = content_security_policy(Some(html));
        let policy = policy.to_str().unwrap();
        assert!(policy.contains(&format!("'sha256-{expected}'")));
        assert!(policy.contains("object-src 'none'"));
        assert!(!policy.contains("unsafe-inline"));
    }
}
