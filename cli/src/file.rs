//! Commands about the database file itself: `init`, `check` and `compact`.

use std::path::Path;

use indicatif::ProgressStyle;
use serde::Serialize;
use trialog_core::{CompactStep, IntegrityReport, Platform, SCHEMA_VERSION};

use crate::failure::Failure;
use crate::output::{Block, Output};
use crate::permissions;
use crate::session::options;

/// What `init` reports.
#[derive(Debug, Serialize)]
struct Initialised {
    path: String,
    created: bool,
    schema_version: u64,
    organisations: u64,
    accounts: u64,
}

/// `trialog init`: creates the file, or migrates an existing one to the current schema.
pub fn init(db: &Path, out: Output) -> Result<(), Failure> {
    let created = !db.exists();
    let platform = Platform::open(db, options())?;
    permissions::warn_if_exposed(db, permissions::DATABASE_HOLDS, out);
    let report = platform.integrity()?;
    let result = Initialised {
        path: db.display().to_string(),
        created,
        schema_version: SCHEMA_VERSION,
        organisations: report.organisations,
        accounts: report.accounts,
    };
    let headline = if created {
        format!("created {} (schema version {SCHEMA_VERSION})", result.path)
    } else {
        format!("{} is up to date (schema version {SCHEMA_VERSION})", result.path)
    };
    let block = Block::new()
        .line("organisations", report.organisations.to_string())
        .line("accounts", report.accounts.to_string());
    out.record(&result, Some(&headline), &block);
    Ok(())
}

/// `trialog check`: redb's page check plus every record and index; fails with exit code 4 when
/// anything is wrong.
pub fn check(db: &Path, out: Output) -> Result<(), Failure> {
    let report = Platform::check_file(db, options())?;
    out.record(&report, None, &report_block(&report));
    let damaged = report.file_intact == Some(false);
    match (damaged, report.problems.len()) {
        (false, 0) => Ok(()),
        (true, n) => Err(Failure::damaged(format!("{} is damaged at page level; {n} record problem(s)", db.display()))),
        (false, n) => Err(Failure::damaged(format!("{} has {n} problem(s)", db.display()))),
    }
}

fn report_block(report: &IntegrityReport) -> Block {
    let intact = match report.file_intact {
        Some(true) => "yes",
        Some(false) => "NO",
        None => "not checked",
    };
    let problems = if report.problems.is_empty() { "none".to_string() } else { report.problems.join("\n  ") };
    Block::new()
        .line("schema version", report.schema_version.to_string())
        .line("file intact", intact)
        .line("organisations", report.organisations.to_string())
        .line("accounts", report.accounts.to_string())
        .line("audit entries", report.audit_entries.to_string())
        .line("forum posts", report.forum_posts.to_string())
        .line("problems", problems)
}

/// `trialog compact`: compacts the file, rewriting it when much stays free (`Platform::compact`).
/// A bar on stderr follows it: redb's passes in place, then the rewrite's rows per keyspace.
pub fn compact(s: &crate::session::Session) -> Result<(), Failure> {
    let bar = crate::store::progress_bar(s.out);
    // The passes in place have no length to fill: a spinner, until the rewrite's rows.
    let rows = bar.style();
    if let Ok(spinner) = ProgressStyle::with_template("{spinner} {msg}") {
        bar.set_style(spinner);
    }
    let mut rewriting = false;
    let report = s.platform.compact_with(&s.actor, &mut |step| match step {
        CompactStep::InPlace { pass } => {
            bar.set_message(format!("compacting in place: pass {pass}"));
            bar.tick();
        }
        CompactStep::Rewriting(p) => {
            if !std::mem::replace(&mut rewriting, true) {
                bar.set_style(rows.clone());
            }
            bar.set_length(p.total);
            bar.set_position(p.copied);
            bar.set_message(format!("rewriting {}", p.keyspace));
        }
    });
    bar.finish_and_clear();
    let report = report?;
    let mib = |bytes: Option<u64>| bytes.map_or_else(|| "—".into(), |b| format!("{:.1} MiB", b as f64 / 1048576.0));
    let headline = if report.rewritten {
        format!("compacted and rewrote the file: {} → {}", mib(report.bytes_before), mib(report.bytes_after))
    } else {
        format!("compacted the file: {} → {}", mib(report.bytes_before), mib(report.bytes_after))
    };
    let block = Block::new()
        .line("passes", report.passes.to_string())
        .line("before", mib(report.bytes_before))
        .line("in place", mib(report.bytes_in_place))
        .line("after", mib(report.bytes_after))
        .line("rewritten", if report.rewritten { "yes" } else { "no" }.to_string());
    s.out.record(&report, Some(&headline), &block);
    Ok(())
}
