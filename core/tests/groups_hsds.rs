//! The directory as Open Referral HSDS 3: export (public data only), import (all or nothing,
//! typed errors naming the field, dry run) and the round trip.

mod common;

use chrono::NaiveDate;
use common::*;
use serde_json::Value;
use trialog_core::*;

/// Postcodes of the test gazetteer (GeoNames layout), written for these tests.
const GAZETTEER: &str = "\
DE\t07743\tJena\tThüringen\tTH\t\t00\tKreisfreie Stadt Jena\t16053\t50.9271\t11.5892\t4
DE\t99423\tWeimar\tThüringen\tTH\t\t00\tKreisfreie Stadt Weimar\t16055\t50.9795\t11.3235\t4
DE\t07545\tGera\tThüringen\tTH\t\t00\tKreisfreie Stadt Gera\t16052\t50.8765\t12.0806\t4
";

/// A platform with the gazetteer and the topics the groups name, and nothing else.
fn empty_directory(clock: &TestClock) -> Platform {
    let p = platform_with(clock);
    p.geo().import(&Actor::Operator, GAZETTEER.as_bytes(), &mut |_| {}).unwrap();
    for (slug, pref) in [("depression", "Depression"), ("psychosis", "Psychose")] {
        let topic = NewTopic {
            slug: slug.into(),
            parent: None,
            labels: vec![TopicLabel { lang: "de".into(), pref: pref.into(), alt: vec![] }],
            related: vec![],
        };
        p.topics().add(&Actor::Operator, &topic).unwrap();
    }
    p
}

/// A contact point in Jena with its office, and three groups: a public place with a monthly
/// rule and exceptions, a confidential place in Weimar, and an online group.
fn directory(clock: &TestClock) -> (Platform, OrgId, [GroupId; 3]) {
    let p = empty_directory(clock);
    let new = NewOrganisation {
        name: "KISS Jena".into(),
        kind: OrgKind::SelfHelpContactPoint,
        region: "DE-TH".into(),
        city: Some("Jena".into()),
        website: Some("https://kiss.example.org".into()),
    };
    let kiss = p.orgs().create(&Actor::Operator, &new).unwrap().id;
    let office = OrgContactInput {
        street: Some("Markt 16".into()),
        postcode: Some("07743".into()),
        country: Some("DE".into()),
        phone: Some("+49 3641 123456".into()),
        email: Some("kiss@example.org".into()),
        opening_hours: vec![
            OpeningHours { day: Weekday::Tuesday, opens: "09:00".into(), closes: "12:00".into() },
            OpeningHours { day: Weekday::Thursday, opens: "14:00".into(), closes: "18:00".into() },
        ],
    };
    p.groups().set_org_contact(&Actor::Operator, kiss, &office).unwrap();
    let public = NewGroup {
        name: "Angehörige psychoseerfahrener Menschen".into(),
        description: "Austausch unter Angehörigen.".into(),
        topics: vec!["psychosis".into()],
        keywords: vec!["Angehörige".into()],
        audience: GroupAudience::Relatives,
        age_min: Some(18),
        age_max: None,
        languages: vec!["de".into(), "en".into()],
        status: GroupStatus::Active,
        format: GroupFormat::InPerson,
        contact_point: Some(kiss),
        contact: None,
        requests_to: None,
        place: Some(GroupPlaceInput {
            country: "DE".into(),
            postcode: "07545".into(),
            venue: Some("Stadtteilzentrum".into()),
            street: Some("Bachgasse 3".into()),
            confidential: false,
        }),
        meetings: vec![MeetingInput {
            rule: "FREQ=MONTHLY;BYDAY=2TU,4TU".into(),
            starts: "18:00".into(),
            ends: "20:00".into(),
            valid_from: Some(NaiveDate::from_ymd_opt(2026, 1, 6).unwrap()),
            valid_until: Some(NaiveDate::from_ymd_opt(2027, 6, 30).unwrap()),
            exceptions: vec![NaiveDate::from_ymd_opt(2026, 12, 22).unwrap()],
        }],
        accessibility: vec![Accessibility::StepFree, Accessibility::HearingLoop],
        accessibility_notes: Some("Eingang über den Hof".into()),
    };
    let secret = NewGroup {
        name: "Depression – Frauengruppe".into(),
        description: String::new(),
        topics: vec!["depression".into()],
        keywords: vec![],
        audience: GroupAudience::Affected,
        languages: vec!["de".into()],
        status: GroupStatus::Full,
        place: Some(GroupPlaceInput {
            country: "DE".into(),
            postcode: "99423".into(),
            venue: Some("Wohnzimmer Geheim".into()),
            street: Some("Verborgener Weg 9".into()),
            confidential: true,
        }),
        meetings: vec![MeetingInput {
            rule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO".into(),
            starts: "19:30".into(),
            ends: "21:00".into(),
            valid_from: Some(NaiveDate::from_ymd_opt(2026, 2, 2).unwrap()),
            valid_until: None,
            exceptions: vec![],
        }],
        accessibility: vec![Accessibility::ChildCare],
        accessibility_notes: None,
        ..public.clone()
    };
    let online = NewGroup {
        name: "Online: Trauer".into(),
        description: "Wir treffen uns per Video.".into(),
        topics: vec![],
        keywords: vec!["trauer".into()],
        audience: GroupAudience::Both,
        age_min: None,
        languages: vec!["de".into()],
        status: GroupStatus::Founding,
        format: GroupFormat::Online,
        place: None,
        meetings: vec![MeetingInput {
            rule: "FREQ=WEEKLY;BYDAY=WE".into(),
            starts: "20:00".into(),
            ends: "21:00".into(),
            valid_from: Some(NaiveDate::from_ymd_opt(2026, 3, 4).unwrap()),
            valid_until: None,
            exceptions: vec![],
        }],
        accessibility: vec![],
        accessibility_notes: None,
        ..public.clone()
    };
    let ids = [public, secret, online].map(|g| p.groups().create(&Actor::Operator, &g).unwrap().id);
    (p, kiss, ids)
}

fn export(p: &Platform, actor: &Actor) -> Vec<HsdsDocument> {
    let mut page = PageRequest { limit: Some(2), ..Default::default() };
    let mut all = Vec::new();
    loop {
        let found = p.groups().export_hsds(actor, &page).unwrap();
        all.extend(found.items);
        match found.next_cursor {
            Some(c) => page.cursor = Some(c),
            None => return all,
        }
    }
}

/// The export as one JSON array, as `trialog groups import-hsds` reads it.
fn file(docs: &[HsdsDocument]) -> String {
    format!("[{}]", docs.iter().map(|d| d.json.as_str()).collect::<Vec<_>>().join(","))
}

fn json(doc: &HsdsDocument) -> Value {
    serde_json::from_str(&doc.json).unwrap()
}

fn is_uuid(v: &Value) -> bool {
    let s = v.as_str().unwrap_or_default();
    let parts: Vec<usize> = s.split('-').map(str::len).collect();
    parts == [8, 4, 4, 4, 12] && s.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
}

#[test]
fn a_group_becomes_an_hsds_service_with_its_contact_point_place_and_schedules() {
    let clock = clock();
    let (p, _, [public, _, _]) = directory(&clock);
    let docs = export(&p, &Actor::Anonymous);
    assert_eq!(docs.len(), 3, "one document per group, pages of two");
    let doc = docs.iter().find(|d| d.group == public).unwrap();
    let s = json(doc);
    assert!(is_uuid(&s["id"]) && s["id"] == doc.id.as_str());
    assert_eq!(s["name"], "Angehörige psychoseerfahrener Menschen");
    assert_eq!(s["status"], "active");
    assert_eq!(s["minimum_age"], 18);
    assert_eq!(s["assured_date"], "2026-03-02");
    let org = &s["organization"];
    assert!(is_uuid(&org["id"]) && s["organization_id"] == org["id"]);
    assert_eq!(org["name"], "KISS Jena");
    assert_eq!(org["description"], "Self-help contact point in Jena");
    assert_eq!(org["email"], "kiss@example.org");
    assert_eq!(org["phones"][0]["number"], "+49 3641 123456");
    let office = &org["locations"][0];
    assert_eq!(office["addresses"][0]["postal_code"], "07743");
    assert_eq!(office["addresses"][0]["state_province"], "DE-TH");
    assert_eq!(office["schedules"][1]["byday"], "TH");
    assert_eq!(office["schedules"][1]["opens_at"], "14:00");
    let link = &s["service_at_locations"][0];
    let place = &link["location"];
    assert_eq!(link["location_id"], place["id"]);
    assert_eq!(place["location_type"], "physical");
    assert_eq!(place["name"], "Stadtteilzentrum");
    assert_eq!(place["latitude"], 50.8765);
    let address = &place["addresses"][0];
    for (field, value) in [
        ("address_1", "Bachgasse 3"),
        ("city", "Gera"),
        ("postal_code", "07545"),
        ("country", "DE"),
        ("address_type", "physical"),
    ] {
        assert_eq!(address[field], value, "{field}");
    }
    assert!(address.get("state_province").is_some(), "HSDS requires state_province");
    assert_eq!(place["accessibility"][0]["description"], "Step-free access");
    assert_eq!(place["accessibility"][2]["description"], "Eingang über den Hof");
    let meeting = &s["schedules"][0];
    for (field, value) in [
        ("freq", "MONTHLY"),
        ("byday", "2TU,4TU"),
        ("opens_at", "18:00"),
        ("closes_at", "20:00"),
        ("dtstart", "2026-01-06"),
        ("until", "2027-06-30"),
        ("notes", "No meeting on 2026-12-22."),
    ] {
        assert_eq!(meeting[field], value, "{field}");
    }
    assert_eq!(meeting["interval"], 1);
    assert_eq!(meeting["service_id"], s["id"]);
    let languages: Vec<&str> = s["languages"].as_array().unwrap().iter().map(|l| l["code"].as_str().unwrap()).collect();
    assert_eq!(languages, ["de", "en"]);
    let terms: Vec<(String, String)> = s["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            assert!(is_uuid(&a["id"]) && a["link_id"] == s["id"] && a["taxonomy_term_id"] == a["taxonomy_term"]["id"]);
            let t = &a["taxonomy_term"];
            (t["taxonomy"].as_str().unwrap().to_string(), t["code"].as_str().unwrap().to_string())
        })
        .collect();
    for expected in [
        ("trialog:topic", "psychosis"),
        ("trialog:keyword", "angehörige"),
        ("trialog:audience", "relatives"),
        ("trialog:format", "in_person"),
        ("trialog:status", "active"),
        ("trialog:accessibility", "hearing_loop"),
    ] {
        assert!(terms.contains(&(expected.0.into(), expected.1.into())), "{expected:?} in {terms:?}");
    }
    assert_eq!(export(&p, &Actor::Anonymous), docs, "an export gives the same ids every time");
}

#[test]
fn a_confidential_place_never_appears_in_an_export() {
    let clock = clock();
    let (p, kiss, [_, secret, online]) = directory(&clock);
    let staff = account(&p, "Kontakt", &[Role::EmployerStaff { org: kiss }]);
    // Even the contact point's staff, who see the place, export only the public view.
    let docs = export(&p, &Actor::account(staff.id));
    let all = file(&docs);
    for hidden in ["99423", "Verborgener Weg", "Wohnzimmer Geheim", "50.9795", "11.3235"] {
        assert!(!all.contains(hidden), "{hidden} leaked into the export");
    }
    let s = json(docs.iter().find(|d| d.group == secret).unwrap());
    assert!(s.get("service_at_locations").is_none());
    assert_eq!(s["service_areas"][0]["name"], "Weimar");
    assert_eq!(s["status"], "active", "full is still active in HSDS's words");
    let online = json(docs.iter().find(|d| d.group == online).unwrap());
    assert!(online.get("service_at_locations").is_none() && online.get("service_areas").is_none());
}

#[test]
fn export_import_into_an_empty_platform_and_export_again_gives_the_same_documents() {
    let clock = clock();
    let (p, _, _) = directory(&clock);
    let first = export(&p, &Actor::Anonymous);
    let other = empty_directory(&clock);
    let report = other.groups().import_hsds(&Actor::Operator, &file(&first), false).unwrap();
    assert_eq!((report.organizations_created, report.services_created, report.unchanged), (1, 3, 0), "{report:?}");
    let second = export(&other, &Actor::Anonymous);
    let texts = |docs: &[HsdsDocument]| docs.iter().map(|d| (d.id.clone(), d.json.clone())).collect::<Vec<_>>();
    assert_eq!(texts(&second), texts(&first));

    // The imported confidential group keeps its place confidential, in Weimar.
    let secret = second.iter().find(|d| d.json.contains("Frauengruppe")).unwrap().group;
    let group = other.groups().get(&Actor::Anonymous, secret).unwrap();
    assert!(group.place_confidential && group.place.is_none());
    assert_eq!(group.locality.as_deref(), Some("Weimar"));
    assert_eq!(group.status, GroupStatus::Full);

    // Importing the same file again changes nothing.
    let again = other.groups().import_hsds(&Actor::Operator, &file(&first), false).unwrap();
    assert_eq!((again.unchanged, again.services_created, again.organizations_created), (4, 0, 0), "{again:?}");
    assert!(other.integrity().unwrap().problems.is_empty());
}

#[test]
fn a_dry_run_reports_what_would_be_created_and_writes_nothing() {
    let clock = clock();
    let (p, _, _) = directory(&clock);
    let docs = export(&p, &Actor::Anonymous);
    let other = empty_directory(&clock);
    let report = other.groups().import_hsds(&Actor::Operator, &file(&docs), true).unwrap();
    assert!(report.dry_run);
    assert_eq!((report.organizations_created, report.services_created), (1, 3));
    assert_eq!(report.items.len(), 4);
    assert!(report.items.iter().all(|i| i.action == HsdsAction::Created && i.local_id.is_none()));
    assert_eq!(report.items[1].kind, HsdsKind::Service);
    assert_eq!(report.items[1].id, docs[0].id);
    assert!(export(&other, &Actor::Anonymous).is_empty(), "a dry run writes nothing");
}

#[test]
fn a_second_import_updates_what_the_first_brought() {
    let clock = clock();
    let (p, _, [public, _, _]) = directory(&clock);
    let docs = export(&p, &Actor::Anonymous);
    let other = empty_directory(&clock);
    other.groups().import_hsds(&Actor::Operator, &file(&docs), false).unwrap();
    let doc = docs.iter().find(|d| d.group == public).unwrap();
    let renamed = doc.json.replace("Angehörige psychoseerfahrener Menschen", "Angehörigengruppe Gera");
    let dry = other.groups().import_hsds(&Actor::Operator, &renamed, true).unwrap();
    assert_eq!((dry.services_updated, dry.unchanged), (1, 1), "{dry:?}");
    let report = other.groups().import_hsds(&Actor::Operator, &renamed, false).unwrap();
    let item = report.items.iter().find(|i| i.kind == HsdsKind::Service).unwrap();
    assert_eq!(item.action, HsdsAction::Updated);
    let group = other.groups().get(&Actor::Anonymous, GroupId(item.local_id.unwrap())).unwrap();
    assert_eq!(group.name, "Angehörigengruppe Gera");
    assert_eq!(export(&other, &Actor::Anonymous).len(), 3, "updated, not added");
}

#[test]
fn a_directory_kept_elsewhere_is_read_with_hsds_words() {
    let clock = clock();
    let p = empty_directory(&clock);
    let foreign = r#"{
        "id": "svc-1", "name": "Selbsthilfegruppe Angst", "status": "temporarily closed",
        "organization": {"id": "org-1", "name": "Selbsthilfebüro Gera", "description": "Kontaktstelle",
            "locations": [{"id": "l1", "location_type": "physical",
                "addresses": [{"id": "a1", "address_1": "Markt 1", "city": "Gera", "state_province": "DE-TH",
                               "postal_code": "07545", "country": "DE", "address_type": "physical"}]}]},
        "service_at_locations": [{"id": "sal-1", "location": {"id": "l2", "location_type": "physical",
            "addresses": [{"id": "a2", "address_1": "Schulstraße 2", "city": "Gera", "state_province": "",
                           "postal_code": "07545", "country": "DE", "address_type": "physical"}],
            "accessibility": [{"id": "x1", "description": "Step-free access"}, {"id": "x2", "description": "Klingel links"}]}}],
        "schedules": [{"id": "s1", "freq": "WEEKLY", "byday": "TH", "opens_at": "17:00:00", "closes_at": "18:30:00"}],
        "languages": [{"id": "lang", "code": "de", "name": "German"}],
        "attributes": [{"id": "t1", "taxonomy_term": {"id": "tt", "name": "Angst", "taxonomy": "KISS-Themen"}}]
    }"#;
    let report = p.groups().import_hsds(&Actor::Operator, foreign, false).unwrap();
    let id = GroupId(report.items[1].local_id.unwrap());
    let g = p.groups().get(&Actor::Operator, id).unwrap();
    assert_eq!(g.status, GroupStatus::Paused);
    assert_eq!(g.format, GroupFormat::InPerson);
    assert_eq!(g.keywords, ["angst"], "another directory's terms are kept as keywords");
    assert_eq!(g.accessibility, [Accessibility::StepFree]);
    assert_eq!(g.accessibility_notes.as_deref(), Some("Klingel links"));
    assert_eq!(g.meetings[0].rule, "FREQ=WEEKLY;BYDAY=TH");
    assert_eq!(g.meetings[0].starts, "17:00");
    let org = p.orgs().get(&Actor::Operator, g.contact_point.unwrap()).unwrap();
    assert_eq!((org.kind, org.region.as_str(), org.verified), (OrgKind::SelfHelpContactPoint, "DE-TH", false));
    let exported = json(&export(&p, &Actor::Anonymous)[0]);
    assert_eq!(exported["id"], "svc-1", "an imported record keeps its id");
    assert_eq!(exported["organization"]["id"], "org-1");
}

#[test]
fn bad_or_hostile_input_is_refused_naming_the_field() {
    let clock = clock();
    let (p, _, [public, _, _]) = directory(&clock);
    let docs = export(&p, &Actor::Anonymous);
    let doc = docs.iter().find(|d| d.group == public).unwrap();
    let other = empty_directory(&clock);
    let import = |text: &str| other.groups().import_hsds(&Actor::Operator, text, false);
    let changed = |edit: &dyn Fn(&mut Value)| {
        let mut v = json(doc);
        edit(&mut v);
        field_of(import(&v.to_string()))
    };
    assert_eq!(field_of(import("not json")), "documents");
    assert_eq!(field_of(import("42")), "documents");
    let huge = " ".repeat(MAX_HSDS_IMPORT_BYTES + 1);
    assert_eq!(field_of(import(&huge)), "documents");
    let many = format!("[{}]", vec!["{}"; 10_001].join(","));
    assert_eq!(field_of(import(&many)), "documents");
    let unknown = changed(&|v| v["schedules"][0]["byweekno"] = "41".into());
    assert!(unknown.starts_with("services[0].schedules[0]"), "{unknown}");
    let err = import(&{
        let mut v = json(doc);
        v["schedules"][0]["byweekno"] = "41".into();
        v.to_string()
    })
    .unwrap_err();
    assert!(err.to_string().contains("byweekno"), "{err}");
    assert_eq!(changed(&|v| v["schedules"][0]["freq"] = "DAILY".into()), "services[0].schedules[0].freq");
    assert_eq!(changed(&|v| v["schedules"][0]["opens_at"] = "18:00+01:00".into()), "services[0].schedules[0].opens_at");
    assert_eq!(changed(&|v| v["schedules"][0]["closes_at"] = "17:00".into()), "services[0].schedules[0].closes_at");
    assert_eq!(changed(&|v| v["schedules"][0]["notes"] = "Bring cake".into()), "services[0].schedules[0].notes");
    assert_eq!(changed(&|v| v["status"] = "open".into()), "services[0].status");
    assert_eq!(changed(&|v| v["minimum_age"] = (-3).into()), "services[0].minimum_age");
    assert_eq!(changed(&|v| v["languages"][0]["code"] = "xx".into()), "services[0].languages");
    assert_eq!(changed(&|v| drop(v.as_object_mut().unwrap().remove("organization"))), "services[0].organization");
    let place = changed(&|v| v["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] = "00000".into());
    assert!(place.starts_with("services[0].service_at_locations[0]"), "{place}");
    assert_eq!(changed(&|v| v["assured_date"] = "2099-01-01".into()), "services[0].assured_date");
    let twice = format!("[{},{}]", doc.json, doc.json);
    assert_eq!(field_of(import(&twice)), "services[1].id");
    assert!(export(&other, &Actor::Anonymous).is_empty(), "nothing of a refused import is written");
}

#[test]
fn a_file_exported_here_edited_and_imported_again_updates_the_groups_instead_of_adding_them() {
    let clock = clock();
    let (p, kiss, [public, _, _]) = directory(&clock);
    let docs = export(&p, &Actor::Anonymous);
    let same = p.groups().import_hsds(&Actor::Operator, &file(&docs), false).unwrap();
    assert_eq!((same.unchanged, same.services_created, same.organizations_created), (4, 0, 0), "{same:?}");
    assert_eq!(same.items[0].local_id, Some(kiss.0));

    let doc = docs.iter().find(|d| d.group == public).unwrap();
    let edited = doc.json.replace("\"byday\":\"2TU,4TU\"", "\"byday\":\"1TU,3TU\"");
    let report = p.groups().import_hsds(&Actor::Operator, &edited, false).unwrap();
    assert_eq!((report.services_updated, report.services_created), (1, 0), "{report:?}");
    let group = p.groups().get(&Actor::Operator, public).unwrap();
    assert_eq!(group.meetings[0].rule, "FREQ=MONTHLY;BYDAY=1TU,3TU");
    assert_eq!(export(&p, &Actor::Anonymous).len(), 3);
    assert!(p.integrity().unwrap().problems.is_empty());
}

#[test]
fn importing_an_export_again_keeps_the_confidential_address_it_left_out() {
    let clock = clock();
    let (p, _, [_, secret, _]) = directory(&clock);
    clock.advance(chrono::Duration::days(40));
    let docs = export(&p, &Actor::Anonymous);
    let doc = docs.iter().find(|d| d.group == secret).unwrap();
    let report = p.groups().import_hsds(&Actor::Operator, &doc.json.replace("Frauengruppe", "Frauenrunde"), false);
    assert_eq!(report.unwrap().services_updated, 1);
    let group = p.groups().get(&Actor::Operator, secret).unwrap();
    assert_eq!(group.name, "Depression – Frauenrunde");
    let place = group.place.unwrap();
    assert_eq!((place.street.as_deref(), place.postcode.as_str()), (Some("Verborgener Weg 9"), "99423"));
}
