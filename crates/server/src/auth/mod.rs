//! Accounts and sessions: argon2id password hashes ([`password`]), opaque session tokens
//! stored only as SHA-256 hashes ([`session`]), the session cookie ([`cookie`]), who a request
//! is from and whether their role may pass ([`extract`]), and login throttling ([`limits`]).

mod cookie;
mod extract;
mod limits;
mod password;
mod session;

pub use cookie::{
    expired_cookie, is_https, session_cookie, session_token, signed_in_hint, SESSION_COOKIE,
};
pub use extract::{Claimer, CurrentUser, MaybeUser, PledgeReader, Shopkeeper, Volunteer, Worker};
pub use limits::{address_key, take_code_request, Attempt, LoginThrottle, RateLimit};
pub use password::{add_user, dummy_hash, HashingPool};
pub use session::{create_session, end_session, me, token_hash, SessionCache, SESSION_IDLE_DAYS};
