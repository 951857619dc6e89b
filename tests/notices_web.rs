//! Browser tests of notices (通知): kept in IndexedDB for their user, the inbox read offline,
//! the tab bar's unread badge following each pull, marking read through the outbox (once),
//! every kind in words in both languages, a notice's link, a notice opened from the lock
//! screen, 我的 without an SMS gateway, and a volunteer's reachability.
#![cfg(target_arch = "wasm32")]

use chrono::{DateTime, Duration, TimeZone, Utc};
use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use microwish::components::NavBar;
use microwish::i18n::{self, t, EN, ZH_CN};
use microwish::pages::{AccountPage, NoticeOpenPage, NoticesPage, VolunteersPage};
use microwish::session::Session;
use microwish::state::Data;
use microwish::store::Store;
use microwish::sync::{sleep, Sync};
use microwish_core::command::{Command, MarkNoticesRead};
use microwish_core::engine::{Effect, Input, Meta, Save, SessionState};
use microwish_core::overlay::LocalState;
use microwish_core::sync::{Change, Op, PullResponse};
use microwish_core::{
    CommunityId, DisplayName, Me, Notice, NoticeId, NoticeKind, NoticeRefs, Phone, Reachable,
    RequestId, Role, UserId, VolunteerStatus, VolunteerView,
};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn person(role: Role) -> Me {
    Me {
        id: UserId::generate(),
        display_name: DisplayName::parse("爱心人士 张先生").unwrap(),
        phone: Phone::parse("13912345678").unwrap(),
        role,
        volunteer_minutes: 0,
        volunteer_status: None,
        party_member: false,
        community: Some(CommunityId::generate()),
        partner_communities: Vec::new(),
        phone_verified: false,
        volunteer_reason: None,
    }
}

fn at(minutes: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 7, 1, 2, 0, 0).unwrap() + Duration::minutes(minutes)
}

fn notice(user: &Me, kind: NoticeKind, minutes: i64, read: bool) -> Notice {
    Notice {
        id: NoticeId::generate(),
        user: user.id,
        kind,
        refs: NoticeRefs::default(),
        created_at: at(minutes),
        read_at: read.then(|| at(minutes + 1)),
    }
}

fn about_request(mut notice: Notice, request: RequestId) -> Notice {
    notice.refs.request_id = Some(request);
    notice
}

fn state_with(notices: &[Notice]) -> LocalState {
    let mut state = LocalState::default();
    for notice in notices {
        state.notices.insert(notice.id, notice.clone());
    }
    state
}

/// The notices' pages, the tab bar and 我的, opened at `path` for `me`, offline.
fn mount_at(path: &str, me: &Me, state: LocalState) -> (impl Drop, HtmlElement, Data, Sync) {
    let _owner = Owner::new();
    let data = Data::new(SessionState::LoggedIn(me.clone()));
    window()
        .history()
        .unwrap()
        .push_state_with_url(&JsValue::NULL, "", Some(path))
        .unwrap();
    let root: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&root).unwrap();
    // Made inside: the in-memory sync spawns tasks at once, which needs the executor
    // `mount_to` starts.
    let made = std::rc::Rc::new(std::cell::Cell::new(None));
    let me = me.clone();
    let mounted = mount_to(root.clone(), {
        let made = made.clone();
        move || {
            let sync = Sync::in_memory(data, Some(me), state);
            made.set(Some(sync));
            provide_context(data);
            provide_context(Session(data.session));
            provide_context(sync);
            view! {
                <Router>
                    <Routes fallback=|| "no route">
                        <Route path=path!("/notices") view=NoticesPage />
                        <Route path=path!("/notices/:id") view=NoticeOpenPage />
                        <Route path=path!("/requests/:id") view=|| view! { <p class="request-stub">"request"</p> } />
                        <Route path=path!("/me") view=AccountPage />
                        <Route path=path!("/worker/volunteers") view=VolunteersPage />
                    </Routes>
                    <NavBar />
                </Router>
            }
        }
    });
    let sync = made.get().expect("the sync is made when mounting");
    (mounted, root, data, sync)
}

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

fn find(root: &Element, selector: &str) -> HtmlElement {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .unchecked_into()
}

fn text(root: &Element, selector: &str) -> String {
    find(root, selector).text_content().unwrap_or_default()
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

/// Plays a pull (nothing queued) bringing `notices`.
fn pull(sync: &Sync, me: &Me, notices: Vec<Notice>) {
    let token = online(sync, me)
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
            last_mutation_id: 0,
            reset: false,
            more: false,
            policy: Default::default(),
            me: None,
            changes: notices
                .into_iter()
                .map(|notice| Change::Notice {
                    id: notice.id,
                    op: Op::Put,
                    data: Some(notice),
                })
                .collect(),
        }),
    });
}

#[wasm_bindgen_test]
async fn pulled_notices_are_kept_on_the_phone_for_their_user_and_wiped_at_logout() {
    let me = person(Role::Donor);
    let name = format!("microwish-test-{}", NoticeId::generate());
    let store = Store::open(&name).await.expect("IndexedDB opens");
    store
        .save(&Save::Wipe(Meta::fresh(Some(me.clone()))))
        .await
        .unwrap();
    let mine = notice(&me, NoticeKind::ClaimConfirmed, 0, false);
    let someone_elses = notice(&person(Role::Donor), NoticeKind::ClaimRejected, 1, false);
    let page = PullResponse {
        cursor: 5,
        last_mutation_id: 0,
        reset: false,
        more: false,
        policy: Default::default(),
        me: None,
        changes: [&mine, &someone_elses]
            .into_iter()
            .map(|notice| Change::Notice {
                id: notice.id,
                op: Op::Put,
                data: Some(notice.clone()),
            })
            .collect(),
    };
    store.save(&Save::Pulled(page)).await.unwrap();
    store.close();

    // Read again as the app starts offline: the user's notice, nobody else's.
    let store = Store::open(&name).await.unwrap();
    let snapshot = store.load().await.unwrap();
    assert_eq!(snapshot.state.notices.len(), 1);
    assert_eq!(snapshot.state.notices[&mine.id], mine);

    store.save(&Save::Wipe(Meta::fresh(None))).await.unwrap();
    assert!(store.load().await.unwrap().state.notices.is_empty());
    store.close();
}

#[wasm_bindgen_test]
async fn a_cache_from_before_notices_were_kept_pulls_everything_again() {
    use indexed_db_futures::database::Database;
    use indexed_db_futures::prelude::*;
    use indexed_db_futures::transaction::TransactionMode;

    // A phone's cache as version 4 left it: its cursor past notices it never kept.
    let name = format!("microwish-test-{}", NoticeId::generate());
    let old = Database::open(&name)
        .with_version(4u32)
        .with_on_upgrade_needed(|_, db| {
            for store in [
                "wishes",
                "claims",
                "campaigns",
                "grids",
                "outbox",
                "meta",
                "households",
                "volunteers",
                "pledges",
                "requests",
                "calls",
                "buildings",
                "staff",
                "photos",
            ] {
                db.create_object_store(store).build()?;
            }
            Ok(())
        })
        .await
        .unwrap();
    let mut meta = Meta::fresh(Some(person(Role::Donor)));
    meta.cursor = 42;
    meta.next_mutation_id = 7;
    let tx = old
        .transaction("meta")
        .with_mode(TransactionMode::Readwrite)
        .build()
        .unwrap();
    tx.object_store("meta")
        .unwrap()
        .put(serde_json::to_string(&meta).unwrap())
        .with_key("meta")
        .primitive()
        .unwrap()
        .await
        .unwrap();
    tx.commit().await.unwrap();
    old.close();

    let store = Store::open(&name).await.unwrap();
    let kept = store.load().await.unwrap().meta.unwrap();
    assert_eq!(
        kept.cursor, 0,
        "the next pull brings everything, notices too"
    );
    assert_eq!(kept.client_id, meta.client_id);
    assert_eq!(
        kept.next_mutation_id, 7,
        "queued changes keep their numbers"
    );

    // Opened again at this version: the cursor moves on as pulls say.
    let mut pulled = kept.clone();
    pulled.cursor = 50;
    store.save(&Save::Meta(pulled)).await.unwrap();
    store.close();
    let store = Store::open(&name).await.unwrap();
    assert_eq!(store.load().await.unwrap().meta.unwrap().cursor, 50);
    store.close();
}

#[wasm_bindgen_test]
async fn the_inbox_shows_the_notices_offline_newest_first_with_the_unread_marked() {
    let me = person(Role::Resident);
    let request = RequestId::generate();
    let oldest = notice(&me, NoticeKind::RequestAccepted, 0, true);
    let middle = about_request(notice(&me, NoticeKind::RequestResolved, 10, false), request);
    let newest = notice(&me, NoticeKind::RequestClosed, 20, false);
    let state = state_with(&[oldest.clone(), newest.clone(), middle.clone()]);
    let (_mounted, root, _data, _sync) = mount_at("/notices", &me, state);
    settle().await;

    let kinds: Vec<String> = all(&root, ".inbox-notice")
        .iter()
        .map(|item| item.get_attribute("data-kind").unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["request_closed", "request_resolved", "request_accepted"]
    );
    let unread: Vec<String> = all(&root, ".inbox-notice--unread")
        .iter()
        .map(|item| item.get_attribute("data-kind").unwrap())
        .collect();
    assert_eq!(unread, ["request_closed", "request_resolved"]);
    let t = t();
    let first = text(&root, ".inbox-notice");
    assert!(
        first.contains(t.notice_kind(NoticeKind::RequestClosed)),
        "{first}"
    );
    assert!(
        first.contains(t.notices.unread_mark),
        "said unread to a screen reader"
    );
    assert_eq!(text(&root, ".notices__count"), t.unread(2));
    // Each is a link to what it is about.
    let links: Vec<String> = all(&root, "a.inbox-notice")
        .iter()
        .map(|link| link.get_attribute("href").unwrap())
        .collect();
    assert_eq!(links[1], format!("/requests/{request}"));
}

#[wasm_bindgen_test]
async fn an_empty_inbox_says_what_will_come() {
    let me = person(Role::Donor);
    let (_mounted, root, _data, _sync) = mount_at("/notices", &me, LocalState::default());
    settle().await;
    assert!(all(&root, ".inbox-notice").is_empty());
    assert_eq!(text(&root, ".empty__title"), t().notices.empty);
    assert!(find(&root, ".notices__mark-all")
        .unchecked_into::<web_sys::HtmlButtonElement>()
        .disabled());
}

#[wasm_bindgen_test]
async fn the_badge_counts_the_unread_follows_each_pull_and_stops_at_99() {
    let me = person(Role::Donor);
    let state = state_with(&[
        notice(&me, NoticeKind::ClaimConfirmed, 0, false),
        notice(&me, NoticeKind::ThanksReceived, 1, true),
    ]);
    let (_mounted, root, _data, sync) = mount_at("/me", &me, state);
    settle().await;
    assert_eq!(text(&root, ".tabbar__notices .tabbar__badge"), "1");
    let name = text(&root, ".tabbar__notices");
    assert!(
        name.contains(&t().unread(1)),
        "{name}: the count is in the tab's name"
    );

    pull(
        &sync,
        &me,
        vec![notice(&me, NoticeKind::WishFulfilled, 2, false)],
    );
    settle().await;
    assert_eq!(text(&root, ".tabbar__notices .tabbar__badge"), "2");

    let many = (0..120)
        .map(|i| notice(&me, NoticeKind::ClaimExpiring, 10 + i, false))
        .collect();
    pull(&sync, &me, many);
    settle().await;
    assert_eq!(text(&root, ".tabbar__notices .tabbar__badge"), "99+");
}

#[wasm_bindgen_test]
async fn nothing_unread_shows_no_badge() {
    let me = person(Role::Donor);
    let state = state_with(&[notice(&me, NoticeKind::ClaimConfirmed, 0, true)]);
    let (_mounted, root, _data, _sync) = mount_at("/me", &me, state);
    settle().await;
    find(&root, ".tabbar__notices");
    assert!(all(&root, ".tabbar__badge").is_empty());
}

#[wasm_bindgen_test]
async fn mark_all_read_is_queued_once_and_shown_at_once() {
    let me = person(Role::Donor);
    let state = state_with(&[
        notice(&me, NoticeKind::ClaimConfirmed, 0, false),
        notice(&me, NoticeKind::ClaimExpired, 1, false),
    ]);
    let (_mounted, root, _data, sync) = mount_at("/notices", &me, state);
    settle().await;
    assert_eq!(all(&root, ".inbox-notice--unread").len(), 2);
    let mark_all = find(&root, ".notices__mark-all");
    mark_all.click();
    mark_all.click();
    settle().await;
    mark_all.click();
    settle().await;

    assert!(
        all(&root, ".inbox-notice--unread").is_empty(),
        "read at once, offline"
    );
    assert!(all(&root, ".tabbar__badge").is_empty());
    let commands = queued(&sync, &me);
    assert_eq!(
        commands,
        [Command::MarkNoticesRead(MarkNoticesRead {
            ids: Vec::new(),
            all: true,
        })],
        "queued once, however often tapped"
    );
}

#[wasm_bindgen_test]
async fn tapping_a_notice_links_to_what_it_is_about_and_marks_it_read() {
    let me = person(Role::Resident);
    let request = RequestId::generate();
    let resolved = about_request(notice(&me, NoticeKind::RequestResolved, 0, false), request);
    let (_mounted, root, _data, sync) =
        mount_at("/notices", &me, state_with(std::slice::from_ref(&resolved)));
    settle().await;
    let link = find(&root, "a.inbox-notice");
    assert_eq!(
        link.get_attribute("href").unwrap(),
        format!("/requests/{request}")
    );
    // The router follows the link (other tests' routers in this page catch clicks first, so
    // the address is not checked here; `/notices/{id}` below navigates by itself).
    link.click();
    settle().await;
    assert!(all(&root, ".tabbar__badge").is_empty(), "read at once");
    assert_eq!(
        queued(&sync, &me),
        [Command::MarkNoticesRead(MarkNoticesRead {
            ids: vec![resolved.id],
            all: false,
        })]
    );
}

#[wasm_bindgen_test]
async fn a_notice_opened_from_the_lock_screen_goes_on_to_its_page_read() {
    let me = person(Role::Volunteer);
    let request = RequestId::generate();
    let call = about_request(
        notice(&me, NoticeKind::CallForVolunteers, 0, false),
        request,
    );
    let path = format!("/notices/{}", call.id);
    let (_mounted, root, data, _sync) =
        mount_at(&path, &me, state_with(std::slice::from_ref(&call)));
    settle().await;
    assert_eq!(
        window().location().pathname().unwrap(),
        format!("/requests/{request}")
    );
    find(&root, ".request-stub");
    assert!(data.my_notices.get(&call.id).unwrap().read_at.is_some());
}

#[wasm_bindgen_test]
async fn every_kind_reads_in_chinese_and_in_english() {
    let me = person(Role::Donor);
    let notices: Vec<Notice> = NoticeKind::ALL
        .iter()
        .enumerate()
        .map(|(i, kind)| notice(&me, *kind, i as i64, false))
        .collect();
    for language in [&EN, &ZH_CN] {
        i18n::speak(language);
        let (mounted, root, _data, _sync) = mount_at("/notices", &me, state_with(&notices));
        settle().await;
        let shown: Vec<(String, String)> = all(&root, ".inbox-notice")
            .iter()
            .map(|item| {
                let title = item
                    .query_selector(".inbox-notice__title")
                    .unwrap()
                    .unwrap();
                (
                    item.get_attribute("data-kind").unwrap(),
                    title.text_content().unwrap(),
                )
            })
            .collect();
        assert_eq!(shown.len(), NoticeKind::ALL.len());
        for (kind, title) in shown {
            let kind: NoticeKind = kind.parse().unwrap();
            let words = language.notice_kind(kind);
            assert!(
                title.ends_with(words),
                "{}: {title} is not {words}",
                language.tag
            );
        }
        drop(mounted);
        root.remove();
    }
    assert_eq!(t().tag, "zh-CN");
}

#[wasm_bindgen_test]
async fn without_an_sms_gateway_my_page_offers_no_sms() {
    let me = person(Role::Donor);
    let (_mounted, root, _data, _sync) = mount_at("/me", &me, LocalState::default());
    settle().await;
    assert_eq!(
        text(&root, ".notice-settings__no-sms"),
        t().notices.sms_unavailable
    );
}

#[wasm_bindgen_test]
async fn a_worker_sees_whether_a_volunteer_can_be_reached() {
    let mut worker = person(Role::Worker);
    worker.display_name = DisplayName::parse("网格长 李红").unwrap();
    let volunteer = |name: &str, reachable: Reachable| VolunteerView {
        id: UserId::generate(),
        display_name: DisplayName::parse(name).unwrap(),
        phone: Phone::parse("13962800222").unwrap(),
        status: VolunteerStatus::Approved,
        party_member: false,
        note: String::new(),
        vetted_at: Some(at(0)),
        vetted_by: Some("网格长 李红".into()),
        registered_at: at(0),
        house_calls: 0,
        minutes: 0,
        reachable,
    };
    let mut state = LocalState::default();
    for volunteer in [
        volunteer(
            "王师傅",
            Reachable {
                push: true,
                sms: false,
            },
        ),
        volunteer("陈阿姨", Reachable::default()),
    ] {
        state.volunteers.insert(volunteer.id, volunteer);
    }
    let (_mounted, root, _data, _sync) = mount_at("/worker/volunteers", &worker, state);
    settle().await;
    let t = t();
    let said: Vec<String> = all(&root, ".volunteer-card")
        .iter()
        .map(|card| card.text_content().unwrap())
        .collect();
    let wang = said.iter().find(|card| card.contains("王师傅")).unwrap();
    assert!(wang.contains(t.notices.reachable_push), "{wang}");
    let chen = said.iter().find(|card| card.contains("陈阿姨")).unwrap();
    assert!(chen.contains(t.notices.reachable_none), "{chen}");
}
