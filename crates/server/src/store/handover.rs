//! Hand-over codes: derived with the server's key (kept in `server_keys` beside the VAPID
//! key), unique among the live codes of a community, and looked up by code (indexed). What a
//! code looks like and who sees it is core's (`microwish_core::handover`, `visibility`).

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use microwish_core::{
    AllocationId, AllocationStatus, ClaimId, ClaimStatus, Entity, HandoverCode, HandoverTarget,
    WishId, WishKind,
};
use sha2::Sha256;

use super::parse_stored;
use crate::error::{ApiError, ApiResult};
use crate::store::sync::log_change;
use crate::writer::Tx;

/// The name of the key in `server_keys`.
const KEY: &str = "handover";

/// The code for `id` at try `counter` under `key`.
fn derive(key: &[u8], id: uuid::Uuid, counter: u32) -> HandoverCode {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(id.as_bytes());
    mac.update(&counter.to_be_bytes());
    HandoverCode::from_digest(&mac.finalize().into_bytes())
}

/// A code for `target` (on `wish`) that no other live claim or allocation of the wish's
/// community holds: derived again with the next counter while one does.
pub fn code_for(
    tx: &Tx,
    target: HandoverTarget,
    wish: WishId,
    now: DateTime<Utc>,
) -> ApiResult<HandoverCode> {
    let key = super::deliveries::server_secret(tx, KEY, crate::security::random_hex_key, now)?;
    let id = match target {
        HandoverTarget::Claim(id) => id.0,
        HandoverTarget::Allocation(id) => id.0,
    };
    for counter in 0..64 {
        let code = derive(key.as_bytes(), id, counter);
        if !live_in_community(tx, &code, wish)? {
            return Ok(code);
        }
    }
    Err(ApiError::Corrupt(
        "no free hand-over code after 64 tries".into(),
    ))
}

/// Whether a live claim or allocation on a wish of `wish`'s community holds `code`.
fn live_in_community(tx: &Tx, code: &HandoverCode, wish: WishId) -> ApiResult<bool> {
    let found = tx.query_row(
        "SELECT 1 FROM claims cl JOIN wishes w ON w.id = cl.wish_id \
         JOIN grids g ON g.id = w.grid_id \
         WHERE cl.handover_code = ? AND cl.status IN (?, ?) AND g.community_id = \
         (SELECT g2.community_id FROM wishes w2 JOIN grids g2 ON g2.id = w2.grid_id WHERE w2.id = ?) \
         UNION ALL \
         SELECT 1 FROM allocations a JOIN wishes w ON w.id = a.wish_id \
         JOIN grids g ON g.id = w.grid_id \
         WHERE a.handover_code = ? AND a.status IN (?, ?) AND g.community_id = \
         (SELECT g2.community_id FROM wishes w2 JOIN grids g2 ON g2.id = w2.grid_id WHERE w2.id = ?) \
         LIMIT 1",
        crate::args![
            code.to_string(),
            ClaimStatus::Active.as_str(),
            ClaimStatus::Delivered.as_str(),
            wish.to_string(),
            code.to_string(),
            AllocationStatus::Allocated.as_str(),
            AllocationStatus::Delivered.as_str(),
            wish.to_string(),
        ],
        |_| Ok(()),
    )?;
    Ok(found.is_some())
}

/// What these codes stand for, in every community (ended claims and allocations too: a
/// replayed confirmation finds what it confirmed).
pub fn targets(tx: &Tx, codes: &[HandoverCode]) -> ApiResult<Vec<(HandoverCode, HandoverTarget)>> {
    let read = |row: &crate::store::sql::Row| -> ApiResult<(String, String)> {
        Ok((row.get(0)?, row.get(1)?))
    };
    let mut found = Vec::new();
    for (code, id) in super::rows_in(
        tx,
        "SELECT handover_code, id FROM claims WHERE handover_code IN ",
        &[],
        codes,
        read,
    )? {
        let id: ClaimId = parse_stored(&id)?;
        found.push((parse_code(&code)?, HandoverTarget::Claim(id)));
    }
    for (code, id) in super::rows_in(
        tx,
        "SELECT handover_code, id FROM allocations WHERE handover_code IN ",
        &[],
        codes,
        read,
    )? {
        let id: AllocationId = parse_stored(&id)?;
        found.push((parse_code(&code)?, HandoverTarget::Allocation(id)));
    }
    Ok(found)
}

fn parse_code(text: &str) -> ApiResult<HandoverCode> {
    HandoverCode::parse(text)
        .ok_or_else(|| ApiError::Corrupt(format!("stored hand-over code {text:?}")))
}

/// Gives every live item claim and allocation without a code one (those made before codes
/// existed); how many it gave.
pub fn fill_missing(tx: &Tx, now: DateTime<Utc>) -> ApiResult<usize> {
    let claims: Vec<(String, String)> = tx.query(
        "SELECT cl.id, cl.wish_id FROM claims cl JOIN wishes w ON w.id = cl.wish_id \
         WHERE cl.handover_code IS NULL AND cl.status IN (?, ?) AND w.kind = ? ORDER BY cl.id",
        crate::args![
            ClaimStatus::Active.as_str(),
            ClaimStatus::Delivered.as_str(),
            WishKind::Item.as_str(),
        ],
        |row| Ok((row.get(0)?, row.get(1)?)),
    )?;
    let allocations: Vec<(String, String, String)> = tx.query(
        "SELECT id, wish_id, pledge_id FROM allocations \
         WHERE handover_code IS NULL AND status IN (?, ?) ORDER BY id",
        crate::args![
            AllocationStatus::Allocated.as_str(),
            AllocationStatus::Delivered.as_str(),
        ],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )?;
    let filled = claims.len() + allocations.len();
    for (id, wish) in claims {
        let target = HandoverTarget::Claim(parse_stored(&id)?);
        let code = code_for(tx, target, parse_stored(&wish)?, now)?;
        super::run(
            tx,
            "UPDATE claims SET handover_code = ? WHERE id = ?",
            crate::args![code.to_string(), id],
        )?;
        log_change(tx, Entity::Claim, &id)?;
    }
    for (id, wish, pledge) in allocations {
        let target = HandoverTarget::Allocation(parse_stored(&id)?);
        let code = code_for(tx, target, parse_stored(&wish)?, now)?;
        super::run(
            tx,
            "UPDATE allocations SET handover_code = ? WHERE id = ?",
            crate::args![code.to_string(), id],
        )?;
        // An allocation travels inside its pledge.
        log_change(tx, Entity::Pledge, &pledge)?;
    }
    Ok(filled)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_depends_on_the_key_the_id_and_the_counter() {
        let id = uuid::Uuid::from_u128(7);
        let code = derive(b"key one", id, 0);
        assert_eq!(derive(b"key one", id, 0), code, "derived, not drawn");
        assert_ne!(derive(b"key two", id, 0), code);
        assert_ne!(derive(b"key one", uuid::Uuid::from_u128(8), 0), code);
        assert_ne!(derive(b"key one", id, 1), code);
    }
}
