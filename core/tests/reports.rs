//! Reports for funders: figures per period and organisation, and disclosure control across
//! every report the platform publishes.

mod common;

use std::collections::BTreeMap;

use chrono::Duration;
use common::*;
use trialog_core::reports::FigureRow;
use trialog_core::*;

struct World {
    p: Platform,
    clock: TestClock,
    orgs: Vec<OrgId>,
    jobs: Vec<JobId>,
    board: BoardId,
}

/// Three verified organisations with one posting each, and a public board; the clock in
/// March 2026.
fn world() -> World {
    let clock = clock();
    let p = platform_with(&clock);
    let mut orgs = Vec::new();
    let mut jobs = Vec::new();
    for (i, name) in ["Jena", "Erfurt", "Gera"].iter().enumerate() {
        let org = org(&p, name, "DE-TH").id;
        p.orgs().verify(&Actor::Operator, org, true, None).unwrap();
        let location = LocationInput::Coordinates { latitude: 50.9 + i as f64 / 10.0, longitude: 11.5, place: None };
        let job = p.jobs().create(&Actor::Operator, &new_job(org, "Genesungsbegleitung", location)).unwrap();
        p.jobs().publish(&Actor::Operator, job.id).unwrap();
        orgs.push(org);
        jobs.push(job.id);
    }
    let new = NewBoard {
        slug: "offen".into(),
        title: "Offen".into(),
        description: String::new(),
        language: "de".into(),
        position: None,
        audience: Audience::Public,
        moderation: ModerationMode::Open,
    };
    let board = p.forums().create_board(&Actor::Operator, &new).unwrap().id;
    World { p, clock, orgs, jobs, board }
}

impl World {
    fn job_views(&self, views: [u64; 3]) {
        for (job, n) in self.jobs.iter().zip(views) {
            for _ in 0..n {
                self.p.jobs().record_view(&Actor::Anonymous, *job).unwrap();
            }
        }
    }

    fn forum_readers(&self, thread: ThreadId, readers: usize) {
        for r in 0..readers {
            self.p.forums().record_view(&Actor::Anonymous, thread, Some(&format!("visitor-{r}"))).unwrap();
        }
    }

    fn thread(&self) -> ThreadId {
        let author = account(&self.p, "Autorin", &[]);
        let new = NewThread {
            board: self.board,
            title: "Erfahrungen".into(),
            body: "Wie war es bei euch?".into(),
            tags: vec![],
            anonymous: false,
        };
        self.p.forums().create_thread(&Actor::account(author.id), &new).unwrap().thread.id
    }

    /// Every report of the year the platform publishes: the platform's and each
    /// organisation's.
    fn everything(&self) -> Vec<FigureRow> {
        let mut rows = self.p.reports().platform(&Actor::Operator, "2026").unwrap();
        for org in &self.orgs {
            rows.extend(self.p.reports().org(&Actor::Operator, *org, "2026").unwrap());
        }
        rows
    }
}

fn value(rows: &[FigureRow], figure: &str, org: Option<OrgId>, period: &str) -> Option<Option<f64>> {
    rows.iter()
        .find(|r| r.figure == figure && r.org == org && r.period == period && r.category.is_none())
        .map(|r| r.value)
}

/// The attacker, written apart from the library's: knows that months add up to quarters,
/// quarters to the year and organisations to the platform, and solves every such sum with
/// one unknown, over and over. Returns the withheld cells it recovers.
fn recover(rows: &[FigureRow]) -> Vec<String> {
    type Key = (String, Option<String>, Option<OrgId>, String);
    let mut known: BTreeMap<Key, Option<f64>> = BTreeMap::new();
    for r in rows
        .iter()
        .filter(|r| !r.figure.ends_with("_median") && !r.figure.ends_with("_p90") && r.figure != "forum_readers")
    {
        known.insert((r.figure.clone(), r.category.clone(), r.org, r.period.clone()), r.value);
    }
    let mut sums: Vec<(Key, Vec<Key>)> = Vec::new();
    let orgs: Vec<OrgId> =
        known.keys().filter_map(|k| k.2).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    for (figure, category, org, period) in known.keys() {
        let key = |org: Option<OrgId>, period: String| (figure.clone(), category.clone(), org, period);
        if period.len() == 4 {
            sums.push((key(*org, period.clone()), (1..=4).map(|q| key(*org, format!("{period}-Q{q}"))).collect()));
        } else if let Some((y, q)) = period.split_once("-Q") {
            let q: u32 = q.parse().unwrap();
            let months = (3 * q - 2..=3 * q).map(|m| key(*org, format!("{y}-{m:02}"))).collect();
            sums.push((key(*org, period.clone()), months));
        }
        let attributed = orgs.iter().any(|o| known.contains_key(&key(Some(*o), period.clone())));
        if org.is_none() && attributed {
            sums.push((key(None, period.clone()), orgs.iter().map(|o| key(Some(*o), period.clone())).collect()));
        }
    }
    // A breakdown's categories (`contract:…`, `course:…`) add up to the figure's total.
    let mut breakdowns: BTreeMap<(Key, String), Vec<Key>> = BTreeMap::new();
    for k @ (figure, category, org, period) in known.keys() {
        if let Some((dimension, _)) = category.as_deref().and_then(|c| c.split_once(':')) {
            let total = (figure.clone(), None, *org, period.clone());
            breakdowns.entry((total, dimension.to_string())).or_default().push(k.clone());
        }
    }
    sums.extend(breakdowns.into_iter().map(|((total, _), parts)| (total, parts)));
    let mut recovered = Vec::new();
    loop {
        let mut progress = false;
        for (total, parts) in &sums {
            let cells: Vec<&Key> = std::iter::once(total).chain(parts).collect();
            // A cell nobody published is zero (nothing happened), and known to be.
            let unknown: Vec<&Key> =
                cells.iter().copied().filter(|k| known.get(*k).is_some_and(Option::is_none)).collect();
            if let [only] = unknown[..] {
                let sum =
                    |keys: &[Key]| keys.iter().map(|k| known.get(k).copied().flatten().unwrap_or(0.0)).sum::<f64>();
                let total_value = known.get(total).copied().flatten().unwrap_or(0.0);
                let value = if only == total { sum(parts) } else { total_value - sum(parts) };
                recovered.push(format!("{only:?} = {value}"));
                known.insert(only.clone(), Some(value));
                progress = true;
            }
        }
        if !progress {
            return recovered;
        }
    }
}

#[test]
fn a_small_organisation_cannot_be_recovered_from_the_platform_total_and_the_others() {
    let w = world();
    w.job_views([40, 25, 2]);
    w.clock.advance(Duration::days(31));
    w.job_views([30, 20, 10]);
    let rows = w.everything();
    let gera = Some(w.orgs[2]);
    assert_eq!(value(&rows, "job_views", gera, "2026-03"), Some(None), "two views are withheld");
    assert_eq!(value(&rows, "job_views", None, "2026-03"), Some(Some(67.0)), "the platform's month is shown");
    assert_eq!(value(&rows, "job_views", Some(w.orgs[1]), "2026-03"), Some(None), "and so the next smallest goes");
    assert_eq!(value(&rows, "job_views", Some(w.orgs[0]), "2026-04"), Some(Some(30.0)));
    assert!(recover(&rows).is_empty(), "{:?}", recover(&rows));
    assert!(rows.iter().all(|r| r.withheld == r.value.is_none()));
}

#[test]
fn a_month_cannot_be_recovered_from_its_quarter_and_the_other_months() {
    let w = world();
    let thread = w.thread();
    w.clock.set("2026-01-10T10:00:00Z".parse().unwrap());
    w.forum_readers(thread, 30);
    w.clock.set("2026-02-10T10:00:00Z".parse().unwrap());
    w.forum_readers(thread, 3);
    w.clock.set("2026-03-10T10:00:00Z".parse().unwrap());
    w.forum_readers(thread, 20);
    let rows = w.everything();
    assert_eq!(value(&rows, "forum_views", None, "2026-02"), Some(None));
    assert_eq!(value(&rows, "forum_views", None, "2026-Q1"), Some(Some(53.0)));
    assert_eq!(value(&rows, "forum_views", None, "2026-03"), Some(None), "20 goes with the 3");
    assert_eq!(value(&rows, "forum_readers", None, "2026-01"), Some(Some(30.0)));
    assert_eq!(value(&rows, "forum_readers", None, "2026-02"), Some(None), "three readers are withheld");
    assert_eq!(value(&rows, "forum_readers", None, "2026-Q1"), Some(Some(30.0)), "the quarter's unique readers");
    assert!(recover(&rows).is_empty(), "{:?}", recover(&rows));
}

#[test]
fn a_quarter_report_holds_the_quarter_and_its_months_of_one_release() {
    let w = world();
    w.job_views([40, 25, 2]);
    let q1 = w.p.reports().platform(&Actor::Operator, "2026-Q1").unwrap();
    let year = w.p.reports().platform(&Actor::Operator, "2026").unwrap();
    assert!(q1.iter().all(|r| r.period == "2026-Q1" || r.period.starts_with("2026-0")));
    for row in &q1 {
        assert!(year.contains(row), "a quarter's report is a cut of the year's release: {row:?}");
    }
    let gera = w.p.reports().org(&Actor::Operator, w.orgs[2], "2026-03").unwrap();
    assert!(gera.iter().all(|r| r.org == Some(w.orgs[2]) && r.period == "2026-03"));
    assert!(gera.iter().any(|r| r.figure == "job_postings" && r.category.as_deref() == Some("contract:permanent")));
}

#[test]
fn the_threshold_is_a_platform_setting() {
    let w = world();
    w.job_views([40, 25, 6]);
    let gera = |w: &World| {
        value(
            &w.p.reports().org(&Actor::Operator, w.orgs[2], "2026-03").unwrap(),
            "job_views",
            Some(w.orgs[2]),
            "2026-03",
        )
    };
    assert_eq!(gera(&w), Some(Some(6.0)));
    assert_eq!(w.p.settings().set_disclosure_threshold(&Actor::Operator, 7).unwrap(), 7);
    assert_eq!(w.p.settings().disclosure_threshold(&Actor::Anonymous).unwrap(), 7);
    assert_eq!(gera(&w), Some(None), "with k = 7 (as the NHS), six views are withheld");
    assert_eq!(field_of(w.p.settings().set_disclosure_threshold(&Actor::Operator, 0)), "disclosure_threshold");
    assert_eq!(field_of(w.p.reports().platform(&Actor::Operator, "2026-Q5")), "period");
    assert!(matches!(w.p.reports().org(&Actor::Operator, OrgId(999), "2026"), Err(Error::NotFound { .. })));
}

#[test]
fn the_html_report_is_self_contained_and_shows_the_figures() {
    let w = world();
    let thread = w.thread();
    w.forum_readers(thread, 12);
    w.job_views([40, 25, 2]);
    let html = w.p.reports().html(&Actor::Operator, "2026-Q1", None).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<svg") && html.contains("id=\"chart-forum_views\""), "{html}");
    assert!(html.contains(">67<"), "the platform's job views of March");
    for external in ["<script", "src=", "href=", "@import", "url("] {
        assert!(!html.contains(external), "{external} in the report");
    }
    assert!(matches!(w.p.reports().html(&Actor::Anonymous, "2026-Q1", None), Err(Error::PermissionDenied { .. })));
}

#[test]
fn courses_report_registrations_attendances_and_completions_per_course_and_year() {
    let w = world();
    let jena = w.orgs[0];
    let course = |title: &str| {
        let new = NewCourse {
            org: jena,
            title: title.into(),
            description: "Ein Seminar für Selbsthilfegruppen: Moderation, Konflikte, Methoden.".into(),
            topics: vec!["self-help-groups".into()],
            language: "de".into(),
            audience: CourseAudience::SelfHelpGroupMembers,
            format: CourseFormat::Online,
            place: None,
            online_link: Some("https://meet.example.org/gruppen".into()),
            sessions: vec![SessionInput {
                start: "2026-04-07T18:00".into(),
                end: "2026-04-07T20:00".into(),
                time_zone: "Europe/Berlin".into(),
                repeat: Some(Repeat { every_days: 7, count: 5 }),
            }],
            capacity: 20,
            fee: Fee::Free,
            registration_opens: None,
            registration_closes: None,
            prerequisites: vec![],
            trialogic: false,
            settings: None,
        };
        let id = w.p.courses().create(&Actor::Operator, &new).unwrap().id;
        w.p.courses().publish(&Actor::Operator, id).unwrap()
    };
    let (large, small) = (course("Gruppen leiten"), course("Konflikte"));
    let people: Vec<AccountId> = (0..8).map(|i| account(&w.p, &format!("Teilnehmende{i}"), &[]).id).collect();
    let mut registrations = Vec::new();
    for (i, person) in people.iter().enumerate() {
        let course = if i < 6 { &large } else { &small };
        registrations.push(w.p.courses().register(&Actor::account(*person), course.id, &[]).unwrap().remove(0));
    }
    for session in &large.sessions {
        w.clock.set(session.start + Duration::minutes(10));
        w.p.courses().record_attendance(&Actor::Operator, large.id, session.id, &people[..6]).unwrap();
    }
    w.clock.set(large.sessions[4].end);
    w.p.tick(&Actor::Operator, w.clock.now()).unwrap();
    for (person, registration) in people.iter().zip(&registrations).take(6) {
        w.p.courses()
            .claim_certificate(&Actor::account(*person), registration.id, &CertificateName::Pseudonym)
            .unwrap();
    }
    let rows = w.everything();
    let org = Some(jena);
    assert_eq!(value(&rows, "course_registrations", org, "2026-03"), Some(Some(8.0)));
    assert_eq!(value(&rows, "course_attendances", org, "2026-04"), Some(Some(24.0)), "6 people at 4 April sessions");
    assert_eq!(value(&rows, "course_attendances", org, "2026-05"), Some(Some(6.0)));
    assert_eq!(value(&rows, "course_completions", org, "2026-05"), Some(Some(6.0)));
    assert_eq!(value(&rows, "course_completions", org, "2026"), Some(Some(6.0)));
    let per_course = |id: CourseId, figure: &str| {
        let category = format!("course:{id}");
        rows.iter()
            .find(|r| {
                r.figure == figure && r.org == org && r.period == "2026" && r.category.as_deref() == Some(&category)
            })
            .map(|r| r.value)
    };
    assert_eq!(per_course(large.id, "course_attendances"), Some(Some(30.0)), "the large course's year");
    assert_eq!(per_course(small.id, "course_registrations"), Some(None), "two registrations are withheld");
    assert_eq!(per_course(large.id, "course_registrations"), Some(None), "8 − 6 would give them back");
    assert!(recover(&rows).is_empty(), "{:?}", recover(&rows));
}
