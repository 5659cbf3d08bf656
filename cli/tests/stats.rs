//! `trialog stats`: reports for funders from the command line.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::Trialog;

#[test]
fn the_platform_report_lists_rows_as_json_csv_and_html() {
    let t = Trialog::initialised();
    t.ok(&["demo"]);
    let json = t.json(&["stats", "platform", "2026"]);
    let items = json["items"].as_array().expect("items");
    assert!(json["next_cursor"].is_null());
    for row in items {
        assert_eq!(row["withheld"].as_bool().unwrap(), row["value"].is_null(), "{row}");
    }
    let csv = t.ok(&["stats", "platform", "2026-Q1", "--format", "csv"]);
    assert!(csv.starts_with("period,span,figure,org,category,value,withheld\n"), "{csv}");
    let file = t.db.with_file_name("report.html");
    t.ok(&["stats", "html", "2026-Q1", "--output", file.to_str().unwrap()]);
    let html = std::fs::read_to_string(&file).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>") && !html.contains("<script"));
    assert_eq!(std::fs::metadata(&file).unwrap().permissions().mode() & 0o777, 0o600);
}

#[test]
fn bad_periods_and_thresholds_name_the_field() {
    let t = Trialog::initialised();
    let error = t.fails(&["stats", "platform", "2026-Q5"], 1);
    assert_eq!(error["field"], "period", "{error}");
    let error = t.fails(&["stats", "threshold", "--set", "0"], 1);
    assert_eq!(error["field"], "disclosure_threshold", "{error}");
    assert_eq!(t.json(&["stats", "threshold", "--set", "7"])["disclosure_threshold"], 7);
    assert!(t.ok(&["stats", "threshold"]).contains("1 to 7"));
}
