//! German verb forms. The Snowball stemmer strips endings only, so "gegründet" never meets
//! "gründen", "abgesetzt" never meets "absetzen", "beantragen" never meets "Antrag", and a
//! noun in -ung ("Leitung") never meets its verb ("leitet"). [`german_relatives`] gives the
//! extra stems that bridge them: the search adds them beside a German word's own stem at index
//! time (as it adds compound parts) and offers them as forms of a typed word at query time.
//!
//! The rules are few and regular (weak verbs); strong verbs change their vowel ("gebracht",
//! "eingewiesen") and are not guessed. At index time the capital letter tells a German noun
//! from a verb form, so "Gehalt" is not read as a participle of "halten".

use super::compound;

/// Separable verb prefixes that come before "ge" in a participle ("ab|ge|setzt").
const SEPARABLE: [&str; 18] = [
    "ab", "an", "auf", "aus", "bei", "ein", "fest", "her", "hin", "mit", "nach", "teil", "vor", "weg", "weiter", "zu",
    "zuruck", "zusammen",
];
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
/// "abgesetzt" → "absetzen".
fn participle_infinitive(word: &str) -> Option<String> {
    let (prefix, rest) = SEPARABLE
        .iter()
        .filter_map(|p| word.strip_prefix(p).map(|rest| (*p, rest)))
        .find(|(_, rest)| rest.starts_with("ge"))
        .unwrap_or(("", word));
    let core = weak_core(rest.strip_prefix("ge")?)?;
    Some(format!("{prefix}{core}en"))
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
