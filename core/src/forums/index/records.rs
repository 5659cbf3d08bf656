//! How the index is stored: blocks of postings per term, each term's document count and the
//! corpus counters (see the parent module for why blocks). The only place that opens the
//! index's tables.

use super::{BLOCK, Corpus, Posting, decode_each, decode_into, encode};
use crate::error::Result;
use crate::forums::model::PostId;
use crate::forums::tables::{FORUM_INDEX_COUNTERS, FORUM_TERM_DOCS, FORUM_TERMS};
use crate::store::{ReadTable, Reader, TableMut, WriteTxn};

/// Merges postings, sorted by term and then post, into their terms' blocks and counts the
/// posts new to each term.
pub(super) fn add_postings(txn: &WriteTxn, added: &[(String, Posting)]) -> Result<()> {
    let mut blocks = txn.open_table(FORUM_TERMS)?;
    let mut docs = txn.open_table(FORUM_TERM_DOCS)?;
    let mut start = 0;
    while start < added.len() {
        let term = added[start].0.as_str();
        let end = start + added[start..].partition_point(|(t, _)| t == term);
        let postings: Vec<Posting> = added[start..end].iter().map(|(_, p)| *p).collect();
        let new = merge(&mut blocks, term, &postings)?;
        if new > 0 {
            let n = docs.get(term)?.map_or(0, |v| v.value());
            docs.insert(term, n + new)?;
        }
        start = end;
    }
    Ok(())
}

/// Takes `post` out of the blocks of `terms` and their document counts; returns whether it
/// was in any.
pub(super) fn remove_postings(txn: &WriteTxn, terms: &[(String, u32)], post: PostId) -> Result<bool> {
    let mut blocks = txn.open_table(FORUM_TERMS)?;
    let mut docs = txn.open_table(FORUM_TERM_DOCS)?;
    let mut removed_any = false;
    for (term, _) in terms {
        if !remove_posting(&mut blocks, term, post)? {
            continue;
        }
        removed_any = true;
        let n = docs.get(term.as_str())?.map_or(0, |v| v.value());
        match n {
            0 | 1 => docs.remove(term.as_str())?,
            n => docs.insert(term.as_str(), n - 1)?,
        };
    }
    Ok(removed_any)
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

type Blocks<'t> = TableMut<'t, (&'static str, u64), &'static [u8]>;

/// Merges sorted postings of one term into its blocks; returns how many posts are new to it.
fn merge(blocks: &mut Blocks<'_>, term: &str, postings: &[Posting]) -> Result<u64> {
    let mut new = 0;
    let mut i = 0;
    while i < postings.len() {
        let first = postings[i].post.0;
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
        let end = i + postings[i..].partition_point(|p| p.post.0 < upper);
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
    let first = block.first().map(|p| p.post.0);
    if let Some(old) = old_key
        && Some(old) != first
    {
        blocks.remove((term, old))?;
    }
    for chunk in block.chunks(BLOCK) {
        blocks.insert((term, chunk[0].post.0), encode(chunk).as_slice())?;
    }
    Ok(())
}

fn remove_posting(blocks: &mut Blocks<'_>, term: &str, post: PostId) -> Result<bool> {
    let Some((key, mut block)) = ({
        let covering = blocks.range((term, 0)..=(term, post.0))?.next_back().transpose()?;
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

pub(super) fn bump_counters(txn: &WriteTxn, docs: i64, terms: i64) -> Result<()> {
    let mut counters = txn.open_table(FORUM_INDEX_COUNTERS)?;
    for (key, delta) in [("docs", docs), ("terms", terms)] {
        let now = counters.get(key)?.map_or(0, |v| v.value());
        counters.insert(key, now.saturating_add_signed(delta))?;
    }
    Ok(())
}
