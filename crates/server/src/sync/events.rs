//! `GET /api/events`: the stream that tells connected phones to pull.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::Stream;

use crate::app::AppState;
use crate::auth::MaybeUser;
use crate::error::ApiResult;
use crate::security::ClientAddress;

/// `GET /api/events`: a server-sent event `change` after every committed change, so
/// connected clients pull at once; a comment every 15 s keeps proxies from closing it.
/// Each stream holds a slot (see [`crate::security::StreamLimits`]) until the client goes.
#[utoipa::path(
    get,
    path = "/events",
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
