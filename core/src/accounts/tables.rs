//! The tables of this domain: the only place they are declared; the domain registers them
//! (see [`super::DOMAIN`]) and only its own modules open them.

use crate::store::{AnyTable, Table};

/// Account id → record.
pub(crate) const ACCOUNTS: Table<u64, &[u8]> = Table::new("accounts");
/// Normalised pseudonym key → account id (the uniqueness index).
pub(crate) const ACCOUNT_BY_PSEUDONYM: Table<&str, u64> = Table::new("account_by_pseudonym");
/// Account id → password credential.
pub(crate) const CREDENTIALS: Table<u64, &[u8]> = Table::new("credentials");

/// Every table of the domain, created when a file is new or older than the domain.
pub(crate) const TABLES: &[&dyn AnyTable] = &[&ACCOUNTS, &ACCOUNT_BY_PSEUDONYM, &CREDENTIALS];
