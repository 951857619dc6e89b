//! Bounded costs (issue 23, item 7): what a stranger (or a script) can make the server do is
//! bounded: hashes for clients that hung up, anonymous snapshots, stored push results, pushes.

use std::time::Duration;

use microwish_core::sync::{MutationStatus, PullResponse, PushResponse, KEPT_MUTATIONS};
use microwish_core::{ClaimId, ClientId, ProblemCode, Role, WishId, WishKind};
use serde_json::{json, Value};

use crate::helpers::{assert_problem, spawn_demo_app, spawn_demo_app_with, Session, TestApp};

async fn push(
    app: &TestApp,
    session: &Session,
    client: ClientId,
    mutations: Value,
) -> reqwest::Response {
    app.post(
        Some(session),
        "/api/sync/push",
        json!({"client_id": client, "mutations": mutations}),
    )
    .await
}

async fn push_ok(
    app: &TestApp,
    session: &Session,
    client: ClientId,
    mutations: Value,
) -> PushResponse {
    let response = push(app, session, client, mutations).await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn claim_mutation(id: u64, wish: WishId, quantity: u32) -> Value {
    json!({"id": id, "name": "claim_wish", "args": {"id": ClaimId::generate(), "wish_id": wish, "quantity": quantity}})
}

/// Mutations `from..from + count` that core cannot read (each rejected, cheaply).
fn unreadable(from: u64, count: u64) -> Value {
    (from..from + count)
        .map(|id| json!({"id": id, "name": "launch_rocket", "args": {"n": id}}))
        .collect()
}

/// The audit's hang-ups: logins whose clients hang up while they wait for a hashing turn are
/// not hashed (counted in hashes, not in wall-clock time), and the next real login is
/// answered after at most the hash that was under way.
#[tokio::test]
async fn logins_whose_clients_hung_up_are_not_hashed() {
    let app = spawn_demo_app_with(|config| {
        config.hashing = (1, Duration::from_secs(30));
    })
    .await;
    let pool = app.state.hashing.clone();
    // The demo's accounts were hashed at start.
    let seeded = pool.ran();
    // The one hashing thread is busy (a hash under way) while the logins arrive.
    let (release, held) = std::sync::mpsc::channel::<()>();
    let busy = {
        let pool = pool.clone();
        tokio::spawn(async move { pool.run(move || held.recv().is_ok()).await })
    };
    tokio::time::sleep(Duration::from_millis(20)).await;
    let hasty = reqwest::Client::builder()
        .timeout(Duration::from_millis(150))
        .build()
        .unwrap();
    // As many as may wait (32 per hashing thread); more would be told 503 at once.
    let hung_up: Vec<_> = (0..30)
        .map(|n| {
            let request = hasty
                .post(app.url("/api/auth/login"))
                .json(&json!({"phone": format!("1390000{n:04}"), "password": "not-the-password"}));
            tokio::spawn(async move { request.send().await })
        })
        .collect();
    for request in hung_up {
        assert!(request.await.unwrap().is_err(), "the client hung up");
    }
    // The server sees the hang-ups (a dropped request leaves its wait at once).
    tokio::time::sleep(Duration::from_millis(100)).await;
    release.send(()).unwrap();
    assert!(busy.await.unwrap().unwrap());
    assert_eq!(pool.ran(), seeded + 1, "only the hash under way");
    app.worker().await;
    // The real login was the next hash: none of the 30 was hashed, nor skipped in its way.
    assert_eq!(pool.ran(), seeded + 2, "the real login's hash came next");
    // Their turns are all back: the pool hashes at once again.
    for _ in 0..3 {
        app.worker().await;
    }
    assert_eq!(pool.ran(), seeded + 5);
}

/// The anonymous snapshot is built once per version however many ask, equals, byte for byte,
/// what the pull builds afresh, and is built again after a change.
#[tokio::test]
async fn the_anonymous_snapshot_is_built_once_per_version_and_equals_a_fresh_pull() {
    let app = spawn_demo_app().await;
    let snapshot = |client: ClientId| {
        let request = app
            .client
            .get(app.url(&format!("/api/sync/pull?cursor=0&client_id={client}")));
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 200);
            assert_eq!(response.headers()["content-type"], "application/json");
            response.bytes().await.unwrap()
        }
    };
    // The server's own start-up work (the hold timer's first round) settles first.
    snapshot(ClientId::generate()).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    snapshot(ClientId::generate()).await;
    let builds = app.state.snapshots.builds();
    let answers =
        futures_util::future::join_all((0..16).map(|_| snapshot(ClientId::generate()))).await;
    assert_eq!(
        app.state.snapshots.builds(),
        builds,
        "16 visitors, no new build"
    );
    let fresh = microwish_server::sync::pull::uncached(&app.state, None, 0, ClientId::generate())
        .await
        .unwrap();
    let fresh = serde_json::to_vec(&fresh).unwrap();
    for answer in &answers {
        assert_eq!(answer.as_ref(), fresh.as_slice());
    }
    let first: PullResponse = serde_json::from_slice(&answers[0]).unwrap();
    assert!(first.reset && !first.changes.is_empty());

    // A change: the next snapshot is built anew, and equals a fresh pull again.
    let donor = app.register(Role::Donor).await;
    let wish = app.open_wish(WishKind::Item, 3).await;
    app.claim_ok(&donor, wish.id, 1).await;
    let again = snapshot(ClientId::generate()).await;
    assert_eq!(app.state.snapshots.builds(), builds + 1);
    let fresh = microwish_server::sync::pull::uncached(&app.state, None, 0, ClientId::generate())
        .await
        .unwrap();
    assert_eq!(
        again.as_ref(),
        serde_json::to_vec(&fresh).unwrap().as_slice()
    );
    assert_ne!(again, answers[0]);
    // A visitor's pull from a cursor of its own is not the snapshot (built as before).
    let cursor = first.cursor;
    let path = format!(
        "/api/sync/pull?cursor={cursor}&client_id={}",
        ClientId::generate()
    );
    let next: PullResponse = serde_json::from_value(app.get_json(&path).await).unwrap();
    assert!(!next.reset);
    assert_eq!(app.state.snapshots.builds(), builds + 1);
}

/// Visitors' snapshots are counted per address: a script asking again and again is told to
/// come back (429 with `Retry-After`); a signed-in pull is not counted.
#[tokio::test]
async fn anonymous_snapshots_are_rate_limited_per_address() {
    let app = spawn_demo_app_with(|config| {
        config.snapshot_rate = microwish_server::store::limits::Rate {
            interval_ms: 60_000,
            burst: 5,
        };
    })
    .await;
    let path = || format!("/api/sync/pull?cursor=0&client_id={}", ClientId::generate());
    for _ in 0..5 {
        assert_eq!(app.get(&path()).await.status(), 200);
    }
    let refused = app.get(&path()).await;
    assert!(refused.headers().contains_key("retry-after"));
    assert_problem(refused, 429, "too_many_attempts").await;
    // A phone with a session pulls as before.
    let donor = app.register(Role::Donor).await;
    assert_eq!(app.get_as(&donor, &path()).await.status(), 200);
}

/// A stored push result: id, status, code, message, fingerprint.
type StoredResult = (i64, String, Option<String>, Option<String>, String);

/// The stored results a phone has acknowledged (its next push starts above them) keep only
/// what a replay needs: the message goes, the fingerprint is a digest, never the command. A
/// replay still answers the same and applies nothing; another command under the same number
/// is still refused.
#[tokio::test]
async fn acknowledged_results_keep_only_what_a_replay_needs() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    let client = ClientId::generate();
    let wish = app.open_wish(WishKind::Item, 3).await;
    let first = claim_mutation(1, wish.id, 1);
    let second = json!({"id": 2, "name": "launch_rocket", "args": {"payload": "x".repeat(2_000)}});
    let answered = push_ok(&app, &donor, client, json!([first.clone(), second.clone()])).await;
    assert_eq!(answered.results[0].status, MutationStatus::Applied);
    assert_eq!(answered.results[1].code, Some(ProblemCode::InvalidMutation));
    let stored = || async {
        let rows: Vec<StoredResult> = app
            .db
            .fetch_all(
                "SELECT mutation_id, status, code, message, fingerprint FROM sync_results \
                 WHERE client_id = ? ORDER BY mutation_id",
                microwish_server::args![client.to_string()],
            )
            .await
            .unwrap();
        rows
    };
    // Never the command's JSON, even before it is acknowledged.
    let before = stored().await;
    assert!(
        before[0].4.starts_with("sha256:") && before[0].4.len() == 71,
        "{:?}",
        before[0]
    );
    assert!(
        before[1].3.is_some(),
        "the rejection is explained until acknowledged"
    );

    // The next push starts at 3: 1 and 2 are acknowledged.
    push_ok(&app, &donor, client, json!([claim_mutation(3, wish.id, 1)])).await;
    let after = stored().await;
    assert_eq!(after[0].1, "applied");
    assert_eq!(
        (after[1].1.as_str(), after[1].2.as_deref()),
        ("rejected", Some("invalid_mutation"))
    );
    assert!(
        after[..2]
            .iter()
            .all(|row| row.3.is_none() && row.4.len() <= 71),
        "{after:?}"
    );
    assert!(after[2].4.starts_with("sha256:"));

    // A late replay of both: answered the same, nothing applied twice.
    let replay = push_ok(&app, &donor, client, json!([first, second])).await;
    assert_eq!(replay.results[0].status, MutationStatus::Applied);
    assert_eq!(replay.results[1].status, MutationStatus::Rejected);
    assert_eq!(replay.results[1].code, Some(ProblemCode::InvalidMutation));
    assert_eq!(app.wish(wish.id).await.claimed, 2);
    // Another command under number 1: not a replay, the phone is told to renumber.
    let body = assert_problem(
        push(&app, &donor, client, json!([claim_mutation(1, wish.id, 1)])).await,
        409,
        "mutation_gap",
    )
    .await;
    assert_eq!(body["expected"], 4);
    assert_eq!(app.wish(wish.id).await.claimed, 2);
}

/// A result stored before migration 0020 (the command's whole JSON as its fingerprint) still
/// answers its replay, and becomes a digest once acknowledged.
#[tokio::test]
async fn a_result_stored_whole_before_becomes_a_digest_when_acknowledged() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    let client = ClientId::generate();
    let wish = app.open_wish(WishKind::Item, 3).await;
    let first = claim_mutation(1, wish.id, 1);
    push_ok(&app, &donor, client, json!([first.clone()])).await;
    let mut command = first.clone();
    command.as_object_mut().unwrap().remove("id");
    let command: microwish_core::command::Command = serde_json::from_value(command).unwrap();
    let whole = microwish_core::sync::Mutation::fingerprint(&command);
    app.db
        .execute(
            "UPDATE sync_results SET fingerprint = ? WHERE client_id = ?",
            microwish_server::args![whole, client.to_string()],
        )
        .await
        .unwrap();
    let replay = push_ok(&app, &donor, client, json!([first.clone()])).await;
    assert_eq!(replay.results[0].status, MutationStatus::Applied);
    push_ok(&app, &donor, client, json!([claim_mutation(2, wish.id, 1)])).await;
    let (fingerprint,): (String,) = app
        .db
        .fetch_one(
            "SELECT fingerprint FROM sync_results WHERE client_id = ? AND mutation_id = 1",
            microwish_server::args![client.to_string()],
        )
        .await
        .unwrap();
    assert_eq!(
        fingerprint,
        microwish_server::store::sync::stored_fingerprint(&whole)
    );
    let replay = push_ok(&app, &donor, client, json!([first])).await;
    assert_eq!(replay.results[0].status, MutationStatus::Applied);
    assert_eq!(app.wish(wish.id).await.claimed, 2);
}

/// A phone back online with a full outbox (twice [`KEPT_MUTATIONS`]'s worth: its outbox and,
/// after a restore, its kept mutations again) syncs at once, in batches; a script pushing
/// on and on is told to come back (429 with `Retry-After`), per client and per user.
#[tokio::test]
async fn pushes_are_rate_limited_but_a_full_outbox_syncs_at_once() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    let phone = ClientId::generate();
    let batch = microwish_server::sync::push::PUSH_MAX as u64;
    let outbox = 2 * KEPT_MUTATIONS as u64;
    let mut next = 1;
    while next <= outbox {
        let answered = push_ok(&app, &donor, phone, unreadable(next, batch)).await;
        assert_eq!(answered.results.len() as u64, batch);
        next += batch;
    }
    // A script on the same client pushes on: refused once past the burst.
    let mut refused = None;
    for _ in 0..10 {
        let response = push(&app, &donor, phone, unreadable(next, batch)).await;
        if response.status() == 429 {
            refused = Some(response);
            break;
        }
        assert_eq!(response.status(), 200);
        next += batch;
    }
    let refused = refused.expect("a script pushing on is refused");
    assert!(
        refused.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .unwrap()
            >= 1
    );
    assert_problem(refused, 429, "too_many_attempts").await;
    assert!(next - 1 <= microwish_server::sync::push::PUSH_RATE.burst);
    // A new client id of the same user is refused too, once the user's count is used up.
    let other = ClientId::generate();
    let mut from = 1;
    let refused = loop {
        let response = push(&app, &donor, other, unreadable(from, batch)).await;
        if response.status() == 429 {
            break response;
        }
        assert_eq!(response.status(), 200);
        from += batch;
        assert!(
            from <= 2 * microwish_server::sync::push::PUSH_RATE.burst,
            "the user's count holds"
        );
    };
    assert_problem(refused, 429, "too_many_attempts").await;
    // Time passes: the phone pushes again.
    app.clock.advance(chrono::Duration::minutes(1));
    push_ok(&app, &donor, phone, unreadable(next, 1)).await;
}

/// A visitor's pull reads only the kinds of change a visitor may see (core's
/// `visibility::entities_of`): 600 claims logged before a wish's change do not make it
/// page through them (one page, the wish on it), while a signed-in pull still pages.
#[tokio::test]
async fn a_visitors_pull_reads_only_public_changes() {
    let app = spawn_demo_app().await;
    let before: PullResponse = serde_json::from_value(
        app.get_json(&format!(
            "/api/sync/pull?cursor=0&client_id={}",
            ClientId::generate()
        ))
        .await,
    )
    .unwrap();
    let wish = app.open_wish(WishKind::Item, 2).await;
    let donor = app.register(Role::Donor).await;
    let claims: Vec<String> = (0..600)
        .map(|_| format!("('claim', '{}')", ClaimId::generate()))
        .collect();
    app.db
        .execute(
            &format!(
                "INSERT INTO change_log (entity, entity_id) VALUES {}",
                claims.join(", ")
            ),
            microwish_server::args![],
        )
        .await
        .unwrap();
    // The wish changes after them (a unit claimed).
    app.claim_ok(&donor, wish.id, 1).await;
    let has_wish = |page: &PullResponse| {
        page.changes.iter().any(|change| {
            matches!(change, microwish_core::sync::Change::Wish { id, .. } if *id == wish.id)
        })
    };
    for cursor in [0, before.cursor] {
        let page: PullResponse = serde_json::from_value(
            app.get_json(&format!(
                "/api/sync/pull?cursor={cursor}&client_id={}",
                ClientId::generate()
            ))
            .await,
        )
        .unwrap();
        assert!(!page.more, "one page from {cursor}");
        assert!(has_wish(&page), "the changed wish, from {cursor}");
    }
    let path = format!(
        "/api/sync/pull?cursor={}&client_id={}",
        before.cursor,
        ClientId::generate()
    );
    let signed_in: PullResponse =
        serde_json::from_value(app.get_json_as(&donor, &path).await).unwrap();
    assert!(
        signed_in.more,
        "a signed-in pull pages through every change"
    );
}
