//! A shop's record of giving: the facts core's `shop_record` counts (its allocations, the past
//! years workers entered), who its giving reaches, and its thank-you page's switch.

use chrono::{DateTime, Utc};
use microwish_core::shop_record::{PastYear, ShopAllocation};
use microwish_core::{CommunityId, Role, UserId};

use super::sql::{Flag, Parsed, Pool};
use super::{count, parse_stored, stamp};
use crate::error::{ApiError, ApiResult};
use crate::writer::Writer;

/// A shop as its record needs it.
#[derive(Debug, Clone)]
pub struct Shop {
    pub id: UserId,
    pub name: String,
    /// The community it chose, if it did.
    pub community: Option<CommunityId>,
    /// Its pledges' communities (`None`: offered to every community).
    pub offered_to: Vec<Option<CommunityId>>,
    pub public: bool,
}

/// The shopkeeper with this id (anyone else: none).
pub async fn shop(db: &Pool, id: UserId) -> ApiResult<Option<Shop>> {
    let row: Option<(String, String, Option<String>, Flag)> = db
        .fetch_optional(
            "SELECT display_name, role, community_id, shop_page_public FROM users WHERE id = ?",
            crate::args![id.to_string()],
        )
        .await?;
    let Some((name, role, community, public)) = row else {
        return Ok(None);
    };
    if parse_stored::<Role>(&role)? != Role::Shopkeeper {
        return Ok(None);
    }
    let offered: Vec<(Option<String>,)> = db
        .fetch_all(
            "SELECT DISTINCT community_id FROM pledges WHERE shop_id = ?",
            crate::args![id.to_string()],
        )
        .await?;
    Ok(Some(Shop {
        id,
        name,
        community: community.as_deref().map(parse_stored).transpose()?,
        offered_to: offered
            .into_iter()
            .map(|(community,)| community.as_deref().map(parse_stored).transpose())
            .collect::<ApiResult<_>>()?,
        public: public.0,
    }))
}

/// wish, community, allocated at, status, units, thanked at.
type AllocationRow = (
    String,
    String,
    Parsed<DateTime<Utc>>,
    String,
    i64,
    Option<String>,
);

/// Every allocation of the shop's pledges, with its wish's community.
pub async fn allocations(db: &Pool, shop: UserId) -> ApiResult<Vec<ShopAllocation>> {
    let rows: Vec<AllocationRow> = db
        .fetch_all(
            "SELECT a.wish_id, g.community_id, a.created_at, a.status, a.quantity, a.thanked_at \
             FROM allocations a JOIN pledges p ON p.id = a.pledge_id \
             JOIN wishes w ON w.id = a.wish_id JOIN grids g ON g.id = w.grid_id \
             WHERE p.shop_id = ?",
            crate::args![shop.to_string()],
        )
        .await?;
    rows.into_iter()
        .map(|(wish, community, at, status, units, thanked)| {
            Ok(ShopAllocation {
                wish: parse_stored(&wish)?,
                community: parse_stored(&community)?,
                allocated_at: at.0,
                status: parse_stored(&status)?,
                units: count(units)?,
                thanked: thanked.is_some(),
            })
        })
        .collect()
}

/// The past years workers entered for the shop.
pub async fn past_years(db: &Pool, shop: UserId) -> ApiResult<Vec<PastYear>> {
    let rows: Vec<(i64, i64, i64, String)> = db
        .fetch_all(
            "SELECT year, units, wishes, note FROM shop_years WHERE shop_id = ? ORDER BY year",
            crate::args![shop.to_string()],
        )
        .await?;
    rows.into_iter()
        .map(|(year, units, wishes, note)| {
            Ok(PastYear {
                year: i32::try_from(year)
                    .map_err(|_| ApiError::Corrupt(format!("bad year {year}")))?,
                units: count(units)?,
                wishes: count(wishes)?,
                note,
            })
        })
        .collect()
}

/// Records a past year of the shop's giving, or replaces the one recorded.
pub async fn put_year(
    writer: &Writer,
    shop: UserId,
    year: PastYear,
    by: UserId,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    writer
        .write(move |tx| {
            tx.execute(
                "INSERT INTO shop_years (shop_id, year, units, wishes, note, recorded_by, \
                 recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?) \
                 ON CONFLICT (shop_id, year) DO UPDATE SET units = excluded.units, \
                 wishes = excluded.wishes, note = excluded.note, \
                 recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at",
                crate::args![
                    shop.to_string(),
                    i64::from(year.year),
                    i64::from(year.units),
                    i64::from(year.wishes),
                    year.note.as_str(),
                    by.to_string(),
                    stamp(now)
                ],
            )?;
            Ok(())
        })
        .await
}

/// Removes a past year (none recorded: nothing to do).
pub async fn delete_year(writer: &Writer, shop: UserId, year: i32) -> ApiResult<()> {
    writer
        .write(move |tx| {
            tx.execute(
                "DELETE FROM shop_years WHERE shop_id = ? AND year = ?",
                crate::args![shop.to_string(), i64::from(year)],
            )?;
            Ok(())
        })
        .await
}

/// Makes the shop's thank-you page public, or private again.
pub async fn set_public(writer: &Writer, shop: UserId, public: bool) -> ApiResult<()> {
    writer
        .write(move |tx| {
            tx.execute(
                "UPDATE users SET shop_page_public = ? WHERE id = ?",
                crate::args![i64::from(public), shop.to_string()],
            )?;
            Ok(())
        })
        .await
}
