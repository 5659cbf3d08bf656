//! Moving a platform between storage engines (`Platform::copy_store`, `trialog store copy`):
//! every keyspace arrives, is verified by count and checksum, and a target that holds anything
//! is refused.

mod common;

use std::path::Path;

use trialog_core::forums::{ModerationMode, NewReply, NewThread};
use trialog_core::*;

/// A platform file with accounts, an organisation, a board, threads and replies (so accounts,
/// pseudonyms, audit, forums, the change feed and the sequences all hold rows).
fn filled_file(path: &Path) -> Vec<String> {
    let p = Platform::open(path, PlatformOptions::default()).unwrap();
    common::org(&p, "Kontaktstelle Jena", "TH");
    let board = common::members_board(&p, "austausch", ModerationMode::Open);
    let writers: Vec<Actor> =
        (0..12).map(|i| Actor::account(common::account(&p, &format!("Schreibend_{i}"), &[]).id)).collect();
    for (i, writer) in writers.iter().enumerate() {
        let thread = NewThread {
            board: board.id,
            title: format!("Faden {i}"),
            body: format!("Erster Beitrag {i}: wie es mir mit der Genesungsbegleitung geht."),
            tags: vec![],
            anonymous: i % 3 == 0,
        };
        let thread = p.forums().create_thread(writer, &thread).unwrap().thread.id;
        let reply = NewReply { thread, body: format!("Antwort auf {i}."), reply_to: None, anonymous: false };
        p.forums().reply(&writers[(i + 1) % writers.len()], &reply).unwrap();
    }
    pseudonyms(&p)
}

fn pseudonyms(p: &Platform) -> Vec<String> {
    let page = p.accounts().list(&Actor::Operator, &AccountFilter::default(), &PageRequest::default()).unwrap();
    page.items.into_iter().map(|a| a.pseudonym).collect()
}

fn copy(from: &StoreLocation, to: &StoreLocation) -> Result<CopyReport> {
    let mut last = None;
    let report = Platform::copy_store(from, to, 7, &mut |p| last = Some((p.copied, p.total)))?;
    let (copied, total) = last.expect("progress was reported");
    assert_eq!((copied, total), (report.rows, report.rows), "progress ends at every row");
    Ok(report)
}

fn file(path: &Path) -> StoreLocation {
    StoreLocation::File(path.to_path_buf())
}

/// The checksums of two copies agree keyspace by keyspace.
fn assert_same_rows(a: &CopyReport, b: &CopyReport) {
    assert_eq!(a.keyspaces.len(), b.keyspaces.len());
    for (x, y) in a.keyspaces.iter().zip(&b.keyspaces) {
        assert_eq!(x, y, "keyspace {} differs", x.name);
    }
}

#[test]
fn a_file_copied_into_a_new_file_reads_the_same_and_checks_clean() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.redb"), dir.path().join("b.redb"));
    let names = filled_file(&a);
    let report = copy(&file(&a), &file(&b)).unwrap();
    let rows = |name: &str| report.keyspaces.iter().find(|k| k.name == name).map(|k| k.rows);
    assert_eq!(rows("accounts"), Some(12));
    assert!(rows("store_changes").unwrap() > 0, "the change feed is copied too");
    assert_eq!(rows("meta"), Some(2), "the schema version and the key file's check value");
    let copied = Platform::open_existing(&b, PlatformOptions::default()).unwrap();
    assert_eq!(pseudonyms(&copied), names);
    let integrity = copied.integrity().unwrap();
    assert!(integrity.problems.is_empty(), "{:?}", integrity.problems);
    assert_eq!(integrity.schema_version, SCHEMA_VERSION);
    drop(copied);
    // A copy of the copy has the same rows, keyspace by keyspace.
    let again = copy(&file(&b), &file(&dir.path().join("c.redb"))).unwrap();
    assert_same_rows(&report, &again);
    // Sequences came along: the next account gets the next id, not 1.
    let copied = Platform::open_existing(&b, PlatformOptions::default()).unwrap();
    assert_eq!(common::account(&copied, "Danach", &[]).id, AccountId(13));
}

#[test]
fn a_copy_refuses_a_target_that_holds_anything_and_a_missing_source() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.redb"), dir.path().join("b.redb"));
    filled_file(&a);
    Platform::open(&b, PlatformOptions::default()).unwrap();
    let err = copy(&file(&a), &file(&b)).unwrap_err();
    assert!(matches!(&err, Error::Conflict { reason } if reason.contains("not empty")), "{err:?}");
    let err = copy(&file(&a), &file(&a)).unwrap_err();
    assert!(matches!(&err, Error::InvalidInput { field, .. } if field == "to"), "{err:?}");
    let err = copy(&file(&dir.path().join("missing.redb")), &file(&dir.path().join("c.redb"))).unwrap_err();
    assert!(matches!(err, Error::NotFound { .. }), "{err:?}");
}

/// redb → PostgreSQL → redb: every keyspace has the same rows (count and checksum) at each
/// step, and the platform reads the same from the schema (feature `postgres`, database at
/// `TRIALOG_POSTGRES_URL`).
#[cfg(feature = "postgres")]
#[test]
fn a_file_copied_to_postgres_and_back_has_identical_rows() {
    let Ok(url) = std::env::var("TRIALOG_POSTGRES_URL") else {
        eprintln!("skipped: TRIALOG_POSTGRES_URL is not set (bash scripts/postgres.sh start)");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.redb"), dir.path().join("b.redb"));
    let names = filled_file(&a);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    let schema = format!("copy_{}_{nanos}", std::process::id());
    let pg = StoreLocation::Postgres(format!("{url}{}schema={schema}", if url.contains('?') { '&' } else { '?' }));
    let dropped = DropSchema(&url, &schema);
    let there = copy(&file(&a), &pg).unwrap();
    let StoreLocation::Postgres(pg_url) = &pg else { unreachable!() };
    let on_postgres = Platform::open_postgres(pg_url, PlatformOptions::default()).unwrap();
    assert_eq!(pseudonyms(&on_postgres), names);
    assert!(on_postgres.integrity().unwrap().problems.is_empty());
    drop(on_postgres);
    let err = copy(&file(&a), &pg).unwrap_err();
    assert!(matches!(&err, Error::Conflict { reason } if reason.contains("not empty")), "{err:?}");
    let back = copy(&pg, &file(&b)).unwrap();
    assert_same_rows(&there, &back);
    let original = copy(&file(&a), &file(&dir.path().join("c.redb"))).unwrap();
    assert_same_rows(&original, &back);
    drop(dropped);
}

/// Sealed fields travel with their keys: a file whose accounts have sealed e-mail addresses
/// and a sealed saved-search name, copied to PostgreSQL and back, opens every one of them at
/// each step; the key store arrives whole (count and checksum, the same at each step), no table
/// of the schema holds a sealed text, and the key file written by the copy back is 0600.
#[cfg(feature = "postgres")]
#[test]
fn sealed_fields_open_after_a_copy_to_postgres_and_back_and_no_table_holds_them() {
    const SEARCH: &str = "Stellen am Kohlrabideich";
    let Some(pg) = common::pg::Scratch::new("copy_sealed") else { return };
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a.redb"), dir.path().join("b.redb"));
    let emails: Vec<String> = (0..5).map(|i| format!("leuchtturm{i}.zitronenfalter@example.org")).collect();
    let p = Platform::open(&a, PlatformOptions::default()).unwrap();
    let people: Vec<AccountId> = emails
        .iter()
        .enumerate()
        .map(|(i, email)| {
            let new =
                NewAccount { pseudonym: format!("Versiegelt_{i}"), email: Some(email.clone()), ..Default::default() };
            p.accounts().create(&Actor::Operator, &new).unwrap().id
        })
        .collect();
    common::account(&p, "Ohne_Adresse", &[]);
    p.alerts().add(&Actor::account(people[0]), SEARCH, &JobQuery::default()).unwrap();
    drop(p);
    let opens_all = |p: &Platform| {
        for (person, email) in people.iter().zip(&emails) {
            assert_eq!(p.accounts().get(&Actor::Operator, *person).unwrap().email.as_deref(), Some(email.as_str()));
        }
        assert_eq!(p.alerts().list(&Actor::account(people[0])).unwrap()[0].name, SEARCH);
    };

    let to_pg = StoreLocation::Postgres(pg.store.clone());
    let there = copy(&file(&a), &to_pg).unwrap();
    // One key per sealed person, and the platform's index key (the pseudonym index's hashes,
    // held under `i64::MAX`, which no account has).
    let holders: Vec<AccountId> = people.iter().copied().chain([AccountId(i64::MAX as u64)]).collect();
    assert_eq!((there.keys.name, there.keys.rows), ("person keys", holders.len() as u64), "one key per sealed person");
    assert_eq!(pg.people_with_keys(), holders, "the keys lie in the schema's key store");
    for text in emails.iter().map(String::as_str).chain([SEARCH]) {
        assert_eq!(pg.tables_holding(&pg.schema, text), Vec::<String>::new(), "{text} arrived sealed");
    }
    opens_all(&Platform::open_postgres(&pg.store, PlatformOptions::default()).unwrap());

    let back = copy(&to_pg, &file(&b)).unwrap();
    assert_eq!(back.keys, there.keys, "the same keys came back (count and checksum)");
    let keys = dir.path().join("b.redb.keys");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&keys).unwrap().permissions().mode() & 0o777, 0o600, "the key file is private");
    }
    opens_all(&Platform::open_existing(&b, PlatformOptions::default()).unwrap());
    let file_to_file = copy(&file(&a), &file(&dir.path().join("c.redb"))).unwrap();
    assert_eq!(file_to_file.keys, there.keys);

    // A target file with a key file beside it is refused, though it has no rows.
    std::fs::copy(&keys, dir.path().join("e.redb.keys")).unwrap();
    let err = copy(&file(&a), &file(&dir.path().join("e.redb"))).unwrap_err();
    assert!(matches!(&err, Error::InvalidInput { field, .. } if field == "to"), "{err:?}");
}

/// Drops the test's schema when the test ends, passed or not.
#[cfg(feature = "postgres")]
struct DropSchema<'a>(&'a str, &'a str);

#[cfg(feature = "postgres")]
impl Drop for DropSchema<'_> {
    fn drop(&mut self) {
        if let Ok(mut client) = postgres::Client::connect(self.0, postgres::NoTls) {
            let _ = client.batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {0} CASCADE; DROP SCHEMA IF EXISTS {0}_keys CASCADE",
                self.1
            ));
        }
    }
}
