//! Courses: a registration with waitlist bookkeeping and its inbox notification, and promoting
//! from a waitlist of 1,000 (issue 20's targets: under 200 µs each, non-durable commits).
//!
//! `cargo bench --bench courses`. A redb file with `Durability::Eventual`; every measured call
//! is one public operation (one transaction), on a course that already has a long waitlist.

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use trialog::{
    Actor, CourseAudience, CourseFormat, CourseId, Durability, Fee, NewAccount, NewCourse, NewOrganisation, OrgId,
    OrgKind, Platform, PlatformOptions, Repeat, SessionInput, TestClock,
};

/// Accounts created up front; each registers once per course.
const PEOPLE: usize = 4_000;

struct Bench {
    p: Platform,
    org: OrgId,
    people: Vec<Actor>,
    _dir: tempfile::TempDir,
}

fn bench_platform() -> Bench {
    let dir = tempfile::tempdir().unwrap();
    let clock = TestClock::at("2026-03-02T09:00:00Z".parse().unwrap());
    let options = PlatformOptions {
        clock: Arc::new(clock),
        durability: Durability::Eventual,
        cache_bytes: 64 * 1024 * 1024,
        ..Default::default()
    };
    let p = Platform::open(dir.path().join("courses.redb"), options).unwrap();
    let new_org = NewOrganisation {
        name: "Bildungswerk Thüringen".into(),
        kind: OrgKind::Association,
        region: "DE-TH".into(),
        city: None,
        website: None,
    };
    let org = p.orgs().create(&Actor::Operator, &new_org).unwrap().id;
    p.orgs().verify(&Actor::Operator, org, true, None).unwrap();
    let people = (0..PEOPLE)
        .map(|i| {
            let new = NewAccount { pseudonym: format!("Teilnehmer_{i}"), ..Default::default() };
            Actor::account(p.accounts().create(&Actor::Operator, &new).unwrap().id)
        })
        .collect();
    Bench { p, org, people, _dir: dir }
}

fn course(b: &Bench, capacity: u32) -> CourseId {
    let new = NewCourse {
        org: b.org,
        title: "EX-IN Grundkurs, Modul 1".into(),
        description: "Salutogenese, Empowerment, Erfahrung und Teilhabe.".into(),
        topics: vec!["ex-in".into()],
        language: "de".into(),
        audience: CourseAudience::Everyone,
        format: CourseFormat::Online,
        place: None,
        online_link: Some("https://meet.example.org/ex-in".into()),
        sessions: vec![SessionInput {
            start: "2026-09-07T09:00".into(),
            end: "2026-09-07T16:00".into(),
            time_zone: "Europe/Berlin".into(),
            repeat: Some(Repeat { every_days: 7, count: 10 }),
        }],
        capacity,
        fee: Fee::Free,
        registration_opens: None,
        registration_closes: None,
        prerequisites: vec![],
        trialogic: false,
        settings: None,
    };
    let id = b.p.courses().create(&Actor::Operator, &new).unwrap().id;
    b.p.courses().publish(&Actor::Operator, id).unwrap();
    id
}

/// Registrations onto the waitlist of a full course of 20 places; each measured call is one
/// registration of a person not yet registered (a new course every `PEOPLE` calls).
fn registration(c: &mut Criterion) {
    let b = bench_platform();
    c.bench_function("courses/register_onto_waitlist", |bench| {
        let mut next = PEOPLE;
        let mut id = CourseId(0);
        bench.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for _ in 0..iters {
                if next == PEOPLE {
                    id = course(&b, 20);
                    next = 0;
                }
                let who = &b.people[next];
                next += 1;
                let start = Instant::now();
                b.p.courses().register(who, id, &[]).unwrap();
                spent += start.elapsed();
            }
            spent
        });
    });
}

/// Promotion: a course of one place with 1,000 waiting; each measured call cancels the
/// confirmed registration, which offers the place to the head of the waitlist. Untimed, the
/// offer is accepted and one more person joins the end of the line.
fn promotion(c: &mut Criterion) {
    let b = bench_platform();
    let id = course(&b, 1);
    let courses = b.p.courses();
    let mut confirmed = courses.register(&b.people[0], id, &[]).unwrap().remove(0);
    let mut holder = 0;
    for who in &b.people[1..=1_000] {
        courses.register(who, id, &[]).unwrap();
    }
    let mut next = 1_000;
    c.bench_function("courses/promote_from_waitlist_of_1000", |bench| {
        bench.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for _ in 0..iters {
                let head = courses.waitlist(&Actor::Operator, id).unwrap().remove(0);
                let start = Instant::now();
                courses.cancel_registration(&b.people[holder], confirmed.id).unwrap();
                spent += start.elapsed();
                holder = b.people.iter().position(|a| *a == Actor::account(head.account)).unwrap();
                confirmed = courses.answer_offer(&b.people[holder], head.id, true).unwrap();
                // Someone whose registration has ended joins the end of the line again.
                loop {
                    next = if next + 1 >= PEOPLE { 1 } else { next + 1 };
                    if courses.register(&b.people[next], id, &[]).is_ok() {
                        break;
                    }
                }
            }
            spent
        });
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(Duration::from_secs(5));
    targets = registration, promotion
}
criterion_main!(benches);
