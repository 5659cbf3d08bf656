//! trialog beside SQLite on the same forum data: `cargo bench --bench versus_sqlite`; see
//! `benches/README.md` ("Versus SQLite").
//!
//! The forum bench platform (`support/forums_data.rs`, scale from `TRIALOG_BENCH_SCALE`) is read
//! back through the public API and written to SQLite with the schema a careful engineer would
//! choose: WAL, an index per access path, FTS5 over titles and bodies. Both sides then answer the
//! same requests; their answers are compared before anything is timed, and the timing alternates
//! batches between the two in one process so that a busy machine slows both alike.

#[allow(dead_code)] // shared with benches/forums.rs, which uses all of it
#[path = "support/forums_data.rs"]
mod forums_data;
#[path = "support/generate.rs"]
mod generate;
#[allow(dead_code)] // shared with benches/jobs.rs, which uses all of it
#[path = "support/jobs_data.rs"]
mod jobs_data;
#[path = "support/sqlite_jobs.rs"]
mod sqlite_jobs;
#[path = "support/sqlite_forums.rs"]
mod sqlite_side;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use forums_data::{ForumData, ForumScale};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use std::sync::Arc;

use trialog::{
    AccountId, Actor, BoardId, Contract, Coordinates, Durability, ForumQuery, JobQuery, LocationInput, NewReply,
    PageRequest, Platform, PlatformOptions, ThreadId,
};

/// Rounds of alternating batches, and calls per batch.
const ROUNDS: usize = 10;
const BATCH: usize = 50;
/// Replies are slower and grow the files: fewer of them.
const REPLY_BATCH: usize = 10;

fn main() {
    // `tiny` unless asked: the SQLite copy is written through the public API, post by post.
    let data = forums_data::forum_data(ForumScale::named(&std::env::var("TRIALOG_BENCH_SCALE").unwrap_or_default()));
    let work = generate::data_dir().join("work");
    std::fs::create_dir_all(&work).expect("create the work folder");
    let label = data.scale.label;
    let sqlite_path = work.join(format!("versus-{label}.sqlite"));
    let trialog_path = copy_of(&data.path, &work.join(format!("versus-{label}.redb")));

    let p = forums_data::open(&trialog_path);
    let started = Instant::now();
    let db = sqlite_side::build(&p, &sqlite_path);
    eprintln!("SQLite copy written in {:.1} s", started.elapsed().as_secs_f64());

    let mut rows = Vec::new();
    let requests = Requests::draw(&p, &db, &data);
    rows.push(time("account by pseudonym", &requests.pseudonyms, |q| lookup_trialog(&p, q), |q| db.account(q)));
    let member = Actor::account(data.members[1]);
    let first20 = PageRequest::first(20);
    rows.push(time(
        "thread page of 20",
        &requests.threads,
        |t| ids(p.forums().thread_page(&member, ThreadId(*t), &first20).unwrap().posts.iter().map(|x| x.id.0)),
        |t| db.thread_page(*t),
    ));
    rows.push(time(
        "board page of 20",
        &requests.boards,
        |b| ids(p.forums().board_page(&member, BoardId(*b), &first20).unwrap().threads.iter().map(|x| x.id.0)),
        |b| db.board_page(*b),
    ));
    rows.push(time(
        "two-word search, 20 best",
        &requests.searches,
        |q| vec![search_trialog(&p, &member, q).len() as u64],
        |q| db.search(q),
    ));
    drop(p);
    rows.extend(replies(&trialog_path, &db, &data));
    rows.push(radius(&work));
    print_table(label, &rows);
    sizes(&trialog_path, &db, &sqlite_path);
    drop(db);
    remove_copies(&work, "versus", label);
}

/// The working copies are deleted afterwards: at the larger scales they take gigabytes.
fn remove_copies(work: &Path, name: &str, label: &str) {
    for suffix in ["redb", "sqlite", "sqlite-wal", "sqlite-shm"] {
        let _ = std::fs::remove_file(work.join(format!("{name}-{label}.{suffix}")));
    }
}

/// A working copy of the cached data set, so that replies leave the cache as it was.
fn copy_of(source: &Path, copy: &Path) -> PathBuf {
    let _ = std::fs::remove_file(copy);
    generate::copy_platform(source, copy).expect("copy the forum data set");
    copy.to_path_buf()
}

fn ids(it: impl Iterator<Item = u64>) -> Vec<u64> {
    it.collect()
}

fn lookup_trialog(p: &Platform, pseudonym: &str) -> Vec<u64> {
    vec![p.accounts().find_by_pseudonym(&Actor::Operator, pseudonym).unwrap().id.0]
}

fn search_trialog(p: &Platform, member: &Actor, words: &str) -> Vec<u64> {
    let query = ForumQuery { text: words.to_string(), board: None };
    ids(p.forums().search(member, &query, &PageRequest::first(20)).unwrap().items.iter().map(|h| h.post.0))
}

/// The requests both sides answer, drawn once, each checked to give the same answer on both.
struct Requests {
    pseudonyms: Vec<String>,
    threads: Vec<u64>,
    boards: Vec<u64>,
    searches: Vec<String>,
}

impl Requests {
    fn draw(p: &Platform, db: &sqlite_side::Db, data: &ForumData) -> Requests {
        let mut rng = Pcg64Mcg::seed_from_u64(15);
        let pseudonyms: Vec<String> =
            (0..200).map(|_| format!("Leserin_{:05}", rng.random_range(0..data.scale.accounts))).collect();
        let threads: Vec<u64> =
            (0..200).map(|_| data.long_threads[rng.random_range(0..data.long_threads.len())].0).collect();
        let boards: Vec<u64> =
            (0..200).map(|_| data.open_boards[rng.random_range(0..data.open_boards.len())].0).collect();
        let member = Actor::account(data.members[1]);
        let searches = searches(p, db, &member, &mut rng);
        Requests { pseudonyms, threads, boards, searches }
    }
}

/// Pairs of medium-frequency words (each in 0.5–5 % of posts) whose matches are the same on
/// both sides. trialog stems and SQLite's FTS5 (unicode61) does not, so a pair whose stemmed
/// forms match other words is left out rather than compared unequal; how many is printed.
fn searches(p: &Platform, db: &sqlite_side::Db, member: &Actor, rng: &mut Pcg64Mcg) -> Vec<String> {
    let words = db.medium_words(0.005, 0.05);
    assert!(words.len() >= 2, "too few medium-frequency words for the search");
    let (mut kept, mut tried) = (Vec::new(), 0);
    while kept.len() < 20 && tried < 400 {
        tried += 1;
        let a = &words[rng.random_range(0..words.len())];
        let b = &words[rng.random_range(0..words.len())];
        if a == b {
            continue;
        }
        let q = format!("{a} {b}");
        if all_matches_trialog(p, member, &q) == db.all_matches(&q) {
            kept.push(q);
        }
    }
    eprintln!("search pairs with equal match sets: {} of {tried} tried", kept.len());
    assert!(!kept.is_empty(), "no word pair matches the same posts on both sides");
    kept
}

fn all_matches_trialog(p: &Platform, actor: &Actor, words: &str) -> Vec<u64> {
    let query = ForumQuery { text: words.to_string(), board: None };
    let mut page = PageRequest::first(500);
    let mut out = Vec::new();
    loop {
        let found = p.forums().search(actor, &query, &page).unwrap();
        out.extend(found.items.iter().map(|h| h.post.0));
        match found.next_cursor {
            Some(c) => page = PageRequest { cursor: Some(c), limit: Some(500) },
            None => break,
        }
    }
    out.sort_unstable();
    out
}

/// One line of the table: medians per call, trialog and SQLite.
struct Row {
    name: String,
    trialog: Duration,
    sqlite: Duration,
}

/// Checks every request gives the same answer on both sides, then times them in alternating
/// batches (which side goes first alternates too) and takes the median per call.
fn time<Q>(
    name: &str,
    requests: &[Q],
    mut ours: impl FnMut(&Q) -> Vec<u64>,
    mut theirs: impl FnMut(&Q) -> Vec<u64>,
) -> Row {
    for q in requests {
        assert_eq!(ours(q), theirs(q), "{name}: trialog and SQLite disagree");
    }
    let (mut a, mut b) = (Vec::new(), Vec::new());
    let mut at = 0;
    for round in 0..ROUNDS {
        let batch: Vec<&Q> = (0..BATCH).map(|i| &requests[(at + i) % requests.len()]).collect();
        at += BATCH;
        let mut run_ours = || batch.iter().for_each(|q| a.push(clocked(|| black_box(ours(q)))));
        if round % 2 == 0 {
            run_ours();
            batch.iter().for_each(|q| b.push(clocked(|| black_box(theirs(q)))));
        } else {
            batch.iter().for_each(|q| b.push(clocked(|| black_box(theirs(q)))));
            run_ours();
        }
    }
    Row { name: name.to_string(), trialog: median(a), sqlite: median(b) }
}

fn clocked<T>(f: impl FnOnce() -> T) -> Duration {
    let started = Instant::now();
    black_box(f());
    started.elapsed()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort_unstable();
    v[v.len() / 2]
}

/// Replies in their own transaction, non-durable then durable, alternating with SQLite. trialog
/// chooses durability when the file is opened, so the working copy is opened once per mode.
fn replies(path: &Path, db: &sqlite_side::Db, data: &ForumData) -> Vec<Row> {
    let mut rng = Pcg64Mcg::seed_from_u64(16);
    let mut rows = Vec::new();
    for (name, durable) in [("reply, non-durable", false), ("reply, durable", true)] {
        let p = if durable { open_durable(path) } else { forums_data::open(path) };
        db.set_durable(durable);
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for round in 0..ROUNDS {
            let batch: Vec<(u64, AccountId, String)> = (0..REPLY_BATCH)
                .map(|i| {
                    let thread = data.long_threads[rng.random_range(0..data.long_threads.len())].0;
                    let author = data.members[rng.random_range(0..data.members.len())];
                    (thread, author, format!("Danke für deinen Beitrag, Runde {round} Antwort {i}, Klinik und Arbeit."))
                })
                .collect();
            let mut run_ours = || {
                for (thread, author, body) in &batch {
                    let new =
                        NewReply { thread: ThreadId(*thread), body: body.clone(), reply_to: None, anonymous: false };
                    a.push(clocked(|| p.forums().reply(&Actor::account(*author), &new).unwrap()));
                }
            };
            if round % 2 == 0 {
                run_ours();
                batch.iter().for_each(|(t, au, body)| b.push(clocked(|| db.reply(*t, au.0, body))));
            } else {
                batch.iter().for_each(|(t, au, body)| b.push(clocked(|| db.reply(*t, au.0, body))));
                run_ours();
            }
        }
        p.flush().unwrap();
        rows.push(Row { name: name.to_string(), trialog: median(a), sqlite: median(b) });
    }
    rows
}

fn print_table(label: &str, rows: &[Row]) {
    println!("\nversus SQLite, scale {label} ({ROUNDS} alternating rounds; medians per call)\n");
    println!("| operation | trialog | SQLite | trialog ÷ SQLite |");
    println!("|---|---|---|---|");
    for r in rows {
        let ratio = r.trialog.as_secs_f64() / r.sqlite.as_secs_f64();
        println!("| {} | {} | {} | {ratio:.2} |", r.name, show(r.trialog), show(r.sqlite));
    }
}

fn show(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us >= 1000.0 { format!("{:.2} ms", us / 1000.0) } else { format!("{us:.1} µs") }
}

/// File sizes for the same data: trialog after compaction, SQLite after `VACUUM` (WAL folded in).
fn sizes(trialog_path: &Path, db: &sqlite_side::Db, sqlite_path: &Path) {
    let p = forums_data::open(trialog_path);
    let report = p.compact(&Actor::Operator).unwrap();
    drop(p);
    let ours = report.bytes_after.unwrap_or_else(|| std::fs::metadata(trialog_path).unwrap().len());
    db.vacuum();
    let theirs = std::fs::metadata(sqlite_path).unwrap().len();
    let mib = |b: u64| b as f64 / (1024.0 * 1024.0);
    println!(
        "| forum file for the same data | {:.1} MiB | {:.1} MiB | {:.2} |",
        mib(ours),
        mib(theirs),
        ours as f64 / theirs as f64
    );
}

/// The working copy with every commit on disk before the call returns.
fn open_durable(path: &Path) -> Platform {
    let options = PlatformOptions {
        durability: Durability::Immediate,
        clock: Arc::new(forums_data::clock()),
        cache_bytes: forums_data::CACHE_BYTES,
        ..Default::default()
    };
    Platform::open(path, options).expect("open the working copy durably")
}

/// Postings of one contract within 50 km of a postcode, the 20 nearest: trialog's job search
/// beside an R*Tree box query cut to the circle. The job board's scale follows the forums'.
fn radius(work: &Path) -> Row {
    let label = std::env::var("TRIALOG_BENCH_SCALE").unwrap_or_default();
    let data = jobs_data::job_data(jobs_data::JobScale::named(&label));
    let path = copy_of(&data.path, &work.join(format!("versus-jobs-{}.redb", data.scale.label)));
    let p = jobs_data::open(&path);
    let jobs = sqlite_jobs::build(&p, &work.join(format!("versus-jobs-{}.sqlite", data.scale.label)));
    let mut rng = Pcg64Mcg::seed_from_u64(17);
    let centers: Vec<Coordinates> = (0..200)
        .map(|_| {
            let place = &data.postcodes[rng.random_range(0..data.postcodes.len())];
            Coordinates { latitude: place.latitude, longitude: place.longitude }
        })
        .collect();
    let first20 = PageRequest::first(20);
    let row = time(
        "radius 50 km + contract, 20 nearest",
        &centers,
        |c| {
            let query = JobQuery {
                near: Some(LocationInput::Coordinates { latitude: c.latitude, longitude: c.longitude, place: None }),
                radius_km: Some(50.0),
                contracts: vec![Contract::Permanent],
                ..Default::default()
            };
            ids(p.jobs().search(&Actor::Anonymous, &query, &first20).unwrap().items.iter().map(|h| h.job.id.0))
        },
        |c| jobs.nearest(*c, 50.0, Contract::Permanent, 20),
    );
    drop((p, jobs));
    remove_copies(work, "versus-jobs", data.scale.label);
    row
}
