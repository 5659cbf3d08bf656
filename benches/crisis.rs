//! The crisis detector alone (rules of every language and the model; issue 18): messages per
//! second over a mix of short and long texts in each of the seven languages, and the time it
//! takes on hostile input (a megabyte of crisis sentences, a megabyte of one repeated word).
//! `cargo bench --bench crisis`; see `benches/README.md` ("Crisis detector").
//!
//! The short messages are the evaluation texts of `core/tests/data/crisis/tune/` (one to three
//! sentences each, crisis and ordinary alike, as they are written on the platform); the long
//! ones are about 2,000 characters, the same language's texts joined as one post. Throughput
//! counts messages, so a language's figure is messages per second. The size and work bounds of
//! hostile input are asserted by the core's unit test
//! `a_megabyte_of_hostile_input_is_read_in_bounded_pieces_with_a_bounded_answer`; here it is timed.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use trialog::moderation::crisis::detector;
use trialog::moderation::crisis::eval::read_samples;

const LANGUAGES: [&str; 7] = ["de", "da", "en", "es", "nl", "ro", "bg"];
/// Characters of a long message.
const LONG_CHARS: usize = 2_000;
/// Long messages per language beside its short ones.
const LONG_MESSAGES: usize = 8;

/// A language's mix: every tuning text (short) and [`LONG_MESSAGES`] posts of about
/// [`LONG_CHARS`] characters made of its texts in turn.
fn messages(language: &str) -> Vec<String> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("core/tests/data/crisis/tune").join(format!("{language}.tsv"));
    let tsv = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let short: Vec<String> = read_samples(&tsv).expect("a valid evaluation file").into_iter().map(|s| s.text).collect();
    assert!(!short.is_empty(), "no texts in {}", path.display());
    let mut texts = short.iter().cycle();
    let mut all = short.clone();
    for _ in 0..LONG_MESSAGES {
        let mut post = String::new();
        while post.chars().count() < LONG_CHARS {
            post.push_str(texts.next().expect("a cycle never ends"));
            post.push(' ');
        }
        all.push(post.chars().take(LONG_CHARS).collect());
    }
    all
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

criterion_group!(benches, mix, hostile);
criterion_main!(benches);
