//! Text analysis shared by every search: words are folded (lower case, accents removed) and
//! stemmed with the Snowball stemmer of the text's language (German, Danish or English), so
//! "Genesungsbegleiterinnen", "genesungsbegleiterin" and "GENESUNGSBEGLEITERIN" meet.
//!
//! Documents are analysed in their own language. A query's language is unknown, so each query
//! word carries every form a document may hold it in: folded, and stemmed in each language.

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// A word of a document, as indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Folded and stemmed.
    pub term: String,
    /// Byte range of the word in the original text.
    pub start: usize,
    pub end: usize,
}

/// A word of a query with the forms it may take in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryTerm {
    pub word: String,
    pub variants: Vec<String>,
}

/// Lower case without accents: `Übergänge` → `ubergange`. Letters that are not accented
/// forms are spelled out as Germans and Danes type them without the key: ß → ss, æ → ae,
/// œ → oe; ø and å lose their marks (ø → o, å → a) like other accented letters.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.nfkd() {
        if is_combining_mark(c) {
            continue;
        }
        match c {
            'ß' | 'ẞ' => out.push_str("ss"),
            'æ' | 'Æ' => out.push_str("ae"),
            'œ' | 'Œ' => out.push_str("oe"),
            'ø' | 'Ø' => out.push('o'),
            'ł' | 'Ł' => out.push('l'),
            'đ' | 'Đ' => out.push('d'),
            _ => out.extend(c.to_lowercase()),
        }
    }
    out
}

/// The folded words of `text` (runs of letters and digits) with their byte ranges.
pub fn words(text: &str) -> Vec<(usize, usize, String)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices().chain(std::iter::once((text.len(), ' '))) {
        match (c.is_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i, fold(&text[s..i])));
                start = None;
            }
            _ => {}
        }
    }
    out
}

/// The indexable words of a document in `language` (ISO 639-1): stop words dropped, the
/// rest stemmed. Other languages are folded but not stemmed.
pub fn analyse(text: &str, language: Option<&str>) -> Vec<Token> {
    let stemmer = language.and_then(algorithm).map(Stemmer::create);
    words(text)
        .into_iter()
        .filter(|(_, _, w)| !is_stop_word(w, language))
        .map(|(start, end, w)| {
            let term = stemmer.as_ref().map_or_else(|| w.clone(), |s| s.stem(&w).into_owned());
            Token { term, start, end }
        })
        .collect()
}

/// The words of a query with their possible forms. Stop words of all three languages are
/// dropped unless nothing else is left; repeated words count once.
pub fn query_terms(query: &str) -> Vec<QueryTerm> {
    let all = words(query);
    let content: Vec<_> = all.iter().filter(|(_, _, w)| !is_stop_word(w, None)).collect();
    let chosen: Vec<&(usize, usize, String)> = if content.is_empty() { all.iter().collect() } else { content };
    let stemmers: Vec<Stemmer> = [Algorithm::German, Algorithm::Danish, Algorithm::English].map(Stemmer::create).into();
    let mut out: Vec<QueryTerm> = Vec::new();
    for (_, _, word) in chosen {
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

/// FNV-1a (32 bit) of a term. Stored on disk in search cards: never change it without a
/// migration that rebuilds them.
pub fn term_hash(term: &str) -> u32 {
    term.bytes().fold(0x811c_9dc5_u32, |h, b| (h ^ u32::from(b)).wrapping_mul(0x0100_0193))
}

/// BM25 weight of a term (k1 = 1.2, b = 0.75) with a non-negative idf.
pub fn bm25(tf: u32, df: u64, docs: u64, doc_len: u32, avg_doc_len: f64) -> f64 {
    let (k1, b) = (1.2, 0.75);
    let (n, df) = (docs as f64, df as f64);
    let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
    let tf = f64::from(tf);
    let norm = 1.0 - b + b * f64::from(doc_len) / avg_doc_len.max(1.0);
    idf * tf * (k1 + 1.0) / (tf + k1 * norm)
}

fn algorithm(language: &str) -> Option<Algorithm> {
    match language {
        "de" => Some(Algorithm::German),
        "da" => Some(Algorithm::Danish),
        "en" => Some(Algorithm::English),
        _ => None,
    }
}

const GERMAN_STOP: &[&str] = &[
    "der", "die", "das", "und", "oder", "in", "im", "mit", "fur", "von", "zu", "zum", "zur", "den", "dem", "des",
    "ein", "eine", "einen", "einem", "einer", "ist", "sind", "auf", "an", "am", "als", "auch", "wir", "sie", "ihr",
    "bei", "nach", "uber", "unser", "unsere", "sich", "es", "aus",
];
const DANISH_STOP: &[&str] = &[
    "og", "i", "at", "er", "en", "et", "til", "med", "af", "pa", "for", "den", "det", "de", "som", "vi", "du", "har",
    "os", "fra", "eller",
];
const ENGLISH_STOP: &[&str] = &[
    "the", "a", "an", "and", "or", "of", "to", "in", "on", "for", "with", "is", "are", "we", "you", "our", "at", "as",
    "by", "be",
];

/// Whether a folded word is a stop word of `language` (of any of the three when `None`).
fn is_stop_word(word: &str, language: Option<&str>) -> bool {
    let lists: &[&[&str]] = match language {
        Some("de") => &[GERMAN_STOP],
        Some("da") => &[DANISH_STOP],
        Some("en") => &[ENGLISH_STOP],
        Some(_) => &[],
        None => &[GERMAN_STOP, DANISH_STOP, ENGLISH_STOP],
    };
    lists.iter().any(|list| list.contains(&word))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn terms(text: &str, language: &str) -> Vec<String> {
        analyse(text, Some(language)).into_iter().map(|t| t.term).collect()
    }

    #[test]
    fn case_accents_and_special_letters_fold() {
        assert_eq!(fold("GENESUNGSBEGLEITERIN"), fold("Genesungsbegleiterin"));
        assert_eq!(fold("Übergänge"), "ubergange");
        assert_eq!(fold("Straße"), "strasse");
        assert_eq!(fold("støtte"), "stotte");
        assert_eq!(fold("Ærø"), "aero");
        assert_eq!(fold("Cœur"), "coeur");
    }

    #[test]
    fn word_forms_meet_in_their_stem() {
        assert_eq!(terms("Stellen", "de"), terms("Stelle", "de"));
        assert_eq!(terms("jobs", "en"), terms("job", "en"));
        assert_eq!(terms("medarbejdere", "da"), terms("medarbejder", "da"));
        assert_eq!(terms("Genesungsbegleiterin und die Genesungsbegleiter", "de").len(), 2, "stop words dropped");
    }

    #[test]
    fn query_words_carry_the_stems_of_every_language() {
        let q = query_terms("Peer-Stellen in Aarhus");
        let words: Vec<_> = q.iter().map(|t| t.word.as_str()).collect();
        assert_eq!(words, ["peer", "stellen", "aarhus"]);
        let german = terms("Stellen", "de")[0].clone();
        assert!(q[1].variants.contains(&german), "{q:?}");
        assert_eq!(query_terms("die").len(), 1, "a query of stop words only keeps them");
    }

    #[test]
    fn the_term_hash_is_stable() {
        assert_eq!(term_hash(""), 0x811c_9dc5);
        assert_eq!(term_hash("a"), 0xe40c_292c);
    }

    proptest! {
        #[test]
        fn folding_is_idempotent(text in "\\PC{0,40}") {
            let once = fold(&text);
            prop_assert_eq!(fold(&once), once.clone());
        }

        #[test]
        fn token_offsets_slice_the_original_text(text in "\\PC{0,60}") {
            for token in analyse(&text, Some("de")) {
                prop_assert!(text.is_char_boundary(token.start) && text.is_char_boundary(token.end));
                prop_assert!(token.start < token.end);
            }
        }
    }
}
