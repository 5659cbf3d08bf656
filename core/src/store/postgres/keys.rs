//! A PostgreSQL platform's key store (`docs/erasure.md`): one table, `person_keys (person
//! bigint PRIMARY KEY, key bytea NOT NULL)`, in the schema `<schema>_keys` beside the
//! platform's schema, in the same database.
//!
//! - **A schema of its own**, so that a backup of the platform's data need not hold it: an
//!   operator dumps the data with `pg_dump --exclude-schema='<schema>_keys'` and the keys apart
//!   (`--schema='<schema>_keys'`) with a shorter retention. A key restored with every backup of
//!   the data would shred nothing. Every server process of the platform shares it.
//! - **In the same database**, so that a key is read, made and destroyed by the transaction
//!   that needs it: a key made by a write that rolls back (or runs again after a serialization
//!   conflict) goes with it, and an erasure destroys the key in its own serializable
//!   transaction, all or nothing. Two writes making one person's first key at once conflict
//!   on its primary key; the second runs again and finds the first's.
//! - **Not wrapped** under a key of the platform, as the key file is not (`keyring.rs`): the
//!   schema's privileges and its separate backups are what protect the keys.
//! - A transaction remembers the keys it read, so that a listing opening many fields of one
//!   person asks once.
//! - A deleted row stays in the table's file as a dead tuple until `VACUUM` reuses its space,
//!   and in the WAL until the WAL is recycled: the scheduler's tick vacuums the table, and
//!   compaction rewrites it ([`PgDb::vacuum_keys`]); `docs/erasure.md` says what the operator
//!   must do about WAL archives, replicas and base backups.

use std::collections::HashMap;
use std::sync::Mutex;

use zeroize::Zeroizing;

use super::{INSERT_BATCH, PgDb, PgTxn, failure, lock};
use crate::crypto;
use crate::error::{Error, Result};
use crate::store::AllKeys;

/// The key store's schema is the platform's schema with this suffix.
pub(crate) const SCHEMA_SUFFIX: &str = "_keys";
pub(super) const TABLE: &str = "person_keys";

/// A person's key, or `None` for a person known to have none.
pub(crate) type MaybeKey = Option<Zeroizing<Vec<u8>>>;

/// The keys a transaction has read or written.
#[derive(Default)]
pub(super) struct Seen(Mutex<HashMap<u64, MaybeKey>>);

impl PgDb {
    /// `"<schema>_keys"."person_keys"` (both checked identifiers).
    pub(super) fn keys_table(&self) -> String {
        format!("\"{}{SCHEMA_SUFFIX}\".\"{TABLE}\"", self.schema)
    }

    /// The statement reading the keys of the people in its one parameter (`int8[]`).
    pub(super) fn keys_of_sql(&self) -> String {
        format!("SELECT person, key FROM {} WHERE person = ANY($1::int8[])", self.keys_table())
    }

    /// Creates the key store's schema and table when missing.
    pub(super) fn create_keys_sql(&self) -> String {
        format!(
            "CREATE SCHEMA IF NOT EXISTS \"{}{SCHEMA_SUFFIX}\"; \
             CREATE TABLE IF NOT EXISTS {} (person bigint PRIMARY KEY, key bytea NOT NULL)",
            self.schema,
            self.keys_table()
        )
    }

    /// Vacuums the key table. Plain (`full` false), the space of destroyed keys (dead rows,
    /// which keep their bytes) is marked for reuse, so later keys overwrite it, without a lock
    /// that stops reads or writes. `full` rewrites the table into new files, so that no
    /// destroyed key is left in them, holding an exclusive lock on the table meanwhile (keys
    /// are 50-odd bytes a row: a fraction of a second for a national platform). Runs outside
    /// any transaction; a vacuum already running elsewhere is not waited for.
    pub fn vacuum_keys(&self, full: bool) -> Result<()> {
        let options = if full { "FULL, SKIP_LOCKED" } else { "SKIP_LOCKED" };
        // Idle reads hold share locks on the table, which `FULL` would skip it for.
        self.main.settle_idle();
        let mut conn = self.take()?;
        conn.client.batch_execute(&format!("VACUUM ({options}) {}", self.keys_table())).map_err(|e| failure(&e))?;
        self.give(conn);
        Ok(())
    }
}

impl PgTxn {
    /// The data key of `person` in this transaction's snapshot; `None` when there is none.
    pub fn person_key(&self, person: u64) -> Result<Option<Zeroizing<Vec<u8>>>> {
        if let Some(seen) = lock(&self.keys.0).get(&person) {
            return Ok(seen.clone());
        }
        let sql = format!("SELECT key FROM {} WHERE person = $1", self.db.keys_table());
        let rows = self.query(&sql, &[&person_id(person)?])?;
        let key = rows.first().map(|r| Zeroizing::new(r.get::<_, Vec<u8>>(0)));
        lock(&self.keys.0).insert(person, key.clone());
        Ok(key)
    }

    /// The data keys of `people` in this transaction's snapshot, those not seen yet read in
    /// one query; `None` for a person who has none.
    pub fn person_keys(&self, people: &[u64]) -> Result<Vec<(u64, MaybeKey)>> {
        let unseen = self.unseen_people(people)?;
        if !unseen.is_empty() {
            let rows = self.query(&self.db.keys_of_sql(), &[&unseen])?;
            self.note_keys(&unseen, &rows);
        }
        let seen = lock(&self.keys.0);
        Ok(people.iter().map(|p| (*p, seen.get(p).cloned().flatten())).collect())
    }

    /// Those of `people` whose keys this transaction has not seen, as PostgreSQL's `bigint`
    /// (the parameter of [`PgDb::keys_of_sql`]), each once.
    pub(super) fn unseen_people(&self, people: &[u64]) -> Result<Vec<i64>> {
        let seen = lock(&self.keys.0);
        let mut unseen =
            people.iter().filter(|p| !seen.contains_key(p)).map(|&p| person_id(p)).collect::<Result<Vec<_>>>()?;
        unseen.sort_unstable();
        unseen.dedup();
        Ok(unseen)
    }

    /// Notes the keys of `unseen` as [`PgDb::keys_of_sql`] found them in `rows`: a person
    /// without a row has none.
    pub(super) fn note_keys(&self, unseen: &[i64], rows: &[tokio_postgres::Row]) {
        self.note_found_keys(unseen, rows.iter().map(|row| (row.get(0), row.get(1))));
    }

    /// Notes the keys of `unseen` as `found` (person and key) has them: a person not in it has
    /// none.
    pub(super) fn note_found_keys(&self, unseen: &[i64], found: impl IntoIterator<Item = (i64, Vec<u8>)>) {
        let mut seen = lock(&self.keys.0);
        for &person in unseen {
            seen.insert(person as u64, None);
        }
        for (person, key) in found {
            seen.insert(person as u64, Some(Zeroizing::new(key)));
        }
    }

    /// The data key of `person`, made in this transaction when there is none.
    pub fn person_key_or_new(&self, person: u64) -> Result<Zeroizing<Vec<u8>>> {
        if let Some(key) = self.person_key(person)? {
            return Ok(key);
        }
        if !self.writable {
            return Err(Error::storage("a person's key cannot be made in a read"));
        }
        let bytes = Zeroizing::new(crypto::new_person_key()?.to_vec());
        let sql = format!(
            "INSERT INTO {} (person, key) VALUES ($1, $2) ON CONFLICT (person) DO NOTHING RETURNING person",
            self.db.keys_table()
        );
        if self.query(&sql, &[&person_id(person)?, &bytes.as_slice()])?.is_empty() {
            // Serializable isolation reports a concurrent maker as a conflict; this is not it.
            return Err(Error::storage(format!("person {person} has a key this transaction cannot see")));
        }
        lock(&self.keys.0).insert(person, Some(bytes.clone()));
        Ok(bytes)
    }

    /// Deletes the data key of `person` in this transaction; `false` when there was none.
    pub fn destroy_person_key(&self, person: u64) -> Result<bool> {
        let sql = format!("DELETE FROM {} WHERE person = $1 RETURNING person", self.db.keys_table());
        let gone = !self.query(&sql, &[&person_id(person)?])?.is_empty();
        lock(&self.keys.0).insert(person, None);
        Ok(gone)
    }

    /// Every key, in person order (a copy between engines).
    pub fn all_person_keys(&self) -> Result<AllKeys> {
        let sql = format!("SELECT person, key FROM {} ORDER BY person", self.db.keys_table());
        let rows = self.query(&sql, &[])?;
        rows.iter()
            .map(|r| {
                let person = u64::try_from(r.get::<_, i64>(0))
                    .map_err(|_| Error::storage("the key store holds a negative person id"))?;
                Ok((person, Zeroizing::new(r.get::<_, Vec<u8>>(1))))
            })
            .collect()
    }

    /// Stores `keys` (a copy between engines); a person who has a key already is a conflict.
    pub fn load_person_keys(&self, keys: &AllKeys) -> Result<()> {
        let sql =
            format!("INSERT INTO {} (person, key) SELECT * FROM unnest($1::int8[], $2::bytea[])", self.db.keys_table());
        for chunk in keys.chunks(INSERT_BATCH) {
            let people = chunk.iter().map(|(p, _)| person_id(*p)).collect::<Result<Vec<i64>>>()?;
            let material: Vec<&[u8]> = chunk.iter().map(|(_, k)| k.as_slice()).collect();
            self.query(&sql, &[&people, &material])?;
        }
        Ok(())
    }
}

/// A person's id as PostgreSQL's `bigint`.
fn person_id(person: u64) -> Result<i64> {
    i64::try_from(person).map_err(|_| Error::invalid("person", format!("{person} is past PostgreSQL's bigint")))
}
