//! Trains the crisis model (`core/src/moderation/crisis/model.rs`) on the tuning texts only
//! (`core/tests/data/crisis/tune/*.tsv`; never the held-out files) and writes its weights to
//! `core/src/moderation/crisis/model.bin`.
//!
//! First a five-fold cross-validation over the tuning texts, grouped by line (a text and its
//! retelling in another language fall in the same fold): each text is scored by a model that
//! saw neither. From those scores it sets the `crisis` head's threshold so that the model
//! adds at most [`ADDED_FALSE_ALARMS`] false alarms (over all languages) to the rules' own, and
//! at most [`ADDED_FALSE_ALARMS_PER_LANGUAGE`] in any one language, and the
//! `imminent` head's so that at most [`RAISED_NOT_IMMINENT`] of the crisis texts that are not
//! imminent would be rated imminent; it prints the cross-validated figures per language (rules
//! alone, rules and model). Then it trains on every tuning text and writes the file.
//!
//! Run: `cargo run -p trialog-core --example crisis_model --release`

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use trialog_core::moderation::crisis::eval::{self, Sample};
use trialog_core::moderation::crisis::model::{self, Example, Training};
use trialog_core::moderation::crisis::{CrisisLevel, rules_detector};

/// Most false alarms the model may add to the rules', over all languages (cross-validated).
const ADDED_FALSE_ALARMS: f64 = 0.015;
/// Most crisis texts below `imminent` the `imminent` head may raise (cross-validated).
const RAISED_NOT_IMMINENT: f64 = 0.10;
/// Most false alarms the model may add in any one language (cross-validated).
const ADDED_FALSE_ALARMS_PER_LANGUAGE: f64 = 0.03;
const FOLDS: usize = 5;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(root.join("tests/data/crisis/tune"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
        .collect();
    files.sort();
    let mut samples: Vec<Sample> = Vec::new();
    for path in &files {
        samples.extend(eval::read_samples(&std::fs::read_to_string(path)?)?);
    }
    let examples: Vec<Example> = samples
        .iter()
        .map(|s| Example {
            features: model::text_features(&s.text),
            crisis: s.crisis,
            level: s.level,
            category: s.category,
        })
        .collect();
    let rules: Vec<Option<CrisisLevel>> =
        samples.iter().map(|s| rules_detector().detect(&s.text, &s.language).level).collect();

    // Out-of-fold scores of the crisis and imminent heads. The folds go by line number, not by
    // position in the pooled list: the tuning files tell the same situations in several
    // languages on the same lines, and a text whose retelling in another language sat in the
    // training folds would be scored too kindly (the threshold chosen too low).
    let fold_of = |i: usize| samples[i].line as usize % FOLDS;
    let mut scores = vec![(0f32, 0f32); samples.len()];
    for fold in 0..FOLDS {
        let train: Vec<Example> =
            examples.iter().enumerate().filter(|(i, _)| fold_of(*i) != fold).map(|(_, e)| e.clone()).collect();
        let m = model::train(&train, Training { heads: 2, ..settings() });
        for (i, e) in examples.iter().enumerate().filter(|(i, _)| fold_of(*i) == fold) {
            scores[i] = (m.score(0, &e.features), m.score(1, &e.features));
        }
    }

    let threshold = crisis_threshold(&samples, &rules, &scores);
    let imminent = imminent_threshold(&samples, &scores);
    report(&samples, &rules, &scores, threshold, imminent);

    let mut final_model = model::train(&examples, settings());
    final_model.heads[0].threshold = threshold;
    final_model.heads[1].threshold = imminent;
    let out = root.join("src/moderation/crisis/model.bin");
    std::fs::write(&out, final_model.to_bytes())?;
    println!("crisis threshold {threshold:.3}, imminent threshold {imminent:.3}; wrote {}", out.display());
    Ok(())
}

/// The training settings: the defaults, or `CRISIS_L2`, `CRISIS_EPOCHS`, `CRISIS_RATE` from the
/// environment when trying others (say so in the commit if `model.bin` was trained so).
fn settings() -> Training {
    let get = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<f32>().ok());
    let base = Training::default();
    Training {
        l2: get("CRISIS_L2").unwrap_or(base.l2),
        epochs: get("CRISIS_EPOCHS").map_or(base.epochs, |e| e as u32),
        rate: get("CRISIS_RATE").unwrap_or(base.rate),
        ..base
    }
}

/// The lowest threshold at which the model flags at most `ADDED_FALSE_ALARMS` of all ordinary
/// texts (pooled over the languages) that the rules left alone, and at most
/// `ADDED_FALSE_ALARMS_PER_LANGUAGE` of any one language's.
fn crisis_threshold(samples: &[Sample], rules: &[Option<CrisisLevel>], scores: &[(f32, f32)]) -> f32 {
    let cut = |mut free: Vec<f32>, ordinary: usize, share: f64| {
        free.sort_by(|a, b| b.total_cmp(a));
        free.get((share * ordinary as f64).floor() as usize).copied().unwrap_or(f32::MIN)
    };
    let mut by_language: BTreeMap<&str, (usize, Vec<f32>)> = BTreeMap::new();
    for (i, s) in samples.iter().enumerate().filter(|(_, s)| !s.crisis) {
        let entry = by_language.entry(s.language.as_str()).or_default();
        entry.0 += 1;
        if rules[i].is_none() {
            entry.1.push(scores[i].0);
        }
    }
    let ordinary = by_language.values().map(|(n, _)| n).sum();
    let pooled = cut(by_language.values().flat_map(|(_, f)| f.iter().copied()).collect(), ordinary, ADDED_FALSE_ALARMS);
    by_language.into_values().map(|(n, free)| cut(free, n, ADDED_FALSE_ALARMS_PER_LANGUAGE)).fold(pooled, f32::max)
}

fn imminent_threshold(samples: &[Sample], scores: &[(f32, f32)]) -> f32 {
    let mut lower: Vec<f32> = samples
        .iter()
        .enumerate()
        .filter(|(_, s)| s.crisis && s.level != Some(CrisisLevel::Imminent))
        .map(|(i, _)| scores[i].1)
        .collect();
    lower.sort_by(|a, b| b.total_cmp(a));
    lower.get((RAISED_NOT_IMMINENT * lower.len() as f64) as usize).copied().unwrap_or(0.0)
}

fn report(samples: &[Sample], rules: &[Option<CrisisLevel>], scores: &[(f32, f32)], threshold: f32, imminent: f32) {
    let mut rows: BTreeMap<&str, [u32; 8]> = BTreeMap::new();
    for (i, s) in samples.iter().enumerate() {
        let r = rules[i];
        let m = r.is_some() || scores[i].0 > threshold;
        let both_imminent = r == Some(CrisisLevel::Imminent) || (m && scores[i].1 > imminent);
        let row = rows.entry(s.language.as_str()).or_default();
        if s.crisis {
            row[0] += 1;
            row[1] += u32::from(r.is_some());
            row[2] += u32::from(m);
        } else {
            row[3] += 1;
            row[4] += u32::from(r.is_some());
            row[5] += u32::from(m);
        }
        if s.level == Some(CrisisLevel::Imminent) {
            row[6] += 1;
            row[7] += u32::from(both_imminent);
        }
    }
    println!("cross-validated on the tuning texts: rules alone | rules and model");
    for (language, r) in rows {
        let pct = |a: u32, b: u32| 100.0 * f64::from(a) / f64::from(b.max(1));
        println!(
            "{language}: recall {:.1} % | {:.1} %, false alarms {:.1} % | {:.1} %, imminent rated imminent (with model) {:.1} %",
            pct(r[1], r[0]),
            pct(r[2], r[0]),
            pct(r[4], r[3]),
            pct(r[5], r[3]),
            pct(r[7], r[6])
        );
    }
}
