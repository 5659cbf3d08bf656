//! The directory's figures for the reports: contact requests made to self-help groups per
//! month, of each group's contact point. They come from counters written with each request,
//! since requests themselves are purged after a while (see [`super::due`]).

use crate::error::Result;
use crate::store::figures::{Observation, months_of};
use crate::store::{ReadTxn, WriteTxn};

use super::records;

/// Every observation of `year`: one count per month and contact point; requests to groups
/// without a contact point count towards the platform's total only.
pub(crate) fn gather(txn: &ReadTxn, year: i32) -> Result<Vec<Observation>> {
    let months = months_of(year);
    let counts = records::request_counts(txn, *months.start(), *months.end())?;
    Ok(counts
        .into_iter()
        .map(|(month, org, n)| Observation::monthly("group_contact_requests", month, org, n))
        .collect())
}

/// Schema 13 (the counters' first version): counts the requests a file still holds, so that
/// the months before the upgrade are not reported as none.
pub(crate) fn count_held_requests(txn: &WriteTxn) -> Result<()> {
    let mut held = Vec::new();
    records::visit_requests(txn, |rec| {
        held.push(rec?);
        Ok(())
    })?;
    for rec in held {
        let contact_point = match records::load_group(txn, rec.request.group) {
            Ok(group) => group.contact_point,
            Err(_) => rec.org,
        };
        records::count_request(txn, crate::store::figures::month_of(rec.request.created_at), contact_point)?;
    }
    Ok(())
}
