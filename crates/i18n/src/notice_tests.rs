//! Every notice kind in words, in every language, and the service worker's copy of them.

use microwish_core::{NoticeKind, Reachable};

use super::*;

const SERVICE_WORKER: &str = include_str!("../../../public/sw.js");
const OPEN: &str = "/* notice-words */";
const CLOSE: &str = "/* /notice-words */";

/// The words public/sw.js holds between its markers.
fn service_worker_words() -> serde_json::Value {
    let start = SERVICE_WORKER
        .find(OPEN)
        .expect("sw.js marks its notice words")
        + OPEN.len();
    let end = SERVICE_WORKER
        .find(CLOSE)
        .expect("sw.js closes its notice words");
    serde_json::from_str(SERVICE_WORKER[start..end].trim()).expect("the words are JSON")
}

/// What the service worker should hold: each language's push words by its tag.
fn app_words() -> serde_json::Value {
    LANGUAGES
        .iter()
        .map(|texts| (texts.tag.to_owned(), texts.push_words()))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

#[test]
fn the_service_worker_words_each_kind_as_the_app_does() {
    let expected = app_words();
    assert_eq!(
        service_worker_words(),
        expected,
        "public/sw.js differs from the app's words; put this between its markers:\n{}",
        serde_json::to_string_pretty(&expected).unwrap()
    );
}

#[test]
fn every_kind_has_its_own_words_in_every_language() {
    for texts in LANGUAGES {
        let mut words: Vec<&str> = NoticeKind::ALL
            .iter()
            .map(|kind| texts.notice_kind(*kind))
            .collect();
        assert!(words.iter().all(|words| !words.trim().is_empty()));
        words.sort();
        words.dedup();
        assert_eq!(
            words.len(),
            NoticeKind::ALL.len(),
            "{}: two kinds read alike",
            texts.tag
        );
    }
    assert_eq!(ZH_CN.notice_kind(NoticeKind::ClaimConfirmed), "认领已确认");
    assert_eq!(
        EN.notice_kind(NoticeKind::ClaimConfirmed),
        "Claim confirmed"
    );
}

#[test]
fn a_badge_counts_to_99_then_says_more() {
    assert_eq!(ZH_CN.badge(1), "1");
    assert_eq!(ZH_CN.badge(99), "99");
    assert_eq!(ZH_CN.badge(100), "99+");
    assert_eq!(ZH_CN.unread(3), "3 条未读");
    assert_eq!(EN.unread(3), "3 unread");
}

#[test]
fn a_worker_reads_how_someone_can_be_reached() {
    let reach = |push, sms| Reachable { push, sms };
    let all: Vec<&str> = [
        reach(true, true),
        reach(true, false),
        reach(false, true),
        reach(false, false),
    ]
    .into_iter()
    .map(|reachable| ZH_CN.reachable(reachable))
    .collect();
    assert_eq!(all[3], "没开启提醒,有事请打电话");
    let mut distinct = all.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), 4);
}
