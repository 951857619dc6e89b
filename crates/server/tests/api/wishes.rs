use std::collections::HashSet;

use microwish_core::{Category, ClientId, Page, PublicWish, Role, WishKind, WishStatus};
use serde_json::{json, Value};

use crate::helpers::{assert_problem, spawn_app, spawn_demo_app, Session, TestApp};

#[tokio::test]
async fn demo_lists_open_wishes_of_both_kinds_with_the_public_fields() {
    let app = spawn_demo_app().await;
    let body = app.get_json("/api/wishes").await;
    let items = body["items"].as_array().unwrap();
    assert!(items.len() >= 24, "only {} wishes", items.len());
    assert!(body["next"].is_null());
    for field in [
        "id",
        "kind",
        "title",
        "description",
        "category",
        "status",
        "quantity",
        "remaining",
        "unit",
        "alias",
        "group",
        "grid",
        "station",
        "needed_by",
        "campaign_id",
        "updated_at",
    ] {
        assert!(
            items[0].get(field).is_some(),
            "wish lacks {field}: {}",
            items[0]
        );
    }
    let page = app.wishes("").await;
    let kinds: HashSet<_> = page.items.iter().map(|w| w.kind).collect();
    assert_eq!(kinds.len(), 2);
    assert!(page.items.iter().any(|w| w.quantity > 1));
    assert!(page
        .items
        .iter()
        .all(|w| w.status.is_public() && w.remaining <= w.quantity));
    assert!(page.items.iter().any(|w| w.claimed > 0), "the demo's claim");
}

#[tokio::test]
async fn filters_combine() {
    let app = spawn_demo_app().await;
    let all = app.wishes("").await.items;

    let services = app.wishes("?kind=service").await.items;
    assert!(!services.is_empty());
    assert!(services.iter().all(|w| w.kind == WishKind::Service));
    assert_eq!(
        services.len(),
        all.iter().filter(|w| w.kind == WishKind::Service).count()
    );

    let grid4 = app.wishes("?grid=grid-4").await.items;
    assert!(!grid4.is_empty());
    assert!(grid4
        .iter()
        .all(|w| w.grid.as_str() == "grid-4" && w.grid_name == "第四网格"));

    let haircuts = app.wishes("?kind=service&category=haircut").await.items;
    assert!(!haircuts.is_empty());
    assert!(haircuts.iter().all(|w| w.category == Category::Haircut));

    let search = app.wishes("?q=%E4%B9%A6%E5%8C%85").await.items; // 书包
    assert!(!search.is_empty());
    assert!(search
        .iter()
        .all(|w| w.title.contains("书包") || w.description.contains("书包")));

    // The default list: every public wish, whatever its status.
    let mut by_status = 0;
    for status in ["open", "claimed", "fulfilled", "closed"] {
        let listed = app.wishes(&format!("?status={status}")).await.items;
        assert!(listed.iter().all(|w| w.status.as_str() == status));
        if status != "closed" {
            assert!(!listed.is_empty(), "the demo has {status} wishes");
        }
        by_status += listed.len();
    }
    assert_eq!(by_status, all.len());
    assert!(app.wishes("?status=draft").await.items.is_empty());
    assert!(app.wishes("?grid=grid-99").await.items.is_empty());
}

/// Latin letters match whatever their case, on either engine (PostgreSQL's `LIKE` minds the
/// case, SQLite's and the phone's search do not).
#[tokio::test]
async fn search_ignores_the_case_of_latin_letters() {
    let app = spawn_demo_app().await;
    let wish = app.open_wish(WishKind::Item, 1).await;
    app.db
        .execute(
            "UPDATE wishes SET title = 'LED 护眼台灯' WHERE id = ?",
            microwish_server::args![wish.id.to_string()],
        )
        .await
        .unwrap();
    for query in ["?q=led", "?q=LED", "?q=Led%20%E5%8F%B0%E7%81%AF"] {
        let found = app.wishes(query).await.items;
        assert!(found.iter().any(|w| w.id == wish.id), "{query}: {found:?}");
    }
}

/// Letters beyond ASCII fold the same on both engines as on a phone (core's
/// `WishQuery::matches`): only ASCII letters ignore their case. On PostgreSQL the text columns
/// are `COLLATE "C"`, so `LOWER()` folds ASCII only even in a database whose character type
/// folds "É" (the tests' databases are `C.UTF-8`, as a production one would be).
#[tokio::test]
async fn search_folds_case_as_the_phone_does_beyond_ascii_letters() {
    let app = spawn_demo_app().await;
    let wish = app.open_wish(WishKind::Item, 1).await;
    app.db
        .execute(
            "UPDATE wishes SET title = 'École ÉTÉ Ｗｉｆｉ' WHERE id = ?",
            microwish_server::args![wish.id.to_string()],
        )
        .await
        .unwrap();
    let everything = app.wishes("?limit=200").await.items;
    let ours = everything.iter().find(|w| w.id == wish.id).unwrap();
    for (q, found) in [
        ("ÉCOLE", true),  // ASCII capitals fold: "École"
        ("école", false), // "é" is not "É"
        ("été", false),
        ("ÉTÉ", true),
        ("ｗｉｆｉ", false), // full-width letters keep their case
        ("Ｗｉｆｉ", true),
    ] {
        let query = format!("?q={}", utf8_percent(q));
        let from_server = app.wishes(&query).await.items;
        assert_eq!(
            from_server.iter().any(|w| w.id == wish.id),
            found,
            "{q} on the server"
        );
        assert_eq!(parse_query(&query).matches(ours), found, "{q} on a phone");
    }
}

fn utf8_percent(text: &str) -> String {
    text.bytes().map(|byte| format!("%{byte:02X}")).collect()
}

#[tokio::test]
async fn search_treats_like_wildcards_as_text() {
    let app = spawn_demo_app().await;
    assert!(app.wishes("?q=%25").await.items.is_empty()); // "%"
    assert!(app.wishes("?q=_").await.items.is_empty());
    // A blank search is no search.
    let all = app.wishes("").await.items.len();
    assert_eq!(app.wishes("?q=%20%20").await.items.len(), all);
}

#[tokio::test]
async fn pages_follow_next_without_gaps_or_repeats() {
    let app = spawn_demo_app().await;
    let all = app.wishes("").await.items;
    let mut seen = Vec::new();
    let mut query = "?limit=7".to_owned();
    loop {
        let page = app.wishes(&query).await;
        assert!(page.items.len() <= 7);
        seen.extend(page.items.iter().map(|w| w.id));
        match page.next {
            Some(next) => query = format!("?limit=7&cursor={next}"),
            None => break,
        }
    }
    assert_eq!(seen, all.iter().map(|w| w.id).collect::<Vec<_>>());
}

#[tokio::test]
async fn the_most_urgent_wishes_come_first() {
    let app = spawn_demo_app().await;
    let wishes = app.wishes("").await.items;
    let dates: Vec<_> = wishes
        .iter()
        .map(|w| w.needed_by.expect("demo wishes have dates"))
        .collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
    assert!(dates.first() < dates.last());
}

#[tokio::test]
async fn a_malformed_cursor_is_a_bad_query() {
    let app = spawn_demo_app().await;
    for cursor in ["nonsense", "2026-13-01~x", "2026-12-01~not-a-uuid"] {
        let response = app.get(&format!("/api/wishes?cursor={cursor}")).await;
        crate::helpers::assert_problem(response, 400, "bad_query").await;
    }
}

#[tokio::test]
async fn a_wish_reads_the_same_alone_as_in_the_list() {
    let app = spawn_demo_app().await;
    let first = app.wishes("?limit=1").await.items.remove(0);
    let body = app.get_json(&format!("/api/wishes/{}", first.id)).await;
    let alone: microwish_core::PublicWish = serde_json::from_value(body).unwrap();
    assert_eq!(alone, first);
}

#[tokio::test]
async fn remaining_follows_the_claimed_counter_and_the_database_refuses_overclaiming() {
    let app = spawn_demo_app().await;
    let wish = app
        .wishes("")
        .await
        .items
        .into_iter()
        .find(|w| w.quantity == 4)
        .expect("a demo wish of 4 units");
    let id = wish.id.to_string();
    app.db
        .execute(
            "UPDATE wishes SET claimed = 3 WHERE id = ?",
            microwish_server::args![&id],
        )
        .await
        .unwrap();
    let body = app.get_json(&format!("/api/wishes/{id}")).await;
    assert_eq!(body["remaining"], 1);
    assert_eq!(body["claimed"], 3);

    let over = app
        .db
        .execute(
            "UPDATE wishes SET claimed = 5 WHERE id = ?",
            microwish_server::args![&id],
        )
        .await;
    assert!(
        over.is_err(),
        "the CHECK constraint must refuse claimed > quantity"
    );
}

#[tokio::test]
async fn drafts_and_cancelled_wishes_are_not_public() {
    let app = spawn_demo_app().await;
    let ids: Vec<String> = app
        .wishes("?limit=2")
        .await
        .items
        .iter()
        .map(|w| w.id.to_string())
        .collect();
    for (id, status) in ids.iter().zip(["draft", "cancelled"]) {
        app.db
            .execute(
                "UPDATE wishes SET status = ? WHERE id = ?",
                microwish_server::args![status, id],
            )
            .await
            .unwrap();
        assert_eq!(app.get(&format!("/api/wishes/{id}")).await.status(), 404);
    }
    let listed: Vec<String> = app
        .wishes("")
        .await
        .items
        .iter()
        .map(|w| w.id.to_string())
        .collect();
    assert!(ids.iter().all(|id| !listed.contains(id)));
}

#[tokio::test]
async fn an_empty_database_lists_nothing() {
    let app = spawn_app().await;
    let body = app.get_json("/api/wishes").await;
    assert_eq!(body, serde_json::json!({"items": [], "next": null}));
}

/// The offline cache filters with core's `WishQuery::matches` and `sort`; they must give
/// exactly what the server's SQL gives.
#[tokio::test]
async fn core_filters_agree_with_the_server() {
    use microwish_core::WishQuery;
    let app = spawn_demo_app().await;
    // Some wishes claimed in full, some in part, so that every status filter has something
    // to find and something to leave out.
    let donor = app.register(microwish_core::Role::Donor).await;
    let open = app.wishes("?kind=item&status=open&limit=200").await.items;
    for wish in open.iter().take(3) {
        app.claim_ok(&donor, wish.id, wish.remaining).await;
    }
    let partly = open.iter().skip(3).find(|w| w.remaining > 1).unwrap();
    app.claim_ok(&donor, partly.id, 1).await;
    let everything = app.wishes("?limit=200").await.items;
    let claimed = everything
        .iter()
        .filter(|w| w.status == microwish_core::WishStatus::Claimed)
        .count();
    assert!(claimed >= 3 && claimed < everything.len(), "{claimed}");
    let campaign = everything
        .iter()
        .filter(|w| w.category == microwish_core::Category::School)
        .find_map(|w| w.campaign_id)
        .unwrap();
    let queries = [
        "",
        "?kind=service",
        "?kind=item&grid=grid-2",
        "?category=food",
        "?q=%E4%B9%A6%E5%8C%85",              // 书包
        "?q=%E7%88%B7%E7%88%B7&kind=service", // 爷爷, matched in the alias
        "?status=claimed",
        "?status=open",
        "?status=claimed&kind=item",
        &format!("?campaign={campaign}&category=school"),
    ];
    for query in queries {
        let from_server: Vec<_> = app
            .wishes(query)
            .await
            .items
            .into_iter()
            .map(|w| w.id)
            .collect();
        assert!(!from_server.is_empty(), "query {query:?} finds something");
        let parsed = parse_query(query);
        let mut local: Vec<_> = everything
            .iter()
            .filter(|w| parsed.matches(w))
            .cloned()
            .collect();
        WishQuery::sort(&mut local);
        let local: Vec<_> = local.into_iter().map(|w| w.id).collect();
        assert_eq!(local, from_server, "query {query:?}");
    }
}

/// A query string as the server reads it.
fn parse_query(query: &str) -> microwish_core::WishQuery {
    let pairs: serde_json::Map<String, serde_json::Value> = query
        .trim_start_matches('?')
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap();
            (
                key.to_owned(),
                serde_json::Value::String(percent_decode(value)),
            )
        })
        .collect();
    serde_json::from_value(serde_json::Value::Object(pairs)).unwrap()
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// The public list is served from memory between changes: never stale after a change made
/// here or by another server process on the same database, and `304 Not Modified` for a
/// phone that already has the current version.
#[tokio::test]
async fn the_list_from_memory_is_never_stale_and_revalidates() {
    let app = spawn_demo_app().await;
    let twin = crate::helpers::spawn_twin(&app).await;
    let path = "/api/wishes?kind=item&limit=100";
    // The demo's hold timer may still be writing its first reminders (a change of version)
    // on a loaded machine: a phone asking again then rightly gets the new list. Ask until a
    // phone holding a version hears 304 for it (a few tries).
    let mut tries = 0;
    let (etag, body) = loop {
        let first = app.get(path).await;
        assert_eq!(first.status(), 200);
        let etag = first.headers()["etag"].to_str().unwrap().to_owned();
        assert_eq!(first.headers()["cache-control"], "no-cache");
        let body: Page<PublicWish> = first.json().await.unwrap();
        let unchanged = app
            .client
            .get(app.url(path))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        tries += 1;
        if unchanged.status() == 304 {
            break (etag, body);
        }
        assert!(
            tries < 10,
            "never 304 for the version just read: {}",
            unchanged.status()
        );
    };
    let wish = body
        .items
        .iter()
        .find(|w| w.remaining >= 2)
        .unwrap()
        .clone();

    // A claim made through this process.
    let donor = app.register(microwish_core::Role::Donor).await;
    app.claim_ok(&donor, wish.id, 1).await;
    let after: Page<PublicWish> = app.get(path).await.json().await.unwrap();
    let seen = after.items.iter().find(|w| w.id == wish.id).unwrap();
    assert_eq!(seen.remaining, wish.remaining - 1);
    let changed = app
        .client
        .get(app.url(path))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(
        changed.status(),
        200,
        "the old version is not current any more"
    );

    // And one made through the other process, once this one had stopped asking the
    // database (the list had been quiet past the settling time).
    tokio::time::sleep(std::time::Duration::from_millis(1_200)).await;
    let quiet: Page<PublicWish> = app.get(path).await.json().await.unwrap();
    let quiet_again: Page<PublicWish> = app.get(path).await.json().await.unwrap();
    assert_eq!(quiet.items.len(), quiet_again.items.len());
    let response = app
        .client
        .post(format!("{twin}/api/wishes/{}/claims", wish.id))
        .header("cookie", &donor.cookie)
        .json(&serde_json::json!({"quantity": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let again: Page<PublicWish> = app.get(path).await.json().await.unwrap();
    let seen_again = again.items.iter().find(|w| w.id == wish.id).unwrap();
    assert_eq!(seen_again.remaining, seen.remaining - 1);

    // Compressed as the phone asks, the same JSON.
    let gzipped = app
        .client
        .get(app.url(path))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gzipped.headers()["content-encoding"], "gzip");
}

#[tokio::test]
async fn search_finds_a_category_by_its_name_and_needs_every_word() {
    let app = spawn_demo_app().await;
    let repairs: i64 = app.db.fetch_one::<(_,)>("SELECT COUNT(*) FROM wishes WHERE category = 'repair' AND status IN ('open', 'claimed', 'fulfilled')", microwish_server::args![]).await.map(|(value,)| value)
    .unwrap();
    assert!(repairs >= 2, "the demo has repairs to find");
    let found: Page<PublicWish> = app
        .get("/api/wishes?q=%E7%BB%B4%E4%BF%AE&limit=200")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(found.items.len() as i64, repairs, "维修 finds every repair");
    assert!(found
        .items
        .iter()
        .all(|wish| wish.category == microwish_core::Category::Repair
            || wish.title.contains("维修")
            || wish.description.contains("维修")));
    // Two words: both must match.
    let both: Page<PublicWish> = app
        .get("/api/wishes?q=%E7%BB%B4%E4%BF%AE%20%E4%B9%A6%E5%8C%85&limit=200")
        .await
        .json()
        .await
        .unwrap();
    assert!(
        both.items.is_empty(),
        "no wish is both a repair and a school bag"
    );
}

/// A wish of one unit, claimed by a new donor and confirmed by the demo worker: fulfilled.
async fn fulfilled_wish(app: &TestApp, worker: &Session) -> PublicWish {
    let wish = app.open_wish(WishKind::Item, 1).await;
    app.set_quantity(wish.id, 1).await;
    let donor = app.register(Role::Donor).await;
    let claim = app.claim_ok(&donor, wish.id, 1).await;
    assert_eq!(
        app.act(Some(worker), claim.id, "confirm").await.status(),
        200
    );
    let fulfilled = app.wish(wish.id).await;
    assert_eq!(fulfilled.status, WishStatus::Fulfilled);
    fulfilled
}

#[tokio::test]
async fn a_worker_closes_a_fulfilled_wish_which_stays_public_with_its_close_on_the_timeline() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let wish = fulfilled_wish(&app, &worker).await;

    let response = app
        .post(
            Some(&worker),
            &format!("/api/wishes/{}/close", wish.id),
            json!({}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let closed: PublicWish = response.json().await.unwrap();
    assert_eq!(closed.status, WishStatus::Closed);
    assert_eq!((closed.quantity, closed.fulfilled), (1, 1));

    // Still public: alone, in the list of closed wishes, and its timeline says who closed it.
    assert_eq!(app.wish(wish.id).await, closed);
    let listed = app.wishes("?status=closed").await.items;
    assert!(listed.iter().any(|w| w.id == wish.id));
    let events = app
        .get_json(&format!("/api/wishes/{}/events", wish.id))
        .await;
    let close = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|event| event["action"] == "close")
        .expect("a close event");
    assert_eq!(close["from_status"], "fulfilled");
    assert_eq!(close["to_status"], "closed");
    assert_eq!(close["actor_role"], "worker");

    // Closed is final: closing again is a state conflict.
    assert_problem(
        app.post(
            Some(&worker),
            &format!("/api/wishes/{}/close", wish.id),
            json!({}),
        )
        .await,
        409,
        "invalid_state",
    )
    .await;
}

#[tokio::test]
async fn only_a_fulfilled_wish_is_closed_and_only_by_a_worker_of_its_community() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let open = app.open_wish(WishKind::Item, 1).await;
    let path = format!("/api/wishes/{}/close", open.id);
    let body = assert_problem(
        app.post(Some(&worker), &path, json!({})).await,
        409,
        "invalid_state",
    )
    .await;
    assert!(body["detail"].as_str().unwrap().contains("open"), "{body}");
    assert_eq!(app.wish(open.id).await.status, WishStatus::Open);

    let wish = fulfilled_wish(&app, &worker).await;
    let path = format!("/api/wishes/{}/close", wish.id);
    assert_problem(app.post(None, &path, json!({})).await, 401, "not_logged_in").await;
    for role in [Role::Donor, Role::Volunteer, Role::Shopkeeper] {
        let someone = app.register(role).await;
        assert_problem(
            app.post(Some(&someone), &path, json!({})).await,
            403,
            "forbidden",
        )
        .await;
    }
    let outsider = app.other_worker().await;
    assert_problem(
        app.post(Some(&outsider), &path, json!({})).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(app.wish(wish.id).await.status, WishStatus::Fulfilled);
}

#[tokio::test]
async fn a_phone_closes_a_wish_with_the_close_wish_mutation() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let wish = fulfilled_wish(&app, &worker).await;
    let client = ClientId::generate();
    let push = |id: u64| {
        json!({"client_id": client, "mutations": [
            {"id": id, "name": "close_wish", "args": {"wish_id": wish.id}},
        ]})
    };
    let answer: Value = app
        .post(Some(&worker), "/api/sync/push", push(1))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(answer["results"][0]["status"], "applied", "{answer}");
    assert_eq!(app.wish(wish.id).await.status, WishStatus::Closed);
    let again: Value = app
        .post(Some(&worker), "/api/sync/push", push(2))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["results"][0]["status"], "rejected");
    assert_eq!(again["results"][0]["code"], "invalid_state");
}
