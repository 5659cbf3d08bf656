//! How the job board is stored. This module and its children are the only ones that open the
//! domain's tables; the operations call the domain-named functions here.
//!
//! - here: posting records, each organisation's list of postings, monthly view counters (per
//!   posting and per organisation), the monthly counters of published postings by
//!   organisation, contract and region (kept in step with every write of a posting), the
//!   employers' references, and the schema migrations of the remote postings' cards and of
//!   the counters;
//! - [`cards`]: the search indexes of published postings (cards by id, grid cell, remote,
//!   publication order) and the inverted text index with its statistics;
//! - [`alerts`]: saved searches, their owners' lists and the alert indexes;
//! - [`interests`]: interest in postings, by posting and by seeker;
//! - [`seekers`]: seeker profiles;
//! - [`integrity`]: the check that every index agrees with the records;
//! - [`personal`]: a person's part for an export or erasure.

pub(crate) mod alerts;
pub(crate) mod cards;
pub(crate) mod integrity;
pub(crate) mod interests;
pub(crate) mod personal;
pub(crate) mod seekers;

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use super::figures::Tally;
use super::model::{Job, JobId};
use super::tables::{
    JOB_CARDS, JOB_ORG_VIEWS, JOB_POSTING_COUNTS, JOB_REFS, JOB_REMOTE_CARDS, JOB_TALLIED, JOB_VIEWS, JOBS, JOBS_BY_ORG,
};
use crate::error::{Error, Result};
use crate::orgs::OrgId;
use crate::store::{ReadTable, ReadTxn, Reader, Table, WriteTxn, compact_records, decode, encode};

/// The stored record of a posting (its state as stored, not as of now), if there is one.
pub(crate) fn posting(txn: &impl Reader, id: JobId) -> Result<Option<Job>> {
    let table = txn.table(JOBS)?;
    let Some(row) = table.get(id.0)? else { return Ok(None) };
    Ok(Some(decode(row.value(), || format!("job {id}"))?))
}

/// Writes a posting's record, new or changed, and keeps the posting counters in step with it.
pub(crate) fn save_posting(txn: &WriteTxn, job: &Job) -> Result<()> {
    txn.open_table(JOBS)?.put(job.id.0, encode(job)?.as_slice())?;
    tally(txn, job.id, Tally::of(job))
}

/// Moves posting `id` in the counters of published postings from where it counted (kept in
/// `job_tallied`, so no old record is decoded) to where it counts now (`None`: nowhere, a
/// draft). A counter that falls to zero is removed, so the counters hold exactly what the
/// postings add up to.
fn tally(txn: &WriteTxn, id: JobId, now: Option<Tally>) -> Result<()> {
    let mut tallied = txn.open_table(JOB_TALLIED)?;
    let before = tallied.get(id.0)?.map(|row| tally_from(row.value()));
    if before == now {
        return Ok(());
    }
    let mut counts = txn.open_table(JOB_POSTING_COUNTS)?;
    for (tally, step) in before.iter().map(|t| (t, -1)).chain(now.iter().map(|t| (t, 1))) {
        for (dimension, key) in
            [(super::figures::CONTRACT, tally.contract.as_str()), (tally.place.0, tally.place.1.as_str())]
        {
            let row = (tally.month, tally.org.0, dimension, key);
            let n = counts.get(row)?.map_or(0, |v| v.value());
            let n = n.checked_add_signed(step).ok_or_else(|| {
                Error::storage(format!("job posting counter of {}/{} would fall below zero", tally.month, tally.org))
            })?;
            if n == 0 {
                counts.delete(row)?;
            } else {
                counts.put(row, n)?;
            }
        }
    }
    match &now {
        Some(t) => drop(tallied.insert(id.0, (t.month, t.org.0, t.contract.as_str(), t.place.0, t.place.1.as_str()))?),
        None => drop(tallied.remove(id.0)?),
    }
    Ok(())
}

/// A `job_tallied` row as a [`Tally`].
fn tally_from((month, org, contract, dimension, key): (u32, u64, &str, &str, &str)) -> Tally {
    let dimension = if dimension == super::figures::HOME { super::figures::HOME } else { super::figures::REGION };
    Tally { month, org: OrgId(org), contract: contract.to_string(), place: (dimension, key.to_string()) }
}

/// The integrity check of the report counters: each posting's `job_tallied` entry is where
/// its record says it counts (`tallies`: every posting's, from the check's one reading of the
/// records), the posting counters are their sums, and the organisations' views the sums of
/// their postings' views.
fn check_report_counters(
    txn: &impl Reader,
    tallies: &[(JobId, Option<Tally>)],
    problems: &mut Vec<String>,
) -> Result<()> {
    let tallied = txn.table(JOB_TALLIED)?;
    let mut expected: BTreeMap<(u32, u64, String, String), u64> = BTreeMap::new();
    let mut published = 0;
    for (id, tally) in tallies {
        let stored = tallied.get(id.0)?.map(|row| tally_from(row.value()));
        if stored != *tally {
            problems.push(format!("job {id} counts in the reports other than its record says"));
        }
        if let Some(t) = tally {
            published += 1;
            for (dimension, key) in [(super::figures::CONTRACT, &t.contract), (t.place.0, &t.place.1)] {
                *expected.entry((t.month, t.org.0, dimension.to_string(), key.clone())).or_default() += 1;
            }
        }
    }
    if tallied.len()? != published {
        problems.push(format!("the report counters list {} postings; {published} were published", tallied.len()?));
    }
    let mut counted = BTreeMap::new();
    for row in txn.table(JOB_POSTING_COUNTS)?.iter()? {
        let (key, n) = row?;
        let (month, org, dimension, category) = key.value();
        counted.insert((month, org, dimension.to_string(), category.to_string()), n.value());
    }
    if counted != expected {
        problems.push("the counters of published job postings do not add up to the postings".into());
    }
    let org_of = org_of_postings(txn)?;
    let mut views: BTreeMap<(u32, OrgId), u64> = BTreeMap::new();
    for (job, month, n) in views_in(txn, &(0..=u32::MAX))? {
        *views.entry((month, org_of.get(&job).copied().unwrap_or(OrgId(0)))).or_default() += n;
    }
    if org_views_in(txn, &(0..=u32::MAX))?.into_iter().map(|(m, o, n)| ((m, o), n)).collect::<BTreeMap<_, _>>() != views
    {
        problems.push("the job views per organisation do not add up to the postings' views".into());
    }
    Ok(())
}

/// (month, organisation, dimension, key, postings): one counter of published postings.
pub(crate) type PostingCount = (u32, OrgId, String, String, u64);

/// (month, organisation, dimension, key, postings) of every posting counter of `months`:
/// postings first published in the month, by contract (`contract`) and by region (`region`,
/// or `home` for those counted under the organisation's home region).
pub(crate) fn posting_counts_in(txn: &impl Reader, months: &RangeInclusive<u32>) -> Result<Vec<PostingCount>> {
    let mut out = Vec::new();
    for row in txn.table(JOB_POSTING_COUNTS)?.range((*months.start(), 0, "", "")..)? {
        let (key, n) = row?;
        let (month, org, dimension, category) = key.value();
        if month > *months.end() {
            break;
        }
        out.push((month, OrgId(org), dimension.to_string(), category.to_string(), n.value()));
    }
    Ok(out)
}

/// Lists a new posting under its organisation.
pub(crate) fn list_under_org(txn: &WriteTxn, job: &Job) -> Result<()> {
    txn.open_table(JOBS_BY_ORG)?.put((job.org.0, job.id.0), ())?;
    Ok(())
}

/// The ids of every posting of `org`, in id order.
pub(crate) fn postings_of_org(txn: &impl Reader, org: OrgId) -> Result<Vec<JobId>> {
    txn.table(JOBS_BY_ORG)?
        .range((org.0, 0)..=(org.0, u64::MAX))?
        .map(|row| row.map(|(k, _)| JobId(k.value().1)))
        .collect()
}

/// Visits every stored posting in id order (read one at a time).
pub(crate) fn each_posting(txn: &impl Reader, mut visit: impl FnMut(Job) -> Result<()>) -> Result<()> {
    for row in txn.table(JOBS)?.iter()? {
        let (id, bytes) = row?;
        visit(decode(bytes.value(), || format!("job {}", id.value()))?)?;
    }
    Ok(())
}

/// The organisation of every posting.
pub(crate) fn org_of_postings(txn: &impl Reader) -> Result<BTreeMap<JobId, OrgId>> {
    let mut out = BTreeMap::new();
    for row in txn.table(JOBS_BY_ORG)?.iter()? {
        let (org, job) = row?.0.value();
        out.insert(JobId(job), OrgId(org));
    }
    Ok(out)
}

/// Every posting, decoded as `T`: [`Job`], or the shape an older version stored (the compact
/// form does not read as a struct of some of the fields; see `crate::store::codec`). Only the
/// codec comparison and the figures' reference test read them all at once.
#[cfg(any(test, feature = "bench-support"))]
pub(crate) fn every_posting_as<T: serde::de::DeserializeOwned>(txn: &impl Reader) -> Result<Vec<T>> {
    let mut out = Vec::new();
    for row in txn.table(JOBS)?.iter()? {
        let (id, bytes) = row?;
        out.push(decode(bytes.value(), || format!("job posting {}", id.value()))?);
    }
    Ok(out)
}

/// Counts one view of posting `job` in `month` (YYYYMM), one in the month's total of all
/// postings (row 0), and one in its organisation's month (for the reports).
pub(crate) fn count_view(txn: &WriteTxn, job: &Job, month: u32) -> Result<()> {
    let mut views = txn.open_table(JOB_VIEWS)?;
    for key in [(job.id.0, month), (0, month)] {
        let n = views.get(key)?.map_or(0, |v| v.value());
        views.put(key, n + 1)?;
    }
    let mut by_org = txn.open_table(JOB_ORG_VIEWS)?;
    let n = by_org.get((month, job.org.0))?.map_or(0, |v| v.value());
    by_org.put((month, job.org.0), n + 1)?;
    Ok(())
}

/// (month, organisation, views) of every organisation's postings viewed in `months`;
/// organisation 0 holds views of postings no organisation lists (see [`count_views_v17`]).
pub(crate) fn org_views_in(txn: &impl Reader, months: &RangeInclusive<u32>) -> Result<Vec<(u32, OrgId, u64)>> {
    let range = (*months.start(), 0)..=(*months.end(), u64::MAX);
    txn.table(JOB_ORG_VIEWS)?
        .range(range)?
        .map(|row| {
            let (key, views) = row?;
            let (month, org) = key.value();
            Ok((month, OrgId(org), views.value()))
        })
        .collect()
}

/// (month as YYYYMM, views) of posting `id`, oldest first.
pub(crate) fn views_of(txn: &impl Reader, id: JobId) -> Result<Vec<(u32, u64)>> {
    let mut out = Vec::new();
    for row in txn.table(JOB_VIEWS)?.range((id.0, 0)..=(id.0, u32::MAX))? {
        let (key, views) = row?;
        out.push((key.value().1, views.value()));
    }
    Ok(out)
}

/// (posting, month, views) of every posting viewed in `months` (YYYYMM); row 0 of the views
/// table, the total of all postings, is left out.
pub(crate) fn views_in(txn: &impl Reader, months: &RangeInclusive<u32>) -> Result<Vec<(JobId, u32, u64)>> {
    let mut out = Vec::new();
    for row in txn.table(JOB_VIEWS)?.iter()? {
        let (key, views) = row?;
        let (job, month) = key.value();
        if job != 0 && months.contains(&month) {
            out.push((JobId(job), month, views.value()));
        }
    }
    Ok(out)
}

/// The posting `org` filed under `reference`, if any. Opened for writing: a file of schema 9
/// made before `job_refs` was registered gets the table here.
pub(crate) fn posting_of_ref(txn: &WriteTxn, org: OrgId, reference: &str) -> Result<Option<JobId>> {
    Ok(txn.open_table(JOB_REFS)?.get((org.0, reference))?.map(|id| JobId(id.value())))
}

/// Files posting `id` under `org`'s `reference`.
pub(crate) fn file_ref(txn: &WriteTxn, org: OrgId, reference: &str, id: JobId) -> Result<()> {
    txn.open_table(JOB_REFS)?.put((org.0, reference), id.0)?;
    Ok(())
}

/// The integrity check of the references: each names a posting of its own organisation. A
/// file without the table (see [`posting_of_ref`]) has none to check.
pub(crate) fn check_refs(txn: &ReadTxn, problems: &mut Vec<String>) -> Result<()> {
    if !txn.table_names()?.iter().any(|name| name == JOB_REFS.name()) {
        return Ok(());
    }
    for row in txn.table(JOB_REFS)?.iter()? {
        let (key, id) = row?;
        let ((org, reference), id) = (key.value(), id.value());
        if txn.table(JOBS_BY_ORG)?.get((org, id))?.is_none() {
            problems
                .push(format!("reference '{reference}' of organisation {org} names job {id}, not one of its postings"));
        }
    }
    Ok(())
}

/// Version 3's index of published remote postings: ids only.
const JOB_REMOTE_V3: Table<u64, ()> = Table::new("job_remote");

/// Schema 4: files the card of every published remote posting under `job_remote_cards` and
/// drops version 3's `job_remote`. A file older than version 2 has no such table: opening it
/// creates it empty.
pub(crate) fn move_remote_cards_v4(txn: &WriteTxn) -> Result<()> {
    let ids: Vec<u64> = {
        let remote = txn.open_table(JOB_REMOTE_V3)?;
        remote.iter()?.map(|row| row.map(|(id, _)| id.value())).collect::<Result<_, _>>()?
    };
    {
        let cards = txn.open_table(JOB_CARDS)?;
        let mut remote_cards = txn.open_table(JOB_REMOTE_CARDS)?;
        for id in ids {
            let card = cards
                .get(id)?
                .ok_or_else(|| Error::storage(format!("remote job posting {id} is indexed but has no search card")))?;
            remote_cards.put(id, card.value())?;
        }
    }
    txn.delete_table(JOB_REMOTE_V3)?;
    Ok(())
}

/// Version 17: the counters of published postings (by month, organisation, contract and
/// region) and of views by organisation, counted from what the file holds.
pub(crate) fn count_postings_v17(txn: &WriteTxn) -> Result<()> {
    let mut tallies = Vec::new();
    each_posting(txn, |job| {
        tallies.push((job.id, Tally::of(&job)));
        Ok(())
    })?;
    for (id, now) in tallies {
        tally(txn, id, now)?;
    }
    count_views_v17(txn)
}

/// Version 17: the views of each organisation's postings per month, from the views of each
/// posting; a posting no organisation lists counts under organisation 0 (the platform's).
fn count_views_v17(txn: &WriteTxn) -> Result<()> {
    let org_of = org_of_postings(txn)?;
    let mut sums: BTreeMap<(u32, u64), u64> = BTreeMap::new();
    for (job, month, views) in views_in(txn, &(0..=u32::MAX))? {
        *sums.entry((month, org_of.get(&job).map_or(0, |org| org.0))).or_default() += views;
    }
    let mut by_org = txn.open_table(JOB_ORG_VIEWS)?;
    for (key, views) in sums {
        by_org.put(key, views)?;
    }
    Ok(())
}

/// Version 12: the postings in the compact record form.
pub(crate) fn compact_records_v12(txn: &WriteTxn) -> Result<()> {
    compact_records::<u64, Job>(txn, JOBS, "job posting").map(drop)
}
