//! Turning stored values back into domain values. A failure here means the
//! database holds something no code wrote (corruption), not bad client input.

use crate::error::ApiError;

/// Parses a value the database holds.
pub fn parse_stored<T: std::str::FromStr>(text: &str) -> Result<T, ApiError>
where
    T::Err: std::fmt::Display,
{
    text.parse()
        .map_err(|error: T::Err| ApiError::Corrupt(format!("{text:?}: {error}")))
}

/// A stored count or quantity; SQLite integers are i64 and ours are never negative.
pub fn count(value: i64) -> Result<u32, ApiError> {
    u32::try_from(value).map_err(|_| ApiError::Corrupt(format!("bad count {value}")))
}
