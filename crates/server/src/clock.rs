//! The server's sense of time, injectable so that tests can move it (hold expiry). It counts
//! in microseconds, as times are stored (`store::TIME_FORMAT`): a time the server decided with
//! is the one it reads back.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, SubsecRound, Utc};

#[derive(Clone)]
pub enum Clock {
    System,
    /// A clock that stands still until a test moves it.
    Manual(Arc<Mutex<DateTime<Utc>>>),
}

impl Clock {
    pub fn manual(start: DateTime<Utc>) -> Clock {
        Clock::Manual(Arc::new(Mutex::new(start)))
    }

    pub fn now(&self) -> DateTime<Utc> {
        let now = match self {
            Clock::System => Utc::now(),
            Clock::Manual(time) => *time.lock().unwrap_or_else(|poisoned| poisoned.into_inner()),
        };
        now.trunc_subsecs(6)
    }

    /// Moves a manual clock forward; the system clock moves by itself.
    pub fn advance(&self, by: Duration) {
        if let Clock::Manual(time) = self {
            let mut time = time.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            *time += by;
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Timelike};

    use super::*;

    #[test]
    fn the_clock_counts_in_microseconds_as_times_are_stored() {
        let start =
            Utc.with_ymd_and_hms(2026, 7, 1, 2, 0, 5).unwrap() + Duration::nanoseconds(300_000_789);
        let clock = Clock::manual(start);
        assert_eq!(clock.now().nanosecond(), 300_000_000);
        clock.advance(Duration::nanoseconds(1_999));
        assert_eq!(clock.now().nanosecond(), 300_002_000);
        assert_eq!(Clock::System.now().nanosecond() % 1_000, 0);
    }
}
