//! Shops and numbers: pledges in sizes, allocations that never take more than the pledge (or
//! size) holds or the wish needs — over REST and over sync push, however they race —, the
//! shop seeing where every unit went, campaigns, the workers' report and the spreadsheets.

use std::collections::{BTreeMap, HashSet};

use chrono::{Datelike, Duration};
use microwish_core::clock::community_today;
use microwish_core::stats::StatsDetail;
use microwish_core::sync::{MutationStatus, PushResponse};
use microwish_core::{
    AllocationStatus, AllocationView, ClientId, EventView, Page, Pledge, PublicWish, Role,
    WishKind, WishStatus,
};
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{assert_problem, spawn_demo_app, Session, TestApp};

/// 104 pairs in sizes 28–36 (14 of size 32).
fn shoes() -> Value {
    let sizes: Vec<Value> = (28..=36)
        .map(|size| {
            let quantity = match size {
                28 => 8,
                29 => 10,
                32 | 33 => 14,
                36 => 10,
                _ => 12,
            };
            json!({"label": format!("{size}码"), "quantity": quantity})
        })
        .collect();
    json!({
        "title": "儿童运动鞋",
        "category": "clothing",
        "unit": "双",
        "variants": sizes,
        "available_from": "2026-05-25",
        "yearly": true,
        "note": "六一前送到各网格驿站",
    })
}

async fn pledge(app: &TestApp, shop: &Session, body: Value) -> Pledge {
    let response = app.post(Some(shop), "/api/pledges", body).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

async fn allocate(
    app: &TestApp,
    worker: &Session,
    pledge: &Pledge,
    wish: &PublicWish,
    quantity: u32,
    variant: Option<&str>,
) -> reqwest::Response {
    app.post(
        Some(worker),
        &format!("/api/pledges/{}/allocations", pledge.id),
        json!({"wish_id": wish.id, "quantity": quantity, "variant": variant}),
    )
    .await
}

async fn read_pledge(app: &TestApp, session: &Session, pledge: &Pledge) -> Pledge {
    let response = app
        .get_as(session, &format!("/api/pledges/{}", pledge.id))
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// An open item wish of the demo with `quantity` units, nothing claimed.
async fn wish_needing(app: &TestApp, quantity: u32) -> PublicWish {
    let wish = app.open_wish(WishKind::Item, 1).await;
    app.set_quantity(wish.id, quantity).await;
    app.wish(wish.id).await
}

#[tokio::test]
async fn a_shop_pledges_in_sizes_and_sees_where_every_unit_went() {
    let app = spawn_demo_app().await;
    let shop = app.register(Role::Shopkeeper).await;
    let worker = app.worker().await;
    let pledged = pledge(&app, &shop, shoes()).await;
    assert_eq!(
        (pledged.quantity, pledged.remaining, pledged.allocated),
        (104, 104, 0)
    );
    assert_eq!(pledged.variants.len(), 9);
    assert!(pledged.yearly);

    // A shop lists its own pledges; workers list every shop's.
    let own: Page<Pledge> = app
        .get_as(&shop, "/api/pledges")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(own.items.len(), 1);
    let all: Page<Pledge> = app
        .get_as(&worker, "/api/pledges")
        .await
        .json()
        .await
        .unwrap();
    assert!(all.items.len() >= 2, "the demo shoe shop's too");
    let theirs = all.items.iter().find(|p| p.shop != shop.me.id).unwrap();
    assert_problem(
        app.get_as(&shop, &format!("/api/pledges/{}", theirs.id))
            .await,
        404,
        "not_found",
    )
    .await;

    // Three pairs of size 32 to a wish: its remaining drops by three for everyone.
    let wish = wish_needing(&app, 5).await;
    let response = allocate(&app, &worker, &pledged, &wish, 3, Some("32码")).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    let allocation: AllocationView = response.json().await.unwrap();
    assert_eq!(allocation.status, AllocationStatus::Allocated);
    assert_eq!(app.wish(wish.id).await.remaining, 2);

    let seen = read_pledge(&app, &shop, &pledged).await;
    assert_eq!((seen.allocated, seen.remaining), (3, 101));
    let size32 = seen.variants.iter().find(|v| v.label == "32码").unwrap();
    assert_eq!((size32.quantity, size32.allocated), (14, 3));
    let went = &seen.allocations[0];
    assert_eq!(
        (went.wish_title.as_str(), went.alias.as_str()),
        (wish.title.as_str(), wish.alias.as_str())
    );
    assert_eq!(went.grid, wish.grid);
    // Where it went, and nothing private about who.
    let body = app
        .get_as(&shop, &format!("/api/pledges/{}", pledged.id))
        .await
        .text()
        .await
        .unwrap();
    for secret in app.household_secrets().await {
        assert!(!body.contains(&secret), "{secret} reached the shop");
    }

    // The shop drops them at the station; a worker confirms; the household's thanks.
    let path = |action: &str| format!("/api/allocations/{}/{action}", allocation.id);
    let delivered = app.post(Some(&shop), &path("deliver"), json!({})).await;
    assert_eq!(delivered.status(), 200);
    let confirmed = app.post(Some(&worker), &path("confirm"), json!({})).await;
    assert_eq!(confirmed.status(), 200);
    let thanked = app
        .post(
            Some(&worker),
            &path("thanks"),
            json!({"text": "鞋子很合脚,谢谢!"}),
        )
        .await;
    assert_eq!(thanked.status(), 200);
    let seen = read_pledge(&app, &shop, &pledged).await;
    assert_eq!((seen.delivered, seen.confirmed), (3, 3));
    assert_eq!(
        seen.allocations[0].thanks.as_deref(),
        Some("鞋子很合脚,谢谢!")
    );
    let wish = app.wish(wish.id).await;
    assert_eq!((wish.claimed, wish.fulfilled), (3, 3));
    // Confirmed is final.
    assert_problem(
        app.post(Some(&worker), &path("cancel"), json!({})).await,
        409,
        "invalid_state",
    )
    .await;
}

#[tokio::test]
async fn allocations_stop_at_the_size_and_at_the_wish_and_cancelling_gives_back() {
    let app = spawn_demo_app().await;
    let shop = app.register(Role::Shopkeeper).await;
    let worker = app.worker().await;
    let pledged = pledge(&app, &shop, shoes()).await;
    let big = wish_needing(&app, 50).await;

    let body = assert_problem(
        allocate(&app, &worker, &pledged, &big, 15, Some("32码")).await,
        409,
        "pledge_exhausted",
    )
    .await;
    assert!(body["detail"].as_str().unwrap().contains("14"), "{body}");
    assert_problem(
        allocate(&app, &worker, &pledged, &big, 1, None).await,
        422,
        "validation_failed",
    )
    .await;
    assert_problem(
        allocate(&app, &worker, &pledged, &big, 1, Some("99码")).await,
        422,
        "validation_failed",
    )
    .await;
    assert_problem(
        allocate(&app, &worker, &pledged, &big, 0, Some("32码")).await,
        422,
        "validation_failed",
    )
    .await;

    let small = wish_needing(&app, 2).await;
    assert_problem(
        allocate(&app, &worker, &pledged, &small, 3, Some("32码")).await,
        409,
        "wish_full",
    )
    .await;
    let response = allocate(&app, &worker, &pledged, &small, 2, Some("32码")).await;
    assert_eq!(response.status(), 201);
    let allocation: AllocationView = response.json().await.unwrap();
    assert_eq!(app.wish(small.id).await.status, WishStatus::Claimed);

    // Cancelled: the units go back to the size and to the wish.
    let cancelled = app
        .post(
            Some(&worker),
            &format!("/api/allocations/{}/cancel", allocation.id),
            json!({}),
        )
        .await;
    assert_eq!(cancelled.status(), 200);
    let seen = read_pledge(&app, &worker, &pledged).await;
    assert_eq!((seen.allocated, seen.remaining), (0, 104));
    let wish = app.wish(small.id).await;
    assert_eq!((wish.remaining, wish.status), (2, WishStatus::Open));
}

/// `n` allocations of one unit each, all at once, each from its own worker request.
async fn race(
    app: &TestApp,
    worker: &Session,
    pledge: &Pledge,
    wish: &PublicWish,
    n: usize,
) -> Vec<u16> {
    let requests = (0..n).map(|_| allocate(app, worker, pledge, wish, 1, None));
    futures_util::future::join_all(requests)
        .await
        .into_iter()
        .map(|response| response.status().as_u16())
        .collect()
}

async fn allocated_in_db(app: &TestApp, pledge: &Pledge) -> (i64, i64) {
    app.db
        .fetch_one(
            "SELECT p.allocated, (SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM allocations a \
         WHERE a.pledge_id = p.id AND a.status != 'cancelled') FROM pledges p WHERE p.id = ?",
            microwish_server::args![pledge.id.to_string()],
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn racing_allocations_over_rest_never_over_allocate() {
    let app = spawn_demo_app().await;
    let shop = app.register(Role::Shopkeeper).await;
    let worker = app.worker().await;

    // Pledge-bound: 10 units, a wish that needs 100, 40 racing requests.
    let ten = pledge(
        &app,
        &shop,
        json!({"title": "保温杯", "category": "daily", "quantity": 10, "unit": "个"}),
    )
    .await;
    let wish = wish_needing(&app, 100).await;
    let statuses = race(&app, &worker, &ten, &wish, 40).await;
    assert_eq!(statuses.iter().filter(|s| **s == 201).count(), 10);
    assert_eq!(statuses.iter().filter(|s| **s == 409).count(), 30);
    assert_eq!(allocated_in_db(&app, &ten).await, (10, 10));
    assert_eq!(app.wish(wish.id).await.claimed, 10);

    // Wish-bound: 100 units for a wish that needs 5, racing a donor's claims too.
    let hundred = pledge(
        &app,
        &shop,
        json!({"title": "文具套装", "category": "school", "quantity": 100, "unit": "套"}),
    )
    .await;
    let wish = wish_needing(&app, 5).await;
    let donor = app.register(Role::Donor).await;
    let (statuses, claims) = tokio::join!(
        race(&app, &worker, &hundred, &wish, 30),
        futures_util::future::join_all((0..10).map(|_| app.claim(
            &donor,
            wish.id,
            json!({"quantity": 1})
        ))),
    );
    let allocated = statuses.iter().filter(|s| **s == 201).count();
    let claimed = claims.iter().filter(|r| r.status() == 201).count();
    assert_eq!(allocated + claimed, 5, "{statuses:?}");
    let wish = app.wish(wish.id).await;
    assert_eq!((wish.claimed, wish.remaining), (5, 0));
    assert_eq!(allocated_in_db(&app, &hundred).await.0, allocated as i64);
}

#[tokio::test]
async fn racing_allocations_over_sync_push_never_over_allocate() {
    let app = spawn_demo_app().await;
    let shop = app.register(Role::Shopkeeper).await;
    let worker = app.worker().await;
    let pledged = pledge(&app, &shop, shoes()).await;
    let wish = wish_needing(&app, 100).await;
    // Twenty phones, each pushing one allocation of size 28 (which has 8 pairs).
    let pushes = (0..20).map(|_| {
        let body = json!({"client_id": ClientId::generate(), "mutations": [{
            "id": 1,
            "name": "allocate_pledge",
            "args": {
                "id": microwish_core::AllocationId::generate(),
                "pledge_id": pledged.id,
                "wish_id": wish.id,
                "quantity": 1,
                "variant": "28码",
            },
        }]});
        let app = &app;
        let worker = &worker;
        async move {
            let response = app.post(Some(worker), "/api/sync/push", body).await;
            assert_eq!(response.status(), 200);
            response.json::<PushResponse>().await.unwrap()
        }
    });
    let results: Vec<_> = futures_util::future::join_all(pushes)
        .await
        .into_iter()
        .map(|pushed| pushed.results[0].clone())
        .collect();
    let applied = results
        .iter()
        .filter(|r| r.status == MutationStatus::Applied)
        .count();
    assert_eq!(applied, 8);
    assert!(results
        .iter()
        .filter(|r| r.status == MutationStatus::Rejected)
        .all(|r| r.code == Some(microwish_core::ProblemCode::PledgeExhausted)));
    let seen = read_pledge(&app, &worker, &pledged).await;
    let size28 = seen.variants.iter().find(|v| v.label == "28码").unwrap();
    assert_eq!((size28.allocated, seen.allocated), (8, 8));
    assert_eq!(allocated_in_db(&app, &pledged).await, (8, 8));
    assert_eq!(app.wish(wish.id).await.claimed, 8);
}

#[tokio::test]
async fn shop_campaign_and_report_endpoints_refuse_the_other_roles() {
    let app = spawn_demo_app().await;
    let shop = app.register(Role::Shopkeeper).await;
    let other_shop = app.register(Role::Shopkeeper).await;
    let donor = app.register(Role::Donor).await;
    let volunteer = app.approved_volunteer().await;
    let worker = app.worker().await;
    let pledged = pledge(&app, &shop, shoes()).await;
    let wish = wish_needing(&app, 5).await;
    let allocation: AllocationView = allocate(&app, &worker, &pledged, &wish, 1, Some("30码"))
        .await
        .json()
        .await
        .unwrap();
    let before = read_pledge(&app, &worker, &pledged).await;

    let callers: [(&str, Option<&Session>); 6] = [
        ("anonymous", None),
        ("donor", Some(&donor)),
        ("volunteer", Some(&volunteer)),
        ("shop", Some(&shop)),
        ("other shop", Some(&other_shop)),
        ("worker", Some(&worker)),
    ];
    // Bodies are nonsense on purpose: permission comes before the body.
    let garbage = json!({"nonsense": true});
    let allocation_path = |action: &str| format!("/api/allocations/{}/{action}", allocation.id);
    let endpoints: Vec<(Method, String, &[&str])> = vec![
        (Method::POST, "/api/pledges".into(), &["shop", "other shop"]),
        (
            Method::GET,
            "/api/pledges".into(),
            &["shop", "other shop", "worker"],
        ),
        (
            Method::POST,
            format!("/api/pledges/{}/allocations", pledged.id),
            &["worker"],
        ),
        (Method::POST, allocation_path("confirm"), &["worker"]),
        (Method::POST, allocation_path("cancel"), &["worker"]),
        (Method::POST, allocation_path("thanks"), &["worker"]),
        (Method::POST, "/api/campaigns".into(), &["worker"]),
        (Method::GET, "/api/stats/detail".into(), &["worker"]),
        (Method::GET, "/api/export/wishes.csv".into(), &["worker"]),
        (
            Method::GET,
            "/api/export/households.csv".into(),
            &["worker"],
        ),
    ];
    // Everyone refused first: nothing may change.
    for (method, path, allowed) in &endpoints {
        for (who, session) in callers {
            if allowed.contains(&who) {
                continue;
            }
            let response = app
                .send(session, method.clone(), path, garbage.clone())
                .await;
            let expected = if session.is_none() { 401 } else { 403 };
            assert_eq!(response.status(), expected, "{who} {method} {path}");
        }
    }
    // Only the shop that pledged drops the goods off.
    for (who, session) in callers {
        if who == "shop" {
            continue;
        }
        let response = app
            .post(session, &allocation_path("deliver"), json!({}))
            .await;
        let expected = if session.is_none() { 401 } else { 403 };
        assert_eq!(response.status(), expected, "{who} delivering");
    }
    let after = read_pledge(&app, &worker, &pledged).await;
    assert_eq!(after, before, "a refused call changed nothing");
    // Those allowed get past the door (to their answer, or to what is wrong with the body).
    for (method, path, allowed) in &endpoints {
        for (who, session) in callers {
            if !allowed.contains(&who) {
                continue;
            }
            let response = app
                .send(session, method.clone(), path, garbage.clone())
                .await;
            let status = response.status().as_u16();
            assert!(
                ![401, 403].contains(&status),
                "{who} {method} {path}: {status}"
            );
        }
    }
}

#[tokio::test]
async fn workers_start_campaigns_with_a_goal() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let today = community_today(app.clock.now());
    let body = json!({
        "title": "冬日暖阳送棉被",
        "description": "为独居老人送冬被",
        "goal": 30,
        "unit": "床",
        "starts_on": today,
        "ends_on": today + Duration::days(30),
    });
    let response = app
        .post(Some(&worker), "/api/campaigns", body.clone())
        .await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    let created: Value = response.json().await.unwrap();
    assert_eq!(
        (created["goal"].as_u64(), created["unit"].as_str()),
        (Some(30), Some("床"))
    );
    let listed = app.get_json("/api/campaigns").await;
    assert!(listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["title"] == "冬日暖阳送棉被"));
    let mut backwards = body;
    backwards["ends_on"] = json!(today - Duration::days(1));
    backwards["goal"] = json!(0);
    let problem = assert_problem(
        app.post(Some(&worker), "/api/campaigns", backwards).await,
        422,
        "validation_failed",
    )
    .await;
    let fields: HashSet<_> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        fields,
        HashSet::from(["goal".to_owned(), "ends_on".to_owned()])
    );
}

async fn download(app: &TestApp, worker: &Session, path: &str) -> Vec<u8> {
    let response = app.get_as(worker, path).await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    assert_eq!(headers["cache-control"], "no-store");
    assert!(headers["content-disposition"]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    response.bytes().await.unwrap().to_vec()
}

#[tokio::test]
async fn the_spreadsheets_open_in_excel_and_wishes_csv_names_nobody() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    // A title that Excel would run as a formula.
    let wish = app.open_wish(WishKind::Item, 1).await;
    app.send(
        Some(&worker),
        Method::PATCH,
        &format!("/api/wishes/{}", wish.id),
        json!({"title": "=HYPERLINK(\"http://x\")"}),
    )
    .await;

    let bytes = download(&app, &worker, "/api/export/wishes.csv").await;
    assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF], "a UTF-8 byte-order mark");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let (wishes,): (i64,) = app
        .db
        .fetch_one("SELECT COUNT(*) FROM wishes", microwish_server::args![])
        .await
        .unwrap();
    let lines: Vec<&str> = text.split_terminator("\r\n").collect();
    assert_eq!(
        lines.len() as i64,
        wishes + 1,
        "a header and one row per wish"
    );
    assert!(lines[0].contains("化名 alias"));
    let names: Vec<(String,)> = app
        .db
        .fetch_all("SELECT name FROM households", microwish_server::args![])
        .await
        .unwrap();
    for (name,) in &names {
        assert!(!text.contains(name), "{name} is in wishes.csv");
    }
    assert!(text.contains("雨雨"), "aliases are");
    // Kinds, categories, statuses and groups in the file's language, not codes.
    let cells: Vec<&str> = lines[1..].iter().flat_map(|line| line.split(',')).collect();
    for code in [
        "item",
        "service",
        "open",
        "fulfilled",
        "elderly_alone",
        "school",
    ] {
        assert!(!cells.contains(&code), "{code} is written as a code");
    }
    for word in ["物品", "服务", "待认领", "独居老人"] {
        assert!(cells.contains(&word), "{word} is missing");
    }
    if app.wish(wish.id).await.title.starts_with('=') {
        assert!(text.contains("\"'=HYPERLINK(\"\"http://x\"\")\""));
        assert!(!text.contains(",=HYPERLINK"));
    }

    let bytes = download(&app, &worker, "/api/export/households.csv").await;
    assert_eq!(&bytes[..3], &[0xEF, 0xBB, 0xBF]);
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let (households,): (i64,) = app
        .db
        .fetch_one("SELECT COUNT(*) FROM households", microwish_server::args![])
        .await
        .unwrap();
    assert_eq!(text.split_terminator("\r\n").count() as i64, households + 1);
    assert!(text.contains("王成") && text.contains("139-6280-0101"));
    assert!(
        text.contains(",独居老人,") && !text.contains("elderly_alone"),
        "groups in Chinese"
    );
    // Every household's record says who exported it.
    let (logged,): (i64,) = app
        .db
        .fetch_one(
            "SELECT COUNT(DISTINCT entity_id) FROM events WHERE action = 'export_household' \
         AND actor_id = ?",
            microwish_server::args![worker.me.id.to_string()],
        )
        .await
        .unwrap();
    assert_eq!(logged, households);
}

async fn detail(app: &TestApp, worker: &Session, query: &str) -> StatsDetail {
    let response = app
        .get_as(worker, &format!("/api/stats/detail{query}"))
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

/// The report against counts made here from the public API: each fulfilled wish's own
/// timeline, the volunteer's credited time, the shop's pledge.
#[tokio::test]
async fn the_report_equals_counts_made_independently() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let report = detail(&app, &worker, "").await;

    let mut done: Vec<PublicWish> = app.wishes("?status=fulfilled&limit=200").await.items;
    done.extend(app.wishes("?status=closed&limit=200").await.items);
    assert!(done.len() >= 10, "months of demo history");
    let mut by_month: BTreeMap<String, u32> = BTreeMap::new();
    let mut days = Vec::new();
    for wish in &done {
        let events: Page<EventView> = app
            .get_as(&worker, &format!("/api/wishes/{}/events", wish.id))
            .await
            .json()
            .await
            .unwrap();
        let fulfilled = events
            .items
            .iter()
            .find(|e| e.to_status.as_deref() == Some("fulfilled"))
            .unwrap();
        let date = community_today(fulfilled.at);
        *by_month
            .entry(format!("{:04}-{:02}", date.year(), date.month()))
            .or_default() += 1;
        days.push((fulfilled.at - wish.created_at).num_minutes() as f64 / 1440.0);
    }
    assert_eq!(report.wishes_fulfilled as usize, done.len());
    assert_eq!(
        report.units_fulfilled,
        done.iter().map(|w| w.quantity).sum::<u32>()
    );
    let aliases: HashSet<_> = done.iter().map(|w| w.alias.as_str()).collect();
    assert_eq!(report.households_helped as usize, aliases.len());
    for month in &report.by_month {
        assert_eq!(
            month.fulfilled,
            by_month.get(&month.month).copied().unwrap_or(0),
            "{}",
            month.month
        );
    }
    assert_eq!(report.by_month.len(), 12);
    days.sort_by(f64::total_cmp);
    let middle = days.len() / 2;
    let median = if days.len() % 2 == 0 {
        (days[middle - 1] + days[middle]) / 2.0
    } else {
        days[middle]
    };
    assert!((report.median_days_to_fulfil.unwrap() - median).abs() < 0.06);

    let volunteer = app.login("13800000003", "xingyi-volunteer-2026").await;
    assert_eq!(report.volunteer_minutes, volunteer.me.volunteer_minutes);
    assert!(report.volunteer_minutes > 0);
    let pledges: Page<Pledge> = app
        .get_as(&worker, "/api/pledges")
        .await
        .json()
        .await
        .unwrap();
    let shoes = &pledges.items[0];
    assert_eq!(report.shops.len(), 1);
    assert_eq!(
        (report.shops[0].allocated, report.shops[0].confirmed),
        (shoes.allocated, shoes.confirmed)
    );

    // The grids add up to the whole; one grid alone is that grid's figures.
    assert_eq!(
        report.by_grid.iter().map(|g| g.fulfilled).sum::<u32>(),
        report.wishes_fulfilled
    );
    let grid2 = detail(&app, &worker, "?grid=grid-2").await;
    let row = report
        .by_grid
        .iter()
        .find(|g| g.grid.as_str() == "grid-2")
        .unwrap();
    assert_eq!(grid2.wishes_fulfilled, row.fulfilled);
    assert_eq!(grid2.households_helped, row.households_helped);

    // A wish fulfilled now counts in this month.
    let donor = app.register(Role::Donor).await;
    let wish = wish_needing(&app, 1).await;
    let claim = app.claim_ok(&donor, wish.id, 1).await;
    assert_eq!(
        app.act(Some(&donor), claim.id, "deliver").await.status(),
        200
    );
    assert_eq!(
        app.act(Some(&worker), claim.id, "confirm").await.status(),
        200
    );
    let later = detail(&app, &worker, "").await;
    assert_eq!(later.wishes_fulfilled, report.wishes_fulfilled + 1);
    assert_eq!(
        later.by_month.last().unwrap().fulfilled,
        report.by_month.last().unwrap().fulfilled + 1
    );

    // Bad periods and unknown grids are explained.
    let today = community_today(app.clock.now());
    let backwards = format!("?from={today}&to={}", today - Duration::days(1));
    assert_problem(
        app.get_as(&worker, &format!("/api/stats/detail{backwards}"))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_problem(
        app.get_as(&worker, "/api/stats/detail?grid=grid-99").await,
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn sizes_that_add_up_past_any_number_are_refused_not_crashed_on() {
    let app = spawn_demo_app().await;
    let shop = app.register(Role::Shopkeeper).await;
    let body = assert_problem(
        app.post(
            Some(&shop),
            "/api/pledges",
            json!({"title": "童鞋", "category": "clothing", "unit": "双",
                   "variants": [{"label": "28码", "quantity": i64::MAX},
                                {"label": "29码", "quantity": i64::MAX}]}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert!(body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|error| error["field"] == "variants"));
}

/// The shop's second thoughts: a drop-off taken back until a worker confirms, a pledge changed
/// (never below what is given out, per size too) and what is left of it withdrawn.
#[tokio::test]
async fn a_shop_takes_back_a_drop_off_changes_its_pledge_and_withdraws_the_rest() {
    let app = spawn_demo_app().await;
    let shop = app.register(Role::Shopkeeper).await;
    let other_shop = app.register(Role::Shopkeeper).await;
    let worker = app.worker().await;
    let pledged = pledge(&app, &shop, shoes()).await;
    let wish = wish_needing(&app, 5).await;
    let response = allocate(&app, &worker, &pledged, &wish, 3, Some("32码")).await;
    assert_eq!(response.status(), 201);
    let allocation: AllocationView = response.json().await.unwrap();
    let step = |what: &str| format!("/api/allocations/{}/{what}", allocation.id);

    // Nothing to take back before the drop-off; only the shop takes it back.
    assert_problem(
        app.post(Some(&shop), &step("undeliver"), json!({})).await,
        409,
        "invalid_state",
    )
    .await;
    let response = app.post(Some(&shop), &step("deliver"), json!({})).await;
    assert_eq!(response.status(), 200);
    assert_eq!(app.wish(wish.id).await.delivered, 3);
    assert_problem(
        app.post(Some(&worker), &step("undeliver"), json!({})).await,
        403,
        "forbidden",
    )
    .await;
    let response = app.post(Some(&shop), &step("undeliver"), json!({})).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let back: AllocationView = response.json().await.unwrap();
    assert_eq!(back.status, AllocationStatus::Allocated);
    let seen = app.wish(wish.id).await;
    assert_eq!((seen.claimed, seen.delivered), (3, 0));
    assert!(back.handover_code.is_some(), "still shown at the station");

    // Changed: another size added, size 32 kept at what went out; never below it.
    let path = format!("/api/pledges/{}", pledged.id);
    let below =
        json!({"variants": [{"label": "32码", "quantity": 2}, {"label": "33码", "quantity": 5}]});
    let response = app.send(Some(&shop), Method::PATCH, &path, below).await;
    assert_eq!(response.status(), 422);
    let problem: Value = response.json().await.unwrap();
    assert_eq!(problem["errors"][0]["field"], "variants");
    assert_eq!(problem["errors"][0]["code"], "below_claimed");
    let dropped = json!({"variants": [{"label": "33码", "quantity": 5}]});
    let response = app.send(Some(&shop), Method::PATCH, &path, dropped).await;
    assert_eq!(response.status(), 422, "a size given out from stays");
    let fine = json!({
        "title": "儿童运动鞋(春款)",
        "variants": [{"label": "32码", "quantity": 3}, {"label": "33码", "quantity": 5}],
        "note": "五月底送到",
    });
    assert_problem(
        app.send(Some(&other_shop), Method::PATCH, &path, fine.clone())
            .await,
        404,
        "not_found",
    )
    .await;
    let response = app.send(Some(&shop), Method::PATCH, &path, fine).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let changed: Pledge = response.json().await.unwrap();
    assert_eq!(changed.title, "儿童运动鞋(春款)");
    assert_eq!(
        (changed.quantity, changed.allocated, changed.remaining),
        (8, 3, 5)
    );
    assert_eq!(
        changed.variants[0].allocated, 3,
        "size 32 keeps what went out"
    );
    assert_eq!(allocated_in_db(&app, &pledged).await, (3, 3));
    assert_eq!(changed.allocations.len(), 1, "the allocation still there");

    // Withdrawn: nothing more is given out; a second time changes nothing; it changes no more.
    let withdraw = format!("/api/pledges/{}/withdraw", pledged.id);
    let response = app.post(Some(&shop), &withdraw, json!({})).await;
    assert_eq!(response.status(), 200);
    let withdrawn: Pledge = response.json().await.unwrap();
    assert!(withdrawn.withdrawn_at.is_some());
    assert_eq!((withdrawn.remaining, withdrawn.withdrawn_units()), (0, 5));
    let again: Pledge = app
        .post(Some(&shop), &withdraw, json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again.withdrawn_at, withdrawn.withdrawn_at);
    let other = wish_needing(&app, 2).await;
    assert_problem(
        allocate(&app, &worker, &pledged, &other, 1, Some("33码")).await,
        409,
        "pledge_exhausted",
    )
    .await;
    assert_problem(
        app.send(Some(&shop), Method::PATCH, &path, json!({"note": "x"}))
            .await,
        409,
        "pledge_withdrawn",
    )
    .await;
    // What went out still goes: the worker confirms it as ever.
    let response = app.post(Some(&worker), &step("confirm"), json!({})).await;
    assert_eq!(response.status(), 200);
    let timeline: Page<EventView> = app
        .get_as(&worker, &format!("/api/wishes/{}/events", wish.id))
        .await
        .json()
        .await
        .unwrap();
    assert!(timeline
        .items
        .iter()
        .any(|event| event.action == microwish_core::EventAction::Undeliver));
}

/// Over sync push, as a phone sends them: the same three steps, each applied once.
#[tokio::test]
async fn a_shops_second_thoughts_arrive_over_sync_push() {
    let app = spawn_demo_app().await;
    let shop = app.register(Role::Shopkeeper).await;
    let worker = app.worker().await;
    let pledged = pledge(&app, &shop, shoes()).await;
    let wish = wish_needing(&app, 5).await;
    let allocation: AllocationView = allocate(&app, &worker, &pledged, &wish, 2, Some("30码"))
        .await
        .json()
        .await
        .unwrap();
    let mut changed = shoes();
    changed["id"] = json!(pledged.id);
    changed["title"] = json!("童鞋");
    let target = json!({"allocation_id": allocation.id});
    let body = json!({"client_id": ClientId::generate(), "mutations": [
        {"id": 1, "name": "deliver_allocation", "args": target},
        {"id": 2, "name": "undeliver_allocation", "args": target},
        {"id": 3, "name": "update_pledge", "args": changed},
        {"id": 4, "name": "withdraw_pledge", "args": {"pledge_id": pledged.id}},
    ]});
    let response = app.post(Some(&shop), "/api/sync/push", body.clone()).await;
    assert_eq!(response.status(), 200);
    let pushed: PushResponse = response.json().await.unwrap();
    assert!(
        pushed
            .results
            .iter()
            .all(|result| result.status == MutationStatus::Applied),
        "{:?}",
        pushed.results
    );
    // The same push again (a lost answer): nothing applied twice.
    let again: PushResponse = app
        .post(Some(&shop), "/api/sync/push", body)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again.results.len(), 4);
    let seen = read_pledge(&app, &shop, &pledged).await;
    assert_eq!(seen.title, "童鞋");
    assert_eq!(seen.allocations[0].status, AllocationStatus::Allocated);
    assert_eq!((seen.remaining, seen.withdrawn_units()), (0, 102));
    assert_eq!(app.wish(wish.id).await.delivered, 0);
}
