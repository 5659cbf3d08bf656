//! The only code that reads and writes the notices' tables: the choices, the outbox and its
//! one-push-per-account index, and their part in the person's rights.

use std::collections::hash_map::{self, HashMap};

use serde::{Deserialize, Serialize};

use super::NoticeSettings;
use super::tables::{NOTICE_CHOICES, NOTICE_OUTBOX, NOTICE_PUSH_QUEUED};
use crate::error::Result;
use crate::ids::AccountId;
use crate::store::{
    Ahead, Dossier, Erasure, Person, Personal, ReadTable, ReadTxn, Reader, WriteTxn, decode, encode, next_id,
};

/// The notices' registration with the person's rights.
pub(crate) const PERSONAL: Personal = Personal { export, erase };

/// One entry of the outbox: who, by which channel, which notification, how often it failed.
/// It holds no text and no address: both are looked up when it is sent, so a notification or
/// an address removed meanwhile is never sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Entry {
    pub account: AccountId,
    pub channel: Channel,
    /// Failed attempts so far.
    pub attempts: u32,
}

/// How an entry leaves the platform.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub(crate) enum Channel {
    /// An e-mail about inbox notification `notification`.
    Email { notification: u64 },
    /// A push hook call saying only that there are new notices.
    Push,
}

/// Where an entry lies in the outbox: its due second and its id.
pub(crate) type Slot = (u64, u64);

/// `ahead` with the notice choices of `accounts`, which queueing their notices reads.
pub(crate) fn choices_ahead(ahead: Ahead, accounts: &[AccountId]) -> Ahead {
    accounts.iter().fold(ahead, |ahead, account| ahead.row(NOTICE_CHOICES, account.0))
}

/// The account's choice; the default (everything off) when it has none.
pub(crate) fn choice(txn: &impl Reader, account: AccountId) -> Result<NoticeSettings> {
    match txn.table(NOTICE_CHOICES)?.get(account.0)? {
        Some(row) => decode(row.value(), || format!("notice choice of account {account}")),
        None => Ok(NoticeSettings::default()),
    }
}

/// Stores the account's choice; everything off removes its row (nothing kept that is not needed).
pub(crate) fn set_choice(txn: &WriteTxn, account: AccountId, settings: &NoticeSettings) -> Result<()> {
    let mut table = txn.open_table(NOTICE_CHOICES)?;
    if settings.is_off() {
        table.delete(account.0)?;
    } else {
        table.put(account.0, encode(settings)?.as_slice())?;
    }
    Ok(())
}

/// Queues the channels each account chose for its new notification `(account, id)`, due at
/// `due`: an e-mail per notification, one push per account until it is sent. Each account's
/// choice is read once, however many notifications it got (a publication's alerts).
pub(crate) fn queue(txn: &WriteTxn, written: &[(AccountId, u64)], due: u64) -> Result<()> {
    let mut wanted = Vec::new();
    {
        let choices = txn.open_table(NOTICE_CHOICES)?;
        let mut chosen: HashMap<AccountId, Option<NoticeSettings>> = HashMap::new();
        for &(account, id) in written {
            let settings = match chosen.entry(account) {
                hash_map::Entry::Occupied(known) => known.into_mut(),
                hash_map::Entry::Vacant(new) => new.insert(match choices.get(account.0)? {
                    Some(row) => Some(decode(row.value(), || format!("notice choice of account {account}"))?),
                    None => None,
                }),
            };
            if let Some(settings) = settings {
                wanted.push((account, id, settings.clone()));
            }
        }
    }
    for (account, id, settings) in wanted {
        if settings.email {
            insert(txn, due, &Entry { account, channel: Channel::Email { notification: id }, attempts: 0 })?;
        }
        if settings.push && txn.open_table(NOTICE_PUSH_QUEUED)?.get(account.0)?.is_none() {
            let slot = insert(txn, due, &Entry { account, channel: Channel::Push, attempts: 0 })?;
            txn.open_table(NOTICE_PUSH_QUEUED)?.put(account.0, slot.1)?;
        }
    }
    Ok(())
}

/// Puts `entry` into the outbox due at `due`; its slot.
fn insert(txn: &WriteTxn, due: u64, entry: &Entry) -> Result<Slot> {
    let slot = (due, next_id(txn, "notice_outbox")?);
    txn.open_table(NOTICE_OUTBOX)?.put(slot, encode(entry)?.as_slice())?;
    Ok(slot)
}

/// Up to `limit` entries due by second `now`, earliest first.
pub(crate) fn due(txn: &impl Reader, now: u64, limit: usize) -> Result<Vec<(Slot, Entry)>> {
    let table = txn.table(NOTICE_OUTBOX)?;
    let mut out = Vec::new();
    for row in table.range((0, 0)..=(now, u64::MAX))?.take(limit) {
        let (key, bytes) = row?;
        let slot = key.value();
        out.push((slot, decode(bytes.value(), || format!("outbox entry {}", slot.1))?));
    }
    Ok(out)
}

/// The entry in `slot`, if it is still there.
pub(crate) fn load(txn: &impl Reader, slot: Slot) -> Result<Option<Entry>> {
    match txn.table(NOTICE_OUTBOX)?.get(slot)? {
        Some(row) => decode(row.value(), || format!("outbox entry {}", slot.1)).map(Some),
        None => Ok(None),
    }
}

/// Moves the entry in `slot` to second `due` (a claim's lease, a retry), with `entry` as it is
/// now; its new slot.
pub(crate) fn reschedule(txn: &WriteTxn, slot: Slot, due: u64, entry: &Entry) -> Result<Slot> {
    let mut table = txn.open_table(NOTICE_OUTBOX)?;
    table.delete(slot)?;
    table.put((due, slot.1), encode(entry)?.as_slice())?;
    Ok((due, slot.1))
}

/// Takes the entry in `slot` out of the outbox (sent, dropped or no longer wanted).
pub(crate) fn remove(txn: &WriteTxn, slot: Slot, entry: &Entry) -> Result<()> {
    txn.open_table(NOTICE_OUTBOX)?.delete(slot)?;
    if entry.channel == Channel::Push {
        txn.open_table(NOTICE_PUSH_QUEUED)?.delete(entry.account.0)?;
    }
    Ok(())
}

/// Entries waiting in the outbox (for the integrity figures).
pub(crate) fn waiting(txn: &impl Reader) -> Result<u64> {
    txn.table(NOTICE_OUTBOX)?.len()
}

/// What an export shows of a waiting entry: the channel, the attempts and when it is due.
#[derive(Serialize)]
struct Waiting {
    channel: Channel,
    attempts: u32,
    due: u64,
}

fn export(txn: &ReadTxn, person: &Person, dossier: &mut Dossier) -> Result<()> {
    dossier.add("notice_choice", ABOUT_CHOICE, &[choice(txn, person.account)?])?;
    let mut waiting = Vec::new();
    for row in txn.table(NOTICE_OUTBOX)?.iter()? {
        let (key, bytes) = row?;
        let (due, id) = key.value();
        let entry: Entry = decode(bytes.value(), || format!("outbox entry {id}"))?;
        if entry.account == person.account {
            waiting.push(Waiting { channel: entry.channel, attempts: entry.attempts, due });
        }
    }
    dossier.add("notices_waiting", ABOUT_WAITING, &waiting)
}

fn erase(txn: &WriteTxn, erasure: &mut Erasure) -> Result<()> {
    let me = erasure.person.account;
    let had_choice = txn.open_table(NOTICE_CHOICES)?.remove(me.0)?.is_some();
    txn.open_table(NOTICE_PUSH_QUEUED)?.delete(me.0)?;
    let mut removed = 0;
    let mut failed = None;
    txn.open_table(NOTICE_OUTBOX)?.retain(|(_, id), bytes| {
        match decode::<Entry>(bytes, || format!("outbox entry {id}")) {
            Ok(entry) if entry.account == me => {
                removed += 1;
                false
            }
            Ok(_) => true,
            Err(e) => {
                failed.get_or_insert(e);
                true
            }
        }
    })?;
    if let Some(e) = failed {
        return Err(e);
    }
    erasure.count("notice choice", u64::from(had_choice));
    erasure.count("notices waiting to be sent", removed);
    Ok(())
}

const ABOUT_CHOICE: &str = "Which notices leave the platform for the account: `email` (to the account's e-mail \
address), `push` (a call of the app's push hook at `push_url`, saying only that there are new notices).";
const ABOUT_WAITING: &str = "Notices waiting to be sent: the channel (`email` names the inbox notification it is \
about, `push` carries no content), failed attempts so far, and when the next attempt is due (seconds since 1970).";
