//! What the workers' report counts (core's `stats` counts it): a community's published
//! wishes with when they were posted and fulfilled, its confirmed house calls, the
//! allocations of shops' pledges to its wishes, and its residents' requests.

use chrono::{DateTime, Utc};
use microwish_core::stats::{AllocationFact, CountedWish, Facts, HouseCallFact, WishFact};
use microwish_core::{CommunityId, Entity, EventAction, UserId, WishKind, WishStatus};

use super::sql::Parsed;
use super::sql::{Pool, Statement};
use super::{count, parse_stored};
use crate::error::ApiResult;

/// household, grid, kind, status, quantity, remaining, posted at, last fulfilled at.
type WishRow = (
    Option<String>,
    String,
    String,
    String,
    i64,
    i64,
    Parsed<DateTime<Utc>>,
    Option<Parsed<DateTime<Utc>>>,
);

/// shop, grid, allocated at, status, units.
type AllocationRow = (String, String, Parsed<DateTime<Utc>>, String, i64);

pub async fn facts(db: &Pool, community: CommunityId, now: DateTime<Utc>) -> ApiResult<Facts> {
    let requests = super::requests::facts(db, Some(community), now).await?;
    let community = community.to_string();
    // Posted: when it was published (a draft waits), else when it was created. Fulfilled:
    // when it last became so (core counts it only while it still is).
    let wish = Entity::Wish.as_str();
    let mut sql = Statement::new(
        "SELECT w.household_id, w.grid_id, w.kind, w.status, w.quantity, w.quantity - w.claimed, \
           COALESCE((SELECT MIN(e.at) FROM events e WHERE e.wish_id = w.id AND e.entity = ",
    );
    sql.push_bind(wish)
        .push(" AND e.action = ")
        .push_bind(EventAction::Publish.as_str())
        .push("), w.created_at), (SELECT MAX(e.at) FROM events e WHERE e.wish_id = w.id AND e.entity = ")
        .push_bind(wish)
        .push(" AND e.to_status = ")
        .push_bind(WishStatus::Fulfilled.as_str())
        .push(") FROM wishes w JOIN grids g ON g.id = w.grid_id WHERE g.community_id = ")
        .push_bind(community.clone())
        .push(" AND w.status IN ")
        .push_list(WishStatus::PUBLIC);
    let wishes: Vec<WishRow> = db.fetch_all(&sql.sql, &sql.args()).await?;
    let house_calls = house_calls(db, &community, None).await?;
    let allocations: Vec<AllocationRow> = db
        .fetch_all(
            "SELECT p.shop_name, w.grid_id, a.created_at, a.status, a.quantity \
         FROM allocations a JOIN pledges p ON p.id = a.pledge_id \
         JOIN wishes w ON w.id = a.wish_id JOIN grids g ON g.id = w.grid_id \
         WHERE g.community_id = ?",
            crate::args![&community],
        )
        .await?;
    Ok(Facts {
        wishes: wishes
            .into_iter()
            .map(
                |(household, grid, kind, status, quantity, remaining, posted_at, fulfilled_at)| {
                    Ok(WishFact {
                        wish: CountedWish {
                            household: household.as_deref().map(parse_stored).transpose()?,
                            kind: parse_stored(&kind)?,
                            status: parse_stored(&status)?,
                            quantity: count(quantity)?,
                            remaining: count(remaining)?,
                        },
                        grid: grid.as_str().into(),
                        posted_at: posted_at.0,
                        fulfilled_at: fulfilled_at.map(|time| time.0),
                    })
                },
            )
            .collect::<ApiResult<_>>()?,
        house_calls,
        allocations: allocations
            .into_iter()
            .map(|(shop_name, grid, allocated_at, status, units)| {
                Ok(AllocationFact {
                    shop_name,
                    grid: grid.as_str().into(),
                    allocated_at: allocated_at.0,
                    status: parse_stored(&status)?,
                    units: count(units)?,
                })
            })
            .collect::<ApiResult<_>>()?,
        requests,
    })
}

/// grid, volunteer, confirmed at, minutes, confirmed by.
type HouseCallRow = (String, String, Parsed<DateTime<Utc>>, i64, Option<String>);

/// The house calls of `community` workers confirmed (each confirmation of a claim on a service
/// wish, with the minutes it credited and who confirmed it), only `volunteer`'s if one is
/// given: what the report counts and what a volunteer's certificate counts, read one way.
pub async fn house_calls(
    db: &Pool,
    community: &str,
    volunteer: Option<UserId>,
) -> ApiResult<Vec<HouseCallFact>> {
    let mut sql = Statement::new(
        "SELECT w.grid_id, c.user_id, e.at, c.volunteer_minutes, e.actor_id \
         FROM events e JOIN claims c ON c.id = e.entity_id JOIN wishes w ON w.id = c.wish_id \
         JOIN grids g ON g.id = w.grid_id WHERE e.entity = ",
    );
    sql.push_bind(Entity::Claim.as_str())
        .push(" AND e.action = ")
        .push_bind(EventAction::Confirm.as_str())
        .push(" AND w.kind = ")
        .push_bind(WishKind::Service.as_str())
        .push(" AND g.community_id = ")
        .push_bind(community.to_owned());
    if let Some(volunteer) = volunteer {
        sql.push(" AND c.user_id = ")
            .push_bind(volunteer.to_string());
    }
    let rows: Vec<HouseCallRow> = db.fetch_all(&sql.sql, &sql.args()).await?;
    rows.into_iter()
        .map(|(grid, volunteer, confirmed_at, minutes, by)| {
            Ok(HouseCallFact {
                grid: grid.as_str().into(),
                volunteer: parse_stored(&volunteer)?,
                confirmed_at: confirmed_at.0,
                minutes: count(minutes)?,
                confirmed_by: by.as_deref().map(parse_stored).transpose()?,
            })
        })
        .collect()
}
