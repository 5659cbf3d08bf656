//! How the job board is stored. This module and its children are the only ones that open the
//! domain's tables; the operations call the domain-named functions here.
//!
//! - here: posting records, each organisation's list of postings, monthly view counters, the
//!   employers' references, and the schema migration of the remote postings' cards;
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

use serde::de::DeserializeOwned;

use super::model::{Job, JobId};
use super::tables::{JOB_CARDS, JOB_REFS, JOB_REMOTE_CARDS, JOB_VIEWS, JOBS, JOBS_BY_ORG};
use crate::error::{Error, Result};
use crate::orgs::OrgId;
use crate::store::{ReadTable, ReadTxn, Reader, Table, WriteTxn, compact_records, decode, encode};

/// The stored record of a posting (its state as stored, not as of now), if there is one.
pub(crate) fn posting(txn: &impl Reader, id: JobId) -> Result<Option<Job>> {
    let table = txn.table(JOBS)?;
    let Some(row) = table.get(id.0)? else { return Ok(None) };
    Ok(Some(decode(row.value(), || format!("job {id}"))?))
}

/// Writes a posting's record, new or changed.
pub(crate) fn save_posting(txn: &WriteTxn, job: &Job) -> Result<()> {
    txn.open_table(JOBS)?.insert(job.id.0, encode(job)?.as_slice())?;
    Ok(())
}

/// Lists a new posting under its organisation.
pub(crate) fn list_under_org(txn: &WriteTxn, job: &Job) -> Result<()> {
    txn.open_table(JOBS_BY_ORG)?.insert((job.org, job.id.0), ())?;
    Ok(())
}

/// The ids of every posting of `org`, in id order.
pub(crate) fn postings_of_org(txn: &impl Reader, org: OrgId) -> Result<Vec<JobId>> {
    txn.table(JOBS_BY_ORG)?.range((org, 0)..=(org, u64::MAX))?.map(|row| row.map(|(k, _)| JobId(k.value().1))).collect()
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
        out.insert(JobId(job), org);
    }
    Ok(out)
}

/// Every posting, decoded as `T`: [`Job`], or the shape an older version stored (the compact
/// form does not read as a struct of some of the fields; see `crate::store::codec`).
pub(crate) fn every_posting_as<T: DeserializeOwned>(txn: &impl Reader) -> Result<Vec<T>> {
    let mut out = Vec::new();
    for row in txn.table(JOBS)?.iter()? {
        let (id, bytes) = row?;
        out.push(decode(bytes.value(), || format!("job posting {}", id.value()))?);
    }
    Ok(out)
}

/// Counts one view of posting `id` in `month` (YYYYMM), and one in the month's total of all
/// postings (row 0).
pub(crate) fn count_view(txn: &WriteTxn, id: JobId, month: u32) -> Result<()> {
    let mut views = txn.open_table(JOB_VIEWS)?;
    for key in [(id.0, month), (0, month)] {
        let n = views.get(key)?.map_or(0, |v| v.value());
        views.insert(key, n + 1)?;
    }
    Ok(())
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
    Ok(txn.open_table(JOB_REFS)?.get((org, reference))?.map(|id| JobId(id.value())))
}

/// Files posting `id` under `org`'s `reference`.
pub(crate) fn file_ref(txn: &WriteTxn, org: OrgId, reference: &str, id: JobId) -> Result<()> {
    txn.open_table(JOB_REFS)?.insert((org, reference), id.0)?;
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
            remote_cards.insert(id, card.value())?;
        }
    }
    txn.delete_table(JOB_REMOTE_V3)?;
    Ok(())
}

/// Version 12: the postings in the compact record form.
pub(crate) fn compact_records_v12(txn: &WriteTxn) -> Result<()> {
    compact_records::<u64, Job>(txn, JOBS, "job posting").map(drop)
}
