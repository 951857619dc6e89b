//! Protections every response or write gets: security headers (with a CSP that allows
//! the wasm app and nothing else), and the refusal of cross-site or non-JSON writes.

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::app::AppState;
use crate::error::{ApiError, ApiResult};

/// `N` bytes from the system's randomness (a failure is the server's, answered 500, never a
/// panic).
pub fn random_bytes<const N: usize>() -> ApiResult<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::getrandom(&mut bytes)
        .map_err(|error| ApiError::Internal(format!("no randomness: {error}")))?;
    Ok(bytes)
}

/// A new server key: 32 random bytes, hex.
pub fn random_hex_key() -> ApiResult<String> {
    Ok(random_bytes::<32>()?
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect())
}

/// The Content-Security-Policy for the SPA in `index_html`. Trunk starts the app with an
/// inline module script, and the page carries its style sheet and its settings' script inline
/// (a slow link then pays one round trip before the first paint, not two); their hashes are
/// allowed, no other inline script or style is. Images may also come from the page's own
/// `blob:` addresses: a request's photos, shown before they are sent.
pub fn content_security_policy(index_html: Option<&str>) -> HeaderValue {
    let allowed = |element: &str| -> String {
        index_html
            .map(|html| inline_hashes(html, element))
            .unwrap_or_default()
            .into_iter()
            .map(|hash| format!(" 'sha256-{hash}'"))
            .collect()
    };
    let (inline_scripts, inline_styles) = (allowed("script"), allowed("style"));
    let policy = format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{inline_scripts}; \
         style-src 'self'{inline_styles}; img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; \
         manifest-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'none'; form-action 'self'"
    );
    HeaderValue::from_str(&policy).expect("the policy is ASCII")
}

/// Base64 SHA-256 of the body of every inline `<element>` (`script`, `style`) in `html`.
fn inline_hashes(html: &str, element: &str) -> Vec<String> {
    let (open, close_tag) = (format!("<{element}"), format!("</{element}>"));
    let mut hashes = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start..];
        let Some(open_end) = after.find('>') else {
            break;
        };
        let tag = &after[..open_end];
        let body_and_more = &after[open_end + 1..];
        let Some(close) = body_and_more.find(&close_tag) else {
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
    let https = crate::auth::is_https(request.headers());
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if https {
        // Once a browser has seen the site over HTTPS, it never tries plain HTTP for a year.
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000"),
        );
    }
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

/// The types an import takes (`/api/import/…`); none is one a form may send across sites
/// without asking (CORS-safelisted are only text/plain, forms and multipart).
pub const SPREADSHEETS: &[&str] = &[
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.ms-excel",
];

/// State-changing requests must be JSON, or an image (a photo's bytes) — a cross-site HTML
/// form can send neither without a CORS preflight, which we never grant — and must not come
/// from another site. (Each endpoint then takes only its own type: JSON bodies refuse an
/// image with 415, the photo upload anything but a JPEG, PNG or WebP with 422; an import
/// takes a spreadsheet, [`SPREADSHEETS`].)
pub async fn guard_writes(request: Request, next: Next) -> Response {
    let reads = [Method::GET, Method::HEAD, Method::OPTIONS];
    if !reads.contains(request.method()) {
        let headers = request.headers();
        let site = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok());
        if site == Some("cross-site") {
            return ApiError::CrossSite.into_response();
        }
        let mime = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|mime| mime.trim().to_ascii_lowercase());
        let taken = mime.as_deref().is_some_and(|mime| {
            mime == "application/json" || mime.starts_with("image/") || SPREADSHEETS.contains(&mime)
        });
        if !taken {
            return ApiError::UnsupportedMediaType.into_response();
        }
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_and_styles_are_hashed_and_external_ones_skipped() {
        let html = r#"<style>.a{}</style><script type="module">init()</script><script src="/a.js"></script>"#;
        let hash =
            |text: &[u8]| base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text));
        let (script, style) = (hash(b"init()"), hash(b".a{}"));
        assert_eq!(inline_hashes(html, "script"), vec![script.clone()]);
        assert_eq!(inline_hashes(html, "style"), vec![style.clone()]);
        let policy = content_security_policy(Some(html));
        let policy = policy.to_str().unwrap();
        assert!(policy.contains(&format!(
            "script-src 'self' 'wasm-unsafe-eval' 'sha256-{script}';"
        )));
        assert!(policy.contains(&format!("style-src 'self' 'sha256-{style}';")));
        assert!(policy.contains("object-src 'none'"));
        assert!(!policy.contains("unsafe-inline"));
    }
}

/// A network whose requests come from a reverse proxy we trust to name its client
/// (`--trusted-proxy 10.0.0.0/8`, `::1/128`, or one address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: std::net::IpAddr,
    prefix: u8,
}

impl std::str::FromStr for Cidr {
    type Err = String;

    fn from_str(text: &str) -> Result<Cidr, String> {
        let (address, prefix) = text.split_once('/').unwrap_or((text, ""));
        let network: std::net::IpAddr = address
            .trim()
            .parse()
            .map_err(|_| format!("{text:?} is not an address or network (10.0.0.0/8)"))?;
        let bits = if network.is_ipv4() { 32 } else { 128 };
        let prefix = if prefix.is_empty() {
            bits
        } else {
            prefix
                .parse::<u8>()
                .ok()
                .filter(|prefix| *prefix <= bits)
                .ok_or_else(|| format!("{text:?}: the prefix length must be 0 to {bits}"))?
        };
        Ok(Cidr { network, prefix })
    }
}

impl Cidr {
    pub fn contains(&self, address: std::net::IpAddr) -> bool {
        use std::net::IpAddr;
        let (network, address, bits) = match (self.network, address) {
            (IpAddr::V4(network), IpAddr::V4(address)) => (
                u128::from(u32::from(network)),
                u128::from(u32::from(address)),
                32,
            ),
            (IpAddr::V6(network), IpAddr::V6(address)) => {
                (u128::from(network), u128::from(address), 128)
            }
            // An IPv4 client seen through an IPv6 socket.
            (IpAddr::V4(_), IpAddr::V6(address)) => {
                return address
                    .to_ipv4_mapped()
                    .is_some_and(|address| self.contains(IpAddr::V4(address)))
            }
            _ => return false,
        };
        let shift = bits - u32::from(self.prefix);
        shift >= 128 || (network >> shift) == (address >> shift)
    }
}

/// The client's address: the peer's, unless the peer is a trusted proxy; then the nearest
/// address in `X-Forwarded-For` that is not a trusted proxy itself (whatever a client wrote
/// further left is its own claim, not believed). The list is read from the right, hop by
/// hop; an entry that is not an address where the client's would be ends the walk there:
/// the client is then the last trusted hop read (the one that wrote the junk, or passed it
/// on), never an address further left, which the client could have forged behind the junk.
pub fn client_address(
    peer: std::net::IpAddr,
    headers: &axum::http::HeaderMap,
    trusted: &[Cidr],
) -> std::net::IpAddr {
    let is_trusted = |address: std::net::IpAddr| trusted.iter().any(|net| net.contains(address));
    if !is_trusted(peer) {
        return peer;
    }
    let entries: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .map(|value| value.to_str().unwrap_or(""))
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .collect();
    let mut nearest = peer;
    for entry in entries.into_iter().rev() {
        match entry.parse::<std::net::IpAddr>() {
            Ok(address) if is_trusted(address) => nearest = address,
            Ok(address) => return address,
            Err(_) => return nearest,
        }
    }
    nearest
}

/// The request's client address (see [`client_address`]).
pub struct ClientAddress(pub std::net::IpAddr);

impl axum::extract::FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map_or(std::net::IpAddr::from([127, 0, 0, 1]), |info| info.0.ip());
        Ok(ClientAddress(client_address(
            peer,
            &parts.headers,
            &state.trusted_proxies,
        )))
    }
}

#[cfg(test)]
mod proxy_tests {
    use super::*;
    use axum::http::{HeaderMap, HeaderValue};

    #[test]
    fn believes_forwarded_for_only_from_trusted_proxies() {
        let trusted: Vec<Cidr> = vec!["10.0.0.0/8".parse().unwrap(), "::1".parse().unwrap()];
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 203.0.113.9, 10.1.2.3"),
        );
        let ip = |text: &str| text.parse::<std::net::IpAddr>().unwrap();
        // Through our proxies: the nearest outside address, not what the client wrote.
        assert_eq!(
            client_address(ip("10.0.0.5"), &headers, &trusted),
            ip("203.0.113.9")
        );
        assert_eq!(
            client_address(ip("::1"), &headers, &trusted),
            ip("203.0.113.9")
        );
        // Straight from the internet: the header is anybody's say-so.
        assert_eq!(
            client_address(ip("198.51.100.7"), &headers, &trusted),
            ip("198.51.100.7")
        );
        assert_eq!(
            client_address(ip("10.0.0.5"), &HeaderMap::new(), &trusted),
            ip("10.0.0.5")
        );
        assert!("10.0.0.0/33".parse::<Cidr>().is_err());
        // Junk in the list never lets a forged address further left stand in for the client.
        let forged = |list: &'static str| {
            let mut headers = HeaderMap::new();
            headers.insert("x-forwarded-for", HeaderValue::from_static(list));
            client_address(ip("10.0.0.5"), &headers, &trusted)
        };
        assert_eq!(forged("6.6.6.6, junk, 203.0.113.9"), ip("203.0.113.9"));
        assert_eq!(
            forged("6.6.6.6, junk, 203.0.113.9, 10.1.2.3"),
            ip("203.0.113.9")
        );
        // Junk where the client would be: the hop that passed it on, not 6.6.6.6.
        assert_eq!(forged("6.6.6.6, junk"), ip("10.0.0.5"));
        assert_eq!(forged("6.6.6.6, junk, 10.1.2.3"), ip("10.1.2.3"));
        assert_eq!(forged("6.6.6.6, , 10.1.2.3"), ip("10.1.2.3"));
        assert_eq!(forged("6.6.6.6,203.0.113.9:4711"), ip("10.0.0.5"));
        assert!("proxy".parse::<Cidr>().is_err());
        assert!("0.0.0.0/0".parse::<Cidr>().unwrap().contains(ip("8.8.8.8")));
        assert!(!"192.168.1.0/24"
            .parse::<Cidr>()
            .unwrap()
            .contains(ip("192.168.2.1")));
    }
}

/// Live-update streams (`/api/events`) open at once: per signed-in user (their phones and
/// tabs), per client address (generous: a carrier's shared address), and for visitors in all.
/// A stream holds its [`StreamSlot`] until it closes.
pub struct StreamLimits {
    open: std::sync::Mutex<std::collections::HashMap<String, usize>>,
    pub per_user: usize,
    pub per_address: usize,
    pub anonymous: usize,
}

impl StreamLimits {
    pub fn new(per_user: usize, per_address: usize, anonymous: usize) -> StreamLimits {
        StreamLimits {
            open: std::sync::Mutex::default(),
            per_user,
            per_address,
            anonymous,
        }
    }

    /// A slot for a new stream, or why not.
    pub fn open(
        self: &std::sync::Arc<Self>,
        user: Option<microwish_core::UserId>,
        address: std::net::IpAddr,
    ) -> Result<StreamSlot, crate::error::ApiError> {
        let mut keys = vec![(format!("addr:{address}"), self.per_address, "this address")];
        match user {
            Some(user) => keys.push((format!("user:{user}"), self.per_user, "this account")),
            None => keys.push(("anonymous".to_owned(), self.anonymous, "visitors")),
        }
        let mut open = self.open.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((_, _, whose)) = keys
            .iter()
            .find(|(key, limit, _)| open.get(key).copied().unwrap_or(0) >= *limit)
        {
            return Err(crate::error::ApiError::TooManyConnections(whose));
        }
        for (key, _, _) in &keys {
            *open.entry(key.clone()).or_default() += 1;
        }
        Ok(StreamSlot {
            limits: self.clone(),
            keys: keys.into_iter().map(|(key, _, _)| key).collect(),
        })
    }
}

/// One open stream's place; given back when the stream ends (the client went away).
pub struct StreamSlot {
    limits: std::sync::Arc<StreamLimits>,
    keys: Vec<String>,
}

impl Drop for StreamSlot {
    fn drop(&mut self) {
        let mut open = self.limits.open.lock().unwrap_or_else(|p| p.into_inner());
        for key in &self.keys {
            if let Some(count) = open.get_mut(key) {
                *count -= 1;
                if *count == 0 {
                    open.remove(key);
                }
            }
        }
    }
}
