//! Communities and their grids (with the stations), and the public figures.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use microwish_core::{CommunityId, Entity, Grid, GridId, Stats, WishKind, WishStatus};

use super::sql::{Pool, Statement};
use super::{count, parse_stored, stamp};
use crate::error::ApiResult;
use crate::store::sync::log_change;
use crate::writer::Tx;

/// Every grid, in the communities' order.
pub async fn grids(db: &Pool) -> ApiResult<Vec<Grid>> {
    let rows: Vec<(String, String, String, String, String)> = db
        .fetch_all(
            "SELECT id, community_id, name, station, station_location FROM grids \
         ORDER BY community_id, position, id",
            crate::args![],
        )
        .await?;
    rows.into_iter()
        .map(|(id, community, name, station, station_location)| {
            Ok(Grid {
                id: id.as_str().into(),
                community: parse_stored(&community)?,
                name,
                station,
                station_location,
            })
        })
        .collect()
}

/// Which community each grid belongs to.
pub fn grid_communities(tx: &Tx) -> ApiResult<HashMap<GridId, CommunityId>> {
    tx.query("SELECT id, community_id FROM grids", &[], |row| {
        let id: String = row.get(0)?;
        Ok((
            GridId::from(id.as_str()),
            parse_stored(&row.get::<_, String>(1)?)?,
        ))
    })
    .map(|rows| rows.into_iter().collect())
}

/// Whether any community has been set up.
pub async fn has_grids(db: &Pool) -> ApiResult<bool> {
    let (grids,): (i64,) = db
        .fetch_one("SELECT COUNT(*) FROM grids", crate::args![])
        .await?;
    Ok(grids > 0)
}

/// [`has_grids`] inside a write: what another server seeding the same database has committed.
pub fn has_grids_now(tx: &Tx) -> ApiResult<bool> {
    let grids: Option<i64> = tx.query_row("SELECT COUNT(*) FROM grids", crate::args![], |row| {
        row.get(0)
    })?;
    Ok(grids.unwrap_or(0) > 0)
}

pub fn insert_community(tx: &Tx, id: CommunityId, name: &str, now: DateTime<Utc>) -> ApiResult<()> {
    super::run(
        tx,
        "INSERT INTO communities (id, name, created_at) VALUES (?, ?, ?)",
        crate::args![id.to_string(), name, stamp(now)],
    )?;
    Ok(())
}

/// Every community: id and name.
pub async fn communities(db: &Pool) -> ApiResult<Vec<(CommunityId, String)>> {
    let rows: Vec<(String, String)> = db
        .fetch_all(
            "SELECT id, name FROM communities ORDER BY name",
            crate::args![],
        )
        .await?;
    rows.into_iter()
        .map(|(id, name)| Ok((parse_stored(&id)?, name)))
        .collect()
}

pub fn insert_grid(tx: &Tx, grid: &Grid, position: usize) -> ApiResult<()> {
    super::run(
        tx,
        "INSERT INTO grids (id, community_id, name, station, station_location, position) \
         VALUES (?, ?, ?, ?, ?, ?)",
        crate::args![
            grid.id.as_str(),
            grid.community.to_string(),
            grid.name,
            grid.station,
            grid.station_location,
            i64::try_from(position).unwrap_or(i64::MAX),
        ],
    )?;
    log_change(tx, Entity::Grid, grid.id.as_str())
}

/// The public figures of the home page.
pub async fn stats(db: &Pool) -> ApiResult<Stats> {
    let (wishes_open, wishes_fulfilled, wishes_total, units_needed, services_done): (
        i64,
        i64,
        i64,
        i64,
        i64,
    ) = {
        let open = WishStatus::Open.as_str();
        let mut sql = Statement::new("SELECT CAST(COALESCE(SUM(CASE WHEN status = ");
        sql.push_bind(open)
            .push(" THEN 1 ELSE 0 END), 0) AS BIGINT), ")
            .push("CAST(COALESCE(SUM(CASE WHEN status IN ")
            .push_list(WishStatus::FULFILLED)
            .push(" THEN 1 ELSE 0 END), 0) AS BIGINT), COUNT(*), ")
            .push("CAST(COALESCE(SUM(CASE WHEN status = ")
            .push_bind(open)
            .push(" THEN quantity - claimed ELSE 0 END), 0) AS BIGINT), ")
            .push("CAST(COALESCE(SUM(CASE WHEN kind = ")
            .push_bind(WishKind::Service.as_str())
            .push(" AND status IN ")
            .push_list(WishStatus::FULFILLED)
            .push(" THEN 1 ELSE 0 END), 0) AS BIGINT) FROM wishes WHERE status IN ")
            .push_list(WishStatus::PUBLIC);
        db.fetch_one(&sql.sql, &sql.args()).await?
    };
    // Counted from wishes alone: the households table is private and not read here.
    let mut sql = Statement::new(
        "SELECT COUNT(DISTINCT household_id) FROM wishes \
         WHERE household_id IS NOT NULL AND status IN ",
    );
    sql.push_list(WishStatus::FULFILLED);
    let (households_helped,): (i64,) = db.fetch_one(&sql.sql, &sql.args()).await?;
    let (pledged_units,): (i64,) = db
        .fetch_one(
            "SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM pledges",
            crate::args![],
        )
        .await?;
    let (campaigns,): (i64,) = db
        .fetch_one("SELECT COUNT(*) FROM campaigns", crate::args![])
        .await?;
    Ok(Stats {
        wishes_open: count(wishes_open)?,
        wishes_fulfilled: count(wishes_fulfilled)?,
        wishes_total: count(wishes_total)?,
        units_needed: count(units_needed)?,
        households_helped: count(households_helped)?,
        services_done: count(services_done)?,
        pledged_units: count(pledged_units)?,
        campaigns: count(campaigns)?,
    })
}
