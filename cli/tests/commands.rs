//! The `trialog` commands as an operator uses them: output, exit codes and error objects.

mod common;

use common::Trialog;
use serde_json::{Value, json};
use trialog_core::{Platform, PlatformOptions};

fn add_org(trialog: &Trialog, name: &str, kind: &str, region: &str) -> u64 {
    let org = trialog.json(&["org", "add", name, "--kind", kind, "--region", region]);
    org["id"].as_u64().expect("the new organisation has an id")
}

fn names(page: &Value) -> Vec<String> {
    page["items"].as_array().expect("a page has items").iter().map(|o| o["name"].as_str().unwrap().into()).collect()
}

#[test]
fn init_creates_the_file_and_then_reports_it_up_to_date() {
    let trialog = Trialog::new();
    let first = trialog.json(&["init"]);
    assert_eq!(first["created"], true);
    assert_eq!(first["schema_version"], trialog_core::SCHEMA_VERSION);
    assert!(trialog.db.exists());
    let again = trialog.json(&["init"]);
    assert_eq!(again["created"], false);
    assert!(trialog.ok(&["init"]).contains("up to date (schema version"));
}

#[test]
fn commands_other_than_init_do_not_create_a_missing_file() {
    let trialog = Trialog::new();
    let error = trialog.fails(&["org", "list"], 3);
    assert_eq!(error["error"], "not_found");
    assert!(error["hint"].as_str().unwrap().contains("trialog init"), "{error}");
    assert!(!trialog.db.exists(), "a mistyped --db must not leave a file behind");
}

#[test]
fn organisations_are_added_listed_filtered_and_verified() {
    let trialog = Trialog::initialised();
    let jena = add_org(&trialog, "Soteria Jena (Test)", "clinic", "de-th");
    add_org(&trialog, "Peer-guides Aarhus (Test)", "association", "DK-82");

    let all = trialog.json(&["org", "list"]);
    assert_eq!(names(&all), ["Soteria Jena (Test)", "Peer-guides Aarhus (Test)"]);
    assert_eq!(all["items"][0]["region"], "DE-TH", "regions are upper-cased");
    assert_eq!(all["next_cursor"], Value::Null);

    let verified = trialog.json(&["org", "verify", &jena.to_string(), "--reason", "checked by phone"]);
    assert_eq!(verified["verified"], true);
    assert_eq!(names(&trialog.json(&["org", "list", "--verified"])), ["Soteria Jena (Test)"]);
    assert_eq!(names(&trialog.json(&["org", "list", "--unverified"])), ["Peer-guides Aarhus (Test)"]);
    assert_eq!(names(&trialog.json(&["org", "list", "--region", "DK"])), ["Peer-guides Aarhus (Test)"]);
    assert_eq!(
        names(&trialog.json(&["org", "list", "--kind", "clinic", "--name", "soteria"])),
        ["Soteria Jena (Test)"]
    );

    let revoked = trialog.json(&["org", "verify", &jena.to_string(), "--revoke"]);
    assert_eq!(revoked["verified"], false);
}

#[test]
fn lists_page_with_a_cursor_and_print_a_next_page_hint() {
    let trialog = Trialog::initialised();
    for city in ["Jena", "Erfurt", "Gera"] {
        add_org(&trialog, &format!("Kontaktstelle {city} (Test)"), "self_help_contact_point", "DE-TH");
    }
    let first = trialog.json(&["org", "list", "--limit", "2"]);
    assert_eq!(names(&first).len(), 2);
    let cursor = first["next_cursor"].as_str().expect("a full page has a cursor").to_string();
    let second = trialog.json(&["org", "list", "--limit", "2", "--cursor", &cursor]);
    assert_eq!(names(&second), ["Kontaktstelle Gera (Test)"]);

    let table = trialog.ok(&["org", "list", "--limit", "2"]);
    assert!(table.starts_with("ID  NAME"), "a table with a header:\n{table}");
    assert!(table.contains(&format!("next page: --cursor {cursor}")), "{table}");
}

#[test]
fn organisations_can_be_edited() {
    let trialog = Trialog::initialised();
    let id = add_org(&trialog, "Tagesklinik (Test)", "clinic", "DE-BY").to_string();
    let edited = trialog.json(&["org", "edit", &id, "--city", "München", "--website", "https://example.org/test"]);
    assert_eq!(edited["city"], "München");
    assert_eq!(trialog.json(&["org", "show", &id])["website"], "https://example.org/test");
}

#[test]
fn accounts_are_added_shown_granted_roles_and_suspended() {
    let trialog = Trialog::initialised();
    let org = add_org(&trialog, "Verein Jena (Test)", "association", "DE-TH");
    let added = trialog.json(&[
        "account",
        "add",
        "Kim_aus_Jena",
        "--perspective",
        "lived-experience",
        "--lang",
        "de,en",
        "--region",
        "de-th",
    ]);
    assert_eq!(added["perspective"], "lived_experience");
    assert_eq!(added["languages"], json!(["de", "en"]));

    let shown = trialog.json(&["account", "show", "kim_AUS_jena"]);
    assert_eq!(shown["id"], added["id"], "pseudonyms are found in any case");
    assert_eq!(shown["home_region"], "DE-TH");

    let granted = trialog.json(&["account", "grant", "Kim_aus_Jena", &format!("counsellor:{org}")]);
    assert!(granted["roles"].as_array().unwrap().contains(&json!({ "role": "counsellor", "org": org })), "{granted}");

    let id = added["id"].to_string();
    let suspended = trialog.json(&["account", "suspend", &id, "--days", "7", "--reason", "insults in the forum"]);
    assert_eq!(suspended["status"]["state"], "suspended");
    let human = trialog.ok(&["account", "show", &id]);
    assert!(human.contains("status:") && human.contains("suspended until"), "{human}");
    assert!(
        human.contains(&format!("counsellor:{org} (Verein Jena (Test))")),
        "roles name their organisation:\n{human}"
    );

    let reinstated = trialog.json(&["account", "reinstate", "Kim_aus_Jena", "--reason", "talked it through"]);
    assert_eq!(reinstated["status"]["state"], "active");
}

#[test]
fn suspension_ends_at_a_given_day_or_rejects_the_date_by_field() {
    let trialog = Trialog::initialised();
    trialog.ok(&["account", "add", "Sturmwind_99"]);
    let until = trialog.json(&["account", "suspend", "Sturmwind_99", "--until", "2099-01-01", "--reason", "spam"]);
    assert_eq!(until["status"]["until"], "2099-01-01T00:00:00Z");

    let error = trialog.fails(&["account", "silence", "Sturmwind_99", "--until", "soon", "--reason", "spam"], 1);
    assert_eq!(error["field"], "until");
    let past = trialog.fails(&["account", "silence", "Sturmwind_99", "--until", "2001-01-01", "--reason", "x"], 1);
    assert_eq!(past["field"], "until");
}

#[test]
fn accounts_are_listed_with_filters() {
    let trialog = Trialog::initialised();
    trialog.ok(&["account", "add", "Leuchtturm", "--perspective", "relative"]);
    trialog.ok(&["account", "add", "Havblik", "--perspective", "professional"]);
    trialog.ok(&["account", "grant", "Leuchtturm", "moderator"]);
    let moderators = trialog.json(&["account", "list", "--role", "moderator"]);
    assert_eq!(moderators["items"].as_array().unwrap().len(), 1);
    assert_eq!(moderators["items"][0]["pseudonym"], "Leuchtturm");
    let prefixed = trialog.json(&["account", "list", "--prefix", "hav", "--perspective", "professional"]);
    assert_eq!(prefixed["items"][0]["pseudonym"], "Havblik");
}

#[test]
fn a_member_may_not_verify_an_organisation() {
    let trialog = Trialog::initialised();
    let org = add_org(&trialog, "Peer-Arbeit Bielefeld (Test)", "employer", "DE-NW");
    trialog.ok(&["account", "add", "Kim_aus_Jena"]);
    let error = trialog.fails(&["--as", "Kim_aus_Jena", "org", "verify", &org.to_string()], 1);
    assert_eq!(error["error"], "permission_denied");
    assert_eq!(error["reason"], "only admins");
    let human = trialog.run(&["--as", "Kim_aus_Jena", "org", "verify", &org.to_string()]);
    assert!(human.stderr.starts_with("error: not allowed to verify an organisation"), "{}", human.stderr);
    assert!(human.stderr.contains("\nhint: "), "{}", human.stderr);
}

#[test]
fn an_admin_acting_with_as_is_named_in_the_audit_log() {
    let trialog = Trialog::initialised();
    let org = add_org(&trialog, "Kontaktstelle Erfurt (Test)", "self_help_contact_point", "DE-TH");
    trialog.ok(&["account", "add", "Redaktion_Anja"]);
    trialog.ok(&["account", "grant", "Redaktion_Anja", "admin"]);
    trialog.ok(&["--as", "Redaktion_Anja", "org", "verify", &org.to_string()]);
    let log = trialog.json(&["audit", "list", "--action", "org.verify"]);
    assert_eq!(log["items"][0]["actor_pseudonym"], "Redaktion_Anja");
}

#[test]
fn an_unknown_account_exits_with_3() {
    let trialog = Trialog::initialised();
    let error = trialog.fails(&["account", "show", "Niemand"], 3);
    assert_eq!(error["error"], "not_found");
    assert_eq!(error["what"], "account");
    assert!(error["hint"].as_str().unwrap().contains("trialog account list"), "{error}");
    assert_eq!(trialog.fails(&["--as", "Niemand", "org", "list"], 3)["error"], "not_found");
}

#[test]
fn a_bad_region_exits_with_1_and_names_the_field() {
    let trialog = Trialog::initialised();
    let error = trialog.fails(&["org", "add", "Klinik (Test)", "--kind", "clinic", "--region", "Thüringen"], 1);
    assert_eq!(error["error"], "invalid_input");
    assert_eq!(error["field"], "region");
    assert!(error["hint"].as_str().unwrap().contains("--region"), "{error}");
    let kind = trialog.fails(&["org", "add", "Klinik (Test)", "--kind", "hospital", "--region", "DE-TH"], 1);
    assert_eq!(kind["field"], "kind");
}

#[test]
fn a_duplicate_pseudonym_is_a_conflict_exiting_with_3() {
    let trialog = Trialog::initialised();
    trialog.ok(&["account", "add", "Sonnenblume"]);
    let error = trialog.fails(&["account", "add", "SONNENBLUME"], 3);
    assert_eq!(error["error"], "conflict");
    assert!(error["reason"].as_str().unwrap().contains("taken"), "{error}");
}

#[test]
fn a_database_held_by_another_process_exits_with_4() {
    let trialog = Trialog::initialised();
    let held = Platform::open(&trialog.db, PlatformOptions::default()).expect("the test opens the file first");
    let error = trialog.fails(&["org", "list"], 4);
    assert_eq!(error["error"], "database_in_use");
    assert_eq!(error["hint"], "another trialog process has the file open; close it or use --db");
    drop(held);
    trialog.ok(&["org", "list"]);
}

#[test]
fn the_audit_log_shows_a_grant_with_pseudonyms() {
    let trialog = Trialog::initialised();
    trialog.ok(&["account", "add", "Leuchtturm"]);
    trialog.ok(&["account", "grant", "Leuchtturm", "moderator", "--reason", "runs the Thursday forum"]);
    let log = trialog.json(&["audit", "list", "--target", "Leuchtturm"]);
    let grant = &log["items"][0];
    assert_eq!(grant["action"], "account.role.grant");
    assert_eq!(grant["actor"]["kind"], "operator");
    assert_eq!(grant["target_pseudonym"], "Leuchtturm");
    assert!(grant["reason"].as_str().unwrap().contains("runs the Thursday forum"), "{grant}");

    let table = trialog.ok(&["audit", "list", "--action", "account.role"]);
    let line = table.lines().nth(1).expect("one entry below the header");
    assert!(line.contains("operator") && line.contains("account.role.grant") && line.contains("Leuchtturm"), "{line}");
}

#[test]
fn passwords_come_from_stdin_and_are_checked() {
    let trialog = Trialog::initialised();
    trialog.ok(&["account", "add", "Beraterin_Lea"]);
    let set = trialog.run_with_input(&["account", "passwd", "Beraterin_Lea"], "lang-genug-und-geheim\n");
    assert_eq!(set.code, 0, "{set:?}");
    assert!(set.stdout.contains("password set for Beraterin_Lea"), "{set:?}");
    assert!(!trialog.ok(&["audit", "list"]).contains("lang-genug"), "the password never reaches the log");

    let short = trialog.run_with_input(&["--json", "account", "passwd", "Beraterin_Lea"], "kurz\n");
    assert_eq!(short.code, 1, "{short:?}");
    assert!(short.stderr.contains(r#""field":"password""#), "{short:?}");
}

#[test]
fn usage_errors_exit_with_2_and_are_json_under_json() {
    let trialog = Trialog::initialised();
    let error = trialog.fails(&["org", "lst"], 2);
    assert_eq!(error["error"], "usage");
    assert_eq!(trialog.run(&["account", "suspend", "Kim", "--reason", "x"]).code, 2, "--until or --days is required");
    assert_eq!(trialog.fails(&["--as", "Kim", "init"], 2)["error"], "usage");
}

#[test]
fn help_is_a_manual_with_exit_codes() {
    let trialog = Trialog::new();
    let help = trialog.ok(&["--help"]);
    for needle in ["EXIT CODES", "Perspectives", "Operator", "--as", "counsellor:3", "database is in use"] {
        assert!(help.contains(needle), "--help should mention {needle}:\n{help}");
    }
}

#[test]
fn check_passes_on_a_fresh_file() {
    let trialog = Trialog::initialised();
    let report = trialog.json(&["check"]);
    assert_eq!(report["file_intact"], true);
    assert_eq!(report["problems"], json!([]));
}
