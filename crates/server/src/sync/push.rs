//! `POST /api/sync/push`: a client's numbered mutations, each applied exactly once, in order.
//!
//! The client's last mutation id is stored in the same transaction as the mutation's effects,
//! and each result is kept (with the command's fingerprint) so that a replay answers the same.

use axum::extract::State;
use axum::Json;
use microwish_core::decide::{Context, Decision};
use microwish_core::sync::{
    Mutation, MutationResult, MutationStatus, PushRequest, PushResponse, Received, KEPT_MUTATIONS,
};
use microwish_core::{ClientId, ProblemCode, RuleError, UserId};

use crate::app::AppState;
use crate::apply::apply_in;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;
use crate::store;
use crate::store::limits::Rate;
use crate::writer::{in_savepoint, Tx};

/// At most this many mutations in one push.
pub const PUSH_MAX: usize = microwish_core::engine::PUSH_BATCH;

/// Mutations one client may push: 120 a minute on average, and three times as many as a phone
/// keeps answered ([`KEPT_MUTATIONS`]) at once, so that a phone back online with a full outbox
/// (and, after a restore, its kept mutations again) is never told to wait on its first sync.
/// A user may push twice this (two phones back at once), over all their clients.
pub const PUSH_RATE: Rate = Rate {
    interval_ms: 500,
    burst: 3 * KEPT_MUTATIONS as u64,
};

/// A client's numbered mutations, applied exactly once and in order; each gets `applied` or `rejected` with a code.
#[utoipa::path(
    post,
    path = "/sync/push",
    tag = "sync",
    operation_id = "sync_push",
    request_body = PushRequest,
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = PushResponse),
        (status = 429, description = "too_many_attempts: more mutations than this client (120 a minute, 600 at once) or user (twice that) may push; `Retry-After` says when to come back", body = microwish_core::problem::Problem, content_type = "application/problem+json"),
        (status = 503, description = "busy: the writer's queue is full; `Retry-After` says when to come back", body = microwish_core::problem::Problem, content_type = "application/problem+json")
    )
)]
pub async fn push(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(request): ApiJson<PushRequest<Received>>,
) -> ApiResult<Json<PushResponse>> {
    if request.mutations.len() > PUSH_MAX {
        return Err(ApiError::bad_request(
            ProblemCode::TooManyMutations,
            format!("at most {PUSH_MAX} mutations per push"),
        ));
    }
    if request.mutations.iter().any(|mutation| mutation.id == 0) {
        return Err(ApiError::bad_request(
            ProblemCode::BadMutationId,
            "mutation ids start at 1",
        ));
    }
    // A batch is numbered without gaps, or refused whole.
    if let Some(pair) = request
        .mutations
        .windows(2)
        .find(|pair| pair[1].id != pair[0].id + 1)
    {
        return Err(ApiError::MutationGap {
            expected: pair[0].id + 1,
            got: pair[1].id,
        });
    }
    if let Some(first) = request.mutations.first() {
        take_turn(
            &state,
            &user,
            request.client_id,
            first.id,
            request.mutations.len(),
        )
        .await?;
    }
    let mut results = Vec::with_capacity(request.mutations.len());
    for mutation in &request.mutations {
        match push_one(&state, &user, request.client_id, mutation).await? {
            Pushed::Applied(result, _) | Pushed::Answered(result) => results.push(result),
            Pushed::OutOfLine { expected } if results.is_empty() => {
                return Err(ApiError::MutationGap {
                    expected,
                    got: mutation.id,
                })
            }
            // The ones before were processed: answer them; the client sends the rest again.
            Pushed::OutOfLine { .. } => break,
        }
    }
    Ok(Json(PushResponse { results }))
}

/// Counts a push's mutations against its client's and user's rates (429 with `Retry-After`
/// beyond them), and prunes the results the client has acknowledged by pushing from `first`
/// on: one write before the mutations' own.
async fn take_turn(
    state: &AppState,
    user: &CurrentUser,
    client_id: ClientId,
    first: u64,
    count: usize,
) -> ApiResult<()> {
    let client_rate = state.push_rate;
    let user_rate = Rate {
        interval_ms: (client_rate.interval_ms / 2).max(1),
        burst: client_rate.burst.saturating_mul(2),
    };
    let keys = vec![
        (format!("push-client:{client_id}"), client_rate),
        (format!("push-user:{}", user.id), user_rate),
    ];
    let (user_id, now) = (user.id, state.clock.now().timestamp_millis());
    state
        .writer
        .write(move |tx| {
            let taken = store::limits::take_rate(tx, &keys, count as u64, now)?;
            if taken.is_ok() {
                store::sync::acknowledge(tx, client_id, user_id, first)?;
            }
            Ok(taken)
        })
        .await?
        .map_err(|retry_after| ApiError::RateLimited { retry_after })
}

#[derive(Debug)]
pub enum Pushed {
    /// Applied just now (listening phones are told), with what it did.
    Applied(MutationResult, Box<Decision>),
    /// Refused, or a replay answered as the first time.
    Answered(MutationResult),
    /// Not the next mutation the server expects from this client (a gap, or a number that
    /// was used for another command): nothing was done.
    OutOfLine { expected: u64 },
}

/// Processes one mutation in its own write (so one slow batch never holds the write lock
/// for long, and everything before a failure stays applied).
async fn push_one(
    state: &AppState,
    user: &CurrentUser,
    client_id: ClientId,
    mutation: &Received,
) -> ApiResult<Pushed> {
    if i64::try_from(mutation.id).is_err() {
        return Err(ApiError::bad_request(
            ProblemCode::BadMutationId,
            "mutation id too large",
        ));
    }
    let ctx = Context {
        actor: user.actor(),
        now: state.clock.now(),
        policy: state.policy,
    };
    let user_id = user.id;
    let mutation = mutation.clone();
    let pushed = state
        .writer
        .write(move |tx| push_in(tx, &ctx, user_id, client_id, &mutation))
        .await?;
    if let Pushed::Applied(_, decision) = &pushed {
        state.after_commit(decision);
    }
    Ok(pushed)
}

/// [`push_one`] inside the write transaction: the mutation's effects, the client's last id
/// and the mutation's result are written together.
///
/// On PostgreSQL the same mutation can arrive through two servers at once (a phone that
/// timed out retries through the other): both apply it, the second to commit finds its
/// result already recorded (a UNIQUE breach on `sync_results`), undoes its copy and answers
/// as a replay, from the stored result.
pub fn push_in(
    tx: &Tx,
    ctx: &Context,
    user_id: UserId,
    client_id: ClientId,
    mutation: &Received,
) -> ApiResult<Pushed> {
    if !tx.is_postgres() {
        // SQLite's writer holds the file: no other server writes between the read of the
        // client's last id and the record of the result.
        return push_in_once(tx, ctx, user_id, client_id, mutation);
    }
    match in_savepoint(tx, |tx| push_in_once(tx, ctx, user_id, client_id, mutation)) {
        Err(error) if error.is(store::Failure::Unique) => {
            push_in_once(tx, ctx, user_id, client_id, mutation)
        }
        pushed => pushed,
    }
}

fn push_in_once(
    tx: &Tx,
    ctx: &Context,
    user_id: UserId,
    client_id: ClientId,
    mutation: &Received,
) -> ApiResult<Pushed> {
    let last = match store::sync::client_in(tx, client_id)? {
        Some((owner, last)) if owner == user_id => last,
        Some(_) => {
            return Err(RuleError::Forbidden {
                reason: "this client id belongs to another user",
            }
            .into())
        }
        None => 0,
    };
    let fingerprint = match &mutation.command {
        Ok(command) => Mutation::fingerprint(command),
        Err(_) => String::new(),
    };
    if mutation.id <= last {
        // A replay: answer what was answered the first time, change nothing; unless this
        // number stood for another command (the phone's numbering went back).
        return Ok(
            match store::sync::stored_result(tx, client_id, mutation.id)? {
                Some((known, result)) if store::sync::same_command(&known, &fingerprint) => {
                    Pushed::Answered(result)
                }
                _ => Pushed::OutOfLine { expected: last + 1 },
            },
        );
    }
    if mutation.id != last + 1 {
        return Ok(Pushed::OutOfLine { expected: last + 1 });
    }
    let outcome = match &mutation.command {
        Err(error) => Err((ProblemCode::InvalidMutation, error.clone())),
        Ok(command) => {
            // A savepoint: a rejected mutation leaves no trace but its result.
            match in_savepoint(tx, |tx| apply_in(tx, ctx, command)) {
                Ok(decision) => Ok(decision),
                // Not the mutation's fault: nothing is recorded, the client retries.
                Err(error) if error.is_server_error() => return Err(error),
                Err(error) => Err((error.code(), error.detail())),
            }
        }
    };
    let (result, decision) = match outcome {
        Ok(decision) => {
            let result = MutationResult {
                id: mutation.id,
                status: MutationStatus::Applied,
                code: None,
                message: None,
            };
            (result, Some(decision))
        }
        Err((code, message)) => {
            let result = MutationResult {
                id: mutation.id,
                status: MutationStatus::Rejected,
                code: Some(code),
                message: Some(message),
            };
            (result, None)
        }
    };
    store::sync::record_result(tx, client_id, user_id, &result, &fingerprint, ctx.now)?;
    Ok(match decision {
        Some(decision) => Pushed::Applied(result, Box::new(decision)),
        None => Pushed::Answered(result),
    })
}
