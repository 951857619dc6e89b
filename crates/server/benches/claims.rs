//! `make bench`: claims per second over real HTTP on loopback, with SQLite syncing every
//! commit (`synchronous=FULL`, what the server runs with) and, for comparison, only at
//! checkpoints (`NORMAL`, which can lose the last acknowledged claims in a power cut).
//! 64 logged-in donors claim one unit each, concurrently; prints claims/s, p50 and p99.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use microwish_server::{ServeConfig, Server};
use sqlx::sqlite::SqliteSynchronous;

const DONORS: usize = 64;
const CLAIMS_PER_DONOR: usize = 40;

#[tokio::main]
async fn main() {
    let mut lines = Vec::new();
    for (name, mode) in [
        ("FULL", SqliteSynchronous::Full),
        ("NORMAL", SqliteSynchronous::Normal),
    ] {
        lines.push(format!("synchronous={name}: {}", run(mode).await));
    }
    for line in lines {
        println!("server: claims over HTTP, {DONORS} donors at once, {line}");
    }
}

async fn run(synchronous: SqliteSynchronous) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = ServeConfig::new(
        SocketAddr::from(([127, 0, 0, 1], 0)),
        format!("sqlite://{}", dir.path().join("bench.db").display()),
        dir.path().to_path_buf(),
    );
    config.demo = true;
    config.synchronous = synchronous;
    let (server, _) = Server::build(&config).await.expect("server starts");
    let db = server.state().db.clone();
    let address = format!("http://{}", server.local_addr().unwrap());
    tokio::spawn(server.run(std::future::pending()));

    // One big wish, so that nobody runs out of units.
    let (wish,): (String,) = sqlx::query_as(
        "SELECT id FROM wishes WHERE kind = 'item' AND status = 'open' ORDER BY id LIMIT 1",
    )
    .fetch_one(&db)
    .await
    .unwrap();
    sqlx::query("UPDATE wishes SET quantity = 10000 WHERE id = ?")
        .bind(&wish)
        .execute(&db)
        .await
        .unwrap();

    let client = reqwest::Client::new();
    let mut cookies = Vec::with_capacity(DONORS);
    for n in 0..DONORS {
        let response = client
            .post(format!("{address}/api/auth/register"))
            .json(&serde_json::json!({
                "display_name": format!("压测{n}"),
                "phone": format!("136{n:08}"),
                "password": "bench-password-2026",
                "role": "donor",
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        let cookie = response.headers()["set-cookie"].to_str().unwrap();
        cookies.push(cookie.split(';').next().unwrap().to_owned());
    }

    let started = Instant::now();
    let mut tasks = Vec::new();
    for cookie in cookies {
        let client = client.clone();
        let url = format!("{address}/api/wishes/{wish}/claims");
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::with_capacity(CLAIMS_PER_DONOR);
            for _ in 0..CLAIMS_PER_DONOR {
                let sent = Instant::now();
                let response = client
                    .post(&url)
                    .header("cookie", &cookie)
                    .json(&serde_json::json!({"quantity": 1}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 201);
                latencies.push(sent.elapsed());
            }
            latencies
        }));
    }
    let mut latencies: Vec<Duration> = Vec::new();
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let (claimed,): (i64,) = sqlx::query_as("SELECT claimed FROM wishes WHERE id = ?")
        .bind(&wish)
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(
        claimed as usize,
        DONORS * CLAIMS_PER_DONOR,
        "every claim counted"
    );
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    format!(
        "{:.0} claims/s, p50 {:.1} ms, p99 {:.1} ms ({} claims)",
        latencies.len() as f64 / elapsed.as_secs_f64(),
        at(0.50).as_secs_f64() * 1000.0,
        at(0.99).as_secs_f64() * 1000.0,
        latencies.len()
    )
}
