//! Shopkeepers' pledges (with their sizes) and the allocations of pledged units to wishes.
//! The database holds the limits itself: a pledge's and a variant's allocated units are
//! written by compare-and-set, and CHECKs keep them within what was pledged.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use microwish_core::decide::{
    AllocationRecord, AllocationState, PledgeRecord, PledgeState, VariantState,
};
use microwish_core::visibility::{self, Viewer};
use microwish_core::{
    AllocationId, AllocationStatus, AllocationView, CommunityId, Entity, HandoverCode,
    HandoverTarget, Pledge, PledgeId, PledgeVariant, RuleError, UserId,
};

use super::sql::{Flag, Parsed};
use super::sql::{Pool, Statement};
use super::{count, day, parse_stored, stamp, Failure, CHUNK};
use crate::error::{ApiError, ApiResult};
use crate::store::sync::log_change;
use crate::writer::Tx;

pub fn insert(
    tx: &Tx,
    pledge: &PledgeRecord,
    shop_name: &str,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    super::run(
        tx,
        "INSERT INTO pledges (id, shop_id, shop_name, item, category, quantity, unit, note, \
         available_from, yearly, created_at, community_id) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        crate::args![
            pledge.id.to_string(),
            pledge.shop.to_string(),
            shop_name,
            pledge.title,
            pledge.category.as_str(),
            pledge.quantity,
            pledge.unit,
            pledge.note,
            pledge.available_from.map(day),
            pledge.yearly,
            stamp(now),
            pledge.community.map(|community| community.to_string()),
        ],
    )?;
    put_variants(tx, pledge, &[])?;
    log_change(tx, Entity::Pledge, &pledge.id.to_string())
}

/// A pledge's sizes in order, each with its units allocated of `allocated` (none for a new one).
fn put_variants(tx: &Tx, pledge: &PledgeRecord, allocated: &[(String, u32)]) -> ApiResult<()> {
    for (position, (label, quantity)) in pledge.variants.iter().enumerate() {
        super::run(
            tx,
            "INSERT INTO pledge_variants (pledge_id, position, label, quantity, allocated) \
             VALUES (?, ?, ?, ?, ?)",
            crate::args![
                pledge.id.to_string(),
                i64::try_from(position).unwrap_or(0),
                label,
                quantity,
                microwish_core::decide::allocated_of(allocated, label),
            ],
        )?;
    }
    Ok(())
}

/// A pledge's fields and sizes, all replaced; the sizes kept keep their units allocated
/// (read under the pledge's lock, and the CHECKs hold every size at or above them).
pub fn update(tx: &Tx, pledge: &PledgeRecord, allocated: &[(String, u32)]) -> ApiResult<()> {
    let id = pledge.id.to_string();
    super::run(
        tx,
        "UPDATE pledges SET item = ?, category = ?, quantity = ?, unit = ?, note = ?, \
         available_from = ?, yearly = ? WHERE id = ?",
        crate::args![
            pledge.title,
            pledge.category.as_str(),
            pledge.quantity,
            pledge.unit,
            pledge.note,
            pledge.available_from.map(day),
            pledge.yearly,
            id.as_str(),
        ],
    )?;
    super::run(
        tx,
        "DELETE FROM pledge_variants WHERE pledge_id = ?",
        crate::args![id.as_str()],
    )?;
    put_variants(tx, pledge, allocated)?;
    log_change(tx, Entity::Pledge, &id)
}

/// The shop took back what was not given out: the first withdrawal counts.
pub fn withdraw(tx: &Tx, pledge: PledgeId, at: DateTime<Utc>) -> ApiResult<()> {
    let changed = super::run(
        tx,
        "UPDATE pledges SET withdrawn_at = ? WHERE id = ? AND withdrawn_at IS NULL",
        crate::args![stamp(at), pledge.to_string()],
    )?;
    if changed > 0 {
        log_change(tx, Entity::Pledge, &pledge.to_string())?;
    }
    Ok(())
}

/// What the rules need to know of the given pledges.
pub fn states(tx: &Tx, ids: &[PledgeId]) -> ApiResult<HashMap<PledgeId, PledgeState>> {
    let mut listed = super::rows_in(
        tx,
        "SELECT pledge_id, position, label, quantity, allocated FROM pledge_variants \
         WHERE pledge_id IN ",
        &[],
        ids,
        |row| {
            let variant = VariantState {
                label: row.get(2)?,
                quantity: count(row.get(3)?)?,
                allocated: count(row.get(4)?)?,
            };
            Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?, variant))
        },
    )?;
    listed.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    let mut variants: HashMap<String, Vec<VariantState>> = HashMap::new();
    for (pledge, _, variant) in listed {
        variants.entry(pledge).or_default().push(variant);
    }
    let rows = super::rows_in_for_update(
        tx,
        "SELECT id, COALESCE(shop_id, ''), quantity, allocated, community_id, \
         withdrawn_at IS NOT NULL FROM pledges WHERE id IN ",
        "pledges",
        &[],
        ids,
        |row| {
            let id: String = row.get(0)?;
            let shop: String = row.get(1)?;
            let state = PledgeState {
                // A pledge from before shops had accounts belongs to nobody who can act.
                shop: shop.parse().unwrap_or(UserId(uuid::Uuid::nil())),
                quantity: count(row.get(2)?)?,
                allocated: count(row.get(3)?)?,
                community: row
                    .get::<_, Option<String>>(4)?
                    .as_deref()
                    .map(parse_stored)
                    .transpose()?,
                variants: variants.remove(&id).unwrap_or_default(),
                withdrawn: row.get(5)?,
            };
            Ok((parse_stored(&id)?, state))
        },
    )?;
    Ok(rows.into_iter().collect())
}

async fn variants_of(db: &Pool, pledge: &str) -> ApiResult<Vec<PledgeVariant>> {
    let rows: Vec<(String, i64, i64)> = db.fetch_all("SELECT label, quantity, allocated FROM pledge_variants WHERE pledge_id = ? ORDER BY position", crate::args![pledge]).await?;
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
pub fn set_allocated(
    tx: &Tx,
    pledge: PledgeId,
    variant: Option<&str>,
    before: (u32, u32),
    after: (u32, u32),
) -> ApiResult<()> {
    let exhausted = |updated: ApiResult<usize>| -> ApiResult<()> {
        match updated {
            Ok(1) => Ok(()),
            // Another allocation took units between our read and this write.
            Ok(_) => Err(RuleError::PledgeExhausted { remaining: 0 }.into()),
            Err(error) if error.is(Failure::Check) => {
                Err(RuleError::PledgeExhausted { remaining: 0 }.into())
            }
            Err(error) => Err(error),
        }
    };
    exhausted(tx.execute(
        "UPDATE pledges SET allocated = ? WHERE id = ? AND allocated = ?",
        crate::args![after.0, pledge.to_string(), before.0],
    ))?;
    if let Some(label) = variant {
        exhausted(tx.execute(
            "UPDATE pledge_variants SET allocated = ? \
                 WHERE pledge_id = ? AND label = ? AND allocated = ?",
            crate::args![after.1, pledge.to_string(), label, before.1],
        ))?;
    }
    log_change(tx, Entity::Pledge, &pledge.to_string())
}

pub fn insert_allocation(
    tx: &Tx,
    allocation: &AllocationRecord,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let code = super::handover::code_for(
        tx,
        HandoverTarget::Allocation(allocation.id),
        allocation.wish,
        now,
    )?;
    super::run(
        tx,
        "INSERT INTO allocations (id, pledge_id, wish_id, variant, quantity, status, created_at, \
         updated_at, handover_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        crate::args![
            allocation.id.to_string(),
            allocation.pledge.to_string(),
            allocation.wish.to_string(),
            allocation.variant,
            allocation.quantity,
            AllocationStatus::Allocated.as_str(),
            stamp(now),
            stamp(now),
            code.to_string(),
        ],
    )?;
    log_change(tx, Entity::Pledge, &allocation.pledge.to_string())
}

/// What the rules need to know of the given allocations.
pub fn allocation_states(
    tx: &Tx,
    ids: &[AllocationId],
) -> ApiResult<HashMap<AllocationId, AllocationState>> {
    let rows = super::rows_in_for_update(
        tx,
        "SELECT id, pledge_id, wish_id, variant, quantity, status FROM allocations WHERE id IN ",
        "allocations",
        &[],
        ids,
        |row| {
            let state = AllocationState {
                pledge: parse_stored(&row.get::<_, String>(1)?)?,
                wish: parse_stored(&row.get::<_, String>(2)?)?,
                variant: row.get(3)?,
                quantity: count(row.get(4)?)?,
                status: parse_stored(&row.get::<_, String>(5)?)?,
            };
            Ok((parse_stored(&row.get::<_, String>(0)?)?, state))
        },
    )?;
    Ok(rows.into_iter().collect())
}

/// Moves an allocation, only if it is still in `from`.
pub fn set_allocation_status(
    tx: &Tx,
    id: AllocationId,
    (from, to): (AllocationStatus, AllocationStatus),
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let updated = super::run(
        tx,
        "UPDATE allocations SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
        crate::args![to.as_str(), stamp(now), id.to_string(), from.as_str()],
    )?;
    super::still_in(updated, from)?;
    log_pledge_of(tx, id)
}

pub fn set_allocation_thanks(
    tx: &Tx,
    id: AllocationId,
    text: &str,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    super::run(
        tx,
        "UPDATE allocations SET thanks = ?, thanked_at = ?, updated_at = ? WHERE id = ?",
        crate::args![text, stamp(now), stamp(now), id.to_string()],
    )?;
    log_pledge_of(tx, id)
}

fn log_pledge_of(tx: &Tx, allocation: AllocationId) -> ApiResult<()> {
    super::run(
        tx,
        "INSERT INTO change_log (entity, entity_id) \
         SELECT ?, pledge_id FROM allocations WHERE id = ?",
        crate::args![Entity::Pledge.as_str(), allocation.to_string()],
    )?;
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
    available_from: Option<Parsed<NaiveDate>>,
    yearly: Flag,
    allocated: i64,
    created_at: Parsed<DateTime<Utc>>,
    community_id: Option<String>,
    withdrawn_at: Option<Parsed<DateTime<Utc>>>,
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
    handover_code: Option<String>,
    wish_community: String,
    created_at: Parsed<DateTime<Utc>>,
    updated_at: Parsed<DateTime<Utc>>,
}

/// Which pledges to read.
pub enum PledgeFilter<'a> {
    /// Those offered to this community or to every community.
    OfferedTo(CommunityId),
    OfShop(UserId),
    Ids(&'a [PledgeId]),
}

/// Pledges with where every unit went (wish title, alias, grid: nothing private), each
/// allocation's hand-over code only where core's visibility shows it to `viewer`.
pub async fn views(
    db: &Pool,
    viewer: Option<&Viewer>,
    filter: PledgeFilter<'_>,
) -> ApiResult<Vec<Pledge>> {
    let mut sql = Statement::new(
        "SELECT id, shop_id, shop_name, item, category, quantity, unit, note, available_from, \
         yearly, allocated, created_at, community_id, withdrawn_at FROM pledges",
    );
    match filter {
        PledgeFilter::OfferedTo(community) => {
            sql.push(" WHERE (community_id IS NULL OR community_id = ")
                .push_bind(community.to_string())
                .push(")");
        }
        PledgeFilter::OfShop(shop) => {
            sql.push(" WHERE shop_id = ").push_bind(shop.to_string());
        }
        PledgeFilter::Ids(ids) => {
            sql.push(" WHERE id IN ");
            sql.push_list(ids);
        }
    }
    sql.push(" ORDER BY created_at DESC, id LIMIT 500");
    let rows: Vec<PledgeRow> = db.fetch_all(&sql.sql, &sql.args()).await?;
    let mut pledges = Vec::with_capacity(rows.len());
    for row in rows {
        let variants = variants_of(db, &row.id).await?;
        let allocations: Vec<AllocationRow> = db.fetch_all("SELECT a.id, a.pledge_id, a.wish_id, w.title, w.alias, w.grid_id, g.name AS grid_name, \
             s.station, a.variant, a.quantity, a.status, a.thanks, a.handover_code, \
             g.community_id AS wish_community, a.created_at, a.updated_at \
             FROM allocations a JOIN wishes w ON w.id = a.wish_id JOIN grids g ON g.id = w.grid_id \
             JOIN grids s ON s.id = COALESCE(w.station_grid_id, w.grid_id) \
             WHERE a.pledge_id = ? ORDER BY a.created_at, a.id", crate::args![&row.id]).await?;
        // A pledge whose shop was removed has none (no viewer is the nil id).
        let shop: UserId = row
            .shop_id
            .as_deref()
            .map(parse_stored)
            .transpose()?
            .unwrap_or(UserId(uuid::Uuid::nil()));
        let allocations = allocations
            .into_iter()
            .map(|a| {
                let community: CommunityId = parse_stored(&a.wish_community)?;
                let sees_code = visibility::allocation_code(viewer, shop, Some(community));
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
                    handover_code: a
                        .handover_code
                        .as_deref()
                        .filter(|_| sees_code)
                        .and_then(HandoverCode::parse),
                    created_at: a.created_at.0,
                    updated_at: a.updated_at.0,
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
            available_from: row.available_from.map(|day| day.0),
            yearly: row.yearly.0,
            note: row.note,
            allocated,
            delivered: 0,
            confirmed: 0,
            // Counted by `recount`.
            remaining: 0,
            allocations,
            created_at: row.created_at.0,
            community_id: row.community_id.as_deref().map(parse_stored).transpose()?,
            withdrawn_at: row.withdrawn_at.map(|at| at.0),
        };
        pledge.recount();
        pledges.push(pledge);
    }
    Ok(pledges)
}

/// The given pledges by id (for pulls).
pub async fn by_ids(
    db: &Pool,
    viewer: Option<&Viewer>,
    ids: &[PledgeId],
) -> ApiResult<HashMap<PledgeId, Pledge>> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        for pledge in views(db, viewer, PledgeFilter::Ids(chunk)).await? {
            found.insert(pledge.id, pledge);
        }
    }
    Ok(found)
}

/// The shop's display name, stored with its pledges as the public name.
pub fn shop_name(tx: &Tx, shop: UserId) -> ApiResult<String> {
    tx.query_row(
        "SELECT display_name FROM users WHERE id = ?",
        crate::args![shop.to_string()],
        |row| row.get(0),
    )?
    .ok_or_else(|| ApiError::Corrupt(format!("no shop {shop}")))
}

/// The pledge an allocation draws from.
pub async fn pledge_of(db: &Pool, allocation: AllocationId) -> ApiResult<Option<PledgeId>> {
    let row: Option<(String,)> = db
        .fetch_optional(
            "SELECT pledge_id FROM allocations WHERE id = ?",
            crate::args![allocation.to_string()],
        )
        .await?;
    row.map(|(id,)| parse_stored(&id)).transpose()
}
