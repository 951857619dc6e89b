use crate::helpers::{assert_problem, spawn_demo_app};

#[tokio::test]
async fn unknown_wish_is_a_404_problem() {
    let app = spawn_demo_app().await;
    let unknown = microwish_core::WishId::generate();
    assert_problem(
        app.get(&format!("/api/wishes/{unknown}")).await,
        404,
        "not_found",
    )
    .await;
    assert_problem(app.get("/api/wishes/not-a-uuid").await, 404, "not_found").await;
    assert_problem(
        app.get(&format!("/api/campaigns/{unknown}")).await,
        404,
        "not_found",
    )
    .await;
}

#[tokio::test]
async fn unknown_api_route_is_a_json_404_not_the_spa() {
    let app = spawn_demo_app().await;
    for path in ["/api/nothing-here", "/api/wishes/x/y/z", "/api"] {
        assert_problem(app.get(path).await, 404, "not_found").await;
    }
}

#[tokio::test]
async fn bad_query_is_a_400_problem_naming_the_parameter() {
    let app = spawn_demo_app().await;
    let body = assert_problem(
        app.get("/api/wishes?kind=spaceship").await,
        400,
        "bad_query",
    )
    .await;
    assert!(
        body["detail"].as_str().unwrap().contains("spaceship"),
        "{body}"
    );
    assert_problem(app.get("/api/wishes?limit=-3").await, 400, "bad_query").await;
    assert_problem(app.get("/api/wishes?campaign=nope").await, 400, "bad_query").await;
    assert_problem(app.get("/api/wishes?colour=red").await, 400, "bad_query").await;
}
