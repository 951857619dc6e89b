//! Residents' requests over HTTP: filing, the inbox as each role may see it, every step, the
//! photos (only pixels kept: no EXIF, no GPS; non-images, pixel bombs and oversize bodies
//! refused with nothing stored), racing volunteers, the closing timer, the board, the pull,
//! the rates, the spreadsheet, sign-up and the command line.

use chrono::Duration;
use microwish_core::sync::{Change, PullResponse};
use microwish_core::{
    Building, BuildingId, ClientId, Page, RequestId, RequestStatus, RequestView, Role,
    UploadedPhoto, WishKind,
};
use serde_json::{json, Value};

use crate::helpers::{assert_problem, fresh_phone, spawn_demo_app, Session, TestApp};

/// The demo's buildings.
async fn buildings(app: &TestApp) -> Vec<Building> {
    let page: Page<Building> =
        serde_json::from_value(app.get_json("/api/buildings").await).unwrap();
    page.items
}

async fn building(app: &TestApp, name: &str) -> BuildingId {
    buildings(app)
        .await
        .into_iter()
        .find(|building| building.name == name)
        .unwrap_or_else(|| panic!("no building {name}"))
        .id
}

/// A request's body: the stairwell oil in 32幢, by default.
fn oil(building: BuildingId, contact_ok: bool) -> Value {
    json!({
        "category": "cleaning",
        "description": "楼道里洒了一大片油,很滑",
        "building_id": building,
        "unit": "1202室",
        "place": "2单元楼道",
        "urgency": "urgent",
        "contact_ok": contact_ok,
    })
}

async fn file(app: &TestApp, session: &Session, body: Value) -> RequestView {
    let response = app.post(Some(session), "/api/requests", body).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    response.json().await.unwrap()
}

async fn step(
    app: &TestApp,
    session: &Session,
    id: RequestId,
    action: &str,
    body: Value,
) -> reqwest::Response {
    app.post(Some(session), &format!("/api/requests/{id}/{action}"), body)
        .await
}

async fn step_ok(
    app: &TestApp,
    session: &Session,
    id: RequestId,
    action: &str,
    body: Value,
) -> RequestView {
    let response = step(app, session, id, action, body).await;
    assert_eq!(
        response.status(),
        200,
        "{action}: {}",
        response.text().await.unwrap()
    );
    response.json().await.unwrap()
}

/// A new account of `role` in the demo community, added as the command line adds staff.
async fn member(app: &TestApp, role: Role) -> Session {
    let worker = app.worker().await;
    let phone = fresh_phone();
    let account = microwish_core::account::Registration {
        display_name: format!("测试{}", &phone[7..]),
        phone: phone.clone(),
        password: "a-long-test-password".into(),
        role,
        community_id: None,
        privacy: None,
        code: None,
    }
    .validate_any_role()
    .unwrap();
    microwish_server::auth::add_user(&app.state, account, worker.me.community, None)
        .await
        .unwrap();
    app.login(&phone, "a-long-test-password").await
}

/// An approved volunteer of the demo community, marked a party member by the worker.
async fn party_member(app: &TestApp) -> Session {
    let volunteer = app.approved_volunteer().await;
    let worker = app.worker().await;
    let response = app
        .post(
            Some(&worker),
            &format!("/api/volunteers/{}/approve", volunteer.me.id),
            json!({"note": "党员", "party_member": true}),
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let marked: Value = response.json().await.unwrap();
    assert_eq!(marked["party_member"], true);
    volunteer
}

/// A request of a new resident, accepted and calling the party-member volunteers.
async fn calling(app: &TestApp, contact_ok: bool) -> (Session, RequestId) {
    let resident = app.register(Role::Resident).await;
    let worker = app.worker().await;
    let place = building(app, "星怡花园25幢").await;
    let mut body = oil(place, contact_ok);
    body["category"] = json!("help");
    body["description"] = json!("楼下独居的孙爷爷想请人帮忙搬花盆");
    let request = file(app, &resident, body).await;
    step_ok(app, &worker, request.id, "accept", json!({})).await;
    let called = step_ok(app, &worker, request.id, "call", json!({})).await;
    assert_eq!(called.status, RequestStatus::Calling);
    (resident, request.id)
}

async fn list(app: &TestApp, session: &Session, query: &str) -> Vec<Value> {
    let response = app.get_as(session, &format!("/api/requests{query}")).await;
    assert_eq!(response.status(), 200);
    let page: Value = response.json().await.unwrap();
    page["items"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_resident_files_a_request_and_a_retry_files_it_once() {
    let app = spawn_demo_app().await;
    let resident = app.login("13800000005", "xingyi-resident-2026").await;
    assert_eq!(resident.me.role, Role::Resident);
    let place = building(&app, "星怡花园32幢").await;
    let mut body = oil(place, true);
    let id = RequestId::generate();
    body["id"] = json!(id);
    let filed = file(&app, &resident, body.clone()).await;
    assert_eq!(filed.id, id);
    assert_eq!(filed.status, RequestStatus::Submitted);
    assert_eq!(filed.grid.as_str(), "grid-4", "the building's grid");
    assert_eq!(filed.unit.as_deref(), Some("1202室"));
    assert_eq!(filed.requester, resident.me.id);
    assert_eq!(filed.accept_by - filed.created_at, Duration::minutes(30));
    assert_eq!(filed.resolve_by - filed.created_at, Duration::hours(24));
    assert_eq!(filed.contact.unwrap().phone, "13800000005");

    let again = app.post(Some(&resident), "/api/requests", body).await;
    assert_eq!(again.status(), 200, "a retry is answered, not filed again");
    let (rows,): (i64,) = app
        .db
        .fetch_one(
            "SELECT COUNT(*) FROM requests WHERE id = ?",
            microwish_server::args![id.to_string()],
        )
        .await
        .unwrap();
    assert_eq!(rows, 1);
    // Another person's id is not theirs to reuse.
    let other = app.register(Role::Resident).await;
    let mut taken = oil(place, true);
    taken["id"] = json!(id);
    let response = app.post(Some(&other), "/api/requests", taken).await;
    assert_problem(response, 409, "id_conflict").await;
    // An unknown building is a field error; visitors may not file.
    let mut nowhere = oil(BuildingId::generate(), true);
    nowhere["id"] = json!(RequestId::generate());
    let response = app.post(Some(&resident), "/api/requests", nowhere).await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["field"], "building_id");
    let response = app.post(None, "/api/requests", oil(place, true)).await;
    assert_problem(response, 401, "not_logged_in").await;
}

#[tokio::test]
async fn a_requester_sees_only_their_own_requests() {
    let app = spawn_demo_app().await;
    let (alice, bob) = (
        app.register(Role::Resident).await,
        app.register(Role::Resident).await,
    );
    let place = building(&app, "星怡花园12幢").await;
    let hers = file(&app, &alice, oil(place, true)).await;
    let his = file(&app, &bob, oil(place, false)).await;

    let mine = list(&app, &alice, "").await;
    assert_eq!(mine.len(), 1, "{mine:?}");
    assert_eq!(mine[0]["id"], json!(hers.id));
    let response = app
        .get_as(&alice, &format!("/api/requests/{}", his.id))
        .await;
    assert_problem(response, 404, "not_found").await;
    let response = step(&app, &alice, his.id, "notes", json!({"text": "我也看到了"})).await;
    assert_problem(response, 404, "not_found").await;
    // The worker sees both, with whom to call.
    let worker = app.worker().await;
    let inbox = list(&app, &worker, "?status=submitted").await;
    for id in [hers.id, his.id] {
        let found = inbox.iter().find(|item| item["id"] == json!(id)).unwrap();
        assert!(found["contact"]["phone"].is_string(), "{found}");
    }
    // A donor, a shopkeeper, a worker of another community: nothing.
    let other_worker = app.other_worker().await;
    for session in [
        app.register(Role::Donor).await,
        app.register(Role::Shopkeeper).await,
        other_worker,
    ] {
        assert!(list(&app, &session, "").await.is_empty());
        let response = app
            .get_as(&session, &format!("/api/requests/{}", hers.id))
            .await;
        assert_problem(response, 404, "not_found").await;
    }
}

#[tokio::test]
async fn property_staff_see_only_what_is_dispatched_to_them_and_handle_it() {
    let app = spawn_demo_app().await;
    let (property, other_property) = (
        member(&app, Role::Property).await,
        member(&app, Role::Property).await,
    );
    let resident = app.register(Role::Resident).await;
    let worker = app.worker().await;
    let place = building(&app, "星怡花园32幢").await;
    let mut body = oil(place, false);
    body["category"] = json!("repair");
    body["description"] = json!("楼道灯坏了");
    body["urgency"] = json!("normal");
    let request = file(&app, &resident, body).await;
    assert!(list(&app, &property, "").await.is_empty());
    let response = step(&app, &property, request.id, "start", json!({})).await;
    assert_problem(response, 404, "not_found").await;

    // Only accept (or decline, merge) leaves `submitted`.
    let handler = json!({"handler": {"kind": "property", "user_id": property.me.id}});
    let response = step(&app, &worker, request.id, "dispatch", handler.clone()).await;
    assert_problem(response, 409, "invalid_state").await;
    step_ok(&app, &worker, request.id, "accept", json!({})).await;
    let dispatched = step_ok(&app, &worker, request.id, "dispatch", handler).await;
    assert_eq!(dispatched.status, RequestStatus::Dispatched);

    let theirs = list(&app, &property, "").await;
    assert_eq!(theirs.len(), 1);
    assert!(
        theirs[0].get("contact").is_none(),
        "no phone: the resident did not allow contact"
    );
    assert!(list(&app, &other_property, "").await.is_empty());
    let response = step(&app, &resident, request.id, "start", json!({})).await;
    assert_problem(response, 403, "forbidden").await;
    step_ok(&app, &property, request.id, "start", json!({})).await;
    step_ok(
        &app,
        &property,
        request.id,
        "notes",
        json!({"text": "已买好灯泡"}),
    )
    .await;
    let revealing = json!({"note": "换好了", "public_summary": "已修好1202室门口的灯"});
    let response = step(&app, &property, request.id, "resolve", revealing).await;
    let problem = assert_problem(response, 422, "validation_failed").await;
    assert_eq!(problem["errors"][0]["code"], "reveals_address");
    let done = json!({"note": "换好了", "public_summary": "已更换32幢楼道灯"});
    let resolved = step_ok(&app, &property, request.id, "resolve", done).await;
    assert_eq!(resolved.status, RequestStatus::Resolved);
    let response = step(&app, &property, request.id, "confirm", json!({"rating": 5})).await;
    assert_problem(response, 403, "forbidden").await;
    let confirmed = step_ok(
        &app,
        &resident,
        request.id,
        "confirm",
        json!({"rating": 5, "note": "很及时"}),
    )
    .await;
    assert_eq!(confirmed.status, RequestStatus::Closed);
    assert_eq!(confirmed.rating, Some(5));

    // The requester reads every step in order, with the notes; names only their own.
    let detail = app
        .get_json_as(&resident, &format!("/api/requests/{}", request.id))
        .await;
    let actions: Vec<&str> = detail["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| event["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["file", "accept", "dispatch", "start", "note", "resolve", "confirm"]
    );
    let note = &detail["timeline"][4];
    assert_eq!(note["note"], "已买好灯泡");
    assert!(note["actor_name"].is_null(), "{note}");
    assert_eq!(
        detail["timeline"][0]["actor_name"],
        json!(resident.me.display_name)
    );
}

#[tokio::test]
async fn a_called_volunteer_sees_what_and_where_and_the_phone_only_holding_it_if_allowed() {
    let app = spawn_demo_app().await;
    for contact_ok in [false, true] {
        let (resident, id) = calling(&app, contact_ok).await;
        let volunteer = party_member(&app).await;
        let plain = app.approved_volunteer().await;
        assert!(
            list(&app, &plain, "").await.is_empty(),
            "a volunteer who is not a party member is not called"
        );
        let calls = list(&app, &volunteer, "").await;
        assert_eq!(calls.len(), 1, "{calls:?}");
        let call = &calls[0];
        assert_eq!(call["building"], "星怡花园25幢");
        assert_eq!(call["category"], "help");
        assert!(call["description"].as_str().unwrap().contains("搬花盆"));
        for private in [
            "unit",
            "place",
            "requester",
            "contact",
            "on_behalf",
            "photos",
        ] {
            assert!(call.get(private).is_none(), "{private} in a call: {call}");
        }
        let body = app
            .get_as(&volunteer, &format!("/api/requests/{id}"))
            .await
            .text()
            .await
            .unwrap();
        assert!(!body.contains(resident.me.phone.as_str()), "{body}");
        assert!(!body.contains("1202室"), "{body}");

        let taken = step_ok(&app, &volunteer, id, "take", json!({})).await;
        assert_eq!(taken.status, RequestStatus::Dispatched);
        assert_eq!(
            taken.unit.as_deref(),
            Some("1202室"),
            "holding it, they see it in full"
        );
        assert_eq!(
            taken.contact.map(|contact| contact.phone),
            contact_ok.then(|| resident.me.phone.to_string()),
            "the phone only if the resident allowed contact"
        );
        // Anyone after finds it taken; a worker or the requester may not take it at all.
        let late = party_member(&app).await;
        let response = step(&app, &late, id, "take", json!({})).await;
        assert_problem(response, 409, "call_taken").await;
        assert!(list(&app, &late, "").await.is_empty());
        let response = step(&app, &resident, id, "take", json!({})).await;
        assert_problem(response, 403, "forbidden").await;
    }
}

#[tokio::test]
async fn of_twenty_volunteers_racing_for_one_call_exactly_one_holds_it() {
    let app = spawn_demo_app().await;
    let (_, id) = calling(&app, true).await;
    let mut volunteers = Vec::new();
    for _ in 0..20 {
        volunteers.push(party_member(&app).await);
    }
    let answers = futures_util::future::join_all(volunteers.iter().map(|volunteer| async {
        let response = step(&app, volunteer, id, "take", json!({})).await;
        let status = response.status().as_u16();
        let body: Value = response.json().await.unwrap();
        (volunteer.me.id, status, body)
    }))
    .await;
    let winners: Vec<_> = answers
        .iter()
        .filter(|(_, status, _)| *status == 200)
        .collect();
    assert_eq!(winners.len(), 1, "{answers:?}");
    for (_, status, body) in &answers {
        if *status != 200 {
            assert_eq!((*status, body["code"].as_str()), (409, Some("call_taken")));
        }
    }
    let (winner, _, view) = winners[0];
    assert_eq!(view["handler"]["user_id"], json!(winner));
    let (takes,): (i64,) = app
        .db
        .fetch_one(
            "SELECT COUNT(*) FROM events WHERE entity_id = ? AND action = 'take'",
            microwish_server::args![id.to_string()],
        )
        .await
        .unwrap();
    assert_eq!(takes, 1);
}

#[tokio::test]
async fn a_request_reopened_within_the_answer_time_goes_back_to_the_workers() {
    let app = spawn_demo_app().await;
    let resident = app.register(Role::Resident).await;
    let worker = app.worker().await;
    let place = building(&app, "星怡花园14幢").await;
    let request = file(&app, &resident, oil(place, true)).await;
    step_ok(&app, &worker, request.id, "accept", json!({})).await;
    let mine = json!({"handler": {"kind": "worker", "user_id": worker.me.id}});
    step_ok(&app, &worker, request.id, "dispatch", mine).await;
    let done = json!({"public_summary": "14幢楼道已清理"});
    step_ok(&app, &worker, request.id, "resolve", done).await;
    assert_eq!(
        board_ids(&app).await[0],
        request.id,
        "the latest on the board"
    );
    let reopened = step_ok(
        &app,
        &resident,
        request.id,
        "reopen",
        json!({"reason": "还是很滑"}),
    )
    .await;
    assert_eq!(reopened.status, RequestStatus::Accepted);
    assert_eq!((reopened.reopen_count, reopened.handler), (1, None));
    assert!(
        !board_ids(&app).await.contains(&request.id),
        "off the board"
    );
    // Resolved again: 7 days later it may no longer be reopened.
    step_ok(&app, &worker, request.id, "resolve", json!({})).await;
    app.clock.advance(Duration::days(7) + Duration::minutes(1));
    let response = step(
        &app,
        &resident,
        request.id,
        "reopen",
        json!({"reason": "又坏了"}),
    )
    .await;
    assert_problem(response, 409, "invalid_state").await;
}

#[tokio::test]
async fn workers_decline_merge_and_turn_a_request_into_a_wish_whose_fulfilment_resolves_it() {
    let app = spawn_demo_app().await;
    let resident = app.register(Role::Resident).await;
    let worker = app.worker().await;
    let place = building(&app, "星怡花园1幢").await;
    let suggestion = file(&app, &resident, oil(place, true)).await;
    let reason = json!({"reason": "不属于社区办理范围,请拨打12345"});
    let response = step(&app, &resident, suggestion.id, "decline", reason.clone()).await;
    assert_problem(response, 403, "forbidden").await;
    let declined = step_ok(&app, &worker, suggestion.id, "decline", reason).await;
    assert_eq!(declined.status, RequestStatus::Declined);
    let detail = app
        .get_json_as(&resident, &format!("/api/requests/{}", suggestion.id))
        .await;
    assert_eq!(
        detail["timeline"][1]["note"],
        "不属于社区办理范围,请拨打12345"
    );

    let first = file(&app, &resident, oil(place, true)).await;
    let duplicate = file(&app, &resident, oil(place, true)).await;
    let merged = step_ok(
        &app,
        &worker,
        duplicate.id,
        "merge",
        json!({"into": first.id}),
    )
    .await;
    assert_eq!(
        (merged.status, merged.merged_into),
        (RequestStatus::Merged, Some(first.id))
    );

    // A request for help becomes a wish; the wish's fulfilment resolves it.
    let wish = app.open_wish(WishKind::Item, 1).await;
    app.set_quantity(wish.id, 1).await;
    step_ok(&app, &worker, first.id, "accept", json!({})).await;
    let converted = step_ok(
        &app,
        &worker,
        first.id,
        "convert",
        json!({"wish_id": wish.id}),
    )
    .await;
    assert_eq!(
        (converted.status, converted.wish_id),
        (RequestStatus::InProgress, Some(wish.id))
    );
    let donor = app.register(Role::Donor).await;
    let claim = app.claim_ok(&donor, wish.id, 1).await;
    app.act(Some(&donor), claim.id, "deliver").await;
    let response = app.act(Some(&worker), claim.id, "confirm").await;
    assert_eq!(response.status(), 200);
    let resolved = app
        .get_json_as(&resident, &format!("/api/requests/{}", first.id))
        .await;
    assert_eq!(resolved["status"], "resolved");
}

/// The ids on the public board.
async fn board_ids(app: &TestApp) -> Vec<RequestId> {
    let board = app.get_json("/api/board").await;
    board["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| serde_json::from_value(item["id"].clone()).unwrap())
        .collect()
}

#[tokio::test]
async fn the_board_shows_what_a_worker_wrote_for_the_public_and_nothing_else() {
    let app = spawn_demo_app().await;
    let before = board_ids(&app).await;
    let resident = app.register(Role::Resident).await;
    let worker = app.worker().await;
    let place = building(&app, "星怡花园12幢").await;
    let fixed = file(&app, &resident, oil(place, true)).await;
    let quiet = file(&app, &resident, oil(place, true)).await;
    for (id, summary) in [(fixed.id, "12幢楼道油污已清理"), (quiet.id, "")] {
        step_ok(&app, &worker, id, "accept", json!({})).await;
        let done = json!({"note": "王阿姨家门口也擦了", "public_summary": summary});
        step_ok(&app, &worker, id, "resolve", done).await;
    }
    let board = app.get("/api/board").await.text().await.unwrap();
    let page: Value = serde_json::from_str(&board).unwrap();
    let first = &page["items"][0];
    assert_eq!(first["id"], json!(fixed.id), "the latest first");
    let mut keys: Vec<&str> = first
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    assert_eq!(
        keys,
        [
            "building",
            "category",
            "id",
            "public_summary",
            "resolved_on"
        ]
    );
    assert_eq!(first["building"], "星怡花园12幢");
    assert_eq!(
        board_ids(&app).await.len(),
        before.len() + 1,
        "no summary, no board"
    );
    for private in [
        "楼道里洒了",
        "1202室",
        "2单元楼道",
        "王阿姨家门口",
        resident.me.phone.as_str(),
        resident.me.display_name.as_str(),
    ] {
        assert!(!board.contains(private), "{private} on the board");
    }
    // Paging follows `next` without repeats.
    let mut seen = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = app
            .get_json(&format!("/api/board?limit=2&cursor={cursor}"))
            .await;
        for item in page["items"].as_array().unwrap() {
            seen.push(item["id"].as_str().unwrap().to_owned());
        }
        match page["next"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => break,
        }
    }
    let all: Vec<String> = board_ids(&app)
        .await
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(seen, all);
}

#[tokio::test]
async fn the_inbox_leads_with_the_overdue_filters_and_pages() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let everything = list(&app, &worker, "?limit=500").await;
    assert!(everything.len() >= 10, "the demo's season");
    // Open ones first, by their nearest limit: the overdue lead.
    let overdue: Vec<bool> = everything
        .iter()
        .map(|item| item["overdue"].as_bool().unwrap())
        .collect();
    let first_in_time = overdue.iter().position(|late| !late).unwrap();
    assert!(first_in_time > 0 && overdue[first_in_time..].iter().all(|late| !late));
    let late = list(&app, &worker, "?overdue=true").await;
    assert_eq!(late.len(), first_in_time);
    assert!(late.iter().all(|item| item["overdue"] == true));
    let grid = list(&app, &worker, "?grid=grid-4&category=repair").await;
    assert!(!grid.is_empty());
    assert!(grid
        .iter()
        .all(|item| item["grid"] == "grid-4" && item["category"] == "repair"));
    // Pages of two follow `next` to the same order, without gaps or repeats.
    let mut paged = Vec::new();
    let mut cursor = String::new();
    loop {
        let response = app
            .get_as(&worker, &format!("/api/requests?limit=2&cursor={cursor}"))
            .await;
        let page: Value = response.json().await.unwrap();
        paged.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|i| i["id"].clone()),
        );
        match page["next"].as_str() {
            Some(next) => cursor = next.to_owned(),
            None => break,
        }
    }
    let ids: Vec<Value> = everything.iter().map(|i| i["id"].clone()).collect();
    assert_eq!(paged, ids);
    let response = app.get_as(&worker, "/api/requests?cursor=nonsense").await;
    assert_problem(response, 400, "bad_query").await;
}

#[tokio::test]
async fn a_resolved_request_left_unanswered_closes_after_seven_days_once_with_two_servers() {
    use microwish_server::apply::close_answered_requests;
    let app = spawn_demo_app().await;
    let (_, twin) = crate::helpers::spawn_twin_with_state(&app).await;
    // The demo's own are settled already.
    close_answered_requests(&app.state).await.unwrap();
    let resident = app.register(Role::Resident).await;
    let worker = app.worker().await;
    let place = building(&app, "星怡花园5幢").await;
    let mut resolved = Vec::new();
    for _ in 0..4 {
        let request = file(&app, &resident, oil(place, true)).await;
        step_ok(&app, &worker, request.id, "accept", json!({})).await;
        step_ok(&app, &worker, request.id, "resolve", json!({})).await;
        resolved.push(request.id);
    }
    app.clock.advance(Duration::days(7) - Duration::minutes(1));
    assert_eq!(close_answered_requests(&app.state).await.unwrap(), 0);
    app.clock.advance(Duration::minutes(2));
    let (here, there) = tokio::join!(
        close_answered_requests(&app.state),
        close_answered_requests(&twin)
    );
    assert_eq!(here.unwrap() + there.unwrap(), resolved.len());
    for id in resolved {
        let request = app
            .get_json_as(&resident, &format!("/api/requests/{id}"))
            .await;
        assert_eq!(request["status"], "closed");
        assert!(request["rating"].is_null(), "closed unrated");
        let closes: Vec<&Value> = request["timeline"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|event| event["action"] == "close")
            .collect();
        assert_eq!(closes.len(), 1);
        assert!(closes[0]["actor_role"].is_null(), "the system closed it");
    }
}

// --- Photos -------------------------------------------------------------------------------

/// A JPEG of `width` × `height` (a gradient).
fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 128])
    });
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 90)
        .encode_image(&image)
        .unwrap();
    bytes
}

/// Where the photo was taken, as the EXIF below says it (and its description repeats).
const WHERE: &str = "GPS 31.9765N 120.8945E";

/// `jpeg` with an APP1 Exif segment after its start: a description naming where it was taken,
/// the orientation (6: turned a quarter clockwise) and a GPS directory (latitude N 31°58'35").
fn with_exif(jpeg: &[u8]) -> Vec<u8> {
    let mut description = WHERE.as_bytes().to_vec();
    description.push(0);
    let ifd0 = 8;
    let description_at = ifd0 + 2 + 3 * 12 + 4;
    let gps_at = (description_at + description.len() + 1) & !1;
    let rationals_at = gps_at + 2 + 2 * 12 + 4;
    let mut tiff = b"MM\x00\x2a".to_vec();
    tiff.extend(8u32.to_be_bytes());
    let entry = |tiff: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        tiff.extend(tag.to_be_bytes());
        tiff.extend(kind.to_be_bytes());
        tiff.extend(count.to_be_bytes());
        tiff.extend(value);
    };
    tiff.extend(3u16.to_be_bytes());
    entry(
        &mut tiff,
        0x010e,
        2,
        description.len() as u32,
        (description_at as u32).to_be_bytes(),
    );
    entry(&mut tiff, 0x0112, 3, 1, [0, 6, 0, 0]);
    entry(&mut tiff, 0x8825, 4, 1, (gps_at as u32).to_be_bytes());
    tiff.extend(0u32.to_be_bytes());
    tiff.extend(&description);
    tiff.resize(gps_at, 0);
    tiff.extend(2u16.to_be_bytes());
    entry(&mut tiff, 0x0001, 2, 2, *b"N\0\0\0");
    entry(&mut tiff, 0x0002, 5, 3, (rationals_at as u32).to_be_bytes());
    tiff.extend(0u32.to_be_bytes());
    for (numerator, denominator) in [(31u32, 1u32), (58, 1), (3540, 100)] {
        tiff.extend(numerator.to_be_bytes());
        tiff.extend(denominator.to_be_bytes());
    }
    let mut segment = b"Exif\0\0".to_vec();
    segment.extend(tiff);
    let mut out = jpeg[..2].to_vec();
    out.extend([0xff, 0xe1]);
    out.extend(((segment.len() + 2) as u16).to_be_bytes());
    out.extend(segment);
    out.extend(&jpeg[2..]);
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A PNG chunk: length, type, data, CRC.
fn chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut out = (data.len() as u32).to_be_bytes().to_vec();
    let mut body = kind.to_vec();
    body.extend(data);
    out.extend(&body);
    out.extend(crc32(&body).to_be_bytes());
    out
}

/// A transparent-cornered PNG with a text chunk saying where it was taken.
fn png_with_text(width: u32, height: u32) -> Vec<u8> {
    let image = image::RgbaImage::from_fn(width, height, |x, y| {
        image::Rgba([
            200,
            (x % 256) as u8,
            (y % 256) as u8,
            if x < 4 { 0 } else { 255 },
        ])
    });
    let mut bytes = Vec::new();
    image::DynamicImage::ImageRgba8(image)
        .write_to(
            &mut std::io::Cursor::new(&mut bytes),
            image::ImageFormat::Png,
        )
        .unwrap();
    // After the signature (8 bytes) and IHDR (25).
    let mut out = bytes[..33].to_vec();
    let mut text = b"Comment\0".to_vec();
    text.extend(WHERE.as_bytes());
    out.extend(chunk(b"tEXt", &text));
    out.extend(&bytes[33..]);
    out
}

/// A PNG whose header declares `width` × `height` (a pixel bomb: a few bytes that claim
/// gigabytes of pixels).
fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = width.to_be_bytes().to_vec();
    header.extend(height.to_be_bytes());
    header.extend([8, 2, 0, 0, 0]);
    out.extend(chunk(b"IHDR", &header));
    // A few bytes of compressed nothing: the decoder would inflate them into the rows.
    out.extend(chunk(
        b"IDAT",
        &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    ));
    out.extend(chunk(b"IEND", &[]));
    out
}

async fn put_photo(
    app: &TestApp,
    session: &Session,
    request: RequestId,
    photo: uuid::Uuid,
    content_type: &str,
    body: Vec<u8>,
) -> reqwest::Response {
    app.client
        .put(app.url(&format!("/api/requests/{request}/photos/{photo}")))
        .header("cookie", &session.cookie)
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn photo_bytes(
    app: &TestApp,
    session: &Session,
    request: RequestId,
    photo: uuid::Uuid,
) -> Vec<u8> {
    let response = app
        .get_as(session, &format!("/api/requests/{request}/photos/{photo}"))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "image/jpeg");
    assert!(response.headers()["cache-control"]
        .to_str()
        .unwrap()
        .starts_with("private"));
    response.bytes().await.unwrap().to_vec()
}

async fn stored_photos(app: &TestApp) -> Vec<Vec<u8>> {
    let rows: Vec<(Vec<u8>,)> = app
        .db
        .fetch_all(
            "SELECT bytes FROM request_photos",
            microwish_server::args![],
        )
        .await
        .unwrap();
    rows.into_iter().map(|(bytes,)| bytes).collect()
}

fn holds(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle)
}

#[tokio::test]
async fn a_photos_exif_and_gps_never_leave_the_server_and_only_those_who_see_the_request_see_it() {
    let app = spawn_demo_app().await;
    let resident = app.register(Role::Resident).await;
    let place = building(&app, "星怡花园12幢").await;
    let request = file(&app, &resident, oil(place, true)).await;

    let sent = with_exif(&jpeg(64, 48));
    assert!(holds(&sent, b"Exif") && holds(&sent, WHERE.as_bytes()));
    let photo = uuid::Uuid::now_v7();
    let response = put_photo(
        &app,
        &resident,
        request.id,
        photo,
        "image/jpeg",
        sent.clone(),
    )
    .await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    let stored: UploadedPhoto = response.json().await.unwrap();
    assert_eq!(
        (stored.width, stored.height),
        (48, 64),
        "turned upright as the EXIF orientation said"
    );
    let served = photo_bytes(&app, &resident, request.id, photo).await;
    assert_eq!(&served[..2], &[0xff, 0xd8], "a JPEG");
    for kept in [served.clone()]
        .iter()
        .chain(stored_photos(&app).await.iter())
    {
        assert!(!holds(kept, b"Exif"), "no EXIF kept");
        assert!(!holds(kept, b"GPS"), "no GPS kept");
        assert!(!holds(kept, WHERE.as_bytes()));
    }
    // The same photo sent again is the stored one.
    let again = put_photo(&app, &resident, request.id, photo, "image/jpeg", sent).await;
    assert_eq!(again.status(), 200);
    assert_eq!(again.json::<UploadedPhoto>().await.unwrap(), stored);

    // A PNG's text chunk goes too; a transparent corner is laid on white.
    let png = png_with_text(40, 30);
    assert!(holds(&png, WHERE.as_bytes()));
    let second = uuid::Uuid::now_v7();
    let response = put_photo(&app, &resident, request.id, second, "image/png", png).await;
    assert_eq!(response.status(), 201);
    let served = photo_bytes(&app, &resident, request.id, second).await;
    assert!(!holds(&served, WHERE.as_bytes()) && !holds(&served, b"tEXt"));
    let decoded = image::load_from_memory(&served).unwrap().into_rgb8();
    assert!(
        decoded.get_pixel(0, 15).0.iter().all(|c| *c > 230),
        "white, not black"
    );

    // A large photo is shrunk to 1600 px on its long side.
    let third = uuid::Uuid::now_v7();
    let response = put_photo(
        &app,
        &resident,
        request.id,
        third,
        "image/jpeg",
        jpeg(2400, 1200),
    )
    .await;
    let big: UploadedPhoto = response.json().await.unwrap();
    assert_eq!((big.width, big.height), (1600, 800));

    // Listed on the request, and readable by its worker; nobody else's to see.
    let view = app
        .get_json_as(&resident, &format!("/api/requests/{}", request.id))
        .await;
    assert_eq!(view["photos"].as_array().unwrap().len(), 3);
    assert_eq!(view["photos"][0]["stage"], "before");
    photo_bytes(&app, &app.worker().await, request.id, photo).await;
    let path = format!("/api/requests/{}/photos/{photo}", request.id);
    // A resident of this community (signed up while it is the only one).
    let stranger = app.register(Role::Resident).await;
    for session in [
        app.register(Role::Resident).await,
        app.register(Role::Donor).await,
        app.other_worker().await,
    ] {
        assert_problem(app.get_as(&session, &path).await, 404, "not_found").await;
    }
    assert_eq!(app.get(&path).await.status(), 401);
    // Nobody else adds photos to it.
    let response = put_photo(
        &app,
        &stranger,
        request.id,
        uuid::Uuid::now_v7(),
        "image/jpeg",
        jpeg(8, 8),
    )
    .await;
    assert_problem(response, 404, "not_found").await;
}

#[tokio::test]
async fn non_images_bombs_oversize_bodies_and_a_fourth_photo_are_refused_and_nothing_is_stored() {
    let app = spawn_demo_app().await;
    let resident = app.register(Role::Resident).await;
    let place = building(&app, "星怡花园12幢").await;
    let request = file(&app, &resident, oil(place, true)).await;
    let whole = jpeg(200, 150);
    let refusals: Vec<(&str, &str, Vec<u8>, u16, &str)> = vec![
        (
            "text",
            "image/jpeg",
            b"not a photo at all".to_vec(),
            422,
            "not_an_image",
        ),
        (
            "truncated",
            "image/jpeg",
            whole[..whole.len() / 2].to_vec(),
            422,
            "not_an_image",
        ),
        (
            "mislabelled",
            "image/jpeg",
            png_with_text(10, 10),
            422,
            "not_an_image",
        ),
        (
            "a gif",
            "image/gif",
            b"GIF89a\x01\x00\x01\x00".to_vec(),
            422,
            "not_an_image",
        ),
        (
            "a bomb",
            "image/png",
            png_header(50_000, 50_000),
            413,
            "too_large",
        ),
        (
            "a wide bomb",
            "image/png",
            png_header(20_000, 10),
            413,
            "too_large",
        ),
        (
            "over 5 MB",
            "image/jpeg",
            vec![0xff; 5 * 1024 * 1024 + 1],
            413,
            "too_large",
        ),
        (
            "plain text",
            "text/plain",
            whole.clone(),
            415,
            "unsupported_media_type",
        ),
    ];
    for (what, content_type, body, status, code) in refusals {
        let response = put_photo(
            &app,
            &resident,
            request.id,
            uuid::Uuid::now_v7(),
            content_type,
            body,
        )
        .await;
        assert_eq!(response.status(), status, "{what}");
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["code"], code, "{what}: {problem}");
    }
    assert!(stored_photos(&app).await.is_empty(), "nothing stored");
    for _ in 0..3 {
        let response = put_photo(
            &app,
            &resident,
            request.id,
            uuid::Uuid::now_v7(),
            "image/jpeg",
            jpeg(20, 20),
        )
        .await;
        assert_eq!(response.status(), 201);
    }
    let response = put_photo(
        &app,
        &resident,
        request.id,
        uuid::Uuid::now_v7(),
        "image/jpeg",
        jpeg(20, 20),
    )
    .await;
    assert_problem(response, 409, "too_many_photos").await;
    assert_eq!(stored_photos(&app).await.len(), 3);
}

// --- Sync, numbers, accounts ---------------------------------------------------------------

/// Every page of a first pull (a new phone).
async fn pull_text(app: &TestApp, session: &Session) -> Vec<String> {
    pull_since(app, session, ClientId::generate(), &mut 0).await
}

/// Every page of a pull of `client` after `cursor`, which moves to the last page's.
async fn pull_since(
    app: &TestApp,
    session: &Session,
    client: ClientId,
    cursor: &mut u64,
) -> Vec<String> {
    let mut pages = Vec::new();
    loop {
        let response = app
            .get_as(
                session,
                &format!("/api/sync/pull?cursor={cursor}&client_id={client}"),
            )
            .await;
        assert_eq!(response.status(), 200);
        let text = response.text().await.unwrap();
        let page: PullResponse = serde_json::from_str(&text).unwrap();
        pages.push(text);
        *cursor = page.cursor;
        if !page.more {
            return pages;
        }
    }
}

fn changes(pages: &[String]) -> Vec<Change> {
    pages
        .iter()
        .flat_map(|text| serde_json::from_str::<PullResponse>(text).unwrap().changes)
        .collect()
}

#[tokio::test]
async fn no_pull_carries_another_persons_request_nor_their_phone() {
    let app = spawn_demo_app().await;
    let demo_resident = app.login("13800000005", "xingyi-resident-2026").await;
    let resident = app.register(Role::Resident).await;
    let place = building(&app, "星怡花园12幢").await;
    let own = file(&app, &resident, oil(place, true)).await;
    let donor = app.register(Role::Donor).await;
    // Whatever the demo's requests say, and whom to call about them.
    let rows: Vec<(String, Option<String>)> = app
        .db
        .fetch_all(
            "SELECT description, on_behalf_phone FROM requests WHERE requester_id <> ?",
            microwish_server::args![resident.me.id.to_string()],
        )
        .await
        .unwrap();
    let mut others: Vec<String> = rows
        .into_iter()
        .flat_map(|(description, phone)| [Some(description), phone])
        .flatten()
        .collect();
    others.push(demo_resident.me.phone.to_string());
    assert!(others.len() > 10);

    let donors = pull_text(&app, &donor).await;
    let resident_pull = pull_text(&app, &resident).await;
    for (who, pages) in [("donor", &donors), ("resident", &resident_pull)] {
        for secret in &others {
            assert!(
                pages.iter().all(|page| !page.contains(secret.as_str())),
                "the {who}'s pull holds {secret:?}"
            );
        }
    }
    let donor_changes = changes(&donors);
    assert!(!donor_changes.iter().any(|change| matches!(
        change,
        Change::Request { .. } | Change::Call { .. } | Change::Staff { .. }
    )));
    assert!(
        donor_changes
            .iter()
            .filter(|change| matches!(change, Change::Building { .. }))
            .count()
            == 40,
        "buildings are public"
    );
    let theirs: Vec<RequestId> = changes(&resident_pull)
        .into_iter()
        .filter_map(|change| match change {
            Change::Request { id, data, .. } => {
                assert_eq!(data.unwrap().requester, resident.me.id);
                Some(id)
            }
            Change::Call { .. } | Change::Staff { .. } => panic!("{change:?}"),
            _ => None,
        })
        .collect();
    assert_eq!(theirs, vec![own.id]);

    // The workers' phones get every request of the community and its staff; a party member
    // the calls, which leave once taken.
    let worker_changes = changes(&pull_text(&app, &app.worker().await).await);
    let requests = worker_changes
        .iter()
        .filter(|change| matches!(change, Change::Request { .. }))
        .count();
    assert!(requests >= 12);
    assert!(worker_changes.iter().any(|change| matches!(
        change,
        Change::Staff { data: Some(member), .. } if member.role == Role::Property
    )));
    let (_, call) = calling(&app, false).await;
    let volunteer = party_member(&app).await;
    let (phone, mut cursor) = (ClientId::generate(), 0);
    let calls: Vec<Change> = changes(&pull_since(&app, &volunteer, phone, &mut cursor).await)
        .into_iter()
        .filter(|change| matches!(change, Change::Call { .. } | Change::Request { .. }))
        .collect();
    assert!(
        matches!(&calls[..], [Change::Call { id, data: Some(_), .. }] if *id == call),
        "{calls:?}"
    );
    let other = party_member(&app).await;
    step_ok(&app, &other, call, "take", json!({})).await;
    let after = pull_since(&app, &volunteer, phone, &mut cursor).await;
    let gone: Vec<Change> = changes(&after)
        .into_iter()
        .filter(|change| matches!(change, Change::Call { .. } | Change::Request { .. }))
        .collect();
    assert!(
        gone.iter().any(|change| matches!(
            change,
            Change::Call { id, op: microwish_core::sync::Op::Del, .. } if *id == call
        )),
        "{gone:?}"
    );
    assert!(
        !after.iter().any(|page| page.contains("搬花盆")),
        "nothing of it stays on the phone"
    );
}

#[tokio::test]
async fn a_request_filed_and_accepted_offline_is_applied_through_sync_push() {
    let app = spawn_demo_app().await;
    let resident = app.register(Role::Resident).await;
    let worker = app.worker().await;
    let place = building(&app, "星怡花园7幢").await;
    let id = RequestId::generate();
    let mut args = oil(place, true);
    args["id"] = json!(id);
    let push = |session: &Session, mutations: Value| {
        let client = ClientId::generate();
        let session = session.clone();
        let app = &app;
        async move {
            let response = app
                .post(
                    Some(&session),
                    "/api/sync/push",
                    json!({"client_id": client, "mutations": mutations}),
                )
                .await;
            assert_eq!(response.status(), 200);
            response.json::<Value>().await.unwrap()
        }
    };
    let answer = push(
        &resident,
        json!([{"id": 1, "name": "file_request", "args": args}]),
    )
    .await;
    assert_eq!(answer["results"][0]["status"], "applied", "{answer}");
    let answer = push(
        &worker,
        json!([{"id": 1, "name": "accept_request", "args": {"request_id": id}}]),
    )
    .await;
    assert_eq!(answer["results"][0]["status"], "applied", "{answer}");
    let view = app
        .get_json_as(&resident, &format!("/api/requests/{id}"))
        .await;
    assert_eq!(view["status"], "accepted");
}

#[tokio::test]
async fn the_rates_reach_the_home_page_and_the_report_and_the_spreadsheet_the_workers() {
    let app = spawn_demo_app().await;
    let stats = app.get_json("/api/stats").await;
    let requests = &stats["requests"];
    assert!(requests["total"].as_u64().unwrap() >= 10, "{requests}");
    assert!(requests["resolved"].as_u64().unwrap() >= 4);
    for rate in ["response_rate", "satisfaction_rate"] {
        let rate = requests[rate].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&rate));
    }
    let worker = app.worker().await;
    let detail = app.get_json_as(&worker, "/api/stats/detail").await;
    let requests = &detail["requests"];
    for key in [
        "total",
        "response_rate",
        "resolution_rate",
        "solved_rate",
        "satisfaction_rate",
        "median_minutes_to_accept",
        "median_minutes_to_resolve",
        "by_month",
        "by_grid",
        "by_category",
    ] {
        assert!(requests.get(key).is_some(), "{key} in {requests}");
    }
    let response = app.get_as(&worker, "/api/export/requests.csv").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let csv = response.text().await.unwrap();
    assert!(csv.starts_with('\u{feff}'), "a byte-order mark for Excel");
    let (rows,): (i64,) = app
        .db
        .fetch_one("SELECT COUNT(*) FROM requests", microwish_server::args![])
        .await
        .unwrap();
    assert_eq!(csv.lines().count() as i64, rows + 1);
    assert!(csv.contains("楼道里洒了一大片油") || csv.contains("2单元楼道里洒了一大片油"));
    // Category, urgency, channel, status and handler in the file's language, not as codes.
    let oil = csv
        .lines()
        .find(|line| line.contains("洒了一大片油"))
        .unwrap();
    assert!(oil.contains(",环境卫生,"), "{oil}");
    for code in [
        ",cleaning,",
        ",normal,",
        ",urgent,",
        ",app,",
        ",resolved,",
        ",closed,",
    ] {
        assert!(!csv.contains(code), "{code} in requests.csv");
    }
    for secret in ["13800000005", "13962800188", "李先生", "赵大爷"] {
        assert!(!csv.contains(secret), "{secret} in requests.csv");
    }
    for role in [Role::Donor, Role::Resident, Role::Property] {
        let session = if role == Role::Property {
            member(&app, role).await
        } else {
            app.register(role).await
        };
        let response = app.get_as(&session, "/api/export/requests.csv").await;
        assert_problem(response, 403, "forbidden").await;
    }
}

#[tokio::test]
async fn residents_sign_up_into_the_community_and_property_staff_may_not() {
    let app = spawn_demo_app().await;
    let resident = app.register(Role::Resident).await;
    let worker = app.worker().await;
    assert_eq!(resident.me.community, worker.me.community, "the only one");
    let phone = fresh_phone();
    for (role, community, field) in [
        ("property", None, "role"),
        ("worker", None, "role"),
        ("resident", Some(uuid::Uuid::now_v7()), "community_id"),
    ] {
        let response = app
            .post(
                None,
                "/api/auth/register",
                json!({"display_name": "某人", "phone": phone, "password": "a-long-test-password",
                       "role": role, "community_id": community}),
            )
            .await;
        let problem = assert_problem(response, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], field, "{role}: {problem}");
    }
    // A volunteer marked a party member says so on their own record.
    let volunteer = party_member(&app).await;
    let me = app.get_json_as(&volunteer, "/api/me").await;
    assert_eq!(me["party_member"], true);
}

#[tokio::test]
async fn the_command_line_adds_property_staff_to_the_community() {
    use std::io::Write;
    let app = spawn_demo_app().await;
    let phone = fresh_phone();
    let mut adding = std::process::Command::new(env!("CARGO_BIN_EXE_microwish-server"))
        .args(["user", "add", "--role", "property", "--phone", &phone])
        .args([
            "--name",
            "物业 周师傅",
            "--password-stdin",
            "--database",
            &app.database_url,
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    adding
        .stdin
        .take()
        .unwrap()
        .write_all(b"a-long-password-2026\n")
        .unwrap();
    let added = adding.wait_with_output().unwrap();
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let staff = app.login(&phone, "a-long-password-2026").await;
    assert_eq!(staff.me.role, Role::Property);
    assert_eq!(staff.me.community, app.worker().await.me.community);
    let help = std::process::Command::new(env!("CARGO_BIN_EXE_microwish-server"))
        .args(["user", "add", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&help.stdout);
    assert!(
        help.contains("resident") && help.contains("property"),
        "{help}"
    );
}
