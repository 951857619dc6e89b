//! The community at a glance: its grids (and stations), its households, the public figures.

use chrono::{DateTime, Utc};
use microwish_core::{BeneficiaryGroup, Entity, Grid, HouseholdId, Stats};
use sqlx::{SqliteConnection, SqlitePool};

use super::count;
use crate::error::ApiResult;
use crate::store::sync::log_change;

/// Every grid, in the community's order.
pub async fn grids(db: &SqlitePool) -> ApiResult<Vec<Grid>> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT id, name, station, station_location FROM grids ORDER BY position, id",
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, station, station_location)| Grid {
            id: id.as_str().into(),
            name,
            station,
            station_location,
        })
        .collect())
}

/// Whether the community has been set up at all.
pub async fn has_grids(db: &SqlitePool) -> ApiResult<bool> {
    let (grids,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM grids")
        .fetch_one(db)
        .await?;
    Ok(grids > 0)
}

pub async fn insert_grid(tx: &mut SqliteConnection, grid: &Grid, position: usize) -> ApiResult<()> {
    sqlx::query(
        "INSERT INTO grids (id, name, station, station_location, position) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(grid.id.as_str())
    .bind(&grid.name)
    .bind(&grid.station)
    .bind(&grid.station_location)
    .bind(i64::try_from(position).unwrap_or(i64::MAX))
    .execute(&mut *tx)
    .await?;
    log_change(tx, Entity::Grid, grid.id.as_str()).await
}

/// A household's private record (workers only; the registry comes in a later change).
pub struct NewHousehold<'a> {
    pub name: &'a str,
    pub address: &'a str,
    pub phone: &'a str,
    pub grid: &'a str,
    pub groups: &'a [BeneficiaryGroup],
    pub notes: &'a str,
}

pub async fn insert_household(
    tx: &mut SqliteConnection,
    id: HouseholdId,
    household: &NewHousehold<'_>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let groups: Vec<&str> = household.groups.iter().map(|g| g.as_str()).collect();
    sqlx::query(
        "INSERT INTO households (id, name, address, phone, grid_id, groups, notes, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(id.to_string())
    .bind(household.name)
    .bind(household.address)
    .bind(household.phone)
    .bind(household.grid)
    .bind(serde_json::to_string(&groups).unwrap_or_default())
    .bind(household.notes)
    .bind(now)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// The public figures of the home page.
pub async fn stats(db: &SqlitePool) -> ApiResult<Stats> {
    let (wishes_open, wishes_fulfilled, wishes_total, units_needed, services_done): (
        i64,
        i64,
        i64,
        i64,
        i64,
    ) = sqlx::query_as(
        "SELECT \
           COALESCE(SUM(CASE WHEN status = 'open' THEN 1 ELSE 0 END), 0), \
           COALESCE(SUM(CASE WHEN status IN ('fulfilled', 'closed') THEN 1 ELSE 0 END), 0), \
           COUNT(*), \
           COALESCE(SUM(CASE WHEN status = 'open' THEN quantity - claimed ELSE 0 END), 0), \
           COALESCE(SUM(CASE WHEN kind = 'service' AND status IN ('fulfilled', 'closed') THEN 1 ELSE 0 END), 0) \
         FROM wishes WHERE status IN ('open', 'claimed', 'fulfilled', 'closed')",
    )
    .fetch_one(db)
    .await?;
    // Counted from wishes alone: the households table is private and not read here.
    let (households_helped,): (i64,) = sqlx::query_as(
        "SELECT COUNT(DISTINCT household_id) FROM wishes \
         WHERE household_id IS NOT NULL AND status IN ('fulfilled', 'closed')",
    )
    .fetch_one(db)
    .await?;
    let (pledged_units,): (i64,) = sqlx::query_as("SELECT COALESCE(SUM(quantity), 0) FROM pledges")
        .fetch_one(db)
        .await?;
    let (campaigns,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM campaigns")
        .fetch_one(db)
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
