//! Volunteers' service certificates: each stored with the totals taken when it was issued
//! (core's `certificate` counts them from the report's house calls), and its revocation.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use microwish_core::certificate::Certificate;
use microwish_core::{CertificateId, CommunityId, UserId};

use super::sql::{Parsed, Pool, Statement};
use super::{count, day, parse_stored, stamp};
use crate::error::{ApiError, ApiResult};
use crate::writer::Writer;

/// A certificate with whose it is and the community whose workers may revoke it.
#[derive(Debug, Clone)]
pub struct Stored {
    pub certificate: Certificate,
    pub volunteer: UserId,
    pub community: CommunityId,
}

#[derive(sqlx::FromRow)]
struct CertificateRow {
    id: String,
    volunteer_id: String,
    community_id: String,
    volunteer_name: String,
    community_name: String,
    period_from: Parsed<NaiveDate>,
    period_to: Parsed<NaiveDate>,
    visits: i64,
    minutes: i64,
    confirmed_by: String,
    issued_at: Parsed<DateTime<Utc>>,
    revoked_at: Option<Parsed<DateTime<Utc>>>,
    revoke_reason: Option<String>,
}

impl TryFrom<CertificateRow> for Stored {
    type Error = ApiError;

    fn try_from(row: CertificateRow) -> Result<Self, ApiError> {
        let confirmed_by: Vec<String> = serde_json::from_str(&row.confirmed_by)
            .map_err(|error| ApiError::Corrupt(format!("confirmed_by: {error}")))?;
        let revoked_at = row.revoked_at.map(|at| at.0);
        Ok(Stored {
            certificate: Certificate {
                id: parse_stored(&row.id)?,
                volunteer_name: row.volunteer_name,
                community_name: row.community_name,
                period_from: row.period_from.0,
                period_to: row.period_to.0,
                visits: count(row.visits)?,
                minutes: count(row.minutes)?,
                confirmed_by,
                issued_at: row.issued_at.0,
                revoked_at,
                revoke_reason: row.revoke_reason,
                valid: Certificate::is_valid(revoked_at),
            },
            volunteer: parse_stored(&row.volunteer_id)?,
            community: parse_stored(&row.community_id)?,
        })
    }
}

const SELECT: &str = "SELECT id, volunteer_id, community_id, volunteer_name, community_name, \
     period_from, period_to, visits, minutes, confirmed_by, issued_at, revoked_at, revoke_reason \
     FROM certificates";

/// The certificate with this id, if there is one.
pub async fn get(db: &Pool, id: CertificateId) -> ApiResult<Option<Stored>> {
    let row: Option<CertificateRow> = db
        .fetch_optional(
            &format!("{SELECT} WHERE id = ?"),
            crate::args![id.to_string()],
        )
        .await?;
    row.map(Stored::try_from).transpose()
}

/// A volunteer's certificates, the latest first.
pub async fn of_volunteer(db: &Pool, volunteer: UserId) -> ApiResult<Vec<Stored>> {
    let rows: Vec<CertificateRow> = db
        .fetch_all(
            &format!("{SELECT} WHERE volunteer_id = ? ORDER BY issued_at DESC, id LIMIT 500"),
            crate::args![volunteer.to_string()],
        )
        .await?;
    rows.into_iter().map(Stored::try_from).collect()
}

/// The name of a community.
pub async fn community_name(db: &Pool, community: CommunityId) -> ApiResult<String> {
    let (name,): (String,) = db
        .fetch_optional(
            "SELECT name FROM communities WHERE id = ?",
            crate::args![community.to_string()],
        )
        .await?
        .ok_or(ApiError::NotFound("community"))?;
    Ok(name)
}

/// The display names of these users (those that exist).
pub async fn display_names(db: &Pool, users: &[UserId]) -> ApiResult<HashMap<UserId, String>> {
    if users.is_empty() {
        return Ok(HashMap::new());
    }
    let mut sql = Statement::new("SELECT id, display_name FROM users WHERE id IN ");
    sql.push_list(users);
    let rows: Vec<(String, String)> = db.fetch_all(&sql.sql, &sql.args()).await?;
    rows.into_iter()
        .map(|(id, name)| Ok((parse_stored(&id)?, name)))
        .collect()
}

/// Stores a new certificate.
pub async fn insert(writer: &Writer, stored: Stored) -> ApiResult<()> {
    writer
        .write(move |tx| {
            let certificate = &stored.certificate;
            let confirmed_by = serde_json::to_string(&certificate.confirmed_by)
                .map_err(|error| ApiError::Internal(error.to_string()))?;
            tx.execute(
                "INSERT INTO certificates (id, volunteer_id, community_id, volunteer_name, \
                 community_name, period_from, period_to, visits, minutes, confirmed_by, issued_at) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                crate::args![
                    certificate.id.to_string(),
                    stored.volunteer.to_string(),
                    stored.community.to_string(),
                    certificate.volunteer_name.as_str(),
                    certificate.community_name.as_str(),
                    day(certificate.period_from),
                    day(certificate.period_to),
                    i64::from(certificate.visits),
                    i64::from(certificate.minutes),
                    confirmed_by,
                    stamp(certificate.issued_at)
                ],
            )?;
            Ok(())
        })
        .await
}

/// Revokes a certificate not revoked yet (a second revocation keeps the first's reason).
pub async fn revoke(
    writer: &Writer,
    id: CertificateId,
    by: UserId,
    reason: String,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    writer
        .write(move |tx| {
            tx.execute(
                "UPDATE certificates SET revoked_at = ?, revoked_by = ?, revoke_reason = ? \
                 WHERE id = ? AND revoked_at IS NULL",
                crate::args![stamp(now), by.to_string(), reason, id.to_string()],
            )?;
            Ok(())
        })
        .await
}
