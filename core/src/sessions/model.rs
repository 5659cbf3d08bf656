//! The records of the sessions domain.

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::ids::AccountId;

/// A session: one signed-in device of an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AuthSessionId(pub u64);

impl std::fmt::Display for AuthSessionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

/// One signed-in session (its token is never stored or shown again).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthSession {
    pub id: AuthSessionId,
    pub account: AccountId,
    pub created_at: Timestamp,
    /// After this the token is refused; the scheduler then deletes the session.
    pub expires_at: Timestamp,
    /// The name of the device, as given at sign-in.
    pub label: Option<String>,
}

/// What signing in returns: the token, shown this once, and the session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignedIn {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    pub session: AuthSession,
}
