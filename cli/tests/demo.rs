//! `trialog demo`: the demo platform, its guard against overwriting, and its guided tour.

mod common;

use common::Trialog;
use serde_json::json;

/// Organisations and accounts typed into the demo data.
const DEMO_ORGANISATIONS: u64 = 12;
const DEMO_ACCOUNTS: u64 = 25;

#[test]
fn demo_fresh_builds_the_expected_platform() {
    let trialog = Trialog::new();
    let summary = trialog.json(&["demo", "--fresh"]);
    assert_eq!(summary["organisations"], DEMO_ORGANISATIONS);
    assert_eq!(summary["accounts"], DEMO_ACCOUNTS);

    let orgs = trialog.json(&["org", "list", "--limit", "500"]);
    let items = orgs["items"].as_array().unwrap();
    assert_eq!(items.len() as u64, DEMO_ORGANISATIONS);
    assert!(items.iter().all(|o| o["name"].as_str().unwrap().ends_with("(Demo)")), "every name says it is a demo");
    assert_eq!(trialog.json(&["org", "list", "--region", "DK"])["items"].as_array().unwrap().len(), 4);
    assert_eq!(summary["verified"], 9);

    let perspectives = &summary["perspectives"];
    for p in ["lived_experience", "relative", "professional", "undisclosed"] {
        assert!(perspectives[p].as_u64().unwrap() > 0, "the demo has {p} accounts: {summary}");
    }
    let suspended = trialog.json(&["account", "list", "--status", "suspended"]);
    assert_eq!(suspended["items"].as_array().unwrap().len(), 1);
}

#[test]
fn demo_job_board_has_300_postings_in_every_state_across_both_countries() {
    let trialog = Trialog::new();
    let jobs = &trialog.json(&["demo"])["jobs"];
    assert_eq!(jobs["postings"], 300);
    let states = &jobs["states"];
    let sum: u64 =
        ["draft", "published", "expired", "withdrawn", "filled"].iter().map(|s| states[s].as_u64().unwrap()).sum();
    assert_eq!(sum, 300, "every posting is in one of the five states: {jobs}");
    assert!(states["published"].as_u64().unwrap() >= 200, "most are published: {jobs}");
    for state in ["draft", "expired", "withdrawn", "filled"] {
        assert!(states[state].as_u64().unwrap() > 0, "some postings are {state}: {jobs}");
    }
    assert!(
        jobs["countries"]["DE"].as_u64().unwrap() > 150 && jobs["countries"]["DK"].as_u64().unwrap() > 60,
        "{jobs}"
    );
    assert!(jobs["remote"].as_u64().unwrap() > 0);
    assert!(jobs["interests"].as_u64().unwrap() >= 5);

    let berlin = trialog.json(&["job", "search", "--at", "52.52,13.405", "--radius", "30", "--limit", "500"]);
    let hits = berlin["items"].as_array().unwrap();
    assert!(!hits.is_empty(), "the tour's Berlin search finds postings");
    assert!(hits.iter().all(|h| h["job"]["state"] == "published" && h["distance_km"].as_f64().unwrap() <= 30.0));
    let inbox = trialog.json(&["--as", "Kim_aus_Jena", "inbox", "--unread", "--limit", "500"]);
    assert!(inbox["unread"].as_u64().unwrap() > 0, "saved searches sent alerts: {inbox}");
}

#[test]
fn demo_job_board_is_the_same_on_every_run() {
    let (one, two) = (Trialog::new(), Trialog::new());
    let summary = |t: &Trialog| t.json(&["demo"])["jobs"].clone();
    assert_eq!(summary(&one), summary(&two));
    let titles = |t: &Trialog| t.ok(&["job", "export", "--org", "1", "--include-unpublished"]).lines().count();
    assert_eq!(titles(&one), titles(&two));
}

#[test]
fn demo_refuses_a_non_empty_platform_unless_fresh() {
    let trialog = Trialog::new();
    trialog.ok(&["demo"]);
    let error = trialog.fails(&["demo"], 3);
    assert!(error["hint"].as_str().unwrap().contains("--fresh"), "{error}");

    trialog.ok(&["demo", "--fresh"]);
    let orgs = trialog.json(&["org", "list", "--limit", "500"]);
    assert_eq!(orgs["items"].as_array().unwrap().len() as u64, DEMO_ORGANISATIONS, "replaced, not added to");
}

#[test]
fn demo_may_fill_a_freshly_initialised_file() {
    let trialog = Trialog::initialised();
    assert_eq!(trialog.json(&["demo"])["organisations"], DEMO_ORGANISATIONS);
}

#[test]
fn check_exits_0_on_the_demo_file() {
    let trialog = Trialog::new();
    trialog.ok(&["demo", "--fresh"]);
    let run = trialog.run(&["check"]);
    assert_eq!(run.code, 0, "{run:?}");
    let report = trialog.json(&["check"]);
    assert_eq!(report["file_intact"], true);
    assert_eq!(report["problems"], json!([]));
    assert_eq!(report["organisations"], DEMO_ORGANISATIONS);
}

#[test]
fn the_demo_audit_log_names_who_did_what() {
    let trialog = Trialog::new();
    trialog.ok(&["demo"]);
    let suspension = &trialog.json(&["audit", "list", "--action", "account.suspend"])["items"][0];
    assert_eq!(suspension["actor_pseudonym"], "Leuchtturm");
    assert_eq!(suspension["target_pseudonym"], "Sturmwind_99");
    let appointed = trialog.json(&["audit", "list", "--action", "account.role.grant", "--target", "Peerguide_Mette"]);
    assert_eq!(appointed["items"][0]["actor_pseudonym"], "Supervisor_Aarhus", "supervisors appoint counsellors");
}

/// Every command the tour suggests works as the tour says: the one marked "refused" exits with 1.
#[test]
fn every_command_of_the_tour_works() {
    let trialog = Trialog::new();
    let tour = trialog.ok(&["demo"]);
    let prefix = format!("trialog --db {} ", trialog.db.display());
    let commands: Vec<&str> = tour.lines().filter_map(|l| l.trim().strip_prefix(&prefix)).collect();
    assert!(commands.len() >= 6, "the tour suggests commands with the --db used:\n{tour}");
    for command in commands {
        let (command, refused) = match command.split_once('#') {
            Some((c, note)) => (c.trim(), note.contains("refused")),
            None => (command.trim(), false),
        };
        let args = split_words(command);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = trialog.run(&args);
        assert_eq!(run.code, if refused { 1 } else { 0 }, "tour command `{command}`: {run:?}");
    }
}

/// Splits a command line at spaces, keeping "double-quoted words" together.
fn split_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

#[test]
fn demo_forums_have_six_boards_with_threads_a_waiting_post_and_readers() {
    let trialog = Trialog::new();
    let summary = trialog.json(&["demo"]);
    let forums = summary["forums"].clone();
    assert_eq!(forums["boards"], 6, "{forums}");
    // The newcomer's introduction and, from the moderation step, a post written in crisis.
    assert_eq!(forums["pending"], 2);
    let moderation = &summary["moderation"];
    assert_eq!((moderation["pending"].as_u64(), moderation["crisis"].as_u64()), (Some(3), Some(1)), "{moderation}");
    let queue = trialog.json(&["--as", "Leuchtturm", "mod", "queue"]);
    assert_eq!(queue["items"][0]["crisis"], true, "the crisis item heads the queue: {queue}");
    assert!(forums["threads"].as_u64().unwrap() >= 12 && forums["posts"].as_u64().unwrap() >= 35, "{forums}");
    for slug in ["ausbildung-ex-in", "berufseinstieg-praktikum", "vertraege-verdienst", "angehoerige", "peerstoette"] {
        assert!(forums["threads_per_board"][slug].as_u64().unwrap() >= 2, "{slug}: {forums}");
    }
    assert!(forums["views_this_month"].as_u64().unwrap() > 20, "{forums}");

    let refused = trialog.fails(&["--as", "Kim_aus_Jena", "forum", "thread", "list", "angehoerige"], 1);
    assert_eq!(refused["error"], "permission_denied");
    let relatives = trialog.json(&["--as", "Mutter_von_M", "forum", "thread", "list", "angehoerige"]);
    assert_eq!(relatives["items"].as_array().unwrap().len(), 2);
    let danish = trialog.json(&["forum", "search", "uddannelsen"]);
    assert!(!danish["items"].as_array().unwrap().is_empty(), "the Danish board is searched in Danish: {danish}");
    let pinned = trialog.json(&["forum", "thread", "list", "ausbildung-ex-in"]);
    assert_eq!(pinned["items"][0]["pinned"], true);
    let kim = trialog.json(&["--as", "Kim_aus_Jena", "forum", "unread"]);
    assert!(kim["items"].as_array().unwrap().iter().any(|u| u["unread"].as_u64().unwrap() > 0), "{kim}");
    let stats = trialog.json(&["forum", "stats"]);
    assert!(
        stats["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["board"].is_null() && s["readers"].as_u64().unwrap_or(0) >= 20),
        "{stats}"
    );
    let tour = trialog.run(&["demo", "--fresh"]).stdout;
    assert!(tour.contains("Forums: 6 boards"), "{tour}");
}

#[test]
fn demo_counselling_has_partner_queues_an_urgent_enquiry_and_a_readable_key() {
    let trialog = Trialog::new();
    let counselling = &trialog.json(&["demo"])["counselling"];
    assert_eq!(counselling["enquiries"], 6);
    // One urgent: the client who writes "Manchmal will ich nicht mehr leben" (the rules, high).
    // Until the crisis18o round the crisis model also raised, alone and at "concern", a relative
    // asking how to support a brother who has been in the clinic for weeks (a false alarm); the
    // model kept in that round no longer does.
    assert_eq!(counselling["urgent"], 1, "{counselling}");
    let key = counselling["key_file"].as_str().unwrap();
    let org = counselling["jena_org"].as_u64().unwrap().to_string();
    let queue = trialog.json(&["--as", "Beraterin_Lea", "counsel", "queue", "--org", &org]);
    assert_eq!(queue["items"][0]["priority"], "urgent");
    let mine = trialog.json(&["--as", "Beraterin_Lea", "counsel", "mine"]);
    let id = mine["items"][0]["id"].as_u64().unwrap().to_string();
    let case = trialog.json(&["--as", "Beraterin_Lea", "counsel", "show", &id, "--content-key-file", key]);
    assert_eq!(case["messages"].as_array().unwrap().len(), 3);
    let pending = trialog.json(&["--as", "Supervision_Jena", "counsel", "pending", "--org", &org]);
    assert_eq!(pending["items"].as_array().unwrap().len(), 1, "the trainee's reply waits: {pending}");
}

#[test]
fn demo_courses_have_a_full_thuringian_seminar_a_co_taught_danish_course_and_exin_modules() {
    let trialog = Trialog::new();
    trialog.json(&["demo"]);
    let courses = trialog.json(&["course", "list", "--limit", "50"]);
    let items = courses["items"].as_array().unwrap();
    let titled = |part: &str| items.iter().find(|c| c["title"].as_str().unwrap().contains(part)).unwrap().clone();
    let full = titled("Gruppen leiten");
    assert_eq!(
        (full["format"].as_str(), full["places_taken"].as_u64(), full["waiting"].as_u64()),
        (Some("in_person"), Some(3), Some(2))
    );
    assert_eq!(titled("Recht für Selbsthilfegruppen")["format"], "online");
    let recovery = titled("Recovery sammen");
    assert_eq!((recovery["trialogic"].as_bool(), recovery["language"].as_str()), (Some(true), Some("da")));
    assert_eq!(recovery["team_perspectives"].as_array().unwrap().len(), 3, "{recovery}");
    let modules: Vec<&serde_json::Value> =
        items.iter().filter(|c| c["title"].as_str().unwrap().starts_with("EX-IN Grundkurs")).collect();
    assert_eq!(modules.len(), 3);
    assert_eq!(modules[1]["prerequisites"], json!([modules[0]["id"]]), "each module requires the one before");
    let found = |args: &[&str]| trialog.json(&[&["course", "list"], args].concat())["items"].as_array().unwrap().len();
    assert_eq!(found(&["--text", "gruppen LEITEN"]), 1);
    assert_eq!(found(&["--text", "gruppen leiten", "--free-places"]), 0, "the full seminar has no free place");
    assert_eq!(found(&["--topic", "ex-in", "--text", "grundkurs"]), 3);
    assert_eq!(found(&["--topic", "ex-in", "--language", "de"]), 27, "and the 2 × 12 modules of the EX-IN programmes");
    let held = items.iter().filter(|c| c["title"].as_str().unwrap().starts_with("EX-IN Kurs Berlin"));
    let states: Vec<&str> = held.map(|c| c["state"].as_str().unwrap()).collect();
    let completed = states.iter().filter(|s| **s == "completed").count();
    assert_eq!((states.len(), completed), (24, 19), "course 11's 12 modules and 7 of course 12's are completed");
    assert!(items.iter().all(|c| c["title"].as_str().unwrap().ends_with("(Demo)")));
}

#[test]
fn demo_directory_has_forty_groups_across_cities_with_rooms_and_exports_as_hsds() {
    let trialog = Trialog::new();
    let groups = &trialog.json(&["demo"])["groups"];
    assert!(groups["groups"].as_u64().unwrap() >= 40, "{groups}");
    assert!(groups["cities"].as_u64().unwrap() >= 10, "across many places: {groups}");
    assert_eq!((groups["confidential"].as_u64(), groups["stale"].as_u64()), (Some(1), Some(1)), "{groups}");
    assert_eq!(groups["rooms"], 2);
    assert!(groups["bookings_confirmed"].as_u64().unwrap() >= 3, "{groups}");

    let found = trialog.json(&["groups", "search", "--limit", "500"]);
    let items = found["items"].as_array().unwrap();
    assert!(items.len() >= 40);
    let localities: std::collections::BTreeSet<&str> =
        items.iter().filter_map(|h| h["group"]["locality"].as_str()).collect();
    for city in ["Jena", "Erfurt", "Gera", "Weimar", "Berlin", "München", "Aarhus"] {
        assert!(localities.contains(city), "a group in {city}: {localities:?}");
    }
    let languages: std::collections::BTreeSet<&str> = items
        .iter()
        .flat_map(|h| h["group"]["languages"].as_array().unwrap().iter().filter_map(|l| l.as_str()))
        .collect();
    assert!(languages.len() >= 4, "{languages:?}");
    let depression = trialog.json(&["groups", "search", "--topic", "depression", "--limit", "500"]);
    assert!(depression["items"].as_array().unwrap().len() >= 8);
    let near_erfurt = trialog.json(&[
        "groups",
        "search",
        "--postcode",
        "99084",
        "--country",
        "DE",
        "--radius",
        "30",
        "--limit",
        "500",
    ]);
    assert!(near_erfurt["items"].as_array().unwrap().len() >= 10, "{near_erfurt}");

    let rooms = trialog.json(&["rooms", "list"]);
    assert_eq!(rooms["items"].as_array().unwrap().len(), 2);

    let export = trialog.ok(&["groups", "export-hsds", "--out", "-"]);
    assert_eq!(export.lines().count() as u64, groups["groups"].as_u64().unwrap());
    assert!(!export.contains("Privatwohnung"), "the confidential place stays on the platform");

    // One file per group into a folder; the documents read back as an unchanged directory.
    let dir = trialog.db.with_file_name("hsds");
    let written = trialog.json(&["groups", "export-hsds", "--out", dir.to_str().unwrap()]);
    assert_eq!(written["items"].as_array().unwrap().len() as u64, groups["groups"].as_u64().unwrap());
    let docs: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap().trim().to_string())
        .collect();
    let file = trialog.db.with_file_name("directory.json");
    std::fs::write(&file, format!("[{}]", docs.join(","))).unwrap();
    let report = trialog.json(&["groups", "import-hsds", file.to_str().unwrap(), "--dry-run"]);
    assert_eq!(report["dry_run"], true);
    assert_eq!(report["unchanged"].as_u64().unwrap(), groups["groups"].as_u64().unwrap() + 2, "{report}");
    let again = trialog.run(&["groups", "export-hsds", "--out", dir.to_str().unwrap()]);
    assert_ne!(again.code, 0, "existing files are never replaced");
}

/// The demo's EX-IN programmes: the curriculum's twelve modules in order, the running course's
/// cohort and its trainees' progress (two missed days of a module), the taster placements
/// matched and the longer placement's rankings coming in, and last year's graduate who
/// consented to her EX-IN status.
#[test]
fn demo_has_ex_in_programmes_with_the_curriculums_modules_progress_and_placement_rounds() {
    let trialog = Trialog::new();
    let figures = trialog.json(&["demo"])["programmes"].clone();
    let text = |v: &serde_json::Value| v.as_u64().unwrap().to_string();
    let (org, running, graduates) = (text(&figures["org"]), text(&figures["running"]), text(&figures["graduates"]));
    let list = trialog.json(&["programme", "list", "--org", &org]);
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 2, "{list}");
    assert!(items.iter().all(|p| p["kind"] == "ex_in" && p["title"].as_str().unwrap().ends_with("(Demo)")));

    let progress = |who: &str, id: &str| trialog.json(&["programme", "progress", id, "--trainee", who]);
    let wanderer = progress("Wanderer_Erfurt", &running);
    let titles: Vec<&str> =
        wanderer["modules"].as_array().unwrap().iter().map(|m| m["course_title"].as_str().unwrap()).collect();
    let curriculum = [
        "Salutogenese",
        "Empowerment",
        "Erfahrung und Teilhabe",
        "Trialog",
        "Recovery",
        "Selbsterforschung",
        "Fürsprache",
        "Assessment",
        "Begleiten und Unterstützen",
        "Krisenintervention",
        "Lehren und Lernen",
        "Abschluss",
    ];
    assert_eq!(titles.len(), curriculum.len());
    for (title, module) in titles.iter().zip(curriculum) {
        assert!(title.contains(module) && title.ends_with("(Demo)"), "{title} is not the module {module}");
    }
    let count = |p: &serde_json::Value, list: &str| p[list].as_array().unwrap().len();
    assert_eq!((count(&wanderer, "completed"), count(&wanderer, "missing")), (7, 5), "seven modules held: {wanderer}");
    assert_eq!(wanderer["complete"], false);
    assert_eq!((figures["held"].as_u64(), figures["trainees"].as_u64()), (Some(7), Some(4)), "{figures}");
    let missed = |who: &str| {
        let p = progress(who, &running);
        let modules = p["modules"].as_array().unwrap().clone();
        modules[..7]
            .iter()
            .filter(|m| m["completed"] == false)
            .map(|m| m["course_title"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert!(matches!(&missed("Sonnenblume_71")[..], [m] if m.contains("Recovery")), "one day short of Recovery");
    assert!(matches!(&missed("Stille_Stimme")[..], [m] if m.contains("Trialog")), "missed the Trialog weekend");
    assert!(missed("Bruder_Tom").is_empty());

    let rounds = trialog.json(&["programme", "rounds", &running]);
    let rounds = rounds["items"].as_array().unwrap();
    assert_eq!(rounds.len(), 2);
    assert!(rounds[0]["run_at"].is_string(), "the taster round ran: {}", rounds[0]);
    assert_eq!(rounds[0]["pairs"].as_array().unwrap().len(), 4, "every trainee got a taster placement");
    assert!(rounds[0]["unplaced"].as_array().unwrap().is_empty());
    assert!(rounds[1]["run_at"].is_null() && rounds[1]["pairs"].as_array().unwrap().is_empty());
    let ranked = rounds[1]["trainees"].as_array().unwrap().iter().filter(|t| t["preferences"].is_array()).count();
    assert_eq!(ranked, 2, "two trainees have ranked the longer placement's hosts");
    let show = trialog.json(&["programme", "show", &running]);
    assert_eq!(show["placements"], rounds[0]["pairs"], "the accepted pairs are on the programme");

    let kim = trialog.json(&["--as", "Kim_aus_Jena", "programme", "progress", &graduates]);
    assert_eq!((kim["complete"].as_bool(), count(&kim, "completed")), (Some(true), 12), "{kim}");
    assert!(kim["exin_consented_at"].is_string(), "Kim consented to her EX-IN status: {kim}");
    let profile = trialog.json(&["--as", "Kim_aus_Jena", "seeker", "show", "Kim_aus_Jena"]);
    assert_eq!(profile["exin"], "certified");
}
