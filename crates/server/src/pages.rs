//! Public pages answered from memory. The public wish list is what every phone asks for
//! most: its JSON is built once per change version and query, and each encoding (brotli,
//! gzip) made once, on first demand. The latest change version is known without asking the
//! database while nothing can have changed ([`Freshness`]), so a quiet list costs a `stat`
//! and a copy; a phone that already has this version gets `304 Not Modified` (the version is
//! the `ETag`).

use std::collections::HashMap;
use std::future::Future;
use std::io::Write;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant, SystemTime};

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

    /// The page's body (the list's first screen keeps its markup here, by the same versions).
    pub fn json(&self) -> &[u8] {
        &self.json
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

/// The latest change version, read from the database only when something may have changed:
/// a commit by this process (the writer counts them) or any write to the database's log,
/// whichever process made it (the `-wal` file's length and modification time change). A
/// version read is trusted only once that stamp had stayed put for [`Freshness::settle`]
/// before the read began: a commit is written to the log a little before readers can see it
/// (an fsync apart), and a read in between must not be kept.
pub struct Freshness {
    wal: Option<PathBuf>,
    commits: Arc<AtomicU64>,
    settle: Duration,
    known: Mutex<Known>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    commits: u64,
    wal_len: u64,
    wal_modified: Option<SystemTime>,
}

struct Known {
    stamp: Option<Stamp>,
    since: Instant,
    trusted: Option<u64>,
}

impl Freshness {
    /// `wal` is the database's write-ahead log (none for a database in memory); `commits`
    /// counts this process's committed writes.
    pub fn new(wal: Option<PathBuf>, commits: Arc<AtomicU64>) -> Freshness {
        Freshness {
            wal,
            commits,
            settle: Duration::from_secs(1),
            known: Mutex::new(Known {
                stamp: None,
                since: Instant::now(),
                trusted: None,
            }),
        }
    }

    /// A version never trusted from memory: read for every page (PostgreSQL, where other
    /// servers' commits leave no file to watch).
    pub fn always_read(commits: Arc<AtomicU64>) -> Freshness {
        Freshness {
            settle: Duration::MAX,
            ..Freshness::new(None, commits)
        }
    }

    fn stamp(&self) -> Stamp {
        // The counter first: a commit that lands after it changes the log, seen below.
        let commits = self.commits.load(Ordering::Acquire);
        let meta = self
            .wal
            .as_ref()
            .and_then(|wal| std::fs::metadata(wal).ok());
        Stamp {
            commits,
            wal_len: meta.as_ref().map_or(0, |meta| meta.len()),
            wal_modified: meta.and_then(|meta| meta.modified().ok()),
        }
    }

    /// The latest version: from memory when trusted, else from `read`.
    pub async fn latest<F, Fut, E>(&self, read: F) -> Result<u64, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<u64, E>>,
    {
        let stamp = self.stamp();
        let asked = Instant::now();
        {
            let mut known = self.known.lock().unwrap_or_else(|p| p.into_inner());
            if known.stamp != Some(stamp) {
                *known = Known {
                    stamp: Some(stamp),
                    since: asked,
                    trusted: None,
                };
            } else if let Some(version) = known.trusted {
                return Ok(version);
            }
        }
        let version = read().await?;
        let mut known = self.known.lock().unwrap_or_else(|p| p.into_inner());
        if known.stamp == Some(stamp) && asked.duration_since(known.since) >= self.settle {
            known.trusted = Some(version);
        }
        Ok(version)
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

    #[tokio::test]
    async fn the_version_is_read_again_after_any_write() {
        let dir = tempfile::tempdir().unwrap();
        let wal = dir.path().join("db-wal");
        std::fs::write(&wal, b"frame").unwrap();
        let commits = Arc::new(AtomicU64::new(0));
        let mut freshness = Freshness::new(Some(wal.clone()), commits.clone());
        freshness.settle = Duration::from_millis(30);
        let reads = AtomicU64::new(0);
        let read = |version: u64| {
            reads.fetch_add(1, Ordering::SeqCst);
            async move { Ok::<u64, ()>(version) }
        };
        assert_eq!(freshness.latest(|| read(1)).await, Ok(1));
        // Not settled yet: asked again.
        assert_eq!(freshness.latest(|| read(1)).await, Ok(1));
        tokio::time::sleep(Duration::from_millis(40)).await;
        assert_eq!(freshness.latest(|| read(1)).await, Ok(1));
        assert_eq!(reads.load(Ordering::SeqCst), 3);
        // Settled: from memory, whatever the database would say.
        assert_eq!(freshness.latest(|| read(99)).await, Ok(1));
        assert_eq!(reads.load(Ordering::SeqCst), 3);
        // This process commits: read at once.
        commits.fetch_add(1, Ordering::Release);
        assert_eq!(freshness.latest(|| read(2)).await, Ok(2));
        // Another process writes the log: read at once.
        tokio::time::sleep(Duration::from_millis(40)).await;
        assert_eq!(freshness.latest(|| read(2)).await, Ok(2));
        assert_eq!(freshness.latest(|| read(99)).await, Ok(2));
        std::fs::write(&wal, b"frame frame").unwrap();
        assert_eq!(freshness.latest(|| read(3)).await, Ok(3));
    }
}
