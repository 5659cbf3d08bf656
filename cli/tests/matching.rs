//! `trialog match`: the example inputs in examples/matching, and bad input. No database is used.

mod common;

use std::path::PathBuf;

use common::Trialog;
use serde_json::Value;

fn example(name: &str) -> String {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "..", "examples", "matching", name].iter().collect();
    path.to_string_lossy().into_owned()
}

fn pairs(result: &Value, left: &str, right: &str) -> Vec<(String, String)> {
    let items = result["pairs"].as_array().expect("a result has pairs");
    items.iter().map(|p| (p[left].to_string().replace('"', ""), p[right].to_string().replace('"', ""))).collect()
}

#[test]
fn assign_guides_example_explains_pairs_and_names_the_unmatched() {
    let trialog = Trialog::new();
    let result = trialog.json(&["match", "assign", "--input", &example("assign-guides.json")]);
    assert_eq!(
        pairs(&result, "client", "guide"),
        [("client-1".into(), "mette".into()), ("client-2".into(), "aylin".into()), ("client-3".into(), "jonas".into())]
    );
    let breakdown = result["pairs"][0]["breakdown"].as_array().unwrap();
    assert_eq!(breakdown.len(), 5, "one part per criterion: {breakdown:?}");
    let sum: f64 = breakdown.iter().map(|p| p["points"].as_f64().unwrap()).sum();
    assert!((sum - result["pairs"][0]["score"].as_f64().unwrap()).abs() < 1e-9);
    assert_eq!(result["unmatched"][0]["client"], "client-4");
    assert_eq!(result["unmatched"][0]["reason"], "no_eligible_guide");
    assert!(!trialog.db.exists(), "matching needs no database file");
}

#[test]
fn assign_matrix_example_prefers_more_matches_over_a_greedy_score() {
    let trialog = Trialog::new();
    let result = trialog.json(&["match", "assign", "--input", &example("assign-matrix.json")]);
    assert_eq!(
        pairs(&result, "client", "guide"),
        [("0".into(), "1".into()), ("1".into(), "0".into()), ("2".into(), "2".into()), ("3".into(), "2".into())]
    );
    assert_eq!(result["total_score"], 20.0);
    let text = trialog.ok(&["match", "assign", "--input", &example("assign-matrix.json")]);
    assert!(text.contains("total score: 20 (4 of 5 clients matched)"), "{text}");
    assert!(text.contains("4: no eligible guide"), "{text}");
}

#[test]
fn stable_example_reports_unmatched_trainees_and_free_places() {
    let trialog = Trialog::new();
    let result = trialog.json(&["match", "stable", "--input", &example("stable.json")]);
    assert_eq!(
        pairs(&result, "applicant", "placement"),
        [
            ("trainee-ana".into(), "kiss-erfurt".into()),
            ("trainee-ben".into(), "recovery-college".into()),
            ("trainee-cem".into(), "kiss-erfurt".into()),
            ("trainee-dora".into(), "soteria-jena".into())
        ]
    );
    assert_eq!(result["unmatched_applicants"], serde_json::json!(["trainee-eli"]));
    assert_eq!(result["unfilled"], serde_json::json!([{"placement": "recovery-college", "free": 1}]));
}

#[test]
fn bad_input_names_the_place_and_exits_with_1() {
    let trialog = Trialog::new();
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_string_lossy().into_owned()
    };
    let ragged = write("ragged.json", r#"{"scores": [[1, 2], [3]], "capacities": [1, 1]}"#);
    let error = trialog.fails(&["match", "assign", "--input", &ragged], 1);
    assert_eq!(error["field"], "scores[1]");
    let negative = write("negative.json", r#"{"scores": [[1, 2]], "capacities": [1, -1]}"#);
    assert_eq!(trialog.fails(&["match", "assign", "--input", &negative], 1)["field"], "capacities[1]");
    let unknown = write(
        "unknown.json",
        r#"{"applicants": {"a": ["x"]}, "placements": {"p": {"capacity": 1, "ranking": ["a"]}}}"#,
    );
    let error = trialog.fails(&["match", "stable", "--input", &unknown], 1);
    assert_eq!(
        (error["field"].as_str(), error["reason"].as_str()),
        (Some("applicants.a"), Some("unknown placement 'x'"))
    );
    let neither = write("neither.json", r#"{"rows": []}"#);
    assert_eq!(trialog.fails(&["match", "assign", "--input", &neither], 1)["field"], "input");
    let missing = trialog.fails(&["match", "assign", "--input", "/nonexistent/in.json"], 4);
    assert_eq!(missing["error"], "storage");
}

#[test]
fn input_files_with_unknown_or_repeated_keys_are_refused_naming_the_key() {
    let trialog = Trialog::new();
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("assign", r#"{"scores": [[1, 2]], "capacities": [1, 1], "capacity": [5]}"#, "capacity"),
        ("assign", r#"{"scores": [[1, 2]], "capacities": [1, 1], "scores": [[9, 9]]}"#, "scores"),
        (
            "assign",
            r#"{"guides": [{"id": "g", "capacity": 1, "langauges": ["de"]}], "clients": []}"#,
            "guides[0].langauges",
        ),
        ("assign", r#"{"guides": [{"id": "g", "id": "h", "capacity": 1}], "clients": []}"#, "guides[0].id"),
        (
            "stable",
            r#"{"applicants": [{"id": "a", "preferences": ["p"], "rank": 1}], "placements": []}"#,
            "applicants[0].rank",
        ),
        (
            "stable",
            r#"{"applicants": {}, "placements": {"p": {"capacity": 1, "capacity": 2}}}"#,
            "placements.p.capacity",
        ),
        ("stable", r#"{"applicants": {}, "placements": {}, "rounds": 2}"#, "rounds"),
    ];
    for (i, (command, text, field)) in cases.iter().enumerate() {
        let path = dir.path().join(format!("input-{i}.json"));
        std::fs::write(&path, text).unwrap();
        let error = trialog.fails(&["match", command, "--input", path.to_str().unwrap()], 1);
        assert_eq!(error["field"], *field, "{text}: {error}");
    }
}

#[test]
fn an_input_of_more_than_two_million_pairs_is_refused_before_solving() {
    let trialog = Trialog::new();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.json");
    let applicants: Vec<String> = (0..1_500).map(|i| format!("\"a{i}\": []")).collect();
    let placements: Vec<String> = (0..1_500).map(|i| format!("\"p{i}\": {{\"capacity\": 1}}")).collect();
    let text =
        format!("{{\"applicants\": {{{}}}, \"placements\": {{{}}}}}", applicants.join(","), placements.join(","));
    std::fs::write(&path, text).unwrap();
    let started = std::time::Instant::now();
    let error = trialog.fails(&["match", "stable", "--input", path.to_str().unwrap()], 1);
    assert_eq!(error["field"], "input");
    assert!(error["message"].as_str().unwrap().contains("2250000"), "{error}");
    assert!(started.elapsed().as_secs() < 10);
}

/// Match input files are bounded like imports: `--max-size` refuses a larger file before it is
/// read, and a source without a size (a device) stops at the limit.
#[test]
fn match_input_is_refused_over_max_size() {
    let trialog = Trialog::new();
    let large = trialog.db.with_file_name("large.json");
    let row = format!("[{}1]", "1, ".repeat(999));
    std::fs::write(&large, format!("{{\"scores\": [{}], \"capacities\": [1]}}", vec![row; 400].join(", "))).unwrap();
    let large = large.display().to_string();
    let refused = trialog.fails(&["match", "assign", "--input", &large, "--max-size", "1"], 1);
    assert_eq!(refused["field"], "file", "{refused}");
    assert!(refused["hint"].as_str().unwrap().contains("--max-size"), "{refused}");
    let endless = trialog.fails(&["match", "stable", "--input", "/dev/zero", "--max-size", "1"], 1);
    assert!(endless["message"].as_str().unwrap().contains("over the limit of 1 MB"), "{endless}");
    assert_eq!(endless["field"], "file", "{endless}");
}

/// The cell limit is a setting: `--max-cells` refuses a matrix with more cells than it allows,
/// on a file alone and for a stored run, and a larger limit lets it through.
#[test]
fn max_cells_bounds_the_solver_on_files_and_stored_runs() {
    let trialog = Trialog::initialised();
    let input = trialog.db.with_file_name("three.json");
    std::fs::write(&input, r#"{"scores": [[1, 2, 3], [4, 5, 6], [7, 8, 9]], "capacities": [1, 1, 1]}"#).unwrap();
    let input = input.display().to_string();
    let refused = trialog.fails(&["match", "assign", "--input", &input, "--max-cells", "8"], 1);
    assert!(refused["message"].as_str().unwrap().contains("at most 8 pairs"), "{refused}");
    let stored = trialog.fails(&["match", "assign", "--input", &input, "--cohort", "c", "--max-cells", "8"], 1);
    assert!(stored["message"].as_str().unwrap().contains("at most 8 pairs"), "{stored}");
    assert_eq!(
        trialog.json(&["match", "assign", "--input", &input, "--max-cells", "9"])["pairs"].as_array().unwrap().len(),
        3
    );
    let run = trialog.json(&["match", "assign", "--input", &input, "--cohort", "c", "--max-cells", "9"]);
    assert_eq!(run["pairs"].as_array().unwrap().len(), 3, "{run}");
}
