//! Counselling's figures for [`crate::reports`], from the monthly counters (which outlive
//! purges): enquiries (per organisation, as far as one took them), first responses, hours to
//! the first response, SLA breaches.

use crate::error::Result;
use crate::store::ReadTxn;
use crate::store::figures::{Measure, Observation, When, months_of};

use super::records;

/// Every counselling observation of `year`.
pub(crate) fn gather(txn: &ReadTxn, year: i32) -> Result<Vec<Observation>> {
    let mut out = Vec::new();
    for month in months_of(year) {
        let counters = records::counters(txn, month)?;
        if counters.is_empty() {
            continue;
        }
        out.extend(of_month(month, &counters));
    }
    Ok(out)
}

fn of_month(month: u32, counters: &[(String, u64)]) -> Vec<Observation> {
    let get = |name: &str| counters.iter().find(|(n, _)| n == name).map_or(0, |(_, c)| *c);
    let mut out = Vec::new();
    let mut attributed = 0;
    let mut hours = Vec::new();
    for (name, n) in counters {
        if let Some(org) = name.strip_prefix("org:").and_then(|o| o.parse().ok()) {
            attributed += n;
            out.push(Observation::monthly("counsel_enquiries", month, Some(org), *n));
        } else if let Some(h) = name.strip_prefix("response_hours:").and_then(|h| h.parse().ok()) {
            hours.push((h, *n));
        }
    }
    let unattributed = get("enquiries").saturating_sub(attributed);
    out.push(Observation::monthly("counsel_enquiries", month, None, unattributed));
    out.push(Observation::monthly("counsel_first_responses", month, None, get("responses")));
    out.push(Observation::monthly("counsel_sla_breaches", month, None, get("breaches")));
    if !hours.is_empty() {
        let measure = Measure::Hours(hours);
        let when = When::Month(month);
        out.push(Observation { figure: "counsel_first_response_hours", when, org: None, category: None, measure });
    }
    out
}
