//! Time, injected so that expiry, throttling and retention are testable without sleeping.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, Utc};

/// A point in time, always UTC. Kotlin sees `java.time.Instant`, Swift `Date`.
pub type Timestamp = DateTime<Utc>;

/// Where the platform reads the current time from.
pub trait Clock: Send + Sync + std::fmt::Debug {
    /// The current time.
    fn now(&self) -> Timestamp;
}

/// The real wall clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Utc::now()
    }
}

/// A clock that only moves when told to; clones share the same time.
///
/// ```
/// use trialog_core::{Clock, TestClock};
/// let clock = TestClock::at("2026-01-01T00:00:00Z".parse().unwrap());
/// clock.advance(chrono::Duration::hours(2));
/// assert_eq!(clock.now().to_rfc3339(), "2026-01-01T02:00:00+00:00");
/// ```
#[derive(Debug, Clone)]
pub struct TestClock {
    micros: Arc<AtomicI64>,
}

impl TestClock {
    /// A clock standing at `start`.
    pub fn at(start: Timestamp) -> Self {
        TestClock { micros: Arc::new(AtomicI64::new(start.timestamp_micros())) }
    }

    /// Moves the clock forward (or back, with a negative duration).
    pub fn advance(&self, by: Duration) {
        let micros = by.num_microseconds().unwrap_or(i64::MAX);
        self.micros.fetch_add(micros, Ordering::SeqCst);
    }

    /// Sets the clock to `to`.
    pub fn set(&self, to: Timestamp) {
        self.micros.store(to.timestamp_micros(), Ordering::SeqCst);
    }
}

impl Clock for TestClock {
    fn now(&self) -> Timestamp {
        DateTime::from_timestamp_micros(self.micros.load(Ordering::SeqCst)).unwrap_or(DateTime::<Utc>::MAX_UTC)
    }
}
