//! Moderation's figures for [`crate::reports`]: actions per month and the hours from an
//! item's opening (a report or a flag) to the first action on it.
//!
//! Both come from counters kept when an action is logged (see `records::counters`), so a
//! report reads one row per month and one per month and number of hours instead of the whole
//! log: its cost does not grow with the log. An item's wait counts in the month of its first
//! action of the year (an item acted on again in a later year counts again there, with the
//! wait to that year's first action); actions are never deleted, so the counters only grow.

use std::collections::BTreeMap;

use crate::error::Result;
use crate::store::ReadTxn;
use crate::store::figures::{Measure, Observation, When, months_of};

use super::records::counters;

/// Every moderation observation of `year`.
pub(crate) fn gather(txn: &ReadTxn, year: i32) -> Result<Vec<Observation>> {
    let months = months_of(year);
    let mut out: Vec<Observation> = counters::actions_in(txn, &months)?
        .into_iter()
        .map(|(month, n)| Observation::monthly("moderation_actions", month, None, n))
        .collect();
    let mut hours: BTreeMap<u32, Vec<(u64, u64)>> = BTreeMap::new();
    for (month, waited, n) in counters::waits_in(txn, &months)? {
        hours.entry(month).or_default().push((waited, n));
    }
    for (month, histogram) in hours {
        let measure = Measure::Hours(histogram);
        let when = When::Month(month);
        out.push(Observation { figure: "moderation_hours_to_action", when, org: None, category: None, measure });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;
    use crate::ids::AccountId;
    use crate::moderation::items;
    use crate::moderation::model::{ItemState, LogEntry, ModAction, NewReport, ReportReason, Target};
    use crate::moderation::tables::{MOD_ACTION_COUNTS, MOD_FIRST_ACTIONS, MOD_WAIT_HOURS};
    use crate::store::figures::month_of;
    use crate::{Actor, NewAccount, Platform, TestClock, fixtures};

    /// The figures as they were made before the counters, and the reference the counters must
    /// match: the whole log read, each first action's item loaded.
    fn whole_log(txn: &ReadTxn, year: i32) -> Vec<Observation> {
        let months = months_of(year);
        let mut entries: Vec<LogEntry> = Vec::new();
        counters::each_action(txn, |entry| {
            entries.push(entry);
            Ok(())
        })
        .unwrap();
        let mut actions_per_month: BTreeMap<u32, u64> = BTreeMap::new();
        let mut first_action: BTreeMap<u64, crate::clock::Timestamp> = BTreeMap::new();
        for entry in entries {
            let month = month_of(entry.at);
            if !months.contains(&month) {
                continue;
            }
            *actions_per_month.entry(month).or_default() += 1;
            if let Some(item) = entry.item {
                first_action.entry(item).and_modify(|at| *at = (*at).min(entry.at)).or_insert(entry.at);
            }
        }
        let mut hours: BTreeMap<u32, BTreeMap<u64, u64>> = BTreeMap::new();
        for (item, at) in first_action {
            let opened = items::load(txn, item).unwrap().created_at;
            let waited = (at - opened).num_hours().max(0).unsigned_abs();
            *hours.entry(month_of(at)).or_default().entry(waited).or_default() += 1;
        }
        let mut out: Vec<Observation> = actions_per_month
            .into_iter()
            .map(|(m, n)| Observation::monthly("moderation_actions", m, None, n))
            .collect();
        for (month, histogram) in hours {
            let measure = Measure::Hours(histogram.into_iter().collect());
            let when = When::Month(month);
            out.push(Observation { figure: "moderation_hours_to_action", when, org: None, category: None, measure });
        }
        out
    }

    const YEARS: [i32; 4] = [2025, 2026, 2027, 2028];

    /// The figures of every year both ways, compared; returns how many observations.
    fn same_as_whole_log(p: &Platform) -> usize {
        let txn = p.store().read().unwrap();
        let mut n = 0;
        for year in YEARS {
            let counted = gather(&txn, year).unwrap();
            assert_eq!(counted, whole_log(&txn, year), "the figures of {year}");
            n += counted.len();
        }
        n
    }

    /// Reports on profiles over three years, acted on (dismissed, warned, ignored)
    /// after waits from minutes to months, reopened by later reports and acted on again, in
    /// the same year and in later ones: the counters give exactly the figures the whole log
    /// gave, as they are kept and after a version 27 file is migrated, and the integrity check
    /// finds them right.
    #[test]
    fn the_counters_give_the_figures_the_whole_log_gave_before_and_after_migration() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("moderation.trialog");
        let clock = TestClock::at("2025-11-20T08:00:00Z".parse().unwrap());
        let p = Platform::open(&path, fixtures::on(&clock)).unwrap();
        let op = Actor::Operator;
        let profiles: Vec<AccountId> = (0..7)
            .map(|i| {
                let new = NewAccount { pseudonym: format!("Profil{i}"), ..Default::default() };
                p.accounts().create(&op, &new).unwrap().id
            })
            .collect();
        let mut dice = fixtures::Dice(0x9E37_79B9_7F4A_7C15);
        let mut items = Vec::new();
        let mut acted = 0;
        for step in 0..160 {
            clock.advance(Duration::minutes(dice.roll(60 * 24 * 20) as i64));
            if dice.roll(3) > 0 {
                let target = Target::Account { id: profiles[dice.roll(profiles.len() as u64) as usize] };
                let new = NewReport { target, reason: ReportReason::Spam, detail: None };
                let item = p.moderation().report(&op, &new).unwrap().item;
                if !items.contains(&item) {
                    items.push(item);
                }
            }
            let Some(&item) = items.get(dice.roll(items.len().max(1) as u64) as usize) else { continue };
            let detail = p.moderation().item(&op, item).unwrap();
            if detail.item.state == ItemState::Pending && dice.roll(4) > 0 {
                let action = [ModAction::Dismiss, ModAction::Warn, ModAction::Ignore, ModAction::Dismiss]
                    [dice.roll(4) as usize]
                    .clone();
                p.moderation().act(&op, item, detail.item.version, &action, "nach Prüfung").unwrap();
                acted += 1;
            }
            if step % 40 == 0 {
                same_as_whole_log(&p);
            }
        }
        assert!(acted > 40, "the history acts often enough to mean something: {acted}");
        let before = same_as_whole_log(&p);
        assert!(before > 10, "figures of several months and years: {before}");
        assert!(p.integrity().unwrap().problems.is_empty(), "{:?}", p.integrity().unwrap().problems);
        let p = fixtures::rewound(p, &path, fixtures::on(&clock), 27, |txn| {
            for deleted in [
                txn.delete_table(MOD_ACTION_COUNTS)?,
                txn.delete_table(MOD_WAIT_HOURS)?,
                txn.delete_table(MOD_FIRST_ACTIONS)?,
            ] {
                assert!(deleted, "the counters were there to take away");
            }
            Ok(())
        });
        assert_eq!(same_as_whole_log(&p), before, "the migrated counters give the same figures");
        let report = p.integrity().unwrap();
        assert_eq!(report.schema_version, crate::SCHEMA_VERSION);
        assert!(report.problems.is_empty(), "{:?}", report.problems);
    }

    /// A counter missing, one wrong and one left over: the integrity check names each.
    #[test]
    fn the_integrity_check_reports_counters_missing_wrong_or_left_over() {
        let (p, clock) = fixtures::platform_at("2026-03-02T09:00:00Z");
        let op = Actor::Operator;
        let id = p.accounts().create(&op, &NewAccount { pseudonym: "Profil".into(), ..Default::default() }).unwrap().id;
        let new = NewReport { target: Target::Account { id }, reason: ReportReason::Spam, detail: None };
        let item = p.moderation().report(&op, &new).unwrap().item;
        clock.advance(Duration::hours(5));
        let version = p.moderation().item(&op, item).unwrap().item.version;
        p.moderation().act(&op, item, version, &ModAction::Dismiss, "").unwrap();
        assert!(p.integrity().unwrap().problems.is_empty());
        p.store()
            .write(|txn| {
                txn.open_table(MOD_ACTION_COUNTS)?.put(202603, 2)?;
                txn.open_table(MOD_WAIT_HOURS)?.delete((202603, 5))?;
                txn.open_table(MOD_WAIT_HOURS)?.put((201901, 1), 1)?;
                Ok(())
            })
            .unwrap();
        let problems = p.integrity().unwrap().problems;
        let said = |words: &str| problems.iter().any(|line| line.contains(words));
        assert!(said("the counter 202603 of moderation actions per month holds 2; the records say 1"), "{problems:?}");
        assert!(said("the counter (202603, 5) of hours to a first moderation action is missing"), "{problems:?}");
        assert!(said("the counter (201901, 1) of hours to a first moderation action is left over"), "{problems:?}");
    }
}
