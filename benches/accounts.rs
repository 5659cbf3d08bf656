//! Account operations on a national-scale platform (200,000 accounts, 20,000 organisations).
//!
//! `cargo bench --bench accounts` — the first run generates the platform into
//! `target/bench-data/` (see `support/generate.rs`); later runs reuse it. Set
//! `TRIALOG_BENCH_SCALE=small` for a quick run on 20,000 accounts. See `benches/README.md`.

#[path = "support/generate.rs"]
mod generate;

use std::hint::black_box;
use std::path::Path;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use criterion::{
    BenchmarkGroup, Criterion, SamplingMode, Throughput, criterion_group, criterion_main, measurement::WallTime,
};
use generate::{DEFAULT_SEED, Dataset, Scale};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use trialog::accounts::pseudonym_key;
use trialog::{
    AccountFilter, Actor, Durability, NewAccount, OrgId, PageRequest, Perspective, Platform, PlatformOptions, RoleKind,
};

/// The generated platform, built or found once per run.
fn data() -> &'static Dataset {
    static DATA: OnceLock<Dataset> = OnceLock::new();
    DATA.get_or_init(|| generate::dataset(DEFAULT_SEED, Scale::from_env()))
}

/// Existing pseudonyms as people type them: as registered, lower case, upper case, or with
/// umlauts and `å` decomposed (NFD), so that every lookup goes through the normalisation.
fn queries(data: &Dataset, count: usize) -> Vec<String> {
    let mut rng = Pcg64Mcg::seed_from_u64(data.seed ^ 0x7175_6572_7973);
    (0..count)
        .map(|_| {
            let name = &data.pseudonyms[rng.random_range(0..data.pseudonyms.len())];
            match rng.random_range(0..4) {
                0 => name.clone(),
                1 => name.to_lowercase(),
                2 => name.to_uppercase(),
                _ => decomposed(name),
            }
        })
        .collect()
}

/// `ü` → `u` + combining diaeresis, and so on: the same name in another Unicode form.
fn decomposed(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 8);
    for c in name.chars() {
        match c {
            'ä' | 'ö' | 'ü' | 'Ä' | 'Ö' | 'Ü' => {
                out.push(match c {
                    'ä' => 'a',
                    'ö' => 'o',
                    'ü' => 'u',
                    'Ä' => 'A',
                    'Ö' => 'O',
                    _ => 'U',
                });
                out.push('\u{308}');
            }
            'å' => out.push_str("a\u{30A}"),
            'Å' => out.push_str("A\u{30A}"),
            c => out.push(c),
        }
    }
    out
}

/// A new account whose pseudonym the generator never produces (it has no `z`).
fn newcomer(n: u64) -> NewAccount {
    NewAccount {
        pseudonym: format!("zz-bench-{n}"),
        perspective: Perspective::LivedExperience,
        languages: vec!["de".into(), "en".into()],
        home_region: Some("DE-TH".into()),
        email: None,
        ..Default::default()
    }
}

fn open(path: &Path, durability: Durability) -> Platform {
    Platform::open(path, PlatformOptions { durability, ..Default::default() }).expect("open the bench platform")
}

/// A group with `samples` samples over about `secs` seconds. Flat sampling (the same number of
/// iterations in every sample) suits routines of a millisecond or more.
fn group<'c>(c: &'c mut Criterion, name: &str, samples: usize, secs: u64, flat: bool) -> BenchmarkGroup<'c, WallTime> {
    let mut group = c.benchmark_group(name);
    group.sample_size(samples).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(secs));
    if flat {
        group.sampling_mode(SamplingMode::Flat);
    }
    group
}

/// How a fresh process meets the platform: open the file (default options), answer one
/// request. Closing is timed only in `with_close` (it commits and syncs once). The OS page
/// cache is warm after the first iteration; redb's own cache starts empty every time.
fn open_and_first_query(c: &mut Criterion) {
    let data = data();
    let label = data.scale.label();
    let queries = queries(data, 1024);
    let mut path = None;
    let mut group = group(c, "open_and_first_query", 20, 5, true);
    let first_page = |platform: &Platform| {
        let page = platform.accounts().list(&Actor::Operator, &AccountFilter::default(), &PageRequest::first(50));
        black_box(page.expect("list"));
    };
    let mut i = 0;
    let mut lookup = |platform: &Platform| {
        i = (i + 1) % queries.len();
        black_box(platform.accounts().find_by_pseudonym(&Actor::Operator, &queries[i]).expect("lookup"));
    };
    group.bench_function(label, |b| {
        let path = path.get_or_insert_with(|| data.copy("read"));
        b.iter_custom(|iters| time_opening(path, iters, false, &mut lookup));
    });
    group.bench_function(format!("{label}/first_page"), |b| {
        let path = path.get_or_insert_with(|| data.copy("read"));
        b.iter_custom(|iters| time_opening(path, iters, false, first_page));
    });
    group.bench_function(format!("{label}/with_close"), |b| {
        let path = path.get_or_insert_with(|| data.copy("read"));
        b.iter_custom(|iters| time_opening(path, iters, true, &mut lookup));
    });
    group.finish();
}

/// Opens the platform `iters` times, runs `first` once each time, and returns the time taken,
/// with or without closing the file.
fn time_opening(path: &Path, iters: u64, with_close: bool, mut first: impl FnMut(&Platform)) -> Duration {
    let mut total = Duration::ZERO;
    for _ in 0..iters {
        let start = Instant::now();
        let platform = Platform::open(path, PlatformOptions::default()).expect("open");
        first(&platform);
        if with_close {
            drop(platform);
            total += start.elapsed();
        } else {
            total += start.elapsed();
            drop(platform);
        }
    }
    total
}

/// Sign-ups on the full platform, each its own transaction as the core does it. Each variant
/// works on its own fresh copy of the file, which grows by the accounts created (tens of
/// thousands in the eventual variant, a few thousand in the durable one).
fn create_account(c: &mut Criterion) {
    let data = data();
    let mut group = group(c, "create_account", 30, 3, false);
    group.throughput(Throughput::Elements(1));

    // Eventual commits; the flush that ends each sample's batch is counted in.
    let mut platform = None;
    let mut n = 0u64;
    group.bench_function("eventual_batch", |b| {
        let platform = platform.get_or_insert_with(|| open(&data.copy("create-eventual"), Durability::Eventual));
        b.iter_custom(|iters| {
            let start = Instant::now();
            for _ in 0..iters {
                n += 1;
                black_box(platform.accounts().create(&Actor::Anonymous, &newcomer(n)).expect("create"));
            }
            platform.flush().expect("flush");
            start.elapsed()
        });
    });
    drop(platform);

    // Every sign-up on disk before it returns.
    let mut platform = None;
    let mut n = 0u64;
    group.bench_function("durable_single", |b| {
        let platform = platform.get_or_insert_with(|| open(&data.copy("create-durable"), Durability::Immediate));
        b.iter(|| {
            n += 1;
            black_box(platform.accounts().create(&Actor::Anonymous, &newcomer(n)).expect("create"))
        });
    });
    group.finish();
}

/// Finding an account by pseudonym, typed in any case or Unicode form.
fn lookup_by_pseudonym(c: &mut Criterion) {
    let data = data();
    let queries = queries(data, 4096);
    let mut platform = None;
    let mut group = group(c, "lookup_by_pseudonym", 100, 5, false);
    let mut i = 0;
    group.bench_function(data.scale.label(), |b| {
        let platform = platform.get_or_insert_with(|| open(&data.copy("read"), Durability::Immediate));
        b.iter(|| {
            i = (i + 1) % queries.len();
            black_box(platform.accounts().find_by_pseudonym(&Actor::Operator, &queries[i]).expect("lookup"))
        });
    });
    group.finish();
}

/// The moderators' account list: the first page of 50, unfiltered and filtered. Filters are
/// applied while reading the accounts in id order, so a rare match means a long read.
fn list_accounts(c: &mut Criterion) {
    let data = data();
    let first = PageRequest::first(50);
    let mut platform = None;
    let mut group = group(c, "list_accounts", 20, 5, true);
    let prefix: String = data.pseudonyms[data.pseudonyms.len() / 2].chars().take(3).collect();
    let key = pseudonym_key(&prefix);
    let matching = data.pseudonyms.iter().filter(|p| pseudonym_key(p).starts_with(&key)).count();
    eprintln!("list_accounts/first_page_prefix: prefix '{prefix}' matches {matching} accounts");
    let filters = [
        ("first_page", AccountFilter::default()),
        // About 1 % of accounts are counsellors: some 5,000 records are read to fill the page.
        ("first_page_filtered", AccountFilter { role: Some(RoleKind::Counsellor), ..Default::default() }),
        // Accounts whose pseudonym starts like the one in the middle of the table.
        ("first_page_prefix", AccountFilter { pseudonym_prefix: Some(prefix.clone()), ..Default::default() }),
        // Everyone holding a role in one organisation: a handful, so the whole table is read.
        ("one_org_staff", AccountFilter { org: Some(OrgId(1)), ..Default::default() }),
    ];
    for (name, filter) in &filters {
        if *name == "one_org_staff" {
            group.sample_size(10).measurement_time(Duration::from_secs(8)); // ~0.5 s per iteration
        }
        group.bench_function(*name, |b| {
            let platform = platform.get_or_insert_with(|| open(&data.copy("read"), Durability::Immediate));
            b.iter(|| black_box(platform.accounts().list(&Actor::Operator, filter, &first).expect("list")));
        });
    }
    group.finish();
}

criterion_group!(benches, open_and_first_query, create_account, lookup_by_pseudonym, list_accounts);
criterion_main!(benches);
