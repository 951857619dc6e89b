use chrono::Duration;
use microwish_core::{ClaimStatus, ClaimView, Role, WishKind, WishStatus};
use microwish_server::apply::expire_due_claims;
use serde_json::json;

use crate::helpers::{assert_problem, spawn_demo_app, TestApp};

async fn statuses_of_race(
    app: &TestApp,
    wish: impl std::fmt::Display + Copy,
    donors: usize,
) -> Vec<u16> {
    let mut sessions = Vec::new();
    for _ in 0..donors {
        sessions.push(app.register(Role::Donor).await);
    }
    let requests = sessions.iter().map(|session| async move {
        app.claim(session, wish, json!({"quantity": 1}))
            .await
            .status()
            .as_u16()
    });
    // All requests in flight at once.
    futures_util::future::join_all(requests).await
}

/// Exactly `created` claims went through (201) and every other one was refused (409).
fn assert_race(statuses: &[u16], created: usize, refused: usize) {
    let count = |status| statuses.iter().filter(|s| **s == status).count();
    assert_eq!((count(201), count(409)), (created, refused), "{statuses:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fifty_donors_race_for_one_unit_and_exactly_one_wins() {
    let app = spawn_demo_app().await;
    let wish = app.open_wish(WishKind::Item, 1).await;
    app.set_quantity(wish.id, 1).await;
    let statuses = statuses_of_race(&app, wish.id, 50).await;
    assert_race(&statuses, 1, 49);
    let after = app.wish(wish.id).await;
    assert_eq!(
        (after.remaining, after.claimed, after.status),
        (0, 1, WishStatus::Claimed)
    );
    let (claims,): (i64,) = app
        .db
        .fetch_one(
            "SELECT COUNT(*) FROM claims WHERE wish_id = ?",
            microwish_server::args![wish.id.to_string()],
        )
        .await
        .unwrap();
    assert_eq!(claims, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn twenty_donors_race_for_five_units_and_exactly_five_win() {
    let app = spawn_demo_app().await;
    let wish = app.open_wish(WishKind::Item, 1).await;
    app.set_quantity(wish.id, 5).await;
    let statuses = statuses_of_race(&app, wish.id, 20).await;
    assert_race(&statuses, 5, 15);
    let after = app.wish(wish.id).await;
    assert_eq!((after.remaining, after.claimed), (0, 5));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_server_instances_on_one_database_never_over_claim() {
    let app = spawn_demo_app().await;
    let twin = crate::helpers::spawn_twin(&app).await;
    let wish = app.open_wish(WishKind::Item, 1).await;
    app.set_quantity(wish.id, 5).await;
    let mut sessions = Vec::new();
    for _ in 0..20 {
        sessions.push(app.register(Role::Donor).await);
    }
    let requests = sessions.iter().enumerate().map(|(index, session)| {
        // Half the donors go through each instance.
        let base = if index % 2 == 0 {
            app.address.clone()
        } else {
            twin.clone()
        };
        let client = app.client.clone();
        async move {
            client
                .post(format!("{base}/api/wishes/{}/claims", wish.id))
                .header("cookie", &session.cookie)
                .json(&json!({"quantity": 1}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    });
    let statuses = futures_util::future::join_all(requests).await;
    assert_race(&statuses, 5, 15);
    assert_eq!(app.wish(wish.id).await.claimed, 5);
}

#[tokio::test]
async fn a_repeated_claim_id_returns_the_same_claim() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    let wish = app.open_wish(WishKind::Item, 2).await;
    let id = microwish_core::ClaimId::generate();
    let first = app
        .claim(&donor, wish.id, json!({"id": id, "quantity": 1}))
        .await;
    assert_eq!(first.status(), 201);
    let again = app
        .claim(&donor, wish.id, json!({"id": id, "quantity": 1}))
        .await;
    assert_eq!(again.status(), 200);
    let again: ClaimView = again.json().await.unwrap();
    assert_eq!(again.id, id);
    assert_eq!(app.wish(wish.id).await.claimed, 1, "applied once");

    let other = app.register(Role::Donor).await;
    assert_problem(
        app.claim(&other, wish.id, json!({"id": id, "quantity": 1}))
            .await,
        409,
        "id_conflict",
    )
    .await;
}

#[tokio::test]
async fn an_item_is_claimed_delivered_and_confirmed_with_an_event_for_each_step() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    let worker = app.worker().await;
    let wish = app.open_wish(WishKind::Item, 4).await;
    let claim = app.claim_ok(&donor, wish.id, 2).await;
    assert_eq!(claim.status, ClaimStatus::Active);
    assert_eq!(claim.hold_until, claim.created_at + Duration::days(7));
    assert!(claim.contact.is_none(), "item donors never get an address");
    assert_eq!(app.wish(wish.id).await.remaining, wish.quantity - 2);

    let mine: serde_json::Value = app
        .get_as(&donor, "/api/me/claims")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["items"][0]["id"], claim.id.to_string());

    let delivered: ClaimView = app
        .act(Some(&donor), claim.id, "deliver")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(delivered.status, ClaimStatus::Delivered);
    let waiting: serde_json::Value = app
        .get_as(&worker, "/api/claims?status=delivered")
        .await
        .json()
        .await
        .unwrap();
    assert!(waiting["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == claim.id.to_string()));

    let confirmed: ClaimView = app
        .act(Some(&worker), claim.id, "confirm")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(confirmed.status, ClaimStatus::Confirmed);
    let after = app.wish(wish.id).await;
    assert_eq!((after.claimed, after.delivered, after.fulfilled), (2, 2, 2));

    let events: serde_json::Value = app
        .get_json(&format!("/api/wishes/{}/events", wish.id))
        .await;
    let actions: Vec<&str> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["publish", "claim", "deliver", "confirm"]);
    let transitions: Vec<(Option<&str>, Option<&str>)> = events["items"].as_array().unwrap()[1..]
        .iter()
        .map(|e| (e["from_status"].as_str(), e["to_status"].as_str()))
        .collect();
    assert_eq!(
        transitions,
        [
            (None, Some("active")),
            (Some("active"), Some("delivered")),
            (Some("delivered"), Some("confirmed"))
        ]
    );
}

#[tokio::test]
async fn the_last_units_claimed_and_fulfilled_move_the_wish_through_its_states() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    let worker = app.worker().await;
    let wish = app.open_wish(WishKind::Item, 1).await;
    app.set_quantity(wish.id, 1).await;
    let claim = app.claim_ok(&donor, wish.id, 1).await;
    assert_eq!(app.wish(wish.id).await.status, WishStatus::Claimed);
    assert_problem(
        app.claim(
            &app.register(Role::Donor).await,
            wish.id,
            json!({"quantity": 1}),
        )
        .await,
        409,
        "wish_fully_claimed",
    )
    .await;

    // Released units go back: the wish is open again.
    app.act(Some(&donor), claim.id, "release").await;
    assert_eq!(app.claim_status(claim.id).await, "released");
    let reopened = app.wish(wish.id).await;
    assert_eq!((reopened.status, reopened.remaining), (WishStatus::Open, 1));
    assert_problem(
        app.act(Some(&donor), claim.id, "release").await,
        409,
        "invalid_state",
    )
    .await;

    let claim = app.claim_ok(&donor, wish.id, 1).await;
    app.act(Some(&worker), claim.id, "confirm").await;
    assert_eq!(app.wish(wish.id).await.status, WishStatus::Fulfilled);
    let events: serde_json::Value = app
        .get_json(&format!("/api/wishes/{}/events", wish.id))
        .await;
    let wish_moves: Vec<(String, String)> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "status")
        .map(|e| {
            (
                e["from_status"].as_str().unwrap().into(),
                e["to_status"].as_str().unwrap().into(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = [
        ("open", "claimed"),
        ("claimed", "open"),
        ("open", "claimed"),
        ("claimed", "fulfilled"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(wish_moves, expected);
}

#[tokio::test]
async fn asking_for_more_than_remains_says_how_many_are_left() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    let wish = app.open_wish(WishKind::Item, 4).await;
    let body = assert_problem(
        app.claim(&donor, wish.id, json!({"quantity": wish.remaining + 1}))
            .await,
        409,
        "not_enough_remaining",
    )
    .await;
    assert!(body["detail"]
        .as_str()
        .unwrap()
        .contains(&wish.remaining.to_string()));
}

#[tokio::test]
async fn rejected_claims_give_their_units_back_with_the_reason_recorded() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    let worker = app.worker().await;
    let wish = app.open_wish(WishKind::Item, 2).await;
    let claim = app.claim_ok(&donor, wish.id, 2).await;
    app.act(Some(&donor), claim.id, "deliver").await;
    let rejected: ClaimView = app
        .act(Some(&worker), claim.id, "reject")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rejected.status, ClaimStatus::Rejected);
    assert_eq!(rejected.reject_reason.as_deref(), Some("物品不符"));
    let after = app.wish(wish.id).await;
    assert_eq!((after.claimed, after.delivered), (0, 0));
    assert_problem(
        app.post(
            Some(&worker),
            &format!("/api/claims/{}/reject", claim.id),
            json!({"reason": " "}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
}

#[tokio::test]
async fn volunteers_book_house_calls_in_a_slot_and_earn_hours() {
    let app = spawn_demo_app().await;
    let volunteer = app.approved_volunteer().await;
    let donor = app.register(Role::Donor).await;
    let worker = app.worker().await;
    let wish = app.house_call().await;
    let (start, end) = app.slot_tomorrow(90);
    let slot = json!({"quantity": 1, "slot_start": start, "slot_end": end});

    assert_problem(
        app.claim(&donor, wish.id, slot.clone()).await,
        403,
        "forbidden",
    )
    .await;
    let body = assert_problem(
        app.claim(&volunteer, wish.id, json!({"quantity": 1})).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "slot_start");
    let late = json!({"quantity": 1, "slot_start": start + Duration::days(60), "slot_end": end + Duration::days(60)});
    assert_problem(
        app.claim(&volunteer, wish.id, late).await,
        422,
        "validation_failed",
    )
    .await;

    let response = app.claim(&volunteer, wish.id, slot).await;
    assert_eq!(response.status(), 201);
    let claim: ClaimView = response.json().await.unwrap();
    assert_eq!(claim.slot_start, Some(start));
    assert_eq!(claim.hold_until, end + Duration::days(1));

    app.act(Some(&volunteer), claim.id, "deliver").await;
    app.act(Some(&worker), claim.id, "confirm").await;
    let me: serde_json::Value = app
        .get_as(&volunteer, "/api/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["volunteer_minutes"], 90);
}

/// Follows `next` from the first page of `path` (which already has a `?`), `limit` at a time.
async fn every_page<T: serde::de::DeserializeOwned>(
    app: &TestApp,
    session: Option<&crate::helpers::Session>,
    path: &str,
    limit: u32,
) -> Vec<Vec<T>> {
    let mut pages = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(cursor) => format!("{path}&limit={limit}&cursor={cursor}"),
            None => format!("{path}&limit={limit}"),
        };
        let response = match session {
            Some(session) => app.get_as(session, &url).await,
            None => app.get(&url).await,
        };
        assert_eq!(response.status(), 200, "{url}");
        let page: microwish_core::Page<T> = response.json().await.unwrap();
        pages.push(page.items);
        match page.next {
            Some(next) => cursor = Some(next),
            None => return pages,
        }
    }
}

#[tokio::test]
async fn claim_lists_and_timelines_come_in_pages() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    let wish = app.open_wish(WishKind::Item, 1).await;
    app.set_quantity(wish.id, 10).await;
    let mut made = Vec::new();
    for _ in 0..5 {
        made.push(app.claim_ok(&donor, wish.id, 1).await.id);
    }
    // Mine: newest first, 2 at a time, each once.
    let pages: Vec<Vec<ClaimView>> = every_page(&app, Some(&donor), "/api/me/claims?", 2).await;
    assert_eq!(pages.iter().map(Vec::len).collect::<Vec<_>>(), [2, 2, 1]);
    let seen: Vec<_> = pages.concat().into_iter().map(|claim| claim.id).collect();
    made.reverse();
    assert_eq!(seen, made);
    // The worker's list pages the same way.
    let worker = app.worker().await;
    let all: Vec<Vec<ClaimView>> =
        every_page(&app, Some(&worker), "/api/claims?status=active", 3).await;
    let all: Vec<_> = all.concat().into_iter().map(|claim| claim.id).collect();
    let unique: std::collections::HashSet<_> = all.iter().collect();
    assert_eq!(unique.len(), all.len(), "no claim twice");
    assert!(made.iter().all(|id| all.contains(id)));
    // The wish's timeline: oldest first, in pages, nothing lost or repeated.
    let whole: microwish_core::Page<microwish_core::EventView> = app
        .get(&format!("/api/wishes/{}/events?limit=500", wish.id))
        .await
        .json()
        .await
        .unwrap();
    assert!(whole.next.is_none() && whole.items.len() >= 5);
    let paged: Vec<Vec<microwish_core::EventView>> =
        every_page(&app, None, &format!("/api/wishes/{}/events?", wish.id), 2).await;
    let seqs: Vec<_> = paged.concat().into_iter().map(|event| event.seq).collect();
    assert_eq!(
        seqs,
        whole
            .items
            .iter()
            .map(|event| event.seq)
            .collect::<Vec<_>>()
    );
    // A cursor that is not one is bad input.
    assert_problem(
        app.get_as(&donor, "/api/me/claims?cursor=nope").await,
        400,
        "bad_query",
    )
    .await;
    assert_problem(
        app.get(&format!("/api/wishes/{}/events?cursor=-4", wish.id))
            .await,
        400,
        "bad_query",
    )
    .await;
}

/// A donor gives back part of a claim: the rest stays theirs, the wish gets the units back;
/// an empty body still gives everything back.
#[tokio::test]
async fn part_of_a_claim_can_be_given_back() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    let wish = app.open_wish(WishKind::Item, 3).await;
    app.set_quantity(wish.id, 3).await;
    let claim = app.claim_ok(&donor, wish.id, 3).await;
    let path = format!("/api/claims/{}/release", claim.id);

    for wrong in [0, 4] {
        assert_problem(
            app.post(Some(&donor), &path, json!({"quantity": wrong}))
                .await,
            422,
            "validation_failed",
        )
        .await;
    }
    assert_problem(
        app.post(Some(&donor), &path, json!({"quantity": "two"}))
            .await,
        422,
        "invalid_body",
    )
    .await;

    let response = app.post(Some(&donor), &path, json!({"quantity": 2})).await;
    assert_eq!(response.status(), 200);
    let kept: ClaimView = response.json().await.unwrap();
    assert_eq!((kept.quantity, kept.status), (1, ClaimStatus::Active));
    let wish_now = app.wish(wish.id).await;
    assert_eq!((wish_now.remaining, wish_now.status), (2, WishStatus::Open));

    // No body at all (only the JSON content type): the rest goes back.
    let response = app
        .client
        .post(app.url(&path))
        .header("cookie", &donor.cookie)
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(app.claim_status(claim.id).await, "released");
    assert_eq!(app.wish(wish.id).await.remaining, 3);
}

/// The item units each user's row says they hold (kept by migration 0009's triggers) against
/// the sum of their active item claims, for every user.
async fn assert_held_units_true(app: &TestApp, after: &str) {
    let wrong: Vec<(String, i64, i64)> = app
        .db
        .fetch_all(
            "SELECT id, held_item_units, summed FROM (SELECT u.id, u.held_item_units, \
         (SELECT CAST(COALESCE(SUM(c.quantity), 0) AS BIGINT) FROM claims c \
         JOIN wishes w ON w.id = c.wish_id \
         WHERE c.user_id = u.id AND c.status = 'active' AND w.kind = 'item') AS summed \
         FROM users u) AS held WHERE held_item_units <> summed",
            microwish_server::args![],
        )
        .await
        .unwrap();
    assert!(wrong.is_empty(), "after {after}: {wrong:?}");
}

/// The fair share reads a donor's held units from their row: every way a claim moves keeps
/// that number equal to their active item claims (a house call never counts).
#[tokio::test]
async fn the_units_a_donor_holds_stay_true_through_every_move_of_a_claim() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    let worker = app.worker().await;
    let first = app.open_wish(WishKind::Item, 1).await;
    app.set_quantity(first.id, 20).await;
    let big = app.claim_ok(&donor, first.id, 5).await;
    let small = app.claim_ok(&donor, first.id, 2).await;
    let dropped = app.claim_ok(&donor, first.id, 1).await;
    assert_held_units_true(&app, "three claims").await;
    let held: i64 = app
        .db
        .fetch_one::<(_,)>(
            "SELECT held_item_units FROM users WHERE id = ?",
            microwish_server::args![donor.me.id.to_string()],
        )
        .await
        .map(|(value,)| value)
        .unwrap();
    assert_eq!(held, 8);

    let part = format!("/api/claims/{}/release", big.id);
    let response = app.post(Some(&donor), &part, json!({"quantity": 2})).await;
    assert_eq!(response.status(), 200);
    assert_held_units_true(&app, "part given back").await;
    assert_eq!(
        app.act(Some(&donor), dropped.id, "release").await.status(),
        200
    );
    assert_held_units_true(&app, "released").await;
    assert_eq!(
        app.act(Some(&donor), small.id, "deliver").await.status(),
        200
    );
    assert_held_units_true(&app, "delivered").await;
    assert_eq!(
        app.act(Some(&worker), small.id, "confirm").await.status(),
        200
    );
    assert_held_units_true(&app, "confirmed").await;

    let volunteer = app.approved_volunteer().await;
    let house_call = app.house_call().await;
    let (start, end) = app.slot_tomorrow(60);
    let booked = app
        .claim(
            &volunteer,
            house_call.id,
            json!({"quantity": 1, "slot_start": start, "slot_end": end}),
        )
        .await;
    assert_eq!(booked.status(), 201);
    assert_held_units_true(&app, "a house call").await;

    // The hold timer lets the rest go.
    app.clock.advance(Duration::days(30));
    assert!(expire_due_claims(&app.state).await.unwrap() >= 1);
    assert_eq!(app.claim_status(big.id).await, "expired");
    assert_held_units_true(&app, "expiry").await;
}

#[tokio::test]
async fn a_house_call_without_a_date_is_booked_at_most_90_days_ahead() {
    let app = spawn_demo_app().await;
    let volunteer = app.approved_volunteer().await;
    let house_call = app.house_call().await;
    app.db
        .execute(
            "UPDATE wishes SET needed_by = NULL WHERE id = ?",
            microwish_server::args![house_call.id.to_string()],
        )
        .await
        .unwrap();
    let (start, end) = app.slot_tomorrow(60);
    let years = Duration::days(3 * 365);
    let body = assert_problem(
        app.claim(
            &volunteer,
            house_call.id,
            json!({"quantity": 1, "slot_start": start + years, "slot_end": end + years}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["field"], "slot_start");
    assert_eq!(body["errors"][0]["code"], "too_far");
    let booked = app
        .claim(
            &volunteer,
            house_call.id,
            json!({"quantity": 1, "slot_start": start, "slot_end": end}),
        )
        .await;
    assert_eq!(booked.status(), 201);
}
