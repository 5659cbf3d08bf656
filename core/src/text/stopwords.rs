//! Small stop-word lists: the words too common to help a search, written folded (as
//! [`super::fold`] leaves them: "für" is "fur"). Short on purpose: a word missing here costs a
//! little ranking quality; a content word listed here would be unsearchable.

const GERMAN: &[&str] = &[
    "aber", "alle", "als", "am", "an", "auch", "auf", "aus", "bei", "bin", "bis", "das", "dass", "dem", "den", "der",
    "des", "die", "doch", "du", "ein", "eine", "einem", "einen", "einer", "eines", "er", "es", "fur", "hat", "ich",
    "ihr", "im", "in", "ist", "ja", "mit", "nach", "nicht", "noch", "nur", "oder", "sie", "sind", "so", "uber", "um",
    "und", "uns", "vom", "von", "vor", "war", "was", "wie", "wir", "wird", "zu", "zum", "zur",
];

const DANISH: &[&str] = &[
    "af", "alle", "at", "da", "de", "den", "der", "det", "dig", "du", "efter", "eller", "en", "er", "et", "for", "fra",
    "han", "har", "hun", "hvad", "hvor", "i", "ikke", "jeg", "kan", "man", "med", "men", "mig", "nar", "og", "om",
    "os", "pa", "sig", "sin", "som", "til", "var", "vi", "ved",
];

const ENGLISH: &[&str] = &[
    "a", "about", "all", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "he", "i",
    "in", "is", "it", "its", "not", "of", "on", "or", "our", "she", "that", "the", "their", "they", "this", "to",
    "was", "we", "were", "what", "which", "who", "will", "with", "you", "your",
];

/// The stop words of `language` ("de", "da", "en"); none for any other.
pub(super) fn of(language: &str) -> &'static [&'static str] {
    match language {
        "de" => GERMAN,
        "da" => DANISH,
        "en" => ENGLISH,
        _ => &[],
    }
}

/// Whether `word` (folded) is a stop word in any of the three languages.
pub(super) fn is_stop_word(word: &str) -> bool {
    [GERMAN, DANISH, ENGLISH].iter().any(|list| list.contains(&word))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_written_folded() {
        for word in GERMAN.iter().chain(DANISH).chain(ENGLISH) {
            assert_eq!(super::super::fold(word), *word, "stop word {word} is not folded");
        }
    }
}
