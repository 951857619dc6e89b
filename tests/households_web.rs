//! Browser tests of the worker console's household registry, wish form and volunteer
//! vetting: the pages are mounted in a router at their own address, over an in-memory sync
//! (offline, nothing sent).
#![cfg(target_arch = "wasm32")]

use chrono::{TimeZone, Utc};
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use microwish::i18n::t;
use microwish::pages::{HouseholdPage, HouseholdsPage, VolunteersPage, WishFormPage};
use microwish::session::Session;
use microwish::state::Data;
use microwish::sync::{sleep, Sync};
use microwish_core::engine::{SessionState, SyncStatus};
use microwish_core::overlay::LocalState;
use microwish_core::{
    BeneficiaryGroup, CommunityId, DisplayName, Field, FieldCode, Grid, GridId, Household,
    HouseholdId, Me, Phone, Role, UserId, VolunteerStatus, VolunteerView, WishKind, WishStatus,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn worker(community: CommunityId) -> Me {
    Me {
        id: UserId::generate(),
        display_name: DisplayName::parse("网格长 李红").unwrap(),
        phone: Phone::parse("13912345678").unwrap(),
        role: Role::Worker,
        volunteer_minutes: 0,
        volunteer_status: None,
        party_member: false,
        community: Some(community),
        partner_communities: Vec::new(),
        phone_verified: false,
        volunteer_reason: None,
    }
}

fn grid(code: &str, name: &str, community: CommunityId) -> Grid {
    Grid {
        id: GridId::from(code),
        community,
        name: name.into(),
        station: format!("{name}驿站"),
        station_location: "星怡花园32幢东侧".into(),
        station_hours: String::new(),
        station_contact: String::new(),
        station_phone: String::new(),
    }
}

fn household(name: &str, grid: &str, groups: &[BeneficiaryGroup], minor: bool) -> Household {
    let at = Utc.with_ymd_and_hms(2026, 6, 1, 2, 0, 0).unwrap();
    Household {
        id: HouseholdId::generate(),
        name: name.into(),
        address: "星怡花园31幢104室".into(),
        phone: "13962800111".into(),
        grid: GridId::from(grid),
        groups: groups.to_vec(),
        notes: String::new(),
        consent_on: None,
        guardian_consent_on: None,
        minor,
        wishes: Vec::new(),
        created_at: at,
        updated_at: at,
    }
}

/// The worker's community with two grids (and a grid of another community, never offered).
fn community_state(community: CommunityId, households: Vec<Household>) -> LocalState {
    let mut state = LocalState::default();
    for grid in [
        grid("grid-2", "第二网格", community),
        grid("grid-10", "第十网格", community),
        grid("grid-9", "别的社区网格", CommunityId::generate()),
    ] {
        state.grids.insert(grid.id.clone(), grid);
    }
    for household in households {
        state.households.insert(household.id, household);
    }
    state
}

/// The worker console's routes, opened at `path`, for a worker of `community`.
fn mount_at(
    path: &str,
    community: CommunityId,
    state: LocalState,
) -> (impl Drop, HtmlElement, Data) {
    let _owner = Owner::new();
    let me = worker(community);
    let data = Data::new(SessionState::LoggedIn(me.clone()));
    let sync = Sync::in_memory(data, Some(me), state);
    window()
        .history()
        .unwrap()
        .push_state_with_url(&JsValue::NULL, "", Some(path))
        .unwrap();
    let root: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&root).unwrap();
    let mounted = mount_to(root.clone(), move || {
        provide_context(data);
        provide_context(Session(data.session));
        provide_context(sync);
        view! {
            <Router>
                <Routes fallback=|| "no route">
                    <Route path=path!("/worker/households") view=HouseholdsPage />
                    <Route path=path!("/worker/households/new") view=HouseholdPage />
                    <Route path=path!("/worker/households/:id") view=HouseholdPage />
                    <Route path=path!("/worker/wishes/new") view=WishFormPage />
                    <Route path=path!("/worker/wishes/:id") view=WishFormPage />
                    <Route path=path!("/worker/volunteers") view=VolunteersPage />
                </Routes>
            </Router>
        }
    });
    (mounted, root, data)
}

/// Lets the page react: actions, effects and navigation run.
async fn settle() {
    for _ in 0..3 {
        sleep(5).await;
    }
}

fn all(root: &Element, selector: &str) -> Vec<Element> {
    let list = root.query_selector_all(selector).unwrap();
    (0..list.length())
        .map(|i| list.item(i).unwrap().unchecked_into())
        .collect()
}

fn find(root: &Element, selector: &str) -> Element {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
}

fn text(root: &Element, selector: &str) -> String {
    find(root, selector).text_content().unwrap_or_default()
}

fn value(root: &Element, selector: &str) -> String {
    find(root, selector)
        .unchecked_into::<HtmlInputElement>()
        .value()
}

fn click(root: &Element, selector: &str) {
    find(root, selector).unchecked_into::<HtmlElement>().click();
}

/// Sets a field's value (an input, a textarea or a select) the way a person does: the value
/// changes, then the browser fires `input` and `change`.
fn fill_in(root: &Element, selector: &str, value: &str) {
    let field = find(root, selector);
    js_sys::Reflect::set(&field, &"value".into(), &value.into()).unwrap();
    for name in ["input", "change"] {
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        let event = web_sys::Event::new_with_event_init_dict(name, &init).unwrap();
        field.dispatch_event(&event).unwrap();
    }
}

fn pathname() -> String {
    window().location().pathname().unwrap()
}

#[wasm_bindgen_test]
async fn the_household_form_refuses_an_empty_name_and_queues_nothing() {
    let community = CommunityId::generate();
    let (_mounted, root, data) = mount_at(
        "/worker/households/new",
        community,
        community_state(community, Vec::new()),
    );
    settle().await;
    assert_eq!(text(&root, ".page-head__title"), t().households.new_title);
    // Only the worker's own community's grids are offered, in their natural order.
    let grids: Vec<String> = all(&root, "select[name=grid] option")
        .iter()
        .map(|option| option.get_attribute("value").unwrap())
        .collect();
    assert_eq!(grids, ["", "grid-2", "grid-10"]);

    fill_in(&root, "input[name=address]", "星怡花园31幢104室");
    fill_in(&root, "input[name=phone]", "13962800111");
    fill_in(&root, "select[name=grid]", "grid-10");
    click(&root, "input[name=groups][value=elderly_alone]");
    click(&root, ".household-form__submit");
    settle().await;

    assert_eq!(
        text(&root, ".field__error[data-field=name]"),
        t().field_error(Field::Name, FieldCode::Required)
    );
    assert_eq!(
        find(&root, ".field__error[data-field=name]")
            .get_attribute("data-code")
            .unwrap(),
        "required"
    );
    assert!(all(&root, ".field__error[data-field=address]").is_empty());
    assert_eq!(text(&root, ".form-error"), t().problem.validation_failed);
    assert!(data.households.is_empty());
    assert_eq!(
        data.status.get_untracked(),
        SyncStatus::Offline(0),
        "nothing queued"
    );
    assert_eq!(pathname(), "/worker/households/new");
}

#[wasm_bindgen_test]
async fn the_guardians_consent_is_asked_for_only_where_a_child_lives() {
    let community = CommunityId::generate();
    let (_mounted, root, _data) = mount_at(
        "/worker/households/new",
        community,
        community_state(community, Vec::new()),
    );
    settle().await;
    assert!(all(&root, "select[name=guardian_consent_on_year]").is_empty());
    click(&root, "input[name=minor]");
    settle().await;
    assert_eq!(all(&root, "select[name=guardian_consent_on_year]").len(), 1);
    assert!(text(&root, ".household-form").contains(t().households.guardian_consent_on));
}

#[wasm_bindgen_test]
async fn a_valid_household_is_registered_at_once_offline_and_opened() {
    let community = CommunityId::generate();
    let (_mounted, root, data) = mount_at(
        "/worker/households/new",
        community,
        community_state(community, Vec::new()),
    );
    settle().await;
    fill_in(&root, "input[name=name]", " 马玉珍 ");
    fill_in(&root, "input[name=address]", "星怡花园31幢104室");
    fill_in(&root, "input[name=phone]", "0513-8512 3456");
    fill_in(&root, "select[name=grid]", "grid-10");
    click(&root, "input[name=groups][value=elderly_alone]");
    click(&root, "input[name=groups][value=disabled]");
    fill_in(&root, "textarea[name=notes]", "听力不好,请先打电话");
    click(&root, ".household-form__submit");
    settle().await;

    let households = data.households.values(|_| true);
    assert_eq!(households.len(), 1, "in the screens' state right away");
    let created = &households[0];
    assert_eq!(created.name, "马玉珍", "trimmed");
    assert_eq!(created.grid, GridId::from("grid-10"));
    assert_eq!(
        created.groups,
        [BeneficiaryGroup::ElderlyAlone, BeneficiaryGroup::Disabled]
    );
    assert_eq!(
        data.status.get_untracked(),
        SyncStatus::Offline(1),
        "queued"
    );

    // The page moves on to the household, with its fields and a way to post a wish.
    assert_eq!(pathname(), format!("/worker/households/{}", created.id));
    assert_eq!(text(&root, ".page-head__title"), "马玉珍");
    assert_eq!(value(&root, "input[name=name]"), "马玉珍");
    assert_eq!(value(&root, "select[name=grid]"), "grid-10");
    assert_eq!(
        find(&root, ".household-wishes__post")
            .get_attribute("href")
            .unwrap(),
        format!("/worker/wishes/new?household={}", created.id)
    );
    assert_eq!(
        text(&root, ".household-wishes__empty"),
        t().households.no_wishes
    );
    // Offline, the log of the record is not loaded: the page says it needs the network.
    assert_eq!(
        text(&root, ".records__offline"),
        t().households.records_offline
    );

    // An edit sends what changed; nothing changed, nothing is sent.
    fill_in(&root, "textarea[name=notes]", "听力不好");
    click(&root, ".household-form__submit");
    settle().await;
    assert_eq!(data.households.get(&created.id).unwrap().notes, "听力不好");
    assert_eq!(text(&root, ".form-status"), t().households.saved);
    assert_eq!(data.status.get_untracked(), SyncStatus::Offline(2));
    click(&root, ".household-form__submit");
    settle().await;
    assert_eq!(text(&root, ".form-status"), t().households.no_changes);
    assert_eq!(data.status.get_untracked(), SyncStatus::Offline(2));
}

#[wasm_bindgen_test]
async fn the_households_list_sorts_by_grid_and_filters_as_the_worker_types() {
    let community = CommunityId::generate();
    let mut wang = household("王成", "grid-10", &[BeneficiaryGroup::ElderlyAlone], false);
    wang.address = "星怡花园32幢102室".into();
    wang.phone = "139 6280 0101".into();
    wang.consent_on = chrono::NaiveDate::from_ymd_opt(2026, 3, 5);
    let mut zhou = household(
        "周小娟",
        "grid-2",
        &[BeneficiaryGroup::ChildInDifficulty],
        true,
    );
    zhou.notes = "奶奶照顾,下午在家".into();
    let ma = household("马玉珍", "grid-10", &[BeneficiaryGroup::Disabled], false);
    let (_mounted, root, _data) = mount_at(
        "/worker/households",
        community,
        community_state(community, vec![wang.clone(), zhou.clone(), ma.clone()]),
    );
    settle().await;

    let names = |root: &Element| -> Vec<String> {
        all(root, ".household-card__name")
            .iter()
            .map(|name| name.text_content().unwrap())
            .collect()
    };
    // grid-2 before grid-10, then by name.
    assert_eq!(names(&root), ["周小娟", "王成", "马玉珍"]);
    let cards = all(&root, ".household-card");
    assert_eq!(
        find(&cards[0], ".household-card__name")
            .get_attribute("href")
            .unwrap(),
        format!("/worker/households/{}", zhou.id)
    );
    assert_eq!(text(&cards[0], ".badge--minor"), t().households.minor_badge);
    assert_eq!(text(&cards[0], ".household-card__grid"), "第二网格");
    assert_eq!(
        text(&cards[0], ".household-card__consent"),
        t().households.no_consent
    );
    assert_eq!(
        text(&cards[0], ".household-card__groups"),
        t().group(BeneficiaryGroup::ChildInDifficulty)
    );
    assert!(cards[1].query_selector(".badge--minor").unwrap().is_none());
    assert_eq!(
        find(&cards[1], ".household-card__phone")
            .get_attribute("href")
            .unwrap(),
        "tel:13962800101"
    );
    assert!(text(&cards[1], ".household-card__consent").contains("2026年3月5日"));
    assert_eq!(
        find(&root, ".household-tools__new")
            .get_attribute("href")
            .unwrap(),
        "/worker/households/new"
    );

    fill_in(&root, "input[type=search]", "32幢");
    settle().await;
    assert_eq!(names(&root), ["王成"], "by address");
    fill_in(&root, "input[type=search]", "13962800101");
    settle().await;
    assert_eq!(names(&root), ["王成"], "by phone, however it was spaced");
    fill_in(&root, "input[type=search]", "下午在家");
    settle().await;
    assert_eq!(names(&root), ["周小娟"], "by notes");
    fill_in(&root, "input[type=search]", "马");
    settle().await;
    assert_eq!(names(&root), ["马玉珍"], "by name");
    fill_in(&root, "input[type=search]", "风扇");
    settle().await;
    assert!(names(&root).is_empty());
    assert_eq!(text(&root, ".households .empty"), t().households.no_match);
    fill_in(&root, "input[type=search]", "");
    settle().await;
    assert_eq!(names(&root).len(), 3);
}

#[wasm_bindgen_test]
async fn the_wish_form_suggests_an_alias_without_the_real_name_and_refuses_the_real_name() {
    let community = CommunityId::generate();
    let mut child = household(
        "周小娟",
        "grid-10",
        &[BeneficiaryGroup::ChildInDifficulty],
        true,
    );
    // The household and the child's guardian agreed: its wishes may be published.
    child.consent_on = chrono::NaiveDate::from_ymd_opt(2026, 3, 5);
    child.guardian_consent_on = chrono::NaiveDate::from_ymd_opt(2026, 3, 5);
    let (_mounted, root, data) = mount_at(
        &format!("/worker/wishes/new?household={}", child.id),
        community,
        community_state(community, vec![child.clone()]),
    );
    settle().await;
    assert_eq!(text(&root, ".page-head__title"), t().wish_form.title_new);
    // A borrowed surname, never the child's own.
    let alias = value(&root, "input[name=alias]");
    assert!(
        alias.starts_with('小') && alias.chars().count() == 2 && !alias.contains('周'),
        "{alias}"
    );
    assert_eq!(value(&root, "input[name=unit]"), "个");
    assert_eq!(value(&root, "input[name=quantity]"), "1");
    assert_eq!(
        value(&root, "select[name=station]"),
        "grid-10",
        "the household's grid"
    );
    assert_eq!(value(&root, "select[name=campaign]"), "");
    assert!(text(&root, ".worker-form").contains(t().wish_form.alias_hint));

    fill_in(&root, "input[name=title]", "新书包一个");
    fill_in(&root, "input[name=quantity]", "2");
    fill_in(&root, "input[name=alias]", "周小娟");
    click(&root, ".wish-form__publish");
    settle().await;
    let refusal = find(&root, ".field__error[data-field=alias]");
    assert_eq!(refusal.get_attribute("data-code").unwrap(), "reveals_name");
    assert!(data.wishes.is_empty());
    assert_eq!(
        data.status.get_untracked(),
        SyncStatus::Offline(0),
        "nothing queued"
    );

    fill_in(&root, "input[name=alias]", "小周");
    click(&root, ".wish-form__publish");
    settle().await;
    let wishes = data.wishes.values(|_| true);
    assert_eq!(wishes.len(), 1);
    let wish = &wishes[0];
    assert_eq!(wish.alias, "小周");
    assert_eq!(wish.title, "新书包一个");
    assert_eq!(wish.quantity, 2);
    assert_eq!(wish.status, WishStatus::Open, "published");
    assert_eq!(data.households.get(&child.id).unwrap().wishes, [wish.id]);
    assert_eq!(pathname(), format!("/worker/households/{}", child.id));
    // The household's page lists it, as waiting to be sent.
    assert_eq!(text(&root, ".household-wish__title"), "新书包一个");
    assert_eq!(
        find(&root, ".household-wish")
            .get_attribute("href")
            .unwrap(),
        format!("/worker/wishes/{}", wish.id)
    );
}

#[wasm_bindgen_test]
async fn a_house_call_is_one_visit_and_a_draft_stays_unpublished() {
    let community = CommunityId::generate();
    let elder = household("王成", "grid-2", &[BeneficiaryGroup::ElderlyAlone], false);
    let (_mounted, root, data) = mount_at(
        &format!("/worker/wishes/new?household={}", elder.id),
        community,
        community_state(community, vec![elder.clone()]),
    );
    settle().await;
    let alias = value(&root, "input[name=alias]");
    assert!(alias.ends_with("老人") && !alias.contains('王'), "{alias}");
    assert!(text(&root, ".form-note").contains(t().wish_form.no_consent));

    click(&root, "input[name=kind][value=service]");
    settle().await;
    let quantity = find(&root, "input[name=quantity]").unchecked_into::<HtmlInputElement>();
    assert!(quantity.disabled());
    assert_eq!(quantity.value(), "1");
    assert_eq!(value(&root, "input[name=unit]"), "次");
    assert!(root
        .query_selector("select[name=station]")
        .unwrap()
        .is_none());

    fill_in(&root, "input[name=title]", "修电热水壶");
    fill_in(&root, "select[name=category]", "repair");
    click(&root, ".wish-form__save");
    settle().await;
    let wishes = data.wishes.values(|_| true);
    assert_eq!(wishes.len(), 1);
    assert_eq!(wishes[0].kind, WishKind::Service);
    assert_eq!(wishes[0].status, WishStatus::Draft);
    assert_eq!(wishes[0].unit, "次");
    let id = wishes[0].id;

    // Opened again: a draft can be published, or cancelled with a reason.
    drop(_mounted);
    let mut state = community_state(community, Vec::new());
    let mut elder = data.households.get(&elder.id).unwrap();
    elder.consent_on = chrono::NaiveDate::from_ymd_opt(2026, 6, 1);
    state.households.insert(elder.id, elder.clone());
    state.wishes.insert(id, wishes[0].clone());
    let (_mounted, root, data) = mount_at(&format!("/worker/wishes/{id}"), community, state);
    settle().await;
    assert_eq!(text(&root, ".page-head__title"), t().wish_form.title_edit);
    assert_eq!(value(&root, "input[name=title]"), "修电热水壶");
    assert!(text(&root, ".wish-form__state").contains(t().wish_form.draft_note));
    click(&root, ".wish-form__cancel");
    settle().await;
    fill_in(&root, "textarea[name=reason]", "没");
    click(&root, ".wish-cancel__confirm");
    settle().await;
    assert_eq!(
        text(&root, ".field__error[data-field=reason]"),
        t().field_error(Field::Reason, FieldCode::Length)
    );
    assert_eq!(data.wishes.get(&id).unwrap().status, WishStatus::Draft);
    fill_in(&root, "textarea[name=reason]", "住户已自行解决");
    click(&root, ".wish-cancel__confirm");
    settle().await;
    assert_eq!(data.wishes.get(&id).unwrap().status, WishStatus::Cancelled);
    assert_eq!(pathname(), format!("/worker/households/{}", elder.id));
}

fn volunteer(name: &str, status: VolunteerStatus) -> VolunteerView {
    let at = Utc.with_ymd_and_hms(2026, 6, 1, 2, 0, 0).unwrap();
    VolunteerView {
        id: UserId::generate(),
        display_name: DisplayName::parse(name).unwrap(),
        phone: Phone::parse("13800000005").unwrap(),
        status,
        party_member: false,
        note: String::new(),
        vetted_at: None,
        vetted_by: None,
        registered_at: at,
        house_calls: 0,
        minutes: 0,
        reachable: Default::default(),
    }
}

#[wasm_bindgen_test]
async fn a_worker_approves_a_volunteer_and_a_suspension_needs_a_reason() {
    let community = CommunityId::generate();
    let mut state = community_state(community, Vec::new());
    let newcomer = volunteer("志愿者 小林", VolunteerStatus::Pending);
    let veteran = volunteer("志愿者 陈师傅", VolunteerStatus::Approved);
    for v in [newcomer.clone(), veteran.clone()] {
        state.volunteers.insert(v.id, v);
    }
    let (_mounted, root, data) = mount_at("/worker/volunteers", community, state);
    settle().await;
    let section = |status: &str| find(&root, &format!(".volunteers[data-status={status}]"));
    assert_eq!(
        text(&section("pending"), ".volunteer-card__name"),
        "志愿者 小林"
    );
    assert_eq!(
        find(&section("pending"), ".volunteer-card__phone")
            .get_attribute("href")
            .as_deref(),
        Some("tel:13800000005")
    );

    // Approved after meeting them: one change queued, the card moves at once.
    fill_in(&section("pending"), "input[name=note]", "已面谈,党员报到");
    click(&section("pending"), ".volunteer-card__approve");
    settle().await;
    assert!(all(&section("pending"), ".volunteer-card").is_empty());
    assert_eq!(all(&section("approved"), ".volunteer-card").len(), 2);
    assert_eq!(
        data.volunteers.get(&newcomer.id).unwrap().status,
        VolunteerStatus::Approved
    );
    assert_eq!(data.status.get_untracked(), SyncStatus::Offline(1));

    // Suspending asks why; an empty reason is explained and nothing is queued.
    let card = find(
        &root,
        ".volunteers[data-status=approved] .volunteer-card:last-child",
    );
    let veteran_card = all(&section("approved"), ".volunteer-card")
        .into_iter()
        .find(|card| text(card, ".volunteer-card__name").contains("陈师傅"))
        .unwrap_or(card);
    click(&veteran_card, ".volunteer-card__suspend");
    settle().await;
    click(&veteran_card, ".volunteer-card__suspend-yes");
    settle().await;
    assert_eq!(
        text(&veteran_card, ".form-error"),
        t().field_error(Field::Note, FieldCode::Required)
    );
    assert_eq!(data.status.get_untracked(), SyncStatus::Offline(1));
    fill_in(&veteran_card, "input[name=reason]", "多次未按约上门");
    click(&veteran_card, ".volunteer-card__suspend-yes");
    settle().await;
    assert_eq!(
        data.volunteers.get(&veteran.id).unwrap().status,
        VolunteerStatus::Suspended
    );
    assert_eq!(all(&section("suspended"), ".volunteer-card").len(), 1);
    assert_eq!(data.status.get_untracked(), SyncStatus::Offline(2));
}

#[wasm_bindgen_test]
async fn a_fulfilled_wish_can_be_closed_and_is_then_only_shown() {
    let community = CommunityId::generate();
    let mut elder = household("王成", "grid-2", &[BeneficiaryGroup::ElderlyAlone], false);
    elder.consent_on = chrono::NaiveDate::from_ymd_opt(2026, 6, 1);
    let (mounted, root, data) = mount_at(
        &format!("/worker/wishes/new?household={}", elder.id),
        community,
        community_state(community, vec![elder.clone()]),
    );
    settle().await;
    fill_in(&root, "input[name=title]", "新书包一个");
    fill_in(&root, "input[name=alias]", "王爷爷");
    click(&root, ".wish-form__publish");
    settle().await;
    let mut wish = data.wishes.values(|_| true).remove(0);
    assert!(
        root.query_selector(".wish-close").unwrap().is_none(),
        "nothing to close while it is open"
    );
    drop(mounted);

    // Every unit handed over: the worker may close it.
    wish.status = WishStatus::Fulfilled;
    (wish.claimed, wish.delivered, wish.fulfilled, wish.remaining) = (1, 1, 1, 0);
    let mut state = community_state(community, Vec::new());
    let mut elder = data.households.get(&elder.id).unwrap();
    elder.wishes = vec![wish.id];
    state.households.insert(elder.id, elder);
    state.wishes.insert(wish.id, wish.clone());
    let (_mounted, root, data) = mount_at(&format!("/worker/wishes/{}", wish.id), community, state);
    settle().await;
    assert!(text(&root, ".wish-close").contains(t().wish_form.close_hint));
    click(&root, ".wish-close__confirm");
    settle().await;
    assert_eq!(
        data.wishes.get(&wish.id).unwrap().status,
        WishStatus::Closed
    );
    assert!(root.query_selector(".wish-close").unwrap().is_none());
    assert!(text(&root, ".wish-form__state").contains(t().wish_form.read_only_closed));
}
