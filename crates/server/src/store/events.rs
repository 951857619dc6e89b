//! The event log: every state change, who, when, what. Rows are only ever appended, and
//! deleted only by age (`microwish-server prune`, the retention PIPL asks for).

use chrono::{DateTime, Utc};
use microwish_core::decide::Event;
use microwish_core::{Entity, EventAction, HouseholdId, RequestId, Role, Status, UserId, WishId};

use super::sql::Parsed;
use super::sql::Pool;
use super::{parse_stored, stamp};
use crate::error::ApiResult;
use crate::writer::{Tx, Writer};

/// Appends `event`, done by `actor` (`None`: the system) at `at`.
pub fn record(tx: &Tx, at: DateTime<Utc>, actor: Option<UserId>, event: &Event) -> ApiResult<()> {
    super::run(
        tx,
        "INSERT INTO events (at, actor_id, entity, entity_id, wish_id, action, from_status, \
         to_status, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        crate::args![
            stamp(at),
            actor.map(|id| id.to_string()),
            event.subject.entity().as_str(),
            event.subject.id().to_string(),
            event.wish.map(|wish| wish.to_string()),
            event.action.as_str(),
            event.from.map(Status::as_str),
            event.to.map(Status::as_str),
            event.note,
        ],
    )?;
    Ok(())
}

/// Retention: deletes the rows recorded before `before` (`microwish-server prune`); how many.
pub async fn delete_older_than(db: &Pool, before: DateTime<Utc>) -> ApiResult<u64> {
    db.execute(
        "DELETE FROM events WHERE at < ?",
        crate::args![stamp(before)],
    )
    .await
}

/// Records that `actor` read these households' private fields (who, which, when).
pub async fn record_reads(
    writer: &Writer,
    at: DateTime<Utc>,
    actor: UserId,
    households: &[HouseholdId],
) -> ApiResult<()> {
    record_on_households(writer, at, actor, households, EventAction::ReadHousehold).await
}

/// Records `action` (a read, an export) by `actor` on each of these households.
pub async fn record_on_households(
    writer: &Writer,
    at: DateTime<Utc>,
    actor: UserId,
    households: &[HouseholdId],
    action: EventAction,
) -> ApiResult<()> {
    // Nothing read, nothing to write: no turn at the writer (a worker's pull comes here often).
    if households.is_empty() {
        return Ok(());
    }
    let households = households.to_vec();
    writer
        .write(move |tx| {
            for household in households {
                record(tx, at, Some(actor), &Event::on_household(action, household))?;
            }
            Ok(())
        })
        .await
}

/// One row of a timeline (a wish's, a household's, a request's), with who acted.
pub struct TimelineRow {
    pub seq: i64,
    /// What the event was about.
    pub entity: Entity,
    pub at: DateTime<Utc>,
    pub action: EventAction,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub actor_id: Option<UserId>,
    pub actor_role: Option<Role>,
    pub actor_name: Option<String>,
    pub note: String,
}

#[derive(sqlx::FromRow)]
struct Row {
    seq: i64,
    entity: String,
    at: Parsed<DateTime<Utc>>,
    action: String,
    from_status: Option<String>,
    to_status: Option<String>,
    actor_id: Option<String>,
    role: Option<String>,
    display_name: Option<String>,
    note: String,
}

/// A page of a wish's events, oldest first, after event `after` (the household's own events,
/// its reads and reveals, stay with the household); whether more follow.
pub async fn timeline(
    db: &Pool,
    wish: WishId,
    after: i64,
    limit: u32,
) -> ApiResult<(Vec<TimelineRow>, bool)> {
    rows(
        db,
        "e.wish_id = ? AND e.entity <> ?",
        [wish.to_string(), Entity::Household.to_string()],
        after,
        limit,
    )
    .await
}

/// A page of everything done with a household's private record (registered, edited, read,
/// its contact given to a volunteer), oldest first, after event `after`; whether more follow.
pub async fn of_household(
    db: &Pool,
    household: HouseholdId,
    after: i64,
    limit: u32,
) -> ApiResult<(Vec<TimelineRow>, bool)> {
    rows(
        db,
        "e.entity = ? AND e.entity_id = ?",
        [Entity::Household.to_string(), household.to_string()],
        after,
        limit,
    )
    .await
}

/// A page of a request's timeline (every step and note), oldest first, after event `after`;
/// whether more follow.
pub async fn of_request(
    db: &Pool,
    request: RequestId,
    after: i64,
    limit: u32,
) -> ApiResult<(Vec<TimelineRow>, bool)> {
    rows(
        db,
        "e.entity = ? AND e.entity_id = ?",
        [Entity::Request.to_string(), request.to_string()],
        after,
        limit,
    )
    .await
}

/// The events matching `condition` (its two `?` bound to `bound`).
async fn rows(
    db: &Pool,
    condition: &str,
    bound: [String; 2],
    after: i64,
    limit: u32,
) -> ApiResult<(Vec<TimelineRow>, bool)> {
    let mut rows: Vec<Row> = db.fetch_all(&format!(
        "SELECT e.seq, e.entity, e.at, e.action, e.from_status, e.to_status, e.actor_id, u.role, u.display_name, e.note \
         FROM events e LEFT JOIN users u ON u.id = e.actor_id WHERE {condition} AND e.seq > ? \
         ORDER BY e.seq LIMIT ?"
    ), crate::args![bound[0], bound[1], after, i64::from(limit) + 1]).await?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let rows = rows
        .into_iter()
        .map(|row| {
            Ok(TimelineRow {
                seq: row.seq,
                entity: parse_stored(&row.entity)?,
                at: row.at.0,
                action: parse_stored(&row.action)?,
                from_status: row.from_status,
                to_status: row.to_status,
                actor_id: row.actor_id.as_deref().map(parse_stored).transpose()?,
                actor_role: row.role.as_deref().map(parse_stored).transpose()?,
                actor_name: row.display_name,
                note: row.note,
            })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok((rows, more))
}
