//! The search indexes of published postings: each posting's search card (see `jobs::card`)
//! by id, by grid cell (on-site postings) or among the remote postings, the publication order,
//! and the inverted text index — (term, posting) → term frequency, each term's document count,
//! and the corpus counters (`docs`, `terms`: total indexed length) for BM25.
//!
//! Readers get the card bytes through visitors, one card at a time and straight from the
//! table, so a scan allocates nothing per card.

use std::collections::BTreeMap;

use super::super::model::JobId;
use super::super::tables::{
    JOB_BY_PUBLISHED, JOB_CARDS, JOB_CELLS, JOB_COUNTERS, JOB_REMOTE_CARDS, JOB_TERM_DOCS, JOB_TERMS,
};
use crate::error::Result;
use crate::store::{ReadTable, Reader, TableRef, WriteTxn};

/// Where a card is filed besides its id: under its grid cell, or among the remote postings.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Placement {
    Cell(u32),
    Remote,
}

/// Files a published posting's card by id, by place and by publication time (µs).
pub(crate) fn file(txn: &WriteTxn, id: JobId, placement: Placement, published: i64, card: &[u8]) -> Result<()> {
    txn.open_table(JOB_CARDS)?.insert(id.0, card)?;
    match placement {
        Placement::Cell(cell) => {
            txn.open_table(JOB_CELLS)?.insert((cell, id.0), card)?;
        }
        Placement::Remote => {
            txn.open_table(JOB_REMOTE_CARDS)?.insert(id.0, card)?;
        }
    }
    txn.open_table(JOB_BY_PUBLISHED)?.insert((published, id.0), ())?;
    Ok(())
}

/// Takes a posting's card out of the by-id index, returning its bytes (none when the posting
/// was not published); the caller then calls [`unfile`] with what the card says.
pub(crate) fn take(txn: &WriteTxn, id: JobId) -> Result<Option<Vec<u8>>> {
    Ok(txn.open_table(JOB_CARDS)?.remove(id.0)?.map(|v| v.value().to_vec()))
}

/// Removes a card from its place and from the publication order.
pub(crate) fn unfile(txn: &WriteTxn, id: JobId, placement: Placement, published: i64) -> Result<()> {
    match placement {
        Placement::Cell(cell) => {
            txn.open_table(JOB_CELLS)?.remove((cell, id.0))?;
        }
        Placement::Remote => {
            txn.open_table(JOB_REMOTE_CARDS)?.remove(id.0)?;
        }
    }
    txn.open_table(JOB_BY_PUBLISHED)?.remove((published, id.0))?;
    Ok(())
}

/// Writes the postings (term, posting, frequency) of a batch, best sorted by key so that each
/// B-tree page is visited once, and adds the batch's document counts per term.
pub(crate) fn add_postings(
    txn: &WriteTxn,
    postings: &[(String, JobId, u32)],
    term_docs: &BTreeMap<String, u64>,
) -> Result<()> {
    let mut table = txn.open_table(JOB_TERMS)?;
    for (term, job, tf) in postings {
        table.insert((term.as_str(), job.0), *tf)?;
    }
    let mut docs = txn.open_table(JOB_TERM_DOCS)?;
    for (term, added) in term_docs {
        let n = docs.get(term.as_str())?.map_or(0, |v| v.value());
        docs.insert(term.as_str(), n + added)?;
    }
    Ok(())
}

/// Removes posting `id` from the text index under each of `terms` (those it was indexed
/// under), lowering each term's document count.
pub(crate) fn remove_postings(txn: &WriteTxn, id: JobId, terms: impl IntoIterator<Item = String>) -> Result<()> {
    let mut postings = txn.open_table(JOB_TERMS)?;
    let mut docs = txn.open_table(JOB_TERM_DOCS)?;
    for term in terms {
        if postings.remove((term.as_str(), id.0))?.is_none() {
            continue;
        }
        let n = docs.get(term.as_str())?.map_or(0, |v| v.value());
        match n {
            0 | 1 => docs.remove(term.as_str())?,
            n => docs.insert(term.as_str(), n - 1)?,
        };
    }
    Ok(())
}

/// Adds `docs` postings and `terms` indexed words (negative to take away) to the counters.
pub(crate) fn add_to_counters(txn: &WriteTxn, docs: i64, terms: i64) -> Result<()> {
    let mut counters = txn.open_table(JOB_COUNTERS)?;
    for (key, delta) in [("docs", docs), ("terms", terms)] {
        let now = counters.get(key)?.map_or(0, |v| v.value());
        counters.insert(key, now.saturating_add_signed(delta))?;
    }
    Ok(())
}

/// The counters: (indexed postings, total indexed length).
pub(crate) fn counters(txn: &impl Reader) -> Result<(u64, u64)> {
    let counters = txn.table(JOB_COUNTERS)?;
    let docs = counters.get("docs")?.map_or(0, |v| v.value());
    let terms = counters.get("terms")?.map_or(0, |v| v.value());
    Ok((docs, terms))
}

/// How many indexed postings contain `term`.
pub(crate) fn document_frequency(txn: &impl Reader, term: &str) -> Result<u64> {
    Ok(txn.table(JOB_TERM_DOCS)?.get(term)?.map_or(0, |v| v.value()))
}

/// The postings indexed under any of `terms`, in id order, each once.
pub(crate) fn postings_with<'a>(txn: &impl Reader, terms: impl IntoIterator<Item = &'a str>) -> Result<Vec<JobId>> {
    let postings = txn.table(JOB_TERMS)?;
    let mut ids = Vec::new();
    for term in terms {
        for row in postings.range((term, 0)..=(term, u64::MAX))? {
            ids.push(JobId(row?.0.value().1));
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Visits the card of each of `ids` that has one, in the order given.
pub(crate) fn visit_cards_of(
    txn: &impl Reader,
    ids: &[JobId],
    mut visit: impl FnMut(&[u8]) -> Result<()>,
) -> Result<()> {
    let cards = txn.table(JOB_CARDS)?;
    for id in ids {
        if let Some(bytes) = cards.get(id.0)? {
            visit(bytes.value())?;
        }
    }
    Ok(())
}

/// Visits every card, in id order.
pub(crate) fn visit_every_card(txn: &impl Reader, mut visit: impl FnMut(&[u8]) -> Result<()>) -> Result<()> {
    for row in txn.table(JOB_CARDS)?.iter()? {
        visit(row?.1.value())?;
    }
    Ok(())
}

/// Visits every remote posting's card, in id order.
pub(crate) fn visit_remote_cards(txn: &impl Reader, mut visit: impl FnMut(&[u8]) -> Result<()>) -> Result<()> {
    for row in txn.table(JOB_REMOTE_CARDS)?.iter()? {
        visit(row?.1.value())?;
    }
    Ok(())
}

/// Visits cards newest first from `upper` (published at µs, id) down, until `visit` returns
/// `false`.
pub(crate) fn visit_newest_cards(
    txn: &impl Reader,
    upper: (i64, JobId),
    mut visit: impl FnMut(&[u8]) -> Result<bool>,
) -> Result<()> {
    let by_date = txn.table(JOB_BY_PUBLISHED)?;
    let cards = txn.table(JOB_CARDS)?;
    for row in by_date.range(..=(upper.0, upper.1.0))?.rev() {
        let (key, _) = row?;
        if let Some(bytes) = cards.get(key.value().1)?
            && !visit(bytes.value())?
        {
            break;
        }
    }
    Ok(())
}

/// The cards of on-site postings by grid cell, opened once for a search that walks cells.
pub(crate) struct CellCards<'t>(TableRef<'t, (u32, u64), &'static [u8]>);

impl<'t> CellCards<'t> {
    pub(crate) fn open(txn: &'t impl Reader) -> Result<Self> {
        Ok(CellCards(txn.table(JOB_CELLS)?))
    }

    /// Visits the cards filed under `cell`, in id order.
    pub(crate) fn visit(&self, cell: u32, mut visit: impl FnMut(&[u8]) -> Result<()>) -> Result<()> {
        for row in self.0.range((cell, 0)..=(cell, u64::MAX))? {
            visit(row?.1.value())?;
        }
        Ok(())
    }
}
