//! Suggestions between postings and seekers: hard filters, explained scores, the weights
//! setting, opt-in, and agreement with a brute-force reading of the rules.

mod common;

use chrono::Duration;
use common::*;
use proptest::prelude::*;
use trialog_core::*;

const BERLIN: (f64, f64) = (52.5200, 13.4050);
const POTSDAM: (f64, f64) = (52.3906, 13.0645); // 27 km from Berlin
const HAMBURG: (f64, f64) = (53.5511, 9.9937); // 255 km from Berlin

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

fn at((latitude, longitude): (f64, f64)) -> LocationInput {
    LocationInput::Coordinates { latitude, longitude, place: None }
}

fn new_job(org: OrgId, title: &str, place: Option<(f64, f64)>) -> NewJob {
    NewJob {
        org,
        title: title.into(),
        description: "Genesungsbegleitung im Team.".into(),
        location: place.map_or(LocationInput::Remote, at),
        contract: Contract::Permanent,
        hours: Hours { min: 20, max: 30 },
        pay: Some(Pay {
            min: 3100.0,
            max: Some(3600.0),
            unit: PayUnit::Month,
            currency: "EUR".into(),
            agreement: None,
            group: None,
        }),
        requirement: Some(ExInRequirement::TrainingAccepted),
        languages: vec!["de".into()],
        starts_on: None,
        expires_on: None,
        openings: None,
        contact: None,
    }
}

fn publish(b: &Board, job: NewJob) -> Job {
    let draft = b.p.jobs().create(&b.staff, &job).unwrap();
    b.p.jobs().publish(&b.staff, draft.id).unwrap()
}

/// A seeker in Berlin travelling 40 km, 20–30 hours, permanent or fixed-term, in EX-IN training.
fn wish() -> SeekerProfileInput {
    SeekerProfileInput {
        location: Some(at(BERLIN)),
        max_distance_km: Some(40),
        hours: Some(Hours { min: 20, max: 30 }),
        contracts: vec![Contract::Permanent, Contract::FixedTerm],
        exin: Some(ExInStatus::InTraining),
        languages: vec!["de".into(), "en".into()],
        open_to_remote: false,
        findable: true,
        min_pay: None,
    }
}

fn suggested(b: &Board) -> Vec<JobId> {
    let found = b.p.jobs().suggest_for_seeker(&b.seeker, b.seeker_id, Some(200)).unwrap();
    let mut ids: Vec<JobId> = found.iter().map(|s| s.job.id).collect();
    ids.sort_unstable();
    ids
}

#[test]
fn hard_filters_keep_out_what_the_seeker_cannot_take() {
    let b = board();
    b.p.seekers().set(&b.seeker, b.seeker_id, &wish()).unwrap();
    let fits = publish(&b, new_job(b.org.id, "Berlin", Some(BERLIN)));
    let potsdam = publish(&b, new_job(b.org.id, "Potsdam", Some(POTSDAM)));
    let _hamburg = publish(&b, new_job(b.org.id, "Hamburg, too far", Some(HAMBURG)));
    let remote = publish(&b, new_job(b.org.id, "Remote", None));
    let mini = publish(&b, NewJob { contract: Contract::MiniJob, ..new_job(b.org.id, "Minijob", Some(BERLIN)) });
    let english =
        publish(&b, NewJob { languages: vec!["en".into()], ..new_job(b.org.id, "English team", Some(BERLIN)) });
    let _danish = publish(&b, NewJob { languages: vec!["da".into()], ..new_job(b.org.id, "Dansk", Some(BERLIN)) });
    let certificate = publish(
        &b,
        NewJob {
            requirement: Some(ExInRequirement::CertificateRequired),
            ..new_job(b.org.id, "Zertifikat", Some(BERLIN))
        },
    );
    let _draft = b.p.jobs().create(&b.staff, &new_job(b.org.id, "Entwurf", Some(BERLIN))).unwrap();
    let withdrawn = publish(&b, new_job(b.org.id, "Zurückgezogen", Some(BERLIN)));
    b.p.jobs().withdraw(&b.staff, withdrawn.id, None).unwrap();

    assert_eq!(suggested(&b), [fits.id, potsdam.id, english.id], "distance, contract, language, EX-IN, state");

    let open = SeekerProfileInput { open_to_remote: true, exin: Some(ExInStatus::Certified), ..wish() };
    b.p.seekers().set(&b.seeker, b.seeker_id, &open).unwrap();
    assert_eq!(suggested(&b), [fits.id, potsdam.id, remote.id, english.id, certificate.id]);

    let near = SeekerProfileInput { max_distance_km: Some(10), contracts: vec![], ..open };
    b.p.seekers().set(&b.seeker, b.seeker_id, &near).unwrap();
    let ids = suggested(&b);
    assert!(!ids.contains(&potsdam.id), "Potsdam is 27 km away: {ids:?}");
    assert!(ids.contains(&mini.id), "without listed contracts a mini-job passes: {ids:?}");
}

#[test]
fn expired_postings_are_not_suggested() {
    let b = board();
    b.p.seekers().set(&b.seeker, b.seeker_id, &wish()).unwrap();
    let job =
        publish(&b, NewJob { expires_on: Some(b.clock.now().date_naive()), ..new_job(b.org.id, "Kurz", Some(BERLIN)) });
    assert_eq!(suggested(&b), [job.id]);
    b.clock.advance(Duration::days(1));
    assert!(suggested(&b).is_empty(), "the posting expired at midnight");
}

#[test]
fn every_suggestion_explains_its_score_criterion_by_criterion() {
    let b = board();
    let pays_less = SeekerProfileInput {
        min_pay: Some(MinPay { amount: 4000.0, unit: PayUnit::Month, currency: "eur".into() }),
        hours: Some(Hours { min: 25, max: 34 }),
        ..wish()
    };
    b.p.seekers().set(&b.seeker, b.seeker_id, &pays_less).unwrap();
    let older = publish(&b, new_job(b.org.id, "Potsdam", Some(POTSDAM)));
    b.clock.advance(Duration::days(15));
    let newer = publish(&b, new_job(b.org.id, "Berlin", Some(BERLIN)));
    let found = b.p.jobs().suggest_for_seeker(&b.seeker, b.seeker_id, None).unwrap();
    assert_eq!(found.iter().map(|s| s.job.id).collect::<Vec<_>>(), [newer.id, older.id], "nearer and newer first");
    for s in &found {
        let criteria: Vec<&str> = s.breakdown.iter().map(|p| p.criterion.as_str()).collect();
        assert_eq!(criteria, ["distance", "hours", "pay", "requirement", "recency"]);
        let sum: f64 = s.breakdown.iter().map(|p| p.points).sum();
        assert!((sum - s.score).abs() < 1e-9, "breakdown sums to {sum}, score is {}", s.score);
        assert!(s.breakdown.iter().all(|p| !p.reason.is_empty()), "{:?}", s.breakdown);
    }
    let part = |s: &JobSuggestion, c: &str| s.breakdown.iter().find(|p| p.criterion == c).unwrap().clone();
    let berlin = &found[0];
    assert!(part(berlin, "distance").points > 29.9, "{:?}", part(berlin, "distance"));
    assert_eq!(part(berlin, "hours").points, 12.0, "20–30 covers 6 of the 10 wanted hours 25–34");
    assert_eq!(part(berlin, "pay").points, 18.0, "3,600 of the 4,000 wanted");
    assert!(part(berlin, "pay").reason.contains("below the 4000"), "{:?}", part(berlin, "pay"));
    assert_eq!(part(berlin, "requirement").points, 15.0, "training accepted, seeker in training");
    assert_eq!(part(berlin, "recency").points, 15.0);
    assert_eq!(part(&found[1], "recency").points, 11.25, "15 of 60 days old");
    assert!(part(&found[1], "distance").reason.contains("27."), "{:?}", part(&found[1], "distance"));
    assert_eq!(berlin.distance_km.map(|d| d < 0.01), Some(true));
}

#[test]
fn equal_scores_are_ordered_by_id_and_the_limit_cuts_the_list() {
    let b = board();
    b.p.seekers().set(&b.seeker, b.seeker_id, &wish()).unwrap();
    let ids: Vec<JobId> =
        (0..5).map(|i| publish(&b, new_job(b.org.id, &format!("Stelle {i}"), Some(BERLIN))).id).collect();
    let found = b.p.jobs().suggest_for_seeker(&b.seeker, b.seeker_id, Some(3)).unwrap();
    assert_eq!(found.iter().map(|s| s.job.id).collect::<Vec<_>>(), ids[..3]);
}

#[test]
fn admins_set_the_weights_and_suggestions_use_them() {
    let b = board();
    b.p.seekers().set(&b.seeker, b.seeker_id, &wish()).unwrap();
    publish(&b, new_job(b.org.id, "Berlin", Some(BERLIN)));
    let before = b.p.jobs().suggest_for_seeker(&b.seeker, b.seeker_id, None).unwrap()[0].score;
    assert_eq!(before, 100.0, "a perfect fit scores every default weight: 30+20+20+15+15");
    let settings = b.p.settings();
    assert_eq!(settings.suggestion_weights(&Actor::Anonymous).unwrap(), SuggestionWeights::default());
    let weights = SuggestionWeights { distance: 10.0, hours: 0.0, pay: 5.0, requirement: 5.0, recency: 0.0 };
    settings.set_suggestion_weights(&Actor::Operator, &weights).unwrap();
    let after = &b.p.jobs().suggest_for_seeker(&b.seeker, b.seeker_id, None).unwrap()[0];
    assert_eq!(after.score, 20.0);
    assert_eq!(after.breakdown[1].points, 0.0);
    let log = b.p.audit().list(&Actor::Operator, &AuditFilter::default(), &PageRequest::first(1)).unwrap();
    assert_eq!(log.items[0].action, "settings.suggestion_weights");
    settings.reset_suggestion_weights(&Actor::Operator).unwrap();
    assert_eq!(settings.suggestion_weights(&b.seeker).unwrap(), SuggestionWeights::default());

    let bad = SuggestionWeights { pay: -1.0, ..SuggestionWeights::default() };
    assert_eq!(field_of(settings.set_suggestion_weights(&Actor::Operator, &bad)), "weights.pay");
    let nan = SuggestionWeights { recency: f64::NAN, ..SuggestionWeights::default() };
    assert_eq!(field_of(settings.set_suggestion_weights(&Actor::Operator, &nan)), "weights.recency");
    let zero = SuggestionWeights { distance: 0.0, hours: 0.0, pay: 0.0, requirement: 0.0, recency: 0.0 };
    assert_eq!(field_of(settings.set_suggestion_weights(&Actor::Operator, &zero)), "weights");
}

#[test]
fn seekers_are_suggested_for_a_posting_only_after_opting_in() {
    let b = board();
    let job = publish(&b, new_job(b.org.id, "Berlin", Some(BERLIN)));
    b.p.seekers().set(&b.seeker, b.seeker_id, &wish()).unwrap();
    let hidden = account(&b.p, "Verborgen", &[]);
    b.p.seekers().set(&Actor::Operator, hidden.id, &SeekerProfileInput { findable: false, ..wish() }).unwrap();
    let far = account(&b.p, "Hanseatin", &[]);
    b.p.seekers().set(&Actor::Operator, far.id, &SeekerProfileInput { location: Some(at(HAMBURG)), ..wish() }).unwrap();
    let uncertified = account(&b.p, "Neuling", &[]);
    let none = SeekerProfileInput { exin: Some(ExInStatus::None), location: Some(at(POTSDAM)), ..wish() };
    b.p.seekers().set(&Actor::Operator, uncertified.id, &none).unwrap();
    let potsdam = account(&b.p, "Potsdamerin", &[]);
    b.p.seekers()
        .set(&Actor::Operator, potsdam.id, &SeekerProfileInput { location: Some(at(POTSDAM)), ..wish() })
        .unwrap();

    let found = b.p.seekers().suggest_for_job(&b.staff, job.id, None).unwrap();
    let who: Vec<&str> = found.iter().map(|s| s.seeker.pseudonym.as_str()).collect();
    assert_eq!(who, ["Kranich", "Potsdamerin"], "the hidden, the far and the untrained are left out");
    let mine = b.p.jobs().suggest_for_seeker(&b.seeker, b.seeker_id, None).unwrap();
    assert_eq!(found[0].score, mine[0].score, "both directions score a pair alike");
    assert_eq!(found[0].breakdown, mine[0].breakdown);

    let filled = b.p.jobs().fill(&b.staff, job.id).unwrap();
    let err = b.p.seekers().suggest_for_job(&b.staff, filled.id, None).unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }), "{err:?}");
    let draft = b.p.jobs().create(&b.staff, &new_job(b.org.id, "Entwurf", Some(BERLIN))).unwrap();
    let for_draft = b.p.seekers().suggest_for_job(&b.staff, draft.id, None).unwrap();
    assert_eq!(for_draft[0].breakdown[4].reason, "not published yet");
}

#[test]
fn bad_requests_name_the_field() {
    let b = board();
    let jobs = b.p.jobs();
    assert!(matches!(jobs.suggest_for_seeker(&b.seeker, b.seeker_id, None), Err(Error::NotFound { .. })));
    b.p.seekers().set(&b.seeker, b.seeker_id, &SeekerProfileInput { languages: vec![], ..wish() }).unwrap();
    assert_eq!(field_of(jobs.suggest_for_seeker(&b.seeker, b.seeker_id, None)), "languages");
    let nowhere = SeekerProfileInput { location: None, open_to_remote: false, ..wish() };
    b.p.seekers().set(&b.seeker, b.seeker_id, &nowhere).unwrap();
    assert_eq!(field_of(jobs.suggest_for_seeker(&b.seeker, b.seeker_id, None)), "location");
    b.p.seekers().set(&b.seeker, b.seeker_id, &wish()).unwrap();
    assert_eq!(field_of(jobs.suggest_for_seeker(&b.seeker, b.seeker_id, Some(0))), "limit");
    assert_eq!(field_of(jobs.suggest_for_seeker(&b.seeker, b.seeker_id, Some(201))), "limit");
    let negative = MinPay { amount: -5.0, unit: PayUnit::Hour, currency: "EUR".into() };
    let input = SeekerProfileInput { min_pay: Some(negative), ..wish() };
    assert_eq!(field_of(b.p.seekers().set(&b.seeker, b.seeker_id, &input)), "min_pay.amount");
    let odd = MinPay { amount: 15.0, unit: PayUnit::Hour, currency: "Euro".into() };
    let input = SeekerProfileInput { min_pay: Some(odd), ..wish() };
    assert_eq!(field_of(b.p.seekers().set(&b.seeker, b.seeker_id, &input)), "min_pay.currency");
}

/// The rules read literally from the records, for comparison.
fn admits(profile: &SeekerProfile, job: &Job) -> bool {
    let distance_ok = match (&job.location, profile.location.as_ref().and_then(Location::coordinates)) {
        (Location::Remote, _) => profile.open_to_remote,
        (Location::OnSite { coordinates, .. }, Some(home)) => {
            geo::distance_km(home, *coordinates) <= f64::from(profile.max_distance_km.unwrap_or(50))
        }
        (Location::OnSite { .. }, None) => false,
    };
    distance_ok
        && (profile.contracts.is_empty() || profile.contracts.contains(&job.contract))
        && job.languages.iter().any(|l| profile.languages.contains(l))
        && profile.exin.meets(job.requirement)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]
    #[test]
    fn suggestions_are_exactly_the_postings_the_rules_admit(
        postings in proptest::collection::vec(
            (0.0f64..1.6, 0.0f64..2.4, 0usize..6, 0usize..3, 0usize..3, 0u32..12, any::<bool>()), 1..40),
        home in (0.0f64..1.6, 0.0f64..2.4), km in 5u32..150, remote: bool, exin in 0usize..3,
        contracts in proptest::collection::vec(0usize..6, 0..3), english: bool,
    ) {
        let b = board();
        let mut jobs = Vec::new();
        for (dlat, dlon, contract, requirement, language, age, is_remote) in postings {
            let place = (51.5 + dlat, 11.5 + dlon);
            let mut job = new_job(b.org.id, "Stelle", (!is_remote).then_some(place));
            job.contract = Contract::ALL[contract];
            job.requirement = Some(ExInRequirement::ALL[requirement]);
            job.languages = vec![["de", "en", "da"][language].to_string()];
            jobs.push(publish(&b, job));
            b.clock.advance(Duration::hours(i64::from(age)));
        }
        let profile = SeekerProfileInput {
            location: Some(at((51.5 + home.0, 11.5 + home.1))),
            max_distance_km: Some(km),
            hours: None,
            contracts: contracts.iter().map(|c| Contract::ALL[*c]).collect(),
            exin: Some(ExInStatus::ALL[exin]),
            languages: if english { vec!["en".into()] } else { vec!["de".into()] },
            open_to_remote: remote,
            findable: true,
            min_pay: None,
        };
        let saved = b.p.seekers().set(&b.seeker, b.seeker_id, &profile).unwrap();
        let found = b.p.jobs().suggest_for_seeker(&b.seeker, b.seeker_id, Some(200)).unwrap();
        let mut got: Vec<JobId> = found.iter().map(|s| s.job.id).collect();
        got.sort_unstable();
        let want: Vec<JobId> = jobs.iter().filter(|j| admits(&saved, j)).map(|j| j.id).collect();
        prop_assert_eq!(got, want);
        for pair in found.windows(2) {
            prop_assert!(pair[0].score > pair[1].score || (pair[0].score == pair[1].score && pair[0].job.id < pair[1].job.id));
        }
    }
}
