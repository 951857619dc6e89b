//! A shop's record of giving (issue 28): its years from the allocations the report counts and
//! the past years a worker entered, who may read and record them, and the opt-in public
//! thank-you page (totals only).

use chrono::Duration;
use microwish_core::shop_record::{ShopRecord, ShopThanks};
use microwish_core::{AllocationStatus, Page, Pledge, Role};
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{assert_problem, spawn_demo_app, Session, TestApp};

async fn demo_shop(app: &TestApp) -> Session {
    app.login("13800000004", "xingyi-shop-2026").await
}

async fn record(app: &TestApp, session: &Session, shop: &Session) -> ShopRecord {
    let response = app
        .get_as(session, &format!("/api/shops/{}/record", shop.me.id))
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

async fn put_year(
    app: &TestApp,
    session: &Session,
    shop: &Session,
    year: i32,
    body: Value,
) -> reqwest::Response {
    app.send(
        Some(session),
        Method::PUT,
        &format!("/api/shops/{}/years/{year}", shop.me.id),
        body,
    )
    .await
}

/// A new shop with a pledge offered to the demo community (whose workers then see it).
async fn shop_giving_to(app: &TestApp, worker: &Session) -> Session {
    let shop = app.register(Role::Shopkeeper).await;
    let response = app
        .post(
            Some(&shop),
            "/api/pledges",
            json!({"title": "儿童书包", "category": "school", "quantity": 20, "unit": "个",
                   "community_id": worker.me.community}),
        )
        .await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    shop
}

#[tokio::test]
async fn the_demo_shop_has_given_ten_years_and_its_app_years_are_its_allocations() {
    let app = spawn_demo_app().await;
    let shop = demo_shop(&app).await;
    let seen = record(&app, &shop, &shop).await;
    assert_eq!(seen.years_given, 10);
    assert!(seen.public);
    let years: Vec<i32> = seen.years.iter().map(|year| year.year).collect();
    let mut newest_first = years.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(years, newest_first);
    assert_eq!(years[0] - years[9], 9, "ten years running: {years:?}");
    let past: Vec<_> = seen.years.iter().filter(|year| year.from_records).collect();
    assert!(past.len() >= 8);
    assert!(past.iter().all(|year| year.units == 104));

    // The app's years add up to the units its allocations gave (not cancelled), as the shop
    // sees them on its pledges.
    let pledges: Page<Pledge> = app
        .get_as(&shop, "/api/pledges")
        .await
        .json()
        .await
        .unwrap();
    let given: u32 = pledges
        .items
        .iter()
        .flat_map(|pledge| &pledge.allocations)
        .filter(|allocation| allocation.status != AllocationStatus::Cancelled)
        .map(|allocation| allocation.quantity)
        .sum();
    let in_app: u32 = seen
        .years
        .iter()
        .filter(|year| !year.from_records)
        .map(|year| year.units)
        .sum();
    assert!(given > 0);
    assert_eq!(in_app, given);
    assert_eq!(seen.total_units, given + 104 * past.len() as u32);
    let thanked = pledges
        .items
        .iter()
        .flat_map(|pledge| &pledge.allocations)
        .filter(|allocation| allocation.thanks.is_some())
        .count() as u32;
    let thanks: u32 = seen.years.iter().map(|year| year.thanks).sum();
    assert_eq!(thanks, thanked);

    // The community's worker reads the same record.
    let worker = app.worker().await;
    assert_eq!(record(&app, &worker, &shop).await, seen);
}

#[tokio::test]
async fn a_worker_records_a_past_year_and_the_shop_sees_it() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let shop = shop_giving_to(&app, &worker).await;
    assert_eq!(record(&app, &shop, &shop).await.years_given, 0);

    let response = put_year(
        &app,
        &worker,
        &shop,
        2016,
        json!({"units": 104, "wishes": 90, "note": "据社区台账"}),
    )
    .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let answered: ShopRecord = response.json().await.unwrap();
    let seen = record(&app, &shop, &shop).await;
    assert_eq!(answered, seen);
    assert_eq!((seen.years_given, seen.total_units), (1, 104));
    let year = &seen.years[0];
    assert_eq!((year.year, year.units, year.wishes), (2016, 104, 90));
    assert!(year.from_records);
    assert_eq!(year.note.as_deref(), Some("据社区台账"));

    // A second entry of the year replaces it; another year comes first when newer.
    let response = put_year(
        &app,
        &worker,
        &shop,
        2016,
        json!({"units": 100, "wishes": 100}),
    )
    .await;
    assert_eq!(response.status(), 200);
    let response = put_year(
        &app,
        &worker,
        &shop,
        2017,
        json!({"units": 80, "wishes": 8}),
    )
    .await;
    assert_eq!(response.status(), 200);
    let seen = record(&app, &shop, &shop).await;
    let years: Vec<(i32, u32)> = seen.years.iter().map(|y| (y.year, y.units)).collect();
    assert_eq!(years, [(2017, 80), (2016, 100)]);
    assert_eq!(seen.total_units, 180);

    // Removed.
    let response = app
        .send(
            Some(&worker),
            Method::DELETE,
            &format!("/api/shops/{}/years/2017", shop.me.id),
            json!({}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let seen: ShopRecord = response.json().await.unwrap();
    assert_eq!(seen.years.len(), 1);
    assert_eq!(record(&app, &shop, &shop).await.total_units, 100);
}

#[tokio::test]
async fn a_past_year_is_validated_and_a_year_the_app_counts_is_refused() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let shop = shop_giving_to(&app, &worker).await;
    let this_year = microwish_core::shop_record::year_of(app.clock.now());
    let refusals = [
        (this_year, json!({"units": 10, "wishes": 1}), "year"),
        (1989, json!({"units": 10, "wishes": 1}), "year"),
        (2016, json!({"units": 0, "wishes": 0}), "units"),
        (2016, json!({"units": 100_001, "wishes": 0}), "units"),
        (2016, json!({"units": 10, "wishes": 11}), "wishes"),
        (
            2016,
            json!({"units": 10, "wishes": 1, "note": "字".repeat(201)}),
            "note",
        ),
    ];
    for (year, body, field) in refusals {
        let problem = assert_problem(
            put_year(&app, &worker, &shop, year, body.clone()).await,
            422,
            "validation_failed",
        )
        .await;
        assert_eq!(problem["errors"][0]["field"], field, "{year} {body}");
    }
    assert_eq!(record(&app, &shop, &shop).await.years_given, 0);

    // The demo shop's shoes went out this year; a year on, that year is the app's to count.
    let demo = demo_shop(&app).await;
    app.clock.advance(Duration::days(370));
    let worker = app.worker().await;
    let problem = assert_problem(
        put_year(
            &app,
            &worker,
            &demo,
            this_year,
            json!({"units": 104, "wishes": 104}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "year");
    assert_eq!(problem["errors"][0]["code"], "duplicate");
}

#[tokio::test]
async fn only_the_shop_and_the_workers_its_giving_reaches_see_or_change_its_record() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let shop = shop_giving_to(&app, &worker).await;
    let another_shop = app.register(Role::Shopkeeper).await;
    let donor = app.register(Role::Donor).await;
    let stranger = app.other_worker().await;
    let path = format!("/api/shops/{}/record", shop.me.id);
    assert_problem(app.get(&path).await, 401, "not_logged_in").await;
    assert_problem(app.get_as(&donor, &path).await, 403, "forbidden").await;
    assert_problem(app.get_as(&another_shop, &path).await, 404, "not_found").await;
    // The pledge is offered to the demo community only.
    assert_problem(app.get_as(&stranger, &path).await, 404, "not_found").await;
    // A user who is not a shop has no record.
    let not_a_shop = format!("/api/shops/{}/record", donor.me.id);
    assert_problem(app.get_as(&worker, &not_a_shop).await, 404, "not_found").await;

    let body = json!({"units": 10, "wishes": 1});
    assert_problem(
        put_year(&app, &shop, &shop, 2016, body.clone()).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        put_year(&app, &donor, &shop, 2016, body.clone()).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        put_year(&app, &stranger, &shop, 2016, body.clone()).await,
        404,
        "not_found",
    )
    .await;
    assert_eq!(record(&app, &shop, &shop).await.years_given, 0);
}

#[tokio::test]
async fn the_thank_you_page_is_public_once_the_shop_opts_in_and_shows_only_totals() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let shop = shop_giving_to(&app, &worker).await;
    let path = format!("/api/shops/{}/thanks", shop.me.id);
    assert_problem(app.get(&path).await, 404, "not_found").await;
    let response = put_year(
        &app,
        &worker,
        &shop,
        2020,
        json!({"units": 30, "wishes": 3}),
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_problem(app.get(&path).await, 404, "not_found").await;

    let page = |public: bool| {
        let (app, shop) = (&app, &shop);
        async move {
            app.send(
                Some(shop),
                Method::PUT,
                "/api/me/shop-page",
                json!({"public": public}),
            )
            .await
        }
    };
    assert_problem(
        app.send(
            Some(&worker),
            Method::PUT,
            "/api/me/shop-page",
            json!({"public": true}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    assert_eq!(page(true).await.status(), 200);
    assert!(record(&app, &shop, &shop).await.public);
    let response = app.get(&path).await;
    assert_eq!(response.status(), 200);
    let thanks: ShopThanks = response.json().await.unwrap();
    assert_eq!((thanks.years_given, thanks.total_units), (1, 30));
    assert_eq!(thanks.shop_name, shop.me.display_name.as_str());
    assert_eq!(page(false).await.status(), 200);
    assert_problem(app.get(&path).await, 404, "not_found").await;

    // The demo shop's page: its totals, never a household's alias, thanks or a worker's note.
    let demo = demo_shop(&app).await;
    let body = app
        .get(&format!("/api/shops/{}/thanks", demo.me.id))
        .await
        .text()
        .await
        .unwrap();
    let thanks: ShopThanks = serde_json::from_str(&body).unwrap();
    assert_eq!(thanks.years_given, 10);
    assert_eq!(
        thanks.total_units,
        thanks.years.iter().map(|year| year.units).sum::<u32>()
    );
    assert!(!body.contains("台账"), "a worker's note: {body}");
    let pledges: Page<Pledge> = app
        .get_as(&demo, "/api/pledges")
        .await
        .json()
        .await
        .unwrap();
    let allocations: Vec<_> = pledges.items.iter().flat_map(|p| &p.allocations).collect();
    assert!(allocations.iter().any(|a| a.thanks.is_some()));
    for allocation in allocations {
        assert!(
            !body.contains(&allocation.alias),
            "{} shown",
            allocation.alias
        );
        if let Some(text) = &allocation.thanks {
            assert!(!body.contains(text.as_str()), "{text} shown");
        }
    }
    for secret in app.household_secrets().await {
        assert!(!body.contains(&secret), "{secret} shown");
    }
}
