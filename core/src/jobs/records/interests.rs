//! How interest in postings is stored: each interest as a record, the interest each posting
//! received ((posting, interest) → ()), and each seeker's one interest per posting ((seeker,
//! posting) → interest).

use super::super::interest::{Interest, InterestId};
use super::super::model::JobId;
use super::super::tables::{INTERESTS, INTERESTS_BY_JOB, INTERESTS_BY_SEEKER};
use crate::error::{Error, Result};
use crate::ids::AccountId;
use crate::store::{ReadTable, Reader, WriteTxn, decode, encode};

/// Loads an interest; `NotFound` when there is none.
pub(crate) fn load(txn: &impl Reader, id: InterestId) -> Result<Interest> {
    let table = txn.table(INTERESTS)?;
    let row = table.get(id)?.ok_or_else(|| Error::not_found("interest", id))?;
    decode(row.value(), || format!("interest {id}"))
}

/// Writes an interest's record, new or with a new status.
pub(crate) fn save(txn: &WriteTxn, interest: &Interest) -> Result<()> {
    txn.open_table(INTERESTS)?.insert(interest.id, encode(interest)?.as_slice())?;
    Ok(())
}

/// Lists a new interest under its posting and its seeker.
pub(crate) fn list(txn: &WriteTxn, interest: &Interest) -> Result<()> {
    txn.open_table(INTERESTS_BY_JOB)?.insert((interest.job.0, interest.id), ())?;
    txn.open_table(INTERESTS_BY_SEEKER)?.insert((interest.seeker, interest.job.0), interest.id)?;
    Ok(())
}

/// Removes an interest with its two list entries.
pub(crate) fn delete(txn: &WriteTxn, interest: &Interest) -> Result<()> {
    txn.open_table(INTERESTS)?.remove(interest.id)?;
    txn.open_table(INTERESTS_BY_JOB)?.remove((interest.job.0, interest.id))?;
    txn.open_table(INTERESTS_BY_SEEKER)?.remove((interest.seeker, interest.job.0))?;
    Ok(())
}

/// The interest `seeker` marked in `job`, if any.
pub(crate) fn of_seeker_in(txn: &impl Reader, seeker: AccountId, job: JobId) -> Result<Option<InterestId>> {
    Ok(txn.table(INTERESTS_BY_SEEKER)?.get((seeker, job.0))?.map(|id| id.value()))
}

/// The ids of the interest posting `job` received, oldest first.
pub(crate) fn of_job(txn: &impl Reader, job: JobId) -> Result<Vec<InterestId>> {
    txn.table(INTERESTS_BY_JOB)?.range((job.0, 0)..=(job.0, u64::MAX))?.map(|r| r.map(|(k, _)| k.value().1)).collect()
}

/// The ids of `seeker`'s interests, by posting.
pub(crate) fn of_seeker(txn: &impl Reader, seeker: AccountId) -> Result<Vec<InterestId>> {
    txn.table(INTERESTS_BY_SEEKER)?
        .range((seeker, 0)..=(seeker, u64::MAX))?
        .map(|r| r.map(|(_, v)| v.value()))
        .collect()
}

/// `seeker`'s interests that still read, oldest first (a missing record is skipped).
pub(crate) fn interests_of(txn: &impl Reader, seeker: AccountId) -> Result<Vec<Interest>> {
    let ids = of_seeker(txn, seeker)?;
    let table = txn.table(INTERESTS)?;
    let mut found = Vec::new();
    for id in ids {
        if let Some(row) = table.get(id)? {
            found.push(decode(row.value(), || format!("interest {id}"))?);
        }
    }
    found.sort_by_key(|i: &Interest| i.id);
    Ok(found)
}
