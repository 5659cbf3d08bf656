//! Keeping the search indexes of published postings: cards by id, by grid cell and (remote
//! postings) in a table of their own, publication order, and the inverted text index with its
//! term statistics.
//! Called only inside the transaction that changes the posting, so index and record agree.
//! What is written where is [`records::cards`]'s; this module decides what goes in.

use std::collections::BTreeMap;

use crate::store::WriteTxn;
use chrono::{Days, NaiveTime};

use super::card::{Card, OwnedCard, index_terms};
use super::model::{Job, JobId, Location};
use super::records::cards::{self, Placement};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::geo::grid;
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
        cards::add_postings(txn, &postings, &self.term_docs)?;
        cards::add_to_counters(txn, self.docs, self.length)
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
    let placement = match &job.location {
        Location::OnSite { coordinates, .. } => Placement::Cell(grid::cell_of(*coordinates)),
        Location::Remote => Placement::Remote,
    };
    cards::file(txn, job.id, placement, card.published, &bytes)?;
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
    let Some(bytes) = cards::take(txn, job.id)? else {
        return Ok(());
    };
    let card = Card::decode(&bytes)?;
    let placement = card.coordinates().map_or(Placement::Remote, |point| Placement::Cell(grid::cell_of(point)));
    cards::unfile(txn, job.id, placement, card.published)?;
    // The terms are recomputed from the record, which is unchanged since it was indexed.
    cards::remove_postings(txn, job.id, index_terms(job).into_iter().map(|(term, _)| term))?;
    cards::add_to_counters(txn, -1, -i64::from(card.length))
}

/// The number of indexed postings and their mean length.
pub(crate) fn corpus(txn: &impl Reader) -> Result<Corpus> {
    let (docs, terms) = cards::counters(txn)?;
    Ok(Corpus { docs, average_length: if docs == 0 { 1.0 } else { terms as f64 / docs as f64 } })
}

/// How many indexed postings contain `term`.
pub(crate) fn document_frequency(txn: &impl Reader, term: &str) -> Result<u64> {
    cards::document_frequency(txn, term)
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

fn internal(job: &Job, what: &str) -> Error {
    Error::Internal { detail: format!("job {} {what}", job.id) }
}
