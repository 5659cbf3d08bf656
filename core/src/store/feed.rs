//! The change feed for device replicas: which rows of the watched tables each commit wrote.
//!
//! A [`WriteTxn`] notes the encoded key of every row inserted or removed through a
//! [`super::TableMut`] of a watched table; when the transaction commits, the notes become one
//! entry of [`CHANGES`] under the next number of the `store_changes` sequence, in the same
//! transaction, so an entry exists exactly when its writes do. Domain code does not change.
//! Which tables are watched is the platform's choice ([`super::Opening::feed`]); the store only
//! records keys, never values: what a change means, and who may see it, the sync module
//! decides on the server by reading the records again through the read operations.

use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};

use super::tables::CHANGES;
use super::types::{Key, decode_whole};
use super::{ReadTable, Reader, Store, WriteTxn};
use crate::error::{Error, Result};

/// The keys a write transaction changed in the watched tables, in order, duplicates dropped.
#[derive(Default)]
pub(crate) struct Watch {
    tables: &'static [&'static str],
    touched: Mutex<Touched>,
}

/// The noted keys in the order first noted, and the same keys hashed: a transaction that writes
/// many keys (a batch of publications and their alerts) must not compare each new key with
/// every earlier one (that made 1,000 publications with alerts take minutes).
#[derive(Default)]
struct Touched {
    order: Vec<(&'static str, Vec<u8>)>,
    seen: HashSet<(&'static str, Vec<u8>)>,
}

impl Watch {
    pub(super) fn new(tables: &'static [&'static str]) -> Self {
        Watch { tables, touched: Mutex::default() }
    }

    /// `Some(name)` when writes to the table `name` are noted.
    pub(super) fn watches(&self, name: &'static str) -> Option<&'static str> {
        self.tables.contains(&name).then_some(name)
    }

    pub(super) fn note(&self, table: &'static str, key: Vec<u8>) {
        let mut touched = self.touched.lock().unwrap_or_else(PoisonError::into_inner);
        if touched.seen.insert((table, key.clone())) {
            touched.order.push((table, key));
        }
    }

    fn take(&self) -> Vec<(&'static str, Vec<u8>)> {
        std::mem::take(&mut *self.touched.lock().unwrap_or_else(PoisonError::into_inner)).order
    }
}

/// Appends the transaction's noted changes as one feed entry (nothing when it noted none).
pub(super) fn append(txn: &WriteTxn) -> Result<()> {
    let touched = txn.1.take();
    if touched.is_empty() {
        return Ok(());
    }
    // No entry can commit before one with a smaller number, so a reader that has seen N has
    // seen everything up to N (on PostgreSQL the number is drawn under a lock held to the
    // commit: `WriteTxn::put_feed_entry`).
    let bytes = serde_json::to_vec(&touched).map_err(|e| Error::storage(format!("cannot encode a feed entry: {e}")))?;
    txn.put_feed_entry(&bytes)
}

/// One committed transaction's changed rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub sequence: u64,
    pub rows: Vec<(String, Vec<u8>)>,
}

/// A window of the feed: the entries after a cursor, and where the feed stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Window {
    pub entries: Vec<Entry>,
    /// The smallest sequence still kept (`None` when the feed is empty).
    pub oldest: Option<u64>,
    /// The largest sequence written so far (0 before the first).
    pub head: u64,
}

impl Store {
    /// Up to `limit` feed entries after `after`, oldest first.
    pub(crate) fn changes_after(&self, after: u64, limit: usize) -> Result<Window> {
        let txn = self.read()?;
        let table = txn.table(CHANGES)?;
        let oldest = table.iter()?.next().transpose()?.map(|(k, _)| k.value());
        let head = table.iter()?.next_back().transpose()?.map_or(0, |(k, _)| k.value());
        let mut entries = Vec::new();
        for row in table.range(after.saturating_add(1)..)?.take(limit) {
            let (sequence, bytes) = row?;
            let rows: Vec<(String, Vec<u8>)> = serde_json::from_slice(bytes.value())
                .map_err(|e| Error::storage(format!("feed entry {} is unreadable: {e}", sequence.value())))?;
            entries.push(Entry { sequence: sequence.value(), rows });
        }
        Ok(Window { entries, oldest, head })
    }

    /// Creates the feed table in a file written before it existed.
    pub(super) fn ensure_feed(&self) -> Result<()> {
        let present = self.read()?.table_names()?.iter().any(|n| n == CHANGES.name());
        if !present {
            self.write(|txn| txn.open_table(CHANGES).map(|_| ()))?;
        }
        Ok(())
    }
}

/// Drops the oldest entries so that at most `keep` remain, at most `batch` of them; returns how
/// many it dropped and whether more are due.
pub(crate) fn trim(txn: &WriteTxn, keep: u64, batch: usize) -> Result<(u64, bool)> {
    let mut table = txn.open_table(CHANGES)?;
    let excess = table.len()?.saturating_sub(keep);
    let Some(first) = table.iter()?.next().transpose()?.map(|(k, _)| k.value()) else { return Ok((0, false)) };
    let drop = excess.min(batch as u64);
    if drop > 0 {
        // Entries are numbered without gaps, so the oldest `drop` are one range.
        table.retain_in(first..first + drop, |_, _| false)?;
    }
    Ok((drop, excess > drop))
}

/// Reads a key of table type `K` back from the bytes the feed noted.
pub(crate) fn decode_key<K: Key>(bytes: &[u8]) -> Result<K::Owned> {
    decode_whole::<K>(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{Durability, Opening, Table};

    const WATCHED: Table<u64, u64> = Table::new("watched");
    const OTHER: Table<u64, u64> = Table::new("other");

    fn store() -> Store {
        let at = Opening { now: chrono::Utc::now(), domains: &[], feed: &["watched"], quick_repair: false };
        Store::in_memory(Durability::Immediate, at).unwrap()
    }

    fn keys(window: &Window) -> Vec<Vec<u64>> {
        let key = |(_, k): &(String, Vec<u8>)| decode_key::<u64>(k).unwrap();
        window.entries.iter().map(|e| e.rows.iter().map(key).collect()).collect()
    }

    #[test]
    fn each_commit_notes_the_watched_keys_it_wrote_once_in_order() {
        let store = store();
        store.write(|txn| txn.open_table(OTHER)?.insert(9, 9).map(|_| ())).unwrap();
        store
            .write(|txn| {
                let mut t = txn.open_table(WATCHED)?;
                for k in [3, 1, 3] {
                    t.insert(k, 0)?;
                }
                Ok(())
            })
            .unwrap();
        store.write(|txn| txn.open_table(WATCHED)?.retain(|k, _| k != 1)).unwrap();
        store.write(|txn| txn.open_table(WATCHED)?.remove(3).map(|_| ())).unwrap();
        let window = store.changes_after(0, 10).unwrap();
        assert_eq!(keys(&window), vec![vec![3, 1], vec![1], vec![3]], "the unwatched write is not in the feed");
        assert_eq!((window.oldest, window.head), (Some(1), 3));
        assert_eq!(keys(&store.changes_after(2, 10).unwrap()), vec![vec![3]]);
    }

    #[test]
    fn trimming_keeps_the_newest_entries_in_batches() {
        let store = store();
        for k in 0..10 {
            store.write(|txn| txn.open_table(WATCHED)?.insert(k, k).map(|_| ())).unwrap();
        }
        assert_eq!(store.write(|txn| trim(txn, 4, 5)).unwrap(), (5, true));
        assert_eq!(store.write(|txn| trim(txn, 4, 5)).unwrap(), (1, false));
        assert_eq!(store.write(|txn| trim(txn, 4, 5)).unwrap(), (0, false));
        let window = store.changes_after(0, 100).unwrap();
        assert_eq!((window.oldest, window.head, window.entries.len()), (Some(7), 10, 4));
    }
}
