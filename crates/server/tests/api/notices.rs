//! Notices: each user's own inbox (written with the event, once per event per recipient, synced
//! to them alone), the hold timer's reminders, Web Push to a local endpoint (encrypted and
//! signed, decrypted here), SMS through a signed gateway, and which endpoints a subscription
//! may name.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use microwish_core::sync::{Change, MutationStatus, PullResponse, PushResponse};
use microwish_core::{
    ClaimView, ClientId, Notice, NoticeKind, NoticePage, Preferences, Role, WishKind,
};
use serde_json::{json, Value};
use web_push_native::p256::SecretKey;

use crate::helpers::{
    assert_problem, spawn_demo_app, spawn_demo_app_with, spawn_twin_with_state, Session, TestApp,
};

/// A POST a local endpoint received: its headers and body.
pub type Received = (HeaderMap, Vec<u8>);

/// A local push service or SMS gateway: answers every POST with `status` and keeps what it
/// received.
#[derive(Clone)]
pub struct LocalEndpoint {
    pub address: String,
    pub received: Arc<Mutex<Vec<Received>>>,
    pub status: Arc<Mutex<StatusCode>>,
}

impl LocalEndpoint {
    pub async fn start() -> LocalEndpoint {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let endpoint = LocalEndpoint {
            address: listener.local_addr().unwrap().to_string(),
            received: Arc::default(),
            status: Arc::new(Mutex::new(StatusCode::CREATED)),
        };
        let kept = endpoint.clone();
        let router =
            axum::Router::new().fallback(move |headers: HeaderMap, body: axum::body::Bytes| {
                let kept = kept.clone();
                async move {
                    let status = *kept.status.lock().unwrap();
                    if status.is_success() {
                        kept.received.lock().unwrap().push((headers, body.to_vec()));
                    }
                    status
                }
            });
        tokio::spawn(async move { axum::serve(listener, router).await });
        endpoint
    }

    pub fn answer(&self, status: StatusCode) {
        *self.status.lock().unwrap() = status;
    }

    pub fn count(&self) -> usize {
        self.received.lock().unwrap().len()
    }

    /// Waits until `n` messages arrived (or fails after a while).
    pub async fn wait_for(&self, n: usize) {
        for _ in 0..200 {
            if self.count() >= n {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("{} of {n} messages arrived", self.count());
    }
}

/// A browser's push subscription: its keys, to decrypt what arrives.
pub struct Device {
    pub secret: SecretKey,
    pub auth: [u8; 16],
    pub endpoint: String,
}

impl Device {
    pub fn new(endpoint: String) -> Device {
        let secret =
            SecretKey::random(&mut web_push_native::p256::elliptic_curve::rand_core::OsRng);
        let auth: [u8; 16] = rand_bytes();
        Device {
            secret,
            auth,
            endpoint,
        }
    }

    pub fn subscription(&self) -> Value {
        json!({"endpoint": self.endpoint, "keys": {
            "p256dh": URL_SAFE_NO_PAD.encode(self.secret.public_key().to_sec1_bytes()),
            "auth": URL_SAFE_NO_PAD.encode(self.auth),
        }})
    }

    /// The push message's payload, decrypted (RFC 8291) with this device's private key.
    pub fn decrypt(&self, body: &[u8]) -> Value {
        let auth = web_push_native::Auth::clone_from_slice(&self.auth);
        let plain = web_push_native::decrypt(body.to_vec(), &self.secret, &auth)
            .expect("an aes128gcm message to this device");
        serde_json::from_slice(&plain).unwrap()
    }
}

fn rand_bytes() -> [u8; 16] {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes).unwrap();
    bytes
}

pub async fn subscribe(app: &TestApp, user: &Session, device: &Device) -> reqwest::Response {
    app.post(Some(user), "/api/push/subscriptions", device.subscription())
        .await
}

pub async fn notices(app: &TestApp, user: &Session) -> NoticePage {
    let response = app.get_as(user, "/api/me/notices").await;
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

fn kinds(page: &NoticePage) -> Vec<NoticeKind> {
    page.items.iter().map(|notice| notice.kind).collect()
}

/// A donor's claim delivered and confirmed by the demo worker: the donor is told.
pub async fn confirmed_claim(app: &TestApp, donor: &Session) -> ClaimView {
    let wish = app.open_wish(WishKind::Item, 2).await;
    let claim = app.claim_ok(donor, wish.id, 1).await;
    assert_eq!(
        app.act(Some(donor), claim.id, "deliver").await.status(),
        200
    );
    let worker = app.worker().await;
    assert_eq!(
        app.act(Some(&worker), claim.id, "confirm").await.status(),
        200
    );
    claim
}

async fn pull(app: &TestApp, user: &Session, client: ClientId) -> Vec<Change> {
    let mut cursor = 0;
    let mut changes = Vec::new();
    loop {
        let path = format!("/api/sync/pull?cursor={cursor}&client_id={client}");
        let page: PullResponse = app.get_as(user, &path).await.json().await.unwrap();
        changes.extend(page.changes);
        cursor = page.cursor;
        if !page.more {
            return changes;
        }
    }
}

fn pulled_notices(changes: &[Change]) -> Vec<Notice> {
    changes
        .iter()
        .filter_map(|change| match change {
            Change::Notice { data, .. } => data.clone(),
            _ => None,
        })
        .collect()
}

#[tokio::test]
async fn a_confirmation_lands_in_the_donors_inbox_and_nobody_elses() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    let other = app.register(Role::Donor).await;
    let claim = confirmed_claim(&app, &donor).await;
    let page = notices(&app, &donor).await;
    assert_eq!(kinds(&page), vec![NoticeKind::ClaimConfirmed]);
    assert_eq!(page.unread, 1);
    let notice = &page.items[0];
    assert_eq!(notice.user, donor.me.id);
    assert_eq!(notice.refs.claim_id, Some(claim.id));
    assert_eq!(notice.refs.wish_id, Some(claim.wish_id));
    assert!(notice.read_at.is_none());
    let theirs = notices(&app, &other).await;
    assert!(theirs.items.is_empty() && theirs.unread == 0);
    let worker = app.worker().await;
    assert!(
        notices(&app, &worker)
            .await
            .items
            .iter()
            .all(|notice| notice.refs.claim_id != Some(claim.id)),
        "the worker who confirmed is not told of it"
    );
}

#[tokio::test]
async fn a_user_reads_and_marks_only_their_own_notices() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    let other = app.register(Role::Donor).await;
    confirmed_claim(&app, &donor).await;
    confirmed_claim(&app, &other).await;
    let mine = notices(&app, &donor).await.items[0].id;
    let theirs = notices(&app, &other).await.items[0].id;

    let refused = app
        .post(Some(&other), "/api/me/notices/read", json!({"ids": [mine]}))
        .await;
    assert_problem(refused, 404, "not_found").await;
    let mixed = app
        .post(
            Some(&other),
            "/api/me/notices/read",
            json!({"ids": [theirs, mine]}),
        )
        .await;
    assert_problem(mixed, 404, "not_found").await;
    assert!(
        notices(&app, &other).await.items[0].read_at.is_none(),
        "a refused mark changes nothing"
    );
    assert_eq!(notices(&app, &donor).await.unread, 1);

    let read = app
        .post(Some(&donor), "/api/me/notices/read", json!({"ids": [mine]}))
        .await;
    assert_eq!(read.status(), 200);
    assert_eq!(read.json::<Value>().await.unwrap(), json!({"unread": 0}));
    assert!(notices(&app, &donor).await.items[0].read_at.is_some());
    assert_eq!(notices(&app, &other).await.unread, 1);

    let nobody = app
        .post(None, "/api/me/notices/read", json!({"all": true}))
        .await;
    assert_problem(nobody, 401, "not_logged_in").await;
    let empty = app
        .post(Some(&other), "/api/me/notices/read", json!({}))
        .await;
    assert_problem(empty, 422, "validation_failed").await;
    let all = app
        .post(Some(&other), "/api/me/notices/read", json!({"all": true}))
        .await;
    assert_eq!(all.json::<Value>().await.unwrap(), json!({"unread": 0}));
}

#[tokio::test]
async fn a_pull_carries_the_users_own_notices_only() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    let other = app.register(Role::Donor).await;
    confirmed_claim(&app, &donor).await;
    let theirs = pulled_notices(&pull(&app, &donor, ClientId::generate()).await);
    assert_eq!(theirs.len(), 1);
    assert_eq!(theirs[0].kind, NoticeKind::ClaimConfirmed);
    let changes = pull(&app, &other, ClientId::generate()).await;
    assert!(
        changes
            .iter()
            .all(|change| !matches!(change, Change::Notice { .. })),
        "not even a removal of someone else's notice"
    );
    let worker = app.worker().await;
    let changes = pull(&app, &worker, ClientId::generate()).await;
    assert!(pulled_notices(&changes)
        .iter()
        .all(|notice| notice.user == worker.me.id));
}

#[tokio::test]
async fn notices_are_marked_read_offline_through_sync_push() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    confirmed_claim(&app, &donor).await;
    let id = notices(&app, &donor).await.items[0].id;
    let client = ClientId::generate();
    let mutations = json!([{"id": 1, "name": "mark_notices_read", "args": {"ids": [id]}}]);
    let body = json!({"client_id": client, "mutations": mutations});
    let pushed: PushResponse = app
        .post(Some(&donor), "/api/sync/push", body.clone())
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(pushed.results[0].status, MutationStatus::Applied);
    assert_eq!(notices(&app, &donor).await.unread, 0);
    // The change reaches the user's other devices.
    let read = pulled_notices(&pull(&app, &donor, ClientId::generate()).await);
    assert!(read[0].read_at.is_some());
    let replayed: PushResponse = app
        .post(Some(&donor), "/api/sync/push", body)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(replayed, pushed);
    // Reminders are the system's: a phone cannot send one.
    let mutations = json!([{"id": 2, "name": "remind_claim", "args": {"claim_id": id}}]);
    let pushed: PushResponse = app
        .post(
            Some(&donor),
            "/api/sync/push",
            json!({"client_id": client, "mutations": mutations}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(pushed.results[0].status, MutationStatus::Rejected);
}

async fn notice_rows(app: &TestApp) -> i64 {
    let (count,): (i64,) = app
        .db
        .fetch_one("SELECT COUNT(*) FROM notices", microwish_server::args![])
        .await
        .unwrap();
    count
}

#[tokio::test]
async fn one_event_makes_one_notice_whatever_retries_and_replays() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    let worker = app.worker().await;
    let wish = app.open_wish(WishKind::Item, 2).await;
    let claim = app.claim_ok(&donor, wish.id, 1).await;
    app.act(Some(&donor), claim.id, "deliver").await;
    let before = notice_rows(&app).await;
    // The worker's phone pushes its confirmation, then pushes it again (a lost answer), and
    // the REST confirmation is retried too.
    let client = ClientId::generate();
    let body = json!({"client_id": client, "mutations": [
        {"id": 1, "name": "confirm_claim", "args": {"claim_id": claim.id}}]});
    for _ in 0..3 {
        let response = app
            .post(Some(&worker), "/api/sync/push", body.clone())
            .await;
        assert_eq!(response.status(), 200);
    }
    let retried = app.act(Some(&worker), claim.id, "confirm").await;
    assert_eq!(retried.status(), 409);
    assert_eq!(notice_rows(&app).await, before + 1);
    assert_eq!(
        kinds(&notices(&app, &donor).await),
        vec![NoticeKind::ClaimConfirmed]
    );
}

#[tokio::test]
async fn the_hold_timer_reminds_a_day_before_once_whatever_servers_run_it() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    let wish = app.open_wish(WishKind::Item, 1).await;
    let claim = app.claim_ok(&donor, wish.id, 1).await;
    let (_, twin) = spawn_twin_with_state(&app).await;
    let reminders_of_claim = || async {
        let (count,): (i64,) = app
            .db
            .fetch_one(
                "SELECT COUNT(*) FROM reminders WHERE subject = ?",
                microwish_server::args![claim.id.to_string()],
            )
            .await
            .unwrap();
        count
    };

    microwish_server::apply::remind_due(&app.state)
        .await
        .unwrap();
    assert_eq!(reminders_of_claim().await, 0, "a week ahead: not yet");
    app.clock
        .advance(claim.hold_until - app.clock.now() - chrono::Duration::hours(23));
    let (here, there) = tokio::join!(
        microwish_server::apply::remind_due(&app.state),
        microwish_server::apply::remind_due(&twin)
    );
    here.unwrap();
    there.unwrap();
    microwish_server::apply::remind_due(&twin).await.unwrap();
    assert_eq!(reminders_of_claim().await, 1, "reminded once");
    let page = notices(&app, &donor).await;
    assert_eq!(kinds(&page), vec![NoticeKind::ClaimExpiring]);
    assert_eq!(page.items[0].refs.claim_id, Some(claim.id));

    app.clock.advance(chrono::Duration::hours(24));
    microwish_server::apply::expire_due_claims(&app.state)
        .await
        .unwrap();
    let page = notices(&app, &donor).await;
    assert_eq!(
        kinds(&page),
        vec![NoticeKind::ClaimExpired, NoticeKind::ClaimExpiring]
    );
}

#[tokio::test]
async fn a_new_page_of_notices_follows_the_cursor() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    for _ in 0..3 {
        confirmed_claim(&app, &donor).await;
        app.clock.advance(chrono::Duration::seconds(1));
    }
    let first: NoticePage = app
        .get_as(&donor, "/api/me/notices?limit=2")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(first.items.len(), 2);
    assert_eq!(first.unread, 3);
    let next = first.next.clone().expect("a next page");
    let second: NoticePage = app
        .get_as(&donor, &format!("/api/me/notices?limit=2&cursor={next}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(second.items.len(), 1);
    assert!(second.next.is_none());
    assert!(first.items[0].created_at > second.items[0].created_at);
    let bad = app.get_as(&donor, "/api/me/notices?cursor=nonsense").await;
    assert_problem(bad, 400, "bad_query").await;
}

#[tokio::test]
async fn subscriptions_only_to_https_on_public_addresses() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    for endpoint in [
        "http://127.0.0.1:9/push",
        "https://127.0.0.1/push",
        "https://10.0.0.1/push",
        "https://192.168.1.20/push",
        "https://169.254.169.254/latest",
        "https://[::1]/push",
        "https://[::ffff:10.0.0.1]/push",
        "https://[fe80::1]/push",
        "https://0.0.0.0/push",
        "https://localhost/push",
        "http://push.example.com/push",
        "not a url",
    ] {
        let device = Device::new(endpoint.to_owned());
        let refused = subscribe(&app, &donor, &device).await;
        assert_problem(refused, 422, "bad_endpoint").await;
    }
    let (count,): (i64,) = app
        .db
        .fetch_one(
            "SELECT COUNT(*) FROM push_subscriptions",
            microwish_server::args![],
        )
        .await
        .unwrap();
    assert_eq!(count, 0);
    // A public name is taken without resolving it.
    let device = Device::new("https://push.example.com/send/abc".into());
    assert_eq!(subscribe(&app, &donor, &device).await.status(), 201);
    let mut bad_keys = device.subscription();
    bad_keys["keys"]["auth"] = json!("c2hvcnQ");
    let refused = app
        .post(Some(&donor), "/api/push/subscriptions", bad_keys)
        .await;
    assert_problem(refused, 422, "validation_failed").await;
    let nobody = app
        .post(None, "/api/push/subscriptions", device.subscription())
        .await;
    assert_problem(nobody, 401, "not_logged_in").await;
    let gone = app
        .send(
            Some(&donor),
            reqwest::Method::DELETE,
            "/api/push/subscriptions",
            json!({"endpoint": device.endpoint}),
        )
        .await;
    assert_eq!(gone.status(), 204);
}

#[tokio::test]
async fn a_local_endpoint_is_refused_unless_the_operator_allows_it() {
    let endpoint = LocalEndpoint::start().await;
    let allowed = endpoint.address.clone();
    let app = spawn_demo_app_with(|config| {
        config.notify.allowed_endpoints = vec![allowed.parse().unwrap()];
    })
    .await;
    let donor = app.register(Role::Donor).await;
    let here = Device::new(format!("http://{}/push/1", endpoint.address));
    assert_eq!(subscribe(&app, &donor, &here).await.status(), 201);
    let other_port = Device::new("http://127.0.0.1:9/push/1".into());
    assert_problem(
        subscribe(&app, &donor, &other_port).await,
        422,
        "bad_endpoint",
    )
    .await;
}

/// A demo app that may push to `endpoint`, with a donor subscribed there.
async fn pushing_app(endpoint: &LocalEndpoint) -> (TestApp, Session, Device) {
    let allowed = endpoint.address.clone();
    let app = spawn_demo_app_with(|config| {
        config.notify.allowed_endpoints = vec![allowed.parse().unwrap()];
    })
    .await;
    let donor = app.register(Role::Donor).await;
    let device = Device::new(format!("http://{}/push/{}", endpoint.address, donor.me.id));
    assert_eq!(subscribe(&app, &donor, &device).await.status(), 201);
    (app, donor, device)
}

#[tokio::test]
async fn a_push_is_encrypted_to_the_device_and_signed_with_the_servers_key() {
    let endpoint = LocalEndpoint::start().await;
    let (app, donor, device) = pushing_app(&endpoint).await;
    let claim = confirmed_claim(&app, &donor).await;
    endpoint.wait_for(1).await;
    let (headers, body) = endpoint.received.lock().unwrap()[0].clone();

    assert_eq!(headers["content-encoding"], "aes128gcm");
    assert_eq!(headers["ttl"], "86400");
    assert_eq!(headers["topic"].len(), 22);
    let payload = device.decrypt(&body);
    let notice = &notices(&app, &donor).await.items[0];
    assert_eq!(payload["id"], json!(notice.id));
    assert_eq!(payload["kind"], "claim_confirmed");
    assert_eq!(payload["refs"]["claim_id"], json!(claim.id));
    assert_eq!(
        payload.as_object().unwrap().len(),
        3,
        "kind and ids only: {payload}"
    );
    let text = payload.to_string();
    for secret in app.household_secrets().await {
        assert!(!text.contains(&secret), "{secret} in {text}");
    }
    assert!(!text.contains(donor.me.phone.as_str()));

    // VAPID (RFC 8292): `vapid t=<ES256 JWT>, k=<the server's public key>`.
    let authorization = headers["authorization"].to_str().unwrap();
    let (token, key) = authorization
        .strip_prefix("vapid t=")
        .and_then(|rest| rest.split_once(", k="))
        .expect("a VAPID authorization");
    let published: Value = app.get_json("/api/push/key").await;
    assert_eq!(published["key"], key);
    use web_push_native::jwt_simple::prelude::*;
    let public = ES256PublicKey::from_bytes(&URL_SAFE_NO_PAD.decode(key).unwrap()).unwrap();
    let claims = public
        .verify_token::<NoCustomClaims>(token, None)
        .expect("signed with the server's key");
    assert_eq!(
        claims.audiences.unwrap().into_string().unwrap(),
        "http://127.0.0.1"
    );
    let expires = claims.expires_at.unwrap().as_secs() as i64;
    let now = chrono::Utc::now().timestamp();
    assert!(
        expires > now && expires <= now + 24 * 3600,
        "valid at most a day"
    );
    assert!(claims.subject.unwrap().starts_with("mailto:"));
}

#[tokio::test]
async fn a_gone_subscription_is_forgotten_and_a_failure_retried_later() {
    let endpoint = LocalEndpoint::start().await;
    let (app, donor, _device) = pushing_app(&endpoint).await;
    endpoint.answer(StatusCode::SERVICE_UNAVAILABLE);
    confirmed_claim(&app, &donor).await;
    let pending = || async {
        let row: Option<(String, i64)> = app
            .db
            .fetch_optional(
                "SELECT status, attempts FROM deliveries",
                microwish_server::args![],
            )
            .await
            .unwrap();
        row.unwrap_or(("none".into(), 0))
    };
    for _ in 0..100 {
        if pending().await.1 > 0 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(
        pending().await,
        ("pending".to_owned(), 1),
        "to be tried again"
    );
    // Not before its back-off…
    microwish_server::notify::send_round(&app.state)
        .await
        .unwrap();
    assert_eq!(pending().await.1, 1);
    // …then again: the device is gone.
    endpoint.answer(StatusCode::GONE);
    app.clock.advance(chrono::Duration::seconds(11));
    microwish_server::notify::send_round(&app.state)
        .await
        .unwrap();
    assert_eq!(pending().await.0, "gone");
    let (subscriptions,): (i64,) = app
        .db
        .fetch_one(
            "SELECT COUNT(*) FROM push_subscriptions",
            microwish_server::args![],
        )
        .await
        .unwrap();
    assert_eq!(subscriptions, 0, "a 410 removes the subscription");
}

#[tokio::test]
async fn a_kind_turned_off_is_not_pushed() {
    let endpoint = LocalEndpoint::start().await;
    let (app, donor, _device) = pushing_app(&endpoint).await;
    let put = app
        .send(
            Some(&donor),
            reqwest::Method::PUT,
            "/api/me/preferences",
            json!({"push": {"claim_confirmed": false}}),
        )
        .await;
    assert_eq!(put.status(), 200);
    confirmed_claim(&app, &donor).await;
    microwish_server::notify::send_round(&app.state)
        .await
        .unwrap();
    assert_eq!(endpoint.count(), 0);
    assert_eq!(notices(&app, &donor).await.unread, 1, "still in the inbox");
}

#[tokio::test]
async fn preferences_list_every_kind_with_push_on_and_sms_off() {
    let app = spawn_demo_app().await;
    let volunteer = app.approved_volunteer().await;
    let preferences: Preferences = app
        .get_as(&volunteer, "/api/me/preferences")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(preferences.push.len(), NoticeKind::ALL.len());
    assert!(preferences.push.values().all(|on| *on));
    assert!(preferences.sms.values().all(|on| !*on));
    let changed: Preferences = app
        .send(
            Some(&volunteer),
            reqwest::Method::PUT,
            "/api/me/preferences",
            json!({"sms": {"call_for_volunteers": true}}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert!(changed.sms[&NoticeKind::CallForVolunteers]);
    assert!(changed.push[&NoticeKind::CallForVolunteers]);
    let unknown = app
        .send(
            Some(&volunteer),
            reqwest::Method::PUT,
            "/api/me/preferences",
            json!({"sms": {"lottery_won": true}}),
        )
        .await;
    assert!(unknown.status().is_client_error());
    let nobody = app.get("/api/me/preferences").await;
    assert_eq!(nobody.status(), 401);

    // Workers see who can be reached beyond the app.
    let worker = app.worker().await;
    let listed: Value = app
        .get_as(&worker, "/api/volunteers?status=approved")
        .await
        .json()
        .await
        .unwrap();
    let mine = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["id"] == json!(volunteer.me.id))
        .unwrap()
        .clone();
    assert_eq!(mine["reachable"], json!({"push": false, "sms": true}));
}

/// A demo app with an SMS gateway at `gateway` signing with `secret`, and a donor who chose
/// confirmations by SMS.
async fn texting_app(
    gateway: &LocalEndpoint,
    secret: &str,
) -> (TestApp, Session, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sms.secret");
    std::fs::write(&file, format!("{secret}\n")).unwrap();
    let url = format!("http://{}/sms", gateway.address);
    let app = spawn_demo_app_with(|config| {
        config.notify.sms =
            Some(microwish_server::notify::sms::SmsGateway::new(&url, &file).unwrap());
    })
    .await;
    let donor = app.register(Role::Donor).await;
    let put = app
        .send(
            Some(&donor),
            reqwest::Method::PUT,
            "/api/me/preferences",
            json!({"sms": {"claim_confirmed": true}}),
        )
        .await;
    assert_eq!(put.status(), 200);
    (app, donor, dir)
}

/// 10:00 China time on the day after the test's start.
fn daytime(app: &TestApp) {
    let now = app.clock.now();
    let day = microwish_core::clock::community_today(now)
        .succ_opt()
        .unwrap();
    let ten =
        microwish_core::clock::from_china(day, chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap());
    app.clock.advance(ten - now);
}

#[tokio::test]
async fn an_sms_is_signed_carries_ids_only_and_waits_for_the_morning() {
    let gateway = LocalEndpoint::start().await;
    let secret = "a-shared-secret-of-the-gateway";
    let (app, donor, _dir) = texting_app(&gateway, secret).await;
    daytime(&app);
    let claim = confirmed_claim(&app, &donor).await;
    gateway.wait_for(1).await;
    let (headers, body) = gateway.received.lock().unwrap()[0].clone();
    let signature = headers["x-signature"].to_str().unwrap();
    assert_eq!(
        signature,
        microwish_server::notify::sms::signature(secret.as_bytes(), &body)
    );
    let message: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(message["phone"], donor.me.phone.as_str());
    assert_eq!(message["template"], "claim_confirmed");
    assert_eq!(
        message["params"],
        json!({"claim_id": claim.id, "wish_id": claim.wish_id})
    );
    assert_eq!(message["key"].as_str().unwrap().len(), 36);
    let text = String::from_utf8(body).unwrap();
    for secret in app.household_secrets().await {
        assert!(!text.contains(&secret), "{secret} in {text}");
    }

    // 22:00 China time: held until 08:00, then sent.
    app.clock.advance(chrono::Duration::hours(12));
    confirmed_claim(&app, &donor).await;
    microwish_server::notify::send_round(&app.state)
        .await
        .unwrap();
    assert_eq!(gateway.count(), 1, "not at night");
    app.clock.advance(chrono::Duration::hours(10));
    microwish_server::notify::send_round(&app.state)
        .await
        .unwrap();
    // This round, or the server's own sender that woke at the same moment and took the
    // message first, sends it.
    gateway.wait_for(2).await;
    assert_eq!(gateway.count(), 2, "in the morning, once");
}

#[tokio::test]
async fn a_phone_gets_at_most_ten_sms_a_day() {
    let gateway = LocalEndpoint::start().await;
    let (app, donor, _dir) = texting_app(&gateway, "a-shared-secret-of-the-gateway").await;
    daytime(&app);
    let wish = app.open_wish(WishKind::Item, 1).await;
    app.set_quantity(wish.id, 12).await;
    let worker = app.worker().await;
    for _ in 0..12 {
        let claim = app.claim_ok(&donor, wish.id, 1).await;
        app.act(Some(&donor), claim.id, "deliver").await;
        app.act(Some(&worker), claim.id, "confirm").await;
    }
    for _ in 0..3 {
        microwish_server::notify::send_round(&app.state)
            .await
            .unwrap();
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(gateway.count(), 10);
    let (dropped,): (i64,) = app
        .db
        .fetch_one(
            "SELECT COUNT(*) FROM deliveries WHERE channel = 'sms' AND status = 'dropped'",
            microwish_server::args![],
        )
        .await
        .unwrap();
    assert_eq!(dropped, 2);
}

#[tokio::test]
async fn without_a_gateway_no_sms_is_queued() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    let put = app
        .send(
            Some(&donor),
            reqwest::Method::PUT,
            "/api/me/preferences",
            json!({"sms": {"claim_confirmed": true}}),
        )
        .await;
    assert_eq!(put.status(), 200);
    confirmed_claim(&app, &donor).await;
    microwish_server::notify::send_round(&app.state)
        .await
        .unwrap();
    let (queued, deliveries): (i64, i64) = app
        .db
        .fetch_one(
            "SELECT (SELECT COUNT(*) FROM notices WHERE queued = 1 AND user_id = ?), \
                    (SELECT COUNT(*) FROM deliveries)",
            microwish_server::args![donor.me.id.to_string()],
        )
        .await
        .unwrap();
    assert_eq!((queued, deliveries), (1, 0));
}

/// The policy of a pull, as `user`'s phone learns it.
async fn pulled_policy(app: &TestApp, user: &Session) -> microwish_core::command::Policy {
    let path = format!("/api/sync/pull?cursor=0&client_id={}", ClientId::generate());
    let page: PullResponse = app.get_as(user, &path).await.json().await.unwrap();
    page.policy
}

#[tokio::test]
async fn phones_learn_from_the_pull_whether_sms_can_go_out() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    assert!(!pulled_policy(&app, &donor).await.sms, "no gateway");
    let gateway = LocalEndpoint::start().await;
    let (texting, donor, _dir) = texting_app(&gateway, "a-secret-of-the-gateway").await;
    assert!(pulled_policy(&texting, &donor).await.sms, "a gateway");
}

/// A new member of staff of the demo community, added as the command line adds them.
async fn staff_member(app: &TestApp, role: Role) -> Session {
    let worker = app.worker().await;
    let phone = crate::helpers::fresh_phone();
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

async fn request_step(app: &TestApp, who: &Session, request: &Value, action: &str, body: Value) {
    let path = format!("/api/requests/{}/{action}", request["id"].as_str().unwrap());
    let response = app.post(Some(who), &path, body).await;
    assert_eq!(
        response.status(),
        200,
        "{action}: {}",
        response.text().await.unwrap()
    );
}

/// The kinds of `user`'s notices about `request`, in the kinds' order (those of one instant
/// have no order of their own).
async fn told_of(app: &TestApp, user: &Session, request: &Value) -> Vec<NoticeKind> {
    let mut kinds: Vec<NoticeKind> = notices(app, user)
        .await
        .items
        .iter()
        .filter(|notice| notice.refs.request_id.map(|id| json!(id)) == Some(request["id"].clone()))
        .map(|notice| notice.kind)
        .collect();
    kinds.sort();
    kinds
}

#[tokio::test]
async fn a_request_tells_its_workers_its_requester_its_volunteers_and_its_handler() {
    let app = spawn_demo_app().await;
    let resident = app.register(Role::Resident).await;
    let worker = app.worker().await;
    let property = staff_member(&app, Role::Property).await;
    let volunteer = app.approved_volunteer().await;
    let marked = app
        .post(
            Some(&worker),
            &format!("/api/volunteers/{}/approve", volunteer.me.id),
            json!({"note": "党员", "party_member": true}),
        )
        .await;
    assert_eq!(marked.status(), 200);
    let buildings: Value = app.get_json("/api/buildings").await;
    let building = buildings["items"][0]["id"].clone();
    let filed = |description: &str| {
        json!({"category": "help", "description": description, "building_id": building,
               "urgency": "urgent", "contact_ok": true})
    };
    let response = app
        .post(
            Some(&resident),
            "/api/requests",
            filed("楼下孙爷爷想请人帮忙搬花盆"),
        )
        .await;
    assert_eq!(response.status(), 201);
    let called: Value = response.json().await.unwrap();
    assert_eq!(
        told_of(&app, &worker, &called).await,
        vec![NoticeKind::RequestNew]
    );
    assert!(told_of(&app, &property, &called).await.is_empty());
    request_step(&app, &worker, &called, "accept", json!({})).await;
    request_step(&app, &worker, &called, "call", json!({})).await;
    assert_eq!(
        told_of(&app, &volunteer, &called).await,
        vec![NoticeKind::CallForVolunteers]
    );
    request_step(&app, &volunteer, &called, "take", json!({})).await;
    assert_eq!(
        told_of(&app, &resident, &called).await,
        vec![NoticeKind::RequestAccepted, NoticeKind::RequestDispatched]
    );

    let response = app
        .post(Some(&resident), "/api/requests", filed("2单元楼道灯不亮"))
        .await;
    let dispatched: Value = response.json().await.unwrap();
    request_step(&app, &worker, &dispatched, "accept", json!({})).await;
    let handler = json!({"handler": {"kind": "property", "user_id": property.me.id}});
    request_step(&app, &worker, &dispatched, "dispatch", handler).await;
    assert_eq!(
        told_of(&app, &property, &dispatched).await,
        vec![NoticeKind::RequestAssigned]
    );
    assert!(told_of(&app, &volunteer, &dispatched).await.is_empty());

    // Past its limit to be resolved (a day, urgent): its workers are told, once.
    app.clock.advance(chrono::Duration::hours(25));
    microwish_server::apply::remind_due(&app.state)
        .await
        .unwrap();
    microwish_server::apply::remind_due(&app.state)
        .await
        .unwrap();
    assert_eq!(
        told_of(&app, &worker, &dispatched).await,
        vec![NoticeKind::RequestNew, NoticeKind::RequestOverdue]
    );
    assert!(told_of(&app, &resident, &dispatched)
        .await
        .iter()
        .all(|kind| *kind != NoticeKind::RequestOverdue));
}
