//! The matching solvers as free functions: they need no platform and touch no database.

use trialog_core::Error;
use trialog_core::matching::{
    self, Assignment, GuideAssignment, GuideAssignmentInput, MatrixView, StableInput, StableMatching,
};

use trialog_core::api::guard;

/// Assigns clients (rows) to guides (columns) from a score matrix; `null` marks a pair that is
/// not allowed. Matches as many clients as possible, then maximises the total score, within
/// every guide's capacity.
#[uniffi::export]
pub fn assign_scores(scores: Vec<Vec<Option<f64>>>, capacities: Vec<u32>) -> Result<Assignment, Error> {
    guard(|| matching::assign_scores(&scores, &capacities))
}

/// Assigns clients (rows) to guides (columns) from a score matrix in one row-major array of
/// `rows × columns` numbers (`scores[row * columns + column]`, a Kotlin `DoubleArray`); NaN
/// marks a pair that is not allowed. Same result as [`assign_scores`], without a list per row:
/// when every pair is allowed it takes the dense path.
#[uniffi::export]
pub fn assign_score_matrix(
    scores: RowMajorScores,
    rows: u32,
    columns: u32,
    capacities: Vec<u32>,
) -> Result<Assignment, Error> {
    guard(|| {
        let view = MatrixView::row_major(&scores.0, rows as usize, columns as usize, "scores")?;
        matching::assign_matrix(view, None, &capacities)
    })
}

/// Scores in row-major order. They cross the boundary as little-endian bytes, 8 per number:
/// `uniffi.toml` maps them to `DoubleArray` in Kotlin (Swift sees `Data`), one bulk copy
/// instead of a boxed `Double` per cell.
pub struct RowMajorScores(pub Vec<f64>);

uniffi::custom_type!(RowMajorScores, Vec<u8>, {
    lower: |scores| scores.0.iter().flat_map(|v| v.to_le_bytes()).collect(),
    try_lift: |bytes| {
        let cells = bytes.chunks_exact(8);
        if !cells.remainder().is_empty() {
            return Err(uniffi::deps::anyhow::anyhow!("{} bytes are not a whole number of 8-byte doubles", bytes.len()));
        }
        Ok(RowMajorScores(cells.map(|c| f64::from_le_bytes(c.try_into().expect("chunks of 8"))).collect()))
    },
});

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
