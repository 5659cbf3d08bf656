//! The forum bench platform: 50 boards, 100,000 threads and 2,000,000 posts written over two
//! years by 20,000 accounts, planned from a seed with `rand_pcg`, written through the public API
//! (threads one by one, replies in batches of `reply_many`), cached under `target/bench-data/`.
//!
//! Texts are drawn from a vocabulary of real German forum words and made-up ones, with a
//! Zipf-like frequency (the 100th word is in a few percent of posts, as "Klinik" would be) and
//! stop words between them, so the index and its posting lists have realistic shapes.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use chrono::Duration;
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use trialog::{
    AccountId, Actor, Audience, BoardId, Durability, ModerationMode, NewAccount, NewBoard, NewReply, NewThread,
    Perspective, Platform, PlatformOptions, SCHEMA_VERSION, TestClock, ThreadId,
};

/// Bump when the plan changes, so that cached files are rebuilt.
pub const FORUMS_GENERATOR_VERSION: u32 = 3;
pub const FORUMS_SEED: u64 = 0x666f_7275_6d73; // "forums"

/// How big the forums are.
#[derive(Debug, Clone, Copy)]
pub struct ForumScale {
    pub boards: usize,
    pub threads: usize,
    pub posts: usize,
    pub accounts: usize,
    pub label: &'static str,
}

impl ForumScale {
    /// `TRIALOG_BENCH_SCALE`: `full` (the default under `cargo bench`), `quarter` (500,000
    /// posts in 25,000 threads), `small` (a tenth), `replica` (63 boards, 50 of them open to
    /// members: the member of issue 25 who sees 50 boards and 2,000 threads) or `tiny` (when
    /// run as a test).
    pub fn from_env() -> ForumScale {
        let bench = std::env::args().any(|a| a == "--bench");
        let label = std::env::var("TRIALOG_BENCH_SCALE").unwrap_or_default();
        match label.as_str() {
            "quarter" | "small" | "replica" | "tiny" | "full" => ForumScale::named(&label),
            _ if bench => ForumScale::FULL,
            _ => ForumScale::TINY,
        }
    }

    /// The scale called `label`; `tiny` for any other name.
    pub fn named(label: &str) -> ForumScale {
        match label {
            "quarter" => ForumScale { boards: 50, threads: 25_000, posts: 500_000, accounts: 10_000, label: "quarter" },
            "small" => ForumScale { boards: 50, threads: 10_000, posts: 200_000, accounts: 5_000, label: "small" },
            // A fifth of the boards are the relatives' (`board_audience`): 63 leaves 50 to members.
            "replica" => ForumScale { boards: 63, threads: 6_300, posts: 126_000, accounts: 2_500, label: "replica" },
            "full" => ForumScale::FULL,
            _ => ForumScale::TINY,
        }
    }

    const FULL: ForumScale =
        ForumScale { boards: 50, threads: 100_000, posts: 2_000_000, accounts: 20_000, label: "full" };
    const TINY: ForumScale = ForumScale { boards: 10, threads: 500, posts: 10_000, accounts: 500, label: "tiny" };
}

/// The built file and what the benches draw from.
pub struct ForumData {
    pub path: PathBuf,
    pub scale: ForumScale,
    /// Boards every member may read.
    pub open_boards: Vec<BoardId>,
    /// Threads with at least 20 posts.
    pub long_threads: Vec<ThreadId>,
    /// Accounts of members with lived experience (they may post in every open board).
    pub members: Vec<AccountId>,
    /// The account that watches 200 threads.
    pub reader: AccountId,
}

/// Real words of the forums, most frequent first; made-up words follow them in the vocabulary.
const WORDS: &[&str] = &[
    "Klinik",
    "Arbeit",
    "Station",
    "Praktikum",
    "Ausbildung",
    "Kurs",
    "Team",
    "Erfahrung",
    "Gespräch",
    "Gruppe",
    "Vertrag",
    "Stelle",
    "Teilzeit",
    "Stunden",
    "Woche",
    "Genesungsbegleitung",
    "Peer",
    "Angst",
    "Krise",
    "Familie",
    "Beratung",
    "Rente",
    "Tagesklinik",
    "Supervision",
    "Portfolio",
    "Modul",
    "Kollegen",
    "Recovery",
    "Selbsthilfe",
    "Medikamente",
    "Therapie",
    "Alltag",
    "Schlaf",
    "Hoffnung",
    "Angehörige",
    "Bewerbung",
    "Gehalt",
    "Tarif",
    "Probezeit",
    "Befristung",
    "Leitung",
    "Pflege",
    "Psychiatrie",
    "Trialog",
    "Seminar",
    "Austausch",
    "Unterstützung",
    "Verständnis",
    "Zukunft",
    "Jobcenter",
    "Antrag",
    "Rentenversicherung",
    "Eingliederungshilfe",
    "Wohngruppe",
    "Krisenplan",
    "Zuverdienst",
    "Minijob",
    "Betriebsrat",
    "Personalrat",
    "Eingruppierung",
    "Zertifikat",
    "Abschluss",
    "Prüfung",
    "Dozentin",
    "Reflexion",
    "Biografie",
    "Stigma",
    "Offenheit",
    "Grenzen",
    "Pausen",
    "Nachtdienst",
    "Übergabe",
    "Visite",
    "Dokumentation",
    "Schweigepflicht",
    "Datenschutz",
    "Fortbildung",
    "Netzwerk",
    "Kontaktstelle",
    "Begleitung",
    "Mutter",
    "Vater",
    "Bruder",
    "Schwester",
    "Sohn",
    "Tochter",
    "Partner",
    "Freundin",
    "Wohnung",
    "Umzug",
    "Fahrkarte",
    "Arbeitsweg",
    "Homeoffice",
    "Urlaub",
    "Krankschreibung",
    "Wiedereinstieg",
    "Hamburg",
    "Berlin",
    "Jena",
    "Leipzig",
    "Köln",
    "Bielefeld",
    "Erfurt",
    "München",
    "Kassel",
    "Bremen",
];

const STOP: &[&str] = &[
    "und", "die", "der", "ich", "das", "ist", "nicht", "mit", "auf", "es", "wie", "bei", "mir", "auch", "ein", "eine",
    "zu", "im", "den", "dass", "habe", "war", "aber", "so", "noch", "wir", "man", "sehr", "für", "von",
];

const SYLLABLES: &[&str] = &[
    "an", "be", "ber", "da", "der", "ein", "fahr", "ge", "hal", "hei", "kom", "lauf", "lich", "mit", "nah", "ort",
    "rat", "schaft", "ste", "tag", "ung", "ver", "wahl", "zeit", "weg", "heit", "keit", "land", "werk",
];

/// Vocabulary size: the real words, then made-up ones.
const VOCABULARY: usize = 5_000;
/// Shifts the Zipf curve so that no content word is as common as a stop word.
const ZIPF_OFFSET: f64 = 30.0;

/// Draws words with a Zipf-like frequency over the vocabulary.
struct Words {
    vocabulary: Vec<String>,
    cumulative: Vec<f64>,
}

impl Words {
    fn new(rng: &mut Pcg64Mcg) -> Words {
        let mut vocabulary: Vec<String> = WORDS.iter().map(|w| w.to_string()).collect();
        while vocabulary.len() < VOCABULARY {
            let n = rng.random_range(2..4);
            let word: String = (0..n).map(|_| SYLLABLES[rng.random_range(0..SYLLABLES.len())]).collect();
            if !vocabulary.contains(&word) {
                vocabulary.push(word);
            }
        }
        let mut cumulative = Vec::with_capacity(VOCABULARY);
        let mut sum = 0.0;
        for rank in 0..VOCABULARY {
            sum += 1.0 / (rank as f64 + 1.0 + ZIPF_OFFSET);
            cumulative.push(sum);
        }
        Words { vocabulary, cumulative }
    }

    fn word(&self, rng: &mut Pcg64Mcg) -> &str {
        let target = rng.random_range(0.0..*self.cumulative.last().unwrap());
        &self.vocabulary[self.cumulative.partition_point(|c| *c < target).min(VOCABULARY - 1)]
    }

    /// A text of `min..max` words in sentences, 40 % stop words.
    fn text(&self, rng: &mut Pcg64Mcg, min: usize, max: usize) -> String {
        let words = rng.random_range(min..max);
        let mut out = String::with_capacity(words * 8);
        let mut sentence = 0;
        for _ in 0..words {
            let word = if rng.random_range(0..10) < 4 { STOP[rng.random_range(0..STOP.len())] } else { self.word(rng) };
            if sentence == 0 {
                let mut chars = word.chars();
                if let Some(first) = chars.next() {
                    out.extend(first.to_uppercase());
                    out.push_str(chars.as_str());
                }
            } else {
                out.push(' ');
                out.push_str(word);
            }
            sentence += 1;
            if sentence > 6 && rng.random_range(0..5) == 0 {
                out.push_str(". ");
                sentence = 0;
            }
        }
        out.trim_end().to_string() + "."
    }
}

/// Builds the forum platform for `scale` unless it is cached.
pub fn forum_data(scale: ForumScale) -> ForumData {
    forum_data_named(scale, "")
}

/// The same platform with every record written as JSON, as before schema version 12 (the
/// codec bench's "before"; cached beside the other with `-json` in its name).
#[allow(dead_code)] // the codec bench's alone
pub fn forum_data_as_json(scale: ForumScale) -> ForumData {
    trialog::write_json_on_this_thread(true);
    let data = forum_data_named(scale, "-json");
    trialog::write_json_on_this_thread(false);
    data
}

fn forum_data_named(scale: ForumScale, suffix: &str) -> ForumData {
    let dir = super::generate::data_dir();
    std::fs::create_dir_all(&dir).expect("create target/bench-data");
    let path = dir.join(format!("forums-g{FORUMS_GENERATOR_VERSION}-s{SCHEMA_VERSION}-{}{suffix}.redb", scale.label));
    if !path.exists() {
        let partial = path.with_extension(format!("partial-{}", std::process::id()));
        let _ = std::fs::remove_file(&partial);
        let started = Instant::now();
        eprintln!("generating the {} forums ({} posts) into {} ...", scale.label, scale.posts, path.display());
        build(&partial, scale);
        super::generate::move_into_place(&partial, &path);
        eprintln!("generated in {:.1} s", started.elapsed().as_secs_f64());
    }
    describe(&path, scale)
}

/// The bench clock: the two years of posts end on 2026-03-01.
pub fn clock() -> TestClock {
    TestClock::at("2026-03-02T09:00:00Z".parse().unwrap())
}

fn start() -> chrono::DateTime<chrono::Utc> {
    "2024-03-01T08:00:00Z".parse().unwrap()
}

/// Opens a copy of the data set with eventual durability and the bench clock.
pub fn open(path: &Path) -> Platform {
    open_with(path, clock())
}

/// The page cache of the bench platform: a server's, sized to keep the hot pages of two million
/// posts (the default, 256 MiB, suits smaller platforms).
pub const CACHE_BYTES: usize = 1 << 30;

fn open_with(path: &Path, clock: TestClock) -> Platform {
    let options = PlatformOptions {
        durability: Durability::Eventual,
        clock: Arc::new(clock),
        cache_bytes: CACHE_BYTES,
        ..Default::default()
    };
    Platform::open(path, options).expect("open the forum bench platform")
}

/// Which boards exist: the first four fifths for every member (every fifth of them public), the
/// last fifth for relatives only.
fn board_audience(i: usize, boards: usize) -> Audience {
    if i >= boards * 4 / 5 {
        Audience::Perspectives { perspectives: vec![Perspective::Relative] }
    } else if i.is_multiple_of(5) {
        Audience::Public
    } else {
        Audience::Members
    }
}

fn build(path: &Path, scale: ForumScale) {
    let clock = TestClock::at(start());
    let p = open_with(path, clock.clone());
    let mut rng = Pcg64Mcg::seed_from_u64(FORUMS_SEED);
    let words = Words::new(&mut rng);
    let boards: Vec<(BoardId, bool)> = (0..scale.boards)
        .map(|i| {
            let audience = board_audience(i, scale.boards);
            let relatives = matches!(audience, Audience::Perspectives { .. });
            let new = NewBoard {
                slug: format!("board-{i:02}"),
                title: format!("Board {i}"),
                description: String::new(),
                language: "de".into(),
                position: None,
                audience,
                moderation: ModerationMode::Open,
            };
            (p.forums().create_board(&Actor::Operator, &new).unwrap().id, relatives)
        })
        .collect();
    let (members, relatives) = accounts(&p, scale.accounts);
    let reader = members[0];
    let chunks = (scale.posts / 1_000).max(1);
    let threads_per_chunk = scale.threads.div_ceil(chunks);
    let span = Duration::days(730);
    let mut threads: Vec<(ThreadId, bool)> = Vec::with_capacity(scale.threads);
    for chunk in 0..chunks {
        clock.set(start() + span * chunk as i32 / chunks as i32);
        for _ in 0..threads_per_chunk.min(scale.threads - threads.len()) {
            let (board, for_relatives) = boards[rng.random_range(0..boards.len())];
            let author = if for_relatives { pick(&mut rng, &relatives) } else { pick(&mut rng, &members) };
            let new = NewThread {
                board,
                title: words.text(&mut rng, 3, 8).trim_end_matches('.').to_string(),
                body: words.text(&mut rng, 20, 90),
                tags: vec![],
                anonymous: rng.random_range(0..20) == 0,
            };
            let posted = p.forums().create_thread(&Actor::account(author), &new).unwrap();
            threads.push((posted.thread.id, for_relatives));
        }
        let replies = 1_000 - threads_per_chunk.min(1_000);
        let batch: Vec<(Actor, NewReply)> = (0..replies)
            .map(|_| {
                // Recent threads are the busy ones: the cube skews towards the end.
                let u: f64 = rng.random_range(0.0..1.0);
                let at = threads.len() - 1 - ((threads.len() as f64) * u * u * u) as usize;
                let (thread, for_relatives) = threads[at.min(threads.len() - 1)];
                let author = if for_relatives { pick(&mut rng, &relatives) } else { pick(&mut rng, &members) };
                let new = NewReply {
                    thread,
                    body: words.text(&mut rng, 10, 80),
                    reply_to: None,
                    anonymous: rng.random_range(0..20) == 0,
                };
                (Actor::account(author), new)
            })
            .collect();
        for result in p.forums().reply_many(&batch).unwrap() {
            result.unwrap();
        }
        // Pages freed by non-durable commits are reused only after a durable one: without it
        // the file would hold every page version ever written.
        if chunk % 10 == 9 {
            p.flush().unwrap();
        }
        if chunk.is_multiple_of(200) {
            eprintln!("  {} threads, {} chunks of {chunks}", threads.len(), chunk + 1);
        }
    }
    clock.set(start() + span);
    watch(&p, reader, &threads, &mut rng);
    p.flush().unwrap();
}

/// Accounts: 80 % with lived experience (members), 20 % relatives (who may also post in every
/// open board, but are drawn for the relatives' boards).
fn accounts(p: &Platform, n: usize) -> (Vec<AccountId>, Vec<AccountId>) {
    let (mut members, mut relatives) = (Vec::new(), Vec::new());
    for i in 0..n {
        let perspective = if i % 5 == 4 { Perspective::Relative } else { Perspective::LivedExperience };
        let new = NewAccount { pseudonym: format!("Leserin_{i:05}"), perspective, ..Default::default() };
        let id = p.accounts().create(&Actor::Operator, &new).unwrap().id;
        if perspective == Perspective::Relative { relatives.push(id) } else { members.push(id) }
    }
    (members, relatives)
}

/// The reader watches 200 threads of the open boards and has read half of them partly.
fn watch(p: &Platform, reader: AccountId, threads: &[(ThreadId, bool)], rng: &mut Pcg64Mcg) {
    let actor = Actor::account(reader);
    let open: Vec<ThreadId> = threads.iter().filter(|(_, r)| !r).map(|(t, _)| *t).collect();
    let mut watched = 0;
    while watched < 200.min(open.len()) {
        let thread = open[rng.random_range(0..open.len())];
        if p.forums().watching(&actor).unwrap().threads.contains(&thread) {
            continue;
        }
        p.forums().watch_thread(&actor, thread, true).unwrap();
        if watched.is_multiple_of(2) {
            let limit = rng.random_range(1..20);
            p.forums().read_thread(&actor, thread, &trialog::PageRequest::first(limit), None).unwrap();
        }
        watched += 1;
    }
}

fn pick(rng: &mut Pcg64Mcg, from: &[AccountId]) -> AccountId {
    from[rng.random_range(0..from.len())]
}

/// What the benches need to know about a built file, read back from it.
fn describe(path: &Path, scale: ForumScale) -> ForumData {
    let p = open(path);
    let op = Actor::Operator;
    let boards = p.forums().boards(&op).unwrap();
    let open_boards: Vec<BoardId> = boards
        .iter()
        .filter(|o| matches!(o.board.audience, Audience::Public | Audience::Members))
        .map(|o| o.board.id)
        .collect();
    let mut long_threads = Vec::new();
    for board in &open_boards {
        for thread in p.forums().board_page(&op, *board, &trialog::PageRequest::first(200)).unwrap().threads {
            if thread.last_seq >= 20 {
                long_threads.push(thread.id);
            }
        }
    }
    let members = p
        .accounts()
        .list(
            &op,
            &trialog::AccountFilter { perspective: Some(Perspective::LivedExperience), ..Default::default() },
            &trialog::PageRequest::first(500),
        )
        .unwrap()
        .items
        .into_iter()
        .map(|a| a.id)
        .collect::<Vec<_>>();
    let reader = members[0];
    ForumData { path: path.to_path_buf(), scale, open_boards, long_threads, members, reader }
}
