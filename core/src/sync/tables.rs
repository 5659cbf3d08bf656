//! The tables of the sync domain (see [`super::DOMAIN`]).

use crate::store::{AnyTable, Table};

/// (account, client id of a queued write) → what became of it (JSON, [`super::sent::Sent`]):
/// the idempotency keys of device send queues.
pub(crate) const SYNC_SENT: Table<(u64, &str), &[u8]> = Table::new("sync_sent");
/// (when it was first seen in µs, account, client id) → (): the keys in age order, so the
/// scheduler forgets old ones.
pub(crate) const SYNC_SENT_AGES: Table<(i64, u64, &str), ()> = Table::new("sync_sent_ages");

pub(crate) const TABLES: &[&dyn AnyTable] = &[&SYNC_SENT, &SYNC_SENT_AGES];
