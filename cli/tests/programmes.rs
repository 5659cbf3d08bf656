//! `trialog programme ...`: an EX-IN programme with modules and a cohort, a trainee's progress,
//! a placement round ranked by both sides and run once, bad input naming the field, the
//! `{items, next_cursor}` list shape and help on every command.

mod common;

use common::Trialog;

fn id(v: &serde_json::Value) -> String {
    v["id"].as_u64().unwrap().to_string()
}

fn course(t: &Trialog, org: &str, title: &str) -> String {
    let c = t.json(&[
        "--as",
        "Orga",
        "course",
        "new",
        "--org",
        org,
        "--title",
        title,
        "--description",
        "Ein Modul.",
        "--language",
        "de",
        "--format",
        "online",
        "--capacity",
        "10",
        "--link",
        "https://meet.example.org/exin",
        "--session",
        "2031-03-04T09:00/2031-03-04T16:00",
    ]);
    id(&c)
}

/// `trialog --as Orga programme REST...`.
fn with<'a>(rest: &[&'a str]) -> Vec<&'a str> {
    [&["--as", "Orga", "programme"][..], rest].concat()
}

#[test]
fn an_ex_in_programme_runs_a_placement_round_once_and_records_its_pairs() {
    let t = Trialog::initialised();
    let org = id(&t.json(&["org", "add", "EX-IN Thüringen (Test)", "--kind", "association", "--region", "DE-TH"]));
    let clinic = id(&t.json(&["org", "add", "Klinikum (Test)", "--kind", "employer", "--region", "DE-TH"]));
    let centre = id(&t.json(&["org", "add", "Beratung (Test)", "--kind", "employer", "--region", "DE-TH"]));
    t.ok(&["account", "add", "Orga"]);
    t.ok(&["account", "grant", "Orga", &format!("employer_staff:{org}")]);
    for name in ["Ada", "Ben"] {
        t.ok(&["account", "add", name]);
    }
    let basics = course(&t, &org, "Salutogenese");
    let recovery = course(&t, &org, "Recovery");
    let bad = t.fails(
        &with(&["new", "--org", &org, "--title", "EX-IN", "--kind", "ex-in", "--module", &basics, "--module", &basics]),
        1,
    );
    assert_eq!(bad["field"], "modules[1].course", "a duplicate module: {bad}");
    let bad = t.fails(&with(&["new", "--org", &org, "--title", "EX-IN", "--kind", "ex-in", "--module", "999"]), 1);
    assert_eq!(bad["field"], "modules[0].course", "not a course: {bad}");
    let elective = format!("{recovery}:elective");
    let p = t.json(&with(&[
        "new",
        "--org",
        &org,
        "--title",
        "EX-IN Grundkurs",
        "--kind",
        "ex-in",
        "--module",
        &basics,
        "--module",
        &elective,
    ]));
    assert_eq!(p["kind"], "ex_in");
    assert_eq!(p["modules"][1]["elective"], true);
    let pid = id(&p);
    let p = t.json(&with(&[
        "cohort",
        "add",
        &pid,
        "--name",
        "Jena 2031",
        "--start",
        "2031-03-01",
        "--trainee",
        "Ada",
        "--trainee",
        "Ben",
    ]));
    let cohort = p["cohorts"][0]["id"].as_u64().unwrap().to_string();
    let bad = t.fails(&with(&["enrol", &pid, "--cohort", &cohort, "Ada"]), 1);
    assert_eq!(bad["field"], "trainees[0]", "enrolled twice: {bad}");
    let progress = t.json(&["--as", "Ada", "programme", "progress", &pid]);
    assert_eq!(progress["complete"], false);
    assert_eq!(progress["missing"].as_array().unwrap().len(), 2);
    let bad = t.fails(&["--as", "Ada", "programme", "exin-consent", &pid], 1);
    assert_eq!(bad["field"], "programme", "not complete: {bad}");
    let zero = format!("{clinic}:0");
    let bad = t.fails(&with(&["round", "open", &pid, "--cohort", &cohort, "--place", &zero]), 1);
    assert_eq!(bad["field"], "places[0].capacity", "{bad}");
    let (one, two) = (format!("{clinic}:1"), format!("{centre}:1"));
    let round = t.json(&with(&["round", "open", &pid, "--cohort", &cohort, "--place", &one, "--place", &two]));
    let rid = round["id"].as_u64().unwrap().to_string();
    let bad = t.fails(&with(&["round", "run", &rid]), 1);
    assert_eq!(bad["field"], "rankings", "incomplete rankings: {bad}");
    t.json(&["--as", "Ada", "programme", "round", "rank-hosts", &rid, &clinic, &centre]);
    t.json(&["--as", "Ben", "programme", "round", "rank-hosts", &rid, &clinic]);
    t.json(&with(&["round", "rank-trainees", &rid, "--host", &clinic, "Ben", "Ada"]));
    t.json(&with(&["round", "rank-trainees", &rid, "--host", &centre, "Ada"]));
    let run = t.json(&with(&["round", "run", &rid]));
    let pairs: Vec<(u64, u64)> = run["pairs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["trainee"].as_u64().unwrap(), p["org"].as_u64().unwrap()))
        .collect();
    let ada = t.json(&["account", "show", "Ada"])["id"].as_u64().unwrap();
    let ben = t.json(&["account", "show", "Ben"])["id"].as_u64().unwrap();
    let (clinic_id, centre_id) = (clinic.parse::<u64>().unwrap(), centre.parse::<u64>().unwrap());
    assert_eq!(pairs, [(ada, centre_id), (ben, clinic_id)]);
    t.fails(&with(&["round", "run", &rid]), 3);
    let shown = t.json(&with(&["show", &pid]));
    assert_eq!(shown["placements"].as_array().unwrap().len(), 2);
    let list = t.json(&with(&["list", "--org", &org]));
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert!(list["next_cursor"].is_null(), "{list}");
    let rounds = t.json(&with(&["rounds", &pid]));
    assert_eq!(rounds["items"].as_array().unwrap().len(), 1);
    let text = t.ok(&with(&["round", "show", &rid]));
    assert!(text.contains("Ben → Klinikum (Test)"), "{text}");
}

#[test]
fn every_programme_command_has_help() {
    let t = Trialog::new();
    let commands: &[&[&str]] = &[
        &["programme"],
        &["programme", "new"],
        &["programme", "show"],
        &["programme", "list"],
        &["programme", "cohort", "add"],
        &["programme", "enrol"],
        &["programme", "progress"],
        &["programme", "exin-consent"],
        &["programme", "rounds"],
        &["programme", "round", "open"],
        &["programme", "round", "rank-hosts"],
        &["programme", "round", "rank-trainees"],
        &["programme", "round", "run"],
        &["programme", "round", "show"],
    ];
    for command in commands {
        let help = t.ok(&[command, &["--help"][..]].concat());
        assert!(help.contains("Usage:"), "{command:?}: {help}");
    }
}
