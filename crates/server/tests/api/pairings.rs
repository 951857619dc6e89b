//! Paired communities (结对帮扶, issue 28): a worker asks, the other community's worker answers,
//! either side ends it; while paired, a shop of either community pledges to the other, whose
//! workers allocate the goods. Each side sees only the other's name.

use microwish_core::pairing::{Pairing, PairingStatus};
use microwish_core::sync::{MutationStatus, PullResponse, PushResponse};
use microwish_core::{ClientId, Me, Page, PairingId, PledgeId, ProblemCode, PublicWish};
use serde_json::{json, Value};

use crate::helpers::{assert_problem, spawn_demo_app, spawn_demo_app_with, Session, TestApp};

async fn demo_shop(app: &TestApp) -> Session {
    app.login("13800000004", "xingyi-shop-2026").await
}

async fn pairings(app: &TestApp, worker: &Session) -> Vec<Pairing> {
    let response = app.get_as(worker, "/api/pairings").await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let page: Page<Pairing> = response.json().await.unwrap();
    page.items
}

async fn me(app: &TestApp, session: &Session) -> Me {
    app.get_as(session, "/api/me").await.json().await.unwrap()
}

async fn step(
    app: &TestApp,
    worker: &Session,
    pairing: PairingId,
    step: &str,
) -> reqwest::Response {
    app.post(
        Some(worker),
        &format!("/api/pairings/{pairing}/{step}"),
        json!({}),
    )
    .await
}

fn shoes_for(community: Value) -> Value {
    json!({"id": PledgeId::generate(), "title": "儿童棉鞋", "category": "clothing", "quantity": 6,
           "unit": "双", "community_id": community})
}

#[tokio::test]
async fn two_communities_pair_when_the_asked_one_agrees_and_either_ends_it() {
    let app = spawn_demo_app().await;
    let xingyi = app.worker().await;
    let far = app.other_worker().await;
    let third = app.other_worker().await;
    let shop = demo_shop(&app).await;
    let far_id = far.me.community.unwrap();

    // Only workers pair communities.
    let by_shop = app
        .post(
            Some(&shop),
            "/api/pairings",
            json!({"community_id": far_id}),
        )
        .await;
    assert_problem(by_shop, 403, "forbidden").await;
    // Not with itself, not with a community that does not exist.
    let itself = app
        .post(
            Some(&xingyi),
            "/api/pairings",
            json!({"community_id": xingyi.me.community}),
        )
        .await;
    let body = assert_problem(itself, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["code"], "invalid", "{body}");
    let nowhere = app
        .post(
            Some(&xingyi),
            "/api/pairings",
            json!({"community_id": microwish_core::CommunityId::generate()}),
        )
        .await;
    let body = assert_problem(nowhere, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["code"], "unknown", "{body}");

    // 星怡 asks; a retry answers the same question, a second one is refused.
    let id = PairingId::generate();
    let ask = json!({"id": id, "community_id": far_id});
    let asked = app.post(Some(&xingyi), "/api/pairings", ask.clone()).await;
    assert_eq!(asked.status(), 201, "{}", asked.text().await.unwrap());
    let asked: Pairing = asked.json().await.unwrap();
    assert_eq!(asked.status, PairingStatus::Proposed);
    assert_eq!(asked.proposer.id, xingyi.me.community.unwrap());
    assert_eq!(asked.partner.id, far_id);
    assert_eq!(asked.proposer.name, "星怡社区");
    let retried = app.post(Some(&xingyi), "/api/pairings", ask).await;
    assert_eq!(retried.status(), 200);
    let again = app
        .post(
            Some(&far),
            "/api/pairings",
            json!({"community_id": xingyi.me.community}),
        )
        .await;
    let body = assert_problem(again, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["code"], "duplicate", "{body}");

    // Both sides see it; a third community does not, and cannot touch it.
    assert_eq!(pairings(&app, &xingyi).await, vec![asked.clone()]);
    assert_eq!(pairings(&app, &far).await, vec![asked.clone()]);
    assert!(pairings(&app, &third).await.is_empty());
    assert_problem(step(&app, &third, id, "accept").await, 404, "not_found").await;
    // The asking side cannot answer its own question.
    assert_problem(step(&app, &xingyi, id, "accept").await, 403, "forbidden").await;
    // Before the answer, a shop of 星怡 may not pledge there.
    assert!(me(&app, &shop).await.partner_communities.is_empty());
    let early = app
        .post(Some(&shop), "/api/pledges", shoes_for(json!(far_id)))
        .await;
    let body = assert_problem(early, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "community_id", "{body}");
    assert_eq!(body["errors"][0]["code"], "not_paired", "{body}");

    // The shop's phone, synced before the answer …
    let client = ClientId::generate();
    let pull = |cursor: u64| format!("/api/sync/pull?cursor={cursor}&client_id={client}");
    let before: PullResponse = app.get_as(&shop, &pull(0)).await.json().await.unwrap();
    let accepted = step(&app, &far, id, "accept").await;
    assert_eq!(accepted.status(), 200);
    let accepted: Pairing = accepted.json().await.unwrap();
    assert_eq!(accepted.status, PairingStatus::Active);
    assert_problem(step(&app, &far, id, "accept").await, 409, "invalid_state").await;
    // … has something to pull at once (it is poked), and learns where it may pledge now.
    let after: PullResponse = app
        .get_as(&shop, &pull(before.cursor))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        !after.changes.is_empty(),
        "nothing to pull after the pairing"
    );
    assert_eq!(after.me.unwrap().partner_communities, vec![far_id]);
    assert_eq!(
        me(&app, &shop).await.partner_communities,
        vec![far_id],
        "the shop's phone learns where it may pledge"
    );
    let pledged = app
        .post(Some(&shop), "/api/pledges", shoes_for(json!(far_id)))
        .await;
    assert_eq!(pledged.status(), 201, "{}", pledged.text().await.unwrap());

    // Either side ends it; then the shop pledges there no more (what it gave stays).
    let ended = step(&app, &xingyi, id, "end").await;
    assert_eq!(ended.status(), 200);
    assert!(me(&app, &shop).await.partner_communities.is_empty());
    let late = app
        .post(Some(&shop), "/api/pledges", shoes_for(json!(far_id)))
        .await;
    assert_problem(late, 422, "validation_failed").await;
    assert_problem(step(&app, &far, id, "decline").await, 409, "invalid_state").await;
    // Once ended, they may ask again; the asked side may decline.
    let anew = app
        .post(
            Some(&far),
            "/api/pairings",
            json!({"community_id": xingyi.me.community}),
        )
        .await;
    assert_eq!(anew.status(), 201);
    let anew: Pairing = anew.json().await.unwrap();
    let declined = step(&app, &xingyi, anew.id, "decline").await;
    assert_eq!(declined.status(), 200);
    let seen = pairings(&app, &xingyi).await;
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].status, PairingStatus::Declined);
    assert_eq!(seen[1].status, PairingStatus::Ended);
}

#[tokio::test]
async fn the_demo_shop_gives_shoes_to_its_paired_village_whose_worker_allocates_them() {
    let app = spawn_demo_app_with(|config| config.demo_pairing = true).await;
    let (_, phone, _, password) = microwish_server::demo::PARTNER_LOGIN;
    let village = app.login(phone, password).await;
    let xingyi = app.worker().await;
    let shop = demo_shop(&app).await;
    let village_id = village.me.community.unwrap();

    let seen = pairings(&app, &village).await;
    assert_eq!(seen.len(), 1);
    assert_eq!(seen[0].status, PairingStatus::Active);
    assert_eq!(seen[0].other_side(village_id).name, "星怡社区");
    assert_eq!(shop.me.partner_communities, vec![village_id]);

    // The village's wishes for shoes are public, like every wish.
    let wishes: Page<PublicWish> = app.get("/api/wishes?q=鞋").await.json().await.unwrap();
    let theirs: Vec<&PublicWish> = wishes
        .items
        .iter()
        .filter(|wish| wish.grid.as_str() == "juyuan-1")
        .collect();
    assert_eq!(theirs.len(), 2, "{:?}", wishes.items);

    // The shop pledges to the village; only the village's workers give it out.
    let pledge = shoes_for(json!(village_id));
    let pledged = app.post(Some(&shop), "/api/pledges", pledge.clone()).await;
    assert_eq!(pledged.status(), 201, "{}", pledged.text().await.unwrap());
    let allocation = json!({"wish_id": theirs[0].id, "quantity": 1});
    let path = format!(
        "/api/pledges/{}/allocations",
        pledge["id"].as_str().unwrap()
    );
    let by_xingyi = app.post(Some(&xingyi), &path, allocation.clone()).await;
    assert_problem(by_xingyi, 404, "not_found").await;
    let allocated = app.post(Some(&village), &path, allocation).await;
    assert_eq!(
        allocated.status(),
        201,
        "{}",
        allocated.text().await.unwrap()
    );
    // The shop sees where its pair went: the wish's title and alias, nothing private.
    let mine = app
        .get_json_as(
            &shop,
            &format!("/api/pledges/{}", pledge["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(
        mine["allocations"][0]["alias"],
        theirs[0].alias.as_str(),
        "{mine}"
    );
    let text = mine.to_string();
    for private in ["杨小军", "何小梅", "桔园村3组"] {
        assert!(!text.contains(private), "{private} in {text}");
    }

    // An offline pledge to a community not paired is refused when it syncs, with the same
    // field error.
    let stranger = app.other_worker().await;
    let pushed = app
        .post(
            Some(&shop),
            "/api/sync/push",
            json!({"client_id": ClientId::generate(), "mutations": [{"id": 1,
                   "name": "create_pledge", "args": shoes_for(json!(stranger.me.community))}]}),
        )
        .await;
    assert_eq!(pushed.status(), 200);
    let pushed: PushResponse = pushed.json().await.unwrap();
    assert_eq!(pushed.results[0].status, MutationStatus::Rejected);
    assert_eq!(pushed.results[0].code, Some(ProblemCode::ValidationFailed));
}
