//! What a report's cost grows with (issue 22's speed target names 200,000 accounts, 2M posts
//! and 100,000 enquiries beside the postings): the rows a quarter's platform report reads are
//! counted on a small platform, then again after many more people, posts and enquiries of the
//! same month. They must not change: those figures come from monthly counters, so the bench
//! over the postings and organisations (`benches/reports.rs`) measures all a report pays for.

use crate::counsel::{CounselOffer, NewEnquiry};
use crate::store::rows::{self, Touched};
use crate::*;

/// A platform in March 2026 with one verified organisation that counsels in German and a public
/// board.
fn platform() -> (Platform, BoardId) {
    let options = PlatformOptions { content_key: Some(ContentKey::generate().unwrap()), ..Default::default() };
    let (p, _) = fixtures::platform_with("2026-03-10T09:00:00Z", options);
    let org = fixtures::association(&p, "Kontaktstelle Jena");
    let offer = CounselOffer {
        org,
        topics: vec![],
        languages: vec!["de".into()],
        regions: vec![],
        first_response_hours: 48,
        business_days: false,
    };
    p.counsel().set_offer(&Actor::Operator, &offer).unwrap();
    let new_board = NewBoard {
        slug: "offen".into(),
        title: "Offen".into(),
        description: String::new(),
        language: "de".into(),
        position: None,
        audience: Audience::Public,
        moderation: ModerationMode::Open,
    };
    let board = p.forums().create_board(&Actor::Operator, &new_board).unwrap().id;
    (p, board)
}

/// `people` more accounts, each opening a thread with `replies` replies, and `enquiries`
/// anonymous enquiries, all in the report's month.
fn grow(p: &Platform, board: BoardId, round: usize, people: usize, replies: usize, enquiries: usize) {
    for i in 0..people {
        let new = NewAccount { pseudonym: format!("Mitglied_{round}_{i}"), ..Default::default() };
        let me = Actor::account(p.accounts().create(&Actor::Operator, &new).unwrap().id);
        let new = NewThread {
            board,
            title: format!("Erfahrungen {round} {i}"),
            body: "Wie war es bei euch?".into(),
            tags: vec![],
            anonymous: false,
        };
        let thread = p.forums().create_thread(&me, &new).unwrap().thread.id;
        for r in 0..replies {
            let reply = NewReply { thread, body: format!("Antwort {r}"), reply_to: None, anonymous: false };
            p.forums().reply(&me, &reply).unwrap();
        }
    }
    for _ in 0..enquiries {
        let new = NewEnquiry {
            topic: "contracts_and_pay".into(),
            language: "de".into(),
            postcode: None,
            prefer_lived_experience: false,
            prefer_gender: None,
            text: "Wie wird die Arbeit als Genesungsbegleiterin bezahlt?".into(),
        };
        p.counsel().enquire(&Actor::Anonymous, &new).unwrap();
    }
}

fn rows_of_the_quarter_report(p: &Platform) -> Touched {
    rows::touched(|| p.reports().platform(&Actor::Operator, "2026-Q1").unwrap()).1
}

#[test]
fn a_reports_reads_do_not_grow_with_accounts_posts_or_enquiries() {
    let (p, board) = platform();
    grow(&p, board, 0, 2, 1, 1);
    let small = rows_of_the_quarter_report(&p);
    grow(&p, board, 1, 40, 5, 12);
    let large = rows_of_the_quarter_report(&p);
    assert_eq!(large, small, "40 more people, 240 more posts and 12 more enquiries changed what the report reads");
    assert!(small.read > 0, "the counter sees the report's reads on this thread");
    assert_eq!(small.written, 0, "a report writes nothing");
}

/// `n` more profiles reported and dismissed at once (a wait of 0 hours) in the report's
/// month, and as many in 2024, which the report does not cover.
fn grow_moderation_log(p: &Platform, clock: &TestClock, round: usize, n: usize) {
    let now = clock.now();
    for at in ["2024-06-03T10:00:00Z".parse().unwrap(), now] {
        clock.set(at);
        for i in 0..n {
            let new = NewAccount { pseudonym: format!("Profil_{round}_{i}_{}", at.timestamp()), ..Default::default() };
            let id = p.accounts().create(&Actor::Operator, &new).unwrap().id;
            let report = NewReport { target: Target::Account { id }, reason: ReportReason::Spam, detail: None };
            let item = p.moderation().report(&Actor::Operator, &report).unwrap().item;
            let version = p.moderation().item(&Actor::Operator, item).unwrap().item.version;
            p.moderation().act(&Actor::Operator, item, version, &ModAction::Dismiss, "").unwrap();
        }
    }
}

/// `n` more participants of `course` registered in the report's month and present at its
/// first session; the clock is back where it was.
fn grow_course(p: &Platform, clock: &TestClock, course: &Course, round: usize, n: usize) {
    let now = clock.now();
    for i in 0..n {
        let new = NewAccount { pseudonym: format!("Teilnehmende_{round}_{i}"), ..Default::default() };
        let id = p.accounts().create(&Actor::Operator, &new).unwrap().id;
        p.courses().register(&Actor::account(id), course.id, &[]).unwrap();
    }
    let page = p.courses().registrations(&Actor::Operator, course.id, &PageRequest::first(500)).unwrap();
    let present: Vec<AccountId> = page.items.iter().map(|r| r.account).collect();
    let first = &course.sessions[0];
    clock.set(first.start + chrono::Duration::minutes(10));
    p.courses().record_attendance(&Actor::Operator, course.id, first.id, &present).unwrap();
    clock.set(now);
}

#[test]
fn a_reports_reads_do_not_grow_with_the_moderation_log_or_the_courses_records() {
    let (p, clock) = fixtures::platform_at("2026-03-02T09:00:00Z");
    let org = fixtures::association(&p, "Kontaktstelle Jena");
    let new = fixtures::online_course(org, "2026-03-09T18:00", "2026-03-09T20:00", None, 500);
    let course = p.courses().create(&Actor::Operator, &new).unwrap();
    let course = p.courses().publish(&Actor::Operator, course.id).unwrap();
    grow_moderation_log(&p, &clock, 0, 2);
    grow_course(&p, &clock, &course, 0, 2);
    let small = rows_of_the_quarter_report(&p);
    grow_moderation_log(&p, &clock, 1, 30);
    grow_course(&p, &clock, &course, 1, 30);
    let large = rows_of_the_quarter_report(&p);
    assert_eq!(large, small, "60 more moderation actions and 30 more participants changed what the report reads");
    let figures = p.reports().platform(&Actor::Operator, "2026-Q1").unwrap();
    assert!(figures.len() > 3, "the report holds the moderation and course figures: {figures:?}");
}
