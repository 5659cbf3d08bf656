//! Stored match runs: what was asked, what the solver proposed, and what coordinators decided.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::super::{
    Assignment, GuideAssignment, GuideAssignmentInput, ScoreWeights, StableInput, StableMatching, assign_scores,
    capacities_from_signed, stable_match,
};
use crate::actor::Actor;
use crate::clock::Timestamp;
use crate::error::{Error, Result};

/// Match runs are numbered from 1, in the order they ran.
pub type RunId = u64;

/// Which solver a run used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum RunKind {
    /// Peer-guides for clients from their attributes, with explained scores.
    Guides,
    /// Clients to guides from a score matrix.
    Scores,
    /// A stable placement round of trainees and placements.
    Placements,
}

crate::accounts::named_enum!(RunKind, "kind", Guides => "guides", Scores => "scores", Placements => "placements");

/// What a run is asked to solve.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum RunInput {
    /// The attribute form of the peer-guide assignment.
    Guides { input: GuideAssignmentInput },
    /// The matrix form: one row per client, one column per guide, `None` for a pair not allowed.
    Scores { scores: Vec<Vec<Option<f64>>>, capacities: Vec<u32> },
    /// A placement round.
    Placements { input: StableInput },
}

/// What the solver proposed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum RunResult {
    Guides { result: GuideAssignment },
    Scores { result: Assignment },
    Placements { result: StableMatching },
}

/// Where a proposed pair stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum PairDecision {
    /// Proposed by the solver, not yet decided.
    #[default]
    Proposed,
    /// A coordinator confirmed it.
    Accepted,
    /// A coordinator turned it down: later runs of the cohort do not propose it again.
    Declined,
}

crate::accounts::named_enum!(PairDecision, "decision",
    Proposed => "proposed", Accepted => "accepted", Declined => "declined");

/// A pair the solver proposed and what became of it. `person` is the one being placed (a
/// client, or a trainee); `partner` takes them (a guide, or a placement). In the matrix form
/// both are indices: the row and the column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ProposedPair {
    pub person: String,
    pub partner: String,
    /// The pair's score; absent in a placement round, which ranks instead of scoring.
    pub score: Option<f64>,
    pub decision: PairDecision,
    pub decided_by: Option<Actor>,
    pub decided_at: Option<Timestamp>,
    /// Why, as the coordinator gave it.
    pub reason: Option<String>,
}

/// A pair a run was not allowed to propose: declined in an earlier run of its cohort.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ExcludedPair {
    pub person: String,
    pub partner: String,
    /// The run in which it was declined.
    pub declined_in: RunId,
}

/// One stored run: inputs, parameters, result, who ran it and when, and the pairs' decisions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MatchRun {
    pub id: RunId,
    /// The group being matched ("Aarhus spring 2026"); declined pairs carry over within it.
    pub cohort: String,
    pub kind: RunKind,
    /// The input as given (declined pairs not yet removed).
    pub input: RunInput,
    /// The weights a guide assignment scored with, defaults filled in; absent for other kinds.
    pub weights: Option<ScoreWeights>,
    /// Pairs treated as not allowed, declined in earlier runs of the cohort.
    pub excluded: Vec<ExcludedPair>,
    pub result: RunResult,
    /// The proposed pairs, in the order of the result.
    pub pairs: Vec<ProposedPair>,
    pub run_by: Actor,
    pub run_at: Timestamp,
}

/// A run as listed: without its input and result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MatchRunSummary {
    pub id: RunId,
    pub cohort: String,
    pub kind: RunKind,
    pub run_by: Actor,
    pub run_at: Timestamp,
    pub pairs: u32,
    pub accepted: u32,
    pub declined: u32,
    /// People the run left without a partner.
    pub unmatched: u32,
}

/// Narrows a listing of runs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MatchRunFilter {
    /// Only the runs of this cohort.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub cohort: Option<String>,
}

/// A page of runs, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct MatchRunPage {
    pub items: Vec<MatchRunSummary>,
    /// Pass this to get the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

impl RunInput {
    /// Reads an assignment file: the attribute form `{"guides", "clients", "weights"}` or the
    /// matrix form `{"scores", "capacities"}`, naming the place of any bad value.
    pub fn assignment_from_json(value: &Value) -> Result<RunInput> {
        if value.get("scores").is_some() {
            crate::matching::stable::only_keys(value, "", &["scores", "capacities"])?;
            let scores: Vec<Vec<Option<f64>>> = serde_json::from_value(value["scores"].clone())
                .map_err(|e| Error::invalid("scores", format!("must be a list of rows of numbers or null ({e})")))?;
            let capacities: Vec<i64> = serde_json::from_value(value.get("capacities").cloned().unwrap_or(Value::Null))
                .map_err(|e| Error::invalid("capacities", format!("must be a list of whole numbers ({e})")))?;
            return Ok(RunInput::Scores { scores, capacities: capacities_from_signed(&capacities)? });
        }
        if value.get("guides").is_some() || value.get("clients").is_some() {
            return Ok(RunInput::Guides { input: GuideAssignmentInput::from_json(value)? });
        }
        Err(Error::invalid("input", "needs either \"scores\" and \"capacities\" or \"guides\" and \"clients\""))
    }

    /// Reads a placement-round file (see [`StableInput::from_json`]).
    pub fn placements_from_json(value: &Value) -> Result<RunInput> {
        Ok(RunInput::Placements { input: StableInput::from_json(value)? })
    }

    /// Refuses an input whose problem is larger than `max_cells` person-partner pairs (score
    /// cells, guides × clients, applicants × placements): the solvers' time and memory grow
    /// with it, and a stored run must finish while people wait.
    pub fn check_size(&self, max_cells: u64) -> Result<()> {
        let cells = match self {
            RunInput::Scores { scores, .. } => scores.iter().map(|row| row.len() as u64).sum(),
            RunInput::Guides { input } => input.guides.len() as u64 * input.clients.len() as u64,
            RunInput::Placements { input } => input.applicants.len() as u64 * input.placements.len() as u64,
        };
        if cells > max_cells {
            return Err(Error::invalid(
                "input",
                format!(
                    "pairs {cells} people with partners; at most {max_cells} pairs are solved at once: split the cohort"
                ),
            ));
        }
        Ok(())
    }

    /// Which solver the input is for.
    pub fn kind(&self) -> RunKind {
        match self {
            RunInput::Guides { .. } => RunKind::Guides,
            RunInput::Scores { .. } => RunKind::Scores,
            RunInput::Placements { .. } => RunKind::Placements,
        }
    }

    /// Solves the input as given, without storing anything.
    pub fn solve(&self) -> Result<RunResult> {
        self.solve_excluding(&|_, _| false)
    }

    /// Solves the input with the pairs for which `excluded(person, partner)` holds not allowed.
    pub(crate) fn solve_excluding(&self, excluded: &dyn Fn(&str, &str) -> bool) -> Result<RunResult> {
        match self {
            RunInput::Guides { input } => {
                Ok(RunResult::Guides { result: super::super::guides::assign_guides_excluding(input, excluded)? })
            }
            RunInput::Scores { scores, capacities } => {
                let allowed: Vec<Vec<Option<f64>>> = scores
                    .iter()
                    .enumerate()
                    .map(|(row, cells)| {
                        let person = row.to_string();
                        let keep = |(col, cell): (usize, &Option<f64>)| {
                            if excluded(&person, &col.to_string()) { None } else { *cell }
                        };
                        cells.iter().enumerate().map(keep).collect()
                    })
                    .collect();
                Ok(RunResult::Scores { result: assign_scores(&allowed, capacities)? })
            }
            RunInput::Placements { input } => {
                let mut allowed = input.clone();
                for applicant in &mut allowed.applicants {
                    applicant.preferences.retain(|p| !excluded(&applicant.id, p));
                }
                for placement in &mut allowed.placements {
                    placement.ranking.retain(|a| !excluded(a, &placement.id));
                }
                Ok(RunResult::Placements { result: stable_match(&allowed)? })
            }
        }
    }
}

impl RunResult {
    /// The proposed pairs as (person, partner, score), in the result's order.
    pub(crate) fn pairs(&self) -> Vec<(String, String, Option<f64>)> {
        match self {
            RunResult::Guides { result } => {
                result.pairs.iter().map(|p| (p.client.clone(), p.guide.clone(), Some(p.score))).collect()
            }
            RunResult::Scores { result } => {
                result.pairs.iter().map(|p| (p.client.to_string(), p.guide.to_string(), Some(p.score))).collect()
            }
            RunResult::Placements { result } => {
                result.pairs.iter().map(|p| (p.applicant.clone(), p.placement.clone(), None)).collect()
            }
        }
    }

    /// How many people the run left without a partner.
    pub fn unmatched(&self) -> usize {
        match self {
            RunResult::Guides { result } => result.unmatched.len(),
            RunResult::Scores { result } => result.unmatched.len(),
            RunResult::Placements { result } => result.unmatched_applicants.len(),
        }
    }
}

impl MatchRun {
    /// The run as listed.
    pub fn summary(&self) -> MatchRunSummary {
        let count = |d: PairDecision| self.pairs.iter().filter(|p| p.decision == d).count() as u32;
        MatchRunSummary {
            id: self.id,
            cohort: self.cohort.clone(),
            kind: self.kind,
            run_by: self.run_by.clone(),
            run_at: self.run_at,
            pairs: self.pairs.len() as u32,
            accepted: count(PairDecision::Accepted),
            declined: count(PairDecision::Declined),
            unmatched: self.result.unmatched() as u32,
        }
    }
}
