//! The job board at national scale: 100,000 postings (50,000 published) on real German
//! postcodes and 10,000 saved searches. `cargo bench --bench jobs`; see `benches/README.md`.

#[path = "support/generate.rs"]
mod generate;
#[path = "support/jobs_data.rs"]
mod jobs_data;

use std::hint::black_box;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use jobs_data::{JobData, JobScale, Postcode};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use trialog::{Actor, Contract, ImportMode, JobId, JobImportRow, JobQuery, LocationInput, PageRequest, Platform};

fn data() -> &'static JobData {
    static DATA: OnceLock<JobData> = OnceLock::new();
    DATA.get_or_init(|| jobs_data::job_data(JobScale::from_env()))
}

/// A working copy of the data set, opened once.
fn platform(name: &str) -> Platform {
    let dir = generate::data_dir().join("work");
    std::fs::create_dir_all(&dir).unwrap();
    let copy = dir.join(format!("{name}-{}.redb", data().scale.label));
    generate::copy_platform(&data().path, &copy).unwrap();
    jobs_data::open(&copy)
}

fn near(place: &Postcode, radius_km: f64) -> JobQuery {
    JobQuery {
        near: Some(LocationInput::Coordinates { latitude: place.latitude, longitude: place.longitude, place: None }),
        radius_km: Some(radius_km),
        ..Default::default()
    }
}

fn search(c: &mut Criterion) {
    let p = platform("search");
    let postcodes = &data().postcodes;
    let mut rng = Pcg64Mcg::seed_from_u64(7);
    let mut group = c.benchmark_group("search");
    let first_page = PageRequest::first(20);
    group.bench_function("radius50_plus_contract_first20", |b| {
        b.iter_batched(
            || JobQuery {
                contracts: vec![Contract::Permanent],
                ..near(&postcodes[rng.random_range(0..postcodes.len())], 50.0)
            },
            |q| black_box(p.jobs().search(&Actor::Anonymous, &q, &first_page).unwrap()),
            criterion::BatchSize::SmallInput,
        )
    });
    let pairs = [
        ("Genesungsbegleitung", "Klinik"),
        ("Peer", "Tagesklinik"),
        ("Krisendienst", "Recovery"),
        ("Supervision", "Team"),
    ];
    group.bench_function("radius50_plus_two_words_first20", |b| {
        b.iter_batched(
            || {
                let (a, w) = pairs[rng.random_range(0..pairs.len())];
                JobQuery {
                    text: Some(format!("{a} {w}")),
                    ..near(&postcodes[rng.random_range(0..postcodes.len())], 50.0)
                }
            },
            |q| black_box(p.jobs().search(&Actor::Anonymous, &q, &first_page).unwrap()),
            criterion::BatchSize::SmallInput,
        )
    });
    group.bench_function("nationwide_two_words_first20", |b| {
        b.iter_batched(
            || {
                let (a, w) = pairs[rng.random_range(0..pairs.len())];
                JobQuery { text: Some(format!("{a} {w}")), ..Default::default() }
            },
            |q| black_box(p.jobs().search(&Actor::Anonymous, &q, &first_page).unwrap()),
            criterion::BatchSize::SmallInput,
        )
    });
    group.bench_function("newest_first20", |b| {
        b.iter(|| black_box(p.jobs().search(&Actor::Anonymous, &JobQuery::default(), &first_page).unwrap()))
    });
    group.finish();
}

/// Drafts to publish, created outside the timed part.
fn drafts(p: &Platform, rng: &mut Pcg64Mcg, n: usize) -> Vec<JobId> {
    let rows: Vec<JobImportRow> = (0..n)
        .map(|i| JobImportRow {
            line: i as u64 + 1,
            job: jobs_data::posting(rng, &data().postcodes, data().org_count),
            publish: false,
            reference: None,
        })
        .collect();
    p.jobs().import(&Actor::Operator, &rows, ImportMode::AllOrNothing, false).unwrap().created
}

fn publishing(c: &mut Criterion) {
    let p = platform("publish");
    let mut rng = Pcg64Mcg::seed_from_u64(11);
    let mut group = c.benchmark_group("publish");
    // Per posting, in batches of 100 through `publish_many` (one transaction each), with its
    // card, cell, text index, counters and the alerts of the saved searches present.
    group.bench_function("eventual_batch_of_100_per_posting", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            let mut left = iters as usize;
            while left > 0 {
                let n = left.min(100);
                let ids = drafts(&p, &mut rng, n);
                let started = Instant::now();
                black_box(p.jobs().publish_many(&Actor::Operator, &ids).unwrap());
                total += started.elapsed();
                left -= n;
            }
            total
        })
    });
    group.finish();

    let mut group = c.benchmark_group("alerts");
    group.sample_size(10);
    let postings = if data().scale.postings >= 100_000 { 1_000 } else { 100 };
    let label = format!("{}_saved_searches_x_{postings}_new_postings", data().scale.saved_searches);
    group.bench_function(label, |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let ids = drafts(&p, &mut rng, postings);
                let started = Instant::now();
                black_box(p.jobs().publish_many(&Actor::Operator, &ids).unwrap());
                total += started.elapsed();
            }
            total
        })
    });
    group.finish();
}

criterion_group!(benches, search, publishing);
criterion_main!(benches);
