//! What a shared link says about itself. A wish's link posted in a building's chat group shows
//! a preview card (title and a line of text) drawn from the page the server answers; these are
//! its words, made from public fields only (title, alias, group, grid, what is still needed),
//! in Chinese, as the page is. The server's page and anything else that names a wish or a
//! campaign in one line use them.

use crate::model::{PublicCampaign, PublicWish, WishStatus};

/// The longest description a preview shows: chat apps cut it near here anyway.
const MAX_DESCRIPTION_CHARS: usize = 90;

/// A link preview's title and line of text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Preview {
    pub title: String,
    pub description: String,
}

/// "一个新书包 · 小明" and "困境儿童 · 一网格 · 还需 1/2 个".
pub fn wish(wish: &PublicWish) -> Preview {
    let group = wish.group.search_words()[0];
    let need = if wish.status == WishStatus::Open && wish.remaining > 0 {
        format!("还需 {}/{} {}", wish.remaining, wish.quantity, wish.unit)
    } else {
        match wish.status {
            WishStatus::Fulfilled => "心愿已圆满,感谢爱心邻里",
            WishStatus::Closed | WishStatus::Cancelled => "心愿已结束,感谢关注",
            _ => "已全部认领,感谢爱心邻里",
        }
        .to_owned()
    };
    Preview {
        title: format!("{} · {}", wish.title, wish.alias),
        description: clip(&format!("{group} · {} · {need}", wish.grid_name)),
    }
}

/// "暖心行动送书包" and "已认领 18/30 个 · 为困境儿童送书包…".
pub fn campaign(campaign: &PublicCampaign) -> Preview {
    let progress = &campaign.progress;
    let goal = if campaign.goal > 0 {
        campaign.goal
    } else {
        progress.units
    };
    let mut description = format!("已认领 {}/{goal} {}", progress.units_claimed, campaign.unit)
        .trim_end()
        .to_owned();
    if !campaign.description.trim().is_empty() {
        description.push_str(" · ");
        description.push_str(campaign.description.trim());
    }
    Preview {
        title: campaign.title.clone(),
        description: clip(&description),
    }
}

/// At most [`MAX_DESCRIPTION_CHARS`] characters, on one line, cut with "…".
fn clip(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if one_line.chars().count() <= MAX_DESCRIPTION_CHARS {
        return one_line;
    }
    let mut cut: String = one_line.chars().take(MAX_DESCRIPTION_CHARS - 1).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{BeneficiaryGroup, Category, Progress, WishKind};
    use crate::{CampaignId, GridId, WishId};
    use chrono::{DateTime, Utc};

    fn school_bag() -> PublicWish {
        PublicWish {
            id: WishId::generate(),
            kind: WishKind::Item,
            title: "一个新书包".into(),
            description: "开学要用".into(),
            category: Category::School,
            status: WishStatus::Open,
            quantity: 2,
            remaining: 1,
            claimed: 1,
            delivered: 0,
            fulfilled: 0,
            unit: "个".into(),
            alias: "小明".into(),
            group: BeneficiaryGroup::ChildInDifficulty,
            grid: GridId::from("grid-1"),
            grid_name: "一网格".into(),
            station: "一网格驿站".into(),
            station_location: "星怡花园32幢东侧".into(),
            needed_by: None,
            campaign_id: None,
            campaign_title: None,
            created_at: DateTime::<Utc>::UNIX_EPOCH,
            updated_at: DateTime::<Utc>::UNIX_EPOCH,
        }
    }

    #[test]
    fn a_wish_is_named_by_its_public_fields() {
        let preview = wish(&school_bag());
        assert_eq!(preview.title, "一个新书包 · 小明");
        assert_eq!(preview.description, "困境儿童 · 一网格 · 还需 1/2 个");
    }

    #[test]
    fn a_wish_nobody_can_claim_any_more_says_so() {
        let mut full = school_bag();
        full.remaining = 0;
        full.status = WishStatus::Claimed;
        assert!(wish(&full).description.ends_with("已全部认领,感谢爱心邻里"));
        full.status = WishStatus::Fulfilled;
        assert!(wish(&full).description.ends_with("心愿已圆满,感谢爱心邻里"));
    }

    #[test]
    fn a_campaign_says_how_far_it_has_come_and_a_long_text_is_cut() {
        let drive = PublicCampaign {
            id: CampaignId::generate(),
            title: "暖心行动送书包".into(),
            description: "为困境儿童送书包。".repeat(20),
            goal: 30,
            unit: "个".into(),
            starts_on: None,
            ends_on: None,
            progress: Progress {
                units: 30,
                units_claimed: 18,
                ..Progress::default()
            },
            created_at: DateTime::<Utc>::UNIX_EPOCH,
            community_id: None,
            ended_at: None,
        };
        let preview = campaign(&drive);
        assert_eq!(preview.title, "暖心行动送书包");
        assert!(preview
            .description
            .starts_with("已认领 18/30 个 · 为困境儿童送书包"));
        assert_eq!(preview.description.chars().count(), MAX_DESCRIPTION_CHARS);
        assert!(preview.description.ends_with('…'));
    }
}
