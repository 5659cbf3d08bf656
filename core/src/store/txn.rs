//! Transactions and table handles: what domain code reads and writes through.
//!
//! [`ReadTxn`] is a consistent snapshot; [`WriteTxn`] is one all-or-nothing change. Both open
//! tables by their [`Table`] definition: [`Reader::table`] gives a [`TableRef`] for reading,
//! [`WriteTxn::open_table`] a [`TableMut`] that also writes. Reads go through the
//! [`ReadTable`] trait, which both handles implement, so a lookup is written once for either.
//!
//! Each type holds one backend's object (redb's, or the in-memory one's) and passes every call
//! to it; the backends are a closed set, so this costs a branch, not a virtual call.

use std::borrow::Borrow;
use std::marker::PhantomData;
use std::ops::{Bound, RangeBounds};
use std::sync::Arc;

use super::feed::Watch;
use super::keystore::{KeyStore, Keys};
use super::memory::{self, Changes, Rows, Snapshot};
#[cfg(feature = "postgres")]
use super::postgres::{PgRange, PgTxn};
use super::tables::SEQUENCES;
use super::types::{Key, Table, Value, decode_whole, encode_whole};
use crate::error::{Error, Result};
use crate::ids::AccountId;

/// Rows read and written through table handles on this thread (tests only): tests hold the
/// busiest operations to a number of rows that does not grow with the tables.
#[cfg(test)]
pub(crate) mod rows {
    use std::cell::Cell;

    thread_local! {
        static COUNTS: Cell<Touched> = const { Cell::new(Touched { read: 0, written: 0 }) };
    }

    /// Rows a piece of work read (point reads, each step of a range, rows a `retain` visited)
    /// and wrote (inserted or removed).
    #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
    pub(crate) struct Touched {
        pub read: u64,
        pub written: u64,
    }

    pub(super) fn read() {
        COUNTS.with(|c| c.set(Touched { read: c.get().read + 1, ..c.get() }));
    }

    pub(super) fn written() {
        COUNTS.with(|c| c.set(Touched { written: c.get().written + 1, ..c.get() }));
    }

    /// What `work` touched on this thread.
    pub(crate) fn touched<T>(work: impl FnOnce() -> T) -> (T, Touched) {
        let before = COUNTS.with(Cell::get);
        let out = work();
        let after = COUNTS.with(Cell::get);
        (out, Touched { read: after.read - before.read, written: after.written - before.written })
    }
}

/// Counts a row read or written (tests only; nothing in other builds).
macro_rules! count {
    ($what:ident) => {
        #[cfg(test)]
        rows::$what();
    };
}

/// A consistent snapshot of every table.
/// The second field is the platform's key store ([`super::keyring`]), if it has one.
pub(crate) struct ReadTxn(pub(super) ReadInner, pub(super) Option<KeyStore>);

// The variants stay unboxed: a transaction or handle lives on the stack for one operation, and
// boxing redb's objects would cost an allocation on every open.
#[allow(clippy::large_enum_variant)]
pub(super) enum ReadInner {
    Redb(redb::ReadTransaction),
    Memory(Snapshot),
    #[cfg(feature = "postgres")]
    Postgres(PgTxn),
}

/// One write transaction: all of its writes land, or none do (see [`super::Store::write`]).
/// The second field notes the rows it changes in the watched tables (the change feed); the
/// third is the platform's key store ([`super::keyring`]), if it has one.
pub(crate) struct WriteTxn(pub(super) WriteInner, pub(super) Watch, pub(super) Option<KeyStore>);

#[allow(clippy::large_enum_variant)]
pub(super) enum WriteInner {
    Redb(redb::WriteTransaction),
    Memory(Changes),
    #[cfg(feature = "postgres")]
    Postgres(PgTxn),
}

/// Read access shared by read and write transactions, so lookups are written once.
pub(crate) trait Reader {
    /// Opens `table` for reading. In a write transaction it sees the transaction's own writes.
    fn table<K: Key, V: Value>(&self, table: Table<K, V>) -> Result<TableRef<'_, K, V>>;
    /// The key store of crypto-shredding as this transaction sees it (`None` on a store
    /// opened without one: the target of a copy): only [`super::sealed`] uses it.
    fn keyring(&self) -> Option<Keys<'_>>;
    /// Reads the rows of `ahead` in one round trip on PostgreSQL, so that the point reads of
    /// them that follow cost none; nothing on the other backends, whose reads are local.
    fn read_ahead(&self, ahead: &Ahead) -> Result<()>;
}

/// Rows of several tables an operation is about to read ([`Reader::read_ahead`],
/// [`super::Store::read_with`]): rows by key, and the first rows of ranges.
#[derive(Default)]
#[cfg_attr(not(feature = "postgres"), allow(dead_code))]
pub(crate) struct Ahead {
    /// Table and encoded key.
    pub(super) rows: Vec<(&'static str, Vec<u8>)>,
    /// Table and encoded bounds of ranges to be read from the low end.
    pub(super) ranges: Vec<AheadRange>,
    /// Tables whose last rows are to be read (from the high end); bounds as `ranges`'.
    pub(super) last_ranges: Vec<AheadRange>,
    /// People whose data keys ([`super::sealed`]) the operation is about to look up.
    pub(super) people: Vec<u64>,
    /// Ids a write is about to draw, `(sequence, count)` each ([`Ahead::ids`]).
    pub(super) ids: Vec<(&'static str, u64)>,
}

/// A table and the encoded bounds of a range in it.
pub(super) type AheadRange = (&'static str, Bound<Vec<u8>>, Bound<Vec<u8>>);

impl Ahead {
    /// Adds the row under `key` of `table`.
    pub fn row<'a, K: Key, V: Value>(mut self, table: Table<K, V>, key: impl Borrow<K::SelfType<'a>>) -> Self {
        self.rows.push((table.name(), encode_whole::<K>(key.borrow())));
        self
    }

    /// Adds the first rows of `range` of `table`, read from the low end (on PostgreSQL, the
    /// first page a scan of exactly this range fetches). A range with fewer rows than a page
    /// is then known whole, and every scan within it, from either end, costs no trip.
    pub fn range<'a, K: Key, V: Value, KR>(mut self, table: Table<K, V>, range: impl RangeBounds<KR> + 'a) -> Self
    where
        KR: Borrow<K::SelfType<'a>> + 'a,
    {
        let (lower, upper) = encoded_bounds::<K, KR>(&range);
        self.ranges.push((table.name(), lower, upper));
        self
    }

    /// Adds the last rows of `table`, read from the high end (on PostgreSQL, the first page a
    /// scan of the whole table fetches backwards). A table with fewer rows than a page is then
    /// known whole, and every scan of it, from either end, costs no trip.
    pub fn last_rows<K: Key, V: Value>(mut self, table: Table<K, V>) -> Self {
        self.last_ranges.push((table.name(), Bound::Unbounded, Bound::Unbounded));
        self
    }

    /// Adds `count` ids of `sequence` that a write is about to draw ([`WriteTxn::next_ids`]),
    /// as [`WriteTxn::reserve_ids`] draws them. On PostgreSQL the read ahead's statement
    /// draws them (`nextval` of each counter's sequence, a part of its `UNION ALL`); later
    /// calls that fit in what was drawn take from it, and what is not used is a gap. A guess
    /// may be wrong both ways: a draw that turns out too small is made again in full when it
    /// is needed. Nothing in a read, nor on the other backends.
    pub fn ids(mut self, sequence: &'static str, count: u64) -> Self {
        self.ids.push((sequence, count));
        self
    }

    /// Adds the data keys of `people` in the key store (on PostgreSQL, read by a statement of
    /// their own sent with the rows' statement: one round trip for both).
    pub fn keys(mut self, people: impl IntoIterator<Item = AccountId>) -> Self {
        self.people.extend(people.into_iter().map(|p| p.0));
        self
    }
}

impl Reader for ReadTxn {
    fn table<K: Key, V: Value>(&self, table: Table<K, V>) -> Result<TableRef<'_, K, V>> {
        let handle = match &self.0 {
            ReadInner::Redb(txn) => Handle::RedbRead(txn.open_table(definition(table))?),
            ReadInner::Memory(snapshot) => memory_handle(table.name(), snapshot.open(table.name())?, None),
            #[cfg(feature = "postgres")]
            ReadInner::Postgres(txn) => postgres_handle(txn, table.name())?,
        };
        Ok(TableRef(handle))
    }

    fn keyring(&self) -> Option<Keys<'_>> {
        match (self.1.as_ref()?, &self.0) {
            (KeyStore::File(ring), _) => Some(Keys::File(ring)),
            #[cfg(feature = "postgres")]
            (KeyStore::Postgres, ReadInner::Postgres(txn)) => Some(Keys::Postgres(txn)),
            #[cfg(feature = "postgres")]
            (KeyStore::Postgres, _) => None,
        }
    }

    fn read_ahead(&self, ahead: &Ahead) -> Result<()> {
        #[cfg(feature = "postgres")]
        if let ReadInner::Postgres(txn) = &self.0 {
            return txn.read_ahead(ahead, self.keyring().is_some());
        }
        let _ = ahead;
        Ok(())
    }
}

impl Reader for WriteTxn {
    fn table<K: Key, V: Value>(&self, table: Table<K, V>) -> Result<TableRef<'_, K, V>> {
        Ok(TableRef(self.open_handle(table)?))
    }

    fn keyring(&self) -> Option<Keys<'_>> {
        match (self.2.as_ref()?, &self.0) {
            (KeyStore::File(ring), _) => Some(Keys::File(ring)),
            #[cfg(feature = "postgres")]
            (KeyStore::Postgres, WriteInner::Postgres(txn)) => Some(Keys::Postgres(txn)),
            #[cfg(feature = "postgres")]
            (KeyStore::Postgres, _) => None,
        }
    }

    fn read_ahead(&self, ahead: &Ahead) -> Result<()> {
        #[cfg(feature = "postgres")]
        if let WriteInner::Postgres(txn) = &self.0 {
            return txn.read_ahead(ahead, self.keyring().is_some());
        }
        let _ = ahead;
        Ok(())
    }
}

impl ReadTxn {
    /// The names of every table in the snapshot.
    pub fn table_names(&self) -> Result<Vec<String>> {
        match &self.0 {
            ReadInner::Redb(txn) => {
                use redb::TableHandle;
                Ok(txn.list_tables()?.map(|t| t.name().to_string()).collect())
            }
            ReadInner::Memory(snapshot) => Ok(snapshot.names()),
            #[cfg(feature = "postgres")]
            ReadInner::Postgres(txn) => txn.table_names(),
        }
    }
}

impl WriteTxn {
    /// Opens `table` for reading and writing, creating it when the file has none yet.
    pub fn open_table<K: Key, V: Value>(&self, table: Table<K, V>) -> Result<TableMut<'_, K, V>> {
        Ok(TableMut(self.open_handle(table)?, self.1.watches(table.name()).map(|name| (&self.1, name))))
    }

    /// Opens `table` without noting its writes for the change feed: for rewriting records in
    /// another form that says the same ([`super::tables::compact_records`]), which replicas need
    /// not hear of (and a migration of millions of rows must not list them all in one entry).
    pub(super) fn open_table_unnoted<K: Key, V: Value>(&self, table: Table<K, V>) -> Result<TableMut<'_, K, V>> {
        Ok(TableMut(self.open_handle(table)?, None))
    }

    /// Deletes `table` and its rows; `false` when there was none.
    pub fn delete_table<K: Key, V: Value>(&self, table: Table<K, V>) -> Result<bool> {
        match &self.0 {
            WriteInner::Redb(txn) => Ok(txn.delete_table(definition(table))?),
            WriteInner::Memory(changes) => changes.delete(table.name()),
            #[cfg(feature = "postgres")]
            WriteInner::Postgres(txn) => txn.delete_table(table.name()),
        }
    }

    /// Reserves `count` consecutive ids of `sequence` and returns the first (ids start at 1).
    ///
    /// A sequence is a backend primitive rather than a row domain code updates, so that
    /// concurrent inserts need not all conflict on one counter: redb and the in-memory
    /// backend have one writer at a time and keep a row per sequence in `sequences`; a
    /// PostgreSQL backend maps each to a `SEQUENCE`, whose `nextval` never conflicts (ids
    /// are then unique and increasing, with gaps where a transaction rolled back).
    pub fn next_ids(&self, sequence: &str, count: u64) -> Result<u64> {
        #[cfg(feature = "postgres")]
        if let WriteInner::Postgres(txn) = &self.0 {
            return txn.next_ids(sequence, count);
        }
        let mut table = self.open_table(SEQUENCES)?;
        let next = table.get(sequence)?.map_or(1, |v| v.value());
        table.insert(sequence, next + count)?;
        Ok(next)
    }

    /// Draws ids of several sequences at once, `(sequence, count)` each, for the
    /// [`WriteTxn::next_ids`] calls this transaction is about to make: on PostgreSQL one
    /// statement draws them all (a round trip instead of one per sequence), and later calls
    /// that fit in what is left of a sequence's draw take from it; a sequence of which enough
    /// is left from an earlier draw ([`Ahead::ids`]) is not drawn again. Ids drawn and not
    /// used by the transaction are a gap, as those of a rolled-back one are. Nothing on the
    /// other backends, where a draw is a local row.
    pub fn reserve_ids(&self, wanted: &[(&'static str, u64)]) -> Result<()> {
        #[cfg(feature = "postgres")]
        if let WriteInner::Postgres(txn) = &self.0 {
            return txn.reserve_ids(wanted);
        }
        let _ = wanted;
        Ok(())
    }

    /// Writes `entry` to the change feed under the feed's next number ([`super::feed`]).
    ///
    /// redb and the in-memory store have one writer at a time: the number is drawn from
    /// `sequences` and the row written at once. On PostgreSQL the entry is written with the
    /// `COMMIT`, under the feed's lock and with its number drawn there, so that entries commit
    /// in the order of their numbers (`store/postgres.rs`, "The change feed").
    pub(super) fn put_feed_entry(&self, entry: &[u8]) -> Result<()> {
        use super::tables::CHANGES;
        #[cfg(feature = "postgres")]
        if let WriteInner::Postgres(txn) = &self.0 {
            // Opened (created when the schema has none yet) and closed again: the entry is
            // written by the commit, not through a handle.
            drop(self.open_table_unnoted(CHANGES)?);
            return txn.stage_feed_entry(encode_whole::<&[u8]>(&entry));
        }
        let sequence = self.next_ids(CHANGES.name(), 1)?;
        self.open_table(CHANGES)?.put(sequence, entry)
    }

    fn open_handle<K: Key, V: Value>(&self, table: Table<K, V>) -> Result<Handle<'_, K, V>> {
        Ok(match &self.0 {
            WriteInner::Redb(txn) => Handle::RedbWrite(txn.open_table(definition(table))?),
            WriteInner::Memory(changes) => memory_handle(table.name(), changes.take(table.name())?, Some(changes)),
            #[cfg(feature = "postgres")]
            WriteInner::Postgres(txn) => postgres_handle(txn, table.name())?,
        })
    }
}

#[cfg(feature = "postgres")]
fn postgres_handle<'t, K: Key, V: Value>(txn: &'t PgTxn, name: &'static str) -> Result<Handle<'t, K, V>> {
    txn.open(name)?;
    Ok(Handle::Postgres(PostgresTable { txn, name }, PhantomData))
}

fn definition<K: Key, V: Value>(table: Table<K, V>) -> redb::TableDefinition<'static, K, V> {
    redb::TableDefinition::new(table.name())
}

fn memory_handle<'t, K: Key, V: Value>(
    name: &'static str,
    rows: Arc<Rows>,
    home: Option<&'t Changes>,
) -> Handle<'t, K, V> {
    Handle::Memory(MemoryTable { name, rows, home }, PhantomData)
}

/// A table opened for reading.
pub(crate) struct TableRef<'t, K: Key, V: Value>(Handle<'t, K, V>);

/// A table opened for reading and writing, inside a [`WriteTxn`]; in a watched table it notes
/// the keys it writes for the change feed.
pub(crate) struct TableMut<'t, K: Key, V: Value>(Handle<'t, K, V>, Option<(&'t Watch, &'static str)>);

#[allow(clippy::large_enum_variant)]
enum Handle<'t, K: Key, V: Value> {
    RedbRead(redb::ReadOnlyTable<K, V>),
    RedbWrite(redb::Table<'t, K, V>),
    Memory(MemoryTable<'t>, PhantomData<(K, V)>),
    #[cfg(feature = "postgres")]
    Postgres(PostgresTable<'t>, PhantomData<(K, V)>),
}

/// A table of a PostgreSQL transaction; dropping it lets the table be opened again.
#[cfg(feature = "postgres")]
struct PostgresTable<'t> {
    txn: &'t PgTxn,
    name: &'static str,
}

#[cfg(feature = "postgres")]
impl Drop for PostgresTable<'_> {
    fn drop(&mut self) {
        self.txn.close(self.name);
    }
}

/// A keyspace of the in-memory backend, out of its transaction while a handle has it.
struct MemoryTable<'t> {
    name: &'static str,
    rows: Arc<Rows>,
    /// The write transaction to hand the keyspace back to; `None` in a snapshot.
    home: Option<&'t Changes>,
}

impl Drop for MemoryTable<'_> {
    fn drop(&mut self) {
        if let Some(home) = self.home {
            home.put_back(self.name, std::mem::take(&mut self.rows));
        }
    }
}

/// A key or value read from a table; [`Stored::value`] gives its borrowed form.
pub(crate) struct Stored<'a, T: Value>(StoredInner<'a, T>);

enum StoredInner<'a, T: Value> {
    Redb(redb::AccessGuard<'a, T>),
    Decoded(T::Owned),
}

impl<T: Value> Stored<'_, T> {
    pub fn value(&self) -> T::SelfType<'_> {
        match &self.0 {
            StoredInner::Redb(guard) => guard.value(),
            StoredInner::Decoded(owned) => T::borrow_owned(owned),
        }
    }
}

impl<'a, T: Value> From<redb::AccessGuard<'a, T>> for Stored<'a, T> {
    fn from(guard: redb::AccessGuard<'a, T>) -> Self {
        Stored(StoredInner::Redb(guard))
    }
}

fn decoded<'a, T: Value>(bytes: &[u8]) -> Result<Stored<'a, T>> {
    Ok(Stored(StoredInner::Decoded(decode_whole::<T>(bytes)?)))
}

/// A row: its key and value.
pub(crate) type Row<'a, K, V> = (Stored<'a, K>, Stored<'a, V>);

/// Rows of a table in key order; double-ended, so `.rev()` reads them backwards.
pub(crate) struct Range<'a, K: Key, V: Value>(RangeInner<'a, K, V>);

#[allow(clippy::large_enum_variant)]
enum RangeInner<'a, K: Key, V: Value> {
    Redb(redb::Range<'a, K, V>),
    Memory(std::collections::btree_map::Range<'a, Box<[u8]>, Arc<[u8]>>, PhantomData<(K, V)>),
    #[cfg(feature = "postgres")]
    Postgres(PgRange<'a>, PhantomData<(K, V)>),
}

fn decoded_row<'a, K: Key, V: Value>(key: &[u8], value: &[u8]) -> Result<Row<'a, K, V>> {
    Ok((decoded(key)?, decoded(value)?))
}

impl<'a, K: Key, V: Value> Iterator for Range<'a, K, V> {
    type Item = Result<Row<'a, K, V>>;

    fn next(&mut self) -> Option<Self::Item> {
        count!(read);
        match &mut self.0 {
            RangeInner::Redb(range) => range.next().map(|row| Ok(row.map(|(k, v)| (k.into(), v.into()))?)),
            RangeInner::Memory(range, _) => range.next().map(|(k, v)| decoded_row(k, v)),
            #[cfg(feature = "postgres")]
            RangeInner::Postgres(range, _) => range.next_row().map(|row| row.and_then(|(k, v)| decoded_row(&k, &v))),
        }
    }
}

impl<K: Key, V: Value> DoubleEndedIterator for Range<'_, K, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        count!(read);
        match &mut self.0 {
            RangeInner::Redb(range) => range.next_back().map(|row| Ok(row.map(|(k, v)| (k.into(), v.into()))?)),
            RangeInner::Memory(range, _) => range.next_back().map(|(k, v)| decoded_row(k, v)),
            #[cfg(feature = "postgres")]
            RangeInner::Postgres(range, _) => {
                range.next_back_row().map(|row| row.and_then(|(k, v)| decoded_row(&k, &v)))
            }
        }
    }
}

/// Point reads and range scans, for tables opened by either kind of transaction.
pub(crate) trait ReadTable<K: Key, V: Value> {
    /// The value under `key`, if any.
    fn get<'a>(&self, key: impl Borrow<K::SelfType<'a>>) -> Result<Option<Stored<'_, V>>>;

    /// The rows whose keys fall in `range`, in key order (`.rev()` for the reverse).
    fn range<'a, KR>(&self, range: impl RangeBounds<KR> + 'a) -> Result<Range<'_, K, V>>
    where
        KR: Borrow<K::SelfType<'a>> + 'a;

    /// Every row, in key order.
    fn iter(&self) -> Result<Range<'_, K, V>>;

    /// The number of rows.
    fn len(&self) -> Result<u64>;
}

impl<K: Key, V: Value> Handle<'_, K, V> {
    fn get<'a>(&self, key: impl Borrow<K::SelfType<'a>>) -> Result<Option<Stored<'_, V>>> {
        use redb::ReadableTable;
        count!(read);
        match self {
            Handle::RedbRead(table) => Ok(table.get(key)?.map(Stored::from)),
            Handle::RedbWrite(table) => Ok(table.get(key)?.map(Stored::from)),
            Handle::Memory(table, _) => {
                table.rows.get(encode_whole::<K>(key.borrow()).as_slice()).map(|v| decoded(v)).transpose()
            }
            #[cfg(feature = "postgres")]
            Handle::Postgres(table, _) => {
                table.txn.get(table.name, &encode_whole::<K>(key.borrow()))?.map(|v| decoded(&v)).transpose()
            }
        }
    }

    fn range<'a, KR>(&self, range: impl RangeBounds<KR> + 'a) -> Result<Range<'_, K, V>>
    where
        KR: Borrow<K::SelfType<'a>> + 'a,
    {
        use redb::ReadableTable;
        Ok(Range(match self {
            Handle::RedbRead(table) => RangeInner::Redb(table.range(range)?),
            Handle::RedbWrite(table) => RangeInner::Redb(table.range(range)?),
            Handle::Memory(table, _) => {
                let (lower, upper) = encoded_bounds::<K, KR>(&range);
                RangeInner::Memory(memory::range(&table.rows, lower, upper), PhantomData)
            }
            #[cfg(feature = "postgres")]
            Handle::Postgres(table, _) => {
                let (lower, upper) = encoded_bounds::<K, KR>(&range);
                RangeInner::Postgres(PgRange::new(table.txn, table.name, lower, upper), PhantomData)
            }
        }))
    }

    fn len(&self) -> Result<u64> {
        use redb::ReadableTableMetadata;
        match self {
            Handle::RedbRead(table) => Ok(table.len()?),
            Handle::RedbWrite(table) => Ok(table.len()?),
            Handle::Memory(table, _) => Ok(table.rows.len() as u64),
            #[cfg(feature = "postgres")]
            Handle::Postgres(table, _) => table.txn.len(table.name),
        }
    }
}

fn encoded_bounds<'a, K: Key, KR: Borrow<K::SelfType<'a>> + 'a>(
    range: &impl RangeBounds<KR>,
) -> (Bound<Vec<u8>>, Bound<Vec<u8>>) {
    let encode = |bound: Bound<&KR>| bound.map(|k| encode_whole::<K>(k.borrow()));
    (encode(range.start_bound()), encode(range.end_bound()))
}

macro_rules! read_table {
    ($handle:ident) => {
        impl<K: Key, V: Value> ReadTable<K, V> for $handle<'_, K, V> {
            fn get<'a>(&self, key: impl Borrow<K::SelfType<'a>>) -> Result<Option<Stored<'_, V>>> {
                self.0.get(key)
            }

            fn range<'a, KR>(&self, range: impl RangeBounds<KR> + 'a) -> Result<Range<'_, K, V>>
            where
                KR: Borrow<K::SelfType<'a>> + 'a,
            {
                self.0.range(range)
            }

            fn iter(&self) -> Result<Range<'_, K, V>> {
                self.0.range::<K::SelfType<'_>>(..)
            }

            fn len(&self) -> Result<u64> {
                self.0.len()
            }
        }
    };
}

read_table!(TableRef);
read_table!(TableMut);

impl<K: Key, V: Value> TableMut<'_, K, V> {
    /// Stores `value` under `key`; returns the value it replaced.
    pub fn insert<'k, 'v>(
        &mut self,
        key: impl Borrow<K::SelfType<'k>>,
        value: impl Borrow<V::SelfType<'v>>,
    ) -> Result<Option<Stored<'_, V>>> {
        self.note(key.borrow());
        count!(written);
        match &mut self.0 {
            Handle::RedbWrite(table) => Ok(table.insert(key, value)?.map(Stored::from)),
            Handle::Memory(table, _) => {
                let key = encode_whole::<K>(key.borrow()).into_boxed_slice();
                let value: Arc<[u8]> = encode_whole::<V>(value.borrow()).into();
                Arc::make_mut(&mut table.rows).insert(key, value).map(|old| decoded(&old)).transpose()
            }
            #[cfg(feature = "postgres")]
            Handle::Postgres(table, _) => {
                let (key, value) = (encode_whole::<K>(key.borrow()), encode_whole::<V>(value.borrow()));
                table.txn.insert(table.name, &key, &value)?.map(|old| decoded(&old)).transpose()
            }
            Handle::RedbRead(_) => Err(read_only()),
        }
    }

    /// Stores `value` under `key` without reading what it replaces: on PostgreSQL the write
    /// waits in the transaction and goes to the server with the others in one round trip.
    pub fn put<'k, 'v>(
        &mut self,
        key: impl Borrow<K::SelfType<'k>>,
        value: impl Borrow<V::SelfType<'v>>,
    ) -> Result<()> {
        #[cfg(feature = "postgres")]
        if let Handle::Postgres(table, _) = &self.0 {
            self.note(key.borrow());
            count!(written);
            let (key, value) = (encode_whole::<K>(key.borrow()), encode_whole::<V>(value.borrow()));
            return table.txn.put(table.name, key, Some(value));
        }
        self.insert(key, value).map(drop)
    }

    /// Removes the row under `key`, if any, without reading it (as [`TableMut::put`]).
    pub fn delete<'a>(&mut self, key: impl Borrow<K::SelfType<'a>>) -> Result<()> {
        #[cfg(feature = "postgres")]
        if let Handle::Postgres(table, _) = &self.0 {
            self.note(key.borrow());
            count!(written);
            return table.txn.put(table.name, encode_whole::<K>(key.borrow()), None);
        }
        self.remove(key).map(drop)
    }

    /// Removes the row under `key`; returns its value.
    pub fn remove<'a>(&mut self, key: impl Borrow<K::SelfType<'a>>) -> Result<Option<Stored<'_, V>>> {
        self.note(key.borrow());
        count!(written);
        match &mut self.0 {
            Handle::RedbWrite(table) => Ok(table.remove(key)?.map(Stored::from)),
            Handle::Memory(table, _) => {
                let key = encode_whole::<K>(key.borrow());
                Arc::make_mut(&mut table.rows).remove(key.as_slice()).map(|old| decoded(&old)).transpose()
            }
            #[cfg(feature = "postgres")]
            Handle::Postgres(table, _) => {
                table.txn.remove(table.name, &encode_whole::<K>(key.borrow()))?.map(|old| decoded(&old)).transpose()
            }
            Handle::RedbRead(_) => Err(read_only()),
        }
    }

    /// Keeps only the rows for which `keep` says `true`.
    pub fn retain<F: for<'f> FnMut(K::SelfType<'f>, V::SelfType<'f>) -> bool>(&mut self, keep: F) -> Result<()> {
        let keep = noting::<K, V, F>(self.1, keep);
        match &mut self.0 {
            Handle::RedbWrite(table) => Ok(table.retain(keep)?),
            Handle::Memory(table, _) => retain_rows::<K, V>(&mut table.rows, Bound::Unbounded, Bound::Unbounded, keep),
            #[cfg(feature = "postgres")]
            Handle::Postgres(table, _) => retain_postgres::<K, V>(table, Bound::Unbounded, Bound::Unbounded, keep),
            Handle::RedbRead(_) => Err(read_only()),
        }
    }

    /// Keeps only the rows in `range` for which `keep` says `true` (and every row outside it).
    pub fn retain_in<'a, KR, F: for<'f> FnMut(K::SelfType<'f>, V::SelfType<'f>) -> bool>(
        &mut self,
        range: impl RangeBounds<KR> + 'a,
        keep: F,
    ) -> Result<()>
    where
        KR: Borrow<K::SelfType<'a>> + 'a,
    {
        let keep = noting::<K, V, F>(self.1, keep);
        match &mut self.0 {
            Handle::RedbWrite(table) => Ok(table.retain_in(range, keep)?),
            Handle::Memory(table, _) => {
                let (lower, upper) = encoded_bounds::<K, KR>(&range);
                retain_rows::<K, V>(&mut table.rows, lower, upper, keep)
            }
            #[cfg(feature = "postgres")]
            Handle::Postgres(table, _) => {
                let (lower, upper) = encoded_bounds::<K, KR>(&range);
                retain_postgres::<K, V>(table, lower, upper, keep)
            }
            Handle::RedbRead(_) => Err(read_only()),
        }
    }
}

impl<K: Key, V: Value> TableMut<'_, K, V> {
    /// Stores rows given as encoded bytes (a copy between engines, [`super::copy`]): decoded
    /// into the table's types, or on PostgreSQL sent as they are in one statement.
    pub(super) fn load(&mut self, rows: &super::copy::Batch) -> Result<()> {
        #[cfg(feature = "postgres")]
        if let Handle::Postgres(table, _) = &self.0 {
            rows.iter().for_each(|(key, _)| self.note_encoded(key));
            return table.txn.insert_many(table.name, rows);
        }
        for (key, value) in rows {
            let (key, value) = super::copy::decode_row::<K, V>(key, value)?;
            self.insert(K::borrow_owned(&key), V::borrow_owned(&value))?;
        }
        Ok(())
    }

    #[cfg(feature = "postgres")]
    fn note_encoded(&self, key: &[u8]) {
        if let Some((watch, name)) = self.1 {
            watch.note(name, key.to_vec());
        }
    }

    /// Notes `key` for the change feed when the table is watched.
    fn note(&self, key: &K::SelfType<'_>) {
        if let Some((watch, name)) = self.1 {
            watch.note(name, encode_whole::<K>(key));
        }
    }
}

/// Wraps `keep` so that, when it drops a row of a watched table, the key is noted.
fn noting<'w, K: Key, V: Value, F>(
    watch: Option<(&'w Watch, &'static str)>,
    mut keep: F,
) -> impl for<'f> FnMut(K::SelfType<'f>, V::SelfType<'f>) -> bool + 'w
where
    F: for<'f> FnMut(K::SelfType<'f>, V::SelfType<'f>) -> bool + 'w,
{
    move |key, value| {
        count!(read);
        let encoded = watch.map(|_| encode_whole::<K>(&key));
        let kept = keep(key, value);
        if !kept {
            count!(written);
        }
        if let (false, Some((watch, name)), Some(encoded)) = (kept, watch, encoded) {
            watch.note(name, encoded);
        }
        kept
    }
}

fn retain_rows<K: Key, V: Value>(
    rows: &mut Arc<Rows>,
    lower: Bound<Vec<u8>>,
    upper: Bound<Vec<u8>>,
    mut keep: impl for<'f> FnMut(K::SelfType<'f>, V::SelfType<'f>) -> bool,
) -> Result<()> {
    let mut doomed = Vec::new();
    for (key, value) in memory::range(rows, lower, upper) {
        let (k, v) = (decode_whole::<K>(key)?, decode_whole::<V>(value)?);
        if !keep(K::borrow_owned(&k), V::borrow_owned(&v)) {
            doomed.push(key.clone());
        }
    }
    if !doomed.is_empty() {
        let rows = Arc::make_mut(rows);
        for key in doomed {
            rows.remove(&key);
        }
    }
    Ok(())
}

/// Reads the rows between two bounds in pages, then deletes the refused ones by key.
#[cfg(feature = "postgres")]
fn retain_postgres<K: Key, V: Value>(
    table: &PostgresTable<'_>,
    lower: Bound<Vec<u8>>,
    upper: Bound<Vec<u8>>,
    mut keep: impl for<'f> FnMut(K::SelfType<'f>, V::SelfType<'f>) -> bool,
) -> Result<()> {
    let mut doomed = Vec::new();
    let mut rows = PgRange::new(table.txn, table.name, lower, upper);
    while let Some(row) = rows.next_row() {
        let (key, value) = row?;
        let (k, v) = (decode_whole::<K>(&key)?, decode_whole::<V>(&value)?);
        if !keep(K::borrow_owned(&k), V::borrow_owned(&v)) {
            doomed.push(key);
        }
    }
    table.txn.remove_all(table.name, doomed)
}

fn read_only() -> Error {
    Error::storage("a table opened in a read transaction cannot be written")
}

macro_rules! storage_errors {
    ($($t:ty),* $(,)?) => {
        $(impl From<$t> for Error {
            fn from(e: $t) -> Self {
                Error::storage(e)
            }
        })*
    };
}

storage_errors!(
    redb::Error,
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError,
    redb::SetDurabilityError,
    redb::CompactionError,
);
