//! Browser tests of residents' requests: the resident's form (its checks, queueing offline),
//! the photo outbox (kept until the request is on the server, sent once, kept after a network
//! error, dropped after a refusal), the workers' inbox (filters in the URL, overdue ones
//! standing out), the worker's steps and the requester's rating — the pages mounted at their
//! own address over an in-memory sync (offline; a fake `fetch` plays the server for photos).
#![cfg(target_arch = "wasm32")]

use chrono::Duration;
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::params::ParamsMap;
use leptos_router::path;
use microwish::china_time::now;
use microwish::filters::InboxFilters;
use microwish::i18n::t;
use microwish::pages::{
    AssignedPage, BoardPage, CallsPage, InboxPage, MyRequestsPage, RequestFormPage, RequestPage,
    StatsPage, WishFormPage,
};
use microwish::session::Session;
use microwish::state::Data;
use microwish::sync::{sleep, Sync};
use microwish_core::command::{Command, NewRequest};
use microwish_core::engine::{Effect, Input, SessionState};
use microwish_core::overlay::LocalState;
use microwish_core::sync::{
    Change, MutationResult, MutationStatus, Op, PullResponse, PushResponse,
};
use microwish_core::{
    Building, BuildingId, Channel, CommunityId, DisplayName, Field, FieldCode, Grid, GridId,
    HandlerKind, Me, Phone, ProblemCode, RequestCategory, RequestId, RequestStatus, RequestView,
    Role, StaffMember, Urgency, UserId,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn person(role: Role, name: &str, community: CommunityId) -> Me {
    Me {
        id: UserId::generate(),
        display_name: DisplayName::parse(name).unwrap(),
        phone: Phone::parse("13912345678").unwrap(),
        role,
        volunteer_minutes: 0,
        volunteer_status: None,
        party_member: false,
        community: Some(community),
        partner_communities: Vec::new(),
        phone_verified: false,
        volunteer_reason: None,
    }
}

/// Two grids with a building each, and the community's property staff.
struct Community {
    id: CommunityId,
    east: Building,
    west: Building,
    staff: StaffMember,
}

impl Community {
    fn new() -> Community {
        let id = CommunityId::generate();
        let building = |name: &str, grid: &str| Building {
            id: BuildingId::generate(),
            name: name.into(),
            grid: GridId::from(grid),
        };
        Community {
            id,
            east: building("星怡花园32幢", "grid-1"),
            west: building("星怡花园4幢", "grid-2"),
            staff: StaffMember {
                id: UserId::generate(),
                display_name: "红色物业 刘师傅".into(),
                role: Role::Property,
                phone: Phone::parse("13800000006").unwrap(),
                community: id,
                reachable: Default::default(),
            },
        }
    }

    fn state(&self, requests: &[RequestView]) -> LocalState {
        let mut state = LocalState::default();
        for (code, name) in [("grid-1", "第一网格"), ("grid-2", "第二网格")] {
            let grid = Grid {
                id: GridId::from(code),
                community: self.id,
                name: name.into(),
                station: format!("{name}驿站"),
                station_location: "东侧".into(),
                station_hours: String::new(),
                station_contact: String::new(),
                station_phone: String::new(),
            };
            state.grids.insert(grid.id.clone(), grid);
        }
        for building in [&self.east, &self.west] {
            state.buildings.insert(building.id, building.clone());
        }
        state.staff.insert(self.staff.id, self.staff.clone());
        for request in requests {
            state.requests.insert(request.id, request.clone());
        }
        state
    }

    /// A request of `requester` in `building`, filed `hours_ago`, in `status`.
    fn request(
        &self,
        requester: UserId,
        building: &Building,
        status: RequestStatus,
        hours_ago: i64,
    ) -> RequestView {
        let filed = now() - Duration::hours(hours_ago);
        RequestView {
            id: RequestId::generate(),
            community: self.id,
            grid: building.grid.clone(),
            building_id: building.id,
            unit: Some("1202室".into()),
            place: Some("楼道".into()),
            category: RequestCategory::Repair,
            description: "楼道灯坏了".into(),
            urgency: Urgency::Normal,
            contact_ok: true,
            channel: Channel::App,
            status,
            requester,
            on_behalf: None,
            handler: None,
            accept_by: filed + Duration::hours(4),
            resolve_by: filed + Duration::hours(72),
            accepted_at: None,
            resolved_at: None,
            closed_at: None,
            rating: None,
            rating_note: None,
            public_summary: None,
            wish_id: None,
            merged_into: None,
            photos: Vec::new(),
            reopen_count: 0,
            created_at: filed,
            updated_at: filed,
            overdue: false,
            contact: None,
        }
    }
}

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
                    <Route path=path!("/requests/new") view=RequestFormPage />
                    <Route path=path!("/requests/:id") view=RequestPage />
                    <Route path=path!("/worker/requests") view=InboxPage />
                    <Route path=path!("/me/requests") view=MyRequestsPage />
                    <Route path=path!("/assigned") view=AssignedPage />
                    <Route path=path!("/calls") view=CallsPage />
                    <Route path=path!("/board") view=BoardPage />
                    <Route path=path!("/worker/stats") view=StatsPage />
                    <Route path=path!("/worker/wishes/new") view=WishFormPage />
                </Routes>
            </Router>
        }
    });
    (mounted, root, data, sync)
}

/// Runs the engine's session check and returns the effects that follow coming online.
fn online(sync: &Sync, me: &Me) -> Vec<Effect> {
    let mut effects = sync.handle_locally(Input::Online);
    loop {
        let check = effects.iter().find_map(|effect| match effect {
            Effect::CheckSession { token } => Some(*token),
            _ => None,
        });
        let Some(token) = check else {
            return effects;
        };
        effects = sync.handle_locally(Input::SessionChecked {
            token,
            result: Ok(me.clone()),
        });
    }
}

/// What waits in the outbox (the push the sync makes once online). The push stays in flight.
fn queued(sync: &Sync, me: &Me) -> Vec<Command> {
    online(sync, me)
        .into_iter()
        .find_map(|effect| match effect {
            Effect::Push { request, .. } => Some(
                request
                    .mutations
                    .into_iter()
                    .map(|mutation| mutation.command)
                    .collect(),
            ),
            _ => None,
        })
        .unwrap_or_default()
}

/// Plays the server taking every queued mutation, then a pull bringing `requests` as stored.
fn server_applies(sync: &Sync, me: &Me, requests: Vec<RequestView>) {
    let effects = online(sync, me);
    let (token, ids) = effects
        .iter()
        .find_map(|effect| match effect {
            Effect::Push { token, request } => Some((
                *token,
                request.mutations.iter().map(|m| m.id).collect::<Vec<_>>(),
            )),
            _ => None,
        })
        .expect("a push");
    let effects = sync.handle_locally(Input::Pushed {
        token,
        result: Ok(PushResponse {
            results: ids
                .iter()
                .map(|&id| MutationResult {
                    id,
                    status: MutationStatus::Applied,
                    code: None,
                    message: None,
                })
                .collect(),
        }),
    });
    let token = effects
        .iter()
        .find_map(|effect| match effect {
            Effect::Pull { token, .. } => Some(*token),
            _ => None,
        })
        .expect("a pull");
    sync.handle_locally(Input::Pulled {
        token,
        result: Ok(PullResponse {
            cursor: 2,
            last_mutation_id: ids.iter().copied().max().unwrap_or(0),
            reset: false,
            more: false,
            policy: Default::default(),
            me: None,
            changes: requests
                .into_iter()
                .map(|request| Change::Request {
                    id: request.id,
                    op: Op::Put,
                    data: Some(Box::new(request)),
                })
                .collect(),
        }),
    });
}

/// Plays the server's next pull bringing `requests` as they now are (`applied`: the last of
/// this phone's mutations it has applied).
fn server_pulls(sync: &Sync, applied: u64, requests: Vec<RequestView>) {
    let effects = sync.handle_locally(Input::Wake);
    let token = effects
        .iter()
        .find_map(|effect| match effect {
            Effect::Pull { token, .. } => Some(*token),
            _ => None,
        })
        .expect("a pull");
    sync.handle_locally(Input::Pulled {
        token,
        result: Ok(PullResponse {
            cursor: 3,
            last_mutation_id: applied,
            reset: false,
            more: false,
            policy: Default::default(),
            me: None,
            changes: requests
                .into_iter()
                .map(|request| Change::Request {
                    id: request.id,
                    op: Op::Put,
                    data: Some(Box::new(request)),
                })
                .collect(),
        }),
    });
}

async fn settle() {
    for _ in 0..4 {
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

fn location() -> String {
    let location = window().location();
    format!(
        "{}{}",
        location.pathname().unwrap(),
        location.search().unwrap()
    )
}

/// Replaces the page's `fetch` with a fake server that records each call and answers: a
/// route set by [`route`] with its JSON; anything else (photo uploads) as `answer` says,
/// `"offline"` (a network error) or an HTTP status.
fn fake_server(answer: &str) {
    let fake = js_sys::Function::new_with_args(
        "input",
        "window.__calls = window.__calls || [];\
         const key = input.method + ' ' + new URL(input.url).pathname;\
         window.__calls.push(key);\
         const routed = (window.__routes || {})[key];\
         if (routed !== undefined) return Promise.resolve(new Response(routed,\
           {status: 200, headers: {'content-type': 'application/json'}}));\
         if (window.__answer === 'offline') return Promise.reject(new TypeError('Failed to fetch'));\
         const status = Number(window.__answer);\
         const body = status < 300 ? {id: 'x', width: 1, height: 1}\
           : {type: 'about:blank', title: 'refused', status, code: window.__code, detail: 'refused'};\
         return Promise.resolve(new Response(JSON.stringify(body), {status,\
           headers: {'content-type': status < 300 ? 'application/json' : 'application/problem+json'}}));",
    );
    js_sys::Reflect::set(&window(), &"fetch".into(), &fake).unwrap();
    js_sys::Reflect::set(&window(), &"__answer".into(), &answer.into()).unwrap();
    js_sys::Reflect::set(&window(), &"__calls".into(), &js_sys::Array::new()).unwrap();
    js_sys::Reflect::set(&window(), &"__routes".into(), &js_sys::Object::new()).unwrap();
}

/// The fake server answers `GET path` with `body` as JSON.
fn route(path: &str, body: &impl serde::Serialize) {
    let routes = js_sys::Reflect::get(&window(), &"__routes".into()).unwrap();
    let json = serde_json::to_string(body).unwrap();
    js_sys::Reflect::set(&routes, &format!("GET {path}").into(), &json.into()).unwrap();
}

fn answer_with(answer: &str, code: &str) {
    js_sys::Reflect::set(&window(), &"__answer".into(), &answer.into()).unwrap();
    js_sys::Reflect::set(&window(), &"__code".into(), &code.into()).unwrap();
}

/// The photos sent to the fake server (the page's other reads, such as a timeline, left out).
fn uploads() -> Vec<String> {
    let calls = js_sys::Reflect::get(&window(), &"__calls".into()).unwrap();
    js_sys::Array::from(&calls)
        .iter()
        .filter_map(|call| call.as_string())
        .filter(|call| call.starts_with("PUT "))
        .collect()
}

fn jpeg() -> web_sys::Blob {
    let bytes = js_sys::Uint8Array::from(&[0xff_u8, 0xd8, 0xff, 0xd9][..]);
    let parts = js_sys::Array::of1(&bytes);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("image/jpeg");
    web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).unwrap()
}

#[wasm_bindgen_test]
async fn the_form_says_what_is_missing_and_queues_nothing() {
    let community = Community::new();
    let resident = person(Role::Resident, "居民 王阿姨", community.id);
    let (_mounted, root, _data, sync) = mount_at("/requests/new", &resident, community.state(&[]));
    settle().await;
    assert_eq!(text(&root, ".page-head__title"), t().request_form.title);
    // The community's buildings, in their natural order, after the prompt.
    let buildings: Vec<String> = all(&root, "select[name=building_id] option")
        .iter()
        .map(|option| option.text_content().unwrap())
        .collect();
    assert_eq!(
        buildings,
        [
            t().request_form.choose_building,
            "星怡花园4幢",
            "星怡花园32幢"
        ]
    );
    assert!(
        !exists(&root, "input[name=channel]"),
        "a resident files their own"
    );
    click(&root, ".request-form__submit");
    settle().await;
    assert_eq!(
        text(&root, ".field__error[data-field=building_id]"),
        t().request_field_error(Field::BuildingId, FieldCode::Required)
    );
    assert!(exists(&root, ".field__error[data-field=description]"));
    assert_eq!(location(), "/requests/new");
    assert_eq!(queued(&sync, &resident), Vec::<Command>::new());
}

#[wasm_bindgen_test]
async fn a_request_filed_offline_waits_in_the_outbox_and_shows_at_once() {
    let community = Community::new();
    let resident = person(Role::Resident, "居民 王阿姨", community.id);
    let (_mounted, root, data, sync) = mount_at("/requests/new", &resident, community.state(&[]));
    settle().await;
    click(&root, "input[name=category][value=cleaning]");
    fill_in(
        &root,
        "select[name=building_id]",
        &community.east.id.to_string(),
    );
    fill_in(&root, "input[name=place]", "3楼楼道");
    fill_in(&root, "textarea[name=description]", "楼道地上有油,很滑");
    settle().await;
    assert_eq!(text(&root, ".request-form__counter"), "9/500");
    click(&root, "input[name=urgency][value=urgent]");
    click(&root, "input[name=contact_ok]");
    click(&root, ".request-form__submit");
    settle().await;

    let filed: Vec<RequestView> = data.requests.values(|_| true);
    assert_eq!(filed.len(), 1, "shown at once");
    let request = &filed[0];
    assert_eq!(location(), format!("/requests/{}?filed=1", request.id));
    assert_eq!(
        text(&root, ".request__filed"),
        t().requests.saved_offline,
        "the resident is told it waits for the network"
    );
    assert_eq!(
        text(&root, ".request-status"),
        t().request_status(RequestStatus::Submitted)
    );
    assert_eq!(
        text(&root, ".request-timeline .form-note"),
        t().requests.timeline_waiting
    );
    let commands = queued(&sync, &resident);
    let [Command::FileRequest(new)] = commands.as_slice() else {
        panic!("one filing queued: {commands:?}");
    };
    assert_eq!(new.id, request.id);
    assert_eq!(new.category, RequestCategory::Cleaning);
    assert_eq!(new.urgency, Urgency::Urgent);
    assert_eq!(new.building_id, community.east.id);
    assert_eq!(new.place.as_deref(), Some("3楼楼道"));
    assert!(!new.contact_ok);
    assert_eq!(new.channel, None);
    assert_eq!(new.on_behalf, None);
}

#[wasm_bindgen_test]
async fn a_worker_logs_a_request_on_a_residents_behalf() {
    let community = Community::new();
    let worker = person(Role::Worker, "网格长 李红", community.id);
    let (_mounted, root, _data, sync) = mount_at("/requests/new", &worker, community.state(&[]));
    settle().await;
    assert_eq!(
        text(&root, ".page-head__title"),
        t().request_form.title_for_someone
    );
    fill_in(
        &root,
        "select[name=building_id]",
        &community.west.id.to_string(),
    );
    fill_in(
        &root,
        "textarea[name=description]",
        "电话反映:4幢门口路灯不亮",
    );
    click(&root, ".request-form__submit");
    settle().await;
    assert!(
        exists(&root, ".field__error[data-field=channel]"),
        "how it reached them is asked"
    );
    click(&root, "input[name=channel][value=phone]");
    fill_in(&root, "input[name=on_behalf_name]", "赵大爷");
    fill_in(&root, "input[name=on_behalf_phone]", "0513-8888 8888");
    click(&root, ".request-form__submit");
    settle().await;
    let commands = queued(&sync, &worker);
    let [Command::FileRequest(new)] = commands.as_slice() else {
        panic!("one filing queued: {commands:?}");
    };
    assert_eq!(new.channel, Some(Channel::Phone));
    let person = new.on_behalf.clone().unwrap();
    assert_eq!(person.name.as_deref(), Some("赵大爷"));
    assert_eq!(person.phone.as_deref(), Some("0513-8888 8888"));
}

fn filing(community: &Community) -> NewRequest {
    NewRequest {
        id: RequestId::generate(),
        category: RequestCategory::Repair,
        description: "楼道灯坏了".into(),
        building_id: community.east.id,
        unit: None,
        place: None,
        urgency: Urgency::Normal,
        contact_ok: true,
        channel: None,
        on_behalf: None,
    }
}

#[wasm_bindgen_test]
async fn photos_wait_for_their_request_go_once_and_stay_after_a_network_error() {
    let community = Community::new();
    let resident = person(Role::Resident, "居民 王阿姨", community.id);
    let (_mounted, root, data, sync) = mount_at("/me", &resident, community.state(&[]));
    fake_server("201");
    let new = filing(&community);
    sync.mutate(Command::FileRequest(new.clone()))
        .await
        .unwrap();
    sync.queue_photo(new.id, jpeg()).await.unwrap();
    sync.queue_photo(new.id, jpeg()).await.unwrap();
    settle().await;
    assert_eq!(data.photos.get_untracked().len(), 2, "kept on the phone");
    assert_eq!(
        uploads(),
        Vec::<String>::new(),
        "nothing sent before the request"
    );

    // The server applies the filing, but the network drops before the photos go.
    answer_with("offline", "");
    let stored = data.requests.get(&new.id).unwrap();
    server_applies(&sync, &resident, vec![stored.clone()]);
    settle().await;
    let path = format!("PUT /api/requests/{}/photos/", new.id);
    assert_eq!(
        uploads().len(),
        1,
        "the first photo tried, the round stopped"
    );
    assert!(uploads()[0].starts_with(&path), "{:?}", uploads());
    assert_eq!(
        data.photos.get_untracked().len(),
        2,
        "kept after a network error"
    );

    // Back online: both go, once each, and leave the phone.
    answer_with("201", "");
    sync.retry_photos();
    settle().await;
    let sent = uploads();
    assert_eq!(sent.len(), 3, "{sent:?}");
    let ids: Vec<String> = data
        .photos
        .get_untracked()
        .iter()
        .map(|p| p.id.to_string())
        .collect();
    assert_eq!(
        ids,
        Vec::<String>::new(),
        "removed after the server took them"
    );
    assert_ne!(sent[1], sent[2], "each photo once");
    sync.retry_photos();
    settle().await;
    assert_eq!(uploads().len(), 3, "nothing is sent again");
    drop(root);
}

#[wasm_bindgen_test]
async fn a_photo_the_server_refuses_is_dropped_and_the_user_told_why() {
    let community = Community::new();
    let resident = person(Role::Resident, "居民 王阿姨", community.id);
    let filed = community.request(resident.id, &community.east, RequestStatus::Submitted, 1);
    let (_mounted, root, data, sync) = mount_at(
        &format!("/requests/{}", filed.id),
        &resident,
        community.state(std::slice::from_ref(&filed)),
    );
    fake_server("422");
    answer_with("422", "not_an_image");
    sync.queue_photo(filed.id, jpeg()).await.unwrap();
    settle().await;
    assert_eq!(uploads().len(), 1, "on the server already: sent at once");
    assert!(data.photos.get_untracked().is_empty(), "not kept");
    let problems = data.photo_problems.get_untracked();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code, ProblemCode::NotAnImage);
    assert!(text(&root, ".request-photos__refused").contains(t().problem.not_an_image));
    click(&root, ".request-photos__refused button");
    settle().await;
    assert!(!exists(&root, ".request-photos__refused"));
}

#[wasm_bindgen_test]
async fn the_inbox_leads_with_the_overdue_and_keeps_its_filters_in_the_url() {
    let community = Community::new();
    let worker = person(Role::Worker, "网格长 李红", community.id);
    let resident = UserId::generate();
    let late = community.request(resident, &community.east, RequestStatus::Submitted, 6);
    let fresh = community.request(resident, &community.west, RequestStatus::Submitted, 1);
    let mut closed = community.request(resident, &community.east, RequestStatus::Closed, 100);
    closed.category = RequestCategory::Cleaning;
    let (_mounted, root, _data, _sync) = mount_at(
        "/worker/requests",
        &worker,
        community.state(&[fresh.clone(), late.clone(), closed.clone()]),
    );
    settle().await;
    let cards = all(&root, ".request-card");
    let shown: Vec<String> = cards
        .iter()
        .map(|card| card.get_attribute("href").unwrap())
        .collect();
    assert_eq!(
        shown,
        [
            format!("/requests/{}", late.id),
            format!("/requests/{}", fresh.id)
        ],
        "open ones only, the late one first"
    );
    assert!(cards[0].class_list().contains("request-card--overdue"));
    assert!(!cards[1].class_list().contains("request-card--overdue"));
    assert_eq!(
        cards[0]
            .query_selector(".badge--overdue")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        t().requests.overdue_accept
    );

    // Only the overdue: the filter goes into the URL.
    let overdue_chip = all(&root, ".chips")
        .into_iter()
        .find(|group| {
            group
                .text_content()
                .unwrap()
                .contains(t().request_work.only_overdue)
        })
        .unwrap();
    overdue_chip
        .query_selector_all(".chip")
        .unwrap()
        .item(1)
        .unwrap()
        .unchecked_into::<HtmlElement>()
        .click();
    settle().await;
    assert_eq!(location(), "/worker/requests?overdue=1");
    assert_eq!(all(&root, ".request-card").len(), 1);

    // A link with other filters shows what it says.
    let url = InboxFilters {
        status: Some(None),
        category: Some(RequestCategory::Cleaning),
        ..InboxFilters::default()
    }
    .url();
    assert_eq!(url, "/worker/requests?status=all&category=cleaning");
    let params = ParamsMap::from_iter([
        ("status".to_owned(), "all".to_owned()),
        ("category".to_owned(), "cleaning".to_owned()),
    ]);
    let read = InboxFilters::from_params(&params);
    assert_eq!(read.url(), url, "the URL reads back as the same filters");
    assert!(read.matches(&closed, now()) && !read.matches(&late, now()));
    let odd = ParamsMap::from_iter([("status".to_owned(), "nonsense".to_owned())]);
    assert_eq!(
        InboxFilters::from_params(&odd),
        InboxFilters::default(),
        "a mistyped link shows the open requests"
    );
}

#[wasm_bindgen_test]
async fn a_worker_accepts_then_dispatches_to_property_staff() {
    let community = Community::new();
    let worker = person(Role::Worker, "网格长 李红", community.id);
    let filed = community.request(
        UserId::generate(),
        &community.east,
        RequestStatus::Submitted,
        1,
    );
    let (_mounted, root, data, sync) = mount_at(
        &format!("/requests/{}", filed.id),
        &worker,
        community.state(std::slice::from_ref(&filed)),
    );
    settle().await;
    assert!(!exists(&root, ".triage__dispatch"), "accepted first");
    click(&root, ".triage__accept");
    settle().await;
    assert_eq!(
        data.requests.get(&filed.id).unwrap().status,
        RequestStatus::Accepted
    );
    click(&root, ".triage__dispatch");
    settle().await;
    click(
        &root,
        &format!("input[name=handler][value=\"{}\"]", community.staff.id),
    );
    click(&root, ".triage__dispatch-submit");
    settle().await;
    let shown = data.requests.get(&filed.id).unwrap();
    assert_eq!(shown.status, RequestStatus::Dispatched);
    assert_eq!(shown.handler.unwrap().kind, HandlerKind::Property);
    let commands = queued(&sync, &worker);
    assert!(
        matches!(
            commands.as_slice(),
            [Command::AcceptRequest(_), Command::DispatchRequest(dispatch)]
                if dispatch.handler.user_id == community.staff.id
        ),
        "{commands:?}"
    );
}

#[wasm_bindgen_test]
async fn a_public_summary_with_a_phone_is_refused_by_cores_check() {
    let community = Community::new();
    let worker = person(Role::Worker, "网格长 李红", community.id);
    let accepted = community.request(
        UserId::generate(),
        &community.east,
        RequestStatus::Accepted,
        1,
    );
    let (_mounted, root, data, sync) = mount_at(
        &format!("/requests/{}", accepted.id),
        &worker,
        community.state(std::slice::from_ref(&accepted)),
    );
    settle().await;
    click(&root, ".handling__resolve");
    settle().await;
    fill_in(&root, "textarea[name=resolve_note]", "已换好灯泡");
    fill_in(
        &root,
        "textarea[name=public_summary]",
        "已换灯,有事打13912345678",
    );
    click(&root, ".handling__resolve-submit");
    settle().await;
    assert_eq!(
        text(&root, ".field__error[data-field=public_summary]"),
        t().request_field_error(Field::PublicSummary, FieldCode::RevealsPhone)
    );
    assert_eq!(
        data.requests.get(&accepted.id).unwrap().status,
        RequestStatus::Accepted
    );
    fill_in(&root, "textarea[name=public_summary]", "32幢楼道灯已更换");
    click(&root, ".handling__resolve-submit");
    settle().await;
    assert_eq!(
        data.requests.get(&accepted.id).unwrap().status,
        RequestStatus::Resolved
    );
    assert_eq!(queued(&sync, &worker).len(), 1);
}

#[wasm_bindgen_test]
async fn the_requester_rates_a_resolved_request_with_stars() {
    let community = Community::new();
    let resident = person(Role::Resident, "居民 王阿姨", community.id);
    let mut resolved = community.request(resident.id, &community.east, RequestStatus::Resolved, 30);
    resolved.resolved_at = Some(now() - Duration::hours(2));
    resolved.contact = Some(microwish_core::RequestContact {
        name: "居民 王阿姨".into(),
        phone: "13800000005".into(),
    });
    let (_mounted, root, data, sync) = mount_at(
        &format!("/requests/{}", resolved.id),
        &resident,
        community.state(std::slice::from_ref(&resolved)),
    );
    settle().await;
    assert!(
        !exists(&root, ".request__call"),
        "the requester is not offered their own phone"
    );
    // Five radio buttons, each named for a screen reader, in one group with a legend.
    let stars = all(&root, ".stars input[type=radio][name=rating]");
    assert_eq!(stars.len(), 5);
    assert_eq!(stars[3].get_attribute("aria-label").unwrap(), t().stars(4));
    assert_eq!(text(&root, ".stars legend"), t().request_answer.rating);
    click(&root, ".request-answer__confirm");
    settle().await;
    assert_eq!(
        text(&root, ".field__error[data-field=rating]"),
        t().request_field_error(Field::Rating, FieldCode::OutOfRange),
        "no stars chosen"
    );
    click(&root, ".stars input[value=\"4\"]");
    settle().await;
    assert_eq!(all(&root, ".star--on").len(), 4);
    fill_in(&root, "textarea[name=rating_note]", "修得很快");
    click(&root, ".request-answer__confirm");
    settle().await;
    let shown = data.requests.get(&resolved.id).unwrap();
    assert_eq!(shown.status, RequestStatus::Closed);
    assert_eq!(shown.rating, Some(4));
    assert!(!exists(&root, ".request-answer"), "answered");
    let commands = queued(&sync, &resident);
    assert!(
        matches!(
            commands.as_slice(),
            [Command::ConfirmRequest(rating)] if rating.rating == 4 && rating.note.as_deref() == Some("修得很快")
        ),
        "{commands:?}"
    );
}

/// Picks a photo in the form's file input, as the camera or the gallery would hand it over.
async fn pick_photo(root: &Element) {
    let input = find(root, "input[type=file][name=photo]");
    let pick = js_sys::Function::new_with_args(
        "input",
        "return (async () => {\
           const canvas = document.createElement('canvas');\
           canvas.width = 64; canvas.height = 48;\
           const context = canvas.getContext('2d');\
           context.fillStyle = '#c33'; context.fillRect(0, 0, 64, 48);\
           const blob = await new Promise((done) => canvas.toBlob(done, 'image/png'));\
           const picked = new DataTransfer();\
           picked.items.add(new File([blob], 'stairs.png', {type: 'image/png'}));\
           input.files = picked.files;\
           input.dispatchEvent(new Event('change', {bubbles: true}));\
         })()",
    );
    let promise: js_sys::Promise = pick.call1(&JsValue::NULL, &input).unwrap().unchecked_into();
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Waits (up to two seconds) for `selector` to show under `root`.
async fn wait_for(root: &Element, selector: &str) {
    for _ in 0..100 {
        if exists(root, selector) {
            return;
        }
        sleep(20).await;
    }
    panic!("{selector} never showed");
}

/// Waits (up to two seconds) for `done`.
async fn wait_until(done: impl Fn() -> bool, what: &str) {
    for _ in 0..100 {
        if done() {
            return;
        }
        sleep(20).await;
    }
    panic!("never: {what} (at {})", location());
}

fn hrefs(root: &Element, selector: &str) -> Vec<String> {
    all(root, selector)
        .iter()
        .map(|link| link.get_attribute("href").unwrap())
        .collect()
}

fn page_of(request: &RequestView) -> String {
    format!("/requests/{}", request.id)
}

#[wasm_bindgen_test]
async fn a_photo_picked_in_the_form_waits_with_its_request_and_goes_once_the_request_is_on_the_server(
) {
    let community = Community::new();
    let resident = person(Role::Resident, "居民 王阿姨", community.id);
    let (_mounted, root, data, sync) = mount_at("/requests/new", &resident, community.state(&[]));
    fake_server("201");
    settle().await;
    pick_photo(&root).await;
    wait_for(&root, ".photo-picker__item").await;
    assert_eq!(all(&root, ".photo-picker__item").len(), 1, "shown to check");
    fill_in(
        &root,
        "select[name=building_id]",
        &community.east.id.to_string(),
    );
    fill_in(&root, "textarea[name=description]", "楼道地上有油,很滑");
    click(&root, ".request-form__submit");
    settle().await;

    let filed: Vec<RequestView> = data.requests.values(|_| true);
    assert_eq!(filed.len(), 1);
    let filed = filed[0].clone();
    let waiting = data.photos.get_untracked();
    assert_eq!(waiting.len(), 1, "the photo waits in the photo outbox");
    assert_eq!(waiting[0].request_id, filed.id);
    assert_eq!(
        text(&root, ".request-photos__waiting"),
        microwish::i18n::fill(t().requests.photos_waiting, &[("n", "1".to_owned())])
    );
    assert_eq!(
        uploads(),
        Vec::<String>::new(),
        "not before the request is on the server"
    );

    server_applies(&sync, &resident, vec![filed.clone()]);
    settle().await;
    assert_eq!(
        uploads(),
        [format!(
            "PUT /api/requests/{}/photos/{}",
            filed.id, waiting[0].id
        )],
        "sent once, with the id it was kept under"
    );
    assert!(
        data.photos.get_untracked().is_empty(),
        "gone from the phone"
    );
    assert!(!exists(&root, ".request-photos__waiting"));
    assert_eq!(
        text(&root, ".request__filed"),
        t().requests.saved,
        "on the server"
    );

    // Once a worker takes it, "filed" is old news.
    let mut accepted = filed.clone();
    accepted.status = RequestStatus::Accepted;
    accepted.updated_at = now();
    server_pulls(&sync, 1, vec![accepted]);
    settle().await;
    assert_eq!(
        text(&root, ".request-head .request-status"),
        t().request_status(RequestStatus::Accepted)
    );
    assert!(!exists(&root, ".request__filed"));
}

fn event(
    seq: i64,
    hours_ago: i64,
    action: microwish_core::EventAction,
    actor: Option<(Role, &str)>,
    note: Option<&str>,
) -> microwish_core::EventView {
    microwish_core::EventView {
        seq,
        at: now() - Duration::hours(hours_ago),
        action,
        from_status: None,
        to_status: None,
        actor_role: actor.map(|(role, _)| role),
        actor_name: actor.map(|(_, name)| name.to_owned()),
        note: note.map(str::to_owned),
    }
}

#[wasm_bindgen_test]
async fn my_requests_are_mine_newest_first_and_a_timeline_reads_in_plain_words() {
    use microwish_core::EventAction;
    let community = Community::new();
    let resident = person(Role::Resident, "居民 王阿姨", community.id);
    let mut older = community.request(resident.id, &community.west, RequestStatus::Resolved, 50);
    older.handler = Some(microwish_core::Handler {
        kind: HandlerKind::Property,
        user_id: community.staff.id,
    });
    let newer = community.request(resident.id, &community.east, RequestStatus::Submitted, 2);
    let theirs = community.request(
        UserId::generate(),
        &community.east,
        RequestStatus::Submitted,
        1,
    );
    let (_mounted, root, _data, _sync) = mount_at(
        "/me/requests",
        &resident,
        community.state(&[older.clone(), newer.clone(), theirs]),
    );
    fake_server("404");
    let events = vec![
        event(
            1,
            50,
            EventAction::File,
            Some((Role::Resident, "居民 王阿姨")),
            None,
        ),
        event(
            2,
            49,
            EventAction::Accept,
            Some((Role::Worker, "网格长 李红")),
            None,
        ),
        event(
            3,
            49,
            EventAction::Dispatch,
            Some((Role::Worker, "网格长 李红")),
            Some("property"),
        ),
        event(
            4,
            30,
            EventAction::Start,
            Some((Role::Property, "红色物业 刘师傅")),
            None,
        ),
        event(
            5,
            20,
            EventAction::Resolve,
            Some((Role::Property, "红色物业 刘师傅")),
            Some("换了新灯泡"),
        ),
    ];
    route(
        &format!("/api/requests/{}", older.id),
        &serde_json::json!({ "timeline": events }),
    );
    settle().await;
    assert_eq!(
        hrefs(&root, ".request-card"),
        [page_of(&newer), page_of(&older)],
        "only the user's own, the newest first"
    );
    assert_eq!(
        all(&root, ".request-card")[1]
            .query_selector(".request-status")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        t().request_status(RequestStatus::Resolved),
        "the status in words"
    );

    // Its page (the card links there).
    drop(_mounted);
    let (_mounted, root, _data, _sync) = mount_at(
        &page_of(&older),
        &resident,
        community.state(&[older.clone(), newer.clone()]),
    );
    wait_for(&root, ".timeline__item").await;
    let said: Vec<String> = all(&root, ".timeline__what")
        .iter()
        .map(|what| what.text_content().unwrap())
        .collect();
    let expected: Vec<String> = events.iter().rev().map(|e| t().request_event(e)).collect();
    assert_eq!(said, expected, "newest first, each step in words");
    assert_eq!(
        said[2],
        format!(
            "网格长 李红 {}",
            microwish::i18n::fill(
                t().requests.dispatched_to,
                &[(
                    "handler",
                    t().handler_kind(HandlerKind::Property).to_owned()
                )]
            )
        ),
        "a dispatch names who it went to, not its code"
    );
    assert!(said.iter().all(|words| !words.contains("property")));
    assert_eq!(text(&root, ".timeline__note"), "换了新灯泡");
}

#[wasm_bindgen_test]
async fn the_requester_reopens_what_is_not_fixed_with_a_reason_within_the_answer_time() {
    use microwish_core::rules::{next_request_status, RequestAction};
    let community = Community::new();
    let resident = person(Role::Resident, "居民 王阿姨", community.id);
    let mut resolved = community.request(resident.id, &community.east, RequestStatus::Resolved, 30);
    resolved.resolved_at = Some(now() - Duration::hours(2));
    let mut long_ago =
        community.request(resident.id, &community.west, RequestStatus::Resolved, 300);
    long_ago.resolved_at = Some(now() - Duration::days(8));
    let (_mounted, root, data, sync) = mount_at(
        &page_of(&resolved),
        &resident,
        community.state(&[resolved.clone(), long_ago.clone()]),
    );
    settle().await;
    click(&root, ".request-answer__reopen");
    settle().await;
    click(&root, ".request-answer__reopen-submit");
    settle().await;
    assert!(
        exists(&root, ".field__error[data-field=reason]"),
        "what is still wrong is asked"
    );
    assert_eq!(
        data.requests.get(&resolved.id).unwrap().status,
        RequestStatus::Resolved
    );
    fill_in(&root, "textarea[name=reopen_reason]", "灯还是不亮");
    click(&root, ".request-answer__reopen-submit");
    settle().await;
    let reopened = data.requests.get(&resolved.id).unwrap();
    assert_eq!(
        reopened.status,
        next_request_status(RequestStatus::Resolved, RequestAction::Reopen).unwrap()
    );
    assert!(!exists(&root, ".request-answer"), "no longer to answer");
    let commands = queued(&sync, &resident);
    assert!(
        matches!(
            commands.as_slice(),
            [Command::ReopenRequest(reason)] if reason.reason == "灯还是不亮"
        ),
        "{commands:?}"
    );
    drop(_mounted);

    // Past the answer time it can only be rated.
    let (_mounted, root, _data, _sync) = mount_at(
        &page_of(&long_ago),
        &resident,
        community.state(std::slice::from_ref(&long_ago)),
    );
    settle().await;
    assert!(exists(&root, ".request-answer__confirm"));
    assert!(!exists(&root, ".request-answer__reopen"));
}

#[wasm_bindgen_test]
async fn a_worker_calls_the_grids_party_members() {
    let community = Community::new();
    let worker = person(Role::Worker, "网格长 李红", community.id);
    let mut accepted = community.request(
        UserId::generate(),
        &community.east,
        RequestStatus::Accepted,
        1,
    );
    accepted.category = RequestCategory::Help;
    let (_mounted, root, data, sync) = mount_at(
        &page_of(&accepted),
        &worker,
        community.state(std::slice::from_ref(&accepted)),
    );
    settle().await;
    click(&root, ".triage__call");
    settle().await;
    assert_eq!(
        data.requests.get(&accepted.id).unwrap().status,
        RequestStatus::Calling
    );
    assert_eq!(
        text(&root, ".triage .form-note"),
        t().request_work.call_hint
    );
    assert!(!exists(&root, ".triage__call"), "called once");
    let commands = queued(&sync, &worker);
    assert!(
        matches!(commands.as_slice(), [Command::CallVolunteers(call)] if call.request_id == accepted.id),
        "{commands:?}"
    );
}

#[wasm_bindgen_test]
async fn a_request_is_declined_only_with_a_reason_and_then_is_final() {
    let community = Community::new();
    let worker = person(Role::Worker, "网格长 李红", community.id);
    let mut filed = community.request(
        UserId::generate(),
        &community.east,
        RequestStatus::Submitted,
        1,
    );
    filed.category = RequestCategory::Suggestion;
    let (_mounted, root, data, sync) = mount_at(
        &page_of(&filed),
        &worker,
        community.state(std::slice::from_ref(&filed)),
    );
    settle().await;
    click(&root, ".triage__decline");
    settle().await;
    click(&root, ".triage__decline-submit");
    settle().await;
    assert!(exists(&root, ".field__error[data-field=reason]"));
    assert_eq!(
        data.requests.get(&filed.id).unwrap().status,
        RequestStatus::Submitted
    );
    fill_in(
        &root,
        "textarea[name=decline_reason]",
        "不属于社区办理范围,请拨打12345市民热线",
    );
    click(&root, ".triage__decline-submit");
    settle().await;
    assert_eq!(
        data.requests.get(&filed.id).unwrap().status,
        RequestStatus::Declined
    );
    assert!(
        all(&root, ".triage__buttons button").is_empty(),
        "nothing more to do with it"
    );
    let commands = queued(&sync, &worker);
    assert!(
        matches!(commands.as_slice(), [Command::DeclineRequest(reason)] if reason.reason.contains("12345")),
        "{commands:?}"
    );
}

#[wasm_bindgen_test]
async fn a_duplicate_is_merged_into_the_request_it_repeats() {
    let community = Community::new();
    let worker = person(Role::Worker, "网格长 李红", community.id);
    let someone = UserId::generate();
    let duplicate = community.request(someone, &community.east, RequestStatus::Submitted, 1);
    let original = community.request(someone, &community.east, RequestStatus::Accepted, 5);
    let elsewhere = community.request(someone, &community.west, RequestStatus::Submitted, 3);
    let declined = community.request(someone, &community.east, RequestStatus::Declined, 2);
    let (_mounted, root, data, sync) = mount_at(
        &page_of(&duplicate),
        &worker,
        community.state(&[
            duplicate.clone(),
            original.clone(),
            elsewhere.clone(),
            declined,
        ]),
    );
    settle().await;
    click(&root, ".triage__merge");
    settle().await;
    let offered: Vec<String> = all(&root, "input[name=into]")
        .iter()
        .map(|choice| choice.get_attribute("value").unwrap())
        .collect();
    assert_eq!(
        offered,
        [original.id.to_string(), elsewhere.id.to_string()],
        "those still followed, the same building's first"
    );
    click(
        &root,
        &format!("input[name=into][value=\"{}\"]", original.id),
    );
    click(&root, ".triage__merge-submit");
    settle().await;
    let merged = data.requests.get(&duplicate.id).unwrap();
    assert_eq!(merged.status, RequestStatus::Merged);
    assert_eq!(merged.merged_into, Some(original.id));
    let commands = queued(&sync, &worker);
    assert!(
        matches!(commands.as_slice(), [Command::MergeRequest(merge)] if merge.into == original.id),
        "{commands:?}"
    );
}

#[wasm_bindgen_test]
async fn a_request_for_help_becomes_a_house_call_for_the_household() {
    use microwish_core::{Household, HouseholdId, WishKind};
    let community = Community::new();
    let worker = person(Role::Worker, "网格长 李红", community.id);
    let mut help = community.request(
        UserId::generate(),
        &community.east,
        RequestStatus::Accepted,
        3,
    );
    help.category = RequestCategory::Help;
    help.description = "隔壁独居的马奶奶卫生间灯坏了".into();
    let at = now() - Duration::days(30);
    let household = Household {
        id: HouseholdId::generate(),
        name: "马玉珍".into(),
        address: "星怡花园32幢104室".into(),
        phone: "13962800111".into(),
        grid: community.east.grid.clone(),
        groups: vec![microwish_core::BeneficiaryGroup::ElderlyAlone],
        notes: String::new(),
        consent_on: Some(microwish_core::clock::community_today(at)),
        guardian_consent_on: None,
        minor: false,
        wishes: Vec::new(),
        created_at: at,
        updated_at: at,
    };
    let mut state = community.state(std::slice::from_ref(&help));
    state.households.insert(household.id, household.clone());
    let (_mounted, root, _data, _sync) = mount_at(&page_of(&help), &worker, state);
    settle().await;
    click(&root, ".triage__convert");
    settle().await;
    assert!(
        !exists(&root, ".triage__convert-submit"),
        "a household first"
    );
    fill_in(&root, "select[name=household]", &household.id.to_string());
    settle().await;
    assert_eq!(
        find(&root, ".triage__convert-submit")
            .get_attribute("href")
            .unwrap(),
        format!(
            "/worker/wishes/new?household={}&request={}",
            household.id, help.id
        )
    );
    // The wish form it links to.
    let href = find(&root, ".triage__convert-submit")
        .get_attribute("href")
        .unwrap();
    drop(_mounted);
    let mut state = community.state(std::slice::from_ref(&help));
    state.households.insert(household.id, household.clone());
    let (_mounted, root, data, sync) = mount_at(&href, &worker, state);
    settle().await;
    click(&root, "input[name=kind][value=service]");
    settle().await;
    fill_in(&root, "input[name=title]", "更换卫生间灯泡");
    fill_in(&root, "select[name=category]", "repair");
    click(&root, ".wish-form__save");
    settle().await;

    let wishes = data.wishes.values(|_| true);
    assert_eq!(wishes.len(), 1);
    assert_eq!(wishes[0].kind, WishKind::Service);
    let converted = data.requests.get(&help.id).unwrap();
    assert_eq!(
        converted.wish_id,
        Some(wishes[0].id),
        "tied to the house call"
    );
    wait_until(|| location() == page_of(&help), "back to the request").await;
    let commands = queued(&sync, &worker);
    assert!(
        matches!(
            commands.as_slice(),
            [Command::CreateWish(wish), Command::ConvertRequest(conversion)]
                if conversion.wish_id == wish.id && conversion.request_id == help.id
        ),
        "{commands:?}"
    );
    assert!(
        exists(&root, &format!("a[href=\"/wishes/{}\"]", wishes[0].id)),
        "the request links to its wish"
    );
}

#[wasm_bindgen_test]
async fn property_staff_see_what_is_dispatched_to_them_and_handle_it() {
    let community = Community::new();
    let mut staff = person(Role::Property, "红色物业 刘师傅", community.id);
    staff.id = community.staff.id;
    let to_me = microwish_core::Handler {
        kind: HandlerKind::Property,
        user_id: staff.id,
    };
    let someone = UserId::generate();
    let mut open = community.request(someone, &community.east, RequestStatus::Dispatched, 10);
    open.handler = Some(to_me);
    open.contact = Some(microwish_core::RequestContact {
        name: "居民 王阿姨".into(),
        phone: "13800000005".into(),
    });
    let mut done = community.request(someone, &community.west, RequestStatus::Closed, 100);
    done.handler = Some(to_me);
    let mut not_mine = community.request(someone, &community.east, RequestStatus::Dispatched, 5);
    not_mine.handler = Some(microwish_core::Handler {
        kind: HandlerKind::Property,
        user_id: UserId::generate(),
    });
    let (_mounted, root, _data, _sync) = mount_at(
        "/assigned",
        &staff,
        community.state(&[open.clone(), done.clone(), not_mine]),
    );
    settle().await;
    let lists = all(&root, ".request-list");
    assert_eq!(lists.len(), 2, "to handle, then handled");
    assert_eq!(hrefs(&lists[0], ".request-card"), [page_of(&open)]);
    assert_eq!(hrefs(&lists[1], ".request-card"), [page_of(&done)]);

    // Its page (the card links there).
    drop(_mounted);
    let (_mounted, root, data, sync) = mount_at(
        &page_of(&open),
        &staff,
        community.state(std::slice::from_ref(&open)),
    );
    settle().await;
    assert!(!exists(&root, ".triage"), "no triage but for workers");
    assert_eq!(
        find(&root, ".request__call").get_attribute("href").unwrap(),
        "tel:13800000005",
        "whoever holds it may call the requester"
    );
    let facts = text(&root, ".request__facts");
    assert!(
        facts.contains("红色物业 刘师傅"),
        "the handler reads their own name: {facts}"
    );
    click(&root, ".handling__start");
    settle().await;
    assert_eq!(
        data.requests.get(&open.id).unwrap().status,
        RequestStatus::InProgress
    );
    click(&root, ".handling__resolve");
    settle().await;
    fill_in(&root, "textarea[name=resolve_note]", "换了新灯泡");
    fill_in(&root, "textarea[name=public_summary]", "32幢楼道灯已更换");
    click(&root, ".handling__resolve-submit");
    settle().await;
    let resolved = data.requests.get(&open.id).unwrap();
    assert_eq!(resolved.status, RequestStatus::Resolved);
    assert_eq!(resolved.public_summary.as_deref(), Some("32幢楼道灯已更换"));
    let commands = queued(&sync, &staff);
    assert!(
        matches!(
            commands.as_slice(),
            [Command::StartRequest(_), Command::ResolveRequest(resolution)]
                if resolution.note == "换了新灯泡"
        ),
        "{commands:?}"
    );
}

#[wasm_bindgen_test]
async fn a_party_member_takes_a_call_and_other_volunteers_have_none() {
    let community = Community::new();
    let mut member = person(Role::Volunteer, "志愿者 陈师傅", community.id);
    member.party_member = true;
    member.volunteer_status = Some(microwish_core::VolunteerStatus::Approved);
    let mut state = community.state(&[]);
    let call = microwish_core::CallView {
        id: RequestId::generate(),
        grid: community.east.grid.clone(),
        building_id: community.east.id,
        building: community.east.name.clone(),
        category: RequestCategory::Help,
        urgency: Urgency::Normal,
        description: "孙爷爷想把阳台上的花盆搬下楼".into(),
        status: RequestStatus::Calling,
        created_at: now() - Duration::hours(1),
    };
    state.calls.insert(call.id, call.clone());
    let (_mounted, root, data, sync) = mount_at("/calls", &member, state.clone());
    settle().await;
    assert_eq!(all(&root, ".call-card").len(), 1);
    let card = text(&root, ".call-card");
    assert!(card.contains(&community.east.name) && card.contains("花盆"));
    assert_eq!(
        text(&root, ".call-card .tag"),
        t().request_category(RequestCategory::Help)
    );
    click(&root, ".call-card__take");
    settle().await;
    assert_ne!(
        data.calls.get(&call.id).unwrap().status,
        RequestStatus::Calling,
        "held by this volunteer"
    );
    assert!(!exists(&root, ".call-card__take"));
    let commands = queued(&sync, &member);
    assert!(
        matches!(commands.as_slice(), [Command::TakeCall(take)] if take.request_id == call.id),
        "{commands:?}"
    );
    drop(_mounted);

    // A volunteer who is not a party member gets no calls.
    let mut plain = person(Role::Volunteer, "志愿者 小林", community.id);
    plain.volunteer_status = Some(microwish_core::VolunteerStatus::Approved);
    let (_mounted, root, _data, _sync) = mount_at("/calls", &plain, state);
    settle().await;
    assert!(!exists(&root, ".call-card"));
    assert_eq!(text(&root, ".empty"), t().request_work.calls_party_only);
}

#[wasm_bindgen_test]
async fn the_board_shows_what_was_fixed_and_nothing_of_the_resident() {
    let community = Community::new();
    let donor = person(Role::Donor, "爱心人士 张先生", community.id);
    fake_server("404");
    // Whatever else an answer carried, the board has no field to show it in.
    route(
        "/api/board",
        &serde_json::json!({
            "items": [{
                "id": RequestId::generate(),
                "category": "cleaning",
                "building": "星怡花园12幢",
                "resolved_on": "2026-10-04",
                "public_summary": "12幢楼道油污已清理",
                "description": "王阿姨家门口洒了油",
                "unit": "1202室",
                "phone": "13800000005"
            }],
            "next": null
        }),
    );
    let (_mounted, root, _data, _sync) = mount_at("/board", &donor, community.state(&[]));
    wait_for(&root, ".board-item").await;
    let shown = text(&root, ".board__list");
    for public in [
        "星怡花园12幢",
        "12幢楼道油污已清理",
        t().request_category(RequestCategory::Cleaning),
    ] {
        assert!(shown.contains(public), "{public} in {shown}");
    }
    assert!(shown.contains(&t().date(chrono::NaiveDate::from_ymd_opt(2026, 10, 4).unwrap())));
    for private in ["王阿姨", "1202室", "13800000005"] {
        assert!(!shown.contains(private), "{private} in {shown}");
    }
}

#[wasm_bindgen_test]
async fn the_report_shows_the_requests_rates_and_leaves_out_empty_months() {
    use microwish_core::stats::{
        RequestCategoryFigures, RequestGrid, RequestMonth, RequestRates, RequestStats, StatsDetail,
    };
    let community = Community::new();
    let worker = person(Role::Worker, "网格长 李红", community.id);
    let rates = RequestRates {
        total: 11,
        response_rate: Some(0.7),
        resolution_rate: Some(0.4545),
        solved_rate: Some(0.3636),
        satisfaction_rate: Some(0.75),
        median_minutes_to_accept: Some(40.0),
        median_minutes_to_resolve: Some(1560.0),
    };
    let month = |month: &str, rates: RequestRates| RequestMonth {
        month: month.into(),
        rates,
    };
    let report = StatsDetail {
        from: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        to: chrono::NaiveDate::from_ymd_opt(2026, 12, 5).unwrap(),
        grid: None,
        households_helped: 0,
        wishes_posted: 0,
        wishes_fulfilled: 0,
        units_fulfilled: 0,
        house_calls: 0,
        volunteers: 0,
        volunteer_minutes: 0,
        median_days_to_fulfil: None,
        by_month: Vec::new(),
        by_grid: Vec::new(),
        shops: Vec::new(),
        requests: RequestStats {
            rates: rates.clone(),
            by_month: vec![
                month("2026-10", RequestRates::default()),
                month("2026-11", rates.clone()),
            ],
            by_grid: vec![RequestGrid {
                grid: GridId::from("grid-1"),
                grid_name: "第一网格".into(),
                rates: rates.clone(),
            }],
            by_category: vec![
                RequestCategoryFigures {
                    category: RequestCategory::Repair,
                    rates: rates.clone(),
                },
                RequestCategoryFigures {
                    category: RequestCategory::Neighbour,
                    rates: RequestRates::default(),
                },
            ],
        },
    };
    fake_server("404");
    route("/api/stats/detail", &report);
    let (_mounted, root, _data, _sync) = mount_at("/worker/stats", &worker, community.state(&[]));
    wait_for(&root, ".report--requests").await;
    let section = find(&root, ".report--requests");
    let values: Vec<String> = all(&section, ".tile__value")
        .iter()
        .map(|value| value.text_content().unwrap())
        .collect();
    let t = t();
    assert_eq!(
        values,
        [
            "11".to_owned(),
            t.rate(Some(0.7)),
            t.rate(Some(0.4545)),
            t.rate(Some(0.3636)),
            t.rate(Some(0.75)),
            t.median_minutes(Some(40.0)),
            t.median_minutes(Some(1560.0)),
        ]
    );
    assert_eq!(t.rate(Some(0.7)).trim_end_matches('%').trim(), "70");
    let tables = all(&section, ".report-table--rates");
    assert_eq!(tables.len(), 3, "by month, by grid, by category");
    let rows = |table: &Element| all(table, "tbody tr").len();
    assert_eq!(rows(&tables[0]), 1, "a month without a request is left out");
    assert_eq!(rows(&tables[1]), 1);
    assert_eq!(
        rows(&tables[2]),
        1,
        "a category without a request is left out"
    );
    assert!(text(&tables[2], "tbody").contains(t.request_category(RequestCategory::Repair)));
}
