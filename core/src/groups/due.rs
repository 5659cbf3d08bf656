//! The directory's share of [`crate::Platform::tick`]: contact requests older than the
//! retention period are deleted with their index rows (they are personal data).

use chrono::Duration;

use super::records;
use crate::clock::Timestamp;
use crate::error::Result;
use crate::store::{Due, WriteTxn};

/// Requests one transaction purges; the scheduler runs again while a batch was full.
const BATCH: usize = 500;

pub(crate) fn tick(txn: &WriteTxn, now: Timestamp, due: &mut Due) -> Result<()> {
    let days = records::settings(txn)?.request_retention_days;
    let cutoff = now - Duration::days(i64::from(days));
    let old = records::requests_before(txn, cutoff, BATCH)?;
    for id in &old {
        records::delete_request(txn, *id)?;
    }
    due.count("contact requests purged", old.len() as u64);
    due.more |= old.len() == BATCH;
    Ok(())
}
