//! Communities are sealed from each other (issue 23, item 1): two communities in one database,
//! and for each entity a worker of one sees and changes only their own community's (another's
//! is 404, never listed, never in their pull); volunteers sign up for a community and book house
//! calls there only. And the command line that sets communities up.

use std::collections::HashSet;

use chrono::Duration;
use microwish_core::clock::community_today;
use microwish_core::{CommunityId, HouseholdId, Pledge, Role, WishKind};
use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{assert_problem, fresh_phone, spawn_app, spawn_demo_app, Session, TestApp};

/// Registers a `role` naming `community` (or none); the raw answer.
async fn sign_up(app: &TestApp, role: Role, community: Option<CommunityId>) -> reqwest::Response {
    let phone = fresh_phone();
    app.post(
        None,
        "/api/auth/register",
        json!({"display_name": format!("测试{}", &phone[7..]), "phone": phone,
               "password": "a-long-test-password", "role": role, "community_id": community}),
    )
    .await
}

async fn signed_up(app: &TestApp, role: Role, community: Option<CommunityId>) -> Session {
    let response = sign_up(app, role, community).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    crate::helpers::session_from(response).await
}

/// The demo (Xingyi, with its worker) and a second community with its own worker.
async fn two_communities() -> (TestApp, Session, Session) {
    let app = spawn_demo_app().await;
    let here = app.worker().await;
    let there = app.other_worker().await;
    assert_ne!(here.me.community, there.me.community);
    (app, here, there)
}

async fn vet(app: &TestApp, worker: &Session, volunteer: &Session, action: &str) -> u16 {
    app.post(
        Some(worker),
        &format!("/api/volunteers/{}/{action}", volunteer.me.id),
        json!({"note": "已面谈"}),
    )
    .await
    .status()
    .as_u16()
}

fn ids_of(page: &Value) -> HashSet<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["id"].as_str().unwrap().to_owned())
        .collect()
}

/// Every change of a pull from the start, as JSON.
async fn full_pull(app: &TestApp, session: &Session) -> Vec<Value> {
    let client = uuid::Uuid::now_v7();
    let mut cursor = 0;
    let mut changes = Vec::new();
    loop {
        let page = app
            .get_json_as(
                session,
                &format!("/api/sync/pull?cursor={cursor}&client_id={client}"),
            )
            .await;
        changes.extend(page["changes"].as_array().unwrap().iter().cloned());
        cursor = page["cursor"].as_u64().unwrap();
        if page["more"] != true {
            return changes;
        }
    }
}

fn entity_ids(changes: &[Value], entity: &str) -> HashSet<String> {
    changes
        .iter()
        .filter(|change| change["entity"] == entity)
        .map(|change| change["id"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn communities_are_listed_and_sign_up_names_one_when_there_are_several() {
    let app = spawn_demo_app().await;
    let listed = app.get_json("/api/communities").await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed["items"][0]["name"], "星怡社区");
    // One community: left out, it is that one.
    let resident = signed_up(&app, Role::Resident, None).await;
    let here = app.worker().await;
    assert_eq!(resident.me.community, here.me.community);

    let there = app.other_worker().await;
    let listed = app.get_json("/api/communities").await;
    assert_eq!(
        ids_of(&listed),
        [here.me.community, there.me.community]
            .iter()
            .map(|id| id.unwrap().to_string())
            .collect()
    );
    // Several: volunteers and residents must choose; donors and shops need not.
    for role in [Role::Volunteer, Role::Resident] {
        let problem =
            assert_problem(sign_up(&app, role, None).await, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], "community_id", "{problem}");
        assert_eq!(problem["errors"][0]["code"], "required", "{problem}");
    }
    let problem = assert_problem(
        sign_up(&app, Role::Volunteer, Some(CommunityId::generate())).await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["code"], "unknown", "{problem}");
    let volunteer = signed_up(&app, Role::Volunteer, there.me.community).await;
    assert_eq!(volunteer.me.community, there.me.community);
    let donor = signed_up(&app, Role::Donor, None).await;
    assert_eq!(donor.me.community, None);
}

#[tokio::test]
async fn workers_see_vet_and_suspend_only_their_own_communitys_volunteers() {
    let app = spawn_demo_app().await;
    let mine = app.register(Role::Volunteer).await; // the only community: the demo's
    let here = app.worker().await;
    let there = app.other_worker().await;
    let theirs = signed_up(&app, Role::Volunteer, there.me.community).await;

    let listed = async |worker: &Session| ids_of(&app.get_json_as(worker, "/api/volunteers").await);
    let (here_sees, there_sees) = (listed(&here).await, listed(&there).await);
    assert!(here_sees.contains(&mine.me.id.to_string()));
    assert!(!here_sees.contains(&theirs.me.id.to_string()));
    assert_eq!(there_sees, HashSet::from([theirs.me.id.to_string()]));

    // Another community's volunteer is as good as absent: 404, whatever the action.
    for action in ["approve", "suspend"] {
        assert_eq!(vet(&app, &there, &mine, action).await, 404, "{action}");
        assert_eq!(vet(&app, &here, &theirs, action).await, 404, "{action}");
    }
    let (status,): (Option<String>,) = app
        .db
        .fetch_one(
            "SELECT volunteer_status FROM users WHERE id = ?",
            microwish_server::args![mine.me.id.to_string()],
        )
        .await
        .unwrap();
    assert_eq!(status.as_deref(), Some("pending"), "nothing changed");
    assert_eq!(vet(&app, &here, &mine, "approve").await, 200);
    assert_eq!(vet(&app, &there, &theirs, "approve").await, 200);
    assert_eq!(vet(&app, &there, &theirs, "suspend").await, 200);

    // A volunteer of no community is nobody's to see or vet.
    app.db
        .execute(
            "UPDATE users SET community_id = NULL WHERE id = ?",
            microwish_server::args![theirs.me.id.to_string()],
        )
        .await
        .unwrap();
    assert!(listed(&there).await.is_empty());
    assert_eq!(vet(&app, &there, &theirs, "approve").await, 404);
}

#[tokio::test]
async fn volunteers_book_house_calls_in_their_own_community_only() {
    let (app, _here, there) = two_communities().await;
    let theirs = signed_up(&app, Role::Volunteer, there.me.community).await;
    assert_eq!(vet(&app, &there, &theirs, "approve").await, 200);
    let wish = app.house_call().await;
    let (start, end) = app.slot_tomorrow(60);
    let booking = json!({"quantity": 1, "slot_start": start, "slot_end": end});
    let problem = assert_problem(
        app.claim(&theirs, wish.id, booking.clone()).await,
        403,
        "forbidden",
    )
    .await;
    assert!(problem.to_string().contains("own community"), "{problem}");
    assert_eq!(app.wish(wish.id).await.claimed, 0, "nothing taken");
    // The demo's own approved volunteer books it.
    let mine = signed_up(&app, Role::Volunteer, app.worker().await.me.community).await;
    assert_eq!(vet(&app, &app.worker().await, &mine, "approve").await, 200);
    let response = app.claim(&mine, wish.id, booking).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
}

#[tokio::test]
async fn a_workers_pull_carries_only_their_communitys_volunteers_campaigns_and_ids() {
    let (app, here, there) = two_communities().await;
    let mine = signed_up(&app, Role::Volunteer, here.me.community).await;
    let theirs = signed_up(&app, Role::Volunteer, there.me.community).await;
    let today = community_today(app.clock.now());
    let response = app
        .post(
            Some(&there),
            "/api/campaigns",
            json!({"title": "别处的冬衣", "description": "冬衣", "goal": 10, "unit": "件",
                   "starts_on": today, "ends_on": today + Duration::days(30)}),
        )
        .await;
    assert_eq!(response.status(), 201);
    let their_campaign: Value = response.json().await.unwrap();
    let demo_campaigns = ids_of(&app.get_json_as(&here, "/api/campaigns").await);
    assert!(!demo_campaigns.is_empty());
    assert!(!demo_campaigns.contains(their_campaign["id"].as_str().unwrap()));

    let pulled = full_pull(&app, &there).await;
    assert_eq!(
        entity_ids(&pulled, "volunteer"),
        HashSet::from([theirs.me.id.to_string()])
    );
    assert_eq!(
        entity_ids(&pulled, "campaign"),
        HashSet::from([their_campaign["id"].as_str().unwrap().to_owned()])
    );
    assert!(entity_ids(&pulled, "household").is_empty());
    // No id of the demo's households, volunteers or campaigns anywhere in it.
    let households: Vec<(String,)> = app
        .db
        .fetch_all("SELECT id FROM households", microwish_server::args![])
        .await
        .unwrap();
    let text = serde_json::to_string(&pulled).unwrap();
    for (household,) in &households {
        assert!(!text.contains(household.as_str()), "household {household}");
    }
    assert!(!text.contains(&mine.me.id.to_string()));
    // Public wishes are everyone's (naming their drive); nothing else names a demo drive.
    let beyond_wishes: Vec<&Value> = pulled
        .iter()
        .filter(|change| change["entity"] != "wish")
        .collect();
    let text = serde_json::to_string(&beyond_wishes).unwrap();
    for campaign in &demo_campaigns {
        assert!(!text.contains(campaign.as_str()), "campaign {campaign}");
    }

    let pulled = full_pull(&app, &here).await;
    let volunteers = entity_ids(&pulled, "volunteer");
    assert!(volunteers.contains(&mine.me.id.to_string()));
    assert!(!volunteers.contains(&theirs.me.id.to_string()));
    assert_eq!(entity_ids(&pulled, "campaign"), demo_campaigns);
    assert!(!entity_ids(&pulled, "household").is_empty());
    // Visitors still see every community's drives.
    let public = ids_of(&app.get_json("/api/campaigns").await);
    assert!(public.contains(their_campaign["id"].as_str().unwrap()));
    assert!(public.is_superset(&demo_campaigns));
}

#[tokio::test]
async fn a_wish_cannot_join_another_communitys_campaign() {
    let (app, here, there) = two_communities().await;
    let today = community_today(app.clock.now());
    let response = app
        .post(
            Some(&there),
            "/api/campaigns",
            json!({"title": "别处的冬衣", "description": "冬衣", "goal": 10, "unit": "件",
                   "starts_on": today, "ends_on": today + Duration::days(30)}),
        )
        .await;
    let campaign: Value = response.json().await.unwrap();
    assert_eq!(
        app.get_as(
            &here,
            &format!("/api/campaigns/{}", campaign["id"].as_str().unwrap())
        )
        .await
        .status(),
        404
    );
    let (household,): (String,) = app
        .db
        .fetch_one(
            "SELECT id FROM households ORDER BY id LIMIT 1",
            microwish_server::args![],
        )
        .await
        .unwrap();
    let household: HouseholdId = household.parse().unwrap();
    let wish = |campaign: &Value| {
        json!({"household_id": household, "kind": "item", "title": "一件冬衣",
               "description": "冬天冷", "category": "clothing", "quantity": 1, "unit": "件",
               "alias": "钱婆婆", "publish": false, "campaign_id": campaign})
    };
    let problem = assert_problem(
        app.post(Some(&here), "/api/wishes", wish(&campaign["id"]))
            .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "campaign_id", "{problem}");
    // Into the worker's own drive it goes.
    let own = app.get_json_as(&here, "/api/campaigns").await["items"][0]["id"].clone();
    let response = app.post(Some(&here), "/api/wishes", wish(&own)).await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
}

#[tokio::test]
async fn pledges_offered_to_a_community_reach_its_workers_only() {
    let (app, here, there) = two_communities().await;
    let shop = app.register(Role::Shopkeeper).await;
    let pledge = |community: Option<CommunityId>| {
        json!({"title": "爱心面包", "category": "food", "quantity": 10, "unit": "个",
               "community_id": community})
    };
    let offered: Pledge = {
        let response = app
            .post(Some(&shop), "/api/pledges", pledge(here.me.community))
            .await;
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
        response.json().await.unwrap()
    };
    assert_eq!(offered.community_id, here.me.community);
    let to_all: Pledge = app
        .post(Some(&shop), "/api/pledges", pledge(None))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(to_all.community_id, None);
    let problem = assert_problem(
        app.post(
            Some(&shop),
            "/api/pledges",
            pledge(Some(CommunityId::generate())),
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(problem["errors"][0]["field"], "community_id", "{problem}");

    let listed_here = ids_of(&app.get_json_as(&here, "/api/pledges").await);
    let listed_there = ids_of(&app.get_json_as(&there, "/api/pledges").await);
    assert!(listed_here.contains(&offered.id.to_string()));
    assert!(listed_here.contains(&to_all.id.to_string()));
    assert!(!listed_there.contains(&offered.id.to_string()));
    assert!(listed_there.contains(&to_all.id.to_string()));
    assert_eq!(
        app.get_as(&there, &format!("/api/pledges/{}", offered.id))
            .await
            .status(),
        404
    );
    // Nor in their pull; nor can they give it out.
    let pulled = entity_ids(&full_pull(&app, &there).await, "pledge");
    assert!(!pulled.contains(&offered.id.to_string()));
    assert!(pulled.contains(&to_all.id.to_string()));
    let wish = app.open_wish(WishKind::Item, 1).await;
    assert_problem(
        app.post(
            Some(&there),
            &format!("/api/pledges/{}/allocations", offered.id),
            json!({"wish_id": wish.id, "quantity": 1}),
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let response = app
        .post(
            Some(&here),
            &format!("/api/pledges/{}/allocations", offered.id),
            json!({"wish_id": wish.id, "quantity": 1}),
        )
        .await;
    assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
    // The shop sees both, as ever.
    let own = ids_of(&app.get_json_as(&shop, "/api/pledges").await);
    assert!(own.contains(&offered.id.to_string()) && own.contains(&to_all.id.to_string()));
}

/// Runs `microwish-server ARGS` on `database`; (success, stdout, stderr).
fn cli(args: &[&str], database: &str) -> (bool, String, String) {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_microwish-server"))
        .args(args)
        .args(["--database", database])
        .output()
        .unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[tokio::test]
async fn the_command_line_adds_and_lists_communities() {
    let app = spawn_app().await;
    let db = app.database_url.as_str();
    let (ok, out, _) = cli(&["community", "list"], db);
    assert!(ok && out.contains("no community yet"), "{out}");
    let (ok, out, err) = cli(
        &[
            "community",
            "add",
            "--name",
            "星怡社区",
            "--grid",
            "第一网格=第一网格驿站",
            "--grid",
            "第二网格=第二网格驿站",
            "--building",
            "星怡花园32幢=第一网格",
        ],
        db,
    );
    assert!(ok, "{err}");
    assert!(out.contains("2 grids, 1 building"), "{out}");
    assert!(!out.contains("1 buildings"), "{out}");
    let (ok, _, err) = cli(
        &[
            "community",
            "add",
            "--name",
            "朝阳社区",
            "--grid",
            "朝阳一网格=朝阳驿站",
        ],
        db,
    );
    assert!(ok, "{err}");
    let (ok, out, _) = cli(&["community", "list"], db);
    assert!(ok);
    assert!(
        out.contains("星怡社区") && out.contains("第二网格=第二网格驿站"),
        "{out}"
    );
    assert!(
        out.contains("朝阳社区") && out.contains("朝阳一网格=朝阳驿站"),
        "{out}"
    );
    let listed = app.get_json("/api/communities").await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 2);
    for id in ids_of(&listed) {
        assert!(out.contains(&id), "{out} lists {id}");
    }
    let buildings = app.get_json("/api/buildings").await;
    assert_eq!(buildings["items"][0]["name"], "星怡花园32幢");
    let grids = app.get_json("/api/grids").await;
    assert_eq!(grids["items"].as_array().unwrap().len(), 3);

    // Clear errors, and nothing written.
    for (args, said) in [
        (
            vec![
                "community",
                "add",
                "--name",
                "星怡社区",
                "--grid",
                "一=驿站",
            ],
            "exists already",
        ),
        (
            vec![
                "community",
                "add",
                "--name",
                "新社区",
                "--grid",
                "一=驿站",
                "--building",
                "1幢=二",
            ],
            "no --grid named",
        ),
        (vec!["community", "add", "--name", "新社区"], "--grid"),
        (
            vec!["community", "add", "--name", "新社区", "--grid", "一"],
            "NAME=VALUE",
        ),
        (
            vec![
                "community",
                "add",
                "--name",
                "新社区",
                "--grid",
                "一=驿站",
                "--grid",
                "一=别",
            ],
            "twice",
        ),
    ] {
        let (ok, _, err) = cli(&args, db);
        assert!(!ok && err.contains(said), "{args:?}: {err}");
    }
    let listed = app.get_json("/api/communities").await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 2);

    // With several communities a volunteer added here must be given one.
    let (ok, _, err) = {
        use std::io::Write;
        let mut adding = std::process::Command::new(env!("CARGO_BIN_EXE_microwish-server"))
            .args([
                "user",
                "add",
                "--role",
                "volunteer",
                "--phone",
                &fresh_phone(),
            ])
            .args(["--name", "志愿者", "--password-stdin", "--database", db])
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
        let output = adding.wait_with_output().unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    assert!(!ok && err.contains("--community"), "{err}");
}

#[tokio::test]
async fn the_command_line_sets_a_stations_hours_contact_and_phone_for_everyone_to_see() {
    let app = spawn_app().await;
    let db = app.database_url.as_str();
    for name in ["星怡社区", "朝阳社区"] {
        let (ok, _, err) = cli(
            &[
                "community",
                "add",
                "--name",
                name,
                "--grid",
                "第一网格=第一网格驿站",
            ],
            db,
        );
        assert!(ok, "{err}");
    }
    let station = |name: &str| {
        vec![
            "community".to_owned(),
            "station".to_owned(),
            "--grid".to_owned(),
            name.to_owned(),
            "--hours".to_owned(),
            "周一至周六 9:00–17:00".to_owned(),
            "--contact".to_owned(),
            "网格长 李敏".to_owned(),
            "--phone".to_owned(),
            "0571-8650 1201".to_owned(),
        ]
    };
    let run = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        cli(&args, db)
    };
    // The grid's name is in both communities: which one must be said.
    let (ok, _, err) = run(station("第一网格"));
    assert!(!ok && err.contains("--community"), "{err}");
    let mut args = station("第一网格");
    args.extend(["--community".to_owned(), "星怡社区".to_owned()]);
    let (ok, out, err) = run(args.clone());
    assert!(ok, "{err}");
    assert!(out.contains("第一网格驿站"), "{out}");
    // A phone that is no number is refused, and nothing changes.
    let mut wrong = args.clone();
    wrong[9] = "call me".to_owned();
    let (ok, _, err) = run(wrong);
    assert!(!ok && err.contains("phone"), "{err}");

    let grids = app.get_json("/api/grids").await;
    let items = grids["items"].as_array().unwrap();
    let communities = app.get_json("/api/communities").await;
    let xingyi = communities["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|community| community["name"] == "星怡社区")
        .unwrap()["id"]
        .clone();
    for grid in items {
        let ours = grid["community"] == xingyi;
        let (hours, contact, phone) = if ours {
            ("周一至周六 9:00–17:00", "网格长 李敏", "0571-8650 1201")
        } else {
            ("", "", "")
        };
        assert_eq!(grid["station_hours"], hours, "{grid}");
        assert_eq!(grid["station_contact"], contact, "{grid}");
        assert_eq!(grid["station_phone"], phone, "{grid}");
    }
}

/// A worker says when their own stations are open, whom to ask and whom to call; everyone
/// reads it on the grid; another community's worker, a donor and a bad phone are refused.
#[tokio::test]
async fn a_worker_sets_their_own_stations_details() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let grids = app.get_json("/api/grids").await;
    let grid = grids["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|grid| grid["name"] == "第三网格")
        .unwrap()
        .clone();
    let path = format!("/api/grids/{}/station", grid["id"].as_str().unwrap());
    let details =
        json!({"hours": " 每天 8:30–18:00 ", "contact": "网格员 周芳", "phone": "0571-8650 1203"});
    let response = app
        .send(Some(&worker), Method::PUT, &path, details.clone())
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let set: Value = response.json().await.unwrap();
    assert_eq!(set["station_hours"], "每天 8:30–18:00", "trimmed");
    let seen = app.get_json("/api/grids").await;
    let seen = seen["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|each| each["id"] == grid["id"])
        .unwrap()
        .clone();
    assert_eq!(seen["station_contact"], "网格员 周芳");
    assert_eq!(seen["station_phone"], "0571-8650 1203");

    let wrong = json!({"hours": "", "contact": "", "phone": "call me"});
    let response = app.send(Some(&worker), Method::PUT, &path, wrong).await;
    assert_eq!(response.status(), 422);
    let elsewhere = app.other_worker().await;
    assert_problem(
        app.send(Some(&elsewhere), Method::PUT, &path, details.clone())
            .await,
        404,
        "not_found",
    )
    .await;
    let donor = app.register(Role::Donor).await;
    assert_problem(
        app.send(Some(&donor), Method::PUT, &path, details).await,
        403,
        "forbidden",
    )
    .await;
    let unchanged = app.get_json("/api/grids").await;
    assert!(unchanged["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|each| each["id"] == grid["id"] && each["station_phone"] == "0571-8650 1203"));
}
