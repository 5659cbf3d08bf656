//! Storage: the redb file, its tables, the record codec, id sequences and the schema version.
//!
//! Domain modules never open tables of other domains; they call each other's functions.
//! Everything that knows about redb lives here, so that a server deployment can later move
//! to another engine without touching domain code.

mod codec;
#[cfg(feature = "fault-injection")]
pub mod faults;
mod migrate;
pub(crate) mod tables;

use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard};

use redb::{Database, ReadOnlyDatabase, ReadTransaction, ReadableDatabase, WriteTransaction};

pub(crate) use codec::{decode, encode};
pub use migrate::SCHEMA_VERSION;
pub(crate) use tables::next_id;

use crate::clock::Timestamp;
use crate::error::{Error, Result};

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
    /// Transactions start under the read lock (they do not borrow the database afterwards);
    /// only [`Store::compact`] takes the write lock, because redb compacts through `&mut`.
    db: Arc<RwLock<Engine>>,
    durability: Durability,
    /// The file, or `None` in memory.
    path: Option<PathBuf>,
}

impl Store {
    /// Opens or creates the file at `path`, then brings its schema up to date.
    /// With `create` false, a missing file is `NotFound` instead of a new database.
    pub fn open(path: &Path, create: bool, cache_bytes: usize, durability: Durability, now: Timestamp) -> Result<Self> {
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
        Self::from_engine(Engine::ReadWrite(db), durability, Some(path), now)
    }

    /// Opens an existing file for reading only (a read-only file, a backup): every write fails
    /// with a `Storage` error saying so, and a file that needs a schema upgrade is refused.
    pub fn open_read_only(path: &Path, cache_bytes: usize, now: Timestamp) -> Result<Self> {
        if !path.exists() {
            return Err(Error::not_found("database file", path.display()));
        }
        let db = redb::Builder::new().set_cache_size(cache_bytes).open_read_only(path);
        let db = db.map_err(|e| open_error(path, e))?;
        Self::from_engine(Engine::ReadOnly(db), Durability::Immediate, Some(path), now)
    }

    /// A database that lives only in memory, for tests and previews.
    pub fn in_memory(durability: Durability, now: Timestamp) -> Result<Self> {
        let db =
            redb::Builder::new().create_with_backend(redb::backends::InMemoryBackend::new()).map_err(Error::storage)?;
        Self::from_engine(Engine::ReadWrite(db), durability, None, now)
    }

    /// Opens the file at `path` through a [`faults::Faults`] switch (reliability tests only).
    #[cfg(feature = "fault-injection")]
    pub fn open_with_faults(
        path: &Path,
        faults: &faults::Faults,
        cache_bytes: usize,
        durability: Durability,
        now: Timestamp,
    ) -> Result<Self> {
        let backend = faults::FaultyFile::open(path, faults)?;
        let db =
            redb::Builder::new().set_cache_size(cache_bytes).create_with_backend(backend).map_err(Error::storage)?;
        Self::from_engine(Engine::ReadWrite(db), durability, Some(path), now)
    }

    /// Runs redb's own consistency check on a file nobody else has open, then opens it.
    pub fn open_checked(path: &Path, cache_bytes: usize, now: Timestamp) -> Result<(Self, bool)> {
        let mut db = redb::Builder::new().set_cache_size(cache_bytes).open(path).map_err(|e| open_error(path, e))?;
        let intact = db.check_integrity().map_err(Error::storage)?;
        Ok((Self::from_engine(Engine::ReadWrite(db), Durability::Immediate, Some(path), now)?, intact))
    }

    fn from_engine(db: Engine, durability: Durability, path: Option<&Path>, now: Timestamp) -> Result<Self> {
        let store = Store { db: Arc::new(RwLock::new(db)), durability, path: path.map(Path::to_path_buf) };
        migrate::bring_up_to_date(&store, now)?;
        Ok(store)
    }

    /// A consistent snapshot for reading.
    pub fn read(&self) -> Result<ReadTransaction> {
        Ok(match &*self.database() {
            Engine::ReadWrite(db) => db.begin_read()?,
            Engine::ReadOnly(db) => db.begin_read()?,
        })
    }

    /// Runs `work` in one write transaction: all of its writes land, or none do.
    pub fn write<T>(&self, work: impl FnOnce(&WriteTransaction) -> Result<T>) -> Result<T> {
        self.write_with(self.durability, work)
    }

    /// Like [`Store::write`], but `work` also says whether its writes land: [`Ending::RollBack`]
    /// (a dry run, a refused all-or-nothing import) returns its value with nothing written.
    pub fn write_or_roll_back<T>(&self, work: impl FnOnce(&WriteTransaction) -> Result<(T, Ending)>) -> Result<T> {
        let mut txn = self.begin_write()?;
        txn.set_durability(redb_durability(self.durability))?;
        txn.set_quick_repair(true);
        let (value, ending) = work(&txn)?;
        match ending {
            Ending::Commit => txn.commit()?,
            Ending::RollBack => txn.abort()?,
        }
        Ok(value)
    }

    /// Like [`Store::write`] with an explicit durability.
    pub fn write_with<T>(
        &self,
        durability: Durability,
        work: impl FnOnce(&WriteTransaction) -> Result<T>,
    ) -> Result<T> {
        let mut txn = self.begin_write()?;
        txn.set_durability(redb_durability(durability))?;
        txn.set_quick_repair(true);
        let value = work(&txn)?;
        txn.commit()?;
        Ok(value)
    }
}

impl Store {
    /// Compacts the file until redb finds nothing more to move, so that freed pages (with
    /// whatever deleted records they held) are rewritten or cut off the end of the file.
    /// Returns the number of passes. Fails with `Conflict` while any transaction is open.
    pub fn compact(&self) -> Result<u32> {
        let mut engine = self.db.write().unwrap_or_else(PoisonError::into_inner);
        let Engine::ReadWrite(db) = &mut *engine else { return Err(self.read_only()) };
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

    fn database(&self) -> RwLockReadGuard<'_, Engine> {
        self.db.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn begin_write(&self) -> Result<WriteTransaction> {
        match &*self.database() {
            Engine::ReadWrite(db) => Ok(db.begin_write()?),
            Engine::ReadOnly(_) => Err(self.read_only()),
        }
    }

    fn read_only(&self) -> Error {
        let path = self.path.as_deref().map_or_else(|| "the database".into(), |p| p.display().to_string());
        Error::storage(format!("{path} is open read-only: nothing can be changed in it"))
    }
}

/// The database, open for reading and writing or (see [`Store::open_read_only`]) only reading.
enum Engine {
    ReadWrite(Database),
    ReadOnly(ReadOnlyDatabase),
}

fn open_error(path: &Path, error: redb::DatabaseError) -> Error {
    match error {
        redb::DatabaseError::DatabaseAlreadyOpen => Error::DatabaseInUse { path: path.display().to_string() },
        other => Error::storage(format!("cannot open {}: {other}", path.display())),
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

/// Read access shared by read and write transactions, so lookups are written once.
pub(crate) trait Reader {
    fn table<K: redb::Key + 'static, V: redb::Value + 'static>(
        &self,
        def: redb::TableDefinition<K, V>,
    ) -> Result<impl redb::ReadableTable<K, V> + '_>;
}

impl Reader for ReadTransaction {
    fn table<K: redb::Key + 'static, V: redb::Value + 'static>(
        &self,
        def: redb::TableDefinition<K, V>,
    ) -> Result<impl redb::ReadableTable<K, V> + '_> {
        Ok(self.open_table(def)?)
    }
}

impl Reader for WriteTransaction {
    fn table<K: redb::Key + 'static, V: redb::Value + 'static>(
        &self,
        def: redb::TableDefinition<K, V>,
    ) -> Result<impl redb::ReadableTable<K, V> + '_> {
        Ok(self.open_table(def)?)
    }
}
