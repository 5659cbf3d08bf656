//! The demo's self-help directory: 42 groups across Germany (most around Jena, Erfurt, Gera
//! and Weimar, kept by the Erfurt contact point) and two in Aarhus, with weekly and monthly
//! meetings, several languages, one confidential meeting place and one stale entry; the Erfurt
//! contact point and the Munich day clinic offer rooms, and some groups have booked them.
//!
//! The directory finds meeting places through the gazetteer, so the demo loads one postcode
//! for each place it uses: the postcodes are real, the coordinates are those of the cities in
//! [`crate::demo_data`] (or of the town or district, to two decimals); the operator's own
//! GeoNames import replaces them. Group names end in "(Demo)"; streets and phone numbers are
//! invented.

use chrono::{Duration, Months};
use serde::Serialize;
use trialog_core::{
    Accessibility, Actor, Error, GroupAudience, GroupFormat, GroupId, GroupPlaceInput, GroupQuery, GroupStatus,
    MeetingInput, NewBooking, NewGroup, NewRoom, OpeningHours, OrgContactInput, OrgId, PageRequest, Platform,
    TestClock, Weekday,
};

use crate::demo::Demo;
use crate::demo_data::{AARHUS, ADMIN, BERLIN, BIELEFELD, City, ERFURT, HAMBURG, JENA, KOELN, LEIPZIG, MUENCHEN};

/// A postcode the demo's gazetteer holds.
struct Postcode {
    country: &'static str,
    code: &'static str,
    city: City,
    /// The district or town's own coordinates, where it is not the city centre.
    at: Option<(f64, f64)>,
    /// The place name, where it is not the city's.
    name: Option<&'static str>,
}

const fn pc(country: &'static str, code: &'static str, city: City) -> Postcode {
    Postcode { country, code, city, at: None, name: None }
}

const POSTCODES: &[Postcode] = &[
    pc("DE", "07743", JENA),
    Postcode { at: Some((50.89, 11.60)), ..pc("DE", "07747", JENA) },
    pc("DE", "99084", ERFURT),
    Postcode { at: Some((51.00, 11.02)), ..pc("DE", "99089", ERFURT) },
    Postcode { at: Some((50.88, 12.08)), name: Some("Gera"), ..pc("DE", "07545", JENA) },
    Postcode { at: Some((50.98, 11.33)), name: Some("Weimar"), ..pc("DE", "99423", ERFURT) },
    Postcode { at: Some((51.03, 11.51)), name: Some("Apolda"), ..pc("DE", "99510", JENA) },
    Postcode { at: Some((50.83, 10.95)), name: Some("Arnstadt"), ..pc("DE", "99310", ERFURT) },
    pc("DE", "04109", LEIPZIG),
    pc("DE", "10115", BERLIN),
    Postcode { at: Some((52.49, 13.42)), ..pc("DE", "10967", BERLIN) },
    pc("DE", "20095", HAMBURG),
    pc("DE", "80331", MUENCHEN),
    pc("DE", "50667", KOELN),
    pc("DE", "33602", BIELEFELD),
    pc("DK", "8000", AARHUS),
];

/// Who keeps a group: a contact point (its requests go to the contact point's inbox) or the
/// group's own contact person.
#[derive(Clone, Copy)]
enum Keeper {
    ContactPoint(&'static str),
    Contact(&'static str),
}

use Keeper::{Contact, ContactPoint};

const ERFURT_KS: Keeper = ContactPoint("erfurt-kontaktstelle");
const LEIPZIG_KS: Keeper = ContactPoint("leipzig-kontaktstelle");

struct GroupSeed {
    name: &'static str,
    description: &'static str,
    topics: &'static [&'static str],
    keywords: &'static [&'static str],
    audience: GroupAudience,
    languages: &'static [&'static str],
    /// RRULE, local start, local end.
    meets: (&'static str, &'static str, &'static str),
    /// The postcode of the meeting place; `None`: online only.
    postcode: Option<&'static str>,
    venue: &'static str,
    online_too: bool,
    status: GroupStatus,
    keeper: Keeper,
    access: &'static [Accessibility],
}

const fn group(
    name: &'static str,
    postcode: &'static str,
    meets: (&'static str, &'static str, &'static str),
) -> GroupSeed {
    GroupSeed {
        name,
        description: "Wir treffen uns regelmäßig, hören einander zu und teilen Erfahrungen. Neue sind willkommen: \
                      bitte vorher über die Kontaktstelle melden.",
        topics: &[],
        keywords: &[],
        audience: GroupAudience::Affected,
        languages: &["de"],
        meets,
        postcode: Some(postcode),
        venue: "Gruppenraum",
        online_too: false,
        status: GroupStatus::Active,
        keeper: ERFURT_KS,
        access: &[],
    }
}

const WEEKLY_MO: &str = "FREQ=WEEKLY;BYDAY=MO";
const WEEKLY_TU: &str = "FREQ=WEEKLY;BYDAY=TU";
const WEEKLY_WE: &str = "FREQ=WEEKLY;BYDAY=WE";
const WEEKLY_TH: &str = "FREQ=WEEKLY;BYDAY=TH";
const WEEKLY_FR: &str = "FREQ=WEEKLY;BYDAY=FR";
const RELATIVES: GroupAudience = GroupAudience::Relatives;
const BOTH: GroupAudience = GroupAudience::Both;
const STEP_FREE: &[Accessibility] = &[Accessibility::StepFree, Accessibility::AccessibleToilet];

/// The index in [`GROUPS`] of the confidential group and of the stale entry.
const CONFIDENTIAL: usize = 11;
const STALE: usize = 27;

const GROUPS: &[GroupSeed] = &[
    // Jena
    GroupSeed {
        topics: &["depression"],
        access: STEP_FREE,
        venue: "Stadtteilbüro Mitte",
        ..group("Depression – Selbsthilfegruppe Jena-Mitte (Demo)", "07743", (WEEKLY_TU, "18:00", "19:30"))
    },
    GroupSeed {
        topics: &["relatives", "psychosis"],
        audience: RELATIVES,
        ..group(
            "Angehörige psychisch erkrankter Menschen Jena (Demo)",
            "07743",
            ("FREQ=MONTHLY;BYDAY=2WE", "18:30", "20:30"),
        )
    },
    GroupSeed {
        topics: &["anxiety"],
        languages: &["de", "en"],
        venue: "Bürgerhaus Lobeda",
        ..group("Angst und Panik Jena (Demo)", "07747", (WEEKLY_MO, "17:00", "18:30"))
    },
    GroupSeed {
        keywords: &["bipolar"],
        ..group(
            "Bipolar – Leben mit Hochs und Tiefs Jena (Demo)",
            "07743",
            ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TH", "19:00", "21:00"),
        )
    },
    GroupSeed {
        keywords: &["trauer"],
        audience: BOTH,
        venue: "Bürgerhaus Lobeda",
        ..group("Trauer – Leben nach dem Verlust Jena (Demo)", "07747", ("FREQ=MONTHLY;BYDAY=1SA", "10:00", "12:00"))
    },
    GroupSeed {
        topics: &["depression"],
        keywords: &["junge erwachsene"],
        languages: &["de", "en"],
        online_too: true,
        ..group("Junge Erwachsene mit Depression Jena (Demo)", "07743", (WEEKLY_WE, "18:00", "19:30"))
    },
    GroupSeed {
        topics: &["trialogue"],
        audience: BOTH,
        access: STEP_FREE,
        ..group("Psychose-Trialog Jena (Demo)", "07743", ("FREQ=MONTHLY;BYDAY=3TH", "18:00", "20:00"))
    },
    GroupSeed {
        keywords: &["sucht", "alkohol"],
        venue: "Bürgerhaus Lobeda",
        ..group("Sucht – Abstinenz leben Jena (Demo)", "07747", (WEEKLY_FR, "19:00", "20:30"))
    },
    // Erfurt
    GroupSeed {
        topics: &["depression"],
        access: STEP_FREE,
        venue: "Gruppenraum der Kontaktstelle",
        ..group("Depression Erfurt (Demo)", "99084", (WEEKLY_TU, "17:30", "19:00"))
    },
    GroupSeed {
        topics: &["relatives", "psychosis"],
        audience: RELATIVES,
        ..group(
            "Angehörige von Menschen mit Psychose Erfurt (Demo)",
            "99084",
            ("FREQ=MONTHLY;BYDAY=2TU,4TU", "18:00", "20:00"),
        )
    },
    GroupSeed {
        topics: &["anxiety"],
        ..group("Angst und Panik Erfurt (Demo)", "99089", (WEEKLY_TH, "18:00", "19:30"))
    },
    GroupSeed {
        topics: &["psychosis"],
        description: "Geschützter Rahmen für Psychoseerfahrene. Den Treffpunkt nennt die Kontaktstelle nach einem Vorgespräch.",
        ..group("Psychoseerfahrene im Gespräch Erfurt (Demo)", "99089", (WEEKLY_MO, "18:00", "20:00"))
    },
    GroupSeed {
        keywords: &["bipolar"],
        ..group("Bipolare Störungen Erfurt (Demo)", "99084", ("FREQ=MONTHLY;BYDAY=1WE,3WE", "18:00", "20:00"))
    },
    GroupSeed {
        keywords: &["sucht"],
        audience: RELATIVES,
        venue: "Gruppenraum der Kontaktstelle",
        ..group("Angehörige von Suchtkranken Erfurt (Demo)", "99084", (WEEKLY_WE, "19:00", "20:30"))
    },
    GroupSeed {
        keywords: &["trauer", "verwaiste eltern"],
        audience: RELATIVES,
        status: GroupStatus::Full,
        ..group("Verwaiste Eltern Erfurt (Demo)", "99089", ("FREQ=MONTHLY;BYDAY=-1SU", "15:00", "17:00"))
    },
    GroupSeed {
        keywords: &["zwang"],
        status: GroupStatus::Founding,
        ..group(
            "Zwangserkrankungen – Gruppe in Gründung Erfurt (Demo)",
            "99084",
            ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", "18:30", "20:00"),
        )
    },
    // Gera
    GroupSeed { topics: &["depression"], ..group("Depression Gera (Demo)", "07545", (WEEKLY_WE, "18:00", "19:30")) },
    GroupSeed {
        topics: &["relatives"],
        audience: RELATIVES,
        ..group("Angehörigengruppe Gera (Demo)", "07545", ("FREQ=MONTHLY;BYDAY=1TH", "17:00", "19:00"))
    },
    GroupSeed { keywords: &["sucht"], ..group("Suchtselbsthilfe Gera (Demo)", "07545", (WEEKLY_MO, "18:00", "19:30")) },
    GroupSeed {
        topics: &["anxiety"],
        status: GroupStatus::Founding,
        ..group("Angst – neue Gruppe Gera (Demo)", "07545", (WEEKLY_TU, "18:00", "19:30"))
    },
    GroupSeed {
        topics: &["mental-health"],
        languages: &["ru", "de"],
        audience: BOTH,
        ..group(
            "Seelische Gesundheit – russischsprachige Gruppe Gera (Demo)",
            "07545",
            ("FREQ=WEEKLY;BYDAY=SA", "11:00", "13:00"),
        )
    },
    // Weimar
    GroupSeed {
        topics: &["depression"],
        access: STEP_FREE,
        ..group("Depression Weimar (Demo)", "99423", (WEEKLY_MO, "18:00", "19:30"))
    },
    GroupSeed {
        topics: &["trialogue"],
        audience: BOTH,
        ..group("Trialog Weimar (Demo)", "99423", ("FREQ=MONTHLY;BYDAY=2WE", "18:00", "20:00"))
    },
    GroupSeed {
        keywords: &["essstörung"],
        ..group("Essstörungen Weimar (Demo)", "99423", (WEEKLY_TH, "18:30", "20:00"))
    },
    GroupSeed {
        keywords: &["sucht"],
        audience: RELATIVES,
        ..group("Angehörige Sucht Weimar (Demo)", "99423", ("FREQ=MONTHLY;BYDAY=1TU", "18:00", "20:00"))
    },
    GroupSeed {
        keywords: &["borderline"],
        status: GroupStatus::Paused,
        ..group("Borderline Weimar (Demo)", "99423", ("FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", "18:00", "19:30"))
    },
    // Apolda, Arnstadt
    GroupSeed { topics: &["depression"], ..group("Depression Apolda (Demo)", "99510", (WEEKLY_TU, "16:30", "18:00")) },
    GroupSeed { topics: &["anxiety"], ..group("Angst Arnstadt (Demo)", "99310", (WEEKLY_WE, "17:00", "18:30")) },
    // Leipzig
    GroupSeed {
        topics: &["depression"],
        keeper: LEIPZIG_KS,
        ..group("Depression Leipzig-Zentrum (Demo)", "04109", (WEEKLY_TU, "18:00", "19:30"))
    },
    GroupSeed {
        topics: &["relatives"],
        audience: RELATIVES,
        keeper: LEIPZIG_KS,
        ..group("Angehörige psychisch Kranker Leipzig (Demo)", "04109", ("FREQ=MONTHLY;BYDAY=2MO", "18:00", "20:00"))
    },
    GroupSeed {
        topics: &["anxiety", "online-support"],
        keeper: LEIPZIG_KS,
        postcode: None,
        ..group("Online-Gruppe Angst (Demo)", "", (WEEKLY_TH, "20:00", "21:00"))
    },
    // Berlin, Hamburg, München, Köln, Bielefeld: kept by their own contact person
    GroupSeed {
        topics: &["relatives", "psychosis"],
        audience: RELATIVES,
        keeper: Contact("Bruder_Tom"),
        ..group(
            "Geschwister und Angehörige Berlin-Mitte (Demo)",
            "10115",
            ("FREQ=MONTHLY;BYDAY=1WE,3WE", "19:00", "21:00"),
        )
    },
    GroupSeed {
        topics: &["psychosis"],
        languages: &["de", "en", "tr"],
        keeper: Contact("Bruder_Tom"),
        ..group("Psychoseerfahrene Kreuzberg (Demo)", "10967", (WEEKLY_TH, "18:00", "20:00"))
    },
    GroupSeed {
        keywords: &["bipolar"],
        keeper: Contact("Bruder_Tom"),
        ..group("Bipolar Berlin (Demo)", "10115", (WEEKLY_MO, "19:00", "20:30"))
    },
    GroupSeed {
        topics: &["depression"],
        keeper: Contact("Pflege_Nord"),
        ..group("Depression Hamburg-Altstadt (Demo)", "20095", (WEEKLY_WE, "18:00", "19:30"))
    },
    GroupSeed {
        keywords: &["trauer"],
        audience: BOTH,
        keeper: Contact("Pflege_Nord"),
        postcode: None,
        ..group("Online-Trauergruppe (Demo)", "", ("FREQ=WEEKLY;BYDAY=SU", "19:00", "20:00"))
    },
    GroupSeed {
        topics: &["relatives"],
        audience: RELATIVES,
        keeper: Contact("Mutter_von_M"),
        access: STEP_FREE,
        venue: "Gruppenraum der Tagesklinik",
        ..group("Angehörige München (Demo)", "80331", ("FREQ=MONTHLY;BYDAY=2TU", "18:00", "20:00"))
    },
    GroupSeed {
        topics: &["depression"],
        keeper: Contact("Mutter_von_M"),
        access: STEP_FREE,
        venue: "Gruppenraum der Tagesklinik",
        ..group("Depression München (Demo)", "80331", (WEEKLY_TH, "18:00", "19:30"))
    },
    GroupSeed {
        topics: &["relatives"],
        audience: RELATIVES,
        languages: &["de", "tr"],
        keeper: Contact("Zuhörerin_Köln"),
        ..group("Angehörige Köln – deutsch und türkisch (Demo)", "50667", ("FREQ=MONTHLY;BYDAY=1MO", "18:00", "20:00"))
    },
    GroupSeed {
        topics: &["recovery"],
        keeper: Contact("Team_Peer_Bielefeld"),
        ..group("Recovery-Gruppe Bielefeld (Demo)", "33602", (WEEKLY_FR, "17:00", "18:30"))
    },
    // Aarhus
    GroupSeed {
        topics: &["relatives"],
        audience: RELATIVES,
        languages: &["da"],
        keeper: Contact("Peerguide_Mette"),
        description: "Pårørende mødes og deler erfaringer. Nye er velkomne.",
        venue: "Medborgerhus",
        ..group("Pårørendegruppe Aarhus (Demo)", "8000", ("FREQ=MONTHLY;BYDAY=2TH", "17:00", "19:00"))
    },
    GroupSeed {
        topics: &["anxiety", "depression"],
        languages: &["da", "en"],
        keeper: Contact("Peerguide_Mette"),
        description: "Selvhjælpsgruppe for angst og depression.",
        venue: "Medborgerhus",
        ..group("Angst og depression Aarhus (Demo)", "8000", (WEEKLY_TU, "16:00", "17:30"))
    },
];

/// What the demo's directory holds, for the summary.
#[derive(Debug, Default, Serialize)]
pub struct GroupFigures {
    pub groups: usize,
    pub contact_points: usize,
    pub cities: usize,
    pub confidential: usize,
    pub stale: usize,
    pub rooms: usize,
    pub bookings_confirmed: usize,
    pub bookings_requested: usize,
    /// The Erfurt contact point, for the tour.
    pub erfurt_org: OrgId,
}

/// Loads the gazetteer's postcodes, publishes the contact points, adds the groups (the stale
/// one a year and a half back) and the rooms, and books them.
pub fn build(platform: &Platform, demo: &Demo, clock: &TestClock) -> Result<GroupFigures, Error> {
    platform.geo().import(&Actor::Operator, gazetteer().as_bytes(), &mut |_| {})?;
    let admin = Actor::account(demo.account(ADMIN.pseudonym)?);
    contact_points(platform, demo, &admin)?;
    let now = platform.now();
    let mut ids = Vec::new();
    for (i, seed) in GROUPS.iter().enumerate() {
        if i == STALE {
            clock.set(now.checked_sub_months(Months::new(18)).unwrap_or(now));
        }
        ids.push(add(platform, demo, &admin, seed, i == CONFIDENTIAL)?);
        clock.set(now);
    }
    let mut figures = rooms(platform, demo, &admin, &ids)?;
    figures.groups = ids.len();
    figures.contact_points = 2;
    figures.confidential = 1;
    figures.erfurt_org = demo.org("erfurt-kontaktstelle")?;
    let all = platform.groups().search(&Actor::Operator, &GroupQuery::default(), &PageRequest::first(500))?.items;
    figures.stale = all.iter().filter(|h| h.group.stale).count();
    let mut cities: Vec<String> = all.iter().filter_map(|h| h.group.locality.clone()).collect();
    cities.sort();
    cities.dedup();
    figures.cities = cities.len();
    Ok(figures)
}

/// GeoNames' tab-separated layout, one row per postcode.
fn gazetteer() -> String {
    POSTCODES
        .iter()
        .map(|p| {
            let (lat, lon) = p.at.unwrap_or((p.city.lat, p.city.lon));
            let name = p.name.unwrap_or(p.city.name);
            format!("{}\t{}\t{name}\t\t\t\t\t\t\t{lat}\t{lon}\t4\n", p.country, p.code)
        })
        .collect()
}

fn contact_points(platform: &Platform, demo: &Demo, admin: &Actor) -> Result<(), Error> {
    let hours = |days: &[Weekday], opens: &str, closes: &str| -> Vec<OpeningHours> {
        days.iter().map(|d| OpeningHours { day: *d, opens: opens.into(), closes: closes.into() }).collect()
    };
    let erfurt = OrgContactInput {
        street: Some("Bahnhofstraße 12".into()),
        postcode: Some("99084".into()),
        country: Some("DE".into()),
        phone: Some("+49 361 5550100".into()),
        email: Some("kontaktstelle-erfurt@example.org".into()),
        opening_hours: [
            hours(&[Weekday::Monday, Weekday::Wednesday], "09:00", "15:00"),
            hours(&[Weekday::Tuesday], "13:00", "18:00"),
        ]
        .concat(),
    };
    platform.groups().set_org_contact(admin, demo.org("erfurt-kontaktstelle")?, &erfurt)?;
    let leipzig = OrgContactInput {
        street: Some("Markt 3".into()),
        postcode: Some("04109".into()),
        country: Some("DE".into()),
        phone: Some("+49 341 5550200".into()),
        email: Some("selbsthilfe-leipzig@example.org".into()),
        opening_hours: hours(&[Weekday::Tuesday, Weekday::Thursday], "10:00", "16:00"),
    };
    platform.groups().set_org_contact(admin, demo.org("leipzig-kontaktstelle")?, &leipzig)?;
    Ok(())
}

fn add(
    platform: &Platform,
    demo: &Demo,
    admin: &Actor,
    seed: &GroupSeed,
    confidential: bool,
) -> Result<GroupId, Error> {
    let (contact_point, contact, actor) = match seed.keeper {
        ContactPoint(key) => (Some(demo.org(key)?), None, admin.clone()),
        Contact(pseudonym) => {
            let id = demo.account(pseudonym)?;
            (None, Some(id), Actor::account(id))
        }
    };
    let place = seed.postcode.map(|code| {
        let country = POSTCODES.iter().find(|p| p.code == code).map_or("DE", |p| p.country);
        GroupPlaceInput {
            country: country.into(),
            postcode: code.into(),
            venue: Some(seed.venue.into()),
            street: Some(if confidential { "Privatwohnung" } else { "Hauptstraße 1" }.into()),
            confidential,
        }
    });
    let format = match (&place, seed.online_too) {
        (None, _) => GroupFormat::Online,
        (Some(_), true) => GroupFormat::Both,
        (Some(_), false) => GroupFormat::InPerson,
    };
    let (rule, starts, ends) = seed.meets;
    let new = NewGroup {
        name: seed.name.into(),
        description: seed.description.into(),
        topics: seed.topics.iter().map(|t| t.to_string()).collect(),
        keywords: seed.keywords.iter().map(|k| k.to_string()).collect(),
        audience: seed.audience,
        age_min: Some(18),
        age_max: None,
        languages: seed.languages.iter().map(|l| l.to_string()).collect(),
        status: seed.status,
        format,
        contact_point,
        contact,
        requests_to: None,
        place,
        meetings: vec![MeetingInput {
            rule: rule.into(),
            starts: starts.into(),
            ends: ends.into(),
            valid_from: None,
            valid_until: None,
            exceptions: vec![],
        }],
        accessibility: seed.access.to_vec(),
        accessibility_notes: None,
    };
    Ok(platform.groups().create(&actor, &new)?.id)
}

/// The Erfurt contact point's group room and the Munich day clinic's: three confirmed weekly
/// slots, one waiting for the clinic's answer.
fn rooms(platform: &Platform, demo: &Demo, admin: &Actor, ids: &[GroupId]) -> Result<GroupFigures, Error> {
    let g = platform.groups();
    let window = |day, opens: &str, closes: &str| OpeningHours { day, opens: opens.into(), closes: closes.into() };
    let room = |org: &str, name: &str, postcode: &str, windows: Vec<OpeningHours>| -> Result<_, Error> {
        let new = NewRoom {
            org: demo.org(org)?,
            name: name.into(),
            place: GroupPlaceInput {
                country: "DE".into(),
                postcode: postcode.into(),
                venue: Some(name.into()),
                street: None,
                confidential: false,
            },
            capacity: 14,
            accessibility: STEP_FREE.to_vec(),
            accessibility_notes: None,
            windows,
        };
        g.offer_room(admin, &new)
    };
    let erfurt = room(
        "erfurt-kontaktstelle",
        "Gruppenraum der Kontaktstelle Erfurt (Demo)",
        "99084",
        [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday]
            .map(|d| window(d, "16:00", "21:30"))
            .to_vec(),
    )?;
    let clinic = room(
        "muenchen-tagesklinik",
        "Gruppenraum der Tagesklinik München (Demo)",
        "80331",
        vec![window(Weekday::Tuesday, "17:00", "21:00"), window(Weekday::Thursday, "17:00", "21:00")],
    )?;
    let mentor = |pseudonym: &str| demo.account(pseudonym).map(Actor::account);
    // (room, group index, booker, day, starts, ends, confirmed)
    let slots = [
        (erfurt.id, 8, admin.clone(), Weekday::Tuesday, "17:30", "19:00", true),
        (erfurt.id, 13, admin.clone(), Weekday::Wednesday, "19:00", "20:30", true),
        (erfurt.id, 10, admin.clone(), Weekday::Thursday, "18:00", "19:30", false),
        (clinic.id, 36, mentor("Mutter_von_M")?, Weekday::Tuesday, "18:00", "20:00", true),
        (clinic.id, 37, mentor("Mutter_von_M")?, Weekday::Thursday, "18:00", "19:30", true),
    ];
    let mut figures = GroupFigures { rooms: 2, ..GroupFigures::default() };
    for (room, index, booker, day, starts, ends, confirm) in slots {
        let new = NewBooking {
            room,
            group: ids[index],
            day,
            starts: starts.into(),
            ends: ends.into(),
            valid_from: Some(platform.now().date_naive() + Duration::days(1)),
            valid_until: None,
            people: 10,
        };
        let booking = g.book_room(&booker, &new)?;
        if confirm {
            g.confirm_booking(admin, booking.id, Some("Gern, der Schlüssel liegt am Empfang."))?;
            figures.bookings_confirmed += 1;
        } else {
            figures.bookings_requested += 1;
        }
    }
    Ok(figures)
}
