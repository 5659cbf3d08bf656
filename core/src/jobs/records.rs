//! Reads of the job board's tables that its figures need (the older files still open their
//! tables in place; new reads come here, see the architecture test).

pub(crate) mod personal;

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use serde::de::DeserializeOwned;

use super::model::JobId;
use super::seekers::SeekerProfile;
use super::tables::{JOB_VIEWS, JOBS, JOBS_BY_ORG, SEEKERS};
use crate::error::Result;
use crate::orgs::OrgId;
use crate::store::{ReadTable, Reader, WriteTxn, decode, encode};

/// The organisation of every posting.
pub(crate) fn org_of_postings(txn: &impl Reader) -> Result<BTreeMap<JobId, OrgId>> {
    let mut out = BTreeMap::new();
    for row in txn.table(JOBS_BY_ORG)?.iter()? {
        let (org, job) = row?.0.value();
        out.insert(job, org);
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
            out.push((job, month, views.value()));
        }
    }
    Ok(out)
}

/// Every posting, decoded as `T`: a struct of the few fields a caller needs, the rest of the
/// record skipped while decoding.
pub(crate) fn every_posting_as<T: DeserializeOwned>(txn: &impl Reader) -> Result<Vec<T>> {
    let mut out = Vec::new();
    for row in txn.table(JOBS)?.iter()? {
        let (id, bytes) = row?;
        out.push(decode(bytes.value(), || format!("job posting {}", id.value()))?);
    }
    Ok(out)
}

/// Writes a seeker profile (its account is the key).
pub(crate) fn save_seeker(txn: &WriteTxn, profile: &SeekerProfile) -> Result<()> {
    txn.open_table(SEEKERS)?.insert(profile.account, encode(profile)?.as_slice())?;
    Ok(())
}
