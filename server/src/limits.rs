//! Rate limits per account and per client address: a token bucket each, refilled steadily, so
//! that a burst is allowed and a sustained flood gets `429 rate_limited` with `Retry-After`.
//! Sign-ups have a bucket of their own per address, far smaller than the requests'.
//! The table is bounded: when it is full, buckets that have refilled are dropped first, and a
//! new key that still finds no room is refused rather than growing memory without bound.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use trialog_core::{AccountId, Error};

/// Requests per key: `burst` at once, refilled at `per_second`.
#[derive(Debug, Clone, Copy)]
pub struct Rate {
    pub burst: u32,
    pub per_second: f64,
}

/// Who a bucket belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Key {
    Address(IpAddr),
    Account(AccountId),
    /// New accounts made from one client address.
    SignUp(IpAddr),
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// The buckets of every key seen recently.
pub struct Limiter {
    address: Rate,
    account: Rate,
    sign_up: Rate,
    capacity: usize,
    buckets: Mutex<HashMap<Key, Bucket>>,
}

impl Limiter {
    pub fn new(address: Rate, account: Rate, sign_up: Rate, capacity: usize) -> Limiter {
        Limiter { address, account, sign_up, capacity, buckets: Mutex::new(HashMap::new()) }
    }

    fn rate(&self, key: &Key) -> Rate {
        match key {
            Key::Address(_) => self.address,
            Key::Account(_) => self.account,
            Key::SignUp(_) => self.sign_up,
        }
    }

    /// Takes one request from `key`'s bucket, or says how long to wait.
    pub fn take(&self, key: Key, now: Instant) -> Result<(), Error> {
        let rate = self.rate(&key);
        let mut buckets = self.buckets.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if buckets.len() >= self.capacity && !buckets.contains_key(&key) {
            buckets.retain(|k, b| {
                let rate = self.rate(k);
                refilled(b, rate, now) < f64::from(rate.burst)
            });
            if buckets.len() >= self.capacity {
                return Err(Error::RateLimited { retry_after_secs: 1 });
            }
        }
        let bucket = buckets.entry(key).or_insert(Bucket { tokens: f64::from(rate.burst), at: now });
        bucket.tokens = refilled(bucket, rate, now);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            return Ok(());
        }
        let wait = (1.0 - bucket.tokens) / rate.per_second.max(f64::MIN_POSITIVE);
        Err(Error::RateLimited { retry_after_secs: Duration::from_secs_f64(wait.min(86_400.0)).as_secs().max(1) })
    }
}

fn refilled(bucket: &Bucket, rate: Rate, now: Instant) -> f64 {
    let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
    (bucket.tokens + elapsed * rate.per_second).min(f64::from(rate.burst))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIGN_UPS: Rate = Rate { burst: 2, per_second: 1.0 / 3600.0 };

    #[test]
    fn a_burst_passes_then_requests_wait_for_the_refill() {
        let limiter =
            Limiter::new(Rate { burst: 3, per_second: 1.0 }, Rate { burst: 1, per_second: 0.5 }, SIGN_UPS, 100);
        let (key, t0) = (Key::Address([127, 0, 0, 1].into()), Instant::now());
        for _ in 0..3 {
            limiter.take(key, t0).unwrap();
        }
        assert_eq!(limiter.take(key, t0), Err(Error::RateLimited { retry_after_secs: 1 }));
        limiter.take(key, t0 + Duration::from_millis(1100)).unwrap();
        let account = Key::Account(AccountId(7));
        limiter.take(account, t0).unwrap();
        assert_eq!(limiter.take(account, t0), Err(Error::RateLimited { retry_after_secs: 2 }));
    }

    #[test]
    fn sign_ups_have_their_own_smaller_bucket_per_address() {
        let limiter =
            Limiter::new(Rate { burst: 100, per_second: 100.0 }, Rate { burst: 1, per_second: 1.0 }, SIGN_UPS, 100);
        let (home, other, t0) = ([10, 0, 0, 1].into(), [10, 0, 0, 2].into(), Instant::now());
        limiter.take(Key::SignUp(home), t0).unwrap();
        limiter.take(Key::SignUp(home), t0).unwrap();
        assert_eq!(limiter.take(Key::SignUp(home), t0), Err(Error::RateLimited { retry_after_secs: 3600 }));
        // The address's other requests and another address's sign-ups are not held back.
        limiter.take(Key::Address(home), t0).unwrap();
        limiter.take(Key::SignUp(other), t0).unwrap();
        limiter.take(Key::SignUp(home), t0 + Duration::from_secs(3600)).unwrap();
    }

    #[test]
    fn the_table_stays_bounded() {
        let limiter =
            Limiter::new(Rate { burst: 1, per_second: 0.001 }, Rate { burst: 1, per_second: 0.001 }, SIGN_UPS, 2);
        let t0 = Instant::now();
        limiter.take(Key::Address([10, 0, 0, 1].into()), t0).unwrap();
        limiter.take(Key::Address([10, 0, 0, 2].into()), t0).unwrap();
        assert!(limiter.take(Key::Address([10, 0, 0, 3].into()), t0).is_err());
        assert_eq!(limiter.buckets.lock().unwrap().len(), 2);
    }
}
