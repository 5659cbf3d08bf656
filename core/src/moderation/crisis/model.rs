//! A small linear model beside the rules: logistic regression over hashed word unigrams, word
//! bigrams and character 4-grams of the folded text (the same folding as the rules), 2^15
//! buckets per head (295 KB for its nine heads, one byte per weight, compiled into the binary:
//! no network, no download). Trained on the sets already seen (`core/tests/data/crisis/`
//! `tune/` and `heldout/` to `heldout6/`; never a later held-out set) by
//! `core/examples/crisis_model.rs`, with a leave-one-set-out cross-validation that fits how it
//! and the rules decide together ([`Stacking`]); retrain with
//! `cargo build --workspace --exclude trialog-py --example crisis_model && target/debug/examples/crisis_model`.
//! Training is deterministic (a fixed shuffle): the same texts give the same file.
//!
//! Why beside the rules: the rules know phrases; on texts written in other words than the
//! tuning texts they found about two thirds of the crisis texts, and matched idioms, courses and
//! recovery stories their cues did not know. Character n-grams carry inflections, typos and
//! compounds the rules never listed, and the words around a match. The combination (with the
//! stacking section of `model.bin`):
//!
//! - the rules' `imminent` findings stand as they are (a plan, the means, a farewell, a time:
//!   high-precision signs the model never weighs);
//! - when the rules found a `concern` or `high`, the `crisis` head's score plus the offset for
//!   that level must pass the threshold of the text's language (one per language family,
//!   chosen so that no seen language raised more than 4 % false alarms out of fold); below it,
//!   the rules' findings are set aside with the scores in their reason, so a moderator still
//!   sees them;
//! - when the rules found nothing, the part scored has at least [`MIN_ALONE_WORDS`] words and
//!   the score passes the threshold by [`ALONE_MARGIN`], the text is a `concern`
//!   (raised to `imminent` by a time cue or the `imminent` head), in the category whose head
//!   scores highest;
//! - when the rules found something below `imminent`, the `imminent` head may raise it;
//! - when the rules set a match aside in the part the model scored (an idiom, a course, a past
//!   crisis told as recovery), the model does not overrule them;
//! - when the sentences of the words that weighed most tell the past and the text tells recovery
//!   (the rules' cues, without "again"), the reading is set aside as a past crisis told as
//!   recovery, as a rule's match would be.
//!
//! A weight file without a stacking section (`TCM1`, or a model trained by [`train`] alone) only
//! adds to the rules and never sets a finding aside.
//!
//! Its reason names the n-grams that weighed most, so a moderator sees why.
//!
//! A text of up to [`WHOLE_TEXT_WORDS`] words is scored as a whole (the training texts are that
//! long); a longer one sentence by sentence, and its highest sentence counts, so that one
//! crisis sentence in a long post is not diluted and a long ordinary post does not add up to
//! an alarm.

use std::ops::Range;

use super::{CrisisCategory, CrisisLevel};
use crate::error::{Error, Result};
use crate::fnv::{self, more as fnv_more};
use crate::moderation::words::Skeleton;

/// The weights trained by `core/examples/crisis_model.rs`.
pub const MODEL_BYTES: &[u8] = include_bytes!("model.bin");

/// Texts up to this many words are scored whole; longer ones sentence by sentence.
pub const WHOLE_TEXT_WORDS: usize = 60;

const MAGIC: &[u8; 4] = b"TCM1";
/// A weight file with a [`Stacking`] section after the heads.
const MAGIC_STACKED: &[u8; 4] = b"TCM2";
/// Most per-language thresholds a weight file may carry.
const MAX_LANGUAGES: usize = 64;

/// What the model alone must pass its language's threshold by when the rules found nothing,
/// with a stacking section (subtracted from its score; the thresholds are fitted without it).
/// Why: the thresholds are fitted on out-of-fold scores of the seen sets, and on texts unlike
/// them (song lyrics, fiction, a relative's everyday question about a clinic) the model alone
/// raised three to four times the false alarms it raised out of fold, while a rule's match is
/// evidence of its own. Chosen on the trainer's out-of-fold figures of the seen sets (see
/// `core/examples/crisis_model.rs`, `CRISIS_ALONE_MARGIN`), never on an unseen held-out set.
pub const ALONE_MARGIN: f32 = 0.0;

/// Fewest words the part the model scored must have for the model alone (the rules found
/// nothing) to raise it. Why: the model was trained on sentences; on a post of one to three
/// words its score is the weights of those few words and their character n-grams, so one
/// everyday word decides. The crisis18h candidate rated the one-word forum title "gleich" ("right
/// away") an imminent crisis by the model alone (its time cue made it imminent). Short posts
/// ("danke!", "bin dabei", "ok, mache ich", a thread title) are most of what users write, and
/// a crisis said in three words or fewer ("kms", "will nicht mehr", "I want out") is the rules'
/// to find: their phrases are explicit evidence, whatever the length. Four, because the shortest
/// crisis sentences the model reads in the evaluation sets ("I want to die", "ich will nicht
/// mehr leben") have four words or more, and the short everyday posts of `train/` have at most
/// four; the trainer leaves posts under this floor out of its false-alarm budget (they can never
/// be the model's alarm, so they would only dilute it).
pub const MIN_ALONE_WORDS: usize = 4;

/// The words of `text` the model counts (the same folding as its features).
pub fn word_count(text: &str) -> usize {
    crate::moderation::words::skeleton(text).spans.len()
}

/// What one head of the model predicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Head {
    /// A crisis text rather than an ordinary one.
    Crisis,
    /// An imminent crisis text rather than any other text.
    Imminent,
    /// A crisis text of this category (one head per category, the highest wins).
    Category(CrisisCategory),
}

/// The heads in the order the weight file stores them.
pub const HEADS: [Head; 9] = [
    Head::Crisis,
    Head::Imminent,
    Head::Category(CrisisCategory::PassiveDeathWish),
    Head::Category(CrisisCategory::SuicidalThoughts),
    Head::Category(CrisisCategory::MethodOrMeans),
    Head::Category(CrisisCategory::IntentOrPlan),
    Head::Category(CrisisCategory::PreparationOrFarewell),
    Head::Category(CrisisCategory::SelfHarm),
    Head::Category(CrisisCategory::ThirdParty),
];

/// One head's weights: `score = bias + scale * Σ weights[feature]`, a hit when `score > threshold`.
#[derive(Debug, Clone, PartialEq)]
pub struct HeadWeights {
    pub bias: f32,
    pub scale: f32,
    pub threshold: f32,
    pub weights: Vec<i8>,
}

/// How the `crisis` head and the rules decide together (fitted by the trainer on out-of-fold
/// scores of texts the model did not see, leave-one-set-out): a text is a crisis when the rules
/// rate it `imminent`, or when the head's score plus the offset of the rules' level (none,
/// `concern`, `high`) is above its language's threshold. So the rules' match counts as evidence
/// the model weighs with the whole text, and the model alone reads what no rule says.
#[derive(Debug, Clone, PartialEq)]
pub struct Stacking {
    /// Added to the score when the rules' highest finding is a `concern`.
    pub concern: f32,
    /// Added to the score when the rules' highest finding is `high`.
    pub high: f32,
    /// The `crisis` head's threshold per language (ISO 639-1; one per language family, written
    /// out per language); a language not listed uses the head's own threshold.
    pub thresholds: Vec<(String, f32)>,
}

/// The model: one weight vector per head over the same hashed features.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub buckets: u32,
    pub heads: Vec<HeadWeights>,
    /// With a stacking section the model may set aside a rule's match below `imminent` (see
    /// [`Stacking`]); without one it only adds to the rules.
    pub stacking: Option<Stacking>,
}

/// One feature of a text: its hash and the words (indexes into the skeleton) it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Feature {
    pub hash: u64,
    pub first: u32,
    pub last: u32,
}

/// What the model says about a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Verdict {
    /// The `crisis` head's score (log-odds) over the best-scoring part, the offset the rules'
    /// level adds to it ([`Stacking`]; 0 without), and the threshold their sum must pass.
    pub score: f32,
    pub offset: f32,
    pub threshold: f32,
    pub crisis: bool,
    pub imminent: bool,
    /// The category head that scores highest (worked out only for a crisis; `suicidal_thoughts`
    /// otherwise).
    pub category: CrisisCategory,
    /// The words of the highest-scoring part (indexes into the skeleton).
    pub words: Range<usize>,
    /// The features that weighed most towards crisis, with their weight, highest first (empty
    /// when the part is not a crisis).
    pub top: Vec<(Feature, f32)>,
}

fn fnv(parts: &[&[u8]]) -> u64 {
    parts.iter().fold(fnv::START, |hash, part| fnv_more(hash, part))
}

/// The features of the skeleton's words in `range`: each word, each pair of neighbouring words
/// in one sentence, and each 4-character window of a word padded with `^` and `$`.
pub(crate) fn features(skeleton: &Skeleton, range: Range<usize>, out: &mut Vec<Feature>) {
    let word = |i: usize| {
        let span = skeleton.spans[i];
        &skeleton.text[span.0 as usize..span.1 as usize]
    };
    let (unigram, bigram, gram) = (fnv(&[b"u"]), fnv(&[b"b"]), fnv(&[b"c"]));
    let padded = fnv_more(gram, b"^");
    // Character offsets of a word that is not ASCII (an ASCII word's are its byte offsets).
    let mut offsets: Vec<usize> = Vec::with_capacity(32);
    for i in range.clone() {
        let text = word(i);
        let w = text.as_bytes();
        let at = i as u32;
        out.push(Feature { hash: fnv_more(unigram, w), first: at, last: at });
        if i + 1 < range.end {
            let hash = fnv_more(fnv_more(fnv_more(bigram, w), b" "), word(i + 1).as_bytes());
            out.push(Feature { hash, first: at, last: at + 1 });
        }
        offsets.clear();
        let chars = if text.is_ascii() {
            text.len()
        } else {
            offsets.extend(text.char_indices().map(|(o, _)| o));
            offsets.push(text.len());
            offsets.len() - 1
        };
        let offset = |k: usize| if offsets.is_empty() { k } else { offsets[k] };
        // Padded positions 0 ('^') ..= chars + 1 ('$'); a window covers four of them.
        let windows = (chars + 2).saturating_sub(3).max(1);
        for start in 0..windows {
            let end = (start + 4).min(chars + 2);
            let from = offset(start.saturating_sub(1).min(chars));
            let to = offset((end - 1).min(chars));
            let mut hash = fnv_more(if start == 0 { padded } else { gram }, &w[from..to]);
            if end == chars + 2 {
                hash = fnv_more(hash, b"$");
            }
            out.push(Feature { hash, first: at, last: at });
        }
    }
}

/// The features of a whole text, as a training text gives them.
pub fn text_features(text: &str) -> Vec<Feature> {
    let skeleton = crate::moderation::words::skeleton(text);
    let mut out = Vec::new();
    features(&skeleton, 0..skeleton.spans.len(), &mut out);
    out
}

impl Model {
    /// Reads a weight file; a malformed one is `InvalidInput` naming `model`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model> {
        let fail = |reason: &str| Error::invalid("model", reason.to_string());
        let mut at = 0usize;
        let mut take = |n: usize| -> Result<&[u8]> {
            let part = bytes.get(at..at + n).ok_or_else(|| fail("the weight file ends early"))?;
            at += n;
            Ok(part)
        };
        let magic = take(4)?;
        let stacked = magic == MAGIC_STACKED;
        if magic != MAGIC && !stacked {
            return Err(fail("not a crisis model weight file (TCM1 or TCM2)"));
        }
        let u32_at = |b: &[u8]| u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let buckets = u32_at(take(4)?);
        let heads = u32_at(take(4)?) as usize;
        if heads != HEADS.len() || !(1..=1 << 22).contains(&buckets) || !buckets.is_power_of_two() {
            return Err(fail("the weight file's heads or buckets (a power of two) are not this model's"));
        }
        let mut out = Vec::with_capacity(heads);
        for _ in 0..heads {
            let f = |b: &[u8]| f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
            let (bias, scale, threshold) = (f(take(4)?), f(take(4)?), f(take(4)?));
            let weights = take(buckets as usize)?.iter().map(|b| *b as i8).collect();
            out.push(HeadWeights { bias, scale, threshold, weights });
        }
        let stacking = if stacked { Some(read_stacking(&mut take)?) } else { None };
        if at != bytes.len() {
            return Err(fail("the weight file has bytes after the last head"));
        }
        Ok(Model { buckets, heads: out, stacking })
    }

    /// The weight file.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(12 + self.heads.len() * (12 + self.buckets as usize));
        out.extend_from_slice(if self.stacking.is_some() { MAGIC_STACKED } else { MAGIC });
        out.extend_from_slice(&self.buckets.to_le_bytes());
        out.extend_from_slice(&(self.heads.len() as u32).to_le_bytes());
        for head in &self.heads {
            for v in [head.bias, head.scale, head.threshold] {
                out.extend_from_slice(&v.to_le_bytes());
            }
            out.extend(head.weights.iter().map(|w| *w as u8));
        }
        if let Some(stacking) = &self.stacking {
            out.extend_from_slice(&stacking.concern.to_le_bytes());
            out.extend_from_slice(&stacking.high.to_le_bytes());
            out.extend_from_slice(&(stacking.thresholds.len() as u32).to_le_bytes());
            for (language, threshold) in &stacking.thresholds {
                let mut code = [b' '; 2];
                for (slot, byte) in code.iter_mut().zip(language.bytes()) {
                    *slot = byte;
                }
                out.extend_from_slice(&code);
                out.extend_from_slice(&threshold.to_le_bytes());
            }
        }
        out
    }

    /// The `crisis` head's threshold for a text in `language` ([`Stacking`]).
    pub fn threshold(&self, language: &str) -> f32 {
        let own = self.stacking.as_ref().and_then(|s| s.thresholds.iter().find(|(l, _)| l == language));
        own.map_or(self.heads[0].threshold, |(_, t)| *t)
    }

    /// What the rules' level adds to the `crisis` head's score ([`Stacking`]; 0 without one):
    /// minus [`ALONE_MARGIN`] when the rules found nothing.
    pub fn offset(&self, rules: Option<CrisisLevel>) -> f32 {
        match (&self.stacking, rules) {
            (Some(_), None) => -ALONE_MARGIN,
            (Some(s), Some(CrisisLevel::Concern)) => s.concern,
            (Some(s), Some(CrisisLevel::High)) => s.high,
            _ => 0.0,
        }
    }

    /// The weight of a feature: the buckets are a power of two, so a mask (the same as the
    /// trainer's remainder) instead of a division.
    fn bucket(&self, feature: &Feature) -> usize {
        (feature.hash & u64::from(self.buckets - 1)) as usize
    }

    /// One head's score (log-odds) over these features.
    pub fn score(&self, head: usize, features: &[Feature]) -> f32 {
        let weights = &self.heads[head];
        let sum: i32 = features.iter().map(|f| i32::from(weights.weights[self.bucket(f)])).sum();
        weights.bias + weights.scale * sum as f32
    }

    /// The model's reading of a text in `language` that the rules rated `rules`: scored whole
    /// when short, otherwise by sentence (see the module documentation). `sentence` gives each
    /// word's sentence.
    pub(crate) fn judge(
        &self,
        skeleton: &Skeleton,
        sentence: &[u32],
        language: &str,
        rules: Option<CrisisLevel>,
    ) -> Option<Verdict> {
        let n = skeleton.spans.len();
        if n == 0 {
            return None;
        }
        let mut parts = Vec::new();
        if n <= WHOLE_TEXT_WORDS {
            parts.push(0..n);
        } else {
            let mut start = 0;
            for i in 1..=n {
                if i == n || sentence[i] != sentence[start] {
                    parts.push(start..i);
                    start = i;
                }
            }
        }
        // Each part is scored on the `crisis` head alone, reusing two feature buffers (the best
        // part's features are kept, not worked out again); the other heads read only the best part, and the category and the weighing words are worked
        // out only when that part is a crisis (a quiet text needs neither).
        let (mut features, mut part_features) = (Vec::new(), Vec::new());
        let mut best: Option<(f32, Range<usize>)> = None;
        for part in parts {
            part_features.clear();
            self::features(skeleton, part.clone(), &mut part_features);
            let score = self.score(0, &part_features);
            if best.as_ref().is_none_or(|b| score > b.0) {
                best = Some((score, part));
                std::mem::swap(&mut features, &mut part_features);
            }
        }
        let (score, words) = best?;
        let (offset, threshold) = (self.offset(rules), self.threshold(language));
        let imminent = self.score(1, &features) > self.heads[1].threshold;
        if score + offset <= threshold {
            let category = CrisisCategory::SuicidalThoughts;
            let top = Vec::new();
            return Some(Verdict { score, offset, threshold, crisis: false, imminent, category, words, top });
        }
        let category = (2..HEADS.len())
            .map(|h| (self.score(h, &features), h))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .and_then(|(_, h)| match HEADS[h] {
                Head::Category(c) => Some(c),
                _ => None,
            })
            .unwrap_or(CrisisCategory::SuicidalThoughts);
        let head = &self.heads[0];
        let mut top: Vec<(Feature, f32)> = features
            .iter()
            .map(|f| (*f, head.scale * f32::from(head.weights[self.bucket(f)])))
            .filter(|(_, w)| *w > 0.0)
            .collect();
        top.sort_by(|a, b| b.1.total_cmp(&a.1));
        top.truncate(12);
        Some(Verdict { score, offset, threshold, crisis: true, imminent, category, words, top })
    }
}

/// Reads the [`Stacking`] section of a `TCM2` weight file.
fn read_stacking<'a>(take: &mut impl FnMut(usize) -> Result<&'a [u8]>) -> Result<Stacking> {
    let f = |b: &[u8]| f32::from_le_bytes([b[0], b[1], b[2], b[3]]);
    let (concern, high) = (f(take(4)?), f(take(4)?));
    let b = take(4)?;
    let count = u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize;
    if count > MAX_LANGUAGES {
        return Err(Error::invalid("model", "the weight file lists too many languages".to_string()));
    }
    let mut thresholds = Vec::with_capacity(count);
    for _ in 0..count {
        let code = take(2)?;
        let language = std::str::from_utf8(code)
            .map_err(|_| Error::invalid("model", "a language code is not text".to_string()))?
            .trim()
            .to_string();
        thresholds.push((language, f(take(4)?)));
    }
    Ok(Stacking { concern, high, thresholds })
}

/// One labelled text for training.
#[derive(Debug, Clone)]
pub struct Example {
    pub features: Vec<Feature>,
    pub crisis: bool,
    pub level: Option<CrisisLevel>,
    pub category: Option<CrisisCategory>,
}

/// Training settings (the defaults are what `model.bin` was trained with).
#[derive(Debug, Clone, Copy)]
pub struct Training {
    /// A power of two.
    pub buckets: u32,
    pub epochs: u32,
    pub rate: f32,
    /// L2 penalty per update.
    pub l2: f32,
    /// Train only the first this many heads (cross-validation needs only `crisis` and `imminent`).
    pub heads: usize,
}

impl Default for Training {
    fn default() -> Self {
        Training { buckets: 1 << 15, epochs: 5, rate: 0.3, l2: 1e-2, heads: HEADS.len() }
    }
}

fn label(head: Head, example: &Example) -> bool {
    match head {
        Head::Crisis => example.crisis,
        Head::Imminent => example.level == Some(CrisisLevel::Imminent),
        Head::Category(c) => example.category == Some(c),
    }
}

/// Trains every head by logistic regression with AdaGrad steps, in a fixed order (the same
/// texts give the same weights), each class weighted by the inverse of its size. A category
/// head learns from crisis texts only. Thresholds are left at 0 (probability ½): the trainer
/// sets the `crisis` head's from cross-validation.
pub fn train(examples: &[Example], settings: Training) -> Model {
    let buckets = settings.buckets as usize;
    let mut heads = Vec::new();
    for (index, head) in HEADS.iter().enumerate() {
        if index >= settings.heads {
            heads.push(HeadWeights { bias: 0.0, scale: 0.0, threshold: f32::MAX, weights: vec![0; buckets] });
            continue;
        }
        let pool: Vec<&Example> = examples.iter().filter(|e| !matches!(head, Head::Category(_)) || e.crisis).collect();
        let positives = pool.iter().filter(|e| label(*head, e)).count().max(1) as f32;
        let negatives = (pool.len() as f32 - positives).max(1.0);
        let (wp, wn) = (pool.len() as f32 / (2.0 * positives), pool.len() as f32 / (2.0 * negatives));
        let mut w = vec![0f32; buckets];
        let mut g2 = vec![1e-6f32; buckets];
        let (mut bias, mut b2) = (0f32, 1e-6f32);
        let mut order: Vec<usize> = (0..pool.len()).collect();
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..settings.epochs {
            for i in (1..order.len()).rev() {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                order.swap(i, (seed >> 33) as usize % (i + 1));
            }
            for &i in &order {
                let example = pool[i];
                let y = label(*head, example);
                let z = bias + example.features.iter().map(|f| w[(f.hash % buckets as u64) as usize]).sum::<f32>();
                let p = 1.0 / (1.0 + (-z).exp());
                let g = (p - if y { 1.0 } else { 0.0 }) * if y { wp } else { wn };
                for f in &example.features {
                    let b = (f.hash % buckets as u64) as usize;
                    let grad = g + settings.l2 * w[b];
                    g2[b] += grad * grad;
                    w[b] -= settings.rate * grad / g2[b].sqrt();
                }
                b2 += g * g;
                bias -= settings.rate * g / b2.sqrt();
            }
        }
        let max = w.iter().fold(0f32, |m, v| m.max(v.abs())).max(1e-6);
        let scale = max / 127.0;
        let weights = w.iter().map(|v| (v / scale).round().clamp(-127.0, 127.0) as i8).collect();
        heads.push(HeadWeights { bias, scale, threshold: 0.0, weights });
    }
    Model { buckets: settings.buckets, heads, stacking: None }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::moderation::words::skeleton;

    fn example(text: &str, crisis: bool) -> Example {
        let s = skeleton(text);
        let mut features = Vec::new();
        self::features(&s, 0..s.spans.len(), &mut features);
        Example {
            features,
            crisis,
            level: crisis.then_some(CrisisLevel::High),
            category: crisis.then_some(CrisisCategory::SuicidalThoughts),
        }
    }

    #[test]
    fn features_cover_words_pairs_and_padded_windows() {
        let s = skeleton("ab cdef");
        let mut out = Vec::new();
        features(&s, 0..2, &mut out);
        // "ab": word, pair, 1 window ("^ab$"); "cdef": word, 3 windows ("^cde", "cdef", "def$").
        assert_eq!(out.len(), 2 + 1 + 1 + 3);
        assert!(out.iter().all(|f| f.last <= 1));
    }

    #[test]
    fn the_weight_file_round_trips_and_bad_files_are_errors() {
        let model = train(
            &[example("ich will sterben", true), example("wir treffen uns", false)],
            Training { buckets: 64, ..Training::default() },
        );
        let bytes = model.to_bytes();
        assert_eq!(Model::from_bytes(&bytes).unwrap(), model);
        let mut stacked = model.clone();
        stacked.stacking =
            Some(Stacking { concern: 1.5, high: 3.0, thresholds: vec![("de".into(), 0.5), ("bg".into(), 1.0)] });
        let stacked_bytes = stacked.to_bytes();
        assert_eq!(Model::from_bytes(&stacked_bytes).unwrap(), stacked);
        assert_eq!(stacked.threshold("bg"), 1.0);
        assert_eq!(stacked.threshold("fr"), stacked.heads[0].threshold);
        assert_eq!(stacked.offset(Some(CrisisLevel::High)), 3.0);
        assert!(Model::from_bytes(&stacked_bytes[..stacked_bytes.len() - 1]).is_err());
        for bad in [&bytes[..10], &bytes[..bytes.len() - 1], b"XXXX\0\0\0\0\0\0\0\0".as_slice()] {
            assert!(matches!(Model::from_bytes(bad), Err(Error::InvalidInput { field, .. }) if field == "model"));
        }
    }

    #[test]
    fn training_separates_what_it_was_shown() {
        let texts = [
            ("ich will nicht mehr leben", true),
            ("ich will sterben heute", true),
            ("am liebsten wäre ich tot", true),
            ("wir treffen uns am montag", false),
            ("das seminar ist voll", false),
            ("die gruppe trifft sich heute", false),
        ];
        let examples: Vec<Example> = texts.iter().map(|(t, c)| example(t, *c)).collect();
        let model = train(&examples, Training { buckets: 1 << 12, ..Training::default() });
        for (text, crisis) in texts {
            let s = skeleton(text);
            let verdict = model.judge(&s, &vec![0; s.spans.len()], "de", None).unwrap();
            assert_eq!(verdict.crisis, crisis, "{text}: {}", verdict.score);
        }
    }

    #[test]
    fn the_committed_model_loads() {
        let model = Model::from_bytes(MODEL_BYTES).unwrap();
        assert_eq!(model.heads.len(), HEADS.len());
        assert!(MODEL_BYTES.len() < 1 << 20, "{} bytes", MODEL_BYTES.len());
    }
}
