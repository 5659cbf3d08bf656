//! Moderation and safety: reports and the review queue, actions and their log, appeals,
//! watched words and crisis signposting, trust and rate limits.

mod common;

use chrono::Duration;
use common::*;
use trialog_core::moderation::{ActionKind, ItemDetail, ReviewPage};
use trialog_core::*;

struct World {
    p: Platform,
    clock: TestClock,
    open: BoardId,
    premod: BoardId,
    admin: Actor,
    mod_a: Actor,
    mod_b: Actor,
    kim: Actor,
    kim_id: AccountId,
    ole: Actor,
}

fn world() -> World {
    let clock = clock();
    let p = platform_with(&clock);
    let board = |slug: &str, moderation| members_board(&p, slug, moderation).id;
    let open = board("austausch", ModerationMode::Open);
    let premod = board("krise", ModerationMode::PreModerated);
    let admin = account(&p, "Admina", &[Role::Admin]);
    let mod_a = account(&p, "ModA", &[Role::Moderator]);
    let mod_b = account(&p, "ModB", &[Role::Moderator]);
    let kim = account(&p, "Kim", &[]);
    let ole = account(&p, "Ole", &[]);
    World {
        p,
        clock,
        open,
        premod,
        admin: Actor::account(admin.id),
        mod_a: Actor::account(mod_a.id),
        mod_b: Actor::account(mod_b.id),
        kim: Actor::account(kim.id),
        kim_id: kim.id,
        ole: Actor::account(ole.id),
    }
}

fn thread(w: &World, who: &Actor, board: BoardId, body: &str) -> Posted {
    w.p.forums()
        .create_thread(
            who,
            &NewThread { board, title: "Ein Thema".into(), body: body.into(), tags: vec![], anonymous: false },
        )
        .unwrap()
}

fn queue(w: &World) -> ReviewPage {
    w.p.moderation().queue(&w.mod_a, ItemState::Pending, &PageRequest::default()).unwrap()
}

fn report(w: &World, who: &Actor, target: Target, reason: ReportReason) -> Result<moderation::Report> {
    w.p.moderation().report(who, &NewReport { target, reason, detail: None })
}

fn detail(w: &World, item: u64) -> ItemDetail {
    w.p.moderation().item(&w.mod_a, item).unwrap()
}

#[test]
fn a_crisis_post_from_a_new_account_on_a_premoderated_board_is_held_tops_the_queue_and_gets_resources() {
    let w = world();
    let spam = thread(&w, &w.ole, w.open, "Günstige Angebote hier");
    for who in [&w.kim, &w.mod_b, &w.admin] {
        report(&w, who, Target::Thread { id: spam.thread.id }, ReportReason::Spam).unwrap();
    }
    let newcomer = account(&w.p, "Neu_hier", &[]);
    let posted =
        w.p.forums()
            .create_thread(
                &Actor::account(newcomer.id),
                &NewThread {
                    board: w.premod,
                    title: "Heute Nacht".into(),
                    body: "Ich kann nicht mehr. Ich will nicht mehr leben.".into(),
                    tags: vec![],
                    anonymous: true,
                },
            )
            .unwrap();
    assert!(posted.held.is_some(), "a pre-moderated board holds the post");
    assert_eq!(posted.post.state, ContentState::Pending);
    let lines: Vec<String> = posted.signposts.iter().map(|s| s.contact.clone().unwrap_or_default()).collect();
    assert!(lines[0].contains("0800 111 0 111") && lines[0].contains("116 123"), "{lines:?}");
    assert!(lines.iter().any(|l| l == "112"), "{lines:?}");
    let page = queue(&w);
    assert_eq!(page.items[0].target, Target::Thread { id: posted.thread.id });
    assert!(page.items[0].crisis && page.items[0].priority >= moderation::CRISIS_PRIORITY);
    assert_eq!(page.items[1].target, Target::Thread { id: spam.thread.id });
    assert!(page.items[0].flags[0].reason.contains("nicht mehr leben"), "{:?}", page.items[0].flags);
    // The writer is not silenced: they keep writing.
    let status = w.p.accounts().get(&Actor::Operator, newcomer.id).unwrap().status;
    assert_eq!(status, AccountStatus::Active);
    let item = &page.items[0];
    w.p.moderation().act(&w.mod_a, item.id, item.version, &ModAction::Approve, "").unwrap();
    assert_eq!(w.p.forums().thread(&w.kim, posted.thread.id).unwrap().state, ContentState::Visible);
}

#[test]
fn concurrent_moderators_one_wins_the_other_gets_a_conflict() {
    let w = world();
    let posted = thread(&w, &w.kim, w.open, "Werbung für Casino");
    report(&w, &w.ole, Target::Post { id: posted.post.id }, ReportReason::Spam).unwrap();
    let item = queue(&w).items[0].clone();
    let (p1, p2) = (w.p.clone(), w.p.clone());
    let (a, b) = (w.mod_a.clone(), w.mod_b.clone());
    let one = std::thread::spawn(move || p1.moderation().act(&a, item.id, item.version, &ModAction::Hide, "Werbung"));
    let two = std::thread::spawn(move || p2.moderation().act(&b, item.id, item.version, &ModAction::Remove, "Spam"));
    let results = [one.join().unwrap(), two.join().unwrap()];
    assert_eq!(results.iter().filter(|r| r.is_ok()).count(), 1, "{results:?}");
    assert!(results.iter().any(|r| matches!(r, Err(Error::Conflict { .. }))), "{results:?}");
    // Claiming with a stale version is a conflict too.
    let err = w.p.moderation().claim(&w.mod_a, item.id, item.version).unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }), "{err:?}");
}

#[test]
fn a_claimed_item_belongs_to_its_moderator() {
    let w = world();
    let posted = thread(&w, &w.kim, w.open, "Text");
    report(&w, &w.ole, Target::Post { id: posted.post.id }, ReportReason::OffTopic).unwrap();
    let item = queue(&w).items[0].clone();
    let claimed = w.p.moderation().claim(&w.mod_a, item.id, item.version).unwrap();
    let err = w.p.moderation().act(&w.mod_b, item.id, claimed.version, &ModAction::Dismiss, "").unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }), "{err:?}");
    let entry = w.p.moderation().act(&w.mod_a, item.id, claimed.version, &ModAction::Dismiss, "").unwrap();
    assert_eq!(entry.action, ActionKind::Dismiss);
    assert_eq!(detail(&w, item.id).item.state, ItemState::Dismissed);
}

#[test]
fn an_appeal_overturning_a_removal_restores_the_post_and_is_logged_and_notified() {
    let w = world();
    let posted = thread(&w, &w.kim, w.open, "Meine Erfahrung mit der Klinik");
    report(&w, &w.ole, Target::Thread { id: posted.thread.id }, ReportReason::Misinformation).unwrap();
    let item = queue(&w).items[0].clone();
    let removal =
        w.p.moderation().act(&w.mod_a, item.id, item.version, &ModAction::Remove, "Falschinformation").unwrap();
    assert!(w.p.forums().thread(&w.ole, posted.thread.id).is_err(), "removed threads are gone for members");
    let inbox = w.p.inbox().list(&w.kim, false, &PageRequest::default()).unwrap();
    let told = inbox.items.iter().find_map(|n| match &n.event {
        Event::Moderated { action, reason, appeal, .. } => Some((*action, reason.clone(), appeal.clone())),
        _ => None,
    });
    let (action, reason, how) = told.expect("the author is told");
    assert_eq!((action, reason.as_str()), (removal.id, "Falschinformation"));
    assert!(how.contains("appeal"));
    // Only the author appeals, once.
    let err = w.p.moderation().appeal(&w.ole, removal.id, "Bitte").unwrap_err();
    assert!(matches!(err, Error::PermissionDenied { .. }), "{err:?}");
    let appeal = w.p.moderation().appeal(&w.kim, removal.id, "Das ist meine eigene Erfahrung.").unwrap();
    let err = w.p.moderation().appeal(&w.kim, removal.id, "Nochmal").unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }), "{err:?}");
    let open = w.p.moderation().appeals(&w.mod_b, false, &PageRequest::default()).unwrap();
    assert_eq!(open.items.len(), 1);
    // The moderator who acted cannot decide.
    let err = w.p.moderation().decide_appeal(&w.mod_a, appeal.id, AppealOutcome::Overturned, "ok").unwrap_err();
    assert!(matches!(err, Error::PermissionDenied { .. }), "{err:?}");
    let decided =
        w.p.moderation()
            .decide_appeal(&w.mod_b, appeal.id, AppealOutcome::Overturned, "Erfahrungsbericht, keine Behauptung")
            .unwrap();
    assert_eq!(decided.outcome, Some(AppealOutcome::Overturned));
    assert_eq!(w.p.forums().thread(&w.ole, posted.thread.id).unwrap().state, ContentState::Visible);
    let log = w.p.moderation().log(&w.ole, Some(Target::Thread { id: posted.thread.id }), &PageRequest::default());
    let log = log.unwrap();
    let kinds: Vec<ActionKind> = log.items.iter().map(|e| e.action).collect();
    assert_eq!(kinds, [ActionKind::Overturn, ActionKind::Remove]);
    assert!(log.items.iter().all(|e| e.moderator.is_none()), "the public log hides moderators");
    let full = w.p.moderation().log(&w.mod_a, None, &PageRequest::default()).unwrap();
    assert!(full.items.iter().all(|e| e.moderator.is_some()));
    let inbox = w.p.inbox().list(&w.kim, false, &PageRequest::default()).unwrap();
    assert!(
        inbox.items.iter().any(|n| matches!(&n.event, Event::AppealDecided { outcome, .. } if outcome == "overturned"))
    );
    let audit = w.p.audit().list(&Actor::Operator, &AuditFilter::default(), &PageRequest::default()).unwrap();
    assert!(audit.items.iter().any(|e| e.action == "moderation.remove"));
    assert!(audit.items.iter().any(|e| e.action == "moderation.overturn"));
}

#[test]
fn an_expired_suspension_ends_by_the_clock() {
    let w = world();
    let posted = thread(&w, &w.kim, w.open, "Beleidigung");
    report(&w, &w.ole, Target::Post { id: posted.post.id }, ReportReason::Harassment).unwrap();
    let item = queue(&w).items[0].clone();
    let until = w.clock.now() + Duration::days(2);
    let past = w.clock.now() - Duration::hours(1);
    let err =
        w.p.moderation()
            .act(&w.mod_a, item.id, item.version, &ModAction::Suspend { until: past }, "Beleidigung")
            .unwrap_err();
    assert_eq!(field_of::<()>(Err(err)), "until");
    let err = w.p.moderation().act(&w.mod_a, item.id, item.version, &ModAction::Suspend { until }, " ").unwrap_err();
    assert_eq!(field_of::<()>(Err(err)), "reason");
    let entry =
        w.p.moderation().act(&w.mod_a, item.id, item.version, &ModAction::Suspend { until }, "Beleidigung").unwrap();
    assert_eq!(entry.expires, Some(until));
    assert!(matches!(
        w.p.forums()
            .reply(&w.kim, &NewReply { thread: posted.thread.id, body: "x".into(), reply_to: None, anonymous: false }),
        Err(Error::PermissionDenied { .. })
    ));
    w.clock.advance(Duration::days(2) + Duration::seconds(1));
    w.p.forums()
        .reply(
            &w.kim,
            &NewReply { thread: posted.thread.id, body: "Entschuldigung".into(), reply_to: None, anonymous: false },
        )
        .unwrap();
    // Acting on a closed item is a conflict.
    let err = w.p.moderation().act(&w.mod_a, item.id, item.version + 1, &ModAction::Warn, "x").unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }), "{err:?}");
}

#[test]
fn obfuscated_watched_words_are_caught_and_blocked_words_refused() {
    let w = world();
    w.p.moderation().add_word(&Actor::Operator, &WatchedWord::new("de", "casino*", WordAction::Block)).unwrap();
    w.p.moderation().add_word(&w.admin, &WatchedWord::new("*", "telegram", WordAction::RequireApproval)).unwrap();
    let err =
        w.p.forums()
            .create_thread(
                &w.kim,
                &NewThread {
                    board: w.open,
                    title: "Tipp".into(),
                    body: "Bestes C.A.S.I.N.O online".into(),
                    tags: vec![],
                    anonymous: false,
                },
            )
            .unwrap_err();
    assert_eq!(field_of::<()>(Err(err)), "body");
    let held = thread(&w, &w.kim, w.open, "Schreibt mir auf Teeelegram");
    assert!(held.held.is_some());
    let crisis = thread(&w, &w.kim, w.open, "manchmal denke ich an s.u.i.z.i.d");
    assert!(crisis.held.is_none(), "a crisis post on an open board appears at once");
    assert!(!crisis.signposts.is_empty());
    let found = w.p.moderation().test_words(&w.mod_a, "SUIIIZID und s-e-l-v-m-o-r-d", "de").unwrap();
    let rules: Vec<(&str, &str)> = found.findings.iter().map(|f| (f.language.as_str(), f.matched.as_str())).collect();
    assert_eq!(rules, [("de", "SUIIIZID"), ("da", "s-e-l-v-m-o-r-d")], "crisis rules of every language apply");
    assert!(found.findings[0].reason.contains("suizid"), "{}", found.findings[0].reason);
    assert_eq!(found.level, Some(moderation::CrisisLevel::High));
    let err = w.p.moderation().add_word(&w.admin, &WatchedWord::new("de", "su*zid", WordAction::Flag)).unwrap_err();
    assert_eq!(field_of::<()>(Err(err)), "pattern");
    w.p.moderation().remove_word(&w.admin, "de", "casino*").unwrap();
    thread(&w, &w.kim, w.open, "Casino-Abend im Verein");
}

#[test]
fn reports_of_things_that_do_not_exist_or_cannot_be_seen_are_not_found() {
    let w = world();
    let err = report(&w, &w.kim, Target::Post { id: PostId(999) }, ReportReason::Spam).unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    let pending =
        w.p.forums()
            .create_thread(
                &w.ole,
                &NewThread { board: w.premod, title: "t".into(), body: "b".into(), tags: vec![], anonymous: false },
            )
            .unwrap();
    let err = report(&w, &w.kim, Target::Thread { id: pending.thread.id }, ReportReason::Spam).unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "a pending thread is invisible to others: {err:?}");
    let err = report(&w, &w.kim, Target::Job { id: JobId(4) }, ReportReason::Spam).unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    let err =
        w.p.moderation()
            .report(
                &w.kim,
                &NewReport { target: Target::Account { id: AccountId(1) }, reason: ReportReason::Other, detail: None },
            )
            .unwrap_err();
    assert_eq!(field_of::<()>(Err(err)), "detail");
    let err = report(&w, &Actor::Anonymous, Target::Account { id: AccountId(1) }, ReportReason::Spam).unwrap_err();
    assert!(matches!(err, Error::PermissionDenied { .. }), "{err:?}");
    report(&w, &w.kim, Target::Account { id: AccountId(1) }, ReportReason::Harassment).unwrap();
    let err = report(&w, &w.kim, Target::Account { id: AccountId(1) }, ReportReason::Harassment).unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }), "{err:?}");
}

#[test]
fn a_report_on_a_closed_item_reopens_it() {
    let w = world();
    let posted = thread(&w, &w.kim, w.open, "Text");
    report(&w, &w.ole, Target::Post { id: posted.post.id }, ReportReason::OffTopic).unwrap();
    let item = queue(&w).items[0].clone();
    w.p.moderation().act(&w.mod_a, item.id, item.version, &ModAction::Dismiss, "").unwrap();
    assert!(queue(&w).items.is_empty());
    report(&w, &w.admin, Target::Post { id: posted.post.id }, ReportReason::Harassment).unwrap();
    let again = queue(&w).items[0].clone();
    assert_eq!((again.id, again.state, again.reports, again.reporters), (item.id, ItemState::Pending, 2, 2));
}

#[test]
fn new_accounts_wait_for_approval_and_are_rate_limited_when_the_rules_are_on() {
    let w = world();
    w.p.moderation().set_settings(&Actor::Operator, &ModerationSettings::recommended()).unwrap();
    let mut held = 0;
    for n in 0..3 {
        let posted = thread(&w, &w.kim, w.open, &format!("Beitrag {n}"));
        held += usize::from(posted.held.is_some());
        let item = w.p.forums().queue(&w.mod_a, &PageRequest::default()).unwrap();
        assert!(!item.items.is_empty());
        w.p.forums().moderate_post(&w.mod_a, posted.post.id, ModerationAction::Approve, None).unwrap();
        let err = w.p.forums().create_thread(
            &w.kim,
            &NewThread {
                board: w.open,
                title: "gleich".into(),
                body: "noch einer".into(),
                tags: vec![],
                anonymous: false,
            },
        );
        assert!(matches!(err, Err(Error::RateLimited { retry_after_secs: 1..=10 })), "{err:?}");
        w.clock.advance(Duration::seconds(11));
    }
    assert_eq!(held, 3);
    // Three threads on the first day are the limit; the fourth waits.
    let err = w.p.forums().create_thread(
        &w.kim,
        &NewThread { board: w.open, title: "vier".into(), body: "vier".into(), tags: vec![], anonymous: false },
    );
    assert!(matches!(err, Err(Error::RateLimited { retry_after_secs }) if retry_after_secs > 3600), "{err:?}");
    // Approved three times, the fourth post appears at once (the next day).
    w.clock.advance(Duration::days(1));
    let fourth = thread(&w, &w.kim, w.open, "Jetzt ohne Warten");
    assert!(fourth.held.is_none(), "{:?}", fourth.held);
    // A crisis post is never rate-limited.
    let crisis = thread(&w, &w.kim, w.open, "Ich will nicht mehr leben");
    assert!(!crisis.signposts.is_empty());
}

#[test]
fn edit_out_keeps_the_original_for_moderators() {
    let w = world();
    let posted = thread(&w, &w.kim, w.open, "Ruft mich an: 0151 1234567, Kim");
    report(&w, &w.ole, Target::Post { id: posted.post.id }, ReportReason::PersonalData).unwrap();
    let item = queue(&w).items[0].clone();
    let edit = ModAction::EditOut { passage: "0151 1234567".into(), note: "Telefonnummer".into() };
    w.p.moderation().act(&w.mod_a, item.id, item.version, &edit, "persönliche Daten").unwrap();
    let shown = w.p.forums().post(&w.ole, posted.post.id).unwrap();
    assert!(!shown.body.contains("1234567") && shown.body.contains("Telefonnummer"), "{}", shown.body);
    let history = w.p.forums().history(&w.mod_a, posted.post.id).unwrap();
    assert!(history[0].body.contains("0151 1234567"));
    let detail = detail(&w, item.id);
    assert_eq!(detail.history[0].action, ActionKind::EditOut);
    assert!(!detail.history[0].reason.contains("1234567"), "post text stays out of the log");
}

#[test]
fn a_queue_page_is_ordered_by_priority_then_age_and_pages_by_cursor() {
    let w = world();
    let mut posts = Vec::new();
    for n in 0..5 {
        posts.push(thread(&w, &w.ole, w.open, &format!("Beitrag {n}")).post.id);
        w.clock.advance(Duration::seconds(30));
    }
    report(&w, &w.kim, Target::Post { id: posts[3] }, ReportReason::Harassment).unwrap();
    for id in [posts[0], posts[1], posts[2], posts[4]] {
        report(&w, &w.kim, Target::Post { id }, ReportReason::OffTopic).unwrap();
    }
    let first = w.p.moderation().queue(&w.mod_a, ItemState::Pending, &PageRequest::first(2)).unwrap();
    let order: Vec<Target> = first.items.iter().map(|i| i.target).collect();
    assert_eq!(order, [Target::Post { id: posts[3] }, Target::Post { id: posts[0] }]);
    let next = PageRequest::after(first.next_cursor.unwrap(), 10);
    let rest = w.p.moderation().queue(&w.mod_a, ItemState::Pending, &next).unwrap();
    let order: Vec<Target> = rest.items.iter().map(|i| i.target).collect();
    assert_eq!(order, [Target::Post { id: posts[1] }, Target::Post { id: posts[2] }, Target::Post { id: posts[4] }]);
    assert!(rest.next_cursor.is_none());
}

#[test]
fn moderators_restrict_anonymous_authors_without_learning_who_they_are() {
    let w = world();
    let posted =
        w.p.forums()
            .create_thread(
                &w.kim,
                &NewThread { board: w.open, title: "t".into(), body: "böse".into(), tags: vec![], anonymous: true },
            )
            .unwrap();
    report(&w, &w.ole, Target::Post { id: posted.post.id }, ReportReason::Harassment).unwrap();
    let item = queue(&w).items[0].clone();
    let until = w.clock.now() + Duration::days(1);
    let entry = w.p.moderation().act(&w.mod_a, item.id, item.version, &ModAction::Silence { until }, "Ton").unwrap();
    assert_eq!(entry.target, Target::Post { id: posted.post.id });
    let shown = format!("{:?}", detail(&w, item.id));
    assert!(!shown.contains(&format!("account: Some({})", w.kim_id)), "{shown}");
    let kim = w.p.accounts().get(&Actor::Operator, w.kim_id).unwrap();
    assert!(matches!(kim.status, AccountStatus::Silenced { .. }));
}

#[test]
fn crisis_resources_are_edited_by_admins_and_unverified_candidates_are_not_shown() {
    let w = world();
    let all = w.p.moderation().resources(&Actor::Anonymous).unwrap();
    assert!(all.iter().any(|r| r.country == "RO" && !r.verified));
    assert!(all.iter().all(|r| r.source.is_some() && r.checked_on.is_some()), "every shipped entry names its source");
    let mut line = all.iter().find(|r| r.country == "DK").unwrap().clone();
    line.detail = "Døgnåben".into();
    let err = w.p.moderation().set_resource(&w.mod_a, &line).unwrap_err();
    assert!(matches!(err, Error::PermissionDenied { .. }), "{err:?}");
    w.p.moderation().set_resource(&w.admin, &line).unwrap();
    let shown = w.p.moderation().resources_for("DK", "da").unwrap();
    assert_eq!((shown[0].name.as_str(), shown[0].detail.as_str()), ("Livslinien", "Døgnåben"));
    let ro = w.p.moderation().resources_for("RO", "ro").unwrap();
    assert_eq!(ro.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["Telefonul Copilului", "112"]);
    let mut unsourced = line.clone();
    unsourced.source = None;
    let err = w.p.moderation().set_resource(&w.admin, &unsourced).unwrap_err();
    assert!(matches!(&err, Error::InvalidInput { field, .. } if field == "source"), "{err:?}");
}

#[test]
fn the_forums_own_moderation_is_in_the_moderation_log_and_can_be_appealed() {
    let w = world();
    let posted = thread(&w, &w.kim, w.open, "Ein Beitrag");
    w.p.forums().moderate_thread(&w.mod_a, posted.thread.id, ModerationAction::Hide, Some("Prüfung")).unwrap();
    let until = w.clock.now() + Duration::days(1);
    w.p.forums().restrict_author(&w.mod_a, posted.post.id, Restriction::Silence { until }, "Ton").unwrap();
    let log = w.p.moderation().log(&w.ole, None, &PageRequest::default()).unwrap();
    let kinds: Vec<ActionKind> = log.items.iter().map(|e| e.action).collect();
    assert_eq!(kinds, [ActionKind::Silence, ActionKind::Hide]);
    w.p.forums().lock_thread(&w.mod_b, posted.thread.id, true).unwrap();
    let locked = w.p.moderation().log(&w.mod_a, Some(Target::Thread { id: posted.thread.id }), &PageRequest::default());
    assert_eq!(locked.unwrap().items[0].action, ActionKind::Lock);
    let hide = log.items[1].id;
    let appeal = w.p.moderation().appeal(&w.kim, hide, "Bitte prüfen").unwrap();
    w.p.moderation().decide_appeal(&w.mod_a.clone(), appeal.id, AppealOutcome::Overturned, "in Ordnung").unwrap_err();
    w.p.moderation().decide_appeal(&w.mod_b, appeal.id, AppealOutcome::Overturned, "in Ordnung").unwrap();
    assert_eq!(w.p.forums().thread(&w.ole, posted.thread.id).unwrap().state, ContentState::Visible);
    assert_eq!(w.p.integrity().unwrap().problems, Vec::<String>::new());
}

#[test]
fn the_review_queue_puts_imminent_crisis_first_then_high_then_concern() {
    use trialog_core::moderation::{CrisisCategory, CrisisLevel};
    let w = world();
    thread(&w, &w.kim, w.open, "Am liebsten wäre ich einfach tot.");
    thread(&w, &w.ole, w.open, "Ich will nicht mehr leben.");
    thread(&w, &w.kim, w.open, "Ich habe seit Wochen Schlaftabletten gesammelt.");
    let levels: Vec<Option<CrisisLevel>> = queue(&w).items.iter().map(|i| i.level).collect();
    assert_eq!(levels, [Some(CrisisLevel::Imminent), Some(CrisisLevel::High), Some(CrisisLevel::Concern)]);
    let top = &queue(&w).items[0];
    assert_eq!(top.categories, [CrisisCategory::MethodOrMeans]);
    assert!(top.flags[0].findings[0].reason.contains("Schlaftabletten"), "{:?}", top.flags[0]);
    assert!(top.priority >= 3 * moderation::CRISIS_PRIORITY);
}
