//! The inbox's part in the person's rights (`crate::rights`): the person's own notifications
//! for an export; for an erasure, their inbox goes, and other people's notifications that
//! name them (a reply by them, a thread they started) name "former member" instead.

use super::tables::INBOX;
use super::{Event, Notification, stored};
use crate::error::Result;
use crate::ids::AccountId;
use crate::store::{Domain, Dossier, Erasure, Person, Personal, ReadTable, ReadTxn, Reader, WriteTxn};

/// The inbox's registration with the person's rights.
pub(crate) const PERSONAL: Personal = Personal { export, erase };

fn export(txn: &ReadTxn, person: &Person, dossier: &mut Dossier) -> Result<()> {
    dossier.add("inbox", ABOUT_INBOX, &own(txn, person.account)?)
}

/// Every notification of `account`, oldest first.
fn own(txn: &impl Reader, account: AccountId) -> Result<Vec<Notification>> {
    let table = txn.table(INBOX)?;
    let mut found = Vec::new();
    for row in table.range((account, 0)..=(account, u64::MAX))? {
        let (key, bytes) = row?;
        let (account, id) = key.value();
        found.push(stored::read(account, id, bytes.value())?);
    }
    Ok(found)
}

fn erase(txn: &WriteTxn, erasure: &mut Erasure) -> Result<()> {
    let me = erasure.person.account;
    let mut table = txn.open_table(INBOX)?;
    let mut removed = 0;
    table.retain_in((me, 0)..=(me, u64::MAX), |_, _| {
        removed += 1;
        false
    })?;
    erasure.count("notifications", removed);
    // Other people's notifications that name the person: rewritten in place.
    let mut rewritten = Vec::new();
    for row in table.range::<(u64, u64)>(..)? {
        let (key, bytes) = row?;
        let (account, id) = key.value();
        let mut n = stored::read(account, id, bytes.value())?;
        if forget_author(&mut n.event, erasure) {
            rewritten.push(((account, id), stored::write(&n)?));
        }
    }
    erasure.count("notifications naming them", rewritten.len() as u64);
    for (key, bytes) in rewritten {
        table.insert(key, bytes.as_slice())?;
    }
    Ok(())
}

/// Replaces the person's pseudonym as the author of `event` (and, when their content was
/// deleted, the title of a thread they started). Whether anything changed.
fn forget_author(event: &mut Event, erasure: &Erasure) -> bool {
    let name = erasure.person.pseudonym.as_str();
    let thread_gone = |thread: u64| erasure.content_deleted && erasure.authored.contains(&format!("thread:{thread}"));
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

/// Notification `id` of `account`, if it is still there (for a notice about it).
pub(crate) fn load(txn: &impl Reader, account: AccountId, id: u64) -> Result<Option<Notification>> {
    match txn.table(INBOX)?.get((account, id))? {
        Some(row) => stored::read(account, id, row.value()).map(Some),
        None => Ok(None),
    }
}

/// How many of `account`'s notifications are unread (the count a push hook gets).
pub(crate) fn unread(txn: &impl Reader, account: AccountId) -> Result<u64> {
    let mut n = 0;
    for row in txn.table(INBOX)?.range((account, 0)..=(account, u64::MAX))? {
        let (key, bytes) = row?;
        let (account, id) = key.value();
        n += u64::from(!stored::read(account, id, bytes.value())?.read);
    }
    Ok(n)
}
