//! The forums' text index: the shared appending index ([`crate::text_index`]) over the forums'
//! own tables. A visible post that is not deleted is found by its own words (quotes left out)
//! and, for a first post, by its thread's title counted twice, analysed in the post's language.
//!
//! A posting carries what ranking needs without opening the post: the term's frequency in the
//! post, the post's length (quantised to a byte) and the day it was written (for recency).
//! A thread's state and its board's audience are checked when a hit is shown (see
//! [`super::search`]), never trusted from here.
//!
//! A reply's postings wait in one open segment until the scheduler's tick (or a write that
//! finds too many open) merges them into the blocks; the blocks are the ones the forums wrote
//! before they had segments, so a file of schema version 13 reads its index unchanged.

use std::collections::BTreeMap;

use super::markup;
use super::records::PostRecord;
use super::tables::{FORUM_INDEX_COUNTERS, FORUM_TERM_DOCS, FORUM_TERM_SEGMENTS, FORUM_TERMS};
use crate::clock::Timestamp;
use crate::error::Result;
use crate::store::{Due, Reader, WriteTxn};
use crate::text;
use crate::text_index::{self, Tables};

pub(crate) use crate::text_index::{Corpus, Posting, Reading, day_of, length_of};

/// A title's words count this many times (they say what the thread is about).
const TITLE_WEIGHT: u32 = 2;

/// The forums' index tables.
static INDEX: Tables = Tables {
    blocks: FORUM_TERMS,
    term_docs: FORUM_TERM_DOCS,
    counters: FORUM_INDEX_COUNTERS,
    segments: FORUM_TERM_SEGMENTS,
    name: "forum",
    open_ceiling: text_index::OPEN_CEILING,
    posting: std::marker::PhantomData,
};

/// The index's changes in one transaction, written at its end (see [`super::effects`]).
#[derive(Default)]
pub(crate) struct Pending(text_index::Pending);

impl Pending {
    /// Queues a visible post (with its thread's title, for a first post) for the index.
    pub fn add(&mut self, post: &PostRecord, title: Option<&str>) {
        self.0.add(post.id.0, terms_of(post, title), day_of(post.created_at));
    }

    /// Takes a post out of the index (it was hidden, removed, deleted, or is about to be
    /// re-indexed after an edit). `post` and `title` must be as they were indexed.
    pub fn remove(&mut self, post: &PostRecord, title: Option<&str>) {
        self.0.remove(post.id.0, terms_of(post, title));
    }

    /// Writes the changes as one open segment (see [`crate::text_index`]).
    pub fn write(self, txn: &WriteTxn) -> Result<()> {
        self.0.write(txn, &INDEX)
    }
}

/// `ahead` with the rows [`Pending::write`] reads (the index's counters).
pub(crate) fn write_ahead(ahead: crate::store::Ahead) -> crate::store::Ahead {
    text_index::write_ahead(ahead, &INDEX)
}

/// A search's view of the index for `terms`.
pub(crate) fn reading(txn: &impl Reader, terms: &[&str]) -> Result<Reading<'static>> {
    Reading::open(txn, &INDEX, terms)
}

/// The forums' scheduled work: merging open segments into the blocks, a bounded batch a call.
pub(crate) fn tick(txn: &WriteTxn, _: Timestamp, due: &mut Due) -> Result<()> {
    text_index::merge_some(txn, &INDEX, "forum index segments merged", due)
}

/// Checks the open segments.
pub(crate) fn check_integrity(txn: &impl Reader, problems: &mut Vec<String>) -> Result<()> {
    text_index::check_integrity(txn, &INDEX, problems)
}

/// The terms a post is found by, with their frequencies: its own words (quotes left out) and,
/// for a first post, the thread's title counted twice; analysed in the post's language.
fn terms_of(post: &PostRecord, title: Option<&str>) -> Vec<(String, u32)> {
    let language = post.language.as_str();
    let mut counts: BTreeMap<String, u32> = BTreeMap::new();
    for token in title.map(|t| text::analyse(t, Some(language))).unwrap_or_default() {
        *counts.entry(token.term).or_default() += TITLE_WEIGHT;
    }
    for token in text::analyse(&markup::own_text(&post.body), Some(language)) {
        *counts.entry(token.term).or_default() += 1;
    }
    counts.into_iter().collect()
}
