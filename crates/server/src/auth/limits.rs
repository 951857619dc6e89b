//! Login throttles and rate limits, counted in the database so every server process on it
//! shares them.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};

use crate::error::ApiError;
use crate::store;
use crate::store::limits::Check;
use crate::writer::Writer;

/// Failed logins in a sliding window, counted *before* the password is checked (an attempt is
/// a failure until it succeeds), so a burst of guesses sent at once gets no more tries than a
/// trickle. Three counts:
/// - the phone from one address: the guesser is stopped after a few, while the phone's owner,
///   elsewhere, still gets in;
/// - the phone from anywhere: a guesser spread over many addresses is slowed, ever more, from
///   every address that has already failed for the phone (1 s, 2 s, 4 s … 64 s between
///   guesses), but never refused from an address that has not: the owner, elsewhere, is never
///   locked out by someone else's guesses;
/// - the address, over all phones: generous, because a mobile carrier puts a whole
///   neighbourhood behind one address and a community centre shares one.
///
/// Addresses are counted by [`address_key`] (an IPv6 /64 is one client). The counts live in
/// the database (`store::limits`), so every server process on it shares them: a guesser gains
/// nothing by landing on another instance.
pub struct LoginThrottle {
    /// Failures allowed for one phone from one address; the other limits are multiples.
    pub max_failures: usize,
    pub window: Duration,
}

/// The longest wait between guesses at one phone from addresses that failed for it.
const MAX_PHONE_GAP_MS: i64 = 64_000;

/// A login attempt under way, counted as a failure until [`LoginThrottle::succeeded`].
pub struct Attempt {
    keys: Vec<(String, Check)>,
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

/// The key a client address is counted under: an IPv4 address is itself (an IPv4-mapped IPv6
/// address counts as its IPv4 address); an IPv6 address counts by its /64, the network one
/// household or phone is given, inside which it can pick any address.
pub fn address_key(address: IpAddr) -> String {
    match address {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let network = u128::from(v6) & !(u128::MAX >> 64);
                format!("{}/64", std::net::Ipv6Addr::from(network))
            }
        },
    }
}

impl LoginThrottle {
    fn keys(&self, phone: &str, address: Option<IpAddr>) -> Vec<(String, Check)> {
        let address = address.map_or_else(|| "-".to_owned(), address_key);
        vec![
            (
                format!("pair:{phone}@{address}"),
                Check::AtMost(self.max_failures),
            ),
            // Paced only for addresses that have failed (see `attempt`).
            (format!("phone:{phone}"), Check::Counted),
            (
                format!("addr:{address}"),
                Check::AtMost(self.max_failures * 20),
            ),
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
        let (mut keys, id) = (attempt.keys.clone(), attempt.id.clone());
        let window = self.window.num_milliseconds();
        let paced = Check::Paced {
            free: self.max_failures * 2,
            max_gap_ms: MAX_PHONE_GAP_MS,
        };
        writer
            .write(move |tx| {
                // Every key locked in one order (as `take` does) before the address's
                // failures for the phone are read.
                let mut locked: Vec<String> = keys.iter().map(|(key, _)| key.clone()).collect();
                locked.sort_unstable();
                for key in &locked {
                    tx.lock_key(key)?;
                }
                store::limits::prune_key(tx, &keys[0].0, now.timestamp_millis() - window)?;
                if store::limits::hits(tx, &keys[0].0)? > 0 {
                    keys[1].1 = paced;
                }
                store::limits::take(tx, &keys, &id, now.timestamp_millis(), window)
            })
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

impl LoginThrottle {
    /// Failed logins at `attempt`'s phone from anywhere within the window, this attempt not
    /// counted (it counts as a failure until it succeeds): a worker's account asks for a
    /// second factor beyond a few.
    pub async fn failures_at_phone(
        &self,
        writer: &Writer,
        attempt: &Attempt,
        now: DateTime<Utc>,
    ) -> Result<usize, ApiError> {
        let key = attempt.keys[1].0.clone();
        let since = now.timestamp_millis() - self.window.num_milliseconds();
        writer
            .write(move |tx| {
                store::limits::prune_key(tx, &key, since)?;
                Ok(store::limits::hits(tx, &key)?.saturating_sub(1))
            })
            .await
    }
}

/// Counts a request for an SMS code, or refuses it (`TooManyAttempts`, with the seconds to
/// wait): one a minute and a few an hour per number (whoever asks: a stranger cannot flood a
/// phone), and a generous number an hour per client address.
pub async fn take_code_request(
    writer: &Writer,
    phone: &str,
    address: IpAddr,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    use microwish_core::phone_code::{
        CODES_PER_ADDRESS_PER_HOUR, CODES_PER_PHONE_PER_HOUR, CODE_GAP,
    };
    let id = uuid::Uuid::now_v7().to_string();
    let gap = vec![(format!("code-gap:{phone}"), Check::AtMost(1))];
    let hourly = vec![
        (
            format!("code-phone:{phone}"),
            Check::AtMost(CODES_PER_PHONE_PER_HOUR),
        ),
        (
            format!("code-addr:{}", address_key(address)),
            Check::AtMost(CODES_PER_ADDRESS_PER_HOUR),
        ),
    ];
    let now_ms = now.timestamp_millis();
    writer
        .write(move |tx| {
            if let Err(wait) =
                store::limits::take(tx, &gap, &id, now_ms, CODE_GAP.num_milliseconds())?
            {
                return Ok(Err(wait));
            }
            store::limits::take(tx, &hourly, &id, now_ms, 3_600_000)
        })
        .await?
        .map_err(|retry_after| ApiError::TooManyAttempts { retry_after })
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
        let keys = vec![(
            format!("register:{}", address_key(address)),
            Check::AtMost(self.limit),
        )];
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

    #[test]
    fn addresses_are_counted_by_ipv4_address_or_ipv6_64() {
        let key = |address: &str| address_key(address.parse().unwrap());
        assert_eq!(key("203.0.113.5"), "203.0.113.5");
        assert_eq!(key("::ffff:203.0.113.5"), "203.0.113.5");
        assert_eq!(key("2001:db8:1:2::5"), "2001:db8:1:2::/64");
        assert_eq!(
            key("2001:db8:1:2:ffff:ffff:ffff:ffff"),
            "2001:db8:1:2::/64",
            "one /64, one client"
        );
        assert_eq!(key("2001:db8:1:3::5"), "2001:db8:1:3::/64");
        assert_eq!(key("::1"), "::/64");
    }
}
