//! The database file: persistence, exclusive opening, schema versions and migrations.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use trialog_core::*;

fn temp_db(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("platform.redb")
}

#[test]
fn data_survives_closing_and_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    {
        let p = Platform::open(&path, PlatformOptions::default()).unwrap();
        common::account(&p, "Bleibt", &[Role::Moderator]);
    }
    let p = Platform::open(&path, PlatformOptions::default()).unwrap();
    let a = p.accounts().find_by_pseudonym(&Actor::Operator, "bleibt").unwrap();
    assert!(a.has_role(&Role::Moderator));
    let report = p.integrity().unwrap();
    assert_eq!((report.accounts, report.schema_version), (1, SCHEMA_VERSION));
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

#[test]
fn a_second_opening_of_an_open_file_is_refused_with_database_in_use() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    let _first = Platform::open(&path, PlatformOptions::default()).unwrap();
    let err = Platform::open(&path, PlatformOptions::default()).unwrap_err();
    assert!(matches!(err, Error::DatabaseInUse { .. }), "{err:?}");
}

#[test]
fn open_existing_refuses_to_create_a_missing_file() {
    let dir = tempfile::tempdir().unwrap();
    let err = Platform::open_existing(temp_db(&dir), PlatformOptions::default()).unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
    assert!(!temp_db(&dir).exists());
}

#[test]
fn a_file_that_is_not_a_database_is_a_storage_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    std::fs::write(&path, b"Dies ist keine Datenbank, sondern ein Brief.").unwrap();
    let err = Platform::open(&path, PlatformOptions::default()).unwrap_err();
    assert!(matches!(err, Error::Storage { .. }), "{err:?}");
}

#[test]
fn eventual_commits_become_durable_after_flush() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    {
        let options = PlatformOptions { durability: Durability::Eventual, ..Default::default() };
        let p = Platform::open(&path, options).unwrap();
        for i in 0..50 {
            common::account(&p, &format!("batch{i}"), &[]);
        }
        p.flush().unwrap();
    }
    let report = Platform::check_file(&path, PlatformOptions::default()).unwrap();
    assert_eq!(report.accounts, 50);
    assert_eq!(report.file_intact, Some(true));
}

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/schema-v0.redb")
}

/// The version-0 layout, as pre-release builds wrote it: no `meta`, no index, no audit.
fn write_v0(path: &Path) {
    use redb::{Database, TableDefinition};
    const ACCOUNTS: TableDefinition<u64, &[u8]> = TableDefinition::new("accounts");
    const ORGS: TableDefinition<u64, &[u8]> = TableDefinition::new("orgs");
    const SEQUENCES: TableDefinition<&str, u64> = TableDefinition::new("sequences");
    let db = Database::create(path).unwrap();
    let txn = db.begin_write().unwrap();
    {
        let mut accounts = txn.open_table(ACCOUNTS).unwrap();
        let rows = [
            (
                1,
                r#"{"id":1,"pseudonym":"Sonne","perspective":"lived_experience","languages":["de"],"created_at":"2025-11-03T08:00:00Z"}"#,
            ),
            (
                2,
                r#"{"id":2,"pseudonym":"Havfrue","perspective":"relative","languages":["da"],"created_at":"2025-11-04T09:30:00Z"}"#,
            ),
            (3, r#"{"id":3,"pseudonym":"sonne","perspective":"professional","created_at":"2025-12-01T12:00:00Z"}"#),
        ];
        for (id, json) in rows {
            accounts.insert(id, json.as_bytes()).unwrap();
        }
        let mut orgs = txn.open_table(ORGS).unwrap();
        let org = r#"{"id":1,"name":"Soteria Jena","kind":"clinic","region":"DE-TH","created_at":"2025-11-01T00:00:00Z","updated_at":"2025-11-01T00:00:00Z"}"#;
        orgs.insert(1, org.as_bytes()).unwrap();
        let mut seq = txn.open_table(SEQUENCES).unwrap();
        seq.insert("accounts", 4).unwrap();
        seq.insert("orgs", 2).unwrap();
    }
    txn.commit().unwrap();
}

/// Regenerates the checked-in fixture: `cargo test -p trialog-core --test storage -- --ignored`.
#[test]
#[ignore]
fn regenerate_v0_fixture() {
    let _ = std::fs::remove_file(fixture());
    write_v0(&fixture());
}

#[test]
fn a_version_0_file_is_migrated_without_losing_an_account() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    std::fs::copy(fixture(), &path).expect("the v0 fixture is checked in under core/tests/fixtures");
    let p = Platform::open(&path, PlatformOptions::default()).unwrap();

    let report = p.integrity().unwrap();
    assert_eq!((report.schema_version, report.accounts, report.organisations), (SCHEMA_VERSION, 3, 1));
    assert!(report.problems.is_empty(), "{:?}", report.problems);

    let sonne = p.accounts().find_by_pseudonym(&Actor::Operator, "SONNE").unwrap();
    assert_eq!(
        (sonne.id, sonne.perspective, sonne.roles.clone()),
        (AccountId(1), Perspective::LivedExperience, vec![Role::Member])
    );
    let renamed = p.accounts().get(&Actor::Operator, AccountId(3)).unwrap();
    assert_eq!(renamed.pseudonym, "sonne-3", "the case-insensitive clash is renamed, not dropped");
    assert_eq!(renamed.updated_at, renamed.created_at);

    let log = p.audit().list(&Actor::Operator, &AuditFilter::default(), &PageRequest::default()).unwrap().items;
    assert_eq!(log.len(), 1);
    assert_eq!((log[0].action.as_str(), log[0].target.as_str()), ("migration.rename", "account:3"));

    let next = common::account(&p, "Neu_nach_Migration", &[]);
    assert_eq!(next.id, AccountId(4), "sequences continue where version 0 stopped");
}

#[test]
fn a_file_from_a_newer_trialog_is_refused_not_damaged() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    {
        let db = redb::Database::create(&path).unwrap();
        let txn = db.begin_write().unwrap();
        txn.open_table(redb::TableDefinition::<&str, u64>::new("meta")).unwrap().insert("schema_version", 99).unwrap();
        txn.commit().unwrap();
    }
    let err = Platform::open(&path, PlatformOptions::default()).unwrap_err();
    assert!(matches!(&err, Error::Storage { detail } if detail.contains("99")), "{err:?}");
}

/// Version 1 files (before the job board) lack its tables; opening one adds them.
#[test]
fn a_version_1_file_gains_the_job_board_tables() {
    use redb::{ReadableDatabase, TableDefinition, TableHandle};
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    {
        let p = Platform::open(&path, PlatformOptions::default()).unwrap();
        common::org(&p, "Alt e.V.", "DE-BE");
    }
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        let job_tables: Vec<String> = txn
            .list_tables()
            .unwrap()
            .map(|t| t.name().to_string())
            .filter(|n| n.starts_with("job") || n.starts_with("alert") || n.starts_with("seekers") || n == "inbox")
            .collect();
        assert!(job_tables.len() > 5, "{job_tables:?}");
        for name in &job_tables {
            txn.delete_table(TableDefinition::<u64, u64>::new(name)).unwrap();
        }
        txn.open_table(TableDefinition::<&str, u64>::new("meta")).unwrap().insert("schema_version", 1).unwrap();
        txn.commit().unwrap();
        let read = db.begin_read().unwrap();
        assert!(read.list_tables().unwrap().all(|t| t.name() != "jobs"), "the file is back at version 1");
    }
    let p = Platform::open(&path, PlatformOptions::default()).unwrap();
    assert_eq!(p.integrity().unwrap().schema_version, SCHEMA_VERSION);
    let page = p.jobs().search(&Actor::Anonymous, &JobQuery::default(), &PageRequest::default()).unwrap();
    assert!(page.items.is_empty());
    assert_eq!(p.orgs().get(&Actor::Operator, OrgId(1)).unwrap().name, "Alt e.V.");
}

/// Version 3 kept the ids of remote postings in `job_remote` and had no settings or match
/// runs; opening such a file files the remote postings' cards under `job_remote_cards`.
#[test]
fn a_version_3_file_moves_remote_cards_and_gains_settings_and_match_runs() {
    use redb::{ReadableDatabase, ReadableTable, TableDefinition, TableHandle};
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    let clock = common::clock();
    let options = || PlatformOptions { clock: std::sync::Arc::new(clock.clone()), ..Default::default() };
    let (remote, seeker) = {
        let p = Platform::open(&path, options()).unwrap();
        let org = common::org(&p, "Peer-Netz", "DE-BE");
        p.orgs().verify(&Actor::Operator, org.id, true, None).unwrap();
        let new = NewJob {
            org: org.id,
            title: "Peer-Beratung online".into(),
            description: "Beratung per Video.".into(),
            location: LocationInput::Remote,
            contract: Contract::Freelance,
            hours: Hours { min: 10, max: 15 },
            pay: Some(Pay {
                min: 25.0,
                max: None,
                unit: PayUnit::Hour,
                currency: "EUR".into(),
                agreement: None,
                group: None,
            }),
            requirement: None,
            languages: vec!["de".into()],
            starts_on: None,
            expires_on: None,
            openings: None,
            contact: None,
        };
        let job = p.jobs().create(&Actor::Operator, &new).unwrap();
        let job = p.jobs().publish(&Actor::Operator, job.id).unwrap();
        let seeker = common::account(&p, "Fern", &[]);
        let profile = SeekerProfileInput { open_to_remote: true, languages: vec!["de".into()], ..Default::default() };
        p.seekers().set(&Actor::Operator, seeker.id, &profile).unwrap();
        (job.id.0, seeker.id)
    };
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        let cards = TableDefinition::<u64, &[u8]>::new("job_remote_cards");
        let ids: Vec<u64> = txn.open_table(cards).unwrap().iter().unwrap().map(|r| r.unwrap().0.value()).collect();
        assert_eq!(ids, [remote]);
        let mut old = txn.open_table(TableDefinition::<u64, ()>::new("job_remote")).unwrap();
        for id in ids {
            old.insert(id, ()).unwrap();
        }
        drop(old);
        txn.delete_table(cards).unwrap();
        txn.delete_table(TableDefinition::<&str, &[u8]>::new("settings")).unwrap();
        txn.delete_table(TableDefinition::<u64, &[u8]>::new("match_runs")).unwrap();
        txn.delete_table(TableDefinition::<(&str, u64), ()>::new("match_runs_by_cohort")).unwrap();
        txn.open_table(TableDefinition::<&str, u64>::new("meta")).unwrap().insert("schema_version", 3).unwrap();
        txn.commit().unwrap();
    }
    let p = Platform::open(&path, options()).unwrap();
    assert_eq!(p.integrity().unwrap().schema_version, SCHEMA_VERSION);
    let found = p.jobs().suggest_for_seeker(&Actor::Operator, seeker, None).unwrap();
    assert_eq!(found.iter().map(|s| s.job.id).collect::<Vec<_>>(), [JobId(remote)], "the remote card was moved");
    let berlin = LocationInput::Coordinates { latitude: 52.52, longitude: 13.405, place: None };
    let query = JobQuery { near: Some(berlin), include_remote: true, ..Default::default() };
    assert_eq!(p.jobs().search(&Actor::Anonymous, &query, &PageRequest::default()).unwrap().items.len(), 1);
    assert_eq!(p.settings().suggestion_weights(&Actor::Anonymous).unwrap(), SuggestionWeights::default());
    drop(p);
    let db = redb::Database::open(&path).unwrap();
    let names: Vec<String> = db.begin_read().unwrap().list_tables().unwrap().map(|t| t.name().to_string()).collect();
    assert!(!names.contains(&"job_remote".to_string()), "the old table is dropped: {names:?}");
    assert!(names.contains(&"match_runs".to_string()), "{names:?}");
}

/// Version 4 stored inbox notifications as JSON; opening such a file rewrites them compactly.
#[test]
fn a_version_4_inbox_is_rewritten_and_reads_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    let (seeker, before) = {
        let p = Platform::open(&path, PlatformOptions::default()).unwrap();
        let org = common::org(&p, "Kette e.V.", "DE-BE");
        p.orgs().verify(&Actor::Operator, org.id, true, None).unwrap();
        let seeker = Actor::account(common::account(&p, "Wartet", &[]).id);
        p.alerts().add(&seeker, "Alles", &JobQuery::default()).unwrap();
        let new = NewJob {
            org: org.id,
            title: "Genesungsbegleitung im Kontaktcafé".into(),
            description: "Peer-Arbeit im offenen Café.".into(),
            location: LocationInput::Remote,
            contract: Contract::Volunteer,
            hours: Hours { min: 2, max: 4 },
            pay: None,
            requirement: None,
            languages: vec!["de".into()],
            starts_on: None,
            expires_on: None,
            openings: None,
            contact: None,
        };
        let job = p.jobs().create(&Actor::Operator, &new).unwrap();
        p.jobs().publish(&Actor::Operator, job.id).unwrap();
        let before = p.inbox().list(&seeker, false, &PageRequest::default()).unwrap();
        assert_eq!(before.items.len(), 1);
        (seeker, before)
    };
    {
        // Write the notification back the way version 4 did: the JSON of the record.
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut inbox = txn.open_table(redb::TableDefinition::<(u64, u64), &[u8]>::new("inbox")).unwrap();
            let n = &before.items[0];
            inbox.insert((n.account.0, n.id), serde_json::to_vec(n).unwrap().as_slice()).unwrap();
            let mut meta = txn.open_table(redb::TableDefinition::<&str, u64>::new("meta")).unwrap();
            meta.insert("schema_version", 4).unwrap();
        }
        txn.commit().unwrap();
    }
    let p = Platform::open(&path, PlatformOptions::default()).unwrap();
    assert_eq!(p.integrity().unwrap().schema_version, SCHEMA_VERSION);
    assert_eq!(p.inbox().list(&seeker, false, &PageRequest::default()).unwrap(), before);
}

/// Version 5 files (before the forums) lack the forum tables; opening one adds them, and the
/// forums work on it at once.
#[test]
fn a_version_5_file_gains_the_forum_tables() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    {
        let p = Platform::open(&path, PlatformOptions::default()).unwrap();
        common::account(&p, "Vor_den_Foren", &[]);
    }
    rewind(&path, "forum_", 20, 5);
    let p = Platform::open(&path, PlatformOptions::default()).unwrap();
    assert_eq!(p.integrity().unwrap().schema_version, SCHEMA_VERSION);
    assert!(p.forums().boards(&Actor::Anonymous).unwrap().is_empty());
    let board = NewBoard {
        slug: "neu".into(),
        title: "Neu".into(),
        description: String::new(),
        language: "de".into(),
        position: None,
        audience: Audience::Public,
        moderation: ModerationMode::Open,
    };
    let board = p.forums().create_board(&Actor::Operator, &board).unwrap();
    let author = p.accounts().find_by_pseudonym(&Actor::Operator, "vor_den_foren").unwrap();
    let new = NewThread {
        board: board.id,
        title: "Erster Faden".into(),
        body: "Hallo".into(),
        tags: vec![],
        anonymous: false,
    };
    p.forums().create_thread(&Actor::account(author.id), &new).unwrap();
    assert_eq!(p.forums().board_page(&Actor::Anonymous, board.id, &PageRequest::default()).unwrap().threads.len(), 1);
}

/// Version 6 files (before moderation) lack its tables and lists; opening one adds the tables
/// and fills the watched words and crisis resources with their defaults.
#[test]
fn a_version_6_file_gains_moderation_with_default_lists() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    {
        let p = Platform::open(&path, PlatformOptions::default()).unwrap();
        common::account(&p, "Vor_der_Moderation", &[]);
    }
    rewind(&path, "mod_", 13, 6);
    let p = Platform::open(&path, PlatformOptions::default()).unwrap();
    assert_eq!(p.integrity().unwrap().schema_version, SCHEMA_VERSION);
    assert!(p.moderation().check_text("Ich will nicht mehr leben", "de").unwrap().crisis());
    assert!(p.moderation().resources(&Actor::Operator).unwrap().iter().any(|r| r.name == "TelefonSeelsorge"));
}

/// Version 7 files (before counselling) lack its tables; opening one adds them, and an
/// enquiry can be opened at once.
#[test]
fn a_version_7_file_gains_the_counselling_tables() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    drop(Platform::open(&path, PlatformOptions::default()).unwrap());
    rewind(&path, "counsel_", 13, 7);
    let options = PlatformOptions { content_key: Some(ContentKey::generate().unwrap()), ..Default::default() };
    let p = Platform::open(&path, options).unwrap();
    assert_eq!(p.integrity().unwrap().schema_version, SCHEMA_VERSION);
    assert!(p.counsel().topics(&Actor::Anonymous).unwrap().iter().any(|t| t == "job_and_career"));
}

#[test]
fn a_version_9_file_orders_its_counselling_queues_by_crisis_level() {
    use redb::{ReadableTable, TableDefinition};
    use trialog_core::counsel::{CounselOffer, NewEnquiry, Priority};
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    let key = ContentKey::generate().unwrap();
    let options = || PlatformOptions { content_key: Some(key.clone()), ..Default::default() };
    let (org, anna) = as_before_version_12(|| {
        let p = Platform::open(&path, options()).unwrap();
        let org = common::org(&p, "Beratung Jena", "DE-TH").id;
        let offer = CounselOffer {
            org,
            topics: vec![],
            languages: vec!["de".into()],
            regions: vec![],
            first_response_hours: 48,
            business_days: false,
        };
        p.counsel().set_offer(&Actor::Operator, &offer).unwrap();
        let anna = common::account(&p, "Anna_Beraterin", &[Role::Counsellor { org }]).id;
        for text in
            ["Wie hoch ist das Gehalt?", "Ich will nicht mehr leben.", "Heute Nacht springe ich von der Brücke."]
        {
            let new = NewEnquiry {
                topic: "contracts_and_pay".into(),
                language: "de".into(),
                postcode: None,
                prefer_lived_experience: false,
                prefer_gender: None,
                text: text.into(),
            };
            p.counsel().enquire(&Actor::Anonymous, &new).unwrap();
        }
        (org, anna)
    });
    // Write the queue and the records back the way version 9 did: rank 0 urgent, 1 normal,
    // entries without a level, records without level and reasons.
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let queue_table = TableDefinition::<(u64, u8, u64, u64), &[u8]>::new("counsel_queue");
            let mut queue = txn.open_table(queue_table).unwrap();
            let rows: Vec<_> = queue
                .iter()
                .unwrap()
                .map(|r| {
                    let (k, v) = r.unwrap();
                    (k.value(), v.value().to_vec())
                })
                .collect();
            assert_eq!(rows.len(), 3);
            for ((org, rank, created, id), bytes) in rows {
                queue.remove((org, rank, created, id)).unwrap();
                let old_rank = if rank == 3 { 1 } else { 0 };
                queue.insert((org, old_rank, created, id), &bytes[..v9_entry_len(&bytes)]).unwrap();
            }
            let records_table = TableDefinition::<u64, &[u8]>::new("counsel_enquiries");
            let mut records = txn.open_table(records_table).unwrap();
            for id in 1..=3u64 {
                let mut json: serde_json::Value =
                    serde_json::from_slice(records.get(id).unwrap().unwrap().value()).unwrap();
                let fields = json.as_object_mut().unwrap();
                assert!(fields.remove("crisis_level").is_some() && fields.remove("crisis_reasons").is_some());
                records.insert(id, serde_json::to_vec(&json).unwrap().as_slice()).unwrap();
            }
        }
        txn.open_table(TableDefinition::<&str, u64>::new("meta")).unwrap().insert("schema_version", 9).unwrap();
        txn.commit().unwrap();
    }
    let p = Platform::open(&path, options()).unwrap();
    let report = p.integrity().unwrap();
    assert_eq!(report.schema_version, SCHEMA_VERSION);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let queue = p.counsel().queue(&Actor::account(anna), org, &PageRequest::default()).unwrap();
    let seen: Vec<_> = queue.items.iter().map(|q| (q.enquiry, q.priority, q.crisis_level)).collect();
    // The two urgent cases had no level then: both rank as high, the older first, above the
    // normal case.
    assert_eq!(seen, vec![(2, Priority::Urgent, None), (3, Priority::Urgent, None), (1, Priority::Normal, None)]);
}

/// The length of a version-9 queue entry inside today's (postcard: topic, language, due in
/// µs, overflow — today's entry continues with level and reasons).
fn v9_entry_len(bytes: &[u8]) -> usize {
    let varint_end = |mut at: usize| {
        while bytes[at] & 0x80 != 0 {
            at += 1;
        }
        at + 1
    };
    let mut at = 0;
    for _ in 0..2 {
        assert!(bytes[at] < 0x80, "short strings");
        at += 1 + bytes[at] as usize;
    }
    varint_end(at) + 1
}

/// Takes a file back to `version`: deletes the tables whose names start with `prefix` (at
/// least `at_least` of them, so a renamed table cannot make the test pass vacuously) and
/// writes the old version number.
fn rewind(path: &Path, prefix: &str, at_least: usize, version: u64) {
    use redb::{ReadableDatabase, TableDefinition, TableHandle};
    let db = redb::Database::open(path).unwrap();
    let txn = db.begin_write().unwrap();
    let tables: Vec<String> =
        txn.list_tables().unwrap().map(|t| t.name().to_string()).filter(|n| n.starts_with(prefix)).collect();
    assert!(tables.len() >= at_least, "{tables:?}");
    for name in &tables {
        txn.delete_table(TableDefinition::<u64, u64>::new(name)).unwrap();
    }
    txn.open_table(TableDefinition::<&str, u64>::new("meta")).unwrap().insert("schema_version", version).unwrap();
    txn.commit().unwrap();
    let read = db.begin_read().unwrap();
    assert!(
        read.list_tables().unwrap().all(|t| !t.name().starts_with(prefix)),
        "the file is back at version {version}"
    );
}

/// A gazetteer of `count` synthetic Danish postcodes, in the GeoNames layout.
fn gazetteer_rows(count: u32) -> String {
    (0..count)
        .map(|i| format!("DK\t{}\tSted {i}\tRegion\t1\tKommune\t2\t\t\t56.{i:04}\t10.2108\t6\n", 1000 + i))
        .collect()
}

fn file_len(path: &Path) -> u64 {
    std::fs::metadata(path).unwrap().len()
}

/// What redb's own compaction leaves of a copy of a closed file: open, compact until nothing
/// moves, close.
fn redb_compacted_copy(path: &Path, copy: &Path) -> u64 {
    std::fs::copy(path, copy).unwrap();
    let mut db = redb::Database::open(copy).unwrap();
    while db.compact().unwrap() {}
    drop(db);
    file_len(copy)
}

#[test]
fn compaction_leaves_the_file_no_larger_than_redbs_own_and_reports_its_true_size() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    {
        // A large gazetteer replaced by a small one frees most of the file's pages.
        let p = Platform::open(&path, PlatformOptions::default()).unwrap();
        p.geo().import(&Actor::Operator, gazetteer_rows(20_000).as_bytes(), &mut |_| {}).unwrap();
        p.geo().import_replacing(&Actor::Operator, gazetteer_rows(10).as_bytes(), &mut |_| {}).unwrap();
    }
    let redb_own = redb_compacted_copy(&path, &dir.path().join("redb-own.redb"));
    let p = Platform::open(&path, PlatformOptions::default()).unwrap();
    let report = p.compact(&Actor::Operator).unwrap();
    let (before, after) = (report.bytes_before.unwrap(), report.bytes_after.unwrap());
    assert_eq!(after, file_len(&path), "the report says the size on disk");
    assert!(after * 2 < before, "compaction hardly shrank the file: {report:?}");
    assert!(after <= redb_own, "compacted to {after} bytes, redb's own compaction to {redb_own}");
    let audit = p.audit().list(&Actor::Operator, &AuditFilter::default(), &PageRequest::first(10)).unwrap();
    assert!(audit.items.iter().any(|e| e.action == "platform.compact"), "the compaction is audited");
    drop(p);
    let again = redb_compacted_copy(&path, &dir.path().join("again.redb"));
    assert!(file_len(&path) <= again + 64 * 1024, "redb finds {} bytes more to save", file_len(&path) - again);
}

/// Version 8 keyed pseudonyms by case only; version 9 by look-alike skeletons. Opening a
/// version 8 file with two look-alike names ("Kim_aus_Jena", "Kim aus Jena") rebuilds the
/// index, keeps the older name and renames the newer one (audited), and the integrity check
/// passes.
#[test]
fn a_version_8_file_is_rekeyed_and_look_alike_names_are_renamed() {
    use redb::{ReadableDatabase, ReadableTable, TableDefinition};
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    as_before_version_12(|| {
        let p = Platform::open(&path, PlatformOptions::default()).unwrap();
        common::account(&p, "Kim_aus_Jena", &[]);
        common::account(&p, "Kim_aus_Gera", &[]);
    });
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let accounts_def = TableDefinition::<u64, &[u8]>::new("accounts");
            let mut accounts = txn.open_table(accounts_def).unwrap();
            let old = String::from_utf8(accounts.get(2).unwrap().unwrap().value().to_vec()).unwrap();
            let twin = old.replace("Kim_aus_Gera", "Kim aus Jena");
            accounts.insert(2, twin.as_bytes()).unwrap();
            let mut index = txn.open_table(TableDefinition::<&str, u64>::new("account_by_pseudonym")).unwrap();
            let keys: Vec<String> = index.iter().unwrap().map(|r| r.unwrap().0.value().to_string()).collect();
            for key in keys {
                index.remove(key.as_str()).unwrap();
            }
            // The version 8 keys: case-folded only.
            index.insert("kim_aus_jena", 1).unwrap();
            index.insert("kim aus jena", 2).unwrap();
        }
        txn.open_table(TableDefinition::<&str, u64>::new("meta")).unwrap().insert("schema_version", 8u64).unwrap();
        txn.commit().unwrap();
        let read = db.begin_read().unwrap();
        let meta = read.open_table(TableDefinition::<&str, u64>::new("meta")).unwrap();
        assert_eq!(meta.get("schema_version").unwrap().unwrap().value(), 8);
    }
    let p = Platform::open(&path, PlatformOptions::default()).unwrap();
    let report = p.integrity().unwrap();
    assert_eq!(report.schema_version, SCHEMA_VERSION);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(p.accounts().get(&Actor::Operator, AccountId(1)).unwrap().pseudonym, "Kim_aus_Jena");
    assert_eq!(p.accounts().get(&Actor::Operator, AccountId(2)).unwrap().pseudonym, "Kim aus Jena-2");
    assert_eq!(p.accounts().find_by_pseudonym(&Actor::Operator, "Kim aus Jena-2").unwrap().id, AccountId(2));
    let log = p.audit().list(&Actor::Operator, &AuditFilter::default(), &PageRequest::default()).unwrap().items;
    assert!(log.iter().any(|e| e.action == "migration.rename" && e.target == "account:2"), "{log:?}");
    let twin = NewAccount { pseudonym: "Kim_aus_J\u{435}na".into(), ..Default::default() };
    assert!(p.accounts().create(&Actor::Anonymous, &twin).is_err());
}

/// Version 10's keys kept the skeleton's capitals (the digit 0 became a capital O), so "Kim0"
/// and "Kimo" were not look-alikes. Opening a version 10 file holding both rebuilds the index
/// under version 11's keys: the older name stays, the newer is renamed (audited), and every
/// account can still be found by its name.
#[test]
fn a_version_10_file_is_rekeyed_and_a_zero_for_an_o_is_renamed() {
    use redb::{ReadableTable, TableDefinition};
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    as_before_version_12(|| {
        let p = Platform::open(&path, PlatformOptions::default()).unwrap();
        common::account(&p, "Kimo", &[]);
        common::account(&p, "Kimx", &[]);
    });
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let accounts_def = TableDefinition::<u64, &[u8]>::new("accounts");
            let mut accounts = txn.open_table(accounts_def).unwrap();
            let old = String::from_utf8(accounts.get(2).unwrap().unwrap().value().to_vec()).unwrap();
            let twin = old.replace("Kimx", "Kim0");
            accounts.insert(2, twin.as_bytes()).unwrap();
            let mut index = txn.open_table(TableDefinition::<&str, u64>::new("account_by_pseudonym")).unwrap();
            let keys: Vec<String> = index.iter().unwrap().map(|r| r.unwrap().0.value().to_string()).collect();
            for key in keys {
                index.remove(key.as_str()).unwrap();
            }
            // The version 10 keys: the skeleton's capital O left as it was.
            index.insert("kimo", 1).unwrap();
            index.insert("kimO", 2).unwrap();
        }
        txn.open_table(TableDefinition::<&str, u64>::new("meta")).unwrap().insert("schema_version", 10u64).unwrap();
        txn.commit().unwrap();
    }
    let p = Platform::open(&path, PlatformOptions::default()).unwrap();
    let report = p.integrity().unwrap();
    assert_eq!(report.schema_version, SCHEMA_VERSION);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(p.accounts().get(&Actor::Operator, AccountId(1)).unwrap().pseudonym, "Kimo");
    assert_eq!(p.accounts().get(&Actor::Operator, AccountId(2)).unwrap().pseudonym, "Kim0-2");
    assert_eq!(p.accounts().find_by_pseudonym(&Actor::Operator, "KIMO").unwrap().id, AccountId(1));
    assert_eq!(p.accounts().find_by_pseudonym(&Actor::Operator, "Kim0-2").unwrap().id, AccountId(2));
    let log = p.audit().list(&Actor::Operator, &AuditFilter::default(), &PageRequest::default()).unwrap().items;
    assert!(log.iter().any(|e| e.action == "migration.rename" && e.target == "account:2"), "{log:?}");
    let twin = NewAccount { pseudonym: "Kim0".into(), ..Default::default() };
    assert!(p.accounts().create(&Actor::Anonymous, &twin).is_err());
}

/// Runs `build` writing records as JSON, as every trialog before schema version 12 did, so
/// that a test can take the file back to an earlier version faithfully.
fn as_before_version_12<T>(build: impl FnOnce() -> T) -> T {
    write_json_on_this_thread(true);
    let built = build();
    write_json_on_this_thread(false);
    built
}

/// The tables version 12 rewrites compactly.
const COMPACTED: [&str; 8] =
    ["accounts", "credentials", "orgs", "forum_boards", "forum_threads", "forum_posts", "forum_revisions", "jobs"];

/// The first byte of every record in the tables version 12 rewrites, by table.
fn first_bytes(path: &Path) -> Vec<(String, u8)> {
    use redb::{ReadableDatabase, ReadableTable, TableDefinition, TableHandle};
    let db = redb::Database::open(path).unwrap();
    let read = db.begin_read().unwrap();
    let mut found = Vec::new();
    for table in read.list_tables().unwrap() {
        let name = table.name().to_string();
        if !COMPACTED.contains(&name.as_str()) {
            continue;
        }
        // redb checks key types: each table is opened with its own.
        let values: Vec<Vec<u8>> = match name.as_str() {
            "forum_posts" => {
                let t = read.open_table(TableDefinition::<(u64, u64), &[u8]>::new("forum_posts")).unwrap();
                t.iter().unwrap().map(|r| r.unwrap().1.value().to_vec()).collect()
            }
            "forum_revisions" => {
                let t = read.open_table(TableDefinition::<(u64, u32), &[u8]>::new("forum_revisions")).unwrap();
                t.iter().unwrap().map(|r| r.unwrap().1.value().to_vec()).collect()
            }
            _ => {
                let t = read.open_table(TableDefinition::<u64, &[u8]>::new(&name)).unwrap();
                t.iter().unwrap().map(|r| r.unwrap().1.value().to_vec()).collect()
            }
        };
        found.extend(values.into_iter().map(|v| (name.clone(), v[0])));
    }
    found
}

/// Version 11 stored every record as JSON. Opening such a file rewrites the records of the
/// large tables compactly (format byte 1) and everything reads as before; a second opening
/// has nothing left to do.
#[test]
fn a_version_11_file_is_rewritten_compactly_and_reads_the_same() {
    use redb::TableDefinition;
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    let clock = common::clock();
    let options = || PlatformOptions { clock: std::sync::Arc::new(clock.clone()), ..Default::default() };
    let before = as_before_version_12(|| {
        let p = Platform::open(&path, options()).unwrap();
        let org = common::org(&p, "Soteria Jena", "DE-TH");
        p.orgs().verify(&Actor::Operator, org.id, true, None).unwrap();
        let anna = common::account(&p, "Anna_Peer", &[Role::EmployerStaff { org: org.id }]);
        p.accounts().set_password(&Actor::Operator, anna.id, "ein langes Passwort 42").unwrap();
        let board = common::members_board(&p, "austausch", ModerationMode::Open);
        let me = Actor::account(anna.id);
        let new = NewThread {
            board: board.id,
            title: "Erste Stelle".into(),
            body: "Wie war euer Anfang?".into(),
            tags: vec!["arbeit".into()],
            anonymous: false,
        };
        let thread = p.forums().create_thread(&me, &new).unwrap().thread;
        let reply = NewReply { thread: thread.id, body: "Aufregend.".into(), reply_to: None, anonymous: true };
        let reply = p.forums().reply(&me, &reply).unwrap().post;
        clock.advance(chrono::Duration::minutes(10));
        p.forums().edit_post(&me, reply.id, "Aufregend und gut.", None).unwrap();
        let job =
            p.jobs().create(&Actor::Operator, &common::new_job(org.id, "Genesungsbegleitung", LocationInput::Remote));
        let job = p.jobs().publish(&Actor::Operator, job.unwrap().id).unwrap();
        let page = p.forums().thread_page(&me, thread.id, &PageRequest::default()).unwrap();
        let history = p.forums().history(&me, reply.id).unwrap();
        (anna.id, p.accounts().get(&Actor::Operator, anna.id).unwrap(), page, history, job, org.id, reply.id)
    });
    let (anna, account, page, history, job, org, reply) = before;
    assert!(first_bytes(&path).iter().all(|(_, b)| *b == b'{'), "version 11 wrote JSON");
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        txn.open_table(TableDefinition::<&str, u64>::new("meta")).unwrap().insert("schema_version", 11u64).unwrap();
        txn.commit().unwrap();
    }
    let p = Platform::open(&path, options()).unwrap();
    let report = p.integrity().unwrap();
    assert_eq!(report.schema_version, SCHEMA_VERSION);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let me = Actor::account(anna);
    assert_eq!(p.accounts().get(&Actor::Operator, anna).unwrap(), account);
    assert_eq!(p.forums().thread_page(&me, page.thread.id, &PageRequest::default()).unwrap(), page);
    assert_eq!(p.forums().history(&me, reply).unwrap(), history);
    assert_eq!(p.jobs().get(&Actor::Operator, job.id).unwrap(), job);
    assert_eq!(p.orgs().get(&Actor::Operator, org).unwrap().name, "Soteria Jena");
    let signed_in = p.sessions().sign_in("Anna_Peer", "ein langes Passwort 42", chrono::Duration::days(1), None);
    assert!(signed_in.is_ok(), "the credential reads after rewriting: {signed_in:?}");
    drop(p);
    let bytes = first_bytes(&path);
    let tables: std::collections::BTreeSet<&str> = bytes.iter().map(|(t, _)| t.as_str()).collect();
    assert_eq!(tables.len(), COMPACTED.len(), "every rewritten table holds records: {tables:?}");
    let json: Vec<_> = bytes.iter().filter(|(_, b)| *b != 0x01).collect();
    assert!(json.is_empty(), "records left as JSON: {json:?}");
}

/// Version 13 files keep the forums' text index in blocks only; opening one adds the open
/// segments of the appending index (`forum_term_segments`), and the blocks it had are read as
/// the index's main postings: the same hits before and after, and new replies found at once.
#[test]
fn a_version_13_forum_index_is_read_as_the_main_postings() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    let search = |p: &Platform, text: &str| {
        let query = ForumQuery { text: text.into(), board: None };
        p.forums().search(&Actor::Anonymous, &query, &PageRequest::first(50)).unwrap().items
    };
    let (before, thread, author) = {
        let p = Platform::open(&path, PlatformOptions::default()).unwrap();
        let author = Actor::account(common::account(&p, "Vor_den_Segmenten", &[]).id);
        let board = common::public_board(&p, "austausch", "Austausch");
        let new = NewThread {
            board: board.id,
            title: "Genesungsbegleitung in Jena".into(),
            body: "Wer kennt die Ausbildung?".into(),
            tags: vec![],
            anonymous: false,
        };
        let thread = p.forums().create_thread(&author, &new).unwrap().thread.id;
        for body in ["Die Ausbildung dauert ein Jahr", "Ich habe die Ausbildung in Erfurt gemacht"] {
            p.forums()
                .reply(&author, &NewReply { thread, body: body.into(), reply_to: None, anonymous: false })
                .unwrap();
        }
        // Everything into the blocks, as a version 13 file holds its index.
        p.tick(&Actor::Operator, p.now()).unwrap();
        (search(&p, "Ausbildung"), thread, author)
    };
    assert_eq!(before.len(), 3);
    rewind(&path, "forum_term_segments", 1, 13);
    let p = Platform::open(&path, PlatformOptions::default()).unwrap();
    let report = p.integrity().unwrap();
    assert_eq!(report.schema_version, SCHEMA_VERSION);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(search(&p, "Ausbildung"), before, "the version 13 blocks answer as before");
    let reply = NewReply { thread, body: "Die Ausbildung kostet nichts".into(), reply_to: None, anonymous: false };
    let posted = p.forums().reply(&author, &reply).unwrap();
    let after = search(&p, "Ausbildung");
    assert_eq!(after.len(), 4, "the new reply is found from its open segment");
    assert!(after.iter().any(|h| h.post == posted.post.id));
}

/// Version 17 and earlier kept the job board's text index as one row per term and published
/// posting (`job_terms`: (term, job) → term frequency). Opening such a file moves the rows
/// into the blocks of the appending index the forums use (`job_term_blocks`, with its open
/// segments in `job_term_segments`) and drops `job_terms`: every search gives the same hits
/// before and after, the integrity check finds nothing, and a new posting is found at once.
#[test]
fn a_version_15_job_index_moves_into_the_blocks_and_searches_the_same() {
    use redb::{ReadableDatabase, ReadableTable, ReadableTableMetadata, TableDefinition, TableHandle};
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    const QUERIES: [&str; 5] = ["Genesungsbegleitung", "Jena", "Ausbildung Wohnen", "Nachtdienst", "Klinik Jena"];
    let search_all = |p: &Platform| -> Vec<Vec<JobHit>> {
        QUERIES
            .iter()
            .map(|text| {
                let query = JobQuery { text: Some(text.to_string()), ..Default::default() };
                p.jobs().search(&Actor::Anonymous, &query, &PageRequest::first(50)).unwrap().items
            })
            .collect()
    };
    let (before, org) = {
        let p = Platform::open(&path, PlatformOptions::default()).unwrap();
        let org = common::org(&p, "Genesungswege", "DE-TH");
        p.orgs().verify(&Actor::Operator, org.id, true, None).unwrap();
        let texts = [
            ("Genesungsbegleitung in Jena", "Wir suchen Genesungsbegleiter:innen mit EX-IN-Ausbildung."),
            ("Peer im Nachtdienst", "Nachtdienst in der Klinik, ein kleines Team in Jena."),
            ("Genesungsbegleitung Wohnen", "Ambulant betreutes Wohnen, Ausbildung erwünscht."),
            ("Klinik sucht Peer", "Team der Klinik Jena, Genesungsbegleitung auf Station."),
            ("Trialog-Moderation", "Ausbildung und Erfahrung im Trialog."),
        ];
        let mut ids = Vec::new();
        for (title, description) in texts {
            let new =
                NewJob { description: description.into(), ..common::new_job(org.id, title, LocationInput::Remote) };
            let job = p.jobs().create(&Actor::Operator, &new).unwrap();
            ids.push(p.jobs().publish(&Actor::Operator, job.id).unwrap().id);
        }
        let change = JobUpdate { description: Some("Nachtdienst und Tagdienst im Team.".into()), ..Default::default() };
        p.jobs().update(&Actor::Operator, ids[0], &change).unwrap();
        p.jobs().withdraw(&Actor::Operator, ids[4], None).unwrap();
        // Everything into the blocks, which a version 15 file holds as rows of `job_terms`.
        p.tick(&Actor::Operator, p.now()).unwrap();
        (search_all(&p), org.id)
    };
    assert!(before.iter().all(|hits| !hits.is_empty()), "{before:?}");
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let blocks = txn.open_table(TableDefinition::<(&str, u64), &[u8]>::new("job_term_blocks")).unwrap();
            let mut terms = txn.open_table(TableDefinition::<(&str, u64), u32>::new("job_terms")).unwrap();
            for row in blocks.iter().unwrap() {
                let (key, bytes) = row.unwrap();
                let (term, first) = key.value();
                for (job, tf) in decode_block(first, bytes.value()) {
                    terms.insert((term, job), u32::from(tf)).unwrap();
                }
            }
            assert!(terms.len().unwrap() > 20, "the index has postings to move");
            let segments = txn.open_table(TableDefinition::<u64, &[u8]>::new("job_term_segments")).unwrap();
            assert!(segments.is_empty().unwrap(), "the tick merged every segment");
            let mut counters = txn.open_table(TableDefinition::<&str, u64>::new("job_counters")).unwrap();
            counters.remove("open_bytes").unwrap();
        }
        for name in ["job_term_blocks", "job_term_segments"] {
            txn.delete_table(TableDefinition::<(&str, u64), &[u8]>::new(name)).unwrap();
        }
        txn.open_table(TableDefinition::<&str, u64>::new("meta")).unwrap().insert("schema_version", 15u64).unwrap();
        txn.commit().unwrap();
        let read = db.begin_read().unwrap();
        assert!(read.list_tables().unwrap().all(|t| t.name() != "job_term_blocks"), "the file is back at version 15");
    }
    let p = Platform::open(&path, PlatformOptions::default()).unwrap();
    let report = p.integrity().unwrap();
    assert_eq!(report.schema_version, SCHEMA_VERSION);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(search_all(&p), before, "the moved index answers as version 15's did");
    let new = common::new_job(org, "Nachtdienst Genesungsbegleitung", LocationInput::Remote);
    let job = p.jobs().create(&Actor::Operator, &new).unwrap();
    p.jobs().publish(&Actor::Operator, job.id).unwrap();
    let night = &search_all(&p)[3];
    assert!(night.iter().any(|hit| hit.job.id == job.id), "a new posting is found from its open segment");
    assert_eq!(night.len(), before[3].len() + 1);
    drop(p);
    let db = redb::Database::open(&path).unwrap();
    assert!(db.begin_read().unwrap().list_tables().unwrap().all(|t| t.name() != "job_terms"), "job_terms is dropped");
}

/// (document, term frequency) of a text index block: per posting the distance from the
/// previous document as a LEB128 varint, then tf, length and day (see `text_index::block`).
fn decode_block(first: u64, mut bytes: &[u8]) -> Vec<(u64, u8)> {
    let mut out = Vec::new();
    let mut doc = first;
    while !bytes.is_empty() {
        let (mut delta, mut shift) = (0u64, 0);
        loop {
            let byte = bytes[0];
            bytes = &bytes[1..];
            delta |= u64::from(byte & 0x7f) << shift;
            shift += 7;
            if byte & 0x80 == 0 {
                break;
            }
        }
        doc += delta;
        out.push((doc, bytes[0]));
        bytes = &bytes[4..];
    }
    out
}

/// Version 14 kept e-mail addresses in the account records as they are (and versions before 19
/// the profile: perspective, languages, home region). Opening such a file seals them under a
/// new key per person in the key store beside it (`<file>.keys`, 0600): every account reads
/// the same, and after compaction no address and no profile is left in the file.
#[test]
fn a_version_14_file_seals_its_email_addresses_and_reads_the_same() {
    use redb::{ReadableDatabase, ReadableTable, TableDefinition};
    const EMAILS: [&str; 2] = ["wellenreiter.anna@example.org", "morgenrot.ben@example.org"];
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    let keys = dir.path().join("platform.redb.keys");
    let clock = common::clock();
    let options = || PlatformOptions { clock: std::sync::Arc::new(clock.clone()), ..Default::default() };
    let before: Vec<Account> = {
        let p = Platform::open(&path, options()).unwrap();
        let mut made = Vec::new();
        for (name, email) in [("Anna_Welle", Some(EMAILS[0])), ("Ben_Morgen", Some(EMAILS[1])), ("Cem", None)] {
            let new = NewAccount { pseudonym: name.into(), email: email.map(Into::into), ..Default::default() };
            made.push(p.accounts().create(&Actor::Operator, &new).unwrap().id);
        }
        // Anna's profile (health data) is sealed since version 19, in the same pass.
        let profile = AccountUpdate {
            perspective: Some(Perspective::LivedExperience),
            home_region: Some("DE-TH".into()),
            languages: Some(vec!["de".into(), "tr".into()]),
            ..Default::default()
        };
        p.accounts().update(&Actor::Operator, made[0], &profile).unwrap();
        made.iter().map(|id| p.accounts().get(&Actor::Operator, *id).unwrap()).collect()
    };
    // Back to version 14: each account as the record it was (JSON reads as every earlier
    // record does), no key store.
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut table = txn.open_table(TableDefinition::<u64, &[u8]>::new("accounts")).unwrap();
            for account in &before {
                table.insert(account.id.0, serde_json::to_vec(account).unwrap().as_slice()).unwrap();
            }
        }
        let mut meta = txn.open_table(TableDefinition::<&str, u64>::new("meta")).unwrap();
        meta.insert("schema_version", 14u64).unwrap();
        // Version 14 had no key file, so no check of one.
        meta.remove("key_file_check").unwrap();
        drop(meta);
        txn.commit().unwrap();
        let read = db.begin_read().unwrap();
        let table = read.open_table(TableDefinition::<u64, &[u8]>::new("accounts")).unwrap();
        assert_eq!(table.iter().unwrap().count(), 3);
    }
    std::fs::remove_file(&keys).unwrap();
    assert!(EMAILS.iter().all(|e| file_contains(&path, e)), "version 14 holds the addresses (the test can see them)");
    assert!(file_contains(&path, "lived_experience") && file_contains(&path, "DE-TH"), "and Anna's profile");

    let p = Platform::open(&path, options()).unwrap();
    let report = p.integrity().unwrap();
    assert_eq!(report.schema_version, SCHEMA_VERSION);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    for account in &before {
        assert_eq!(&p.accounts().get(&Actor::Operator, account.id).unwrap(), account);
    }
    let signed_up = p.accounts().find_by_pseudonym(&Actor::Operator, "anna_welle").unwrap();
    assert_eq!(signed_up.email.as_deref(), Some(EMAILS[0]));
    // A key for each account with an address, and the platform's index key (version 31: the
    // pseudonym index is keyed by keyed hashes).
    assert_eq!(std::fs::read(&keys).unwrap().len(), 16 + 3 * 88, "a key for each account with an address");
    p.compact(&Actor::Operator).unwrap();
    drop(p);
    assert!(EMAILS.iter().all(|e| !file_contains(&path, e)), "no address is left in the file");
    assert!(!file_contains(&path, "lived_experience") && !file_contains(&path, "DE-TH"), "nor Anna's profile");
    let p = Platform::open(&path, options()).unwrap();
    assert_eq!(p.accounts().get(&Actor::Operator, before[1].id).unwrap(), before[1], "and it reads after reopening");
}

/// The key store is checked when the platform opens: a damaged one is a storage error naming
/// the key file, not a panic and not a platform that later fails account by account.
#[test]
fn a_damaged_key_store_is_a_storage_error_when_the_platform_opens() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    let p = Platform::open(&path, PlatformOptions::default()).unwrap();
    let new = NewAccount { pseudonym: "Dana".into(), email: Some("dana@example.org".into()), ..Default::default() };
    p.accounts().create(&Actor::Operator, &new).unwrap();
    drop(p);
    let keys = dir.path().join("platform.redb.keys");
    let mut bytes = std::fs::read(&keys).unwrap();
    bytes.truncate(bytes.len() - 5);
    std::fs::write(&keys, &bytes).unwrap();
    let err = Platform::open(&path, PlatformOptions::default()).unwrap_err();
    assert!(matches!(err, Error::Storage { ref detail } if detail.contains("key file")), "{err:?}");
}

/// A platform opened without its own key file refuses to open, rather than start a new key
/// file under which its people could no longer be found (a second account could then take a
/// pseudonym in use) and every sealed field would read as erased.
#[test]
fn a_platform_refuses_to_open_without_its_own_key_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    let other_path = dir.path().join("other.redb");
    for (file, name) in [(&path, "Dana"), (&other_path, "Eli")] {
        let p = Platform::open(file, PlatformOptions::default()).unwrap();
        p.accounts().create(&Actor::Operator, &NewAccount { pseudonym: name.into(), ..Default::default() }).unwrap();
    }
    let keys = dir.path().join("platform.redb.keys");
    let own = std::fs::read(&keys).unwrap();

    std::fs::remove_file(&keys).unwrap();
    let missing = Platform::open(&path, PlatformOptions::default()).unwrap_err();
    assert!(matches!(missing, Error::Storage { ref detail } if detail.contains("key file")), "{missing:?}");
    assert!(!keys.exists(), "and no new key file was started");

    std::fs::copy(dir.path().join("other.redb.keys"), &keys).unwrap();
    let another = Platform::open(&path, PlatformOptions::default()).unwrap_err();
    assert!(
        matches!(another, Error::Storage { ref detail } if detail.contains("not this database's own")),
        "{another:?}"
    );

    std::fs::write(&keys, &own).unwrap();
    let p = Platform::open(&path, PlatformOptions::default()).unwrap();
    assert_eq!(p.accounts().find_by_pseudonym(&Actor::Operator, "dana").unwrap().pseudonym, "Dana");
    let taken = p.accounts().create(&Actor::Operator, &NewAccount { pseudonym: "DANA".into(), ..Default::default() });
    assert!(taken.is_err(), "the pseudonym is still taken");
}

fn file_contains(path: &Path, needle: &str) -> bool {
    let bytes = std::fs::read(path).unwrap();
    bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// Version 15 (and 16) files have no report counters of the job board (`job_posting_counts`,
/// `job_tallied`, `job_org_views`): opening one counts the postings and views it holds, and
/// the report is the one the file gave before; new postings and views count on from there.
#[test]
fn a_version_15_file_counts_its_postings_for_the_reports_and_reports_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    let clock = common::clock();
    let options = || PlatformOptions { clock: std::sync::Arc::new(clock.clone()), ..Default::default() };
    let report = |p: &Platform| p.reports().platform(&Actor::Operator, "2026").unwrap();
    let (before, org) = {
        let p = Platform::open(&path, options()).unwrap();
        let org = common::org(&p, "Jena", "DE-TH").id;
        p.orgs().verify(&Actor::Operator, org, true, None).unwrap();
        for i in 0..7 {
            let place = if i % 2 == 0 {
                LocationInput::Remote
            } else {
                LocationInput::Coordinates { latitude: 50.9, longitude: 11.5, place: None }
            };
            let job = p.jobs().create(&Actor::Operator, &common::new_job(org, "Genesungsbegleitung", place)).unwrap();
            if i < 6 {
                p.jobs().publish(&Actor::Operator, job.id).unwrap();
                for _ in 0..i {
                    p.jobs().record_view(&Actor::Anonymous, job.id).unwrap();
                }
            }
        }
        (report(&p), org)
    };
    let shown = |rows: &[reports::FigureRow], figure: &str| {
        rows.iter().find(|r| r.figure == figure && r.period == "2026-03" && r.category.is_none()).and_then(|r| r.value)
    };
    assert_eq!((shown(&before, "job_postings"), shown(&before, "job_views")), (Some(6.0), Some(15.0)));
    for table in ["job_posting_counts", "job_tallied", "job_org_views"] {
        rewind(&path, table, 1, 15);
    }
    let p = Platform::open(&path, options()).unwrap();
    let integrity = p.integrity().unwrap();
    assert_eq!(integrity.schema_version, SCHEMA_VERSION);
    assert!(integrity.problems.is_empty(), "{:?}", integrity.problems);
    assert_eq!(report(&p), before, "the counted file reports as the decoded one did");
    let job = p.jobs().create(&Actor::Operator, &common::new_job(org, "Peer-Beratung", LocationInput::Remote)).unwrap();
    p.jobs().publish(&Actor::Operator, job.id).unwrap();
    p.jobs().record_view(&Actor::Anonymous, job.id).unwrap();
    let after = report(&p);
    assert_eq!((shown(&after, "job_postings"), shown(&after, "job_views")), (Some(7.0), Some(16.0)));
    assert!(p.integrity().unwrap().problems.is_empty());
}

/// A course of `capacity` places with weekly evening sessions in April 2026 (after the test
/// clock's March).
fn course_of(org: OrgId, capacity: u32) -> NewCourse {
    NewCourse {
        org,
        title: "Gruppen leiten".into(),
        description: "Ein Seminar für Selbsthilfegruppen.".into(),
        topics: vec!["self-help-groups".into()],
        language: "de".into(),
        audience: CourseAudience::SelfHelpGroupMembers,
        format: CourseFormat::Online,
        place: None,
        online_link: Some("https://meet.example.org/gruppen-leiten".into()),
        sessions: vec![SessionInput {
            start: "2026-04-07T18:00".into(),
            end: "2026-04-07T20:00".into(),
            time_zone: "Europe/Berlin".into(),
            repeat: Some(Repeat { every_days: 7, count: 3 }),
        }],
        capacity,
        fee: Fee::Free,
        registration_opens: None,
        registration_closes: None,
        prerequisites: vec![],
        trialogic: false,
        settings: None,
    }
}

/// A published course of one place in a verified organisation, its organiser, and four people
/// registered in turn (the first holds the place, three wait): what the courses' migration
/// tests build before they rewind the file.
fn one_place_four_registered(p: &Platform) -> (Actor, CourseId, Vec<Actor>, Vec<Registration>) {
    let org = common::org(p, "Bildungswerk Thüringen", "DE-TH").id;
    p.orgs().verify(&Actor::Operator, org, true, None).unwrap();
    let staff = Actor::account(common::account(p, "Organisatorin", &[Role::EmployerStaff { org }]).id);
    let course = p.courses().create(&staff, &course_of(org, 1)).unwrap().id;
    p.courses().publish(&staff, course).unwrap();
    let people: Vec<Actor> =
        (0..4).map(|i| Actor::account(common::account(p, &format!("Teilnehmende{i}"), &[]).id)).collect();
    let regs: Vec<Registration> =
        people.iter().map(|a| p.courses().register(a, course, &[]).unwrap().remove(0)).collect();
    (staff, course, people, regs)
}

/// Version 19 kept a course's places row, its list of registrations and its waitlist in three
/// tables; version 20 keeps them side by side in `course_book`. A version 19 file (today's
/// rows put back into the three tables, byte for byte, `course_book` gone) opens with the same
/// places, registrations and waitlist, passes the integrity check, and a cancellation still
/// offers the place to the head of the line.
#[test]
fn a_version_19_file_gathers_each_courses_places_and_waitlist_into_one_table() {
    use redb::{ReadableDatabase, ReadableTable, TableDefinition, TableHandle};
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    let clock = common::clock();
    let options = || PlatformOptions { clock: std::sync::Arc::new(clock.clone()), ..Default::default() };
    let (staff, course, people, regs, before) = {
        let p = Platform::open(&path, options()).unwrap();
        let (staff, course, people, regs) = one_place_four_registered(&p);
        // The second in line gives up waiting: a gap in the positions.
        p.courses().cancel_registration(&people[2], regs[2].id).unwrap();
        let before = (p.courses().get(&staff, course).unwrap(), p.courses().waitlist(&staff, course).unwrap());
        (staff, course, people, regs, before)
    };
    assert_eq!((before.0.places_taken, before.0.waiting), (1, 2));
    // Back to version 19, by way of version 31's layout of the registrations.
    {
        let book = TableDefinition::<(u64, u64, u64), &[u8]>::new("course_book");
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        courses_back_to_v31(&txn, &[(regs[2].account.0, course.0)], &[]);
        {
            let rows: Vec<((u64, u64, u64), Vec<u8>)> = txn
                .open_table(book)
                .unwrap()
                .iter()
                .unwrap()
                .map(|row| {
                    let (key, value) = row.unwrap();
                    (key.value(), value.value().to_vec())
                })
                .collect();
            assert_eq!(rows.len(), 1 + 4 + 2, "a places row, four registrations, two waiting");
            let mut seats = txn.open_table(TableDefinition::<u64, &[u8]>::new("course_seats")).unwrap();
            let mut listed =
                txn.open_table(TableDefinition::<(u64, u64), ()>::new("course_registrations_by_course")).unwrap();
            let mut waiting = txn.open_table(TableDefinition::<(u64, u64), &[u8]>::new("course_waitlist")).unwrap();
            for ((course, part, n), bytes) in rows {
                match part {
                    0 => seats.insert(course, bytes.as_slice()).map(drop),
                    1 => listed.insert((course, n), ()).map(drop),
                    _ => waiting.insert((course, n), bytes.as_slice()).map(drop),
                }
                .unwrap();
            }
        }
        assert!(txn.delete_table(book).unwrap());
        txn.open_table(TableDefinition::<&str, u64>::new("meta")).unwrap().insert("schema_version", 19u64).unwrap();
        txn.commit().unwrap();
    }

    let p = Platform::open(&path, options()).unwrap();
    let report = p.integrity().unwrap();
    assert_eq!(report.schema_version, SCHEMA_VERSION);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(p.courses().get(&staff, course).unwrap(), before.0);
    assert_eq!(p.courses().waitlist(&staff, course).unwrap(), before.1);
    p.courses().cancel_registration(&people[0], regs[0].id).unwrap();
    assert_eq!(p.courses().registration(&people[1], regs[1].id).unwrap().state, RegistrationState::Offered);
    assert_eq!(p.courses().waitlist(&staff, course).unwrap().iter().map(|r| r.id).collect::<Vec<_>>(), [regs[3].id]);
    assert!(p.integrity().unwrap().problems.is_empty());
    drop(p);
    let db = redb::Database::open(&path).unwrap();
    let names: Vec<String> = db.begin_read().unwrap().list_tables().unwrap().map(|t| t.name().to_string()).collect();
    for old in ["course_seats", "course_registrations_by_course", "course_waitlist"] {
        assert!(!names.iter().any(|n| n == old), "{old} is gone: {names:?}");
    }
}

/// Puts the courses of a file written today back into version 31's layout (before schema 33):
/// registration records in `course_registrations` (a bare marker in the course's book), open
/// offers in `course_offers_due` (`offers`: (expiry µs, registration, course)), places rows of
/// three fields, no row in `course_registrations_by_account` for an ended registration
/// (`ended`: (account, course)), and neither `course_registration_courses` nor
/// `course_offer_checks`.
fn courses_back_to_v31(txn: &redb::WriteTransaction, ended: &[(u64, u64)], offers: &[(i64, u64, u64)]) {
    use redb::{ReadableTable, TableDefinition};
    courses_back_to_v34(txn);
    let book_table = TableDefinition::<(u64, u64, u64), &[u8]>::new("course_book");
    let mut book = txn.open_table(book_table).unwrap();
    let rows: Vec<((u64, u64, u64), Vec<u8>)> =
        book.iter().unwrap().map(|row| row.map(|(k, v)| (k.value(), v.value().to_vec())).unwrap()).collect();
    let mut records = txn.open_table(TableDefinition::<u64, &[u8]>::new("course_registrations")).unwrap();
    for (key @ (_, part, n), bytes) in rows {
        match part {
            0 => book.insert(key, places_of_three_fields(&bytes).as_slice()).map(drop),
            1 => {
                records.insert(n, bytes.as_slice()).unwrap();
                book.insert(key, &[][..]).map(drop)
            }
            3 => book.remove(key).map(drop),
            _ => Ok(()),
        }
        .unwrap();
    }
    let mut due = txn.open_table(TableDefinition::<(i64, u64), u64>::new("course_offers_due")).unwrap();
    for (at, reg, course) in offers {
        due.insert((*at, *reg), *course).unwrap();
    }
    let by_account = TableDefinition::<(u64, u64), u64>::new("course_registrations_by_account");
    let mut by_account = txn.open_table(by_account).unwrap();
    for key in ended {
        by_account.remove(*key).unwrap();
    }
    assert!(txn.delete_table(TableDefinition::<u64, u64>::new("course_registration_courses")).unwrap());
    txn.delete_table(TableDefinition::<(i64, u64), ()>::new("course_offer_checks")).unwrap();
}

/// Puts the counts of registrations made of a file written today back into version 34's layout
/// (before schema 35): a `course_registrations` row of `course_counts` for each course and month
/// (the course's organisation from `course_registration_months`), none in the courses' books,
/// and no `course_registration_months`.
fn courses_back_to_v34(txn: &redb::WriteTransaction) {
    use redb::{ReadableTable, TableDefinition};
    let index = TableDefinition::<(u32, u64, u64), ()>::new("course_registration_months");
    let mut book = txn.open_table(TableDefinition::<(u64, u64, u64), &[u8]>::new("course_book")).unwrap();
    let counts = TableDefinition::<(&str, u32, u64, u64), u64>::new("course_counts");
    let mut counts = txn.open_table(counts).unwrap();
    let rows: Vec<(u32, u64, u64)> =
        txn.open_table(index).unwrap().iter().unwrap().map(|row| row.unwrap().0.value()).collect();
    for (month, org, course) in rows {
        let n = book.remove((course, 4, u64::from(month))).unwrap().map(|v| compact_uint(v.value()));
        counts.insert(("course_registrations", month, org, course), n.expect("a count in the book")).unwrap();
    }
    assert!(txn.delete_table(index).unwrap());
}

/// A whole number as the compact form holds it: a format byte, then a MessagePack integer.
fn compact_uint(bytes: &[u8]) -> u64 {
    assert_eq!(bytes[0], 0x01, "the compact form");
    match bytes[1] {
        n @ 0x00..=0x7f => u64::from(n),
        0xcc => u64::from(bytes[2]),
        0xcd => u64::from(u16::from_be_bytes([bytes[2], bytes[3]])),
        0xce => u64::from(u32::from_be_bytes(bytes[2..6].try_into().unwrap())),
        other => panic!("a count starts with {other:#x}"),
    }
}

/// Version 34 counted the registrations made per month in `course_counts`; version 35 counts them
/// in each course's book, the reports finding the courses of a month in
/// `course_registration_months`. A version 34 file (today's counts put back) opens with the same
/// counts in the books, none left in `course_counts`, passes the integrity check (which recounts
/// every registration), and the next registration counts on.
#[test]
fn a_version_34_file_counts_its_registrations_in_each_courses_book() {
    use redb::{ReadableDatabase, ReadableTable, TableDefinition};
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    let clock = common::clock();
    let options = || PlatformOptions { clock: std::sync::Arc::new(clock.clone()), ..Default::default() };
    let counts = TableDefinition::<(&str, u32, u64, u64), u64>::new("course_counts");
    let course = {
        let p = Platform::open(&path, options()).unwrap();
        let (_, course, people, regs) = one_place_four_registered(&p);
        p.courses().cancel_registration(&people[2], regs[2].id).unwrap();
        course
    };
    let month = {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        courses_back_to_v34(&txn);
        let month = {
            let counts = txn.open_table(counts).unwrap();
            let rows: Vec<((String, u32, u64, u64), u64)> = counts
                .iter()
                .unwrap()
                .map(|row| {
                    let (key, n) = row.unwrap();
                    let (figure, month, org, course) = key.value();
                    ((figure.to_string(), month, org, course), n.value())
                })
                .collect();
            let made: Vec<_> = rows.iter().filter(|((figure, ..), _)| figure == "course_registrations").collect();
            assert_eq!(made.len(), 1, "one course, one month: {rows:?}");
            assert_eq!((made[0].0.3, made[0].1), (course.0, 4), "four registrations made, one since cancelled");
            made[0].0.1
        };
        txn.open_table(TableDefinition::<&str, u64>::new("meta")).unwrap().insert("schema_version", 34u64).unwrap();
        txn.commit().unwrap();
        month
    };

    let p = Platform::open(&path, options()).unwrap();
    let report = p.integrity().unwrap();
    assert_eq!(report.schema_version, SCHEMA_VERSION);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let late = Actor::account(common::account(&p, "Nachzüglerin", &[]).id);
    p.courses().register(&late, course, &[]).unwrap();
    assert!(p.integrity().unwrap().problems.is_empty(), "{:?}", p.integrity().unwrap().problems);
    drop(p);
    let db = redb::Database::open(&path).unwrap();
    let txn = db.begin_read().unwrap();
    let book = txn.open_table(TableDefinition::<(u64, u64, u64), &[u8]>::new("course_book")).unwrap();
    let n = book.get((course.0, 4, u64::from(month))).unwrap().map(|v| compact_uint(v.value()));
    assert_eq!(n, Some(5), "the four migrated and the one since, in the course's book");
    let index = txn.open_table(TableDefinition::<(u32, u64, u64), ()>::new("course_registration_months")).unwrap();
    assert_eq!(index.iter().unwrap().count(), 1, "the course's month is indexed");
    let counts = txn.open_table(counts).unwrap();
    let left = counts.iter().unwrap().filter(|row| row.as_ref().unwrap().0.value().0 == "course_registrations").count();
    assert_eq!(left, 0, "no registrations are counted in course_counts any more");
}

/// A places row as version 31 wrote it: the compact form (a format byte, then a MessagePack
/// array) of its first three fields, today's fourth (when the scheduler looks at the course's
/// offers) cut off.
fn places_of_three_fields(bytes: &[u8]) -> Vec<u8> {
    assert_eq!(&bytes[..2], &[0x01, 0x94], "a compact places row of four fields");
    let mut end = 2;
    for _ in 0..3 {
        end += match bytes[end] {
            0x00..=0x7f => 1,
            0xcc => 2,
            0xcd => 3,
            0xce => 5,
            0xcf => 9,
            other => panic!("a places field starts with {other:#x}, not an unsigned integer"),
        };
    }
    [&[0x01, 0x93][..], &bytes[2..end]].concat()
}

/// Version 31 kept registration records in `course_registrations` and open offers in
/// `course_offers_due`; version 33 keeps both in the course's book, the scheduler finding the
/// courses with open offers in `course_offer_checks`. A version 31 file (today's rows put back,
/// byte for byte) opens with the same registrations, waitlist and offer, passes the integrity
/// check, the offer still lapses by the scheduler and the place passes on, and the old tables
/// are gone.
#[test]
fn a_version_31_file_keeps_its_registrations_and_offers_in_each_courses_book() {
    use redb::{ReadableDatabase, TableDefinition, TableHandle};
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    let clock = common::clock();
    let options = || PlatformOptions { clock: std::sync::Arc::new(clock.clone()), ..Default::default() };
    let (staff, course, people, regs, before) = {
        let p = Platform::open(&path, options()).unwrap();
        let (staff, course, people, regs) = one_place_four_registered(&p);
        // The place passes to the head of the line: an open offer.
        p.courses().cancel_registration(&people[0], regs[0].id).unwrap();
        let offered = p.courses().registration(&people[1], regs[1].id).unwrap();
        assert_eq!(offered.state, RegistrationState::Offered);
        let page = p.courses().registrations(&staff, course, &PageRequest::first(10)).unwrap().items;
        let before = (p.courses().get(&staff, course).unwrap(), p.courses().waitlist(&staff, course).unwrap(), page);
        (staff, course, people, regs, before)
    };
    let offer = &before.2[1];
    let expires = offer.offer_expires_at.unwrap();
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        let offers = [(expires.timestamp_micros(), offer.id.0, course.0)];
        courses_back_to_v31(&txn, &[(regs[0].account.0, course.0)], &offers);
        txn.open_table(TableDefinition::<&str, u64>::new("meta")).unwrap().insert("schema_version", 31u64).unwrap();
        txn.commit().unwrap();
    }

    let p = Platform::open(&path, options()).unwrap();
    let report = p.integrity().unwrap();
    assert_eq!(report.schema_version, SCHEMA_VERSION);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(p.courses().get(&staff, course).unwrap(), before.0);
    assert_eq!(p.courses().waitlist(&staff, course).unwrap(), before.1);
    assert_eq!(p.courses().registrations(&staff, course, &PageRequest::first(10)).unwrap().items, before.2);
    assert_eq!(p.courses().registration(&people[1], regs[1].id).unwrap(), before.2[1]);
    assert!(p.courses().mine(&people[0]).unwrap().is_empty(), "the cancelled registration is not live");
    // The offer lapses by the scheduler; the place passes on.
    clock.advance(chrono::Duration::hours(49));
    p.tick(&Actor::Operator, clock.now()).unwrap();
    assert_eq!(p.courses().registration(&people[1], regs[1].id).unwrap().state, RegistrationState::Expired);
    assert_eq!(p.courses().registration(&people[2], regs[2].id).unwrap().state, RegistrationState::Offered);
    assert!(p.integrity().unwrap().problems.is_empty(), "{:?}", p.integrity().unwrap().problems);
    drop(p);
    let db = redb::Database::open(&path).unwrap();
    let names: Vec<String> = db.begin_read().unwrap().list_tables().unwrap().map(|t| t.name().to_string()).collect();
    for old in ["course_registrations", "course_offers_due"] {
        assert!(!names.iter().any(|n| n == old), "{old} is gone: {names:?}");
    }
}

/// Version 15 kept seeker profiles and the names of saved searches as they are. Opening such a
/// file seals them under a key per person: everything reads the same, the list of findable
/// seekers finds the same, and after compaction neither the place nor the name is in the file.
#[test]
fn a_version_15_file_seals_its_seeker_profiles_and_saved_search_names_and_reads_the_same() {
    use redb::{ReadableDatabase, TableDefinition};
    const PLACE: &str = "Hinterm Deich bei Ohrwurmhausen";
    const NAME: &str = "Genesungsbegleitung Ohrwurmhausen";
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    let clock = common::clock();
    let options = || PlatformOptions { clock: std::sync::Arc::new(clock.clone()), ..Default::default() };
    let (profile, search, seeker) = {
        let p = Platform::open(&path, options()).unwrap();
        let id = common::account(&p, "Suchende", &[]).id;
        let seeker = Actor::account(id);
        let input = SeekerProfileInput {
            location: Some(LocationInput::Coordinates { latitude: 53.9, longitude: 8.7, place: Some(PLACE.into()) }),
            max_distance_km: Some(30),
            exin: Some(ExInStatus::InTraining),
            languages: vec!["de".into()],
            findable: true,
            ..Default::default()
        };
        let profile = p.seekers().set(&seeker, id, &input).unwrap();
        let search = p.alerts().add(&seeker, NAME, &JobQuery::default()).unwrap();
        (profile, search, seeker)
    };
    // Back to version 15: both records as they were (JSON reads as every earlier record does).
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut seekers = txn.open_table(TableDefinition::<u64, &[u8]>::new("seekers")).unwrap();
            seekers.insert(profile.account.0, serde_json::to_vec(&profile).unwrap().as_slice()).unwrap();
            let mut searches = txn.open_table(TableDefinition::<u64, &[u8]>::new("saved_searches")).unwrap();
            searches.insert(search.id, serde_json::to_vec(&search).unwrap().as_slice()).unwrap();
        }
        txn.open_table(TableDefinition::<&str, u64>::new("meta")).unwrap().insert("schema_version", 15u64).unwrap();
        txn.commit().unwrap();
        drop(db.begin_read().unwrap());
    }
    assert!(file_contains(&path, PLACE) && file_contains(&path, NAME), "version 15 holds them (the test sees them)");

    let p = Platform::open(&path, options()).unwrap();
    let report = p.integrity().unwrap();
    assert_eq!(report.schema_version, SCHEMA_VERSION);
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(p.seekers().get(&Actor::Operator, profile.account).unwrap(), profile);
    assert_eq!(p.alerts().list(&seeker).unwrap(), std::slice::from_ref(&search));
    let findable = p.seekers().list_findable(&Actor::Operator, &SeekerFilter::default(), &PageRequest::default());
    assert_eq!(findable.unwrap().items, std::slice::from_ref(&profile));
    p.compact(&Actor::Operator).unwrap();
    drop(p);
    assert!(!file_contains(&path, PLACE) && !file_contains(&path, NAME), "neither is left in the file");
    let p = Platform::open(&path, options()).unwrap();
    assert_eq!(p.seekers().get(&Actor::Operator, profile.account).unwrap(), profile, "after reopening");
    assert_eq!(p.alerts().list(&seeker).unwrap(), [search]);
}

/// Postcard's unsigned varint (the inbox's stored form), for writing a notification as a file
/// before version 25 held it.
fn varint(mut value: u64, out: &mut Vec<u8>) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// A job alert in the inbox's stored form before version 25: time (zigzag), read flag, the
/// event's variant (0: job alert) and its fields, the texts as they are.
fn plain_job_alert(n: &Notification) -> Vec<u8> {
    let Event::JobAlert { search, search_name, job, title } = &n.event else { panic!("{n:?}") };
    let at = n.at.timestamp_micros();
    let mut out = Vec::new();
    varint(((at << 1) ^ (at >> 63)) as u64, &mut out);
    out.push(u8::from(n.read));
    varint(0, &mut out);
    varint(*search, &mut out);
    varint(search_name.len() as u64, &mut out);
    out.extend_from_slice(search_name.as_bytes());
    varint(job.0, &mut out);
    varint(title.len() as u64, &mut out);
    out.extend_from_slice(title.as_bytes());
    out
}

/// Version 20 kept inbox texts (a job alert repeats the saved search's name), notes on job
/// interests and the words of reports as they are. Opening such a file seals each under its
/// person's key: everything reads the same, and after compaction none of the texts is left in
/// the file.
#[test]
fn a_version_20_file_seals_its_inbox_texts_interest_notes_and_report_words_and_reads_the_same() {
    use redb::{ReadableDatabase, TableDefinition};
    const NAME: &str = "Nachtdienst Krabbenkutterhafen";
    const NOTE: &str = "Ich kenne den Krabbenkutter aus eigener Erfahrung";
    const DETAIL: &str = "Die Anzeige verspricht Krabbenkutterwunder";
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    let clock = common::clock();
    let options = || PlatformOptions { clock: std::sync::Arc::new(clock.clone()), ..Default::default() };
    let (seeker, alert, interest, item, report) = {
        let p = Platform::open(&path, options()).unwrap();
        let org = common::org(&p, "Hafenhilfe", "DE-SH").id;
        p.orgs().verify(&Actor::Operator, org, true, None).unwrap();
        let seeker = Actor::account(common::account(&p, "Kutterkapitaenin", &[]).id);
        p.alerts().add(&seeker, NAME, &JobQuery::default()).unwrap();
        let location = LocationInput::Coordinates { latitude: 54.3, longitude: 8.6, place: None };
        let job = p.jobs().create(&Actor::Operator, &common::new_job(org, "Peer-Arbeit am Hafen", location)).unwrap();
        p.jobs().publish(&Actor::Operator, job.id).unwrap();
        let alert = p.inbox().list(&seeker, false, &PageRequest::default()).unwrap().items.remove(0);
        let interest = p.interests().mark(&seeker, job.id, Some(NOTE)).unwrap();
        let new =
            NewReport { target: Target::Job { id: job.id }, reason: ReportReason::Other, detail: Some(DETAIL.into()) };
        let report = p.moderation().report(&seeker, &new).unwrap();
        (seeker, alert, interest, report.item, report)
    };
    // Back to version 20: the three records as they were (the alert in the stored form of the
    // time, the interest and the report as JSON, which reads as every earlier record does).
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut inbox = txn.open_table(TableDefinition::<(u64, u64), &[u8]>::new("inbox")).unwrap();
            inbox.insert((alert.account.0, alert.id), plain_job_alert(&alert).as_slice()).unwrap();
            let mut interests = txn.open_table(TableDefinition::<u64, &[u8]>::new("interests")).unwrap();
            interests.insert(interest.id, serde_json::to_vec(&interest).unwrap().as_slice()).unwrap();
            let mut reports = txn.open_table(TableDefinition::<(u64, u64), &[u8]>::new("mod_reports")).unwrap();
            reports.insert((report.item, report.id), serde_json::to_vec(&report).unwrap().as_slice()).unwrap();
        }
        txn.open_table(TableDefinition::<&str, u64>::new("meta")).unwrap().insert("schema_version", 20u64).unwrap();
        txn.commit().unwrap();
        drop(db.begin_read().unwrap());
    }
    for text in [NAME, NOTE, DETAIL] {
        assert!(file_contains(&path, text), "version 20 holds {text} (the test sees it)");
    }

    let reads_the_same = |p: &Platform| {
        let report_now = p.integrity().unwrap();
        assert_eq!(report_now.schema_version, SCHEMA_VERSION);
        assert!(report_now.problems.is_empty(), "{:?}", report_now.problems);
        assert_eq!(
            p.inbox().list(&seeker, false, &PageRequest::default()).unwrap().items,
            std::slice::from_ref(&alert)
        );
        assert_eq!(p.interests().mine(&seeker).unwrap(), std::slice::from_ref(&interest));
        assert_eq!(p.moderation().item(&Actor::Operator, item).unwrap().reports, std::slice::from_ref(&report));
    };
    let p = Platform::open(&path, options()).unwrap();
    reads_the_same(&p);
    p.compact(&Actor::Operator).unwrap();
    drop(p);
    for text in [NAME, NOTE, DETAIL] {
        assert!(!file_contains(&path, text), "{text} is sealed: not left in the file");
    }
    reads_the_same(&Platform::open(&path, options()).unwrap());
}

/// Version 25 kept the statements of appeals as the appellants wrote them. Opening such a file
/// seals each under its appellant's key: the appeals read the same, and after compaction the
/// statement is no longer in the file.
#[test]
fn a_version_25_file_seals_its_appeal_statements_and_reads_the_same() {
    use redb::{ReadableDatabase, TableDefinition};
    const STATEMENT: &str = "Der Krabbenkutter war nur ein Scherz unter Freunden";
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    let clock = common::clock();
    let options = || PlatformOptions { clock: std::sync::Arc::new(clock.clone()), ..Default::default() };
    let appeal = {
        let p = Platform::open(&path, options()).unwrap();
        let board = common::public_board(&p, "hafen", "Hafen").id;
        let writer = Actor::account(common::account(&p, "Kutterkapitaenin", &[]).id);
        let reader = Actor::account(common::account(&p, "Leuchtturmwaerter", &[]).id);
        let new = NewThread { board, title: "Am Kai".into(), body: "Heute".into(), tags: vec![], anonymous: false };
        let thread = p.forums().create_thread(&writer, &new).unwrap().thread.id;
        let new =
            NewReport { target: Target::Thread { id: thread }, reason: ReportReason::Misinformation, detail: None };
        p.moderation().report(&reader, &new).unwrap();
        let item = p.moderation().queue(&Actor::Operator, ItemState::Pending, &PageRequest::default());
        let item = item.unwrap().items.remove(0);
        let warning = p.moderation().act(&Actor::Operator, item.id, item.version, &ModAction::Warn, "Bitte sachlich");
        p.moderation().appeal(&writer, warning.unwrap().id, STATEMENT).unwrap()
    };
    // Back to version 25: the appeal as JSON, which reads as every earlier record does.
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut appeals = txn.open_table(TableDefinition::<u64, &[u8]>::new("mod_appeals")).unwrap();
            appeals.insert(appeal.id, serde_json::to_vec(&appeal).unwrap().as_slice()).unwrap();
        }
        txn.open_table(TableDefinition::<&str, u64>::new("meta")).unwrap().insert("schema_version", 25u64).unwrap();
        txn.commit().unwrap();
        drop(db.begin_read().unwrap());
    }
    assert!(file_contains(&path, STATEMENT), "version 25 holds the statement (the test sees it)");

    let reads_the_same = |p: &Platform| {
        let report = p.integrity().unwrap();
        assert_eq!(report.schema_version, SCHEMA_VERSION);
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        let open = p.moderation().appeals(&Actor::Operator, false, &PageRequest::default()).unwrap();
        assert_eq!(open.items, std::slice::from_ref(&appeal));
    };
    let p = Platform::open(&path, options()).unwrap();
    reads_the_same(&p);
    p.compact(&Actor::Operator).unwrap();
    drop(p);
    assert!(!file_contains(&path, STATEMENT), "the statement is sealed: not left in the file");
    reads_the_same(&Platform::open(&path, options()).unwrap());
}

/// Version 30 kept post texts and their earlier versions as their authors wrote them, and the
/// pseudonym index keyed by the pseudonyms' keys in the clear. Opening such a file seals each
/// text under its author's key and rebuilds the index under keyed hashes: the thread and the
/// post's history read the same, sign-in finds the account, and after compaction neither text
/// is in the file and no key of the index is a name.
#[test]
fn a_version_30_file_seals_its_post_texts_and_hashes_its_pseudonym_index() {
    use redb::{ReadableDatabase, ReadableTable, TableDefinition};
    const EARLIER: &str = "Erste Fassung aus dem Nebelhafen der Krabbenkutterin";
    const REPLY: &str = "Zweite Fassung aus dem Nebelhafen der Krabbenkutterin";
    const NAMES: [&str; 2] = ["Krabbenkutterin", "Leuchtturmwaerter"];
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    let clock = common::clock();
    let options = || PlatformOptions { clock: std::sync::Arc::new(clock.clone()), ..Default::default() };
    let (ids, thread, reply) = {
        let p = Platform::open(&path, options()).unwrap();
        let board = common::public_board(&p, "hafen", "Hafen").id;
        let ids = NAMES.map(|name| common::account(&p, name, &[]).id);
        let (writer, reader) = (Actor::account(ids[0]), Actor::account(ids[1]));
        p.accounts().set_password(&writer, ids[0], "ein langes Passwort 42").unwrap();
        let new = NewThread { board, title: "Am Kai".into(), body: "Heute".into(), tags: vec![], anonymous: false };
        let thread = p.forums().create_thread(&reader, &new).unwrap().thread.id;
        let new = NewReply { thread, body: EARLIER.into(), reply_to: None, anonymous: true };
        let reply = p.forums().reply(&writer, &new).unwrap().post;
        clock.advance(chrono::Duration::minutes(10));
        (ids, thread, p.forums().edit_post(&writer, reply.id, REPLY, None).unwrap().post)
    };
    // Back to version 30: the reply and its earlier version as JSON, which reads as every
    // earlier record does, and the pseudonym index keyed by the names (their keys: for these
    // names, their lower case).
    {
        let micros = |t: Timestamp| t.timestamp_micros();
        let record = serde_json::json!({
            "id": reply.id, "thread": thread, "seq": reply.seq,
            "author": { "account": ids[0], "name": NAMES[0], "anonymous": true },
            "body": REPLY, "excerpt": reply.excerpt, "language": "de", "reply_to": null, "state": "visible",
            "deleted_at": null, "created_at": micros(reply.created_at),
            "edited_at": reply.edited_at.map(micros), "revisions": 2,
            "revision_since": micros(reply.edited_at.unwrap()),
        });
        let earlier = serde_json::json!({ "number": 1, "body": EARLIER, "saved_at": reply.created_at });
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut posts = txn.open_table(TableDefinition::<(u64, u64), &[u8]>::new("forum_posts")).unwrap();
            posts.insert((thread.0, reply.id.0), serde_json::to_vec(&record).unwrap().as_slice()).unwrap();
            let mut versions = txn.open_table(TableDefinition::<(u64, u32), &[u8]>::new("forum_revisions")).unwrap();
            versions.insert((reply.id.0, 1), serde_json::to_vec(&earlier).unwrap().as_slice()).unwrap();
            let mut index = txn.open_table(TableDefinition::<&str, u64>::new("account_by_pseudonym")).unwrap();
            index.retain(|_, _| false).unwrap();
            for (name, id) in NAMES.iter().zip(ids) {
                index.insert(name.to_lowercase().as_str(), id.0).unwrap();
            }
        }
        txn.open_table(TableDefinition::<&str, u64>::new("meta")).unwrap().insert("schema_version", 30u64).unwrap();
        txn.commit().unwrap();
        drop(db.begin_read().unwrap());
    }
    assert!(file_contains(&path, REPLY) && file_contains(&path, EARLIER), "version 30 holds both (the test sees them)");

    let reads_the_same = |p: &Platform| {
        let report = p.integrity().unwrap();
        assert_eq!(report.schema_version, SCHEMA_VERSION);
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        let page = p.forums().thread_page(&Actor::Operator, thread, &PageRequest::default()).unwrap();
        let shown = page.posts.iter().find(|p| p.id == reply.id).unwrap();
        assert_eq!((shown.body.as_str(), shown.excerpt.as_str()), (REPLY, reply.excerpt.as_str()));
        assert!(shown.author.anonymous);
        let history = p.forums().history(&Actor::Operator, reply.id).unwrap();
        assert_eq!(history.iter().map(|r| r.body.as_str()).collect::<Vec<_>>(), [EARLIER, REPLY]);
        assert_eq!(p.accounts().authenticate(NAMES[0], "ein langes Passwort 42").unwrap().id, ids[0]);
        assert!(p.accounts().authenticate("KRABBENKUTTERIN", "ein langes Passwort 42").is_ok(), "by its key");
    };
    let p = Platform::open(&path, options()).unwrap();
    reads_the_same(&p);
    p.compact(&Actor::Operator).unwrap();
    drop(p);
    for text in [REPLY, EARLIER] {
        assert!(!file_contains(&path, text), "{text:?} is sealed under its author's key: not left in the file");
    }
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_read().unwrap();
        let index = txn.open_table(TableDefinition::<&str, u64>::new("account_by_pseudonym")).unwrap();
        let keys: Vec<String> = index.iter().unwrap().map(|row| row.unwrap().0.value().to_string()).collect();
        assert_eq!(keys.len(), 2, "{keys:?}");
        for key in &keys {
            assert!(key.len() == 32 && key.bytes().all(|b| b.is_ascii_hexdigit()), "a keyed hash, not {key:?}");
            assert!(NAMES.iter().all(|n| !key.contains(&n.to_lowercase()[..6])), "{key:?}");
        }
    }
    reads_the_same(&Platform::open(&path, options()).unwrap());
}

/// A board page's line as version 31 stored it (postcard, no sealed value at its end).
#[derive(serde::Serialize)]
struct LineV31<'a> {
    id: u64,
    title: &'a str,
    first_post: u64,
    author: u64,
    author_name: &'a str,
    anonymous: bool,
    tags: Vec<&'a str>,
    pinned: bool,
    locked: bool,
    created_at: i64,
    last_activity: i64,
    reply_count: u32,
    last_seq: u32,
    excerpt: &'a str,
}

/// Version 32 seals the thread titles and excerpts (the record and the board page's line) and
/// the texts of review items about forum content under their authors' keys: a file taken back
/// to version 31 (the thread record as JSON with its text, its line in the old shape, the
/// review item as JSON with its summary) reads the same after the migration, and after
/// compaction neither the title nor the excerpt is in the file.
#[test]
fn a_version_31_file_seals_its_thread_titles_and_review_items() {
    use redb::{ReadableTable, TableDefinition};
    const TITLE: &str = "Nebelhorn über der Krabbenkutterin";
    const BODY: &str = "Wer hört das Nebelhorn am Kai der Leuchtturmwärterin";
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    let clock = common::clock();
    let options = || PlatformOptions { clock: std::sync::Arc::new(clock.clone()), ..Default::default() };
    let (writer, board, thread) = {
        let p = Platform::open(&path, options()).unwrap();
        let board = common::public_board(&p, "hafen", "Hafen").id;
        let writer = common::account(&p, "Krabbenkutterin", &[]).id;
        let reader = common::account(&p, "Leser", &[]).id;
        let new = NewThread { board, title: TITLE.into(), body: BODY.into(), tags: vec![], anonymous: false };
        let thread = p.forums().create_thread(&Actor::account(writer), &new).unwrap().thread;
        let report = NewReport { target: Target::Thread { id: thread.id }, reason: ReportReason::Spam, detail: None };
        p.moderation().report(&Actor::account(reader), &report).unwrap();
        (writer, board, thread)
    };
    let item = {
        let p = Platform::open(&path, options()).unwrap();
        let queue = p.moderation().queue(&Actor::Operator, ItemState::Pending, &PageRequest::default()).unwrap();
        queue.items.into_iter().next().expect("the report's item")
    };
    assert_eq!(item.summary, TITLE);
    // Back to version 31: the thread's record as JSON with its text, its line in the old
    // shape, the review item as JSON with its summary.
    {
        let micros = |t: Timestamp| t.timestamp_micros();
        let record = serde_json::json!({
            "id": thread.id, "board": board, "title": TITLE, "first_post": thread.first_post,
            "author": { "account": writer, "name": "Krabbenkutterin", "anonymous": false },
            "tags": [], "pinned": false, "locked": false, "state": "visible",
            "created_at": micros(thread.created_at), "excerpt": thread.excerpt,
        });
        let line = LineV31 {
            id: thread.id.0,
            title: TITLE,
            first_post: thread.first_post.0,
            author: writer.0,
            author_name: "Krabbenkutterin",
            anonymous: false,
            tags: vec![],
            pinned: false,
            locked: false,
            created_at: micros(thread.created_at),
            last_activity: micros(thread.last_activity),
            reply_count: 0,
            last_seq: thread.last_seq,
            excerpt: &thread.excerpt,
        };
        let order = (board.0, 1u8, u64::MAX - micros(thread.last_activity) as u64, thread.id.0);
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut threads = txn.open_table(TableDefinition::<u64, &[u8]>::new("forum_threads")).unwrap();
            threads.insert(thread.id.0, serde_json::to_vec(&record).unwrap().as_slice()).unwrap();
            let lines = TableDefinition::<(u64, u8, u64, u64), &[u8]>::new("forum_board_threads");
            let mut lines = txn.open_table(lines).unwrap();
            assert!(lines.get(order).unwrap().is_some(), "the line's key is the thread's place on the page");
            lines.insert(order, postcard::to_allocvec(&line).unwrap().as_slice()).unwrap();
            let mut items = txn.open_table(TableDefinition::<u64, &[u8]>::new("mod_items")).unwrap();
            items.insert(item.id, serde_json::to_vec(&item).unwrap().as_slice()).unwrap();
        }
        txn.open_table(TableDefinition::<&str, u64>::new("meta")).unwrap().insert("schema_version", 31u64).unwrap();
        txn.commit().unwrap();
    }
    assert!(file_contains(&path, TITLE), "version 31 holds the title plain (the test sees it)");

    let reads_the_same = |p: &Platform| {
        let report = p.integrity().unwrap();
        assert_eq!(report.schema_version, SCHEMA_VERSION);
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        let page = p.forums().board_page(&Actor::Operator, board, &PageRequest::default()).unwrap();
        assert_eq!(
            (page.threads[0].title.as_str(), page.threads[0].excerpt.as_str()),
            (TITLE, thread.excerpt.as_str())
        );
        let shown = p.forums().thread_page(&Actor::Operator, thread.id, &PageRequest::default()).unwrap().thread;
        assert_eq!((shown.title.as_str(), shown.excerpt.as_str()), (TITLE, thread.excerpt.as_str()));
        let queue = p.moderation().queue(&Actor::Operator, ItemState::Pending, &PageRequest::default()).unwrap();
        assert_eq!(queue.items[0].summary, TITLE);
        let query = SearchQuery { text: "Nebelhorn".into(), ..Default::default() };
        let hits = p.search().search(&Actor::Operator, &query, &PageRequest::default()).unwrap();
        assert_eq!(hits.items[0].title, TITLE, "the search shows the title it opens");
    };
    let p = Platform::open(&path, options()).unwrap();
    reads_the_same(&p);
    p.compact(&Actor::Operator).unwrap();
    drop(p);
    for text in [TITLE, BODY] {
        assert!(!file_contains(&path, text), "{text:?} is sealed under its author's key: not left in the file");
    }
    reads_the_same(&Platform::open(&path, options()).unwrap());
}

/// A notification as version 33 stored it (postcard): the time, the read flag, the event.
#[derive(serde::Serialize)]
struct NotificationV33<'a> {
    at_micros: i64,
    read: bool,
    event: EventV33<'a>,
}

/// The stored events of version 33 up to the forum ones (postcard numbers the variants in
/// order: the first two stand in for the job board's).
#[derive(serde::Serialize)]
#[allow(dead_code)]
enum EventV33<'a> {
    JobAlert,
    InterestUpdated,
    ForumReply { board: u64, thread: u64, post: u64, thread_title: &'a str, author: &'a str },
    ForumThread { board: u64, board_title: &'a str, thread: u64, title: &'a str, author: &'a str },
}

/// Version 34 takes the thread's title out of the inbox's forum notifications (it is read from
/// the thread, sealed under its author's key, when a notification is shown): a file taken back
/// to version 33, with a reply and a new thread notified in the old shape, title and all, shows
/// the same notifications after the migration, and after compaction the title is not in the
/// file.
#[test]
fn a_version_33_file_takes_the_titles_out_of_its_forum_notifications() {
    use redb::TableDefinition;
    const TITLE: &str = "Möwenschreie über der Seezungenbucht";
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    let clock = common::clock();
    let options = || PlatformOptions { clock: std::sync::Arc::new(clock.clone()), ..Default::default() };
    let (reader, shown) = {
        let p = Platform::open(&path, options()).unwrap();
        let board = common::public_board(&p, "hafen", "Hafen").id;
        let writer = Actor::account(common::account(&p, "Seezunge", &[]).id);
        let reader = common::account(&p, "Leser", &[]).id;
        p.forums().watch_board(&Actor::account(reader), board, true).unwrap();
        let new =
            NewThread {
                board, title: TITLE.into(), body: "Wer hört sie noch?".into(), tags: vec![], anonymous: false
            };
        let thread = p.forums().create_thread(&writer, &new).unwrap().thread.id;
        p.forums().watch_thread(&Actor::account(reader), thread, true).unwrap();
        let reply = NewReply { thread, body: "Ich, jeden Morgen.".into(), reply_to: None, anonymous: false };
        p.forums().reply(&writer, &reply).unwrap();
        let shown = p.inbox().list(&Actor::account(reader), false, &PageRequest::default()).unwrap().items;
        (reader, shown)
    };
    assert_eq!(shown.len(), 2, "a new thread and a reply: {shown:?}");
    // Back to version 33: both notifications in the old shape, with the thread's title.
    {
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        {
            let mut inbox = txn.open_table(TableDefinition::<(u64, u64), &[u8]>::new("inbox")).unwrap();
            for n in &shown {
                let event = match &n.event {
                    Event::ForumReply { board, thread, post, author, .. } => EventV33::ForumReply {
                        board: board.0,
                        thread: thread.0,
                        post: post.0,
                        thread_title: TITLE,
                        author,
                    },
                    Event::ForumThread { board, board_title, thread, author, .. } => {
                        EventV33::ForumThread { board: board.0, board_title, thread: thread.0, title: TITLE, author }
                    }
                    other => panic!("a forum notification, not {other:?}"),
                };
                let old = NotificationV33 { at_micros: n.at.timestamp_micros(), read: n.read, event };
                inbox.insert((reader.0, n.id), postcard::to_allocvec(&old).unwrap().as_slice()).unwrap();
            }
        }
        txn.open_table(TableDefinition::<&str, u64>::new("meta")).unwrap().insert("schema_version", 33u64).unwrap();
        txn.commit().unwrap();
    }
    assert!(file_contains(&path, TITLE), "version 33 holds the title plain in the notifications (the test sees it)");

    let reads_the_same = |p: &Platform| {
        let report = p.integrity().unwrap();
        assert_eq!(report.schema_version, SCHEMA_VERSION);
        assert!(report.problems.is_empty(), "{:?}", report.problems);
        let page = p.inbox().list(&Actor::account(reader), false, &PageRequest::default()).unwrap();
        assert_eq!(page.items, shown, "the notifications read as before, the title read from the thread");
    };
    let p = Platform::open(&path, options()).unwrap();
    reads_the_same(&p);
    p.compact(&Actor::Operator).unwrap();
    drop(p);
    assert!(!file_contains(&path, TITLE), "no notification keeps the title: it is sealed in the thread only");
    reads_the_same(&Platform::open(&path, options()).unwrap());
}

/// `count` synthetic postcodes from `first` on, in the GeoNames layout.
fn gazetteer_from(first: u32, count: u32) -> String {
    (first..first + count)
        .map(|i| format!("DK\t{i}\tSted {i}\tRegion\t1\tKommune\t2\t\t\t56.{:04}\t10.2108\t6\n", i % 10_000))
        .collect()
}

/// A file whose freed pages lie all through it: rounds of a gazetteer import and forum threads,
/// then the gazetteer replaced by a small one. Returns the threads and the author.
fn thinned_forum_file(path: &Path) -> (Vec<ThreadId>, Account) {
    let p = Platform::open(path, PlatformOptions::default()).unwrap();
    let board = common::public_board(&p, "offen", "Offen").id;
    let kim = common::account(&p, "Kim_aus_Jena", &[]);
    let author = Actor::account(kim.id);
    let mut threads = Vec::new();
    for round in 0..6u32 {
        p.geo()
            .import(&Actor::Operator, gazetteer_from(10_000 + round * 4_000, 4_000).as_bytes(), &mut |_| {})
            .unwrap();
        for i in 0..8 {
            let body = format!("Runde {round}, Beitrag {i}: wie es mir heute geht. ").repeat(20);
            let new = NewThread { board, title: format!("Faden {round}-{i}"), body, tags: vec![], anonymous: false };
            let thread = p.forums().create_thread(&author, &new).unwrap().thread.id;
            let reply =
                NewReply { thread, body: format!("Antwort in Runde {round}"), reply_to: None, anonymous: false };
            p.forums().reply(&author, &reply).unwrap();
            threads.push(thread);
        }
    }
    p.geo().import_replacing(&Actor::Operator, gazetteer_rows(10).as_bytes(), &mut |_| {}).unwrap();
    (threads, kim)
}

/// Everything the test reads back: each thread's first page (texts opened with the authors'
/// keys) and the account found by its pseudonym (the index keyed by the key file's index key).
fn forum_reading(p: &Platform, threads: &[ThreadId], kim: &Account) -> String {
    let reader = Actor::account(kim.id);
    let pages: Vec<String> = threads
        .iter()
        .map(|t| format!("{:?}", p.forums().thread_page(&reader, *t, &PageRequest::first(20)).unwrap()))
        .collect();
    let found = p.accounts().find_by_pseudonym(&Actor::Operator, "Kim_aus_Jena").unwrap();
    assert_eq!(found.id, kim.id, "the pseudonym resolves to the same account");
    format!("{pages:?} {found:?}")
}

/// The bytes of the file that redb holds no page in.
fn free_bytes(path: &Path) -> u64 {
    let db = redb::Database::open(path).unwrap();
    let stats = db.begin_write().unwrap().stats().unwrap();
    file_len(path) - stats.allocated_pages() * stats.page_size() as u64
}

#[test]
fn compaction_rewrites_a_file_with_freed_pages_inside_and_every_record_reads_back_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    let (threads, kim) = thinned_forum_file(&path);
    let p = Platform::open(&path, PlatformOptions::default()).unwrap();
    let before = forum_reading(&p, &threads, &kim);
    // The file is too small for the threshold (a mebibyte free): rewrite it all the same.
    rewrite_on_this_thread(true);
    let (mut passes, mut rewritten_rows) = (Vec::new(), BTreeMap::new());
    let report = p.compact_with(&Actor::Operator, &mut |step| match step {
        CompactStep::InPlace { pass } => passes.push(pass),
        CompactStep::Rewriting(c) => {
            assert!(c.copied <= c.total, "{c:?}");
            rewritten_rows.insert(c.keyspace, c.copied);
        }
    });
    rewrite_on_this_thread(false);
    let report = report.unwrap();
    let (before_bytes, after) = (report.bytes_before.unwrap(), report.bytes_after.unwrap());
    assert!(report.rewritten, "{report:?}");
    // The bar of `trialog compact` follows every pass in place and the rewrite's rows.
    assert_eq!(passes, (1..=report.passes).collect::<Vec<_>>(), "{report:?}");
    assert!(rewritten_rows.get("forum_posts").is_some_and(|&rows| rows > 0), "{rewritten_rows:?}");
    assert!(after * 3 < before_bytes, "the file hardly shrank: {report:?}");
    assert!(after <= report.bytes_in_place.unwrap(), "the rewrite is larger than the file it replaced: {report:?}");
    assert_eq!(after, file_len(&path), "the report says the size on disk");
    assert_eq!(forum_reading(&p, &threads, &kim), before, "the open platform reads the new file alike");
    assert!(p.integrity().unwrap().problems.is_empty());
    drop(p);
    let free = free_bytes(&path);
    assert!(free * 10 < after, "{free} of {after} bytes are still free: {report:?}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // Opening checks the key file against the new file's record of it (keycheck).
    let p = Platform::open(&path, PlatformOptions::default()).unwrap();
    assert_eq!(forum_reading(&p, &threads, &kim), before, "reopened, every record reads the same");
    assert!(!dir.path().join("platform.redb.compacting").exists());
    // Nothing more to give back: compacting again does not rewrite.
    assert!(!p.compact(&Actor::Operator).unwrap().rewritten);
}

#[test]
fn a_rewrite_left_unfinished_beside_the_file_is_harmless_and_removed() {
    let dir = tempfile::tempdir().unwrap();
    let path = temp_db(&dir);
    let (threads, kim) = thinned_forum_file(&path);
    let leftover = PathBuf::from(format!("{}.compacting", path.display()));
    // What a process killed during the rewrite leaves: a partial file beside the valid one.
    std::fs::copy(&path, &leftover).unwrap();
    std::fs::OpenOptions::new().write(true).open(&leftover).unwrap().set_len(file_len(&path) / 3).unwrap();
    let p = Platform::open(&path, PlatformOptions::default()).unwrap();
    assert!(!leftover.exists(), "opening removes the unfinished rewrite");
    let before = forum_reading(&p, &threads, &kim);
    // One left while the platform is open is removed by the compaction, which writes its own.
    std::fs::write(&leftover, b"not a database").unwrap();
    rewrite_on_this_thread(true);
    let report = p.compact(&Actor::Operator);
    rewrite_on_this_thread(false);
    assert!(report.unwrap().rewritten);
    assert!(!leftover.exists());
    assert_eq!(forum_reading(&p, &threads, &kim), before);
}
