//! The courses' figures for the reports: registrations made, attendances (one person at one
//! session) and completions (certificates issued) per month, of each course's organisation, in
//! total and by course. A course's year is read off the report's year rows.

use std::collections::BTreeMap;

use crate::error::Result;
use crate::orgs::OrgId;
use crate::store::ReadTxn;
use crate::store::figures::{Measure, Observation, When, month_of, months_of};

use super::model::CourseId;
use super::records;

/// (figure, month, organisation, course) → how many.
type Sums = BTreeMap<(&'static str, u32, OrgId, CourseId), u64>;

/// Every course observation of `year`.
pub(crate) fn gather(txn: &ReadTxn, year: i32) -> Result<Vec<Observation>> {
    let months = months_of(year);
    let mut org_of: BTreeMap<CourseId, OrgId> = BTreeMap::new();
    let mut sums = Sums::new();
    records::scan_courses(txn, 0, |course| {
        for session in course.held_sessions().filter(|s| months.contains(&month_of(s.start))) {
            let present = records::attendance(txn, course.id, session.id)?.len() as u64;
            if present > 0 {
                *sums.entry(("course_attendances", month_of(session.start), course.org, course.id)).or_default() +=
                    present;
            }
        }
        org_of.insert(course.id, course.org);
        Ok(true)
    })?;
    let mut count = |figure: &'static str, month: u32, course: CourseId| {
        if let Some(org) = org_of.get(&course).filter(|_| months.contains(&month)) {
            *sums.entry((figure, month, *org, course)).or_default() += 1;
        }
    };
    for registration in records::all_registrations(txn)? {
        count("course_registrations", month_of(registration.registered_at), registration.course);
    }
    for certificate in records::all_certificates(txn)? {
        count("course_completions", month_of(certificate.issued_at), certificate.course);
    }
    Ok(observations(sums))
}

/// Each sum once by course and once into its organisation's total of the month.
fn observations(sums: Sums) -> Vec<Observation> {
    let mut totals: BTreeMap<(&'static str, u32, OrgId), u64> = BTreeMap::new();
    let mut out = Vec::new();
    for ((figure, month, org, course), n) in sums {
        *totals.entry((figure, month, org)).or_default() += n;
        let category = Some(("course", course.to_string()));
        out.push(Observation {
            figure,
            when: When::Month(month),
            org: Some(org),
            category,
            measure: Measure::Count(n),
        });
    }
    out.extend(totals.into_iter().map(|((figure, month, org), n)| Observation::monthly(figure, month, Some(org), n)));
    out
}
