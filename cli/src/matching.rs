//! `trialog match ...`: the matching solvers on JSON files — without a database, or with
//! `--cohort` as a stored run — plus stored runs ([`crate::match_runs`]) and suggestions
//! between postings and seekers ([`crate::suggestions`]).

use std::io::Read;
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use indicatif::ProgressBar;
use serde_json::Value;
use trialog_core::matching::{Assignment, GuideAssignment, MAX_CELLS, StableMatching};
use trialog_core::{Error, MatchRun, PlatformOptions, RunInput, RunResult};

use crate::args::Global;
use crate::failure::Failure;
use crate::import_file::{self, SizeLimit};
use crate::match_runs::{self, RunsCommand};
use crate::output::{Output, Table};
use crate::session::{Session, options};
use crate::suggestions::{self, SuggestJobs, SuggestSeekers, WeightsArgs};

/// Examples shown after `trialog match --help`.
const MATCH_EXAMPLES: &str = "\
EXAMPLES:
  trialog match assign --input examples/matching/assign-guides.json
  trialog match assign --input examples/matching/assign-guides.json --cohort 'Aarhus 2026'
  trialog match runs list --cohort 'Aarhus 2026'
  trialog match runs decline 1 client-2 --reason 'they know each other'
  trialog --as Kim_aus_Jena match suggest-jobs --seeker Kim_aus_Jena
  trialog --as Personal_Hamburg match suggest-seekers --job 12
  trialog match weights --distance 40 --recency 5";

#[derive(Debug, Subcommand)]
#[command(after_help = MATCH_EXAMPLES)]
pub enum MatchCommand {
    /// Assign clients to peer-guides: as many clients as possible, then the highest total score.
    ///
    /// The input is either the attribute form {"guides": [...], "clients": [...], "weights": {...}}
    /// (see examples/matching/assign-guides.json) or the matrix form {"scores": [[...], ...],
    /// "capacities": [...]} with one row per client, one column per guide and null for a pair
    /// that is not allowed (examples/matching/assign-matrix.json). Prints every pair with its
    /// score (and, from attributes, why), the total, and the clients left without a guide.
    ///
    /// Without --cohort no database is used. With --cohort the run is stored in the database
    /// (supervisors and admins), pairs declined in the cohort's earlier runs are not allowed,
    /// and a coordinator accepts or declines each pair with `trialog match runs`.
    Assign(MatchInput),
    /// Run a placement round: trainee-optimal stable matching of trainees to placements.
    ///
    /// The input is {"applicants": {ID: [placement ids, best first]}, "placements": {ID:
    /// {"capacity": N, "ranking": [applicant ids, best first]}}} (examples/matching/stable.json).
    /// Prints the pairs, the trainees without a placement and the places left free. --cohort
    /// stores the run, as for `assign`.
    Stable(MatchInput),
    /// Published postings that suit a seeker, best first, each with its reasons (the seeker, admins).
    ///
    /// Hard filters: within the seeker's maximum distance (50 km when none is set; remote
    /// postings only if open to remote work), one of the seeker's contract types if any are
    /// listed, a shared language, and the EX-IN requirement met. Then a score of distance, hours,
    /// pay, requirement fit and recency, weighted as `trialog match weights` shows.
    SuggestJobs(SuggestJobs),
    /// Findable seekers who suit a posting, best first, with reasons (the posting's staff, admins).
    ///
    /// Only seekers who opted in to be findable are considered; the filters and the score are
    /// those of `suggest-jobs`, seen from the posting.
    SuggestSeekers(SuggestSeekers),
    /// Stored runs: list, show, and accept or decline their proposed pairs.
    #[command(subcommand)]
    Runs(RunsCommand),
    /// Show the weights of the suggestion score, or change them (admins) with any option.
    Weights(WeightsArgs),
}

#[derive(Debug, Args)]
pub struct MatchInput {
    /// The JSON file to read.
    #[arg(long, value_name = "FILE.json")]
    pub input: PathBuf,
    /// Store the run under this cohort name (needs the database; supervisors and admins).
    #[arg(long, value_name = "NAME")]
    pub cohort: Option<String>,
    #[command(flatten)]
    pub limit: SizeLimit,
    /// Refuse inputs that pair more people with partners than this (score cells, guides ×
    /// clients, applicants × placements): a bound on the solver's time and memory.
    #[arg(long, value_name = "PAIRS", default_value_t = MAX_CELLS, value_parser = clap::value_parser!(u64).range(1..))]
    pub max_cells: u64,
}

/// Runs one `match` command: the solvers on files alone, everything else on the database.
pub fn run(global: &Global, out: Output, command: MatchCommand) -> Result<(), Failure> {
    match command {
        MatchCommand::Assign(args) => solve(global, out, &args, "assign", RunInput::assignment_from_json),
        MatchCommand::Stable(args) => solve(global, out, &args, "stable", RunInput::placements_from_json),
        MatchCommand::SuggestJobs(args) => suggestions::jobs(&Session::open(global, out)?, args),
        MatchCommand::SuggestSeekers(args) => suggestions::seekers(&Session::open(global, out)?, args),
        MatchCommand::Runs(command) => match_runs::run(&Session::open(global, out)?, command),
        MatchCommand::Weights(args) => suggestions::weights(&Session::open(global, out)?, args),
    }
}

/// Solves a file: on its own without a cohort, as a stored run with one.
fn solve(
    global: &Global,
    out: Output,
    args: &MatchInput,
    command: &str,
    read: fn(&Value) -> Result<RunInput, Error>,
) -> Result<(), Failure> {
    let input = read(&read_json(&args.input, args.limit)?)?;
    let Some(cohort) = &args.cohort else {
        if global.acting_as.is_some() {
            return Err(Failure::usage(
                format!("--as does not apply to `trialog match {command}` without --cohort"),
                "without --cohort the solver runs on the file alone; add --cohort NAME to store the run",
            ));
        }
        input.check_size(args.max_cells)?;
        print_result(out, &input.solve()?);
        return Ok(());
    };
    let session = Session::open_with(global, out, PlatformOptions { max_match_cells: args.max_cells, ..options() })?;
    let run = session.platform.match_runs().run(&session.actor, cohort, &input)?;
    print_stored(out, &run);
    Ok(())
}

fn print_result(out: Output, result: &RunResult) {
    match result {
        RunResult::Guides { result } => print_guide_assignment(out, result),
        RunResult::Scores { result } => print_matrix_assignment(out, result),
        RunResult::Placements { result } => print_stable(out, result),
    }
}

fn print_stored(out: Output, run: &MatchRun) {
    if out.json {
        return out.json(run);
    }
    print_result(out, &run.result);
    for e in &run.excluded {
        outln!("left out: {} with {} (declined in run {})", e.person, e.partner, e.declined_in);
    }
    outln!(
        "stored as run {} of cohort '{}'; decide with `trialog match runs accept|decline {} PERSON`",
        run.id,
        run.cohort,
        run.id
    );
}

/// The input file, read up to `limit`: one JSON document (the solver needs all of it).
fn read_json(path: &Path, limit: SizeLimit) -> Result<Value, Failure> {
    let mut text = String::new();
    import_file::open(path, limit, &ProgressBar::hidden())?.read_to_string(&mut text).map_err(|e| match e.kind() {
        std::io::ErrorKind::FileTooLarge => {
            import_file::too_large(Error::invalid("file", format!("{}: {e}", path.display())))
        }
        _ => Failure::io(&format!("cannot read {}", path.display()), e),
    })?;
    trialog_core::import::strict_json(&text).map_err(|p| {
        let field = if p.field.is_empty() { "input".to_string() } else { p.field };
        Error::invalid(field, format!("{}: {}", path.display(), p.reason)).into()
    })
}

fn print_matrix_assignment(out: Output, result: &Assignment) {
    if out.json {
        return out.json(result);
    }
    let mut table = Table::new(&["CLIENT", "GUIDE", "SCORE"]);
    for p in &result.pairs {
        table.row(vec![p.client.to_string(), p.guide.to_string(), p.score.to_string()]);
    }
    let unmatched = result.unmatched.iter().map(|u| (u.client.to_string(), u.reason.describe()));
    print_assignment(&table, result.pairs.len(), result.total_score, unmatched.collect());
}

fn print_guide_assignment(out: Output, result: &GuideAssignment) {
    if out.json {
        return out.json(result);
    }
    let mut table = Table::new(&["CLIENT", "GUIDE", "SCORE", "WHY"]);
    for p in &result.pairs {
        let why: Vec<String> =
            p.breakdown.iter().map(|b| format!("{} {} ({})", b.criterion, b.points, b.reason)).collect();
        table.row(vec![p.client.clone(), p.guide.clone(), p.score.to_string(), why.join("; ")]);
    }
    let unmatched = result.unmatched.iter().map(|u| (u.client.clone(), u.reason.describe()));
    print_assignment(&table, result.pairs.len(), result.total_score, unmatched.collect());
}

fn print_assignment(pairs: &Table, matched: usize, total: f64, unmatched: Vec<(String, &str)>) {
    out!("{}", pairs.render());
    outln!("total score: {total} ({matched} of {} clients matched)", matched + unmatched.len());
    if !unmatched.is_empty() {
        outln!("unmatched:");
        for (client, reason) in unmatched {
            outln!("  {client}: {reason}");
        }
    }
}

fn print_stable(out: Output, result: &StableMatching) {
    if out.json {
        return out.json(result);
    }
    let mut table = Table::new(&["APPLICANT", "PLACEMENT"]);
    for p in &result.pairs {
        table.row(vec![p.applicant.clone(), p.placement.clone()]);
    }
    out!("{}", table.render());
    let none = || "(none)".to_string();
    let unmatched = result.unmatched_applicants.join(", ");
    outln!("unmatched applicants: {}", if unmatched.is_empty() { none() } else { unmatched });
    let free: Vec<String> = result.unfilled.iter().map(|u| format!("{} ({} free)", u.placement, u.free)).collect();
    outln!("unfilled placements: {}", if free.is_empty() { none() } else { free.join(", ") });
}
