//! `trialog knowledge` and `trialog topics`: the editorial flow with four eyes, the due list,
//! revisions and diffs, Markdown folders in and out, topics CSV in and out, with --json in the
//! uniform list shape.

mod common;

use common::Trialog;
use serde_json::Value;

const TOPICS_CSV: &str = "topic,parent,lang,pref,alt,related\n\
peer-support,,de,Genesungsbegleitung,Peer-Arbeit|EX-IN-Arbeit,relatives\n\
peer-support,,en,Peer support,peer work,\n\
relatives,,de,Angehörige,Familie,\n";

fn editors() -> Trialog {
    let t = Trialog::initialised();
    let dir = t.db.parent().unwrap().to_path_buf();
    std::fs::write(dir.join("topics.csv"), TOPICS_CSV).unwrap();
    t.ok(&["topics", "import", dir.join("topics.csv").to_str().unwrap()]);
    for name in ["Redakteurin", "Zweitleser"] {
        t.ok(&["account", "add", name]);
        t.ok(&["account", "grant", name, "editor"]);
    }
    t
}

fn new_article(t: &Trialog) -> String {
    let a = t.json(&[
        "--as",
        "Redakteurin",
        "knowledge",
        "new",
        "--title",
        "Was ist Genesungsbegleitung?",
        "--lang",
        "de",
        "--body",
        "Erster Absatz.",
        "--topic",
        "peer-support",
    ]);
    a["id"].to_string()
}

#[test]
fn an_article_is_written_approved_by_a_second_editor_published_and_listed() {
    let t = editors();
    let id = new_article(&t);
    t.ok(&["--as", "Redakteurin", "knowledge", "submit", &id]);
    let own = t.fails(&["--as", "Redakteurin", "--json", "knowledge", "approve", &id], 1);
    assert_eq!(own["error"], "permission_denied", "{own}");
    let approved = t.json(&["--as", "Zweitleser", "knowledge", "approve", &id, "--next-due", "2099-01-01"]);
    assert_eq!(approved["next_check_due"], "2099-01-01");
    let published = t.json(&["--as", "Redakteurin", "knowledge", "publish", &id]);
    assert_eq!(published["state"], "published");
    let list = t.json(&["knowledge", "list", "--topic", "peer-support"]);
    assert_eq!(list["items"].as_array().unwrap().len(), 1);
    assert!(list.get("next_cursor").is_some(), "uniform list shape: {list}");
    let shown = t.json(&["knowledge", "show", "was-ist-genesungsbegleitung"]);
    assert_eq!(shown["article"]["id"].to_string(), id);
    assert!(t.ok(&["knowledge", "show", &id]).contains("Erster Absatz."));
    t.ok(&["--as", "Zweitleser", "knowledge", "edit", &id, "--body", "Erster Absatz.\nNeu."]);
    let revisions = t.json(&["--as", "Zweitleser", "knowledge", "revisions", &id]);
    assert_eq!(revisions["items"].as_array().unwrap().len(), 2);
    let diff = t.ok(&["--as", "Zweitleser", "knowledge", "diff", &id, "1", "2"]);
    assert!(diff.contains("+ Neu."), "{diff}");
    let due = t.json(&["--as", "Zweitleser", "knowledge", "due", "--on", "2100-01-01"]);
    assert!(due["items"].as_array().unwrap().is_empty(), "back in draft after the edit: not due");
}

#[test]
fn folders_of_markdown_import_all_or_nothing_and_export_back() {
    let t = editors();
    let dir = t.db.parent().unwrap().join("articles");
    std::fs::create_dir_all(dir.join("de")).unwrap();
    std::fs::write(
        dir.join("de/peer.md"),
        "---\ntitle: Peer-Arbeit\nlanguage: de\ntopics: peer-support\naudience: public\n---\nText.\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("de/kaputt.md"),
        "---\ntitle: Kaputt\nlanguage: de\ntopics: astro\naudience: public\n---\nText.\n",
    )
    .unwrap();
    let refused = t.fails(&["--as", "Redakteurin", "--json", "knowledge", "import", dir.to_str().unwrap()], 1);
    assert_eq!(refused["error"], "bad_files", "{refused}");
    let report = t.run(&["--as", "Redakteurin", "knowledge", "import", dir.to_str().unwrap()]);
    assert!(report.stdout.contains("de/kaputt.md:4: topics:"), "{}", report.stdout);
    assert!(t.json(&["--as", "Redakteurin", "knowledge", "list"])["items"].as_array().unwrap().is_empty());
    std::fs::remove_file(dir.join("de/kaputt.md")).unwrap();
    let done = t.json(&["--as", "Redakteurin", "knowledge", "import", dir.to_str().unwrap(), "--submit"]);
    assert_eq!(done["created"].as_array().unwrap().len(), 1);
    let out = t.db.parent().unwrap().join("export");
    t.ok(&["--as", "Redakteurin", "knowledge", "export", out.to_str().unwrap()]);
    let text = std::fs::read_to_string(out.join("de/peer.md")).unwrap();
    assert!(text.starts_with("---\ntitle: Peer-Arbeit\nlanguage: de\n"), "{text}");
}

#[test]
fn topics_are_added_listed_and_exported_as_csv_by_admins() {
    let t = editors();
    let added = t.json(&[
        "topics",
        "add",
        "kooperation",
        "--label",
        "de:Kooperation|Vernetzung|Netzwerkarbeit",
        "--related",
        "relatives",
    ]);
    assert_eq!(added["labels"][0]["alt"], serde_json::json!(["Vernetzung", "Netzwerkarbeit"]));
    let denied = t.fails(&["--as", "Redakteurin", "--json", "topics", "add", "x", "--label", "de:X"], 1);
    assert_eq!(denied["error"], "permission_denied");
    let list: Value = t.json(&["topics", "list"]);
    assert_eq!(list["items"].as_array().unwrap().len(), 3);
    let csv = t.ok(&["topics", "export"]);
    assert!(csv.starts_with("topic,parent,lang,pref,alt,related\n"), "{csv}");
    assert!(csv.contains("kooperation,,de,Kooperation,Vernetzung|Netzwerkarbeit,relatives"), "{csv}");
    let bad = t.db.parent().unwrap().join("bad.csv");
    std::fs::write(&bad, "topic,parent,lang,pref,alt,related\nBad Slug,,de,X,,\n").unwrap();
    let refused = t.fails(&["--json", "topics", "import", bad.to_str().unwrap()], 1);
    assert_eq!(refused["error"], "bad_rows");
}
