//! Browser tests of the SPA's components in headless Chromium (wasm-bindgen-test).
//! Run with `cargo test -p microwish --target wasm32-unknown-unknown` (see the Makefile).
#![cfg(target_arch = "wasm32")]

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::task::tick;
use leptos_router::params::ParamsMap;
use microwish::components::quantity_stepper::clamp_quantity;
use microwish::components::{
    ChipGroup, ClaimActions, ClaimCard, ClaimPanel, DatePicker, FieldMessages, LoadError,
    QuantityStepper, ShopOnly, Timeline, WishList,
};
use microwish::filters::{list_url, query_from_params};
use microwish::i18n::t;
use microwish::session::{login_url, Session};
use microwish::state::Data;
use microwish::sync::Sync;
use microwish_core::engine::SessionState;
use microwish_core::overlay::LocalState;
use microwish_core::{
    BeneficiaryGroup, Category, ClaimId, ClaimStatus, ClaimView, CommunityId, DisplayName,
    EventAction, EventView, Field, FieldCode, FieldError, HouseContact, Me, Phone, PublicWish,
    Role, UserId, VolunteerStatus, WishId, WishKind, WishQuery, WishStatus,
};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 7, 1).unwrap()
}

fn wish(title: &str, kind: WishKind, quantity: u32, claimed: u32, days_left: u64) -> PublicWish {
    let created = Utc.with_ymd_and_hms(2026, 6, 20, 8, 0, 0).unwrap();
    PublicWish {
        id: WishId::generate(),
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
    // The width is set through CSSOM (the content security policy forbids style attributes).
    let fill: HtmlElement = first
        .query_selector(".progress__fill")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(fill.style().get_property_value("width").unwrap(), "75%");

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

// ---- Accounts and claiming ----

fn exists(root: &Element, selector: &str) -> bool {
    root.query_selector(selector).unwrap().is_some()
}

fn click(root: &Element, selector: &str) {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .unchecked_into::<HtmlElement>()
        .click();
}

fn input(root: &Element, selector: &str) -> HtmlInputElement {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .unchecked_into()
}

/// Types `value` into a field the way a person does: the value changes, then the
/// browser fires `event` (`input` while typing, `change` when done).
fn type_into(root: &Element, selector: &str, value: &str, event: &str) {
    let field = input(root, selector);
    field.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict(event, &init).unwrap();
    field.dispatch_event(&event).unwrap();
}

/// A form control's current value (an input's or a select's).
fn value_of(root: &Element, selector: &str) -> String {
    let control = root
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"));
    js_sys::Reflect::get(&control, &"value".into())
        .unwrap()
        .as_string()
        .unwrap_or_default()
}

/// Picks `value` in a `<select>` the way a person does: the value changes, then `change`.
fn choose(root: &Element, selector: &str, value: &str) {
    let select = root
        .query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"));
    js_sys::Reflect::set(&select, &"value".into(), &value.into()).unwrap();
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    let event = web_sys::Event::new_with_event_init_dict("change", &init).unwrap();
    select.dispatch_event(&event).unwrap();
}

/// Records what each call of a callback was given.
fn recorder<T: Clone + Send + std::marker::Sync + 'static>() -> (RwSignal<Vec<T>>, Callback<T>) {
    let calls = RwSignal::new(Vec::new());
    (
        calls,
        Callback::new(move |value| calls.update(|calls| calls.push(value))),
    )
}

/// 2026-07-03 10:00 China time.
fn claimed_at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 7, 3, 2, 0, 0).unwrap()
}

fn claim(status: ClaimStatus, wish: PublicWish) -> ClaimView {
    ClaimView {
        id: ClaimId::generate(),
        wish_id: wish.id,
        quantity: 2,
        status,
        note: "周六上午送到".into(),
        created_at: claimed_at(),
        updated_at: claimed_at(),
        // 18:00 China time on 10 July.
        hold_until: Utc.with_ymd_and_hms(2026, 7, 10, 10, 0, 0).unwrap(),
        slot_start: None,
        slot_end: None,
        reject_reason: None,
        claimer_id: UserId::generate(),
        claimer_name: "张阿姨".into(),
        claimer_role: Role::Donor,
        claimer_phone: None,
        thanks: None,
        handover_code: None,
        wish,
        contact: None,
    }
}

fn house_call(status: ClaimStatus) -> ClaimView {
    let mut visit = claim(status, wish("修电热水壶", WishKind::Service, 1, 1, 5));
    visit.quantity = 1;
    visit.claimer_role = Role::Volunteer;
    visit.slot_start = Some(claimed_at());
    visit.slot_end = Some(claimed_at() + chrono::Duration::minutes(90));
    visit.contact = Some(HouseContact {
        alias: "王爷爷".into(),
        name: None,
        address: "星怡花园12幢301室".into(),
        phone: "13900001111".into(),
    });
    visit
}

fn me(role: Role) -> Me {
    Me {
        id: UserId::generate(),
        display_name: DisplayName::parse("张阿姨").unwrap(),
        phone: Phone::parse("13912345678").unwrap(),
        role,
        volunteer_minutes: 0,
        // A volunteer here has been met and approved (the waiting one is tested apart).
        volunteer_status: (role == Role::Volunteer).then_some(VolunteerStatus::Approved),
        party_member: false,
        community: None,
        partner_communities: Vec::new(),
        phone_verified: false,
        volunteer_reason: None,
    }
}

fn counter() -> (RwSignal<u32>, Callback<()>) {
    let count = RwSignal::new(0);
    (count, Callback::new(move |_| count.update(|n| *n += 1)))
}

#[wasm_bindgen_test]
async fn an_active_item_claim_says_where_to_bring_it_by_when_and_releases_only_after_asking() {
    let root = container();
    let item = claim(
        ClaimStatus::Active,
        wish("一个新书包", WishKind::Item, 4, 3, 30),
    );
    let wish_id = item.wish_id;
    let (delivered, deliver) = counter();
    let (released, release) = recorder::<Option<u32>>();
    let _mounted = mount_to(root.clone(), move || {
        view! { <ClaimCard claim=item actions=ClaimActions::Owner { deliver, release } /> }
    });
    tick().await;

    let card = root.query_selector(".claim-card").unwrap().unwrap();
    assert_eq!(card.get_attribute("data-status").unwrap(), "active");
    let title = card.query_selector(".claim-card__title").unwrap().unwrap();
    assert_eq!(
        title.get_attribute("href").unwrap(),
        format!("/wishes/{wish_id}")
    );
    assert_eq!(text(&card, ".claim-status"), "进行中");
    assert_eq!(
        text(&card, ".claim-card__meta"),
        "认领 2 个 · 小娟 · 第四网格"
    );
    assert_eq!(
        text(&card, ".claim-card__deadline"),
        "请在 7月10日 18:00 前送达 第四网格驿站(星怡花园32幢东侧)"
    );
    assert!(text(&card, ".claim-card__note").contains("周六上午送到"));
    // Donors never see a household's contact, and claim cards of items carry none.
    assert!(!exists(&card, ".claim-card__contact"));
    assert!(!exists(&card, ".claim-card__claimer"));

    // Marking delivered cannot be taken back: it asks first, and "再想想" changes nothing.
    click(&card, ".claim-card__deliver");
    tick().await;
    assert!(text(&card, ".claim-card__ask").contains("确定已经送到驿站"));
    assert_eq!(delivered.get_untracked(), 0);
    click(&card, ".claim-card__deliver-no");
    tick().await;
    assert_eq!(delivered.get_untracked(), 0);
    click(&card, ".claim-card__deliver");
    tick().await;
    click(&card, ".claim-card__deliver-yes");
    tick().await;
    assert_eq!(delivered.get_untracked(), 1);
    assert_eq!(text(&card, ".claim-card__deliver"), "标记已送达");

    // Releasing asks first; "再想想" goes back without releasing.
    click(&card, ".claim-card__release");
    tick().await;
    assert!(text(&card, ".claim-card__ask").contains("确定放弃"));
    assert!(!exists(&card, ".claim-card__deliver"));
    click(&card, ".claim-card__release-no");
    tick().await;
    assert!(released.get_untracked().is_empty());
    // All of it by default ("全部 2 份"), or only part: the rest stays held.
    click(&card, ".claim-card__release");
    tick().await;
    assert!(text(&card, ".claim-card__give-back").contains("全部 2 份"));
    click(&card, ".claim-card__release-yes");
    tick().await;
    click(&card, ".claim-card__release");
    tick().await;
    choose(&card, "select[name=give_back]", "1");
    click(&card, ".claim-card__release-yes");
    tick().await;
    assert_eq!(released.get_untracked(), vec![None, Some(1)]);
}

#[wasm_bindgen_test]
async fn a_claim_card_waits_while_busy_and_shows_why_an_action_failed() {
    let root = container();
    let item = claim(ClaimStatus::Active, wish("竹凉席", WishKind::Item, 1, 1, 3));
    let busy = RwSignal::new(true);
    let error = RwSignal::new(None::<String>);
    let (_, deliver) = counter();
    let (_, release) = recorder::<Option<u32>>();
    let _mounted = mount_to(root.clone(), move || {
        view! { <ClaimCard claim=item actions=ClaimActions::Owner { deliver, release } busy error /> }
    });
    tick().await;
    let button = input(&root, ".claim-card__deliver");
    assert!(button
        .unchecked_ref::<web_sys::HtmlElement>()
        .has_attribute("disabled"));
    assert_eq!(text(&root, ".claim-card__deliver"), t().claim.working);

    busy.set(false);
    error.set(Some(t().problem.invalid_state.to_owned()));
    tick().await;
    assert!(!input(&root, ".claim-card__deliver").has_attribute("disabled"));
    assert_eq!(
        text(&root, ".claim-card [role=alert]"),
        t().problem.invalid_state
    );
}

#[wasm_bindgen_test]
async fn a_house_call_claim_shows_its_slot_and_the_household_contact_when_sent() {
    let root = container();
    let visit = house_call(ClaimStatus::Delivered);
    let (_, deliver) = counter();
    let (_, release) = recorder::<Option<u32>>();
    let _mounted = mount_to(root.clone(), move || {
        view! { <ClaimCard claim=visit actions=ClaimActions::Owner { deliver, release } /> }
    });
    tick().await;
    assert_eq!(
        text(&root, ".claim-card__slot"),
        "上门时间:7月3日 10:00–11:30"
    );
    let contact = text(&root, ".claim-card__contact");
    assert!(
        contact.contains("王爷爷") && contact.contains("星怡花园12幢301室"),
        "{contact}"
    );
    let phone = root
        .query_selector(".claim-card__contact a")
        .unwrap()
        .unwrap();
    assert_eq!(phone.get_attribute("href").unwrap(), "tel:13900001111");
    // A visit made, in a visit's words.
    assert_eq!(text(&root, ".claim-status"), "已上门,待确认");
    // Delivered: nothing left for the claimer to do, and no deadline any more.
    assert!(!exists(&root, ".claim-card__deliver"));
    assert!(!exists(&root, ".claim-card__release"));
    assert!(!exists(&root, ".claim-card__deadline"));
}

#[wasm_bindgen_test]
async fn a_house_call_is_marked_done_only_once_its_slot_has_begun() {
    let root = container();
    let now = microwish::china_time::now();
    let mut later = house_call(ClaimStatus::Active);
    later.slot_start = Some(now + chrono::Duration::hours(2));
    later.slot_end = Some(now + chrono::Duration::hours(3));
    let mut begun = house_call(ClaimStatus::Active);
    begun.slot_start = Some(now - chrono::Duration::minutes(10));
    begun.slot_end = Some(now + chrono::Duration::minutes(50));
    let (done, deliver) = counter();
    let (_, release) = recorder::<Option<u32>>();
    let _mounted = mount_to(root.clone(), move || {
        view! {
            <ClaimCard claim=later actions=ClaimActions::Owner { deliver, release } />
            <ClaimCard claim=begun actions=ClaimActions::Owner { deliver, release } />
        }
    });
    tick().await;
    let cards = all(&root, ".claim-card");
    assert_eq!(text(&cards[0], ".claim-card__deliver"), "已上门服务");
    assert!(input(&cards[0], ".claim-card__deliver").has_attribute("disabled"));
    assert_eq!(
        text(&cards[0], ".claim-card__not-yet"),
        "服务时间开始后才能标记"
    );
    // No drop-off deadline for a visit: its slot says when.
    assert!(!exists(&cards[0], ".claim-card__deadline"));

    assert!(!input(&cards[1], ".claim-card__deliver").has_attribute("disabled"));
    assert!(!exists(&cards[1], ".claim-card__not-yet"));
    click(&cards[1], ".claim-card__deliver");
    tick().await;
    assert!(text(&cards[1], ".claim-card__ask").contains("确定已经上门服务过了吗"));
    click(&cards[1], ".claim-card__deliver-yes");
    tick().await;
    assert_eq!(done.get_untracked(), 1);
}

#[wasm_bindgen_test]
async fn finished_claims_offer_no_actions_and_rejected_ones_say_why() {
    let root = container();
    let mut rejected = claim(
        ClaimStatus::Rejected,
        wish("电风扇", WishKind::Item, 1, 0, 9),
    );
    rejected.reject_reason = Some("物品与心愿不符".into());
    let confirmed = claim(
        ClaimStatus::Confirmed,
        wish("大米", WishKind::Item, 2, 2, 9),
    );
    let confirm = Callback::new(|_: Option<u32>| {});
    let reject = Callback::new(|_: String| {});
    let thank = Callback::new(|_: String| {});
    let _mounted = mount_to(root.clone(), move || {
        view! {
            <ClaimCard claim=rejected actions=ClaimActions::Worker { confirm, reject, thank } />
            <ClaimCard claim=confirmed actions=ClaimActions::None />
        }
    });
    tick().await;
    let cards = all(&root, ".claim-card");
    assert_eq!(text(&cards[0], ".claim-status"), "已退回");
    assert_eq!(
        text(&cards[0], ".claim-card__reason"),
        "退回原因:物品与心愿不符"
    );
    assert_eq!(text(&cards[1], ".claim-status"), "已确认收到");
    assert!(all(&root, ".claim-card__actions").is_empty());
}

#[wasm_bindgen_test]
async fn a_worker_confirms_or_rejects_with_a_reason_and_sees_who_claimed() {
    let root = container();
    let delivered = claim(
        ClaimStatus::Delivered,
        wish("一个新书包", WishKind::Item, 4, 3, 30),
    );
    let confirmed = RwSignal::new(Vec::<Option<u32>>::new());
    let confirm = Callback::new(move |minutes| confirmed.update(|all| all.push(minutes)));
    let reasons = RwSignal::new(Vec::<String>::new());
    let reject = Callback::new(move |reason| reasons.update(|all| all.push(reason)));
    let thank = Callback::new(|_: String| {});
    let mut delivered = delivered;
    delivered.claimer_phone = Some(Phone::parse("13912345678").unwrap());
    let _mounted = mount_to(root.clone(), move || {
        view! { <ClaimCard claim=delivered actions=ClaimActions::Worker { confirm, reject, thank } /> }
    });
    tick().await;
    assert_eq!(
        text(&root, ".claim-card__claimer"),
        "认领人:张阿姨(爱心人士) 拨打 13912345678"
    );
    assert_eq!(
        root.query_selector(".claim-card__call")
            .unwrap()
            .unwrap()
            .get_attribute("href")
            .as_deref(),
        Some("tel:13912345678")
    );
    assert!(
        !exists(&root, "input[name=minutes]"),
        "items have no minutes"
    );
    // Confirming cannot be taken back: the card asks first, and "再想想" changes nothing.
    click(&root, ".claim-card__confirm");
    tick().await;
    assert!(confirmed.get_untracked().is_empty(), "asked first");
    assert!(text(&root, ".claim-card__ask p").contains("不能撤回"));
    click(&root, ".claim-card__confirm-no");
    tick().await;
    assert!(confirmed.get_untracked().is_empty());
    click(&root, ".claim-card__confirm");
    tick().await;
    click(&root, ".claim-card__confirm-yes");
    tick().await;
    assert_eq!(confirmed.get_untracked(), vec![None]);
    assert_eq!(text(&root, ".claim-card__confirm"), "确认收到");

    click(&root, ".claim-card__reject");
    tick().await;
    assert!(!exists(&root, ".claim-card__confirm"));
    type_into(&root, "input[name=reason]", "  物品破损  ", "input");
    click(&root, ".claim-card__reject-yes");
    tick().await;
    assert_eq!(reasons.get_untracked(), vec!["物品破损".to_owned()]);
    // The form closes; the card is back to its buttons.
    assert!(exists(&root, ".claim-card__confirm"));
}

#[wasm_bindgen_test]
async fn a_house_call_is_confirmed_with_the_minutes_served_and_thanks_are_written_down() {
    let root = container();
    let delivered = house_call(ClaimStatus::Delivered);
    let confirmed = RwSignal::new(Vec::<Option<u32>>::new());
    let confirm = Callback::new(move |minutes| confirmed.update(|all| all.push(minutes)));
    let reject = Callback::new(|_: String| {});
    let thanked = RwSignal::new(Vec::<String>::new());
    let thank = Callback::new(move |text| thanked.update(|all| all.push(text)));
    let mut done = house_call(ClaimStatus::Confirmed);
    done.thanks = None;
    let _mounted = mount_to(root.clone(), move || {
        view! {
            <ClaimCard claim=delivered actions=ClaimActions::Worker { confirm, reject, thank } />
            <ClaimCard claim=done actions=ClaimActions::Worker { confirm, reject, thank } />
        }
    });
    tick().await;
    let cards = all(&root, ".claim-card");
    assert_eq!(text(&cards[0], ".claim-status"), "已上门,待确认");
    assert_eq!(text(&cards[1], ".claim-status"), "服务已完成");
    assert_eq!(text(&cards[0], ".claim-card__confirm"), "确认服务完成");
    // The slot was 90 minutes: that is what is offered; the worker may change it.
    assert_eq!(input(&cards[0], "input[name=minutes]").value(), "90");
    type_into(&cards[0], "input[name=minutes]", "0", "input");
    click(&cards[0], ".claim-card__confirm");
    tick().await;
    assert!(
        confirmed.get_untracked().is_empty(),
        "0 minutes is refused here"
    );
    assert!(exists(&cards[0], ".field__error[data-field=minutes]"));
    type_into(&cards[0], "input[name=minutes]", "120", "input");
    click(&cards[0], ".claim-card__confirm");
    tick().await;
    // The question says what will be credited.
    assert!(text(&cards[0], ".claim-card__ask p").contains("120 分钟"));
    click(&cards[0], ".claim-card__confirm-yes");
    tick().await;
    assert_eq!(confirmed.get_untracked(), vec![Some(120)]);

    // Confirmed without thanks yet: the worker writes them down (not an empty line).
    click(&cards[1], ".claim-card__thank");
    tick().await;
    assert!(thanked.get_untracked().is_empty());
    assert!(exists(&cards[1], ".field__error[data-field=text]"));
    type_into(
        &cards[1],
        "input[name=thanks]",
        " 谢谢师傅,水壶修好了! ",
        "input",
    );
    click(&cards[1], ".claim-card__thank");
    tick().await;
    assert_eq!(
        thanked.get_untracked(),
        vec!["谢谢师傅,水壶修好了!".to_owned()]
    );
}

#[wasm_bindgen_test]
async fn the_claimer_reads_the_households_thanks() {
    let root = container();
    let mut confirmed = claim(
        ClaimStatus::Confirmed,
        wish("大米", WishKind::Item, 2, 2, 9),
    );
    confirmed.thanks = Some("赵阿姨说:米和油都收到了!".into());
    let _mounted = mount_to(root.clone(), move || {
        view! { <ClaimCard claim=confirmed actions=ClaimActions::None /> }
    });
    tick().await;
    assert_eq!(
        text(&root, ".claim-card__thanks"),
        "受助人的感谢:赵阿姨说:米和油都收到了!"
    );
    assert!(!exists(&root, ".claim-card__thanks-form"));
}

#[wasm_bindgen_test]
async fn the_quantity_stepper_stays_between_one_and_what_remains() {
    assert_eq!(clamp_quantity(0, 5), 1);
    assert_eq!(clamp_quantity(7, 5), 5);
    assert_eq!(clamp_quantity(3, 5), 3);
    assert_eq!(clamp_quantity(3, 0), 1);

    let root = container();
    let value = RwSignal::new(1u32);
    let max = RwSignal::new(3u32);
    let _mounted = mount_to(root.clone(), move || {
        view! { <QuantityStepper value max unit="个" /> }
    });
    tick().await;
    let minus = || input(&root, ".stepper__minus");
    let plus = || input(&root, ".stepper__plus");
    assert!(minus().has_attribute("disabled"));
    assert_eq!(input(&root, ".stepper__value").value(), "1");

    for _ in 0..5 {
        plus().click();
        tick().await;
    }
    assert_eq!(value.get_untracked(), 3);
    assert!(plus().has_attribute("disabled"));
    assert!(!minus().has_attribute("disabled"));
    minus().click();
    tick().await;
    assert_eq!(value.get_untracked(), 2);

    // Typed numbers are kept in bounds, saying so; garbage leaves the last good value.
    assert!(!exists(&root, ".stepper__clamped"));
    type_into(&root, ".stepper__value", "99", "change");
    tick().await;
    assert_eq!(value.get_untracked(), 3);
    assert_eq!(input(&root, ".stepper__value").value(), "3");
    assert_eq!(text(&root, ".stepper__clamped"), "只剩 3个,数量已改为 3。");
    type_into(&root, ".stepper__value", "0", "change");
    tick().await;
    assert_eq!(value.get_untracked(), 1);
    assert!(
        !exists(&root, ".stepper__clamped"),
        "a fitting number clears it"
    );
    type_into(&root, ".stepper__value", "abc", "change");
    tick().await;
    assert_eq!(value.get_untracked(), 1);
    assert_eq!(input(&root, ".stepper__value").value(), "1");

    // Someone else claimed meanwhile: the value follows the remaining count down.
    value.set(3);
    max.set(2);
    tick().await;
    assert_eq!(value.get_untracked(), 2);
    assert_eq!(input(&root, ".stepper__value").value(), "2");
    assert_eq!(text(&root, ".stepper__clamped"), "只剩 2个,数量已改为 2。");
}

#[wasm_bindgen_test]
async fn field_messages_show_under_their_own_field_only() {
    let root = container();
    let errors = RwSignal::new(vec![
        FieldError {
            field: Field::Password,
            code: FieldCode::TooCommon,
            message: "this password is too easy to guess".into(),
        },
        FieldError {
            field: Field::Phone,
            code: FieldCode::Invalid,
            message: "an 11-digit mainland mobile number".into(),
        },
    ]);
    let _mounted = mount_to(root.clone(), move || {
        view! { <div class="under-password"><FieldMessages field=Field::Password errors /></div> }
    });
    tick().await;
    let shown = all(&root, ".field__error");
    assert_eq!(shown.len(), 1);
    assert_eq!(
        shown[0].text_content().unwrap(),
        t().field_error(Field::Password, FieldCode::TooCommon)
    );
    errors.set(Vec::new());
    tick().await;
    assert!(all(&root, ".field__error").is_empty());
}

#[wasm_bindgen_test]
fn login_links_carry_where_to_come_back_to() {
    assert_eq!(login_url("/"), "/login");
    assert_eq!(
        login_url("/wishes/1?x=2"),
        "/login?next=%2Fwishes%2F1%3Fx%3D2"
    );
}

fn mount_claim_panel(root: &HtmlElement, wish: PublicWish, state: SessionState) -> impl Drop {
    mount_to(root.clone(), move || {
        let data = Data::new(state.clone());
        provide_context(data);
        let session = Session(data.session);
        let me = match &state {
            SessionState::LoggedIn(me) => Some(me.clone()),
            _ => None,
        };
        let mut seed = LocalState::default();
        seed.wishes.insert(wish.id, wish.clone());
        provide_context(Sync::in_memory(data, me, seed));
        let wish = RwSignal::new(wish);
        view! { <ClaimPanel wish session /> }
    })
}

#[wasm_bindgen_test]
async fn the_claim_panel_sends_logged_out_visitors_to_log_in_and_back() {
    let root = container();
    let item = wish("一个新书包", WishKind::Item, 4, 1, 30);
    let id = item.id;
    let _mounted = mount_claim_panel(&root, item, SessionState::LoggedOut);
    tick().await;
    let link = root.query_selector(".claim-panel__login").unwrap().unwrap();
    assert_eq!(link.text_content().unwrap(), "登录后认领");
    assert_eq!(
        link.get_attribute("href").unwrap(),
        format!("/login?next=%2Fwishes%2F{id}")
    );
    assert!(!exists(&root, "form"));
}

#[wasm_bindgen_test]
async fn the_claim_panel_gives_a_donor_a_stepper_up_to_what_remains() {
    let root = container();
    let item = wish("一个新书包", WishKind::Item, 4, 1, 30);
    let _mounted = mount_claim_panel(&root, item, SessionState::LoggedIn(me(Role::Donor)));
    tick().await;
    assert_eq!(
        input(&root, ".stepper__value")
            .get_attribute("max")
            .unwrap(),
        "3"
    );
    assert!(exists(&root, "textarea[name=note]"));
    assert!(
        !exists(&root, "select[name=slot_date]"),
        "items take no time slot"
    );
    // By when and where, before the tap: the hold (7 days by default) from now.
    let deadline = text(&root, ".claim-form__deadline");
    let due = microwish::china_time::now() + chrono::Duration::days(7);
    let at_due = |due| deadline.contains(&t().date_time(due));
    assert!(
        deadline.starts_with("认领后请在")
            && (at_due(due) || at_due(due - chrono::Duration::minutes(1))),
        "{deadline}"
    );
    assert_eq!(text(&root, ".claim-panel__submit"), "确认认领");
}

#[wasm_bindgen_test]
async fn the_claim_panel_explains_who_may_not_claim() {
    let visit = wish("修电热水壶", WishKind::Service, 1, 0, 5);
    let item = wish("一个新书包", WishKind::Item, 4, 1, 30);
    let mut fulfilled = item.clone();
    fulfilled.status = WishStatus::Fulfilled;
    // (wish, role, what the panel says, whether it is headed as a call to claim)
    let cases = [
        (visit, Role::Donor, "上门服务由志愿者认领", true),
        (item.clone(), Role::Shopkeeper, "爱心商户", true),
        (item, Role::Worker, "社区工作人员不能认领", true),
    ];
    for (wish, role, expected, headed) in cases {
        let root = container();
        let _mounted = mount_claim_panel(&root, wish, SessionState::LoggedIn(me(role)));
        tick().await;
        assert!(!exists(&root, "form"), "{role:?}");
        let notice = text(&root, ".claim-panel__notice");
        assert!(notice.contains(expected), "{role:?}: {notice}");
        assert_eq!(exists(&root, ".claim-panel__title"), headed, "{expected}");
    }
    // A finished wish: its page says so (with its thanks and other wishes); the panel adds
    // no second notice and no call to claim.
    let root = container();
    let _mounted = mount_claim_panel(&root, fulfilled, SessionState::LoggedIn(me(Role::Donor)));
    tick().await;
    assert!(!exists(&root, "form") && !exists(&root, ".claim-panel__notice"));
    assert!(!exists(&root, ".claim-panel__title"));
}

#[wasm_bindgen_test]
async fn a_volunteer_picks_a_china_time_slot_and_bad_slots_are_explained_before_sending() {
    let root = container();
    let mut visit = wish("修电热水壶", WishKind::Service, 1, 0, 5);
    visit.needed_by = None;
    let _mounted = mount_claim_panel(&root, visit, SessionState::LoggedIn(me(Role::Volunteer)));
    tick().await;
    assert!(!exists(&root, ".stepper"), "a house call is one visit");
    let today = microwish::china_time::today();
    let tomorrow = today.succ_opt().unwrap();
    assert_eq!(
        value_of(&root, "select[name=slot_date]"),
        tomorrow.format("%Y-%m-%d").to_string()
    );
    assert_eq!(value_of(&root, "select[name=slot_start]"), "09:00");
    assert_eq!(value_of(&root, "select[name=slot_end]"), "10:00");
    // The days are written in the app's language, not the phone's: today and the 90 after
    // (late in the evening, when no time is left today, from tomorrow).
    let days = all(&root, "select[name=slot_date] option");
    let ten_pm = chrono::NaiveTime::from_hms_opt(22, 0, 0).unwrap();
    let late = !microwish_core::command::slot_start_allowed(
        microwish_core::clock::from_china(today, ten_pm),
        microwish::china_time::now(),
    );
    let days = if late {
        assert_eq!(days.len(), 90);
        assert!(days[0].text_content().unwrap().contains("(明天)"));
        &days[..]
    } else {
        assert_eq!(days.len(), 91);
        assert!(days[0].text_content().unwrap().ends_with("(今天)"));
        &days[1..]
    };
    assert!(days[0].text_content().unwrap().contains("(明天)"));
    assert!(days[1].text_content().unwrap().contains("周"));
    // Times on the half hour, 24-hour.
    assert_eq!(text(&root, "select[name=slot_start] option"), "06:00");
    assert_eq!(all(&root, "select[name=slot_end] option").len(), 33);

    // An end before the start is caught by core's rules, in the browser.
    choose(&root, "select[name=slot_end]", "08:30");
    click(&root, ".claim-panel__submit");
    tick().await;
    assert_eq!(
        text(&root, ".field__error[data-field=slot_end]"),
        "结束时间要晚于开始时间"
    );
    assert_eq!(text(&root, ".form-error"), t().problem.validation_failed);
    assert_eq!(
        text(&root, ".claim-panel__submit"),
        t().claim.submit_service,
        "nothing was sent"
    );
}

#[wasm_bindgen_test]
async fn a_house_call_for_today_offers_only_times_still_to_come() {
    let root = container();
    let mut visit = wish("修电热水壶", WishKind::Service, 1, 0, 5);
    visit.needed_by = None;
    let _mounted = mount_claim_panel(&root, visit, SessionState::LoggedIn(me(Role::Volunteer)));
    tick().await;
    let today = microwish::china_time::today();
    let first = value_of(&root, "select[name=slot_date] option");
    if first != today.format("%Y-%m-%d").to_string() {
        return; // Late in the evening: no time is left today (the test above covers it).
    }
    choose(&root, "select[name=slot_date]", &first);
    tick().await;
    let now = microwish::china_time::now();
    for option in all(&root, "select[name=slot_start] option") {
        let value = option.get_attribute("value").unwrap();
        let time = chrono::NaiveTime::parse_from_str(&value, "%H:%M").unwrap();
        assert!(
            microwish_core::command::slot_start_allowed(
                microwish_core::clock::from_china(today, time),
                now
            ),
            "{value} is already past"
        );
    }
    let start = value_of(&root, "select[name=slot_start]");
    assert!(!start.is_empty(), "a time still to come is chosen");
}

#[wasm_bindgen_test]
async fn the_timeline_shows_the_latest_events_first_by_role_or_name() {
    let root = container();
    let event = |seq: i64, action: &str, role: Option<Role>, name: Option<&str>| EventView {
        seq,
        at: claimed_at() + chrono::Duration::hours(seq),
        action: action.parse::<EventAction>().unwrap(),
        from_status: None,
        to_status: None,
        actor_role: role,
        actor_name: name.map(Into::into),
        note: None,
    };
    let events = vec![
        event(1, "publish", Some(Role::Worker), None),
        event(2, "claim", Some(Role::Donor), None),
        event(3, "confirm", Some(Role::Worker), Some("网格长 李红")),
        EventView {
            to_status: Some("fulfilled".into()),
            ..event(4, "status", Some(Role::Worker), Some("网格长 李红"))
        },
        event(5, "expire", None, None),
        // Part of a claim given back: the claim stays active.
        EventView {
            from_status: Some("active".into()),
            to_status: Some("active".into()),
            ..event(6, "release", Some(Role::Donor), None)
        },
    ];
    let _mounted = mount_to(root.clone(), move || view! { <Timeline events /> });
    tick().await;
    let items: Vec<String> = all(&root, ".timeline__what")
        .iter()
        .map(|item| item.text_content().unwrap())
        .collect();
    assert_eq!(
        items,
        [
            "爱心人士 放弃了部分认领",
            "系统 认领超时,数量已退回",
            "心愿状态变为“已实现”",
            "网格长 李红 确认收到",
            "爱心人士 认领了",
            "社区工作人员 发布了心愿",
        ]
    );
    assert_eq!(text(&root, ".timeline__time"), "7月3日 16:00");
}

#[wasm_bindgen_test]
async fn a_wish_already_held_says_so_after_a_reload() {
    let root = container();
    let item = wish("一个新书包", WishKind::Item, 4, 2, 30);
    let donor = me(Role::Donor);
    let mut mine = claim(ClaimStatus::Active, item.clone());
    mine.claimer_id = donor.id;
    let someone_elses = claim(ClaimStatus::Active, item.clone());
    let _mounted = mount_to(root.clone(), move || {
        let state = SessionState::LoggedIn(donor.clone());
        let data = Data::new(state);
        provide_context(data);
        let session = Session(data.session);
        let mut seed = LocalState::default();
        seed.wishes.insert(item.id, item.clone());
        seed.claims.insert(mine.id, mine.clone());
        seed.claims.insert(someone_elses.id, someone_elses.clone());
        provide_context(Sync::in_memory(data, Some(donor.clone()), seed));
        let wish = RwSignal::new(item.clone());
        view! { <ClaimPanel wish session /> }
    });
    tick().await;
    let held = text(&root, ".claim-panel__held");
    assert!(held.starts_with("你已认领 2个,正在进行中"), "{held}");
    assert_eq!(
        root.query_selector(".claim-panel__held a")
            .unwrap()
            .unwrap()
            .get_attribute("href")
            .unwrap(),
        "/me/claims"
    );
    assert!(
        exists(&root, ".claim-panel__submit"),
        "more may still be claimed"
    );
}

#[wasm_bindgen_test]
async fn a_house_call_note_suggests_a_visit_not_a_drop_off() {
    let root = container();
    let visit = wish("修电热水壶", WishKind::Service, 1, 0, 5);
    let _mounted = mount_claim_panel(&root, visit, SessionState::LoggedIn(me(Role::Volunteer)));
    tick().await;
    let placeholder = root
        .query_selector("textarea[name=note]")
        .unwrap()
        .unwrap()
        .get_attribute("placeholder")
        .unwrap();
    assert!(!placeholder.contains("驿站"), "{placeholder}");
    assert!(!exists(&root, ".claim-panel__held"), "nothing held yet");
}

/// Dates are chosen from lists in the app's language; the value is whole or empty, and the
/// days follow the chosen month (a day past its end moves back, in plain sight).
#[wasm_bindgen_test]
async fn a_date_is_chosen_from_lists_in_the_apps_language() {
    let root = container();
    let value = RwSignal::new("2026-01-31".to_owned());
    let _mounted = mount_to(root.clone(), move || {
        view! { <DatePicker name="needed_by" label="日期" value years=2026..=2027 /> }
    });
    tick().await;
    let chosen = |list: &str| {
        text(
            &root,
            &format!("select[name=needed_by_{list}] option:checked"),
        )
    };
    assert_eq!(
        (chosen("year"), chosen("month"), chosen("day")),
        ("2026年".to_owned(), "1月".to_owned(), "31日".to_owned())
    );
    assert_eq!(all(&root, "select[name=needed_by_day] option").len(), 32);

    choose(&root, "select[name=needed_by_month]", "2");
    tick().await;
    assert_eq!(value.get_untracked(), "2026-02-28");
    assert_eq!(chosen("day"), "28日");
    assert_eq!(all(&root, "select[name=needed_by_day] option").len(), 29);

    // Leaving a list at "—" leaves no date (the form's rules ask for one if needed).
    choose(&root, "select[name=needed_by_day]", "");
    tick().await;
    assert_eq!(value.get_untracked(), "");
    assert_eq!(chosen("month"), "2月", "the other lists keep their choice");

    // A date set from elsewhere (a draft loaded) shows in the lists.
    value.set("2027-03-05".to_owned());
    tick().await;
    assert_eq!(
        (chosen("year"), chosen("month"), chosen("day")),
        ("2027年".to_owned(), "3月".to_owned(), "5日".to_owned())
    );
}

#[wasm_bindgen_test]
async fn a_claim_on_a_withdrawn_wish_thanks_its_giver_instead_of_saying_it_was_returned() {
    let root = container();
    let mut withdrawn_wish = wish("电风扇", WishKind::Item, 1, 0, 9);
    withdrawn_wish.status = WishStatus::Cancelled;
    let mut withdrawn = claim(ClaimStatus::Rejected, withdrawn_wish);
    withdrawn.reject_reason = Some("受助人已搬离".into());
    let waiting = claim(ClaimStatus::Active, wish("书包", WishKind::Item, 2, 2, 9));
    let _mounted = mount_to(root.clone(), move || {
        view! {
            <ClaimCard claim=withdrawn actions=ClaimActions::None />
            <ClaimCard claim=waiting actions=ClaimActions::None waiting=true />
        }
    });
    tick().await;
    let cards = all(&root, ".claim-card");
    assert_eq!(text(&cards[0], ".claim-status"), "心愿已撤回");
    assert_eq!(
        text(&cards[0], ".claim-card__reason"),
        "撤回原因:受助人已搬离"
    );
    assert_eq!(
        text(&cards[0], ".claim-card__withdrawn-thanks"),
        t().giving.withdrawn_thanks
    );
    assert_eq!(text(&cards[1], ".claim-status"), "待发送");
}

#[wasm_bindgen_test]
async fn a_shops_page_keeps_what_is_typed_when_only_the_shops_own_fields_change() {
    let root = container();
    let shop = me(Role::Shopkeeper);
    let session = Session::new(SessionState::LoggedIn(shop.clone()));
    let _mounted = mount_to(root.clone(), move || {
        provide_context(session);
        // A form's state lives in its signals: a page built again starts them empty.
        let form = |_| {
            let typed = RwSignal::new(String::new());
            view! {
                <input class="typed" bind:value=typed />
                <p class="echo">{move || typed.get()}</p>
            }
        };
        view! { <ShopOnly children=form /> }
    });
    tick().await;
    let echo = || text(&root, ".echo");
    type_into(&root, ".typed", "儿童冬鞋", "input");
    tick().await;
    assert_eq!(echo(), "儿童冬鞋");
    // A pairing agreed meanwhile: the next pull gives the shop a partner community.
    let paired = Me {
        partner_communities: vec![CommunityId::generate()],
        ..shop.clone()
    };
    session.0.set(SessionState::LoggedIn(paired));
    tick().await;
    assert_eq!(echo(), "儿童冬鞋", "the half-typed pledge stays");
    // Someone else signed in: the page starts over.
    session.0.set(SessionState::LoggedIn(me(Role::Shopkeeper)));
    tick().await;
    assert_eq!(echo(), "");
}
