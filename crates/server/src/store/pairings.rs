//! Paired communities (结对帮扶): the `pairings` table. Core's `pairing` decides every move;
//! this file reads a community's pairings (with both sides' names) and writes what was decided.

use chrono::{DateTime, Utc};
use microwish_core::pairing::{Pairing, PairingStatus};
use microwish_core::{Community, CommunityId, PairingId, UserId};

use super::sql::{Db, Pool};
use super::{parse_stored, stamp, stored_time};
use crate::error::ApiResult;
use crate::writer::Tx;

const SELECT: &str = "SELECT p.id, p.proposer_id, a.name, p.partner_id, b.name, p.status, \
     p.created_at, p.updated_at FROM pairings p \
     JOIN communities a ON a.id = p.proposer_id JOIN communities b ON b.id = p.partner_id";

fn pairings(db: &Db, filter: &str, id: String) -> ApiResult<Vec<Pairing>> {
    let sql = format!("{SELECT} WHERE {filter} ORDER BY p.created_at DESC, p.id DESC");
    let args = crate::args![id.as_str(), id.as_str()];
    db.query(&sql, &args[..filter.matches('?').count()], |row| {
        let status: String = row.get(5)?;
        Ok(Pairing {
            id: parse_stored(&row.get::<_, String>(0)?)?,
            proposer: Community {
                id: parse_stored(&row.get::<_, String>(1)?)?,
                name: row.get(2)?,
            },
            partner: Community {
                id: parse_stored(&row.get::<_, String>(3)?)?,
                name: row.get(4)?,
            },
            status: parse_stored::<PairingStatus>(&status)?,
            created_at: stored_time(&row.get::<_, String>(6)?)?,
            updated_at: stored_time(&row.get::<_, String>(7)?)?,
        })
    })
}

/// Every pairing `community` is a side of, the latest first.
pub fn of_community(db: &Db, community: CommunityId) -> ApiResult<Vec<Pairing>> {
    pairings(
        db,
        "p.proposer_id = ? OR p.partner_id = ?",
        community.to_string(),
    )
}

/// The pairing with this id, if there is one.
pub fn get(db: &Db, id: PairingId) -> ApiResult<Option<Pairing>> {
    Ok(pairings(db, "p.id = ?", id.to_string())?.pop())
}

/// The other side of each active pairing of a community (its id bound three times).
const PARTNERS: &str = "SELECT CASE WHEN proposer_id = ? THEN partner_id ELSE proposer_id END \
     FROM pairings WHERE status = 'active' AND (proposer_id = ? OR partner_id = ?) \
     ORDER BY created_at";

/// The communities actively paired with `community`, inside a write transaction.
pub fn partners_in(tx: &Tx, community: CommunityId) -> ApiResult<Vec<CommunityId>> {
    let id = community.to_string();
    tx.query(
        PARTNERS,
        crate::args![id.as_str(), id.as_str(), id.as_str()],
        |row| parse_stored(&row.get::<_, String>(0)?),
    )
}

/// The communities actively paired with `community` (for `GET /api/me`).
pub async fn partners(db: &Pool, community: CommunityId) -> ApiResult<Vec<CommunityId>> {
    let id = community.to_string();
    let rows: Vec<(String,)> = db
        .fetch_all(
            PARTNERS,
            crate::args![id.as_str(), id.as_str(), id.as_str()],
        )
        .await?;
    rows.iter().map(|(id,)| parse_stored(id)).collect()
}

/// Stores a new question (`proposed`).
pub fn insert(tx: &Tx, pairing: &Pairing, by: UserId) -> ApiResult<()> {
    tx.execute(
        "INSERT INTO pairings (id, proposer_id, partner_id, status, proposed_by, created_at, \
         updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        crate::args![
            pairing.id.to_string(),
            pairing.proposer.id.to_string(),
            pairing.partner.id.to_string(),
            pairing.status.as_str(),
            by.to_string(),
            stamp(pairing.created_at),
            stamp(pairing.created_at)
        ],
    )?;
    Ok(())
}

/// Moves a pairing from `from` to `to`; how many rows moved (none: someone moved it first).
pub fn set_status(
    tx: &Tx,
    id: PairingId,
    from: PairingStatus,
    to: PairingStatus,
    by: UserId,
    now: DateTime<Utc>,
) -> ApiResult<usize> {
    tx.execute(
        "UPDATE pairings SET status = ?, decided_by = ?, updated_at = ? WHERE id = ? AND status = ?",
        crate::args![
            to.as_str(),
            by.to_string(),
            stamp(now),
            id.to_string(),
            from.as_str()
        ],
    )
}
