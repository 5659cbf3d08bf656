//! The forums at national scale: 2,000,000 posts in 100,000 threads on 50 boards.
//! `cargo bench --bench forums`; see `benches/README.md` ("Forums").

#[path = "support/forums_data.rs"]
mod forums_data;
#[path = "support/generate.rs"]
mod generate;

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use forums_data::{ForumData, ForumScale};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use trialog::{Actor, ForumQuery, NewReply, PageRequest, Platform};

fn data() -> &'static ForumData {
    static DATA: OnceLock<ForumData> = OnceLock::new();
    DATA.get_or_init(|| forums_data::forum_data(ForumScale::from_env()))
}

/// The data set itself, for the benches that only read (they leave it as it was).
fn reading_platform() -> Platform {
    forums_data::open(&data().path)
}

/// A file to write replies into, and what to delete afterwards: a working copy of the data set,
/// or — when the disk has no room for a copy of millions of posts — the data set itself, which
/// the next run then generates again.
fn writing_platform() -> (Platform, PathBuf) {
    let dir = generate::data_dir().join("work");
    std::fs::create_dir_all(&dir).unwrap();
    let copy = dir.join(format!("forums-write-{}.redb", data().scale.label));
    match generate::copy_platform(&data().path, &copy) {
        Ok(_) => (forums_data::open(&copy), copy),
        Err(e) => {
            let _ = std::fs::remove_file(&copy);
            eprintln!("note: no room for a working copy ({e}); replies go into the data set, deleted afterwards");
            (forums_data::open(&data().path), data().path.clone())
        }
    }
}

fn reading(c: &mut Criterion) {
    let p = reading_platform();
    let d = data();
    let mut rng = Pcg64Mcg::seed_from_u64(3);
    let member = Actor::account(d.members[1]);
    let first20 = PageRequest::first(20);
    let mut group = c.benchmark_group("forums");
    group.bench_function("board_page_first20_member", |b| {
        b.iter_batched(
            || d.open_boards[rng.random_range(0..d.open_boards.len())],
            |board| black_box(p.forums().board_page(&member, board, &first20).unwrap()),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("board_page_first20_visitor", |b| {
        let public: Vec<_> = d
            .open_boards
            .iter()
            .copied()
            .filter(|id| p.forums().board_page(&Actor::Anonymous, *id, &first20).is_ok())
            .collect();
        b.iter_batched(
            || public[rng.random_range(0..public.len())],
            |board| black_box(p.forums().board_page(&Actor::Anonymous, board, &first20).unwrap()),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("thread_page_first20_member", |b| {
        b.iter_batched(
            || d.long_threads[rng.random_range(0..d.long_threads.len())],
            |thread| black_box(p.forums().thread_page(&member, thread, &first20).unwrap()),
            BatchSize::SmallInput,
        )
    });
    let reader = Actor::account(d.reader);
    group.bench_function("unread_counts_200_watched_threads", |b| {
        b.iter(|| black_box(p.forums().unread(&reader).unwrap()))
    });
    let pairs = [
        ("Praktikum", "Klinik"),
        ("Vertrag", "Teilzeit"),
        ("Rente", "Beratung"),
        ("Supervision", "Team"),
        ("Angst", "Familie"),
        ("Krisenplan", "Angehörige"),
    ];
    group.bench_function("search_two_words_first20", |b| {
        b.iter_batched(
            || {
                let (a, w) = pairs[rng.random_range(0..pairs.len())];
                ForumQuery { text: format!("{a} {w}"), board: None }
            },
            |q| black_box(p.forums().search(&member, &q, &first20).unwrap()),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

fn writing(c: &mut Criterion) {
    // Made only when the bench runs (not when a filter leaves it out): it copies gigabytes.
    let mut target: Option<(Platform, PathBuf)> = None;
    let d = data();
    let mut rng = Pcg64Mcg::seed_from_u64(5);
    let mut group = c.benchmark_group("forums");
    // Per reply, in batches of 1,000 through `reply_many` (one non-durable transaction each):
    // the post, its thread's counters and board line, the board's counts, the author's read
    // position, the text index and the notifications of the thread's watchers.
    group.bench_function("reply_eventual_batch_of_1000_per_reply", |b| {
        let (p, _) = target.get_or_insert_with(writing_platform);
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            let mut left = iters as usize;
            while left > 0 {
                let n = left.min(1_000);
                let batch: Vec<(Actor, NewReply)> = (0..n)
                    .map(|i| {
                        let thread = d.long_threads[rng.random_range(0..d.long_threads.len())];
                        let author = d.members[rng.random_range(0..d.members.len())];
                        let body = format!(
                            "Danke für den Austausch zur Supervision im Team, Antwort {i}: wie lief das Praktikum in der Klinik weiter?"
                        );
                        (Actor::account(author), NewReply { thread, body, reply_to: None, anonymous: false })
                    })
                    .collect();
                let started = Instant::now();
                let results = p.forums().reply_many(&batch).unwrap();
                total += started.elapsed();
                assert!(results.iter().all(Result::is_ok));
                left -= n;
            }
            total
        })
    });
    group.finish();
    if let Some((p, written)) = target {
        drop(p);
        std::fs::remove_file(&written).unwrap();
    }
}

criterion_group!(benches, reading, writing);
criterion_main!(benches);
