//! German compound splitting: "Netzwerkarbeit" is found by "Arbeit im Netzwerk" and the
//! reverse only if both sides know that the compound holds "netzwerk" and "arbeit".
//!
//! The splitter is a small dictionary of its own (constituents common in peer-support,
//! self-help and psychiatry texts, plus everyday words that often form compounds) and a
//! dynamic programme that cuts a word into the fewest dictionary words, allowing the linking
//! elements -s-, -es-, -n-, -en-, -er-, -e- between them, a dropped final -e of a first part
//! ("Schul|sozialarbeit") and an inflection ending on the last part ("…gruppe|n",
//! "…begleiter|innen"). A word splits only when every letter is covered, so words such as
//! "Beratung" or "Verein" stay whole: no dictionary word covers "be" or "ver". The dictionary
//! deliberately leaves out short words that would cut common words wrongly ("haus", "werk",
//! "rat", "aus"): a missed split costs recall, a wrong one brings noise into every search.
//!
//! The search calls [`compound_parts`] (or [`compound_stems`]) on each folded German word at
//! index time and at query time and adds the parts as extra terms.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Words longer than this (in bytes) are not split: no real compound is this long, and the
/// splitting work grows with the square of the length.
const MAX_WORD_BYTES: usize = 64;
/// Shortest constituent, so that short letter runs inside words are never taken for words.
const MIN_PART_BYTES: usize = 3;
/// Linking elements between two constituents ("Genesung|s|begleitung"), empty first.
const LINKS: [&str; 7] = ["", "s", "es", "n", "en", "er", "e"];
/// Inflection endings the last constituent may carry ("Selbsthilfegruppe|n").
const ENDINGS: [&str; 11] = ["", "e", "n", "en", "s", "es", "er", "ern", "in", "innen", "nen"];

/// The constituent dictionary, folded as [`super::fold`] folds (ä → a, ß → ss), one word per
/// whitespace-separated entry. Kept in one string so its size is plain to see.
const DICTIONARY: &str = "
abend alltag amt anfang angebot angehorige angst anleitung antrag antwort arbeit arbeitgeber
arzt aufenthalt aufnahme ausbildung austausch bedarf befristung begleiter begleitung behandlung
behinderung beirat berater beratung bericht beruf beschwerde besprechung besuch betreuer
betreuung betroffene bewerbung bildung brief buch burger dach daten depression diagnose dienst
diskriminierung eingliederung einrichtung einstieg eltern empowerment ende entgelt entlass
entlassung erfahrung erkrankung erwachsene erwerb erwerbsminderung experte fach fachkraft fall
familie ferien fixierung forderung fortbildung forum frage frau freund fruh fursorge
fursprecher geber gehalt geld gemeinde genesung gericht geschichte geschwister gesellschaft
gesprach gesundheit gewalt grenze gruppe hilfe horer information jahr job jugend kasse kind
klinik kollege konflikt kontakt kontaktstelle kooperation kosten kraft krankenhaus krankenkasse
kreis krise kultur kurs land leben lehrer leiter leitung lohn management mann markt massnahme
material medikament mensch miete minderung mitarbeiter mitglied mittel modell modul monat
mutter nacht neben nehmer netz netzwerk notfall notruf online partner patient peer pflege plan
platz politik portfolio praktikum praxis projekt psychiatrie psychose qualitat raum recht regel
reha rente runde schlaf schule schutz seele seite selbst selbsthilfe seminar situation sorge
sozial sprache sprech stadt station stelle stigma stimme storung stress stunde suche sucht
suizid supervision system tag tarif team teil telefon thema therapie training treff treffen
trialog uberblick unterbringung unterstutzung vater verband verdienst verein vereinbarung
verfugung vergutung verlauf versorgung vertrag vertreter vorstellung wahl warn warnzeichen weg
weiter wieder wirkung wissen woche wohn wohnung zeichen zeit ziel zirkel zugang zuverdienst
zwang
";

/// The constituents of a German compound `word` (folded, as [`super::words`] returns it), to
/// add as extra index or query terms beside the word itself. The top-level parts come first,
/// then the parts of parts ("selbsthilfegruppe" → selbsthilfe, gruppe, selbst, hilfe); each
/// part appears once, never the word itself. A first part is given without its linking
/// element, the last part as written ("genesungsbegleiterin" → genesung, begleiterin), so that
/// stemming it gives what stemming the part written alone gives. A word that is no compound of
/// dictionary words gives nothing.
///
/// ```
/// use trialog_core::text::compound_parts;
/// assert_eq!(compound_parts("netzwerkarbeit"), ["netzwerk", "arbeit"]);
/// assert_eq!(compound_parts("selbsthilfegruppe"), ["selbsthilfe", "gruppe", "selbst", "hilfe"]);
/// assert!(compound_parts("beratung").is_empty());
/// ```
pub fn compound_parts(word: &str) -> Vec<String> {
    let mut out = Vec::new();
    collect_parts(word, &mut out);
    out
}

/// [`compound_parts`] stemmed with the German stemmer, without repeats and without the stem of
/// the word itself: the terms a German document analysed by [`super::analyse`] would hold had
/// it written the parts as separate words.
///
/// ```
/// use trialog_core::text::{analyse, compound_stems};
/// let stems = compound_stems("genesungsbegleiterinnen");
/// let apart = analyse("Genesung Begleiterinnen", Some("de"));
/// assert_eq!(stems, apart.into_iter().map(|t| t.term).collect::<Vec<_>>());
/// ```
pub fn compound_stems(word: &str) -> Vec<String> {
    let Some(stemmer) = super::stemmer_for("de") else {
        return Vec::new();
    };
    let whole = stemmer.stem(word).into_owned();
    let mut out: Vec<String> = Vec::new();
    for part in compound_parts(word) {
        let stem = stemmer.stem(&part).into_owned();
        if stem != whole && !out.contains(&stem) {
            out.push(stem);
        }
    }
    out
}

fn dictionary() -> &'static HashSet<&'static str> {
    static WORDS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| DICTIONARY.split_whitespace().collect())
}

/// Adds the split of `word` and, recursively, of its parts to `out`.
fn collect_parts(word: &str, out: &mut Vec<String>) {
    let Some(parts) = split(word) else {
        return;
    };
    let fresh: Vec<&str> = parts.iter().copied().filter(|p| *p != word && !out.iter().any(|o| o == p)).collect();
    out.extend(fresh.iter().map(|p| p.to_string()));
    for part in fresh {
        collect_parts(part, out);
    }
}

/// One way of covering `word[i..]`: how many parts, how many bytes of links, elisions and
/// endings (fewer is better: more of the word is dictionary words), and the first part.
#[derive(Clone, Copy)]
struct Cover<'a> {
    parts: usize,
    glue: usize,
    /// The first part as returned, and the byte offset where the next part starts.
    head: &'a str,
    next: usize,
}

/// The best cut of `word` into two or more dictionary words, or `None`.
fn split(word: &str) -> Option<Vec<&str>> {
    if word.len() > MAX_WORD_BYTES || word.len() < 2 * MIN_PART_BYTES {
        return None;
    }
    let dict = dictionary();
    let n = word.len();
    // best[i]: the best cover of word[i..], filled from the end; one part may cover a tail,
    // but the whole word needs two or more (a dictionary word may still be a compound).
    let mut best: Vec<Option<Cover>> = vec![None; n + 1];
    for i in (0..n).rev().filter(|&i| word.is_char_boundary(i)) {
        best[i] = if i == 0 { None } else { last_part(word, i, dict) };
        for end in (i + MIN_PART_BYTES..n).filter(|&e| word.is_char_boundary(e)) {
            let piece = &word[i..end];
            let Some(elided) = head_word(piece, dict) else {
                continue;
            };
            for link in LINKS {
                let next = end + link.len();
                if next >= n || !word[end..].starts_with(link) {
                    continue;
                }
                let Some(rest) = best[next] else {
                    continue;
                };
                let glue = rest.glue + link.len() + usize::from(elided);
                let candidate = Cover { parts: rest.parts + 1, glue, head: piece, next };
                if better(&candidate, &best[i]) {
                    best[i] = Some(candidate);
                }
            }
        }
    }
    let first = best[0]?;
    let mut parts = vec![first.head];
    let mut at = first.next;
    while at < n {
        let cover = best[at]?;
        parts.push(cover.head);
        at = cover.next;
    }
    Some(parts)
}

/// `word[i..]` as one final part: a dictionary word with an optional inflection ending.
fn last_part<'a>(word: &'a str, i: usize, dict: &HashSet<&str>) -> Option<Cover<'a>> {
    let rest = &word[i..];
    ENDINGS
        .iter()
        .filter(|ending| rest.len() >= MIN_PART_BYTES + ending.len() && rest.ends_with(*ending))
        .find(|ending| dict.contains(&rest[..rest.len() - ending.len()]))
        .map(|ending| Cover { parts: 1, glue: ending.len(), head: rest, next: word.len() })
}

/// Whether a non-final part `piece` is a dictionary word: `Some(false)` as it stands,
/// `Some(true)` with the final "e" it dropped ("schul" for "schule", "hilf" in "Hilfsangebot").
fn head_word(piece: &str, dict: &HashSet<&str>) -> Option<bool> {
    if dict.contains(piece) {
        return Some(false);
    }
    let restored = format!("{piece}e");
    (piece.len() >= 4 && dict.contains(restored.as_str())).then_some(true)
}

fn better(candidate: &Cover, current: &Option<Cover>) -> bool {
    match current {
        None => true,
        Some(c) => (candidate.parts, candidate.glue) < (c.parts, c.glue),
    }
}

#[cfg(test)]
mod tests;
