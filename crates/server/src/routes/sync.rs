//! `POST /api/sync/push`, `GET /api/sync/pull` and the `GET /api/events` stream.
//!
//! Push applies each mutation exactly once, in order: the client's last mutation id is
//! stored in the same transaction as the mutation's effects, and each result is kept (with
//! the command's fingerprint) so that a replay answers the same. Pull returns what the user
//! may see that changed after a cursor, with visibility decided here, per user.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::Json;
use futures_util::stream::Stream;
use microwish_core::decide::{Context, Decision};
use microwish_core::sync::{
    Change, Mutation, MutationResult, MutationStatus, Op, PullResponse, PushRequest, PushResponse,
    Received,
};
use microwish_core::{ClaimId, ClientId, Entity, GridId, ProblemCode, Role, RuleError, UserId};
use serde::Deserialize;

use crate::app::AppState;
use crate::apply::{apply_in, forget_revetted_sessions};
use crate::auth::{CurrentUser, MaybeUser};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery};
use crate::security::ClientAddress;
use crate::store::{self, parse_stored};
use crate::writer::{in_savepoint, Tx};

/// At most this many mutations in one push, and changes in one pull page.
pub const PUSH_MAX: usize = microwish_core::engine::PUSH_BATCH;
pub const PULL_PAGE: i64 = 500;

/// A client's numbered mutations, applied exactly once and in order; each gets `applied` or `rejected` with a code.
#[utoipa::path(
    post,
    path = "/api/sync/push",
    tag = "sync",
    operation_id = "sync_push",
    request_body = PushRequest,
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = PushResponse)
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
        forget_revetted_sessions(state, decision);
        state.notify_change();
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
        Err(error) if store::breaks_unique(&error) => {
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
                Some((known, result)) if known.is_empty() || known == fingerprint => {
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
                Err(error) => Err((error.code(), error.to_string())),
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

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PullQuery {
    #[serde(default)]
    cursor: u64,
    client_id: ClientId,
}

/// Every change the caller may see after `cursor` (a snapshot with `reset` when the cursor is too old).
#[utoipa::path(
    get,
    path = "/api/sync/pull",
    tag = "sync",
    operation_id = "sync_pull",
    params(PullQuery),
    security((), ("session" = [])),
    responses(
        (status = 200, description = "OK", body = PullResponse)
    )
)]
pub async fn pull(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiQuery(query): ApiQuery<PullQuery>,
) -> ApiResult<Json<PullResponse>> {
    let latest = store::sync::latest_version(&state.db).await?;
    let client = store::sync::client(&state.db, query.client_id).await?;
    let user_id = user.as_ref().map(|user| user.id);
    let (visibility_changed, last_mutation_id) = match client {
        Some((owner, last)) => (Some(owner) != user_id, last),
        None => (false, 0),
    };
    // A cursor from the future means the server's data was replaced: start over.
    let reset = query.cursor == 0 || query.cursor > latest || visibility_changed;
    let since = if reset { 0 } else { query.cursor };
    let rows = store::sync::changed_since(&state.db, since, PULL_PAGE + 1).await?;
    let more = rows.len() as i64 > PULL_PAGE;
    let rows = &rows[..rows.len().min(PULL_PAGE as usize)];
    let cursor = match (rows.last(), more) {
        (Some((_, _, version)), true) => *version,
        // Everything up to `latest` is in this answer (later changes may be too: harmless).
        _ => latest.max(since),
    };
    let changes = load_changes(&state, user.as_ref(), rows).await?;
    let me = match &user {
        Some(user) => Some(crate::auth::me(&state.db, user).await?),
        None => None,
    };
    Ok(Json(PullResponse {
        cursor,
        last_mutation_id: if visibility_changed {
            0
        } else {
            last_mutation_id
        },
        reset,
        more,
        policy: state.policy,
        me,
        changes,
    }))
}

/// The current state of each changed entity, as `viewer` may see it.
async fn load_changes(
    state: &AppState,
    viewer: Option<&CurrentUser>,
    rows: &[(Entity, String, u64)],
) -> ApiResult<Vec<Change>> {
    fn ids_of<T: std::str::FromStr>(
        rows: &[(Entity, String, u64)],
        entity: Entity,
    ) -> ApiResult<Vec<T>>
    where
        T::Err: std::fmt::Display,
    {
        rows.iter()
            .filter(|(kind, _, _)| *kind == entity)
            .map(|(_, id, _)| parse_stored(id))
            .collect()
    }
    let wishes = store::wishes::by_ids(&state.db, &ids_of(rows, Entity::Wish)?).await?;
    let campaigns = store::campaigns::by_ids(&state.db, &ids_of(rows, Entity::Campaign)?).await?;
    let grids = store::community::grids(&state.db).await?;
    // Claims only for signed-in users, and only those they may see (their own; a worker's
    // community's).
    let claims = match viewer {
        Some(viewer) => {
            let ids: Vec<ClaimId> = ids_of(rows, Entity::Claim)?;
            let viewer = viewer.clone();
            state
                .reader
                .read(move |db| store::claims::views_by_ids(db, &viewer, &ids))
                .await?
        }
        None => Default::default(),
    };
    // Drafts and cancelled wishes, households and volunteers: for a community's workers only.
    let community = viewer
        .filter(|user| user.role == Role::Worker)
        .and_then(|user| user.community);
    let (households, volunteers) = match (community, viewer) {
        (Some(community), Some(worker)) => {
            let households =
                store::households::by_ids(&state.db, community, &ids_of(rows, Entity::Household)?)
                    .await?;
            let read: Vec<_> = households.keys().copied().collect();
            // The households' private fields reach this worker's phone: on the record.
            store::events::record_reads(&state.writer, state.clock.now(), worker.id, &read).await?;
            let ids: Vec<UserId> = ids_of(rows, Entity::Volunteer)?;
            let volunteers = if ids.is_empty() {
                Vec::new()
            } else {
                store::users::volunteers(&state.db, Some(&ids), None).await?
            };
            (households, volunteers)
        }
        _ => Default::default(),
    };
    // Pledges: a shop's own; every pledge for workers.
    let pledges = match viewer {
        Some(viewer) if matches!(viewer.role, Role::Worker | Role::Shopkeeper) => {
            let mut pledges =
                store::pledges::by_ids(&state.db, &ids_of(rows, Entity::Pledge)?).await?;
            if viewer.role == Role::Shopkeeper {
                pledges.retain(|_, pledge| pledge.shop == viewer.id);
            }
            pledges
        }
        _ => Default::default(),
    };
    let own_grids: Vec<&GridId> = grids
        .iter()
        .filter(|grid| Some(grid.community) == community)
        .map(|grid| &grid.id)
        .collect();

    let mut changes = Vec::with_capacity(rows.len());
    for (entity, id, _) in rows {
        let change = match entity {
            Entity::Wish => {
                let id = parse_stored(id)?;
                let wish = wishes
                    .get(&id)
                    .filter(|wish| wish.status.is_public() || own_grids.contains(&&wish.grid));
                Change::Wish {
                    id,
                    op: if wish.is_some() { Op::Put } else { Op::Del },
                    data: wish.cloned(),
                }
            }
            Entity::Campaign => {
                let id = parse_stored(id)?;
                let campaign = campaigns.get(&id);
                Change::Campaign {
                    id,
                    op: if campaign.is_some() { Op::Put } else { Op::Del },
                    data: campaign.cloned(),
                }
            }
            Entity::Grid => {
                let grid = grids.iter().find(|grid| grid.id.as_str() == id);
                Change::Grid {
                    id: id.as_str().into(),
                    op: if grid.is_some() { Op::Put } else { Op::Del },
                    data: grid.cloned(),
                }
            }
            Entity::Claim => {
                let id = parse_stored(id)?;
                match claims.get(&id) {
                    Some(claim) => Change::Claim {
                        id,
                        op: Op::Put,
                        data: Some(Box::new(claim.clone())),
                    },
                    // Someone else's claim: not theirs to know about, not even as a removal.
                    None => continue,
                }
            }
            Entity::Household => {
                if community.is_none() {
                    continue;
                }
                let id = parse_stored(id)?;
                let household = households.get(&id);
                Change::Household {
                    id,
                    op: if household.is_some() {
                        Op::Put
                    } else {
                        Op::Del
                    },
                    data: household.cloned().map(Box::new),
                }
            }
            Entity::Volunteer => {
                if community.is_none() {
                    continue;
                }
                let id = parse_stored(id)?;
                let volunteer = volunteers.iter().find(|volunteer| volunteer.id == id);
                Change::Volunteer {
                    id,
                    op: if volunteer.is_some() {
                        Op::Put
                    } else {
                        Op::Del
                    },
                    data: volunteer.cloned(),
                }
            }
            Entity::Pledge => {
                let id = parse_stored(id)?;
                match pledges.get(&id) {
                    Some(pledge) => Change::Pledge {
                        id,
                        op: Op::Put,
                        data: Some(Box::new(pledge.clone())),
                    },
                    // Another shop's pledge: not theirs to know about.
                    None => continue,
                }
            }
            // Allocations travel inside their pledge.
            Entity::Allocation => continue,
            // server: requests not stored yet (issue 24, server slice)
            Entity::Request | Entity::Call | Entity::Building | Entity::Staff => continue,
        };
        changes.push(change);
    }
    Ok(changes)
}

/// `GET /api/events`: a server-sent event `change` after every committed change, so
/// connected clients pull at once; a comment every 15 s keeps proxies from closing it.
/// Each stream holds a slot (see [`crate::security::StreamLimits`]) until the client goes.
#[utoipa::path(
    get,
    path = "/api/events",
    tag = "sync",
    operation_id = "sync_events",
    security((), ("session" = [])),
    responses(
        (status = 200, description = "An endless `text/event-stream`", body = String, content_type = "text/event-stream")
    )
)]
pub async fn events(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ClientAddress(address): ClientAddress,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let slot = state.streams.open(user.map(|user| user.id), address)?;
    let receiver = state.changes.subscribe();
    let stream =
        futures_util::stream::unfold((receiver, slot), |(mut receiver, slot)| async move {
            match receiver.recv().await {
                // Lagging just means several changes at once: one poke covers them.
                Ok(()) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                    let event = Event::default().event("change").data("{}");
                    Some((Ok(event), (receiver, slot)))
                }
                Err(tokio::sync::broadcast::error::RecvError::Closed) => None,
            }
        });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}
