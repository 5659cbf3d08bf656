//! How the database file is created and opened: private to its owner, and readable even when
//! it may not be written.

use trialog_core::{
    Actor, Error, NewOrganisation, OrgKind, OrganisationFilter, PageRequest, Platform, PlatformOptions,
};

fn org(name: &str) -> NewOrganisation {
    NewOrganisation { name: name.into(), kind: OrgKind::Association, region: "DE-TH".into(), city: None, website: None }
}

#[cfg(unix)]
#[test]
fn a_new_database_file_is_readable_by_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.redb");
    drop(Platform::open(&path, PlatformOptions::default()).unwrap());
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "a new file holds personal data: mode {mode:o}");
}

#[test]
fn a_file_opened_read_only_answers_reads_and_refuses_every_change() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kept.redb");
    let platform = Platform::open(&path, PlatformOptions::default()).unwrap();
    platform.orgs().create(&Actor::Operator, &org("Weg e.V.")).unwrap();
    drop(platform);
    let before = std::fs::read(&path).unwrap();

    let platform = Platform::open_read_only(&path, PlatformOptions::default()).unwrap();
    let page = platform.orgs().list(&Actor::Operator, &OrganisationFilter::default(), &PageRequest::default());
    assert_eq!(page.unwrap().items.len(), 1);
    let refused = platform.orgs().create(&Actor::Operator, &org("Neu e.V.")).unwrap_err();
    assert!(matches!(&refused, Error::Storage { detail } if detail.contains("read-only")), "{refused:?}");
    drop(platform);
    assert!(std::fs::read(&path).unwrap() == before, "reading changed the file");
}

#[test]
fn opening_a_missing_file_read_only_is_not_found() {
    let dir = tempfile::tempdir().unwrap();
    let missing = Platform::open_read_only(dir.path().join("none.redb"), PlatformOptions::default()).unwrap_err();
    assert!(matches!(missing, Error::NotFound { .. }), "{missing:?}");
}
