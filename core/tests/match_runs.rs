//! Stored match runs: persistence, listing, decisions, the audit log, and re-matching without
//! declined pairs.

mod common;

use common::*;
use trialog_core::matching::{Applicant, Client, Guide, GuideAssignmentInput, Placement, StableInput};
use trialog_core::*;

fn guide(id: &str, capacity: u32) -> Guide {
    Guide {
        id: id.into(),
        capacity,
        languages: vec!["da".into()],
        gender: None,
        location: None,
        max_travel_km: None,
        topics: vec!["psychosis".into()],
        availability: vec![],
    }
}

fn client(id: &str, topics: &[&str]) -> Client {
    Client {
        id: id.into(),
        languages: vec!["da".into()],
        gender_preference: None,
        location: None,
        topics: topics.iter().map(|t| t.to_string()).collect(),
        availability: vec![],
    }
}

/// Mette shares psychosis with the client, Jonas does not: Mette is proposed first.
fn guides_input() -> RunInput {
    let mut jonas = guide("jonas", 1);
    jonas.topics = vec!["work".into()];
    RunInput::Guides {
        input: GuideAssignmentInput {
            guides: vec![guide("mette", 1), jonas],
            clients: vec![client("c1", &["psychosis"])],
            weights: None,
        },
    }
}

fn placements_input() -> RunInput {
    RunInput::Placements {
        input: StableInput {
            applicants: vec![
                Applicant { id: "ana".into(), preferences: vec!["clinic".into(), "club".into()] },
                Applicant { id: "ben".into(), preferences: vec!["club".into()] },
            ],
            placements: vec![
                Placement { id: "clinic".into(), capacity: 1, ranking: vec!["ana".into()] },
                Placement { id: "club".into(), capacity: 2, ranking: vec!["ben".into(), "ana".into()] },
            ],
        },
    }
}

fn partners(run: &MatchRun) -> Vec<(String, String)> {
    run.pairs.iter().map(|p| (p.person.clone(), p.partner.clone())).collect()
}

fn pair(person: &str, partner: &str) -> (String, String) {
    (person.into(), partner.into())
}

#[test]
fn a_declined_guide_is_not_proposed_again_in_the_cohort() {
    let p = platform_with(&clock());
    let runs = p.match_runs();
    let first = runs.run(&Actor::Operator, "Aarhus forår", &guides_input()).unwrap();
    assert_eq!(partners(&first), [pair("c1", "mette")]);
    assert_eq!(first.weights, Some(matching::ScoreWeights::default()), "the weights used are stored");
    runs.decline(&Actor::Operator, first.id, "c1", Some("they met before")).unwrap();

    let second = runs.run(&Actor::Operator, "Aarhus forår", &guides_input()).unwrap();
    assert_eq!(partners(&second), [pair("c1", "jonas")]);
    assert_eq!(second.excluded, [ExcludedPair { person: "c1".into(), partner: "mette".into(), declined_in: first.id }]);
    runs.decline(&Actor::Operator, second.id, "c1", None).unwrap();
    let third = runs.run(&Actor::Operator, "Aarhus forår", &guides_input()).unwrap();
    assert!(third.pairs.is_empty(), "both guides declined: {third:?}");
    assert_eq!(third.result.unmatched(), 1);

    let other = runs.run(&Actor::Operator, "Odense", &guides_input()).unwrap();
    assert_eq!(partners(&other), [pair("c1", "mette")], "another cohort is not affected");
}

#[test]
fn declined_pairs_are_left_out_of_matrix_runs_and_placement_rounds() {
    let p = platform_with(&clock());
    let runs = p.match_runs();
    let matrix =
        RunInput::Scores { scores: vec![vec![Some(9.0), Some(4.0)], vec![Some(8.0), None]], capacities: vec![1, 1] };
    let first = runs.run(&Actor::Operator, "matrix", &matrix).unwrap();
    assert_eq!(partners(&first), [pair("0", "1"), pair("1", "0")]);
    runs.decline(&Actor::Operator, first.id, "1", None).unwrap();
    let second = runs.run(&Actor::Operator, "matrix", &matrix).unwrap();
    assert_eq!(partners(&second), [pair("0", "0")], "row 1 has no other allowed guide");

    let round = runs.run(&Actor::Operator, "praktika", &placements_input()).unwrap();
    assert_eq!(partners(&round), [pair("ana", "clinic"), pair("ben", "club")]);
    assert!(round.pairs.iter().all(|p| p.score.is_none()));
    runs.accept(&Actor::Operator, round.id, "ben", None).unwrap();
    runs.decline(&Actor::Operator, round.id, "ana", None).unwrap();
    let again = runs.run(&Actor::Operator, "praktika", &placements_input()).unwrap();
    assert_eq!(partners(&again), [pair("ana", "club"), pair("ben", "club")]);
}

#[test]
fn decisions_are_final_logged_and_checked() {
    let p = platform_with(&clock());
    let runs = p.match_runs();
    let run = runs.run(&Actor::Operator, "praktika", &placements_input()).unwrap();
    let accepted = runs.accept(&Actor::Operator, run.id, "ana", Some("passt gut")).unwrap();
    let ana = &accepted.pairs[0];
    assert_eq!((ana.decision, ana.reason.as_deref()), (PairDecision::Accepted, Some("passt gut")));
    assert_eq!(ana.decided_by, Some(Actor::Operator));
    let err = runs.decline(&Actor::Operator, run.id, "ana", None).unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }), "{err:?}");
    assert_eq!(field_of(runs.accept(&Actor::Operator, run.id, "zoe", None)), "person");
    assert!(matches!(runs.accept(&Actor::Operator, 99, "ana", None), Err(Error::NotFound { .. })));
    assert_eq!(field_of(runs.run(&Actor::Operator, "  ", &placements_input())), "cohort");
    let bad = RunInput::Scores { scores: vec![vec![Some(1.0)], vec![]], capacities: vec![1] };
    assert_eq!(field_of(runs.run(&Actor::Operator, "x", &bad)), "scores[1]");

    let filter = AuditFilter { target: Some(format!("match_run:{}", run.id)), ..Default::default() };
    let log = p.audit().list(&Actor::Operator, &filter, &PageRequest::default()).unwrap().items;
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["match.accept", "match.run"], "newest first");
    assert_eq!(log[0].reason.as_deref(), Some("ana with clinic: passt gut"));
}

#[test]
fn runs_are_listed_newest_first_by_cohort_a_page_at_a_time() {
    let p = platform_with(&clock());
    let runs = p.match_runs();
    let mut ids = Vec::new();
    for i in 0..5 {
        let cohort = if i % 2 == 0 { "even" } else { "odd" };
        ids.push(runs.run(&Actor::Operator, cohort, &placements_input()).unwrap().id);
    }
    let mut seen = Vec::new();
    let mut page = PageRequest::first(2);
    loop {
        let result = runs.list(&Actor::Operator, &MatchRunFilter::default(), &page).unwrap();
        seen.extend(result.items.iter().map(|r| r.id));
        match result.next_cursor {
            Some(cursor) => page = PageRequest::after(cursor, 2),
            None => break,
        }
    }
    assert_eq!(seen, ids.iter().rev().copied().collect::<Vec<_>>());
    let even =
        runs.list(&Actor::Operator, &MatchRunFilter { cohort: Some("even".into()) }, &PageRequest::first(2)).unwrap();
    assert_eq!(even.items.iter().map(|r| r.id).collect::<Vec<_>>(), [ids[4], ids[2]]);
    let rest = PageRequest::after(even.next_cursor.unwrap(), 2);
    let even = runs.list(&Actor::Operator, &MatchRunFilter { cohort: Some("even".into()) }, &rest).unwrap();
    assert_eq!((even.items.iter().map(|r| r.id).collect::<Vec<_>>(), even.next_cursor), (vec![ids[0]], None));
    let summary = &even.items[0];
    assert_eq!((summary.kind, summary.pairs, summary.accepted, summary.unmatched), (RunKind::Placements, 2, 0, 0));
}

#[test]
fn runs_survive_closing_and_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("runs.redb");
    let id = {
        let p = Platform::open(&path, PlatformOptions::default()).unwrap();
        let clinic = org(&p, "Psykiatrisk Center Aarhus", "DK-82");
        let supervisor = account(&p, "Koordinatorin", &[Role::Supervisor { org: clinic.id }]);
        let actor = Actor::account(supervisor.id);
        let run = p.match_runs().run(&actor, "Aarhus forår", &guides_input()).unwrap();
        p.match_runs().decline(&actor, run.id, "c1", None).unwrap();
        run.id
    };
    let p = Platform::open(&path, PlatformOptions::default()).unwrap();
    let run = p.match_runs().get(&Actor::Operator, id).unwrap();
    assert_eq!(run.input, guides_input());
    assert_eq!(run.pairs[0].decision, PairDecision::Declined);
    assert!(matches!(run.run_by, Actor::Account { .. }));
    let next = p.match_runs().run(&Actor::Operator, "Aarhus forår", &guides_input()).unwrap();
    assert_eq!(partners(&next), [pair("c1", "jonas")], "the decline is remembered after reopening");
}

/// The solver runs outside the write transaction (issue 16, item 13): while a long solve of a
/// stored run is under way on a database file, another write goes through at once instead of
/// waiting for the solver. Were the solve inside the write, the write would wait for all of it.
#[test]
fn another_write_goes_through_while_a_long_solve_runs() {
    let dir = tempfile::tempdir().unwrap();
    let options = PlatformOptions { durability: Durability::Eventual, ..Default::default() };
    let p = Platform::open(dir.path().join("solve.redb"), options).unwrap();
    // A dense n × n matrix of scores that differ (a pseudo-random walk), for the exact solver;
    // n grows until a solve takes long enough to see a write overtake it (up to the cell limit).
    let matrix = |n: usize| {
        let mut seed = 7_u64;
        let mut next = || {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            Some((seed >> 40) as f64 / 1_000.0)
        };
        let scores: Vec<Vec<Option<f64>>> = (0..n).map(|_| (0..n).map(|_| next()).collect()).collect();
        RunInput::Scores { scores, capacities: vec![1; n] }
    };
    let (mut n, mut big, mut solve_alone) = (0, matrix(0), std::time::Duration::ZERO);
    for size in [500, 800, 1_100, 1_400] {
        (n, big) = (size, matrix(size));
        let started = std::time::Instant::now();
        big.solve().unwrap();
        solve_alone = started.elapsed();
        if solve_alone.as_millis() >= 400 {
            break;
        }
    }
    assert!(solve_alone.as_millis() >= 400, "a solve of {n} × {n} took only {solve_alone:?}");
    std::thread::scope(|s| {
        let solver = s.spawn(|| {
            let run = p.match_runs().run(&Actor::Operator, "big cohort", &big);
            (run, std::time::Instant::now())
        });
        // The run reads the declined pairs first, in a moment, then solves.
        std::thread::sleep(solve_alone / 8);
        org(&p, "Selvhjælp Aarhus", "DK-82");
        let written = std::time::Instant::now();
        let (run, solved) = solver.join().unwrap();
        // A write waiting for the solver's transaction could only end after the run returned.
        assert!(written < solved, "the write waited for the solve ({solve_alone:?} alone)");
        let run = run.unwrap();
        assert_eq!(run.pairs.len(), n);
        assert_eq!(p.match_runs().get(&Actor::Operator, run.id).unwrap().cohort, "big cohort");
    });
}

/// The cell limit is a platform option: a platform that allows 8 pairs refuses a 3 × 3 matrix
/// before solving, one with the default solves it.
#[test]
fn the_cell_limit_is_a_platform_option() {
    let input = RunInput::Scores { scores: vec![vec![Some(1.0); 3]; 3], capacities: vec![1; 3] };
    let small = Platform::in_memory_with(PlatformOptions { max_match_cells: 8, ..Default::default() }).unwrap();
    let refused = small.match_runs().run(&Actor::Operator, "c", &input).unwrap_err();
    assert!(refused.to_string().contains("at most 8 pairs"), "{refused}");
    assert_eq!(PlatformOptions::default().max_match_cells, trialog_core::matching::MAX_CELLS);
    let default = Platform::in_memory().unwrap();
    assert_eq!(default.match_runs().run(&Actor::Operator, "c", &input).unwrap().pairs.len(), 3);
}
