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
    let (synchronous,): (i64,) = sqlx::query_as("PRAGMA synchronous")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(synchronous, 2, "FULL");
    let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(mode, "wal");
}
