//! Courses: a registration with waitlist bookkeeping and its inbox notification, and promoting
//! from a waitlist of 1,000 (issue 20's targets: under 200 µs each, non-durable commits).
//!
//! `cargo bench --bench courses`. A redb file with `Durability::Eventual`; every measured call
//! is one public operation (one transaction), on a course that already has a long waitlist.
//! The national-scale data set is written once and cached under `target/bench-data/`.

#[path = "support/generate.rs"]
mod generate;

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use trialog::{
    AccountId, Actor, CourseAudience, CourseFilter, CourseFormat, CourseId, CourseNear, Durability, Fee, NewAccount,
    NewCourse, NewOrganisation, OrgId, OrgKind, PageRequest, PlaceInput, Platform, PlatformOptions, Repeat,
    SCHEMA_VERSION, SessionInput, TestClock,
};

/// The page cache of every run, 64 MiB. With the platform's default of 256 MiB the promotion at
/// national scale measured 368–466 µs instead of about 200 µs (2026-12-06): redb keeps the
/// pages of non-durable commits in its write buffer (up to half the cache), and the store's
/// every-256th durable commit then writes back and syncs more of them at once.
const APP_CACHE: usize = 64 * 1024 * 1024;

/// Accounts created up front; each registers once per course.
const PEOPLE: usize = 4_000;

struct Bench {
    p: Platform,
    org: OrgId,
    people: Vec<Actor>,
    _dir: tempfile::TempDir,
}

/// The bench's platform file at `path`: non-durable commits, a page cache of `cache_bytes`, the
/// clock in March 2026 (before every course's registration closes).
fn open(path: &Path, cache_bytes: usize) -> Platform {
    let clock = TestClock::at("2026-03-02T09:00:00Z".parse().unwrap());
    let options =
        PlatformOptions { clock: Arc::new(clock), durability: Durability::Eventual, cache_bytes, ..Default::default() };
    Platform::open(path, options).unwrap()
}

fn bench_platform(people: usize) -> Bench {
    let dir = tempfile::tempdir().unwrap();
    let p = open(&dir.path().join("courses.redb"), APP_CACHE);
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

/// The promotion bench on the platform `b` (the small one, or the national-scale one). Besides
/// criterion's mean it prints the median and the 99th percentile of the timed calls
/// ([`print_calls`]).
fn promotion_on(c: &mut Criterion, b: &Bench, name: &str) {
    let id = course(b, 1);
    let courses = b.p.courses();
    let mut confirmed = courses.register(&b.people[0], id, &[]).unwrap().remove(0);
    let mut holder = 0;
    for who in &b.people[1..=1_000] {
        courses.register(who, id, &[]).unwrap();
    }
    let mut next = 1_000;
    let mut calls = Vec::new();
    c.bench_function(name, |bench| {
        bench.iter_custom(|iters| {
            let mut spent = Duration::ZERO;
            for _ in 0..iters {
                let head = courses.waitlist(&Actor::Operator, id).unwrap().remove(0);
                let start = Instant::now();
                courses.cancel_registration(&b.people[holder], confirmed.id).unwrap();
                let took = start.elapsed();
                spent += took;
                calls.push(took);
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
    print_calls(name, calls);
}

/// Prints the median and the 99th percentile of the timed calls of bench `name`: under
/// `Durability::Eventual` one commit in [`trialog::EVENTUAL_COMMITS_PER_DURABLE`] waits for the
/// disk, and criterion's mean carries that share while the median shows the typical call.
fn print_calls(name: &str, mut calls: Vec<Duration>) {
    calls.sort_unstable();
    if let (Some(median), Some(p99)) = (calls.get(calls.len() / 2), calls.get(calls.len() * 99 / 100)) {
        eprintln!("{name}: {} timed calls, median {median:?}, 99th percentile {p99:?}", calls.len());
    }
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
    let plan = plan(courses, PEOPLE.max(courses / 5));
    let (b, ids) = national(courses, &plan);
    let mut registered: HashSet<(usize, CourseId)> =
        plan.iter().zip(&ids).flat_map(|(course, id)| course.people.clone().map(move |who| (who, *id))).collect();
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
    let name = format!("courses/register_at_scale/{courses}");
    let mut calls = Vec::new();
    c.bench_function(&name, |bench| {
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
                let took = start.elapsed();
                spent += took;
                calls.push(took);
            }
            spent
        });
    });
    print_calls(&name, calls);
    promotion_on(c, &b, &format!("courses/promote_from_waitlist_of_1000_at_scale/{courses}"));
}

/// One course of the national data set: its title, where it takes place (online when `None`)
/// and the people (indices into the bench's accounts) registered for it.
struct Planned {
    title: String,
    at: Option<(f64, f64)>,
    people: Range<usize>,
}

/// The national data set, drawn from a fixed seed without touching a platform, so that a run
/// that finds it cached knows who is registered where.
fn plan(courses: usize, people: usize) -> Vec<Planned> {
    let mut rng = Pcg64Mcg::seed_from_u64(20);
    (0..courses)
        .map(|i| {
            let title = format!("{} {}", SUBJECTS[rng.random_range(0..SUBJECTS.len())], i);
            let at = (rng.random_range(0..10) < 7).then(|| (rng.random_range(47.5..54.8), rng.random_range(6.0..14.8)));
            let first = rng.random_range(0..people - 40);
            Planned { title, at, people: first..first + rng.random_range(0..40) }
        })
        .collect()
}

/// The national-scale platform of `plan` and its courses' ids, copied from the cache (built
/// first when missing: about 200 s in release). Beside the file, `<file>.ids` keeps the ids
/// the writes were given: the organisation, the accounts, the courses.
fn national(courses: usize, plan: &[Planned]) -> (Bench, Vec<CourseId>) {
    let people = PEOPLE.max(courses / 5);
    let cached = generate::data_dir().join(format!("courses-g1-s{SCHEMA_VERSION}-c{courses}-p{people}.redb"));
    let ids_file = cached.with_extension("ids");
    if !cached.exists() || !ids_file.exists() {
        build_national(plan, people, &cached, &ids_file);
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("courses.redb");
    generate::copy_platform(&cached, &path).expect("copy the cached courses data set");
    // Written back now: otherwise the first durable commit (every 256th) would wait for the
    // whole copy to reach the disk, inside a measured call.
    std::fs::File::open(&path).and_then(|f| f.sync_all()).expect("sync the copy");
    let text = std::fs::read_to_string(&ids_file).expect("read the data set's ids");
    let mut lines = text.lines().map(|line| line.split(' '));
    let org = lines.next().and_then(|mut l| l.next()).expect("the organisation").parse().expect("an id");
    let people = lines.next().expect("the accounts").map(|n| Actor::account(n.parse().expect("an id"))).collect();
    let ids = lines.next().expect("the courses").map(|n| n.parse().expect("an id")).collect();
    (Bench { p: open(&path, APP_CACHE), org, people, _dir: dir }, ids)
}

/// Writes the data set of `plan` to `cached` (under a temporary name until it is complete).
fn build_national(plan: &[Planned], people: usize, cached: &Path, ids_file: &Path) {
    let built = Instant::now();
    let b = bench_platform(people);
    let erfurt = "DE\t99084\tErfurt\tThüringen\tTH\t\t00\tKreisfreie Stadt Erfurt\t16051\t50.9787\t11.0328\t4\n";
    b.p.geo().import(&Actor::Operator, erfurt.as_bytes(), &mut |_| {}).unwrap();
    let mut ids = Vec::with_capacity(plan.len());
    let mut batch = Vec::new();
    let mut registrations = 0;
    for course in plan {
        let mut new = template(b.org, 25);
        new.title = course.title.clone();
        new.sessions[0].repeat = Some(Repeat { every_days: 7, count: 3 });
        if let Some((latitude, longitude)) = course.at {
            new.format = CourseFormat::InPerson;
            new.online_link = None;
            new.place = Some(PlaceInput::Coordinates { latitude, longitude, venue: None });
        }
        let id = b.p.courses().create(&Actor::Operator, &new).unwrap().id;
        b.p.courses().publish(&Actor::Operator, id).unwrap();
        batch.extend(course.people.clone().map(|who| (account_of(&b.people[who]), id)));
        registrations += course.people.len();
        if batch.len() >= 5_000 {
            b.p.courses().seed_registrations(&batch).unwrap();
            batch.clear();
        }
        ids.push(id);
    }
    b.p.courses().seed_registrations(&batch).unwrap();
    b.p.flush().unwrap();
    let numbers = |ns: Vec<String>| ns.join(" ");
    let text = format!(
        "{}\n{}\n{}\n",
        b.org,
        numbers(b.people.iter().map(|a| account_of(a).to_string()).collect()),
        numbers(ids.iter().map(CourseId::to_string).collect())
    );
    let source = b._dir.path().join("courses.redb");
    drop(b.p);
    std::fs::create_dir_all(cached.parent().unwrap()).expect("create target/bench-data");
    let partial = cached.with_extension(format!("partial-{}", std::process::id()));
    generate::copy_platform(&source, &partial).expect("copy the built data set");
    generate::move_into_place(&partial, cached);
    std::fs::write(ids_file, text).expect("write the data set's ids");
    eprintln!(
        "courses/scale: {} courses, {registrations} registrations, {people} accounts built in {:?}",
        plan.len(),
        built.elapsed()
    );
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
