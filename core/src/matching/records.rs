//! How match runs are stored: each run as one record (input, parameters, result, decisions),
//! and an index of the runs of each cohort. The only module of the domain that opens its tables.

use super::runs::{MatchRun, RunId};
use super::tables::{MATCH_RUNS, MATCH_RUNS_BY_COHORT};
use crate::error::{Error, Result};
use crate::store::{ReadTable, Reader, WriteTxn, decode, encode};

/// Loads a run; `NotFound` when there is none.
pub(crate) fn load(txn: &impl Reader, id: RunId) -> Result<MatchRun> {
    let table = txn.table(MATCH_RUNS)?;
    let row = table.get(id)?.ok_or_else(|| Error::not_found("match run", id))?;
    decode(row.value(), || format!("match run {id}"))
}

/// Writes a run's record, new or with new decisions.
pub(crate) fn save(txn: &WriteTxn, run: &MatchRun) -> Result<()> {
    txn.open_table(MATCH_RUNS)?.put(run.id, encode(run)?.as_slice())?;
    Ok(())
}

/// Files a new run under its cohort.
pub(crate) fn file_under_cohort(txn: &WriteTxn, run: &MatchRun) -> Result<()> {
    txn.open_table(MATCH_RUNS_BY_COHORT)?.put((run.cohort.as_str(), run.id), ())?;
    Ok(())
}

/// At most `count` ids of runs below `before`, newest first; of one cohort if given.
pub(crate) fn newest_before(
    txn: &impl Reader,
    cohort: Option<&str>,
    before: RunId,
    count: usize,
) -> Result<Vec<RunId>> {
    match cohort {
        Some(cohort) => {
            let index = txn.table(MATCH_RUNS_BY_COHORT)?;
            let rows = index.range((cohort, 0)..(cohort, before))?.rev().take(count);
            Ok(rows.map(|row| row.map(|(key, _)| key.value().1)).collect::<Result<_, _>>()?)
        }
        None => {
            let runs = txn.table(MATCH_RUNS)?;
            let rows = runs.range(..before)?.rev().take(count);
            Ok(rows.map(|row| row.map(|(id, _)| id.value())).collect::<Result<_, _>>()?)
        }
    }
}

/// The ids of every run of `cohort`, oldest first.
pub(crate) fn runs_of_cohort(txn: &impl Reader, cohort: &str) -> Result<Vec<RunId>> {
    txn.table(MATCH_RUNS_BY_COHORT)?
        .range((cohort, 0)..=(cohort, u64::MAX))?
        .map(|row| row.map(|(key, _)| key.value().1))
        .collect()
}
