//! The record codec: `cargo bench --bench codec`; see `benches/README.md` ("Record codec").
//!
//! 1. The candidate formats on real records (forum posts, threads and accounts of the forum
//!    bench platform, postings of the job bench platform): bytes per record, and encoding and
//!    decoding time per record, timed in alternating rounds so that a busy machine slows every
//!    format alike. A format that cannot give the records back is listed with why.
//! 2. The forum platform written twice, with every record as JSON (as before schema version
//!    12) and compact: the file after compaction, and a thread page of 20 posts read from each,
//!    alternating, answers checked equal.
//!
//! Scale: `TRIALOG_BENCH_SCALE` (`tiny` unless set; `small` is 200,000 posts).

#[allow(dead_code)] // shared with benches/forums.rs, which uses all of it
#[path = "support/forums_data.rs"]
mod forums_data;
#[path = "support/generate.rs"]
mod generate;
#[allow(dead_code)] // shared with benches/jobs.rs, which uses all of it
#[path = "support/jobs_data.rs"]
mod jobs_data;

use std::path::{Path, PathBuf};
use std::time::Instant;

use forums_data::{ForumData, ForumScale};
use jobs_data::JobScale;
use trialog::codec_candidates::{Candidate, Format, candidates};
use trialog::{Actor, PageRequest, Platform, PostId, ThreadId};

/// Rounds of alternating batches.
const ROUNDS: usize = 15;
/// Records of each kind the formats are compared on.
const SAMPLE: usize = 500;
/// Thread pages per batch.
const PAGES: usize = 50;

fn main() {
    let label = std::env::var("TRIALOG_BENCH_SCALE").unwrap_or_else(|_| "tiny".into());
    let compact = forums_data::forum_data(ForumScale::named(&label));
    let json = forums_data::forum_data_as_json(ForumScale::named(&label));
    let work = generate::data_dir().join("work");
    std::fs::create_dir_all(&work).expect("create the work folder");

    let jobs = jobs_data::job_data(JobScale::named("tiny"));
    let forum_copy = copy_of(&compact.path, &work.join("codec-forums.redb"));
    let jobs_copy = copy_of(&jobs.path, &work.join("codec-jobs.redb"));
    let mut found = candidates(&forums_data::open(&forum_copy), SAMPLE).expect("sample the forum records");
    found.retain(|c| c.records > 0 && c.kind != "job posting");
    let postings = candidates(&jobs_data::open(&jobs_copy), SAMPLE).expect("sample the postings");
    found.extend(postings.into_iter().filter(|c| c.records > 0 && c.kind == "job posting"));
    formats(&found);

    files_and_pages(&compact, &json, &work);
    for name in ["codec-forums", "codec-jobs", "codec-compact", "codec-json"] {
        let _ = std::fs::remove_file(work.join(format!("{name}.redb")));
    }
}

fn copy_of(source: &Path, copy: &Path) -> PathBuf {
    let _ = std::fs::remove_file(copy);
    generate::copy_platform(source, copy).expect("copy a bench data set");
    copy.to_path_buf()
}

/// Median nanoseconds per record of `run`, over rounds that alternate between all candidates.
fn formats(found: &[Candidate]) {
    let mut encode: Vec<Vec<f64>> = vec![Vec::new(); found.len()];
    let mut decode: Vec<Vec<f64>> = vec![Vec::new(); found.len()];
    for _ in 0..ROUNDS {
        for (i, c) in found.iter().enumerate().filter(|(_, c)| c.failure.is_none()) {
            let per = |elapsed: std::time::Duration| elapsed.as_nanos() as f64 / c.records as f64;
            let started = Instant::now();
            c.encode_all();
            encode[i].push(per(started.elapsed()));
            let started = Instant::now();
            c.decode_all();
            decode[i].push(per(started.elapsed()));
        }
    }
    println!("\n| record | format | bytes per record | × JSON | encode µs | decode µs | decode × JSON |");
    println!("|---|---|---|---|---|---|---|");
    for (i, c) in found.iter().enumerate() {
        let json = found.iter().position(|j| j.kind == c.kind && j.format == Format::Json).unwrap();
        if let Some(why) = &c.failure {
            println!("| {} | {} | — | — | — | — | fails: {} |", c.kind, c.format.name(), first_line(why));
            continue;
        }
        let bytes = c.bytes as f64 / c.records as f64;
        let json_bytes = found[json].bytes as f64 / found[json].records as f64;
        let (enc, dec) = (median(&mut encode[i]) / 1000.0, median(&mut decode[i]) / 1000.0);
        let json_dec = median(&mut decode[json].clone()) / 1000.0;
        println!(
            "| {} | {} | {bytes:.0} | {:.2} | {enc:.2} | {dec:.2} | {:.2} |",
            c.kind,
            c.format.name(),
            bytes / json_bytes,
            dec / json_dec
        );
    }
}

fn first_line(why: &str) -> String {
    why.lines().next().unwrap_or_default().chars().take(90).collect()
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(f64::NAN)
}

/// The same forums written as JSON and compact: file sizes after compaction, and the thread
/// page read from each in alternating batches (the answers compared first).
fn files_and_pages(compact: &ForumData, json: &ForumData, work: &Path) {
    let compact_path = copy_of(&compact.path, &work.join("codec-compact.redb"));
    let json_path = copy_of(&json.path, &work.join("codec-json.redb"));
    let (after, before) = (forums_data::open(&compact_path), forums_data::open(&json_path));
    let member = Actor::account(compact.members[1]);
    let threads: Vec<ThreadId> = compact.long_threads.iter().copied().take(200).collect();
    let page = |p: &Platform, t: ThreadId| -> Vec<PostId> {
        let found = p.forums().thread_page(&member, t, &PageRequest::first(20)).expect("a thread page");
        found.posts.iter().map(|x| x.id).collect()
    };
    for &t in &threads {
        assert_eq!(page(&before, t), page(&after, t), "thread {t} reads the same from both files");
    }
    let (mut json_times, mut compact_times) = (Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let batch: Vec<ThreadId> = threads.iter().cycle().skip(round * PAGES).take(PAGES).copied().collect();
        for (p, times) in [(&before, &mut json_times), (&after, &mut compact_times)] {
            let started = Instant::now();
            for &t in &batch {
                std::hint::black_box(page(p, t));
            }
            times.push(started.elapsed().as_nanos() as f64 / PAGES as f64 / 1000.0);
        }
    }
    let (json_page, compact_page) = (median(&mut json_times), median(&mut compact_times));
    let size = |p: Platform, path: &Path| {
        let report = p.compact(&Actor::Operator).expect("compact");
        report.bytes_after.unwrap_or_else(|| std::fs::metadata(path).unwrap().len()) as f64 / (1024.0 * 1024.0)
    };
    let (json_mib, compact_mib) = (size(before, &json_path), size(after, &compact_path));
    println!(
        "\n| {} forums ({} posts) | JSON records | compact records | compact ÷ JSON |",
        compact.scale.label, compact.scale.posts
    );
    println!("|---|---|---|---|");
    println!("| file after compaction | {json_mib:.1} MiB | {compact_mib:.1} MiB | {:.2} |", compact_mib / json_mib);
    println!("| thread page of 20 | {json_page:.1} µs | {compact_page:.1} µs | {:.2} |", compact_page / json_page);
}
