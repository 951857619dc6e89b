//! Wishes: the public view (the queries select an explicit list of wish and grid columns and
//! never join `households`, so no household field can reach it), the state the rules read,
//! and the counters the commands write.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use microwish_core::command::WishChanges;
use microwish_core::decide::{Counts, WishRecord, WishState};
use microwish_core::rules::Units;
use microwish_core::{
    CommunityId, Entity, HouseholdId, Page, ProblemCode, PublicWish, RuleError, WishId, WishQuery,
    WishStatus,
};

use super::sql::Parsed;
use super::sql::{Pool, Statement};
use super::{count, day, parse_stored, stamp, Failure, CHUNK};
use crate::error::{ApiError, ApiResult};
use crate::store::sync::log_change;
use crate::writer::Tx;

/// The columns of a public wish (read as a [`WishRow`])...
macro_rules! public_wish_columns {
    () => {
        "w.id, w.kind, w.title, w.description, w.category, \
         w.status, w.quantity, w.claimed, w.delivered, w.fulfilled, w.unit, w.alias, \
         w.beneficiary_group, w.grid_id, g.name AS grid_name, s.station, s.station_location, \
         w.needed_by, w.campaign_id, c.title AS campaign_title, w.created_at, w.updated_at"
    };
}

/// ...and where they come from, given `wishes w`.
macro_rules! public_wish_joins {
    () => {
        "JOIN grids g ON g.id = w.grid_id \
         JOIN grids s ON s.id = COALESCE(w.station_grid_id, w.grid_id) \
         LEFT JOIN campaigns c ON c.id = w.campaign_id"
    };
}
pub(super) use {public_wish_columns, public_wish_joins};

const SELECT_PUBLIC_WISH: &str = concat!(
    "SELECT ",
    public_wish_columns!(),
    " FROM wishes w ",
    public_wish_joins!()
);

/// The most urgent wishes come first; wishes without a date come last.
const URGENCY: &str = "COALESCE(w.needed_by, '9999-12-31')";

#[derive(sqlx::FromRow)]
pub(super) struct WishRow {
    id: String,
    kind: String,
    title: String,
    description: String,
    category: String,
    status: String,
    quantity: i64,
    claimed: i64,
    delivered: i64,
    fulfilled: i64,
    unit: String,
    pub(super) alias: String,
    beneficiary_group: String,
    grid_id: String,
    grid_name: String,
    station: String,
    station_location: String,
    needed_by: Option<Parsed<NaiveDate>>,
    campaign_id: Option<String>,
    campaign_title: Option<String>,
    created_at: Parsed<DateTime<Utc>>,
    updated_at: Parsed<DateTime<Utc>>,
}

impl WishRow {
    /// The row as a rusqlite connection reads it (the columns of `public_wish_columns!`).
    pub(super) fn read(row: &super::Row) -> ApiResult<WishRow> {
        let needed_by: Option<String> = row.get("needed_by")?;
        Ok(WishRow {
            id: row.get("id")?,
            kind: row.get("kind")?,
            title: row.get("title")?,
            description: row.get("description")?,
            category: row.get("category")?,
            status: row.get("status")?,
            quantity: row.get("quantity")?,
            claimed: row.get("claimed")?,
            delivered: row.get("delivered")?,
            fulfilled: row.get("fulfilled")?,
            unit: row.get("unit")?,
            alias: row.get("alias")?,
            beneficiary_group: row.get("beneficiary_group")?,
            grid_id: row.get("grid_id")?,
            grid_name: row.get("grid_name")?,
            station: row.get("station")?,
            station_location: row.get("station_location")?,
            needed_by: needed_by
                .as_deref()
                .map(parse_stored)
                .transpose()?
                .map(Parsed),
            campaign_id: row.get("campaign_id")?,
            campaign_title: row.get("campaign_title")?,
            created_at: Parsed(super::stored_time(&row.get::<_, String>("created_at")?)?),
            updated_at: Parsed(super::stored_time(&row.get::<_, String>("updated_at")?)?),
        })
    }
}

impl TryFrom<WishRow> for PublicWish {
    type Error = ApiError;

    fn try_from(row: WishRow) -> Result<Self, ApiError> {
        let units = Units {
            quantity: count(row.quantity)?,
            claimed: count(row.claimed)?,
            delivered: count(row.delivered)?,
            fulfilled: count(row.fulfilled)?,
        };
        Ok(PublicWish {
            id: parse_stored(&row.id)?,
            kind: parse_stored(&row.kind)?,
            title: row.title,
            description: row.description,
            category: parse_stored(&row.category)?,
            status: parse_stored(&row.status)?,
            quantity: units.quantity,
            remaining: units.remaining(),
            claimed: units.claimed,
            delivered: units.delivered,
            fulfilled: units.fulfilled,
            unit: row.unit,
            alias: row.alias,
            group: parse_stored(&row.beneficiary_group)?,
            grid: row.grid_id.as_str().into(),
            grid_name: row.grid_name,
            station: row.station,
            station_location: row.station_location,
            needed_by: row.needed_by.map(|day| day.0),
            campaign_id: row.campaign_id.as_deref().map(parse_stored).transpose()?,
            campaign_title: row.campaign_title,
            created_at: row.created_at.0,
            updated_at: row.updated_at.0,
        })
    }
}

/// One page of public wishes matching `query`, most urgent first.
pub async fn list(db: &Pool, query: &WishQuery) -> ApiResult<Page<PublicWish>> {
    let limit = query.page_size();
    let cursor = query.cursor.as_deref().map(Cursor::parse).transpose()?;
    let mut sql = Statement::new(SELECT_PUBLIC_WISH);
    sql.push(" WHERE ");
    match query.status {
        // Asking for a draft or a cancelled wish is allowed and simply finds nothing public.
        Some(status) if !status.is_public() => {
            return Ok(Page {
                items: Vec::new(),
                next: None,
            })
        }
        Some(status) => {
            sql.push("w.status = ").push_bind(status.as_str());
        }
        None => {
            sql.push("w.status IN ");
            sql.push_list(WishStatus::PUBLIC);
        }
    }
    if let Some(kind) = query.kind {
        sql.push(" AND w.kind = ").push_bind(kind.as_str());
    }
    if let Some(grid) = &query.grid {
        sql.push(" AND w.grid_id = ").push_bind(grid.0.clone());
    }
    if let Some(category) = query.category {
        sql.push(" AND w.category = ").push_bind(category.as_str());
    }
    if let Some(campaign) = query.campaign {
        sql.push(" AND w.campaign_id = ")
            .push_bind(campaign.to_string());
    }
    // Every word of the search, each in the text or naming the category or group (core's
    // `WishQuery::matches` is the same rule over a phone's cache).
    for term in query.search_terms() {
        let pattern = format!("%{}%", escape_like(&term.text.to_ascii_lowercase()));
        sql.push(" AND (");
        for (index, column) in ["w.title", "w.description", "w.alias", "w.unit"]
            .iter()
            .enumerate()
        {
            if index > 0 {
                sql.push(" OR ");
            }
            sql.push(db.like(column))
                .push_bind(pattern.clone())
                .push(" ESCAPE '\\'");
        }
        for category in &term.categories {
            sql.push(" OR w.category = ").push_bind(category.as_str());
        }
        for group in &term.groups {
            sql.push(" OR w.beneficiary_group = ")
                .push_bind(group.as_str());
        }
        sql.push(")");
    }
    if let Some(cursor) = cursor {
        // Keyset pagination: strictly after the last row of the previous page.
        sql.push(format!(" AND ({URGENCY} > "))
            .push_bind(cursor.urgency.clone())
            .push(format!(" OR ({URGENCY} = "))
            .push_bind(cursor.urgency)
            .push(" AND w.id > ")
            .push_bind(cursor.id.to_string())
            .push("))");
    }
    // One extra row tells whether a next page exists.
    sql.push(format!(" ORDER BY {URGENCY}, w.id LIMIT "))
        .push_bind(i64::from(limit) + 1);

    let rows: Vec<WishRow> = db.fetch_all(&sql.sql, &sql.args()).await?;
    let mut items = rows
        .into_iter()
        .map(PublicWish::try_from)
        .collect::<Result<Vec<_>, _>>()?;
    let next = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(|wish| Cursor::after(wish).to_string())
    } else {
        None
    };
    Ok(Page { items, next })
}

/// A wish anyone may see (a public status), if there is one with this id.
pub async fn public(db: &Pool, id: WishId) -> ApiResult<Option<PublicWish>> {
    let mut sql = Statement::new(SELECT_PUBLIC_WISH);
    sql.push(" WHERE w.id = ")
        .push_bind(id.to_string())
        .push(" AND w.status IN ");
    sql.push_list(WishStatus::PUBLIC);
    let row: Option<WishRow> = db.fetch_optional(&sql.sql, &sql.args()).await?;
    row.map(PublicWish::try_from).transpose()
}

/// The public view of the given wishes, whatever their status (a claimer keeps seeing
/// the wish they claimed even if it was later cancelled).
pub async fn by_ids(db: &Pool, ids: &[WishId]) -> ApiResult<HashMap<WishId, PublicWish>> {
    let mut found = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(CHUNK) {
        let mut sql = Statement::new(SELECT_PUBLIC_WISH);
        sql.push(" WHERE w.id IN ");
        sql.push_list(chunk);
        let rows: Vec<WishRow> = db.fetch_all(&sql.sql, &sql.args()).await?;
        for row in rows {
            let wish = PublicWish::try_from(row)?;
            found.insert(wish.id, wish);
        }
    }
    Ok(found)
}

/// Every wish of `community`, whatever its status, oldest first (the export: public fields
/// only, so aliases and never names).
pub async fn of_community(db: &Pool, community: CommunityId) -> ApiResult<Vec<PublicWish>> {
    let mut sql = Statement::new(SELECT_PUBLIC_WISH);
    sql.push(" WHERE g.community_id = ")
        .push_bind(community.to_string())
        .push(" ORDER BY w.created_at, w.id");
    let rows: Vec<WishRow> = db.fetch_all(&sql.sql, &sql.args()).await?;
    rows.into_iter().map(PublicWish::try_from).collect()
}

/// The household and title of each wish of `community` still under way (core's
/// `import::UNDER_WAY`), titles trimmed: what an import must not ask again.
pub async fn under_way(
    db: &Pool,
    community: CommunityId,
) -> ApiResult<HashSet<(HouseholdId, String)>> {
    let mut sql = Statement::new(
        "SELECT w.household_id, w.title FROM wishes w JOIN grids g ON g.id = w.grid_id \
         WHERE w.household_id IS NOT NULL AND g.community_id = ",
    );
    sql.push_bind(community.to_string())
        .push(" AND w.status IN ");
    sql.push_list(microwish_core::import::UNDER_WAY);
    let rows: Vec<(String, String)> = db.fetch_all(&sql.sql, &sql.args()).await?;
    rows.into_iter()
        .map(|(household, title)| Ok((parse_stored(&household)?, title.trim().to_owned())))
        .collect()
}

/// When each wish became fulfilled (its first move to `fulfilled` in the event log).
pub async fn fulfilled_at(db: &Pool) -> ApiResult<HashMap<WishId, DateTime<Utc>>> {
    let rows: Vec<(String, Parsed<DateTime<Utc>>)> = db
        .fetch_all(
            "SELECT entity_id, MIN(at) FROM events \
         WHERE entity = ? AND to_status = ? GROUP BY entity_id",
            crate::args![Entity::Wish.as_str(), WishStatus::Fulfilled.as_str()],
        )
        .await?;
    rows.into_iter()
        .map(|(id, at)| Ok((parse_stored(&id)?, at.0)))
        .collect()
}

/// The community a wish belongs to (by its grid).
pub async fn community_of(db: &Pool, id: WishId) -> ApiResult<Option<CommunityId>> {
    let row: Option<(Option<String>,)> = db
        .fetch_optional(
            "SELECT g.community_id FROM wishes w JOIN grids g ON g.id = w.grid_id WHERE w.id = ?",
            crate::args![id.to_string()],
        )
        .await?;
    row.and_then(|(community,)| community)
        .map(|community| parse_stored(&community))
        .transpose()
}

/// A wish's status, whoever may see it.
pub async fn status(db: &Pool, id: WishId) -> ApiResult<Option<WishStatus>> {
    let row: Option<(String,)> = db
        .fetch_optional(
            "SELECT status FROM wishes WHERE id = ?",
            crate::args![id.to_string()],
        )
        .await?;
    row.map(|(status,)| parse_stored(&status)).transpose()
}

/// What the rules need to know of the given wishes.
pub fn states(tx: &Tx, ids: &[WishId]) -> ApiResult<HashMap<WishId, WishState>> {
    let rows = super::rows_in_for_update(
        tx,
        "SELECT id, grid_id, household_id, kind, status, needed_by, quantity, claimed, \
             delivered, fulfilled FROM wishes WHERE id IN ",
        "wishes",
        &[],
        ids,
        |row| {
            let needed_by: Option<String> = row.get(5)?;
            let state = WishState {
                grid: row.get::<_, String>(1)?.as_str().into(),
                household: row
                    .get::<_, Option<String>>(2)?
                    .as_deref()
                    .map(parse_stored)
                    .transpose()?,
                kind: parse_stored(&row.get::<_, String>(3)?)?,
                status: parse_stored(&row.get::<_, String>(4)?)?,
                needed_by: needed_by.as_deref().map(parse_stored).transpose()?,
                units: Units {
                    quantity: count(row.get(6)?)?,
                    claimed: count(row.get(7)?)?,
                    delivered: count(row.get(8)?)?,
                    fulfilled: count(row.get(9)?)?,
                },
            };
            Ok((parse_stored(&row.get::<_, String>(0)?)?, state))
        },
    )?;
    Ok(rows.into_iter().collect())
}

/// Stores new counters and status for a wish, only if nobody changed them since they were
/// read (compare-and-set); the CHECK on `wishes` backs the quantity rule up.
pub fn set_counts(
    tx: &Tx,
    id: WishId,
    before: Counts,
    after: Counts,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    // The campaign comes back with the update: one statement, not one more to find it.
    let result = tx.query_row(
        "UPDATE wishes SET quantity = ?, claimed = ?, delivered = ?, fulfilled = ?, \
             status = ?, updated_at = ? WHERE id = ? AND quantity = ? AND claimed = ? \
             AND delivered = ? AND fulfilled = ? AND status = ? RETURNING campaign_id",
        crate::args![
            after.units.quantity,
            after.units.claimed,
            after.units.delivered,
            after.units.fulfilled,
            after.status.as_str(),
            stamp(now),
            id.to_string(),
            before.units.quantity,
            before.units.claimed,
            before.units.delivered,
            before.units.fulfilled,
            before.status.as_str(),
        ],
        |row| row.get::<_, Option<String>>(0),
    );
    match result {
        Ok(Some(campaign)) => {
            log_change(tx, Entity::Wish, &id.to_string())?;
            // The campaign's progress is derived from its wishes: it changed too.
            match campaign {
                Some(campaign) => log_change(tx, Entity::Campaign, &campaign),
                None => Ok(()),
            }
        }
        // Another process changed the wish between our read and this write.
        Ok(None) => Err(RuleError::WishFullyClaimed.into()),
        Err(error) if error.is(Failure::Check) => Err(RuleError::WishFullyClaimed.into()),
        Err(error) => Err(error),
    }
}

/// Adds a wish a worker posted.
pub fn insert(tx: &Tx, wish: &WishRecord, now: DateTime<Utc>) -> ApiResult<()> {
    let station = (wish.station != wish.grid).then(|| wish.station.as_str());
    super::run(
        tx,
        "INSERT INTO wishes (id, kind, title, description, category, status, quantity, unit, \
         alias, beneficiary_group, grid_id, station_grid_id, household_id, needed_by, \
         campaign_id, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        crate::args![
            wish.id.to_string(),
            wish.kind.as_str(),
            wish.title,
            wish.description,
            wish.category.as_str(),
            wish.status.as_str(),
            wish.quantity,
            wish.unit,
            wish.alias,
            wish.group.as_str(),
            wish.grid.as_str(),
            station,
            wish.household.to_string(),
            wish.needed_by.map(day),
            wish.campaign_id.map(|id| id.to_string()),
            stamp(now),
            stamp(now),
        ],
    )?;
    log_change(tx, Entity::Wish, &wish.id.to_string())?;
    // The household lists its wishes; a campaign counts them.
    log_change(tx, Entity::Household, &wish.household.to_string())?;
    if let Some(campaign) = wish.campaign_id {
        log_change(tx, Entity::Campaign, &campaign.to_string())?;
    }
    Ok(())
}

/// A worker's edit of a wish's descriptive fields.
pub fn set_fields(tx: &Tx, id: WishId, changes: &WishChanges, now: DateTime<Utc>) -> ApiResult<()> {
    let mut sql = String::from("UPDATE wishes SET updated_at = ?");
    let mut values: Vec<Option<String>> = vec![Some(stamp(now))];
    let mut set = |column: &str, value: Option<String>| {
        sql.push_str(&format!(", {column} = ?"));
        values.push(value);
    };
    if let Some(title) = &changes.title {
        set("title", Some(title.clone()));
    }
    if let Some(description) = &changes.description {
        set("description", Some(description.clone()));
    }
    if let Some(category) = changes.category {
        set("category", Some(category.as_str().to_owned()));
    }
    if let Some(unit) = &changes.unit {
        set("unit", Some(unit.clone()));
    }
    if let Some(alias) = &changes.alias {
        set("alias", Some(alias.clone()));
    }
    if let Some(group) = changes.group {
        set("beneficiary_group", Some(group.as_str().to_owned()));
    }
    if let Some(station) = &changes.station {
        set("station_grid_id", Some(station.to_string()));
    }
    if let Some(needed_by) = changes.needed_by {
        set("needed_by", needed_by.map(day));
    }
    if let Some(campaign) = changes.campaign_id {
        set("campaign_id", campaign.map(|id| id.to_string()));
    }
    sql.push_str(" WHERE id = ?");
    values.push(Some(id.to_string()));
    // The campaign the wish leaves (if it moves) changes too.
    log_campaign(tx, id)?;
    let args: Vec<&dyn super::sql::Arg> = values.iter().map(|value| value as _).collect();
    tx.execute(&sql, &args)?;
    log_change(tx, Entity::Wish, &id.to_string())?;
    log_campaign(tx, id)
}

fn log_campaign(tx: &Tx, wish: WishId) -> ApiResult<()> {
    super::run(
        tx,
        "INSERT INTO change_log (entity, entity_id) \
         SELECT ?, campaign_id FROM wishes WHERE id = ? AND campaign_id IS NOT NULL",
        crate::args![Entity::Campaign.as_str(), wish.to_string()],
    )?;
    Ok(())
}

/// Where a page ended: the sort key of its last wish, sent to clients as `"<date>~<id>"`.
struct Cursor {
    urgency: String,
    id: WishId,
}

impl Cursor {
    fn after(wish: &PublicWish) -> Cursor {
        Cursor {
            urgency: wish
                .needed_by
                .map(|date| date.to_string())
                .unwrap_or_else(|| "9999-12-31".to_owned()),
            id: wish.id,
        }
    }

    fn parse(text: &str) -> Result<Cursor, ApiError> {
        let bad =
            || ApiError::bad_request(ProblemCode::BadQuery, format!("invalid cursor {text:?}"));
        let (date, id) = text.split_once('~').ok_or_else(bad)?;
        let date: NaiveDate = date.parse().map_err(|_| bad())?;
        Ok(Cursor {
            urgency: date.to_string(),
            id: id.parse().map_err(|_| bad())?,
        })
    }
}

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}~{}", self.urgency, self.id)
    }
}

/// Escapes LIKE's wildcards so a search for "100%" means the text "100%".
pub(super) fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
