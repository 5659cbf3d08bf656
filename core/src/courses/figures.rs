//! The courses' figures for the reports: registrations made, attendances (one person at one
//! session) and completions (certificates issued) per month, of each course's organisation, in
//! total and by course.
//!
//! They come from counters kept when registrations, attendance marks, sessions and
//! certificates are written (see `records::counters`), so a report reads one row per figure,
//! month and course with anything to count, instead of every course, attendance mark,
//! registration and certificate: its cost does not grow with the records. A registration
//! counts in the month it was made, whatever became of it (cancelled, declined, expired); an
//! attendance in the month its session starts, while the session is held; a completion in
//! the month its certificate was issued. An erased person's registrations, marks and
//! certificates leave the counters with them.

use std::collections::BTreeMap;

use crate::error::Result;
use crate::orgs::OrgId;
use crate::store::ReadTxn;
use crate::store::figures::{Measure, Observation, When, months_of};

use super::model::CourseId;
use super::records::counters;

/// (figure, month, organisation, course) → how many.
type Sums = BTreeMap<(&'static str, u32, OrgId, CourseId), u64>;

/// Every course observation of `year`.
pub(crate) fn gather(txn: &ReadTxn, year: i32) -> Result<Vec<Observation>> {
    Ok(observations(counters::counts_in(txn, &months_of(year))?))
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

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::*;
    use crate::courses::records::{self, CourseRecord};
    use crate::courses::tables::{BOOK_MADE, COURSE_BOOK, COURSE_COUNTS};
    use crate::courses::{CertificateName, NewCourse, Registration, RegistrationState, Repeat, SessionInput};
    use crate::store::encode;
    use crate::store::figures::month_of;
    use crate::{AccountId, Actor, Clock, NewAccount, PageRequest, Platform, TestClock, fixtures};

    /// The figures as they were made before the counters, and the reference the counters must
    /// match: every course scanned with its sessions' attendance, every registration and every
    /// certificate read.
    fn whole_tables(txn: &ReadTxn, year: i32) -> Vec<Observation> {
        let months = months_of(year);
        let mut org_of: BTreeMap<CourseId, OrgId> = BTreeMap::new();
        let mut sums = Sums::new();
        records::scan_courses(txn, 0, |course: CourseRecord| {
            for session in course.held_sessions().filter(|s| months.contains(&month_of(s.start))) {
                let present = records::attendance(txn, course.id, session.id)?.len() as u64;
                if present > 0 {
                    *sums.entry(("course_attendances", month_of(session.start), course.org, course.id)).or_default() +=
                        present;
                }
            }
            org_of.insert(course.id, course.org);
            Ok(true)
        })
        .unwrap();
        let mut count = |figure: &'static str, month: u32, course: CourseId| {
            if let Some(org) = org_of.get(&course).filter(|_| months.contains(&month)) {
                *sums.entry((figure, month, *org, course)).or_default() += 1;
            }
        };
        for registration in records::all_registrations(txn).unwrap() {
            count("course_registrations", month_of(registration.registered_at), registration.course);
        }
        for certificate in records::all_certificates(txn).unwrap() {
            count("course_completions", month_of(certificate.issued_at), certificate.course);
        }
        observations(sums)
    }

    /// The figures of 2025 and 2026 both ways, compared; returns how many observations.
    fn same_as_whole_tables(p: &Platform) -> usize {
        let txn = p.store().read().unwrap();
        let mut n = 0;
        for year in [2025, 2026] {
            let counted = gather(&txn, year).unwrap();
            assert_eq!(counted, whole_tables(&txn, year), "the figures of {year}");
            n += counted.len();
        }
        n
    }

    /// Four weekly sessions from `start` (local time in Berlin).
    fn seminar(org: OrgId, start: &str, capacity: u32) -> NewCourse {
        let end = start.replace("T18:00", "T20:00");
        fixtures::online_course(org, start, &end, Some(Repeat { every_days: 7, count: 4 }), capacity)
    }

    fn confirmed(p: &Platform, course: CourseId) -> Vec<Registration> {
        let page = p.courses().registrations(&Actor::Operator, course, &PageRequest::first(100)).unwrap();
        page.items.into_iter().filter(|r| r.state == RegistrationState::Confirmed).collect()
    }

    /// Three courses of two organisations across the turn of the year, registrations (some
    /// waitlisted, some cancelled), attendance recorded and corrected, a session moved to
    /// another month and one cancelled after their attendance was taken, a course cancelled
    /// while running, certificates claimed and a participant erased: after every step the
    /// counters give exactly the figures the whole tables gave, and again after a version 27
    /// file is migrated; the integrity check finds them right.
    #[test]
    fn the_counters_give_the_figures_the_whole_tables_gave_before_and_after_migration() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("courses.trialog");
        let clock = TestClock::at("2025-11-03T08:00:00Z".parse().unwrap());
        let p = Platform::open(&path, fixtures::on(&clock)).unwrap();
        let op = Actor::Operator;
        let orgs = [fixtures::association(&p, "Jena"), fixtures::association(&p, "Erfurt")];
        let starts = ["2025-12-16T18:00", "2025-12-30T18:00", "2026-01-13T18:00"];
        let courses: Vec<CourseId> = starts
            .iter()
            .enumerate()
            .map(|(i, start)| {
                let course = p.courses().create(&op, &seminar(orgs[i % 2], start, 4)).unwrap();
                p.courses().publish(&op, course.id).unwrap().id
            })
            .collect();
        let people: Vec<AccountId> = (0..9)
            .map(|i| {
                let new = NewAccount { pseudonym: format!("Teilnehmende{i}"), ..Default::default() };
                p.accounts().create(&op, &new).unwrap().id
            })
            .collect();
        let mut dice = fixtures::Dice(0x2545_F491_4F6C_DD1D);
        for (i, person) in people.iter().enumerate() {
            clock.advance(Duration::days(4));
            for course in &courses {
                if dice.roll(3) > 0 {
                    let reg = p.courses().register(&Actor::account(*person), *course, &[]).unwrap().remove(0);
                    if i % 4 == 3 {
                        p.courses().cancel_registration(&Actor::account(*person), reg.id).unwrap();
                    }
                }
            }
        }
        same_as_whole_tables(&p);
        let mut sessions: Vec<(chrono::DateTime<chrono::Utc>, CourseId, crate::courses::SessionId)> = Vec::new();
        for course in &courses {
            for s in p.courses().get(&op, *course).unwrap().sessions {
                sessions.push((s.start, *course, s.id));
            }
        }
        sessions.sort();
        for (n, (start, course, session)) in sessions.iter().enumerate() {
            clock.set(*start + Duration::minutes(10));
            if p.courses().get(&op, *course).unwrap().sessions.iter().any(|s| s.id == *session && s.cancelled) {
                continue;
            }
            let there: Vec<AccountId> = confirmed(&p, *course).iter().map(|r| r.account).collect();
            for _ in 0..1 + dice.roll(2) {
                let present: Vec<AccountId> = there.iter().copied().filter(|_| dice.roll(5) > 0).collect();
                p.courses().record_attendance(&op, *course, *session, &present).unwrap();
                same_as_whole_tables(&p);
            }
            match n {
                3 => {
                    let to = SessionInput {
                        start: "2026-02-24T18:00".into(),
                        end: "2026-02-24T20:00".into(),
                        time_zone: "Europe/Berlin".into(),
                        repeat: None,
                    };
                    p.courses().move_session(&op, *course, *session, &to).unwrap();
                }
                5 => drop(p.courses().cancel_session(&op, *course, *session).unwrap()),
                8 => drop(p.courses().cancel(&op, courses[1], "Die Trainerin ist erkrankt.").unwrap()),
                _ => {}
            }
            same_as_whole_tables(&p);
        }
        clock.set("2026-03-10T08:00:00Z".parse().unwrap());
        p.tick(&op, clock.now()).unwrap();
        let mut certified = 0;
        for course in &courses {
            for reg in confirmed(&p, *course) {
                let claim =
                    p.courses().claim_certificate(&Actor::account(reg.account), reg.id, &CertificateName::Pseudonym);
                certified += u32::from(claim.is_ok());
            }
        }
        assert!(certified > 0, "some participants completed a course");
        same_as_whole_tables(&p);
        let erased = records::all_certificates(&p.store().read().unwrap()).unwrap()[0].account;
        p.rights().erase(&op, erased, None, "Antrag auf Löschung").unwrap();
        let before = same_as_whole_tables(&p);
        assert!(before > 12, "figures of three kinds, months and courses: {before}");
        assert!(p.integrity().unwrap().problems.is_empty(), "{:?}", p.integrity().unwrap().problems);
        let p = fixtures::rewound(p, &path, fixtures::on(&clock), 27, |txn| {
            assert!(txn.delete_table(COURSE_COUNTS)?, "the counters were there to take away");
            Ok(())
        });
        assert_eq!(same_as_whole_tables(&p), before, "the migrated counters give the same figures");
        let report = p.integrity().unwrap();
        assert_eq!(report.schema_version, crate::SCHEMA_VERSION);
        assert!(report.problems.is_empty(), "{:?}", report.problems);
    }

    /// A counter missing, one wrong and one left over: the integrity check names each.
    #[test]
    fn the_integrity_check_reports_counters_missing_wrong_or_left_over() {
        let (p, _clock) = fixtures::platform_at("2025-11-03T08:00:00Z");
        let op = Actor::Operator;
        let org = fixtures::association(&p, "Jena");
        let course = p.courses().create(&op, &seminar(org, "2025-12-16T18:00", 4)).unwrap().id;
        p.courses().publish(&op, course).unwrap();
        for i in 0..2 {
            let new = NewAccount { pseudonym: format!("Teilnehmende{i}"), ..Default::default() };
            let person = p.accounts().create(&op, &new).unwrap().id;
            p.courses().register(&Actor::account(person), course, &[]).unwrap();
        }
        assert!(p.integrity().unwrap().problems.is_empty());
        // The registrations made are counted in the course's book (schema 35).
        let made = (course.0, BOOK_MADE, 202511);
        p.store()
            .write(|txn| {
                txn.open_table(COURSE_BOOK)?.put(made, encode(&3u64)?.as_slice())?;
                let mut counts = txn.open_table(COURSE_COUNTS)?;
                counts.put(("course_completions", 202512, org.0, course.0), 1)?;
                // A row of the figure where version 34 kept it.
                counts.put(("course_registrations", 202511, org.0, course.0), 2)?;
                Ok(())
            })
            .unwrap();
        let problems = p.integrity().unwrap().problems;
        let said = |problems: &[String], words: &str| problems.iter().any(|line| line.contains(words));
        assert!(said(&problems, "\"course_registrations\", 202511"), "{problems:?}");
        assert!(said(&problems, "of course figures holds 3; the records say 2"), "{problems:?}");
        assert!(said(&problems, "\"course_completions\", 202512"), "{problems:?}");
        assert!(said(&problems, "of course figures is left over (it holds 1; nothing to count)"), "{problems:?}");
        assert!(said(&problems, "the course counters hold 1 rows of figures"), "{problems:?}");
        p.store().write(|txn| txn.open_table(COURSE_BOOK)?.delete(made).map(drop)).unwrap();
        let problems = p.integrity().unwrap().problems;
        assert!(said(&problems, "of course figures is missing (it should hold 2)"), "{problems:?}");
        assert!(
            said(&problems, &format!("course {course} is indexed with registrations made in 202511")),
            "{problems:?}"
        );
    }
}
