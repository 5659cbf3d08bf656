//! Text analysis shared by every search (the job board now, forums and the knowledge base
//! later): folding (case and diacritics), words with their byte offsets, stop words and
//! German/Danish/English stemming, German and Danish compound splitting ([`compound_parts_in`]),
//! German verb forms ([`german_relatives`]), query terms, BM25 scoring and highlighted snippets.
//!
//! Documents are analysed in their own language ([`analyse`]); a query is not (people search a
//! German board in Danish and English too), so each query word carries the forms a document
//! term may have taken ([`query_terms`]): a document term matches a query word when it equals
//! one of the word's variants.
//!
//! ```
//! use trialog_core::text::{analyse, query_terms};
//! let doc = analyse("Stellen für Genesungsbegleiterinnen", Some("de"));
//! let query = query_terms("STELLE");
//! assert!(doc.iter().any(|t| query[0].variants.contains(&t.term)));
//! ```

mod compound;
mod inflection;
mod stopwords;

pub use compound::{compound_parts, compound_parts_in, compound_stems, compound_stems_in};
pub use inflection::{german_relatives, german_strong_relatives};

use rust_stemmers::{Algorithm, Stemmer};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// BM25 term-frequency saturation.
const BM25_K1: f64 = 1.2;
/// BM25 document-length normalisation.
const BM25_B: f64 = 0.75;
/// The languages with a stemmer and a stop-word list.
const LANGUAGES: [&str; 3] = ["de", "da", "en"];
/// Marks a cut end of a snippet.
const ELLIPSIS: &str = "…";

/// One analysed word of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The folded and stemmed form, as stored in an index.
    pub term: String,
    /// Byte offset of the word's first byte in the original text.
    pub start: usize,
    /// Byte offset just past the word in the original text.
    pub end: usize,
}

/// One word of a query with every form a document term may have for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryTerm {
    /// The folded word as typed.
    pub word: String,
    /// Distinct forms to look up: the folded word, then its German, Danish and English stems.
    pub variants: Vec<String>,
}

/// A short passage of a text with the query's matches marked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snippet {
    /// The passage, with "…" where the text was cut.
    pub text: String,
    /// Byte ranges of the matches in `text`, in order.
    pub highlights: Vec<(usize, usize)>,
}

/// A piece of a title or snippet: matched words are marked, so a host can highlight them
/// without counting bytes or characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Fragment {
    pub text: String,
    pub matched: bool,
}

/// A snippet cut into plain and matched pieces.
pub fn fragments(snippet: &Snippet) -> Vec<Fragment> {
    let mut out = Vec::new();
    let mut at = 0;
    for &(start, end) in &snippet.highlights {
        if start > at {
            out.push(Fragment { text: snippet.text[at..start].to_string(), matched: false });
        }
        out.push(Fragment { text: snippet.text[start..end].to_string(), matched: true });
        at = end;
    }
    if at < snippet.text.len() {
        out.push(Fragment { text: snippet.text[at..].to_string(), matched: false });
    }
    out
}

/// Lower-cases `text` and removes diacritics, so that "Übergang" meets "ubergang" as typed by
/// people without a German keyboard.
///
/// Letters are decomposed (NFKD) and combining marks dropped (é → e, ü → u, å → a). Letters
/// that do not decompose are mapped by hand: ß → ss, æ → ae, œ → oe, ø → o, ł → l, đ → d.
/// Danish æ becomes "ae" (as Danes write it without the letter) but ø becomes "o": "støtte"
/// must meet "stotte", the common keyboard-less spelling, more often than "stoette". Every
/// other character is kept (lower-cased). Folding twice changes nothing.
///
/// ```
/// use trialog_core::text::fold;
/// assert_eq!(fold("Straße"), "strasse");
/// assert_eq!(fold("Støtte på Ærø"), "stotte pa aero");
/// ```
pub fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    // One pass is enough for nearly all text; the loop settles the rare characters whose
    // lower case decomposes again (or whose decomposition has an upper case). A pass whose
    // every character is one folding leaves alone needs no second look.
    let (mut folded, settled) = fold_once(text);
    if settled {
        return folded;
    }
    for _ in 0..4 {
        let (again, _) = fold_once(&folded);
        if again == folded {
            break;
        }
        folded = again;
    }
    folded
}

/// The alphanumeric runs of `text` (combining marks stay with their letter), each with its
/// byte offsets in `text` and its folded form. Hyphens, apostrophes and all punctuation split.
///
/// ```
/// use trialog_core::text::words;
/// assert_eq!(words("EX-IN Kurs"), vec![(0, 2, "ex".into()), (3, 5, "in".into()), (6, 10, "kurs".into())]);
/// ```
pub fn words(text: &str) -> Vec<(usize, usize, String)> {
    words_of(text).collect()
}

/// [`words`] one at a time, so that a reader who stops early (a snippet past its window) folds
/// no more of the text than it reads.
fn words_of(text: &str) -> impl Iterator<Item = (usize, usize, String)> + '_ {
    let mut chars = text.char_indices().peekable();
    std::iter::from_fn(move || {
        loop {
            let (start, c) = chars.next()?;
            if !c.is_alphanumeric() {
                continue;
            }
            let mut end = start + c.len_utf8();
            while let Some(&(i, c)) = chars.peek() {
                if !(c.is_alphanumeric() || is_combining_mark(c)) {
                    break;
                }
                end = i + c.len_utf8();
                chars.next();
            }
            let folded = fold(&text[start..end]);
            if !folded.is_empty() {
                return Some((start, end, folded));
            }
        }
    })
}

/// The index terms of a document written in `language` ("de", "da" or "en"): its words without
/// that language's stop words, stemmed. Any other language, or none, keeps every word, folded
/// but not stemmed.
pub fn analyse(text: &str, language: Option<&str>) -> Vec<Token> {
    let analyser = Analyser::new(language);
    words_of(text)
        .filter_map(|(start, end, word)| {
            let term = analyser.term(&word)?.into_owned();
            Some(Token { term, start, end })
        })
        .collect()
}

/// What [`analyse`] does to one word of a document's language: its stop words dropped, the
/// rest stemmed.
struct Analyser {
    stemmer: Option<Stemmer>,
    stops: &'static [&'static str],
}

impl Analyser {
    fn new(language: Option<&str>) -> Analyser {
        let language = language.map(str::to_ascii_lowercase);
        let stemmer = language.as_deref().and_then(stemmer_for);
        let stops = language.as_deref().map(stopwords::of).unwrap_or(&[]);
        Analyser { stemmer, stops }
    }

    /// The index term of the folded `word`, or none for a stop word.
    fn term<'w>(&self, word: &'w str) -> Option<Cow<'w, str>> {
        if self.stops.contains(&word) {
            return None;
        }
        Some(match &self.stemmer {
            Some(s) => s.stem(word),
            None => Cow::Borrowed(word),
        })
    }
}

/// The words of a search query with their variants. Stop words of German, Danish and English
/// are dropped unless the query has nothing else ("to be or not to be" still searches);
/// repeated words are kept once.
///
/// ```
/// use trialog_core::text::query_terms;
/// let terms = query_terms("Jobs für die Genesungsbegleitung");
/// assert_eq!(terms.iter().map(|t| t.word.as_str()).collect::<Vec<_>>(), ["jobs", "genesungsbegleitung"]);
/// assert!(terms[0].variants.contains(&"job".to_string()));
/// ```
pub fn query_terms(query: &str) -> Vec<QueryTerm> {
    let all: Vec<String> = words(query).into_iter().map(|(_, _, w)| w).collect();
    let content: Vec<&String> = all.iter().filter(|w| !stopwords::is_stop_word(w)).collect();
    let chosen: Vec<&String> = if content.is_empty() { all.iter().collect() } else { content };
    let stemmers: Vec<Stemmer> = LANGUAGES.iter().filter_map(|l| stemmer_for(l)).collect();
    let mut out: Vec<QueryTerm> = Vec::new();
    for word in chosen {
        if out.iter().any(|t| &t.word == word) {
            continue;
        }
        let mut variants = vec![word.clone()];
        for stemmer in &stemmers {
            let stem = stemmer.stem(word).into_owned();
            if !variants.contains(&stem) {
                variants.push(stem);
            }
        }
        out.push(QueryTerm { word: word.clone(), variants });
    }
    out
}

/// Whether the folded `word` is a question or function word ("wo", "kann", "hvordan", "how",
/// "my"): a search may drop it from a query phrased as a question. Not a stop word: documents
/// keep it.
///
/// ```
/// use trialog_core::text::is_question_word;
/// assert!(is_question_word("hvordan") && !is_question_word("gruppe"));
/// ```
pub fn is_question_word(word: &str) -> bool {
    stopwords::is_question_word(word)
}

/// A 32-bit hash of an index term: FNV-1a over its UTF-8 bytes.
///
/// Indexes store these hashes on disk, so the function must never change: the same term gives
/// the same hash on every platform and in every release.
///
/// ```
/// assert_eq!(trialog_core::text::term_hash(""), 0x811c_9dc5);
/// assert_eq!(trialog_core::text::term_hash("a"), 0xe40c_292c);
/// ```
pub fn term_hash(term: &str) -> u32 {
    term.bytes().fold(0x811c_9dc5_u32, |hash, byte| (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193))
}

/// The Okapi BM25 weight of a term that occurs `tf` times in a document of `doc_len` terms,
/// when `df` of `docs` documents contain it and documents average `avg_doc_len` terms.
/// k1 = 1.2, b = 0.75, idf = ln(1 + (N − df + 0.5) / (df + 0.5)), never negative.
pub fn bm25(tf: u32, df: u64, docs: u64, doc_len: u32, avg_doc_len: f64) -> f64 {
    bm25_idf(df, docs) * bm25_tf(tf, doc_len, avg_doc_len)
}

/// The inverse document frequency part of [`bm25`]: the same for every document of a term, so
/// a search over long posting lists computes it once per term.
pub fn bm25_idf(df: u64, docs: u64) -> f64 {
    let (n, df) = (docs as f64, df as f64);
    (1.0 + (n - df + 0.5) / (df + 0.5)).ln().max(0.0)
}

/// The term-frequency part of [`bm25`], with the length normalisation.
pub fn bm25_tf(tf: u32, doc_len: u32, avg_doc_len: f64) -> f64 {
    bm25_tf_normed(tf, bm25_length_norm(doc_len, avg_doc_len))
}

/// The length normalisation of a document of `doc_len` terms, `k1 · (1 − b + b · len / avg)`:
/// a search over many postings computes it once per length.
pub fn bm25_length_norm(doc_len: u32, avg_doc_len: f64) -> f64 {
    let relative_len = if avg_doc_len > 0.0 { f64::from(doc_len) / avg_doc_len } else { 1.0 };
    BM25_K1 * (1.0 - BM25_B + BM25_B * relative_len)
}

/// [`bm25_tf`] with the document's [`bm25_length_norm`] given.
pub fn bm25_tf_normed(tf: u32, length_norm: f64) -> f64 {
    if tf == 0 {
        return 0.0;
    }
    let tf = f64::from(tf);
    tf * (BM25_K1 + 1.0) / (tf + length_norm)
}

/// A passage of at most `max_chars` characters of `text` around the first word that matches
/// one of `terms` (analysed in `language`, as the document was indexed), with every match in
/// it highlighted. Cut ends are marked with "…", so the result has at most `max_chars + 2`
/// characters. Without a match, the passage is the start of the text.
///
/// ```
/// use trialog_core::text::{query_terms, snippet};
/// let s = snippet("Wir suchen eine Genesungsbegleiterin in Jena.", &query_terms("jena"), Some("de"), 20);
/// assert_eq!(s.text, "…begleiterin in Jena.");
/// assert_eq!(&s.text[s.highlights[0].0..s.highlights[0].1], "Jena");
/// ```
pub fn snippet(text: &str, terms: &[QueryTerm], language: Option<&str>, max_chars: usize) -> Snippet {
    if max_chars == 0 {
        return Snippet { text: String::new(), highlights: Vec::new() };
    }
    // Every match lies at or after the first, and the window starts at or before it: the
    // words past the window's end need no stemming (a snippet of a long text stems a window's
    // worth of words, not the whole text).
    let analyser = Analyser::new(language);
    let is_match = |word: &(usize, usize, String)| {
        analyser.term(&word.2).is_some_and(|term| terms.iter().any(|t| t.variants.iter().any(|v| *v == term)))
    };
    let mut words = words_of(text);
    let first = words.find(is_match).map(|(start, end, _)| (start, end));
    let (from, to) = window(text, first, max_chars);
    let rest = words.take_while(|(start, _, _)| *start < to).filter(is_match).map(|(start, end, _)| (start, end));
    let matches: Vec<(usize, usize)> = first.into_iter().chain(rest).collect();
    passage(text, (from, to), &matches)
}

/// The bytes `from..to` of `text` as a snippet, "…" at each cut end, with the `matches` that
/// overlap it highlighted.
fn passage(text: &str, (from, to): (usize, usize), matches: &[(usize, usize)]) -> Snippet {
    let prefix = if from > 0 { ELLIPSIS } else { "" };
    let suffix = if to < text.len() { ELLIPSIS } else { "" };
    let shift = |offset: usize| offset - from + prefix.len();
    let highlights = matches
        .iter()
        .filter(|(start, end)| *start < to && *end > from)
        .map(|&(start, end)| (shift(start.max(from)), shift(end.min(to))))
        .collect();
    Snippet { text: format!("{prefix}{}{suffix}", &text[from..to]), highlights }
}

/// Byte range of at most `max_chars` characters holding the start of `first_match`, with about
/// a third of the room before it; the whole text when it fits.
fn window(text: &str, first_match: Option<(usize, usize)>, max_chars: usize) -> (usize, usize) {
    let boundaries: Vec<usize> = text.char_indices().map(|(i, _)| i).chain(std::iter::once(text.len())).collect();
    let total = boundaries.len() - 1;
    if total <= max_chars {
        return (0, text.len());
    }
    let char_at = |byte: usize| boundaries.partition_point(|&b| b < byte);
    let start_char = match first_match {
        None => 0,
        Some((start, end)) => {
            let (first, last) = (char_at(start), char_at(end));
            let room = max_chars.saturating_sub(last - first);
            first.saturating_sub(room / 3).min(total - max_chars)
        }
    };
    (boundaries[start_char], boundaries[start_char + max_chars])
}

/// One pass of [`fold`], and whether every character it gave is one a pass leaves alone
/// ([`settled`]). ASCII and the Cyrillic letters А–я (what Bulgarian is written in; Й and й
/// have decomposed into И or и and a breve before this) take a short way: their
/// decomposition is themselves and their lower case one step away. The crisis check folds
/// every word of every post, so this is most of its time on Bulgarian text.
fn fold_once(text: &str) -> (String, bool) {
    let mut out = String::with_capacity(text.len());
    let mut all_settled = true;
    for c in text.nfkd() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
            continue;
        }
        if ('\u{410}'..='\u{42F}').contains(&c) {
            out.push(char::from_u32(u32::from(c) + 0x20).unwrap_or(c));
            continue;
        }
        if ('\u{430}'..='\u{44F}').contains(&c) {
            out.push(c);
            continue;
        }
        for lower in c.to_lowercase() {
            if is_combining_mark(lower) {
                continue;
            }
            let folded = match lower {
                'ß' => "ss",
                'æ' => "ae",
                'œ' => "oe",
                'ø' => "o",
                'ł' => "l",
                'đ' => "d",
                other => {
                    all_settled &= settled(other);
                    out.push(other);
                    continue;
                }
            };
            out.push_str(folded);
        }
    }
    (out, all_settled)
}

/// Whether a pass of [`fold_once`] gives `c` back unchanged: lower-case ASCII and the
/// lower-case Cyrillic letters а–я but й (which decomposes).
fn settled(c: char) -> bool {
    (c.is_ascii() && !c.is_ascii_uppercase()) || (('\u{430}'..='\u{44F}').contains(&c) && c != '\u{439}')
}

fn stemmer_for(language: &str) -> Option<Stemmer> {
    let algorithm = match language {
        "de" => Algorithm::German,
        "da" => Algorithm::Danish,
        "en" => Algorithm::English,
        _ => return None,
    };
    Some(Stemmer::create(algorithm))
}

#[cfg(test)]
mod tests;
