//! The courses' report counters (schema 28): (figure, month, organisation, course) → how many
//! registrations were made, people were present at held sessions, certificates were issued.
//!
//! Each writer keeps them in step with what it writes, so that the counters always hold what
//! the records add up to: a new registration and a new certificate count one in their month
//! (an erasure, which deletes them, takes them back off); a session's attendance counts in the
//! month the session starts while it is held, so replacing who attended moves the difference,
//! and moving or cancelling a session (or the course) moves its whole attendance. Registrations
//! and certificates are never otherwise deleted, and a course never changes organisation.
//!
//! The registrations made (schema 35) are counted in the course's book rather than in
//! `course_counts`: every registration writes that tree anyway, so its count costs the commit no
//! tree of its own. `course_registration_months` names the courses with a count in each month
//! for the reports, and is written only by a course's first registration of a month.

use std::collections::BTreeMap;
use std::ops::{Bound, RangeInclusive};

use super::super::model::{Certificate, CourseId, Registration, RegistrationId, SessionId};
use super::super::tables::{
    ATTENDANCE, BOOK_MADE, CERTIFICATES, COURSE_BOOK, COURSE_COUNTS, REGISTRATION_COURSES, REGISTRATION_MONTHS,
};
use super::{CourseRecord, scan_courses};
use crate::error::{Error, Result};
use crate::orgs::OrgId;
use crate::store::figures::{check_counters, month_of};
use crate::store::{ReadTable, Reader, WriteTxn, add_to_counter, decode, encode};

/// Registrations made in the month.
pub(crate) const REGISTRATIONS_MADE: &str = "course_registrations";
/// People present at the course's held sessions that start in the month.
pub(crate) const ATTENDANCES: &str = "course_attendances";
/// Certificates issued in the month.
pub(crate) const COMPLETIONS: &str = "course_completions";
/// The figures `course_counts` keeps, in key order (the registrations made are in the books).
const IN_COUNTS: [&str; 2] = [ATTENDANCES, COMPLETIONS];

/// Records one batch of the version 28 migration holds in memory.
const BATCH: usize = 1_000;

/// (figure, month, organisation, course) → how many.
pub(crate) type Counts = BTreeMap<(&'static str, u32, OrgId, CourseId), u64>;

/// Adds `step` to one counter.
pub(crate) fn count(txn: &WriteTxn, figure: &str, month: u32, org: OrgId, course: CourseId, step: i64) -> Result<()> {
    if step == 0 {
        return Ok(());
    }
    let what = || format!("the counter of {figure} in {month} of course {course}");
    if figure == REGISTRATIONS_MADE {
        return count_made(txn, month, org, course, step, what);
    }
    add_to_counter(&mut txn.open_table(COURSE_COUNTS)?, &(figure, month, org.0, course.0), step, what)
}

/// Adds `step` to the registrations made in `month` in the course's book; the course enters
/// the month's index with its first and leaves it when the count falls to zero (an erasure).
fn count_made(
    txn: &WriteTxn,
    month: u32,
    org: OrgId,
    course: CourseId,
    step: i64,
    what: impl Fn() -> String,
) -> Result<()> {
    let mut book = txn.open_table(COURSE_BOOK)?;
    let key = (course.0, BOOK_MADE, u64::from(month));
    let was: u64 = match book.get(key)? {
        Some(bytes) => decode(bytes.value(), &what)?,
        None => 0,
    };
    let n = was.checked_add_signed(step).ok_or_else(|| Error::storage(format!("{} would fall below zero", what())))?;
    let index = (month, org.0, course.0);
    if n == 0 {
        book.delete(key)?;
        txn.open_table(REGISTRATION_MONTHS)?.delete(index)?;
        return Ok(());
    }
    book.put(key, encode(&n)?.as_slice())?;
    if was == 0 {
        txn.open_table(REGISTRATION_MONTHS)?.put(index, ())?;
    }
    Ok(())
}

/// The month whose attendance a session of `course` counts in: the month it starts, while it
/// is held; `None` once cancelled (or for a session the record does not hold).
pub(crate) fn attendance_month(course: &CourseRecord, session: SessionId) -> Option<u32> {
    course.held_sessions().find(|s| s.id == session).map(|s| month_of(s.start))
}

/// How many people attended a session.
pub(crate) fn present_at(txn: &impl Reader, course: CourseId, session: SessionId) -> Result<u64> {
    let table = txn.table(ATTENDANCE)?;
    let mut n = 0;
    for row in table.range((course.0, session.0, 0)..=(course.0, session.0, u64::MAX))? {
        row?;
        n += 1;
    }
    Ok(n)
}

/// Keeps the attendance counters in step with a change of a course's sessions (`before`: its
/// record before the change, `None` for a new course): a session whose month changed, or that
/// was cancelled, takes its whole attendance along.
pub(crate) fn follow_sessions(txn: &WriteTxn, before: Option<&CourseRecord>, course: &CourseRecord) -> Result<()> {
    let Some(before) = before else { return Ok(()) };
    for session in &before.sessions {
        let (was, is) = (attendance_month(before, session.id), attendance_month(course, session.id));
        if was == is {
            continue;
        }
        let n = present_at(txn, course.id, session.id)? as i64;
        if let Some(month) = was {
            count(txn, ATTENDANCES, month, before.org, before.id, -n)?;
        }
        if let Some(month) = is {
            count(txn, ATTENDANCES, month, course.org, course.id, n)?;
        }
    }
    Ok(())
}

/// Every counter of `months`, in key order.
pub(crate) fn counts_in(txn: &impl Reader, months: &RangeInclusive<u32>) -> Result<Counts> {
    let table = txn.table(COURSE_COUNTS)?;
    let mut out = Counts::new();
    for figure in IN_COUNTS {
        let range = (figure, *months.start(), 0, 0)..=(figure, *months.end(), u64::MAX, u64::MAX);
        for row in table.range(range)? {
            let (key, n) = row?;
            let (_, month, org, course) = key.value();
            out.insert((figure, month, OrgId(org), CourseId(course)), n.value());
        }
    }
    for (month, org, course) in made_index(txn, months)? {
        if let Some(n) = made_in(txn, course, month)? {
            out.insert((REGISTRATIONS_MADE, month, org, course), n);
        }
    }
    Ok(out)
}

/// The rows of [`REGISTRATION_MONTHS`] in `months`: (month, organisation, course).
fn made_index(txn: &impl Reader, months: &RangeInclusive<u32>) -> Result<Vec<(u32, OrgId, CourseId)>> {
    let table = txn.table(REGISTRATION_MONTHS)?;
    let rows = table.range((*months.start(), 0, 0)..=(*months.end(), u64::MAX, u64::MAX))?;
    rows.map(|row| {
        let (month, org, course) = row?.0.value();
        Ok((month, OrgId(org), CourseId(course)))
    })
    .collect()
}

/// How many registrations of `course` were made in `month`, as its book counts them.
fn made_in(txn: &impl Reader, course: CourseId, month: u32) -> Result<Option<u64>> {
    let table = txn.table(COURSE_BOOK)?;
    let Some(bytes) = table.get((course.0, BOOK_MADE, u64::from(month)))? else { return Ok(None) };
    decode(bytes.value(), || format!("the registrations made in {month} of course {course}")).map(Some)
}

/// The keys of every count of registrations made in the books.
fn all_made(txn: &impl Reader) -> Result<Vec<(u64, u64, u64)>> {
    let mut out = Vec::new();
    for row in txn.table(COURSE_BOOK)?.iter()? {
        let key = row?.0.value();
        if key.1 == BOOK_MADE {
            out.push(key);
        }
    }
    Ok(out)
}

/// Version 35: moves the counters of registrations made from `course_counts` into each
/// course's book, with the course's row in [`REGISTRATION_MONTHS`] for each month it counts.
pub(crate) fn book_made_counts_v35(txn: &WriteTxn) -> Result<()> {
    let range = (REGISTRATIONS_MADE, 0, 0, 0)..=(REGISTRATIONS_MADE, u32::MAX, u64::MAX, u64::MAX);
    let mut counts = txn.open_table(COURSE_COUNTS)?;
    let mut book = txn.open_table(COURSE_BOOK)?;
    let mut index = txn.open_table(REGISTRATION_MONTHS)?;
    for row in counts.range(range.clone())? {
        let (key, n) = row?;
        let (_, month, org, course) = key.value();
        book.put((course, BOOK_MADE, u64::from(month)), encode(&n.value())?.as_slice())?;
        index.put((month, org, course), ())?;
    }
    counts.retain_in(range, |_, _| false)?;
    Ok(())
}

/// Version 28: the counters, counted afresh (whatever a file rewound to an older version
/// still held is dropped first) from the courses and their attendance, the registrations and
/// the certificates, a batch of records at a time.
pub(crate) fn count_all_v28(txn: &WriteTxn) -> Result<()> {
    txn.open_table(COURSE_COUNTS)?.retain(|_, _| false)?;
    let made = all_made(txn)?;
    let mut book = txn.open_table(COURSE_BOOK)?;
    for key in made {
        book.delete(key)?;
    }
    drop(book);
    txn.open_table(REGISTRATION_MONTHS)?.retain(|_, _| false)?;
    let org_of = count_attendance_v28(txn)?;
    let mut start = 0;
    loop {
        let batch = registrations_from(txn, start)?;
        for reg in &batch {
            if let Some(org) = org_of.get(&reg.course) {
                count(txn, REGISTRATIONS_MADE, month_of(reg.registered_at), *org, reg.course, 1)?;
            }
        }
        match batch.last() {
            Some(last) if batch.len() == BATCH => start = last.id.0 + 1,
            _ => break,
        }
    }
    let mut after: Option<String> = None;
    loop {
        let batch = certificates_after(txn, after.as_deref())?;
        for cert in &batch {
            if let Some(org) = org_of.get(&cert.course) {
                count(txn, COMPLETIONS, month_of(cert.issued_at), *org, cert.course, 1)?;
            }
        }
        match batch.last() {
            Some(last) if batch.len() == BATCH => after = Some(last.code.clone()),
            _ => return Ok(()),
        }
    }
}

/// Version 28: counts the attendance of every course's held sessions, a batch of courses at a
/// time; returns every course's organisation.
fn count_attendance_v28(txn: &WriteTxn) -> Result<BTreeMap<CourseId, OrgId>> {
    let mut org_of = BTreeMap::new();
    let mut start = 0;
    loop {
        let mut batch = Vec::with_capacity(BATCH);
        scan_courses(txn, start, |course| {
            batch.push(course);
            Ok(batch.len() < BATCH)
        })?;
        for course in &batch {
            org_of.insert(course.id, course.org);
            for session in course.held_sessions() {
                let n = present_at(txn, course.id, session.id)? as i64;
                count(txn, ATTENDANCES, month_of(session.start), course.org, course.id, n)?;
            }
        }
        match batch.last() {
            Some(last) if batch.len() == BATCH => start = last.id.0 + 1,
            _ => return Ok(org_of),
        }
    }
}

/// Up to a batch of registrations from id `start` on.
fn registrations_from(txn: &impl Reader, start: u64) -> Result<Vec<Registration>> {
    let table = txn.table(REGISTRATION_COURSES)?;
    let rows = table.range(start..)?.take(BATCH);
    rows.map(|row| {
        let (id, course) = row?;
        super::load_registration_of(txn, CourseId(course.value()), RegistrationId(id.value()))
    })
    .collect()
}

/// Up to a batch of certificates after code `after` (from the first without).
fn certificates_after(txn: &impl Reader, after: Option<&str>) -> Result<Vec<Certificate>> {
    let table = txn.table(CERTIFICATES)?;
    let lower = after.map_or(Bound::Unbounded, Bound::Excluded);
    let rows = table.range::<&str>((lower, Bound::Unbounded))?.take(BATCH);
    rows.map(|row| decode(row?.1.value(), || "a certificate".to_string())).collect()
}

/// What the records add up to: every course's held sessions' attendance, every registration
/// and every certificate, each under its course's organisation (the figures as they were made
/// before the counters).
pub(crate) fn recount(txn: &impl Reader) -> Result<Counts> {
    let mut org_of: BTreeMap<CourseId, OrgId> = BTreeMap::new();
    let mut sums = Counts::new();
    scan_courses(txn, 0, |course| {
        for session in course.held_sessions() {
            let present = present_at(txn, course.id, session.id)?;
            if present > 0 {
                *sums.entry((ATTENDANCES, month_of(session.start), course.org, course.id)).or_default() += present;
            }
        }
        org_of.insert(course.id, course.org);
        Ok(true)
    })?;
    let mut add = |figure: &'static str, month: u32, course: CourseId| {
        if let Some(org) = org_of.get(&course) {
            *sums.entry((figure, month, *org, course)).or_default() += 1;
        }
    };
    for reg in super::all_registrations(txn)? {
        add(REGISTRATIONS_MADE, month_of(reg.registered_at), reg.course);
    }
    for cert in super::all_certificates(txn)? {
        add(COMPLETIONS, month_of(cert.issued_at), cert.course);
    }
    Ok(sums)
}

/// The integrity check of the counters: each is what the records add up to, none is missing
/// and none is left over, and the index of registrations made names each count in the books
/// (a count it does not name shows as missing below).
pub(crate) fn check(txn: &impl Reader, problems: &mut Vec<String>) -> Result<()> {
    let months = 0..=u32::MAX;
    let stored = counts_in(txn, &months)?;
    let mut left_over = 0;
    for row in txn.table(COURSE_COUNTS)?.iter()? {
        let (key, _) = row?;
        if !IN_COUNTS.contains(&key.value().0) {
            left_over += 1;
        }
    }
    if left_over > 0 {
        problems.push(format!("the course counters hold {left_over} rows of figures the courses do not keep"));
    }
    for (month, _, course) in made_index(txn, &months)? {
        if made_in(txn, course, month)?.is_none() {
            problems.push(format!("course {course} is indexed with registrations made in {month} but counts none"));
        }
    }
    check_counters("course figures", &recount(txn)?, &stored, problems);
    Ok(())
}
