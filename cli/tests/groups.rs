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

#[test]
fn a_clinic_offers_a_room_a_group_books_it_and_the_contact_point_sees_who_has_one() {
    let t = Trialog::initialised();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("DE.txt");
    std::fs::write(&file, GAZETTEER).unwrap();
    t.ok(&["geo", "import", file.to_str().unwrap()]);
    let kiss = t.json(&["org", "add", "KISS Weimar (Test)", "--kind", "self_help_contact_point", "--region", "DE-TH"]);
    let kiss = kiss["id"].as_u64().unwrap().to_string();
    let clinic = t.json(&["org", "add", "Klinik Weimar (Test)", "--kind", "clinic", "--region", "DE-TH"]);
    let clinic = clinic["id"].as_u64().unwrap().to_string();
    t.ok(&["account", "add", "Kontakt"]);
    t.ok(&["account", "grant", "Kontakt", &format!("employer_staff:{kiss}")]);
    t.ok(&["account", "add", "Klinik"]);
    t.ok(&["account", "grant", "Klinik", &format!("employer_staff:{clinic}")]);

    let room = t.json(&[
        "--as",
        "Klinik",
        "rooms",
        "offer",
        "--org",
        &clinic,
        "--name",
        "Raum 3",
        "--postcode",
        "99423",
        "--country",
        "DE",
        "--capacity",
        "10",
        "--window",
        "tuesday,17:00,22:00",
        "--access",
        "step_free",
    ]);
    assert_eq!((room["place"]["locality"].as_str(), room["open"].as_bool()), (Some("Weimar"), Some(true)));
    let room_id = room["id"].as_u64().unwrap().to_string();
    let listed = t.json(&["rooms", "list", "--org", &clinic]);
    assert_eq!(listed["items"][0]["name"], "Raum 3");
    assert!(listed["next_cursor"].is_null());

    let group = t.json(&[
        "--as",
        "Kontakt",
        "groups",
        "add",
        "--name",
        "Abendgruppe",
        "--language",
        "de",
        "--contact-point",
        &kiss,
        "--postcode",
        "99423",
        "--country",
        "DE",
    ]);
    let group_id = group["id"].as_u64().unwrap().to_string();
    let without = t.json(&["--as", "Kontakt", "rooms", "overview", "--org", &kiss, "--without-room"]);
    assert_eq!(without["items"][0]["need"], "without");

    let book = |starts: &str, ends: &str| {
        vec![
            "--as", "Kontakt", "rooms", "book", "--room", &room_id, "--group", &group_id, "--day", "tuesday",
            "--starts", starts, "--ends", ends, "--people", "8",
        ]
        .into_iter()
        .map(str::to_string)
        .collect::<Vec<String>>()
    };
    let args = book("18:00", "20:00");
    let booked = t.json(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(booked["state"], "requested");
    let booking = booked["id"].as_u64().unwrap().to_string();
    // An overlapping slot and a slot outside the window name the field and exit with 1.
    let clash = book("19:00", "21:00");
    assert_eq!(t.fails(&clash.iter().map(String::as_str).collect::<Vec<_>>(), 1)["field"], "starts");
    let late = book("21:00", "23:00");
    assert_eq!(t.fails(&late.iter().map(String::as_str).collect::<Vec<_>>(), 1)["field"], "ends");

    let confirmed = t.json(&["--as", "Klinik", "rooms", "confirm", &booking, "--answer", "Schlüssel an der Pforte"]);
    assert_eq!(confirmed["state"], "confirmed");
    let of_room = t.json(&["--as", "Klinik", "rooms", "bookings", "--room", &room_id]);
    assert_eq!(of_room["items"][0]["state"], "confirmed");
    let overview = t.json(&["--as", "Kontakt", "rooms", "overview", "--org", &kiss]);
    assert_eq!(overview["items"][0]["need"], "booked");
    assert!(
        t.json(&["--as", "Kontakt", "rooms", "overview", "--org", &kiss, "--without-room"])["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    let inbox = t.ok(&["--as", "Kontakt", "inbox"]);
    assert!(inbox.contains("'Raum 3'") && inbox.contains("confirmed"), "{inbox}");
    let cancelled = t.json(&["--as", "Kontakt", "rooms", "cancel", &booking, "--reason", "Wir pausieren"]);
    assert_eq!(cancelled["state"], "cancelled");
    let mine = t.json(&["--as", "Kontakt", "rooms", "bookings", "--group", &group_id]);
    assert_eq!((mine["items"][0]["state"].as_str(), mine["next_cursor"].is_null()), (Some("cancelled"), true));
    // Someone else may not see the room's bookings.
    t.ok(&["account", "add", "Fremd"]);
    let denied = t.fails(&["--as", "Fremd", "rooms", "bookings", "--room", &room_id], 1);
    assert!(denied["reason"].as_str().unwrap().contains("staff"), "{denied}");
}

#[test]
fn the_next_dates_of_several_groups_come_as_one_list_in_the_order_given() {
    let t = Trialog::initialised();
    let kiss = t.json(&["org", "add", "KISS Gera (Test)", "--kind", "self_help_contact_point", "--region", "DE-TH"]);
    let kiss = kiss["id"].as_u64().unwrap().to_string();
    let add = |name: &str, meeting: &str| {
        let group = t.json(&[
            "groups",
            "add",
            "--name",
            name,
            "--language",
            "de",
            "--format",
            "online",
            "--contact-point",
            &kiss,
            "--meeting",
            meeting,
        ]);
        group["id"].as_u64().unwrap().to_string()
    };
    let tuesday = add("Dienstag", "FREQ=MONTHLY;BYDAY=2TU,4TU|18:00|20:00");
    let monday = add("Montag", "FREQ=WEEKLY;BYDAY=MO|19:00|21:00");
    // The groups' schedules hold from today (the real clock): ask about a later March.
    let from = "2030-03-04T00:00:00Z";
    let list = t.json(&["groups", "next-dates", "--id", &monday, "--id", &tuesday, "--count", "2", "--at", from]);
    assert!(list["next_cursor"].is_null(), "{list}");
    let items = list["items"].as_array().unwrap();
    let groups: Vec<String> = items.iter().map(|i| i["group"].to_string()).collect();
    assert_eq!(groups, [monday.clone(), tuesday.clone()]);
    // Mondays 4 and 11 March 2030 at 19:00 CET (18:00 UTC); the 2nd and 4th Tuesdays (12 and
    // 26 March) at 18:00 CET.
    let starts = |i: usize| -> Vec<String> {
        items[i]["dates"].as_array().unwrap().iter().map(|d| d["start"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(starts(0), ["2030-03-04T18:00:00Z", "2030-03-11T18:00:00Z"]);
    assert_eq!(starts(1), ["2030-03-12T17:00:00Z", "2030-03-26T17:00:00Z"]);
    let text = t.ok(&["groups", "next-dates", "--id", &tuesday, "--at", from]);
    assert!(text.contains(&tuesday), "{text}");

    let twice = t.fails(&["groups", "next-dates", "--id", &monday, "--id", &monday], 1);
    assert_eq!(twice["field"], "ids", "{twice}");
}
