//! What is public of a household: no name, address or phone in public text (422 with a field
//! error), wishes published only with consent (a child's guardian's too: 409
//! `consent_missing`), a withdrawn consent takes its wishes down and ends their claims, every
//! worker's read of a real name on a claim is on the household's record, and item claims
//! carry no home contact.

use microwish_core::{ClaimView, Household, HouseholdId, Page, PublicWish, Role, WishId, WishKind};
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{assert_problem, spawn_demo_app, Session, TestApp};

fn household(minor: bool, guardian: Option<&str>) -> Value {
    json!({
        "name": "孙秀英",
        "address": "星怡花园12幢301室",
        "phone": "13962811234",
        "grid": "grid-1",
        "groups": ["elderly_alone"],
        "consent_on": "2026-01-05",
        "guardian_consent_on": guardian,
        "minor": minor,
    })
}

fn wish(household: HouseholdId, description: &str, publish: bool) -> Value {
    json!({
        "household_id": household,
        "kind": "item",
        "title": "一床棉被",
        "description": description,
        "category": "daily",
        "quantity": 2,
        "unit": "床",
        "alias": "孙奶奶",
        "publish": publish,
    })
}

async fn register(app: &TestApp, worker: &Session, body: Value) -> Household {
    let response = app.post(Some(worker), "/api/households", body).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

async fn patch_household(
    app: &TestApp,
    worker: &Session,
    id: HouseholdId,
    body: Value,
) -> Household {
    let response = app
        .send(
            Some(worker),
            Method::PATCH,
            &format!("/api/households/{id}"),
            body,
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

fn codes(problem: &Value) -> Vec<(String, String)> {
    problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| {
            (
                error["field"].as_str().unwrap().to_owned(),
                error["code"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn public_text_with_a_phone_an_address_or_the_name_is_refused_field_by_field() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let home = register(&app, &worker, household(false, None)).await;
    let problem = assert_problem(
        app.post(
            Some(&worker),
            "/api/wishes",
            wish(home.id, "有事请打 139-6281-1234", true),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        codes(&problem),
        [("description".to_owned(), "reveals_phone".to_owned())]
    );
    let mut named = wish(home.id, "秀英奶奶住12幢301室", true);
    named["title"] = json!("孙秀英要棉被");
    let problem = assert_problem(
        app.post(Some(&worker), "/api/wishes", named).await,
        422,
        "validation_failed",
    )
    .await;
    let found = codes(&problem);
    for expected in [
        ("title", "reveals_name"),
        ("description", "reveals_name"),
        ("description", "reveals_address"),
    ] {
        assert!(
            found.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?} in {found:?}"
        );
    }
    // Prices, dates and sizes are no phones.
    let fine = app
        .post(
            Some(&worker),
            "/api/wishes",
            wish(home.id, "1.8米的床, 约299元, 2026-12-20前", true),
        )
        .await;
    assert_eq!(fine.status(), 201, "{}", fine.text().await.unwrap());
    // A campaign's text too.
    let problem = assert_problem(
        app.post(
            Some(&worker),
            "/api/campaigns",
            json!({"title": "冬日送暖", "description": "报名电话 0513-85551234", "goal": 10,
                   "starts_on": "2026-12-01", "ends_on": "2026-12-31"}),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        codes(&problem),
        [("description".to_owned(), "reveals_phone".to_owned())]
    );
}

#[tokio::test]
async fn a_wish_is_published_only_with_consent_and_a_childs_guardians() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let mut body = household(false, None);
    body["consent_on"] = json!(null);
    let home = register(&app, &worker, body).await;
    assert_problem(
        app.post(Some(&worker), "/api/wishes", wish(home.id, "", true))
            .await,
        409,
        "consent_missing",
    )
    .await;

    let child = register(&app, &worker, household(true, None)).await;
    assert_eq!(child.guardian_consent_on, None);
    assert_problem(
        app.post(Some(&worker), "/api/wishes", wish(child.id, "", true))
            .await,
        409,
        "consent_missing",
    )
    .await;
    let draft = app
        .post(Some(&worker), "/api/wishes", wish(child.id, "", false))
        .await;
    assert_eq!(draft.status(), 201, "a draft may wait for the consent");
    let draft: PublicWish = draft.json().await.unwrap();
    let child = patch_household(
        &app,
        &worker,
        child.id,
        json!({"guardian_consent_on": "2026-01-06"}),
    )
    .await;
    assert_eq!(
        child.guardian_consent_on,
        chrono::NaiveDate::from_ymd_opt(2026, 1, 6)
    );
    let published = app
        .send(
            Some(&worker),
            Method::PATCH,
            &format!("/api/wishes/{}", draft.id),
            json!({"publish": true}),
        )
        .await;
    assert_eq!(
        published.status(),
        200,
        "{}",
        published.text().await.unwrap()
    );
    // The export carries the guardian's consent.
    let csv = app
        .get_as(&worker, "/api/export/households.csv")
        .await
        .text()
        .await
        .unwrap();
    assert!(csv.contains("guardian_consent_on") && csv.contains("2026-01-06"));
}

#[tokio::test]
async fn withdrawing_consent_takes_the_wishes_down_and_ends_their_claims_with_a_reason() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let home = register(&app, &worker, household(false, None)).await;
    let response = app
        .post(Some(&worker), "/api/wishes", wish(home.id, "", true))
        .await;
    assert_eq!(response.status(), 201);
    let wish: PublicWish = response.json().await.unwrap();
    let donor = app.register(Role::Donor).await;
    let claim = app.claim_ok(&donor, wish.id, 1).await;

    patch_household(&app, &worker, home.id, json!({"consent_on": null})).await;
    assert_eq!(
        app.get(&format!("/api/wishes/{}", wish.id)).await.status(),
        404
    );
    assert_eq!(app.claim_status(claim.id).await, "rejected");
    let mine: Page<ClaimView> = app
        .get_as(&donor, "/api/me/claims")
        .await
        .json()
        .await
        .unwrap();
    let ended = mine.items.iter().find(|c| c.id == claim.id).unwrap();
    assert!(
        ended
            .reject_reason
            .as_deref()
            .is_some_and(|reason| reason.contains("撤回")),
        "{ended:?}"
    );
    let notices = app.get_json_as(&donor, "/api/me/notices").await;
    assert!(
        notices["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|notice| notice["kind"] == "wish_withdrawn"),
        "{notices}"
    );
    // Consent given again: the worker publishes it again, its units all free.
    patch_household(&app, &worker, home.id, json!({"consent_on": "2026-01-07"})).await;
    let again = app
        .send(
            Some(&worker),
            Method::PATCH,
            &format!("/api/wishes/{}", wish.id),
            json!({"publish": true}),
        )
        .await;
    assert_eq!(again.status(), 200);
    assert_eq!(app.wish(wish.id).await.remaining, 2);
}

async fn reads_of(app: &TestApp, household: &str) -> i64 {
    let (count,): (i64,) = app
        .db
        .fetch_one(
            "SELECT COUNT(*) FROM events WHERE action = 'read_household' AND entity_id = ?",
            microwish_server::args![household],
        )
        .await
        .unwrap();
    count
}

async fn household_of(app: &TestApp, wish: WishId) -> String {
    let (household,): (String,) = app
        .db
        .fetch_one(
            "SELECT household_id FROM wishes WHERE id = ?",
            microwish_server::args![wish.to_string()],
        )
        .await
        .unwrap();
    household
}

#[tokio::test]
async fn a_workers_read_of_a_real_name_on_a_claim_is_logged_and_items_carry_no_contact() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let visit = app.house_call().await;
    let volunteer = app.approved_volunteer().await;
    let (start, end) = app.slot_tomorrow(60);
    let booked = app
        .claim(
            &volunteer,
            visit.id,
            json!({"quantity": 1, "slot_start": start, "slot_end": end}),
        )
        .await;
    assert_eq!(booked.status(), 201, "{}", booked.text().await.unwrap());
    let household = household_of(&app, visit.id).await;

    // The volunteer's own view (alias, never the name) is no read of a real name.
    let before = reads_of(&app, &household).await;
    app.get_as(&volunteer, "/api/me/claims").await;
    assert_eq!(reads_of(&app, &household).await, before);

    let all: Page<ClaimView> = app
        .get_as(&worker, "/api/claims?status=active")
        .await
        .json()
        .await
        .unwrap();
    let call = all
        .items
        .iter()
        .find(|claim| claim.wish_id == visit.id)
        .expect("the house call");
    assert!(call.contact.as_ref().is_some_and(|c| c.name.is_some()));
    assert_eq!(
        reads_of(&app, &household).await,
        before + 1,
        "the worker's read of the name is on the household's record"
    );

    // An item goes to the grid station: no home contact, for its donor nor for workers.
    let item = app.open_wish(WishKind::Item, 1).await;
    let donor = app.register(Role::Donor).await;
    let claim = app.claim_ok(&donor, item.id, 1).await;
    assert!(claim.contact.is_none());
    let all: Value = app.get_json_as(&worker, "/api/claims?status=active").await;
    let seen = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == json!(claim.id))
        .expect("the item claim")
        .clone();
    assert!(seen["contact"].is_null(), "{seen}");
    let secrets = app.household_secrets().await;
    let text = seen.to_string();
    assert!(
        !secrets.iter().any(|secret| text.contains(secret.as_str())),
        "{text}"
    );
}
