//! `make bench`: how long the server takes to answer a full pull of 10,000 changed
//! wishes (all pages), over real HTTP on loopback. Prints figures; asserts completeness.

use std::net::SocketAddr;
use std::time::Instant;

use microwish_core::sync::{Change, PullResponse};
use microwish_server::{ServeConfig, Server};

const WISHES: i64 = 10_000;
const ROUNDS: usize = 5;

#[tokio::main]
async fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut config = ServeConfig::new(
        SocketAddr::from(([127, 0, 0, 1], 0)),
        format!("sqlite://{}", dir.path().join("bench.db").display()),
        dir.path().to_path_buf(),
    );
    config.demo = true;
    let (server, _) = Server::build(&config).await.expect("server starts");
    let db = server.state().db.sqlite().expect("a SQLite bench").clone();
    let address = format!("http://{}", server.local_addr().unwrap());
    tokio::spawn(server.run(std::future::pending()));

    // Grow the demo's wishes to 10,000 by copying them, each logged as a change.
    let (demo,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM wishes")
        .fetch_one(&db)
        .await
        .unwrap();
    let ids: Vec<(String,)> = sqlx::query_as("SELECT id FROM wishes")
        .fetch_all(&db)
        .await
        .unwrap();
    let mut tx = db.begin().await.unwrap();
    for copy in 0..(WISHES - demo) {
        let (source,) = &ids[copy as usize % ids.len()];
        let id = microwish_core::WishId::generate().to_string();
        sqlx::query(
            "INSERT INTO wishes (id, kind, title, description, category, status, quantity, unit, alias, \
               beneficiary_group, grid_id, needed_by, campaign_id, created_at, updated_at) \
             SELECT ?, kind, title, description, category, status, quantity, unit, alias, \
               beneficiary_group, grid_id, needed_by, campaign_id, created_at, updated_at FROM wishes WHERE id = ?",
        )
        .bind(&id)
        .bind(source)
        .execute(&mut *tx)
        .await
        .unwrap();
        sqlx::query("INSERT INTO change_log (entity, entity_id) VALUES ('wish', ?)")
            .bind(&id)
            .execute(&mut *tx)
            .await
            .unwrap();
    }
    tx.commit().await.unwrap();

    let client = reqwest::Client::new();
    let client_id = microwish_core::ClientId::generate();
    let mut timings = Vec::new();
    let mut bytes = 0;
    for _ in 0..ROUNDS {
        let started = Instant::now();
        let (mut cursor, mut wishes, mut pages) = (0u64, 0usize, 0usize);
        bytes = 0;
        loop {
            let body = client
                .get(format!(
                    "{address}/api/sync/pull?cursor={cursor}&client_id={client_id}"
                ))
                .send()
                .await
                .unwrap()
                .bytes()
                .await
                .unwrap();
            bytes += body.len();
            let page: PullResponse = serde_json::from_slice(&body).unwrap();
            wishes += page
                .changes
                .iter()
                .filter(|c| matches!(c, Change::Wish { data: Some(_), .. }))
                .count();
            cursor = page.cursor;
            pages += 1;
            if !page.more {
                break;
            }
        }
        assert_eq!(wishes as i64, WISHES, "every wish arrives");
        timings.push((started.elapsed(), pages));
    }
    timings.sort();
    let (median, pages) = timings[ROUNDS / 2];
    println!(
        "sync pull of {WISHES} changed wishes: median {:.0} ms over {ROUNDS} rounds ({pages} pages, {:.1} MB JSON, {:.1} µs per wish)",
        median.as_secs_f64() * 1000.0,
        bytes as f64 / 1e6,
        median.as_secs_f64() * 1e6 / WISHES as f64,
    );
}
