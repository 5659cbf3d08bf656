//! The job board's part in the one search ([`crate::search`]): a published posting is indexed
//! by its title and description in its first working language whenever it is written, and any
//! other leaves the index. A posting expires by date without being written, so whether a hit
//! is still shown is decided when searching: published (the index holds published postings
//! only) and not expired, told by the end its card carries.

use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::search::{self, SearchKind};
use crate::store::{Reader, WriteTxn};

use super::model::{Job, JobId, JobState};

/// Puts `job` (as stored) into the search index when it is published, takes it out otherwise.
pub(crate) fn index_job(txn: &WriteTxn, job: &Job) -> Result<()> {
    if job.state != JobState::Published {
        return search::index::remove(txn, SearchKind::Job, job.id.0);
    }
    search::index::put(
        txn,
        &search::Entry {
            kind: SearchKind::Job,
            id: job.id.0,
            slug: None,
            title: &job.title,
            summary: "",
            body: &job.description,
            language: job.languages.first().map_or("de", String::as_str),
            topics: &[],
            org: Some(job.org),
            gate: search::Gate::Domain,
            hint: Some(end(job)),
            keeps_text: true,
        },
    )
}

/// When `job` leaves the board, in microseconds since 1970 (`u64::MAX` for never, as
/// [`super::index::has_expired`] has it for a posting without a valid date).
pub(super) fn end(job: &Job) -> u64 {
    super::index::expiry_micros(job).map_or(u64::MAX, |end| u64::try_from(end).unwrap_or(0))
}

/// Whether posting `id` is still to be shown as a search hit at `now` (published postings are
/// public): by the `end` its card carries, or (a card from before cards had one) by its record.
pub(crate) fn visible(txn: &impl Reader, now: Timestamp, id: JobId, end: Option<u64>) -> Result<bool> {
    if let Some(end) = end {
        return Ok(u64::try_from(now.timestamp_micros()).unwrap_or(0) < end);
    }
    match super::load(txn, id, now) {
        Ok(job) => Ok(job.state == JobState::Published),
        Err(Error::NotFound { .. }) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Version 29: each published posting in the one search gets its end on its search card (as
/// [`index_job`] gives it now), so that an upgraded file's search needs no posting records.
pub(crate) fn hint_search_cards_v29(txn: &WriteTxn) -> Result<()> {
    let mut published = Vec::new();
    super::records::each_posting(txn, |job| {
        if job.state == JobState::Published {
            published.push((job.id, end(&job)));
        }
        Ok(())
    })?;
    for (id, end) in published {
        search::index::give_hint(txn, SearchKind::Job, id.0, end)?;
    }
    Ok(())
}
