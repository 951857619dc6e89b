use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

use sqlx::Connection;

use chrono::{DateTime, Timelike, Utc};
use microwish_core::{ClaimView, Me, Page, PublicWish, Role, WishKind};
use microwish_server::clock::Clock;
use microwish_server::store::Pool;
use microwish_server::{AppState, ServeConfig, Server};
use serde_json::{json, Value};
use tempfile::TempDir;

pub const INDEX_HTML: &str = "<!doctype html><title>微心愿</title>";
pub const HASHED_JS: &str = "microwish-0123456789abcdef.js";

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    /// The app's own pool, for arranging data and reading what the app stored.
    pub db: Pool,
    /// The app's state, to drive background work (the hold timer) from a test.
    pub state: AppState,
    /// A manual clock: tests move time with `clock.advance(…)`.
    pub clock: Clock,
    pub database_url: String,
    _dir: TempDir,
}

/// A new, empty database in the test cluster; its URL.
pub async fn postgres_database() -> String {
    static ADMIN: OnceLock<String> = OnceLock::new();
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let admin = ADMIN.get_or_init(|| match std::env::var("MICROWISH_TEST_POSTGRES") {
        Ok(url) => url,
        Err(_) => {
            let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/pg-cluster.sh");
            let started = std::process::Command::new(script)
                .arg("start")
                .output()
                .expect("scripts/pg-cluster.sh runs");
            assert!(
                started.status.success(),
                "the test cluster did not start: {}",
                String::from_utf8_lossy(&started.stderr)
            );
            String::from_utf8(started.stdout).unwrap().trim().to_owned()
        }
    });
    let name = format!(
        "mw_{}_{}_{}",
        std::process::id(),
        chrono::Utc::now().timestamp_micros(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut connection = sqlx::PgConnection::connect(admin)
        .await
        .expect("the test cluster answers");
    // Letters as a production database knows them (a UTF-8 character type: LOWER() folds "É"),
    // sorted bytewise as SQLite sorts.
    sqlx::query(&format!(
        "CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'"
    ))
        .execute(&mut connection)
        .await
        .unwrap();
    let (server, _) = admin.rsplit_once('/').unwrap();
    format!("{server}/{name}")
}

/// Whether this run of the suite is on PostgreSQL (`MICROWISH_TEST_ENGINE=postgres`; `make
/// unit` runs it on both engines): each app gets a new database in the test cluster.
pub fn on_postgres() -> bool {
    std::env::var("MICROWISH_TEST_ENGINE").is_ok_and(|engine| engine == "postgres")
}

/// A signed-in user: the session cookie to send.
#[derive(Clone)]
pub struct Session {
    pub cookie: String,
    pub me: Me,
}

/// An app with an empty database.
pub async fn spawn_app() -> TestApp {
    spawn(false, |_| {}).await
}

/// An app with the Xingyi community demo data (and its demo logins).
pub async fn spawn_demo_app() -> TestApp {
    spawn(true, |_| {}).await
}

/// A demo app with adjusted settings.
pub async fn spawn_demo_app_with(configure: impl FnOnce(&mut ServeConfig)) -> TestApp {
    spawn(true, configure).await
}

async fn spawn(demo: bool, configure: impl FnOnce(&mut ServeConfig)) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), INDEX_HTML).unwrap();
    std::fs::write(dist.join(HASHED_JS), "console.log('微心愿 '.repeat(100));").unwrap();
    let database_url = if on_postgres() {
        postgres_database().await
    } else {
        format!("sqlite://{}", dir.path().join("test.db").display())
    };
    let mut config = ServeConfig::new(SocketAddr::from(([127, 0, 0, 1], 0)), database_url, dist);
    config.demo = demo;
    config.clock = Clock::manual(chrono::Utc::now());
    // Tests sign up many users from one address; the limit has its own test.
    config.registrations_per_hour = 10_000;
    configure(&mut config);
    let database_url = config.database_url.clone();
    let (server, _) = Server::build(&config).await.expect("server starts");
    let address = format!("http://{}", server.local_addr().unwrap());
    let state = server.state().clone();
    tokio::spawn(server.run(std::future::pending()));
    TestApp {
        address,
        client: reqwest::Client::new(),
        db: state.db.clone(),
        clock: state.clock.clone(),
        state,
        database_url,
        _dir: dir,
    }
}

/// A second server process's worth of app (own pool, own port) on `app`'s database file.
pub async fn spawn_twin(app: &TestApp) -> String {
    spawn_twin_with_state(app).await.0
}

/// [`spawn_twin`], with the twin's state (to drive its background work from a test).
pub async fn spawn_twin_with_state(app: &TestApp) -> (String, AppState) {
    let mut config = ServeConfig::new(
        SocketAddr::from(([127, 0, 0, 1], 0)),
        app.database_url.clone(),
        app.state.dist.clone(),
    );
    config.clock = app.clock.clone();
    let (server, _) = Server::build(&config).await.expect("twin starts");
    let address = format!("http://{}", server.local_addr().unwrap());
    let state = server.state().clone();
    tokio::spawn(server.run(std::future::pending()));
    (address, state)
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request sent")
    }

    pub async fn get_as(&self, session: &Session, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .header("cookie", &session.cookie)
            .send()
            .await
            .expect("request sent")
    }

    /// GETs `path`, asserts a 200, returns the JSON body.
    pub async fn get_json(&self, path: &str) -> Value {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.expect("JSON body")
    }

    /// GETs `path` as `session`, asserts a 200, returns the JSON body.
    pub async fn get_json_as(&self, session: &Session, path: &str) -> Value {
        let response = self.get_as(session, path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.expect("JSON body")
    }

    pub async fn wishes(&self, query: &str) -> Page<PublicWish> {
        let body = self.get_json(&format!("/api/wishes{query}")).await;
        serde_json::from_value(body).expect("a page of public wishes")
    }

    pub async fn wish(&self, id: impl std::fmt::Display) -> PublicWish {
        serde_json::from_value(self.get_json(&format!("/api/wishes/{id}")).await).unwrap()
    }

    /// POSTs JSON, as `session` when given.
    pub async fn post(
        &self,
        session: Option<&Session>,
        path: &str,
        body: Value,
    ) -> reqwest::Response {
        let mut request = self.client.post(self.url(path)).json(&body);
        if let Some(session) = session {
            request = request.header("cookie", &session.cookie);
        }
        request.send().await.expect("request sent")
    }

    /// Registers a new user of `role` with a fresh phone number and returns its session.
    pub async fn register(&self, role: Role) -> Session {
        let phone = fresh_phone();
        let response = self
            .post(
                None,
                "/api/auth/register",
                json!({"display_name": format!("测试{}", &phone[7..]), "phone": phone,
                       "password": "a-long-test-password", "role": role}),
            )
            .await;
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
        session_from(response).await
    }

    /// Logs in with a phone and password; panics unless it succeeds.
    pub async fn login(&self, phone: &str, password: &str) -> Session {
        let response = self
            .post(
                None,
                "/api/auth/login",
                json!({"phone": phone, "password": password}),
            )
            .await;
        assert_eq!(response.status(), 200);
        session_from(response).await
    }

    /// The demo worker (网格长).
    pub async fn worker(&self) -> Session {
        self.login("13800000001", "xingyi-worker-2026").await
    }

    /// A worker of another community (with a grid of its own), logged in.
    pub async fn other_worker(&self) -> Session {
        let community = microwish_core::CommunityId::generate();
        // The uuid's random tail: two made in one millisecond share their first digits.
        let grid = format!("grid-{}", &community.to_string()[24..]);
        self.db
            .execute(
                "INSERT INTO communities (id, name, created_at) VALUES (?, ?, ?)",
                microwish_server::args![
                    community.to_string(),
                    format!("别的社区{grid}"),
                    chrono::Utc::now()
                ],
            )
            .await
            .unwrap();
        self.db
            .execute(
                "INSERT INTO grids (id, community_id, name, station, station_location, position) \
             VALUES (?, ?, '别的网格', '别的驿站', '别处', 9)",
                microwish_server::args![&grid, community.to_string()],
            )
            .await
            .unwrap();
        let phone = fresh_phone();
        let account = microwish_core::account::Registration {
            display_name: "别的网格长".into(),
            phone: phone.clone(),
            password: "another-worker-2026".into(),
            role: Role::Worker,
            community_id: None,
            privacy: None,
            code: None,
        }
        .validate_any_role()
        .unwrap();
        microwish_server::auth::add_user(&self.state, account, Some(community), None)
            .await
            .unwrap();
        self.login(&phone, "another-worker-2026").await
    }

    /// `DELETE /api/me` with the account's `password`, as the session `cookie`.
    pub async fn delete_me(&self, cookie: &str, password: &str) -> reqwest::Response {
        self.client
            .delete(self.url("/api/me"))
            .header("cookie", cookie)
            .json(&json!({ "password": password }))
            .send()
            .await
            .unwrap()
    }

    /// Sends `method path` with a JSON body, as `session` when given.
    pub async fn send(
        &self,
        session: Option<&Session>,
        method: reqwest::Method,
        path: &str,
        body: Value,
    ) -> reqwest::Response {
        let mut request = self.client.request(method, self.url(path)).json(&body);
        if let Some(session) = session {
            request = request.header("cookie", &session.cookie);
        }
        request.send().await.expect("request sent")
    }

    /// Claims `quantity` of a wish; returns the raw response.
    pub async fn claim(
        &self,
        session: &Session,
        wish: impl std::fmt::Display,
        body: Value,
    ) -> reqwest::Response {
        self.post(Some(session), &format!("/api/wishes/{wish}/claims"), body)
            .await
    }

    /// Claims and asserts a 201; returns the claim.
    pub async fn claim_ok(
        &self,
        session: &Session,
        wish: impl std::fmt::Display,
        quantity: u32,
    ) -> ClaimView {
        let response = self
            .claim(session, wish, json!({"quantity": quantity}))
            .await;
        assert_eq!(response.status(), 201, "{}", response.text().await.unwrap());
        response.json().await.unwrap()
    }

    /// Moves a claim with `action` (release, deliver, confirm, reject); returns the raw response.
    pub async fn act(
        &self,
        session: Option<&Session>,
        claim: impl std::fmt::Display,
        action: &str,
    ) -> reqwest::Response {
        let body = if action == "reject" {
            json!({"reason": "物品不符"})
        } else {
            json!({})
        };
        self.post(session, &format!("/api/claims/{claim}/{action}"), body)
            .await
    }

    /// The first open wish of `kind` nobody has claimed yet, with at least `quantity` units.
    pub async fn open_wish(&self, kind: WishKind, quantity: u32) -> PublicWish {
        self.wishes(&format!("?kind={kind}"))
            .await
            .items
            .into_iter()
            .find(|w| w.claimed == 0 && w.remaining >= quantity)
            .expect("a demo wish big enough")
    }

    /// A new volunteer, approved by the demo worker (as after meeting them).
    pub async fn approved_volunteer(&self) -> Session {
        let volunteer = self.register(Role::Volunteer).await;
        let worker = self.worker().await;
        let response = self
            .post(
                Some(&worker),
                &format!("/api/volunteers/{}/approve", volunteer.me.id),
                json!({"note": "已面谈"}),
            )
            .await;
        assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
        volunteer
    }

    /// Sets a wish's quantity directly (for tests that need many units).
    pub async fn set_quantity(&self, wish: impl std::fmt::Display, quantity: u32) {
        self.db
            .execute(
                "UPDATE wishes SET quantity = ? WHERE id = ?",
                microwish_server::args![i64::from(quantity), wish.to_string()],
            )
            .await
            .unwrap();
    }

    /// An open house call needed at least three days from now, so tomorrow's slot fits.
    pub async fn house_call(&self) -> PublicWish {
        let soonest = (self.clock.now() + chrono::Duration::days(3)).date_naive();
        self.wishes("?kind=service")
            .await
            .items
            .into_iter()
            .find(|wish| wish.claimed == 0 && wish.needed_by.is_some_and(|date| date >= soonest))
            .expect("a demo house call far enough ahead")
    }

    /// A slot of `minutes` starting tomorrow at this time (to the minute).
    pub fn slot_tomorrow(&self, minutes: i64) -> (DateTime<Utc>, DateTime<Utc>) {
        let start = (self.clock.now() + chrono::Duration::days(1))
            .with_second(0)
            .and_then(|time| time.with_nanosecond(0))
            .unwrap();
        (start, start + chrono::Duration::minutes(minutes))
    }

    /// Numbers the changes a test logged straight into the change log (not through the
    /// writer, which numbers its own after each commit): at once on PostgreSQL (see its
    /// migration 0030) rather than at the server's next watch; SQLite numbers as it writes.
    pub async fn number_logged_changes(&self) {
        if let Pool::Postgres(db) = &self.db {
            sqlx::query("SELECT change_log_stamp()")
                .execute(db)
                .await
                .unwrap();
        }
    }

    /// Every household's name, address and phone: what must never leak.
    pub async fn household_secrets(&self) -> Vec<String> {
        let rows: Vec<(String, String, String)> = self
            .db
            .fetch_all(
                "SELECT name, address, phone FROM households",
                microwish_server::args![],
            )
            .await
            .unwrap();
        rows.into_iter()
            .flat_map(|(name, address, phone)| [name, address, phone])
            .collect()
    }

    pub async fn claim_status(&self, claim: impl std::fmt::Display) -> String {
        let (status,): (String,) = self
            .db
            .fetch_one(
                "SELECT status FROM claims WHERE id = ?",
                microwish_server::args![claim.to_string()],
            )
            .await
            .unwrap();
        status
    }
}

/// An unused mainland mobile number.
pub fn fresh_phone() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let salt = u64::from(std::process::id() % 1000);
    format!("139{:08}", (salt * 100_000 + n) % 100_000_000)
}

pub async fn session_from(response: reqwest::Response) -> Session {
    let cookie = response
        .headers()
        .get("set-cookie")
        .expect("a session cookie")
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    let me: Me = response.json().await.unwrap();
    Session { cookie, me }
}

/// Asserts a problem+json answer with `status` and `code`; returns its body.
pub async fn assert_problem(response: reqwest::Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status(), status);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], code, "{body}");
    assert_eq!(body["status"], status);
    assert!(
        body["title"].is_string() && body["detail"].is_string(),
        "{body}"
    );
    body
}

/// How long a test waits for a poke: generous, so a loaded machine does not fail it; still far
/// below the minute the "at once" tests slow the database watch to.
pub const POKE_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

/// Asserts that the `/api/events` stream pokes within `within` (a `change` event).
pub async fn assert_poked(stream: &mut reqwest::Response, within: std::time::Duration) {
    let chunk = tokio::time::timeout(within, stream.chunk())
        .await
        .unwrap_or_else(|_| panic!("an event within {within:?}"))
        .unwrap()
        .unwrap();
    let text = String::from_utf8_lossy(&chunk);
    assert!(text.contains("event: change"), "{text}");
}
