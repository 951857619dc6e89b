//! Volunteers' service certificates: totals of the house calls confirmed in a period, a public
//! verification that shows no household, revocation by the community's workers only.

use chrono::{Duration, NaiveDate};
use microwish_core::account::ERASED_NAME;
use microwish_core::clock::community_today;
use microwish_core::{CertificateId, ClaimView, Role};
use serde_json::{json, Value};

use crate::helpers::{assert_problem, spawn_demo_app, Session, TestApp};

/// Books the next house call tomorrow, and once its hour has come reports it done; the claim.
async fn visited(app: &TestApp, volunteer: &Session) -> ClaimView {
    let visit = app.house_call().await;
    let (start, end) = app.slot_tomorrow(60);
    let booked = app
        .claim(
            volunteer,
            visit.id,
            json!({"quantity": 1, "slot_start": start, "slot_end": end}),
        )
        .await;
    assert_eq!(booked.status(), 201, "{}", booked.text().await.unwrap());
    let claim: ClaimView = booked.json().await.unwrap();
    app.clock.advance(Duration::days(1) + Duration::minutes(1));
    let delivered = app.act(Some(volunteer), claim.id, "deliver").await;
    assert_eq!(delivered.status(), 200);
    claim
}

/// A worker confirms the visit with `minutes` served.
async fn confirm(app: &TestApp, worker: &Session, claim: &ClaimView, minutes: u32) {
    let confirmed = app
        .post(
            Some(worker),
            &format!("/api/claims/{}/confirm", claim.id),
            json!({"minutes": minutes}),
        )
        .await;
    assert_eq!(
        confirmed.status(),
        200,
        "{}",
        confirmed.text().await.unwrap()
    );
}

fn today(app: &TestApp) -> NaiveDate {
    community_today(app.clock.now())
}

async fn issue(
    app: &TestApp,
    volunteer: &Session,
    from: NaiveDate,
    to: NaiveDate,
) -> reqwest::Response {
    app.post(
        Some(volunteer),
        "/api/certificates",
        json!({"from": from, "to": to}),
    )
    .await
}

/// An approved volunteer with two visits confirmed on two days (75 and 30 minutes) and one
/// reported but not confirmed; the first visit's day.
async fn volunteer_with_visits(app: &TestApp, worker: &Session) -> (Session, NaiveDate) {
    let volunteer = app.approved_volunteer().await;
    let first = visited(app, &volunteer).await;
    confirm(app, worker, &first, 75).await;
    let first_day = today(app);
    let second = visited(app, &volunteer).await;
    confirm(app, worker, &second, 30).await;
    let _unconfirmed = visited(app, &volunteer).await;
    (volunteer, first_day)
}

/// A volunteer with visits (see [`volunteer_with_visits`]), their certificate from the first
/// visit's day to today, and its id.
async fn certified_volunteer(app: &TestApp, worker: &Session) -> (Session, Value, String) {
    let (volunteer, first_day) = volunteer_with_visits(app, worker).await;
    let issued: Value = issue(app, &volunteer, first_day, today(app))
        .await
        .json()
        .await
        .unwrap();
    let id = issued["id"].as_str().unwrap().to_owned();
    (volunteer, issued, id)
}

#[tokio::test]
async fn a_certificate_counts_the_visits_confirmed_in_its_period_only() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let (volunteer, first_day) = volunteer_with_visits(&app, &worker).await;

    let response = issue(
        &app,
        &volunteer,
        first_day - Duration::days(30),
        today(&app),
    )
    .await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    let all: Value = response.json().await.unwrap();
    assert_eq!(all["visits"], 2, "the unconfirmed visit is not counted");
    assert_eq!(all["minutes"], 105);
    assert_eq!(all["valid"], true);
    assert_eq!(all["volunteer_name"], volunteer.me.display_name.as_str());
    assert_eq!(all["community_name"], "星怡社区");
    assert_eq!(
        all["confirmed_by"],
        json!([worker.me.display_name.as_str()])
    );

    // The first day alone: the second visit, confirmed later, is outside. (Issued a minute
    // later: the test's clock stands still, and "the latest first" needs a later one.)
    app.clock.advance(Duration::minutes(1));
    let first: Value = issue(&app, &volunteer, first_day, first_day)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (first["visits"].clone(), first["minutes"].clone()),
        (json!(1), json!(75))
    );

    // Each is kept as issued, the latest first.
    let mine: Value = app.get_json_as(&volunteer, "/api/me/certificates").await;
    let ids: Vec<&Value> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["id"])
        .collect();
    assert_eq!(ids, [&first["id"], &all["id"]]);
    // Its id is random (v4), not time-ordered.
    let id: uuid::Uuid = all["id"].as_str().unwrap().parse().unwrap();
    assert_eq!(id.get_version_num(), 4);
}

#[tokio::test]
async fn a_period_without_a_confirmed_visit_or_a_wrong_period_is_refused() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let (volunteer, first_day) = volunteer_with_visits(&app, &worker).await;
    let before = first_day - Duration::days(1);
    assert_problem(
        issue(&app, &volunteer, before - Duration::days(30), before).await,
        422,
        "no_confirmed_visits",
    )
    .await;
    let body = assert_problem(
        issue(&app, &volunteer, first_day, today(&app) + Duration::days(1)).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["code"], "in_the_future");
    let body = assert_problem(
        issue(&app, &volunteer, first_day, before).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["code"], "before_start");

    // Only volunteers a worker approved issue one; other roles may not.
    let pending = app.register(Role::Volunteer).await;
    assert_problem(
        issue(&app, &pending, first_day, first_day).await,
        403,
        "volunteer_not_approved",
    )
    .await;
    assert_problem(
        issue(&app, &worker, first_day, first_day).await,
        403,
        "forbidden",
    )
    .await;
    assert_problem(
        app.post(
            None,
            "/api/certificates",
            json!({"from": first_day, "to": first_day}),
        )
        .await,
        401,
        "not_logged_in",
    )
    .await;
}

#[tokio::test]
async fn anyone_verifies_a_certificate_without_a_household_and_a_worker_revokes_it() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let (volunteer, issued, id) = certified_volunteer(&app, &worker).await;

    // A visitor reads the same totals, and nothing of a household or a phone.
    let public = app.get(&format!("/api/certificates/{id}")).await;
    assert_eq!(public.status(), 200);
    let text = public.text().await.unwrap();
    let public: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(public["visits"], issued["visits"]);
    assert_eq!(public["minutes"], issued["minutes"]);
    assert_eq!(public["valid"], true);
    for secret in app.household_secrets().await {
        assert!(!text.contains(&secret), "{secret} leaked");
    }
    assert!(!text.contains(volunteer.me.phone.as_str()));
    assert!(!text.contains("household"));

    // The QR code of its page is an SVG image.
    let qr = app.get(&format!("/api/certificates/{id}/qr.svg")).await;
    assert_eq!(qr.status(), 200);
    assert_eq!(qr.headers()["content-type"], "image/svg+xml");
    assert!(qr.text().await.unwrap().contains("<svg"));
    assert_eq!(
        app.get(&format!(
            "/api/certificates/{}/qr.svg",
            CertificateId::from_random([9; 16])
        ))
        .await
        .status(),
        404
    );

    // Nobody but a worker of its community revokes it.
    let path = format!("/api/certificates/{id}/revoke");
    let revoke = |session| app.post(Some(session), &path, json!({"reason": "时长登记有误"}));
    assert_problem(revoke(&volunteer).await, 403, "forbidden").await;
    let other = app.other_worker().await;
    assert_problem(revoke(&other).await, 404, "not_found").await;
    assert_problem(
        app.get_as(
            &other,
            &format!("/api/volunteers/{}/certificates", volunteer.me.id),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let body = assert_problem(
        app.post(
            Some(&worker),
            &format!("/api/certificates/{id}/revoke"),
            json!({"reason": " "}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "reason");
    assert_eq!(
        app.get_json(&format!("/api/certificates/{id}")).await["valid"],
        true
    );

    let listed = app
        .get_json_as(
            &worker,
            &format!("/api/volunteers/{}/certificates", volunteer.me.id),
        )
        .await;
    assert_eq!(listed["items"][0]["id"], id.as_str());
    let revoked = revoke(&worker).await;
    assert_eq!(revoked.status(), 200);
    let revoked: Value = revoked.json().await.unwrap();
    assert_eq!(revoked["valid"], false);
    assert_eq!(revoked["revoke_reason"], "时长登记有误");

    // The visitor sees it is no longer valid, not why; the volunteer reads why.
    let public = app.get_json(&format!("/api/certificates/{id}")).await;
    assert_eq!(public["valid"], false);
    assert!(public["revoked_at"].is_string());
    assert!(public["revoke_reason"].is_null());
    assert_eq!(public["minutes"], issued["minutes"]);
    let mine = app.get_json_as(&volunteer, "/api/me/certificates").await;
    assert_eq!(mine["items"][0]["revoke_reason"], "时长登记有误");
    assert_eq!(
        app.get(&format!(
            "/api/certificates/{}",
            CertificateId::from_random([9; 16])
        ))
        .await
        .status(),
        404
    );
}

#[tokio::test]
async fn a_deleted_volunteers_certificate_no_longer_names_or_vouches_for_them() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let (volunteer, issued, id) = certified_volunteer(&app, &worker).await;
    let name = volunteer.me.display_name.as_str().to_owned();
    assert_eq!(issued["volunteer_name"], name.as_str());

    let deleted = app
        .delete_me(&volunteer.cookie, "a-long-test-password")
        .await;
    assert_eq!(deleted.status(), 204, "{}", deleted.text().await.unwrap());

    // The link still answers (the paper is out there), but names nobody and vouches for nothing.
    let public = app.get(&format!("/api/certificates/{id}")).await;
    assert_eq!(public.status(), 200);
    let text = public.text().await.unwrap();
    assert!(!text.contains(&name), "the name stays in {text}");
    let public: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(public["volunteer_name"], ERASED_NAME);
    assert_eq!(public["valid"], false);
    assert_eq!(public["minutes"], issued["minutes"]);
}
