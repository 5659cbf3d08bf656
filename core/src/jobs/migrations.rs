//! How the job board came to its current shape.

use super::records;
use crate::error::Result;
use crate::store::{Migration, WriteTxn};

/// The job board's migrations (see [`crate::store::Migration`]). Versions 2 and 3 only added
/// tables; version 4 moved the remote postings' cards ([`records::move_remote_cards_v4`]); version 12
/// rewrote the postings compactly ([`records::compact_records_v12`]); version 17 counted the
/// published postings and the views per organisation for the reports
/// ([`records::count_postings_v17`]); version 18 moved the text index onto the shared appending
/// index ([`records::cards::index_into_blocks_v18`]); version 19 sealed the seeker profiles and
/// the saved searches' names under their people's keys; version 25 the notes on interests
/// under their seekers' keys; version 29 gave the published postings' search cards their ends
/// ([`super::finding::hint_search_cards_v29`]).
pub(crate) fn migrate(txn: &WriteTxn, migration: &Migration) -> Result<()> {
    if migration.predates(4) {
        records::move_remote_cards_v4(txn)?;
    }
    if migration.predates(12) {
        records::compact_records_v12(txn)?;
    }
    if migration.predates(17) {
        records::count_postings_v17(txn)?;
    }
    if migration.predates(18) {
        records::cards::index_into_blocks_v18(txn, &super::index::INDEX)?;
    }
    if migration.predates(19) {
        records::seekers::seal_profiles_v19(txn)?;
        records::alerts::seal_names_v19(txn)?;
        super::alerts::unname_filed_v19(txn)?;
    }
    if migration.predates(25) {
        records::interests::seal_notes_v25(txn)?;
    }
    if migration.predates(29) {
        super::finding::hint_search_cards_v29(txn)?;
    }
    Ok(())
}
