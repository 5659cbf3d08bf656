//! How a text index is stored: main blocks of postings per term, each term's document count,
//! the counters and the open segments (see the parent module). The only place that opens a
//! text index's tables.

use std::collections::{BTreeMap, BTreeSet};

use super::block::{decode_each, decode_into, encode};
use super::{BLOCK, Change, Packed, Tables, segment};
use crate::error::Result;
use crate::store::{Ahead, ReadTable, Reader, TableMut, WriteTxn};

const DOCS: &str = "docs";
const TERMS: &str = "terms";
const OPEN_BYTES: &str = "open_bytes";

/// Creates the index's tables (a domain's registration does this for its own).
#[cfg(test)]
pub(super) fn create<P: Packed>(txn: &WriteTxn, tables: &Tables<P>) -> Result<()> {
    txn.open_table(tables.blocks)?;
    txn.open_table(tables.term_docs)?;
    txn.open_table(tables.counters)?;
    txn.open_table(tables.segments)?;
    Ok(())
}

/// `ahead` with the counters' rows that writing an open segment reads and changes.
pub(super) fn counters_ahead<P: Packed>(ahead: Ahead, tables: &Tables<P>) -> Ahead {
    [DOCS, TERMS, OPEN_BYTES].into_iter().fold(ahead, |ahead, key| ahead.row(tables.counters, key))
}

/// `ahead` with the last open segments (read from the high end), which writing one reads first.
pub(super) fn last_segments_ahead<P: Packed>(ahead: Ahead, tables: &Tables<P>) -> Ahead {
    ahead.last_rows(tables.segments)
}

/// (documents, summed length) of the index.
pub(super) fn counters<P: Packed>(txn: &impl Reader, tables: &Tables<P>) -> Result<(u64, u64)> {
    let counters = txn.table(tables.counters)?;
    let docs = counters.get(DOCS)?.map_or(0, |v| v.value());
    let terms = counters.get(TERMS)?.map_or(0, |v| v.value());
    Ok((docs, terms))
}

pub(super) fn bump_counters<P: Packed>(txn: &WriteTxn, tables: &Tables<P>, docs: i64, terms: i64) -> Result<()> {
    let mut counters = txn.open_table(tables.counters)?;
    for (key, delta) in [(DOCS, docs), (TERMS, terms)] {
        let now = counters.get(key)?.map_or(0, |v| v.value());
        counters.put(key, now.saturating_add_signed(delta))?;
    }
    Ok(())
}

/// The bytes of the open segments.
pub(super) fn open_bytes<P: Packed>(txn: &impl Reader, tables: &Tables<P>) -> Result<u64> {
    Ok(txn.table(tables.counters)?.get(OPEN_BYTES)?.map_or(0, |v| v.value()))
}

/// How many documents in the main postings contain `term`.
pub(super) fn document_frequency<P: Packed>(txn: &impl Reader, tables: &Tables<P>, term: &str) -> Result<u64> {
    Ok(txn.table(tables.term_docs)?.get(term)?.map_or(0, |v| v.value()))
}

/// Every term with main postings or a document count, each once, in order.
pub(super) fn main_terms<P: Packed>(txn: &impl Reader, tables: &Tables<P>) -> Result<BTreeSet<String>> {
    let mut terms = BTreeSet::new();
    for row in txn.table(tables.term_docs)?.iter()? {
        terms.insert(row?.0.value().to_string());
    }
    for row in txn.table(tables.blocks)?.iter()? {
        let (key, _) = row?;
        let (term, _) = key.value();
        if !terms.contains(term) {
            terms.insert(term.to_string());
        }
    }
    Ok(terms)
}

/// Calls `each` with every term from `from` on whose main postings hold documents, in order,
/// with its document count, while `each` says go on.
pub(super) fn main_counts_from<P: Packed>(
    txn: &impl Reader,
    tables: &Tables<P>,
    from: &str,
    mut each: impl FnMut(&str, u64) -> bool,
) -> Result<()> {
    for row in txn.table(tables.term_docs)?.range(from..)? {
        let (term, count) = row?;
        if !each(term.value(), count.value()) {
            break;
        }
    }
    Ok(())
}

pub(super) fn clear_document_counts<P: Packed>(txn: &WriteTxn, tables: &Tables<P>) -> Result<()> {
    txn.open_table(tables.term_docs)?.retain(|_, _| false)
}

/// Calls `each` with every main posting of `term`, in document order, a block at a time.
pub(super) fn for_each_posting<P: Packed>(
    txn: &impl Reader,
    tables: &Tables<P>,
    term: &str,
    mut each: impl FnMut(&P),
) -> Result<()> {
    let table = txn.table(tables.blocks)?;
    for row in table.range((term, 0)..=(term, u64::MAX))? {
        let (key, bytes) = row?;
        decode_each(bytes.value(), key.value().1, tables.name, &mut each)?;
    }
    Ok(())
}

/// Appends one open segment after the last one.
pub(super) fn append_segment<P: Packed>(txn: &WriteTxn, tables: &Tables<P>, bytes: &[u8]) -> Result<()> {
    let mut segments = txn.open_table(tables.segments)?;
    let last = segments.iter()?.next_back().transpose()?.map(|(k, _)| k.value());
    segments.put(last.map_or(0, |k| k + 1), bytes)?;
    drop(segments);
    add_open_bytes(txn, tables, bytes.len() as i64)
}

pub(super) fn has_open_segments<P: Packed>(txn: &impl Reader, tables: &Tables<P>) -> Result<bool> {
    Ok(txn.table(tables.segments)?.iter()?.next().is_some())
}

/// Calls `each` with every open segment, oldest first.
pub(super) fn for_each_segment<P: Packed>(
    txn: &impl Reader,
    tables: &Tables<P>,
    mut each: impl FnMut(&[u8]) -> Result<()>,
) -> Result<()> {
    for row in txn.table(tables.segments)?.iter()? {
        each(row?.1.value())?;
    }
    Ok(())
}

/// Folds the oldest `max_segments` open segments, then `extra`, into the main postings and
/// deletes those segments; returns how many were merged. For every (term, document) only the
/// last change counts; the document counts are recounted from what the blocks held.
pub(super) fn merge<P: Packed>(
    txn: &WriteTxn,
    tables: &Tables<P>,
    max_segments: usize,
    extra: Vec<(String, Change<P>)>,
) -> Result<usize> {
    let mut last: BTreeMap<(String, u64), Change<P>> = BTreeMap::new();
    let (mut merged, mut bytes) = (Vec::new(), 0u64);
    for row in txn.table(tables.segments)?.iter()?.take(max_segments) {
        let (key, segment) = row?;
        merged.push(key.value());
        bytes += segment.value().len() as u64;
        segment::for_each_change(segment.value(), tables.name, |term, change: Change<P>| {
            last.insert((term.to_string(), change.doc()), change);
        })?;
    }
    for (term, change) in extra {
        last.insert((term, change.doc()), change);
    }
    apply(txn, tables, last)?;
    if !merged.is_empty() {
        let mut segments = txn.open_table(tables.segments)?;
        for key in &merged {
            segments.delete(*key)?;
        }
        drop(segments);
        add_open_bytes(txn, tables, -(bytes as i64))?;
    }
    Ok(merged.len())
}

fn add_open_bytes<P: Packed>(txn: &WriteTxn, tables: &Tables<P>, delta: i64) -> Result<()> {
    let mut counters = txn.open_table(tables.counters)?;
    let now = counters.get(OPEN_BYTES)?.map_or(0, |v| v.value());
    counters.put(OPEN_BYTES, now.saturating_add_signed(delta))?;
    Ok(())
}

type Blocks<'t> = TableMut<'t, (&'static str, u64), &'static [u8]>;

/// Writes the last change of every (term, document) into the blocks, term by term in key
/// order, and the terms' document counts.
fn apply<P: Packed>(txn: &WriteTxn, tables: &Tables<P>, last: BTreeMap<(String, u64), Change<P>>) -> Result<()> {
    let mut blocks = txn.open_table(tables.blocks)?;
    let mut docs = txn.open_table(tables.term_docs)?;
    let mut changes = last.into_iter().peekable();
    let (mut added, mut removed) = (Vec::new(), Vec::new());
    while let Some(((term, _), first)) = changes.next() {
        added.clear();
        removed.clear();
        let mut sort = |change: Change<P>| match change {
            Change::Add(p) => added.push(p),
            Change::Remove(doc) => removed.push(doc),
        };
        sort(first);
        while let Some((_, change)) = changes.next_if(|((t, _), _)| *t == term) {
            sort(change);
        }
        let before = docs.get(term.as_str())?.map_or(0, |v| v.value());
        let mut n = before;
        for doc in &removed {
            if remove_posting::<P>(&mut blocks, &term, *doc, tables.name)? {
                n = n.saturating_sub(1);
            }
        }
        n += merge_postings(&mut blocks, &term, &added, tables.name)?;
        match n {
            _ if n == before => {}
            0 => drop(docs.remove(term.as_str())?),
            n => drop(docs.insert(term.as_str(), n)?),
        }
    }
    Ok(())
}

/// Merges sorted postings of one term into its blocks; returns how many documents are new to
/// it.
fn merge_postings<P: Packed>(blocks: &mut Blocks<'_>, term: &str, postings: &[P], name: &str) -> Result<u64> {
    let mut new = 0;
    let mut i = 0;
    while i < postings.len() {
        let first = postings[i].doc();
        let upper = {
            let next = blocks.range((term, first.saturating_add(1))..=(term, u64::MAX))?.next().transpose()?;
            next.map_or(u64::MAX, |(k, _)| k.value().1)
        };
        let (key, mut block) =
            covering_block::<P>(blocks, term, first, name)?.map_or((None, Vec::new()), |(k, b)| (Some(k), b));
        let end = i + postings[i..].partition_point(|p| p.doc() < upper);
        for posting in &postings[i..end] {
            match block.binary_search_by_key(&posting.doc(), |p| p.doc()) {
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

/// The block that holds `doc` if `term` has it: the last block keyed at or before it.
fn covering_block<P: Packed>(blocks: &Blocks<'_>, term: &str, doc: u64, name: &str) -> Result<Option<(u64, Vec<P>)>> {
    let covering = blocks.range((term, 0)..=(term, doc))?.next_back().transpose()?;
    let Some((k, bytes)) = covering else { return Ok(None) };
    let key = k.value().1;
    let mut block = Vec::with_capacity(BLOCK + 1);
    decode_into(bytes.value(), key, name, &mut block)?;
    Ok(Some((key, block)))
}

/// Stores `block` (sorted) in place of the block at `old_key`, split into blocks of [`BLOCK`].
fn write_block<P: Packed>(blocks: &mut Blocks<'_>, term: &str, old_key: Option<u64>, block: &[P]) -> Result<()> {
    let first = block.first().map(|p| p.doc());
    if let Some(old) = old_key
        && Some(old) != first
    {
        blocks.delete((term, old))?;
    }
    for chunk in block.chunks(BLOCK) {
        blocks.put((term, chunk[0].doc()), encode(chunk).as_slice())?;
    }
    Ok(())
}

/// Takes `doc` out of `term`'s blocks; returns whether it was there.
fn remove_posting<P: Packed>(blocks: &mut Blocks<'_>, term: &str, doc: u64, name: &str) -> Result<bool> {
    let Some((key, mut block)) = covering_block::<P>(blocks, term, doc, name)? else { return Ok(false) };
    let Ok(at) = block.binary_search_by_key(&doc, |p| p.doc()) else { return Ok(false) };
    block.remove(at);
    if block.is_empty() {
        blocks.delete((term, key))?;
    } else {
        write_block(blocks, term, Some(key), &block)?;
    }
    Ok(true)
}

/// Up to `limit` rows of an older one-row-per-(term, document) index `old` after the key
/// `after`, as postings (`posting` may leave a row out), with the last key read (`None` when
/// no row was left): one batch of [`super::import_main_from`].
#[allow(clippy::type_complexity)]
pub(super) fn old_rows_after<P: Packed, V: crate::store::Value>(
    txn: &WriteTxn,
    old: crate::store::Table<(&'static str, u64), V>,
    after: Option<&(String, u64)>,
    limit: usize,
    posting: &mut impl for<'v> FnMut(u64, V::SelfType<'v>) -> Option<P>,
) -> Result<(Vec<(String, P)>, Option<(String, u64)>)> {
    let mut batch: Vec<(String, P)> = Vec::new();
    let mut last: Option<(String, u64)> = None;
    let old = txn.table(old)?;
    let rows = match after {
        Some((term, doc)) => old.range((term.as_str(), *doc)..)?,
        None => old.iter()?,
    };
    for row in rows {
        let (key, value) = row?;
        let (term, doc) = key.value();
        if after.is_some_and(|(t, d)| (t.as_str(), *d) == (term, doc)) {
            continue;
        }
        if last.is_some() && batch.len() >= limit {
            break;
        }
        last = Some((term.to_string(), doc));
        if let Some(p) = posting(doc, value.value()) {
            batch.push((term.to_string(), p));
        }
    }
    Ok((batch, last))
}
