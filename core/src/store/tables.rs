//! Every table of the file, named with its schema generation, and the id sequences.

use redb::{ReadableTable, TableDefinition, WriteTransaction};

use crate::error::Result;

/// Schema version and other file-wide facts.
pub(crate) const META: TableDefinition<&str, u64> = TableDefinition::new("meta");
/// Next id per sequence name.
pub(crate) const SEQUENCES: TableDefinition<&str, u64> = TableDefinition::new("sequences");
/// Organisation id → record.
pub(crate) const ORGS: TableDefinition<u64, &[u8]> = TableDefinition::new("orgs");
/// Account id → record.
pub(crate) const ACCOUNTS: TableDefinition<u64, &[u8]> = TableDefinition::new("accounts");
/// Normalised pseudonym key → account id (the uniqueness index).
pub(crate) const ACCOUNT_BY_PSEUDONYM: TableDefinition<&str, u64> = TableDefinition::new("account_by_pseudonym");
/// Account id → password credential.
pub(crate) const CREDENTIALS: TableDefinition<u64, &[u8]> = TableDefinition::new("credentials");
/// Audit entry id → entry (append-only).
pub(crate) const AUDIT: TableDefinition<u64, &[u8]> = TableDefinition::new("audit");

/// Gazetteer: "<country> <postcode>" ("DE 10115") → place record.
pub(crate) const GEO_POSTCODES: TableDefinition<&str, &[u8]> = TableDefinition::new("geo_postcodes");
/// Gazetteer name index: "<folded place name>\u{0}<country> <postcode>" → nothing (prefix search).
pub(crate) const GEO_PLACE_NAMES: TableDefinition<&str, ()> = TableDefinition::new("geo_place_names");
/// Gazetteer: country code → what was imported for it, and when.
pub(crate) const GEO_COUNTRIES: TableDefinition<&str, &[u8]> = TableDefinition::new("geo_countries");

/// Hands out the next id of `sequence`, starting at 1.
pub(crate) fn next_id(txn: &WriteTransaction, sequence: &str) -> Result<u64> {
    let mut table = txn.open_table(SEQUENCES)?;
    let next = table.get(sequence)?.map(|v| v.value()).unwrap_or(1);
    table.insert(sequence, next + 1)?;
    Ok(next)
}

/// Creates every table so that readers never meet a missing one.
pub(crate) fn create_all(txn: &WriteTransaction) -> Result<()> {
    txn.open_table(META)?;
    txn.open_table(SEQUENCES)?;
    txn.open_table(ORGS)?;
    txn.open_table(ACCOUNTS)?;
    txn.open_table(ACCOUNT_BY_PSEUDONYM)?;
    txn.open_table(CREDENTIALS)?;
    txn.open_table(AUDIT)?;
    txn.open_table(GEO_POSTCODES)?;
    txn.open_table(GEO_PLACE_NAMES)?;
    txn.open_table(GEO_COUNTRIES)?;
    Ok(())
}
