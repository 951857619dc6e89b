//! Claims: `POST /api/wishes/{id}/claims`, `POST /api/claims/{id}/release|deliver|confirm|reject`,
//! `GET /api/me/claims` and, for workers, `GET /api/claims`.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use microwish_core::command::{ClaimRef, ClaimRequest, Command, RejectClaim, RejectRequest};
use microwish_core::{ClaimStatus, ClaimView, HouseContact, Id, Page, Role, WishKind};
use serde::Deserialize;
use sqlx::{QueryBuilder, Sqlite, SqlitePool};

use crate::app::AppState;
use crate::apply::apply;
use crate::auth::CurrentUser;
use crate::error::{ApiError, ApiResult};
use crate::extract::{parse_id, ApiJson, ApiQuery};
use crate::routes::wishes::wishes_by_id;
use crate::stored::{count, parse_stored};

pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(wish_id): Path<String>,
    ApiJson(request): ApiJson<ClaimRequest>,
) -> ApiResult<(StatusCode, Json<ClaimView>)> {
    let wish_id = parse_id(&wish_id, "wish")?;
    let applied = apply(
        &state,
        user.actor(),
        Command::ClaimWish(request.for_wish(wish_id)),
    )
    .await?;
    let status = if applied.replayed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        Json(claim_view(&state.db, applied.claim_id, &user).await?),
    ))
}

pub async fn release(
    state: State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<ClaimView>> {
    act(state, user, &id, |claim_id| {
        Command::ReleaseClaim(ClaimRef { claim_id })
    })
    .await
}

pub async fn deliver(
    state: State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<ClaimView>> {
    act(state, user, &id, |claim_id| {
        Command::MarkDelivered(ClaimRef { claim_id })
    })
    .await
}

pub async fn confirm(
    state: State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<ClaimView>> {
    act(state, user, &id, |claim_id| {
        Command::ConfirmClaim(ClaimRef { claim_id })
    })
    .await
}

pub async fn reject(
    state: State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<RejectRequest>,
) -> ApiResult<Json<ClaimView>> {
    act(state, user, &id, |claim_id| {
        Command::RejectClaim(RejectClaim {
            claim_id,
            reason: request.reason,
        })
    })
    .await
}

async fn act(
    State(state): State<AppState>,
    user: CurrentUser,
    id: &str,
    command: impl FnOnce(Id) -> Command,
) -> ApiResult<Json<ClaimView>> {
    let claim_id = parse_id(id, "claim")?;
    let applied = apply(&state, user.actor(), command(claim_id)).await?;
    Ok(Json(claim_view(&state.db, applied.claim_id, &user).await?))
}

pub async fn mine(
    State(state): State<AppState>,
    user: CurrentUser,
) -> ApiResult<Json<Page<ClaimView>>> {
    let items = claim_views(&state.db, &user, ClaimFilter::OwnedBy(user.id)).await?;
    Ok(Json(Page { items, next: None }))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimsQuery {
    status: Option<ClaimStatus>,
}

/// Every claim, for the workers who confirm deliveries.
pub async fn all(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(query): ApiQuery<ClaimsQuery>,
) -> ApiResult<Json<Page<ClaimView>>> {
    if user.role != Role::Worker {
        return Err(microwish_core::RuleError::Forbidden {
            reason: "only community workers see every claim",
        }
        .into());
    }
    let items = claim_views(&state.db, &user, ClaimFilter::Status(query.status)).await?;
    Ok(Json(Page { items, next: None }))
}

/// The given claims that `viewer` may see, by id (for sync pulls).
pub async fn claims_by_id(
    db: &SqlitePool,
    viewer: &CurrentUser,
    ids: &[Id],
) -> ApiResult<HashMap<Id, ClaimView>> {
    let mut found = HashMap::new();
    for chunk in ids.chunks(200) {
        for claim in claim_views(db, viewer, ClaimFilter::Ids(chunk)).await? {
            found.insert(claim.id, claim);
        }
    }
    Ok(found)
}

enum ClaimFilter<'a> {
    One(Id),
    Ids(&'a [Id]),
    OwnedBy(Id),
    Status(Option<ClaimStatus>),
}

#[derive(sqlx::FromRow)]
struct ClaimRow {
    id: String,
    wish_id: String,
    user_id: String,
    quantity: i64,
    status: String,
    note: String,
    created_at: chrono::DateTime<chrono::Utc>,
    updated_at: chrono::DateTime<chrono::Utc>,
    hold_until: chrono::DateTime<chrono::Utc>,
    slot_start: Option<chrono::DateTime<chrono::Utc>>,
    slot_end: Option<chrono::DateTime<chrono::Utc>>,
    reject_reason: Option<String>,
    claimer_name: String,
    claimer_role: String,
    household_id: Option<String>,
}

/// One claim as `viewer` may see it; someone else's claim is a 404 to non-workers.
pub async fn claim_view(db: &SqlitePool, id: Id, viewer: &CurrentUser) -> ApiResult<ClaimView> {
    claim_views(db, viewer, ClaimFilter::One(id))
        .await?
        .pop()
        .ok_or(ApiError::NotFound("claim"))
}

async fn claim_views(
    db: &SqlitePool,
    viewer: &CurrentUser,
    filter: ClaimFilter<'_>,
) -> ApiResult<Vec<ClaimView>> {
    let mut sql: QueryBuilder<Sqlite> = QueryBuilder::new(
        "SELECT c.id, c.wish_id, c.user_id, c.quantity, c.status, c.note, c.created_at, c.updated_at, \
         c.hold_until, c.slot_start, c.slot_end, c.reject_reason, u.display_name AS claimer_name, \
         u.role AS claimer_role, w.household_id \
         FROM claims c JOIN users u ON u.id = c.user_id JOIN wishes w ON w.id = c.wish_id WHERE ",
    );
    match filter {
        ClaimFilter::One(id) => {
            sql.push("c.id = ").push_bind(id.to_string());
        }
        ClaimFilter::Ids(ids) => {
            sql.push("c.id IN (");
            let mut list = sql.separated(", ");
            for id in ids {
                list.push_bind(id.to_string());
            }
            sql.push(")");
        }
        ClaimFilter::OwnedBy(user) => {
            sql.push("c.user_id = ").push_bind(user.to_string());
        }
        ClaimFilter::Status(Some(status)) => {
            sql.push("c.status = ").push_bind(status.as_str());
        }
        ClaimFilter::Status(None) => {
            sql.push("1 = 1");
        }
    }
    if viewer.role != Role::Worker {
        // Only workers see other people's claims.
        sql.push(" AND c.user_id = ")
            .push_bind(viewer.id.to_string());
    }
    sql.push(" ORDER BY c.id DESC LIMIT 500");
    let rows: Vec<ClaimRow> = sql.build_query_as().fetch_all(db).await?;

    let wish_ids: Vec<Id> = rows
        .iter()
        .map(|row| parse_stored(&row.wish_id))
        .collect::<Result<_, _>>()?;
    let wishes = wishes_by_id(db, &wish_ids).await?;
    let mut contacts: HashMap<String, HouseContact> = HashMap::new();
    let mut views = Vec::with_capacity(rows.len());
    for row in rows {
        let wish_id: Id = parse_stored(&row.wish_id)?;
        let wish = wishes
            .get(&wish_id)
            .cloned()
            .ok_or_else(|| ApiError::Corrupt(format!("claim {} names no wish", row.id)))?;
        let status: ClaimStatus = parse_stored(&row.status)?;
        let owner: Id = parse_stored(&row.user_id)?;
        // The household's contact: for workers, and for the volunteer while the house call is active.
        let may_see_contact = viewer.role == Role::Worker
            || (owner == viewer.id
                && wish.kind == WishKind::Service
                && status == ClaimStatus::Active);
        let contact = match (&row.household_id, may_see_contact) {
            (Some(household), true) => Some(household_contact(db, household, &mut contacts).await?),
            _ => None,
        };
        views.push(ClaimView {
            id: parse_stored(&row.id)?,
            wish_id,
            quantity: count(row.quantity)?,
            status,
            note: row.note,
            created_at: row.created_at,
            updated_at: row.updated_at,
            hold_until: row.hold_until,
            slot_start: row.slot_start,
            slot_end: row.slot_end,
            reject_reason: row.reject_reason,
            claimer_id: owner,
            claimer_name: row.claimer_name,
            claimer_role: parse_stored(&row.claimer_role)?,
            wish,
            contact,
        });
    }
    Ok(views)
}

async fn household_contact(
    db: &SqlitePool,
    household: &str,
    cache: &mut HashMap<String, HouseContact>,
) -> ApiResult<HouseContact> {
    if let Some(contact) = cache.get(household) {
        return Ok(contact.clone());
    }
    let (name, address, phone): (String, String, String) =
        sqlx::query_as("SELECT name, address, phone FROM households WHERE id = ?")
            .bind(household)
            .fetch_one(db)
            .await?;
    let contact = HouseContact {
        name,
        address,
        phone,
    };
    cache.insert(household.to_owned(), contact.clone());
    Ok(contact)
}
