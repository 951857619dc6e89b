//! `GET /api/campaigns` and `GET /api/campaigns/{id}`: drives with their progress.

use axum::extract::{Path, State};
use axum::Json;
use microwish_core::{Id, Page, Progress, PublicCampaign, WishStatus};
use std::collections::HashMap;

use sqlx::{QueryBuilder, Sqlite, SqlitePool};

use crate::app::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::parse_id;
use crate::stored::{count, parse_stored};

#[derive(sqlx::FromRow)]
struct CampaignRow {
    id: String,
    title: String,
    description: String,
    starts_on: Option<chrono::NaiveDate>,
    ends_on: Option<chrono::NaiveDate>,
    created_at: chrono::DateTime<chrono::Utc>,
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
fn campaigns_query(ids: Option<&[Id]>) -> QueryBuilder<'static, Sqlite> {
    let mut sql = QueryBuilder::new(
        "SELECT c.id, c.title, c.description, c.starts_on, c.ends_on, c.created_at, \
         COUNT(w.id) AS wishes, \
         COALESCE(SUM(CASE WHEN w.status IN ('fulfilled', 'closed') THEN 1 ELSE 0 END), 0) AS wishes_fulfilled, \
         COALESCE(SUM(w.quantity), 0) AS units, \
         COALESCE(SUM(w.claimed), 0) AS units_claimed, \
         COALESCE(SUM(w.fulfilled), 0) AS units_fulfilled \
         FROM campaigns c LEFT JOIN wishes w ON w.campaign_id = c.id AND w.status IN (",
    );
    let mut list = sql.separated(", ");
    for status in WishStatus::PUBLIC {
        list.push_bind(status.as_str());
    }
    sql.push(")");
    if let Some(ids) = ids {
        sql.push(" WHERE c.id IN (");
        let mut list = sql.separated(", ");
        for id in ids {
            list.push_bind(id.to_string());
        }
        sql.push(")");
    }
    sql.push(" GROUP BY c.id, c.title, c.description, c.starts_on, c.ends_on, c.created_at ORDER BY c.id DESC");
    sql
}

pub async fn list(State(state): State<AppState>) -> ApiResult<Json<Page<PublicCampaign>>> {
    let rows: Vec<CampaignRow> = campaigns_query(None)
        .build_query_as()
        .fetch_all(&state.db)
        .await?;
    let items = rows
        .into_iter()
        .map(PublicCampaign::try_from)
        .collect::<Result<_, _>>()?;
    Ok(Json(Page { items, next: None }))
}

/// The given campaigns, by id (for sync pulls).
pub async fn campaigns_by_id(
    db: &SqlitePool,
    ids: &[Id],
) -> ApiResult<HashMap<Id, PublicCampaign>> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(200) {
        let rows: Vec<CampaignRow> = campaigns_query(Some(chunk))
            .build_query_as()
            .fetch_all(db)
            .await?;
        for row in rows {
            let campaign = PublicCampaign::try_from(row)?;
            found.insert(campaign.id, campaign);
        }
    }
    Ok(found)
}

pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<PublicCampaign>> {
    let id = parse_id(&id, "campaign")?;
    let row: Option<CampaignRow> = campaigns_query(Some(&[id]))
        .build_query_as()
        .fetch_optional(&state.db)
        .await?;
    Ok(Json(row.ok_or(ApiError::NotFound("campaign"))?.try_into()?))
}
