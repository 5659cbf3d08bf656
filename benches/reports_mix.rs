//! A quarter's platform report at the national mix the issue names (issue 22: 200,000 accounts,
//! 2,000,000 posts, 100,000 postings, 100,000 enquiries) in one platform file:
//! `cargo bench --bench reports_mix`; see `benches/README.md` ("Reports").
//!
//! The forum bench's file (`support/forums_data.rs`: 2M posts by 20,000 accounts over the two
//! years before March 2026) is copied, and the rest is added to the copy through the public API:
//! accounts up to the scale's number, 2,000 verified employers publishing the job bench's
//! postings (`support/jobs_data.rs`), and a counselling organisation receiving the enquiries
//! (seeded through the core's hidden `seed_enquiries`, as the counselling bench does, so that
//! 100,000 argon2id hashes do not dominate the set-up). Everything added lands in March 2026,
//! so the first quarter of 2026 holds the postings, the enquiries, the new accounts and two
//! months of the forum's posts. The copy is built anew on each run (a few minutes) and removed.
//!
//! `TRIALOG_BENCH_SCALE=small` builds a tenth of everything (the forum's 200,000 posts), `tiny`
//! (the default outside `cargo bench`) a test-sized mix.

#[path = "support/forums_data.rs"]
#[allow(dead_code)]
mod forums_data;
#[path = "support/generate.rs"]
mod generate;
#[path = "support/jobs_data.rs"]
#[allow(dead_code)]
mod jobs_data;

use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use forums_data::ForumScale;
use rand::SeedableRng;
use rand_pcg::Pcg64Mcg;
use trialog::counsel::{CounselOffer, NewEnquiry};
use trialog::{
    Actor, ContentKey, Durability, ImportMode, JobImportRow, NewAccount, NewOrganisation, OrgId, OrgKind, Platform,
    PlatformOptions, TestClock,
};

/// What is added to the forum's file at each scale: accounts in all, employers, postings,
/// enquiries.
struct Mix {
    accounts: usize,
    employers: u64,
    postings: usize,
    enquiries: usize,
}

impl Mix {
    fn for_forum(scale: ForumScale) -> Mix {
        let tenth = |n: usize| n * scale.posts / 2_000_000;
        Mix {
            accounts: tenth(200_000).max(scale.accounts),
            employers: (tenth(100_000) / 50).max(10) as u64,
            postings: tenth(100_000).max(100),
            enquiries: tenth(100_000).max(100),
        }
    }
}

fn reports_mix(c: &mut Criterion) {
    let forum = forums_data::forum_data(ForumScale::from_env());
    let mix = Mix::for_forum(forum.scale);
    let dir = generate::data_dir().join("work");
    std::fs::create_dir_all(&dir).unwrap();
    let copy = dir.join(format!("reports-mix-{}.redb", forum.scale.label));
    generate::copy_platform(&forum.path, &copy).unwrap();
    let clock = TestClock::at("2026-03-02T09:00:00Z".parse().unwrap());
    let p = open(&copy, &clock);
    let started = Instant::now();
    add_accounts(&p, mix.accounts - forum.scale.accounts);
    add_postings(&p, &mix);
    add_enquiries(&p, &clock, mix.enquiries);
    p.flush().unwrap();
    eprintln!(
        "added {} accounts, {} postings of {} employers and {} enquiries to {} posts in {:.1} s",
        mix.accounts - forum.scale.accounts,
        mix.postings,
        mix.employers,
        mix.enquiries,
        forum.scale.posts,
        started.elapsed().as_secs_f64()
    );
    let rows = p.reports().platform(&Actor::Operator, "2026-Q1").unwrap();
    eprintln!("the report holds {} rows, {} withheld", rows.len(), rows.iter().filter(|r| r.withheld).count());
    let mut group = c.benchmark_group("reports");
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    group.bench_function(format!("platform_quarter_national_mix/{}", forum.scale.label), |b| {
        b.iter(|| black_box(p.reports().platform(&Actor::Operator, "2026-Q1").unwrap()))
    });
    group.finish();
    drop(p);
    let _ = std::fs::remove_file(&copy);
    let _ = std::fs::remove_file(generate::keys_of(&copy));
}

/// The copy with the forum bench's cache, eventual durability and a content key (enquiries are
/// sealed under it).
fn open(path: &Path, clock: &TestClock) -> Platform {
    let options = PlatformOptions {
        durability: Durability::Eventual,
        clock: Arc::new(clock.clone()),
        cache_bytes: forums_data::CACHE_BYTES,
        content_key: Some(ContentKey::generate().unwrap()),
        ..Default::default()
    };
    Platform::open(path, options).expect("open the copy of the forum bench platform")
}

/// `n` more accounts without passwords (no argon2id hash to compute).
fn add_accounts(p: &Platform, n: usize) {
    for i in 0..n {
        let new = NewAccount { pseudonym: format!("Mitglied_mix_{i}"), ..Default::default() };
        p.accounts().create(&Actor::Operator, &new).unwrap();
    }
}

/// The employers, verified, and the job bench's postings, every other one published.
fn add_postings(p: &Platform, mix: &Mix) {
    let postcodes = jobs_data::german_postcodes();
    let employers: Vec<OrgId> = (0..mix.employers)
        .map(|i| {
            let new = NewOrganisation {
                name: format!("Arbeitgeber {i}"),
                kind: OrgKind::Clinic,
                region: "DE".into(),
                city: None,
                website: None,
            };
            let org = p.orgs().create(&Actor::Operator, &new).unwrap().id;
            p.orgs().verify(&Actor::Operator, org, true, None).unwrap();
            org
        })
        .collect();
    let mut rng = Pcg64Mcg::seed_from_u64(jobs_data::JOBS_SEED);
    let mut rows = Vec::with_capacity(1000);
    for i in 0..mix.postings {
        let mut job = jobs_data::posting(&mut rng, &postcodes, mix.employers);
        // The job bench numbers its employers from 1; here they follow the forum's organisations.
        job.org = employers[job.org.0 as usize - 1];
        rows.push(JobImportRow { line: i as u64 + 1, job, publish: i % 2 == 0, reference: None });
        if rows.len() == 1000 || i + 1 == mix.postings {
            let report = p.jobs().import(&Actor::Operator, &rows, ImportMode::AllOrNothing, false).unwrap();
            assert!(report.problems.is_empty(), "{:?}", report.problems);
            rows.clear();
        }
    }
}

/// A counselling organisation (German, every topic) and `n` anonymous enquiries to it, a
/// thousand a second of the bench clock.
fn add_enquiries(p: &Platform, clock: &TestClock, n: usize) {
    let new = NewOrganisation {
        name: "Beratung im Netz".into(),
        kind: OrgKind::Association,
        region: "DE".into(),
        city: None,
        website: None,
    };
    let org = p.orgs().create(&Actor::Operator, &new).unwrap().id;
    p.orgs().verify(&Actor::Operator, org, true, None).unwrap();
    let offer = CounselOffer {
        org,
        topics: vec![],
        languages: vec!["de".into()],
        regions: vec![],
        first_response_hours: 48,
        business_days: false,
    };
    p.counsel().set_offer(&Actor::Operator, &offer).unwrap();
    let topics = ["job_and_career", "contracts_and_pay", "for_relatives", "other"];
    for chunk in (0..n).collect::<Vec<_>>().chunks(1000) {
        let batch: Vec<NewEnquiry> = chunk
            .iter()
            .map(|i| NewEnquiry {
                topic: topics[i % topics.len()].into(),
                language: "de".into(),
                postcode: None,
                prefer_lived_experience: false,
                prefer_gender: None,
                text: format!("Frage {i}: Wie finde ich eine Stelle als Genesungsbegleiterin?"),
            })
            .collect();
        clock.advance(chrono::Duration::seconds(1));
        p.counsel().seed_enquiries(&batch, "BENCH-SECRET-0000-0000", false).unwrap();
    }
}

criterion_group!(benches, reports_mix);
criterion_main!(benches);
