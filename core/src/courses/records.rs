//! The only code that reads and writes the courses tables: course records, place bookkeeping,
//! registrations and their indexes, the waitlist, due work, attendance and certificates.

pub(crate) mod counters;
pub(crate) mod personal;

use serde::{Deserialize, Serialize};

use super::model::*;
use super::tables::*;
use crate::accounts::AccountId;
use crate::clock::Timestamp;
use crate::error::{Error, Result};
use crate::orgs::OrgId;
use crate::store::{ReadTable, Reader, Table, Value, WriteTxn, decode, encode};

/// A course as stored: the public record without the figures computed when it is shown.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct CourseRecord {
    pub id: CourseId,
    pub org: OrgId,
    pub title: String,
    pub description: String,
    pub topics: Vec<String>,
    pub language: String,
    pub audience: CourseAudience,
    pub format: CourseFormat,
    pub place: Option<CoursePlace>,
    pub online_link: Option<String>,
    pub sessions: Vec<Session>,
    pub capacity: u32,
    pub fee: Fee,
    pub registration_opens: Option<Timestamp>,
    pub registration_closes: Option<Timestamp>,
    pub prerequisites: Vec<CourseId>,
    pub trialogic: bool,
    pub trainers: Vec<AccountId>,
    pub settings: CourseSettings,
    pub state: CourseState,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
}

impl CourseRecord {
    /// Sessions that still take place, in time order.
    pub fn held_sessions(&self) -> impl Iterator<Item = &Session> {
        self.sessions.iter().filter(|s| !s.cancelled)
    }

    pub fn first_start(&self) -> Option<Timestamp> {
        self.held_sessions().map(|s| s.start).min()
    }

    pub fn last_end(&self) -> Option<Timestamp> {
        self.held_sessions().map(|s| s.end).max()
    }

    pub fn session(&self, id: SessionId) -> Result<&Session> {
        self.sessions.iter().find(|s| s.id == id).ok_or_else(|| Error::not_found("session", id))
    }
}

/// A course's places: held by confirmed participants and open offers, the next waitlist
/// position, and when the scheduler next looks at the course's open offers. Every
/// registration reads and writes this row, so registrations of one course serialise on it
/// (capacity holds under concurrent writers).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Seats {
    pub taken: u32,
    pub waiting: u32,
    pub next_position: u64,
    /// The time (µs since 1970) of the course's row in [`OFFER_CHECKS`], while it has one: at
    /// or before the first of its open offers lapses (schema 33).
    #[serde(default)]
    pub offer_check: Option<i64>,
}

pub(crate) fn load_course(txn: &impl Reader, id: CourseId) -> Result<CourseRecord> {
    let table = txn.table(COURSES)?;
    let bytes = table.get(id.0)?.ok_or_else(|| Error::not_found("course", id))?;
    decode(bytes.value(), || format!("course {id}"))
}

/// Writes a course's record, new or changed, and moves the attendance of a session that was
/// moved to another month or cancelled in the report counters (the record it replaces says
/// where it counted).
pub(crate) fn save_course(txn: &WriteTxn, course: &CourseRecord) -> Result<()> {
    let before: Option<CourseRecord> = match txn.open_table(COURSES)?.insert(course.id.0, encode(course)?.as_slice())? {
        Some(old) => Some(decode(old.value(), || format!("course {}", course.id))?),
        None => None,
    };
    txn.open_table(COURSES_BY_ORG)?.put((course.org.0, course.id.0), ())?;
    counters::follow_sessions(txn, before.as_ref(), course)
}

/// Courses from id `start` on, in id order, until `visit` says stop.
pub(crate) fn scan_courses(
    txn: &impl Reader,
    start: u64,
    mut visit: impl FnMut(CourseRecord) -> Result<bool>,
) -> Result<()> {
    for row in txn.table(COURSES)?.range(start..)? {
        let (id, bytes) = row?;
        let course: CourseRecord = decode(bytes.value(), || format!("course {}", id.value()))?;
        if !visit(course)? {
            break;
        }
    }
    Ok(())
}

/// The course ids of one organisation from `start` on.
pub(crate) fn org_course_ids(txn: &impl Reader, org: OrgId, start: u64) -> Result<Vec<u64>> {
    let table = txn.table(COURSES_BY_ORG)?;
    table.range((org.0, start)..=(org.0, u64::MAX))?.map(|row| Ok(row?.0.value().1)).collect()
}

pub(crate) fn load_seats(txn: &impl Reader, course: CourseId) -> Result<Seats> {
    match txn.table(COURSE_BOOK)?.get((course.0, BOOK_SEATS, 0))? {
        Some(bytes) => decode(bytes.value(), || format!("places of course {course}")),
        None => Ok(Seats::default()),
    }
}

pub(crate) fn save_seats(txn: &WriteTxn, course: CourseId, seats: &Seats) -> Result<()> {
    txn.open_table(COURSE_BOOK)?.put((course.0, BOOK_SEATS, 0), encode(seats)?.as_slice())?;
    Ok(())
}

/// A registration by its id alone: its course first, then its record in the course's book.
pub(crate) fn load_registration(txn: &impl Reader, id: RegistrationId) -> Result<Registration> {
    let course = txn.table(REGISTRATION_COURSES)?.get(id.0)?.map(|v| v.value());
    load_registration_of(txn, CourseId(course.ok_or_else(|| Error::not_found("registration", id))?), id)
}

/// A registration of a known course (one point read).
pub(crate) fn load_registration_of(txn: &impl Reader, course: CourseId, id: RegistrationId) -> Result<Registration> {
    let table = txn.table(COURSE_BOOK)?;
    let bytes = table.get((course.0, BOOK_LISTED, id.0))?.ok_or_else(|| Error::not_found("registration", id))?;
    decode(bytes.value(), || format!("registration {id}"))
}

/// Writes a registration of `course` into the course's book and keeps its indexes in step: for
/// a new one its course by id and the report counter of registrations made, and the person's
/// latest registration while it is live.
///
/// An index row is written only when it changes: rewriting a row that is already there would
/// still copy its B-tree page (and the pages above it) into the commit. Most saves (an offer,
/// an acceptance, a cancellation: the row of an ended registration stays until the person
/// registers again) leave both indexes as they were, and write one tree only.
pub(crate) fn save_registration(txn: &WriteTxn, course: &CourseRecord, reg: &Registration) -> Result<()> {
    let key = (reg.course.0, BOOK_LISTED, reg.id.0);
    let created = txn.open_table(COURSE_BOOK)?.insert(key, encode(reg)?.as_slice())?.is_none();
    if created {
        txn.open_table(REGISTRATION_COURSES)?.put(reg.id.0, reg.course.0)?;
        let month = crate::store::figures::month_of(reg.registered_at);
        counters::count(txn, counters::REGISTRATIONS_MADE, month, course.org, reg.course, 1)?;
    }
    if reg.state.is_live() {
        let mut by_account = txn.open_table(REGISTRATIONS_BY_ACCOUNT)?;
        let key = (reg.account.0, reg.course.0);
        if by_account.get(key)?.map(|v| v.value()) != Some(reg.id.0) {
            by_account.put(key, reg.id.0)?;
        }
    }
    Ok(())
}

/// Takes a registration out of every table (an erasure): its record, its course by id and,
/// when it is the person's latest for the course, that row.
pub(crate) fn delete_registration(txn: &WriteTxn, reg: &Registration) -> Result<()> {
    txn.open_table(COURSE_BOOK)?.delete((reg.course.0, BOOK_LISTED, reg.id.0))?;
    txn.open_table(REGISTRATION_COURSES)?.delete(reg.id.0)?;
    let mut by_account = txn.open_table(REGISTRATIONS_BY_ACCOUNT)?;
    let key = (reg.account.0, reg.course.0);
    if by_account.get(key)?.map(|v| v.value()) == Some(reg.id.0) {
        by_account.delete(key)?;
    }
    Ok(())
}

/// The person's live registration for a course, if any.
pub(crate) fn live_registration(
    txn: &impl Reader,
    account: AccountId,
    course: CourseId,
) -> Result<Option<Registration>> {
    let Some(id) = txn.table(REGISTRATIONS_BY_ACCOUNT)?.get((account.0, course.0))?.map(|v| v.value()) else {
        return Ok(None);
    };
    let reg = load_registration_of(txn, course, RegistrationId(id))?;
    Ok(reg.state.is_live().then_some(reg))
}

/// Every live registration of a person, in course order.
pub(crate) fn registrations_of(txn: &impl Reader, account: AccountId) -> Result<Vec<Registration>> {
    let table = txn.table(REGISTRATIONS_BY_ACCOUNT)?;
    let mut live = Vec::new();
    for row in table.range((account.0, 0)..=(account.0, u64::MAX))? {
        let (key, id) = row?;
        let reg = load_registration_of(txn, CourseId(key.value().1), RegistrationId(id.value()))?;
        if reg.state.is_live() {
            live.push(reg);
        }
    }
    Ok(live)
}

/// A course's registrations from id `start` on, in id order.
pub(crate) fn course_registrations(txn: &impl Reader, course: CourseId, start: u64) -> Result<Vec<Registration>> {
    let table = txn.table(COURSE_BOOK)?;
    let rows = table.range((course.0, BOOK_LISTED, start)..=(course.0, BOOK_LISTED, u64::MAX))?;
    rows.map(|row| {
        let (key, bytes) = row?;
        decode(bytes.value(), || format!("registration {}", key.value().2))
    })
    .collect()
}

/// The waitlist of a course in order: (position, registrations of the entry).
pub(crate) fn waitlist(txn: &impl Reader, course: CourseId) -> Result<Vec<(u64, Vec<RegistrationId>)>> {
    let table = txn.table(COURSE_BOOK)?;
    let mut out = Vec::new();
    for row in table.range(waiting(course))? {
        let (key, bytes) = row?;
        let position = key.value().2;
        let ids: Vec<RegistrationId> =
            decode(bytes.value(), || format!("waitlist entry {position} of course {course}"))?;
        out.push((position, ids));
    }
    Ok(out)
}

/// One waitlist entry of a course by its position (a point read).
pub(crate) fn waitlist_entry(
    txn: &impl Reader,
    course: CourseId,
    position: u64,
) -> Result<Option<Vec<RegistrationId>>> {
    let table = txn.table(COURSE_BOOK)?;
    let Some(bytes) = table.get((course.0, BOOK_WAITING, position))? else { return Ok(None) };
    decode(bytes.value(), || format!("waitlist entry {position} of course {course}")).map(Some)
}

/// Walks a course's waitlist in order, decoding one entry at a time, until `visit` says
/// stop: promotion reads only the entries it offers places to (usually the first).
pub(crate) fn visit_waitlist(
    txn: &impl Reader,
    course: CourseId,
    mut visit: impl FnMut(u64, Vec<RegistrationId>) -> bool,
) -> Result<()> {
    let table = txn.table(COURSE_BOOK)?;
    for row in table.range(waiting(course))? {
        let (key, bytes) = row?;
        let position = key.value().2;
        let ids = decode(bytes.value(), || format!("waitlist entry {position} of course {course}"))?;
        if !visit(position, ids) {
            break;
        }
    }
    Ok(())
}

pub(crate) fn put_waitlist(txn: &WriteTxn, course: CourseId, position: u64, ids: &[RegistrationId]) -> Result<()> {
    txn.open_table(COURSE_BOOK)?.put((course.0, BOOK_WAITING, position), encode(&ids)?.as_slice())?;
    Ok(())
}

pub(crate) fn remove_waitlist(txn: &WriteTxn, course: CourseId, position: u64) -> Result<()> {
    txn.open_table(COURSE_BOOK)?.delete((course.0, BOOK_WAITING, position))?;
    Ok(())
}

/// The first position on a course's waitlist (for moving someone to its head).
pub(crate) fn first_position(txn: &impl Reader, course: CourseId) -> Result<Option<u64>> {
    let table = txn.table(COURSE_BOOK)?;
    let first = table.range(waiting(course))?.next();
    first.map(|row| Ok(row?.0.value().2)).transpose()
}

/// The keys of a course's waitlist in [`COURSE_BOOK`].
fn waiting(course: CourseId) -> std::ops::RangeInclusive<(u64, u64, u64)> {
    (course.0, BOOK_WAITING, 0)..=(course.0, BOOK_WAITING, u64::MAX)
}

/// Opens the offer of `reg`, lapsing at `expires`, in its course's book, and makes sure the
/// scheduler looks at the course by then (`seats`: the course's places, saved by the caller).
pub(crate) fn add_offer(txn: &WriteTxn, seats: &mut Seats, reg: &Registration, expires: Timestamp) -> Result<()> {
    let at = expires.timestamp_micros();
    txn.open_table(COURSE_BOOK)?.put((reg.course.0, BOOK_OFFERED, reg.id.0), encode(&at)?.as_slice())?;
    check_offers_by(txn, seats, reg.course, at)
}

/// Makes sure the course's row in [`OFFER_CHECKS`] is due at or before `at` (µs): writes one
/// only when the course has none, or only a later one (`seats` keeps its time).
pub(crate) fn check_offers_by(txn: &WriteTxn, seats: &mut Seats, course: CourseId, at: i64) -> Result<()> {
    if seats.offer_check.is_some_and(|due| due <= at) {
        return Ok(());
    }
    let mut checks = txn.open_table(OFFER_CHECKS)?;
    if let Some(due) = seats.offer_check {
        checks.delete((due, course.0))?;
    }
    checks.put((at, course.0), ())?;
    seats.offer_check = Some(at);
    Ok(())
}

/// Closes the open offer of a registration (answered, ended, moved). The course's row in
/// [`OFFER_CHECKS`] stays: the scheduler's look finds nothing more to do.
pub(crate) fn remove_offer(txn: &WriteTxn, course: CourseId, reg: RegistrationId) -> Result<()> {
    txn.open_table(COURSE_BOOK)?.delete((course.0, BOOK_OFFERED, reg.0))?;
    Ok(())
}

/// A course's open offers: (registration, when it lapses in µs), in registration order.
pub(crate) fn open_offers(txn: &impl Reader, course: CourseId) -> Result<Vec<(RegistrationId, i64)>> {
    let table = txn.table(COURSE_BOOK)?;
    let rows = table.range((course.0, BOOK_OFFERED, 0)..=(course.0, BOOK_OFFERED, u64::MAX))?;
    rows.map(|row| {
        let (key, bytes) = row?;
        let reg = key.value().2;
        Ok((RegistrationId(reg), decode(bytes.value(), || format!("the offer of registration {reg}"))?))
    })
    .collect()
}

/// Courses whose open offers are due for a look at or before `now`, at most `limit`: (time in
/// µs, course), removed from the index.
pub(crate) fn take_offer_checks(txn: &WriteTxn, now: Timestamp, limit: usize) -> Result<Vec<(i64, CourseId)>> {
    let rows = take_due(txn, OFFER_CHECKS, now, limit, |()| 0)?;
    Ok(rows.into_iter().map(|((at, course), _)| (at, CourseId(course))).collect())
}

/// Reminders due at or before `now`: (session, course), removed from the index.
pub(crate) fn take_due_reminders(txn: &WriteTxn, now: Timestamp, limit: usize) -> Result<Vec<(SessionId, CourseId)>> {
    let rows = take_due(txn, REMINDERS_DUE, now, limit, |course| course)?;
    Ok(rows.into_iter().map(|((_, session), course)| (SessionId(session), CourseId(course))).collect())
}

/// Course steps due at or before `now`: (course, step), removed from the index.
pub(crate) fn take_due_steps(txn: &WriteTxn, now: Timestamp, limit: usize) -> Result<Vec<(CourseId, u64)>> {
    Ok(take_due(txn, COURSE_STEPS_DUE, now, limit, |step| step)?
        .into_iter()
        .map(|((_, course), step)| (CourseId(course), step))
        .collect())
}

/// Removes and returns up to `limit` rows `((time, id), value)` of a due-work index whose time
/// is at or before `now`, earliest first (`value` reads a row's value as a number).
fn take_due<V: Value>(
    txn: &WriteTxn,
    table: Table<(i64, u64), V>,
    now: Timestamp,
    limit: usize,
    value: impl for<'v> Fn(V::SelfType<'v>) -> u64,
) -> Result<Vec<((i64, u64), u64)>> {
    let mut index = txn.open_table(table)?;
    let end = (now.timestamp_micros(), u64::MAX);
    let mut due = Vec::new();
    for row in index.range((i64::MIN, 0)..=end)?.take(limit) {
        let (key, stored) = row?;
        due.push((key.value(), value(stored.value())));
    }
    for (key, _) in &due {
        index.delete(*key)?;
    }
    Ok(due)
}

/// A course starts running.
pub(crate) const STEP_START: u64 = 1;
/// A course's last session ended: it completes.
pub(crate) const STEP_END: u64 = 2;

/// Keeps a course's reminders and state steps in step with its sessions and state: removes
/// those `before` scheduled (its record before the change) and schedules those of `course`.
pub(crate) fn reschedule(
    txn: &WriteTxn,
    before: Option<&CourseRecord>,
    course: &CourseRecord,
    now: Timestamp,
) -> Result<()> {
    let mut reminders = txn.open_table(REMINDERS_DUE)?;
    let mut steps = txn.open_table(COURSE_STEPS_DUE)?;
    if let Some(old) = before {
        for (at, session) in reminder_keys(old) {
            reminders.delete((at, session))?;
        }
        for (at, _) in step_keys(old) {
            steps.delete((at, old.id.0))?;
        }
    }
    if !matches!(course.state, CourseState::Published | CourseState::Running) {
        return Ok(());
    }
    for (at, session) in reminder_keys(course) {
        let start = course.session(SessionId(session))?.start;
        if start > now {
            reminders.put((at, session), course.id.0)?;
        }
    }
    for (at, step) in step_keys(course) {
        if step == STEP_END || course.state == CourseState::Published {
            steps.put((at, course.id.0), step)?;
        }
    }
    Ok(())
}

fn reminder_keys(course: &CourseRecord) -> Vec<(i64, u64)> {
    let lead = chrono::Duration::hours(i64::from(course.settings.reminder_hours));
    course.held_sessions().map(|s| ((s.start - lead).timestamp_micros(), s.id.0)).collect()
}

fn step_keys(course: &CourseRecord) -> Vec<(i64, u64)> {
    match (course.first_start(), course.last_end()) {
        (Some(first), Some(last)) => vec![(first.timestamp_micros(), STEP_START), (last.timestamp_micros(), STEP_END)],
        _ => Vec::new(),
    }
}

/// Replaces who attended a session of `course` (`present`: without repeats), and moves the
/// difference in the report counter of its month while it is held.
pub(crate) fn set_attendance(
    txn: &WriteTxn,
    course: &CourseRecord,
    session: SessionId,
    present: &[AccountId],
) -> Result<()> {
    let mut table = txn.open_table(ATTENDANCE)?;
    let mut removed = 0;
    table.retain_in((course.id.0, session.0, 0)..=(course.id.0, session.0, u64::MAX), |_, _| {
        removed += 1;
        false
    })?;
    for account in present {
        table.insert((course.id.0, session.0, account.0), ())?;
    }
    drop(table);
    match counters::attendance_month(course, session) {
        Some(month) => {
            counters::count(txn, counters::ATTENDANCES, month, course.org, course.id, present.len() as i64 - removed)
        }
        None => Ok(()),
    }
}

/// Who attended a session, in account order.
pub(crate) fn attendance(txn: &impl Reader, course: CourseId, session: SessionId) -> Result<Vec<AccountId>> {
    let table = txn.table(ATTENDANCE)?;
    let rows = table.range((course.0, session.0, 0)..=(course.0, session.0, u64::MAX))?;
    rows.map(|row| Ok(AccountId(row?.0.value().2))).collect()
}

pub(crate) fn certificate_code(txn: &impl Reader, reg: RegistrationId) -> Result<Option<String>> {
    Ok(txn.table(CERTIFICATES_BY_REGISTRATION)?.get(reg.0)?.map(|v| v.value().to_string()))
}

pub(crate) fn load_certificate(txn: &impl Reader, code: &str) -> Result<Option<Certificate>> {
    let table = txn.table(CERTIFICATES)?;
    let Some(bytes) = table.get(code)? else { return Ok(None) };
    decode(bytes.value(), || "a certificate".to_string()).map(Some)
}

/// Writes a certificate of a course of `org`; a new one counts as a completion in the month
/// it is issued.
pub(crate) fn save_certificate(txn: &WriteTxn, org: OrgId, cert: &Certificate) -> Result<()> {
    let created = txn.open_table(CERTIFICATES)?.insert(cert.code.as_str(), encode(cert)?.as_slice())?.is_none();
    txn.open_table(CERTIFICATES_BY_REGISTRATION)?.put(cert.registration.0, cert.code.as_str())?;
    if created {
        let month = crate::store::figures::month_of(cert.issued_at);
        counters::count(txn, counters::COMPLETIONS, month, org, cert.course, 1)?;
    }
    Ok(())
}

/// Every certificate, for the integrity check.
pub(crate) fn all_certificates(txn: &impl Reader) -> Result<Vec<Certificate>> {
    let table = txn.table(CERTIFICATES)?;
    table.iter()?.map(|row| decode(row?.1.value(), || "a certificate".to_string())).collect()
}

/// Every registration, in course order (for the integrity check, an export, an erasure).
pub(crate) fn all_registrations(txn: &impl Reader) -> Result<Vec<Registration>> {
    let mut out = Vec::new();
    for row in txn.table(COURSE_BOOK)?.iter()? {
        let (key, bytes) = row?;
        let (_, part, id) = key.value();
        if part == BOOK_LISTED {
            out.push(decode(bytes.value(), || format!("registration {id}"))?);
        }
    }
    Ok(out)
}

/// Every waitlist entry of every course: (course, position, registrations).
pub(crate) fn all_waitlists(txn: &impl Reader) -> Result<Vec<(CourseId, u64, Vec<RegistrationId>)>> {
    let table = txn.table(COURSE_BOOK)?;
    let mut out = Vec::new();
    for row in table.iter()? {
        let (key, bytes) = row?;
        let (course, part, position) = key.value();
        if part == BOOK_WAITING {
            let ids = decode(bytes.value(), || format!("waitlist entry {position} of course {course}"))?;
            out.push((CourseId(course), position, ids));
        }
    }
    Ok(out)
}

/// Every open offer of every course: (course, registration, when it lapses in µs).
pub(crate) fn all_open_offers(txn: &impl Reader) -> Result<Vec<(CourseId, RegistrationId, i64)>> {
    let mut out = Vec::new();
    for row in txn.table(COURSE_BOOK)?.iter()? {
        let (key, bytes) = row?;
        let (course, part, reg) = key.value();
        if part == BOOK_OFFERED {
            let at = decode(bytes.value(), || format!("the offer of registration {reg}"))?;
            out.push((CourseId(course), RegistrationId(reg), at));
        }
    }
    Ok(out)
}

/// Every row of [`OFFER_CHECKS`]: (time in µs, course).
pub(crate) fn all_offer_checks(txn: &impl Reader) -> Result<Vec<(i64, CourseId)>> {
    let table = txn.table(OFFER_CHECKS)?;
    table
        .iter()?
        .map(|row| {
            let (at, course) = row?.0.value();
            Ok((at, CourseId(course)))
        })
        .collect()
}

/// Version 19 and before: a course's places row, on its own.
const SEATS_V19: Table<u64, &[u8]> = Table::new("course_seats");
/// Version 19 and before: (course, registration) → (), a course's registrations.
const LISTED_V19: Table<(u64, u64), ()> = Table::new("course_registrations_by_course");
/// Version 19 and before: (course, position) → the registration ids of a waitlist entry.
const WAITING_V19: Table<(u64, u64), &[u8]> = Table::new("course_waitlist");

/// Schema 20: moves each course's places row, registration list and waitlist into
/// [`COURSE_BOOK`] (the bytes of the places rows and waitlist entries unchanged) and drops the
/// three tables they were in. A file without them (older than the courses) gains nothing.
pub(crate) fn gather_course_book_v20(txn: &WriteTxn) -> Result<()> {
    let mut book = txn.open_table(COURSE_BOOK)?;
    {
        let seats = txn.open_table(SEATS_V19)?;
        for row in seats.iter()? {
            let (course, bytes) = row?;
            book.put((course.value(), BOOK_SEATS, 0), bytes.value())?;
        }
    }
    {
        let listed = txn.open_table(LISTED_V19)?;
        for row in listed.iter()? {
            let (course, registration) = row?.0.value();
            book.put((course, BOOK_LISTED, registration), &[][..])?;
        }
    }
    {
        let waiting = txn.open_table(WAITING_V19)?;
        for row in waiting.iter()? {
            let (key, bytes) = row?;
            let (course, position) = key.value();
            book.put((course, BOOK_WAITING, position), bytes.value())?;
        }
    }
    drop(book);
    txn.delete_table(SEATS_V19)?;
    txn.delete_table(LISTED_V19)?;
    txn.delete_table(WAITING_V19)?;
    Ok(())
}

/// Version 32 and before: registration id → the registration's record.
const REGISTRATIONS_V32: Table<u64, &[u8]> = Table::new("course_registrations");
/// Version 32 and before: (expiry in µs, registration) → course, open offers by when they lapse.
const OFFERS_DUE_V32: Table<(i64, u64), u64> = Table::new("course_offers_due");

/// Schema 33: moves each registration's record into its course's [`COURSE_BOOK`] (the bytes
/// unchanged) with its course by id in [`REGISTRATION_COURSES`], and each open offer into its
/// course's book, each course with open offers getting its row in [`OFFER_CHECKS`] at the first
/// of them; drops the two tables they were in. A file without them gains nothing. It runs
/// before version 28's counting, which reads the registrations where this build keeps them.
pub(crate) fn book_registrations_v33(txn: &WriteTxn) -> Result<()> {
    {
        let old = txn.open_table(REGISTRATIONS_V32)?;
        let mut book = txn.open_table(COURSE_BOOK)?;
        let mut courses = txn.open_table(REGISTRATION_COURSES)?;
        for row in old.iter()? {
            let (id, bytes) = row?;
            let reg: Registration = decode(bytes.value(), || format!("registration {}", id.value()))?;
            book.put((reg.course.0, BOOK_LISTED, reg.id.0), bytes.value())?;
            courses.put(reg.id.0, reg.course.0)?;
        }
    }
    let mut first: std::collections::BTreeMap<CourseId, i64> = std::collections::BTreeMap::new();
    {
        let old = txn.open_table(OFFERS_DUE_V32)?;
        let mut book = txn.open_table(COURSE_BOOK)?;
        for row in old.iter()? {
            let (key, course) = row?;
            let ((at, reg), course) = (key.value(), course.value());
            book.put((course, BOOK_OFFERED, reg), encode(&at)?.as_slice())?;
            let earliest = first.entry(CourseId(course)).or_insert(at);
            *earliest = (*earliest).min(at);
        }
    }
    for (course, at) in first {
        let mut seats = load_seats(txn, course)?;
        check_offers_by(txn, &mut seats, course, at)?;
        save_seats(txn, course, &seats)?;
    }
    txn.delete_table(REGISTRATIONS_V32)?;
    txn.delete_table(OFFERS_DUE_V32)?;
    Ok(())
}
