//! A scratch schema of the test database for the PostgreSQL tests (feature `postgres`,
//! database at `TRIALOG_POSTGRES_URL`), dropped with its key store when the test ends.

/// A new platform schema and the statements the tests look at it with.
pub struct Scratch {
    /// The database.
    pub url: String,
    /// The platform's store: the database with `?schema=NAME`.
    pub store: String,
    pub schema: String,
}

impl Scratch {
    /// A schema no other test uses; `None` (and a note) without a test database.
    pub fn new(kind: &str) -> Option<Scratch> {
        let Ok(url) = std::env::var("TRIALOG_POSTGRES_URL") else {
            eprintln!("skipped: TRIALOG_POSTGRES_URL is not set (bash scripts/postgres.sh start)");
            return None;
        };
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
        let schema = format!("{kind}_{}_{nanos}", std::process::id());
        let store = format!("{url}{}schema={schema}", if url.contains('?') { '&' } else { '?' });
        Some(Scratch { url, store, schema })
    }

    pub fn client(&self) -> postgres::Client {
        postgres::Client::connect(&self.url, postgres::NoTls).unwrap()
    }

    /// The tables of `schema` with a row whose key or value holds the bytes of `text`.
    pub fn tables_holding(&self, schema: &str, text: &str) -> Vec<String> {
        let mut client = self.client();
        let tables = client.query("SELECT tablename::text FROM pg_tables WHERE schemaname = $1", &[&schema]).unwrap();
        let mut found = Vec::new();
        for table in tables.iter().map(|r| r.get::<_, String>(0)) {
            let sql = format!(
                "SELECT count(*) FROM \"{schema}\".\"{table}\" \
                 WHERE position($1::bytea in key) > 0 OR position($1::bytea in value) > 0"
            );
            let n: i64 = client.query_one(&sql, &[&text.as_bytes()]).unwrap().get(0);
            if n > 0 {
                found.push(table);
            }
        }
        found
    }

    /// The people with a key in the platform's key store (`<schema>_keys.person_keys`).
    pub fn people_with_keys(&self) -> Vec<trialog_core::AccountId> {
        let sql = format!("SELECT person FROM \"{}_keys\".person_keys ORDER BY person", self.schema);
        self.client()
            .query(&sql, &[])
            .unwrap()
            .iter()
            .map(|r| trialog_core::AccountId(r.get::<_, i64>(0) as u64))
            .collect()
    }

    /// Copies every table of the platform's schema into the new schema `<schema>_bak` (a
    /// backup of the data without the key store, as `pg_dump --exclude-schema=NAME_keys` takes it).
    pub fn back_up_data(&self) {
        let to = &format!("{}_bak", self.schema);
        let mut client = self.client();
        let from = &self.schema;
        let tables = client.query("SELECT tablename::text FROM pg_tables WHERE schemaname = $1", &[from]).unwrap();
        let mut sql = format!("CREATE SCHEMA \"{to}\";");
        for table in tables.iter().map(|r| r.get::<_, String>(0)) {
            sql.push_str(&format!(
                " CREATE TABLE \"{to}\".\"{table}\" (LIKE \"{from}\".\"{table}\" INCLUDING ALL); \
                 INSERT INTO \"{to}\".\"{table}\" SELECT * FROM \"{from}\".\"{table}\";"
            ));
        }
        client.batch_execute(&sql).unwrap();
    }

    /// Puts the backup in place of the platform's schema (its key store stays as it is).
    pub fn restore_data(&self) {
        let schema = &self.schema;
        let from = format!("{schema}_bak");
        let sql = format!("DROP SCHEMA \"{schema}\" CASCADE; ALTER SCHEMA \"{from}\" RENAME TO \"{schema}\"");
        self.client().batch_execute(&sql).unwrap();
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Ok(mut client) = postgres::Client::connect(&self.url, postgres::NoTls) {
            let _ = client.batch_execute(&format!(
                "DROP SCHEMA IF EXISTS \"{0}\" CASCADE; DROP SCHEMA IF EXISTS \"{0}_keys\" CASCADE; \
                 DROP SCHEMA IF EXISTS \"{0}_bak\" CASCADE",
                self.schema
            ));
        }
    }
}
