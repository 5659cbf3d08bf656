//! The tables of this domain: the only place they are declared; the domain registers them
//! (see [`super::DOMAIN`]) and only its own modules open them.

use crate::store::{AnyTable, Table};

/// (account, notification id) → notification (JSON): each account's inbox.
pub(crate) const INBOX: Table<(u64, u64), &[u8]> = Table::new("inbox");

/// Every table of the domain, created when a file is new or older than the domain.
pub(crate) const TABLES: &[&dyn AnyTable] = &[&INBOX];
