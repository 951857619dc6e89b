//! Hand-over at the station (issue 28, item 1): a giver's code, shown to the giver and the
//! community's workers only, confirms the claim (or allocation) once when a worker types it.

use microwish_core::handover::ALPHABET;
use microwish_core::sync::{MutationStatus, PushResponse};
use microwish_core::{ClaimView, ClientId, Role, WishKind};
use serde_json::{json, Value};

use crate::helpers::{assert_problem, spawn_demo_app, Session, TestApp};

/// A new donor's claim of one unit of an open demo item wish, as the donor got it back.
async fn donor_claim(app: &TestApp) -> (Session, ClaimView) {
    let donor = app.register(Role::Donor).await;
    let wish = app.open_wish(WishKind::Item, 1).await;
    let claim = app.claim_ok(&donor, wish.id, 1).await;
    (donor, claim)
}

fn code_of(claim: &ClaimView) -> String {
    claim
        .handover_code
        .as_ref()
        .expect("the giver sees the code of an item claim")
        .to_string()
}

async fn confirm(app: &TestApp, session: Option<&Session>, code: &str) -> reqwest::Response {
    app.post(session, "/api/handover", json!({ "code": code }))
        .await
}

async fn my_claim(app: &TestApp, session: &Session, id: impl std::fmt::Display) -> Value {
    let mine = app.get_json_as(session, "/api/me/claims").await;
    let items = mine["items"].as_array().cloned().unwrap_or_else(|| {
        mine.as_array()
            .cloned()
            .expect("a page or a list of claims")
    });
    items
        .into_iter()
        .find(|claim| claim["id"] == json!(id.to_string()))
        .expect("the claim among mine")
}

#[tokio::test]
async fn a_worker_confirms_a_claim_by_its_code_once() {
    let app = spawn_demo_app().await;
    let (_, claim) = donor_claim(&app).await;
    let code = code_of(&claim);
    assert_eq!(code.len(), 6);
    assert!(code.bytes().all(|b| ALPHABET.contains(&b)));
    let worker = app.worker().await;

    let response = confirm(&app, Some(&worker), &code).await;
    assert_eq!(response.status(), 200);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(
        answer,
        json!({"kind": "claim", "id": claim.id, "status": "confirmed"})
    );
    assert_eq!(app.claim_status(claim.id).await, "confirmed");
    let wish = app.wish(claim.wish_id).await;

    // A replay: the same answer, nothing changes.
    let again = confirm(&app, Some(&worker), &code).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<Value>().await.unwrap(), answer);
    assert_eq!(app.claim_status(claim.id).await, "confirmed");
    assert_eq!(app.wish(claim.wish_id).await, wish);
}

#[tokio::test]
async fn a_code_is_read_in_lower_case_with_spaces() {
    let app = spawn_demo_app().await;
    let (_, claim) = donor_claim(&app).await;
    let code = code_of(&claim).to_lowercase();
    let typed = format!("  {} {}  ", &code[..3], &code[3..]);
    let worker = app.worker().await;
    let response = confirm(&app, Some(&worker), &typed).await;
    assert_eq!(response.status(), 200);
    assert_eq!(app.claim_status(claim.id).await, "confirmed");
}

#[tokio::test]
async fn an_unknown_code_is_404_unknown_code() {
    let app = spawn_demo_app().await;
    let (_, claim) = donor_claim(&app).await;
    let code = code_of(&claim);
    let worker = app.worker().await;
    // Another well-formed code (the last character changed), and text that is no code.
    let last = code.as_bytes()[5];
    let other = if last == b'A' { 'C' } else { 'A' };
    let unknown = format!("{}{other}", &code[..5]);
    for typed in [unknown.as_str(), "OOOOOO", "x"] {
        assert_problem(
            confirm(&app, Some(&worker), typed).await,
            404,
            "unknown_code",
        )
        .await;
    }
    assert_eq!(app.claim_status(claim.id).await, "active");
}

#[tokio::test]
async fn another_communitys_code_is_unknown() {
    let app = spawn_demo_app().await;
    let (_, claim) = donor_claim(&app).await;
    let outsider = app.other_worker().await;
    assert_problem(
        confirm(&app, Some(&outsider), &code_of(&claim)).await,
        404,
        "unknown_code",
    )
    .await;
    assert_eq!(app.claim_status(claim.id).await, "active");
}

#[tokio::test]
async fn only_workers_confirm_hand_overs() {
    let app = spawn_demo_app().await;
    let (donor, claim) = donor_claim(&app).await;
    let code = code_of(&claim);
    assert_problem(confirm(&app, Some(&donor), &code).await, 403, "forbidden").await;
    let response = confirm(&app, None, &code).await;
    assert_eq!(response.status(), 401);
    assert_eq!(app.claim_status(claim.id).await, "active");
}

#[tokio::test]
async fn an_expired_claim_is_refused_as_invalid_state() {
    let app = spawn_demo_app().await;
    let (_, claim) = donor_claim(&app).await;
    app.clock.advance(chrono::Duration::days(8));
    microwish_server::apply::expire_due_claims(&app.state)
        .await
        .unwrap();
    assert_eq!(app.claim_status(claim.id).await, "expired");
    let worker = app.worker().await;
    assert_problem(
        confirm(&app, Some(&worker), &code_of(&claim)).await,
        409,
        "invalid_state",
    )
    .await;
}

#[tokio::test]
async fn the_code_is_shown_to_the_giver_and_the_workers_only() {
    let app = spawn_demo_app().await;
    let (donor, claim) = donor_claim(&app).await;
    let code = code_of(&claim);

    // The giver, in 我的认领 and on the claim itself.
    assert_eq!(
        my_claim(&app, &donor, claim.id).await["handover_code"],
        json!(code)
    );
    // The community's workers, in their list of claims.
    let worker = app.worker().await;
    let all = app.get_json_as(&worker, "/api/claims").await;
    let text = all.to_string();
    assert!(text.contains(&code), "the worker sees the code");

    // Nobody else: another donor, a visitor, another community's worker, the public wish.
    let other = app.register(Role::Donor).await;
    let outsider = app.other_worker().await;
    for session in [&other, &outsider] {
        for path in ["/api/me/claims", "/api/claims", "/api/wishes?limit=100"] {
            let body = app.get_as(session, path).await.text().await.unwrap();
            assert!(!body.contains(&code), "{path} shows the code to a stranger");
        }
    }
    for path in [
        "/api/wishes?limit=100".to_owned(),
        format!("/api/wishes/{}", claim.wish_id),
        format!("/api/wishes/{}/events", claim.wish_id),
        "/api/stats".to_owned(),
    ] {
        let body = app.get(&path).await.text().await.unwrap();
        assert!(!body.contains(&code), "{path} shows the code to a visitor");
    }
    let client = ClientId::generate();
    let pull = |session: Option<&Session>| {
        let mut request = app
            .client
            .get(app.url(&format!("/api/sync/pull?cursor=0&client_id={client}")));
        if let Some(session) = session {
            request = request.header("cookie", &session.cookie);
        }
        request.send()
    };
    let anonymous = pull(None).await.unwrap().text().await.unwrap();
    assert!(
        !anonymous.contains(&code),
        "the anonymous pull shows the code"
    );
    let stranger = pull(Some(&other)).await.unwrap().text().await.unwrap();
    assert!(
        !stranger.contains(&code),
        "another donor's pull shows the code"
    );
    // The giver's and the worker's pulls carry it (offline at the station).
    let giver = pull(Some(&donor)).await.unwrap().text().await.unwrap();
    assert!(giver.contains(&code), "the giver's pull has the code");
    let workers = pull(Some(&worker)).await.unwrap().text().await.unwrap();
    assert!(workers.contains(&code), "the worker's pull has the code");
}

#[tokio::test]
async fn a_pushed_confirm_handover_is_applied_once() {
    let app = spawn_demo_app().await;
    let (_, claim) = donor_claim(&app).await;
    let code = code_of(&claim);
    let worker = app.worker().await;
    let client = ClientId::generate();
    let push = |id: u64, code: String| {
        app.post(
            Some(&worker),
            "/api/sync/push",
            json!({"client_id": client, "mutations": [
                {"id": id, "name": "confirm_handover", "args": {"code": code}}
            ]}),
        )
    };
    let response = push(1, code.to_lowercase()).await;
    assert_eq!(response.status(), 200);
    let results: PushResponse = response.json().await.unwrap();
    assert_eq!(results.results[0].status, MutationStatus::Applied);
    assert_eq!(app.claim_status(claim.id).await, "confirmed");
    assert_eq!(confirm_events(&app, claim.id).await, 1);
    // The same mutation again (a retried push), then a second one with the same code.
    let again = push(1, code.to_lowercase()).await;
    assert_eq!(again.status(), 200);
    let results: PushResponse = again.json().await.unwrap();
    assert_eq!(results.results[0].status, MutationStatus::Applied);
    let second = push(2, code).await;
    let results: PushResponse = second.json().await.unwrap();
    assert_eq!(results.results[0].status, MutationStatus::Applied);
    assert_eq!(confirm_events(&app, claim.id).await, 1, "confirmed once");
}

#[tokio::test]
async fn a_shop_and_the_worker_see_an_allocations_code_which_confirms_it() {
    let app = spawn_demo_app().await;
    let shop = app.register(Role::Shopkeeper).await;
    let worker = app.worker().await;
    let response = app
        .post(
            Some(&shop),
            "/api/pledges",
            json!({"title": "保温杯", "category": "daily", "quantity": 10, "unit": "个"}),
        )
        .await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    let pledge: Value = response.json().await.unwrap();
    let pledge_path = format!("/api/pledges/{}", pledge["id"].as_str().unwrap());
    let wish = app.open_wish(WishKind::Item, 1).await;
    let response = app
        .post(
            Some(&worker),
            &format!("{pledge_path}/allocations"),
            json!({"wish_id": wish.id, "quantity": 1}),
        )
        .await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    let allocation: Value = response.json().await.unwrap();
    let code = allocation["handover_code"]
        .as_str()
        .expect("the worker sees the allocation's code")
        .to_owned();
    let seen = app.get_json_as(&shop, &pledge_path).await;
    assert_eq!(
        seen["allocations"][0]["handover_code"],
        json!(code),
        "the shop sees it"
    );

    let response = confirm(&app, Some(&worker), &code.to_lowercase()).await;
    assert_eq!(response.status(), 200);
    let answer = json!({"kind": "allocation", "id": allocation["id"], "status": "confirmed"});
    assert_eq!(response.json::<Value>().await.unwrap(), answer);
    let seen = app.get_json_as(&shop, &pledge_path).await;
    assert_eq!(seen["allocations"][0]["status"], "confirmed");
    let again = confirm(&app, Some(&worker), &code).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<Value>().await.unwrap(), answer);

    // Another community's worker: the code names nothing there.
    let outsider = app.other_worker().await;
    assert_problem(
        confirm(&app, Some(&outsider), &code).await,
        404,
        "unknown_code",
    )
    .await;
}

/// How many times the claim was confirmed (its timeline's entries).
async fn confirm_events(app: &TestApp, claim: impl std::fmt::Display) -> i64 {
    let (n,): (i64,) = app
        .db
        .fetch_one(
            "SELECT COUNT(*) FROM events WHERE entity_id = ? AND action = 'confirm'",
            microwish_server::args![claim.to_string()],
        )
        .await
        .unwrap();
    n
}
