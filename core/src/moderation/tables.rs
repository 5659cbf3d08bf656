//! The tables of this domain: the only place they are declared; the domain registers them
//! (see [`super::DOMAIN`]) and only its own modules open them.

use crate::store::{AnyTable, Table};

/// Review item id → item (JSON).
pub(crate) const MOD_ITEMS: Table<u64, &[u8]> = Table::new("mod_items");
/// Target key (`post:12`) → its review item: one item per target.
pub(crate) const MOD_ITEM_TARGETS: Table<&str, u64> = Table::new("mod_item_targets");
/// (state, u64::MAX − priority, created in µs, item) → (): the review queue in order, so a
/// page is a range scan.
pub(crate) const MOD_QUEUE: Table<(u8, u64, i64, u64), ()> = Table::new("mod_queue");
/// (item, report id) → report (JSON).
pub(crate) const MOD_REPORTS: Table<(u64, u64), &[u8]> = Table::new("mod_reports");
/// Log entry id → moderation log entry (JSON).
pub(crate) const MOD_LOG: Table<u64, &[u8]> = Table::new("mod_log");
/// (target key, log entry id) → (): a target's moderation history.
pub(crate) const MOD_LOG_BY_TARGET: Table<(&str, u64), ()> = Table::new("mod_log_by_target");
/// Appeal id → appeal (JSON).
pub(crate) const MOD_APPEALS: Table<u64, &[u8]> = Table::new("mod_appeals");
/// Log entry id → its appeal: one appeal per action.
pub(crate) const MOD_APPEAL_BY_ACTION: Table<u64, u64> = Table::new("mod_appeal_by_action");
/// (0 while open, 1 once decided; appeal id) → (): the appeals queue.
pub(crate) const MOD_APPEAL_QUEUE: Table<(u8, u64), ()> = Table::new("mod_appeal_queue");
/// (language, pattern) → action: the watched words.
pub(crate) const MOD_WORDS: Table<(&str, &str), u8> = Table::new("mod_words");
/// (country, name) → crisis resource (JSON).
pub(crate) const MOD_RESOURCES: Table<(&str, &str), &[u8]> = Table::new("mod_resources");
/// (account, what: 0 thread, 1 reply, 2 report; time in µs) → (): recent writes, for rate limits.
pub(crate) const MOD_RATES: Table<(u64, u8, i64), ()> = Table::new("mod_rates");
/// (account, board) → posts of the account that a board has shown: its standing there.
pub(crate) const MOD_TRUST: Table<(u64, u64), u32> = Table::new("mod_trust");
/// Month (YYYYMM) → moderation actions logged in it: a report counter (schema 28), kept by
/// the one writer of the log (see `moderation::figures`).
pub(crate) const MOD_ACTION_COUNTS: Table<u32, u64> = Table::new("mod_action_counts");
/// (month, whole hours) → items whose first action of a year came in the month that many
/// hours after the item opened: a report counter (schema 28).
pub(crate) const MOD_WAIT_HOURS: Table<(u32, u64), u64> = Table::new("mod_wait_hours");
/// (item, year) → (time in µs, hours waited) of the first action on the item in the year, so
/// that a later action knows it is not the first without reading the log (schema 28).
pub(crate) const MOD_FIRST_ACTIONS: Table<(u64, u32), (i64, u64)> = Table::new("mod_first_actions");

/// Every table of the domain, created when a file is new or older than the domain.
pub(crate) const TABLES: &[&dyn AnyTable] = &[
    &MOD_ITEMS,
    &MOD_ITEM_TARGETS,
    &MOD_QUEUE,
    &MOD_REPORTS,
    &MOD_LOG,
    &MOD_LOG_BY_TARGET,
    &MOD_APPEALS,
    &MOD_APPEAL_BY_ACTION,
    &MOD_APPEAL_QUEUE,
    &MOD_WORDS,
    &MOD_RESOURCES,
    &MOD_RATES,
    &MOD_TRUST,
    &MOD_ACTION_COUNTS,
    &MOD_WAIT_HOURS,
    &MOD_FIRST_ACTIONS,
];
