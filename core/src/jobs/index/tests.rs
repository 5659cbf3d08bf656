//! The job board's text index on the appending index against the index it kept before schema
//! 18, kept here only as the reference: `job_terms` held one row per (term, published
//! posting), `job_term_docs` each term's number of postings and the counters the published
//! postings and their summed length, always exactly, so the reference is rebuilt from the
//! records. Random publications (one and several per transaction), edits, withdrawals,
//! fillings and scheduler ticks; after every step the index answers every term as the old one
//! did, and at the end every search gives the same page on a board whose scheduler merged after
//! every step and on one whose scheduler never ran.

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;

use super::{INDEX, Reading};
use crate::jobs::card::index_terms;
use crate::jobs::records;
use crate::jobs::{Contract, Hours, JobHit, JobId, JobQuery, JobState, JobUpdate, LocationInput, NewJob};
use crate::orgs::OrgId;
use crate::page::PageRequest;
use crate::{Actor, Platform};

/// Few words, so that postings share terms and meet in the same blocks.
const WORDS: [&str; 10] =
    ["Genesungsbegleitung", "Jena", "Klinik", "Ausbildung", "Team", "Trialog", "Peer", "Erfahrung", "Wohnen", "Nacht"];

#[derive(Debug, Clone)]
enum Step {
    /// Postings published in one transaction: (title words, description words) each.
    Publish(Vec<(Vec<usize>, Vec<usize>)>),
    /// The n-th posting (modulo their number) gets new words.
    Edit(usize, Vec<usize>, Vec<usize>),
    Withdraw(usize),
    Fill(usize),
    Tick,
}

fn words() -> impl Strategy<Value = Vec<usize>> {
    proptest::collection::vec(0..WORDS.len(), 1..6)
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => proptest::collection::vec((words(), words()), 1..4).prop_map(Step::Publish),
        2 => (any::<usize>(), words(), words()).prop_map(|(n, t, d)| Step::Edit(n, t, d)),
        1 => any::<usize>().prop_map(Step::Withdraw),
        1 => any::<usize>().prop_map(Step::Fill),
        1 => Just(Step::Tick),
    ]
}

fn text(words: &[usize]) -> String {
    words.iter().map(|w| WORDS[*w]).collect::<Vec<_>>().join(" ")
}

/// A board with one organisation, as the operator runs it.
struct Board {
    p: Platform,
    org: OrgId,
}

fn board() -> Board {
    let (p, _) = crate::fixtures::platform_at("2026-05-04T09:00:00Z");
    let org = crate::fixtures::association(&p, "Genesungswege e.V.");
    Board { p, org }
}

/// A volunteer posting (no pay to state) found by `title` and `description`.
fn new_job(org: OrgId, title: &str, description: &str) -> NewJob {
    NewJob {
        org,
        title: title.into(),
        description: description.into(),
        location: LocationInput::Remote,
        contract: Contract::Volunteer,
        hours: Hours { min: 4, max: 8 },
        pay: None,
        requirement: None,
        languages: vec!["de".into()],
        starts_on: None,
        expires_on: None,
        openings: None,
        contact: None,
    }
}

impl Board {
    fn run(&self, step: &Step, postings: &[JobId]) {
        let jobs = self.p.jobs();
        let op = &Actor::Operator;
        let nth = |n: &usize| postings[n % postings.len()];
        match step {
            Step::Publish(many) => {
                let ids: Vec<JobId> = many
                    .iter()
                    .map(|(t, d)| jobs.create(op, &new_job(self.org, &text(t), &text(d))).unwrap().id)
                    .collect();
                jobs.publish_many(op, &ids).unwrap();
            }
            Step::Edit(n, t, d) if !postings.is_empty() => {
                let change = JobUpdate { title: Some(text(t)), description: Some(text(d)), ..Default::default() };
                let _ = jobs.update(op, nth(n), &change);
            }
            Step::Withdraw(n) if !postings.is_empty() => {
                let _ = jobs.withdraw(op, nth(n), None);
            }
            Step::Fill(n) if !postings.is_empty() => {
                let _ = jobs.fill(op, nth(n));
            }
            Step::Tick => {
                self.p.tick(op, self.p.now()).unwrap();
            }
            _ => {}
        }
    }

    fn postings(&self) -> Vec<JobId> {
        let txn = self.p.store().read().unwrap();
        let mut ids = Vec::new();
        records::each_posting(&txn, |job| {
            ids.push(job.id);
            Ok(())
        })
        .unwrap();
        ids
    }

    /// Every hit of a text search, page by page.
    fn search_all(&self, text: &str) -> Vec<JobHit> {
        let query = JobQuery { text: Some(text.into()), ..Default::default() };
        let mut hits = Vec::new();
        let mut page = PageRequest::first(3);
        loop {
            let found = self.p.jobs().search(&Actor::Anonymous, &query, &page).unwrap();
            hits.extend(found.items);
            match found.next_cursor {
                Some(cursor) => page = PageRequest { cursor: Some(cursor), ..PageRequest::first(3) },
                None => return hits,
            }
        }
    }
}

/// The index as version 17 wrote it, rebuilt from the records: the postings of every term,
/// the number of published postings and their summed length.
#[derive(Debug, PartialEq)]
struct OldIndex {
    postings: BTreeMap<String, BTreeSet<u64>>,
    docs: u64,
    length: u64,
}

fn old_index(p: &Platform) -> OldIndex {
    let txn = p.store().read().unwrap();
    let mut old = OldIndex { postings: BTreeMap::new(), docs: 0, length: 0 };
    records::each_posting(&txn, |job| {
        if job.state == JobState::Published {
            for (term, tf) in index_terms(&job) {
                old.postings.entry(term).or_default().insert(job.id.0);
                old.length += u64::from(tf);
            }
            old.docs += 1;
        }
        Ok(())
    })
    .unwrap();
    old
}

/// What the appending index answers for `terms` (every term a posting ever had), in the old
/// index's shape; terms without postings are left out, as the old index had no row for them.
fn new_index(p: &Platform, terms: &BTreeSet<String>) -> OldIndex {
    let txn = p.store().read().unwrap();
    let asked: Vec<&str> = terms.iter().map(String::as_str).collect();
    let reading = Reading::open(&txn, &INDEX, &asked).unwrap();
    let mut postings = BTreeMap::new();
    for term in terms {
        let mut docs = BTreeSet::new();
        reading
            .for_each_posting(&txn, term, |p| assert!(docs.insert(p.doc), "a posting twice under '{term}'"))
            .unwrap();
        let counted = reading.document_frequency(&txn, term).unwrap();
        assert_eq!(counted, docs.len() as u64, "the document count of '{term}'");
        if !docs.is_empty() {
            postings.insert(term.clone(), docs);
        }
    }
    let corpus = reading.corpus(&txn).unwrap();
    let length = (corpus.average_length * corpus.docs as f64).round() as u64;
    OldIndex { postings, docs: corpus.docs, length: if corpus.docs == 0 { 0 } else { length } }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: crate::fixtures::rounds(12), ..ProptestConfig::default() })]

    #[test]
    fn the_job_index_answers_as_the_index_it_replaced_and_searches_do_not_depend_on_merging(
        steps in proptest::collection::vec(step(), 1..24),
    ) {
        let (merged, open) = (board(), board());
        let mut terms = BTreeSet::new();
        for step in steps {
            let postings = open.postings();
            open.run(&step, &postings);
            merged.run(&step, &postings);
            merged.p.tick(&Actor::Operator, merged.p.now()).unwrap();
            for board in [&open, &merged] {
                let old = old_index(&board.p);
                terms.extend(old.postings.keys().cloned());
                prop_assert_eq!(new_index(&board.p, &terms), old);
                let report = board.p.integrity().unwrap();
                prop_assert!(report.problems.is_empty(), "{:?}", report.problems);
            }
        }
        for a in 0..WORDS.len() {
            for query in [WORDS[a].to_string(), format!("{} {}", WORDS[a], WORDS[(a + 3) % WORDS.len()])] {
                prop_assert_eq!(open.search_all(&query), merged.search_all(&query), "query '{}'", query);
            }
        }
    }
}

/// The integrity check reads the index as a search does: a published posting taken out of it
/// behind the board's back, or a document that is no published posting, is reported.
#[test]
fn the_integrity_check_finds_postings_missing_from_the_index_and_strays_in_it() {
    let b = board();
    let problems = |b: &Board| b.p.integrity().unwrap().problems;
    let step = Step::Publish(vec![(vec![0, 1], vec![2, 3]), (vec![4], vec![5, 6])]);
    b.run(&step, &[]);
    assert!(problems(&b).is_empty(), "{:?}", problems(&b));
    let first = b.postings()[0];
    let change = |add_stray: bool| {
        b.p.store()
            .write(|txn| {
                let job = records::posting(txn, first)?.expect("the posting is stored");
                let mut pending = super::PendingStats::default();
                if add_stray {
                    pending.0.add(first.0, index_terms(&job), 20_000);
                    pending.0.add(999, vec![("genesung".into(), 1)], 20_000);
                } else {
                    pending.0.remove(first.0, index_terms(&job));
                }
                pending.write(txn)
            })
            .unwrap();
    };
    change(false);
    let found = problems(&b);
    assert!(found.iter().any(|p| p.contains(&format!("published job {first} is not in the text index"))), "{found:?}");
    change(true);
    let found = problems(&b);
    assert!(found.iter().any(|p| p.contains("1 documents that are not published postings (job 999")), "{found:?}");
    b.p.tick(&Actor::Operator, b.p.now()).unwrap();
    assert_eq!(problems(&b), found, "the same problems once the segments are merged");
}

/// The terms of a posting: 45 distinct from a skewed vocabulary of 8,000 (the board's common
/// words — Genesungsbegleitung, Team, Ausbildung — in most postings, many rare ones), title
/// words counted twice as `index_terms` does.
fn posting_terms(state: &mut u64) -> Vec<(String, u32)> {
    let mut terms = BTreeMap::new();
    while terms.len() < 45 {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        let r = (*state % 1_000_003) as f64 / 1_000_003.0;
        let weight = if terms.len() < 6 { 2 } else { 1 };
        *terms.entry(format!("t{}", (r.powi(4) * 8_000.0) as u32)).or_insert(0) += weight;
    }
    terms.into_iter().collect()
}

/// Bytes this thread has written through system calls so far (`wchar` of
/// `/proc/thread-self/io`; redb writes a commit's pages on the committing thread).
fn bytes_written() -> u64 {
    let io = std::fs::read_to_string("/proc/thread-self/io").expect("a Linux /proc to count written bytes");
    io.lines().find_map(|l| l.strip_prefix("wchar: ")).and_then(|n| n.trim().parse().ok()).expect("a wchar count")
}

/// The index part of a durable publication on a board of 50,000 published postings: the bytes
/// its commit writes in the version 17 layout (a row per term) and as one open segment of the
/// appending index, and what the scheduler's merge of 100 such segments writes per posting.
/// Bytes do not depend on the build.
/// `cargo test -p trialog-core --lib jobs::index::tests::figures -- --ignored --nocapture`
#[test]
#[ignore = "a measurement on a file: run it with --ignored --nocapture"]
fn figures_of_the_index_part_of_one_durable_publication() {
    use crate::clock::Timestamp;
    use crate::store::{Due, Durability, Opening, Store};
    use crate::text_index::{self, Pending};
    let dir = tempfile::tempdir().unwrap();
    let file = |name: &str| {
        let opening = Opening { now: Timestamp::default(), domains: &[], feed: &[], quick_repair: false };
        Store::open(&dir.path().join(name), true, 64 << 20, Durability::Immediate, opening).unwrap()
    };
    // Each layout in a file of its own, so that a commit writes only its own pages.
    let (old, new) = (file("v17.redb"), file("v18.redb"));
    new.write(|txn| text_index::create_tables(txn, &INDEX)).unwrap();
    let mut state = 0x9e37_79b9_7f4a_7c15;
    for batch in 0..50u64 {
        let docs: Vec<(u64, Vec<(String, u32)>)> =
            (batch * 1_000..(batch + 1) * 1_000).map(|doc| (doc, posting_terms(&mut state))).collect();
        old.write(|txn| records::cards::write_v17_postings(txn, &docs)).unwrap();
        new.write(|txn| {
            let mut pending = Pending::default();
            for (doc, terms) in &docs {
                pending.add(*doc, terms.clone(), 20_000);
            }
            pending.write_merged(txn, &INDEX)
        })
        .unwrap();
    }
    let (mut rows, mut segment) = (Vec::new(), Vec::new());
    for doc in 50_000..50_100u64 {
        let terms = posting_terms(&mut state);
        let before = bytes_written();
        old.write(|txn| records::cards::write_v17_postings(txn, &[(doc, terms.clone())])).unwrap();
        rows.push(bytes_written() - before);
        let before = bytes_written();
        new.write(|txn| {
            let mut pending = Pending::default();
            pending.add(doc, terms.clone(), 20_001);
            pending.write(txn, &INDEX)
        })
        .unwrap();
        segment.push(bytes_written() - before);
    }
    let before = bytes_written();
    let mut merged = 0;
    loop {
        let due = new
            .write(|txn| {
                let mut due = Due::default();
                text_index::merge_some(txn, &INDEX, "merged", &mut due)?;
                Ok(due)
            })
            .unwrap();
        merged += due.done.iter().map(|(_, n)| n).sum::<u64>();
        if !due.more {
            break;
        }
    }
    let merge_per_posting = (bytes_written() - before) / 100;
    let median = |v: &mut Vec<u64>| {
        v.sort_unstable();
        v[v.len() / 2]
    };
    let (rows, segment) = (median(&mut rows), median(&mut segment));
    println!(
        "index part of one durable 45-term publication on 50,000 postings: {rows} bytes as rows per term \
         (version 17), {segment} bytes as an open segment; the merge of the {merged} segments wrote \
         {merge_per_posting} bytes per posting"
    );
    assert!(segment * 3 < rows, "a segment should write a fraction of the rows' pages: {segment} vs {rows}");
}
