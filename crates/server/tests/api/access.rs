//! The access matrix: every write endpoint × every kind of caller × own or foreign claim.
//! A refused call must change nothing.

use microwish_core::{Role, WishKind};
use serde_json::json;

use crate::helpers::{spawn_demo_app, spawn_demo_app_with, Session, TestApp};

#[derive(Clone, Copy, Debug, PartialEq)]
enum Caller {
    Anonymous,
    Owner,
    OtherDonor,
    Volunteer,
    Shopkeeper,
    Worker,
}

const CALLERS: [Caller; 6] = [
    Caller::Anonymous,
    Caller::Owner,
    Caller::OtherDonor,
    Caller::Volunteer,
    Caller::Shopkeeper,
    Caller::Worker,
];

struct Cast {
    owner: Session,
    other_donor: Session,
    volunteer: Session,
    shopkeeper: Session,
    worker: Session,
}

impl Cast {
    async fn new(app: &TestApp) -> Cast {
        Cast {
            owner: app.register(Role::Donor).await,
            other_donor: app.register(Role::Donor).await,
            volunteer: app.approved_volunteer().await,
            shopkeeper: app.register(Role::Shopkeeper).await,
            worker: app.worker().await,
        }
    }

    fn session(&self, caller: Caller) -> Option<&Session> {
        match caller {
            Caller::Anonymous => None,
            Caller::Owner => Some(&self.owner),
            Caller::OtherDonor => Some(&self.other_donor),
            Caller::Volunteer => Some(&self.volunteer),
            Caller::Shopkeeper => Some(&self.shopkeeper),
            Caller::Worker => Some(&self.worker),
        }
    }
}

#[tokio::test]
async fn who_may_claim_an_item() {
    let app = spawn_demo_app().await;
    let cast = Cast::new(&app).await;
    let wish = app.open_wish(WishKind::Item, 1).await;
    app.set_quantity(wish.id, 100).await;
    for (caller, expected) in [
        (Caller::Anonymous, 401),
        (Caller::Owner, 201),
        (Caller::OtherDonor, 201),
        (Caller::Volunteer, 201),
        (Caller::Shopkeeper, 403),
        (Caller::Worker, 403),
    ] {
        let response = app
            .post(
                cast.session(caller),
                &format!("/api/wishes/{}/claims", wish.id),
                json!({"quantity": 1}),
            )
            .await;
        assert_eq!(response.status(), expected, "{caller:?} claiming an item");
    }
    assert_eq!(app.wish(wish.id).await.claimed, 3);
}

#[tokio::test]
async fn claim_actions_by_every_caller_on_own_and_foreign_claims() {
    // The owner makes a claim for each caller and keeps the ones refused: more than a
    // donor's fair share at once.
    let app = spawn_demo_app_with(|config| config.policy.max_claim_units = 100).await;
    let cast = Cast::new(&app).await;
    let wish = app.open_wish(WishKind::Item, 1).await;
    app.set_quantity(wish.id, 200).await;

    // (action, caller) → expected status. "Owner" acts on their own claim; everyone else
    // on a claim that is not theirs.
    let expected = |action: &str, caller: Caller| -> u16 {
        match (action, caller) {
            (_, Caller::Anonymous) => 401,
            ("release" | "deliver", Caller::Owner) => 200,
            ("release" | "deliver", _) => 403,
            ("confirm" | "reject", Caller::Worker) => 200,
            ("confirm" | "reject", _) => 403,
            _ => unreachable!(),
        }
    };
    let mut checked = 0;
    for action in ["release", "deliver", "confirm", "reject"] {
        for caller in CALLERS {
            let claim = app.claim_ok(&cast.owner, wish.id, 1).await;
            let before = app.wish(wish.id).await;
            let response = app.act(cast.session(caller), claim.id, action).await;
            let want = expected(action, caller);
            assert_eq!(
                response.status(),
                want,
                "{caller:?} {action} on the owner's claim"
            );
            let after = app.wish(wish.id).await;
            if want != 200 {
                assert_eq!(
                    app.claim_status(claim.id).await,
                    "active",
                    "{caller:?} {action} changed the claim"
                );
                assert_eq!(
                    (after.claimed, after.delivered),
                    (before.claimed, before.delivered)
                );
                let body: serde_json::Value = response.json().await.unwrap();
                let code = body["code"].as_str().unwrap();
                assert!(
                    ["not_logged_in", "claim_not_yours", "forbidden"].contains(&code),
                    "{code}"
                );
            }
            checked += 1;
        }
    }
    assert_eq!(checked, 24);
}

#[tokio::test]
async fn reading_claims_is_private() {
    let app = spawn_demo_app().await;
    let cast = Cast::new(&app).await;
    let wish = app.open_wish(WishKind::Item, 1).await;
    let claim = app.claim_ok(&cast.owner, wish.id, 1).await;
    // Someone else's list does not hold the claim; only workers list all claims.
    let theirs: serde_json::Value = app
        .get_as(&cast.other_donor, "/api/me/claims")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(theirs["items"], json!([]));
    for caller in [
        Caller::Owner,
        Caller::OtherDonor,
        Caller::Volunteer,
        Caller::Shopkeeper,
    ] {
        let response = app
            .get_as(cast.session(caller).unwrap(), "/api/claims")
            .await;
        assert_eq!(response.status(), 403, "{caller:?}");
    }
    assert_eq!(app.get("/api/claims").await.status(), 401);
    let all: serde_json::Value = app
        .get_as(&cast.worker, "/api/claims")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(all["items"][0]["id"], claim.id.to_string());
    assert_eq!(
        all["items"][0]["claimer_name"],
        cast.owner.me.display_name.as_str()
    );
}

/// A request the owner filed: who may read it, add a note, accept it, start on it; a refused
/// call changes nothing.
#[tokio::test]
async fn request_steps_by_every_caller_on_anothers_request() {
    let app = spawn_demo_app().await;
    let cast = Cast::new(&app).await;
    let buildings = app.get_json("/api/buildings").await;
    let building = buildings["items"][0]["id"].clone();
    let filed = app
        .post(
            Some(&cast.owner),
            "/api/requests",
            json!({"category": "repair", "description": "楼道灯坏了", "building_id": building,
                   "urgency": "normal", "contact_ok": true}),
        )
        .await;
    assert_eq!(filed.status(), 201);
    let request: serde_json::Value = filed.json().await.unwrap();
    let id = request["id"].as_str().unwrap().to_owned();
    // (what, caller) → expected status: the requester and the workers see it; only workers
    // accept; nobody but a handler starts (there is none yet).
    let expected = |what: &str, caller: Caller| -> u16 {
        match (what, caller) {
            (_, Caller::Anonymous) => 401,
            ("read" | "notes", Caller::Owner | Caller::Worker) => 200,
            ("read" | "notes", _) => 404,
            ("accept", Caller::Worker) => 200,
            ("accept", _) => 403,
            ("start", Caller::Owner | Caller::Worker) => 403,
            ("start", _) => 404,
            _ => unreachable!(),
        }
    };
    for what in ["read", "notes", "start", "accept"] {
        for caller in CALLERS {
            let session = cast.session(caller);
            let before: (String,) = app
                .db
                .fetch_one(
                    "SELECT status FROM requests WHERE id = ?",
                    microwish_server::args![id],
                )
                .await
                .unwrap();
            let response = match what {
                "read" => match session {
                    Some(session) => app.get_as(session, &format!("/api/requests/{id}")).await,
                    None => app.get(&format!("/api/requests/{id}")).await,
                },
                "notes" => {
                    app.post(
                        session,
                        &format!("/api/requests/{id}/notes"),
                        json!({"text": "看到了"}),
                    )
                    .await
                }
                _ => {
                    app.post(session, &format!("/api/requests/{id}/{what}"), json!({}))
                        .await
                }
            };
            let want = expected(what, caller);
            assert_eq!(response.status(), want, "{caller:?} {what}");
            if want != 200 {
                let after: (String,) = app
                    .db
                    .fetch_one(
                        "SELECT status FROM requests WHERE id = ?",
                        microwish_server::args![id],
                    )
                    .await
                    .unwrap();
                assert_eq!(before, after, "{caller:?} {what} changed the request");
            }
        }
    }
}
