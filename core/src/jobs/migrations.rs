//! How the job board came to its current shape.

use super::tables::{JOB_CARDS, JOB_REMOTE_CARDS};
use crate::error::{Error, Result};
use crate::store::{Migration, ReadTable, Table, WriteTxn};

/// The job board's migrations (see [`crate::store::Migration`]). Versions 2 and 3 only added
/// tables; version 4 moved the remote postings' cards.
pub(crate) fn migrate(txn: &WriteTxn, migration: &Migration) -> Result<()> {
    if migration.predates(4) {
        v3_to_v4(txn)?;
    }
    Ok(())
}

/// Version 3's index of published remote postings: ids only.
const JOB_REMOTE_V3: Table<u64, ()> = Table::new("job_remote");

/// Files the card of every published remote posting under `job_remote_cards` and drops
/// `job_remote`. A file older than version 2 has no such table: opening it creates it empty.
fn v3_to_v4(txn: &WriteTxn) -> Result<()> {
    let ids: Vec<u64> = {
        let remote = txn.open_table(JOB_REMOTE_V3)?;
        remote.iter()?.map(|row| row.map(|(id, _)| id.value())).collect::<Result<_, _>>()?
    };
    {
        let cards = txn.open_table(JOB_CARDS)?;
        let mut remote_cards = txn.open_table(JOB_REMOTE_CARDS)?;
        for id in ids {
            let card = cards
                .get(id)?
                .ok_or_else(|| Error::storage(format!("remote job posting {id} is indexed but has no search card")))?;
            remote_cards.insert(id, card.value())?;
        }
    }
    txn.delete_table(JOB_REMOTE_V3)?;
    Ok(())
}
