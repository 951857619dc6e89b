//! Browser tests of the SPA's components in headless Chromium (wasm-bindgen-test).
//! Run with `cargo test -p microwish --target wasm32-unknown-unknown` (see the Makefile).
#![cfg(target_arch = "wasm32")]

use chrono::{NaiveDate, TimeZone, Utc};
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::task::tick;
use leptos_router::params::ParamsMap;
use microwish::components::{ChipGroup, LoadError, WishList};
use microwish::filters::{list_url, query_from_params};
use microwish::i18n::t;
use microwish_core::{BeneficiaryGroup, Category, PublicWish, WishKind, WishQuery, WishStatus};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 7, 1).unwrap()
}

fn wish(title: &str, kind: WishKind, quantity: u32, claimed: u32, days_left: u64) -> PublicWish {
    let created = Utc.with_ymd_and_hms(2026, 6, 20, 8, 0, 0).unwrap();
    PublicWish {
        id: microwish_core::new_id(),
        kind,
        title: title.into(),
        description: "描述".into(),
        category: if kind == WishKind::Item {
            Category::School
        } else {
            Category::Repair
        },
        status: WishStatus::Open,
        quantity,
        remaining: quantity - claimed,
        claimed,
        delivered: 0,
        fulfilled: 0,
        unit: "个".into(),
        alias: "小娟".into(),
        group: BeneficiaryGroup::ChildInDifficulty,
        grid: "grid-4".into(),
        grid_name: "第四网格".into(),
        station: "第四网格驿站".into(),
        station_location: "星怡花园32幢东侧".into(),
        needed_by: today().checked_add_days(chrono::Days::new(days_left)),
        campaign_id: None,
        campaign_title: None,
        created_at: created,
        updated_at: created,
    }
}

/// A fresh element in the page to mount one test's view into.
fn container() -> HtmlElement {
    let document = document();
    let div = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&div).unwrap();
    div.unchecked_into()
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().unchecked_into())
        .collect()
}

fn text(root: &Element, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn wish_list_renders_a_card_per_wish_with_what_is_still_needed() {
    let root = container();
    let wishes = vec![
        wish("一个新书包", WishKind::Item, 4, 3, 30),
        wish("修电热水壶", WishKind::Service, 1, 0, 2),
        wish("竹凉席", WishKind::Item, 1, 0, 0),
    ];
    let ids: Vec<String> = wishes.iter().map(|w| w.id.to_string()).collect();
    let _mounted = mount_to(
        root.clone(),
        move || view! { <WishList wishes today=today() /> },
    );
    tick().await;

    let cards = all(&root, ".wish-card");
    assert_eq!(cards.len(), 3);
    for (card, id) in cards.iter().zip(&ids) {
        assert_eq!(card.get_attribute("href").unwrap(), format!("/wishes/{id}"));
    }
    let first = &cards[0];
    assert_eq!(text(first, ".wish-card__title"), "一个新书包");
    assert!(text(first, ".wish-card__who").contains("小娟"));
    assert!(text(first, ".wish-card__who").contains(t().group(BeneficiaryGroup::ChildInDifficulty)));
    assert_eq!(
        text(first, ".wish-card__need"),
        format!("{} 1/4 个", t().still_needed)
    );
    assert!(text(first, ".wish-card__due").contains("7月31日前"));
    let bar = first.query_selector(".progress").unwrap().unwrap();
    assert_eq!(bar.get_attribute("aria-valuenow").unwrap(), "3");
    let fill = first.query_selector(".progress__fill").unwrap().unwrap();
    assert_eq!(fill.get_attribute("style").unwrap(), "width: 75%");

    // The service card says so, and soon-due wishes are marked urgent.
    assert_eq!(cards[1].get_attribute("data-kind").unwrap(), "service");
    assert!(text(&cards[1], ".tag--service").contains(t().kind(WishKind::Service)));
    assert!(cards[1]
        .query_selector(".wish-card__due--urgent")
        .unwrap()
        .is_some());
    assert!(text(&cards[2], ".wish-card__due").contains(t().due_today));
    assert!(cards[0]
        .query_selector(".wish-card__due--urgent")
        .unwrap()
        .is_none());
}

#[wasm_bindgen_test]
async fn an_empty_wish_list_says_nothing_matched() {
    let root = container();
    let _mounted = mount_to(
        root.clone(),
        || view! { <WishList wishes=Vec::new() today=today() /> },
    );
    tick().await;
    assert!(all(&root, ".wish-card").is_empty());
    assert_eq!(text(&root, ".empty__title"), t().no_wishes);
}

#[wasm_bindgen_test]
async fn chip_group_selects_one_value_at_a_time() {
    let root = container();
    let selected = RwSignal::new(None::<WishKind>);
    let options = vec![
        (None, "全部".to_owned()),
        (Some(WishKind::Item), "物品".to_owned()),
        (Some(WishKind::Service), "服务".to_owned()),
    ];
    let on_select = Callback::new(move |kind| selected.set(kind));
    let _mounted = mount_to(root.clone(), move || {
        view! { <ChipGroup label="类型" options selected on_select /> }
    });
    tick().await;

    let chips = all(&root, ".chip");
    assert_eq!(chips.len(), 3);
    let pressed = || {
        all(&root, ".chip")
            .iter()
            .map(|chip| chip.get_attribute("aria-pressed").unwrap() == "true")
            .collect::<Vec<_>>()
    };
    assert_eq!(pressed(), [true, false, false]);

    chips[2].unchecked_ref::<HtmlElement>().click();
    tick().await;
    assert_eq!(selected.get_untracked(), Some(WishKind::Service));
    assert_eq!(pressed(), [false, false, true]);
    assert!(chips[2].class_list().contains("chip--on"));

    chips[0].unchecked_ref::<HtmlElement>().click();
    tick().await;
    assert_eq!(selected.get_untracked(), None);
    assert_eq!(pressed(), [true, false, false]);
}

#[wasm_bindgen_test]
async fn load_error_explains_and_retries() {
    let root = container();
    let retries = RwSignal::new(0);
    let message = t().error(&microwish::api::ApiError::Unreachable);
    let _mounted = mount_to(root.clone(), move || {
        view! { <LoadError message on_retry=Callback::new(move |_| retries.update(|n| *n += 1)) /> }
    });
    tick().await;
    assert_eq!(text(&root, ".load-error__message"), t().err_unreachable);
    assert!(root.query_selector("[role=alert]").unwrap().is_some());
    let button: HtmlElement = root
        .query_selector("button")
        .unwrap()
        .unwrap()
        .unchecked_into();
    button.click();
    button.click();
    tick().await;
    assert_eq!(retries.get_untracked(), 2);
}

#[wasm_bindgen_test]
fn due_labels_count_days() {
    let t = t();
    let today = today();
    let in_three = today.checked_add_days(chrono::Days::new(3)).unwrap();
    assert_eq!(t.due(in_three, today), format!("3{}", t.days_left));
    assert_eq!(t.due(today, today), t.due_today);
    let yesterday = today.pred_opt().unwrap();
    assert_eq!(t.due(yesterday, today), t.overdue);
    assert_eq!(t.date(in_three), "7月4日");
}

#[wasm_bindgen_test]
fn filters_round_trip_through_the_list_url() {
    let params = |pairs: &[(&'static str, &str)]| {
        pairs
            .iter()
            .map(|(key, value)| (*key, value.to_string()))
            .collect::<ParamsMap>()
    };
    // No parameters: open wishes only, at "/".
    let default = query_from_params(&params(&[]));
    assert_eq!(default.status, Some(WishStatus::Open));
    assert_eq!(list_url(&default), "/");

    let query = WishQuery {
        kind: Some(WishKind::Service),
        grid: Some("grid-4".into()),
        category: Some(Category::Haircut),
        status: None,
        q: Some("理发".into()),
        ..Default::default()
    };
    let url = list_url(&query);
    assert!(
        url.starts_with("/?kind=service&grid=grid-4&category=haircut&status=all&q="),
        "{url}"
    );
    let back = query_from_params(&params(&[
        ("kind", "service"),
        ("grid", "grid-4"),
        ("category", "haircut"),
        ("status", "all"),
        ("q", "理发"),
    ]));
    assert_eq!(back, query);

    // A mistyped link still shows wishes: bad values are ignored.
    let typo = query_from_params(&params(&[
        ("kind", "spaceship"),
        ("status", "nope"),
        ("q", "  "),
    ]));
    assert_eq!(typo, default);
}
