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

use crate::store::WriteTxn;

use super::markup;
use super::model::PostId;
use super::records::PostRecord;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::text;

mod records;

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
        records::add_postings(txn, &self.added)?;
        records::bump_counters(txn, self.docs, self.length)
    }
}

/// Takes a post out of the index (it was hidden, removed, deleted, or is about to be
/// re-indexed after an edit). `post` must be as it was indexed.
pub(crate) fn remove(txn: &WriteTxn, post: &PostRecord, title: Option<&str>) -> Result<()> {
    let terms = terms_of(post, title);
    let length: u32 = terms.iter().map(|(_, tf)| *tf).sum();
    if records::remove_postings(txn, &terms, post.id)? {
        records::bump_counters(txn, -1, -i64::from(length))?;
    }
    Ok(())
}

pub(crate) use records::{corpus, document_frequency, for_each_posting};

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

/// A block as bytes: per posting, the distance from the previous post id (from the block's key
/// for the first, so 0) as a LEB128 varint, then tf, length and day (little-endian).
fn encode(block: &[Posting]) -> Vec<u8> {
    let mut out = Vec::with_capacity(block.len() * 6);
    let mut previous = block.first().map_or(0, |p| p.post.0);
    for p in block {
        let mut delta = p.post.0 - previous;
        previous = p.post.0;
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
        each(&Posting {
            post: PostId(post),
            tf: rest[0],
            length: rest[1],
            day: u16::from_le_bytes([rest[2], rest[3]]),
        });
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
                .map(|post| Posting { post: PostId(post), tf, length: 7, day })
                .collect();
            let mut back = Vec::new();
            decode_into(&encode(&block), block[0].post.0, &mut back).unwrap();
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
