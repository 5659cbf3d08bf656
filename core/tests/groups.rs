//! The self-help directory: contact points' data, groups, meetings, confidential places,
//! freshness, contact requests and search.

mod common;

use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use common::*;
use trialog_core::*;

/// Postcodes of the test gazetteer (GeoNames layout), written for these tests.
const GAZETTEER: &str = "\
DE\t07743\tJena\tThüringen\tTH\t\t00\tKreisfreie Stadt Jena\t16053\t50.9271\t11.5892\t4
DE\t99423\tWeimar\tThüringen\tTH\t\t00\tKreisfreie Stadt Weimar\t16055\t50.9795\t11.3235\t4
DE\t99084\tErfurt\tThüringen\tTH\t\t00\tKreisfreie Stadt Erfurt\t16051\t50.9787\t11.0328\t4
DE\t07545\tGera\tThüringen\tTH\t\t00\tKreisfreie Stadt Gera\t16052\t50.8765\t12.0806\t4
DE\t10115\tBerlin\tBerlin\tBE\t\t00\tBerlin, Stadt\t11000\t52.5323\t13.3846\t4
";

struct World {
    p: Platform,
    clock: TestClock,
    kiss: OrgId,
    staff: Actor,
    founder: Account,
    person: Account,
    other: Account,
}

fn world() -> World {
    let clock = clock();
    let p = platform_with(&clock);
    world_on(p, clock)
}

/// The directory's world on a given platform (a file, for the migration tests).
fn world_on(p: Platform, clock: TestClock) -> World {
    p.geo().import(&Actor::Operator, GAZETTEER.as_bytes(), &mut |_| {}).unwrap();
    let kiss = p
        .orgs()
        .create(
            &Actor::Operator,
            &NewOrganisation {
                name: "KISS Jena".into(),
                kind: OrgKind::SelfHelpContactPoint,
                region: "DE-TH".into(),
                city: Some("Jena".into()),
                website: None,
            },
        )
        .unwrap()
        .id;
    let staff = account(&p, "Kontaktstelle", &[Role::EmployerStaff { org: kiss }]);
    let founder = account(&p, "Gruenderin", &[]);
    let person = account(&p, "Suchende", &[]);
    let other = account(&p, "Andere", &[]);
    let topic = |slug: &str, pref: &str, alt: &[&str], parent: Option<&str>| NewTopic {
        slug: slug.into(),
        parent: parent.map(str::to_string),
        labels: vec![TopicLabel {
            lang: "de".into(),
            pref: pref.into(),
            alt: alt.iter().map(|a| a.to_string()).collect(),
        }],
        related: vec![],
    };
    p.topics().add(&Actor::Operator, &topic("depression", "Depression", &["Schwermut"], None)).unwrap();
    p.topics().add(&Actor::Operator, &topic("postpartum", "Postpartale Depression", &[], Some("depression"))).unwrap();
    p.topics().add(&Actor::Operator, &topic("anxiety", "Angst", &["Panik"], None)).unwrap();
    World { p, clock, kiss, staff: Actor::account(staff.id), founder, person, other }
}

fn weekly(rule: &str, starts: &str, ends: &str) -> MeetingInput {
    MeetingInput {
        rule: rule.into(),
        starts: starts.into(),
        ends: ends.into(),
        valid_from: None,
        valid_until: None,
        exceptions: vec![],
    }
}

fn place(postcode: &str, confidential: bool) -> GroupPlaceInput {
    GroupPlaceInput {
        country: "DE".into(),
        postcode: postcode.into(),
        venue: Some("Gemeinderaum".into()),
        street: Some("Geheimweg 7".into()),
        confidential,
    }
}

fn new_group(w: &World, name: &str) -> NewGroup {
    NewGroup {
        name: name.into(),
        description: "Wir treffen uns und reden.".into(),
        topics: vec!["depression".into()],
        keywords: vec!["Gespräch".into()],
        audience: GroupAudience::Affected,
        age_min: Some(18),
        age_max: None,
        languages: vec!["de".into()],
        status: GroupStatus::Active,
        format: GroupFormat::InPerson,
        contact_point: Some(w.kiss),
        contact: Some(w.founder.id),
        requests_to: None,
        place: Some(place("07743", false)),
        meetings: vec![weekly("FREQ=MONTHLY;BYDAY=2TU,4TU", "18:00", "20:00")],
        accessibility: vec![Accessibility::StepFree, Accessibility::HearingLoop],
        accessibility_notes: Some("Aufzug im Hof".into()),
    }
}

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

#[test]
fn a_contact_point_publishes_its_contact_data_through_the_gazetteer() {
    let w = world();
    let input = OrgContactInput {
        street: Some("Markt 16".into()),
        postcode: Some("07743".into()),
        country: Some("de".into()),
        phone: Some("+49 3641 123456".into()),
        email: Some("kiss@example.org".into()),
        opening_hours: vec![OpeningHours { day: Weekday::Tuesday, opens: "9:00".into(), closes: "12:00".into() }],
    };
    let contact = w.p.groups().set_org_contact(&w.staff, w.kiss, &input).unwrap();
    assert_eq!(contact.locality.as_deref(), Some("Jena"));
    assert_eq!(contact.coordinates.unwrap().latitude, 50.9271);
    assert_eq!(contact.opening_hours[0].opens, "09:00");
    assert_eq!(w.p.groups().org_contact(&Actor::Anonymous, w.kiss).unwrap(), contact);

    let bad = |change: &dyn Fn(&mut OrgContactInput)| {
        let mut i = input.clone();
        change(&mut i);
        field_of(w.p.groups().set_org_contact(&w.staff, w.kiss, &i))
    };
    assert_eq!(bad(&|i| i.phone = Some("call me".into())), "phone");
    assert_eq!(bad(&|i| i.postcode = Some("00000".into())), "postcode");
    assert_eq!(bad(&|i| i.country = None), "country");
    assert_eq!(bad(&|i| i.opening_hours[0].closes = "08:00".into()), "opening_hours[0].closes");
    assert_eq!(bad(&|i| i.email = Some("nope".into())), "email");
}

#[test]
fn a_group_keeps_every_field_and_its_next_meetings_follow_summer_time() {
    let w = world();
    let g = w.p.groups().create(&w.staff, &new_group(&w, "Lichtblick")).unwrap();
    assert_eq!(g.topics, ["depression"]);
    assert_eq!(g.keywords, ["gespräch"]);
    assert_eq!(g.accessibility, [Accessibility::StepFree, Accessibility::HearingLoop]);
    assert_eq!(g.contact, Some(w.founder.id), "its managers see the group contact");
    assert_eq!(g.meetings[0].description, "every 2nd and 4th Tuesday of the month, 18:00–20:00");
    assert_eq!(g.locality.as_deref(), Some("Jena"));
    assert!(!g.stale);

    // 2nd and 4th Tuesday from 2 March 2026: 10 and 24 March at 18:00 CET (17:00 UTC); summer
    // time begins on 29 March, so 14 and 28 April are at 18:00 CEST (16:00 UTC).
    let dates = w.p.groups().next_meetings(&Actor::Anonymous, g.id, 4).unwrap();
    let starts: Vec<Timestamp> = dates.iter().map(|d| d.start).collect();
    assert_eq!(
        starts,
        [
            at("2026-03-10T17:00:00Z"),
            at("2026-03-24T17:00:00Z"),
            at("2026-04-14T16:00:00Z"),
            at("2026-04-28T16:00:00Z")
        ]
    );
    assert_eq!(dates[0].end, at("2026-03-10T19:00:00Z"));
    assert_eq!(g.next_meeting.unwrap().start, at("2026-03-10T17:00:00Z"));

    // The public does not see the group contact.
    assert_eq!(w.p.groups().get(&Actor::Anonymous, g.id).unwrap().contact, None);
    assert_eq!(w.p.groups().get(&Actor::account(w.person.id), g.id).unwrap().contact, None);
}

#[test]
fn every_n_weeks_exceptions_and_validity_shape_the_dates() {
    let w = world();
    let mut new = new_group(&w, "Zweiwoechentlich");
    new.meetings = vec![MeetingInput {
        rule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO".into(),
        starts: "19:30".into(),
        ends: "21:00".into(),
        valid_from: Some(NaiveDate::from_ymd_opt(2026, 3, 2).unwrap()),
        valid_until: Some(NaiveDate::from_ymd_opt(2026, 4, 30).unwrap()),
        exceptions: vec![NaiveDate::from_ymd_opt(2026, 3, 30).unwrap()],
    }];
    let g = w.p.groups().create(&w.staff, &new).unwrap();
    let dates = w.p.groups().next_meetings(&Actor::Anonymous, g.id, 10).unwrap();
    let days: Vec<String> = dates.iter().map(|d| d.start.format("%Y-%m-%d %H:%M").to_string()).collect();
    // 2, 16 March (CET, 18:30 UTC); 30 March skipped; 13, 27 April (CEST, 17:30 UTC); none after April.
    assert_eq!(days, ["2026-03-02 18:30", "2026-03-16 18:30", "2026-04-13 17:30", "2026-04-27 17:30"]);
}

#[test]
fn bad_input_is_refused_naming_the_field() {
    let w = world();
    let bad = |change: &dyn Fn(&mut NewGroup)| {
        let mut new = new_group(&w, "Fehler");
        change(&mut new);
        field_of(w.p.groups().create(&Actor::Operator, &new))
    };
    assert_eq!(bad(&|n| n.meetings[0].rule = "FREQ=DAILY;BYDAY=TU".into()), "meetings[0].rule");
    assert_eq!(bad(&|n| n.meetings[0].rule = "FREQ=WEEKLY;BYDAY=TU;COUNT=4".into()), "meetings[0].rule");
    assert_eq!(bad(&|n| n.meetings[0].ends = "17:00".into()), "meetings[0].ends");
    assert_eq!(bad(&|n| n.meetings[0].starts = "6pm".into()), "meetings[0].starts");
    assert_eq!(
        bad(&|n| {
            n.contact_point = None;
            n.requests_to = Some(RequestRoute::GroupContact);
            n.place = Some(place("07743", true));
        }),
        "contact_point"
    );
    assert_eq!(bad(&|n| n.place = None), "place");
    assert_eq!(bad(&|n| n.place = Some(place("12345", false))), "place.postcode");
    assert_eq!(bad(&|n| n.topics = vec!["unknown-topic".into()]), "topics");
    assert_eq!(bad(&|n| n.languages = vec![]), "languages");
    assert_eq!(bad(&|n| n.languages = vec!["xx".into()]), "languages");
    assert_eq!(bad(&|n| n.age_max = Some(10)), "age_max");
    assert_eq!(bad(&|n| n.name = " ".into()), "name");
    assert_eq!(
        bad(&|n| {
            n.contact = None;
            n.requests_to = Some(RequestRoute::GroupContact);
        }),
        "requests_to"
    );
    // A contact point must be one.
    let clinic = org(&w.p, "Klinik", "DE-TH").id;
    assert_eq!(
        field_of(
            w.p.groups().create(&Actor::Operator, &NewGroup { contact_point: Some(clinic), ..new_group(&w, "x") })
        ),
        "contact_point"
    );
    // The JSON form refuses unknown fields.
    let json =
        r#"{"name":"x","audience":"affected","languages":["de"],"status":"active","format":"online","colour":"red"}"#;
    assert!(serde_json::from_str::<NewGroup>(json).unwrap_err().to_string().contains("colour"));
}

#[test]
fn a_confidential_place_stays_out_of_search_logs_and_other_eyes() {
    let w = world();
    let mut new = new_group(&w, "Geschuetzter Kreis");
    new.place = Some(place("07743", true));
    let g = w.p.groups().create(&w.staff, &new).unwrap();
    assert_eq!(g.place.as_ref().unwrap().street.as_deref(), Some("Geheimweg 7"), "staff see it");
    let founder = Actor::account(w.founder.id);
    assert!(w.p.groups().get(&founder, g.id).unwrap().place.is_some(), "the group contact sees it");

    let person = Actor::account(w.person.id);
    for viewer in [&Actor::Anonymous, &person] {
        let shown = w.p.groups().get(viewer, g.id).unwrap();
        assert!(shown.place.is_none() && shown.place_confidential);
        assert_eq!(shown.locality.as_deref(), Some("Jena"), "the town stays public");
    }
    let query = GroupQuery { postcode: Some("99423".into()), country: Some("DE".into()), ..Default::default() };
    let hits = w.p.groups().search(&w.staff, &query, &PageRequest::default()).unwrap();
    assert_eq!(hits.items.len(), 1);
    assert!(hits.items[0].group.place.is_none(), "not even staff see it in results");
    assert_eq!(hits.items[0].distance_km.map(|d| d.fract()), Some(0.0), "whole kilometres only");
    let all = serde_json::to_string(&hits).unwrap();
    assert!(!all.contains("Geheimweg") && !all.contains("Gemeinderaum"));

    // Neither the audit log nor the request flow carries it.
    let log =
        w.p.audit()
            .list(&Actor::Operator, &AuditFilter { action_prefix: None, target: None }, &PageRequest::first(500))
            .unwrap();
    assert!(!serde_json::to_string(&log).unwrap().contains("Geheimweg"));

    // Once connected, the person sees it.
    let request =
        w.p.groups()
            .ask_to_join(&person, &NewContactRequest { group: g.id, message: "Hallo".into(), reach: "Inbox".into() })
            .unwrap();
    assert!(w.p.groups().get(&person, g.id).unwrap().place.is_none(), "a request alone does not reveal it");
    w.p.groups().connect_request(&w.staff, request.id, Some("Willkommen")).unwrap();
    assert_eq!(w.p.groups().get(&person, g.id).unwrap().place.unwrap().street.as_deref(), Some("Geheimweg 7"));
    assert!(w.p.groups().get(&Actor::account(w.other.id), g.id).unwrap().place.is_none());
}

#[test]
fn entries_not_confirmed_for_the_freshness_period_are_listed_and_marked() {
    let w = world();
    let old = w.p.groups().create(&w.staff, &new_group(&w, "Alt")).unwrap();
    w.clock.advance(Duration::days(200));
    let fresh = w.p.groups().create(&w.staff, &new_group(&w, "Neu")).unwrap();
    w.clock.advance(Duration::days(200));
    let stale = w.p.groups().stale(&w.staff, w.kiss, &PageRequest::default()).unwrap();
    assert_eq!(stale.items.iter().map(|g| g.id).collect::<Vec<_>>(), [old.id]);
    assert!(stale.items[0].stale);
    let hits = w.p.groups().search(&Actor::Anonymous, &GroupQuery::default(), &PageRequest::default()).unwrap();
    let marked: Vec<(GroupId, bool)> = hits.items.iter().map(|h| (h.group.id, h.group.stale)).collect();
    assert_eq!(marked, [(old.id, true), (fresh.id, false)], "search marks stale entries");

    w.p.groups().confirm(&w.staff, old.id).unwrap();
    assert!(w.p.groups().stale(&w.staff, w.kiss, &PageRequest::default()).unwrap().items.is_empty());

    // Six months instead of twelve.
    let six = GroupSettings { stale_after_months: 6, ..w.p.groups().settings(&Actor::Anonymous).unwrap() };
    w.p.groups().set_settings(&Actor::Operator, &six).unwrap();
    let stale = w.p.groups().stale(&w.staff, w.kiss, &PageRequest::default()).unwrap();
    assert_eq!(stale.items.iter().map(|g| g.id).collect::<Vec<_>>(), [fresh.id]);
    assert_eq!(
        field_of(w.p.groups().set_settings(&Actor::Operator, &GroupSettings { stale_after_months: 0, ..six.clone() })),
        "stale_after_months"
    );
    assert_eq!(
        field_of(w.p.groups().set_settings(&Actor::Operator, &GroupSettings { time_zone: "Mars/Base".into(), ..six })),
        "time_zone"
    );
    assert!(w.p.integrity().unwrap().problems.is_empty());
}

fn inbox_states(w: &World, account: AccountId) -> Vec<String> {
    let page = w.p.inbox().list(&Actor::account(account), false, &PageRequest::default()).unwrap();
    page.items
        .iter()
        .rev()
        .filter_map(|n| match &n.event {
            Event::GroupRequest { state, .. } => Some(state.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_request_goes_to_the_shared_inbox_then_forwarded_and_connected() {
    let w = world();
    let g = w.p.groups().create(&w.staff, &new_group(&w, "Lichtblick")).unwrap();
    let person = Actor::account(w.person.id);
    let ask =
        NewContactRequest { group: g.id, message: "Ich würde gern kommen.".into(), reach: "Telefon 0151 000".into() };
    let r = w.p.groups().ask_to_join(&person, &ask).unwrap();
    assert_eq!((r.state, r.routed_to, r.group_contact.clone()), (RequestState::New, RequestRoute::ContactPoint, None));
    assert!(
        matches!(w.p.groups().ask_to_join(&person, &ask), Err(Error::Conflict { .. })),
        "one open request per group"
    );

    // Every staff member of the contact point sees it in the shared inbox.
    let colleague = Actor::account(account(&w.p, "Kollegin", &[Role::EmployerStaff { org: w.kiss }]).id);
    let inbox = w.p.groups().requests(&colleague, w.kiss, None, &PageRequest::default()).unwrap();
    assert_eq!(inbox.items.iter().map(|r| r.id).collect::<Vec<_>>(), [r.id]);
    assert!(matches!(
        w.p.groups().requests(&person, w.kiss, None, &PageRequest::default()),
        Err(Error::PermissionDenied { .. })
    ));
    // The group contact does not see it before it is forwarded, nor may they answer it.
    let founder = Actor::account(w.founder.id);
    assert!(w.p.groups().contact_requests(&founder, &PageRequest::default()).unwrap().items.is_empty());
    assert!(matches!(w.p.groups().connect_request(&founder, r.id, None), Err(Error::PermissionDenied { .. })));

    let forwarded = w.p.groups().forward_request(&w.staff, r.id).unwrap();
    assert_eq!(forwarded.state, RequestState::Forwarded);
    assert_eq!(forwarded.group_contact, None, "the requester still does not learn the contact");
    assert_eq!(w.p.groups().contact_requests(&founder, &PageRequest::default()).unwrap().items.len(), 1);
    let mine = w.p.groups().my_requests(&person, &PageRequest::default()).unwrap();
    assert_eq!(mine.items[0].group_contact, None);

    let connected = w.p.groups().connect_request(&founder, r.id, Some("Komm gern vorbei")).unwrap();
    assert_eq!(connected.state, RequestState::Connected);
    assert_eq!(connected.group_contact.as_deref(), Some("Gruenderin"));
    assert_eq!(inbox_states(&w, w.person.id), ["forwarded", "connected"], "the requester is told each step");
    assert_eq!(inbox_states(&w, w.founder.id), ["forwarded"]);
    assert_eq!(field_of(w.p.groups().decline_request(&w.staff, r.id, None)), "state");
    assert!(w.p.integrity().unwrap().problems.is_empty());
}

#[test]
fn declined_withdrawn_full_and_ended() {
    let w = world();
    let g = w.p.groups().create(&w.staff, &new_group(&w, "Lichtblick")).unwrap();
    let person = Actor::account(w.person.id);
    let ask = NewContactRequest { group: g.id, message: "Hallo".into(), reach: "Inbox".into() };
    let r = w.p.groups().ask_to_join(&person, &ask).unwrap();
    assert_eq!(
        w.p.groups().decline_request(&w.staff, r.id, Some("Die Gruppe passt nicht")).unwrap().state,
        RequestState::Declined
    );
    assert_eq!(inbox_states(&w, w.person.id), ["declined"]);
    let again = w.p.groups().ask_to_join(&person, &ask).unwrap();
    assert!(matches!(
        w.p.groups().withdraw_request(&Actor::account(w.other.id), again.id),
        Err(Error::PermissionDenied { .. })
    ));
    assert_eq!(w.p.groups().withdraw_request(&person, again.id).unwrap().state, RequestState::Withdrawn);

    for status in [GroupStatus::Full, GroupStatus::Ended] {
        w.p.groups().update(&w.staff, g.id, &GroupUpdate { status: Some(status), ..Default::default() }).unwrap();
        assert_eq!(field_of(w.p.groups().ask_to_join(&Actor::account(w.other.id), &ask)), "group");
    }
    assert!(matches!(w.p.groups().ask_to_join(&Actor::Anonymous, &ask), Err(Error::PermissionDenied { .. })));
    assert_eq!(
        field_of(w.p.groups().ask_to_join(&person, &NewContactRequest { message: " ".into(), ..ask.clone() })),
        "message"
    );
}

#[test]
fn a_group_may_take_requests_itself() {
    let w = world();
    let mut new = new_group(&w, "Selbstorganisiert");
    new.contact_point = None;
    new.requests_to = Some(RequestRoute::GroupContact);
    let founder = Actor::account(w.founder.id);
    let g = w.p.groups().create(&founder, &new).unwrap();
    let r =
        w.p.groups()
            .ask_to_join(
                &Actor::account(w.person.id),
                &NewContactRequest { group: g.id, message: "Hi".into(), reach: "Inbox".into() },
            )
            .unwrap();
    assert_eq!(r.routed_to, RequestRoute::GroupContact);
    assert_eq!(inbox_states(&w, w.founder.id), ["new"]);
    assert_eq!(w.p.groups().contact_requests(&founder, &PageRequest::default()).unwrap().items[0].id, r.id);
    assert_eq!(w.p.groups().connect_request(&founder, r.id, None).unwrap().state, RequestState::Connected);
    // Someone else cannot make themselves the group's manager.
    assert!(matches!(w.p.groups().create(&Actor::account(w.other.id), &new), Err(Error::PermissionDenied { .. })));
}

#[test]
fn requests_are_purged_after_the_retention_period_and_limited_per_day() {
    let w = world();
    let g = w.p.groups().create(&w.staff, &new_group(&w, "Lichtblick")).unwrap();
    let person = Actor::account(w.person.id);
    let ask = NewContactRequest { group: g.id, message: "Hallo".into(), reach: "Inbox".into() };
    let first = w.p.groups().ask_to_join(&person, &ask).unwrap();
    w.p.groups().withdraw_request(&person, first.id).unwrap();
    w.clock.advance(Duration::days(100));
    let second = w.p.groups().ask_to_join(&person, &ask).unwrap();
    w.clock.advance(Duration::days(81));
    let report = w.p.tick(&Actor::Operator, w.clock.now()).unwrap();
    assert!(report.work.iter().any(|c| c.what == "contact requests purged" && c.count == 1), "{report:?}");
    assert!(matches!(w.p.groups().withdraw_request(&person, first.id), Err(Error::NotFound { .. })));
    let inbox = w.p.groups().requests(&w.staff, w.kiss, None, &PageRequest::default()).unwrap();
    assert_eq!(inbox.items.iter().map(|r| r.id).collect::<Vec<_>>(), [second.id]);
    let again = w.p.tick(&Actor::Operator, w.clock.now()).unwrap();
    assert!(!again.work.iter().any(|c| c.what == "contact requests purged" && c.count > 0));
    assert!(w.p.integrity().unwrap().problems.is_empty());

    // Five requests a day, then RateLimited.
    let groups: Vec<GroupId> =
        (0..6).map(|i| w.p.groups().create(&w.staff, &new_group(&w, &format!("G{i}"))).unwrap().id).collect();
    let other = Actor::account(w.other.id);
    for g in &groups[..5] {
        w.p.groups().ask_to_join(&other, &NewContactRequest { group: *g, ..ask.clone() }).unwrap();
    }
    let limited = w.p.groups().ask_to_join(&other, &NewContactRequest { group: groups[5], ..ask.clone() });
    assert!(
        matches!(limited, Err(Error::RateLimited { retry_after_secs }) if retry_after_secs > 0 && retry_after_secs <= 86_400),
        "{limited:?}"
    );
    w.clock.advance(Duration::days(1));
    w.p.groups().ask_to_join(&other, &NewContactRequest { group: groups[5], ..ask }).unwrap();
}

#[test]
fn search_by_text_topic_place_time_language_audience_and_access() {
    let w = world();
    let mk = |name: &str, change: &dyn Fn(&mut NewGroup)| {
        let mut new = new_group(&w, name);
        change(&mut new);
        w.p.groups().create(&w.staff, &new).unwrap().id
    };
    let jena = mk("Jena Depression", &|_| {});
    let weimar = mk("Weimar Mütter", &|n| {
        n.topics = vec!["postpartum".into()];
        n.place = Some(place("99423", false));
        n.meetings = vec![weekly("FREQ=WEEKLY;BYDAY=WE", "10:00", "11:30")];
        n.audience = GroupAudience::Both;
        n.accessibility = vec![Accessibility::ChildCare];
    });
    let gera = mk("Gera Angst", &|n| {
        n.topics = vec!["anxiety".into()];
        n.place = Some(place("07545", false));
        n.languages = vec!["de".into(), "en".into()];
        n.status = GroupStatus::Founding;
    });
    let online = mk("Online Panik", &|n| {
        n.topics = vec!["anxiety".into()];
        n.format = GroupFormat::Online;
        n.place = None;
        n.audience = GroupAudience::Relatives;
    });
    let berlin = mk("Berlin Angst", &|n| {
        n.topics = vec!["anxiety".into()];
        n.place = Some(place("10115", false));
    });
    let _ended = mk("Vorbei", &|n| n.status = GroupStatus::Ended);

    let ids = |q: GroupQuery| -> Vec<GroupId> {
        w.p.groups()
            .search(&Actor::Anonymous, &q, &PageRequest::default())
            .unwrap()
            .items
            .into_iter()
            .map(|h| h.group.id)
            .collect()
    };
    // A synonym finds the topic's groups; a topic includes its narrower topics.
    assert_eq!(ids(GroupQuery { text: Some("Schwermut".into()), ..Default::default() }), [jena, weimar]);
    assert_eq!(ids(GroupQuery { topic: Some("Panik".into()), ..Default::default() }), [gera, online, berlin]);
    assert_eq!(ids(GroupQuery { text: Some("mütter".into()), ..Default::default() }), [weimar]);
    // 25 km around Jena: Jena, then Weimar (about 20 km); online groups always; Gera is ~35 km.
    let near = GroupQuery { postcode: Some("07743".into()), country: Some("DE".into()), ..Default::default() };
    assert_eq!(ids(near.clone()), [online, jena, weimar]);
    assert_eq!(
        ids(GroupQuery { radius_km: Some(40.0), topic: Some("anxiety".into()), ..near.clone() }),
        [online, gera]
    );
    assert_eq!(ids(GroupQuery { weekday: Some(Weekday::Wednesday), ..Default::default() }), [weimar]);
    assert_eq!(
        ids(GroupQuery { starts_after: Some("17:00".into()), ends_before: Some("20:00".into()), ..Default::default() })
            .len(),
        4
    );
    assert_eq!(ids(GroupQuery { ends_before: Some("12:00".into()), ..Default::default() }), [weimar]);
    assert_eq!(ids(GroupQuery { language: Some("en".into()), ..Default::default() }), [gera]);
    assert_eq!(ids(GroupQuery { audience: Some(GroupAudience::Relatives), ..Default::default() }), [weimar, online]);
    assert_eq!(ids(GroupQuery { accessibility: vec![Accessibility::ChildCare], ..Default::default() }), [weimar]);
    assert_eq!(ids(GroupQuery { status: Some(GroupStatus::Founding), ..Default::default() }), [gera]);
    assert_eq!(ids(GroupQuery::default()).len(), 5, "ended groups only when asked for");

    let bad = |q: GroupQuery| field_of(w.p.groups().search(&Actor::Anonymous, &q, &PageRequest::default()));
    assert_eq!(bad(GroupQuery { topic: Some("kochen".into()), ..Default::default() }), "topic");
    assert_eq!(bad(GroupQuery { radius_km: Some(-1.0), ..near.clone() }), "radius_km");
    assert_eq!(bad(GroupQuery { postcode: Some("07743".into()), ..Default::default() }), "country");
    assert_eq!(bad(GroupQuery { starts_after: Some("late".into()), ..Default::default() }), "starts_after");

    // Pages follow each other without gaps.
    let first = w.p.groups().search(&Actor::Anonymous, &GroupQuery::default(), &PageRequest::first(2)).unwrap();
    let rest = w
        .p
        .groups()
        .search(&Actor::Anonymous, &GroupQuery::default(), &PageRequest::after(first.next_cursor.clone().unwrap(), 10))
        .unwrap();
    assert_eq!(first.items.len() + rest.items.len(), 5);
    assert!(rest.next_cursor.is_none());
}

// ---- rooms and bookings ----------------------------------------------------------------------

/// A clinic with a staff member, offering a room on Tuesday and Thursday evenings.
struct Clinic {
    org: OrgId,
    staff: Actor,
    staff_id: AccountId,
    room: Room,
}

fn window(day: Weekday, opens: &str, closes: &str) -> OpeningHours {
    OpeningHours { day, opens: opens.into(), closes: closes.into() }
}

fn new_room(org: OrgId) -> NewRoom {
    NewRoom {
        org,
        name: "Seminarraum 2".into(),
        place: GroupPlaceInput {
            country: "DE".into(),
            postcode: "07743".into(),
            venue: Some("Klinikum, Haus C".into()),
            street: Some("Am Klinikum 1".into()),
            confidential: false,
        },
        capacity: 12,
        accessibility: vec![Accessibility::StepFree, Accessibility::AccessibleToilet],
        accessibility_notes: None,
        windows: vec![window(Weekday::Thursday, "17:00", "21:00"), window(Weekday::Tuesday, "17:00", "22:00")],
    }
}

fn clinic(w: &World) -> Clinic {
    let new = NewOrganisation {
        name: "Klinikum Jena (Test)".into(),
        kind: OrgKind::Clinic,
        region: "DE-TH".into(),
        city: Some("Jena".into()),
        website: None,
    };
    let org = w.p.orgs().create(&Actor::Operator, &new).unwrap().id;
    let staff = account(&w.p, "Klinikraum", &[Role::EmployerStaff { org }]);
    let room = w.p.groups().offer_room(&Actor::account(staff.id), &new_room(org)).unwrap();
    Clinic { org, staff: Actor::account(staff.id), staff_id: staff.id, room }
}

fn slot(room: RoomId, group: GroupId, day: Weekday, starts: &str, ends: &str) -> NewBooking {
    NewBooking {
        room,
        group,
        day,
        starts: starts.into(),
        ends: ends.into(),
        valid_from: None,
        valid_until: None,
        people: 8,
    }
}

fn booking_states(w: &World, account: AccountId) -> Vec<String> {
    let page = w.p.inbox().list(&Actor::account(account), false, &PageRequest::default()).unwrap();
    page.items
        .iter()
        .rev()
        .filter_map(|n| match &n.event {
            Event::RoomBooking { state, .. } => Some(state.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_clinic_offers_a_room_a_group_books_a_weekly_slot_and_the_clinic_confirms() {
    let w = world();
    let c = clinic(&w);
    assert_eq!(c.room.place.locality.as_deref(), Some("Jena"));
    assert_eq!(c.room.windows[0].day, Weekday::Tuesday, "windows are sorted by day");
    assert!(c.room.open);
    // Anyone sees the room and the organisation's rooms.
    assert_eq!(w.p.groups().room(&Actor::Anonymous, c.room.id).unwrap().org_name, "Klinikum Jena (Test)");
    let listed = w.p.groups().rooms(&Actor::Anonymous, Some(c.org), &PageRequest::default()).unwrap();
    assert_eq!(listed.items.iter().map(|r| r.id).collect::<Vec<_>>(), [c.room.id]);

    let group = w.p.groups().create(&w.staff, &new_group(&w, "Angst-Gruppe")).unwrap();
    let founder = Actor::account(w.founder.id);
    let booked =
        w.p.groups().book_room(&founder, &slot(c.room.id, group.id, Weekday::Tuesday, "18:00", "20:00")).unwrap();
    assert_eq!((booked.state, booked.requested_by), (BookingState::Requested, Some(w.founder.id)));
    assert_eq!(booking_states(&w, c.staff_id), ["requested"], "the clinic's staff are told");
    let overview = w.p.groups().room_overview(&w.staff, w.kiss, false, &PageRequest::default()).unwrap();
    assert_eq!(overview.items[0].need, RoomNeed::Requested);

    let confirmed = w.p.groups().confirm_booking(&c.staff, booked.id, Some("Schlüssel am Empfang")).unwrap();
    assert_eq!((confirmed.state, confirmed.answer.as_deref()), (BookingState::Confirmed, Some("Schlüssel am Empfang")));
    assert_eq!(booking_states(&w, w.founder.id), ["confirmed"], "the group's side is told");
    let overview = w.p.groups().room_overview(&w.staff, w.kiss, false, &PageRequest::default()).unwrap();
    assert_eq!((overview.items[0].need, overview.items[0].bookings.len()), (RoomNeed::Booked, 1));
    assert!(w.p.groups().room_overview(&w.staff, w.kiss, true, &PageRequest::default()).unwrap().items.is_empty());
    assert_eq!(w.p.groups().group_bookings(&founder, group.id).unwrap()[0].id, booked.id);
    let of_room = w.p.groups().room_bookings(&c.staff, c.room.id, &PageRequest::default()).unwrap();
    assert_eq!(of_room.items.iter().map(|b| b.state).collect::<Vec<_>>(), [BookingState::Confirmed]);
    // A confirmed booking is answered once.
    assert_eq!(field_of(w.p.groups().decline_booking(&c.staff, booked.id, None)), "state");
    let report = w.p.integrity().unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

#[test]
fn a_slot_outside_the_windows_an_overlap_or_too_many_people_name_the_field() {
    let w = world();
    let c = clinic(&w);
    let group = w.p.groups().create(&w.staff, &new_group(&w, "Gruppe A")).unwrap();
    let other = w.p.groups().create(&w.staff, &new_group(&w, "Gruppe B")).unwrap();
    let g = w.p.groups();
    let book = |b: NewBooking| g.book_room(&w.staff, &b);
    let (room, tue) = (c.room.id, Weekday::Tuesday);
    assert_eq!(field_of(book(slot(room, group.id, Weekday::Monday, "18:00", "20:00"))), "day");
    assert_eq!(field_of(book(slot(room, group.id, tue, "20:00", "22:30"))), "ends");
    assert_eq!(field_of(book(slot(room, group.id, tue, "16:00", "18:00"))), "starts");
    assert_eq!(field_of(book(slot(room, group.id, tue, "20:00", "19:00"))), "ends");
    assert_eq!(field_of(book(slot(room, group.id, tue, "7pm", "20:00"))), "starts");
    assert_eq!(field_of(book(NewBooking { people: 13, ..slot(room, group.id, tue, "18:00", "20:00") })), "people");
    assert_eq!(field_of(book(NewBooking { people: 0, ..slot(room, group.id, tue, "18:00", "20:00") })), "people");
    let from = NaiveDate::from_ymd_opt(2026, 6, 1).unwrap();
    let backwards = NewBooking {
        valid_from: Some(from),
        valid_until: Some(from - Duration::days(1)),
        ..slot(room, group.id, tue, "18:00", "20:00")
    };
    assert_eq!(field_of(book(backwards)), "valid_until");

    book(slot(room, group.id, tue, "18:00", "20:00")).unwrap();
    // Overlapping times on the same day are refused for any group, without naming it.
    let clash = book(slot(room, other.id, tue, "19:30", "21:00"));
    match &clash {
        Err(Error::InvalidInput { field, reason }) => {
            assert_eq!(field, "starts");
            assert!(!reason.contains("Gruppe A"), "the other group stays unnamed: {reason}");
        }
        other => panic!("expected the overlap to be refused, got {other:?}"),
    }
    // Touching slots, another day, and a span of dates that ends before do not overlap.
    book(slot(room, other.id, tue, "20:00", "22:00")).unwrap();
    book(slot(room, other.id, Weekday::Thursday, "18:00", "20:00")).unwrap();
    let earlier = w.clock.now().date_naive() - Duration::days(10);
    let past = NewBooking {
        valid_from: Some(earlier - Duration::days(60)),
        valid_until: Some(earlier),
        ..slot(room, other.id, tue, "18:00", "20:00")
    };
    book(past).unwrap();

    // A closed room, an ended group, a confidential room, a room without windows.
    g.update_room(&c.staff, room, &RoomUpdate { open: Some(false), ..Default::default() }).unwrap();
    assert_eq!(field_of(book(slot(room, group.id, Weekday::Thursday, "20:00", "21:00"))), "room");
    let ended = GroupUpdate { status: Some(GroupStatus::Ended), ..Default::default() };
    g.update(&w.staff, other.id, &ended).unwrap();
    let second = g.offer_room(&c.staff, &new_room(c.org)).unwrap();
    assert_eq!(field_of(book(slot(second.id, other.id, tue, "18:00", "20:00"))), "group");
    let mut hidden = new_room(c.org);
    hidden.place.confidential = true;
    assert_eq!(field_of(g.offer_room(&c.staff, &hidden)), "place.confidential");
    assert_eq!(field_of(g.offer_room(&c.staff, &NewRoom { windows: vec![], ..new_room(c.org) })), "windows");
    assert_eq!(field_of(g.offer_room(&c.staff, &NewRoom { capacity: 0, ..new_room(c.org) })), "capacity");
    let bad_window = NewRoom { windows: vec![window(tue, "21:00", "17:00")], ..new_room(c.org) };
    assert_eq!(field_of(g.offer_room(&c.staff, &bad_window)), "windows[0].closes");
    assert!(w.p.integrity().unwrap().problems.is_empty());
}

#[test]
fn many_groups_booking_the_same_slot_at_once_leave_exactly_one_booking() {
    use std::sync::{Arc, Barrier};
    let w = world();
    let c = clinic(&w);
    let groups: Vec<GroupId> =
        (0..24).map(|i| w.p.groups().create(&w.staff, &new_group(&w, &format!("Gruppe {i}"))).unwrap().id).collect();
    let barrier = Arc::new(Barrier::new(groups.len()));
    let handles: Vec<_> = groups
        .iter()
        .enumerate()
        .map(|(i, group)| {
            let (p, barrier, staff, room, group) = (w.p.clone(), barrier.clone(), w.staff.clone(), c.room.id, *group);
            // Every slot overlaps every other: 18:00–20:00, 18:05–20:05, …
            let starts = format!("18:{:02}", i % 20);
            let ends = format!("20:{:02}", i % 20);
            std::thread::spawn(move || {
                barrier.wait();
                p.groups().book_room(&staff, &slot(room, group, Weekday::Tuesday, &starts, &ends))
            })
        })
        .collect();
    let results: Vec<Result<Booking>> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    let won = results.iter().filter(|r| r.is_ok()).count();
    let refused =
        results.iter().filter(|r| matches!(r, Err(Error::InvalidInput { field, .. }) if field == "starts")).count();
    assert_eq!((won, refused), (1, groups.len() - 1));
    let held = w.p.groups().room_bookings(&c.staff, c.room.id, &PageRequest::default()).unwrap();
    assert_eq!(held.items.len(), 1);
    assert!(w.p.integrity().unwrap().problems.is_empty());
}

#[test]
fn cancelling_or_declining_frees_the_slot_and_tells_the_other_side() {
    let w = world();
    let c = clinic(&w);
    let group = w.p.groups().create(&w.staff, &new_group(&w, "Trauer")).unwrap();
    let founder = Actor::account(w.founder.id);
    let g = w.p.groups();
    let tuesday = slot(c.room.id, group.id, Weekday::Tuesday, "18:00", "20:00");
    let first = g.book_room(&founder, &tuesday).unwrap();
    g.confirm_booking(&c.staff, first.id, None).unwrap();
    // The group cancels: the clinic's staff are told; the slot is free again.
    let cancelled = g.cancel_booking(&founder, first.id, Some("Wir treffen uns online")).unwrap();
    assert_eq!(cancelled.state, BookingState::Cancelled);
    assert_eq!(booking_states(&w, c.staff_id), ["requested", "cancelled"]);
    assert_eq!(booking_states(&w, w.founder.id), ["confirmed"], "the canceller is not told of their own act");
    assert_eq!(field_of(g.cancel_booking(&founder, first.id, None)), "state");
    assert_eq!(field_of(g.confirm_booking(&c.staff, first.id, None)), "state");

    // The clinic declines the next request, then cancels a confirmed one: the group is told.
    let second = g.book_room(&founder, &tuesday).unwrap();
    g.decline_booking(&c.staff, second.id, Some("Renovierung")).unwrap();
    let third = g.book_room(&founder, &tuesday).unwrap();
    g.confirm_booking(&c.staff, third.id, None).unwrap();
    g.cancel_booking(&c.staff, third.id, None).unwrap();
    assert_eq!(booking_states(&w, w.founder.id), ["confirmed", "declined", "confirmed", "cancelled"]);
    let overview = g.room_overview(&w.staff, w.kiss, true, &PageRequest::default()).unwrap();
    assert_eq!((overview.items[0].group, overview.items[0].need), (group.id, RoomNeed::Without));
    // Someone outside both sides may not cancel.
    let fourth = g.book_room(&founder, &tuesday).unwrap();
    let outsider = g.cancel_booking(&Actor::account(w.other.id), fourth.id, None);
    assert!(matches!(outsider, Err(Error::PermissionDenied { .. })), "{outsider:?}");
}

#[test]
fn erasure_takes_a_persons_requests_and_a_contact_persons_place_in_the_directory() {
    let w = world();
    let g = w.p.groups().create(&w.staff, &new_group(&w, "Lichtblick")).unwrap();
    let (person, other, founder) =
        (Actor::account(w.person.id), Actor::account(w.other.id), Actor::account(w.founder.id));
    let ask =
        |message: &str, reach: &str| NewContactRequest { group: g.id, message: message.into(), reach: reach.into() };
    let connected = w.p.groups().ask_to_join(&other, &ask("Ich komme gern.", "Inbox")).unwrap();
    w.p.groups().forward_request(&w.staff, connected.id).unwrap();
    w.p.groups().connect_request(&founder, connected.id, None).unwrap();
    let mine = w.p.groups().ask_to_join(&person, &ask("Kornblumenwiese im Herzen", "Telefon 0151 4711")).unwrap();
    w.p.groups().forward_request(&w.staff, mine.id).unwrap();

    let export = w.p.rights().export_documents(&person, w.person.id).unwrap();
    let requests = export.documents.iter().find(|d| d.name == "group_requests.json").unwrap();
    assert_eq!(requests.records, 1);
    assert!(requests.json.contains("Kornblumenwiese") && requests.json.contains("0151 4711"));
    let contact_of = w.p.rights().export_documents(&founder, w.founder.id).unwrap();
    let groups = contact_of.documents.iter().find(|d| d.name == "group_contact_of.json").unwrap();
    assert!(groups.records == 1 && groups.json.contains("Lichtblick"), "{}", groups.json);

    // The contact person goes: the group keeps its contact point, their inbox moves there.
    w.p.rights().erase(&founder, w.founder.id, None, "auf eigenen Wunsch").unwrap();
    let group = w.p.groups().get(&w.staff, g.id).unwrap();
    assert_eq!((group.contact, group.requests_to), (None, RequestRoute::ContactPoint));
    let theirs = w.p.groups().my_requests(&other, &PageRequest::default()).unwrap();
    assert_eq!(theirs.items[0].group_contact.as_deref(), Some("former member"), "the connected request names nobody");
    let shared = w.p.groups().requests(&w.staff, w.kiss, None, &PageRequest::default()).unwrap();
    assert!(shared.items.iter().any(|r| r.id == mine.id), "the forwarded request is back in the shared inbox");
    assert_eq!(w.p.integrity().unwrap().problems, Vec::<String>::new());

    // The person goes: their request with message and number is gone from every inbox.
    let report = w.p.rights().erase(&person, w.person.id, None, "auf eigenen Wunsch").unwrap();
    assert!(report.erased.iter().any(|c| c.what == "contact requests" && c.count == 1), "{report:?}");
    let shared = w.p.groups().requests(&w.staff, w.kiss, None, &PageRequest::default()).unwrap();
    assert_eq!(shared.items.iter().map(|r| r.id).collect::<Vec<_>>(), [connected.id]);
    assert!(!format!("{shared:?}").contains("Kornblumenwiese"));
    assert_eq!(w.p.integrity().unwrap().problems, Vec::<String>::new());
}

#[test]
fn erasing_the_person_who_booked_keeps_the_booking_for_the_group_without_them() {
    let w = world();
    let c = clinic(&w);
    let group = w.p.groups().create(&w.staff, &new_group(&w, "Mittwochsrunde")).unwrap();
    let founder = Actor::account(w.founder.id);
    let booked =
        w.p.groups().book_room(&founder, &slot(c.room.id, group.id, Weekday::Tuesday, "18:00", "20:00")).unwrap();
    assert_eq!(booked.requested_by, Some(w.founder.id));
    let report = w.p.rights().erase(&founder, w.founder.id, None, "auf eigenen Wunsch").unwrap();
    assert!(report.erased.iter().any(|c| c.what.starts_with("room bookings") && c.count == 1), "{report:?}");
    let kept = w.p.groups().room_bookings(&c.staff, c.room.id, &PageRequest::default()).unwrap();
    assert_eq!((kept.items[0].id, kept.items[0].requested_by), (booked.id, None));
    assert_eq!(w.p.integrity().unwrap().problems, Vec::<String>::new());
}

/// Asks to join `group` as `n` people of their own (the rate limit is per person).
fn requests_from(w: &World, group: GroupId, n: usize) {
    for i in 0..n {
        let person = account(&w.p, &format!("Fragende{i}"), &[]);
        let ask = NewContactRequest { group, message: "Darf ich kommen?".into(), reach: "Inbox".into() };
        w.p.groups().ask_to_join(&Actor::account(person.id), &ask).unwrap();
    }
}

/// The contact point's month figure of contact requests in its 2026 report.
fn requests_figure(w: &World, period: &str) -> Option<Option<f64>> {
    let rows = w.p.reports().org(&Actor::Operator, w.kiss, "2026").unwrap();
    rows.iter()
        .find(|r| r.figure == "group_contact_requests" && r.period == period && r.category.is_none())
        .map(|r| r.value)
}

#[test]
fn contact_requests_are_counted_for_the_reports_and_outlive_the_purge_of_the_requests() {
    let w = world();
    let group = w.p.groups().create(&Actor::Operator, &new_group(&w, "Montagsgruppe")).unwrap();
    requests_from(&w, group.id, 6);
    assert_eq!(requests_figure(&w, "2026-03"), Some(Some(6.0)));
    let days = i64::from(w.p.groups().settings(&Actor::Operator).unwrap().request_retention_days);
    w.clock.advance(Duration::days(days + 1));
    w.p.tick(&Actor::Operator, w.clock.now()).unwrap();
    let mine = w.p.groups().requests(&w.staff, w.kiss, None, &PageRequest::default()).unwrap();
    assert!(mine.items.is_empty(), "the requests are purged");
    assert_eq!(requests_figure(&w, "2026-03"), Some(Some(6.0)), "their count stays");
    assert_eq!(requests_figure(&w, "2026-Q1"), Some(Some(6.0)));
}

#[test]
fn a_version_12_file_counts_the_requests_it_holds_when_it_is_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiss.trialog");
    let clock = clock();
    let options = || PlatformOptions { clock: Arc::new(clock.clone()), ..Default::default() };
    {
        let w = world_on(Platform::open(&path, options()).unwrap(), clock.clone());
        let group = w.p.groups().create(&Actor::Operator, &new_group(&w, "Montagsgruppe")).unwrap();
        requests_from(&w, group.id, 5);
    }
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        txn.delete_table(redb::TableDefinition::<(u32, u64), u64>::new("group_request_counts")).unwrap();
        txn.open_table(redb::TableDefinition::<&str, u64>::new("meta")).unwrap().insert("schema_version", 12).unwrap();
        txn.commit().unwrap();
    }
    let p = Platform::open(&path, options()).unwrap();
    assert_eq!(p.integrity().unwrap().schema_version, SCHEMA_VERSION);
    let kiss = p.orgs().get(&Actor::Operator, OrgId(1)).unwrap().id;
    let rows = p.reports().org(&Actor::Operator, kiss, "2026").unwrap();
    let march =
        rows.iter().find(|r| r.figure == "group_contact_requests" && r.period == "2026-03" && r.category.is_none());
    assert_eq!(march.map(|r| r.value), Some(Some(5.0)));
}

/// Texts only the person's contact request holds, so that finding one in a file means the
/// request is there in the clear.
const MESSAGE: &str = "Seit dem Klinikaufenthalt Moorlichtschwalbe";
const REACH: &str = "Festnetz 03641 889977";
const ANSWER: &str = "Die Gruppe Ginsterhecke ist leider voll";

fn file_contains(path: &std::path::Path, needle: &str) -> bool {
    let bytes = std::fs::read(path).unwrap();
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn key_file(path: &std::path::Path) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(".keys");
    name.into()
}

/// The person asks with `MESSAGE` and `REACH`, the contact point declines with `ANSWER`.
fn declined_request(w: &World) -> ContactRequest {
    let g = w.p.groups().create(&w.staff, &new_group(w, "Lichtblick")).unwrap();
    let ask = NewContactRequest { group: g.id, message: MESSAGE.into(), reach: REACH.into() };
    let asked = w.p.groups().ask_to_join(&Actor::account(w.person.id), &ask).unwrap();
    w.p.groups().decline_request(&w.staff, asked.id, Some(ANSWER)).unwrap()
}

/// Since schema version 19 a request's message, way of reaching the person and answer are
/// sealed under the requester's key: the file never holds them in the clear, the export
/// holds them, and after the erasure a copy of the file taken before (a backup) no longer
/// opens them beside the platform's key store — while with the key store of that time it
/// would (so the test can see them).
#[test]
fn erasure_shreds_the_texts_of_a_persons_contact_requests_in_every_copy() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiss.trialog");
    let clock = clock();
    let options = || PlatformOptions { clock: Arc::new(clock.clone()), ..Default::default() };
    let w = world_on(Platform::open(&path, options()).unwrap(), clock.clone());
    let request = declined_request(&w);
    assert_eq!((request.message.as_str(), request.reach.as_str()), (MESSAGE, REACH), "operations see plain texts");
    assert_eq!(request.answer.as_deref(), Some(ANSWER));
    let person = Actor::account(w.person.id);
    let export = w.p.rights().export_documents(&person, w.person.id).unwrap();
    let file = export.documents.iter().find(|d| d.name == "group_requests.json").unwrap();
    for text in [MESSAGE, REACH, ANSWER] {
        assert!(file.json.contains(text), "the export holds {text}: {}", file.json);
    }
    let (person_id, kiss, staff) = (w.person.id, w.kiss, w.staff.clone());
    drop(w);
    for text in [MESSAGE, REACH, ANSWER] {
        assert!(!file_contains(&path, text), "{text} is sealed, never in the file as it is");
    }
    let backup = dir.path().join("backup.trialog");
    let keys_then = dir.path().join("keys-then");
    std::fs::copy(&path, &backup).unwrap();
    std::fs::copy(key_file(&path), &keys_then).unwrap();

    let p = Platform::open(&path, options()).unwrap();
    let report = p.rights().erase(&Actor::Operator, person_id, None, "auf eigenen Wunsch").unwrap();
    assert!(report.erased.iter().any(|c| c.what == "data key" && c.count == 1), "{report:?}");
    assert_eq!(p.integrity().unwrap().problems, Vec::<String>::new());
    p.compact(&Actor::Operator).unwrap();
    drop(p);
    for text in [MESSAGE, REACH, ANSWER] {
        assert!(!file_contains(&path, text) && !file_contains(&key_file(&path), text), "{text} is nowhere");
    }

    std::fs::copy(&keys_then, key_file(&backup)).unwrap();
    let then = Platform::open(&backup, options()).unwrap();
    let inbox = then.groups().requests(&staff, kiss, None, &PageRequest::default()).unwrap();
    assert_eq!(inbox.items[0].message, MESSAGE, "with the key store of the time the copy opens");
    drop(then);
    std::fs::copy(key_file(&path), key_file(&backup)).unwrap();
    let restored = Platform::open(&backup, options()).unwrap();
    let err = restored.groups().requests(&staff, kiss, None, &PageRequest::default()).unwrap_err();
    assert!(matches!(err, Error::Storage { ref detail } if detail.contains("sealed")), "{err:?}");
    assert!(![MESSAGE, REACH, ANSWER].iter().any(|t| err.to_string().contains(t)), "{err}");
    let problems = restored.integrity().unwrap().problems;
    assert!(problems.iter().any(|p| p.contains(&format!("contact request {}", request.id))), "{problems:?}");
}

/// Version 15 kept the texts of contact requests in the clear. Opening such a file seals
/// them under each requester's key: every request reads the same, and after compaction no
/// text is left in the file.
#[test]
fn a_version_15_file_seals_the_texts_of_its_contact_requests_and_reads_the_same() {
    use redb::{ReadableDatabase, TableDefinition};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiss.trialog");
    let clock = clock();
    let options = || PlatformOptions { clock: Arc::new(clock.clone()), ..Default::default() };
    let (request, kiss, staff, person) = {
        let w = world_on(Platform::open(&path, options()).unwrap(), clock.clone());
        (declined_request(&w), w.kiss, w.staff.clone(), Actor::account(w.person.id))
    };
    // Back to version 15: the request as the record it was (JSON reads as every earlier record
    // does): the request with its texts, lying in the contact point's inbox.
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut table = txn.open_table(TableDefinition::<u64, &[u8]>::new("group_requests")).unwrap();
            let record = serde_json::json!({ "request": request, "org": kiss, "contact": null });
            table.insert(request.id.0, serde_json::to_vec(&record).unwrap().as_slice()).unwrap();
        }
        txn.open_table(TableDefinition::<&str, u64>::new("meta")).unwrap().insert("schema_version", 15u64).unwrap();
        txn.commit().unwrap();
        drop(db.begin_read().unwrap());
    }
    assert!(
        [MESSAGE, REACH, ANSWER].iter().all(|t| file_contains(&path, t)),
        "version 15 holds them (the test sees them)"
    );

    let p = Platform::open(&path, options()).unwrap();
    let report = p.integrity().unwrap();
    assert_eq!(report.schema_version, SCHEMA_VERSION);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(p.groups().my_requests(&person, &PageRequest::default()).unwrap().items, std::slice::from_ref(&request));
    assert_eq!(
        p.groups().requests(&staff, kiss, None, &PageRequest::default()).unwrap().items,
        std::slice::from_ref(&request)
    );
    p.compact(&Actor::Operator).unwrap();
    drop(p);
    for text in [MESSAGE, REACH, ANSWER] {
        assert!(!file_contains(&path, text), "{text} is left in the file");
    }
    let p = Platform::open(&path, options()).unwrap();
    assert_eq!(p.groups().my_requests(&person, &PageRequest::default()).unwrap().items, [request], "after reopening");
}

#[test]
fn a_version_15_file_builds_its_search_index_when_it_is_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiss.trialog");
    let clock = clock();
    let options = || PlatformOptions { clock: Arc::new(clock.clone()), ..Default::default() };
    let near_jena = GroupQuery {
        postcode: Some("07743".into()),
        country: Some("DE".into()),
        radius_km: Some(50.0),
        ..Default::default()
    };
    let by_topic = GroupQuery { topic: Some("depression".into()), ..Default::default() };
    let search =
        |p: &Platform, q: &GroupQuery| p.groups().search(&Actor::Anonymous, q, &PageRequest::first(50)).unwrap();
    let before = {
        let w = world_on(Platform::open(&path, options()).unwrap(), clock.clone());
        for (name, postcode, confidential) in
            [("Jena", "07743", false), ("Weimar", "99423", true), ("Erfurt", "99084", false)]
        {
            let mut new = new_group(&w, name);
            new.place = Some(place(postcode, confidential));
            w.p.groups().create(&Actor::Operator, &new).unwrap();
        }
        let mut online = new_group(&w, "Online");
        (online.format, online.place) = (GroupFormat::Online, None);
        w.p.groups().create(&Actor::Operator, &online).unwrap();
        (search(&w.p, &near_jena), search(&w.p, &by_topic))
    };
    assert_eq!(before.0.items.len(), 4, "three places within 50 km and the online group");
    assert_eq!(before.1.items.len(), 4);
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        for name in ["group_search_cards", "group_search_cells", "group_search_topic_cells"] {
            assert!(txn.delete_table(redb::TableDefinition::<u64, u64>::new(name)).unwrap(), "{name}");
        }
        txn.open_table(redb::TableDefinition::<&str, u64>::new("meta")).unwrap().insert("schema_version", 15).unwrap();
        txn.commit().unwrap();
    }
    let p = Platform::open(&path, options()).unwrap();
    let report = p.integrity().unwrap();
    assert_eq!(report.schema_version, SCHEMA_VERSION);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!((search(&p, &near_jena), search(&p, &by_topic)), before, "the index answers as the version 15 scan did");
}

#[test]
fn the_integrity_check_reports_groups_missing_from_the_search_index() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiss.trialog");
    let clock = clock();
    let options = || PlatformOptions { clock: Arc::new(clock.clone()), ..Default::default() };
    let id = {
        let w = world_on(Platform::open(&path, options()).unwrap(), clock.clone());
        w.p.groups().create(&Actor::Operator, &new_group(&w, "Jena")).unwrap().id
    };
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        let cells = redb::TableDefinition::<(u32, u64), &[u8]>::new("group_search_cells");
        txn.open_table(cells).unwrap().retain(|_, _| false).unwrap();
        txn.commit().unwrap();
    }
    let p = Platform::open(&path, options()).unwrap();
    let problems = p.integrity().unwrap().problems;
    assert!(
        problems
            .iter()
            .any(|line| line.starts_with(&format!("group {id} is missing from the search index under cell"))),
        "{problems:?}"
    );
}

/// A file as version 26 wrote it: no rows of the search index by topic.
fn without_topic_rows(path: &std::path::Path) {
    let db = redb::Database::open(path).unwrap();
    let txn = db.begin_write().unwrap();
    assert!(txn.delete_table(redb::TableDefinition::<u64, u64>::new("group_search_topics")).unwrap());
    txn.open_table(redb::TableDefinition::<&str, u64>::new("meta")).unwrap().insert("schema_version", 26).unwrap();
    txn.commit().unwrap();
}

#[test]
fn a_version_26_file_files_its_groups_under_their_topics_when_it_is_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiss.trialog");
    let clock = clock();
    let options = || PlatformOptions { clock: Arc::new(clock.clone()), ..Default::default() };
    let queries = [
        GroupQuery { topic: Some("depression".into()), ..Default::default() },
        GroupQuery { topic: Some("Panik".into()), ..Default::default() },
        GroupQuery { topic: Some("postpartum".into()), weekday: Some(Weekday::Tuesday), ..Default::default() },
    ];
    let search = |p: &Platform| -> Vec<Vec<GroupId>> {
        let ids = |q| p.groups().search(&Actor::Anonymous, q, &PageRequest::first(50)).unwrap().items;
        queries.iter().map(|q| ids(q).into_iter().map(|hit| hit.group.id).collect()).collect()
    };
    let before = {
        let w = world_on(Platform::open(&path, options()).unwrap(), clock.clone());
        for (name, topics, rule) in [
            ("Jena", &["depression"][..], "FREQ=WEEKLY;BYDAY=TU"),
            ("Weimar", &["postpartum"], "FREQ=WEEKLY;BYDAY=TU"),
            ("Erfurt", &["anxiety", "postpartum"], "FREQ=WEEKLY;BYDAY=MO"),
            ("Gera", &["anxiety"], "FREQ=MONTHLY;BYDAY=1TU"),
        ] {
            let mut new = new_group(&w, name);
            new.topics = topics.iter().map(|t| t.to_string()).collect();
            new.meetings = vec![weekly(rule, "18:00", "19:30")];
            w.p.groups().create(&Actor::Operator, &new).unwrap();
        }
        search(&w.p)
    };
    assert_eq!(before.iter().map(Vec::len).collect::<Vec<_>>(), [3, 2, 1], "{before:?}");
    without_topic_rows(&path);
    let p = Platform::open(&path, options()).unwrap();
    let report = p.integrity().unwrap();
    assert_eq!(report.schema_version, SCHEMA_VERSION);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(search(&p), before, "the topic rows answer as the version 26 scan did");
}

#[test]
fn the_integrity_check_reports_topic_rows_that_are_missing_outdated_or_left_over() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiss.trialog");
    let clock = clock();
    let options = || PlatformOptions { clock: Arc::new(clock.clone()), ..Default::default() };
    let (kept, changed) = {
        let w = world_on(Platform::open(&path, options()).unwrap(), clock.clone());
        let kept = w.p.groups().create(&Actor::Operator, &new_group(&w, "Jena")).unwrap().id;
        let changed = w.p.groups().create(&Actor::Operator, &new_group(&w, "Weimar")).unwrap().id;
        (kept, changed)
    };
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        let rows = redb::TableDefinition::<(&str, u64), &[u8]>::new("group_search_topics");
        {
            let mut table = txn.open_table(rows).unwrap();
            let card = table.remove(("depression", kept.0)).unwrap().unwrap().value().to_vec();
            // The Weimar group's row holds the Jena group's card; a row for no group appears.
            table.insert(("depression", changed.0), card.as_slice()).unwrap();
            table.insert(("anxiety", 999), card.as_slice()).unwrap();
        }
        txn.commit().unwrap();
    }
    let p = Platform::open(&path, options()).unwrap();
    let problems = p.integrity().unwrap().problems;
    let expected = [
        format!("group {kept} is missing from the search index under topic depression"),
        format!("group {changed} has an outdated card in the search index under topic depression"),
        "group 999 is left over in the search index under topic anxiety".to_string(),
    ];
    for line in &expected {
        assert!(problems.contains(line), "{line:?} in {problems:?}");
    }
    assert_eq!(problems.len(), 3, "{problems:?}");
}

/// A schedule drawn from the subset: weekly or monthly, an interval, weekdays (with their
/// week of the month), times, a start, perhaps an end and exceptions.
fn drawn_meeting() -> impl proptest::strategy::Strategy<Value = MeetingInput> {
    use proptest::prelude::*;
    const CODES: [&str; 7] = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
    (
        any::<bool>(),
        1u32..5,
        proptest::collection::vec((prop_oneof![Just(-1i8), 1i8..=5], 0usize..7), 1..4),
        (0u32..23, 0u32..4),
        -60i64..120,
        proptest::option::of(0i64..200),
        proptest::collection::vec(0i64..120, 0..4),
    )
        .prop_map(|(monthly, interval, days, (hour, quarter), from, until, exceptions)| {
            let rule = if monthly {
                let days: Vec<String> = days.iter().map(|(n, d)| format!("{n}{}", CODES[*d])).collect();
                format!("FREQ=MONTHLY;INTERVAL={interval};BYDAY={}", days.join(","))
            } else {
                let days: Vec<&str> = days.iter().map(|(_, d)| CODES[*d]).collect();
                format!("FREQ=WEEKLY;INTERVAL={interval};BYDAY={}", days.join(","))
            };
            let start = NaiveDate::from_ymd_opt(2026, 3, 2).unwrap() + Duration::days(from);
            MeetingInput {
                rule,
                starts: format!("{hour:02}:{:02}", quarter * 15),
                ends: format!("{:02}:{:02}", hour + 1, quarter * 15),
                valid_from: Some(start),
                valid_until: until.map(|d| start + Duration::days(d)),
                exceptions: exceptions.iter().map(|d| start + Duration::days(*d)).collect(),
            }
        })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(12))]

    /// The dates of many groups (read from the timetable rows) are each group's own dates (read
    /// from its record), for random schedules, after changes of the schedules, from now and
    /// from a later moment, across the change to summer time (29 March 2026).
    #[test]
    fn the_next_dates_of_many_groups_are_each_groups_own(
        schedules in proptest::collection::vec(proptest::collection::vec(drawn_meeting(), 0..3), 1..6),
        changed in proptest::collection::vec(proptest::collection::vec(drawn_meeting(), 0..3), 0..3),
        count in 1u32..6,
        later in 0i64..90,
    ) {
        let w = world();
        let mut ids = Vec::new();
        for (i, meetings) in schedules.iter().enumerate() {
            let new = NewGroup { meetings: meetings.clone(), ..new_group(&w, &format!("Gruppe {i}")) };
            ids.push(w.p.groups().create(&w.staff, &new).unwrap().id);
        }
        for (id, meetings) in ids.iter().zip(&changed) {
            let change = GroupUpdate { meetings: Some(meetings.clone()), ..Default::default() };
            w.p.groups().update(&w.staff, *id, &change).unwrap();
        }
        ids.reverse();
        let each = |w: &World| -> Vec<GroupMeetingDates> {
            ids.iter()
                .map(|id| GroupMeetingDates {
                    group: *id,
                    dates: w.p.groups().next_meetings(&Actor::Anonymous, *id, count).unwrap(),
                })
                .collect()
        };
        let now = w.p.groups().next_meetings_of(&Actor::Anonymous, &ids, count, None).unwrap();
        proptest::prop_assert_eq!(&now, &each(&w));
        let from = at("2026-03-02T09:00:00Z") + Duration::days(later) + Duration::minutes(later * 37);
        let ahead = w.p.groups().next_meetings_of(&Actor::Anonymous, &ids, count, Some(from)).unwrap();
        w.clock.set(from);
        proptest::prop_assert_eq!(&ahead, &each(&w));
        proptest::prop_assert!(w.p.integrity().unwrap().problems.is_empty());
    }
}

#[test]
fn the_dates_of_many_groups_come_in_the_order_asked_and_refuse_bad_requests_by_field() {
    let w = world();
    let a = w.p.groups().create(&w.staff, &new_group(&w, "Dienstag")).unwrap().id;
    let mut weekly_new = new_group(&w, "Montag");
    weekly_new.meetings = vec![weekly("FREQ=WEEKLY;BYDAY=MO", "19:00", "21:00")];
    let b = w.p.groups().create(&w.staff, &weekly_new).unwrap().id;
    let mut none = new_group(&w, "Ohne Termine");
    none.meetings = vec![];
    let c = w.p.groups().create(&w.staff, &none).unwrap().id;
    let dates = w.p.groups().next_meetings_of(&Actor::Anonymous, &[b, c, a], 2, None).unwrap();
    assert_eq!(dates.iter().map(|d| d.group).collect::<Vec<_>>(), [b, c, a]);
    // Monday 2 March 2026 at 19:00 CET is 18:00 UTC; the 2nd Tuesday is 10 March.
    assert_eq!(
        dates[0].dates.iter().map(|d| d.start).collect::<Vec<_>>(),
        [at("2026-03-02T18:00:00Z"), at("2026-03-09T18:00:00Z")]
    );
    assert!(dates[1].dates.is_empty(), "a group without schedules has no dates");
    assert_eq!(dates[2].dates[0].start, at("2026-03-10T17:00:00Z"));
    assert!(w.p.groups().next_meetings_of(&Actor::Anonymous, &[], 1, None).unwrap().is_empty());

    let ask = |ids: &[GroupId], count: u32, from: Option<Timestamp>| {
        field_of(w.p.groups().next_meetings_of(&Actor::Anonymous, ids, count, from))
    };
    let many: Vec<GroupId> = (1..=1_001).map(GroupId).collect();
    assert_eq!(ask(&many, 1, None), "ids");
    assert_eq!(ask(&[a, b, a], 1, None), "ids");
    assert_eq!(ask(&[a], 0, None), "count");
    assert_eq!(ask(&[a], 101, None), "count");
    assert_eq!(ask(&[a], 1, Some(at("+10000-01-01T00:00:00Z"))), "at");
    assert_eq!(ask(&[a], 1, Some(at("1969-12-31T23:00:00Z"))), "at");
    assert!(matches!(
        w.p.groups().next_meetings_of(&Actor::Anonymous, &[a, GroupId(999)], 1, None),
        Err(Error::NotFound { .. })
    ));
    // A thousand ids are the most one call answers, not an error.
    let thousand: Vec<GroupId> = (1..=1_000).map(GroupId).collect();
    assert!(matches!(
        w.p.groups().next_meetings_of(&Actor::Anonymous, &thousand, 1, None),
        Err(Error::NotFound { .. })
    ));
}

/// Takes a directory file back to version 20: the timetable rows gone.
fn without_timetables(path: &std::path::Path) {
    let db = redb::Database::open(path).unwrap();
    let txn = db.begin_write().unwrap();
    assert!(txn.delete_table(redb::TableDefinition::<u64, u64>::new("group_timetables")).unwrap());
    txn.open_table(redb::TableDefinition::<&str, u64>::new("meta")).unwrap().insert("schema_version", 20).unwrap();
    txn.commit().unwrap();
}

#[test]
fn a_version_20_file_parses_its_groups_meetings_into_timetable_rows_when_it_is_opened() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiss.trialog");
    let clock = clock();
    let options = || PlatformOptions { clock: Arc::new(clock.clone()), ..Default::default() };
    let dates = |p: &Platform, ids: &[GroupId]| p.groups().next_meetings_of(&Actor::Anonymous, ids, 3, None).unwrap();
    let (ids, before) = {
        let w = world_on(Platform::open(&path, options()).unwrap(), clock.clone());
        let mut ids = Vec::new();
        for (name, rule) in [
            ("Dienstag", "FREQ=MONTHLY;BYDAY=2TU,4TU"),
            ("Montag", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"),
            ("Freitag", "FREQ=MONTHLY;BYDAY=-1FR"),
        ] {
            let mut new = new_group(&w, name);
            new.meetings = vec![weekly(rule, "18:30", "20:00")];
            ids.push(w.p.groups().create(&Actor::Operator, &new).unwrap().id);
        }
        let answered = dates(&w.p, &ids);
        (ids, answered)
    };
    assert!(before.iter().all(|d| d.dates.len() == 3), "{before:?}");
    without_timetables(&path);
    let p = Platform::open(&path, options()).unwrap();
    let report = p.integrity().unwrap();
    assert_eq!(report.schema_version, SCHEMA_VERSION);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(dates(&p, &ids), before, "the rows answer as the records did");
}

#[test]
fn the_integrity_check_reports_timetable_rows_that_disagree_with_the_groups() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kiss.trialog");
    let clock = clock();
    let options = || PlatformOptions { clock: Arc::new(clock.clone()), ..Default::default() };
    let (kept, changed) = {
        let w = world_on(Platform::open(&path, options()).unwrap(), clock.clone());
        let kept = w.p.groups().create(&Actor::Operator, &new_group(&w, "Jena")).unwrap().id;
        let mut other = new_group(&w, "Weimar");
        other.meetings = vec![weekly("FREQ=WEEKLY;BYDAY=MO", "19:00", "21:00")];
        let changed = w.p.groups().create(&Actor::Operator, &other).unwrap().id;
        (kept, changed)
    };
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        let rows = redb::TableDefinition::<u64, &[u8]>::new("group_timetables");
        {
            let mut table = txn.open_table(rows).unwrap();
            let kept_row = table.remove(kept.0).unwrap().unwrap().value().to_vec();
            // The Monday group gets the Tuesday group's row, and a row for no group appears.
            table.insert(changed.0, kept_row.as_slice()).unwrap();
            table.insert(999, kept_row.as_slice()).unwrap();
        }
        txn.commit().unwrap();
    }
    let p = Platform::open(&path, options()).unwrap();
    let problems = p.integrity().unwrap().problems;
    assert!(problems.contains(&format!("group {kept} has no timetable row")), "{problems:?}");
    assert!(problems.contains(&format!("the timetable row of group {changed} differs from its meetings")));
    assert!(problems.contains(&"the timetable row of group 999 is left over (no such group)".to_string()));
    assert_eq!(problems.len(), 3, "{problems:?}");
}
