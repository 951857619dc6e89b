use microwish_core::{Page, PublicCampaign, Stats, WishStatus};

use crate::helpers::spawn_demo_app;

#[tokio::test]
async fn campaigns_report_progress_over_their_wishes() {
    let app = spawn_demo_app().await;
    let campaigns: Page<PublicCampaign> =
        serde_json::from_value(app.get_json("/api/campaigns").await).unwrap();
    let titles: Vec<_> = campaigns.items.iter().map(|c| c.title.as_str()).collect();
    assert!(titles.contains(&"暖心行动送书包"), "{titles:?}");
    for campaign in &campaigns.items {
        let mut wishes = Vec::new();
        for status in ["open", "claimed", "fulfilled", "closed"] {
            let query = format!("?campaign={}&status={status}", campaign.id);
            wishes.extend(app.wishes(&query).await.items);
        }
        assert_eq!(campaign.progress.wishes as usize, wishes.len());
        assert_eq!(
            campaign.progress.units,
            wishes.iter().map(|w| w.quantity).sum::<u32>()
        );
        assert_eq!(
            campaign.progress.units_claimed,
            wishes.iter().map(|w| w.claimed).sum::<u32>()
        );
        assert_eq!(
            campaign.progress.wishes_fulfilled as usize,
            wishes
                .iter()
                .filter(|w| matches!(w.status, WishStatus::Fulfilled | WishStatus::Closed))
                .count()
        );
        assert!(campaign.goal > 0 && !campaign.unit.is_empty());

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
    // A running drive, where nothing is claimed yet.
    let campaign = campaigns
        .items
        .iter()
        .find(|campaign| campaign.title == "暖心行动送书包")
        .unwrap();
    assert_eq!(campaign.progress.units_claimed, 0);
    let wish = app
        .wishes(&format!("?campaign={}", campaign.id))
        .await
        .items
        .remove(0);
    app.db.execute("UPDATE wishes SET claimed = quantity, delivered = quantity, fulfilled = quantity, status = 'fulfilled' WHERE id = ?", microwish_server::args![wish.id.to_string()]).await
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
    let open = app.wishes("?status=open&limit=200").await.items;
    let mut public = open.clone();
    let mut done = Vec::new();
    for status in ["claimed", "fulfilled", "closed"] {
        let listed = app
            .wishes(&format!("?status={status}&limit=200"))
            .await
            .items;
        if status != "claimed" {
            done.extend(listed.iter().cloned());
        }
        public.extend(listed);
    }
    assert_eq!(stats.wishes_total as usize, public.len());
    assert_eq!(stats.wishes_open as usize, open.len());
    assert_eq!(stats.wishes_fulfilled as usize, done.len());
    assert_eq!(
        stats.units_needed,
        open.iter().map(|w| w.remaining).sum::<u32>()
    );
    assert_eq!(stats.pledged_units, 104);
    assert_eq!(stats.campaigns, 3);
    // Every demo household has its own alias.
    let helped: std::collections::HashSet<_> = done.iter().map(|w| w.alias.as_str()).collect();
    assert!(helped.len() > 5, "months of history: {helped:?}");
    assert_eq!(stats.households_helped as usize, helped.len());
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
