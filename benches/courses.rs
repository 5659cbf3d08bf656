//! Courses: a registration with waitlist bookkeeping and its inbox notification, and promoting
//! from a waitlist of 1,000 (issue 20's targets: under 200 µs each, non-durable commits).
//!
//! `cargo bench --bench courses`. A redb file with `Durability::Eventual`; every measured call
//! is one public operation (one transaction), on a course that already has a long waitlist.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use trialog::{
    AccountId, Actor, CourseAudience, CourseFilter, CourseFormat, CourseId, CourseNear, Durability, Fee, NewAccount,
    NewCourse, NewOrganisation, OrgId, OrgKind, PageRequest, PlaceInput, Platform, PlatformOptions, Repeat,
    SessionInput, TestClock,
};

/// Accounts created up front; each registers once per course.
const PEOPLE: usize = 4_000;

struct Bench {
    p: Platform,
    org: OrgId,
    people: Vec<Actor>,
    _dir: tempfile::TempDir,
}

fn bench_platform(people: usize) -> Bench {
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
    let people = (0..people)
        .map(|i| {
            let new = NewAccount { pseudonym: format!("Teilnehmer_{i}"), ..Default::default() };
            Actor::account(p.accounts().create(&Actor::Operator, &new).unwrap().id)
        })
        .collect();
    Bench { p, org, people, _dir: dir }
}

fn course(b: &Bench, capacity: u32) -> CourseId {
    let new = template(b.org, capacity);
    let id = b.p.courses().create(&Actor::Operator, &new).unwrap().id;
    b.p.courses().publish(&Actor::Operator, id).unwrap();
    id
}

/// An online course of 10 weekly sessions from September 2026.
fn template(org: OrgId, capacity: u32) -> NewCourse {
    NewCourse {
        org,
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
    }
}

/// Registrations onto the waitlist of a full course of 20 places; each measured call is one
/// registration of a person not yet registered (a new course every `PEOPLE` calls).
fn registration(c: &mut Criterion) {
    let b = bench_platform(PEOPLE);
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
    promotion_on(c, &bench_platform(PEOPLE), "courses/promote_from_waitlist_of_1000");
}

/// The promotion bench on the platform `b` (the small one, or the national-scale one).
fn promotion_on(c: &mut Criterion, b: &Bench, name: &str) {
    let id = course(b, 1);
    let courses = b.p.courses();
    let mut confirmed = courses.register(&b.people[0], id, &[]).unwrap().remove(0);
    let mut holder = 0;
    for who in &b.people[1..=1_000] {
        courses.register(who, id, &[]).unwrap();
    }
    let mut next = 1_000;
    c.bench_function(name, |bench| {
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
                    next = if next + 1 >= b.people.len() { 1 } else { next + 1 };
                    if courses.register(&b.people[next], id, &[]).is_ok() {
                        break;
                    }
                }
            }
            spent
        });
    });
}

/// Seminar subjects; a search for one word matches about one course in twelve.
const SUBJECTS: [&str; 12] = [
    "Gruppen leiten",
    "Recht für Selbsthilfegruppen",
    "Öffentlichkeitsarbeit",
    "Methoden und Medien",
    "EX-IN Grundkurs",
    "Recovery sammen",
    "Trialog verstehen",
    "Krisen begleiten",
    "Peer-Beratung",
    "Angehörige stärken",
    "Finanzen im Verein",
    "Digitale Treffen",
];

/// Courses at scale: `TRIALOG_COURSES_SCALE` courses (default 10,000; the national
/// scale is 100,000 with 2,000,000 registrations), 70 % in person at random points in Germany and
/// 30 % online, 0–39 registrations each (about 20 on average) by one person in five courses'
/// worth of accounts; 0 skips it. Then course search by radius and text (first 20), one more
/// registration, and promotion from a waitlist of 1,000 on the same file.
///
/// The registrations are written in batches through the core's bench-only
/// `seed_registrations` (the checks and bookkeeping of `register`, many per transaction):
/// two million single transactions would take most of an hour on the shared machine.
fn scale(c: &mut Criterion) {
    let courses: usize = std::env::var("TRIALOG_COURSES_SCALE").ok().and_then(|s| s.parse().ok()).unwrap_or(10_000);
    if courses == 0 {
        return; // TRIALOG_COURSES_SCALE=0: the two small benches only
    }
    let built = Instant::now();
    let b = bench_platform(PEOPLE.max(courses / 5));
    let erfurt = "DE\t99084\tErfurt\tThüringen\tTH\t\t00\tKreisfreie Stadt Erfurt\t16051\t50.9787\t11.0328\t4\n";
    b.p.geo().import(&Actor::Operator, erfurt.as_bytes(), &mut |_| {}).unwrap();
    let mut rng = Pcg64Mcg::seed_from_u64(20);
    let mut ids = Vec::with_capacity(courses);
    let mut registered = HashSet::new();
    let mut batch = Vec::new();
    for i in 0..courses {
        let mut new = template(b.org, 25);
        new.title = format!("{} {}", SUBJECTS[rng.random_range(0..SUBJECTS.len())], i);
        new.sessions[0].repeat = Some(Repeat { every_days: 7, count: 3 });
        if rng.random_range(0..10) < 7 {
            new.format = CourseFormat::InPerson;
            new.online_link = None;
            new.place = Some(PlaceInput::Coordinates {
                latitude: rng.random_range(47.5..54.8),
                longitude: rng.random_range(6.0..14.8),
                venue: None,
            });
        }
        let id = b.p.courses().create(&Actor::Operator, &new).unwrap().id;
        b.p.courses().publish(&Actor::Operator, id).unwrap();
        let first = rng.random_range(0..b.people.len() - 40);
        for who in first..first + rng.random_range(0..40) {
            batch.push((account_of(&b.people[who]), id));
            registered.insert((who, id));
        }
        if batch.len() >= 5_000 {
            b.p.courses().seed_registrations(&batch).unwrap();
            batch.clear();
        }
        ids.push(id);
    }
    b.p.courses().seed_registrations(&batch).unwrap();
    b.p.flush().unwrap();
    eprintln!(
        "courses/scale: {courses} courses, {} registrations, {} accounts built in {:?}",
        registered.len(),
        b.people.len(),
        built.elapsed()
    );
    let filter = CourseFilter {
        text: Some("leiten".into()),
        near: Some(CourseNear { country: "DE".into(), postcode: "99084".into(), radius_km: 50.0 }),
        ..Default::default()
    };
    let first_20 = PageRequest::first(20);
    let found = b.p.courses().list(&Actor::Anonymous, &filter, &first_20).unwrap().items.len();
    assert_eq!(found, 20, "the data set has 20 matches");
    c.bench_function(&format!("courses/search_radius_text_first_20/{courses}"), |bench| {
        bench.iter(|| b.p.courses().list(&Actor::Anonymous, &filter, &first_20).unwrap())
    });
    c.bench_function(&format!("courses/register_at_scale/{courses}"), |bench| {
        let mut n = 0usize;
        bench.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for _ in 0..iters {
                // A person and a course they are not registered for yet.
                let (who, id) = loop {
                    n += 1;
                    let pair = (n % b.people.len(), ids[(n * 7919) % ids.len()]);
                    if registered.insert(pair) {
                        break pair;
                    }
                };
                let start = Instant::now();
                b.p.courses().register(&b.people[who], id, &[]).unwrap();
                spent += start.elapsed();
            }
            spent
        });
    });
    promotion_on(c, &b, &format!("courses/promote_from_waitlist_of_1000_at_scale/{courses}"));
}

fn account_of(actor: &Actor) -> AccountId {
    match actor {
        Actor::Account { id } => *id,
        _ => unreachable!("the bench's people are accounts"),
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(Duration::from_secs(5));
    targets = registration, promotion, scale
}
criterion_main!(benches);
