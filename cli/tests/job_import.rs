//! `trialog job import` and `trialog job export`: files in, files out, and a report of every bad row.

mod common;

use std::path::{Path, PathBuf};

use common::{Run, Trialog};
use serde_json::Value;

/// A platform with one verified organisation (id 1).
fn board() -> Trialog {
    let trialog = Trialog::initialised();
    trialog.ok(&["org", "add", "Peer-Arbeit Jena (Test)", "--kind", "employer", "--region", "DE-TH"]);
    trialog.ok(&["org", "verify", "1"]);
    trialog
}

/// Writes `text` next to the database as `name`.
fn file(trialog: &Trialog, name: &str, text: &str) -> PathBuf {
    let path = trialog.db.with_file_name(name);
    std::fs::write(&path, text).expect("the test file is written");
    path
}

/// Runs an import with `--json`; returns the run and its report.
fn import(trialog: &Trialog, path: &Path, extra: &[&str]) -> (Run, Value) {
    let path = path.display().to_string();
    let run = trialog.run(&[&["job", "import", path.as_str(), "--json"], extra].concat());
    let report = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("no JSON report ({e}): {run:?}"));
    (run, report)
}

fn problems(report: &Value) -> Vec<(u64, String)> {
    let list = report["problems"].as_array().expect("a report lists problems");
    list.iter().map(|p| (p["line"].as_u64().unwrap(), p["field"].as_str().unwrap().to_string())).collect()
}

const CSV: &str = "\
org,title,description,latitude,longitude,place,contract,hours_min,hours_max,pay_min,pay_max,agreement,group,requirement,languages,publish
1,Genesungsbegleiter:in,\"Station 3, Akutpsychiatrie\",50.93,11.59,Jena,permanent,20,30,3300,4100,TV-L,E 7,certificate_required,de;en,true
1,Peer-Berater:in,Krisendienst,50.93,11.59,Jena,fixed_term,20,30,4000,3000,TV-L,E 7,,de,true
1,Recovery-Mentor:in,\"Mehrzeilige
Beschreibung\",50.98,11.03,Erfurt,permanent,39,,3400,4200,,,training_accepted,de,no
1,Selbsthilfe-Koordination,Kontaktstelle,50.98,11.03,Erfurt,full_time,20,30,3400,4200,,,,de,true
1,Dozent:in,Honorar,,,,freelance,2,6,45,60,,,,de,yes
1,Ehrenamt,Begleitung,50.93,11.59,Jena,volunteer,zwei,4,,,,,,de,true
";

#[test]
fn csv_rows_are_imported_and_bad_rows_reported_by_line_and_column() {
    let trialog = board();
    let path = file(&trialog, "jobs.csv", CSV);
    let (run, report) = import(&trialog, &path, &[]);
    assert_eq!(run.code, 1, "some rows were bad: {run:?}");
    assert_eq!(report["rows"], 6);
    assert_eq!(report["imported"], 2, "{report}");
    assert_eq!(report["published"], 1);
    let expected = [(3, "pay_min"), (6, "contract"), (7, "postcode"), (8, "hours_min")];
    let expected: Vec<(u64, String)> = expected.iter().map(|(l, f)| (*l, f.to_string())).collect();
    assert_eq!(problems(&report), expected, "line 5 is the multi-line cell's second line: {report}");

    let search = trialog.json(&["job", "search"]);
    assert_eq!(search["items"].as_array().unwrap().len(), 1, "one row was published");
    assert_eq!(search["items"][0]["job"]["languages"], serde_json::json!(["de", "en"]));
    let error: Value = serde_json::from_str(run.stderr.trim()).unwrap();
    assert_eq!(error["error"], "bad_rows");

    let text = trialog.run(&["job", "import", path.to_str().unwrap(), "--dry-run"]).stdout;
    assert!(text.contains("line 3: pay_min: 4000 is above pay_max 3000"), "{text}");
}

#[test]
fn jsonl_bad_rows_name_their_line_and_field_and_valid_rows_are_imported() {
    let trialog = board();
    let good = r#"{"org": 1, "title": "Genesungsbegleiter:in", "description": "Station", "location": {"type": "coordinates", "latitude": 50.93, "longitude": 11.59}, "contract": "permanent", "hours": {"min": 20, "max": 30}, "pay": {"min": 3300, "max": 4100, "unit": "month", "currency": "EUR"}, "languages": ["de"], "publish": true}"#;
    let no_title = good.replace(r#""title": "Genesungsbegleiter:in", "#, "");
    let bad_hours = good.replace(r#""min": 20"#, r#""min": 70"#);
    let bad_type = good.replace(r#""min": 20"#, r#""min": "zwanzig""#);
    let text = [good, "", &no_title, "{not json", &bad_hours, &bad_type, good].join("\n");
    let path = file(&trialog, "jobs.jsonl", &text);
    let (run, report) = import(&trialog, &path, &[]);
    assert_eq!(run.code, 1);
    assert_eq!(report["imported"], 2);
    let expected = [(3, "title"), (4, ""), (5, "hours.min"), (6, "hours.min")];
    let expected: Vec<(u64, String)> = expected.iter().map(|(l, f)| (*l, f.to_string())).collect();
    assert_eq!(problems(&report), expected, "{report}");
    assert_eq!(trialog.json(&["job", "search"])["items"].as_array().unwrap().len(), 2);
}

#[test]
fn a_clean_file_imports_with_exit_code_0_in_batches() {
    let trialog = board();
    let row = "1,Stelle,Text,50.93,11.59,Jena,permanent,20,30,3300,4100,TV-L,E 7,,de,true\n";
    let header = CSV.lines().next().unwrap();
    let path = file(&trialog, "jobs.csv", &format!("{header}\n{}", row.repeat(7)));
    let (run, report) = import(&trialog, &path, &["--batch", "3"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(report["imported"], 7);
    assert_eq!(report["created"].as_array().unwrap().len(), 7);
}

#[test]
fn dry_run_reports_but_writes_nothing() {
    let trialog = board();
    let path = file(&trialog, "jobs.csv", CSV);
    let (run, report) = import(&trialog, &path, &["--dry-run"]);
    assert_eq!(run.code, 1);
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["valid_rows"], 2);
    assert_eq!(report["imported"], 0);
    assert_eq!(trialog.ok(&["job", "export", "--org", "1", "--include-unpublished"]), "", "nothing was written");
}

#[test]
fn all_or_nothing_imports_nothing_when_a_row_is_bad_and_everything_otherwise() {
    let trialog = board();
    let path = file(&trialog, "jobs.csv", CSV);
    let (run, report) = import(&trialog, &path, &["--all-or-nothing"]);
    assert_eq!(run.code, 1);
    assert_eq!(report["imported"], 0);
    assert_eq!(problems(&report).len(), 4, "every bad row is still listed: {report}");
    assert_eq!(trialog.ok(&["job", "export", "--org", "1", "--include-unpublished"]), "");

    let clean: String = CSV.lines().take(2).map(|l| format!("{l}\n")).collect();
    let path = file(&trialog, "clean.csv", &clean);
    let (run, report) = import(&trialog, &path, &["--all-or-nothing"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(report["imported"], 1);
}

#[test]
fn an_unknown_column_fails_the_whole_import() {
    let trialog = board();
    let path = file(&trialog, "jobs.csv", "org,title,salary\n1,x,3000\n");
    let run = trialog.run(&["job", "import", path.to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let error: Value = serde_json::from_str(run.stderr.trim()).unwrap();
    assert!(error["message"].as_str().unwrap().contains("'salary' is not a known column"), "{error}");
    let path = file(&trialog, "jobs.txt", "");
    let error = trialog.fails(&["job", "import", path.to_str().unwrap()], 2);
    assert!(error["hint"].as_str().unwrap().contains("--format"), "{error}");
}

#[test]
fn export_writes_json_lines_and_schema_org_json_ld() {
    let trialog = board();
    let path = file(&trialog, "jobs.csv", CSV);
    import(&trialog, &path, &[]);
    let lines = trialog.ok(&["job", "export"]);
    let jobs: Vec<Value> = lines.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(jobs.len(), 1, "only published postings by default");
    assert_eq!(jobs[0]["title"], "Genesungsbegleiter:in");
    let all = trialog.ok(&["job", "export", "--org", "1", "--include-unpublished"]);
    assert_eq!(all.lines().count(), 2, "with drafts");

    let out = trialog.db.with_file_name("jobs.jsonld");
    let summary = trialog.json(&["job", "export", "--format", "jsonld", "--output", out.to_str().unwrap()]);
    assert_eq!(summary["postings"], 1);
    let postings: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(postings[0]["@type"], "JobPosting");
    assert_eq!(postings[0]["hiringOrganization"]["name"], "Peer-Arbeit Jena (Test)");
    assert_eq!(postings[0]["baseSalary"]["value"]["maxValue"], 4100.0);
}

#[test]
fn import_help_documents_the_columns_and_exit_codes() {
    let trialog = Trialog::new();
    let help = trialog.ok(&["job", "import", "--help"]);
    for column in ["hours_min", "pay_unit", "languages", "publish", "expires_on"] {
        assert!(help.contains(column), "--help names the column {column}");
    }
    assert!(help.contains("1  some rows were bad"), "{help}");
}

#[test]
fn a_column_named_twice_fails_the_whole_import() {
    let trialog = board();
    let path = file(&trialog, "jobs.csv", "org,title,title\n1,Peer-Support,Buchhaltung\n");
    let run = trialog.run(&["job", "import", path.to_str().unwrap(), "--json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let error: Value = serde_json::from_str(run.stderr.trim()).unwrap();
    assert!(error["message"].as_str().unwrap().contains("'title' is named twice"), "{error}");
}

const GOOD_JSONL: &str = r#"{"org": 1, "title": "Genesungsbegleiter:in", "description": "Station", "location": {"type": "coordinates", "latitude": 50.93, "longitude": 11.59}, "contract": "permanent", "hours": {"min": 20, "max": 30}, "pay": {"min": 3300, "max": 4100, "unit": "month", "currency": "EUR"}, "languages": ["de"], "publish": true}"#;

#[test]
fn jsonl_rows_with_unknown_or_repeated_keys_or_made_up_codes_are_refused_by_field() {
    let trialog = board();
    let good = GOOD_JSONL;
    let typo = good.replace(r#""contract""#, r#""contrakt": "x", "contract""#);
    let nested = good.replace(r#""max": 30"#, r#""max": 30, "maximum": 40"#);
    let in_location = good.replace(r#""longitude": 11.59"#, r#""longitude": 11.59, "city": "Jena""#);
    let twice = good.replace(r#""title": "Genesungsbegleiter:in", "#, r#""title": "A", "title": "B", "#);
    let twice_inside = good.replace(r#""max": 4100"#, r#""max": 4100, "max": 99999"#);
    let language = good.replace(r#"["de"]"#, r#"["xx"]"#);
    let rows = [good, &typo, &nested, &in_location, &twice, &twice_inside, &language];
    let path = file(&trialog, "jobs.jsonl", &rows.join("\n"));
    let (run, report) = import(&trialog, &path, &[]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(report["imported"], 1, "{report}");
    let expected =
        [(2, "contrakt"), (3, "hours.maximum"), (4, "location.city"), (5, "title"), (6, "pay.max"), (7, "languages")];
    let expected: Vec<(u64, String)> = expected.iter().map(|(l, f)| (*l, f.to_string())).collect();
    assert_eq!(problems(&report), expected, "{report}");
}

#[test]
fn rows_with_a_ref_update_their_posting_when_the_file_is_imported_again() {
    let trialog = board();
    let header = "org,ref,title,description,latitude,longitude,contract,hours_min,pay_min,languages,publish";
    let rows: Vec<String> =
        (1..=6).map(|i| format!("1,J-{i},Stelle {i},Text,50.93,11.59,permanent,20,3300,de,true")).collect();
    let whole = file(&trialog, "jobs.csv", &format!("{header}\n{}\n", rows.join("\n")));
    // An import that stopped after its first batch, as a killed one leaves it.
    let first = file(&trialog, "first.csv", &format!("{header}\n{}\n", rows[..2].join("\n")));
    let (run, report) = import(&trialog, &first, &[]);
    assert_eq!((run.code, &report["imported"]), (0, &Value::from(2)), "{run:?}");
    let (run, report) = import(&trialog, &whole, &["--batch", "4"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!((&report["imported"], &report["updated"]), (&Value::from(4), &Value::from(2)), "{report}");
    let count = |t: &Trialog| t.json(&["job", "search", "--limit", "500"])["items"].as_array().unwrap().len();
    assert_eq!(count(&trialog), 6);

    let changed = whole.with_file_name("changed.csv");
    std::fs::write(&changed, std::fs::read_to_string(&whole).unwrap().replace("Stelle 3,", "Stelle drei,")).unwrap();
    let (run, report) = import(&trialog, &changed, &[]);
    assert_eq!((run.code, &report["imported"], &report["updated"]), (0, &Value::from(0), &Value::from(6)));
    assert_eq!(count(&trialog), 6, "a repeated import adds nothing");
    let titles = trialog.json(&["job", "search", "--text", "drei"]);
    assert_eq!(titles["items"][0]["job"]["title"], "Stelle drei", "{titles}");

    let twice = file(
        &trialog,
        "twice.csv",
        &format!("{header}\n{}\n{}\n", rows[0], rows[0].replace("J-1,Stelle 1", "J-1,Andere")),
    );
    let (run, report) = import(&trialog, &twice, &[]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(problems(&report), vec![(3, "ref".to_string())], "{report}");
    let jsonl = format!(
        "{}\n{}\n",
        GOOD_JSONL.replace("{\"org\"", "{\"ref\": \"X\", \"org\""),
        GOOD_JSONL.replace("{\"org\"", "{\"ref\": \"X\", \"org\"")
    );
    let (_, report) = import(&trialog, &file(&trialog, "twice.jsonl", &jsonl), &[]);
    assert_eq!(problems(&report), vec![(2, "ref".to_string())], "{report}");
    assert_eq!(trialog.json(&["check"])["problems"], serde_json::json!([]));
}

/// A hostile file: every row bad. The report lists the first 1,000 problems and counts the
/// rest; the run ends in seconds. With TRIALOG_HOSTILE_MB set, the file has that many MB.
#[test]
fn a_hostile_file_is_bounded_in_problems_listed_size_and_time() {
    let trialog = board();
    let megabytes: usize = std::env::var("TRIALOG_HOSTILE_MB").ok().and_then(|v| v.parse().ok()).unwrap_or(5);
    let header = CSV.lines().next().unwrap();
    let row = "1,Stelle,Text,50.93,11.59,Jena,gig,20,30,3300,4100,TV-L,E 7,,de,true\n";
    let path = file(&trialog, "hostile.csv", &format!("{header}\n{}", row.repeat(megabytes * 1_000_000 / row.len())));
    let started = std::time::Instant::now();
    let (run, report) = import(&trialog, &path, &[]);
    let took = started.elapsed();
    assert_eq!(run.code, 1);
    assert_eq!(report["problems"].as_array().unwrap().len(), 1_000);
    let rows = report["rows"].as_u64().unwrap();
    assert_eq!(report["more_problems"].as_u64().unwrap(), rows - 1_000);
    assert!(took.as_secs() < 30, "took {took:?}");
    eprintln!("hostile file of {megabytes} MB ({rows} rows): {took:?}");

    let refused = trialog.fails(&["job", "import", path.to_str().unwrap(), "--max-size", "1"], 1);
    assert_eq!(refused["field"], "file", "{refused}");
    std::fs::remove_file(&path).unwrap();
}

/// The import reads a row at a time and imports each batch as soon as it is read: from a named
/// pipe (a source without a size) that sends four good rows and then blanks without end, the
/// first two batches are committed and the import stops at `--max-size`, saying how many rows
/// stay; a whole-file read would fill memory instead.
#[test]
fn rows_are_imported_as_they_are_read_and_a_source_without_a_size_stops_at_the_limit() {
    use std::io::Write;
    let trialog = board();
    let fifo = trialog.db.with_file_name("endless.jsonl");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut pipe = std::fs::OpenOptions::new().write(true).open(&fifo).expect("the pipe opens");
            pipe.write_all(format!("{GOOD_JSONL}\n").repeat(4).as_bytes()).expect("the rows are written");
            let blanks = vec![b' '; 64 * 1024];
            // Until trialog closes its end.
            while pipe.write_all(&blanks).is_ok() {}
        })
    };
    let stopped = trialog.fails(&["job", "import", fifo.to_str().unwrap(), "--batch", "2", "--max-size", "1"], 1);
    writer.join().unwrap();
    assert_eq!((stopped["field"].as_str(), stopped["committed_rows"].as_u64()), (Some("file"), Some(4)), "{stopped}");
    assert!(stopped["message"].as_str().unwrap().contains("over the limit of 1 MB"), "{stopped}");
    assert_eq!(trialog.json(&["job", "search"])["items"].as_array().unwrap().len(), 4);

    for format in ["jsonl", "csv"] {
        let refused = trialog.fails(&["job", "import", "/dev/zero", "--format", format, "--max-size", "1"], 1);
        assert!(refused["message"].as_str().unwrap().contains("over the limit of 1 MB"), "{format}: {refused}");
    }
}
