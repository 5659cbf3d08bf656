//! Moderation's figures for [`crate::reports`]: actions per month and the hours from an
//! item's opening (a report or a flag) to the first action on it.

use std::collections::BTreeMap;

use crate::error::Result;
use crate::store::ReadTxn;
use crate::store::figures::{Measure, Observation, When, month_of, months_of};

use super::{items, records};

/// Every moderation observation of `year`.
pub(crate) fn gather(txn: &ReadTxn, year: i32) -> Result<Vec<Observation>> {
    let months = months_of(year);
    let mut actions_per_month: BTreeMap<u32, u64> = BTreeMap::new();
    let mut first_action: BTreeMap<u64, crate::clock::Timestamp> = BTreeMap::new();
    for entry in records::every_action(txn)? {
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
        let opened = items::load(txn, item)?.created_at;
        let waited = (at - opened).num_hours().max(0).unsigned_abs();
        *hours.entry(month_of(at)).or_default().entry(waited).or_default() += 1;
    }
    let mut out: Vec<Observation> =
        actions_per_month.into_iter().map(|(m, n)| Observation::monthly("moderation_actions", m, None, n)).collect();
    for (month, histogram) in hours {
        let measure = Measure::Hours(histogram.into_iter().collect());
        let when = When::Month(month);
        out.push(Observation { figure: "moderation_hours_to_action", when, org: None, category: None, measure });
    }
    Ok(out)
}
