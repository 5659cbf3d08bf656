//! The forums on PostgreSQL (issue 26): the forum bench's data set (200,000 posts by default,
//! `TRIALOG_BENCH_SCALE` to change) moved into a PostgreSQL schema with `store copy` (timed and
//! printed: the target is under 2 minutes at 200,000 posts), then the thread page and a
//! durable reply on it, beside the same requests on the redb file and SQLite's durable reply.
//!
//! The database: `TRIALOG_PG_URL` (a `postgres://` URL without `schema`; the bench makes and
//! drops the schemas `bench_forums_<scale>` and `bench_forums_<scale>_keys` in it), or else the
//! bench starts the durable private cluster itself (`bash scripts/postgres.sh start --durable`)
//! and stops it at the end. `cargo bench --bench postgres`; see `benches/README.md`
//! ("PostgreSQL: the thread page, a durable reply and `store copy`").

/// mimalloc, as `trialog serve` allocates (`cli/src/main.rs`), so that the client's side of a
/// page or a reply costs here what a server pays; the redb and SQLite phases run on it too.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

// Parts of the shared data modules serve other benches only.
#[allow(dead_code)]
#[path = "support/forums_data.rs"]
mod forums_data;
#[path = "support/generate.rs"]
mod generate;
#[allow(dead_code)]
#[path = "support/sqlite_forums.rs"]
mod sqlite_side;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

use criterion::{BatchSize, Criterion};
use forums_data::{ForumData, ForumScale};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use trialog::{
    AccountId, Actor, DEFAULT_BATCH_ROWS, Durability, NewReply, PageRequest, Platform, PlatformOptions, StoreLocation,
};

/// The forum scale: `TRIALOG_BENCH_SCALE`, else `small` (200,000 posts, the scale)
/// under `cargo bench` and `tiny` when run as a test.
fn scale() -> ForumScale {
    match std::env::var("TRIALOG_BENCH_SCALE") {
        Ok(label) if !label.is_empty() => ForumScale::named(&label),
        _ if std::env::args().any(|a| a == "--bench") => ForumScale::named("small"),
        _ => ForumScale::named("tiny"),
    }
}

/// The PostgreSQL the bench runs on, and whether the bench started it (and so stops it).
struct Database {
    url: String,
    started: bool,
}

impl Database {
    fn find() -> Database {
        if let Ok(url) = std::env::var("TRIALOG_PG_URL")
            && !url.is_empty()
        {
            return Database { url, started: false };
        }
        // A durable cluster of this checkout that is already running is used and left running.
        let running = script(&["env"]).status.success();
        let out = script(&["start", "--durable"]);
        let url = String::from_utf8_lossy(&out.stdout).lines().last().unwrap_or_default().trim().to_string();
        assert!(
            out.status.success() && !url.is_empty(),
            "bash scripts/postgres.sh start --durable failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Database { url, started: !running }
    }

    /// The URL of `schema` in this database.
    fn schema_url(&self, schema: &str) -> String {
        let joint = if self.url.contains('?') { '&' } else { '?' };
        format!("{}{joint}schema={schema}", self.url)
    }

    /// A plain SQL connection (for settings and for dropping the bench's schemas).
    fn sql(&self) -> postgres::Client {
        postgres::Client::connect(&self.url, postgres::NoTls).expect("the bench's PostgreSQL answers")
    }

    /// The durability settings, printed beside the figures: a durable reply means something
    /// only with `fsync` and `synchronous_commit` on.
    fn settings(&self) -> String {
        let mut sql = self.sql();
        ["fsync", "synchronous_commit", "full_page_writes"]
            .iter()
            .map(|name| {
                let value: String = sql.query_one(&format!("SHOW {name}"), &[]).map(|r| r.get(0)).unwrap_or_default();
                format!("{name}={value}")
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Writes out what the copy and the page reads left for later (`CHECKPOINT`, which needs a
    /// superuser or `pg_checkpoint`; skipped with a note otherwise), then [`settle_disk`].
    fn settle(&self) {
        if let Err(e) = self.sql().batch_execute("CHECKPOINT") {
            println!("no CHECKPOINT before the durable reply ({e}): it may wait behind the copy's writes");
        }
        settle_disk();
    }

    /// Drops the platform schema and its key store, when there.
    fn drop_schema(&self, schema: &str) {
        let dropped = format!("DROP SCHEMA IF EXISTS {schema} CASCADE; DROP SCHEMA IF EXISTS {schema}_keys CASCADE");
        self.sql().batch_execute(&dropped).expect("the bench's schemas are dropped");
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if self.started {
            let _ = script(&["stop"]);
        }
    }
}

/// Has the kernel write out every dirty page (`sync`) before a durable phase. The store copy
/// leaves about a gigabyte dirty in the page cache (the bench machine: 23 GB of memory, pages
/// written back 30 s after they were dirtied), and a commit's `fdatasync` during their
/// write-back waits behind it: a durable reply timed then likely times the load before it,
/// not its own commit (benches/README.md). Both durable phases (PostgreSQL's and SQLite's)
/// start settled.
fn settle_disk() {
    let synced = Command::new("sync").status().is_ok_and(|s| s.success());
    assert!(synced, "`sync` runs before a durable phase");
}

/// Runs `bash scripts/postgres.sh ARGS` in the checkout.
fn script(args: &[&str]) -> std::process::Output {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    Command::new("bash")
        .arg(root.join("scripts/postgres.sh"))
        .args(args)
        .output()
        .expect("bash runs scripts/postgres.sh")
}

/// Copies the data set into a fresh schema as `trialog store copy FILE URL` does (the same
/// library call, verification included) and prints how long it took.
fn copy_into(db: &Database, data: &ForumData, schema: &str) {
    db.drop_schema(schema);
    let (from, to) = (StoreLocation::parse(&data.path.to_string_lossy()), StoreLocation::parse(&db.schema_url(schema)));
    let started = Instant::now();
    let report = Platform::copy_store(&from, &to, DEFAULT_BATCH_ROWS, &mut |_| {}).expect("store copy succeeds");
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "store copy of the {} forums ({} posts): {} rows in {} keyspaces and {} keys, verified, in {seconds:.1} s \
         (target at 200,000 posts: < 120 s)",
        data.scale.label,
        data.scale.posts,
        report.rows,
        report.keyspaces.len(),
        report.keys.rows
    );
}

/// The platform in `schema`, with the bench clock and the given durability.
fn open_postgres(db: &Database, schema: &str, durability: Durability) -> Platform {
    let options = PlatformOptions { durability, clock: Arc::new(forums_data::clock()), ..PlatformOptions::default() };
    Platform::open_postgres(&db.schema_url(schema), options).expect("the bench schema opens")
}

/// The thread page of 20 posts of random long threads, as a member reads it.
fn thread_page(c: &mut Criterion, name: &str, p: &Platform, data: &ForumData) {
    let mut rng = Pcg64Mcg::seed_from_u64(3);
    let member = Actor::account(data.members[1]);
    let first20 = PageRequest::first(20);
    c.bench_function(name, |b| {
        b.iter_batched(
            || data.long_threads[rng.random_range(0..data.long_threads.len())],
            |thread| black_box(p.forums().thread_page(&member, thread, &first20).unwrap()),
            BatchSize::SmallInput,
        )
    });
}

/// A reply of a random member to a random long thread.
fn random_reply(rng: &mut Pcg64Mcg, data: &ForumData, i: usize) -> (AccountId, NewReply) {
    let thread = data.long_threads[rng.random_range(0..data.long_threads.len())];
    let author = data.members[rng.random_range(0..data.members.len())];
    let body = format!("Danke für deinen Beitrag, Antwort {i}: wie lief das Praktikum in der Klinik weiter?");
    (author, NewReply { thread, body, reply_to: None, anonymous: false })
}

/// One reply in its own transaction, committed durably before `reply` returns (`name`
/// `postgres/reply_durable`, on a platform opened with `Durability::Immediate`), or without
/// waiting for the WAL's flush (`postgres/reply_eventual`, `Durability::Eventual`): the
/// difference is what the flush costs a reply.
fn reply(c: &mut Criterion, name: &str, p: &Platform, data: &ForumData, seed: u64) {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let mut i = 0;
    c.bench_function(name, |b| {
        b.iter_batched(
            || {
                i += 1;
                random_reply(&mut rng, data, i)
            },
            |(author, new)| black_box(p.forums().reply(&Actor::account(author), &new).unwrap()),
            BatchSize::SmallInput,
        )
    });
}

/// SQLite's durable reply (WAL, `synchronous = FULL`) on the same data, as in `versus_sqlite`.
fn sqlite_durable_reply(c: &mut Criterion, redb: &Platform, data: &ForumData, work: &Path) -> PathBuf {
    let path = work.join(format!("postgres-bench-{}.sqlite", data.scale.label));
    let db = sqlite_side::build(redb, &path);
    db.set_durable(true);
    db.checkpoint();
    settle_disk();
    let mut rng = Pcg64Mcg::seed_from_u64(16);
    let mut i = 0;
    c.bench_function("sqlite/reply_durable", |b| {
        b.iter_batched(
            || {
                i += 1;
                random_reply(&mut rng, data, i)
            },
            |(author, new)| db.reply(new.thread.0, author.0, &new.body),
            BatchSize::SmallInput,
        )
    });
    path
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    let data = forums_data::forum_data(scale());
    let db = Database::find();
    println!("PostgreSQL for the bench: {}", db.settings());
    let schema = format!("bench_forums_{}", data.scale.label);
    copy_into(&db, &data, &schema);

    let on_postgres = open_postgres(&db, &schema, Durability::Eventual);
    println!("the thread page reads the first page of {} long threads at random", data.long_threads.len());
    thread_page(&mut c, "postgres/thread_page_first20_member", &on_postgres, &data);
    reply(&mut c, "postgres/reply_eventual", &on_postgres, &data, 61);
    drop(on_postgres);
    let redb = forums_data::open(&data.path);
    thread_page(&mut c, "redb/thread_page_first20_member", &redb, &data);

    let durable = open_postgres(&db, &schema, Durability::Immediate);
    db.settle();
    reply(&mut c, "postgres/reply_durable", &durable, &data, 16);
    drop(durable);
    let work = generate::data_dir().join("work");
    std::fs::create_dir_all(&work).unwrap();
    let sqlite = sqlite_durable_reply(&mut c, &redb, &data, &work);
    drop(redb);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", sqlite.display()));
    }
    db.drop_schema(&schema);
    c.final_summary();
}
