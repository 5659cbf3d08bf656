//! The PostgreSQL backend (feature `postgres`): the same ordered keyspaces, in a database that
//! several server processes share.
//!
//! # Why a blocking client over `tokio-postgres`
//! The storage interface is synchronous (a server runs it on a blocking pool) and a write is a
//! closure that runs between `BEGIN` and `COMMIT` on one connection. The `postgres` crate is
//! exactly that shape: a blocking client over `tokio-postgres`' protocol code, with SQLSTATEs
//! as typed codes (what the retry decision needs) and prepared statements we cache per
//! connection. `sqlx` would bring an async runtime to every call site and its own pool and
//! migration machinery, none of which the store can use. The connections are
//! `tokio-postgres` clients blocked on as `postgres` does ([`client`], its types and errors
//! the same), because `postgres` cannot send a read's `BEGIN` and its first statement
//! together; `postgres` remains for the types it shares with it (rows, errors, SQLSTATEs).
//!
//! # Layout
//! - A schema per platform, named by `?schema=NAME` in the URL (default `public`); every
//!   statement names its tables with the schema, so platforms in one database see nothing of
//!   each other whatever the connection's `search_path`.
//! - A table per keyspace: `key bytea PRIMARY KEY, value bytea NOT NULL`. `bytea` compares as
//!   `memcmp`, which is the order of the typed keys ([`super::types`]).
//! - Range scans are keyset queries in pages (`key >= $1 AND key < $2 ORDER BY key [DESC]
//!   LIMIT n`) from either end; pages grow from 32 rows, because domain code usually takes the
//!   first page of a range and stops. Bounds are normalised: an exclusive lower bound `k` is
//!   the inclusive `k ‖ 0x00` (its successor in byte order), an inclusive upper bound `k` the
//!   exclusive `k ‖ 0x00`, so four statements per table cover every range.
//!
//! # Transactions
//! - A read is `REPEATABLE READ, READ ONLY`: a snapshot, taken by the transaction's first
//!   statement. An operation that knows what it will read first declares it
//!   ([`super::Store::read_with`]: rows by key, the first page of ranges read from the low
//!   end, and people's keys), and the `BEGIN` and one `UNION ALL` statement reading the rows
//!   and the keys go to the server together and are waited for once ([`client`]: the
//!   `postgres` crate waits for each request, so connections are `tokio-postgres` clients
//!   driven the same way, which can send several requests before waiting); the first
//!   statement takes the snapshot. The point reads, the scan's first page and the key lookups
//!   that follow cost no round trip; a read ahead later in a transaction
//!   ([`PgTxn::read_ahead`]) sends its statement in one round trip the same way. When there
//!   are rows to read, the keys are a part of the rows' statement (one statement to bind, run
//!   and answer instead of two); keys alone have a statement of their own.
//!   A first page that came back shorter than asked for holds the whole range: every scan
//!   within it, from either end, is answered from it until a write is staged in its table
//!   ([`staged::Known::take_first_page`]); ranges may also be read ahead from the high end.
//!   Its `ROLLBACK` is not waited for: the connection goes back to the pool marked, and the
//!   `ROLLBACK` is sent in the same batch as whatever that connection sends next (the next
//!   transaction's `BEGIN`, mostly), which saves every read a round trip. Meanwhile the
//!   connection is idle in an open read-only transaction: it changes nothing, but its snapshot
//!   holds back `VACUUM` and its share locks hold back `DROP TABLE`. Both are bounded: a
//!   sweeper thread of the handle rolls back connections left idle so for [`IDLE_SNAPSHOT`],
//!   and this handle's own `DROP`s and vacuums roll back its idle connections first.
//! - A write is `SERIALIZABLE`. When PostgreSQL refuses it as conflicting with a concurrent
//!   one (SQLSTATE `40001`, or `40P01` for a deadlock) — at any statement or at `COMMIT` — the
//!   transaction is rolled back and the write closure (`Fn`) runs again, up to
//!   [`MAX_ATTEMPTS`] times with exponential backoff and full jitter; every retry is counted
//!   ([`PgDb::retries`]). The conflict is noted on the transaction itself, so a closure that
//!   turns the failed statement's error into another error is retried all the same.
//! - Writes that keep conflicting run alone. Serializable isolation in PostgreSQL locks
//!   predicates by index page, so writers appending to one small keyspace (sign-ups: the
//!   pseudonym index and the accounts under increasing ids) conflict with one another even
//!   when their keys differ, and eight of them at once can starve one past any retry limit.
//!   Every write therefore holds the schema's writers lock in shared mode (an advisory lock
//!   for the transaction); a write that has conflicted [`ALONE_AFTER`] times takes it
//!   exclusively for its session before `BEGIN`, so that its snapshot is taken once running
//!   writes have finished, while new ones wait: it runs with no concurrent writer and cannot
//!   conflict. Writes otherwise run concurrently, and runs alone are counted
//!   ([`PgDb::alone_runs`]). The exclusive lock is released after `COMMIT`/`ROLLBACK`, or by
//!   the server when the connection is lost (a connection whose release failed is not reused).
//! - `Durability::Immediate` commits with `synchronous_commit = on`, `Eventual` with `off`.
//!
//! # The change feed
//! A write's feed entry is numbered in commit order: on its own, a counter advanced outside the
//! transaction could give writer A 10 and writer B 11, B commit first, and a reader that saw 11
//! never look at 10 again. So the entry is written last, under the schema's feed lock (an
//! advisory lock held until the transaction ends), and its number is drawn after the lock is
//! granted, from the schema's PostgreSQL sequence [`FEED_NUMBERS`] (`nextval`, which never
//! conflicts between serializable transactions): numbers are drawn in the order the lock is
//! granted, and no entry commits while one with a smaller number is still open. PostgreSQL
//! releases the lock after the commit is visible, so a snapshot that shows an entry shows
//! every committed entry before it. The lock, the draw, the entry's `INSERT` and the `COMMIT`
//! go in the batch of the staged writes, in one round trip, and only they are serialized: the
//! writes themselves run concurrently and the lock is held for the commit alone. A commit that
//! fails after drawing leaves a gap, which a reader simply never sees filled.
//!
//! The other engines draw the feed's numbers from the `store_changes` row of `sequences`. That
//! row and the sequence are brought level whenever a schema opens and when a copy between
//! engines writes either table ([`PgDb::feed_numbers_sql`]): a platform copied in goes on after
//! its last entry, and one copied out (its source opened first) carries the row to go on from.
//!
//! # Sequences
//! [`super::WriteTxn::next_ids`] must not make every inserting transaction conflict on one
//! counter. Each counter is a PostgreSQL `SEQUENCE` of the schema, `ids_<name>`, drawn by
//! `nextval` inside the write's own transaction: `nextval` is never rolled back, takes no lock
//! the transaction keeps and is not seen by serializable isolation, so concurrent writers never
//! conflict on it, and it needs no commit of its own (its WAL record precedes the commit record
//! of the transaction that uses the ids, so that commit makes it durable too). As with any
//! PostgreSQL sequence, ids are unique and increasing, and a rolled-back or retried transaction
//! leaves a gap. `n` consecutive ids are drawn by the schema's function `trialog_ids`
//! ([`PgDb::draw_function_sql`]: `n` calls of `nextval`, begun again should another
//! transaction draw in between). A write draws in the statements it sends anyway: the ids a
//! read ahead names ([`Ahead::ids`]) are drawn by the read ahead's statement, a part of its
//! `UNION ALL`, and several sequences named together ([`PgTxn::reserve_ids`]) by one statement;
//! later draws take from them, and what is left unused is a gap.
//!
//! The other engines keep each counter's next id in a row of the `sequences` keyspace, which a
//! copy between engines carries. Here the sequence advances alone, and the row and the
//! sequence are brought level when a schema opens and when a copy writes `sequences`
//! ([`PgDb::ids_level_sql`], under the writers lock held exclusively, so that no draw comes
//! between a sequence's reading and its setting): a platform copied in goes on after its
//! rows, and one copied out carries rows to go on from. A sequence is made at its counter's
//! first draw, starting after its row ([`PgDb::ensure_ids`]), so a platform of schema 36,
//! whose counters were rows, goes on after them.

use std::collections::HashMap;
use std::collections::{HashSet, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use postgres::Statement;
use postgres::error::SqlState;
use postgres::types::ToSql;

use super::Durability;
use super::tables::{CHANGES, SEQUENCES};
use super::txn::Ahead;
use crate::error::{Error, Result};

mod client;
mod keys;
mod pool;
mod staged;

use staged::PageRange;

/// How often a write runs before a conflict is given up as [`Error::Conflict`].
pub(crate) const MAX_ATTEMPTS: u32 = 20;
/// Conflicted runs after which a write takes the writers lock exclusively (module documentation).
pub(crate) const ALONE_AFTER: u32 = 6;
/// Connections a handle has open at most for transactions (a server's pool size): 1,000
/// concurrent writers otherwise open 1,000 connections, past PostgreSQL's `max_connections`
/// and the shared memory of serializable transactions (SQLSTATE 53200). Beyond it a
/// transaction waits for a free connection, up to [`CONNECTION_WAIT`].
pub(crate) const MAX_CONNECTIONS: usize = 32;
/// Idle connections kept for the next transaction.
const IDLE_CONNECTIONS: usize = 16;
/// Connections for making id sequences ([`PgDb::ensure_ids`]), apart: a write holds its own
/// connection while it makes them, so taking one from the same bounded set could wait on itself.
const SETUP_CONNECTIONS: usize = 1;
/// How long a transaction waits for a free connection before it fails as `Storage`.
const CONNECTION_WAIT: Duration = Duration::from_secs(60);
/// The first page of a range scan; later pages grow fourfold up to [`LAST_PAGE`].
const FIRST_PAGE: i64 = 32;
const LAST_PAGE: i64 = 2048;
/// Keys deleted by one statement of `retain`.
const DELETE_BATCH: usize = 1000;
/// Rows stored by one statement of a copy between engines.
const INSERT_BATCH: usize = 1000;
/// The PostgreSQL sequence of the change feed's numbers, in each platform's schema.
const FEED_NUMBERS: &str = "store_changes_numbers";
/// The PostgreSQL sequence of an id counter is this prefix and the counter's name ("Sequences"
/// in the module documentation).
const IDS_PREFIX: &str = "ids_";
/// The function of each platform's schema that draws consecutive ids ([`PgDb::draw_function_sql`]).
const DRAW_FUNCTION: &str = "trialog_ids";
/// How long a connection stays idle with its read's `ROLLBACK` deferred before the sweeper
/// sends it (module documentation): what another process's `DROP TABLE` may wait, and how
/// long an idle platform holds back `VACUUM`.
const IDLE_SNAPSHOT: Duration = Duration::from_millis(100);

/// One database schema: the connection settings, idle connections and what is known of it.
pub(crate) struct PgDb {
    config: tokio_postgres::Config,
    schema: String,
    /// Connections for transactions, and for making id sequences ([`SETUP_CONNECTIONS`]).
    main: Connections,
    setup: Connections,
    /// Tables known to exist (committed), so opening one costs no round trip.
    known: Mutex<HashSet<String>>,
    /// Id counters whose sequence is known to exist (committed), by counter name.
    known_ids: Mutex<HashSet<String>>,
    retries: AtomicU64,
    /// Round trips to the server on this schema's connections ([`PgDb::round_trips`]).
    trips: Arc<AtomicU64>,
    /// Writes that ran alone after conflicting [`ALONE_AFTER`] times.
    alone_runs: AtomicU64,
    /// What becomes of the schema when the last handle goes.
    lifetime: Lifetime,
}

/// What becomes of a schema when the last handle on it goes.
enum Lifetime {
    /// A platform's schema: it stays.
    Kept,
    /// A test platform's own schema: dropped.
    Dropped,
    /// A test platform's schema from the pool of ready schemas: emptied and put back ([`pool`]).
    Pooled(pool::Pool),
}

/// A connection and the statements prepared on it.
struct Conn {
    client: client::PgClient,
    statements: HashMap<String, Statement>,
    /// The round-trip counter of its schema ([`PgDb::round_trips`]).
    trips: Arc<AtomicU64>,
    /// Since when a read ended on it whose `ROLLBACK` is still to be sent (module
    /// documentation).
    rollback_due: Option<std::time::Instant>,
    /// Its place among the open connections, given up when it is dropped.
    _slot: Slot,
}

/// A bounded set of connections: the idle ones, and how many are open (idle or in use).
struct Connections {
    /// Shared with the sweeper thread of deferred rollbacks, which holds it weakly.
    idle: Arc<Mutex<Vec<Conn>>>,
    slots: Arc<Slots>,
    keep_idle: usize,
}

struct Slots {
    open: Mutex<usize>,
    freed: std::sync::Condvar,
    max: usize,
}

/// One open connection's place in [`Slots`].
struct Slot(Arc<Slots>);

impl Drop for Slot {
    fn drop(&mut self) {
        *lock(&self.0.open) -= 1;
        self.0.freed.notify_one();
    }
}

impl Connections {
    fn new(max: usize, keep_idle: usize) -> Connections {
        let slots = Arc::new(Slots { open: Mutex::new(0), freed: std::sync::Condvar::new(), max });
        Connections { idle: Arc::default(), slots, keep_idle }
    }

    /// Starts the thread that rolls back reads left idle for [`IDLE_SNAPSHOT`]; it ends once
    /// these connections are gone.
    fn sweep_deferred_rollbacks(&self) {
        let idle = Arc::downgrade(&self.idle);
        let started = std::thread::Builder::new().name("trialog-pg-sweeper".into()).spawn(move || {
            loop {
                std::thread::sleep(IDLE_SNAPSHOT);
                let Some(idle) = idle.upgrade() else { return };
                settle_idle(&idle, IDLE_SNAPSHOT);
            }
        });
        // Without the thread a deferred rollback waits for the connection's next use.
        drop(started);
    }

    /// Sends the deferred `ROLLBACK` of every idle connection now (before a `DROP`).
    fn settle_idle(&self) {
        settle_idle(&self.idle, Duration::ZERO);
    }

    /// An idle connection, or a place for a new one: waits while all are in use.
    fn reserve(&self) -> Result<std::result::Result<Conn, Slot>> {
        let deadline = std::time::Instant::now() + CONNECTION_WAIT;
        let mut open = lock(&self.slots.open);
        loop {
            if let Some(conn) = lock(&self.idle).pop() {
                return Ok(Ok(conn));
            }
            if *open < self.slots.max {
                *open += 1;
                return Ok(Err(Slot(self.slots.clone())));
            }
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return Err(Error::storage(format!(
                    "all {} connections to PostgreSQL stayed busy for {} s",
                    self.slots.max,
                    CONNECTION_WAIT.as_secs()
                )));
            }
            open = self.slots.freed.wait_timeout(open, left).unwrap_or_else(PoisonError::into_inner).0;
        }
    }

    /// Keeps `conn` for the next transaction (or closes it), and wakes one waiting for it.
    fn give(&self, conn: Conn) {
        let mut idle = lock(&self.idle);
        if !conn.client.is_closed() && idle.len() < self.keep_idle {
            idle.push(conn);
        }
        drop(idle);
        // Under the count's lock, so that a waiter between its look and its wait hears it.
        let _open = lock(&self.slots.open);
        self.slots.freed.notify_one();
    }
}

/// Sends the deferred `ROLLBACK` of the idle connections whose read ended `older_than` ago or
/// earlier; a connection where it fails is closed (after the pool's lock is given up: its
/// slot takes the count's lock, which [`Connections::reserve`] takes before this one).
fn settle_idle(idle: &Mutex<Vec<Conn>>, older_than: Duration) {
    let mut failed = Vec::new();
    {
        let mut idle = lock(idle);
        let mut kept = Vec::with_capacity(idle.len());
        for mut conn in idle.drain(..) {
            let due = conn.rollback_due.is_some_and(|at| at.elapsed() >= older_than);
            if due && conn.settle().is_err() { failed.push(conn) } else { kept.push(conn) }
        }
        *idle = kept;
    }
    drop(failed);
}

impl Conn {
    /// Runs `sql` as a prepared statement (prepared once per connection, then kept).
    fn query(&mut self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<postgres::Row>, postgres::Error> {
        self.settle()?;
        let statement = self.prepared(sql)?;
        self.trip();
        self.client.query(&statement, params)
    }

    /// Runs `statements` (each prepared once per connection, then kept) in one round trip
    /// ([`client::PgClient::pipelined`]), after `begin` (statements without parameters: a
    /// transaction's `BEGIN`) when there is one, and with the deferred `ROLLBACK` of the last
    /// read when there is one (and a trip more for each statement prepared the first time).
    /// Each statement's rows, in order.
    fn pipelined(
        &mut self,
        begin: Option<&str>,
        statements: &[Sql<'_>],
    ) -> Result<Vec<Vec<postgres::Row>>, postgres::Error> {
        let prepared = statements.iter().map(|(sql, _)| self.prepared(sql)).collect::<Result<Vec<_>, _>>()?;
        let queries: Vec<client::Query<'_>> =
            prepared.iter().zip(statements).map(|(statement, (_, params))| (statement, params.as_slice())).collect();
        let batch = match (self.rollback_due.take(), begin) {
            (Some(_), Some(begin)) => Some(format!("ROLLBACK; {begin}")),
            (Some(_), None) => Some("ROLLBACK".to_string()),
            (None, begin) => begin.map(str::to_string),
        };
        self.trip();
        self.client.pipelined(batch.as_deref(), &queries)
    }

    /// `sql` prepared on this connection (prepared once, then kept).
    fn prepared(&mut self, sql: &str) -> Result<Statement, postgres::Error> {
        if let Some(statement) = self.statements.get(sql) {
            return Ok(statement.clone());
        }
        self.settle()?;
        self.trip();
        let statement = self.client.prepare(sql)?;
        self.statements.insert(sql.to_string(), statement.clone());
        Ok(statement)
    }

    /// Runs `sql` (one or more statements without parameters) in one round trip, after the
    /// deferred `ROLLBACK` of the last read when there is one.
    fn batch(&mut self, sql: &str) -> Result<(), postgres::Error> {
        if self.rollback_due.take().is_some() {
            return self.batch(&format!("ROLLBACK; {sql}"));
        }
        self.trip();
        self.client.batch_execute(sql)
    }

    /// Sends the deferred `ROLLBACK` of the last read, if any, on its own.
    fn settle(&mut self) -> Result<(), postgres::Error> {
        if self.rollback_due.is_none() {
            return Ok(());
        }
        self.batch("")
    }

    fn trip(&self) {
        self.trips.fetch_add(1, Ordering::Relaxed);
    }
}

/// The database URL's parts: the connection settings, and the schema taken out of it.
fn parse_url(url: &str) -> Result<(tokio_postgres::Config, String)> {
    let (base, query) = url.split_once('?').unwrap_or((url, ""));
    let mut schema = None;
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.strip_prefix("schema=") {
            Some(name) => schema = Some(name.to_string()),
            None => kept.push(pair),
        }
    }
    let rest = if kept.is_empty() { base.to_string() } else { format!("{base}?{}", kept.join("&")) };
    let config: tokio_postgres::Config =
        rest.parse().map_err(|e| Error::invalid("store", format!("not a PostgreSQL URL: {e}")))?;
    let schema = schema.unwrap_or_else(|| "public".into());
    check_identifier("schema", &schema)?;
    check_identifier("schema", &format!("{schema}{}", keys::SCHEMA_SUFFIX)).map_err(|_| {
        Error::invalid(
            "schema",
            format!(
                "{schema:?} is too long for its key store's schema {schema}{}: at most {} bytes",
                keys::SCHEMA_SUFFIX,
                63 - keys::SCHEMA_SUFFIX.len()
            ),
        )
    })?;
    Ok((config, schema))
}

/// Schema and table names are quoted in every statement; these rules keep them portable and
/// within PostgreSQL's 63 bytes.
fn check_identifier(field: &str, name: &str) -> Result<()> {
    let fine = !name.is_empty()
        && name.len() <= 63
        && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        && !name.as_bytes()[0].is_ascii_digit();
    if fine {
        Ok(())
    } else {
        Err(Error::invalid(field, format!("{name:?} must be 1 to 63 of a-z, 0-9 and _, not starting with a digit")))
    }
}

impl PgDb {
    /// Connects to the schema named in `url` (creating the schema and the `sequences` table
    /// when missing). `ephemeral`: the schema is dropped when the last handle goes.
    pub fn connect(url: &str, ephemeral: bool) -> Result<Arc<PgDb>> {
        Self::connect_as(url, if ephemeral { Lifetime::Dropped } else { Lifetime::Kept })
    }

    /// Connects a test platform to the new schema named in `url`, which is a ready schema of
    /// the pool for platforms of `tables` renamed when there is one ([`pool`]).
    pub fn connect_pooled<'t>(url: &str, tables: impl Iterator<Item = &'t str>) -> Result<Arc<PgDb>> {
        Self::connect_as(url, Lifetime::Pooled(pool::Pool::new(tables)))
    }

    fn connect_as(url: &str, lifetime: Lifetime) -> Result<Arc<PgDb>> {
        let (config, schema) = parse_url(url)?;
        let db = Arc::new(PgDb {
            config,
            schema,
            main: Connections::new(MAX_CONNECTIONS, IDLE_CONNECTIONS),
            setup: Connections::new(SETUP_CONNECTIONS, SETUP_CONNECTIONS),
            known: Mutex::default(),
            known_ids: Mutex::default(),
            retries: AtomicU64::new(0),
            trips: Arc::default(),
            alone_runs: AtomicU64::new(0),
            lifetime,
        });
        db.main.sweep_deferred_rollbacks();
        let mut conn = db.take()?;
        if let Lifetime::Pooled(pool) = &db.lifetime {
            pool.claim(&mut conn, &db.schema);
        }
        let sql = format!(
            "CREATE SCHEMA IF NOT EXISTS \"{schema}\"; {create}; {keys}; CREATE SEQUENCE IF NOT EXISTS {numbers}; {draw}",
            schema = db.schema,
            create = db.create_sql(SEQUENCES.name()),
            keys = db.create_keys_sql(),
            numbers = db.feed_numbers(),
            draw = db.draw_function_sql(),
        );
        db.locked(&mut conn, |conn| {
            conn.client.batch_execute(&sql)?;
            let rows = conn.query("SELECT tablename::text FROM pg_tables WHERE schemaname = $1", &[&db.schema])?;
            lock(&db.known).extend(rows.iter().map(|r| r.get::<_, String>(0)));
            let sequences = "SELECT substr(sequencename::text, $2) FROM pg_sequences \
                             WHERE schemaname = $1 AND starts_with(sequencename::text, $3)";
            let from = i32::try_from(IDS_PREFIX.len() + 1).unwrap_or(i32::MAX);
            let rows = conn.query(sequences, &[&db.schema, &from, &IDS_PREFIX])?;
            lock(&db.known_ids).extend(rows.iter().map(|r| r.get::<_, String>(0)));
            let changes = lock(&db.known).contains(CHANGES.name());
            conn.client.batch_execute(&format!("BEGIN; {}{}COMMIT", db.ids_level_sql(), db.feed_numbers_sql(changes)))
        })
        .map_err(|e| failure(&e))?;
        db.give(conn);
        Ok(db)
    }

    /// Runs `work` under this schema's advisory lock, so that processes opening one schema at
    /// once create its tables one after the other (`CREATE … IF NOT EXISTS` races otherwise).
    fn locked<T>(
        &self,
        conn: &mut Conn,
        work: impl FnOnce(&mut Conn) -> Result<T, postgres::Error>,
    ) -> Result<T, postgres::Error> {
        let key = format!("trialog schema {}", self.schema);
        conn.client.execute("SELECT pg_advisory_lock(hashtext($1))", &[&key])?;
        let result = work(conn);
        conn.client.execute("SELECT pg_advisory_unlock(hashtext($1))", &[&key])?;
        result
    }

    /// Runs `work` (the schema migration of a newly opened store) under the schema's lock.
    pub fn with_schema_lock<T>(&self, work: impl FnOnce() -> Result<T>) -> Result<T> {
        let mut conn = self.take()?;
        let mut outcome = None;
        self.locked(&mut conn, |_| {
            outcome = Some(work());
            Ok(())
        })
        .map_err(|e| failure(&e))?;
        self.give(conn);
        outcome.unwrap_or_else(|| Err(Error::storage("the schema lock was not taken")))
    }

    /// The schema is up to date: a pooled one notes its tables, the set it returns with.
    pub fn ready(&self) -> Result<()> {
        let Lifetime::Pooled(pool) = &self.lifetime else { return Ok(()) };
        let mut conn = self.take()?;
        pool.note_ready(&mut conn, &self.schema).map_err(|e| failure(&e))?;
        self.give(conn);
        Ok(())
    }

    /// How many writes ran again after a serialization conflict, since this handle opened.
    pub fn retries(&self) -> u64 {
        self.retries.load(Ordering::Relaxed)
    }

    /// How many writes ran alone after conflicting [`ALONE_AFTER`] times.
    pub fn alone_runs(&self) -> u64 {
        self.alone_runs.load(Ordering::Relaxed)
    }

    /// How many round trips this handle's connections made to the server since it opened:
    /// each statement or batch sent and waited for, and each statement prepared. Tests hold
    /// a thread page and a reply to a number of round trips with it (`forums/tests.rs`);
    /// a count, never what was sent.
    #[cfg(test)]
    pub fn round_trips(&self) -> u64 {
        self.trips.load(Ordering::Relaxed)
    }

    /// The writers lock of this schema (a key of `pg_advisory_lock`; the schema name is a
    /// checked identifier, so it may stand in the literal).
    fn writers_lock(&self) -> String {
        format!("hashtext('trialog writers {}')", self.schema)
    }

    /// The change feed's lock of this schema (as [`PgDb::writers_lock`]).
    fn feed_lock(&self) -> String {
        format!("hashtext('trialog feed {}')", self.schema)
    }

    /// The PostgreSQL sequence the change feed's numbers are drawn from, as a name that
    /// `nextval` and `setval` take ("The change feed" in the module documentation).
    fn feed_numbers(&self) -> String {
        format!("\"{}\".\"{FEED_NUMBERS}\"", self.schema)
    }

    /// Statements that bring the feed's sequence and the feed's row of `sequences` level with
    /// each other and with the feed's last entry (`changes`: whether the feed's table exists):
    /// the sequence goes on after the largest of the three, and the row, which other engines
    /// draw from, is raised to the sequence's next number when it is behind. Run when a schema
    /// opens and when a copy between engines has written either table, so that a platform
    /// copied in goes on numbering after its entries, and one copied out does too. Under the
    /// feed's lock, for the transaction they run in: every draw is made under it, so none
    /// comes between the sequence's reading and its setting (another server may be writing).
    fn feed_numbers_sql(&self, changes: bool) -> String {
        let numbers = self.feed_numbers();
        let sequences = self.table(SEQUENCES.name());
        let as_int = |column: &str| format!("('x' || encode({column}, 'hex'))::bit(64)::int8");
        let row = format!("convert_to('{}', 'UTF8')", CHANGES.name());
        let last = match changes {
            true => format!(
                "coalesce((SELECT {} FROM {} ORDER BY key DESC LIMIT 1), 0)",
                as_int("key"),
                self.table(CHANGES.name())
            ),
            false => "0".into(),
        };
        let drawn = format!(
            "greatest((SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM {numbers}), \
             coalesce((SELECT {} - 1 FROM {sequences} WHERE key = {row}), 0), {last})",
            as_int("value")
        );
        format!(
            "SELECT pg_advisory_xact_lock({lock}); \
             SELECT setval('{numbers}', greatest(n, 1), n >= 1) FROM (SELECT {drawn} AS n) AS drawn; \
             INSERT INTO {sequences} AS s (key, value) \
             SELECT {row}, int8send(last_value + 1) FROM {numbers} WHERE is_called \
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value WHERE {} < {}; ",
            as_int("s.value"),
            as_int("EXCLUDED.value"),
            lock = self.feed_lock(),
        )
    }

    /// The function that draws `n` consecutive ids from a sequence (created with the schema,
    /// replaced on each opening): `n` calls of `nextval`, begun again from the value that broke
    /// the run when another transaction drew in between, so the run is this caller's alone.
    /// Every value comes from `nextval`, so no id is handed out twice, and all are larger than
    /// any drawn before the call began; the values of a broken run are a gap. It takes the
    /// sequence rather than naming it, so it names nothing of the schema it is in (a pooled
    /// test schema is renamed, `pool.rs`).
    fn draw_function_sql(&self) -> String {
        format!(
            "CREATE OR REPLACE FUNCTION \"{schema}\".\"{DRAW_FUNCTION}\"(seq regclass, n int8) RETURNS int8 \
             LANGUAGE plpgsql VOLATILE AS $draw$ \
             DECLARE first int8 := nextval(seq); last int8 := first; v int8; \
             BEGIN \
               WHILE last - first + 1 < n LOOP \
                 v := nextval(seq); \
                 IF v <> last + 1 THEN first := v; END IF; \
                 last := v; \
               END LOOP; \
               RETURN first; \
             END $draw$",
            schema = self.schema
        )
    }

    /// The sequence of the id counter `name`, as text that `::regclass` reads.
    fn ids_sequence(&self, name: &str) -> Result<String> {
        let sequence = format!("{IDS_PREFIX}{name}");
        check_identifier("sequence", &sequence)?;
        Ok(format!("\"{}\".\"{sequence}\"", self.schema))
    }

    /// Statements that bring each id counter's sequence and its row of `sequences` level: a
    /// sequence behind its row (rows copied in, or drawn from by another engine) goes on after
    /// the row's next id, and a row behind its sequence (which advances alone here) is raised
    /// to the sequence's next id, so that a copy out goes on from there. Under the writers lock
    /// taken exclusively for the transaction they run in: every draw is made by a write, which
    /// holds that lock, so none comes between a sequence's reading and its setting (`setval`
    /// could otherwise move it back under a concurrent draw). Run when a schema opens and when
    /// a copy between engines writes `sequences`; a sequence made later starts after its row
    /// ([`PgDb::ensure_ids`]).
    fn ids_level_sql(&self) -> String {
        let sequences = self.table(SEQUENCES.name());
        let as_int = |column: &str| format!("('x' || encode({column}, 'hex'))::bit(64)::int8");
        let from = IDS_PREFIX.len() + 1;
        let schema = &self.schema;
        format!(
            "SELECT pg_advisory_xact_lock({lock}); \
             SELECT setval(format('%I.%I', s.schemaname, s.sequencename), {row} - 1) \
             FROM pg_sequences s JOIN {sequences} r ON r.key = convert_to(substr(s.sequencename::text, {from}), 'UTF8') \
             WHERE s.schemaname = '{schema}' AND starts_with(s.sequencename::text, '{IDS_PREFIX}') \
             AND {row} - 1 > coalesce(s.last_value, 0); \
             INSERT INTO {sequences} AS r (key, value) \
             SELECT convert_to(substr(sequencename::text, {from}), 'UTF8'), int8send(last_value + 1) FROM pg_sequences \
             WHERE schemaname = '{schema}' AND starts_with(sequencename::text, '{IDS_PREFIX}') AND last_value IS NOT NULL \
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value WHERE {old} < {new}; ",
            lock = self.writers_lock(),
            row = as_int("r.value"),
            old = as_int("r.value"),
            new = as_int("EXCLUDED.value"),
        )
    }

    /// Makes the sequences of the id counters `names` that this handle does not know to exist:
    /// on a connection of their own, in a transaction under the schema's ids lock (so that two
    /// processes make a sequence once), each made only when missing and then set to go on
    /// after its row of `sequences` (ids drawn before by another engine, or by a trialog
    /// before schema 37), before it is committed, so that no draw sees it unlevelled.
    fn ensure_ids(&self, names: &[&str]) -> Result<()> {
        let missing: Vec<&str> = {
            let known = lock(&self.known_ids);
            names.iter().copied().filter(|n| !known.contains(*n)).collect()
        };
        if missing.is_empty() {
            return Ok(());
        }
        let sequences = self.table(SEQUENCES.name());
        let as_int = "('x' || encode(value, 'hex'))::bit(64)::int8";
        let mut sql = format!("BEGIN; SELECT pg_advisory_xact_lock(hashtext('trialog ids {}')); ", self.schema);
        for name in &missing {
            let sequence = self.ids_sequence(name)?;
            sql.push_str(&format!(
                "DO $ids$ BEGIN IF to_regclass('{quoted}') IS NULL THEN \
                 CREATE SEQUENCE {sequence}; \
                 PERFORM setval('{quoted}', n - 1) FROM (SELECT {as_int} AS n FROM {sequences} \
                 WHERE key = convert_to('{name}', 'UTF8')) AS r WHERE n > 1; \
                 END IF; END $ids$; ",
                quoted = sequence,
            ));
        }
        sql.push_str("COMMIT");
        let (conn, ()) = self.start_on(&self.setup, |conn| conn.batch(&sql))?;
        self.setup.give(conn);
        lock(&self.known_ids).extend(missing.iter().map(|n| n.to_string()));
        Ok(())
    }

    /// The statement that draws ids: its parameters are the counters' sequences
    /// ([`PgDb::ids_sequence`]) and counts; it returns the first id of each, in order.
    fn draw_sql(&self) -> String {
        format!(
            "SELECT \"{}\".\"{DRAW_FUNCTION}\"(seq::regclass, n) \
             FROM unnest($1::text[], $2::int8[]) WITH ORDINALITY AS u(seq, n, i) ORDER BY i",
            self.schema
        )
    }

    /// A connection for statements of its own (not a transaction's), its last read ended.
    fn take(&self) -> Result<Conn> {
        let mut conn = self.take_from(&self.main)?.0;
        conn.settle().map_err(|e| failure(&e))?;
        Ok(conn)
    }

    /// Runs `start` (the first statements of a transaction, or an autocommit statement) on a
    /// connection of `connections`. An idle connection may have been ended by the server since
    /// its last use — a failover, a restarted primary, an administrator's
    /// `pg_terminate_backend` — and nothing of `start` ran on it: it is dropped and the next
    /// one tried, so that callers see a failover between two requests not at all. A new
    /// connection that fails is an error.
    fn start_on<T>(
        &self,
        connections: &Connections,
        mut start: impl FnMut(&mut Conn) -> Result<T, postgres::Error>,
    ) -> Result<(Conn, T)> {
        // Every idle connection may be dead; the one after them is new.
        for _ in 0..=connections.keep_idle {
            let (mut conn, reused) = self.take_from(connections)?;
            match start(&mut conn) {
                Ok(value) => return Ok((conn, value)),
                Err(e) if reused && is_ended(&e) => continue,
                Err(e) => return Err(failure(&e)),
            }
        }
        Err(Error::storage("every connection to PostgreSQL was ended by the server"))
    }

    /// A connection of `connections`, and whether it was idle (rather than new).
    fn take_from(&self, connections: &Connections) -> Result<(Conn, bool)> {
        let slot = match connections.reserve()? {
            Ok(conn) => return Ok((conn, true)),
            Err(slot) => slot,
        };
        let client = client::PgClient::connect(&self.config)?;
        // Autocommit statements (making id sequences) commit asynchronously; write transactions
        // set their own durability (see the module documentation). Prepared statements keep
        // one generic plan: every statement here is a lookup by key or a keyset range with
        // `ORDER BY key … LIMIT`, whose generic plan is the primary key's index scan, while
        // PostgreSQL's default plans anew at each execution whenever it guesses a custom plan
        // cheaper — for the thread page's first statement (a `UNION ALL` of five parts) 94 µs
        // of planning at every bind against 19 µs with the generic plan, and 39 against 9 µs
        // for the board's rows (`log_min_duration_statement`, 2026-12-06; benches/README.md).
        let mut conn =
            Conn { client, statements: HashMap::new(), trips: self.trips.clone(), rollback_due: None, _slot: slot };
        conn.batch("SET synchronous_commit = off; SET plan_cache_mode = force_generic_plan")
            .map_err(|e| failure(&e))?;
        Ok((conn, false))
    }

    fn give(&self, conn: Conn) {
        self.main.give(conn);
    }

    fn table(&self, name: &str) -> String {
        format!("\"{}\".\"{name}\"", self.schema)
    }

    fn create_sql(&self, name: &str) -> String {
        format!("CREATE TABLE IF NOT EXISTS {} (key bytea PRIMARY KEY, value bytea NOT NULL)", self.table(name))
    }
}

impl Drop for PgDb {
    fn drop(&mut self) {
        if matches!(self.lifetime, Lifetime::Kept) {
            return;
        }
        // Idle reads hold share locks on the tables that are about to go.
        self.main.settle_idle();
        let Ok(mut conn) = self.take() else { return };
        if let Lifetime::Pooled(pool) = &self.lifetime
            && pool.give_back(&mut conn, &self.schema)
        {
            return;
        }
        let _ = conn.client.batch_execute(&format!(
            "DROP SCHEMA IF EXISTS \"{0}\" CASCADE; DROP SCHEMA IF EXISTS \"{0}{1}\" CASCADE",
            self.schema,
            keys::SCHEMA_SUFFIX
        ));
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A PostgreSQL error as a storage error: its SQLSTATE and message, never its detail (which
/// can quote key values, and keys hold pseudonyms).
fn failure(error: &postgres::Error) -> Error {
    match error.as_db_error() {
        Some(db) => Error::storage(format!("PostgreSQL {}: {}", db.code().code(), db.message())),
        None if error.is_closed() => Error::storage("the connection to PostgreSQL was lost"),
        None => Error::storage(format!("PostgreSQL: {error}")),
    }
}

/// The server ended the connection (or it broke): the session is gone with whatever it held.
fn is_ended(error: &postgres::Error) -> bool {
    let ended = [SqlState::ADMIN_SHUTDOWN, SqlState::CRASH_SHUTDOWN, SqlState::CANNOT_CONNECT_NOW];
    error.is_closed() || matches!(error.code(), Some(c) if ended.contains(c) || c.code().starts_with("08"))
}

fn is_conflict(error: &postgres::Error) -> bool {
    matches!(error.code(), Some(c) if *c == SqlState::T_R_SERIALIZATION_FAILURE || *c == SqlState::T_R_DEADLOCK_DETECTED)
}

/// One transaction on one connection: a snapshot for reading, or a serializable write.
pub(crate) struct PgTxn {
    db: Arc<PgDb>,
    conn: Mutex<Option<Conn>>,
    writable: bool,
    /// Tables with a handle open in this write (each may be open once, as in redb).
    open: Mutex<HashSet<&'static str>>,
    /// Tables this transaction created or dropped (known to the store once it commits).
    created: Mutex<HashSet<&'static str>>,
    dropped: Mutex<HashSet<&'static str>>,
    /// A statement failed as a serialization conflict: the write is to run again.
    conflicted: AtomicBool,
    /// Releases the session lock of a write that runs alone (`None` otherwise: a shared
    /// writers lock ends with its transaction).
    unlock: Option<String>,
    /// The people's keys this transaction read or wrote (`None`: it has none), so that
    /// opening many of one person's fields asks once ([`keys`]).
    keys: keys::Seen,
    /// Rows read, and writes not sent yet ([`staged`]).
    known: Mutex<staged::Known>,
    /// The change feed's entry (its value encoded), written with the `COMMIT`.
    feed_entry: Mutex<Option<Vec<u8>>>,
    /// Ids drawn ahead for this transaction ([`PgTxn::reserve_ids`]): per sequence, the next
    /// and how many are left.
    reserved: Mutex<HashMap<&'static str, (u64, u64)>>,
}

impl PgTxn {
    /// A snapshot taken now: PostgreSQL takes it at a transaction's first statement, not at
    /// `BEGIN`, so a statement follows at once.
    pub fn begin_read(db: &Arc<PgDb>) -> Result<PgTxn> {
        Self::begin(db, &[], &format!("{BEGIN_READ}; SELECT 1"), None)
    }

    /// A snapshot taken now by reading the rows of `ahead` (and the keys it names, when
    /// `keys`: the store has its key store here): the `BEGIN` and their statements go in one
    /// round trip ([`Conn::pipelined`]).
    pub fn begin_read_with(db: &Arc<PgDb>, ahead: &Ahead, keys: bool) -> Result<PgTxn> {
        let txn = PgTxn::new(db, None, None);
        let Some(read) = txn.ahead_read(ahead, keys)? else { return Self::begin_read(db) };
        let (conn, answers) = db.start_on(&db.main, |conn| conn.pipelined(Some(BEGIN_READ), &read.statements()))?;
        *lock(&txn.conn) = Some(conn);
        txn.note_read(&read, answers)?;
        Ok(txn)
    }

    /// A serializable write holding the writers lock: shared for the transaction, or, `alone`,
    /// exclusive for the session, taken before `BEGIN` so that the snapshot is taken after
    /// every other writer has finished (one batch cannot do both: its statements before a
    /// `BEGIN` become part of the transaction). Shared, the rows and keys of `start.ahead` are
    /// read in the `BEGIN`'s round trip ([`Conn::pipelined`]), as a read's are.
    fn begin_write(db: &Arc<PgDb>, start: &WriteStart<'_>, alone: bool) -> Result<PgTxn> {
        let lock = db.writers_lock();
        let synchronous = match start.durability {
            Durability::Immediate => "; SET LOCAL synchronous_commit = on",
            Durability::Eventual => "",
        };
        if alone {
            let sql = format!("BEGIN ISOLATION LEVEL SERIALIZABLE{synchronous}");
            let locking = format!("SELECT pg_advisory_lock({lock})");
            return Self::begin(db, &[&locking], &sql, Some(format!("SELECT pg_advisory_unlock({lock})")));
        }
        let sql =
            format!("BEGIN ISOLATION LEVEL SERIALIZABLE; SELECT pg_advisory_xact_lock_shared({lock}){synchronous}");
        let txn = PgTxn::new(db, None, None).writable();
        let keys = matches!(start.keys, Some(super::KeyStore::Postgres));
        let Some(read) = txn.ahead_read(start.ahead, keys)? else {
            return Self::begin(db, &[], &sql, None).map(PgTxn::writable);
        };
        let (conn, answers) = db.start_on(&db.main, |conn| conn.pipelined(Some(&sql), &read.statements()))?;
        *self::lock(&txn.conn) = Some(conn);
        txn.note_read(&read, answers)?;
        Ok(txn)
    }

    fn writable(mut self) -> Self {
        self.writable = true;
        self
    }

    /// Runs `before` (each its own batch), then starts a transaction with `sql`; a connection
    /// whose start failed is dropped, which releases any session lock `before` took.
    fn begin(db: &Arc<PgDb>, before: &[&str], sql: &str, unlock: Option<String>) -> Result<PgTxn> {
        let (conn, ()) = db.start_on(&db.main, |conn| {
            for statement in before {
                conn.batch(statement)?;
            }
            conn.batch(sql)
        })?;
        Ok(PgTxn::new(db, Some(conn), unlock))
    }

    fn new(db: &Arc<PgDb>, conn: Option<Conn>, unlock: Option<String>) -> PgTxn {
        PgTxn {
            db: db.clone(),
            conn: Mutex::new(conn),
            writable: unlock.is_some(),
            open: Mutex::default(),
            created: Mutex::default(),
            dropped: Mutex::default(),
            conflicted: AtomicBool::new(false),
            unlock,
            keys: keys::Seen::default(),
            known: Mutex::default(),
            feed_entry: Mutex::default(),
            reserved: Mutex::default(),
        }
    }

    fn query(&self, sql: &str, params: &[&(dyn ToSql + Sync)]) -> Result<Vec<postgres::Row>> {
        self.on_conn(|conn| conn.query(sql, params))
    }

    /// Runs a statement that is not worth preparing and keeping (creating or dropping a table).
    fn execute_once(&self, sql: &str) -> Result<()> {
        self.on_conn(|conn| conn.batch(sql))
    }

    /// Runs `work` on the transaction's connection, noting a serialization conflict.
    fn on_conn<T>(&self, work: impl FnOnce(&mut Conn) -> Result<T, postgres::Error>) -> Result<T> {
        let mut conn = lock(&self.conn);
        let conn = conn.as_mut().ok_or_else(|| Error::storage("the transaction has ended"))?;
        work(conn).map_err(|e| {
            if is_conflict(&e) {
                self.conflicted.store(true, Ordering::Relaxed);
            }
            failure(&e)
        })
    }

    /// Opens a table: creates it in a write when the schema has none, fails in a read.
    pub fn open(&self, name: &'static str) -> Result<()> {
        if self.writable && !lock(&self.open).insert(name) {
            return Err(Error::storage(format!("table {name} is already open in this transaction")));
        }
        let opened = self.ensure(name);
        if opened.is_err() && self.writable {
            lock(&self.open).remove(name);
        }
        opened
    }

    fn ensure(&self, name: &'static str) -> Result<()> {
        if self.exists_as_known(name) {
            return Ok(());
        }
        if self.writable {
            self.execute_once(&self.db.create_sql(name))?;
            lock(&self.dropped).remove(name);
            lock(&self.created).insert(name);
            return Ok(());
        }
        if self.exists_in_catalog(name)? {
            lock(&self.db.known).insert(name.to_string());
            return Ok(());
        }
        Err(Error::storage(format!("table {name} does not exist")))
    }

    fn exists_as_known(&self, name: &str) -> bool {
        if lock(&self.created).contains(name) {
            return true;
        }
        !lock(&self.dropped).contains(name) && lock(&self.db.known).contains(name)
    }

    fn exists_in_catalog(&self, name: &str) -> Result<bool> {
        let rows = self.query("SELECT to_regclass($1) IS NOT NULL", &[&self.db.table(name)])?;
        Ok(rows.first().is_some_and(|r| r.get::<_, bool>(0)))
    }

    /// A handle on `name` was dropped.
    pub fn close(&self, name: &'static str) {
        lock(&self.open).remove(name);
    }

    pub fn delete_table(&self, name: &'static str) -> Result<bool> {
        if lock(&self.open).contains(name) {
            return Err(Error::storage(format!("table {name} is open and cannot be deleted")));
        }
        if !self.exists_in_catalog(name)? {
            return Ok(false);
        }
        self.flush(None)?;
        lock(&self.known).forget(name);
        // Idle reads of this handle hold share locks on the table ([`IDLE_SNAPSHOT`]).
        self.db.main.settle_idle();
        self.execute_once(&format!("DROP TABLE {}", self.db.table(name)))?;
        lock(&self.created).remove(name);
        lock(&self.dropped).insert(name);
        Ok(true)
    }

    pub fn table_names(&self) -> Result<Vec<String>> {
        let rows = self.query("SELECT tablename::text FROM pg_tables WHERE schemaname = $1", &[&self.db.schema])?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    /// The value under `key`: known to the transaction, or read (and then known).
    pub fn get(&self, table: &'static str, key: &[u8]) -> Result<Option<Vec<u8>>> {
        if let Some(seen) = lock(&self.known).get(table, key) {
            return Ok(seen);
        }
        let sql = format!("SELECT value FROM {} WHERE key = $1", self.db.table(table));
        let seen: Option<Vec<u8>> = self.query(&sql, &[&key])?.first().map(|r| r.get(0));
        lock(&self.known).read(table, key.to_vec(), seen.clone());
        Ok(seen)
    }

    /// Reads the rows of `ahead` in one statement, and the keys it names (when `keys`: the
    /// store has its key store here) in another sent with it, in one round trip, so that the
    /// point reads, the first page of the ranges and the key lookups that follow find them
    /// known (tables not created yet are skipped).
    /// In a write, the ids `ahead` names and this transaction has not drawn yet are drawn by
    /// the same statement ([`AheadQuery::add_ids`]), for the [`PgTxn::next_ids`] calls that
    /// follow.
    pub fn read_ahead(&self, ahead: &Ahead, keys: bool) -> Result<()> {
        let Some(read) = self.ahead_read(ahead, keys)? else { return Ok(()) };
        let answers = self.on_conn(|conn| conn.pipelined(None, &read.statements()))?;
        self.note_read(&read, answers)
    }

    /// What of `ahead` is not known yet (and, in a write, the ids it names not drawn yet),
    /// `None` when all is.
    fn ahead_read(&self, ahead: &Ahead, keys: bool) -> Result<Option<AheadRead>> {
        let mut rows = self.ahead_query(ahead);
        let mut people = if keys { self.unseen_people(&ahead.people)? } else { Vec::new() };
        let ids = if self.writable { self.undrawn(&ahead.ids) } else { Vec::new() };
        if rows.is_none() && people.is_empty() && ids.is_empty() {
            return Ok(None);
        }
        let mut draw = if ids.is_empty() { None } else { Some(self.draw_params(&ids)?) };
        // The keys and the draw go in the rows' statement when there is one: a statement less
        // to bind, run and answer. The keys' part is there even when no key is asked for, and
        // a write's draw part even when it draws nothing (empty arrays cost nothing), so that
        // a read ahead's statements have as many texts as before, each prepared once per
        // connection.
        if let Some(rows) = rows.as_mut() {
            if keys {
                rows.add_people(std::mem::take(&mut people), &self.db.keys_table());
            }
            if self.writable {
                rows.add_ids(draw.take().unwrap_or_default(), &self.db.schema);
            }
        }
        Ok(Some(AheadRead { rows, people, keys_sql: self.db.keys_of_sql(), ids, draw, draw_sql: self.db.draw_sql() }))
    }

    /// Notes what `read` read ([`PgTxn::ahead_read`]): `answers` holds its statements' rows.
    fn note_read(&self, read: &AheadRead, answers: Vec<Vec<postgres::Row>>) -> Result<()> {
        let mut answers = answers.into_iter();
        let mut next = || answers.next().ok_or_else(|| Error::storage("a read ahead lost a statement's answer"));
        let mut firsts = None;
        if let Some(rows) = &read.rows {
            firsts = self.note_ahead(rows, &next()?);
        }
        if !read.people.is_empty() {
            self.note_keys(&read.people, &next()?);
        }
        if read.draw.is_some() {
            firsts = Some(next()?.iter().map(|r| r.get::<_, i64>(0)).collect());
        }
        if !read.ids.is_empty() {
            let firsts = drawn_firsts(&read.ids, firsts.unwrap_or_default().into_iter())?;
            self.note_drawn(&read.ids, &firsts);
        }
        Ok(())
    }

    /// The statement reading what of `ahead` is not known yet, `None` when all is: a `UNION
    /// ALL` of one `key = ANY($n)` per table and one first page per range, each row tagged
    /// with its part's number.
    fn ahead_query(&self, ahead: &Ahead) -> Option<AheadQuery> {
        let mut tables: Vec<(&'static str, Vec<Vec<u8>>)> = Vec::new();
        let mut ranges = Vec::new();
        {
            let known = lock(&self.known);
            for (table, key) in ahead.rows.iter().filter(|(t, k)| !known.knows(t, k)) {
                match tables.iter_mut().find(|(t, _)| t == table) {
                    Some((_, keys)) => keys.push(key.clone()),
                    None => tables.push((table, vec![key.clone()])),
                }
            }
            let forwards = ahead.ranges.iter().map(|r| (r, false));
            for ((table, lower, upper), backwards) in forwards.chain(ahead.last_ranges.iter().map(|r| (r, true))) {
                let (lower, upper) = normalised(lower.clone(), upper.clone());
                let range = PageRange { lower, upper, backwards };
                // A page read now would miss the writes staged in its table (in a write).
                if !known.has_first_page(table, &range) && !known.has_staged_in(table) {
                    ranges.push((*table, range));
                }
            }
        }
        tables.retain(|(t, _)| self.exists_as_known(t));
        ranges.retain(|(t, _)| self.exists_as_known(t));
        if tables.is_empty() && ranges.is_empty() {
            return None;
        }
        let mut parts = Vec::new();
        let mut param = 0;
        for (i, (t, _)) in tables.iter().enumerate() {
            param += 1;
            parts.push(format!("SELECT {i}::int4, key, value FROM {} WHERE key = ANY(${param})", self.db.table(t)));
        }
        for (i, (t, range)) in ranges.iter().enumerate() {
            let part = tables.len() + i;
            let t = self.db.table(t);
            param += 1;
            let lower = param;
            let below = match range.upper {
                Some(_) => {
                    param += 1;
                    format!(" AND key < ${param}")
                }
                None => String::new(),
            };
            let order = if range.backwards { "DESC" } else { "ASC" };
            parts.push(format!(
                "(SELECT {part}::int4, key, value FROM {t} WHERE key >= ${lower}{below} ORDER BY key {order} \
                 LIMIT {FIRST_PAGE})"
            ));
        }
        Some(AheadQuery { sql: parts.join(" UNION ALL "), tables, ranges, people: None, ids: None })
    }

    /// Notes what `query` read: each key asked for as found or absent, each range's page, the
    /// people's keys; the first id of each sequence it drew, in order, when it drew.
    fn note_ahead(&self, query: &AheadQuery, rows: &[postgres::Row]) -> Option<Vec<i64>> {
        // The rows found by key, per table part (a map each, so a key is looked up borrowed).
        let mut found: Vec<HashMap<Vec<u8>, Vec<u8>>> = vec![HashMap::new(); query.tables.len()];
        let mut pages: Vec<Vec<Pair>> = vec![Vec::new(); query.ranges.len()];
        let mut keys: Vec<(i64, Vec<u8>)> = Vec::new();
        let (keys_part, ids_part) = (query.keys_part(), query.keys_part() + 1);
        let mut drawn = query.ids.as_ref().map(|(sequences, _)| vec![0; sequences.len()]);
        let number = |bytes: &[u8]| bytes.try_into().map_or(-1, i64::from_be_bytes);
        for row in rows {
            let part = row.get::<_, i32>(0).unsigned_abs() as usize;
            if part == keys_part {
                keys.push((number(row.get(1)), row.get(2)));
            } else if part == ids_part {
                // The draw's ordinality, from 1, and the first id drawn.
                let at = usize::try_from(number(row.get(1)) - 1).ok();
                if let Some(first) = at.and_then(|at| drawn.as_mut()?.get_mut(at)) {
                    *first = number(row.get(2));
                }
            } else if let Some(page) = pages.get_mut(part.wrapping_sub(query.tables.len())) {
                page.push((row.get(1), row.get(2)));
            } else if let Some(found) = found.get_mut(part) {
                found.insert(row.get(1), row.get(2));
            }
        }
        if let Some(people) = &query.people {
            self.note_found_keys(people, keys);
        }
        let mut known = lock(&self.known);
        for ((table, keys), mut found) in query.tables.iter().zip(found) {
            for key in keys {
                let seen = found.remove(key.as_slice());
                known.read(table, key.clone(), seen);
            }
        }
        for ((table, range), mut page) in query.ranges.iter().cloned().zip(pages) {
            // A part's order is the order of its `ORDER BY` in practice, not by the standard.
            page.sort_unstable_by(|a, b| if range.backwards { b.0.cmp(&a.0) } else { a.0.cmp(&b.0) });
            let whole = i64::try_from(page.len()).unwrap_or(i64::MAX) < FIRST_PAGE;
            known.first_page(table, range, page, whole);
        }
        drawn
    }

    /// Stores `value` under `key` (staged, [`staged`]); returns the value it replaced.
    pub fn insert(&self, table: &'static str, key: &[u8], value: &[u8]) -> Result<Option<Vec<u8>>> {
        let old = self.get(table, key)?;
        self.put(table, key.to_vec(), Some(value.to_vec()))?;
        Ok(old)
    }

    /// Removes the row under `key` (staged); returns its value.
    pub fn remove(&self, table: &'static str, key: &[u8]) -> Result<Option<Vec<u8>>> {
        let old = self.get(table, key)?;
        if old.is_some() {
            self.put(table, key.to_vec(), None)?;
        }
        Ok(old)
    }

    /// Stages the write of `key` (`None`: its removal) without reading what it replaces.
    pub fn put(&self, table: &'static str, key: Vec<u8>, value: Option<Vec<u8>>) -> Result<()> {
        let full = lock(&self.known).stage(table, key, value);
        if full { self.flush(None) } else { Ok(()) }
    }

    /// Stores many rows in one statement (a copy between engines), replacing any there were.
    pub fn insert_many(&self, table: &'static str, rows: &[Pair]) -> Result<()> {
        self.flush(None)?;
        lock(&self.known).forget(table);
        self.send_upserts(table, rows)?;
        // The feed's numbers and the ids go on after what was copied in
        // ([`PgDb::feed_numbers_sql`], [`PgDb::ids_level_sql`]; the writers lock first, as a
        // write takes it before the feed's).
        if table == CHANGES.name() || table == SEQUENCES.name() {
            lock(&self.known).forget(SEQUENCES.name());
            let ids = if table == SEQUENCES.name() { self.db.ids_level_sql() } else { String::new() };
            self.execute_once(&format!("{ids}{}", self.db.feed_numbers_sql(self.exists_as_known(CHANGES.name()))))?;
        }
        Ok(())
    }

    fn send_upserts(&self, table: &str, rows: &[Pair]) -> Result<()> {
        let sql = format!(
            "INSERT INTO {} (key, value) SELECT * FROM unnest($1::bytea[], $2::bytea[]) \
             ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            self.db.table(table)
        );
        for chunk in rows.chunks(INSERT_BATCH) {
            let (keys, values): (Vec<&[u8]>, Vec<&[u8]>) = chunk.iter().map(|(k, v)| (&k[..], &v[..])).unzip();
            self.query(&sql, &[&keys, &values])?;
        }
        Ok(())
    }

    fn send_deletes(&self, table: &str, keys: &[Vec<u8>]) -> Result<()> {
        let sql = format!("DELETE FROM {} WHERE key = ANY($1)", self.db.table(table));
        for chunk in keys.chunks(DELETE_BATCH) {
            self.query(&sql, &[&chunk])?;
        }
        Ok(())
    }

    /// Stages the removal of `keys` (read by a `retain` just before).
    pub fn remove_all(&self, table: &'static str, keys: Vec<Vec<u8>>) -> Result<()> {
        for key in keys {
            self.put(table, key, None)?;
        }
        Ok(())
    }

    /// Sends the staged writes when some are to `table`, which is about to be read by range
    /// or counted (the server's answer must include them); writes to other tables wait.
    fn flush_for(&self, table: &str) -> Result<()> {
        let staged = lock(&self.known).has_staged_in(table);
        if staged { self.flush(None) } else { Ok(()) }
    }

    /// Sends the staged writes, followed in the same round trip by `then` (a statement without
    /// parameters) when given; large ones go as arrays first ([`staged`]).
    fn flush(&self, then: Option<&str>) -> Result<()> {
        let sql = self.flush_sql()?;
        match (sql.is_empty(), then) {
            (true, None) => Ok(()),
            (_, then) => self.execute_once(&format!("{sql}{}", then.unwrap_or(""))),
        }
    }

    /// The staged writes as statements to send in a batch (empty when there are none); staged
    /// rows too large for literals are sent now, as arrays.
    fn flush_sql(&self) -> Result<String> {
        let (writes, small) = {
            let mut known = lock(&self.known);
            if !known.has_staged() {
                return Ok(String::new());
            }
            let small = known.staged_bytes() <= staged::LITERAL_MOST;
            (known.take_staged(), small)
        };
        let mut sql = String::new();
        for table in &writes {
            if small {
                staged::literal_sql(&mut sql, &self.db.table(table.table), table);
            } else {
                self.send_upserts(table.table, &table.upserts)?;
                self.send_deletes(table.table, &table.deletes)?;
            }
        }
        Ok(sql)
    }

    /// The number of rows, staged writes included.
    pub fn len(&self, table: &'static str) -> Result<u64> {
        self.flush_for(table)?;
        let sql = format!("SELECT count(*) FROM {}", self.db.table(table));
        let n: i64 = self.query(&sql, &[])?.first().map_or(0, |r| r.get(0));
        Ok(n.unsigned_abs())
    }

    /// One page of rows with `lower <= key < upper` (no upper bound: `None`), from the low end
    /// or, `backwards`, from the high end; staged writes are sent first, so it sees them.
    fn page(&self, table: &str, lower: &[u8], upper: Option<&[u8]>, backwards: bool, limit: i64) -> Result<Vec<Pair>> {
        self.flush_for(table)?;
        let t = self.db.table(table);
        let order = if backwards { "DESC" } else { "ASC" };
        let rows = match upper {
            Some(upper) => {
                let sql =
                    format!("SELECT key, value FROM {t} WHERE key >= $1 AND key < $2 ORDER BY key {order} LIMIT $3");
                self.query(&sql, &[&lower, &upper, &limit])?
            }
            None => {
                let sql = format!("SELECT key, value FROM {t} WHERE key >= $1 ORDER BY key {order} LIMIT $2");
                self.query(&sql, &[&lower, &limit])?
            }
        };
        Ok(rows.iter().map(|r| (r.get(0), r.get(1))).collect())
    }

    /// Reserves `count` consecutive ids of `sequence` from its PostgreSQL sequence (see the
    /// module documentation); returns the first. Taken from the ids drawn ahead when enough are
    /// left.
    pub fn next_ids(&self, sequence: &str, count: u64) -> Result<u64> {
        if let Some((next, left)) = lock(&self.reserved).get_mut(sequence)
            && *left >= count
        {
            let first = *next;
            *next += count;
            *left -= count;
            return Ok(first);
        }
        let drawn = self.draw(&[(sequence, count)])?;
        Ok(drawn[0])
    }

    /// Draws the ids of `wanted` (sequence, count) in one statement, for the
    /// [`PgTxn::next_ids`] calls that follow ([`super::WriteTxn::reserve_ids`]); a sequence of
    /// which enough ids are left from an earlier draw ([`Ahead::ids`]) is not drawn again.
    pub fn reserve_ids(&self, wanted: &[(&'static str, u64)]) -> Result<()> {
        let wanted = self.undrawn(wanted);
        if wanted.is_empty() {
            return Ok(());
        }
        let firsts = self.draw(&wanted)?;
        self.note_drawn(&wanted, &firsts);
        Ok(())
    }

    /// Those of `wanted` not left from an earlier draw, one each (the counts of a sequence
    /// named twice are summed: its ids are then consecutive).
    fn undrawn(&self, wanted: &[(&'static str, u64)]) -> Vec<(&'static str, u64)> {
        let mut merged: Vec<(&'static str, u64)> = Vec::with_capacity(wanted.len());
        for &(sequence, count) in wanted.iter().filter(|(_, count)| *count > 0) {
            match merged.iter_mut().find(|(s, _)| *s == sequence) {
                Some((_, sum)) => *sum += count,
                None => merged.push((sequence, count)),
            }
        }
        let reserved = lock(&self.reserved);
        merged.retain(|(sequence, count)| reserved.get(sequence).is_none_or(|(_, left)| left < count));
        merged
    }

    /// Keeps the ids drawn for `wanted`, each sequence's from its first, for [`PgTxn::next_ids`].
    fn note_drawn(&self, wanted: &[(&'static str, u64)], firsts: &[u64]) {
        let mut reserved = lock(&self.reserved);
        for (&(sequence, count), &first) in wanted.iter().zip(firsts) {
            reserved.insert(sequence, (first, count));
        }
    }

    /// Draws each sequence of `wanted` by its count in one statement on the transaction's
    /// connection (`nextval` is not rolled back with it and never conflicts); the first id of
    /// each, in order.
    fn draw(&self, wanted: &[(&str, u64)]) -> Result<Vec<u64>> {
        let (sequences, counts) = self.draw_params(wanted)?;
        let rows = self.query(&self.db.draw_sql(), &[&sequences, &counts])?;
        drawn_firsts(wanted, rows.iter().map(|r| r.get::<_, i64>(0)))
    }

    /// The parameters of a draw of `wanted`: the counters' sequences and counts, the sequences
    /// made first where they are missing ([`PgDb::ensure_ids`]).
    fn draw_params(&self, wanted: &[(&str, u64)]) -> Result<(Vec<String>, Vec<i64>)> {
        let names: Vec<&str> = wanted.iter().map(|(name, _)| *name).collect();
        self.db.ensure_ids(&names)?;
        let sequences = names.iter().map(|name| self.db.ids_sequence(name)).collect::<Result<Vec<_>>>()?;
        let counts = wanted
            .iter()
            .map(|(_, count)| i64::try_from(*count).map_err(|_| Error::invalid("count", "too many ids at once")))
            .collect::<Result<Vec<_>>>()?;
        Ok((sequences, counts))
    }

    /// Notes the change feed's entry (its value encoded), written by the `COMMIT`'s batch under
    /// the feed's lock with the next number ("The change feed" in the module documentation).
    pub fn stage_feed_entry(&self, value: Vec<u8>) -> Result<()> {
        *lock(&self.feed_entry) = Some(value);
        Ok(())
    }

    /// The statements that write the feed's entry, when there is one: the feed's lock, then the
    /// entry under the next number of the feed's sequence; they go just before the `COMMIT`.
    fn feed_sql(&self) -> String {
        let Some(value) = lock(&self.feed_entry).take() else { return String::new() };
        let mut sql = format!(
            "SELECT pg_advisory_xact_lock({lock}); INSERT INTO {changes} (key, value) VALUES \
             (int8send(nextval('{numbers}')), ",
            lock = self.db.feed_lock(),
            changes = self.db.table(CHANGES.name()),
            numbers = self.db.feed_numbers(),
        );
        staged::hex_literal(&mut sql, &value);
        sql.push_str("); ");
        sql
    }

    /// Ends the transaction with `sql` (`COMMIT` or `ROLLBACK`) and releases the writers
    /// lock; the connection goes back to the pool only when the release worked (otherwise it
    /// is dropped, and the server releases the lock with it).
    /// A batch that failed before its `COMMIT` (a staged write refused) leaves the
    /// transaction open and aborted: it is rolled back before the connection is reused.
    fn end(&self, sql: &str) -> std::result::Result<(), postgres::Error> {
        let conn = lock(&self.conn).take();
        let Some(mut conn) = conn else { return Ok(()) };
        let ended = conn.batch(sql);
        let closed = ended.is_ok() || conn.batch("ROLLBACK").is_ok();
        let released = closed && self.unlock.as_deref().is_none_or(|unlock| conn.batch(unlock).is_ok());
        if released {
            self.db.give(conn);
        }
        ended
    }

    /// Commits, the staged writes and the feed's entry in the same round trip as the `COMMIT`.
    fn commit(self) -> Attempt<()> {
        let writes = match self.flush_sql() {
            Ok(sql) => sql,
            Err(_) if self.conflicted.load(Ordering::Relaxed) => return Attempt::Conflict,
            Err(e) => return Attempt::Done(Err(e)),
        };
        let feed = self.feed_sql();
        match self.end(&format!("{writes}{feed}COMMIT")) {
            Ok(()) => {
                let mut known = lock(&self.db.known);
                for name in lock(&self.dropped).iter() {
                    known.remove(*name);
                }
                known.extend(lock(&self.created).iter().map(|n| n.to_string()));
                Attempt::Done(Ok(()))
            }
            Err(e) if is_conflict(&e) => Attempt::Conflict,
            Err(e) => Attempt::Done(Err(failure(&e))),
        }
    }
}

impl Drop for PgTxn {
    /// A write not committed is rolled back; its connection goes back to the pool only when
    /// that worked. A read's `ROLLBACK` goes with the connection's next batch (module
    /// documentation).
    fn drop(&mut self) {
        if self.writable {
            let _ = self.end("ROLLBACK");
        } else if let Some(mut conn) = lock(&self.conn).take() {
            conn.rollback_due = Some(std::time::Instant::now());
            self.db.give(conn);
        }
    }
}

type Pair = (Vec<u8>, Vec<u8>);

/// A statement's text and its parameters.
type Sql<'a> = (&'a str, Vec<&'a (dyn ToSql + Sync)>);

/// Starts a read: a snapshot (taken by the transaction's first statement).
const BEGIN_READ: &str = "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";

/// The statement of a read ahead ([`PgTxn::ahead_query`]) and what it asks for.
struct AheadQuery {
    sql: String,
    /// Keys per table, in the order of the statement's parameters.
    tables: Vec<(&'static str, Vec<Vec<u8>>)>,
    /// Normalised bounds and direction per range, after the tables' parameters.
    ranges: Vec<(&'static str, PageRange)>,
    /// People whose keys it reads too ([`AheadQuery::add_people`]), the parameter after the
    /// ranges'.
    people: Option<Vec<i64>>,
    /// In a write: the sequences and counts of the ids it draws ([`AheadQuery::add_ids`]), the
    /// last two parameters.
    ids: Option<(Vec<String>, Vec<i64>)>,
}

/// The statements of a read ahead: the rows' statement (with the keys and the draw, when
/// there are rows to read), the key store's for the people whose keys the transaction has
/// not seen yet, and the draw of ids (when there are no rows to read).
struct AheadRead {
    rows: Option<AheadQuery>,
    people: Vec<i64>,
    keys_sql: String,
    /// The ids drawn, by the rows' statement or by the draw.
    ids: Vec<(&'static str, u64)>,
    /// The draw's parameters when it is a statement of its own ([`PgDb::draw_sql`]).
    draw: Option<(Vec<String>, Vec<i64>)>,
    draw_sql: String,
}

impl AheadRead {
    fn statements(&self) -> Vec<Sql<'_>> {
        let mut statements: Vec<Sql<'_>> = Vec::with_capacity(3);
        if let Some(rows) = &self.rows {
            statements.push((&rows.sql, rows.params()));
        }
        if !self.people.is_empty() {
            statements.push((&self.keys_sql, vec![&self.people]));
        }
        if let Some((sequences, counts)) = &self.draw {
            statements.push((&self.draw_sql, vec![sequences, counts]));
        }
        statements
    }
}

impl AheadQuery {
    fn params(&self) -> Vec<&(dyn ToSql + Sync)> {
        let mut params: Vec<&(dyn ToSql + Sync)> = Vec::new();
        params.extend(self.tables.iter().map(|(_, keys)| keys as &(dyn ToSql + Sync)));
        for (_, range) in &self.ranges {
            params.push(&range.lower);
            if let Some(upper) = &range.upper {
                params.push(upper);
            }
        }
        if let Some(people) = &self.people {
            params.push(people);
        }
        if let Some((sequences, counts)) = &self.ids {
            params.push(sequences);
            params.push(counts);
        }
        params
    }

    /// The part of the people's keys; the draw's is the one after.
    fn keys_part(&self) -> usize {
        self.tables.len() + self.ranges.len()
    }

    /// Adds the keys of `people` (of the key store's table `keys`) as the statement's last
    /// part: tagged with the part after the ranges', a person's id as the key (`int8send`, 8
    /// bytes big-endian) and the person's key as the value.
    fn add_people(&mut self, people: Vec<i64>, keys: &str) {
        let part = self.keys_part();
        let param = self.params().len() + 1;
        self.sql.push_str(&format!(
            " UNION ALL SELECT {part}::int4, int8send(person), key FROM {keys} WHERE person = ANY(${param}::int8[])"
        ));
        self.people = Some(people);
    }

    /// Adds the draw of ids (the sequences and counts of [`PgTxn::draw_params`], of the
    /// schema `schema`) as the statement's last part: tagged with the part after the keys', the
    /// draw's ordinality as the key and the first id drawn as the value (both `int8send`).
    /// `nextval` runs in the write's transaction: it takes no lock the write keeps, is never
    /// rolled back and never conflicts.
    fn add_ids(&mut self, draw: (Vec<String>, Vec<i64>), schema: &str) {
        let part = self.keys_part() + 1;
        let param = self.params().len() + 1;
        self.sql.push_str(&format!(
            " UNION ALL SELECT {part}::int4, int8send(i), int8send(\"{schema}\".\"{DRAW_FUNCTION}\"(seq::regclass, n)) \
             FROM unnest(${param}::text[], ${}::int8[]) WITH ORDINALITY AS u(seq, n, i)",
            param + 1
        ));
        self.ids = Some(draw);
    }
}

/// A range's bounds as a scan here uses them (module documentation): an inclusive lower
/// bound, an exclusive upper bound or none.
fn normalised(lower: std::ops::Bound<Vec<u8>>, upper: std::ops::Bound<Vec<u8>>) -> (Vec<u8>, Option<Vec<u8>>) {
    use std::ops::Bound;
    let successor = |mut key: Vec<u8>| {
        key.push(0);
        key
    };
    let lower = match lower {
        Bound::Included(k) => k,
        Bound::Excluded(k) => successor(k),
        Bound::Unbounded => Vec::new(),
    };
    let upper = match upper {
        Bound::Included(k) => Some(successor(k)),
        Bound::Excluded(k) => Some(k),
        Bound::Unbounded => None,
    };
    (lower, upper)
}

/// The first id drawn of each sequence of `wanted`, in order, from what the draw returned
/// (the first id of each, in the same order).
fn drawn_firsts(wanted: &[(&str, u64)], firsts: impl Iterator<Item = i64>) -> Result<Vec<u64>> {
    let firsts: Vec<u64> = firsts
        .zip(wanted)
        .map(|(first, (sequence, _))| {
            u64::try_from(first)
                .ok()
                .filter(|first| *first > 0)
                .ok_or_else(|| Error::storage(format!("sequence {sequence} is damaged")))
        })
        .collect::<Result<_>>()?;
    if firsts.len() != wanted.len() {
        return Err(Error::storage("a draw of ids lost a sequence's answer"));
    }
    Ok(firsts)
}

/// How one run of a write ended.
enum Attempt<T> {
    Done(Result<T>),
    Conflict,
}

/// How a write begins: its durability, what it reads first ([`super::Store::write_reading`]),
/// and the store's key store.
pub(super) struct WriteStart<'a> {
    pub durability: Durability,
    pub ahead: &'a Ahead,
    pub keys: Option<super::KeyStore>,
}

/// Runs `work` in serializable transactions until one commits, fails for another reason than
/// a conflict, or [`MAX_ATTEMPTS`] runs have conflicted.
pub(super) fn write<T>(
    db: &Arc<PgDb>,
    start: &WriteStart<'_>,
    feed: &'static [&'static str],
    work: impl Fn(&super::WriteTxn) -> Result<(T, super::Ending)>,
) -> Result<T> {
    for attempt in 0..MAX_ATTEMPTS {
        if attempt > 0 {
            db.retries.fetch_add(1, Ordering::Relaxed);
            std::thread::sleep(backoff(attempt));
        }
        let alone = attempt >= ALONE_AFTER;
        if attempt == ALONE_AFTER {
            db.alone_runs.fetch_add(1, Ordering::Relaxed);
        }
        let txn = super::WriteTxn(
            super::txn::WriteInner::Postgres(PgTxn::begin_write(db, start, alone)?),
            super::feed::Watch::new(feed),
            start.keys.clone(),
        );
        // The change feed's entry is written in the same transaction, as on the other backends.
        let outcome = work(&txn).and_then(|(value, ending)| {
            if matches!(ending, super::Ending::Commit) {
                super::feed::append(&txn)?;
            }
            Ok((value, ending))
        });
        let super::txn::WriteInner::Postgres(txn) = txn.0 else { unreachable!("a PostgreSQL write holds its txn") };
        if txn.conflicted.load(Ordering::Relaxed) {
            continue;
        }
        let attempt = match outcome {
            Ok((value, super::Ending::Commit)) => match txn.commit() {
                Attempt::Done(done) => Attempt::Done(done.map(|()| value)),
                Attempt::Conflict => Attempt::Conflict,
            },
            Ok((value, super::Ending::RollBack)) => Attempt::Done(Ok(value)),
            Err(e) => Attempt::Done(Err(e)),
        };
        if let Attempt::Done(result) = attempt {
            return result;
        }
    }
    Err(Error::Conflict {
        reason: format!(
            "the change kept conflicting with concurrent changes ({MAX_ATTEMPTS} attempts); nothing was written, try again"
        ),
    })
}

/// Exponential backoff with full jitter: a random wait up to 1 ms × 2^attempt, at most 100 ms.
fn backoff(attempt: u32) -> Duration {
    let ceiling = (1u64 << attempt.min(7)).min(100) * 1000;
    let mut bytes = [0u8; 8];
    let random = getrandom::fill(&mut bytes).map_or(ceiling / 2, |()| u64::from_le_bytes(bytes));
    Duration::from_micros(random % ceiling.max(1))
}

/// Rows of a range, fetched in pages from whichever end is read; the two ends may meet.
pub(crate) struct PgRange<'a> {
    txn: &'a PgTxn,
    table: &'static str,
    /// Inclusive lower bound: everything below has been read from the front (or is outside).
    lower: Vec<u8>,
    /// Exclusive upper bound, `None` for none.
    upper: Option<Vec<u8>>,
    front: VecDeque<Pair>,
    back: VecDeque<Pair>,
    front_page: i64,
    back_page: i64,
    /// The last page from that end came back shorter than asked for: it held every row left
    /// on that side, so once its buffer is empty there is no need to ask again.
    front_last: bool,
    back_last: bool,
    done: bool,
}

impl<'a> PgRange<'a> {
    /// The rows between two encoded bounds, normalised as the module documentation says.
    pub fn new(
        txn: &'a PgTxn,
        table: &'static str,
        lower: std::ops::Bound<Vec<u8>>,
        upper: std::ops::Bound<Vec<u8>>,
    ) -> Self {
        let (lower, upper) = normalised(lower, upper);
        PgRange {
            txn,
            table,
            lower,
            upper,
            front: VecDeque::new(),
            back: VecDeque::new(),
            front_page: FIRST_PAGE,
            back_page: FIRST_PAGE,
            front_last: false,
            back_last: false,
            done: false,
        }
    }

    fn fetch(&mut self, backwards: bool) -> Result<()> {
        let limit = if backwards { &mut self.back_page } else { &mut self.front_page };
        // The first page from either end may have been read ahead, or a range holding this one.
        let ahead = (*limit == FIRST_PAGE)
            .then(|| {
                let range = PageRange { lower: self.lower.clone(), upper: self.upper.clone(), backwards };
                lock(&self.txn.known).take_first_page(self.table, &range)
            })
            .flatten();
        let page = match ahead {
            Some(page) => page,
            None => self.txn.page(self.table, &self.lower, self.upper.as_deref(), backwards, *limit)?,
        };
        // Rows are never written to a table while a range over it is open (a table has one
        // handle in a transaction), so a short page is the end of the range.
        let last = i64::try_from(page.len()).unwrap_or(i64::MAX) < *limit;
        *limit = (*limit * 4).min(LAST_PAGE);
        if backwards {
            self.back_last = last;
            self.back.extend(page)
        } else {
            self.front_last = last;
            self.front.extend(page)
        }
        Ok(())
    }

    /// The next row from one end, or `None` once the ends have met.
    fn step(&mut self, backwards: bool) -> Option<Result<Pair>> {
        if self.done {
            return None;
        }
        let (buffer, last) = if backwards { (&self.back, self.back_last) } else { (&self.front, self.front_last) };
        if buffer.is_empty() && last {
            self.done = true;
            return None;
        }
        if buffer.is_empty()
            && let Err(e) = self.fetch(backwards)
        {
            self.done = true;
            return Some(Err(e));
        }
        let row = if backwards { self.back.pop_front() } else { self.front.pop_front() };
        let Some((key, value)) = row else {
            self.done = true;
            return None;
        };
        // A row buffered at one end may already have come out of the other.
        let inside = key >= self.lower && self.upper.as_ref().is_none_or(|u| key < *u);
        if !inside {
            self.done = true;
            return None;
        }
        // The bound's buffer is reused: a scan of many rows allocates none for it.
        if backwards {
            let upper = self.upper.get_or_insert_with(Vec::new);
            upper.clear();
            upper.extend_from_slice(&key);
        } else {
            self.lower.clear();
            self.lower.extend_from_slice(&key);
            self.lower.push(0);
        }
        Some(Ok((key, value)))
    }

    pub fn next_row(&mut self) -> Option<Result<Pair>> {
        self.step(false)
    }

    pub fn next_back_row(&mut self) -> Option<Result<Pair>> {
        self.step(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_comes_out_of_the_url_and_is_checked() {
        let (config, schema) = parse_url("postgres://u@localhost:5433/db?schema=platform_a&connect_timeout=5").unwrap();
        assert_eq!(schema, "platform_a");
        assert_eq!(config.get_dbname(), Some("db"));
        assert_eq!(config.get_connect_timeout(), Some(&Duration::from_secs(5)));
        assert_eq!(parse_url("postgres://u@localhost/db").unwrap().1, "public");
        // Settings operators need pass through (docs/postgres.md): a statement timeout, a
        // name in pg_stat_activity, and the primary among several hosts after a failover.
        let url = "postgres://u@db1,db2/db?schema=jena&options=-c%20statement_timeout%3D5s\
                   &application_name=trialog_jena&target_session_attrs=read-write";
        let (config, schema) = parse_url(url).unwrap();
        assert_eq!(schema, "jena");
        assert_eq!(config.get_options(), Some("-c statement_timeout=5s"));
        assert_eq!(config.get_application_name(), Some("trialog_jena"));
        assert_eq!(config.get_hosts().len(), 2);
        assert_eq!(config.get_target_session_attrs(), postgres::config::TargetSessionAttrs::ReadWrite);
        for bad in ["x\"; DROP", "", "Upper", "9lives"] {
            let err = parse_url(&format!("postgres://u@localhost/db?schema={bad}")).err();
            assert!(matches!(&err, Some(Error::InvalidInput { field, .. }) if field == "schema"), "{bad}: {err:?}");
        }
        assert!(matches!(parse_url("postgres://u@localhost/db?nonsense=1"), Err(Error::InvalidInput { .. })));
    }

    #[test]
    fn backoff_stays_within_its_ceiling() {
        for attempt in 1..MAX_ATTEMPTS {
            assert!(backoff(attempt) < Duration::from_millis(100), "{attempt}");
        }
        assert!(backoff(1) < Duration::from_millis(2));
    }
}
