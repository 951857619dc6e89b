//! Browser tests of the worker's volunteer vetting and confirmation queue, and of the
//! claimer's 我的认领: the pages are mounted in a router at their own address, over an
//! in-memory sync (offline). What a tap queued is read from the push the sync makes once
//! the network comes back, so each test sees exactly the commands the server would get.
#![cfg(target_arch = "wasm32")]

use chrono::{DateTime, Duration, TimeZone, Utc};
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use microwish::i18n::t;
use microwish::pages::{MyClaimsPage, VolunteersPage, WorkerClaimsPage};
use microwish::session::Session;
use microwish::state::Data;
use microwish::sync::{sleep, Sync};
use microwish_core::command::{Command, ConfirmClaim, RecordThanks, VolunteerDecision};
use microwish_core::engine::{Effect, Input, SessionState, SyncStatus};
use microwish_core::overlay::LocalState;
use microwish_core::{
    BeneficiaryGroup, Category, ClaimId, ClaimStatus, ClaimView, CommunityId, DisplayName, Field,
    FieldCode, Grid, GridId, Me, Phone, PublicWish, Role, UserId, VolunteerStatus, VolunteerView,
    WishId, WishKind, WishStatus,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

fn person(name: &str, role: Role, community: Option<CommunityId>) -> Me {
    Me {
        id: UserId::generate(),
        display_name: DisplayName::parse(name).unwrap(),
        phone: Phone::parse("13912345678").unwrap(),
        role,
        volunteer_minutes: 0,
        volunteer_status: None,
        party_member: false,
        community,
        partner_communities: Vec::new(),
        phone_verified: false,
        volunteer_reason: None,
    }
}

/// A worker's cache: their community's grid (the one the wishes below are in).
fn community_state(community: CommunityId) -> LocalState {
    let mut state = LocalState::default();
    let grid = Grid {
        id: GridId::from("grid-2"),
        community,
        name: "第二网格".into(),
        station: "第二网格驿站".into(),
        station_location: "星怡花园32幢东侧".into(),
        station_hours: String::new(),
        station_contact: String::new(),
        station_phone: String::new(),
    };
    state.grids.insert(grid.id.clone(), grid);
    state
}

fn volunteer(name: &str, phone: &str, status: VolunteerStatus) -> VolunteerView {
    VolunteerView {
        id: UserId::generate(),
        display_name: DisplayName::parse(name).unwrap(),
        phone: Phone::parse(phone).unwrap(),
        status,
        party_member: false,
        note: String::new(),
        vetted_at: None,
        vetted_by: None,
        registered_at: Utc.with_ymd_and_hms(2026, 6, 1, 2, 0, 0).unwrap(),
        house_calls: 0,
        minutes: 0,
        reachable: Default::default(),
    }
}

/// One unit of a wish in grid 2, claimed (and delivered or confirmed, as `status` says).
fn wish(title: &str, kind: WishKind, status: ClaimStatus) -> PublicWish {
    let created = Utc.with_ymd_and_hms(2026, 6, 20, 8, 0, 0).unwrap();
    let done = u32::from(status == ClaimStatus::Confirmed);
    PublicWish {
        id: WishId::generate(),
        kind,
        title: title.into(),
        description: String::new(),
        category: if kind == WishKind::Item {
            Category::Daily
        } else {
            Category::Repair
        },
        status: if done == 1 {
            WishStatus::Fulfilled
        } else {
            WishStatus::Claimed
        },
        quantity: 1,
        remaining: 0,
        claimed: 1,
        delivered: u32::from(status != ClaimStatus::Active),
        fulfilled: done,
        unit: "次".into(),
        alias: "王爷爷".into(),
        group: BeneficiaryGroup::ElderlyAlone,
        grid: "grid-2".into(),
        grid_name: "第二网格".into(),
        station: "第二网格驿站".into(),
        station_location: "星怡花园32幢东侧".into(),
        needed_by: None,
        campaign_id: None,
        campaign_title: None,
        created_at: created,
        updated_at: created,
    }
}

fn slot_start() -> DateTime<Utc> {
    // 10:00 China time on 3 July.
    Utc.with_ymd_and_hms(2026, 7, 3, 2, 0, 0).unwrap()
}

/// A 90-minute house call by the volunteer 陈师傅, as a worker's cache holds it.
fn house_call(status: ClaimStatus) -> ClaimView {
    let wish = wish("修电热水壶", WishKind::Service, status);
    ClaimView {
        id: ClaimId::generate(),
        wish_id: wish.id,
        quantity: 1,
        status,
        note: String::new(),
        created_at: slot_start() - Duration::days(2),
        updated_at: slot_start(),
        hold_until: slot_start() + Duration::days(1),
        slot_start: Some(slot_start()),
        slot_end: Some(slot_start() + Duration::minutes(90)),
        reject_reason: None,
        claimer_id: UserId::generate(),
        claimer_name: "陈师傅".into(),
        claimer_role: Role::Volunteer,
        claimer_phone: Some(Phone::parse("13800000005").unwrap()),
        thanks: None,
        handover_code: None,
        wish,
        contact: None,
    }
}

/// The pages under test, opened at `path` for `me` over `state`.
fn mount_at(path: &str, me: &Me, state: LocalState) -> (impl Drop, HtmlElement, Data, Sync) {
    let _owner = Owner::new();
    let data = Data::new(SessionState::LoggedIn(me.clone()));
    let sync = Sync::in_memory(data, Some(me.clone()), state);
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
                    <Route path=path!("/worker/volunteers") view=VolunteersPage />
                    <Route path=path!("/worker/claims") view=WorkerClaimsPage />
                    <Route path=path!("/me/claims") view=MyClaimsPage />
                </Routes>
            </Router>
        }
    });
    (mounted, root, data, sync)
}

/// What waits in the outbox, read from the push the sync makes when the phone comes back
/// online (the server says `me` is still logged in). Call it last: the push stays in flight.
fn queued(sync: &Sync, me: &Me) -> Vec<Command> {
    let mut effects = sync.handle_locally(Input::Online);
    loop {
        let mut check = None;
        for effect in &effects {
            match effect {
                Effect::Push { request, .. } => {
                    return request
                        .mutations
                        .iter()
                        .map(|mutation| mutation.command.clone())
                        .collect();
                }
                Effect::CheckSession { token } => check = Some(*token),
                _ => {}
            }
        }
        // No push asked for: nothing waits (the sync pulls instead).
        let Some(token) = check else {
            return Vec::new();
        };
        effects = sync.handle_locally(Input::SessionChecked {
            token,
            result: Ok(me.clone()),
        });
    }
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

fn exists(root: &Element, selector: &str) -> bool {
    root.query_selector(selector).unwrap().is_some()
}

fn text(root: &Element, selector: &str) -> String {
    find(root, selector).text_content().unwrap_or_default()
}

fn click(root: &Element, selector: &str) {
    find(root, selector).unchecked_into::<HtmlElement>().click();
}

/// Sets an input's value the way a person does: the value changes, then the browser fires
/// `input` and `change`.
fn fill_in(root: &Element, selector: &str, value: &str) {
    let field = find(root, selector);
    field.unchecked_ref::<HtmlInputElement>().set_value(value);
    for name in ["input", "change"] {
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        let event = web_sys::Event::new_with_event_init_dict(name, &init).unwrap();
        field.dispatch_event(&event).unwrap();
    }
}

/// The volunteer section for `status` (待审核, 已通过, 已暂停).
fn section(root: &Element, status: VolunteerStatus) -> Element {
    find(
        root,
        &format!(".volunteers[data-status={}]", status.as_str()),
    )
}

/// The card in `within` whose name contains `name`.
fn card_of(within: &Element, name: &str) -> Element {
    all(within, ".volunteer-card")
        .into_iter()
        .find(|card| text(card, ".volunteer-card__name").contains(name))
        .unwrap_or_else(|| panic!("no card for {name}"))
}

#[wasm_bindgen_test]
async fn approving_a_pending_volunteer_queues_one_approval_and_moves_the_card() {
    let community = CommunityId::generate();
    let worker = person("网格长 李红", Role::Worker, Some(community));
    let mut state = community_state(community);
    let newcomer = volunteer("小林", "13800000005", VolunteerStatus::Pending);
    let mut veteran = volunteer("陈师傅", "13800000006", VolunteerStatus::Approved);
    veteran.house_calls = 3;
    veteran.minutes = 270;
    veteran.note = "党员报到".into();
    veteran.vetted_by = Some("网格长 王芳".into());
    veteran.vetted_at = Some(Utc.with_ymd_and_hms(2026, 6, 2, 2, 0, 0).unwrap());
    for v in [newcomer.clone(), veteran.clone()] {
        state.volunteers.insert(v.id, v);
    }
    let (_mounted, root, data, sync) = mount_at("/worker/volunteers", &worker, state);
    settle().await;

    // Who they are, how to call them, what they have done and who met them.
    let waiting = card_of(&section(&root, VolunteerStatus::Pending), "小林");
    let call = find(&waiting, "a.volunteer-card__phone");
    assert_eq!(
        call.get_attribute("href").as_deref(),
        Some("tel:13800000005")
    );
    assert_eq!(call.text_content().unwrap_or_default(), "13800000005");
    let known = card_of(&section(&root, VolunteerStatus::Approved), "陈师傅");
    let meta = text(&known, ".volunteer-card__meta");
    assert!(meta.contains("3"), "house calls in {meta:?}");
    assert!(meta.contains(&t().duration(270)), "hours in {meta:?}");
    assert!(known.text_content().unwrap().contains("网格长 王芳"));
    assert!(text(&known, ".volunteer-card__note").contains("党员报到"));
    assert!(!exists(&known, ".badge--pending"));

    fill_in(&waiting, "input[name=note]", "已面谈,党员报到");
    click(&waiting, ".volunteer-card__approve");
    settle().await;

    assert!(all(&section(&root, VolunteerStatus::Pending), ".volunteer-card").is_empty());
    let approved = card_of(&section(&root, VolunteerStatus::Approved), "小林");
    assert_eq!(text(&approved, ".badge--pending"), t().sync.pending_badge);
    assert!(text(&approved, ".volunteer-card__note").contains("已面谈,党员报到"));
    // Who vetted them, and when: the worker, just now.
    assert!(approved.text_content().unwrap().contains("网格长 李红"));
    assert_eq!(
        data.volunteers.get(&newcomer.id).unwrap().status,
        VolunteerStatus::Approved
    );
    assert_eq!(
        queued(&sync, &worker),
        vec![Command::ApproveVolunteer(VolunteerDecision {
            user_id: newcomer.id,
            note: "已面谈,党员报到".into(),
            party_member: None,
        })]
    );
}

#[wasm_bindgen_test]
async fn suspending_needs_a_reason_and_nothing_is_queued_without_one() {
    let community = CommunityId::generate();
    let worker = person("网格长 李红", Role::Worker, Some(community));
    let mut state = community_state(community);
    let veteran = volunteer("陈师傅", "13800000006", VolunteerStatus::Approved);
    state.volunteers.insert(veteran.id, veteran.clone());
    let (_mounted, root, data, sync) = mount_at("/worker/volunteers", &worker, state);
    settle().await;

    let card = card_of(&section(&root, VolunteerStatus::Approved), "陈师傅");
    click(&card, ".volunteer-card__suspend");
    settle().await;
    click(&card, ".volunteer-card__suspend-yes");
    settle().await;
    assert_eq!(
        text(&card, ".form-error"),
        t().field_error(Field::Note, FieldCode::Required)
    );
    assert_eq!(
        data.volunteers.get(&veteran.id).unwrap().status,
        VolunteerStatus::Approved
    );
    assert_eq!(data.status.get_untracked(), SyncStatus::Offline(0));

    fill_in(&card, "input[name=reason]", "多次未按约上门");
    click(&card, ".volunteer-card__suspend-yes");
    settle().await;
    let suspended = card_of(&section(&root, VolunteerStatus::Suspended), "陈师傅");
    assert_eq!(text(&suspended, ".badge--pending"), t().sync.pending_badge);
    assert!(text(&suspended, ".volunteer-card__note").contains("多次未按约上门"));
    assert!(exists(&suspended, ".volunteer-card__restore"));
    assert_eq!(
        queued(&sync, &worker),
        vec![Command::SuspendVolunteer(VolunteerDecision {
            user_id: veteran.id,
            note: "多次未按约上门".into(),
            party_member: None,
        })]
    );
}

#[wasm_bindgen_test]
async fn a_suspended_volunteer_is_restored_by_approving_again() {
    let community = CommunityId::generate();
    let worker = person("网格长 李红", Role::Worker, Some(community));
    let mut state = community_state(community);
    let mut resting = volunteer("老周", "13800000007", VolunteerStatus::Suspended);
    resting.note = "多次未按约上门".into();
    state.volunteers.insert(resting.id, resting.clone());
    let (_mounted, root, _data, sync) = mount_at("/worker/volunteers", &worker, state);
    settle().await;

    let card = card_of(&section(&root, VolunteerStatus::Suspended), "老周");
    click(&card, ".volunteer-card__restore");
    settle().await;
    assert!(all(
        &section(&root, VolunteerStatus::Suspended),
        ".volunteer-card"
    )
    .is_empty());
    card_of(&section(&root, VolunteerStatus::Approved), "老周");
    assert!(matches!(
        queued(&sync, &worker).as_slice(),
        [Command::ApproveVolunteer(VolunteerDecision { user_id, .. })] if *user_id == resting.id
    ));
}

#[wasm_bindgen_test]
async fn confirming_a_house_call_queues_the_minutes_the_worker_set() {
    let community = CommunityId::generate();
    let worker = person("网格长 李红", Role::Worker, Some(community));
    let mut state = community_state(community);
    let visit = house_call(ClaimStatus::Delivered);
    state.claims.insert(visit.id, visit.clone());
    let (_mounted, root, data, sync) = mount_at("/worker/claims", &worker, state);
    settle().await;

    let card = find(&root, ".claim-card[data-status=delivered]");
    // Who went, and their number to call.
    assert!(text(&card, ".claim-card__claimer").contains("陈师傅"));
    let call = find(&card, "a.claim-card__call");
    assert_eq!(
        call.get_attribute("href").as_deref(),
        Some("tel:13800000005")
    );
    assert!(call.text_content().unwrap().contains("13800000005"));
    assert_eq!(
        text(&card, ".claim-card__confirm"),
        t().worker.confirm_service
    );
    // The slot was 90 minutes: that is what is offered.
    assert_eq!(
        find(&card, "input[name=minutes]")
            .unchecked_into::<HtmlInputElement>()
            .value(),
        "90"
    );

    fill_in(&card, "input[name=minutes]", "0");
    click(&card, ".claim-card__confirm");
    settle().await;
    assert_eq!(
        text(&card, ".field__error[data-field=minutes]"),
        t().field_error(Field::Minutes, FieldCode::OutOfRange)
    );
    assert_eq!(data.status.get_untracked(), SyncStatus::Offline(0));

    fill_in(&card, "input[name=minutes]", "120");
    click(&card, ".claim-card__confirm");
    settle().await;
    click(&card, ".claim-card__confirm-yes");
    settle().await;
    assert_eq!(
        data.claims.get(&visit.id).unwrap().status,
        ClaimStatus::Confirmed
    );
    let done = find(&root, ".claim-card[data-status=confirmed]");
    assert!(text(&done, ".claim-card__title").contains("修电热水壶"));
    assert_eq!(
        queued(&sync, &worker),
        vec![Command::ConfirmClaim(ConfirmClaim {
            claim_id: visit.id,
            minutes: Some(120),
        })]
    );
}

#[wasm_bindgen_test]
async fn the_worker_writes_down_the_households_thanks_and_an_empty_line_is_refused() {
    let community = CommunityId::generate();
    let worker = person("网格长 李红", Role::Worker, Some(community));
    let mut state = community_state(community);
    let visit = house_call(ClaimStatus::Confirmed);
    state.claims.insert(visit.id, visit.clone());
    let (_mounted, root, data, sync) = mount_at("/worker/claims", &worker, state);
    settle().await;

    let card = find(&root, ".claim-card[data-status=confirmed]");
    assert!(!exists(&card, ".claim-card__thanks"));
    click(&card, ".claim-card__thank");
    settle().await;
    assert_eq!(
        text(&card, ".field__error[data-field=text]"),
        t().field_error(Field::Text, FieldCode::Length)
    );
    assert_eq!(data.status.get_untracked(), SyncStatus::Offline(0));

    fill_in(&card, "input[name=thanks]", "谢谢师傅,水壶修好了!");
    click(&card, ".claim-card__thank");
    settle().await;
    assert_eq!(
        data.claims.get(&visit.id).unwrap().thanks.as_deref(),
        Some("谢谢师傅,水壶修好了!")
    );
    let card = find(&root, ".claim-card[data-status=confirmed]");
    assert!(text(&card, ".claim-card__thanks").contains("谢谢师傅,水壶修好了!"));
    assert!(!exists(&card, ".claim-card__thanks-form"));
    assert_eq!(
        queued(&sync, &worker),
        vec![Command::RecordThanks(RecordThanks {
            claim_id: visit.id,
            text: "谢谢师傅,水壶修好了!".into(),
        })]
    );
}

#[wasm_bindgen_test]
async fn the_donor_reads_the_households_thanks_in_my_claims() {
    let donor = person("张阿姨", Role::Donor, None);
    let mut state = LocalState::default();
    let mut thanked = house_call(ClaimStatus::Confirmed);
    thanked.wish = wish("大米", WishKind::Item, ClaimStatus::Confirmed);
    thanked.wish_id = thanked.wish.id;
    thanked.slot_start = None;
    thanked.slot_end = None;
    thanked.claimer_id = donor.id;
    thanked.claimer_name = "张阿姨".into();
    thanked.claimer_role = Role::Donor;
    thanked.claimer_phone = None;
    thanked.thanks = Some("赵阿姨说:米和油都收到了!".into());
    let mut plain = thanked.clone();
    plain.id = ClaimId::generate();
    plain.thanks = None;
    plain.created_at -= Duration::days(1);
    for claim in [thanked.clone(), plain.clone()] {
        state.claims.insert(claim.id, claim);
    }
    let (_mounted, root, _data, _sync) = mount_at("/me/claims", &donor, state);
    settle().await;

    let cards = all(&root, ".claim-card");
    assert_eq!(cards.len(), 2);
    // Newest first: the thanked one.
    assert_eq!(
        text(&cards[0], ".claim-card__thanks-title"),
        t().worker.thanks_title
    );
    assert!(text(&cards[0], ".claim-card__thanks").contains("赵阿姨说:米和油都收到了!"));
    assert!(!exists(&cards[1], ".claim-card__thanks"));
    // The claimer only reads them.
    assert!(!exists(&root, ".claim-card__thanks-form"));
}

#[wasm_bindgen_test]
async fn a_suspension_says_what_it_does_and_a_one_character_reason_is_explained() {
    let community = CommunityId::generate();
    let worker = person("网格长 李红", Role::Worker, Some(community));
    let mut state = community_state(community);
    let veteran = volunteer("陈师傅", "13800000006", VolunteerStatus::Approved);
    state.volunteers.insert(veteran.id, veteran.clone());
    let (_mounted, root, data, _sync) = mount_at("/worker/volunteers", &worker, state);
    settle().await;

    let card = card_of(&section(&root, VolunteerStatus::Approved), "陈师傅");
    click(&card, ".volunteer-card__suspend");
    settle().await;
    // Their house calls end and the address leaves their phone: said before confirming.
    assert_eq!(text(&card, ".field__hint"), t().volunteers.suspend_hint);
    fill_in(&card, "input[name=reason]", "差");
    click(&card, ".volunteer-card__suspend-yes");
    settle().await;
    assert_eq!(
        text(&card, ".form-error"),
        t().field_error(Field::Reason, FieldCode::Length)
    );
    assert_eq!(data.status.get_untracked(), SyncStatus::Offline(0));
}

#[wasm_bindgen_test]
async fn the_queue_speaks_of_visits_for_house_calls_and_confirms_items_without_minutes() {
    let community = CommunityId::generate();
    let worker = person("网格长 李红", Role::Worker, Some(community));
    let mut state = community_state(community);
    let visit = house_call(ClaimStatus::Delivered);
    let mut parcel = house_call(ClaimStatus::Delivered);
    parcel.id = ClaimId::generate();
    parcel.wish = wish("大米", WishKind::Item, ClaimStatus::Delivered);
    parcel.wish_id = parcel.wish.id;
    parcel.slot_start = None;
    parcel.slot_end = None;
    parcel.claimer_name = "爱心人士 张先生".into();
    parcel.claimer_role = Role::Donor;
    for claim in [visit.clone(), parcel.clone()] {
        state.claims.insert(claim.id, claim);
    }
    let (_mounted, root, _data, sync) = mount_at("/worker/claims", &worker, state);
    settle().await;

    let card_for = |title: &str| {
        all(&root, ".claim-card")
            .into_iter()
            .find(|card| text(card, ".claim-card__title") == title)
            .unwrap_or_else(|| panic!("no card for {title}"))
    };
    let visit_card = card_for("修电热水壶");
    assert_eq!(text(&visit_card, ".claim-status"), "已上门,待确认");
    assert_eq!(text(&visit_card, ".claim-card__confirm"), "确认服务完成");
    let item_card = card_for("大米");
    assert_eq!(text(&item_card, ".claim-status"), "已送达,待确认");
    assert_eq!(text(&item_card, ".claim-card__confirm"), "确认收到");
    assert!(!exists(&item_card, "input[name=minutes]"));
    // The name says the role already: said once.
    assert_eq!(
        text(&item_card, ".claim-card__claimer"),
        "认领人:爱心人士 张先生 拨打 13800000005"
    );

    click(&item_card, ".claim-card__confirm");
    settle().await;
    click(&item_card, ".claim-card__confirm-yes");
    settle().await;
    assert_eq!(
        text(&card_for("大米"), ".claim-status"),
        t().claim_status(ClaimStatus::Confirmed)
    );
    assert_eq!(
        queued(&sync, &worker),
        vec![Command::ConfirmClaim(ConfirmClaim {
            claim_id: parcel.id,
            minutes: None,
        })]
    );
}
