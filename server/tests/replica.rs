//! Device replicas against the server on loopback: a member's and a moderator's replica;
//! posts flow both ways through their send queues; the member's replica file never holds the
//! author of an anonymous post, a hidden perspective or a hidden board; an offline reply
//! arrives once and in order after reconnecting; a moderator's removal leaves the member's
//! replica; a revoked token stops sync; the crisis check answers on the device; a replica
//! syncs through a TLS-terminating proxy trusting its CA, and one that does not trust the
//! certificate refuses it and writes nothing.

mod common;
mod tls_proxy;

use common::{call, post, sign_in, staff_only_board, world};
use serde_json::json;
use tls_proxy::tls_proxy;
use trialog_core::replica::{QueueState, Replica, ReplicaOptions, Writer};
use trialog_core::sync::{OLDER_PAGE_THREADS, THREADS_PER_BOARD};
use trialog_core::{AccountUpdate, Actor, BoardId, Error, NewThread, Perspective, PerspectiveVisibility, ThreadId};

fn de() -> Writer {
    Writer { language: "de".into(), country: "DE".into() }
}

fn file_holds(path: &std::path::Path, needle: &str) -> bool {
    let bytes = std::fs::read(path).unwrap();
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn replicas_converge_and_hold_only_what_their_account_may_see() {
    let w = world(|_| {});
    let addr = w.server.addr;
    let url = format!("http://{addr}");
    let dir = tempfile::tempdir().unwrap();
    let (member_file, moderator_file) = (dir.path().join("member.redb"), dir.path().join("moderator.redb"));
    let member_token = sign_in(addr, "Mia_Member");
    let moderator_token = sign_in(addr, "Moritz_Mod");
    // The moderator's perspective is hidden from everyone.
    let moderator_id = w.platform.accounts().find_by_pseudonym(&Actor::Operator, "Moritz_Mod").unwrap().id;
    let hidden_perspective = AccountUpdate {
        perspective: Some(Perspective::LivedExperience),
        perspective_visibility: Some(PerspectiveVisibility::Nobody),
        ..Default::default()
    };
    w.platform.accounts().update(&Actor::Operator, moderator_id, &hidden_perspective).unwrap();

    let member = Replica::open(&member_file, &url, &member_token).unwrap();
    let moderator = Replica::open(&moderator_file, &url, &moderator_token).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&member_file).unwrap().permissions().mode() & 0o777, 0o600);
    }
    assert!(member.sync().unwrap().snapshot);
    moderator.sync().unwrap();
    assert_eq!(member.boards().unwrap().iter().map(|b| b.board.id.0).collect::<Vec<_>>(), vec![w.board]);

    // Moderator → member: an anonymous thread through the moderator's send queue.
    let queued =
        moderator.new_thread(BoardId(w.board), "Nachtgedanken", "Wer kennt schlaflose Nächte?", true, &de()).unwrap();
    assert!(queued.crisis_resources.is_empty());
    assert_eq!(moderator.queue().unwrap()[0].state, QueueState::Pending);
    let report = moderator.sync().unwrap();
    assert_eq!((report.sent, report.failed, report.offline), (1, 0, false));
    assert!(moderator.queue().unwrap().is_empty());
    member.sync().unwrap();
    let threads = member.threads(BoardId(w.board)).unwrap();
    assert_eq!(threads.len(), 1);
    let thread = threads[0].id;
    assert_eq!((threads[0].author.name.as_str(), threads[0].author.account), ("anonymous", None));

    // Member → moderator: a reply.
    member.reply(thread, "Ja, ich kenne das.", &de()).unwrap();
    assert_eq!(member.thread(thread).unwrap().pending.len(), 1, "shown as pending at once");
    member.sync().unwrap();
    moderator.sync().unwrap();
    let at_moderator = moderator.thread(thread).unwrap();
    assert_eq!(
        at_moderator.posts.iter().map(|p| p.body.as_str()).collect::<Vec<_>>(),
        vec!["Wer kennt schlaflose Nächte?", "Ja, ich kenne das."]
    );

    // A hidden board: never in the member's replica, not even by id.
    let admin = sign_in(addr, "Ada_Admin");
    let hidden = staff_only_board(addr, &admin, "Teamraum Intern");
    let secret = call(
        addr,
        "create_thread",
        Some(&admin),
        json!({"new": {"board": hidden, "title": "Dienstplan Geheim", "body": "Nur intern"}}),
    );
    let secret = secret.ok()["thread"]["id"].as_u64().unwrap();
    member.sync().unwrap();
    assert!(member.threads(BoardId(hidden)).unwrap().is_empty());
    assert!(matches!(member.thread(ThreadId(secret)), Err(Error::NotFound { .. })));

    // A moderator's removal leaves the member's replica.
    let reply_id = member.thread(thread).unwrap().posts[1].id;
    call(addr, "moderate_post", Some(&moderator_token), json!({"id": reply_id, "action": "remove", "reason": "Test"}))
        .ok();
    member.sync().unwrap();
    assert_eq!(member.thread(thread).unwrap().posts.len(), 1);

    drop(member);
    drop(moderator);
    // (The member's own removed reply may linger in the file's free pages until they are
    // reused: it is their own text; compacting after removals is left to do.)
    for needle in ["Moritz_Mod", "lived_experience", "Dienstplan Geheim", "Teamraum Intern"] {
        assert!(!file_holds(&member_file, needle), "the member's replica file holds {needle:?}");
    }
    assert!(file_holds(&member_file, "Nachtgedanken"), "the grep finds what is there");
}

#[test]
fn an_offline_reply_arrives_once_and_in_order_and_a_revoked_token_stops_sync() {
    let w = world(|_| {});
    let addr = w.server.addr;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("member.redb");
    let token = sign_in(addr, "Mia_Member");
    let start = call(
        addr,
        "create_thread",
        Some(&token),
        json!({"new": {"board": w.board, "title": "Spaziergang", "body": "Wer kommt mit?"}}),
    );
    let thread = start.ok()["thread"]["id"].as_u64().unwrap();
    Replica::open(&file, &format!("http://{addr}"), &token).unwrap().sync().unwrap();

    // Offline: nothing listens at this address.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let offline_url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let offline = Replica::open(&file, &offline_url, &token).unwrap();
    let first = offline.reply(ThreadId(thread), "Erste Antwort", &de()).unwrap();
    offline.reply(ThreadId(thread), "Zweite Antwort", &de()).unwrap();
    let report = offline.sync().unwrap();
    assert!(report.offline && report.sent == 0);
    let queue = offline.queue().unwrap();
    assert_eq!((queue.len(), queue[0].attempts, &queue[0].state), (2, 1, &QueueState::Pending));
    assert_eq!(offline.thread(ThreadId(thread)).unwrap().pending.len(), 2);
    // The crisis check answers on the device, offline, before anything is sent.
    let crisis = offline.reply(ThreadId(thread), "Ich will nicht mehr leben, ich will mich umbringen.", &de()).unwrap();
    assert!(!crisis.crisis_resources.is_empty(), "no crisis resources offline");
    offline.drop_queued(&crisis.id).unwrap();
    drop(offline);

    // The first send reached the server before the connection dropped (its answer was lost).
    let lost = post(
        addr,
        "/v1/sync/send",
        Some(&token),
        json!({"id": first.id, "operation": "reply", "args": {"new": {"thread": thread, "body": "Erste Antwort"}}}),
    );
    assert_eq!(lost.ok()["state"], "applied");
    let online = Replica::open(&file, &format!("http://{addr}"), &token).unwrap();
    let report = online.sync().unwrap();
    assert_eq!((report.sent, report.offline), (2, false));
    let bodies: Vec<String> = online.thread(ThreadId(thread)).unwrap().posts.into_iter().map(|p| p.body).collect();
    assert_eq!(bodies, vec!["Wer kommt mit?", "Erste Antwort", "Zweite Antwort"]);

    // A refused write is kept, failed, with the server's reason.
    online.reply(ThreadId(999_999), "Ins Leere", &de()).unwrap();
    assert_eq!(online.sync().unwrap().failed, 1);
    assert!(matches!(&online.queue().unwrap()[0].state, QueueState::Failed { reason, .. } if !reason.is_empty()));
    online.drop_queued(&online.queue().unwrap()[0].id).unwrap();

    // A reply the server refuses as too long is corrected and arrives once, under a new id;
    // the old id keeps its refusal on the server. The correction goes through the crisis check.
    let long = online.reply(ThreadId(thread), &"Sehr lang. ".repeat(2_000), &de()).unwrap();
    assert_eq!(online.sync().unwrap().failed, 1);
    assert!(matches!(&online.refusals().unwrap()[0].state, QueueState::Failed { kind, .. } if kind == "invalid_input"));
    let crisis = online.edit_queued(&long.id, Some("Ich will nicht mehr leben."), None, &de()).unwrap();
    assert!(!crisis.crisis_resources.is_empty(), "the edit skipped the crisis check");
    let edited = online.edit_queued(&crisis.id, Some("Kürzer: bis Samstag!"), None, &de()).unwrap();
    assert_eq!(online.sync().unwrap().sent, 1);
    assert!(online.queue().unwrap().is_empty());
    let bodies: Vec<String> = online.thread(ThreadId(thread)).unwrap().posts.into_iter().map(|p| p.body).collect();
    assert_eq!(bodies, vec!["Wer kommt mit?", "Erste Antwort", "Zweite Antwort", "Kürzer: bis Samstag!"]);
    let resend = |id: &str| {
        let args = json!({"new": {"thread": thread, "body": "Kürzer: bis Samstag!"}});
        post(addr, "/v1/sync/send", Some(&token), json!({"id": id, "operation": "reply", "args": args})).ok().clone()
    };
    assert_eq!(resend(&long.id)["state"], "refused", "the old id lost its refusal");
    assert_eq!(resend(&edited.id)["state"], "applied");
    online.sync().unwrap();
    assert_eq!(online.thread(ThreadId(thread)).unwrap().posts.len(), 4, "a resend was applied twice");

    // A revoked token stops sync.
    let sessions = post(addr, "/v1/auth/sessions", Some(&token), json!({})).ok().clone();
    post(addr, "/v1/auth/revoke", Some(&token), json!({"id": sessions[0]["id"]})).ok();
    assert!(matches!(online.sync(), Err(Error::PermissionDenied { .. })));
}

#[test]
fn older_pages_of_a_board_arrive_on_demand_projected_as_the_account_may_see_them() {
    let w = world(|_| {});
    let addr = w.server.addr;
    let accounts = w.platform.accounts();
    let author = |name: &str| Actor::account(accounts.find_by_pseudonym(&Actor::Operator, name).unwrap().id);
    let (admin, moderator) = (author("Ada_Admin"), author("Moritz_Mod"));
    // The oldest thread is the moderator's, anonymous: it comes only with the older page.
    let older_count = 5;
    let total = THREADS_PER_BOARD as usize + older_count;
    for i in 0..total {
        let (who, anonymous) = if i == 0 { (&moderator, true) } else { (&admin, false) };
        let new: NewThread = serde_json::from_value(
            json!({"board": w.board, "title": format!("Thema {i}"), "body": "Inhalt", "anonymous": anonymous}),
        )
        .unwrap();
        w.platform.forums().create_thread(who, &new).unwrap();
        w.clock.advance(chrono::Duration::seconds(1));
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("member.redb");
    let member = Replica::open(&file, &format!("http://{addr}"), &sign_in(addr, "Mia_Member")).unwrap();
    member.sync().unwrap();
    let board = BoardId(w.board);
    assert_eq!(member.threads(board).unwrap().len(), THREADS_PER_BOARD as usize, "a snapshot holds the recent page");

    let older = member.older_threads(board, 1).unwrap();
    assert!(!older.offline && !older.more, "{older:?}");
    let mut titles: Vec<_> = older.threads.iter().map(|t| t.title.clone()).collect();
    titles.sort();
    assert_eq!(titles, (0..older_count).map(|i| format!("Thema {i}")).collect::<Vec<_>>());
    assert_eq!(member.threads(board).unwrap().len(), total, "the older page is kept");
    let oldest = older.threads.iter().find(|t| t.title == "Thema 0").unwrap();
    assert_eq!((oldest.author.name.as_str(), oldest.author.account), ("anonymous", None));
    assert_eq!(member.thread(oldest.id).unwrap().posts.len(), 1, "with its first page of posts");
    let again = member.older_threads(board, 1).unwrap();
    assert!(again.threads.is_empty() && !again.more, "no older page is left: {again:?}");

    // A board the member may not see: the server refuses, nothing is kept.
    let hidden = staff_only_board(addr, &sign_in(addr, "Ada_Admin"), "Teamraum Intern");
    assert!(matches!(
        member.older_threads(BoardId(hidden), 1),
        Err(Error::NotFound { .. } | Error::PermissionDenied { .. })
    ));
    drop(member);
    assert!(!file_holds(&file, "Moritz_Mod"), "the anonymous author reached the member's file");
    assert!(file_holds(&file, "Thema 0"), "the grep finds what is there");
}

#[test]
fn a_replica_syncs_and_posts_over_https_trusting_its_organisations_ca_and_refuses_an_unknown_one() {
    let w = world(|_| {});
    let proxy = tls_proxy(w.server.addr);
    let url = format!("https://localhost:{}", proxy.port);
    let token = sign_in(w.server.addr, "Mia_Member");
    let dir = tempfile::tempdir().unwrap();

    // Without the organisation's CA: the certificate is refused, nothing is sent or kept.
    let untrusting_file = dir.path().join("untrusting.redb");
    let untrusting = Replica::open(&untrusting_file, &url, &token).unwrap();
    untrusting.new_thread(BoardId(w.board), "Ungesendet", "Nie angekommen", false, &de()).unwrap();
    match untrusting.sync() {
        Err(Error::InvalidInput { field, reason }) => {
            assert_eq!(field, "server_url");
            assert!(reason.contains("certificate is not trusted") && reason.contains("extra_ca_pem"), "{reason}");
        }
        other => panic!("an untrusted certificate was not refused: {other:?}"),
    }
    assert!(untrusting.boards().unwrap().is_empty() && untrusting.inbox().unwrap().is_none());
    assert_eq!(untrusting.queue().unwrap()[0].state, QueueState::Pending, "the queued thread stays queued");
    drop(untrusting);
    assert!(!file_holds(&untrusting_file, "Austausch"), "the refused server's board reached the file");

    // With the CA: snapshot, a new thread through the send queue, and the change back.
    let options = ReplicaOptions { extra_ca_pem: Some(proxy.ca_pem.clone()), allow_plain_http: false };
    let member = Replica::open_with(dir.path().join("member.redb"), &url, &token, &options).unwrap();
    let report = member.sync().unwrap();
    assert!(report.snapshot && !report.offline, "{report:?}");
    assert_eq!(member.boards().unwrap().iter().map(|b| b.board.id.0).collect::<Vec<_>>(), vec![w.board]);
    assert!(member.threads(BoardId(w.board)).unwrap().is_empty(), "the refused replica's thread reached the server");
    member.new_thread(BoardId(w.board), "Über TLS", "Sicher angekommen", false, &de()).unwrap();
    let report = member.sync().unwrap();
    assert_eq!((report.sent, report.failed, report.offline), (1, 0, false));
    let threads = member.threads(BoardId(w.board)).unwrap();
    assert_eq!(threads.iter().map(|t| t.title.as_str()).collect::<Vec<_>>(), vec!["Über TLS"]);
}

#[test]
fn several_older_pages_arrive_in_one_call_and_a_page_count_out_of_range_is_refused() {
    let w = world(|_| {});
    let addr = w.server.addr;
    let admin = Actor::account(w.platform.accounts().find_by_pseudonym(&Actor::Operator, "Ada_Admin").unwrap().id);
    let page = OLDER_PAGE_THREADS as usize;
    let total = THREADS_PER_BOARD as usize + 2 * page + 3;
    for i in 0..total {
        let new: NewThread =
            serde_json::from_value(json!({"board": w.board, "title": format!("Thema {i}"), "body": "Inhalt"})).unwrap();
        w.platform.forums().create_thread(&admin, &new).unwrap();
        w.clock.advance(chrono::Duration::seconds(1));
    }
    let dir = tempfile::tempdir().unwrap();
    let member =
        Replica::open(dir.path().join("m.redb"), &format!("http://{addr}"), &sign_in(addr, "Mia_Member")).unwrap();
    member.sync().unwrap();
    let board = BoardId(w.board);
    for pages in [0, 6] {
        assert!(
            matches!(member.older_threads(board, pages), Err(Error::InvalidInput { field, .. }) if field == "pages"),
            "{pages} pages were accepted"
        );
    }

    let two = member.older_threads(board, 2).unwrap();
    assert_eq!((two.threads.len(), two.more, two.offline), (2 * page, true, false), "two pages in one call");
    let mut expected: Vec<String> = (3..3 + 2 * page).map(|i| format!("Thema {i}")).collect();
    let mut titles: Vec<String> = two.threads.iter().map(|t| t.title.clone()).collect();
    expected.sort();
    titles.sort();
    assert_eq!(titles, expected, "not the two pages after the snapshot's");
    let rest = member.older_threads(board, 5).unwrap();
    assert_eq!((rest.threads.len(), rest.more), (3, false), "{rest:?}");
    assert_eq!(member.threads(board).unwrap().len(), total, "every page is kept");
}

#[test]
fn an_erased_persons_replica_empties_their_inbox_queue_and_own_posts_and_says_so() {
    let w = world(|_| {});
    let addr = w.server.addr;
    let url = format!("http://{addr}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("member.redb");
    let (mia, moritz) = (sign_in(addr, "Mia_Member"), sign_in(addr, "Moritz_Mod"));
    let create = |token: &str, title: &str, body: &str| {
        let new = json!({"new": {"board": w.board, "title": title, "body": body}});
        call(addr, "create_thread", Some(token), new).ok()["thread"]["id"].as_u64().unwrap()
    };
    let mias = create(&mia, "Mias Leuchtturmfrage", "Mias Zaunkönigtext");
    let moritz_thread = create(&moritz, "Moritz fragt nach Wanderwegen", "Wer kennt gute Wege?");
    call(addr, "reply", Some(&moritz), json!({"new": {"thread": mias, "body": "Moritz antwortet Mia"}})).ok();
    call(addr, "reply", Some(&mia), json!({"new": {"thread": moritz_thread, "body": "Mias Kiebitzantwort"}})).ok();
    let replica = Replica::open(&file, &url, &mia).unwrap();
    replica.sync().unwrap();
    assert!(!replica.inbox().unwrap().expect("an inbox").items.is_empty(), "Moritz's reply notifies Mia");
    assert_eq!(replica.thread(ThreadId(moritz_thread)).unwrap().posts.len(), 2);
    replica.reply(ThreadId(moritz_thread), "Mias wartende Rotkehlchenzeile", &de()).unwrap();
    let mias_texts = ["Mias Leuchtturmfrage", "Mias Zaunkönigtext", "Mias Kiebitzantwort", "Rotkehlchenzeile"];

    let mia_id = w.platform.accounts().find_by_pseudonym(&Actor::Operator, "Mia_Member").unwrap().id;
    w.platform.rights().erase(&Actor::account(mia_id), mia_id, None, "auf eigenen Wunsch").unwrap();
    let erased = replica.sync().unwrap_err();
    assert!(matches!(erased, Error::AccountErased { .. }), "{erased:?}");
    drop(replica);

    let reopened = Replica::open(&file, &url, &mia).unwrap();
    assert_eq!(reopened.inbox().unwrap(), None, "the inbox is gone");
    assert!(reopened.queue().unwrap().is_empty(), "the send queue is gone");
    assert!(matches!(reopened.thread(ThreadId(mias)), Err(Error::NotFound { .. })), "Mia's own thread is gone");
    let left = reopened.thread(ThreadId(moritz_thread)).unwrap();
    let bodies: Vec<&str> = left.posts.iter().map(|p| p.body.as_str()).collect();
    assert_eq!(bodies, ["Wer kennt gute Wege?"], "Mia's reply is gone, Moritz's post stays");
    assert!(matches!(reopened.sync(), Err(Error::AccountErased { .. })), "and it keeps saying so");
    drop(reopened);
    for text in mias_texts {
        assert!(!file_holds(&file, text), "the compacted file still holds {text:?}");
    }
    assert!(file_holds(&file, "Wer kennt gute Wege?"), "the grep finds what is there");
}
