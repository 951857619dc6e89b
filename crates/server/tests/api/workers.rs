//! Workers run it, safely: vetted volunteers, the household registry, wishes posted on a
//! household's behalf (by REST and by sync push, exactly once), confirmations with thanks,
//! and every worker endpoint closed to everyone else.

use microwish_core::sync::{Change, MutationStatus, PullResponse, PushResponse};
use microwish_core::{
    ClaimId, ClaimView, ClientId, Household, HouseholdId, PublicWish, Role, WishId, WishKind,
};
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{assert_problem, spawn_demo_app, Session, TestApp};

fn new_household() -> Value {
    json!({
        "name": "钱阿婆",
        "address": "星怡花园9幢101室",
        "phone": "0513-8111 2222",
        "grid": "grid-1",
        "groups": ["elderly_alone"],
        "notes": "耳背,敲门要响",
        "consent_on": "2026-01-05",
        "minor": false,
    })
}

fn new_wish(household: HouseholdId, publish: bool) -> Value {
    json!({
        "household_id": household,
        "kind": "item",
        "title": "一个暖水袋",
        "description": "冬天脚冷",
        "category": "daily",
        "quantity": 1,
        "unit": "个",
        "alias": "钱婆婆",
        "publish": publish,
    })
}

async fn create_household(app: &TestApp, worker: &Session) -> Household {
    let response = app
        .post(Some(worker), "/api/households", new_household())
        .await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

async fn pull_as(app: &TestApp, session: &Session, client: ClientId) -> PullResponse {
    let response = app
        .get_as(
            session,
            &format!("/api/sync/pull?cursor=0&client_id={client}"),
        )
        .await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

async fn events_of(app: &TestApp, worker: &Session, household: HouseholdId) -> Vec<String> {
    let body: Value = app
        .get_as(worker, &format!("/api/households/{household}/events"))
        .await
        .json()
        .await
        .unwrap();
    body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| event["action"].as_str().unwrap().to_owned())
        .collect()
}

async fn book(app: &TestApp, volunteer: &Session, wish: WishId) -> reqwest::Response {
    let (start, end) = app.slot_tomorrow(60);
    app.claim(
        volunteer,
        wish,
        json!({"quantity": 1, "slot_start": start, "slot_end": end}),
    )
    .await
}

#[tokio::test]
async fn a_new_volunteer_is_refused_house_calls_and_sees_no_contact_until_approved() {
    let app = spawn_demo_app().await;
    let volunteer = app.register(Role::Volunteer).await;
    let secrets = app.household_secrets().await;
    let visit = app.house_call().await;
    assert_problem(
        book(&app, &volunteer, visit.id).await,
        403,
        "volunteer_not_approved",
    )
    .await;
    // Over sync push too, and nothing of any household reaches their phone.
    let client = ClientId::generate();
    let (start, end) = app.slot_tomorrow(60);
    let pushed: PushResponse = app
        .post(
            Some(&volunteer),
            "/api/sync/push",
            json!({"client_id": client, "mutations": [{"id": 1, "name": "claim_wish", "args": {
                "id": ClaimId::generate(), "wish_id": visit.id, "quantity": 1,
                "slot_start": start, "slot_end": end}}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(pushed.results[0].status, MutationStatus::Rejected);
    assert_eq!(
        pushed.results[0].code,
        Some(microwish_core::ProblemCode::VolunteerNotApproved)
    );
    let pulled = serde_json::to_string(&pull_as(&app, &volunteer, client).await).unwrap();
    let mine = app
        .get_as(&volunteer, "/api/me/claims")
        .await
        .text()
        .await
        .unwrap();
    for secret in &secrets {
        assert!(!pulled.contains(secret.as_str()) && !mine.contains(secret.as_str()));
    }
    let me: Value = app
        .get_as(&volunteer, "/api/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["volunteer_status"], "pending");

    // The worker meets them and approves them: now they may book, and see where to go.
    let worker = app.worker().await;
    let pending: Value = app
        .get_as(&worker, "/api/volunteers?status=pending")
        .await
        .json()
        .await
        .unwrap();
    assert!(pending["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|v| v["id"] == volunteer.me.id.to_string()));
    let approved: Value = app
        .post(
            Some(&worker),
            &format!("/api/volunteers/{}/approve", volunteer.me.id),
            json!({"note": "党员报到,已面谈"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["note"], "党员报到,已面谈");
    assert!(approved["vetted_at"].is_string());
    let response = book(&app, &volunteer, visit.id).await;
    assert_eq!(response.status(), 201);
    let claim: ClaimView = response.json().await.unwrap();
    let contact = claim
        .contact
        .expect("the address and phone of the house call");
    assert_eq!(contact.alias, visit.alias);
    assert!(contact.name.is_none(), "never the real name");
    let (name,): (String,) = app
        .db
        .fetch_one(
            "SELECT h.name FROM households h JOIN wishes w ON w.household_id = h.id WHERE w.id = ?",
            microwish_server::args![visit.id.to_string()],
        )
        .await
        .unwrap();
    let everything =
        serde_json::to_string(&pull_as(&app, &volunteer, ClientId::generate()).await).unwrap();
    assert!(everything.contains(&contact.address));
    assert!(
        !everything.contains(&name),
        "the real name never reaches the volunteer"
    );
    // The reveal is on the household's record.
    let household = app
        .db
        .fetch_one::<(String,)>(
            "SELECT household_id FROM wishes WHERE id = ?",
            microwish_server::args![visit.id.to_string()],
        )
        .await
        .unwrap()
        .0
        .parse()
        .unwrap();
    assert!(events_of(&app, &worker, household)
        .await
        .contains(&"reveal_contact".to_owned()));
}

#[tokio::test]
async fn a_suspended_volunteer_loses_the_booking_and_the_address_on_the_next_pull() {
    let app = spawn_demo_app().await;
    let volunteer = app.approved_volunteer().await;
    let visit = app.house_call().await;
    let claim: ClaimView = book(&app, &volunteer, visit.id).await.json().await.unwrap();
    let address = claim.contact.unwrap().address;
    let client = ClientId::generate();
    assert!(
        serde_json::to_string(&pull_as(&app, &volunteer, client).await)
            .unwrap()
            .contains(&address)
    );
    let worker = app.worker().await;
    assert_problem(
        app.post(
            Some(&worker),
            &format!("/api/volunteers/{}/suspend", volunteer.me.id),
            json!({"note": ""}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let response = app
        .post(
            Some(&worker),
            &format!("/api/volunteers/{}/suspend", volunteer.me.id),
            json!({"note": "多次未按约上门"}),
        )
        .await;
    assert_eq!(response.status(), 200);
    // Their session was read (and kept in memory) before; it says what is true now.
    let me: serde_json::Value = app
        .get_as(&volunteer, "/api/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["volunteer_status"], "suspended", "{me}");
    assert_eq!(me["volunteer_reason"], "多次未按约上门", "they read why");
    let after = pull_as(&app, &volunteer, client).await;
    let text = serde_json::to_string(&after).unwrap();
    assert!(
        !text.contains(&address),
        "the address left with the booking"
    );
    let released = after.changes.iter().find_map(|change| match change {
        Change::Claim {
            id,
            data: Some(data),
            ..
        } if *id == claim.id => Some(data.clone()),
        _ => None,
    });
    let released = released.expect("the booking is in the pull");
    assert_eq!(released.status, microwish_core::ClaimStatus::Released);
    assert_eq!(released.reject_reason.as_deref(), Some("多次未按约上门"));
    assert_eq!(app.wish(visit.id).await.remaining, 1, "back in the pool");
    assert_problem(
        book(&app, &volunteer, visit.id).await,
        403,
        "volunteer_not_approved",
    )
    .await;
}

#[tokio::test]
async fn a_volunteer_holds_at_most_three_house_calls_at_once() {
    let app = spawn_demo_app().await;
    let volunteer = app.approved_volunteer().await;
    let soonest = (app.clock.now() + chrono::Duration::days(3)).date_naive();
    let visits: Vec<PublicWish> = app
        .wishes("?kind=service&limit=200")
        .await
        .items
        .into_iter()
        .filter(|w| w.claimed == 0 && w.needed_by.is_some_and(|date| date >= soonest))
        .take(4)
        .collect();
    assert_eq!(visits.len(), 4);
    for visit in &visits[..3] {
        assert_eq!(book(&app, &volunteer, visit.id).await.status(), 201);
    }
    assert_problem(
        book(&app, &volunteer, visits[3].id).await,
        409,
        "too_many_house_calls",
    )
    .await;
}

#[tokio::test]
async fn a_worker_registers_a_household_and_posts_a_draft_then_publishes_it() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let household = create_household(&app, &worker).await;
    assert_eq!(household.name, "钱阿婆");
    assert_eq!(household.grid.as_str(), "grid-1");
    // Reading it is on its record.
    let read = app
        .get_as(&worker, &format!("/api/households/{}", household.id))
        .await;
    assert_eq!(read.status(), 200);
    let actions = events_of(&app, &worker, household.id).await;
    assert!(actions.contains(&"register".to_owned()));
    assert!(actions.contains(&"read_household".to_owned()));

    let response = app
        .post(Some(&worker), "/api/wishes", new_wish(household.id, false))
        .await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    let draft: PublicWish = response.json().await.unwrap();
    assert_eq!(draft.status, microwish_core::WishStatus::Draft);
    assert_eq!(draft.station, "第一网格驿站", "the household's own station");
    assert_problem(
        app.get(&format!("/api/wishes/{}", draft.id)).await,
        404,
        "not_found",
    )
    .await;
    // The alias may never be the real name.
    let mut named = new_wish(household.id, true);
    named["alias"] = json!("钱阿婆");
    let body = assert_problem(
        app.post(Some(&worker), "/api/wishes", named).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["code"], "reveals_name");

    // Without the household's consent the draft stays a draft.
    let withdraw = app
        .send(
            Some(&worker),
            Method::PATCH,
            &format!("/api/households/{}", household.id),
            json!({"consent_on": null}),
        )
        .await;
    assert_eq!(withdraw.status(), 200);
    assert_problem(
        app.send(
            Some(&worker),
            Method::PATCH,
            &format!("/api/wishes/{}", draft.id),
            json!({"publish": true}),
        )
        .await,
        409,
        "consent_missing",
    )
    .await;
    let consent = app
        .send(
            Some(&worker),
            Method::PATCH,
            &format!("/api/households/{}", household.id),
            json!({"consent_on": "2026-01-05"}),
        )
        .await;
    assert_eq!(consent.status(), 200);

    let published: PublicWish = app
        .send(
            Some(&worker),
            Method::PATCH,
            &format!("/api/wishes/{}", draft.id),
            json!({"publish": true, "quantity": 2}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(published.status, microwish_core::WishStatus::Open);
    assert_eq!(published.quantity, 2);
    assert_eq!(app.wish(draft.id).await.remaining, 2);
    let households: Value = app
        .get_as(&worker, "/api/households?q=钱阿婆")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(households["items"][0]["wishes"][0], draft.id.to_string());
}

#[tokio::test]
async fn a_wish_posted_offline_is_applied_once_however_often_it_is_sent() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let household_id = HouseholdId::generate();
    let wish_id = WishId::generate();
    let mut household = new_household();
    household["id"] = json!(household_id);
    let mut wish = new_wish(household_id, true);
    wish["id"] = json!(wish_id);
    let client = ClientId::generate();
    let batch = json!({"client_id": client, "mutations": [
        {"id": 1, "name": "create_household", "args": household},
        {"id": 2, "name": "create_wish", "args": wish},
    ]});
    for _ in 0..3 {
        let pushed: PushResponse = app
            .post(Some(&worker), "/api/sync/push", batch.clone())
            .await
            .json()
            .await
            .unwrap();
        assert!(
            pushed
                .results
                .iter()
                .all(|r| r.status == MutationStatus::Applied),
            "{pushed:?}"
        );
    }
    // The same creation under a new number (a second phone, a renumbered outbox): one wish.
    let again: PushResponse = app
        .post(
            Some(&worker),
            "/api/sync/push",
            json!({"client_id": client, "mutations": [{"id": 3, "name": "create_wish", "args": wish}]}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again.results[0].status, MutationStatus::Applied);
    let (count,): (i64,) = app
        .db
        .fetch_one(
            "SELECT COUNT(*) FROM wishes WHERE title = '一个暖水袋'",
            microwish_server::args![],
        )
        .await
        .unwrap();
    assert_eq!(count, 1);
    assert_eq!(app.wish(wish_id).await.alias, "钱婆婆");
    // The worker's pull brings the household; a donor's never does.
    let worker_pull = serde_json::to_string(&pull_as(&app, &worker, client).await).unwrap();
    assert!(worker_pull.contains("星怡花园9幢101室"));
    let donor = app.register(Role::Donor).await;
    let donor_pull =
        serde_json::to_string(&pull_as(&app, &donor, ClientId::generate()).await).unwrap();
    assert!(!donor_pull.contains("星怡花园9幢101室") && !donor_pull.contains("钱阿婆"));
}

#[tokio::test]
async fn cancelling_a_wish_tells_its_claimers_why() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let donor = app.register(Role::Donor).await;
    let wish = app.open_wish(WishKind::Item, 1).await;
    let claim = app.claim_ok(&donor, wish.id, 1).await;
    let cancelled: PublicWish = app
        .post(
            Some(&worker),
            &format!("/api/wishes/{}/cancel", wish.id),
            json!({"reason": "受助人已搬离本社区"}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cancelled.status, microwish_core::WishStatus::Cancelled);
    let mine: Value = app
        .get_as(&donor, "/api/me/claims")
        .await
        .json()
        .await
        .unwrap();
    let item = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == claim.id.to_string())
        .unwrap()
        .clone();
    assert_eq!(item["status"], "rejected");
    assert_eq!(item["reject_reason"], "受助人已搬离本社区");
}

#[tokio::test]
async fn a_house_call_is_done_only_once_it_began_and_thanks_reach_the_volunteer() {
    let app = spawn_demo_app().await;
    let volunteer = app.approved_volunteer().await;
    let worker = app.worker().await;
    let visit = app.house_call().await;
    let claim: ClaimView = book(&app, &volunteer, visit.id).await.json().await.unwrap();
    let body = assert_problem(
        app.act(Some(&volunteer), claim.id, "deliver").await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(body["errors"][0]["code"], "before_slot");
    app.clock
        .advance(chrono::Duration::days(1) + chrono::Duration::minutes(1));
    assert_eq!(
        app.act(Some(&volunteer), claim.id, "deliver")
            .await
            .status(),
        200
    );
    let me: Value = app
        .get_as(&volunteer, "/api/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        me["volunteer_minutes"], 0,
        "hours count only once confirmed"
    );
    let confirmed: ClaimView = app
        .post(
            Some(&worker),
            &format!("/api/claims/{}/confirm", claim.id),
            json!({"minutes": 75}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(confirmed.status, microwish_core::ClaimStatus::Confirmed);
    assert!(
        confirmed.claimer_phone.is_some(),
        "workers can call the claimer"
    );
    let me: Value = app
        .get_as(&volunteer, "/api/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["volunteer_minutes"], 75);
    let thanked = app
        .post(
            Some(&worker),
            &format!("/api/claims/{}/thanks", claim.id),
            json!({"text": "马奶奶说头发剪得真精神"}),
        )
        .await;
    assert_eq!(thanked.status(), 200);
    let mine: Value = app
        .get_as(&volunteer, "/api/me/claims")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(mine["items"][0]["thanks"], "马奶奶说头发剪得真精神");
    assert!(
        mine["items"][0]["claimer_phone"].is_null(),
        "for workers only"
    );
}

/// Every worker endpoint, with a body that would be wrong anyway: permission comes first.
fn worker_endpoints(
    household: HouseholdId,
    wish: WishId,
    claim: ClaimId,
    volunteer: &str,
) -> Vec<(Method, String)> {
    vec![
        (Method::GET, "/api/households".into()),
        (Method::POST, "/api/households".into()),
        (Method::GET, format!("/api/households/{household}")),
        (Method::PATCH, format!("/api/households/{household}")),
        (Method::GET, format!("/api/households/{household}/events")),
        (Method::POST, "/api/wishes".into()),
        (Method::PATCH, format!("/api/wishes/{wish}")),
        (Method::POST, format!("/api/wishes/{wish}/cancel")),
        (Method::GET, "/api/volunteers".into()),
        (Method::POST, format!("/api/volunteers/{volunteer}/approve")),
        (Method::POST, format!("/api/volunteers/{volunteer}/suspend")),
        (Method::GET, "/api/claims".into()),
        (Method::POST, format!("/api/claims/{claim}/confirm")),
        (Method::POST, format!("/api/claims/{claim}/reject")),
        (Method::POST, format!("/api/claims/{claim}/thanks")),
    ]
}

#[tokio::test]
async fn every_worker_endpoint_refuses_the_other_roles_and_other_communities() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let household = create_household(&app, &worker).await;
    let donor = app.register(Role::Donor).await;
    let wish = app.open_wish(WishKind::Item, 1).await;
    let claim = app.claim_ok(&donor, wish.id, 1).await;
    let volunteer = app.register(Role::Volunteer).await;
    let endpoints = worker_endpoints(
        household.id,
        wish.id,
        claim.id,
        &volunteer.me.id.to_string(),
    );
    let nonsense = json!({"surely": "not this"});
    let others = [
        app.register(Role::Donor).await,
        app.register(Role::Volunteer).await,
        app.register(Role::Shopkeeper).await,
    ];
    for (method, path) in &endpoints {
        assert_problem(
            app.send(None, method.clone(), path, nonsense.clone()).await,
            401,
            "not_logged_in",
        )
        .await;
        for other in &others {
            let response = app
                .send(Some(other), method.clone(), path, nonsense.clone())
                .await;
            assert_eq!(
                response.status(),
                403,
                "{method} {path} as {:?}",
                other.me.role
            );
        }
    }
    // A worker of another community finds none of this community's records.
    let outsider = app.other_worker().await;
    let cases = [
        (
            Method::GET,
            format!("/api/households/{}", household.id),
            json!({}),
        ),
        (
            Method::PATCH,
            format!("/api/households/{}", household.id),
            json!({"notes": "x"}),
        ),
        (
            Method::GET,
            format!("/api/households/{}/events", household.id),
            json!({}),
        ),
        (
            Method::PATCH,
            format!("/api/wishes/{}", wish.id),
            json!({"title": "别人的心愿"}),
        ),
        (
            Method::POST,
            format!("/api/wishes/{}/cancel", wish.id),
            json!({"reason": "不归我管"}),
        ),
        (
            Method::POST,
            format!("/api/claims/{}/confirm", claim.id),
            json!({}),
        ),
        (
            Method::POST,
            format!("/api/claims/{}/reject", claim.id),
            json!({"reason": "不归我管"}),
        ),
    ];
    for (method, path, body) in cases {
        let response = app.send(Some(&outsider), method.clone(), &path, body).await;
        assert_eq!(response.status(), 404, "{method} {path}");
    }
    let mut new = new_wish(household.id, true);
    new["title"] = json!("别人的住户");
    assert_eq!(
        app.post(Some(&outsider), "/api/wishes", new).await.status(),
        422,
        "not a household of their community"
    );
    let listed: Value = app
        .get_as(&outsider, "/api/households")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"], json!([]));
    let claims: Value = app
        .get_as(&outsider, "/api/claims")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(claims["items"], json!([]));
    let pulled =
        serde_json::to_string(&pull_as(&app, &outsider, ClientId::generate()).await).unwrap();
    assert!(
        !pulled.contains("星怡花园9幢101室"),
        "no household of another community"
    );
}

#[tokio::test]
async fn a_pending_volunteer_can_be_declined_with_a_reason_they_read() {
    let app = spawn_demo_app().await;
    let volunteer = app.register(Role::Volunteer).await;
    let me: Value = app
        .get_as(&volunteer, "/api/me")
        .await
        .json()
        .await
        .unwrap();
    assert!(me.get("volunteer_reason").is_none(), "{me}");
    let worker = app.worker().await;
    let response = app
        .post(
            Some(&worker),
            &format!("/api/volunteers/{}/suspend", volunteer.me.id),
            json!({"note": "请先带身份证到驿站当面登记"}),
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let me: Value = app
        .get_as(&volunteer, "/api/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(me["volunteer_status"], "suspended", "{me}");
    assert_eq!(me["volunteer_reason"], "请先带身份证到驿站当面登记", "{me}");
    let notices: Value = app
        .get_as(&volunteer, "/api/me/notices")
        .await
        .json()
        .await
        .unwrap();
    let kinds: Vec<&str> = notices["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|notice| notice["kind"].as_str())
        .collect();
    assert_eq!(kinds, ["volunteer_declined"], "declined, not suspended");
    // An approval's note is the worker's own record: the volunteer is not shown it.
    let approved = app.approved_volunteer().await;
    let me: Value = app.get_as(&approved, "/api/me").await.json().await.unwrap();
    assert!(me.get("volunteer_reason").is_none(), "{me}");
}
