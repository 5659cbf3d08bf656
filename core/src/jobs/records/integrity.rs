//! The job board's integrity check: every posting reads and sits in exactly the indexes its
//! stored state calls for (its card by id, by grid cell or among the remote postings, by
//! publication time, its terms in the text index); the text index's statistics agree with its
//! postings and the counters with the cards; every saved
//! search reads, is listed under its owner and is filed for alerts; and no index row points at
//! a posting or search that is gone; the report counters add up to the postings and views
//! (see [`super::check_report_counters`]).

use std::collections::{BTreeMap, BTreeSet};

use super::super::alerts::SavedSearch;
use super::super::card::{Card, index_terms};
use super::super::figures::Tally;
use super::super::index::{DocTerms, INDEX};
use super::super::model::{Job, JobId, JobState};
use super::super::tables::{
    ALERT_ANYWHERE, ALERT_CELLS, ALERT_REMOTE, JOB_BY_PUBLISHED, JOB_CARDS, JOB_CELLS, JOB_COUNTERS, JOB_REMOTE_CARDS,
    JOBS, JOBS_BY_ORG, SAVED_SEARCHES, SAVED_SEARCHES_BY_OWNER,
};
use crate::error::Result;
use crate::geo::grid;
use crate::search::{self, SearchKind};
use crate::store::{ReadTable, Reader, decode};
use crate::text_index;

/// Checks postings, cards, cells, terms and alerts; returns the number of postings.
pub(crate) fn check_integrity(txn: &impl Reader, problems: &mut Vec<String>) -> Result<u64> {
    let mut postings = 0;
    let mut indexed = Index { text: text_index::inventory(txn, &INDEX, problems)?, ..Index::default() };
    let mut tallies = Vec::new();
    for row in txn.table(JOBS)?.iter()? {
        let (id, bytes) = row?;
        let id = id.value();
        postings += 1;
        match decode::<Job>(bytes.value(), || format!("job {id}")) {
            Ok(job) => {
                check_posting(txn, &job, &mut indexed, problems)?;
                tallies.push((job.id, Tally::of(&job)));
            }
            Err(e) => problems.push(e.to_string()),
        }
    }
    check_index_sizes(txn, &indexed, problems)?;
    check_counters(txn, &indexed, problems)?;
    check_alerts(txn, problems)?;
    super::check_report_counters(txn, &tallies, problems)?;
    Ok(postings)
}

/// What the published postings add up to, and the text index's documents not yet matched
/// with a published posting.
#[derive(Default)]
struct Index {
    postings: u64,
    length: u64,
    text: BTreeMap<u64, DocTerms>,
}

/// A posting is listed under its organisation; a published one (expired postings stay
/// published in the record) has its card in every index, any other none.
fn check_posting(txn: &impl Reader, job: &Job, indexed: &mut Index, problems: &mut Vec<String>) -> Result<()> {
    let id = job.id;
    if txn.table(JOBS_BY_ORG)?.get((job.org.0, id.0))?.is_none() {
        problems.push(format!("job {id} is missing from its organisation's list"));
    }
    let card = txn.table(JOB_CARDS)?.get(id.0)?.map(|v| v.value().to_vec());
    match (job.state == JobState::Published, card) {
        (true, None) => problems.push(format!("published job {id} has no search card")),
        (false, Some(_)) => problems.push(format!("job {id} is {:?} but still has a search card", job.state)),
        (true, Some(bytes)) => {
            let card = Card::decode(&bytes)?;
            check_card(txn, id, &card, problems)?;
            let terms = index_terms(job);
            let expected = DocTerms::of(terms.iter().map(|(term, _)| term.as_str()));
            if indexed.text.remove(&id.0).unwrap_or_default() != expected {
                problems.push(format!("published job {id} is not in the text index under the terms it has"));
            }
            indexed.postings += 1;
            indexed.length += u64::from(card.length);
        }
        (false, None) => {}
    }
    check_in_search(txn, job, problems)
}

/// A posting the one search shows must be published, its card carrying the end it has.
fn check_in_search(txn: &impl Reader, job: &Job, problems: &mut Vec<String>) -> Result<()> {
    let Some(hint) = search::index::indexed(txn, SearchKind::Job)?.hint(job.id.0)? else { return Ok(()) };
    let end = super::super::finding::end(job);
    if job.state != JobState::Published || hint.is_some_and(|h| h != end) {
        problems.push(format!("job {} ({:?}, ending {end}) is in the search index ending {hint:?}", job.id, job.state));
    }
    Ok(())
}

/// The card is filed by place (or among remote postings) and by publication time.
fn check_card(txn: &impl Reader, id: JobId, card: &Card<'_>, problems: &mut Vec<String>) -> Result<()> {
    let placed = match card.coordinates() {
        Some(point) => txn.table(JOB_CELLS)?.get((grid::cell_of(point), id.0))?.is_some(),
        None => txn.table(JOB_REMOTE_CARDS)?.get(id.0)?.is_some(),
    };
    if !placed {
        let place = if card.coordinates().is_some() { "its grid cell" } else { "the remote postings" };
        problems.push(format!("published job {id} is missing from {place}"));
    }
    if txn.table(JOB_BY_PUBLISHED)?.get((card.published, id.0))?.is_none() {
        problems.push(format!("published job {id} is missing from the publication order"));
    }
    Ok(())
}

/// Each index holds as many rows as there are published postings: with every posting found
/// in it above, a surplus is a row for a posting that is gone or no longer published.
fn check_index_sizes(txn: &impl Reader, indexed: &Index, problems: &mut Vec<String>) -> Result<()> {
    let placed = txn.table(JOB_CELLS)?.len()? + txn.table(JOB_REMOTE_CARDS)?.len()?;
    let sizes = [
        ("search cards", txn.table(JOB_CARDS)?.len()?),
        ("grid cells and remote postings", placed),
        ("publication order", txn.table(JOB_BY_PUBLISHED)?.len()?),
    ];
    for (index, rows) in sizes {
        if rows != indexed.postings {
            problems.push(format!(
                "the job index of {index} holds {rows} rows for {} published postings",
                indexed.postings
            ));
        }
    }
    if let Some(job) = indexed.text.keys().next() {
        problems.push(format!(
            "the job text index holds postings of {} documents that are not published postings (job {job} first)",
            indexed.text.len()
        ));
    }
    Ok(())
}

/// The counters are the totals of the published postings' cards (each term's document count
/// is checked against the index's postings by [`text_index::inventory`]).
fn check_counters(txn: &impl Reader, indexed: &Index, problems: &mut Vec<String>) -> Result<()> {
    let counters = txn.table(JOB_COUNTERS)?;
    let docs = counters.get("docs")?.map_or(0, |v| v.value());
    let length = counters.get("terms")?.map_or(0, |v| v.value());
    if (docs, length) != (indexed.postings, indexed.length) {
        problems.push(format!(
            "the job index counters say {docs} postings of {length} terms; the cards say {} of {}",
            indexed.postings, indexed.length
        ));
    }
    Ok(())
}

/// Saved searches read, are listed under their owners and filed for alerts; every filed alert
/// and owner's entry belongs to a saved search.
fn check_alerts(txn: &impl Reader, problems: &mut Vec<String>) -> Result<()> {
    let mut filed: BTreeSet<u64> = BTreeSet::new();
    for row in txn.table(ALERT_CELLS)?.iter()? {
        filed.insert(row?.0.value().1);
    }
    for row in txn.table(ALERT_ANYWHERE)?.iter()? {
        filed.insert(row?.0.value());
    }
    let remote: BTreeSet<u64> =
        txn.table(ALERT_REMOTE)?.iter()?.map(|r| r.map(|(k, _)| k.value())).collect::<Result<_>>()?;
    let mut searches = BTreeSet::new();
    let owners = txn.table(SAVED_SEARCHES_BY_OWNER)?;
    for row in txn.table(SAVED_SEARCHES)?.iter()? {
        let (id, bytes) = row?;
        let id = id.value();
        searches.insert(id);
        let search: SavedSearch = match super::alerts::from_stored(txn, id, bytes.value()) {
            Ok(search) => search,
            Err(e) => {
                problems.push(e.to_string());
                continue;
            }
        };
        if owners.get((search.owner.0, id))?.is_none() {
            problems.push(format!("saved search {id} is missing from its owner's list"));
        }
        if !filed.contains(&id) {
            problems.push(format!("saved search {id} is not filed for alerts"));
        }
    }
    if let Some(id) = filed.union(&remote).find(|id| !searches.contains(id)) {
        problems.push(format!("an alert is filed for saved search {id}, which does not exist"));
    }
    if owners.len()? != searches.len() as u64 {
        problems.push(format!("the owners' lists hold {} saved searches; there are {}", owners.len()?, searches.len()));
    }
    Ok(())
}
