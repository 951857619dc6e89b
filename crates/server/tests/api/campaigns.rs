use microwish_core::{Page, PublicCampaign, Stats};

use crate::helpers::spawn_demo_app;

#[tokio::test]
async fn campaigns_report_progress_over_their_wishes() {
    let app = spawn_demo_app().await;
    let campaigns: Page<PublicCampaign> =
        serde_json::from_value(app.get_json("/api/campaigns").await).unwrap();
    let titles: Vec<_> = campaigns.items.iter().map(|c| c.title.as_str()).collect();
    assert!(titles.contains(&"暖心行动送书包"), "{titles:?}");
    for campaign in &campaigns.items {
        let wishes = app
            .wishes(&format!("?campaign={}", campaign.id))
            .await
            .items;
        assert_eq!(campaign.progress.wishes as usize, wishes.len());
        assert_eq!(
            campaign.progress.units,
            wishes.iter().map(|w| w.quantity).sum::<u32>()
        );
        assert_eq!(campaign.progress.units_claimed, 0);

        let alone: PublicCampaign = serde_json::from_value(
            app.get_json(&format!("/api/campaigns/{}", campaign.id))
                .await,
        )
        .unwrap();
        assert_eq!(&alone, campaign);
    }
}

#[tokio::test]
async fn campaign_progress_counts_claimed_units() {
    let app = spawn_demo_app().await;
    let campaigns: Page<PublicCampaign> =
        serde_json::from_value(app.get_json("/api/campaigns").await).unwrap();
    let campaign = &campaigns.items[0];
    let wish = app
        .wishes(&format!("?campaign={}", campaign.id))
        .await
        .items
        .remove(0);
    sqlx::query("UPDATE wishes SET claimed = quantity, delivered = quantity, fulfilled = quantity, status = 'fulfilled' WHERE id = ?")
        .bind(wish.id.to_string())
        .execute(&app.db)
        .await
        .unwrap();
    let after: PublicCampaign = serde_json::from_value(
        app.get_json(&format!("/api/campaigns/{}", campaign.id))
            .await,
    )
    .unwrap();
    assert_eq!(after.progress.units_claimed, wish.quantity);
    assert_eq!(after.progress.units_fulfilled, wish.quantity);
    assert_eq!(after.progress.wishes_fulfilled, 1);
}

#[tokio::test]
async fn stats_count_the_demo_community() {
    let app = spawn_demo_app().await;
    let stats: Stats = serde_json::from_value(app.get_json("/api/stats").await).unwrap();
    let all = app.wishes("").await.items;
    assert_eq!(stats.wishes_total as usize, all.len());
    assert_eq!(stats.wishes_open as usize, all.len());
    assert_eq!(
        stats.units_needed,
        all.iter().map(|w| w.remaining).sum::<u32>()
    );
    assert_eq!(stats.pledged_units, 104);
    assert_eq!(stats.campaigns, 2);
    assert_eq!(stats.households_helped, 0);
}

#[tokio::test]
async fn grids_list_the_four_grid_stations() {
    let app = spawn_demo_app().await;
    let body = app.get_json("/api/grids").await;
    let names: Vec<_> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["第一网格", "第二网格", "第三网格", "第四网格"]);
    assert!(body["items"][3]["station"]
        .as_str()
        .unwrap()
        .contains("驿站"));
}
