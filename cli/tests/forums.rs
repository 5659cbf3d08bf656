//! `trialog forum`: boards, threads, posts, reading, search, statistics, watching and moderation
//! from the command line.

mod common;

use common::Trialog;
use serde_json::Value;

/// A platform with a public board, a relatives-only board, a pre-moderated board, a moderator
/// and three members: Kim (lived experience), Ole (relative) and Tom.
fn forum() -> Trialog {
    let t = Trialog::initialised();
    t.ok(&[
        "forum",
        "board",
        "add",
        "ausbildung-ex-in",
        "--title",
        "Ausbildung EX-IN",
        "--lang",
        "de",
        "--audience",
        "public",
    ]);
    t.ok(&["forum", "board", "add", "angehoerige", "--title", "Angehörige", "--lang", "de", "--audience", "relative"]);
    t.ok(&["forum", "board", "add", "neu-hier", "--title", "Neu hier", "--lang", "de", "--premoderated"]);
    t.ok(&["account", "add", "Kim_Test", "--perspective", "lived_experience"]);
    t.ok(&["account", "add", "Ole_Test", "--perspective", "relative"]);
    t.ok(&["account", "add", "Tom_Test"]);
    t.ok(&["account", "add", "Mod_Test"]);
    t.ok(&["account", "grant", "Mod_Test", "moderator"]);
    t
}

fn new_thread(t: &Trialog, who: &str, board: &str, title: &str, body: &str, extra: &[&str]) -> Value {
    let args = [&["--as", who, "forum", "thread", "new", board, "--title", title, "--body", body][..], extra].concat();
    t.json(&args)
}

fn id(value: &Value, path: &[&str]) -> String {
    let mut v = value;
    for key in path {
        v = &v[*key];
    }
    v.as_u64().unwrap_or_else(|| panic!("no id at {path:?} in {value}")).to_string()
}

#[test]
fn boards_are_added_listed_edited_and_archived_by_admins() {
    let t = forum();
    let boards = t.json(&["forum", "board", "list"]);
    let slugs: Vec<&str> =
        boards["items"].as_array().unwrap().iter().map(|o| o["board"]["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["ausbildung-ex-in", "angehoerige", "neu-hier"]);
    assert_eq!(
        boards["items"][1]["board"]["audience"],
        serde_json::json!({"kind": "perspectives", "perspectives": ["relative"]})
    );
    let kim = t.json(&["--as", "Kim_Test", "forum", "board", "list"]);
    assert_eq!(kim["items"].as_array().unwrap().len(), 2, "Kim is no relative: {kim}");

    let refused = t.fails(&["--as", "Kim_Test", "forum", "board", "add", "x-y", "--title", "X", "--lang", "de"], 1);
    assert_eq!(refused["error"], "permission_denied");
    let bad = t.fails(&["forum", "board", "add", "Nicht gut", "--title", "X", "--lang", "de"], 1);
    assert_eq!(bad["field"], "slug");
    assert!(bad["hint"].as_str().unwrap().contains("lower-case"), "{bad}");
    let audience = t.fails(&["forum", "board", "add", "neu", "--title", "X", "--lang", "de", "--audience", "alle"], 1);
    assert_eq!(audience["field"], "audience");

    let edited =
        t.json(&["forum", "board", "edit", "neu-hier", "--title", "Neu hier – Willkommen", "--moderation", "open"]);
    assert_eq!(
        (edited["title"].as_str(), edited["moderation"].as_str()),
        (Some("Neu hier – Willkommen"), Some("open"))
    );
    let archived = t.json(&["forum", "board", "archive", "3"]);
    assert_eq!(archived["archived"], true);
    let closed =
        t.fails(&["--as", "Tom_Test", "forum", "thread", "new", "neu-hier", "--title", "Hallo", "--body", "Text"], 3);
    assert_eq!(closed["error"], "conflict");
    assert_eq!(t.json(&["forum", "board", "archive", "neu-hier", "--undo"])["archived"], false);
    let unknown = t.fails(&["forum", "thread", "list", "gibt-es-nicht"], 3);
    assert!(unknown["hint"].as_str().unwrap().contains("forum board list"), "{unknown}");
}

#[test]
fn threads_and_replies_with_anonymity_quotes_edits_and_deletion() {
    let t = forum();
    let started = new_thread(
        &t,
        "Kim_Test",
        "ausbildung-ex-in",
        "EX-IN in Jena?",
        "Wo gibt es Kurse?",
        &["--tag", "ex-in,jena", "--anonymous"],
    );
    assert_eq!(started["thread"]["tags"], serde_json::json!(["ex-in", "jena"]));
    assert_eq!(started["post"]["author"]["yours"], true);
    let thread = id(&started, &["thread", "id"]);
    let first = id(&started, &["post", "id"]);

    let for_ole = t.json(&["--as", "Ole_Test", "forum", "thread", "show", &thread]);
    assert_eq!(for_ole["items"][0]["author"]["name"], "anonymous");
    assert!(for_ole["items"][0]["author"]["account"].is_null());
    let for_operator = t.json(&["forum", "thread", "show", &thread]);
    assert_eq!(
        for_operator["items"][0]["author"]["name"], "Kim_Test",
        "the operator (like an admin) sees who wrote it"
    );

    let answer = t.json(&[
        "--as",
        "Ole_Test",
        "forum",
        "post",
        "add",
        &thread,
        "--reply-to",
        &first,
        "--body",
        "> Wo gibt es Kurse?\n\nIn Erfurt!",
    ]);
    assert_eq!(answer["post"]["reply_to"].as_u64().unwrap().to_string(), first);
    assert_eq!(answer["post"]["excerpt"], "In Erfurt!");
    let reply = id(&answer, &["post", "id"]);

    let other = new_thread(&t, "Tom_Test", "ausbildung-ex-in", "Anderes Thema", "Text", &[]);
    let other_thread = id(&other, &["thread", "id"]);
    let across =
        t.fails(&["--as", "Tom_Test", "forum", "post", "add", &other_thread, "--reply-to", &reply, "--body", "x"], 1);
    assert_eq!(across["field"], "reply_to");
    assert!(across["hint"].as_str().unwrap().contains("same thread"), "{across}");
    let empty = t.fails(&["--as", "Tom_Test", "forum", "post", "add", &thread, "--body", "  "], 1);
    assert_eq!(empty["field"], "body");

    let from_stdin = t.run_with_input(
        &["--as", "Tom_Test", "--json", "forum", "post", "add", &thread, "--body-file", "-"],
        "Aus einer Datei.\n",
    );
    assert_eq!(from_stdin.code, 0, "{from_stdin:?}");
    let edited = t.json(&["--as", "Ole_Test", "forum", "post", "edit", &reply, "--body", "In Erfurt, ab Oktober!"]);
    assert_eq!(edited["post"]["body"], "In Erfurt, ab Oktober!");
    let history = t.json(&["--as", "Ole_Test", "forum", "post", "history", &reply]);
    assert_eq!(history["items"].as_array().unwrap().len(), 1, "an edit right away merges: {history}");
    let refused = t.fails(&["--as", "Tom_Test", "forum", "post", "history", &reply], 1);
    assert_eq!(refused["error"], "permission_denied");

    let deleted = t.json(&["--as", "Ole_Test", "forum", "post", "delete", &reply]);
    assert_eq!((deleted["deleted"].as_bool(), deleted["body"].as_str()), (Some(true), Some("")));
    let text = t.ok(&["--as", "Tom_Test", "forum", "thread", "show", &thread]);
    assert!(text.contains("(deleted by the author)"), "{text}");
    assert!(text.contains("by anonymous"), "{text}");

    let operator = t.fails(&["forum", "post", "add", &thread, "--body", "Hallo"], 1);
    assert!(operator["hint"].as_str().unwrap().contains("--as"), "{operator}");
}

#[test]
fn reading_moves_read_positions_and_unread_counts() {
    let t = forum();
    let started = new_thread(&t, "Kim_Test", "ausbildung-ex-in", "Lesen", "Erster Beitrag", &[]);
    let thread = id(&started, &["thread", "id"]);
    for n in 0..3 {
        t.ok(&["--as", "Ole_Test", "forum", "post", "add", &thread, "--body", &format!("Antwort {n}")]);
    }
    let unread = t.json(&["--as", "Kim_Test", "forum", "unread"]);
    assert_eq!(unread["items"][0]["unread"], 3, "the author watches the thread: {unread}");
    let page = t.json(&["--as", "Kim_Test", "forum", "read", &thread, "--limit", "2"]);
    assert_eq!(page["thread"]["unread"], 2);
    assert!(page["next_cursor"].is_string());
    let rest = t.json(&[
        "--as",
        "Kim_Test",
        "forum",
        "read",
        &thread,
        "--limit",
        "2",
        "--cursor",
        page["next_cursor"].as_str().unwrap(),
    ]);
    assert_eq!(rest["thread"]["unread"], 0);
    assert_eq!(rest["items"].as_array().unwrap().len(), 2);

    let boards = t.json(&["--as", "Tom_Test", "forum", "board", "list"]);
    assert_eq!(boards["items"][0]["unread_threads"], 1);
    let marked = t.json(&["--as", "Tom_Test", "forum", "mark-read", "--board", "ausbildung-ex-in"]);
    assert_eq!(marked["threads_marked"], 1);
    assert_eq!(t.json(&["--as", "Tom_Test", "forum", "board", "list"])["items"][0]["unread_threads"], 0);
    let up_to = t.fails(&["--as", "Tom_Test", "forum", "mark-read", "--thread", &thread, "--up-to", "999"], 1);
    assert_eq!(up_to["field"], "up_to");
}

#[test]
fn the_relatives_board_refuses_others_everywhere() {
    let t = forum();
    let started = new_thread(&t, "Ole_Test", "angehoerige", "Unter uns", "Nur für Angehörige", &[]);
    let thread = id(&started, &["thread", "id"]);
    for args in [
        vec!["forum", "thread", "list", "angehoerige"],
        vec!["forum", "thread", "show", &thread],
        vec!["forum", "read", &thread],
        vec!["forum", "post", "add", &thread, "--body", "Hallo"],
    ] {
        let refused = t.fails(&[&["--as", "Kim_Test"][..], &args].concat(), 1);
        assert_eq!(refused["error"], "permission_denied", "{args:?}: {refused}");
        assert!(refused["reason"].as_str().unwrap().contains("relatives"), "{refused}");
    }
    let hits = t.json(&["--as", "Kim_Test", "forum", "search", "Angehörige"]);
    assert!(hits["items"].as_array().unwrap().is_empty(), "{hits}");
    let hits = t.json(&["--as", "Ole_Test", "forum", "search", "Angehörige"]);
    assert_eq!(hits["items"].as_array().unwrap().len(), 1, "{hits}");
}

#[test]
fn search_shows_marked_snippets_best_first() {
    let t = forum();
    new_thread(&t, "Kim_Test", "ausbildung-ex-in", "Praktikum auf Station", "Mein Praktikum beginnt bald.", &[]);
    new_thread(&t, "Tom_Test", "ausbildung-ex-in", "Portfolio", "Wie lang ist euer Portfolio?", &[]);
    let hits = t.json(&["forum", "search", "PRAKTIKUMS"]);
    let items = hits["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{hits}");
    let matched: Vec<&str> = items[0]["snippet"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["matched"] == true)
        .map(|f| f["text"].as_str().unwrap())
        .collect();
    assert_eq!(matched, ["Praktikum"]);
    let text = t.ok(&["forum", "search", "Portfolio"]);
    assert!(text.contains("*Portfolio*"), "{text}");
    let none = t.fails(&["forum", "search", "  "], 1);
    assert_eq!(none["field"], "text");
}

#[test]
fn watching_sends_forum_notifications_to_the_inbox() {
    let t = forum();
    t.ok(&["--as", "Ole_Test", "forum", "watch", "--board", "ausbildung-ex-in"]);
    let started = new_thread(&t, "Kim_Test", "ausbildung-ex-in", "Neu", "Text", &[]);
    let thread = id(&started, &["thread", "id"]);
    t.ok(&["--as", "Tom_Test", "forum", "watch", &thread]);
    t.ok(&["--as", "Ole_Test", "forum", "post", "add", &thread, "--body", "Antwort"]);
    let tom = t.json(&["--as", "Tom_Test", "forum", "inbox", "--unread"]);
    assert_eq!(tom["items"][0]["event"]["type"], "forum_reply", "{tom}");
    let ole = t.json(&["--as", "Ole_Test", "forum", "inbox", "--mark-read"]);
    assert_eq!(ole["items"][0]["event"]["type"], "forum_thread", "{ole}");
    assert_eq!(ole["marked_read"], 1);
    assert_eq!(t.json(&["--as", "Ole_Test", "forum", "inbox", "--unread"])["unread"], 0);
    let all = t.json(&["--as", "Tom_Test", "inbox"]);
    assert_eq!(all["items"].as_array().unwrap().len(), 1, "the general inbox shows forum events too");
    let watching = t.json(&["--as", "Tom_Test", "forum", "watch"]);
    assert_eq!(watching["items"], serde_json::json!([{"kind": "thread", "id": thread.parse::<u64>().unwrap()}]));
    t.ok(&["--as", "Tom_Test", "forum", "watch", &thread, "--stop"]);
    assert!(t.json(&["--as", "Tom_Test", "forum", "watch"])["items"].as_array().unwrap().is_empty());
}

#[test]
fn moderators_approve_pin_lock_move_hide_and_restrict_authors() {
    let t = forum();
    let held = new_thread(&t, "Tom_Test", "neu-hier", "Hallo", "Ich bin neu.", &["--anonymous"]);
    assert!(held["held"].as_str().unwrap().contains("pre-moderated"), "{held}");
    let thread = id(&held, &["thread", "id"]);
    let queue = t.json(&["--as", "Mod_Test", "forum", "queue"]);
    assert_eq!(queue["items"][0]["post"]["author"]["name"], "anonymous", "moderators do not learn who it is");
    assert_eq!(t.fails(&["--as", "Kim_Test", "forum", "queue"], 1)["error"], "permission_denied");
    let approved = t.json(&["--as", "Mod_Test", "forum", "thread", "moderate", &thread, "approve", "--reason", "ok"]);
    assert_eq!(approved["state"], "visible");

    assert_eq!(t.json(&["--as", "Mod_Test", "forum", "thread", "pin", &thread])["pinned"], true);
    assert_eq!(t.json(&["--as", "Mod_Test", "forum", "thread", "lock", &thread])["locked"], true);
    let locked = t.fails(&["--as", "Kim_Test", "forum", "post", "add", &thread, "--body", "Hallo"], 3);
    assert!(locked["reason"].as_str().unwrap().contains("locked"), "{locked}");
    t.ok(&["--as", "Mod_Test", "forum", "thread", "lock", &thread, "--undo"]);
    let moved = t.json(&["--as", "Mod_Test", "forum", "thread", "move", &thread, "ausbildung-ex-in"]);
    assert_eq!(moved["board"], 1);

    let reply = t.json(&["--as", "Kim_Test", "forum", "post", "add", &thread, "--body", "Unfreundlich"]);
    let post = id(&reply, &["post", "id"]);
    let hidden = t.json(&["--as", "Mod_Test", "forum", "post", "moderate", &post, "hide", "--reason", "Ton"]);
    assert_eq!(hidden["state"], "hidden");
    let shown = t.json(&["--as", "Tom_Test", "forum", "thread", "show", &thread]);
    assert_eq!(shown["items"].as_array().unwrap().len(), 1, "{shown}");

    let first = id(&held, &["post", "id"]);
    t.json(&["--as", "Mod_Test", "forum", "post", "restrict", &first, "silence", "--days", "3", "--reason", "Test"]);
    let tom = t.json(&["account", "show", "Tom_Test"]);
    assert_eq!(tom["status"]["state"], "silenced", "{tom}");
    let silenced = t.fails(&["--as", "Tom_Test", "forum", "post", "add", &thread, "--body", "Hallo"], 1);
    assert!(silenced["reason"].as_str().unwrap().contains("silenced"), "{silenced}");
    let audit = t.json(&["audit", "list", "--action", "forum.author"]);
    assert_eq!(audit["items"][0]["target"], format!("post:{first}"));
    let bad = t.fails(&["--as", "Mod_Test", "forum", "post", "moderate", &post, "vanish"], 1);
    assert_eq!(bad["field"], "action");
}

#[test]
fn statistics_count_views_and_readers_without_small_numbers() {
    let t = forum();
    let started = new_thread(&t, "Kim_Test", "ausbildung-ex-in", "Gelesen", "Text", &[]);
    let thread = id(&started, &["thread", "id"]);
    for visitor in ["a", "b", "c", "d", "e", "a"] {
        t.ok(&["forum", "read", &thread, "--visitor", visitor]);
    }
    t.ok(&["forum", "read", &thread]);
    let months = t.json(&["--as", "Mod_Test", "forum", "stats", "--board", "ausbildung-ex-in"]);
    assert_eq!(
        (months["items"][0]["views"].as_u64(), months["items"][0]["readers"].as_u64()),
        (Some(7), Some(5)),
        "{months}"
    );
    let quarters = t.json(&["forum", "stats", "--quarter"]);
    assert!(quarters["items"][0]["period"].as_str().unwrap().contains("-Q"), "{quarters}");
    assert_eq!(quarters["items"][0]["readers"], 5);
    let text = t.ok(&["forum", "stats"]);
    assert!(text.contains("PERIOD") && text.contains(" 7 "), "{text}");
    t.ok(&["--as", "Ole_Test", "forum", "read", &thread]);
    t.ok(&["--as", "Tom_Test", "forum", "read", &thread]);
    assert_eq!(t.fails(&["--as", "Kim_Test", "forum", "stats"], 1)["error"], "permission_denied");
}
