//! The gazetteer in a database file: tables added after a file was created, and persistence.

use trialog_core::*;

const ROW: &str = "DK\t8000\tAarhus C\tRegion Midtjylland\t1082\tAarhus Kommune\t751\t\t\t56.1567\t10.2108\t6\n";

#[test]
fn a_file_written_before_the_gazetteer_gets_its_tables_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("platform.redb");
    Platform::open(&path, PlatformOptions::default()).unwrap();
    {
        // Take the file back to what a build without the gazetteer wrote: schema 2, no geo tables.
        let db = redb::Database::open(&path).unwrap();
        let txn = db.begin_write().unwrap();
        for name in ["geo_postcodes", "geo_place_names", "geo_countries"] {
            assert!(txn.delete_table(redb::TableDefinition::<&str, &[u8]>::new(name)).unwrap(), "{name}");
        }
        txn.open_table(redb::TableDefinition::<&str, u64>::new("meta")).unwrap().insert("schema_version", 2).unwrap();
        txn.commit().unwrap();
    }
    let p = Platform::open(&path, PlatformOptions::default()).unwrap();
    assert_eq!(p.integrity().unwrap().schema_version, SCHEMA_VERSION);
    let err = p.geo().lookup(&Actor::Anonymous, "DK", "8000").unwrap_err();
    assert!(matches!(&err, Error::InvalidInput { reason, .. } if reason.starts_with("no gazetteer for DK")), "{err:?}");
    assert!(p.geo().countries(&Actor::Anonymous).unwrap().is_empty());
    assert!(p.integrity().unwrap().problems.is_empty());
}

#[test]
fn the_gazetteer_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("platform.redb");
    {
        let p = Platform::open(&path, PlatformOptions::default()).unwrap();
        p.geo().import(&Actor::Operator, ROW.as_bytes(), &mut |_| {}).unwrap();
    }
    let report = Platform::check_file(&path, PlatformOptions::default()).unwrap();
    assert!(report.problems.is_empty() && report.file_intact == Some(true), "{report:?}");
    let p = Platform::open(&path, PlatformOptions::default()).unwrap();
    let place = p.geo().lookup(&Actor::Anonymous, "dk", "8000").unwrap();
    assert_eq!(place.names, ["Aarhus C"]);
    assert_eq!(p.geo().countries(&Actor::Anonymous).unwrap()[0].postcodes, 1);
}
