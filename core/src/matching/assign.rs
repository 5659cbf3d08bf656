//! Optimal assignment with capacities: clients to guides, each guide taking at most its
//! capacity, matching as many clients as possible and, among all such assignments, maximising
//! the total score.
//!
//! # Algorithm
//! Successive shortest paths on the sparse bipartite graph (Hungarian method generalised to
//! capacities), one client at a time. The network is clients → guides (one edge per allowed
//! pair) → sink (capacity = the guide's capacity), plus one private "stay unmatched" edge from
//! every client straight to the sink, so that every client always has a feasible place and the
//! problem is a transportation problem in which every client sends one unit. Adding client `i`
//! finds the shortest path from `i` to the sink in the residual graph with Dijkstra over
//! reduced costs (node potentials, Johnson-style) and augments along it; by the standard
//! successive-shortest-path lemma the flow stays minimum-cost after every client. Dijkstra stops
//! as soon as the sink is settled and only the potentials of settled nodes are moved, so a
//! client that finds a free guide nearby costs little. The best way to the sink seen so far
//! (through a guide with room, offered as soon as the guide is reached, or a client's "stay
//! unmatched" edge) bounds the search: nothing at or beyond it enters the heap. On the
//! benchmark instances this halves the time; late searches, when few guides have room, push
//! far fewer nodes.
//!
//! Complexity: O(n · (E + V) log V) in the worst case for n clients, E allowed pairs and
//! V = clients + guides; typical searches settle a small part of the graph.
//!
//! # Exactness
//! The objective is lexicographic: first the number of matched clients, then the total score.
//! Costs are pairs `(−1, −score)` per matched pair and `(0, 0)` for staying unmatched, compared
//! lexicographically: that is an ordered abelian group, which is all Dijkstra and the potentials
//! need, so no "big M" has to be chosen (internally the pair is one 128-bit integer with the
//! count in the high half, which orders and adds the same way). Scores are fixed-point: each is rounded to the nearest
//! multiple of 10⁻⁶ ([`SCORE_RESOLUTION`]) and must lie within ±[`MAX_SCORE`], so every sum is
//! an exact `i64` (a path has at most 2·V edges, so potentials stay below 10¹²·2·V). Scores that
//! differ by less than 10⁻⁶ count as equal.
//!
//! # Ties
//! Deterministic: the same input always gives the same output. Among equally good assignments
//! the result depends only on the input order: clients are placed in the order given, and each
//! search takes, among equally short ways to the sink, the one offered first (nodes are settled
//! in order of distance, then rows before guides, each by index; a settled row offers its
//! guides in column order).
//!
//! # Which solver
//! [`assign_sparse`] always runs this one. [`assign_scores`] and [`super::assign_matrix`] run it
//! when some pair is not allowed; when every pair is, they take the dense path
//! ([`super::dense`]), which reaches the same matched count and the same total but, among
//! equally good assignments, may choose other pairs (it breaks ties its own, equally
//! deterministic, way).

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::ops::{Add, Sub};

use serde::{Deserialize, Serialize};

use super::dense::{Cells, assign_cells};
use crate::error::{Error, Result};

/// Scores are compared in steps of this size (one millionth of a point).
pub const SCORE_RESOLUTION: f64 = 1e-6;
/// The largest score magnitude accepted, so that every sum stays exact in 64-bit integers.
pub const MAX_SCORE: f64 = 1e6;

/// The result of an assignment: the pairs, their total score and the clients left unmatched.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Assignment {
    /// One pair per matched client, in client order.
    pub pairs: Vec<AssignedPair>,
    /// The sum of the pairs' scores.
    pub total_score: f64,
    /// Every client without a guide, in client order, with the reason.
    pub unmatched: Vec<UnmatchedClient>,
}

/// A client (row) and the guide (column) it was given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct AssignedPair {
    pub client: u32,
    pub guide: u32,
    pub score: f64,
}

/// A client (row) left without a guide.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct UnmatchedClient {
    pub client: u32,
    pub reason: UnmatchedReason,
}

/// Why a client has no guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum UnmatchedReason {
    /// No guide is allowed for this client at all.
    NoEligibleGuide,
    /// Every allowed guide is filled to capacity by clients that could not be placed elsewhere
    /// without leaving someone else unmatched.
    EligibleGuidesFull,
}

impl UnmatchedReason {
    /// A short sentence for people.
    pub fn describe(self) -> &'static str {
        match self {
            UnmatchedReason::NoEligibleGuide => "no eligible guide",
            UnmatchedReason::EligibleGuidesFull => "all eligible guides are full",
        }
    }
}

/// Assigns clients (rows) to guides (columns) from a dense score matrix; `None` marks a pair
/// that is not allowed. `capacities[g]` is how many clients guide `g` may take. A matrix
/// without `None` is solved by the dense path (see the module docs on ties).
///
/// ```
/// use trialog_core::matching::assign_scores;
/// let scores = vec![vec![Some(5.0), Some(1.0)], vec![Some(4.0), None]];
/// let result = assign_scores(&scores, &[1, 1]).unwrap();
/// // Both clients are matched (client 1 can only take guide 0), although 5 + 1 < 5 + 0 would tempt a greedy choice.
/// assert_eq!(result.pairs.len(), 2);
/// assert_eq!(result.total_score, 5.0);
/// ```
pub fn assign_scores(scores: &[Vec<Option<f64>>], capacities: &[u32]) -> Result<Assignment> {
    if scores.is_empty() {
        return Err(Error::invalid("scores", "has no rows; give one row per client"));
    }
    let columns = capacities.len();
    if columns == 0 {
        return Err(Error::invalid("capacities", "is empty; give one capacity per guide (column)"));
    }
    for (row, cells) in scores.iter().enumerate() {
        if cells.len() != columns {
            return Err(Error::invalid(
                format!("scores[{row}]"),
                format!("has {} columns, expected {columns} (one per capacity)", cells.len()),
            ));
        }
    }
    assign_cells((scores.len(), columns), capacities, Cells { cell: |r: usize, c: usize| scores[r][c], row: |_| None })
}

/// Assigns clients to guides from per-client lists of `(guide, score)`: the sparse form of
/// [`assign_scores`] for when most pairs are not allowed.
///
/// ```
/// use trialog_core::matching::assign_sparse;
/// let eligible = vec![vec![(0, 2.0), (1, 3.0)], vec![(1, 1.0)]];
/// let result = assign_sparse(&eligible, &[1, 1]).unwrap();
/// assert_eq!(result.total_score, 3.0); // 0→guide 0, 1→guide 1
/// ```
pub fn assign_sparse(eligible: &[Vec<(u32, f64)>], capacities: &[u32]) -> Result<Assignment> {
    solve_lists(eligible, capacities, |row, g| format!("eligible[{row}] guide {g}"))
}

/// The sparse solver on per-client lists, a bad score named by `place(row, guide)`.
pub(super) fn solve_lists(
    eligible: &[Vec<(u32, f64)>],
    capacities: &[u32],
    place: impl Fn(usize, u32) -> String,
) -> Result<Assignment> {
    Ok(Problem::build(eligible, capacities, place)?.solve())
}

/// Capacities given as signed numbers (JSON, Python), checked: a negative one names its place.
pub fn capacities_from_signed(values: &[i64]) -> Result<Vec<u32>> {
    values
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            u32::try_from(c).map_err(|_| {
                Error::invalid(format!("capacities[{i}]"), format!("is {c}; a capacity is a whole number from 0"))
            })
        })
        .collect()
}

/// A score as fixed-point units of [`SCORE_RESOLUTION`], checked.
pub(crate) fn score_units(score: f64, place: impl FnOnce() -> String) -> Result<i64> {
    if !score.is_finite() {
        return Err(Error::invalid(place(), format!("is {score}; scores must be finite numbers")));
    }
    if score.abs() > MAX_SCORE {
        return Err(Error::invalid(place(), format!("is {score}; scores must lie within ±{MAX_SCORE}")));
    }
    Ok(units(score))
}

/// A score within ±[`MAX_SCORE`] in units of [`SCORE_RESOLUTION`], rounded to the nearest
/// (halves away from zero) by integer truncation: `f64::round` is a library call on baseline
/// x86-64, and the dense path converts millions of scores.
pub(super) fn units(score: f64) -> i64 {
    let scaled = score * UNITS_PER_POINT;
    let whole = scaled as i64;
    // Exact: `whole` is `scaled` without its fraction, and |scaled| ≤ 10¹² < 2⁵².
    let rest = scaled - whole as f64;
    whole + i64::from(rest >= 0.5) - i64::from(rest <= -0.5)
}

/// Units per point: the inverse of [`SCORE_RESOLUTION`], exact in binary.
const UNITS_PER_POINT: f64 = 1e6;

/// A lexicographic cost (minus the number of matched clients, minus the score in units),
/// as one 128-bit integer with the count in the high 64 bits: while every score sum stays
/// within ±2⁶³ (see the module docs), integer order and arithmetic are the lexicographic ones,
/// without branches. Stored as two words so that it needs only 8-byte alignment (heap entries
/// stay at 24 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Cost {
    high: i64,
    low: u64,
}

impl Cost {
    fn new(count: i64, units: i64) -> Cost {
        Cost::from_i128((i128::from(count) << 64) + i128::from(units))
    }

    fn get(self) -> i128 {
        (i128::from(self.high) << 64) | i128::from(self.low)
    }

    fn from_i128(value: i128) -> Cost {
        Cost { high: (value >> 64) as i64, low: value as u64 }
    }
}

impl Ord for Cost {
    fn cmp(&self, other: &Cost) -> std::cmp::Ordering {
        self.get().cmp(&other.get())
    }
}

impl PartialOrd for Cost {
    fn partial_cmp(&self, other: &Cost) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Add for Cost {
    type Output = Cost;
    fn add(self, o: Cost) -> Cost {
        Cost::from_i128(self.get() + o.get())
    }
}

impl Sub for Cost {
    type Output = Cost;
    fn sub(self, o: Cost) -> Cost {
        Cost::from_i128(self.get() - o.get())
    }
}

const NONE: u32 = u32::MAX;

/// The allowed pairs in compressed rows (CSR), with their costs.
struct Problem<'a> {
    capacities: &'a [u32],
    offsets: Vec<usize>,
    guides: Vec<u32>,
    costs: Vec<Cost>,
    scores: Vec<f64>,
}

impl<'a> Problem<'a> {
    fn build(
        eligible: &[Vec<(u32, f64)>],
        capacities: &'a [u32],
        place: impl Fn(usize, u32) -> String,
    ) -> Result<Problem<'a>> {
        let total: usize = eligible.iter().map(Vec::len).sum();
        let mut problem = Problem {
            capacities,
            offsets: Vec::with_capacity(eligible.len() + 1),
            guides: Vec::with_capacity(total),
            costs: Vec::with_capacity(total),
            scores: Vec::with_capacity(total),
        };
        let mut last_seen = vec![NONE; capacities.len()];
        problem.offsets.push(0);
        for (row, pairs) in eligible.iter().enumerate() {
            for &(g, score) in pairs {
                let Some(seen) = last_seen.get_mut(g as usize) else {
                    return Err(Error::invalid(
                        format!("eligible[{row}]"),
                        format!("names guide {g}, but there are only {} guides", capacities.len()),
                    ));
                };
                if *seen == row as u32 {
                    return Err(Error::invalid(format!("eligible[{row}]"), format!("lists guide {g} twice")));
                }
                *seen = row as u32;
                let units = score_units(score, || place(row, g))?;
                problem.guides.push(g);
                problem.costs.push(Cost::new(-1, -units));
                problem.scores.push(score);
            }
            problem.offsets.push(problem.guides.len());
        }
        Ok(problem)
    }

    fn rows(&self) -> usize {
        self.offsets.len() - 1
    }

    fn edges(&self, row: usize) -> std::ops::Range<usize> {
        self.offsets[row]..self.offsets[row + 1]
    }

    fn solve(&self) -> Assignment {
        let mut flow = Flow::new(self);
        for row in 0..self.rows() {
            flow.place(row);
        }
        flow.into_assignment()
    }
}

/// A node of the residual graph as Dijkstra sees it. At equal distance the sink comes first
/// (the search ends sooner), then rows, then guides, each by index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Node {
    Sink,
    Row(u32),
    Guide(u32),
}

/// The current flow (who is assigned where), the potentials, and Dijkstra's scratch space.
struct Flow<'p, 'a> {
    problem: &'p Problem<'a>,
    /// The edge each row is assigned along, or NONE (its "stay unmatched" edge).
    assigned: Vec<usize>,
    /// The cost of that edge, kept by row: searches read it for every member of a guide, and
    /// the edge array is far larger than the rows.
    assigned_cost: Vec<Cost>,
    /// The rows assigned to each guide.
    members: Vec<Vec<u32>>,
    row_potential: Vec<Cost>,
    guide_potential: Vec<Cost>,
    sink_potential: Cost,
    search: Search,
}

/// Dijkstra's state for one search, reset cheaply between searches by a stamp.
struct Search {
    stamp: u32,
    row_seen: Vec<u32>,
    row_dist: Vec<Cost>,
    row_done: Vec<bool>,
    guide_seen: Vec<u32>,
    guide_dist: Vec<Cost>,
    guide_done: Vec<bool>,
    /// For a guide: the edge it was reached along (from that edge's row).
    guide_via: Vec<usize>,
    settled: Vec<Node>,
    heap: BinaryHeap<Reverse<(Cost, Node)>>,
}

/// How the sink was reached: from a guide with room, or along a row's "stay unmatched" edge.
enum Exit {
    Guide(u32),
    Unmatched(u32),
}

impl<'p, 'a> Flow<'p, 'a> {
    fn new(problem: &'p Problem<'a>) -> Self {
        let (rows, guides) = (problem.rows(), problem.capacities.len());
        Flow {
            problem,
            assigned: vec![usize::MAX; rows],
            assigned_cost: vec![Cost::default(); rows],
            members: vec![Vec::new(); guides],
            row_potential: vec![Cost::default(); rows],
            guide_potential: vec![Cost::default(); guides],
            sink_potential: Cost::default(),
            search: Search {
                stamp: 0,
                row_seen: vec![0; rows],
                row_dist: vec![Cost::default(); rows],
                row_done: vec![false; rows],
                guide_seen: vec![0; guides],
                guide_dist: vec![Cost::default(); guides],
                guide_done: vec![false; guides],
                guide_via: vec![0; guides],
                settled: Vec::new(),
                heap: BinaryHeap::new(),
            },
        }
    }

    /// Adds `row` to the flow along a shortest path to the sink, keeping the flow optimal.
    fn place(&mut self, row: usize) {
        let s = &mut self.search;
        s.stamp += 1;
        s.heap.clear();
        s.settled.clear();
        s.row_seen[row] = s.stamp;
        s.row_dist[row] = Cost::default();
        s.row_done[row] = false;
        s.heap.push(Reverse((Cost::default(), Node::Row(row as u32))));
        // The cheapest way to the sink offered so far; the first time the sink leaves the heap,
        // it is the shortest.
        let mut sink: Option<(Cost, Exit)> = None;
        while let Some(Reverse((dist, node))) = self.search.heap.pop() {
            match node {
                Node::Sink => break,
                Node::Row(r) => self.settle_row(r as usize, dist, &mut sink),
                Node::Guide(g) => self.settle_guide(g as usize, dist, &mut sink),
            }
        }
        let (sink_dist, exit) = sink.expect("every row can stay unmatched, so the sink is reachable");
        self.update_potentials(sink_dist);
        self.augment(row, exit);
    }

    /// Offers the sink at `dist` through `exit`, keeping the cheapest offer.
    fn offer_sink(&mut self, dist: Cost, exit: Exit, sink: &mut Option<(Cost, Exit)>) {
        if sink.as_ref().is_none_or(|(d, _)| dist < *d) {
            *sink = Some((dist, exit));
            self.search.heap.push(Reverse((dist, Node::Sink)));
        }
    }

    fn settle_row(&mut self, r: usize, dist: Cost, sink: &mut Option<(Cost, Exit)>) {
        let s = &mut self.search;
        if s.row_done[r] || dist > s.row_dist[r] {
            return;
        }
        s.row_done[r] = true;
        s.settled.push(Node::Row(r as u32));
        let base = dist + self.row_potential[r];
        // Staying unmatched costs (0, 0).
        self.offer_sink(base - self.sink_potential, Exit::Unmatched(r as u32), sink);
        let own = self.assigned[r];
        for e in self.problem.edges(r) {
            if e == own {
                continue;
            }
            let g = self.problem.guides[e] as usize;
            let d = base + self.problem.costs[e] - self.guide_potential[g];
            // Nothing at or beyond the best way to the sink found so far can lead to a shorter one.
            if sink.as_ref().is_some_and(|(bound, _)| d >= *bound) {
                continue;
            }
            let s = &mut self.search;
            if s.guide_seen[g] != s.stamp {
                s.guide_seen[g] = s.stamp;
                s.guide_done[g] = false;
            } else if s.guide_done[g] || d >= s.guide_dist[g] {
                continue;
            }
            s.guide_dist[g] = d;
            s.guide_via[g] = e;
            s.heap.push(Reverse((d, Node::Guide(g as u32))));
            // A guide with room leads straight to the sink; offering it now tightens the bound.
            if (self.members[g].len() as u32) < self.problem.capacities[g] {
                let to_sink = d + self.guide_potential[g] - self.sink_potential;
                self.offer_sink(to_sink, Exit::Guide(g as u32), sink);
            }
        }
    }

    fn settle_guide(&mut self, g: usize, dist: Cost, sink: &mut Option<(Cost, Exit)>) {
        let s = &mut self.search;
        if s.guide_done[g] || dist > s.guide_dist[g] {
            return;
        }
        s.guide_done[g] = true;
        s.settled.push(Node::Guide(g as u32));
        for i in 0..self.members[g].len() {
            let r = self.members[g][i] as usize;
            // The backward edge of an assigned pair; its reduced cost is zero, kept exactly.
            let d = dist + self.guide_potential[g] - self.assigned_cost[r] - self.row_potential[r];
            if sink.as_ref().is_some_and(|(bound, _)| d >= *bound) {
                continue;
            }
            let s = &mut self.search;
            if s.row_seen[r] != s.stamp {
                s.row_seen[r] = s.stamp;
                s.row_done[r] = false;
            } else if s.row_done[r] || d >= s.row_dist[r] {
                continue;
            }
            s.row_dist[r] = d;
            s.heap.push(Reverse((d, Node::Row(r as u32))));
        }
    }

    /// Moves the potentials of the settled nodes by `dist − sink_dist`, which keeps every
    /// residual edge's reduced cost non-negative (and the sink's potential unchanged).
    fn update_potentials(&mut self, sink_dist: Cost) {
        for node in &self.search.settled {
            match *node {
                Node::Row(r) => {
                    let r = r as usize;
                    self.row_potential[r] = self.row_potential[r] + self.search.row_dist[r] - sink_dist;
                }
                Node::Guide(g) => {
                    let g = g as usize;
                    self.guide_potential[g] = self.guide_potential[g] + self.search.guide_dist[g] - sink_dist;
                }
                Node::Sink => {}
            }
        }
    }

    /// Shifts the clients along the path found, ending at `exit`.
    fn augment(&mut self, start: usize, exit: Exit) {
        let mut guide = match exit {
            Exit::Guide(g) => g as usize,
            Exit::Unmatched(r) => {
                let r = r as usize;
                if r == start {
                    return;
                }
                let old = self.problem.guides[self.assigned[r]] as usize;
                self.leave(r, old);
                self.assigned[r] = usize::MAX;
                old
            }
        };
        loop {
            let e = self.search.guide_via[guide];
            let r = self.problem.offsets.partition_point(|&o| o <= e) - 1;
            let old = self.assigned[r];
            self.assigned[r] = e;
            self.assigned_cost[r] = self.problem.costs[e];
            self.members[guide].push(r as u32);
            if r == start || old == usize::MAX {
                return;
            }
            let previous = self.problem.guides[old] as usize;
            self.leave(r, previous);
            guide = previous;
        }
    }

    fn leave(&mut self, r: usize, g: usize) {
        let members = &mut self.members[g];
        if let Some(i) = members.iter().position(|&m| m as usize == r) {
            members.remove(i);
        }
    }

    fn into_assignment(self) -> Assignment {
        let p = self.problem;
        let mut pairs = Vec::new();
        let mut unmatched = Vec::new();
        for (row, &e) in self.assigned.iter().enumerate() {
            if e == usize::MAX {
                let any = !p.edges(row).is_empty();
                let reason = if any { UnmatchedReason::EligibleGuidesFull } else { UnmatchedReason::NoEligibleGuide };
                unmatched.push(UnmatchedClient { client: row as u32, reason });
            } else {
                pairs.push(AssignedPair { client: row as u32, guide: p.guides[e], score: p.scores[e] });
            }
        }
        let total_score = pairs.iter().map(|p| p.score).sum();
        Assignment { pairs, total_score, unmatched }
    }
}
