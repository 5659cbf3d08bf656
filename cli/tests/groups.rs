//! `trialog groups ...`: a contact point keeps its groups, a newcomer finds one near a
//! postcode and asks to join without seeing the confidential place until connected.

mod common;

use common::Trialog;
use serde_json::Value;

/// Postcodes for these tests (GeoNames layout).
const GAZETTEER: &str = "DE\t07743\tJena\tThüringen\tTH\t\t00\tKreisfreie Stadt Jena\t16053\t50.9271\t11.5892\t4\n\
DE\t99423\tWeimar\tThüringen\tTH\t\t00\tKreisfreie Stadt Weimar\t16055\t50.9795\t11.3235\t4\n";

fn ids(list: &Value) -> Vec<u64> {
    list["items"].as_array().unwrap().iter().map(|h| h["group"]["id"].as_u64().unwrap()).collect()
}

#[test]
fn a_newcomer_finds_a_group_and_is_connected_without_seeing_the_place_before() {
    let t = Trialog::initialised();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("DE.txt");
    std::fs::write(&file, GAZETTEER).unwrap();
    t.ok(&["geo", "import", file.to_str().unwrap()]);
    let kiss = t.json(&["org", "add", "KISS Jena (Test)", "--kind", "self_help_contact_point", "--region", "DE-TH"]);
    let kiss = kiss["id"].as_u64().unwrap().to_string();
    t.ok(&["account", "add", "Kontakt"]);
    t.ok(&["account", "grant", "Kontakt", &format!("employer_staff:{kiss}")]);
    t.ok(&["account", "add", "Neu"]);

    let contact = t.json(&[
        "--as",
        "Kontakt",
        "groups",
        "contact-point",
        "set",
        &kiss,
        "--street",
        "Markt 16",
        "--postcode",
        "07743",
        "--country",
        "DE",
        "--phone",
        "+49 3641 000000",
        "--open",
        "tuesday,09:00,12:00",
    ]);
    assert_eq!(contact["locality"], "Jena");

    let group = t.json(&[
        "--as",
        "Kontakt",
        "groups",
        "add",
        "--name",
        "Lichtblick",
        "--language",
        "de",
        "--contact-point",
        &kiss,
        "--postcode",
        "07743",
        "--country",
        "DE",
        "--street",
        "Geheimweg 7",
        "--confidential",
        "--meeting",
        "FREQ=MONTHLY;BYDAY=2TU,4TU|18:00|20:00",
        "--access",
        "step_free",
    ]);
    let id = group["id"].as_u64().unwrap().to_string();
    assert_eq!(group["place"]["street"], "Geheimweg 7", "the contact point sees its own group's place");

    // Search around Weimar (about 20 km): found, without the place.
    let found =
        t.json(&["--as", "Neu", "groups", "search", "--postcode", "99423", "--country", "DE", "--weekday", "tuesday"]);
    assert_eq!(ids(&found), [group["id"].as_u64().unwrap()]);
    assert!(found["next_cursor"].is_null());
    let text = found.to_string();
    assert!(!text.contains("Geheimweg"), "{text}");
    let none = t.json(&["groups", "search", "--postcode", "99423", "--country", "DE", "--weekday", "monday"]);
    assert!(none["items"].as_array().unwrap().is_empty());

    let request = t.json(&["--as", "Neu", "groups", "ask", &id, "--message", "Ich möchte kommen", "--reach", "inbox"]);
    let request_id = request["id"].as_u64().unwrap().to_string();
    assert_eq!(request["state"], "new");
    assert!(t.json(&["--as", "Neu", "groups", "show", &id])["place"].is_null());
    let inbox = t.json(&["--as", "Kontakt", "groups", "requests", "--org", &kiss, "--state", "new"]);
    assert_eq!(inbox["items"][0]["id"], request["id"]);
    t.ok(&["--as", "Kontakt", "groups", "connect", &request_id, "--answer", "Willkommen"]);
    assert_eq!(t.json(&["--as", "Neu", "groups", "show", &id])["place"]["street"], "Geheimweg 7");
    let mine = t.json(&["--as", "Neu", "groups", "requests"]);
    assert_eq!(mine["items"][0]["state"], "connected");

    // Bad input names the field and exits with 1.
    let bad = t.fails(
        &[
            "--as",
            "Kontakt",
            "groups",
            "add",
            "--name",
            "X",
            "--language",
            "de",
            "--format",
            "online",
            "--contact-point",
            &kiss,
            "--meeting",
            "FREQ=DAILY;BYDAY=TU|18:00|20:00",
        ],
        1,
    );
    assert_eq!(bad["field"], "meetings[0].rule", "{bad}");
}
