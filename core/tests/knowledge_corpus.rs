//! The search evaluation corpus (`tests/data/search/`, written by the kdata helper in the
//! agreed format) goes through the real import paths: `topics.csv` through the topics import,
//! every article through the Markdown import, then the four-eyes workflow publishes them all.
//! A file the importer refused would fail here, naming the file and field.

mod common;

use common::corpus::{article_files, topic_rows};
use common::*;
use trialog_core::*;

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
