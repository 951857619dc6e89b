//! Sync: pushes apply exactly once and in order; pulls return what the user may see.

use microwish_core::sync::{Change, MutationStatus, Op, PullResponse, PushResponse};
use microwish_core::{CampaignId, ClaimId, ClientId, ProblemCode, Role, WishId, WishKind};
use serde_json::{json, Value};

use crate::helpers::{
    assert_poked, assert_problem, spawn_demo_app, spawn_demo_app_with, Session, TestApp, POKE_WAIT,
};

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

async fn pull(
    app: &TestApp,
    session: Option<&Session>,
    client: ClientId,
    cursor: u64,
) -> PullResponse {
    let path = format!("/api/sync/pull?cursor={cursor}&client_id={client}");
    let response = match session {
        Some(session) => app.get_as(session, &path).await,
        None => app.get(&path).await,
    };
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn claim_mutation(id: u64, wish: WishId, quantity: u32) -> Value {
    json!({"id": id, "name": "claim_wish", "args": {"id": ClaimId::generate(), "wish_id": wish, "quantity": quantity}})
}

#[tokio::test]
async fn pushing_the_same_batch_five_times_applies_it_once() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    let client = ClientId::generate();
    let wish = app.open_wish(WishKind::Item, 2).await;
    let batch = json!([claim_mutation(1, wish.id, 1), claim_mutation(2, wish.id, 1)]);
    let first = push_ok(&app, &donor, client, batch.clone()).await;
    assert!(
        first
            .results
            .iter()
            .all(|r| r.status == MutationStatus::Applied),
        "{first:?}"
    );
    for _ in 0..4 {
        let again = push_ok(&app, &donor, client, batch.clone()).await;
        assert_eq!(again, first);
    }
    assert_eq!(app.wish(wish.id).await.claimed, 2);
    let pulled = pull(&app, Some(&donor), client, 0).await;
    assert_eq!(pulled.last_mutation_id, 2);
}

/// A phone whose push got no answer sends it again, and a reverse proxy may hand it to the
/// other server on the database: it is answered from the stored result, never applied twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_push_replayed_to_another_server_is_answered_and_not_applied_again() {
    let app = spawn_demo_app().await;
    let twin = crate::helpers::spawn_twin(&app).await;
    let donor = app.register(Role::Donor).await;
    let client = ClientId::generate();
    let wish = app.open_wish(WishKind::Item, 3).await;
    let batch = json!([claim_mutation(1, wish.id, 1), claim_mutation(2, wish.id, 1)]);
    let first = push_ok(&app, &donor, client, batch.clone()).await;
    assert!(first
        .results
        .iter()
        .all(|r| r.status == MutationStatus::Applied));
    // The same batch, sent at once to both servers again.
    let again = |base: String| {
        let request = app
            .client
            .post(format!("{base}/api/sync/push"))
            .header("cookie", &donor.cookie)
            .json(&json!({"client_id": client, "mutations": batch.clone()}));
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 200);
            response.json::<PushResponse>().await.unwrap()
        }
    };
    let (here, there) = tokio::join!(again(app.address.clone()), again(twin.clone()));
    assert_eq!(here, first);
    assert_eq!(there, first);
    assert_eq!(app.wish(wish.id).await.claimed, 2, "applied once");
}

#[tokio::test]
async fn a_gap_in_mutation_ids_is_refused_and_nothing_is_applied() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    let client = ClientId::generate();
    let wish = app.open_wish(WishKind::Item, 1).await;
    push_ok(&app, &donor, client, json!([claim_mutation(1, wish.id, 1)])).await;
    let body = assert_problem(
        push(&app, &donor, client, json!([claim_mutation(3, wish.id, 1)])).await,
        409,
        "mutation_gap",
    )
    .await;
    assert!(body["detail"]
        .as_str()
        .unwrap()
        .contains("expected mutation 2"));
    assert_eq!(app.wish(wish.id).await.claimed, 1);
    // A new client must start at 1.
    assert_problem(
        push(
            &app,
            &donor,
            ClientId::generate(),
            json!([claim_mutation(2, wish.id, 1)]),
        )
        .await,
        409,
        "mutation_gap",
    )
    .await;
}

#[tokio::test]
async fn mutation_number_zero_is_refused_as_bad_input() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    let client = ClientId::generate();
    let wish = app.open_wish(WishKind::Item, 1).await;
    for batch in [
        json!([claim_mutation(0, wish.id, 1)]),
        json!([claim_mutation(0, wish.id, 1), claim_mutation(1, wish.id, 1)]),
    ] {
        assert_problem(
            push(&app, &donor, client, batch).await,
            400,
            "bad_mutation_id",
        )
        .await;
    }
    // Nothing was applied, and the client still starts at 1.
    assert_eq!(app.wish(wish.id).await.claimed, 0);
    push_ok(&app, &donor, client, json!([claim_mutation(1, wish.id, 1)])).await;
    assert_eq!(app.wish(wish.id).await.claimed, 1);
}

#[tokio::test]
async fn a_rejected_mutation_is_explained_leaves_no_trace_and_is_not_retried() {
    let app = spawn_demo_app().await;
    let (first, second) = (
        app.register(Role::Donor).await,
        app.register(Role::Donor).await,
    );
    let (first_client, second_client) = (ClientId::generate(), ClientId::generate());
    let wish = app.open_wish(WishKind::Item, 1).await;
    app.set_quantity(wish.id, 1).await;
    // Both claimed the last unit while offline; both come back online.
    let won = push_ok(
        &app,
        &first,
        first_client,
        json!([claim_mutation(1, wish.id, 1)]),
    )
    .await;
    let lost = push_ok(
        &app,
        &second,
        second_client,
        json!([claim_mutation(1, wish.id, 1)]),
    )
    .await;
    assert_eq!(won.results[0].status, MutationStatus::Applied);
    assert_eq!(lost.results[0].status, MutationStatus::Rejected);
    assert_eq!(lost.results[0].code, Some(ProblemCode::WishFullyClaimed));
    let (claims,): (i64,) = app
        .db
        .fetch_one(
            "SELECT COUNT(*) FROM claims WHERE wish_id = ?",
            microwish_server::args![wish.id.to_string()],
        )
        .await
        .unwrap();
    assert_eq!(claims, 1);
    // The rejection was processed: the loser's next mutation is number 2.
    assert_eq!(
        pull(&app, Some(&second), second_client, 0)
            .await
            .last_mutation_id,
        1
    );
    let unknown = json!([{"id": 2, "name": "launch_rocket", "args": {}}]);
    let result = push_ok(&app, &second, second_client, unknown).await;
    assert_eq!(result.results[0].code, Some(ProblemCode::InvalidMutation));
}

#[tokio::test]
async fn pull_after_push_shows_the_change_and_cursors_only_move_forward() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    let client = ClientId::generate();
    let full = pull(&app, Some(&donor), client, 0).await;
    assert!(full.reset && !full.more);
    let wishes = full
        .changes
        .iter()
        .filter(|c| matches!(c, Change::Wish { op: Op::Put, .. }))
        .count();
    assert_eq!(wishes, app.wishes("?limit=200").await.items.len());
    assert!(full
        .changes
        .iter()
        .any(|c| matches!(c, Change::Grid { .. })));
    assert!(full
        .changes
        .iter()
        .any(|c| matches!(c, Change::Campaign { .. })));

    // Nothing new: same cursor, no changes.
    let quiet = pull(&app, Some(&donor), client, full.cursor).await;
    assert!(!quiet.reset && quiet.changes.is_empty());
    assert_eq!(quiet.cursor, full.cursor);

    let wish = app.open_wish(WishKind::Item, 2).await;
    push_ok(&app, &donor, client, json!([claim_mutation(1, wish.id, 2)])).await;
    let after = pull(&app, Some(&donor), client, full.cursor).await;
    assert!(after.cursor > full.cursor);
    assert_eq!(after.last_mutation_id, 1);
    let changed = after
        .changes
        .iter()
        .find_map(|c| match c {
            Change::Wish {
                id,
                data: Some(data),
                ..
            } if *id == wish.id => Some(data.clone()),
            _ => None,
        })
        .expect("the claimed wish");
    assert_eq!(changed.remaining, wish.remaining - 2);
    assert!(after
        .changes
        .iter()
        .any(|c| matches!(c, Change::Claim { op: Op::Put, .. })));

    // Someone else's pull sees the wish change but not the claim.
    let other = app.register(Role::Donor).await;
    let theirs = pull(&app, Some(&other), ClientId::generate(), full.cursor).await;
    assert!(theirs
        .changes
        .iter()
        .any(|c| matches!(c, Change::Wish { id, .. } if *id == wish.id)));
    assert!(!theirs
        .changes
        .iter()
        .any(|c| matches!(c, Change::Claim { .. })));
}

#[tokio::test]
async fn large_pulls_come_in_pages() {
    let app = spawn_demo_app().await;
    // 1,200 more wishes, as copies of the demo ones.
    let ids: Vec<(String,)> = app
        .db
        .fetch_all("SELECT id FROM wishes", microwish_server::args![])
        .await
        .unwrap();
    // A hundred copies a statement (each statement its own transaction, on either engine).
    let copies: Vec<(String, String)> = (0..1200)
        .map(|copy| {
            (
                ClientId::generate().to_string(),
                ids[copy % ids.len()].0.clone(),
            )
        })
        .collect();
    for chunk in copies.chunks(100) {
        let select = "SELECT ?, kind, title, description, category, status, quantity, unit, \
             alias, beneficiary_group, grid_id, needed_by, created_at, updated_at \
             FROM wishes WHERE id = ?";
        let sql = format!(
            "INSERT INTO wishes (id, kind, title, description, category, status, quantity, \
             unit, alias, beneficiary_group, grid_id, needed_by, created_at, updated_at) {}",
            vec![select; chunk.len()].join(" UNION ALL ")
        );
        let args: Vec<&dyn microwish_server::store::sql::Arg> = chunk
            .iter()
            .flat_map(|(id, of)| [id as _, of as _])
            .collect();
        app.db.execute(&sql, &args).await.unwrap();
        let sql = format!(
            "INSERT INTO change_log (entity, entity_id) VALUES {}",
            vec!["('wish', ?)"; chunk.len()].join(", ")
        );
        let args: Vec<&dyn microwish_server::store::sql::Arg> =
            chunk.iter().map(|(id, _)| id as _).collect();
        app.db.execute(&sql, &args).await.unwrap();
    }
    app.number_logged_changes().await;
    // Everyone sees the public ones (the demo's draft stays with the workers).
    let (total,): (i64,) = app
        .db
        .fetch_one(
            "SELECT COUNT(*) FROM wishes WHERE status <> 'draft'",
            microwish_server::args![],
        )
        .await
        .unwrap();
    let client = ClientId::generate();
    let mut cursor = 0;
    let mut seen = std::collections::HashSet::new();
    let mut pages = 0;
    loop {
        let page = pull(&app, None, client, cursor).await;
        assert!(page.changes.len() <= 500);
        assert!(page.cursor >= cursor, "cursor went back");
        cursor = page.cursor;
        pages += 1;
        for change in page.changes {
            if let Change::Wish {
                id,
                op: Op::Put,
                data: Some(_),
            } = change
            {
                seen.insert(id);
            }
        }
        if !page.more {
            break;
        }
    }
    assert_eq!(seen.len() as i64, total);
    assert!(pages >= 3, "{pages} pages");
}

#[tokio::test]
async fn a_donors_pull_never_holds_household_details_and_a_volunteers_only_while_active() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    let volunteer = app.approved_volunteer().await;
    let secrets = app.household_secrets().await;
    let service = app.house_call().await;
    let (start, end) = app.slot_tomorrow(60);
    let visit = json!([{"id": 1, "name": "claim_wish", "args": {"id": ClaimId::generate(), "wish_id": service.id,
        "quantity": 1, "slot_start": start, "slot_end": end}}]);
    let volunteer_client = ClientId::generate();
    assert_eq!(
        push_ok(&app, &volunteer, volunteer_client, visit)
            .await
            .results[0]
            .status,
        MutationStatus::Applied
    );
    let item = app.open_wish(WishKind::Item, 1).await;
    push_ok(
        &app,
        &donor,
        ClientId::generate(),
        json!([claim_mutation(1, item.id, 1)]),
    )
    .await;

    let text = |pull: &PullResponse| serde_json::to_string(pull).unwrap();
    for session in [Some(&donor), None] {
        let everything = text(&pull(&app, session, ClientId::generate(), 0).await);
        for secret in &secrets {
            assert!(
                !everything.contains(secret.as_str()),
                "pull leaks {secret:?}"
            );
        }
    }
    let (address,): (String,) = app.db.fetch_one("SELECT h.address FROM households h JOIN wishes w ON w.household_id = h.id WHERE w.id = ?", microwish_server::args![service.id.to_string()]).await
    .unwrap();
    let before = pull(&app, Some(&volunteer), volunteer_client, 0).await;
    assert!(
        text(&before).contains(&address),
        "the volunteer's pull holds the visit's address"
    );

    let claim_id = before
        .changes
        .iter()
        .find_map(|c| match c {
            Change::Claim { id, .. } => Some(*id),
            _ => None,
        })
        .unwrap();
    let release = json!([{"id": 2, "name": "release_claim", "args": {"claim_id": claim_id}}]);
    push_ok(&app, &volunteer, volunteer_client, release).await;
    let after = pull(&app, Some(&volunteer), volunteer_client, before.cursor).await;
    let released = after
        .changes
        .iter()
        .find_map(|c| match c {
            Change::Claim {
                data: Some(data), ..
            } => Some(data.clone()),
            _ => None,
        })
        .expect("the released claim");
    assert!(
        released.contact.is_none(),
        "the address is withdrawn once the claim ends"
    );
    assert!(!text(&pull(&app, Some(&volunteer), volunteer_client, 0).await).contains(&address));
}

#[tokio::test]
async fn a_client_id_belongs_to_one_user_and_another_login_resets_the_cache() {
    let app = spawn_demo_app().await;
    let (first, second) = (
        app.register(Role::Donor).await,
        app.register(Role::Donor).await,
    );
    let client = ClientId::generate();
    let wish = app.open_wish(WishKind::Item, 2).await;
    push_ok(&app, &first, client, json!([claim_mutation(1, wish.id, 1)])).await;
    assert_problem(
        push(
            &app,
            &second,
            client,
            json!([claim_mutation(1, wish.id, 1)]),
        )
        .await,
        403,
        "forbidden",
    )
    .await;
    let cursor = pull(&app, Some(&first), client, 0).await.cursor;
    let other = pull(&app, Some(&second), client, cursor).await;
    assert!(
        other.reset,
        "another user on this client starts from a clean cache"
    );
    assert_eq!(other.last_mutation_id, 0);
    assert!(!other
        .changes
        .iter()
        .any(|c| matches!(c, Change::Claim { .. })));
    // A cursor the server never gave out (its data was replaced) also resets.
    assert!(pull(&app, Some(&first), client, cursor + 1_000).await.reset);
}

#[tokio::test]
async fn pushing_needs_a_login_and_valid_json() {
    let app = spawn_demo_app().await;
    let response = app
        .post(
            None,
            "/api/sync/push",
            json!({"client_id": ClientId::generate(), "mutations": []}),
        )
        .await;
    assert_problem(response, 401, "not_logged_in").await;
    let donor = app.register(Role::Donor).await;
    let response = app
        .post(
            Some(&donor),
            "/api/sync/push",
            json!({"client_id": "not-a-uuid", "mutations": []}),
        )
        .await;
    assert_problem(response, 422, "invalid_body").await;
    assert_problem(
        app.get("/api/sync/pull?cursor=-1&client_id=x").await,
        400,
        "bad_query",
    )
    .await;
}

#[tokio::test]
async fn the_event_stream_pokes_listeners_after_a_change() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    let mut stream = app.get("/api/events").await;
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    let wish = app.open_wish(WishKind::Item, 1).await;
    app.claim_ok(&donor, wish.id, 1).await;
    assert_poked(&mut stream, POKE_WAIT).await;
}

/// What `/api/me` says of the user's vetting.
async fn volunteer_status(app: &TestApp, session: &Session) -> Value {
    let me: Value = app.get_as(session, "/api/me").await.json().await.unwrap();
    me["volunteer_status"].clone()
}

/// A pushed mutation is followed like any command (`AppState::after_commit`): a suspension a
/// worker pushes is true for the volunteer's very next request, and listening phones are poked
/// at once (the database watch, which would catch both later, is slowed to a minute here).
#[tokio::test]
async fn a_pushed_suspension_holds_at_once_and_pokes_listening_phones() {
    let app = spawn_demo_app_with(|config| {
        config.watch_interval = std::time::Duration::from_secs(60);
    })
    .await;
    let volunteer = app.approved_volunteer().await;
    assert_eq!(volunteer_status(&app, &volunteer).await, "approved");
    let worker = app.worker().await;
    // What the setup committed is announced (to nobody) before the phone listens.
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let mut stream = app.get("/api/events").await;
    let suspend = json!([{"id": 1, "name": "suspend_volunteer",
        "args": {"user_id": volunteer.me.id, "note": "多次未按约上门"}}]);
    let pushed = push_ok(&app, &worker, ClientId::generate(), suspend).await;
    assert_eq!(
        pushed.results[0].status,
        MutationStatus::Applied,
        "{pushed:?}"
    );
    assert_eq!(volunteer_status(&app, &volunteer).await, "suspended");
    assert_poked(&mut stream, POKE_WAIT).await;
}

/// Two server processes on one database: a phone listening on one hears of a claim made
/// through the other within a second, once.
#[tokio::test]
async fn a_phone_on_one_server_hears_of_a_claim_made_on_another_within_a_second() {
    let app = spawn_demo_app().await;
    let twin = crate::helpers::spawn_twin(&app).await;
    let donor = app.register(Role::Donor).await;
    let wish = app.open_wish(WishKind::Item, 1).await;
    let mut stream = app.get("/api/events").await;
    // Both servers' start-up work (the hold timer's first round) may still be writing on a
    // loaded machine; the poke counted below must be the claim's alone.
    let quiet = std::time::Duration::from_millis(700);
    for _ in 0..20 {
        if tokio::time::timeout(quiet, stream.chunk()).await.is_err() {
            break;
        }
    }
    let claimed = app
        .client
        .post(format!("{twin}/api/wishes/{}/claims", wish.id))
        .header("cookie", &donor.cookie)
        .json(&json!({"quantity": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(claimed.status(), 201);
    assert_poked(&mut stream, POKE_WAIT).await;
    let again = tokio::time::timeout(quiet, stream.chunk()).await;
    assert!(again.is_err(), "one change, one poke: {again:?}");
}

#[tokio::test]
async fn a_batch_with_a_hole_in_its_numbering_is_refused_whole() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    let client = ClientId::generate();
    let wish = app.open_wish(WishKind::Item, 2).await;
    let body = assert_problem(
        push(
            &app,
            &donor,
            client,
            json!([claim_mutation(1, wish.id, 1), claim_mutation(3, wish.id, 1)]),
        )
        .await,
        409,
        "mutation_gap",
    )
    .await;
    assert_eq!(body["expected"], 2);
    assert_eq!(app.wish(wish.id).await.claimed, 0, "nothing applied");
}

#[tokio::test]
async fn a_server_restored_from_a_backup_says_which_mutation_it_expects() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    let client = ClientId::generate();
    let wish = app.open_wish(WishKind::Item, 3).await;
    push_ok(&app, &donor, client, json!([claim_mutation(1, wish.id, 1)])).await;
    push_ok(&app, &donor, client, json!([claim_mutation(2, wish.id, 1)])).await;
    // The database goes back to before mutation 2 (as a restore from an older backup would).
    app.db
        .execute(
            "UPDATE sync_clients SET last_mutation_id = 1",
            microwish_server::args![],
        )
        .await
        .unwrap();
    app.db
        .execute(
            "DELETE FROM sync_results WHERE mutation_id = 2",
            microwish_server::args![],
        )
        .await
        .unwrap();
    // The phone's next mutation is 3: the server says it expects 2, the phone renumbers.
    let body = assert_problem(
        push(&app, &donor, client, json!([claim_mutation(3, wish.id, 1)])).await,
        409,
        "mutation_gap",
    )
    .await;
    assert_eq!(body["expected"], 2);
    let renumbered = push_ok(&app, &donor, client, json!([claim_mutation(2, wish.id, 1)])).await;
    assert_eq!(renumbered.results[0].status, MutationStatus::Applied);
}

#[tokio::test]
async fn a_number_sent_again_with_another_command_is_not_answered_as_a_replay() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    let client = ClientId::generate();
    let wish = app.open_wish(WishKind::Item, 3).await;
    let first = claim_mutation(1, wish.id, 1);
    push_ok(&app, &donor, client, json!([first.clone()])).await;
    // The same mutation again is a replay, answered the same.
    let replay = push_ok(&app, &donor, client, json!([first])).await;
    assert_eq!(replay.results[0].status, MutationStatus::Applied);
    // A phone restored from an old state numbers a new claim 1 again: not a replay.
    let body = assert_problem(
        push(&app, &donor, client, json!([claim_mutation(1, wish.id, 2)])).await,
        409,
        "mutation_gap",
    )
    .await;
    assert_eq!(body["expected"], 2);
    assert_eq!(
        app.wish(wish.id).await.claimed,
        1,
        "the new claim was not lost as a replay"
    );
    push_ok(&app, &donor, client, json!([claim_mutation(2, wish.id, 2)])).await;
    assert_eq!(app.wish(wish.id).await.claimed, 3);
}

#[tokio::test]
async fn every_pull_carries_the_hold_policy_the_server_runs_with() {
    let app = crate::helpers::spawn_demo_app_with(|config| {
        config.policy.hold.item = chrono::Duration::days(3);
    })
    .await;
    let pulled = pull(&app, None, ClientId::generate(), 0).await;
    assert_eq!(pulled.policy.hold.item, chrono::Duration::days(3));
    assert_eq!(pulled.policy.hold.after_slot, chrono::Duration::days(1));
}

#[tokio::test]
async fn a_donor_holds_a_fair_share_over_rest_and_over_sync() {
    let app = spawn_demo_app_with(|config| config.policy.max_claim_units = 3).await;
    let donor = app.register(Role::Donor).await;
    let wish = app.open_wish(WishKind::Item, 1).await;
    app.set_quantity(wish.id, 50).await;
    let first = app.claim_ok(&donor, wish.id, 2).await;
    let body = assert_problem(
        app.claim(&donor, wish.id, json!({"quantity": 2})).await,
        409,
        "too_many_claims",
    )
    .await;
    assert!(
        body["detail"].as_str().unwrap().contains("at most 3"),
        "{body}"
    );
    // An offline claim that syncs later meets the same rule, and says why.
    let client = ClientId::generate();
    let pushed = push_ok(
        &app,
        &donor,
        client,
        json!([claim_mutation(1, wish.id, 1), claim_mutation(2, wish.id, 1)]),
    )
    .await;
    assert_eq!(pushed.results[0].status, MutationStatus::Applied);
    assert_eq!(pushed.results[1].status, MutationStatus::Rejected);
    assert_eq!(pushed.results[1].code, Some(ProblemCode::TooManyClaims));
    assert_eq!(app.wish(wish.id).await.claimed, 3);
    // Delivering frees the share; a neighbour was never held back.
    assert_eq!(
        app.act(Some(&donor), first.id, "deliver").await.status(),
        200
    );
    app.claim_ok(&donor, wish.id, 2).await;
    let neighbour = app.register(Role::Donor).await;
    app.claim_ok(&neighbour, wish.id, 3).await;
}

/// Every page of a pull from `cursor`, as a phone would read them.
async fn pull_all(
    app: &TestApp,
    session: Option<&Session>,
    client: ClientId,
    mut cursor: u64,
) -> Vec<PullResponse> {
    let mut pages = Vec::new();
    loop {
        let page = pull(app, session, client, cursor).await;
        cursor = page.cursor;
        let more = page.more;
        pages.push(page);
        if !more {
            return pages;
        }
    }
}

#[tokio::test]
async fn compacting_the_change_log_changes_no_pull_and_bounds_it() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    let wish = app.open_wish(WishKind::Item, 1).await;
    app.set_quantity(wish.id, 20).await;
    let client = ClientId::generate();
    let before = pull_all(&app, Some(&donor), client, 0)
        .await
        .last()
        .unwrap()
        .cursor;
    for _ in 0..5 {
        app.claim_ok(&donor, wish.id, 1).await;
    }
    let middle = pull(&app, Some(&donor), client, before).await.cursor;
    for _ in 0..3 {
        app.claim_ok(&donor, wish.id, 1).await;
    }
    let readers = [
        (Some(&donor), 0),
        (Some(&donor), before),
        (Some(&donor), middle),
        (None, 0),
        (None, middle),
    ];
    let mut answers = Vec::new();
    for (session, cursor) in readers {
        answers.push(pull_all(&app, session, ClientId::generate(), cursor).await);
    }

    let dropped = microwish_server::apply::compact_change_log(&app.state)
        .await
        .unwrap();
    assert!(dropped >= 7, "the wish's older versions went: {dropped}");
    let (rows, entities): (i64, i64) = app.db.fetch_one("SELECT COUNT(*), (SELECT COUNT(*) FROM (SELECT DISTINCT entity, entity_id FROM change_log) AS entities) \
         FROM change_log", microwish_server::args![]).await
    .unwrap();
    assert_eq!(rows, entities, "one row per entity");
    let mut again = Vec::new();
    for (session, cursor) in readers {
        again.push(pull_all(&app, session, ClientId::generate(), cursor).await);
    }
    for (first, second) in answers.iter().zip(&again) {
        assert_eq!(first.len(), second.len());
        for (a, b) in first.iter().zip(second) {
            assert_eq!((a.cursor, a.reset, a.more), (b.cursor, b.reset, b.more));
            assert_eq!(a.changes, b.changes);
        }
    }
    // And it goes on working: a new change is pulled after compaction.
    app.claim_ok(&donor, wish.id, 1).await;
    let latest = pull(&app, Some(&donor), client, middle).await;
    assert!(latest
        .changes
        .iter()
        .any(|change| matches!(change, Change::Wish { id, .. } if *id == wish.id)));
}

#[tokio::test]
async fn live_update_streams_are_capped_per_user_and_for_visitors_and_given_back() {
    let app = spawn_demo_app_with(|config| config.streams = (2, 100, 3)).await;
    let donor = app.register(Role::Donor).await;
    let open = |session: Option<&Session>| {
        let mut request = app.client.get(app.url("/api/events"));
        if let Some(session) = session {
            request = request.header("cookie", &session.cookie);
        }
        async move { request.send().await.unwrap() }
    };
    let first = open(Some(&donor)).await;
    let second = open(Some(&donor)).await;
    assert_eq!(
        (first.status().as_u16(), second.status().as_u16()),
        (200, 200)
    );
    assert_problem(open(Some(&donor)).await, 429, "too_many_connections").await;
    // Visitors share their own allowance; the donor's does not count against it.
    let mut visitors = Vec::new();
    for _ in 0..3 {
        let stream = open(None).await;
        assert_eq!(stream.status(), 200);
        visitors.push(stream);
    }
    assert_problem(open(None).await, 429, "too_many_connections").await;
    // A closed stream gives its place back.
    drop(second);
    let mut reopened = None;
    for _ in 0..50 {
        let attempt = open(Some(&donor)).await;
        if attempt.status() == 200 {
            reopened = Some(attempt);
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    assert!(reopened.is_some(), "the closed stream's place came back");
    drop(first);
}

/// A claim on a drive's wish changes the drive's progress: a pull from before the claim
/// brings the drive again, counting the claimed units; a claim outside any drive does not.
#[tokio::test]
async fn a_claim_in_a_drive_brings_the_drive_to_the_next_pull() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    let client = ClientId::generate();
    let open = app.wishes("?limit=200").await.items;
    let in_drive = open
        .iter()
        .find(|wish| {
            wish.campaign_id.is_some() && wish.kind == WishKind::Item && wish.remaining > 0
        })
        .expect("the demo has an open item wish in a drive");
    let outside = open
        .iter()
        .find(|wish| {
            wish.campaign_id.is_none() && wish.kind == WishKind::Item && wish.remaining > 0
        })
        .expect("the demo has an open item wish in no drive");
    let campaigns = |pulled: &PullResponse| -> Vec<(CampaignId, u32)> {
        pulled
            .changes
            .iter()
            .filter_map(|change| match change {
                Change::Campaign {
                    id,
                    data: Some(data),
                    ..
                } => Some((*id, data.progress.units_claimed)),
                _ => None,
            })
            .collect()
    };
    let start = pull(&app, Some(&donor), client, 0).await;
    let before = campaigns(&start)
        .into_iter()
        .find(|(id, _)| Some(*id) == in_drive.campaign_id)
        .expect("the drive is in the first pull")
        .1;

    app.claim_ok(&donor, outside.id, 1).await;
    let quiet = pull(&app, Some(&donor), client, start.cursor).await;
    assert_eq!(campaigns(&quiet), vec![], "no drive changed");

    app.claim_ok(&donor, in_drive.id, 1).await;
    let after = pull(&app, Some(&donor), client, quiet.cursor).await;
    assert_eq!(
        campaigns(&after),
        vec![(in_drive.campaign_id.unwrap(), before + 1)]
    );
}
