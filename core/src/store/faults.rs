//! Storage faults on purpose (feature `fault-injection`, for the reliability tests only).
//!
//! A redb storage backend over the real file that counts every read, write and sync and fails
//! the N-th one of a chosen kind, as SQLite's I/O-error tests and redb's own failing backend
//! do. The storage-fault harness (`core/tests/storage_faults.rs`) runs an operation once to
//! count its I/O, then again for every N, and proves the file afterwards holds the old or the
//! new state, never a mix.

use std::fs::OpenOptions;
use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use redb::backends::FileBackend;
use redb::{ReadableTableMetadata, StorageBackend, TableHandle};

use crate::error::{Error, Result};

/// The kind of I/O a fault hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FaultKind {
    /// A read of file bytes.
    Read,
    /// A write of file bytes, or a change of the file's length.
    Write,
    /// A sync of written bytes to the disk.
    Sync,
}

impl FaultKind {
    /// Every kind, in a fixed order.
    pub const ALL: [FaultKind; 3] = [FaultKind::Read, FaultKind::Write, FaultKind::Sync];

    fn slot(self) -> usize {
        match self {
            FaultKind::Read => 0,
            FaultKind::Write => 1,
            FaultKind::Sync => 2,
        }
    }
}

/// How many operations of each kind ran while the faults were armed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct OpCounts {
    pub reads: u64,
    pub writes: u64,
    pub syncs: u64,
}

impl OpCounts {
    /// The count of one kind.
    pub fn of(&self, kind: FaultKind) -> u64 {
        match kind {
            FaultKind::Read => self.reads,
            FaultKind::Write => self.writes,
            FaultKind::Sync => self.syncs,
        }
    }
}

/// The switch a test holds: arm it (counting, and optionally failing the N-th operation of a
/// kind), run the operation, read what happened. Clones share one switch.
#[derive(Debug, Clone, Default)]
pub struct Faults {
    shared: Arc<Shared>,
}

#[derive(Debug, Default)]
struct Shared {
    armed: AtomicBool,
    counts: [AtomicU64; 3],
    /// The kind and 1-based ordinal of the operation that fails.
    fail: Mutex<Option<(FaultKind, u64)>>,
    fired: AtomicBool,
}

impl Faults {
    /// A switch that is not armed: the backend passes everything through uncounted.
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts counting from zero; with `fail` = `Some((kind, n))`, the n-th operation of `kind`
    /// (1-based) fails with an I/O error, and so does every later one of any kind, as on a
    /// disk that has gone away.
    pub fn arm(&self, fail: Option<(FaultKind, u64)>) {
        for count in &self.shared.counts {
            count.store(0, Ordering::SeqCst);
        }
        *self.shared.fail.lock().unwrap_or_else(PoisonError::into_inner) = fail;
        self.shared.fired.store(false, Ordering::SeqCst);
        self.shared.armed.store(true, Ordering::SeqCst);
    }

    /// Stops counting and failing; returns what ran while armed.
    pub fn disarm(&self) -> OpCounts {
        self.shared.armed.store(false, Ordering::SeqCst);
        self.counts()
    }

    /// What ran since the switch was last armed.
    pub fn counts(&self) -> OpCounts {
        let count = |kind: FaultKind| self.shared.counts[kind.slot()].load(Ordering::SeqCst);
        OpCounts { reads: count(FaultKind::Read), writes: count(FaultKind::Write), syncs: count(FaultKind::Sync) }
    }

    /// Whether the planned fault has happened.
    pub fn fired(&self) -> bool {
        self.shared.fired.load(Ordering::SeqCst)
    }

    /// Counts one operation of `kind` and says whether it must fail.
    fn check(&self, kind: FaultKind) -> io::Result<()> {
        if !self.shared.armed.load(Ordering::SeqCst) {
            return Ok(());
        }
        let ordinal = self.shared.counts[kind.slot()].fetch_add(1, Ordering::SeqCst) + 1;
        let planned = *self.shared.fail.lock().unwrap_or_else(PoisonError::into_inner);
        let hit = planned == Some((kind, ordinal));
        if hit || self.fired() {
            self.shared.fired.store(true, Ordering::SeqCst);
            return Err(io::Error::other(format!("injected {kind:?} fault")));
        }
        Ok(())
    }
}

/// Every table of the store's file with its row count and stored bytes, by name: two files
/// with the same fingerprint agree table by table, so a transaction that landed only in part
/// shows up as some tables changed and others not.
pub(crate) fn fingerprint(store: &super::Store) -> Result<Vec<(String, u64, u64)>> {
    let read = store.read()?;
    let super::txn::ReadInner::Redb(txn) = &read.0 else {
        return Err(Error::storage("fault fingerprints are taken of redb files only"));
    };
    let mut tables = Vec::new();
    for handle in txn.list_tables()? {
        let name = handle.name().to_string();
        let table = txn.open_untyped_table(handle)?;
        tables.push((name, table.len()?, table.stats()?.stored_bytes()));
    }
    tables.sort();
    Ok(tables)
}

/// The real file behind a [`Faults`] switch.
#[derive(Debug)]
pub(crate) struct FaultyFile {
    file: FileBackend,
    faults: Faults,
}

impl FaultyFile {
    /// Opens (or creates) the file at `path`.
    pub fn open(path: &Path, faults: &Faults) -> Result<Self> {
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(path)
            .map_err(|e| Error::storage(format!("cannot open {}: {e}", path.display())))?;
        let file = FileBackend::new(file).map_err(Error::storage)?;
        Ok(FaultyFile { file, faults: faults.clone() })
    }
}

impl StorageBackend for FaultyFile {
    fn len(&self) -> io::Result<u64> {
        self.file.len()
    }

    fn read(&self, offset: u64, out: &mut [u8]) -> io::Result<()> {
        self.faults.check(FaultKind::Read)?;
        self.file.read(offset, out)
    }

    fn set_len(&self, len: u64) -> io::Result<()> {
        self.faults.check(FaultKind::Write)?;
        self.file.set_len(len)
    }

    fn sync_data(&self) -> io::Result<()> {
        self.faults.check(FaultKind::Sync)?;
        self.file.sync_data()
    }

    fn write(&self, offset: u64, data: &[u8]) -> io::Result<()> {
        self.faults.check(FaultKind::Write)?;
        self.file.write(offset, data)
    }

    fn close(&self) -> io::Result<()> {
        self.file.close()
    }
}
