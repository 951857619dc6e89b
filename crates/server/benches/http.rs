//! `make bench`, the server over HTTP: the release server runs as its own process on the demo
//! data and `wrk` (64 connections, on the same machine, as a phone crowd would arrive) measures
//!
//! - claims/s: 64 signed-in donors, one unit per claim, `synchronous=FULL`;
//! - public list reads/s (`GET /api/wishes?limit=50`) beside `json-server` serving the very
//!   same JSON in the same run, and the ratio;
//! - pulls of a page of 500 changes;
//! - claims/s with two server processes on the one database file (32 connections each), as
//!   during a rolling restart behind a reverse proxy;
//! - claims/s on PostgreSQL (a cluster of the bench's own, syncing every commit as SQLite's
//!   `synchronous=FULL` does), with one server and with two (32 connections each), and what
//!   two make against one;
//! - the cost curve: claims/s at 10, 100 and 1,000 wishes, and at 1k, 100k and 1M stored
//!   claims (generated in SQL);
//! - notices under the claims load: a worker confirms delivered claims as fast as it can while
//!   the 64 donors claim, each confirmation a notice to a donor whose phone subscribed to a
//!   local push endpoint (a tiny HTTP server in the bench): notices written per second, and
//!   the queue's delay from a notice's commit to its push arriving, p50 and p99.
//! - residents' requests: filed with a photo (a phone-sized JPEG of 1600 × 1200, decoded and
//!   re-encoded by the server) by 16 residents at once, requests/s and p99 of the pair; and
//!   the workers' inbox (`GET /api/requests?limit=50`, and its overdue filter) with 10,000
//!   requests stored (generated in SQL).
//!
//! Each figure is printed with p50 and p99; the budgets below are checked at the end and the
//! bench exits non-zero when one breaks.

use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use microwish_core::{ClientId, WishId};
use microwish_server::store::Pool;
use sqlx::SqlitePool;

const CONNECTIONS: u32 = 64;
const DONORS: usize = 64;
const BUDGET_CLAIMS_PER_S: f64 = 5_000.0;
const BUDGET_CLAIMS_P99_MS: f64 = 50.0;
const BUDGET_LIST_PER_S: f64 = 15_000.0;
/// Two servers on one file: neither starves the other of the write lock.
const BUDGET_TWO_SERVERS_P99_MS: f64 = 100.0;
/// PostgreSQL, one server (issue #29's budget; the database on the same 2 cores as the server
/// and wrk, syncing every commit). Not met: ~600 claims/s here, bound by the CPU each claim
/// costs PostgreSQL (see the README).
const BUDGET_POSTGRES_CLAIMS_PER_S: f64 = 2_000.0;
const BUDGET_POSTGRES_P99_MS: f64 = 100.0;
/// Two servers on one PostgreSQL database make at least what one makes (commits overlap:
/// migrations-postgres/0030); a twentieth under for the noise of two 10 s runs.
const BUDGET_POSTGRES_TWO_VS_ONE: f64 = 0.95;
const BUDGET_LIST_VS_JSON_SERVER: f64 = 10.0;
/// A notice reaches a subscribed phone's push service within a second of its event, under load.
const BUDGET_PUSH_DELAY_P99_MS: f64 = 1_000.0;
/// Residents filing at once (each a request, then its photo).
const FILERS: usize = 16;
/// A request with its photo: the photo's decoding is the cost (two at a time).
const BUDGET_FILED_WITH_PHOTO_PER_S: f64 = 10.0;
const BUDGET_FILED_WITH_PHOTO_P99_MS: f64 = 3_000.0;
/// The inbox's first page with 10,000 requests stored.
const BUDGET_INBOX_P99_MS: f64 = 200.0;

#[tokio::main]
async fn main() {
    if Command::new("wrk").arg("--version").output().is_err() {
        eprintln!("wrk is missing: run `scripts/install-tools.sh bench` (or `make bench`)");
        std::process::exit(2);
    }
    let dir = tempfile::tempdir().expect("temp dir");
    // `cargo bench --bench http -- postgres` (or `-- notices`): those rows alone.
    if std::env::args().skip(1).any(|arg| arg == "postgres") {
        let mut budgets = Budgets::default();
        measure_postgres(&mut budgets, dir.path()).await;
        budgets.finish();
        return;
    }
    if std::env::args().skip(1).any(|arg| arg == "notices") {
        let mut budgets = Budgets::default();
        measure_notices(&mut budgets, dir.path()).await;
        budgets.finish();
        return;
    }
    // `cargo bench --bench http -- requests`: the residents' requests rows alone.
    if std::env::args().skip(1).any(|arg| arg == "requests") {
        let mut budgets = Budgets::default();
        measure_requests(&mut budgets, dir.path()).await;
        budgets.finish();
        return;
    }
    let server = Spawned::serve(dir.path());
    let db = SqlitePool::connect(&server.database)
        .await
        .expect("the bench opens the server's database");
    let pool = Pool::Sqlite(db.clone());
    let base = server.base.clone();
    let cookies = register_donors(&base).await;
    let cookie_file = dir.path().join("cookies.txt");
    std::fs::write(&cookie_file, cookies.join("\n") + "\n").unwrap();

    let mut budgets = Budgets::default();
    println!(
        "server over HTTP: wrk with {CONNECTIONS} connections on this machine ({} cores)",
        cores()
    );

    // Reads first, on the demo as a phone sees it.
    let list = wrk_get(&base, "/api/wishes?limit=50", 8);
    let body = reqwest::get(format!("{base}/api/wishes?limit=50"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let json_server = JsonServer::serve(dir.path(), &body);
    let theirs = wrk_get(&json_server.base, "/wishes", 8);
    drop(json_server);
    let ratio = list.per_s / theirs.per_s;
    println!("  list of 50 ({} bytes): {list}", body.len());
    println!("  json-server 0.17, same JSON: {theirs}  → ours is {ratio:.1}×");
    budgets.check("list reads/s", list.per_s, BUDGET_LIST_PER_S);
    budgets.check("list vs json-server", ratio, BUDGET_LIST_VS_JSON_SERVER);

    // Wishes for the curve (their changes also make the page of 500 for the pull).
    let demo_wishes = open_item_wishes(&pool).await;
    let before_wishes = max_version(&db).await;
    let wishes = add_open_wishes(&db, &pool, 1_000).await;
    let pull = wrk_get(
        &base,
        &format!(
            "/api/sync/pull?cursor={before_wishes}&client_id={}",
            ClientId::generate()
        ),
        6,
    );
    println!("  pull of 500 changes: {pull}");

    // Claims: the headline, at 1k stored claims, on the demo's open item wishes.
    top_up_claims(&db, 1_000).await;
    deliver_all(&pool).await;
    let claims = wrk_claims(&base, dir.path(), &cookie_file, &demo_wishes, 10);
    println!(
        "  claims, {} wishes, 1k stored claims: {claims}",
        demo_wishes.len()
    );
    budgets.check("claims/s", claims.per_s, BUDGET_CLAIMS_PER_S);
    budgets.check_below("claims p99 ms", claims.p99_ms, BUDGET_CLAIMS_P99_MS);

    // Two servers on the one file, each with half the crowd: the throughput is printed (one
    // server is the configuration the claims budget is for), the tail is budgeted.
    {
        let twin = Spawned::serve_on(dir.path(), &server.database, false);
        deliver_all(&pool).await;
        let two = claims_on_two(
            "two servers on one file",
            [&base, &twin.base],
            dir.path(),
            &cookie_file,
            &demo_wishes,
        );
        budgets.check_below(
            "two servers' claims p99 ms",
            two.p99_ms,
            BUDGET_TWO_SERVERS_P99_MS,
        );
    }

    measure_requests(&mut budgets, dir.path()).await;
    measure_postgres(&mut budgets, dir.path()).await;
    measure_notices(&mut budgets, dir.path()).await;

    println!("  cost curve (claims/s, p50, p99):");
    // By stored claims first (the headline's run leaves ~70k), then by wishes, then a million.
    let at_stored = |target: i64| {
        let (db, base, dir, cookies, wishes) = (&db, &base, dir.path(), &cookie_file, &wishes);
        async move {
            let started = Instant::now();
            top_up_claims(db, target).await;
            deliver_all(&Pool::Sqlite(db.clone())).await;
            let made = started.elapsed();
            let stored = stored_claims(db).await;
            let run = wrk_claims(base, dir, cookies, &wishes[..100], 5);
            println!(
                "    {stored:>7} stored claims (100 wishes; generated in {:.0} s): {run}",
                made.as_secs_f64()
            );
        }
    };
    at_stored(100_000).await;
    for count in [10, 100, 1_000] {
        deliver_all(&pool).await;
        let stored = stored_claims(&db).await;
        let run = wrk_claims(&base, dir.path(), &cookie_file, &wishes[..count], 5);
        println!("    {count:>5} wishes ({stored:>7} stored claims): {run}");
    }
    at_stored(1_000_000).await;
    drop(server);
    budgets.finish();
}

/// Residents' requests on a server of their own: filed with a photo by [`FILERS`] residents at
/// once, then the workers' inbox with 10,000 requests stored.
async fn measure_requests(budgets: &mut Budgets, dir: &Path) {
    let own = dir.join("requests");
    std::fs::create_dir_all(&own).unwrap();
    let server = Spawned::serve(&own);
    let client = reqwest::Client::new();
    let buildings: serde_json::Value = client
        .get(format!("{}/api/buildings", server.base))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let buildings: Vec<String> = buildings["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|building| building["id"].as_str().unwrap().to_owned())
        .collect();
    let residents = register(&server.base, "resident", 137, FILERS).await;
    let photo = std::sync::Arc::new(phone_photo());

    // Each resident files a request and sends its photo, again and again, for 10 s.
    let until = Instant::now() + Duration::from_secs(10);
    let started = Instant::now();
    let runs: Vec<Vec<f64>> =
        futures_util::future::join_all(residents.iter().enumerate().map(|(n, cookie)| {
            let (client, base, photo) = (client.clone(), server.base.clone(), photo.clone());
            let building = buildings[n % buildings.len()].clone();
            async move {
                let mut took = Vec::new();
                while Instant::now() < until {
                    let began = Instant::now();
                    let filed = client
                        .post(format!("{base}/api/requests"))
                        .header("cookie", cookie)
                        .json(&serde_json::json!({
                            "category": "repair", "description": "楼道灯坏了,晚上看不见台阶",
                            "building_id": building, "place": "3单元楼道",
                            "urgency": "normal", "contact_ok": true,
                        }))
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(filed.status(), 201, "a bench request is filed");
                    let id = filed.json::<serde_json::Value>().await.unwrap()["id"]
                        .as_str()
                        .unwrap()
                        .to_owned();
                    let sent = client
                        .put(format!(
                            "{base}/api/requests/{id}/photos/{}",
                            uuid::Uuid::now_v7()
                        ))
                        .header("cookie", cookie)
                        .header("content-type", "image/jpeg")
                        .body(photo.as_ref().clone())
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(sent.status(), 201, "a bench photo is stored");
                    took.push(began.elapsed().as_secs_f64() * 1_000.0);
                }
                took
            }
        }))
        .await;
    let elapsed = started.elapsed().as_secs_f64();
    let mut took: Vec<f64> = runs.into_iter().flatten().collect();
    took.sort_by(f64::total_cmp);
    let filed = Measured {
        per_s: took.len() as f64 / elapsed,
        p50_ms: percentile(&took, 0.50),
        p99_ms: percentile(&took, 0.99),
    };
    println!(
        "  requests filed with a photo ({} KB JPEG, {FILERS} residents at once): {filed}",
        photo.len() / 1024
    );
    budgets.check(
        "requests filed with a photo /s",
        filed.per_s,
        BUDGET_FILED_WITH_PHOTO_PER_S,
    );
    budgets.check_below(
        "requests filed with a photo p99 ms",
        filed.p99_ms,
        BUDGET_FILED_WITH_PHOTO_P99_MS,
    );

    // The inbox with 10,000 requests stored, as the grid's worker reads it.
    let db = SqlitePool::connect(&server.database).await.unwrap();
    let stored = top_up_requests(&db, 10_000).await;
    let worker = login(&server.base, "13800000001", "xingyi-worker-2026").await;
    for (what, path) in [
        ("inbox, first 50", "/api/requests?limit=50"),
        ("inbox, overdue", "/api/requests?limit=50&overdue=true"),
        (
            "inbox, one grid's repairs",
            "/api/requests?limit=50&grid=grid-2&category=repair",
        ),
    ] {
        let read = wrk_get_as(&server.base, path, &worker, 6, &own);
        println!("  {what} ({stored} requests stored): {read}");
        budgets.check_below(&format!("{what} p99 ms"), read.p99_ms, BUDGET_INBOX_P99_MS);
    }
}

/// A phone's photo as the SPA sends it: 1600 × 1200, a JPEG at quality 85 with some texture.
fn phone_photo() -> Vec<u8> {
    let image = image::RgbImage::from_fn(1600, 1200, |x, y| {
        let noise = (x.wrapping_mul(7919) ^ y.wrapping_mul(104_729)) % 37;
        image::Rgb([
            ((x / 7 + noise) % 256) as u8,
            ((y / 5 + noise * 3) % 256) as u8,
            ((x + y) / 11 % 256) as u8,
        ])
    });
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 85)
        .encode_image(&image)
        .unwrap();
    bytes
}

fn percentile(sorted: &[f64], share: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let at = ((sorted.len() as f64 - 1.0) * share).round() as usize;
    sorted[at]
}

/// Adds requests (filed over the last 90 days in every status, in the demo's buildings, by the
/// demo resident) until `target` are stored; how many are.
async fn top_up_requests(db: &SqlitePool, target: i64) -> i64 {
    let count = || async {
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM requests")
            .fetch_one(db)
            .await
            .unwrap()
    };
    let first = count().await;
    let mut conn = db.acquire().await.unwrap();
    for sql in [
        "CREATE TEMP TABLE IF NOT EXISTS bench_buildings (k INTEGER PRIMARY KEY, id TEXT, \
         grid TEXT, community TEXT)",
        "DELETE FROM bench_buildings",
        "INSERT INTO bench_buildings (id, grid, community) \
         SELECT id, grid_id, community_id FROM buildings ORDER BY position",
        "CREATE TEMP TABLE IF NOT EXISTS bench_statuses (k INTEGER PRIMARY KEY, status TEXT)",
        "DELETE FROM bench_statuses",
        "INSERT INTO bench_statuses (status) VALUES ('submitted'), ('accepted'), \
         ('in_progress'), ('resolved'), ('closed'), ('closed'), ('closed'), ('declined')",
    ] {
        sqlx::query(sql).execute(&mut *conn).await.unwrap();
    }
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2 - 1), \
         made AS (SELECT i, strftime('%Y-%m-%dT%H:%M:%S.000000Z', 'now', \
                  '-' || (i % 129600) || ' minutes') AS at FROM n) \
         INSERT INTO requests (id, community_id, grid_id, building_id, category, description, \
             urgency, contact_ok, channel, status, requester_id, accept_by, resolve_by, \
             accepted_at, resolved_at, closed_at, created_at, updated_at) \
         SELECT printf('00000000-0000-7000-9000-%012x', i), b.community, b.grid, b.id, \
             CASE i % 3 WHEN 0 THEN 'repair' WHEN 1 THEN 'cleaning' ELSE 'help' END, \
             '楼道灯坏了,晚上看不见台阶', 'normal', 1, 'app', s.status, \
             (SELECT id FROM users WHERE role = 'resident' ORDER BY created_at LIMIT 1), \
             strftime('%Y-%m-%dT%H:%M:%S.000000Z', made.at, '+4 hours'), \
             strftime('%Y-%m-%dT%H:%M:%S.000000Z', made.at, '+72 hours'), \
             CASE WHEN s.status <> 'submitted' THEN made.at END, \
             CASE WHEN s.status IN ('resolved', 'closed') THEN made.at END, \
             CASE WHEN s.status IN ('closed', 'declined') THEN made.at END, made.at, made.at \
         FROM made JOIN bench_buildings b ON b.k = made.i % 40 + 1 \
         JOIN bench_statuses s ON s.k = made.i % 8 + 1",
    )
    .bind(first)
    .bind(target)
    .execute(&mut *conn)
    .await
    .unwrap();
    drop(conn);
    count().await
}

/// The session cookie of a login.
async fn login(base: &str, phone: &str, password: &str) -> String {
    let response = reqwest::Client::new()
        .post(format!("{base}/api/auth/login"))
        .json(&serde_json::json!({"phone": phone, "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "the bench logs in");
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    cookie.split(';').next().unwrap().to_owned()
}

/// The same claims on PostgreSQL, one server then two on the one database.
async fn measure_postgres(budgets: &mut Budgets, dir: &Path) {
    match PgCluster::start().await {
        Ok(cluster) => {
            let url = cluster.url.clone();
            let pg_server = Spawned::serve_on(dir, &url, true);
            let pg = Pool::Postgres(sqlx::PgPool::connect(&url).await.unwrap());
            let cookies = register_donors(&pg_server.base).await;
            let pg_cookies = dir.join("pg-cookies.txt");
            std::fs::write(&pg_cookies, cookies.join("\n") + "\n").unwrap();
            let pg_wishes = open_item_wishes(&pg).await;
            deliver_all(&pg).await;
            let own = dir.join("pg-one");
            std::fs::create_dir_all(&own).unwrap();
            let one = wrk_claims(&pg_server.base, &own, &pg_cookies, &pg_wishes, 10);
            println!(
                "  claims, PostgreSQL, one server ({} wishes): {one}",
                pg_wishes.len()
            );
            budgets.check(
                "PostgreSQL claims/s",
                one.per_s,
                BUDGET_POSTGRES_CLAIMS_PER_S,
            );
            budgets.check_below(
                "PostgreSQL claims p99 ms",
                one.p99_ms,
                BUDGET_POSTGRES_P99_MS,
            );
            let twin = Spawned::serve_on(dir, &url, false);
            deliver_all(&pg).await;
            let two = claims_on_two(
                "PostgreSQL, two servers",
                [&pg_server.base, &twin.base],
                dir,
                &pg_cookies,
                &pg_wishes,
            );
            println!(
                "  claims, PostgreSQL, two servers against one: {:.2}x",
                two.per_s / one.per_s
            );
            budgets.check(
                "PostgreSQL two servers / one",
                two.per_s / one.per_s,
                BUDGET_POSTGRES_TWO_VS_ONE,
            );
        }
        Err(error) => {
            println!("  PostgreSQL: not measured: {error}");
            budgets.check("PostgreSQL measured", 0.0, 1.0);
        }
    }
}

/// A message a push service received: when, and its body.
type Arrival = (chrono::DateTime<chrono::Utc>, Vec<u8>);

/// A local push service: when each message arrived, and its body.
#[derive(Clone, Default)]
struct PushService {
    received: std::sync::Arc<std::sync::Mutex<Vec<Arrival>>>,
}

impl PushService {
    async fn start(&self) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap().to_string();
        let received = self.received.clone();
        let router = axum::Router::new().fallback(move |body: axum::body::Bytes| {
            let received = received.clone();
            async move {
                let at = chrono::Utc::now();
                received.lock().unwrap().push((at, body.to_vec()));
                axum::http::StatusCode::CREATED
            }
        });
        tokio::spawn(async move { axum::serve(listener, router).await });
        address
    }

    fn count(&self) -> usize {
        self.received.lock().unwrap().len()
    }
}

/// Notices under the claims load, and the push queue's delay to a local endpoint.
async fn measure_notices(budgets: &mut Budgets, dir: &Path) {
    use base64::Engine as _;
    use web_push_native::p256::SecretKey;
    let dir = dir.join("notices");
    std::fs::create_dir_all(&dir).unwrap();
    let push = PushService::default();
    let address = push.start().await;
    let database = format!("sqlite://{}", dir.join("notices.db").display());
    let server = Spawned::serve_with(&dir, &database, true, &["--allow-push-endpoint", &address]);
    let base = server.base.clone();
    let db = SqlitePool::connect(&database).await.unwrap();
    let pool = Pool::Sqlite(db.clone());
    let cookies = register_donors(&base).await;
    let cookie_file = dir.join("cookies.txt");
    std::fs::write(&cookie_file, cookies.join("\n") + "\n").unwrap();

    // Every donor's phone subscribes (one key pair for all: each has its own endpoint).
    let device = SecretKey::random(&mut web_push_native::p256::elliptic_curve::rand_core::OsRng);
    let auth = [7u8; 16];
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let client = reqwest::Client::new();
    for (n, cookie) in cookies.iter().enumerate() {
        let subscribed = client
            .post(format!("{base}/api/push/subscriptions"))
            .header("origin", &base)
            .header("cookie", cookie)
            .json(
                &serde_json::json!({"endpoint": format!("http://{address}/push/{n}"),
                "keys": {"p256dh": b64.encode(device.public_key().to_sec1_bytes()),
                         "auth": b64.encode(auth)}}),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(subscribed.status(), 201, "a bench phone subscribes");
    }
    // Claims for the worker to confirm: made by the donors, delivered.
    let wishes = open_item_wishes(&pool).await;
    wrk_claims(&base, &dir, &cookie_file, &wishes, 3);
    deliver_all(&pool).await;
    let delivered: Vec<String> =
        sqlx::query_scalar("SELECT id FROM claims WHERE status = 'delivered' ORDER BY id")
            .fetch_all(&db)
            .await
            .unwrap();
    let login = client
        .post(format!("{base}/api/auth/login"))
        .header("origin", &base)
        .json(&serde_json::json!({"phone": "13800000001", "password": "xingyi-worker-2026"}))
        .send()
        .await
        .unwrap();
    let worker = login.headers()["set-cookie"].to_str().unwrap();
    let worker = worker.split(';').next().unwrap().to_owned();

    let count_notices = || async {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM notices")
            .fetch_one(&db)
            .await
            .unwrap();
        count
    };
    let before = count_notices().await;
    let pushed_before = push.count();
    let queue = std::sync::Arc::new(std::sync::Mutex::new(delivered));
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let started = Instant::now();
    let confirmers: Vec<_> = (0..8)
        .map(|_| {
            let (client, base, worker, queue, stop) = (
                client.clone(),
                base.clone(),
                worker.clone(),
                queue.clone(),
                stop.clone(),
            );
            tokio::spawn(async move {
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    let Some(claim) = queue.lock().unwrap().pop() else {
                        return;
                    };
                    let confirmed = client
                        .post(format!("{base}/api/claims/{claim}/confirm"))
                        .header("origin", &base)
                        .header("cookie", &worker)
                        .json(&serde_json::json!({}))
                        .send()
                        .await
                        .unwrap();
                    assert_eq!(confirmed.status(), 200, "a confirmation under load");
                }
            })
        })
        .collect();
    let claims = {
        let (base, dir, cookie_file, wishes) = (
            base.clone(),
            dir.clone(),
            cookie_file.clone(),
            wishes.clone(),
        );
        tokio::task::spawn_blocking(move || wrk_claims(&base, &dir, &cookie_file, &wishes, 10))
            .await
            .unwrap()
    };
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for confirmer in confirmers {
        confirmer.await.unwrap();
    }
    let seconds = started.elapsed().as_secs_f64();
    let made = count_notices().await - before;
    // Every notice of the run pushed (or a while waited for it).
    for _ in 0..600 {
        if push.count() >= pushed_before + made as usize {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let secret = &device;
    let auth = web_push_native::Auth::clone_from_slice(&auth);
    let arrivals: Vec<(chrono::DateTime<chrono::Utc>, String)> = push.received.lock().unwrap()
        [pushed_before..]
        .iter()
        .map(|(at, body)| {
            let plain = web_push_native::decrypt(body.clone(), secret, &auth).unwrap();
            let payload: serde_json::Value = serde_json::from_slice(&plain).unwrap();
            (*at, payload["id"].as_str().unwrap().to_owned())
        })
        .collect();
    let mut delays = Vec::with_capacity(arrivals.len());
    for (at, id) in &arrivals {
        let created: String = sqlx::query_scalar("SELECT created_at FROM notices WHERE id = ?")
            .bind(id)
            .fetch_one(&db)
            .await
            .unwrap();
        let created = chrono::DateTime::parse_from_rfc3339(&created).unwrap();
        delays.push(
            (*at - created.with_timezone(&chrono::Utc))
                .num_microseconds()
                .unwrap_or(0) as f64
                / 1000.0,
        );
    }
    delays.sort_by(f64::total_cmp);
    let percentile = |p: f64| -> f64 {
        if delays.is_empty() {
            return f64::INFINITY;
        }
        delays[((delays.len() - 1) as f64 * p).round() as usize]
    };
    let (p50, p99) = (percentile(0.50), percentile(0.99));
    println!("  claims while a worker confirms (8 at a time): {claims}");
    println!(
        "  notices written under that load: {made} in {seconds:.1} s = {:.0}/s; \
         pushed to a local endpoint: {} (queue delay p50 {p50:.1} ms, p99 {p99:.1} ms)",
        made as f64 / seconds,
        arrivals.len()
    );
    budgets.check("pushes arrived", arrivals.len() as f64, made as f64);
    budgets.check_below("push delay p99 ms", p99, BUDGET_PUSH_DELAY_P99_MS);
}

/// Claims through two servers at once, half the crowd each; prints the row, answers the
/// worse p99.
/// Claims through two servers at once, half the crowd each: both together (per second), and
/// the worse of the two's figures.
fn claims_on_two(
    what: &str,
    bases: [&String; 2],
    dir: &Path,
    cookies: &Path,
    wishes: &[String],
) -> Measured {
    let runs: Vec<Measured> = std::thread::scope(|scope| {
        let runs: Vec<_> = bases
            .into_iter()
            .map(|base| {
                scope.spawn(move || {
                    let own = dir.join(base.rsplit(':').next().unwrap());
                    std::fs::create_dir_all(&own).unwrap();
                    wrk_claims_with(base, &own, cookies, wishes, 10, CONNECTIONS / 2)
                })
            })
            .collect();
        runs.into_iter().map(|run| run.join().unwrap()).collect()
    });
    let per_s: f64 = runs.iter().map(|run| run.per_s).sum();
    let p99 = runs.iter().map(|run| run.p99_ms).fold(0.0, f64::max);
    println!(
        "  claims, {what} (32 + 32 connections): {per_s:.0}/s, \
         p50 {:.1} / {:.1} ms, p99 {p99:.1} ms",
        runs[0].p50_ms, runs[1].p50_ms
    );
    Measured {
        per_s,
        p50_ms: runs[0].p50_ms.max(runs[1].p50_ms),
        p99_ms: p99,
    }
}

/// A PostgreSQL cluster of the bench's own (scripts/pg-cluster.sh under target/pg-bench,
/// syncing every commit), with a new database; removed when dropped.
struct PgCluster {
    url: String,
}

impl PgCluster {
    const SCRIPT: &'static str =
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../scripts/pg-cluster.sh");
    const DIR: &'static str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/pg-bench");

    async fn start() -> Result<PgCluster, String> {
        use sqlx::Connection;
        let started = Command::new(Self::SCRIPT)
            .arg("start")
            .env("MICROWISH_PG_DIR", Self::DIR)
            .env("MICROWISH_PG_DURABLE", "1")
            .output()
            .map_err(|error| error.to_string())?;
        if !started.status.success() {
            return Err(String::from_utf8_lossy(&started.stderr).into_owned());
        }
        // Removed again (on drop) whatever fails from here.
        let mut cluster = PgCluster { url: String::new() };
        let admin = String::from_utf8_lossy(&started.stdout).trim().to_owned();
        let mut connection = sqlx::PgConnection::connect(&admin)
            .await
            .map_err(|error| error.to_string())?;
        sqlx::query("CREATE DATABASE bench")
            .execute(&mut connection)
            .await
            .map_err(|error| error.to_string())?;
        let (server, _) = admin.rsplit_once('/').unwrap_or((&admin, ""));
        cluster.url = format!("{server}/bench");
        Ok(cluster)
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        let _ = Command::new(Self::SCRIPT)
            .arg("stop")
            .env("MICROWISH_PG_DIR", Self::DIR)
            .status();
    }
}

/// What one wrk run measured.
struct Measured {
    per_s: f64,
    p50_ms: f64,
    p99_ms: f64,
}

impl std::fmt::Display for Measured {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:.0}/s, p50 {:.1} ms, p99 {:.1} ms",
            self.per_s, self.p50_ms, self.p99_ms
        )
    }
}

#[derive(Default)]
struct Budgets {
    broken: Vec<String>,
}

impl Budgets {
    fn check(&mut self, what: &str, got: f64, at_least: f64) {
        if got < at_least {
            self.broken.push(format!("{what}: {got:.1} < {at_least}"));
        }
    }

    fn check_below(&mut self, what: &str, got: f64, at_most: f64) {
        if got > at_most {
            self.broken.push(format!("{what}: {got:.1} > {at_most}"));
        }
    }

    fn finish(self) {
        if self.broken.is_empty() {
            println!("server budgets: all held");
            return;
        }
        println!("server budgets broken:");
        for line in &self.broken {
            println!("  - {line}");
        }
        std::process::exit(1);
    }
}

/// The release server as its own process, on a fresh database with the demo.
struct Spawned {
    child: Child,
    base: String,
    /// The database's URL.
    database: String,
}

impl Spawned {
    fn serve(dir: &Path) -> Spawned {
        let database = format!("sqlite://{}", dir.join("bench.db").display());
        Spawned::serve_on(dir, &database, true)
    }

    /// A server on `database` (another on the same one when it already has one).
    fn serve_on(dir: &Path, database: &str, demo: bool) -> Spawned {
        Spawned::serve_with(dir, database, demo, &[])
    }

    /// [`Spawned::serve_on`] with more of `serve`'s options.
    fn serve_with(dir: &Path, database: &str, demo: bool, options: &[&str]) -> Spawned {
        let port = free_port();
        let database = database.to_owned();
        let child = Command::new(env!("CARGO_BIN_EXE_microwish-server"))
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .args(demo.then_some("--demo"))
            // Each bench donor makes hundreds of claims; the fair share is not measured here.
            .args([
                "--max-claim-units",
                "10000",
                "--registrations-per-hour",
                "1000",
            ])
            .arg("--database")
            .arg(&database)
            .arg("--dist")
            .arg(dir)
            .args(options)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        let base = format!("http://127.0.0.1:{port}");
        wait_until_up(&format!("{base}/api/health"));
        Spawned {
            child,
            base,
            database,
        }
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// json-server (npm, pinned in package.json) serving `body` at `/wishes`.
struct JsonServer {
    child: Child,
    base: String,
}

impl JsonServer {
    fn serve(dir: &Path, body: &str) -> JsonServer {
        let file = dir.join("json-server.json");
        std::fs::write(&file, format!("{{\"wishes\": {body}}}")).unwrap();
        let port = free_port();
        let program =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../node_modules/.bin/json-server");
        let child = Command::new(&program)
            .args(["--quiet", "--port", &port.to_string()])
            .arg(&file)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|error| {
                panic!(
                    "{} does not run ({error}): run `make bench`",
                    program.display()
                )
            });
        let base = format!("http://127.0.0.1:{port}");
        wait_until_up(&format!("{base}/wishes"));
        JsonServer { child, base }
    }
}

impl Drop for JsonServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

fn wait_until_up(url: &str) {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(30) {
        let up = Command::new("curl")
            .args(["-sf", "-o", "/dev/null", url])
            .status()
            .is_ok_and(|status| status.success());
        if up {
            return;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("{url} did not answer within 30 s");
}

fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Signs up the donors; their session cookies.
async fn register_donors(base: &str) -> Vec<String> {
    register(base, "donor", 136, DONORS).await
}

/// Signs up `count` people of `role`, their phones starting with `prefix`; their cookies.
async fn register(base: &str, role: &str, prefix: u32, count: usize) -> Vec<String> {
    let client = reqwest::Client::new();
    let mut cookies = Vec::with_capacity(count);
    for n in 0..count {
        let response = client
            .post(format!("{base}/api/auth/register"))
            .header("origin", base)
            .json(&serde_json::json!({
                "display_name": format!("压测{n}"),
                "phone": format!("{prefix}{n:08}"),
                "password": "bench-password-2026",
                "role": role,
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201, "a bench {role} registers");
        let cookie = response.headers()["set-cookie"].to_str().unwrap();
        cookies.push(cookie.split(';').next().unwrap().to_owned());
    }
    cookies
}

async fn max_version(db: &SqlitePool) -> i64 {
    sqlx::query_scalar("SELECT MAX(version) FROM change_log")
        .fetch_one(db)
        .await
        .unwrap()
}

async fn stored_claims(db: &SqlitePool) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM claims")
        .fetch_one(db)
        .await
        .unwrap()
}

/// The open item wishes, made big enough that no run fills one.
async fn open_item_wishes(db: &Pool) -> Vec<String> {
    db.execute(
        "UPDATE wishes SET quantity = 10000 WHERE kind = 'item' AND status = 'open'",
        &[],
    )
    .await
    .unwrap();
    let ids: Vec<(String,)> = db
        .fetch_all(
            "SELECT id FROM wishes WHERE kind = 'item' AND status = 'open' ORDER BY id",
            &[],
        )
        .await
        .unwrap();
    ids.into_iter().map(|(id,)| id).collect()
}

/// Every active claim delivered (counters kept true), so that each run starts with the bench
/// donors holding nothing, as the fair share keeps real donors: the rules count a donor's
/// held units on every claim.
async fn deliver_all(db: &Pool) {
    // No claim is being made meanwhile: two statements need no transaction around them.
    db.execute(
        "UPDATE claims SET status = 'delivered' WHERE status = 'active'",
        &[],
    )
    .await
    .unwrap();
    db.execute(
        "UPDATE wishes SET delivered = claimed WHERE kind = 'item'",
        &[],
    )
    .await
    .unwrap();
}

/// `count` more open item wishes, copies of a demo wish, each logged as a change.
async fn add_open_wishes(db: &SqlitePool, pool: &Pool, count: usize) -> Vec<String> {
    let template = open_item_wishes(pool).await.remove(0);
    let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info('wishes')")
        .fetch_all(db)
        .await
        .unwrap();
    let copied: Vec<&str> = columns
        .iter()
        .map(String::as_str)
        .filter(|name| *name != "id")
        .collect();
    let insert = format!(
        "INSERT INTO wishes (id, {list}) SELECT ?, {list} FROM wishes WHERE id = ?",
        list = copied.join(", ")
    );
    let mut tx = db.begin().await.unwrap();
    let mut ids = Vec::with_capacity(count);
    for _ in 0..count {
        let id = WishId::generate().to_string();
        sqlx::query(&insert)
            .bind(&id)
            .bind(&template)
            .execute(&mut *tx)
            .await
            .unwrap();
        sqlx::query("INSERT INTO change_log (entity, entity_id) VALUES ('wish', ?)")
            .bind(&id)
            .execute(&mut *tx)
            .await
            .unwrap();
        ids.push(id);
    }
    tx.commit().await.unwrap();
    ids
}

/// Adds released claims (they hold no units, so every counter stays true) until `target`
/// claims are stored, spread over the bench donors and the open wishes.
async fn top_up_claims(db: &SqlitePool, target: i64) {
    let first = stored_claims(db).await;
    if first >= target {
        return;
    }
    // Numbered copies of the donors and wishes, so that each new claim finds its pair by key.
    let mut conn = db.acquire().await.unwrap();
    for sql in [
        "CREATE TEMP TABLE IF NOT EXISTS bench_donors (k INTEGER PRIMARY KEY, id TEXT NOT NULL)",
        "CREATE TEMP TABLE IF NOT EXISTS bench_wishes (k INTEGER PRIMARY KEY, id TEXT NOT NULL)",
        "DELETE FROM bench_donors",
        "DELETE FROM bench_wishes",
        "INSERT INTO bench_donors (id) SELECT id FROM users WHERE role = 'donor' ORDER BY id",
        "INSERT INTO bench_wishes (id) SELECT id FROM wishes WHERE status = 'open' ORDER BY id",
    ] {
        sqlx::query(sql).execute(&mut *conn).await.unwrap();
    }
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT ?1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2 - 1), \
         sizes AS (SELECT (SELECT COUNT(*) FROM bench_donors) AS d, \
                          (SELECT COUNT(*) FROM bench_wishes) AS w) \
         INSERT INTO claims (id, wish_id, user_id, quantity, status, hold_until, created_at, updated_at) \
         SELECT printf('00000000-0000-7000-8000-%012x', i), w.id, d.id, 1, 'released', \
                '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' \
         FROM n, sizes JOIN bench_donors d ON d.k = n.i % sizes.d + 1 \
         JOIN bench_wishes w ON w.k = n.i % sizes.w + 1",
    )
    .bind(first)
    .bind(target)
    .execute(&mut *conn)
    .await
    .unwrap();
    // The generated claims go into the database file now, as after an import: the run measures
    // claims at this size, not the server checkpointing a bulk load of hundreds of megabytes.
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut *conn)
        .await
        .unwrap();
}

fn wrk_get(base: &str, path: &str, seconds: u32) -> Measured {
    wrk(base, path, seconds, None, CONNECTIONS)
}

/// [`wrk_get`] signed in with `cookie`.
fn wrk_get_as(base: &str, path: &str, cookie: &str, seconds: u32, dir: &Path) -> Measured {
    let script = dir.join("signed-in.lua");
    std::fs::write(&script, format!("wrk.headers[\"cookie\"] = \"{cookie}\"\n")).unwrap();
    wrk(base, path, seconds, Some(&script), CONNECTIONS)
}

/// Claims of one unit, each request by the next donor on the next wish.
fn wrk_claims(base: &str, dir: &Path, cookies: &Path, wishes: &[String], seconds: u32) -> Measured {
    wrk_claims_with(base, dir, cookies, wishes, seconds, CONNECTIONS)
}

/// [`wrk_claims`] with `connections` connections.
fn wrk_claims_with(
    base: &str,
    dir: &Path,
    cookies: &Path,
    wishes: &[String],
    seconds: u32,
    connections: u32,
) -> Measured {
    let wish_file = dir.join("wishes.txt");
    std::fs::write(&wish_file, wishes.join("\n") + "\n").unwrap();
    let script = dir.join("claims.lua");
    std::fs::write(
        &script,
        format!(
            r#"local cookies, wishes = {{}}, {{}}
for line in io.lines("{cookies}") do cookies[#cookies + 1] = line end
for line in io.lines("{wishes}") do wishes[#wishes + 1] = line end
local n = 0
request = function()
  n = n + 1
  return wrk.format("POST", "/api/wishes/" .. wishes[(n % #wishes) + 1] .. "/claims",
    {{["content-type"] = "application/json", ["origin"] = "{base}",
      ["cookie"] = cookies[(n % #cookies) + 1]}}, '{{"quantity":1}}')
end
"#,
            cookies = cookies.display(),
            wishes = wish_file.display(),
        ),
    )
    .unwrap();
    wrk(base, "/", seconds, Some(&script), connections)
}

fn wrk(base: &str, path: &str, seconds: u32, script: Option<&Path>, connections: u32) -> Measured {
    let port = base.rsplit(':').next().unwrap_or_default();
    let report =
        std::env::temp_dir().join(format!("microwish-wrk-{}-{port}.lua", std::process::id()));
    // Our own `done`, so the percentiles come out in a form easy to read back.
    let mut lua = script
        .map(|file| std::fs::read_to_string(file).unwrap())
        .unwrap_or_default();
    lua.push_str(
        r#"
done = function(summary, latency, requests)
  io.write(string.format("MEASURED %d %d %d %d %.3f %.3f\n", summary.requests,
    summary.duration, summary.errors.status, summary.errors.connect + summary.errors.read
    + summary.errors.write + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
"#,
    );
    std::fs::write(&report, lua).unwrap();
    let output = Command::new("wrk")
        .args(["-t2", &format!("-c{connections}"), &format!("-d{seconds}s")])
        .arg("-s")
        .arg(&report)
        .arg(format!("{base}{path}"))
        .output()
        .expect("wrk runs");
    let _ = std::fs::remove_file(&report);
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text
        .lines()
        .find_map(|line| line.strip_prefix("MEASURED "))
        .unwrap_or_else(|| {
            panic!(
                "wrk said: {text}{}",
                String::from_utf8_lossy(&output.stderr)
            )
        });
    let numbers: Vec<f64> = line
        .split_whitespace()
        .map(|n| n.parse().unwrap())
        .collect();
    let [requests, micros, bad_status, socket_errors, p50_ms, p99_ms] = numbers[..] else {
        panic!("wrk's summary: {line}");
    };
    assert_eq!(
        bad_status, 0.0,
        "every request to {path} answered 2xx/3xx ({bad_status} did not)"
    );
    assert_eq!(socket_errors, 0.0, "no socket errors on {path}");
    Measured {
        per_s: requests / (micros / 1e6),
        p50_ms,
        p99_ms,
    }
}
