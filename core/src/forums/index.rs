//! The forums' inverted index: for every term, the visible posts that contain it, packed in
//! blocks of up to [`BLOCK`] postings keyed by (term, first post of the block).
//!
//! Why blocks: a national forum holds millions of posts, and common words occur in a tenth of
//! them. One row per (term, post) would make a two-word search walk hundreds of thousands of
//! rows, and a reply write fifty rows; a block holds 128 postings in about a kilobyte, so a
//! search reads a few thousand blocks, and a batch of replies appends to each term's last
//! block once.
//!
//! A posting carries what ranking needs without opening the post: the term's frequency in the
//! post, the post's length (quantised to a byte) and the day it was written (for recency).
//! Only visible posts that are not deleted are indexed; a thread's state and its board's
//! audience are checked when a hit is shown (see [`super::search`]), never trusted from here.

use std::collections::BTreeMap;

use crate::store::{ReadTable, TableMut, WriteTxn};

use super::markup;
use super::model::PostId;
use super::records::PostRecord;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::forums::tables::{FORUM_INDEX_COUNTERS, FORUM_TERM_DOCS, FORUM_TERMS};
use crate::store::Reader;
use crate::text;

/// Postings per block, at most (a block grows past it only until it is split on writing).
const BLOCK: usize = 128;
/// A title's words count this many times (they say what the thread is about).
const TITLE_WEIGHT: u32 = 2;

/// One posting: a post that contains a term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Posting {
    pub post: PostId,
    /// How often the term occurs (the title counted twice), at most 255.
    pub tf: u8,
    /// The post's length in terms, quantised: see [`quantise_length`].
    pub length: u8,
    /// Days since 1970-01-01 when the post was written.
    pub day: u16,
}

/// Index statistics for BM25.
pub(crate) struct Corpus {
    pub docs: u64,
    pub average_length: f64,
}

/// Postings added in one transaction, written at its end (see [`super::effects`]).
#[derive(Default)]
pub(crate) struct Pending {
    added: Vec<(String, Posting)>,
    docs: i64,
    length: i64,
}

impl Pending {
    /// Queues a visible post (with its thread's title, for a first post) for the index.
    pub fn add(&mut self, post: &PostRecord, title: Option<&str>) {
        let terms = terms_of(post, title);
        let length: u32 = terms.iter().map(|(_, tf)| *tf).sum();
        let quantised = quantise_length(length);
        let day = day_of(post.created_at);
        for (term, tf) in terms {
            let tf = u8::try_from(tf).unwrap_or(u8::MAX);
            self.added.push((term, Posting { post: post.id, tf, length: quantised, day }));
        }
        self.docs += 1;
        self.length += i64::from(length);
    }

    /// Writes the queued postings, term by term in key order, with the document counts.
    pub fn write(mut self, txn: &WriteTxn) -> Result<()> {
        if self.added.is_empty() && self.docs == 0 {
            return Ok(());
        }
        self.added.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.post.cmp(&b.1.post)));
        let mut blocks = txn.open_table(FORUM_TERMS)?;
        let mut docs = txn.open_table(FORUM_TERM_DOCS)?;
        let mut start = 0;
        while start < self.added.len() {
            let term = self.added[start].0.as_str();
            let end = start + self.added[start..].partition_point(|(t, _)| t == term);
            let postings: Vec<Posting> = self.added[start..end].iter().map(|(_, p)| *p).collect();
            let new = merge(&mut blocks, term, &postings)?;
            if new > 0 {
                let n = docs.get(term)?.map_or(0, |v| v.value());
                docs.insert(term, n + new)?;
            }
            start = end;
        }
        bump_counters(txn, self.docs, self.length)
    }
}

/// Takes a post out of the index (it was hidden, removed, deleted, or is about to be
/// re-indexed after an edit). `post` must be as it was indexed.
pub(crate) fn remove(txn: &WriteTxn, post: &PostRecord, title: Option<&str>) -> Result<()> {
    let terms = terms_of(post, title);
    let length: u32 = terms.iter().map(|(_, tf)| *tf).sum();
    let mut blocks = txn.open_table(FORUM_TERMS)?;
    let mut docs = txn.open_table(FORUM_TERM_DOCS)?;
    let mut removed_any = false;
    for (term, _) in &terms {
        if !remove_posting(&mut blocks, term, post.id)? {
            continue;
        }
        removed_any = true;
        let n = docs.get(term.as_str())?.map_or(0, |v| v.value());
        match n {
            0 | 1 => docs.remove(term.as_str())?,
            n => docs.insert(term.as_str(), n - 1)?,
        };
    }
    if removed_any {
        bump_counters(txn, -1, -i64::from(length))?;
    }
    Ok(())
}

/// Calls `each` with every posting of `term`, in post order, a block at a time (no list of a
/// common term's hundred thousand postings is ever built).
pub(crate) fn for_each_posting(txn: &impl Reader, term: &str, mut each: impl FnMut(&Posting)) -> Result<()> {
    let table = txn.table(FORUM_TERMS)?;
    for row in table.range((term, 0)..=(term, u64::MAX))? {
        let (key, bytes) = row?;
        decode_each(bytes.value(), key.value().1, &mut each)?;
    }
    Ok(())
}

/// How many indexed posts contain `term`.
pub(crate) fn document_frequency(txn: &impl Reader, term: &str) -> Result<u64> {
    Ok(txn.table(FORUM_TERM_DOCS)?.get(term)?.map_or(0, |v| v.value()))
}

pub(crate) fn corpus(txn: &impl Reader) -> Result<Corpus> {
    let counters = txn.table(FORUM_INDEX_COUNTERS)?;
    let docs = counters.get("docs")?.map_or(0, |v| v.value());
    let terms = counters.get("terms")?.map_or(0, |v| v.value());
    Ok(Corpus { docs, average_length: if docs == 0 { 1.0 } else { terms as f64 / docs as f64 } })
}

/// A length as one byte: 16 steps per doubling, so lengths up to 65,535 terms fit with an error
/// of about 4 %, which BM25's length normalisation does not notice.
pub(crate) fn quantise_length(length: u32) -> u8 {
    (16.0 * f64::from(length).ln_1p() / std::f64::consts::LN_2).round().min(255.0) as u8
}

pub(crate) fn length_of(quantised: u8) -> u32 {
    ((f64::from(quantised) / 16.0).exp2() - 1.0).round() as u32
}

pub(crate) fn day_of(at: Timestamp) -> u16 {
    u16::try_from(at.timestamp().max(0) / 86_400).unwrap_or(u16::MAX)
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

type Blocks<'t> = TableMut<'t, (&'static str, u64), &'static [u8]>;

/// Merges sorted postings of one term into its blocks; returns how many posts are new to it.
fn merge(blocks: &mut Blocks<'_>, term: &str, postings: &[Posting]) -> Result<u64> {
    let mut new = 0;
    let mut i = 0;
    while i < postings.len() {
        let first = postings[i].post;
        let upper = {
            let next = blocks.range((term, first.saturating_add(1))..=(term, u64::MAX))?.next().transpose()?;
            next.map_or(u64::MAX, |(k, _)| k.value().1)
        };
        let (key, mut block) = {
            let covering = blocks.range((term, 0)..=(term, first))?.next_back().transpose()?;
            match covering {
                Some((k, bytes)) => {
                    let key = k.value().1;
                    let mut block = Vec::with_capacity(BLOCK + 1);
                    decode_into(bytes.value(), key, &mut block)?;
                    (Some(key), block)
                }
                None => (None, Vec::new()),
            }
        };
        let end = i + postings[i..].partition_point(|p| p.post < upper);
        for posting in &postings[i..end] {
            match block.binary_search_by_key(&posting.post, |p| p.post) {
                Ok(at) => block[at] = *posting,
                Err(at) => {
                    block.insert(at, *posting);
                    new += 1;
                }
            }
        }
        write_block(blocks, term, key, &block)?;
        i = end;
    }
    Ok(new)
}

/// Stores `block` (sorted) in place of the block at `old_key`, split into blocks of [`BLOCK`].
fn write_block(blocks: &mut Blocks<'_>, term: &str, old_key: Option<u64>, block: &[Posting]) -> Result<()> {
    let first = block.first().map(|p| p.post);
    if let Some(old) = old_key
        && Some(old) != first
    {
        blocks.remove((term, old))?;
    }
    for chunk in block.chunks(BLOCK) {
        blocks.insert((term, chunk[0].post), encode(chunk).as_slice())?;
    }
    Ok(())
}

fn remove_posting(blocks: &mut Blocks<'_>, term: &str, post: PostId) -> Result<bool> {
    let Some((key, mut block)) = ({
        let covering = blocks.range((term, 0)..=(term, post))?.next_back().transpose()?;
        match covering {
            None => None,
            Some((k, bytes)) => {
                let key = k.value().1;
                let mut block = Vec::new();
                decode_into(bytes.value(), key, &mut block)?;
                Some((key, block))
            }
        }
    }) else {
        return Ok(false);
    };
    let Ok(at) = block.binary_search_by_key(&post, |p| p.post) else { return Ok(false) };
    block.remove(at);
    if block.is_empty() {
        blocks.remove((term, key))?;
    } else {
        write_block(blocks, term, Some(key), &block)?;
    }
    Ok(true)
}

/// A block as bytes: per posting, the distance from the previous post id (from the block's key
/// for the first, so 0) as a LEB128 varint, then tf, length and day (little-endian).
fn encode(block: &[Posting]) -> Vec<u8> {
    let mut out = Vec::with_capacity(block.len() * 6);
    let mut previous = block.first().map_or(0, |p| p.post);
    for p in block {
        let mut delta = p.post - previous;
        previous = p.post;
        loop {
            let byte = (delta & 0x7f) as u8;
            delta >>= 7;
            if delta == 0 {
                out.push(byte);
                break;
            }
            out.push(byte | 0x80);
        }
        out.extend_from_slice(&[p.tf, p.length]);
        out.extend_from_slice(&p.day.to_le_bytes());
    }
    out
}

fn decode_into(bytes: &[u8], key: u64, out: &mut Vec<Posting>) -> Result<()> {
    decode_each(bytes, key, |p| out.push(*p))
}

/// Calls `each` with every posting of a block, as it is decoded.
fn decode_each(bytes: &[u8], key: u64, mut each: impl FnMut(&Posting)) -> Result<()> {
    let damaged = || Error::storage(format!("a forum index block (post {key}) is damaged"));
    let mut previous = key;
    let mut i = 0;
    while i < bytes.len() {
        let (mut delta, mut shift) = (0u64, 0u32);
        loop {
            let byte = *bytes.get(i).ok_or_else(damaged)?;
            i += 1;
            delta |= u64::from(byte & 0x7f).checked_shl(shift).ok_or_else(damaged)?;
            if byte & 0x80 == 0 {
                break;
            }
            shift += 7;
        }
        let rest = bytes.get(i..i + 4).ok_or_else(damaged)?;
        i += 4;
        let post = previous.checked_add(delta).ok_or_else(damaged)?;
        previous = post;
        each(&Posting { post, tf: rest[0], length: rest[1], day: u16::from_le_bytes([rest[2], rest[3]]) });
    }
    Ok(())
}

fn bump_counters(txn: &WriteTxn, docs: i64, terms: i64) -> Result<()> {
    let mut counters = txn.open_table(FORUM_INDEX_COUNTERS)?;
    for (key, delta) in [("docs", docs), ("terms", terms)] {
        let now = counters.get(key)?.map_or(0, |v| v.value());
        counters.insert(key, now.saturating_add_signed(delta))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn blocks_round_trip(mut posts in proptest::collection::btree_set(1u64..u64::MAX / 2, 1..300), tf: u8, day: u16) {
            let block: Vec<Posting> = std::mem::take(&mut posts)
                .into_iter()
                .map(|post| Posting { post, tf, length: 7, day })
                .collect();
            let mut back = Vec::new();
            decode_into(&encode(&block), block[0].post, &mut back).unwrap();
            prop_assert_eq!(back, block);
        }

        #[test]
        fn quantised_lengths_stay_within_five_percent(length in 1u32..65_000) {
            let back = length_of(quantise_length(length));
            prop_assert!((f64::from(back) - f64::from(length)).abs() <= 0.05 * f64::from(length) + 1.0, "{} → {}", length, back);
        }
    }

    #[test]
    fn a_damaged_block_is_a_storage_error() {
        let mut out = Vec::new();
        let err = decode_into(&[0x80, 0x80], 1, &mut out).unwrap_err();
        assert!(matches!(err, Error::Storage { .. }), "{err:?}");
    }
}
