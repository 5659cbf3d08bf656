//! Moderation's report counters (schema 28): actions per month, and per month a histogram of
//! the whole hours from an item's opening to its first action of the year. The one writer of
//! the log keeps them ([`count_action`]), `moderation::figures` reads a year of them, the
//! version 28 migration counts them from the log of an older file ([`count_log_v28`]) and the
//! integrity check recounts them ([`check`]).
//!
//! "First action of the year", as the figures always read: of an item acted on in December and
//! again in January, each year's report counts the wait to its own first action on it. The
//! first action of each item and year is kept beside the counters, so that a later one knows it
//! is not the first without reading the log.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use super::super::actions::LogRecord;
use super::super::model::LogEntry;
use super::super::tables::{MOD_ACTION_COUNTS, MOD_FIRST_ACTIONS, MOD_LOG, MOD_WAIT_HOURS};
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::store::figures::{check_counters, month_of};
use crate::store::{ReadTable, Reader, WriteTxn, add_to_counter, decode};

/// Log entries one batch of the version 28 migration holds in memory.
const BATCH: usize = 1_000;

/// Counts a logged action: one in its month and, when it is the first action on its item in
/// its year (or earlier than the one counted so far), its wait in the histogram of its month.
pub(crate) fn count_action(txn: &WriteTxn, entry: &LogEntry) -> Result<()> {
    let month = month_of(entry.at);
    add_to_counter(&mut txn.open_table(MOD_ACTION_COUNTS)?, &month, 1, || format!("the actions of {month}"))?;
    let Some(item) = entry.item else { return Ok(()) };
    let key = (item, month / 100);
    let at = entry.at.timestamp_micros();
    let mut firsts = txn.open_table(MOD_FIRST_ACTIONS)?;
    let before = firsts.get(key)?.map(|v| v.value());
    if before.is_some_and(|(first, _)| first <= at) {
        return Ok(());
    }
    let hours = waited(super::item(txn, item)?.created_at, entry.at);
    let mut histogram = txn.open_table(MOD_WAIT_HOURS)?;
    let what = || format!("the waits for a first action on item {item}");
    if let Some((first, hours_then)) = before {
        add_to_counter(&mut histogram, &(month_at(first)?, hours_then), -1, what)?;
    }
    add_to_counter(&mut histogram, &(month, hours), 1, what)?;
    firsts.put(key, (at, hours))?;
    Ok(())
}

/// (month, actions) of every month of `months` with actions, in month order.
pub(crate) fn actions_in(txn: &impl Reader, months: &RangeInclusive<u32>) -> Result<Vec<(u32, u64)>> {
    let rows = txn.table(MOD_ACTION_COUNTS)?;
    rows.range(months.clone())?.map(|row| row.map(|(month, n)| (month.value(), n.value()))).collect()
}

/// (month, hours, items) of the waits for a first action in `months`, in month and hour order.
pub(crate) fn waits_in(txn: &impl Reader, months: &RangeInclusive<u32>) -> Result<Vec<(u32, u64, u64)>> {
    let rows = txn.table(MOD_WAIT_HOURS)?;
    let range = (*months.start(), 0)..=(*months.end(), u64::MAX);
    rows.range(range)?
        .map(|row| {
            let (key, n) = row?;
            let (month, hours) = key.value();
            Ok((month, hours, n.value()))
        })
        .collect()
}

/// Calls `visit` with every entry of the log, oldest first, decoded one at a time.
pub(crate) fn each_action(txn: &impl Reader, mut visit: impl FnMut(LogEntry) -> Result<()>) -> Result<()> {
    for row in txn.table(MOD_LOG)?.iter()? {
        let (id, bytes) = row?;
        let record: LogRecord = decode(bytes.value(), || format!("moderation action {}", id.value()))?;
        visit(record.entry)?;
    }
    Ok(())
}

/// Version 28: the counters, counted afresh (whatever a file rewound to an older version
/// still held is dropped first) from the log, a batch of entries at a time (so no scan of the
/// log is open while the counters are written).
pub(crate) fn count_log_v28(txn: &WriteTxn) -> Result<()> {
    txn.open_table(MOD_ACTION_COUNTS)?.retain(|_, _| false)?;
    txn.open_table(MOD_WAIT_HOURS)?.retain(|_, _| false)?;
    txn.open_table(MOD_FIRST_ACTIONS)?.retain(|_, _| false)?;
    let mut start = 0;
    loop {
        let mut batch = Vec::with_capacity(BATCH);
        for row in txn.table(MOD_LOG)?.range(start..)?.take(BATCH) {
            let (id, bytes) = row?;
            let record: LogRecord = decode(bytes.value(), || format!("moderation action {}", id.value()))?;
            batch.push(record.entry);
        }
        for entry in &batch {
            count_action(txn, entry)?;
        }
        match batch.last() {
            Some(last) if batch.len() == BATCH => start = last.id + 1,
            _ => return Ok(()),
        }
    }
}

/// The integrity check of the counters: each is what the log adds up to, none is missing and
/// none is left over.
pub(crate) fn check(txn: &impl Reader, problems: &mut Vec<String>) -> Result<()> {
    let mut actions: BTreeMap<u32, u64> = BTreeMap::new();
    let mut firsts: BTreeMap<(u64, u32), Timestamp> = BTreeMap::new();
    each_action(txn, |entry| {
        let month = month_of(entry.at);
        *actions.entry(month).or_default() += 1;
        if let Some(item) = entry.item {
            firsts.entry((item, month / 100)).and_modify(|at| *at = (*at).min(entry.at)).or_insert(entry.at);
        }
        Ok(())
    })?;
    let mut expected_firsts = BTreeMap::new();
    let mut histogram: BTreeMap<(u32, u64), u64> = BTreeMap::new();
    for (key, at) in firsts {
        let hours = waited(super::item(txn, key.0)?.created_at, at);
        *histogram.entry((month_of(at), hours)).or_default() += 1;
        expected_firsts.insert(key, (at.timestamp_micros(), hours));
    }
    let (stored_actions, stored_firsts, stored_histogram) = stored(txn)?;
    check_counters("moderation actions per month", &actions, &stored_actions, problems);
    check_counters("first moderation actions", &expected_firsts, &stored_firsts, problems);
    check_counters("hours to a first moderation action", &histogram, &stored_histogram, problems);
    Ok(())
}

/// Every row of the counters as they are stored: actions per month, first actions, waits.
type Stored = (BTreeMap<u32, u64>, BTreeMap<(u64, u32), (i64, u64)>, BTreeMap<(u32, u64), u64>);

fn stored(txn: &impl Reader) -> Result<Stored> {
    let mut out = Stored::default();
    for row in txn.table(MOD_ACTION_COUNTS)?.iter()? {
        let (month, n) = row?;
        out.0.insert(month.value(), n.value());
    }
    for row in txn.table(MOD_FIRST_ACTIONS)?.iter()? {
        let (key, first) = row?;
        out.1.insert(key.value(), first.value());
    }
    for row in txn.table(MOD_WAIT_HOURS)?.iter()? {
        let (key, n) = row?;
        out.2.insert(key.value(), n.value());
    }
    Ok(out)
}

/// Whole hours from `opened` to `at` (none for an action before the item opened).
fn waited(opened: Timestamp, at: Timestamp) -> u64 {
    (at - opened).num_hours().max(0).unsigned_abs()
}

/// The month of a time kept in µs.
fn month_at(micros: i64) -> Result<u32> {
    Timestamp::from_timestamp_micros(micros)
        .map(month_of)
        .ok_or_else(|| Error::storage(format!("a first moderation action kept at {micros} µs, which is no time")))
}
