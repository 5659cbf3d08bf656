//! Disclosure control: the one place that decides which figures may be published, as
//! [`crate::policy`] is for permissions. Every report of the platform — forum statistics,
//! counselling statistics, the funders' reports of [`crate::reports`] — asks this module.
//!
//! ## The rules
//! 1. **Primary suppression.** A count from 1 to *k* people is withheld (default
//!    [`DEFAULT_THRESHOLD`] = 4; admins may raise it in the platform settings, e.g. to 7 as the
//!    NHS does). Zero is shown: it names nobody. A median or percentile over *k* people or
//!    fewer is withheld too, since with the counts of 1..=k hidden, a median of so few would
//!    describe them nearly one by one.
//! 2. **Secondary suppression.** A withheld count must not come back by subtraction. Figures
//!    are published together in a [`Release`] whose [`Relation`]s say which cells add up to
//!    which: the row and column totals of a table, a quarter as the margin of its months, the
//!    platform as the margin of its organisations. The platform's reports of one release —
//!    the platform's and every organisation's, every month, quarter and year — are all cut
//!    from it, so no combination of them tells more than the release does.
//!
//! ## The algorithm ([`Release::suppress`])
//! Withhold every primary cell. Then, until nothing changes: for each relation (its total
//! and its parts), if exactly one of its cells is withheld, that cell is the total minus the
//! others, so also withhold a *complement*: the smallest non-zero cell of the relation still
//! shown (the total counts as a cell; it is usually the largest, so parts go first), or, when
//! all shown cells are zero, the first of them. Cells are only ever added, so this ends after
//! at most as many rounds as there are cells; when it ends, no relation has exactly one
//! withheld cell. [`Release::recoverable`] is the attacker: it solves every relation with
//! exactly one unknown cell, adds what it solved to what it knows, and repeats — every
//! recovery by subtraction, chained. After [`Release::suppress`] it recovers nothing, because
//! its first step has nothing to start from.
//!
//! This is the classic hypercube-free heuristic: it may withhold more than an optimal
//! (linear-programming) method would, never less than subtraction needs. It does not defend
//! against interval reasoning from non-negativity beyond what withholding non-zero
//! complements gives; rounding is not used, because rounding alone leaks through totals.
//!
//! ```
//! use trialog_core::disclosure::{Release, Threshold};
//! let mut release = Release::new(Threshold::default());
//! // A row of three organisations and its total: 2 is withheld, so 9 goes too.
//! let parts = [release.count(2), release.count(9), release.count(30)];
//! let total = release.count(41);
//! release.add_relation(total, &parts);
//! let withheld = release.suppress();
//! assert_eq!(withheld, vec![true, true, false, false]);
//! assert!(release.recoverable(&withheld).is_empty());
//! ```

use serde::{Deserialize, Serialize};

use crate::actor::Actor;
use crate::audit;
use crate::error::{Error, Result};
use crate::policy::{self, Action};
use crate::settings::{self, Settings};
use crate::store::Reader;

/// Counts from 1 to this are withheld unless an admin sets another threshold.
pub const DEFAULT_THRESHOLD: u64 = 4;
/// The largest threshold an admin may set (a report of nothing but withheld cells helps nobody).
pub const MAX_THRESHOLD: u64 = 100;
/// The settings name of the threshold.
pub(crate) const THRESHOLD_SETTING: &str = "disclosure_threshold";

/// The *k* of the rules: counts 1..=k are withheld, and statistics over k people or fewer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Threshold(u64);

impl Default for Threshold {
    fn default() -> Self {
        Threshold(DEFAULT_THRESHOLD)
    }
}

impl Threshold {
    /// A threshold from 1 to [`MAX_THRESHOLD`]; anything else is an error naming `field`.
    pub fn new(k: u64, field: &str) -> Result<Self> {
        if (1..=MAX_THRESHOLD).contains(&k) {
            Ok(Threshold(k))
        } else {
            Err(Error::invalid(field, format!("must be between 1 and {MAX_THRESHOLD} (counts 1..=k are withheld)")))
        }
    }

    pub fn k(self) -> u64 {
        self.0
    }

    /// Whether a count of `n` people is withheld on its own (1..=k).
    pub fn withholds_count(self, n: u64) -> bool {
        (1..=self.0).contains(&n)
    }

    /// Whether a median or percentile over `population` people is withheld (k or fewer).
    pub fn withholds_statistic(self, population: u64) -> bool {
        population <= self.0
    }

    /// A count as a single figure may show it: `None` when withheld. For figures that stand
    /// alone; figures with totals go through a [`Release`].
    pub fn count(self, n: u64) -> Option<u64> {
        (!self.withholds_count(n)).then_some(n)
    }

    /// A statistic over `population` people: `None` when withheld.
    pub fn statistic<T>(self, population: u64, value: Option<T>) -> Option<T> {
        value.filter(|_| !self.withholds_statistic(population))
    }
}

impl Settings<'_> {
    /// The *k* of the disclosure rules in force (anyone: it explains what reports withhold).
    pub fn disclosure_threshold(&self, actor: &Actor) -> Result<u64> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::ViewSettings, now)?;
            Ok(threshold(txn)?.k())
        })
    }

    /// Sets the *k* of the disclosure rules (admins; 1 to [`MAX_THRESHOLD`]); logged.
    pub fn set_disclosure_threshold(&self, actor: &Actor, k: u64) -> Result<u64> {
        let threshold = Threshold::new(k, "disclosure_threshold")?;
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::ChangeSettings, now)?;
            settings::store(txn, THRESHOLD_SETTING, &Some(threshold))?;
            audit::append(txn, now, actor, "settings.disclosure_threshold", THRESHOLD_SETTING, Some(&k.to_string()))?;
            Ok(k)
        })
    }
}

/// The threshold in force inside `txn`: the platform setting, or [`DEFAULT_THRESHOLD`].
pub(crate) fn threshold(txn: &impl Reader) -> Result<Threshold> {
    let set: Option<Threshold> = settings::load(txn, THRESHOLD_SETTING)?;
    Ok(set.unwrap_or_default())
}

/// What a cell holds, for the primary rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellKind {
    /// A number of people or events they caused.
    Count,
    /// A median or percentile over `population` people; never part of a relation.
    Statistic { population: u64 },
}

/// Cells published together, and how they add up. Cells are numbered in the order added.
#[derive(Debug, Clone)]
pub struct Release {
    threshold: Threshold,
    cells: Vec<(CellKind, u64)>,
    relations: Vec<Relation>,
}

/// `total` = the sum of `parts` (cell numbers of one [`Release`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Relation {
    pub total: usize,
    pub parts: Vec<usize>,
}

impl Relation {
    fn cells(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.total).chain(self.parts.iter().copied())
    }
}

impl Release {
    pub fn new(threshold: Threshold) -> Self {
        Release { threshold, cells: Vec::new(), relations: Vec::new() }
    }

    /// Adds a count; returns its cell number.
    pub fn count(&mut self, value: u64) -> usize {
        self.cells.push((CellKind::Count, value));
        self.cells.len() - 1
    }

    /// Adds a statistic over `population` people (its value does not matter to the rules).
    pub fn statistic(&mut self, population: u64) -> usize {
        self.cells.push((CellKind::Statistic { population }, 0));
        self.cells.len() - 1
    }

    /// Declares that cell `total` is the sum of `parts`. A relation without parts says
    /// nothing and is ignored.
    pub fn add_relation(&mut self, total: usize, parts: &[usize]) {
        if !parts.is_empty() {
            self.relations.push(Relation { total, parts: parts.to_vec() });
        }
    }

    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// Which cells are withheld (by cell number): primary, then secondary to a fixed point.
    /// See the module documentation.
    pub fn suppress(&self) -> Vec<bool> {
        let mut withheld: Vec<bool> = self.cells.iter().map(|&(kind, value)| self.primary(kind, value)).collect();
        loop {
            let mut changed = false;
            for relation in &self.relations {
                if relation.cells().filter(|&c| withheld[c]).count() == 1
                    && let Some(complement) = self.complement(relation, &withheld)
                {
                    withheld[complement] = true;
                    changed = true;
                }
            }
            if !changed {
                return withheld;
            }
        }
    }

    /// The withheld cells an attacker recovers by subtraction from the shown ones, chained:
    /// every relation with exactly one unknown cell is solved, the solved cell becomes known,
    /// and so on until nothing more comes out. Empty when the release is safe.
    pub fn recoverable(&self, withheld: &[bool]) -> Vec<usize> {
        let mut known: Vec<bool> = withheld.iter().map(|w| !w).collect();
        let mut recovered = Vec::new();
        loop {
            let mut progress = false;
            for relation in &self.relations {
                let unknown: Vec<usize> = relation.cells().filter(|&c| !known[c]).collect();
                if let [only] = unknown[..] {
                    known[only] = true;
                    recovered.push(only);
                    progress = true;
                }
            }
            if !progress {
                recovered.sort_unstable();
                return recovered;
            }
        }
    }

    fn primary(&self, kind: CellKind, value: u64) -> bool {
        match kind {
            CellKind::Count => self.threshold.withholds_count(value),
            CellKind::Statistic { population } => self.threshold.withholds_statistic(population),
        }
    }

    /// The shown cell of `relation` to withhold beside its one withheld cell: the smallest
    /// non-zero one (ties: the lowest cell number), else the first shown zero.
    fn complement(&self, relation: &Relation, withheld: &[bool]) -> Option<usize> {
        let shown: Vec<usize> = relation.cells().filter(|&c| !withheld[c]).collect();
        let smallest = shown.iter().copied().filter(|&c| self.cells[c].1 > 0).min_by_key(|&c| (self.cells[c].1, c));
        smallest.or_else(|| shown.first().copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table of `rows`, each with its row total at the end, and a last row of column
    /// totals (with the grand total): returns the release and the cell numbers by [row][col].
    fn table(rows: &[&[u64]]) -> (Release, Vec<Vec<usize>>) {
        let mut release = Release::new(Threshold::default());
        let width = rows[0].len();
        let mut cells: Vec<Vec<usize>> = Vec::new();
        for row in rows {
            let mut ids: Vec<usize> = row.iter().map(|&v| release.count(v)).collect();
            ids.push(release.count(row.iter().sum()));
            cells.push(ids);
        }
        let column_total = |c: usize| rows.iter().map(|r| r.get(c).copied().unwrap_or_else(|| r.iter().sum())).sum();
        let totals: Vec<usize> = (0..=width).map(|c| release.count(column_total(c))).collect();
        release.add_relation(totals[width], &totals[..width]);
        for ids in &cells {
            release.add_relation(ids[width], &ids[..width]);
        }
        for c in 0..=width {
            let column: Vec<usize> = cells.iter().map(|ids| ids[c]).collect();
            release.add_relation(totals[c], &column);
        }
        cells.push(totals);
        (release, cells)
    }

    fn primary_only(release: &Release) -> Vec<bool> {
        release.cells.iter().map(|&(kind, value)| release.primary(kind, value)).collect()
    }

    #[test]
    fn counts_from_one_to_k_are_withheld_and_zero_is_shown() {
        let k = Threshold::default();
        assert_eq!(k.k(), 4);
        assert_eq!(k.count(0), Some(0));
        assert_eq!((1..=4).map(|n| k.count(n)).collect::<Vec<_>>(), vec![None; 4]);
        assert_eq!(k.count(5), Some(5));
        let nhs = Threshold::new(7, "k").unwrap();
        assert_eq!(nhs.count(7), None);
        assert_eq!(nhs.count(8), Some(8));
        assert!(Threshold::new(0, "k").is_err());
        assert!(Threshold::new(MAX_THRESHOLD + 1, "k").is_err());
    }

    #[test]
    fn a_median_over_k_people_or_fewer_is_withheld() {
        let k = Threshold::default();
        assert_eq!(k.statistic(4, Some(3.0)), None);
        assert_eq!(k.statistic(5, Some(3.0)), Some(3.0));
        let mut release = Release::new(k);
        let few = release.statistic(3);
        let many = release.statistic(40);
        let withheld = release.suppress();
        assert!(withheld[few] && !withheld[many]);
    }

    #[test]
    fn one_withheld_cell_in_a_row_with_a_total_takes_a_complement() {
        let (release, cells) = table(&[&[3, 20, 40], &[10, 12, 50]]);
        let naive = primary_only(&release);
        assert_eq!(
            release.recoverable(&naive),
            vec![cells[0][0]],
            "the test table leaks without secondary suppression"
        );
        let withheld = release.suppress();
        assert!(withheld[cells[0][0]]);
        assert!(withheld[cells[0][1]] && withheld[cells[1][0]], "the smallest cells of its row and column go too");
        assert!(release.recoverable(&withheld).is_empty(), "{withheld:?}");
    }

    #[test]
    fn a_withheld_cell_does_not_come_back_through_chained_subtractions() {
        let (release, cells) = table(&[&[2, 30, 30, 30], &[30, 30, 30, 3], &[30, 1, 30, 30], &[30, 30, 30, 30]]);
        let withheld = release.suppress();
        for (r, c) in [(0, 0), (1, 3), (2, 1)] {
            assert!(withheld[cells[r][c]]);
        }
        assert!(release.recoverable(&withheld).is_empty());
    }

    #[test]
    fn a_month_is_not_recoverable_from_its_quarter_and_the_other_months() {
        let mut release = Release::new(Threshold::default());
        let months = [release.count(120), release.count(2), release.count(95)];
        let quarter = release.count(217);
        release.add_relation(quarter, &months);
        assert_eq!(release.recoverable(&primary_only(&release)), vec![months[1]]);
        let withheld = release.suppress();
        assert_eq!(withheld, vec![false, true, true, false], "the smaller other month goes");
        assert!(release.recoverable(&withheld).is_empty());
    }

    #[test]
    fn an_organisation_is_not_recoverable_from_the_platform_and_the_others() {
        let mut release = Release::new(Threshold::default());
        let orgs: Vec<usize> = [60, 45, 3, 80, 17].iter().map(|&v| release.count(v)).collect();
        let platform = release.count(205);
        release.add_relation(platform, &orgs);
        assert_eq!(release.recoverable(&primary_only(&release)), vec![orgs[2]]);
        let withheld = release.suppress();
        assert!(withheld[orgs[2]] && withheld[orgs[4]], "{withheld:?}");
        assert!(!withheld[platform]);
        assert!(release.recoverable(&withheld).is_empty());
    }

    #[test]
    fn months_quarters_and_organisations_together_leak_nothing() {
        // Two organisations × three months, with quarters per organisation and the platform
        // per month and quarter: the platform-by-month row is the margin of the orgs, the
        // quarter column the margin of the months.
        let values = [[40u64, 3, 50], [25, 30, 35]];
        let mut release = Release::new(Threshold::default());
        let cells: Vec<Vec<usize>> = values.iter().map(|row| row.iter().map(|&v| release.count(v)).collect()).collect();
        let quarters: Vec<usize> = values.iter().map(|row| release.count(row.iter().sum())).collect();
        let platform_months: Vec<usize> = (0..3).map(|m| release.count(values[0][m] + values[1][m])).collect();
        let platform_quarter = release.count(values.iter().flatten().sum());
        for (o, row) in cells.iter().enumerate() {
            release.add_relation(quarters[o], row);
        }
        for m in 0..3 {
            release.add_relation(platform_months[m], &[cells[0][m], cells[1][m]]);
        }
        release.add_relation(platform_quarter, &quarters);
        release.add_relation(platform_quarter, &platform_months);
        assert!(!release.recoverable(&primary_only(&release)).is_empty());
        let withheld = release.suppress();
        assert!(withheld[cells[0][1]]);
        assert!(release.recoverable(&withheld).is_empty(), "{withheld:?}");
    }

    #[test]
    fn a_total_equal_to_its_one_part_is_withheld_with_it() {
        let mut release = Release::new(Threshold::default());
        let part = release.count(2);
        let total = release.count(2);
        release.add_relation(total, &[part]);
        let withheld = release.suppress();
        assert!(withheld[part] && withheld[total]);
    }

    #[test]
    fn zero_cells_are_complements_only_when_nothing_else_is_shown() {
        let mut release = Release::new(Threshold::default());
        let parts = [release.count(0), release.count(3), release.count(0)];
        let total = release.count(3);
        release.add_relation(total, &parts);
        let withheld = release.suppress();
        assert_eq!(withheld, vec![false, true, false, true], "the total (3, primary) pairs with the 3");
        assert!(release.recoverable(&withheld).is_empty());
    }

    /// Random tables, months and organisations: after suppression nothing is recoverable,
    /// and every count 1..=k is withheld.
    #[test]
    fn random_releases_never_leak() {
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move |bound: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % bound
        };
        for _ in 0..300 {
            let rows = 1 + next(5) as usize;
            let cols = 1 + next(5) as usize;
            let values: Vec<Vec<u64>> =
                (0..rows).map(|_| (0..cols).map(|_| if next(3) == 0 { next(5) } else { next(60) }).collect()).collect();
            let as_slices: Vec<&[u64]> = values.iter().map(Vec::as_slice).collect();
            let (release, _) = table(&as_slices);
            let withheld = release.suppress();
            assert!(release.recoverable(&withheld).is_empty(), "{values:?} {withheld:?}");
            for (c, &(_, value)) in release.cells.iter().enumerate() {
                assert!(!(1..=4).contains(&value) || withheld[c]);
            }
        }
    }
}
