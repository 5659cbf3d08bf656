//! The store's own tables (the schema version, the id sequences); every domain declares its
//! own in its `tables` module and registers them (see [`super::registry`]).

use super::{ReadTable, Reader, Table, WriteTxn};

use crate::error::Result;

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
pub(crate) fn version(txn: &impl Reader, name: &str) -> Result<u64> {
    Ok(txn.table(SEQUENCES)?.get(name)?.map_or(0, |v| v.value()))
}
