//! Hand-over at the station: `POST /api/handover` (workers).

use axum::extract::State;
use axum::Json;
use microwish_core::command::{Command, ConfirmHandover};
use microwish_core::decide::Subject;
use microwish_core::{HandoverConfirmed, HandoverTarget};

use crate::app::AppState;
use crate::apply::apply;
use crate::auth::Worker;
use crate::error::{ApiError, ApiResult};
use crate::extract::ApiJson;

/// A worker confirms what a giver's hand-over code stands for: the claim's delivery or the
/// allocation's receipt (lower case and spaces are read; an unknown code, or another
/// community's: 404 `unknown_code`; already confirmed: 200 with the same answer; an expired,
/// rejected or cancelled one: 409 `invalid_state`).
#[utoipa::path(
    post,
    path = "/handover",
    tag = "claims",
    operation_id = "handover_confirm",
    request_body = ConfirmHandover,
    security(("session" = [])),
    responses(
        (status = 200, description = "Confirmed (now or before)", body = HandoverConfirmed)
    )
)]
pub async fn confirm(
    State(state): State<AppState>,
    Worker(user): Worker,
    ApiJson(request): ApiJson<ConfirmHandover>,
) -> ApiResult<Json<HandoverConfirmed>> {
    let decision = apply(&state, user.actor(), Command::ConfirmHandover(request)).await?;
    let target = match decision.subject {
        Subject::Claim(id) => HandoverTarget::Claim(id),
        Subject::Allocation(id) => HandoverTarget::Allocation(id),
        other => {
            return Err(ApiError::Corrupt(format!(
                "a hand-over confirmed {other:?}"
            )))
        }
    };
    Ok(Json(HandoverConfirmed::of(target)))
}
