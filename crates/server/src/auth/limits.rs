//! Login throttles and rate limits, counted in the database so every server process on it
//! shares them.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};

use crate::error::ApiError;
use crate::store;
use crate::writer::Writer;

/// Failed logins in a sliding window, counted *before* the password is checked (an attempt is
/// a failure until it succeeds), so a burst of guesses sent at once gets no more tries than a
/// trickle. Three counts, each with its own limit:
/// - the phone from one address: the guesser is stopped after a few, while the phone's owner,
///   elsewhere, still gets in;
/// - the phone from anywhere: a guesser spread over many addresses is stopped too (later);
/// - the address, over all phones: generous, because a mobile carrier puts a whole
///   neighbourhood behind one address and a community centre shares one.
///
/// The counts live in the database (`store::limits`), so every server process on it shares
/// them: a guesser gains nothing by landing on another instance.
pub struct LoginThrottle {
    /// Failures allowed for one phone from one address; the other limits are multiples.
    pub max_failures: usize,
    pub window: Duration,
}

/// A login attempt under way, counted as a failure until [`LoginThrottle::succeeded`].
pub struct Attempt {
    keys: Vec<(String, usize)>,
    id: String,
}

impl Default for LoginThrottle {
    fn default() -> Self {
        LoginThrottle {
            max_failures: 5,
            window: Duration::minutes(15),
        }
    }
}

impl LoginThrottle {
    fn keys(&self, phone: &str, address: Option<IpAddr>) -> Vec<(String, usize)> {
        let address = address.map_or_else(|| "-".to_owned(), |address| address.to_string());
        vec![
            (format!("pair:{phone}@{address}"), self.max_failures),
            (format!("phone:{phone}"), self.max_failures * 10),
            (format!("addr:{address}"), self.max_failures * 20),
        ]
    }

    /// Counts an attempt at once, or refuses it (`TooManyAttempts`, with the seconds to wait)
    /// when a limit is reached.
    pub async fn attempt(
        &self,
        writer: &Writer,
        phone: &str,
        address: Option<IpAddr>,
        now: DateTime<Utc>,
    ) -> Result<Attempt, ApiError> {
        let attempt = Attempt {
            keys: self.keys(phone, address),
            id: uuid::Uuid::now_v7().to_string(),
        };
        let (keys, id) = (attempt.keys.clone(), attempt.id.clone());
        let window = self.window.num_milliseconds();
        writer
            .write(move |tx| store::limits::take(tx, &keys, &id, now.timestamp_millis(), window))
            .await?
            .map_err(|retry_after| ApiError::TooManyAttempts { retry_after })?;
        Ok(attempt)
    }

    /// How long to hold back the answer to a wrong password: nothing for the first couple of
    /// slips, then doubling with each failure from this phone and address (0.25 s … 4 s),
    /// so guessing slows down well before the limit, and a right password is never delayed.
    pub async fn delay_after(
        &self,
        writer: &Writer,
        attempt: &Attempt,
    ) -> Result<std::time::Duration, ApiError> {
        let key = attempt.keys[0].0.clone();
        let failures = writer
            .write(move |tx| store::limits::hits(tx, &key))
            .await?;
        Ok(delay_for(failures))
    }

    /// The password was never checked (the server was busy): the attempt does not count.
    pub async fn abandoned(&self, writer: &Writer, attempt: Attempt) -> Result<(), ApiError> {
        writer
            .write(move |tx| store::limits::forget_attempt(tx, &attempt.id, None))
            .await
    }

    /// The attempt was the owner's: it does not count, and their address starts afresh.
    pub async fn succeeded(&self, writer: &Writer, attempt: Attempt) -> Result<(), ApiError> {
        writer
            .write(move |tx| {
                store::limits::clear(tx, &attempt.keys[0].0)?;
                for (key, _) in &attempt.keys[1..] {
                    store::limits::forget_attempt(tx, &attempt.id, Some(key))?;
                }
                Ok(())
            })
            .await
    }
}

/// The hold-back after `failures` failed logins (this one included).
fn delay_for(failures: usize) -> std::time::Duration {
    match failures {
        0..=2 => std::time::Duration::ZERO,
        n => std::time::Duration::from_millis(250 << (n - 3).min(4)),
    }
}

/// At most `limit` events per client address in a sliding `window` (registrations), counted
/// in the database like [`LoginThrottle`]'s.
pub struct RateLimit {
    limit: usize,
    window: Duration,
}

impl RateLimit {
    pub fn new(limit: usize, window: Duration) -> RateLimit {
        RateLimit { limit, window }
    }

    /// Counts one event for `address`, or refuses it (`TooManyAttempts`, with the seconds to
    /// wait).
    pub async fn take(
        &self,
        writer: &Writer,
        address: IpAddr,
        now: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        let keys = vec![(format!("register:{address}"), self.limit)];
        let window = self.window.num_milliseconds();
        writer
            .write(move |tx| {
                let id = uuid::Uuid::now_v7().to_string();
                store::limits::take(tx, &keys, &id, now.timestamp_millis(), window)
            })
            .await?
            .map_err(|retry_after| ApiError::TooManyAttempts { retry_after })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrong_passwords_are_answered_ever_more_slowly() {
        let delays: Vec<u128> = (1..=9).map(|n| delay_for(n).as_millis()).collect();
        assert_eq!(delays, [0, 0, 250, 500, 1000, 2000, 4000, 4000, 4000]);
    }
}
