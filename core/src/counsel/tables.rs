//! The tables of this domain: the only place they are declared; the domain registers them
//! (see [`super::DOMAIN`]) and only its own modules open them.

use crate::store::{AnyTable, Table};

/// Enquiry id → enquiry record (JSON): metadata and the secret's hash, never message text.
pub(crate) const COUNSEL_ENQUIRIES: Table<u64, &[u8]> = Table::new("counsel_enquiries");
/// Case code → enquiry id.
pub(crate) const COUNSEL_CODES: Table<&str, u64> = Table::new("counsel_codes");
/// Enquiry id → its data key, wrapped under the content key; 0 → the content key's check value.
pub(crate) const COUNSEL_KEYS: Table<u64, &[u8]> = Table::new("counsel_keys");
/// (enquiry, message) → the message record, sealed under the enquiry's data key.
pub(crate) const COUNSEL_MESSAGES: Table<(u64, u64), &[u8]> = Table::new("counsel_messages");
/// (organisation, priority rank, created in µs, enquiry) → queue summary (postcard): the team
/// queues, urgent first, then oldest first. Unclaimed enquiries only.
pub(crate) const COUNSEL_QUEUE: Table<(u64, u8, u64, u64), &[u8]> = Table::new("counsel_queue");
/// (counsellor, enquiry) → (): every counsellor's open cases.
pub(crate) const COUNSEL_CASELOAD: Table<(u64, u64), ()> = Table::new("counsel_caseload");
/// (organisation, enquiry, message) → (counsellor, written in µs): replies awaiting a supervisor.
pub(crate) const COUNSEL_APPROVALS: Table<(u64, u64, u64), (u64, i64)> = Table::new("counsel_approvals");
/// (due in µs, enquiry) → (): cases still waiting for their first response.
pub(crate) const COUNSEL_DUE: Table<(i64, u64), ()> = Table::new("counsel_due");
/// (closed in µs, enquiry) → (): closed cases, for retention.
pub(crate) const COUNSEL_CLOSED: Table<(i64, u64), ()> = Table::new("counsel_closed");
/// Organisation id → its counselling offer (JSON).
pub(crate) const COUNSEL_OFFERS: Table<u64, &[u8]> = Table::new("counsel_offers");
/// Account id → counsellor profile (JSON).
pub(crate) const COUNSEL_STAFF: Table<u64, &[u8]> = Table::new("counsel_staff");
/// Keyed tag of a tried case code (known or not) → wrong-secret throttle (JSON).
pub(crate) const COUNSEL_THROTTLE: Table<&str, &[u8]> = Table::new("counsel_throttle");
/// (month YYYYMM, counter) → count: statistics without identifying data; they outlive purges.
pub(crate) const COUNSEL_STATS: Table<(u32, &str), u64> = Table::new("counsel_stats");

/// Every table of the domain, created when a file is new or older than the domain.
pub(crate) const TABLES: &[&dyn AnyTable] = &[
    &COUNSEL_ENQUIRIES,
    &COUNSEL_CODES,
    &COUNSEL_KEYS,
    &COUNSEL_MESSAGES,
    &COUNSEL_QUEUE,
    &COUNSEL_CASELOAD,
    &COUNSEL_APPROVALS,
    &COUNSEL_DUE,
    &COUNSEL_CLOSED,
    &COUNSEL_OFFERS,
    &COUNSEL_STAFF,
    &COUNSEL_THROTTLE,
    &COUNSEL_STATS,
];
