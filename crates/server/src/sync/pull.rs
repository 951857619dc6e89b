//! `GET /api/sync/pull`: what changed after a client's cursor, assembled page by page, each
//! entity as the caller may see it (core's [`visibility`] decides; an entity a user may not see
//! is left out, or sent as a removal where they may have seen it before).

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::Json;
use microwish_core::sync::{must_start_over, Change, LostVersions, Op, PullResponse};

use microwish_core::visibility::{self, ShownRequest, Viewer};
use microwish_core::{ClaimId, ClientId, CommunityId, Entity, GridId, UserId};
use serde::Deserialize;

use crate::app::AppState;
use crate::auth::{CurrentUser, MaybeUser};
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiQuery;
use crate::pages::Page;
use crate::security::ClientAddress;
use crate::store::limits::Rate;
use crate::store::{self, parse_stored};

/// At most this many changes in one pull page.
pub const PULL_PAGE: i64 = 500;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PullQuery {
    #[serde(default)]
    cursor: u64,
    client_id: ClientId,
}

/// Anonymous snapshots one client address may ask for: 60 a minute on average, 120 at once
/// (a community centre or a carrier's address is shared by many phones; each asks once, when
/// it first opens the app or after a restore).
pub const SNAPSHOT_RATE: Rate = Rate {
    interval_ms: 1_000,
    burst: 120,
};

/// Addresses remembered at most; beyond it those whose rate has run down are forgotten.
const MAX_ADDRESSES: usize = 100_000;

/// The anonymous snapshot (a pull from scratch without a session, what every visitor's phone
/// asks first): the same for every visitor, so built once per version of the data (the change
/// log's top and the restores behind it), by one request while those asking with it wait for
/// that build, and served as the same bytes (each encoding made once) until the data changes. Without it each such pull
/// grouped the whole change log (160–220 ms at 300k claims). Who asks is counted per client
/// address, in memory: counting in the database would make each anonymous request a write,
/// the very cost this bounds.
pub struct Snapshots {
    rate: Rate,
    asked: std::sync::Mutex<HashMap<String, i64>>,
    current: std::sync::Mutex<Option<(SnapshotKey, Arc<Built>)>>,
    builds: std::sync::atomic::AtomicU64,
}

/// A snapshot built, or being built (those asking meanwhile wait for the one build).
type Built = tokio::sync::OnceCell<Arc<Page>>;

/// The version of the data a snapshot shows: the top version, and the restores behind it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct SnapshotKey {
    latest: u64,
    restores: usize,
    last_restore: u64,
}

impl Snapshots {
    pub fn new(rate: Rate) -> Snapshots {
        Snapshots {
            rate,
            asked: Default::default(),
            current: Default::default(),
            builds: Default::default(),
        }
    }

    /// How many snapshots were built (for tests: once per version however many ask).
    pub fn builds(&self) -> u64 {
        self.builds.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Counts a snapshot for `address`, or refuses it (`RateLimited`).
    fn take(&self, address: std::net::IpAddr, now_ms: i64) -> ApiResult<()> {
        let key = crate::auth::address_key(address);
        let mut asked = self.asked.lock().unwrap_or_else(|p| p.into_inner());
        if asked.len() >= MAX_ADDRESSES && !asked.contains_key(&key) {
            asked.retain(|_, full_at| *full_at > now_ms);
        }
        match self.rate.admit(asked.get(&key).copied(), 1, now_ms) {
            Ok(full_at) => {
                asked.insert(key, full_at);
                Ok(())
            }
            Err(over_ms) => Err(ApiError::RateLimited {
                retry_after: u64::try_from((over_ms + 999) / 1000).unwrap_or(1).max(1),
            }),
        }
    }

    /// The snapshot at `key`: the one built, or built now (once, whoever else waits for it).
    async fn get<F, Fut>(&self, key: SnapshotKey, build: F) -> ApiResult<Arc<Page>>
    where
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = ApiResult<PullResponse>>,
    {
        let version = key.latest;
        let cell = {
            let mut current = self.current.lock().unwrap_or_else(|p| p.into_inner());
            match &*current {
                Some((kept, cell)) if *kept == key => Some(cell.clone()),
                // An older version: a newer one is kept; build this one without keeping it.
                Some((kept, _)) if *kept > key => None,
                _ => {
                    let cell = Arc::new(tokio::sync::OnceCell::new());
                    *current = Some((key, cell.clone()));
                    Some(cell)
                }
            }
        };
        let build = || async {
            self.builds
                .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let answer = build().await?;
            serde_json::to_vec(&answer)
                .map(|json| Arc::new(Page::new(version, json)))
                .map_err(|error| ApiError::Internal(format!("snapshot not serialised: {error}")))
        };
        match cell {
            Some(cell) => cell.get_or_try_init(build).await.cloned(),
            None => build().await,
        }
    }
}

/// Every change the caller may see after `cursor` (a snapshot with `reset` when the cursor is too old).
#[utoipa::path(
    get,
    path = "/sync/pull",
    tag = "sync",
    operation_id = "sync_pull",
    params(PullQuery),
    security((), ("session" = [])),
    responses(
        (status = 200, description = "OK", body = PullResponse),
        (status = 429, description = "too_many_attempts: this address asked for the anonymous snapshot (a pull from scratch without a session) more often than 60 times a minute (120 at once); `Retry-After` says when to come back", body = microwish_core::problem::Problem, content_type = "application/problem+json")
    )
)]
pub async fn pull(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    ClientAddress(address): ClientAddress,
    headers: axum::http::HeaderMap,
    ApiQuery(query): ApiQuery<PullQuery>,
) -> ApiResult<Response> {
    let start = start(&state, user.as_ref(), query.cursor, query.client_id).await?;
    if user.is_none() && start.reset {
        // The anonymous snapshot: counted per address, built once per version.
        state
            .snapshots
            .take(address, state.clock.now().timestamp_millis())?;
        let key = SnapshotKey {
            latest: start.latest,
            restores: start.lost.len(),
            last_restore: start.lost.last().map_or(0, |lost| lost.through),
        };
        let page = state
            .snapshots
            .get(key, || assemble(&state, None, &start))
            .await?;
        // Each encoding (brotli, gzip) made once per version, like the public list's.
        return Ok(page.respond(&headers));
    }
    Ok(Json(assemble(&state, user.as_ref(), &start).await?).into_response())
}

/// What a pull starts from: the top version, the restores, and where this caller's answer begins.
struct Start {
    latest: u64,
    lost: Vec<LostVersions>,
    reset: bool,
    since: u64,
    last_mutation_id: u64,
}

async fn start(
    state: &AppState,
    user: Option<&CurrentUser>,
    cursor: u64,
    client_id: ClientId,
) -> ApiResult<Start> {
    let latest = store::sync::latest_version(&state.db).await?;
    let client = store::sync::client(&state.db, client_id).await?;
    let user_id = user.map(|user| user.id);
    let (visibility_changed, last_mutation_id) = match client {
        Some((owner, last)) => (Some(owner) != user_id, last),
        None => (false, 0),
    };
    // No cursor, one from the future (the data was replaced) or from before a restore:
    // start over (core decides; the phone then sends again what the restore lost).
    let lost = store::sync::lost_versions(&state.db).await?;
    let reset = must_start_over(cursor, latest, &lost) || visibility_changed;
    Ok(Start {
        latest,
        reset,
        since: if reset { 0 } else { cursor },
        last_mutation_id: if visibility_changed {
            0
        } else {
            last_mutation_id
        },
        lost,
    })
}

/// The answer to a pull, built afresh (what the anonymous snapshot's cache must equal, byte
/// for byte: the tests compare the two).
pub async fn uncached(
    state: &AppState,
    user: Option<&CurrentUser>,
    cursor: u64,
    client_id: ClientId,
) -> ApiResult<PullResponse> {
    let start = start(state, user, cursor, client_id).await?;
    assemble(state, user, &start).await
}

async fn assemble(
    state: &AppState,
    user: Option<&CurrentUser>,
    start: &Start,
) -> ApiResult<PullResponse> {
    let (latest, since, reset) = (start.latest, start.since, start.reset);
    // A visitor's pull reads only what a visitor may see (core says which kinds).
    let only = visibility::entities_of(user.map(CurrentUser::viewer).as_ref());
    let rows = store::sync::changed_since(&state.db, since, PULL_PAGE + 1, only).await?;
    let more = rows.len() as i64 > PULL_PAGE;
    let rows = &rows[..rows.len().min(PULL_PAGE as usize)];
    let cursor = match (rows.last(), more) {
        (Some((_, _, version)), true) => *version,
        // Everything up to `latest` is in this answer (later changes may be too: harmless).
        _ => latest.max(since),
    };
    let changes = load_changes(state, user, rows, reset).await?;
    let me = match user {
        Some(user) => Some(crate::auth::me(&state.db, user).await?),
        None => None,
    };
    Ok(PullResponse {
        cursor,
        last_mutation_id: start.last_mutation_id,
        reset,
        more,
        policy: state.policy,
        me,
        changes,
    })
}

/// The current state of each changed entity, as `viewer` may see it (`reset`: the phone starts
/// over, so nothing needs removing from it).
async fn load_changes(
    state: &AppState,
    viewer: Option<&CurrentUser>,
    rows: &[(Entity, String, u64)],
    reset: bool,
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
    let sight: Option<Viewer> = viewer.map(CurrentUser::viewer);
    let sight = sight.as_ref();
    // Claims: read through core's scope and field rules (store::claims).
    let claims = match viewer {
        Some(viewer) => {
            let ids: Vec<ClaimId> = ids_of(rows, Entity::Claim)?;
            let reader = viewer.clone();
            let named = state
                .reader
                .read(move |db| store::claims::views_by_ids(db, &reader, &ids))
                .await?;
            // A worker's phone receives house calls' real names: on each household's record.
            store::events::record_reads(
                &state.writer,
                state.clock.now(),
                viewer.id,
                &named.households,
            )
            .await?;
            named.views
        }
        None => Default::default(),
    };
    let households = match (visibility::households_of(sight), viewer) {
        (Some(community), Some(worker)) => {
            let households =
                store::households::by_ids(&state.db, community, &ids_of(rows, Entity::Household)?)
                    .await?;
            let read: Vec<_> = households.keys().copied().collect();
            // The households' private fields reach this worker's phone: on the record.
            store::events::record_reads(&state.writer, state.clock.now(), worker.id, &read).await?;
            let deleted = store::households::deleted_of(
                &state.db,
                community,
                &ids_of(rows, Entity::Household)?,
            )
            .await?;
            (households, deleted)
        }
        _ => Default::default(),
    };
    let (households, deleted_households) = households;
    // Volunteers: those of the worker's own community only (communities are sealed).
    let volunteer_ids: Vec<UserId> = ids_of(rows, Entity::Volunteer)?;
    let volunteers = match visibility::volunteers_of(sight) {
        Some(community) if !volunteer_ids.is_empty() => {
            store::users::volunteers(&state.db, community, Some(&volunteer_ids), None).await?
        }
        _ => Vec::new(),
    };
    let pledges = if visibility::pledge_scope(sight) == visibility::PledgeScope::Nothing {
        Default::default()
    } else {
        store::pledges::by_ids(&state.db, sight, &ids_of(rows, Entity::Pledge)?).await?
    };
    // Requests: each as core's visibility shows it to this viewer (in full, as a call, or
    // not at all); buildings are public; the staff for the workers of their community.
    let requests = store::requests::by_ids(&state.db, &ids_of(rows, Entity::Request)?).await?;
    let buildings =
        store::community::buildings_by_ids(&state.db, &ids_of(rows, Entity::Building)?).await?;
    let staff = match sight.and_then(Viewer::works_for) {
        Some(_) => store::users::staff(&state.db, &ids_of(rows, Entity::Staff)?).await?,
        None => Vec::new(),
    };
    let now = state.clock.now();
    let notices = match viewer {
        Some(_) => store::notices::by_ids(&state.db, &ids_of(rows, Entity::Notice)?).await?,
        None => Default::default(),
    };
    let community_of: HashMap<&GridId, CommunityId> = grids
        .iter()
        .map(|grid| (&grid.id, grid.community))
        .collect();

    let mut changes = Vec::with_capacity(rows.len());
    for (entity, id, _) in rows {
        let change = match entity {
            Entity::Wish => {
                let id = parse_stored(id)?;
                let wish = wishes.get(&id).filter(|wish| {
                    let community = community_of.get(&wish.grid).copied();
                    visibility::wish(sight, wish.status, community)
                });
                Change::Wish {
                    id,
                    op: if wish.is_some() { Op::Put } else { Op::Del },
                    data: wish.cloned(),
                }
            }
            Entity::Campaign => {
                let id = parse_stored(id)?;
                match campaigns.get(&id) {
                    Some(campaign) if visibility::campaign(sight, campaign.community_id) => {
                        Change::Campaign {
                            id,
                            op: Op::Put,
                            data: Some(campaign.clone()),
                        }
                    }
                    // Another community's drive: not a worker's to know about, not even its id.
                    Some(_) => continue,
                    None => Change::Campaign {
                        id,
                        op: Op::Del,
                        data: None,
                    },
                }
            }
            Entity::Grid => {
                let grid = grids
                    .iter()
                    .find(|grid| grid.id.as_str() == id)
                    .filter(|_| visibility::grid(sight));
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
                let id = parse_stored(id)?;
                // Only the households this worker may see were read: another community's
                // are not theirs to know about, not even as a removal. One of theirs deleted (PIPL)
                // leaves their phone.
                match households.get(&id) {
                    Some(household) => Change::Household {
                        id,
                        op: Op::Put,
                        data: Some(Box::new(household.clone())),
                    },
                    None if deleted_households.contains(&id) => Change::Household {
                        id,
                        op: Op::Del,
                        data: None,
                    },
                    None => continue,
                }
            }
            Entity::Volunteer => {
                let id = parse_stored(id)?;
                // Another community's volunteer: not theirs to know about, not even as a
                // removal (a volunteer never moves between communities).
                match volunteers.iter().find(|volunteer| volunteer.id == id) {
                    Some(volunteer) => Change::Volunteer {
                        id,
                        op: Op::Put,
                        data: Some(volunteer.clone()),
                    },
                    None => continue,
                }
            }
            Entity::Pledge => {
                let id = parse_stored(id)?;
                match pledges
                    .get(&id)
                    .filter(|pledge| visibility::pledge(sight, pledge.shop, pledge.community_id))
                {
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
            Entity::Request => {
                let id = parse_stored(id)?;
                let Some(request) = requests.get(&id) else {
                    continue;
                };
                let shown = visibility::show_request(sight, request, now);
                let calls_me = !reset
                    && sight.is_some_and(|viewer| viewer.answers_calls_of(request.community));
                let as_call = matches!(shown, Some(ShownRequest::Call(_)));
                let gone = || Change::Request {
                    id,
                    op: Op::Del,
                    data: None,
                };
                match shown {
                    Some(ShownRequest::Full(view)) => changes.push(Change::Request {
                        id,
                        op: Op::Put,
                        data: Some(view),
                    }),
                    Some(ShownRequest::Call(call)) => changes.push(Change::Call {
                        id,
                        op: Op::Put,
                        data: Some(call),
                    }),
                    // Not theirs to know about, unless it may have been on their phone.
                    None if !reset && visibility::told_request_left(sight, request.community) => {
                        changes.push(gone())
                    }
                    None => {}
                }
                // A call taken (by this volunteer, who has the request now, or another) or no
                // longer calling leaves the phones of those it called.
                if calls_me && !as_call {
                    changes.push(Change::Call {
                        id,
                        op: Op::Del,
                        data: None,
                    });
                }
                continue;
            }
            // Never logged: a call is a view of a request.
            Entity::Call => continue,
            // Never logged: a certificate is read by its link, not synced.
            Entity::Certificate => continue,
            // Never logged: a pairing is read online by the two communities' workers.
            Entity::Pairing => continue,
            Entity::Building => {
                let id = parse_stored(id)?;
                let building = buildings.get(&id).filter(|_| visibility::building(sight));
                Change::Building {
                    id,
                    op: if building.is_some() { Op::Put } else { Op::Del },
                    data: building.cloned(),
                }
            }
            Entity::Staff => {
                let id = parse_stored(id)?;
                match staff
                    .iter()
                    .find(|member| member.id == id)
                    .filter(|member| visibility::staff(sight, member.community))
                {
                    Some(member) => Change::Staff {
                        id,
                        op: Op::Put,
                        data: Some(member.clone()),
                    },
                    // Another community's staff: not theirs to know about.
                    None => continue,
                }
            }
            Entity::Notice => {
                let id = parse_stored(id)?;
                match notices
                    .get(&id)
                    .filter(|notice| visibility::notice(sight, notice.user))
                {
                    Some(notice) => Change::Notice {
                        id,
                        op: Op::Put,
                        data: Some(notice.clone()),
                    },
                    // Someone else's notice: not theirs to know about, not even as a removal.
                    None => continue,
                }
            }
        };
        changes.push(change);
    }
    Ok(changes)
}
