//! trialog beside SQLite on the same forum data: `cargo bench --bench versus_sqlite`; see
//! `benches/README.md` ("Versus SQLite").
//!
//! The forum bench platform (`support/forums_data.rs`, scale from `TRIALOG_BENCH_SCALE`) is read
//! back through the public API and written to SQLite with the schema a careful engineer would
//! choose: WAL, an index per access path, FTS5 over titles and bodies. Both sides then answer the
//! same requests; their answers are compared before anything is timed, and the timing alternates
//! batches between the two in one process so that a busy machine slows both alike.

#[path = "support/bare_redb.rs"]
mod bare_redb;
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

use trialog::accounts::pseudonym_key;
use trialog::{
    AccountId, Actor, BoardId, Contract, Coordinates, Durability, ForumQuery, ImportMode, JobImportRow, JobQuery,
    LocationInput, NewReply, PageRequest, Platform, PlatformOptions, ThreadId,
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
    let bare_path = work.join(format!("versus-{label}.bare.redb"));
    let trialog_path = copy_of(&data.path, &work.join(format!("versus-{label}.redb")));

    let p = forums_data::open(&trialog_path);
    let started = Instant::now();
    let db = sqlite_side::build(&p, &sqlite_path);
    db.copy_watches(&p, data.reader);
    eprintln!("SQLite copy written in {:.1} s", started.elapsed().as_secs_f64());
    let bare = bare_redb::build(db.conn(), &bare_path);

    let requests = Requests::draw(&p, &db, &data);
    let mut rows = reads(&p, &db, &bare, &data, &requests);
    drop(p);
    rows.extend(replies(&trialog_path, &db, &bare, &data));
    rows.extend(opening(&trialog_path, &sqlite_path, &requests.pseudonyms));
    let (radius, publish, job_files) = job_board(&work);
    rows.push(radius);
    rows.push(publish);
    print_table(label, &rows);
    sizes(&trialog_path, &db, &sqlite_path, bare, &bare_path);
    println!("{job_files}");
    drop(db);
    remove_copies(&work, "versus", label);
    let _ = std::fs::remove_file(&bare_path);
}

/// The reads, each answered alike by every side before it is timed.
fn reads(p: &Platform, db: &sqlite_side::Db, bare: &bare_redb::Bare, data: &ForumData, r: &Requests) -> Vec<Row> {
    let member = Actor::account(data.members[1]);
    let first20 = PageRequest::first(20);
    let mut rows = Vec::new();
    rows.push(time(
        "account by pseudonym",
        &r.pseudonyms,
        |q| lookup_trialog(p, q),
        |q| db.account(q),
        Some(&mut |q: &String| bare.account(&pseudonym_key(q))),
    ));
    rows.push(time(
        "thread page of 20",
        &r.threads,
        |t| ids(p.forums().thread_page(&member, ThreadId(*t), &first20).unwrap().posts.iter().map(|x| x.id.0)),
        |t| db.thread_page(*t),
        Some(&mut |t: &u64| bare.thread_page(*t)),
    ));
    rows.push(time(
        "board page of 20",
        &r.boards,
        |b| ids(p.forums().board_page(&member, BoardId(*b), &first20).unwrap().threads.iter().map(|x| x.id.0)),
        |b| db.board_page(*b),
        Some(&mut |b: &u64| bare.board_page(*b)),
    ));
    let reader = Actor::account(data.reader);
    rows.push(time(
        "unread counts, 200 watched threads",
        &[data.reader.0],
        |_| p.forums().unread(&reader).unwrap().iter().flat_map(|w| [w.thread.0, u64::from(w.unread)]).collect(),
        |r| db.unread(*r),
        None,
    ));
    for (name, words) in [
        ("two-word search (medium words), 20 best", &r.searches),
        ("two-word search (frequent words), 20 best", &r.frequent),
    ] {
        rows.push(time(name, words, |q| vec![search_trialog(p, &member, q).len() as u64], |q| db.search(q), None));
    }
    rows
}

/// The working copies are deleted afterwards: at the larger scales they take gigabytes.
fn remove_copies(work: &Path, name: &str, label: &str) {
    for suffix in ["redb", "redb.keys", "sqlite", "sqlite-wal", "sqlite-shm"] {
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
    /// Pairs of medium-frequency words (each in 0.5–5 % of posts).
    searches: Vec<String>,
    /// Pairs of frequent words (each in 5–30 % of posts).
    frequent: Vec<String>,
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
        let medium = searches(p, db, &member, &mut rng, (0.005, 0.05));
        let frequent = searches(p, db, &member, &mut rng, (0.05, 0.30));
        Requests { pseudonyms, threads, boards, searches: medium, frequent }
    }
}

/// Pairs of words, each in a share of posts within `shares`, whose matches are the same on
/// both sides. trialog stems and SQLite's FTS5 (unicode61) does not, so a pair whose stemmed
/// forms match other words is left out rather than compared unequal; how many is printed.
fn searches(p: &Platform, db: &sqlite_side::Db, member: &Actor, rng: &mut Pcg64Mcg, shares: (f64, f64)) -> Vec<String> {
    let words = db.medium_words(shares.0, shares.1);
    assert!(words.len() >= 2, "too few words in {shares:?} of posts for the search");
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
    eprintln!("search pairs ({shares:?} of posts) with equal match sets: {} of {tried} tried", kept.len());
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

/// One line of the table: medians per call, trialog and SQLite, and the bare-redb floor where
/// it has one.
struct Row {
    name: String,
    trialog: Duration,
    sqlite: Duration,
    bare: Option<Duration>,
}

/// A side's answer to one request.
type Side<'a, Q> = &'a mut dyn FnMut(&Q) -> Vec<u64>;

/// Checks every request gives the same answer on every side, then times them in alternating
/// batches (which side goes first rotates) and takes the median per call.
fn time<Q>(
    name: &str,
    requests: &[Q],
    mut ours: impl FnMut(&Q) -> Vec<u64>,
    mut theirs: impl FnMut(&Q) -> Vec<u64>,
    mut bare: Option<Side<'_, Q>>,
) -> Row {
    for q in requests {
        assert_eq!(ours(q), theirs(q), "{name}: trialog and SQLite disagree");
        if let Some(bare) = bare.as_mut() {
            assert_eq!(ours(q), bare(q), "{name}: trialog and bare redb disagree");
        }
    }
    let mut took: [Vec<Duration>; 3] = Default::default();
    let mut at = 0;
    for round in 0..ROUNDS {
        let batch: Vec<&Q> = (0..BATCH).map(|i| &requests[(at + i) % requests.len()]).collect();
        at += BATCH;
        for side in (0..3).map(|k| (round + k) % 3) {
            let f: &mut dyn FnMut(&Q) -> Vec<u64> = match (side, bare.as_mut()) {
                (0, _) => &mut ours,
                (1, _) => &mut theirs,
                (_, Some(b)) => *b,
                (_, None) => continue,
            };
            batch.iter().for_each(|q| took[side].push(clocked(|| black_box(f(q)))));
        }
    }
    let [a, b, c] = took;
    Row { name: name.to_string(), trialog: median(a), sqlite: median(b), bare: (!c.is_empty()).then(|| median(c)) }
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

/// Replies in their own transaction, non-durable then durable, rotating with SQLite and the bare
/// floor. trialog chooses durability when the file is opened, so the working copy is opened
/// once per mode.
fn replies(path: &Path, db: &sqlite_side::Db, bare: &bare_redb::Bare, data: &ForumData) -> Vec<Row> {
    let mut rng = Pcg64Mcg::seed_from_u64(16);
    let mut rows = Vec::new();
    for (name, durable) in [("reply, non-durable", false), ("reply, durable", true)] {
        let p = if durable { open_durable(path) } else { forums_data::open(path) };
        db.set_durable(durable);
        let mut took: [Vec<Duration>; 3] = Default::default();
        for round in 0..ROUNDS {
            let batch: Vec<(u64, AccountId, String)> = (0..REPLY_BATCH)
                .map(|i| {
                    let thread = data.long_threads[rng.random_range(0..data.long_threads.len())].0;
                    let author = data.members[rng.random_range(0..data.members.len())];
                    (thread, author, format!("Danke für deinen Beitrag, Runde {round} Antwort {i}, Klinik und Arbeit."))
                })
                .collect();
            for side in (0..3).map(|k| (round + k) % 3) {
                for (thread, author, body) in &batch {
                    took[side].push(match side {
                        0 => {
                            let new = NewReply {
                                thread: ThreadId(*thread),
                                body: body.clone(),
                                reply_to: None,
                                anonymous: false,
                            };
                            clocked(|| p.forums().reply(&Actor::account(*author), &new).unwrap())
                        }
                        1 => clocked(|| db.reply(*thread, author.0, body)),
                        _ => clocked(|| bare.reply(*thread, author.0, body, durable)),
                    });
                }
            }
        }
        p.flush().unwrap();
        let [a, b, c] = took;
        rows.push(Row { name: name.to_string(), trialog: median(a), sqlite: median(b), bare: Some(median(c)) });
    }
    rows
}

/// Opening the file and the first query (an account by pseudonym), each side in turn; warm
/// (the files in the kernel's page cache) and cold (the kernel's page cache dropped before each
/// opening, which needs root: skipped otherwise).
fn opening(trialog_path: &Path, sqlite_path: &Path, pseudonyms: &[String]) -> Vec<Row> {
    let mut rows = Vec::new();
    for cold in [false, true] {
        if cold && !drop_page_cache() {
            eprintln!("open + first query, cold: skipped (dropping the page cache needs root)");
            continue;
        }
        let mut took: [Vec<Duration>; 2] = Default::default();
        for round in 0..ROUNDS {
            let who = &pseudonyms[round % pseudonyms.len()];
            for side in [round % 2, (round + 1) % 2] {
                if cold {
                    drop_page_cache();
                }
                took[side].push(if side == 0 {
                    clocked(|| lookup_trialog(&forums_data::open(trialog_path), who))
                } else {
                    clocked(|| sqlite_side::Db::open(sqlite_path).account(who))
                });
            }
        }
        let name = if cold { "open + first query, cold" } else { "open + first query, warm" };
        let [a, b] = took;
        rows.push(Row { name: name.to_string(), trialog: median(a), sqlite: median(b), bare: None });
    }
    rows
}

/// Writes the dirty pages and drops the kernel's page cache; false when not allowed.
fn drop_page_cache() -> bool {
    let synced = std::process::Command::new("sync").status().is_ok_and(|s| s.success());
    synced && std::fs::write("/proc/sys/vm/drop_caches", "3").is_ok()
}

fn print_table(label: &str, rows: &[Row]) {
    println!("\nversus SQLite, scale {label} ({ROUNDS} alternating rounds; medians per call)\n");
    println!("| operation | trialog | SQLite | bare redb | trialog ÷ SQLite | trialog ÷ bare redb |");
    println!("|---|---|---|---|---|---|");
    for r in rows {
        let ratio = |d: Duration| format!("{:.2}", r.trialog.as_secs_f64() / d.as_secs_f64());
        let bare = r.bare.map_or("—".to_string(), show);
        let over_bare = r.bare.map_or("—".to_string(), ratio);
        println!(
            "| {} | {} | {} | {bare} | {} | {over_bare} |",
            r.name,
            show(r.trialog),
            show(r.sqlite),
            ratio(r.sqlite)
        );
    }
}

fn show(d: Duration) -> String {
    let us = d.as_secs_f64() * 1e6;
    if us >= 1000.0 { format!("{:.2} ms", us / 1000.0) } else { format!("{us:.1} µs") }
}

/// File sizes for the same data: trialog after compaction (which rewrites the file when a tenth
/// or more stays free after redb's compaction in place), SQLite after `VACUUM` (WAL folded in),
/// the bare floor after compaction.
fn sizes(trialog_path: &Path, db: &sqlite_side::Db, sqlite_path: &Path, bare: bare_redb::Bare, bare_path: &Path) {
    let p = forums_data::open(trialog_path);
    let report = p.compact(&Actor::Operator).unwrap();
    drop(p);
    let ours = report.bytes_after.unwrap_or_else(|| std::fs::metadata(trialog_path).unwrap().len());
    db.vacuum();
    let theirs = std::fs::metadata(sqlite_path).unwrap().len();
    let floor = bare.compacted_size(bare_path);
    let (tables, file) = bare_redb::table_sizes(trialog_path);
    let in_tables: u64 = tables.iter().map(|t| t.1).sum();
    let largest: Vec<String> = tables.iter().take(12).map(|(name, bytes)| format!("{name} {}", mib(*bytes))).collect();
    eprintln!(
        "trialog's forum file: {} before compacting, {} after redb's compaction in place, {} after the \
         compaction{}; {} in tables, {} file; largest tables: {}",
        mib(report.bytes_before.unwrap_or(0)),
        mib(report.bytes_in_place.unwrap_or(0)),
        mib(ours),
        if report.rewritten { " (rewritten into a fresh file)" } else { " (not rewritten)" },
        mib(in_tables),
        mib(file),
        largest.join(", ")
    );
    println!(
        "| forum file for the same data | {} | {} | {} | {:.2} | {:.2} |",
        mib(ours),
        mib(theirs),
        mib(floor),
        ours as f64 / theirs as f64,
        ours as f64 / floor as f64
    );
}

fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
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

/// The job board, whose scale follows the forums': postings of one contract within 50 km of a
/// postcode, the 20 nearest (trialog's job search beside an R*Tree box query cut to the circle);
/// publishing a posting, each in its own non-durable transaction (trialog with its card, cell,
/// text index and the alerts of the saved searches present; SQLite its row and its R*Tree
/// entry); and the two files' sizes (a line of the table, returned for printing after it).
fn job_board(work: &Path) -> (Row, Row, String) {
    let label = std::env::var("TRIALOG_BENCH_SCALE").unwrap_or_default();
    let data = jobs_data::job_data(jobs_data::JobScale::named(&label));
    let path = copy_of(&data.path, &work.join(format!("versus-jobs-{}.redb", data.scale.label)));
    let sqlite_path = work.join(format!("versus-jobs-{}.sqlite", data.scale.label));
    let p = jobs_data::open(&path);
    let jobs = sqlite_jobs::build(&p, &sqlite_path);
    let mut rng = Pcg64Mcg::seed_from_u64(17);
    let centers: Vec<Coordinates> = (0..200)
        .map(|_| {
            let place = &data.postcodes[rng.random_range(0..data.postcodes.len())];
            Coordinates { latitude: place.latitude, longitude: place.longitude }
        })
        .collect();
    let first20 = PageRequest::first(20);
    let radius = time(
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
        None,
    );
    let publish = publishing(&p, &jobs, &data, &mut rng);
    let report = p.compact(&Actor::Operator).unwrap();
    drop(p);
    let ours = report.bytes_after.unwrap_or_else(|| std::fs::metadata(&path).unwrap().len());
    jobs.vacuum();
    let theirs = std::fs::metadata(&sqlite_path).unwrap().len();
    let files = format!(
        "| job-board file (trialog: every posting, drafts, saved searches; SQLite: published postings) | {} | {} | — | {:.2} | — |",
        mib(ours),
        mib(theirs),
        ours as f64 / theirs as f64
    );
    drop(jobs);
    remove_copies(work, "versus-jobs", data.scale.label);
    (radius, publish, files)
}

/// Publishing one posting in its own transaction; the drafts are made and read back outside the
/// timing, each published on both sides.
fn publishing(p: &Platform, jobs: &sqlite_jobs::Jobs, data: &jobs_data::JobData, rng: &mut Pcg64Mcg) -> Row {
    let mut took: [Vec<Duration>; 2] = Default::default();
    for round in 0..ROUNDS {
        let rows: Vec<JobImportRow> = (0..REPLY_BATCH)
            .map(|i| JobImportRow {
                line: i as u64 + 1,
                job: jobs_data::posting(rng, &data.postcodes, data.org_count),
                publish: false,
                reference: None,
            })
            .collect();
        let drafts = p.jobs().import(&Actor::Operator, &rows, ImportMode::AllOrNothing, false).unwrap().created;
        for side in [round % 2, (round + 1) % 2] {
            for id in &drafts {
                took[side].push(if side == 0 {
                    clocked(|| p.jobs().publish_many(&Actor::Operator, &[*id]).unwrap())
                } else {
                    let job = p.jobs().get(&Actor::Operator, *id).unwrap();
                    clocked(|| jobs.publish(&job))
                });
            }
        }
    }
    let [a, b] = took;
    Row { name: "publish a posting, non-durable".to_string(), trialog: median(a), sqlite: median(b), bare: None }
}
