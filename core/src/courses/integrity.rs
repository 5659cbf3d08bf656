//! The courses' integrity check: every record reads, places held and waiting agree with the
//! registrations, the waitlist and open offers agree with the registrations' states.

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
        if reg.state.is_live() && records::live_registration(txn, reg.account, reg.course)? != Some(reg.id) {
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
    let offers = records::all_offers_due(txn)?;
    for reg in registrations.iter().filter(|r| r.state == RegistrationState::Offered) {
        let indexed = reg.offer_expires_at.is_some_and(|at| offers.contains(&(at.timestamp_micros(), reg.id)));
        if !indexed {
            problems.push(format!("the offer of registration {} is not in the due index", reg.id));
        }
    }
    for cert in records::all_certificates(txn)? {
        if records::certificate_code(txn, cert.registration)?.as_deref() != Some(cert.code.as_str()) {
            problems.push(format!("the certificate of registration {} is not indexed", cert.registration));
        }
    }
    Ok(courses.len() as u64)
}
