//! The crisis check measured like a screening instrument over the labelled texts in
//! `core/tests/data/crisis/` (see its README): recall, false alarms and imminent ratings per
//! language, against the targets of issue 18.
//!
//! - `crisis_detection_meets_the_targets_on_the_tuning_texts` asserts the targets on the texts
//!   the rules were tuned on (a language without rules yet, Bulgarian, is reported only).
//! - `held_out_figures_do_not_fall` reports the held-out figures (texts written by someone else
//!   and never looked at while tuning) and fails if they fall below what was measured when the
//!   rules were last changed — the targets are not met on them yet.
//! - `second_held_out_figures_do_not_fall` does the same for `heldout2/` (de, da, en; written
//!   and committed before the crisis3 round's tuning), reported separately.
//! - `third_held_out_figures_do_not_fall` does the same for `heldout3/` (de, da, en, es, nl;
//!   written and committed before the crisis4 round's tuning), reported separately.
//! - `fourth_held_out_figures_do_not_fall` does the same for `heldout4/` (de, da, en; written
//!   and committed before the crisis18 round's changes), reported separately.
//! - `fifth_held_out_figures_do_not_fall` does the same for `heldout5/` (de, da, en; written
//!   and committed before the crisis19 round's changes; hard ordinary texts), reported separately.
//! - `sixth_held_out_figures_do_not_fall` does the same for `heldout6/` (all seven languages;
//!   written and committed before the crisis20 round's changes), reported separately.
//! - `seventh_held_out_figures_do_not_fall` does the same for `heldout7/` (all seven languages;
//!   written and committed before the crisis18b round's changes; never tuned on, and not in the
//!   model's training sets, unlike the six before it since that round).
//! - `eighth_held_out_figures_do_not_fall` does the same for `heldout8/` (all seven languages;
//!   written and committed before the crisis18c round's changes; never tuned on).
//! - `ninth_held_out_figures_do_not_fall` does the same for `heldout9/` (all seven languages;
//!   written and committed before the crisis18h round's changes; never tuned on).
//! - `tenth_held_out_figures_do_not_fall` does the same for `heldout10/` (all seven languages,
//!   with short everyday posts among the ordinary texts; written and committed before the
//!   crisis18i round's changes; tuned on since the crisis18k round).
//! - `eleventh_held_out_figures_do_not_fall` does the same for `heldout11/` (all seven languages;
//!   written and committed before the crisis18k round's changes; seen since the crisis18l round).
//! - `twelfth_held_out_figures_do_not_fall` does the same for `heldout12/` (all seven languages;
//!   written and committed before the crisis18l round's changes; seen and trained on since the
//!   crisis18n round).
//! - `thirteenth_held_out_figures_do_not_fall` does the same for `heldout13/` (all seven
//!   languages; written and committed before the crisis18n round's changes; never tuned on).
//! - `fourteenth_held_out_figures_do_not_fall` does the same for `heldout14/` (all seven
//!   languages; written and committed before the crisis18o round measured anything; never tuned
//!   on).
//! - `fifteenth_held_out_figures_do_not_fall` does the same for `heldout15/` (all seven
//!   languages; written and committed before the crisis18p round measured anything; never tuned
//!   on).
//! - `crisis_detection_meets_the_targets_on_held_out` asserts the targets on the held-out
//!   files; it fails today and is run by hand (`cargo test --test crisis_eval -- --ignored`).
//!
//! Set `CRISIS_EVAL_SHOW=1` to print every mistake on the tuning files with its reasons, or a
//! list of seen sets (`CRISIS_EVAL_SHOW=tune,heldout10,heldout11`) for theirs (the unseen
//! `heldout15/` never prints its mistakes: only its aggregate figures are to be looked at), and
//! `CRISIS_EVAL_RULES_ONLY=1` to measure the rules without the model.

use std::path::{Path, PathBuf};

use trialog_core::moderation::crisis::eval::{self, Evaluation, LanguageFigures};
use trialog_core::moderation::crisis::{CrisisLevel, Detector, detector, rules_detector};

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
                let found = chosen().detect(text, language);
                (found.level, found.categories)
            });
            (path.file_name().unwrap().to_string_lossy().into_owned(), report)
        })
        .collect()
}

/// The detector measured: rules and model, or the rules alone with `CRISIS_EVAL_RULES_ONLY=1`
/// (to see what the rules miss when writing rules).
fn chosen() -> &'static Detector {
    if std::env::var_os("CRISIS_EVAL_RULES_ONLY").is_some() { rules_detector() } else { detector() }
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
        if shows_mistakes(kind) {
            for m in &report.mistakes {
                let show = |l: Option<CrisisLevel>| l.map_or("none", CrisisLevel::as_str);
                println!("  {file}:{} expected {} found {}: {}", m.line, show(m.expected), show(m.found), m.text);
                let found = chosen().detect(&m.text, &m.language);
                for f in found.findings.iter().chain(&found.set_aside) {
                    println!("      {}", f.reason);
                }
            }
        }
    }
}

/// Sets whose mistakes may be printed: `CRISIS_EVAL_SHOW=1` prints the tuning set's, a list
/// (`CRISIS_EVAL_SHOW=tune,heldout9,heldout10`) those of the seen sets named. The unseen set's
/// mistakes are never printed.
fn shows_mistakes(kind: &str) -> bool {
    const UNSEEN: &[&str] = &["heldout15"];
    let Some(show) = std::env::var_os("CRISIS_EVAL_SHOW") else { return false };
    let show = show.to_string_lossy();
    let named = if show == "1" { kind == "tune" } else { show.split(',').any(|s| s == kind) };
    named && !UNSEEN.contains(&kind)
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

/// Held-out figures measured when the rules or the model were last changed (recall, false
/// alarms, imminent rated imminent, in per cent; rules and model, 2026-12-05, crisis4 round):
/// the floor and ceiling the held-out run must keep. That round raised recall in de and en and
/// lowered false alarms in en and bg, but recall fell by one text in da, nl and ro and by three
/// in bg, and imminent ratings by one text in da and nl: the model's threshold is now chosen by a
/// cross-validation grouped by line (a tuning text and its retelling in another language in the
/// same fold), which showed the old ungrouped folds had scored the model too kindly and set its
/// threshold too low. The lower floors are that honest threshold's price, chosen on the tuning
/// texts only (not to suit these files); over the three held-out sets the round found six
/// crisis texts more and raised two false alarms fewer. The crisis18 round (weak signs that
/// count only together, compounds, more forms; decided on the tuning texts only) raised en to
/// 85.0/6.9/72.4 (from 83.2/6.9/69.0) and lowered de's false alarms to 5.9 % (from 6.9 %). The
/// crisis19 round (bare mentions told as past set aside, documentation as a topic) lowered en's
/// false alarms to 5.9 % (from 6.9 %). The crisis20 round (losses to suicide as a topic, "last
/// year … this year" as recovery, self-harm said with its means, farewells with an ordinary
/// reason; decided on the tuning texts and the older sets' misses) lowered the false alarms in
/// every language (from de 5.9, da 11.0, en 5.9, es 7.5, nl 5.7, ro 5.8, bg 3.8 %) and raised
/// recall in de (from 80.8 %) and da (from 82.4 %).
///
/// **Since the crisis18b round the model is trained on `heldout/` to `heldout6/` too** (and
/// `tune/`), so the figures on them (the floors of this test and the five like it) are no longer
/// a measure of generalisation: they rose to 96–100 % recall and 0–13 % false alarms in-sample.
/// The honest figures for these sets are the trainer's leave-one-set-out ones
/// (`core/examples/crisis_model.rs` prints them; `benches/README.md` lists them); `heldout7/`
/// is the unseen set. Every floor below was kept or raised by that round; none fell.
const HELD_OUT_MEASURED: &[(&str, f64, f64, f64)] = &[
    ("de", HELD_DE.0, HELD_DE.1, HELD_DE.2),
    ("da", HELD_DA.0, HELD_DA.1, HELD_DA.2),
    ("en", HELD_EN.0, HELD_EN.1, HELD_EN.2),
    ("es", HELD_ES.0, HELD_ES.1, HELD_ES.2),
    ("nl", HELD_NL.0, HELD_NL.1, HELD_NL.2),
    ("ro", HELD_RO.0, HELD_RO.1, HELD_RO.2),
    ("bg", HELD_BG.0, HELD_BG.1, HELD_BG.2),
];
const HELD_DE: (f64, f64, f64) = (98.1, 3.9, 96.4);
const HELD_DA: (f64, f64, f64) = (100.0, 5.0, 100.0);
const HELD_EN: (f64, f64, f64) = (99.1, 4.0, 96.6);
const HELD_ES: (f64, f64, f64) = (100.0, 1.9, 100.0);
const HELD_NL: (f64, f64, f64) = (100.0, 0.0, 100.0);
const HELD_RO: (f64, f64, f64) = (100.0, 0.0, 94.1);
const HELD_BG: (f64, f64, f64) = (100.0, 0.0, 100.0);

/// Languages with crisis rules; the others are reported but not held to the targets.
fn has_rules(language: &str) -> bool {
    detector().languages().iter().any(|l| l == language)
}

#[test]
fn crisis_detection_meets_the_targets_on_the_tuning_texts() {
    let tune = run("tune");
    assert!(!tune.is_empty(), "no tuning files under {}", data("tune").display());
    print("tune", &tune);
    let with_rules: Vec<(String, Evaluation)> =
        tune.into_iter().filter(|(_, r)| has_rules(&r.languages[0].language)).collect();
    let failures = below_targets(&with_rules);
    assert!(failures.is_empty(), "below the targets:\n{}", failures.join("\n"));
}

/// The same for the second held-out set (`heldout2/`: de, da, en, written before the December
/// 2026 crisis3 round's tuning). The crisis19 round lowered en's false alarms to 6.7 % (from 10.0 %);
/// the crisis20 round da's to 6.7 % (from 10.0 %) and en's to 3.3 %.
const HELD_OUT_2_MEASURED: &[(&str, f64, f64, f64)] = &[
    ("de", HELD2_DE.0, HELD2_DE.1, HELD2_DE.2),
    ("da", HELD2_DA.0, HELD2_DA.1, HELD2_DA.2),
    ("en", HELD2_EN.0, HELD2_EN.1, HELD2_EN.2),
];
const HELD2_DE: (f64, f64, f64) = (96.0, 6.7, 94.4);
const HELD2_DA: (f64, f64, f64) = (98.0, 3.3, 100.0);
const HELD2_EN: (f64, f64, f64) = (100.0, 3.3, 100.0);

/// The same for the third held-out set (`heldout3/`: de, da, en, es, nl, written before the
/// December 2026 crisis4 round's tuning). Measured before that round's changes: de 84.4/11.4/80.0,
/// da 82.2/11.4/73.3, en 77.8/11.4/66.7, es 63.3/15.0/54.5, nl 56.7/10.0/27.3; after it (the
/// floors below) de lost a text and gained a false alarm, es gained a false alarm; the crisis18
/// round raised de to 84.4 % recall (from 82.2 %). The crisis20 round: da 88.9/8.6 (from
/// 86.7/11.4), de 88.9 % recall (from 84.4), en 5.7 % false alarms (from 11.4), es 66.7/10.0 (from
/// 63.3/20.0), nl 60.0/5.0 (from 56.7/10.0).
const HELD_OUT_3_MEASURED: &[(&str, f64, f64, f64)] = &[
    ("de", HELD3_DE.0, HELD3_DE.1, HELD3_DE.2),
    ("da", HELD3_DA.0, HELD3_DA.1, HELD3_DA.2),
    ("en", HELD3_EN.0, HELD3_EN.1, HELD3_EN.2),
    ("es", HELD3_ES.0, HELD3_ES.1, HELD3_ES.2),
    ("nl", HELD3_NL.0, HELD3_NL.1, HELD3_NL.2),
];
const HELD3_DE: (f64, f64, f64) = (100.0, 8.6, 93.3);
const HELD3_DA: (f64, f64, f64) = (100.0, 5.7, 100.0);
const HELD3_EN: (f64, f64, f64) = (100.0, 2.9, 86.7);
const HELD3_ES: (f64, f64, f64) = (100.0, 0.0, 90.9);
const HELD3_NL: (f64, f64, f64) = (100.0, 0.0, 100.0);

/// The same for the fourth held-out set (`heldout4/`: de, da, en, written and committed before
/// the December 2026 crisis18 round changed any rule). Measured on the rules and model of before
/// that round: de 82.5/23.3/78.6, da 77.5/20.0/64.3, en 72.5/16.7/57.1 — its hard ordinary texts
/// (films, survived attempts, side effects, a supporter's question) raise four times the false
/// alarms the older sets do. After that round's changes (decided on the tuning texts only; the
/// floors below): de 85.0/20.0/85.7, da 80.0/20.0/64.3, en 72.5/16.7/57.1. The crisis20 round: da
/// 82.5/16.7, en 75.0/13.3.
const HELD_OUT_4_MEASURED: &[(&str, f64, f64, f64)] = &[
    ("de", HELD4_DE.0, HELD4_DE.1, HELD4_DE.2),
    ("da", HELD4_DA.0, HELD4_DA.1, HELD4_DA.2),
    ("en", HELD4_EN.0, HELD4_EN.1, HELD4_EN.2),
];
const HELD4_DE: (f64, f64, f64) = (100.0, 20.0, 100.0);
const HELD4_DA: (f64, f64, f64) = (100.0, 10.0, 92.9);
const HELD4_EN: (f64, f64, f64) = (100.0, 10.0, 100.0);

/// The same for the fifth held-out set (`heldout5/`: de, da, en, 40 crisis and 40 hard ordinary
/// texts each, written and committed before the December 2026 crisis19 round changed any rule or
/// the model). Before that round's changes: de 70.0/15.0/43.8, da 85.0/17.5/75.0, en
/// 72.5/15.0/64.7; after them the false alarms fell in all three. The crisis20 round: da 87.5 %
/// recall (from 85.0), en 10.0 % false alarms (from 12.5).
const HELD_OUT_5_MEASURED: &[(&str, f64, f64, f64)] = &[
    ("de", HELD5_DE.0, HELD5_DE.1, HELD5_DE.2),
    ("da", HELD5_DA.0, HELD5_DA.1, HELD5_DA.2),
    ("en", HELD5_EN.0, HELD5_EN.1, HELD5_EN.2),
];
const HELD5_DE: (f64, f64, f64) = (100.0, 5.0, 93.8);
const HELD5_DA: (f64, f64, f64) = (100.0, 10.0, 93.8);
const HELD5_EN: (f64, f64, f64) = (100.0, 10.0, 94.1);

/// The same for the sixth held-out set (`heldout6/`: all seven languages, written and committed
/// before the December 2026 crisis20 round changed any rule). Before that round's changes: de
/// 83.3/10.0/77.8, da 86.7/10.0/77.8, en 86.7/13.3/66.7, es 85.0/15.0/85.7, nl 85.0/10.0/71.4, ro
/// 65.0/5.0/42.9, bg 75.0/10.0/57.1; after them (decided on the tuning texts and the older
/// held-out sets only; measured once, the floors below) da found one crisis text more and en, es
/// and bg raised one false alarm fewer each.
const HELD_OUT_6_MEASURED: &[(&str, f64, f64, f64)] = &[
    ("de", 100.0, 3.3, 88.9),
    ("da", 100.0, 6.7, 88.9),
    ("en", 96.7, 3.3, 66.7),
    ("es", 100.0, 10.0, 100.0),
    ("nl", 100.0, 5.0, 100.0),
    ("ro", 100.0, 0.0, 100.0),
    ("bg", 100.0, 0.0, 100.0),
];

#[test]
fn held_out_figures_do_not_fall() {
    let failures = held_out_falls("heldout", HELD_OUT_MEASURED);
    assert!(failures.is_empty(), "held-out figures fell:\n{}", failures.join("\n"));
}

#[test]
fn second_held_out_figures_do_not_fall() {
    let failures = held_out_falls("heldout2", HELD_OUT_2_MEASURED);
    assert!(failures.is_empty(), "second held-out figures fell:\n{}", failures.join("\n"));
}

#[test]
fn third_held_out_figures_do_not_fall() {
    let failures = held_out_falls("heldout3", HELD_OUT_3_MEASURED);
    assert!(failures.is_empty(), "third held-out figures fell:\n{}", failures.join("\n"));
}

#[test]
fn fourth_held_out_figures_do_not_fall() {
    let failures = held_out_falls("heldout4", HELD_OUT_4_MEASURED);
    assert!(failures.is_empty(), "fourth held-out figures fell:\n{}", failures.join("\n"));
}

#[test]
fn fifth_held_out_figures_do_not_fall() {
    let failures = held_out_falls("heldout5", HELD_OUT_5_MEASURED);
    assert!(failures.is_empty(), "fifth held-out figures fell:\n{}", failures.join("\n"));
}

#[test]
fn sixth_held_out_figures_do_not_fall() {
    let failures = held_out_falls("heldout6", HELD_OUT_6_MEASURED);
    assert!(failures.is_empty(), "sixth held-out figures fell:\n{}", failures.join("\n"));
}

/// The seventh held-out set (`heldout7/`: all seven languages, written and committed before the
/// December 2026 crisis18b round opened any rule, the model or a tuning text; never tuned on).
/// Measured once before that round's changes, on the rules and model of main at bc8a8ca (recall,
/// false alarms, imminent rated imminent): de 70.0/20.0/55.6, da 63.3/30.0/44.4, en
/// 76.7/13.3/66.7, es 75.0/25.0/57.1, nl 55.0/30.0/28.6, ro 65.0/30.0/14.3, bg 75.0/35.0/28.6.
/// Measured once more at the end of that round (the model retrained on the seen sets and
/// stacked with the rules; nothing chosen by looking at this set): the floors below. False
/// alarms fell in every language and recall rose in all but en (unchanged) and **es, where it
/// fell from 75.0 to 65.0 % (two texts)** while its false alarms fell from five to two: the
/// retrained model and its stacking with the rules (which sets aside rule matches below
/// `imminent` that the model scores as ordinary) trade recall for false alarms there — which of
/// the two lost the texts was not looked at (this set's mistakes are never shown). The floor
/// for es recall is lowered to 65.0 for that reason, said here, not to suit the set.
/// Measured a third time the same day after a safety rule (the lead's, not chosen by looking at
/// this set): the model may set aside only the rules' `concern` findings, never a `high` one, as
/// it had set aside "My aunt attempted suicide last night and is in hospital" (a unit test).
/// Recall rose in every language (de 90.0, da 76.7, en 80.0, es 75.0, nl 70.0, ro 75.0, bg 85.0)
/// and false alarms rose with it (16.7, 23.3, 10.0, 15.0, 20.0, 25.0, 35.0) — still at or below
/// main's detector before the round in every language. The floors below, and the seen sets'
/// false-alarm floors above, are that run's figures: the rule trades false alarms for recall.
const HELD_OUT_7_MEASURED: &[(&str, f64, f64, f64)] = &[
    ("de", 100.0, 13.3, 77.8),
    ("da", 100.0, 20.0, 88.9),
    ("en", 96.7, 10.0, 100.0),
    ("es", 95.0, 15.0, 85.7),
    ("nl", 100.0, 15.0, 85.7),
    ("ro", 100.0, 20.0, 100.0),
    ("bg", 100.0, 15.0, 100.0),
];

#[test]
fn seventh_held_out_figures_do_not_fall() {
    let failures = held_out_falls("heldout7", HELD_OUT_7_MEASURED);
    assert!(failures.is_empty(), "seventh held-out figures fell:\n{}", failures.join("\n"));
}

/// The eighth held-out set (`heldout8/`: all seven languages, written and committed before the
/// December 2026 crisis18c round opened any rule, the model or a tuning text; never tuned on).
/// Measured once before that round's changes, on the rules and model of main at dc295ab (recall,
/// false alarms, imminent rated imminent): de 80.0/13.3/66.7, da 73.3/13.3/55.6, en
/// 76.7/16.7/44.4, es 75.0/5.0/42.9, nl 65.0/10.0/57.1, ro 65.0/20.0/57.1, bg 70.0/20.0/57.1.
/// The floors below are that measurement's figures.
/// Measured a second time (2026-12-06, 16:44 UTC) on a model retrained with `heldout7/` and
/// `train/` added to the seen sets (nothing chosen by looking at this set): its stacking, fitted
/// to at most 4 % false alarms out of fold on calibration sets that now held `heldout7/`'s hard
/// ordinary texts, raised the thresholds from ≈ 3.3 to 6.9 (de, da, en, nl), 7.9 (es, ro) and
/// 10.1 (bg), and recall fell in every language (de 50.0, da 53.3, en 63.3, es 35.0, nl 30.0,
/// ro 55.0, bg 40.0 %) while false alarms fell (10.0, 6.7, 16.7, 0.0, 5.0, 5.0, 10.0 %); it fell
/// on every earlier set too. **Not adopted**: the model of dc295ab stays, and so do the floors.
/// Measured a third and a fourth time in the crisis18f round (2026-12-06, 22:35 and 22:46 UTC),
/// once per retrained candidate, with the keep rule set beforehand (recall holds or rises in
/// every language). The crisis18c trainer as it stood (thresholds 5.56/5.86/4.78): de 73.3, da
/// 53.3, en 76.7, es 40.0, nl 50.0, ro 55.0, bg 65.0 % recall. With the model's own alarm budget
/// (`MODEL_FALSE_ALARMS`) and 45 more relatives' questions in `train/`: de 80.0, da 63.3, en
/// 83.3, es 65.0, nl 70.0, ro 65.0, bg 60.0 % (false alarms 10.0, 6.7, 16.7, 0.0, 15.0, 15.0,
/// 15.0). **Neither adopted** (recall fell in da, es, bg): the model and the floors stay.
const HELD_OUT_8_MEASURED: &[(&str, f64, f64, f64)] = &[
    ("de", 100.0, 6.7, 100.0),
    ("da", 100.0, 6.7, 88.9),
    ("en", 96.7, 16.7, 100.0),
    ("es", 100.0, 0.0, 100.0),
    ("nl", 100.0, 0.0, 100.0),
    ("ro", 100.0, 0.0, 85.7),
    ("bg", 100.0, 5.0, 100.0),
];

#[test]
fn eighth_held_out_figures_do_not_fall() {
    let failures = held_out_falls("heldout8", HELD_OUT_8_MEASURED);
    assert!(failures.is_empty(), "eighth held-out figures fell:\n{}", failures.join("\n"));
}

/// The ninth held-out set (`heldout9/`: all seven languages, de, da, en 40 + 40, es, nl, ro, bg
/// 25 + 25; written and committed before the December 2026 crisis18h round opened any rule, the
/// model or a training text; never tuned on, not in the model's training sets). Measured once
/// before that round's changes (2026-12-07, 05:17 UTC), on the rules and model of main at
/// 2c7eec3: the floors below.
/// Measured a second and last time in that round (06:13 UTC) on a model retrained with
/// `heldout7/`, `heldout8/` and 120 more `train/` texts seen and the model's own alarm budget
/// 0.08 (chosen on the seen sets only): recall / false alarms / imminent de 77.5/20.0/60.0, da
/// 80.0/17.5/66.7, en 87.5/10.0/73.3, es 72.0/28.0/54.5, nl 88.0/8.0/45.5, ro 60.0/16.0/27.3, bg
/// 76.0/20.0/27.3. **Not adopted** by the keep rule set beforehand (recall holds in every
/// language and false alarms rise by at most one text): German false alarms rose by three texts
/// (5 → 8 of 40). The model and the floors stay main's.
/// Measured a third time, in the crisis18i round (09:26 UTC), on that round's retrained candidate
/// (see `HELD_OUT_10_MEASURED`): de 77.5/22.5/53.3, da 80.0/15.0/66.7, en 82.5/12.5/66.7, es
/// 76.0/36.0/54.5, nl 80.0/8.0/36.4, ro 56.0/24.0/27.3, bg 80.0/16.0/36.4 (169 of 220 found, 41
/// of 220 raised). **Not adopted**: false alarms rose by four texts in German and two in English
/// and Romanian, and that round's keep rule allowed one. The model and the floors stay main's.
/// Measured a fourth time, in the crisis18j round (10:02 UTC), on that round's candidate (85
/// fresh hard ordinary texts in `train/`; German and English each with their own threshold and
/// the model budget 0.01; chosen on the seen sets only): de 62.5/17.5/46.7, da 77.5/15.0/60.0,
/// en 60.0/7.5/53.3, es 68.0/28.0/45.5, nl 88.0/12.0/54.5, ro 68.0/16.0/27.3, bg 72.0/8.0/27.3
/// (154 of 220 found, 32 of 220 raised). **Not adopted**: German false alarms rose by two texts.
/// Seen since the crisis18k round (its misses were read and general rules written for them);
/// the floors are that round's adopted rules (12:57 UTC; main's were de 62.5/12.5/40.0, da
/// 60.0/15.0/53.3, en 70.0/7.5/40.0, es 68.0/36.0/54.5, nl 52.0/8.0/18.2, ro 48.0/16.0/27.3, bg
/// 60.0/20.0/27.3).
const HELD_OUT_9_MEASURED: &[(&str, f64, f64, f64)] = &[
    ("de", 97.5, 10.0, 93.3),
    ("da", 100.0, 12.5, 100.0),
    ("en", 100.0, 5.0, 93.3),
    ("es", 100.0, 8.0, 100.0),
    ("nl", 100.0, 8.0, 90.9),
    ("ro", 100.0, 8.0, 90.9),
    ("bg", 100.0, 4.0, 90.9),
];

#[test]
fn ninth_held_out_figures_do_not_fall() {
    let failures = held_out_falls("heldout9", HELD_OUT_9_MEASURED);
    assert!(failures.is_empty(), "ninth held-out figures fell:\n{}", failures.join("\n"));
}

/// The tenth held-out set (`heldout10/`: all seven languages, de, da, en 40 + 40, es, nl, ro, bg
/// 25 + 25, with short everyday posts such as "gleich" or "danke!" among the ordinary texts;
/// written and committed before the December 2026 crisis18i round opened any rule, the model or a
/// training text; never tuned on, not in the model's training sets). Measured once before that
/// round's changes (2026-12-07, 08:57 UTC), on the rules and model of main at a6b350e: the floors
/// below (165 of 240 crisis texts found, 20 of 240 ordinary texts raised).
/// Measured a second and last time in that round (09:26 UTC) on a model retrained with 130 short
/// everyday posts in `train/`, the four-word floor for the model alone and the model's own alarm
/// budget 0.06 (chosen on the seen sets only): recall / false alarms / imminent de 77.5/5.0/62.5,
/// da 82.5/12.5/50.0, en 82.5/15.0/68.8, es 92.0/8.0/72.7, nl 76.0/12.0/72.7, ro 88.0/12.0/72.7,
/// bg 80.0/12.0/54.5 (181 of 240 found, 24 of 240 raised). **Not adopted**: the keep rule is
/// judged on `heldout9/` (below), where German false alarms rose by four texts. The model and
/// the floors stay main's.
/// Measured a third time, in the crisis18j round (10:02 UTC), on that round's candidate: de
/// 77.5/5.0/62.5, da 85.0/10.0/50.0, en 67.5/10.0/50.0, es 96.0/8.0/72.7, nl 88.0/12.0/81.8, ro
/// 80.0/12.0/72.7, bg 84.0/16.0/54.5 (179 of 240 found, 22 of 240 raised); English recall, German
/// imminent and three languages' false alarms would have broken these floors. **Not adopted**.
/// Seen since the crisis18k round; the floors are that round's adopted rules (12:57 UTC; main's
/// were de 70.0/5.0/68.8, da 70.0/7.5/43.8, en 72.5/10.0/56.2, es 84.0/8.0/54.5, nl
/// 76.0/8.0/72.7, ro 84.0/16.0/54.5, bg 76.0/12.0/54.5).
const HELD_OUT_10_MEASURED: &[(&str, f64, f64, f64)] = &[
    ("de", 100.0, 0.0, 100.0),
    ("da", 100.0, 0.0, 100.0),
    ("en", 100.0, 5.0, 100.0),
    ("es", 100.0, 4.0, 100.0),
    ("nl", 100.0, 8.0, 100.0),
    ("ro", 100.0, 4.0, 100.0),
    ("bg", 100.0, 12.0, 100.0),
];

#[test]
fn tenth_held_out_figures_do_not_fall() {
    let failures = held_out_falls("heldout10", HELD_OUT_10_MEASURED);
    assert!(failures.is_empty(), "tenth held-out figures fell:\n{}", failures.join("\n"));
}

/// The eleventh held-out set (`heldout11/`: all seven languages, de, da, en 40 + 40 with 17
/// imminent, es, nl, ro, bg 25 + 25 with 11 imminent; written and committed before the December
/// 2026 crisis18k round opened any rule, the model or a training text; never tuned on, not in
/// the model's training sets). Measured once before that round's changes (2026-12-07, 12:34 UTC), on
/// the rules and model of main at 3349fe2: the floors below (137 of 220 crisis texts found, 16 of
/// 220 ordinary texts raised).
/// Measured a second and last time in that round (12:57 UTC) on its candidate (general rules
/// written on the misses of the seen sets `heldout9/` and `heldout10/`; a time named in the
/// sentence beside a high sign of means, plan, farewell or self-harm raises it; the model
/// unchanged): de 65.0/5.0/41.2, da 62.5/10.0/52.9, en 70.0/7.5/41.2, es 56.0/4.0/36.4, nl
/// 64.0/0.0/36.4, ro 72.0/16.0/45.5, bg 64.0/8.0/45.5 (143 of 220 found, 16 of 220 raised).
/// **Adopted** by the keep rule written before that measurement (commit 8593351: recall summed
/// over the languages up, no language's false alarms up by more than one text, every other
/// floor holding); the floors are the candidate's (main's were de 62.5/5.0/41.2, da
/// 57.5/10.0/41.2, en 62.5/7.5/35.3, es 56.0/4.0/27.3, nl 64.0/0.0/36.4, ro 72.0/16.0/36.4, bg
/// 64.0/8.0/36.4).
const HELD_OUT_11_MEASURED: &[(&str, f64, f64, f64)] = &[
    ("de", 100.0, 2.5, 100.0),
    ("da", 100.0, 7.5, 100.0),
    ("en", 97.5, 5.0, 94.1),
    ("es", 100.0, 4.0, 100.0),
    ("nl", 100.0, 0.0, 100.0),
    ("ro", 100.0, 8.0, 100.0),
    ("bg", 100.0, 4.0, 100.0),
];

#[test]
fn eleventh_held_out_figures_do_not_fall() {
    let failures = held_out_falls("heldout11", HELD_OUT_11_MEASURED);
    assert!(failures.is_empty(), "eleventh held-out figures fell:\n{}", failures.join("\n"));
}

/// The twelfth held-out set (`heldout12/`: all seven languages, de, da, en 40 + 40 with 18
/// imminent, es, nl, ro, bg 25 + 25 with 11 imminent; written and committed before the December
/// 2026 crisis18l round opened any rule, the model or a training text; never tuned on, not in
/// the model's training sets). Measured once before that round's changes (2026-12-07, 15:56
/// UTC), on the rules and model of main at a372042 (`trialog mod eval`, the same detector as
/// this test: it gave main's `heldout11/` floors exactly): the floors below (140 of 220 crisis
/// texts found, 13 of 220 ordinary texts raised).
/// Keep rule for the crisis18l round, written before its one measurement on this set: the
/// round's candidate (general rules on the causes of the seen `heldout11/` misses and false
/// alarms; the model not retrained) is kept only if its recall summed over the seven languages
/// here is above main's 140 of 220, no language's false alarms here rise by more than one text,
/// and every other floor in this file holds; otherwise the rule changes are reverted.
/// Measured a second and last time in that round (16:12 UTC) on its candidate (about 120 rules,
/// cues and exceptions over the seven languages, written on the causes of the `heldout11/`
/// mistakes; there they raised recall to de 85.0, da 90.0, en 82.5, es 84.0, nl 96.0, ro 96.0,
/// bg 96.0 % and lowered false alarms to de 2.5, da 5.0, en 5.0, es 0.0, nl 0.0, ro 4.0, bg
/// 4.0 %): exactly main's figures here (140 of 220 found, 13 of 220 raised, imminent unchanged).
/// **Not adopted** (recall not above main's): the rules are reverted and the floors stay main's.
/// The crisis18m round (keep rule in `core/tests/data/crisis/README.md`, committed before):
/// the model retrained on every seen set and `train2/` found 172 of 220 here (de 75.0, da 80.0,
/// en 70.0, es 92.0, nl 80.0, ro 76.0, bg 80.0 %; imminent 67 of 109) with 11 of 220 false alarms,
/// but Dutch false alarms rose from 1 to 2 of 25: **not kept**. Its two false-alarm fixes ("odd"
/// read as "OD", an age in digits as a past cue) with main's model give main's figures here.
const HELD_OUT_12_MEASURED: &[(&str, f64, f64, f64)] = &[
    ("de", 100.0, 0.0, 100.0),
    ("da", 100.0, 2.5, 100.0),
    ("en", 100.0, 2.5, 100.0),
    ("es", 100.0, 0.0, 100.0),
    ("nl", 100.0, 4.0, 100.0),
    ("ro", 100.0, 16.0, 100.0),
    ("bg", 100.0, 8.0, 100.0),
];

#[test]
fn twelfth_held_out_figures_do_not_fall() {
    let failures = held_out_falls("heldout12", HELD_OUT_12_MEASURED);
    assert!(failures.is_empty(), "twelfth held-out figures fell:\n{}", failures.join("\n"));
}

/// The thirteenth held-out set (`heldout13/`: all seven languages, de, da, en 40 + 40 with 18
/// imminent, es, nl, ro, bg 25 + 25 with 11 imminent; written and committed before the December
/// 2026 crisis18n round opened any rule, the model, the trainer or a mistake; never tuned on, not
/// in the model's training sets). Measured once on main's rules and model (at d9bdab5 with main's
/// `model.bin`, 2026-12-07 22:03 UTC): 163 of 220 crisis texts found, 23 of 220 ordinary texts
/// raised, 49 of 109 imminent texts rated imminent — the floors below. The crisis18n round's keep
/// rule (in `core/tests/data/crisis/README.md`, committed before) decided whether its candidate's
/// figures would replace them. Measured a second and last time (22:19 UTC) on that candidate
/// (77b37a3: the model retrained with 2^16 buckets and 10 epochs on every seen set, `heldout12/`
/// included, and two pattern fixes for false alarms seen in `heldout8/`, `heldout9/` and
/// `heldout11/`): de 87.5 / 5.0 / 72.2, da 92.5 / 17.5 / 83.3, en 90.0 / 10.0 / 77.8, es
/// 92.0 / 12.0 / 72.7, nl 88.0 / 8.0 / 81.8, ro 88.0 / 16.0 / 81.8, bg 96.0 / 12.0 / 72.7 (199 of
/// 220 found, 25 of 220 raised, 76 of 109 imminent rated imminent). False alarms rose in total
/// (23 → 25): **not kept** then. The crisis18o round kept that candidate (on `heldout14/`, under a
/// keep rule weighing a miss above a false alarm), so the floors below are now its figures.
const HELD_OUT_13_MEASURED: &[(&str, f64, f64, f64)] = &[
    ("de", 87.5, 5.0, 72.2),
    ("da", 92.5, 17.5, 83.3),
    ("en", 90.0, 10.0, 77.8),
    ("es", 92.0, 12.0, 72.7),
    ("nl", 88.0, 8.0, 81.8),
    ("ro", 88.0, 16.0, 81.8),
    ("bg", 96.0, 12.0, 72.7),
];

#[test]
fn thirteenth_held_out_figures_do_not_fall() {
    let failures = held_out_falls("heldout13", HELD_OUT_13_MEASURED);
    assert!(failures.is_empty(), "thirteenth held-out figures fell:\n{}", failures.join("\n"));
}

/// The fourteenth held-out set (`heldout14/`: all seven languages, de, da, en 40 + 40 with 18
/// imminent, es, nl, ro, bg 25 + 25 with 11 imminent; written and committed before the crisis18o
/// round opened any rule, the model, the trainer or a mistake; never tuned on, not in the model's
/// training sets). Measured once on main's rules and model (at 6ea292f, 2026-12-07 22:56 UTC): de
/// 72.5 / 0.0 / 50.0, da 65.0 / 7.5 / 50.0, en 75.0 / 7.5 / 50.0, es 84.0 / 8.0 / 63.6, nl
/// 60.0 / 12.0 / 27.3, ro 76.0 / 4.0 / 81.8, bg 76.0 / 8.0 / 36.4 (159 of 220 found, 14 of 220
/// raised, 50 of 109 imminent rated imminent), and once on the crisis18n candidate (77b37a3's
/// `model.bin` and patterns, 23:00 UTC): the floors below (192 found, 15 raised, 76 imminent). The
/// crisis18o round's keep rule (in `core/tests/data/crisis/README.md`, committed before) held in
/// all four parts, so the candidate was **kept** and every floor in this file is its figures.
const HELD_OUT_14_MEASURED: &[(&str, f64, f64, f64)] = &[
    ("de", 85.0, 0.0, 72.2),
    ("da", 92.5, 10.0, 88.9),
    ("en", 80.0, 7.5, 61.1),
    ("es", 96.0, 8.0, 90.9),
    ("nl", 84.0, 12.0, 72.7),
    ("ro", 84.0, 4.0, 81.8),
    ("bg", 92.0, 8.0, 81.8),
];

#[test]
fn fourteenth_held_out_figures_do_not_fall() {
    let failures = held_out_falls("heldout14", HELD_OUT_14_MEASURED);
    assert!(failures.is_empty(), "fourteenth held-out figures fell:\n{}", failures.join("\n"));
}

/// The fifteenth held-out set (`heldout15/`: all seven languages, de, da, en 40 + 40 with 18
/// imminent, es, nl, ro, bg 25 + 25 with 11 imminent; written and committed (aca5181) before the
/// crisis18p round opened any rule, the model, the trainer or a mistake; never tuned on, not in
/// the model's training sets). Measured once on main's rules and model (at da06240, the same
/// detector as main's 64a2a99, 2026-12-08 01:39 UTC): 200 of 220 crisis texts found, 21 of 220
/// ordinary texts raised, 81 of 109 imminent texts rated imminent — the floors below. The round's
/// candidate was not finished in time to be measured, so no candidate was measured on it.
const HELD_OUT_15_MEASURED: &[(&str, f64, f64, f64)] = &[
    ("de", 82.5, 5.0, 61.1),
    ("da", 97.5, 15.0, 94.4),
    ("en", 87.5, 7.5, 77.8),
    ("es", 88.0, 8.0, 81.8),
    ("nl", 96.0, 12.0, 90.9),
    ("ro", 96.0, 4.0, 90.9),
    ("bg", 92.0, 16.0, 90.9),
];

#[test]
fn fifteenth_held_out_figures_do_not_fall() {
    let failures = held_out_falls("heldout15", HELD_OUT_15_MEASURED);
    assert!(failures.is_empty(), "fifteenth held-out figures fell:\n{}", failures.join("\n"));
}

/// Runs one held-out set (aggregate figures only) against the figures last measured on it.
fn held_out_falls(kind: &str, measured: &[(&str, f64, f64, f64)]) -> Vec<String> {
    let heldout = run(kind);
    assert!(!heldout.is_empty(), "no held-out files under {}", data(kind).display());
    print(kind, &heldout);
    let mut failures = Vec::new();
    for (file, report) in &heldout {
        for l in &report.languages {
            let Some(&(_, recall, alarms, imminent)) = measured.iter().find(|m| m.0 == l.language) else {
                continue;
            };
            let (r, a, i) = (100.0 * l.recall(), 100.0 * l.false_alarm_rate(), 100.0 * l.imminent_rate());
            if r + 0.05 < recall || a > alarms + 0.05 || i + 0.05 < imminent {
                failures.push(format!(
                    "{file}: recall {r:.1} % (was {recall:.1}), false alarms {a:.1} % (was {alarms:.1}), imminent {i:.1} % (was {imminent:.1})"
                ));
            }
        }
    }
    failures
}

#[test]
#[ignore = "the held-out targets are not met yet; run by hand for the figures"]
fn crisis_detection_meets_the_targets_on_held_out() {
    let heldout = run("heldout");
    assert!(!heldout.is_empty(), "no held-out files under {}", data("heldout").display());
    print("held-out", &heldout);
    let failures = below_targets(&heldout);
    assert!(failures.is_empty(), "below the targets:\n{}", failures.join("\n"));
}
