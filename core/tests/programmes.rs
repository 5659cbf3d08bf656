//! Programmes and placements: modules and cohorts, trainees' progress from completed courses,
//! the EX-IN status set only with the trainee's consent, placement rounds by stable matching,
//! bad input and the person's rights.

mod common;

use chrono::{Duration, NaiveDate};
use common::*;
use trialog_core::*;

struct World {
    p: Platform,
    clock: TestClock,
    org: OrgId,
    staff: Actor,
    /// Three modules: two required, the last elective.
    modules: Vec<Course>,
}

fn session(start: &str, end: &str) -> SessionInput {
    SessionInput { start: start.into(), end: end.into(), time_zone: "Europe/Berlin".into(), repeat: None }
}

fn module(org: OrgId, title: &str, day: &str) -> NewCourse {
    NewCourse {
        org,
        title: title.into(),
        description: "Ein Modul der EX-IN-Ausbildung.".into(),
        topics: vec!["ex-in".into()],
        language: "de".into(),
        audience: CourseAudience::Everyone,
        format: CourseFormat::InPerson,
        place: Some(PlaceInput::Coordinates { latitude: 50.93, longitude: 11.59, venue: None }),
        online_link: None,
        sessions: vec![session(&format!("{day}T09:00"), &format!("{day}T16:00"))],
        capacity: 20,
        fee: Fee::Free,
        registration_opens: None,
        registration_closes: None,
        prerequisites: vec![],
        trialogic: false,
        settings: None,
    }
}

fn world() -> World {
    let clock = clock();
    let p = platform_with(&clock);
    let org = org(&p, "EX-IN Thüringen", "DE-TH").id;
    p.orgs().verify(&Actor::Operator, org, true, None).unwrap();
    let staff = Actor::account(account(&p, "Kursleitung", &[Role::EmployerStaff { org }]).id);
    let titles = [("Salutogenese", "2026-04-10"), ("Recovery", "2026-04-17"), ("Empowerment", "2026-04-24")];
    let modules = titles
        .iter()
        .map(|(title, day)| {
            let c = p.courses().create(&staff, &module(org, title, day)).unwrap();
            p.courses().publish(&staff, c.id).unwrap()
        })
        .collect();
    World { p, clock, org, staff, modules }
}

fn ex_in(w: &World) -> NewProgramme {
    let m = |c: &Course, elective| ProgrammeModule { course: c.id, elective };
    NewProgramme {
        org: w.org,
        title: "EX-IN Grundkurs 2026".into(),
        kind: ProgrammeKind::ExIn,
        modules: vec![m(&w.modules[0], false), m(&w.modules[1], false), m(&w.modules[2], true)],
    }
}

fn cohort(trainees: &[AccountId]) -> NewCohort {
    NewCohort {
        name: "Jena 2026".into(),
        start: NaiveDate::from_ymd_opt(2026, 4, 1).unwrap(),
        trainees: trainees.to_vec(),
    }
}

fn trainee(w: &World, name: &str) -> (Actor, AccountId) {
    let id = account(&w.p, name, &[]).id;
    (Actor::account(id), id)
}

/// Registers everyone for every module, marks who attended which module, and lets the
/// scheduler complete the courses.
fn attend(w: &World, who: &[(&Actor, AccountId, &[usize])]) {
    for (actor, _, _) in who {
        for m in &w.modules {
            w.p.courses().register(actor, m.id, &[]).unwrap();
        }
    }
    for (i, m) in w.modules.iter().enumerate() {
        let s = &m.sessions[0];
        w.clock.set(s.start + Duration::minutes(5));
        let present: Vec<AccountId> =
            who.iter().filter(|(_, _, done)| done.contains(&i)).map(|(_, id, _)| *id).collect();
        w.p.courses().record_attendance(&w.staff, m.id, s.id, &present).unwrap();
    }
    w.clock.set(w.modules[2].sessions[0].end + Duration::hours(1));
    w.p.tick(&Actor::Operator, w.clock.now()).unwrap();
}

fn assert_intact(p: &Platform) {
    let report = p.integrity().unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

#[test]
fn progress_shows_completed_and_missing_modules_and_electives_do_not_hold_completion() {
    let w = world();
    let (kim, kim_id) = trainee(&w, "Kim");
    let (lou, lou_id) = trainee(&w, "Lou");
    let programme = w.p.programmes().create(&w.staff, &ex_in(&w)).unwrap();
    let programme = w.p.programmes().add_cohort(&w.staff, programme.id, &cohort(&[kim_id, lou_id])).unwrap();
    assert_eq!(programme.cohorts[0].trainees, [kim_id, lou_id]);
    let before = w.p.programmes().progress(&kim, programme.id, kim_id).unwrap();
    assert_eq!(before.completed, []);
    assert_eq!(before.missing.len(), 3);
    assert!(!before.complete);
    // Kim attends both required modules, not the elective; Lou only the first and the elective.
    attend(&w, &[(&kim, kim_id, &[0, 1]), (&lou, lou_id, &[0, 2])]);
    let ids: Vec<CourseId> = w.modules.iter().map(|m| m.id).collect();
    let kim_progress = w.p.programmes().progress(&w.staff, programme.id, kim_id).unwrap();
    assert_eq!((kim_progress.completed.clone(), kim_progress.missing.clone()), (vec![ids[0], ids[1]], vec![ids[2]]));
    assert!(kim_progress.complete, "the missing module is elective");
    assert_eq!(kim_progress.modules[1].course_title, "Recovery");
    let lou_progress = w.p.programmes().progress(&lou, programme.id, lou_id).unwrap();
    assert_eq!((lou_progress.completed, lou_progress.missing), (vec![ids[0], ids[2]], vec![ids[1]]));
    assert!(!lou_progress.complete, "a required module is missing");
    assert!(matches!(w.p.programmes().progress(&lou, programme.id, kim_id), Err(Error::PermissionDenied { .. })));
    let stranger = account(&w.p, "Fremd", &[]).id;
    assert_eq!(field_of(w.p.programmes().progress(&w.staff, programme.id, stranger)), "trainee");
    assert_intact(&w.p);
}

#[test]
fn completing_an_ex_in_programme_sets_the_status_only_with_the_trainees_own_consent() {
    let w = world();
    let (kim, kim_id) = trainee(&w, "Kim");
    let (lou, lou_id) = trainee(&w, "Lou");
    let admin = Actor::account(account(&w.p, "Admina", &[Role::Admin]).id);
    let programme = w.p.programmes().create(&w.staff, &ex_in(&w)).unwrap();
    w.p.programmes().add_cohort(&w.staff, programme.id, &cohort(&[kim_id, lou_id])).unwrap();
    attend(&w, &[(&kim, kim_id, &[0, 1, 2]), (&lou, lou_id, &[0])]);
    assert!(w.p.programmes().progress(&kim, programme.id, kim_id).unwrap().complete);
    // Without consent nothing changes: Kim completed, but has no seeker profile yet.
    assert!(matches!(w.p.seekers().get(&kim, kim_id), Err(Error::NotFound { .. })));
    // Nobody consents for Kim: not her programme's staff, not an admin, not the operator.
    for other in [&w.staff, &admin, &Actor::Operator, &lou] {
        let r = w.p.programmes().consent_exin_status(other, programme.id, kim_id);
        assert!(matches!(r, Err(Error::PermissionDenied { .. })), "{other:?}: {r:?}");
    }
    assert!(matches!(w.p.seekers().get(&kim, kim_id), Err(Error::NotFound { .. })));
    assert_eq!(w.p.programmes().progress(&kim, programme.id, kim_id).unwrap().exin_consented_at, None);
    // Lou has not completed: her consent changes nothing either.
    let before = w.p.seekers().set(&lou, lou_id, &SeekerProfileInput::default()).unwrap();
    assert_eq!(field_of(w.p.programmes().consent_exin_status(&lou, programme.id, lou_id)), "programme");
    assert_eq!(w.p.seekers().get(&lou, lou_id).unwrap(), before);
    // Kim consents: her (new, private) seeker profile says certified.
    let progress = w.p.programmes().consent_exin_status(&kim, programme.id, kim_id).unwrap();
    assert_eq!(progress.exin_consented_at, Some(w.clock.now()));
    let profile = w.p.seekers().get(&kim, kim_id).unwrap();
    assert_eq!(profile.exin, ExInStatus::Certified);
    assert!(!profile.findable, "consenting to the status does not make the profile findable");
    // A Peer2Peer programme never sets the EX-IN status.
    let mut p2p = ex_in(&w);
    p2p.kind = ProgrammeKind::Peer2Peer;
    let p2p = w.p.programmes().create(&w.staff, &p2p).unwrap();
    w.p.programmes().add_cohort(&w.staff, p2p.id, &cohort(&[kim_id])).unwrap();
    assert_eq!(field_of(w.p.programmes().consent_exin_status(&kim, p2p.id, kim_id)), "programme");
    assert_intact(&w.p);
}

#[test]
fn bad_input_is_refused_naming_the_field() {
    let w = world();
    let (_, kim_id) = trainee(&w, "Kim");
    let (_, lou_id) = trainee(&w, "Lou");
    let ps = w.p.programmes();
    let mut bad = ex_in(&w);
    bad.modules.push(ProgrammeModule { course: CourseId(999), elective: false });
    assert_eq!(field_of(ps.create(&w.staff, &bad)), "modules[3].course", "a module that is not a course");
    let mut twice = ex_in(&w);
    twice.modules.push(ProgrammeModule { course: w.modules[0].id, elective: true });
    assert_eq!(field_of(ps.create(&w.staff, &twice)), "modules[3].course", "a duplicate module");
    let mut untitled = ex_in(&w);
    untitled.title = "  ".into();
    assert_eq!(field_of(ps.create(&w.staff, &untitled)), "title");
    let programme = ps.create(&w.staff, &ex_in(&w)).unwrap();
    assert_eq!(field_of(ps.add_cohort(&w.staff, programme.id, &cohort(&[kim_id, kim_id]))), "trainees[1]");
    assert_eq!(field_of(ps.add_cohort(&w.staff, programme.id, &cohort(&[AccountId(4242)]))), "trainees[0]");
    let programme = ps.add_cohort(&w.staff, programme.id, &cohort(&[kim_id])).unwrap();
    let first = programme.cohorts[0].id;
    assert_eq!(
        field_of(ps.add_cohort(&w.staff, programme.id, &cohort(&[lou_id, kim_id]))),
        "trainees[1]",
        "a trainee enrolled twice (in another cohort)"
    );
    assert_eq!(field_of(ps.enrol(&w.staff, programme.id, first, &[kim_id])), "trainees[0]", "enrolled twice");
    let host = org(&w.p, "Klinikum Jena", "DE-TH").id;
    let zero = [PlacementOffer { org: host, capacity: 0 }];
    assert_eq!(field_of(ps.open_round(&w.staff, programme.id, first, &zero)), "places[0].capacity");
    let dup = [PlacementOffer { org: host, capacity: 1 }, PlacementOffer { org: host, capacity: 2 }];
    assert_eq!(field_of(ps.open_round(&w.staff, programme.id, first, &dup)), "places[1].org");
    let nowhere = [PlacementOffer { org: OrgId(777), capacity: 1 }];
    assert_eq!(field_of(ps.open_round(&w.staff, programme.id, first, &nowhere)), "places[0].org");
    assert_eq!(field_of(ps.open_round(&w.staff, programme.id, first, &[])), "places");
    let round = ps.open_round(&w.staff, programme.id, first, &[PlacementOffer { org: host, capacity: 1 }]).unwrap();
    assert_eq!(field_of(ps.run_round(&w.staff, round.id)), "rankings", "a round with incomplete rankings");
    assert_eq!(field_of(ps.rank_hosts(&w.staff, round.id, kim_id, &[host, host])), "preferences[1]");
    assert_eq!(field_of(ps.rank_hosts(&w.staff, round.id, kim_id, &[w.org])), "preferences[0]");
    assert_eq!(field_of(ps.rank_hosts(&w.staff, round.id, lou_id, &[host])), "trainee");
    assert_eq!(field_of(ps.rank_trainees(&w.staff, round.id, w.org, &[kim_id])), "host");
    assert_eq!(field_of(ps.rank_trainees(&w.staff, round.id, host, &[lou_id])), "ranking[0]");
    ps.rank_hosts(&w.staff, round.id, kim_id, &[host]).unwrap();
    assert_eq!(field_of(ps.run_round(&w.staff, round.id)), "rankings", "the host has not ranked yet");
    assert_intact(&w.p);
}

#[test]
fn a_placement_round_runs_stable_matching_once_and_records_its_pairs_on_the_programme() {
    let w = world();
    let (a, a_id) = trainee(&w, "Ada");
    let (b, b_id) = trainee(&w, "Ben");
    let (c, c_id) = trainee(&w, "Cem");
    let ps = w.p.programmes();
    let programme = ps.create(&w.staff, &ex_in(&w)).unwrap();
    let programme = ps.add_cohort(&w.staff, programme.id, &cohort(&[a_id, b_id])).unwrap();
    let first = programme.cohorts[0].id;
    ps.enrol(&w.staff, programme.id, first, &[c_id]).unwrap();
    let h1 = org(&w.p, "Klinikum", "DE-TH").id;
    let h2 = org(&w.p, "Beratungsstelle", "DE-TH").id;
    let h1_staff = Actor::account(account(&w.p, "Klinik", &[Role::EmployerStaff { org: h1 }]).id);
    let places = [PlacementOffer { org: h1, capacity: 1 }, PlacementOffer { org: h2, capacity: 1 }];
    let round = ps.open_round(&w.staff, programme.id, first, &places).unwrap();
    assert_eq!(round.trainees.len(), 3);
    // Ada would go to the clinic first, Ben only to the clinic, Cem to the counselling centre first.
    ps.rank_hosts(&a, round.id, a_id, &[h1, h2]).unwrap();
    ps.rank_hosts(&b, round.id, b_id, &[h1]).unwrap();
    ps.rank_hosts(&c, round.id, c_id, &[h2, h1]).unwrap();
    assert!(matches!(ps.rank_hosts(&a, round.id, b_id, &[h2]), Err(Error::PermissionDenied { .. })));
    ps.rank_trainees(&h1_staff, round.id, h1, &[b_id, a_id, c_id]).unwrap();
    assert!(matches!(ps.rank_trainees(&h1_staff, round.id, h2, &[a_id]), Err(Error::PermissionDenied { .. })));
    ps.rank_trainees(&w.staff, round.id, h2, &[a_id, c_id]).unwrap();
    // A trainee sees only their own ranking, a host only its own.
    let seen_by_ada = ps.round(&a, round.id).unwrap();
    let prefs: Vec<bool> = seen_by_ada.trainees.iter().map(|t| t.preferences.is_some()).collect();
    assert_eq!(prefs, [true, false, false]);
    assert!(seen_by_ada.places.iter().all(|p| p.ranking.is_none()));
    let seen_by_clinic = ps.round(&h1_staff, round.id).unwrap();
    assert_eq!(seen_by_clinic.places[0].ranking, Some(vec![b_id, a_id, c_id]));
    assert_eq!(seen_by_clinic.places[1].ranking, None);
    let stranger = Actor::account(account(&w.p, "Fremd", &[]).id);
    assert!(matches!(ps.round(&stranger, round.id), Err(Error::PermissionDenied { .. })));
    // Trainee-proposing deferred acceptance: the clinic prefers Ben to Ada, Ada displaces Cem
    // at the counselling centre, and Cem is left unplaced.
    let run = ps.run_round(&w.staff, round.id).unwrap();
    let pairs = vec![
        TraineePlacement { trainee: a_id, org: h2, round: round.id },
        TraineePlacement { trainee: b_id, org: h1, round: round.id },
    ];
    assert_eq!(run.pairs, pairs);
    assert_eq!(run.unplaced, [c_id]);
    assert_eq!(run.run_at, Some(w.clock.now()));
    assert_eq!(ps.get(&w.staff, programme.id).unwrap().placements, pairs);
    assert_eq!(ps.get(&a, programme.id).unwrap().placements, pairs, "trainees see their programme");
    // A round runs once; its rankings are closed.
    assert!(matches!(ps.run_round(&w.staff, round.id), Err(Error::Conflict { .. })));
    assert!(matches!(ps.rank_hosts(&c, round.id, c_id, &[h1]), Err(Error::Conflict { .. })));
    assert_eq!(ps.get(&w.staff, programme.id).unwrap().placements.len(), 2, "nothing recorded twice");
    assert_eq!(ps.rounds(&w.staff, programme.id).unwrap(), [run]);
    assert_intact(&w.p);
}

#[test]
fn erasing_a_trainee_takes_them_out_of_cohorts_rounds_and_placements() {
    let w = world();
    let (a, a_id) = trainee(&w, "Ada");
    let (_, b_id) = trainee(&w, "Ben");
    let ps = w.p.programmes();
    let programme = ps.create(&w.staff, &ex_in(&w)).unwrap();
    let programme = ps.add_cohort(&w.staff, programme.id, &cohort(&[a_id, b_id])).unwrap();
    let host = org(&w.p, "Klinikum", "DE-TH").id;
    let places = [PlacementOffer { org: host, capacity: 2 }];
    let round = ps.open_round(&w.staff, programme.id, programme.cohorts[0].id, &places).unwrap();
    ps.rank_hosts(&w.staff, round.id, a_id, &[host]).unwrap();
    ps.rank_hosts(&w.staff, round.id, b_id, &[host]).unwrap();
    ps.rank_trainees(&w.staff, round.id, host, &[a_id, b_id]).unwrap();
    ps.run_round(&w.staff, round.id).unwrap();
    w.p.rights().erase(&a, a_id, None, "auf eigenen Wunsch").unwrap();
    let after = ps.get(&w.staff, programme.id).unwrap();
    assert_eq!(after.cohorts[0].trainees, [b_id]);
    assert_eq!(after.placements, [TraineePlacement { trainee: b_id, org: host, round: round.id }]);
    let r = ps.round(&w.staff, round.id).unwrap();
    assert_eq!(r.trainees.len(), 1);
    assert_eq!(r.places[0].ranking, Some(vec![b_id]));
    assert_intact(&w.p);
}
