//! `GET /api/wishes` and `GET /api/wishes/{id}`: the public view of wishes.
//!
//! The queries select an explicit list of wish and grid columns and never join
//! `households`, so no household field can reach these responses.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::Json;
use microwish_core::rules::Units;
use microwish_core::{EventView, Id, Page, PublicWish, Role, WishQuery, WishStatus};
use sqlx::{QueryBuilder, Sqlite, SqlitePool};

use crate::app::AppState;
use crate::auth::MaybeUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::{parse_id, ApiQuery};
use crate::stored::{count, parse_stored};

/// The columns of a public wish and where they come from.
const SELECT_PUBLIC_WISH: &str = "SELECT w.id, w.kind, w.title, w.description, w.category, \
     w.status, w.quantity, w.claimed, w.delivered, w.fulfilled, w.unit, w.alias, \
     w.beneficiary_group, w.grid_id, g.name AS grid_name, g.station, g.station_location, \
     w.needed_by, w.campaign_id, c.title AS campaign_title, w.created_at, w.updated_at \
     FROM wishes w JOIN grids g ON g.id = w.grid_id LEFT JOIN campaigns c ON c.id = w.campaign_id";

/// The most urgent wishes come first; wishes without a date come last.
const URGENCY: &str = "COALESCE(w.needed_by, '9999-12-31')";

#[derive(sqlx::FromRow)]
struct WishRow {
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
    alias: String,
    beneficiary_group: String,
    grid_id: String,
    grid_name: String,
    station: String,
    station_location: String,
    needed_by: Option<chrono::NaiveDate>,
    campaign_id: Option<String>,
    campaign_title: Option<String>,
    created_at: chrono::DateTime<chrono::Utc>,
    updated_at: chrono::DateTime<chrono::Utc>,
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
            grid: row.grid_id,
            grid_name: row.grid_name,
            station: row.station,
            station_location: row.station_location,
            needed_by: row.needed_by,
            campaign_id: row.campaign_id.as_deref().map(parse_stored).transpose()?,
            campaign_title: row.campaign_title,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

pub async fn list(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<WishQuery>,
) -> ApiResult<Json<Page<PublicWish>>> {
    let limit = query.page_size();
    let cursor = query.cursor.as_deref().map(Cursor::parse).transpose()?;
    let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new(SELECT_PUBLIC_WISH);
    sql.push(" WHERE ");
    match query.status {
        // Asking for a draft or a cancelled wish is allowed and simply finds nothing public.
        Some(status) if !status.is_public() => return Ok(Json(empty_page())),
        Some(status) => {
            sql.push("w.status = ").push_bind(status.as_str());
        }
        None => push_public_statuses(&mut sql),
    }
    if let Some(kind) = query.kind {
        sql.push(" AND w.kind = ").push_bind(kind.as_str());
    }
    if let Some(grid) = &query.grid {
        sql.push(" AND w.grid_id = ").push_bind(grid.clone());
    }
    if let Some(category) = query.category {
        sql.push(" AND w.category = ").push_bind(category.as_str());
    }
    if let Some(campaign) = query.campaign {
        sql.push(" AND w.campaign_id = ")
            .push_bind(campaign.to_string());
    }
    if let Some(text) = query.search_text() {
        let pattern = format!("%{}%", escape_like(text));
        sql.push(" AND (");
        for (index, column) in ["w.title", "w.description", "w.alias", "w.unit"]
            .iter()
            .enumerate()
        {
            if index > 0 {
                sql.push(" OR ");
            }
            sql.push(format!("{column} LIKE "))
                .push_bind(pattern.clone())
                .push(" ESCAPE '\\'");
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

    let rows: Vec<WishRow> = sql.build_query_as().fetch_all(&state.db).await?;
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
    Ok(Json(Page { items, next }))
}

pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> ApiResult<Json<PublicWish>> {
    let id: Id = parse_id(&id, "wish")?;
    let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new(SELECT_PUBLIC_WISH);
    sql.push(" WHERE w.id = ")
        .push_bind(id.to_string())
        .push(" AND ");
    push_public_statuses(&mut sql);
    let row: Option<WishRow> = sql.build_query_as().fetch_optional(&state.db).await?;
    let row = row.ok_or(ApiError::NotFound("wish"))?;
    Ok(Json(row.try_into()?))
}

/// The public view of the given wishes, whatever their status (a claimer keeps seeing
/// the wish they claimed even if it was later cancelled).
pub async fn wishes_by_id(db: &SqlitePool, ids: &[Id]) -> ApiResult<HashMap<Id, PublicWish>> {
    let mut found = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(200) {
        let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new(SELECT_PUBLIC_WISH);
        sql.push(" WHERE w.id IN (");
        let mut list = sql.separated(", ");
        for id in chunk {
            list.push_bind(id.to_string());
        }
        sql.push(")");
        let rows: Vec<WishRow> = sql.build_query_as().fetch_all(db).await?;
        for row in rows {
            let wish = PublicWish::try_from(row)?;
            found.insert(wish.id, wish);
        }
    }
    Ok(found)
}

/// `GET /api/wishes/{id}/events`: the wish's timeline. The public sees who acted only as
/// a role ("a donor"); workers and the actor themselves see the name and any note.
pub async fn events(
    State(state): State<AppState>,
    MaybeUser(viewer): MaybeUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Page<EventView>>> {
    let id: Id = parse_id(&id, "wish")?;
    let is_worker = viewer
        .as_ref()
        .is_some_and(|user| user.role == Role::Worker);
    let (status,): (String,) = sqlx::query_as("SELECT status FROM wishes WHERE id = ?")
        .bind(id.to_string())
        .fetch_optional(&state.db)
        .await?
        .ok_or(ApiError::NotFound("wish"))?;
    let status: WishStatus = parse_stored(&status)?;
    if !status.is_public() && !is_worker {
        return Err(ApiError::NotFound("wish"));
    }
    #[allow(clippy::type_complexity)]
    let rows: Vec<(i64, chrono::DateTime<chrono::Utc>, String, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>, String)> =
        sqlx::query_as(
            "SELECT e.seq, e.at, e.action, e.from_status, e.to_status, e.actor_id, u.role, u.display_name, e.note \
             FROM events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.wish_id = ? ORDER BY e.seq",
        )
        .bind(id.to_string())
        .fetch_all(&state.db)
        .await?;
    let viewer_id = viewer.as_ref().map(|user| user.id.to_string());
    let items = rows
        .into_iter()
        .map(
            |(seq, at, action, from_status, to_status, actor_id, role, name, note)| {
                let may_see = is_worker || (actor_id.is_some() && actor_id == viewer_id);
                Ok(EventView {
                    seq,
                    at,
                    action,
                    from_status,
                    to_status,
                    actor_role: role.as_deref().map(parse_stored).transpose()?,
                    actor_name: name.filter(|_| may_see),
                    note: Some(note).filter(|note| may_see && !note.is_empty()),
                })
            },
        )
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(Json(Page { items, next: None }))
}

/// Where a page ended: the sort key of its last wish, sent to clients as `"<date>~<id>"`.
struct Cursor {
    urgency: String,
    id: Id,
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
        let bad = || ApiError::bad_request("bad_query", format!("invalid cursor {text:?}"));
        let (date, id) = text.split_once('~').ok_or_else(bad)?;
        let date: chrono::NaiveDate = date.parse().map_err(|_| bad())?;
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

fn push_public_statuses(sql: &mut QueryBuilder<Sqlite>) {
    sql.push("w.status IN (");
    let mut list = sql.separated(", ");
    for status in WishStatus::PUBLIC {
        list.push_bind(status.as_str());
    }
    sql.push(")");
}

fn empty_page<T>() -> Page<T> {
    Page {
        items: Vec::new(),
        next: None,
    }
}

/// Escapes LIKE's wildcards so a search for "100%" means the text "100%".
fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
