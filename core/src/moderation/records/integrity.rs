//! Moderation's part of [`crate::Platform::integrity`].

use super::queue_key;
use crate::error::Result;
use crate::moderation::actions::LogRecord;
use crate::moderation::tables::{MOD_ITEM_TARGETS, MOD_ITEMS, MOD_LOG, MOD_QUEUE};
use crate::store::{ReadTable, Reader, decode};

/// Checks every review item against the queue and the target index, and that every log entry
/// reads, for integrity reports.
pub(crate) fn check_integrity(txn: &impl Reader, problems: &mut Vec<String>) -> Result<()> {
    let queue = txn.table(MOD_QUEUE)?;
    let targets = txn.table(MOD_ITEM_TARGETS)?;
    let mut items = 0u64;
    for row in txn.table(MOD_ITEMS)?.iter()? {
        let (id, bytes) = row?;
        let id = id.value();
        items += 1;
        match super::item_unopened(id, bytes.value()) {
            Err(e) => problems.push(e.to_string()),
            Ok(item) => {
                if queue.get(queue_key(&item))?.is_none() {
                    problems.push(format!("review item {id} is missing from the queue"));
                }
                if targets.get(item.target.key().as_str())?.map(|v| v.value()) != Some(id) {
                    problems.push(format!("review item {id} is not the item of {}", item.target));
                }
            }
        }
    }
    let queued = queue.iter()?.count() as u64;
    if queued != items {
        problems.push(format!("the review queue holds {queued} lines for {items} items"));
    }
    for row in txn.table(MOD_LOG)?.iter()? {
        let (id, bytes) = row?;
        if let Err(e) = decode::<LogRecord>(bytes.value(), || format!("moderation action {}", id.value())) {
            problems.push(e.to_string());
        }
    }
    Ok(())
}
