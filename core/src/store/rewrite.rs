//! Giving a file's free pages back: a compaction's rewrite into a fresh file.
//!
//! redb compacts in place: it moves pages towards the start and cuts the free tail off, but a
//! page it cannot move keeps its region, and every free page below it stays in the file (the
//! 200,000-post forum file of issue 15 kept 161 MiB of 512 after compacting; benches/README.md).
//! When at least [`REWRITE_SHARE`] of the file is still free after redb's compaction, the store
//! copies every keyspace in key order into `NAME.compacting` — which also fills the B-tree
//! leaves, where pages split by random inserts are half empty — verifies each keyspace's count
//! and checksum against the old file ([`super::copy::copy_keyspaces`], the copier of
//! `trialog store copy`), makes it durable, and renames it over `NAME`.
//!
//! # Never losing data
//! - The old file is not written: until the rename, `NAME` is the old, valid file. A process
//!   that dies earlier leaves a `NAME.compacting` beside it, which the next opening of `NAME`
//!   (or the next compaction) removes: [`remove_leftover`] runs only while redb's lock on
//!   `NAME` is held, so it never removes the file of a rewrite in progress elsewhere.
//! - The new file is complete and on disk (its last commit waits for the disk, then an fsync of
//!   the file) before the rename, and the directory is synced after it: a crash around the
//!   rename leaves one valid file under `NAME`, the old or the new.
//! - The key file (`NAME.keys`) is not touched: the new file holds the same rows, including
//!   the key-file check in `meta` ([`super::keycheck`]).
//! - A table the store's domains do not register (a file written by a newer version) stops the
//!   rewrite before anything is written: copying only the known tables would drop it.
//!
//! # Exclusive access
//! The rewrite runs inside [`super::Store::compact`], under the write lock of the store's
//! database, after redb's compaction found no transaction open: no read or write of this
//! process runs meanwhile, and redb's file lock keeps every other process out of `NAME` (a
//! second `trialog` on the file gets `DatabaseInUse`). Every clone of the platform shares the
//! lock, so each of them goes on with the new file.

use std::cell::Cell;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use redb::{Database, MultimapTableHandle, ReadableDatabase, TableHandle};

use super::copy::{CopyProgress, DEFAULT_BATCH_ROWS, copy_keyspaces, create_file, keyspaces};
use super::txn::ReadInner;
use super::{Domain, Engine, ReadTxn, Store};
use crate::error::{Error, Result};

/// The share of the file that must still be free after redb's own compaction for the store to
/// rewrite it: one tenth. The rewrite reads and writes the whole file (the 544 MiB forum file
/// of issue 15 compacted in place and rewritten to 239 MiB in 3.9 s, release build), holding
/// every other read and write of the process meanwhile, so it pays only when it gives back a
/// noticeable share; below that, the free pages are reused by the next writes anyway, and a
/// busy file always has a few.
pub(crate) const REWRITE_SHARE: (u64, u64) = (1, 10);

/// Files below this size are never rewritten: their free pages are too few bytes to matter.
pub(crate) const REWRITE_MIN_FREE_BYTES: u64 = 1 << 20;

/// Where the rewrite of `path` is written before it replaces it.
pub(crate) fn compacting_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(".compacting");
    PathBuf::from(name)
}

/// Removes a `NAME.compacting` left by a rewrite that did not finish. Only while redb's lock on
/// `path` is held (module documentation).
pub(crate) fn remove_leftover(path: &Path) -> Result<()> {
    let leftover = compacting_path(path);
    match std::fs::remove_file(&leftover) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::storage(format!("cannot remove the unfinished rewrite {}: {e}", leftover.display()))),
    }
}

/// The bytes of the file at `file_bytes` that redb holds no page in: free pages and the
/// allocator's slack, which redb's compaction could not cut off.
pub(crate) fn free_bytes(db: &Database, file_bytes: u64) -> Result<u64> {
    let stats = db.begin_write()?.stats()?;
    Ok(file_bytes.saturating_sub(stats.allocated_pages() * stats.page_size() as u64))
}

thread_local! {
    /// Whether this thread's compactions rewrite whatever is free ([`rewrite_on_this_thread`]).
    static ALWAYS: Cell<bool> = const { Cell::new(false) };
}

/// Makes this thread's compactions rewrite the file whatever is still free, or back to the
/// threshold. Only for tests of the rewrite: their files are small, and redb's compaction in
/// place leaves them less than [`REWRITE_MIN_FREE_BYTES`]. A compaction runs on the calling
/// thread, so the switch affects that test alone.
#[doc(hidden)]
pub fn rewrite_on_this_thread(always: bool) {
    ALWAYS.with(|a| a.set(always));
}

/// Whether `free` bytes of a file of `file_bytes` are worth a rewrite ([`REWRITE_SHARE`]).
pub(crate) fn worth_rewriting(free: u64, file_bytes: u64) -> bool {
    ALWAYS.with(Cell::get) || (free >= REWRITE_MIN_FREE_BYTES && free * REWRITE_SHARE.1 >= file_bytes * REWRITE_SHARE.0)
}

/// Rewrites the file `path` of the open database `db` into a fresh file and renames it over
/// `path`; returns the new file, opened with `cache_bytes` of page cache, for the caller to put
/// in place of `db` (whose handle then refers to the replaced file only). The caller holds the
/// database's write lock and no transaction is open.
/// `progress` follows the copy, batch by batch.
pub(crate) fn rewrite(
    db: &Database,
    path: &Path,
    domains: &[Domain],
    cache_bytes: usize,
    progress: &mut dyn FnMut(&CopyProgress),
) -> Result<Database> {
    remove_leftover(path)?;
    let tables = keyspaces(domains);
    refuse_unknown_tables(db, &tables)?;
    let target = compacting_path(path);
    let fresh = copy_into(db, &target, &tables, cache_bytes, progress).and_then(|fresh| {
        sync_file(&target)?;
        std::fs::rename(&target, path)
            .map_err(|e| Error::storage(format!("cannot rename {} to {}: {e}", target.display(), path.display())))?;
        Ok(fresh)
    });
    match fresh {
        Ok(fresh) => {
            sync_directory(path)?;
            Ok(fresh)
        }
        Err(e) => {
            // The old file is untouched; the partial copy goes (or at the next opening).
            let _ = std::fs::remove_file(&target);
            Err(e)
        }
    }
}

/// Copies every keyspace of `db` into a new file at `target`, verified, and returns it open.
fn copy_into(
    db: &Database,
    target: &Path,
    tables: &[&'static dyn super::registry::AnyTable],
    cache_bytes: usize,
    progress: &mut dyn FnMut(&CopyProgress),
) -> Result<Database> {
    let engine = Engine::Redb(Arc::new(RwLock::new(create_file(target, cache_bytes)?)));
    let to = Store::bare(engine, Some(target.to_path_buf()), None);
    let from = ReadTxn(ReadInner::Redb(db.begin_read()?), None);
    copy_keyspaces(tables, &from, &to, DEFAULT_BATCH_ROWS, progress)?;
    drop(from);
    let Engine::Redb(shared) = to.engine else { return Err(Error::storage("the rewritten file is not a redb file")) };
    let lock = Arc::try_unwrap(shared).map_err(|_| Error::storage("the rewritten file is still in use"))?;
    let mut fresh = lock.into_inner().unwrap_or_else(std::sync::PoisonError::into_inner);
    // The copy's batches commit without waiting for the disk, and redb frees the pages such a
    // commit replaces only at the next durable one: compacting the new file gives them back.
    // Two durable empty commits first: the pages that the last batches freed are released
    // only by a durable commit after the one that freed them.
    for _ in 0..2 {
        let mut txn = fresh.begin_write()?;
        txn.set_durability(redb::Durability::Immediate)?;
        txn.commit()?;
    }
    while fresh.compact().map_err(super::compaction_error)? {}
    Ok(fresh)
}

/// Fails when `db` holds a table that `tables` do not name, or a multimap table (trialog makes
/// none): the rewrite would drop it.
fn refuse_unknown_tables(db: &Database, tables: &[&'static dyn super::registry::AnyTable]) -> Result<()> {
    let txn = db.begin_read()?;
    let unknown = txn
        .list_tables()?
        .map(|t| t.name().to_string())
        .chain(txn.list_multimap_tables()?.map(|t| t.name().to_string()))
        .find(|name| !tables.iter().any(|t| t.name() == name));
    match unknown {
        Some(name) => Err(Error::storage(format!(
            "cannot rewrite the file: it has a table this version does not know ({name}); \
             it was compacted in place only"
        ))),
        None => Ok(()),
    }
}

fn sync_file(path: &Path) -> Result<()> {
    let file = std::fs::File::open(path).map_err(|e| Error::storage(format!("cannot open {}: {e}", path.display())))?;
    file.sync_all().map_err(|e| Error::storage(format!("cannot sync {}: {e}", path.display())))
}

/// Makes a rename in the directory of `path` durable (on Unix; elsewhere the rename is).
fn sync_directory(path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        let dir = match path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir,
            _ => Path::new("."),
        };
        sync_file(dir)?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_rewritten_when_a_tenth_and_a_mebibyte_of_it_are_free() {
        let mib = 1 << 20;
        assert!(worth_rewriting(16 * mib, 160 * mib), "a tenth");
        assert!(!worth_rewriting(16 * mib - 1, 160 * mib), "less than a tenth");
        assert!(!worth_rewriting(mib - 1, 2 * mib), "half of a small file, but less than a mebibyte");
        assert!(worth_rewriting(161 * mib, 512 * mib), "issue 15's forum file");
    }

    #[test]
    fn the_rewrite_goes_beside_the_file() {
        assert_eq!(compacting_path(Path::new("/srv/forum.redb")), Path::new("/srv/forum.redb.compacting"));
    }
}
