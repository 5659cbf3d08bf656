//! The tables of the courses domain: declared here, registered by [`super::DOMAIN`], read and
//! written only in [`super::records`].

use crate::store::{AnyTable, Table};

/// Course id → course record (JSON): details, sessions, teaching team, state.
pub(crate) const COURSES: Table<u64, &[u8]> = Table::new("courses");
/// (organisation, course) → (): an organisation's courses.
pub(crate) const COURSES_BY_ORG: Table<(u64, u64), ()> = Table::new("courses_by_org");
/// Course id → its place bookkeeping (JSON): places held, next waitlist position. Small and
/// apart from the course record, so that every registration rewrites only this row — and
/// serialises with every other registration of the same course on it.
pub(crate) const COURSE_SEATS: Table<u64, &[u8]> = Table::new("course_seats");
/// Registration id → registration record (JSON).
pub(crate) const REGISTRATIONS: Table<u64, &[u8]> = Table::new("course_registrations");
/// (course, registration) → (): a course's registrations.
pub(crate) const REGISTRATIONS_BY_COURSE: Table<(u64, u64), ()> = Table::new("course_registrations_by_course");
/// (account, course) → registration: one live registration per person and course.
pub(crate) const REGISTRATIONS_BY_ACCOUNT: Table<(u64, u64), u64> = Table::new("course_registrations_by_account");
/// (course, position) → the registration ids of one waitlist entry (JSON list; a group is one
/// entry), in the order the registrations committed.
pub(crate) const WAITLIST: Table<(u64, u64), &[u8]> = Table::new("course_waitlist");
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

/// Every table of the domain.
pub(crate) const TABLES: &[&dyn AnyTable] = &[
    &COURSES,
    &COURSES_BY_ORG,
    &COURSE_SEATS,
    &REGISTRATIONS,
    &REGISTRATIONS_BY_COURSE,
    &REGISTRATIONS_BY_ACCOUNT,
    &WAITLIST,
    &OFFERS_DUE,
    &REMINDERS_DUE,
    &COURSE_STEPS_DUE,
    &ATTENDANCE,
    &CERTIFICATES,
    &CERTIFICATES_BY_REGISTRATION,
];
