//! `make bench` (browser part): the device's side of a 10,000-wish sync, in headless
//! Chromium with real IndexedDB. Prints figures; checks that everything arrived.
#![cfg(all(target_arch = "wasm32", feature = "bench"))]

use chrono::{TimeZone, Utc};
use leptos::prelude::*;
use microwish::session::Session;
use microwish::state::Data;
use microwish::store::Store;
use microwish::sync::Sync;
use microwish_core::engine::{Effect, Input, Save, SessionState};
use microwish_core::overlay::LocalState;
use microwish_core::sync::{Change, Op, PullResponse};
use microwish_core::{BeneficiaryGroup, Category, PublicWish, WishId, WishKind, WishStatus};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const WISHES: usize = 10_000;

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn wish(n: usize) -> PublicWish {
    let at = Utc.with_ymd_and_hms(2026, 7, 1, 2, 0, 0).unwrap();
    PublicWish {
        id: WishId::generate(),
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
        policy: Default::default(),
        me: None,
        changes,
    };
    let body = serde_json::to_string(&page).unwrap();

    let started = now_ms();
    let decoded: PullResponse = serde_json::from_str(&body).unwrap();
    let decode_ms = now_ms() - started;

    let store = Store::open(&format!("microwish-bench-{}", WishId::generate()))
        .await
        .unwrap();
    store
        .save(&Save::Wipe(microwish_core::engine::Meta::fresh(None)))
        .await
        .unwrap();
    let started = now_ms();
    store.save(&Save::Pulled(decoded)).await.unwrap();
    let write_ms = now_ms() - started;

    let started = now_ms();
    let snapshot = store.load().await.unwrap();
    let read_ms = now_ms() - started;
    assert_eq!(snapshot.state.wishes.len(), WISHES);

    console_log!(
        "client: decode {WISHES}-wish pull ({:.1} MB) {decode_ms:.0} ms; IndexedDB write of {WISHES} records in one transaction {write_ms:.0} ms; read back {read_ms:.0} ms",
        body.len() as f64 / 1e6
    );
}

/// A pull of 500 changed wishes, then of one, taken in while the list shows 1,000: the time from
/// handing the pull to the app until the changed cards show the new figures (style and layout
/// included).
/// Before the per-wish signals (2026-11-28, this machine), when every pull rebuilt the whole
/// list: 31–38 ms for 500 changes, 8 ms for one.
#[wasm_bindgen_test]
async fn bench_a_pull_of_500_changes_with_1000_wishes_on_screen() {
    let _owner = Owner::new();
    let mut state = LocalState::default();
    let wishes: Vec<PublicWish> = (0..1000).map(wish).collect();
    for wish in &wishes {
        state.wishes.insert(wish.id, wish.clone());
    }
    let data = Data::new(SessionState::LoggedOut);
    let sync = Sync::in_memory(data, None, state);
    let document = web_sys::window().unwrap().document().unwrap();
    let root: web_sys::HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    let _mounted = leptos::mount::mount_to(root.clone(), move || {
        provide_context(data);
        provide_context(Session(data.session));
        provide_context(sync);
        view! {
            <leptos_router::components::Router>
                <microwish::pages::WishListPage />
            </leptos_router::components::Router>
        }
    });
    leptos::task::tick().await;
    // Show every card.
    while let Some(more) = root.query_selector(".results__more").unwrap() {
        more.unchecked_into::<web_sys::HtmlElement>().click();
        leptos::task::tick().await;
    }
    assert_eq!(
        root.query_selector_all(".wish-card").unwrap().length(),
        1000
    );

    let mut report = Vec::new();
    for changed in [500, 1] {
        let mut times = Vec::new();
        for round in 0..5u32 {
            let claimed = 1 + round % 2;
            let changes: Vec<Change> = wishes
                .iter()
                .take(changed)
                .map(|wish| {
                    let mut wish = wish.clone();
                    wish.claimed = claimed;
                    wish.remaining = 2 - claimed;
                    Change::Wish {
                        id: wish.id,
                        op: Op::Put,
                        data: Some(wish),
                    }
                })
                .collect();
            let page = PullResponse {
                cursor: 2 + u64::from(round),
                last_mutation_id: 0,
                reset: false,
                more: false,
                policy: Default::default(),
                me: None,
                changes,
            };
            // The app asks for a pull (going online; the server says nobody is logged in);
            // the pull answers it.
            let mut effects = sync.handle_locally(Input::Online);
            if let Some(token) = effects.iter().find_map(|effect| match effect {
                Effect::CheckSession { token } => Some(*token),
                _ => None,
            }) {
                effects = sync.handle_locally(Input::SessionChecked {
                    token,
                    result: Err(microwish_core::engine::Failure::NotLoggedIn),
                });
            }
            let token = effects
                .into_iter()
                .find_map(|effect| match effect {
                    Effect::Pull { token, .. } => Some(token),
                    _ => None,
                })
                .expect("a pull");
            let target = format!("a[href='/wishes/{}'] .wish-card__need strong", wishes[0].id);
            let expected = (2 - claimed).to_string();
            let started = now_ms();
            sync.handle_locally(Input::Pulled {
                token,
                result: Ok(page),
            });
            let mut ticks = 0;
            loop {
                leptos::task::tick().await;
                ticks += 1;
                let shown = root
                    .query_selector(&target)
                    .unwrap()
                    .map(|e| e.text_content().unwrap_or_default());
                if shown.as_deref() == Some(expected.as_str()) {
                    // Style and layout of what changed count too.
                    let _ = root.offset_height();
                    break;
                }
                assert!(ticks < 1000, "never rendered: {shown:?}");
            }
            times.push(now_ms() - started);
            sync.handle_locally(Input::Offline);
            assert_eq!(
                root.query_selector_all(".wish-card").unwrap().length(),
                1000
            );
        }
        times.sort_by(|a, b| a.partial_cmp(b).unwrap());
        report.push(format!(
            "{changed}-change pull: median {:.0} ms (min {:.0}, max {:.0})",
            times[2], times[0], times[4]
        ));
    }
    console_log!(
        "client: with 1,000 wishes on screen, a {}; a {} (before per-wish signals, same machine: 31–38 ms and 8 ms)",
        report[0],
        report[1]
    );
}
