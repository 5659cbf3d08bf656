//! The appending index against the index written without segments (every change straight
//! into the main blocks, as the forums' index was written before) and against a plain model:
//! random transactions of adds, edits and removals, merges at random points, and after every
//! step the same document counts, corpus statistics and posting lists for every term.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::{
    Corpus, OPEN_CEILING, Pending, Posting, Reading, Tables, Vocabulary, day_of, merge_some, quantise_length, records,
};
use crate::clock::Timestamp;
use crate::store::{Due, Durability, Opening, ReadTxn, Store, Table};

/// The index under test, with a small ceiling so that writes also merge inline.
const APPENDING: Tables = Tables {
    blocks: Table::new("test_appending_blocks"),
    term_docs: Table::new("test_appending_term_docs"),
    counters: Table::new("test_appending_counters"),
    segments: Table::new("test_appending_segments"),
    name: "appending",
    open_ceiling: 600,
    posting: std::marker::PhantomData,
};

/// The reference: every transaction written straight into the main postings.
const DIRECT: Tables = Tables {
    blocks: Table::new("test_direct_blocks"),
    term_docs: Table::new("test_direct_term_docs"),
    counters: Table::new("test_direct_counters"),
    segments: Table::new("test_direct_segments"),
    name: "direct",
    open_ceiling: 0,
    posting: std::marker::PhantomData,
};

/// Few words, so that terms are shared and documents meet in the same blocks.
const WORDS: [&str; 10] = ["arbeit", "genesung", "käse", "peer", "trialog", "ex-in", "jena", "kurs", "a", "zz"];

#[derive(Debug, Clone)]
enum Step {
    /// A new document with (word, frequency) pairs, written on a day.
    Add(Vec<(usize, u32)>, u16),
    /// The n-th indexed document (modulo their number) gets new words.
    Edit(usize, Vec<(usize, u32)>, u16),
    /// The n-th indexed document is taken out.
    Remove(usize),
    /// The transaction commits.
    Commit,
    /// The scheduler merges (all open segments, or only the oldest when `false`).
    Merge(bool),
}

fn words() -> impl Strategy<Value = Vec<(usize, u32)>> {
    proptest::collection::vec((0..WORDS.len(), 1u32..300), 0..7)
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (words(), 19_000u16..20_500).prop_map(|(w, d)| Step::Add(w, d)),
        2 => (any::<usize>(), words(), 19_000u16..20_500).prop_map(|(n, w, d)| Step::Edit(n, w, d)),
        2 => any::<usize>().prop_map(Step::Remove),
        3 => Just(Step::Commit),
        1 => any::<bool>().prop_map(Step::Merge),
    ]
}

/// The terms of a document as a domain hands them over: each word once, with its frequency.
fn terms(words: &[(usize, u32)]) -> Vec<(String, u32)> {
    let mut counts: BTreeMap<String, u32> = BTreeMap::new();
    for (word, tf) in words {
        *counts.entry(WORDS[*word].to_string()).or_default() += tf;
    }
    counts.into_iter().collect()
}

fn store() -> Store {
    let opening = Opening { now: Timestamp::default(), domains: &[], feed: &[], quick_repair: false };
    let store = Store::in_memory(Durability::Immediate, opening).unwrap();
    store
        .write(|txn| {
            for tables in [&APPENDING, &DIRECT] {
                records::create(txn, tables)?;
            }
            Ok(())
        })
        .unwrap();
    store
}

/// What the model says a term's postings and the corpus are.
struct Model {
    docs: BTreeMap<u64, (Vec<(String, u32)>, u16)>,
}

impl Model {
    fn postings(&self, term: &str) -> Vec<Posting> {
        let mut out = Vec::new();
        for (doc, (terms, day)) in &self.docs {
            let length: u32 = terms.iter().map(|(_, tf)| tf).sum();
            if let Some((_, tf)) = terms.iter().find(|(t, _)| t == term) {
                let tf = u8::try_from(*tf).unwrap_or(u8::MAX);
                out.push(Posting { doc: *doc, tf, length: quantise_length(length), day: *day });
            }
        }
        out
    }

    fn corpus(&self) -> Corpus {
        let docs = self.docs.len() as u64;
        let length: u64 = self.docs.values().flat_map(|(terms, _)| terms.iter().map(|(_, tf)| u64::from(*tf))).sum();
        Corpus { docs, average_length: if docs == 0 { 1.0 } else { length as f64 / docs as f64 } }
    }
}

/// A term's document count and postings as a search sees them.
fn seen(txn: &ReadTxn, tables: &Tables, term: &str) -> (u64, Vec<Posting>) {
    let reading = Reading::open(txn, tables, &[term]).unwrap();
    let mut postings = Vec::new();
    reading.for_each_posting(txn, term, |p| postings.push(*p)).unwrap();
    (reading.document_frequency(txn, term).unwrap(), postings)
}

fn compare(store: &Store, model: &Model) -> Result<(), TestCaseError> {
    let txn = store.read().unwrap();
    let corpus = |tables: &Tables| Reading::open(&txn, tables, &[]).unwrap().corpus(&txn).unwrap();
    prop_assert_eq!(corpus(&APPENDING), corpus(&DIRECT));
    prop_assert_eq!(corpus(&DIRECT), model.corpus());
    for term in WORDS {
        let expected = model.postings(term);
        let direct = seen(&txn, &DIRECT, term);
        prop_assert_eq!(&direct, &(expected.len() as u64, expected.clone()), "the direct index on '{}'", term);
        prop_assert_eq!(seen(&txn, &APPENDING, term), direct, "the appending index on '{}'", term);
    }
    for tables in [&APPENDING, &DIRECT] {
        let vocabulary = Vocabulary::read(&txn, tables).unwrap();
        for prefix in ["", "a", "ar", "k", "z", "q"] {
            for limit in [1, 2, 100] {
                let mut expected: Vec<&str> =
                    WORDS.into_iter().filter(|w| w.starts_with(prefix) && !model.postings(w).is_empty()).collect();
                expected.sort_unstable();
                expected.truncate(limit);
                let found = vocabulary.with_prefix(&txn, prefix, limit).unwrap();
                prop_assert_eq!(found, expected, "the {} vocabulary from '{}', {} at most", tables.name, prefix, limit);
            }
        }
        for term in WORDS {
            let df = model.postings(term).len() as u64;
            prop_assert_eq!(vocabulary.document_frequency(&txn, term).unwrap(), df, "'{}' in {}", term, tables.name);
            prop_assert_eq!(vocabulary.contains(&txn, term).unwrap(), df > 0);
            // The reading a search opens from the segments its vocabulary read.
            let reading = vocabulary.reading(&[term]).unwrap();
            let mut postings = Vec::new();
            reading.for_each_posting(&txn, term, |p| postings.push(*p)).unwrap();
            prop_assert_eq!(postings, model.postings(term), "'{}' read through the {} vocabulary", term, tables.name);
            prop_assert_eq!(reading.document_frequency(&txn, term).unwrap(), df);
        }
    }
    let mut problems = Vec::new();
    super::check_integrity(&txn, &APPENDING, &mut problems).unwrap();
    prop_assert!(problems.is_empty(), "{:?}", problems);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: crate::fixtures::rounds(96), ..ProptestConfig::default() })]

    #[test]
    fn the_appending_index_answers_as_the_index_written_without_segments(steps in proptest::collection::vec(step(), 1..60)) {
        let store = store();
        let mut model = Model { docs: BTreeMap::new() };
        let mut committed = BTreeMap::new();
        let (mut appending, mut direct) = (Pending::default(), Pending::default());
        let mut next_doc = 1u64;
        for step in steps.into_iter().chain([Step::Commit]) {
            match step {
                Step::Add(words, day) => {
                    let terms = terms(&words);
                    appending.add(next_doc, terms.clone(), day);
                    direct.add(next_doc, terms.clone(), day);
                    model.docs.insert(next_doc, (terms, day));
                    next_doc += 1;
                }
                Step::Edit(n, words, day) => {
                    let Some(doc) = model.docs.keys().nth(n % model.docs.len().max(1)).copied() else { continue };
                    let old = model.docs[&doc].0.clone();
                    let new = terms(&words);
                    for pending in [&mut appending, &mut direct] {
                        pending.remove(doc, old.clone());
                        pending.add(doc, new.clone(), day);
                    }
                    model.docs.insert(doc, (new, day));
                }
                Step::Remove(n) => {
                    let Some(doc) = model.docs.keys().nth(n % model.docs.len().max(1)).copied() else { continue };
                    let (old, _) = model.docs.remove(&doc).unwrap_or_default();
                    appending.remove(doc, old.clone());
                    direct.remove(doc, old);
                }
                Step::Commit => {
                    let (a, d) = (std::mem::take(&mut appending), std::mem::take(&mut direct));
                    store.write(|txn| {
                        a.clone().write(txn, &APPENDING)?;
                        d.clone().write_merged(txn, &DIRECT)
                    }).unwrap();
                    committed = model.docs.clone();
                    compare(&store, &Model { docs: committed.clone() })?;
                }
                Step::Merge(all) => {
                    store.write(|txn| {
                        if all {
                            merge_some(txn, &APPENDING, "merged", &mut Due::default())
                        } else {
                            records::merge(txn, &APPENDING, 1, Vec::new()).map(drop)
                        }
                    }).unwrap();
                    compare(&store, &Model { docs: committed.clone() })?;
                }
            }
        }
    }
}

#[test]
fn a_reply_appends_one_segment_and_the_scheduler_folds_it_into_the_blocks() {
    let store = store();
    let mut pending = Pending::default();
    pending.add(7, terms(&[(0, 1), (1, 2), (4, 1)]), day_of(Timestamp::default()));
    store.write(|txn| pending.clone().write(txn, &APPENDING)).unwrap();
    let txn = store.read().unwrap();
    assert!(records::has_open_segments(&txn, &APPENDING).unwrap(), "the reply waits in a segment");
    assert_eq!(records::document_frequency(&txn, &APPENDING, "genesung").unwrap(), 0, "no block was written");
    assert_eq!(seen(&txn, &APPENDING, "genesung").0, 1, "but a search finds it");
    drop(txn);
    merge(&store, &APPENDING);
    let txn = store.read().unwrap();
    assert!(!records::has_open_segments(&txn, &APPENDING).unwrap(), "the segment is merged");
    assert_eq!(records::document_frequency(&txn, &APPENDING, "genesung").unwrap(), 1);
    assert_eq!(records::open_bytes(&txn, &APPENDING).unwrap(), 0);
}

#[test]
fn the_scheduler_merges_a_bounded_number_of_segments_per_call() {
    let store = store();
    for doc in 0..(super::SEGMENTS_PER_TICK as u64 + 3) {
        let mut pending = Pending::default();
        pending.add(doc, terms(&[(doc as usize % WORDS.len(), 1)]), 0);
        store.write(|txn| pending.clone().write(txn, &DIRECT_BUT_ROOMY)).unwrap();
    }
    let first = merge(&store, &DIRECT_BUT_ROOMY);
    assert_eq!(first.done, vec![("merged", super::SEGMENTS_PER_TICK as u64)]);
    assert!(first.more, "three segments are left for the next call");
    let second = merge(&store, &DIRECT_BUT_ROOMY);
    assert_eq!((second.done, second.more), (vec![("merged", 3)], false));
}

/// An index with room for many open segments.
const DIRECT_BUT_ROOMY: Tables = Tables { open_ceiling: u64::MAX, ..DIRECT };

/// One scheduler call's merge.
fn merge(store: &Store, tables: &Tables) -> Due {
    store
        .write(|txn| {
            let mut due = Due::default();
            merge_some(txn, tables, "merged", &mut due)?;
            Ok(due)
        })
        .unwrap()
}

/// Bytes this thread has written through system calls so far (`wchar` of
/// `/proc/thread-self/io`: redb writes a commit's pages on the committing thread).
fn written_by_this_thread() -> u64 {
    let io = std::fs::read_to_string("/proc/thread-self/io").expect("a Linux /proc to count written bytes");
    let line = io.lines().find_map(|l| l.strip_prefix("wchar: ")).expect("a wchar line");
    line.trim().parse().expect("a byte count")
}

/// A document of 28 distinct terms from a skewed vocabulary of 5,000 (a few common words,
/// many rare ones), as a forum reply has.
fn document(seed: &mut u64) -> Vec<(String, u32)> {
    let mut terms = BTreeMap::new();
    while terms.len() < 28 {
        *seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let r = (*seed >> 33) as f64 / (1u64 << 31) as f64;
        terms.insert(format!("w{}", (r * r * r * 5_000.0) as u32), 1 + (*seed % 3) as u32);
    }
    terms.into_iter().collect()
}

/// The figures behind the appending index: on a file holding 20,000 documents, the bytes a
/// durable commit of one more document writes, as an open segment and straight into the
/// blocks (as the forums wrote every reply before). Debug builds time nothing worth quoting;
/// the bytes do not depend on the build.
/// `cargo test -p trialog-core --lib text_index::tests::figures -- --ignored --nocapture`
#[test]
#[ignore = "a measurement on a file: run it with --ignored --nocapture"]
fn figures_of_one_durable_document_as_a_segment_and_into_the_blocks() {
    const ROOMY: Tables = Tables { open_ceiling: OPEN_CEILING, ..APPENDING };
    let dir = tempfile::tempdir().unwrap();
    let opening = Opening { now: Timestamp::default(), domains: &[], feed: &[], quick_repair: false };
    let store = Store::open(&dir.path().join("index.redb"), true, 64 << 20, Durability::Immediate, opening).unwrap();
    store.write(|txn| records::create(txn, &ROOMY).and(records::create(txn, &DIRECT))).unwrap();
    let mut seed = 15;
    for batch in 0..20u64 {
        let mut pending = Pending::default();
        for doc in batch * 1_000..(batch + 1) * 1_000 {
            pending.add(doc, document(&mut seed), 20_000);
        }
        store
            .write(|txn| pending.clone().write_merged(txn, &ROOMY).and(pending.clone().write_merged(txn, &DIRECT)))
            .unwrap();
    }
    let (mut segment, mut blocks) = (Vec::new(), Vec::new());
    for doc in 20_000..20_100u64 {
        let mut pending = Pending::default();
        pending.add(doc, document(&mut seed), 20_001);
        for (tables, bytes) in [(&ROOMY, &mut segment), (&DIRECT, &mut blocks)] {
            let before = written_by_this_thread();
            store.write(|txn| pending.clone().write(txn, tables)).unwrap();
            bytes.push(written_by_this_thread() - before);
        }
    }
    let median = |v: &mut Vec<u64>| {
        v.sort_unstable();
        v[v.len() / 2]
    };
    let (segment, blocks) = (median(&mut segment), median(&mut blocks));
    println!("one durable 28-term document: {segment} bytes written as a segment, {blocks} into the blocks");
    assert!(segment * 3 < blocks, "a segment should write a fraction of the blocks' pages: {segment} vs {blocks}");
}
