//! The search indexes of published postings: each posting's search card (see `jobs::card`)
//! by id, by grid cell (on-site postings) or among the remote postings, and the publication
//! order; and the migration of the text index of version 17 into the blocks of the shared
//! appending index (whose tables `crate::text_index` opens; see `jobs::index`).
//!
//! Readers get the card bytes through visitors, one card at a time and straight from the
//! table, so a scan allocates nothing per card.

use std::collections::BTreeMap;

use super::super::card::Card;
use super::super::model::JobId;
use super::super::tables::{JOB_BY_PUBLISHED, JOB_CARDS, JOB_CELLS, JOB_REMOTE_CARDS};
#[cfg(test)]
use super::super::tables::{JOB_COUNTERS, JOB_TERM_DOCS};
use crate::error::Result;
use crate::store::{ReadTable, Reader, Table, TableRef, WriteTxn};
use crate::text_index::{self, Posting, Tables, day_of, quantise_length};

/// Where a card is filed besides its id: under its grid cell, or among the remote postings.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Placement {
    Cell(u32),
    Remote,
}

/// Files a published posting's card by id, by place and by publication time (µs).
pub(crate) fn file(txn: &WriteTxn, id: JobId, placement: Placement, published: i64, card: &[u8]) -> Result<()> {
    txn.open_table(JOB_CARDS)?.put(id.0, card)?;
    match placement {
        Placement::Cell(cell) => {
            txn.open_table(JOB_CELLS)?.put((cell, id.0), card)?;
        }
        Placement::Remote => {
            txn.open_table(JOB_REMOTE_CARDS)?.put(id.0, card)?;
        }
    }
    txn.open_table(JOB_BY_PUBLISHED)?.put((published, id.0), ())?;
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
            txn.open_table(JOB_CELLS)?.delete((cell, id.0))?;
        }
        Placement::Remote => {
            txn.open_table(JOB_REMOTE_CARDS)?.delete(id.0)?;
        }
    }
    txn.open_table(JOB_BY_PUBLISHED)?.delete((published, id.0))?;
    Ok(())
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

/// Version 17's text index: (term, job id) → term frequency, one row per term and posting.
const JOB_TERMS_V17: Table<(&str, u64), u32> = Table::new("job_terms");

/// Schema 18: the text index moves from `job_terms` into the main blocks of the appending
/// index `index`, and `job_terms` is dropped. Each posting keeps its term frequency and gets
/// its card's length and publication day; the corpus counters stay as they are and each
/// term's document count is recounted from the blocks. A posting without a card (which no
/// search could show) is left out. A file older than version 2 has no `job_terms`: opening it
/// creates it empty.
pub(crate) fn index_into_blocks_v18(txn: &WriteTxn, index: &Tables) -> Result<()> {
    let mut facts: BTreeMap<u64, (u8, u16)> = BTreeMap::new();
    for row in txn.table(JOB_CARDS)?.iter()? {
        let (id, bytes) = row?;
        let card = Card::decode(bytes.value())?;
        let day = chrono::DateTime::from_timestamp_micros(card.published).map_or(0, day_of);
        facts.insert(id.value(), (quantise_length(card.length), day));
    }
    text_index::clear_document_counts(txn, index)?;
    text_index::import_main_from(txn, index, JOB_TERMS_V17, |doc, tf| {
        let &(length, day) = facts.get(&doc)?;
        Some(Posting { doc, tf: u8::try_from(tf).unwrap_or(u8::MAX), length, day })
    })?;
    txn.delete_table(JOB_TERMS_V17)?;
    Ok(())
}

/// Writes postings (posting, its terms and frequencies) into version 17's text index as its
/// code did: the rows in key order, then each term's count and the counters once per batch.
/// The reference of the figures in `jobs::index::tests`.
#[cfg(test)]
pub(crate) fn write_v17_postings(txn: &WriteTxn, docs: &[(u64, Vec<(String, u32)>)]) -> Result<()> {
    let mut rows: Vec<(&str, u64, u32)> =
        docs.iter().flat_map(|(doc, terms)| terms.iter().map(|(t, tf)| (t.as_str(), *doc, *tf))).collect();
    rows.sort_unstable();
    let mut table = txn.open_table(JOB_TERMS_V17)?;
    let mut added: BTreeMap<&str, u64> = BTreeMap::new();
    for (term, doc, tf) in rows {
        table.put((term, doc), tf)?;
        *added.entry(term).or_default() += 1;
    }
    let mut counts = txn.open_table(JOB_TERM_DOCS)?;
    for (term, n) in added {
        let before = counts.get(term)?.map_or(0, |v| v.value());
        counts.put(term, before + n)?;
    }
    let length: u64 = docs.iter().flat_map(|(_, terms)| terms.iter().map(|(_, tf)| u64::from(*tf))).sum();
    let mut counters = txn.open_table(JOB_COUNTERS)?;
    for (key, delta) in [("docs", docs.len() as u64), ("terms", length)] {
        let before = counters.get(key)?.map_or(0, |v| v.value());
        counters.put(key, before + delta)?;
    }
    Ok(())
}
