//! Match runs through the platform: every run of a solver is stored with its input, parameters
//! and result, who ran it and when, under a cohort name; coordinators then accept or decline
//! each proposed pair.
//!
//! Re-matching: a pair declined in any run of a cohort is not allowed in the cohort's later
//! runs — the solver treats it as forbidden, and the run lists it under `excluded`. Decisions
//! are final and go into the audit log. Supervisors and admins coordinate
//! ([`crate::policy`]).
//!
//! ```
//! use trialog_core::{Actor, Platform, RunInput};
//! use trialog_core::matching::{Applicant, Placement, StableInput};
//! let platform = Platform::in_memory()?;
//! let input = StableInput {
//!     applicants: vec![Applicant { id: "ana".into(), preferences: vec!["clinic".into(), "club".into()] }],
//!     placements: vec![
//!         Placement { id: "clinic".into(), capacity: 1, ranking: vec!["ana".into()] },
//!         Placement { id: "club".into(), capacity: 1, ranking: vec!["ana".into()] },
//!     ],
//! };
//! let runs = platform.match_runs();
//! let first = runs.run(&Actor::Operator, "spring", &RunInput::Placements { input: input.clone() })?;
//! assert_eq!(first.pairs[0].partner, "clinic");
//! runs.decline(&Actor::Operator, first.id, "ana", Some("the clinic has no mentor this spring"))?;
//! let second = runs.run(&Actor::Operator, "spring", &RunInput::Placements { input })?;
//! assert_eq!(second.pairs[0].partner, "club");
//! # Ok::<(), trialog_core::Error>(())
//! ```

mod model;

pub use model::{
    ExcludedPair, MatchRun, MatchRunFilter, MatchRunPage, MatchRunSummary, PairDecision, ProposedPair, RunId, RunInput,
    RunKind, RunResult,
};

use crate::actor::Actor;
use crate::audit;
use crate::clock::Timestamp;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::matching::records;
use crate::page::{PageRequest, cursor_for};
use crate::policy::{self, Action};
use crate::store::{Reader, next_id};
use crate::validate;

/// The longest cohort name.
const MAX_COHORT: usize = 100;
/// Most person-partner pairs one run may pair (score cells, guides × clients, applicants ×
/// placements) unless the platform is configured otherwise
/// ([`crate::PlatformOptions::max_match_cells`]): 2,000,000, a cohort far beyond any peer
/// programme, solved in seconds.
pub const MAX_CELLS: u64 = 2_000_000;
/// The longest reason given for a decision.
const MAX_REASON: usize = 500;

/// Stored match runs, borrowed from a [`crate::Platform`].
pub struct MatchRuns<'p> {
    pub(crate) ctx: &'p Context,
}

impl MatchRuns<'_> {
    /// Solves `input` for `cohort` with every pair declined in the cohort's earlier runs
    /// forbidden, and stores the run (supervisors and admins).
    pub fn run(&self, actor: &Actor, cohort: &str, input: &RunInput) -> Result<MatchRun> {
        let cohort = validate::required_line("cohort", cohort, MAX_COHORT)?;
        input.check_size(self.ctx.max_match_cells)?;
        // The solver runs between two transactions, so the file is not locked while it works:
        // the declined pairs are read first, and the write checks they did not change.
        let excluded = self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::CoordinateMatching, now)?;
            declined_in_cohort(txn, &cohort)
        })?;
        let forbidden =
            |person: &str, partner: &str| excluded.iter().any(|e| e.person == person && e.partner == partner);
        let result = input.solve_excluding(&forbidden)?;
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::CoordinateMatching, now)?;
            if declined_in_cohort(txn, &cohort)? != excluded {
                return Err(Error::conflict(format!(
                    "a pair of cohort '{cohort}' was declined while this run was being solved; run it again"
                )));
            }
            let pairs = result
                .pairs()
                .into_iter()
                .map(|(person, partner, score)| ProposedPair {
                    person,
                    partner,
                    score,
                    decision: PairDecision::Proposed,
                    decided_by: None,
                    decided_at: None,
                    reason: None,
                })
                .collect();
            let weights = match input {
                RunInput::Guides { input } => Some(input.weights.unwrap_or_default()),
                _ => None,
            };
            let run = MatchRun {
                id: next_id(txn, "match_runs")?,
                cohort: cohort.clone(),
                kind: input.kind(),
                input: input.clone(),
                weights,
                excluded: excluded.clone(),
                result: result.clone(),
                pairs,
                run_by: actor.clone(),
                run_at: now,
            };
            records::save(txn, &run)?;
            records::file_under_cohort(txn, &run)?;
            let note = format!("cohort {}: {} {} pair(s) proposed", run.cohort, run.pairs.len(), run.kind);
            audit::append(txn, now, actor, "match.run", &target(run.id), Some(&note))?;
            Ok(run)
        })
    }

    /// One run with its input, result and decisions.
    pub fn get(&self, actor: &Actor, id: RunId) -> Result<MatchRun> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::CoordinateMatching, now)?;
            records::load(txn, id)
        })
    }

    /// Runs newest first, optionally of one cohort, one page at a time.
    pub fn list(&self, actor: &Actor, filter: &MatchRunFilter, page: &PageRequest) -> Result<MatchRunPage> {
        self.ctx.read(actor, |txn, subject, now| {
            policy::check(subject, Action::CoordinateMatching, now)?;
            let limit = page.limit()?;
            let before = page.cursor_id()?.unwrap_or(u64::MAX);
            let cohort =
                filter.cohort.as_deref().map(|c| validate::required_line("cohort", c, MAX_COHORT)).transpose()?;
            let ids = records::newest_before(txn, cohort.as_deref(), before, limit + 1)?;
            let more = ids.len() > limit;
            let items = ids
                .iter()
                .take(limit)
                .map(|id| records::load(txn, *id).map(|r| r.summary()))
                .collect::<Result<Vec<_>>>()?;
            let next_cursor = if more { items.last().map(|r| cursor_for(r.id)) } else { None };
            Ok(MatchRunPage { items, next_cursor })
        })
    }

    /// Confirms the pair proposed for `person` in run `id`.
    pub fn accept(&self, actor: &Actor, id: RunId, person: &str, reason: Option<&str>) -> Result<MatchRun> {
        self.decide(actor, id, person, PairDecision::Accepted, reason)
    }

    /// Turns down the pair proposed for `person` in run `id`: the cohort's later runs will not
    /// propose it again.
    pub fn decline(&self, actor: &Actor, id: RunId, person: &str, reason: Option<&str>) -> Result<MatchRun> {
        self.decide(actor, id, person, PairDecision::Declined, reason)
    }

    fn decide(
        &self,
        actor: &Actor,
        id: RunId,
        person: &str,
        decision: PairDecision,
        reason: Option<&str>,
    ) -> Result<MatchRun> {
        self.ctx.write(actor, |txn, subject, now| {
            policy::check(subject, Action::CoordinateMatching, now)?;
            let reason = validate::optional_line("reason", reason, MAX_REASON)?;
            let mut run = records::load(txn, id)?;
            record_decision(&mut run, actor, person, decision, reason.clone(), now)?;
            records::save(txn, &run)?;
            let pair = run.pairs.iter().find(|p| p.person == person).expect("the decided pair is in the run");
            let note = match &reason {
                Some(why) => format!("{} with {}: {why}", pair.person, pair.partner),
                None => format!("{} with {}", pair.person, pair.partner),
            };
            let action = if decision == PairDecision::Accepted { "match.accept" } else { "match.decline" };
            audit::append(txn, now, actor, action, &target(id), Some(&note))?;
            Ok(run)
        })
    }
}

fn record_decision(
    run: &mut MatchRun,
    actor: &Actor,
    person: &str,
    decision: PairDecision,
    reason: Option<String>,
    now: Timestamp,
) -> Result<()> {
    let id = run.id;
    let Some(pair) = run.pairs.iter_mut().find(|p| p.person == person) else {
        return Err(Error::invalid(
            "person",
            format!("'{person}' has no proposed pair in run {id}; `show` the run to see its pairs"),
        ));
    };
    if pair.decision != PairDecision::Proposed {
        return Err(Error::conflict(format!(
            "the pair of '{person}' with '{}' in run {id} is already {}; decisions are final",
            pair.partner, pair.decision
        )));
    }
    pair.decision = decision;
    pair.decided_by = Some(actor.clone());
    pair.decided_at = Some(now);
    pair.reason = reason;
    Ok(())
}

/// Every pair declined in a run of `cohort`, oldest run first.
fn declined_in_cohort(txn: &impl Reader, cohort: &str) -> Result<Vec<ExcludedPair>> {
    let ids = records::runs_of_cohort(txn, cohort)?;
    let mut out = Vec::new();
    for id in ids {
        for pair in records::load(txn, id)?.pairs.into_iter().filter(|p| p.decision == PairDecision::Declined) {
            out.push(ExcludedPair { person: pair.person, partner: pair.partner, declined_in: id });
        }
    }
    Ok(out)
}

fn target(id: RunId) -> String {
    format!("match_run:{id}")
}
