//! The idempotency keys of queued writes: a write with a given client id is applied at most
//! once. The key is reserved (committed) before the write runs and settled with its outcome
//! after, so a retry after a lost answer gets the first outcome again, and a retry after a
//! crash between the two learns that the outcome is unknown instead of writing twice.

use serde::{Deserialize, Serialize};

use super::tables::{SYNC_SENT, SYNC_SENT_AGES};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::ids::AccountId;
use crate::store::{Dossier, Erasure, Person, ReadTable, ReadTxn, Reader, WriteTxn, decode, encode};

/// The longest client id (a UUID has 36 characters).
pub const CLIENT_ID_CHARS: usize = 64;
/// How long a settled key is remembered: a device offline longer resends as new.
pub const KEEP_DAYS: i64 = 30;

/// What became of a queued write.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Sent {
    /// Reserved: the write is running, or the server stopped while it ran.
    Running { since: Timestamp },
    /// Applied: the operation's answer.
    Applied { result: serde_json::Value },
    /// Refused: the error kind and the server's reason.
    Refused { kind: String, reason: String },
}

/// Checks a client id: 1 to 64 letters, digits, `-` or `_`.
pub fn check_client_id(id: &str) -> Result<()> {
    let ok = !id.is_empty()
        && id.chars().count() <= CLIENT_ID_CHARS
        && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if ok { Ok(()) } else { Err(Error::invalid("id", "must be 1 to 64 letters, digits, '-' or '_' (a UUID)")) }
}

/// The earlier outcome of `id`, or `None` after reserving it now.
pub(crate) fn reserve(txn: &WriteTxn, account: AccountId, id: &str, now: Timestamp) -> Result<Option<Sent>> {
    let mut table = txn.open_table(SYNC_SENT)?;
    if let Some(bytes) = table.get((account.0, id))? {
        return decode(bytes.value(), || format!("queued write of account {account}")).map(Some);
    }
    table.put((account.0, id), encode(&Sent::Running { since: now })?.as_slice())?;
    txn.open_table(SYNC_SENT_AGES)?.put((now.timestamp_micros(), account.0, id), ())?;
    Ok(None)
}

/// Records the outcome of a reserved write.
pub(crate) fn settle(txn: &WriteTxn, account: AccountId, id: &str, outcome: &Sent) -> Result<()> {
    txn.open_table(SYNC_SENT)?.insert((account.0, id), encode(outcome)?.as_slice())?;
    Ok(())
}

/// Forgets keys older than [`KEEP_DAYS`], at most `batch` of them; returns how many.
pub(crate) fn forget_old(txn: &WriteTxn, now: Timestamp, batch: usize) -> Result<(u64, bool)> {
    let cutoff = now.timestamp_micros() - KEEP_DAYS * 86_400_000_000;
    let mut doomed = Vec::new();
    {
        let ages = txn.table(SYNC_SENT_AGES)?;
        for row in ages.range((i64::MIN, 0, "")..(cutoff, 0, ""))?.take(batch + 1) {
            let (key, _) = row?;
            let (at, account, id) = key.value();
            doomed.push((at, account, id.to_string()));
        }
    }
    let more = doomed.len() > batch;
    doomed.truncate(batch);
    let mut sent = txn.open_table(SYNC_SENT)?;
    let mut ages = txn.open_table(SYNC_SENT_AGES)?;
    for (at, account, id) in &doomed {
        sent.delete((*account, id.as_str()))?;
        ages.delete((*at, *account, id.as_str()))?;
    }
    Ok((doomed.len() as u64, more))
}

/// The person's queued-write keys and their outcomes, for an export.
pub(crate) fn export(txn: &ReadTxn, person: &Person, dossier: &mut Dossier) -> Result<()> {
    let rows: Vec<serde_json::Value> = of_account(txn, person.account)?
        .into_iter()
        .map(|(id, sent)| serde_json::json!({ "id": id, "outcome": sent }))
        .collect();
    dossier.add("sync_sent", ABOUT_SENT, &rows)
}

const ABOUT_SENT: &str = "The writes your devices queued while offline, by the id the device gave each, \
    and what became of them (applied with the server's answer, or refused with its reason). They are kept \
    for 30 days so that a write resent after a lost answer is not applied twice.";

/// Removes the person's queued-write keys.
pub(crate) fn erase(txn: &WriteTxn, erasure: &mut Erasure) -> Result<()> {
    let me = erasure.person.account;
    let mut removed = 0;
    txn.open_table(SYNC_SENT)?.retain_in((me.0, "")..(me.0 + 1, ""), |_, _| {
        removed += 1;
        false
    })?;
    txn.open_table(SYNC_SENT_AGES)?.retain(|(_, account, _), _| account != me.0)?;
    erasure.count("queued-write keys", removed);
    Ok(())
}

/// Every key of one account (its rights: export and erasure).
fn of_account(txn: &impl Reader, account: AccountId) -> Result<Vec<(String, Sent)>> {
    let mut out = Vec::new();
    for row in txn.table(SYNC_SENT)?.range((account.0, "")..(account.0 + 1, ""))? {
        let (key, bytes) = row?;
        let (_, id) = key.value();
        out.push((id.to_string(), decode(bytes.value(), || format!("queued write of account {account}"))?));
    }
    Ok(out)
}

/// Checks that every key reads and has its age row.
pub(crate) fn check(txn: &impl Reader, problems: &mut Vec<String>) -> Result<u64> {
    let mut n = 0;
    for row in txn.table(SYNC_SENT)?.iter()? {
        let (key, bytes) = row?;
        let (account, _) = key.value();
        if decode::<Sent>(bytes.value(), String::new).is_err() {
            problems.push(format!("a queued-write key of account {account} is unreadable"));
        }
        n += 1;
    }
    let ages = txn.table(SYNC_SENT_AGES)?.len()?;
    if ages != n {
        problems.push(format!("{n} queued-write keys but {ages} age rows"));
    }
    Ok(n)
}
