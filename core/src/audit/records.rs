//! The audit log's part in the person's rights (`crate::rights`): the entries naming the
//! account (as actor or target) for an export; for an erasure those entries keep what was
//! done and when, but the person becomes "erased": the actor an account nobody has, the
//! target `account:erased`, their pseudonym in a reason "former member".
//!
//! Also how the log is stored: one entry per id, in id (so time) order; the only module of the
//! domain that opens its table.

use super::{AUDIT, AuditEntry};
use crate::actor::Actor;
use crate::error::Result;
use crate::ids::{AccountId, NOBODY};
use crate::store::{Domain, Dossier, Erasure, Person, Personal, ReadTable, ReadTxn, Reader, WriteTxn, decode, encode};

/// The audit log's registration with the person's rights.
pub(crate) const PERSONAL: Personal = Personal { export, erase };

/// The target an erased account's entries name instead of `account:ID` (and every erasure's).
pub(crate) const ERASED_TARGET: &str = "account:erased";

fn export(txn: &ReadTxn, person: &Person, dossier: &mut Dossier) -> Result<()> {
    let entries: Vec<AuditEntry> = naming(txn, person.account)?.into_iter().collect();
    dossier.add("audit_entries", ABOUT_AUDIT, &entries)
}

fn erase(txn: &WriteTxn, erasure: &mut Erasure) -> Result<()> {
    let entries = naming(txn, erasure.person.account)?;
    let me = Actor::account(erasure.person.account);
    let target = format!("account:{}", erasure.person.account);
    for mut entry in entries.iter().cloned() {
        if entry.actor == me {
            entry.actor = Actor::account(NOBODY);
        }
        if entry.target == target {
            entry.target = ERASED_TARGET.to_string();
        }
        entry.reason = entry.reason.map(|r| r.replace(&erasure.person.pseudonym, Domain::FORMER_MEMBER));
        save(txn, &entry)?;
    }
    erasure.count("audit entries", entries.len() as u64);
    Ok(())
}

/// Writes an entry (appended, or rewritten by an erasure).
pub(crate) fn save(txn: &WriteTxn, entry: &AuditEntry) -> Result<()> {
    txn.open_table(AUDIT)?.put(entry.id, encode(entry)?.as_slice())?;
    Ok(())
}

/// Visits entries newest first below id `before`, one at a time, until `visit` returns `false`.
pub(crate) fn visit_newest(
    txn: &impl Reader,
    before: u64,
    mut visit: impl FnMut(AuditEntry) -> Result<bool>,
) -> Result<()> {
    for row in txn.table(AUDIT)?.range(..before)?.rev() {
        let (id, bytes) = row?;
        if !visit(decode(bytes.value(), || format!("audit entry {}", id.value()))?)? {
            break;
        }
    }
    Ok(())
}

/// How many entries the log holds.
pub(crate) fn count(txn: &impl Reader) -> Result<u64> {
    txn.table(AUDIT)?.len()
}

/// Every entry whose actor or target is `account`, oldest first.
fn naming(txn: &impl Reader, account: AccountId) -> Result<Vec<AuditEntry>> {
    let me = Actor::account(account);
    let target = format!("account:{account}");
    let mut found = Vec::new();
    for row in txn.table(AUDIT)?.range::<u64>(..)? {
        let (id, bytes) = row?;
        let entry: AuditEntry = decode(bytes.value(), || format!("audit entry {}", id.value()))?;
        if entry.actor == me || entry.target == target {
            found.push(entry);
        }
    }
    Ok(found)
}

const ABOUT_AUDIT: &str = "Entries of the platform's audit log that name the account, as the one who acted \
(`actor`) or the one acted on (`target: account:ID`): what was done (`action`), when, and the reason given.";
