use std::path::PathBuf;

use super::*;
use crate::Platform;
use crate::accounts::{NewAccount, Role};

/// Rows in GeoNames' layout: one postcode with three villages, a city, a Danish postcode.
const SAMPLE: &str = "\
DE\t01945\tGrünewald\tBrandenburg\tBB\t\t00\tLandkreis Oberspreewald-Lausitz\t12066\t51.4\t14\t4
DE\t01945\tKroppen\tBrandenburg\tBB\t\t00\tLandkreis Oberspreewald-Lausitz\t12066\t51.3833\t13.8\t4
DE\t01945\tTettau\tBrandenburg\tBB\t\t00\tLandkreis Oberspreewald-Lausitz\t12066\t51.4333\t13.7333\t4
DE\t01945\tKroppen\tBrandenburg\tBB\t\t00\tLandkreis Oberspreewald-Lausitz\t12066\t51.3833\t13.8\t4
DE\t80331\tMünchen\tBayern\tBY\tOberbayern\t091\tKreisfreie Stadt München\t09162\t48.1374\t11.5755\t4
DE\t07743\tJena\tThüringen\tTH\t\t00\tKreisfreie Stadt Jena\t16053\t50.9271\t11.5892\t4
DK\t8000\tAarhus C\tRegion Midtjylland\t1082\tAarhus Kommune\t751\t\t\t56.1567\t10.2108\t6
";

fn platform() -> Platform {
    Platform::in_memory().unwrap()
}

fn import(p: &Platform, text: &str) -> GazetteerImport {
    p.geo().import(&Actor::Operator, text.as_bytes(), &mut |_| {}).unwrap()
}

fn reason_of<T: std::fmt::Debug>(r: Result<T>) -> (String, String) {
    match r {
        Err(Error::InvalidInput { field, reason }) => (field, reason),
        other => panic!("expected InvalidInput, got {other:?}"),
    }
}

#[test]
fn a_postcode_with_several_rows_is_their_mean_with_every_name_once() {
    let p = platform();
    let report = import(&p, SAMPLE);
    assert_eq!(report.countries, ["DE", "DK"]);
    assert_eq!((report.rows, report.postcodes), (7, 4));
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let place = p.geo().lookup(&Actor::Anonymous, "de", " 01945 ").unwrap();
    assert_eq!(place.names, ["Grünewald", "Kroppen", "Tettau"]);
    assert_eq!(place.rows, 4);
    assert!((place.coordinates.latitude - (51.4 + 51.3833 * 2.0 + 51.4333) / 4.0).abs() < 1e-9);
    assert!((place.coordinates.longitude - (14.0 + 13.8 * 2.0 + 13.7333) / 4.0).abs() < 1e-9);
    assert_eq!(place.region.as_deref(), Some("Brandenburg"));
    assert_eq!(place.region_code.as_deref(), Some("BB"));
    assert_eq!(place.district, None);
    let aarhus = p.geo().lookup(&Actor::Anonymous, "DK", "8000").unwrap();
    assert_eq!(aarhus.district.as_deref(), Some("Aarhus Kommune"));
}

#[test]
fn unknown_postcodes_say_whether_the_country_is_loaded() {
    let p = platform();
    import(&p, SAMPLE);
    let (field, reason) = reason_of(p.geo().lookup(&Actor::Anonymous, "DE", "12345"));
    assert_eq!(field, "postcode");
    assert_eq!(reason, "12345 is not a postcode in the DE gazetteer");
    let (field, reason) = reason_of(p.geo().lookup(&Actor::Anonymous, "at", "1010"));
    assert_eq!(field, "postcode");
    assert_eq!(
        reason,
        "no gazetteer for AT is loaded; import the GeoNames postal codes with `trialog geo import AT.txt` \
         (download.geonames.org/export/zip/)"
    );
    assert_eq!(reason_of(p.geo().lookup(&Actor::Anonymous, "Germany", "07743")).0, "country");
    assert_eq!(reason_of(p.geo().lookup(&Actor::Anonymous, "DE", "  ")).0, "postcode");
}

#[test]
fn bad_rows_are_reported_with_line_and_field_and_skipped() {
    let p = platform();
    let text = "\
DE\t07743\tJena\tThüringen\tTH\t\t00\t\t\t50.9271\t11.5892\t4

Deutschland\t07745\tJena\t\t\t\t\t\t\t50.9\t11.5\t4
DE\t\tNirgendwo\t\t\t\t\t\t\t50.9\t11.5\t4
DE\t07747\t \t\t\t\t\t\t\t50.9\t11.5\t4
DE\t07749\tJena\t\t\t\t\t\t\tfünfzig\t11.5\t4
DE\t07751\tJena\t\t\t\t\t\t\t50.9\t200\t4
DE\t07751
";
    let report = import(&p, text);
    assert_eq!((report.rows, report.postcodes), (1, 1));
    let found: Vec<(u64, &str)> = report.problems.iter().map(|pr| (pr.line, pr.field.as_str())).collect();
    assert_eq!(
        found,
        [(3, "country code"), (4, "postal code"), (5, "place name"), (6, "latitude"), (7, "longitude"), (8, "")]
    );
    assert_eq!(
        report.problems[5].to_string(),
        "line 8: has 2 tab-separated columns; a GeoNames postal-code row has 12"
    );
}

#[test]
fn rows_that_are_not_utf8_are_reported_not_fatal() {
    let p = platform();
    let mut bytes = b"DE\t07743\tJ\xe9na\t\t\t\t\t\t\t50.9\t11.5\t4\n".to_vec();
    bytes.extend_from_slice(b"DE\t07745\tJena\t\t\t\t\t\t\t50.9\t11.5\t4");
    let report = p.geo().import(&Actor::Operator, bytes.as_slice(), &mut |_| {}).unwrap();
    assert_eq!(report.rows, 1);
    assert_eq!(report.problems, [RowProblem::new(1, "", "is not valid UTF-8")]);
}

#[test]
fn importing_a_country_again_replaces_only_its_postcodes() {
    let p = platform();
    import(&p, SAMPLE);
    let berlin = "DE\t10115\tBerlin\tBerlin\tBE\t\t00\t\t\t52.532\t13.3846\t6\n";
    let refused = p.geo().import(&Actor::Operator, berlin.as_bytes(), &mut |_| {});
    assert!(matches!(&refused, Err(Error::Conflict { reason }) if reason.contains("--replace")), "{refused:?}");
    assert!(p.geo().lookup(&Actor::Anonymous, "DE", "07743").is_ok(), "one postcode for three does not replace");
    p.geo().import_replacing(&Actor::Operator, berlin.as_bytes(), &mut |_| {}).unwrap();
    assert_eq!(
        reason_of(p.geo().lookup(&Actor::Anonymous, "DE", "07743")).1,
        "07743 is not a postcode in the DE gazetteer"
    );
    assert!(p.geo().lookup(&Actor::Anonymous, "DE", "10115").is_ok());
    assert!(p.geo().lookup(&Actor::Anonymous, "DK", "8000").is_ok());
    assert!(p.geo().search(&Actor::Anonymous, "jena", None, 10).unwrap().is_empty(), "old names are gone");
    let countries = p.geo().countries(&Actor::Anonymous).unwrap();
    let counts: Vec<(&str, u64)> = countries.iter().map(|c| (c.country.as_str(), c.postcodes)).collect();
    assert_eq!(counts, [("DE", 1), ("DK", 1)]);
    assert!(p.integrity().unwrap().problems.is_empty());
}

#[test]
fn place_names_are_found_by_folded_prefix_sorted_by_name_then_postcode() {
    let p = platform();
    import(&p, SAMPLE);
    import(&p, "AT\t1010\tWien\tWien\t09\t\t\t\t\t48.2077\t16.3705\t4\nAT\t8010\tGraz\t\t\t\t\t\t\t47.07\t15.43\t4\n");
    let names = |prefix: &str, country: Option<&str>| -> Vec<String> {
        p.geo()
            .search(&Actor::Anonymous, prefix, country, 10)
            .unwrap()
            .into_iter()
            .map(|place| format!("{} {}", place.country, place.postcode))
            .collect()
    };
    assert_eq!(names("munch", None), ["DE 80331"]);
    assert_eq!(names("MÜNCHEN", Some("de")), ["DE 80331"]);
    assert_eq!(names("kro", None), ["DE 01945"]);
    assert_eq!(names("aarhus", Some("DE")), Vec::<String>::new());
    assert_eq!(names("g", None), ["AT 8010", "DE 01945"]);
    assert_eq!(names("j", None), ["DE 07743"]);
    let one = p.geo().search(&Actor::Anonymous, "", None, 10);
    assert_eq!(reason_of(one).0, "prefix");
    assert_eq!(reason_of(p.geo().search(&Actor::Anonymous, "a", None, 0)).0, "limit");
    assert_eq!(reason_of(p.geo().search(&Actor::Anonymous, "a", None, 101)).0, "limit");
    assert_eq!(p.geo().search(&Actor::Anonymous, "t", None, 1).unwrap().len(), 1);
}

#[test]
fn only_admins_and_the_operator_import_and_the_import_is_audited() {
    let p = platform();
    let member = p.accounts().create(&Actor::Operator, &NewAccount { pseudonym: "Kim".into(), ..Default::default() });
    let member = Actor::account(member.unwrap().id);
    let denied = p.geo().import(&member, SAMPLE.as_bytes(), &mut |_| {});
    assert!(matches!(denied, Err(Error::PermissionDenied { .. })), "{denied:?}");
    let admin = p.accounts().create(&Actor::Operator, &NewAccount { pseudonym: "Ada".into(), ..Default::default() });
    let admin = p.accounts().grant_role(&Actor::Operator, admin.unwrap().id, Role::Admin, None).unwrap();
    p.geo().import(&Actor::account(admin.id), SAMPLE.as_bytes(), &mut |_| {}).unwrap();
    let filter = crate::AuditFilter { action_prefix: Some("geo.".into()), target: None };
    let log = p.audit().list(&Actor::Operator, &filter, &Default::default()).unwrap();
    assert_eq!(log.items.len(), 1);
    assert_eq!(log.items[0].target, "gazetteer:DE,DK");
    assert_eq!(log.items[0].reason.as_deref(), Some("7 rows, 4 postcodes, 0 problems"));
}

#[test]
fn progress_is_reported_every_thousand_rows_and_at_the_end() {
    let p = platform();
    let text: String = (0..2500).map(|i| format!("DE\t{i:05}\tOrt {i}\t\t\t\t\t\t\t50.{i}\t11.5\t4\n")).collect();
    let mut heard = Vec::new();
    let report = p.geo().import(&Actor::Operator, text.as_bytes(), &mut |n| heard.push(n)).unwrap();
    assert_eq!(heard, [1000, 2000, 2500]);
    assert_eq!(report.postcodes, 2500);
}

#[test]
fn resolve_works_inside_other_modules_transactions() {
    let p = platform();
    import(&p, SAMPLE);
    let place = p.store().write(|txn| resolve(txn, "DE", "07743")).unwrap();
    assert_eq!(place.names, ["Jena"]);
}

/// The real GeoNames files, when the shared data folder is there.
fn geonames(country: &str) -> Option<PathBuf> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data/geonames").join(format!("{country}.txt"));
    let path = if path.exists() { path } else { PathBuf::from(format!("/work/shared/data/geonames/{country}.txt")) };
    if path.exists() {
        Some(path)
    } else {
        println!("skipped: no GeoNames file for {country} (shared/data/geonames is missing)");
        None
    }
}

#[test]
fn the_real_danish_and_german_files_import_without_problems() {
    let (Some(dk), Some(de)) = (geonames("DK"), geonames("DE")) else { return };
    let p = platform();
    let open = |path: &PathBuf| std::io::BufReader::new(std::fs::File::open(path).unwrap());
    let report = p.geo().import(&Actor::Operator, open(&dk), &mut |_| {}).unwrap();
    assert_eq!(report.countries, ["DK"]);
    assert!(report.problems.is_empty(), "{:?}", &report.problems[..report.problems.len().min(5)]);
    assert!(report.postcodes > 500, "{} postcodes", report.postcodes);
    let report = p.geo().import(&Actor::Operator, open(&de), &mut |_| {}).unwrap();
    assert!(report.problems.is_empty(), "{:?}", &report.problems[..report.problems.len().min(5)]);
    assert!(report.postcodes > 8000, "{} postcodes", report.postcodes);
    let jena = p.geo().lookup(&Actor::Anonymous, "DE", "07743").unwrap();
    assert!(jena.names.contains(&"Jena".to_string()), "{jena:?}");
    assert!(
        super::super::distance_km(jena.coordinates, Coordinates::new(50.9271, 11.5892).unwrap()) < 10.0,
        "{jena:?}"
    );
    let munich = p.geo().search(&Actor::Anonymous, "munchen", Some("DE"), 5).unwrap();
    assert!(!munich.is_empty() && munich.iter().all(|pl| pl.names.iter().any(|n| n.starts_with("München"))));
    assert!(p.integrity().unwrap().problems.is_empty());
}
