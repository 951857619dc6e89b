//! Public pages answered from memory. The public wish list is what every phone asks for
//! most: its JSON is built once per change version and query, and each encoding (brotli,
//! gzip) made once, on first demand. A request pays one indexed read of the latest change
//! version (so a change made by any server process is seen at once), then a copy; a phone that
//! already has this version gets `304 Not Modified` (the version is the `ETag`).

use std::collections::HashMap;
use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use axum::body::Bytes;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// How many (query, version) pages are kept; beyond it the cache starts afresh (queries
/// are few: the app asks for a handful of filters).
const MAX_PAGES: usize = 256;

/// One serialised answer and its encodings.
pub struct Page {
    version: u64,
    json: Bytes,
    brotli: OnceLock<Bytes>,
    gzip: OnceLock<Bytes>,
}

impl Page {
    pub fn new(version: u64, json: Vec<u8>) -> Page {
        Page {
            version,
            json: Bytes::from(json),
            brotli: OnceLock::new(),
            gzip: OnceLock::new(),
        }
    }

    fn etag(&self) -> HeaderValue {
        HeaderValue::from_str(&format!("\"v{}\"", self.version))
            .unwrap_or(HeaderValue::from_static("\"v0\""))
    }

    /// The answer for a request with `headers`: 304 when the client has this version, else
    /// the body in the best encoding it accepts.
    pub fn respond(&self, headers: &HeaderMap) -> Response {
        let etag = self.etag();
        let fresh = headers
            .get_all(header::IF_NONE_MATCH)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .any(|tag| tag.trim().trim_start_matches("W/") == etag.to_str().unwrap_or_default());
        let common = [
            (header::ETAG, etag),
            // Public data, but checked on every use.
            (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            (header::VARY, HeaderValue::from_static("accept-encoding")),
        ];
        if fresh {
            return (StatusCode::NOT_MODIFIED, common).into_response();
        }
        let accepts = |coding: &str| {
            headers
                .get_all(header::ACCEPT_ENCODING)
                .iter()
                .filter_map(|value| value.to_str().ok())
                .flat_map(|value| value.split(','))
                .any(|part| {
                    let mut pieces = part.split(';');
                    let name = pieces.next().unwrap_or_default().trim();
                    let refused = pieces.any(|p| matches!(p.trim(), "q=0" | "q=0.0" | "q=0.00"));
                    name.eq_ignore_ascii_case(coding) && !refused
                })
        };
        let (body, encoding) = if accepts("br") {
            (
                self.brotli.get_or_init(|| brotli(&self.json)).clone(),
                Some("br"),
            )
        } else if accepts("gzip") {
            (
                self.gzip.get_or_init(|| gzip(&self.json)).clone(),
                Some("gzip"),
            )
        } else {
            (self.json.clone(), None)
        };
        let mut response = (
            common,
            [(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/json"),
            )],
            body,
        )
            .into_response();
        if let Some(encoding) = encoding {
            // Already encoded: the compression layer leaves it alone.
            response
                .headers_mut()
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
        }
        response
    }
}

fn brotli(json: &[u8]) -> Bytes {
    let mut out = Vec::with_capacity(json.len() / 4);
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 9, 22);
        // Writing to a Vec cannot fail.
        let _ = writer.write_all(json);
    }
    Bytes::from(out)
}

fn gzip(json: &[u8]) -> Bytes {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let _ = encoder.write_all(json);
    Bytes::from(encoder.finish().unwrap_or_default())
}

/// The pages, by request query.
#[derive(Default)]
pub struct PageCache {
    pages: Mutex<HashMap<String, Arc<Page>>>,
}

impl PageCache {
    /// The page for `query` if it was built at `version`.
    pub fn get(&self, query: &str, version: u64) -> Option<Arc<Page>> {
        let pages = self
            .pages
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        pages
            .get(query)
            .filter(|page| page.version == version)
            .cloned()
    }

    pub fn put(&self, query: String, page: Arc<Page>) {
        let mut pages = self
            .pages
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if pages.len() >= MAX_PAGES && !pages.contains_key(&query) {
            pages.clear();
        }
        // Never replace a page with an older one (two requests built it at once).
        match pages.get(&query) {
            Some(kept) if kept.version > page.version => {}
            _ => {
                pages.insert(query, page);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        pairs
            .iter()
            .map(|(name, value)| {
                (
                    header::HeaderName::from_static(name),
                    HeaderValue::from_static(value),
                )
            })
            .collect()
    }

    #[test]
    fn answers_304_for_the_same_version_and_encodes_as_accepted() {
        let page = Page::new(7, br#"{"items":[],"next":null}"#.to_vec());
        let fresh = page.respond(&headers(&[("if-none-match", "\"v7\"")]));
        assert_eq!(fresh.status(), StatusCode::NOT_MODIFIED);
        let stale = page.respond(&headers(&[("if-none-match", "\"v6\"")]));
        assert_eq!(stale.status(), StatusCode::OK);
        assert_eq!(stale.headers()[header::ETAG], "\"v7\"");
        let br = page.respond(&headers(&[("accept-encoding", "gzip, deflate, br")]));
        assert_eq!(br.headers()[header::CONTENT_ENCODING], "br");
        let gz = page.respond(&headers(&[("accept-encoding", "gzip, br;q=0")]));
        assert_eq!(gz.headers()[header::CONTENT_ENCODING], "gzip");
        let plain = page.respond(&HeaderMap::new());
        assert!(plain.headers().get(header::CONTENT_ENCODING).is_none());
    }

    #[test]
    fn keeps_the_newest_version_of_a_query() {
        let cache = PageCache::default();
        cache.put("q".into(), Arc::new(Page::new(5, b"new".to_vec())));
        cache.put("q".into(), Arc::new(Page::new(4, b"old".to_vec())));
        assert!(cache.get("q", 5).is_some());
        assert!(
            cache.get("q", 4).is_none(),
            "a version is answered only by itself"
        );
    }
}
