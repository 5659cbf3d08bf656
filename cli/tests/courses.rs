//! `trialog course ...` and `trialog tick`: an organiser publishes a seminar, people register
//! and wait, an offer lapses through the scheduler and passes on, calendars and verification.

mod common;

use common::Trialog;
use serde_json::Value;

fn ids(list: &Value, key: &str) -> Vec<u64> {
    list["items"].as_array().unwrap().iter().map(|r| r[key].as_u64().unwrap()).collect()
}

fn states(list: &Value) -> Vec<String> {
    list["items"].as_array().unwrap().iter().map(|r| r["state"].as_str().unwrap().to_string()).collect()
}

#[test]
fn a_full_seminar_keeps_a_waitlist_and_a_lapsed_offer_passes_on() {
    let t = Trialog::initialised();
    let org = t.json(&["org", "add", "Selbsthilfe im Dialog (Test)", "--kind", "association", "--region", "DE-TH"]);
    let org = org["id"].as_u64().unwrap().to_string();
    t.ok(&["org", "verify", &org, "--reason", "test"]);
    t.ok(&["account", "add", "Orga"]);
    t.ok(&["account", "grant", "Orga", &format!("employer_staff:{org}")]);
    for name in ["Kim", "Lou", "Mika"] {
        t.ok(&["account", "add", name]);
    }
    let course = t.json(&[
        "--as",
        "Orga",
        "course",
        "new",
        "--org",
        &org,
        "--title",
        "Öffentlichkeitsarbeit, Presse; Social Media",
        "--description",
        "Wie Selbsthilfegruppen sichtbar werden.",
        "--language",
        "de",
        "--format",
        "online",
        "--capacity",
        "1",
        "--link",
        "https://meet.example.org/oeffentlichkeit",
        "--session",
        "2031-03-04T18:00/2031-03-04T20:00",
        "--weekly",
        "3",
        "--topic",
        "public-relations",
    ]);
    assert_eq!(course["state"], "draft");
    assert_eq!(course["sessions"].as_array().unwrap().len(), 3);
    let id = course["id"].as_u64().unwrap().to_string();
    let bad = t.fails(
        &[
            "--as",
            "Orga",
            "course",
            "new",
            "--org",
            &org,
            "--title",
            "x",
            "--description",
            "y",
            "--language",
            "de",
            "--format",
            "online",
            "--capacity",
            "0",
            "--link",
            "https://a.example",
        ],
        1,
    );
    assert_eq!(bad["field"], "capacity", "{bad}");
    t.ok(&["--as", "Orga", "course", "publish", &id]);

    let kim = t.json(&["--as", "Kim", "course", "register", &id]);
    assert_eq!(states(&kim), ["confirmed"]);
    let lou = t.json(&["--as", "Lou", "course", "register", &id]);
    let mika = t.json(&["--as", "Mika", "course", "register", &id]);
    assert_eq!((states(&lou), states(&mika)), (vec!["waiting".to_string()], vec!["waiting".to_string()]));
    let waitlist = t.json(&["--as", "Orga", "course", "waitlist", &id]);
    assert_eq!(ids(&waitlist, "id"), [ids(&lou, "id")[0], ids(&mika, "id")[0]]);
    assert_eq!(waitlist["next_cursor"], Value::Null);

    let kim_reg = ids(&kim, "id")[0].to_string();
    t.ok(&["--as", "Kim", "course", "cancel-registration", &kim_reg]);
    let lou_reg = ids(&lou, "id")[0].to_string();
    let mine = t.json(&["--as", "Lou", "course", "mine"]);
    assert_eq!(states(&mine), ["offered"]);
    // Three days later the offer has lapsed: the scheduler passes the place to Mika.
    let tick = t.json(&["tick", "--at", "2031-01-01T00:00:00Z"]);
    let expired = tick["items"].as_array().unwrap().iter().find(|w| w["what"] == "course offers expired").unwrap();
    assert_eq!(expired["count"], 1);
    let again = t.json(&["tick", "--at", "2031-01-01T00:00:00Z"]);
    let zero = again["items"].as_array().unwrap().iter().find(|w| w["what"] == "course offers expired").unwrap();
    assert_eq!(zero["count"], 0, "ticking twice does the work once");
    let lapsed = t.fails(&["--as", "Lou", "course", "offer", "accept", &lou_reg], 1);
    assert_eq!(lapsed["error"], "invalid_input");
    let mika_reg = ids(&mika, "id")[0].to_string();
    let accepted = t.json(&["--as", "Mika", "course", "offer", "accept", &mika_reg]);
    assert_eq!(states(&accepted), ["confirmed"]);

    let shown = t.json(&["--as", "Mika", "course", "show", &id]);
    assert_eq!(shown["online_link"], "https://meet.example.org/oeffentlichkeit");
    assert_eq!(t.json(&["--as", "Lou", "course", "show", &id])["online_link"], Value::Null);
    let ics = t.ok(&["--as", "Mika", "course", "ics", "--registration", &mika_reg]);
    assert!(ics.contains("METHOD:PUBLISH") && ics.contains("URL:https://meet.example.org/oeffentlichkeit"));
    assert!(ics.contains("SUMMARY:Öffentlichkeitsarbeit\\, Presse\\; Social Media (1/3)"));
    let feed = t.ok(&["--as", "Mika", "course", "feed", "Mika"]);
    assert_eq!(feed.matches("BEGIN:VEVENT").count(), 3, "{feed}");
    assert!(feed.contains("DTSTART;TZID=Europe/Berlin:20310304T180000") && feed.contains("BEGIN:VTIMEZONE"));
    let someone_elses = t.fails(&["--as", "Lou", "course", "feed", "Mika"], 1);
    assert_eq!(someone_elses["error"], "permission_denied", "{someone_elses}");
    let lou_feed = t.ok(&["--as", "Lou", "course", "feed", "Lou"]);
    assert_eq!(lou_feed.matches("BEGIN:VEVENT").count(), 0, "no confirmed place, no sessions");
    let list = t.json(&["course", "list"]);
    assert_eq!(ids(&list, "id"), [id.parse::<u64>().unwrap()]);
    let table = t.ok(&["course", "list"]);
    assert!(table.contains("1/1") && table.contains("published"), "{table}");
    let unknown = t.fails(&["course", "verify", "AAAA-BBBB-CCCC"], 3);
    assert_eq!(unknown["error"], "not_found");
}
