//! The store's own tables (the schema version, the id sequences); every domain declares its
//! own in its `tables` module and registers them (see [`super::registry`]).

use super::{Table, WriteTxn};

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
