//! No public endpoint ever carries a household's name, address, phone or notes.

use crate::helpers::spawn_demo_app;

#[tokio::test]
async fn no_public_response_contains_household_details() {
    let app = spawn_demo_app().await;
    let households: Vec<(String, String, String, String)> =
        sqlx::query_as("SELECT name, address, phone, notes FROM households")
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert!(households.len() >= 12);
    let secrets: Vec<String> = households
        .into_iter()
        .flat_map(|(name, address, phone, notes)| [name, address, phone, notes])
        .filter(|secret| !secret.is_empty())
        .collect();

    let mut paths = vec![
        "/api/wishes".to_owned(),
        "/api/wishes?status=open&limit=200".to_owned(),
        "/api/campaigns".to_owned(),
        "/api/stats".to_owned(),
        "/api/grids".to_owned(),
        "/api/health".to_owned(),
    ];
    for wish in app.wishes("?limit=200").await.items {
        paths.push(format!("/api/wishes/{}", wish.id));
        if let Some(campaign) = wish.campaign_id {
            paths.push(format!("/api/campaigns/{campaign}"));
            paths.push(format!("/api/wishes?campaign={campaign}"));
        }
    }
    for path in &paths {
        let body = app.get(path).await.text().await.unwrap();
        for field in [
            "\"household\"",
            "\"household_id\"",
            "\"address\"",
            "\"phone\"",
        ] {
            assert!(!body.contains(field), "{path} has a {field} field: {body}");
        }
        for secret in &secrets {
            assert!(!body.contains(secret.as_str()), "{path} leaks {secret:?}");
        }
    }
}
