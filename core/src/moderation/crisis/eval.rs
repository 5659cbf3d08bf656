//! Measuring a crisis check like a screening instrument: recall on crisis texts, false alarms on
//! ordinary ones, and how often imminent texts are rated imminent, per language and category,
//! over labelled TSV files (`core/tests/data/crisis/README.md` describes them).
//!
//! ```
//! use trialog_core::moderation::crisis::{detector, eval};
//! let samples = eval::read_samples("label\tcategory\tlevel\tlanguage\ttext\n\
//!     crisis\tsuicidal_thoughts\thigh\tde\tIch will nicht mehr leben.\n\
//!     ordinary\tnone\tnone\tde\tWie hoch ist das Gehalt?\n")?;
//! let report = eval::evaluate(&samples, |text, language| {
//!     let found = detector().detect(text, language);
//!     (found.level, found.categories)
//! });
//! assert_eq!(report.languages[0].recall(), 1.0);
//! assert_eq!(report.languages[0].false_alarm_rate(), 0.0);
//! # Ok::<(), trialog_core::Error>(())
//! ```

use serde::{Deserialize, Serialize};

use super::{CrisisCategory, CrisisLevel};
use crate::error::{Error, Result};

/// The header line every evaluation file starts with.
pub const HEADER: &str = "label\tcategory\tlevel\tlanguage\ttext";

/// One labelled text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sample {
    /// Line in its file (1 is the header).
    pub line: u32,
    pub crisis: bool,
    /// `None` for ordinary texts.
    pub category: Option<CrisisCategory>,
    pub level: Option<CrisisLevel>,
    pub language: String,
    pub text: String,
}

/// Figures for one language.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LanguageFigures {
    pub language: String,
    /// Crisis texts, and how many were found (any level).
    pub crisis: u32,
    pub found: u32,
    /// Ordinary texts, and how many were flagged.
    pub ordinary: u32,
    pub false_alarms: u32,
    /// Texts labelled imminent, and how many were rated imminent.
    pub imminent: u32,
    pub rated_imminent: u32,
    pub categories: Vec<CategoryFigures>,
    /// Rows: labelled level (none, concern, high, imminent); columns: the level found.
    pub levels: [[u32; 4]; 4],
}

/// Figures for the crisis texts of one category in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CategoryFigures {
    pub category: CrisisCategory,
    pub texts: u32,
    /// Found at any level.
    pub found: u32,
    /// Found with this category among those named.
    pub named: u32,
}

/// A text the check got wrong: a missed crisis, a false alarm, or an imminent text rated lower.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mistake {
    pub line: u32,
    pub language: String,
    pub expected: Option<CrisisLevel>,
    pub found: Option<CrisisLevel>,
    pub text: String,
}

/// The figures of one evaluation run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Evaluation {
    /// In the order the languages first appear.
    pub languages: Vec<LanguageFigures>,
    pub mistakes: Vec<Mistake>,
}

impl LanguageFigures {
    /// Share of crisis texts found (1.0 when there are none).
    pub fn recall(&self) -> f64 {
        ratio(self.found, self.crisis, 1.0)
    }

    /// Share of ordinary texts flagged (0.0 when there are none).
    pub fn false_alarm_rate(&self) -> f64 {
        ratio(self.false_alarms, self.ordinary, 0.0)
    }

    /// Share of imminent texts rated imminent (1.0 when there are none).
    pub fn imminent_rate(&self) -> f64 {
        ratio(self.rated_imminent, self.imminent, 1.0)
    }
}

/// Reads an evaluation file; a malformed line is `InvalidInput` naming the column, with the line.
pub fn read_samples(tsv: &str) -> Result<Vec<Sample>> {
    let mut lines = tsv.lines().enumerate();
    match lines.next() {
        Some((_, header)) if header.trim_end() == HEADER => {}
        _ => {
            return Err(Error::invalid(
                "header",
                format!("the first line must be '{}'", HEADER.replace('\t', "<tab>")),
            ));
        }
    }
    let mut samples = Vec::new();
    for (index, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        samples.push(sample(index as u32 + 1, line)?);
    }
    Ok(samples)
}

/// Runs `check` (text, language → level found, categories named) over every sample.
pub fn evaluate(
    samples: &[Sample],
    mut check: impl FnMut(&str, &str) -> (Option<CrisisLevel>, Vec<CrisisCategory>),
) -> Evaluation {
    let mut evaluation = Evaluation::default();
    for sample in samples {
        let (level, categories) = check(&sample.text, &sample.language);
        let figures = match evaluation.languages.iter().position(|l| l.language == sample.language) {
            Some(i) => &mut evaluation.languages[i],
            None => {
                evaluation.languages.push(LanguageFigures { language: sample.language.clone(), ..Default::default() });
                evaluation.languages.last_mut().expect("just pushed")
            }
        };
        count(figures, sample, level, &categories);
        let wrong = sample.crisis != level.is_some()
            || (sample.level == Some(CrisisLevel::Imminent) && level != Some(CrisisLevel::Imminent));
        if wrong {
            evaluation.mistakes.push(Mistake {
                line: sample.line,
                language: sample.language.clone(),
                expected: sample.level,
                found: level,
                text: sample.text.clone(),
            });
        }
    }
    evaluation
}

fn count(figures: &mut LanguageFigures, sample: &Sample, level: Option<CrisisLevel>, categories: &[CrisisCategory]) {
    figures.levels[level_index(sample.level)][level_index(level)] += 1;
    if !sample.crisis {
        figures.ordinary += 1;
        figures.false_alarms += u32::from(level.is_some());
        return;
    }
    figures.crisis += 1;
    figures.found += u32::from(level.is_some());
    if sample.level == Some(CrisisLevel::Imminent) {
        figures.imminent += 1;
        figures.rated_imminent += u32::from(level == Some(CrisisLevel::Imminent));
    }
    let Some(category) = sample.category else { return };
    let row = match figures.categories.iter().position(|c| c.category == category) {
        Some(i) => &mut figures.categories[i],
        None => {
            figures.categories.push(CategoryFigures { category, texts: 0, found: 0, named: 0 });
            figures.categories.last_mut().expect("just pushed")
        }
    };
    row.texts += 1;
    row.found += u32::from(level.is_some());
    row.named += u32::from(categories.contains(&category));
    figures.categories.sort_by_key(|c| c.category);
}

fn level_index(level: Option<CrisisLevel>) -> usize {
    match level {
        None => 0,
        Some(CrisisLevel::Concern) => 1,
        Some(CrisisLevel::High) => 2,
        Some(CrisisLevel::Imminent) => 3,
    }
}

fn sample(line: u32, text: &str) -> Result<Sample> {
    let columns: Vec<&str> = text.splitn(5, '\t').collect();
    let [label, category, level, language, body] = columns[..] else {
        return Err(Error::invalid("line", format!("line {line} has {} columns, not 5", columns.len())));
    };
    let at = |field: &str, reason: String| Error::invalid(field, format!("line {line}: {reason}"));
    let crisis = match label {
        "crisis" => true,
        "ordinary" => false,
        other => return Err(at("label", format!("'{other}' is neither crisis nor ordinary"))),
    };
    let category = match category {
        "none" => None,
        name => Some(name.parse::<CrisisCategory>().map_err(|e| at("category", e.to_string()))?),
    };
    let level = match level {
        "none" => None,
        name => Some(name.parse::<CrisisLevel>().map_err(|e| at("level", e.to_string()))?),
    };
    if crisis && (category.is_none() || level.is_none()) {
        return Err(at("level", "a crisis text needs a category and a level".into()));
    }
    if !crisis && (category.is_some() || level.is_some()) {
        return Err(at("level", "an ordinary text has category and level none".into()));
    }
    let language = language.trim().to_ascii_lowercase();
    if language.len() != 2 || !language.bytes().all(|b| b.is_ascii_lowercase()) {
        return Err(at("language", format!("'{language}' is not a two-letter language code")));
    }
    Ok(Sample { line, crisis, category, level, language, text: body.trim().to_string() })
}

fn ratio(part: u32, whole: u32, empty: f64) -> f64 {
    if whole == 0 { empty } else { f64::from(part) / f64::from(whole) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn malformed_files_name_the_column_and_line() {
        let cases = [
            ("nope\n", "header"),
            ("label\tcategory\tlevel\tlanguage\ttext\ncrisis\tnone\n", "line"),
            ("label\tcategory\tlevel\tlanguage\ttext\nmaybe\tnone\tnone\tde\tx\n", "label"),
            ("label\tcategory\tlevel\tlanguage\ttext\ncrisis\tsad\thigh\tde\tx\n", "category"),
            ("label\tcategory\tlevel\tlanguage\ttext\ncrisis\tself_harm\tnone\tde\tx\n", "level"),
            ("label\tcategory\tlevel\tlanguage\ttext\nordinary\tnone\tnone\tgerman\tx\n", "language"),
        ];
        for (tsv, field) in cases {
            let err = read_samples(tsv).unwrap_err();
            assert!(matches!(&err, Error::InvalidInput { field: f, .. } if f == field), "{tsv:?}: {err:?}");
        }
    }

    #[test]
    fn figures_count_misses_false_alarms_and_imminent_ratings() {
        let samples = read_samples(
            "label\tcategory\tlevel\tlanguage\ttext\n\
             crisis\tintent_or_plan\timminent\ten\ta\n\
             crisis\tself_harm\thigh\ten\tb\n\
             ordinary\tnone\tnone\ten\tc\n\
             ordinary\tnone\tnone\ten\td\n",
        )
        .unwrap();
        let report = evaluate(&samples, |text, _| match text {
            "a" => (Some(CrisisLevel::High), vec![CrisisCategory::IntentOrPlan]),
            "c" => (Some(CrisisLevel::Concern), vec![CrisisCategory::SelfHarm]),
            _ => (None, vec![]),
        });
        let en = &report.languages[0];
        assert_eq!((en.crisis, en.found, en.ordinary, en.false_alarms), (2, 1, 2, 1));
        assert_eq!((en.imminent, en.rated_imminent), (1, 0));
        assert_eq!(en.levels[3][2], 1);
        assert_eq!(report.mistakes.iter().map(|m| m.line).collect::<Vec<_>>(), [2, 3, 4]);
        assert_eq!(en.categories[0].named, 1);
    }
}
