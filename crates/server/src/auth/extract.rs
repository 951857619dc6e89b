//! Who is asking: the session's user of a request, and the role extractors that refuse
//! everyone a core gate does not admit before the request's body is read.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use microwish_core::gates::Gate;

use super::session::{live_session, token_hash};
use super::session_token;
use crate::app::AppState;
use crate::error::ApiError;
use crate::store::users::User;

/// The signed-in user of a request; extracting it answers 401 when there is none.
pub type CurrentUser = User;

/// Like [`CurrentUser`], but anonymous requests are welcome.
pub struct MaybeUser(pub Option<User>);

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let Some(token) = session_token(&parts.headers) else {
            return Ok(MaybeUser(None));
        };
        let user = live_session(state, token_hash(&token), state.clock.now()).await?;
        Ok(MaybeUser(user))
    }
}

impl FromRequestParts<AppState> for User {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        MaybeUser::from_request_parts(parts, state)
            .await?
            .0
            .ok_or(ApiError::NotLoggedIn)
    }
}

/// A signed-in user that `gate` admits; anyone else is refused (401, 403) before their
/// request's body is even read, so that a refusal teaches nothing about the endpoint's rules.
async fn admitted(parts: &mut Parts, state: &AppState, gate: Gate) -> Result<User, ApiError> {
    let user = User::from_request_parts(parts, state).await?;
    gate.admit(user.role, user.community)?;
    Ok(user)
}

/// Declares an extractor of the signed-in user a core gate admits.
macro_rules! gated {
    ($(#[$doc:meta])* $name:ident = $gate:expr) => {
        $(#[$doc])*
        pub struct $name(pub User);

        impl FromRequestParts<AppState> for $name {
            type Rejection = ApiError;

            async fn from_request_parts(
                parts: &mut Parts,
                state: &AppState,
            ) -> Result<Self, ApiError> {
                admitted(parts, state, $gate).await.map($name)
            }
        }
    };
}

gated!(
    /// A signed-in community worker (with a community).
    Worker = Gate::Worker
);
gated!(
    /// A signed-in donor or volunteer: the people who claim wishes.
    Claimer = Gate::Claimer
);
gated!(
    /// A signed-in volunteer (approved or not: what they may do is core's to say).
    Volunteer = Gate::Volunteer
);
gated!(
    /// A signed-in shopkeeper: the people who pledge goods.
    Shopkeeper = Gate::Shopkeeper
);
gated!(
    /// A shopkeeper (who sees their own pledges) or a worker (who sees every pledge).
    PledgeReader = Gate::PledgeReader
);
