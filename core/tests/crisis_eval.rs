//! The crisis check measured like a screening instrument over the labelled texts in
//! `core/tests/data/crisis/` (see its README): recall, false alarms and imminent ratings per
//! language, asserted against the targets of issue 18.
//!
//! The targets are asserted on the held-out files (written by someone else, never looked at
//! while tuning) when they are present; the tuning files are reported and must stay at the
//! targets too. Set `CRISIS_EVAL_SHOW=1` to print every mistake of the tuning files.

use std::path::{Path, PathBuf};

use trialog_core::moderation::crisis::eval::{self, Evaluation, LanguageFigures};
use trialog_core::moderation::crisis::{CrisisLevel, detector};

/// Recall target for German, Danish and English; the others have 90 %.
const RECALL_MAIN: f64 = 0.95;
const RECALL_OTHER: f64 = 0.90;
const MAX_FALSE_ALARMS: f64 = 0.05;
const MIN_IMMINENT: f64 = 0.90;

fn data(kind: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/crisis").join(kind)
}

fn run(kind: &str) -> Vec<(String, Evaluation)> {
    let Ok(dir) = std::fs::read_dir(data(kind)) else { return Vec::new() };
    let mut files: Vec<PathBuf> =
        dir.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "tsv")).collect();
    files.sort();
    files
        .iter()
        .map(|path| {
            let tsv = std::fs::read_to_string(path).expect("readable evaluation file");
            let samples = eval::read_samples(&tsv).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let report = eval::evaluate(&samples, |text, language| {
                let found = detector().detect(text, language);
                (found.level, found.categories)
            });
            (path.file_name().unwrap().to_string_lossy().into_owned(), report)
        })
        .collect()
}

fn print(kind: &str, reports: &[(String, Evaluation)]) {
    for (file, report) in reports {
        for l in &report.languages {
            println!(
                "{kind} {file} {}: recall {:.1} % ({}/{}), false alarms {:.1} % ({}/{}), imminent rated imminent {:.1} % ({}/{})",
                l.language,
                100.0 * l.recall(),
                l.found,
                l.crisis,
                100.0 * l.false_alarm_rate(),
                l.false_alarms,
                l.ordinary,
                100.0 * l.imminent_rate(),
                l.rated_imminent,
                l.imminent
            );
            for c in &l.categories {
                println!("    {:<24} found {:>3}/{:<3} named {:>3}", c.category.as_str(), c.found, c.texts, c.named);
            }
        }
        if std::env::var_os("CRISIS_EVAL_SHOW").is_some() {
            for m in &report.mistakes {
                let show = |l: Option<CrisisLevel>| l.map_or("none", CrisisLevel::as_str);
                println!("  {file}:{} expected {} found {}: {}", m.line, show(m.expected), show(m.found), m.text);
                let found = detector().detect(&m.text, &m.language);
                for f in found.findings.iter().chain(&found.set_aside) {
                    println!("      {}", f.reason);
                }
            }
        }
    }
}

fn below_targets(reports: &[(String, Evaluation)]) -> Vec<String> {
    let mut failures = Vec::new();
    for (file, report) in reports {
        for l in &report.languages {
            failures.extend(shortfalls(l).into_iter().map(|s| format!("{file} {}: {s}", l.language)));
        }
    }
    failures
}

fn shortfalls(l: &LanguageFigures) -> Vec<String> {
    let recall = if ["de", "da", "en"].contains(&l.language.as_str()) { RECALL_MAIN } else { RECALL_OTHER };
    let mut out = Vec::new();
    if l.recall() < recall {
        out.push(format!("recall {:.1} % < {:.0} %", 100.0 * l.recall(), 100.0 * recall));
    }
    if l.false_alarm_rate() > MAX_FALSE_ALARMS {
        out.push(format!("false alarms {:.1} % > {:.0} %", 100.0 * l.false_alarm_rate(), 100.0 * MAX_FALSE_ALARMS));
    }
    if l.imminent_rate() < MIN_IMMINENT {
        out.push(format!("imminent rated imminent {:.1} % < {:.0} %", 100.0 * l.imminent_rate(), 100.0 * MIN_IMMINENT));
    }
    out
}

#[test]
fn crisis_detection_meets_the_targets() {
    let tune = run("tune");
    assert!(!tune.is_empty(), "no tuning files under {}", data("tune").display());
    print("tune", &tune);
    let heldout = run("heldout");
    print("held-out", &heldout);
    let mut failures = below_targets(&tune);
    failures.extend(below_targets(&heldout));
    assert!(failures.is_empty(), "below the targets:\n{}", failures.join("\n"));
}
