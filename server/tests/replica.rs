//! Device replicas against the server on loopback: a member's and a moderator's replica;
//! posts flow both ways through their send queues; the member's replica file never holds the
//! author of an anonymous post, a hidden perspective or a hidden board; an offline reply
//! arrives once and in order after reconnecting; a moderator's removal leaves the member's
//! replica; a revoked token stops sync; the crisis check answers on the device; a replica
//! syncs through a TLS-terminating proxy trusting its CA, and one that does not trust the
//! certificate refuses it and writes nothing; the job and knowledge buckets (saved searches,
//! seeker profile, postings near, articles in the account's language) sync, read offline and
//! update incrementally, and hold nothing the account may not see.

mod common;
mod tls_proxy;

use common::{call, post, send, sign_in, staff_only_board, world};
use serde_json::json;
use tls_proxy::tls_proxy;
use trialog_core::replica::{QueueState, Replica, ReplicaOptions, Writer};
use trialog_core::sync::{OLDER_PAGE_THREADS, THREADS_PER_BOARD};
use trialog_core::{
    AccountUpdate, Actor, ArticleId, BoardId, Contract, Error, Hours, JobId, JobQuery, LocationInput, NewAccount,
    NewArticle, NewJob, NewOrganisation, NewThread, OrgId, Pay, PayUnit, Perspective, PerspectiveVisibility, Platform,
    Role, SeekerProfileInput, ThreadId,
};

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
    call(addr, "save_search", Some(&mia), json!({"name": "Mias Eisvogelsuche", "query": {}})).ok();
    let replica = Replica::open(&file, &url, &mia).unwrap();
    replica.sync().unwrap();
    assert_eq!(replica.saved_searches().unwrap().len(), 1);
    assert!(!replica.inbox().unwrap().expect("an inbox").items.is_empty(), "Moritz's reply notifies Mia");
    assert_eq!(replica.thread(ThreadId(moritz_thread)).unwrap().posts.len(), 2);
    replica.reply(ThreadId(moritz_thread), "Mias wartende Rotkehlchenzeile", &de()).unwrap();
    let mias_texts =
        ["Mias Leuchtturmfrage", "Mias Zaunkönigtext", "Mias Kiebitzantwort", "Rotkehlchenzeile", "Mias Eisvogelsuche"];

    let mia_id = w.platform.accounts().find_by_pseudonym(&Actor::Operator, "Mia_Member").unwrap().id;
    w.platform.rights().erase(&Actor::account(mia_id), mia_id, None, "auf eigenen Wunsch").unwrap();
    let erased = replica.sync().unwrap_err();
    assert!(matches!(erased, Error::AccountErased { .. }), "{erased:?}");
    drop(replica);

    let reopened = Replica::open(&file, &url, &mia).unwrap();
    assert_eq!(reopened.inbox().unwrap(), None, "the inbox is gone");
    assert!(reopened.queue().unwrap().is_empty(), "the send queue is gone");
    assert!(reopened.saved_searches().unwrap().is_empty(), "the saved searches are gone");
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

/// Berlin Mitte, and places 8 km and 250 km from it.
const MITTE: (f64, f64) = (52.52, 13.405);
const KREUZBERG: (f64, f64) = (52.4986, 13.4030);
const HAMBURG: (f64, f64) = (53.5511, 9.9937);

fn place((latitude, longitude): (f64, f64)) -> LocationInput {
    LocationInput::Coordinates { latitude, longitude, place: None }
}

/// A new posting of `org` at `at`.
fn new_job(org: OrgId, title: &str, at: (f64, f64)) -> NewJob {
    NewJob {
        org,
        title: title.into(),
        description: "Wir suchen Genesungsbegleiter:innen.".into(),
        location: place(at),
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
        requirement: None,
        languages: vec!["de".into()],
        starts_on: None,
        expires_on: None,
        openings: None,
        contact: Some("jobs@weglaufhaus.example".into()),
    }
}

/// A published posting of `org` at `at`, written by the operator.
fn posting(p: &Platform, org: OrgId, title: &str, at: (f64, f64)) -> JobId {
    let id = p.jobs().create(&Actor::Operator, &new_job(org, title, at)).unwrap().id;
    p.jobs().publish(&Actor::Operator, id).unwrap().id
}

/// An editor account (with a password) and its actor.
fn editor(p: &Platform, name: &str) -> Actor {
    let account = p.accounts().create(&Actor::Operator, &NewAccount { pseudonym: name.into(), ..Default::default() });
    let id = account.unwrap().id;
    p.accounts().grant_role(&Actor::Operator, id, Role::Editor, None).unwrap();
    Actor::account(id)
}

/// An article by `author`, approved by `second` and published unless `draft`.
fn article(p: &Platform, (author, second): (&Actor, &Actor), title: &str, language: &str, draft: bool) -> ArticleId {
    let new = NewArticle {
        title: title.into(),
        body: format!("{title}: der Text."),
        language: language.into(),
        slug: None,
        summary: None,
        topics: vec![],
        audience: None,
        org: None,
        links: vec![],
        attachments: vec![],
        translation_of: None,
    };
    let k = p.knowledge();
    let id = k.create(author, &new).unwrap().id;
    if !draft {
        k.submit(author, id).unwrap();
        k.approve(second, id, None).unwrap();
        k.publish(author, id).unwrap();
    }
    id
}

#[test]
fn saved_searches_seeker_profile_jobs_near_and_articles_sync_read_offline_and_update_incrementally() {
    let w = world(|_| {});
    let (p, op) = (&w.platform, Actor::Operator);
    let addr = w.server.addr;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("member.redb");
    let mia = p.accounts().find_by_pseudonym(&op, "Mia_Member").unwrap().id;
    let moritz = p.accounts().find_by_pseudonym(&op, "Moritz_Mod").unwrap().id;
    let german = AccountUpdate { languages: Some(vec!["de".into()]), ..Default::default() };
    p.accounts().update(&op, mia, &german).unwrap();
    let org: NewOrganisation =
        serde_json::from_value(json!({"name": "Weglaufhaus Berlin", "kind": "association", "region": "DE-BE"}))
            .unwrap();
    let org = p.orgs().create(&op, &org).unwrap().id;
    p.orgs().verify(&op, org, true, None).unwrap();
    let near = posting(p, org, "Genesungsbegleitung Kreuzberg", KREUZBERG);
    posting(p, org, "Peerberatung Hafenkante", HAMBURG);
    let closed = posting(p, org, "Besetzte Stelle Mitte", MITTE);
    p.jobs().fill(&op, closed).unwrap();
    p.jobs().create(&op, &new_job(org, "Entwurfsstelle Mitte", MITTE)).unwrap();
    let profile = SeekerProfileInput { location: Some(place(MITTE)), max_distance_km: Some(30), ..Default::default() };
    p.seekers().set(&Actor::account(mia), mia, &profile).unwrap();
    let query = JobQuery { near: Some(place(MITTE)), radius_km: Some(20.0), ..Default::default() };
    p.alerts().add(&Actor::account(mia), "Mias Suche Mitte", &query).unwrap();
    p.alerts().add(&Actor::account(moritz), "Moritz Geheimsuche", &query).unwrap();
    let editors = (editor(p, "Redakteurin"), editor(p, "Zweitleserin"));
    let editors = (&editors.0, &editors.1);
    let basics = article(p, editors, "Genesung Grundlagen", "de", false);
    let archived = article(p, editors, "Veralteter Ratgeber", "de", false);
    p.knowledge().archive(editors.0, archived).unwrap();
    article(p, editors, "Unfertiger Entwurf", "de", true);
    article(p, editors, "Recovery in English", "en", false);

    let replica = Replica::open(&file, &format!("http://{addr}"), &sign_in(addr, "Mia_Member")).unwrap();
    assert!(replica.sync().unwrap().snapshot);
    let names: Vec<String> = replica.saved_searches().unwrap().into_iter().map(|s| s.name).collect();
    assert_eq!(names, ["Mias Suche Mitte"], "only her own saved searches");
    assert_eq!(replica.seeker_profile().unwrap().map(|s| s.max_distance_km), Some(Some(30)));
    let jobs: Vec<JobId> = replica.jobs_near().unwrap().iter().map(|h| h.job.id).collect();
    assert_eq!(jobs, [near], "published and within her 30 km; not the filled one, the draft or Hamburg");
    let titles: Vec<String> = replica.list_articles().unwrap().into_iter().map(|a| a.title).collect();
    assert_eq!(titles, ["Genesung Grundlagen"], "published, in German");
    let shown = replica.article(basics).unwrap();
    assert_eq!(shown, p.knowledge().get(&Actor::account(mia), basics).unwrap(), "as the read operation shows it");
    assert_eq!(replica.article_by_slug(&shown.article.slug).unwrap().article.id, basics);

    // Changes arrive incrementally: a new posting near, one closed, an article archived, a new
    // one published, a saved search removed, the profile moved out of range.
    let cursor = replica.sync().unwrap().cursor;
    let second = posting(p, org, "Peer-Support Mitte", MITTE);
    p.jobs().withdraw(&op, near, None).unwrap();
    p.knowledge().archive(editors.0, basics).unwrap();
    let fresh = article(p, editors, "Neue Wege", "de", false);
    let report = replica.sync().unwrap();
    assert!(!report.snapshot && report.cursor > cursor, "{report:?}");
    assert_eq!(replica.jobs_near().unwrap().iter().map(|h| h.job.id).collect::<Vec<_>>(), [second]);
    assert_eq!(replica.list_articles().unwrap().iter().map(|a| a.id).collect::<Vec<_>>(), [fresh]);
    assert!(matches!(replica.article(basics), Err(Error::NotFound { .. })), "archived: a tombstone");
    let mine = replica.saved_searches().unwrap()[0].id;
    p.alerts().remove(&Actor::account(mia), mine).unwrap();
    let far = SeekerProfileInput { location: Some(place(HAMBURG)), max_distance_km: Some(10), ..Default::default() };
    p.seekers().set(&Actor::account(mia), mia, &far).unwrap();
    assert!(!replica.sync().unwrap().snapshot);
    assert!(replica.saved_searches().unwrap().is_empty());
    let jobs: Vec<String> = replica.jobs_near().unwrap().into_iter().map(|h| h.job.title).collect();
    assert_eq!(jobs, ["Peerberatung Hafenkante"], "near the profile's new place");

    // Offline (nothing listens at this address), the reads answer from the file.
    drop(replica);
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let offline_url = format!("http://{}", closed.local_addr().unwrap());
    drop(closed);
    let replica = Replica::open(&file, &offline_url, "any-token").unwrap();
    assert!(replica.sync().unwrap().offline);
    assert_eq!(replica.seeker_profile().unwrap().map(|s| s.max_distance_km), Some(Some(10)));
    assert_eq!(replica.article(fresh).unwrap().article.title, "Neue Wege");
    drop(replica);
    for needle in
        ["Moritz Geheimsuche", "Veralteter Ratgeber", "Unfertiger Entwurf", "Besetzte Stelle", "Entwurfsstelle"]
    {
        assert!(!file_holds(&file, needle), "the member's replica file holds {needle:?}");
    }
    assert!(file_holds(&file, "Neue Wege"), "the grep finds what is there");
}

/// The answer a device library of protocol version 1 (before the job and knowledge buckets)
/// reads: its `SyncBatch`, which refuses any field it does not know.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // the fields are read by deserialising only
struct SyncBatchV1 {
    cursor: u64,
    snapshot: bool,
    resnapshot: bool,
    more: bool,
    boards: Option<Vec<trialog_core::BoardOverview>>,
    threads: Vec<trialog_core::ThreadPage>,
    posts: Vec<trialog_core::Post>,
    removed_boards: Vec<BoardId>,
    removed_threads: Vec<ThreadId>,
    removed_posts: Vec<trialog_core::PostId>,
    inbox: Option<serde_json::Value>,
    crisis_resources: Option<Vec<serde_json::Value>>,
    #[serde(default)]
    board_cursors: Vec<(BoardId, Option<String>)>,
}

#[test]
fn an_older_device_gets_the_answer_its_protocol_version_knows_and_a_bad_handshake_is_refused() {
    let w = world(|_| {});
    let (p, op) = (&w.platform, Actor::Operator);
    let addr = w.server.addr;
    let mia = p.accounts().find_by_pseudonym(&op, "Mia_Member").unwrap().id;
    let german = AccountUpdate { languages: Some(vec!["de".into()]), ..Default::default() };
    p.accounts().update(&op, mia, &german).unwrap();
    let editors = (editor(p, "Redakteurin"), editor(p, "Zweitleserin"));
    let basics = article(p, (&editors.0, &editors.1), "Genesung Grundlagen", "de", false);
    let token = sign_in(addr, "Mia_Member");
    let get = |query: &str| send(addr, "GET", &format!("/v1/sync{query}"), Some(&token), b"");

    // A device that sends no version (built before the buckets) reads the snapshot and the
    // changes after it with its own, strict answer type.
    let old = get("").ok().clone();
    let old: SyncBatchV1 = serde_json::from_value(old).expect("version 1's answer has only its fields");
    assert!(old.snapshot && old.boards.is_some() && old.crisis_resources.is_some());
    let since = old.cursor;
    article(p, (&editors.0, &editors.1), "Neue Wege", "de", false);
    let changes: SyncBatchV1 = serde_json::from_value(get(&format!("?since={since}")).ok().clone()).unwrap();
    assert!(!changes.snapshot && changes.cursor > since, "the article's change moves the cursor");

    // Version 2 gets the buckets but not the language; version 3 (and a newer one) both.
    let two = get("?version=2").ok().clone();
    assert_eq!(two["articles"][0]["article"]["id"], basics.0);
    assert!(two.get("knowledge").is_none() && two.get("version").is_none(), "{two}");
    for query in ["?version=3", "?version=40"] {
        let three = get(query).ok().clone();
        assert_eq!((&three["knowledge"]["language"], &three["version"]), (&json!("de"), &json!(3)));
    }

    // A version of 0, a language that is no language code, a parameter given twice or unknown.
    get("?version=0").problem(400, "invalid_input");
    assert_eq!(get("?version=0").body["field"], "version");
    assert_eq!(get(&format!("?version=3&since={since}&language=deutsch")).body["field"], "language");
    assert_eq!(get("?version=3&version=3").body["field"], "version");
    assert_eq!(get("?speed=3").body["field"], "speed");
}

#[test]
fn a_change_of_the_accounts_language_reaches_the_knowledge_bucket_with_the_incremental_sync() {
    let w = world(|_| {});
    let (p, op) = (&w.platform, Actor::Operator);
    let addr = w.server.addr;
    let dir = tempfile::tempdir().unwrap();
    let mia = p.accounts().find_by_pseudonym(&op, "Mia_Member").unwrap().id;
    let languages = |codes: &[&str]| AccountUpdate {
        languages: Some(codes.iter().map(|c| c.to_string()).collect()),
        ..Default::default()
    };
    p.accounts().update(&op, mia, &languages(&["de"])).unwrap();
    let editors = (editor(p, "Redakteurin"), editor(p, "Zweitleserin"));
    let editors = (&editors.0, &editors.1);
    article(p, editors, "Genesung Grundlagen", "de", false);
    let english = article(p, editors, "Recovery in English", "en", false);
    let replica = Replica::open(dir.path().join("m.redb"), &format!("http://{addr}"), &sign_in(addr, "Mia_Member"));
    let replica = replica.unwrap();
    assert!(replica.sync().unwrap().snapshot);
    let titles = |r: &Replica| r.list_articles().unwrap().into_iter().map(|a| a.title).collect::<Vec<_>>();
    assert_eq!(titles(&replica), ["Genesung Grundlagen"]);

    // Nothing else changes: only the account's record, which the feed does not watch.
    p.accounts().update(&op, mia, &languages(&["en", "de"])).unwrap();
    let report = replica.sync().unwrap();
    assert!(!report.snapshot, "{report:?}");
    assert_eq!(titles(&replica), ["Recovery in English"], "the bucket in her new first language");
    assert_eq!(replica.article(english).unwrap().article.language, "en");
    assert!(!replica.sync().unwrap().snapshot);
    assert_eq!(titles(&replica), ["Recovery in English"], "sent once, then only changes");

    p.accounts().update(&op, mia, &languages(&[])).unwrap();
    assert!(!replica.sync().unwrap().snapshot);
    assert!(titles(&replica).is_empty(), "no language: no articles");
}
