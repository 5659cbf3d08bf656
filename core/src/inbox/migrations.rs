//! How the inbox came to its current shape.

use super::tables::INBOX;
use super::{Notification, stored};
use crate::error::Result;
use crate::store::{Migration, ReadTable, WriteTxn, decode};

/// The inbox's migrations (see [`crate::store::Migration`]).
pub(crate) fn migrate(txn: &WriteTxn, migration: &Migration) -> Result<()> {
    if migration.predates(5) {
        compact_notifications(txn)?;
    }
    Ok(())
}

/// Version 5: inbox notifications from JSON to their compact stored form.
fn compact_notifications(txn: &WriteTxn) -> Result<()> {
    let mut inbox = txn.open_table(INBOX)?;
    let mut rewritten = Vec::new();
    for row in inbox.iter()? {
        let (key, bytes) = row?;
        let (account, id) = key.value();
        let n: Notification = decode(bytes.value(), || format!("notification {id} of account {account}"))?;
        rewritten.push(((account, id), stored::write(&n)?));
    }
    for (key, bytes) in rewritten {
        inbox.insert(key, bytes.as_slice())?;
    }
    Ok(())
}
