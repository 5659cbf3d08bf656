//! `trialog counsel`: the client's and the counsellors' flows, administration and bad input
//! from the command line.

mod common;

use common::Trialog;
use serde_json::Value;

/// A platform with a content key file, one partner organisation (id 1) offering German, two
/// counsellors (Anna, Ben), a supervisor (Sabine) and a Danish counsellor elsewhere (Dana).
fn counselling() -> (Trialog, String) {
    let t = Trialog::initialised();
    let key = t.db.with_file_name("counsel.key").display().to_string();
    t.ok(&["counsel", "key", "new", &key]);
    t.ok(&["org", "add", "Beratung Jena", "--kind", "association", "--region", "DE-TH"]);
    t.ok(&["org", "add", "Rådgivning", "--kind", "association", "--region", "DK"]);
    t.ok(&["counsel", "offer", "1", "--lang", "de"]);
    t.ok(&["counsel", "offer", "2", "--lang", "da"]);
    for (who, role) in
        [("Anna", "counsellor:1"), ("Ben", "counsellor:1"), ("Sabine", "supervisor:1"), ("Dana", "counsellor:2")]
    {
        t.ok(&["account", "add", who]);
        t.ok(&["account", "grant", who, role]);
    }
    (t, key)
}

fn k<'a>(key: &'a str, args: &[&'a str]) -> Vec<&'a str> {
    [args, &["--content-key-file", key]].concat()
}

fn enquire(t: &Trialog, key: &str, text: &str) -> (String, String) {
    let opened =
        t.json(&k(key, &["counsel", "enquire", "--topic", "contracts_and_pay", "--lang", "de", "--body", text]));
    (opened["case_code"].as_str().unwrap().to_string(), opened["secret"].as_str().unwrap().to_string())
}

fn client(t: &Trialog, key: &str, args: &[&str], secret: &str) -> Value {
    let args = [k(key, args), vec!["--json"]].concat();
    let run = t.run_with_input(&args, &format!("{secret}\n"));
    assert_eq!(run.code, 0, "trialog {args:?} failed:\n{}", run.stderr);
    serde_json::from_str(&run.stdout).unwrap()
}

#[test]
fn a_client_and_a_counsellor_talk_through_the_command_line() {
    let (t, key) = counselling();
    let text = t.ok(&k(&key, &["counsel", "enquire", "--topic", "other", "--lang", "de", "--body", "Hallo?"]));
    assert!(text.contains("case code:") && text.contains("secret:"), "{text}");
    let (code, secret) = enquire(&t, &key, "Ist E 7 richtig für Genesungsbegleiter?");
    let queue = t.json(&["--as", "Anna", "counsel", "queue", "--org", "1"]);
    assert_eq!(queue["items"].as_array().unwrap().len(), 2);
    let id = queue["items"][1]["enquiry"].as_u64().unwrap().to_string();
    t.json(&["--as", "Anna", "counsel", "claim", &id]);
    let again = t.fails(&["--as", "Ben", "counsel", "claim", &id], 3);
    assert_eq!(again["error"], "conflict");
    t.json(&k(&key, &["--as", "Anna", "counsel", "note", &id, "--body", "intern"]));
    t.json(&k(&key, &["--as", "Anna", "counsel", "reply", &id, "--body", "Das hängt vom Tarif ab."]));
    let case = client(&t, &key, &["counsel", "client", "show", "--case", &code], &secret);
    assert_eq!(case["messages"].as_array().unwrap().len(), 2, "{case}");
    assert_eq!(case["unread"], 1);
    client(&t, &key, &["counsel", "client", "reply", "--case", &code, "--body", "Danke!"], &secret);
    let view = t.json(&k(&key, &["--as", "Anna", "counsel", "show", &id]));
    assert_eq!(view["messages"].as_array().unwrap().len(), 4);
    t.json(&["--as", "Anna", "counsel", "close", &id, "--reason", "answered"]);
    let reopened = client(&t, &key, &["counsel", "client", "reopen", "--case", &code], &secret);
    assert_eq!(reopened["state"], "in_progress");
    let audit = t.json(&["audit", "list", "--action", "counsel.read"]);
    assert_eq!(audit["items"].as_array().unwrap().len(), 1);
}

#[test]
fn wrong_secrets_missing_keys_and_bad_input_are_typed_errors() {
    let (t, key) = counselling();
    let (code, _) = enquire(&t, &key, "Frage");
    let run = t.run_with_input(&k(&key, &["counsel", "client", "show", "--case", &code, "--json"]), "WRONG\n");
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stderr.contains("permission_denied"), "{}", run.stderr);
    let no_key = t.fails(&["counsel", "enquire", "--topic", "other", "--lang", "de", "--body", "x"], 1);
    assert_eq!(no_key["field"], "content_key");
    let topic = t.fails(&k(&key, &["counsel", "enquire", "--topic", "astro", "--lang", "de", "--body", "x"]), 1);
    assert_eq!(topic["field"], "topic");
    let empty = t.fails(&k(&key, &["counsel", "enquire", "--topic", "other", "--lang", "de", "--body", " "]), 1);
    assert_eq!(empty["field"], "message");
    let outside = t.fails(&["counsel", "assign", "1", "--to", "Dana"], 1);
    assert_eq!(outside["field"], "counsellor");
    let admin_read = t.fails(&k(&key, &["counsel", "show", "1"]), 1);
    assert_eq!(admin_read["error"], "permission_denied");
}

#[test]
fn supervisors_approve_trainees_and_admins_see_stats_overdue_and_purge() {
    let (t, key) = counselling();
    t.ok(&["account", "add", "Tom"]);
    t.ok(&["account", "grant", "Tom", "counsellor:1"]);
    t.json(&["--as", "Sabine", "counsel", "profile", "set", "Tom", "--in-training", "--capacity", "3"]);
    let (code, secret) = enquire(&t, &key, "Erste Frage");
    let assigned = t.json(&["--as", "Sabine", "counsel", "assign", "1", "--auto"]);
    assert_eq!(assigned["counsellor"], 5, "Tom is the only counsellor with a profile: {assigned}");
    let reply = t.json(&k(&key, &["--as", "Tom", "counsel", "reply", "1", "--body", "Entwurf"]));
    assert_eq!(reply["awaiting_approval"], true);
    let pending = t.json(&["--as", "Sabine", "counsel", "pending", "--org", "1"]);
    let message = pending["items"][0]["message_id"].as_u64().unwrap().to_string();
    t.json(&k(&key, &["--as", "Sabine", "counsel", "approve", "1", &message]));
    let case = client(&t, &key, &["counsel", "client", "show", "--case", &code], &secret);
    assert_eq!(case["messages"].as_array().unwrap().len(), 2);
    let stats = t.json(&["counsel", "stats"]);
    assert_eq!(stats["enquiries"], Value::Null, "one enquiry is suppressed: {stats}");
    let overdue = t.json(&["counsel", "overdue", "--escalate"]);
    assert!(overdue["items"].as_array().unwrap().is_empty());
    let dry = t.json(&["counsel", "purge", "--dry-run"]);
    assert_eq!((dry["dry_run"].as_bool(), dry["purged"].as_u64()), (Some(true), Some(0)));
    let done = t.json(&["counsel", "purge", "--compact"]);
    assert_eq!(done["purged"].as_u64(), Some(0), "{done}");
    assert!(done["compaction"]["passes"].as_u64() >= Some(1), "no compaction in {done}");
    assert!(done["compaction"]["bytes_after"].as_u64().is_some(), "no file size in {done}");
    let topics = t.json(&["counsel", "topics"]);
    assert_eq!(topics["items"][0], "job_and_career");
}

#[test]
fn a_profile_change_keeps_what_it_does_not_name_and_show_changes_nothing() {
    let (t, _) = counselling();
    let full = ["--as", "Sabine", "counsel", "profile", "set", "Anna", "--capacity", "3", "--in-training"];
    t.json(&[&full[..], &["--lived-experience", "--gender", "female"]].concat());
    let shown = t.json(&["--as", "Sabine", "counsel", "profile", "show", "Anna"]);
    let saved = t.json(&["--as", "Sabine", "counsel", "profile", "set", "Anna", "--capacity", "7"]);
    assert_eq!(saved["capacity"], 7);
    for field in ["in_training", "lived_experience", "gender", "absence"] {
        assert_eq!(saved[field], shown[field], "{field} kept: {saved}");
    }
    assert_eq!((&saved["in_training"], &saved["gender"]), (&Value::Bool(true), &Value::from("female")));
    let ended = t.json(&["--as", "Sabine", "counsel", "profile", "set", "Anna", "--in-training", "false"]);
    assert_eq!((&ended["in_training"], &ended["capacity"]), (&Value::Bool(false), &Value::from(7)));
    let cleared = t.json(&["--as", "Sabine", "counsel", "profile", "set", "Anna", "--gender", "none"]);
    assert_eq!(cleared["gender"], Value::Null);
    let before = t.json(&["audit", "list", "--action", "counsel.profile"])["items"].as_array().unwrap().len();
    let text = t.ok(&["--as", "Sabine", "counsel", "profile", "show", "Anna"]);
    assert!(text.contains("capacity") && !text.contains("saved"), "{text}");
    let after = t.json(&["audit", "list", "--action", "counsel.profile"])["items"].as_array().unwrap().len();
    assert_eq!(before, after, "show writes nothing");
    let bad = t.fails(&["--as", "Sabine", "counsel", "profile", "set", "Anna", "--gender", "robot"], 1);
    assert_eq!(bad["field"], "gender");
}

#[test]
fn the_queue_shows_crisis_levels_and_reasons_most_urgent_first() {
    let (t, key) = counselling();
    enquire(&t, &key, "Wie hoch ist das Gehalt?");
    enquire(&t, &key, "Ich will nicht mehr leben.");
    enquire(&t, &key, "Ich habe meine Tabletten gesammelt, heute Nacht ist es so weit.");
    let queue = t.json(&["--as", "Anna", "counsel", "queue", "--org", "1"]);
    let items = queue["items"].as_array().unwrap();
    let levels: Vec<Value> = items.iter().map(|i| i["crisis_level"].clone()).collect();
    assert_eq!(levels, vec![Value::from("imminent"), Value::from("high"), Value::Null], "{queue}");
    assert!(items[0]["crisis_reasons"].as_array().unwrap().iter().any(|r| r.as_str().unwrap().contains("rule")));
    assert_eq!(items[2]["crisis_reasons"].as_array().unwrap().len(), 0);
    let table = t.ok(&["--as", "Anna", "counsel", "queue", "--org", "1"]);
    assert!(table.contains("LEVEL") && table.contains("WHY") && table.contains("imminent"), "{table}");
    assert!(!table.contains("Tabletten gesammelt, heute"), "the queue never shows the message: {table}");
    let id = items[0]["enquiry"].as_u64().unwrap().to_string();
    let claimed = t.ok(&["--as", "Anna", "counsel", "claim", &id]);
    assert!(claimed.contains("crisis level") && claimed.contains("imminent"), "{claimed}");
}
