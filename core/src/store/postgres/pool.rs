//! Ready schemas for test platforms (`TRIALOG_MEMORY_BACKEND=postgres`).
//!
//! Creating a platform's schema runs one `CREATE TABLE` per keyspace (about 150 of them, each
//! a table, its TOAST table and its primary-key index in the catalogue): 0.33 s on a quiet
//! machine, over a second on the busy test machine, which kept the whole core suite off
//! PostgreSQL. Emptying those tables again costs a twentieth of that (measured with psql on
//! 154 tables: `CREATE TABLE`s 1.2 s; `DELETE FROM` each and a rename 0.06 s; `TRUNCATE` of all
//! 2.0 s, because it gives every table new files). So a test platform's schema is not dropped
//! when its last handle goes but emptied and renamed into the pool of its kind; the next test
//! platform of the same kind renames it to its own name and migrates it as a new store (an
//! empty `meta` table with no accounts is a new store, see `migrate::version_of`).
//!
//! - A kind is the set of tables its platforms register (the pool's name carries a hash of
//!   their names), so a store of other domains never gets a schema with foreign tables.
//! - A schema goes back only with exactly the tables it had when it was ready; one whose test
//!   created or dropped tables is dropped as before.
//! - Claiming is a rename: of two processes renaming one pooled schema, the second finds it
//!   gone and tries another, so processes and threads share the pool.
//! - A platform's key store, the schema `<schema>_keys` (`keys.rs`), is emptied and renamed
//!   with it: a pooled schema comes with an empty key store.
//! - Schemas stay in the database after the tests (`pool_*`); the test cluster of
//!   `scripts/postgres.sh` is removed with them.

use std::sync::Mutex;

use super::keys::{SCHEMA_SUFFIX, TABLE as KEYS_TABLE};
use super::{Conn, lock};

/// Tries to claim a ready schema this often before a new one is made.
const CLAIM_TRIES: usize = 4;

/// The pool of one kind of test platform.
pub(super) struct Pool {
    /// `pool_<hash of the table names>_`: every ready schema of the kind starts with it.
    prefix: String,
    /// The tables of this platform's schema once it was up to date.
    ready: Mutex<Option<Vec<String>>>,
}

impl Pool {
    /// The pool of platforms that register `tables`.
    pub(super) fn new<'t>(tables: impl Iterator<Item = &'t str>) -> Pool {
        let mut names: Vec<&str> = tables.collect();
        names.sort_unstable();
        // Stable across processes and builds, unlike std's hasher.
        let hash = names
            .iter()
            .fold(crate::fnv::START, |hash, n| crate::fnv::more(crate::fnv::more(hash, n.as_bytes()), &[0]));
        Pool { prefix: format!("pool_{hash:016x}_"), ready: Mutex::default() }
    }

    /// Renames a ready schema of this pool to `schema`; nothing happens when there is none
    /// (or the database refuses), and the schema is then made new.
    pub(super) fn claim(&self, conn: &mut Conn, schema: &str) {
        let find = "SELECT nspname::text FROM pg_namespace WHERE starts_with(nspname::text, $1) \
                    AND right(nspname::text, length($2)) <> $2 ORDER BY random() LIMIT 1";
        for _ in 0..CLAIM_TRIES {
            let Ok(rows) = conn.query(find, &[&self.prefix, &SCHEMA_SUFFIX]) else { return };
            let Some(name) = rows.first().map(|r| r.get::<_, String>(0)) else { return };
            if conn.client.batch_execute(&format!("ALTER SCHEMA \"{name}\" RENAME TO \"{schema}\"")).is_ok() {
                // Its emptied key store comes along; the opening makes one when it did not.
                let keys = format!("ALTER SCHEMA \"{name}{SCHEMA_SUFFIX}\" RENAME TO \"{schema}{SCHEMA_SUFFIX}\"");
                let _ = conn.client.batch_execute(&keys);
                return;
            }
        }
    }

    /// Notes the tables of `schema`, just brought up to date.
    pub(super) fn note_ready(&self, conn: &mut Conn, schema: &str) -> Result<(), postgres::Error> {
        *lock(&self.ready) = Some(tables_of(conn, schema)?);
        Ok(())
    }

    /// Empties `schema` and its key store (`<schema>_keys`) and renames both into the pool, in
    /// one transaction; `false` (nothing changed) when it was never ready, its tables changed
    /// since, or the database refused.
    pub(super) fn give_back(&self, conn: &mut Conn, schema: &str) -> bool {
        let Some(ready) = lock(&self.ready).clone() else { return false };
        if tables_of(conn, schema).ok().as_ref() != Some(&ready) {
            return false;
        }
        let mut sql = String::from("BEGIN;");
        for table in &ready {
            sql.push_str(&format!(" DELETE FROM \"{schema}\".\"{table}\";"));
        }
        // The feed's numbers and the ids start again at 1, as in a new schema.
        sql.push_str(&format!(
            " ALTER SEQUENCE IF EXISTS \"{schema}\".\"{}\" RESTART; \
             DO $restart$ DECLARE s text; BEGIN \
             FOR s IN SELECT sequencename FROM pg_sequences WHERE schemaname = '{schema}' \
             AND starts_with(sequencename::text, '{}') LOOP \
             EXECUTE format('ALTER SEQUENCE %I.%I RESTART', '{schema}', s); END LOOP; END $restart$;",
            super::FEED_NUMBERS,
            super::IDS_PREFIX
        ));
        let suffix = schema.strip_prefix("scratch_").unwrap_or(schema);
        let pooled = format!("{}{suffix}", self.prefix);
        sql.push_str(&format!(
            " DELETE FROM \"{schema}{SCHEMA_SUFFIX}\".\"{KEYS_TABLE}\"; \
             ALTER SCHEMA \"{schema}\" RENAME TO \"{pooled}\"; \
             ALTER SCHEMA \"{schema}{SCHEMA_SUFFIX}\" RENAME TO \"{pooled}{SCHEMA_SUFFIX}\"; COMMIT"
        ));
        if conn.client.batch_execute(&sql).is_ok() {
            return true;
        }
        let _ = conn.client.batch_execute("ROLLBACK");
        false
    }
}

/// The tables of `schema`, sorted.
fn tables_of(conn: &mut Conn, schema: &str) -> Result<Vec<String>, postgres::Error> {
    let rows =
        conn.query("SELECT tablename::text FROM pg_tables WHERE schemaname = $1 ORDER BY tablename", &[&schema])?;
    Ok(rows.iter().map(|r| r.get(0)).collect())
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::super::PgDb;
    use crate::store::{Durability, Engine, Opening, POSTGRES_URL_VARIABLE, Store, scratch_schema_url};

    /// A platform's store on a pooled schema; the pool is this test's own (its key names a
    /// table no platform has), so tests running beside it cannot take its schemas.
    fn open(pool_name: &str) -> (Store, f64) {
        let at = Opening {
            now: chrono::Utc::now(),
            domains: crate::DOMAINS,
            feed: crate::sync::FEED_TABLES,
            quick_repair: false,
        };
        let tables = at.domains.iter().flat_map(|d| d.tables.iter().map(|t| t.name())).chain([pool_name]);
        let started = Instant::now();
        let db = PgDb::connect_pooled(&scratch_schema_url().unwrap(), tables).unwrap();
        let store = Store::from_engine(Engine::Postgres(db), Durability::Immediate, None, at).unwrap();
        (store, started.elapsed().as_secs_f64())
    }

    /// Pooled platform schemas, and pooled key stores.
    fn pooled(conn: &mut super::Conn, prefix: &str) -> (usize, usize) {
        let sql = "SELECT count(*) FILTER (WHERE right(nspname::text, 5) <> '_keys'), \
                   count(*) FILTER (WHERE right(nspname::text, 5) = '_keys') \
                   FROM pg_namespace WHERE starts_with(nspname::text, $1)";
        let row = &conn.query(sql, &[&prefix]).unwrap()[0];
        (row.get::<_, i64>(0) as usize, row.get::<_, i64>(1) as usize)
    }

    /// The keys in the key store of `db`'s schema.
    fn keys_in(conn: &mut super::Conn, db: &PgDb) -> i64 {
        conn.query(&format!("SELECT count(*) FROM {}", db.keys_table()), &[]).unwrap()[0].get(0)
    }

    #[test]
    fn a_test_platforms_schema_is_emptied_into_the_pool_and_reused_as_new() {
        if std::env::var_os(POSTGRES_URL_VARIABLE).is_none() {
            eprintln!("skipped: {POSTGRES_URL_VARIABLE} is not set (bash scripts/postgres.sh start)");
            return;
        }
        let pool_name = format!("pool_test_{}", std::process::id());
        let (first, fresh) = open(&pool_name);
        let Engine::Postgres(db) = &first.engine else { unreachable!() };
        let (mut conn, prefix) = (
            db.take().unwrap(),
            match &db.lifetime {
                super::super::Lifetime::Pooled(pool) => pool.prefix.clone(),
                _ => unreachable!("a pooled store"),
            },
        );
        let tables = super::tables_of(&mut conn, &db.schema).unwrap();
        assert!(tables.len() > 100, "a platform's tables: {}", tables.len());
        assert_eq!(first.write(|txn| txn.next_ids("posts", 7)).unwrap(), 1);
        first
            .write(|txn| crate::store::seal(txn, crate::ids::AccountId(5), b"place", "kim@example.org").map(drop))
            .unwrap();
        assert_eq!(keys_in(&mut conn, db), 1, "the seal made a key");
        drop(first);
        assert_eq!(pooled(&mut conn, &prefix), (1, 1), "the schema and its key store went into the pool");

        let (second, reused) = open(&pool_name);
        eprintln!("a platform's schema: {fresh:.3} s new, {reused:.3} s from the pool ({} tables)", tables.len());
        assert_eq!(pooled(&mut conn, &prefix), (0, 0), "the pooled schema was taken with its key store");
        let Engine::Postgres(db) = &second.engine else { unreachable!() };
        assert_eq!(keys_in(&mut conn, db), 0, "the key store was emptied");
        assert_eq!(super::tables_of(&mut conn, &db.schema).unwrap(), tables, "the same tables");
        assert_eq!(second.write(|txn| txn.next_ids("posts", 1)).unwrap(), 1, "nothing of the first is left");
        assert_eq!(super::super::super::migrate::version_of(&second).unwrap(), Some(crate::store::SCHEMA_VERSION));

        // A test that made a table of its own gets no pooled schema back: it is dropped.
        second.write(|txn| txn.open_table(crate::store::Table::<u64, u64>::new("odd")).map(drop)).unwrap();
        drop(second);
        assert_eq!(pooled(&mut conn, &prefix), (0, 0), "a schema with other tables is not pooled");
    }
}
