//! Residents' requests (居民点单 → 派单 → 办理 → 回访): `POST /api/requests`, the inbox
//! `GET /api/requests?status=&grid=&category=&overdue=`, `GET /api/requests/{id}` with its
//! timeline, the photos `PUT|GET /api/requests/{id}/photos/{photo_id}`, every step
//! `POST /api/requests/{id}/accept|dispatch|call|take|start|notes|resolve|confirm|reopen|
//! decline|merge|convert` (each core's command through `apply`, answering the request as the
//! actor now sees it), and the public board `GET /api/board`. Who sees what of a request is
//! core's `visibility`, asked for every request that leaves here.

use axum::body::Body;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use microwish_core::command::{
    Command, ConvertBody, DispatchBody, MergeBody, NewPhoto, NewRequest, NoteBody, RatingBody,
    ReasonBody, RequestRef, ResolveBody,
};
use microwish_core::visibility::{self, ShownRequest, Viewer};
use microwish_core::{
    BoardItem, Entity, EventView, Page, PageQuery, PhotoId, PhotoStage, ProblemCode, Request,
    RequestDetail, RequestId, RequestQuery, RequestView, UploadedPhoto,
};
use serde::Deserialize;

use crate::app::AppState;
use crate::apply::{add_photo, apply};
use crate::auth::{CurrentUser, Worker};
use crate::error::{ApiError, ApiResult};
use crate::extract::{parse_id, ApiJson, ApiQuery};
use crate::photos;
use crate::routes::created_or_replayed;
use crate::store;
use crate::store::events::TimelineRow;

/// Files a request: a resident (anyone signed in) about their building, or a worker logging
/// one from a call, a visit or the WeChat group on someone's behalf (201; 200 for a retry
/// with the same id).
#[utoipa::path(
    post,
    path = "/requests",
    tag = "requests",
    operation_id = "requests_create",
    request_body = NewRequest,
    security(("session" = [])),
    responses(
        (status = 201, description = "Filed", body = RequestView),
        (status = 200, description = "Already filed (a retry)", body = RequestView)
    )
)]
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiJson(new): ApiJson<NewRequest>,
) -> ApiResult<(StatusCode, Json<RequestView>)> {
    let id = new.id;
    let decision = apply(&state, user.actor(), Command::FileRequest(new)).await?;
    let status = created_or_replayed(&decision);
    Ok((status, Json(full_view(&state, &user, id).await?)))
}

/// The requests the caller may see, in the inbox's order (open ones by their nearest limit,
/// so the overdue lead; then the others, the latest changed first): a requester their own,
/// workers their community's, property staff those dispatched to them, party-member
/// volunteers the open calls of their community (as calls) and those they hold.
#[utoipa::path(
    get,
    path = "/requests",
    tag = "requests",
    operation_id = "requests_list",
    params(RequestQuery),
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = Page<ShownRequest>)
    )
)]
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(query): ApiQuery<RequestQuery>,
) -> ApiResult<Json<Page<ShownRequest>>> {
    let viewer = user.viewer();
    let now = state.clock.now();
    let limit = query
        .limit
        .unwrap_or(PageQuery::DEFAULT_LIMIT)
        .clamp(1, PageQuery::MAX_LIMIT);
    let scope = visibility::request_scope(Some(&viewer));
    let (requests, next) = store::requests::page(&state.db, scope, &query, limit, now).await?;
    let items = requests
        .iter()
        .filter_map(|request| visibility::show_request(Some(&viewer), request, now))
        .collect();
    Ok(Json(Page { items, next }))
}

/// A request as the caller may see it, with its timeline (every step and note; who acted by
/// name for its community's workers and the actor). The volunteers a call goes out to see
/// the call alone.
#[utoipa::path(
    get,
    path = "/requests/{id}",
    tag = "requests",
    operation_id = "requests_get",
    params(("id" = uuid::Uuid, Path, description = "The request")),
    security(("session" = [])),
    responses(
        (status = 200, description = "OK", body = RequestDetail)
    )
)]
pub async fn get(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> ApiResult<Json<RequestDetail>> {
    let id: RequestId = parse_id(&id, Entity::Request)?;
    let viewer = user.viewer();
    let request = stored(&state, id).await?;
    let shown = visibility::show_request(Some(&viewer), &request, state.clock.now())
        .ok_or(ApiError::not_found(Entity::Request))?;
    let timeline = match shown {
        ShownRequest::Full(_) => {
            let (rows, _) = store::events::of_request(&state.db, id, 0, TIMELINE_MAX).await?;
            rows.into_iter()
                .map(|row| timeline_entry(row, &viewer, &request))
                .collect()
        }
        ShownRequest::Call(_) => Vec::new(),
    };
    Ok(Json(RequestDetail {
        request: shown,
        timeline,
    }))
}

/// The most timeline entries a request's page shows (a request has a handful).
const TIMELINE_MAX: u32 = 1_000;

/// A step on a request's timeline: its note for everyone who sees the request in full, who
/// acted by name only where core says (`request_event_names`).
fn timeline_entry(row: TimelineRow, viewer: &Viewer, request: &Request) -> EventView {
    let names = visibility::request_event_names(Some(viewer), row.actor_id, request.community);
    EventView {
        seq: row.seq,
        at: row.at,
        action: row.action,
        from_status: row.from_status,
        to_status: row.to_status,
        actor_role: row.actor_role,
        actor_name: row.actor_name.filter(|_| names),
        note: Some(row.note).filter(|note| !note.is_empty()),
    }
}

/// A photo's bytes as they travel (a JPEG, PNG or WebP up; the server's JPEG down).
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct PhotoBytes(pub Vec<u8>);

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PhotoQuery {
    /// `before` (the problem, from the requester) or `after` (the fix, from the handler);
    /// without it, the uploader's part says which.
    stage: Option<PhotoStage>,
}

/// Adds a photo to a request: the raw body, `image/jpeg`, `image/png` or `image/webp`, at
/// most 5 MB (this route's own limit), at most 3 of each stage. The server keeps only its
/// pixels, re-encoded as a JPEG of at most 1600 px on the long side: no EXIF, no GPS.
/// 201 `{id, width, height}`; the same photo id sent again answers the stored one with 200.
/// 413 `too_large` over 5 MB or for an image over 10,000 px a side or 40 megapixels (read from
/// its header, before decoding); 422 `not_an_image` for anything else that does not decode
/// as the declared type; 409 `too_many_photos`.
#[utoipa::path(
    put,
    path = "/requests/{id}/photos/{photo_id}",
    tag = "requests",
    operation_id = "requests_put_photo",
    params(
        ("id" = uuid::Uuid, Path, description = "The request"),
        ("photo_id" = uuid::Uuid, Path, description = "The photo (made by the client, so a retry adds it once)"),
        PhotoQuery
    ),
    request_body(
        description = "The photo's bytes",
        content(
            (PhotoBytes = "image/jpeg"),
            (PhotoBytes = "image/png"),
            (PhotoBytes = "image/webp")
        )
    ),
    security(("session" = [])),
    responses(
        (status = 201, description = "Stored", body = UploadedPhoto),
        (status = 200, description = "Already stored (a retry)", body = UploadedPhoto)
    )
)]
pub async fn put_photo(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, photo_id)): Path<(String, String)>,
    ApiQuery(query): ApiQuery<PhotoQuery>,
    headers: HeaderMap,
    body: Body,
) -> ApiResult<(StatusCode, Json<UploadedPhoto>)> {
    let request_id: RequestId = parse_id(&id, Entity::Request)?;
    let photo_id: PhotoId = parse_id(&photo_id, Entity::Request)?;
    // Nothing is read, let alone decoded, for whoever may not see the request.
    full_view(&state, &user, request_id).await?;
    let declared = photos::declared(
        headers
            .get(header::CONTENT_TYPE)
            .and_then(|value| value.to_str().ok()),
    )?;
    let too_large = || {
        ApiError::bad_request(
            ProblemCode::TooLarge,
            format!("a photo is at most {} bytes", photos::PHOTO_BODY_MAX),
        )
    };
    let announced = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok());
    if announced.is_some_and(|length| length > photos::PHOTO_BODY_MAX) {
        return Err(too_large());
    }
    let bytes = axum::body::to_bytes(body, photos::PHOTO_BODY_MAX)
        .await
        .map_err(|error| {
            if error.into_inner().is::<http_body_util::LengthLimitError>() {
                too_large()
            } else {
                ApiError::bad_request(ProblemCode::BadBody, "the photo did not arrive whole")
            }
        })?;
    let image = photos::reencode(bytes, declared).await?;
    let photo = NewPhoto {
        request_id,
        photo_id,
        stage: query.stage,
    };
    let decision = add_photo(&state, user.actor(), photo, image).await?;
    let stored = store::requests::photo(&state.db, request_id, photo_id)
        .await?
        .ok_or(ApiError::not_found(Entity::Request))?;
    Ok((created_or_replayed(&decision), Json(stored)))
}

/// A photo of a request, for whoever may see the request in full: the JPEG the server made
/// of it (`Cache-Control: private`).
#[utoipa::path(
    get,
    path = "/requests/{id}/photos/{photo_id}",
    tag = "requests",
    operation_id = "requests_get_photo",
    params(
        ("id" = uuid::Uuid, Path, description = "The request"),
        ("photo_id" = uuid::Uuid, Path, description = "The photo")
    ),
    security(("session" = [])),
    responses(
        (status = 200, description = "The photo", body = PhotoBytes, content_type = "image/jpeg")
    )
)]
pub async fn get_photo(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, photo_id)): Path<(String, String)>,
) -> ApiResult<Response> {
    let request_id: RequestId = parse_id(&id, Entity::Request)?;
    let photo_id: PhotoId = parse_id(&photo_id, Entity::Request)?;
    full_view(&state, &user, request_id).await?;
    let bytes = store::requests::photo_bytes(&state.db, request_id, photo_id)
        .await?
        .ok_or(ApiError::not_found(Entity::Request))?;
    Ok((
        [
            (header::CONTENT_TYPE, photos::CONTENT_TYPE),
            // The photo never changes, but who may see it can: the browser's own cache only.
            (header::CACHE_CONTROL, "private, max-age=86400"),
        ],
        bytes,
    )
        .into_response())
}

/// Declares a step on a request: `POST /api/requests/{id}/$path`, its body (if any) core's
/// `$body` type, the command made of it by `$command`, answering the request.
macro_rules! step {
    ($(#[$doc:meta])* $name:ident, $path:literal, $operation:literal, $who:ident,
     |$id:ident| $command:expr) => {
        $(#[$doc])*
        #[utoipa::path(
            post,
            path = $path,
            tag = "requests",
            operation_id = $operation,
            params(("id" = uuid::Uuid, Path, description = "The request")),
            security(("session" = [])),
            responses((status = 200, description = "The request as it is now", body = RequestView))
        )]
        pub async fn $name(
            State(state): State<AppState>,
            $who(user): $who,
            Path(id): Path<String>,
        ) -> ApiResult<Json<RequestView>> {
            let $id: RequestId = parse_id(&id, Entity::Request)?;
            act(&state, &user, $id, $command).await
        }
    };
    ($(#[$doc:meta])* $name:ident, $path:literal, $operation:literal, $who:ident, $body:ty,
     |$id:ident, $input:ident| $command:expr) => {
        $(#[$doc])*
        #[utoipa::path(
            post,
            path = $path,
            tag = "requests",
            operation_id = $operation,
            params(("id" = uuid::Uuid, Path, description = "The request")),
            request_body = $body,
            security(("session" = [])),
            responses((status = 200, description = "The request as it is now", body = RequestView))
        )]
        pub async fn $name(
            State(state): State<AppState>,
            $who(user): $who,
            Path(id): Path<String>,
            ApiJson($input): ApiJson<$body>,
        ) -> ApiResult<Json<RequestView>> {
            let $id: RequestId = parse_id(&id, Entity::Request)?;
            act(&state, &user, $id, $command).await
        }
    };
}

/// The signed-in user, whoever they are (core decides what they may do).
pub struct Anyone(pub CurrentUser);

impl FromRequestParts<AppState> for Anyone {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, ApiError> {
        CurrentUser::from_request_parts(parts, state)
            .await
            .map(Anyone)
    }
}

step!(
    /// A worker of its community accepts a request (the response, 响应).
    accept, "/requests/{id}/accept", "requests_accept", Worker,
    |request_id| Command::AcceptRequest(RequestRef { request_id })
);
step!(
    /// A worker gives an accepted request to a handler (派单): themself or another worker,
    /// the property staff, or an approved volunteer.
    dispatch, "/requests/{id}/dispatch", "requests_dispatch", Worker, DispatchBody,
    |request_id, body| Command::DispatchRequest(body.for_request(request_id))
);
step!(
    /// A worker calls the community's party-member volunteers (支部吹哨).
    call, "/requests/{id}/call", "requests_call", Worker,
    |request_id| Command::CallVolunteers(RequestRef { request_id })
);
step!(
    /// A party-member volunteer takes a call (党员报到): the first holds it; anyone after is
    /// told 409 `call_taken`.
    take, "/requests/{id}/take", "requests_take", Anyone,
    |request_id| Command::TakeCall(RequestRef { request_id })
);
step!(
    /// Its handler starts on it.
    start, "/requests/{id}/start", "requests_start", Anyone,
    |request_id| Command::StartRequest(RequestRef { request_id })
);
step!(
    /// A note on its timeline, by its requester, a worker of its community or its handler.
    notes, "/requests/{id}/notes", "requests_notes", Anyone, NoteBody,
    |request_id, body| Command::NoteRequest(body.for_request(request_id))
);
step!(
    /// Its handler (or a worker of its community) resolves it, with a note for the requester
    /// and a summary for the public board (no phone, unit nor name: 422 otherwise).
    resolve, "/requests/{id}/resolve", "requests_resolve", Anyone, ResolveBody,
    |request_id, body| Command::ResolveRequest(body.for_request(request_id))
);
step!(
    /// Its requester confirms it fixed, rating it 1–5 with a word: it closes.
    confirm, "/requests/{id}/confirm", "requests_confirm", Anyone, RatingBody,
    |request_id, body| Command::ConfirmRequest(body.for_request(request_id))
);
step!(
    /// Its requester says it is not fixed, within 7 days of its resolution: it is accepted
    /// again, waiting for a handler.
    reopen, "/requests/{id}/reopen", "requests_reopen", Anyone, ReasonBody,
    |request_id, body| Command::ReopenRequest(body.for_request(request_id))
);
step!(
    /// A worker declines it with a reason (e.g. "not the community's: call 12345").
    decline, "/requests/{id}/decline", "requests_decline", Worker, ReasonBody,
    |request_id, body| Command::DeclineRequest(body.for_request(request_id))
);
step!(
    /// A worker merges a duplicate into another request of the community.
    merge, "/requests/{id}/merge", "requests_merge", Worker, MergeBody,
    |request_id, body| Command::MergeRequest(body.for_request(request_id))
);
step!(
    /// A worker turns a request for help into a wish (or house call) posted for a household;
    /// the wish's fulfilment resolves it.
    convert, "/requests/{id}/convert", "requests_convert", Worker, ConvertBody,
    |request_id, body| Command::ConvertRequest(body.for_request(request_id))
);

/// Applies `command` for `user`, answering the request as they now see it.
async fn act(
    state: &AppState,
    user: &CurrentUser,
    id: RequestId,
    command: Command,
) -> ApiResult<Json<RequestView>> {
    apply(state, user.actor(), command).await?;
    Ok(Json(full_view(state, user, id).await?))
}

async fn stored(state: &AppState, id: RequestId) -> ApiResult<Request> {
    store::requests::one(&state.db, id)
        .await?
        .ok_or(ApiError::not_found(Entity::Request))
}

/// The request `id` as `user` sees it in full; not found for anyone who does not.
async fn full_view(state: &AppState, user: &CurrentUser, id: RequestId) -> ApiResult<RequestView> {
    let request = stored(state, id).await?;
    match visibility::show_request(Some(&user.viewer()), &request, state.clock.now()) {
        Some(ShownRequest::Full(view)) => Ok(*view),
        _ => Err(ApiError::not_found(Entity::Request)),
    }
}

/// The public board of fixed problems (已办结): each resolved request's category, building,
/// day and the summary a worker wrote for the public, the latest first. Nothing else of a
/// request is ever here.
#[utoipa::path(
    get,
    path = "/board",
    tag = "requests",
    operation_id = "requests_board",
    params(PageQuery),
    responses(
        (status = 200, description = "OK", body = Page<BoardItem>)
    )
)]
pub async fn board(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<PageQuery>,
) -> ApiResult<Json<Page<BoardItem>>> {
    let (requests, next) =
        store::requests::board(&state.db, query.cursor.as_deref(), query.page_size()).await?;
    let items = requests.iter().filter_map(BoardItem::of).collect();
    Ok(Json(Page { items, next }))
}
