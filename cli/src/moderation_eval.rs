//! `trialog mod eval FILE.tsv`: the platform's content check (its watched words and the crisis
//! detector) measured over a labelled file, as a screening instrument is: recall on crisis
//! texts, false alarms on ordinary ones, imminent texts rated imminent, per language and
//! category, and the levels found against the levels labelled. Operators run it over their own
//! texts after editing their lists.

use std::path::Path;

use serde::Serialize;
use trialog_core::moderation::crisis::CrisisLevel;
use trialog_core::moderation::crisis::eval::{self, Evaluation, LanguageFigures};

use crate::failure::Failure;
use crate::output::Table;
use crate::session::Session;

const LEVELS: [&str; 4] = ["none", "concern", "high", "imminent"];

/// One language's figures with the rates spelled out (JSON).
#[derive(Serialize)]
struct Figures<'a> {
    #[serde(flatten)]
    figures: &'a LanguageFigures,
    recall: f64,
    false_alarm_rate: f64,
    imminent_rate: f64,
}

/// Runs the check over `file` and prints the figures (and every mistake with `mistakes`).
pub fn run(session: &Session, file: &Path, mistakes: bool) -> Result<(), Failure> {
    let tsv = std::fs::read_to_string(file).map_err(|e| Failure::io(&format!("cannot read {}", file.display()), e))?;
    let samples = eval::read_samples(&tsv)?;
    let moderation = session.platform.moderation();
    let mut failed = None;
    let report = eval::evaluate(&samples, |text, language| match moderation.check_text(text, language) {
        Ok(found) => (found.level, found.categories),
        Err(e) => {
            failed.get_or_insert(e);
            (None, Vec::new())
        }
    });
    if let Some(e) = failed {
        return Err(e.into());
    }
    if session.out.json {
        let languages: Vec<Figures<'_>> = report.languages.iter().map(figures).collect();
        let shown = if mistakes { &report.mistakes[..] } else { &[] };
        session.out.json(&serde_json::json!({ "languages": languages, "mistakes": shown }));
        return Ok(());
    }
    print(&report, mistakes);
    Ok(())
}

fn figures(l: &LanguageFigures) -> Figures<'_> {
    Figures { figures: l, recall: l.recall(), false_alarm_rate: l.false_alarm_rate(), imminent_rate: l.imminent_rate() }
}

fn print(report: &Evaluation, mistakes: bool) {
    let mut table = Table::new(&["language", "recall", "false alarms", "imminent rated imminent"]);
    for l in &report.languages {
        table.row(vec![
            l.language.clone(),
            share(l.found, l.crisis),
            share(l.false_alarms, l.ordinary),
            share(l.rated_imminent, l.imminent),
        ]);
    }
    outln!("{}", table.render());
    for l in &report.languages {
        outln!("\n{}: crisis texts by category (found at any level, and with this category named)", l.language);
        let mut categories = Table::new(&["category", "found", "named"]);
        for c in &l.categories {
            categories.row(vec![c.category.to_string(), share(c.found, c.texts), share(c.named, c.texts)]);
        }
        outln!("{}", categories.render());
        outln!("{}: level labelled (rows) against level found (columns)", l.language);
        let mut levels = Table::new(&["labelled", LEVELS[0], LEVELS[1], LEVELS[2], LEVELS[3]]);
        for (row, name) in l.levels.iter().zip(LEVELS) {
            levels.row(std::iter::once(name.to_string()).chain(row.iter().map(u32::to_string)).collect());
        }
        outln!("{}", levels.render());
    }
    if mistakes {
        let show = |l: Option<CrisisLevel>| l.map_or("none", CrisisLevel::as_str);
        for m in &report.mistakes {
            outln!(
                "line {} ({}): labelled {}, found {}: {}",
                m.line,
                m.language,
                show(m.expected),
                show(m.found),
                m.text
            );
        }
    }
}

fn share(part: u32, whole: u32) -> String {
    if whole == 0 {
        return "-".into();
    }
    format!("{:.1} % ({part}/{whole})", 100.0 * f64::from(part) / f64::from(whole))
}
