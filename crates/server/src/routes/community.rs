//! The community at a glance: `GET /api/grids` and `GET /api/stats`.

use axum::extract::State;
use axum::Json;
use microwish_core::{Grid, Page, Stats};

use sqlx::SqlitePool;

use crate::app::AppState;
use crate::error::ApiResult;
use crate::stored::count;

pub async fn grids(State(state): State<AppState>) -> ApiResult<Json<Page<Grid>>> {
    let items = all_grids(&state.db).await?;
    Ok(Json(Page { items, next: None }))
}

/// Every grid, in the community's order.
pub async fn all_grids(db: &SqlitePool) -> ApiResult<Vec<Grid>> {
    let rows: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT id, name, station, station_location FROM grids ORDER BY position, id",
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, station, station_location)| Grid {
            id,
            name,
            station,
            station_location,
        })
        .collect())
}

pub async fn stats(State(state): State<AppState>) -> ApiResult<Json<Stats>> {
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
    .fetch_one(&state.db)
    .await?;
    // Counted from wishes alone: the households table is private and not read here.
    let (households_helped,): (i64,) = sqlx::query_as(
        "SELECT COUNT(DISTINCT household_id) FROM wishes \
         WHERE household_id IS NOT NULL AND status IN ('fulfilled', 'closed')",
    )
    .fetch_one(&state.db)
    .await?;
    let (pledged_units,): (i64,) = sqlx::query_as("SELECT COALESCE(SUM(quantity), 0) FROM pledges")
        .fetch_one(&state.db)
        .await?;
    let (campaigns,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM campaigns")
        .fetch_one(&state.db)
        .await?;
    Ok(Json(Stats {
        wishes_open: count(wishes_open)?,
        wishes_fulfilled: count(wishes_fulfilled)?,
        wishes_total: count(wishes_total)?,
        units_needed: count(units_needed)?,
        households_helped: count(households_helped)?,
        services_done: count(services_done)?,
        pledged_units: count(pledged_units)?,
        campaigns: count(campaigns)?,
    }))
}
