//! How saved searches are stored: each search as a record, its owner's list, and the alert
//! indexes that hold a compiled copy of each (see `jobs::alerts`): under every grid cell a
//! located search reaches, among the searches that also want remote postings, or among those
//! without a place.

use super::super::alerts::{SavedSearch, SavedSearchId};
use super::super::tables::{ALERT_ANYWHERE, ALERT_CELLS, ALERT_REMOTE, SAVED_SEARCHES, SAVED_SEARCHES_BY_OWNER};
use crate::error::{Error, Result};
use crate::ids::AccountId;
use crate::store::{ReadTable, Reader, WriteTxn, decode, encode};

/// Where a search is filed for alerts.
pub(crate) enum AlertPlaces {
    /// Under each of these grid cells, and among the remote searches if it wants those too.
    Cells { cells: Vec<u32>, remote: bool },
    /// Among the searches without a place (they see every posting).
    Anywhere,
}

/// Loads a saved search; `NotFound` when there is none.
pub(crate) fn load(txn: &impl Reader, id: SavedSearchId) -> Result<SavedSearch> {
    let table = txn.table(SAVED_SEARCHES)?;
    let row = table.get(id)?.ok_or_else(|| Error::not_found("saved search", id))?;
    decode(row.value(), || format!("saved search {id}"))
}

/// Writes a new saved search and lists it under its owner.
pub(crate) fn insert(txn: &WriteTxn, search: &SavedSearch) -> Result<()> {
    txn.open_table(SAVED_SEARCHES)?.insert(search.id, encode(search)?.as_slice())?;
    txn.open_table(SAVED_SEARCHES_BY_OWNER)?.insert((search.owner, search.id), ())?;
    Ok(())
}

/// Deletes a saved search and its owner's entry (its alert places go with [`unfile`]).
pub(crate) fn delete(txn: &WriteTxn, owner: AccountId, id: SavedSearchId) -> Result<()> {
    txn.open_table(SAVED_SEARCHES)?.remove(id)?;
    txn.open_table(SAVED_SEARCHES_BY_OWNER)?.remove((owner, id))?;
    Ok(())
}

/// The ids of `owner`'s saved searches, oldest first.
pub(crate) fn owned(txn: &impl Reader, owner: AccountId) -> Result<Vec<SavedSearchId>> {
    let table = txn.table(SAVED_SEARCHES_BY_OWNER)?;
    table.range((owner, 0)..=(owner, u64::MAX))?.map(|r| r.map(|(k, _)| k.value().1)).collect()
}

/// `owner`'s saved searches that still read, oldest first (a missing record is skipped).
pub(crate) fn searches_of(txn: &impl Reader, owner: AccountId) -> Result<Vec<SavedSearch>> {
    let ids = owned(txn, owner)?;
    let table = txn.table(SAVED_SEARCHES)?;
    let mut found = Vec::new();
    for id in ids {
        if let Some(row) = table.get(id)? {
            found.push(decode(row.value(), || format!("saved search {id}"))?);
        }
    }
    Ok(found)
}

/// Files search `id`'s compiled form (`filed`) in the alert indexes.
pub(crate) fn file(txn: &WriteTxn, id: SavedSearchId, places: AlertPlaces, filed: &[u8]) -> Result<()> {
    match places {
        AlertPlaces::Cells { cells, remote } => {
            let mut table = txn.open_table(ALERT_CELLS)?;
            for cell in cells {
                table.insert((cell, id), filed)?;
            }
            if remote {
                txn.open_table(ALERT_REMOTE)?.insert(id, filed)?;
            }
        }
        AlertPlaces::Anywhere => {
            txn.open_table(ALERT_ANYWHERE)?.insert(id, filed)?;
        }
    }
    Ok(())
}

/// Takes search `id` out of the alert indexes: out of `cells` when they are known (`None`:
/// every cell is searched for it).
pub(crate) fn unfile(txn: &WriteTxn, id: SavedSearchId, cells: Option<&[u32]>) -> Result<()> {
    let mut table = txn.open_table(ALERT_CELLS)?;
    match cells {
        Some(cells) => {
            for cell in cells {
                table.remove((*cell, id))?;
            }
        }
        None => table.retain(|(_, search), _| search != id)?,
    }
    txn.open_table(ALERT_REMOTE)?.remove(id)?;
    txn.open_table(ALERT_ANYWHERE)?.remove(id)?;
    Ok(())
}

/// Visits (search id, compiled form) of every search that may match a posting: those filed
/// under its `cell`, or for a remote posting (`None`) those that want remote postings; then
/// those without a place.
pub(crate) fn visit_candidates(
    txn: &WriteTxn,
    cell: Option<u32>,
    mut visit: impl FnMut(SavedSearchId, &[u8]) -> Result<()>,
) -> Result<()> {
    match cell {
        Some(cell) => {
            for row in txn.open_table(ALERT_CELLS)?.range((cell, 0)..=(cell, u64::MAX))? {
                let (key, bytes) = row?;
                visit(key.value().1, bytes.value())?;
            }
        }
        None => {
            for row in txn.open_table(ALERT_REMOTE)?.iter()? {
                let (id, bytes) = row?;
                visit(id.value(), bytes.value())?;
            }
        }
    }
    for row in txn.open_table(ALERT_ANYWHERE)?.iter()? {
        let (id, bytes) = row?;
        visit(id.value(), bytes.value())?;
    }
    Ok(())
}
