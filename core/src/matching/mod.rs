//! Matching: optimal peer-guide assignment with capacities ([`assign_scores`],
//! [`assign_matrix`], [`assign_sparse`], [`assign_guides`]) and stable placement rounds ([`stable_match`]) as pure
//! functions without storage, and [`MatchRuns`]: runs of them through the platform, stored
//! per cohort for coordinators to accept or decline, with declined pairs left out of re-runs.
//!
//! Every solver is exact and deterministic, and explains its answer: assigned pairs carry their
//! scores (and, from attributes, a per-criterion breakdown), and everyone left out is listed
//! with the reason. Bad input is an [`crate::Error::InvalidInput`] naming the place
//! (`scores[3]`, `scores[2][4]`, `placements.P3.ranking`, `clients[1].languages`).

mod assign;
mod dense;
mod guides;
mod records;
mod runs;
mod stable;
/// Registration of the matching domain: its tables, migrations and integrity check.
pub(crate) const DOMAIN: crate::store::Domain = crate::store::Domain {
    name: "matching",
    tick: crate::store::Domain::nothing_due,
    personal: None,
    tables: tables::TABLES,
    migrate: crate::store::Domain::no_migration,
    check: |_, _| Ok(()),
    figures: None,
};

pub(crate) mod tables;
#[cfg(test)]
mod tests;

pub use assign::{
    AssignedPair, Assignment, MAX_SCORE, SCORE_RESOLUTION, UnmatchedClient, UnmatchedReason, assign_scores,
    assign_sparse, capacities_from_signed,
};
pub use dense::{MatrixView, assign_matrix};
pub use guides::{
    Client, DEFAULT_DISTANCE_SCALE_KM, GenderPreference, Guide, GuideAssignment, GuideAssignmentInput, GuidePair,
    Location, ScorePart, ScoreWeights, UnmatchedGuideClient, assign_guides,
};
pub use runs::{
    ExcludedPair, MAX_CELLS, MatchRun, MatchRunFilter, MatchRunPage, MatchRunSummary, MatchRuns, PairDecision,
    ProposedPair, RunId, RunInput, RunKind, RunResult,
};
pub use stable::{
    Applicant, Placement, StableIndices, StableInput, StableMatching, StablePair, UnfilledPlacement, stable_match,
    stable_match_indices,
};
