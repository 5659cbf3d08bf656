//! The job board's figures for [`crate::reports`]: views per month and postings published per
//! month by contract and by region, each of the posting's organisation.
//!
//! Both come from counters kept when a posting is written (see `records::save_posting` and
//! `records::count_view`), so a report reads a few rows per organisation and month instead of
//! every posting. A posting counts in the month it was first published (which never changes:
//! only drafts are published) under its contract and region *as they are now*: an edit of a
//! published posting moves it from its old contract or region to its new one. Withdrawn,
//! filled and expired postings keep counting; postings are never deleted (an erasure takes a
//! person's seeker profile, searches and interests, not an organisation's postings).

use std::collections::BTreeMap;

use crate::error::{Error, Result};
use crate::orgs::OrgId;
use crate::store::ReadTxn;
use crate::store::figures::{Measure, Observation, When, month_of, months_of};

use super::model::{Job, Location};
use super::records;

/// A breakdown's (dimension, key), or `None` for the total.
type Category = Option<(&'static str, String)>;

/// The counter dimension of a posting placed by coordinates alone: it counts under its
/// organisation's home region, looked up when the report is made (as the region it stands for
/// follows the organisation's record).
pub(super) const HOME: &str = "home";
/// The counter dimensions of contracts and of regions a posting's location names.
pub(super) const CONTRACT: &str = "contract";
pub(super) const REGION: &str = "region";

/// Where a published posting counts: the month it was first published, its organisation, its
/// contract, and its region (dimension [`REGION`] with the region, or [`HOME`] with "").
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Tally {
    pub month: u32,
    pub org: OrgId,
    pub contract: String,
    pub place: (&'static str, String),
}

impl Tally {
    /// Where `job` counts; `None` for a posting never published.
    pub fn of(job: &Job) -> Option<Tally> {
        let month = month_of(job.published_at?);
        let place = match region(&job.location) {
            Some(region) => (REGION, region),
            None => (HOME, String::new()),
        };
        Some(Tally { month, org: job.org, contract: job.contract.as_str().to_string(), place })
    }
}

/// Every job-board observation of `year`.
pub(crate) fn gather(txn: &ReadTxn, year: i32) -> Result<Vec<Observation>> {
    let mut out = views(txn, year)?;
    out.extend(postings(txn, year)?);
    Ok(out)
}

/// Views per month and organisation, from the counters kept beside each posting's (views of
/// a posting no organisation lists, which only a file older than the counters can hold, are
/// the platform's: organisation 0).
fn views(txn: &ReadTxn, year: i32) -> Result<Vec<Observation>> {
    let rows = records::org_views_in(txn, &months_of(year))?;
    Ok(rows
        .into_iter()
        .map(|(month, org, n)| Observation::monthly("job_views", month, (org != OrgId(0)).then_some(org), n))
        .collect())
}

/// Postings first published in `year`: per month and organisation, in total and by contract
/// and by region (the country and the first digit of the postcode, e.g. `DE-1`; `remote`; for
/// a posting placed by coordinates alone, its organisation's home region such as `DE-TH`).
fn postings(txn: &ReadTxn, year: i32) -> Result<Vec<Observation>> {
    let mut sums: BTreeMap<(u32, OrgId, Category), u64> = BTreeMap::new();
    let mut home_regions: BTreeMap<OrgId, String> = BTreeMap::new();
    for (month, org, dimension, key, n) in records::posting_counts_in(txn, &months_of(year))? {
        let category = match dimension.as_str() {
            CONTRACT => {
                *sums.entry((month, org, None)).or_default() += n;
                (CONTRACT, key)
            }
            REGION => (REGION, key),
            HOME => (REGION, home_region(txn, &mut home_regions, org)?),
            other => return Err(Error::storage(format!("job posting counter of unknown dimension '{other}'"))),
        };
        *sums.entry((month, org, Some(category))).or_default() += n;
    }
    Ok(sums.into_iter().map(|((month, org, category), n)| posting_observation(month, org, category, n)).collect())
}

fn posting_observation(month: u32, org: OrgId, category: Category, n: u64) -> Observation {
    Observation {
        figure: "job_postings",
        when: When::Month(month),
        org: Some(org),
        category,
        measure: Measure::Count(n),
    }
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
fn home_region(txn: &ReadTxn, known: &mut BTreeMap<OrgId, String>, org: OrgId) -> Result<String> {
    if let Some(region) = known.get(&org) {
        return Ok(region.clone());
    }
    let region = crate::orgs::load(txn, org)?.region;
    known.insert(org, region.clone());
    Ok(region)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::Duration;

    use super::*;
    use crate::jobs::model::{Contract, Hours, JobId, JobUpdate, LocationInput, NewJob, Pay, PayUnit};
    use crate::orgs::{NewOrganisation, OrgKind};
    use crate::{Actor, NewAccount, Platform, PlatformOptions, TestClock};

    /// The figures as they were made before the counters, and the reference the counters must
    /// match: every posting decoded for its organisation, month, contract and region, and
    /// every posting's views summed under its organisation.
    fn decoded(txn: &ReadTxn, year: i32) -> Vec<Observation> {
        let months = months_of(year);
        let org_of = records::org_of_postings(txn).unwrap();
        let mut views: BTreeMap<(u32, Option<OrgId>), u64> = BTreeMap::new();
        for (job, month, n) in records::views_in(txn, &months).unwrap() {
            *views.entry((month, org_of.get(&job).copied())).or_default() += n;
        }
        let mut out: Vec<Observation> =
            views.into_iter().map(|((month, org), n)| Observation::monthly("job_views", month, org, n)).collect();
        let mut sums: BTreeMap<(u32, OrgId, Category), u64> = BTreeMap::new();
        let mut home_regions = BTreeMap::new();
        for job in records::every_posting_as::<Job>(txn).unwrap() {
            let Some(month) = job.published_at.map(month_of).filter(|m| months.contains(m)) else { continue };
            let region = match region(&job.location) {
                Some(region) => region,
                None => home_region(txn, &mut home_regions, job.org).unwrap(),
            };
            for category in [None, Some(("contract", job.contract.as_str().to_string())), Some(("region", region))] {
                *sums.entry((month, job.org, category)).or_default() += 1;
            }
        }
        out.extend(sums.into_iter().map(|((month, org, category), n)| posting_observation(month, org, category, n)));
        out
    }

    fn sorted(mut observations: Vec<Observation>) -> Vec<String> {
        let mut out: Vec<String> = observations.drain(..).map(|o| format!("{o:?}")).collect();
        out.sort();
        out
    }

    /// Both ways of making the figures of 2026, compared; returns how many observations.
    fn same_as_decoded(p: &Platform) -> usize {
        let txn = p.store().read().unwrap();
        let counted = sorted(gather(&txn, 2026).unwrap());
        assert_eq!(counted, sorted(decoded(&txn, 2026)));
        counted.len()
    }

    fn new_job(org: OrgId, location: LocationInput, contract: Contract) -> NewJob {
        NewJob {
            org,
            title: "Genesungsbegleitung".into(),
            description: "Wir suchen Genesungsbegleiter:innen.".into(),
            location,
            contract,
            hours: Hours { min: 20, max: 30 },
            pay: Some(Pay {
                min: 3100.0,
                max: None,
                unit: PayUnit::Month,
                currency: "EUR".into(),
                agreement: None,
                group: None,
            }),
            requirement: None,
            languages: vec!["de".into()],
            starts_on: None,
            expires_on: chrono::NaiveDate::from_ymd_opt(2026, 12, 31),
            openings: None,
            contact: None,
        }
    }

    /// Postings published over three months, edited after publishing (contract, and place:
    /// from a postcode region to remote to coordinates, i.e. the organisation's home region),
    /// withdrawn, filled, left as drafts, viewed, and a seeker erased: after every step the
    /// counters give exactly the observations the decoding gave.
    #[test]
    fn the_counters_give_the_figures_the_decoded_postings_give() {
        let clock = TestClock::at("2026-01-10T10:00:00Z".parse().unwrap());
        let p =
            Platform::in_memory_with(PlatformOptions { clock: Arc::new(clock.clone()), ..Default::default() }).unwrap();
        let op = Actor::Operator;
        let rows = "DE\t07743\tJena\tThüringen\tTH\t\t00\tJena\t16053\t50.9271\t11.5892\t4\n\
                    DE\t10115\tBerlin\tBerlin\tBE\t\t00\tBerlin\t11000\t52.5323\t13.3846\t4\n";
        p.geo().import(&op, rows.as_bytes(), &mut |_| {}).unwrap();
        let orgs: Vec<OrgId> = ["Jena", "Erfurt"]
            .iter()
            .map(|name| {
                let new = NewOrganisation {
                    name: (*name).into(),
                    kind: OrgKind::Association,
                    region: "DE-TH".into(),
                    city: None,
                    website: None,
                };
                let org = p.orgs().create(&op, &new).unwrap().id;
                p.orgs().verify(&op, org, true, None).unwrap();
                org
            })
            .collect();
        let postcode = |code: &str| LocationInput::Postcode { country: "DE".into(), postcode: code.into() };
        let coordinates = LocationInput::Coordinates { latitude: 50.9, longitude: 11.5, place: None };
        let places = [postcode("07743"), postcode("10115"), LocationInput::Remote, coordinates.clone()];
        let contracts = [Contract::Permanent, Contract::MiniJob, Contract::Placement];
        let mut published: Vec<JobId> = Vec::new();
        for month in 0..3 {
            for i in 0..7 {
                let new = new_job(orgs[i % 2], places[(i + month) % 4].clone(), contracts[i % 3]);
                let job = p.jobs().create(&op, &new).unwrap();
                if i != 6 {
                    p.jobs().publish(&op, job.id).unwrap();
                    published.push(job.id);
                }
            }
            assert_eq!(same_as_decoded(&p), same_as_decoded(&p));
            clock.advance(Duration::days(31));
        }
        for (i, id) in published.iter().enumerate().take(8) {
            let change = JobUpdate {
                contract: (i % 2 == 0).then_some(Contract::Volunteer),
                location: Some(places[(i + 1) % 4].clone()),
                ..Default::default()
            };
            p.jobs().update(&op, *id, &change).unwrap();
            same_as_decoded(&p);
        }
        p.jobs().withdraw(&op, published[0], Some("besetzt")).unwrap();
        p.jobs().fill(&op, published[1]).unwrap();
        for (i, id) in published.iter().enumerate().skip(2) {
            for _ in 0..i % 4 {
                p.jobs().record_view(&Actor::Anonymous, *id).unwrap();
            }
        }
        let seeker = p.accounts().create(&op, &NewAccount { pseudonym: "Kim".into(), ..Default::default() }).unwrap();
        p.interests().mark(&Actor::account(seeker.id), published[3], None).unwrap();
        let before = same_as_decoded(&p);
        p.rights().erase(&op, seeker.id, None, "Antrag auf Löschung").unwrap();
        assert_eq!(same_as_decoded(&p), before, "an erasure leaves the postings and their figures");
        assert!(before > 30, "the board holds figures of three months in several categories: {before}");
    }
}
