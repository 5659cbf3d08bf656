//! The search evaluation corpus (`tests/data/search/`, written by the kdata helper in the
//! agreed format) goes through the real import paths: `topics.csv` through the topics import,
//! every article through the Markdown import, then the four-eyes workflow publishes them all.
//! A file the importer refused would fail here, naming the file and field.

mod common;

use std::path::{Path, PathBuf};

use common::*;
use trialog_core::*;

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/search")
}

/// The rows of `topics.csv` (its cells hold no commas or quotes; checked here).
fn topic_rows() -> Vec<TopicRow> {
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

fn article_files() -> Vec<ArticleFile> {
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

#[test]
fn the_evaluation_corpus_imports_without_problems_and_publishes_with_four_eyes() {
    let p = platform_with(&clock());
    let topics = p.topics().import(&Actor::Operator, &topic_rows(), false).unwrap();
    assert!(topics.problems.is_empty(), "{:?}", topics.problems);
    assert!(topics.created >= 40, "{topics:?}");
    let author = Actor::account(account(&p, "Redaktion", &[Role::Editor]).id);
    let reviewer = Actor::account(account(&p, "Zweitleserin", &[Role::Editor]).id);
    let files = article_files();
    assert!(files.len() >= 200);
    let report = p.knowledge().import(&author, &files, true, false).unwrap();
    assert!(report.problems.is_empty(), "{:#?}", &report.problems[..report.problems.len().min(10)]);
    assert_eq!(report.created.len(), files.len());
    for id in &report.created {
        p.knowledge().approve(&reviewer, *id, None).unwrap();
        p.knowledge().publish(&author, *id).unwrap();
    }
    let translated = report
        .created
        .iter()
        .filter(|id| p.knowledge().get(&author, **id).unwrap().article.translation_group != **id)
        .count();
    assert_eq!(translated, files.iter().filter(|f| f.text.contains("\ntranslation_of:")).count());
    let danish = ArticleFilter { language: Some("da".into()), ..Default::default() };
    let listed: usize = p.knowledge().list(&author, &danish, &PageRequest::first(500)).unwrap().items.len();
    assert_eq!(listed, files.len() - translated, "one version per translation group");
    assert!(p.integrity().unwrap().problems.is_empty());
    // Export writes a file for every article.
    let exported = p.knowledge().export(&author).unwrap();
    assert_eq!(exported.len(), files.len());
}
