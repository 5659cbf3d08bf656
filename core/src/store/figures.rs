//! What domains hand the reports: observations of their own figures, gathered from their own
//! tables by the function each registers in `crate::DOMAINS` (`figures`). The reports module
//! reads no domain's tables; a domain adds a figure by emitting it here.
//!
//! These types live in the store, below every domain and below the reports module, because the
//! store's registry names them: the domains depend on them and `reports` gathers them, and
//! neither the store nor this file imports a domain or the reports back.

use super::ReadTxn;
use crate::error::Result;
use crate::ids::OrgId;

/// A domain's gathering function: every observation of calendar year `year`.
pub(crate) type Gather = fn(&ReadTxn, i32) -> Result<Vec<Observation>>;

/// When an observation was made: a month (YYYYMM) or a quarter (YYYY × 10 + 1..=4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum When {
    Month(u32),
    Quarter(u32),
}

/// What was observed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Measure {
    /// A number of people or of what they did; adds up across months, organisations and
    /// categories.
    Count(u64),
    /// A number of distinct people, which does not add up (a reader of two months is one
    /// reader of the quarter): given per month and per quarter by the domain.
    Distinct(u64),
    /// A histogram of whole hours (hours, how many): waiting times; reported as median and
    /// 90th percentile, over as many people as the histogram holds.
    Hours(Vec<(u64, u64)>),
}

/// One figure of one month or quarter, of one organisation (`None`: not attributed to one;
/// the platform's figure is the sum of all), optionally in one category of a breakdown.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Observation {
    /// `forum_views`, `job_postings`, …: see the reports module's `FIGURES`.
    pub figure: &'static str,
    pub when: When,
    pub org: Option<OrgId>,
    /// (dimension, key), e.g. `("contract", "permanent")`; `None` for the figure's total. The
    /// categories of one dimension add up to the total.
    pub category: Option<(&'static str, String)>,
    pub measure: Measure,
}

impl Observation {
    /// A count of one month, not broken down.
    pub fn monthly(figure: &'static str, month: u32, org: Option<OrgId>, n: u64) -> Self {
        Observation { figure, when: When::Month(month), org, category: None, measure: Measure::Count(n) }
    }
}

/// YYYYMM of the months of `year` run from `year`01 to `year`12.
pub(crate) fn months_of(year: i32) -> std::ops::RangeInclusive<u32> {
    let y = year.unsigned_abs() * 100;
    y + 1..=y + 12
}

/// The month (YYYYMM) of a timestamp.
pub(crate) fn month_of(at: crate::clock::Timestamp) -> u32 {
    use chrono::Datelike;
    at.year().unsigned_abs() * 100 + at.month()
}

/// The integrity check of a domain's report counters: `expected` is what its records add up
/// to, `stored` what the counters hold; every counter missing, wrong or left over is noted in
/// `problems` under `what` ("moderation actions per month").
pub(crate) fn check_counters<K: Ord + std::fmt::Debug, V: PartialEq + std::fmt::Debug>(
    what: &str,
    expected: &std::collections::BTreeMap<K, V>,
    stored: &std::collections::BTreeMap<K, V>,
    problems: &mut Vec<String>,
) {
    for (key, want) in expected {
        match stored.get(key) {
            None => problems.push(format!("the counter {key:?} of {what} is missing (it should hold {want:?})")),
            Some(have) if have != want => {
                problems.push(format!("the counter {key:?} of {what} holds {have:?}; the records say {want:?}"))
            }
            Some(_) => {}
        }
    }
    for (key, have) in stored.iter().filter(|(key, _)| !expected.contains_key(key)) {
        problems.push(format!("the counter {key:?} of {what} is left over (it holds {have:?}; nothing to count)"));
    }
}
