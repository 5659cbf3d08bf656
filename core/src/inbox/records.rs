//! The inbox's part in the person's rights (`crate::rights`): the person's own notifications
//! for an export; for an erasure, their inbox goes, and other people's notifications that
//! name them (a reply by them, a thread they started) name "former member" instead.
//!
//! Also how the inbox is stored: (account, notification id) → the notification in its compact
//! form ([`stored`]), a personal event sealed under the recipient's key; the only module of the
//! domain that opens its table. The erasure deletes the person's notifications without opening
//! them, and rewrites others' forum notifications, which are never sealed.

use super::tables::INBOX;
use super::{Event, Notification, stored};
use crate::error::{Error, Result};
use crate::ids::{AccountId, ThreadId};
use crate::store::{
    Domain, Dossier, Erasure, Person, Personal, ReadTable, ReadTxn, Reader, Sealer, WriteTxn, decode, sealing_many,
};

/// The inbox's registration with the person's rights.
pub(crate) const PERSONAL: Personal = Personal { export, erase };

fn export(txn: &ReadTxn, person: &Person, dossier: &mut Dossier) -> Result<()> {
    dossier.add("inbox", ABOUT_INBOX, &own(txn, person.account)?)
}

/// Every notification of `account`, oldest first.
fn own(txn: &impl Reader, account: AccountId) -> Result<Vec<Notification>> {
    let table = txn.table(INBOX)?;
    let mut found = Vec::new();
    for row in table.range((account.0, 0)..=(account.0, u64::MAX))? {
        let (key, bytes) = row?;
        let (account, id) = key.value();
        let account = AccountId(account);
        found.push(stored::read(txn, account, id, bytes.value())?);
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

    /// The notification, opened with the recipient's key when sealed.
    pub fn open(self, txn: &impl Reader) -> Result<Notification> {
        self.stored.open(txn, self.account, self.id)
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
            let batch = plain_personal(txn, after, SEAL_BATCH)?;
            let Some(last) = batch.last() else { return Ok(sealed) };
            after = Some((last.account.0, last.id));
            sealed += batch.len() as u64;
            deliver(txn, batch)?;
        }
    })
}

/// Up to `limit` personal notifications still plain, after the key `after`, in key order.
fn plain_personal(txn: &WriteTxn, after: Option<(u64, u64)>, limit: usize) -> Result<Vec<Notification>> {
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
        let account = AccountId(account);
        let stored = stored::decode(account, id, bytes.value())?;
        if stored.is_plain_personal()
            && let Some(n) = stored.plain(account, id)?
        {
            found.push(n);
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
    // Other people's notifications that name the person (forum events, never sealed): read
    // without anyone's key and rewritten in place.
    let mut rewritten = Vec::new();
    for row in table.range::<(u64, u64)>(..)? {
        let (key, bytes) = row?;
        let (account, id) = key.value();
        let account = AccountId(account);
        let stored = stored::decode(account, id, bytes.value())?;
        if !stored.is_forum() {
            continue;
        }
        if let Some(mut n) = stored.plain(account, id)?
            && forget_author(&mut n.event, erasure)
        {
            rewritten.push(n);
        }
    }
    drop(table);
    erasure.count("notifications naming them", rewritten.len() as u64);
    deliver(txn, rewritten)
}

/// Replaces the person's pseudonym as the author of `event` (and, when their content was
/// deleted, the title of a thread they started). Whether anything changed.
fn forget_author(event: &mut Event, erasure: &Erasure) -> bool {
    let name = erasure.person.pseudonym.as_str();
    let thread_gone =
        |thread: ThreadId| erasure.content_deleted && erasure.authored.contains(&format!("thread:{thread}"));
    let (author, title, thread) = match event {
        Event::ForumReply { author, thread_title, thread, .. } => (author, thread_title, *thread),
        Event::ForumThread { author, title, thread, .. } => (author, title, *thread),
        Event::ForumReplyToYou { author, thread_title, thread, .. } => (author, thread_title, *thread),
        _ => return false,
    };
    let mut changed = false;
    if author == name {
        *author = Domain::FORMER_MEMBER.to_string();
        changed = true;
    }
    if thread_gone(thread) {
        *title = DELETED_TITLE.to_string();
        changed = true;
    }
    changed
}

/// The title shown for a thread whose erased author's content was deleted.
const DELETED_TITLE: &str = "(deleted)";

const ABOUT_INBOX: &str = "Every notification in the account's inbox, oldest first: `event.type` says what it is \
about (job_alert, interest_updated, forum_reply, forum_thread, forum_reply_to_you, moderated, appeal_decided, \
organisation_unverified, course, retention_warning), `read` whether it was marked read.";

/// The inbox's integrity check: every notification decodes and, when sealed, opens (one whose
/// recipient's key is gone — a copy restored beside the key store after an erasure — is named,
/// never its content).
pub(crate) fn check_integrity(txn: &ReadTxn, problems: &mut Vec<String>) -> Result<()> {
    for row in txn.table(INBOX)?.iter()? {
        let (key, bytes) = row?;
        let (account, id) = key.value();
        let account = AccountId(account);
        if let Err(e) = stored::read(txn, account, id, bytes.value()) {
            problems.push(e.to_string());
        }
    }
    Ok(())
}

/// Notification `id` of `account`, if it is still there (for a notice about it).
pub(crate) fn load(txn: &impl Reader, account: AccountId, id: u64) -> Result<Option<Notification>> {
    match txn.table(INBOX)?.get((account.0, id))? {
        Some(row) => stored::read(txn, account, id, row.value()).map(Some),
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
