//! The wait after a failed sync: 1 s doubling to 5 min, each wait drawn from the upper half of
//! its step (jitter), so that many devices coming back online at once do not retry in step and
//! a server that is down is not hammered. Kept in memory: a replica opened afresh (the app
//! restarted, the network changed) tries at once.

use chrono::Duration;

use crate::clock::Timestamp;
use crate::error::Result;

/// The first wait.
const FIRST_MS: i64 = 1_000;
/// The longest wait.
const CAP_MS: i64 = 300_000;

/// Failures in a row and when the next attempt may start.
#[derive(Debug, Default)]
pub(super) struct Backoff {
    failures: u32,
    until: Option<Timestamp>,
}

impl Backoff {
    /// How long is still to wait at `now` (`None`: try now).
    pub fn wait_at(&self, now: Timestamp) -> Option<Duration> {
        self.until.filter(|until| *until > now).map(|until| until - now)
    }

    /// Counts a failed sync at `now` and returns the wait before the next attempt.
    pub fn failed(&mut self, now: Timestamp) -> Result<Duration> {
        self.failures = self.failures.saturating_add(1);
        let mut bytes = [0u8; 4];
        crate::crypto::random(&mut bytes)?;
        let wait = wait(self.failures, u32::from_le_bytes(bytes));
        self.until = Some(now + wait);
        Ok(wait)
    }

    /// Ends the wait (the app knows the network is back); the failures still count, so a
    /// sync that fails again waits the next, longer step.
    pub fn cut_short(&mut self) {
        self.until = None;
    }

    /// A sync reached the server: the next one may start at once.
    pub fn succeeded(&mut self) {
        *self = Backoff::default();
    }
}

/// The wait after `failures` failed syncs in a row (at least 1): the step `1 s × 2^(failures-1)`
/// capped at 5 min, and within it a point of its upper half chosen by `random`.
pub(super) fn wait(failures: u32, random: u32) -> Duration {
    let doublings = failures.saturating_sub(1).min(20);
    let step = (FIRST_MS << doublings).min(CAP_MS);
    let half = step / 2;
    let jitter = (i64::from(random) * (half + 1)) >> 32;
    Duration::milliseconds(half + jitter)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn waits_double_from_one_second_to_five_minutes_within_the_upper_half_of_each_step() {
        let ms = |failures, random| wait(failures, random).num_milliseconds();
        assert_eq!((ms(1, 0), ms(1, u32::MAX)), (500, 1_000));
        assert_eq!((ms(2, 0), ms(2, u32::MAX)), (1_000, 2_000));
        assert_eq!((ms(3, u32::MAX / 2)), 3_000);
        assert_eq!((ms(9, 0), ms(9, u32::MAX)), (128_000, 256_000));
        for failures in [10, 11, 40, u32::MAX] {
            assert_eq!((ms(failures, 0), ms(failures, u32::MAX)), (150_000, 300_000), "{failures}");
        }
    }

    #[test]
    fn a_failure_sets_a_wait_and_a_success_clears_it() {
        let now: Timestamp = "2026-12-05T12:00:00Z".parse().unwrap();
        let mut backoff = Backoff::default();
        assert_eq!(backoff.wait_at(now), None);
        let first = backoff.failed(now).unwrap();
        assert!((500..=1_000).contains(&first.num_milliseconds()), "{first}");
        assert_eq!(backoff.wait_at(now), Some(first));
        assert_eq!(backoff.wait_at(now + first), None, "the wait runs out");
        let second = backoff.failed(now + first).unwrap();
        assert!((1_000..=2_000).contains(&second.num_milliseconds()), "{second}");
        backoff.succeeded();
        assert_eq!(backoff.wait_at(now), None);
    }
}
