//! The courses' integrity check: every record reads, places held and waiting agree with the
//! registrations, the waitlist and open offers agree with the registrations' states, and every
//! course with open offers has the scheduler's look due by the first of them.

use std::collections::BTreeMap;

use super::model::*;
use super::records;
use crate::error::Result;
use crate::store::Reader;

/// Counts courses, noting every disagreement in words (ids only, no personal data).
pub(crate) fn check(txn: &impl Reader, problems: &mut Vec<String>) -> Result<u64> {
    let mut courses = Vec::new();
    records::scan_courses(txn, 0, |c| {
        courses.push(c);
        Ok(true)
    })?;
    let registrations = records::all_registrations(txn)?;
    let mut held: BTreeMap<CourseId, u32> = BTreeMap::new();
    for reg in &registrations {
        if reg.state.holds_place() {
            *held.entry(reg.course).or_default() += 1;
        }
        let indexed = records::live_registration(txn, reg.account, reg.course)?.map(|r| r.id);
        if reg.state.is_live() && indexed != Some(reg.id) {
            problems.push(format!("registration {} is live but not indexed for its account", reg.id));
        }
    }
    let by_id: BTreeMap<RegistrationId, &Registration> = registrations.iter().map(|r| (r.id, r)).collect();
    let waitlists = records::all_waitlists(txn)?;
    let mut waiting: BTreeMap<CourseId, u32> = BTreeMap::new();
    for (course, position, ids) in &waitlists {
        *waiting.entry(*course).or_default() += 1;
        for id in ids {
            let reg = by_id.get(id);
            if !reg.is_some_and(|r| r.state == RegistrationState::Waiting && r.position == Some(*position)) {
                problems.push(format!(
                    "waitlist entry {position} of course {course} names registration {id}, which is not waiting there"
                ));
            }
        }
    }
    for course in &courses {
        let seats = records::load_seats(txn, course.id)?;
        let taken = held.get(&course.id).copied().unwrap_or(0);
        if seats.taken != taken {
            problems.push(format!(
                "course {} counts {} places taken; its registrations hold {taken}",
                course.id, seats.taken
            ));
        }
        if taken > course.capacity {
            problems.push(format!("course {} holds {taken} places of {}", course.id, course.capacity));
        }
        let entries = waiting.get(&course.id).copied().unwrap_or(0);
        if seats.waiting != entries {
            problems.push(format!("course {} counts {} waiting; its waitlist has {entries}", course.id, seats.waiting));
        }
    }
    check_offers(txn, &courses, &by_id, problems)?;
    for cert in records::all_certificates(txn)? {
        if records::certificate_code(txn, cert.registration)?.as_deref() != Some(cert.code.as_str()) {
            problems.push(format!("the certificate of registration {} is not indexed", cert.registration));
        }
    }
    Ok(courses.len() as u64)
}

/// Each offered registration has its open offer in its course's book with its deadline, and
/// each open offer there is one; a course with open offers has its row in the scheduler's index
/// at or before the first lapses, and every row there is the one its course's places row names.
fn check_offers(
    txn: &impl Reader,
    courses: &[records::CourseRecord],
    by_id: &BTreeMap<RegistrationId, &Registration>,
    problems: &mut Vec<String>,
) -> Result<()> {
    let offers = records::all_open_offers(txn)?;
    let open: BTreeMap<RegistrationId, (CourseId, i64)> =
        offers.iter().map(|(course, reg, at)| (*reg, (*course, *at))).collect();
    for reg in by_id.values().filter(|r| r.state == RegistrationState::Offered) {
        let booked = reg.offer_expires_at.map(|at| (reg.course, at.timestamp_micros()));
        if booked.is_none() || open.get(&reg.id).copied() != booked {
            problems.push(format!("the offer of registration {} is not in its course's book", reg.id));
        }
    }
    let mut first: BTreeMap<CourseId, i64> = BTreeMap::new();
    for (course, reg, at) in &offers {
        if !by_id.get(reg).is_some_and(|r| r.state == RegistrationState::Offered) {
            problems.push(format!("course {course} books an open offer of registration {reg}, which has none"));
        }
        let earliest = first.entry(*course).or_insert(*at);
        *earliest = (*earliest).min(*at);
    }
    let checks = records::all_offer_checks(txn)?;
    for (at, course) in &checks {
        if records::load_seats(txn, *course)?.offer_check != Some(*at) {
            problems.push(format!("the scheduler looks at the offers of course {course} at {at} µs unknown to it"));
        }
    }
    for course in courses {
        let check = records::load_seats(txn, course.id)?.offer_check;
        if let Some(at) = check
            && !checks.contains(&(at, course.id))
        {
            problems.push(format!("course {} awaits a look at its offers that the scheduler will not make", course.id));
        }
        if let Some(due) = first.get(&course.id)
            && check.is_none_or(|at| at > *due)
        {
            problems.push(format!("the scheduler would look at the offers of course {} after one lapsed", course.id));
        }
    }
    Ok(())
}
