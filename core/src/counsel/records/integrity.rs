//! Counselling's part of [`crate::Platform::integrity`]: every enquiry record reads, has its
//! case code and wrapped data key, and sits in exactly the indexes its state calls for — the
//! team queues while new, its counsellor's caseload while claimed and open, the due list while
//! it waits for a first response, the closed list once closed. Rows no record accounts for are
//! reported too (they are counted against what the records expect).

use crate::store::ReadTable;

use super::{EnquiryRecord, queue_key};
use crate::counsel::model::EnquiryState;
use crate::counsel::tables::{
    COUNSEL_CASELOAD, COUNSEL_CLOSED, COUNSEL_CODES, COUNSEL_DUE, COUNSEL_ENQUIRIES, COUNSEL_KEYS, COUNSEL_QUEUE,
};
use crate::error::Result;
use crate::store::{Reader, decode};

/// How many rows each index should hold, by the records.
#[derive(Default)]
struct Expected {
    queue: u64,
    caseload: u64,
    due: u64,
    closed: u64,
}

/// Checks the counselling tables, noting every disagreement in `problems`.
pub(crate) fn check_integrity(txn: &impl Reader, problems: &mut Vec<String>) -> Result<()> {
    let mut expected = Expected::default();
    let mut enquiries = 0;
    for row in txn.table(COUNSEL_ENQUIRIES)?.iter()? {
        let (id, bytes) = row?;
        enquiries += 1;
        match decode::<EnquiryRecord>(bytes.value(), || format!("enquiry {}", id.value())) {
            Ok(record) => check_enquiry(txn, &record, &mut expected, problems)?,
            Err(e) => problems.push(e.to_string()),
        }
    }
    let found = [
        ("team queues", txn.table(COUNSEL_QUEUE)?.len()?, expected.queue),
        ("caseloads", txn.table(COUNSEL_CASELOAD)?.len()?, expected.caseload),
        ("due list", txn.table(COUNSEL_DUE)?.len()?, expected.due),
        ("closed list", txn.table(COUNSEL_CLOSED)?.len()?, expected.closed),
        ("case codes", txn.table(COUNSEL_CODES)?.len()?, enquiries),
    ];
    for (index, rows, wanted) in found {
        if rows != wanted {
            problems.push(format!("the counselling {index} hold {rows} rows; the enquiries account for {wanted}"));
        }
    }
    Ok(())
}

fn check_enquiry(
    txn: &impl Reader,
    record: &EnquiryRecord,
    expected: &mut Expected,
    problems: &mut Vec<String>,
) -> Result<()> {
    let id = record.id;
    let mut missing = |what: &str| problems.push(format!("enquiry {id} is missing from {what}"));
    if txn.table(COUNSEL_CODES)?.get(record.case_code.as_str())?.map(|v| v.value()) != Some(id) {
        missing("the case codes");
    }
    if txn.table(COUNSEL_KEYS)?.get(id)?.is_none() {
        missing("the wrapped data keys");
    }
    let closed = record.is_closed();
    if record.state == EnquiryState::New {
        let queue = txn.table(COUNSEL_QUEUE)?;
        for org in &record.queues {
            expected.queue += 1;
            if queue.get(queue_key(record, *org))?.is_none() {
                missing(&format!("the team queue of organisation {org}"));
            }
        }
    }
    if let Some(counsellor) = record.counsellor.filter(|_| !closed) {
        expected.caseload += 1;
        if txn.table(COUNSEL_CASELOAD)?.get((counsellor.0, id))?.is_none() {
            missing(&format!("the caseload of account {counsellor}"));
        }
    }
    if !closed && record.first_response_at.is_none() {
        expected.due += 1;
        if txn.table(COUNSEL_DUE)?.get((record.due_at.timestamp_micros(), id))?.is_none() {
            missing("the due list");
        }
    }
    if let Some(at) = record.closed_at.filter(|_| closed) {
        expected.closed += 1;
        if txn.table(COUNSEL_CLOSED)?.get((at.timestamp_micros(), id))?.is_none() {
            missing("the closed list");
        }
    }
    Ok(())
}
