//! The tables of the courses domain: declared here, registered by [`super::DOMAIN`], read and
//! written only in [`super::records`].

use crate::store::{AnyTable, Table};

/// Course id → course record (JSON): details, sessions, teaching team, state.
pub(crate) const COURSES: Table<u64, &[u8]> = Table::new("courses");
/// (organisation, course) → (): an organisation's courses.
pub(crate) const COURSES_BY_ORG: Table<(u64, u64), ()> = Table::new("courses_by_org");
/// (course, part, n) → a course's bookkeeping, every row of one course side by side so that a
/// registration or a promotion copies one path of one B-tree into its commit rather than one of
/// each of three trees (schema 20; before, `course_seats`, `course_registrations_by_course`
/// and `course_waitlist`):
/// - `(course, BOOK_SEATS, 0)` → its [`super::records::Seats`]: places held, waiting, the
///   next waitlist position. Every registration rewrites it, so registrations of one course
///   serialise on it.
/// - `(course, BOOK_LISTED, registration)` → nothing: the course's registrations.
/// - `(course, BOOK_WAITING, position)` → the registration ids of one waitlist entry (a group
///   is one entry), in the order the registrations committed.
pub(crate) const COURSE_BOOK: Table<(u64, u64, u64), &[u8]> = Table::new("course_book");
/// The part of [`COURSE_BOOK`] holding a course's places row.
pub(crate) const BOOK_SEATS: u64 = 0;
/// The part of [`COURSE_BOOK`] listing a course's registrations.
pub(crate) const BOOK_LISTED: u64 = 1;
/// The part of [`COURSE_BOOK`] holding a course's waitlist, by position.
pub(crate) const BOOK_WAITING: u64 = 2;
/// Registration id → registration record.
pub(crate) const REGISTRATIONS: Table<u64, &[u8]> = Table::new("course_registrations");
/// (account, course) → registration: one live registration per person and course.
pub(crate) const REGISTRATIONS_BY_ACCOUNT: Table<(u64, u64), u64> = Table::new("course_registrations_by_account");
/// (expiry in µs since 1970, registration) → course: open offers by the time they lapse.
pub(crate) const OFFERS_DUE: Table<(i64, u64), u64> = Table::new("course_offers_due");
/// (due time in µs, session) → course: session reminders not yet sent.
pub(crate) const REMINDERS_DUE: Table<(i64, u64), u64> = Table::new("course_reminders_due");
/// (time in µs, course) → 1 when the course starts running then, 2 when it completes then.
pub(crate) const COURSE_STEPS_DUE: Table<(i64, u64), u64> = Table::new("course_steps_due");
/// (course, session, account) → (): who attended a session.
pub(crate) const ATTENDANCE: Table<(u64, u64, u64), ()> = Table::new("course_attendance");
/// Verification code → certificate record (JSON).
pub(crate) const CERTIFICATES: Table<&str, &[u8]> = Table::new("course_certificates");
/// Registration → its certificate's verification code.
pub(crate) const CERTIFICATES_BY_REGISTRATION: Table<u64, &str> = Table::new("course_certificates_by_registration");
/// (figure, month as YYYYMM, organisation, course) → how many: the report counters (schema
/// 28) of `course_registrations` (registrations made in the month), `course_attendances`
/// (people present at the course's held sessions that start in the month) and
/// `course_completions` (certificates issued in the month), kept by the writers of the
/// registrations, attendance marks, sessions and certificates (see `courses::figures`).
pub(crate) const COURSE_COUNTS: Table<(&str, u32, u64, u64), u64> = Table::new("course_counts");

/// Every table of the domain.
pub(crate) const TABLES: &[&dyn AnyTable] = &[
    &COURSES,
    &COURSES_BY_ORG,
    &COURSE_BOOK,
    &REGISTRATIONS,
    &REGISTRATIONS_BY_ACCOUNT,
    &OFFERS_DUE,
    &REMINDERS_DUE,
    &COURSE_STEPS_DUE,
    &ATTENDANCE,
    &CERTIFICATES,
    &CERTIFICATES_BY_REGISTRATION,
    &COURSE_COUNTS,
];
