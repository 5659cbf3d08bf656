//! Keeping the search indexes of published postings: cards by id, by grid cell and (remote
//! postings) in a table of their own, publication order, and the text index.
//! Called only inside the transaction that changes the posting, so index and record agree.
//! What is written where is [`records::cards`]'s; this module decides what goes in.
//!
//! The text index is the shared appending index ([`crate::text_index`]) over the job board's
//! own tables, as the forums keep theirs: a posting is found by the terms of
//! [`index_terms`]; a transaction's changes wait in one open segment until the scheduler's
//! tick (or a write that finds too many open) merges them into the blocks, so a publication
//! dirties a constant number of pages instead of one per term. The search scores a posting
//! from its card, so the index serves the candidates, the document counts and the corpus.

use crate::store::{Due, WriteTxn};
use chrono::{Days, NaiveTime};

use super::card::{Card, OwnedCard, index_terms};
use super::model::{Job, Location};
use super::records::cards::{self, Placement};
use super::tables::{JOB_COUNTERS, JOB_TERM_BLOCKS, JOB_TERM_DOCS, JOB_TERM_SEGMENTS};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::geo::grid;
use crate::store::Reader;
use crate::text_index::{self, Tables};

pub(crate) use crate::text_index::{Corpus, DocTerms, Reading};

/// The job board's text index tables.
pub(crate) static INDEX: Tables = Tables {
    blocks: JOB_TERM_BLOCKS,
    term_docs: JOB_TERM_DOCS,
    counters: JOB_COUNTERS,
    segments: JOB_TERM_SEGMENTS,
    name: "job",
    open_ceiling: text_index::OPEN_CEILING,
    posting: std::marker::PhantomData,
};

/// The text index changes of one transaction, written once at its end: one open segment for
/// all the postings the transaction published, edited or took down.
#[derive(Default)]
pub(crate) struct PendingStats(text_index::Pending);

impl PendingStats {
    /// Writes the changes into the index (call once, before the transaction commits).
    pub(crate) fn write(self, txn: &WriteTxn) -> Result<()> {
        self.0.write(txn, &INDEX)
    }
}

/// Adds a published posting to every index, leaving its text index changes in `stats`;
/// returns its card bytes (for the alerts).
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
    stats.0.add(job.id.0, terms, text_index::day_of(published));
    Ok(bytes)
}

/// Removes a posting from every index (when it is withdrawn, filled or edited), its text
/// index entries through `stats` (in order with what `stats` already holds).
pub(crate) fn remove(txn: &WriteTxn, job: &Job, stats: &mut PendingStats) -> Result<()> {
    let Some(bytes) = cards::take(txn, job.id)? else {
        return Ok(());
    };
    let card = Card::decode(&bytes)?;
    let placement = card.coordinates().map_or(Placement::Remote, |point| Placement::Cell(grid::cell_of(point)));
    cards::unfile(txn, job.id, placement, card.published)?;
    // The terms are recomputed from the record, which is unchanged since it was indexed.
    stats.0.remove(job.id.0, index_terms(job));
    Ok(())
}

/// Removes a posting from every index at once (an operation that changes only this posting).
pub(crate) fn remove_now(txn: &WriteTxn, job: &Job) -> Result<()> {
    let mut stats = PendingStats::default();
    remove(txn, job, &mut stats)?;
    stats.write(txn)
}

/// A search's view of the text index for `terms`.
pub(crate) fn reading(txn: &impl Reader, terms: &[&str]) -> Result<Reading<'static>> {
    Reading::open(txn, &INDEX, terms)
}

/// The job board's scheduled work: merging the text index's open segments into its blocks,
/// a bounded batch a call.
pub(crate) fn tick(txn: &WriteTxn, _: Timestamp, due: &mut Due) -> Result<()> {
    text_index::merge_some(txn, &INDEX, "job index segments merged", due)
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

#[cfg(test)]
mod tests;
