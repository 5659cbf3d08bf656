//! Knowledge-base import: Markdown files with front matter (`Knowledge::import`). The input is
//! up to eight files separated by NUL bytes. A dry run on a shared platform must report
//! problems or succeed, never panic; a set of files it accepts is then imported for real into
//! a fresh platform, exported, and the export imported again, which must change nothing (what
//! export writes, import reads back to the same articles).
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use trialog_core::{Actor, ArticleFile, NewTopic, Platform, TopicLabel};

const TOPICS: [&str; 2] = ["peer-support", "recovery"];

/// A platform with the two topics the seeds name.
fn with_topics() -> Platform {
    let platform = Platform::in_memory().expect("an in-memory platform");
    for slug in TOPICS {
        let label = TopicLabel { lang: "de".into(), pref: slug.into(), alt: Vec::new() };
        let topic = NewTopic { slug: slug.into(), parent: None, labels: vec![label], related: Vec::new() };
        platform.topics().add(&Actor::Operator, &topic).expect("a topic");
    }
    platform
}

fn shared() -> &'static Platform {
    static PLATFORM: OnceLock<Platform> = OnceLock::new();
    PLATFORM.get_or_init(with_topics)
}

fuzz_target!(|text: &str| {
    let files: Vec<ArticleFile> = text
        .split('\0')
        .take(8)
        .enumerate()
        .map(|(i, text)| ArticleFile { path: format!("de/file-{i}.md"), text: text.to_string() })
        .collect();
    let Ok(report) = shared().knowledge().import(&Actor::Operator, &files, false, true) else { return };
    for problem in &report.problems {
        assert!(files.iter().any(|f| f.path == problem.file), "a problem names a file not imported: {problem:?}");
    }
    if !report.problems.is_empty() {
        return;
    }
    let fresh = with_topics();
    let knowledge = fresh.knowledge();
    let first = knowledge.import(&Actor::Operator, &files, false, false).expect("a dry run's files import");
    assert!(first.problems.is_empty(), "the dry run passed, the import did not: {:?}", first.problems);
    let exported = knowledge.export(&Actor::Operator).expect("an export");
    let again = knowledge.import(&Actor::Operator, &exported, false, false).expect("the export imports");
    assert!(again.problems.is_empty(), "the export does not import: {:?}\n{exported:?}", again.problems);
    assert!(
        again.created.is_empty() && again.updated.is_empty(),
        "importing the export changed articles: {again:?}\n{exported:?}"
    );
});
