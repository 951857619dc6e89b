//! Residents' requests and their photos: the stored request (core's [`Request`]), what the
//! rules read of it (locked on PostgreSQL), the writes core decides, the inbox's pages (as
//! core's [`RequestScope`] allows), the public board's rows, the facts the rates count and the
//! resolved requests whose answer time ran out.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use microwish_core::decide::{RequestChanges, RequestRecord, RequestState};
use microwish_core::stats::RequestFact;
use microwish_core::visibility::RequestScope;
use microwish_core::{
    CommunityId, Entity, Handler, OnBehalf, PhotoId, ProblemCode, Request, RequestId, RequestPhoto,
    RequestQuery, RequestStatus, UploadedPhoto, WishId,
};

use super::sql::{Flag, Parsed, Pool, Statement};
use super::{count, parse_stored, stamp};
use crate::error::{ApiError, ApiResult};
use crate::photos::Encoded;
use crate::store::sync::log_change;
use crate::writer::Tx;

/// Every column of a stored request, with its requester's name and phone and its building's
/// name (`r`, `u`, `b`).
const SELECT_REQUEST: &str = "SELECT r.id, r.community_id, r.grid_id, r.building_id, \
    b.name AS building, r.unit, r.place, r.category, r.description, r.urgency, r.contact_ok, \
    r.channel, r.status, r.requester_id, u.display_name AS requester_name, \
    u.phone AS requester_phone, r.on_behalf, r.on_behalf_name, r.on_behalf_phone, \
    r.handler_kind, r.handler_id, r.accept_by, r.resolve_by, r.accepted_at, r.resolved_at, \
    r.closed_at, r.rating, r.rating_note, r.public_summary, r.wish_id, r.merged_into, \
    r.reopen_count, r.created_at, r.updated_at \
    FROM requests r JOIN users u ON u.id = r.requester_id JOIN buildings b ON b.id = r.building_id";

#[derive(sqlx::FromRow)]
struct RequestRow {
    id: String,
    community_id: String,
    grid_id: String,
    building_id: String,
    building: String,
    unit: Option<String>,
    place: Option<String>,
    category: String,
    description: String,
    urgency: String,
    contact_ok: Flag,
    channel: String,
    status: String,
    requester_id: String,
    requester_name: String,
    requester_phone: String,
    on_behalf: Flag,
    on_behalf_name: Option<String>,
    on_behalf_phone: Option<String>,
    handler_kind: Option<String>,
    handler_id: Option<String>,
    accept_by: Parsed<DateTime<Utc>>,
    resolve_by: Parsed<DateTime<Utc>>,
    accepted_at: Option<Parsed<DateTime<Utc>>>,
    resolved_at: Option<Parsed<DateTime<Utc>>>,
    closed_at: Option<Parsed<DateTime<Utc>>>,
    rating: Option<i64>,
    rating_note: Option<String>,
    public_summary: Option<String>,
    wish_id: Option<String>,
    merged_into: Option<String>,
    reopen_count: i64,
    created_at: Parsed<DateTime<Utc>>,
    updated_at: Parsed<DateTime<Utc>>,
}

impl RequestRow {
    fn into_request(self, photos: Vec<RequestPhoto>) -> ApiResult<Request> {
        Ok(Request {
            id: parse_stored(&self.id)?,
            community: parse_stored(&self.community_id)?,
            grid: self.grid_id.as_str().into(),
            building_id: parse_stored(&self.building_id)?,
            building: self.building,
            unit: self.unit,
            place: self.place,
            category: parse_stored(&self.category)?,
            description: self.description,
            urgency: parse_stored(&self.urgency)?,
            contact_ok: self.contact_ok.0,
            channel: parse_stored(&self.channel)?,
            status: parse_stored(&self.status)?,
            requester: parse_stored(&self.requester_id)?,
            requester_name: self.requester_name,
            requester_phone: super::users::stored_phone(&self.requester_phone)?,
            on_behalf: self.on_behalf.0.then_some(OnBehalf {
                name: self.on_behalf_name,
                phone: self.on_behalf_phone,
            }),
            handler: handler(self.handler_kind.as_deref(), self.handler_id.as_deref())?,
            accept_by: self.accept_by.0,
            resolve_by: self.resolve_by.0,
            accepted_at: self.accepted_at.map(|time| time.0),
            resolved_at: self.resolved_at.map(|time| time.0),
            closed_at: self.closed_at.map(|time| time.0),
            rating: self.rating.map(rating).transpose()?,
            rating_note: self.rating_note,
            public_summary: self.public_summary,
            wish_id: self.wish_id.as_deref().map(parse_stored).transpose()?,
            merged_into: self.merged_into.as_deref().map(parse_stored).transpose()?,
            photos,
            reopen_count: count(self.reopen_count)?,
            created_at: self.created_at.0,
            updated_at: self.updated_at.0,
        })
    }
}

fn handler(kind: Option<&str>, user: Option<&str>) -> ApiResult<Option<Handler>> {
    match (kind, user) {
        (Some(kind), Some(user)) => Ok(Some(Handler {
            kind: parse_stored(kind)?,
            user_id: parse_stored(user)?,
        })),
        _ => Ok(None),
    }
}

fn rating(stars: i64) -> ApiResult<u8> {
    u8::try_from(stars).map_err(|_| ApiError::Corrupt(format!("rating {stars}")))
}

/// The requests `sql` selects (its columns [`SELECT_REQUEST`]'s), in its order, each with its
/// photos when `with_photos`.
async fn load(db: &Pool, sql: &Statement, with_photos: bool) -> ApiResult<Vec<Request>> {
    let rows: Vec<RequestRow> = db.fetch_all(&sql.sql, &sql.args()).await?;
    let mut photos = if with_photos && !rows.is_empty() {
        let ids: Vec<&str> = rows.iter().map(|row| row.id.as_str()).collect();
        photos_of(db, &ids).await?
    } else {
        HashMap::new()
    };
    rows.into_iter()
        .map(|row| {
            let photos = photos.remove(&row.id).unwrap_or_default();
            row.into_request(photos)
        })
        .collect()
}

/// The photos of these requests (by the request's id as stored), each in the order added.
async fn photos_of(db: &Pool, ids: &[&str]) -> ApiResult<HashMap<String, Vec<RequestPhoto>>> {
    let mut sql =
        Statement::new("SELECT request_id, id, stage FROM request_photos WHERE request_id IN ");
    sql.push_list(ids)
        .push(" ORDER BY request_id, created_at, id");
    let rows: Vec<(String, String, String)> = db.fetch_all(&sql.sql, &sql.args()).await?;
    let mut photos: HashMap<String, Vec<RequestPhoto>> = HashMap::new();
    for (request, id, stage) in rows {
        photos.entry(request).or_default().push(RequestPhoto {
            id: parse_stored(&id)?,
            stage: parse_stored(&stage)?,
        });
    }
    Ok(photos)
}

/// The request `id`, if there is one.
pub async fn one(db: &Pool, id: RequestId) -> ApiResult<Option<Request>> {
    let mut sql = Statement::new(SELECT_REQUEST);
    sql.push(" WHERE r.id = ").push_bind(id.to_string());
    Ok(load(db, &sql, true).await?.pop())
}

/// The requests with these ids (for a pull).
pub async fn by_ids(db: &Pool, ids: &[RequestId]) -> ApiResult<HashMap<RequestId, Request>> {
    let mut found = HashMap::with_capacity(ids.len());
    // Below both engines' limits on bound values.
    for chunk in ids.chunks(500) {
        let mut sql = Statement::new(SELECT_REQUEST);
        sql.push(" WHERE r.id IN ").push_list(chunk);
        found.extend(load(db, &sql, true).await?.into_iter().map(|r| (r.id, r)));
    }
    Ok(found)
}

/// Every request of `community`, the newest first (the workers' spreadsheet).
pub async fn of_community(db: &Pool, community: CommunityId) -> ApiResult<Vec<Request>> {
    let mut sql = Statement::new(SELECT_REQUEST);
    sql.push(" WHERE r.community_id = ")
        .push_bind(community.to_string())
        .push(" ORDER BY r.created_at DESC, r.id");
    load(db, &sql, true).await
}

/// The limit an open request works towards (acceptance while submitted, then resolution);
/// NULL once resolved or ended: core's `RequestView::next_deadline` in SQL.
fn push_deadline(sql: &mut Statement) {
    sql.push("(CASE WHEN r.status = ")
        .push_bind(RequestStatus::Submitted.as_str())
        .push(" THEN r.accept_by WHEN r.status IN ")
        .push_list(RequestStatus::OPEN)
        .push(" THEN r.resolve_by END)");
}

/// Past a limit at `now` (core's `RequestStatus::overdue` in SQL).
fn push_overdue(sql: &mut Statement, now: DateTime<Utc>) {
    sql.push("((r.status = ")
        .push_bind(RequestStatus::Submitted.as_str())
        .push(" AND r.accept_by < ")
        .push_bind(now)
        .push(") OR (r.status IN ")
        .push_list(RequestStatus::OPEN)
        .push(" AND r.resolve_by < ")
        .push_bind(now)
        .push("))");
}

/// Where a page of the inbox starts: after an open request (its limit, its id) or, past
/// the open ones, after an ended one (when it last changed, its id).
enum InboxCursor {
    Open(String, RequestId),
    Ended(String, RequestId),
}

impl InboxCursor {
    fn after(request: &Request) -> InboxCursor {
        match request.status {
            RequestStatus::Submitted => InboxCursor::Open(stamp(request.accept_by), request.id),
            status if status.is_open() => InboxCursor::Open(stamp(request.resolve_by), request.id),
            _ => InboxCursor::Ended(stamp(request.updated_at), request.id),
        }
    }

    fn parse(text: &str) -> ApiResult<InboxCursor> {
        let bad =
            || ApiError::bad_request(ProblemCode::BadQuery, format!("invalid cursor {text:?}"));
        let mut parts = text.splitn(3, '~');
        let (kind, at, id) = match (parts.next(), parts.next(), parts.next()) {
            (Some(kind), Some(at), Some(id)) => (kind, at, id),
            _ => return Err(bad()),
        };
        let at = DateTime::parse_from_rfc3339(at).map_err(|_| bad())?;
        let at = stamp(at.with_timezone(&Utc));
        let id = id.parse().map_err(|_| bad())?;
        match kind {
            "o" => Ok(InboxCursor::Open(at, id)),
            "e" => Ok(InboxCursor::Ended(at, id)),
            _ => Err(bad()),
        }
    }
}

impl std::fmt::Display for InboxCursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InboxCursor::Open(at, id) => write!(f, "o~{at}~{id}"),
            InboxCursor::Ended(at, id) => write!(f, "e~{at}~{id}"),
        }
    }
}

/// One page of the requests `scope` allows that `query` asks for, in the inbox's order (core's
/// `RequestQuery::sort`: open ones by their nearest limit, so the overdue lead; then the
/// others, the latest changed first); the cursor of the next page, if any.
pub async fn page(
    db: &Pool,
    scope: RequestScope,
    query: &RequestQuery,
    limit: u32,
    now: DateTime<Utc>,
) -> ApiResult<(Vec<Request>, Option<String>)> {
    let mut sql = Statement::new(SELECT_REQUEST);
    match scope {
        RequestScope::Nothing => return Ok((Vec::new(), None)),
        RequestScope::Community(community) => {
            sql.push(" WHERE r.community_id = ")
                .push_bind(community.to_string());
        }
        RequestScope::Own { user, calls_of } => {
            sql.push(" WHERE (r.requester_id = ")
                .push_bind(user.to_string())
                .push(" OR r.handler_id = ")
                .push_bind(user.to_string());
            if let Some(community) = calls_of {
                sql.push(" OR (r.community_id = ")
                    .push_bind(community.to_string())
                    .push(" AND r.status = ")
                    .push_bind(RequestStatus::Calling.as_str())
                    .push(")");
            }
            sql.push(")");
        }
    }
    if let Some(status) = query.status {
        sql.push(" AND r.status = ").push_bind(status.as_str());
    }
    if let Some(grid) = &query.grid {
        sql.push(" AND r.grid_id = ").push_bind(grid.as_str());
    }
    if let Some(category) = query.category {
        sql.push(" AND r.category = ").push_bind(category.as_str());
    }
    if let Some(overdue) = query.overdue {
        sql.push(if overdue { " AND " } else { " AND NOT " });
        push_overdue(&mut sql, now);
    }
    match query
        .cursor
        .as_deref()
        .filter(|text| !text.is_empty())
        .map(InboxCursor::parse)
        .transpose()?
    {
        None => {}
        Some(InboxCursor::Open(at, id)) => {
            sql.push(" AND (");
            push_deadline(&mut sql);
            sql.push(" IS NULL OR ");
            push_deadline(&mut sql);
            sql.push(" > ").push_bind(at.clone()).push(" OR (");
            push_deadline(&mut sql);
            sql.push(" = ")
                .push_bind(at)
                .push(" AND r.id > ")
                .push_bind(id.to_string())
                .push("))");
        }
        Some(InboxCursor::Ended(at, id)) => {
            sql.push(" AND ");
            push_deadline(&mut sql);
            sql.push(" IS NULL AND (r.updated_at < ")
                .push_bind(at.clone())
                .push(" OR (r.updated_at = ")
                .push_bind(at)
                .push(" AND r.id > ")
                .push_bind(id.to_string())
                .push("))");
        }
    }
    sql.push(" ORDER BY CASE WHEN ");
    push_deadline(&mut sql);
    sql.push(" IS NULL THEN 1 ELSE 0 END, ");
    push_deadline(&mut sql);
    sql.push(", CASE WHEN ");
    push_deadline(&mut sql);
    // Open requests tie on this (NULL), and go by id.
    sql.push(" IS NULL THEN r.updated_at END DESC, r.id LIMIT ")
        .push_bind(i64::from(limit) + 1);
    let mut requests = load(db, &sql, true).await?;
    let next = if requests.len() > limit as usize {
        requests.truncate(limit as usize);
        requests
            .last()
            .map(|last| InboxCursor::after(last).to_string())
    } else {
        None
    };
    Ok((requests, next))
}

/// One page of the requests that may be on the public board (resolved, with a public
/// summary), the latest resolved first; the cursor of the next page. Which of them are, and
/// what of them shows, is core's `BoardItem::of`.
pub async fn board(
    db: &Pool,
    cursor: Option<&str>,
    limit: u32,
) -> ApiResult<(Vec<Request>, Option<String>)> {
    let mut sql = Statement::new(SELECT_REQUEST);
    sql.push(" WHERE r.status IN ")
        .push_list(RequestStatus::RESOLVED)
        .push(" AND r.resolved_at IS NOT NULL AND r.public_summary IS NOT NULL");
    if let Some(text) = cursor.filter(|text| !text.is_empty()) {
        let bad =
            || ApiError::bad_request(ProblemCode::BadQuery, format!("invalid cursor {text:?}"));
        let (at, id) = text.split_once('~').ok_or_else(bad)?;
        let at = stamp(
            DateTime::parse_from_rfc3339(at)
                .map_err(|_| bad())?
                .with_timezone(&Utc),
        );
        let id: RequestId = id.parse().map_err(|_| bad())?;
        sql.push(" AND (r.resolved_at < ")
            .push_bind(at.clone())
            .push(" OR (r.resolved_at = ")
            .push_bind(at)
            .push(" AND r.id > ")
            .push_bind(id.to_string())
            .push("))");
    }
    sql.push(" ORDER BY r.resolved_at DESC, r.id LIMIT ")
        .push_bind(i64::from(limit) + 1);
    let mut requests = load(db, &sql, false).await?;
    let next = if requests.len() > limit as usize {
        requests.truncate(limit as usize);
        requests.last().and_then(|last| {
            last.resolved_at
                .map(|at| format!("{}~{}", stamp(at), last.id))
        })
    } else {
        None
    };
    Ok((requests, next))
}

/// What the rates count of the requests of `community` (of all, without one), read at `now`.
pub async fn facts(
    db: &Pool,
    community: Option<CommunityId>,
    now: DateTime<Utc>,
) -> ApiResult<Vec<RequestFact>> {
    type FactRow = (
        String,
        String,
        String,
        Parsed<DateTime<Utc>>,
        Parsed<DateTime<Utc>>,
        Option<Parsed<DateTime<Utc>>>,
        Option<Parsed<DateTime<Utc>>>,
        Option<Parsed<DateTime<Utc>>>,
        Option<i64>,
        i64,
    );
    let mut sql = Statement::new(
        "SELECT grid_id, category, status, created_at, accept_by, accepted_at, resolved_at, \
         closed_at, rating, reopen_count FROM requests",
    );
    if let Some(community) = community {
        sql.push(" WHERE community_id = ")
            .push_bind(community.to_string());
    }
    let rows: Vec<FactRow> = db.fetch_all(&sql.sql, &sql.args()).await?;
    rows.into_iter()
        .map(
            |(
                grid,
                category,
                status,
                created,
                accept_by,
                accepted,
                resolved,
                closed,
                stars,
                reopened,
            )| {
                Ok(RequestFact {
                    grid: grid.as_str().into(),
                    category: parse_stored(&category)?,
                    status: parse_stored(&status)?,
                    created_at: created.0,
                    accept_by: accept_by.0,
                    accepted_at: accepted.map(|time| time.0),
                    resolved_at: resolved.map(|time| time.0),
                    closed_at: closed.map(|time| time.0),
                    rating: stars.map(rating).transpose()?,
                    reopen_count: count(reopened)?,
                    read_at: now,
                })
            },
        )
        .collect()
}

/// A photo's re-encoded bytes, if the request has one with this id.
pub async fn photo_bytes(
    db: &Pool,
    request: RequestId,
    photo: PhotoId,
) -> ApiResult<Option<Vec<u8>>> {
    let row: Option<(Vec<u8>,)> = db
        .fetch_optional(
            "SELECT bytes FROM request_photos WHERE id = ? AND request_id = ?",
            crate::args![photo.to_string(), request.to_string()],
        )
        .await?;
    Ok(row.map(|(bytes,)| bytes))
}

/// A photo as stored (its size), if the request has one with this id.
pub async fn photo(
    db: &Pool,
    request: RequestId,
    photo: PhotoId,
) -> ApiResult<Option<UploadedPhoto>> {
    let row: Option<(i64, i64)> = db
        .fetch_optional(
            "SELECT width, height FROM request_photos WHERE id = ? AND request_id = ?",
            crate::args![photo.to_string(), request.to_string()],
        )
        .await?;
    row.map(|(width, height)| {
        Ok(UploadedPhoto {
            id: photo,
            width: count(width)?,
            height: count(height)?,
        })
    })
    .transpose()
}

/// What the rules need of these requests, locked on PostgreSQL until the command commits
/// (of two volunteers taking one call, the second waits and finds it taken).
pub fn states(tx: &Tx, ids: &[RequestId]) -> ApiResult<HashMap<RequestId, RequestState>> {
    let rows = super::rows_in_for_update(
        tx,
        "SELECT r.id, r.community_id, r.grid_id, r.category, r.status, r.contact_ok, \
         r.requester_id, r.handler_kind, r.handler_id, r.unit, r.on_behalf_name, r.accepted_at, \
         r.resolved_at, r.wish_id, r.reopen_count, r.urgency FROM requests r WHERE r.id IN ",
        "r",
        &[],
        ids,
        |row| {
            let text = |index| -> ApiResult<Option<String>> { row.get(index) };
            let time = |index| -> ApiResult<Option<DateTime<Utc>>> {
                text(index)?.as_deref().map(super::stored_time).transpose()
            };
            let state = RequestState {
                community: parse_stored(&row.get::<_, String>(1)?)?,
                grid: row.get::<_, String>(2)?.as_str().into(),
                category: parse_stored(&row.get::<_, String>(3)?)?,
                urgency: parse_stored(&row.get::<_, String>(15)?)?,
                status: parse_stored(&row.get::<_, String>(4)?)?,
                contact_ok: row.get(5)?,
                requester: Some(parse_stored(&row.get::<_, String>(6)?)?),
                handler: handler(text(7)?.as_deref(), text(8)?.as_deref())?,
                unit: text(9)?,
                on_behalf_name: text(10)?,
                accepted_at: time(11)?,
                resolved_at: time(12)?,
                wish: text(13)?.as_deref().map(parse_stored).transpose()?,
                photos: Vec::new(),
                reopen_count: count(row.get(14)?)?,
            };
            Ok((parse_stored::<RequestId>(&row.get::<_, String>(0)?)?, state))
        },
    )?;
    let mut states: HashMap<RequestId, RequestState> = rows.into_iter().collect();
    let mut photos = super::rows_in(
        tx,
        "SELECT request_id, id, stage, created_at FROM request_photos WHERE request_id IN ",
        &[],
        ids,
        |row| {
            let request: RequestId = parse_stored(&row.get::<_, String>(0)?)?;
            let photo = RequestPhoto {
                id: parse_stored(&row.get::<_, String>(1)?)?,
                stage: parse_stored(&row.get::<_, String>(2)?)?,
            };
            Ok((request, row.get::<_, String>(3)?, photo))
        },
    )?;
    photos.sort_by(|a, b| (&a.1, a.2.id).cmp(&(&b.1, b.2.id)));
    for (request, _, photo) in photos {
        if let Some(state) = states.get_mut(&request) {
            state.photos.push(photo);
        }
    }
    Ok(states)
}

/// The open requests turned into these wishes (their fulfilment resolves them).
pub fn open_of_wishes(tx: &Tx, wishes: &[WishId]) -> ApiResult<Vec<RequestId>> {
    let open: Vec<&str> = RequestStatus::OPEN.iter().map(|s| s.as_str()).collect();
    let marks = vec!["?"; open.len()].join(", ");
    let leading: Vec<&dyn super::sql::Arg> =
        open.iter().map(|s| s as &dyn super::sql::Arg).collect();
    super::rows_in(
        tx,
        &format!("SELECT id FROM requests WHERE status IN ({marks}) AND wish_id IN "),
        &leading,
        wishes,
        |row| parse_stored(&row.get::<_, String>(0)?),
    )
}

/// A new request, `submitted`.
pub fn insert(tx: &Tx, record: &RequestRecord, now: DateTime<Utc>) -> ApiResult<()> {
    let person = record.on_behalf.as_ref();
    super::run(
        tx,
        "INSERT INTO requests (id, community_id, grid_id, building_id, unit, place, category, \
         description, urgency, contact_ok, channel, status, requester_id, on_behalf, \
         on_behalf_name, on_behalf_phone, accept_by, resolve_by, reopen_count, created_at, \
         updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
        crate::args![
            record.id.to_string(),
            record.community.to_string(),
            record.grid.as_str(),
            record.building_id.to_string(),
            record.unit,
            record.place,
            record.category.as_str(),
            record.description,
            record.urgency.as_str(),
            record.contact_ok,
            record.channel.as_str(),
            RequestStatus::Submitted.as_str(),
            record.requester.to_string(),
            person.is_some(),
            person.and_then(|p| p.name.clone()),
            person.and_then(|p| p.phone.clone()),
            record.accept_by,
            record.resolve_by,
            now,
            now,
        ],
    )?;
    log_change(tx, Entity::Request, &record.id.to_string())
}

/// A request moved from `from` (held by `handler`, as read) to `to`, with what moves with it;
/// compare-and-set: if another command moved it first, nothing changes and the command fails.
pub fn moved(
    tx: &Tx,
    request: RequestId,
    (from, handler): (RequestStatus, Option<Handler>),
    to: RequestStatus,
    changes: &RequestChanges,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let mut sql = Statement::new("UPDATE requests SET status = ");
    sql.push_bind(to.as_str())
        .push(", updated_at = ")
        .push_bind(now);
    if let Some(new_handler) = changes.handler {
        sql.push(", handler_kind = ")
            .push_bind(new_handler.map(|h| h.kind.as_str()))
            .push(", handler_id = ")
            .push_bind(new_handler.map(|h| h.user_id.to_string()));
    }
    if let Some(at) = changes.accepted_at {
        sql.push(", accepted_at = ").push_bind(at);
    }
    if let Some(at) = changes.resolved_at {
        sql.push(", resolved_at = ").push_bind(at);
    }
    if let Some(at) = changes.closed_at {
        sql.push(", closed_at = ").push_bind(at);
    }
    if let Some((stars, note)) = &changes.rating {
        sql.push(", rating = ")
            .push_bind(i64::from(*stars))
            .push(", rating_note = ")
            .push_bind(note.clone());
    }
    if let Some(summary) = &changes.public_summary {
        sql.push(", public_summary = ").push_bind(summary.clone());
    }
    if let Some(wish) = changes.wish_id {
        sql.push(", wish_id = ").push_bind(wish.to_string());
    }
    if let Some(into) = changes.merged_into {
        sql.push(", merged_into = ").push_bind(into.to_string());
    }
    if let Some(reopened) = changes.reopen_count {
        sql.push(", reopen_count = ").push_bind(reopened);
    }
    sql.push(" WHERE id = ")
        .push_bind(request.to_string())
        .push(" AND status = ")
        .push_bind(from.as_str())
        .push(" AND COALESCE(handler_id, '') = ")
        .push_bind(handler.map(|h| h.user_id.to_string()).unwrap_or_default());
    let updated = tx.execute(&sql.sql, &sql.args())?;
    super::still_in(updated, from)?;
    log_change(tx, Entity::Request, &request.to_string())
}

/// A request changed without moving (a note, a photo): those following it hear of it.
pub fn touch(tx: &Tx, request: RequestId, now: DateTime<Utc>) -> ApiResult<()> {
    super::run(
        tx,
        "UPDATE requests SET updated_at = ? WHERE id = ?",
        crate::args![now, request.to_string()],
    )?;
    log_change(tx, Entity::Request, &request.to_string())
}

/// Stores a photo of a request as re-encoded (see `crate::photos`).
pub fn insert_photo(
    tx: &Tx,
    request: RequestId,
    photo: RequestPhoto,
    image: &Encoded,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    super::run(
        tx,
        "INSERT INTO request_photos (id, request_id, stage, width, height, bytes, created_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?)",
        crate::args![
            photo.id.to_string(),
            request.to_string(),
            photo.stage.as_str(),
            image.width,
            image.height,
            image.bytes,
            now,
        ],
    )?;
    Ok(())
}

/// Up to `limit` resolved requests resolved at or before `cutoff` (their requester's answer
/// time ran out), the oldest first; on PostgreSQL locked until the transaction ends, skipping
/// those another transaction holds (another server's timer, a command on them).
/// Up to `limit` requests past a limit whose workers were not reminded of it yet (not
/// accepted by `accept_by`, not resolved by `resolve_by`), oldest limit first; locked on
/// PostgreSQL, skipping those another transaction holds.
pub fn due_for_reminder(
    tx: &Tx,
    now: DateTime<Utc>,
    limit: usize,
) -> ApiResult<Vec<(RequestId, microwish_core::Overdue)>> {
    use microwish_core::{Overdue, Reminder};
    let lock = if tx.is_postgres() {
        " FOR UPDATE OF r SKIP LOCKED"
    } else {
        ""
    };
    let mut due = Vec::new();
    let limits = [
        (
            Overdue::Accept,
            "accept_by",
            Reminder::RequestAccept,
            &[RequestStatus::Submitted][..],
        ),
        (
            Overdue::Resolve,
            "resolve_by",
            Reminder::RequestResolve,
            RequestStatus::OPEN,
        ),
    ];
    for (limit_missed, column, reminder, statuses) in limits {
        let mut select = Statement::new("SELECT r.id FROM requests r WHERE r.status IN ");
        select
            .push_list(statuses)
            .push(format!(" AND r.{column} < "))
            .push_bind(now)
            .push(" AND NOT EXISTS (SELECT 1 FROM reminders m WHERE m.subject = r.id AND m.reminder = ")
            .push_bind(reminder.as_str())
            .push(format!(") ORDER BY r.{column}, r.id LIMIT "))
            .push_bind(limit.saturating_sub(due.len()))
            .push(lock);
        due.extend(tx.query(&select.sql, &select.args(), |row| {
            Ok((parse_stored(&row.get::<_, String>(0)?)?, limit_missed))
        })?);
    }
    Ok(due)
}

pub fn due_for_closing(tx: &Tx, cutoff: DateTime<Utc>, limit: usize) -> ApiResult<Vec<RequestId>> {
    let lock = if tx.is_postgres() {
        " FOR UPDATE SKIP LOCKED"
    } else {
        ""
    };
    tx.query(
        &format!(
            "SELECT id FROM requests WHERE status = ? AND resolved_at <= ? \
             ORDER BY resolved_at, id LIMIT ?{lock}"
        ),
        crate::args![RequestStatus::Resolved.as_str(), cutoff, limit],
        |row| parse_stored(&row.get::<_, String>(0)?),
    )
}
