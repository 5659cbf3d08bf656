//! A quarter's platform report for funders over the job bench's board (`support/jobs_data.rs`:
//! 100,000 postings of 2,000 organisations at full scale, published in March 2026), with a view
//! on one published posting in ten. `cargo bench --bench reports`; see `benches/README.md` ("Reports").
//!
//! The forums' and counselling's figures come from monthly counters and sketches (a dozen rows
//! a year whatever the number of posts or enquiries), so the postings and the organisations
//! are what a report's cost grows with: every posting is read for its contract and region, and
//! every organisation's cells go into the disclosure release.

#[path = "support/generate.rs"]
mod generate;
/// Shared with the job board's bench, which reads the postcodes and organisation count.
#[path = "support/jobs_data.rs"]
#[allow(dead_code)]
mod jobs_data;

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use jobs_data::JobScale;
use trialog::{Actor, JobId};

fn reports(c: &mut Criterion) {
    let data = jobs_data::job_data(JobScale::from_env());
    let dir = generate::data_dir().join("work");
    std::fs::create_dir_all(&dir).unwrap();
    let copy = dir.join(format!("reports-{}.redb", data.scale.label));
    generate::copy_platform(&data.path, &copy).unwrap();
    let p = jobs_data::open(&copy);
    let started = Instant::now();
    // Imported postings are numbered from 1 in import order, every other one published: the
    // odd ids. One in ten published postings is viewed once.
    let mut viewed = 0;
    for id in (1..=data.scale.postings as u64).step_by(20) {
        if p.jobs().record_view(&Actor::Anonymous, JobId(id)).is_ok() {
            viewed += 1;
        }
    }
    eprintln!("{viewed} postings viewed in {:.1} s", started.elapsed().as_secs_f64());
    let rows = p.reports().platform(&Actor::Operator, "2026-Q1").unwrap();
    eprintln!("the report holds {} rows, {} withheld", rows.len(), rows.iter().filter(|r| r.withheld).count());
    let mut group = c.benchmark_group("reports");
    group.sample_size(10).measurement_time(Duration::from_secs(20));
    group.bench_function(format!("platform_quarter/{}", data.scale.label), |b| {
        b.iter(|| black_box(p.reports().platform(&Actor::Operator, "2026-Q1").unwrap()))
    });
    group.finish();
    drop(p);
    let _ = std::fs::remove_file(&copy);
}

criterion_group!(benches, reports);
criterion_main!(benches);
