//! Device replicas against the server in-process on loopback, on the forums data set (50
//! boards, 2,000,000 posts; `benches/support/forums_data.rs`): a member's initial sync (the
//! boards it sees, the 40 most recent threads of each — 2,000 — with their first page of
//! posts, its inbox), an incremental sync of 1,000 changes (replies by other members to threads
//! the replica holds, one transaction each), and the size of the replica file, printed.
//! `cargo bench --bench replica`; `cargo test --bench replica` runs it once on the tiny data set.
//! See `benches/README.md` ("Replicas").

#[path = "support/forums_data.rs"]
#[allow(dead_code)] // the forums bench reads the data set's other fields
mod forums_data;
#[path = "support/generate.rs"]
mod generate;

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use forums_data::{ForumData, ForumScale};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use trialog::replica::Replica;
use trialog::{Actor, NewReply, Platform, ThreadId};

const PASSWORD: &str = "correct horse battery staple";

fn data() -> &'static ForumData {
    static DATA: OnceLock<ForumData> = OnceLock::new();
    DATA.get_or_init(|| forums_data::forum_data(ForumScale::from_env()))
}

/// Changes per incremental sync: the 1,000, a tenth on the tiny data set.
fn changes() -> usize {
    if data().scale.label == "tiny" { 100 } else { 1_000 }
}

/// The server on loopback in front of a working copy of the data set (the incremental bench
/// writes replies), the member's token and the copy's path.
struct Served {
    platform: Platform,
    url: String,
    token: String,
    _server: trialog_server::Running,
    copy: PathBuf,
}

fn served() -> Served {
    let dir = generate::data_dir().join("work");
    std::fs::create_dir_all(&dir).unwrap();
    let copy = dir.join(format!("replica-server-{}.redb", data().scale.label));
    generate::copy_platform(&data().path, &copy).expect("room for a working copy of the forums");
    let platform = forums_data::open(&copy);
    let member = data().members[1];
    platform.accounts().set_password(&Actor::Operator, member, PASSWORD).unwrap();
    let pseudonym = platform.accounts().get(&Actor::Operator, member).unwrap().pseudonym;
    let token = platform.sessions().sign_in(&pseudonym, PASSWORD, chrono::Duration::days(1), None).unwrap().token;
    let mut config = trialog_server::Config::new("127.0.0.1:0".parse().unwrap());
    config.log = false;
    config.tick_every = None;
    let server = trialog_server::spawn(platform.clone(), config).unwrap();
    let url = format!("http://{}", server.addr);
    Served { platform, url, token, _server: server, copy }
}

fn replica_dir() -> PathBuf {
    let dir = generate::data_dir().join("work").join("replicas");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn remove_replica(path: &Path) {
    let _ = std::fs::remove_file(path);
    let _ = std::fs::remove_file(generate::keys_of(path));
}

fn file_mb(path: &Path) -> f64 {
    std::fs::metadata(path).map_or(0.0, |m| m.len() as f64 / 1e6)
}

fn initial(c: &mut Criterion, s: &Served) {
    let path = replica_dir().join("initial.redb");
    remove_replica(&path);
    // Once outside the timing: what a member's replica holds, and the file's size.
    let replica = Replica::open(&path, &s.url, &s.token).unwrap();
    assert!(replica.sync().unwrap().snapshot);
    let boards = replica.boards().unwrap();
    let threads: usize = boards.iter().map(|b| replica.threads(b.board.id).unwrap().len()).sum();
    drop(replica);
    println!("replica: {} boards, {threads} threads, file {:.1} MB (target < 50 MB)", boards.len(), file_mb(&path));
    let mut group = c.benchmark_group("replica");
    group.sample_size(10);
    group.bench_function("initial_sync", |b| {
        b.iter_batched(
            || remove_replica(&path),
            |()| Replica::open(&path, &s.url, &s.token).unwrap().sync().unwrap(),
            BatchSize::PerIteration,
        )
    });
    group.finish();
    remove_replica(&path);
}

fn incremental(c: &mut Criterion, s: &Served) {
    let path = replica_dir().join("incremental.redb");
    remove_replica(&path);
    let replica = Replica::open(&path, &s.url, &s.token).unwrap();
    replica.sync().unwrap();
    let held: Vec<ThreadId> = replica
        .boards()
        .unwrap()
        .iter()
        .flat_map(|b| replica.threads(b.board.id).unwrap().into_iter().map(|t| t.id))
        .collect();
    let others = &data().members[2..];
    let mut rng = Pcg64Mcg::seed_from_u64(25);
    let n = changes();
    let mut group = c.benchmark_group("replica");
    group.sample_size(10);
    group.bench_function(format!("incremental_sync_{n}_changes"), |b| {
        b.iter_batched(
            || {
                for i in 0..n {
                    let thread = held[rng.random_range(0..held.len())];
                    let author = Actor::account(others[rng.random_range(0..others.len())]);
                    let body = format!("Danke für den Austausch, Nummer {i}.");
                    let reply = NewReply { thread, body, reply_to: None, anonymous: false };
                    s.platform.forums().reply(&author, &reply).unwrap();
                }
            },
            |()| {
                let report = replica.sync().unwrap();
                assert!(!report.offline && !report.snapshot, "{report:?}");
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
    println!("replica after the incremental syncs: file {:.1} MB", file_mb(&path));
    drop(replica);
    remove_replica(&path);
}

fn replicas(c: &mut Criterion) {
    let s = served();
    initial(c, &s);
    incremental(c, &s);
    let copy = s.copy.clone();
    drop(s);
    let _ = std::fs::remove_file(&copy);
    let _ = std::fs::remove_file(generate::keys_of(&copy));
}

criterion_group!(benches, replicas);
criterion_main!(benches);
