//! `POST /api/sync/push`, `GET /api/sync/pull` and the `GET /api/events` stream.
//!
//! Push applies each mutation exactly once, in order: the client's last mutation id is
//! stored in the same transaction as the mutation's effects, and each result is kept so
//! that a replay answers the same. Pull returns what the user may see that changed after
//! a cursor, with visibility decided here, per user, never by the client.

use std::collections::HashMap;
use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::Json;
use futures_util::stream::Stream;
use microwish_core::sync::{
    Change, Mutation, MutationResult, MutationStatus, Op, PullResponse, PushRequest, PushResponse,
};
use microwish_core::{Id, Role};
use serde::Deserialize;
use sqlx::SqliteConnection;

use crate::app::AppState;
use crate::apply::apply_in;
use crate::auth::{CurrentUser, MaybeUser};
use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiJson, ApiQuery};
use crate::routes::{campaigns, claims, community, wishes};
use crate::stored::parse_stored;

/// At most this many mutations in one push, and changes in one pull page.
pub const PUSH_MAX: usize = 100;
pub const PULL_PAGE: i64 = 500;

pub async fn push(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(request): ApiJson<PushRequest>,
) -> ApiResult<Json<PushResponse>> {
    if request.mutations.len() > PUSH_MAX {
        return Err(ApiError::bad_request(
            "too_many_mutations",
            format!("at most {PUSH_MAX} mutations per push"),
        ));
    }
    let mut results = Vec::with_capacity(request.mutations.len());
    for mutation in &request.mutations {
        let result = push_one(&state, &user, request.client_id, mutation).await?;
        results.push(result);
    }
    Ok(Json(PushResponse { results }))
}

/// Processes one mutation in its own transaction (so one slow batch never holds the
/// write lock for long, and everything before a failure stays applied).
async fn push_one(
    state: &AppState,
    user: &CurrentUser,
    client_id: Id,
    mutation: &Mutation,
) -> ApiResult<MutationResult> {
    let mut tx = state.db.begin_with("BEGIN IMMEDIATE").await?;
    let last = client_last_mutation(&mut tx, client_id, user).await?;
    if mutation.id <= last {
        // A replay: answer what we answered the first time, change nothing.
        return stored_result(&mut tx, client_id, mutation.id).await;
    }
    if mutation.id != last + 1 {
        return Err(ApiError::MutationGap {
            expected: last + 1,
            got: mutation.id,
        });
    }
    let outcome = match mutation.command() {
        Err(error) => Err(("invalid_mutation".to_owned(), error)),
        Ok(command) => {
            // A savepoint: a rejected mutation leaves no trace but its result.
            let mut savepoint = sqlx::Connection::begin(&mut *tx).await?;
            match apply_in(
                &mut savepoint,
                state.clock.now(),
                state.hold,
                user.actor(),
                command,
            )
            .await
            {
                Ok(_) => {
                    savepoint.commit().await?;
                    Ok(())
                }
                Err(
                    error @ (ApiError::Database(_) | ApiError::Corrupt(_) | ApiError::Internal(_)),
                ) => {
                    // Not the mutation's fault: nothing is recorded, the client retries.
                    return Err(error);
                }
                Err(error) => Err((error.code().to_owned(), error.to_string())),
            }
        }
    };
    let result = match outcome {
        Ok(()) => MutationResult {
            id: mutation.id,
            status: MutationStatus::Applied,
            code: None,
            message: None,
        },
        Err((code, message)) => MutationResult {
            id: mutation.id,
            status: MutationStatus::Rejected,
            code: Some(code),
            message: Some(message),
        },
    };
    record_result(&mut tx, client_id, user, &result, state).await?;
    tx.commit().await?;
    if result.status == MutationStatus::Applied {
        state.notify_change();
    }
    Ok(result)
}

/// The client's last processed mutation id; registers the client on first use.
/// A client id belongs to one user: another user's push with it is refused.
async fn client_last_mutation(
    tx: &mut SqliteConnection,
    client_id: Id,
    user: &CurrentUser,
) -> ApiResult<u64> {
    let row: Option<(String, i64)> =
        sqlx::query_as("SELECT user_id, last_mutation_id FROM sync_clients WHERE client_id = ?")
            .bind(client_id.to_string())
            .fetch_optional(&mut *tx)
            .await?;
    match row {
        Some((owner, last)) if owner == user.id.to_string() => Ok(u64::try_from(last).unwrap_or(0)),
        Some(_) => Err(microwish_core::RuleError::Forbidden {
            reason: "this client id belongs to another user",
        }
        .into()),
        None => Ok(0),
    }
}

async fn record_result(
    tx: &mut SqliteConnection,
    client_id: Id,
    user: &CurrentUser,
    result: &MutationResult,
    state: &AppState,
) -> ApiResult<()> {
    let id = i64::try_from(result.id)
        .map_err(|_| ApiError::bad_request("bad_mutation_id", "mutation id too large"))?;
    sqlx::query(
        "INSERT INTO sync_clients (client_id, user_id, last_mutation_id, updated_at) VALUES (?, ?, ?, ?) \
         ON CONFLICT (client_id) DO UPDATE SET last_mutation_id = excluded.last_mutation_id, \
         updated_at = excluded.updated_at",
    )
    .bind(client_id.to_string())
    .bind(user.id.to_string())
    .bind(id)
    .bind(state.clock.now())
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "INSERT INTO sync_results (client_id, mutation_id, status, code, message) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(client_id.to_string())
    .bind(id)
    .bind(match result.status {
        MutationStatus::Applied => "applied",
        MutationStatus::Rejected => "rejected",
    })
    .bind(&result.code)
    .bind(&result.message)
    .execute(&mut *tx)
    .await?;
    Ok(())
}

async fn stored_result(
    tx: &mut SqliteConnection,
    client_id: Id,
    id: u64,
) -> ApiResult<MutationResult> {
    let row: Option<(String, Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT status, code, message FROM sync_results WHERE client_id = ? AND mutation_id = ?",
    )
    .bind(client_id.to_string())
    .bind(i64::try_from(id).unwrap_or(i64::MAX))
    .fetch_optional(&mut *tx)
    .await?;
    let (status, code, message) =
        row.ok_or_else(|| ApiError::Corrupt(format!("no stored result for mutation {id}")))?;
    Ok(MutationResult {
        id,
        status: if status == "applied" {
            MutationStatus::Applied
        } else {
            MutationStatus::Rejected
        },
        code,
        message,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PullQuery {
    #[serde(default)]
    cursor: u64,
    client_id: Id,
}

pub async fn pull(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ApiQuery(query): ApiQuery<PullQuery>,
) -> ApiResult<Json<PullResponse>> {
    let mut conn = state.db.acquire().await?;
    let (latest,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(version), 0) FROM change_log")
        .fetch_one(&mut *conn)
        .await?;
    let latest = u64::try_from(latest).unwrap_or(0);
    let client: Option<(String, i64)> =
        sqlx::query_as("SELECT user_id, last_mutation_id FROM sync_clients WHERE client_id = ?")
            .bind(query.client_id.to_string())
            .fetch_optional(&mut *conn)
            .await?;
    let user_id = user.as_ref().map(|user| user.id.to_string());
    let (visibility_changed, last_mutation_id) = match client {
        Some((owner, last)) => (
            Some(&owner) != user_id.as_ref(),
            u64::try_from(last).unwrap_or(0),
        ),
        None => (false, 0),
    };
    // A cursor from the future means the server's data was replaced: start over.
    let reset = query.cursor == 0 || query.cursor > latest || visibility_changed;
    let since = if reset { 0 } else { query.cursor };

    let rows: Vec<(String, String, i64)> = sqlx::query_as(
        "SELECT entity, entity_id, MAX(version) AS version FROM change_log WHERE version > ? \
         GROUP BY entity, entity_id ORDER BY version LIMIT ?",
    )
    .bind(i64::try_from(since).unwrap_or(i64::MAX))
    .bind(PULL_PAGE + 1)
    .fetch_all(&mut *conn)
    .await?;
    drop(conn);
    let more = rows.len() as i64 > PULL_PAGE;
    let rows = &rows[..rows.len().min(PULL_PAGE as usize)];
    let cursor = match (rows.last(), more) {
        (Some((_, _, version)), true) => u64::try_from(*version).unwrap_or(since),
        // Everything up to `latest` is in this answer (later changes may be too: harmless).
        _ => latest.max(since),
    };
    let changes = load_changes(&state, user.as_ref(), rows).await?;
    Ok(Json(PullResponse {
        cursor,
        last_mutation_id: if visibility_changed {
            0
        } else {
            last_mutation_id
        },
        reset,
        more,
        changes,
    }))
}

/// The current state of each changed entity, as `viewer` may see it.
async fn load_changes(
    state: &AppState,
    viewer: Option<&CurrentUser>,
    rows: &[(String, String, i64)],
) -> ApiResult<Vec<Change>> {
    let ids_of = |entity: &str| -> Vec<&str> {
        rows.iter()
            .filter(|(kind, _, _)| kind == entity)
            .map(|(_, id, _)| id.as_str())
            .collect()
    };
    let parse_all =
        |ids: Vec<&str>| -> ApiResult<Vec<Id>> { ids.into_iter().map(parse_stored).collect() };

    let wish_ids = parse_all(ids_of("wish"))?;
    let wishes = wishes::wishes_by_id(&state.db, &wish_ids).await?;
    let campaign_ids = parse_all(ids_of("campaign"))?;
    let campaigns = campaigns::campaigns_by_id(&state.db, &campaign_ids).await?;
    let grids: HashMap<String, microwish_core::Grid> = community::all_grids(&state.db)
        .await?
        .into_iter()
        .map(|grid| (grid.id.clone(), grid))
        .collect();
    // Claims only for signed-in users, and only those they may see (their own; all for workers).
    let claims = match viewer {
        Some(viewer) => {
            let claim_ids = parse_all(ids_of("claim"))?;
            claims::claims_by_id(&state.db, viewer, &claim_ids).await?
        }
        None => HashMap::new(),
    };
    let is_worker = viewer.is_some_and(|user| user.role == Role::Worker);

    let mut changes = Vec::with_capacity(rows.len());
    for (entity, id, _) in rows {
        let change = match entity.as_str() {
            "wish" => {
                let id: Id = parse_stored(id)?;
                match wishes
                    .get(&id)
                    .filter(|wish| wish.status.is_public() || is_worker)
                {
                    Some(wish) => Change::Wish {
                        id,
                        op: Op::Put,
                        data: Some(wish.clone()),
                    },
                    None => Change::Wish {
                        id,
                        op: Op::Del,
                        data: None,
                    },
                }
            }
            "campaign" => {
                let id: Id = parse_stored(id)?;
                match campaigns.get(&id) {
                    Some(campaign) => Change::Campaign {
                        id,
                        op: Op::Put,
                        data: Some(campaign.clone()),
                    },
                    None => Change::Campaign {
                        id,
                        op: Op::Del,
                        data: None,
                    },
                }
            }
            "grid" => match grids.get(id) {
                Some(grid) => Change::Grid {
                    id: id.clone(),
                    op: Op::Put,
                    data: Some(grid.clone()),
                },
                None => Change::Grid {
                    id: id.clone(),
                    op: Op::Del,
                    data: None,
                },
            },
            "claim" => {
                let id: Id = parse_stored(id)?;
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
            other => {
                return Err(ApiError::Corrupt(format!(
                    "change of unknown entity {other}"
                )))
            }
        };
        changes.push(change);
    }
    Ok(changes)
}

/// `GET /api/events`: a server-sent event `change` after every committed change, so
/// connected clients pull at once; a comment every 15 s keeps proxies from closing it.
pub async fn events(
    State(state): State<AppState>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = state.changes.subscribe();
    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        match receiver.recv().await {
            // Lagging just means several changes at once: one poke covers them.
            Ok(()) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {
                let event = Event::default().event("change").data("{}");
                Some((Ok(event), receiver))
            }
            Err(tokio::sync::broadcast::error::RecvError::Closed) => None,
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}
