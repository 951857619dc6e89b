//! `cargo bench -p microwish-server --bench costs`: the figures of issue 23's bounded costs.
//!
//! - the anonymous snapshot (`GET /api/sync/pull?cursor=0` without a session) with 300k claims
//!   in the change log: built afresh (without the versioned copy; a visitor's pull reads only
//!   the public kinds of change, where it used to group the whole log: ~114 ms here in release
//!   before, the audit's 160–220 ms) and served from the versioned copy;
//! - the next real login after 450 logins whose clients hung up at 0.5 s (each from its own
//!   address, so that no login limit stops them before their hash).

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use microwish_core::ClientId;
use microwish_server::{ServeConfig, Server};

const CLAIMS: i64 = 300_000;

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = ServeConfig::new(
        SocketAddr::from(([127, 0, 0, 1], 0)),
        format!("sqlite://{}", dir.path().join("bench.db").display()),
        dir.path().to_path_buf(),
    );
    config.demo = true;
    config.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
    config.snapshot_rate = microwish_server::store::limits::Rate {
        interval_ms: 1,
        burst: 1_000_000,
    };
    let (server, _) = Server::build(&config).await.expect("server starts");
    let state = server.state().clone();
    let db = state.db.sqlite().expect("a SQLite bench").clone();
    let base = format!("http://{}", server.local_addr().unwrap());
    tokio::spawn(server.run(std::future::pending()));

    // 300k released claims over the demo's donors and open wishes, each a change.
    let mut conn = db.acquire().await.unwrap();
    for sql in [
        "CREATE TEMP TABLE bench_donors (k INTEGER PRIMARY KEY, id TEXT NOT NULL)",
        "CREATE TEMP TABLE bench_wishes (k INTEGER PRIMARY KEY, id TEXT NOT NULL)",
        "INSERT INTO bench_donors (id) SELECT id FROM users WHERE role = 'donor' ORDER BY id",
        "INSERT INTO bench_wishes (id) SELECT id FROM wishes WHERE status = 'open' ORDER BY id",
    ] {
        sqlx::query(sql).execute(&mut *conn).await.unwrap();
    }
    sqlx::query(
        "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?1 - 1), \
         sizes AS (SELECT (SELECT COUNT(*) FROM bench_donors) AS d, \
                          (SELECT COUNT(*) FROM bench_wishes) AS w) \
         INSERT INTO claims (id, wish_id, user_id, quantity, status, hold_until, created_at, updated_at) \
         SELECT printf('00000000-0000-7000-8000-%012x', i), w.id, d.id, 1, 'released', \
                '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z' \
         FROM n, sizes JOIN bench_donors d ON d.k = n.i % sizes.d + 1 \
         JOIN bench_wishes w ON w.k = n.i % sizes.w + 1",
    )
    .bind(CLAIMS)
    .execute(&mut *conn)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO change_log (entity, entity_id) \
         SELECT 'claim', id FROM claims WHERE id LIKE '00000000-0000-7000-8000-%' ORDER BY id",
    )
    .execute(&mut *conn)
    .await
    .unwrap();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(&mut *conn)
        .await
        .unwrap();
    drop(conn);
    let (logged,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM change_log")
        .fetch_one(&db)
        .await
        .unwrap();

    // Built afresh, without the copy.
    let mut fresh = Vec::new();
    for _ in 0..7 {
        let started = Instant::now();
        microwish_server::sync::pull::uncached(&state, None, 0, ClientId::generate())
            .await
            .unwrap();
        fresh.push(started.elapsed());
    }
    // Over HTTP: the first builds the copy, the rest are served from it.
    let client = reqwest::Client::new();
    let snapshot = || {
        let request = client.get(format!(
            "{base}/api/sync/pull?cursor=0&client_id={}",
            ClientId::generate()
        ));
        async move {
            let started = Instant::now();
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 200);
            response.bytes().await.unwrap();
            started.elapsed()
        }
    };
    let first = snapshot().await;
    let mut cached = Vec::new();
    for _ in 0..51 {
        cached.push(snapshot().await);
    }
    println!(
        "anonymous snapshot, {logged} changes logged ({CLAIMS} claims): built afresh median {:.1} ms; \
         over HTTP first (builds the copy) {:.1} ms, then median {:.2} ms (p99 {:.2} ms)",
        ms(median(&mut fresh)),
        ms(first),
        ms(median(&mut cached)),
        ms(percentile(&mut cached, 0.99)),
    );

    // 450 logins whose clients hang up at 0.5 s, then a real one.
    let hasty = reqwest::Client::builder()
        .timeout(Duration::from_millis(500))
        .build()
        .unwrap();
    let seeded = state.hashing.ran();
    let started = Instant::now();
    let logins: Vec<_> = (0..450u32)
        .map(|n| {
            let request = hasty
                .post(format!("{base}/api/auth/login"))
                .header("x-forwarded-for", format!("10.1.{}.{}", n / 200, n % 200 + 1))
                .json(&serde_json::json!({"phone": format!("1390000{n:04}"), "password": "not-the-password"}));
            tokio::spawn(async move { request.send().await.map(|r| r.status().as_u16()) })
        })
        .collect();
    let (mut hung_up, mut busy, mut answered) = (0, 0, 0);
    for login in logins {
        match login.await.unwrap() {
            Err(_) => hung_up += 1,
            Ok(503) => busy += 1,
            Ok(_) => answered += 1,
        }
    }
    let hashed_before = state.hashing.ran() - seeded;
    let real = Instant::now();
    let response = client
        .post(format!("{base}/api/auth/login"))
        .header("x-forwarded-for", "10.9.9.9")
        .json(&serde_json::json!({"phone": "13800000001", "password": "xingyi-worker-2026"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let real = real.elapsed();
    println!(
        "450 logins hanging up at 0.5 s (over {:.1} s): {answered} answered, {busy} told 503 at once, \
         {hung_up} hung up; hashes computed: {} (skipped as gone: {}); the next real login: {:.0} ms",
        (Instant::now() - started - real).as_secs_f64(),
        hashed_before,
        state.hashing.skipped(),
        ms(real),
    );
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1_000.0
}

fn median(timings: &mut [Duration]) -> Duration {
    percentile(timings, 0.5)
}

fn percentile(timings: &mut [Duration], share: f64) -> Duration {
    timings.sort();
    timings[((timings.len() - 1) as f64 * share).round() as usize]
}
