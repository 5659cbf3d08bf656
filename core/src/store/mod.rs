//! Storage: the redb file, its tables, the record codec, id sequences and the schema version.
//!
//! Domain modules never open tables of other domains; they call each other's functions.
//! Everything that knows about redb lives here, so that a server deployment can later move
//! to another engine without touching domain code.

mod codec;
mod memory;
mod migrate;
pub(crate) mod tables;
#[cfg(test)]
mod tests;
mod txn;
mod types;

use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard};

use redb::{Database, ReadableDatabase};

pub(crate) use codec::{decode, encode};
use memory::MemoryDb;
pub use migrate::SCHEMA_VERSION;
pub(crate) use tables::next_id;
pub(crate) use txn::{ReadTable, ReadTxn, Reader, TableMut, WriteTxn};
pub(crate) use types::Table;

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
    /// For batch imports and benchmarks: finish with [`crate::Platform::flush`].
    Eventual,
}

/// The open database file (or memory), shared by every clone of the platform.
#[derive(Clone)]
pub(crate) struct Store {
    engine: Engine,
    durability: Durability,
    /// The file, or `None` in memory.
    path: Option<PathBuf>,
}

/// The backend behind a store.
#[derive(Clone)]
enum Engine {
    /// A redb database: a file, or redb's own in-memory backend. Transactions start under the
    /// read lock (they do not borrow the database afterwards); only [`Store::compact`] takes
    /// the write lock, because redb compacts through `&mut`.
    Redb(Arc<RwLock<Database>>),
    /// The `BTreeMap` backend ([`memory`]).
    Memory(Arc<MemoryDb>),
}

/// Which backend [`Store::in_memory`] uses: the `BTreeMap` one unless the environment variable
/// `TRIALOG_MEMORY_BACKEND` is `redb` (redb's own in-memory backend), so the whole test suite
/// runs on either (`TRIALOG_MEMORY_BACKEND=redb cargo test -p trialog-core`).
pub const MEMORY_BACKEND_VARIABLE: &str = "TRIALOG_MEMORY_BACKEND";

impl Store {
    /// Opens or creates the file at `path`, then brings its schema up to date.
    /// With `create` false, a missing file is `NotFound` instead of a new database.
    pub fn open(path: &Path, create: bool, cache_bytes: usize, durability: Durability, now: Timestamp) -> Result<Self> {
        if !create && !path.exists() {
            return Err(Error::not_found("database file", path.display()));
        }
        let mut builder = redb::Builder::new();
        builder.set_cache_size(cache_bytes);
        let opened = if create { builder.create(path) } else { builder.open(path) };
        let db = opened.map_err(|e| open_error(path, e))?;
        Self::from_engine(Engine::Redb(Arc::new(RwLock::new(db))), durability, Some(path), now)
    }

    /// A database that lives only in memory, for tests and previews (see
    /// [`MEMORY_BACKEND_VARIABLE`] for which backend).
    pub fn in_memory(durability: Durability, now: Timestamp) -> Result<Self> {
        let engine = match std::env::var(MEMORY_BACKEND_VARIABLE).as_deref() {
            Ok("redb") => Engine::Redb(Arc::new(RwLock::new(
                redb::Builder::new()
                    .create_with_backend(redb::backends::InMemoryBackend::new())
                    .map_err(Error::storage)?,
            ))),
            _ => Engine::Memory(Arc::default()),
        };
        Self::from_engine(engine, durability, None, now)
    }

    /// A database in memory on the `BTreeMap` backend, whatever the environment says.
    #[cfg(test)]
    pub fn in_btree_map(now: Timestamp) -> Result<Self> {
        Self::from_engine(Engine::Memory(Arc::default()), Durability::Immediate, None, now)
    }

    /// A database in memory on redb's own in-memory backend, whatever the environment says.
    #[cfg(test)]
    pub fn in_redb_memory(now: Timestamp) -> Result<Self> {
        let db =
            redb::Builder::new().create_with_backend(redb::backends::InMemoryBackend::new()).map_err(Error::storage)?;
        Self::from_engine(Engine::Redb(Arc::new(RwLock::new(db))), Durability::Immediate, None, now)
    }

    /// Runs redb's own consistency check on a file nobody else has open, then opens it.
    pub fn open_checked(path: &Path, cache_bytes: usize, now: Timestamp) -> Result<(Self, bool)> {
        let mut db = redb::Builder::new().set_cache_size(cache_bytes).open(path).map_err(|e| open_error(path, e))?;
        let intact = db.check_integrity().map_err(Error::storage)?;
        let engine = Engine::Redb(Arc::new(RwLock::new(db)));
        Ok((Self::from_engine(engine, Durability::Immediate, Some(path), now)?, intact))
    }

    fn from_engine(engine: Engine, durability: Durability, path: Option<&Path>, now: Timestamp) -> Result<Self> {
        let store = Store { engine, durability, path: path.map(Path::to_path_buf) };
        migrate::bring_up_to_date(&store, now)?;
        Ok(store)
    }

    /// A consistent snapshot for reading.
    pub fn read(&self) -> Result<ReadTxn> {
        Ok(ReadTxn(match &self.engine {
            Engine::Redb(db) => ReadInner::Redb(read_lock(db).begin_read()?),
            Engine::Memory(db) => ReadInner::Memory(db.begin_read()),
        }))
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
        let txn = self.begin_write(self.durability)?;
        let (value, ending) = work(&txn)?;
        match ending {
            Ending::Commit => commit(txn)?,
            Ending::RollBack => abort(txn)?,
        }
        Ok(value)
    }

    /// Like [`Store::write`] with an explicit durability.
    pub fn write_with<T>(&self, durability: Durability, work: impl Fn(&WriteTxn) -> Result<T>) -> Result<T> {
        let txn = self.begin_write(durability)?;
        let value = work(&txn)?;
        commit(txn)?;
        Ok(value)
    }

    fn begin_write(&self, durability: Durability) -> Result<WriteTxn> {
        Ok(WriteTxn(match &self.engine {
            Engine::Redb(db) => {
                let mut txn = read_lock(db).begin_write()?;
                txn.set_durability(redb_durability(durability))?;
                txn.set_quick_repair(true);
                WriteInner::Redb(txn)
            }
            Engine::Memory(db) => WriteInner::Memory(db.begin_write()),
        }))
    }
}

fn commit(txn: WriteTxn) -> Result<()> {
    match txn.0 {
        WriteInner::Redb(txn) => Ok(txn.commit()?),
        WriteInner::Memory(changes) => changes.commit(),
    }
}

fn abort(txn: WriteTxn) -> Result<()> {
    match txn.0 {
        WriteInner::Redb(txn) => Ok(txn.abort()?),
        WriteInner::Memory(changes) => {
            drop(changes);
            Ok(())
        }
    }
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

impl Store {
    /// Compacts the file until redb finds nothing more to move, so that freed pages (with
    /// whatever deleted records they held) are rewritten or cut off the end of the file.
    /// Returns the number of passes (0 on the in-memory backend, which keeps no freed pages).
    /// Fails with `Conflict` while any transaction is open.
    pub fn compact(&self) -> Result<u32> {
        let Engine::Redb(db) = &self.engine else { return Ok(0) };
        let mut db = db.write().unwrap_or_else(PoisonError::into_inner);
        let mut passes = 1;
        while db.compact().map_err(compaction_error)? {
            passes += 1;
        }
        Ok(passes)
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
