//! Compacts a copy of a platform file and says what each step gave back: the file's size
//! before, after redb's compaction in place, and after the rewrite into a fresh file (when
//! a tenth or more was still free), with the time each took. For the figures of issue 15's
//! file-size row (`benches/README.md`); run it on a copy, never on a live platform's file.
//!
//! `cargo build --workspace --exclude trialog-py --example compact_file &&
//!  target/debug/examples/compact_file /tmp/copy.redb [--rewrite]` (the key file
//! `copy.redb.keys` beside it; `--rewrite` rewrites whatever is free, to time the rewrite alone).

use std::time::Instant;

use trialog_core::{Actor, Platform, PlatformOptions, rewrite_on_this_thread};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: compact_file FILE.redb [--rewrite]")?;
    // `--rewrite`: rewrite whatever is free, to time the rewrite of a file compacted before.
    rewrite_on_this_thread(std::env::args().nth(2).as_deref() == Some("--rewrite"));
    let options = PlatformOptions { cache_bytes: 1 << 30, ..Default::default() };
    let started = Instant::now();
    let platform = Platform::open(&path, options)?;
    println!("opened (and migrated) in {:.1} s", started.elapsed().as_secs_f64());
    let started = Instant::now();
    let report = platform.compact(&Actor::Operator)?;
    println!("compacted in {:.1} s: {}", started.elapsed().as_secs_f64(), serde_json::to_string(&report)?);
    let mib = |bytes: Option<u64>| bytes.map_or(0.0, |b| b as f64 / (1024.0 * 1024.0));
    println!(
        "before {:.1} MiB, in place {:.1} MiB, after {:.1} MiB, rewritten: {}",
        mib(report.bytes_before),
        mib(report.bytes_in_place),
        mib(report.bytes_after),
        report.rewritten
    );
    drop(platform);
    let started = Instant::now();
    let platform = Platform::open(&path, PlatformOptions::default())?;
    let check = platform.integrity()?;
    println!("reopened and checked in {:.1} s: {} problems", started.elapsed().as_secs_f64(), check.problems.len());
    for problem in check.problems.iter().take(5) {
        println!("  {problem}");
    }
    Ok(())
}
