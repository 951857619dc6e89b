//! Paired communities (结对帮扶), a worker's: `GET /api/pairings` (their community's, both ways),
//! `POST /api/pairings` {id?, community_id} asks another community, and
//! `POST /api/pairings/{id}/accept|decline|end`. Read and changed online: pairing is an
//! agreement between two communities' staff, made seldom and never at the station.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use microwish_core::gates::Gate;
use microwish_core::pairing::{self, Pairing, PairingStatus, PairingStep, ProposePairing};
use microwish_core::{Community, CommunityId, Entity, Page, PairingId, RuleError, Status};

use crate::app::AppState;
use crate::auth::Worker;
use crate::error::{ApiError, ApiResult};
use crate::extract::{parse_id, ApiJson};
use crate::store;
use crate::store::users::User;

/// The pairings of the worker's community, the latest first: those it asked and those it was
/// asked, with both sides' names (nothing else of the other community).
#[utoipa::path(
    get,
    path = "/pairings",
    tag = "pairings",
    operation_id = "pairings_list",
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = Page<Pairing>)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Worker(user): Worker,
) -> ApiResult<Json<Page<Pairing>>> {
    let community = Gate::worker_community(user.role, user.community)?;
    let items = state
        .reader
        .read(move |db| store::pairings::of_community(db, community))
        .await?;
    Ok(Json(Page { items, next: None }))
}

/// A worker asks another community to pair with theirs (`proposed`, until that community's
/// workers answer). 422 `community_id`: `invalid` (their own), `unknown`, `duplicate` (already
/// paired or asked, either way). A retry with the same `id` answers the stored pairing.
#[utoipa::path(
    post,
    path = "/pairings",
    tag = "pairings",
    operation_id = "pairings_propose",
    request_body = ProposePairing,
    security(("session" = [])),
    responses(
        (status = 201, description = "Asked", body = Pairing),
        (status = 200, description = "A retry: the pairing this id already names", body = Pairing)
    )
)]
pub async fn propose(
    State(state): State<AppState>,
    Worker(user): Worker,
    ApiJson(request): ApiJson<ProposePairing>,
) -> ApiResult<(StatusCode, Json<Pairing>)> {
    let community = Gate::worker_community(user.role, user.community)?;
    let names: Vec<Community> = store::community::communities(&state.db)
        .await?
        .into_iter()
        .map(|(id, name)| Community { id, name })
        .collect();
    let now = state.clock.now();
    let by = user.id;
    state
        .writer
        .write(move |tx| {
            if let Some(existing) = store::pairings::get(tx.reads(), request.id)? {
                let same = existing.proposer.id == community
                    && existing.partner.id == request.community_id;
                return if same {
                    Ok((StatusCode::OK, Json(existing)))
                } else {
                    Err(RuleError::IdConflict.into())
                };
            }
            let known: Vec<CommunityId> = names.iter().map(|community| community.id).collect();
            let ours = store::pairings::of_community(tx.reads(), community)?;
            pairing::may_propose(community, request.community_id, &known, &ours)?;
            let name_of = |id: CommunityId| {
                names
                    .iter()
                    .find(|community| community.id == id)
                    .cloned()
                    .ok_or(ApiError::not_found(Entity::Pairing))
            };
            let asked = Pairing {
                id: request.id,
                proposer: name_of(community)?,
                partner: name_of(request.community_id)?,
                status: PairingStatus::Proposed,
                created_at: now,
                updated_at: now,
            };
            store::pairings::insert(tx, &asked, by)?;
            Ok((StatusCode::CREATED, Json(asked)))
        })
        .await
}

/// Moves a pairing as core's `Pairing::after` allows: 404 for another community's, 403 when
/// the asking side tries to answer, 409 `invalid_state` when it is no longer in a state to.
async fn step(
    state: AppState,
    user: User,
    id: String,
    step: PairingStep,
) -> ApiResult<Json<Pairing>> {
    let community = Gate::worker_community(user.role, user.community)?;
    let id: PairingId = parse_id(&id, Entity::Pairing)?;
    let now = state.clock.now();
    state
        .writer
        .write(move |tx| {
            let pairing = store::pairings::get(tx.reads(), id)?
                .ok_or(ApiError::not_found(Entity::Pairing))?;
            let to = pairing.after(step, community)?;
            let moved = store::pairings::set_status(tx, id, pairing.status, to, user.id, now)?;
            if moved == 0 {
                return Err(RuleError::Moved {
                    from: Status::Pairing(pairing.status),
                }
                .into());
            }
            // Paired or no longer: the two communities' shops may pledge elsewhere now. Their
            // phones pull (and learn it) as soon as they are told of a change.
            if to == PairingStatus::Active || pairing.status == PairingStatus::Active {
                let sides = [pairing.proposer.id, pairing.partner.id];
                store::community::touch_grids_of(tx, &sides)?;
            }
            Ok(Json(Pairing {
                status: to,
                updated_at: now,
                ..pairing
            }))
        })
        .await
}

/// The asked community's worker agrees: the pairing is `active`, and a shop of either
/// community may pledge to the other.
#[utoipa::path(
    post,
    path = "/pairings/{id}/accept",
    tag = "pairings",
    operation_id = "pairings_accept",
    params(("id" = uuid::Uuid, Path, description = "The pairing")),
    security(("session" = [])),
    responses(
        (status = 200, description = "Paired", body = Pairing)
    )
)]
pub async fn accept(
    State(state): State<AppState>,
    Worker(user): Worker,
    Path(id): Path<String>,
) -> ApiResult<Json<Pairing>> {
    step(state, user, id, PairingStep::Accept).await
}

/// The asked community's worker says no (`declined`).
#[utoipa::path(
    post,
    path = "/pairings/{id}/decline",
    tag = "pairings",
    operation_id = "pairings_decline",
    params(("id" = uuid::Uuid, Path, description = "The pairing")),
    security(("session" = [])),
    responses(
        (status = 200, description = "Declined", body = Pairing)
    )
)]
pub async fn decline(
    State(state): State<AppState>,
    Worker(user): Worker,
    Path(id): Path<String>,
) -> ApiResult<Json<Pairing>> {
    step(state, user, id, PairingStep::Decline).await
}

/// Either side ends a pairing (or takes back a question not yet answered): `ended`. Goods
/// already pledged across stay where they were offered.
#[utoipa::path(
    post,
    path = "/pairings/{id}/end",
    tag = "pairings",
    operation_id = "pairings_end",
    params(("id" = uuid::Uuid, Path, description = "The pairing")),
    security(("session" = [])),
    responses(
        (status = 200, description = "Ended", body = Pairing)
    )
)]
pub async fn end(
    State(state): State<AppState>,
    Worker(user): Worker,
    Path(id): Path<String>,
) -> ApiResult<Json<Pairing>> {
    step(state, user, id, PairingStep::End).await
}
