//! `trialog report`, `trialog appeal` and `trialog mod`: the review queue, actions and their
//! log, appeals, watched words, crisis resources and the trust rules from the command line.

mod common;

use common::Trialog;
use serde_json::Value;

/// A platform with an open and a pre-moderated board, two moderators and two members.
fn platform() -> Trialog {
    let t = Trialog::initialised();
    t.ok(&["forum", "board", "add", "austausch", "--title", "Austausch", "--lang", "de"]);
    t.ok(&["forum", "board", "add", "neu-hier", "--title", "Neu hier", "--lang", "de", "--premoderated"]);
    for name in ["Kim_Test", "Ole_Test", "Mod_A", "Mod_B"] {
        t.ok(&["account", "add", name]);
    }
    t.ok(&["account", "grant", "Mod_A", "moderator"]);
    t.ok(&["account", "grant", "Mod_B", "moderator"]);
    t
}

fn thread(t: &Trialog, who: &str, board: &str, body: &str) -> Value {
    t.json(&["--as", who, "forum", "thread", "new", board, "--title", "Thema", "--body", body])
}

fn n(v: &Value) -> String {
    v.as_u64().unwrap_or_else(|| panic!("not a number: {v}")).to_string()
}

#[test]
fn a_crisis_thread_is_held_on_a_premoderated_board_returns_resources_and_tops_the_queue() {
    let t = platform();
    let spam = thread(&t, "Ole_Test", "austausch", "Billig kaufen");
    let spam_post = format!("post:{}", n(&spam["post"]["id"]));
    t.json(&["--as", "Kim_Test", "report", &spam_post, "--reason", "spam"]);
    let crisis = thread(&t, "Kim_Test", "neu-hier", "Ich will nicht mehr leben");
    assert!(crisis["held"].is_string(), "{crisis}");
    assert_eq!(crisis["signposts"][0]["title"], "TelefonSeelsorge");
    let text =
        t.ok(&["--as", "Kim_Test", "forum", "thread", "new", "austausch", "--title", "t", "--body", "s.u.i.z.i.d"]);
    assert!(text.contains("116 123"), "{text}");
    let queue = t.json(&["--as", "Mod_A", "mod", "queue"]);
    assert_eq!(queue["items"][0]["crisis"], true, "{queue}");
    assert_eq!(queue["items"][0]["target"]["kind"], "thread");
    assert_eq!(queue["items"].as_array().unwrap().last().unwrap()["target"]["kind"], "post");
    let refused = t.fails(&["--as", "Kim_Test", "mod", "queue"], 1);
    assert_eq!(refused["error"], "permission_denied");
}

#[test]
fn moderators_claim_act_and_the_second_gets_a_conflict_and_the_log_hides_them_from_members() {
    let t = platform();
    let posted = thread(&t, "Ole_Test", "austausch", "Werbung");
    let target = format!("thread:{}", n(&posted["thread"]["id"]));
    t.json(&["--as", "Kim_Test", "report", &target, "--reason", "other", "--detail", "Werbung"]);
    let item = t.json(&["--as", "Mod_A", "mod", "queue"])["items"][0].clone();
    let (id, version) = (n(&item["id"]), n(&item["version"]));
    t.json(&["--as", "Mod_A", "mod", "claim", &id, "--seen", &version]);
    let stale = t.fails(&["--as", "Mod_B", "mod", "act", &id, "hide", "--reason", "Werbung", "--seen", &version], 3);
    assert_eq!(stale["error"], "conflict");
    let entry = t.json(&["--as", "Mod_A", "mod", "act", &id, "hide", "--reason", "Werbung"]);
    assert_eq!(entry["action"], "hide");
    let closed = t.fails(&["--as", "Mod_B", "mod", "act", &id, "remove", "--reason", "x"], 3);
    assert_eq!(closed["error"], "conflict");
    let public = t.json(&["--as", "Kim_Test", "mod", "log", "--target", &target]);
    assert_eq!(public["items"][0]["reason"], "Werbung");
    assert!(public["items"][0]["moderator"].is_null(), "{public}");
    let full = t.json(&["--as", "Mod_B", "mod", "log"]);
    assert!(full["items"][0]["moderator"].is_u64(), "{full}");
}

#[test]
fn an_appeal_overturns_a_removal_decided_by_another_moderator() {
    let t = platform();
    let posted = thread(&t, "Ole_Test", "austausch", "Meine Erfahrung");
    let thread_id = n(&posted["thread"]["id"]);
    t.json(&["--as", "Kim_Test", "report", &format!("thread:{thread_id}"), "--reason", "misinformation"]);
    let id = n(&t.json(&["--as", "Mod_A", "mod", "queue"])["items"][0]["id"]);
    let entry = t.json(&["--as", "Mod_A", "mod", "act", &id, "remove", "--reason", "Falsch"]);
    let action = n(&entry["id"]);
    let inbox = t.ok(&["--as", "Ole_Test", "inbox"]);
    assert!(inbox.contains("trialog appeal"), "{inbox}");
    let appeal = t.json(&["--as", "Ole_Test", "appeal", &action, "Das ist mein Erfahrungsbericht"]);
    let appeal_id = n(&appeal["id"]);
    let open = t.json(&["--as", "Mod_B", "mod", "appeals"]);
    assert_eq!(open["items"].as_array().unwrap().len(), 1);
    let refused = t.fails(&["--as", "Mod_A", "mod", "decide", &appeal_id, "overturned", "--reason", "ok"], 1);
    assert_eq!(refused["error"], "permission_denied");
    let decided = t.json(&["--as", "Mod_B", "mod", "decide", &appeal_id, "overturned", "--reason", "Bericht"]);
    assert_eq!(decided["outcome"], "overturned");
    let shown = t.json(&["--as", "Kim_Test", "forum", "thread", "show", &thread_id]);
    assert_eq!(shown["thread"]["state"], "visible");
}

#[test]
fn watched_words_are_listed_added_tested_and_removed() {
    let t = platform();
    let found = t.json(&["mod", "words", "test", "Ich denke an S.U.I.Z.I.D", "--lang", "de"]);
    assert_eq!((found["level"].as_str(), found["categories"][0].as_str()), (Some("high"), Some("suicidal_thoughts")));
    assert_eq!(found["findings"][0]["matched"], "S.U.I.Z.I.D");
    assert!(found["findings"][0]["reason"].as_str().unwrap().contains("suizid"), "{found}");
    t.json(&["mod", "words", "add", "de", "casino*", "--action", "block"]);
    let words = t.json(&["mod", "words", "list"]);
    assert!(words["items"].as_array().unwrap().iter().any(|w| w["pattern"] == "casino*" && w["action"] == "block"));
    let refused =
        t.fails(&["--as", "Kim_Test", "forum", "thread", "new", "austausch", "--title", "t", "--body", "Casinos!"], 1);
    assert_eq!((refused["error"].as_str(), refused["field"].as_str()), (Some("invalid_input"), Some("body")));
    let bad = t.fails(&["mod", "words", "add", "de", "su*zid", "--action", "flag"], 1);
    assert_eq!(bad["field"], "pattern");
    t.json(&["mod", "words", "remove", "de", "casino*"]);
    let denied = t.fails(&["--as", "Mod_A", "mod", "words", "add", "de", "x y", "--action", "flag"], 1);
    assert_eq!(denied["error"], "permission_denied");
}

#[test]
fn crisis_resources_and_rules_are_set_by_admins() {
    let t = platform();
    let dk = t.json(&["mod", "resources", "list", "--country", "DK", "--lang", "da"]);
    assert_eq!(dk["items"][0]["name"], "Livslinien");
    let listed = t.json(&["mod", "resources", "list"]);
    let entries = listed["items"].as_array().unwrap();
    assert!(entries.iter().all(|r| r["source"].is_string() && r["checked_on"].is_string()), "{listed}");
    let unsourced = t.fails(&["mod", "resources", "set", "AT", "Krisenhilfe", "--lang", "de", "--contact", "0"], 1);
    assert_eq!(unsourced["field"], "source", "verified only with a source");
    let source = "https://www.katholisch.at/telefonseelsorge";
    let set = ["set", "AT", "TelefonSeelsorge Österreich", "--lang", "de", "--contact", "142 (Notruf)"];
    t.json(&[&["mod", "resources"][..], &set, &["--source", source, "--checked", "2026-12-06"]].concat());
    let at = t.json(&["mod", "resources", "list", "--country", "AT"]);
    let line = at["items"].as_array().unwrap().iter().find(|r| r["name"] == "TelefonSeelsorge Österreich").unwrap();
    assert_eq!((line["contact"].as_str(), line["checked_on"].as_str()), (Some("142 (Notruf)"), Some("2026-12-06")));
    let bad = t.fails(&["mod", "resources", "set", "Austria", "X", "--contact", "1"], 1);
    assert_eq!(bad["field"], "country");
    let rules = t.json(&["mod", "settings", "--recommended"]);
    assert_eq!((rules["trust_posts"].as_u64(), rules["rate_limits"].as_bool()), (Some(3), Some(true)));
    let held = thread(&t, "Kim_Test", "austausch", "Hallo");
    assert!(held["held"].is_string(), "new accounts wait for approval: {held}");
    let limited =
        t.fails(&["--as", "Kim_Test", "forum", "thread", "new", "austausch", "--title", "t", "--body", "b"], 1);
    assert_eq!(limited["error"], "rate_limited");
    assert!(limited["retry_after_secs"].as_u64().unwrap() <= 10, "{limited}");
}

#[test]
fn bad_reports_name_the_field_or_say_not_found() {
    let t = platform();
    let missing = t.fails(&["--as", "Kim_Test", "report", "post:404", "--reason", "spam"], 3);
    assert_eq!(missing["error"], "not_found");
    let bad = t.fails(&["--as", "Kim_Test", "report", "forum:1", "--reason", "spam"], 1);
    assert_eq!(bad["field"], "target");
    let reason = t.fails(&["--as", "Kim_Test", "report", "account:1", "--reason", "rude"], 1);
    assert_eq!(reason["field"], "reason");
    let detail = t.fails(&["--as", "Kim_Test", "report", "account:1", "--reason", "other"], 1);
    assert_eq!(detail["field"], "detail");
}

#[test]
fn eval_measures_the_check_over_a_labelled_file() {
    let t = platform();
    let file = t.db.with_file_name("labelled.tsv");
    let rows = [
        "label\tcategory\tlevel\tlanguage\ttext",
        "crisis\tmethod_or_means\timminent\tde\tIch habe meine Schlaftabletten gesammelt.",
        "crisis\tpassive_death_wish\tconcern\ten\tThe sky is grey.",
        "ordinary\tnone\tnone\tde\tDie Hitze bringt mich um.",
    ];
    std::fs::write(&file, rows.join("\n")).unwrap();
    let path = file.to_str().unwrap();
    let report = t.json(&["mod", "eval", path, "--mistakes"]);
    let de = &report["languages"][0];
    assert_eq!(
        (de["language"].as_str(), de["recall"].as_f64(), de["false_alarm_rate"].as_f64()),
        (Some("de"), Some(1.0), Some(0.0))
    );
    assert_eq!(report["languages"][1]["recall"].as_f64(), Some(0.0), "{report}");
    assert_eq!(report["mistakes"][0]["line"], 3);
    let table = t.ok(&["mod", "eval", path]);
    assert!(table.contains("imminent rated imminent") && table.contains("100.0 % (1/1)"), "{table}");
    std::fs::write(&file, "label\ttext\nx\ty\n").unwrap();
    assert_eq!(t.fails(&["mod", "eval", path], 1)["field"], "header");
}
