//! Assignment from a dense score matrix: the fast path when every pair is allowed, and the
//! entry for matrices read in place (a numpy array, a Kotlin `DoubleArray`).
//!
//! # Algorithm
//! Shortest augmenting paths on the dense matrix (Crouse's variant of Jonker–Volgenant, the
//! method of SciPy's `linear_sum_assignment`), generalised to capacities without expanding
//! columns: a guide is one node holding up to its capacity of clients. Each client in turn is
//! added along a shortest path in reduced costs (Dijkstra with an O(columns) scan per step, no
//! heap): from the new client to every guide, from a full guide back to *all* its clients at
//! once (their backward edges cost nothing), until a guide with room is the nearest unsettled
//! node. Guides with room are never settled, so their potentials stay equal to the sink's and
//! reaching one is reaching the sink. When there are more clients than places, a virtual
//! "unmatched" guide with exactly the missing capacity and one constant cost takes the rest:
//! every complete assignment then matches the same number of clients (as many as there are
//! places), and the constant does not change which one is cheapest. So the objective is the
//! same as the sparse solver's — most clients matched, then the highest total — with no big M.
//!
//! Complexity: O(clients · (clients reached) · guides) in the worst case, O(n³) for n × n;
//! on random matrices each search settles a small part of the columns.
//!
//! # Exactness and ties
//! Costs are the same fixed-point units as in the sparse solver (scores rounded to 10⁻⁶), as
//! 64-bit integers, so optima are exact and the result is deterministic: the same input gives
//! the same output. Among equally good assignments the dense path may pick different pairs
//! than the sparse one (its searches break ties among equally near guides by a guide with
//! room first, then scan order, not by the sparse solver's node order); the matched count and
//! the total score are always equal (a property test checks both).

use super::assign::{
    AssignedPair, Assignment, MAX_SCORE, UnmatchedClient, UnmatchedReason, score_units, solve_lists, units,
};
use crate::error::{Error, Result};

/// A read-only view of a matrix stored in a flat slice with any element strides: row-major
/// (`row_stride == columns`, `column_stride == 1`), column-major (a pandas DataFrame's
/// `.values` often is), or a slice of a larger array.
#[derive(Debug, Clone, Copy)]
pub struct MatrixView<'a, T> {
    values: &'a [T],
    rows: usize,
    columns: usize,
    row_stride: usize,
    column_stride: usize,
}

impl<'a, T: Copy> MatrixView<'a, T> {
    /// A row-major matrix (`values[row * columns + column]`), as a Kotlin `DoubleArray`.
    ///
    /// ```
    /// use trialog_core::matching::MatrixView;
    /// let view = MatrixView::row_major(&[1.0, 2.0, 3.0, 4.0, 5.0, 6.0], 2, 3, "scores").unwrap();
    /// assert_eq!(view.get(1, 0), 4.0);
    /// ```
    pub fn row_major(values: &'a [T], rows: usize, columns: usize, field: &str) -> Result<Self> {
        let cells = rows.checked_mul(columns);
        if cells != Some(values.len()) {
            return Err(Error::invalid(
                field,
                format!("has {} values, expected rows × columns = {rows} × {columns}", values.len()),
            ));
        }
        Ok(MatrixView { values, rows, columns, row_stride: columns, column_stride: 1 })
    }

    /// A matrix whose cell (r, c) is `values[r * row_stride + c * column_stride]`.
    pub fn strided(
        values: &'a [T],
        (rows, columns): (usize, usize),
        (row_stride, column_stride): (usize, usize),
        field: &str,
    ) -> Result<Self> {
        let last = if rows == 0 || columns == 0 {
            Some(0)
        } else {
            (rows - 1)
                .checked_mul(row_stride)
                .zip((columns - 1).checked_mul(column_stride))
                .and_then(|(a, b)| a.checked_add(b))
                .and_then(|end| end.checked_add(1))
        };
        if last.is_none_or(|end| end > values.len()) {
            return Err(Error::invalid(field, format!("its strides reach past its {} values", values.len())));
        }
        Ok(MatrixView { values, rows, columns, row_stride, column_stride })
    }

    pub fn rows(&self) -> usize {
        self.rows
    }

    pub fn columns(&self) -> usize {
        self.columns
    }

    /// The cell at (`row`, `column`); panics outside the matrix, like slice indexing.
    pub fn get(&self, row: usize, column: usize) -> T {
        self.values[row * self.row_stride + column * self.column_stride]
    }
}

/// Assigns clients (rows) to guides (columns) from a matrix read in place: a NaN score, or
/// `true` in `forbidden` (same shape), marks a pair that is not allowed. Same objective and
/// result as [`super::assign_scores`]; when every pair is allowed it takes the dense path.
///
/// ```
/// use trialog_core::matching::{MatrixView, assign_matrix};
/// let scores = [5.0, 1.0, 4.0, f64::NAN];
/// let result = assign_matrix(MatrixView::row_major(&scores, 2, 2, "scores").unwrap(), None, &[1, 1]).unwrap();
/// assert_eq!(result.total_score, 5.0); // client 1 can only take guide 0
/// ```
pub fn assign_matrix(
    scores: MatrixView<'_, f64>,
    forbidden: Option<MatrixView<'_, bool>>,
    capacities: &[u32],
) -> Result<Assignment> {
    if let Some(mask) = forbidden
        && (mask.rows, mask.columns) != (scores.rows, scores.columns)
    {
        return Err(Error::invalid(
            "forbidden",
            format!("is {} × {}, but scores is {} × {}", mask.rows, mask.columns, scores.rows, scores.columns),
        ));
    }
    if scores.rows == 0 {
        return Err(Error::invalid("scores", "has no rows; give one row per client"));
    }
    if capacities.len() != scores.columns {
        return Err(Error::invalid(
            "capacities",
            format!("has {} entries, expected {} (one per column of scores)", capacities.len(), scores.columns),
        ));
    }
    let contiguous_rows = forbidden.is_none() && scores.column_stride == 1;
    let row = |r: usize| {
        let start = r * scores.row_stride;
        contiguous_rows.then(|| &scores.values[start..start + scores.columns])
    };
    let cell = |r: usize, c: usize| {
        let score = scores.get(r, c);
        let allowed = !score.is_nan() && !forbidden.is_some_and(|mask| mask.get(r, c));
        allowed.then_some(score)
    };
    assign_cells((scores.rows, scores.columns), capacities, Cells { cell, row })
}

/// Per-client lists of `(guide, score)` (as [`super::assign_sparse`] takes them): the dense
/// path when every client lists every guide in order, the sparse solver otherwise.
pub(crate) fn assign_lists(eligible: &[Vec<(u32, f64)>], capacities: &[u32]) -> Result<Assignment> {
    let columns = capacities.len();
    let complete =
        |list: &Vec<(u32, f64)>| list.len() == columns && list.iter().enumerate().all(|(g, p)| p.0 as usize == g);
    if eligible.is_empty() || columns == 0 || !eligible.iter().all(complete) {
        return solve_lists(eligible, capacities, |row, g| format!("eligible[{row}] guide {g}"));
    }
    let cell = |r: usize, c: usize| Some(eligible[r][c].1);
    assign_cells((eligible.len(), columns), capacities, Cells { cell, row: |_| None })
}

/// How the dense path reads a matrix: `cell(row, column)` is the score of an allowed pair or
/// `None` for a pair that is not allowed; `row(r)`, where it can, gives a whole row of scores
/// as one slice (NaN = not allowed), which converts several times faster.
pub(crate) struct Cells<C, R> {
    pub cell: C,
    pub row: R,
}

/// The common path of every dense matrix form: `cell(row, column)` is the score of an allowed
/// pair, `None` for a pair that is not allowed; a bad score is named `scores[row][column]`.
/// Dense solve when every pair is allowed, the sparse solver otherwise.
pub(crate) fn assign_cells<'v>(
    (rows, columns): (usize, usize),
    capacities: &[u32],
    cells: Cells<impl Fn(usize, usize) -> Option<f64>, impl Fn(usize) -> Option<&'v [f64]>>,
) -> Result<Assignment> {
    let cell = &cells.cell;
    if columns == 0 {
        return Err(Error::invalid("capacities", "is empty; give one capacity per guide (column)"));
    }
    if capacities.iter().all(|&c| c == 0) {
        return nobody_placed((rows, columns), &cells);
    }
    let place = |r: usize, c: u32| format!("scores[{r}][{c}]");
    let Some(costs) = Costs::build((rows, columns), capacities, &cells)? else {
        let eligible: Vec<Vec<(u32, f64)>> =
            (0..rows).map(|r| (0..columns).filter_map(|c| cell(r, c).map(|s| (c as u32, s))).collect()).collect();
        return solve_lists(&eligible, capacities, place);
    };
    let column_of = Dense::new(&costs).solve();
    let mut pairs = Vec::new();
    let mut unmatched = Vec::new();
    for (r, &c) in column_of.iter().enumerate() {
        if (c as usize) < columns {
            let score = cell(r, c as usize).expect("the dense path only runs when every pair is allowed");
            pairs.push(AssignedPair { client: r as u32, guide: c, score });
        } else {
            unmatched.push(UnmatchedClient { client: r as u32, reason: UnmatchedReason::EligibleGuidesFull });
        }
    }
    let total_score = pairs.iter().map(|p| p.score).sum();
    Ok(Assignment { pairs, total_score, unmatched })
}

/// Every cost is `SHIFT − units`, so that costs are never negative (Dijkstra's start needs
/// that with zero potentials): 0 ≤ cost ≤ 2 · 10¹².
const SHIFT: i64 = 1_000_000_000_000;
/// Costs lie in [0, 2·SHIFT] and a path has fewer than 2 · (rows + columns) edges, so
/// distances and potentials stay below 4 · SHIFT · (rows + columns); past this many nodes
/// that could leave i64, and the sparse solver (128-bit costs) takes the matrix.
const MAX_DENSE_NODES: usize = (i64::MAX / (8 * SHIFT)) as usize;
const INFINITE: i64 = i64::MAX;
const NONE: u32 = u32::MAX;

/// The dense problem: costs row-major with one extra "unmatched" column when clients
/// outnumber places, and every column's capacity.
struct Costs {
    rows: usize,
    width: usize,
    values: Vec<i64>,
    capacities: Vec<u32>,
}

impl Costs {
    /// The cost matrix, or `None` when some pair is not allowed (or the matrix is too large to
    /// stay exact in 64 bits): then the sparse solver takes it. Every score is checked either way.
    fn build<'v>(
        (rows, columns): (usize, usize),
        capacities: &[u32],
        cells: &Cells<impl Fn(usize, usize) -> Option<f64>, impl Fn(usize) -> Option<&'v [f64]>>,
    ) -> Result<Option<Costs>> {
        let places: u64 = capacities.iter().map(|&c| u64::from(c).min(rows as u64)).sum();
        let missing = (rows as u64).saturating_sub(places);
        let width = columns + usize::from(missing > 0);
        if rows + width > MAX_DENSE_NODES {
            return Ok(None);
        }
        let mut values = Vec::with_capacity(rows * width);
        for r in 0..rows {
            let complete = match (cells.row)(r) {
                Some(scores) => push_row(&mut values, scores, r)?,
                None => push_cells(&mut values, |c| (cells.cell)(r, c), columns, r)?,
            };
            if !complete {
                return Ok(None);
            }
            if missing > 0 {
                values.push(0);
            }
        }
        let mut capacities: Vec<u32> = capacities.iter().map(|&c| c.min(rows as u32)).collect();
        if missing > 0 {
            capacities.push(missing as u32);
        }
        Ok(Some(Costs { rows, width, values, capacities }))
    }

    fn row(&self, r: usize) -> &[i64] {
        &self.values[r * self.width..(r + 1) * self.width]
    }
}

/// Appends the costs of row `r` from its scores; false at the first pair that is not allowed.
fn push_row(values: &mut Vec<i64>, scores: &[f64], r: usize) -> Result<bool> {
    // One branch-free check of the whole row (false for NaN and infinities too), then one
    // conversion pass; only a row with a NaN or a bad score takes the cell-by-cell way.
    if scores.iter().all(|s| s.abs() <= MAX_SCORE) {
        values.extend(scores.iter().map(|&s| SHIFT - units(s)));
        return Ok(true);
    }
    push_cells(values, |c| Some(scores[c]).filter(|s| !s.is_nan()), scores.len(), r)
}

/// Checks every score and lists every client as unmatched: there are no places at all.
fn nobody_placed<'v>(
    (rows, columns): (usize, usize),
    cells: &Cells<impl Fn(usize, usize) -> Option<f64>, impl Fn(usize) -> Option<&'v [f64]>>,
) -> Result<Assignment> {
    let mut unmatched = Vec::with_capacity(rows);
    for r in 0..rows {
        let any_allowed = match (cells.row)(r) {
            Some(scores) if scores.iter().all(|s| s.abs() <= MAX_SCORE) => columns > 0,
            _ => {
                let mut any = false;
                for c in 0..columns {
                    if let Some(score) = (cells.cell)(r, c) {
                        score_units(score, || format!("scores[{r}][{c}]"))?;
                        any = true;
                    }
                }
                any
            }
        };
        let reason = if any_allowed { UnmatchedReason::EligibleGuidesFull } else { UnmatchedReason::NoEligibleGuide };
        unmatched.push(UnmatchedClient { client: r as u32, reason });
    }
    Ok(Assignment { pairs: Vec::new(), total_score: 0.0, unmatched })
}

/// Appends the costs of row `r` cell by cell; false at the first pair that is not allowed.
fn push_cells(values: &mut Vec<i64>, cell: impl Fn(usize) -> Option<f64>, columns: usize, r: usize) -> Result<bool> {
    for c in 0..columns {
        let Some(score) = cell(c) else { return Ok(false) };
        values.push(SHIFT - score_units(score, || format!("scores[{r}][{c}]"))?);
    }
    Ok(true)
}

/// The assignment under construction, the dual potentials, and one search's scratch space.
struct Dense<'c> {
    costs: &'c Costs,
    /// The column each row is assigned to, or NONE.
    column_of: Vec<u32>,
    /// The rows assigned to each column.
    members: Vec<Vec<u32>>,
    /// Whether a column still has room (is a way to the sink).
    room: Vec<bool>,
    /// Columns that can take anyone at all (capacity above 0), in index order.
    open: Vec<u32>,
    row_potential: Vec<i64>,
    column_potential: Vec<i64>,
    shortest: Vec<i64>,
    via: Vec<u32>,
    remaining: Vec<u32>,
    scanned_rows: Vec<u32>,
    settled: Vec<u32>,
}

impl<'c> Dense<'c> {
    fn new(costs: &'c Costs) -> Self {
        let (rows, width) = (costs.rows, costs.width);
        Dense {
            costs,
            column_of: vec![NONE; rows],
            members: vec![Vec::new(); width],
            room: costs.capacities.iter().map(|&c| c > 0).collect(),
            open: (0..width as u32).filter(|&c| costs.capacities[c as usize] > 0).collect(),
            row_potential: vec![0; rows],
            column_potential: vec![0; width],
            shortest: vec![INFINITE; width],
            via: vec![NONE; width],
            remaining: Vec::with_capacity(width),
            scanned_rows: Vec::new(),
            settled: Vec::new(),
        }
    }

    /// The column of every row (the "unmatched" column, if any, is index `columns`).
    fn solve(mut self) -> Vec<u32> {
        if self.open.is_empty() {
            return self.column_of;
        }
        if self.fills_every_column() {
            self.reduce_columns();
        }
        for row in 0..self.costs.rows {
            if self.column_of[row] == NONE {
                self.place(row);
            }
        }
        self.column_of
    }

    /// Whether every column ends full: there are at least as many rows as places (counting the
    /// "unmatched" column). Only then may columns start from different potentials, since every
    /// complete assignment then pays each column's potential the same number of times.
    fn fills_every_column(&self) -> bool {
        let places: u64 = self.costs.capacities.iter().map(|&c| u64::from(c)).sum();
        places == self.costs.rows as u64
    }

    /// Jonker–Volgenant's column reduction: every column's potential is its cheapest cost, and
    /// the row of that cost takes the column if it is still free. Those pairs have reduced cost
    /// zero and every reduced cost stays non-negative, so the searches start from a large
    /// optimal partial assignment.
    fn reduce_columns(&mut self) {
        let width = self.costs.width;
        let mut cheapest_row = vec![0u32; width];
        self.column_potential.fill(INFINITE);
        for row in 0..self.costs.rows {
            let costs = self.costs.row(row);
            for (c, (&cost, potential)) in costs.iter().zip(&mut self.column_potential).enumerate() {
                if cost < *potential {
                    *potential = cost;
                    cheapest_row[c] = row as u32;
                }
            }
        }
        for &column in &self.open {
            let (c, row) = (column as usize, cheapest_row[column as usize] as usize);
            if self.column_of[row] == NONE {
                self.column_of[row] = column;
                self.members[c].push(row as u32);
                self.room[c] = (self.members[c].len() as u32) < self.costs.capacities[c];
            }
        }
    }

    /// Adds `start` along a shortest augmenting path, keeping the assignment optimal.
    fn place(&mut self, start: usize) {
        self.shortest.fill(INFINITE);
        self.remaining.clear();
        self.remaining.extend_from_slice(&self.open);
        self.scanned_rows.clear();
        self.settled.clear();
        self.scanned_rows.push(start as u32);
        let (mut distance, mut index) = self.scan(start, 0);
        let sink = loop {
            let column = self.remaining[index] as usize;
            if self.room[column] {
                break column;
            }
            self.remaining.swap_remove(index);
            self.settled.push(column as u32);
            // A full column leads back to every row it holds, at no cost.
            let held = self.members[column].len();
            for k in 0..held {
                let row = self.members[column][k] as usize;
                self.scanned_rows.push(row as u32);
                let (d, i) = self.scan(row, distance);
                if k + 1 == held {
                    (distance, index) = (d, i);
                }
            }
        };
        self.update_potentials(start, distance);
        self.augment(start, sink);
    }

    /// Relaxes the edges from `row` (reached at `distance`) to every unsettled column and
    /// returns the nearest unsettled column (its distance and index in `remaining`). At equal
    /// distance a column with room wins: the search ends sooner.
    fn scan(&mut self, row: usize, distance: i64) -> (i64, usize) {
        let costs = self.costs.row(row);
        let base = distance - self.row_potential[row];
        let mut lowest = INFINITE;
        let mut index = usize::MAX;
        for (k, &column) in self.remaining.iter().enumerate() {
            let c = column as usize;
            let reduced = base + costs[c] - self.column_potential[c];
            if reduced < self.shortest[c] {
                self.shortest[c] = reduced;
                self.via[c] = row as u32;
            }
            let d = self.shortest[c];
            if d < lowest || (d == lowest && self.room[c]) {
                lowest = d;
                index = k;
            }
        }
        (lowest, index)
    }

    /// Moves the potentials of everything the search settled, so that every edge's reduced
    /// cost stays non-negative and assigned pairs' stay zero.
    fn update_potentials(&mut self, start: usize, distance: i64) {
        self.row_potential[start] += distance;
        for &row in &self.scanned_rows[1..] {
            let row = row as usize;
            let column = self.column_of[row] as usize;
            self.row_potential[row] += distance - self.shortest[column];
        }
        for &column in &self.settled {
            let column = column as usize;
            self.column_potential[column] -= distance - self.shortest[column];
        }
    }

    /// Shifts the rows along the path that ends at `sink`, a column with room.
    fn augment(&mut self, start: usize, sink: usize) {
        let mut column = sink;
        loop {
            let row = self.via[column] as usize;
            self.members[column].push(row as u32);
            let previous = std::mem::replace(&mut self.column_of[row], column as u32);
            if row == start {
                break;
            }
            let held = &mut self.members[previous as usize];
            if let Some(i) = held.iter().position(|&m| m as usize == row) {
                held.swap_remove(i);
            }
            column = previous as usize;
        }
        self.room[sink] = (self.members[sink].len() as u32) < self.costs.capacities[sink];
    }
}
