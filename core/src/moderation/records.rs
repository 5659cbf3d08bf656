//! Reads of moderation's tables that its figures need (the older files still open their tables
//! in place; new reads come here, see the architecture test).

pub(crate) mod personal;

use super::actions::LogRecord;
use super::model::LogEntry;
use crate::error::Result;
use crate::moderation::tables::MOD_LOG;
use crate::store::{ReadTable, Reader, decode};

/// Every entry of the log, oldest first (for the reports' figures).
pub(crate) fn every_action(txn: &impl Reader) -> Result<Vec<LogEntry>> {
    let mut out = Vec::new();
    for row in txn.table(MOD_LOG)?.iter()? {
        let (id, bytes) = row?;
        let record: LogRecord = decode(bytes.value(), || format!("moderation action {}", id.value()))?;
        out.push(record.entry);
    }
    Ok(out)
}
