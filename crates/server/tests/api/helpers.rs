use std::net::SocketAddr;

use microwish_core::{Page, PublicWish};
use microwish_server::{ServeConfig, Server};
use serde_json::Value;
use sqlx::SqlitePool;
use tempfile::TempDir;

pub const INDEX_HTML: &str = "<!doctype html><title>微心愿</title>";
pub const HASHED_JS: &str = "microwish-0123456789abcdef.js";

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    /// The app's own pool, for arranging data and reading what the app stored.
    pub db: SqlitePool,
    _dir: TempDir,
}

/// An app with an empty database.
pub async fn spawn_app() -> TestApp {
    spawn(false).await
}

/// An app with the Xingyi community demo data.
pub async fn spawn_demo_app() -> TestApp {
    spawn(true).await
}

async fn spawn(demo: bool) -> TestApp {
    let dir = tempfile::tempdir().expect("temp dir");
    let dist = dir.path().join("dist");
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), INDEX_HTML).unwrap();
    std::fs::write(dist.join(HASHED_JS), "console.log('微心愿 '.repeat(100));").unwrap();
    let config = ServeConfig {
        addr: SocketAddr::from(([127, 0, 0, 1], 0)),
        database_url: format!("sqlite://{}", dir.path().join("test.db").display()),
        dist,
        demo,
    };
    let (server, _) = Server::build(&config).await.expect("server starts");
    let address = format!("http://{}", server.local_addr().unwrap());
    let db = server.state().db.clone();
    tokio::spawn(server.run(std::future::pending()));
    TestApp {
        address,
        client: reqwest::Client::new(),
        db,
        _dir: dir,
    }
}

impl TestApp {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(format!("{}{}", self.address, path))
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

    pub async fn wishes(&self, query: &str) -> Page<PublicWish> {
        let body = self.get_json(&format!("/api/wishes{query}")).await;
        serde_json::from_value(body).expect("a page of public wishes")
    }
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
