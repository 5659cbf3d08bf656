//! The tables of the notices: the only place they are declared; [`super::DOMAIN`] registers
//! them and only [`super::records`] opens them.

use crate::store::{AnyTable, Table};

/// Account → its notice choice (JSON); only accounts that turned a channel on have a row.
pub(crate) const NOTICE_CHOICES: Table<u64, &[u8]> = Table::new("notice_choices");
/// (due, in seconds since 1970; entry id) → outbox entry (JSON): what waits to leave the
/// platform. An entry names a notification, never its text: the text is rendered when sent.
pub(crate) const NOTICE_OUTBOX: Table<(u64, u64), &[u8]> = Table::new("notice_outbox");
/// Account → the id of its push entry waiting in the outbox: one push per account at a time.
pub(crate) const NOTICE_PUSH_QUEUED: Table<u64, u64> = Table::new("notice_push_queued");

/// Every table of the notices, created when a file is new or older than the domain.
pub(crate) const TABLES: &[&dyn AnyTable] = &[&NOTICE_CHOICES, &NOTICE_OUTBOX, &NOTICE_PUSH_QUEUED];
