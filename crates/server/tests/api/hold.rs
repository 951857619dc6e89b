//! The hold timer: an active claim past its `hold_until` expires and its units return.

use chrono::{Duration, SubsecRound};
use microwish_core::{Role, WishKind};
use microwish_server::apply::expire_due_claims;

use crate::helpers::{assert_poked, spawn_demo_app, spawn_demo_app_with, POKE_WAIT};

#[tokio::test]
async fn stalled_item_claims_expire_after_their_hold() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    let wish = app.open_wish(WishKind::Item, 2).await;
    let stalled = app.claim_ok(&donor, wish.id, 1).await;
    let delivered = app.claim_ok(&donor, wish.id, 1).await;
    app.act(Some(&donor), delivered.id, "deliver").await;

    app.clock.advance(Duration::days(6));
    assert_eq!(expire_due_claims(&app.state).await.unwrap(), 0);
    assert_eq!(app.claim_status(stalled.id).await, "active");

    app.clock.advance(Duration::days(1) + Duration::seconds(1));
    assert_eq!(expire_due_claims(&app.state).await.unwrap(), 1);
    assert_eq!(app.claim_status(stalled.id).await, "expired");
    assert_eq!(
        app.claim_status(delivered.id).await,
        "delivered",
        "delivered claims do not expire"
    );
    assert_eq!(app.wish(wish.id).await.claimed, 1);

    let events: serde_json::Value = app
        .get_json(&format!("/api/wishes/{}/events", wish.id))
        .await;
    let expiry = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "expire")
        .expect("an expire event");
    assert_eq!(expiry["from_status"], "active");
    assert_eq!(expiry["to_status"], "expired");
    assert!(expiry["actor_role"].is_null(), "the system expired it");
    // Nothing left to expire.
    assert_eq!(expire_due_claims(&app.state).await.unwrap(), 0);
}

/// Times compare to the microsecond: a hold ending 300 ms from now has not ended, also when
/// those 300 ms cross a whole second.
#[tokio::test]
async fn a_hold_ending_300_ms_from_now_has_not_ended() {
    let app = spawn_demo_app().await;
    // The claim is made on a whole second, so its hold ends on one too.
    let now = app.clock.now();
    app.clock
        .advance(now.trunc_subsecs(0) + Duration::seconds(1) - now);
    let donor = app.register(Role::Donor).await;
    let wish = app.open_wish(WishKind::Item, 1).await;
    let claim = app.claim_ok(&donor, wish.id, 1).await;
    assert_eq!(claim.hold_until, claim.hold_until.trunc_subsecs(0));

    app.clock
        .advance(claim.hold_until - app.clock.now() - Duration::milliseconds(300));
    assert_eq!(expire_due_claims(&app.state).await.unwrap(), 0);
    assert_eq!(app.claim_status(claim.id).await, "active");
    app.clock.advance(Duration::milliseconds(299));
    assert_eq!(expire_due_claims(&app.state).await.unwrap(), 0);
    assert_eq!(app.claim_status(claim.id).await, "active");

    app.clock.advance(Duration::milliseconds(1));
    assert_eq!(app.clock.now(), claim.hold_until);
    assert_eq!(expire_due_claims(&app.state).await.unwrap(), 1);
    assert_eq!(app.claim_status(claim.id).await, "expired");
}

#[tokio::test]
async fn the_background_timer_releases_stalled_claims_by_itself() {
    let app = spawn_demo_app_with(|config| {
        config.expiry_interval = std::time::Duration::from_millis(50);
        config.policy.hold.item = Duration::days(2);
    })
    .await;
    let donor = app.register(Role::Donor).await;
    let wish = app.open_wish(WishKind::Item, 1).await;
    let claim = app.claim_ok(&donor, wish.id, 1).await;
    assert_eq!(
        claim.hold_until,
        claim.created_at + Duration::days(2),
        "the configured hold"
    );
    app.clock.advance(Duration::days(3));
    for _ in 0..100 {
        if app.claim_status(claim.id).await == "expired" {
            assert_eq!(app.wish(wish.id).await.remaining, wish.remaining);
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    panic!("the claim did not expire within 2 s");
}

/// An expiry is followed like any command (`AppState::after_commit`): listening phones are
/// poked at once (the database watch, which would poke them later, is slowed to a minute here).
#[tokio::test]
async fn an_expiry_pokes_listening_phones_at_once() {
    let app = spawn_demo_app_with(|config| {
        config.watch_interval = std::time::Duration::from_secs(60);
    })
    .await;
    let donor = app.register(Role::Donor).await;
    let wish = app.open_wish(WishKind::Item, 1).await;
    app.claim_ok(&donor, wish.id, 1).await;
    app.clock.advance(Duration::days(8));
    // The claim is announced (to nobody) before the phone listens.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let mut stream = app.get("/api/events").await;
    assert_eq!(expire_due_claims(&app.state).await.unwrap(), 1);
    assert_poked(&mut stream, POKE_WAIT).await;
}

/// Every server process runs the hold timer; on one database they never expire a claim twice
/// nor return its units twice.
#[tokio::test]
async fn two_servers_timers_expire_each_stalled_claim_once() {
    let app = spawn_demo_app().await;
    let (_, twin) = crate::helpers::spawn_twin_with_state(&app).await;
    let donor = app.register(Role::Donor).await;
    let mut claims = Vec::new();
    for _ in 0..6 {
        let wish = app.open_wish(WishKind::Item, 1).await;
        claims.push((wish.id, app.claim_ok(&donor, wish.id, 1).await.id));
    }
    app.clock.advance(Duration::days(8));
    let (here, there) = tokio::join!(expire_due_claims(&app.state), expire_due_claims(&twin));
    assert_eq!(here.unwrap() + there.unwrap(), claims.len());
    for (wish, claim) in claims {
        assert_eq!(app.claim_status(claim).await, "expired");
        assert_eq!(app.wish(wish).await.claimed, 0, "its unit returned once");
        let (expiries,): (i64,) = app
            .db
            .fetch_one(
                "SELECT COUNT(*) FROM events WHERE entity_id = ? AND action = 'expire'",
                microwish_server::args![claim.to_string()],
            )
            .await
            .unwrap();
        assert_eq!(expiries, 1);
    }
}
