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

#[tokio::test]
async fn a_worker_edits_and_ends_their_own_drive_and_no_other() {
    use reqwest::Method;
    use serde_json::json;
    let app = spawn_demo_app().await;
    let worker = app.worker().await;
    let campaigns: Page<PublicCampaign> =
        serde_json::from_value(app.get_json("/api/campaigns").await).unwrap();
    let today = microwish_core::clock::community_today(chrono::Utc::now());
    let drive = campaigns
        .items
        .iter()
        .find(|campaign| campaign.is_running(today))
        .expect("a running demo drive")
        .clone();
    let path = format!("/api/campaigns/{}", drive.id);

    // Only what is sent changes.
    let response = app
        .send(
            Some(&worker),
            Method::PATCH,
            &path,
            json!({"goal": 50, "title": "暖心行动送书包(加量)"}),
        )
        .await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let changed: PublicCampaign = response.json().await.unwrap();
    assert_eq!(
        (changed.goal, changed.title.as_str()),
        (50, "暖心行动送书包(加量)")
    );
    assert_eq!(
        (changed.starts_on, changed.ends_on),
        (drive.starts_on, drive.ends_on)
    );
    // Checked as a new drive is.
    let response = app
        .send(
            Some(&worker),
            Method::PATCH,
            &path,
            json!({"ends_on": "2000-01-01"}),
        )
        .await;
    assert_eq!(response.status(), 422);
    let response = app
        .send(
            Some(&worker),
            Method::PATCH,
            &path,
            json!({"colour": "red"}),
        )
        .await;
    assert_eq!(response.status(), 422, "unknown fields are refused");

    // Another community's worker, a donor, a visitor: nothing.
    let other = app.other_worker().await;
    let donor = app.register(microwish_core::Role::Donor).await;
    let end = format!("{path}/end");
    assert_eq!(
        app.send(Some(&other), Method::POST, &end, json!({}))
            .await
            .status(),
        404
    );
    assert_eq!(
        app.send(Some(&other), Method::PATCH, &path, json!({"goal": 1}))
            .await
            .status(),
        404
    );
    assert_eq!(
        app.send(Some(&donor), Method::POST, &end, json!({}))
            .await
            .status(),
        403
    );
    assert_eq!(
        app.send(None, Method::POST, &end, json!({})).await.status(),
        401
    );

    // Ended early: no longer running; a retry changes nothing.
    let response = app.send(Some(&worker), Method::POST, &end, json!({})).await;
    assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
    let ended: PublicCampaign = response.json().await.unwrap();
    let at = ended.ended_at.expect("ended");
    assert!(!ended.is_running(today) && ended.has_ended(today));
    let again: PublicCampaign = app
        .send(Some(&worker), Method::POST, &end, json!({}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again.ended_at, Some(at));
    let public: PublicCampaign = serde_json::from_value(app.get_json(&path).await).unwrap();
    assert_eq!(public.ended_at, Some(at), "everyone sees it ended");
}
