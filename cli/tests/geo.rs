//! `trialog geo ...`: importing GeoNames files, looking up postcodes and places.

mod common;

use std::path::PathBuf;

use common::Trialog;
use serde_json::Value;

/// A small file in GeoNames' layout, with one bad row (line 4).
const SAMPLE: &str = "\
DE\t07743\tJena\tThüringen\tTH\t\t00\tKreisfreie Stadt Jena\t16053\t50.9271\t11.5892\t4
DE\t80331\tMünchen\tBayern\tBY\tOberbayern\t091\tKreisfreie Stadt München\t09162\t48.1374\t11.5755\t4
DE\t01945\tKroppen\tBrandenburg\tBB\t\t00\t\t\t51.3833\t13.8\t4
DE\t01946\tNirgendwo\tBrandenburg\tBB\t\t00\t\t\tnorth\t13.8\t4
DE\t01945\tTettau\tBrandenburg\tBB\t\t00\t\t\t51.4333\t13.7333\t4
DK\t8000\tAarhus C\tRegion Midtjylland\t1082\tAarhus Kommune\t751\t\t\t56.1567\t10.2108\t6
";

fn sample_file(trialog: &Trialog, text: &str) -> String {
    let path = trialog.db.with_file_name("sample.txt");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn import_reports_rows_postcodes_countries_and_every_problem() {
    let trialog = Trialog::initialised();
    let file = sample_file(&trialog, SAMPLE);
    let text = trialog.ok(&["geo", "import", &file]);
    assert!(text.contains("imported 5 rows: 4 postcodes in DE, DK"), "{text}");
    assert!(text.contains("line 4: latitude: 'north' is not a number"), "{text}");

    let report = trialog.json(&["geo", "import", &file]);
    assert_eq!(report["countries"], serde_json::json!(["DE", "DK"]));
    assert_eq!((report["rows"].as_u64(), report["postcodes"].as_u64()), (Some(5), Some(4)));
    assert_eq!(report["problems"][0]["line"], 4);
    assert_eq!(report["problems"][0]["field"], "latitude");

    let countries = trialog.json(&["geo", "countries"]);
    assert_eq!(countries["items"][0]["country"], "DE");
    assert_eq!(countries["items"][0]["postcodes"], 3);
    assert!(trialog.ok(&["geo", "countries"]).contains("DK       1"));
}

#[test]
fn a_file_with_nothing_to_import_fails_with_its_problems() {
    let trialog = Trialog::initialised();
    let file = sample_file(&trialog, "this is not\ta GeoNames file\n");
    let run = trialog.run(&["geo", "import", &file]);
    assert_eq!(run.code, 1, "{run:?}");
    assert!(run.stdout.contains("line 1: has 2 tab-separated columns"), "{run:?}");
    assert!(run.stderr.contains("nothing could be imported"), "{run:?}");
    let missing = trialog.fails(&["geo", "import", "/no/such/file.txt"], 4);
    assert!(missing["message"].as_str().unwrap().contains("cannot open"), "{missing}");
}

#[test]
fn postcodes_and_place_names_are_looked_up() {
    let trialog = Trialog::initialised();
    trialog.ok(&["geo", "import", &sample_file(&trialog, SAMPLE)]);
    let place = trialog.json(&["geo", "lookup", "01945", "--country", "de"]);
    assert_eq!(place["names"], serde_json::json!(["Kroppen", "Tettau"]));
    assert_eq!(place["rows"], 2);
    assert!((place["coordinates"]["latitude"].as_f64().unwrap() - 51.4083).abs() < 1e-9);
    let text = trialog.ok(&["geo", "lookup", "07743", "--country", "DE"]);
    assert!(text.contains("places:      Jena") && text.contains("50.9271, 11.5892"), "{text}");

    let found = trialog.json(&["geo", "lookup", "--name", "MUNCH"]);
    assert_eq!(found["items"].as_array().unwrap().len(), 1);
    assert_eq!(found["items"][0]["postcode"], "80331");
    let none = trialog.json(&["geo", "lookup", "--name", "aarhus", "--country", "DE"]);
    assert_eq!(none["items"], Value::Array(vec![]));
    assert!(trialog.ok(&["geo", "lookup", "--name", "zzz"]).contains("(none)"));
}

#[test]
fn unknown_postcodes_and_missing_gazetteers_are_invalid_input() {
    let trialog = Trialog::initialised();
    trialog.ok(&["geo", "import", &sample_file(&trialog, SAMPLE)]);
    let unknown = trialog.fails(&["geo", "lookup", "12345", "--country", "DE"], 1);
    assert_eq!(unknown["field"], "postcode");
    assert_eq!(unknown["reason"], "12345 is not a postcode in the DE gazetteer");
    let not_loaded = trialog.fails(&["geo", "lookup", "1010", "--country", "AT"], 1);
    assert!(not_loaded["reason"].as_str().unwrap().contains("trialog geo import AT.txt"), "{not_loaded}");
    let nowhere = trialog.fails(&["geo", "lookup", "1010"], 3);
    assert_eq!((nowhere["what"].as_str(), nowhere["key"].as_str()), (Some("postcode"), Some("1010")), "{nowhere}");
}

#[test]
fn only_admins_may_import() {
    let trialog = Trialog::initialised();
    trialog.ok(&["account", "add", "Kim_Test"]);
    let denied = trialog.fails(&["geo", "import", &sample_file(&trialog, SAMPLE), "--as", "Kim_Test"], 1);
    assert_eq!(denied["error"], "permission_denied");
}

#[test]
fn the_real_danish_file_imports_completely() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/geonames/DK.txt");
    let path = if path.exists() { path } else { PathBuf::from("/work/shared/data/geonames/DK.txt") };
    if !path.exists() {
        println!("skipped: no GeoNames DK.txt (shared/data/geonames is missing)");
        return;
    }
    let trialog = Trialog::initialised();
    let report = trialog.json(&["geo", "import", &path.display().to_string()]);
    assert_eq!(report["countries"], serde_json::json!(["DK"]));
    assert_eq!(report["problems"], Value::Array(vec![]));
    assert!(report["postcodes"].as_u64().unwrap() > 500, "{report}");
    let aarhus = trialog.json(&["geo", "lookup", "8000", "--country", "DK"]);
    assert!(aarhus["names"][0].as_str().unwrap().starts_with("Aarhus"), "{aarhus}");
    let found = trialog.json(&["geo", "lookup", "--name", "koben", "--country", "dk", "--limit", "3"]);
    assert_eq!(found["items"].as_array().unwrap().len(), 3, "{found}");
}

/// A truncated download must not wipe a country: the second file has 2 of the 4 postcodes.
#[test]
fn a_truncated_file_does_not_replace_a_loaded_country_without_replace() {
    let trialog = Trialog::initialised();
    let full = "\
DE\t07743\tJena\tThüringen\tTH\t\t00\t\t\t50.9271\t11.5892\t4
DE\t80331\tMünchen\tBayern\tBY\t\t091\t\t\t48.1374\t11.5755\t4
DE\t01945\tKroppen\tBrandenburg\tBB\t\t00\t\t\t51.3833\t13.8\t4
DE\t10115\tBerlin\tBerlin\tBE\t\t00\t\t\t52.532\t13.3849\t4
DE\t20095\tHamburg\tHamburg\tHH\t\t00\t\t\t53.5507\t10.0012\t4
";
    trialog.ok(&["geo", "import", &sample_file(&trialog, full)]);
    let truncated = sample_file(&trialog, &full[..full.find("DE\t01945").unwrap() + 20]);
    let refused = trialog.run(&["geo", "import", &truncated]);
    assert_ne!(refused.code, 0, "{refused:?}");
    assert!(refused.stderr.contains("--replace"), "{refused:?}");
    let countries = trialog.json(&["geo", "countries"]);
    assert_eq!(countries["items"][0]["postcodes"], 5, "the loaded country is untouched");
    assert!(trialog.ok(&["geo", "lookup", "20095", "--country", "DE"]).contains("Hamburg"));

    trialog.ok(&["geo", "import", &truncated, "--replace"]);
    assert_eq!(trialog.json(&["geo", "countries"])["items"][0]["postcodes"], 2);
}

/// A gazetteer file is bounded like a job import: a hostile file lists its first 1,000 bad
/// rows and counts the rest, `--max-size` refuses a larger file before reading it, and a
/// source without a size (a device) stops at the limit instead of filling memory.
#[test]
fn a_hostile_gazetteer_lists_a_thousand_problems_and_stops_at_max_size() {
    let trialog = Trialog::initialised();
    let hostile = format!("{SAMPLE}{}", "DE\t99999\tNirgendwo\n".repeat(3_000));
    let file = sample_file(&trialog, &hostile);
    let report = trialog.json(&["geo", "import", &file, "--replace"]);
    let problems = report["problems"].as_array().unwrap();
    assert_eq!((problems.len(), report["more_problems"].as_u64()), (1_000, Some(2_001)), "{report}");
    assert_eq!((problems[0]["line"].as_u64(), problems[1]["line"].as_u64()), (Some(4), Some(7)));
    assert!(trialog.ok(&["geo", "import", &file, "--replace"]).contains("3001 rows skipped"));

    let large = sample_file(&trialog, &SAMPLE.repeat(1_000_000 / SAMPLE.len() + 1));
    let refused = trialog.fails(&["geo", "import", &large, "--max-size", "1"], 1);
    assert_eq!(refused["field"], "file", "{refused}");
    assert!(refused["hint"].as_str().unwrap().contains("--max-size"), "{refused}");
    let endless = trialog.fails(&["geo", "import", "/dev/zero", "--max-size", "1"], 1);
    assert!(endless["message"].as_str().unwrap().contains("over the limit of 1 MB"), "{endless}");
}
