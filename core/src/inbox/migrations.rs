//! How the inbox came to its current shape.

use super::records;
use crate::error::Result;
use crate::store::{Migration, WriteTxn};

/// The inbox's migrations (see [`crate::store::Migration`]). Version 5 moved notifications
/// from JSON to their compact stored form ([`records::compact_notifications_v5`]); version 25
/// sealed the personal ones under their recipients' keys
/// ([`records::seal_notifications_v25`]; the step to version 5 seals as it writes).
pub(crate) fn migrate(txn: &WriteTxn, migration: &Migration) -> Result<()> {
    if migration.predates(5) {
        records::compact_notifications_v5(txn)?;
    } else if migration.predates(25) {
        records::seal_notifications_v25(txn)?;
    }
    Ok(())
}
