//! The forums' figures for [`crate::reports`]: thread views per month and unique readers per
//! month and quarter, of all boards together (boards belong to no organisation).

use crate::error::Result;
use crate::reports::figures::{Measure, Observation, When, months_of};
use crate::store::{ReadTable, ReadTxn, Reader};

use super::stats::{ALL_BOARDS, sketch_estimate};
use super::tables::{FORUM_MONTHLY, FORUM_QUARTER_SKETCHES};

/// Every forum observation of `year`.
pub(crate) fn gather(txn: &ReadTxn, year: i32) -> Result<Vec<Observation>> {
    let months = months_of(year);
    let mut out = Vec::new();
    for row in txn.table(FORUM_MONTHLY)?.range((ALL_BOARDS, *months.start())..=(ALL_BOARDS, *months.end()))? {
        let (key, value) = row?;
        let (month, (views, readers)) = (key.value().1, value.value());
        out.push(Observation::monthly("forum_views", month, None, views));
        let when = When::Month(month);
        out.push(Observation {
            figure: "forum_readers",
            when,
            org: None,
            category: None,
            measure: Measure::Distinct(readers),
        });
    }
    let y = year.unsigned_abs() * 10;
    for row in txn.table(FORUM_QUARTER_SKETCHES)?.range((ALL_BOARDS, y + 1)..=(ALL_BOARDS, y + 4))? {
        let (key, sketch) = row?;
        let readers = sketch_estimate(sketch.value());
        let when = When::Quarter(key.value().1);
        out.push(Observation {
            figure: "forum_readers",
            when,
            org: None,
            category: None,
            measure: Measure::Distinct(readers),
        });
    }
    Ok(out)
}
