//! The conventions every command keeps: one JSON shape for lists, quiet broken pipes, help for
//! every option, usage errors that name the argument, hints that fit the command, escaped
//! control characters, read-only files that can still be read, completions and a man page.

mod common;

use common::Trialog;
use serde_json::Value;

/// A demo platform, built once per test that needs one.
fn demo() -> Trialog {
    let trialog = Trialog::new();
    trialog.ok(&["demo"]);
    trialog
}

#[test]
fn every_list_in_json_is_items_and_next_cursor() {
    let t = demo();
    let lists: &[&[&str]] = &[
        &["org", "list"],
        &["account", "list"],
        &["audit", "list"],
        &["job", "search"],
        &["job", "export"],
        &["job", "views", "--total"],
        &["job", "interests", "1"],
        &["--as", "Kim_aus_Jena", "job", "interests", "--mine"],
        &["--as", "Kim_aus_Jena", "alert", "list"],
        &["--as", "Kim_aus_Jena", "inbox"],
        &["--as", "Kim_aus_Jena", "match", "suggest-jobs"],
        &["forum", "board", "list"],
        &["forum", "thread", "list", "ausbildung-ex-in"],
        &["forum", "thread", "show", "1"],
        &["forum", "post", "history", "1"],
        &["forum", "search", "EX-IN"],
        &["forum", "stats"],
        &["forum", "queue"],
        &["--as", "Kim_aus_Jena", "forum", "unread"],
        &["--as", "Kim_aus_Jena", "forum", "watch"],
        &["--as", "Beraterin_Lea", "counsel", "mine"],
        &["--as", "Beraterin_Lea", "counsel", "queue", "--org", "1"],
        &["--as", "Supervision_Jena", "counsel", "pending", "--org", "1"],
        &["counsel", "offers"],
        &["counsel", "topics"],
        &["counsel", "overdue"],
        &["match", "runs", "list"],
        &["mod", "queue"],
        &["mod", "log"],
        &["mod", "appeals"],
        &["mod", "words", "list"],
        &["mod", "resources", "list"],
        &["geo", "countries"],
    ];
    for args in lists {
        let value = t.json(args);
        assert!(value["items"].is_array(), "trialog {args:?} --json: no \"items\" list in {value}");
        let cursor = value.get("next_cursor").unwrap_or_else(|| panic!("trialog {args:?}: no next_cursor in {value}"));
        assert!(cursor.is_null() || cursor.is_string(), "trialog {args:?}: next_cursor is {cursor}");
    }
    let board = t.json(&["forum", "thread", "list", "ausbildung-ex-in"]);
    assert_eq!(board["board"]["slug"], "ausbildung-ex-in", "extra keys stay beside the items: {board}");
    let page = t.json(&["org", "list", "--limit", "2"]);
    assert!(page["next_cursor"].is_string(), "a first page of two says where the next begins: {page}");
}

#[test]
fn job_export_writes_json_lines_only_when_asked() {
    let t = demo();
    let document = t.json(&["job", "export"]);
    let postings = document["items"].as_array().unwrap().len();
    assert!(postings > 10, "{document}");
    let lines = t.ok(&["job", "export", "--json", "--format", "jsonl"]);
    assert_eq!(lines.lines().count(), postings);
    assert!(lines.lines().all(|line| serde_json::from_str::<Value>(line).is_ok()), "one posting per line");
}

#[test]
fn a_closed_stdout_ends_the_output_quietly() {
    let t = demo();
    for args in [&["job", "export", "--json"][..], &["job", "export"], &["org", "list"], &["demo", "--fresh"]] {
        let run = t.run_with_closed_stdout(args);
        assert_eq!(run.code, 0, "trialog {args:?} | head -1 should end quietly: {run:?}");
        assert!(!run.stderr.contains("panicked") && !run.stderr.contains("Broken pipe"), "{run:?}");
    }
}

#[test]
fn a_committed_write_never_reports_failure_because_stdout_closed() {
    let t = Trialog::initialised();
    let run = t.run_with_closed_stdout(&["account", "add", "Kim_Test"]);
    assert_eq!(run.code, 0, "`account add … | true` created the account, so it must not fail: {run:?}");
    assert_eq!(run.stderr, "", "nothing to report");
    assert_eq!(t.json(&["account", "show", "Kim_Test"])["pseudonym"], "Kim_Test");
    let again = t.run_with_closed_stdout(&["account", "add", "Kim_Test"]);
    assert_eq!(again.code, 3, "a real failure still fails: {again:?}");
}

#[test]
fn completions_and_a_man_page_are_generated() {
    let t = Trialog::new();
    for (shell, mark) in [
        ("bash", "_trialog"),
        ("zsh", "#compdef trialog"),
        ("fish", "complete -c trialog"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let script = t.ok(&["completions", shell]);
        assert!(script.contains(mark), "{shell} completions lack {mark:?}");
        assert!(script.contains("counsel") && script.contains("enquire"), "{shell} completions lack subcommands");
    }
    let page = t.ok(&["man"]);
    assert!(
        page.starts_with(".ie") || page.contains(".TH trialog"),
        "not a roff page: {}",
        &page[..200.min(page.len())]
    );
    assert!(page.contains("EXIT CODES") || page.contains("exit codes") || page.contains("usage error"), "{page}");
    assert!(!t.db.exists(), "neither command touches a database");
}

#[test]
fn help_explains_topics_and_arguments() {
    let t = Trialog::new();
    let enquire = t.ok(&["counsel", "enquire", "--help"]);
    for topic in ["job_and_career", "contracts_and_pay", "ex_in_training", "for_relatives"] {
        assert!(enquire.contains(topic), "`counsel enquire --help` does not list {topic}:\n{enquire}");
    }
    let approve = t.ok(&["counsel", "approve", "--help"]);
    assert!(approve.contains("The enquiry the reply belongs to"), "{approve}");
    assert!(approve.contains("message number"), "{approve}");
    let top = t.ok(&["--help"]);
    assert!(top.contains(r#"{"items": [...], "next_cursor": null | "..."}"#), "the JSON shapes are documented:\n{top}");
}

#[test]
fn usage_errors_in_json_name_the_missing_argument() {
    let t = Trialog::initialised();
    let missing = t.fails(&["account", "add"], 2);
    assert_eq!(missing["error"], "usage");
    assert_eq!(missing["argument"], "pseudonym", "{missing}");
    assert!(missing["message"].as_str().unwrap().contains("PSEUDONYM"), "{missing}");
    let option = t.fails(&["account", "silence", "Kim", "--days", "3"], 2);
    assert_eq!(option["argument"], "reason", "{option}");
}

#[test]
fn negative_numbers_name_their_field() {
    let t = Trialog::initialised();
    t.ok(&["account", "add", "Kim_Test"]);
    let json = t.fails(&["account", "silence", "Kim_Test", "--days", "-5", "--reason", "x"], 1);
    assert_eq!((json["error"].as_str(), json["field"].as_str()), (Some("invalid_input"), Some("days")), "{json}");
    assert!(json["message"].as_str().unwrap().starts_with("days: must be positive"), "{json}");
    let text = t.run(&["forum", "post", "restrict", "1", "silence", "--days", "-2", "--reason", "x"]);
    assert_eq!(text.code, 1, "{text:?}");
    assert!(text.stderr.starts_with("error: days: must be positive"), "{}", text.stderr);
    assert!(t.fails(&["org", "list", "--limit", "-1"], 1)["field"] == "limit");
}

#[test]
fn hints_belong_to_the_command_that_failed() {
    let t = Trialog::initialised();
    t.ok(&["account", "add", "Kim_Test"]);
    let alert = t.fails(&["--as", "Kim_Test", "alert", "add", ""], 1);
    let hint = alert["hint"].as_str().unwrap();
    assert!(hint.contains("saved search") && !hint.contains("organisation"), "{alert}");
    let org = t.fails(&["org", "add", "", "--kind", "clinic", "--region", "DE-TH"], 1);
    assert!(org["hint"].as_str().unwrap().contains("organisation"), "{org}");

    let radius = t.fails(&["job", "search", "--radius", "5"], 1);
    let said = format!("{} {}", radius["message"], radius["hint"]);
    assert!(!said.contains("`near`") && said.contains("--at"), "{radius}");

    let operator = t.fails(&["alert", "list"], 1);
    let hint = operator["hint"].as_str().unwrap();
    assert!(!hint.contains("leave out --as") && hint.contains("--as ACCOUNT"), "the operator gave no --as: {operator}");
    let account = t.fails(&["--as", "Kim_Test", "account", "list"], 1);
    assert!(account["hint"].as_str().unwrap().contains("leave out --as"), "{account}");
}

#[test]
fn control_characters_echoed_from_input_are_escaped() {
    let t = Trialog::initialised();
    let name = "Kim\u{1b}]0;owned\u{7}\u{1b}[2J";
    for args in [&["account", "show", name][..], &["--as", name, "org", "list"], &["org", "list", "--kind", name]] {
        let run = t.run(args);
        assert_ne!(run.code, 0);
        assert!(!run.stderr.contains('\u{1b}') && !run.stderr.contains('\u{7}'), "raw control characters: {run:?}");
        assert!(run.stderr.contains(r"\u{1b}"), "escaped, so the person sees what was typed: {run:?}");
    }
    let clap = t.run(&[name]);
    assert_eq!(clap.code, 2);
    assert!(!clap.stderr.contains('\u{1b}'), "clap's echo too: {clap:?}");
}

#[test]
fn a_read_only_database_can_still_be_read() {
    let t = Trialog::initialised();
    t.ok(&["org", "add", "Weg e.V.", "--kind", "association", "--region", "DE-TH"]);
    let mut permissions = std::fs::metadata(&t.db).unwrap().permissions();
    permissions.set_readonly(true);
    std::fs::set_permissions(&t.db, permissions).unwrap();
    let before = std::fs::read(&t.db).unwrap();

    assert_eq!(t.json(&["org", "list"])["items"][0]["name"], "Weg e.V.");
    let refused = t.fails(&["org", "add", "Neu e.V.", "--kind", "association", "--region", "DE-TH"], 4);
    assert!(refused["message"].as_str().unwrap().contains("read-only"), "{refused}");
    assert!(refused["hint"].as_str().unwrap().contains("writable"), "{refused}");
    assert!(std::fs::read(&t.db).unwrap() == before, "a read-only file stays as it was");
}

#[test]
fn geo_lookup_without_a_country_looks_in_every_loaded_country() {
    let t = Trialog::initialised();
    let file = t.db.with_file_name("places.txt");
    std::fs::write(
        &file,
        "DE\t07743\tJena\tThüringen\tTH\t\t00\t\t\t50.9271\t11.5892\t4\n\
         DK\t8000\tAarhus C\tRegion Midtjylland\t1082\t\t\t\t\t56.1567\t10.2108\t6\n\
         CH\t8000\tZürich\tKanton Zürich\tZH\t\t\t\t\t47.3667\t8.55\t4\n",
    )
    .unwrap();
    t.ok(&["geo", "import", file.to_str().unwrap()]);
    let both = t.json(&["geo", "lookup", "8000"]);
    let countries: Vec<&str> =
        both["items"].as_array().unwrap().iter().map(|p| p["country"].as_str().unwrap()).collect();
    assert_eq!(countries.len(), 2, "{both}");
    assert!(countries.contains(&"DK") && countries.contains(&"CH"), "{both}");
    assert_eq!(t.json(&["geo", "lookup", "07743"])["items"][0]["names"][0], "Jena");
    assert_eq!(t.json(&["geo", "lookup", "8000", "--country", "DK"])["country"], "DK");
    t.fails(&["geo", "lookup", "99999"], 3);
}
