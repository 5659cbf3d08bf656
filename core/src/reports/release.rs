//! A year's figures as one disclosure [`Release`]: every month, quarter and the year, for the
//! platform and every organisation, with the relations an attacker could subtract along —
//! a quarter is the sum of its months and the year of its quarters, the platform the sum of
//! its organisations (and of what belongs to none, which is never shown), a figure's total
//! the sum of each breakdown's categories. Every report of the year is cut from this one
//! release, so reports taken together tell no more than it does.

use std::collections::BTreeMap;

use super::{FigureRow, Period};
use crate::disclosure::{Release, Threshold};
use crate::orgs::OrgId;
use crate::store::figures::{Measure, Observation, When};

/// Whose figure a cell is. `Elsewhere` (not attributed to an organisation) is never published
/// but takes part in the platform's sums, so the suppression treats it as a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Unit {
    Platform,
    Org(OrgId),
    Elsewhere,
}

/// (figure, category, unit, period): one cell.
type Key = (&'static str, Option<(&'static str, String)>, Unit, Period);

/// The cells of a year with their values and whether each is withheld.
pub(crate) struct YearRelease {
    /// (cell, the figure's published name, value, withheld).
    rows: Vec<(Key, String, f64, bool)>,
}

impl YearRelease {
    /// Builds and suppresses the release of `year` from every domain's observations.
    pub fn build(year: i32, observations: Vec<Observation>, k: Threshold) -> Self {
        let mut counts: BTreeMap<Key, u64> = BTreeMap::new();
        let mut distinct: BTreeMap<Key, u64> = BTreeMap::new();
        let mut hours: BTreeMap<Key, BTreeMap<u64, u64>> = BTreeMap::new();
        for o in observations {
            let unit = o.org.map_or(Unit::Elsewhere, Unit::Org);
            let Some(period) = period_of(year, o.when) else { continue };
            match o.measure {
                Measure::Count(n) => add_up(&mut counts, (o.figure, o.category, unit, period), n),
                Measure::Distinct(n) => {
                    // Distinct people of no organisation are the platform's own figure.
                    let unit = o.org.map_or(Unit::Platform, Unit::Org);
                    distinct.insert((o.figure, o.category, unit, period), n);
                }
                Measure::Hours(histogram) => {
                    for (h, n) in histogram {
                        for key in rollup((o.figure, o.category.clone(), unit, period)) {
                            *hours.entry(key).or_default().entry(h).or_default() += n;
                        }
                    }
                }
            }
        }
        let mut release = Release::new(k);
        let mut cells: Vec<(Key, String, f64)> = Vec::new();
        let mut index: BTreeMap<Key, usize> = BTreeMap::new();
        for (key, n) in counts {
            index.insert(key.clone(), release.count(n));
            cells.push((key.clone(), key.0.to_string(), n as f64));
        }
        relate(&mut release, &index);
        for (key, n) in distinct {
            release.count(n);
            cells.push((key.clone(), key.0.to_string(), n as f64));
        }
        for (key, histogram) in hours.into_iter().filter(|((_, _, unit, _), _)| *unit != Unit::Elsewhere) {
            let population: u64 = histogram.values().sum();
            for (suffix, q) in [("median", 0.5), ("p90", 0.9)] {
                release.statistic(population);
                cells.push((key.clone(), format!("{}_{suffix}", key.0), quantile(&histogram, population, q)));
            }
        }
        let withheld = release.suppress();
        let rows = cells.into_iter().zip(withheld).map(|((key, name, value), w)| (key, name, value, w)).collect();
        YearRelease { rows }
    }

    /// The published rows of `org` (`None`: the platform) within `period`, in order.
    pub fn rows(&self, org: Option<OrgId>, period: Period) -> Vec<FigureRow> {
        let unit = org.map_or(Unit::Platform, Unit::Org);
        self.rows
            .iter()
            .filter(|((_, _, u, p), ..)| *u == unit && period.contains(*p))
            .map(|((_, category, _, p), figure, value, withheld)| FigureRow {
                period: p.label(),
                span: p.span(),
                figure: figure.clone(),
                org,
                category: category.as_ref().map(|(d, k)| format!("{d}:{k}")),
                value: (!withheld).then_some(*value),
                withheld: *withheld,
            })
            .collect()
    }
}

/// Adds `n` to a month's cell and to every cell it rolls up into: its quarter and year, and
/// the platform's month, quarter and year.
fn add_up(counts: &mut BTreeMap<Key, u64>, key: Key, n: u64) {
    for key in rollup(key) {
        *counts.entry(key).or_default() += n;
    }
}

/// A month's key and the keys it adds into (its quarter and year; the platform's too); a
/// quarter's key and its year's.
fn rollup(key: Key) -> Vec<Key> {
    let (figure, category, unit, period) = key;
    let periods = period.and_parents();
    let units = if unit == Unit::Platform { vec![unit] } else { vec![unit, Unit::Platform] };
    let mut out = Vec::new();
    for u in units {
        for p in &periods {
            out.push((figure, category.clone(), u, *p));
        }
    }
    out
}

/// Which kind of sum a relation is; one total may head several (its months, its
/// organisations, each breakdown of it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Sum {
    Periods,
    Units,
    Breakdown(&'static str),
}

/// Declares every sum: periods, units and categories.
fn relate(release: &mut Release, index: &BTreeMap<Key, usize>) {
    let mut groups: BTreeMap<(Key, Sum), Vec<usize>> = BTreeMap::new();
    for ((figure, category, unit, period), &cell) in index {
        if let Some(parent) = period.parent() {
            groups.entry(((figure, category.clone(), *unit, parent), Sum::Periods)).or_default().push(cell);
        }
        if *unit != Unit::Platform {
            groups.entry(((figure, category.clone(), Unit::Platform, *period), Sum::Units)).or_default().push(cell);
        }
        if let Some((dimension, _)) = category {
            groups.entry(((figure, None, *unit, *period), Sum::Breakdown(dimension))).or_default().push(cell);
        }
    }
    for ((total, _), parts) in groups {
        if let Some(&total) = index.get(&total) {
            release.add_relation(total, &parts);
        }
    }
}

/// The `q` quantile of a histogram of hours, by the nearest rank.
fn quantile(histogram: &BTreeMap<u64, u64>, population: u64, q: f64) -> f64 {
    let rank = ((q * population as f64).ceil() as u64).max(1);
    let mut seen = 0;
    for (hour, n) in histogram {
        seen += n;
        if seen >= rank {
            return *hour as f64;
        }
    }
    0.0
}

/// The period of an observation, if it lies in `year`.
fn period_of(year: i32, when: When) -> Option<Period> {
    let y = year.unsigned_abs();
    match when {
        When::Month(m) if m / 100 == y && (1..=12).contains(&(m % 100)) => Some(Period::Month(y, m % 100)),
        When::Quarter(q) if q / 10 == y && (1..=4).contains(&(q % 10)) => Some(Period::Quarter(y, q % 10)),
        _ => None,
    }
}
