//! The one command path: every write (REST endpoints, sync push, the hold timer) goes
//! through [`apply`]: load the facts the command needs, let core [`decide`], carry out the
//! decision, all in one transaction.
//!
//! The quantity rule holds in the database itself: a wish's counters are written by
//! compare-and-set from what was read (`WHERE claimed = <read>`), and a CHECK constraint keeps
//! `claimed ≤ quantity`, so no interleaving of server processes can over-claim a wish.

use chrono::{DateTime, Utc};
use microwish_core::command::{Actor, ClaimRef, Command, NewPhoto, RequestRef, RequestReminder};
use microwish_core::decide::{decide, decide_photo, Context, Decision, Facts, Write};
use microwish_core::facts::gather;
use microwish_core::notices::drafts;
use microwish_core::RuleError;

use crate::app::AppState;
use crate::error::ApiError;
use crate::photos::Encoded;
use crate::store;
use crate::store::Failure;
use crate::writer::{in_savepoint, Tx};

/// Applies `command` for `actor` in its own write transaction, then [`AppState::after_commit`].
pub async fn apply(state: &AppState, actor: Actor, command: Command) -> Result<Decision, ApiError> {
    apply_at(state, actor, command, state.clock.now()).await
}

/// [`apply`] as of `now` (the demo seed writes a few months of history).
pub async fn apply_at(
    state: &AppState,
    actor: Actor,
    command: Command,
    now: DateTime<Utc>,
) -> Result<Decision, ApiError> {
    let ctx = Context {
        actor,
        now,
        policy: state.policy,
    };
    let decision = state
        .writer
        .write(move |tx| apply_in(tx, &ctx, &command))
        .await?;
    state.after_commit(&decision);
    Ok(decision)
}

/// Applies `command` inside the caller's transaction (sync push records the mutation's
/// result in the same transaction).
pub fn apply_in(tx: &Tx, ctx: &Context, command: &Command) -> Result<Decision, ApiError> {
    decided_in(tx, |tx| attempt(tx, ctx, command))
}

/// Adds a photo (re-encoded already, see `crate::photos`) to a request for `actor`, as core's
/// `decide_photo` allows: its bytes and the request's change in one write transaction.
pub async fn add_photo(
    state: &AppState,
    actor: Actor,
    photo: NewPhoto,
    image: Encoded,
) -> Result<Decision, ApiError> {
    let ctx = Context {
        actor,
        now: state.clock.now(),
        policy: state.policy,
    };
    let decision = state
        .writer
        .write(move |tx| decided_in(tx, |tx| photo_attempt(tx, &ctx, &photo, &image)))
        .await?;
    state.after_commit(&decision);
    Ok(decision)
}

fn photo_attempt(
    tx: &Tx,
    ctx: &Context,
    photo: &NewPhoto,
    image: &Encoded,
) -> Result<Decision, Tried> {
    let facts = gather(&photo.needs(), ctx.actor, &store::facts::InTx(tx, ctx.now))?;
    let decision =
        decide_photo(photo, &facts, ctx).map_err(|error| Tried::Refused(error.into()))?;
    for write in &decision.writes {
        if let Write::RequestPhoto { request, photo } = write {
            store::requests::insert_photo(tx, *request, *photo, image, ctx.now)?;
        }
    }
    carry_out(tx, ctx, &decision, &facts).map_err(|error| {
        let moved = matches!(error, ApiError::Rule(_));
        Tried::raced_if(error, moved)
    })?;
    Ok(decision)
}

/// Runs `attempt` (one reading, decision and writing) in the caller's transaction, again
/// from a savepoint on PostgreSQL when it lost a race.
fn decided_in(
    tx: &Tx,
    attempt: impl Fn(&Tx) -> Result<Decision, Tried>,
) -> Result<Decision, ApiError> {
    if !tx.is_postgres() {
        // SQLite's writer holds the file's write lock from its first read: nothing can
        // change between what the command read and what it writes.
        return attempt(tx).map_err(Tried::into_error);
    }
    // On PostgreSQL other connections (other servers, this one's other writers) write at the
    // same time. The rows a command changes are read `FOR UPDATE` (see `store::facts`), so it
    // waits for whoever holds them and decides on what they committed. Should a compare-and-
    // set still find its row moved (a row read without a lock), or PostgreSQL break a
    // deadlock between two commands by failing one, that command is read and decided again
    // from a savepoint rather than refused: a donor is not turned away while units are left.
    let mut tries = 1;
    loop {
        match in_savepoint(tx, &attempt) {
            Err(Tried::Raced(_)) if tries < RACE_ATTEMPTS => tries += 1,
            outcome => return outcome.map_err(Tried::into_error),
        }
    }
}

/// Why an attempt at a command failed.
enum Tried {
    /// Refused by the rules, or failed: final.
    Refused(ApiError),
    /// Lost a race with another connection's write: worth another try.
    Raced(ApiError),
}

impl Tried {
    fn into_error(self) -> ApiError {
        match self {
            Tried::Refused(error) | Tried::Raced(error) => error,
        }
    }

    fn raced_if(error: ApiError, raced: bool) -> Tried {
        if raced || error.is(Failure::Serialization) {
            Tried::Raced(error)
        } else {
            Tried::Refused(error)
        }
    }
}

impl From<ApiError> for Tried {
    fn from(error: ApiError) -> Tried {
        Tried::raced_if(error, false)
    }
}

/// One reading, decision and writing of a command.
fn attempt(tx: &Tx, ctx: &Context, command: &Command) -> Result<Decision, Tried> {
    let facts = gather(
        &command.needs(),
        ctx.actor,
        &store::facts::InTx(tx, ctx.now),
    )?;
    let decision = decide(command, &facts, ctx).map_err(|error| Tried::Refused(error.into()))?;
    // A rule refusing the write after core allowed it means the rows moved since they were
    // read (the compare-and-set and the CHECKs say so with the rule's error).
    carry_out(tx, ctx, &decision, &facts).map_err(|error| {
        let moved = matches!(error, ApiError::Rule(_));
        Tried::raced_if(error, moved)
    })?;
    Ok(decision)
}

/// How often a command that lost a race on PostgreSQL is read and decided again.
const RACE_ATTEMPTS: usize = 8;

/// Writes what `decision` does, its events, and the notices it makes (core's
/// [`drafts`], from the facts it was decided on): all in the command's transaction.
fn carry_out(tx: &Tx, ctx: &Context, decision: &Decision, facts: &Facts) -> Result<(), ApiError> {
    for write in &decision.writes {
        match write {
            Write::WishCounts {
                wish,
                before,
                after,
            } => store::wishes::set_counts(tx, *wish, *before, *after, ctx.now)?,
            Write::NewWish(record) => store::wishes::insert(tx, record, ctx.now)?,
            Write::WishFields { wish, changes } => {
                store::wishes::set_fields(tx, *wish, changes, ctx.now)?
            }
            Write::NewClaim(new) => store::claims::insert(tx, new, ctx.now)?,
            Write::ClaimStatus {
                claim,
                from,
                to,
                volunteer_minutes,
                reason,
            } => store::claims::set_status(
                tx,
                *claim,
                (*from, *to),
                *volunteer_minutes,
                reason.as_deref(),
                ctx.now,
            )?,
            Write::ClaimQuantity {
                claim,
                before,
                after,
            } => store::claims::set_quantity(tx, *claim, (*before, *after), ctx.now)?,
            Write::Thanks { claim, text } => store::claims::set_thanks(tx, *claim, text, ctx.now)?,
            Write::PutHousehold { household, created } => {
                store::households::put(tx, household, *created)?
            }
            Write::EraseHousehold { household } => {
                store::households::erase(tx, *household, ctx.now)?
            }
            Write::VolunteerStatus {
                user,
                from,
                to,
                note,
            } => store::users::set_volunteer_status(
                tx,
                *user,
                (*from, *to),
                note,
                ctx.actor.user_id(),
                ctx.now,
            )?,
            Write::NewPledge(record) => {
                let shop_name = store::pledges::shop_name(tx, record.shop)?;
                store::pledges::insert(tx, record, &shop_name, ctx.now)?
            }
            Write::PledgeChanged { record, allocated } => {
                store::pledges::update(tx, record, allocated)?
            }
            Write::PledgeWithdrawn { pledge, at } => store::pledges::withdraw(tx, *pledge, *at)?,
            Write::PledgeAllocated {
                pledge,
                variant,
                before,
                after,
            } => store::pledges::set_allocated(tx, *pledge, variant.as_deref(), *before, *after)?,
            Write::NewAllocation(record) => store::pledges::insert_allocation(tx, record, ctx.now)?,
            Write::AllocationStatus {
                allocation,
                from,
                to,
            } => store::pledges::set_allocation_status(tx, *allocation, (*from, *to), ctx.now)?,
            Write::AllocationThanks { allocation, text } => {
                store::pledges::set_allocation_thanks(tx, *allocation, text, ctx.now)?
            }
            Write::NewCampaign(record) => store::campaigns::insert(tx, record, ctx.now)?,
            Write::CampaignChanged(record) => store::campaigns::update(tx, record)?,
            Write::CampaignEnded { campaign, at } => store::campaigns::end(tx, *campaign, *at)?,
            Write::PartyMember { user, party_member } => {
                store::users::set_party_member(tx, *user, *party_member)?
            }
            Write::NewRequest(record) => store::requests::insert(tx, record, ctx.now)?,
            Write::RequestMoved {
                request,
                from,
                handler,
                to,
                changes,
            } => store::requests::moved(tx, *request, (*from, *handler), *to, changes, ctx.now)?,
            // A photo's bytes were stored by `add_photo`, in the same transaction.
            Write::RequestNote { request, .. } | Write::RequestPhoto { request, .. } => {
                store::requests::touch(tx, *request, ctx.now)?
            }
            Write::NoticesRead { user, ids, all } => {
                store::notices::mark_read(tx, *user, ids, *all, ctx.now)?
            }
            Write::Reminded { subject, reminder } => {
                store::notices::remind(tx, *subject, *reminder, ctx.now)?
            }
        }
    }
    for event in &decision.events {
        store::events::record(tx, ctx.now, ctx.actor.user_id(), event)?;
    }
    store::notices::insert(tx, &drafts(decision, facts, ctx), ctx.now)
}

/// The hold timer: every active claim whose hold ran out expires (a command of the system),
/// a slice of claims per write; returns how many did. Every server runs it: on PostgreSQL a
/// slice's claims are locked as they are found and another server's timer skips them
/// (`FOR UPDATE SKIP LOCKED`), so two timers share the work and never expire one claim twice;
/// on SQLite the writer holds the file while it looks.
pub async fn expire_due_claims(state: &AppState) -> Result<usize, ApiError> {
    const SLICE: usize = 100;
    let mut expired = 0;
    loop {
        let ctx = Context {
            actor: Actor::System,
            now: state.clock.now(),
            policy: state.policy,
        };
        let (done, found) = state
            .writer
            .write(move |tx| expire_slice(tx, &ctx, SLICE))
            .await?;
        for decision in &done {
            state.after_commit(decision);
        }
        expired += done.len();
        if found < SLICE {
            return Ok(expired);
        }
    }
}

/// Expires up to `limit` due claims in the caller's transaction: what each expiry did, and
/// how many were found.
fn expire_slice(tx: &Tx, ctx: &Context, limit: usize) -> Result<(Vec<Decision>, usize), ApiError> {
    let due = store::claims::due_for_expiry(tx, ctx.now, limit)?;
    let commands = due
        .into_iter()
        .map(|claim_id| Command::ExpireClaim(ClaimRef { claim_id }))
        .collect();
    apply_each(tx, ctx, commands)
}

/// The hold timer's reminders (commands of the system), each once: the claimer of every active
/// claim whose hold ends within a day, the workers of every request past its limit to be
/// accepted or resolved; returns how many were sent. As with expiry, every server
/// runs it: PostgreSQL's `SKIP LOCKED` shares the work, the `reminders` record (and the
/// notices' derived ids) keeps a second server from reminding again.
pub async fn remind_due(state: &AppState) -> Result<usize, ApiError> {
    Ok(remind_claims(state).await? + remind_requests(state).await?)
}

/// Reminds claimers whose hold ends within a day.
async fn remind_claims(state: &AppState) -> Result<usize, ApiError> {
    const SLICE: usize = 100;
    let mut reminded = 0;
    loop {
        let ctx = Context {
            actor: Actor::System,
            now: state.clock.now(),
            policy: state.policy,
        };
        let (done, found) = state
            .writer
            .write(move |tx| {
                let due = store::claims::due_for_reminder(
                    tx,
                    ctx.now,
                    microwish_core::notices::HOLD_REMINDER,
                    SLICE,
                )?;
                let commands = due
                    .iter()
                    .map(|&claim_id| Command::RemindClaim(ClaimRef { claim_id }))
                    .collect();
                apply_each(tx, &ctx, commands)
            })
            .await?;
        for decision in &done {
            state.after_commit(decision);
        }
        reminded += done.len();
        if found < SLICE {
            return Ok(reminded);
        }
    }
}

/// Reminds a community's workers of each request past its limit to be accepted or resolved.
async fn remind_requests(state: &AppState) -> Result<usize, ApiError> {
    const SLICE: usize = 100;
    let mut reminded = 0;
    loop {
        let ctx = Context {
            actor: Actor::System,
            now: state.clock.now(),
            policy: state.policy,
        };
        let (done, found) = state
            .writer
            .write(move |tx| {
                let due = store::requests::due_for_reminder(tx, ctx.now, SLICE)?;
                let commands = due
                    .into_iter()
                    .map(|(request_id, limit)| {
                        Command::RemindRequest(RequestReminder { request_id, limit })
                    })
                    .collect();
                apply_each(tx, &ctx, commands)
            })
            .await?;
        for decision in &done {
            state.after_commit(decision);
        }
        reminded += done.len();
        if found < SLICE {
            return Ok(reminded);
        }
    }
}

/// Applies each of the system's `commands` in a savepoint of its own: what each did, and how
/// many there were. One that found its subject moved on since it was found (on SQLite nothing
/// can; a safeguard), or reminded already by another server, is skipped.
fn apply_each(
    tx: &Tx,
    ctx: &Context,
    commands: Vec<Command>,
) -> Result<(Vec<Decision>, usize), ApiError> {
    let mut done = Vec::new();
    for command in &commands {
        match in_savepoint(tx, |tx| apply_in(tx, ctx, command)) {
            Ok(decision) => done.push(decision),
            Err(ApiError::Rule(RuleError::InvalidState { .. } | RuleError::Moved { .. })) => {}
            Err(error) if error.is(Failure::Unique) => {}
            Err(error) => return Err(error),
        }
    }
    Ok((done, commands.len()))
}

/// The requests' timer: every resolved request its requester left unanswered past the answer
/// time closes (core's system command `close_request`), a slice per write; returns how many
/// did. Every server runs it, as [`expire_due_claims`]: on PostgreSQL a slice's requests are
/// locked as they are found and another server skips them, so each closes once.
pub async fn close_answered_requests(state: &AppState) -> Result<usize, ApiError> {
    const SLICE: usize = 100;
    let mut closed = 0;
    loop {
        let ctx = Context {
            actor: Actor::System,
            now: state.clock.now(),
            policy: state.policy,
        };
        let (done, found) = state
            .writer
            .write(move |tx| close_slice(tx, &ctx, SLICE))
            .await?;
        for decision in &done {
            state.after_commit(decision);
        }
        closed += done.len();
        if found < SLICE {
            return Ok(closed);
        }
    }
}

/// Closes up to `limit` requests whose answer time ran out, in the caller's transaction.
fn close_slice(tx: &Tx, ctx: &Context, limit: usize) -> Result<(Vec<Decision>, usize), ApiError> {
    // Resolved at or before this, the answer time (`answer_until`) has passed.
    let cutoff = ctx.now - ctx.policy.requests.answer;
    let due = store::requests::due_for_closing(tx, cutoff, limit)?;
    let mut closed = Vec::new();
    for &request_id in &due {
        let command = Command::CloseRequest(RequestRef { request_id });
        match in_savepoint(tx, |tx| apply_in(tx, ctx, &command)) {
            Ok(decision) => closed.push(decision),
            // Moved on since it was found (confirmed, reopened): nothing to close.
            Err(ApiError::Rule(RuleError::InvalidState { .. } | RuleError::Moved { .. })) => {}
            Err(error) => return Err(error),
        }
    }
    Ok((closed, due.len()))
}

/// Compacts the change log in slices (each its own write, so claims go on in between);
/// returns how many rows were dropped.
pub async fn compact_change_log(state: &AppState) -> Result<u64, ApiError> {
    const SLICE: i64 = 5_000;
    let mut dropped = 0;
    loop {
        let slice = state
            .writer
            .write(|tx| store::sync::compact(tx, SLICE))
            .await?;
        dropped += slice as u64;
        if (slice as i64) < SLICE {
            return Ok(dropped);
        }
    }
}
