//! Households (private): read and written for the workers of their community only. Public
//! queries never join this table; every worker's read of these rows is logged by the caller.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use microwish_core::{BeneficiaryGroup, CommunityId, Entity, Household, HouseholdId, WishId};

use super::sql::{Flag, Parsed};
use super::sql::{Pool, Statement};
use super::{day, parse_stored, stamp, stored_time, CHUNK};
use crate::error::{ApiError, ApiResult};
use crate::store::sync::log_change;
use crate::writer::Tx;

const SELECT_HOUSEHOLD: &str = "SELECT h.id, h.name, h.address, h.phone, h.grid_id, h.groups, \
     h.notes, h.consent_on, h.minor, h.created_at, h.updated_at, h.guardian_consent_on \
     FROM households h JOIN grids g ON g.id = h.grid_id AND h.deleted_at IS NULL";

#[derive(sqlx::FromRow)]
struct HouseholdRow {
    id: String,
    name: String,
    address: String,
    phone: String,
    grid_id: String,
    groups: String,
    notes: String,
    consent_on: Option<Parsed<NaiveDate>>,
    guardian_consent_on: Option<Parsed<NaiveDate>>,
    minor: Flag,
    created_at: Parsed<DateTime<Utc>>,
    updated_at: Parsed<DateTime<Utc>>,
}

impl HouseholdRow {
    /// The row as the writer's connection reads it (columns of `SELECT_HOUSEHOLD`).
    fn read(row: &super::Row) -> ApiResult<HouseholdRow> {
        let day = |stored: Option<String>| -> ApiResult<Option<Parsed<NaiveDate>>> {
            Ok(stored.as_deref().map(parse_stored).transpose()?.map(Parsed))
        };
        let consent_on: Option<String> = row.get(7)?;
        Ok(HouseholdRow {
            id: row.get(0)?,
            name: row.get(1)?,
            address: row.get(2)?,
            phone: row.get(3)?,
            grid_id: row.get(4)?,
            groups: row.get(5)?,
            notes: row.get(6)?,
            consent_on: consent_on
                .as_deref()
                .map(parse_stored)
                .transpose()?
                .map(Parsed),
            guardian_consent_on: day(row.get(11)?)?,
            minor: Flag(row.get(8)?),
            created_at: Parsed(stored_time(&row.get::<_, String>(9)?)?),
            updated_at: Parsed(stored_time(&row.get::<_, String>(10)?)?),
        })
    }

    fn into_household(self, wishes: Vec<WishId>) -> ApiResult<Household> {
        let groups: Vec<String> = serde_json::from_str(&self.groups)
            .map_err(|error| ApiError::Corrupt(format!("household groups: {error}")))?;
        Ok(Household {
            id: parse_stored(&self.id)?,
            name: self.name,
            address: self.address,
            phone: self.phone,
            grid: self.grid_id.as_str().into(),
            groups: groups
                .iter()
                .map(|group| parse_stored::<BeneficiaryGroup>(group))
                .collect::<Result<_, _>>()?,
            notes: self.notes,
            consent_on: self.consent_on.map(|day| day.0),
            guardian_consent_on: self.guardian_consent_on.map(|day| day.0),
            minor: self.minor.0,
            wishes,
            created_at: self.created_at.0,
            updated_at: self.updated_at.0,
        })
    }
}

/// The households with `ids` (whatever their community: the rules check it).
pub fn states(tx: &Tx, ids: &[HouseholdId]) -> ApiResult<HashMap<HouseholdId, Household>> {
    let rows = super::rows_in(
        tx,
        &format!("{SELECT_HOUSEHOLD} WHERE h.id IN "),
        &[],
        ids,
        HouseholdRow::read,
    )?;
    let mut wishes: HashMap<String, Vec<(String, String)>> = HashMap::new();
    for (household, created_at, wish) in super::rows_in(
        tx,
        "SELECT household_id, created_at, id FROM wishes WHERE household_id IN ",
        &[],
        ids,
        |row| Ok((row.get::<_, String>(0)?, row.get(1)?, row.get(2)?)),
    )? {
        wishes
            .entry(household)
            .or_default()
            .push((created_at, wish));
    }
    let wishes = wishes
        .into_iter()
        .map(|(household, mut listed)| {
            // Oldest first, as the pool's reads list them.
            listed.sort();
            let ids = listed
                .iter()
                .map(|(_, wish)| parse_stored(wish))
                .collect::<ApiResult<Vec<WishId>>>()?;
            Ok((household, ids))
        })
        .collect::<ApiResult<_>>()?;
    finish(rows, wishes)
}

/// The ids of every wish posted for these households.
pub fn wish_ids(tx: &Tx, households: &[HouseholdId]) -> ApiResult<Vec<WishId>> {
    super::rows_in(
        tx,
        "SELECT id FROM wishes WHERE household_id IN ",
        &[],
        households,
        |row| parse_stored(&row.get::<_, String>(0)?),
    )
}

/// The households of `community` with `ids`, for a worker's pull.
pub async fn by_ids(
    db: &Pool,
    community: CommunityId,
    ids: &[HouseholdId],
) -> ApiResult<HashMap<HouseholdId, Household>> {
    let mut rows: Vec<HouseholdRow> = Vec::new();
    for chunk in ids.chunks(CHUNK) {
        let mut sql = Statement::new(format!("{SELECT_HOUSEHOLD} WHERE g.community_id = "));
        sql.push_bind(community.to_string()).push(" AND h.id IN ");
        sql.push_list(chunk);
        rows.extend(db.fetch_all(&sql.sql, &sql.args()).await?);
    }
    let wishes = wishes_of(db, &rows).await?;
    finish(rows, wishes)
}

/// Which of `ids` are deleted households of `community` (their removal reaches its
/// workers' phones).
pub async fn deleted_of(
    db: &Pool,
    community: CommunityId,
    ids: &[HouseholdId],
) -> ApiResult<std::collections::HashSet<HouseholdId>> {
    let mut found = std::collections::HashSet::new();
    for chunk in ids.chunks(CHUNK) {
        let mut sql = Statement::new(
            "SELECT h.id FROM households h JOIN grids g ON g.id = h.grid_id \
             WHERE h.deleted_at IS NOT NULL AND g.community_id = ",
        );
        sql.push_bind(community.to_string()).push(" AND h.id IN ");
        sql.push_list(chunk);
        let rows: Vec<(String,)> = db.fetch_all(&sql.sql, &sql.args()).await?;
        for (id,) in rows {
            found.insert(parse_stored(&id)?);
        }
    }
    Ok(found)
}

/// A community's households, optionally only those whose name, address, phone or notes
/// contain `search`, by name.
pub async fn list(
    db: &Pool,
    community: CommunityId,
    search: Option<&str>,
) -> ApiResult<Vec<Household>> {
    select(db, community, search, Some(1000)).await
}

/// Every household of `community` (the export).
pub async fn all(db: &Pool, community: CommunityId) -> ApiResult<Vec<Household>> {
    select(db, community, None, None).await
}

async fn select(
    db: &Pool,
    community: CommunityId,
    search: Option<&str>,
    limit: Option<u32>,
) -> ApiResult<Vec<Household>> {
    let mut sql = Statement::new(SELECT_HOUSEHOLD);
    sql.push(" WHERE g.community_id = ")
        .push_bind(community.to_string());
    if let Some(text) = search.map(str::trim).filter(|text| !text.is_empty()) {
        let pattern = format!(
            "%{}%",
            super::wishes::escape_like(&text.to_ascii_lowercase())
        );
        sql.push(" AND (");
        for (index, column) in ["h.name", "h.address", "h.phone", "h.notes"]
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
        sql.push(")");
    }
    sql.push(" ORDER BY h.grid_id, h.name, h.id");
    if let Some(limit) = limit {
        sql.push(" LIMIT ").push_bind(i64::from(limit));
    }
    let rows: Vec<HouseholdRow> = db.fetch_all(&sql.sql, &sql.args()).await?;
    let wishes = wishes_of(db, &rows).await?;
    let mut households: Vec<Household> = finish(rows, wishes)?.into_values().collect();
    households.sort_by(|a, b| (&a.grid, &a.name, a.id).cmp(&(&b.grid, &b.name, b.id)));
    Ok(households)
}

/// One household of `community`.
pub async fn one(
    db: &Pool,
    community: CommunityId,
    id: HouseholdId,
) -> ApiResult<Option<Household>> {
    Ok(by_ids(db, community, &[id]).await?.remove(&id))
}

/// Stores a household as it is now (a new one, or an edit).
pub fn put(tx: &Tx, household: &Household, created: bool) -> ApiResult<()> {
    let groups: Vec<&str> = household.groups.iter().map(|g| g.as_str()).collect();
    let groups = serde_json::to_string(&groups).unwrap_or_else(|_| "[]".to_owned());
    let consent_on = household.consent_on.map(day);
    let guardian_consent_on = household.guardian_consent_on.map(day);
    if created {
        super::run(
            tx,
            "INSERT INTO households (id, name, address, phone, grid_id, groups, notes, \
             consent_on, minor, created_at, updated_at, guardian_consent_on) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            crate::args![
                household.id.to_string(),
                household.name,
                household.address,
                household.phone,
                household.grid.as_str(),
                groups,
                household.notes,
                consent_on,
                household.minor,
                stamp(household.created_at),
                stamp(household.updated_at),
                guardian_consent_on,
            ],
        )?;
    } else {
        super::run(
            tx,
            "UPDATE households SET name = ?, address = ?, phone = ?, grid_id = ?, groups = ?, \
             notes = ?, consent_on = ?, minor = ?, updated_at = ?, guardian_consent_on = ? \
             WHERE id = ?",
            crate::args![
                household.name,
                household.address,
                household.phone,
                household.grid.as_str(),
                groups,
                household.notes,
                consent_on,
                household.minor,
                stamp(household.updated_at),
                guardian_consent_on,
                household.id.to_string(),
            ],
        )?;
    }
    log_change(tx, Entity::Household, &household.id.to_string())
}

/// Erases a deleted household's private fields (PIPL): its name, address, phone and notes
/// are emptied and it is never read again (every read above skips it). Its wishes keep its
/// id, which now leads to nothing private.
pub fn erase(tx: &Tx, household: HouseholdId, now: DateTime<Utc>) -> ApiResult<()> {
    let erased = super::run(
        tx,
        "UPDATE households SET name = '', address = '', phone = '', notes = '', \
         updated_at = ?, deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
        crate::args![stamp(now), stamp(now), household.to_string()],
    )?;
    if erased == 0 {
        return Err(ApiError::NotFound("household"));
    }
    log_change(tx, Entity::Household, &household.to_string())
}

/// The wishes posted for each of the rows' households, oldest first.
async fn wishes_of(db: &Pool, rows: &[HouseholdRow]) -> ApiResult<HashMap<String, Vec<WishId>>> {
    let mut found: HashMap<String, Vec<WishId>> = HashMap::new();
    let ids: Vec<&str> = rows.iter().map(|row| row.id.as_str()).collect();
    for chunk in ids.chunks(CHUNK) {
        let mut sql = Statement::new("SELECT household_id, id FROM wishes WHERE household_id IN ");
        sql.push_list(chunk);
        sql.push(" ORDER BY created_at, id");
        let pairs: Vec<(String, String)> = db.fetch_all(&sql.sql, &sql.args()).await?;
        for (household, wish) in pairs {
            found
                .entry(household)
                .or_default()
                .push(parse_stored(&wish)?);
        }
    }
    Ok(found)
}

fn finish(
    rows: Vec<HouseholdRow>,
    mut wishes: HashMap<String, Vec<WishId>>,
) -> ApiResult<HashMap<HouseholdId, Household>> {
    rows.into_iter()
        .map(|row| {
            let mine = wishes.remove(&row.id).unwrap_or_default();
            let household = row.into_household(mine)?;
            Ok((household.id, household))
        })
        .collect()
}
