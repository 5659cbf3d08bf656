//! `trialog match suggest-jobs`, `suggest-seekers` and `weights`.

mod common;

use common::Trialog;
use serde_json::Value;

/// A verified clinic in Jena with staff `Personal_Test`, a findable seeker `Kim_Test` in Jena
/// and two published postings: Jena (fits) and Hamburg (too far).
fn board() -> Trialog {
    let trialog = Trialog::initialised();
    let org = trialog.json(&["org", "add", "Soteria Jena (Test)", "--kind", "clinic", "--region", "DE-TH"]);
    let org = org["id"].as_u64().unwrap().to_string();
    trialog.ok(&["org", "verify", &org]);
    trialog.ok(&["account", "add", "Personal_Test", "--lang", "de"]);
    trialog.ok(&["account", "grant", "Personal_Test", &format!("employer_staff:{org}")]);
    trialog.ok(&["account", "add", "Kim_Test", "--lang", "de"]);
    trialog.ok(&[
        "--as",
        "Kim_Test",
        "seeker",
        "set",
        "--at",
        "50.93,11.59",
        "--max-km",
        "40",
        "--hours",
        "20-30",
        "--exin",
        "certified",
        "--lang",
        "de",
        "--findable",
        "--min-pay",
        "3000 EUR/month",
    ]);
    for (title, at) in [("Genesungsbegleitung Jena", "50.9272,11.5861"), ("Peer-Arbeit Hamburg", "53.55,9.99")] {
        trialog.ok(&[
            "--as",
            "Personal_Test",
            "job",
            "post",
            "--org",
            &org,
            "--title",
            title,
            "--description",
            "Wir suchen eine Genesungsbegleitung.",
            "--at",
            at,
            "--contract",
            "permanent",
            "--hours",
            "20-30",
            "--pay",
            "3300-4100",
            "--requirement",
            "certificate_required",
            "--lang",
            "de",
            "--publish",
        ]);
    }
    trialog
}

#[test]
fn a_seeker_gets_explained_job_suggestions() {
    let trialog = board();
    let found = trialog.json(&["--as", "Kim_Test", "match", "suggest-jobs"]);
    let items = found["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "Hamburg is beyond 40 km: {found}");
    assert_eq!(items[0]["job"]["title"], "Genesungsbegleitung Jena");
    let parts = items[0]["breakdown"].as_array().unwrap();
    let criteria: Vec<&str> = parts.iter().map(|p| p["criterion"].as_str().unwrap()).collect();
    assert_eq!(criteria, ["distance", "hours", "pay", "requirement", "recency"]);
    let sum: f64 = parts.iter().map(|p| p["points"].as_f64().unwrap()).sum();
    assert!((sum - items[0]["score"].as_f64().unwrap()).abs() < 1e-9, "{found}");
    let text = trialog.ok(&["match", "suggest-jobs", "--seeker", "Kim_Test"]);
    assert!(text.contains("Genesungsbegleitung Jena") && text.contains("at least the 3000 asked for"), "{text}");
    let denied = trialog.fails(&["--as", "Personal_Test", "match", "suggest-jobs", "--seeker", "Kim_Test"], 1);
    assert_eq!(denied["error"], "permission_denied");
}

#[test]
fn staff_see_findable_seekers_for_their_posting() {
    let trialog = board();
    let found = trialog.json(&["--as", "Personal_Test", "match", "suggest-seekers", "--job", "1"]);
    assert_eq!(found["items"][0]["seeker"]["pseudonym"], "Kim_Test", "{found}");
    assert_eq!(
        trialog.json(&["--as", "Personal_Test", "match", "suggest-seekers", "--job", "2"])["items"],
        Value::Array(vec![])
    );
    trialog.ok(&["--as", "Kim_Test", "seeker", "set", "--at", "50.93,11.59", "--lang", "de", "--exin", "certified"]);
    let hidden = trialog.json(&["--as", "Personal_Test", "match", "suggest-seekers", "--job", "1"]);
    assert_eq!(hidden["items"], Value::Array(vec![]), "a profile that is not findable is never suggested");
    let denied = trialog.fails(&["--as", "Kim_Test", "match", "suggest-seekers", "--job", "1"], 1);
    assert_eq!(denied["error"], "permission_denied");
}

#[test]
fn admins_change_the_weights_and_bad_values_name_the_field() {
    let trialog = board();
    let weights = trialog.json(&["match", "weights"]);
    assert_eq!(weights["distance"], 30.0);
    let changed = trialog.json(&["match", "weights", "--distance", "50", "--recency", "0"]);
    assert_eq!(
        (changed["distance"].as_f64(), changed["recency"].as_f64(), changed["pay"].as_f64()),
        (Some(50.0), Some(0.0), Some(20.0))
    );
    let found = trialog.json(&["--as", "Kim_Test", "match", "suggest-jobs"]);
    assert_eq!(found["items"][0]["breakdown"][4]["points"], 0.0, "recency now counts for nothing");
    assert_eq!(trialog.json(&["--as", "Kim_Test", "match", "weights"])["distance"], 50.0, "anyone may read them");
    let denied = trialog.fails(&["--as", "Kim_Test", "match", "weights", "--pay", "5"], 1);
    assert_eq!(denied["error"], "permission_denied");
    assert_eq!(trialog.fails(&["match", "weights", "--pay=-5"], 1)["field"], "weights.pay");
    assert_eq!(trialog.json(&["match", "weights", "--reset"])["distance"], 30.0);
}

#[test]
fn an_incomplete_profile_says_what_to_add() {
    let trialog = board();
    trialog.ok(&["--as", "Kim_Test", "seeker", "set", "--lang", "de"]);
    let error = trialog.fails(&["--as", "Kim_Test", "match", "suggest-jobs"], 1);
    assert_eq!(error["field"], "location");
    assert!(error["hint"].as_str().unwrap().contains("--remote"), "{error}");
    let error = trialog.fails(&["--as", "Kim_Test", "match", "suggest-jobs", "--limit", "0"], 1);
    assert_eq!(error["field"], "limit");
}
