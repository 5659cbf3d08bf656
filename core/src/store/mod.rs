//! Storage: ordered key-value tables behind the project's own types, two backends, the record
//! codec, id sequences and the schema version. **Only this module knows redb.**
//!
//! # The storage interface
//! - A [`Table<K, V>`](Table) names a keyspace and the types of its keys and values (integers,
//!   strings, byte strings, tuples of these; see [`types`]). Keys are ordered: every key type has
//!   an order-preserving byte encoding, so a byte-ordered backend sorts rows as the typed one.
//! - [`Store::read`] gives a [`ReadTxn`], a consistent snapshot; [`Store::write`] runs a closure
//!   in one [`WriteTxn`] — all of its writes land or none do. Both open tables: [`Reader::table`]
//!   for reading, [`WriteTxn::open_table`] for writing. [`ReadTable`] has the point read
//!   (`get`), range scans in either direction (`range`, `iter`, then `.rev()`) and `len`;
//!   [`TableMut`] adds `insert`, `remove`, `retain` and `retain_in`.
//! - It is synchronous: a server runs it on a blocking pool.
//! - Write closures are `Fn`, so a backend may run one again after a serialization conflict.
//! - Ids come from [`WriteTxn::next_ids`], a backend primitive, not a row that domain code
//!   updates, so that concurrent inserts need not all conflict on one counter.
//!
//! # Backends
//! - **redb** (files, and redb's own in-memory backend): each table is a redb table with
//!   redb's native key and value types of the same shape, so files of every earlier schema
//!   version open unchanged. Compaction and the page-level check are redb's.
//! - **in-memory** ([`memory`]): a `BTreeMap` of encoded key bytes to value bytes per keyspace,
//!   snapshots by `Arc`, one writer at a time. [`crate::Platform::in_memory`] runs on it; the
//!   environment variable `TRIALOG_MEMORY_BACKEND=redb` switches it to redb's in-memory backend,
//!   so the whole core suite runs on either. Both pass one backend suite and a model-based
//!   property test (`store/tests.rs`).
//!
//! # PostgreSQL (feature `postgres`, [`postgres`])
//! - **A table per keyspace** in a schema per platform (`?schema=NAME` in the URL):
//!   `key bytea PRIMARY KEY, value bytea NOT NULL`. The B-tree primary key orders rows by the
//!   encoded key bytes (`bytea` compares as `memcmp`), which is the order of the typed keys:
//!   `get` is `WHERE key = $1`, a range is `WHERE key >= $1 AND key < $2 ORDER BY key [DESC]`
//!   fetched in pages from either end, `len` is `count(*)`, `retain_in` is a range read
//!   followed by `DELETE … WHERE key = ANY($1)`.
//! - **Serializable transactions**: a [`WriteTxn`] is `BEGIN ISOLATION LEVEL SERIALIZABLE` …
//!   `COMMIT`; on SQLSTATE `40001`/`40P01` the backend rolls back and runs the `Fn` closure
//!   again (bounded, with jittered backoff, counted: [`Store::write_retries`]), which is why
//!   closures must not consume what they capture. A [`ReadTxn`] is `REPEATABLE READ, READ
//!   ONLY` (a snapshot).
//! - **Sequences**: [`WriteTxn::next_ids`] draws from the counter's PostgreSQL `SEQUENCE`
//!   (`nextval`, inside the write's own statements), outside conflict detection, so writers
//!   inserting posts at once never conflict on it (ids stay unique and increasing, with gaps
//!   after a rollback or retry); the counter rows in `sequences` are brought level with the
//!   sequences when a schema opens and when a copy writes them. A counter that must change with its transaction (a cache's
//!   version) is a [`tables::bump_version`] instead.
//! - Table creation and schema versions go through the same migration path as redb's
//!   ([`migrate`]), under an advisory lock per schema so that processes starting at once
//!   migrate one after the other; a table's Rust types do not reach the database, only its name.
//! - Tests: `bash scripts/postgres.sh start` runs a private cluster and prints its URL; with
//!   `TRIALOG_POSTGRES_URL` set, the backend suite and the model test run on it too, and
//!   `TRIALOG_MEMORY_BACKEND=postgres` puts every in-memory store in a schema of its own,
//!   taken from a pool of emptied ones when there is one (`postgres/pool.rs`).
//!
//! # The change feed (for device replicas)
//! Every write goes through [`TableMut`], so the write transaction can collect, per commit,
//! the list of `(keyspace, encoded key, Some(value) | None)` it wrote, in order. A commit then
//! appends one feed entry `{ sequence: u64 (gap-free, commit order), at, changes: [...] }` in
//! the same transaction (redb, memory) or the same SQL transaction (PostgreSQL: a `changes`
//! table keyed by sequence); a replica asks for "everything after sequence N" and filters by
//! what its account may see (the policy decides on the server). Domain code does not change:
//! the feed is built below the table handles.
//!
//! Domain modules never open tables of other domains; they call each other's functions.

mod codec;
pub(crate) mod copy;
#[cfg(feature = "fault-injection")]
pub mod faults;
pub(crate) mod feed;
pub(crate) mod figures;
mod keycheck;
mod keyring;
mod keystore;
mod memory;
mod migrate;
#[cfg(feature = "postgres")]
pub(crate) mod postgres;
mod registry;
mod rewrite;
mod sealed;
pub(crate) mod tables;
#[cfg(test)]
mod tests;
mod txn;
mod types;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard};

use redb::{Database, ReadOnlyDatabase, ReadableDatabase};

#[doc(hidden)]
pub use codec::write_json_on_this_thread;
pub(crate) use codec::{compact_uint, decode, encode, is_compact};
pub(crate) use keyring::Keyring;
pub(crate) use keystore::{AllKeys, KeyStore};
use memory::MemoryDb;
pub use migrate::SCHEMA_VERSION;
#[cfg(test)]
pub(crate) use migrate::rewind_to;
pub(crate) use registry::{
    AnyTable, Domain, Dossier, Due, Erasure, Findings, Migration, Person, Personal, ThreadTitles,
};
#[doc(hidden)]
pub use rewrite::rewrite_on_this_thread;
#[cfg(test)]
pub(crate) use sealed::counted;
pub(crate) use sealed::{KeyCache, Sealed, Sealer, index_tag, index_tag_or_new, seal, seal_bytes, sealing_many, shred};
pub(crate) use tables::{add_to_counter, compact_records, next_id, next_ids};
#[cfg(test)]
pub(crate) use txn::rows;
pub(crate) use txn::{Ahead, ReadTable, ReadTxn, Reader, TableMut, TableRef, WriteTxn};
pub(crate) use types::{Table, Value};

use crate::clock::Timestamp;
use crate::error::{Error, Result};
use txn::{ReadInner, WriteInner};

/// How hard a commit tries to reach the disk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Durability {
    /// Every commit is on disk when the call returns (the default).
    #[default]
    Immediate,
    /// Commits are consistent but may roll back to the last immediate commit after a crash.
    /// For batch imports and benchmarks: finish with [`crate::Platform::flush`]. Every
    /// [`EVENTUAL_COMMITS_PER_DURABLE`]th commit is made durable all the same (why: there).
    Eventual,
}

/// Under [`Durability::Eventual`], one commit in this many is made durable. redb frees the
/// pages a non-durable commit replaces only at the next durable commit, so an unbroken run of
/// them grows the file by every page each commit copies and pushes the hot pages out of the
/// cache (suspected of the waitlist promotion's 331 µs at national scale, 2M course
/// registrations, after a few thousand such commits; not re-measured yet). One fsync every 256
/// commits (a durable commit takes a few milliseconds on the 2-core machine's disk) spreads to
/// some microseconds a commit, keeps the file reusing its pages, and bounds what a crash can
/// take back to the last 255 commits.
pub const EVENTUAL_COMMITS_PER_DURABLE: u32 = 256;

/// What opening a store needs besides the file: the time (for migrations' audit entries) and
/// the domains whose tables the file must have (`crate::DOMAINS`; the store knows none itself).
#[derive(Clone, Copy)]
pub(crate) struct Opening {
    pub now: Timestamp,
    pub domains: &'static [Domain],
    /// The tables whose changed keys the change feed records ([`feed`]).
    pub feed: &'static [&'static str],
    /// Whether durable commits save the allocator state (`PlatformOptions::quick_repair`).
    pub quick_repair: bool,
}

/// The open database file (or memory), shared by every clone of the platform.
#[derive(Clone)]
pub(crate) struct Store {
    /// The key store of crypto-shredding: beside the file, in memory, or the schema
    /// `<schema>_keys` beside a PostgreSQL platform's; `None` only on the target of a copy
    /// before its keys arrive ([`copy`]). Declared before the engine, so that the last store
    /// dropped syncs the keys of its eventual writes before redb closes the file
    /// ([`Keyring::defer_syncs`]).
    keys: Option<KeyStore>,
    engine: Engine,
    durability: Durability,
    /// The file, or `None` in memory.
    path: Option<PathBuf>,
    /// The tables the change feed watches.
    feed: &'static [&'static str],
    /// Whether a durable commit also saves redb's allocator state (two fsyncs instead of one;
    /// `PlatformOptions::quick_repair` says what each costs).
    quick_repair: bool,
    /// Non-durable commits since the last durable one ([`EVENTUAL_COMMITS_PER_DURABLE`]),
    /// shared by every clone.
    eventual: Arc<AtomicU32>,
    /// The domains whose tables the store holds: what a compaction's rewrite copies ([`rewrite`]).
    domains: &'static [Domain],
    /// The page cache, in bytes, of a plain redb file that a compaction may rewrite and open
    /// again; `None` for every other engine (memory, read-only, a fault-injecting backend).
    reopen_cache: Option<usize>,
}

/// The backend behind a store.
#[derive(Clone)]
enum Engine {
    /// A redb database: a file, or redb's own in-memory backend. Transactions start under the
    /// read lock (they do not borrow the database afterwards); only [`Store::compact`] takes
    /// the write lock, because redb compacts through `&mut`.
    Redb(Arc<RwLock<Database>>),
    /// A redb file opened for reading only (see [`Store::open_read_only`]).
    RedbReadOnly(Arc<ReadOnlyDatabase>),
    /// The `BTreeMap` backend ([`memory`]).
    Memory(Arc<MemoryDb>),
    /// A PostgreSQL schema ([`postgres`]).
    #[cfg(feature = "postgres")]
    Postgres(Arc<postgres::PgDb>),
}

/// Which backend [`Store::in_memory`] uses: the `BTreeMap` one unless the environment variable
/// `TRIALOG_MEMORY_BACKEND` is `redb` (redb's own in-memory backend), so the whole test suite
/// runs on either (`TRIALOG_MEMORY_BACKEND=redb cargo test -p trialog-core`). With the feature
/// `postgres`, `postgres` puts each in-memory store in a schema of its own in the database at
/// [`POSTGRES_URL_VARIABLE`], dropped with the store.
pub const MEMORY_BACKEND_VARIABLE: &str = "TRIALOG_MEMORY_BACKEND";

/// The database tests use (`postgres://…`; `scripts/postgres.sh start` prints one).
#[cfg(feature = "postgres")]
pub const POSTGRES_URL_VARIABLE: &str = "TRIALOG_POSTGRES_URL";

impl Store {
    /// Opens or creates the file at `path`, then brings its schema up to date.
    /// With `create` false, a missing file is `NotFound` instead of a new database.
    pub fn open(path: &Path, create: bool, cache_bytes: usize, durability: Durability, at: Opening) -> Result<Self> {
        if !create && !path.exists() {
            return Err(Error::not_found("database file", path.display()));
        }
        if create {
            create_private(path)?;
        }
        let mut builder = redb::Builder::new();
        builder.set_cache_size(cache_bytes);
        let opened = if create { builder.create(path) } else { builder.open(path) };
        let db = opened.map_err(|e| open_error(path, e))?;
        // Only now, holding redb's lock on the file: no other process can be rewriting it.
        rewrite::remove_leftover(path)?;
        let store = Self::from_engine(Engine::Redb(Arc::new(RwLock::new(db))), durability, Some(path), at)?;
        Ok(Store { reopen_cache: Some(cache_bytes), ..store })
    }

    /// Opens an existing file for reading only (a read-only file, a backup): every write fails
    /// with a `Storage` error saying so, and a file that needs a schema upgrade is refused.
    pub fn open_read_only(path: &Path, cache_bytes: usize, at: Opening) -> Result<Self> {
        if !path.exists() {
            return Err(Error::not_found("database file", path.display()));
        }
        let db = redb::Builder::new().set_cache_size(cache_bytes).open_read_only(path);
        let db = db.map_err(|e| open_error(path, e))?;
        Self::from_engine(Engine::RedbReadOnly(Arc::new(db)), Durability::Immediate, Some(path), at)
    }

    /// A database that lives only in memory, for tests and previews (see
    /// [`MEMORY_BACKEND_VARIABLE`] for which backend).
    pub fn in_memory(durability: Durability, at: Opening) -> Result<Self> {
        let engine = match std::env::var(MEMORY_BACKEND_VARIABLE).as_deref() {
            Ok("redb") => Engine::Redb(Arc::new(RwLock::new(
                redb::Builder::new()
                    .create_with_backend(redb::backends::InMemoryBackend::new())
                    .map_err(Error::storage)?,
            ))),
            #[cfg(feature = "postgres")]
            Ok("postgres") => {
                let tables = at.domains.iter().flat_map(|d| d.tables.iter().map(|t| t.name()));
                Engine::Postgres(postgres::PgDb::connect_pooled(&scratch_schema_url()?, tables)?)
            }
            Ok(other) if !other.is_empty() && other != "memory" => {
                return Err(Error::storage(format!(
                    "{MEMORY_BACKEND_VARIABLE}={other} is not a backend of this build (memory, redb{})",
                    if cfg!(feature = "postgres") { ", postgres" } else { "" }
                )));
            }
            _ => Engine::Memory(Arc::default()),
        };
        Self::from_engine(engine, durability, None, at)
    }

    /// Opens the PostgreSQL schema named in `url` (`postgres://user@host/db?schema=NAME`),
    /// creating it when missing, then brings its tables up to date.
    #[cfg(feature = "postgres")]
    pub fn open_postgres(url: &str, durability: Durability, at: Opening) -> Result<Self> {
        Self::from_engine(Engine::Postgres(postgres::PgDb::connect(url, false)?), durability, None, at)
    }

    /// How many PostgreSQL writes ran again after a serialization conflict (0 on the other
    /// backends, which have one writer at a time).
    pub fn write_retries(&self) -> u64 {
        match &self.engine {
            #[cfg(feature = "postgres")]
            Engine::Postgres(db) => db.retries(),
            _ => 0,
        }
    }

    /// Whether reading ahead ([`Ahead`]) saves anything: on PostgreSQL each read ahead is one
    /// round trip for many rows; the other backends read locally and ignore it.
    pub fn reads_ahead(&self) -> bool {
        match &self.engine {
            #[cfg(feature = "postgres")]
            Engine::Postgres(_) => true,
            _ => false,
        }
    }

    /// How many PostgreSQL writes ran alone, holding the writers lock exclusively, after
    /// conflicting again and again (0 on the other backends).
    pub fn writes_run_alone(&self) -> u64 {
        match &self.engine {
            #[cfg(feature = "postgres")]
            Engine::Postgres(db) => db.alone_runs(),
            _ => 0,
        }
    }

    /// How many round trips this handle made to PostgreSQL since it opened (`None` on the
    /// other backends, which make none): tests count what an operation costs with it.
    #[cfg(all(test, feature = "postgres"))]
    pub fn round_trips(&self) -> Option<u64> {
        match &self.engine {
            Engine::Postgres(db) => Some(db.round_trips()),
            _ => None,
        }
    }

    /// A database in memory on the `BTreeMap` backend, whatever the environment says.
    #[cfg(test)]
    pub fn in_btree_map(now: Timestamp) -> Result<Self> {
        Self::from_engine(
            Engine::Memory(Arc::default()),
            Durability::Immediate,
            None,
            Opening { now, domains: &[], feed: &[], quick_repair: false },
        )
    }

    /// A store in a new schema of the test database at [`POSTGRES_URL_VARIABLE`], dropped with
    /// the store; `None` (and a notice) when the variable is not set.
    #[cfg(all(test, feature = "postgres"))]
    pub fn in_postgres_scratch(now: Timestamp) -> Option<Self> {
        if std::env::var_os(POSTGRES_URL_VARIABLE).is_none() {
            eprintln!("skipped on PostgreSQL: {POSTGRES_URL_VARIABLE} is not set (bash scripts/postgres.sh start)");
            return None;
        }
        Self::in_postgres_scratch_handles(now, 1).map(|mut handles| handles.remove(0))
    }

    /// `n` handles on one new schema of the test database, as `n` server processes would
    /// have (the first drops the schema); `None` when [`POSTGRES_URL_VARIABLE`] is not set.
    #[cfg(all(test, feature = "postgres"))]
    pub fn in_postgres_scratch_handles(now: Timestamp, n: usize) -> Option<Vec<Self>> {
        Self::in_postgres_scratch_watching(now, n, &[])
    }

    /// [`Store::in_postgres_scratch_handles`] whose change feed watches the tables `feed`.
    #[cfg(all(test, feature = "postgres"))]
    pub fn in_postgres_scratch_watching(now: Timestamp, n: usize, feed: &'static [&'static str]) -> Option<Vec<Self>> {
        std::env::var_os(POSTGRES_URL_VARIABLE)?;
        let url = scratch_schema_url().unwrap();
        let at = Opening { now, domains: &[], feed, quick_repair: false };
        let open = |i| {
            let db = postgres::PgDb::connect(&url, i == 0).unwrap();
            Self::from_engine(Engine::Postgres(db), Durability::Immediate, None, at).unwrap()
        };
        Some((0..n).map(open).collect())
    }

    /// A platform's store in a new schema of the test database (from the pool of ready ones,
    /// emptied with the store), whatever [`MEMORY_BACKEND_VARIABLE`] says; `None` (and a
    /// notice) when [`POSTGRES_URL_VARIABLE`] is not set.
    #[cfg(all(test, feature = "postgres"))]
    pub fn in_postgres_pool(durability: Durability, at: Opening) -> Option<Result<Self>> {
        if std::env::var_os(POSTGRES_URL_VARIABLE).is_none() {
            eprintln!("skipped on PostgreSQL: {POSTGRES_URL_VARIABLE} is not set (bash scripts/postgres.sh start)");
            return None;
        }
        let tables = at.domains.iter().flat_map(|d| d.tables.iter().map(|t| t.name()));
        let opened = scratch_schema_url().and_then(|url| postgres::PgDb::connect_pooled(&url, tables));
        Some(opened.and_then(|db| Self::from_engine(Engine::Postgres(db), durability, None, at)))
    }

    /// A database in memory on redb's own in-memory backend, whatever the environment says.
    #[cfg(test)]
    pub fn in_redb_memory(now: Timestamp) -> Result<Self> {
        let db =
            redb::Builder::new().create_with_backend(redb::backends::InMemoryBackend::new()).map_err(Error::storage)?;
        Self::from_engine(
            Engine::Redb(Arc::new(RwLock::new(db))),
            Durability::Immediate,
            None,
            Opening { now, domains: &[], feed: &[], quick_repair: false },
        )
    }

    /// Opens the file at `path` through a [`faults::Faults`] switch (reliability tests only).
    #[cfg(feature = "fault-injection")]
    pub fn open_with_faults(
        path: &Path,
        faults: &faults::Faults,
        cache_bytes: usize,
        durability: Durability,
        at: Opening,
    ) -> Result<Self> {
        let backend = faults::FaultyFile::open(path, faults)?;
        let db =
            redb::Builder::new().set_cache_size(cache_bytes).create_with_backend(backend).map_err(Error::storage)?;
        Self::from_engine(Engine::Redb(Arc::new(RwLock::new(db))), durability, Some(path), at)
    }

    /// Runs redb's own consistency check on a file nobody else has open, then opens it.
    pub fn open_checked(path: &Path, cache_bytes: usize, at: Opening) -> Result<(Self, bool)> {
        let mut db = redb::Builder::new().set_cache_size(cache_bytes).open(path).map_err(|e| open_error(path, e))?;
        let intact = db.check_integrity().map_err(Error::storage)?;
        rewrite::remove_leftover(path)?;
        let engine = Engine::Redb(Arc::new(RwLock::new(db)));
        let store = Self::from_engine(engine, Durability::Immediate, Some(path), at)?;
        Ok((Store { reopen_cache: Some(cache_bytes), ..store }, intact))
    }

    /// A store on `engine` as it is, with no domains, change feed or migration: the target
    /// of a copy ([`copy`]), writing without waiting for the disk unless told.
    fn bare(engine: Engine, path: Option<PathBuf>, keys: Option<KeyStore>) -> Self {
        Store {
            engine,
            durability: Durability::Eventual,
            path,
            feed: &[],
            quick_repair: false,
            keys,
            eventual: Arc::default(),
            domains: &[],
            reopen_cache: None,
        }
    }

    fn from_engine(engine: Engine, durability: Durability, path: Option<&Path>, at: Opening) -> Result<Self> {
        let keys = match (&engine, path) {
            #[cfg(feature = "postgres")]
            (Engine::Postgres(_), _) => KeyStore::Postgres,
            (engine, Some(path)) => KeyStore::File(Arc::new(Keyring::open(
                Keyring::path_for(path),
                matches!(engine, Engine::RedbReadOnly(_)),
            )?)),
            (_, None) => KeyStore::File(Arc::new(Keyring::in_memory())),
        };
        let keys = Some(keys);
        let store = Store {
            engine,
            durability,
            path: path.map(Path::to_path_buf),
            feed: at.feed,
            quick_repair: at.quick_repair,
            keys,
            eventual: Arc::default(),
            domains: at.domains,
            reopen_cache: None,
        };
        keycheck::verify(&store)?;
        match &store.engine {
            // Several processes may open one schema at once: they migrate it one at a time.
            #[cfg(feature = "postgres")]
            Engine::Postgres(db) => db.with_schema_lock(|| migrate::bring_up_to_date(&store, at.domains, at.now))?,
            _ => migrate::bring_up_to_date(&store, at.domains, at.now)?,
        }
        keycheck::record_if_missing(&store)?;
        if !matches!(store.engine, Engine::RedbReadOnly(_)) {
            store.ensure_feed()?;
        }
        #[cfg(feature = "postgres")]
        if let Engine::Postgres(db) = &store.engine {
            db.ready()?;
        }
        Ok(store)
    }

    /// The names of the tables that `work` wrote, sorted; `None` unless the store is the
    /// in-memory backend. Each table a redb commit writes costs a copy of a path of its B-tree,
    /// so tests hold the busiest operations to the tables they write with this.
    #[cfg(test)]
    pub(crate) fn tables_written<T>(&self, work: impl FnOnce() -> T) -> Option<(T, Vec<&'static str>)> {
        let Engine::Memory(db) = &self.engine else { return None };
        let before = db.keyspaces();
        let out = work();
        let mut written: Vec<&'static str> = db
            .keyspaces()
            .into_iter()
            .filter(|(name, rows)| before.get(name).is_none_or(|old| !Arc::ptr_eq(old, rows)))
            .map(|(name, _)| name)
            .collect();
        written.sort_unstable();
        Some((out, written))
    }

    /// A consistent snapshot for reading.
    pub fn read(&self) -> Result<ReadTxn> {
        Ok(ReadTxn(
            match &self.engine {
                Engine::Redb(db) => ReadInner::Redb(read_lock(db).begin_read()?),
                Engine::RedbReadOnly(db) => ReadInner::Redb(db.begin_read()?),
                Engine::Memory(db) => ReadInner::Memory(db.begin_read()),
                #[cfg(feature = "postgres")]
                Engine::Postgres(db) => ReadInner::Postgres(postgres::PgTxn::begin_read(db)?),
            },
            self.keys.clone(),
        ))
    }

    /// A snapshot as [`Store::read`], with the rows and keys of `ahead` read as it begins: on
    /// PostgreSQL the `BEGIN` and their statements go in one round trip, and the point reads
    /// and the first page of the ranges that follow cost none; the other backends ignore it.
    pub fn read_with(&self, ahead: &Ahead) -> Result<ReadTxn> {
        #[cfg(feature = "postgres")]
        if let Engine::Postgres(db) = &self.engine {
            let keys = matches!(self.keys, Some(KeyStore::Postgres));
            let txn = postgres::PgTxn::begin_read_with(db, ahead, keys)?;
            return Ok(ReadTxn(ReadInner::Postgres(txn), self.keys.clone()));
        }
        let _ = ahead;
        self.read()
    }

    /// Runs `work` in one write transaction: all of its writes land, or none do.
    ///
    /// `work` is `Fn`, not `FnOnce`: a backend with optimistic concurrency (PostgreSQL under
    /// serializable isolation) runs it again after a serialization conflict, so it must not
    /// consume what it captures. redb and the in-memory backend have one writer at a time and
    /// run it once.
    pub fn write<T>(&self, work: impl Fn(&WriteTxn) -> Result<T>) -> Result<T> {
        self.write_with(self.durability, work)
    }

    /// Like [`Store::write`], but `work` also says whether its writes land: [`Ending::RollBack`]
    /// (a dry run, a refused all-or-nothing import) returns its value with nothing written.
    pub fn write_or_roll_back<T>(&self, work: impl Fn(&WriteTxn) -> Result<(T, Ending)>) -> Result<T> {
        self.run_write(self.durability, &Ahead::default(), work)
    }

    /// Like [`Store::write`] with an explicit durability.
    pub fn write_with<T>(&self, durability: Durability, work: impl Fn(&WriteTxn) -> Result<T>) -> Result<T> {
        self.run_write(durability, &Ahead::default(), |txn| Ok((work(txn)?, Ending::Commit)))
    }

    /// Like [`Store::write`], with the rows and keys of `ahead` read as the transaction begins:
    /// on PostgreSQL the `BEGIN` and their statements go in one round trip (as
    /// [`Store::read_with`]); the other backends ignore it.
    pub fn write_reading<T>(&self, ahead: &Ahead, work: impl Fn(&WriteTxn) -> Result<T>) -> Result<T> {
        self.run_write(self.durability, ahead, |txn| Ok((work(txn)?, Ending::Commit)))
    }

    fn run_write<T>(
        &self,
        durability: Durability,
        ahead: &Ahead,
        work: impl Fn(&WriteTxn) -> Result<(T, Ending)>,
    ) -> Result<T> {
        #[cfg(feature = "postgres")]
        if let Engine::Postgres(db) = &self.engine {
            let start = postgres::WriteStart { durability, ahead, keys: self.keys.clone() };
            return postgres::write(db, &start, self.feed, work);
        }
        let _ = ahead;
        let txn = self.begin_write(durability)?;
        let (value, ending) = work(&txn)?;
        match ending {
            Ending::Commit => commit(txn)?,
            Ending::RollBack => abort(txn)?,
        }
        Ok(value)
    }

    fn begin_write(&self, durability: Durability) -> Result<WriteTxn> {
        let inner = match &self.engine {
            Engine::Redb(db) => {
                let mut txn = read_lock(db).begin_write()?;
                let due = self.due_durability(durability);
                if let Some(keys) = &self.keys {
                    keys.before_write(due)?;
                }
                txn.set_durability(redb_durability(due))?;
                txn.set_quick_repair(self.quick_repair);
                WriteInner::Redb(txn)
            }
            Engine::RedbReadOnly(_) => return Err(self.read_only()),
            Engine::Memory(db) => WriteInner::Memory(db.begin_write()),
            #[cfg(feature = "postgres")]
            Engine::Postgres(_) => return Err(Error::storage("a PostgreSQL write runs through its retry loop")),
        };
        Ok(WriteTxn(inner, feed::Watch::new(self.feed), self.keys.clone()))
    }
}

impl Store {
    /// `durability`, except that every [`EVENTUAL_COMMITS_PER_DURABLE`]th eventual commit is
    /// made immediate. Called with redb's write lock held, so the count is exact.
    fn due_durability(&self, durability: Durability) -> Durability {
        match durability {
            Durability::Immediate => {
                self.eventual.store(0, Ordering::Relaxed);
                Durability::Immediate
            }
            Durability::Eventual => {
                let since = self.eventual.fetch_add(1, Ordering::Relaxed) + 1;
                if since < EVENTUAL_COMMITS_PER_DURABLE {
                    return Durability::Eventual;
                }
                self.eventual.store(0, Ordering::Relaxed);
                Durability::Immediate
            }
        }
    }

    fn read_only(&self) -> Error {
        let path = self.path.as_deref().map_or_else(|| "the database".into(), |p| p.display().to_string());
        Error::storage(format!("{path} is open read-only: nothing can be changed in it"))
    }
}

/// Creates a missing database file readable and writable by its owner only (0600): it holds
/// e-mail addresses, perspectives and who wrote anonymous posts. An existing file is left as it is.
fn create_private(path: &Path) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(Error::storage(format!("cannot create {}: {e}", path.display()))),
    }
}

fn commit(txn: WriteTxn) -> Result<()> {
    feed::append(&txn)?;
    match txn.0 {
        WriteInner::Redb(txn) => Ok(txn.commit()?),
        WriteInner::Memory(changes) => changes.commit(),
        #[cfg(feature = "postgres")]
        WriteInner::Postgres(_) => Err(Error::storage("a PostgreSQL write commits through its retry loop")),
    }
}

fn abort(txn: WriteTxn) -> Result<()> {
    match txn.0 {
        WriteInner::Redb(txn) => Ok(txn.abort()?),
        WriteInner::Memory(changes) => {
            drop(changes);
            Ok(())
        }
        #[cfg(feature = "postgres")]
        WriteInner::Postgres(txn) => {
            drop(txn);
            Ok(())
        }
    }
}

/// The test database's URL with a schema no other store uses (see [`MEMORY_BACKEND_VARIABLE`]).
#[cfg(feature = "postgres")]
fn scratch_schema_url() -> Result<String> {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let url = std::env::var(POSTGRES_URL_VARIABLE).map_err(|_| {
        Error::storage(format!(
            "{MEMORY_BACKEND_VARIABLE}=postgres needs {POSTGRES_URL_VARIABLE} (scripts/postgres.sh env)"
        ))
    })?;
    let mut salt = [0u8; 4];
    getrandom::fill(&mut salt).map_err(|e| Error::storage(format!("no randomness: {e}")))?;
    let schema = format!(
        "scratch_{}_{}_{:08x}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed),
        u32::from_le_bytes(salt)
    );
    Ok(format!("{url}{}schema={schema}", if url.contains('?') { '&' } else { '?' }))
}

fn open_error(path: &Path, error: redb::DatabaseError) -> Error {
    match error {
        redb::DatabaseError::DatabaseAlreadyOpen => Error::DatabaseInUse { path: path.display().to_string() },
        other => Error::storage(format!("cannot open {}: {other}", path.display())),
    }
}

fn read_lock(db: &RwLock<Database>) -> RwLockReadGuard<'_, Database> {
    db.read().unwrap_or_else(PoisonError::into_inner)
}

/// What [`Store::compact`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Compacted {
    /// redb's compaction passes (0 on the engines that keep no freed pages).
    pub passes: u32,
    /// The file's size after redb's compaction in place, before any rewrite; `None` in memory.
    pub in_place_bytes: Option<u64>,
    /// Whether the file was rewritten into a fresh one ([`rewrite`]).
    pub rewritten: bool,
}

/// A step of a compaction ([`Store::compact_with`]).
#[derive(Debug, Clone, Copy)]
pub enum CompactStep<'a> {
    /// redb's compaction in place began its pass `pass` (from 1; it stops when a pass moves
    /// nothing, and how many that takes is not known beforehand).
    InPlace { pass: u32 },
    /// The rewrite into a fresh file copied another batch of a keyspace.
    Rewriting(&'a copy::CopyProgress),
}

impl Store {
    /// Compacts the file until redb finds nothing more to move, so that freed pages (with
    /// whatever deleted records they held) are rewritten or cut off the end of the file; when
    /// a tenth of the file or more is still free afterwards, rewrites it into a fresh file that
    /// replaces it ([`rewrite`], which says why this never loses data). Fails with `Conflict`
    /// while any transaction is open.
    ///
    /// `progress` is told each step: every pass of redb's compaction in place, then every
    /// batch of the rewrite. Rewriting a file of gigabytes takes a minute or
    /// more, during which nothing else of the process reads or writes: an operator should see
    /// that it moves.
    pub fn compact_with(&self, progress: &mut dyn FnMut(CompactStep<'_>)) -> Result<Compacted> {
        let db = match &self.engine {
            Engine::Redb(db) => db,
            Engine::RedbReadOnly(_) => return Err(self.read_only()),
            Engine::Memory(_) => return Ok(Compacted { passes: 0, in_place_bytes: None, rewritten: false }),
            // PostgreSQL reclaims space by (auto)vacuum; compaction rewrites the key store,
            // whose dead rows hold destroyed keys (no pass of its own: 0).
            #[cfg(feature = "postgres")]
            Engine::Postgres(db) => {
                db.vacuum_keys(true)?;
                return Ok(Compacted { passes: 0, in_place_bytes: None, rewritten: false });
            }
        };
        let mut db = db.write().unwrap_or_else(PoisonError::into_inner);
        let mut passes = 1;
        progress(CompactStep::InPlace { pass: passes });
        while db.compact().map_err(compaction_error)? {
            passes += 1;
            progress(CompactStep::InPlace { pass: passes });
        }
        let in_place_bytes = self.file_bytes()?;
        let mut rewritten = false;
        if let (Some(path), Some(cache), Some(bytes)) = (&self.path, self.reopen_cache, in_place_bytes)
            && rewrite::worth_rewriting(rewrite::free_bytes(&db, bytes)?, bytes)
        {
            *db = rewrite::rewrite(&db, path, self.domains, cache, &mut |p| progress(CompactStep::Rewriting(p)))?;
            rewritten = true;
        }
        Ok(Compacted { passes, in_place_bytes, rewritten })
    }

    /// Vacuums the PostgreSQL key store, so that the space of keys destroyed by erasures
    /// (dead rows, which keep their bytes until then) is marked for reuse; nothing on the other
    /// engines, whose key file overwrites a destroyed key in place. The scheduler's tick runs
    /// it; [`Store::compact`] rewrites the key table instead (`docs/erasure.md`).
    pub fn vacuum_keys(&self) -> Result<()> {
        match &self.engine {
            #[cfg(feature = "postgres")]
            Engine::Postgres(db) => db.vacuum_keys(false),
            _ => Ok(()),
        }
    }

    /// The size of the file in bytes, or `None` in memory.
    pub fn file_bytes(&self) -> Result<Option<u64>> {
        let Some(path) = &self.path else { return Ok(None) };
        let metadata =
            std::fs::metadata(path).map_err(|e| Error::storage(format!("cannot read {}: {e}", path.display())))?;
        Ok(Some(metadata.len()))
    }
}

fn compaction_error(error: redb::CompactionError) -> Error {
    match error {
        redb::CompactionError::TransactionInProgress => Error::Conflict {
            reason: "cannot compact while another read or write on this platform is in progress \
                     (an unfinished page iterator, a running query); retry once it has finished"
                .into(),
        },
        other => Error::storage(format!("compaction failed: {other}")),
    }
}

/// How a write transaction ends (see [`Store::write_or_roll_back`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ending {
    Commit,
    RollBack,
}

fn redb_durability(durability: Durability) -> redb::Durability {
    match durability {
        Durability::Immediate => redb::Durability::Immediate,
        Durability::Eventual => redb::Durability::None,
    }
}
