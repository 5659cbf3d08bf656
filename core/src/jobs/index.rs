//! Keeping the search indexes of published postings: cards by id, by grid cell and (remote
//! postings) in a table of their own, publication order, and the inverted text index with its
//! term statistics.
//! Called only inside the transaction that changes the posting, so index and record agree.

use std::collections::BTreeMap;

use crate::store::{ReadTable, WriteTxn};
use chrono::{Days, NaiveTime};

use super::card::{Card, OwnedCard, index_terms};
use super::model::{Job, JobId, Location};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::geo::grid;
use crate::jobs::tables::{
    JOB_BY_PUBLISHED, JOB_CARDS, JOB_CELLS, JOB_COUNTERS, JOB_REMOTE_CARDS, JOB_TERM_DOCS, JOB_TERMS,
};
use crate::store::Reader;

/// Index statistics for BM25.
pub(crate) struct Corpus {
    pub docs: u64,
    pub average_length: f64,
}

/// The inverted-index entries of postings added in one transaction, written once at its end
/// in key order (each B-tree page is then visited once), with each term's document count read
/// and written once per batch instead of once per posting.
#[derive(Default)]
pub(crate) struct PendingStats {
    postings: Vec<(String, JobId, u32)>,
    term_docs: BTreeMap<String, u64>,
    docs: i64,
    length: i64,
}

impl PendingStats {
    /// Writes the counts into the index (call once, before the transaction commits).
    pub(crate) fn write(self, txn: &WriteTxn) -> Result<()> {
        if self.docs == 0 {
            return Ok(());
        }
        let mut postings = self.postings;
        postings.sort_unstable();
        let mut table = txn.open_table(JOB_TERMS)?;
        for (term, job, tf) in &postings {
            table.insert((term.as_str(), *job), *tf)?;
        }
        let mut docs = txn.open_table(JOB_TERM_DOCS)?;
        for (term, added) in &self.term_docs {
            let n = docs.get(term.as_str())?.map_or(0, |v| v.value());
            docs.insert(term.as_str(), n + added)?;
        }
        bump_counters(txn, self.docs, self.length)
    }
}

/// Adds a published posting to every index, leaving its term statistics in `stats`; returns
/// its card bytes (for the alerts).
pub(crate) fn add(txn: &WriteTxn, job: &Job, stats: &mut PendingStats) -> Result<Vec<u8>> {
    let published = job.published_at.ok_or_else(|| internal(job, "has no publication time"))?;
    let terms = index_terms(job);
    let length: u32 = terms.iter().map(|(_, tf)| *tf).sum();
    let owned = OwnedCard::of(job, &terms);
    let card = owned.card(job, published.timestamp_micros(), expiry_micros(job)?, length);
    let bytes = card.encode()?;
    txn.open_table(JOB_CARDS)?.insert(job.id, bytes.as_slice())?;
    match &job.location {
        Location::OnSite { coordinates, .. } => {
            txn.open_table(JOB_CELLS)?.insert((grid::cell_of(*coordinates), job.id), bytes.as_slice())?;
        }
        Location::Remote => {
            txn.open_table(JOB_REMOTE_CARDS)?.insert(job.id, bytes.as_slice())?;
        }
    }
    txn.open_table(JOB_BY_PUBLISHED)?.insert((card.published, job.id), ())?;
    for (term, tf) in terms {
        *stats.term_docs.entry(term.clone()).or_default() += 1;
        stats.postings.push((term, job.id, tf));
    }
    stats.docs += 1;
    stats.length += i64::from(length);
    Ok(bytes)
}

/// Removes a posting from every index (when it is withdrawn, filled or edited).
pub(crate) fn remove(txn: &WriteTxn, job: &Job) -> Result<()> {
    let Some(bytes) = txn.open_table(JOB_CARDS)?.remove(job.id)?.map(|v| v.value().to_vec()) else {
        return Ok(());
    };
    let card = Card::decode(&bytes)?;
    match card.coordinates() {
        Some(point) => {
            txn.open_table(JOB_CELLS)?.remove((grid::cell_of(point), job.id))?;
        }
        None => {
            txn.open_table(JOB_REMOTE_CARDS)?.remove(job.id)?;
        }
    }
    txn.open_table(JOB_BY_PUBLISHED)?.remove((card.published, job.id))?;
    let mut postings = txn.open_table(JOB_TERMS)?;
    let mut docs = txn.open_table(JOB_TERM_DOCS)?;
    // The terms are recomputed from the record, which is unchanged since it was indexed.
    for (term, _) in index_terms(job) {
        if postings.remove((term.as_str(), job.id))?.is_none() {
            continue;
        }
        let n = docs.get(term.as_str())?.map_or(0, |v| v.value());
        match n {
            0 | 1 => docs.remove(term.as_str())?,
            n => docs.insert(term.as_str(), n - 1)?,
        };
    }
    bump_counters(txn, -1, -i64::from(card.length))
}

/// The number of indexed postings and their mean length.
pub(crate) fn corpus(txn: &impl Reader) -> Result<Corpus> {
    let counters = txn.table(JOB_COUNTERS)?;
    let docs = counters.get("docs")?.map_or(0, |v| v.value());
    let terms = counters.get("terms")?.map_or(0, |v| v.value());
    Ok(Corpus { docs, average_length: if docs == 0 { 1.0 } else { terms as f64 / docs as f64 } })
}

/// How many indexed postings contain `term`.
pub(crate) fn document_frequency(txn: &impl Reader, term: &str) -> Result<u64> {
    Ok(txn.table(JOB_TERM_DOCS)?.get(term)?.map_or(0, |v| v.value()))
}

/// The first instant (µs) a published posting is no longer shown: the day after its expiry
/// date, at midnight UTC.
pub(crate) fn expiry_micros(job: &Job) -> Result<i64> {
    let day = job.expires_on.ok_or_else(|| internal(job, "is published without an expiry date"))?;
    let next = day.checked_add_days(Days::new(1)).ok_or_else(|| internal(job, "expires at the end of time"))?;
    Ok(next.and_time(NaiveTime::MIN).and_utc().timestamp_micros())
}

/// Whether a published posting has expired at `now`.
pub(crate) fn has_expired(job: &Job, now: Timestamp) -> bool {
    expiry_micros(job).is_ok_and(|end| now.timestamp_micros() >= end)
}

fn bump_counters(txn: &WriteTxn, docs: i64, terms: i64) -> Result<()> {
    let mut counters = txn.open_table(JOB_COUNTERS)?;
    for (key, delta) in [("docs", docs), ("terms", terms)] {
        let now = counters.get(key)?.map_or(0, |v| v.value());
        counters.insert(key, now.saturating_add_signed(delta))?;
    }
    Ok(())
}

fn internal(job: &Job, what: &str) -> Error {
    Error::Internal { detail: format!("job {} {what}", job.id) }
}
