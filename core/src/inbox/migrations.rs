//! How the inbox came to its current shape.

use super::records;
use crate::error::Result;
use crate::store::{Migration, WriteTxn};

/// The inbox's migrations (see [`crate::store::Migration`]). Version 5 moved notifications
/// from JSON to their compact stored form ([`records::compact_notifications_v5`]); version 25
/// sealed the personal ones under their recipients' keys
/// ([`records::seal_notifications_v25`]); version 34 took the thread's title out of the forum
/// ones ([`records::untitle_forum_notifications_v34`]). The step to version 5 writes the
/// current shape (sealed, untitled) at once.
pub(crate) fn migrate(txn: &WriteTxn, migration: &Migration) -> Result<()> {
    if migration.predates(5) {
        return records::compact_notifications_v5(txn);
    }
    if migration.predates(25) {
        records::seal_notifications_v25(txn)?;
    }
    if migration.predates(34) {
        records::untitle_forum_notifications_v34(txn)?;
    }
    Ok(())
}
