//! Counselling: enquiries, triage, queues, claims, conversations, supervision, handover,
//! absence, SLA, privacy, retention and statistics.

mod common;

use std::sync::Arc;

use chrono::Duration;
use common::*;
use trialog_core::counsel::*;
use trialog_core::*;

struct World {
    p: Platform,
    clock: TestClock,
    jena: OrgId,
    kopenhagen: OrgId,
    anna: Actor,
    anna_id: AccountId,
    ben: Actor,
    ben_id: AccountId,
    trainee: Actor,
    trainee_id: AccountId,
    supervisor: Actor,
    dana: Actor,
    admin: Actor,
}

fn options(clock: &TestClock, key: Option<ContentKey>) -> PlatformOptions {
    PlatformOptions { clock: Arc::new(clock.clone()), content_key: key, ..Default::default() }
}

fn world() -> World {
    let clock = clock();
    let p = Platform::in_memory_with(options(&clock, Some(ContentKey::generate().unwrap()))).unwrap();
    world_on(p, clock)
}

fn world_on(p: Platform, clock: TestClock) -> World {
    let jena = org(&p, "Beratung Jena", "DE-TH").id;
    let kopenhagen = org(&p, "Rådgivning København", "DK-84").id;
    let offer = |org, languages: &[&str], topics: &[&str]| CounselOffer {
        org,
        topics: topics.iter().map(|t| t.to_string()).collect(),
        languages: languages.iter().map(|t| t.to_string()).collect(),
        regions: vec![],
        first_response_hours: 48,
        business_days: false,
    };
    p.counsel().set_offer(&Actor::Operator, &offer(jena, &["de", "en"], &[])).unwrap();
    p.counsel().set_offer(&Actor::Operator, &offer(kopenhagen, &["da", "en"], &["job_and_career"])).unwrap();
    let anna = account(&p, "Anna_Beraterin", &[Role::Counsellor { org: jena }]);
    let ben = account(&p, "Ben_Berater", &[Role::Counsellor { org: jena }]);
    let trainee = account(&p, "Tom_in_Ausbildung", &[Role::Counsellor { org: jena }]);
    let supervisor = account(&p, "Sabine_Supervision", &[Role::Supervisor { org: jena }]);
    let dana = account(&p, "Dana_Rådgiver", &[Role::Counsellor { org: kopenhagen }]);
    let admin = account(&p, "Admina", &[Role::Admin]);
    World {
        p,
        clock,
        jena,
        kopenhagen,
        anna: Actor::account(anna.id),
        anna_id: anna.id,
        ben: Actor::account(ben.id),
        ben_id: ben.id,
        trainee: Actor::account(trainee.id),
        trainee_id: trainee.id,
        supervisor: Actor::account(supervisor.id),
        dana: Actor::account(dana.id),
        admin: Actor::account(admin.id),
    }
}

fn enquiry(topic: &str, language: &str, text: &str) -> NewEnquiry {
    NewEnquiry {
        topic: topic.into(),
        language: language.into(),
        postcode: None,
        prefer_lived_experience: false,
        prefer_gender: None,
        text: text.into(),
    }
}

fn open(w: &World, text: &str) -> (Opened, EnquiryId) {
    let opened = w.p.counsel().enquire(&Actor::Anonymous, &enquiry("contracts_and_pay", "de", text)).unwrap();
    // The newest case of the queue (the queue is ordered by crisis level first, not by age).
    let queue = w.p.counsel().queue(&w.anna, w.jena, &PageRequest::default()).unwrap();
    let id = queue.items.iter().map(|q| q.enquiry).max().unwrap();
    (opened, id)
}

#[test]
fn an_anonymous_enquiry_returns_a_typable_code_and_a_secret_only_it_opens() {
    let w = world();
    let (opened, _) = open(&w, "Mein Vertrag nennt keine Entgeltgruppe.");
    assert_eq!(opened.case_code.len(), 9, "{}", opened.case_code);
    assert_eq!(opened.priority, Priority::Normal);
    assert!(opened.resources.is_empty());
    let typed = opened.case_code.to_lowercase();
    let case = w.p.counsel().client_case(&typed, &opened.secret).unwrap();
    assert_eq!(case.state, EnquiryState::New);
    assert_eq!(case.messages.len(), 1);
    assert_eq!(case.messages[0].text, "Mein Vertrag nennt keine Entgeltgruppe.");
}

#[test]
fn wrong_secrets_and_unknown_codes_look_alike_and_are_throttled() {
    let w = world();
    let (opened, _) = open(&w, "Frage zur Probezeit");
    let known = w.p.counsel().client_case(&opened.case_code, "WRONG-WRONG-WRONG-WRONG").unwrap_err();
    let unknown = w.p.counsel().client_case("2222-2222", "WRONG-WRONG-WRONG-WRONG").unwrap_err();
    assert_eq!(known, unknown, "the answer must not tell whether the case exists");
    assert!(matches!(known, Error::PermissionDenied { .. }), "{known:?}");
    for code in [opened.case_code.as_str(), "2222-2222"] {
        for _ in 0..5 {
            let _ = w.p.counsel().client_case(code, "WRONG-WRONG-WRONG-WRONG");
        }
        let err = w.p.counsel().client_case(code, &opened.secret).unwrap_err();
        assert!(matches!(err, Error::RateLimited { .. }), "{code}: {err:?}");
    }
    w.clock.advance(Duration::minutes(20));
    assert!(w.p.counsel().client_case(&opened.case_code, &opened.secret).is_ok(), "the lock ends");
    let err = w.p.counsel().client_case("not a code", "x").unwrap_err();
    assert_eq!(field_of::<()>(Err(err)), "case_code");
}

#[test]
fn bad_input_is_refused_by_field_and_nothing_is_stored() {
    let w = world();
    let c = w.p.counsel();
    assert_eq!(field_of(c.enquire(&Actor::Anonymous, &enquiry("astrology", "de", "Hallo"))), "topic");
    assert_eq!(field_of(c.enquire(&Actor::Anonymous, &enquiry("other", "xx", "Hallo"))), "language");
    assert_eq!(field_of(c.enquire(&Actor::Anonymous, &enquiry("other", "ro", "Salut"))), "language");
    assert_eq!(field_of(c.enquire(&Actor::Anonymous, &enquiry("other", "de", "   "))), "message");
    assert_eq!(field_of(c.enquire(&Actor::Anonymous, &enquiry("other", "de", &"x".repeat(10_001)))), "message");
    assert!(c.queue(&w.anna, w.jena, &PageRequest::default()).unwrap().items.is_empty());
}

#[test]
fn a_crisis_makes_the_case_urgent_with_crisis_lines_at_the_top_of_every_queue() {
    let w = world();
    let (_, calm) = open(&w, "Wie werde ich Genesungsbegleiterin?");
    w.clock.advance(Duration::minutes(5));
    let crisis =
        w.p.counsel()
            .enquire(&Actor::Anonymous, &enquiry("job_and_career", "en", "Since I lost the job I think about suicide"))
            .unwrap();
    assert_eq!(crisis.priority, Priority::Urgent);
    assert!(crisis.resources.iter().any(|r| r.contact.as_deref() == Some("112")));
    for (actor, org) in [(&w.anna, w.jena), (&w.dana, w.kopenhagen)] {
        let queue = w.p.counsel().queue(actor, org, &PageRequest::default()).unwrap();
        assert_eq!(queue.items[0].priority, Priority::Urgent, "urgent first in org {org}");
    }
    let jena = w.p.counsel().queue(&w.anna, w.jena, &PageRequest::default()).unwrap();
    assert_eq!(jena.items[1].enquiry, calm);
    // A later client message with a crisis raises a waiting case to the top too.
    let (opened, id) = open(&w, "Frage zum Zeugnis");
    let sent = w.p.counsel().client_reply(&opened.case_code, &opened.secret, "Ich will nicht mehr leben").unwrap();
    assert_eq!(sent.priority, Priority::Urgent);
    assert!(sent.resources.iter().any(|r| r.contact.as_deref().is_some_and(|c| c.contains("0800 111 0 111"))));
    let jena = w.p.counsel().queue(&w.anna, w.jena, &PageRequest::default()).unwrap();
    assert_eq!(jena.items[1].enquiry, id, "second urgent case, after the older one");
}

#[test]
fn the_queue_puts_imminent_crises_first_then_high_then_concern_then_normal_with_levels_and_reasons() {
    let w = world();
    let texts = [
        ("normal", "Wie hoch ist das Gehalt für Genesungsbegleiter?"),
        ("concern", "Manchmal wünschte ich, ich wäre einfach tot."),
        ("high", "Ich will nicht mehr leben."),
        ("imminent", "Ich habe meine Tabletten gesammelt, heute Nacht ist es so weit."),
    ];
    let mut ids = Vec::new();
    let mut codes = Vec::new();
    for (_, text) in texts {
        w.clock.advance(Duration::minutes(1));
        let (opened, id) = open(&w, text);
        ids.push(id);
        codes.push(opened);
    }
    let queue = w.p.counsel().queue(&w.anna, w.jena, &PageRequest::default()).unwrap();
    let order: Vec<_> = queue.items.iter().map(|q| q.enquiry).collect();
    assert_eq!(order, vec![ids[3], ids[2], ids[1], ids[0]], "the most urgent first, whatever the age");
    let levels: Vec<_> = queue.items.iter().map(|q| q.crisis_level.map(|l| l.as_str())).collect();
    assert_eq!(levels, vec![Some("imminent"), Some("high"), Some("concern"), None]);
    assert_eq!(queue.items[3].priority, Priority::Normal);
    assert!(queue.items[3].crisis_reasons.is_empty());
    for (item, (_, text)) in queue.items.iter().zip(texts.iter().rev()).take(3) {
        assert_eq!(item.priority, Priority::Urgent);
        assert!(!item.crisis_reasons.is_empty(), "reasons for {}", item.enquiry);
        for reason in &item.crisis_reasons {
            let named = ["passive_death_wish", "suicidal_thoughts", "method_or_means", "intent_or_plan"]
                .iter()
                .any(|c| reason.starts_with(c));
            assert!(named, "a reason names its category first: {reason}");
            assert!(!reason.contains(text), "a reason never quotes the message: {reason}");
        }
    }
    // The counsellor who opens the case sees the same level and reasons.
    let view = w.p.counsel().claim(&w.anna, ids[3]).unwrap();
    assert_eq!(view.crisis_level.map(|l| l.as_str()), Some("imminent"));
    assert_eq!(view.crisis_reasons, queue.items[0].crisis_reasons);
    // Within a level the longer wait goes first; a later message that raises the level moves
    // the case up, and a calmer one never lowers it.
    w.clock.advance(Duration::minutes(1));
    let (_, later_concern) = open(&w, "Am liebsten wäre ich tot.");
    let c = w.p.counsel();
    c.client_reply(&codes[1].case_code, &codes[1].secret, "Heute Nacht springe ich von der Brücke.").unwrap();
    c.client_reply(&codes[2].case_code, &codes[2].secret, "Danke, das Gehalt interessiert mich auch.").unwrap();
    let order: Vec<_> =
        c.queue(&w.anna, w.jena, &PageRequest::default()).unwrap().items.iter().map(|q| q.enquiry).collect();
    assert_eq!(order, vec![ids[1], ids[2], later_concern, ids[0]]);
    let raised = c.queue(&w.anna, w.jena, &PageRequest::first(1)).unwrap();
    assert_eq!(raised.items[0].crisis_level.map(|l| l.as_str()), Some("imminent"));
    assert!(
        raised.items[0].crisis_reasons.len() >= 2,
        "the first and the new reasons: {:?}",
        raised.items[0].crisis_reasons
    );
    // Paging walks the same order.
    let first = c.queue(&w.anna, w.jena, &PageRequest::first(2)).unwrap();
    let rest = c.queue(&w.anna, w.jena, &PageRequest::after(first.next_cursor.unwrap(), 2)).unwrap();
    let paged: Vec<_> = first.items.iter().chain(&rest.items).map(|q| q.enquiry).collect();
    assert_eq!(paged, order);
}

#[test]
fn triage_uses_the_watched_words_and_crisis_resources_operators_edit() {
    let w = world();
    // An operator's own word: a code word a local crisis service asked clients to use (the
    // shipped detector would already raise "keinen Ausweg mehr", so it cannot show this).
    let phrase = "Ich brauche heute das Leuchtturm-Gespräch";
    let before = w.p.counsel().enquire(&Actor::Anonymous, &enquiry("contracts_and_pay", "de", phrase)).unwrap();
    assert_eq!(before.priority, Priority::Normal, "not on the shipped list");
    let word = WatchedWord { language: "de".into(), pattern: "leuchtturm*".into(), action: WordAction::Crisis };
    w.p.moderation().add_word(&w.admin, &word).unwrap();
    let line = CrisisResource {
        country: "DE".into(),
        language: Some("de".into()),
        name: "Krisendienst Thüringen".into(),
        detail: "Rund um die Uhr".into(),
        contact: Some("0361 000 000".into()),
        url: None,
        source: Some("https://example.org/krisendienst".into()),
        checked_on: Some("2026-12-01".into()),
        verified: true,
    };
    w.p.moderation().set_resource(&w.admin, &line).unwrap();
    let after = w.p.counsel().enquire(&Actor::Anonymous, &enquiry("contracts_and_pay", "de", phrase)).unwrap();
    assert_eq!(after.priority, Priority::Urgent, "the operator's word makes the case urgent");
    assert!(after.resources.iter().any(|r| r.title == "Krisendienst Thüringen"), "{:?}", after.resources);
    w.p.moderation().remove_word(&w.admin, "de", "leuchtturm*").unwrap();
    let removed = w.p.counsel().enquire(&Actor::Anonymous, &enquiry("contracts_and_pay", "de", phrase)).unwrap();
    assert_eq!(removed.priority, Priority::Normal, "a removed word no longer triggers");
}

#[test]
fn enquiries_land_in_the_queues_of_matching_organisations_ordered_by_priority_then_age() {
    let w = world();
    let danish = w.p.counsel().enquire(&Actor::Anonymous, &enquiry("job_and_career", "da", "Hej")).unwrap();
    assert_eq!(danish.priority, Priority::Normal);
    assert_eq!(w.p.counsel().queue(&w.dana, w.kopenhagen, &PageRequest::default()).unwrap().items.len(), 1);
    assert!(w.p.counsel().queue(&w.anna, w.jena, &PageRequest::default()).unwrap().items.is_empty());
    for i in 0..5 {
        w.clock.advance(Duration::minutes(1));
        open(&w, &format!("Frage {i}"));
    }
    let first = w.p.counsel().queue(&w.anna, w.jena, &PageRequest::first(3)).unwrap();
    let rest = w.p.counsel().queue(&w.anna, w.jena, &PageRequest::after(first.next_cursor.unwrap(), 3)).unwrap();
    let all: Vec<_> = first.items.iter().chain(&rest.items).collect();
    assert_eq!(all.len(), 5);
    assert!(all.windows(2).all(|p| p[0].created_at <= p[1].created_at));
    assert!(rest.next_cursor.is_none());
    let denied = w.p.counsel().queue(&w.dana, w.jena, &PageRequest::default()).unwrap_err();
    assert!(matches!(denied, Error::PermissionDenied { .. }));
}

#[test]
fn claim_is_exclusive_under_race() {
    let w = world();
    let (_, id) = open(&w, "Wer nimmt mich?");
    let results: Vec<Result<Enquiry>> = std::thread::scope(|s| {
        let a = s.spawn(|| w.p.counsel().claim(&w.anna, id));
        let b = s.spawn(|| w.p.counsel().claim(&w.ben, id));
        vec![a.join().unwrap(), b.join().unwrap()]
    });
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{results:?}");
    assert!(results.iter().any(|r| matches!(r, Err(Error::Conflict { .. }))), "{results:?}");
    assert!(w.p.counsel().queue(&w.anna, w.jena, &PageRequest::default()).unwrap().items.is_empty());
    let claimed = w.p.counsel().enquiry(&w.supervisor, id).unwrap();
    assert_eq!(claimed.state, EnquiryState::InProgress);
    assert_eq!(claimed.org, Some(w.jena));
    let other_org = w.p.counsel().claim(&w.dana, id).unwrap_err();
    assert!(matches!(other_org, Error::PermissionDenied { .. } | Error::Conflict { .. }), "{other_org:?}");
}

#[test]
fn claiming_a_closed_enquiry_is_a_conflict() {
    let w = world();
    let (opened, id) = open(&w, "Doch nicht");
    w.p.counsel().client_close(&opened.case_code, &opened.secret).unwrap();
    assert!(matches!(w.p.counsel().claim(&w.anna, id), Err(Error::Conflict { .. })));
}

#[test]
fn a_conversation_goes_back_and_forth_with_read_markers_and_private_notes() {
    let w = world();
    let (opened, id) = open(&w, "Darf mein Arbeitgeber das?");
    w.p.counsel().claim(&w.anna, id).unwrap();
    let view = w.p.counsel().case(&w.anna, id).unwrap();
    assert_eq!(view.unread, 1);
    w.p.counsel().note(&w.anna, id, "Intern: an Arbeitsrecht denken").unwrap();
    w.clock.advance(Duration::hours(3));
    w.p.counsel().reply(&w.anna, id, "Das kommt auf den Vertrag an.").unwrap();
    let meta = w.p.counsel().enquiry(&w.anna, id).unwrap();
    assert_eq!(meta.state, EnquiryState::AwaitingClient);
    assert_eq!(meta.first_response_at, Some(w.clock.now()));
    let case = w.p.counsel().client_case(&opened.case_code, &opened.secret).unwrap();
    assert_eq!(case.unread, 1);
    assert_eq!(case.messages.len(), 2, "the note is not shown: {:?}", case.messages);
    assert!(case.messages.iter().all(|m| m.counsellor.is_none()));
    assert_eq!(w.p.counsel().client_case(&opened.case_code, &opened.secret).unwrap().unread, 0);
    w.p.counsel().client_reply(&opened.case_code, &opened.secret, "Danke!").unwrap();
    assert_eq!(w.p.counsel().enquiry(&w.anna, id).unwrap().state, EnquiryState::InProgress);
    let view = w.p.counsel().case(&w.anna, id).unwrap();
    assert_eq!(view.unread, 1);
    assert_eq!(view.messages.len(), 4);
    assert!(view.messages[1].note);
}

#[test]
fn only_the_counsellor_their_substitute_and_supervisor_read_content_and_every_read_is_audited() {
    let w = world();
    let (_, id) = open(&w, "Vertraulich");
    w.p.counsel().claim(&w.anna, id).unwrap();
    assert!(w.p.counsel().case(&w.anna, id).is_ok());
    assert!(w.p.counsel().case(&w.supervisor, id).is_ok());
    for actor in [&w.ben, &w.dana, &w.admin, &Actor::Operator, &Actor::Anonymous] {
        let err = w.p.counsel().case(actor, id).unwrap_err();
        assert!(matches!(err, Error::PermissionDenied { .. }), "{actor}: {err:?}");
    }
    assert!(matches!(w.p.counsel().reply(&w.admin, id, "Hallo"), Err(Error::PermissionDenied { .. })));
    assert_eq!(w.p.counsel().enquiry(&w.admin, id).unwrap().id, id, "admins see metadata");
    let filter = AuditFilter { action_prefix: Some("counsel.read".into()), target: Some(format!("enquiry:{id}")) };
    let reads = w.p.audit().list(&Actor::Operator, &filter, &PageRequest::default()).unwrap();
    assert_eq!(reads.items.len(), 2);
}

#[test]
fn replies_of_counsellors_in_training_wait_for_a_supervisor_and_the_wait_counts_against_the_sla() {
    let w = world();
    let profile = CounsellorProfileUpdate {
        capacity: Some(5),
        in_training: Some(true),
        lived_experience: Some(true),
        ..Default::default()
    };
    w.p.counsel().update_profile(&w.supervisor, w.trainee_id, &profile).unwrap();
    let (opened, id) = open(&w, "Erste Frage");
    w.p.counsel().claim(&w.trainee, id).unwrap();
    let reply = w.p.counsel().reply(&w.trainee, id, "Mein Entwurf einer Antwort").unwrap();
    assert!(reply.awaiting_approval);
    assert!(w.p.counsel().client_case(&opened.case_code, &opened.secret).unwrap().messages.len() == 1);
    assert!(w.p.counsel().enquiry(&w.trainee, id).unwrap().first_response_at.is_none());
    let pending = w.p.counsel().pending_replies(&w.supervisor, w.jena).unwrap();
    assert_eq!(pending.len(), 1);
    assert!(matches!(w.p.counsel().pending_replies(&w.anna, w.jena), Err(Error::PermissionDenied { .. })));
    w.clock.advance(Duration::hours(50));
    let approved = w.p.counsel().approve(&w.supervisor, id, pending[0].message_id).unwrap();
    assert!(!approved.awaiting_approval);
    let meta = w.p.counsel().enquiry(&w.supervisor, id).unwrap();
    assert_eq!(meta.first_response_at, Some(w.clock.now()));
    assert!(meta.breached, "approved after the due time");
    assert_eq!(w.p.counsel().client_case(&opened.case_code, &opened.secret).unwrap().messages.len(), 2);
    assert!(w.p.counsel().pending_replies(&w.supervisor, w.jena).unwrap().is_empty());
}

#[test]
fn a_handover_with_consent_moves_the_case_and_the_old_counsellor_loses_access() {
    let w = world();
    let (opened, id) = open(&w, "Lange Geschichte");
    w.p.counsel().claim(&w.anna, id).unwrap();
    w.p.counsel().reply(&w.anna, id, "Erste Antwort").unwrap();
    let outside = w.p.counsel().propose_handover(
        &w.anna,
        id,
        w.p.accounts().find_by_pseudonym(&Actor::Operator, "Dana_Rådgiver").unwrap().id,
    );
    assert_eq!(field_of(outside), "counsellor");
    w.p.counsel().propose_handover(&w.anna, id, w.ben_id).unwrap();
    assert!(w.p.counsel().client_case(&opened.case_code, &opened.secret).unwrap().handover_proposed);
    let declined = w.p.counsel().client_answer_handover(&opened.case_code, &opened.secret, false).unwrap();
    assert_eq!(declined.counsellor, Some(w.anna_id));
    w.p.counsel().propose_handover(&w.anna, id, w.ben_id).unwrap();
    let moved = w.p.counsel().client_answer_handover(&opened.case_code, &opened.secret, true).unwrap();
    assert_eq!(moved.counsellor, Some(w.ben_id));
    assert_eq!(w.p.counsel().case(&w.ben, id).unwrap().messages.len(), 2, "the history moves with the case");
    assert!(matches!(w.p.counsel().case(&w.anna, id), Err(Error::PermissionDenied { .. })));
    assert_eq!(w.p.counsel().my_cases(&w.ben).unwrap().len(), 1);
    assert!(w.p.counsel().my_cases(&w.anna).unwrap().is_empty());
}

#[test]
fn a_substitute_sees_and_answers_an_absent_counsellors_cases() {
    let w = world();
    let (_, id) = open(&w, "Urlaubszeit");
    w.p.counsel().claim(&w.anna, id).unwrap();
    assert!(matches!(w.p.counsel().case(&w.ben, id), Err(Error::PermissionDenied { .. })));
    let absence = Absence { from: w.clock.now(), until: w.clock.now() + Duration::days(7), substitute: w.ben_id };
    let bad = Absence {
        substitute: w.p.accounts().find_by_pseudonym(&Actor::Operator, "Dana_Rådgiver").unwrap().id,
        ..absence.clone()
    };
    assert_eq!(field_of(w.p.counsel().set_absence(&w.anna, w.anna_id, Some(bad))), "substitute");
    w.p.counsel().set_absence(&w.anna, w.anna_id, Some(absence)).unwrap();
    assert_eq!(w.p.counsel().my_cases(&w.ben).unwrap().len(), 1);
    w.p.counsel().reply(&w.ben, id, "Ich vertrete Anna diese Woche.").unwrap();
    w.clock.advance(Duration::days(8));
    assert!(matches!(w.p.counsel().case(&w.ben, id), Err(Error::PermissionDenied { .. })), "the absence ended");
}

#[test]
fn auto_assignment_picks_the_lowest_caseload_under_capacity_and_skips_the_absent() {
    let w = world();
    let profile = |capacity| CounsellorProfileUpdate { capacity: Some(capacity), ..Default::default() };
    w.p.counsel().update_profile(&w.supervisor, w.anna_id, &profile(1)).unwrap();
    w.p.counsel().update_profile(&w.supervisor, w.ben_id, &profile(5)).unwrap();
    let (_, first) = open(&w, "eins");
    w.p.counsel().claim(&w.ben, first).unwrap();
    let (_, second) = open(&w, "zwei");
    assert_eq!(w.p.counsel().auto_assign(&w.supervisor, second).unwrap().counsellor, Some(w.anna_id));
    let (_, third) = open(&w, "drei");
    assert_eq!(w.p.counsel().auto_assign(&w.supervisor, third).unwrap().counsellor, Some(w.ben_id), "Anna is full");
    let away = Absence { from: w.clock.now(), until: w.clock.now() + Duration::days(3), substitute: w.anna_id };
    w.p.counsel().set_absence(&w.supervisor, w.ben_id, Some(away)).unwrap();
    let (_, fourth) = open(&w, "vier");
    assert!(matches!(w.p.counsel().auto_assign(&w.supervisor, fourth), Err(Error::Conflict { .. })));
    assert!(matches!(w.p.counsel().auto_assign(&w.anna, fourth), Err(Error::PermissionDenied { .. })));
    assert_eq!(w.p.counsel().assign(&w.supervisor, fourth, w.anna_id).unwrap().counsellor, Some(w.anna_id));
}

#[test]
fn a_profile_change_keeps_every_field_it_does_not_name() {
    let w = world();
    let c = w.p.counsel();
    let full = CounsellorProfileUpdate {
        capacity: Some(3),
        in_training: Some(true),
        lived_experience: Some(true),
        gender: Some(Gender::Female),
        clear_gender: false,
    };
    c.update_profile(&w.supervisor, w.anna_id, &full).unwrap();
    let away = Absence { from: w.clock.now(), until: w.clock.now() + Duration::days(3), substitute: w.ben_id };
    c.set_absence(&w.supervisor, w.anna_id, Some(away.clone())).unwrap();
    let capacity = CounsellorProfileUpdate { capacity: Some(7), ..Default::default() };
    let saved = c.update_profile(&w.supervisor, w.anna_id, &capacity).unwrap();
    let expected = CounsellorProfile {
        account: w.anna_id,
        capacity: 7,
        in_training: true,
        lived_experience: true,
        gender: Some(Gender::Female),
        absence: Some(away),
    };
    assert_eq!(saved, expected);
    assert_eq!(c.profile(&w.supervisor, w.anna_id).unwrap(), expected, "the read agrees with what was saved");
    let cleared = c
        .update_profile(&w.supervisor, w.anna_id, &CounsellorProfileUpdate { clear_gender: true, ..Default::default() })
        .unwrap();
    assert_eq!((cleared.gender, cleared.capacity, cleared.in_training), (None, 7, true));
    let both = CounsellorProfileUpdate { gender: Some(Gender::Male), clear_gender: true, ..Default::default() };
    assert_eq!(field_of(c.update_profile(&w.supervisor, w.anna_id, &both)), "gender");
    let huge = CounsellorProfileUpdate { capacity: Some(501), ..Default::default() };
    assert_eq!(field_of(c.update_profile(&w.supervisor, w.anna_id, &huge)), "capacity");
    assert!(matches!(c.update_profile(&w.ben, w.anna_id, &capacity), Err(Error::PermissionDenied { .. })));
}

#[test]
fn overdue_enquiries_overflow_to_every_partner_queue_and_are_audited() {
    let w = world();
    let (_, id) = open(&w, "Niemand antwortet");
    assert!(w.p.counsel().overdue(&Actor::Operator, None).unwrap().is_empty());
    w.clock.advance(Duration::hours(49));
    let overdue = w.p.counsel().overdue(&w.supervisor, Some(w.jena)).unwrap();
    assert_eq!(overdue.iter().map(|e| e.id).collect::<Vec<_>>(), vec![id]);
    let done = w.p.counsel().escalate(&Actor::Operator).unwrap();
    assert_eq!((done.breached, done.overflowed.clone()), (1, vec![id]));
    let danish = w.p.counsel().queue(&w.dana, w.kopenhagen, &PageRequest::default()).unwrap();
    assert!(danish.items[0].overflow);
    let again = w.p.counsel().escalate(&Actor::Operator).unwrap();
    assert_eq!((again.breached, again.overflowed.len()), (0, 0));
    let filter = AuditFilter { action_prefix: Some("counsel.overflow".into()), target: None };
    assert_eq!(w.p.audit().list(&Actor::Operator, &filter, &PageRequest::default()).unwrap().items.len(), 1);
    w.p.counsel().claim(&w.dana, id).unwrap();
    assert!(w.p.counsel().queue(&w.anna, w.jena, &PageRequest::default()).unwrap().items.is_empty());
}

#[test]
fn business_day_slas_skip_weekends() {
    let w = world();
    let offer = CounselOffer {
        org: w.jena,
        topics: vec![],
        languages: vec!["de".into()],
        regions: vec![],
        first_response_hours: 24,
        business_days: true,
    };
    w.p.counsel().set_offer(&w.supervisor, &offer).unwrap();
    w.clock.set("2026-03-06T12:00:00Z".parse().unwrap()); // a Friday
    let (_, id) = open(&w, "Freitagsfrage");
    let due = w.p.counsel().enquiry(&w.anna, id).unwrap().due_at;
    assert_eq!(due, "2026-03-09T12:00:00Z".parse::<Timestamp>().unwrap());
}

#[test]
fn clients_close_and_reopen_within_fourteen_days() {
    let w = world();
    let (opened, id) = open(&w, "Kurze Frage");
    w.p.counsel().claim(&w.anna, id).unwrap();
    w.p.counsel().close(&w.anna, id, CloseReason::Answered).unwrap();
    assert!(matches!(w.p.counsel().reply(&w.anna, id, "noch was"), Err(Error::Conflict { .. })));
    assert!(matches!(
        w.p.counsel().client_reply(&opened.case_code, &opened.secret, "noch was"),
        Err(Error::Conflict { .. })
    ));
    w.clock.advance(Duration::days(13));
    let reopened = w.p.counsel().client_reopen(&opened.case_code, &opened.secret).unwrap();
    assert_eq!((reopened.state, reopened.counsellor), (EnquiryState::InProgress, Some(w.anna_id)));
    w.p.counsel().client_close(&opened.case_code, &opened.secret).unwrap();
    w.clock.advance(Duration::days(15));
    assert!(matches!(w.p.counsel().client_reopen(&opened.case_code, &opened.secret), Err(Error::Conflict { .. })));
}

#[test]
fn counselling_without_or_with_a_wrong_content_key_is_a_typed_error() {
    let clock = clock();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("k.redb");
    let key = ContentKey::generate().unwrap();
    let (code, secret) = {
        let p = Platform::open(&path, options(&clock, Some(key.clone()))).unwrap();
        let w = world_on(p, clock.clone());
        let (opened, _) = open(&w, "Schlüsselfrage");
        (opened.case_code, opened.secret)
    };
    let without = Platform::open(&path, options(&clock, None)).unwrap();
    assert_eq!(field_of(without.counsel().client_case(&code, &secret)), "content_key");
    assert_eq!(field_of(without.counsel().enquire(&Actor::Anonymous, &enquiry("other", "de", "Hallo"))), "content_key");
    drop(without);
    let wrong = Platform::open(&path, options(&clock, Some(ContentKey::generate().unwrap()))).unwrap();
    assert_eq!(field_of(wrong.counsel().client_case(&code, &secret)), "content_key");
    assert_eq!(field_of(wrong.counsel().enquire(&Actor::Anonymous, &enquiry("other", "de", "Hallo"))), "content_key");
    drop(wrong);
    let right = Platform::open(&path, options(&clock, Some(key))).unwrap();
    assert_eq!(right.counsel().client_case(&code, &secret).unwrap().messages.len(), 1, "nothing lost");
}

const MARKER: &str = "Leuchtturmwärter Quastenflosser 4711";

fn file_contains(path: &std::path::Path, needle: &str) -> bool {
    let bytes = std::fs::read(path).unwrap();
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn message_text_never_reaches_the_file_and_a_purged_case_leaves_no_trace() {
    let clock = clock();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("purge.redb");
    let key = ContentKey::generate().unwrap();
    let code = {
        let p = Platform::open(&path, options(&clock, Some(key.clone()))).unwrap();
        let w = world_on(p, clock.clone());
        let (opened, id) = open(&w, &format!("Erste Nachricht: {MARKER}"));
        w.p.counsel().claim(&w.anna, id).unwrap();
        w.p.counsel().reply(&w.anna, id, &format!("Antwort mit {MARKER}")).unwrap();
        w.p.counsel().client_reply(&opened.case_code, &opened.secret, MARKER).unwrap();
        w.p.counsel().close(&w.anna, id, CloseReason::Answered).unwrap();
        opened.case_code
    };
    assert!(file_contains(&path, &code), "the case code is stored (the test must be able to see it)");
    assert!(!file_contains(&path, MARKER), "message text is in the file");
    let p = Platform::open(&path, options(&clock, Some(key.clone()))).unwrap();
    clock.advance(Duration::days(89));
    assert_eq!(p.counsel().purge(&Actor::Operator, false).unwrap().purged, 0, "kept for 90 days");
    clock.advance(Duration::days(2));
    assert_eq!(
        p.counsel().purge(&Actor::Operator, true).unwrap(),
        PurgeReport { dry_run: true, purged: 1, retention_days: 90 }
    );
    assert_eq!(p.counsel().purge(&Actor::Operator, false).unwrap().purged, 1);
    assert_eq!(p.counsel().purge(&Actor::Operator, false).unwrap().purged, 0);
    assert!(matches!(p.counsel().client_case(&code, "ANY-SECRET-AT-ALL"), Err(Error::PermissionDenied { .. })));
    let stats = p.counsel().stats(&Actor::Operator, "2026-03").unwrap();
    assert_eq!(stats.enquiries, None, "one enquiry (1 to k = 4) is withheld, but counted");
    let report = p.compact(&Actor::Operator).unwrap();
    assert!(report.bytes_after <= report.bytes_before, "compaction grew the file: {report:?}");
    drop(p);
    assert!(!file_contains(&path, &code), "the case code survived purge and compaction");
    assert!(!file_contains(&path, MARKER));
}

#[test]
fn the_integrity_check_covers_counselling_and_finds_a_broken_index() {
    let clock = clock();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("integrity.redb");
    let key = ContentKey::generate().unwrap();
    {
        let p = Platform::open(&path, options(&clock, Some(key.clone()))).unwrap();
        let w = world_on(p, clock.clone());
        open(&w, "Wer zahlt die Weiterbildung?");
        clock.advance(Duration::minutes(1));
        let (_, claimed) = open(&w, "Frage zur Probezeit");
        w.p.counsel().claim(&w.anna, claimed).unwrap();
        let (_, closed) = open(&w, "Danke, erledigt");
        w.p.counsel().claim(&w.ben, closed).unwrap();
        w.p.counsel().close(&w.ben, closed, CloseReason::Answered).unwrap();
        assert_eq!(w.p.integrity().unwrap().problems, Vec::<String>::new(), "waiting, claimed and closed cases");
    }
    // Take the earliest-due case out of the due list behind the platform's back.
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut due = txn.open_table(redb::TableDefinition::<(i64, u64), ()>::new("counsel_due")).unwrap();
            due.pop_first().unwrap().expect("the due list holds the waiting cases");
        }
        txn.commit().unwrap();
    }
    let p = Platform::open(&path, options(&clock, Some(key))).unwrap();
    let problems = p.integrity().unwrap().problems;
    assert!(problems.iter().any(|p| p.contains("is missing from the due list")), "{problems:?}");
    assert!(problems.iter().any(|p| p.contains("due list hold 1 rows; the enquiries account for 2")), "{problems:?}");
}

#[test]
fn statistics_count_by_topic_organisation_and_language_and_suppress_small_counts() {
    let w = world();
    for i in 0..6 {
        let (_, id) = open(&w, &format!("Frage {i}"));
        w.p.counsel().claim(&w.anna, id).unwrap();
        w.clock.advance(Duration::hours(i + 1));
        w.p.counsel().reply(&w.anna, id, "Antwort").unwrap();
    }
    w.p.counsel().enquire(&Actor::Anonymous, &enquiry("job_and_career", "da", "Hej")).unwrap();
    let stats = w.p.counsel().stats(&w.supervisor, "2026-03").unwrap();
    assert_eq!(stats.enquiries, Some(7));
    let row = |dimension: &str, key: &str| {
        stats.rows.iter().find(|r| r.dimension == dimension && r.key == key).map(|r| r.count)
    };
    assert_eq!(row("topic", "job_and_career"), Some(None), "one enquiry on jobs is withheld");
    assert_eq!(
        row("topic", "contracts_and_pay"),
        Some(None),
        "7 enquiries minus 6 on pay would give the one on jobs away: withheld too"
    );
    assert_eq!(row("language", "da"), Some(None), "one Danish enquiry is withheld");
    assert_eq!(row("language", "de"), Some(None), "and the German ones it could be recovered from");
    assert_eq!(
        row("org", &w.jena.to_string()),
        Some(None),
        "7 enquiries minus Jena's 6 would show the one no organisation has taken: withheld"
    );
    assert_eq!(stats.first_responses, Some(6));
    assert!(
        stats.first_response_median_hours.is_some()
            && stats.first_response_p90_hours >= stats.first_response_median_hours
    );
    for i in 0..5 {
        w.p.counsel().enquire(&Actor::Anonymous, &enquiry("job_and_career", "da", &format!("Hej {i}"))).unwrap();
    }
    let stats = w.p.counsel().stats(&w.supervisor, "2026-03").unwrap();
    let shown: Vec<(&str, &str, Option<u64>)> =
        stats.rows.iter().map(|r| (r.dimension.as_str(), r.key.as_str(), r.count)).collect();
    assert_eq!(stats.enquiries, Some(12));
    assert!(stats.rows.iter().all(|r| r.count == Some(6)), "six of each, nothing to withhold: {shown:?}");
    assert!(matches!(w.p.counsel().stats(&w.anna, "2026-03"), Err(Error::PermissionDenied { .. })));
    assert_eq!(field_of(w.p.counsel().stats(&w.admin, "März")), "month");
}

#[test]
fn supervisors_manage_only_their_organisation_and_admins_set_topics_and_retention() {
    let w = world();
    let offer = CounselOffer {
        org: w.kopenhagen,
        topics: vec![],
        languages: vec!["da".into()],
        regions: vec!["DK".into()],
        first_response_hours: 24,
        business_days: false,
    };
    assert!(matches!(w.p.counsel().set_offer(&w.supervisor, &offer), Err(Error::PermissionDenied { .. })));
    assert!(w.p.counsel().set_offer(&w.admin, &offer).is_ok());
    assert!(matches!(w.p.counsel().set_topics(&w.supervisor, &["other".into()]), Err(Error::PermissionDenied { .. })));
    let topics = w.p.counsel().set_topics(&w.admin, &["other".into(), "housing".into()]).unwrap();
    assert_eq!(w.p.counsel().topics(&Actor::Anonymous).unwrap(), topics);
    assert_eq!(w.p.counsel().set_retention_days(&w.admin, 30).unwrap(), 30);
    assert!(matches!(w.p.counsel().purge(&w.supervisor, true), Err(Error::PermissionDenied { .. })));
    assert!(matches!(w.p.counsel().escalate(&w.anna), Err(Error::PermissionDenied { .. })));
}
