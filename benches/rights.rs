//! The person's rights (issue 23): the export of an account that wrote 5,000 forum posts
//! (target under 1 s) and the erasure of such an account (target under 2 s), both on a file
//! with durable commits. `cargo bench --bench rights`; see `benches/README.md` ("Rights").

#[path = "support/generate.rs"]
mod generate;

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use trialog::{
    AccountId, Actor, Audience, Durability, JobQuery, ModerationMode, NewAccount, NewBoard, NewReply, NewThread,
    Platform, PlatformOptions, PostFate, TestClock,
};

/// The person's posts: 5,000 under `cargo bench`, 200 when the bench runs as a test.
fn posts() -> usize {
    if std::env::args().any(|a| a == "--bench") { 5_000 } else { 200 }
}

fn options(clock: &TestClock, durability: Durability) -> PlatformOptions {
    PlatformOptions { clock: Arc::new(clock.clone()), durability, cache_bytes: 64 * 1024 * 1024, ..Default::default() }
}

/// A platform file where Kim wrote `n` posts: 50 threads of her own, the rest replies in her
/// threads and in 50 threads of Ole's, who answers her every tenth post (his notifications
/// and quotes name her). She also has a saved search and a read position or two.
fn build(path: &Path, n: usize) -> AccountId {
    let clock = TestClock::at("2026-03-02T09:00:00Z".parse().unwrap());
    let p = Platform::open(path, options(&clock, Durability::Eventual)).unwrap();
    let board = p
        .forums()
        .create_board(
            &Actor::Operator,
            &NewBoard {
                slug: "austausch".into(),
                title: "Austausch".into(),
                description: String::new(),
                language: "de".into(),
                position: None,
                audience: Audience::Members,
                moderation: ModerationMode::Open,
            },
        )
        .unwrap()
        .id;
    let create = |name: &str| {
        let new =
            NewAccount { pseudonym: name.into(), email: Some(format!("{name}@example.org")), ..Default::default() };
        p.accounts().create(&Actor::Operator, &new).unwrap().id
    };
    let (kim_id, ole_id) = (create("Kim_aus_Jena"), create("Ole_Angehoerig"));
    let (kim, ole) = (Actor::account(kim_id), Actor::account(ole_id));
    let thread = |who: &Actor, i: usize| {
        let body = format!("Erster Beitrag {i}: wie geht ihr mit der Teilzeit in der Genesungsbegleitung um?");
        let new = NewThread { board, title: format!("Frage {i}"), body, tags: vec![], anonymous: i.is_multiple_of(7) };
        p.forums().create_thread(who, &new).unwrap().thread.id
    };
    let threads: Vec<_> = (0..50).flat_map(|i| [thread(&kim, i), thread(&ole, i)]).collect();
    let mut written = 50;
    while written < n {
        let batch: Vec<(Actor, NewReply)> = (written..(written + 500).min(n))
            .flat_map(|i| {
                let on = threads[i % threads.len()];
                let body = format!("Antwort {i}: Bei mir sind es zwanzig Stunden, und die Supervision hilft sehr.");
                let mine = (kim.clone(), NewReply { thread: on, body, reply_to: None, anonymous: i % 13 == 0 });
                let answer = (i % 10 == 0).then(|| {
                    let body = format!("> Antwort {i}\nDanke, Kim!");
                    (ole.clone(), NewReply { thread: on, body, reply_to: None, anonymous: false })
                });
                std::iter::once(mine).chain(answer)
            })
            .collect();
        written += batch.iter().filter(|(who, _)| *who == kim).count();
        for result in p.forums().reply_many(&batch).unwrap() {
            result.unwrap();
        }
        clock.advance(chrono::Duration::minutes(5));
    }
    p.alerts().add(&kim, "Teilzeit Jena", &JobQuery::default()).unwrap();
    p.forums().mark_read(&kim, threads[1], None).unwrap();
    p.flush().unwrap();
    kim_id
}

fn rights(c: &mut Criterion) {
    let n = posts();
    let dir = tempfile::tempdir().unwrap();
    let built = dir.path().join("built.redb");
    let kim = build(&built, n);
    let clock = TestClock::at("2026-06-01T09:00:00Z".parse().unwrap());

    let p = Platform::open(&built, options(&clock, Durability::Immediate)).unwrap();
    let report = p.rights().export(&Actor::account(kim), kim, &dir.path().join("check.zip")).unwrap();
    let exported = report.files.iter().find(|f| f.name == "forum_posts.json").unwrap().records;
    assert_eq!(exported as usize, n, "every post is in the export");
    let mut run = 0;
    c.bench_function(&format!("rights/export, account with {n} posts (zip to disk)"), |b| {
        b.iter(|| {
            run += 1;
            let out = dir.path().join(format!("export-{run}.zip"));
            black_box(p.rights().export(&Actor::account(kim), kim, &out).unwrap());
            std::fs::remove_file(&out).unwrap();
        })
    });
    drop(p);

    let mut group = c.benchmark_group("rights");
    group.sample_size(10);
    for (fate, name) in [(PostFate::KeepAsFormerMember, "keep"), (PostFate::Delete, "delete")] {
        group.bench_function(format!("erase, account with {n} posts (posts: {name})"), |b| {
            b.iter_batched(
                || {
                    let copy = dir.path().join("erase.redb");
                    generate::copy_platform(&built, &copy).unwrap();
                    Platform::open(&copy, options(&clock, Durability::Immediate)).unwrap()
                },
                |p| {
                    let report = p.rights().erase(&Actor::account(kim), kim, Some(fate), "auf eigenen Wunsch").unwrap();
                    black_box(report);
                    p
                },
                BatchSize::PerIteration,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, rights);
criterion_main!(benches);
