//! `trialog store copy FROM TO`: moves a whole platform between storage engines (a redb file,
//! a PostgreSQL schema named by its URL) with its key store, with a progress bar and a
//! verification of every keyspace and of the key store at the end.

use std::io::{self, IsTerminal};
use std::time::Instant;

use clap::Subcommand;
use indicatif::{ProgressBar, ProgressStyle};
use trialog_core::{CopyReport, DEFAULT_BATCH_ROWS, Platform, StoreLocation};

use crate::failure::Failure;
use crate::output::{Listing, Output, Table};

#[derive(Debug, Subcommand)]
pub enum StoreCommand {
    /// Copy a whole platform into an empty file or PostgreSQL schema, then verify it.
    ///
    /// Every keyspace is read from one snapshot of FROM and written into TO in batches; at the
    /// end each keyspace of TO is read again and its row count and checksum must equal FROM's.
    /// TO must be empty (a new file, a new schema). The key store of crypto-shredding goes
    /// along — the `.keys` file beside a file (written 0600), the schema `<NAME>_keys` beside
    /// a PostgreSQL schema — and is verified by its count and checksum (no key is shown); TO
    /// must have none. FROM is brought up to this trialog's schema first, as every command
    /// does. PostgreSQL needs a trialog built with the `postgres` feature.
    ///
    /// Examples:
    ///   trialog store copy platform.redb 'postgres://trialog@db/trialog?schema=jena'
    ///   trialog store copy 'postgres://trialog@db/trialog?schema=jena' back.redb
    Copy {
        /// Where the platform is: a redb file, or postgres://USER@HOST/DB?schema=NAME.
        from: String,
        /// Where it goes: a new redb file, or an empty schema (postgres://…?schema=NAME).
        to: String,
        /// Rows written per transaction (1 or more).
        #[arg(long, default_value_t = DEFAULT_BATCH_ROWS as u64, value_name = "ROWS",
              value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
        batch: u64,
    },
}

pub fn run(out: Output, command: StoreCommand) -> Result<(), Failure> {
    match command {
        StoreCommand::Copy { from, to, batch } => copy(out, &from, &to, batch),
    }
}

fn copy(out: Output, from: &str, to: &str, batch: u64) -> Result<(), Failure> {
    let batch = usize::try_from(batch).unwrap_or(DEFAULT_BATCH_ROWS);
    let (from, to) = (StoreLocation::parse(from), StoreLocation::parse(to));
    let bar = progress_bar(out);
    let started = Instant::now();
    let report = Platform::copy_store(&from, &to, batch, &mut |p| {
        bar.set_length(p.total);
        bar.set_position(p.copied);
        bar.set_message(p.keyspace);
    })
    .map_err(|e| hinted(Failure::from(e), &to))?;
    bar.finish_and_clear();
    show(out, &report, &from, &to, started.elapsed().as_secs_f64());
    Ok(())
}

/// A bar over the rows on stderr when it is a terminal and the output is for a person (also
/// `trialog compact`'s rewrite).
pub fn progress_bar(out: Output) -> ProgressBar {
    if out.json || !io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(0);
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {pos}/{len} rows {msg}") {
        bar.set_style(style);
    }
    bar
}

fn hinted(mut failure: Failure, to: &StoreLocation) -> Failure {
    if failure.hint.is_none() && failure.message.contains("not empty") {
        failure.hint = Some(match to {
            StoreLocation::File(_) => "copy into a file that does not exist yet".into(),
            StoreLocation::Postgres(_) => "name a new schema in the URL (?schema=NAME)".into(),
        });
    }
    failure
}

fn show(out: Output, report: &CopyReport, from: &StoreLocation, to: &StoreLocation, seconds: f64) {
    let listing = Listing::new(&report.keyspaces, None)
        .with("from", from.to_string())
        .with("to", to.to_string())
        .with("rows", report.rows)
        .with("keys", &report.keys)
        .with("seconds", (seconds * 1000.0).round() / 1000.0);
    let mut table = Table::new(&["KEYSPACE", "ROWS", "CHECKSUM"]);
    for keyspace in report.keyspaces.iter().chain([&report.keys]).filter(|k| k.rows > 0) {
        table.row(vec![keyspace.name.to_string(), keyspace.rows.to_string(), keyspace.checksum[..16].to_string()]);
    }
    out.listing(&listing, &table);
    if !out.json {
        outln!(
            "copied {} rows in {} keyspaces and {} keys of the key store from {from} to {to} in {seconds:.1} s; \
             every keyspace verified (rows and checksum), and the key store (count and checksum)",
            report.rows,
            report.keyspaces.len(),
            report.keys.rows
        );
    }
}
