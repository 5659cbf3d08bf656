//! The forums' figures for the reports: thread views per month and unique readers per month
//! and quarter, of all boards together (boards belong to no organisation).

use crate::error::Result;
use crate::store::ReadTxn;
use crate::store::figures::{Measure, Observation, When, months_of};

use super::records;
use super::stats::{ALL_BOARDS, sketch_estimate};

/// Every forum observation of `year`.
pub(crate) fn gather(txn: &ReadTxn, year: i32) -> Result<Vec<Observation>> {
    let months = months_of(year);
    let mut out = Vec::new();
    for (month, views, readers) in records::monthly_totals(txn, ALL_BOARDS, *months.start(), *months.end())? {
        out.push(Observation::monthly("forum_views", month, None, views));
        out.push(readers_of(When::Month(month), readers));
    }
    let y = year.unsigned_abs() * 10;
    for (quarter, sketch) in records::quarter_sketches(txn, ALL_BOARDS, y + 1, y + 4)? {
        out.push(readers_of(When::Quarter(quarter), sketch_estimate(&sketch)));
    }
    Ok(out)
}

/// Distinct readers of a month or quarter: they do not add up, so the domain gives both.
fn readers_of(when: When, readers: u64) -> Observation {
    Observation { figure: "forum_readers", when, org: None, category: None, measure: Measure::Distinct(readers) }
}
