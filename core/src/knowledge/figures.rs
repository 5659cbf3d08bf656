//! The knowledge base's figures for the reports: views of published articles per month, of
//! each article's organisation (articles of none count towards the platform's total only).
//! Unique readers are not counted: the forums' per-period keyed sketches would be needed for
//! them, and funders asked for page views.

use crate::error::Result;
use crate::store::ReadTxn;
use crate::store::figures::{Observation, months_of};

use super::records;

/// Every observation of `year`: one count per month and organisation.
pub(crate) fn gather(txn: &ReadTxn, year: i32) -> Result<Vec<Observation>> {
    let months = months_of(year);
    let counts = records::view_counts(txn, *months.start(), *months.end())?;
    Ok(counts.into_iter().map(|(month, org, n)| Observation::monthly("knowledge_views", month, org, n)).collect())
}
