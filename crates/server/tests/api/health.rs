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
