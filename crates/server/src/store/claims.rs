//! Claims: the views their owners and workers see (with the household's contact only where
//! core's [`may_see_contact`] allows it), the state the rules read, and the rows the
//! commands write.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use microwish_core::command::{may_see_contact, Actor};
use microwish_core::decide::{ClaimState, NewClaim};
use microwish_core::{
    ClaimId, ClaimStatus, ClaimView, Entity, HouseContact, RuleError, UserId, WishId,
};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};

use super::{count, parse_stored, push_list, CHUNK};
use crate::error::{ApiError, ApiResult};
use crate::store::sync::log_change;

/// Which claims to read.
pub enum ClaimFilter<'a> {
    One(ClaimId),
    Ids(&'a [ClaimId]),
    OwnedBy(UserId),
    Status(Option<ClaimStatus>),
}

#[derive(sqlx::FromRow)]
struct ClaimRow {
    id: String,
    wish_id: String,
    user_id: String,
    quantity: i64,
    status: String,
    note: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    hold_until: DateTime<Utc>,
    slot_start: Option<DateTime<Utc>>,
    slot_end: Option<DateTime<Utc>>,
    reject_reason: Option<String>,
    claimer_name: String,
    claimer_role: String,
    household_id: Option<String>,
}

/// The claims `viewer` may see among those `filter` names: their own, or all for workers.
pub async fn views(
    db: &SqlitePool,
    viewer: Actor,
    filter: ClaimFilter<'_>,
) -> ApiResult<Vec<ClaimView>> {
    let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new(
        "SELECT c.id, c.wish_id, c.user_id, c.quantity, c.status, c.note, c.created_at, c.updated_at, \
         c.hold_until, c.slot_start, c.slot_end, c.reject_reason, u.display_name AS claimer_name, \
         u.role AS claimer_role, w.household_id \
         FROM claims c JOIN users u ON u.id = c.user_id JOIN wishes w ON w.id = c.wish_id WHERE ",
    );
    match filter {
        ClaimFilter::One(id) => {
            sql.push("c.id = ").push_bind(id.to_string());
        }
        ClaimFilter::Ids(ids) => {
            sql.push("c.id IN ");
            push_list(&mut sql, ids);
        }
        ClaimFilter::OwnedBy(user) => {
            sql.push("c.user_id = ").push_bind(user.to_string());
        }
        ClaimFilter::Status(Some(status)) => {
            sql.push("c.status = ").push_bind(status.as_str());
        }
        ClaimFilter::Status(None) => {
            sql.push("1 = 1");
        }
    }
    let is_worker = matches!(
        viewer,
        Actor::User {
            role: microwish_core::Role::Worker,
            ..
        }
    );
    if !is_worker {
        // Only workers see other people's claims.
        let viewer_id = viewer
            .user_id()
            .map(|id| id.to_string())
            .unwrap_or_default();
        sql.push(" AND c.user_id = ").push_bind(viewer_id);
    }
    sql.push(" ORDER BY c.id DESC LIMIT 500");
    let rows: Vec<ClaimRow> = sql.build_query_as().fetch_all(db).await?;

    let wish_ids: Vec<WishId> = rows
        .iter()
        .map(|row| parse_stored(&row.wish_id))
        .collect::<Result<_, _>>()?;
    let wishes = super::wishes::by_ids(db, &wish_ids).await?;
    let mut contacts: HashMap<String, HouseContact> = HashMap::new();
    let mut views = Vec::with_capacity(rows.len());
    for row in rows {
        let wish_id: WishId = parse_stored(&row.wish_id)?;
        let wish = wishes
            .get(&wish_id)
            .cloned()
            .ok_or_else(|| ApiError::Corrupt(format!("claim {} names no wish", row.id)))?;
        let status: ClaimStatus = parse_stored(&row.status)?;
        let owner: UserId = parse_stored(&row.user_id)?;
        let contact = match &row.household_id {
            Some(household) if may_see_contact(viewer, owner, wish.kind, status) => {
                Some(household_contact(db, household, &mut contacts).await?)
            }
            _ => None,
        };
        views.push(ClaimView {
            id: parse_stored(&row.id)?,
            wish_id,
            quantity: count(row.quantity)?,
            status,
            note: row.note,
            created_at: row.created_at,
            updated_at: row.updated_at,
            hold_until: row.hold_until,
            slot_start: row.slot_start,
            slot_end: row.slot_end,
            reject_reason: row.reject_reason,
            claimer_id: owner,
            claimer_name: row.claimer_name,
            claimer_role: parse_stored(&row.claimer_role)?,
            wish,
            contact,
        });
    }
    Ok(views)
}

/// One claim as `viewer` may see it; someone else's claim is a 404 to non-workers.
pub async fn view(db: &SqlitePool, id: ClaimId, viewer: Actor) -> ApiResult<ClaimView> {
    views(db, viewer, ClaimFilter::One(id))
        .await?
        .pop()
        .ok_or(ApiError::not_found(Entity::Claim))
}

/// The given claims that `viewer` may see, by id (for sync pulls).
pub async fn views_by_ids(
    db: &SqlitePool,
    viewer: Actor,
    ids: &[ClaimId],
) -> ApiResult<HashMap<ClaimId, ClaimView>> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        for claim in views(db, viewer, ClaimFilter::Ids(chunk)).await? {
            found.insert(claim.id, claim);
        }
    }
    Ok(found)
}

async fn household_contact(
    db: &SqlitePool,
    household: &str,
    cache: &mut HashMap<String, HouseContact>,
) -> ApiResult<HouseContact> {
    if let Some(contact) = cache.get(household) {
        return Ok(contact.clone());
    }
    let (name, address, phone): (String, String, String) =
        sqlx::query_as("SELECT name, address, phone FROM households WHERE id = ?")
            .bind(household)
            .fetch_one(db)
            .await?;
    let contact = HouseContact {
        name,
        address,
        phone,
    };
    cache.insert(household.to_owned(), contact.clone());
    Ok(contact)
}

#[derive(sqlx::FromRow)]
struct StateRow {
    id: String,
    wish_id: String,
    user_id: String,
    quantity: i64,
    status: String,
    slot_start: Option<DateTime<Utc>>,
    slot_end: Option<DateTime<Utc>>,
}

/// What the rules need to know of the given claims.
pub async fn states(
    tx: &mut SqliteConnection,
    ids: &[ClaimId],
) -> ApiResult<HashMap<ClaimId, ClaimState>> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new(
            "SELECT id, wish_id, user_id, quantity, status, slot_start, slot_end FROM claims WHERE id IN ",
        );
        push_list(&mut sql, chunk);
        let rows: Vec<StateRow> = sql.build_query_as().fetch_all(&mut *tx).await?;
        for row in rows {
            found.insert(
                parse_stored(&row.id)?,
                ClaimState {
                    wish_id: parse_stored(&row.wish_id)?,
                    owner: parse_stored(&row.user_id)?,
                    quantity: count(row.quantity)?,
                    status: parse_stored(&row.status)?,
                    slot: row.slot_start.zip(row.slot_end),
                },
            );
        }
    }
    Ok(found)
}

pub async fn insert(
    tx: &mut SqliteConnection,
    new: &NewClaim,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    sqlx::query(
        "INSERT INTO claims (id, wish_id, user_id, quantity, note, status, slot_start, slot_end, \
         hold_until, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(new.id.to_string())
    .bind(new.wish_id.to_string())
    .bind(new.owner.to_string())
    .bind(i64::from(new.quantity))
    .bind(&new.note)
    .bind(ClaimStatus::Active.as_str())
    .bind(new.slot.map(|(start, _)| start))
    .bind(new.slot.map(|(_, end)| end))
    .bind(new.hold_until)
    .bind(now)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    log_change(tx, Entity::Claim, &new.id.to_string()).await
}

/// Moves a claim from `from` to `to`, only if it is still in `from`.
pub async fn set_status(
    tx: &mut SqliteConnection,
    id: ClaimId,
    (from, to): (ClaimStatus, ClaimStatus),
    volunteer_minutes: u32,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let updated = sqlx::query(
        "UPDATE claims SET status = ?, volunteer_minutes = ?, \
         reject_reason = COALESCE(?, reject_reason), updated_at = ? WHERE id = ? AND status = ?",
    )
    .bind(to.as_str())
    .bind(i64::from(volunteer_minutes))
    .bind(reason)
    .bind(now)
    .bind(id.to_string())
    .bind(from.as_str())
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Err(RuleError::InvalidState {
            from: from.as_str(),
            action: to.as_str(),
        }
        .into());
    }
    log_change(tx, Entity::Claim, &id.to_string()).await
}

/// Active claims whose hold ran out by `now`, oldest first.
pub async fn due_for_expiry(db: &SqlitePool, now: DateTime<Utc>) -> ApiResult<Vec<ClaimId>> {
    let rows: Vec<(String,)> = sqlx::query_as(
        "SELECT id FROM claims WHERE status = ? AND hold_until <= ? ORDER BY hold_until",
    )
    .bind(ClaimStatus::Active.as_str())
    .bind(now)
    .fetch_all(db)
    .await?;
    rows.iter().map(|(id,)| parse_stored(id)).collect()
}

/// Volunteer time credited to `user` for confirmed house calls.
pub async fn volunteer_minutes(db: &SqlitePool, user: UserId) -> ApiResult<u32> {
    let (minutes,): (i64,) = sqlx::query_as(
        "SELECT COALESCE(SUM(volunteer_minutes), 0) FROM claims WHERE user_id = ? AND status = ?",
    )
    .bind(user.to_string())
    .bind(ClaimStatus::Confirmed.as_str())
    .fetch_one(db)
    .await?;
    count(minutes)
}
