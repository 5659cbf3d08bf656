//! Matching the rules against a text, then weighing each match by its context (the steps are
//! listed in the module documentation of [`super`]).

use std::collections::HashMap;
use std::fmt;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use rust_stemmers::Stemmer;
use serde::{Deserialize, Serialize};

use super::model::{MIN_ALONE_WORDS, Model, Verdict};
use super::pieces;
use super::rules::{self, Cue, Element, Form, Rule, Section};
use super::{CrisisCategory, CrisisFinding, CrisisLevel, SHARED_LANGUAGE};
use crate::error::{Error, Result};
use crate::moderation::words::{Skeleton, skeleton};

/// Why a weak sign without another beside it is set aside (the model may still read a crisis
/// over it: this is no knowledge that the words are harmless).
const WEAK_ALONE: &str = "a weak sign alone (it counts only beside another)";

/// Words before a match in which a negation counts.
const NEGATION_REACH: u32 = 3;

/// What the detector found in one text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Detection {
    /// The highest level among the findings; `None` when nothing was found.
    pub level: Option<CrisisLevel>,
    /// The categories found, most urgent first (`third_party` first when someone else is at risk).
    pub categories: Vec<CrisisCategory>,
    pub findings: Vec<CrisisFinding>,
    /// Matches that context set aside (an idiom, a training announcement, a past crisis told as
    /// recovery), with the reason: shown so a moderator can judge the decision.
    pub set_aside: Vec<CrisisFinding>,
}

/// The compiled rules of every language. Cheap to share and safe between threads.
pub struct Detector {
    rules: Vec<Rule>,
    languages: Vec<String>,
    stemmers: Vec<Option<Stemmer>>,
    /// Token id (one word of some rule) → its language's index.
    tokens: Vec<usize>,
    /// Per rule: its elements as token ids and gaps.
    compiled: Vec<Vec<Step>>,
    /// Rules by their first token (indexed by token id).
    by_first: Vec<Vec<Follower>>,
    /// Whole words → the tokens with that exact form.
    exact: HashMap<String, Vec<u32>, WordHash>,
    /// Needles of the other forms, searched in one pass.
    automaton: Option<AhoCorasick>,
    needles: Vec<Vec<(u32, NeedleKind)>>,
    /// The linear model beside the rules (see [`super::model`]), when one is attached.
    model: Option<Model>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Token(u32),
    Gap(u8),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum NeedleKind {
    Stem(String),
    Prefix,
    Suffix,
    Infix,
}

/// One rule matched over words `first..=last`.
#[derive(Debug, Clone, Copy)]
struct Hit {
    rule: usize,
    first: u32,
    last: u32,
    /// Words inside the match that a gap skipped (bit i: word `first + i`).
    skipped: u64,
}

impl Hit {
    fn skips(&self, word: u32) -> bool {
        word > self.first && word - self.first < 64 && self.skipped & (1 << (word - self.first)) != 0
    }
}

/// The words of a text with their sentence and whether they stand inside quotation marks.
pub(super) struct Words<'t> {
    text: &'t str,
    skeleton: Skeleton,
    sentence: Vec<u32>,
    /// Clauses: sentences cut at commas, colons and dashes too.
    clause: Vec<u32>,
    quoted: Vec<bool>,
}

impl fmt::Debug for Detector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Detector").field("rules", &self.rules.len()).field("languages", &self.languages).finish()
    }
}

impl Detector {
    /// Compiles pattern files given as (language, source); a malformed line is `InvalidInput`
    /// naming `pattern`, with the file and line.
    pub fn compile(files: &[(&str, &str)]) -> Result<Detector> {
        let mut builder = Builder::default();
        for (language, source) in files {
            let index = builder.languages.len();
            builder.languages.push(language.to_string());
            builder.stemmers.push(rules::stemmer(language));
            for rule in rules::parse(language, source)? {
                builder.add(rule, index);
            }
        }
        builder.finish()
    }

    /// The same detector with a model beside its rules (see [`super::model`]).
    pub fn with_model(mut self, model: Model) -> Detector {
        self.model = Some(model);
        self
    }

    /// The model beside the rules, if any.
    pub fn model(&self) -> Option<&Model> {
        self.model.as_ref()
    }

    /// How many rules the detector holds, over every language.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The languages with rules.
    pub fn languages(&self) -> &[String] {
        &self.languages
    }

    /// Looks for crisis signs in `text` written in `language` (ISO 639-1).
    pub fn detect(&self, text: &str, language: &str) -> Detection {
        self.detect_with(text, language, self.model.as_ref())
    }

    /// Looks for crisis signs with these rules and the given model (or none): how the model's
    /// trainer measures what the model adds to the rules.
    /// A text longer than [`pieces::PIECE_BYTES`] is read in pieces (see [`pieces`]).
    pub fn detect_with(&self, text: &str, language: &str, model: Option<&Model>) -> Detection {
        if text.len() <= pieces::PIECE_BYTES {
            return self.detect_piece(text, language, model);
        }
        let parts = pieces::pieces(text)
            .into_iter()
            .map(|(offset, piece)| (offset, self.detect_piece(piece, language, model)))
            .collect();
        pieces::merge(parts)
    }

    /// [`Detector::detect`] of a text whose skeleton is already made (the watched words made
    /// it): a text read in pieces makes its pieces' own.
    pub(crate) fn detect_skeleton(&self, text: &str, skeleton: Skeleton, language: &str) -> Detection {
        if text.len() <= pieces::PIECE_BYTES {
            return self.detect_words(Words::of(text, skeleton), language, self.model.as_ref());
        }
        self.detect(text, language)
    }

    fn detect_piece(&self, text: &str, language: &str, model: Option<&Model>) -> Detection {
        self.detect_words(Words::of(text, skeleton(text)), language, model)
    }

    fn detect_words(&self, words: Words<'_>, language: &str, model: Option<&Model>) -> Detection {
        let n = words.skeleton.spans.len();
        if n == 0 {
            return Detection::default();
        }
        let tokens = self.token_hits(&words);
        self.detect_tokens(&words, &tokens, language, model)
    }

    /// The rules matched over the token hits of a text of at least one word, weighed.
    fn detect_tokens(&self, words: &Words<'_>, tokens: &TokenHits, language: &str, model: Option<&Model>) -> Detection {
        let context = self.context_languages(language);
        let mut hits = self.rule_hits(tokens, &context, words.skeleton.spans.len() as u32);
        hits.retain(|h| words.sentence[h.first as usize] == words.sentence[h.last as usize]);
        weigh(self, words, &hits, language, model)
    }

    /// The languages whose idioms and context cues apply to a text in `language`: its own and
    /// English, or all when the language has no rules.
    fn context_languages(&self, language: &str) -> Vec<bool> {
        let language = language.trim().to_ascii_lowercase();
        let known = self.languages.contains(&language);
        self.languages.iter().map(|l| !known || *l == language || l == SHARED_LANGUAGE).collect()
    }

    /// Every (word, token) pair where a word of the text has a form of the token, indexed by
    /// word. A word that several needles of the same language test against a stem is stemmed
    /// once per text ([`Stems`]): common words ("the", "their", "ich") begin many needles.
    fn token_hits(&self, words: &Words<'_>) -> TokenHits {
        let mut cursor = WordCursor::default();
        self.token_hits_locating(words, |spans, start, end| cursor.word_of(spans, start, end))
    }

    /// [`Detector::token_hits`] with the word an automaton hit (start, end) begins in found
    /// by `locate`.
    fn token_hits_locating(
        &self,
        words: &Words<'_>,
        mut locate: impl FnMut(&[(u32, u32, u32, u32)], usize, usize) -> usize,
    ) -> TokenHits {
        let skeleton = &words.skeleton;
        let mut found = Vec::new();
        // The exact forms of the words up to the automaton's, so that the pairs come word by
        // word (what [`TokenHits::new`] indexes fastest).
        let mut exact_done = 0usize;
        let mut exact_up_to = |found: &mut Vec<(u32, u32)>, end: usize| {
            for index in exact_done..end.min(skeleton.spans.len()) {
                let span = skeleton.spans[index];
                if let Some(tokens) = self.exact.get(&skeleton.text[span.0 as usize..span.1 as usize]) {
                    found.extend(tokens.iter().map(|&t| (index as u32, t)));
                }
            }
            exact_done = exact_done.max(end);
        };
        if let Some(automaton) = &self.automaton {
            let mut stems = Stems::default();
            for hit in automaton.find_overlapping_iter(skeleton.text.as_str()) {
                let index = locate(&skeleton.spans, hit.start(), hit.end());
                exact_up_to(&mut found, index + 1);
                let Some(span) = skeleton.spans.get(index) else { continue };
                let (word_start, word_end) = (span.0 as usize, span.1 as usize);
                for (token, kind) in &self.needles[hit.pattern().as_usize()] {
                    let language = self.tokens[*token as usize];
                    let fits = match kind {
                        NeedleKind::Infix => hit.end() <= word_end,
                        NeedleKind::Prefix => hit.start() == word_start,
                        NeedleKind::Suffix => hit.end() == word_end,
                        NeedleKind::Stem(stem) => {
                            hit.start() == word_start
                                && (hit.end() == word_end
                                    || self.stemmers[language].as_ref().is_some_and(|s| {
                                        stems.of(s, language, &skeleton.text[word_start..word_end]) == stem.as_str()
                                    }))
                        }
                    };
                    if fits {
                        found.push((index as u32, *token));
                    }
                }
            }
        }
        exact_up_to(&mut found, skeleton.spans.len());
        TokenHits::new(found, skeleton.spans.len(), self.tokens.len())
    }

    /// Every rule matched in the text, from the token hits.
    /// Crisis rules of every language apply; idioms and cues only in `context` languages.
    /// A rule is followed only when every one of its tokens occurs somewhere in the text: most
    /// rules share a common first word ("ich", "jeg", "I") and miss a later one.
    fn rule_hits(&self, tokens: &TokenHits, context: &[bool], words: u32) -> Vec<Hit> {
        let mut hits = Vec::new();
        for (word, token) in tokens.pairs() {
            for follower in &self.by_first[token as usize] {
                if !follower.crisis && !context[usize::from(follower.language)] {
                    continue;
                }
                if !follower.later.iter().all(|&t| t == NO_TOKEN || tokens.anywhere(t)) {
                    continue;
                }
                let rule = follower.rule as usize;
                if let Some((last, skipped)) = follow(&self.compiled[rule][1..], word, word, 0, tokens, words) {
                    hits.push(Hit { rule, first: word, last, skipped });
                }
            }
        }
        hits
    }

    fn section(&self, hit: &Hit) -> Section {
        self.rules[hit.rule].section
    }
}

/// Matches the rest of a rule after a word at `at`: returns the last word matched and the
/// words skipped by gaps (a bit per word after `first`).
fn follow(steps: &[Step], first: u32, at: u32, gap: u8, tokens: &TokenHits, words: u32) -> Option<(u32, u64)> {
    let Some((step, rest)) = steps.split_first() else {
        return Some((at, 0));
    };
    match *step {
        Step::Gap(more) => follow(rest, first, at, gap + more, tokens, words),
        Step::Token(token) => (at + 1..=(at + 1 + u32::from(gap)).min(words.saturating_sub(1)))
            .filter(|&next| tokens.at(next, token))
            .find_map(|next| {
                let (last, skipped) = follow(rest, first, next, 0, tokens, words)?;
                let mine = (at + 1..next).filter(|w| w - first < 64).fold(0u64, |m, w| m | 1 << (w - first));
                Some((last, skipped | mine))
            }),
    }
}

/// A rule in its first token's list ([`Detector::rule_hits`]): what deciding to follow it
/// needs, in one place, so the loop over the many rules that share a common first word reads
/// no rule itself until one may match.
struct Follower {
    rule: u32,
    /// A crisis rule (they apply in every language); otherwise an idiom or cue.
    crisis: bool,
    language: u16,
    /// Up to three tokens after the first ([`NO_TOKEN`] fills the rest): a rule is followed
    /// only when each occurs somewhere in the text. A longer rule's later tokens are checked
    /// by following it.
    later: [u32; 3],
}

/// No token: the filler of [`Follower::later`].
const NO_TOKEN: u32 = u32::MAX;

impl Follower {
    fn of(rule: u32, r: &Rule, language: usize, steps: &[Step]) -> Follower {
        let mut later = [NO_TOKEN; 3];
        let tokens = steps.iter().skip(1).filter_map(|s| if let Step::Token(t) = s { Some(*t) } else { None });
        for (slot, token) in later.iter_mut().zip(tokens) {
            *slot = token;
        }
        let crisis = matches!(r.section, Section::Crisis { .. });
        Follower { rule, crisis, language: u16::try_from(language).unwrap_or(u16::MAX), later }
    }
}

/// The (word, token) pairs of a text ([`Detector::token_hits`]) indexed for the two questions
/// matching asks many times a text: does word `w` have a form of token `t`, and does any word.
struct TokenHits {
    /// Each word's tokens, ascending and distinct, word after word.
    tokens: Vec<u32>,
    /// Where each word's tokens begin in `tokens` (one more entry than words).
    starts: Vec<u32>,
    /// One bit per token id: whether any word has a form of it.
    seen: Vec<u64>,
}

impl TokenHits {
    /// Indexes the pairs found (in any order, repeats allowed) by word: a counting sort by word
    /// (skipped when they come word by word), then each word's few tokens sorted and
    /// deduplicated — the order a sort of the pairs gives, without sorting them all.
    fn new(pairs: Vec<(u32, u32)>, words: usize, tokens: usize) -> TokenHits {
        let mut starts = vec![0u32; words + 1];
        let mut seen = vec![0u64; tokens.div_ceil(64)];
        for &(word, token) in &pairs {
            starts[word as usize + 1] += 1;
            seen[token as usize / 64] |= 1 << (token % 64);
        }
        for w in 0..words {
            starts[w + 1] += starts[w];
        }
        let mut placed = if pairs.windows(2).all(|p| p[0].0 <= p[1].0) {
            // Already word by word (as [`Detector::token_hits`] gives them): nothing to place.
            pairs.iter().map(|&(_, token)| token).collect()
        } else {
            let mut next = starts.clone();
            let mut placed = vec![0u32; pairs.len()];
            for &(word, token) in &pairs {
                placed[next[word as usize] as usize] = token;
                next[word as usize] += 1;
            }
            placed
        };
        let mut kept = 0usize;
        for w in 0..words {
            let (from, to) = (starts[w] as usize, starts[w + 1] as usize);
            starts[w] = kept as u32;
            placed[from..to].sort_unstable();
            for i in from..to {
                if i == from || placed[i] != placed[i - 1] {
                    placed[kept] = placed[i];
                    kept += 1;
                }
            }
        }
        starts[words] = kept as u32;
        placed.truncate(kept);
        TokenHits { tokens: placed, starts, seen }
    }

    /// Every (word, token) pair, by word, then token.
    fn pairs(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        (0..self.starts.len() - 1).flat_map(move |w| self.of(w as u32).iter().map(move |&t| (w as u32, t)))
    }

    fn of(&self, word: u32) -> &[u32] {
        &self.tokens[self.starts[word as usize] as usize..self.starts[word as usize + 1] as usize]
    }

    fn at(&self, word: u32, token: u32) -> bool {
        self.of(word).contains(&token)
    }

    fn anywhere(&self, token: u32) -> bool {
        self.seen[token as usize / 64] & (1 << (token % 64)) != 0
    }
}

/// Finds the word an automaton hit begins in — the first word ending after the hit's start —
/// without a binary search per hit: the automaton reports hits by their end, so the word its
/// end lies in only moves forward; a needle is one word, so the hit begins in that word too
/// (a binary search settles any hit that does not).
#[derive(Default)]
struct WordCursor {
    /// The first word that does not end before the last hit's end.
    at: usize,
}

impl WordCursor {
    fn word_of(&mut self, spans: &[(u32, u32, u32, u32)], start: usize, end: usize) -> usize {
        while spans.get(self.at).is_some_and(|s| (s.1 as usize) < end) {
            self.at += 1;
        }
        let fits = |i: usize| spans.get(i).is_some_and(|s| s.0 as usize <= start && start < s.1 as usize);
        if fits(self.at) {
            return self.at;
        }
        spans.partition_point(|s| (s.1 as usize) <= start)
    }
}

/// The stems of a text's words, worked out once per word form and language.
#[derive(Default)]
struct Stems<'t> {
    known: HashMap<(usize, &'t str), String, WordHash>,
}

impl<'t> Stems<'t> {
    fn of(&mut self, stemmer: &Stemmer, language: usize, word: &'t str) -> &str {
        self.known.entry((language, word)).or_insert_with(|| stemmer.stem(word).into_owned())
    }
}

/// The detector's maps hash their small keys (words, token ids) with FNV-1a: the standard
/// hasher's defence against chosen collisions costs more than the lookups it guards, and the
/// keys are the rules' own words or a bounded text's.
type WordHash = crate::fnv::Fnv;

impl<'t> Words<'t> {
    fn of(text: &'t str, skeleton: Skeleton) -> Words<'t> {
        let mut sentence = Vec::with_capacity(skeleton.spans.len());
        let mut quoted = Vec::with_capacity(skeleton.spans.len());
        let mut clause = Vec::with_capacity(skeleton.spans.len());
        let (mut current, mut part, mut inside, mut last_end) = (0u32, 0u32, false, 0usize);
        for span in &skeleton.spans {
            let between = text.get(last_end..span.2 as usize).unwrap_or("");
            for c in between.chars() {
                match c {
                    '.' | '!' | '?' | ';' | '\n' => {
                        current += 1;
                        part += 1;
                    }
                    ',' | ':' | '–' | '—' => part += 1,
                    '"' | '„' | '“' | '”' | '«' | '»' => inside = !inside,
                    _ => {}
                }
                if c == '\n' {
                    inside = false;
                }
            }
            sentence.push(current);
            clause.push(part);
            quoted.push(inside);
            last_end = (span.3 as usize).max(last_end);
        }
        Words { text, skeleton, sentence, clause, quoted }
    }

    fn original(&self, first: u32, last: u32) -> (usize, usize) {
        (self.skeleton.spans[first as usize].2 as usize, self.skeleton.spans[last as usize].3 as usize)
    }
}

/// The context of one text: where each cue and idiom matched.
struct Context {
    cues: HashMap<Cue, Vec<Hit>>,
    exceptions: Vec<Hit>,
}

impl Context {
    fn cue(&self, cue: Cue) -> &[Hit] {
        self.cues.get(&cue).map_or(&[], Vec::as_slice)
    }

    fn in_sentence(&self, cue: Cue, words: &Words<'_>, sentence: u32) -> Option<&Hit> {
        self.cue(cue).iter().find(|h| words.sentence[h.first as usize] == sentence)
    }
}

/// A crisis match on its way to a finding.
struct Candidate {
    hit: Hit,
    category: CrisisCategory,
    level: CrisisLevel,
    notes: Vec<String>,
    aside: Option<String>,
    negated: bool,
    /// A sign that counts only beside another ([`confirm_weak`]).
    weak: bool,
}

/// Turns the rule matches into findings (the context steps of the module documentation).
fn weigh(detector: &Detector, words: &Words<'_>, hits: &[Hit], language: &str, model: Option<&Model>) -> Detection {
    let mut context = Context { cues: HashMap::new(), exceptions: Vec::new() };
    let mut candidates = Vec::new();
    for hit in hits {
        match detector.section(hit) {
            Section::Cue(cue) => context.cues.entry(cue).or_default().push(*hit),
            Section::Exception => context.exceptions.push(*hit),
            Section::Crisis { category, level, weak, .. } => candidates.push(Candidate {
                hit: *hit,
                category,
                level,
                weak,
                notes: Vec::new(),
                aside: None,
                negated: false,
            }),
        }
    }
    drop_contained(&mut candidates);
    for candidate in &mut candidates {
        weigh_context(detector, words, &context, candidate);
    }
    weigh_departure(words, &context, &mut candidates);
    confirm_weak(words, &mut candidates);
    raise_means(detector, words, &mut candidates);
    let third_party = context.cue(Cue::ThirdParty).first().map(|h| quote(words, h));
    let mut detection = summarise(detector, words, candidates, third_party.clone());
    if let Some(model) = model
        && detection.level != Some(CrisisLevel::Imminent)
        && let Some(verdict) = model.judge(&words.skeleton, &words.sentence, language, detection.level)
    {
        if model.stacking.is_some() && may_overrule(detection.level) && !verdict.crisis && !bare(words.text, &detection)
        {
            overruled(&verdict, language, &mut detection);
        } else {
            apply_model(words, &context, &verdict, third_party, &mut detection);
        }
    }
    detection
}

/// Whether the model may set the rules' findings at `level` aside: only a `concern`. A `high`
/// finding (an attempt, a plan, a means) stands whatever the model scores: the model was fitted
/// on a few hundred texts per language and set aside "My aunt attempted suicide last night and
/// is in hospital" — a person reading it must be shown help, a false alarm costs a look.
fn may_overrule(level: Option<CrisisLevel>) -> bool {
    level == Some(CrisisLevel::Concern)
}

/// Whether the rules' findings cover the whole text but for spaces and punctuation ("Am liebsten
/// wäre ich tot"): then there is no context for the model to weigh, and a concern it would set
/// aside stands (issue 18 lists that text as one the detector must find; added in the crisis18o
/// round after the kept model set it aside, not chosen on any held-out set).
fn bare(text: &str, detection: &Detection) -> bool {
    let mut covered = vec![false; text.len()];
    for f in &detection.findings {
        let (start, end) = (f.start as usize, f.end as usize);
        covered[start.min(text.len())..end.min(text.len())].fill(true);
    }
    text.char_indices().all(|(i, c)| covered[i] || !c.is_alphanumeric())
}

/// The rules found a `concern` ([`may_overrule`]), and the model, weighing their level with the
/// whole text ([`super::model::Stacking`]), reads no crisis: their findings are set aside with
/// the scores, so a moderator can still see them. Fitted so that this happens on texts like the
/// ordinary ones the rules matched in the evaluation sets (an idiom, a course, a news item or
/// a recovery story the rules' cues did not know); the rules' imminent signs are never weighed.
fn overruled(verdict: &Verdict, language: &str, detection: &mut Detection) {
    let why = format!(
        "; set aside: the model, weighing this match with the whole text, scores {:.2} (with {:.2} for the rules' level), not above {:.2} for '{language}'",
        verdict.score + verdict.offset,
        verdict.offset,
        verdict.threshold
    );
    for mut finding in detection.findings.drain(..) {
        finding.reason.push_str(&why);
        detection.set_aside.push(finding);
    }
    detection.level = None;
    detection.categories.clear();
}

/// What the model adds (see [`super::model`]): a finding when the rules found nothing, or
/// `imminent` for what the rules rated lower. It never lowers or sets aside.
fn apply_model(
    words: &Words<'_>,
    context: &Context,
    verdict: &Verdict,
    third_party: Option<String>,
    detection: &mut Detection,
) {
    let (first, last) = (verdict.words.start as u32, (verdict.words.end - 1) as u32);
    if detection.level.is_some() {
        // Only a plan, the means, a farewell or someone else at risk may be raised: a thought or
        // a wish is not made imminent by the model alone.
        let raisable = |c: CrisisCategory| {
            matches!(
                c,
                CrisisCategory::MethodOrMeans
                    | CrisisCategory::IntentOrPlan
                    | CrisisCategory::PreparationOrFarewell
                    | CrisisCategory::ThirdParty
            )
        };
        if verdict.imminent
            && let Some(finding) =
                detection.findings.iter_mut().filter(|f| raisable(f.category)).max_by_key(|f| f.level)
        {
            finding.level = CrisisLevel::Imminent;
            finding.reason.push_str("; raised: the model reads the text as imminent");
            detection.level = Some(CrisisLevel::Imminent);
        }
        return;
    }
    // One to three everyday words never make a crisis by the model alone ([`MIN_ALONE_WORDS`]).
    if !verdict.crisis || verdict.words.len() < MIN_ALONE_WORDS {
        return;
    }
    let (start, end) = words.original(first, last);
    // The rules know a phrase here and set it aside (an idiom, a course, a past crisis told as
    // recovery): the model does not overrule that knowledge.
    if let Some(aside) = detection
        .set_aside
        .iter_mut()
        .find(|f| f.start as usize >= start && f.end as usize <= end && !f.reason.ends_with(WEAK_ALONE))
    {
        aside.reason.push_str("; the model read a crisis here too, but the rules' context stands");
        return;
    }
    if let Some(aside) = told_as_recovery(words, context, verdict) {
        detection.set_aside.push(model_finding(
            words,
            verdict,
            CrisisLevel::Concern,
            format!("the model reads a crisis, {}; set aside: {aside}", verdict.category),
        ));
        return;
    }
    let sentences = words.sentence[first as usize]..=words.sentence[last as usize];
    let time = context.cue(Cue::Time).iter().find(|h| sentences.contains(&words.sentence[h.first as usize]));
    let level = if verdict.imminent || time.is_some() { CrisisLevel::Imminent } else { CrisisLevel::Concern };
    let mut weighed: Vec<String> = Vec::new();
    for (feature, _) in &verdict.top {
        let (start, end) = words.original(feature.first, feature.last);
        let quoted = words.text[start..end].to_string();
        if !weighed.contains(&quoted) && weighed.len() < 4 {
            weighed.push(quoted);
        }
    }
    let mut reason = format!(
        "no rule matched, but the model reads a crisis (score {:.2} above {:.2}), {}; the words that weighed most: '{}'",
        verdict.score,
        verdict.threshold,
        verdict.category,
        weighed.join("', '")
    );
    match (verdict.imminent, time) {
        (true, _) => reason.push_str("; imminent: the model reads it so"),
        (false, Some(time)) => reason.push_str(&format!("; imminent: a time is named ('{}')", quote(words, time))),
        _ => {}
    }
    if let Some(who) = &third_party {
        reason.push_str(&format!("; about someone else ('{who}')"));
        detection.categories.push(CrisisCategory::ThirdParty);
    }
    if !detection.categories.contains(&verdict.category) {
        detection.categories.push(verdict.category);
    }
    detection.level = Some(level);
    detection.findings.push(model_finding(words, verdict, level, reason));
}

/// A finding of the model alone over the part it scored.
fn model_finding(words: &Words<'_>, verdict: &Verdict, level: CrisisLevel, reason: String) -> CrisisFinding {
    let (start, end) = words.original(verdict.words.start as u32, (verdict.words.end - 1) as u32);
    CrisisFinding {
        category: verdict.category,
        level,
        language: "model".to_string(),
        rule: "model".to_string(),
        matched: words.text[start..end].to_string(),
        start: start as u32,
        end: end as u32,
        reason,
    }
}

/// Step 4 of the context rules for the model's reading: when every sentence holding the words
/// that weighed most tells the past ("früher", "years ago") without a recurrence cue ("again"),
/// and the text tells recovery ("today I'm doing well"), the model's crisis is a past one told as
/// recovery. Returns why, or `None` when any of the weighing words stands in a present sentence.
fn told_as_recovery(words: &Words<'_>, context: &Context, verdict: &Verdict) -> Option<String> {
    let recovery = context.cue(Cue::Recovery).first()?;
    let mut past = None;
    for (feature, _) in verdict.top.iter().take(4) {
        let sentence = words.sentence[feature.first as usize];
        if context.in_sentence(Cue::Recurrence, words, sentence).is_some() {
            return None;
        }
        past = Some(context.in_sentence(Cue::Past, words, sentence)?);
    }
    Some(format!("told as past ('{}') in a recovery story ('{}')", quote(words, past?), quote(words, recovery)))
}

/// Drops a match lying within another of at least its level (the longer one explains more).
fn drop_contained(candidates: &mut Vec<Candidate>) {
    let spans: Vec<(u32, u32, CrisisLevel, bool)> =
        candidates.iter().map(|c| (c.hit.first, c.hit.last, c.level, c.weak)).collect();
    let mut index = 0;
    candidates.retain(|c| {
        let me = index;
        index += 1;
        // A weak sign never swallows a sign that stands alone.
        !spans.iter().enumerate().any(|(other, &(first, last, level, weak))| {
            other != me
                && (!weak || c.weak)
                && first <= c.hit.first
                && last >= c.hit.last
                && level >= c.level
                && ((first, last) != (c.hit.first, c.hit.last) || other < me)
        })
    });
}

fn weigh_context(detector: &Detector, words: &Words<'_>, context: &Context, candidate: &mut Candidate) {
    let Section::Crisis { soft, .. } = detector.section(&candidate.hit) else { return };
    let (first, last) = (candidate.hit.first, candidate.hit.last);
    let sentence = words.sentence[first as usize];
    if let Some(idiom) = context.exceptions.iter().find(|e| e.first <= first && e.last >= last) {
        candidate.aside = Some(format!("inside the idiom '{}'", quote(words, idiom)));
        return;
    }
    if let Some(topic) = context.in_sentence(Cue::Topic, words, sentence) {
        if soft {
            candidate.aside = Some(format!("a mention in a sentence about '{}'", quote(words, topic)));
            return;
        }
        if words.quoted[first as usize] {
            candidate.aside = Some(format!("quoted in a sentence about '{}'", quote(words, topic)));
            return;
        }
        // An imminent statement about people in general stays when a time is named in it.
        if let Some(people) = context.in_sentence(Cue::Generic, words, sentence)
            && (candidate.level < CrisisLevel::Imminent || context.in_sentence(Cue::Time, words, sentence).is_none())
        {
            candidate.aside = Some(format!(
                "about people in general ('{}') in a sentence about '{}'",
                quote(words, people),
                quote(words, topic)
            ));
            return;
        }
    }
    let hit = candidate.hit;
    let negation = context.cue(Cue::Negation).iter().find(|n| {
        let before = n.last < first
            && n.last + NEGATION_REACH >= first
            && words.clause[n.last as usize] == words.clause[first as usize];
        before || (n.first..=n.last).all(|w| hit.skips(w))
    });
    if let Some(negation) = negation {
        if soft {
            candidate.aside = Some(format!("negated by '{}'", quote(words, negation)));
            return;
        }
        candidate.level = candidate.level.lowered();
        candidate.negated = true;
        candidate.notes.push(format!("lowered: negated by '{}'", quote(words, negation)));
    }
    weigh_past(words, context, candidate, sentence, soft);
    if candidate.aside.is_some() || candidate.negated {
        return;
    }
    if candidate.level == CrisisLevel::Imminent {
        return;
    }
    if let Some(time) = context.in_sentence(Cue::Time, words, sentence) {
        candidate.level = CrisisLevel::Imminent;
        candidate.notes.push(format!("raised: a time is named ('{}')", quote(words, time)));
    } else if let Some(time) = time_next_door(words, context, candidate, sentence) {
        candidate.level = CrisisLevel::Imminent;
        candidate.notes.push(format!("raised: a time is named in the sentence beside it ('{}')", quote(words, time)));
    }
}

/// A time named in the sentence just before or after a `high` sign of means, a plan, a farewell
/// or self-harm ("The rope is tied. Tonight, when they are asleep."): people split the plan and
/// its hour across two sentences. Death wishes and thoughts are not raised so: "I want to die.
/// Tomorrow I have therapy" says no hour for an act.
fn time_next_door<'c>(
    words: &Words<'_>,
    context: &'c Context,
    candidate: &Candidate,
    sentence: u32,
) -> Option<&'c Hit> {
    let acts = matches!(
        candidate.category,
        CrisisCategory::MethodOrMeans
            | CrisisCategory::IntentOrPlan
            | CrisisCategory::PreparationOrFarewell
            | CrisisCategory::SelfHarm
    );
    if !acts || candidate.level != CrisisLevel::High {
        return None;
    }
    let beside = [sentence.checked_sub(1), sentence.checked_add(1)];
    beside.into_iter().flatten().find_map(|s| context.in_sentence(Cue::Time, words, s))
}

/// Step 4: a match told as past. A `soft` one (a bare mention: "attempted suicide in the
/// nineties", "self-harm back then") told as past without "again" is history, not a present
/// sign, and is set aside even without a recovery cue; any other is lowered.
fn weigh_past(words: &Words<'_>, context: &Context, candidate: &mut Candidate, sentence: u32, soft: bool) {
    let Some(past) = context.in_sentence(Cue::Past, words, sentence) else { return };
    if let Some(again) = context.in_sentence(Cue::Recurrence, words, sentence) {
        candidate.notes.push(format!("kept: told as past, but '{}' says it is back", quote(words, again)));
        return;
    }
    if let Some(recovery) = context.cue(Cue::Recovery).first() {
        candidate.aside =
            Some(format!("told as past ('{}') in a recovery story ('{}')", quote(words, past), quote(words, recovery)));
        return;
    }
    if soft {
        candidate.aside = Some(format!("a bare mention told as past ('{}')", quote(words, past)));
        return;
    }
    candidate.level = candidate.level.lowered();
    candidate.notes.push(format!("lowered: told as past ('{}')", quote(words, past)));
}

/// Step 8: a farewell with an ordinary reason. When the text names an ordinary departure (a new
/// job, parental leave, a move, the end of an internship: `[cue departure]`) and every sign still
/// standing is a farewell (`preparation_or_farewell`), those signs are set aside: people say
/// goodbye to a team or a group. Any other sign standing in the text (a plan — "when my parents
/// are away I'll do it" —, a death wish, thoughts, means, self-harm) keeps them all.
fn weigh_departure(words: &Words<'_>, context: &Context, candidates: &mut [Candidate]) {
    let Some(departure) = context.cue(Cue::Departure).first() else { return };
    let leaving = |c: &Candidate| c.category == CrisisCategory::PreparationOrFarewell;
    let live = || candidates.iter().filter(|c| c.aside.is_none());
    if live().next().is_none() || !live().all(leaving) {
        return;
    }
    let reason = format!("a farewell with an ordinary reason ('{}')", quote(words, departure));
    for candidate in candidates.iter_mut().filter(|c| c.aside.is_none()) {
        candidate.aside = Some(reason.clone());
    }
}

/// Weak signs ("if anyone finds this", "I have them at home", "the decision is made", burn
/// marks on the arms) are ordinary words alone and a sign beside others, as a clinician reads
/// them: a weak match stands when another match still standing neither lies within it nor holds
/// it (weak or not); otherwise it is set aside (and shown, so a moderator sees it was read).
fn confirm_weak(words: &Words<'_>, candidates: &mut [Candidate]) {
    let live: Vec<(u32, u32)> =
        candidates.iter().filter(|c| c.aside.is_none()).map(|c| (c.hit.first, c.hit.last)).collect();
    // Another sign: a match that neither lies within this one nor holds it (two rules may share
    // a word: "took my dad's pills" and "pills … in my bag").
    let within = |a: (u32, u32), b: (u32, u32)| b.0 <= a.0 && a.1 <= b.1;
    let apart = |a: (u32, u32), b: (u32, u32)| !within(a, b) && !within(b, a);
    for candidate in candidates.iter_mut().filter(|c| c.weak && c.aside.is_none()) {
        let me = (candidate.hit.first, candidate.hit.last);
        if let Some(other) = live.iter().find(|o| apart(me, (o.0, o.1))) {
            candidate.notes.push(format!("a weak sign, beside '{}'", quote_span(words, other.0, other.1)));
        } else {
            candidate.aside = Some(WEAK_ALONE.to_string());
        }
    }
}

/// A method or means beside thoughts, intent or a death wish: the means finding is imminent.
fn raise_means(detector: &Detector, words: &Words<'_>, candidates: &mut [Candidate]) {
    let live = |c: &Candidate| c.aside.is_none() && !c.negated;
    let wish = candidates.iter().find(|c| {
        live(c)
            && matches!(
                c.category,
                CrisisCategory::SuicidalThoughts | CrisisCategory::IntentOrPlan | CrisisCategory::PassiveDeathWish
            )
    });
    let Some(wish) = wish.map(|c| quote(words, &c.hit)) else { return };
    for candidate in candidates.iter_mut() {
        if live(candidate)
            && candidate.category == CrisisCategory::MethodOrMeans
            && candidate.level < CrisisLevel::Imminent
        {
            candidate.level = CrisisLevel::Imminent;
            candidate.notes.push(format!("raised: means beside '{wish}'"));
        }
    }
    let _ = detector;
}

fn summarise(
    detector: &Detector,
    words: &Words<'_>,
    candidates: Vec<Candidate>,
    third_party: Option<String>,
) -> Detection {
    let mut detection = Detection::default();
    for candidate in candidates {
        let rule = &detector.rules[candidate.hit.rule];
        let (start, end) = words.original(candidate.hit.first, candidate.hit.last);
        let mut reason = format!(
            "'{}' matches the {} rule '{}' ({}, {})",
            &words.text[start..end],
            rule.language,
            rule.text,
            candidate.category,
            level_of(rule),
        );
        for note in &candidate.notes {
            reason.push_str("; ");
            reason.push_str(note);
        }
        if let Some(aside) = &candidate.aside {
            reason.push_str("; set aside: ");
            reason.push_str(aside);
        }
        let finding = CrisisFinding {
            category: candidate.category,
            level: candidate.level,
            language: rule.language.clone(),
            rule: rule.text.clone(),
            matched: words.text[start..end].to_string(),
            start: start as u32,
            end: end as u32,
            reason,
        };
        if candidate.aside.is_some() {
            detection.set_aside.push(finding);
        } else {
            detection.findings.push(finding);
        }
    }
    detection.level = detection.findings.iter().map(|f| f.level).max();
    let mut ranked: Vec<(CrisisLevel, CrisisCategory)> =
        detection.findings.iter().map(|f| (f.level, f.category)).collect();
    ranked.sort_by(|a, b| b.cmp(a));
    if let Some(who) = third_party.filter(|_| detection.level.is_some()) {
        detection.categories.push(CrisisCategory::ThirdParty);
        if let Some(first) = detection.findings.first_mut() {
            first.reason.push_str(&format!("; about someone else ('{who}')"));
        }
    }
    for (_, category) in ranked {
        if !detection.categories.contains(&category) {
            detection.categories.push(category);
        }
    }
    detection
}

fn level_of(rule: &Rule) -> String {
    match rule.section {
        Section::Crisis { level, soft: true, weak: true, .. } => format!("{level}, soft, weak"),
        Section::Crisis { level, soft: true, .. } => format!("{level}, soft"),
        Section::Crisis { level, weak: true, .. } => format!("{level}, weak"),
        Section::Crisis { level, .. } => level.to_string(),
        _ => String::new(),
    }
}

fn quote(words: &Words<'_>, hit: &Hit) -> String {
    quote_span(words, hit.first, hit.last)
}

fn quote_span(words: &Words<'_>, first: u32, last: u32) -> String {
    let (start, end) = words.original(first, last);
    words.text[start..end].to_string()
}

/// Collects rules, numbering their words (tokens) and needles.
#[derive(Default)]
struct Builder {
    rules: Vec<Rule>,
    languages: Vec<String>,
    stemmers: Vec<Option<Stemmer>>,
    tokens: Vec<usize>,
    token_ids: HashMap<(usize, Vec<Form>), u32>,
    compiled: Vec<Vec<Step>>,
    by_first: HashMap<u32, Vec<Follower>>,
    exact: HashMap<String, Vec<u32>, WordHash>,
    needle_ids: HashMap<String, usize>,
    needle_texts: Vec<String>,
    needles: Vec<Vec<(u32, NeedleKind)>>,
}

impl Builder {
    fn add(&mut self, rule: Rule, language: usize) {
        let steps: Vec<Step> = rule
            .elements
            .iter()
            .map(|element| match element {
                Element::Gap(n) => Step::Gap(*n),
                Element::Word(forms) => Step::Token(self.token(language, forms)),
            })
            .collect();
        if let Some(Step::Token(first)) = steps.first() {
            let follower = Follower::of(self.rules.len() as u32, &rule, language, &steps);
            self.by_first.entry(*first).or_default().push(follower);
        }
        self.compiled.push(steps);
        self.rules.push(rule);
    }

    fn token(&mut self, language: usize, forms: &[Form]) -> u32 {
        if let Some(id) = self.token_ids.get(&(language, forms.to_vec())) {
            return *id;
        }
        let id = self.tokens.len() as u32;
        self.tokens.push(language);
        self.token_ids.insert((language, forms.to_vec()), id);
        for form in forms {
            match form {
                Form::Exact(word) => self.exact.entry(word.clone()).or_default().push(id),
                Form::Stem { needle, stem } => self.needle(needle, id, NeedleKind::Stem(stem.clone())),
                Form::Prefix(text) => self.needle(text, id, NeedleKind::Prefix),
                Form::Suffix(text) => self.needle(text, id, NeedleKind::Suffix),
                Form::Infix(text) => self.needle(text, id, NeedleKind::Infix),
            }
        }
        id
    }

    fn needle(&mut self, text: &str, token: u32, kind: NeedleKind) {
        let next = self.needle_texts.len();
        let id = *self.needle_ids.entry(text.to_string()).or_insert(next);
        if id == next {
            self.needle_texts.push(text.to_string());
            self.needles.push(Vec::new());
        }
        if !self.needles[id].contains(&(token, kind.clone())) {
            self.needles[id].push((token, kind));
        }
    }

    fn finish(self) -> Result<Detector> {
        let automaton = if self.needle_texts.is_empty() {
            None
        } else {
            let built = AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&self.needle_texts)
                .or_else(|_| AhoCorasick::builder().match_kind(MatchKind::Standard).build(&self.needle_texts))
                .map_err(|e| Error::invalid("pattern", format!("the crisis rules cannot be compiled: {e}")))?;
            Some(built)
        };
        let mut by_first: Vec<Vec<Follower>> = self.tokens.iter().map(|_| Vec::new()).collect();
        for (token, followers) in self.by_first {
            by_first[token as usize] = followers;
        }
        Ok(Detector {
            rules: self.rules,
            languages: self.languages,
            stemmers: self.stemmers,
            tokens: self.tokens,
            compiled: self.compiled,
            by_first,
            exact: self.exact,
            automaton,
            needles: self.needles,
            model: None,
        })
    }
}

#[cfg(test)]
mod as_before;
