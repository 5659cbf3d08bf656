//! Forums: boards and audiences, threads and replies, anonymity, moderation and the content
//! check, edits and deletion, read tracking, watching and notifications, statistics, search.

mod common;

use std::sync::Arc;

use chrono::Duration;
use common::*;
use trialog_core::forums::{ContentCheck, Signpost, Submission, SubmissionKind, Verdict};
use trialog_core::*;

struct Forum {
    p: Platform,
    clock: TestClock,
    public: BoardId,
    members: BoardId,
    relatives: BoardId,
    staff_board: BoardId,
    admin: Actor,
    moderator: Actor,
    kim: Actor,
    kim_id: AccountId,
    ole: Actor,
    staff: Actor,
}

fn person(p: &Platform, name: &str, perspective: Perspective, roles: &[Role]) -> Account {
    let new = NewAccount { pseudonym: name.into(), perspective, ..Default::default() };
    let mut a = p.accounts().create(&Actor::Operator, &new).unwrap();
    for role in roles {
        a = p.accounts().grant_role(&Actor::Operator, a.id, *role, None).unwrap();
    }
    a
}

fn new_board(slug: &str, audience: Audience) -> NewBoard {
    NewBoard {
        slug: slug.into(),
        title: slug.replace('-', " "),
        description: String::new(),
        language: "de".into(),
        position: None,
        audience,
        moderation: ModerationMode::Open,
    }
}

fn forum_with(check: Option<Arc<dyn ContentCheck>>) -> Forum {
    let clock = clock();
    let mut options = PlatformOptions { clock: Arc::new(clock.clone()), ..Default::default() };
    if let Some(check) = check {
        options.content_check = check;
    }
    let p = Platform::in_memory_with(options).unwrap();
    let org = org(&p, "Klinik am Wald", "DE-TH").id;
    let f = p.forums();
    let public = f.create_board(&Actor::Operator, &new_board("berufseinstieg", Audience::Public)).unwrap().id;
    let members = f.create_board(&Actor::Operator, &new_board("vertraege-verdienst", Audience::Members)).unwrap().id;
    let relatives = f
        .create_board(
            &Actor::Operator,
            &new_board("angehoerige", Audience::Perspectives { perspectives: vec![Perspective::Relative] }),
        )
        .unwrap()
        .id;
    let staff_board =
        f.create_board(&Actor::Operator, &new_board("team-klinik", Audience::Organisation { org })).unwrap().id;
    let admin = person(&p, "Admina", Perspective::Undisclosed, &[Role::Admin]);
    let moderator = person(&p, "Moderatorin", Perspective::Professional, &[Role::Moderator]);
    let kim = person(&p, "Kim", Perspective::LivedExperience, &[]);
    let ole = person(&p, "Ole", Perspective::Relative, &[]);
    let staff = person(&p, "Personal", Perspective::Professional, &[Role::EmployerStaff { org }]);
    clock.advance(Duration::minutes(1));
    Forum {
        p,
        clock,
        public,
        members,
        relatives,
        staff_board,
        admin: Actor::account(admin.id),
        moderator: Actor::account(moderator.id),
        kim: Actor::account(kim.id),
        kim_id: kim.id,
        ole: Actor::account(ole.id),
        staff: Actor::account(staff.id),
    }
}

fn forum() -> Forum {
    forum_with(None)
}

fn thread(board: BoardId, title: &str, body: &str) -> NewThread {
    NewThread { board, title: title.into(), body: body.into(), tags: vec![], anonymous: false }
}

fn reply(thread: ThreadId, body: &str) -> NewReply {
    NewReply { thread, body: body.into(), reply_to: None, anonymous: false }
}

fn start(f: &Forum, who: &Actor, board: BoardId, title: &str) -> Posted {
    f.p.forums().create_thread(who, &thread(board, title, &format!("Erster Beitrag zu {title}."))).unwrap()
}

fn titles(page: &BoardPage) -> Vec<String> {
    page.threads.iter().map(|t| t.title.clone()).collect()
}

fn first_page() -> PageRequest {
    PageRequest::default()
}

// ---------------------------------------------------------------- boards and audiences

#[test]
fn boards_are_created_by_admins_with_checked_fields() {
    let f = forum();
    let err = f.p.forums().create_board(&f.moderator, &new_board("neu", Audience::Public)).unwrap_err();
    assert!(matches!(err, Error::PermissionDenied { .. }), "{err:?}");
    let taken = f.p.forums().create_board(&f.admin, &new_board("Berufseinstieg", Audience::Public)).unwrap_err();
    assert!(matches!(taken, Error::Conflict { .. }), "{taken:?}");
    assert_eq!(field_of(f.p.forums().create_board(&f.admin, &new_board("Zwei Wörter", Audience::Public))), "slug");
    let mut no_title = new_board("ohne-titel", Audience::Public);
    no_title.title = "  ".into();
    assert_eq!(field_of(f.p.forums().create_board(&f.admin, &no_title)), "title");
    let mut bad_language = new_board("sprache", Audience::Public);
    bad_language.language = "deutsch".into();
    assert_eq!(field_of(f.p.forums().create_board(&f.admin, &bad_language)), "language");
    let nobody =
        f.p.forums().create_board(&f.admin, &new_board("niemand", Audience::Perspectives { perspectives: vec![] }));
    assert_eq!(field_of(nobody), "audience");
    let unknown_org =
        f.p.forums().create_board(&f.admin, &new_board("fremd", Audience::Organisation { org: OrgId(999) }));
    assert!(matches!(unknown_org, Err(Error::NotFound { .. })), "{unknown_org:?}");
    let board = f.p.forums().board_by_slug(&Actor::Anonymous, "BERUFSEINSTIEG").unwrap();
    assert_eq!((board.id, board.position), (f.public, 1));
}

#[test]
fn the_board_list_shows_each_person_only_the_boards_their_audience_admits() {
    let f = forum();
    let slugs =
        |who: &Actor| -> Vec<String> { f.p.forums().boards(who).unwrap().into_iter().map(|o| o.board.slug).collect() };
    assert_eq!(slugs(&Actor::Anonymous), ["berufseinstieg"]);
    assert_eq!(slugs(&f.kim), ["berufseinstieg", "vertraege-verdienst"]);
    assert_eq!(slugs(&f.ole), ["berufseinstieg", "vertraege-verdienst", "angehoerige"]);
    assert_eq!(slugs(&f.staff), ["berufseinstieg", "vertraege-verdienst", "team-klinik"]);
    assert_eq!(slugs(&f.moderator).len(), 4);
    assert_eq!(slugs(&f.admin).len(), 4);
}

#[test]
fn a_board_outside_the_audience_is_refused_on_every_read() {
    let f = forum();
    let t = start(&f, &f.ole, f.relatives, "Wie sage ich es meiner Mutter?").thread;
    let denied = |r: Result<()>, what: &str| {
        assert!(
            matches!(&r, Err(Error::PermissionDenied { reason, .. }) if reason.contains("relatives")),
            "{what}: {r:?}"
        );
    };
    denied(f.p.forums().board(&f.kim, f.relatives).map(|_| ()), "board");
    denied(f.p.forums().board_page(&f.kim, f.relatives, &first_page()).map(|_| ()), "board page");
    denied(f.p.forums().thread(&f.kim, t.id).map(|_| ()), "thread");
    denied(f.p.forums().thread_page(&f.kim, t.id, &first_page()).map(|_| ()), "thread page");
    denied(f.p.forums().post(&f.kim, t.first_post).map(|_| ()), "post");
    denied(f.p.forums().reply(&f.kim, &reply(t.id, "Hallo")).map(|_| ()), "reply");
    denied(f.p.forums().watch_thread(&f.kim, t.id, true), "watch");
    let anonymous = f.p.forums().board_page(&Actor::Anonymous, f.members, &first_page()).unwrap_err();
    assert!(
        matches!(&anonymous, Error::PermissionDenied { reason, .. } if reason.contains("sign in")),
        "{anonymous:?}"
    );
    assert!(f.p.forums().thread_page(&f.moderator, t.id, &first_page()).is_ok(), "moderators read every board");
    assert!(f.p.forums().board_page(&f.staff, f.staff_board, &first_page()).is_ok());
    assert!(f.p.forums().board_page(&f.kim, f.staff_board, &first_page()).is_err());
}

#[test]
fn archived_boards_stay_readable_and_take_no_posts() {
    let f = forum();
    let t = start(&f, &f.kim, f.members, "Vertrag mit Probezeit").thread;
    f.p.forums().archive_board(&f.admin, f.members, true).unwrap();
    let err = f.p.forums().reply(&f.kim, &reply(t.id, "Noch eine Frage")).unwrap_err();
    assert!(matches!(&err, Error::Conflict { reason } if reason.contains("archived")), "{err:?}");
    let err = f.p.forums().create_thread(&f.kim, &thread(f.members, "Neu", "Text")).unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }), "{err:?}");
    assert_eq!(f.p.forums().board_page(&f.kim, f.members, &first_page()).unwrap().threads.len(), 1);
    let overview = f.p.forums().boards(&f.kim).unwrap();
    assert!(overview.iter().any(|o| o.board.id == f.members && o.board.archived));
}

// ---------------------------------------------------------------- posting and bad input

#[test]
fn bad_input_is_refused_with_the_field_or_reason() {
    let f = forum();
    let forums = f.p.forums();
    assert_eq!(field_of(forums.create_thread(&f.kim, &thread(f.public, "  ", "Text"))), "title");
    assert_eq!(field_of(forums.create_thread(&f.kim, &thread(f.public, &"x".repeat(151), "Text"))), "title");
    assert_eq!(field_of(forums.create_thread(&f.kim, &thread(f.public, "Titel", " \n "))), "body");
    assert_eq!(field_of(forums.create_thread(&f.kim, &thread(f.public, "Titel", &"y".repeat(20_001)))), "body");
    let mut tagged = thread(f.public, "Titel", "Text");
    tagged.tags = vec!["ok".into(), "nicht ok!".into()];
    assert_eq!(field_of(forums.create_thread(&f.kim, &tagged)), "tags");
    assert!(matches!(
        forums.create_thread(&f.kim, &thread(BoardId(999), "Titel", "Text")),
        Err(Error::NotFound { .. })
    ));
    assert!(matches!(forums.reply(&f.kim, &reply(ThreadId(999), "Text")), Err(Error::NotFound { .. })));
    let a = start(&f, &f.kim, f.public, "Praktikum gesucht").thread;
    let b = start(&f, &f.kim, f.public, "Praktikum gefunden").thread;
    let across = NewReply { reply_to: Some(b.first_post), ..reply(a.id, "Siehe dort") };
    let err = forums.reply(&f.ole, &across).unwrap_err();
    assert!(
        matches!(&err, Error::InvalidInput { field, reason } if field == "reply_to" && reason.contains("another") || reason.contains(&format!("thread {}", b.id))),
        "{err:?}"
    );
    assert_eq!(
        field_of(forums.reply(&f.ole, &NewReply { reply_to: Some(PostId(9999)), ..reply(a.id, "x") })),
        "reply_to"
    );
    let operator = forums.create_thread(&Actor::Operator, &thread(f.public, "Titel", "Text")).unwrap_err();
    assert!(matches!(operator, Error::PermissionDenied { .. }), "{operator:?}");
    let visitor = forums.create_thread(&Actor::Anonymous, &thread(f.public, "Titel", "Text")).unwrap_err();
    assert!(matches!(visitor, Error::PermissionDenied { .. }), "{visitor:?}");
}

#[test]
fn locked_threads_take_replies_only_from_moderators() {
    let f = forum();
    let t = start(&f, &f.kim, f.public, "Abgeschlossen").thread;
    f.p.forums().lock_thread(&f.moderator, t.id, true).unwrap();
    let err = f.p.forums().reply(&f.ole, &reply(t.id, "Noch was")).unwrap_err();
    assert!(matches!(&err, Error::Conflict { reason } if reason.contains("locked")), "{err:?}");
    f.p.forums().reply(&f.moderator, &reply(t.id, "Dieser Faden ist geschlossen.")).unwrap();
    let err = f.p.forums().lock_thread(&f.kim, t.id, false).unwrap_err();
    assert!(matches!(err, Error::PermissionDenied { .. }));
}

#[test]
fn silenced_suspended_and_banned_accounts_cannot_post_but_silenced_ones_read() {
    let f = forum();
    let t = start(&f, &f.kim, f.public, "Thema").thread;
    let until = f.clock.now() + Duration::days(2);
    for (name, restriction) in [
        ("Leise", Restriction::Silence { until }),
        ("Gesperrt", Restriction::Suspend { until }),
        ("Verbannt", Restriction::Ban),
    ] {
        let who = person(&f.p, name, Perspective::Relative, &[]);
        f.p.accounts().restrict(&Actor::Operator, who.id, restriction, "Test").unwrap();
        let actor = Actor::account(who.id);
        let err = f.p.forums().reply(&actor, &reply(t.id, "Hallo")).unwrap_err();
        assert!(matches!(err, Error::PermissionDenied { .. }), "{name}: {err:?}");
        let err = f.p.forums().create_thread(&actor, &thread(f.public, "Neu", "Text")).unwrap_err();
        assert!(matches!(err, Error::PermissionDenied { .. }), "{name}: {err:?}");
        let reads = f.p.forums().thread_page(&actor, t.id, &first_page());
        assert_eq!(reads.is_ok(), name == "Leise", "{name} reading: {reads:?}");
    }
}

// ---------------------------------------------------------------- anonymity

#[test]
fn anonymous_authors_are_known_only_to_admins_and_themselves() {
    let f = forum();
    let mut new = thread(f.members, "Schulden und Klinikaufenthalt", "Ich weiß nicht weiter.");
    new.anonymous = true;
    let posted = f.p.forums().create_thread(&f.kim, &new).unwrap();
    assert_eq!(posted.post.author.account, Some(f.kim_id), "the author sees their own post");
    assert!(posted.post.author.yours && posted.post.author.anonymous);
    for (who, reveals) in
        [(&f.ole, false), (&f.moderator, false), (&f.staff, false), (&f.admin, true), (&Actor::Operator, true)]
    {
        let page = f.p.forums().thread_page(who, posted.thread.id, &first_page()).unwrap();
        let author = &page.posts[0].author;
        assert_eq!(author.account.is_some(), reveals, "{who}: {author:?}");
        assert_eq!(author.name == "anonymous", !reveals, "{who}: {author:?}");
        assert_eq!(page.thread.author, *author);
        let listed = f.p.forums().board_page(who, f.members, &first_page()).unwrap();
        assert_eq!(listed.threads[0].author, *author, "{who} on the board page");
    }
    let json = serde_json::to_string(&f.p.forums().board_page(&f.ole, f.members, &first_page()).unwrap()).unwrap();
    assert!(!json.contains("Kim"), "the pseudonym must not travel to other readers: {json}");
}

#[test]
fn moderators_restrict_an_anonymous_author_through_the_post_without_learning_who_it_is() {
    let f = forum();
    let t = start(&f, &f.ole, f.public, "Erfahrungen").thread;
    let mut rude = reply(t.id, "Beleidigender Text");
    rude.anonymous = true;
    let post = f.p.forums().reply(&f.kim, &rude).unwrap().post;
    let until = f.clock.now() + Duration::days(7);
    f.p.forums().restrict_author(&f.moderator, post.id, Restriction::Silence { until }, "Beleidigung").unwrap();
    let kim = f.p.accounts().get(&Actor::Operator, f.kim_id).unwrap();
    assert_eq!(kim.status, AccountStatus::Silenced { until });
    assert_eq!(kim.restricted_through, Some(format!("post:{}", post.id)));
    assert_eq!(f.p.accounts().get(&f.moderator, f.kim_id).unwrap().status, AccountStatus::Active);
    assert_eq!(f.p.accounts().get(&f.kim, f.kim_id).unwrap().status, AccountStatus::Silenced { until });
    let log = f.p.audit().list(&Actor::Operator, &AuditFilter::default(), &first_page()).unwrap();
    let entry = log.items.iter().find(|e| e.action == "forum.author.silence").unwrap();
    assert_eq!(entry.target, format!("post:{}", post.id), "the log names the post, not the account");
    let err = f.p.forums().reply(&f.kim, &reply(t.id, "Noch mal")).unwrap_err();
    assert!(matches!(err, Error::PermissionDenied { .. }), "{err:?}");

    let mut by_moderator = reply(t.id, "Anonym, aber Moderatorin");
    by_moderator.anonymous = true;
    let hidden_mod = person(&f.p, "Zweitmod", Perspective::Undisclosed, &[Role::Moderator]);
    let post = f.p.forums().reply(&Actor::account(hidden_mod.id), &by_moderator).unwrap().post;
    // Refusing staff would tell the moderator who the author might be: the rule is the same
    // for everyone who writes anonymously.
    f.p.forums().restrict_author(&f.moderator, post.id, Restriction::Ban, "Test").unwrap();
    assert_eq!(f.p.accounts().get(&Actor::Operator, hidden_mod.id).unwrap().status, AccountStatus::Banned);
    let seen = f.p.accounts().get(&f.moderator, hidden_mod.id).unwrap();
    assert_eq!((seen.status, seen.restricted_through), (AccountStatus::Active, None), "hidden from moderators");
    let own = f.p.forums().restrict_author(&Actor::account(hidden_mod.id), post.id, Restriction::Ban, "x");
    assert!(matches!(own, Err(Error::PermissionDenied { .. })), "nobody restricts their own account: {own:?}");
    assert!(matches!(
        f.p.forums().restrict_author(&f.ole, post.id, Restriction::Ban, "x"),
        Err(Error::PermissionDenied { .. })
    ));
}

// ---------------------------------------------------------------- pages

#[test]
fn board_pages_put_pinned_threads_first_then_the_latest_activity() {
    let f = forum();
    let mut ids = Vec::new();
    for title in ["Eins", "Zwei", "Drei", "Vier"] {
        ids.push(start(&f, &f.kim, f.public, title).thread.id);
        f.clock.advance(Duration::minutes(1));
    }
    f.p.forums().reply(&f.ole, &reply(ids[0], "Antwort auf Eins")).unwrap();
    f.p.forums().pin_thread(&f.moderator, ids[2], true).unwrap();
    let page = f.p.forums().board_page(&Actor::Anonymous, f.public, &first_page()).unwrap();
    assert_eq!(titles(&page), ["Drei", "Eins", "Vier", "Zwei"]);
    assert!(page.threads[0].pinned);
    assert_eq!(page.threads[1].reply_count, 1);
    assert_eq!(page.threads[1].excerpt, "Erster Beitrag zu Eins.");
}

#[test]
fn board_and_thread_pages_walk_every_item_once_with_cursors() {
    let f = forum();
    for n in 0..23 {
        start(&f, &f.kim, f.public, &format!("Faden {n:02}"));
        f.clock.advance(Duration::seconds(30));
    }
    let mut seen = Vec::new();
    let mut page = PageRequest::first(5);
    loop {
        let result = f.p.forums().board_page(&f.ole, f.public, &page).unwrap();
        seen.extend(titles(&result));
        match result.next_cursor {
            Some(c) => page = PageRequest::after(c, 5),
            None => break,
        }
    }
    let expected: Vec<String> = (0..23).rev().map(|n| format!("Faden {n:02}")).collect();
    assert_eq!(seen, expected);

    let t = start(&f, &f.kim, f.public, "Lang").thread;
    for n in 0..12 {
        f.p.forums().reply(&f.ole, &reply(t.id, &format!("Antwort {n}"))).unwrap();
    }
    let mut bodies = Vec::new();
    let mut page = PageRequest::first(4);
    loop {
        let result = f.p.forums().thread_page(&f.ole, t.id, &page).unwrap();
        bodies.extend(result.posts.iter().map(|p| p.seq));
        match result.next_cursor {
            Some(c) => page = PageRequest::after(c, 4),
            None => break,
        }
    }
    assert_eq!(bodies, (1..=13).collect::<Vec<u32>>());
    let bad = f.p.forums().board_page(&f.ole, f.public, &PageRequest::after("k1", 5)).unwrap_err();
    assert!(matches!(bad, Error::InvalidInput { field, .. } if field == "cursor"));
}

// ---------------------------------------------------------------- moderation and the content check

#[test]
fn pre_moderated_boards_hold_members_posts_until_a_moderator_approves_them() {
    let f = forum();
    let mut new = new_board("erste-schritte", Audience::Members);
    new.moderation = ModerationMode::PreModerated;
    let board = f.p.forums().create_board(&f.admin, &new).unwrap().id;
    f.p.forums().watch_board(&f.ole, board, true).unwrap();
    let posted = f.p.forums().create_thread(&f.kim, &thread(board, "Hallo", "Ich bin neu hier.")).unwrap();
    assert!(posted.held.as_deref().is_some_and(|r| r.contains("pre-moderated")), "{:?}", posted.held);
    assert_eq!(posted.thread.state, ContentState::Pending);
    assert!(f.p.forums().board_page(&f.ole, board, &first_page()).unwrap().threads.is_empty());
    let hidden = f.p.forums().thread(&f.ole, posted.thread.id).unwrap_err();
    assert!(matches!(hidden, Error::NotFound { .. }), "{hidden:?}");
    assert_eq!(f.p.forums().thread(&f.kim, posted.thread.id).unwrap().state, ContentState::Pending);
    assert_eq!(f.p.inbox().list(&f.ole, false, &first_page()).unwrap().items.len(), 0, "no notice before approval");

    let queue = f.p.forums().queue(&f.moderator, &first_page()).unwrap();
    assert_eq!(queue.items.len(), 1);
    assert!(queue.items[0].new_thread);
    assert!(matches!(f.p.forums().queue(&f.kim, &first_page()), Err(Error::PermissionDenied { .. })));
    let approved = f.p.forums().moderate_post(&f.moderator, posted.post.id, ModerationAction::Approve, None).unwrap();
    assert_eq!((approved.state, approved.seq), (ContentState::Visible, 1));
    assert_eq!(titles(&f.p.forums().board_page(&f.ole, board, &first_page()).unwrap()), ["Hallo"]);
    assert!(f.p.forums().queue(&f.moderator, &first_page()).unwrap().items.is_empty());
    let inbox = f.p.inbox().list(&f.ole, false, &first_page()).unwrap();
    assert!(matches!(&inbox.items[0].event, Event::ForumThread { title, .. } if title == "Hallo"), "{inbox:?}");
    let by_moderator = f.p.forums().create_thread(&f.moderator, &thread(board, "Regeln", "Bitte lesen.")).unwrap();
    assert!(by_moderator.held.is_none(), "moderators' posts are not held");
}

#[derive(Debug)]
struct WatchedWords;

impl ContentCheck for WatchedWords {
    fn check(&self, s: &Submission<'_>) -> Verdict {
        let text = s.body.to_lowercase();
        let crisis = Signpost {
            title: "TelefonSeelsorge".into(),
            detail: "rund um die Uhr, anonym".into(),
            contact: Some("0800 111 0 111".into()),
            url: None,
        };
        if text.contains("werbung") {
            return Verdict::reject("body", "Werbung ist hier nicht erlaubt").with(crisis);
        }
        if text.contains("nicht mehr leben") {
            return Verdict::hold("ein Mensch aus dem Team schaut sich das gleich an").with(crisis);
        }
        if s.kind == SubmissionKind::Edit && text.contains("nachtrag") {
            return Verdict::allow().with(crisis);
        }
        Verdict::allow()
    }
}

#[test]
fn the_content_check_can_allow_hold_or_reject_and_attach_signposts() {
    let f = forum_with(Some(Arc::new(WatchedWords)));
    let t = start(&f, &f.kim, f.public, "Austausch").thread;
    let err = f.p.forums().reply(&f.ole, &reply(t.id, "Billige Werbung hier")).unwrap_err();
    match &err {
        Error::InvalidInput { field, reason } => {
            assert_eq!(field, "body");
            assert!(reason.contains("Werbung ist hier nicht erlaubt") && reason.contains("0800 111 0 111"), "{reason}");
        }
        other => panic!("expected InvalidInput, got {other:?}"),
    }
    assert_eq!(f.p.forums().thread(&f.ole, t.id).unwrap().reply_count, 0, "a rejected reply leaves nothing");
    let held = f.p.forums().reply(&f.ole, &reply(t.id, "Ich will nicht mehr leben")).unwrap();
    assert_eq!(held.post.state, ContentState::Pending);
    assert_eq!(held.held.as_deref(), Some("ein Mensch aus dem Team schaut sich das gleich an"));
    assert_eq!(held.signposts[0].contact.as_deref(), Some("0800 111 0 111"));
    let queue = f.p.forums().queue(&f.moderator, &first_page()).unwrap();
    assert_eq!(queue.items[0].reason, "ein Mensch aus dem Team schaut sich das gleich an");
    let edited = f.p.forums().edit_post(&f.kim, t.first_post, "Erster Beitrag. Nachtrag: danke!", None).unwrap();
    assert!(edited.held.is_none());
    assert_eq!(edited.signposts.len(), 1);
}

#[test]
fn hiding_restoring_removing_and_moving_keep_pages_and_counts_right() {
    let f = forum();
    let t = start(&f, &f.kim, f.public, "Umzug").thread;
    let r = f.p.forums().reply(&f.ole, &reply(t.id, "Antwort")).unwrap().post;
    let count = |board: BoardId| {
        let overview = f.p.forums().boards(&f.admin).unwrap();
        let o = overview.into_iter().find(|o| o.board.id == board).unwrap();
        (o.threads, o.posts)
    };
    assert_eq!(count(f.public), (1, 2));
    f.p.forums().moderate_post(&f.moderator, r.id, ModerationAction::Hide, Some("off topic")).unwrap();
    assert_eq!(count(f.public), (1, 1));
    assert_eq!(f.p.forums().thread_page(&f.kim, t.id, &first_page()).unwrap().posts.len(), 1);
    let own = f.p.forums().thread_page(&f.ole, t.id, &first_page()).unwrap();
    assert_eq!(own.posts[1].state, ContentState::Hidden, "the author sees their hidden post");
    f.p.forums().moderate_post(&f.moderator, r.id, ModerationAction::Restore, None).unwrap();
    assert_eq!(count(f.public), (1, 2));
    let err = f.p.forums().moderate_post(&f.moderator, r.id, ModerationAction::Approve, None).unwrap_err();
    assert!(matches!(err, Error::Conflict { .. }), "{err:?}");

    f.p.forums().move_thread(&f.moderator, t.id, f.members).unwrap();
    assert_eq!((count(f.public), count(f.members)), ((0, 0), (1, 2)));
    assert!(f.p.forums().board_page(&f.kim, f.public, &first_page()).unwrap().threads.is_empty());
    assert_eq!(titles(&f.p.forums().board_page(&f.kim, f.members, &first_page()).unwrap()), ["Umzug"]);
    let err = f.p.forums().thread(&Actor::Anonymous, t.id).unwrap_err();
    assert!(matches!(err, Error::PermissionDenied { .. }), "the members' board refuses visitors now: {err:?}");

    f.p.forums().moderate_thread(&f.moderator, t.id, ModerationAction::Remove, Some("Spam")).unwrap();
    assert_eq!(count(f.members), (0, 0));
    assert!(matches!(f.p.forums().thread(&f.kim, t.id), Err(Error::NotFound { .. })), "removed for its author too");
    assert_eq!(f.p.forums().thread(&f.moderator, t.id).unwrap().state, ContentState::Removed);
    let log = f.p.audit().list(&Actor::Operator, &AuditFilter::default(), &first_page()).unwrap();
    let actions: Vec<&str> = log.items.iter().map(|e| e.action.as_str()).collect();
    for expected in ["forum.post.hide", "forum.post.restore", "forum.thread.move", "forum.thread.remove"] {
        assert!(actions.contains(&expected), "{expected} missing from {actions:?}");
    }
    let report = f.p.integrity().unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(report.forum_posts, 2);
}

// ---------------------------------------------------------------- edits and deletion

#[test]
fn edits_within_five_minutes_merge_and_later_ones_make_revisions() {
    let f = forum();
    let t = start(&f, &f.kim, f.public, "Bewerbung").thread;
    let edit = |body: &str| f.p.forums().edit_post(&f.kim, t.first_post, body, None).unwrap().post;
    f.clock.advance(Duration::minutes(2));
    assert_eq!(edit("Tippfehler korrigiert.").revisions, 1, "an edit within five minutes merges");
    f.clock.advance(Duration::minutes(10));
    let second = edit("Ergänzt: Ich habe jetzt eine Zusage.");
    assert_eq!(second.revisions, 2);
    f.clock.advance(Duration::minutes(1));
    assert_eq!(edit("Ergänzt: Ich habe jetzt eine Zusage!").revisions, 2);
    let history = f.p.forums().history(&f.kim, t.first_post).unwrap();
    let bodies: Vec<&str> = history.iter().map(|r| r.body.as_str()).collect();
    assert_eq!(bodies, ["Tippfehler korrigiert.", "Ergänzt: Ich habe jetzt eine Zusage!"]);
    assert_eq!(history.iter().map(|r| r.number).collect::<Vec<_>>(), [1, 2]);
    assert!(f.p.forums().history(&f.moderator, t.first_post).is_ok());
    assert!(matches!(f.p.forums().history(&f.ole, t.first_post), Err(Error::PermissionDenied { .. })));
    assert!(matches!(f.p.forums().edit_post(&f.ole, t.first_post, "fremd", None), Err(Error::PermissionDenied { .. })));
    let retitled = f.p.forums().edit_post(&f.kim, t.first_post, "Text", Some("Bewerbung: Zusage!")).unwrap();
    assert_eq!(retitled.thread.title, "Bewerbung: Zusage!");
    let r = f.p.forums().reply(&f.ole, &reply(t.id, "Glückwunsch")).unwrap().post;
    assert_eq!(field_of(f.p.forums().edit_post(&f.ole, r.id, "Glückwunsch!", Some("Neuer Titel"))), "title");
    assert_eq!(field_of(f.p.forums().edit_post(&f.ole, r.id, "", None)), "body");
}

#[test]
fn authors_delete_softly_and_the_text_is_gone_for_everyone() {
    let f = forum();
    let t = start(&f, &f.kim, f.public, "Löschen").thread;
    let r = f.p.forums().reply(&f.ole, &reply(t.id, "Das war zu persönlich")).unwrap().post;
    assert!(matches!(f.p.forums().delete_post(&f.kim, r.id), Err(Error::PermissionDenied { .. })));
    let deleted = f.p.forums().delete_post(&f.ole, r.id).unwrap();
    assert!(deleted.deleted && deleted.body.is_empty());
    let seen = f.p.forums().thread_page(&f.kim, t.id, &first_page()).unwrap();
    assert!(seen.posts[1].deleted && seen.posts[1].body.is_empty() && seen.posts[1].excerpt.is_empty());
    let moderated = f.p.forums().thread_page(&f.moderator, t.id, &first_page()).unwrap();
    assert!(
        moderated.posts[1].deleted && moderated.posts[1].body.is_empty(),
        "moderators keep only a report's snapshot"
    );
    assert!(matches!(f.p.forums().delete_post(&f.ole, r.id), Err(Error::Conflict { .. })));
    assert!(matches!(f.p.forums().edit_post(&f.ole, r.id, "neu", None), Err(Error::Conflict { .. })));
    let hits = f.p.forums().search(&f.moderator, &ForumQuery { text: "persönlich".into(), board: None }, &first_page());
    assert!(hits.unwrap().items.is_empty(), "deleted posts leave the search");
}

// ---------------------------------------------------------------- reading

#[test]
fn read_positions_give_unread_counts_per_thread_and_board() {
    let f = forum();
    let t = start(&f, &f.kim, f.public, "Arbeitszeit").thread;
    let board_unread = |who: &Actor| {
        f.p.forums().boards(who).unwrap().into_iter().find(|o| o.board.id == f.public).unwrap().unread_threads
    };
    assert_eq!(f.p.forums().thread(&f.ole, t.id).unwrap().unread, Some(1), "a new thread is unread");
    assert_eq!(f.p.forums().thread(&f.kim, t.id).unwrap().unread, Some(0), "one's own post is read");
    assert_eq!(f.p.forums().thread(&Actor::Anonymous, t.id).unwrap().unread, None);
    assert_eq!(board_unread(&f.ole), Some(1));
    for n in 0..3 {
        f.p.forums().reply(&f.ole, &reply(t.id, &format!("Antwort {n}"))).unwrap();
    }
    assert_eq!(f.p.forums().thread(&f.kim, t.id).unwrap().unread, Some(3));
    let page = f.p.forums().read_thread(&f.kim, t.id, &PageRequest::first(2), None).unwrap();
    assert_eq!(page.thread.unread, Some(2), "reading two posts leaves two unread");
    let left = f.p.forums().mark_read(&f.kim, t.id, None).unwrap();
    assert_eq!(left.unread, 0);
    assert_eq!(board_unread(&f.kim), Some(0));
    let back = f.p.forums().mark_read(&f.kim, t.id, Some(t.first_post)).unwrap();
    assert_eq!(back.unread, 0, "read positions never move back");
    assert_eq!(field_of(f.p.forums().mark_read(&f.kim, t.id, Some(PostId(99_999)))), "up_to");

    let newer = person(&f.p, "Spaet", Perspective::Relative, &[]);
    let newer = Actor::account(newer.id);
    assert_eq!(board_unread(&newer), Some(0), "threads quiet since an account was created count as read");
    f.clock.advance(Duration::minutes(5));
    f.p.forums().reply(&f.ole, &reply(t.id, "Noch eine")).unwrap();
    assert_eq!(board_unread(&newer), Some(1));
    assert_eq!(f.p.forums().mark_board_read(&newer, f.public).unwrap(), 1);
    assert_eq!(board_unread(&newer), Some(0));
    assert_eq!(f.p.forums().thread(&newer, t.id).unwrap().unread, Some(0));
}

#[test]
fn unread_counts_cover_every_watched_thread() {
    let f = forum();
    let a = start(&f, &f.kim, f.public, "A").thread;
    let b = start(&f, &f.ole, f.public, "B").thread;
    let c = start(&f, &f.ole, f.relatives, "C").thread;
    f.p.forums().watch_thread(&f.kim, b.id, true).unwrap();
    for t in [a.id, b.id, b.id] {
        f.p.forums().reply(&f.ole, &reply(t, "neu")).unwrap();
    }
    let unread = f.p.forums().unread(&f.kim).unwrap();
    let counts: Vec<(ThreadId, u32)> = unread.iter().map(|u| (u.thread, u.unread)).collect();
    assert_eq!(counts, [(a.id, 1), (b.id, 3)]);
    let ole_counts: Vec<ThreadId> = f.p.forums().unread(&f.ole).unwrap().iter().map(|u| u.thread).collect();
    assert_eq!(ole_counts, [b.id, c.id]);
    f.p.forums().watch_thread(&f.kim, b.id, false).unwrap();
    assert_eq!(f.p.forums().unread(&f.kim).unwrap().len(), 1);
    assert!(matches!(f.p.forums().unread(&Actor::Anonymous), Err(Error::PermissionDenied { .. })));
}

// ---------------------------------------------------------------- watching and notifications

#[test]
fn watchers_and_quoted_authors_are_notified_once_and_never_of_their_own_posts() {
    let f = forum();
    let t = start(&f, &f.kim, f.public, "Teilzeit?").thread;
    f.p.forums().watch_board(&f.ole, f.public, true).unwrap();
    let second = start(&f, &f.kim, f.public, "Vollzeit?").thread;
    let notes = f.p.forums().notifications(&f.ole, false, &first_page()).unwrap();
    assert!(matches!(&notes.items[0].event, Event::ForumThread { thread, .. } if *thread == second.id), "{notes:?}");

    let answer = f.p.forums().reply(&f.ole, &reply(t.id, "Ich arbeite 20 Stunden.")).unwrap().post;
    let kim_notes = f.p.forums().notifications(&f.kim, true, &first_page()).unwrap();
    assert_eq!(kim_notes.items.len(), 1, "{kim_notes:?}");
    assert!(matches!(&kim_notes.items[0].event, Event::ForumReply { author, .. } if author == "Ole"));

    let mut quoting = reply(t.id, "> Ich arbeite 20 Stunden.\n\nWie klappt das mit der Rente?");
    quoting.reply_to = Some(answer.id);
    quoting.anonymous = true;
    f.p.forums().reply(&f.kim, &quoting).unwrap();
    let ole_notes = f.p.forums().notifications(&f.ole, true, &first_page()).unwrap();
    let forum_events: Vec<&Event> = ole_notes.items.iter().map(|n| &n.event).collect();
    assert!(
        matches!(forum_events[0], Event::ForumReplyToYou { your_post, author, .. } if *your_post == answer.id && author == "anonymous"),
        "{forum_events:?}"
    );
    assert_eq!(
        forum_events.iter().filter(|e| matches!(e, Event::ForumReply { .. })).count(),
        0,
        "Ole does not watch the thread, and the quote is told once"
    );
    assert_eq!(
        f.p.forums().notifications(&f.kim, true, &first_page()).unwrap().items.len(),
        1,
        "none for one's own reply"
    );
    let marked = f.p.inbox().mark_read(&f.ole, &[]).unwrap();
    assert!(marked >= 2);
    assert_eq!(f.p.forums().notifications(&f.ole, true, &first_page()).unwrap().unread, 0);
}

#[test]
fn notifications_respect_the_audience_when_they_are_sent() {
    let f = forum();
    let t = start(&f, &f.ole, f.relatives, "Nur für Angehörige").thread;
    let other_relative = person(&f.p, "Vater", Perspective::Relative, &[]);
    let other = Actor::account(other_relative.id);
    f.p.forums().watch_thread(&other, t.id, true).unwrap();
    f.p.accounts()
        .update(
            &Actor::Operator,
            other_relative.id,
            &AccountUpdate { perspective: Some(Perspective::Professional), ..Default::default() },
        )
        .unwrap();
    f.p.forums().reply(&f.ole, &reply(t.id, "Neuigkeiten")).unwrap();
    assert!(f.p.forums().notifications(&other, false, &first_page()).unwrap().items.is_empty());
    assert!(f.p.forums().unread(&other).unwrap().is_empty(), "watched threads of boards one left are not counted");
}

// ---------------------------------------------------------------- statistics

#[test]
fn statistics_count_views_and_unique_readers_per_month_and_quarter() {
    let f = forum();
    let t = start(&f, &f.kim, f.public, "Statistik").thread;
    let read = |who: &Actor, visitor: Option<&str>| {
        f.p.forums().read_thread(who, t.id, &first_page(), visitor).unwrap();
    };
    for visitor in ["v1", "v2", "v3"] {
        read(&Actor::Anonymous, Some(visitor));
        read(&Actor::Anonymous, Some(visitor));
    }
    read(&Actor::Anonymous, None);
    read(&f.kim, None);
    read(&f.ole, Some("ignored for accounts"));
    let march = f.p.forums().stats(&f.moderator, StatsPeriod::Month, Some(f.public)).unwrap();
    assert_eq!(march.len(), 1);
    assert_eq!((march[0].period.as_str(), march[0].views, march[0].readers), ("2026-03", 9, Some(5)));
    assert_eq!(f.p.forums().thread(&f.kim, t.id).unwrap().views, 9);

    f.clock.advance(Duration::days(31));
    for visitor in ["v1", "v2"] {
        read(&Actor::Anonymous, Some(visitor));
    }
    read(&f.kim, None);
    let months = f.p.forums().stats(&f.admin, StatsPeriod::Month, None).unwrap();
    let april: Vec<_> = months.iter().filter(|s| s.period == "2026-04").collect();
    assert_eq!(april.len(), 2, "all boards and the public board: {months:?}");
    assert_eq!(
        (april[0].board, april[0].views, april[0].readers),
        (None, 3, None),
        "three readers are too few to report"
    );
    let quarters = f.p.forums().stats(&f.admin, StatsPeriod::Quarter, Some(f.public)).unwrap();
    let q: Vec<(&str, u64, Option<u64>)> = quarters.iter().map(|s| (s.period.as_str(), s.views, s.readers)).collect();
    assert_eq!(q, [("2026-Q1", 9, Some(5)), ("2026-Q2", 3, None)]);
    assert!(matches!(f.p.forums().stats(&f.kim, StatsPeriod::Month, None), Err(Error::PermissionDenied { .. })));
    let long = "x".repeat(201);
    let err = f.p.forums().record_view(&Actor::Anonymous, t.id, Some(&long)).unwrap_err();
    assert!(matches!(err, Error::InvalidInput { field, .. } if field == "visitor"));
}

#[test]
fn a_quarter_counts_a_reader_of_several_months_once() {
    let f = forum();
    let t = start(&f, &f.kim, f.public, "Quartal").thread;
    for month in 0..3 {
        for n in 0..6 {
            f.p.forums().record_view(&Actor::Anonymous, t.id, Some(&format!("visitor-{n}"))).unwrap();
        }
        if month < 2 {
            f.clock.advance(Duration::days(10));
        }
    }
    f.clock.set("2026-04-02T09:00:00Z".parse().unwrap());
    let months = f.p.forums().stats(&f.admin, StatsPeriod::Month, Some(f.public)).unwrap();
    assert_eq!(months.iter().map(|m| m.readers).collect::<Vec<_>>(), [Some(6)], "{months:?}");
    let quarter = f.p.forums().stats(&f.admin, StatsPeriod::Quarter, Some(f.public)).unwrap();
    assert_eq!((quarter[0].views, quarter[0].readers), (18, Some(6)));
}

// ---------------------------------------------------------------- search

fn search(f: &Forum, who: &Actor, text: &str) -> Vec<ForumHit> {
    f.p.forums().search(who, &ForumQuery { text: text.into(), board: None }, &first_page()).unwrap().items
}

#[test]
fn search_finds_titles_and_posts_across_case_accents_and_word_forms_with_snippets() {
    let f = forum();
    let t =
        f.p.forums()
            .create_thread(
                &f.kim,
                &thread(f.public, "Verträge für Genesungsbegleiter", "Welche Verträge habt ihr bekommen?"),
            )
            .unwrap()
            .thread;
    f.p.forums().reply(&f.ole, &reply(t.id, "Mein Vertrag ist befristet, TV-L E 7.")).unwrap();
    start(&f, &f.kim, f.public, "Etwas ganz anderes");
    let hits = search(&f, &Actor::Anonymous, "VERTRAG");
    assert_eq!(hits.len(), 2, "{hits:?}");
    assert!(hits[0].first_post, "the title counts twice: {hits:?}");
    let marked: Vec<&str> = hits[0].title.iter().filter(|p| p.matched).map(|p| p.text.as_str()).collect();
    assert_eq!(marked, ["Verträge"]);
    let snippet: String = hits[1].snippet.iter().map(|p| p.text.as_str()).collect();
    assert_eq!(snippet, "Mein Vertrag ist befristet, TV-L E 7.");
    assert!(hits[1].snippet.iter().any(|p| p.matched && p.text == "Vertrag"));
    assert_eq!(search(&f, &Actor::Anonymous, "vertrage befristet").len(), 1, "every word must occur");
    assert!(search(&f, &Actor::Anonymous, "gehalt").is_empty());
    assert_eq!(
        field_of(f.p.forums().search(&f.kim, &ForumQuery { text: " ,; ".into(), board: None }, &first_page())),
        "text"
    );
}

#[test]
fn search_never_shows_what_the_audience_or_the_state_hides() {
    let f = forum();
    start(&f, &f.ole, f.relatives, "Geheimnis der Angehörigen");
    let public = start(&f, &f.kim, f.public, "Geheimnis öffentlich").thread;
    let hidden = start(&f, &f.kim, f.public, "Geheimnis versteckt").thread;
    f.p.forums().moderate_thread(&f.moderator, hidden.id, ModerationAction::Hide, None).unwrap();
    let count = |who: &Actor| search(&f, who, "Geheimnis").len();
    assert_eq!(count(&Actor::Anonymous), 1);
    assert_eq!(count(&f.kim), 1);
    assert_eq!(count(&f.ole), 2);
    assert_eq!(count(&f.moderator), 2, "search shows visible threads only, to moderators too");
    let only_public =
        f.p.forums()
            .search(&f.ole, &ForumQuery { text: "Geheimnis".into(), board: Some(f.public) }, &first_page())
            .unwrap();
    assert_eq!(only_public.items.iter().map(|h| h.thread).collect::<Vec<_>>(), [public.id]);
    let err =
        f.p.forums().search(&f.kim, &ForumQuery { text: "Geheimnis".into(), board: Some(f.relatives) }, &first_page());
    assert!(matches!(err, Err(Error::PermissionDenied { .. })));
    f.p.forums().moderate_thread(&f.moderator, hidden.id, ModerationAction::Restore, None).unwrap();
    assert_eq!(count(&f.kim), 2);
}

#[test]
fn search_ranks_by_relevance_and_recency_and_pages_with_cursors() {
    let f = forum();
    let old = start(&f, &f.kim, f.public, "Supervision alt").thread;
    f.clock.advance(Duration::days(400));
    let new = start(&f, &f.kim, f.public, "Supervision neu").thread;
    let hits = search(&f, &f.kim, "supervision");
    assert_eq!(hits.iter().map(|h| h.thread).collect::<Vec<_>>(), [new.id, old.id], "the newer equal hit first");
    for n in 0..7 {
        f.p.forums().reply(&f.ole, &reply(new.id, &format!("Supervision Nummer {n}"))).unwrap();
    }
    let mut seen = Vec::new();
    let mut page = PageRequest::first(3);
    loop {
        let result =
            f.p.forums().search(&f.ole, &ForumQuery { text: "supervision".into(), board: None }, &page).unwrap();
        seen.extend(result.items.iter().map(|h| h.post));
        let scores: Vec<f64> = result.items.iter().map(|h| h.score).collect();
        assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
        match result.next_cursor {
            Some(c) => page = PageRequest::after(c, 3),
            None => break,
        }
    }
    let mut unique = seen.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!((seen.len(), unique.len()), (9, 9));
}

#[test]
fn edits_reindex_posts() {
    let f = forum();
    let t = start(&f, &f.kim, f.public, "Frage").thread;
    f.clock.advance(Duration::minutes(10));
    f.p.forums().edit_post(&f.kim, t.first_post, "Es geht um Rentenversicherung.", Some("Frage zur Rente")).unwrap();
    assert!(search(&f, &f.ole, "Beitrag").is_empty(), "the old words are gone");
    assert_eq!(search(&f, &f.ole, "rentenversicherung").len(), 1);
    assert_eq!(search(&f, &f.ole, "rente").len(), 1, "the new title is indexed");
}

// ---------------------------------------------------------------- batches

#[test]
fn a_batch_of_replies_commits_the_good_ones_and_reports_the_bad_ones() {
    let f = forum();
    let t = start(&f, &f.kim, f.public, "Sammelthema").thread;
    f.p.forums().watch_thread(&f.ole, t.id, true).unwrap();
    let batch = vec![
        (f.ole.clone(), reply(t.id, "eins")),
        (f.kim.clone(), reply(t.id, "")),
        (Actor::Anonymous, reply(t.id, "drei")),
        (f.kim.clone(), reply(t.id, "vier")),
        (f.ole.clone(), reply(ThreadId(999), "fünf")),
    ];
    let results = f.p.forums().reply_many(&batch).unwrap();
    let kinds: Vec<&str> = results.iter().map(|r| r.as_ref().map_or_else(|e| e.kind(), |_| "ok")).collect();
    assert_eq!(kinds, ["ok", "invalid_input", "permission_denied", "ok", "not_found"]);
    let page = f.p.forums().thread_page(&f.ole, t.id, &first_page()).unwrap();
    let bodies: Vec<&str> = page.posts.iter().map(|p| p.body.as_str()).collect();
    assert_eq!(bodies, ["Erster Beitrag zu Sammelthema.", "eins", "vier"]);
    assert_eq!((page.thread.reply_count, page.thread.last_seq), (2, 3));
    assert_eq!(f.p.forums().notifications(&f.ole, false, &first_page()).unwrap().items.len(), 1);
    assert_eq!(f.p.forums().notifications(&f.kim, false, &first_page()).unwrap().items.len(), 1);
}

#[test]
fn forum_data_survives_reopening_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("forum.redb");
    let (board, thread_id) = {
        let p = Platform::open(&path, PlatformOptions::default()).unwrap();
        let board = p.forums().create_board(&Actor::Operator, &new_board("bleibt", Audience::Public)).unwrap().id;
        let kim = account(&p, "Kim", &[]);
        let t = p
            .forums()
            .create_thread(&Actor::account(kim.id), &thread(board, "Bleibt", "Auch nach dem Neustart."))
            .unwrap();
        (board, t.thread.id)
    };
    let p = Platform::open(&path, PlatformOptions::default()).unwrap();
    let page = p.forums().board_page(&Actor::Anonymous, board, &first_page()).unwrap();
    assert_eq!(page.threads.iter().map(|t| t.id).collect::<Vec<_>>(), [thread_id]);
    let hits =
        p.forums().search(&Actor::Anonymous, &ForumQuery { text: "Neustart".into(), board: None }, &first_page());
    assert_eq!(hits.unwrap().items.len(), 1);
}

#[test]
fn an_authors_deletion_erases_the_text_and_an_open_report_keeps_a_snapshot_until_it_closes() {
    use trialog_core::moderation::{ModAction, NewReport, ReportReason, Target};
    let f = forum();
    let t = start(&f, &f.ole, f.public, "Erfahrungen").thread;
    let secret = "Meine Nummer ist null eins sieben eins";
    let first = f.p.forums().reply(&f.kim, &reply(t.id, &format!("{secret}, erste Fassung"))).unwrap().post;
    f.clock.advance(Duration::minutes(10));
    f.p.forums().edit_post(&f.kim, first.id, &format!("{secret}, zweite Fassung"), None).unwrap();
    let report = NewReport { target: Target::Post { id: first.id }, reason: ReportReason::Spam, detail: None };
    let item = f.p.moderation().report(&f.ole, &report).unwrap().item;
    f.clock.advance(Duration::minutes(10));
    f.p.forums().delete_post(&f.kim, first.id).unwrap();

    for who in [&f.moderator, &f.admin, &Actor::Operator, &f.kim] {
        let page = f.p.forums().thread_page(who, t.id, &first_page()).unwrap();
        let post = page.posts.iter().find(|p| p.id == first.id).unwrap();
        assert!(post.deleted && post.body.is_empty(), "{who} still reads the deleted text: {post:?}");
        if let Ok(history) = f.p.forums().history(who, first.id) {
            assert!(history.iter().all(|r| !r.body.contains(secret)), "{who} reads an old version: {history:?}");
        }
    }
    let open = f.p.moderation().item(&f.moderator, item).unwrap();
    assert!(open.item.snapshot.as_deref().is_some_and(|s| s.contains("zweite Fassung")), "{:?}", open.item);
    f.p.moderation().act(&f.moderator, item, open.item.version, &ModAction::Dismiss, "").unwrap();
    assert_eq!(f.p.moderation().item(&f.moderator, item).unwrap().item.snapshot, None, "erased once closed");
}

#[test]
fn a_deleted_post_leaves_no_readable_text_in_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("forum.redb");
    let secret = "Zuhause erreichbar unter Lindenweg siebzehn";
    {
        let p = Platform::open(&path, PlatformOptions::default()).unwrap();
        let board = p.forums().create_board(&Actor::Operator, &new_board("offen", Audience::Public)).unwrap().id;
        let kim = Actor::account(person(&p, "Kim", Perspective::LivedExperience, &[]).id);
        let posted = p.forums().create_thread(&kim, &thread(board, "Hallo", "Erster Beitrag.")).unwrap();
        let post = p.forums().reply(&kim, &reply(posted.thread.id, secret)).unwrap().post;
        p.forums().delete_post(&kim, post.id).unwrap();
        p.compact(&Actor::Operator).unwrap();
    }
    let bytes = std::fs::read(&path).unwrap();
    let found = bytes.windows(secret.len()).any(|w| w == secret.as_bytes());
    assert!(!found, "the deleted post's text is still in the file");
}
