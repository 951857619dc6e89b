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
use microwish::pages::{InboxPage, RequestFormPage, RequestPage};
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

/// Replaces the page's `fetch` with a fake server that records each call and answers as
/// `answer` says: `"offline"` (a network error) or an HTTP status.
fn fake_server(answer: &str) {
    let fake = js_sys::Function::new_with_args(
        "input",
        "window.__calls = window.__calls || [];\
         window.__calls.push(input.method + ' ' + new URL(input.url).pathname);\
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
    assert_eq!(uploads().len(), 1, "the first photo tried, the round stopped");
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
    let (_mounted, root, data, sync) = mount_at(
        &format!("/requests/{}", resolved.id),
        &resident,
        community.state(std::slice::from_ref(&resolved)),
    );
    settle().await;
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
