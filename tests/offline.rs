//! Browser tests of the offline cache (real IndexedDB in headless Chromium) and of the
//! optimistic overlay with its rollback.
#![cfg(target_arch = "wasm32")]

use chrono::{TimeZone, Utc};
use leptos::prelude::*;
use microwish::session::{Session, SessionState};
use microwish::store::{Meta, Store};
use microwish::sync::Sync;
use microwish_core::command::{ClaimRef, ClaimWish, Command};
use microwish_core::optimistic::LocalState;
use microwish_core::sync::{Change, MutationResult, MutationStatus, Op, PullResponse};
use microwish_core::{
    new_id, BeneficiaryGroup, Category, Grid, Me, PublicWish, Role, WishKind, WishStatus,
};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A database of its own for each test.
async fn fresh_store() -> (Store, String) {
    let name = format!("microwish-test-{}", new_id());
    (Store::open(&name).await.expect("IndexedDB opens"), name)
}

fn wish(title: &str, quantity: u32) -> PublicWish {
    let at = Utc.with_ymd_and_hms(2026, 7, 1, 2, 0, 0).unwrap();
    PublicWish {
        id: new_id(),
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

fn pull(cursor: u64, last_mutation_id: u64, reset: bool, changes: Vec<Change>) -> PullResponse {
    PullResponse {
        cursor,
        last_mutation_id,
        reset,
        more: false,
        changes,
    }
}

fn claim(wish: &PublicWish, quantity: i64) -> Command {
    Command::ClaimWish(ClaimWish {
        id: Some(new_id()),
        wish_id: wish.id,
        quantity,
        note: None,
        slot_start: None,
        slot_end: None,
    })
}

#[wasm_bindgen_test]
async fn a_pull_batch_round_trips_through_the_store() {
    let (store, _) = fresh_store().await;
    let (bag, fan) = (wish("书包", 2), wish("电风扇", 1));
    let grid = Grid {
        id: "grid-4".into(),
        name: "第四网格".into(),
        station: "第四网格驿站".into(),
        station_location: "32幢东侧".into(),
    };
    let first = pull(
        7,
        0,
        true,
        vec![
            put(&bag),
            put(&fan),
            Change::Grid {
                id: grid.id.clone(),
                op: Op::Put,
                data: Some(grid.clone()),
            },
        ],
    );
    store.apply_pull(&first).await.unwrap();
    let snapshot = store.load().await.unwrap();
    assert_eq!(snapshot.wishes.len(), 2);
    assert!(snapshot.wishes.contains(&bag) && snapshot.wishes.contains(&fan));
    assert_eq!(snapshot.grids, vec![grid]);
    assert_eq!(snapshot.meta.cursor, 7);

    // A later batch updates one wish and removes the other.
    let mut claimed = bag.clone();
    claimed.remaining = 0;
    let second = pull(
        9,
        0,
        false,
        vec![
            put(&claimed),
            Change::Wish {
                id: fan.id,
                op: Op::Del,
                data: None,
            },
        ],
    );
    store.apply_pull(&second).await.unwrap();
    let snapshot = store.load().await.unwrap();
    assert_eq!(snapshot.wishes, vec![claimed]);
    assert_eq!(snapshot.meta.cursor, 9);

    // A reset replaces everything.
    let other = wish("凉席", 1);
    store
        .apply_pull(&pull(3, 0, true, vec![put(&other)]))
        .await
        .unwrap();
    assert_eq!(store.load().await.unwrap().wishes, vec![other]);
}

#[wasm_bindgen_test]
async fn the_outbox_keeps_order_across_reopening_and_drops_acknowledged_mutations() {
    let (store, name) = fresh_store().await;
    let bag = wish("书包", 20);
    let commands: Vec<Command> = (0..12).map(|_| claim(&bag, 1)).collect();
    for command in &commands {
        store.enqueue(command).await.unwrap();
    }
    // Closed (a crashed tab) and opened again: everything is still there, in order.
    store.close();
    let store = Store::open(&name).await.unwrap();
    let outbox = store.outbox().await.unwrap();
    let ids: Vec<u64> = outbox.iter().map(|pending| pending.mutation.id).collect();
    assert_eq!(ids, (1..=12).collect::<Vec<_>>());
    let stored: Vec<Command> = outbox.into_iter().map(|pending| pending.command).collect();
    assert_eq!(stored, commands);

    // The server has taken the first ten: they leave the outbox; numbering goes on.
    store
        .apply_pull(&pull(5, 10, false, Vec::new()))
        .await
        .unwrap();
    let left: Vec<u64> = store
        .outbox()
        .await
        .unwrap()
        .iter()
        .map(|p| p.mutation.id)
        .collect();
    assert_eq!(left, vec![11, 12]);
    let next = store.enqueue(&claim(&bag, 1)).await.unwrap();
    assert_eq!(next.id, 13);
    store.remove_mutations(&[11]).await.unwrap();
    let left: Vec<u64> = store
        .outbox()
        .await
        .unwrap()
        .iter()
        .map(|p| p.mutation.id)
        .collect();
    assert_eq!(left, vec![12, 13]);
}

#[wasm_bindgen_test]
async fn wiping_leaves_nothing_of_the_user() {
    let (store, _) = fresh_store().await;
    let bag = wish("书包", 2);
    store
        .apply_pull(&pull(4, 0, true, vec![put(&bag)]))
        .await
        .unwrap();
    store.enqueue(&claim(&bag, 1)).await.unwrap();
    let fresh = Meta {
        client_id: Some(new_id()),
        ..Meta::default()
    };
    store.wipe(&fresh).await.unwrap();
    let snapshot = store.load().await.unwrap();
    assert!(snapshot.wishes.is_empty() && snapshot.outbox.is_empty());
    assert_eq!(snapshot.meta, fresh);
}

fn donor() -> Me {
    Me {
        id: new_id(),
        display_name: "张先生".into(),
        phone: "13912345678".into(),
        role: Role::Donor,
        volunteer_minutes: 0,
    }
}

fn in_memory_sync(me: &Me, wishes: &[&PublicWish]) -> Sync {
    let mut seed = LocalState::default();
    for wish in wishes {
        seed.wishes.insert(wish.id, (*wish).clone());
    }
    let session = Session::new(SessionState::LoggedIn(me.clone()));
    Sync::in_memory(session, Some(me.clone()), seed)
}

#[wasm_bindgen_test]
async fn a_rejected_mutation_rolls_back_and_is_explained() {
    let _owner = Owner::new();
    let me = donor();
    let fan = wish("电风扇", 1);
    let sync = in_memory_sync(&me, &[&fan]);
    let command = claim(&fan, 1);
    let Command::ClaimWish(ClaimWish {
        id: Some(claim_id), ..
    }) = command
    else {
        unreachable!()
    };
    sync.mutate(command).await.unwrap();
    // Shown at once, as pending.
    sync.data.with_untracked(|data| {
        assert_eq!(data.wishes[&fan.id].remaining, 0);
        assert!(data.claims.contains_key(&claim_id));
        assert!(data.pending_claims.contains(&claim_id));
    });
    // Another claim of the same unit is refused at once, by the same rules.
    let again = sync.mutate(claim(&fan, 1)).await.unwrap_err();
    assert_eq!(again.code(), "wish_fully_claimed");
    assert_eq!(
        sync.data.with_untracked(|data| data.pending_claims.len()),
        1,
        "nothing queued"
    );

    // The server says someone else got it first.
    let rejected = MutationResult {
        id: 1,
        status: MutationStatus::Rejected,
        code: Some("wish_fully_claimed".into()),
        message: None,
    };
    sync.settle(&[rejected]).await.unwrap();
    sync.data.with_untracked(|data| {
        assert_eq!(data.wishes[&fan.id].remaining, 1, "rolled back");
        assert!(!data.claims.contains_key(&claim_id));
        assert!(data.pending_claims.is_empty());
    });
    let notices = sync.notices.get_untracked();
    assert_eq!(notices.len(), 1);
    assert!(notices[0].text.contains("电风扇"), "{}", notices[0].text);
    assert!(
        notices[0].text.contains("已被其他人认领完了"),
        "{}",
        notices[0].text
    );
    sync.dismiss(notices[0].id);
    assert!(sync.notices.get_untracked().is_empty());
}

#[wasm_bindgen_test]
async fn an_applied_mutation_stays_shown_until_the_pull_brings_it() {
    let _owner = Owner::new();
    let me = donor();
    let bag = wish("书包", 3);
    let sync = in_memory_sync(&me, &[&bag]);
    let command = claim(&bag, 2);
    let Command::ClaimWish(ClaimWish {
        id: Some(claim_id), ..
    }) = command.clone()
    else {
        unreachable!()
    };
    sync.mutate(command).await.unwrap();
    sync.mutate(Command::MarkDelivered(ClaimRef { claim_id }))
        .await
        .unwrap();
    let applied = |id| MutationResult {
        id,
        status: MutationStatus::Applied,
        code: None,
        message: None,
    };
    sync.settle(&[applied(1), applied(2)]).await.unwrap();
    sync.data.with_untracked(|data| {
        assert_eq!(data.wishes[&bag.id].remaining, 1, "no flicker back to 3");
        assert_eq!(data.wishes[&bag.id].delivered, 2);
    });
    assert!(sync.notices.get_untracked().is_empty());
}

#[wasm_bindgen_test]
async fn nobody_logged_in_means_nothing_is_queued_and_the_reason_is_given() {
    let _owner = Owner::new();
    let bag = wish("书包", 3);
    let mut seed = LocalState::default();
    seed.wishes.insert(bag.id, bag.clone());
    let sync = Sync::in_memory(Session::new(SessionState::LoggedOut), None, seed);
    let error = sync.mutate(claim(&bag, 1)).await.unwrap_err();
    assert_eq!(error, microwish::sync::MutateError::NotLoggedIn);
    assert_eq!(microwish::i18n::t().rule_error(&error), "请先登录。");
    sync.data.with_untracked(|data| {
        assert_eq!(data.wishes[&bag.id].remaining, 3);
        assert!(data.claims.is_empty());
    });
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
