//! The server's side of device replicas (`trialog_core::sync`): snapshots and the change feed
//! answer only what the account may see, as the read operations project it; queued writes
//! apply at most once.

mod common;

use common::*;
use trialog_core::sync::{Handshake, PROTOCOL, Sent, SyncBatch};
use trialog_core::*;

struct World {
    p: Platform,
    member: Actor,
    moderator: Actor,
    staff: Actor,
    open: Board,
    hidden: Board,
}

fn world() -> World {
    let clock = clock();
    let p = platform_with(&clock);
    let staff_org = org(&p, "Klinik Nord", "DE-TH");
    let member = Actor::account(account(&p, "Kim_aus_Jena", &[Role::Member]).id);
    let moderator = Actor::account(account(&p, "Mod_Ute", &[Role::Member, Role::Moderator]).id);
    let staff = Actor::account(account(&p, "Pfleger_Tom", &[Role::EmployerStaff { org: staff_org.id }]).id);
    let open = members_board(&p, "alltag", ModerationMode::Open);
    let hidden = p
        .forums()
        .create_board(
            &Actor::Operator,
            &NewBoard {
                slug: "team".into(),
                title: "Team intern".into(),
                description: String::new(),
                language: "de".into(),
                position: None,
                audience: Audience::Organisation { org: staff_org.id },
                moderation: ModerationMode::Open,
            },
        )
        .unwrap();
    World { p, member, moderator, staff, open, hidden }
}

fn thread(p: &Platform, actor: &Actor, board: BoardId, title: &str, anonymous: bool) -> Posted {
    let new = NewThread { board, title: title.into(), body: format!("{title}: body"), tags: vec![], anonymous };
    p.forums().create_thread(actor, &new).unwrap()
}

fn sync(p: &Platform, actor: &Actor, since: Option<u64>) -> SyncBatch {
    p.syncing().changes(actor, since).unwrap()
}

#[test]
fn a_snapshot_holds_only_visible_boards_and_projected_authors() {
    let w = world();
    thread(&w.p, &w.moderator, w.open.id, "Schlaf", true);
    thread(&w.p, &w.staff, w.hidden.id, "Dienstplan", false);
    let batch = sync(&w.p, &w.member, None);
    assert!(batch.snapshot);
    let boards: Vec<BoardId> = batch.boards.unwrap().iter().map(|b| b.board.id).collect();
    assert_eq!(boards, vec![w.open.id]);
    assert_eq!(batch.threads.len(), 1);
    let author = &batch.threads[0].thread.author;
    assert_eq!((author.account, author.anonymous), (None, true));
    let text = serde_json::to_string(&batch.threads).unwrap();
    assert!(!text.contains("Mod_Ute") && !text.contains("Dienstplan"), "{text}");
    assert!(batch.crisis_resources.unwrap().iter().all(|r| r.verified));
}

#[test]
fn changes_after_a_cursor_carry_new_posts_and_removals_as_tombstones() {
    let w = world();
    let first = sync(&w.p, &w.member, None);
    let posted = thread(&w.p, &w.moderator, w.open.id, "Schlaf", false);
    thread(&w.p, &w.staff, w.hidden.id, "Dienstplan", false);
    let reply =
        w.p.forums()
            .reply(
                &w.member,
                &NewReply { thread: posted.thread.id, body: "Mir hilft Tee.".into(), reply_to: None, anonymous: false },
            )
            .unwrap();
    let next = sync(&w.p, &w.member, Some(first.cursor));
    assert!(!next.snapshot && next.cursor > first.cursor);
    let threads: Vec<ThreadId> = next.threads.iter().map(|t| t.thread.id).collect();
    assert_eq!(threads, vec![posted.thread.id], "the hidden board's thread never appears");
    assert!(next.threads[0].posts.iter().any(|p| p.id == reply.post.id));
    assert!(next.removed_threads.len() == 1, "the hidden thread is only an id: {:?}", next.removed_threads);
    // Nothing new: the cursor stays.
    assert_eq!(sync(&w.p, &w.member, Some(next.cursor)).cursor, next.cursor);
    w.p.forums().moderate_post(&w.moderator, reply.post.id, ModerationAction::Remove, Some("off topic")).unwrap();
    let after = sync(&w.p, &w.member, Some(next.cursor));
    let kept_reply = after.threads.iter().flat_map(|t| &t.posts).any(|p| p.id == reply.post.id)
        || after.posts.iter().any(|p| p.id == reply.post.id);
    assert!(!kept_reply && after.removed_posts.contains(&reply.post.id), "{after:?}");
}

#[test]
fn a_cursor_older_than_the_feed_asks_for_a_snapshot_and_a_future_one_is_refused() {
    let w = world();
    let start = sync(&w.p, &w.member, None).cursor;
    for i in 0..3 {
        thread(&w.p, &w.moderator, w.open.id, &format!("Faden {i}"), false);
    }
    assert!(!sync(&w.p, &w.member, Some(start)).resnapshot);
    let head = sync(&w.p, &w.member, Some(start)).cursor;
    assert!(
        matches!(w.p.syncing().changes(&w.member, Some(head + 10)), Err(Error::InvalidInput { field, .. }) if field == "since")
    );
    assert!(matches!(w.p.syncing().changes(&Actor::Anonymous, None), Err(Error::PermissionDenied { .. })));
}

#[test]
fn a_queued_write_applies_at_most_once_and_a_refusal_keeps_its_reason() {
    let w = world();
    let mut runs = 0;
    let mut send = |id: &str, ok: bool| {
        w.p.syncing()
            .send_once(&w.member, id, || {
                runs += 1;
                if ok {
                    Ok(serde_json::json!({ "n": runs }))
                } else {
                    Err(Error::denied("reply", "the thread is locked"))
                }
            })
            .unwrap()
    };
    let first = send("6f1c0d2e-0000-4000-8000-000000000001", true);
    let again = send("6f1c0d2e-0000-4000-8000-000000000001", true);
    assert_eq!(first, again);
    assert!(matches!(first, Sent::Applied { .. }));
    let refused = send("6f1c0d2e-0000-4000-8000-000000000002", false);
    assert!(matches!(refused, Sent::Refused { ref reason, .. } if reason.contains("locked")), "{refused:?}");
    assert_eq!(runs, 2);
    let bad = w.p.syncing().send_once(&w.member, "not an id!", || Ok(serde_json::Value::Null));
    assert!(matches!(bad, Err(Error::InvalidInput { field, .. }) if field == "id"));
}

/// The answer's field names for a device of protocol `version`.
fn answer_fields(batch: &SyncBatch, version: u32) -> Vec<String> {
    let value: serde_json::Value = serde_json::from_slice(&batch.to_json(version).unwrap()).unwrap();
    value.as_object().unwrap().keys().cloned().collect()
}

#[test]
fn each_protocol_versions_answer_leaves_out_the_fields_added_after_it() {
    let batch = SyncBatch { cursor: 7, version: PROTOCOL, ..SyncBatch::default() };
    let v1 = [
        "board_cursors",
        "boards",
        "crisis_resources",
        "cursor",
        "inbox",
        "more",
        "posts",
        "removed_boards",
        "removed_posts",
        "removed_threads",
        "resnapshot",
        "snapshot",
        "threads",
    ];
    let v2 = ["articles", "jobs", "removed_articles", "removed_jobs", "saved_searches", "seeker"];
    let v3 = ["knowledge", "version"];
    let sorted = |names: &[&[&str]]| {
        let mut all: Vec<String> = names.concat().iter().map(|n| n.to_string()).collect();
        all.sort();
        all
    };
    assert_eq!(answer_fields(&batch, 1), sorted(&[&v1]));
    assert_eq!(answer_fields(&batch, 2), sorted(&[&v1, &v2]));
    assert_eq!(answer_fields(&batch, PROTOCOL), sorted(&[&v1, &v2, &v3]), "a new field needs its version");
}

#[test]
fn the_device_reads_an_older_servers_answer_and_refuses_unknown_or_malformed_fields() {
    let batch = SyncBatch { cursor: 4, ..SyncBatch::default() };
    let older: serde_json::Value = serde_json::from_slice(&batch.to_json(2).unwrap()).unwrap();
    let read: SyncBatch = serde_json::from_value(older.clone()).expect("a version 2 answer reads");
    assert_eq!((read.cursor, read.version, read.knowledge), (4, 0, None));
    let mut unknown = older.clone();
    unknown["posters"] = serde_json::json!([]);
    assert!(serde_json::from_value::<SyncBatch>(unknown).is_err(), "a field of no version it knows");
    let mut malformed = older;
    malformed["articles"] = serde_json::json!("none");
    assert!(serde_json::from_value::<SyncBatch>(malformed).is_err(), "a known field of the wrong shape");
}

#[test]
fn a_request_without_a_version_is_version_1_and_a_bad_version_or_language_is_refused() {
    assert_eq!(Handshake::parse(None, None).unwrap(), Handshake::unversioned());
    assert_eq!(Handshake::parse(Some(99), Some("DE")).unwrap(), Handshake::current(Some("de".into())));
    assert_eq!(Handshake::parse(Some(3), Some("")).unwrap().language, None);
    let field = |v, l| match Handshake::parse(v, l) {
        Err(Error::InvalidInput { field, .. }) => field,
        other => panic!("{other:?}"),
    };
    assert_eq!(field(Some(0), None), "version");
    assert_eq!(field(Some(3), Some("deutsch")), "language");
}

#[test]
fn an_older_device_gets_no_bucket_it_does_not_know_and_a_newer_one_the_language() {
    let w = world();
    let Actor::Account { id } = w.member else { unreachable!() };
    let german = AccountUpdate { languages: Some(vec!["de".into()]), ..Default::default() };
    w.p.accounts().update(&Actor::Operator, id, &german).unwrap();
    let old = w.p.syncing().changes_for(&w.member, None, &Handshake::unversioned()).unwrap();
    assert_eq!((old.saved_searches, old.jobs, old.knowledge, old.version), (None, None, None, 0));
    let new = w.p.syncing().changes_for(&w.member, None, &Handshake::current(None)).unwrap();
    assert_eq!(new.knowledge.map(|k| k.language), Some(Some("de".to_string())));
    assert_eq!(new.version, PROTOCOL);
    // The same account, incrementally: a device that holds German articles gets no bucket; one
    // that says it holds none gets it whole.
    let since = Some(new.cursor);
    let same = w.p.syncing().changes_for(&w.member, since, &Handshake::current(Some("de".into()))).unwrap();
    assert_eq!(same.knowledge, None);
    let other = w.p.syncing().changes_for(&w.member, since, &Handshake::current(None)).unwrap();
    assert_eq!(other.knowledge.map(|k| k.language), Some(Some("de".to_string())));
}
