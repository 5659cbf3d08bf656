//! `trialog search`: one ranked list over published articles and forum threads the reader may
//! see, with thesaurus expansion, facets, filters, paging and typed errors, in the uniform
//! `{items, next_cursor}` JSON shape.

mod common;

use common::Trialog;
use serde_json::Value;

const TOPICS_CSV: &str = "topic,parent,lang,pref,alt,related\n\
cooperation,,de,Kooperation,Vernetzung|Netzwerkarbeit,\n\
cooperation,,en,Cooperation,networking,\n";

/// A platform with one published article, a public and a relatives-only board with a thread
/// each, all about cooperation with clinics.
fn platform() -> Trialog {
    let t = Trialog::initialised();
    let dir = t.db.parent().unwrap().to_path_buf();
    std::fs::write(dir.join("topics.csv"), TOPICS_CSV).unwrap();
    t.ok(&["topics", "import", dir.join("topics.csv").to_str().unwrap()]);
    for name in ["Redakteurin", "Zweitleser"] {
        t.ok(&["account", "add", name]);
        t.ok(&["account", "grant", name, "editor"]);
    }
    let article = t.json(&[
        "--as",
        "Redakteurin",
        "knowledge",
        "new",
        "--title",
        "Kooperation zwischen Selbsthilfe und Klinik",
        "--lang",
        "de",
        "--body",
        "Wie Kontaktstellen und Kliniken zusammenarbeiten: feste Ansprechpersonen, Sprechstunden.",
        "--topic",
        "cooperation",
    ]);
    let id = article["id"].to_string();
    t.ok(&["--as", "Redakteurin", "knowledge", "submit", &id]);
    t.ok(&["--as", "Zweitleser", "knowledge", "approve", &id]);
    t.ok(&["--as", "Redakteurin", "knowledge", "publish", &id]);
    t.ok(&["forum", "board", "add", "offen", "--title", "Offen", "--lang", "de", "--audience", "public"]);
    t.ok(&["forum", "board", "add", "angehoerige", "--title", "Angehörige", "--lang", "de", "--audience", "relative"]);
    t.ok(&["account", "add", "Ole_Test", "--perspective", "relative"]);
    t.ok(&["account", "add", "Tom_Test"]);
    let thread = |who: &str, board: &str, title: &str| {
        t.ok(&[
            "--as",
            who,
            "forum",
            "thread",
            "new",
            board,
            "--title",
            title,
            "--body",
            "Erfahrungen mit der Klinik?",
        ]);
    };
    thread("Tom_Test", "offen", "Selbsthilfegruppe stellt sich in der Klinik vor");
    thread("Ole_Test", "angehoerige", "Klinik und Angehörigengruppe");
    t
}

fn kinds(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|h| h["kind"].as_str().unwrap().to_string()).collect()
}

#[test]
fn one_query_finds_articles_and_threads_the_reader_may_see_with_facets() {
    let t = platform();
    let page = t.json(&["--as", "Tom_Test", "search", "Kooperation Selbsthilfe Klinik"]);
    assert!(page.get("next_cursor").is_some(), "uniform list shape: {page}");
    assert_eq!(kinds(&page), ["article", "thread"], "{page}");
    assert_eq!(page["items"][0]["slug"], "kooperation-zwischen-selbsthilfe-und-klinik");
    let facets = page["facets"].as_array().unwrap();
    assert!(facets.iter().any(|f| f["facet"] == "kind" && f["value"] == "thread" && f["count"] == 1), "{page}");
    // The relatives' board is searched for a relative only.
    let ole = t.json(&["--as", "Ole_Test", "search", "Klinik"]);
    assert_eq!(kinds(&ole).iter().filter(|k| *k == "thread").count(), 2, "{ole}");
    let tom = t.json(&["--as", "Tom_Test", "search", "Klinik"]);
    assert_eq!(kinds(&tom).iter().filter(|k| *k == "thread").count(), 1, "{tom}");
}

#[test]
fn a_synonym_from_the_thesaurus_finds_the_article_and_filters_narrow_it() {
    let t = platform();
    let page = t.json(&["search", "Vernetzung"]);
    assert_eq!(page["items"][0]["kind"], "article", "{page}");
    let why: Vec<&str> = page["items"][0]["matched"].as_array().unwrap().iter().map(|m| m.as_str().unwrap()).collect();
    assert!(why.contains(&"topic:cooperation"), "{why:?}");
    let threads = t.json(&["--as", "Tom_Test", "search", "Klinik", "--kind", "thread"]);
    assert_eq!(kinds(&threads), ["thread"]);
    let english = t.json(&["search", "Klinik", "--lang", "en"]);
    assert!(english["items"].as_array().unwrap().is_empty());
    let first = t.json(&["search", "Klinik", "--limit", "1"]);
    let cursor = first["next_cursor"].as_str().expect("a second page").to_string();
    let second = t.json(&["search", "Klinik", "--limit", "1", "--cursor", &cursor]);
    assert_ne!(first["items"][0], second["items"][0]);
}

#[test]
fn bad_queries_are_typed_errors_naming_the_field() {
    let t = platform();
    let long = "Klinik ".repeat(2000);
    let e = t.fails(&["search", &long], 1);
    assert_eq!(e["field"], "text", "{e}");
    let e = t.fails(&["search", "Klinik", "--topic", "no-such-topic"], 1);
    assert_eq!(e["field"], "topic", "{e}");
    let e = t.fails(&["search", "Klinik", "--kind", "poem"], 1);
    assert_eq!(e["field"], "kind", "{e}");
}

#[test]
fn the_demo_answers_one_query_with_articles_threads_and_postings_together() {
    let t = Trialog::new();
    let summary = t.json(&["demo"]);
    assert_eq!(summary["articles"], 30, "{}", summary["articles"]);
    let page = t.json(&["search", "Kooperation Selbsthilfe Klinik", "--limit", "100"]);
    let found = kinds(&page);
    for kind in ["article", "thread", "job"] {
        assert!(found.iter().any(|k| k == kind), "no {kind} among {found:?}");
    }
}
