//! `trialog job`, `seeker`, `alert` and `inbox`: the job board from the command line.

mod common;

use common::Trialog;
use serde_json::Value;

/// A platform with one verified clinic in Jena, its staff member `Personal_Test` and a seeker `Kim_Test`.
fn board() -> (Trialog, String) {
    let trialog = Trialog::initialised();
    let org = trialog.json(&["org", "add", "Soteria Jena (Test)", "--kind", "clinic", "--region", "DE-TH"]);
    let org = org["id"].as_u64().unwrap().to_string();
    trialog.ok(&["org", "verify", &org]);
    trialog.ok(&["account", "add", "Personal_Test", "--lang", "de"]);
    trialog.ok(&["account", "grant", "Personal_Test", &format!("employer_staff:{org}")]);
    trialog.ok(&["account", "add", "Kim_Test", "--lang", "de"]);
    (trialog, org)
}

/// Posts a job in Jena as the clinic's staff; `options` override the defaults or add to them
/// (a flag with an empty value stands alone, like `--publish`).
fn post(trialog: &Trialog, org: &str, title: &str, options: &[(&str, &str)]) -> Value {
    let mut fields = vec![
        ("--org", org),
        ("--title", title),
        ("--description", "Wir suchen eine Genesungsbegleitung für unsere Station."),
        ("--at", "50.9272,11.5861"),
        ("--place", "Jena"),
        ("--contract", "permanent"),
        ("--hours", "20-30"),
        ("--pay", "3300-4100"),
        ("--agreement", "TV-L"),
        ("--group", "E 7"),
        ("--lang", "de"),
    ];
    if options.iter().any(|(flag, _)| *flag == "--postcode") {
        fields.retain(|(flag, _)| !matches!(*flag, "--at" | "--place"));
    }
    for (flag, value) in options {
        match fields.iter_mut().find(|(f, _)| f == flag) {
            Some(field) => field.1 = value,
            None => fields.push((flag, value)),
        }
    }
    let mut args = vec!["--as", "Personal_Test", "job", "post"];
    for (flag, value) in fields {
        args.push(flag);
        if !value.is_empty() {
            args.push(value);
        }
    }
    trialog.json(&args)
}

const PUBLISH: (&str, &str) = ("--publish", "");

fn ids(page: &Value) -> Vec<u64> {
    page["items"].as_array().expect("a page has items").iter().map(|h| h["job"]["id"].as_u64().unwrap()).collect()
}

#[test]
fn a_posted_draft_is_found_only_after_publishing() {
    let (trialog, org) = board();
    let draft = post(&trialog, &org, "Genesungsbegleiter:in (Test)", &[]);
    assert_eq!(draft["state"], "draft");
    assert_eq!(draft["pay"]["agreement"], "TV-L");
    let id = draft["id"].as_u64().unwrap().to_string();
    let near_jena = ["job", "search", "--at", "50.93,11.59", "--radius", "10"];
    assert!(ids(&trialog.json(&near_jena)).is_empty(), "drafts are not searchable");

    let published = trialog.json(&["--as", "Personal_Test", "job", "publish", &id]);
    assert_eq!(published["items"][0]["state"], "published");
    let hits = trialog.json(&near_jena);
    assert_eq!(ids(&hits), [1]);
    assert!(hits["items"][0]["distance_km"].as_f64().unwrap() < 1.0, "{hits}");
    assert!(
        ids(&trialog.json(&["job", "search", "--at", "52.52,13.405", "--radius", "30"])).is_empty(),
        "Berlin is far"
    );

    let table = trialog.ok(&near_jena);
    assert!(table.contains("3.300–4.100 EUR/month (TV-L E 7)"), "pay is shown with its agreement:\n{table}");
    assert!(table.contains("20–30"), "{table}");
}

#[test]
fn search_filters_by_contract_text_and_minimum_pay() {
    let (trialog, org) = board();
    post(&trialog, &org, "Genesungsbegleitung Akutstation", &[PUBLISH]);
    post(
        &trialog,
        &org,
        "Peer-Beratung Minijob",
        &[("--contract", "mini_job"), ("--hours", "6"), ("--pay", "14.50-16"), ("--pay-unit", "hour"), PUBLISH],
    );
    let search = |extra: &[&str]| ids(&trialog.json(&[&["job", "search"], extra].concat()));
    assert_eq!(search(&["--contract", "mini-job"]), [2]);
    assert_eq!(search(&["--text", "akutstation"]), [1]);
    assert_eq!(search(&["--min-pay", "3500 EUR/month"]), [1]);
    assert_eq!(search(&["--min-pay", "15 EUR/hour", "--contract", "mini_job"]), [2]);
    assert_eq!(search(&["--sort", "pay"]), [1, 2]);
}

#[test]
fn edit_withdraw_and_fill_change_what_search_finds() {
    let (trialog, org) = board();
    let first = post(&trialog, &org, "Stelle eins", &[PUBLISH]);
    post(&trialog, &org, "Stelle zwei", &[PUBLISH]);
    let edited = trialog.json(&[
        "--as",
        "Personal_Test",
        "job",
        "edit",
        "1",
        "--title",
        "Stelle eins (neu)",
        "--hours",
        "25-30",
    ]);
    assert_eq!(edited["title"], "Stelle eins (neu)");
    assert_eq!(edited["hours"]["min"], 25);
    assert_eq!(first["id"], 1);

    let withdrawn = trialog.json(&["--as", "Personal_Test", "job", "withdraw", "1", "--reason", "intern besetzt"]);
    assert_eq!(withdrawn["state"], "withdrawn");
    assert_eq!(trialog.json(&["--as", "Personal_Test", "job", "fill", "2"])["state"], "filled");
    assert!(ids(&trialog.json(&["job", "search"])).is_empty());
    let own = trialog.json(&["--as", "Personal_Test", "job", "search", "--org", &org, "--include-unpublished"]);
    assert_eq!(ids(&own).len(), 2, "staff still see their own postings: {own}");
    let error = trialog.fails(&["--as", "Kim_Test", "job", "show", "1"], 3);
    assert_eq!(error["error"], "not_found", "withdrawn postings are hidden from others");
}

#[test]
fn views_are_counted_per_month() {
    let (trialog, org) = board();
    post(&trialog, &org, "Gesehen", &[PUBLISH]);
    for _ in 0..3 {
        trialog.ok(&["--as", "Kim_Test", "job", "view", "1"]);
    }
    let views = trialog.json(&["--as", "Personal_Test", "job", "views", "1"]);
    assert_eq!(views["items"][0]["views"], 3, "{views}");
    assert_eq!(trialog.json(&["job", "views", "--total"])["items"][0]["views"], 3);
}

#[test]
fn show_prints_a_schema_org_job_posting_with_json_ld() {
    let (trialog, org) = board();
    post(&trialog, &org, "Genesungsbegleiter:in", &[PUBLISH]);
    let run = trialog.run(&["job", "show", "1", "--json-ld"]);
    let posting: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(posting["@type"], "JobPosting");
    assert_eq!(posting["baseSalary"]["currency"], "EUR");
}

#[test]
fn pay_min_above_max_is_refused_with_a_hint_naming_the_option() {
    let (trialog, org) = board();
    let mut args = vec!["--as", "Personal_Test", "job", "post", "--org", &org, "--title", "x", "--description", "y"];
    args.extend(["--remote", "--contract", "permanent", "--hours", "20", "--pay", "4000-3000", "--lang", "de"]);
    let error = trialog.fails(&args, 1);
    assert_eq!(error["field"], "pay.min");
    assert!(error["hint"].as_str().unwrap().contains("--pay MIN-MAX"), "{error}");
    assert_eq!(trialog.ok(&["job", "export"]), "", "nothing was written");
}

#[test]
fn radius_zero_and_unknown_postcodes_are_refused_with_hints() {
    let (trialog, _) = board();
    let error = trialog.fails(&["job", "search", "--at", "50.93,11.59", "--radius", "0"], 1);
    assert_eq!(error["field"], "radius_km");
    assert!(error["hint"].as_str().unwrap().contains("--radius"), "{error}");

    let error = trialog.fails(&["job", "search", "--postcode", "07743", "--country", "DE"], 1);
    assert!(error["message"].as_str().unwrap().contains("DE"), "{error}");
    assert!(error["hint"].as_str().unwrap().contains("geo import"), "{error}");

    let error = trialog.fails(&["job", "search", "--at", "north"], 1);
    assert_eq!(error["field"], "at");
    let error = trialog.fails(&["job", "search", "--hours", "a lot"], 1);
    assert!(error["hint"].as_str().unwrap().contains("--hours"), "{error}");
}

#[test]
fn only_staff_of_the_organisation_may_post() {
    let (trialog, org) = board();
    let mut args = vec!["--as", "Kim_Test", "job", "post", "--org", &org, "--title", "x", "--description", "y"];
    args.extend(["--remote", "--contract", "volunteer", "--hours", "2-4", "--lang", "de"]);
    let error = trialog.fails(&args, 1);
    assert_eq!(error["error"], "permission_denied");
}

#[test]
fn seekers_alerts_inbox_and_interest_work_together() {
    let (trialog, org) = board();
    let profile = trialog.json(&[
        "--as",
        "Kim_Test",
        "seeker",
        "set",
        "--at",
        "50.93,11.59",
        "--max-km",
        "40",
        "--hours",
        "20-30",
        "--exin",
        "certified",
        "--lang",
        "de",
        "--findable",
    ]);
    assert_eq!(profile["findable"], true);
    assert_eq!(trialog.json(&["--as", "Kim_Test", "seeker", "show"])["exin"], "certified");
    let findable = trialog.json(&["--as", "Personal_Test", "seeker", "list"]);
    assert_eq!(findable["items"][0]["pseudonym"], "Kim_Test");

    let search = trialog.json(&["--as", "Kim_Test", "alert", "add", "Jena", "--at", "50.93,11.59", "--radius", "20"]);
    assert_eq!(search["name"], "Jena");
    assert_eq!(trialog.json(&["--as", "Kim_Test", "alert", "list"])["items"].as_array().unwrap().len(), 1);

    post(&trialog, &org, "Genesungsbegleiter:in", &[PUBLISH]);
    let inbox = trialog.json(&["--as", "Kim_Test", "inbox", "--unread"]);
    assert_eq!(inbox["unread"], 1);
    assert_eq!(inbox["items"][0]["event"]["type"], "job_alert");

    let interest = trialog.json(&["--as", "Kim_Test", "job", "interest", "1", "--note", "EX-IN seit 2024"]);
    assert_eq!(interest["status"], "new");
    let list = trialog.json(&["--as", "Personal_Test", "job", "interests", "1"]);
    assert_eq!(list["items"][0]["note"], "EX-IN seit 2024");
    trialog.json(&["--as", "Personal_Test", "job", "advance", "1", "contacted"]);
    let hired = trialog.json(&["--as", "Personal_Test", "job", "advance", "1", "hired"]);
    assert_eq!(hired["status"], "hired");
    assert_eq!(trialog.json(&["job", "show", "1"])["state"], "filled", "hiring the one opening fills the posting");
    assert_eq!(trialog.json(&["--as", "Kim_Test", "job", "interests", "--mine"])["items"][0]["status"], "hired");

    let marked = trialog.json(&["--as", "Kim_Test", "inbox", "--mark-read"]);
    assert_eq!(marked["marked_read"], 3, "the alert and two interest updates: {marked}");
    assert_eq!(trialog.json(&["--as", "Kim_Test", "inbox", "--unread"])["unread"], 0);

    trialog.ok(&["--as", "Kim_Test", "alert", "remove", "1"]);
    assert!(trialog.json(&["--as", "Kim_Test", "alert", "list"])["items"].as_array().unwrap().is_empty());
}

#[test]
fn going_back_in_the_interest_steps_is_refused() {
    let (trialog, org) = board();
    post(&trialog, &org, "Stelle", &[PUBLISH]);
    trialog.ok(&["--as", "Kim_Test", "job", "interest", "1"]);
    trialog.ok(&["--as", "Personal_Test", "job", "advance", "1", "interviewing"]);
    let error = trialog.fails(&["--as", "Personal_Test", "job", "advance", "1", "contacted"], 1);
    assert_eq!(error["field"], "status");
}

#[test]
fn the_operator_must_name_whose_seeker_profile() {
    let (trialog, _) = board();
    let error = trialog.fails(&["seeker", "show"], 2);
    assert!(error["hint"].as_str().unwrap().contains("--as"), "{error}");
    let error = trialog.fails(&["inbox"], 1);
    assert_eq!(error["error"], "permission_denied");
}

#[test]
fn postings_and_searches_take_postcodes_once_a_gazetteer_is_imported() {
    let (trialog, org) = board();
    let gazetteer = trialog.db.with_file_name("DE.txt");
    std::fs::write(
        &gazetteer,
        "DE\t07743\tJena\tThüringen\tTH\t\t00\t\t\t50.9271\t11.5892\t4\nDE\t10115\tBerlin\tBerlin\tBE\t\t00\t\t\t52.5323\t13.3846\t4\n",
    )
    .unwrap();
    trialog.ok(&["geo", "import", gazetteer.to_str().unwrap()]);
    let job = post(&trialog, &org, "Genesungsbegleitung", &[("--postcode", "07743"), ("--country", "DE"), PUBLISH]);
    assert_eq!(job["location"]["place"], "Jena", "{job}");
    assert_eq!(job["location"]["postcode"], "07743", "{job}");

    let near_jena = trialog.json(&["job", "search", "--postcode", "07743", "--country", "DE", "--radius", "10"]);
    assert_eq!(ids(&near_jena), [job["id"].as_u64().unwrap()]);
    let near_berlin = trialog.json(&["job", "search", "--postcode", "10115", "--country", "DE", "--radius", "100"]);
    assert!(ids(&near_berlin).is_empty(), "Jena is about 217 km from Berlin: {near_berlin}");
}
