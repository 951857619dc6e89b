//! Shopkeepers' pledges (with their sizes) and the allocations of pledged units to wishes.
//! The database holds the limits itself: a pledge's and a variant's allocated units are
//! written by compare-and-set, and CHECKs keep them within what was pledged.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use microwish_core::decide::{
    AllocationRecord, AllocationState, PledgeRecord, PledgeState, VariantState,
};
use microwish_core::{
    AllocationId, AllocationStatus, AllocationView, Entity, Pledge, PledgeId, PledgeVariant,
    RuleError, UserId,
};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};

use super::{count, parse_stored, push_list, CHUNK};
use crate::error::{ApiError, ApiResult};
use crate::store::sync::log_change;

pub async fn insert(
    tx: &mut SqliteConnection,
    pledge: &PledgeRecord,
    shop_name: &str,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    sqlx::query(
        "INSERT INTO pledges (id, shop_id, shop_name, item, category, quantity, unit, note, \
         available_from, yearly, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(pledge.id.to_string())
    .bind(pledge.shop.to_string())
    .bind(shop_name)
    .bind(&pledge.title)
    .bind(pledge.category.as_str())
    .bind(i64::from(pledge.quantity))
    .bind(&pledge.unit)
    .bind(&pledge.note)
    .bind(pledge.available_from)
    .bind(pledge.yearly)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    for (position, (label, quantity)) in pledge.variants.iter().enumerate() {
        sqlx::query(
            "INSERT INTO pledge_variants (pledge_id, position, label, quantity) VALUES (?, ?, ?, ?)",
        )
        .bind(pledge.id.to_string())
        .bind(i64::try_from(position).unwrap_or(0))
        .bind(label)
        .bind(i64::from(*quantity))
        .execute(&mut *tx)
        .await?;
    }
    log_change(tx, Entity::Pledge, &pledge.id.to_string()).await
}

/// What the rules need to know of the given pledges.
pub async fn states(
    tx: &mut SqliteConnection,
    ids: &[PledgeId],
) -> ApiResult<HashMap<PledgeId, PledgeState>> {
    let mut found = HashMap::new();
    let rows: Vec<(String, String, i64, i64)> = super::fetch_in(
        tx,
        "SELECT id, COALESCE(shop_id, ''), quantity, allocated FROM pledges WHERE id IN ",
        ids,
    )
    .await?;
    for (id, shop, quantity, allocated) in rows {
        let variants = variants_of(&mut *tx, &id)
            .await?
            .into_iter()
            .map(|variant| VariantState {
                label: variant.label,
                quantity: variant.quantity,
                allocated: variant.allocated,
            })
            .collect();
        found.insert(
            parse_stored(&id)?,
            PledgeState {
                // A pledge from before shops had accounts belongs to nobody who can act.
                shop: shop.parse().unwrap_or(UserId(uuid::Uuid::nil())),
                quantity: count(quantity)?,
                allocated: count(allocated)?,
                variants,
            },
        );
    }
    Ok(found)
}

async fn variants_of(conn: &mut SqliteConnection, pledge: &str) -> ApiResult<Vec<PledgeVariant>> {
    let rows: Vec<(String, i64, i64)> = sqlx::query_as(
        "SELECT label, quantity, allocated FROM pledge_variants WHERE pledge_id = ? ORDER BY position",
    )
    .bind(pledge)
    .fetch_all(&mut *conn)
    .await?;
    rows.into_iter()
        .map(|(label, quantity, allocated)| {
            Ok(PledgeVariant {
                label,
                quantity: count(quantity)?,
                allocated: count(allocated)?,
            })
        })
        .collect()
}

/// A pledge's (and its variant's) allocated units, only if still as read.
pub async fn set_allocated(
    tx: &mut SqliteConnection,
    pledge: PledgeId,
    variant: Option<&str>,
    before: (u32, u32),
    after: (u32, u32),
) -> ApiResult<()> {
    let exhausted = || RuleError::PledgeExhausted { remaining: 0 };
    let updated = sqlx::query("UPDATE pledges SET allocated = ? WHERE id = ? AND allocated = ?")
        .bind(i64::from(after.0))
        .bind(pledge.to_string())
        .bind(i64::from(before.0))
        .execute(&mut *tx)
        .await;
    match updated {
        Ok(done) if done.rows_affected() == 1 => {}
        // Another allocation took units between our read and this write.
        Ok(_) => return Err(exhausted().into()),
        Err(sqlx::Error::Database(error)) if error.is_check_violation() => {
            return Err(exhausted().into())
        }
        Err(error) => return Err(error.into()),
    }
    if let Some(label) = variant {
        let updated = sqlx::query(
            "UPDATE pledge_variants SET allocated = ? WHERE pledge_id = ? AND label = ? AND allocated = ?",
        )
        .bind(i64::from(after.1))
        .bind(pledge.to_string())
        .bind(label)
        .bind(i64::from(before.1))
        .execute(&mut *tx)
        .await;
        match updated {
            Ok(done) if done.rows_affected() == 1 => {}
            Ok(_) => return Err(exhausted().into()),
            Err(sqlx::Error::Database(error)) if error.is_check_violation() => {
                return Err(exhausted().into())
            }
            Err(error) => return Err(error.into()),
        }
    }
    log_change(tx, Entity::Pledge, &pledge.to_string()).await
}

pub async fn insert_allocation(
    tx: &mut SqliteConnection,
    allocation: &AllocationRecord,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    sqlx::query(
        "INSERT INTO allocations (id, pledge_id, wish_id, variant, quantity, status, created_at, \
         updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(allocation.id.to_string())
    .bind(allocation.pledge.to_string())
    .bind(allocation.wish.to_string())
    .bind(&allocation.variant)
    .bind(i64::from(allocation.quantity))
    .bind(AllocationStatus::Allocated.as_str())
    .bind(now)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    log_change(tx, Entity::Pledge, &allocation.pledge.to_string()).await
}

/// What the rules need to know of the given allocations.
pub async fn allocation_states(
    tx: &mut SqliteConnection,
    ids: &[AllocationId],
) -> ApiResult<HashMap<AllocationId, AllocationState>> {
    let mut found = HashMap::new();
    let rows: Vec<(String, String, String, Option<String>, i64, String)> = super::fetch_in(
        tx,
        "SELECT id, pledge_id, wish_id, variant, quantity, status FROM allocations WHERE id IN ",
        ids,
    )
    .await?;
    for (id, pledge, wish, variant, quantity, status) in rows {
        found.insert(
            parse_stored(&id)?,
            AllocationState {
                pledge: parse_stored(&pledge)?,
                wish: parse_stored(&wish)?,
                variant,
                quantity: count(quantity)?,
                status: parse_stored(&status)?,
            },
        );
    }
    Ok(found)
}

/// Moves an allocation, only if it is still in `from`.
pub async fn set_allocation_status(
    tx: &mut SqliteConnection,
    id: AllocationId,
    (from, to): (AllocationStatus, AllocationStatus),
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let updated = sqlx::query(
        "UPDATE allocations SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
    )
    .bind(to.as_str())
    .bind(now)
    .bind(id.to_string())
    .bind(from.as_str())
    .execute(&mut *tx)
    .await?;
    super::still_in(updated.rows_affected(), from.as_str(), to.as_str())?;
    log_pledge_of(tx, id).await
}

pub async fn set_allocation_thanks(
    tx: &mut SqliteConnection,
    id: AllocationId,
    text: &str,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    sqlx::query("UPDATE allocations SET thanks = ?, thanked_at = ?, updated_at = ? WHERE id = ?")
        .bind(text)
        .bind(now)
        .bind(now)
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
    log_pledge_of(tx, id).await
}

async fn log_pledge_of(tx: &mut SqliteConnection, allocation: AllocationId) -> ApiResult<()> {
    sqlx::query(
        "INSERT INTO change_log (entity, entity_id) SELECT ?, pledge_id FROM allocations WHERE id = ?",
    )
    .bind(Entity::Pledge.as_str())
    .bind(allocation.to_string())
    .execute(&mut *tx)
    .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct PledgeRow {
    id: String,
    shop_id: Option<String>,
    shop_name: String,
    item: String,
    category: String,
    quantity: i64,
    unit: String,
    note: String,
    available_from: Option<NaiveDate>,
    yearly: bool,
    allocated: i64,
    created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct AllocationRow {
    id: String,
    pledge_id: String,
    wish_id: String,
    title: String,
    alias: String,
    grid_id: String,
    grid_name: String,
    station: String,
    variant: Option<String>,
    quantity: i64,
    status: String,
    thanks: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

/// Which pledges to read.
pub enum PledgeFilter<'a> {
    All,
    OfShop(UserId),
    Ids(&'a [PledgeId]),
}

/// Pledges with where every unit went (wish title, alias, grid: nothing private).
pub async fn views(db: &SqlitePool, filter: PledgeFilter<'_>) -> ApiResult<Vec<Pledge>> {
    let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new(
        "SELECT id, shop_id, shop_name, item, category, quantity, unit, note, available_from, \
         yearly, allocated, created_at FROM pledges",
    );
    match filter {
        PledgeFilter::All => {}
        PledgeFilter::OfShop(shop) => {
            sql.push(" WHERE shop_id = ").push_bind(shop.to_string());
        }
        PledgeFilter::Ids(ids) => {
            sql.push(" WHERE id IN ");
            push_list(&mut sql, ids);
        }
    }
    sql.push(" ORDER BY created_at DESC, id LIMIT 500");
    let mut conn = db.acquire().await?;
    let rows: Vec<PledgeRow> = sql.build_query_as().fetch_all(&mut *conn).await?;
    let mut pledges = Vec::with_capacity(rows.len());
    for row in rows {
        let variants = variants_of(&mut conn, &row.id).await?;
        let allocations: Vec<AllocationRow> = sqlx::query_as(
            "SELECT a.id, a.pledge_id, a.wish_id, w.title, w.alias, w.grid_id, g.name AS grid_name, \
             s.station, a.variant, a.quantity, a.status, a.thanks, a.created_at, a.updated_at \
             FROM allocations a JOIN wishes w ON w.id = a.wish_id JOIN grids g ON g.id = w.grid_id \
             JOIN grids s ON s.id = COALESCE(w.station_grid_id, w.grid_id) \
             WHERE a.pledge_id = ? ORDER BY a.created_at, a.id",
        )
        .bind(&row.id)
        .fetch_all(&mut *conn)
        .await?;
        let allocations = allocations
            .into_iter()
            .map(|a| {
                Ok(AllocationView {
                    id: parse_stored(&a.id)?,
                    pledge_id: parse_stored(&a.pledge_id)?,
                    wish_id: parse_stored(&a.wish_id)?,
                    wish_title: a.title,
                    alias: a.alias,
                    grid: a.grid_id.as_str().into(),
                    grid_name: a.grid_name,
                    station: a.station,
                    variant: a.variant,
                    quantity: count(a.quantity)?,
                    status: parse_stored(&a.status)?,
                    thanks: a.thanks,
                    created_at: a.created_at,
                    updated_at: a.updated_at,
                })
            })
            .collect::<ApiResult<Vec<_>>>()?;
        let quantity = count(row.quantity)?;
        let allocated = count(row.allocated)?;
        let mut pledge = Pledge {
            id: parse_stored(&row.id)?,
            shop: row
                .shop_id
                .as_deref()
                .map(parse_stored)
                .transpose()?
                .unwrap_or(UserId(uuid::Uuid::nil())),
            shop_name: row.shop_name,
            title: row.item,
            category: parse_stored(&row.category)?,
            quantity,
            unit: row.unit,
            variants,
            available_from: row.available_from,
            yearly: row.yearly,
            note: row.note,
            allocated,
            delivered: 0,
            confirmed: 0,
            remaining: quantity.saturating_sub(allocated),
            allocations,
            created_at: row.created_at,
        };
        pledge.recount();
        pledges.push(pledge);
    }
    Ok(pledges)
}

/// The given pledges by id (for pulls).
pub async fn by_ids(db: &SqlitePool, ids: &[PledgeId]) -> ApiResult<HashMap<PledgeId, Pledge>> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        for pledge in views(db, PledgeFilter::Ids(chunk)).await? {
            found.insert(pledge.id, pledge);
        }
    }
    Ok(found)
}

/// The shop's display name, stored with its pledges as the public name.
pub async fn shop_name(tx: &mut SqliteConnection, shop: UserId) -> ApiResult<String> {
    let row: Option<(String,)> = sqlx::query_as("SELECT display_name FROM users WHERE id = ?")
        .bind(shop.to_string())
        .fetch_optional(&mut *tx)
        .await?;
    row.map(|(name,)| name)
        .ok_or_else(|| ApiError::Corrupt(format!("no shop {shop}")))
}

/// The pledge an allocation draws from.
pub async fn pledge_of(db: &SqlitePool, allocation: AllocationId) -> ApiResult<Option<PledgeId>> {
    let row: Option<(String,)> = sqlx::query_as("SELECT pledge_id FROM allocations WHERE id = ?")
        .bind(allocation.to_string())
        .fetch_optional(db)
        .await?;
    row.map(|(id,)| parse_stored(&id)).transpose()
}
