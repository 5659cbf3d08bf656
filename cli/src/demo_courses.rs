//! The demo's courses: the Thuringian seminar programme of a self-help contact point (online
//! and in person in Erfurt, one seminar full with people waiting in order), a Danish recovery
//! course co-taught by a person with lived experience, a relative and a professional (marked
//! trialogic), and the three modules of an EX-IN basic course in Berlin, each requiring the
//! one before. Sessions lie in the weeks after the day the demo is built.

use chrono::Duration;
use trialog_core::{
    Actor, Clock, CourseAudience, CourseFormat, CourseId, Error, Fee, NewCourse, OrgId, PlaceInput, Platform, Repeat,
    SessionInput, TestClock,
};

use crate::demo::Demo;
use crate::demo_data::{City, ERFURT, ORGANISATIONS};

/// One course of the demo (the EX-IN programme's modules are courses too).
pub(crate) struct CourseSeed<'a> {
    pub org: &'static str,
    pub title: &'a str,
    pub description: &'static str,
    pub topic: &'static str,
    pub language: &'static str,
    /// In person at this city (at the organisation's address), else online.
    pub city: Option<City>,
    /// Days from today to the first session (negative: in the past), the local start and end,
    /// the session count and the days between sessions.
    pub first_day: i64,
    pub hours: (&'static str, &'static str),
    pub sessions: u32,
    pub every_days: u32,
    pub time_zone: &'static str,
    pub capacity: u32,
}

const SEMINARS: &[CourseSeed<'static>] = &[
    CourseSeed {
        org: "erfurt-kontaktstelle",
        title: "Gruppen leiten: Moderation und Konflikte (Demo)",
        description: "Seminar für Mitglieder von Selbsthilfegruppen: ein Treffen vorbereiten, moderieren, mit Konflikten umgehen.",
        topic: "self-help-groups",
        language: "de",
        city: Some(ERFURT),
        first_day: 12,
        hours: ("10:00", "16:00"),
        sessions: 1,
        every_days: 7,
        time_zone: "Europe/Berlin",
        capacity: 3,
    },
    CourseSeed {
        org: "erfurt-kontaktstelle",
        title: "Recht für Selbsthilfegruppen (Demo)",
        description: "Vereinsrecht, Datenschutz und Haftung: was Gruppen wissen sollten. Online an drei Abenden.",
        topic: "law",
        language: "de",
        city: None,
        first_day: 9,
        hours: ("18:00", "20:00"),
        sessions: 3,
        every_days: 7,
        time_zone: "Europe/Berlin",
        capacity: 15,
    },
    CourseSeed {
        org: "erfurt-kontaktstelle",
        title: "Öffentlichkeitsarbeit, Presse und Social Media (Demo)",
        description: "Wie eine Gruppe sichtbar wird: Pressemitteilung, Flyer, Social Media. Online.",
        topic: "public-relations",
        language: "de",
        city: None,
        first_day: 30,
        hours: ("18:00", "20:00"),
        sessions: 2,
        every_days: 7,
        time_zone: "Europe/Berlin",
        capacity: 15,
    },
];

const RECOVERY: CourseSeed<'static> = CourseSeed {
    org: "koebenhavn-recovery",
    title: "Recovery sammen: et trialogisk kursus (Demo)",
    description: "Undervist af en person med egen erfaring, en pårørende og en psykolog sammen: håb, mening og egne mål.",
    topic: "recovery",
    language: "da",
    city: None,
    first_day: 14,
    hours: ("17:00", "19:00"),
    sessions: 4,
    every_days: 7,
    time_zone: "Europe/Copenhagen",
    capacity: 12,
};

const EXIN_MODULES: [&str; 3] = [
    "EX-IN Grundkurs, Modul 1: Salutogenese (Demo)",
    "EX-IN Grundkurs, Modul 2: Empowerment (Demo)",
    "EX-IN Grundkurs, Modul 3: Trialog (Demo)",
];

/// Builds the courses, the full seminar's waitlist and the co-teaching team.
pub fn build(platform: &Platform, demo: &Demo, clock: &TestClock) -> Result<(), Error> {
    let courses = platform.courses();
    let today = clock.now();
    let mut seminars = Vec::new();
    for seed in SEMINARS {
        seminars.push(publish(platform, demo, seed, today, &[])?);
    }
    // The in-person seminar in Erfurt fills up: three places, two people waiting in order.
    for name in ["Wanderer_Erfurt", "Kim_aus_Jena", "Sonnenblume_71", "Mutter_von_M", "Bruder_Tom"] {
        courses.register(&Actor::account(demo.account(name)?), seminars[0], &[])?;
    }
    courses.register(&Actor::account(demo.account("Kim_aus_Jena")?), seminars[1], &[])?;

    let team = ["Havblik", "Mor_til_Emil", "Psykolog_Anne"];
    let team = team.iter().map(|name| demo.account(name)).collect::<Result<Vec<_>, _>>()?;
    let recovery = create(platform, demo, &RECOVERY, today, &[], true)?;
    courses.set_trainers(&Actor::Operator, recovery, &team)?;
    courses.publish(&Actor::Operator, recovery)?;
    courses.register(&Actor::account(demo.account("Søren_K")?), recovery, &[])?;

    let mut before: Vec<CourseId> = Vec::new();
    for (i, title) in EXIN_MODULES.iter().enumerate() {
        let seed = CourseSeed {
            org: "berlin-exin",
            title,
            description: "EX-IN: Erfahrung, Genesung und Teilhabe; Voraussetzung ist das Modul davor.",
            topic: "ex-in",
            language: "de",
            city: None,
            first_day: 21 + 28 * i as i64,
            hours: ("09:00", "16:00"),
            sessions: 2,
            every_days: 7,
            time_zone: "Europe/Berlin",
            capacity: 16,
        };
        before = vec![publish(platform, demo, &seed, today, &before)?];
    }
    Ok(())
}

/// Creates and publishes a course of the demo (as the operator); returns its id.
pub(crate) fn publish(
    platform: &Platform,
    demo: &Demo,
    seed: &CourseSeed<'_>,
    today: trialog_core::Timestamp,
    prerequisites: &[CourseId],
) -> Result<CourseId, Error> {
    let id = create(platform, demo, seed, today, prerequisites, false)?;
    platform.courses().publish(&Actor::Operator, id)?;
    Ok(id)
}

fn create(
    platform: &Platform,
    demo: &Demo,
    seed: &CourseSeed<'_>,
    today: trialog_core::Timestamp,
    prerequisites: &[CourseId],
    trialogic: bool,
) -> Result<CourseId, Error> {
    let org: OrgId = demo.org(seed.org)?;
    let day = (today + Duration::days(seed.first_day)).format("%Y-%m-%d").to_string();
    let session = SessionInput {
        start: format!("{day}T{}", seed.hours.0),
        end: format!("{day}T{}", seed.hours.1),
        time_zone: seed.time_zone.into(),
        repeat: (seed.sessions > 1).then_some(Repeat { every_days: seed.every_days, count: seed.sessions }),
    };
    let (format, place, online_link) = match seed.city {
        Some(city) => (
            CourseFormat::InPerson,
            Some(PlaceInput::Coordinates {
                latitude: city.lat,
                longitude: city.lon,
                venue: ORGANISATIONS.iter().find(|o| o.key == seed.org).map(|o| o.name.to_string()),
            }),
            None,
        ),
        None => (CourseFormat::Online, None, Some("https://meet.example.org/demo-kurs".to_string())),
    };
    let new = NewCourse {
        org,
        title: seed.title.into(),
        description: seed.description.into(),
        topics: vec![seed.topic.into()],
        language: seed.language.into(),
        audience: if seed.org == "erfurt-kontaktstelle" {
            CourseAudience::SelfHelpGroupMembers
        } else {
            CourseAudience::Everyone
        },
        format,
        place,
        online_link,
        sessions: vec![session],
        capacity: seed.capacity,
        fee: Fee::Free,
        registration_opens: None,
        registration_closes: None,
        prerequisites: prerequisites.to_vec(),
        trialogic,
        settings: None,
    };
    Ok(platform.courses().create(&Actor::Operator, &new)?.id)
}
