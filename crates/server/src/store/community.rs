//! Communities, their grids (with the stations) and buildings, and the public figures.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use microwish_core::stats::{self, CountedWish};
use microwish_core::{Building, BuildingId, CommunityId, Entity, Grid, GridId, Stats, WishStatus};

use super::sql::{Pool, Statement};
use super::{count, parse_stored, stamp};
use crate::error::ApiResult;
use crate::store::sync::log_change;
use crate::writer::Tx;

/// Every grid, in the communities' order.
pub async fn grids(db: &Pool) -> ApiResult<Vec<Grid>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: String,
        community_id: String,
        name: String,
        station: String,
        station_location: String,
        station_hours: String,
        station_contact: String,
        station_phone: String,
    }
    let rows: Vec<Row> = db
        .fetch_all(
            "SELECT id, community_id, name, station, station_location, station_hours, \
             station_contact, station_phone FROM grids ORDER BY community_id, position, id",
            crate::args![],
        )
        .await?;
    rows.into_iter()
        .map(|row| {
            Ok(Grid {
                id: row.id.as_str().into(),
                community: parse_stored(&row.community_id)?,
                name: row.name,
                station: row.station,
                station_location: row.station_location,
                station_hours: row.station_hours,
                station_contact: row.station_contact,
                station_phone: row.station_phone,
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

/// Logs every grid of `communities` as changed: every phone pulls them (grids are public), and
/// with the pull its user as they are now (a pairing changes whom a shop may pledge to).
pub fn touch_grids_of(tx: &Tx, communities: &[CommunityId]) -> ApiResult<()> {
    for community in communities {
        let grids = tx.query(
            "SELECT id FROM grids WHERE community_id = ?",
            crate::args![community.to_string()],
            |row| row.get::<_, String>(0),
        )?;
        for grid in grids {
            log_change(tx, Entity::Grid, &grid)?;
        }
    }
    Ok(())
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
        "INSERT INTO grids (id, community_id, name, station, station_location, station_hours, \
         station_contact, station_phone, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        crate::args![
            grid.id.as_str(),
            grid.community.to_string(),
            grid.name,
            grid.station,
            grid.station_location,
            grid.station_hours,
            grid.station_contact,
            grid.station_phone,
            i64::try_from(position).unwrap_or(i64::MAX),
        ],
    )?;
    log_change(tx, Entity::Grid, grid.id.as_str())
}

/// Sets a station's opening hours, contact person and phone (already checked by core's
/// [`microwish_core::validate::station_details`]); phones pull the grid again. Whether the
/// grid was found.
pub fn set_station(
    tx: &Tx,
    grid: &GridId,
    (hours, contact, phone): (&str, &str, &str),
) -> ApiResult<bool> {
    let changed = super::run(
        tx,
        "UPDATE grids SET station_hours = ?, station_contact = ?, station_phone = ? WHERE id = ?",
        crate::args![hours, contact, phone, grid.as_str()],
    )?;
    if changed == 0 {
        return Ok(false);
    }
    log_change(tx, Entity::Grid, grid.as_str())?;
    Ok(true)
}

pub fn insert_building(tx: &Tx, building: &Building, position: usize) -> ApiResult<()> {
    super::run(
        tx,
        "INSERT INTO buildings (id, community_id, grid_id, name, position) \
         SELECT ?, community_id, id, ?, ? FROM grids WHERE id = ?",
        crate::args![
            building.id.to_string(),
            building.name,
            i64::try_from(position).unwrap_or(i64::MAX),
            building.grid.as_str(),
        ],
    )?;
    log_change(tx, Entity::Building, &building.id.to_string())
}

#[derive(sqlx::FromRow)]
struct BuildingRow {
    id: String,
    name: String,
    grid_id: String,
}

impl TryFrom<BuildingRow> for Building {
    type Error = crate::error::ApiError;

    fn try_from(row: BuildingRow) -> ApiResult<Building> {
        Ok(Building {
            id: parse_stored(&row.id)?,
            name: row.name,
            grid: row.grid_id.as_str().into(),
        })
    }
}

/// The buildings of `community` (of every community without one), in their order.
pub async fn buildings(db: &Pool, community: Option<CommunityId>) -> ApiResult<Vec<Building>> {
    let mut sql = Statement::new("SELECT id, name, grid_id FROM buildings");
    if let Some(community) = community {
        sql.push(" WHERE community_id = ")
            .push_bind(community.to_string());
    }
    sql.push(" ORDER BY community_id, position, id");
    let rows: Vec<BuildingRow> = db.fetch_all(&sql.sql, &sql.args()).await?;
    rows.into_iter().map(Building::try_from).collect()
}

/// The buildings with these ids (for a pull).
pub async fn buildings_by_ids(
    db: &Pool,
    ids: &[BuildingId],
) -> ApiResult<HashMap<BuildingId, Building>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut sql = Statement::new("SELECT id, name, grid_id FROM buildings WHERE id IN ");
    sql.push_list(ids);
    let rows: Vec<BuildingRow> = db.fetch_all(&sql.sql, &sql.args()).await?;
    rows.into_iter()
        .map(|row| Building::try_from(row).map(|building| (building.id, building)))
        .collect()
}

/// The buildings a command names (a request is filed in one). Read without a lock: a
/// building never changes once set up.
pub fn building_states(tx: &Tx, ids: &[BuildingId]) -> ApiResult<HashMap<BuildingId, Building>> {
    let rows = super::rows_in(
        tx,
        "SELECT id, name, grid_id FROM buildings WHERE id IN ",
        &[],
        ids,
        |row| {
            let building = Building {
                id: parse_stored(&row.get::<_, String>(0)?)?,
                name: row.get(1)?,
                grid: row.get::<_, String>(2)?.as_str().into(),
            };
            Ok((building.id, building))
        },
    )?;
    Ok(rows.into_iter().collect())
}

/// The public figures of the home page (the requests' rates as of `now`).
pub async fn stats(db: &Pool, now: DateTime<Utc>) -> ApiResult<Stats> {
    // Every published wish, counted by core (households only as ids: never named here).
    let mut sql = Statement::new(
        "SELECT household_id, kind, status, quantity, quantity - claimed FROM wishes \
         WHERE status IN ",
    );
    sql.push_list(WishStatus::PUBLIC);
    let rows: Vec<(Option<String>, String, String, i64, i64)> =
        db.fetch_all(&sql.sql, &sql.args()).await?;
    let wishes = rows
        .into_iter()
        .map(|(household, kind, status, quantity, remaining)| {
            Ok(CountedWish {
                household: household.as_deref().map(parse_stored).transpose()?,
                kind: parse_stored(&kind)?,
                status: parse_stored(&status)?,
                quantity: count(quantity)?,
                remaining: count(remaining)?,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    let (pledged_units,): (i64,) = db
        .fetch_one(
            "SELECT CAST(COALESCE(SUM(quantity), 0) AS BIGINT) FROM pledges",
            crate::args![],
        )
        .await?;
    let (campaigns,): (i64,) = db
        .fetch_one("SELECT COUNT(*) FROM campaigns", crate::args![])
        .await?;
    let requests = super::requests::facts(db, None, now).await?;
    Ok(stats::summary(
        &wishes,
        &requests,
        count(pledged_units)?,
        count(campaigns)?,
    ))
}
