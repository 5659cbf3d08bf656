//! `trialog match assign|stable --cohort` and `trialog match runs`: stored runs, decisions and
//! re-matching without declined pairs.

mod common;

use std::path::PathBuf;

use common::Trialog;
use serde_json::Value;

fn example(name: &str) -> String {
    let path: PathBuf = [env!("CARGO_MANIFEST_DIR"), "..", "examples", "matching", name].iter().collect();
    path.to_string_lossy().into_owned()
}

fn partner_of(run: &Value, person: &str) -> Option<String> {
    let pairs = run["pairs"].as_array().expect("a run has pairs");
    pairs.iter().find(|p| p["person"] == person).map(|p| p["partner"].as_str().unwrap().to_string())
}

#[test]
fn a_declined_pair_is_left_out_when_the_cohort_runs_again() {
    let trialog = Trialog::initialised();
    let guides = example("assign-guides.json");
    let first = trialog.json(&["match", "assign", "--input", &guides, "--cohort", "Aarhus 2026"]);
    assert_eq!(first["kind"], "guides");
    assert_eq!(partner_of(&first, "client-2").as_deref(), Some("aylin"));
    let id = first["id"].as_u64().unwrap().to_string();

    let declined = trialog.json(&["match", "runs", "decline", &id, "client-2", "--reason", "kennen sich privat"]);
    let pair = declined["pairs"].as_array().unwrap().iter().find(|p| p["person"] == "client-2").unwrap().clone();
    assert_eq!((pair["decision"].as_str(), pair["reason"].as_str()), (Some("declined"), Some("kennen sich privat")));
    let accepted = trialog.ok(&["match", "runs", "accept", &id, "client-1"]);
    assert!(accepted.contains("accepted client-1 with mette in run 1"), "{accepted}");
    let again = trialog.fails(&["match", "runs", "decline", &id, "client-1"], 3);
    assert_eq!(again["error"], "conflict");

    let second = trialog.ok(&["match", "assign", "--input", &guides, "--cohort", "Aarhus 2026"]);
    assert!(second.contains("left out: client-2 with aylin (declined in run 1)"), "{second}");
    assert!(second.contains("stored as run 2 of cohort 'Aarhus 2026'"), "{second}");
    let shown = trialog.json(&["match", "runs", "show", "2"]);
    assert_eq!(partner_of(&shown, "client-2").as_deref(), Some("mette"), "re-matched: {shown}");

    let other = trialog.json(&["match", "assign", "--input", &guides, "--cohort", "Odense"]);
    assert_eq!(partner_of(&other, "client-2").as_deref(), Some("aylin"), "another cohort keeps the pair");

    let all = trialog.json(&["match", "runs", "list"]);
    let ids: Vec<u64> = all["items"].as_array().unwrap().iter().map(|r| r["id"].as_u64().unwrap()).collect();
    assert_eq!(ids, [3, 2, 1], "newest first");
    let aarhus = trialog.json(&["match", "runs", "list", "--cohort", "Aarhus 2026", "--limit", "1"]);
    assert_eq!(aarhus["items"][0]["id"], 2);
    let cursor = aarhus["next_cursor"].as_str().unwrap().to_string();
    let rest = trialog.json(&["match", "runs", "list", "--cohort", "Aarhus 2026", "--limit", "1", "--cursor", &cursor]);
    assert_eq!((rest["items"][0]["id"].as_u64(), rest["items"][0]["declined"].as_u64()), (Some(1), Some(1)));
    assert!(rest["next_cursor"].is_null());

    let log = trialog.json(&["audit", "list", "--action", "match."]);
    let actions: Vec<&str> = log["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["match.run", "match.run", "match.accept", "match.decline", "match.run"]);
}

#[test]
fn placement_rounds_and_matrices_are_stored_too() {
    let trialog = Trialog::initialised();
    let text = trialog.ok(&["match", "stable", "--input", &example("stable.json"), "--cohort", "Praktika"]);
    assert!(text.contains("trainee-ana") && text.contains("stored as run 1"), "{text}");
    let matrix = trialog.json(&["match", "assign", "--input", &example("assign-matrix.json"), "--cohort", "Matrix"]);
    assert_eq!(
        (matrix["kind"].as_str(), matrix["result"]["result"]["total_score"].as_f64()),
        (Some("scores"), Some(20.0))
    );
    let listed = trialog.ok(&["match", "runs", "list"]);
    assert!(listed.contains("Praktika") && listed.contains("placements"), "{listed}");
}

#[test]
fn only_supervisors_and_admins_coordinate_and_files_alone_need_no_account() {
    let trialog = Trialog::initialised();
    let org = trialog.json(&["org", "add", "Psykiatrien Aarhus", "--kind", "clinic", "--region", "DK-82"]);
    let org = org["id"].as_u64().unwrap().to_string();
    trialog.ok(&["account", "add", "Koordinatorin"]);
    trialog.ok(&["account", "grant", "Koordinatorin", &format!("supervisor:{org}")]);
    trialog.ok(&["account", "add", "Mitglied"]);
    let guides = example("assign-guides.json");
    let run = trialog.json(&["--as", "Koordinatorin", "match", "assign", "--input", &guides, "--cohort", "A"]);
    assert_eq!(run["run_by"]["kind"], "account");
    let denied = trialog.fails(&["--as", "Mitglied", "match", "assign", "--input", &guides, "--cohort", "A"], 1);
    assert_eq!(denied["error"], "permission_denied");
    assert_eq!(trialog.fails(&["--as", "Mitglied", "match", "runs", "list"], 1)["error"], "permission_denied");
    let usage = trialog.fails(&["--as", "Mitglied", "match", "assign", "--input", &guides], 2);
    assert!(usage["message"].as_str().unwrap().contains("without --cohort"), "{usage}");
    let bad = trialog.fails(&["match", "assign", "--input", &guides, "--cohort", " "], 1);
    assert_eq!(bad["field"], "cohort");
    assert_eq!(trialog.fails(&["match", "runs", "show", "99"], 3)["error"], "not_found");
    assert_eq!(trialog.fails(&["match", "runs", "accept", "1", "nobody"], 1)["field"], "person");
}
