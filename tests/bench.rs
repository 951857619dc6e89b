//! `make bench` (browser part): the device's side of a 10,000-wish sync, in headless
//! Chromium with real IndexedDB. Prints figures; checks that everything arrived.
#![cfg(all(target_arch = "wasm32", feature = "bench"))]

use chrono::{TimeZone, Utc};
use microwish::store::Store;
use microwish_core::sync::{Change, Op, PullResponse};
use microwish_core::{new_id, BeneficiaryGroup, Category, PublicWish, WishKind, WishStatus};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const WISHES: usize = 10_000;

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn wish(n: usize) -> PublicWish {
    let at = Utc.with_ymd_and_hms(2026, 7, 1, 2, 0, 0).unwrap();
    PublicWish {
        id: new_id(),
        kind: if n % 3 == 0 {
            WishKind::Service
        } else {
            WishKind::Item
        },
        title: format!("心愿 {n}:一个新书包"),
        description: "三年级,书包带子断了,还想要一套文具".into(),
        category: Category::School,
        status: WishStatus::Open,
        quantity: 2,
        remaining: 2,
        claimed: 0,
        delivered: 0,
        fulfilled: 0,
        unit: "个".into(),
        alias: "小宇".into(),
        group: BeneficiaryGroup::Orphan,
        grid: "grid-2".into(),
        grid_name: "第二网格".into(),
        station: "第二网格驿站".into(),
        station_location: "星怡花园15幢物业服务点旁".into(),
        needed_by: chrono::NaiveDate::from_ymd_opt(2026, 8, 1),
        campaign_id: None,
        campaign_title: None,
        created_at: at,
        updated_at: at,
    }
}

#[wasm_bindgen_test]
async fn bench_applying_a_pull_of_ten_thousand_wishes() {
    let changes: Vec<Change> = (0..WISHES)
        .map(|n| {
            let wish = wish(n);
            Change::Wish {
                id: wish.id,
                op: Op::Put,
                data: Some(wish),
            }
        })
        .collect();
    let page = PullResponse {
        cursor: 10_000,
        last_mutation_id: 0,
        reset: true,
        more: false,
        changes,
    };
    let body = serde_json::to_string(&page).unwrap();

    let started = now_ms();
    let decoded: PullResponse = serde_json::from_str(&body).unwrap();
    let decode_ms = now_ms() - started;

    let store = Store::open(&format!("microwish-bench-{}", new_id()))
        .await
        .unwrap();
    let started = now_ms();
    store.apply_pull(&decoded).await.unwrap();
    let write_ms = now_ms() - started;

    let started = now_ms();
    let snapshot = store.load().await.unwrap();
    let read_ms = now_ms() - started;
    assert_eq!(snapshot.wishes.len(), WISHES);

    console_log!(
        "client: decode {WISHES}-wish pull ({:.1} MB) {decode_ms:.0} ms; IndexedDB write of {WISHES} records in one transaction {write_ms:.0} ms; read back {read_ms:.0} ms",
        body.len() as f64 / 1e6
    );
}
