//! PIPL basics: a user deletes their account (claims kept, showing no name), a worker deletes a
//! household (its private fields gone, its open wishes withdrawn, the deletion logged), and
//! sign-up records that the privacy notice was accepted.

use microwish_core::{ClaimView, Household, Page, PublicWish, Role};
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{assert_problem, fresh_phone, session_from, spawn_demo_app, TestApp};

async fn sign_up(app: &TestApp, phone: &str, extra: Value) -> reqwest::Response {
    let mut body = json!({"display_name": "王小明", "phone": phone,
        "password": "a-long-test-password", "role": "donor"});
    if let (Some(body), Some(extra)) = (body.as_object_mut(), extra.as_object()) {
        body.extend(extra.clone());
    }
    app.post(None, "/api/auth/register", body).await
}

#[tokio::test]
async fn a_deleted_account_is_erased_signed_out_and_its_claims_show_no_name() {
    let app = spawn_demo_app().await;
    let phone = fresh_phone();
    let response = sign_up(&app, &phone, json!({})).await;
    assert_eq!(response.status(), 201);
    let donor = session_from(response).await;
    let wish = app.open_wish(microwish_core::WishKind::Item, 1).await;
    let claim = app.claim_ok(&donor, wish.id, 1).await;

    let problem = assert_problem(
        app.delete_me(&donor.cookie, "not-my-password").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "password");
    assert_eq!(problem["errors"][0]["code"], "invalid");
    assert_eq!(app.get_as(&donor, "/api/me").await.status(), 200, "kept");

    let response = app.delete_me(&donor.cookie, "a-long-test-password").await;
    assert_eq!(response.status(), 204);
    assert_eq!(app.get_as(&donor, "/api/me").await.status(), 401);
    let login = app
        .post(
            None,
            "/api/auth/login",
            json!({"phone": phone, "password": "a-long-test-password"}),
        )
        .await;
    assert_eq!(login.status(), 401);

    // The claim stays, with no name or phone.
    let worker = app.worker().await;
    let claims: Page<ClaimView> = app
        .get_as(&worker, "/api/claims?limit=200")
        .await
        .json()
        .await
        .unwrap();
    let kept = claims.items.iter().find(|c| c.id == claim.id).unwrap();
    assert_eq!(kept.claimer_name, microwish_core::account::ERASED_NAME);
    assert!(kept.claimer_phone.as_ref().is_none_or(|p| p.is_erased()));
    let (name, stored_phone, sessions): (String, String, i64) = app
        .db
        .fetch_one(
            "SELECT display_name, phone, (SELECT COUNT(*) FROM sessions s WHERE s.user_id = u.id) \
             FROM users u WHERE id = ?",
            microwish_server::args![donor.me.id.to_string()],
        )
        .await
        .unwrap();
    assert_eq!(name, microwish_core::account::ERASED_NAME);
    assert!(!stored_phone.contains(&phone[3..]), "{stored_phone}");
    assert_eq!(sessions, 0);

    // The number is free again.
    assert_eq!(sign_up(&app, &phone, json!({})).await.status(), 201);
}

#[tokio::test]
async fn the_last_worker_of_a_community_keeps_their_account() {
    let app = spawn_demo_app().await;
    let lonely = app.other_worker().await;
    assert_problem(
        app.delete_me(&lonely.cookie, "another-worker-2026").await,
        409,
        "last_worker",
    )
    .await;
    assert_eq!(app.get_as(&lonely, "/api/me").await.status(), 200);
}

#[tokio::test]
async fn sign_up_records_the_privacy_notice_when_ticked() {
    let app = spawn_demo_app().await;
    let (ticked, silent) = (fresh_phone(), fresh_phone());
    assert_eq!(
        sign_up(&app, &ticked, json!({"privacy": true}))
            .await
            .status(),
        201
    );
    assert_eq!(sign_up(&app, &silent, json!({})).await.status(), 201);
    for (phone, recorded) in [(ticked, true), (silent, false)] {
        let (accepted,): (Option<String>,) = app
            .db
            .fetch_one(
                "SELECT privacy_accepted_at FROM users WHERE phone = ?",
                microwish_server::args![phone],
            )
            .await
            .unwrap();
        assert_eq!(accepted.is_some(), recorded);
    }
}

#[tokio::test]
async fn a_worker_deletes_a_household_its_details_go_and_its_wishes_are_withdrawn() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let response = app
        .post(
            Some(&worker),
            "/api/households",
            json!({"name": "赵桂兰", "address": "星怡花园7幢201室", "phone": "13962877777",
                   "grid": "grid-1", "groups": ["elderly_alone"], "notes": "腿脚不便",
                   "consent_on": "2026-01-05"}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let home: Household = response.json().await.unwrap();
    let response = app
        .post(
            Some(&worker),
            "/api/wishes",
            json!({"household_id": home.id, "kind": "item", "title": "一床棉被",
                   "description": "", "category": "daily", "quantity": 2, "unit": "床",
                   "alias": "赵奶奶", "publish": true}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let wish: PublicWish = response.json().await.unwrap();
    let donor = app.register(Role::Donor).await;
    let claim = app.claim_ok(&donor, wish.id, 1).await;
    let path = format!("/api/households/{}", home.id);

    let outsider = app.other_worker().await;
    let refused = app
        .send(Some(&outsider), Method::DELETE, &path, json!(null))
        .await;
    assert_eq!(refused.status(), 404);
    let refused = app
        .send(Some(&donor), Method::DELETE, &path, json!(null))
        .await;
    assert_eq!(refused.status(), 403);

    let deleted = app
        .send(Some(&worker), Method::DELETE, &path, json!(null))
        .await;
    assert_eq!(deleted.status(), 204);
    assert_eq!(app.get_as(&worker, &path).await.status(), 404);
    let again = app
        .send(Some(&worker), Method::DELETE, &path, json!(null))
        .await;
    assert_eq!(again.status(), 404);
    let listed = app
        .get_as(&worker, "/api/households")
        .await
        .text()
        .await
        .unwrap();
    assert!(!listed.contains("赵桂兰") && !listed.contains(&home.id.to_string()));

    // Its open wish is withdrawn through the consent rule: off the public, its claim ended
    // with a reason its donor reads.
    assert_eq!(
        app.get(&format!("/api/wishes/{}", wish.id)).await.status(),
        404
    );
    assert_eq!(app.claim_status(claim.id).await, "rejected");

    let (name, address, phone, notes): (String, String, String, String) = app
        .db
        .fetch_one(
            "SELECT name, address, phone, notes FROM households WHERE id = ?",
            microwish_server::args![home.id.to_string()],
        )
        .await
        .unwrap();
    assert_eq!(
        [name, address, phone, notes],
        ["", "", "", ""].map(String::from)
    );
    let (logged,): (i64,) = app
        .db
        .fetch_one(
            "SELECT COUNT(*) FROM events WHERE entity = 'household' AND entity_id = ? \
             AND action = 'erase' AND actor_id = ?",
            microwish_server::args![home.id.to_string(), worker.me.id.to_string()],
        )
        .await
        .unwrap();
    assert_eq!(logged, 1);
}

#[tokio::test]
async fn prune_deletes_old_events_and_ended_sessions() {
    let app = crate::helpers::spawn_app().await;
    let user = app.register(Role::Donor).await;
    let recent = chrono::Utc::now() - chrono::Duration::days(2);
    for (at, note) in [
        ("2020-01-01T00:00:00.000000Z".to_owned(), "old"),
        (
            recent.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string(),
            "recent",
        ),
    ] {
        app.db
            .execute(
                "INSERT INTO events (at, entity, entity_id, action, note) \
                 VALUES (?, 'household', 'h', 'read_household', ?)",
                microwish_server::args![at, note],
            )
            .await
            .unwrap();
    }
    app.db
        .execute(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) \
             VALUES ('ended', ?, '2020-01-01T00:00:00.000000Z', '2020-01-31T00:00:00.000000Z', \
             '2020-01-01T00:00:00.000000Z')",
            microwish_server::args![user.me.id.to_string()],
        )
        .await
        .unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_microwish-server"))
        .args([
            "prune",
            "--events-days",
            "30",
            "--database",
            &app.database_url,
        ])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{out} {}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(out.contains("pruned 1 events older than 30 days"), "{out}");
    let notes: Vec<(String,)> = app
        .db
        .fetch_all(
            "SELECT note FROM events WHERE entity_id = 'h' ORDER BY seq",
            microwish_server::args![],
        )
        .await
        .unwrap();
    assert_eq!(notes, [("recent".to_owned(),)]);
    let (ended,): (i64,) = app
        .db
        .fetch_one(
            "SELECT COUNT(*) FROM sessions WHERE token_hash = 'ended'",
            microwish_server::args![],
        )
        .await
        .unwrap();
    assert_eq!(ended, 0);
}

#[tokio::test]
async fn a_volunteer_receives_three_homes_contacts_a_day_at_most() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let mut calls = Vec::new();
    for n in 0..4 {
        let response = app
            .post(
                Some(&worker),
                "/api/households",
                json!({"name": format!("独居老人{n}"), "address": format!("星怡花园{n}幢101室"),
                       "phone": format!("1396280{n:04}"), "grid": "grid-1",
                       "groups": ["elderly_alone"], "consent_on": "2026-01-05"}),
            )
            .await;
        assert_eq!(response.status(), 201);
        let home: Household = response.json().await.unwrap();
        let response = app
            .post(
                Some(&worker),
                "/api/wishes",
                json!({"household_id": home.id, "kind": "service", "title": "修水龙头",
                       "description": "", "category": "repair", "quantity": 1, "unit": "次",
                       "alias": format!("李奶奶{n}"), "publish": true}),
            )
            .await;
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
        let wish: PublicWish = response.json().await.unwrap();
        calls.push(wish.id);
    }
    let volunteer = app.approved_volunteer().await;
    let (start, end) = app.slot_tomorrow(60);
    let booking = json!({"quantity": 1, "slot_start": start, "slot_end": end});
    // Book and release, book and release: each booking hands over one home's contact.
    for wish in &calls[..3] {
        let response = app.claim(&volunteer, wish, booking.clone()).await;
        assert_eq!(response.status(), 201);
        let claim: ClaimView = response.json().await.unwrap();
        assert!(claim.contact.is_some());
        assert_eq!(
            app.act(Some(&volunteer), claim.id, "release")
                .await
                .status(),
            200
        );
    }
    assert_problem(
        app.claim(&volunteer, calls[3], booking.clone()).await,
        429,
        "too_many_reveals",
    )
    .await;
    // A day later the volunteer may book again.
    app.clock.advance(chrono::Duration::hours(25));
    let (start, end) = app.slot_tomorrow(60);
    let response = app
        .claim(
            &volunteer,
            calls[3],
            json!({"quantity": 1, "slot_start": start, "slot_end": end}),
        )
        .await;
    assert_eq!(response.status(), 201);
}
