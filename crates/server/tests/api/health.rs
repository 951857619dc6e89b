use crate::helpers::spawn_app;

#[tokio::test]
async fn health_answers_ok_with_the_database_reachable() {
    let app = spawn_app().await;
    let body = app.get_json("/api/health").await;
    assert_eq!(body["status"], "ok");
}

#[tokio::test]
async fn api_answers_are_never_cached() {
    let app = spawn_app().await;
    let response = app.get("/api/health").await;
    assert_eq!(response.headers()["cache-control"], "no-store");
}

/// An acknowledged write survives a power cut, not only a crash: the log is synced on
/// every commit.
#[tokio::test]
async fn the_database_syncs_every_commit() {
    let app = crate::helpers::spawn_app().await;
    let (synchronous,): (i64,) = app
        .db
        .fetch_one("PRAGMA synchronous", microwish_server::args![])
        .await
        .unwrap();
    assert_eq!(synchronous, 2, "FULL");
    let (mode,): (String,) = app
        .db
        .fetch_one("PRAGMA journal_mode", microwish_server::args![])
        .await
        .unwrap();
    assert_eq!(mode, "wal");
}

/// `/api/openapi.json` is OpenAPI 3.1 and lists exactly the API's routes: every operation it
/// lists is routed, and no other method is routed on its paths. (Router and document are built
/// from one list, `routes::api`, whose entries need a handler's `#[utoipa::path]`: no path is
/// routed undocumented. schemathesis fuzzes every operation.)
#[tokio::test]
async fn the_openapi_document_lists_exactly_the_routes() {
    let app = spawn_app().await;
    let doc = app.get_json("/api/openapi.json").await;
    assert_eq!(doc["openapi"], "3.1.0");
    let paths = doc["paths"].as_object().expect("paths");
    assert!(
        paths.contains_key("/api/openapi.json"),
        "{:?}",
        paths.keys()
    );
    for (path, item) in paths {
        let url = path.replace("{id}", &uuid::Uuid::now_v7().to_string());
        let documented = item.as_object().unwrap();
        for method in ["get", "post", "put", "patch", "delete"] {
            if path == "/api/events" && method == "get" {
                continue; // an endless stream; its route is tested in sync
            }
            let response = app
                .send(
                    None,
                    method.to_uppercase().parse().unwrap(),
                    &url,
                    serde_json::json!({}),
                )
                .await;
            let status = response.status().as_u16();
            let body = response.text().await.unwrap_or_default();
            if documented.contains_key(method) {
                assert_ne!(status, 405, "{method} {path}");
                assert!(
                    !(status == 404 && body.contains("API route")),
                    "{method} {path} is documented but not routed: {body}"
                );
            } else {
                assert_eq!(status, 405, "{method} {path} is routed but not documented");
            }
        }
    }
}

/// Two servers started with `--demo` at once on a new database (a rolling deployment's first
/// start): both come up, and the demo is written once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_starting_on_a_new_database_seed_the_demo_once() {
    let dir = tempfile::tempdir().unwrap();
    let config = |dir: &std::path::Path| {
        let mut config = microwish_server::ServeConfig::new(
            std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
            format!("sqlite://{}", dir.join("new.db").display()),
            dir.to_path_buf(),
        );
        config.demo = true;
        config
    };
    let (one, other) = (config(dir.path()), config(dir.path()));
    let (one, other) = tokio::join!(
        microwish_server::Server::build(&one),
        microwish_server::Server::build(&other)
    );
    let (one, other) = (one.expect("one starts"), other.expect("the other starts"));
    let seeded: Vec<_> = [&one.1, &other.1].into_iter().flatten().collect();
    assert_eq!(seeded.len(), 1, "one of them seeded");
    let (grids, wishes): (i64, i64) = one
        .0
        .state()
        .db
        .fetch_one(
            "SELECT (SELECT COUNT(*) FROM grids), (SELECT COUNT(*) FROM wishes)",
            microwish_server::args![],
        )
        .await
        .unwrap();
    assert_eq!(grids, seeded[0].grids as i64);
    assert_eq!(wishes, seeded[0].wishes as i64);
}

/// A first start with a database in a directory that does not exist yet (the default
/// `sqlite://data/microwish.db` on a fresh checkout) creates it.
#[tokio::test]
async fn a_first_start_creates_the_database_directory() {
    let dir = tempfile::tempdir().unwrap();
    let config = microwish_server::ServeConfig::new(
        std::net::SocketAddr::from(([127, 0, 0, 1], 0)),
        format!(
            "sqlite://{}",
            dir.path().join("data/new/microwish.db").display()
        ),
        dir.path().to_path_buf(),
    );
    microwish_server::Server::build(&config)
        .await
        .expect("the server starts");
    assert!(dir.path().join("data/new/microwish.db").exists());
}
