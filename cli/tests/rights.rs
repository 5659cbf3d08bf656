//! `trialog account export|erase` and `trialog retention`: the person's rights from the
//! command line.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::Trialog;

#[test]
fn an_account_is_exported_to_a_private_zip_then_erased() {
    let t = Trialog::initialised();
    t.ok(&["account", "add", "Quastenflosser", "--email", "quasten@example.org"]);
    let out = t.db.with_file_name("kim.zip");
    let report = t.json(&["account", "export", "Quastenflosser", "--out", out.to_str().unwrap()]);
    let files = report["files"].as_array().expect("files");
    assert!(files.iter().any(|f| f["name"] == "account.json" && f["records"] == 1), "{report}");
    assert_eq!(std::fs::metadata(&out).unwrap().permissions().mode() & 0o777, 0o600);
    let again = t.fails(&["account", "export", "Quastenflosser", "--out", out.to_str().unwrap()], 1);
    assert_eq!(again["field"], "out", "{again}");
    let named = t.fails(&["account", "erase", "Quastenflosser", "--reason", "quastenflosser asked"], 1);
    assert_eq!(named["field"], "reason", "{named}");
    let erased = t.json(&["account", "erase", "Quastenflosser", "--reason", "on request", "--posts", "delete"]);
    assert_eq!(erased["posts"], "delete", "{erased}");
    let gone = t.fails(&["account", "show", "Quastenflosser"], 3);
    assert_eq!(gone["error"], "not_found", "{gone}");
}

#[test]
fn retention_is_off_until_set_and_lists_warnings() {
    let t = Trialog::initialised();
    assert!(t.json(&["retention", "show"])["inactive_months"].is_null());
    let set = t.json(&["retention", "set", "--inactive-months", "24", "--grace-days", "14"]);
    assert_eq!(set["inactive_months"], 24);
    assert_eq!(set["grace_days"], 14);
    let bad = t.fails(&["retention", "set", "--inactive-months", "0"], 1);
    assert_eq!(bad["field"], "inactive_months", "{bad}");
    let warnings = t.json(&["retention", "warnings"]);
    assert!(warnings["items"].as_array().unwrap().is_empty() && warnings["next_cursor"].is_null());
    assert!(t.json(&["retention", "set", "--off"])["inactive_months"].is_null());
}
