//! Job suggestions at national scale: one seeker against the 100,000-posting job board
//! (50,000 published) on real German postcodes, and the seekers for one posting among 5,000
//! findable profiles. `cargo bench --bench suggest`; see `benches/README.md`.

#[path = "support/generate.rs"]
mod generate;
#[path = "support/jobs_data.rs"]
#[allow(dead_code)] // shared with benches/jobs.rs, which uses all of it
mod jobs_data;

use std::hint::black_box;
use std::sync::OnceLock;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use jobs_data::{JobData, JobScale, Postcode};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use trialog::{
    AccountId, Actor, Contract, ExInStatus, Hours, JobId, JobQuery, LocationInput, MinPay, PageRequest, PayUnit,
    Platform, SeekerProfileInput,
};

fn data() -> &'static JobData {
    static DATA: OnceLock<JobData> = OnceLock::new();
    DATA.get_or_init(|| jobs_data::job_data(JobScale::from_env()))
}

/// A working copy of the data set with a seeker profile for every seeker account.
fn platform() -> (Platform, Vec<AccountId>) {
    let dir = generate::data_dir().join("work");
    std::fs::create_dir_all(&dir).unwrap();
    let copy = dir.join(format!("suggest-{}.redb", data().scale.label));
    generate::copy_platform(&data().path, &copy).unwrap();
    let p = jobs_data::open(&copy);
    let mut rng = Pcg64Mcg::seed_from_u64(23);
    let seekers = seeker_accounts(&p);
    for &id in &seekers {
        p.seekers().set(&Actor::Operator, id, &profile(&mut rng, &data().postcodes, 50, false)).unwrap();
    }
    p.flush().unwrap();
    (p, seekers)
}

/// The accounts of the data set's seekers (they keep its saved searches).
fn seeker_accounts(p: &Platform) -> Vec<AccountId> {
    let count = data().scale.saved_searches.div_ceil(2);
    (0..count).map(|i| p.accounts().find_by_pseudonym(&Actor::Operator, &format!("seeker{i}")).unwrap().id).collect()
}

/// A seeker somewhere in Germany: up to `km` away, two contract types, in EX-IN training,
/// German, a wanted pay and hours; findable.
fn profile(rng: &mut Pcg64Mcg, postcodes: &[Postcode], km: u32, remote: bool) -> SeekerProfileInput {
    let home = &postcodes[rng.random_range(0..postcodes.len())];
    SeekerProfileInput {
        location: Some(LocationInput::Coordinates { latitude: home.latitude, longitude: home.longitude, place: None }),
        max_distance_km: Some(km),
        hours: Some(Hours { min: 20, max: 30 }),
        contracts: vec![Contract::Permanent, Contract::FixedTerm],
        exin: Some(ExInStatus::InTraining),
        languages: vec!["de".into()],
        open_to_remote: remote,
        findable: true,
        min_pay: Some(MinPay { amount: 3200.0, unit: PayUnit::Month, currency: "EUR".into() }),
    }
}

fn suggestions(c: &mut Criterion) {
    let (p, seekers) = platform();
    let postcodes = &data().postcodes;
    let mut rng = Pcg64Mcg::seed_from_u64(29);
    let mut group = c.benchmark_group("suggest");
    for (label, km, remote) in [
        ("jobs_for_seeker_50km_first20", 50, false),
        ("jobs_for_seeker_50km_and_remote_first20", 50, true),
        ("jobs_for_seeker_100km_first20", 100, false),
    ] {
        let seeker = seekers[0];
        group.bench_function(label, |b| {
            b.iter_batched(
                || p.seekers().set(&Actor::Operator, seeker, &profile(&mut rng, postcodes, km, remote)).unwrap(),
                |_| black_box(p.jobs().suggest_for_seeker(&Actor::Operator, seeker, Some(20)).unwrap()),
                BatchSize::PerIteration,
            )
        });
    }
    let published: Vec<JobId> = p
        .jobs()
        .search(&Actor::Anonymous, &JobQuery::default(), &PageRequest::first(500))
        .unwrap()
        .items
        .iter()
        .map(|hit| hit.job.id)
        .collect();
    let label = format!("seekers_for_job_among_{}_first20", seekers.len());
    group.bench_function(label, |b| {
        b.iter_batched(
            || published[rng.random_range(0..published.len())],
            |job| black_box(p.seekers().suggest_for_job(&Actor::Operator, job, Some(20)).unwrap()),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, suggestions);
criterion_main!(benches);
