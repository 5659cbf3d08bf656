//! The key store of crypto-shredding (`docs/erasure.md`): one random 256-bit data key per
//! person, kept apart from the records they seal, so that destroying it makes every copy of
//! those records — a backup of the database file, a replica, a PostgreSQL WAL — unreadable for
//! that person without touching the copies.
//!
//! # Where the keys lie
//! - A file platform keeps them in a second file beside the database, `<file>.keys` (created
//!   0600 with the first key). It is not a table in the database file on purpose: a key in the
//!   same file would be restored with every backup of it and shred nothing.
//! - An in-memory platform keeps them in memory.
//! - The keys are not wrapped under the platform content key: that key is optional and the
//!   CLI passes it only to counselling and `serve`, so every other opening (sign-in, `tick`
//!   from cron) could not read an account. The key file's separation and its permissions are
//!   what protect the keys (`docs/erasure.md`, choices).
//!
//! # The file
//! A 16-byte header (`MAGIC`), then fixed-size slots of [`SLOT_LEN`] bytes: the person's id
//! (8 bytes, big-endian; 0 marks a free slot), the kind (1: a plain 32-byte key; other kinds
//! are reserved for wrapped keys and refused), seven reserved zero bytes, the 32-byte key and
//! 40 reserved zero bytes (room for a wrapped key, so a later file format keeps its slots). Destroying a
//! key overwrites its slot with zeros in place and syncs the file before the erasure's
//! transaction commits: the key file never holds a destroyed key in a free page the way a
//! B-tree file would (what the storage device does below the file system is outside our reach:
//! `docs/erasure.md`). Slots are reused, so the file stays as large as the most keys it held.
//! Every slot is checked when the file is read: a damaged file is a storage error, never a
//! panic.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{PoisonError, RwLock};

use zeroize::Zeroizing;

use super::AllKeys;
use crate::crypto::{self, PersonKey};
use crate::error::{Error, Result};

const MAGIC: &[u8; 16] = b"trialog-keys\0\0\0\x01";
/// One slot: id, kind, reserved, material.
const SLOT_LEN: usize = 88;
const MATERIAL_AT: usize = 16;
const PLAIN: u8 = 1;
const KEY_LEN: usize = 32;

/// The key store of one platform (see the module documentation).
pub(crate) struct Keyring {
    /// The key file, or `None` in memory.
    path: Option<PathBuf>,
    read_only: bool,
    state: RwLock<State>,
    /// Set while a migration seals many records: slots are synced once at its end
    /// ([`Keyring::batch`]) rather than one by one.
    batched: AtomicBool,
    /// Set while an eventual (non-durable) write runs ([`Keyring::defer_syncs`]): its new keys
    /// are synced before the next durable commit rather than one by one.
    deferred: AtomicBool,
    /// Whether a slot was written and not yet synced.
    unsynced: AtomicBool,
}

#[derive(Default)]
struct State {
    /// Each person's slot and key (zeroed when dropped).
    keys: HashMap<u64, (u64, Zeroizing<Vec<u8>>)>,
    /// Slots whose keys were destroyed, for reuse.
    free: Vec<u64>,
    /// Number of slots in the file.
    slots: u64,
    file: Option<File>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring").field("path", &self.path).finish_non_exhaustive()
    }
}

impl Keyring {
    /// A key store in memory.
    pub fn in_memory() -> Self {
        Keyring {
            path: None,
            read_only: false,
            state: RwLock::default(),
            batched: AtomicBool::new(false),
            deferred: AtomicBool::new(false),
            unsynced: AtomicBool::new(false),
        }
    }

    /// The key file of the database at `database`: `<file>.keys`.
    pub fn path_for(database: &Path) -> PathBuf {
        let mut name = database.as_os_str().to_os_string();
        name.push(".keys");
        PathBuf::from(name)
    }

    /// Reads the key file at `path` if there is one (it is created with the first key).
    pub fn open(path: PathBuf, read_only: bool) -> Result<Self> {
        let mut state = State::default();
        if path.exists() {
            let mut file = OpenOptions::new()
                .read(true)
                .write(!read_only)
                .open(&path)
                .map_err(|e| Error::storage(format!("cannot open the key file {}: {e}", path.display())))?;
            let mut bytes = Zeroizing::new(Vec::new());
            file.read_to_end(&mut bytes)
                .map_err(|e| Error::storage(format!("cannot read the key file {}: {e}", path.display())))?;
            state = parse(&bytes).map_err(|why| Error::storage(format!("the key file {} {why}", path.display())))?;
            state.file = Some(file);
        }
        Ok(Keyring {
            path: Some(path),
            read_only,
            state: RwLock::new(state),
            batched: AtomicBool::new(false),
            deferred: AtomicBool::new(false),
            unsynced: AtomicBool::new(false),
        })
    }

    /// The key file's path; `None` in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Whether the key file was opened only to read.
    pub fn read_only(&self) -> bool {
        self.read_only
    }

    /// The data key of `person`; `None` when the store holds none (never made, or destroyed).
    pub fn key(&self, person: u64) -> Result<Option<PersonKey>> {
        let state = self.state.read().unwrap_or_else(PoisonError::into_inner);
        let Some((_, key)) = state.keys.get(&person) else { return Ok(None) };
        PersonKey::from_bytes(key).map(Some)
    }

    /// The data key of `person`, made and durably stored first when there is none.
    pub fn key_or_new(&self, person: u64) -> Result<PersonKey> {
        if let Some(key) = self.key(person)? {
            return Ok(key);
        }
        let mut state = self.state.write().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, key)) = state.keys.get(&person) {
            return PersonKey::from_bytes(key);
        }
        let bytes = Zeroizing::new(crypto::new_person_key()?.to_vec());
        let key = PersonKey::from_bytes(&bytes)?;
        self.store_new(&mut state, person, bytes)?;
        Ok(key)
    }

    /// The bytes of the key of `person`, made first when there is none (the key of a keyed
    /// index, which is not a cipher's).
    pub fn bytes_or_new(&self, person: u64) -> Result<Zeroizing<Vec<u8>>> {
        self.key_or_new(person)?;
        self.bytes(person).ok_or_else(|| Error::storage(format!("the key of {person} went while it was read")))
    }

    /// The bytes of the key of `person`; `None` when the store holds none.
    pub fn bytes(&self, person: u64) -> Option<Zeroizing<Vec<u8>>> {
        let state = self.state.read().unwrap_or_else(PoisonError::into_inner);
        state.keys.get(&person).map(|(_, key)| key.clone())
    }

    /// Every key, in person order (a copy between engines).
    pub fn all(&self) -> AllKeys {
        let state = self.state.read().unwrap_or_else(PoisonError::into_inner);
        let mut keys: AllKeys = state.keys.iter().map(|(person, (_, key))| (*person, key.clone())).collect();
        keys.sort_unstable_by_key(|(person, _)| *person);
        keys
    }

    /// Stores `key` as the data key of `person`, who has none yet (a copy between engines).
    pub fn put(&self, person: u64, key: &[u8]) -> Result<()> {
        PersonKey::from_bytes(key)?;
        let mut state = self.state.write().unwrap_or_else(PoisonError::into_inner);
        if state.keys.contains_key(&person) {
            return Err(Error::conflict(format!("person {person} has a key in the key store already")));
        }
        self.store_new(&mut state, person, Zeroizing::new(key.to_vec()))
    }

    /// Writes a new key of `person` into a free slot (or a new one at the end).
    fn store_new(&self, state: &mut State, person: u64, bytes: Zeroizing<Vec<u8>>) -> Result<()> {
        let slot = match state.free.pop() {
            Some(slot) => slot,
            None => state.slots,
        };
        if let Err(e) = self.write_slot(state, slot, &slot_bytes(person, &bytes)) {
            if slot < state.slots {
                state.free.push(slot);
            }
            return Err(e);
        }
        state.slots = state.slots.max(slot + 1);
        state.keys.insert(person, (slot, bytes));
        Ok(())
    }

    /// Destroys the data key of `person`: its slot is overwritten with zeros and synced before
    /// this returns. `false` when there was none. From now on nothing sealed under it opens,
    /// wherever a copy of it lies.
    pub fn destroy(&self, person: u64) -> Result<bool> {
        let mut state = self.state.write().unwrap_or_else(PoisonError::into_inner);
        let Some(&(slot, _)) = state.keys.get(&person) else { return Ok(false) };
        self.write_slot(&mut state, slot, &Zeroizing::new(vec![0u8; SLOT_LEN]))?;
        self.sync(&mut state)?;
        state.keys.remove(&person);
        state.free.push(slot);
        Ok(true)
    }

    /// Runs `work` (a migration sealing every record of a kind) with the key file synced once
    /// at its end instead of after every new key; the caller's transaction commits after this
    /// returns, so no record is ever sealed under a key that is not on disk.
    pub fn batch<T>(&self, work: impl FnOnce() -> Result<T>) -> Result<T> {
        self.batched.store(true, Ordering::SeqCst);
        let done = work();
        self.batched.store(false, Ordering::SeqCst);
        let value = done?;
        self.sync(&mut self.state.write().unwrap_or_else(PoisonError::into_inner))?;
        Ok(value)
    }

    /// Whether new keys wait for [`Keyring::sync_deferred`] instead of being synced at once:
    /// set by the store for each write transaction, on for an eventual one. A record sealed
    /// under a new key in an eventual commit is no more durable than the key until the next
    /// durable commit, which syncs the key first; a crash before it loses both together. (An
    /// account created one by one costs a `sync_data` of the key file otherwise: 280 a second
    /// on this machine's disk, when a bulk import of a million accounts should take minutes.)
    /// Destroying a key is synced at once all the same.
    pub fn defer_syncs(&self, defer: bool) {
        self.deferred.store(defer, Ordering::SeqCst);
    }

    /// Syncs the slots written since the last sync, if any: called before every durable commit
    /// (and when the key store is dropped), so no durable record is sealed under a key that
    /// is not on disk.
    pub fn sync_deferred(&self) -> Result<()> {
        if !self.unsynced.load(Ordering::SeqCst) {
            return Ok(());
        }
        self.sync(&mut self.state.write().unwrap_or_else(PoisonError::into_inner))
    }

    /// Whether a written slot waits for its sync.
    #[cfg(test)]
    pub fn has_unsynced(&self) -> bool {
        self.unsynced.load(Ordering::SeqCst)
    }

    /// Syncs the key file (in memory, or before its first key: nothing to sync).
    fn sync(&self, state: &mut State) -> Result<()> {
        let (Some(file), Some(path)) = (state.file.as_mut(), &self.path) else { return Ok(()) };
        file.sync_data().map_err(|e| Error::storage(format!("cannot sync the key file {}: {e}", path.display())))?;
        self.unsynced.store(false, Ordering::SeqCst);
        Ok(())
    }

    /// Writes one slot in place and syncs the file (in memory: nothing to write).
    fn write_slot(&self, state: &mut State, slot: u64, bytes: &[u8]) -> Result<()> {
        let Some(path) = &self.path else { return Ok(()) };
        if self.read_only {
            return Err(Error::storage(format!("the key file {} is open read-only", path.display())));
        }
        let failed = |e: std::io::Error| Error::storage(format!("cannot write the key file {}: {e}", path.display()));
        if state.file.is_none() {
            state.file = Some(create_private(path).map_err(failed)?);
        }
        let Some(file) = state.file.as_mut() else { return Ok(()) };
        file.seek(SeekFrom::Start(MAGIC.len() as u64 + slot * SLOT_LEN as u64)).map_err(failed)?;
        file.write_all(bytes).map_err(failed)?;
        self.unsynced.store(true, Ordering::SeqCst);
        if self.batched.load(Ordering::SeqCst) || self.deferred.load(Ordering::SeqCst) {
            return Ok(());
        }
        self.sync(state)
    }
}

impl Drop for Keyring {
    /// A platform closed after eventual commits: its keys are synced as its last commits are.
    fn drop(&mut self) {
        let _ = self.sync_deferred();
    }
}

/// Creates the key file 0600 with its header, synced.
fn create_private(path: &Path) -> std::io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(MAGIC)?;
    file.sync_all()?;
    Ok(file)
}

fn slot_bytes(person: u64, key: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut slot = Zeroizing::new(vec![0u8; SLOT_LEN]);
    slot[..8].copy_from_slice(&person.to_be_bytes());
    slot[8] = PLAIN;
    slot[MATERIAL_AT..MATERIAL_AT + key.len()].copy_from_slice(key);
    slot
}

/// Reads a key file's bytes; the error completes "the key file … ".
fn parse(bytes: &[u8]) -> std::result::Result<State, String> {
    let Some(body) = bytes.strip_prefix(MAGIC.as_slice()) else {
        return Err("is not a trialog key file (its header is wrong)".into());
    };
    if body.len() % SLOT_LEN != 0 {
        return Err(format!("is damaged: {} bytes after the header are not whole slots of {SLOT_LEN}", body.len()));
    }
    let mut state = State { slots: (body.len() / SLOT_LEN) as u64, ..State::default() };
    for (slot, bytes) in body.chunks_exact(SLOT_LEN).enumerate() {
        let slot = slot as u64;
        let person = u64::from_be_bytes(bytes[..8].try_into().map_err(|_| "is damaged")?);
        if person == 0 {
            state.free.push(slot);
            continue;
        }
        if bytes[8] != PLAIN {
            return Err(format!("is damaged or newer: slot {slot} has the unknown kind {}", bytes[8]));
        }
        let key = Zeroizing::new(bytes[MATERIAL_AT..MATERIAL_AT + KEY_LEN].to_vec());
        if state.keys.insert(person, (slot, key)).is_some() {
            return Err(format!("is damaged: person {person} has two keys"));
        }
    }
    Ok(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealed_with(ring: &Keyring, person: u64, text: &[u8]) -> Vec<u8> {
        ring.key_or_new(person).unwrap().seal(b"place", text).unwrap()
    }

    #[test]
    fn keys_survive_reopening_and_a_destroyed_key_leaves_nothing_in_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.redb.keys");
        let ring = Keyring::open(path.clone(), false).unwrap();
        assert!(!path.exists(), "the file is made with the first key");
        let a = sealed_with(&ring, 7, b"kim@example.org");
        let b = sealed_with(&ring, 9, b"ole@example.org");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let key_of_7 = ring.state.read().unwrap().keys[&7].1.to_vec();
        assert!(std::fs::read(&path).unwrap().windows(KEY_LEN).any(|w| w == key_of_7.as_slice()));
        drop(ring);
        let ring = Keyring::open(path.clone(), false).unwrap();
        assert_eq!(ring.key(7).unwrap().unwrap().open(b"place", &a).unwrap().as_slice(), b"kim@example.org");
        assert!(ring.key(7).unwrap().unwrap().open(b"other place", &a).is_none(), "bound to its place");
        assert!(ring.key(9).unwrap().unwrap().open(b"place", &a).is_none(), "and to its person");
        assert!(ring.destroy(7).unwrap());
        assert!(!ring.destroy(7).unwrap());
        let file = std::fs::read(&path).unwrap();
        assert!(!file.windows(KEY_LEN).any(|w| w == key_of_7.as_slice()), "the key is overwritten in place");
        drop(ring);
        let ring = Keyring::open(path.clone(), false).unwrap();
        assert!(ring.key(7).unwrap().is_none());
        assert_eq!(ring.key(9).unwrap().unwrap().open(b"place", &b).unwrap().as_slice(), b"ole@example.org");
        sealed_with(&ring, 11, b"x");
        assert_eq!(std::fs::read(&path).unwrap().len(), MAGIC.len() + 2 * SLOT_LEN, "the free slot is reused");
        let read_only = Keyring::open(path.clone(), true).unwrap();
        assert!(matches!(read_only.key_or_new(12), Err(Error::Storage { .. })));
    }

    #[test]
    fn a_damaged_key_file_is_a_storage_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.redb.keys");
        Keyring::open(path.clone(), false).unwrap().key_or_new(3).unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.push(1);
        std::fs::write(&path, &bytes).unwrap();
        assert!(matches!(Keyring::open(path.clone(), false), Err(Error::Storage { .. })), "a partial slot");
        std::fs::write(&path, b"not a key file at all").unwrap();
        assert!(matches!(Keyring::open(path.clone(), false), Err(Error::Storage { .. })), "no header");
        bytes.pop();
        bytes[MAGIC.len() + 8] = 9;
        std::fs::write(&path, &bytes).unwrap();
        assert!(matches!(Keyring::open(path.clone(), false), Err(Error::Storage { .. })), "an unknown kind");
        bytes[MAGIC.len() + 8] = PLAIN;
        bytes.extend_from_within(MAGIC.len()..);
        std::fs::write(&path, &bytes).unwrap();
        assert!(matches!(Keyring::open(path, false), Err(Error::Storage { .. })), "two keys of one person");
    }
}
