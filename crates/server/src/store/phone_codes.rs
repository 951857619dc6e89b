//! One-time SMS codes (core's `phone_code`), passwords set again, every session of a user
//! ended, and phones marked verified. A code is never stored in clear: only its HMAC-SHA256
//! under a key of the server's own (`server_keys`, name `phone_code`), bound to the number and
//! the purpose, and a typed code is compared with it in constant time.

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use microwish_core::phone_code::{CodePurpose, CODE_TRIES, CODE_TTL};
use microwish_core::{Phone, UserId};
use sha2::Sha256;

use super::sql::Parsed;
use super::sql::Pool;
use super::stamp;
use crate::error::{ApiError, ApiResult};
use crate::writer::Tx;

/// The name of the key in `server_keys`.
const KEY: &str = "phone_code";

fn keyed(key: &str, phone: &Phone, purpose: CodePurpose, code: &str) -> Hmac<Sha256> {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(key.as_bytes()).expect("HMAC takes a key of any length");
    for part in [phone.as_str(), purpose.as_str(), code] {
        mac.update(part.as_bytes());
        mac.update(b"\0");
    }
    mac
}

/// Keeps `code` as the one live code for `phone` and `purpose` (an older one stops working).
pub fn keep(
    tx: &Tx,
    phone: &Phone,
    purpose: CodePurpose,
    code: &str,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let key = super::deliveries::server_secret(tx, KEY, crate::security::random_hex_key, now)?;
    let mac: String = keyed(&key, phone, purpose, code)
        .finalize()
        .into_bytes()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    super::run(
        tx,
        "DELETE FROM phone_codes WHERE phone = ? AND purpose = ?",
        crate::args![phone.as_str(), purpose.as_str()],
    )?;
    super::run(
        tx,
        "INSERT INTO phone_codes (phone, purpose, code_mac, sent_at, expires_at, tries) \
         VALUES (?, ?, ?, ?, ?, 0)",
        crate::args![
            phone.as_str(),
            purpose.as_str(),
            mac,
            stamp(now),
            stamp(now + CODE_TTL)
        ],
    )?;
    Ok(())
}

/// Whether `code` is the live code for `phone` and `purpose`. A right one is used up; a
/// wrong one counts a try, and after [`CODE_TRIES`] the code stops working. The caller
/// commits either way (a wrong try must count even though the request fails).
pub fn take(
    tx: &Tx,
    phone: &Phone,
    purpose: CodePurpose,
    code: &str,
    now: DateTime<Utc>,
) -> ApiResult<bool> {
    let stored: Option<(String, String, i64)> = tx.query_row(
        "SELECT code_mac, expires_at, tries FROM phone_codes WHERE phone = ? AND purpose = ?",
        crate::args![phone.as_str(), purpose.as_str()],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )?;
    let Some((mac, expires_at, tries)) = stored else {
        return Ok(false);
    };
    let expires_at = super::stored_time(&expires_at)?;
    let forget = |tx: &Tx| {
        super::run(
            tx,
            "DELETE FROM phone_codes WHERE phone = ? AND purpose = ?",
            crate::args![phone.as_str(), purpose.as_str()],
        )
    };
    if expires_at <= now || tries >= i64::from(CODE_TRIES) {
        forget(tx)?;
        return Ok(false);
    }
    let expected = hex_bytes(&mac)?;
    let key = super::deliveries::server_secret(tx, KEY, crate::security::random_hex_key, now)?;
    // `verify_slice` compares in constant time.
    if keyed(&key, phone, purpose, code)
        .verify_slice(&expected)
        .is_ok()
    {
        forget(tx)?;
        return Ok(true);
    }
    super::run(
        tx,
        "UPDATE phone_codes SET tries = tries + 1 WHERE phone = ? AND purpose = ?",
        crate::args![phone.as_str(), purpose.as_str()],
    )?;
    Ok(false)
}

fn hex_bytes(hex: &str) -> ApiResult<Vec<u8>> {
    (0..hex.len())
        .step_by(2)
        .map(|at| {
            hex.get(at..at + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
                .ok_or_else(|| ApiError::Corrupt("a stored phone code".into()))
        })
        .collect()
}

/// Forgets codes that can no longer work (run with the other clean-ups).
pub fn prune(tx: &Tx, now: DateTime<Utc>) -> ApiResult<usize> {
    super::run(
        tx,
        "DELETE FROM phone_codes WHERE expires_at <= ?",
        crate::args![stamp(now)],
    )
}

/// Notes that `user`'s number was proven (the first time counts).
pub fn mark_verified(tx: &Tx, user: UserId, now: DateTime<Utc>) -> ApiResult<()> {
    super::run(
        tx,
        "UPDATE users SET phone_verified_at = COALESCE(phone_verified_at, ?) WHERE id = ?",
        crate::args![stamp(now), user.to_string()],
    )?;
    Ok(())
}

/// What `/api/me` says of an account beyond who it is: whether its number is verified, and
/// a volunteer's vetting note (the reason they were declined or suspended, for them to read).
pub struct AccountStanding {
    pub phone_verified: bool,
    pub vetting_note: Option<String>,
}

pub async fn standing(db: &Pool, user: UserId) -> ApiResult<AccountStanding> {
    #[derive(sqlx::FromRow)]
    struct Row {
        phone_verified_at: Option<Parsed<DateTime<Utc>>>,
        vetting_note: Option<String>,
    }
    let row: Option<Row> = db
        .fetch_optional(
            "SELECT phone_verified_at, vetting_note FROM users WHERE id = ?",
            crate::args![user.to_string()],
        )
        .await?;
    Ok(AccountStanding {
        phone_verified: row
            .as_ref()
            .is_some_and(|row| row.phone_verified_at.is_some()),
        vetting_note: row
            .and_then(|row| row.vetting_note)
            .filter(|note| !note.is_empty()),
    })
}

/// Sets `user`'s password hash.
pub fn set_password(tx: &Tx, user: UserId, hash: &str) -> ApiResult<()> {
    let changed = super::run(
        tx,
        "UPDATE users SET password_hash = ? WHERE id = ? AND deleted_at IS NULL",
        crate::args![hash, user.to_string()],
    )?;
    if changed == 0 {
        return Err(ApiError::NotFound("user"));
    }
    Ok(())
}

/// Ends every session of `user` but the one stored under `keep` (if any); how many ended.
/// Every server forgets them at once (the sessions' epoch moves, migration 0011).
pub fn end_sessions(tx: &Tx, user: UserId, keep: Option<&str>) -> ApiResult<usize> {
    super::run(
        tx,
        "DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?",
        crate::args![user.to_string(), keep.unwrap_or("")],
    )
}
