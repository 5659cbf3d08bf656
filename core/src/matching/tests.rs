//! Optimality against brute force, stability, determinism and input errors of the solvers.

use proptest::prelude::*;

use super::*;
use crate::error::Error;

/// Score in fixed-point units, as the solver compares them.
fn units(score: f64) -> i64 {
    (score / SCORE_RESOLUTION).round() as i64
}

/// The best (matched count, total units) over every feasible assignment, by enumeration.
fn brute_force(scores: &[Vec<Option<f64>>], capacities: &[u32]) -> (usize, i64) {
    fn go(row: usize, scores: &[Vec<Option<f64>>], left: &mut [u32], count: usize, total: i64) -> (usize, i64) {
        if row == scores.len() {
            return (count, total);
        }
        let mut best = go(row + 1, scores, left, count, total);
        for (g, cell) in scores[row].iter().enumerate() {
            if let Some(s) = cell
                && left[g] > 0
            {
                left[g] -= 1;
                best = best.max(go(row + 1, scores, left, count + 1, total + units(*s)));
                left[g] += 1;
            }
        }
        best
    }
    go(0, scores, &mut capacities.to_vec(), 0, 0)
}

fn check_feasible(scores: &[Vec<Option<f64>>], capacities: &[u32], result: &Assignment) {
    let mut load = vec![0u32; capacities.len()];
    for pair in &result.pairs {
        let cell = scores[pair.client as usize][pair.guide as usize];
        assert_eq!(cell, Some(pair.score), "pair {pair:?} must be allowed and carry its score");
        load[pair.guide as usize] += 1;
    }
    for (g, (&l, &c)) in load.iter().zip(capacities).enumerate() {
        assert!(l <= c, "guide {g} has {l} clients but capacity {c}");
    }
    assert_eq!(result.pairs.len() + result.unmatched.len(), scores.len(), "every client is paired or listed unmatched");
}

fn matrix() -> impl Strategy<Value = (Vec<Vec<Option<f64>>>, Vec<u32>)> {
    (1usize..=6, 1usize..=4).prop_flat_map(|(rows, cols)| {
        // Few distinct scores, so that ties are common; negative ones too.
        let cell = prop_oneof![1 => Just(None), 3 => (-4i32..=8).prop_map(|s| Some(f64::from(s) / 2.0))];
        (prop::collection::vec(prop::collection::vec(cell, cols), rows), prop::collection::vec(0u32..=2, cols))
    })
}

/// Every pair allowed, up to `rows` × `columns`; capacities from 0 to 3, so that clients
/// sometimes outnumber places.
fn complete_matrix(rows: usize, columns: usize) -> impl Strategy<Value = (Vec<Vec<Option<f64>>>, Vec<u32>)> {
    (1usize..=rows, 1usize..=columns).prop_flat_map(|(rows, cols)| {
        let cell = (-4i32..=8).prop_map(|s| Some(f64::from(s) / 2.0));
        (prop::collection::vec(prop::collection::vec(cell, cols), rows), prop::collection::vec(0u32..=3, cols))
    })
}

/// The matched count and the total in units: what every optimal assignment shares.
fn outcome(result: &Assignment) -> (usize, i64) {
    (result.pairs.len(), result.pairs.iter().map(|p| units(p.score)).sum())
}

/// The allowed pairs of a matrix as per-client lists.
fn lists(scores: &[Vec<Option<f64>>]) -> Vec<Vec<(u32, f64)>> {
    scores.iter().map(|row| row.iter().enumerate().filter_map(|(g, s)| s.map(|s| (g as u32, s))).collect()).collect()
}

/// A random placement round: preference lists and rankings as random orderings of subsets.
fn round() -> impl Strategy<Value = (Vec<Vec<u32>>, Vec<Vec<u32>>, Vec<u32>)> {
    (1usize..=8, 1usize..=4).prop_flat_map(|(applicants, placements)| {
        let prefs = prop::collection::vec(subset_order(placements), applicants);
        let ranks = prop::collection::vec(subset_order(applicants), placements);
        (prefs, ranks, prop::collection::vec(0u32..=3, placements))
    })
}

/// A smaller round, for enumerating every matching.
fn small_round() -> impl Strategy<Value = (Vec<Vec<u32>>, Vec<Vec<u32>>, Vec<u32>)> {
    (1usize..=6, 1usize..=3).prop_flat_map(|(applicants, placements)| {
        let prefs = prop::collection::vec(subset_order(placements), applicants);
        let ranks = prop::collection::vec(subset_order(applicants), placements);
        (prefs, ranks, prop::collection::vec(0u32..=2, placements))
    })
}

fn subset_order(n: usize) -> impl Strategy<Value = Vec<u32>> {
    (Just((0..n as u32).collect::<Vec<_>>()).prop_shuffle(), 0..=n).prop_map(|(all, k)| all[..k].to_vec())
}

fn position(list: &[u32], x: u32) -> Option<usize> {
    list.iter().position(|&y| y == x)
}

/// Whether applicant `a` and placement `p` would both rather have each other than what
/// `placement_of` gives them.
fn blocks(
    prefs: &[Vec<u32>],
    ranks: &[Vec<u32>],
    caps: &[u32],
    placement_of: &[Option<u32>],
    a: usize,
    p: u32,
) -> bool {
    let Some(rank_a) = position(&ranks[p as usize], a as u32) else { return false };
    let current = placement_of[a].and_then(|q| position(&prefs[a], q)).unwrap_or(usize::MAX);
    if position(&prefs[a], p).is_none_or(|i| i >= current) {
        return false;
    }
    let held: Vec<usize> = (0..placement_of.len()).filter(|&b| placement_of[b] == Some(p)).collect();
    (held.len() as u32) < caps[p as usize]
        || held.iter().any(|&b| position(&ranks[p as usize], b as u32).is_some_and(|rank_b| rank_b > rank_a))
}

/// Every stable matching of a small round, by enumerating each applicant's options.
fn all_stable_matchings(prefs: &[Vec<u32>], ranks: &[Vec<u32>], caps: &[u32]) -> Vec<Vec<Option<u32>>> {
    fn go(
        a: usize,
        prefs: &[Vec<u32>],
        ranks: &[Vec<u32>],
        caps: &[u32],
        left: &mut [u32],
        current: &mut Vec<Option<u32>>,
        out: &mut Vec<Vec<Option<u32>>>,
    ) {
        if a == prefs.len() {
            let stable = (0..prefs.len()).all(|b| prefs[b].iter().all(|&p| !blocks(prefs, ranks, caps, current, b, p)));
            if stable {
                out.push(current.clone());
            }
            return;
        }
        current.push(None);
        go(a + 1, prefs, ranks, caps, left, current, out);
        current.pop();
        for &p in &prefs[a] {
            if left[p as usize] > 0 && position(&ranks[p as usize], a as u32).is_some() {
                left[p as usize] -= 1;
                current.push(Some(p));
                go(a + 1, prefs, ranks, caps, left, current, out);
                current.pop();
                left[p as usize] += 1;
            }
        }
    }
    let mut out = Vec::new();
    go(0, prefs, ranks, caps, &mut caps.to_vec(), &mut Vec::new(), &mut out);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn assignment_matches_the_brute_force_optimum((scores, capacities) in matrix()) {
        let result = assign_scores(&scores, &capacities).unwrap();
        check_feasible(&scores, &capacities, &result);
        let found = (result.pairs.len(), result.pairs.iter().map(|p| units(p.score)).sum::<i64>());
        prop_assert_eq!(found, brute_force(&scores, &capacities));
    }

    #[test]
    fn assignment_is_deterministic((scores, capacities) in matrix()) {
        prop_assert_eq!(assign_scores(&scores, &capacities).unwrap(), assign_scores(&scores, &capacities).unwrap());
    }

    #[test]
    fn sparse_and_dense_forms_agree((scores, capacities) in matrix()) {
        let sparse = assign_sparse(&lists(&scores), &capacities).unwrap();
        let dense = assign_scores(&scores, &capacities).unwrap();
        check_feasible(&scores, &capacities, &dense);
        prop_assert_eq!(outcome(&sparse), outcome(&dense));
    }

    #[test]
    fn complete_matrices_take_the_dense_path_to_the_brute_force_optimum((scores, capacities) in complete_matrix(6, 4)) {
        let result = assign_scores(&scores, &capacities).unwrap();
        check_feasible(&scores, &capacities, &result);
        prop_assert_eq!(outcome(&result), brute_force(&scores, &capacities));
        prop_assert_eq!(&result, &assign_scores(&scores, &capacities).unwrap(), "deterministic");
    }

    #[test]
    fn dense_path_reaches_the_sparse_optimum_on_larger_matrices((scores, capacities) in complete_matrix(40, 30)) {
        let dense = assign_scores(&scores, &capacities).unwrap();
        check_feasible(&scores, &capacities, &dense);
        let sparse = assign_sparse(&lists(&scores), &capacities).unwrap();
        prop_assert_eq!(outcome(&dense), outcome(&sparse));
    }

    #[test]
    fn units_round_like_f64_round(score in -MAX_SCORE..=MAX_SCORE, half in -2_000_000i64..=2_000_000) {
        prop_assert_eq!(super::assign::units(score), (score * 1e6).round() as i64);
        let halfway = half as f64 / 2e6; // exact halves of a unit, where rounding direction shows
        prop_assert_eq!(super::assign::units(halfway), (halfway * 1e6).round() as i64);
    }

    #[test]
    fn matrix_views_agree_with_nested_rows((scores, capacities) in matrix(), column_major in any::<bool>()) {
        let (rows, columns) = (scores.len(), capacities.len());
        let nan_for_forbidden = |r: usize, c: usize| scores[r][c].unwrap_or(f64::NAN);
        let flat: Vec<f64> = if column_major {
            (0..columns).flat_map(|c| (0..rows).map(move |r| nan_for_forbidden(r, c))).collect()
        } else {
            (0..rows).flat_map(|r| (0..columns).map(move |c| nan_for_forbidden(r, c))).collect()
        };
        let strides = if column_major { (1, rows) } else { (columns, 1) };
        let view = MatrixView::strided(&flat, (rows, columns), strides, "scores").unwrap();
        prop_assert_eq!(assign_matrix(view, None, &capacities).unwrap(), assign_scores(&scores, &capacities).unwrap());
    }

    #[test]
    fn placement_rounds_are_stable_and_within_capacity((prefs, ranks, caps) in round()) {
        let result = stable_match_indices(&prefs, &ranks, &caps).unwrap();
        prop_assert_eq!(&result, &stable_match_indices(&prefs, &ranks, &caps).unwrap(), "deterministic");
        let mut admitted: Vec<Vec<u32>> = vec![Vec::new(); caps.len()];
        for (a, p) in result.placement_of.iter().enumerate() {
            if let Some(p) = *p {
                prop_assert!(position(&prefs[a], p).is_some(), "applicant {} placed at {} it did not list", a, p);
                prop_assert!(position(&ranks[p as usize], a as u32).is_some(), "{} took {} unranked", p, a);
                admitted[p as usize].push(a as u32);
            }
        }
        for (p, list) in admitted.iter().enumerate() {
            prop_assert!(list.len() as u32 <= caps[p], "placement {} over capacity", p);
            prop_assert_eq!(result.free[p], caps[p] - list.len() as u32);
        }
        for (a, list) in prefs.iter().enumerate() {
            let current = result.placement_of[a].and_then(|p| position(list, p)).unwrap_or(usize::MAX);
            for &p in &list[..current.min(list.len())] {
                let Some(rank_a) = position(&ranks[p as usize], a as u32) else { continue };
                let has_room = (admitted[p as usize].len() as u32) < caps[p as usize];
                let worse_held = admitted[p as usize]
                    .iter()
                    .any(|&b| position(&ranks[p as usize], b).is_some_and(|rank_b| rank_b > rank_a));
                prop_assert!(!(has_room || worse_held), "applicant {} and placement {} block", a, p);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn placement_rounds_are_trainee_optimal_against_brute_force((prefs, ranks, caps) in small_round()) {
        let result = stable_match_indices(&prefs, &ranks, &caps).unwrap();
        let stable = all_stable_matchings(&prefs, &ranks, &caps);
        prop_assert!(stable.contains(&result.placement_of), "{:?} is not among the stable matchings {:?}", result.placement_of, stable);
        let choice = |a: usize, m: &[Option<u32>]| m[a].and_then(|p| position(&prefs[a], p)).unwrap_or(usize::MAX);
        for other in &stable {
            for a in 0..prefs.len() {
                prop_assert!(
                    choice(a, &result.placement_of) <= choice(a, other),
                    "applicant {} does better in the stable matching {:?} than in {:?}", a, other, result.placement_of
                );
            }
        }
    }
}

#[test]
fn cardinality_comes_before_score() {
    // Greedy would give client 0 guide 0 (score 9) and leave client 1 without a guide.
    let scores = vec![vec![Some(9.0), Some(1.0)], vec![Some(8.0), None]];
    let result = assign_scores(&scores, &[1, 1]).unwrap();
    let pairs: Vec<(u32, u32)> = result.pairs.iter().map(|p| (p.client, p.guide)).collect();
    assert_eq!(pairs, [(0, 1), (1, 0)]);
    assert_eq!(result.total_score, 9.0);
}

#[test]
fn capacities_let_one_guide_take_several_clients() {
    let scores = vec![vec![Some(1.0), Some(0.0)]; 3];
    let result = assign_scores(&scores, &[2, 5]).unwrap();
    let to_first = result.pairs.iter().filter(|p| p.guide == 0).count();
    assert_eq!((result.pairs.len(), to_first, result.total_score), (3, 2, 2.0));
}

#[test]
fn unmatched_clients_carry_their_reason() {
    let scores = vec![vec![Some(1.0), None], vec![Some(2.0), None], vec![None, None], vec![None, Some(1.0)]];
    let result = assign_scores(&scores, &[1, 0]).unwrap();
    let reasons: Vec<(u32, UnmatchedReason)> = result.unmatched.iter().map(|u| (u.client, u.reason)).collect();
    assert_eq!(
        reasons,
        [
            (0, UnmatchedReason::EligibleGuidesFull),
            (2, UnmatchedReason::NoEligibleGuide),
            (3, UnmatchedReason::EligibleGuidesFull)
        ]
    );
}

#[test]
fn bad_matrices_name_the_place() {
    let ragged = vec![vec![Some(1.0); 5], vec![Some(1.0); 5], vec![Some(1.0); 5], vec![Some(1.0); 4]];
    assert_eq!(
        assign_scores(&ragged, &[1; 5]).unwrap_err(),
        Error::invalid("scores[3]", "has 4 columns, expected 5 (one per capacity)")
    );
    let nan = vec![vec![Some(1.0), Some(f64::NAN)]];
    assert_eq!(
        assign_scores(&nan, &[1, 1]).unwrap_err(),
        Error::invalid("scores[0][1]", "is NaN; scores must be finite numbers")
    );
    let infinite = vec![vec![Some(f64::INFINITY)]];
    assert!(
        matches!(assign_scores(&infinite, &[1]), Err(Error::InvalidInput { field, .. }) if field == "scores[0][0]")
    );
    assert!(matches!(assign_scores(&[], &[1]), Err(Error::InvalidInput { field, .. }) if field == "scores"));
    assert_eq!(
        capacities_from_signed(&[1, -2]).unwrap_err(),
        Error::invalid("capacities[1]", "is -2; a capacity is a whole number from 0")
    );
    let unknown = assign_sparse(&[vec![(3, 1.0)]], &[1, 1]).unwrap_err();
    assert_eq!(unknown, Error::invalid("eligible[0]", "names guide 3, but there are only 2 guides"));
}

#[test]
fn a_mask_forbids_pairs_and_nan_does_too() {
    // Row-major 2 × 2: client 0 prefers guide 0, but the mask forbids it.
    let scores = [9.0, 1.0, 8.0, f64::NAN];
    let view = MatrixView::row_major(&scores, 2, 2, "scores").unwrap();
    let mask = [true, false, false, false];
    let forbidden = MatrixView::row_major(&mask, 2, 2, "forbidden").unwrap();
    let result = assign_matrix(view, Some(forbidden), &[1, 1]).unwrap();
    let pairs: Vec<(u32, u32)> = result.pairs.iter().map(|p| (p.client, p.guide)).collect();
    assert_eq!((pairs, result.total_score), (vec![(0, 1), (1, 0)], 9.0));
    let all_open = assign_matrix(view, Some(MatrixView::row_major(&[false; 4], 2, 2, "forbidden").unwrap()), &[1, 1]);
    assert_eq!(all_open.unwrap().total_score, 9.0, "NaN alone forbids client 1 → guide 1");
}

#[test]
fn more_clients_than_places_leaves_the_weakest_out_on_the_dense_path() {
    let scores = vec![vec![Some(1.0), Some(2.0)], vec![Some(5.0), Some(1.0)], vec![Some(3.0), Some(4.0)]];
    let result = assign_scores(&scores, &[1, 1]).unwrap();
    let pairs: Vec<(u32, u32)> = result.pairs.iter().map(|p| (p.client, p.guide)).collect();
    assert_eq!((pairs, result.total_score), (vec![(1, 0), (2, 1)], 9.0));
    assert_eq!(result.unmatched, [UnmatchedClient { client: 0, reason: UnmatchedReason::EligibleGuidesFull }]);
    let none = assign_scores(&scores, &[0, 0]).unwrap();
    assert_eq!((none.pairs.len(), none.unmatched.len()), (0, 3));
    let bad = vec![vec![Some(1.0)], vec![Some(f64::INFINITY)]];
    assert!(matches!(assign_scores(&bad, &[0]), Err(Error::InvalidInput { field, .. }) if field == "scores[1][0]"));
}

#[test]
fn bad_matrix_views_name_the_field() {
    assert_eq!(
        MatrixView::row_major(&[1.0; 5], 2, 3, "scores").unwrap_err(),
        Error::invalid("scores", "has 5 values, expected rows × columns = 2 × 3")
    );
    assert!(MatrixView::strided(&[1.0; 6], (2, 3), (3, 2), "scores").is_err(), "column stride 2 reaches index 7");
    let view = MatrixView::row_major(&[1.0, f64::INFINITY], 1, 2, "scores").unwrap();
    assert!(
        matches!(assign_matrix(view, None, &[1, 1]), Err(Error::InvalidInput { field, .. }) if field == "scores[0][1]")
    );
    let finite = MatrixView::row_major(&[1.0, 2.0], 1, 2, "scores").unwrap();
    assert_eq!(
        assign_matrix(finite, None, &[1]).unwrap_err(),
        Error::invalid("capacities", "has 1 entries, expected 2 (one per column of scores)")
    );
    let mask = MatrixView::row_major(&[false], 1, 1, "forbidden").unwrap();
    assert_eq!(
        assign_matrix(finite, Some(mask), &[1, 1]).unwrap_err(),
        Error::invalid("forbidden", "is 1 × 1, but scores is 1 × 2")
    );
}

fn applicant(id: &str, prefs: &[&str]) -> Applicant {
    Applicant { id: id.into(), preferences: prefs.iter().map(|s| s.to_string()).collect() }
}

fn placement(id: &str, capacity: u32, ranking: &[&str]) -> Placement {
    Placement { id: id.into(), capacity, ranking: ranking.iter().map(|s| s.to_string()).collect() }
}

#[test]
fn deferred_acceptance_is_trainee_optimal_and_reports_leftovers() {
    let input = StableInput {
        applicants: vec![
            applicant("ana", &["clinic", "club"]),
            applicant("ben", &["clinic", "club"]),
            applicant("cem", &["clinic"]),
        ],
        placements: vec![placement("clinic", 1, &["cem", "ana", "ben"]), placement("club", 2, &["ben", "ana"])],
    };
    let result = stable_match(&input).unwrap();
    let pairs: Vec<(&str, &str)> = result.pairs.iter().map(|p| (p.applicant.as_str(), p.placement.as_str())).collect();
    assert_eq!(pairs, [("ana", "club"), ("ben", "club"), ("cem", "clinic")]);
    assert!(result.unmatched_applicants.is_empty());
    assert!(result.unfilled.is_empty());

    let fewer = StableInput {
        applicants: vec![applicant("ana", &["club"])],
        placements: vec![placement("clinic", 1, &["ana"]), placement("club", 2, &["ana"])],
    };
    let result = stable_match(&fewer).unwrap();
    assert_eq!(result.pairs, [StablePair { applicant: "ana".into(), placement: "club".into() }]);
    let unfilled: Vec<(&str, u32)> = result.unfilled.iter().map(|u| (u.placement.as_str(), u.free)).collect();
    assert_eq!(unfilled, [("clinic", 1), ("club", 1)]);
}

#[test]
fn unknown_and_duplicate_ids_are_named_with_whose_list() {
    let unknown = StableInput {
        applicants: vec![applicant("ana", &["clinic", "zoo"])],
        placements: vec![placement("clinic", 1, &["ana"])],
    };
    assert_eq!(stable_match(&unknown).unwrap_err(), Error::invalid("applicants.ana", "unknown placement 'zoo'"));
    let duplicate = StableInput {
        applicants: vec![applicant("ana", &["clinic"])],
        placements: vec![placement("clinic", 1, &["ana", "ana"])],
    };
    assert_eq!(
        stable_match(&duplicate).unwrap_err(),
        Error::invalid("placements.clinic.ranking", "lists applicant 'ana' twice")
    );
    let twice = StableInput { applicants: vec![applicant("ana", &[]), applicant("ana", &[])], placements: vec![] };
    assert_eq!(stable_match(&twice).unwrap_err(), Error::invalid("applicants", "id 'ana' appears twice"));
}

#[test]
fn stable_json_accepts_maps_and_names_negative_capacities() {
    let json = serde_json::json!({
        "applicants": {"ana": ["clinic"], "ben": ["clinic"]},
        "placements": {"clinic": {"capacity": 1, "ranking": ["ben", "ana"]}}
    });
    let result = stable_match(&StableInput::from_json(&json).unwrap()).unwrap();
    assert_eq!(result.pairs, [StablePair { applicant: "ben".into(), placement: "clinic".into() }]);
    assert_eq!(result.unmatched_applicants, ["ana"]);
    let negative = serde_json::json!({"applicants": {}, "placements": {"clinic": {"capacity": -1}}});
    assert_eq!(
        StableInput::from_json(&negative).unwrap_err(),
        Error::invalid("placements.clinic.capacity", "is -1; must be 0 or more")
    );
}
