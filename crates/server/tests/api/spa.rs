use crate::helpers::{spawn_app, HASHED_JS, INDEX_HTML};

#[tokio::test]
async fn index_and_client_routes_get_the_app_uncached() {
    let app = spawn_app().await;
    for path in [
        "/",
        "/wishes/0190a0b2-4c1d-7e3f-8a9b-0c1d2e3f4a5b",
        "/campaigns/x",
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
        assert!(response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        assert_eq!(response.text().await.unwrap(), INDEX_HTML);
    }
}

#[tokio::test]
async fn hashed_assets_are_immutable_and_missing_files_are_404() {
    let app = spawn_app().await;
    let response = app.get(&format!("/{HASHED_JS}")).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(app.get("/missing-file.js").await.status(), 404);
}

#[tokio::test]
async fn responses_are_compressed_when_the_browser_accepts_it() {
    let app = spawn_app().await;
    for encoding in ["br", "gzip"] {
        let response = app
            .client
            .get(format!("{}/{HASHED_JS}", app.address))
            .header("accept-encoding", encoding)
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["content-encoding"], encoding);
    }
    let response = app
        .client
        .get(format!("{}/api/wishes", app.address))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
}
