//! Browser tests of the offline cache (real IndexedDB in headless Chromium) and of the sync
//! driver's screens. The sync engine's decisions are tested natively in core (`engine/tests.rs`).
#![cfg(target_arch = "wasm32")]

use chrono::{TimeZone, Utc};
use leptos::prelude::*;
use microwish::state::Data;
use microwish::store::Store;
use microwish::sync::Sync;
use microwish_core::command::{ClaimRef, ClaimWish, Command};
use microwish_core::engine::{Meta, MutateError, Renumber, Save, SessionState};
use microwish_core::overlay::LocalState;
use microwish_core::sync::{Change, Op, PullResponse};
use microwish_core::{
    BeneficiaryGroup, Category, ClaimId, DisplayName, Grid, Me, Phone, ProblemCode, PublicWish,
    Role, RuleError, UserId, WishId, WishKind, WishStatus,
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A database of its own for each test, with a meta record.
async fn fresh_store() -> (Store, String, Meta) {
    let name = format!("microwish-test-{}", WishId::generate());
    let store = Store::open(&name).await.expect("IndexedDB opens");
    let meta = Meta::fresh(None);
    store.save(&Save::Wipe(meta.clone())).await.unwrap();
    (store, name, meta)
}

fn wish(title: &str, quantity: u32) -> PublicWish {
    let at = Utc.with_ymd_and_hms(2026, 7, 1, 2, 0, 0).unwrap();
    PublicWish {
        id: WishId::generate(),
        kind: WishKind::Item,
        title: title.into(),
        description: String::new(),
        category: Category::School,
        status: WishStatus::Open,
        quantity,
        remaining: quantity,
        claimed: 0,
        delivered: 0,
        fulfilled: 0,
        unit: "个".into(),
        alias: "小娟".into(),
        group: BeneficiaryGroup::ChildInDifficulty,
        grid: "grid-4".into(),
        grid_name: "第四网格".into(),
        station: "第四网格驿站".into(),
        station_location: "32幢东侧".into(),
        needed_by: None,
        campaign_id: None,
        campaign_title: None,
        created_at: at,
        updated_at: at,
    }
}

fn put(wish: &PublicWish) -> Change {
    Change::Wish {
        id: wish.id,
        op: Op::Put,
        data: Some(wish.clone()),
    }
}

fn pull(cursor: u64, last_mutation_id: u64, reset: bool, changes: Vec<Change>) -> Save {
    Save::Pulled(PullResponse {
        cursor,
        last_mutation_id,
        reset,
        more: false,
        policy: Default::default(),
        me: None,
        changes,
    })
}

fn claim(wish: &PublicWish, quantity: i64) -> (ClaimId, Command) {
    let id = ClaimId::generate();
    let command = Command::ClaimWish(ClaimWish {
        id,
        wish_id: wish.id,
        quantity,
        note: None,
        slot_start: None,
        slot_end: None,
    });
    (id, command)
}

fn ids(outbox: &[microwish_core::sync::Mutation]) -> Vec<u64> {
    outbox.iter().map(|m| m.id).collect()
}

#[wasm_bindgen_test]
async fn a_pull_batch_round_trips_through_the_store() {
    let (store, _, _) = fresh_store().await;
    let bag = wish("书包", 2);
    let fan = wish("电风扇", 1);
    let grid = Grid {
        id: "grid-4".into(),
        community: microwish_core::CommunityId::generate(),
        name: "第四网格".into(),
        station: "第四网格驿站".into(),
        station_location: "32幢东侧".into(),
        station_hours: String::new(),
        station_contact: String::new(),
        station_phone: String::new(),
    };
    let grid_change = Change::Grid {
        id: grid.id.clone(),
        op: Op::Put,
        data: Some(grid.clone()),
    };
    store
        .save(&pull(7, 0, true, vec![put(&bag), put(&fan), grid_change]))
        .await
        .unwrap();
    let snapshot = store.load().await.unwrap();
    assert_eq!(snapshot.state.wishes.len(), 2);
    assert_eq!(snapshot.state.wishes[&bag.id], bag);
    assert_eq!(snapshot.state.grids[&grid.id], grid);
    assert_eq!(snapshot.meta.as_ref().unwrap().cursor, 7);

    // A later batch changes one wish and removes another.
    let mut claimed = bag.clone();
    claimed.remaining = 0;
    let removed = Change::Wish {
        id: fan.id,
        op: Op::Del,
        data: None,
    };
    store
        .save(&pull(9, 0, false, vec![put(&claimed), removed]))
        .await
        .unwrap();
    let snapshot = store.load().await.unwrap();
    assert_eq!(snapshot.state.wishes.len(), 1);
    assert_eq!(snapshot.state.wishes[&bag.id], claimed);
    assert_eq!(snapshot.meta.unwrap().cursor, 9);

    // A reset replaces everything.
    let other = wish("凉席", 1);
    store
        .save(&pull(3, 0, true, vec![put(&other)]))
        .await
        .unwrap();
    let wishes = store.load().await.unwrap().state.wishes;
    assert_eq!(wishes.into_values().collect::<Vec<_>>(), vec![other]);
}

#[wasm_bindgen_test]
async fn the_outbox_keeps_order_across_reopening_and_drops_acknowledged_mutations() {
    let (store, name, _) = fresh_store().await;
    let bag = wish("书包", 20);
    let commands: Vec<Command> = (0..12).map(|_| claim(&bag, 1).1).collect();
    for command in &commands {
        store.enqueue(command).await.unwrap();
    }
    // Closed (a crashed tab) and opened again: everything is still there, in order.
    store.close();
    let store = Store::open(&name).await.unwrap();
    let outbox = store.load().await.unwrap().outbox;
    assert_eq!(ids(&outbox), (1..=12).collect::<Vec<_>>());
    let stored: Vec<Command> = outbox.into_iter().map(|m| m.command).collect();
    assert_eq!(stored, commands);

    // The server has taken the first ten: they leave the outbox; numbering goes on.
    store.save(&pull(5, 10, false, Vec::new())).await.unwrap();
    assert_eq!(ids(&store.load().await.unwrap().outbox), vec![11, 12]);
    let next = store.enqueue(&claim(&bag, 1).1).await.unwrap();
    assert_eq!(next.id, 13);
    store.save(&Save::Drop(vec![11])).await.unwrap();
    assert_eq!(ids(&store.load().await.unwrap().outbox), vec![12, 13]);
}

#[wasm_bindgen_test]
async fn answered_mutations_are_kept_and_go_back_when_the_server_lost_them() {
    let (store, name, _) = fresh_store().await;
    let bag = wish("书包", 20);
    let commands: Vec<Command> = (0..3).map(|_| claim(&bag, 1).1).collect();
    for command in &commands {
        store.enqueue(command).await.unwrap();
    }
    // The server answered the first two: they leave the outbox, and are kept (across
    // reopening too).
    store.save(&pull(5, 2, false, Vec::new())).await.unwrap();
    store.close();
    let store = Store::open(&name).await.unwrap();
    let snapshot = store.load().await.unwrap();
    assert_eq!(ids(&snapshot.outbox), vec![3]);
    assert_eq!(ids(&snapshot.kept), vec![1, 2]);
    assert_eq!(snapshot.kept[0].command, commands[0]);

    // Restored from a backup taken after mutation 1: the server starts this phone over and
    // has only mutation 1. The second goes back, ahead of the third, in line.
    store.save(&pull(300, 1, true, Vec::new())).await.unwrap();
    store.save(&Save::Resend { after: 1 }).await.unwrap();
    let outbox = store
        .read_outbox(Some(Renumber { from: 2, after: 1 }))
        .await
        .unwrap();
    assert_eq!(ids(&outbox), vec![2, 3]);
    assert_eq!(outbox[0].command, commands[1]);
    assert_eq!(ids(&store.load().await.unwrap().kept), vec![1]);

    // A wipe (another user) leaves nothing kept.
    store.save(&Save::Wipe(Meta::fresh(None))).await.unwrap();
    assert!(store.load().await.unwrap().kept.is_empty());
}

#[wasm_bindgen_test]
async fn two_tabs_share_one_counter_and_renumbering_lines_them_up() {
    let (first, name, meta) = fresh_store().await;
    let second = Store::open(&name).await.unwrap();
    let bag = wish("书包", 20);
    // Tabs take turns: the numbers never collide.
    let a = first.enqueue(&claim(&bag, 1).1).await.unwrap();
    let b = second.enqueue(&claim(&bag, 1).1).await.unwrap();
    let c = first.enqueue(&claim(&bag, 1).1).await.unwrap();
    assert_eq!((a.id, b.id, c.id), (1, 2, 3));
    // A stale meta written by one tab never lowers the shared counter.
    first.save(&Save::Meta(meta)).await.unwrap();
    assert_eq!(second.enqueue(&claim(&bag, 1).1).await.unwrap().id, 4);

    // The server expects 2 after answering 1 (restored from a backup): the rest move up.
    let renumbered = second
        .read_outbox(Some(Renumber { from: 2, after: 1 }))
        .await
        .unwrap();
    assert_eq!(ids(&renumbered), vec![2, 3, 4]);
    assert_eq!(renumbered[0].command, b.command);
    assert_eq!(ids(&first.read_outbox(None).await.unwrap()), vec![2, 3, 4]);
    assert_eq!(first.enqueue(&claim(&bag, 1).1).await.unwrap().id, 5);
}

#[wasm_bindgen_test]
async fn wiping_leaves_nothing_of_the_user() {
    let (store, _, _) = fresh_store().await;
    let bag = wish("书包", 2);
    store
        .save(&pull(4, 0, true, vec![put(&bag)]))
        .await
        .unwrap();
    store.enqueue(&claim(&bag, 1).1).await.unwrap();
    let fresh = Meta::fresh(None);
    store.save(&Save::Wipe(fresh.clone())).await.unwrap();
    let snapshot = store.load().await.unwrap();
    assert!(snapshot.state.wishes.is_empty() && snapshot.outbox.is_empty());
    assert_eq!(snapshot.meta, Some(fresh));
}

fn donor() -> Me {
    Me {
        id: UserId::generate(),
        display_name: DisplayName::parse("张先生").unwrap(),
        phone: Phone::parse("13912345678").unwrap(),
        role: Role::Donor,
        volunteer_minutes: 0,
        volunteer_status: None,
        party_member: false,
        community: None,
        partner_communities: Vec::new(),
        phone_verified: false,
        volunteer_reason: None,
    }
}

fn in_memory_sync(me: Option<Me>, wishes: &[&PublicWish]) -> Sync {
    let mut seed = LocalState::default();
    for wish in wishes {
        seed.wishes.insert(wish.id, (*wish).clone());
    }
    let session = match &me {
        Some(me) => SessionState::LoggedIn(me.clone()),
        None => SessionState::LoggedOut,
    };
    Sync::in_memory(Data::new(session), me, seed)
}

#[wasm_bindgen_test]
async fn a_change_shows_at_once_in_the_screens_state_and_reads_as_waiting() {
    let _owner = Owner::new();
    let fan = wish("电风扇", 1);
    let sync = in_memory_sync(Some(donor()), &[&fan]);
    let data = sync.data;
    assert_eq!(data.wishes.get(&fan.id).unwrap().remaining, 1);
    let (claim_id, command) = claim(&fan, 1);
    sync.mutate(command).await.unwrap();
    assert_eq!(data.wishes.get(&fan.id).unwrap().remaining, 0);
    assert!(data.claims.get(&claim_id).is_some());
    assert!(data.is_pending_claim(claim_id));
    // Another claim of the same unit is refused at once, by the same rules.
    let again = sync.mutate(claim(&fan, 1).1).await.unwrap_err();
    assert_eq!(again, MutateError::Refused(RuleError::WishFullyClaimed));
    let deliver = Command::MarkDelivered(ClaimRef { claim_id });
    sync.mutate(deliver).await.unwrap();
    assert_eq!(data.wishes.get(&fan.id).unwrap().delivered, 1);
}

#[wasm_bindgen_test]
async fn nobody_logged_in_means_nothing_is_queued_and_the_reason_is_given() {
    let _owner = Owner::new();
    let bag = wish("书包", 3);
    let sync = in_memory_sync(None, &[&bag]);
    let error = sync.mutate(claim(&bag, 1).1).await.unwrap_err();
    assert_eq!(error, MutateError::NotLoggedIn);
    assert_eq!(microwish::i18n::t().mutate_error(&error), "请先登录。");
    assert_eq!(sync.data.wishes.get(&bag.id).unwrap().remaining, 3);
    assert!(sync.data.claims.is_empty());
    assert_eq!(
        RuleError::WishFullyClaimed.code(),
        ProblemCode::WishFullyClaimed
    );
}

#[wasm_bindgen_test]
async fn a_stalled_request_counts_as_no_connection() {
    use microwish::api::ApiError;
    use microwish::sync::within;
    let stalled = within(50, std::future::pending::<Result<u32, ApiError>>()).await;
    assert_eq!(stalled, Err(ApiError::Unreachable));
    let quick = within(1_000, async { Ok::<_, ApiError>(7) }).await;
    assert_eq!(quick, Ok(7));
}
