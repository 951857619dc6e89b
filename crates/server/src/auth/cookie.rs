//! The cookies: the session's own (HttpOnly, `__Host-` over HTTPS) and the signed-in hint
//! the app may read; and how a request says it came over HTTPS.

use axum::http::{header, HeaderMap, HeaderValue};

use super::session::SESSION_DAYS;

pub const SESSION_COOKIE: &str = "mw_session";
/// The name over HTTPS: browsers keep a `__Host-` cookie only if it is `Secure`, for this
/// host alone (no `Domain`) and the whole site, so a sibling subdomain cannot plant one.
pub const HOST_SESSION_COOKIE: &str = "__Host-mw_session";

/// The `Set-Cookie` value for a new session; `__Host-` and `Secure` over HTTPS.
pub fn session_cookie(token: &str, secure: bool) -> HeaderValue {
    cookie(token, SESSION_DAYS * 24 * 3600, secure)
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn expired_cookie(secure: bool) -> HeaderValue {
    cookie("", 0, secure)
}

/// A cookie the app may read (the session's own is HttpOnly) that only says a session was
/// started on this browser: without it the app knows it is a visitor without asking
/// `/api/me` (whose 401 every browser logs as an error). It holds no secret.
pub const SIGNED_IN_HINT: &str = "mw_signed_in";

pub fn signed_in_hint(signed_in: bool, secure: bool) -> HeaderValue {
    let max_age = if signed_in {
        SESSION_DAYS * 24 * 3600
    } else {
        0
    };
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SIGNED_IN_HINT}={}; Path=/; SameSite=Strict; Max-Age={max_age}{secure}",
        u8::from(signed_in)
    ))
    .expect("a plain cookie")
}

fn cookie(value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let (name, secure) = if secure {
        (HOST_SESSION_COOKIE, "; Secure")
    } else {
        (SESSION_COOKIE, "")
    };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}"
    ))
    .expect("cookie characters are URL-safe base64")
}

/// Whether the client reached us over HTTPS (directly or through a TLS-terminating proxy).
pub fn is_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|value| value.to_str().ok())
        .is_some_and(|proto| proto.eq_ignore_ascii_case("https"))
}

/// The session token the request carries, if any. Over HTTPS only the `__Host-` cookie
/// counts: a plain `mw_session` there could have been planted by a sibling subdomain or a
/// plain-HTTP page of this host (which is what the prefix guards against), so it is ignored.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    let https = is_https(headers);
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == HOST_SESSION_COOKIE || (!https && *name == SESSION_COOKIE))
        .map(|(_, value)| value.to_owned())
        .filter(|token| !token.is_empty())
}
