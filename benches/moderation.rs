//! Moderation: checking a post against thousands of watched words and the full crisis rule
//! set (every language), the crisis detector alone, and a page of the review queue among
//! 100,000 pending items. `cargo bench --bench moderation`; see
//! `benches/README.md` ("Moderation").

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use trialog::forums::{Audience, ModerationMode, NewBoard, NewReply, NewThread};
use trialog::moderation::crisis::detector;
use trialog::moderation::{WatchedWord, WordAction, WordList};
use trialog::{Actor, Durability, ItemState, NewAccount, PageRequest, Platform, PlatformOptions, Role, TestClock};

const SYLLABLES: [&str; 24] = [
    "ka", "lo", "mi", "ne", "ru", "sta", "ber", "gen", "tin", "vo", "ex", "pa", "dra", "fel", "hus", "jo", "kel",
    "mar", "sø", "ün", "tra", "wi", "zel", "or",
];

/// Pending items in the queue: 100,000 under `cargo bench`, 2,000 when run as a test.
fn pending_items() -> usize {
    match std::env::var("TRIALOG_BENCH_SCALE").as_deref() {
        Ok("small") => 10_000,
        _ if std::env::args().any(|a| a == "--bench") => 100_000,
        _ => 2_000,
    }
}

fn word(rng: &mut Pcg64Mcg) -> String {
    (0..rng.random_range(2..5)).map(|_| SYLLABLES[rng.random_range(0..SYLLABLES.len())]).collect()
}

/// 5,000 watched words (generated, a tenth of them phrases or with a wildcard; the crisis
/// detector runs beside them) and a 2,000-character German post that matches a few of them.
fn words_and_post() -> (WordList, String) {
    let mut rng = Pcg64Mcg::seed_from_u64(7);
    let mut words = Vec::new();
    let actions = [WordAction::Flag, WordAction::RequireApproval, WordAction::Block];
    while words.len() < 5_000 {
        let mut pattern = word(&mut rng);
        match rng.random_range(0..10) {
            0 => pattern = format!("{pattern} {}", word(&mut rng)),
            1 => pattern.push('*'),
            _ => {}
        }
        let language = ["de", "da", "en", "*"][rng.random_range(0..4)];
        words.push(WatchedWord::new(language, &pattern, actions[rng.random_range(0..3)]));
    }
    let list = WordList::compile(&words).unwrap();
    let filler = "Ich habe gestern mit meiner Gruppe über die Ausbildung gesprochen, und wir waren uns einig, dass \
                  der Austausch mit anderen Genesungsbegleiterinnen sehr hilft. ";
    let mut post = String::new();
    while post.chars().count() < 1_900 {
        post.push_str(filler);
    }
    post.push_str("Manchmal denke ich an S.u.i.z.i.d. ");
    let post: String = post.chars().take(2_000).collect();
    (list, post)
}

/// A 2,000-character post in German with English and Danish in it, full of the words crisis
/// rules and context cues look for (the detector's worst case: many partial matches).
fn crisis_post() -> String {
    let parts = [
        "Früher hatte ich oft Suizidgedanken, heute geht es mir meistens gut, aber seit zwei Wochen sind sie wieder da. ",
        "Ich habe meine Tabletten nicht gesammelt, keine Sorge, aber ich denke nachts an den Tod. ",
        "Mein Sohn schreibt, dass er nicht mehr leben will, und die Hitze bringt mich um. ",
        "In der Fortbildung zur Suizidprävention haben wir geübt, wie man reagiert. ",
        "I don't want to be alive anymore, my friend says she is going to end it. ",
        "Jeg dør af grin, men nogle gange vil jeg ikke leve mere. ",
    ];
    let mut post = String::new();
    for part in parts.iter().cycle() {
        if post.chars().count() >= 2_000 {
            break;
        }
        post.push_str(part);
    }
    post.chars().take(2_000).collect()
}

fn checking(c: &mut Criterion) {
    let (list, post) = words_and_post();
    assert!(list.check(&post, "de").crisis());
    let crisis = crisis_post();
    assert!(detector().detect(&crisis, "de").level.is_some());
    let mut group = c.benchmark_group("moderation");
    group.bench_function("check_2000_chars_5000_words", |b| b.iter(|| black_box(list.check(black_box(&post), "de"))));
    // The same post without its crisis word: rules find nothing, the model scores every sentence.
    let ordinary: String = post.replace("Manchmal denke ich an S.u.i.z.i.d. ", "Wir treffen uns am Donnerstag. ");
    assert!(!list.check(&ordinary, "de").crisis());
    group.bench_function("check_2000_chars_5000_words_ordinary", |b| {
        b.iter(|| black_box(list.check(black_box(&ordinary), "de")))
    });
    group.bench_function("crisis_detector_2000_chars", |b| {
        b.iter(|| black_box(detector().detect(black_box(&post), "de")))
    });
    group.bench_function("crisis_detector_2000_chars_many_signs", |b| {
        b.iter(|| black_box(detector().detect(black_box(&crisis), "de")))
    });
    group.finish();
}

/// A platform whose review queue holds `n` pending items: flagged replies, written in batches.
fn queue_platform(n: usize) -> Platform {
    let clock = TestClock::at("2026-03-02T09:00:00Z".parse().unwrap());
    let options = PlatformOptions {
        clock: Arc::new(clock.clone()),
        durability: Durability::Eventual,
        cache_bytes: 64 * 1024 * 1024,
        ..Default::default()
    };
    let p = Platform::in_memory_with(options).unwrap();
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
        .unwrap();
    p.moderation().add_word(&Actor::Operator, &WatchedWord::new("de", "werbung", WordAction::Flag)).unwrap();
    let writer =
        p.accounts().create(&Actor::Operator, &NewAccount { pseudonym: "Schreiberin".into(), ..Default::default() });
    let writer = writer.unwrap();
    p.accounts().grant_role(&Actor::Operator, writer.id, Role::Moderator, None).unwrap();
    let actor = Actor::account(writer.id);
    let thread = p
        .forums()
        .create_thread(
            &actor,
            &NewThread {
                board: board.id,
                title: "Sammlung".into(),
                body: "Start".into(),
                tags: vec![],
                anonymous: false,
            },
        )
        .unwrap();
    let mut written = 0;
    while written < n {
        let batch: Vec<(Actor, NewReply)> = (written..(written + 1_000).min(n))
            .map(|i| {
                let body = format!("Beitrag {i} mit Werbung");
                (actor.clone(), NewReply { thread: thread.thread.id, body, reply_to: None, anonymous: false })
            })
            .collect();
        written += batch.len();
        for result in p.forums().reply_many(&batch).unwrap() {
            result.unwrap();
        }
        clock.advance(chrono::Duration::seconds(1));
    }
    p
}

fn queue(c: &mut Criterion) {
    let n = pending_items();
    let p = queue_platform(n);
    let first = p.moderation().queue(&Actor::Operator, ItemState::Pending, &PageRequest::first(50)).unwrap();
    assert_eq!(first.items.len(), 50);
    let deep = PageRequest::after(first.next_cursor.clone().unwrap(), 50);
    let mut group = c.benchmark_group("moderation");
    group.bench_function(format!("queue_page50_of_{n}_pending"), |b| {
        b.iter(|| {
            black_box(p.moderation().queue(&Actor::Operator, ItemState::Pending, &PageRequest::first(50)).unwrap())
        })
    });
    group.bench_function(format!("queue_next_page50_of_{n}_pending"), |b| {
        b.iter(|| black_box(p.moderation().queue(&Actor::Operator, ItemState::Pending, &deep).unwrap()))
    });
    group.finish();
}

criterion_group!(benches, checking, queue);
criterion_main!(benches);
