//! How saved searches are stored: each search as a record, its owner's list, and the alert
//! indexes that hold a compiled copy of each (see `jobs::alerts`): under every grid cell a
//! located search reaches, among the searches that also want remote postings, or among those
//! without a place.

use serde::{Deserialize, Serialize};

use super::super::alerts::{SavedSearch, SavedSearchId};
use super::super::tables::{ALERT_ANYWHERE, ALERT_CELLS, ALERT_REMOTE, SAVED_SEARCHES, SAVED_SEARCHES_BY_OWNER};
use crate::error::{Error, Result};
use crate::ids::AccountId;
use crate::store::{ReadTable, Reader, Sealed, WriteTxn, decode, encode, seal, sealing_many};

/// Where a search is filed for alerts.
pub(crate) enum AlertPlaces {
    /// Under each of these grid cells, and among the remote searches if it wants those too.
    Cells { cells: Vec<u32>, remote: bool },
    /// Among the searches without a place (they see every posting).
    Anywhere,
}

/// A saved search as stored since schema version 19: the search with its name empty, and the
/// name — the person's own words — sealed under their data key (crypto-shredding,
/// `docs/erasure.md`). The query stays plain: its compiled copy in the alert indexes is what
/// every new posting is matched against.
#[derive(Serialize, Deserialize)]
struct Stored {
    search: SavedSearch,
    name: Sealed,
}

/// A saved-search record in either shape: [`Stored`] (version 19 on) or the search as it is
/// (before); a search starts with its id, a stored record with the search.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum AnyShape {
    Stored(Stored),
    Before19(SavedSearch),
}

/// Where a search's name is sealed (its associated data): it opens nowhere else.
fn name_place(id: SavedSearchId) -> Vec<u8> {
    [b"saved-search-name\0".as_slice(), &id.to_be_bytes()].concat()
}

impl AnyShape {
    /// The search, its name opened; a storage error (naming the search, never its name) when
    /// the owner's key is gone.
    fn open(self, txn: &impl Reader) -> Result<SavedSearch> {
        match self {
            AnyShape::Before19(search) => Ok(search),
            AnyShape::Stored(Stored { mut search, name }) => {
                let id = search.id;
                search.name =
                    name.open(txn, search.owner, &name_place(id), || format!("the name of saved search {id}"))?;
                Ok(search)
            }
        }
    }
}

/// The search of a stored record, its name opened (either shape).
pub(crate) fn from_stored(txn: &impl Reader, id: SavedSearchId, bytes: &[u8]) -> Result<SavedSearch> {
    decode::<AnyShape>(bytes, || format!("saved search {id}"))?.open(txn)
}

/// Loads a saved search; `NotFound` when there is none.
pub(crate) fn load(txn: &impl Reader, id: SavedSearchId) -> Result<SavedSearch> {
    let table = txn.table(SAVED_SEARCHES)?;
    let row = table.get(id)?.ok_or_else(|| Error::not_found("saved search", id))?;
    from_stored(txn, id, row.value())
}

/// The stored bytes of `search`, its name sealed under its owner's key.
fn to_stored(txn: &WriteTxn, search: &SavedSearch) -> Result<Vec<u8>> {
    let name = seal(txn, search.owner, &name_place(search.id), &search.name)?;
    encode(&AnyShape::Stored(Stored { search: SavedSearch { name: String::new(), ..search.clone() }, name }))
}

/// Writes a new saved search and lists it under its owner.
pub(crate) fn insert(txn: &WriteTxn, search: &SavedSearch) -> Result<()> {
    txn.open_table(SAVED_SEARCHES)?.put(search.id, to_stored(txn, search)?.as_slice())?;
    txn.open_table(SAVED_SEARCHES_BY_OWNER)?.put((search.owner.0, search.id), ())?;
    Ok(())
}

/// Deletes a saved search and its owner's entry (its alert places go with [`unfile`]).
pub(crate) fn delete(txn: &WriteTxn, owner: AccountId, id: SavedSearchId) -> Result<()> {
    txn.open_table(SAVED_SEARCHES)?.delete(id)?;
    txn.open_table(SAVED_SEARCHES_BY_OWNER)?.delete((owner.0, id))?;
    Ok(())
}

/// The ids of `owner`'s saved searches, oldest first.
pub(crate) fn owned(txn: &impl Reader, owner: AccountId) -> Result<Vec<SavedSearchId>> {
    let table = txn.table(SAVED_SEARCHES_BY_OWNER)?;
    table.range((owner.0, 0)..=(owner.0, u64::MAX))?.map(|r| r.map(|(k, _)| k.value().1)).collect()
}

/// `owner`'s saved searches that still read, oldest first (a missing record is skipped).
pub(crate) fn searches_of(txn: &impl Reader, owner: AccountId) -> Result<Vec<SavedSearch>> {
    owned_records(txn, owner, |_, any| any.open(txn))
}

/// `owner`'s saved searches with their names left sealed (empty), for an erasure: it needs
/// only the queries, and runs again after a failed commit even though the key is gone.
pub(crate) fn searches_unopened(txn: &impl Reader, owner: AccountId) -> Result<Vec<SavedSearch>> {
    owned_records(txn, owner, |_, any| {
        Ok(match any {
            AnyShape::Stored(stored) => stored.search,
            AnyShape::Before19(search) => search,
        })
    })
}

fn owned_records(
    txn: &impl Reader,
    owner: AccountId,
    read: impl Fn(SavedSearchId, AnyShape) -> Result<SavedSearch>,
) -> Result<Vec<SavedSearch>> {
    let ids = owned(txn, owner)?;
    let table = txn.table(SAVED_SEARCHES)?;
    let mut found = Vec::new();
    for id in ids {
        if let Some(row) = table.get(id)? {
            found.push(read(id, decode(row.value(), || format!("saved search {id}"))?)?);
        }
    }
    Ok(found)
}

/// Version 19: every saved search written before has its name sealed under its owner's key
/// (a new key for each owner without one); how many.
pub(crate) fn seal_names_v19(txn: &WriteTxn) -> Result<u64> {
    let mut plain = Vec::new();
    for row in txn.table(SAVED_SEARCHES)?.iter()? {
        let (id, bytes) = row?;
        let id = id.value();
        if let AnyShape::Before19(search) = decode(bytes.value(), || format!("saved search {id}"))? {
            plain.push(search);
        }
    }
    sealing_many(txn, || {
        let mut table = txn.open_table(SAVED_SEARCHES)?;
        for search in &plain {
            table.put(search.id, to_stored(txn, search)?.as_slice())?;
        }
        Ok(plain.len() as u64)
    })
}

/// Rewrites every compiled form in the alert indexes through `rewrite` (a migration); how
/// many rows.
pub(crate) fn rewrite_filed(txn: &WriteTxn, rewrite: impl Fn(SavedSearchId, &[u8]) -> Result<Vec<u8>>) -> Result<u64> {
    let mut cells = Vec::new();
    for row in txn.table(ALERT_CELLS)?.iter()? {
        let (key, bytes) = row?;
        let (cell, id) = key.value();
        cells.push(((cell, id), rewrite(id, bytes.value())?));
    }
    let mut table = txn.open_table(ALERT_CELLS)?;
    for (key, bytes) in &cells {
        table.put(*key, bytes.as_slice())?;
    }
    drop(table);
    let mut rows = cells.len() as u64;
    for index in [ALERT_REMOTE, ALERT_ANYWHERE] {
        let mut rewritten = Vec::new();
        for row in txn.table(index)?.iter()? {
            let (id, bytes) = row?;
            rewritten.push((id.value(), rewrite(id.value(), bytes.value())?));
        }
        let mut table = txn.open_table(index)?;
        for (id, bytes) in &rewritten {
            table.put(*id, bytes.as_slice())?;
        }
        rows += rewritten.len() as u64;
    }
    Ok(rows)
}

/// Files search `id`'s compiled form (`filed`) in the alert indexes.
pub(crate) fn file(txn: &WriteTxn, id: SavedSearchId, places: AlertPlaces, filed: &[u8]) -> Result<()> {
    match places {
        AlertPlaces::Cells { cells, remote } => {
            let mut table = txn.open_table(ALERT_CELLS)?;
            for cell in cells {
                table.put((cell, id), filed)?;
            }
            if remote {
                txn.open_table(ALERT_REMOTE)?.put(id, filed)?;
            }
        }
        AlertPlaces::Anywhere => {
            txn.open_table(ALERT_ANYWHERE)?.put(id, filed)?;
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
                table.delete((*cell, id))?;
            }
        }
        None => table.retain(|(_, search), _| search != id)?,
    }
    txn.open_table(ALERT_REMOTE)?.delete(id)?;
    txn.open_table(ALERT_ANYWHERE)?.delete(id)?;
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
