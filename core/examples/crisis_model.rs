//! Trains the crisis model (`core/src/moderation/crisis/model.rs`) and writes its weights to
//! `core/src/moderation/crisis/model.bin`.
//!
//! It learns from the sets already seen ([`SEEN_SETS`]: `tune/`, `heldout/` to `heldout12/`,
//! `train/` and `train2/` under `core/tests/data/crisis/`), never from `heldout13/` (the unseen
//! set of the crisis18n round) or a later set. Three steps:
//!
//! 1. **Leave one set out.** For each seen set, a model trained on the other sets scores it: so
//!    every seen text gets a score from a model that saw neither it nor its set (the sets tell
//!    the same situations in several languages, which therefore stay in one fold). These
//!    out-of-fold scores stand for texts written later by someone else.
//! 2. **Stacking and thresholds** ([`Stacking`]): on the out-of-fold scores of the held-out
//!    sets (`heldout/` to `heldout8/`, `heldout12/`, `train/` and `train2/`, where the rules'
//!    matches are as honest as on new texts — on `tune/` and `heldout9/` to `heldout11/`, the
//!    [`FITTED_SETS`], the rules were written to fit), it tries the offsets the rules' `concern`
//!    and `high` add to the score ([`OFFSETS`]), and for each offset pair and language family the
//!    lowest threshold at which no language of the family raises more than
//!    [`MAX_FALSE_ALARMS`] false alarms (the rules' high and imminent ones included, which the model never
//!    overrules; where those alone take it, the model's own reading may still add
//!    [`MODEL_FALSE_ALARMS`]); it keeps the pair that finds the most crisis texts, each language weighing
//!    alike. The `imminent` head's threshold lets at most [`RAISED_NOT_IMMINENT`] of the seen
//!    crisis texts below `imminent` be raised.
//! 3. It trains every head on every seen text and writes the file.
//!
//! It prints the out-of-fold figures per set and language: rules alone, rules and model; with
//! `CRISIS_LIST_RAISED=<set>` also each ordinary text of that seen set raised out of fold.
//!
//! Run (debug build, as the workspace is built; a minute or two):
//! `cargo build --workspace --exclude trialog-py --example crisis_model && target/debug/examples/crisis_model`

use std::collections::BTreeMap;
use std::path::Path;

use trialog_core::moderation::crisis::eval::{self, Sample};
use trialog_core::moderation::crisis::model::{self, Example, Stacking, Training};
use trialog_core::moderation::crisis::{CrisisLevel, rules_detector};

/// The sets the model may learn from: every one of them has been measured after some round's
/// changes. A held-out set written later is added here only after it has been reported.
/// `train/` holds texts written only for the model to learn from (crisis18c round: relatives'
/// everyday questions, idioms, lyrics, fiction, notes, clinical talk, news; third persons,
/// passive wishes, plans, self-harm, slang); `train2/` more of them (crisis18m round: imminent
/// cues, es, nl, ro and bg, ordinary texts sharing crisis words).
///
/// The crisis18m round trained on all of these with `CRISIS_BUCKETS=65536 CRISIS_EPOCHS=10` (and
/// [`RAISED_NOT_IMMINENT`] 0.20); that model was **not kept**: on the unseen `heldout12/` it found
/// 172 instead of main's 140 of 220 crisis texts, raised 11 instead of 13 false alarms and rated
/// 67 instead of 35 of 109 imminent texts imminent, but Dutch false alarms rose from 1 to 2 of 25
/// and the round's keep rule (written before; see `core/tests/data/crisis/README.md`) allowed
/// none above max(main's, 5 %). `model.bin` is main's; running this trainer replaces it.
///
/// The crisis18n round added `heldout12/` (seen since then) and trained with [`BUCKETS`] and
/// [`EPOCHS`] (with two general false-alarm fixes in the patterns: clinicians' "denies" as a
/// negation, cuts to a hand or finger in the kitchen as exceptions); that candidate (77b37a3) was
/// **not kept** either: on the unseen `heldout13/` it found 199 instead of main's 163 of 220
/// crisis texts and rated 76 instead of 49 of 109 imminent texts imminent, but raised 25 instead
/// of 23 of 220 false alarms (da, ro and bg one more each, de one fewer), and the round's keep
/// rule allowed no rise in the total. `model.bin` and the patterns are main's; running this
/// trainer (as it stands) replaces `model.bin` with that round's model without its pattern fixes.
///
/// The crisis18o round then tested that very candidate on a fresh `heldout14/` under a keep rule
/// that weighs a miss above a false alarm (at most one false alarm more per five crisis texts
/// found more): 159 → 192 of 220 found, 14 → 15 raised, 50 → 76 of 109 imminent. It was **kept**:
/// `model.bin` and the patterns are 77b37a3's (that model was written by this trainer as it stands).
const SEEN_SETS: &[&str] = &[
    "tune",
    "heldout",
    "heldout2",
    "heldout3",
    "heldout4",
    "heldout5",
    "heldout6",
    "heldout7",
    "heldout8",
    "heldout9",
    "heldout10",
    "heldout11",
    "heldout12",
    "train",
    "train2",
];
/// The seen sets whose out-of-fold scores do *not* fit the stacking: `tune` (the rules fit it)
/// and `heldout9/` to `heldout11/` (rules were written on their misses in the crisis18k and
/// crisis18l rounds, so the rules' matches there are as fitted as on `tune/`). Every other seen
/// set is a calibration set: `train` (no rule was written on it) and, since the crisis18n round,
/// `heldout12/` (no rule was written on its texts) among them.
const FITTED_SETS: &[&str] = &["tune", "heldout9", "heldout10", "heldout11"];
/// Language families sharing one threshold (the highest any of its languages needs). German
/// and English stand alone since the crisis18j round, each with its own stricter budget
/// ([`MODEL_FALSE_ALARMS_BY_LANGUAGE`]); before, `de`, `da`, `en` and `nl` were one family.
const FAMILIES: &[&[&str]] = &[&["de"], &["en"], &["da", "nl"], &["es", "ro"], &["bg"]];
/// The model's own alarm budget for languages that take a stricter one than
/// [`MODEL_FALSE_ALARMS`] (crisis18j round). Why: in the crisis18i round a model whose budget was
/// chosen on the seen sets raised four more German and two more English ordinary texts of
/// `heldout9/` than main's, and the seen sets' out-of-fold figures had not shown it. 85 hard
/// ordinary texts written fresh after that round (`train/`: recoveries, prevention training,
/// relatives' worries without risk, idioms, work stress in de, en, ro) did show it: out of fold,
/// that candidate's way raised 4 German and 3 English of them, main's detector none. Chosen
/// among the budgets 0.01–0.04 for de and en, alone or in the family, as the one finding the
/// most crisis texts out of fold on `heldout7/` and `heldout8/` while raising at most one more of
/// those fresh texts per language than main and no set-language's false alarms of `heldout7/`
/// and `heldout8/` by more than one text (see `benches/README.md`, crisis18j round). The model
/// trained with it was **not kept**: on `heldout9/` 154 instead of 134 crisis texts found, but
/// German false alarms still +2 (threshold 2.88 against main's 3.32) and English recall −4 for no
/// fewer English false alarms; `model.bin` is main's, and running this trainer replaces it with
/// that candidate.
const MODEL_FALSE_ALARMS_BY_LANGUAGE: &[(&str, f64)] = &[("de", 0.01), ("en", 0.01)];
/// One threshold per language, compared with `CRISIS_PER_LANGUAGE=1` (crisis18i round) and not
/// taken: each language's own cut *lowered* German's threshold (0.55 against 1.89 for the
/// family at the budget 0.06; 0.12 at 0.08), because the family's cut was set by Dutch, not
/// German; out of fold on `heldout7/` and `heldout8/` it raised German false alarms by two to
/// four texts per set at the budgets 0.06 and 0.08 (see `benches/README.md`, crisis18i round).
const PER_LANGUAGE: &[&[&str]] = &[&["de"], &["da"], &["en"], &["nl"], &["es"], &["ro"], &["bg"]];
/// Most false alarms per language on the calibration sets' out-of-fold scores (the target is
/// 5 %; a point below it is kept as a margin for texts unlike the seen ones).
const MAX_FALSE_ALARMS: f64 = 0.04;
/// The false alarms the model's own reading may add per language on the calibration sets
/// (out of fold), whatever the rules' fixed alarms already take of [`MAX_FALSE_ALARMS`]. Without
/// it, a language whose rules' `high` findings alone raise 4 % false alarms (de, da, en since
/// `train/`'s hard ordinary texts are a calibration set) leaves the model no room at all: its
/// threshold goes above every ordinary text's score, and it sets aside the rules' `concern`
/// findings on crisis texts as well (crisis18f round: 5.56 instead of 3.32; recall fell on
/// every set). 0.02 in the crisis18f round; 0.08 since the crisis18h round, which added
/// `heldout7/` and `heldout8/` (hard ordinary texts on which the rules alone raise 10–30 %) to
/// the calibration sets: chosen among 0, 0.04, 0.06, 0.08 and 0.10 by the out-of-fold figures of
/// `heldout7/` and `heldout8/` against main's model on them (main saw neither): 0.08 held recall
/// in 13 of the 14 set-languages (0.06: 11, 0.04: 8, 0: 2) at about main's false alarms there
/// (0.10 held all 14 but raised 40 points more false alarms over them). See `benches/README.md`,
/// crisis18h round. The model trained with it was **not kept** (on `heldout9/` recall rose in
/// every language, but German false alarms rose by three texts, and the round's keep rule allowed
/// one): `model.bin` is still main's (99bfe2a, crisis18b round: trained before this budget
/// existed, without `heldout7/`, `heldout8/` or `train/`), so running this trainer replaces it
/// with that candidate. 0.06 since the crisis18i round (with short everyday posts in `train/`,
/// the floor [`model::MIN_ALONE_WORDS`] and those posts out of the budget): chosen among 0,
/// 0.02, 0.04, 0.06, 0.07 and 0.08, with families and per language, as the one finding the most
/// texts out of fold on `heldout7/` and `heldout8/` against main's model (which saw neither)
/// while raising no set-language's false alarms there by more than one text — the round's keep
/// rule applied to the seen sets (0.06: 23 texts more, 4 false alarms fewer; 0.07: one
/// set-language +2; 0.08: two). The model trained with it was **not kept** either (on
/// `heldout9/` 169 instead of 134 crisis texts found, but German false alarms +4 and English and
/// Romanian +2; the keep rule allowed one): `model.bin` is still main's, and running this trainer
/// replaces it with that candidate. `CRISIS_MODEL_ALARMS` overrides it when trying others.
const MODEL_FALSE_ALARMS: f64 = 0.06;
/// Most crisis texts below `imminent` the `imminent` head may raise (out-of-fold);
/// `CRISIS_RAISED_NOT_IMMINENT` overrides it when trying others. 0.10 until the crisis18m round;
/// 0.20 since: imminent texts were rated imminent in only 9–44 % of fresh sets' cases, and a
/// crisis text rated one level too high costs triage order, not a false alarm (out of fold on
/// `heldout7/` to `heldout11/` and `train2/`: 68 % of imminent texts rated imminent at 0.20).
const RAISED_NOT_IMMINENT: f64 = 0.20;
/// Hash buckets of the trained model (crisis18n round; the library's default is 2^15): the
/// crisis18m round's candidate, trained with 2^16 buckets and [`EPOCHS`] passes (590 KB), found
/// 172 instead of 140 of `heldout12/`'s 220 crisis texts; it was not kept for one Dutch false
/// alarm. Twice the buckets halve the collisions between the n-grams of seven languages.
const BUCKETS: u32 = 1 << 16;
/// Passes over the training texts (the library's default is 5; see [`BUCKETS`]).
const EPOCHS: u32 = 10;
/// Margins for the model alone whose out-of-fold figures are printed (to choose
/// [`model::ALONE_MARGIN`] on the seen sets).
const MARGINS_TRIED: [f32; 6] = [0.0, 0.25, 0.5, 0.75, 1.0, 1.5];
/// The offsets tried for the rules' `concern` and `high`.
const OFFSETS: [f32; 13] = [0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0, 3.5, 4.0, 5.0, 6.0, 8.0, 12.0];

/// One seen text with what the rules say of it.
struct Seen {
    sample: Sample,
    set: usize,
    rules: Option<CrisisLevel>,
    /// The rules set a match aside and found nothing: the model's own reading is not taken
    /// (the detector leaves the rules' context standing over the model).
    aside_only: bool,
    /// The rules found nothing and the text has fewer than [`model::MIN_ALONE_WORDS`] words: the
    /// model alone never raises it (the detector's floor), so it is no false alarm the model
    /// could make and is left out of the budget.
    too_short: bool,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let seen = read_seen(root)?;
    let examples: Vec<Example> = seen
        .iter()
        .map(|s| Example {
            features: model::text_features(&s.sample.text),
            crisis: s.sample.crisis,
            level: s.sample.level,
            category: s.sample.category,
        })
        .collect();

    let mut scores = vec![(0f32, 0f32); seen.len()];
    for (set, name) in SEEN_SETS.iter().enumerate() {
        let train: Vec<Example> =
            examples.iter().zip(&seen).filter(|(_, s)| s.set != set).map(|(e, _)| e.clone()).collect();
        let m = model::train(&train, Training { heads: 2, ..settings() });
        for (i, e) in examples.iter().enumerate().filter(|(i, _)| seen[*i].set == set) {
            scores[i] = (m.score(0, &e.features), m.score(1, &e.features));
        }
        println!("left out {name}: scored {} texts", seen.iter().filter(|s| s.set == set).count());
    }

    let stacking = fit_stacking(&seen, &scores);
    let imminent = imminent_threshold(&seen, &scores);
    report(&seen, &scores, &stacking, imminent);
    for margin in MARGINS_TRIED {
        margin_summary(&seen, &scores, &stacking, margin);
    }

    let mut final_model = model::train(&examples, settings());
    final_model.heads[0].threshold = stacking.thresholds.iter().map(|(_, t)| *t).fold(f32::MIN, f32::max);
    final_model.heads[1].threshold = imminent;
    println!("stacking {stacking:?}, imminent threshold {imminent:.3}");
    final_model.stacking = Some(stacking);
    let out = root.join("src/moderation/crisis/model.bin");
    std::fs::write(&out, final_model.to_bytes())?;
    println!("wrote {}", out.display());
    Ok(())
}

fn read_seen(root: &Path) -> Result<Vec<Seen>, Box<dyn std::error::Error>> {
    let mut seen = Vec::new();
    for (set, name) in SEEN_SETS.iter().enumerate() {
        let mut files: Vec<_> = std::fs::read_dir(root.join("tests/data/crisis").join(name))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
            .collect();
        files.sort();
        for path in files {
            for sample in eval::read_samples(&std::fs::read_to_string(&path)?)? {
                let found = rules_detector().detect(&sample.text, &sample.language);
                let aside_only = found.level.is_none() && !found.set_aside.is_empty();
                let too_short = found.level.is_none() && model::word_count(&sample.text) < model::MIN_ALONE_WORDS;
                seen.push(Seen { sample, set, rules: found.level, aside_only, too_short });
            }
        }
    }
    Ok(seen)
}

/// The training settings: [`BUCKETS`] and [`EPOCHS`] with the other defaults, or `CRISIS_L2`,
/// `CRISIS_EPOCHS`, `CRISIS_RATE` and `CRISIS_BUCKETS` (a power of two) from the environment when
/// trying others (say so in the commit if `model.bin` was trained so).
fn settings() -> Training {
    let get = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<f32>().ok());
    let base = Training { buckets: BUCKETS, epochs: EPOCHS, ..Training::default() };
    Training {
        buckets: get("CRISIS_BUCKETS").map_or(base.buckets, |b| (b as u32).next_power_of_two()),
        l2: get("CRISIS_L2").unwrap_or(base.l2),
        epochs: get("CRISIS_EPOCHS").map_or(base.epochs, |e| e as u32),
        rate: get("CRISIS_RATE").unwrap_or(base.rate),
        ..base
    }
}

/// What the rules' level adds to the score; `alone` is subtracted when they found nothing (the
/// detector's [`model::ALONE_MARGIN`]; the stacking is fitted with 0).
fn offset(rules: Option<CrisisLevel>, concern: f32, high: f32, alone: f32) -> f32 {
    match rules {
        Some(CrisisLevel::Concern) => concern,
        Some(CrisisLevel::High) => high,
        Some(CrisisLevel::Imminent) => 0.0,
        None => -alone,
    }
}

/// The rules' findings the model never sets aside (the detector's `may_overrule`: only a
/// `concern` may be): `high` and `imminent`.
fn fixed(rules: Option<CrisisLevel>) -> bool {
    matches!(rules, Some(CrisisLevel::High | CrisisLevel::Imminent))
}

/// Whether the detector would flag a seen text at this threshold: the rules' `high` and
/// `imminent` always, otherwise the score with the rules' offset above the threshold (unless
/// the rules set a match aside and found nothing).
fn flagged(s: &Seen, score: f32, concern: f32, high: f32, threshold: f32, alone: f32) -> bool {
    fixed(s.rules) || (!s.aside_only && !s.too_short && score + offset(s.rules, concern, high, alone) > threshold)
}

/// The margin the out-of-fold report applies to the model alone: `CRISIS_ALONE_MARGIN` when
/// trying others, else the detector's.
fn alone_margin() -> f32 {
    std::env::var("CRISIS_ALONE_MARGIN").ok().and_then(|v| v.parse().ok()).unwrap_or(model::ALONE_MARGIN)
}

/// The model's own alarm budget for `language`: [`MODEL_FALSE_ALARMS_BY_LANGUAGE`], else
/// [`MODEL_FALSE_ALARMS`]. When trying others, `CRISIS_MODEL_ALARMS_BY_LANGUAGE` (`de=0.02,en=0.02`;
/// replaces the list) and `CRISIS_MODEL_ALARMS` (the rest) override them.
fn model_false_alarms(language: &str) -> f64 {
    let own = match std::env::var("CRISIS_MODEL_ALARMS_BY_LANGUAGE") {
        Ok(v) => v.split(',').find_map(|pair| {
            let (l, b) = pair.split_once('=')?;
            if l.trim() == language { b.trim().parse().ok() } else { None }
        }),
        Err(_) => MODEL_FALSE_ALARMS_BY_LANGUAGE.iter().find(|(l, _)| *l == language).map(|(_, b)| *b),
    };
    own.or_else(|| std::env::var("CRISIS_MODEL_ALARMS").ok().and_then(|v| v.parse().ok())).unwrap_or(MODEL_FALSE_ALARMS)
}

/// The lowest threshold at which no language of `family` raises more than [`MAX_FALSE_ALARMS`]
/// false alarms on the calibration sets, or, where the rules' fixed alarms already take that,
/// more than [`MODEL_FALSE_ALARMS`] of the model's own.
fn family_threshold(seen: &[Seen], scores: &[(f32, f32)], family: &[String], concern: f32, high: f32) -> f32 {
    let mut threshold = f32::MIN;
    for language in family {
        let ordinary: Vec<usize> =
            calibration(seen).filter(|&i| !seen[i].sample.crisis && seen[i].sample.language == *language).collect();
        let fixed_alarms = ordinary.iter().filter(|&&i| fixed(seen[i].rules)).count();
        let allowed = (MAX_FALSE_ALARMS * ordinary.len() as f64).floor() as usize;
        let mut free: Vec<f32> = ordinary
            .iter()
            .filter(|&&i| !fixed(seen[i].rules) && !seen[i].aside_only)
            .map(|&i| scores[i].0 + offset(seen[i].rules, concern, high, 0.0))
            .collect();
        free.sort_by(|a, b| b.total_cmp(a));
        let model_room = (model_false_alarms(language) * ordinary.len() as f64).floor() as usize;
        let room = allowed.saturating_sub(fixed_alarms).max(model_room);
        let cut = free.get(room).copied().unwrap_or(f32::MIN);
        threshold = threshold.max(cut);
    }
    threshold
}

fn calibration(seen: &[Seen]) -> impl Iterator<Item = usize> + '_ {
    (0..seen.len()).filter(|&i| !FITTED_SETS.contains(&SEEN_SETS[seen[i].set]) && !seen[i].too_short)
}

/// The language families sharing a threshold: [`FAMILIES`], [`PER_LANGUAGE`] with
/// `CRISIS_PER_LANGUAGE=1`, or `CRISIS_FAMILIES` (`de|en|da,nl|es,ro|bg`: `|` between families,
/// `,` within one) when trying others.
fn families() -> Vec<Vec<String>> {
    let own = |families: &[&[&str]]| families.iter().map(|f| f.iter().map(|l| l.to_string()).collect()).collect();
    if let Ok(spec) = std::env::var("CRISIS_FAMILIES") {
        return spec.split('|').map(|f| f.split(',').map(|l| l.trim().to_string()).collect()).collect();
    }
    if std::env::var_os("CRISIS_PER_LANGUAGE").is_some() { own(PER_LANGUAGE) } else { own(FAMILIES) }
}

fn fit_stacking(seen: &[Seen], scores: &[(f32, f32)]) -> Stacking {
    let families = families();
    let mut best: Option<(f64, Stacking)> = None;
    for &concern in &OFFSETS {
        for &high in OFFSETS.iter().filter(|&&h| h >= concern) {
            let thresholds: Vec<(String, f32)> = families
                .iter()
                .flat_map(|family| {
                    let t = family_threshold(seen, scores, family, concern, high);
                    family.iter().map(move |l| (l.to_string(), t))
                })
                .collect();
            let mut recall = 0.0;
            for (language, t) in &thresholds {
                let crisis: Vec<usize> = calibration(seen)
                    .filter(|&i| seen[i].sample.crisis && seen[i].sample.language == *language)
                    .collect();
                let found = crisis.iter().filter(|&&i| flagged(&seen[i], scores[i].0, concern, high, *t, 0.0)).count();
                recall += found as f64 / crisis.len().max(1) as f64;
            }
            if best.as_ref().is_none_or(|b| recall > b.0 + 1e-9) {
                best = Some((recall, Stacking { concern, high, thresholds }));
            }
        }
    }
    best.expect("at least one offset pair").1
}

fn imminent_threshold(seen: &[Seen], scores: &[(f32, f32)]) -> f32 {
    let mut lower: Vec<f32> = (0..seen.len())
        .filter(|&i| seen[i].sample.crisis && seen[i].sample.level != Some(CrisisLevel::Imminent))
        .map(|i| scores[i].1)
        .collect();
    lower.sort_by(|a, b| b.total_cmp(a));
    let share =
        std::env::var("CRISIS_RAISED_NOT_IMMINENT").ok().and_then(|v| v.parse().ok()).unwrap_or(RAISED_NOT_IMMINENT);
    lower.get((share * lower.len() as f64) as usize).copied().unwrap_or(0.0)
}

fn report(seen: &[Seen], scores: &[(f32, f32)], stacking: &Stacking, imminent: f32) {
    let alone = alone_margin();
    println!("model alone must pass its threshold by {alone:.2}");
    let mut rows: BTreeMap<(usize, &str), [u32; 8]> = BTreeMap::new();
    for (i, s) in seen.iter().enumerate() {
        let language = s.sample.language.as_str();
        let t = stacking.thresholds.iter().find(|(l, _)| l == language).map_or(f32::MAX, |(_, t)| *t);
        let m = flagged(s, scores[i].0, stacking.concern, stacking.high, t, alone);
        let rated_imminent = s.rules == Some(CrisisLevel::Imminent) || (m && scores[i].1 > imminent);
        if !s.sample.crisis && m && std::env::var("CRISIS_LIST_RAISED").is_ok_and(|v| v == SEEN_SETS[s.set]) {
            println!("raised out of fold: {} {language} line {}: {}", SEEN_SETS[s.set], s.sample.line, s.sample.text);
        }
        let row = rows.entry((s.set, language)).or_default();
        if s.sample.crisis {
            row[0] += 1;
            row[1] += u32::from(s.rules.is_some());
            row[2] += u32::from(m);
        } else {
            row[3] += 1;
            row[4] += u32::from(s.rules.is_some());
            row[5] += u32::from(m);
        }
        if s.sample.level == Some(CrisisLevel::Imminent) {
            row[6] += 1;
            row[7] += u32::from(rated_imminent);
        }
    }
    println!("out-of-fold (leave one set out): rules alone | rules and model");
    for ((set, language), r) in rows {
        let pct = |a: u32, b: u32| 100.0 * f64::from(a) / f64::from(b.max(1));
        println!(
            "{} {language}: recall {:.1} % | {:.1} %, false alarms {:.1} % | {:.1} %, imminent rated imminent {:.1} %",
            SEEN_SETS[set],
            pct(r[1], r[0]),
            pct(r[2], r[0]),
            pct(r[4], r[3]),
            pct(r[5], r[3]),
            pct(r[7], r[6])
        );
    }
}

/// Out-of-fold recall and false alarms per language over the calibration sets together when
/// the model alone must pass its threshold by `margin`, and how many texts the model alone
/// raised (crisis and ordinary).
fn margin_summary(seen: &[Seen], scores: &[(f32, f32)], stacking: &Stacking, margin: f32) {
    let mut rows: BTreeMap<&str, [u32; 6]> = BTreeMap::new();
    for i in calibration(seen) {
        let s = &seen[i];
        let language = s.sample.language.as_str();
        let t = stacking.thresholds.iter().find(|(l, _)| l == language).map_or(f32::MAX, |(_, t)| *t);
        let m = flagged(s, scores[i].0, stacking.concern, stacking.high, t, margin);
        let alone = m && s.rules.is_none();
        let row = rows.entry(language).or_default();
        let k = if s.sample.crisis { 0 } else { 3 };
        row[k] += 1;
        row[k + 1] += u32::from(m);
        row[k + 2] += u32::from(alone);
    }
    let pct = |a: u32, b: u32| 100.0 * f64::from(a) / f64::from(b.max(1));
    let line: Vec<String> = rows
        .iter()
        .map(|(l, r)| format!("{l} {:.1}/{:.1} (alone {}/{})", pct(r[1], r[0]), pct(r[4], r[3]), r[2], r[5]))
        .collect();
    println!("margin {margin:.2}, calibration sets out of fold, recall/false alarms %: {}", line.join(", "));
}
