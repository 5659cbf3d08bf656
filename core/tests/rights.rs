//! The person's rights: export everything (Art. 15, 20), erase without a trace (Art. 17), and
//! the retention of inactive accounts on the scheduler.

mod common;

use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use chrono::Duration;
use common::*;
use trialog_core::*;

/// Strings only Kim's records hold, so that finding one in the file means Kim's data is there.
const PSEUDONYM: &str = "Quastenflosser_Kim";
const EMAIL: &str = "leuchtturm.quastenflosser@example.org";
const THREAD_TEXT: &str = "Meine Geschichte vom Leuchtturmwärter Zitronenfalter";
const ANON_TEXT: &str = "Anonym erzählt: Kohlrabiapostel im Klinikflur";
const SEARCH_NAME: &str = "Suche Walfischbucht";
const REPORT_DETAIL: &str = "Gemeldet wegen Pfefferminzgespenst";
const TITLE: &str = "Frage vom Seepferdchenkapitän";
const SEEKER_PLACE: &str = "Wolkenkuckucksheim am Deich";
/// Kim's reply (not a thread's first post, whose excerpt the thread and the board's page
/// repeat plain): its text is sealed under Kim's key since version 31.
const REPLY_TEXT: &str = "Ich auch, Ole. Der Pfeffersack im Wattenmeer";
/// What is sealed under Kim's key (`docs/erasure.md`): never in the file as it is. Post texts
/// since version 31 (the anonymous reply too); since version 32 the thread's excerpt (the
/// opening post's text, repeated by the thread, its board-page line and formerly the search's
/// snippet), and its title, sealed in those places too and, since version 34, kept by no
/// forum notification (Ole's of the new thread, Kim's of Ole's reply to it: they read it from
/// the thread). And the snapshot a review item keeps of a reply Kim deleted, since version 32.
const SEALED: [&str; 9] =
    [EMAIL, SEARCH_NAME, SEEKER_PLACE, REPORT_DETAIL, ANON_TEXT, REPLY_TEXT, THREAD_TEXT, SNAPSHOT_TEXT, TITLE];
/// A reply of Kim's that Ole reports and Kim then deletes: the moderators' item keeps it as its
/// snapshot, sealed under Kim's key since version 32.
const SNAPSHOT_TEXT: &str = "Lieber doch nicht: die Gespensterkrabbe am Deich";

/// Kim writes a reply that Ole reports and Kim deletes (the review item keeps a snapshot of
/// it), and Ole reports Kim's thread (the item's summary is its title).
fn kim_leaves_a_snapshot(w: &World) -> PostId {
    let new = NewReply { thread: w.ole_thread, body: SNAPSHOT_TEXT.into(), reply_to: None, anonymous: false };
    let gone = w.p.forums().reply(&w.kim, &new).unwrap().post.id;
    for target in [Target::Post { id: gone }, Target::Thread { id: w.thread }] {
        let report = NewReport { target, reason: ReportReason::OffTopic, detail: None };
        w.p.moderation().report(&w.ole, &report).unwrap();
    }
    w.p.forums().delete_post(&w.kim, gone).unwrap();
    gone
}

/// What moderators read of the items about `targets`, (summary, snapshot) each.
fn item_texts(p: &Platform, targets: &[Target]) -> Vec<(String, Option<String>)> {
    let queue = p.moderation().queue(&Actor::Operator, ItemState::Pending, &PageRequest::first(50)).unwrap();
    targets
        .iter()
        .map(|t| {
            let item = queue.items.iter().find(|i| i.target == *t).expect("an item about the target");
            (item.summary.clone(), item.snapshot.clone())
        })
        .collect()
}

struct World {
    p: Platform,
    clock: TestClock,
    kim: Actor,
    kim_id: AccountId,
    ole: Actor,
    ole_id: AccountId,
    admin: Actor,
    thread: ThreadId,
    ole_thread: ThreadId,
}

fn options(clock: &TestClock) -> PlatformOptions {
    PlatformOptions { clock: Arc::new(clock.clone()), ..Default::default() }
}

/// Kim writes, searches, reports, reads and is restricted once; Ole (who watches the board, so
/// is notified of Kim's thread) and an admin around.
fn world_on(p: Platform, clock: TestClock) -> World {
    let board = common::public_board(&p, "austausch", "Austausch").id;
    let admin = account(&p, "Admina", &[Role::Admin]);
    let ole = account(&p, "Ole", &[]);
    let new = NewAccount {
        pseudonym: PSEUDONYM.into(),
        email: Some(EMAIL.into()),
        perspective: Perspective::LivedExperience,
        ..Default::default()
    };
    let kim = p.accounts().create(&Actor::Operator, &new).unwrap();
    let (kim_actor, ole_actor) = (Actor::account(kim.id), Actor::account(ole.id));
    p.accounts().set_password(&kim_actor, kim.id, "ein langes Passwort 42").unwrap();
    let f = p.forums();
    f.watch_board(&ole_actor, board, true).unwrap();
    let ole_thread = f
        .create_thread(
            &ole_actor,
            &NewThread {
                board,
                title: "Oles Frage".into(),
                body: "Wer kennt das?".into(),
                tags: vec![],
                anonymous: false,
            },
        )
        .unwrap()
        .thread
        .id;
    let posted = f
        .create_thread(
            &kim_actor,
            &NewThread { board, title: TITLE.into(), body: THREAD_TEXT.into(), tags: vec![], anonymous: false },
        )
        .unwrap();
    clock.advance(Duration::minutes(1));
    f.reply(&kim_actor, &NewReply { thread: ole_thread, body: ANON_TEXT.into(), reply_to: None, anonymous: true })
        .unwrap();
    f.reply(&kim_actor, &NewReply { thread: ole_thread, body: REPLY_TEXT.into(), reply_to: None, anonymous: false })
        .unwrap();
    f.reply(
        &ole_actor,
        &NewReply {
            thread: posted.thread.id,
            body: "> Meine Geschichte\nDanke dir!".into(),
            reply_to: Some(posted.post.id),
            anonymous: false,
        },
    )
    .unwrap();
    f.mark_read(&kim_actor, ole_thread, None).unwrap();
    let location = LocationInput::Coordinates { latitude: 54.3, longitude: 8.9, place: Some(SEEKER_PLACE.into()) };
    let profile = SeekerProfileInput { location: Some(location), ..Default::default() };
    p.seekers().set(&kim_actor, kim.id, &profile).unwrap();
    p.alerts().add(&kim_actor, SEARCH_NAME, &JobQuery::default()).unwrap();
    let reported = NewReport {
        target: Target::Thread { id: ole_thread },
        reason: ReportReason::Other,
        detail: Some(REPORT_DETAIL.into()),
    };
    p.moderation().report(&kim_actor, &reported).unwrap();
    let until = clock.now() + Duration::days(1);
    p.accounts()
        .restrict(&Actor::account(admin.id), kim.id, Restriction::Silence { until }, "zu viele Beiträge")
        .unwrap();
    clock.advance(Duration::days(2));
    World {
        p,
        clock,
        kim: kim_actor,
        kim_id: kim.id,
        ole: ole_actor,
        ole_id: ole.id,
        admin: Actor::account(admin.id),
        thread: posted.thread.id,
        ole_thread,
    }
}

fn world() -> World {
    let clock = clock();
    world_on(Platform::in_memory_with(options(&clock)).unwrap(), clock)
}

/// The archive's files and their text.
fn unzip(path: &Path) -> Vec<(String, String)> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    (0..archive.len())
        .map(|i| {
            let mut file = archive.by_index(i).unwrap();
            let mut text = String::new();
            file.read_to_string(&mut text).unwrap();
            (file.name().unwrap().to_string(), text)
        })
        .collect()
}

fn records(files: &[(String, String)], name: &str) -> Vec<serde_json::Value> {
    let (_, text) = files.iter().find(|(n, _)| n == name).unwrap_or_else(|| panic!("{name} is not in the archive"));
    serde_json::from_str(text).unwrap()
}

fn file_contains(path: &Path, needle: &str) -> bool {
    let bytes = std::fs::read(path).unwrap();
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn a_person_exports_everything_about_them_in_a_documented_archive() {
    let w = world();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("kim.zip");
    let report = w.p.rights().export(&w.kim, w.kim_id, &out).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600, "the archive is private");
    }
    let files = unzip(&out);
    let (_, readme) = files.iter().find(|(n, _)| n == "README.md").expect("a README");
    for (name, _) in files.iter().filter(|(n, _)| n.ends_with(".json")) {
        assert!(readme.contains(&format!("`{name}`")), "the README explains {name}");
    }
    assert_eq!(report.files.len(), files.len() - 1, "every JSON file is in the report");
    let account = records(&files, "account.json");
    assert_eq!(account[0]["pseudonym"], PSEUDONYM);
    assert_eq!(account[0]["email"], EMAIL);
    assert_eq!(account[0]["perspective"], "lived_experience", "the sealed profile is exported opened");
    assert!(!records(&files, "roles.json").is_empty(), "member");
    assert_eq!(records(&files, "password.json")[0]["set"], true);
    let posts = records(&files, "forum_posts.json");
    assert_eq!(posts.len(), 3, "the opening post and two replies: {posts:?}");
    assert!(posts.iter().any(|p| p["body"] == ANON_TEXT && p["anonymous"] == true), "the anonymous reply is theirs");
    assert_eq!(records(&files, "forum_threads.json")[0]["title"], TITLE);
    let reads = records(&files, "forum_read_positions.json");
    assert!(reads.iter().any(|r| r["thread"] == w.ole_thread.0), "{reads:?}");
    assert_eq!(records(&files, "seeker_profile.json")[0]["location"]["place"], SEEKER_PLACE);
    assert_eq!(records(&files, "saved_searches.json")[0]["name"], SEARCH_NAME);
    assert_eq!(records(&files, "reports_made.json")[0]["detail"], REPORT_DETAIL);
    assert!(!records(&files, "inbox.json").is_empty(), "Ole's reply reached Kim's inbox");
    let audit = records(&files, "audit_entries.json");
    assert!(audit.iter().any(|e| e["action"] == "account.silence"), "the admin's action on them: {audit:?}");
    for name in
        ["job_interests.json", "course_registrations.json", "course_certificates.json", "moderation_actions.json"]
    {
        assert!(files.iter().any(|(n, _)| n == name), "{name} is in the archive even when empty");
    }
    assert!(!files.iter().any(|(n, _)| n.contains("counsel")), "counselling stays out");
    let logged =
        w.p.audit()
            .list(
                &Actor::Operator,
                &AuditFilter { action_prefix: Some("account.export".into()), target: None },
                &PageRequest::default(),
            )
            .unwrap();
    assert_eq!(logged.items.len(), 1, "the export is in the audit log");
    assert_eq!(field_of(w.p.rights().export(&w.kim, w.kim_id, &out)), "out", "an existing file is not overwritten");
    assert!(matches!(
        w.p.rights().export(&w.ole, w.kim_id, &dir.path().join("x.zip")),
        Err(Error::PermissionDenied { .. })
    ));
    w.p.rights().export(&w.admin, w.kim_id, &dir.path().join("admin.zip")).unwrap();
}

#[test]
fn after_erasure_and_compaction_none_of_their_strings_is_in_the_file() {
    let clock = clock();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("erase.redb");
    let p = Platform::open(&path, options(&clock)).unwrap();
    let w = world_on(p, clock.clone());
    let gone = kim_leaves_a_snapshot(&w);
    let targets = [Target::Post { id: gone }, Target::Thread { id: w.thread }];
    let seen = item_texts(&w.p, &targets);
    assert_eq!(seen[0].1.as_deref(), Some(SNAPSHOT_TEXT), "moderators read the deleted reply: {seen:?}");
    assert_eq!(seen[1].0, TITLE, "and the reported thread's title");
    let secrets = [
        PSEUDONYM,
        EMAIL,
        THREAD_TEXT,
        ANON_TEXT,
        REPLY_TEXT,
        SEARCH_NAME,
        REPORT_DETAIL,
        TITLE,
        SEEKER_PLACE,
        SNAPSHOT_TEXT,
    ];
    w.p.flush().unwrap();
    for s in secrets.into_iter().filter(|s| !SEALED.contains(s)) {
        assert!(file_contains(&path, s), "{s} is in the file before (the test must be able to see it)");
    }
    for s in SEALED {
        assert!(!file_contains(&path, s), "{s} is sealed under Kim's key, never in the file as it is");
    }
    let everywhere = |text: &str| {
        let query = SearchQuery { text: text.into(), ..Default::default() };
        w.p.search().search(&w.ole, &query, &PageRequest::default()).unwrap().items.len()
    };
    assert_eq!(everywhere("Zitronenfalter"), 1, "the one search finds Kim's thread before (the test can see it)");
    assert_eq!(everywhere("Seepferdchenkapitän"), 1);
    let report = w.p.rights().erase(&w.kim, w.kim_id, Some(PostFate::Delete), "auf eigenen Wunsch").unwrap();
    assert_eq!(everywhere("Zitronenfalter"), 0, "no word of the deleted text is found");
    assert_eq!(everywhere("Seepferdchenkapitän"), 0, "nor of the deleted title");
    assert!(report.erased.iter().any(|c| c.what == "search index entries" && c.count == 1), "{report:?}");
    assert!(report.erased.iter().any(|c| c.what == "forum posts" && c.count == 4), "{report:?}");
    let seen = item_texts(&w.p, &targets);
    assert_eq!(seen, vec![("(erased)".to_string(), None); 2], "the items read as erased");
    assert!(matches!(w.p.accounts().get(&Actor::Operator, w.kim_id), Err(Error::NotFound { .. })));
    assert!(w.p.accounts().authenticate(PSEUDONYM, "ein langes Passwort 42").is_err());
    // Nothing still links the account, through any operation.
    let page = w.p.forums().thread_page(&w.ole, w.thread, &PageRequest::default()).unwrap();
    assert_eq!(page.thread.title, "(deleted)");
    assert!(page.posts.iter().all(|p| p.author.account != Some(w.kim_id)));
    assert_eq!(page.posts[0].author.name, "former member");
    assert!(page.posts[0].body.is_empty(), "the text was deleted");
    assert!(page.posts[1].body.contains("Meine Geschichte"), "Ole's quote is Ole's text and stays as such");
    let found =
        w.p.forums()
            .search(&w.ole, &ForumQuery { text: "Zitronenfalter".into(), board: None }, &PageRequest::default())
            .unwrap();
    assert!(found.items.is_empty(), "the search index forgot the posts");
    let inbox = w.p.inbox().list(&w.ole, false, &PageRequest::default()).unwrap();
    assert!(!format!("{inbox:?}").contains(PSEUDONYM), "Ole's notifications name nobody");
    let told = inbox.items.iter().find_map(|n| match &n.event {
        Event::ForumThread { thread, title, author, .. } if *thread == w.thread => {
            Some((title.as_str(), author.as_str()))
        }
        _ => None,
    });
    assert_eq!(told, Some(("(deleted)", "former member")), "Ole was told of Kim's thread: {inbox:?}");
    let audit = w.p.audit().list(&Actor::Operator, &AuditFilter::default(), &PageRequest::default()).unwrap();
    let target = format!("account:{}", w.kim_id);
    assert!(audit.items.iter().all(|e| e.target != target && e.actor != w.kim), "{audit:?}");
    assert!(audit.items.iter().any(|e| e.action == "account.erase" && e.target == "account:erased"));
    assert!(audit.items.iter().any(|e| e.action == "account.silence"), "the action stays, without the person");
    assert_eq!(w.p.integrity().unwrap().problems, Vec::<String>::new());
    w.p.compact(&Actor::Operator).unwrap();
    // The other person's words are theirs and stay: readable, and sealed under their own key
    // (post texts since schema 31, the thread's excerpt since 32), so not in the clear.
    let oles = w.p.forums().thread_page(&w.ole, w.ole_thread, &PageRequest::default()).unwrap();
    assert_eq!(oles.posts[0].body, "Wer kennt das?");
    assert_eq!(oles.thread.title, "Oles Frage");
    drop(w);
    for s in secrets {
        assert!(!file_contains(&path, s), "{s} survived erasure and compaction");
    }
    assert!(!file_contains(&path, "Wer kennt das?"), "Ole's words are sealed under Ole's key");
}

/// The title `reader`'s notification of the new thread `thread` shows, if there is one.
fn told_of(p: &Platform, reader: AccountId, thread: ThreadId) -> Option<String> {
    let inbox = p.inbox().list(&Actor::account(reader), false, &PageRequest::default()).unwrap();
    inbox.items.into_iter().find_map(|n| match n.event {
        Event::ForumThread { thread: about, title, .. } if about == thread => Some(title),
        _ => None,
    })
}

/// The key store beside a database file (`docs/erasure.md`).
fn key_file(path: &Path) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(".keys");
    name.into()
}

/// Crypto-shredding: a byte copy of the file taken before the erasure (a backup) keeps Kim's
/// sealed e-mail, and it opened with the key store of that time; after the erasure the copy,
/// restored beside the platform's key store, no longer opens it — while the other person's
/// sealed e-mail in the same copy still does. What is not sealed (the pseudonym, indexed) is
/// still in the copy: compaction cannot reach a copy, the key store can.
#[test]
fn a_copy_of_the_file_taken_before_erasure_no_longer_opens_their_sealed_fields() {
    const OLE_EMAIL: &str = "ole.seeadler@example.org";
    let clock = clock();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("live.redb");
    let w = world_on(Platform::open(&path, options(&clock)).unwrap(), clock.clone());
    let change = AccountUpdate { email: Some(OLE_EMAIL.into()), ..Default::default() };
    w.p.accounts().update(&w.ole, w.ole_id, &change).unwrap();
    let (kim, ole, ole_thread, kim_thread) = (w.kim_id, w.ole_id, w.ole_thread, w.thread);
    let gone = kim_leaves_a_snapshot(&w);
    let targets = [Target::Post { id: gone }, Target::Thread { id: kim_thread }];
    drop(w);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(key_file(&path)).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "the key store is private");
    }
    let backup = dir.path().join("backup.redb");
    let keys_then = dir.path().join("keys-then");
    std::fs::copy(&path, &backup).unwrap();
    std::fs::copy(key_file(&path), &keys_then).unwrap();
    for s in SEALED.into_iter().chain([OLE_EMAIL]) {
        assert!(!file_contains(&backup, s), "{s} is sealed in the copy too");
    }
    assert!(file_contains(&backup, PSEUDONYM), "the copy holds Kim's records (the test can see them)");

    let p = Platform::open(&path, options(&clock)).unwrap();
    let report = p.rights().erase(&Actor::Operator, kim, None, "Antrag per Post").unwrap();
    assert!(report.erased.iter().any(|c| c.what == "data key" && c.count == 1), "{report:?}");
    drop(p);

    // With the key store of the time (had it been backed up with the file) the copy opens:
    // the test can see what the destroyed key would still open.
    std::fs::copy(&keys_then, key_file(&backup)).unwrap();
    let then = Platform::open(&backup, options(&clock)).unwrap();
    let account = then.accounts().get(&Actor::Operator, kim).unwrap();
    assert_eq!((account.email.as_deref(), account.perspective), (Some(EMAIL), Perspective::LivedExperience));
    let profile = then.seekers().get(&Actor::Operator, kim).unwrap();
    assert!(matches!(profile.location, Some(Location::OnSite { place: Some(ref p), .. }) if p == SEEKER_PLACE));
    assert_eq!(then.alerts().list(&Actor::account(kim)).unwrap()[0].name, SEARCH_NAME);
    let page = then.forums().thread_page(&Actor::Operator, ole_thread, &PageRequest::default()).unwrap();
    let reply = page.posts.iter().find(|p| p.body == REPLY_TEXT).expect("the copy opens Kim's reply with those keys");
    let (reply, shown) = (reply.id, page.posts.len());
    let kims = then.forums().thread_page(&Actor::Operator, kim_thread, &PageRequest::default()).unwrap();
    assert_eq!((kims.thread.title.as_str(), kims.thread.excerpt.as_str()), (TITLE, THREAD_TEXT));
    let seen = item_texts(&then, &targets);
    assert_eq!((seen[0].1.as_deref(), seen[1].0.as_str()), (Some(SNAPSHOT_TEXT), TITLE), "{seen:?}");
    assert_eq!(told_of(&then, ole, kim_thread).as_deref(), Some(TITLE), "Ole's notification reads the title");
    drop(then);

    // Restored beside the platform's key store, it does not.
    std::fs::remove_file(key_file(&backup)).unwrap();
    std::fs::copy(key_file(&path), key_file(&backup)).unwrap();
    let restored = Platform::open(&backup, options(&clock)).unwrap();
    let err = restored.accounts().get(&Actor::Operator, kim).unwrap_err();
    assert!(matches!(err, Error::Storage { ref detail } if detail.contains("sealed")), "{err:?}");
    assert!(!err.to_string().contains(EMAIL) && !err.to_string().contains(PSEUDONYM), "{err}");
    let others = restored.accounts().get(&Actor::Operator, ole).unwrap();
    assert_eq!(others.email.as_deref(), Some(OLE_EMAIL), "the others' sealed fields open as before");
    let err = restored.seekers().get(&Actor::Operator, kim).unwrap_err();
    assert!(matches!(err, Error::Storage { ref detail } if detail.contains("sealed")), "{err:?}");
    assert!(!err.to_string().contains(SEEKER_PLACE), "{err}");
    // Kim's post texts in the copy no longer open: the thread still shows, their words do not.
    let page = restored.forums().thread_page(&Actor::Operator, ole_thread, &PageRequest::default()).unwrap();
    assert_eq!(page.posts.len(), shown, "the thread reads, post for post");
    let body = |id: PostId| page.posts.iter().find(|p| p.id == id).unwrap().body.clone();
    assert_eq!(body(reply), "", "Kim's reply reads empty in the copy");
    assert!(page.posts.iter().all(|p| p.body != ANON_TEXT && p.body != REPLY_TEXT), "{page:?}");
    assert_eq!(body(page.posts[0].id), "Wer kennt das?", "Ole's words open as before");
    // Kim's thread title and excerpt, on its page, its board's page and as a search hit, and
    // what moderators kept of Kim's words, no longer open either.
    let kims = restored.forums().thread_page(&Actor::Operator, kim_thread, &PageRequest::default()).unwrap();
    assert_eq!((kims.thread.title.as_str(), kims.thread.excerpt.as_str()), ("(deleted)", ""));
    let board = restored.forums().board_page(&Actor::Operator, kims.thread.board, &PageRequest::default()).unwrap();
    let line = board.threads.iter().find(|t| t.id == kim_thread).expect("Kim's thread is on its board's page");
    assert_eq!((line.title.as_str(), line.excerpt.as_str()), ("(deleted)", ""));
    assert!(board.threads.iter().any(|t| t.title == "Oles Frage"), "Ole's title opens as before");
    let query = SearchQuery { text: "Seepferdchenkapitän".into(), ..Default::default() };
    let hits = restored.search().search(&Actor::Operator, &query, &PageRequest::default()).unwrap();
    assert!(format!("{hits:?}").contains("(deleted)") && !format!("{hits:?}").contains(TITLE), "{hits:?}");
    let told = told_of(&restored, ole, kim_thread);
    assert_eq!(told.as_deref(), Some("(deleted)"), "Ole's notification of Kim's thread reads as its page does");
    let seen = item_texts(&restored, &targets);
    assert_eq!(seen, vec![("(erased)".to_string(), None); 2], "moderators read the items as erased");

    let problems = restored.integrity().unwrap().problems;
    assert!(problems.iter().any(|p| p.contains(&format!("post {reply}")) && p.contains("sealed")), "{problems:?}");
    for what in [format!("account {kim}"), format!("seeker profile {kim}"), "saved search".to_string()] {
        assert!(problems.iter().any(|p| p.contains(&what)), "{what}: {problems:?}");
    }
    let keys = std::fs::read(key_file(&path)).unwrap();
    assert!(SEALED.iter().all(|s| !keys.windows(s.len()).any(|w| w == s.as_bytes())), "the key store holds no value");
}

/// Crypto-shredding on PostgreSQL: the keys lie in the schema `<schema>_keys`, no table of the
/// platform's schema holds a sealed text (its bytes are looked for in every row), and the
/// erasure deletes Kim's key in its own transaction. A backup of the data taken before the
/// erasure without the key store (as `pg_dump --exclude-schema=NAME_keys` takes it), restored
/// after it beside the live key store, no longer opens Kim's sealed fields, while Ole's open.
#[cfg(feature = "postgres")]
#[test]
fn on_postgres_erasure_deletes_the_key_and_a_backup_of_the_data_no_longer_opens_their_sealed_fields() {
    const OLE_EMAIL: &str = "ole.seeadler@example.org";
    let Some(pg) = common::pg::Scratch::new("rights") else { return };
    let clock = clock();
    let w = world_on(Platform::open_postgres(&pg.store, options(&clock)).unwrap(), clock.clone());
    let change = AccountUpdate { email: Some(OLE_EMAIL.into()), ..Default::default() };
    w.p.accounts().update(&w.ole, w.ole_id, &change).unwrap();
    let (kim, ole) = (w.kim_id, w.ole_id);
    assert_eq!(w.p.accounts().get(&Actor::Operator, kim).unwrap().email.as_deref(), Some(EMAIL));
    for s in SEALED.into_iter().chain([OLE_EMAIL]) {
        assert_eq!(pg.tables_holding(&pg.schema, s), Vec::<String>::new(), "{s} is sealed, never stored as it is");
    }
    assert!(!pg.tables_holding(&pg.schema, PSEUDONYM).is_empty(), "the tables hold Kim's records (the test sees them)");
    let keys = pg.people_with_keys();
    assert!(keys.contains(&kim) && keys.contains(&ole), "{keys:?}");
    pg.back_up_data();

    let report = w.p.rights().erase(&Actor::Operator, kim, None, "Antrag per Post").unwrap();
    assert!(report.erased.iter().any(|c| c.what == "data key" && c.count == 1), "{report:?}");
    assert!(!pg.people_with_keys().contains(&kim), "the key row is gone with the erasure");
    w.p.tick(&Actor::Operator, clock.now()).unwrap();
    drop(w);

    pg.restore_data();
    let restored = Platform::open_postgres(&pg.store, options(&clock)).unwrap();
    let err = restored.accounts().get(&Actor::Operator, kim).unwrap_err();
    assert!(matches!(err, Error::Storage { ref detail } if detail.contains("sealed")), "{err:?}");
    assert!(!err.to_string().contains(EMAIL) && !err.to_string().contains(PSEUDONYM), "{err}");
    let err = restored.seekers().get(&Actor::Operator, kim).unwrap_err();
    assert!(matches!(err, Error::Storage { ref detail } if detail.contains("sealed")), "{err:?}");
    let others = restored.accounts().get(&Actor::Operator, ole).unwrap();
    assert_eq!(others.email.as_deref(), Some(OLE_EMAIL), "the others' sealed fields open as before");
    let problems = restored.integrity().unwrap().problems;
    assert!(problems.iter().any(|p| p.contains(&format!("account {kim}"))), "{problems:?}");
}

/// A published posting: Kim's saved search (no filter) alerts Kim's inbox, repeating its name.
fn publish_job(p: &Platform) -> JobId {
    let org = common::org(p, "Leuchtturm gGmbH", "DE-SH").id;
    p.orgs().verify(&Actor::Operator, org, true, None).unwrap();
    let location = LocationInput::Coordinates { latitude: 54.3, longitude: 8.9, place: Some("Husum".into()) };
    let job = p.jobs().create(&Actor::Operator, &new_job(org, "Genesungsbegleitung Husum", location)).unwrap();
    p.jobs().publish(&Actor::Operator, job.id).unwrap();
    job.id
}

/// Since version 25 the inbox texts (a job alert repeats the saved search's name), the notes on
/// job interests and the words of reports, and since version 26 the statements of appeals, are
/// sealed under their person's key: operations, moderators and the export see them, the file
/// never holds them, and after the erasure a copy restored beside the key store opens none of
/// them — a moderator reading Kim's report or appeal in that copy reads that the reporter's or
/// appellant's words were erased, as in the live file.
#[test]
fn inbox_texts_interest_notes_and_report_words_are_sealed_and_shredded_in_every_copy() {
    const NOTE: &str = "Ich bringe Erfahrung aus der Seemöwenklinik mit";
    const STATEMENT: &str = "Ich bitte um Nachsicht, Walrossdirigentin";
    const ERASED_STATEMENT: &str = "(the appellant's words were erased)";
    let clock = clock();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("live.redb");
    let w = world_on(Platform::open(&path, options(&clock)).unwrap(), clock.clone());
    let job = publish_job(&w.p);
    let interest = w.p.interests().mark(&w.kim, job, Some(NOTE)).unwrap();
    let inbox = w.p.inbox().list(&w.kim, false, &PageRequest::default()).unwrap();
    let alert = inbox
        .items
        .iter()
        .find(|n| matches!(&n.event, Event::JobAlert { search_name, .. } if search_name == SEARCH_NAME))
        .unwrap_or_else(|| panic!("Kim's inbox shows the alert with the search's name: {inbox:?}"))
        .id;
    assert_eq!(w.p.interests().for_job(&Actor::Operator, job).unwrap()[0].note.as_deref(), Some(NOTE));
    let queue = w.p.moderation().queue(&w.admin, ItemState::Pending, &PageRequest::default()).unwrap();
    let item = queue.items.iter().find(|i| i.target == Target::Thread { id: w.ole_thread }).unwrap().id;
    let detail = w.p.moderation().item(&w.admin, item).unwrap();
    assert_eq!(detail.reports[0].detail.as_deref(), Some(REPORT_DETAIL), "moderators read the open report");
    let kims =
        NewReport { target: Target::Thread { id: w.thread }, reason: ReportReason::Misinformation, detail: None };
    w.p.moderation().report(&w.ole, &kims).unwrap();
    let queue = w.p.moderation().queue(&w.admin, ItemState::Pending, &PageRequest::default()).unwrap();
    let kims = queue.items.iter().find(|i| i.target == Target::Thread { id: w.thread }).unwrap();
    let warning = w.p.moderation().act(&w.admin, kims.id, kims.version, &ModAction::Warn, "Bitte sachlich").unwrap();
    let appeal = w.p.moderation().appeal(&w.kim, warning.id, STATEMENT).unwrap().id;
    let appeals = |p: &Platform, admin: &Actor| p.moderation().appeals(admin, false, &PageRequest::default()).unwrap();
    let shown = appeals(&w.p, &w.admin).items.into_iter().find(|a| a.id == appeal).unwrap();
    assert_eq!((shown.appellant, shown.statement.as_str()), (Some(w.kim_id), STATEMENT), "moderators read it");
    let export = w.p.rights().export_documents(&w.kim, w.kim_id).unwrap();
    for (file, text) in [
        ("inbox.json", SEARCH_NAME),
        ("job_interests.json", NOTE),
        ("reports_made.json", REPORT_DETAIL),
        ("appeals.json", STATEMENT),
    ] {
        let json = &export.documents.iter().find(|d| d.name == file).unwrap().json;
        assert!(json.contains(text), "the export's {file} holds {text}: {json}");
    }
    let (kim, admin) = (w.kim_id, w.admin.clone());
    drop(w);
    for text in [SEARCH_NAME, NOTE, REPORT_DETAIL, STATEMENT] {
        assert!(!file_contains(&path, text), "{text} is sealed, never in the file as it is");
    }
    let backup = dir.path().join("backup.redb");
    let keys_then = dir.path().join("keys-then");
    std::fs::copy(&path, &backup).unwrap();
    std::fs::copy(key_file(&path), &keys_then).unwrap();

    let p = Platform::open(&path, options(&clock)).unwrap();
    p.rights().erase(&Actor::Operator, kim, None, "Antrag per Post").unwrap();
    assert_eq!(p.integrity().unwrap().problems, Vec::<String>::new());
    let report = &p.moderation().item(&admin, item).unwrap().reports[0];
    assert_eq!((report.reporter, report.detail.as_deref()), (None, Some("(the reporter's words were erased)")));
    let shown = appeals(&p, &admin).items.into_iter().find(|a| a.id == appeal).unwrap();
    assert_eq!((shown.appellant, shown.statement.as_str()), (None, ERASED_STATEMENT));
    drop(p);

    std::fs::copy(&keys_then, key_file(&backup)).unwrap();
    let then = Platform::open(&backup, options(&clock)).unwrap();
    let shown = then.inbox().list(&Actor::account(kim), false, &PageRequest::default()).unwrap();
    assert!(shown.items.iter().any(|n| n.id == alert), "with the key store of the time the copy opens");
    assert_eq!(then.interests().for_job(&Actor::Operator, job).unwrap()[0].note.as_deref(), Some(NOTE));
    assert_eq!(then.moderation().item(&admin, item).unwrap().reports[0].detail.as_deref(), Some(REPORT_DETAIL));
    let shown = appeals(&then, &admin).items.into_iter().find(|a| a.id == appeal).unwrap();
    assert_eq!(shown.statement, STATEMENT, "with the key store of the time the statement opens");
    drop(then);

    std::fs::remove_file(key_file(&backup)).unwrap();
    std::fs::copy(key_file(&path), key_file(&backup)).unwrap();
    let restored = Platform::open(&backup, options(&clock)).unwrap();
    let problems = restored.integrity().unwrap().problems;
    let named = format!("notification {alert} of account {kim}");
    assert!(problems.iter().any(|p| p.contains(&named) && p.contains("sealed")), "{named}: {problems:?}");
    assert!(!problems.iter().any(|p| p.contains(SEARCH_NAME)), "{problems:?}");
    let err = restored.interests().for_job(&Actor::Operator, job).unwrap_err();
    assert!(matches!(err, Error::Storage { ref detail } if detail.contains(&format!("interest {}", interest.id))));
    assert!(!err.to_string().contains(NOTE), "{err}");
    let report = &restored.moderation().item(&admin, item).unwrap().reports[0];
    assert_eq!(report.reporter, Some(kim), "the copy still names Kim: only compaction of the live file removes that");
    assert_eq!(report.detail.as_deref(), Some("(the reporter's words were erased)"), "a moderator reads that much");
    let shown = appeals(&restored, &admin).items.into_iter().find(|a| a.id == appeal).unwrap();
    assert_eq!((shown.appellant, shown.statement.as_str()), (Some(kim), ERASED_STATEMENT), "the words are gone");
}

#[test]
fn kept_posts_read_former_member_and_the_pseudonym_leaves_the_file() {
    let clock = clock();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keep.redb");
    let w = world_on(Platform::open(&path, options(&clock)).unwrap(), clock.clone());
    w.p.rights().erase(&Actor::Operator, w.kim_id, Some(PostFate::KeepAsFormerMember), "Antrag per Post").unwrap();
    let page = w.p.forums().thread_page(&w.ole, w.ole_thread, &PageRequest::default()).unwrap();
    let kept = page.posts.iter().find(|p| p.body.contains("Ich auch")).expect("the post stays");
    assert_eq!(kept.author.name, "former member");
    assert_eq!(kept.author.account, None, "a kept post links to no account (not Some(0))");
    let as_admin = w.p.forums().thread_page(&w.admin, w.ole_thread, &PageRequest::default()).unwrap();
    for post in as_admin.posts.iter().filter(|p| p.body == ANON_TEXT || p.body.contains("Ich auch")) {
        assert_eq!(post.author.account, None, "not even an admin sees an account behind an erased author");
    }
    let own = w.p.forums().thread(&w.ole, w.thread).unwrap();
    assert_eq!((own.author.account, own.author.name.as_str()), (None, "former member"));
    assert!(page.posts.iter().any(|p| p.body == ANON_TEXT && p.author.anonymous), "anonymous stays anonymous");
    w.p.compact(&Actor::Operator).unwrap();
    let ole_thread = w.ole_thread;
    drop(w);
    for s in [PSEUDONYM, EMAIL, SEARCH_NAME, REPORT_DETAIL] {
        assert!(!file_contains(&path, s), "{s} survived erasure and compaction");
    }
    // Kept posts were rewritten plain before Kim's key went: they read without it.
    for s in [THREAD_TEXT, ANON_TEXT, REPLY_TEXT] {
        assert!(file_contains(&path, s), "kept posts keep their text: {s}");
    }
    let p = Platform::open(&path, options(&clock)).unwrap();
    let page = p.forums().thread_page(&Actor::Operator, ole_thread, &PageRequest::default()).unwrap();
    let kept = page.posts.iter().find(|p| p.body == REPLY_TEXT).expect("the kept reply reads after reopening");
    assert_eq!((kept.author.name.as_str(), kept.author.account), ("former member", None));
    assert_eq!(p.integrity().unwrap().problems, Vec::<String>::new());
}

#[test]
fn the_export_as_documents_holds_the_archives_files_and_is_audited() {
    let w = world();
    let dir = tempfile::tempdir().unwrap();
    let zip = w.p.rights().export(&w.kim, w.kim_id, &dir.path().join("kim.zip")).unwrap();
    let documents = w.p.rights().export_documents(&w.kim, w.kim_id).unwrap();
    let names: Vec<_> = documents.documents.iter().map(|d| d.name.as_str()).collect();
    let zipped: Vec<_> = zip.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, zipped, "the same files as the archive");
    let archive = unzip(&dir.path().join("kim.zip"));
    for document in &documents.documents {
        let (_, text) = archive.iter().find(|(name, _)| *name == document.name).unwrap();
        let ours: Vec<serde_json::Value> = serde_json::from_str(&document.json).unwrap();
        let zipped: Vec<serde_json::Value> = serde_json::from_str(text).unwrap();
        if document.name == "audit_entries.json" {
            // The second export sees the first one's audit entry.
            assert_eq!(ours[..zipped.len()], zipped[..]);
            assert_eq!(ours.last().unwrap()["action"], "account.export");
        } else {
            assert_eq!(ours, zipped, "{}", document.name);
        }
        assert_eq!(ours.len() as u64, document.records);
    }
    assert!(documents.documents.iter().any(|d| d.name == "forum_posts.json" && d.json.contains(ANON_TEXT)));
    assert!(documents.readme.contains("forum_posts.json"));
    let audit = w.p.audit().list(&Actor::Operator, &AuditFilter::default(), &PageRequest::default()).unwrap();
    let exports = audit.items.iter().filter(|e| e.action == "account.export").count();
    assert_eq!(exports, 2, "both exports are audited");
    assert!(matches!(w.p.rights().export_documents(&w.ole, w.kim_id), Err(Error::PermissionDenied { .. })));
}

#[test]
fn sessions_are_exported_without_tokens_and_end_with_the_erasure() {
    let w = world();
    let signed =
        w.p.sessions().sign_in(PSEUDONYM, "ein langes Passwort 42", Duration::days(30), Some("Kims Telefon")).unwrap();
    let other = w.p.sessions().sign_in(PSEUDONYM, "ein langes Passwort 42", Duration::days(1), None).unwrap();
    let export = w.p.rights().export_documents(&w.kim, w.kim_id).unwrap();
    let sessions = export.documents.iter().find(|d| d.name == "sessions.json").expect("a sessions file");
    assert_eq!(sessions.records, 2);
    assert!(sessions.json.contains("Kims Telefon"));
    let token_hex = signed.token.trim_start_matches("trialog_");
    for secret in [signed.token.as_str(), token_hex, &token_hex[..16]] {
        assert!(!sessions.json.contains(secret), "no token in the export");
    }
    assert!(!sessions.json.contains("hash"), "no token hash in the export");
    let report = w.p.rights().erase(&w.kim, w.kim_id, None, "auf eigenen Wunsch").unwrap();
    assert!(report.erased.iter().any(|c| c.what == "sessions" && c.count == 2), "{report:?}");
    for token in [&signed.token, &other.token] {
        let dead = w.p.sessions().resolve(token).unwrap_err();
        assert!(matches!(dead, Error::AccountErased { .. }), "the token is dead and says why: {dead:?}");
    }
    assert!(w.p.sessions().list(&Actor::Operator, w.kim_id).unwrap().is_empty());
    assert_eq!(w.p.integrity().unwrap().problems, Vec::<String>::new());
}

#[test]
fn a_reason_that_names_the_person_is_refused() {
    let w = world();
    let err = w.p.rights().erase(&Actor::Operator, w.kim_id, None, &format!("Antrag von {}", PSEUDONYM.to_lowercase()));
    assert_eq!(field_of(err), "reason");
    assert_eq!(field_of(w.p.rights().erase(&Actor::Operator, w.kim_id, None, " ")), "reason");
    w.p.accounts().get(&Actor::Operator, w.kim_id).expect("nothing was erased");
}

#[test]
fn retention_is_off_by_default_then_warns_and_erases_inactive_accounts_on_the_scheduler() {
    let w = world();
    let (p, clock) = (&w.p, &w.clock);
    assert_eq!(p.rights().retention(&Actor::Operator).unwrap().inactive_months, None, "off by default");
    clock.advance(Duration::days(400));
    let quiet = p.tick(&Actor::Operator, clock.now()).unwrap();
    assert!(quiet.work.iter().all(|c| c.domain != "rights"), "nothing happens while it is off: {quiet:?}");
    let rule = RetentionSettings { inactive_months: Some(6), grace_days: 30, posts: PostFate::KeepAsFormerMember };
    assert_eq!(
        field_of(p.rights().set_retention(&Actor::Operator, &RetentionSettings { inactive_months: Some(0), ..rule })),
        "inactive_months"
    );
    p.rights().set_retention(&Actor::Operator, &rule).unwrap();
    p.accounts().set_password(&Actor::Operator, w.ole_id, "noch ein langes Passwort").unwrap();
    p.accounts().authenticate("Ole", "noch ein langes Passwort").unwrap();
    let first = p.tick(&Actor::Operator, clock.now()).unwrap();
    let warned = |r: &TickReport| r.work.iter().find(|c| c.what == "inactive accounts warned").map_or(0, |c| c.count);
    assert_eq!(warned(&first), 2, "Kim and the admin rest; Ole signed in: {first:?}");
    let warnings = p.rights().warnings(&Actor::Operator).unwrap();
    assert!(warnings.iter().any(|x| x.account == w.kim_id) && warnings.iter().all(|x| x.account != w.ole_id));
    let kim_inbox = p.inbox().list(&w.kim, false, &PageRequest::default()).unwrap();
    assert!(matches!(kim_inbox.items[0].event, Event::RetentionWarning { .. }), "warned through the inbox");
    assert_eq!(warned(&p.tick(&Actor::Operator, clock.now()).unwrap()), 0, "warned once");
    // The admin signs in during the grace period and stays; Kim does not and is erased.
    clock.advance(Duration::days(10));
    p.accounts().set_password(&Actor::Operator, account_id(p, "Admina"), "admin passwort lang").unwrap();
    p.accounts().authenticate("Admina", "admin passwort lang").unwrap();
    clock.advance(Duration::days(21));
    let last = p.tick(&Actor::Operator, clock.now()).unwrap();
    let count = |what: &str| last.work.iter().find(|c| c.what == what).map_or(0, |c| c.count);
    assert_eq!(count("inactive accounts erased"), 1, "{last:?}");
    assert_eq!(count("warnings withdrawn (active again)"), 1, "{last:?}");
    assert!(matches!(p.accounts().get(&Actor::Operator, w.kim_id), Err(Error::NotFound { .. })));
    assert!(p.accounts().find_by_pseudonym(&Actor::Operator, "Admina").is_ok());
    assert!(p.rights().warnings(&Actor::Operator).unwrap().is_empty());
}

fn account_id(p: &Platform, pseudonym: &str) -> AccountId {
    p.accounts().find_by_pseudonym(&Actor::Operator, pseudonym).unwrap().id
}
