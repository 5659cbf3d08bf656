//! German verb forms. The Snowball stemmer strips endings only, so "gegründet" never meets
//! "gründen", "abgesetzt" never meets "absetzen", "beantragen" never meets "Antrag", and a
//! noun in -ung ("Leitung") never meets its verb ("leitet"). [`german_relatives`] gives the
//! extra stems that bridge them: the search adds them beside a German word's own stem at index
//! time (as it adds compound parts) and offers them as forms of a typed word at query time.
//!
//! The rules are few and regular (weak verbs). Strong verbs change their vowel
//! ("geschrieben", "eingewiesen"); [`german_strong_relatives`] guesses their infinitives from
//! the few regular vowel changes, for a query only, where a guess costs one lookup and counts
//! only when the index knows it (at index time a wrong guess would add a term to a document).
//! At index time the capital letter tells a German noun from a verb form, so "Gehalt" is not
//! read as a participle of "halten".

use super::compound;

/// Separable verb prefixes that come before "ge" in a participle ("ab|ge|setzt").
const SEPARABLE: [&str; 18] = [
    "ab", "an", "auf", "aus", "bei", "ein", "fest", "her", "hin", "mit", "nach", "teil", "vor", "weg", "weiter", "zu",
    "zuruck", "zusammen",
];
/// Adjectives and nouns that form a verb with its participle's "ge" inside
/// ("krank|ge|schrieben", "frei|ge|stellt"): content words, so the word is also found by them.
const CONTENT_PARTICLES: [&str; 7] = ["krank", "frei", "gut", "klar", "kaputt", "offen", "schwer"];
/// Vowel changes of strong participles back to their infinitive, tried on the last vowel of
/// the stem: "schrieb" → "schreib", "fund" → "find", "holf" → "helf", "flog" → "flieg"; the
/// unchanged stem ("getragen" → "tragen") is tried first.
const ABLAUT: [(&str, &str); 4] = [("ie", "ei"), ("u", "i"), ("o", "e"), ("o", "ie")];
/// Shortest verb stem a rule leaves ("setz", "grund"), in bytes: three-letter stems are
/// mostly strong verbs whose -t form the rules misread ("hält" is no weak "halen").
const MIN_CORE_BYTES: usize = 4;

/// Extra German stems for the folded `word`: the infinitive's stem of a weak participle
/// ("gegrundet" → grund, "abgesetzt" → absetz) or of a finite form in -t ("leitet" → leit),
/// the word without "be-" when the rest is a known noun ("beantragen" → antrag), and the
/// verb's stem of a noun in -ung ("leitung" → leit). `noun` says the word was written with a
/// capital (a noun, in German text): only the -ung rule applies to it, and the verb rules
/// only to words that were not. Never the word's own stem; without repeats.
///
/// ```
/// use trialog_core::text::german_relatives;
/// assert_eq!(german_relatives("gegrundet", false), ["grund"]);
/// assert_eq!(german_relatives("leitung", true), ["leit"]);
/// assert!(german_relatives("gehalt", true).is_empty());
/// ```
pub fn german_relatives(word: &str, noun: bool) -> Vec<String> {
    let Some(stemmer) = super::stemmer_for("de") else { return Vec::new() };
    let stem = |w: &str| stemmer.stem(w).into_owned();
    let mut found: Vec<String> = Vec::new();
    if noun {
        if let Some(core) = word.strip_suffix("ung").filter(|c| c.len() >= MIN_CORE_BYTES) {
            found.push(stem(&format!("{core}en")));
        }
    } else {
        if let Some(infinitive) = participle_infinitive(word).or_else(|| finite_infinitive(word)) {
            found.push(stem(&infinitive));
        }
        if let Some(noun) = without_be(word) {
            found.push(stem(noun));
        }
    }
    let own = stem(word);
    let mut out: Vec<String> = Vec::new();
    for term in found {
        if term != own && term.len() >= MIN_CORE_BYTES && !out.contains(&term) {
            out.push(term);
        }
    }
    out
}

/// The infinitive of a weak participle, with its separable prefix: "gegrundet" → "grunden",
/// "abgesetzt" → "absetzen", "krankgemeldet" → "krankmelden".
fn participle_infinitive(word: &str) -> Option<String> {
    let (prefix, rest) = participle_prefix(word);
    let core = weak_core(rest.strip_prefix("ge")?)?;
    Some(format!("{prefix}{core}en"))
}

/// A word split before its participle's "ge" when a separable prefix or a content particle
/// comes first ("ab", "gesetzt"; "krank", "geschrieben"), else ("", word).
fn participle_prefix(word: &str) -> (&'static str, &str) {
    SEPARABLE
        .iter()
        .chain(&CONTENT_PARTICLES)
        .filter_map(|p| word.strip_prefix(p).map(|rest| (*p, rest)))
        .find(|(_, rest)| rest.starts_with("ge"))
        .unwrap_or(("", word))
}

/// Guessed stems of a strong participle's infinitive, for a query: "geschrieben" → schrieb,
/// schreib; "krankgeschrieben" → krankschrieb, krankschreib, and (as parts, second) krank,
/// schrieb, schreib, so that the word also meets a text holding only "krank" and "schreiben".
/// Returns (whole-verb stems, part stems); both empty for a word that is no "ge…en" form.
/// The caller keeps only the stems its index knows.
///
/// ```
/// use trialog_core::text::german_strong_relatives;
/// let (whole, parts) = german_strong_relatives("krankgeschrieben");
/// assert!(whole.contains(&"krankschreib".to_string()));
/// assert!(parts.contains(&"krank".to_string()) && parts.contains(&"schreib".to_string()));
/// ```
pub fn german_strong_relatives(word: &str) -> (Vec<String>, Vec<String>) {
    let Some(stemmer) = super::stemmer_for("de") else { return (Vec::new(), Vec::new()) };
    let (prefix, rest) = participle_prefix(word);
    let Some(core) = rest.strip_prefix("ge").and_then(|r| r.strip_suffix("en")) else {
        return (Vec::new(), Vec::new());
    };
    if core.len() < MIN_CORE_BYTES - 1 || !core.chars().any(is_vowel) {
        return (Vec::new(), Vec::new());
    }
    let mut cores = vec![core.to_string()];
    for (from, to) in ABLAUT {
        if let Some(at) = core.rfind(from) {
            cores.push(format!("{}{to}{}", &core[..at], &core[at + from.len()..]));
        }
    }
    let stem = |w: String| stemmer.stem(&w).into_owned();
    let mut whole: Vec<String> = Vec::new();
    let mut parts: Vec<String> = Vec::new();
    if CONTENT_PARTICLES.contains(&prefix) {
        parts.push(stem(prefix.to_string()));
    }
    for c in &cores {
        let verb = stem(format!("{prefix}{c}en"));
        if verb.len() >= MIN_CORE_BYTES && !whole.contains(&verb) {
            whole.push(verb);
        }
        if !prefix.is_empty() && CONTENT_PARTICLES.contains(&prefix) {
            let bare = stem(format!("{c}en"));
            if bare.len() >= MIN_CORE_BYTES && !parts.contains(&bare) {
                parts.push(bare);
            }
        }
    }
    (whole, parts)
}

/// The infinitive of a finite form or participle in -t without "ge" ("leitet" → "leiten",
/// "begleitet" → "begleiten"). A word in "ge-" that is no participle is left alone: it is
/// mostly a noun typed in lower case ("gehalt").
fn finite_infinitive(word: &str) -> Option<String> {
    if word.starts_with("ge") {
        return None;
    }
    weak_core(word).map(|core| format!("{core}en"))
}

/// The verb stem of a weak form in -t or -et: "-et" goes after d or t ("grundet" → grund),
/// else "-t" ("setzt" → setz).
fn weak_core(form: &str) -> Option<&str> {
    let core = match form.strip_suffix("et") {
        Some(core) if core.ends_with('d') || core.ends_with('t') => core,
        _ => form.strip_suffix('t')?,
    };
    (core.len() >= MIN_CORE_BYTES && core.chars().any(is_vowel) && !core.ends_with(is_vowel)).then_some(core)
}

/// The noun inside a verb made with "be-": "beantragen" → "antrag", when that noun is a
/// word of the compound dictionary (so "beraten" does not give "rat").
fn without_be(word: &str) -> Option<&str> {
    let rest = word.strip_prefix("be")?;
    ["en", "et", "t", "st", "e", "n", ""]
        .iter()
        .filter_map(|ending| rest.strip_suffix(ending))
        .find(|noun| noun.len() >= MIN_CORE_BYTES && compound::is_word(noun, "de"))
}

fn is_vowel(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

#[cfg(test)]
mod tests;
