//! Accounts, sessions and volunteers' vetting. Session tokens are stored only as hashes
//! (see `auth`).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use microwish_core::decide::UserState;
use microwish_core::{
    ClaimStatus, CommunityId, DisplayName, Entity, EventAction, Phone, Role, StaffMember, UserId,
    VolunteerStatus, VolunteerView, WishKind,
};

use super::sql::{Flag, Parsed};
use super::sql::{Pool, Statement};
use super::{count, parse_stored, stamp};
use crate::error::{ApiError, ApiResult};
use crate::store::sync::log_change;
use crate::writer::Tx;

/// A user as the server knows them on every request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: UserId,
    pub role: Role,
    pub display_name: DisplayName,
    pub phone: Phone,
    /// For volunteers: their vetting.
    pub volunteer_status: Option<VolunteerStatus>,
    /// The community a worker or property staff works for; the one a resident (or a
    /// volunteer) lives in.
    pub community: Option<CommunityId>,
    /// For volunteers: marked a party member (党员), they answer the calls for help.
    pub party_member: bool,
}

impl User {
    /// This user as core's visibility rules see them.
    pub fn viewer(&self) -> microwish_core::visibility::Viewer {
        microwish_core::visibility::Viewer {
            id: self.id,
            role: self.role,
            community: self.community,
            volunteer: self.volunteer_status,
            party_member: self.party_member,
        }
    }

    pub fn actor(&self) -> microwish_core::command::Actor {
        microwish_core::command::Actor::User {
            id: self.id,
            role: self.role,
        }
    }
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: String,
    role: String,
    display_name: String,
    phone: String,
    volunteer_status: Option<String>,
    community_id: Option<String>,
    party_member: Flag,
}

impl TryFrom<UserRow> for User {
    type Error = ApiError;

    fn try_from(row: UserRow) -> ApiResult<User> {
        Ok(User {
            id: parse_stored(&row.id)?,
            role: parse_stored(&row.role)?,
            display_name: DisplayName::parse(&row.display_name)
                .map_err(|_| ApiError::Corrupt(format!("name {:?}", row.display_name)))?,
            phone: stored_phone(&row.phone)?,
            volunteer_status: row
                .volunteer_status
                .as_deref()
                .map(parse_stored)
                .transpose()?,
            community: row.community_id.as_deref().map(parse_stored).transpose()?,
            party_member: row.party_member.0,
        })
    }
}

/// A user's phone as stored: a number, or a deleted account's erased one.
pub fn stored_phone(stored: &str) -> ApiResult<Phone> {
    if microwish_core::account::is_erased_phone(stored) {
        return Ok(Phone::erased());
    }
    Phone::parse(stored).map_err(|_| ApiError::Corrupt(format!("phone {stored:?}")))
}

/// Notes that the person accepted the privacy notice at sign-up.
pub fn record_privacy_accepted(tx: &Tx, user: UserId, now: DateTime<Utc>) -> ApiResult<()> {
    super::run(
        tx,
        "UPDATE users SET privacy_accepted_at = ? WHERE id = ?",
        crate::args![stamp(now), user.to_string()],
    )?;
    Ok(())
}

/// How many workers other than `except` look after `community` (deleted accounts aside).
pub fn other_workers(tx: &Tx, community: CommunityId, except: UserId) -> ApiResult<u64> {
    let found: Option<i64> = tx.query_row(
        "SELECT COUNT(*) FROM users WHERE role = ? AND community_id = ? AND id <> ? \
         AND deleted_at IS NULL",
        crate::args![
            Role::Worker.as_str(),
            community.to_string(),
            except.to_string()
        ],
        |row| row.get(0),
    )?;
    Ok(u64::try_from(found.unwrap_or(0)).unwrap_or(0))
}

/// Erases a deleted account (core's [`Erasure`]): its name, phone, password and vetting note
/// go, its sessions end, its push subscriptions and notice preferences are removed. Its row
/// stays for its claims, which then show the erased name. An account already deleted is 404.
pub fn erase(
    tx: &Tx,
    user: &User,
    erasure: &microwish_core::account::Erasure,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let id = user.id.to_string();
    let erased = super::run(
        tx,
        // `!` is no argon2 hash: nothing verifies against it.
        "UPDATE users SET display_name = ?, phone = ?, password_hash = '!', vetting_note = '', \
         party_member = 0, deleted_at = ? WHERE id = ? AND deleted_at IS NULL",
        crate::args![
            erasure.display_name.as_str(),
            erasure.stored_phone.as_str(),
            stamp(now),
            id.as_str()
        ],
    )?;
    if erased == 0 {
        return Err(ApiError::NotFound("user"));
    }
    if user.role == Role::Volunteer {
        super::run(
            tx,
            "UPDATE certificates SET volunteer_name = ?, \
             revoke_reason = COALESCE(revoke_reason, ?), revoked_by = COALESCE(revoked_by, ?), \
             revoked_at = COALESCE(revoked_at, ?) WHERE volunteer_id = ?",
            crate::args![
                erasure.display_name.as_str(),
                microwish_core::account::CERTIFICATE_REVOKED_ON_DELETION,
                id.as_str(),
                stamp(now),
                id.as_str()
            ],
        )?;
    }
    for table in ["sessions", "push_subscriptions", "notice_preferences"] {
        super::run(
            tx,
            &format!("DELETE FROM {table} WHERE user_id = ?"),
            crate::args![id.as_str()],
        )?;
    }
    match user.role {
        // Workers' phones drop the volunteer or the staff member from their lists.
        Role::Volunteer => log_change(tx, Entity::Volunteer, &id)?,
        Role::Worker | Role::Property => log_change(tx, Entity::Staff, &id)?,
        _ => {}
    }
    Ok(())
}

/// Adds a user; a phone number already registered is [`ApiError::PhoneTaken`].
pub fn insert(tx: &Tx, user: &User, password_hash: &str, now: DateTime<Utc>) -> ApiResult<()> {
    let inserted = super::run(
        tx,
        "INSERT INTO users (id, phone, display_name, role, password_hash, created_at, \
         volunteer_status, community_id, party_member) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        crate::args![
            user.id.to_string(),
            user.phone.as_str(),
            user.display_name.as_str(),
            user.role.as_str(),
            password_hash,
            stamp(now),
            user.volunteer_status.map(VolunteerStatus::as_str),
            user.community.map(|id| id.to_string()),
            user.party_member,
        ],
    );
    match inserted {
        Ok(_) => {}
        Err(error) if error.is(super::Failure::Unique) => return Err(ApiError::PhoneTaken),
        Err(error) => return Err(error),
    }
    match user.role {
        // Workers vetting volunteers see them arrive.
        Role::Volunteer => log_change(tx, Entity::Volunteer, &user.id.to_string())?,
        // Workers dispatching requests see the community's staff.
        Role::Worker | Role::Property => log_change(tx, Entity::Staff, &user.id.to_string())?,
        _ => {}
    }
    Ok(())
}

/// The user with this phone and their password hash, for logging in.
pub async fn by_phone(db: &Pool, phone: &Phone) -> ApiResult<Option<(User, String)>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        user: UserRow,
        password_hash: String,
    }
    let row: Option<Row> = db
        .fetch_optional(
            "SELECT u.id, u.role, u.display_name, u.phone, u.volunteer_status, u.community_id, \
         u.party_member, u.password_hash FROM users u WHERE u.phone = ?",
            crate::args![phone.as_str()],
        )
        .await?;
    row.map(|row| Ok((User::try_from(row.user)?, row.password_hash)))
        .transpose()
}

pub async fn insert_session(
    db: &Pool,
    token_hash: &str,
    user: UserId,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> ApiResult<()> {
    db.execute(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) \
         VALUES (?, ?, ?, ?, ?)",
        crate::args![token_hash, user.to_string(), now, expires_at, now],
    )
    .await?;
    Ok(())
}

/// Notes that a session was used at `now` (at most hourly: see `auth::session`).
pub async fn touch_session(db: &Pool, token_hash: &str, now: DateTime<Utc>) -> ApiResult<()> {
    db.execute(
        "UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?",
        crate::args![now, token_hash],
    )
    .await?;
    Ok(())
}

/// Deletes the sessions that have ended by `now`: past their end, or last used at or before
/// `idle_since`. How many.
pub async fn delete_ended_sessions(
    db: &Pool,
    now: DateTime<Utc>,
    idle_since: DateTime<Utc>,
) -> ApiResult<u64> {
    db.execute(
        "DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at <= ?",
        crate::args![now, idle_since],
    )
    .await
}

/// A session as stored: its user, when it ends, and when it was last used.
pub struct StoredSession {
    pub user: User,
    pub expires_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
}

pub async fn delete_session(db: &Pool, token_hash: &str) -> ApiResult<()> {
    db.execute(
        "DELETE FROM sessions WHERE token_hash = ?",
        crate::args![token_hash],
    )
    .await?;
    Ok(())
}

/// The session stored under `token_hash`, live or not (the caller decides, and deletes one
/// that ended).
pub async fn by_session(db: &Pool, token_hash: &str) -> ApiResult<Option<StoredSession>> {
    #[derive(sqlx::FromRow)]
    struct Row {
        #[sqlx(flatten)]
        user: UserRow,
        expires_at: Parsed<DateTime<Utc>>,
        last_seen_at: Parsed<DateTime<Utc>>,
    }
    let row: Option<Row> = db
        .fetch_optional(
            "SELECT u.id, u.role, u.display_name, u.phone, u.volunteer_status, u.community_id, \
         u.party_member, s.expires_at, s.last_seen_at FROM users u \
         JOIN sessions s ON s.user_id = u.id WHERE s.token_hash = ?",
            crate::args![token_hash],
        )
        .await?;
    row.map(|row| {
        Ok(StoredSession {
            user: User::try_from(row.user)?,
            expires_at: row.expires_at.0,
            last_seen_at: row.last_seen_at.0,
        })
    })
    .transpose()
}

/// What the rules need to know of the given users (the actor, a volunteer being vetted), at
/// `now`.
pub fn states(
    tx: &Tx,
    ids: &[UserId],
    now: DateTime<Utc>,
) -> ApiResult<HashMap<UserId, UserState>> {
    let day_ago = stamp(now - chrono::Duration::hours(24));
    let rows = super::rows_in_for_update(
        tx,
        // Only volunteers book house calls: nobody else's claims need counting. The item
        // units a donor holds (the fair share) are kept on their row (migration 0009).
        "SELECT u.id, u.role, u.volunteer_status, u.community_id, u.party_member, \
         CASE WHEN u.role = ?1 THEN (SELECT COUNT(*) FROM claims c JOIN wishes w ON w.id = c.wish_id \
             WHERE c.user_id = u.id AND c.status = ?2 AND w.kind = ?3) ELSE 0 END, \
         u.held_item_units, \
         CASE WHEN u.role = ?1 THEN (SELECT COUNT(DISTINCT e.entity_id) FROM events e \
             WHERE e.actor_id = u.id AND e.action = ?4 AND e.at >= ?5) ELSE 0 END, \
         u.phone_verified_at IS NOT NULL \
         FROM users u WHERE u.id IN ",
        "u",
        &[
            &Role::Volunteer.as_str(),
            &ClaimStatus::Active.as_str(),
            &WishKind::Service.as_str(),
            &EventAction::RevealContact.as_str(),
            &day_ago,
        ],
        ids,
        |row| {
            let optional = |index| -> ApiResult<Option<String>> { row.get(index) };
            let state = UserState {
                role: parse_stored(&row.get::<_, String>(1)?)?,
                volunteer: optional(2)?.as_deref().map(parse_stored).transpose()?,
                party_member: row.get(4)?,
                community: optional(3)?.as_deref().map(parse_stored).transpose()?,
                active_house_calls: count(row.get(5)?)?,
                active_claim_units: count(row.get(6)?)?,
                homes_revealed_today: count(row.get(7)?)?,
                phone_verified: row.get(8)?,
            };
            Ok((parse_stored(&row.get::<_, String>(0)?)?, state))
        },
    )?;
    Ok(rows.into_iter().collect())
}

/// A worker's vetting of a volunteer, only if they are still as read.
pub fn set_volunteer_status(
    tx: &Tx,
    user: UserId,
    (from, to): (VolunteerStatus, VolunteerStatus),
    note: &str,
    by: Option<UserId>,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let updated = super::run(
        tx,
        "UPDATE users SET volunteer_status = ?, vetting_note = ?, vetted_at = ?, vetted_by = ? \
         WHERE id = ? AND COALESCE(volunteer_status, ?) = ?",
        crate::args![
            to.as_str(),
            note,
            stamp(now),
            by.map(|id| id.to_string()),
            user.to_string(),
            VolunteerStatus::Pending.as_str(),
            from.as_str(),
        ],
    )?;
    super::still_in(updated, from)?;
    log_change(tx, Entity::Volunteer, &user.to_string())
}

/// A worker marked a volunteer a party member (党员), or no longer one.
pub fn set_party_member(tx: &Tx, user: UserId, party_member: bool) -> ApiResult<()> {
    super::run(
        tx,
        "UPDATE users SET party_member = ? WHERE id = ?",
        crate::args![party_member, user.to_string()],
    )?;
    log_change(tx, Entity::Volunteer, &user.to_string())
}

/// The community's workers and property staff with these ids (whom a worker dispatches to).
pub async fn staff(db: &Pool, ids: &[UserId]) -> ApiResult<Vec<StaffMember>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = Statement::new(format!(
        "SELECT u.id, u.display_name, u.role, u.phone, u.community_id, {REACHABLE} FROM users u \
         WHERE u.community_id IS NOT NULL AND u.deleted_at IS NULL AND u.role IN "
    ));
    sql.push_list(&[Role::Worker, Role::Property])
        .push(" AND u.id IN ")
        .push_list(ids);
    type StaffRow = (String, String, String, String, String, i64, i64);
    let rows: Vec<StaffRow> = db.fetch_all(&sql.sql, &sql.args()).await?;
    rows.into_iter()
        .map(|(id, name, role, phone, community, push, sms)| {
            Ok(StaffMember {
                id: parse_stored(&id)?,
                display_name: name,
                role: parse_stored(&role)?,
                phone: stored_phone(&phone)?,
                community: parse_stored(&community)?,
                reachable: reachable(push, sms),
            })
        })
        .collect()
}

/// Whether the user `u` can be reached beyond the inbox: `reachable_push` (a device
/// subscribed) and `reachable_sms` (some kind chosen by SMS), 0 or 1.
const REACHABLE: &str = "CAST(CASE WHEN EXISTS (SELECT 1 FROM push_subscriptions p \
     WHERE p.user_id = u.id) THEN 1 ELSE 0 END AS BIGINT) AS reachable_push, \
     CAST(CASE WHEN EXISTS (SELECT 1 FROM notice_preferences n WHERE n.user_id = u.id \
     AND n.channel = 'sms' AND n.enabled = 1) THEN 1 ELSE 0 END AS BIGINT) AS reachable_sms";

fn reachable(push: i64, sms: i64) -> microwish_core::Reachable {
    microwish_core::Reachable {
        push: push != 0,
        sms: sms != 0,
    }
}

#[derive(sqlx::FromRow)]
struct VolunteerRow {
    id: String,
    display_name: String,
    phone: String,
    volunteer_status: Option<String>,
    vetting_note: String,
    party_member: Flag,
    vetted_at: Option<Parsed<DateTime<Utc>>>,
    vetted_by: Option<String>,
    created_at: Parsed<DateTime<Utc>>,
    house_calls: i64,
    minutes: i64,
    reachable_push: i64,
    reachable_sms: i64,
}

/// Volunteers of `community` as its workers vet them: all, those with `ids`, or those in one
/// status (another community's, or those of none, never: communities are sealed).
pub async fn volunteers(
    db: &Pool,
    community: CommunityId,
    ids: Option<&[UserId]>,
    status: Option<VolunteerStatus>,
) -> ApiResult<Vec<VolunteerView>> {
    let confirmed = ClaimStatus::Confirmed.as_str();
    let mut sql = Statement::new(
        "SELECT u.id, u.display_name, u.phone, u.volunteer_status, u.vetting_note, u.party_member, u.vetted_at, \
         v.display_name AS vetted_by, u.created_at, \
         (SELECT COUNT(*) FROM claims c WHERE c.user_id = u.id AND c.status = ",
    );
    sql.push_bind(confirmed)
        .push(
            " AND c.volunteer_minutes > 0) AS house_calls, \
         (SELECT CAST(COALESCE(SUM(c.volunteer_minutes), 0) AS BIGINT) FROM claims c \
          WHERE c.user_id = u.id AND c.status = ",
        )
        .push_bind(confirmed)
        .push(format!(
            ") AS minutes, {REACHABLE} \
             FROM users u LEFT JOIN users v ON v.id = u.vetted_by WHERE u.role = "
        ))
        .push_bind(Role::Volunteer.as_str())
        .push(" AND u.deleted_at IS NULL AND u.community_id = ")
        .push_bind(community.to_string());
    if let Some(ids) = ids {
        sql.push(" AND u.id IN ");
        sql.push_list(ids);
    }
    if let Some(status) = status {
        sql.push(" AND COALESCE(u.volunteer_status, ")
            .push_bind(VolunteerStatus::Pending.as_str())
            .push(") = ")
            .push_bind(status.as_str());
    }
    sql.push(" ORDER BY u.created_at DESC, u.id LIMIT 1000");
    let rows: Vec<VolunteerRow> = db.fetch_all(&sql.sql, &sql.args()).await?;
    rows.into_iter()
        .map(|row| {
            Ok(VolunteerView {
                id: parse_stored(&row.id)?,
                display_name: DisplayName::parse(&row.display_name)
                    .map_err(|_| ApiError::Corrupt(format!("name {:?}", row.display_name)))?,
                phone: stored_phone(&row.phone)?,
                status: row
                    .volunteer_status
                    .as_deref()
                    .map(parse_stored)
                    .transpose()?
                    .unwrap_or(VolunteerStatus::Pending),
                party_member: row.party_member.0,
                note: row.vetting_note,
                vetted_at: row.vetted_at.map(|time| time.0),
                vetted_by: row.vetted_by,
                registered_at: row.created_at.0,
                house_calls: count(row.house_calls)?,
                minutes: count(row.minutes)?,
                reachable: reachable(row.reachable_push, row.reachable_sms),
            })
        })
        .collect()
}
