//! Accounts, sessions and volunteers' vetting. Session tokens are stored only as hashes
//! (see `auth`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use microwish_core::decide::UserState;
use microwish_core::{
    ClaimStatus, CommunityId, DisplayName, Entity, Phone, Role, UserId, VolunteerStatus,
    VolunteerView, WishKind,
};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};

use super::{count, parse_stored, push_list, CHUNK};
use crate::error::{ApiError, ApiResult};
use crate::store::sync::log_change;

/// A user as the server knows them on every request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub role: Role,
    pub display_name: DisplayName,
    pub phone: Phone,
    /// For volunteers: their vetting.
    pub volunteer_status: Option<VolunteerStatus>,
    /// For workers: their community.
    pub community: Option<CommunityId>,
}

impl User {
    pub fn actor(&self) -> microwish_core::command::Actor {
        microwish_core::command::Actor::User {
            id: self.id,
            role: self.role,
        }
    }
}

const SELECT_USER: &str =
    "SELECT u.id, u.role, u.display_name, u.phone, u.volunteer_status, u.community_id FROM users u";

#[derive(sqlx::FromRow)]
struct UserRow {
    id: String,
    role: String,
    display_name: String,
    phone: String,
    volunteer_status: Option<String>,
    community_id: Option<String>,
}

impl TryFrom<UserRow> for User {
    type Error = ApiError;

    fn try_from(row: UserRow) -> ApiResult<User> {
        Ok(User {
            id: parse_stored(&row.id)?,
            role: parse_stored(&row.role)?,
            display_name: DisplayName::parse(&row.display_name)
                .map_err(|_| ApiError::Corrupt(format!("name {:?}", row.display_name)))?,
            phone: Phone::parse(&row.phone)
                .map_err(|_| ApiError::Corrupt(format!("phone {:?}", row.phone)))?,
            volunteer_status: row
                .volunteer_status
                .as_deref()
                .map(parse_stored)
                .transpose()?,
            community: row.community_id.as_deref().map(parse_stored).transpose()?,
        })
    }
}

/// Adds a user; a phone number already registered is [`ApiError::PhoneTaken`].
pub async fn insert(
    db: &SqlitePool,
    user: &User,
    password_hash: &str,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let mut tx = db.begin().await?;
    let inserted = sqlx::query(
        "INSERT INTO users (id, phone, display_name, role, password_hash, created_at, \
         volunteer_status, community_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(user.id.to_string())
    .bind(user.phone.as_str())
    .bind(user.display_name.as_str())
    .bind(user.role.as_str())
    .bind(password_hash)
    .bind(now)
    .bind(user.volunteer_status.map(VolunteerStatus::as_str))
    .bind(user.community.map(|id| id.to_string()))
    .execute(&mut *tx)
    .await;
    match inserted {
        Ok(_) => {}
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
            return Err(ApiError::PhoneTaken)
        }
        Err(error) => return Err(error.into()),
    }
    if user.role == Role::Volunteer {
        // Workers vetting volunteers see them arrive.
        log_change(&mut tx, Entity::Volunteer, &user.id.to_string()).await?;
    }
    tx.commit().await?;
    Ok(())
}

/// The user with this phone and their password hash, for logging in.
pub async fn by_phone(db: &SqlitePool, phone: &Phone) -> ApiResult<Option<(User, String)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        user: UserRow,
        password_hash: String,
    }
    let row: Option<Row> = sqlx::query_as(
        "SELECT u.id, u.role, u.display_name, u.phone, u.volunteer_status, u.community_id, \
         u.password_hash FROM users u WHERE u.phone = ?",
    )
    .bind(phone.as_str())
    .fetch_optional(db)
    .await?;
    row.map(|row| Ok((User::try_from(row.user)?, row.password_hash)))
        .transpose()
}

pub async fn insert_session(
    db: &SqlitePool,
    token_hash: &str,
    user: UserId,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> ApiResult<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
    )
    .bind(token_hash)
    .bind(user.to_string())
    .bind(now)
    .bind(expires_at)
    .execute(db)
    .await?;
    Ok(())
}

pub async fn delete_session(db: &SqlitePool, token_hash: &str) -> ApiResult<()> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
        .bind(token_hash)
        .execute(db)
        .await?;
    Ok(())
}

/// The user a live session belongs to.
pub async fn by_session(
    db: &SqlitePool,
    token_hash: &str,
    now: DateTime<Utc>,
) -> ApiResult<Option<User>> {
    let row: Option<UserRow> = sqlx::query_as(&format!(
        "{SELECT_USER} JOIN sessions s ON s.user_id = u.id WHERE s.token_hash = ? AND s.expires_at > ?"
    ))
    .bind(token_hash)
    .bind(now)
    .fetch_optional(db)
    .await?;
    row.map(User::try_from).transpose()
}

/// id, role, volunteer status, community, active house calls, item units held.
type StateRow = (String, String, Option<String>, Option<String>, i64, i64);

/// What the rules need to know of the given users (the actor, a volunteer being vetted).
pub async fn states(
    tx: &mut SqliteConnection,
    ids: &[UserId],
) -> ApiResult<HashMap<UserId, UserState>> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(CHUNK) {
        let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new(
            "SELECT u.id, u.role, u.volunteer_status, u.community_id, \
             CASE WHEN u.role = ",
        );
        // Only volunteers book house calls: nobody else's claims need counting.
        sql.push_bind(Role::Volunteer.as_str())
            .push(
                " THEN (SELECT COUNT(*) FROM claims c JOIN wishes w ON w.id = c.wish_id \
                 WHERE c.user_id = u.id AND c.status = ",
            )
            .push_bind(ClaimStatus::Active.as_str())
            .push(" AND w.kind = ")
            .push_bind(WishKind::Service.as_str())
            .push(") ELSE 0 END AS house_calls, ")
            // Item units held and not yet delivered (the fair share); a few rows at most.
            .push(
                "(SELECT COALESCE(SUM(c.quantity), 0) FROM claims c \
                 JOIN wishes w ON w.id = c.wish_id WHERE c.user_id = u.id AND c.status = ",
            )
            .push_bind(ClaimStatus::Active.as_str())
            .push(" AND w.kind = ")
            .push_bind(WishKind::Item.as_str())
            .push(") AS claim_units FROM users u WHERE u.id IN ");
        push_list(&mut sql, chunk);
        let rows: Vec<StateRow> = sql.build_query_as().fetch_all(&mut *tx).await?;
        for (id, role, volunteer, community, house_calls, claim_units) in rows {
            found.insert(
                parse_stored(&id)?,
                UserState {
                    role: parse_stored(&role)?,
                    volunteer: volunteer.as_deref().map(parse_stored).transpose()?,
                    community: community.as_deref().map(parse_stored).transpose()?,
                    active_house_calls: count(house_calls)?,
                    active_claim_units: count(claim_units)?,
                },
            );
        }
    }
    Ok(found)
}

/// A worker's vetting of a volunteer, only if they are still as read.
pub async fn set_volunteer_status(
    tx: &mut SqliteConnection,
    user: UserId,
    (from, to): (VolunteerStatus, VolunteerStatus),
    note: &str,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let updated = sqlx::query(
        "UPDATE users SET volunteer_status = ?, vetting_note = ?, vetted_at = ?, vetted_by = ? \
         WHERE id = ? AND COALESCE(volunteer_status, 'pending') = ?",
    )
    .bind(to.as_str())
    .bind(note)
    .bind(now)
    .bind(by.map(|id| id.to_string()))
    .bind(user.to_string())
    .bind(from.as_str())
    .execute(&mut *tx)
    .await?;
    super::still_in(updated.rows_affected(), from.as_str(), to.as_str())?;
    log_change(tx, Entity::Volunteer, &user.to_string()).await
}

#[derive(sqlx::FromRow)]
struct VolunteerRow {
    id: String,
    display_name: String,
    phone: String,
    volunteer_status: Option<String>,
    vetting_note: String,
    vetted_at: Option<DateTime<Utc>>,
    vetted_by: Option<String>,
    created_at: DateTime<Utc>,
    house_calls: i64,
    minutes: i64,
}

/// Volunteers as workers vet them: all, those with `ids`, or those in one status.
pub async fn volunteers(
    db: &SqlitePool,
    ids: Option<&[UserId]>,
    status: Option<VolunteerStatus>,
) -> ApiResult<Vec<VolunteerView>> {
    let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new(
        "SELECT u.id, u.display_name, u.phone, u.volunteer_status, u.vetting_note, u.vetted_at, \
         v.display_name AS vetted_by, u.created_at, \
         (SELECT COUNT(*) FROM claims c WHERE c.user_id = u.id AND c.status = 'confirmed' \
          AND c.volunteer_minutes > 0) AS house_calls, \
         (SELECT COALESCE(SUM(c.volunteer_minutes), 0) FROM claims c WHERE c.user_id = u.id \
          AND c.status = 'confirmed') AS minutes \
         FROM users u LEFT JOIN users v ON v.id = u.vetted_by WHERE u.role = ",
    );
    sql.push_bind(Role::Volunteer.as_str());
    if let Some(ids) = ids {
        sql.push(" AND u.id IN ");
        push_list(&mut sql, ids);
    }
    if let Some(status) = status {
        sql.push(" AND COALESCE(u.volunteer_status, 'pending') = ")
            .push_bind(status.as_str());
    }
    sql.push(" ORDER BY u.created_at DESC, u.id LIMIT 1000");
    let rows: Vec<VolunteerRow> = sql.build_query_as().fetch_all(db).await?;
    rows.into_iter()
        .map(|row| {
            Ok(VolunteerView {
                id: parse_stored(&row.id)?,
                display_name: DisplayName::parse(&row.display_name)
                    .map_err(|_| ApiError::Corrupt(format!("name {:?}", row.display_name)))?,
                phone: Phone::parse(&row.phone)
                    .map_err(|_| ApiError::Corrupt(format!("phone {:?}", row.phone)))?,
                status: row
                    .volunteer_status
                    .as_deref()
                    .map(parse_stored)
                    .transpose()?
                    .unwrap_or(VolunteerStatus::Pending),
                note: row.vetting_note,
                vetted_at: row.vetted_at,
                vetted_by: row.vetted_by,
                registered_at: row.created_at,
                house_calls: count(row.house_calls)?,
                minutes: count(row.minutes)?,
            })
        })
        .collect()
}
