//! The job-board bench platform: postings on real German postcodes (the GeoNames gazetteer in
//! `../shared/data/geonames/DE.txt`, CC-BY 4.0), seekers with saved searches. Planned from a
//! seed with `rand_pcg`, written through the public API, cached under `target/bench-data/`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use trialog::{
    Actor, Contract, Durability, ExInRequirement, Hours, ImportMode, JobImportRow, JobQuery, LocationInput, NewAccount,
    NewJob, NewOrganisation, OrgId, OrgKind, Pay, PayUnit, Platform, PlatformOptions, SCHEMA_VERSION, TestClock,
};

/// Bump when the plan changes, so that cached files are rebuilt.
pub const JOBS_GENERATOR_VERSION: u32 = 3;
pub const JOBS_SEED: u64 = 0x6a6f_6273; // "jobs"

/// How big the job board is.
#[derive(Debug, Clone, Copy)]
pub struct JobScale {
    pub postings: usize,
    pub saved_searches: usize,
    pub label: &'static str,
}

impl JobScale {
    /// `TRIALOG_BENCH_SCALE`: `full` (100,000 postings, 10,000 saved searches; the default
    /// under `cargo bench`), `small` (10,000 / 1,000) or `tiny` (1,000 / 100, when run as a test).
    pub fn from_env() -> JobScale {
        let bench = std::env::args().any(|a| a == "--bench");
        let label = std::env::var("TRIALOG_BENCH_SCALE").unwrap_or_default();
        match label.as_str() {
            "small" | "tiny" | "full" => JobScale::named(&label),
            _ if bench => JobScale::FULL,
            _ => JobScale::named("tiny"),
        }
    }

    /// The scale called `label`; `tiny` for any other name.
    pub fn named(label: &str) -> JobScale {
        match label {
            "small" => JobScale { postings: 10_000, saved_searches: 1_000, label: "small" },
            "full" => JobScale::FULL,
            _ => JobScale { postings: 1_000, saved_searches: 100, label: "tiny" },
        }
    }

    const FULL: JobScale = JobScale { postings: 100_000, saved_searches: 10_000, label: "full" };
}

/// A German postcode and its centroid.
#[derive(Debug, Clone)]
pub struct Postcode {
    pub code: String,
    pub latitude: f64,
    pub longitude: f64,
}

/// The built platform file and what the benches draw queries from.
pub struct JobData {
    pub path: PathBuf,
    pub postcodes: Vec<Postcode>,
    pub org_count: u64,
    /// First and last id of the draft postings (every second posting is a draft).
    pub scale: JobScale,
}

/// Where the shared GeoNames files are: `TRIALOG_GEONAMES_DIR`, or `../shared/data/geonames`
/// beside the repository.
pub fn geonames_dir() -> PathBuf {
    std::env::var_os("TRIALOG_GEONAMES_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/geonames"))
}

/// German postcodes with the mean of their places' coordinates (as the gazetteer resolves
/// them). Without the file, a coarse grid over Germany stands in, and says so.
pub fn german_postcodes() -> Vec<Postcode> {
    let path = geonames_dir().join("DE.txt");
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("note: {} not found; placing postings on a synthetic grid over Germany", path.display());
        return (0..400)
            .map(|i| Postcode {
                code: format!("{:05}", 10_000 + i),
                latitude: 47.5 + f64::from(i / 20) * 0.4,
                longitude: 6.0 + f64::from(i % 20) * 0.45,
            })
            .collect();
    };
    let mut sums: BTreeMap<String, (f64, f64, u32)> = BTreeMap::new();
    for line in text.lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        let (Some(code), Some(lat), Some(lon)) = (cols.get(1), cols.get(9), cols.get(10)) else { continue };
        let (Ok(lat), Ok(lon)) = (lat.parse::<f64>(), lon.parse::<f64>()) else { continue };
        let entry = sums.entry(code.to_string()).or_insert((0.0, 0.0, 0));
        *entry = (entry.0 + lat, entry.1 + lon, entry.2 + 1);
    }
    sums.into_iter()
        .map(|(code, (lat, lon, n))| Postcode { code, latitude: lat / f64::from(n), longitude: lon / f64::from(n) })
        .collect()
}

const TITLES: &[&str] = &[
    "Genesungsbegleiter:in (EX-IN)",
    "Peer-Berater:in in der Tagesklinik",
    "Genesungsbegleitung auf der Akutstation",
    "EX-IN Dozent:in für Kurse",
    "Peer-Support in der Eingliederungshilfe",
    "Recovery-Begleiter:in im Krisendienst",
    "Genesungsbegleiter:in für das Ambulante Betreute Wohnen",
    "Peer-Mitarbeit in der Suchthilfe",
    "Selbsthilfe-Koordination im Kontaktbüro",
    "Genesungsbegleitung in der Forensik",
    "Peer-Beratung in der EUTB",
    "Mitarbeit im Weglaufhaus",
    "Peer-Begleitung für Angehörige",
    "Genesungsbegleiter:in im Stationsäquivalenten Team",
];

const PHRASES: &[&str] = &[
    "Wir suchen eine engagierte Person mit eigener Krisenerfahrung.",
    "Sie begleiten Patientinnen und Patienten auf Augenhöhe im Alltag der Klinik.",
    "Ein abgeschlossener EX-IN-Kurs ist wünschenswert, eine laufende Ausbildung willkommen.",
    "Unser multiprofessionelles Team arbeitet recovery-orientiert und trialogisch.",
    "Die Vergütung erfolgt nach Tarif, mit Jahressonderzahlung und betrieblicher Altersvorsorge.",
    "Regelmäßige Supervision und Intervision sind selbstverständlich.",
    "Sie gestalten Gruppenangebote und Einzelgespräche mit.",
    "Flexible Arbeitszeiten und ein Jobticket erleichtern den Einstieg.",
    "Erfahrung in der Selbsthilfe oder im Peer-Support ist von Vorteil.",
    "Wir freuen uns über Bewerbungen von Menschen aller Hintergründe.",
    "Die Stelle eignet sich auch für den Berufseinstieg nach der Qualifizierung.",
    "Sie arbeiten eng mit Pflege, Psychologie und Sozialarbeit zusammen.",
];

/// Builds the platform file for `scale` unless it is cached; returns it with the postcodes.
pub fn job_data(scale: JobScale) -> JobData {
    let postcodes = german_postcodes();
    let dir = super::generate::data_dir();
    std::fs::create_dir_all(&dir).expect("create target/bench-data");
    let path =
        dir.join(format!("jobs-g{JOBS_GENERATOR_VERSION}-s{SCHEMA_VERSION}-{}-p{}.redb", scale.label, postcodes.len()));
    let org_count = (scale.postings / 50).max(10) as u64;
    if !path.exists() {
        let partial = path.with_extension(format!("partial-{}", std::process::id()));
        let _ = std::fs::remove_file(&partial);
        let started = Instant::now();
        eprintln!("generating the {} job board ({} postings) into {} ...", scale.label, scale.postings, path.display());
        build(&partial, scale, &postcodes, org_count);
        super::generate::move_into_place(&partial, &path);
        eprintln!("generated in {:.1} s", started.elapsed().as_secs_f64());
    }
    JobData { path, postcodes, org_count, scale }
}

/// The bench clock: all postings are published on 2026-03-02 and expire 60 days later.
pub fn clock() -> TestClock {
    TestClock::at("2026-03-02T09:00:00Z".parse().unwrap())
}

/// Opens a copy of the data set with eventual durability and the bench clock.
pub fn open(path: &Path) -> Platform {
    let options = PlatformOptions { durability: Durability::Eventual, clock: Arc::new(clock()), ..Default::default() };
    Platform::open(path, options).expect("open the job bench platform")
}

fn build(path: &Path, scale: JobScale, postcodes: &[Postcode], org_count: u64) {
    let p = open(path);
    let op = Actor::Operator;
    for i in 0..org_count {
        let org = p
            .orgs()
            .create(
                &op,
                &NewOrganisation {
                    name: format!("Arbeitgeber {i}"),
                    kind: OrgKind::Clinic,
                    region: "DE".into(),
                    city: None,
                    website: None,
                },
            )
            .unwrap();
        p.orgs().verify(&op, org.id, true, None).unwrap();
    }
    let mut rng = Pcg64Mcg::seed_from_u64(JOBS_SEED);
    let mut rows = Vec::with_capacity(1000);
    for i in 0..scale.postings {
        rows.push(JobImportRow {
            line: i as u64 + 1,
            job: posting(&mut rng, postcodes, org_count),
            publish: i % 2 == 0,
            reference: None,
        });
        if rows.len() == 1000 {
            import(&p, &mut rows);
        }
    }
    import(&p, &mut rows);
    seekers(&p, &mut rng, postcodes, scale.saved_searches);
    p.flush().unwrap();
}

fn import(p: &Platform, rows: &mut Vec<JobImportRow>) {
    let report = p.jobs().import(&Actor::Operator, rows, ImportMode::AllOrNothing, false).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    rows.clear();
}

/// A realistic posting somewhere in Germany.
pub fn posting(rng: &mut Pcg64Mcg, postcodes: &[Postcode], org_count: u64) -> NewJob {
    let place = &postcodes[rng.random_range(0..postcodes.len())];
    let contract = [
        Contract::Permanent,
        Contract::Permanent,
        Contract::FixedTerm,
        Contract::MiniJob,
        Contract::Freelance,
        Contract::Placement,
    ][rng.random_range(0..6)];
    let min_hours = [10, 15, 19, 20, 25, 30][rng.random_range(0..6)];
    let group = rng.random_range(5..10);
    let base = 2_900.0 + f64::from(group - 5) * 320.0;
    let description: Vec<&str> = (0..5).map(|_| PHRASES[rng.random_range(0..PHRASES.len())]).collect();
    NewJob {
        org: OrgId(rng.random_range(1..=org_count)),
        title: TITLES[rng.random_range(0..TITLES.len())].into(),
        description: description.join(" "),
        location: if rng.random_range(0..20) == 0 {
            LocationInput::Remote
        } else {
            LocationInput::Coordinates {
                latitude: place.latitude,
                longitude: place.longitude,
                place: Some(place.code.clone()),
            }
        },
        contract,
        hours: Hours { min: min_hours, max: (min_hours + 10).min(40) },
        pay: Some(Pay {
            min: base,
            max: Some(base + 600.0),
            unit: PayUnit::Month,
            currency: "EUR".into(),
            agreement: Some(["TV-L", "TVöD-VKA", "AVR Caritas"][rng.random_range(0..3)].into()),
            group: Some(format!("E {group}")),
        }),
        requirement: Some(
            [ExInRequirement::None, ExInRequirement::TrainingAccepted, ExInRequirement::CertificateRequired]
                [rng.random_range(0..3)],
        ),
        languages: if rng.random_range(0..10) == 0 { vec!["de".into(), "en".into()] } else { vec!["de".into()] },
        starts_on: None,
        expires_on: None,
        openings: Some(1),
        contact: None,
    }
}

/// Seekers (two saved searches each) around real postcodes: radius 10–100 km, one or two
/// filters, a fifth with words, a tenth without a place.
fn seekers(p: &Platform, rng: &mut Pcg64Mcg, postcodes: &[Postcode], searches: usize) {
    for i in 0..searches.div_ceil(2) {
        let account = p
            .accounts()
            .create(&Actor::Operator, &NewAccount { pseudonym: format!("seeker{i}"), ..Default::default() })
            .unwrap();
        let actor = Actor::account(account.id);
        for n in 0..2 {
            p.alerts().add(&actor, &format!("Suche {n}"), &saved_search(rng, postcodes)).unwrap();
        }
    }
}

pub fn saved_search(rng: &mut Pcg64Mcg, postcodes: &[Postcode]) -> JobQuery {
    let place = &postcodes[rng.random_range(0..postcodes.len())];
    let near = (rng.random_range(0..10) != 0).then_some(LocationInput::Coordinates {
        latitude: place.latitude,
        longitude: place.longitude,
        place: None,
    });
    let near_is_none = near.is_none();
    JobQuery {
        radius_km: near.as_ref().map(|_| f64::from(rng.random_range(10..=100))),
        near,
        contracts: if rng.random_range(0..2) == 0 { vec![Contract::Permanent, Contract::FixedTerm] } else { vec![] },
        hours: (rng.random_range(0..3) == 0).then_some(Hours { min: 15, max: 25 }),
        // Nationwide alerts always name words: nobody wants every posting in the country.
        text: (near_is_none || rng.random_range(0..5) == 0).then(|| {
            ["Genesungsbegleitung", "Tagesklinik", "Krisendienst", "Forensik", "Dozent"][rng.random_range(0..5)].into()
        }),
        ..Default::default()
    }
}
