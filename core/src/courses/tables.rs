//! The tables of the courses domain: declared here, registered by [`super::DOMAIN`], read and
//! written only in [`super::records`].

use crate::store::{AnyTable, Table};

/// Course id → course record (JSON): details, sessions, teaching team, state.
pub(crate) const COURSES: Table<u64, &[u8]> = Table::new("courses");
/// (organisation, course) → (): an organisation's courses.
pub(crate) const COURSES_BY_ORG: Table<(u64, u64), ()> = Table::new("courses_by_org");
/// (course, part, n) → a course's bookkeeping, every row of one course side by side so that a
/// registration or a promotion copies paths of one B-tree into its commit rather than one of
/// each of several trees (schema 20 gathered the places, the list and the waitlist; schema 33
/// the registration records and the open offers, before in `course_registrations` and
/// `course_offers_due`):
/// - `(course, BOOK_SEATS, 0)` → its [`super::records::Seats`]: places held, waiting, the
///   next waitlist position, when the scheduler next looks at its offers. Every registration
///   rewrites it, so registrations of one course serialise on it.
/// - `(course, BOOK_LISTED, registration)` → the registration's record: the course's
///   registrations, in id order.
/// - `(course, BOOK_WAITING, position)` → the registration ids of one waitlist entry (a group
///   is one entry), in the order the registrations committed.
/// - `(course, BOOK_OFFERED, registration)` → when the open offer of the registration lapses
///   (µs since 1970): the course's open offers, which [`OFFER_CHECKS`] brings to the scheduler.
/// - `(course, BOOK_MADE, month as YYYYMM)` → how many registrations of the course were made in
///   the month (the reports' figure `course_registrations`, schema 35; before in
///   [`COURSE_COUNTS`]): counted in the tree a registration writes anyway, and found by the
///   reports through [`REGISTRATION_MONTHS`].
pub(crate) const COURSE_BOOK: Table<(u64, u64, u64), &[u8]> = Table::new("course_book");
/// The part of [`COURSE_BOOK`] holding a course's places row.
pub(crate) const BOOK_SEATS: u64 = 0;
/// The part of [`COURSE_BOOK`] holding a course's registrations.
pub(crate) const BOOK_LISTED: u64 = 1;
/// The part of [`COURSE_BOOK`] holding a course's waitlist, by position.
pub(crate) const BOOK_WAITING: u64 = 2;
/// The part of [`COURSE_BOOK`] holding a course's open offers, by registration.
pub(crate) const BOOK_OFFERED: u64 = 3;
/// The part of [`COURSE_BOOK`] holding how many registrations of a course were made, by month.
pub(crate) const BOOK_MADE: u64 = 4;
/// (month as YYYYMM, organisation, course) → (): the courses with registrations made in a month,
/// whose count lies in their book (`(course, BOOK_MADE, month)`), so that a report reads the
/// counts of its months without looking at every course. Written when a course's first
/// registration of a month is made (schema 35), so most registrations leave it as it is.
pub(crate) const REGISTRATION_MONTHS: Table<(u32, u64, u64), ()> = Table::new("course_registration_months");
/// Registration id → its course: where its record lies in [`COURSE_BOOK`]. Written once, when
/// the registration is made (schema 33).
pub(crate) const REGISTRATION_COURSES: Table<u64, u64> = Table::new("course_registration_courses");
/// (account, course) → the person's latest registration for the course: the live one while
/// there is one (a registration that ends keeps its row until the person registers again, so
/// ending one writes nothing here; readers check its state).
pub(crate) const REGISTRATIONS_BY_ACCOUNT: Table<(u64, u64), u64> = Table::new("course_registrations_by_account");
/// (time in µs since 1970, course) → (): when the scheduler looks at a course's open offers,
/// one row per course that has any, at or before the first of them lapses (schema 33). A new
/// offer that lapses no earlier than the course's row leaves it as it is, so a promotion
/// writes here only when its course had none; the scheduler's look lets the offers that
/// lapsed lapse and leaves a row for the first still open.
pub(crate) const OFFER_CHECKS: Table<(i64, u64), ()> = Table::new("course_offer_checks");
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
/// 28) of `course_attendances` (people present at the course's held sessions that start in the
/// month) and `course_completions` (certificates issued in the month), kept by the writers of
/// the attendance marks, sessions and certificates (see `courses::figures`). Until schema 35
/// also `course_registrations` (registrations made in the month), now in [`COURSE_BOOK`].
pub(crate) const COURSE_COUNTS: Table<(&str, u32, u64, u64), u64> = Table::new("course_counts");

/// Every table of the domain.
pub(crate) const TABLES: &[&dyn AnyTable] = &[
    &COURSES,
    &COURSES_BY_ORG,
    &COURSE_BOOK,
    &REGISTRATION_COURSES,
    &REGISTRATIONS_BY_ACCOUNT,
    &OFFER_CHECKS,
    &REMINDERS_DUE,
    &COURSE_STEPS_DUE,
    &ATTENDANCE,
    &CERTIFICATES,
    &CERTIFICATES_BY_REGISTRATION,
    &COURSE_COUNTS,
    &REGISTRATION_MONTHS,
];
