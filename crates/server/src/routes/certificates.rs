//! Volunteers' service certificates (志愿服务时长证明): `POST /api/certificates` {from, to}
//! (a volunteer), `GET /api/me/certificates`, `GET /api/certificates/{id}` and
//! `GET /api/certificates/{id}/qr.svg` (anyone with the link: totals, never a household),
//! `POST /api/certificates/{id}/revoke` {reason} and `GET /api/volunteers/{id}/certificates`
//! (a worker of the volunteer's community).

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use microwish_core::certificate::{self, Certificate, IssueCertificate, RevokeCertificate};
use microwish_core::clock::community_today;
use microwish_core::{CertificateId, Entity, Page, UserId};

use crate::app::AppState;
use crate::auth::{MaybeUser, Volunteer, Worker};
use crate::error::{ApiError, ApiResult};
use crate::extract::{parse_id, ApiJson};
use crate::store;
use crate::store::certificates::Stored;

/// A volunteer's certificate of their house calls confirmed in a period (community days, both
/// included): the totals are taken now and never change. A period with none: 422
/// `no_confirmed_visits`; a volunteer not approved: 403 `volunteer_not_approved`.
#[utoipa::path(
    post,
    path = "/certificates",
    tag = "certificates",
    operation_id = "certificates_issue",
    request_body = IssueCertificate,
    security(("session" = [])),
    responses(
        (status = 201, description = "Issued", body = Certificate)
    )
)]
pub async fn issue(
    State(state): State<AppState>,
    Volunteer(user): Volunteer,
    ApiJson(request): ApiJson<IssueCertificate>,
) -> ApiResult<(StatusCode, Json<Certificate>)> {
    let community = certificate::may_issue(&user.viewer())?;
    let now = state.clock.now();
    let period = certificate::period(&request, community_today(now))?;
    let calls =
        store::reports::house_calls(&state.db, &community.to_string(), Some(user.id)).await?;
    let totals = certificate::totals(user.id, period, &calls)?;
    let names = store::certificates::display_names(&state.db, &totals.confirmed_by).await?;
    let certificate = Certificate {
        id: CertificateId::from_random(crate::security::random_bytes()?),
        volunteer_name: user.display_name.as_str().to_owned(),
        community_name: store::certificates::community_name(&state.db, community).await?,
        period_from: period.from,
        period_to: period.to,
        visits: totals.visits,
        minutes: totals.minutes,
        confirmed_by: totals
            .confirmed_by
            .iter()
            .filter_map(|worker| names.get(worker).cloned())
            .collect(),
        issued_at: now,
        revoked_at: None,
        revoke_reason: None,
        valid: true,
    };
    store::certificates::insert(
        &state.writer,
        Stored {
            certificate: certificate.clone(),
            volunteer: user.id,
            community,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(certificate)))
}

/// The signed-in volunteer's certificates, the latest first (with why one was revoked).
#[utoipa::path(
    get,
    path = "/me/certificates",
    tag = "certificates",
    operation_id = "certificates_mine",
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = Page<Certificate>)
    )
)]
pub async fn mine(
    State(state): State<AppState>,
    Volunteer(user): Volunteer,
) -> ApiResult<Json<Page<Certificate>>> {
    let items = store::certificates::of_volunteer(&state.db, user.id)
        .await?
        .into_iter()
        .map(|stored| stored.certificate)
        .collect();
    Ok(Json(Page { items, next: None }))
}

/// A certificate, for anyone holding its link (its verification page): the volunteer's name,
/// the community, the period, its totals, who confirmed them and whether it is still valid.
/// Why it was revoked only for the volunteer and the community's workers.
#[utoipa::path(
    get,
    path = "/certificates/{id}",
    tag = "certificates",
    operation_id = "certificates_get",
    params(("id" = uuid::Uuid, Path, description = "The certificate")),
    responses(
        (status = 200, description = "OK", body = Certificate)
    )
)]
pub async fn get(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<String>,
) -> ApiResult<Json<Certificate>> {
    let stored = find(&state, &id).await?;
    let viewer = user.as_ref().map(|user| user.viewer());
    if certificate::sees_reason(viewer.as_ref(), stored.volunteer, stored.community) {
        Ok(Json(stored.certificate))
    } else {
        Ok(Json(stored.certificate.public()))
    }
}

/// The QR code of a certificate's verification page (`{origin}/certificates/{id}`), as SVG.
#[utoipa::path(
    get,
    path = "/certificates/{id}/qr.svg",
    tag = "certificates",
    operation_id = "certificates_qr",
    params(("id" = uuid::Uuid, Path, description = "The certificate")),
    responses(
        (status = 200, description = "An SVG image", content_type = "image/svg+xml", body = String)
    )
)]
pub async fn qr(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> ApiResult<impl IntoResponse> {
    let stored = find(&state, &id).await?;
    let path = format!("/certificates/{}", stored.certificate.id);
    let link = crate::shared_pages::absolute(&headers, &path).unwrap_or(path);
    let code = qrcode::QrCode::with_error_correction_level(link.as_bytes(), qrcode::EcLevel::M)
        .map_err(|error| ApiError::Internal(format!("QR code: {error}")))?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        svg,
    ))
}

/// A worker of the volunteer's community revokes a certificate, with a reason the volunteer
/// reads; its page then says it is no longer valid (another community's: 404; anyone else: 403).
#[utoipa::path(
    post,
    path = "/certificates/{id}/revoke",
    tag = "certificates",
    operation_id = "certificates_revoke",
    params(("id" = uuid::Uuid, Path, description = "The certificate")),
    request_body = RevokeCertificate,
    security(("session" = [])),
    responses(
        (status = 200, description = "Revoked", body = Certificate)
    )
)]
pub async fn revoke(
    State(state): State<AppState>,
    Worker(user): Worker,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<RevokeCertificate>,
) -> ApiResult<Json<Certificate>> {
    let stored = find(&state, &id).await?;
    certificate::may_manage(&user.viewer(), stored.community)?;
    let reason = request.validate()?;
    let id = stored.certificate.id;
    store::certificates::revoke(&state.writer, id, user.id, reason, state.clock.now()).await?;
    let stored = find(&state, &id.to_string()).await?;
    Ok(Json(stored.certificate))
}

/// A volunteer's certificates, for a worker of their community (another community's: 404).
#[utoipa::path(
    get,
    path = "/volunteers/{id}/certificates",
    tag = "certificates",
    operation_id = "certificates_of_volunteer",
    params(("id" = uuid::Uuid, Path, description = "The volunteer (a user id)")),
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = Page<Certificate>)
    )
)]
pub async fn of_volunteer(
    State(state): State<AppState>,
    Worker(user): Worker,
    Path(id): Path<String>,
) -> ApiResult<Json<Page<Certificate>>> {
    let volunteer: UserId = parse_id(&id, Entity::Volunteer)?;
    let viewer = user.viewer();
    let community = microwish_core::visibility::volunteers_of(Some(&viewer))
        .ok_or(ApiError::not_found(Entity::Volunteer))?;
    if store::users::volunteers(&state.db, community, Some(&[volunteer]), None)
        .await?
        .is_empty()
    {
        return Err(ApiError::not_found(Entity::Volunteer));
    }
    let items = store::certificates::of_volunteer(&state.db, volunteer)
        .await?
        .into_iter()
        .filter(|stored| certificate::may_manage(&viewer, stored.community).is_ok())
        .map(|stored| stored.certificate)
        .collect();
    Ok(Json(Page { items, next: None }))
}

/// The certificate `id` names; 404 for an id that is not one or names none.
async fn find(state: &AppState, id: &str) -> ApiResult<Stored> {
    let id: CertificateId = parse_id(id, Entity::Certificate)?;
    store::certificates::get(&state.db, id)
        .await?
        .ok_or(ApiError::not_found(Entity::Certificate))
}
