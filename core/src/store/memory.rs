//! The in-memory backend: every keyspace a `BTreeMap` of order-preserving key bytes (see
//! [`super::types`]) to value bytes. It is what a PostgreSQL backend will be at small scale —
//! bytes in, bytes out, in key order — and it runs the whole core test suite without a file.
//!
//! Isolation: readers take the last committed snapshot (an `Arc` per keyspace, so taking one
//! copies nothing). One writer at a time works on its own copy of each keyspace it changes;
//! its commit swaps those copies in at once, so a reader sees all of a transaction or none.

use std::collections::{BTreeMap, HashMap};
use std::ops::Bound;
use std::sync::{Arc, Condvar, Mutex, PoisonError, RwLock};

use crate::error::{Error, Result};

/// One keyspace's rows.
pub(super) type Rows = BTreeMap<Box<[u8]>, Arc<[u8]>>;
type Keyspaces = HashMap<&'static str, Arc<Rows>>;

/// The database: the committed keyspaces and the writer's turn.
#[derive(Default)]
pub(crate) struct MemoryDb {
    committed: RwLock<Arc<Keyspaces>>,
    /// `true` while a write transaction is open.
    writing: Mutex<bool>,
    turn: Condvar,
}

impl MemoryDb {
    pub fn begin_read(&self) -> Snapshot {
        Snapshot { keyspaces: self.committed.read().unwrap_or_else(PoisonError::into_inner).clone() }
    }

    /// The committed keyspaces, by name: a commit that changes one replaces it, so comparing
    /// two of these (`Arc::ptr_eq`) tells which tables the commits between them wrote.
    #[cfg(test)]
    pub fn keyspaces(&self) -> Keyspaces {
        Keyspaces::clone(&self.begin_read().keyspaces)
    }

    /// Waits for the writer's turn, then starts from the last committed state.
    pub fn begin_write(self: &Arc<Self>) -> Changes {
        let mut writing = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        while *writing {
            writing = self.turn.wait(writing).unwrap_or_else(PoisonError::into_inner);
        }
        *writing = true;
        let base = self.begin_read().keyspaces;
        let slots = base.iter().map(|(name, rows)| (*name, Some(rows.clone()))).collect();
        Changes { db: self.clone(), slots: Mutex::new(slots), finished: false }
    }
}

/// A read transaction: the keyspaces as last committed.
pub(crate) struct Snapshot {
    keyspaces: Arc<Keyspaces>,
}

impl Snapshot {
    pub fn open(&self, name: &'static str) -> Result<Arc<Rows>> {
        self.keyspaces.get(name).cloned().ok_or_else(|| missing(name))
    }

    pub fn names(&self) -> Vec<String> {
        self.keyspaces.keys().map(|n| n.to_string()).collect()
    }
}

/// A write transaction. Each keyspace is a slot: `None` while a handle has it open (a second
/// open of the same keyspace is refused, as redb refuses it).
pub(crate) struct Changes {
    db: Arc<MemoryDb>,
    slots: Mutex<HashMap<&'static str, Option<Arc<Rows>>>>,
    finished: bool,
}

impl Changes {
    /// Takes the keyspace out for a handle (creating it when new); [`Changes::put_back`] returns it.
    pub fn take(&self, name: &'static str) -> Result<Arc<Rows>> {
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        match slots.entry(name).or_insert_with(|| Some(Arc::default())).take() {
            Some(rows) => Ok(rows),
            None => Err(Error::storage(format!("table {name} is already open in this transaction"))),
        }
    }

    pub fn put_back(&self, name: &'static str, rows: Arc<Rows>) {
        self.slots.lock().unwrap_or_else(PoisonError::into_inner).insert(name, Some(rows));
    }

    pub fn delete(&self, name: &'static str) -> Result<bool> {
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        match slots.get(name) {
            Some(None) => Err(Error::storage(format!("table {name} is open and cannot be deleted"))),
            Some(Some(_)) => Ok(slots.remove(name).is_some()),
            None => Ok(false),
        }
    }

    /// Makes every change visible to new readers at once.
    pub fn commit(mut self) -> Result<()> {
        let slots = std::mem::take(&mut *self.slots.lock().unwrap_or_else(PoisonError::into_inner));
        let mut keyspaces = Keyspaces::with_capacity(slots.len());
        for (name, rows) in slots {
            keyspaces.insert(name, rows.ok_or_else(|| Error::storage(format!("table {name} is still open")))?);
        }
        *self.db.committed.write().unwrap_or_else(PoisonError::into_inner) = Arc::new(keyspaces);
        self.finish();
        Ok(())
    }

    fn finish(&mut self) {
        if !self.finished {
            self.finished = true;
            *self.db.writing.lock().unwrap_or_else(PoisonError::into_inner) = false;
            self.db.turn.notify_one();
        }
    }
}

impl Drop for Changes {
    /// An uncommitted transaction leaves nothing behind but the writer's turn.
    fn drop(&mut self) {
        self.finish();
    }
}

fn missing(name: &str) -> Error {
    Error::storage(format!("table {name} does not exist"))
}

/// The rows of `rows` between two encoded bounds.
pub(super) fn range(
    rows: &Rows,
    lower: Bound<Vec<u8>>,
    upper: Bound<Vec<u8>>,
) -> std::collections::btree_map::Range<'_, Box<[u8]>, Arc<[u8]>> {
    // BTreeMap panics on an inverted range; an empty one is what every other backend returns.
    let inverted = match (&lower, &upper) {
        (Bound::Included(l), Bound::Included(u)) => l > u,
        (Bound::Included(l) | Bound::Excluded(l), Bound::Excluded(u)) | (Bound::Excluded(l), Bound::Included(u)) => {
            l >= u
        }
        _ => false,
    };
    if inverted {
        return rows.range::<[u8], _>((Bound::Included(&[][..]), Bound::Excluded(&[][..])));
    }
    rows.range::<[u8], _>((as_slice(&lower), as_slice(&upper)))
}

fn as_slice(bound: &Bound<Vec<u8>>) -> Bound<&[u8]> {
    match bound {
        Bound::Included(b) => Bound::Included(b.as_slice()),
        Bound::Excluded(b) => Bound::Excluded(b.as_slice()),
        Bound::Unbounded => Bound::Unbounded,
    }
}
