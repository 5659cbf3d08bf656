//! Counselling at national scale: 100,000 open enquiries across 50 partner organisations.
//! `cargo bench --bench counsel`; see `benches/README.md` ("Counselling").
//!
//! The data set is built fresh on each run in `target/bench-data/work/` (about a minute at full
//! scale in a release build) through the core's hidden `seed_enquiries` (feature
//! `bench-support`): one transaction per thousand enquiries, all with one secret so that
//! 100,000 argon2id hashes do not dominate the set-up. `TRIALOG_BENCH_SCALE=small` seeds 10,000,
//! `tiny` (the default when run as a test) 1,000.

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use trialog::counsel::{CounselOffer, NewEnquiry};
use trialog::{
    AccountId, Actor, ContentKey, Durability, NewAccount, NewOrganisation, OrgId, OrgKind, PageRequest, Platform,
    PlatformOptions, Role, TestClock,
};

const ORGS: usize = 50;
const TOPICS: &[&str] =
    &["job_and_career", "contracts_and_pay", "ex_in_training", "peer_work_in_practice", "for_relatives", "other"];

fn enquiries() -> usize {
    match std::env::var("TRIALOG_BENCH_SCALE").as_deref().map(str::trim) {
        Ok("small") => 10_000,
        Ok("tiny") => 1_000,
        Ok(_) => 100_000,
        Err(_) if std::env::args().any(|a| a == "--bench") => 100_000,
        Err(_) => 1_000,
    }
}

struct World {
    p: Platform,
    clock: TestClock,
    path: PathBuf,
    orgs: Vec<OrgId>,
    /// One counsellor per organisation.
    counsellors: Vec<AccountId>,
}

fn work_dir() -> PathBuf {
    let dir = std::env::var_os("TRIALOG_BENCH_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench-data"))
        .join("work");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// 50 organisations, each answering one topic (so an enquiry lands in about 8 queues), all in
/// German; `n` enquiries, open or closed.
fn world(name: &str, n: usize, closed: bool) -> World {
    let path = work_dir().join(format!("counsel-{name}.redb"));
    let _ = std::fs::remove_file(&path);
    let clock = TestClock::at("2026-03-02T09:00:00Z".parse().unwrap());
    let options = PlatformOptions {
        clock: Arc::new(clock.clone()),
        durability: Durability::Eventual,
        cache_bytes: 512 << 20,
        content_key: Some(ContentKey::generate().unwrap()),
        ..Default::default()
    };
    let p = Platform::open(&path, options).unwrap();
    let mut orgs = Vec::new();
    let mut counsellors = Vec::new();
    for i in 0..ORGS {
        let new = NewOrganisation {
            name: format!("Beratungsstelle {i}"),
            kind: OrgKind::Association,
            region: "DE".into(),
            city: None,
            website: None,
        };
        let org = p.orgs().create(&Actor::Operator, &new).unwrap().id;
        let offer = CounselOffer {
            org,
            topics: vec![TOPICS[i % TOPICS.len()].into()],
            languages: vec!["de".into()],
            regions: vec![],
            first_response_hours: 48,
            business_days: false,
        };
        p.counsel().set_offer(&Actor::Operator, &offer).unwrap();
        let account = p
            .accounts()
            .create(&Actor::Operator, &NewAccount { pseudonym: format!("Berater_{i}"), ..Default::default() })
            .unwrap();
        p.accounts().grant_role(&Actor::Operator, account.id, Role::Counsellor { org }, None).unwrap();
        orgs.push(org);
        counsellors.push(account.id);
    }
    let started = Instant::now();
    for chunk in (0..n).collect::<Vec<_>>().chunks(1000) {
        let batch: Vec<NewEnquiry> = chunk
            .iter()
            .map(|i| NewEnquiry {
                topic: TOPICS[i % TOPICS.len()].into(),
                language: "de".into(),
                postcode: None,
                prefer_lived_experience: false,
                prefer_gender: None,
                text: format!("Frage {i}: Wie ist das mit der Eingruppierung als Genesungsbegleiterin?"),
            })
            .collect();
        clock.advance(chrono::Duration::seconds(1));
        p.counsel().seed_enquiries(&batch, "BENCH-SECRET-0000-0000", closed).unwrap();
    }
    p.flush().unwrap();
    eprintln!(
        "seeded {n} {} enquiries in {:.1} s",
        if closed { "closed" } else { "open" },
        started.elapsed().as_secs_f64()
    );
    World { p, clock, path, orgs, counsellors }
}

fn queue_and_claims(c: &mut Criterion) {
    let n = enquiries();
    let w = world("open", n, false);
    let mut group = c.benchmark_group("counsel");
    group.sample_size(10).warm_up_time(Duration::from_millis(300)).measurement_time(Duration::from_secs(2));
    let counsellor = Actor::account(w.counsellors[1]);
    let page = PageRequest::first(50);
    group.bench_function("queue_page_50", |b| {
        b.iter(|| black_box(w.p.counsel().queue(&counsellor, w.orgs[1], &page).unwrap()))
    });
    // Claims: enquiry i answers topic i % 6, which organisation i % 6 (and every sixth) offers.
    let mut next = 1u64;
    group.bench_function("claim", |b| {
        b.iter_custom(|iters| {
            let started = Instant::now();
            for _ in 0..iters {
                if next > n as u64 {
                    break;
                }
                let id = next;
                next += 1;
                let org_index = ((id - 1) as usize) % TOPICS.len();
                let actor = Actor::account(w.counsellors[org_index]);
                black_box(w.p.counsel().claim(&actor, id).unwrap());
            }
            started.elapsed()
        })
    });
    let claimed = Actor::account(w.counsellors[0]);
    let case = 1u64;
    group.bench_function("reply_encrypted", |b| {
        b.iter(|| {
            black_box(w.p.counsel().reply(&claimed, case, "Danke für Ihre Nachricht, ich melde mich morgen.").unwrap())
        })
    });
    group.finish();
    drop(w.p);
    let _ = std::fs::remove_file(&w.path);
}

/// Purging is measured once, outside criterion: each sample would need a freshly seeded file
/// of closed enquiries. Prints `counsel/purge_<n>_closed: <seconds>`.
fn purge(_: &mut Criterion) {
    let n = enquiries();
    let w = world("closed", n, true);
    w.clock.advance(chrono::Duration::days(91));
    let started = Instant::now();
    let report = w.p.counsel().purge(&Actor::Operator, false).unwrap();
    w.p.flush().unwrap();
    let took = started.elapsed();
    assert_eq!(report.purged, n as u64);
    eprintln!("counsel/purge_{n}_closed: {:.2} s (one run, durable commit included)", took.as_secs_f64());
    drop(w.p);
    let _ = std::fs::remove_file(&w.path);
}

criterion_group!(benches, queue_and_claims, purge);
criterion_main!(benches);
