//! `trialog match ...`: the matching solvers on JSON files. No database is opened.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use serde_json::Value;
use trialog_core::Error;
use trialog_core::matching::{
    Assignment, GuideAssignment, GuideAssignmentInput, StableInput, StableMatching, assign_guides, assign_scores,
    capacities_from_signed, stable_match,
};

use crate::failure::Failure;
use crate::output::{Output, Table};

#[derive(Debug, Subcommand)]
pub enum MatchCommand {
    /// Assign clients to peer-guides: as many clients as possible, then the highest total score.
    ///
    /// The input is either the attribute form {"guides": [...], "clients": [...], "weights": {...}}
    /// (see examples/matching/assign-guides.json) or the matrix form {"scores": [[...], ...],
    /// "capacities": [...]} with one row per client, one column per guide and null for a pair
    /// that is not allowed (examples/matching/assign-matrix.json). Prints every pair with its
    /// score (and, from attributes, why), the total, and the clients left without a guide.
    Assign(MatchInput),
    /// Run a placement round: trainee-optimal stable matching of trainees to placements.
    ///
    /// The input is {"applicants": {ID: [placement ids, best first]}, "placements": {ID:
    /// {"capacity": N, "ranking": [applicant ids, best first]}}} (examples/matching/stable.json).
    /// Prints the pairs, the trainees without a placement and the places left free.
    Stable(MatchInput),
}

#[derive(Debug, Args)]
pub struct MatchInput {
    /// The JSON file to read.
    #[arg(long, value_name = "FILE.json")]
    pub input: PathBuf,
}

/// Runs one `match` command.
pub fn run(out: Output, command: MatchCommand) -> Result<(), Failure> {
    match command {
        MatchCommand::Assign(args) => assign(out, &read_json(&args.input)?),
        MatchCommand::Stable(args) => stable(out, &read_json(&args.input)?),
    }
}

fn read_json(path: &Path) -> Result<Value, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| Failure::io(&format!("cannot read {}", path.display()), e))?;
    serde_json::from_str(&text)
        .map_err(|e| Error::invalid("input", format!("{} is not valid JSON: {e}", path.display())).into())
}

fn assign(out: Output, input: &Value) -> Result<(), Failure> {
    if input.get("scores").is_some() {
        let result = assign_matrix(input)?;
        print_matrix_assignment(out, &result);
    } else if input.get("guides").is_some() || input.get("clients").is_some() {
        let result = assign_guides(&GuideAssignmentInput::from_json(input)?)?;
        print_guide_assignment(out, &result);
    } else {
        return Err(Error::invalid(
            "input",
            "needs either \"scores\" and \"capacities\" or \"guides\" and \"clients\"",
        )
        .into());
    }
    Ok(())
}

fn assign_matrix(input: &Value) -> Result<Assignment, Error> {
    let scores: Vec<Vec<Option<f64>>> = serde_json::from_value(input["scores"].clone())
        .map_err(|e| Error::invalid("scores", format!("must be a list of rows of numbers or null ({e})")))?;
    let capacities: Vec<i64> = serde_json::from_value(input.get("capacities").cloned().unwrap_or(Value::Null))
        .map_err(|e| Error::invalid("capacities", format!("must be a list of whole numbers ({e})")))?;
    assign_scores(&scores, &capacities_from_signed(&capacities)?)
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
    print!("{}", pairs.render());
    println!("total score: {total} ({matched} of {} clients matched)", matched + unmatched.len());
    if !unmatched.is_empty() {
        println!("unmatched:");
        for (client, reason) in unmatched {
            println!("  {client}: {reason}");
        }
    }
}

fn stable(out: Output, input: &Value) -> Result<(), Failure> {
    let result = stable_match(&StableInput::from_json(input)?)?;
    print_stable(out, &result);
    Ok(())
}

fn print_stable(out: Output, result: &StableMatching) {
    if out.json {
        return out.json(result);
    }
    let mut table = Table::new(&["APPLICANT", "PLACEMENT"]);
    for p in &result.pairs {
        table.row(vec![p.applicant.clone(), p.placement.clone()]);
    }
    print!("{}", table.render());
    let none = || "(none)".to_string();
    let unmatched = result.unmatched_applicants.join(", ");
    println!("unmatched applicants: {}", if unmatched.is_empty() { none() } else { unmatched });
    let free: Vec<String> = result.unfilled.iter().map(|u| format!("{} ({} free)", u.placement, u.free)).collect();
    println!("unfilled placements: {}", if free.is_empty() { none() } else { free.join(", ") });
}
