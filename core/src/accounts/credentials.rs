//! Passwords: argon2id at OWASP's minimum (19 MiB, 2 passes, 1 lane), a random 16-byte salt,
//! and throttling after repeated failures. Passwords are never stored, logged or returned.

use argon2::{Algorithm, Argon2, Params, Version};
use chrono::Duration;
use serde::{Deserialize, Serialize};
use subtle::ConstantTimeEq;

use crate::clock::Timestamp;
use crate::crypto::hex;
use crate::error::{Error, Result};

/// Shortest password, in characters (NIST SP 800-63B asks for at least 8).
pub const MIN_PASSWORD_LEN: usize = 10;
/// Longest password, in characters; longer input is refused rather than cut.
pub const MAX_PASSWORD_LEN: usize = 256;
/// Failed attempts before sign-in is throttled.
pub const FREE_ATTEMPTS: u32 = 5;
const FIRST_LOCK_SECS: i64 = 30;
const MAX_LOCK_SECS: i64 = 15 * 60;

const MEMORY_KIB: u32 = 19 * 1024;
const PASSES: u32 = 2;
const LANES: u32 = 1;
const HASH_LEN: usize = 32;

/// A stored password hash with its parameters, so parameters can be raised later without
/// invalidating existing hashes, and the sign-in throttle state.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Credential {
    memory_kib: u32,
    passes: u32,
    lanes: u32,
    salt: String,
    hash: String,
    #[serde(flatten)]
    pub throttle: Throttle,
    pub changed_at: Timestamp,
    /// The last successful sign-in (kept to the day): the retention of inactive accounts reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_sign_in: Option<Timestamp>,
}

/// Failed attempts against one secret (a password, a counselling case's secret) and the lock
/// they earned: free attempts first, then a lock of 30 s that doubles up to 15 min.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Throttle {
    #[serde(default)]
    pub failed_attempts: u32,
    #[serde(default)]
    pub locked_until: Option<Timestamp>,
}

impl Credential {
    /// Hashes a new password after checking its length.
    pub fn new(password: &str, now: Timestamp) -> Result<Self> {
        check_length(password)?;
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt).map_err(|e| Error::storage(format!("no randomness for the salt: {e}")))?;
        let hash = derive(password, &salt, MEMORY_KIB, PASSES, LANES)?;
        Ok(Credential {
            memory_kib: MEMORY_KIB,
            passes: PASSES,
            lanes: LANES,
            salt: hex(&salt),
            hash: hex(&hash),
            throttle: Throttle::default(),
            changed_at: now,
            last_sign_in: None,
        })
    }

    /// Whether `password` is the stored one (constant-time comparison).
    pub fn verify(&self, password: &str) -> Result<bool> {
        let salt = unhex(&self.salt)?;
        let expected = unhex(&self.hash)?;
        let actual = derive(password, &salt, self.memory_kib, self.passes, self.lanes)?;
        Ok(actual.ct_eq(&expected).into())
    }
}

impl Throttle {
    /// Seconds until sign-in is allowed again, if it is throttled at `now`.
    pub fn throttled_for(&self, now: Timestamp) -> Option<u64> {
        let until = self.locked_until?;
        (until > now).then(|| (until - now).num_seconds().max(1) as u64)
    }

    /// Counts a failure; from the sixth on, sign-in is locked for 30 s, doubling up to 15 min.
    pub fn record_failure(&mut self, now: Timestamp) {
        self.failed_attempts = self.failed_attempts.saturating_add(1);
        if self.failed_attempts >= FREE_ATTEMPTS {
            let doublings = (self.failed_attempts - FREE_ATTEMPTS).min(16);
            let secs = (FIRST_LOCK_SECS << doublings).min(MAX_LOCK_SECS);
            self.locked_until = Some(now + Duration::seconds(secs));
        }
    }

    /// Clears the throttle after a successful sign-in.
    pub fn record_success(&mut self) {
        self.failed_attempts = 0;
        self.locked_until = None;
    }
}

/// Spends the same time as a real verification, so that a wrong pseudonym (or an unknown case
/// code) cannot be told apart from a wrong password by timing.
pub(crate) fn waste_equal_time(password: &str) {
    let _ = derive(password, &[0u8; 16], MEMORY_KIB, PASSES, LANES);
}

fn check_length(password: &str) -> Result<()> {
    let len = password.chars().count();
    if len < MIN_PASSWORD_LEN {
        return Err(Error::invalid("password", format!("must have at least {MIN_PASSWORD_LEN} characters")));
    }
    if len > MAX_PASSWORD_LEN {
        return Err(Error::invalid("password", format!("may have at most {MAX_PASSWORD_LEN} characters")));
    }
    Ok(())
}

fn derive(password: &str, salt: &[u8], memory_kib: u32, passes: u32, lanes: u32) -> Result<Vec<u8>> {
    let params = Params::new(memory_kib, passes, lanes, Some(HASH_LEN))
        .map_err(|e| Error::storage(format!("bad argon2 parameters: {e}")))?;
    let mut out = vec![0u8; HASH_LEN];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(password.as_bytes(), salt, &mut out)
        .map_err(|e| Error::storage(format!("argon2 failed: {e}")))?;
    Ok(out)
}

fn unhex(text: &str) -> Result<Vec<u8>> {
    let bad = || Error::storage("a stored credential is damaged");
    if !text.len().is_multiple_of(2) {
        return Err(bad());
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2).ok_or_else(bad)?, 16).map_err(|_| bad()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-03-01T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn right_password_verifies_and_wrong_does_not() {
        let cred = Credential::new("lange Nacht am Meer", now()).unwrap();
        assert!(cred.verify("lange Nacht am Meer").unwrap());
        assert!(!cred.verify("lange Nacht am meer").unwrap());
        assert!(!cred.hash.contains("Nacht"));
    }

    #[test]
    fn salts_differ_between_hashes_of_the_same_password() {
        let a = Credential::new("same password!", now()).unwrap();
        let b = Credential::new("same password!", now()).unwrap();
        assert_ne!(a.salt, b.salt);
        assert_ne!(a.hash, b.hash);
    }

    #[test]
    fn short_and_overlong_passwords_are_refused_by_field() {
        for pw in ["kurz", &"x".repeat(257)] {
            assert!(
                matches!(Credential::new(pw, now()), Err(Error::InvalidInput { field, .. }) if field == "password")
            );
        }
    }

    #[test]
    fn throttle_starts_after_five_failures_and_doubles() {
        let mut cred = Credential::new("correct horse battery", now()).unwrap();
        for _ in 0..4 {
            cred.throttle.record_failure(now());
            assert_eq!(cred.throttle.throttled_for(now()), None);
        }
        cred.throttle.record_failure(now());
        assert_eq!(cred.throttle.throttled_for(now()), Some(30));
        cred.throttle.record_failure(now());
        assert_eq!(cred.throttle.throttled_for(now()), Some(60));
        assert_eq!(cred.throttle.throttled_for(now() + Duration::seconds(61)), None);
        for _ in 0..20 {
            cred.throttle.record_failure(now());
        }
        assert_eq!(cred.throttle.throttled_for(now()), Some(15 * 60));
        cred.throttle.record_success();
        assert_eq!(cred.throttle.throttled_for(now()), None);
    }
}
