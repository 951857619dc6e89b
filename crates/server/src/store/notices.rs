//! Notices: the inbox rows (written with the decision that tells of them), reads of a user's
//! own, what commands read of them, the hold timer's record of reminders, and whom a
//! decision may tell (the givers of a wish, a community's team).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use microwish_core::decide::{Member, NoticeState, Subject, Team};
use microwish_core::notices::NoticeDraft;
use microwish_core::{
    AllocationStatus, ClaimStatus, CommunityId, Entity, Notice, NoticeId, NoticePage, NoticeRefs,
    PageQuery, ProblemCode, Reminder, Role, UserId, VolunteerStatus, WishId,
};

use super::sql::{Pool, Row, Statement};
use super::{parse_stored, stamp, stored_time};
use crate::error::{ApiError, ApiResult};
use crate::store::sync::log_change;
use crate::writer::Tx;

/// The columns a [`Notice`] is read from, in [`read_notice`]'s order.
pub(crate) const NOTICE_COLUMNS: &str = "n.id, n.user_id, n.kind, n.wish_id, n.claim_id, \
     n.allocation_id, n.request_id, n.pledge_id, n.created_at, n.read_at";

/// A notice from a row starting with [`NOTICE_COLUMNS`].
pub(crate) fn read_notice(row: &Row) -> ApiResult<Notice> {
    let id = |index: usize| -> ApiResult<Option<String>> { row.get(index) };
    fn parsed<T: std::str::FromStr>(text: Option<String>) -> ApiResult<Option<T>>
    where
        T::Err: std::fmt::Display,
    {
        text.as_deref().map(parse_stored).transpose()
    }
    Ok(Notice {
        id: parse_stored(&row.get::<_, String>(0)?)?,
        user: parse_stored(&row.get::<_, String>(1)?)?,
        kind: parse_stored(&row.get::<_, String>(2)?)?,
        refs: NoticeRefs {
            wish_id: parsed(id(3)?)?,
            claim_id: parsed(id(4)?)?,
            allocation_id: parsed(id(5)?)?,
            request_id: parsed(id(6)?)?,
            pledge_id: parsed(id(7)?)?,
        },
        created_at: stored_time(&row.get::<_, String>(8)?)?,
        read_at: row
            .get::<_, Option<String>>(9)?
            .as_deref()
            .map(stored_time)
            .transpose()?,
    })
}

/// Writes the notices a decision makes; one already there (the same event told again) is
/// left as it is.
pub fn insert(tx: &Tx, drafts: &[NoticeDraft], now: DateTime<Utc>) -> ApiResult<()> {
    for draft in drafts {
        let refs = &draft.refs;
        let inserted = super::run(
            tx,
            "INSERT INTO notices (id, user_id, kind, wish_id, claim_id, allocation_id, \
             request_id, pledge_id, urgent, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
             ON CONFLICT (id) DO NOTHING",
            crate::args![
                draft.id.to_string(),
                draft.user.to_string(),
                draft.kind.as_str(),
                refs.wish_id.map(|id| id.to_string()),
                refs.claim_id.map(|id| id.to_string()),
                refs.allocation_id.map(|id| id.to_string()),
                refs.request_id.map(|id| id.to_string()),
                refs.pledge_id.map(|id| id.to_string()),
                draft.urgent,
                stamp(now),
            ],
        )?;
        if inserted == 1 {
            log_change(tx, Entity::Notice, &draft.id.to_string())?;
        }
    }
    Ok(())
}

/// Marks `user`'s notices read: those of `ids`, or all (`all`); each changed one is logged
/// for the user's other devices.
pub fn mark_read(
    tx: &Tx,
    user: UserId,
    ids: &[NoticeId],
    all: bool,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let read: Vec<String> = if all {
        tx.query(
            "SELECT id FROM notices WHERE user_id = ? AND read_at IS NULL",
            crate::args![user.to_string()],
            |row| row.get(0),
        )?
    } else {
        super::rows_in(
            tx,
            "SELECT id FROM notices WHERE user_id = ? AND read_at IS NULL AND id IN ",
            &[&user.to_string()],
            ids,
            |row| row.get(0),
        )?
    };
    for id in &read {
        super::run(
            tx,
            "UPDATE notices SET read_at = ? WHERE id = ? AND read_at IS NULL",
            crate::args![stamp(now), id],
        )?;
        log_change(tx, Entity::Notice, id)?;
    }
    Ok(())
}

/// Whose the given notices are, and whether read.
pub fn states(tx: &Tx, ids: &[NoticeId]) -> ApiResult<HashMap<NoticeId, NoticeState>> {
    let rows = super::rows_in(
        tx,
        "SELECT id, user_id, read_at FROM notices WHERE id IN ",
        &[],
        ids,
        |row| {
            let state = NoticeState {
                user: parse_stored(&row.get::<_, String>(1)?)?,
                read: row.get::<_, Option<String>>(2)?.is_some(),
            };
            Ok((parse_stored(&row.get::<_, String>(0)?)?, state))
        },
    )?;
    Ok(rows.into_iter().collect())
}

/// Records that the hold timer reminded of `reminder` about `subject`; a second record of the
/// same is a UNIQUE failure (the command fails and tells nobody).
pub fn remind(tx: &Tx, subject: Subject, reminder: Reminder, now: DateTime<Utc>) -> ApiResult<()> {
    super::run(
        tx,
        "INSERT INTO reminders (subject, reminder, at) VALUES (?, ?, ?)",
        crate::args![subject.id().to_string(), reminder.as_str(), stamp(now)],
    )?;
    Ok(())
}

/// Who gave to these wishes: the owners of claims holding their units, the shops of their
/// allocations not cancelled.
pub fn givers_of_wishes(tx: &Tx, wishes: &[WishId]) -> ApiResult<HashMap<WishId, Vec<UserId>>> {
    let mut claims =
        Statement::new("SELECT DISTINCT wish_id, user_id FROM claims WHERE status IN ");
    claims
        .push_list(ClaimStatus::HOLDING)
        .push(" AND wish_id IN ");
    let mut rows = super::rows_in(tx, &claims.sql, &claims.args(), wishes, pair)?;
    rows.extend(super::rows_in(
        tx,
        "SELECT DISTINCT a.wish_id, p.shop_id FROM allocations a \
         JOIN pledges p ON p.id = a.pledge_id \
         WHERE p.shop_id IS NOT NULL AND a.status <> ? AND a.wish_id IN ",
        &[&AllocationStatus::Cancelled.as_str()],
        wishes,
        pair,
    )?);
    let mut givers: HashMap<WishId, Vec<UserId>> = HashMap::new();
    for (wish, user) in rows {
        let of_wish = givers.entry(wish).or_default();
        if !of_wish.contains(&user) {
            of_wish.push(user);
        }
    }
    Ok(givers)
}

fn pair(row: &Row) -> ApiResult<(WishId, UserId)> {
    Ok((
        parse_stored(&row.get::<_, String>(0)?)?,
        parse_stored(&row.get::<_, String>(1)?)?,
    ))
}

/// The workers and party-member volunteers of these communities.
pub fn teams(tx: &Tx, communities: &[CommunityId]) -> ApiResult<HashMap<CommunityId, Team>> {
    let mut teams: HashMap<CommunityId, Team> = HashMap::new();
    // Workers look after their whole community: no grid of their own is stored yet, so a
    // request's news goes to every worker of it (see core's notices).
    let workers = super::rows_in(
        tx,
        "SELECT id, community_id FROM users WHERE role = ? AND community_id IN ",
        &[&Role::Worker.as_str()],
        communities,
        |row| {
            Ok((
                parse_stored::<UserId>(&row.get::<_, String>(0)?)?,
                parse_stored::<CommunityId>(&row.get::<_, String>(1)?)?,
            ))
        },
    )?;
    for (id, community) in workers {
        teams
            .entry(community)
            .or_default()
            .workers
            .push(Member { id, grid: None });
    }
    // Party members: approved volunteers so marked (of no grid either: the whole community's
    // are called).
    let party = super::rows_in(
        tx,
        "SELECT id, community_id FROM users WHERE role = ? AND volunteer_status = ? \
         AND party_member = 1 AND community_id IN ",
        &[
            &Role::Volunteer.as_str(),
            &VolunteerStatus::Approved.as_str(),
        ],
        communities,
        |row| {
            Ok((
                parse_stored::<UserId>(&row.get::<_, String>(0)?)?,
                parse_stored::<CommunityId>(&row.get::<_, String>(1)?)?,
            ))
        },
    )?;
    for (id, community) in party {
        teams
            .entry(community)
            .or_default()
            .party_members
            .push(Member { id, grid: None });
    }
    for community in communities {
        teams.entry(*community).or_default();
    }
    Ok(teams)
}

/// A page of `user`'s notices, newest first, and how many of theirs are unread.
pub async fn page(db: &Pool, user: UserId, query: &PageQuery) -> ApiResult<NoticePage> {
    let limit = query.page_size();
    let mut sql = Statement::new(format!(
        "SELECT {NOTICE_COLUMNS} FROM notices n WHERE n.user_id = "
    ));
    sql.push_bind(user.to_string());
    if let Some(cursor) = query.cursor.as_deref().filter(|text| !text.is_empty()) {
        let (at, id) = parse_cursor(cursor)?;
        sql.push(" AND (n.created_at < ")
            .push_bind(at.clone())
            .push(" OR (n.created_at = ")
            .push_bind(at)
            .push(" AND n.id < ")
            .push_bind(id)
            .push("))");
    }
    sql.push(" ORDER BY n.created_at DESC, n.id DESC LIMIT ")
        .push_bind(i64::from(limit) + 1);
    let rows: Vec<NoticeRow> = db.fetch_all(&sql.sql, &sql.args()).await?;
    let mut items = rows
        .into_iter()
        .map(NoticeRow::notice)
        .collect::<ApiResult<Vec<Notice>>>()?;
    let more = items.len() > limit as usize;
    items.truncate(limit as usize);
    let next = items
        .last()
        .filter(|_| more)
        .map(|notice| format!("{}/{}", stamp(notice.created_at), notice.id));
    Ok(NoticePage {
        items,
        next,
        unread: unread(db, user).await?,
    })
}

/// `created_at/id` of the last notice of the page before.
fn parse_cursor(cursor: &str) -> ApiResult<(String, String)> {
    let bad = || ApiError::bad_request(ProblemCode::BadQuery, format!("invalid cursor {cursor:?}"));
    let (at, id) = cursor.split_once('/').ok_or_else(bad)?;
    let at = DateTime::parse_from_rfc3339(at).map_err(|_| bad())?;
    let id: NoticeId = id.parse().map_err(|_| bad())?;
    Ok((stamp(at.with_timezone(&Utc)), id.to_string()))
}

/// How many of `user`'s notices are unread.
pub async fn unread(db: &Pool, user: UserId) -> ApiResult<u32> {
    let (count,): (i64,) = db
        .fetch_one(
            "SELECT COUNT(*) FROM notices WHERE user_id = ? AND read_at IS NULL",
            crate::args![user.to_string()],
        )
        .await?;
    super::count(count)
}

/// The given notices (for the pull, which keeps the caller's own).
pub async fn by_ids(db: &Pool, ids: &[NoticeId]) -> ApiResult<HashMap<NoticeId, Notice>> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(super::CHUNK) {
        let mut sql = Statement::new(format!(
            "SELECT {NOTICE_COLUMNS} FROM notices n WHERE n.id IN "
        ));
        sql.push_list(chunk);
        let rows: Vec<NoticeRow> = db.fetch_all(&sql.sql, &sql.args()).await?;
        for row in rows {
            let notice = row.notice()?;
            found.insert(notice.id, notice);
        }
    }
    Ok(found)
}

#[derive(sqlx::FromRow)]
struct NoticeRow {
    id: String,
    user_id: String,
    kind: String,
    wish_id: Option<String>,
    claim_id: Option<String>,
    allocation_id: Option<String>,
    request_id: Option<String>,
    pledge_id: Option<String>,
    created_at: String,
    read_at: Option<String>,
}

impl NoticeRow {
    fn notice(self) -> ApiResult<Notice> {
        fn parsed<T: std::str::FromStr>(text: Option<String>) -> ApiResult<Option<T>>
        where
            T::Err: std::fmt::Display,
        {
            text.as_deref().map(parse_stored).transpose()
        }
        Ok(Notice {
            id: parse_stored(&self.id)?,
            user: parse_stored(&self.user_id)?,
            kind: parse_stored(&self.kind)?,
            refs: NoticeRefs {
                wish_id: parsed(self.wish_id)?,
                claim_id: parsed(self.claim_id)?,
                allocation_id: parsed(self.allocation_id)?,
                request_id: parsed(self.request_id)?,
                pledge_id: parsed(self.pledge_id)?,
            },
            created_at: stored_time(&self.created_at)?,
            read_at: self.read_at.as_deref().map(stored_time).transpose()?,
        })
    }
}
