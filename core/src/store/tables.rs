//! The store's own tables (the schema version, the id sequences); every domain declares its
//! own in its `tables` module and registers them (see [`super::registry`]).

use std::ops::Bound;

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::codec::{decode, encode, is_compact};
use super::types::{Key, decode_whole, encode_whole};
use super::{ReadTable, Reader, Table, TableMut, WriteTxn};

use crate::error::{Error, Result};

/// Rows one batch of [`compact_records`] holds in memory.
const COMPACTING_BATCH: usize = 10_000;

/// Schema version and other file-wide facts.
pub(crate) const META: Table<&str, u64> = Table::new("meta");
/// Next id per sequence name.
pub(crate) const SEQUENCES: Table<&str, u64> = Table::new("sequences");

/// Change feed sequence → the rows one commit wrote in the watched tables (see
/// [`super::feed`]): a JSON list of `[table, encoded key]`.
pub(crate) const CHANGES: Table<u64, &[u8]> = Table::new("store_changes");

/// Hands out the next id of `sequence`, starting at 1 (see [`WriteTxn::next_ids`]).
pub(crate) fn next_id(txn: &WriteTxn, sequence: &str) -> Result<u64> {
    txn.next_ids(sequence, 1)
}

/// Reserves `count` consecutive ids of `sequence`; returns the first.
pub(crate) fn next_ids(txn: &WriteTxn, sequence: &str, count: u64) -> Result<u64> {
    txn.next_ids(sequence, count)
}

/// Advances the version counter `name` inside this transaction and returns the new value.
///
/// Unlike a sequence ([`next_id`]), which PostgreSQL advances outside the transaction, a
/// version changes exactly when the transaction that changes it commits: a reader that sees
/// the new version also sees the change it stands for. For cache keys (the watched words).
/// Kept in `sequences` under its name, where earlier files already have it.
pub(crate) fn bump_version(txn: &WriteTxn, name: &str) -> Result<u64> {
    let mut table = txn.open_table(SEQUENCES)?;
    let next = table.get(name)?.map_or(0, |v| v.value()) + 1;
    table.insert(name, next)?;
    Ok(next)
}

/// The current value of the version counter `name` (see [`bump_version`]).
/// `ahead` with the row of the version counter `name` ([`version`] reads it).
pub(crate) fn version_ahead(ahead: super::Ahead, name: &str) -> super::Ahead {
    ahead.row(SEQUENCES, name)
}

pub(crate) fn version(txn: &impl Reader, name: &str) -> Result<u64> {
    Ok(txn.table(SEQUENCES)?.get(name)?.map_or(0, |v| v.value()))
}

/// Adds `step` to the counter under `key` (a missing row counts as zero) and removes the row
/// when it falls to zero, so that a domain's report counters hold exactly what its records add
/// up to; `what` names the counter in the error of one that would fall below zero (a damaged
/// file).
pub(crate) fn add_to_counter<'k, K: Key>(
    counters: &mut TableMut<'_, K, u64>,
    key: &K::SelfType<'k>,
    step: i64,
    what: impl FnOnce() -> String,
) -> Result<()> {
    let n = counters.get(key)?.map_or(0, |v| v.value());
    let n = n.checked_add_signed(step).ok_or_else(|| Error::storage(format!("{} would fall below zero", what())))?;
    if n == 0 {
        counters.remove(key)?;
    } else {
        counters.insert(key, n)?;
    }
    Ok(())
}

/// Rewrites every JSON record of `table` in the compact form (schema version 12; see
/// [`super::codec`]), decoding each as `T`, the type it was written as; `what` names a record
/// in errors ("forum post"). Rows already compact are left alone, so running it twice does
/// nothing the second time. Works in batches of keys, so a table of millions of rows needs
/// the memory of one batch; the change feed does not hear of it (the records say the same).
/// Returns how many records it rewrote.
pub(crate) fn compact_records<K: Key, T: Serialize + DeserializeOwned>(
    txn: &WriteTxn,
    table: Table<K, &'static [u8]>,
    what: &str,
) -> Result<u64> {
    let mut rows = txn.open_table_unnoted(table)?;
    let mut after: Option<K::Owned> = None;
    let mut rewritten = 0;
    loop {
        let mut batch: Vec<(K::Owned, Vec<u8>)> = Vec::new();
        let mut last = None;
        {
            let lower = after.as_ref().map_or(Bound::Unbounded, |k| Bound::Excluded(K::borrow_owned(k)));
            for row in rows.range::<K::SelfType<'_>>((lower, Bound::Unbounded))? {
                let (key, bytes) = row?;
                let key = decode_whole::<K>(&encode_whole::<K>(&key.value()))?;
                let bytes = bytes.value();
                if !is_compact(bytes) {
                    let record: T = decode(bytes, || format!("{what} {key:?}"))?;
                    batch.push((key.clone(), encode(&record)?));
                }
                last = Some(key);
                if batch.len() == COMPACTING_BATCH {
                    break;
                }
            }
        }
        rewritten += batch.len() as u64;
        for (key, bytes) in &batch {
            rows.insert(K::borrow_owned(key), bytes.as_slice())?;
        }
        match last {
            Some(key) if batch.len() == COMPACTING_BATCH => after = Some(key),
            _ => return Ok(rewritten),
        }
    }
}
