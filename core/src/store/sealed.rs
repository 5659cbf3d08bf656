//! Personal fields sealed under their person's data key ([`super::keyring`]): what a domain's
//! `records.rs` stores in place of an unindexed personal value (an e-mail address, a text), so
//! that destroying the key at erasure makes every copy of it unreadable.
//!
//! A domain seals with [`seal`] when it writes a record and opens with [`Sealed::open`] when it
//! reads one, naming the *place* (record kind, id and field) as associated data: a sealed
//! value moved to another record or person does not open. Every platform has a key store (a
//! file beside redb, or a schema beside PostgreSQL's: [`super::keystore`]); a value written
//! plain by a store without one (a PostgreSQL platform before it had one) stays readable,
//! marked as such, and is sealed at its next write.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use zeroize::Zeroizing;

use super::{Reader, WriteTxn};
use crate::crypto::{Nonces, PersonKey, keyed_tag};
use crate::error::{Error, Result};
use crate::ids::AccountId;

/// The holder under which the key store keeps the platform's index key ([`index_tag`]): no
/// account has this id (account ids come from a sequence starting at 1, and PostgreSQL's
/// `bigint`, where the key store keeps it, ends here). It is never destroyed: an erasure
/// removes the person's tag from the index instead.
pub(crate) const INDEX_KEY_HOLDER: u64 = i64::MAX as u64;

/// A personal text as stored.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub(crate) enum Sealed {
    /// Kept as it is: written by a store without a key store.
    Plain(String),
    /// Nonce, ciphertext and tag under the person's key.
    Sealed(#[serde(with = "bytes")] Vec<u8>),
}

impl std::fmt::Debug for Sealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Sealed::Plain(_) => "Sealed::Plain(..)",
            Sealed::Sealed(_) => "Sealed::Sealed(..)",
        })
    }
}

/// Seals `text` at `place` under the key of `person`, making the key first if they have none.
pub(crate) fn seal(txn: &WriteTxn, person: AccountId, place: &[u8], text: &str) -> Result<Sealed> {
    let Some(keys) = txn.keyring() else { return Ok(Sealed::Plain(text.to_string())) };
    Ok(Sealed::Sealed(keys.key_or_new(person.0)?.seal(place, text.as_bytes())?))
}

/// Runs `work`, which seals many records (a migration), syncing the key store once at its end.
pub(crate) fn sealing_many<T>(txn: &WriteTxn, work: impl FnOnce() -> Result<T>) -> Result<T> {
    match txn.keyring() {
        Some(keys) => keys.batch(work),
        None => work(),
    }
}

/// Destroys the data key of `person` (durably, before the caller's transaction commits): from
/// then on nothing sealed under it opens, in this file or any copy. `false` when they had none.
pub(crate) fn shred(txn: &WriteTxn, person: AccountId) -> Result<bool> {
    match txn.keyring() {
        Some(keys) => keys.destroy(person.0),
        None => Ok(false),
    }
}

/// Seals `bytes` (a record's personal part in its own encoding) at `place` under the key of
/// `person`, making the key first if they have none; `None` when the store has no key store
/// and the caller keeps them as they are.
pub(crate) fn seal_bytes(txn: &WriteTxn, person: AccountId, place: &[u8], bytes: &[u8]) -> Result<Option<Vec<u8>>> {
    let Some(keys) = txn.keyring() else { return Ok(None) };
    Ok(Some(keys.key_or_new(person.0)?.seal(place, bytes)?))
}

/// Seals many values in one write (a batch of notifications): each person's key looked up (or
/// made) once, nonces read from the kernel a block at a time. What it seals opens as what
/// [`seal_bytes`] seals.
pub(crate) struct Sealer<'t> {
    txn: &'t WriteTxn,
    keys: HashMap<AccountId, PersonKey>,
    nonces: Nonces,
}

impl<'t> Sealer<'t> {
    pub fn new(txn: &'t WriteTxn) -> Self {
        Sealer { txn, keys: HashMap::new(), nonces: Nonces::new() }
    }

    /// As [`seal_bytes`]: `bytes` sealed at `place` under the key of `person`; `None` when the
    /// store has no key store.
    pub fn seal_bytes(&mut self, person: AccountId, place: &[u8], bytes: &[u8]) -> Result<Option<Vec<u8>>> {
        let Some(keys) = self.txn.keyring() else { return Ok(None) };
        let key = match self.keys.entry(person) {
            std::collections::hash_map::Entry::Occupied(known) => known.into_mut(),
            std::collections::hash_map::Entry::Vacant(new) => new.insert(keys.key_or_new(person.0)?),
        };
        key.seal_with(&mut self.nonces, place, bytes).map(Some)
    }
}

/// The plain bytes of `sealed`; `None` when the key store holds no key of `person`.
fn open_kept(
    txn: &impl Reader,
    person: AccountId,
    place: &[u8],
    sealed: &[u8],
    what: &impl Fn() -> String,
) -> Result<Option<Zeroizing<Vec<u8>>>> {
    let key = match txn.keyring() {
        Some(keys) => keys.key(person.0)?,
        None => None,
    };
    let Some(key) = key else { return Ok(None) };
    let plain =
        key.open(place, sealed).ok_or_else(|| Error::storage(format!("{} does not open: it is damaged", what())))?;
    Ok(Some(plain))
}

fn key_gone(what: &impl Fn() -> String) -> Error {
    Error::storage(format!(
        "{} is sealed under a key the key store does not hold (the person was erased, or the key file beside the \
         database is not its own)",
        what()
    ))
}

/// People's keys as one read finds them, each looked up once: a thread page of twenty posts by
/// five authors looks up five keys (one lock or query each, one cipher built each), not twenty.
pub(crate) struct KeyCache<'t, R: Reader> {
    txn: &'t R,
    keys: HashMap<AccountId, Option<PersonKey>>,
    /// People whose keys the next [`KeyCache::look_up`] fetches with its own.
    later: Vec<AccountId>,
}

impl<'t, R: Reader> KeyCache<'t, R> {
    pub fn new(txn: &'t R) -> Self {
        KeyCache { txn, keys: HashMap::new(), later: Vec::new() }
    }

    /// The transaction the keys are looked up in (for a reader that loads what it opens).
    pub fn txn(&self) -> &'t R {
        self.txn
    }

    /// Has the key of `person` fetched with the next [`KeyCache::look_up`]: a thread page
    /// opens its title after the first run of posts, so that the title's author is asked for
    /// in the same query as the posts' authors.
    pub fn look_up_later(&mut self, person: AccountId) {
        self.later.push(person);
    }

    /// Looks up the keys of `people` not looked up yet (and those asked for later), together:
    /// one query on PostgreSQL rather than one each (a thread page's authors); nothing to gain
    /// on a key file.
    pub fn look_up(&mut self, people: impl IntoIterator<Item = AccountId>) -> Result<()> {
        let later = std::mem::take(&mut self.later);
        let mut missing: Vec<u64> =
            people.into_iter().chain(later).filter(|p| !self.keys.contains_key(p)).map(|p| p.0).collect();
        missing.sort_unstable();
        missing.dedup();
        if missing.len() < 2 {
            return Ok(());
        }
        let Some(keys) = self.txn.keyring() else { return Ok(()) };
        #[cfg(test)]
        counted::LOOKUPS.with(|n| n.set(n.get() + missing.len() as u64));
        for (person, key) in keys.many(&missing)? {
            self.keys.insert(AccountId(person), key);
        }
        Ok(())
    }

    /// Opens what [`seal_bytes`] sealed; `None` when the key store holds no key of `person`
    /// (they were erased, and with them what they sealed); a storage error naming `what` when
    /// the value is damaged.
    pub fn open_kept(
        &mut self,
        person: AccountId,
        place: &[u8],
        sealed: &[u8],
        what: impl Fn() -> String,
    ) -> Result<Option<Zeroizing<Vec<u8>>>> {
        if !self.keys.contains_key(&person) {
            #[cfg(test)]
            counted::LOOKUPS.with(|n| n.set(n.get() + 1));
            let key = match self.txn.keyring() {
                Some(keys) => keys.key(person.0)?,
                None => None,
            };
            self.keys.insert(person, key);
        }
        let Some(Some(key)) = self.keys.get(&person) else { return Ok(None) };
        #[cfg(test)]
        counted::OPENINGS.with(|n| n.set(n.get() + 1));
        let plain = key
            .open(place, sealed)
            .ok_or_else(|| Error::storage(format!("{} does not open: it is damaged", what())))?;
        Ok(Some(plain))
    }

    /// Opens what [`seal_bytes`] sealed; a storage error naming `what` (never the content) when
    /// the person's key is gone (erased, or a key file that is not this database's) or the
    /// value is damaged.
    pub fn open(
        &mut self,
        person: AccountId,
        place: &[u8],
        sealed: &[u8],
        what: impl Fn() -> String,
    ) -> Result<Zeroizing<Vec<u8>>> {
        self.open_kept(person, place, sealed, &what)?.ok_or_else(|| key_gone(&what))
    }
}

/// What the [`KeyCache`]s of this thread did, for the tests that hold a page to its cost.
#[cfg(test)]
pub(crate) mod counted {
    use std::cell::Cell;

    thread_local! {
        /// Keys looked up in the key store.
        pub(crate) static LOOKUPS: Cell<u64> = const { Cell::new(0) };
        /// Values opened.
        pub(crate) static OPENINGS: Cell<u64> = const { Cell::new(0) };
    }

    /// (key lookups, openings) `work` made on this thread.
    pub(crate) fn during<T>(work: impl FnOnce() -> T) -> (T, u64, u64) {
        let (lookups, openings) = (LOOKUPS.with(Cell::get), OPENINGS.with(Cell::get));
        let out = work();
        (out, LOOKUPS.with(Cell::get) - lookups, OPENINGS.with(Cell::get) - openings)
    }
}

/// What a keyed index (the pseudonym index) files `value` under, as a reader looks it up: its
/// keyed hash under the platform's index key, so the index holds no value in the clear and,
/// once an entry is removed, nothing of it stays in the index. The value itself on a store
/// without a key store. `None` when the key store has no index key yet: nothing is filed.
pub(crate) fn index_tag(txn: &impl Reader, purpose: &[u8], value: &str) -> Result<Option<String>> {
    let Some(keys) = txn.keyring() else { return Ok(Some(value.to_string())) };
    let Some(key) = keys.bytes(INDEX_KEY_HOLDER)? else { return Ok(None) };
    keyed_tag(&key, purpose, value.as_bytes()).map(Some)
}

/// What a keyed index files `value` under, as a writer files it: as [`index_tag`], the index
/// key made first when there is none.
pub(crate) fn index_tag_or_new(txn: &WriteTxn, purpose: &[u8], value: &str) -> Result<String> {
    let Some(keys) = txn.keyring() else { return Ok(value.to_string()) };
    let key = match keys.bytes(INDEX_KEY_HOLDER)? {
        Some(key) => key,
        None => {
            let key = keys.bytes_or_new(INDEX_KEY_HOLDER)?;
            super::keycheck::record_new(txn, &key)?;
            key
        }
    };
    keyed_tag(&key, purpose, value.as_bytes())
}

impl Sealed {
    /// The text; a storage error naming `what` (never the text) when the person's key is gone
    /// (erased, or a key file that is not this database's) or the value is damaged.
    pub fn open(
        &self,
        txn: &impl Reader,
        person: AccountId,
        place: &[u8],
        what: impl Fn() -> String,
    ) -> Result<String> {
        self.open_if_kept(txn, person, place, &what)?.ok_or_else(|| key_gone(&what))
    }

    /// The text, or `None` when the key store holds no key of `person` (they were erased): for
    /// a record others go on reading after the person is gone (a report's words), which then
    /// says so instead of failing. A damaged value is still a storage error.
    pub fn open_if_kept(
        &self,
        txn: &impl Reader,
        person: AccountId,
        place: &[u8],
        what: impl Fn() -> String,
    ) -> Result<Option<String>> {
        let sealed = match self {
            Sealed::Plain(text) => return Ok(Some(text.clone())),
            Sealed::Sealed(sealed) => sealed,
        };
        let Some(plain) = open_kept(txn, person, place, sealed, &what)? else { return Ok(None) };
        String::from_utf8(plain.to_vec()).map(Some).map_err(|_| Error::storage(format!("{} is not UTF-8 text", what())))
    }
}

/// Byte strings as MessagePack binary (JSON: an array of numbers), read from either form.
mod bytes {
    use serde::de::{SeqAccess, Visitor};
    use serde::{Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(bytes)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        deserializer.deserialize_byte_buf(Bytes)
    }

    struct Bytes;

    impl<'de> Visitor<'de> for Bytes {
        type Value = Vec<u8>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a byte string")
        }

        fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Vec<u8>, E> {
            Ok(v.to_vec())
        }

        fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Vec<u8>, E> {
            Ok(v)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u8>, A::Error> {
            // Bounded by the record's own length: each element took at least a byte of it.
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
            while let Some(b) = seq.next_element::<u8>()? {
                out.push(b);
            }
            Ok(out)
        }
    }
}
