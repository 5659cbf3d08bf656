//! Copying a whole store into another engine (`trialog store copy`): a redb file into a
//! PostgreSQL schema, and back.
//!
//! Every keyspace — the store's own (`sequences`, `store_changes`, `meta`) and every table the
//! domains register — is read from one snapshot of the source and written into the target in
//! batches, each batch one write transaction. Rows travel as their encoded bytes
//! ([`super::types`]), which are the same on every engine: a key sorts alike on both sides and
//! a checksum of the bytes means the same on both. At the end every keyspace of the target is
//! read again from a new snapshot, and its row count and checksum (BLAKE2b-256 over each row's
//! length-prefixed key and value, in key order) must equal the source's.
//!
//! The key store of crypto-shredding travels too (`docs/erasure.md`): the source's keys —
//! its key file, or its schema `<schema>_keys` — are written into the target's before the
//! rows, then read again from the target and compared by count and checksum (BLAKE2b-256 over
//! each person's id and key, in person order); only the count and the checksum are shown,
//! never a key. A key file written by a copy is 0600, as every key file.
//!
//! The target must be empty: a new file (with no key file beside it), a new schema (with an
//! empty key store), or tables without rows. `meta` (the
//! schema version) is written last, so a copy that stopped half-way is never taken for a
//! platform; the next copy refuses it as not empty (remove the file, or `DROP SCHEMA … CASCADE`,
//! and copy again). Batches commit without waiting for the disk; the last write waits, and
//! makes all before it durable (redb and PostgreSQL both flush in commit order).

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use blake2::Blake2b;
use blake2::digest::Digest;
use blake2::digest::consts::U32;
use serde::Serialize;

use super::registry::AnyTable;
use super::tables::{CHANGES, META, SEQUENCES};
use super::types::{Key, Table, Value, decode_whole, encode_whole};
use super::{Durability, Engine, KeyStore, Keyring, Opening, ReadTable, ReadTxn, Reader, Store};
use crate::crypto::hex;
use crate::error::{Error, Result};

/// Rows per write transaction unless the caller says otherwise.
pub const DEFAULT_BATCH_ROWS: usize = 2000;

/// The page cache of each redb file a copy opens.
const COPY_CACHE_BYTES: usize = 64 << 20;

/// Where a store is: a redb file, or a PostgreSQL schema named by its URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreLocation {
    File(PathBuf),
    /// `postgres://…?schema=NAME` (needs the feature `postgres`).
    Postgres(String),
}

impl StoreLocation {
    /// A `postgres://` or `postgresql://` URL names a schema; anything else is a file path.
    pub fn parse(text: &str) -> StoreLocation {
        if text.starts_with("postgres://") || text.starts_with("postgresql://") {
            StoreLocation::Postgres(text.to_string())
        } else {
            StoreLocation::File(PathBuf::from(text))
        }
    }
}

impl std::fmt::Display for StoreLocation {
    /// A file's path, or a URL without its password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StoreLocation::File(path) => write!(f, "{}", path.display()),
            StoreLocation::Postgres(url) => write!(f, "{}", without_password(url)),
        }
    }
}

/// `postgres://user:secret@host/db` → `postgres://user@host/db`, for messages.
fn without_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    match rest.split_once('@') {
        Some((user, host)) if !user.contains('/') => {
            format!("{scheme}://{}@{host}", user.split(':').next().unwrap_or(user))
        }
        _ => url.to_string(),
    }
}

/// How far a copy has come: rows written of all there are.
#[derive(Debug, Clone, Serialize)]
pub struct CopyProgress {
    /// The keyspace being copied.
    pub keyspace: &'static str,
    pub copied: u64,
    pub total: u64,
}

/// One keyspace as verified on both sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyspaceCopy {
    pub name: &'static str,
    pub rows: u64,
    /// BLAKE2b-256 of the rows in key order, hex.
    pub checksum: String,
}

/// What a finished, verified copy holds.
#[derive(Debug, Clone, Serialize)]
pub struct CopyReport {
    pub keyspaces: Vec<KeyspaceCopy>,
    pub rows: u64,
    /// The people's keys of the key store, as verified on both sides (named `person keys`;
    /// `rows` is their number, `checksum` over their ids and keys).
    pub keys: KeyspaceCopy,
}

/// Row count and checksum of a keyspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tally {
    rows: u64,
    digest: [u8; 32],
}

struct Summing {
    rows: u64,
    hasher: Blake2b<U32>,
}

impl Summing {
    fn new() -> Self {
        Summing { rows: 0, hasher: Blake2b::new() }
    }

    fn add(&mut self, key: &[u8], value: &[u8]) {
        self.rows += 1;
        for part in [key, value] {
            self.hasher.update((part.len() as u64).to_be_bytes());
            self.hasher.update(part);
        }
    }

    fn finish(self) -> Tally {
        Tally { rows: self.rows, digest: self.hasher.finalize().into() }
    }
}

/// Rows of one keyspace on their way, as encoded bytes.
pub(crate) type Batch = Vec<(Vec<u8>, Vec<u8>)>;

/// Copies every row of `table` from the snapshot `from` into `to`, `batch` rows per write;
/// `copied(n)` after each batch. Returns the source's tally.
pub(crate) fn copy_table<K: Key, V: Value>(
    table: Table<K, V>,
    from: &ReadTxn,
    to: &Store,
    batch: usize,
    copied: &mut dyn FnMut(u64),
) -> Result<Tally> {
    let mut sum = Summing::new();
    let mut rows: Batch = Vec::with_capacity(batch);
    let flush = |rows: &Batch| to.write_with(Durability::Eventual, |txn| txn.open_table(table)?.load(rows));
    for row in from.table(table)?.iter()? {
        let (key, value) = row?;
        let (key, value) = (encode_whole::<K>(&key.value()), encode_whole::<V>(&value.value()));
        sum.add(&key, &value);
        rows.push((key, value));
        if rows.len() >= batch {
            flush(&rows)?;
            copied(rows.len() as u64);
            rows.clear();
        }
    }
    if !rows.is_empty() {
        flush(&rows)?;
        copied(rows.len() as u64);
    }
    Ok(sum.finish())
}

/// Row count and checksum of `table` in `txn`.
pub(crate) fn tally_table<K: Key, V: Value>(table: Table<K, V>, txn: &ReadTxn) -> Result<Tally> {
    let mut sum = Summing::new();
    for row in txn.table(table)?.iter()? {
        let (key, value) = row?;
        sum.add(&encode_whole::<K>(&key.value()), &encode_whole::<V>(&value.value()));
    }
    Ok(sum.finish())
}

/// Decodes a row of a batch into the table's types (what redb and the in-memory backend store).
pub(crate) fn decode_row<K: Key, V: Value>(key: &[u8], value: &[u8]) -> Result<(K::Owned, V::Owned)> {
    Ok((decode_whole::<K>(key)?, decode_whole::<V>(value)?))
}

/// Copies the store at `from` into the empty store at `to` and verifies every keyspace;
/// `progress` is called after every batch.
pub(crate) fn copy(
    from: &StoreLocation,
    to: &StoreLocation,
    at: Opening,
    batch: usize,
    progress: &mut dyn FnMut(&CopyProgress),
) -> Result<CopyReport> {
    if from == to {
        return Err(Error::invalid("to", "the target is the source; copy into another file or schema"));
    }
    let batch = batch.max(1);
    let tables = keyspaces(at.domains);
    let source = open_source(from, at)?;
    let target = open_target(to)?;
    refuse_unless_empty(&target, &tables, to)?;
    refuse_unless_no_keys(&target, to)?;

    // The keys first: a copy that stops after them is refused as not empty, as one that
    // stops after some rows.
    let keys = source.all_keys()?;
    let expected_keys = tally_keys(&keys);
    target.load_keys(&keys)?;
    drop(keys);

    let keyspaces = copy_keyspaces(&tables, &source.read()?, &target, batch, progress)?;
    let keys = verified(KEYS, &expected_keys, tally_keys(&target.all_keys()?))?;
    Ok(CopyReport { rows: keyspaces.iter().map(|k| k.rows).sum(), keyspaces, keys })
}

/// Copies every row of `tables` from the snapshot `from` into the empty store `to`, makes the
/// copy durable, and verifies each keyspace's count and checksum against the source's (the
/// module documentation). Shared by `trialog store copy` and the rewrite of a compaction
/// ([`super::rewrite`]).
pub(crate) fn copy_keyspaces(
    tables: &[&'static dyn AnyTable],
    from: &ReadTxn,
    to: &Store,
    batch: usize,
    progress: &mut dyn FnMut(&CopyProgress),
) -> Result<Vec<KeyspaceCopy>> {
    let total = tables.iter().map(|t| t.rows(from)).sum::<Result<u64>>()?;
    to.write_with(Durability::Eventual, |txn| tables.iter().try_for_each(|t| t.create(txn)))?;
    let mut done = 0;
    let mut tallies = Vec::with_capacity(tables.len());
    for table in tables {
        let mut copied = |n| {
            done += n;
            progress(&CopyProgress { keyspace: table.name(), copied: done, total });
        };
        tallies.push(table.copy(from, to, batch, &mut copied)?);
    }
    // A waiting commit makes every batch before it durable.
    to.write_with(Durability::Immediate, |txn| txn.open_table(META).map(drop))?;

    let check = to.read()?;
    let mut keyspaces = Vec::with_capacity(tables.len());
    for (table, expected) in tables.iter().zip(tallies) {
        keyspaces.push(verified(table.name(), &expected, table.tally(&check)?)?);
    }
    Ok(keyspaces)
}

/// The name of the key store in a [`CopyReport`] and its messages.
const KEYS: &str = "person keys";

/// The target's tally of `name` if it equals the source's `expected`.
fn verified(name: &'static str, expected: &Tally, found: Tally) -> Result<KeyspaceCopy> {
    if found != *expected {
        return Err(Error::storage(format!(
            "verification failed for {name}: the source has {} rows, the target {} (or their checksums differ)",
            expected.rows, found.rows
        )));
    }
    Ok(KeyspaceCopy { name, rows: found.rows, checksum: hex(&found.digest) })
}

/// Count and checksum of a key store's keys (each person's id, then the key).
fn tally_keys(keys: &super::AllKeys) -> Tally {
    let mut sum = Summing::new();
    for (person, key) in keys {
        sum.add(&person.to_be_bytes(), key);
    }
    sum.finish()
}

/// Refuses a target whose key store holds a key: a key file beside the target file (even one
/// left by another platform), or keys in the target schema's key store.
fn refuse_unless_no_keys(target: &Store, to: &StoreLocation) -> Result<()> {
    if let StoreLocation::File(path) = to {
        let keys = super::Keyring::path_for(path);
        if keys.exists() {
            return Err(Error::invalid(
                "to",
                format!("{} exists already; the copy's key file goes there", keys.display()),
            ));
        }
    }
    let found = target.all_keys()?.len();
    if found > 0 {
        return Err(not_empty(to, format!("its key store holds {found} keys")));
    }
    Ok(())
}

/// The store's own keyspaces, then every registered one; `meta` last (module documentation).
pub(crate) fn keyspaces(domains: &[super::Domain]) -> Vec<&'static dyn AnyTable> {
    let mut tables: Vec<&'static dyn AnyTable> = vec![&SEQUENCES, &CHANGES];
    tables.extend(domains.iter().flat_map(|d| d.tables.iter().copied()));
    tables.push(&META);
    tables
}

/// The source, brought up to the current schema as every opening does.
fn open_source(from: &StoreLocation, at: Opening) -> Result<Store> {
    match from {
        StoreLocation::File(path) => Store::open(path, false, COPY_CACHE_BYTES, Durability::Immediate, at),
        #[cfg(feature = "postgres")]
        StoreLocation::Postgres(url) => {
            // Opening a schema creates a platform in it: a misspelt source must not be one.
            if !open_target(from)?.read()?.table_names()?.iter().any(|n| n == META.name()) {
                return Err(Error::not_found("platform schema", from));
            }
            Store::open_postgres(url, Durability::Immediate, at)
        }
        #[cfg(not(feature = "postgres"))]
        StoreLocation::Postgres(_) => Err(no_postgres()),
    }
}

/// The target as it is: no migration runs, so that nothing is written before the check.
fn open_target(to: &StoreLocation) -> Result<Store> {
    let engine = match to {
        StoreLocation::File(path) => Engine::Redb(Arc::new(RwLock::new(create_file(path, COPY_CACHE_BYTES)?))),
        #[cfg(feature = "postgres")]
        StoreLocation::Postgres(url) => Engine::Postgres(super::postgres::PgDb::connect(url, false)?),
        #[cfg(not(feature = "postgres"))]
        StoreLocation::Postgres(_) => return Err(no_postgres()),
    };
    let (path, keys) = match to {
        StoreLocation::File(path) => {
            (Some(path.clone()), KeyStore::File(Arc::new(Keyring::open(Keyring::path_for(path), false)?)))
        }
        #[cfg(feature = "postgres")]
        StoreLocation::Postgres(_) => (None, KeyStore::Postgres),
        #[cfg(not(feature = "postgres"))]
        StoreLocation::Postgres(_) => return Err(no_postgres()),
    };
    Ok(Store::bare(engine, path, Some(keys)))
}

/// A new redb file at `path`, 0600 ([`super::create_private`]).
pub(crate) fn create_file(path: &Path, cache_bytes: usize) -> Result<redb::Database> {
    super::create_private(path)?;
    redb::Builder::new().set_cache_size(cache_bytes).create(path).map_err(|e| super::open_error(path, e))
}

#[cfg(not(feature = "postgres"))]
fn no_postgres() -> Error {
    Error::invalid("store", "this trialog was built without PostgreSQL (cargo feature `postgres`)")
}

/// Refuses a target holding a table trialog does not know, or any row.
fn refuse_unless_empty(target: &Store, tables: &[&'static dyn AnyTable], to: &StoreLocation) -> Result<()> {
    let txn = target.read()?;
    for name in txn.table_names()? {
        let Some(table) = tables.iter().find(|t| t.name() == name) else {
            return Err(not_empty(to, format!("it has a table trialog does not know ({name})")));
        };
        let rows = table.rows(&txn)?;
        if rows > 0 {
            return Err(not_empty(to, format!("{name} holds {rows} rows")));
        }
    }
    Ok(())
}

fn not_empty(to: &StoreLocation, why: String) -> Error {
    Error::conflict(format!(
        "the target {to} is not empty: {why}; copy into a new file or schema (or remove this one first)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_files_unless_they_are_postgres_urls() {
        assert_eq!(StoreLocation::parse("a.redb"), StoreLocation::File("a.redb".into()));
        assert_eq!(
            StoreLocation::parse("postgresql:///db?schema=x"),
            StoreLocation::Postgres("postgresql:///db?schema=x".into())
        );
        let shown = StoreLocation::parse("postgres://kim:geheim@db.example/trialog?schema=a").to_string();
        assert_eq!(shown, "postgres://kim@db.example/trialog?schema=a", "the password is not shown");
    }

    #[test]
    fn the_checksum_depends_on_every_byte_and_on_where_rows_split() {
        let tally = |rows: &[(&[u8], &[u8])]| {
            let mut sum = Summing::new();
            rows.iter().for_each(|(k, v)| sum.add(k, v));
            sum.finish()
        };
        let base = tally(&[(b"ab", b"c")]);
        assert_eq!(base, tally(&[(b"ab", b"c")]));
        assert_ne!(base, tally(&[(b"a", b"bc")]), "length prefixes keep the split");
        assert_ne!(base, tally(&[(b"ab", b"d")]));
        assert_eq!(base.rows, 1);
    }
}
