//! The key store a platform has, whatever its engine (`docs/erasure.md`): the key file beside
//! a redb file (or memory) of [`super::keyring`], or a schema of its own beside a PostgreSQL
//! platform's ([`super::postgres`], `keys.rs`). [`super::sealed`] reaches either through a
//! transaction's [`Keys`], so sealing and erasing are written once for both.

use std::sync::Arc;

use zeroize::Zeroizing;

use super::keyring::Keyring;
#[cfg(feature = "postgres")]
use super::postgres::PgTxn;
use crate::crypto::PersonKey;
use crate::error::{Error, Result};

/// A platform's key store.
#[derive(Clone)]
pub(crate) enum KeyStore {
    /// The key file beside a redb file, or memory: outside every transaction, a key made or
    /// destroyed is on disk before the transaction that needed it commits.
    File(Arc<Keyring>),
    /// The table `person_keys` in the schema `<schema>_keys` of the platform's database, read
    /// and written in each transaction: a key made by a write that rolls back goes with it,
    /// and a key destroyed by an erasure goes in the erasure's own serializable transaction.
    #[cfg(feature = "postgres")]
    Postgres,
}

/// Every key of a store, in person order (a copy between engines).
pub(crate) type AllKeys = Vec<(u64, Zeroizing<Vec<u8>>)>;

/// The key store as one transaction sees it.
pub(crate) enum Keys<'t> {
    File(&'t Keyring),
    #[cfg(feature = "postgres")]
    Postgres(&'t PgTxn),
}

impl Keys<'_> {
    /// The data key of `person`; `None` when the store holds none (never made, or destroyed).
    pub fn key(&self, person: u64) -> Result<Option<PersonKey>> {
        match self {
            Keys::File(ring) => ring.key(person),
            #[cfg(feature = "postgres")]
            Keys::Postgres(txn) => txn.person_key(person)?.map(|k| PersonKey::from_bytes(&k)).transpose(),
        }
    }

    /// The data keys of `people` (each once), `None` for those the store holds none of.
    pub fn many(&self, people: &[u64]) -> Result<Vec<(u64, Option<PersonKey>)>> {
        match self {
            Keys::File(ring) => people.iter().map(|&p| Ok((p, ring.key(p)?))).collect(),
            #[cfg(feature = "postgres")]
            Keys::Postgres(txn) => txn
                .person_keys(people)?
                .into_iter()
                .map(|(p, k)| Ok((p, k.map(|k| PersonKey::from_bytes(&k)).transpose()?)))
                .collect(),
        }
    }

    /// The data key of `person`, made first when there is none.
    pub fn key_or_new(&self, person: u64) -> Result<PersonKey> {
        match self {
            Keys::File(ring) => ring.key_or_new(person),
            #[cfg(feature = "postgres")]
            Keys::Postgres(txn) => PersonKey::from_bytes(&txn.person_key_or_new(person)?),
        }
    }

    /// The bytes of the key of `person`; `None` when the store holds none.
    pub fn bytes(&self, person: u64) -> Result<Option<Zeroizing<Vec<u8>>>> {
        match self {
            Keys::File(ring) => Ok(ring.bytes(person)),
            #[cfg(feature = "postgres")]
            Keys::Postgres(txn) => txn.person_key(person),
        }
    }

    /// The bytes of the key of `person`, made first when there is none.
    pub fn bytes_or_new(&self, person: u64) -> Result<Zeroizing<Vec<u8>>> {
        match self {
            Keys::File(ring) => ring.bytes_or_new(person),
            #[cfg(feature = "postgres")]
            Keys::Postgres(txn) => txn.person_key_or_new(person),
        }
    }

    /// Destroys the data key of `person`; `false` when there was none.
    pub fn destroy(&self, person: u64) -> Result<bool> {
        match self {
            Keys::File(ring) => ring.destroy(person),
            #[cfg(feature = "postgres")]
            Keys::Postgres(txn) => txn.destroy_person_key(person),
        }
    }

    /// Runs `work`, which makes many keys (a migration): the key file is synced once at its
    /// end; PostgreSQL commits the keys with the transaction anyway.
    pub fn batch<T>(&self, work: impl FnOnce() -> Result<T>) -> Result<T> {
        match self {
            Keys::File(ring) => ring.batch(work),
            #[cfg(feature = "postgres")]
            Keys::Postgres(_) => work(),
        }
    }
}

impl KeyStore {
    /// Readies the key store for a write transaction of `durability` (redb's single writer
    /// holds its lock): an eventual write defers syncing its new keys, a durable one first
    /// syncs the keys earlier eventual writes made ([`Keyring::defer_syncs`]).
    pub(crate) fn before_write(&self, durability: super::Durability) -> Result<()> {
        match self {
            KeyStore::File(ring) => {
                let eventual = matches!(durability, super::Durability::Eventual);
                ring.defer_syncs(eventual);
                if eventual { Ok(()) } else { ring.sync_deferred() }
            }
            #[cfg(feature = "postgres")]
            KeyStore::Postgres => Ok(()),
        }
    }
}

impl super::Store {
    /// Every key of the store's key store as it is now, in person order: read anew from the
    /// key file (not the copy this handle holds in memory) or from the schema (a copy between
    /// engines, and its verification).
    pub(crate) fn all_keys(&self) -> Result<AllKeys> {
        match &self.keys {
            None => Ok(Vec::new()),
            Some(KeyStore::File(ring)) => match &self.path {
                Some(path) => Ok(Keyring::open(Keyring::path_for(path), true)?.all()),
                None => Ok(ring.all()),
            },
            #[cfg(feature = "postgres")]
            Some(KeyStore::Postgres) => match &self.read()?.0 {
                super::txn::ReadInner::Postgres(txn) => txn.all_person_keys(),
                _ => Err(Error::storage("a PostgreSQL key store on another engine")),
            },
        }
    }

    /// Stores `keys` in the store's key store, whose people have none yet (a copy between
    /// engines); durable when this returns. Nothing is written for no keys (no key file).
    pub(crate) fn load_keys(&self, keys: &AllKeys) -> Result<()> {
        if keys.is_empty() {
            return Ok(());
        }
        match &self.keys {
            None => Err(Error::storage("the store has no key store to copy keys into")),
            Some(KeyStore::File(ring)) => {
                ring.batch(|| keys.iter().try_for_each(|(person, key)| ring.put(*person, key)))
            }
            #[cfg(feature = "postgres")]
            Some(KeyStore::Postgres) => self.write_with(super::Durability::Immediate, |txn| match &txn.0 {
                super::txn::WriteInner::Postgres(txn) => txn.load_person_keys(keys),
                _ => Err(Error::storage("a PostgreSQL key store on another engine")),
            }),
        }
    }
}
