//! The search evaluation corpus (`tests/data/search/`) as the imports take it.

use std::path::{Path, PathBuf};

use trialog_core::*;

pub fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/search")
}

/// The rows of `topics.csv` (its cells hold no commas or quotes; checked here).
pub fn topic_rows() -> Vec<TopicRow> {
    let text = std::fs::read_to_string(data().join("topics.csv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("topic,parent,lang,pref,alt,related"));
    lines
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, line)| {
            assert!(!line.contains('"'), "line {}: quoted cells need a CSV reader", i + 2);
            let cells: Vec<&str> = line.split(',').collect();
            assert_eq!(cells.len(), 6, "line {}: {line}", i + 2);
            TopicRow {
                line: i as u64 + 2,
                topic: cells[0].into(),
                parent: Some(cells[1].to_string()).filter(|p| !p.is_empty()),
                lang: cells[2].into(),
                pref: cells[3].into(),
                alt: cells[4].into(),
                related: cells[5].into(),
            }
        })
        .collect()
}

pub fn article_files() -> Vec<ArticleFile> {
    let root = data().join("articles");
    let mut files = Vec::new();
    for lang in std::fs::read_dir(&root).unwrap() {
        let dir = lang.unwrap().path();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let relative = path.strip_prefix(&root).unwrap().to_string_lossy().into_owned();
            files.push(ArticleFile { path: relative, text: std::fs::read_to_string(&path).unwrap() });
        }
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    files
}

/// A platform holding the whole corpus: the thesaurus imported, every article imported by one
/// editor, approved by a second and published.
pub fn published(p: &Platform) {
    let topics = p.topics().import(&Actor::Operator, &topic_rows(), false).unwrap();
    assert!(topics.problems.is_empty(), "{:?}", topics.problems);
    let author = Actor::account(super::account(p, "Redaktion", &[Role::Editor]).id);
    let reviewer = Actor::account(super::account(p, "Zweitleserin", &[Role::Editor]).id);
    let report = p.knowledge().import(&author, &article_files(), true, false).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    for id in &report.created {
        p.knowledge().approve(&reviewer, *id, None).unwrap();
        p.knowledge().publish(&author, *id).unwrap();
    }
}

/// `(qid, lang, query)` of one query file (`tune` or `heldout`).
pub fn queries(set: &str) -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(data().join(format!("queries/{set}.tsv"))).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cells: Vec<&str> = l.split('\t').collect();
            assert_eq!(cells.len(), 3, "{l}");
            (cells[0].to_string(), cells[1].to_string(), cells[2].to_string())
        })
        .collect()
}

/// `(qid, slug, grade)` of one judgment file.
pub fn judgments(set: &str) -> Vec<(String, String, u32)> {
    let text = std::fs::read_to_string(data().join(format!("judgments/{set}.tsv"))).unwrap();
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cells: Vec<&str> = l.split('\t').collect();
            assert_eq!(cells.len(), 3, "{l}");
            (cells[0].to_string(), cells[1].to_string(), cells[2].parse().unwrap())
        })
        .collect()
}
