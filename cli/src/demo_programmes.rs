//! The demo's EX-IN programmes at the Berlin training provider, with the modules of the EX-IN
//! curriculum as EX-IN Deutschland's courses teach them: six basic modules (Gesundheit und
//! Wohlbefinden / Salutogenese, Empowerment, Erfahrung und Teilhabe, Trialog, Recovery,
//! Selbsterforschung) and six advanced ones (Fürsprache, Assessment, Begleiten und
//! Unterstützen, Krisenintervention, Lehren und Lernen, Abschluss), one three-day module a
//! month; the two practical placements (a 40-hour taster and a longer placement) are placement
//! rounds.
//!
//! Two courses of the curriculum: course 11, finished last year, whose graduate Kim consented
//! to her EX-IN status; course 12, running now: seven modules held (two trainees missed days),
//! the taster placements matched, the rankings for the longer placement coming in.

use chrono::{Datelike, Duration};
use serde::Serialize;
use trialog_core::{
    AccountId, Actor, Clock, CohortId, CourseId, Error, NewCohort, NewProgramme, OrgId, PlacementOffer, Platform,
    ProgrammeId, ProgrammeKind, ProgrammeModule, RoundId, TestClock, Timestamp,
};

use crate::demo::Demo;
use crate::demo_courses::{self, CourseSeed};
use crate::demo_data::BERLIN;

/// The modules in curriculum order: six basic, then six advanced.
pub const MODULES: [&str; 12] = [
    "Gesundheit und Wohlbefinden (Salutogenese)",
    "Empowerment",
    "Erfahrung und Teilhabe",
    "Trialog",
    "Recovery",
    "Selbsterforschung",
    "Fürsprache",
    "Assessment (Bestandsaufnahme)",
    "Begleiten und Unterstützen",
    "Krisenintervention",
    "Lehren und Lernen",
    "Abschluss: Portfolio und Präsentation",
];
const BASIC: usize = 6;
/// Days between the first days of two modules.
const MONTH: i64 = 30;

/// One course (run) of the curriculum.
struct Edition {
    name: &'static str,
    /// Days from today to the first day of the first module (negative: in the past).
    first_day: i64,
    trainees: &'static [&'static str],
    /// (trainee, module index, days of that module missed).
    absences: &'static [(&'static str, usize, &'static [usize])],
}

const GRADUATES: Edition =
    Edition { name: "EX-IN Kurs Berlin 11", first_day: -560, trainees: &["Kim_aus_Jena"], absences: &[] };

const RUNNING: Edition = Edition {
    name: "EX-IN Kurs Berlin 12",
    first_day: -190,
    trainees: &["Wanderer_Erfurt", "Sonnenblume_71", "Bruder_Tom", "Stille_Stimme"],
    absences: &[
        // Ill on the last day of Recovery: two of three days fall short of the 80 % rule.
        ("Sonnenblume_71", 4, &[2]),
        // Missed the Trialog weekend.
        ("Stille_Stimme", 3, &[0, 1, 2]),
    ],
};

/// A placement round: the hosts and their places, the trainees' wishes best first, and the
/// hosts' rankings (absent while they are still being collected).
struct RoundSeed {
    places: &'static [(&'static str, u32)],
    wishes: &'static [(&'static str, &'static [&'static str])],
    rankings: &'static [(&'static str, &'static [&'static str])],
}

/// The 40-hour taster placements during the basic modules: each trainee near home where a host
/// has room; run.
const TASTER: RoundSeed = RoundSeed {
    places: &[("jena-verein", 1), ("leipzig-kontaktstelle", 1), ("hamburg-genesung", 2)],
    wishes: &[
        ("Wanderer_Erfurt", &["jena-verein", "leipzig-kontaktstelle"]),
        ("Sonnenblume_71", &["leipzig-kontaktstelle", "jena-verein"]),
        ("Bruder_Tom", &["hamburg-genesung"]),
        ("Stille_Stimme", &["jena-verein", "hamburg-genesung"]),
    ],
    rankings: &[
        ("jena-verein", &["Wanderer_Erfurt", "Stille_Stimme", "Sonnenblume_71"]),
        ("leipzig-kontaktstelle", &["Sonnenblume_71", "Wanderer_Erfurt"]),
        ("hamburg-genesung", &["Bruder_Tom", "Stille_Stimme"]),
    ],
};

/// The longer placement of the advanced modules: opened this week, two trainees have ranked.
const PLACEMENT: RoundSeed = RoundSeed {
    places: &[("hamburg-genesung", 2), ("jena-verein", 1), ("bielefeld-peerarbeit", 1)],
    wishes: &[("Wanderer_Erfurt", &["jena-verein"]), ("Bruder_Tom", &["hamburg-genesung", "bielefeld-peerarbeit"])],
    rankings: &[],
};

/// The two programmes the demo built.
#[derive(Debug, Clone, Copy)]
pub struct Editions {
    pub graduates: ProgrammeId,
    pub running: ProgrammeId,
}

/// What the demo's programmes hold, read back from the platform.
#[derive(Debug, Serialize)]
pub struct ProgrammeFigures {
    /// The training provider running them.
    pub org: OrgId,
    /// Course 11 (finished) and course 12 (running).
    pub graduates: ProgrammeId,
    pub running: ProgrammeId,
    /// Modules of the running course, and how many a trainee who attended every day completed.
    pub modules: usize,
    pub held: usize,
    /// Trainees of the running course's cohort.
    pub trainees: usize,
    /// Placement rounds of the running course, and the placements they accepted.
    pub rounds: usize,
    pub placements: usize,
}

/// Reads the demo's programmes back.
pub fn figures(platform: &Platform, editions: Editions) -> Result<ProgrammeFigures, Error> {
    let ps = platform.programmes();
    let running = ps.get(&Actor::Operator, editions.running)?;
    let trainee = running.cohorts.first().and_then(|c| c.trainees.first()).copied();
    let held = match trainee {
        Some(t) => ps.progress(&Actor::Operator, running.id, t)?.completed.len(),
        None => 0,
    };
    Ok(ProgrammeFigures {
        org: running.org,
        graduates: editions.graduates,
        running: running.id,
        modules: running.modules.len(),
        held,
        trainees: running.cohorts.iter().map(|c| c.trainees.len()).sum(),
        rounds: ps.rounds(&Actor::Operator, running.id)?.len(),
        placements: running.placements.len(),
    })
}

/// Builds both editions. `clock` is the platform's clock: it is set back to when each
/// registration, attendance list and round happened, and returned to now at the end.
pub fn build(platform: &Platform, demo: &Demo, clock: &TestClock) -> Result<Editions, Error> {
    let now = clock.now();
    let graduates = edition(platform, demo, clock, now, &GRADUATES)?;
    let running = edition(platform, demo, clock, now, &RUNNING)?;
    clock.set(day(now, RUNNING.first_day + 2 * MONTH) + Duration::hours(10));
    let taster = round(platform, demo, &running, &TASTER)?;
    platform.programmes().run_round(&Actor::Operator, taster)?;
    clock.set(now - Duration::days(3));
    round(platform, demo, &running, &PLACEMENT)?;
    clock.set(now);
    // Kim consents now, as the platform offers it; her seeker profile already said certified.
    let kim = demo.account("Kim_aus_Jena")?;
    platform.programmes().consent_exin_status(&Actor::account(kim), graduates.id, kim)?;
    Ok(Editions { graduates: graduates.id, running: running.id })
}

/// A programme and its cohort.
struct Run {
    id: ProgrammeId,
    cohort: CohortId,
}

/// One edition: its twelve modules published a month before the first, the trainees
/// registered, the modules held so far with attendance, and the scheduler completing them.
fn edition(platform: &Platform, demo: &Demo, clock: &TestClock, now: Timestamp, e: &Edition) -> Result<Run, Error> {
    clock.set(day(now, e.first_day - MONTH));
    let modules = modules(platform, demo, now, e)?;
    let trainees = accounts(demo, e.trainees)?;
    let new = NewProgramme {
        org: demo.org("berlin-exin")?,
        title: format!("EX-IN Qualifizierung zur Genesungsbegleitung, {} (Demo)", e.name),
        kind: ProgrammeKind::ExIn,
        modules: modules.iter().map(|&course| ProgrammeModule { course, elective: false }).collect(),
    };
    let ps = platform.programmes();
    let programme = ps.create(&Actor::Operator, &new)?;
    let start = day(now, e.first_day).date_naive();
    let cohort = NewCohort { name: format!("{} ({})", e.name, start.year()), start, trainees: trainees.clone() };
    let programme = ps.add_cohort(&Actor::Operator, programme.id, &cohort)?;
    for &trainee in &trainees {
        for &course in &modules {
            platform.courses().register(&Actor::account(trainee), course, &[])?;
        }
    }
    hold(platform, clock, now, e, &modules, &trainees)?;
    Ok(Run { id: programme.id, cohort: programme.cohorts[0].id })
}

/// Publishes the edition's modules: three days each (Friday to Sunday in spirit), monthly, in
/// person at the provider in Berlin.
fn modules(platform: &Platform, demo: &Demo, now: Timestamp, e: &Edition) -> Result<Vec<CourseId>, Error> {
    let mut ids = Vec::with_capacity(MODULES.len());
    for (i, name) in MODULES.iter().enumerate() {
        let part = if i < BASIC { "Basismodul" } else { "Aufbaumodul" };
        let title = format!("{}, {part} {}: {name} (Demo)", e.name, i + 1);
        let seed = CourseSeed {
            org: "berlin-exin",
            title: &title,
            description: "EX-IN: vom Ich-Wissen zum Wir-Wissen. Drei Tage in der Kursgruppe, \
                          trialogisch geleitet; Teil der einjährigen Qualifizierung zur Genesungsbegleitung.",
            topic: "ex-in",
            language: "de",
            city: Some(BERLIN),
            first_day: e.first_day + MONTH * i as i64,
            hours: ("09:30", "16:30"),
            sessions: 3,
            every_days: 1,
            time_zone: "Europe/Berlin",
            capacity: 18,
        };
        ids.push(demo_courses::publish(platform, demo, &seed, now, &[])?);
    }
    Ok(ids)
}

/// Records attendance for every day of the modules held by now (everyone present but for the
/// edition's absences), then lets the scheduler complete those modules as of the last one's end.
fn hold(
    platform: &Platform,
    clock: &TestClock,
    now: Timestamp,
    e: &Edition,
    modules: &[CourseId],
    trainees: &[AccountId],
) -> Result<(), Error> {
    let mut last_end = None;
    for (i, &course) in modules.iter().enumerate() {
        let sessions = platform.courses().get(&Actor::Operator, course)?.sessions;
        if sessions.iter().any(|s| s.end > now) {
            break;
        }
        for (d, s) in sessions.iter().enumerate() {
            let mut present = Vec::new();
            for (&id, name) in trainees.iter().zip(e.trainees) {
                if !e.absences.iter().any(|(who, m, days)| who == name && *m == i && days.contains(&d)) {
                    present.push(id);
                }
            }
            clock.set(s.start + Duration::minutes(30));
            platform.courses().record_attendance(&Actor::Operator, course, s.id, &present)?;
            last_end = Some(s.end);
        }
    }
    if let Some(end) = last_end {
        clock.set(end + Duration::hours(1));
        platform.tick(&Actor::Operator, clock.now())?;
    }
    Ok(())
}

/// Opens a placement round of `run`'s cohort and enters the seed's rankings: each trainee their
/// own wishes; Hamburg's staff their own ranking, the programme's staff the other hosts'.
fn round(platform: &Platform, demo: &Demo, run: &Run, seed: &RoundSeed) -> Result<RoundId, Error> {
    let ps = platform.programmes();
    let mut places = Vec::with_capacity(seed.places.len());
    for (key, capacity) in seed.places {
        places.push(PlacementOffer { org: demo.org(key)?, capacity: *capacity });
    }
    let round = ps.open_round(&Actor::Operator, run.id, run.cohort, &places)?.id;
    for (name, wishes) in seed.wishes {
        let trainee = demo.account(name)?;
        let wishes = wishes.iter().map(|key| demo.org(key)).collect::<Result<Vec<_>, _>>()?;
        ps.rank_hosts(&Actor::account(trainee), round, trainee, &wishes)?;
    }
    for (key, ranking) in seed.rankings {
        let actor = match *key {
            "hamburg-genesung" => Actor::account(demo.account("Personal_Hamburg")?),
            _ => Actor::Operator,
        };
        ps.rank_trainees(&actor, round, demo.org(key)?, &accounts(demo, ranking)?)?;
    }
    Ok(round)
}

fn accounts(demo: &Demo, names: &[&str]) -> Result<Vec<AccountId>, Error> {
    names.iter().map(|name| demo.account(name)).collect()
}

/// Midnight UTC `days` from `now`'s day (negative: before).
fn day(now: Timestamp, days: i64) -> Timestamp {
    let date = (now + Duration::days(days)).date_naive();
    date.and_hms_opt(0, 0, 0).map_or(now, |t| t.and_utc())
}
