//! Courses: publishing, the waitlist and offers, the scheduler, attendance, certificates,
//! calendars, bad input and every role's permissions.

mod common;

use std::sync::{Arc, Barrier};

use chrono::Duration;
use common::*;
use trialog_core::*;

struct World {
    p: Platform,
    clock: TestClock,
    org: OrgId,
    staff: Actor,
}

fn world() -> World {
    let clock = clock();
    let p = platform_with(&clock);
    let org = org(&p, "Selbsthilfe im Dialog", "DE-TH").id;
    p.orgs().verify(&Actor::Operator, org, true, None).unwrap();
    let staff = Actor::account(account(&p, "Organisatorin", &[Role::EmployerStaff { org }]).id);
    World { p, clock, org, staff }
}

fn session(start: &str, end: &str) -> SessionInput {
    SessionInput { start: start.into(), end: end.into(), time_zone: "Europe/Berlin".into(), repeat: None }
}

fn seminar(org: OrgId, capacity: u32) -> NewCourse {
    NewCourse {
        org,
        title: "Gruppen leiten".into(),
        description: "Ein Seminar für Selbsthilfegruppen: Moderation, Konflikte, Methoden.".into(),
        topics: vec!["self-help-groups".into()],
        language: "de".into(),
        audience: CourseAudience::SelfHelpGroupMembers,
        format: CourseFormat::Online,
        place: None,
        online_link: Some("https://meet.example.org/gruppen-leiten".into()),
        sessions: vec![SessionInput {
            repeat: Some(Repeat { every_days: 7, count: 5 }),
            ..session("2026-04-07T18:00", "2026-04-07T20:00")
        }],
        capacity,
        fee: Fee::Free,
        registration_opens: None,
        registration_closes: None,
        prerequisites: vec![],
        trialogic: false,
        settings: None,
    }
}

fn published(w: &World, capacity: u32) -> Course {
    let course = w.p.courses().create(&w.staff, &seminar(w.org, capacity)).unwrap();
    w.p.courses().publish(&w.staff, course.id).unwrap()
}

fn people(w: &World, n: usize) -> Vec<Actor> {
    (0..n).map(|i| Actor::account(account(&w.p, &format!("Teilnehmende{i}"), &[]).id)).collect()
}

fn register(w: &World, who: &Actor, course: CourseId) -> Registration {
    w.p.courses().register(who, course, &[]).unwrap().remove(0)
}

fn tick(w: &World) -> TickReport {
    w.p.tick(&Actor::Operator, w.clock.now()).unwrap()
}

fn count(report: &TickReport, what: &str) -> u64 {
    report.work.iter().filter(|c| c.what == what).map(|c| c.count).sum()
}

fn notices(w: &World, who: &Actor) -> Vec<CourseNotice> {
    let page = w.p.inbox().list(who, false, &PageRequest::first(500)).unwrap();
    let mut out: Vec<CourseNotice> = page
        .items
        .iter()
        .filter_map(|n| match n.event {
            Event::Course { notice, .. } => Some(notice),
            _ => None,
        })
        .collect();
    out.reverse();
    out
}

fn assert_intact(p: &Platform) {
    let report = p.integrity().unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

#[test]
fn a_weekly_series_keeps_its_local_time_across_summer_time() {
    let w = world();
    let mut new = seminar(w.org, 10);
    new.sessions[0] = SessionInput {
        repeat: Some(Repeat { every_days: 7, count: 3 }),
        ..session("2026-03-17T18:00", "2026-03-17T20:00")
    };
    let course = w.p.courses().create(&w.staff, &new).unwrap();
    let starts: Vec<String> = course.sessions.iter().map(|s| s.start.to_rfc3339()).collect();
    // Germany moves to summer time on 29 March 2026: 18:00 local is 17:00 UTC before, 16:00 after.
    assert_eq!(starts, ["2026-03-17T17:00:00+00:00", "2026-03-24T17:00:00+00:00", "2026-03-31T16:00:00+00:00"]);
    assert_eq!(course.state, CourseState::Draft);
}

#[test]
fn bad_input_is_refused_naming_the_field() {
    let w = world();
    let c = w.p.courses();
    let mut backwards = seminar(w.org, 10);
    backwards.sessions = vec![session("2026-04-07T20:00", "2026-04-07T18:00")];
    assert_eq!(field_of(c.create(&w.staff, &backwards)), "sessions[0].end");
    let mut overlapping = seminar(w.org, 10);
    overlapping.sessions =
        vec![session("2026-04-07T18:00", "2026-04-07T20:00"), session("2026-04-07T19:00", "2026-04-07T21:00")];
    assert_eq!(field_of(c.create(&w.staff, &overlapping)), "sessions");
    let mut series = seminar(w.org, 10);
    series.sessions[0].repeat = Some(Repeat { every_days: 7, count: 3 });
    series.sessions[0].end = "2026-04-15T18:00".into();
    assert_eq!(field_of(c.create(&w.staff, &series)), "sessions[0].end", "a session longer than a day");
    let mut series_overlap = seminar(w.org, 10);
    series_overlap.sessions.push(session("2026-04-14T19:00", "2026-04-14T21:00"));
    assert_eq!(field_of(c.create(&w.staff, &series_overlap)), "sessions", "a session overlapping one of a series");
    assert_eq!(field_of(c.create(&w.staff, &seminar(w.org, 0))), "capacity");
    let mut zone = seminar(w.org, 10);
    zone.sessions[0].time_zone = "Europe/Jena".into();
    assert_eq!(field_of(c.create(&w.staff, &zone)), "sessions[0].time_zone");
    let mut gap = seminar(w.org, 10);
    gap.sessions = vec![session("2026-03-29T02:30", "2026-03-29T04:00")];
    assert_eq!(field_of(c.create(&w.staff, &gap)), "sessions[0].start", "a time summer time skips");
    let mut no_link = seminar(w.org, 10);
    no_link.online_link = None;
    assert_eq!(field_of(c.create(&w.staff, &no_link)), "online_link");
    let mut in_person = seminar(w.org, 10);
    in_person.format = CourseFormat::InPerson;
    assert_eq!(field_of(c.create(&w.staff, &in_person)), "place");
    let mut fee = seminar(w.org, 10);
    fee.fee = Fee::Amount { amount_cents: 2500, currency: "euro".into() };
    assert_eq!(field_of(c.create(&w.staff, &fee)), "fee.currency");
    let mut topics = seminar(w.org, 10);
    topics.topics = vec!["Recovery Stories".into()];
    assert_eq!(field_of(c.create(&w.staff, &topics)), "topics[0]");
    let mut window = seminar(w.org, 10);
    window.registration_opens = Some(w.clock.now() + Duration::days(3));
    window.registration_closes = Some(w.clock.now() + Duration::days(1));
    assert_eq!(field_of(c.create(&w.staff, &window)), "registration_closes");
}

#[test]
fn registering_outside_the_window_or_twice_is_refused() {
    let w = world();
    let mut new = seminar(w.org, 10);
    new.registration_opens = Some(w.clock.now() + Duration::days(7));
    let course = w.p.courses().create(&w.staff, &new).unwrap();
    let course = w.p.courses().publish(&w.staff, course.id).unwrap();
    let ps = people(&w, 2);
    let (kim, late) = (&ps[0], &ps[1]);
    assert_eq!(field_of(w.p.courses().register(kim, course.id, &[])), "registration_opens");
    w.clock.advance(Duration::days(8));
    register(&w, kim, course.id);
    assert_eq!(field_of(w.p.courses().register(kim, course.id, &[])), "course", "registering twice");
    w.clock.set("2026-04-07T17:30:00Z".parse().unwrap());
    assert_eq!(field_of(w.p.courses().register(late, course.id, &[])), "registration_closes");
    let copy = w.p.courses().create(&w.staff, &seminar(w.org, 10)).unwrap();
    assert_eq!(field_of(w.p.courses().publish(&w.staff, copy.id)), "sessions", "its first session has begun");
}

#[test]
fn a_trialogic_course_needs_trainers_of_two_perspectives_and_shows_them() {
    let w = world();
    let trainer = |name: &str, perspective| {
        let new = NewAccount {
            pseudonym: name.into(),
            perspective,
            perspective_visibility: PerspectiveVisibility::Members,
            ..Default::default()
        };
        w.p.accounts().create(&Actor::Operator, &new).unwrap().id
    };
    let peer = trainer("Peer", Perspective::LivedExperience);
    let peer2 = trainer("Peer2", Perspective::LivedExperience);
    let relative = trainer("Angehoerige", Perspective::Relative);
    let mut new = seminar(w.org, 12);
    new.trialogic = true;
    new.language = "da".into();
    let course = w.p.courses().create(&w.staff, &new).unwrap();
    w.p.courses().set_trainers(&w.staff, course.id, &[peer, peer2]).unwrap();
    assert_eq!(field_of(w.p.courses().publish(&w.staff, course.id)), "trainers");
    w.p.courses().set_trainers(&w.staff, course.id, &[peer, relative]).unwrap();
    let course = w.p.courses().publish(&w.staff, course.id).unwrap();
    let seen = w.p.courses().get(&Actor::Anonymous, course.id).unwrap();
    assert_eq!(seen.team_perspectives, [Perspective::LivedExperience, Perspective::Relative]);
    assert_eq!(field_of(w.p.courses().set_trainers(&w.staff, course.id, &[peer])), "trainers");
}

#[test]
fn the_online_link_is_shown_to_confirmed_participants_only() {
    let w = world();
    let course = published(&w, 1);
    let [kim, lou] = <[Actor; 2]>::try_from(people(&w, 2)).unwrap();
    assert_eq!(w.p.courses().get(&Actor::Anonymous, course.id).unwrap().online_link, None);
    register(&w, &kim, course.id);
    register(&w, &lou, course.id);
    assert!(w.p.courses().get(&kim, course.id).unwrap().online_link.is_some());
    assert_eq!(w.p.courses().get(&lou, course.id).unwrap().online_link, None, "waiting is not confirmed");
    assert!(w.p.courses().get(&w.staff, course.id).unwrap().online_link.is_some());
}

#[test]
fn a_full_course_keeps_a_waitlist_and_offers_lapse_and_pass_on() {
    let w = world();
    let course = published(&w, 2);
    let ps = people(&w, 5);
    let regs: Vec<Registration> = ps.iter().map(|a| register(&w, a, course.id)).collect();
    let states: Vec<RegistrationState> = regs.iter().map(|r| r.state).collect();
    use RegistrationState::*;
    assert_eq!(states, [Confirmed, Confirmed, Waiting, Waiting, Waiting]);
    let waiting: Vec<RegistrationId> =
        w.p.courses().waitlist(&w.staff, course.id).unwrap().iter().map(|r| r.id).collect();
    assert_eq!(waiting, [regs[2].id, regs[3].id, regs[4].id]);

    // A confirmed participant cancels: the first in line is offered the place for 48 hours.
    w.p.courses().cancel_registration(&ps[0], regs[0].id).unwrap();
    let offered = w.p.courses().registration(&ps[2], regs[2].id).unwrap();
    assert_eq!(offered.state, Offered);
    assert_eq!(offered.offer_expires_at, Some(w.clock.now() + Duration::hours(48)));
    assert_eq!(notices(&w, &ps[2]), [CourseNotice::Waitlisted, CourseNotice::PlaceOffered]);

    // Nothing is due yet; after 48 hours the offer lapses and passes to the next in line.
    assert_eq!(count(&tick(&w), "course offers expired"), 0);
    w.clock.advance(Duration::hours(48));
    assert_eq!(count(&tick(&w), "course offers expired"), 1);
    assert_eq!(count(&tick(&w), "course offers expired"), 0, "a second tick at the same time does nothing");
    assert_eq!(w.p.courses().registration(&ps[2], regs[2].id).unwrap().state, Expired);
    assert_eq!(w.p.courses().registration(&ps[3], regs[3].id).unwrap().state, Offered);
    assert!(matches!(w.p.courses().answer_offer(&ps[2], regs[2].id, true), Err(Error::InvalidInput { .. })));

    // Declined: the place passes on again; accepted: confirmed.
    w.p.courses().answer_offer(&ps[3], regs[3].id, false).unwrap();
    assert_eq!(w.p.courses().registration(&ps[4], regs[4].id).unwrap().state, Offered);
    let accepted = w.p.courses().answer_offer(&ps[4], regs[4].id, true).unwrap();
    assert_eq!(accepted.state, Confirmed);
    let seen = w.p.courses().get(&w.staff, course.id).unwrap();
    assert_eq!((seen.places_taken, seen.waiting), (2, 0));
    assert_intact(&w.p);
}

#[test]
fn the_offer_time_is_configurable_per_course() {
    let w = world();
    let mut new = seminar(w.org, 1);
    new.settings = Some(CourseSettings { offer_hours: 6, ..Default::default() });
    let course = w.p.courses().create(&w.staff, &new).unwrap();
    w.p.courses().publish(&w.staff, course.id).unwrap();
    let ps = people(&w, 2);
    let first = register(&w, &ps[0], course.id);
    let second = register(&w, &ps[1], course.id);
    w.p.courses().cancel_registration(&ps[0], first.id).unwrap();
    let offered = w.p.courses().registration(&ps[1], second.id).unwrap();
    assert_eq!(offered.offer_expires_at, Some(w.clock.now() + Duration::hours(6)));
}

#[test]
fn a_group_is_kept_together_or_skipped_keeping_its_position() {
    let w = world();
    let course = published(&w, 3);
    let ps = people(&w, 6);
    let ids: Vec<AccountId> =
        ps.iter().map(|a| if let Actor::Account { id } = a { *id } else { AccountId(0) }).collect();
    let a = register(&w, &ps[0], course.id);
    let b = register(&w, &ps[1], course.id);
    register(&w, &ps[2], course.id);
    // A group of two waits as one entry, then a single person behind it.
    let group = w.p.courses().register(&ps[3], course.id, &[ids[4]]).unwrap();
    assert!(group.iter().all(|r| r.state == RegistrationState::Waiting && r.group == Some(group[0].id)));
    let single = register(&w, &ps[5], course.id);
    // One place frees: the group does not fit and keeps its place; the single person is offered it.
    w.p.courses().cancel_registration(&ps[0], a.id).unwrap();
    assert_eq!(w.p.courses().registration(&ps[5], single.id).unwrap().state, RegistrationState::Offered);
    assert_eq!(w.p.courses().registration(&ps[3], group[0].id).unwrap().state, RegistrationState::Waiting);
    // A second place frees: still only one free, the group still waits at the head.
    w.p.courses().answer_offer(&ps[5], single.id, false).unwrap();
    assert_eq!(w.p.courses().registration(&ps[3], group[0].id).unwrap().state, RegistrationState::Waiting);
    w.p.courses().cancel_registration(&ps[1], b.id).unwrap();
    // Two free now: the whole group is offered places together.
    for r in &group {
        assert_eq!(w.p.courses().registration(&Actor::Operator, r.id).unwrap().state, RegistrationState::Offered);
    }
    assert_intact(&w.p);
}

#[test]
fn organisers_move_people_by_hand_with_an_audited_reason_and_never_beyond_capacity() {
    let w = world();
    let course = published(&w, 1);
    let ps = people(&w, 3);
    register(&w, &ps[0], course.id);
    let second = register(&w, &ps[1], course.id);
    let third = register(&w, &ps[2], course.id);
    let full = w.p.courses().move_registration(&w.staff, third.id, MoveTo::Confirmed, "Referentin");
    assert!(matches!(full, Err(Error::Conflict { .. })), "{full:?}");
    assert_eq!(field_of(w.p.courses().move_registration(&w.staff, third.id, MoveTo::HeadOfWaitlist, " ")), "reason");
    w.p.courses().move_registration(&w.staff, third.id, MoveTo::HeadOfWaitlist, "Gruppe braucht Vertretung").unwrap();
    let order: Vec<RegistrationId> =
        w.p.courses().waitlist(&w.staff, course.id).unwrap().iter().map(|r| r.id).collect();
    assert_eq!(order, [third.id, second.id]);
    let audit = w.p.audit().list(&Actor::Operator, &AuditFilter::default(), &PageRequest::first(5)).unwrap();
    let entry = &audit.items[0];
    assert_eq!(entry.action, "course.registration.move");
    assert!(entry.reason.as_deref().unwrap().contains("Gruppe braucht Vertretung"));
    assert_intact(&w.p);
}

#[test]
fn a_thousand_concurrent_registrations_for_twenty_places_confirm_exactly_twenty() {
    let w = world();
    let course = published(&w, 20);
    let ps = people(&w, 1000);
    let barrier = Arc::new(Barrier::new(ps.len()));
    let handles: Vec<_> = ps
        .into_iter()
        .map(|actor| {
            let (p, barrier) = (w.p.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                p.courses().register(&actor, course.id, &[]).unwrap().remove(0)
            })
        })
        .collect();
    let regs: Vec<Registration> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let confirmed = regs.iter().filter(|r| r.state == RegistrationState::Confirmed).count();
    let mut waiting: Vec<&Registration> = regs.iter().filter(|r| r.state == RegistrationState::Waiting).collect();
    assert_eq!((confirmed, waiting.len()), (20, 980));
    // Positions are handed out in commit order: distinct, and the waitlist lists them so.
    waiting.sort_by_key(|r| r.position);
    let positions: Vec<u64> = waiting.iter().map(|r| r.position.unwrap()).collect();
    assert!(positions.windows(2).all(|p| p[0] < p[1]));
    let listed: Vec<RegistrationId> =
        w.p.courses().waitlist(&w.staff, course.id).unwrap().iter().map(|r| r.id).collect();
    assert_eq!(listed, waiting.iter().map(|r| r.id).collect::<Vec<_>>());
    let seen = w.p.courses().get(&w.staff, course.id).unwrap();
    assert_eq!((seen.places_taken, seen.waiting), (20, 980));
    assert_intact(&w.p);
}

#[test]
fn the_scheduler_sends_reminders_and_moves_courses_through_their_states_once() {
    let w = world();
    let mut new = seminar(w.org, 5);
    new.sessions =
        vec![session("2026-04-07T18:00", "2026-04-07T20:00"), session("2026-04-14T18:00", "2026-04-14T20:00")];
    new.settings = Some(CourseSettings { reminder_hours: 2, ..Default::default() });
    let course = w.p.courses().create(&w.staff, &new).unwrap();
    let course = w.p.courses().publish(&w.staff, course.id).unwrap();
    let kim = &people(&w, 1)[0];
    register(&w, kim, course.id);
    w.clock.set("2026-04-07T13:59:00Z".parse().unwrap());
    assert_eq!(count(&tick(&w), "session reminders sent"), 0, "one minute before the reminder is due");
    w.clock.advance(Duration::minutes(1));
    assert_eq!(count(&tick(&w), "session reminders sent"), 1);
    assert_eq!(count(&tick(&w), "session reminders sent"), 0, "idempotent");
    assert_eq!(notices(&w, kim), [CourseNotice::Confirmed, CourseNotice::SessionReminder]);
    w.clock.set("2026-04-07T16:00:00Z".parse().unwrap());
    tick(&w);
    assert_eq!(w.p.courses().get(kim, course.id).unwrap().state, CourseState::Running);
    // The second session moves a day: its reminder moves with it.
    let second = course.sessions[1].id;
    w.p.courses().move_session(&w.staff, course.id, second, &session("2026-04-15T18:00", "2026-04-15T20:00")).unwrap();
    w.clock.set("2026-04-14T16:00:00Z".parse().unwrap());
    assert_eq!(count(&tick(&w), "session reminders sent"), 0);
    w.clock.set("2026-04-15T15:00:00Z".parse().unwrap());
    assert_eq!(count(&tick(&w), "session reminders sent"), 1);
    w.clock.set("2026-04-15T18:00:00Z".parse().unwrap());
    let report = tick(&w);
    assert_eq!(count(&report, "courses started or completed"), 1);
    assert_eq!(w.p.courses().get(kim, course.id).unwrap().state, CourseState::Completed);
    assert!(matches!(w.p.tick(kim, w.clock.now()), Err(Error::PermissionDenied { .. })));
}

#[test]
fn attendance_completes_a_course_and_certificates_verify_showing_only_name_course_and_date() {
    let w = world();
    let trainer = account(&w.p, "Trainerin", &[]).id;
    let course = w.p.courses().create(&w.staff, &seminar(w.org, 5)).unwrap();
    w.p.courses().set_trainers(&w.staff, course.id, &[trainer]).unwrap();
    let course = w.p.courses().publish(&w.staff, course.id).unwrap();
    let ps = people(&w, 2);
    let ids: Vec<AccountId> =
        ps.iter().map(|a| if let Actor::Account { id } = a { *id } else { AccountId(0) }).collect();
    let regs: Vec<Registration> = ps.iter().map(|a| register(&w, a, course.id)).collect();
    let teacher = Actor::account(trainer);
    let first = course.sessions[0].id;
    assert_eq!(field_of(w.p.courses().record_attendance(&teacher, course.id, first, &ids)), "session", "not begun");
    // Kim attends all five sessions, Lou three of five (60 % < 80 %).
    for (n, s) in course.sessions.iter().enumerate() {
        w.clock.set(s.start + Duration::minutes(10));
        let present: Vec<AccountId> = if n < 3 { ids.clone() } else { vec![ids[0]] };
        w.p.courses().record_attendance(&teacher, course.id, s.id, &present).unwrap();
    }
    let stranger = account(&w.p, "Fremd", &[]).id;
    assert_eq!(field_of(w.p.courses().record_attendance(&teacher, course.id, first, &[stranger])), "present[0]");
    assert_eq!(field_of(w.p.courses().claim_certificate(&ps[0], regs[0].id, &CertificateName::Pseudonym)), "course");
    w.clock.set(course.sessions[4].end);
    tick(&w);
    let legal = CertificateName::Legal { name: "Kim Muster".into() };
    let cert = w.p.courses().claim_certificate(&ps[0], regs[0].id, &legal).unwrap();
    assert_eq!((cert.attended, cert.held, cert.name.as_str()), (5, 5, "Kim Muster"));
    let again = w.p.courses().claim_certificate(&ps[0], regs[0].id, &CertificateName::Pseudonym).unwrap();
    assert_eq!(again, cert, "claiming again returns the same certificate");
    assert_eq!(
        field_of(w.p.courses().claim_certificate(&ps[1], regs[1].id, &CertificateName::Pseudonym)),
        "registration"
    );
    let check = w.p.courses().verify_certificate(&Actor::Anonymous, &cert.code.to_lowercase()).unwrap();
    assert_eq!(
        check,
        CertificateCheck {
            name: "Kim Muster".into(),
            course_title: "Gruppen leiten".into(),
            completed_on: cert.completed_on
        }
    );
    assert_eq!(cert.completed_on.to_string(), "2026-05-05");
    assert!(matches!(
        w.p.courses().verify_certificate(&Actor::Anonymous, "0000-0000-0000"),
        Err(Error::NotFound { .. })
    ));
    assert_eq!(field_of(w.p.courses().verify_certificate(&Actor::Anonymous, "nonsense")), "code");
    assert_eq!(w.p.courses().certificates(&w.staff, course.id).unwrap(), [cert]);
    assert_intact(&w.p);
}

#[test]
fn a_completion_share_is_configurable_and_prerequisites_need_a_completion() {
    let w = world();
    let mut basics = seminar(w.org, 5);
    basics.sessions =
        vec![session("2026-04-07T18:00", "2026-04-07T20:00"), session("2026-04-08T18:00", "2026-04-08T20:00")];
    basics.settings = Some(CourseSettings { completion_percent: 50, ..Default::default() });
    let basics = w.p.courses().create(&w.staff, &basics).unwrap();
    let basics = w.p.courses().publish(&w.staff, basics.id).unwrap();
    let mut advanced = seminar(w.org, 5);
    advanced.prerequisites = vec![basics.id];
    advanced.sessions = vec![session("2026-06-07T18:00", "2026-06-07T20:00")];
    let advanced = w.p.courses().create(&w.staff, &advanced).unwrap();
    w.p.courses().publish(&w.staff, advanced.id).unwrap();
    let kim = &people(&w, 1)[0];
    let kim_id = if let Actor::Account { id } = kim { *id } else { AccountId(0) };
    assert_eq!(field_of(w.p.courses().register(kim, advanced.id, &[])), "course");
    let reg = register(&w, kim, basics.id);
    w.clock.set(basics.sessions[0].start);
    w.p.courses().record_attendance(&w.staff, basics.id, basics.sessions[0].id, &[kim_id]).unwrap();
    w.clock.set(basics.sessions[1].end);
    tick(&w);
    let cert = w.p.courses().claim_certificate(kim, reg.id, &CertificateName::Pseudonym).unwrap();
    assert_eq!((cert.attended, cert.held), (1, 2), "one of two is 50 %");
    assert_eq!(cert.name, "Teilnehmende0");
    register(&w, kim, advanced.id);
}

#[test]
fn cancelling_a_course_tells_everyone_and_cancels_its_calendar_entries() {
    let w = world();
    let trainer = account(&w.p, "Trainer", &[]).id;
    let course = w.p.courses().create(&w.staff, &seminar(w.org, 1)).unwrap();
    w.p.courses().set_trainers(&w.staff, course.id, &[trainer]).unwrap();
    w.p.courses().publish(&w.staff, course.id).unwrap();
    let ps = people(&w, 2);
    let reg = register(&w, &ps[0], course.id);
    register(&w, &ps[1], course.id);
    let before = w.p.courses().registration_calendar(&ps[0], reg.id).unwrap();
    assert!(before.contains("STATUS:CONFIRMED") && before.contains("SEQUENCE:0"));
    assert!(before.contains("URL:https://meet.example.org/gruppen-leiten"));
    w.p.courses().cancel(&w.staff, course.id, "Referentin erkrankt").unwrap();
    assert_eq!(notices(&w, &ps[0]).last(), Some(&CourseNotice::CourseCancelled));
    assert_eq!(notices(&w, &ps[1]).last(), Some(&CourseNotice::CourseCancelled));
    assert_eq!(notices(&w, &Actor::account(trainer)), [CourseNotice::CourseCancelled]);
    let after = w.p.courses().registration_calendar(&ps[0], reg.id).unwrap();
    assert_eq!(after.matches("STATUS:CANCELLED").count(), 5);
    assert!(after.contains("SEQUENCE:1"));
    let uid = |ics: &str| ics.lines().filter(|l| l.starts_with("UID:")).map(str::to_string).collect::<Vec<_>>();
    assert_eq!(uid(&before), uid(&after), "UIDs are stable");
    assert_intact(&w.p);
}

#[test]
fn a_course_calendar_has_the_fields_calendar_apps_need() {
    let w = world();
    let mut new = seminar(w.org, 5);
    new.title = "Recht, Methoden; Medien: ein sehr langer Seminartitel für die Selbsthilfe in Thüringen".into();
    let course = w.p.courses().create(&w.staff, &new).unwrap();
    let course = w.p.courses().publish(&w.staff, course.id).unwrap();
    let moved = course.sessions[1].id;
    w.p.courses().move_session(&w.staff, course.id, moved, &session("2026-04-15T18:00", "2026-04-15T20:00")).unwrap();
    w.p.courses().cancel_session(&w.staff, course.id, course.sessions[2].id).unwrap();
    let ics = w.p.courses().course_calendar(&Actor::Anonymous, course.id).unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
    assert!(ics.contains("\r\nMETHOD:PUBLISH\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    assert!(ics.split("\r\n").all(|l| l.len() <= 75), "folded at 75 octets");
    let unfolded = ics.replace("\r\n ", "");
    assert_eq!(unfolded.matches("BEGIN:VEVENT").count(), 5);
    for field in
        ["UID:", "DTSTAMP:", "DTSTART;TZID=Europe/Berlin:", "DTEND;TZID=Europe/Berlin:", "SUMMARY:", "SEQUENCE:"]
    {
        assert_eq!(unfolded.matches(&format!("\r\n{field}")).count(), 5, "{field}");
    }
    assert!(unfolded.contains("SUMMARY:Recht\\, Methoden\\; Medien: ein sehr langer"));
    assert!(unfolded.contains(&format!("UID:course-{}-session-{moved}@trialog\r\nDTSTAMP:", course.id)));
    assert!(unfolded.contains(
        "DTSTART;TZID=Europe/Berlin:20260415T180000\r\nDTEND;TZID=Europe/Berlin:20260415T200000\r\nSEQUENCE:1\r\nSTATUS:CONFIRMED"
    ));
    assert_eq!(unfolded.matches("BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin\r\n").count(), 1, "one zone, one VTIMEZONE");
    assert!(unfolded.contains("SEQUENCE:1\r\nSTATUS:CANCELLED"));
    assert!(!unfolded.contains("URL:"), "the public calendar has no online link");
}

#[test]
fn a_persons_feed_holds_the_sessions_of_their_confirmed_courses_in_their_zones() {
    let w = world();
    let c = w.p.courses();
    // Across Germany's change to summer time (29 March 2026), and a Danish course.
    let mut spring = seminar(w.org, 5);
    spring.sessions[0] = SessionInput {
        repeat: Some(Repeat { every_days: 7, count: 3 }),
        ..session("2026-03-17T18:00", "2026-03-17T20:00")
    };
    let spring = c.create(&w.staff, &spring).unwrap();
    let spring = c.publish(&w.staff, spring.id).unwrap();
    let mut danish = seminar(w.org, 5);
    danish.title = "Recovery sammen".into();
    danish.sessions =
        vec![SessionInput { time_zone: "Europe/Copenhagen".into(), ..session("2026-05-05T10:00", "2026-05-05T12:00") }];
    let danish = c.create(&w.staff, &danish).unwrap();
    let danish = c.publish(&w.staff, danish.id).unwrap();
    let full = published(&w, 1);
    let ps = people(&w, 2);
    register(&w, &ps[1], full.id);
    register(&w, &ps[0], spring.id);
    register(&w, &ps[0], danish.id);
    assert_eq!(register(&w, &ps[0], full.id).state, RegistrationState::Waiting);
    c.cancel_session(&w.staff, spring.id, spring.sessions[2].id).unwrap();
    let Actor::Account { id: me } = ps[0] else { panic!("an account") };
    let feed = c.calendar_feed(&ps[0], me).unwrap().replace("\r\n ", "");
    assert!(feed.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") && feed.ends_with("END:VCALENDAR\r\n"));
    assert_eq!(feed.matches("BEGIN:VCALENDAR").count(), 1);
    assert_eq!(feed.matches("BEGIN:VEVENT").count(), 4, "3 spring sessions and 1 Danish; not the course waited for");
    assert!(!feed.contains(&format!("UID:course-{}-", full.id)));
    // The same stable UIDs as the course's own file.
    let course_file = c.course_calendar(&Actor::Anonymous, spring.id).unwrap();
    for uid in course_file.lines().filter(|l| l.starts_with("UID:")) {
        assert!(feed.contains(uid), "{uid}");
    }
    // Wall-clock times with their zone; the zone's change to summer time is in its VTIMEZONE.
    assert!(feed.contains("DTSTART;TZID=Europe/Berlin:20260317T180000\r\nDTEND;TZID=Europe/Berlin:20260317T200000"));
    assert!(feed.contains("DTSTART;TZID=Europe/Berlin:20260324T180000"));
    assert!(feed.contains("DTSTART;TZID=Europe/Copenhagen:20260505T100000"));
    assert!(feed.contains(
        "BEGIN:DAYLIGHT\r\nDTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\nEND:DAYLIGHT"
    ));
    assert!(feed.contains("TZID:Europe/Copenhagen\r\nBEGIN:DAYLIGHT\r\nDTSTART:20260505T100000\r\nTZOFFSETFROM:+0200"));
    assert!(feed.contains("SEQUENCE:1\r\nSTATUS:CANCELLED"), "the cancelled session stays, cancelled");
    assert!(feed.contains("URL:https://meet.example.org/gruppen-leiten"), "confirmed: the link is in the feed");
    // Only the person themselves.
    assert_eq!(c.calendar_feed(&ps[1], me).unwrap_err().kind(), "permission_denied");
    assert_eq!(c.calendar_feed(&Actor::Anonymous, me).unwrap_err().kind(), "permission_denied");
    // A registration that ends leaves the feed.
    let mine = c.mine(&ps[0]).unwrap();
    let danish_reg = mine.iter().find(|r| r.course == danish.id).unwrap();
    c.cancel_registration(&ps[0], danish_reg.id).unwrap();
    let feed = c.calendar_feed(&ps[0], me).unwrap();
    assert_eq!(feed.matches("BEGIN:VEVENT").count(), 3);
    assert!(!feed.contains("Europe/Copenhagen"), "no zone without a session in it");
}

/// Three postcodes as GeoNames writes them (tab-separated), with their real coordinates.
const THURINGIA_AND_BERLIN: &str = "DE\t99084\tErfurt\tThüringen\tTH\t\t00\tKreisfreie Stadt Erfurt\t16051\t50.9787\t11.0328\t4\n\
    DE\t07743\tJena\tThüringen\tTH\t\t00\tKreisfreie Stadt Jena\t16053\t50.9271\t11.5892\t4\n\
    DE\t10115\tBerlin\tBerlin\tBE\t\t00\tBerlin, Stadt\t11000\t52.5323\t13.3846\t4\n";

#[test]
fn courses_are_found_by_text_topic_radius_dates_language_and_free_places() {
    let w = world();
    w.p.geo().import(&Actor::Operator, THURINGIA_AND_BERLIN.as_bytes(), &mut |_| {}).unwrap();
    let c = w.p.courses();
    let in_person = |title: &str, postcode: &str, topic: &str| {
        let mut new = seminar(w.org, 5);
        new.title = title.into();
        new.topics = vec![topic.into()];
        new.format = CourseFormat::InPerson;
        new.online_link = None;
        new.place = Some(PlaceInput::Postcode { country: "DE".into(), postcode: postcode.into(), venue: None });
        new
    };
    let publish = |new: NewCourse| c.publish(&w.staff, c.create(&w.staff, &new).unwrap().id).unwrap().id;
    let jena = publish(in_person("Gruppen leiten", "07743", "self-help-groups"));
    let berlin = publish(in_person("Recht für Selbsthilfegruppen", "10115", "law"));
    let mut online = seminar(w.org, 5);
    online.title = "Recovery sammen".into();
    online.language = "da".into();
    online.topics = vec!["recovery".into()];
    let online = publish(online);
    let mut june = in_person("Öffentlichkeitsarbeit für Gruppen", "99084", "public-relations");
    june.capacity = 1;
    june.sessions = vec![session("2026-06-10T10:00", "2026-06-10T16:00")];
    let erfurt = publish(june);
    register(&w, &people(&w, 1)[0], erfurt);
    c.create(&w.staff, &seminar(w.org, 5)).unwrap(); // a draft: never found by the public

    let find = |filter: CourseFilter| -> Vec<CourseId> {
        c.list(&Actor::Anonymous, &filter, &PageRequest::first(50)).unwrap().items.iter().map(|c| c.id).collect()
    };
    let near = |radius_km: f64| CourseFilter {
        near: Some(CourseNear { country: "DE".into(), postcode: "99084".into(), radius_km }),
        ..Default::default()
    };
    assert_eq!(find(CourseFilter::default()), [jena, berlin, online, erfurt]);
    // Erfurt to Jena is about 39 km, to Berlin about 240 km; online courses are always in reach.
    assert_eq!(find(near(10.0)), [online, erfurt]);
    assert_eq!(find(near(50.0)), [jena, online, erfurt]);
    assert_eq!(find(near(300.0)), [jena, berlin, online, erfurt]);
    let text = |t: &str| CourseFilter { text: Some(t.into()), ..Default::default() };
    assert_eq!(find(text("LEITEN")), [jena], "any case, in the title");
    assert_eq!(find(text("recht leiten")), Vec::<CourseId>::new(), "every word");
    assert_eq!(find(text("selbsthilfegruppen recht")), [berlin], "every word, title or description");
    assert_eq!(find(text("konflikte moderation")), [jena, berlin, online, erfurt], "the description counts");
    assert_eq!(find(text("law")), [berlin], "a topic counts");
    assert_eq!(find(CourseFilter { topic: Some("law".into()), ..Default::default() }), [berlin]);
    assert_eq!(find(CourseFilter { language: Some("DA".into()), ..Default::default() }), [online]);
    assert_eq!(find(CourseFilter { free_places: true, ..Default::default() }), [jena, berlin, online]);
    let at = |s: &str| s.parse::<Timestamp>().unwrap();
    let dates =
        |from: &str, until: &str| CourseFilter { since: Some(at(from)), until: Some(at(until)), ..Default::default() };
    assert_eq!(find(dates("2026-06-01T00:00:00Z", "2026-07-01T00:00:00Z")), [erfurt]);
    assert_eq!(
        find(dates("2026-05-05T00:00:00Z", "2026-05-06T00:00:00Z")),
        [jena, berlin, online],
        "the last weekly session"
    );
    assert_eq!(find(CourseFilter { text: Some("gruppen".into()), free_places: true, ..near(50.0) }), [jena, online]);

    let refused = |filter: CourseFilter| field_of(c.list(&Actor::Anonymous, &filter, &PageRequest::first(5)));
    assert_eq!(refused(near(0.0)), "near.radius_km");
    assert_eq!(refused(near(f64::NAN)), "near.radius_km");
    assert_eq!(refused(text(&"x".repeat(201))), "text");
    assert_eq!(refused(dates("2026-06-01T00:00:00Z", "2026-06-01T00:00:00Z")), "until");
    assert_eq!(refused(CourseFilter { language: Some("deutsch".into()), ..Default::default() }), "language");
    let unknown = CourseFilter {
        near: Some(CourseNear { country: "DE".into(), postcode: "00000".into(), radius_km: 5.0 }),
        ..Default::default()
    };
    assert!(c.list(&Actor::Anonymous, &unknown, &PageRequest::first(5)).is_err(), "an unknown postcode");
}

/// Asserts that exactly the `allowed` actors may do `op`.
fn only(what: &str, everyone: &[(&str, &Actor)], allowed: &[&str], op: impl Fn(&Actor) -> Result<()>) {
    for (name, actor) in everyone {
        let result = op(actor);
        if allowed.contains(name) {
            assert!(result.is_ok(), "{what}: {name} should be allowed, got {result:?}");
        } else {
            assert!(
                matches!(result, Err(Error::PermissionDenied { .. })),
                "{what}: {name} should be denied, got {result:?}"
            );
        }
    }
}

#[test]
fn every_role_may_do_exactly_what_the_policy_says_with_courses() {
    let w = world();
    let other_org = org(&w.p, "Anderer Verein", "DE-TH").id;
    let admin = Actor::account(account(&w.p, "Admina", &[Role::Admin]).id);
    let moderator = Actor::account(account(&w.p, "Moderatorin", &[Role::Moderator]).id);
    let supervisor = Actor::account(account(&w.p, "Supervisor", &[Role::Supervisor { org: w.org }]).id);
    let other_staff = Actor::account(account(&w.p, "Fremdpersonal", &[Role::EmployerStaff { org: other_org }]).id);
    let trainer_id = account(&w.p, "Trainerin", &[]).id;
    let trainer = Actor::account(trainer_id);
    let member = Actor::account(account(&w.p, "Mitglied", &[]).id);
    let suspended_id = account(&w.p, "Gesperrt", &[Role::EmployerStaff { org: w.org }]).id;
    let until = w.clock.now() + Duration::days(365);
    w.p.accounts().restrict(&Actor::Operator, suspended_id, Restriction::Suspend { until }, "test").unwrap();
    let suspended = Actor::account(suspended_id);
    let everyone = [
        ("operator", &Actor::Operator),
        ("admin", &admin),
        ("moderator", &moderator),
        ("supervisor", &supervisor),
        ("staff", &w.staff),
        ("other_staff", &other_staff),
        ("trainer", &trainer),
        ("member", &member),
        ("suspended", &suspended),
        ("anonymous", &Actor::Anonymous),
    ];
    let c = w.p.courses();
    let course = c.create(&w.staff, &seminar(w.org, 50)).unwrap();
    c.set_trainers(&w.staff, course.id, &[trainer_id]).unwrap();
    let id = course.id;
    let organisers = ["operator", "admin", "staff"];
    only("create", &everyone, &organisers, |a| c.create(a, &seminar(w.org, 5)).map(drop));
    only("update", &everyone, &organisers, |a| {
        c.update(a, id, &CourseUpdate { capacity: Some(40), ..Default::default() }).map(drop)
    });
    only("add sessions", &everyone, &organisers, |a| {
        c.add_sessions(
            a,
            c.create(&w.staff, &seminar(w.org, 5))?.id,
            &[session("2026-06-01T10:00", "2026-06-01T12:00")],
        )
        .map(drop)
    });
    only("publish", &everyone, &organisers, |a| c.publish(a, c.create(&w.staff, &seminar(w.org, 5))?.id).map(drop));
    only("cancel", &everyone, &organisers, |a| {
        c.cancel(a, c.create(&w.staff, &seminar(w.org, 5))?.id, "Test").map(drop)
    });
    only("set trainers", &everyone, &organisers, |a| c.set_trainers(a, id, &[trainer_id]).map(drop));
    // Drafts are hidden (NotFound) from those who do not prepare them; the policy lets everyone read.
    assert!(matches!(c.get(&member, id), Err(Error::NotFound { .. })));
    assert!(c.get(&trainer, id).is_ok());
    c.publish(&w.staff, id).unwrap();
    only(
        "read a published course",
        &everyone,
        &["operator", "admin", "moderator", "supervisor", "staff", "other_staff", "trainer", "member", "anonymous"],
        |a| c.get(a, id).map(drop),
    );
    only(
        "course calendar",
        &everyone,
        &["operator", "admin", "moderator", "supervisor", "staff", "other_staff", "trainer", "member", "anonymous"],
        |a| c.course_calendar(a, id).map(drop),
    );
    only(
        "verify a certificate",
        &everyone,
        &["operator", "admin", "moderator", "supervisor", "staff", "other_staff", "trainer", "member", "anonymous"],
        |a| match c.verify_certificate(a, "0000-0000-0000") {
            Err(Error::NotFound { .. }) => Ok(()),
            other => other.map(drop),
        },
    );
    // Registering needs an account of one's own (the operator acts as one with --as).
    only(
        "register",
        &everyone,
        &["admin", "moderator", "supervisor", "staff", "other_staff", "trainer", "member"],
        |a| {
            let course = c.create(&w.staff, &seminar(w.org, 5))?;
            c.publish(&w.staff, course.id)?;
            c.register(a, course.id, &[]).map(drop)
        },
    );
    let member_reg = c.register(&member, id, &[]).unwrap().remove(0);
    only("see a registration", &everyone, &["operator", "admin", "staff", "trainer", "member"], |a| {
        c.registration(a, member_reg.id).map(drop)
    });
    only("registration calendar", &everyone, &["operator", "admin", "member"], |a| {
        c.registration_calendar(a, member_reg.id).map(drop)
    });
    only("list registrations", &everyone, &["operator", "admin", "staff", "trainer"], |a| {
        c.registrations(a, id, &PageRequest::default()).map(drop)
    });
    only("see the waitlist", &everyone, &["operator", "admin", "staff", "trainer"], |a| c.waitlist(a, id).map(drop));
    only("certificates", &everyone, &organisers, |a| c.certificates(a, id).map(drop));
    only("move by hand", &everyone, &organisers, |a| {
        let r = c.register(&member, c.published_copy(&w.staff, w.org)?, &[])?.remove(0);
        c.move_registration(a, r.id, MoveTo::Cancelled, "Test").map(drop)
    });
    only("cancel someone's registration", &everyone, &["operator", "admin", "staff", "member"], |a| {
        let r = c.register(&member, c.published_copy(&w.staff, w.org)?, &[])?.remove(0);
        c.cancel_registration(a, r.id).map(drop)
    });
    w.clock.set(course.sessions[0].start + Duration::minutes(5));
    let member_id = member_reg.account;
    only("record attendance", &everyone, &["operator", "admin", "staff", "trainer"], |a| {
        c.record_attendance(a, id, course.sessions[0].id, &[member_id]).map(drop)
    });
    only("run the scheduler", &everyone, &["operator", "admin"], |a| w.p.tick(a, w.clock.now()).map(drop));
}

/// A published copy of the test seminar, for checks that use one up.
trait PublishedCopy {
    fn published_copy(&self, staff: &Actor, org: OrgId) -> Result<CourseId>;
}

impl PublishedCopy for Courses<'_> {
    fn published_copy(&self, staff: &Actor, org: OrgId) -> Result<CourseId> {
        let course = self.create(staff, &seminar(org, 5))?;
        Ok(self.publish(staff, course.id)?.id)
    }
}

/// Erasing a person (the person's rights) gives up their place, which passes to the head of
/// the waitlist as a cancellation would, and leaves nothing of their registration in the
/// course's lists: the course counts and lists only the others, and the integrity check agrees.
#[test]
fn erasing_a_participant_passes_their_place_on_and_leaves_no_registration_of_theirs() {
    let w = world();
    let course = published(&w, 1);
    let ps = people(&w, 3);
    let regs: Vec<Registration> = ps.iter().map(|a| register(&w, a, course.id)).collect();
    w.p.rights().erase(&Actor::Operator, regs[0].account, None, "Antrag per Post").unwrap();
    assert_eq!(w.p.courses().registration(&ps[1], regs[1].id).unwrap().state, RegistrationState::Offered);
    let seen = w.p.courses().get(&w.staff, course.id).unwrap();
    assert_eq!((seen.places_taken, seen.waiting), (1, 1));
    let listed = w.p.courses().registrations(&w.staff, course.id, &PageRequest::first(10)).unwrap();
    assert_eq!(listed.items.iter().map(|r| r.id).collect::<Vec<_>>(), [regs[1].id, regs[2].id]);
    assert!(matches!(w.p.courses().registration(&Actor::Operator, regs[0].id), Err(Error::NotFound { .. })));
    assert_intact(&w.p);
}
