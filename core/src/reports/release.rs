//! A year's figures as one disclosure [`Release`]: every month, quarter and the year, for the
//! platform and every organisation, with the relations an attacker could subtract along —
//! a quarter is the sum of its months and the year of its quarters, the platform the sum of
//! its organisations (and of what belongs to none, which is never shown), a figure's total
//! the sum of each breakdown's categories. Every report of the year is cut from this one
//! release, so reports taken together tell no more than it does.

use std::borrow::Cow;
use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

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

/// A category's number in [`Categories`]: 0 for a figure's total.
type Category = u32;

/// (figure, category, unit, period): one cell. Small and `Copy`, so that a year of every
/// organisation's cells is counted and related without copying category names.
type Key = (&'static str, Category, Unit, Period);

/// The categories of a year's observations, numbered in their order (after the total, 0), so
/// that cells sort by their number as they would by the category itself.
struct Categories(Vec<(&'static str, String)>);

impl Categories {
    fn of(observations: &[Observation]) -> Self {
        let mut all: Vec<(&'static str, String)> = observations.iter().filter_map(|o| o.category.clone()).collect();
        all.sort_unstable();
        all.dedup();
        Categories(all)
    }

    /// The number of `category` (which [`Categories::of`] saw).
    fn number(&self, category: &Option<(&'static str, String)>) -> Category {
        let Some((dimension, key)) = category else { return 0 };
        let at = self.0.binary_search_by(|(d, k)| (*d, k.as_str()).cmp(&(*dimension, key.as_str())));
        at.map_or(0, |i| i as Category + 1)
    }

    /// (dimension, key) of category `number`; `None` for the total.
    fn get(&self, number: Category) -> Option<&(&'static str, String)> {
        number.checked_sub(1).and_then(|i| self.0.get(i as usize))
    }
}

/// The cells of a year with their values and whether each is withheld.
pub(crate) struct YearRelease {
    categories: Categories,
    /// (cell, the figure's published name, value, withheld).
    rows: Vec<(Key, Cow<'static, str>, f64, bool)>,
}

impl YearRelease {
    /// Builds and suppresses the release of `year` from every domain's observations.
    pub fn build(year: i32, observations: Vec<Observation>, k: Threshold) -> Self {
        let categories = Categories::of(&observations);
        // Fx, not SipHash: the keys are the platform's own figure names and numbers, nothing an
        // outsider chooses, and hashing them was half of a national report's time.
        let mut counts: FxHashMap<Key, u64> = FxHashMap::default();
        let mut distinct: BTreeMap<Key, u64> = BTreeMap::new();
        let mut hours: BTreeMap<Key, BTreeMap<u64, u64>> = BTreeMap::new();
        for o in observations {
            let unit = o.org.map_or(Unit::Elsewhere, Unit::Org);
            let Some(period) = period_of(year, o.when) else { continue };
            let category = categories.number(&o.category);
            match o.measure {
                Measure::Count(n) => rollup((o.figure, category, unit, period), |key| {
                    *counts.entry(key).or_default() += n;
                }),
                Measure::Distinct(n) => {
                    // Distinct people of no organisation are the platform's own figure.
                    let unit = o.org.map_or(Unit::Platform, Unit::Org);
                    distinct.insert((o.figure, category, unit, period), n);
                }
                Measure::Hours(histogram) => {
                    for (h, n) in histogram {
                        rollup((o.figure, category, unit, period), |key| {
                            *hours.entry(key).or_default().entry(h).or_default() += n;
                        });
                    }
                }
            }
        }
        let mut counts: Vec<(Key, u64)> = counts.into_iter().collect();
        counts.sort_unstable_by_key(|(key, _)| *key);
        let mut release = Release::new(k);
        let mut cells: Vec<(Key, Cow<'static, str>, f64)> = Vec::with_capacity(counts.len());
        for &(key, n) in &counts {
            release.count(n);
            cells.push((key, Cow::Borrowed(key.0), n as f64));
        }
        relate(&mut release, &counts, &categories);
        for (key, n) in distinct {
            release.count(n);
            cells.push((key, Cow::Borrowed(key.0), n as f64));
        }
        for (key, histogram) in hours.into_iter().filter(|((_, _, unit, _), _)| *unit != Unit::Elsewhere) {
            let population: u64 = histogram.values().sum();
            for (suffix, q) in [("median", 0.5), ("p90", 0.9)] {
                release.statistic(population);
                cells.push((key, Cow::Owned(format!("{}_{suffix}", key.0)), quantile(&histogram, population, q)));
            }
        }
        let withheld = release.suppress();
        let rows = cells.into_iter().zip(withheld).map(|((key, name, value), w)| (key, name, value, w)).collect();
        YearRelease { categories, rows }
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
                figure: figure.to_string(),
                org,
                category: self.categories.get(*category).map(|(d, k)| format!("{d}:{k}")),
                value: (!withheld).then_some(*value),
                withheld: *withheld,
            })
            .collect()
    }
}

/// Calls `each` with a month's key and every key it adds into (its quarter and year; the
/// platform's too), or with a quarter's key and its year's.
fn rollup(key: Key, mut each: impl FnMut(Key)) {
    let (figure, category, unit, period) = key;
    let mut at = Some(period);
    while let Some(p) = at {
        each((figure, category, unit, p));
        if unit != Unit::Platform {
            each((figure, category, Unit::Platform, p));
        }
        at = p.parent();
    }
}

/// Which kind of sum a relation is; one total may head several (its months, its
/// organisations, each breakdown of it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
enum Sum {
    Periods,
    Units,
    Breakdown(&'static str),
}

/// Declares every sum: periods, units and categories, in the order of their totals' keys.
/// `counts` is in key order and its cells are the release's first, so a count's cell is its
/// position. The (sum, part) pairs are sorted rather than grouped in a map: one vector instead
/// of a vector per sum, and the parts of each sum come out in cell order.
fn relate(release: &mut Release, counts: &[(Key, u64)], categories: &Categories) {
    let mut pairs: Vec<((Key, Sum), usize)> = Vec::with_capacity(counts.len() * 3);
    for (cell, &((figure, category, unit, period), _)) in counts.iter().enumerate() {
        if let Some(parent) = period.parent() {
            pairs.push((((figure, category, unit, parent), Sum::Periods), cell));
        }
        if unit != Unit::Platform {
            pairs.push((((figure, category, Unit::Platform, period), Sum::Units), cell));
        }
        if let Some((dimension, _)) = categories.get(category) {
            pairs.push((((figure, 0, unit, period), Sum::Breakdown(dimension)), cell));
        }
    }
    pairs.sort_unstable();
    let mut parts: Vec<usize> = Vec::new();
    for group in pairs.chunk_by(|a, b| a.0 == b.0) {
        let (total, _) = group[0].0;
        if let Ok(total) = counts.binary_search_by(|(key, _)| key.cmp(&total)) {
            parts.clear();
            parts.extend(group.iter().map(|&(_, cell)| cell));
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
