//! The self-help directory at national scale (issue 21's targets): 100,000 groups on real
//! German postcodes (the GeoNames gazetteer, `../shared/data/geonames/DE.txt`), 300 contact
//! points. Measured: a person's search — 25 km around a postcode, one topic, one weekday, the
//! first 20 — under 1 ms; the next meeting date of 1,000 groups (one batch call; beside it the
//! same as 1,000 single calls) under 1 ms; the HSDS export of every group under 10 s.
//!
//! `cargo bench --bench groups` (`TRIALOG_BENCH_SCALE=small` for 10,000 groups). The directory
//! is written once through the public API and cached under `target/bench-data/`.

#[path = "support/generate.rs"]
mod generate;
/// The German postcodes and where the gazetteer file is.
#[path = "support/jobs_data.rs"]
#[allow(dead_code)]
mod jobs_data;

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use jobs_data::{JobScale, Postcode};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use trialog::{
    Accessibility, Actor, Durability, GroupAudience, GroupFormat, GroupId, GroupPlaceInput, GroupQuery, GroupStatus,
    MeetingInput, NewGroup, NewOrganisation, NewTopic, OrgId, OrgKind, PageRequest, Platform, PlatformOptions,
    SCHEMA_VERSION, TestClock, TopicLabel, Weekday,
};

/// Bump when the plan changes, so that cached files are rebuilt.
const GROUPS_GENERATOR_VERSION: u32 = 1;
const GROUPS_SEED: u64 = 0x6772_6f75_7073; // "groups"
const CONTACT_POINTS: u64 = 300;

/// Topics of the directory, as self-help contact points list them (slug, German label).
const TOPICS: &[(&str, &str)] = &[
    ("depression", "Depression"),
    ("angst", "Angst und Panik"),
    ("sucht", "Sucht"),
    ("angehoerige", "Angehörige psychisch erkrankter Menschen"),
    ("psychose", "Psychose-Erfahrung"),
    ("trauer", "Trauer"),
    ("essstoerung", "Essstörungen"),
    ("bipolar", "Bipolare Störung"),
    ("trauma", "Trauma"),
    ("borderline", "Borderline"),
    ("zwang", "Zwangserkrankungen"),
    ("adhs", "ADHS bei Erwachsenen"),
];

const DAYS: [Weekday; 7] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
    Weekday::Saturday,
    Weekday::Sunday,
];
const DAY_CODES: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];

fn groups(c: &mut Criterion) {
    let scale = JobScale::from_env();
    let count = scale.postings; // 100,000 at full scale, as many groups as the job board has postings
    let postcodes = jobs_data::german_postcodes();
    let path = directory(count, scale.label, &postcodes);
    let p = open(&path);
    let mut rng = Pcg64Mcg::seed_from_u64(GROUPS_SEED ^ 1);
    let queries: Vec<GroupQuery> = (0..64).map(|_| query(&mut rng, &postcodes)).collect();
    let hits: usize = queries
        .iter()
        .map(|q| p.groups().search(&Actor::Anonymous, q, &PageRequest::first(20)).unwrap().items.len())
        .sum();
    eprintln!("{} searches find {hits} groups in their first pages", queries.len());

    let mut group = c.benchmark_group("groups");
    group.bench_function(format!("search_25km_topic_weekday_first20/{}", scale.label), |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % queries.len();
            black_box(p.groups().search(&Actor::Anonymous, &queries[i], &PageRequest::first(20)).unwrap())
        })
    });
    let ids = distinct_groups(&mut rng, count as u64, 1_000);
    group.bench_function(format!("next_meeting_of_1000_groups/{}", scale.label), |b| {
        b.iter(|| black_box(p.groups().next_meetings_of(&Actor::Anonymous, &ids, 1, None).unwrap()))
    });
    group.bench_function(format!("next_meeting_of_1000_groups_one_call_each/{}", scale.label), |b| {
        b.iter(|| {
            for id in &ids {
                black_box(p.groups().next_meetings(&Actor::Anonymous, *id, 1).unwrap());
            }
        })
    });
    group.sample_size(10).measurement_time(Duration::from_secs(60));
    group.bench_function(format!("hsds_export_all/{}", scale.label), |b| b.iter(|| black_box(export_all(&p))));
    group.finish();
}

/// `n` different group ids of the `count` in the directory, in random order (one call may
/// not name a group twice).
fn distinct_groups(rng: &mut Pcg64Mcg, count: u64, n: usize) -> Vec<GroupId> {
    let mut seen = std::collections::HashSet::new();
    let mut ids = Vec::with_capacity(n);
    while ids.len() < n {
        let id = GroupId(rng.random_range(1..=count));
        if seen.insert(id) {
            ids.push(id);
        }
    }
    ids
}

/// Every group's HSDS document, page by page as the CLI writes them; returns the bytes.
fn export_all(p: &Platform) -> usize {
    let mut bytes = 0;
    let mut page = PageRequest::first(500);
    loop {
        let out = p.groups().export_hsds(&Actor::Operator, &page).unwrap();
        bytes += out.items.iter().map(|d| d.json.len()).sum::<usize>();
        match out.next_cursor {
            Some(cursor) => page.cursor = Some(cursor),
            None => return bytes,
        }
    }
}

/// A person's search: 25 km around a postcode, one topic, one weekday.
fn query(rng: &mut Pcg64Mcg, postcodes: &[Postcode]) -> GroupQuery {
    GroupQuery {
        topic: Some(TOPICS[rng.random_range(0..TOPICS.len())].0.into()),
        postcode: Some(postcodes[rng.random_range(0..postcodes.len())].code.clone()),
        country: Some("DE".into()),
        radius_km: Some(25.0),
        weekday: Some(DAYS[rng.random_range(0..7)]),
        ..Default::default()
    }
}

fn clock() -> TestClock {
    TestClock::at("2026-03-02T09:00:00Z".parse().unwrap())
}

fn open(path: &Path) -> Platform {
    let options = PlatformOptions {
        durability: Durability::Eventual,
        clock: Arc::new(clock()),
        cache_bytes: 256 * 1024 * 1024,
        ..Default::default()
    };
    Platform::open(path, options).expect("open the directory bench platform")
}

/// Builds the directory file unless it is cached.
fn directory(count: usize, label: &str, postcodes: &[Postcode]) -> std::path::PathBuf {
    let dir = generate::data_dir();
    std::fs::create_dir_all(&dir).expect("create target/bench-data");
    let path =
        dir.join(format!("groups-g{GROUPS_GENERATOR_VERSION}-s{SCHEMA_VERSION}-{label}-p{}.redb", postcodes.len()));
    if !path.exists() {
        let partial = path.with_extension(format!("partial-{}", std::process::id()));
        let _ = std::fs::remove_file(&partial);
        let started = Instant::now();
        eprintln!("generating {count} groups into {} ...", path.display());
        build(&partial, count, postcodes);
        generate::move_into_place(&partial, &path);
        eprintln!("generated in {:.1} s", started.elapsed().as_secs_f64());
    }
    path
}

fn build(path: &Path, count: usize, postcodes: &[Postcode]) {
    let p = open(path);
    let op = Actor::Operator;
    let gazetteer = jobs_data::geonames_dir().join("DE.txt");
    let file = std::fs::File::open(&gazetteer).expect("the German gazetteer (set TRIALOG_GEONAMES_DIR)");
    p.geo().import(&op, std::io::BufReader::new(file), &mut |_| {}).unwrap();
    for (slug, label) in TOPICS {
        let labels = vec![TopicLabel { lang: "de".into(), pref: (*label).into(), alt: vec![] }];
        p.topics().add(&op, &NewTopic { slug: (*slug).into(), parent: None, labels, related: vec![] }).unwrap();
    }
    let contact_points: Vec<OrgId> = (0..CONTACT_POINTS)
        .map(|i| {
            let new = NewOrganisation {
                name: format!("Selbsthilfekontaktstelle {i}"),
                kind: OrgKind::SelfHelpContactPoint,
                region: "DE".into(),
                city: None,
                website: None,
            };
            p.orgs().create(&op, &new).unwrap().id
        })
        .collect();
    let mut rng = Pcg64Mcg::seed_from_u64(GROUPS_SEED);
    for i in 0..count {
        p.groups().create(&op, &group(&mut rng, i, postcodes, &contact_points)).unwrap();
    }
    p.flush().unwrap();
}

/// A group somewhere in Germany: one or two topics, weekly or monthly on one weekday, one in
/// ten online, one in four at a confidential place.
fn group(rng: &mut Pcg64Mcg, i: usize, postcodes: &[Postcode], contact_points: &[OrgId]) -> NewGroup {
    let (slug, label) = TOPICS[rng.random_range(0..TOPICS.len())];
    let online = rng.random_range(0..10) == 0;
    let day = DAY_CODES[rng.random_range(0..7)];
    let rule = if rng.random_range(0..3) == 0 {
        format!("FREQ=MONTHLY;BYDAY=1{day},3{day}")
    } else {
        format!("FREQ=WEEKLY;BYDAY={day}")
    };
    let hour = rng.random_range(10..20);
    let place = (!online).then(|| GroupPlaceInput {
        country: "DE".into(),
        postcode: postcodes[rng.random_range(0..postcodes.len())].code.clone(),
        venue: Some("Gruppenraum".into()),
        street: Some(format!("Hauptstraße {}", rng.random_range(1..200))),
        confidential: rng.random_range(0..4) == 0,
    });
    NewGroup {
        name: format!("{label} – Gesprächskreis {i}"),
        description: "Wir tauschen uns auf Augenhöhe aus und stärken uns gegenseitig.".into(),
        topics: vec![slug.into()],
        keywords: vec![],
        audience: [GroupAudience::Affected, GroupAudience::Relatives, GroupAudience::Both][rng.random_range(0..3)],
        age_min: Some(18),
        age_max: None,
        languages: vec!["de".into()],
        status: if rng.random_range(0..20) == 0 { GroupStatus::Founding } else { GroupStatus::Active },
        format: if online { GroupFormat::Online } else { GroupFormat::InPerson },
        contact_point: Some(contact_points[rng.random_range(0..contact_points.len())]),
        contact: None,
        requests_to: None,
        place,
        meetings: vec![MeetingInput {
            rule,
            starts: format!("{hour}:00"),
            ends: format!("{}:30", hour + 1),
            valid_from: None,
            valid_until: None,
            exceptions: vec![],
        }],
        accessibility: if rng.random_range(0..2) == 0 { vec![Accessibility::StepFree] } else { vec![] },
        accessibility_notes: None,
    }
}

criterion_group!(benches, groups);
criterion_main!(benches);
