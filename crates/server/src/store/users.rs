//! Accounts and sessions. Session tokens are stored only as hashes (see `auth`).

use chrono::{DateTime, Utc};
use microwish_core::{DisplayName, Phone, Role, UserId};
use sqlx::SqlitePool;

use super::parse_stored;
use crate::error::{ApiError, ApiResult};

/// A user as the server knows them on every request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub role: Role,
    pub display_name: DisplayName,
    pub phone: Phone,
}

impl User {
    pub fn actor(&self) -> microwish_core::command::Actor {
        microwish_core::command::Actor::User {
            id: self.id,
            role: self.role,
        }
    }
}

type UserRow = (String, String, String, String);

fn user_of((id, role, display_name, phone): UserRow) -> ApiResult<User> {
    Ok(User {
        id: parse_stored(&id)?,
        role: parse_stored(&role)?,
        display_name: DisplayName::parse(&display_name)
            .map_err(|_| ApiError::Corrupt(format!("name {display_name:?}")))?,
        phone: Phone::parse(&phone).map_err(|_| ApiError::Corrupt(format!("phone {phone:?}")))?,
    })
}

/// Adds a user; a phone number already registered is [`ApiError::PhoneTaken`].
pub async fn insert(
    db: &SqlitePool,
    user: &User,
    password_hash: &str,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let inserted = sqlx::query(
        "INSERT INTO users (id, phone, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(user.id.to_string())
    .bind(user.phone.as_str())
    .bind(user.display_name.as_str())
    .bind(user.role.as_str())
    .bind(password_hash)
    .bind(now)
    .execute(db)
    .await;
    match inserted {
        Ok(_) => Ok(()),
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => {
            Err(ApiError::PhoneTaken)
        }
        Err(error) => Err(error.into()),
    }
}

/// The user with this phone and their password hash, for logging in.
pub async fn by_phone(db: &SqlitePool, phone: &Phone) -> ApiResult<Option<(User, String)>> {
    let row: Option<(String, String, String, String, String)> = sqlx::query_as(
        "SELECT id, role, display_name, phone, password_hash FROM users WHERE phone = ?",
    )
    .bind(phone.as_str())
    .fetch_optional(db)
    .await?;
    row.map(|(id, role, name, phone, hash)| Ok((user_of((id, role, name, phone))?, hash)))
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
    let row: Option<UserRow> = sqlx::query_as(
        "SELECT u.id, u.role, u.display_name, u.phone FROM sessions s JOIN users u ON u.id = s.user_id \
         WHERE s.token_hash = ? AND s.expires_at > ?",
    )
    .bind(token_hash)
    .bind(now)
    .fetch_optional(db)
    .await?;
    row.map(user_of).transpose()
}
