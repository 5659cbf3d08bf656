//! What the rights domain stores itself — the retention rule and the warnings it sent — and the
//! one place that reads and writes it.

use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::ids::AccountId;
use crate::model::rights::{RetentionSettings, RetentionWarning};
use crate::store::{AnyTable, ReadTable, Reader, Table, WriteTxn, decode, encode};

/// Name → JSON: the retention rule (`retention`), and the day of the last sweep (`swept`).
pub(crate) const RIGHTS_SETTINGS: Table<&str, &[u8]> = Table::new("rights_settings");
/// Account → (warned at, erase at) in µs: accounts warned for inactivity.
pub(crate) const RIGHTS_WARNED: Table<u64, (i64, i64)> = Table::new("rights_warned");
/// (erase at in µs, account) → (): warned accounts by the time their erasure is due.
pub(crate) const RIGHTS_ERASE_DUE: Table<(i64, u64), ()> = Table::new("rights_erase_due");

/// Every table of the domain.
pub(crate) const TABLES: &[&dyn AnyTable] = &[&RIGHTS_SETTINGS, &RIGHTS_WARNED, &RIGHTS_ERASE_DUE];

pub(crate) fn settings(txn: &impl Reader) -> Result<RetentionSettings> {
    match txn.table(RIGHTS_SETTINGS)?.get("retention")? {
        Some(row) => decode(row.value(), || "the retention settings".to_string()),
        None => Ok(RetentionSettings::default()),
    }
}

pub(crate) fn save_settings(txn: &WriteTxn, settings: &RetentionSettings) -> Result<()> {
    txn.open_table(RIGHTS_SETTINGS)?.put("retention", encode(settings)?.as_slice())?;
    Ok(())
}

/// The day (days since 1970) of the last sweep for inactive accounts.
pub(crate) fn swept_on(txn: &impl Reader) -> Result<Option<i64>> {
    match txn.table(RIGHTS_SETTINGS)?.get("swept")? {
        Some(row) => decode(row.value(), || "the last sweep".to_string()),
        None => Ok(None),
    }
}

pub(crate) fn set_swept_on(txn: &WriteTxn, day: i64) -> Result<()> {
    txn.open_table(RIGHTS_SETTINGS)?.put("swept", encode(&Some(day))?.as_slice())?;
    Ok(())
}

/// Records a warning and when its erasure is due.
pub(crate) fn warn(txn: &WriteTxn, warning: &RetentionWarning) -> Result<()> {
    let (at, due) = (warning.warned_at.timestamp_micros(), warning.erase_at.timestamp_micros());
    txn.open_table(RIGHTS_WARNED)?.put(warning.account.0, (at, due))?;
    txn.open_table(RIGHTS_ERASE_DUE)?.put((due, warning.account.0), ())?;
    Ok(())
}

/// Whether `account` has a warning pending.
pub(crate) fn is_warned(txn: &impl Reader, account: AccountId) -> Result<bool> {
    Ok(txn.table(RIGHTS_WARNED)?.get(account.0)?.is_some())
}

/// Every pending warning, in account order.
pub(crate) fn warnings(txn: &impl Reader) -> Result<Vec<RetentionWarning>> {
    let mut found = Vec::new();
    for row in txn.table(RIGHTS_WARNED)?.range::<u64>(..)? {
        let (account, times) = row?;
        let (warned, due) = times.value();
        found.push(RetentionWarning {
            account: AccountId(account.value()),
            warned_at: time(warned)?,
            erase_at: time(due)?,
        });
    }
    Ok(found)
}

/// Takes up to `limit` warnings whose erasure is due by `now` out of the due index and the
/// warnings, returning them.
pub(crate) fn take_due(txn: &WriteTxn, now: Timestamp, limit: usize) -> Result<Vec<RetentionWarning>> {
    let due: Vec<(i64, u64)> = txn
        .open_table(RIGHTS_ERASE_DUE)?
        .range(..=(now.timestamp_micros(), u64::MAX))?
        .take(limit)
        .map(|r| r.map(|(k, _)| k.value()))
        .collect::<std::result::Result<_, _>>()?;
    let mut taken = Vec::new();
    for (at, account) in due {
        txn.open_table(RIGHTS_ERASE_DUE)?.delete((at, account))?;
        if let Some(times) = txn.open_table(RIGHTS_WARNED)?.remove(account)? {
            let (warned, due) = times.value();
            taken.push(RetentionWarning {
                account: AccountId(account),
                warned_at: time(warned)?,
                erase_at: time(due)?,
            });
        }
    }
    Ok(taken)
}

/// Forgets a warning (the account was erased another way).
pub(crate) fn forget(txn: &WriteTxn, account: AccountId) -> Result<()> {
    if let Some(times) = txn.open_table(RIGHTS_WARNED)?.remove(account.0)? {
        let (_, due) = times.value();
        txn.open_table(RIGHTS_ERASE_DUE)?.delete((due, account.0))?;
    }
    Ok(())
}

fn time(micros: i64) -> Result<Timestamp> {
    Timestamp::from_timestamp_micros(micros)
        .ok_or_else(|| Error::storage(format!("a retention time {micros} is out of range")))
}
