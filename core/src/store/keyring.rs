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
//! - With the platform content key ([`ContentKey`]) each data key is stored wrapped under it
//!   (XChaCha20-Poly1305, the person's id as associated data), so a stolen key file alone opens
//!   nothing; without one the keys lie in the key file as they are, and the file's separation
//!   and permissions are what protect them.
//!
//! # The file
//! A 16-byte header (`MAGIC`), then fixed-size slots of [`SLOT_LEN`] bytes: the person's id
//! (8 bytes, big-endian; 0 marks a free slot), the kind (1 plain, 2 wrapped), seven reserved
//! zero bytes, and the key material (32 plain or 72 wrapped bytes, zero-padded). Destroying a
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

use crate::crypto::{self, ContentKey, PersonKey};
use crate::error::{Error, Result};

const MAGIC: &[u8; 16] = b"trialog-keys\0\0\0\x01";
/// One slot: id, kind, reserved, material.
const SLOT_LEN: usize = 88;
const MATERIAL_AT: usize = 16;
const PLAIN: u8 = 1;
const WRAPPED: u8 = 2;
const PLAIN_LEN: usize = 32;
/// Nonce, key, tag.
const WRAPPED_LEN: usize = 24 + 32 + 16;

/// The key store of one platform (see the module documentation).
pub(crate) struct Keyring {
    /// Wraps the data keys when the platform has a content key.
    kek: Option<ContentKey>,
    /// The key file, or `None` in memory.
    path: Option<PathBuf>,
    read_only: bool,
    state: RwLock<State>,
    /// Set while a migration seals many records: slots are synced once at its end
    /// ([`Keyring::batch`]) rather than one by one.
    batched: AtomicBool,
}

#[derive(Default)]
struct State {
    /// Each person's slot and stored key material (wrapped, or plain and zeroed when dropped).
    keys: HashMap<u64, (u64, Material)>,
    /// Slots whose keys were destroyed, for reuse.
    free: Vec<u64>,
    /// Number of slots in the file.
    slots: u64,
    file: Option<File>,
}

enum Material {
    Plain(Zeroizing<Vec<u8>>),
    Wrapped(Vec<u8>),
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring").field("path", &self.path).finish_non_exhaustive()
    }
}

impl Keyring {
    /// A key store in memory.
    pub fn in_memory(kek: Option<ContentKey>) -> Self {
        Keyring { kek, path: None, read_only: false, state: RwLock::default(), batched: AtomicBool::new(false) }
    }

    /// The key file of the database at `database`: `<file>.keys`.
    pub fn path_for(database: &Path) -> PathBuf {
        let mut name = database.as_os_str().to_os_string();
        name.push(".keys");
        PathBuf::from(name)
    }

    /// Reads the key file at `path` if there is one (it is created with the first key).
    pub fn open(path: PathBuf, kek: Option<ContentKey>, read_only: bool) -> Result<Self> {
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
        Ok(Keyring { kek, path: Some(path), read_only, state: RwLock::new(state), batched: AtomicBool::new(false) })
    }

    /// The data key of `person`; `None` when the store holds none (never made, or destroyed).
    pub fn key(&self, person: u64) -> Result<Option<PersonKey>> {
        let state = self.state.read().unwrap_or_else(PoisonError::into_inner);
        let Some((_, material)) = state.keys.get(&person) else { return Ok(None) };
        self.unwrap(person, material).map(Some)
    }

    /// The data key of `person`, made and durably stored first when there is none.
    pub fn key_or_new(&self, person: u64) -> Result<PersonKey> {
        if let Some(key) = self.key(person)? {
            return Ok(key);
        }
        let mut state = self.state.write().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, material)) = state.keys.get(&person) {
            return self.unwrap(person, material);
        }
        let bytes = crypto::new_person_key()?;
        let material = match &self.kek {
            Some(kek) => Material::Wrapped(kek.wrap_person_key(person, bytes.as_ref())?),
            None => Material::Plain(Zeroizing::new(bytes.to_vec())),
        };
        let slot = match state.free.pop() {
            Some(slot) => slot,
            None => state.slots,
        };
        if let Err(e) = self.write_slot(&mut state, slot, &slot_bytes(person, &material)) {
            if slot < state.slots {
                state.free.push(slot);
            }
            return Err(e);
        }
        state.slots = state.slots.max(slot + 1);
        let key = PersonKey::from_bytes(bytes.as_ref())?;
        state.keys.insert(person, (slot, material));
        Ok(key)
    }

    /// Destroys the data key of `person`: its slot is overwritten with zeros and synced before
    /// this returns. `false` when there was none. From now on nothing sealed under it opens,
    /// wherever a copy of it lies.
    pub fn destroy(&self, person: u64) -> Result<bool> {
        let mut state = self.state.write().unwrap_or_else(PoisonError::into_inner);
        let Some(&(slot, _)) = state.keys.get(&person) else { return Ok(false) };
        self.write_slot(&mut state, slot, &Zeroizing::new(vec![0u8; SLOT_LEN]))?;
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
        let mut state = self.state.write().unwrap_or_else(PoisonError::into_inner);
        if let (Some(file), Some(path)) = (state.file.as_mut(), &self.path) {
            file.sync_data()
                .map_err(|e| Error::storage(format!("cannot sync the key file {}: {e}", path.display())))?;
        }
        Ok(value)
    }

    fn unwrap(&self, person: u64, material: &Material) -> Result<PersonKey> {
        match (material, &self.kek) {
            (Material::Plain(bytes), _) => PersonKey::from_bytes(bytes),
            (Material::Wrapped(wrapped), Some(kek)) => kek.unwrap_person_key(person, wrapped),
            (Material::Wrapped(_), None) => Err(Error::invalid(
                "content_key",
                "the key store's keys are wrapped under the platform content key: pass it in the platform \
                 options (the CLI: --content-key-file)",
            )),
        }
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
        if self.batched.load(Ordering::SeqCst) {
            return Ok(());
        }
        file.sync_data().map_err(failed)
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

fn slot_bytes(person: u64, material: &Material) -> Zeroizing<Vec<u8>> {
    let mut slot = Zeroizing::new(vec![0u8; SLOT_LEN]);
    slot[..8].copy_from_slice(&person.to_be_bytes());
    let (kind, bytes): (u8, &[u8]) = match material {
        Material::Plain(bytes) => (PLAIN, bytes),
        Material::Wrapped(bytes) => (WRAPPED, bytes),
    };
    slot[8] = kind;
    slot[MATERIAL_AT..MATERIAL_AT + bytes.len()].copy_from_slice(bytes);
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
        let material = match bytes[8] {
            PLAIN => Material::Plain(Zeroizing::new(bytes[MATERIAL_AT..MATERIAL_AT + PLAIN_LEN].to_vec())),
            WRAPPED => Material::Wrapped(bytes[MATERIAL_AT..MATERIAL_AT + WRAPPED_LEN].to_vec()),
            other => return Err(format!("is damaged: slot {slot} has the unknown kind {other}")),
        };
        if state.keys.insert(person, (slot, material)).is_some() {
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
        for kek in [None, Some(ContentKey::generate().unwrap())] {
            let _ = std::fs::remove_file(&path);
            let ring = Keyring::open(path.clone(), kek.clone(), false).unwrap();
            assert!(!path.exists(), "the file is made with the first key");
            let a = sealed_with(&ring, 7, b"kim@example.org");
            let b = sealed_with(&ring, 9, b"ole@example.org");
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
            }
            let bytes_of_7 = match &ring.state.read().unwrap().keys[&7].1 {
                Material::Plain(b) => b.to_vec(),
                Material::Wrapped(b) => b.clone(),
            };
            drop(ring);
            let ring = Keyring::open(path.clone(), kek.clone(), false).unwrap();
            assert_eq!(ring.key(7).unwrap().unwrap().open(b"place", &a).unwrap().as_slice(), b"kim@example.org");
            assert!(ring.key(7).unwrap().unwrap().open(b"other place", &a).is_none());
            assert!(ring.destroy(7).unwrap());
            assert!(!ring.destroy(7).unwrap());
            let file = std::fs::read(&path).unwrap();
            assert!(!file.windows(bytes_of_7.len()).any(|w| w == bytes_of_7.as_slice()), "the key is overwritten");
            drop(ring);
            let ring = Keyring::open(path.clone(), kek.clone(), false).unwrap();
            assert!(ring.key(7).unwrap().is_none());
            assert_eq!(ring.key(9).unwrap().unwrap().open(b"place", &b).unwrap().as_slice(), b"ole@example.org");
            sealed_with(&ring, 11, b"x");
            assert_eq!(std::fs::read(&path).unwrap().len(), MAGIC.len() + 2 * SLOT_LEN, "the free slot is reused");
        }
    }

    #[test]
    fn a_wrong_or_missing_content_key_and_a_damaged_file_are_typed_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.redb.keys");
        let ring = Keyring::open(path.clone(), Some(ContentKey::generate().unwrap()), false).unwrap();
        ring.key_or_new(3).unwrap();
        drop(ring);
        let missing = Keyring::open(path.clone(), None, false).unwrap().key(3).err().unwrap();
        assert!(matches!(missing, Error::InvalidInput { ref field, .. } if field == "content_key"), "{missing:?}");
        let other = Keyring::open(path.clone(), Some(ContentKey::generate().unwrap()), false).unwrap();
        let wrong = other.key(3).err().unwrap();
        assert!(matches!(wrong, Error::InvalidInput { ref field, .. } if field == "content_key"), "{wrong:?}");
        let mut bytes = std::fs::read(&path).unwrap();
        bytes.push(1);
        std::fs::write(&path, &bytes).unwrap();
        let damaged = Keyring::open(path.clone(), None, false).err().unwrap();
        assert!(matches!(damaged, Error::Storage { .. }), "{damaged:?}");
        std::fs::write(&path, b"not a key file at all").unwrap();
        assert!(matches!(Keyring::open(path.clone(), None, false), Err(Error::Storage { .. })));
        bytes.pop();
        bytes[MAGIC.len() + 8] = 9;
        std::fs::write(&path, &bytes).unwrap();
        assert!(matches!(Keyring::open(path, None, false), Err(Error::Storage { .. })));
    }
}
