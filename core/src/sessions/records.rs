//! The only code that reads and writes the sessions' tables.

use crate::error::{Error, Result};
use crate::store::{Dossier, Erasure, Person, Personal, ReadTable, ReadTxn, Reader, WriteTxn, decode, encode};

use super::model::{AuthSession, AuthSessionId};
use super::tables::{AUTH_SESSION_BY_HASH, AUTH_SESSIONS, AUTH_SESSIONS_BY_ACCOUNT, AUTH_SESSIONS_BY_EXPIRY};

/// Stores a new session under its token's hash, with its indexes.
pub(crate) fn insert(txn: &WriteTxn, session: &AuthSession, hash: &[u8]) -> Result<()> {
    let id = session.id.0;
    txn.open_table(AUTH_SESSIONS)?
        .insert(id, encode(&Stored { session: session.clone(), hash: hash.to_vec() })?.as_slice())?;
    txn.open_table(AUTH_SESSION_BY_HASH)?.insert(hash, id)?;
    txn.open_table(AUTH_SESSIONS_BY_ACCOUNT)?.insert((session.account, id), ())?;
    txn.open_table(AUTH_SESSIONS_BY_EXPIRY)?.insert((expiry_key(session), id), ())?;
    Ok(())
}

/// The session a token hash belongs to, if any.
pub(crate) fn by_hash(txn: &impl Reader, hash: &[u8]) -> Result<Option<AuthSession>> {
    let Some(id) = txn.table(AUTH_SESSION_BY_HASH)?.get(hash)?.map(|row| row.value()) else { return Ok(None) };
    load(txn, AuthSessionId(id)).map(Some)
}

/// One session; `NotFound` when there is none.
pub(crate) fn load(txn: &impl Reader, id: AuthSessionId) -> Result<AuthSession> {
    Ok(load_stored(txn, id)?.session)
}

fn load_stored(txn: &impl Reader, id: AuthSessionId) -> Result<Stored> {
    let table = txn.table(AUTH_SESSIONS)?;
    let row = table.get(id.0)?.ok_or_else(|| Error::not_found("session", id.0))?;
    decode(row.value(), || format!("session {}", id.0))
}

/// An account's sessions, oldest first.
pub(crate) fn of_account(txn: &impl Reader, account: u64) -> Result<Vec<AuthSession>> {
    let index = txn.table(AUTH_SESSIONS_BY_ACCOUNT)?;
    let mut out = Vec::new();
    for row in index.range((account, 0)..=(account, u64::MAX))? {
        let (key, _) = row?;
        out.push(load(txn, AuthSessionId(key.value().1))?);
    }
    Ok(out)
}

/// Deletes a session and its indexes (revoked or expired): its token stops working at once.
pub(crate) fn remove(txn: &WriteTxn, id: AuthSessionId) -> Result<AuthSession> {
    let stored = load_stored(txn, id)?;
    txn.open_table(AUTH_SESSIONS)?.remove(id.0)?;
    txn.open_table(AUTH_SESSION_BY_HASH)?.remove(stored.hash.as_slice())?;
    txn.open_table(AUTH_SESSIONS_BY_ACCOUNT)?.remove((stored.session.account, id.0))?;
    txn.open_table(AUTH_SESSIONS_BY_EXPIRY)?.remove((expiry_key(&stored.session), id.0))?;
    Ok(stored.session)
}

/// Up to `limit` sessions that expire by the end of second `now_secs` (a session is at most a
/// second short of its lifetime when swept in its last second).
pub(crate) fn expired(txn: &impl Reader, now_secs: u64, limit: usize) -> Result<Vec<AuthSessionId>> {
    let index = txn.table(AUTH_SESSIONS_BY_EXPIRY)?;
    let mut out = Vec::new();
    for row in index.range((0, 0)..=(now_secs, u64::MAX))?.take(limit) {
        out.push(AuthSessionId(row?.0.value().1));
    }
    Ok(out)
}

/// Checks that every session reads and that its three index rows exist, counting sessions.
pub(crate) fn check(txn: &impl Reader, problems: &mut Vec<String>) -> Result<u64> {
    let (by_hash, by_account, by_expiry) =
        (txn.table(AUTH_SESSION_BY_HASH)?, txn.table(AUTH_SESSIONS_BY_ACCOUNT)?, txn.table(AUTH_SESSIONS_BY_EXPIRY)?);
    let mut n = 0;
    for row in txn.table(AUTH_SESSIONS)?.iter()? {
        let (id, bytes) = row?;
        let id = id.value();
        let stored: Stored = match decode(bytes.value(), || format!("session {id}")) {
            Ok(stored) => stored,
            Err(_) => {
                problems.push(format!("session {id} cannot be read"));
                continue;
            }
        };
        n += 1;
        if by_hash.get(stored.hash.as_slice())?.map(|r| r.value()) != Some(id) {
            problems.push(format!("session {id} is missing from the token index"));
        }
        if by_account.get((stored.session.account, id))?.is_none() {
            problems.push(format!("session {id} is missing from its account's list"));
        }
        if by_expiry.get((expiry_key(&stored.session), id))?.is_none() {
            problems.push(format!("session {id} is missing from the expiry index"));
        }
    }
    if by_hash.len()? != n || by_account.len()? != n || by_expiry.len()? != n {
        problems.push("the session indexes hold rows of sessions that do not exist".into());
    }
    Ok(n)
}

fn expiry_key(session: &AuthSession) -> u64 {
    u64::try_from(session.expires_at.timestamp()).unwrap_or(0)
}

/// A session as stored: the record and the hash of its token (never the token).
#[derive(serde::Serialize, serde::Deserialize)]
struct Stored {
    session: AuthSession,
    hash: Vec<u8>,
}

/// The sessions' part in the person's rights (`crate::rights`): an export lists the person's
/// signed-in devices (never a token or its hash); an erasure ends them all, so no token of the
/// erased account works again.
pub(crate) const PERSONAL: Personal = Personal { export: export_own, erase: erase_own };

fn export_own(txn: &ReadTxn, person: &Person, dossier: &mut Dossier) -> Result<()> {
    dossier.add("sessions", ABOUT_SESSIONS, &of_account(txn, person.account)?)
}

fn erase_own(txn: &WriteTxn, erasure: &mut Erasure) -> Result<()> {
    let sessions = of_account(txn, erasure.person.account)?;
    for session in &sessions {
        remove(txn, session.id)?;
    }
    erasure.count("sessions", sessions.len() as u64);
    Ok(())
}

const ABOUT_SESSIONS: &str = "Your signed-in sessions (devices): when each began, when it expires and the \
device name given at sign-in. The platform keeps only a hash of each token; neither is exported.";
