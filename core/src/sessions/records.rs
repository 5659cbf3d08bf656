//! The only code that reads and writes the sessions' tables.

use crate::error::{Error, Result};
use crate::ids::AccountId;
use crate::store::{Dossier, Erasure, Person, Personal, ReadTable, ReadTxn, Reader, WriteTxn, decode, encode, next_id};

use super::model::{AuthSession, AuthSessionId};
use super::tables::{AUTH_SESSION_BY_HASH, AUTH_SESSIONS, AUTH_SESSIONS_BY_ACCOUNT, AUTH_SESSIONS_BY_EXPIRY};

/// Stores a new session under its token's hash, with its indexes.
pub(crate) fn insert(txn: &WriteTxn, session: &AuthSession, hash: &[u8]) -> Result<()> {
    let id = session.id.0;
    let stored = Stored { session: Some(session.clone()), hash: hash.to_vec(), erased_until: None };
    txn.open_table(AUTH_SESSIONS)?.put(id, encode(&stored)?.as_slice())?;
    txn.open_table(AUTH_SESSION_BY_HASH)?.put(hash, id)?;
    txn.open_table(AUTH_SESSIONS_BY_ACCOUNT)?.put((session.account.0, id), ())?;
    txn.open_table(AUTH_SESSIONS_BY_EXPIRY)?.put((expiry_key(session), id), ())?;
    Ok(())
}

/// What a token hash stands for: a session, or the tombstone of one whose account was erased.
pub(crate) enum Entry {
    Session(AuthSession),
    /// Only when the token would have expired (seconds since 1970): nothing else is kept.
    Erased {
        expires_secs: u64,
    },
}

/// The session or tombstone a token hash belongs to, if any.
pub(crate) fn by_hash(txn: &impl Reader, hash: &[u8]) -> Result<Option<Entry>> {
    let Some(id) = txn.table(AUTH_SESSION_BY_HASH)?.get(hash)?.map(|row| row.value()) else { return Ok(None) };
    let stored = load_row(txn, AuthSessionId(id))?;
    Ok(Some(match (stored.session, stored.erased_until) {
        (Some(session), _) => Entry::Session(session),
        (None, expires) => Entry::Erased { expires_secs: expires.unwrap_or(0) },
    }))
}

/// One session; `NotFound` when there is none (a tombstone is no session).
pub(crate) fn load(txn: &impl Reader, id: AuthSessionId) -> Result<AuthSession> {
    load_row(txn, id)?.session.ok_or_else(|| Error::not_found("session", id.0))
}

fn load_row(txn: &impl Reader, id: AuthSessionId) -> Result<Stored> {
    let table = txn.table(AUTH_SESSIONS)?;
    let row = table.get(id.0)?.ok_or_else(|| Error::not_found("session", id.0))?;
    decode(row.value(), || format!("session {}", id.0))
}

/// An account's sessions, oldest first.
pub(crate) fn of_account(txn: &impl Reader, account: AccountId) -> Result<Vec<AuthSession>> {
    let index = txn.table(AUTH_SESSIONS_BY_ACCOUNT)?;
    let mut out = Vec::new();
    for row in index.range((account.0, 0)..=(account.0, u64::MAX))? {
        let (key, _) = row?;
        out.push(load(txn, AuthSessionId(key.value().1))?);
    }
    Ok(out)
}

/// Deletes a session and its indexes (revoked); its token stops working at once.
pub(crate) fn remove(txn: &WriteTxn, id: AuthSessionId) -> Result<AuthSession> {
    let session = load(txn, id)?;
    remove_row(txn, id)?;
    Ok(session)
}

/// Deletes a session or a tombstone with its index rows (expired, revoked or erased).
pub(crate) fn remove_row(txn: &WriteTxn, id: AuthSessionId) -> Result<()> {
    let stored = load_row(txn, id)?;
    txn.open_table(AUTH_SESSIONS)?.delete(id.0)?;
    txn.open_table(AUTH_SESSION_BY_HASH)?.delete(stored.hash.as_slice())?;
    if let Some(session) = &stored.session {
        txn.open_table(AUTH_SESSIONS_BY_ACCOUNT)?.delete((session.account.0, id.0))?;
    }
    txn.open_table(AUTH_SESSIONS_BY_EXPIRY)?.delete((stored.expiry_secs(), id.0))?;
    Ok(())
}

/// Replaces session `id` by a tombstone under a new id: its token's hash and expiry only, no
/// account, device name or sign-in time, and an id that appears nowhere else (the old one may
/// be in an export or the audit log), so the tombstone links to nobody. It is swept at its
/// expiry like a session.
fn bury(txn: &WriteTxn, id: AuthSessionId) -> Result<()> {
    let stored = load_row(txn, id)?;
    remove_row(txn, id)?;
    let erased_until = Some(stored.expiry_secs());
    let tombstone = Stored { session: None, hash: stored.hash, erased_until };
    let new_id = next_id(txn, "auth_sessions")?;
    txn.open_table(AUTH_SESSIONS)?.put(new_id, encode(&tombstone)?.as_slice())?;
    txn.open_table(AUTH_SESSION_BY_HASH)?.put(tombstone.hash.as_slice(), new_id)?;
    txn.open_table(AUTH_SESSIONS_BY_EXPIRY)?.put((tombstone.expiry_secs(), new_id), ())?;
    Ok(())
}

/// Up to `limit` sessions and tombstones that expire by the end of second `now_secs` (a session
/// is at most a second short of its lifetime when swept in its last second).
pub(crate) fn expired(txn: &impl Reader, now_secs: u64, limit: usize) -> Result<Vec<AuthSessionId>> {
    let index = txn.table(AUTH_SESSIONS_BY_EXPIRY)?;
    let mut out = Vec::new();
    for row in index.range((0, 0)..=(now_secs, u64::MAX))?.take(limit) {
        out.push(AuthSessionId(row?.0.value().1));
    }
    Ok(out)
}

/// Checks that every session and tombstone reads and that its index rows exist, counting
/// sessions (tombstones are not counted: they are no one's).
pub(crate) fn check(txn: &impl Reader, problems: &mut Vec<String>) -> Result<u64> {
    let (by_hash, by_account, by_expiry) =
        (txn.table(AUTH_SESSION_BY_HASH)?, txn.table(AUTH_SESSIONS_BY_ACCOUNT)?, txn.table(AUTH_SESSIONS_BY_EXPIRY)?);
    let (mut sessions, mut rows) = (0, 0);
    for row in txn.table(AUTH_SESSIONS)?.iter()? {
        let (id, bytes) = row?;
        let id = id.value();
        let Ok(stored) = decode::<Stored>(bytes.value(), || format!("session {id}")) else {
            problems.push(format!("session {id} cannot be read"));
            continue;
        };
        rows += 1;
        if by_hash.get(stored.hash.as_slice())?.map(|r| r.value()) != Some(id) {
            problems.push(format!("session {id} is missing from the token index"));
        }
        if let Some(session) = &stored.session {
            sessions += 1;
            if by_account.get((session.account.0, id))?.is_none() {
                problems.push(format!("session {id} is missing from its account's list"));
            }
        }
        if by_expiry.get((stored.expiry_secs(), id))?.is_none() {
            problems.push(format!("session {id} is missing from the expiry index"));
        }
    }
    if by_hash.len()? != rows || by_account.len()? != sessions || by_expiry.len()? != rows {
        problems.push("the session indexes hold rows of sessions that do not exist".into());
    }
    Ok(sessions)
}

fn expiry_key(session: &AuthSession) -> u64 {
    u64::try_from(session.expires_at.timestamp()).unwrap_or(0)
}

/// A session as stored: the record and the hash of its token (never the token); or, for an
/// erased account's session, a tombstone: no record, the hash, and the expiry in seconds.
#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    /// `None` in a tombstone. (Written as the bare record, so sessions stored before
    /// tombstones existed read as `Some`.)
    session: Option<AuthSession>,
    hash: Vec<u8>,
    /// A tombstone's expiry, seconds since 1970; `None` for a session.
    #[serde(default)]
    erased_until: Option<u64>,
}

impl Stored {
    fn expiry_secs(&self) -> u64 {
        self.session.as_ref().map_or(self.erased_until.unwrap_or(0), expiry_key)
    }
}

/// The sessions' part in the person's rights (`crate::rights`): an export lists the person's
/// signed-in devices (never a token or its hash); an erasure ends them all, so no token of the
/// erased account works again: each unexpired one becomes a tombstone (see [`bury`]), so that
/// its device hears `account_erased` instead of an unknown token and can delete its copy.
pub(crate) const PERSONAL: Personal = Personal { export: export_own, erase: erase_own };

fn export_own(txn: &ReadTxn, person: &Person, dossier: &mut Dossier) -> Result<()> {
    dossier.add("sessions", ABOUT_SESSIONS, &of_account(txn, person.account)?)
}

fn erase_own(txn: &WriteTxn, erasure: &mut Erasure) -> Result<()> {
    let sessions = of_account(txn, erasure.person.account)?;
    for session in &sessions {
        if session.expires_at > erasure.now {
            bury(txn, session.id)?;
        } else {
            remove_row(txn, session.id)?;
        }
    }
    erasure.count("sessions", sessions.len() as u64);
    Ok(())
}

const ABOUT_SESSIONS: &str = "Your signed-in sessions (devices): when each began, when it expires and the \
device name given at sign-in. The platform keeps only a hash of each token; neither is exported.";

#[cfg(test)]
mod tests;
