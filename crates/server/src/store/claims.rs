//! Claims: the views their owners and workers see (which claims, and which of their fields,
//! as core's [`visibility`] says), the state the rules read, and the rows the commands write.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use microwish_core::decide::{ClaimState, NewClaim};
use microwish_core::visibility::{self, ClaimScope, SeenClaim};
use microwish_core::HandoverCode;
use microwish_core::{
    ClaimId, ClaimStatus, ClaimView, CommunityId, Entity, HandoverTarget, HouseContact,
    HouseholdId, Phone, PublicWish, UserId, WishId, WishKind,
};

use super::{count, parse_stored, stamp, stored_time, CHUNK};
use crate::error::{ApiError, ApiResult};
use crate::store::sql::{Db, Pool, Row, Statement, Value};
use crate::store::sync::log_change;
use crate::store::users::User;
use crate::writer::Tx;

/// Which claims to read.
pub enum ClaimFilter<'a> {
    One(ClaimId),
    Ids(&'a [ClaimId]),
    OwnedBy(UserId),
    Status(Option<ClaimStatus>),
}

/// A claim with its wish's public view, in one row (the claim's columns named `claim_…` where
/// the wish's have the same name).
struct ClaimRow {
    id: String,
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
    thanks: Option<String>,
    handover_code: Option<String>,
    claimer_name: String,
    claimer_role: String,
    claimer_phone: String,
    household_id: Option<String>,
    /// The community of the claim's wish.
    community: String,
    wish: super::wishes::WishRow,
}

impl ClaimRow {
    fn read(row: &Row) -> ApiResult<ClaimRow> {
        let time = |column: &str| -> ApiResult<DateTime<Utc>> {
            stored_time(&row.get::<_, String>(column)?)
        };
        let maybe_time = |column: &str| -> ApiResult<Option<DateTime<Utc>>> {
            row.get::<_, Option<String>>(column)?
                .as_deref()
                .map(stored_time)
                .transpose()
        };
        Ok(ClaimRow {
            id: row.get("claim_id")?,
            user_id: row.get("user_id")?,
            quantity: row.get("claim_quantity")?,
            status: row.get("claim_status")?,
            note: row.get("note")?,
            created_at: time("claim_created_at")?,
            updated_at: time("claim_updated_at")?,
            hold_until: time("hold_until")?,
            slot_start: maybe_time("slot_start")?,
            slot_end: maybe_time("slot_end")?,
            reject_reason: row.get("reject_reason")?,
            thanks: row.get("thanks")?,
            handover_code: row.get("handover_code")?,
            claimer_name: row.get("claimer_name")?,
            claimer_role: row.get("claimer_role")?,
            claimer_phone: row.get("claimer_phone")?,
            household_id: row.get("household_id")?,
            community: row.get("wish_community")?,
            wish: super::wishes::WishRow::read(row)?,
        })
    }
}

/// Claims as a viewer sees them, with the households whose real names they show: a worker's
/// read of a house call's contact, which the caller logs as it logs a household's read
/// ([`crate::store::events::record_reads`]).
#[derive(Debug)]
pub struct Named<T> {
    pub views: T,
    pub households: Vec<HouseholdId>,
}

/// The claims `viewer` may see among those `filter` names: their own, or, for a worker,
/// every claim on their community's wishes (newest first, at most 500).
pub fn views(db: &Db, viewer: &User, filter: ClaimFilter<'_>) -> ApiResult<Named<Vec<ClaimView>>> {
    select(db, viewer, filter, None, 500).map(Into::into)
}

/// A page of [`views`], newest first: `query.cursor` is the `next` of the page before.
pub fn page(
    db: &Db,
    viewer: &User,
    filter: ClaimFilter<'_>,
    query: &microwish_core::PageQuery,
) -> ApiResult<Named<microwish_core::Page<ClaimView>>> {
    let before = match query.cursor.as_deref().filter(|text| !text.is_empty()) {
        None => None,
        Some(text) => Some(text.parse::<ClaimId>().map_err(|_| {
            ApiError::bad_request(
                microwish_core::ProblemCode::BadQuery,
                format!("invalid cursor {text:?}"),
            )
        })?),
    };
    let limit = query.page_size();
    let selected = select(db, viewer, filter, before, i64::from(limit) + 1)?;
    let more = selected.views.len() > limit as usize;
    let mut named = Vec::new();
    let mut items = selected.views;
    items.truncate(limit as usize);
    for (claim, household) in &selected.households_by_claim {
        if items.iter().any(|view| view.id == *claim) && !named.contains(household) {
            named.push(*household);
        }
    }
    let next = items
        .last()
        .filter(|_| more)
        .map(|claim| claim.id.to_string());
    Ok(Named {
        views: microwish_core::Page { items, next },
        households: named,
    })
}

/// What [`select`] found: the views, and for each view naming a household, which.
struct Selected {
    views: Vec<ClaimView>,
    households_by_claim: Vec<(ClaimId, HouseholdId)>,
}

impl From<Selected> for Named<Vec<ClaimView>> {
    fn from(selected: Selected) -> Self {
        let mut households = Vec::new();
        for (_, household) in selected.households_by_claim {
            if !households.contains(&household) {
                households.push(household);
            }
        }
        Named {
            views: selected.views,
            households,
        }
    }
}

fn select(
    db: &Db,
    viewer: &User,
    filter: ClaimFilter<'_>,
    before: Option<ClaimId>,
    limit: i64,
) -> ApiResult<Selected> {
    // The wish's public view comes in the same row: one query, not one more for the wishes.
    let mut sql = String::from(concat!(
        "SELECT cl.id AS claim_id, cl.user_id, cl.quantity AS claim_quantity, \
         cl.status AS claim_status, cl.note, cl.created_at AS claim_created_at, \
         cl.updated_at AS claim_updated_at, cl.hold_until, cl.slot_start, cl.slot_end, \
         cl.reject_reason, cl.thanks, cl.handover_code, u.display_name AS claimer_name, \
         u.role AS claimer_role, \
         u.phone AS claimer_phone, w.household_id, g.community_id AS wish_community, ",
        super::wishes::public_wish_columns!(),
        " FROM claims cl JOIN users u ON u.id = cl.user_id JOIN wishes w ON w.id = cl.wish_id ",
        super::wishes::public_wish_joins!(),
        " WHERE "
    ));
    let mut values: Vec<Value> = Vec::new();
    match filter {
        ClaimFilter::One(id) => {
            sql.push_str("cl.id = ?");
            values.push(Value::text(id.to_string()));
        }
        ClaimFilter::Ids(ids) => {
            sql.push_str(&format!("cl.id IN ({})", vec!["?"; ids.len()].join(", ")));
            values.extend(ids.iter().map(|id| Value::text(id.to_string())));
        }
        ClaimFilter::OwnedBy(user) => {
            sql.push_str("cl.user_id = ?");
            values.push(Value::text(user.to_string()));
        }
        ClaimFilter::Status(Some(status)) => {
            sql.push_str("cl.status = ?");
            values.push(Value::text(status.as_str().to_owned()));
        }
        ClaimFilter::Status(None) => {
            sql.push_str("1 = 1");
        }
    }
    let viewer = viewer.viewer();
    match visibility::claim_scope(Some(&viewer)) {
        ClaimScope::Community(community) => {
            sql.push_str(" AND g.community_id = ?");
            values.push(Value::text(community.to_string()));
        }
        ClaimScope::Own(user) => {
            sql.push_str(" AND cl.user_id = ?");
            values.push(Value::text(user.to_string()));
        }
        ClaimScope::Nothing => {
            return Ok(Selected {
                views: Vec::new(),
                households_by_claim: Vec::new(),
            })
        }
    }
    if let Some(before) = before {
        sql.push_str(" AND cl.id < ?");
        values.push(Value::text(before.to_string()));
    }
    sql.push_str(" ORDER BY cl.id DESC LIMIT ?");
    values.push(Value::Int(limit));
    let args: Vec<&dyn crate::store::sql::Arg> = values.iter().map(|value| value as _).collect();
    let rows = db.query(&sql, &args, ClaimRow::read)?;

    let mut views = Vec::with_capacity(rows.len());
    let mut households_by_claim = Vec::new();
    for row in rows {
        let alias = row.wish.alias.clone();
        let wish = PublicWish::try_from(row.wish)?;
        let wish_id = wish.id;
        let status: ClaimStatus = parse_stored(&row.status)?;
        let owner: UserId = parse_stored(&row.user_id)?;
        let seen = SeenClaim {
            owner,
            community: Some(parse_stored::<CommunityId>(&row.community)?),
            kind: wish.kind,
            status,
        };
        // The scope above is the SQL form of the same rule: a row it let through is visible.
        let Some(sight) = visibility::claim(Some(&viewer), seen) else {
            continue;
        };
        let id: ClaimId = parse_stored(&row.id)?;
        let contact = match (&row.household_id, sight.contact) {
            (Some(household), Some(contact)) => {
                if contact.name {
                    households_by_claim.push((id, parse_stored(household)?));
                }
                Some(household_contact(db, household, &alias, contact.name)?)
            }
            _ => None,
        };
        views.push(ClaimView {
            id,
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
            claimer_phone: sight
                .claimer_phone
                .then(|| Phone::parse(&row.claimer_phone).ok())
                .flatten(),
            thanks: row.thanks,
            handover_code: row
                .handover_code
                .as_deref()
                .filter(|_| sight.handover_code)
                .and_then(HandoverCode::parse),
            wish,
            contact,
        });
    }
    Ok(Selected {
        views,
        households_by_claim,
    })
}

/// One claim as `viewer` may see it; someone else's claim is a 404 to non-workers.
pub fn view(db: &Db, id: ClaimId, viewer: &User) -> ApiResult<Named<ClaimView>> {
    let found = views(db, viewer, ClaimFilter::One(id))?;
    let households = found.households;
    let view = found
        .views
        .into_iter()
        .next()
        .ok_or(ApiError::not_found(Entity::Claim))?;
    Ok(Named {
        views: view,
        households,
    })
}

/// The given claims that `viewer` may see, by id (for sync pulls).
pub fn views_by_ids(
    db: &Db,
    viewer: &User,
    ids: &[ClaimId],
) -> ApiResult<Named<HashMap<ClaimId, ClaimView>>> {
    let mut found = HashMap::new();
    let mut households = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let named = views(db, viewer, ClaimFilter::Ids(chunk))?;
        for household in named.households {
            if !households.contains(&household) {
                households.push(household);
            }
        }
        for claim in named.views {
            found.insert(claim.id, claim);
        }
    }
    Ok(Named {
        views: found,
        households,
    })
}

/// Where a house call goes: the address and phone, the alias to greet them by, and the real
/// name for workers only.
fn household_contact(
    db: &Db,
    household: &str,
    alias: &str,
    with_name: bool,
) -> ApiResult<HouseContact> {
    let (name, address, phone): (String, String, String) = db
        .query_row(
            "SELECT name, address, phone FROM households WHERE id = ?",
            crate::args![household],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )?
        .ok_or(ApiError::NotFound("household"))?;
    Ok(HouseContact {
        alias: alias.to_owned(),
        address,
        phone,
        name: with_name.then_some(name),
    })
}

/// What the rules need to know of the given claims.
pub fn states(tx: &Tx, ids: &[ClaimId]) -> ApiResult<HashMap<ClaimId, ClaimState>> {
    let rows = super::rows_in_for_update(
        tx,
        "SELECT id, wish_id, user_id, quantity, status, slot_start, slot_end \
         FROM claims WHERE id IN ",
        "claims",
        &[],
        ids,
        |row| {
            let time = |index| -> ApiResult<Option<DateTime<Utc>>> {
                row.get::<_, Option<String>>(index)?
                    .as_deref()
                    .map(stored_time)
                    .transpose()
            };
            let state = ClaimState {
                wish_id: parse_stored(&row.get::<_, String>(1)?)?,
                owner: parse_stored(&row.get::<_, String>(2)?)?,
                quantity: count(row.get(3)?)?,
                status: parse_stored(&row.get::<_, String>(4)?)?,
                slot: time(5)?.zip(time(6)?),
            };
            Ok((parse_stored(&row.get::<_, String>(0)?)?, state))
        },
    )?;
    Ok(rows.into_iter().collect())
}

pub fn insert(tx: &Tx, new: &NewClaim, now: DateTime<Utc>) -> ApiResult<()> {
    // An item is handed over at the station (a house call, the only claim with a slot, is not).
    let code = match new.slot {
        None => Some(super::handover::code_for(
            tx,
            HandoverTarget::Claim(new.id),
            new.wish_id,
            now,
        )?),
        Some(_) => None,
    };
    super::run(
        tx,
        "INSERT INTO claims (id, wish_id, user_id, quantity, note, status, slot_start, slot_end, \
         hold_until, created_at, updated_at, handover_code) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        crate::args![
            new.id.to_string(),
            new.wish_id.to_string(),
            new.owner.to_string(),
            new.quantity,
            new.note,
            ClaimStatus::Active.as_str(),
            new.slot.map(|(start, _)| stamp(start)),
            new.slot.map(|(_, end)| stamp(end)),
            stamp(new.hold_until),
            stamp(now),
            stamp(now),
            code.map(|code| code.to_string()),
        ],
    )?;
    log_change(tx, Entity::Claim, &new.id.to_string())
}

/// Moves a claim from `from` to `to`, only if it is still in `from`.
pub fn set_status(
    tx: &Tx,
    id: ClaimId,
    (from, to): (ClaimStatus, ClaimStatus),
    volunteer_minutes: u32,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let updated = super::run(
        tx,
        "UPDATE claims SET status = ?, volunteer_minutes = ?, \
         reject_reason = COALESCE(?, reject_reason), updated_at = ? WHERE id = ? AND status = ?",
        crate::args![
            to.as_str(),
            volunteer_minutes,
            reason,
            stamp(now),
            id.to_string(),
            from.as_str(),
        ],
    )?;
    super::still_in(updated, from)?;
    log_change(tx, Entity::Claim, &id.to_string())
}

/// Part of an active claim given back: its units, compare-and-set from `before`.
pub fn set_quantity(
    tx: &Tx,
    id: ClaimId,
    (before, after): (u32, u32),
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let updated = super::run(
        tx,
        "UPDATE claims SET quantity = ?, updated_at = ? \
         WHERE id = ? AND quantity = ? AND status = ?",
        crate::args![
            after,
            stamp(now),
            id.to_string(),
            before,
            ClaimStatus::Active.as_str()
        ],
    )?;
    super::still_in(updated, ClaimStatus::Active)?;
    log_change(tx, Entity::Claim, &id.to_string())
}

/// The household's thanks for a claim.
pub fn set_thanks(tx: &Tx, id: ClaimId, text: &str, now: DateTime<Utc>) -> ApiResult<()> {
    super::run(
        tx,
        "UPDATE claims SET thanks = ?, thanked_at = ?, updated_at = ? WHERE id = ?",
        crate::args![text, stamp(now), stamp(now), id.to_string()],
    )?;
    log_change(tx, Entity::Claim, &id.to_string())
}

/// The claims holding units of these wishes.
pub fn of_wishes(tx: &Tx, wishes: &[WishId]) -> ApiResult<Vec<ClaimId>> {
    let mut select = Statement::new("SELECT id FROM claims WHERE status IN ");
    select
        .push_list(ClaimStatus::HOLDING)
        .push(" AND wish_id IN ");
    super::rows_in(tx, &select.sql, &select.args(), wishes, |row| {
        parse_stored(&row.get::<_, String>(0)?)
    })
}

/// These volunteers' active house calls.
pub fn house_calls_of(tx: &Tx, users: &[UserId]) -> ApiResult<Vec<ClaimId>> {
    super::rows_in(
        tx,
        "SELECT c.id FROM claims c JOIN wishes w ON w.id = c.wish_id \
         WHERE c.status = ? AND w.kind = ? AND c.user_id IN ",
        &[&ClaimStatus::Active.as_str(), &WishKind::Service.as_str()],
        users,
        |row| parse_stored(&row.get::<_, String>(0)?),
    )
}

/// Up to `limit` active claims whose hold ran out by `now`, oldest first; on PostgreSQL
/// locked until the transaction ends, skipping those another transaction holds (another
/// server's hold timer, a command on them).
pub fn due_for_expiry(tx: &Tx, now: DateTime<Utc>, limit: usize) -> ApiResult<Vec<ClaimId>> {
    let lock = if tx.is_postgres() {
        " FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    tx.query(
        &format!(
            "SELECT id FROM claims WHERE status = ? AND hold_until <= ? \
             ORDER BY hold_until LIMIT ?{lock}"
        ),
        crate::args![ClaimStatus::Active.as_str(), now, limit],
        |row| parse_stored(&row.get::<_, String>(0)?),
    )
}

/// Up to `limit` active claims whose hold ends within `ahead` of `now` and whose claimer was
/// not reminded yet, soonest first; locked on PostgreSQL as [`due_for_expiry`]'s.
pub fn due_for_reminder(
    tx: &Tx,
    now: DateTime<Utc>,
    ahead: chrono::Duration,
    limit: usize,
) -> ApiResult<Vec<ClaimId>> {
    let lock = if tx.is_postgres() {
        " FOR UPDATE OF c SKIP LOCKED"
    } else {
        ""
    };
    tx.query(
        &format!(
            "SELECT c.id FROM claims c WHERE c.status = ? AND c.hold_until > ? \
             AND c.hold_until <= ? AND NOT EXISTS (SELECT 1 FROM reminders r \
             WHERE r.subject = c.id AND r.reminder = ?) ORDER BY c.hold_until LIMIT ?{lock}"
        ),
        crate::args![
            ClaimStatus::Active.as_str(),
            now,
            now + ahead,
            microwish_core::Reminder::ClaimHold.as_str(),
            limit
        ],
        |row| parse_stored(&row.get::<_, String>(0)?),
    )
}

/// Volunteer time credited to `user` for confirmed house calls.
pub async fn volunteer_minutes(db: &Pool, user: UserId) -> ApiResult<u32> {
    let (minutes,): (i64,) = db.fetch_one("SELECT CAST(COALESCE(SUM(volunteer_minutes), 0) AS BIGINT) FROM claims WHERE user_id = ? AND status = ?", crate::args![user.to_string(), ClaimStatus::Confirmed.as_str()]).await?;
    count(minutes)
}
