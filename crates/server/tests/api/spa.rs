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

/// The build compresses its files once, at brotli's best (scripts/precompress.mjs): the server
/// sends those as they are to a browser that takes them, and the plain file to one that does not.
#[tokio::test]
async fn files_compressed_at_build_time_are_sent_as_built() {
    let app = spawn_app().await;
    let wasm = "microwish-0123456789abcdef_bg.wasm";
    std::fs::write(app.state.dist.join(wasm), b"\0asm plain").unwrap();
    std::fs::write(
        app.state.dist.join(format!("{wasm}.br")),
        b"built with brotli",
    )
    .unwrap();
    let get = |encoding: &'static str| {
        app.client
            .get(format!("{}/{wasm}", app.address))
            .header("accept-encoding", encoding)
            .send()
    };

    let response = get("gzip, deflate, br").await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-encoding"], "br");
    assert_eq!(response.headers()["content-type"], "application/wasm");
    assert_eq!(
        response.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(
        response.bytes().await.unwrap().as_ref(),
        b"built with brotli"
    );

    let response = get("identity").await.unwrap();
    assert!(response.headers().get("content-encoding").is_none());
    assert_eq!(response.bytes().await.unwrap().as_ref(), b"\0asm plain");
}
