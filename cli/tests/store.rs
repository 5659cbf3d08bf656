//! `trialog store copy`: a platform moved into another file (and, with the `postgres` feature
//! and a database at TRIALOG_POSTGRES_URL, into PostgreSQL and back) arrives whole and verified.

mod common;

use std::path::Path;

use common::Trialog;
use serde_json::Value;

/// Fills the test's file with a few accounts and an organisation.
fn filled() -> Trialog {
    let t = Trialog::initialised();
    t.ok(&["org", "add", "Kontaktstelle Jena", "--kind", "self_help_contact_point", "--region", "DE-TH"]);
    for name in ["Lotte", "Kim_R", "Sven"] {
        t.ok(&["account", "add", name]);
    }
    t
}

fn keyspace<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["items"].as_array().unwrap().iter().find(|k| k["name"] == name).unwrap_or_else(|| panic!("{name}"))
}

/// The pseudonyms in the file at `db`.
fn pseudonyms(db: &Path) -> Vec<String> {
    let mut t = Trialog::new();
    t.db = db.to_path_buf();
    let json = t.json(&["account", "list"]);
    json["items"].as_array().unwrap().iter().map(|a| a["pseudonym"].as_str().unwrap().to_string()).collect()
}

#[test]
fn a_copy_into_a_new_file_is_verified_and_reads_the_same() {
    let t = filled();
    let (from, to) = (t.db.to_str().unwrap(), t.db.with_file_name("copy.redb"));
    let report = t.json(&["store", "copy", from, to.to_str().unwrap(), "--batch", "3"]);
    assert!(report["next_cursor"].is_null());
    assert_eq!(keyspace(&report, "accounts")["rows"], 3);
    assert_eq!(keyspace(&report, "accounts")["checksum"].as_str().unwrap().len(), 64);
    let rows: u64 = report["items"].as_array().unwrap().iter().map(|k| k["rows"].as_u64().unwrap()).sum();
    assert_eq!(report["rows"], rows);
    assert_eq!(pseudonyms(&to), pseudonyms(&t.db));
    let text = t.ok(&["store", "copy", from, t.db.with_file_name("text.redb").to_str().unwrap()]);
    assert!(text.contains("every keyspace verified"), "{text}");
}

#[test]
fn a_copy_into_a_platform_that_exists_is_refused_with_a_hint() {
    let t = filled();
    let other = Trialog::initialised();
    let error = t.fails(&["store", "copy", t.db.to_str().unwrap(), other.db.to_str().unwrap()], 3);
    assert!(error["message"].as_str().unwrap().contains("not empty"), "{error}");
    assert!(error["hint"].as_str().unwrap().contains("does not exist yet"), "{error}");
    let error = t.fails(&["store", "copy", t.db.to_str().unwrap(), "x.redb", "--batch", "0"], 2);
    assert_eq!(error["argument"], "batch", "{error}");
    let error = t.fails(&["--as", "Lotte", "store", "copy", t.db.to_str().unwrap(), "y.redb"], 2);
    assert!(error["message"].as_str().unwrap().contains("--as"), "{error}");
}

#[cfg(feature = "postgres")]
#[test]
fn a_copy_to_postgres_and_back_has_the_same_checksums() {
    let Ok(url) = std::env::var("TRIALOG_POSTGRES_URL") else {
        eprintln!("skipped: TRIALOG_POSTGRES_URL is not set (bash scripts/postgres.sh start)");
        return;
    };
    let t = filled();
    let schema = format!("cli_copy_{}", std::process::id());
    let pg = format!("{url}{}schema={schema}", if url.contains('?') { '&' } else { '?' });
    let back = t.db.with_file_name("back.redb");
    let there = t.json(&["store", "copy", t.db.to_str().unwrap(), &pg]);
    let again = t.json(&["store", "copy", &pg, back.to_str().unwrap()]);
    if let Ok(mut client) = postgres::Client::connect(&url, postgres::NoTls) {
        let _ = client.batch_execute(&format!(
            "DROP SCHEMA IF EXISTS {schema} CASCADE; DROP SCHEMA IF EXISTS {schema}_keys CASCADE"
        ));
    }
    assert_eq!(there["items"], again["items"], "every keyspace has the same rows and checksum");
    assert_eq!(pseudonyms(&back), pseudonyms(&t.db));
}
