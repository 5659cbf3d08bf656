//! `trialog job import` and `trialog job export`: postings from and to files.
//!
//! An import reads the file a row at a time; rows the CLI cannot parse become [`RowProblem`]s
//! just like rows the core refuses, so one report lists the bad rows by line and field (the
//! first 1,000, then a count). In the default mode valid rows are imported in batches as they
//! are read (one transaction each, so the progress bar moves); `--all-or-nothing` is one
//! transaction that is rolled back when any row is bad.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use serde::Serialize;
use serde_json::{Map, Value};
use trialog_core::OrgId;
use trialog_core::import::ProblemList;
use trialog_core::{Error, ImportMode, JobId, JobImport, JobImportRow, Organisation, RowProblem};

use trialog_cli::job_rows::{Item, Refs, csv_problem, csv_source, jsonl_source};

use crate::failure::{EXIT_USER, Failure};
use crate::import_file::{self, SizeLimit};
use crate::session::Session;

/// Rows per transaction when bad rows are skipped.
const DEFAULT_BATCH: u32 = 500;

pub const IMPORT_ABOUT: &str = "\
Import job postings from a JSON Lines or CSV file.

Every row is checked; valid rows are imported and every bad row is reported with its line
number, the field at fault and the reason, so that you can fix those lines and import them
again. The posting's organisation must be verified, and the actor (the operator, or --as a
member of the organisation's staff) must be allowed to post for it.

JSON LINES (.jsonl, .ndjson): one posting per line, as the JSON form of a new posting, plus an
optional \"publish\": true. Blank lines are skipped. For example:
  {\"org\": 3, \"title\": \"Genesungsbegleiter:in\", \"description\": \"…\",
   \"location\": {\"type\": \"coordinates\", \"latitude\": 50.93, \"longitude\": 11.59, \"place\": \"Jena\"},
   \"contract\": \"permanent\", \"hours\": {\"min\": 20, \"max\": 30},
   \"pay\": {\"min\": 3100, \"max\": 3600, \"unit\": \"month\", \"currency\": \"EUR\",
           \"agreement\": \"TV-L\", \"group\": \"E 7\"},
   \"requirement\": \"certificate_required\", \"languages\": [\"de\"], \"publish\": true}
(written on one line). A location is {\"type\": \"postcode\", \"country\": \"DE\", \"postcode\":
\"07743\"}, {\"type\": \"coordinates\", ...} or {\"type\": \"remote\"}.

CSV (.csv): comma-separated, UTF-8, with a header line naming the columns, in any order.
Empty cells count as absent. Columns (* required):
  org*          the organisation's id
  title*        one line, up to 150 characters
  description*  up to 20,000 characters (quote it if it holds commas or line breaks)
  postcode      with country: looked up in the gazetteer
  country       ISO 3166 alpha-2: DE, DK
  latitude      with longitude: degrees north (WGS 84), instead of a postcode
  longitude     degrees east
  place         the place's name to show with latitude/longitude
  remote        true for work from anywhere (then no postcode or coordinates)
  contract*     permanent, fixed_term, mini_job, freelance, placement, volunteer
  hours_min*    weekly hours, 1 to 60
  hours_max     defaults to hours_min
  pay_min       gross pay; required to publish anything but a volunteer post
  pay_max       upper end of the range
  pay_unit      hour, month (default) or year
  currency      ISO 4217, default EUR
  agreement     collective agreement: TV-L, TVöD-VKA, AVR Diakonie, OK-24
  group         pay group: E 7, S 12
  requirement   EX-IN: none (default), training_accepted, certificate_required
  languages*    ISO 639-1 codes separated by ';': de;en
  starts_on     YYYY-MM-DD
  expires_on    YYYY-MM-DD; 60 days after publishing when empty
  openings      default 1
  contact       how to apply
  publish       true/false, yes/no or 1/0 (default false: a draft)
  ref           your own id for the posting, unique within the organisation (JSON Lines:
                \"ref\"): importing a row whose ref the organisation already used updates
                that posting instead of adding another, so a file can be imported again, or
                the rest of an interrupted import resumed, without duplicates. Two rows of
                one file with the same ref are an error.
Line numbers count the header as line 1; a quoted cell with line breaks spans several lines
and its row is named by the line it starts on.

EXIT CODES:
  0  every row was imported (or, with --dry-run, is valid)
  1  some rows were bad: they are listed, the valid ones were imported (nothing with
     --all-or-nothing or --dry-run); also invalid options
  2  usage error
  3  an unknown organisation or a conflict
  4  the file or the database could not be read or written";

/// How the postings are written in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImportFormat {
    /// JSON Lines: one JSON object per line.
    Jsonl,
    /// CSV with a header line.
    Csv,
}

/// `trialog job import FILE`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The file to import: .jsonl or .ndjson for JSON Lines, .csv for CSV (or say --format).
    pub file: PathBuf,
    /// The file's format, when its extension does not tell.
    #[arg(long, value_enum)]
    pub format: Option<ImportFormat>,
    /// Check every row and report, but write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Import nothing unless every row is valid (one transaction).
    #[arg(long)]
    pub all_or_nothing: bool,
    /// Rows per transaction when bad rows are skipped.
    #[arg(
        long, default_value_t = DEFAULT_BATCH, value_name = "ROWS",
        value_parser = clap::value_parser!(u32).range(1..=100_000)
    )]
    pub batch: u32,
    #[command(flatten)]
    pub limit: SizeLimit,
}

/// How `job export` writes the postings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// JSON Lines: one posting per line, as trialog stores it (ids, state, times).
    Jsonl,
    /// A JSON-LD array of schema.org JobPosting objects, for search engines and job portals.
    Jsonld,
}

/// `trialog job export`.
#[derive(Debug, Args)]
#[command(after_help = "EXAMPLES:\n  trialog job export --output jobs.jsonl\n  \
    trialog job export --format jsonld --org 3 --output jobposting.json\n  \
    trialog --as Personal_Hamburg job export --org 4 --include-unpublished")]
pub struct ExportArgs {
    /// jsonl or jsonld. Without it: JSON Lines, or with --json (and no --output) one JSON
    /// document, {"items": [...], "next_cursor": null}, like every other list.
    #[arg(long, value_enum)]
    pub format: Option<ExportFormat>,
    /// Only this organisation's postings.
    #[arg(long, value_name = "ORG")]
    pub org: Option<OrgId>,
    /// With --org, for its staff and admins: drafts, filled, withdrawn and expired postings too.
    #[arg(long, requires = "org")]
    pub include_unpublished: bool,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// What an import did, as printed.
#[derive(Debug, Serialize)]
struct ImportReport {
    file: String,
    format: &'static str,
    /// Data rows in the file.
    rows: u64,
    /// Rows that passed every check.
    valid_rows: u64,
    /// Postings created (0 on a dry run or a refused all-or-nothing import).
    imported: u64,
    /// Postings a row with a known `ref` changed.
    updated: u64,
    published: u64,
    created: Vec<JobId>,
    /// The bad rows by line: the first 1,000 of them.
    problems: Vec<RowProblem>,
    /// Bad rows beyond those listed.
    more_problems: u64,
    dry_run: bool,
    all_or_nothing: bool,
}

/// `trialog job import FILE`: the file is read a row at a time; in the default mode each
/// batch is imported as soon as it is read, so memory holds one batch, the refs seen and the
/// problems listed, whatever the file's size. `--all-or-nothing` holds the valid rows until
/// the end (bounded by `--max-size`).
pub fn import(session: &Session, args: ImportArgs) -> Result<(), Failure> {
    let format = args.format.map_or_else(|| format_of(&args.file), Ok)?;
    let bar = import_file::progress_bar(session.out);
    let source = import_file::open(&args.file, args.limit, &bar)?;
    let items: Box<dyn Iterator<Item = Item>> = match format {
        ImportFormat::Jsonl => Box::new(jsonl_source(source)),
        ImportFormat::Csv => Box::new(csv_source(source).map_err(header_failure)?),
    };
    let mut read =
        Reading { problems: ProblemList::new(), refs: Refs::default(), rows: 0, csv: format == ImportFormat::Csv };
    let outcome = if args.all_or_nothing {
        let mut rows = Vec::new();
        for item in items {
            rows.extend(read.take(item.map_err(Failure::from)?));
        }
        let refuse = args.dry_run || !read.problems.is_empty();
        session.platform.jobs().import(&session.actor, &rows, ImportMode::AllOrNothing, refuse)?
    } else {
        import_in_batches(session, items, &mut read, args.batch as usize, args.dry_run)?
    };
    bar.finish_and_clear();
    read.core_problems(outcome.problems);
    let bad_count = read.problems.total();
    let (problems, more_problems) = read.problems.finish();
    let report = ImportReport {
        file: args.file.display().to_string(),
        format: if format == ImportFormat::Csv { "csv" } else { "jsonl" },
        rows: read.rows,
        valid_rows: read.rows - bad_count,
        more_problems,
        imported: outcome.created.len() as u64,
        updated: outcome.updated.len() as u64,
        published: if outcome.created.is_empty() && outcome.updated.is_empty() { 0 } else { outcome.published },
        created: outcome.created,
        problems,
        dry_run: args.dry_run,
        all_or_nothing: args.all_or_nothing,
    };
    print_report(session, &report);
    match report.problems.len() as u64 + report.more_problems {
        0 => Ok(()),
        bad => Err(bad_rows(bad as usize, &report)),
    }
}

/// What an import has read so far.
struct Reading {
    problems: ProblemList,
    refs: Refs,
    /// Data rows read, good and bad.
    rows: u64,
    csv: bool,
}

impl Reading {
    /// The row for the core, or `None` with its problem noted.
    fn take(&mut self, row: Result<JobImportRow, RowProblem>) -> Option<JobImportRow> {
        self.rows += 1;
        match row.and_then(|row| self.refs.check(row)) {
            Ok(row) => Some(row),
            Err(problem) => {
                self.problems.push(problem);
                None
            }
        }
    }

    /// Problems the core found, named by the CSV column when the file is CSV.
    fn core_problems(&mut self, problems: Vec<RowProblem>) {
        let csv = self.csv;
        self.problems.extend(problems.into_iter().map(|p| if csv { csv_problem(p) } else { p }));
    }
}

/// `trialog job export`.
pub fn export(session: &Session, args: ExportArgs) -> Result<(), Failure> {
    let jobs = session.platform.jobs().export(&session.actor, args.org, args.include_unpublished)?;
    let Some(format) = args.format.or((!session.out.json || args.output.is_some()).then_some(ExportFormat::Jsonl))
    else {
        session.out.list_json(&jobs);
        return Ok(());
    };
    let text = match format {
        ExportFormat::Jsonl => {
            jobs.iter().map(|job| serde_json::to_string(job).map(|line| line + "\n")).collect::<Result<String, _>>()
        }
        ExportFormat::Jsonld => json_ld(session, &jobs)?,
    }
    .map_err(|e| Failure::from(Error::Internal { detail: format!("cannot write JSON: {e}") }))?;
    let Some(path) = args.output else {
        out!("{text}");
        return Ok(());
    };
    std::fs::write(&path, text).map_err(|e| Failure::io(&format!("cannot write {}", path.display()), e))?;
    let format = if format == ExportFormat::Jsonl { "jsonl" } else { "jsonld" };
    let summary = serde_json::json!({ "file": path.display().to_string(), "format": format, "postings": jobs.len() });
    if session.out.json {
        session.out.json(&summary);
    } else {
        outln!("wrote {} postings to {} ({format})", jobs.len(), path.display());
    }
    Ok(())
}

fn format_of(path: &Path) -> Result<ImportFormat, Failure> {
    let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("jsonl" | "ndjson" | "json") => Ok(ImportFormat::Jsonl),
        Some("csv") => Ok(ImportFormat::Csv),
        _ => Err(Failure::usage(
            format!("cannot tell the format of {} from its name", path.display()),
            "name the file .jsonl or .csv, or give --format jsonl or --format csv",
        )),
    }
}

fn import_in_batches(
    session: &Session,
    items: impl Iterator<Item = Item>,
    read: &mut Reading,
    batch: usize,
    dry_run: bool,
) -> Result<JobImport, Failure> {
    let mut total = JobImport {
        created: Vec::new(),
        updated: Vec::new(),
        valid_rows: 0,
        published: 0,
        problems: Vec::new(),
        dry_run,
    };
    let mut committed = 0;
    let mut chunk = Vec::with_capacity(batch);
    let mut items = items.peekable();
    while let Some(item) = items.next() {
        chunk.extend(read.take(item.map_err(|e| interrupted(e, committed, &total))?));
        if chunk.is_empty() || (chunk.len() < batch && items.peek().is_some()) {
            continue;
        }
        let part = session
            .platform
            .jobs()
            .import(&session.actor, &chunk, ImportMode::SkipBadRows, dry_run)
            .map_err(|e| interrupted(e, committed, &total))?;
        committed += chunk.len();
        chunk.clear();
        total.created.extend(part.created);
        total.updated.extend(part.updated);
        total.valid_rows += part.valid_rows;
        total.published += part.published;
        read.core_problems(part.problems);
    }
    Ok(total)
}

/// An import that stopped part-way: what the earlier batches committed stays, and the failure
/// says how much that was, so the operator knows the rest is missing (re-running the file
/// updates the rows that carry a `ref` instead of duplicating them).
fn interrupted(error: Error, committed: usize, total: &JobImport) -> Failure {
    let mut failure = Failure::from(error);
    if committed == 0 || total.dry_run {
        return failure;
    }
    failure.message = format!("{}; the import stopped after committing the first {committed} rows", failure.message);
    failure.details.insert("committed_rows".into(), Value::from(committed));
    failure.details.insert("created".into(), Value::from(total.created.len()));
    failure.details.insert("updated".into(), Value::from(total.updated.len()));
    failure.hint = Some(
        "fix the cause and import the file again: rows with a ref update their postings, rows without one are added again"
            .into(),
    );
    failure
}

fn print_report(session: &Session, report: &ImportReport) {
    if session.out.json {
        return session.out.json(report);
    }
    let (rows, valid, bad) = (report.rows, report.valid_rows, report.rows - report.valid_rows);
    let headline = if report.dry_run {
        format!("dry run: {valid} of {rows} rows in {} are valid; nothing was written", report.file)
    } else if report.all_or_nothing && bad > 0 {
        format!("imported nothing from {}: {bad} of {rows} rows are bad and --all-or-nothing was given", report.file)
    } else {
        format!(
            "imported {} of {rows} rows from {} ({} new, {} updated by ref, {} published)",
            report.imported + report.updated,
            report.file,
            report.imported,
            report.updated,
            report.published
        )
    };
    outln!("{headline}");
    if bad > 0 {
        outln!("{bad} bad rows:");
        for problem in &report.problems {
            outln!("  {problem}");
        }
        if report.more_problems > 0 {
            outln!("  … and {} more bad rows, not listed", report.more_problems);
        }
    }
}

fn bad_rows(bad: usize, report: &ImportReport) -> Failure {
    let mut details = Map::new();
    details.insert("bad_rows".into(), Value::from(bad));
    details.insert("imported".into(), Value::from(report.imported));
    Failure {
        kind: "bad_rows",
        message: format!("{bad} of {} rows were not imported", report.rows),
        details,
        hint: Some("fix the lines listed in the report and import those rows again".into()),
        exit: EXIT_USER,
    }
}

/// A header the import cannot read fails it whole, with the CSV columns as the hint.
fn header_failure(error: Error) -> Failure {
    let reason = match &error {
        Error::InvalidInput { reason, .. } => reason.clone(),
        other => other.to_string(),
    };
    let mut failure = Failure::from(error);
    failure.message = reason;
    failure.hint = Some("`trialog job import --help` lists the CSV columns".into());
    failure
}

/// Postings as a JSON-LD array of schema.org `JobPosting` objects.
fn json_ld(session: &Session, jobs: &[trialog_core::Job]) -> Result<Result<String, serde_json::Error>, Failure> {
    let mut orgs: HashMap<OrgId, Organisation> = HashMap::new();
    let mut postings = Vec::with_capacity(jobs.len());
    for job in jobs {
        let org = match orgs.entry(job.org) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(new) => new.insert(session.platform.orgs().get(&session.actor, job.org)?),
        };
        postings.push(trialog_core::jobs::job_posting_json_ld(job, org));
    }
    Ok(serde_json::to_string_pretty(&postings).map(|text| text + "\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_after_committed_batches_says_how_many_rows_stay() {
        let mut total = JobImport {
            created: vec![JobId(1), JobId(2), JobId(3)],
            updated: vec![JobId(4)],
            valid_rows: 4,
            published: 4,
            problems: vec![],
            dry_run: false,
        };
        let failure = interrupted(Error::storage("disk full"), 500, &total);
        assert!(failure.message.ends_with("stopped after committing the first 500 rows"), "{}", failure.message);
        assert_eq!(
            (failure.details["committed_rows"].as_u64(), failure.details["created"].as_u64()),
            (Some(500), Some(3))
        );
        assert!(failure.hint.unwrap().contains("ref"));
        total.dry_run = true;
        assert!(!interrupted(Error::storage("disk full"), 500, &total).details.contains_key("committed_rows"));
        assert!(
            !interrupted(Error::storage("x"), 0, &JobImport { dry_run: false, ..total })
                .details
                .contains_key("committed_rows")
        );
    }
}
