//! The event log: every state change, who, when, what. Rows are only ever appended.

use chrono::{DateTime, Utc};
use microwish_core::decide::Event;
use microwish_core::{EventAction, Role, UserId, WishId};
use sqlx::{SqliteConnection, SqlitePool};

use super::parse_stored;
use crate::error::ApiResult;

/// Appends `event`, done by `actor` (`None`: the system) at `at`.
pub async fn record(
    tx: &mut SqliteConnection,
    at: DateTime<Utc>,
    actor: Option<UserId>,
    event: &Event,
) -> ApiResult<()> {
    sqlx::query(
        "INSERT INTO events (at, actor_id, entity, entity_id, wish_id, action, from_status, to_status, note) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(at)
    .bind(actor.map(|id| id.to_string()))
    .bind(event.subject.entity().as_str())
    .bind(event.subject.id().to_string())
    .bind(event.wish.to_string())
    .bind(event.action.as_str())
    .bind(event.from)
    .bind(event.to)
    .bind(&event.note)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// One row of a wish's timeline, with who acted.
pub struct TimelineRow {
    pub seq: i64,
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
    at: DateTime<Utc>,
    action: String,
    from_status: Option<String>,
    to_status: Option<String>,
    actor_id: Option<String>,
    role: Option<String>,
    display_name: Option<String>,
    note: String,
}

/// A wish's events, oldest first.
pub async fn timeline(db: &SqlitePool, wish: WishId) -> ApiResult<Vec<TimelineRow>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT e.seq, e.at, e.action, e.from_status, e.to_status, e.actor_id, u.role, u.display_name, e.note \
         FROM events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.wish_id = ? ORDER BY e.seq",
    )
    .bind(wish.to_string())
    .fetch_all(db)
    .await?;
    rows.into_iter()
        .map(|row| {
            Ok(TimelineRow {
                seq: row.seq,
                at: row.at,
                action: parse_stored(&row.action)?,
                from_status: row.from_status,
                to_status: row.to_status,
                actor_id: row.actor_id.as_deref().map(parse_stored).transpose()?,
                actor_role: row.role.as_deref().map(parse_stored).transpose()?,
                actor_name: row.display_name,
                note: row.note,
            })
        })
        .collect()
}
