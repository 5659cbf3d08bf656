//! The inbox's part in the person's rights (`crate::rights`): the person's own notifications
//! for an export; for an erasure, their inbox goes, and other people's notifications that
//! name them (a reply by them, a thread they started) name "former member" instead.
//!
//! Also how the inbox is stored: (account, notification id) → the notification in its compact
//! form ([`stored`]), a personal event sealed under the recipient's key, a forum event without
//! its thread's title (read from the thread when shown, since version 34); the only module of
//! the domain that opens its table. The erasure deletes the person's notifications without
//! opening them, and rewrites others' forum notifications, which are never sealed, where they
//! name the person as an author.

use super::stored::{Opener, Titled};
use super::tables::INBOX;
use super::{Notification, stored};
use crate::error::{Error, Result};
use crate::ids::AccountId;
use crate::store::{
    Domain, Dossier, Erasure, KeyCache, Person, Personal, ReadTable, ReadTxn, Reader, Sealer, ThreadTitles, WriteTxn,
    decode, sealing_many,
};

/// The inbox's registration with the person's rights.
pub(crate) const PERSONAL: Personal = Personal { export, erase };

fn export(txn: &ReadTxn, person: &Person, dossier: &mut Dossier) -> Result<()> {
    let own = own(&mut Opener::new(txn, dossier.thread_titles), person.account)?;
    dossier.add("inbox", ABOUT_INBOX, &own)
}

/// Every notification of `account`, oldest first, each thread's title as it reads now.
fn own(opener: &mut Opener<'_, ReadTxn>, account: AccountId) -> Result<Vec<Notification>> {
    let table = opener.txn().table(INBOX)?;
    let mut found = Vec::new();
    for row in table.range((account.0, 0)..=(account.0, u64::MAX))? {
        let (key, bytes) = row?;
        let (account, id) = key.value();
        found.push(opener.read(AccountId(account), id, bytes.value())?);
    }
    Ok(found)
}

/// A notification as a listing meets it: its id, whether it was read and whether it comes
/// from the forums are known without opening it; [`Listed::open`] opens it (once it is shown).
pub(crate) struct Listed {
    pub id: u64,
    account: AccountId,
    stored: stored::Stored,
}

impl Listed {
    pub fn read(&self) -> bool {
        self.stored.read
    }

    pub fn is_forum(&self) -> bool {
        self.stored.is_forum()
    }

    /// The notification, opened with the recipient's key when sealed, a forum event's thread
    /// title read from the thread (through `opener`, which serves the whole page).
    pub fn open<R: Titled>(self, opener: &mut Opener<'_, R>) -> Result<Notification> {
        opener.open(self.stored, self.account, self.id)
    }
}

/// Visits the notifications of `account`, newest first, unopened.
pub(crate) fn visit_newest_of(
    txn: &impl Reader,
    account: AccountId,
    mut visit: impl FnMut(Listed) -> Result<()>,
) -> Result<()> {
    for row in txn.table(INBOX)?.range((account.0, 0)..(account.0, u64::MAX))?.rev() {
        let (key, bytes) = row?;
        let (account, id) = key.value();
        let account = AccountId(account);
        visit(Listed { id, account, stored: stored::decode(account, id, bytes.value())? })?;
    }
    Ok(())
}

/// Marks notifications of `account` read: those of `ids`, or every one when `ids` is empty
/// (`NotFound` for an id it does not have). Returns how many changed.
pub(crate) fn mark_read(txn: &WriteTxn, account: AccountId, ids: &[u64]) -> Result<u64> {
    let mut table = txn.open_table(INBOX)?;
    let keys: Vec<u64> = if ids.is_empty() {
        table
            .range((account.0, 0)..(account.0, u64::MAX))?
            .map(|r| r.map(|(k, _)| k.value().1))
            .collect::<Result<_, _>>()?
    } else {
        ids.to_vec()
    };
    let mut changed = 0;
    for id in keys {
        let bytes = table.get((account.0, id))?.ok_or_else(|| Error::not_found("notification", id))?.value().to_vec();
        // The flag lies beside the sealed event: marking read opens nothing.
        let mut n = stored::decode(account, id, &bytes)?;
        if !n.read {
            n.read = true;
            table.put((account.0, id), stored::encode(&n)?.as_slice())?;
            changed += 1;
        }
    }
    Ok(changed)
}

/// Puts notifications into their accounts' inboxes (one table open for all), personal events
/// sealed under each recipient's key (looked up once per delivery). Sealing first, then
/// writing: a recipient without a key gets one (synced) before the row that needs it is written.
pub(crate) fn deliver(txn: &WriteTxn, notifications: impl IntoIterator<Item = Notification>) -> Result<()> {
    let mut sealer = Sealer::new(txn);
    let rows = notifications
        .into_iter()
        .map(|n| Ok(((n.account.0, n.id), stored::write(&mut sealer, &n)?)))
        .collect::<Result<Vec<_>>>()?;
    let mut inbox = txn.open_table(INBOX)?;
    for (key, bytes) in rows {
        inbox.put(key, bytes.as_slice())?;
    }
    Ok(())
}

/// Schema 5: every notification from JSON to its compact stored form.
pub(crate) fn compact_notifications_v5(txn: &WriteTxn) -> Result<()> {
    let inbox = txn.open_table(INBOX)?;
    let mut rewritten = Vec::new();
    for row in inbox.iter()? {
        let (key, bytes) = row?;
        let (account, id) = key.value();
        let account = AccountId(account);
        let n: Notification = decode(bytes.value(), || format!("notification {id} of account {account}"))?;
        rewritten.push(n);
    }
    drop(inbox);
    sealing_many(txn, || deliver(txn, rewritten))
}

/// Notifications sealed per batch of the version-25 migration (bounds what it holds at once).
const SEAL_BATCH: usize = 10_000;

/// Schema 25: every personal notification still plain is sealed under its recipient's key (a
/// new key for a recipient without one), in batches of [`SEAL_BATCH`], the key file synced once;
/// how many.
pub(crate) fn seal_notifications_v25(txn: &WriteTxn) -> Result<u64> {
    sealing_many(txn, || {
        let mut after = None;
        let mut sealed = 0;
        loop {
            let batch = stored_where(txn, after, SEAL_BATCH, stored::Stored::is_plain_personal)?;
            let Some(&(last, _)) = batch.last() else { return Ok(sealed) };
            after = Some(last);
            sealed += batch.len() as u64;
            let mut sealer = Sealer::new(txn);
            let rows = batch
                .into_iter()
                .map(|((account, id), n)| Ok(((account, id), n.sealed(&mut sealer, AccountId(account), id)?)))
                .collect::<Result<Vec<_>>>()?;
            put_rows(txn, rows)?;
        }
    })
}

/// Forum notifications rewritten per batch of the version-34 migration.
const UNTITLE_BATCH: usize = 10_000;

/// Schema 34: every forum notification that still keeps its thread's title is written again
/// without it (the title is read from the thread when the notification is shown), in batches
/// of [`UNTITLE_BATCH`]; how many.
pub(crate) fn untitle_forum_notifications_v34(txn: &WriteTxn) -> Result<u64> {
    let mut after = None;
    let mut rewritten = 0;
    loop {
        let batch = stored_where(txn, after, UNTITLE_BATCH, stored::Stored::is_titled)?;
        let Some(&(last, _)) = batch.last() else { return Ok(rewritten) };
        after = Some(last);
        rewritten += batch.len() as u64;
        let rows =
            batch.into_iter().map(|(key, n)| Ok((key, stored::encode(&n.untitled())?))).collect::<Result<_>>()?;
        put_rows(txn, rows)?;
    }
}

/// Writes stored rows into the inbox (one table open for all).
fn put_rows(txn: &WriteTxn, rows: Vec<((u64, u64), Vec<u8>)>) -> Result<()> {
    let mut inbox = txn.open_table(INBOX)?;
    for (key, bytes) in rows {
        inbox.put(key, bytes.as_slice())?;
    }
    Ok(())
}

/// Up to `limit` stored notifications for which `wanted` holds, after the key `after`, in key
/// order, with their keys.
fn stored_where(
    txn: &WriteTxn,
    after: Option<(u64, u64)>,
    limit: usize,
    wanted: fn(&stored::Stored) -> bool,
) -> Result<Vec<((u64, u64), stored::Stored)>> {
    use std::ops::Bound::{Excluded, Unbounded};
    let table = txn.table(INBOX)?;
    let range = match after {
        Some(key) => table.range::<(u64, u64)>((Excluded(key), Unbounded))?,
        None => table.range::<(u64, u64)>(..)?,
    };
    let mut found = Vec::new();
    for row in range {
        let (key, bytes) = row?;
        let (account, id) = key.value();
        let stored = stored::decode(AccountId(account), id, bytes.value())?;
        if wanted(&stored) {
            found.push(((account, id), stored));
            if found.len() == limit {
                break;
            }
        }
    }
    Ok(found)
}

fn erase(txn: &WriteTxn, erasure: &mut Erasure) -> Result<()> {
    let me = erasure.person.account;
    let mut table = txn.open_table(INBOX)?;
    let mut removed = 0;
    table.retain_in((me.0, 0)..=(me.0, u64::MAX), |_, _| {
        removed += 1;
        false
    })?;
    erasure.count("notifications", removed);
    // Other people's forum notifications that name the person as an author (never sealed):
    // read without anyone's key and rewritten in place. They keep no thread title (one of an
    // older shape loses it here): a thread the person started reads as the thread does now.
    let name = erasure.person.pseudonym.as_str();
    let mut rewritten = Vec::new();
    for row in table.range::<(u64, u64)>(..)? {
        let (key, bytes) = row?;
        let (account, id) = key.value();
        let mut stored = stored::decode(AccountId(account), id, bytes.value())?;
        if stored.is_forum() && stored.forget_author(name, Domain::FORMER_MEMBER) {
            rewritten.push(((account, id), stored::encode(&stored.untitled())?));
        }
    }
    drop(table);
    erasure.count("notifications naming them", rewritten.len() as u64);
    put_rows(txn, rewritten)
}

const ABOUT_INBOX: &str = "Every notification in the account's inbox, oldest first: `event.type` says what it is \
about (job_alert, interest_updated, forum_reply, forum_thread, forum_reply_to_you, moderated, appeal_decided, \
organisation_unverified, course, retention_warning), `read` whether it was marked read.";

/// The inbox's integrity check: every notification decodes and, when sealed, opens (one whose
/// recipient's key is gone — a copy restored beside the key store after an erasure — is named,
/// never its content).
pub(crate) fn check_integrity(txn: &ReadTxn, problems: &mut Vec<String>) -> Result<()> {
    let mut keys = KeyCache::new(txn);
    for row in txn.table(INBOX)?.iter()? {
        let (key, bytes) = row?;
        let (account, id) = key.value();
        let account = AccountId(account);
        if let Err(e) = stored::decode(account, id, bytes.value()).and_then(|n| n.unseal(&mut keys, account, id)) {
            problems.push(e.to_string());
        }
    }
    Ok(())
}

/// Notification `id` of `account`, if it is still there (for a notice about it), a forum
/// event's thread title read through `titles`.
pub(crate) fn load<R: Titled>(
    txn: &R,
    titles: ThreadTitles,
    account: AccountId,
    id: u64,
) -> Result<Option<Notification>> {
    match txn.table(INBOX)?.get((account.0, id))? {
        Some(row) => Opener::new(txn, titles).read(account, id, row.value()).map(Some),
        None => Ok(None),
    }
}

/// How many of `account`'s notifications are unread (the count a push hook gets).
pub(crate) fn unread(txn: &impl Reader, account: AccountId) -> Result<u64> {
    let mut n = 0;
    for row in txn.table(INBOX)?.range((account.0, 0)..=(account.0, u64::MAX))? {
        let (key, bytes) = row?;
        let (account, id) = key.value();
        let account = AccountId(account);
        n += u64::from(!stored::decode(account, id, bytes.value())?.read);
    }
    Ok(n)
}
