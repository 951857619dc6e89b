//! Campaigns with their progress, derived from their public wishes.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use microwish_core::decide::CampaignRecord;
use microwish_core::{CampaignId, Entity, Progress, PublicCampaign, WishStatus};
use sqlx::{QueryBuilder, Sqlite, SqlitePool};

use super::{count, day, parse_stored, push_list, stamp, CHUNK};
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
    starts_on: Option<NaiveDate>,
    ends_on: Option<NaiveDate>,
    created_at: DateTime<Utc>,
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
            starts_on: row.starts_on,
            ends_on: row.ends_on,
            progress: Progress {
                wishes: count(row.wishes)?,
                wishes_fulfilled: count(row.wishes_fulfilled)?,
                units: count(row.units)?,
                units_claimed: count(row.units_claimed)?,
                units_fulfilled: count(row.units_fulfilled)?,
            },
            created_at: row.created_at,
        })
    }
}

/// Campaigns with progress over their public wishes, optionally only those with `ids`.
fn query(ids: Option<&[CampaignId]>) -> QueryBuilder<'static, Sqlite> {
    let mut sql = QueryBuilder::new(
        "SELECT c.id, c.title, c.description, c.goal, c.unit, c.starts_on, c.ends_on, c.created_at, \
         COUNT(w.id) AS wishes, \
         COALESCE(SUM(CASE WHEN w.status IN ('fulfilled', 'closed') THEN 1 ELSE 0 END), 0) AS wishes_fulfilled, \
         COALESCE(SUM(w.quantity), 0) AS units, \
         COALESCE(SUM(w.claimed), 0) AS units_claimed, \
         COALESCE(SUM(w.fulfilled), 0) AS units_fulfilled \
         FROM campaigns c LEFT JOIN wishes w ON w.campaign_id = c.id AND w.status IN ",
    );
    push_list(&mut sql, WishStatus::PUBLIC);
    if let Some(ids) = ids {
        sql.push(" WHERE c.id IN ");
        push_list(&mut sql, ids);
    }
    sql.push(
        " GROUP BY c.id, c.title, c.description, c.goal, c.unit, c.starts_on, c.ends_on, \
         c.created_at ORDER BY c.id DESC",
    );
    sql
}

pub async fn all(db: &SqlitePool) -> ApiResult<Vec<PublicCampaign>> {
    let rows: Vec<CampaignRow> = query(None).build_query_as().fetch_all(db).await?;
    rows.into_iter().map(PublicCampaign::try_from).collect()
}

pub async fn one(db: &SqlitePool, id: CampaignId) -> ApiResult<Option<PublicCampaign>> {
    let row: Option<CampaignRow> = query(Some(&[id]))
        .build_query_as()
        .fetch_optional(db)
        .await?;
    row.map(PublicCampaign::try_from).transpose()
}

/// The given campaigns, by id (for sync pulls).
pub async fn by_ids(
    db: &SqlitePool,
    ids: &[CampaignId],
) -> ApiResult<HashMap<CampaignId, PublicCampaign>> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        let rows: Vec<CampaignRow> = query(Some(chunk)).build_query_as().fetch_all(db).await?;
        for row in rows {
            let campaign = PublicCampaign::try_from(row)?;
            found.insert(campaign.id, campaign);
        }
    }
    Ok(found)
}

/// Which of `ids` name a campaign.
pub fn existing(tx: &Tx, ids: &[CampaignId]) -> ApiResult<std::collections::HashSet<CampaignId>> {
    let found = super::rows_in(
        tx,
        "SELECT id FROM campaigns WHERE id IN ",
        &[],
        ids,
        |row| parse_stored(&row.get::<_, String>(0)?),
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
