//! The one search over everything at the scale (issue 19): 20,000 knowledge articles in
//! three languages, the forums' 2,000,000 posts and 100,000 job postings in one platform.
//! `cargo bench --bench search`; `TRIALOG_BENCH_SCALE=small` for 2,000 articles, 200,000 posts
//! and 10,000 postings; see `benches/README.md` ("Search").
//!
//! The platform starts from a copy of the forums' bench file (`support/forums_data.rs`), gets
//! the evaluation thesaurus, articles varied from the 200 judged evaluation articles
//! (`core/tests/data/search/`: real text in German, Danish and English, each variant with its
//! own title and slug and a paragraph of another article) imported, approved and published,
//! and postings from the job bench's generator (`support/jobs_data.rs`); it is cached under
//! `target/bench-data/` like the others.

#[allow(dead_code)] // shared with benches/forums.rs, which uses all of it
#[path = "support/forums_data.rs"]
mod forums_data;
#[path = "support/generate.rs"]
mod generate;
#[allow(dead_code)] // shared with benches/jobs.rs, which uses all of it
#[path = "support/jobs_data.rs"]
mod jobs_data;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use forums_data::{ForumData, ForumScale};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64Mcg;
use trialog::{
    AccountId, Actor, ArticleFile, ArticleFilter, ImportMode, JobImportRow, NewAccount, NewArticle, NewOrganisation,
    OrgKind, PageRequest, Platform, Role, SCHEMA_VERSION, SearchQuery, TopicRow,
};

/// Bump when the plan changes, so that cached files are rebuilt.
const SEARCH_GENERATOR_VERSION: u32 = 1;
const SEARCH_SEED: u64 = 0x7365_6172_6368; // "search"
/// Articles and postings imported per call.
const BATCH: usize = 500;

/// How much the knowledge base and the job board hold beside the forums.
#[derive(Debug, Clone, Copy)]
struct SearchScale {
    forums: ForumScale,
    articles: usize,
    postings: usize,
}

impl SearchScale {
    /// The forums' `TRIALOG_BENCH_SCALE` (`full` under `cargo bench`, `tiny` as a test) with
    /// the proportions: 20,000 articles and 100,000 postings beside 2,000,000 posts.
    fn from_env() -> SearchScale {
        let forums = ForumScale::from_env();
        let (articles, postings) = match forums.label {
            "full" => (20_000, 100_000),
            "quarter" => (5_000, 25_000),
            "small" => (2_000, 10_000),
            _ => (200, 1_000),
        };
        SearchScale { forums, articles, postings }
    }
}

struct SearchData {
    path: PathBuf,
    scale: SearchScale,
    /// A member of the forums (reads every open board).
    member: AccountId,
    /// The two editors (author and second reader).
    author: AccountId,
    reviewer: AccountId,
}

fn data() -> &'static SearchData {
    static DATA: OnceLock<SearchData> = OnceLock::new();
    DATA.get_or_init(|| search_data(SearchScale::from_env()))
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("core/tests/data/search")
}

fn search_data(scale: SearchScale) -> SearchData {
    let forums = forums_data::forum_data(scale.forums);
    let dir = generate::data_dir();
    let path = dir.join(format!(
        "search-g{SEARCH_GENERATOR_VERSION}-s{SCHEMA_VERSION}-{}-a{}-j{}.redb",
        scale.forums.label, scale.articles, scale.postings
    ));
    if !path.exists() {
        let partial = path.with_extension(format!("partial-{}", std::process::id()));
        let _ = std::fs::remove_file(&partial);
        generate::copy_platform(&forums.path, &partial).expect("copy the forum bench platform");
        let started = Instant::now();
        eprintln!(
            "adding {} articles and {} postings to the {} forums into {} ...",
            scale.articles,
            scale.postings,
            scale.forums.label,
            path.display()
        );
        build(&partial, scale);
        generate::move_into_place(&partial, &path);
        eprintln!("generated in {:.1} s", started.elapsed().as_secs_f64());
    }
    describe(path, scale, &forums)
}

/// The editors are the first two accounts with the editor role; the member is the forums'.
fn describe(path: PathBuf, scale: SearchScale, forums: &ForumData) -> SearchData {
    let p = forums_data::open(&path);
    let editor =
        |name: &str| p.accounts().find_by_pseudonym(&Actor::Operator, name).expect("the bench editors exist").id;
    let (author, reviewer) = (editor("bench-redaktion"), editor("bench-zweitleserin"));
    SearchData { path, scale, member: forums.members[0], author, reviewer }
}

fn build(path: &Path, scale: SearchScale) {
    let p = forums_data::open(path);
    let op = Actor::Operator;
    let topics = p.topics().import(&op, &topic_rows(), false).expect("import the thesaurus");
    assert!(topics.problems.is_empty(), "{:?}", topics.problems);
    let editor = |name: &str| {
        let a = p.accounts().create(&op, &NewAccount { pseudonym: name.into(), ..Default::default() }).unwrap();
        Actor::account(p.accounts().grant_role(&op, a.id, Role::Editor, None).unwrap().id)
    };
    let (author, reviewer) = (editor("bench-redaktion"), editor("bench-zweitleserin"));
    let mut rng = Pcg64Mcg::seed_from_u64(SEARCH_SEED);
    let templates = article_files();
    let mut files = Vec::with_capacity(BATCH);
    for i in 0..scale.articles {
        files.push(variant(&templates, i, &mut rng));
        if files.len() == BATCH || i + 1 == scale.articles {
            let report = p.knowledge().import(&author, &files, true, false).expect("import articles");
            assert!(report.problems.is_empty(), "{:?}", report.problems);
            for id in &report.created {
                p.knowledge().approve(&reviewer, *id, None).unwrap();
                p.knowledge().publish(&author, *id).unwrap();
            }
            files.clear();
        }
    }
    postings(&p, scale.postings, &mut rng);
    p.flush().unwrap();
}

/// The evaluation thesaurus (`topics.csv`: no cell holds a comma or a quote).
fn topic_rows() -> Vec<TopicRow> {
    let text = std::fs::read_to_string(corpus_dir().join("topics.csv")).expect("read topics.csv");
    text.lines()
        .enumerate()
        .skip(1)
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| {
            let c: Vec<&str> = line.split(',').collect();
            TopicRow {
                line: i as u64 + 1,
                topic: c[0].into(),
                parent: Some(c[1].to_string()).filter(|p| !p.is_empty()),
                lang: c[2].into(),
                pref: c[3].into(),
                alt: c[4].into(),
                related: c[5].into(),
            }
        })
        .collect()
}

/// The evaluation articles, `(language, front matter lines, body paragraphs)`.
fn article_files() -> Vec<(String, Vec<String>, Vec<String>)> {
    let mut out = Vec::new();
    for lang in ["de", "da", "en"] {
        let dir = corpus_dir().join("articles").join(lang);
        let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap();
            let rest = text.strip_prefix("---\n").expect("front matter");
            let (front, body) = rest.split_once("\n---\n").expect("closed front matter");
            let front: Vec<String> =
                front.lines().filter(|l| !l.starts_with("translation_of:")).map(str::to_string).collect();
            let paragraphs: Vec<String> =
                body.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect();
            out.push((lang.to_string(), front, paragraphs));
        }
    }
    out
}

/// Places that make each variant's title its own.
const PLACES: &[&str] = &[
    "Jena",
    "Erfurt",
    "Leipzig",
    "Kassel",
    "Bremen",
    "Kiel",
    "Aarhus",
    "Odense",
    "Aalborg",
    "Flensburg",
    "Gera",
    "Weimar",
    "Rostock",
    "Hamburg",
    "Esbjerg",
    "Vejle",
    "Göttingen",
    "Halle",
    "Dresden",
    "Suhl",
];

/// Article `i`: template `i` of the corpus with a place in its title, its paragraphs shuffled
/// and one paragraph of another article in the same language added.
fn variant(templates: &[(String, Vec<String>, Vec<String>)], i: usize, rng: &mut Pcg64Mcg) -> ArticleFile {
    let (lang, front, paragraphs) = &templates[i % templates.len()];
    let same_language: Vec<&(String, Vec<String>, Vec<String>)> = templates.iter().filter(|t| &t.0 == lang).collect();
    let other = same_language[rng.random_range(0..same_language.len())];
    let mut body: Vec<&str> = paragraphs.iter().map(String::as_str).collect();
    for k in (1..body.len()).rev() {
        body.swap(k, rng.random_range(0..=k));
    }
    body.push(&other.2[rng.random_range(0..other.2.len())]);
    let place = PLACES[rng.random_range(0..PLACES.len())];
    let front: Vec<String> = front
        .iter()
        .map(|l| match l.strip_prefix("title: ") {
            Some(title) => format!("title: {title} ({place} {i})"),
            None => l.clone(),
        })
        .collect();
    ArticleFile {
        path: format!("{lang}/bench-{i}.md"),
        text: format!("---\n{}\n---\n\n{}\n", front.join("\n"), body.join("\n\n")),
    }
}

/// `count` published postings from the job bench's generator, at new verified employers.
fn postings(p: &Platform, count: usize, rng: &mut Pcg64Mcg) {
    let op = Actor::Operator;
    let postcodes = jobs_data::german_postcodes();
    let orgs: Vec<_> = (0..(count / 50).max(10))
        .map(|i| {
            let new = NewOrganisation {
                name: format!("Suchbank-Arbeitgeber {i}"),
                kind: OrgKind::Clinic,
                region: "DE".into(),
                city: None,
                website: None,
            };
            let org = p.orgs().create(&op, &new).unwrap();
            p.orgs().verify(&op, org.id, true, None).unwrap();
            org.id
        })
        .collect();
    let mut rows = Vec::with_capacity(BATCH);
    for i in 0..count {
        let mut job = jobs_data::posting(rng, &postcodes, 1);
        job.org = orgs[rng.random_range(0..orgs.len())];
        rows.push(JobImportRow { line: i as u64 + 1, job, publish: true, reference: None });
        if rows.len() == BATCH || i + 1 == count {
            let report = p.jobs().import(&op, &rows, ImportMode::AllOrNothing, false).unwrap();
            assert!(report.problems.is_empty(), "{:?}", report.problems);
            rows.clear();
        }
    }
}

/// A working copy of the data set, opened once per bench group.
fn platform(name: &str) -> Platform {
    let dir = generate::data_dir().join("work");
    std::fs::create_dir_all(&dir).unwrap();
    let copy = dir.join(format!("search-{name}-{}.redb", data().scale.forums.label));
    generate::copy_platform(&data().path, &copy).unwrap();
    forums_data::open(&copy)
}

/// Two-word queries as visitors type them, in the three languages; some words are frequent in
/// the forums' vocabulary ("Klinik", "Arbeit"), some only in articles or postings.
const QUERIES: &[(&str, &str)] = &[
    ("de", "Genesungsbegleitung Klinik"),
    ("de", "Selbsthilfegruppe gründen"),
    ("de", "Kooperation Selbsthilfe"),
    ("de", "Arbeit Angehörige"),
    ("de", "EX-IN Kosten"),
    ("de", "Krisenplan erstellen"),
    ("da", "pårørende gruppe"),
    ("da", "løn peermedarbejder"),
    ("en", "peer contract"),
    ("en", "hearing voices"),
];

fn search(c: &mut Criterion) {
    let p = platform("read");
    let member = Actor::account(data().member);
    let first_page = PageRequest::first(20);
    let mut group = c.benchmark_group("search");
    let mut n = 0usize;
    group.bench_function("two_words_everything_first20", |b| {
        b.iter(|| {
            let (_, text) = QUERIES[n % QUERIES.len()];
            n += 1;
            let query = SearchQuery { text: text.into(), ..Default::default() };
            black_box(p.search().search(&member, &query, &first_page).unwrap())
        })
    });
    let mut n = 0usize;
    group.bench_function("two_words_in_reader_language_first20", |b| {
        b.iter(|| {
            let (lang, text) = QUERIES[n % QUERIES.len()];
            n += 1;
            let query = SearchQuery { text: text.into(), language: Some(lang.into()), ..Default::default() };
            black_box(p.search().search(&member, &query, &first_page).unwrap())
        })
    });
    let topics = ["self-help-groups", "relatives", "pay", "ex-in", "crisis"];
    let mut n = 0usize;
    group.bench_function("one_topic_article_listing_first20", |b| {
        b.iter(|| {
            let filter = ArticleFilter { topic: Some(topics[n % topics.len()].into()), ..Default::default() };
            n += 1;
            black_box(p.knowledge().list(&member, &filter, &first_page).unwrap())
        })
    });
    group.finish();
}

/// Publishing one approved article with its index entries; the article is written and approved
/// outside the measurement.
fn publish(c: &mut Criterion) {
    let p = platform("write");
    let (author, reviewer) = (Actor::account(data().author), Actor::account(data().reviewer));
    let templates = article_files();
    let mut rng = Pcg64Mcg::seed_from_u64(SEARCH_SEED + 1);
    let mut n = 0usize;
    let mut group = c.benchmark_group("knowledge");
    group.bench_function("publish_article_with_index_entries", |b| {
        b.iter_batched(
            || {
                let (lang, _, paragraphs) = &templates[n % templates.len()];
                n += 1;
                let new = NewArticle {
                    title: format!("Neuer Beitrag {n} {}", PLACES[rng.random_range(0..PLACES.len())]),
                    body: paragraphs.join("\n\n"),
                    language: lang.clone(),
                    slug: Some(format!("bench-publish-{n}")),
                    summary: Some("Ein Beitrag für die Messung.".into()),
                    topics: vec!["self-help-groups".into()],
                    audience: None,
                    org: None,
                    links: Vec::new(),
                    attachments: Vec::new(),
                    translation_of: None,
                };
                let article = p.knowledge().create(&author, &new).unwrap();
                p.knowledge().submit(&author, article.id).unwrap();
                p.knowledge().approve(&reviewer, article.id, None).unwrap();
                article.id
            },
            |id| black_box(p.knowledge().publish(&author, id).unwrap()),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, search, publish);
criterion_main!(benches);
