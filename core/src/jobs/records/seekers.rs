//! How seeker profiles are stored: one record per account, keyed by the account id.

use super::super::seekers::SeekerProfile;
use super::super::tables::SEEKERS;
use crate::error::Result;
use crate::ids::AccountId;
use crate::store::{ReadTable, Reader, WriteTxn, decode, encode};

/// The seeker profile of `account`, if there is one.
pub(crate) fn profile(txn: &impl Reader, account: AccountId) -> Result<Option<SeekerProfile>> {
    let table = txn.table(SEEKERS)?;
    let row = table.get(account)?;
    row.map(|r| decode(r.value(), || format!("seeker profile {account}"))).transpose()
}

/// Writes the profile of `account`, new or changed.
pub(crate) fn save_profile(txn: &WriteTxn, account: AccountId, profile: &SeekerProfile) -> Result<()> {
    txn.open_table(SEEKERS)?.insert(account, encode(profile)?.as_slice())?;
    Ok(())
}

/// Removes the profile of `account`; whether there was one.
pub(crate) fn remove_profile(txn: &WriteTxn, account: AccountId) -> Result<bool> {
    Ok(txn.open_table(SEEKERS)?.remove(account)?.is_some())
}

/// Visits profiles in account order from `start`, one at a time, until `visit` returns `false`.
pub(crate) fn visit_profiles(
    txn: &impl Reader,
    start: AccountId,
    mut visit: impl FnMut(SeekerProfile) -> Result<bool>,
) -> Result<()> {
    for row in txn.table(SEEKERS)?.range(start..)? {
        let (id, bytes) = row?;
        if !visit(decode(bytes.value(), || format!("seeker profile {}", id.value()))?)? {
            break;
        }
    }
    Ok(())
}
