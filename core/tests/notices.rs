//! Notices outside the platform: the choice (off by default), the outbox the inbox fills in
//! the same transaction, delivery with retries, and the person's rights over both.

mod common;

use chrono::Duration;
use common::*;
use trialog_core::*;

const LINK: &str = "https://peers.example/inbox";

struct World {
    p: Platform,
    clock: TestClock,
    org: OrgId,
    kim: Actor,
    kim_id: AccountId,
    ole: Actor,
}

/// Kim has an e-mail address and a saved search; Ole has a saved search too, no address.
fn world() -> World {
    let clock = clock();
    let p = platform_with(&clock);
    let org = org(&p, "Genesungsbegleitung Jena", "DE-TH").id;
    p.orgs().verify(&Actor::Operator, org, true, None).unwrap();
    let kim = account(&p, "Kim_aus_Jena", &[]);
    let change = AccountUpdate { email: Some("kim@example.org".into()), ..Default::default() };
    p.accounts().update(&Actor::Operator, kim.id, &change).unwrap();
    let ole = account(&p, "Ole", &[]);
    for who in [kim.id, ole.id] {
        p.alerts().add(&Actor::account(who), "alles", &JobQuery::default()).unwrap();
    }
    World { p, clock, org, kim: Actor::account(kim.id), kim_id: kim.id, ole: Actor::account(ole.id) }
}

fn publish(w: &World, title: &str) {
    let location = LocationInput::Coordinates { latitude: 50.93, longitude: 11.59, place: Some("Jena".into()) };
    let job = w.p.jobs().create(&Actor::Operator, &new_job(w.org, title, location)).unwrap();
    w.p.jobs().publish(&Actor::Operator, job.id).unwrap();
}

fn claim(w: &World) -> Claimed {
    w.p.notices().claim(&Actor::Operator, 100, LINK).unwrap()
}

fn email_on() -> NoticeSettings {
    NoticeSettings { email: true, ..Default::default() }
}

#[test]
fn notices_are_off_until_chosen_and_nothing_is_queued_for_those_who_did_not_choose() {
    let w = world();
    assert_eq!(w.p.notices().settings(&w.kim).unwrap(), NoticeSettings::default());
    publish(&w, "Genesungsbegleiter:in Tagesklinik");
    assert_eq!(w.p.inbox().list(&w.kim, false, &PageRequest::default()).unwrap().items.len(), 1);
    assert_eq!(claim(&w), Claimed::default(), "nobody chose notices: the outbox stays empty");
}

#[test]
fn a_chosen_e_mail_names_the_job_and_goes_to_the_accounts_address() {
    let w = world();
    w.p.notices().set_settings(&w.kim, &email_on()).unwrap();
    publish(&w, "Genesungsbegleiter:in Tagesklinik");
    let claimed = claim(&w);
    assert_eq!(claimed.outgoing.len(), 1, "only Kim chose e-mail: {claimed:?}");
    let Message::Email { to, notice } = &claimed.outgoing[0].message else { panic!("{claimed:?}") };
    assert_eq!(to, "kim@example.org");
    assert!(notice.subject.contains("Genesungsbegleiter:in Tagesklinik"), "{notice:?}");
    assert!(notice.body.contains(LINK));
    assert!(claim(&w).outgoing.is_empty(), "a claimed notice is leased, not handed out twice");
    assert!(w.p.notices().delivered(&Actor::Operator, claimed.outgoing[0].ticket).unwrap());
    w.clock.advance(Duration::hours(1));
    assert!(claim(&w).outgoing.is_empty(), "a delivered notice leaves the outbox");
}

#[test]
fn e_mail_needs_an_address_on_the_account() {
    let w = world();
    assert_eq!(field_of(w.p.notices().set_settings(&w.ole, &email_on())), "email");
    assert_eq!(w.p.notices().settings(&w.ole).unwrap(), NoticeSettings::default());
}

#[test]
fn push_is_one_call_per_account_with_a_count_and_no_content() {
    let w = world();
    let push = NoticeSettings { email: false, push: true, push_url: Some("https://push.example.org/kim".into()) };
    w.p.notices().set_settings(&w.kim, &push).unwrap();
    publish(&w, "Stelle eins");
    publish(&w, "Stelle zwei");
    let claimed = claim(&w);
    assert_eq!(claimed.outgoing.len(), 1, "two notifications, one push: {claimed:?}");
    assert_eq!(claimed.outgoing[0].message, Message::Push { url: "https://push.example.org/kim".into(), unread: 2 });
    w.p.notices().delivered(&Actor::Operator, claimed.outgoing[0].ticket).unwrap();
    publish(&w, "Stelle drei");
    assert_eq!(claim(&w).outgoing.len(), 1, "after a delivered push the next notification pushes again");
}

#[test]
fn failures_are_retried_with_growing_pauses_then_dropped_and_nothing_is_lost_before() {
    let w = world();
    w.p.notices().set_settings(&w.kim, &email_on()).unwrap();
    publish(&w, "Peer-Support Jena");
    let mut pauses = Vec::new();
    for attempt in 1..=5 {
        let claimed = claim(&w);
        assert_eq!(claimed.outgoing.len(), 1, "attempt {attempt}: the notice is still there");
        match w.p.notices().failed(&Actor::Operator, claimed.outgoing[0].ticket).unwrap() {
            Failed::RetryAt(at) => {
                assert!(claim(&w).outgoing.is_empty(), "attempt {attempt}: not due before its pause");
                pauses.push((at - w.clock.now()).num_minutes());
                w.clock.set(at);
            }
            Failed::Dropped => assert_eq!(attempt, 5, "dropped after the fifth failure only"),
            Failed::Gone => panic!("attempt {attempt}: the notice vanished"),
        }
    }
    assert_eq!(pauses, [1, 4, 16, 64]);
    w.clock.advance(Duration::days(1));
    assert!(claim(&w).outgoing.is_empty(), "a dropped notice is gone");
}

#[test]
fn a_claim_that_is_never_reported_is_handed_out_again_after_its_lease() {
    let w = world();
    w.p.notices().set_settings(&w.kim, &email_on()).unwrap();
    publish(&w, "Peer-Support Jena");
    assert_eq!(claim(&w).outgoing.len(), 1);
    w.clock.advance(Duration::minutes(11));
    assert_eq!(claim(&w).outgoing.len(), 1, "the deliverer crashed: the notice is sent again");
}

#[test]
fn turning_e_mail_off_or_removing_the_address_drops_what_waits() {
    let w = world();
    w.p.notices().set_settings(&w.kim, &email_on()).unwrap();
    publish(&w, "Stelle eins");
    w.p.notices().set_settings(&w.kim, &NoticeSettings::default()).unwrap();
    let claimed = claim(&w);
    assert!(claimed.outgoing.is_empty());
    assert_eq!(claimed.unwanted, 1);
    w.p.notices().set_settings(&w.kim, &email_on()).unwrap();
    publish(&w, "Stelle zwei");
    let change = AccountUpdate { email: Some(String::new()), ..Default::default() };
    w.p.accounts().update(&Actor::Operator, w.kim_id, &change).unwrap();
    assert_eq!(claim(&w).unwanted, 1, "no address, no mail");
}

#[test]
fn bad_push_hooks_are_refused_naming_the_field() {
    let w = world();
    for url in ["http://push.example.org/kim", "not a url", "https://"] {
        let push = NoticeSettings { email: false, push: true, push_url: Some(url.into()) };
        assert_eq!(field_of(w.p.notices().set_settings(&w.kim, &push)), "push_url", "{url}");
    }
}

#[test]
fn export_shows_the_choice_and_erasure_removes_it_with_what_waits() {
    let w = world();
    w.p.notices().set_settings(&w.kim, &email_on()).unwrap();
    publish(&w, "Stelle eins");
    let dir = tempfile::tempdir().unwrap();
    let report = w.p.rights().export(&w.kim, w.kim_id, &dir.path().join("kim.zip")).unwrap();
    let records = |name: &str| report.files.iter().find(|f| f.name == format!("{name}.json")).map(|f| f.records);
    assert_eq!(records("notice_choice"), Some(1));
    assert_eq!(records("notices_waiting"), Some(1));
    let erased = w.p.rights().erase(&Actor::Operator, w.kim_id, None, "on request").unwrap();
    let count = |what: &str| erased.erased.iter().find(|c| c.what == what).map(|c| c.count);
    assert_eq!(count("notice choice"), Some(1), "{erased:?}");
    assert_eq!(count("notices waiting to be sent"), Some(1), "{erased:?}");
    assert_eq!(claim(&w), Claimed::default());
    assert!(w.p.integrity().unwrap().problems.is_empty());
}

#[test]
fn only_the_operator_claims_notices() {
    let w = world();
    let admin = account(&w.p, "Admina", &[Role::Admin]);
    for actor in [Actor::account(admin.id), w.kim.clone(), Actor::Anonymous] {
        let refused = w.p.notices().claim(&actor, 10, LINK);
        assert!(matches!(refused, Err(Error::PermissionDenied { .. })), "{actor:?}: {refused:?}");
    }
}
