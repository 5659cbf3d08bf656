//! Watched words: lists of patterns per language, each with what a match does, compiled once
//! into one automaton and matched against a text in a single pass.
//!
//! Matching sees through the usual ways of writing around a filter. Both the text and every
//! pattern are brought to the same skeleton ([`skeleton`]): case and diacritics folded
//! ("Suizid" = "suizid", "Selvmord" = "selvmord", "für" = "fur"), letters repeated in a row
//! written once ("suiiiizid" = "suizid"), digits inside a word read as the letters they stand
//! for ("k1ll" = "kill"), and a run of three or more single letters between separators read as
//! one word ("s.u.i.z.i.d", "s u i z i d" = "suizid"). A pattern matches whole words only,
//! unless it starts or ends with `*`: "suizid*" also matches "Suizidgedanken", "*mord" also
//! matches "Selvmord". A pattern of several words matches them in a row, whatever separates
//! them in the text ("nicht mehr leben" matches "nicht-mehr-leben").
//!
//! A check in one language consults that language's patterns and those for every language
//! (`*`), and the crisis patterns of every language: someone in crisis may write English on a
//! German board, and missing them costs more than a stray match.
//!
//! ```
//! use trialog_core::moderation::{WatchedWord, WordAction, WordList};
//! let list = WordList::compile(&[
//!     WatchedWord::new("de", "suizid*", WordAction::Crisis),
//!     WatchedWord::new("*", "casino", WordAction::Block),
//! ])?;
//! let found = list.check("Ich denke an S.u.i.z.i.d", "de");
//! assert_eq!(found.strongest(), Some(WordAction::Crisis));
//! assert_eq!(found.matches[0].matched, "S.u.i.z.i.d");
//! assert!(list.check("Ich suche einen Kurs", "de").matches.is_empty());
//! # Ok::<(), trialog_core::Error>(())
//! ```

use std::collections::HashMap;
use std::fmt;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use serde::{Deserialize, Serialize};

use super::crisis::{CrisisCategory, CrisisFinding, CrisisLevel, detector};
use crate::accounts::named_enum;
use crate::error::{Error, Result};

/// Longest pattern, in characters.
pub const MAX_PATTERN: usize = 100;
/// The language code of patterns that apply in every language.
pub const ANY_LANGUAGE: &str = "*";

/// What a watched word does to a post (or message) that contains it.
///
/// Ordered from mildest to strongest; a crisis match is strongest but never refuses the text
/// (see [`TextCheck::strongest`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum WordAction {
    /// Publish, and put it in the review queue.
    Flag,
    /// Hold it until a moderator approves it.
    RequireApproval,
    /// Refuse it, with an explanation to the writer.
    Block,
    /// Publish (or hold, on a pre-moderated board), open a top-priority review item and show
    /// the writer crisis resources at once. Never refuses the text.
    Crisis,
}

named_enum!(WordAction, "action",
    Flag => "flag", RequireApproval => "require_approval", Block => "block", Crisis => "crisis");

/// One entry of a watched-word list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct WatchedWord {
    /// ISO 639-1 code, or `*` for every language.
    pub language: String,
    /// One or more words; `*` at the start or end allows more letters there.
    pub pattern: String,
    pub action: WordAction,
}

/// One place where a watched word matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct WordMatch {
    pub language: String,
    pub pattern: String,
    pub action: WordAction,
    /// The text as written where it matched (whole words).
    pub matched: String,
    /// Byte offsets of `matched` in the checked text.
    pub start: u32,
    pub end: u32,
    /// Why it matched, in words: the skeleton both were compared as.
    pub why: String,
}

/// What a text check found: every watched word, in the order they occur, and the crisis
/// detector's findings (see `moderation::crisis`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TextCheck {
    pub matches: Vec<WordMatch>,
    /// How urgent the crisis signs are: the detector's highest level, and at least `high` when
    /// an operator's crisis word matched (an operator's word has no level: when unsure, raise).
    #[serde(default)]
    pub level: Option<CrisisLevel>,
    /// The kinds of crisis sign found, most urgent first.
    #[serde(default)]
    pub categories: Vec<CrisisCategory>,
    /// Each crisis sign with the words that triggered it and why.
    #[serde(default)]
    pub findings: Vec<CrisisFinding>,
    /// Crisis matches that context set aside (an idiom, a training, a past crisis told as
    /// recovery), with the reason, so a moderator can judge the decision.
    #[serde(default)]
    pub set_aside: Vec<CrisisFinding>,
}

impl TextCheck {
    /// The strongest action among the matches (a crisis finding counts as a crisis match).
    pub fn strongest(&self) -> Option<WordAction> {
        let detected = self.level.map(|_| WordAction::Crisis);
        self.matches.iter().map(|m| m.action).max().max(detected)
    }

    /// Whether the text shows crisis signs: a finding or an operator's crisis word.
    pub fn crisis(&self) -> bool {
        self.level.is_some() || self.matches.iter().any(|m| m.action == WordAction::Crisis)
    }

    /// Adds what a check of another part of the same writing (its title) found.
    pub fn merge(&mut self, other: TextCheck) {
        self.matches.extend(other.matches);
        self.level = self.level.max(other.level);
        for category in other.categories {
            if !self.categories.contains(&category) {
                self.categories.push(category);
            }
        }
        self.findings.extend(other.findings);
        self.set_aside.extend(other.set_aside);
    }

    /// Every reason in words: the crisis findings, then the watched words.
    pub fn reasons(&self) -> Vec<String> {
        self.findings.iter().map(|f| f.reason.clone()).chain(self.matches.iter().map(|m| m.why.clone())).collect()
    }

    /// Whether any match has `action`.
    pub fn has(&self, action: WordAction) -> bool {
        self.matches.iter().any(|m| m.action == action)
    }
}

/// Watched words compiled for matching. Cheap to share (`Arc`) and safe between threads.
#[derive(Clone)]
pub struct WordList {
    entries: Vec<Compiled>,
    /// Needle id → the entries with that needle.
    needles: Vec<Vec<usize>>,
    automaton: Option<AhoCorasick>,
}

#[derive(Debug, Clone)]
struct Compiled {
    word: WatchedWord,
    open_start: bool,
    open_end: bool,
}

impl fmt::Debug for WordList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WordList").field("entries", &self.entries.len()).finish()
    }
}

impl WatchedWord {
    /// An entry (unchecked: [`WordList::compile`] and [`WatchedWord::validated`] check it).
    pub fn new(language: &str, pattern: &str, action: WordAction) -> Self {
        WatchedWord { language: language.into(), pattern: pattern.into(), action }
    }

    /// The entry cleaned up (trimmed pattern, lower-case language), or `InvalidInput` naming
    /// `language` or `pattern`.
    pub fn validated(&self) -> Result<WatchedWord> {
        let language = language(&self.language)?;
        let pattern = self.pattern.split_whitespace().collect::<Vec<_>>().join(" ");
        compile_pattern(&pattern)?;
        Ok(WatchedWord { language, pattern, action: self.action })
    }
}

impl WordList {
    /// Compiles entries; a malformed one is `InvalidInput` naming `pattern` (or `language`).
    pub fn compile(words: &[WatchedWord]) -> Result<WordList> {
        let mut entries = Vec::with_capacity(words.len());
        let mut ids: HashMap<String, usize> = HashMap::new();
        let mut needles: Vec<Vec<usize>> = Vec::new();
        let mut texts: Vec<String> = Vec::new();
        for word in words {
            let word = word.validated()?;
            let (skeleton, open_start, open_end) = compile_pattern(&word.pattern)?;
            let index = entries.len();
            let id = *ids.entry(skeleton.clone()).or_insert_with(|| {
                texts.push(skeleton);
                needles.push(Vec::new());
                texts.len() - 1
            });
            needles[id].push(index);
            entries.push(Compiled { word, open_start, open_end });
        }
        let automaton = if texts.is_empty() {
            None
        } else {
            let built = AhoCorasick::builder()
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&texts)
                .or_else(|_| AhoCorasick::builder().match_kind(MatchKind::Standard).build(&texts))
                .map_err(|e| Error::invalid("pattern", format!("the list cannot be compiled: {e}")))?;
            Some(built)
        };
        Ok(WordList { entries, needles, automaton })
    }

    /// No watched words: only the built-in crisis detector checks (what a new platform starts
    /// with; operators add their own words).
    pub fn defaults() -> WordList {
        WordList { entries: Vec::new(), needles: Vec::new(), automaton: None }
    }

    /// How many entries the list holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Every entry, in the order given.
    pub fn words(&self) -> impl Iterator<Item = &WatchedWord> {
        self.entries.iter().map(|e| &e.word)
    }

    /// Checks `text` written in `language` (ISO 639-1): the watched words and the built-in
    /// crisis detector ([`super::crisis`]).
    pub fn check(&self, text: &str, language: &str) -> TextCheck {
        // One skeleton serves the watched words and the crisis detector.
        let skeleton = skeleton(text);
        let mut found = TextCheck { matches: self.watched(text, &skeleton, language), ..TextCheck::default() };
        let detection = detector().detect_skeleton(text, skeleton, language);
        let operator_crisis = found.matches.iter().any(|m| m.action == WordAction::Crisis);
        found.level = detection.level.max(operator_crisis.then_some(CrisisLevel::High));
        found.categories = detection.categories;
        found.findings = detection.findings;
        found.set_aside = detection.set_aside;
        found
    }

    /// The watched words alone, in the order they occur.
    fn watched(&self, text: &str, skeleton: &Skeleton, language: &str) -> Vec<WordMatch> {
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let language = language.trim().to_ascii_lowercase();
        let bytes = skeleton.text.as_bytes();
        let mut matches: Vec<WordMatch> = Vec::new();
        for found in automaton.find_overlapping_iter(skeleton.text.as_str()) {
            let (start, end) = (found.start(), found.end());
            let starts_word = start == 0 || bytes[start - 1] == b' ';
            let ends_word = end == bytes.len() || bytes[end] == b' ';
            for &index in &self.needles[found.pattern().as_usize()] {
                let entry = &self.entries[index];
                let applies = entry.word.language == language
                    || entry.word.language == ANY_LANGUAGE
                    || entry.word.action == WordAction::Crisis;
                if !applies || (!entry.open_start && !starts_word) || (!entry.open_end && !ends_word) {
                    continue;
                }
                let (from, to) = skeleton.original(start, end);
                if matches.iter().any(|m| m.pattern == entry.word.pattern && m.start as usize == from) {
                    continue;
                }
                matches.push(WordMatch {
                    language: entry.word.language.clone(),
                    pattern: entry.word.pattern.clone(),
                    action: entry.word.action,
                    matched: text[from..to].to_string(),
                    start: from as u32,
                    end: to as u32,
                    why: format!(
                        "'{}' reads as '{}', which the {} pattern '{}' ({}) matches",
                        &text[from..to],
                        skeleton.words_between(start, end),
                        entry.word.action,
                        entry.word.pattern,
                        language_name(&entry.word.language),
                    ),
                });
            }
        }
        matches.sort_by_key(|m| (m.start, std::cmp::Reverse(m.action)));
        matches
    }
}

/// A pattern's skeleton and whether it is open at its start and end (`*`).
fn compile_pattern(pattern: &str) -> Result<(String, bool, bool)> {
    let trimmed = pattern.trim();
    if trimmed.is_empty() {
        return Err(Error::invalid("pattern", "must not be empty"));
    }
    if trimmed.chars().count() > MAX_PATTERN {
        return Err(Error::invalid("pattern", format!("is longer than {MAX_PATTERN} characters")));
    }
    let open_start = trimmed.starts_with('*');
    let open_end = trimmed.ends_with('*') && trimmed.len() > 1;
    let inner = trimmed.trim_start_matches('*').trim_end_matches('*');
    if inner.contains('*') {
        return Err(Error::invalid(
            "pattern",
            format!("'{pattern}' has a * inside; a * is allowed only at the start or end"),
        ));
    }
    if let Some(bad) = inner.chars().find(|c| !(c.is_alphanumeric() || c.is_whitespace() || "-'’".contains(*c))) {
        return Err(Error::invalid(
            "pattern",
            format!("'{pattern}' contains '{bad}'; use letters, digits, spaces, hyphens and a * at either end"),
        ));
    }
    if (open_start && inner.starts_with(char::is_whitespace)) || (open_end && inner.ends_with(char::is_whitespace)) {
        return Err(Error::invalid("pattern", format!("'{pattern}' has a * that is not part of a word")));
    }
    let skeleton = skeleton(inner).text;
    if skeleton.chars().count() < 2 {
        return Err(Error::invalid("pattern", format!("'{pattern}' has fewer than two letters to match")));
    }
    Ok((skeleton, open_start, open_end))
}

fn language(value: &str) -> Result<String> {
    let code = value.trim().to_ascii_lowercase();
    let fine = code == ANY_LANGUAGE || (code.len() == 2 && code.bytes().all(|b| b.is_ascii_lowercase()));
    if !fine {
        return Err(Error::invalid("language", format!("'{value}' is not a two-letter language code or *")));
    }
    Ok(code)
}

fn language_name(code: &str) -> String {
    if code == ANY_LANGUAGE { "every language".into() } else { format!("language {code}") }
}

/// A text reduced for matching: its words' skeletons joined by single spaces, with where each
/// came from.
#[derive(Debug)]
pub(crate) struct Skeleton {
    pub text: String,
    /// Per word: (start, end) in `text`, (start, end) in the original.
    pub spans: Vec<(u32, u32, u32, u32)>,
}

impl Skeleton {
    /// The original byte range of the words covering `start..end` of the skeleton.
    fn original(&self, start: usize, end: usize) -> (usize, usize) {
        let first = self.spans.partition_point(|s| (s.1 as usize) <= start);
        let last = self.spans.partition_point(|s| (s.0 as usize) < end).saturating_sub(1);
        let first = first.min(self.spans.len() - 1);
        (self.spans[first].2 as usize, self.spans[last.max(first)].3 as usize)
    }

    /// The skeleton words covering `start..end`.
    fn words_between(&self, start: usize, end: usize) -> &str {
        let first = self.spans.partition_point(|s| (s.1 as usize) <= start).min(self.spans.len() - 1);
        let last = self.spans.partition_point(|s| (s.0 as usize) < end).saturating_sub(1).max(first);
        &self.text[self.spans[first].0 as usize..self.spans[last].1 as usize]
    }
}

/// Brings `text` to the form patterns are matched in (see the module documentation).
pub(crate) fn skeleton(text: &str) -> Skeleton {
    let mut out = Builder { text: String::with_capacity(text.len()), spans: Vec::new(), run: None };
    let mut word = Word::default();
    let mut in_word = false;
    for (i, c) in text.char_indices() {
        // ASCII has no combining marks and its own alphanumeric test: the tables are for the rest.
        let letter = if c.is_ascii() {
            c.is_ascii_alphanumeric()
        } else {
            c.is_alphanumeric() || (in_word && unicode_normalization::char::is_combining_mark(c))
        };
        if letter {
            if !in_word {
                word.start = i;
                in_word = true;
            }
            word.push(c);
            word.end = i + c.len_utf8();
        } else if in_word {
            out.word(&mut word);
            in_word = false;
        }
    }
    if in_word {
        out.word(&mut word);
    }
    out.finish()
}

#[derive(Default)]
struct Word {
    letters: String,
    start: usize,
    end: usize,
    chars: usize,
    has_letter: bool,
    has_digit: bool,
}

impl Word {
    fn push(&mut self, c: char) {
        if c.is_ascii() {
            self.chars += 1;
            self.has_digit |= c.is_ascii_digit();
            self.has_letter |= c.is_ascii_alphabetic();
            self.letters.push(c.to_ascii_lowercase());
            return;
        }
        if unicode_normalization::char::is_combining_mark(c) {
            return;
        }
        self.chars += 1;
        self.has_letter = true;
        if let Some(lower) = cyrillic_folded(c) {
            self.letters.push(lower);
        } else if let Some(folded) = latin_folded(c) {
            self.letters.push_str(folded);
        } else {
            let mut buffer = [0u8; 4];
            self.letters.push_str(&crate::text::fold(c.encode_utf8(&mut buffer)));
        }
    }

    /// The word's skeleton: digits read as letters when it has letters too, repeated letters
    /// once (numbers stay as they are).
    fn skeleton(&self, into: &mut String) {
        if !self.has_letter {
            into.push_str(&self.letters);
            return;
        }
        let mut last = None;
        for c in self.letters.chars() {
            let c = if self.has_letter && self.has_digit { leet(c) } else { c };
            if last != Some(c) {
                into.push(c);
                last = Some(c);
            }
        }
    }

    fn clear(&mut self) {
        self.letters.clear();
        self.chars = 0;
        self.has_letter = false;
        self.has_digit = false;
    }
}

/// What [`crate::text::fold`] makes of a Cyrillic letter А–я other than Й and й (which
/// decompose): its lower case, without the allocation and tables of folding one character as a
/// text — a Bulgarian post is nearly all such letters. `None` for every other character.
fn cyrillic_folded(c: char) -> Option<char> {
    match c {
        '\u{419}' | '\u{439}' => None,
        '\u{410}'..='\u{42F}' => char::from_u32(u32::from(c) + 0x20),
        '\u{430}'..='\u{44F}' => Some(c),
        _ => None,
    }
}

/// The first character after ASCII and the first past Latin Extended-B: the letters of
/// [`latin_folded`]'s table.
const LATIN: std::ops::Range<u32> = 0x80..0x250;

/// What [`crate::text::fold`] makes of a character of Latin-1, Latin Extended-A or B (ä, ø, ß,
/// ł, ș…), looked up in a table folded once per process: German, Danish, Spanish and Romanian
/// posts are full of them, and folding each as a text of its own allocated a string per letter.
/// `None` for every other character.
fn latin_folded(c: char) -> Option<&'static str> {
    static TABLE: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let index = u32::from(c).checked_sub(LATIN.start).filter(|i| *i < LATIN.end - LATIN.start)?;
    let table = TABLE.get_or_init(|| {
        LATIN
            .map(|code| {
                let mut buffer = [0u8; 4];
                char::from_u32(code).map_or_else(String::new, |c| crate::text::fold(c.encode_utf8(&mut buffer)))
            })
            .collect()
    });
    Some(table[index as usize].as_str())
}

fn leet(c: char) -> char {
    match c {
        '0' => 'o',
        '1' => 'i',
        '3' => 'e',
        '4' => 'a',
        '5' => 's',
        '7' => 't',
        '8' => 'b',
        other => other,
    }
}

struct Builder {
    text: String,
    spans: Vec<(u32, u32, u32, u32)>,
    /// A run of single letters: their letters and where they began and ended.
    run: Option<(String, usize, usize, usize)>,
}

impl Builder {
    fn word(&mut self, word: &mut Word) {
        if word.chars == 1 && word.has_letter {
            let run = self.run.get_or_insert_with(|| (String::new(), word.start, word.end, 0));
            run.0.push_str(&word.letters);
            run.2 = word.end;
            run.3 += 1;
        } else {
            self.flush_run();
            let start = self.begin();
            word.skeleton(&mut self.text);
            self.end(start, word.start, word.end);
        }
        word.clear();
    }

    /// Emits the pending run of single letters: three or more as one word, fewer one by one.
    fn flush_run(&mut self) {
        let Some((letters, start, end, count)) = self.run.take() else {
            return;
        };
        if count >= 3 {
            let at = self.begin();
            let word = Word { letters, start, end, chars: count, has_letter: true, has_digit: false };
            word.skeleton(&mut self.text);
            self.end(at, start, end);
            return;
        }
        // Fewer than three: each letter is its own word; their original offsets are not kept
        // apart, so each points at the whole run.
        for c in letters.chars() {
            let at = self.begin();
            self.text.push(c);
            self.end(at, start, end);
        }
    }

    fn begin(&mut self) -> usize {
        if !self.text.is_empty() {
            self.text.push(' ');
        }
        self.text.len()
    }

    fn end(&mut self, at: usize, start: usize, end: usize) {
        self.spans.push((at as u32, self.text.len() as u32, start as u32, end as u32));
    }

    fn finish(mut self) -> Skeleton {
        self.flush_run();
        Skeleton { text: self.text, spans: self.spans }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latin_table_folds_every_letter_as_fold_does() {
        for code in LATIN {
            let c = char::from_u32(code).unwrap();
            assert_eq!(latin_folded(c), Some(crate::text::fold(&c.to_string()).as_str()), "{c:?}");
        }
        assert_eq!(latin_folded('a'), None);
        assert_eq!(latin_folded('\u{250}'), None);
    }

    fn list(words: &[(&str, &str, WordAction)]) -> WordList {
        WordList::compile(&words.iter().map(|(l, p, a)| WatchedWord::new(l, p, *a)).collect::<Vec<_>>()).unwrap()
    }

    fn matched(list: &WordList, text: &str, language: &str) -> Vec<String> {
        list.check(text, language).matches.into_iter().map(|m| m.matched).collect()
    }

    #[test]
    fn cyrillic_letters_fold_as_the_text_folding_does() {
        for c in ('\u{400}'..='\u{4FF}').chain('\u{0}'..='\u{17F}') {
            if let Some(lower) = cyrillic_folded(c) {
                assert_eq!(lower.to_string(), crate::text::fold(&c.to_string()), "{c:?}");
            }
        }
        assert_eq!(skeleton("ЩЕ СЕ САМОУБИЯ, Йордан").text, crate::text::fold("ще се самоубия йордан"));
    }

    #[test]
    fn skeletons_fold_case_diacritics_repeats_and_spelled_out_words() {
        assert_eq!(skeleton("SUIIIIZID!").text, "suizid");
        assert_eq!(skeleton("s.u.i.z.i.d heute").text, "suizid heute");
        assert_eq!(skeleton("s u i z i d").text, "suizid");
        assert_eq!(skeleton("Lebensmüde, k1ll").text, "lebensmude kil");
        assert_eq!(skeleton("ich bin a b").text, "ich bin a b");
        assert_eq!(skeleton("Selvmord på Ærø").text, "selvmord pa aero");
        assert_eq!(skeleton("Tel. 112").text, "tel 112");
    }

    #[test]
    fn obfuscated_words_match_and_say_why() {
        let words = list(&[("de", "suizid*", WordAction::Crisis), ("en", "kill myself", WordAction::Crisis)]);
        for text in ["Suizid", "SUIZIDGEDANKEN", "s.u.i.z.i.d", "s-u-i-i-z-i-d", "suuuiiizid", "Su1z1d"] {
            assert_eq!(matched(&words, text, "de"), vec![text.to_string()], "{text}");
        }
        let found = words.check("I want to k.i.l.l   myself", "en");
        assert_eq!(found.matches.len(), 1);
        assert_eq!(found.matches[0].matched, "k.i.l.l   myself");
        assert!(found.matches[0].why.contains("'kil myself'"), "{}", found.matches[0].why);
    }

    #[test]
    fn matches_are_whole_words_unless_a_star_says_otherwise() {
        let words = list(&[("en", "spam", WordAction::Flag), ("da", "*mord", WordAction::Block)]);
        assert!(matched(&words, "spamming and antispam", "en").is_empty());
        assert_eq!(matched(&words, "no SPAM here", "en"), vec!["SPAM"]);
        assert_eq!(matched(&words, "et selvmord", "da"), vec!["selvmord"]);
        assert!(matched(&words, "mordet", "da").is_empty());
    }

    #[test]
    fn other_languages_apply_only_for_crisis() {
        let words = list(&[
            ("en", "casino", WordAction::Block),
            ("en", "kill myself", WordAction::Crisis),
            ("*", "viagra", WordAction::Flag),
        ]);
        assert!(matched(&words, "casino", "de").is_empty());
        assert_eq!(matched(&words, "casino", "en"), vec!["casino"]);
        assert_eq!(matched(&words, "I will kill myself", "de"), vec!["kill myself"]);
        assert_eq!(matched(&words, "VIAGRA", "da"), vec!["VIAGRA"]);
    }

    #[test]
    fn strongest_action_wins() {
        let words = list(&[("en", "spam", WordAction::Flag), ("en", "casino", WordAction::Block)]);
        let found = words.check("spam casino", "en");
        assert_eq!(found.strongest(), Some(WordAction::Block));
        assert!(!found.crisis());
    }

    #[test]
    fn malformed_patterns_name_the_field() {
        for bad in ["", "  ", "su*zid", "a", "kill (me)", "* kill", "**"] {
            let err = WordList::compile(&[WatchedWord::new("en", bad, WordAction::Flag)]).unwrap_err();
            assert!(matches!(&err, Error::InvalidInput { field, .. } if field == "pattern"), "{bad:?}: {err:?}");
        }
        let err = WordList::compile(&[WatchedWord::new("german", "x y", WordAction::Flag)]).unwrap_err();
        assert!(matches!(&err, Error::InvalidInput { field, .. } if field == "language"), "{err:?}");
    }

    #[test]
    fn the_detector_checks_without_any_watched_words() {
        let words = WordList::defaults();
        assert!(words.check("Ich will nicht mehr leben.", "de").crisis());
        assert!(words.check("Manchmal denke ich an Suizid", "de").crisis());
        assert!(words.check("Jeg tænker på selvmord", "da").crisis());
        assert!(words.check("Sometimes I want to kill myself", "en").crisis());
        assert!(!words.check("Ich suche eine Stelle als Genesungsbegleiterin in Jena", "de").crisis());
        assert!(!words.check("Das Leben ist schön", "de").crisis());
        let found = words.check("Ich habe Tabletten gesammelt", "de");
        assert_eq!((found.level, found.strongest()), (Some(CrisisLevel::Imminent), Some(WordAction::Crisis)));
    }

    #[test]
    fn an_operators_crisis_word_is_at_least_high() {
        let words = list(&[("de", "dunkle wolke", WordAction::Crisis)]);
        let found = words.check("Die dunkle Wolke ist wieder da", "de");
        assert_eq!(found.level, Some(CrisisLevel::High));
        assert!(found.categories.is_empty() && found.crisis());
        assert_eq!(found.reasons().len(), 1);
    }
}
