//! The matching solvers as free functions: they need no platform and touch no database.

use trialog_core::Error;
use trialog_core::matching::{self, Assignment, GuideAssignment, GuideAssignmentInput, StableInput, StableMatching};

use crate::guard::guard;

/// Assigns clients (rows) to guides (columns) from a score matrix; `null` marks a pair that is
/// not allowed. Matches as many clients as possible, then maximises the total score, within
/// every guide's capacity.
#[uniffi::export]
pub fn assign_scores(scores: Vec<Vec<Option<f64>>>, capacities: Vec<u32>) -> Result<Assignment, Error> {
    guard(|| matching::assign_scores(&scores, &capacities))
}

/// Assigns clients to peer-guides from their attributes, explaining every pair's score.
#[uniffi::export]
pub fn assign_guides(input: GuideAssignmentInput) -> Result<GuideAssignment, Error> {
    guard(|| matching::assign_guides(&input))
}

/// Runs a placement round: the trainee-optimal stable matching.
#[uniffi::export]
pub fn stable_match(input: StableInput) -> Result<StableMatching, Error> {
    guard(|| matching::stable_match(&input))
}
