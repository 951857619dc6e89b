//! The one command path: every write (REST endpoints, sync push, the hold timer) is
//! validated by core's rules and applied here, in one transaction per command.
//!
//! The quantity rule holds in the database itself: the wish's counters are changed by a
//! compare-and-set update (`WHERE claimed = <what we read>`) and a CHECK constraint keeps
//! `claimed ≤ quantity`, so no interleaving of server processes can over-claim a wish.

use chrono::{DateTime, NaiveDate, Utc};
use microwish_core::command::{
    may_act_on_claim, may_claim, volunteer_minutes, Actor, ClaimWish, Command, HoldPolicy,
    WishFacts,
};
use microwish_core::rules::{next_claim_status, settle_wish_status, ClaimAction, Units};
use microwish_core::{new_id, ClaimStatus, Id, RuleError, WishKind, WishStatus};
use sqlx::SqliteConnection;

use crate::app::AppState;
use crate::error::ApiError;
use crate::stored::{count, parse_stored};

/// What a command did: the claim it created or changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Applied {
    pub claim_id: Id,
    /// The command had already been applied (a client-made id seen before): nothing changed.
    pub replayed: bool,
}

/// Applies `command` for `actor` in its own write transaction.
pub async fn apply(state: &AppState, actor: Actor, command: Command) -> Result<Applied, ApiError> {
    // IMMEDIATE takes the write lock up front, so two writers never both read and then
    // collide on upgrading their locks (SQLite would fail one with SQLITE_BUSY).
    let mut tx = state.db.begin_with("BEGIN IMMEDIATE").await?;
    let applied = apply_in(&mut tx, state.clock.now(), state.hold, actor, command).await?;
    tx.commit().await?;
    state.notify_change();
    Ok(applied)
}

/// Applies `command` inside the caller's transaction (sync push records the mutation id
/// in the same transaction).
pub async fn apply_in(
    tx: &mut SqliteConnection,
    now: DateTime<Utc>,
    hold: HoldPolicy,
    actor: Actor,
    command: Command,
) -> Result<Applied, ApiError> {
    match command {
        Command::ClaimWish(claim) => claim_wish(tx, now, hold, actor, claim).await,
        Command::ReleaseClaim(target) => {
            transition(tx, now, actor, target.claim_id, ClaimAction::Release, None).await
        }
        Command::MarkDelivered(target) => {
            transition(tx, now, actor, target.claim_id, ClaimAction::Deliver, None).await
        }
        Command::ConfirmClaim(target) => {
            transition(tx, now, actor, target.claim_id, ClaimAction::Confirm, None).await
        }
        Command::RejectClaim(reject) => {
            let reason = reject.validate()?;
            transition(
                tx,
                now,
                actor,
                reject.claim_id,
                ClaimAction::Reject,
                Some(reason),
            )
            .await
        }
    }
}

/// Lets every active claim whose hold has run out expire, each in its own transaction;
/// returns how many expired.
pub async fn expire_due_claims(state: &AppState) -> Result<usize, ApiError> {
    let now = state.clock.now();
    let due: Vec<(String,)> = sqlx::query_as(
        "SELECT id FROM claims WHERE status = 'active' AND hold_until <= ? ORDER BY hold_until",
    )
    .bind(now)
    .fetch_all(&state.db)
    .await?;
    let mut expired = 0;
    for (id,) in due {
        let mut tx = state.db.begin_with("BEGIN IMMEDIATE").await?;
        match transition(
            &mut tx,
            now,
            Actor::System,
            parse_stored(&id)?,
            ClaimAction::Expire,
            None,
        )
        .await
        {
            Ok(_) => {
                tx.commit().await?;
                state.notify_change();
                expired += 1;
            }
            // Released or delivered since the query: nothing to do.
            Err(ApiError::Rule(RuleError::InvalidState { .. })) => {}
            Err(error) => return Err(error),
        }
    }
    Ok(expired)
}

/// A wish's state as the rules need it.
struct WishState {
    kind: WishKind,
    status: WishStatus,
    needed_by: Option<NaiveDate>,
    units: Units,
}

#[derive(sqlx::FromRow)]
struct WishStateRow {
    kind: String,
    status: String,
    needed_by: Option<NaiveDate>,
    quantity: i64,
    claimed: i64,
    delivered: i64,
    fulfilled: i64,
}

async fn load_wish(tx: &mut SqliteConnection, id: Id) -> Result<Option<WishState>, ApiError> {
    let row: Option<WishStateRow> = sqlx::query_as(
        "SELECT kind, status, needed_by, quantity, claimed, delivered, fulfilled FROM wishes WHERE id = ?",
    )
    .bind(id.to_string())
    .fetch_optional(&mut *tx)
    .await?;
    row.map(|row| {
        Ok(WishState {
            kind: parse_stored(&row.kind)?,
            status: parse_stored(&row.status)?,
            needed_by: row.needed_by,
            units: Units {
                quantity: count(row.quantity)?,
                claimed: count(row.claimed)?,
                delivered: count(row.delivered)?,
                fulfilled: count(row.fulfilled)?,
            },
        })
    })
    .transpose()
}

#[derive(sqlx::FromRow)]
struct ClaimStateRow {
    wish_id: String,
    user_id: String,
    quantity: i64,
    status: String,
    slot_start: Option<DateTime<Utc>>,
    slot_end: Option<DateTime<Utc>>,
}

/// Stores new counters and status for a wish, only if nobody changed them since we read them.
async fn store_wish(
    tx: &mut SqliteConnection,
    id: Id,
    before: &WishState,
    units: Units,
    status: WishStatus,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let result = sqlx::query(
        "UPDATE wishes SET claimed = ?, delivered = ?, fulfilled = ?, status = ?, updated_at = ? \
         WHERE id = ? AND claimed = ? AND delivered = ? AND fulfilled = ? AND status = ?",
    )
    .bind(i64::from(units.claimed))
    .bind(i64::from(units.delivered))
    .bind(i64::from(units.fulfilled))
    .bind(status.as_str())
    .bind(now)
    .bind(id.to_string())
    .bind(i64::from(before.units.claimed))
    .bind(i64::from(before.units.delivered))
    .bind(i64::from(before.units.fulfilled))
    .bind(before.status.as_str())
    .execute(&mut *tx)
    .await;
    match result {
        Ok(done) if done.rows_affected() == 1 => {
            log_change(tx, "wish", &id.to_string()).await?;
            // The campaign's progress is derived from its wishes: it changed too.
            sqlx::query(
                "INSERT INTO change_log (entity, entity_id) \
                 SELECT 'campaign', campaign_id FROM wishes WHERE id = ? AND campaign_id IS NOT NULL",
            )
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?;
            Ok(())
        }
        // Another process changed the wish between our read and this write.
        Ok(_) => Err(RuleError::WishFullyClaimed.into()),
        Err(sqlx::Error::Database(error)) if error.is_check_violation() => {
            Err(RuleError::WishFullyClaimed.into())
        }
        Err(error) => Err(error.into()),
    }
}

async fn claim_wish(
    tx: &mut SqliteConnection,
    now: DateTime<Utc>,
    hold: HoldPolicy,
    actor: Actor,
    claim: ClaimWish,
) -> Result<Applied, ApiError> {
    let Actor::User { id: user_id, role } = actor else {
        return Err(RuleError::Forbidden {
            reason: "only people claim wishes",
        }
        .into());
    };
    let claim_id = claim.id.unwrap_or_else(new_id);
    if let Some(applied) = replayed_claim(tx, claim_id, user_id, claim.wish_id).await? {
        return Ok(applied);
    }
    let wish = load_wish(tx, claim.wish_id)
        .await?
        .filter(|wish| wish.status.is_public())
        .ok_or(ApiError::NotFound("wish"))?;
    may_claim(role, wish.kind)?;
    let valid = claim.validate(
        WishFacts {
            kind: wish.kind,
            needed_by: wish.needed_by,
        },
        now,
    )?;
    let units = wish.units.claim(wish.status, valid.quantity)?;
    let status = settle_wish_status(wish.status, units);
    store_wish(tx, claim.wish_id, &wish, units, status, now).await?;

    let slot_end = valid.slot.map(|(_, end)| end);
    sqlx::query(
        "INSERT INTO claims (id, wish_id, user_id, quantity, note, status, slot_start, slot_end, \
         hold_until, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, ?)",
    )
    .bind(claim_id.to_string())
    .bind(claim.wish_id.to_string())
    .bind(user_id.to_string())
    .bind(i64::from(valid.quantity))
    .bind(&valid.note)
    .bind(valid.slot.map(|(start, _)| start))
    .bind(slot_end)
    .bind(hold.hold_until(now, slot_end))
    .bind(now)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    log_change(tx, "claim", &claim_id.to_string()).await?;
    let event = Event {
        at: now,
        actor,
        wish_id: claim.wish_id,
        claim_id,
        action: "claim",
        claim_change: (None, ClaimStatus::Active),
        wish_change: (wish.status, status),
        note: valid.note,
    };
    event.record(tx).await?;
    Ok(Applied {
        claim_id,
        replayed: false,
    })
}

/// A claim id seen before: the same claim again is a replay, anything else a conflict.
async fn replayed_claim(
    tx: &mut SqliteConnection,
    claim_id: Id,
    user_id: Id,
    wish_id: Id,
) -> Result<Option<Applied>, ApiError> {
    let existing: Option<(String, String)> =
        sqlx::query_as("SELECT user_id, wish_id FROM claims WHERE id = ?")
            .bind(claim_id.to_string())
            .fetch_optional(&mut *tx)
            .await?;
    match existing {
        None => Ok(None),
        Some((owner, wish)) if owner == user_id.to_string() && wish == wish_id.to_string() => {
            Ok(Some(Applied {
                claim_id,
                replayed: true,
            }))
        }
        Some(_) => Err(RuleError::IdConflict.into()),
    }
}

async fn transition(
    tx: &mut SqliteConnection,
    now: DateTime<Utc>,
    actor: Actor,
    claim_id: Id,
    action: ClaimAction,
    reason: Option<String>,
) -> Result<Applied, ApiError> {
    let claim: ClaimStateRow = sqlx::query_as(
        "SELECT wish_id, user_id, quantity, status, slot_start, slot_end FROM claims WHERE id = ?",
    )
    .bind(claim_id.to_string())
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(ApiError::NotFound("claim"))?;
    let wish_id: Id = parse_stored(&claim.wish_id)?;
    let quantity = count(claim.quantity)?;
    let from: ClaimStatus = parse_stored(&claim.status)?;
    let (slot_start, slot_end) = (claim.slot_start, claim.slot_end);
    may_act_on_claim(actor, parse_stored(&claim.user_id)?, action)?;
    let to = next_claim_status(from, action)?;

    let wish = load_wish(tx, wish_id)
        .await?
        .ok_or_else(|| ApiError::Corrupt(format!("claim {claim_id} names no wish")))?;
    let units = wish.units.after_claim_change(from, to, quantity);
    let status = settle_wish_status(wish.status, units);
    store_wish(tx, wish_id, &wish, units, status, now).await?;

    let minutes = volunteer_minutes(to, slot_start.zip(slot_end));
    let updated = sqlx::query(
        "UPDATE claims SET status = ?, volunteer_minutes = ?, reject_reason = COALESCE(?, reject_reason), \
         updated_at = ? WHERE id = ? AND status = ?",
    )
    .bind(to.as_str())
    .bind(i64::from(minutes))
    .bind(&reason)
    .bind(now)
    .bind(claim_id.to_string())
    .bind(from.as_str())
    .execute(&mut *tx)
    .await?;
    if updated.rows_affected() != 1 {
        return Err(RuleError::InvalidState {
            from: from.as_str(),
            action: action.as_str(),
        }
        .into());
    }
    log_change(tx, "claim", &claim_id.to_string()).await?;
    let event = Event {
        at: now,
        actor,
        wish_id,
        claim_id,
        action: action.as_str(),
        claim_change: (Some(from), to),
        wish_change: (wish.status, status),
        note: reason.unwrap_or_default(),
    };
    event.record(tx).await?;
    Ok(Applied {
        claim_id,
        replayed: false,
    })
}

/// Records that an entity changed, for sync pulls.
pub async fn log_change(tx: &mut SqliteConnection, entity: &str, id: &str) -> Result<(), ApiError> {
    sqlx::query("INSERT INTO change_log (entity, entity_id) VALUES (?, ?)")
        .bind(entity)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    Ok(())
}

/// One change for the event log: the claim's move, and the wish's when it moved too.
struct Event {
    at: DateTime<Utc>,
    actor: Actor,
    wish_id: Id,
    claim_id: Id,
    action: &'static str,
    claim_change: (Option<ClaimStatus>, ClaimStatus),
    wish_change: (WishStatus, WishStatus),
    note: String,
}

impl Event {
    async fn record(self, tx: &mut SqliteConnection) -> Result<(), ApiError> {
        let actor = self.actor.user_id().map(|id| id.to_string());
        let insert = "INSERT INTO events (at, actor_id, entity, entity_id, wish_id, action, from_status, to_status, note) \
                      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
        sqlx::query(insert)
            .bind(self.at)
            .bind(&actor)
            .bind("claim")
            .bind(self.claim_id.to_string())
            .bind(self.wish_id.to_string())
            .bind(self.action)
            .bind(self.claim_change.0.map(ClaimStatus::as_str))
            .bind(self.claim_change.1.as_str())
            .bind(&self.note)
            .execute(&mut *tx)
            .await?;
        let (wish_from, wish_to) = self.wish_change;
        if wish_from != wish_to {
            sqlx::query(insert)
                .bind(self.at)
                .bind(&actor)
                .bind("wish")
                .bind(self.wish_id.to_string())
                .bind(self.wish_id.to_string())
                .bind("status")
                .bind(wish_from.as_str())
                .bind(wish_to.as_str())
                .bind("")
                .execute(&mut *tx)
                .await?;
        }
        Ok(())
    }
}
