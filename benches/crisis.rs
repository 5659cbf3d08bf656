//! The crisis detector alone (rules of every language and the model; issue 18): messages per
//! second over a mix of short and long texts in each of the seven languages, the time one
//! 2,000-character post takes (the target: under 100 µs), and the time it takes on
//! hostile input (a megabyte of crisis sentences, a megabyte of one repeated word).
//! `cargo bench --bench crisis`; see `benches/README.md` ("Crisis detector").
//!
//! The short messages are the evaluation texts of `core/tests/data/crisis/tune/` (one to three
//! sentences each, crisis and ordinary alike, as they are written on the platform); the long
//! ones are about 2,000 characters, the same language's texts joined as one post. Throughput
//! counts messages, so a language's figure is messages per second. The long posts alone
//! (`long_<lang>_ordinary`, `long_<lang>_crisis_in_the_middle`) are one post each, timed per
//! call: a mix's average hides what a long post costs. The size and work bounds of
//! hostile input are asserted by the core's unit test
//! `a_megabyte_of_hostile_input_is_read_in_bounded_pieces_with_a_bounded_answer`; here it is timed.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use trialog::moderation::crisis::eval::{Sample, read_samples};
use trialog::moderation::crisis::{CrisisLevel, detector};

const LANGUAGES: [&str; 7] = ["de", "da", "en", "es", "nl", "ro", "bg"];
/// Characters of a long message.
const LONG_CHARS: usize = 2_000;
/// Long messages per language beside its short ones.
const LONG_MESSAGES: usize = 8;

/// A language's tuning texts (`core/tests/data/crisis/tune/`).
fn samples(language: &str) -> Vec<Sample> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("core/tests/data/crisis/tune").join(format!("{language}.tsv"));
    let tsv = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let samples = read_samples(&tsv).expect("a valid evaluation file");
    assert!(!samples.is_empty(), "no texts in {}", path.display());
    samples
}

/// Joins texts from `texts` (in turn, from the start again when used up) into a post of at
/// least `chars` characters.
fn joined<'a>(texts: &mut impl Iterator<Item = &'a String>, chars: usize) -> String {
    let mut post = String::new();
    while post.chars().count() < chars {
        post.push_str(texts.next().expect("a cycle never ends"));
        post.push(' ');
    }
    post
}

/// A language's mix: every tuning text (short) and [`LONG_MESSAGES`] posts of about
/// [`LONG_CHARS`] characters made of its texts in turn.
fn messages(language: &str) -> Vec<String> {
    let short: Vec<String> = samples(language).into_iter().map(|s| s.text).collect();
    let mut texts = short.iter().cycle();
    let mut all = short.clone();
    for _ in 0..LONG_MESSAGES {
        all.push(joined(&mut texts, LONG_CHARS).chars().take(LONG_CHARS).collect());
    }
    all
}

/// Two posts of [`LONG_CHARS`] characters: one made of the language's ordinary tuning texts
/// alone, and the same with a crisis text (the first imminent one the detector rates
/// imminent on its own) in the middle — the ordinary texts around it cut so that the post
/// keeps its length. The crisis post is asserted to be found, so that the bench times the path
/// with a finding.
fn long_posts(language: &str) -> (String, String) {
    let samples = samples(language);
    let ordinary: Vec<String> = samples.iter().filter(|s| !s.crisis).map(|s| s.text.clone()).collect();
    let crisis = samples
        .iter()
        .filter(|s| s.level == Some(CrisisLevel::Imminent))
        .map(|s| s.text.clone())
        .find(|t| detector().detect(t, language).level == Some(CrisisLevel::Imminent))
        .unwrap_or_else(|| panic!("no {language} tuning text rated imminent"));
    let plain: String = joined(&mut ordinary.iter().cycle(), LONG_CHARS).chars().take(LONG_CHARS).collect();
    let side = (LONG_CHARS - crisis.chars().count() - 2) / 2;
    let before: String = joined(&mut ordinary.iter().cycle(), side).chars().take(side).collect();
    let after: String = joined(&mut ordinary.iter().rev().cycle(), side).chars().take(side).collect();
    let with_crisis = format!("{before} {crisis} {after}");
    let found = detector().detect(&with_crisis, language).level;
    assert!(found.is_some(), "the {language} post with a crisis text in the middle is not found");
    (plain, with_crisis)
}

/// One 2,000-character post at a time, per language: ordinary, and with a crisis text in the
/// middle. Criterion's time per iteration is the time per post.
fn long_post(c: &mut Criterion) {
    let mut group = c.benchmark_group("crisis");
    for language in LANGUAGES {
        let (plain, with_crisis) = long_posts(language);
        group.throughput(Throughput::Elements(1));
        group.bench_function(format!("long_{language}_ordinary"), |b| {
            b.iter(|| black_box(detector().detect(black_box(&plain), language)))
        });
        group.bench_function(format!("long_{language}_crisis_in_the_middle"), |b| {
            b.iter(|| black_box(detector().detect(black_box(&with_crisis), language)))
        });
    }
    group.finish();
}

fn mix(c: &mut Criterion) {
    let mut group = c.benchmark_group("crisis");
    for language in LANGUAGES {
        let messages = messages(language);
        group.throughput(Throughput::Elements(messages.len() as u64));
        group.bench_function(format!("mix_{language}_{}_messages", messages.len()), |b| {
            b.iter(|| {
                for text in &messages {
                    black_box(detector().detect(black_box(text), language));
                }
            })
        });
    }
    group.finish();
}

fn hostile(c: &mut Criterion) {
    const MEGABYTE: usize = 1 << 20;
    let sentences = "Ich will nicht mehr leben, heute Nacht. ".repeat(MEGABYTE / 40);
    let one_word = "kms ".repeat(MEGABYTE / 4);
    let mut group = c.benchmark_group("crisis");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(sentences.len() as u64));
    group.bench_function("hostile_1mb_crisis_sentences", |b| {
        b.iter(|| black_box(detector().detect(black_box(&sentences), "de")))
    });
    group.throughput(Throughput::Bytes(one_word.len() as u64));
    group.bench_function("hostile_1mb_one_word", |b| {
        b.iter(|| black_box(detector().detect(black_box(&one_word), "en")))
    });
    group.finish();
}

criterion_group!(benches, mix, long_post, hostile);
criterion_main!(benches);
