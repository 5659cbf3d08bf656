//! The job board: lifecycle, permissions, search, alerts, interest, views and import.

mod common;

use chrono::{Duration, NaiveDate};
use common::*;
use proptest::prelude::*;
use trialog_core::*;

const BERLIN: (f64, f64) = (52.5200, 13.4050);
const POTSDAM: (f64, f64) = (52.3906, 13.0645);
const HAMBURG: (f64, f64) = (53.5511, 9.9937);
const MUNICH: (f64, f64) = (48.1351, 11.5820);

struct Board {
    p: Platform,
    clock: TestClock,
    org: Organisation,
    staff: Actor,
    seeker: Actor,
    seeker_id: AccountId,
}

fn board() -> Board {
    let clock = clock();
    let p = platform_with(&clock);
    let org = org(&p, "Weglaufhaus Berlin", "DE-BE");
    let org = p.orgs().verify(&Actor::Operator, org.id, true, None).unwrap();
    let staff = account(&p, "personal_wh", &[Role::EmployerStaff { org: org.id }]);
    let seeker = account(&p, "Kranich", &[]);
    Board { p, clock, org, staff: Actor::account(staff.id), seeker: Actor::account(seeker.id), seeker_id: seeker.id }
}

fn at((latitude, longitude): (f64, f64), place: &str) -> LocationInput {
    LocationInput::Coordinates { latitude, longitude, place: Some(place.into()) }
}

fn new_job(org: OrgId, title: &str, place: (f64, f64)) -> NewJob {
    NewJob { contact: Some("jobs@weglaufhaus.example".into()), ..common::new_job(org, title, at(place, "Berlin")) }
}

fn post(b: &Board, title: &str, place: (f64, f64)) -> Job {
    let job = b.p.jobs().create(&b.staff, &new_job(b.org.id, title, place)).unwrap();
    b.p.jobs().publish(&b.staff, job.id).unwrap()
}

fn near(place: (f64, f64), radius_km: f64) -> JobQuery {
    JobQuery { near: Some(at(place, "here")), radius_km: Some(radius_km), ..Default::default() }
}

fn ids(p: &Platform, actor: &Actor, query: &JobQuery) -> Vec<JobId> {
    let mut out = Vec::new();
    let mut page = PageRequest::first(7);
    loop {
        let result = p.jobs().search(actor, query, &page).unwrap();
        out.extend(result.items.iter().map(|h| h.job.id));
        match result.next_cursor {
            Some(c) => page = PageRequest::after(c, 7),
            None => return out,
        }
    }
}

#[test]
fn a_posting_goes_from_draft_to_published_to_filled() {
    let b = board();
    let draft = b.p.jobs().create(&b.staff, &new_job(b.org.id, "Genesungsbegleiter:in (m/w/d)", BERLIN)).unwrap();
    assert_eq!(draft.state, JobState::Draft);
    assert!(ids(&b.p, &Actor::Anonymous, &near(BERLIN, 10.0)).is_empty(), "drafts are never found");
    assert!(matches!(b.p.jobs().get(&b.seeker, draft.id), Err(Error::NotFound { .. })), "others do not see drafts");

    let published = b.p.jobs().publish(&b.staff, draft.id).unwrap();
    assert_eq!(published.state, JobState::Published);
    assert_eq!(published.expires_on, NaiveDate::from_ymd_opt(2026, 5, 1), "60 days from 2026-03-02 by default");
    assert_eq!(ids(&b.p, &Actor::Anonymous, &near(BERLIN, 10.0)), vec![draft.id]);
    assert!(matches!(b.p.jobs().publish(&b.staff, draft.id), Err(Error::Conflict { .. })));

    let filled = b.p.jobs().fill(&b.staff, draft.id).unwrap();
    assert_eq!(filled.state, JobState::Filled);
    assert!(ids(&b.p, &Actor::Anonymous, &near(BERLIN, 10.0)).is_empty());
    assert_eq!(b.p.jobs().get(&Actor::Anonymous, draft.id).unwrap().state, JobState::Filled, "filled stays readable");
    assert!(matches!(b.p.jobs().update(&b.staff, draft.id, &JobUpdate::default()), Err(Error::Conflict { .. })));
}

#[test]
fn a_posting_expires_by_the_clock_and_leaves_the_search() {
    let b = board();
    let mut new = new_job(b.org.id, "Peer-Begleitung Tagesklinik", BERLIN);
    new.expires_on = NaiveDate::from_ymd_opt(2026, 3, 10);
    let job = b.p.jobs().create(&b.staff, &new).unwrap();
    b.p.jobs().publish(&b.staff, job.id).unwrap();
    b.clock.set("2026-03-10T23:59:00Z".parse().unwrap());
    assert_eq!(ids(&b.p, &b.seeker, &near(BERLIN, 5.0)), vec![job.id], "shown through its last day");
    b.clock.advance(Duration::minutes(2));
    assert!(ids(&b.p, &b.seeker, &near(BERLIN, 5.0)).is_empty(), "gone the next day");
    assert!(ids(&b.p, &b.seeker, &JobQuery::default()).is_empty(), "also without a place");
    assert_eq!(b.p.jobs().get(&b.seeker, job.id).unwrap().state, JobState::Expired);
    // Staff see it among their own and can give it a new expiry date.
    let own = JobQuery { org: Some(b.org.id), include_unpublished: true, ..Default::default() };
    assert_eq!(ids(&b.p, &b.staff, &own), vec![job.id]);
    let later = JobUpdate { expires_on: NaiveDate::from_ymd_opt(2026, 4, 30), ..Default::default() };
    assert_eq!(b.p.jobs().update(&b.staff, job.id, &later).unwrap().state, JobState::Published);
    assert_eq!(ids(&b.p, &b.seeker, &near(BERLIN, 5.0)), vec![job.id]);
}

#[test]
fn only_staff_of_a_verified_employer_or_an_admin_manage_postings() {
    let b = board();
    let unverified = org(&b.p, "Neu e.V.", "DE-BE");
    let new_staff = account(&b.p, "neu_staff", &[Role::EmployerStaff { org: unverified.id }]);
    let admin = account(&b.p, "admin_anna", &[Role::Admin]);
    let job = new_job(unverified.id, "Peer", BERLIN);
    let denied = b.p.jobs().create(&Actor::account(new_staff.id), &job);
    assert!(
        matches!(&denied, Err(Error::PermissionDenied { reason, .. }) if reason.contains("not verified")),
        "{denied:?}"
    );
    assert!(matches!(
        b.p.jobs().create(&b.seeker, &new_job(b.org.id, "x-Stelle", BERLIN)),
        Err(Error::PermissionDenied { .. })
    ));
    assert!(matches!(
        b.p.jobs().create(&Actor::Anonymous, &new_job(b.org.id, "x-Stelle", BERLIN)),
        Err(Error::PermissionDenied { .. })
    ));
    let by_admin = b.p.jobs().create(&Actor::account(admin.id), &new_job(b.org.id, "Admin-Stelle", BERLIN)).unwrap();
    assert!(matches!(b.p.jobs().publish(&b.seeker, by_admin.id), Err(Error::PermissionDenied { .. })));
    assert!(matches!(
        b.p.jobs().withdraw(&new_staff_actor(&new_staff), by_admin.id, None),
        Err(Error::PermissionDenied { .. })
    ));
    b.p.jobs().publish(&b.staff, by_admin.id).unwrap();
    assert_eq!(
        b.p.jobs().withdraw(&Actor::Operator, by_admin.id, Some("duplicate")).unwrap().state,
        JobState::Withdrawn
    );
}

fn new_staff_actor(a: &Account) -> Actor {
    Actor::account(a.id)
}

/// A change that spoils a posting.
type Change = Box<dyn Fn(&mut NewJob)>;

#[test]
fn bad_postings_are_refused_by_field_and_nothing_is_written() {
    let b = board();
    let base = new_job(b.org.id, "Genesungsbegleiter:in", BERLIN);
    let cases: Vec<(&str, Change)> = vec![
        ("title", Box::new(|j| j.title = "  ".into())),
        ("title", Box::new(|j| j.title = "x".repeat(151))),
        ("description", Box::new(|j| j.description = String::new())),
        ("hours.min", Box::new(|j| j.hours = Hours { min: 0, max: 10 })),
        ("hours.max", Box::new(|j| j.hours = Hours { min: 10, max: 61 })),
        ("hours.min", Box::new(|j| j.hours = Hours { min: 30, max: 20 })),
        ("pay.min", Box::new(|j| j.pay.as_mut().unwrap().min = 4000.0)),
        ("pay.min", Box::new(|j| j.pay.as_mut().unwrap().min = f64::NAN)),
        ("pay.max", Box::new(|j| j.pay.as_mut().unwrap().max = Some(3600.123))),
        ("pay.currency", Box::new(|j| j.pay.as_mut().unwrap().currency = "Euro".into())),
        ("expires_on", Box::new(|j| j.expires_on = NaiveDate::from_ymd_opt(2026, 3, 1))),
        (
            "expires_on",
            Box::new(|j| {
                j.starts_on = NaiveDate::from_ymd_opt(2026, 6, 1);
                j.expires_on = NaiveDate::from_ymd_opt(2026, 5, 1);
            }),
        ),
        ("languages", Box::new(|j| j.languages.clear())),
        ("openings", Box::new(|j| j.openings = Some(0))),
        ("latitude", Box::new(|j| j.location = at((91.0, 10.0), "Nordpol"))),
        (
            "postcode",
            Box::new(|j| j.location = LocationInput::Postcode { country: "DK".into(), postcode: "8000".into() }),
        ),
    ];
    for (field, change) in cases {
        let mut job = base.clone();
        change(&mut job);
        assert_eq!(field_of(b.p.jobs().create(&b.staff, &job)), field, "{job:?}");
    }
    let own = JobQuery { org: Some(b.org.id), include_unpublished: true, ..Default::default() };
    assert!(ids(&b.p, &b.staff, &own).is_empty(), "no bad posting was written");

    let mut unpaid = base.clone();
    unpaid.pay = None;
    let draft = b.p.jobs().create(&b.staff, &unpaid).unwrap();
    assert_eq!(field_of(b.p.jobs().publish(&b.staff, draft.id)), "pay", "pay transparency: paid posts show pay");
    unpaid.contract = Contract::Volunteer;
    let volunteer = b.p.jobs().create(&b.staff, &unpaid).unwrap();
    b.p.jobs().publish(&b.staff, volunteer.id).unwrap();
}

#[test]
fn bad_searches_are_refused_by_field() {
    let b = board();
    for radius in [0.0, -3.0, 1000.5, f64::NAN] {
        assert_eq!(field_of(b.p.jobs().search(&b.seeker, &near(BERLIN, radius), &PageRequest::default())), "radius_km");
    }
    let no_center = JobQuery { radius_km: Some(10.0), ..Default::default() };
    assert_eq!(field_of(b.p.jobs().search(&b.seeker, &no_center, &PageRequest::default())), "radius_km");
    let remote_center = JobQuery { near: Some(LocationInput::Remote), ..Default::default() };
    assert_eq!(field_of(b.p.jobs().search(&b.seeker, &remote_center, &PageRequest::default())), "near");
    let bad_cursor = PageRequest { cursor: Some("k12".into()), limit: None };
    assert_eq!(field_of(b.p.jobs().search(&b.seeker, &JobQuery::default(), &bad_cursor)), "cursor");
    let others = JobQuery { org: Some(b.org.id), include_unpublished: true, ..Default::default() };
    assert!(matches!(
        b.p.jobs().search(&b.seeker, &others, &PageRequest::default()),
        Err(Error::PermissionDenied { .. })
    ));
}

#[test]
fn search_filters_sorts_and_measures_distance() {
    let b = board();
    let berlin = post(&b, "Genesungsbegleiter Berlin", BERLIN);
    let potsdam = post(&b, "Genesungsbegleiterin Potsdam", POTSDAM);
    let hamburg = post(&b, "Peer-Beratung Hamburg", HAMBURG);
    let mut mini = new_job(b.org.id, "Minijob Selbsthilfe-Café", BERLIN);
    mini.contract = Contract::MiniJob;
    mini.hours = Hours { min: 5, max: 10 };
    mini.pay =
        Some(Pay { min: 14.0, max: None, unit: PayUnit::Hour, currency: "EUR".into(), agreement: None, group: None });
    mini.requirement = Some(ExInRequirement::None);
    let mini = b.p.jobs().create(&b.staff, &mini).unwrap();
    b.p.jobs().publish(&b.staff, mini.id).unwrap();
    let mut remote = new_job(b.org.id, "Online-Peer-Beratung", BERLIN);
    remote.location = LocationInput::Remote;
    remote.languages = vec!["de".into(), "en".into()];
    let remote = b.p.jobs().create(&b.staff, &remote).unwrap();
    b.p.jobs().publish(&b.staff, remote.id).unwrap();

    let page = b.p.jobs().search(&b.seeker, &near(BERLIN, 50.0), &PageRequest::default()).unwrap();
    let got: Vec<_> = page.items.iter().map(|h| h.job.id).collect();
    assert_eq!(got, vec![berlin.id, mini.id, potsdam.id], "nearest first by default, remote left out");
    let potsdam_hit = &page.items[2];
    assert!((potsdam_hit.distance_km.unwrap() - 26.6).abs() < 1.0, "{:?}", potsdam_hit.distance_km);
    assert_eq!(potsdam_hit.coordinates.unwrap().latitude, POTSDAM.0);

    let with_remote = JobQuery { include_remote: true, ..near(BERLIN, 50.0) };
    assert_eq!(ids(&b.p, &b.seeker, &with_remote).last(), Some(&remote.id), "remote postings come last");
    assert_eq!(ids(&b.p, &b.seeker, &near(BERLIN, 300.0)), vec![berlin.id, mini.id, potsdam.id, hamburg.id]);

    let contracts = JobQuery { contracts: vec![Contract::MiniJob], ..near(BERLIN, 50.0) };
    assert_eq!(ids(&b.p, &b.seeker, &contracts), vec![mini.id]);
    let hours = JobQuery { hours: Some(Hours { min: 25, max: 40 }), ..near(BERLIN, 50.0) };
    assert_eq!(ids(&b.p, &b.seeker, &hours), vec![berlin.id, potsdam.id]);
    let pay = JobQuery {
        min_pay: Some(MinPay { amount: 3500.0, unit: PayUnit::Month, currency: "EUR".into() }),
        ..near(BERLIN, 50.0)
    };
    assert_eq!(ids(&b.p, &b.seeker, &pay), vec![berlin.id, potsdam.id], "14 €/h at 7.5 h/week is far below");
    let hourly = JobQuery {
        min_pay: Some(MinPay { amount: 14.0, unit: PayUnit::Hour, currency: "EUR".into() }),
        ..near(BERLIN, 50.0)
    };
    assert_eq!(ids(&b.p, &b.seeker, &hourly).len(), 3, "3600 €/month at 25 h/week is over 14 €/h");
    let dkk = JobQuery {
        min_pay: Some(MinPay { amount: 1.0, unit: PayUnit::Month, currency: "DKK".into() }),
        ..near(BERLIN, 50.0)
    };
    assert!(ids(&b.p, &b.seeker, &dkk).is_empty(), "other currencies do not qualify");
    let newcomer = JobQuery { exin: Some(ExInStatus::None), ..near(BERLIN, 50.0) };
    assert_eq!(ids(&b.p, &b.seeker, &newcomer), vec![mini.id]);
    let english = JobQuery { language: Some("en".into()), ..Default::default() };
    assert_eq!(ids(&b.p, &b.seeker, &english), vec![remote.id]);

    let by_pay = JobQuery { sort: Some(JobSort::Pay), ..near(BERLIN, 50.0) };
    assert_eq!(ids(&b.p, &b.seeker, &by_pay).last(), Some(&mini.id));
    let newest = JobQuery { sort: Some(JobSort::Newest), ..Default::default() };
    assert_eq!(ids(&b.p, &b.seeker, &newest).len(), 5);
}

#[test]
fn text_search_ignores_case_and_ranks_title_matches_first() {
    let b = board();
    let title = post(&b, "GENESUNGSBEGLEITER gesucht", MUNICH);
    let mut body = new_job(b.org.id, "Mitarbeit im Krisendienst", MUNICH);
    body.description = "Erfahrung als genesungsbegleiter hilft.".into();
    let body = b.p.jobs().create(&b.staff, &body).unwrap();
    b.p.jobs().publish(&b.staff, body.id).unwrap();
    let _other = post(&b, "Verwaltung", MUNICH);
    let query = JobQuery { text: Some("genesungsbegleiter".into()), ..Default::default() };
    let page = b.p.jobs().search(&b.seeker, &query, &PageRequest::default()).unwrap();
    let got: Vec<_> = page.items.iter().map(|h| h.job.id).collect();
    // Every posting's description mentions Genesungsbegleiter:innen, so all three match; the
    // one with the word in its title ranks first.
    assert_eq!(got[0], title.id, "{page:?}");
    assert!(page.items.iter().all(|h| h.score.unwrap() > 0.0));
    let two_words = JobQuery { text: Some("Krisendienst Mitarbeit".into()), ..near(MUNICH, 20.0) };
    assert_eq!(ids(&b.p, &b.seeker, &two_words), vec![body.id]);
}

#[test]
fn saved_searches_alert_once_per_matching_posting() {
    let b = board();
    let query = JobQuery { contracts: vec![Contract::Permanent], ..near(BERLIN, 30.0) };
    let search = b.p.alerts().add(&b.seeker, "Berlin unbefristet", &query).unwrap();
    let wide = b.p.alerts().add(&b.seeker, "Ganz Deutschland", &near(BERLIN, 800.0)).unwrap();
    let everywhere = b.p.alerts().add(&b.seeker, "Alles", &JobQuery::default()).unwrap();

    let berlin = post(&b, "Genesungsbegleitung Mitte", BERLIN);
    post(&b, "Genesungsbegleitung Hamburg", HAMBURG);
    let inbox = b.p.inbox().list(&b.seeker, false, &PageRequest::default()).unwrap();
    let alerts: Vec<(u64, JobId)> = inbox
        .items
        .iter()
        .map(|n| match &n.event {
            Event::JobAlert { search, job, .. } => (*search, *job),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    let hamburg_id = JobId(berlin.id.0 + 1);
    let mut expected = vec![
        (search.id, berlin.id),
        (wide.id, berlin.id),
        (everywhere.id, berlin.id),
        (wide.id, hamburg_id),
        (everywhere.id, hamburg_id),
    ];
    let mut alerts_sorted = alerts.clone();
    alerts_sorted.sort();
    expected.sort();
    assert_eq!(alerts_sorted, expected);
    assert_eq!(inbox.unread, 5);

    // Re-indexing on an edit sends nothing new.
    b.p.jobs()
        .update(
            &b.staff,
            berlin.id,
            &JobUpdate { title: Some("Genesungsbegleitung Berlin-Mitte".into()), ..Default::default() },
        )
        .unwrap();
    assert_eq!(b.p.inbox().list(&b.seeker, false, &PageRequest::default()).unwrap().items.len(), 5);
    assert_eq!(b.p.inbox().mark_read(&b.seeker, &[]).unwrap(), 5);
    assert_eq!(b.p.inbox().list(&b.seeker, true, &PageRequest::default()).unwrap().items.len(), 0);

    assert_eq!(b.p.alerts().list(&b.seeker).unwrap().len(), 3);
    b.p.alerts().remove(&b.seeker, search.id).unwrap();
    b.p.alerts().remove(&b.seeker, wide.id).unwrap();
    b.p.alerts().remove(&b.seeker, everywhere.id).unwrap();
    post(&b, "Noch eine Stelle", BERLIN);
    assert_eq!(b.p.inbox().list(&b.seeker, true, &PageRequest::default()).unwrap().items.len(), 0);
    let other = account(&b.p, "Reiher", &[]);
    assert!(matches!(b.p.alerts().remove(&Actor::account(other.id), search.id), Err(Error::NotFound { .. })));
    assert!(matches!(
        b.p.alerts().add(&Actor::Anonymous, "x", &JobQuery::default()),
        Err(Error::PermissionDenied { .. })
    ));
}

#[test]
fn interest_moves_forward_and_hiring_fills_the_posting() {
    let b = board();
    let job = post(&b, "Genesungsbegleiter:in Station 4", BERLIN);
    let interest = b.p.interests().mark(&b.seeker, job.id, Some("Ich habe das EX-IN-Zertifikat seit 2024.")).unwrap();
    assert_eq!(interest.status, InterestStatus::New);
    assert!(matches!(b.p.interests().mark(&b.seeker, job.id, None), Err(Error::Conflict { .. })));
    assert!(matches!(b.p.interests().for_job(&b.seeker, job.id), Err(Error::PermissionDenied { .. })));
    assert_eq!(b.p.interests().for_job(&b.staff, job.id).unwrap()[0].pseudonym, "Kranich");

    b.p.interests().advance(&b.staff, interest.id, InterestStatus::Contacted).unwrap();
    b.p.interests().advance(&b.staff, interest.id, InterestStatus::Interviewing).unwrap();
    assert_eq!(field_of(b.p.interests().advance(&b.staff, interest.id, InterestStatus::Contacted)), "status");
    assert!(matches!(
        b.p.interests().advance(&b.seeker, interest.id, InterestStatus::Hired),
        Err(Error::PermissionDenied { .. })
    ));
    let hired = b.p.interests().advance(&b.staff, interest.id, InterestStatus::Hired).unwrap();
    assert_eq!(hired.status, InterestStatus::Hired);
    assert_eq!(b.p.jobs().get(&b.seeker, job.id).unwrap().state, JobState::Filled, "one opening, one hire");
    assert!(matches!(
        b.p.interests().advance(&b.staff, interest.id, InterestStatus::Declined),
        Err(Error::Conflict { .. })
    ));

    let mine = b.p.interests().mine(&b.seeker).unwrap();
    assert_eq!((mine.len(), mine[0].status), (1, InterestStatus::Hired));
    let updates = b.p.inbox().list(&b.seeker, false, &PageRequest::default()).unwrap();
    assert_eq!(updates.items.len(), 3, "contacted, interviewing, hired");
    assert!(matches!(b.p.interests().mark(&b.seeker, job.id, None), Err(Error::Conflict { .. })));
}

#[test]
fn seeker_profiles_are_private_until_the_seeker_opts_in() {
    let b = board();
    let unverified = org(&b.p, "Neu e.V.", "DE-BE");
    let other_staff = Actor::account(account(&b.p, "neu_staff", &[Role::EmployerStaff { org: unverified.id }]).id);
    let member = Actor::account(account(&b.p, "Amsel", &[]).id);
    let mut input = SeekerProfileInput {
        location: Some(at(BERLIN, "Berlin")),
        max_distance_km: Some(40),
        hours: Some(Hours { min: 15, max: 25 }),
        contracts: vec![Contract::Permanent, Contract::FixedTerm],
        exin: Some(ExInStatus::Certified),
        languages: vec!["de".into()],
        ..Default::default()
    };
    let profile = b.p.seekers().set(&b.seeker, b.seeker_id, &input).unwrap();
    assert!(!profile.findable, "off by default");
    assert_eq!(b.p.seekers().get(&b.seeker, b.seeker_id).unwrap().exin, ExInStatus::Certified);
    assert!(matches!(b.p.seekers().get(&b.staff, b.seeker_id), Err(Error::NotFound { .. })));
    assert!(
        b.p.seekers()
            .list_findable(&b.staff, &SeekerFilter::default(), &PageRequest::default())
            .unwrap()
            .items
            .is_empty()
    );

    input.findable = true;
    b.p.seekers().set(&b.seeker, b.seeker_id, &input).unwrap();
    assert_eq!(b.p.seekers().get(&b.staff, b.seeker_id).unwrap().pseudonym, "Kranich");
    for outsider in [&other_staff, &member, &Actor::Anonymous] {
        assert!(matches!(b.p.seekers().get(outsider, b.seeker_id), Err(Error::PermissionDenied { .. })), "{outsider}");
    }
    let near_potsdam = SeekerFilter { near: Some(at(POTSDAM, "Potsdam")), ..Default::default() };
    assert_eq!(b.p.seekers().list_findable(&b.staff, &near_potsdam, &PageRequest::default()).unwrap().items.len(), 1);
    let near_munich = SeekerFilter { near: Some(at(MUNICH, "München")), ..Default::default() };
    assert!(b.p.seekers().list_findable(&b.staff, &near_munich, &PageRequest::default()).unwrap().items.is_empty());
    assert!(matches!(b.p.seekers().set(&member, b.seeker_id, &input), Err(Error::PermissionDenied { .. })));
    input.max_distance_km = Some(0);
    assert_eq!(field_of(b.p.seekers().set(&b.seeker, b.seeker_id, &input)), "max_distance_km");
}

#[test]
fn views_are_counted_per_month_without_storing_who() {
    let b = board();
    let job = post(&b, "Genesungsbegleiter:in", BERLIN);
    b.p.jobs().record_view(&Actor::Anonymous, job.id).unwrap();
    b.p.jobs().record_view(&b.seeker, job.id).unwrap();
    b.clock.advance(Duration::days(31));
    b.p.jobs().record_view(&Actor::Anonymous, job.id).unwrap();
    let views = b.p.jobs().views(&b.staff, job.id).unwrap();
    assert_eq!(
        views,
        vec![MonthlyViews { month: "2026-03".into(), views: 2 }, MonthlyViews { month: "2026-04".into(), views: 1 },]
    );
    assert_eq!(b.p.jobs().total_views(&Actor::Operator).unwrap().iter().map(|m| m.views).sum::<u64>(), 3);
    assert!(matches!(b.p.jobs().views(&b.seeker, job.id), Err(Error::PermissionDenied { .. })));
    assert!(matches!(b.p.jobs().total_views(&b.staff), Err(Error::PermissionDenied { .. })));
    let draft = b.p.jobs().create(&b.staff, &new_job(b.org.id, "Entwurf", BERLIN)).unwrap();
    assert!(matches!(b.p.jobs().record_view(&Actor::Anonymous, draft.id), Err(Error::NotFound { .. })));
}

#[test]
fn imports_report_bad_rows_by_line_and_can_be_all_or_nothing() {
    let b = board();
    let good = |line| JobImportRow {
        line,
        job: new_job(b.org.id, "Importierte Stelle", BERLIN),
        publish: true,
        reference: None,
    };
    let mut bad = good(3);
    bad.job.hours = Hours { min: 10, max: 70 };
    let mut unpaid = good(5);
    unpaid.job.pay = None;
    let rows = vec![good(2), bad, good(4), unpaid];

    let dry = b.p.jobs().import(&Actor::Operator, &rows, ImportMode::SkipBadRows, true).unwrap();
    assert_eq!((dry.valid_rows, dry.created.len(), dry.problems.len()), (2, 0, 2));
    let strict = b.p.jobs().import(&Actor::Operator, &rows, ImportMode::AllOrNothing, false).unwrap();
    assert!(strict.created.is_empty());
    assert!(ids(&b.p, &b.seeker, &JobQuery::default()).is_empty(), "nothing of a refused import is written");

    let report = b.p.jobs().import(&Actor::Operator, &rows, ImportMode::SkipBadRows, false).unwrap();
    assert_eq!((report.created.len(), report.published), (2, 2));
    assert_eq!(report.problems[0], RowProblem::new(3, "hours.max", "70 is not between 1 and 60 hours a week"));
    assert_eq!((report.problems[1].line, report.problems[1].field.as_str()), (5, "pay"));
    assert_eq!(ids(&b.p, &b.seeker, &JobQuery::default()).len(), 2);
    let own = JobQuery { org: Some(b.org.id), include_unpublished: true, ..Default::default() };
    assert_eq!(ids(&b.p, &b.staff, &own).len(), 2, "a row that cannot be published leaves no draft behind");
    let exported = b.p.jobs().export(&Actor::Anonymous, None, false).unwrap();
    let ld = jobs::job_posting_json_ld(&exported[0], &b.org);
    assert_eq!(ld["@type"], "JobPosting");
    assert_eq!(ld["baseSalary"]["value"]["maxValue"], 3600.0);
    assert_eq!(ld["hiringOrganization"]["name"], "Weglaufhaus Berlin");
}

#[test]
fn withdrawn_postings_keep_their_record_but_leave_every_index() {
    let b = board();
    let job = post(&b, "Genesungsbegleiter Spandau", BERLIN);
    let text = JobQuery { text: Some("Spandau".into()), ..Default::default() };
    assert_eq!(ids(&b.p, &b.seeker, &text), vec![job.id]);
    b.p.jobs().withdraw(&b.staff, job.id, Some("Stelle entfällt")).unwrap();
    assert!(ids(&b.p, &b.seeker, &text).is_empty());
    assert!(ids(&b.p, &b.seeker, &near(BERLIN, 10.0)).is_empty());
    assert!(matches!(b.p.jobs().get(&b.seeker, job.id), Err(Error::NotFound { .. })));
    assert_eq!(b.p.jobs().get(&b.staff, job.id).unwrap().state, JobState::Withdrawn);
    let audit =
        b.p.audit()
            .list(
                &Actor::Operator,
                &AuditFilter { target: Some(format!("job:{}", job.id)), ..Default::default() },
                &PageRequest::default(),
            )
            .unwrap();
    assert_eq!(audit.items[0].action, "job.withdraw");
}

/// Radius search must agree with a brute-force scan: same postings, in distance order.
fn brute_force(
    points: &[(JobId, (f64, f64), Contract)],
    center: (f64, f64),
    radius: f64,
    contract: Option<Contract>,
) -> Vec<JobId> {
    let c = geo::Coordinates { latitude: center.0, longitude: center.1 };
    let mut hits: Vec<(f64, JobId)> = points
        .iter()
        .filter(|(_, _, k)| contract.is_none_or(|x| x == *k))
        .map(|(id, (lat, lon), _)| (geo::distance_km(c, geo::Coordinates { latitude: *lat, longitude: *lon }), *id))
        .filter(|(d, _)| *d <= radius)
        .collect();
    hits.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    hits.into_iter().map(|(_, id)| id).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]
    #[test]
    fn radius_search_agrees_with_a_brute_force_scan(
        points in proptest::collection::vec((47.0f64..55.5, 5.5f64..15.5, 0usize..3), 1..60),
        queries in proptest::collection::vec((47.0f64..55.5, 5.5f64..15.5, 1.0f64..400.0, proptest::option::of(0usize..3)), 1..6),
    ) {
        let b = board();
        let kinds = [Contract::Permanent, Contract::FixedTerm, Contract::MiniJob];
        let rows: Vec<JobImportRow> = points.iter().enumerate().map(|(i, (lat, lon, k))| {
            let mut job = new_job(b.org.id, "Genesungsbegleiter", (*lat, *lon));
            job.contract = kinds[*k];
            JobImportRow { line: i as u64 + 1, job, publish: true, reference: None }
        }).collect();
        let report = b.p.jobs().import(&Actor::Operator, &rows, ImportMode::AllOrNothing, false).unwrap();
        let placed: Vec<_> = report.created.iter().zip(&points).map(|(id, (lat, lon, k))| (*id, (*lat, *lon), kinds[*k])).collect();
        for (lat, lon, radius, contract) in queries {
            let contract = contract.map(|k| kinds[k]);
            let query = JobQuery { contracts: contract.into_iter().collect(), sort: Some(JobSort::Distance), ..near((lat, lon), radius) };
            prop_assert_eq!(ids(&b.p, &b.seeker, &query), brute_force(&placed, (lat, lon), radius, contract));
        }
    }
}

/// Two postcodes as GeoNames writes them (tab-separated; coordinates from the real DE file).
const DE_ROWS: &str = "DE\t07743\tJena\tThüringen\tTH\t\t00\tKreisfreie Stadt Jena\t16053\t50.9271\t11.5892\t4\n\
                       DE\t10115\tBerlin\tBerlin\tBE\t\t00\tBerlin, Stadt\t11000\t52.5323\t13.3846\t4\n";

#[test]
fn postings_and_searches_by_postcode_go_through_the_gazetteer() {
    let b = board();
    let by_postcode = |postcode: &str| LocationInput::Postcode { country: "de".into(), postcode: postcode.into() };
    let mut jena = new_job(b.org.id, "Genesungsbegleitung Jena", BERLIN);
    jena.location = by_postcode("07743");
    let err = b.p.jobs().create(&b.staff, &jena).unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput { field, reason } if field == "postcode" && reason.contains("trialog geo import DE.txt")),
        "an unknown country's gazetteer names the fix: {err:?}"
    );

    b.p.geo().import(&Actor::Operator, DE_ROWS.as_bytes(), &mut |_| {}).unwrap();
    let job = b.p.jobs().create(&b.staff, &jena).unwrap();
    let Location::OnSite { coordinates, place, postcode, country } = &job.location else { panic!("{job:?}") };
    assert_eq!((place.as_deref(), postcode.as_deref(), country.as_deref()), (Some("Jena"), Some("07743"), Some("DE")));
    assert_eq!((coordinates.latitude, coordinates.longitude), (50.9271, 11.5892));
    b.p.jobs().publish(&b.staff, job.id).unwrap();
    post(&b, "Peer-Beratung Berlin", BERLIN);

    let around = |postcode: &str, radius_km: f64| JobQuery {
        near: Some(by_postcode(postcode)),
        radius_km: Some(radius_km),
        ..Default::default()
    };
    assert_eq!(ids(&b.p, &b.seeker, &around("07743", 50.0)), [job.id]);
    let hits = b.p.jobs().search(&b.seeker, &around("10115", 300.0), &PageRequest::default()).unwrap().items;
    let jena_hit = hits.iter().find(|h| h.job.id == job.id).expect("Jena is within 300 km of Berlin");
    let km = jena_hit.distance_km.unwrap();
    // 1.61° of latitude (178 km) and 1.80° of longitude at 51.7° N (124 km): about 217 km.
    assert!((km - 217.0).abs() < 2.0, "Berlin 10115 – Jena 07743 is about 217 km, got {km}");
    assert_eq!(field_of(b.p.jobs().search(&b.seeker, &around("99999", 50.0), &PageRequest::default())), "postcode");
}

#[test]
fn a_hidden_seeker_profile_and_a_missing_one_answer_alike() {
    let b = board();
    let nobody = account(&b.p, "Ohne_Profil", &[]).id;
    let input = SeekerProfileInput { languages: vec!["de".into()], ..Default::default() };
    b.p.seekers().set(&b.seeker, b.seeker_id, &input).unwrap();
    let member = Actor::account(account(&b.p, "Neugierig", &[]).id);
    for asker in [&b.staff, &member, &Actor::Anonymous] {
        let hidden = b.p.seekers().get(asker, b.seeker_id).unwrap_err();
        let missing = b.p.seekers().get(asker, nobody).unwrap_err();
        assert_eq!(
            std::mem::discriminant(&hidden),
            std::mem::discriminant(&missing),
            "{asker}: a hidden profile answers {hidden:?}, a missing one {missing:?}"
        );
        assert_eq!(
            hidden.to_string().replace(&b.seeker_id.to_string(), "N"),
            missing.to_string().replace(&nobody.to_string(), "N")
        );
    }
}

#[test]
fn nobody_publishes_for_an_unverified_organisation_not_even_an_admin() {
    let b = board();
    let fresh = org(&b.p, "Ungeprüft e.V.", "DE-BE");
    let admin = Actor::account(account(&b.p, "Verwaltung", &[Role::Admin]).id);
    for who in [&Actor::Operator, &admin] {
        let draft = b.p.jobs().create(who, &new_job(fresh.id, "Genesungsbegleitung", BERLIN)).unwrap();
        let refused = b.p.jobs().publish(who, draft.id);
        assert!(
            matches!(&refused, Err(Error::PermissionDenied { reason, .. }) if reason.contains("not verified")),
            "{who}: {refused:?}"
        );
        let row =
            JobImportRow { line: 2, job: new_job(fresh.id, "Importiert", BERLIN), publish: true, reference: None };
        let report = b.p.jobs().import(who, &[row], ImportMode::SkipBadRows, false).unwrap();
        assert_eq!((report.published, report.created.len()), (0, 0), "{who}: {report:?}");
        assert!(report.problems[0].reason.contains("not verified"), "{:?}", report.problems);
    }
    b.p.orgs().verify(&admin, fresh.id, true, Some("Vereinsregister")).unwrap();
    let draft = b.p.jobs().create(&admin, &new_job(fresh.id, "Nach Prüfung", BERLIN)).unwrap();
    assert_eq!(b.p.jobs().publish(&admin, draft.id).unwrap().state, JobState::Published);
}

#[test]
fn pay_below_the_sanity_floor_and_expiry_beyond_two_years_are_refused() {
    let b = board();
    let mut job = new_job(b.org.id, "Genesungsbegleitung", BERLIN);
    for (unit, amount) in
        [(PayUnit::Hour, 1e-300), (PayUnit::Hour, 0.5), (PayUnit::Month, 14.5), (PayUnit::Year, 900.0)]
    {
        job.pay = Some(Pay { min: amount, max: None, unit, currency: "EUR".into(), agreement: None, group: None });
        assert_eq!(field_of(b.p.jobs().create(&b.staff, &job)), "pay.min", "{amount} a {unit}");
    }
    job.pay =
        Some(Pay { min: 15.0, max: None, unit: PayUnit::Hour, currency: "DKK".into(), agreement: None, group: None });
    assert!(b.p.jobs().create(&b.staff, &job).is_ok(), "an hourly wage above the floor");
    job.expires_on = Some(b.clock.now().date_naive() + chrono::Days::new(800));
    assert_eq!(field_of(b.p.jobs().create(&b.staff, &job)), "expires_on");
}

/// The integrity check reads the job board's indexes: clean after real use, and a card taken
/// out of its grid cell or a saved search taken out of the alerts behind the platform's back
/// is reported.
#[test]
fn the_integrity_check_covers_cards_cells_terms_and_alerts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("jobs.redb");
    let clock = clock();
    let options = || PlatformOptions { clock: std::sync::Arc::new(clock.clone()), ..Default::default() };
    let b = {
        let p = Platform::open(&path, options()).unwrap();
        let org = common::org(&p, "Weglaufhaus Berlin", "DE-BE");
        let org = p.orgs().verify(&Actor::Operator, org.id, true, None).unwrap();
        let staff = account(&p, "personal_wh", &[Role::EmployerStaff { org: org.id }]);
        let seeker = account(&p, "Kranich", &[]);
        Board {
            p,
            clock: clock.clone(),
            org,
            staff: Actor::account(staff.id),
            seeker: Actor::account(seeker.id),
            seeker_id: seeker.id,
        }
    };
    b.p.alerts().add(&b.seeker, "Berlin", &near(BERLIN, 30.0)).unwrap();
    let anywhere = b.p.alerts().add(&b.seeker, "Alles", &JobQuery::default()).unwrap();
    let kept = post(&b, "Genesungsbegleitung Mitte", BERLIN);
    let gone = post(&b, "Genesungsbegleitung Spandau", POTSDAM);
    let remote = b
        .p
        .jobs()
        .create(&b.staff, &NewJob { location: LocationInput::Remote, ..new_job(b.org.id, "Online-Beratung", BERLIN) })
        .unwrap();
    b.p.jobs().publish(&b.staff, remote.id).unwrap();
    b.p.jobs().withdraw(&b.staff, gone.id, None).unwrap();
    let report = b.p.integrity().unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    drop(b);
    {
        use redb::{ReadableTable, TableDefinition};
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut cells = txn.open_table(TableDefinition::<(u32, u64), &[u8]>::new("job_cells")).unwrap();
            let key = cells.iter().unwrap().map(|r| r.unwrap().0.value()).find(|(_, id)| *id == kept.id.0).unwrap();
            cells.remove(key).unwrap();
            txn.open_table(TableDefinition::<u64, &[u8]>::new("alert_anywhere")).unwrap().remove(anywhere.id).unwrap();
        }
        txn.commit().unwrap();
    }
    let p = Platform::open(&path, options()).unwrap();
    let problems = p.integrity().unwrap().problems;
    let expected = [
        format!("published job {} is missing from its grid cell", kept.id),
        format!("saved search {} is not filed for alerts", anywhere.id),
    ];
    for problem in &expected {
        assert!(problems.contains(problem), "{problem:?} not in {problems:?}");
    }
}

/// Every posting of one import shares its publication time: paging through them must still
/// reach each exactly once (a cursor inside a group of equal times once skipped the rest). Ten
/// pages of 200: enough for cursors inside the group; 5,000 postings cost 86 s on PostgreSQL.
#[test]
fn paging_a_default_search_reaches_every_posting_published_at_the_same_moment() {
    const POSTINGS: u64 = 2_000;
    let b = board();
    let rows: Vec<JobImportRow> = (0..POSTINGS)
        .map(|i| JobImportRow {
            line: i + 1,
            job: new_job(b.org.id, "Genesungsbegleiter", BERLIN),
            publish: true,
            reference: None,
        })
        .collect();
    let report = b.p.jobs().import(&Actor::Operator, &rows, ImportMode::AllOrNothing, false).unwrap();
    assert_eq!(report.published, POSTINGS);
    let mut seen = std::collections::BTreeSet::new();
    let mut page = PageRequest { limit: Some(POSTINGS as u32 / 10), cursor: None };
    let mut pages = 0;
    loop {
        let found = b.p.jobs().search(&b.seeker, &JobQuery::default(), &page).unwrap();
        pages += 1;
        for hit in &found.items {
            assert!(seen.insert(hit.job.id), "posting {} came twice", hit.job.id);
        }
        match found.next_cursor {
            Some(cursor) => page.cursor = Some(cursor),
            None => break,
        }
        assert!(pages <= 11, "more pages than postings allow");
    }
    assert_eq!((seen.len() as u64, pages), (POSTINGS, 10));
}

#[test]
fn an_import_row_with_a_known_ref_updates_its_posting_and_a_repeated_ref_is_a_row_error() {
    let b = board();
    let row = |line, title: &str, reference: &str| JobImportRow {
        line,
        job: new_job(b.org.id, title, BERLIN),
        publish: true,
        reference: Some(reference.into()),
    };
    let first =
        b.p.jobs()
            .import(&Actor::Operator, &[row(1, "Eins", "A"), row(2, "Zwei", "B")], ImportMode::SkipBadRows, false)
            .unwrap();
    assert_eq!((first.created.len(), first.updated.len()), (2, 0));
    let again =
        b.p.jobs()
            .import(&Actor::Operator, &[row(1, "Eins neu", "A"), row(2, "Zwei", " B ")], ImportMode::SkipBadRows, false)
            .unwrap();
    assert_eq!((again.created.len(), &again.updated), (0, &first.created));
    assert_eq!(b.p.jobs().get(&b.seeker, first.created[0]).unwrap().title, "Eins neu");
    assert_eq!(ids(&b.p, &b.seeker, &JobQuery::default()).len(), 2);
    let twice =
        b.p.jobs()
            .import(&Actor::Operator, &[row(1, "C", "C"), row(2, "C2", "C")], ImportMode::SkipBadRows, false)
            .unwrap();
    assert_eq!(twice.problems.iter().map(|p| (p.line, p.field.as_str())).collect::<Vec<_>>(), vec![(2, "ref")]);
    let blank = b.p.jobs().import(&Actor::Operator, &[row(1, "D", "  ")], ImportMode::SkipBadRows, false).unwrap();
    assert_eq!(blank.problems[0].field, "ref");
    assert!(b.p.integrity().unwrap().problems.is_empty());
}

/// A publication waits in one open segment of the job board's text index until the scheduler
/// merges it into the blocks; searches find it either way, and the tick says what it did.
#[test]
fn a_tick_merges_the_job_index_segments_and_says_so() {
    let b = board();
    let first = post(&b, "Genesungsbegleitung im Nachtdienst", BERLIN);
    let second = post(&b, "Genesungsbegleitung in der Tagesklinik", POTSDAM);
    let query = JobQuery { text: Some("Genesungsbegleitung".into()), ..Default::default() };
    let before = ids(&b.p, &b.seeker, &query);
    assert_eq!(before.len(), 2, "both postings are found while they wait in open segments");
    let report = b.p.tick(&Actor::Operator, b.p.now()).unwrap();
    let merged: u64 = report.work.iter().filter(|w| w.what == "job index segments merged").map(|w| w.count).sum();
    assert!(merged >= 2, "each publication's segment is merged: {report:?}");
    assert_eq!(ids(&b.p, &b.seeker, &query), before, "merging changes no answer");
    let again = b.p.tick(&Actor::Operator, b.p.now()).unwrap();
    assert!(again.work.iter().all(|w| w.what != "job index segments merged"), "nothing is left: {again:?}");
    b.p.jobs().withdraw(&b.staff, first.id, None).unwrap();
    assert_eq!(ids(&b.p, &b.seeker, &query), [second.id], "a withdrawal waits in a segment too");
    assert!(b.p.integrity().unwrap().problems.is_empty());
}
