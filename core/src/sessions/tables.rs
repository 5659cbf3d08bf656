//! The tables of this domain: the only place they are declared; the domain registers them
//! (see [`super::DOMAIN`]) and only its own modules open them.

use crate::store::{AnyTable, Table};

/// Session id → session record (JSON).
pub(crate) const AUTH_SESSIONS: Table<u64, &[u8]> = Table::new("auth_sessions");
/// BLAKE2b-256 of the token → session id: the only form in which a token is stored.
pub(crate) const AUTH_SESSION_BY_HASH: Table<&[u8], u64> = Table::new("auth_session_by_hash");
/// (account, session id) → (): each account's sessions.
pub(crate) const AUTH_SESSIONS_BY_ACCOUNT: Table<(u64, u64), ()> = Table::new("auth_sessions_by_account");
/// (expiry in seconds since 1970, session id) → (): what the scheduler sweeps.
pub(crate) const AUTH_SESSIONS_BY_EXPIRY: Table<(u64, u64), ()> = Table::new("auth_sessions_by_expiry");

/// Every table of the domain, created when a file is new or older than the domain.
pub(crate) const TABLES: &[&dyn AnyTable] =
    &[&AUTH_SESSIONS, &AUTH_SESSION_BY_HASH, &AUTH_SESSIONS_BY_ACCOUNT, &AUTH_SESSIONS_BY_EXPIRY];
