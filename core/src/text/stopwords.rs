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

/// Words of questions and of the person asking, in the three languages, folded: kept in
/// documents (a text about "what you can do" is no worse for it) but dropped from a search
/// query, which visitors often type as a question ("Was kann ich tun, wenn …?", "hvordan får
/// jeg …", "how do I …"). Only the one search uses them; no content word is listed. Danish
/// "får"/"få" ("get") fold to "far"/"fa", so the father ("far") is dropped with them: the
/// search reads "far" as the far more common verb.
const QUESTION: &[&str] = &[
    "wo", "wer", "wann", "warum", "weshalb", "welche", "welcher", "welches", "wieso", "kann", "kannst", "konnen",
    "darf", "durfen", "muss", "mussen", "soll", "sollte", "mochte", "will", "gibt", "mein", "meine", "meinen",
    "meinem", "meiner", "mich", "mir", "dir", "man", "sich", "sein", "seine", "unser", "unsere", "unserer", "unseren",
    "wenn", "dann", "ob", "tun", "habe", "haben", "etwas", "sehr", "viel", "viele", "denn", "jetzt", "bekomme",
    "bekommt", "bekommen", "kriege", "kriegt", "hvordan", "hvorfor", "hvornar", "hvem", "hvilken", "hvilke", "min",
    "mit", "mine", "din", "dit", "dine", "gor", "skal", "vil", "have", "noget", "meget", "vaere", "far", "fa", "faet",
    "how", "why", "when", "where", "can", "could", "do", "does", "did", "my", "me", "should", "would", "there", "any",
    "some", "am", "if", "much", "many",
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

/// Whether `word` (folded) is a question or function word of a query ([`QUESTION`]).
pub(super) fn is_question_word(word: &str) -> bool {
    QUESTION.contains(&word)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_written_folded() {
        for word in GERMAN.iter().chain(DANISH).chain(ENGLISH).chain(QUESTION) {
            assert_eq!(super::super::fold(word), *word, "stop word {word} is not folded");
        }
    }
}
