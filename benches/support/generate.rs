//! A reproducible, national-scale platform for the benchmarks.
//!
//! [`dataset`] plans a platform from a `u64` seed — organisations in German and Danish regions,
//! pseudonymous accounts with mixed perspectives, languages and regions, about 3 % of them staff,
//! counsellors or supervisors of some organisation — and writes it once to
//! `target/bench-data/`, keyed by generator version, schema version, scale and seed. Later runs
//! reuse the file; delete it (or bump [`GENERATOR_VERSION`]) to regenerate.
//!
//! The plan is pure: the same seed and scale give the same names in the same order, so a bench
//! run that finds the file cached re-plans (a fraction of a second) to learn the pseudonyms it
//! may look up, without reading the database.
//!
//! Scale: `TRIALOG_BENCH_SCALE=full|small|tiny` (default `full`, 200,000 accounts). When the
//! bench binary runs as a test (`cargo test --benches`, no `--bench` argument) it defaults to
//! `tiny`, so that a debug build does not generate the full data set.
//!
//! Include it with `#[path = "support/generate.rs"] mod generate;`.

// Shared by every bench file; each uses only part of it.
#![allow(dead_code)]

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use trialog::accounts::{pseudonym_is_reserved, pseudonym_key};
use trialog::{
    AccountId, Actor, Durability, NewAccount, NewOrganisation, OrgId, OrgKind, Perspective, Platform, PlatformOptions,
    Restriction, Role, SCHEMA_VERSION, TestClock,
};

/// Bump when the plan changes, so cached files of the old plan are not reused.
pub const GENERATOR_VERSION: u32 = 2;

/// The seed the benchmarks use.
pub const DEFAULT_SEED: u64 = 0x0074_7269_616c_6f67; // "trialog" in ASCII

/// How big a platform to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scale {
    /// 20,000 organisations, 200,000 accounts: a national platform.
    Full,
    /// 2,000 organisations, 20,000 accounts: for quick checks.
    Small,
    /// 200 organisations, 2,000 accounts: for running the benches as tests.
    Tiny,
    /// 100,000 organisations, 1,000,000 accounts: the large end of issue 15's latency check.
    Million,
    /// 1,000 organisations, 10,000 accounts: the small end (issue 15 asks the lookup at 1M
    /// accounts to take at most 1.5× its time at 10k).
    TenThousand,
}

impl Scale {
    /// From `TRIALOG_BENCH_SCALE`; `full` under `cargo bench`, `tiny` when run as a test.
    pub fn from_env() -> Scale {
        match std::env::var("TRIALOG_BENCH_SCALE").as_deref().map(str::trim) {
            Ok("full") => Scale::Full,
            Ok("small") => Scale::Small,
            Ok("tiny") => Scale::Tiny,
            Ok("1m") => Scale::Million,
            Ok("10k") => Scale::TenThousand,
            Ok(other) if !other.is_empty() => panic!("TRIALOG_BENCH_SCALE={other}: use full, small, tiny, 1m or 10k"),
            _ if std::env::args().any(|a| a == "--bench") => Scale::Full,
            _ => Scale::Tiny,
        }
    }

    pub fn organisations(self) -> usize {
        match self {
            Scale::Full => 20_000,
            Scale::Small => 2_000,
            Scale::Tiny => 200,
            Scale::Million => 100_000,
            Scale::TenThousand => 1_000,
        }
    }

    pub fn accounts(self) -> usize {
        match self {
            Scale::Full => 200_000,
            Scale::Small => 20_000,
            Scale::Tiny => 2_000,
            Scale::Million => 1_000_000,
            Scale::TenThousand => 10_000,
        }
    }

    /// The label used in file and benchmark names: `200k`, `20k`, `2k`, `1m`, `10k`.
    pub fn label(self) -> &'static str {
        match self {
            Scale::Full => "200k",
            Scale::Small => "20k",
            Scale::Tiny => "2k",
            Scale::Million => "1m",
            Scale::TenThousand => "10k",
        }
    }
}

/// A generated platform on disk, with what the benches need to know about it.
#[derive(Debug)]
pub struct Dataset {
    pub scale: Scale,
    pub seed: u64,
    /// The cached file. Benches that write must work on a [`Dataset::copy`].
    pub path: PathBuf,
    /// Every account's pseudonym, in id order (account `i + 1` has `pseudonyms[i]`).
    pub pseudonyms: Vec<String>,
    pub organisations: usize,
    /// How long generation took, when this run generated the file.
    pub generated_in: Option<Duration>,
}

impl Dataset {
    /// Copies the cached file to `target/bench-data/work/<name>.redb` and returns its path.
    pub fn copy(&self, name: &str) -> PathBuf {
        let dir = data_dir().join("work");
        std::fs::create_dir_all(&dir).expect("create the bench work folder");
        let path = dir.join(format!("{name}-{}.redb", self.scale.label()));
        copy_platform(&self.path, &path).expect("copy the bench data set");
        path
    }
}

/// The key file beside the platform file at `path` (`<file>.keys`: the keys of the sealed
/// personal fields, `docs/erasure.md`).
pub fn keys_of(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".keys");
    PathBuf::from(name)
}

/// Moves a platform built under the temporary name `partial` into place at `path`, its key
/// file with it: without its keys a cached platform's sealed fields would never open again.
pub fn move_into_place(partial: &Path, path: &Path) {
    if keys_of(partial).exists() {
        std::fs::rename(keys_of(partial), keys_of(path)).expect("move the key file into place");
    }
    std::fs::rename(partial, path).expect("move the platform file into place");
}

/// Copies the platform file `from` to `to` with its key file (if it has one).
pub fn copy_platform(from: &Path, to: &Path) -> std::io::Result<u64> {
    let _ = std::fs::remove_file(keys_of(to));
    if keys_of(from).exists() {
        std::fs::copy(keys_of(from), keys_of(to))?;
    }
    std::fs::copy(from, to)
}

/// The platform for `seed` at `scale`, generated now unless it is cached already.
pub fn dataset(seed: u64, scale: Scale) -> Dataset {
    let plan = Plan::new(seed, scale);
    let dir = data_dir();
    std::fs::create_dir_all(&dir).expect("create target/bench-data");
    let path = dir.join(format!("platform-g{GENERATOR_VERSION}-s{SCHEMA_VERSION}-{}-{seed:016x}.redb", scale.label()));
    let mut generated_in = None;
    if !path.exists() {
        eprintln!(
            "generating the {} bench platform ({} organisations, {} accounts) into {} ...",
            scale.label(),
            plan.orgs.len(),
            plan.accounts.len(),
            path.display()
        );
        // Build under a temporary name so that an interrupted run never leaves a half-built cache.
        let partial = path.with_extension(format!("partial-{}", std::process::id()));
        let _ = std::fs::remove_file(&partial);
        let started = Instant::now();
        plan.build(&partial);
        move_into_place(&partial, &path);
        let took = started.elapsed();
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        eprintln!("generated in {:.1} s ({:.0} MiB)", took.as_secs_f64(), size as f64 / (1024.0 * 1024.0));
        generated_in = Some(took);
    }
    Dataset {
        scale,
        seed,
        path,
        pseudonyms: plan.accounts.into_iter().map(|a| a.pseudonym).collect(),
        organisations: plan.orgs.len(),
        generated_in,
    }
}

/// `target/bench-data`, found from the bench binary (`target/<profile>/deps/<bench>`), or
/// `TRIALOG_BENCH_DATA` when set.
pub fn data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("TRIALOG_BENCH_DATA") {
        return PathBuf::from(dir);
    }
    let from_exe = std::env::current_exe().ok().and_then(|exe| {
        let deps = exe.parent()?;
        (deps.file_name()? == "deps").then(|| deps.parent()?.parent().map(Path::to_path_buf)).flatten()
    });
    from_exe.unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target")).join("bench-data")
}

/// Everything the platform will hold, decided before anything is written.
struct Plan {
    orgs: Vec<NewOrganisation>,
    /// Which organisations an admin verifies.
    verified: Vec<OrgId>,
    accounts: Vec<NewAccount>,
    /// Roles granted after sign-up: (account index, role).
    roles: Vec<(usize, Role)>,
    /// Accounts banned or suspended at the end.
    restrictions: Vec<(usize, Restriction)>,
}

/// When the platform starts: its records are dated from here on.
fn epoch() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2024-01-01T08:00:00Z").expect("a valid date").with_timezone(&Utc)
}

impl Plan {
    fn new(seed: u64, scale: Scale) -> Plan {
        // Separate streams, so that organisations do not shift when the account plan changes.
        let mut org_rng = Pcg64Mcg::seed_from_u64(seed ^ 0x6f72_6773);
        let mut acc_rng = Pcg64Mcg::seed_from_u64(seed ^ 0x6163_6373);

        let orgs: Vec<NewOrganisation> = (0..scale.organisations()).map(|_| organisation(&mut org_rng)).collect();
        let verified = (1..=orgs.len() as u64).filter(|_| org_rng.random_bool(0.6)).map(OrgId).collect();

        let mut taken = HashSet::with_capacity(scale.accounts());
        let mut accounts = Vec::with_capacity(scale.accounts());
        let mut roles = Vec::new();
        let mut restrictions = Vec::new();
        for i in 0..scale.accounts() {
            let pseudonym = loop {
                let candidate = pseudonym(&mut acc_rng);
                let key = pseudonym_key(&candidate);
                if !pseudonym_is_reserved(&key) && taken.insert(key) {
                    break candidate;
                }
            };
            accounts.push(account(&mut acc_rng, pseudonym));
            let org = OrgId(acc_rng.random_range(1..=orgs.len() as u64));
            match acc_rng.random_range(0..10_000) {
                0..150 => roles.push((i, Role::EmployerStaff { org })),
                150..250 => roles.push((i, Role::Counsellor { org })),
                250..300 => roles.push((i, Role::Supervisor { org })),
                300..305 => roles.push((i, Role::Moderator)),
                305..306 => roles.push((i, Role::Admin)),
                _ => {}
            }
            match acc_rng.random_range(0..1_000) {
                0..2 => restrictions.push((i, Restriction::Ban)),
                2..5 => {
                    let until = epoch() + chrono::Duration::days(acc_rng.random_range(800..1_500));
                    restrictions.push((i, Restriction::Suspend { until }));
                }
                _ => {}
            }
        }
        Plan { orgs, verified, accounts, roles, restrictions }
    }

    /// Writes the plan into a new file at `path`: eventual commits, one flush at the end.
    /// Each core operation is its own transaction, so this is one commit per record.
    fn build(&self, path: &Path) {
        let clock = TestClock::at(epoch());
        let options =
            PlatformOptions { durability: Durability::Eventual, clock: Arc::new(clock.clone()), ..Default::default() };
        let platform = Platform::open(path, options).expect("create the bench platform");
        let operator = Actor::Operator;

        for org in &self.orgs {
            platform.orgs().create(&operator, org).unwrap_or_else(|e| panic!("organisation {}: {e}", org.name));
            clock.advance(chrono::Duration::seconds(17));
        }
        for &id in &self.verified {
            platform.orgs().verify(&operator, id, true, Some("register entry checked")).expect("verify");
        }
        // Sign-ups spread over roughly two years.
        let step = chrono::Duration::seconds((2 * 365 * 24 * 3600 / self.accounts.len().max(1)) as i64);
        for account in &self.accounts {
            platform
                .accounts()
                .create(&Actor::Anonymous, account)
                .unwrap_or_else(|e| panic!("account {}: {e}", account.pseudonym));
            clock.advance(step);
        }
        for (i, role) in &self.roles {
            platform
                .accounts()
                .grant_role(&operator, AccountId(*i as u64 + 1), *role, Some("confirmed by the organisation"))
                .expect("grant");
        }
        for (i, restriction) in &self.restrictions {
            platform
                .accounts()
                .restrict(&operator, AccountId(*i as u64 + 1), *restriction, "breach of the house rules")
                .expect("restrict");
        }
        platform.flush().expect("flush the bench platform");
    }
}

/// ISO 3166-2 regions with a population weight (hundreds of thousands; Danish regions counted
/// three times over, as the platform is German-Danish) and some of their towns.
const REGIONS: &[(&str, u32, &[&str])] = &[
    (
        "DE-BW",
        111,
        &["Stuttgart", "Mannheim", "Karlsruhe", "Freiburg im Breisgau", "Heidelberg", "Ulm", "Tübingen", "Reutlingen"],
    ),
    (
        "DE-BY",
        131,
        &["München", "Nürnberg", "Augsburg", "Regensburg", "Würzburg", "Ingolstadt", "Erlangen", "Bamberg", "Passau"],
    ),
    ("DE-BE", 37, &["Berlin"]),
    ("DE-BB", 25, &["Potsdam", "Cottbus", "Brandenburg an der Havel", "Frankfurt (Oder)", "Eberswalde"]),
    ("DE-HB", 7, &["Bremen", "Bremerhaven"]),
    ("DE-HH", 19, &["Hamburg"]),
    ("DE-HE", 63, &["Frankfurt am Main", "Wiesbaden", "Kassel", "Darmstadt", "Marburg", "Gießen", "Fulda"]),
    ("DE-MV", 16, &["Rostock", "Schwerin", "Greifswald", "Stralsund", "Neubrandenburg"]),
    (
        "DE-NI",
        80,
        &["Hannover", "Braunschweig", "Oldenburg", "Osnabrück", "Göttingen", "Lüneburg", "Hildesheim", "Wolfsburg"],
    ),
    (
        "DE-NW",
        179,
        &[
            "Köln",
            "Düsseldorf",
            "Dortmund",
            "Essen",
            "Duisburg",
            "Bochum",
            "Bielefeld",
            "Münster",
            "Aachen",
            "Wuppertal",
            "Bonn",
            "Gelsenkirchen",
        ],
    ),
    ("DE-RP", 41, &["Mainz", "Ludwigshafen am Rhein", "Koblenz", "Trier", "Kaiserslautern"]),
    ("DE-SL", 10, &["Saarbrücken", "Neunkirchen", "Homburg", "Saarlouis"]),
    ("DE-SN", 41, &["Dresden", "Leipzig", "Chemnitz", "Zwickau", "Görlitz", "Plauen"]),
    ("DE-ST", 21, &["Magdeburg", "Halle (Saale)", "Dessau-Roßlau", "Lutherstadt Wittenberg"]),
    ("DE-SH", 29, &["Kiel", "Lübeck", "Flensburg", "Neumünster", "Husum"]),
    ("DE-TH", 21, &["Erfurt", "Jena", "Gera", "Weimar", "Gotha", "Nordhausen"]),
    ("DK-81", 18, &["Aalborg", "Hjørring", "Frederikshavn", "Thisted"]),
    ("DK-82", 42, &["Aarhus", "Randers", "Silkeborg", "Horsens", "Herning", "Viborg"]),
    ("DK-83", 36, &["Odense", "Esbjerg", "Kolding", "Vejle", "Sønderborg", "Svendborg"]),
    ("DK-84", 57, &["København", "Frederiksberg", "Hillerød", "Helsingør", "Ballerup"]),
    ("DK-85", 24, &["Roskilde", "Næstved", "Holbæk", "Slagelse", "Køge"]),
];

fn region(rng: &mut Pcg64Mcg) -> &'static (&'static str, u32, &'static [&'static str]) {
    let total: u32 = REGIONS.iter().map(|r| r.1).sum();
    let mut n = rng.random_range(0..total);
    for r in REGIONS {
        if n < r.1 {
            return r;
        }
        n -= r.1;
    }
    unreachable!("the weights add up")
}

fn pick<'a, T: ?Sized>(rng: &mut Pcg64Mcg, items: &'a [&'a T]) -> &'a T {
    items[rng.random_range(0..items.len())]
}

const DISTRICTS: &[&str] = &["Nord", "Süd", "Ost", "West", "Mitte", "Altstadt", "Neustadt", "am See", "am Park"];
const DK_DISTRICTS: &[&str] = &["Nord", "Syd", "Øst", "Vest", "Centrum", "Midtby"];
const SAINTS: &[&str] = &["St. Elisabeth", "St. Joseph", "St. Marien", "Johannes", "Vinzenz", "Bethel", "Hildegard"];
const SURNAMES: &[&str] =
    &["Müller", "Schmidt", "Weber", "Becker", "Hoffmann", "Schäfer", "Koch", "Richter", "Wolf", "Neumann", "Braun"];
const DK_SURNAMES: &[&str] =
    &["Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen"];
const THEMES: &[&str] =
    &["Lichtblick", "Brücke", "Weggefährten", "Aufwind", "Kompass", "Leuchtturm", "Horizont", "Anker"];
const DK_THEMES: &[&str] =
    &["Lyspunkt", "Broen", "Fællesskab", "Medvind", "Kompasset", "Fyrtårnet", "Horisont", "Ankeret"];

fn organisation(rng: &mut Pcg64Mcg) -> NewOrganisation {
    let &(code, _, towns) = region(rng);
    let city = pick(rng, towns);
    let danish = code.starts_with("DK");
    let kind = *pick(
        rng,
        &[
            &OrgKind::Clinic,
            &OrgKind::Clinic,
            &OrgKind::Municipality,
            &OrgKind::Association,
            &OrgKind::Association,
            &OrgKind::Association,
            &OrgKind::SelfHelpContactPoint,
            &OrgKind::SelfHelpContactPoint,
            &OrgKind::TrainingProvider,
            &OrgKind::Employer,
            &OrgKind::Employer,
        ],
    );
    let district = pick(rng, if danish { DK_DISTRICTS } else { DISTRICTS });
    let theme = pick(rng, if danish { DK_THEMES } else { THEMES });
    let n = rng.random_range(0..4);
    let name = match (kind, danish) {
        (OrgKind::Clinic, false) => match n {
            0 => format!("Klinik für Psychiatrie und Psychotherapie {city}-{district}"),
            1 => format!("{} Krankenhaus {city}", pick(rng, SAINTS)),
            2 => format!("Tagesklinik {city} {district}"),
            _ => format!("Psychosomatische Fachklinik {theme} {city}"),
        },
        (OrgKind::Clinic, true) => match n {
            0 | 1 => format!("Psykiatrisk Center {city} {district}"),
            _ => format!("Distriktspsykiatrien {city} {district}"),
        },
        (OrgKind::Municipality, false) => match n {
            0 | 1 => format!("Sozialpsychiatrischer Dienst {city} {district}"),
            _ => format!("Gesundheitsamt {city} – Team {district}"),
        },
        (OrgKind::Municipality, true) => format!("{city} Kommune, Socialpsykiatri {district}"),
        (OrgKind::Association, false) => match n {
            0 => format!("{theme} e.V. {city}"),
            1 => format!("Angehörige psychisch Kranker {city} e.V."),
            _ => format!("Psychiatrie-Erfahrene {city} {district} e.V."),
        },
        (OrgKind::Association, true) => match n {
            0 | 1 => format!("Foreningen {theme} {city}"),
            _ => format!("Pårørendeforeningen {city} {district}"),
        },
        (OrgKind::SelfHelpContactPoint, false) => match n {
            0 | 1 => format!("KISS {city} {district}"),
            _ => format!("Selbsthilfekontaktstelle {city}-{district}"),
        },
        (OrgKind::SelfHelpContactPoint, true) => format!("Selvhjælpshuset {city} {district}"),
        (OrgKind::TrainingProvider, false) => match n {
            0 | 1 => format!("EX-IN {city} Bildungswerk {district}"),
            _ => format!("Akademie für Genesungsbegleitung {theme} {city}"),
        },
        (OrgKind::TrainingProvider, true) => format!("Peer-uddannelsen {city} {district}"),
        (OrgKind::Employer, false) => match n {
            0 => format!("{} & {} Sozialwerk gGmbH", pick(rng, SURNAMES), pick(rng, SURNAMES)),
            1 => format!("{city}er Werkstätten {district} gGmbH"),
            _ => format!("Ambulante Dienste {theme} {city} GmbH"),
        },
        (OrgKind::Employer, true) => format!("{} & {} Bosteder ApS", pick(rng, DK_SURNAMES), pick(rng, DK_SURNAMES)),
    };
    let website = rng.random_bool(0.7).then(|| {
        let tld = if danish { "dk" } else { "de" };
        format!("https://www.{}.{tld}", slug(&name))
    });
    let city = rng.random_bool(0.9).then(|| city.to_string());
    NewOrganisation { name, kind, region: code.to_string(), city, website }
}

/// `Tagesklinik Jena Süd` → `tagesklinik-jena-sued`.
fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' | 'æ' => out.push_str("ae"),
            'ö' | 'ø' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'å' => out.push_str("aa"),
            'ß' => out.push_str("ss"),
            c if c.is_ascii_alphanumeric() => out.push(c),
            _ if !out.ends_with('-') && !out.is_empty() => out.push('-'),
            _ => {}
        }
    }
    // At most 60 characters, cut at a word boundary.
    let mut out = out.trim_end_matches('-').to_string();
    while out.len() > 60 {
        match out.rfind('-') {
            Some(cut) => out.truncate(cut),
            None => out.truncate(60),
        }
    }
    out
}

const ONSETS: &[&str] = &[
    "b", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w", "st", "kr", "fj", "sk", "br", "gr",
    "tr", "sch", "",
];
const NUCLEI: &[&str] =
    &["a", "a", "e", "e", "i", "i", "o", "o", "u", "ei", "au", "ie", "y", "ø", "å", "æ", "ü", "ö", "ä"];
const CODAS: &[&str] = &["", "", "", "n", "r", "l", "s", "k", "nd", "rn", "lt", "m", "ck"];
/// Syllables can spell rude words; people choosing a pseudonym on a support platform would not.
const UNWANTED: &[&str] =
    &["fuck", "fick", "fück", "arsch", "piss", "nazi", "hure", "kack", "fotz", "wichs", "pik", "lort"];
const WORDS: &[&str] = &[
    "Sonne", "Mond", "Wolke", "Stern", "Fjord", "Hav", "Skov", "Regen", "Wind", "Licht", "Eule", "Fuchs", "Birke",
    "Lys", "Sol", "Himmel", "Moos", "Ræv", "Ugle", "Bølge", "Anker", "Kompass", "Morgen", "Nebel", "Welle", "Strand",
    "Klippe", "Lærke", "Rabe", "Igel", "Otter", "Kiesel",
];
const TOWNS: &[&str] = &["Jena", "Kiel", "Aarhus", "Odense", "Bonn", "Ulm", "Gera", "Køge", "Vejle", "Trier", "Essen"];

fn syllables(rng: &mut Pcg64Mcg, count: usize) -> String {
    let mut s = String::new();
    for _ in 0..count {
        s.push_str(pick(rng, ONSETS));
        s.push_str(pick(rng, NUCLEI));
        s.push_str(pick(rng, CODAS));
    }
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => s,
    }
}

/// A pseudonym such as `Sonne_84`, `Kirnavo`, `Mond.Tålie`, `Brei aus Jena` or `skov-ulka-1987`:
/// 3 to 32 characters, starting and ending with a letter or digit, no two separators in a row.
fn pseudonym(rng: &mut Pcg64Mcg) -> String {
    loop {
        let sep = pick(rng, &["_", "_", ".", "-", " ", ""]);
        let name = match rng.random_range(0..10) {
            0..3 => format!("{}{sep}{}", pick(rng, WORDS), rng.random_range(1..1_000)),
            3..5 => {
                let count = rng.random_range(2..4);
                syllables(rng, count)
            }
            5..7 => format!("{}{sep}{}", pick(rng, WORDS), syllables(rng, 2)),
            7 => {
                let town = pick(rng, TOWNS);
                let from = if matches!(town, "Aarhus" | "Odense" | "Køge" | "Vejle") { "fra" } else { "aus" };
                let sep = if sep.is_empty() { "_" } else { sep };
                let count = rng.random_range(1..3);
                format!("{}{sep}{from}{sep}{town}", syllables(rng, count))
            }
            8 => format!("{}{sep}{}", syllables(rng, 2), rng.random_range(1950..2010)),
            _ => format!("{}{sep}{}", syllables(rng, 2).to_lowercase(), pick(rng, WORDS).to_lowercase()),
        };
        let len = name.chars().count();
        let lower = name.to_lowercase();
        if (3..=32).contains(&len)
            && name.chars().last().is_some_and(char::is_alphanumeric)
            && !UNWANTED.iter().any(|w| lower.contains(w))
        {
            return name;
        }
    }
}

fn account(rng: &mut Pcg64Mcg, pseudonym: String) -> NewAccount {
    let perspective = match rng.random_range(0..100) {
        0..55 => Perspective::LivedExperience,
        55..75 => Perspective::Relative,
        75..90 => Perspective::Professional,
        _ => Perspective::Undisclosed,
    };
    let &(code, _, _) = region(rng);
    let danish = code.starts_with("DK");
    let mut languages: Vec<String> = Vec::new();
    if rng.random_bool(0.05) {
        languages.push("en".into());
    } else {
        languages.push(if danish { "da" } else { "de" }.into());
        if rng.random_bool(if danish { 0.4 } else { 0.3 }) {
            languages.push("en".into());
        }
        if code == "DE-SH" || code == "DK-83" || rng.random_bool(0.02) {
            languages.push(if danish { "de" } else { "da" }.into());
        }
    }
    let home_region = rng.random_bool(0.85).then(|| code.to_string());
    let email = rng.random_bool(0.4).then(|| {
        let local: String = slug(&pseudonym).replace('-', ".");
        let local = if local.is_empty() { "peer".to_string() } else { local };
        format!("{local}@{}", pick(rng, &["example.org", "example.net", "example.com"]))
    });
    NewAccount { pseudonym, perspective, languages, home_region, email, perspective_visibility: Default::default() }
}
