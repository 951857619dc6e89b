//! Campaigns with their progress, derived from their public wishes.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use microwish_core::decide::CampaignRecord;
use microwish_core::{CampaignId, CommunityId, Entity, Progress, PublicCampaign, WishStatus};

use super::sql::{Parsed, Pool, Statement};
use super::{count, day, parse_stored, stamp, CHUNK};
use crate::error::{ApiError, ApiResult};
use crate::store::sync::log_change;
use crate::writer::Tx;

#[derive(sqlx::FromRow)]
struct CampaignRow {
    id: String,
    title: String,
    description: String,
    goal: i64,
    unit: String,
    starts_on: Option<Parsed<NaiveDate>>,
    ends_on: Option<Parsed<NaiveDate>>,
    created_at: Parsed<DateTime<Utc>>,
    community_id: Option<String>,
    ended_at: Option<Parsed<DateTime<Utc>>>,
    wishes: i64,
    wishes_fulfilled: i64,
    units: i64,
    units_claimed: i64,
    units_fulfilled: i64,
}

impl TryFrom<CampaignRow> for PublicCampaign {
    type Error = ApiError;

    fn try_from(row: CampaignRow) -> Result<Self, ApiError> {
        Ok(PublicCampaign {
            id: parse_stored(&row.id)?,
            title: row.title,
            description: row.description,
            goal: count(row.goal)?,
            unit: row.unit,
            starts_on: row.starts_on.map(|day| day.0),
            ends_on: row.ends_on.map(|day| day.0),
            progress: Progress {
                wishes: count(row.wishes)?,
                wishes_fulfilled: count(row.wishes_fulfilled)?,
                units: count(row.units)?,
                units_claimed: count(row.units_claimed)?,
                units_fulfilled: count(row.units_fulfilled)?,
            },
            created_at: row.created_at.0,
            community_id: row.community_id.as_deref().map(parse_stored).transpose()?,
            ended_at: row.ended_at.map(|at| at.0),
        })
    }
}

/// Campaigns with progress over their public wishes, optionally only those with `ids`.
fn query(ids: Option<&[CampaignId]>) -> Statement {
    let mut sql = Statement::new(
        "SELECT c.id, c.title, c.description, c.goal, c.unit, c.starts_on, c.ends_on, c.created_at, \
         c.community_id, c.ended_at, COUNT(w.id) AS wishes, \
         CAST(COALESCE(SUM(CASE WHEN w.status IN ",
    );
    sql.push_list(WishStatus::FULFILLED).push(
        " THEN 1 ELSE 0 END), 0) AS BIGINT) AS wishes_fulfilled, \
         CAST(COALESCE(SUM(w.quantity), 0) AS BIGINT) AS units, \
         CAST(COALESCE(SUM(w.claimed), 0) AS BIGINT) AS units_claimed, \
         CAST(COALESCE(SUM(w.fulfilled), 0) AS BIGINT) AS units_fulfilled \
         FROM campaigns c LEFT JOIN wishes w ON w.campaign_id = c.id AND w.status IN ",
    );
    sql.push_list(WishStatus::PUBLIC);
    if let Some(ids) = ids {
        sql.push(" WHERE c.id IN ");
        sql.push_list(ids);
    }
    sql.push(
        " GROUP BY c.id, c.title, c.description, c.goal, c.unit, c.starts_on, c.ends_on, \
         c.created_at, c.community_id, c.ended_at ORDER BY c.id DESC",
    );
    sql
}

pub async fn all(db: &Pool) -> ApiResult<Vec<PublicCampaign>> {
    let sql = query(None);
    let rows: Vec<CampaignRow> = db.fetch_all(&sql.sql, &sql.args()).await?;
    rows.into_iter().map(PublicCampaign::try_from).collect()
}

pub async fn one(db: &Pool, id: CampaignId) -> ApiResult<Option<PublicCampaign>> {
    let sql = query(Some(&[id]));
    let row: Option<CampaignRow> = db.fetch_optional(&sql.sql, &sql.args()).await?;
    row.map(PublicCampaign::try_from).transpose()
}

/// The given campaigns, by id (for sync pulls).
pub async fn by_ids(
    db: &Pool,
    ids: &[CampaignId],
) -> ApiResult<HashMap<CampaignId, PublicCampaign>> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        let sql = query(Some(chunk));
        let rows: Vec<CampaignRow> = db.fetch_all(&sql.sql, &sql.args()).await?;
        for row in rows {
            let campaign = PublicCampaign::try_from(row)?;
            found.insert(campaign.id, campaign);
        }
    }
    Ok(found)
}

/// Which of `ids` name a campaign, each with the community running it.
pub fn existing(
    tx: &Tx,
    ids: &[CampaignId],
) -> ApiResult<HashMap<CampaignId, Option<CommunityId>>> {
    let found = super::rows_in(
        tx,
        "SELECT id, community_id FROM campaigns WHERE id IN ",
        &[],
        ids,
        |row| {
            let community: Option<String> = row.get(1)?;
            Ok((
                parse_stored(&row.get::<_, String>(0)?)?,
                community.as_deref().map(parse_stored).transpose()?,
            ))
        },
    )?;
    Ok(found.into_iter().collect())
}

/// Adds a campaign a worker started.
pub fn insert(tx: &Tx, campaign: &CampaignRecord, now: DateTime<Utc>) -> ApiResult<()> {
    super::run(
        tx,
        "INSERT INTO campaigns (id, title, description, goal, unit, community_id, starts_on, \
         ends_on, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        crate::args![
            campaign.id.to_string(),
            campaign.title,
            campaign.description,
            campaign.goal,
            campaign.unit,
            campaign.community.to_string(),
            day(campaign.starts_on),
            day(campaign.ends_on),
            stamp(now),
        ],
    )?;
    log_change(tx, Entity::Campaign, &campaign.id.to_string())
}

/// A drive's text, goal and dates, replaced (already checked by core).
pub fn update(tx: &Tx, campaign: &CampaignRecord) -> ApiResult<()> {
    super::run(
        tx,
        "UPDATE campaigns SET title = ?, description = ?, goal = ?, unit = ?, starts_on = ?, \
         ends_on = ? WHERE id = ?",
        crate::args![
            campaign.title,
            campaign.description,
            campaign.goal,
            campaign.unit,
            day(campaign.starts_on),
            day(campaign.ends_on),
            campaign.id.to_string(),
        ],
    )?;
    log_change(tx, Entity::Campaign, &campaign.id.to_string())
}

/// A drive ended early: the first end counts (a retry changes nothing).
pub fn end(tx: &Tx, campaign: CampaignId, at: DateTime<Utc>) -> ApiResult<()> {
    let changed = super::run(
        tx,
        "UPDATE campaigns SET ended_at = ? WHERE id = ? AND ended_at IS NULL",
        crate::args![stamp(at), campaign.to_string()],
    )?;
    if changed > 0 {
        log_change(tx, Entity::Campaign, &campaign.to_string())?;
    }
    Ok(())
}
