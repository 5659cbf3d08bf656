//! The job board's figures for [`crate::reports`]: views per month and postings published per
//! month by contract and by region, each of the posting's organisation.

use std::collections::BTreeMap;

use crate::error::Result;
use crate::store::ReadTxn;
use crate::store::figures::{Measure, Observation, When, month_of, months_of};

use super::model::{Job, Location};
use super::records;

/// A breakdown's (dimension, key), or `None` for the total.
type Category = Option<(&'static str, String)>;

/// Every job-board observation of `year`.
pub(crate) fn gather(txn: &ReadTxn, year: i32) -> Result<Vec<Observation>> {
    let mut out = views(txn, year)?;
    out.extend(postings(txn, year)?);
    Ok(out)
}

/// Views per month and organisation (row 0 of the views table is the total of all postings,
/// which the reports add up themselves).
fn views(txn: &ReadTxn, year: i32) -> Result<Vec<Observation>> {
    let org_of = records::org_of_postings(txn)?;
    let mut sums: BTreeMap<(u32, Option<u64>), u64> = BTreeMap::new();
    for (job, month, views) in records::views_in(txn, &months_of(year))? {
        *sums.entry((month, org_of.get(&job).copied())).or_default() += views;
    }
    Ok(sums.into_iter().map(|((month, org), n)| Observation::monthly("job_views", month, org, n)).collect())
}

/// Postings first published in `year`: per month and organisation, in total and by contract
/// and by region (the country and the first digit of the postcode, e.g. `DE-1`; `remote`; for
/// a posting placed by coordinates alone, its organisation's home region such as `DE-TH`).
fn postings(txn: &ReadTxn, year: i32) -> Result<Vec<Observation>> {
    let months = months_of(year);
    let mut sums: BTreeMap<(u32, u64, Category), u64> = BTreeMap::new();
    let mut home_regions: BTreeMap<u64, String> = BTreeMap::new();
    for facts in records::every_posting_as::<Job>(txn)? {
        let Some(month) = facts.published_at.map(month_of).filter(|m| months.contains(m)) else { continue };
        let region = match region(&facts.location) {
            Some(region) => region,
            None => home_region(txn, &mut home_regions, facts.org)?,
        };
        for category in [None, Some(("contract", facts.contract.as_str().to_string())), Some(("region", region))] {
            *sums.entry((month, facts.org, category)).or_default() += 1;
        }
    }
    Ok(sums
        .into_iter()
        .map(|((month, org, category), n)| Observation {
            figure: "job_postings",
            when: When::Month(month),
            org: Some(org),
            category,
            measure: Measure::Count(n),
        })
        .collect())
}

/// The region a posting's own location names; `None` when it names no country.
fn region(location: &Location) -> Option<String> {
    match location {
        Location::Remote => Some("remote".into()),
        Location::OnSite { country, postcode, .. } => {
            let area = postcode.as_deref().and_then(|p| p.chars().next()).filter(char::is_ascii_digit);
            match (country.as_deref(), area) {
                (Some(c), Some(a)) => Some(format!("{c}-{a}")),
                (Some(c), None) => Some(c.to_string()),
                _ => None,
            }
        }
    }
}

/// An organisation's home region, looked up once per organisation.
fn home_region(txn: &ReadTxn, known: &mut BTreeMap<u64, String>, org: u64) -> Result<String> {
    if let Some(region) = known.get(&org) {
        return Ok(region.clone());
    }
    let region = crate::orgs::load(txn, org)?.region;
    known.insert(org, region.clone());
    Ok(region)
}
