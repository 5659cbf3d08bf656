//! The database's check of its key file. A redb platform's keys lie in `<file>.keys` beside it,
//! and the key file is created with its first key. Opened without its own key file — a backup
//! restored without it, a copy moved alone, another platform's file put beside it — a platform
//! would otherwise start a new key file: every sealed field would read as erased, and the
//! pseudonym index, keyed by a new index key, would find no one, so a second account could take
//! a pseudonym already in use. So the database records a check value of its index key in its
//! `meta` table, and opening refuses a key file whose index key does not give it.

use super::sealed::INDEX_KEY_HOLDER;
use super::tables::META;
use super::{ReadTable, Reader, Store, WriteTxn};
use crate::crypto::keyed_tag;
use crate::error::{Error, Result};
use crate::store::keystore::KeyStore;

/// The `meta` row holding the check value.
const CHECK_ROW: &str = "key_file_check";

/// The check value of an index key: the first 64 bits of its keyed tag of a fixed text, which
/// tells keys apart without revealing anything of them.
fn check_of(index_key: &[u8]) -> Result<u64> {
    let tag = keyed_tag(index_key, b"key file check", b"trialog")?;
    u64::from_str_radix(&tag[..16], 16).map_err(|e| Error::storage(format!("a key check value: {e}")))
}

/// The check value the database records and the one its key file gives.
fn values(store: &Store) -> Result<(Option<u64>, Option<u64>)> {
    let Some(KeyStore::File(ring)) = &store.keys else { return Ok((None, None)) };
    let recorded = {
        let txn = store.read()?;
        let has_meta = txn.table_names()?.iter().any(|n| n == META.name());
        if has_meta { txn.table(META)?.get(CHECK_ROW)?.map(|v| v.value()) } else { None }
    };
    Ok((recorded, ring.bytes(INDEX_KEY_HOLDER).map(|key| check_of(&key)).transpose()?))
}

/// Refuses to open `store` with a key file that is not its own (missing, or another's), before
/// anything is migrated or sealed. Stores whose keys live in their own database (PostgreSQL)
/// have nothing to check.
pub(super) fn verify(store: &Store) -> Result<()> {
    match values(store)? {
        (Some(recorded), expected) if Some(recorded) != expected => Err(Error::storage(format!(
            "the key file {} is missing or is not this database's own: put the database's own key file \
             beside it (a backup is restored with its key file); without it no personal field can be read",
            key_file(store)
        ))),
        _ => Ok(()),
    }
}

/// Records the check value when the database has none yet but its key file holds an index key
/// (files written before the check existed), once the file is migrated.
pub(super) fn record_if_missing(store: &Store) -> Result<()> {
    let Some(KeyStore::File(ring)) = &store.keys else { return Ok(()) };
    match values(store)? {
        (None, Some(expected)) if !ring.read_only() => store.write(|txn| record(txn, expected)),
        _ => Ok(()),
    }
}

fn key_file(store: &Store) -> String {
    match &store.keys {
        Some(KeyStore::File(ring)) => {
            ring.path().map_or_else(|| "(in memory)".to_string(), |p| p.display().to_string())
        }
        _ => "(none)".to_string(),
    }
}

/// Records the check value of a new index key, in the transaction that made it.
pub(super) fn record_new(txn: &WriteTxn, index_key: &[u8]) -> Result<()> {
    record(txn, check_of(index_key)?)
}

fn record(txn: &WriteTxn, check: u64) -> Result<()> {
    txn.open_table(META)?.insert(CHECK_ROW, check)?;
    Ok(())
}
