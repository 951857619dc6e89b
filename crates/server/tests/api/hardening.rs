//! Bad input gets a clear problem+json answer; every response carries security headers.

use microwish_core::{Role, WishKind};
use serde_json::json;

use crate::helpers::{assert_problem, spawn_demo_app};

#[tokio::test]
async fn malformed_or_mistyped_bodies_are_refused_clearly() {
    let app = spawn_demo_app().await;
    let donor = app.register(Role::Donor).await;
    let wish = app.open_wish(WishKind::Item, 1).await;
    let path = app.url(&format!("/api/wishes/{}/claims", wish.id));
    let send = |body: &'static str| {
        app.client
            .post(path.clone())
            .header("cookie", &donor.cookie)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    assert_problem(
        send("{\"quantity\": ").await.unwrap(),
        400,
        "malformed_json",
    )
    .await;
    assert_problem(
        send("{\"quantity\": \"two\"}").await.unwrap(),
        422,
        "invalid_body",
    )
    .await;
    assert_problem(
        send("{\"quantity\": 1e30}").await.unwrap(),
        422,
        "invalid_body",
    )
    .await;
    assert_problem(
        send("{\"quantity\": 1, \"price\": 3}").await.unwrap(),
        422,
        "invalid_body",
    )
    .await;
    for quantity in ["0", "-1", "10001", "9223372036854775807"] {
        let body = format!("{{\"quantity\": {quantity}}}");
        let response = app
            .client
            .post(path.clone())
            .header("cookie", &donor.cookie)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let problem = assert_problem(response, 422, "validation_failed").await;
        assert_eq!(problem["errors"][0]["field"], "quantity", "{quantity}");
    }
    assert_eq!(app.wish(wish.id).await.claimed, 0, "nothing was claimed");
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let app = spawn_demo_app().await;
    let big = format!(
        "{{\"phone\": \"13800000001\", \"password\": \"{}\"}}",
        "x".repeat(70 * 1024)
    );
    let response = app
        .client
        .post(app.url("/api/auth/login"))
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_problem(response, 413, "body_too_large").await;
}

#[tokio::test]
async fn writes_must_be_json_and_same_site() {
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    // A form post (what a cross-site page can send without asking) is refused.
    let form = app
        .client
        .post(app.url("/api/auth/logout"))
        .header("cookie", &worker.cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("a=b")
        .send()
        .await
        .unwrap();
    assert_problem(form, 415, "unsupported_media_type").await;
    let bare = app
        .client
        .post(app.url("/api/auth/logout"))
        .header("cookie", &worker.cookie)
        .send()
        .await
        .unwrap();
    assert_problem(bare, 415, "unsupported_media_type").await;
    let cross = app
        .client
        .post(app.url("/api/auth/logout"))
        .header("cookie", &worker.cookie)
        .header("sec-fetch-site", "cross-site")
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_problem(cross, 403, "cross_site").await;
    // None of those ended the session.
    assert_eq!(app.get_as(&worker, "/api/me").await.status(), 200);
}

#[tokio::test]
async fn every_response_carries_security_headers() {
    let app = spawn_demo_app().await;
    for path in [
        "/api/wishes",
        "/",
        "/wishes/x",
        "/api/nothing",
        "/missing.js",
    ] {
        let response = app.get(path).await;
        let headers = response.headers();
        let csp = headers["content-security-policy"].to_str().unwrap();
        for directive in [
            "script-src 'self' 'wasm-unsafe-eval'",
            "img-src 'self' data: blob:",
            "object-src 'none'",
            "base-uri 'none'",
            "frame-ancestors 'none'",
        ] {
            assert!(csp.contains(directive), "{path}: {csp}");
        }
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
        assert_eq!(headers["referrer-policy"], "no-referrer", "{path}");
    }
}

/// The database, its `-wal` and `-shm` files, a backup and a restored copy hold every
/// household's address and phone: only their owner may read them.
#[cfg(unix)]
#[tokio::test]
async fn database_and_backup_files_are_readable_by_their_owner_alone() {
    use std::os::unix::fs::PermissionsExt;
    if crate::helpers::on_postgres() {
        return;
    }
    let app = spawn_demo_app().await;
    // A write, so that the write-ahead log has something in it.
    app.register(Role::Donor).await;
    let database = app.database_url.trim_start_matches("sqlite://").to_owned();
    let mode = |path: &str| {
        let mode = std::fs::metadata(path).unwrap().permissions().mode();
        format!("{:o}", mode & 0o777)
    };
    for suffix in ["", "-wal", "-shm"] {
        let file = format!("{database}{suffix}");
        assert_eq!(mode(&file), "600", "{file}");
    }
    let dir = tempfile::tempdir().unwrap();
    let backup = dir.path().join("backup.db");
    microwish_server::store::copy_to(&app.db, &backup)
        .await
        .unwrap();
    assert_eq!(mode(backup.to_str().unwrap()), "600");
    let restored = dir.path().join("restored.db");
    let url = format!("sqlite://{}", restored.display());
    microwish_server::db::restore(&backup, &url, false)
        .await
        .unwrap();
    assert_eq!(mode(restored.to_str().unwrap()), "600");
}
