//! German and Danish compound splitting: "Netzwerkarbeit" is found by "Arbeit im Netzwerk"
//! and the reverse only if both sides know that the compound holds "netzwerk" and "arbeit";
//! Danish writes compounds the same way ("pårørendegruppe", "selvhjælpsgruppe").
//!
//! For each language the splitter is a small dictionary of its own (constituents common in peer-support,
//! self-help and psychiatry texts, plus everyday words that often form compounds) and a
//! dynamic programme that cuts a word into the fewest dictionary words, allowing the linking
//! elements -s-, -es-, -n-, -en-, -er-, -e- between them, a dropped final -e of a first part
//! ("Schul|sozialarbeit") and an inflection ending on the last part ("…gruppe|n",
//! "…begleiter|innen"). A word splits only when every letter is covered, so words such as
//! "Beratung" or "Verein" stay whole: no dictionary word covers "be" or "ver". The dictionary
//! deliberately leaves out short words that would cut common words wrongly ("haus", "werk",
//! "rat", "aus"): a missed split costs recall, a wrong one brings noise into every search.
//!
//! Danish links its parts with -s- or -e- ("selvhjælp|s|gruppe", "seng|e|afsnit") and
//! inflects the last part with its own endings ("praktik|plads|er", "gruppe|rne").
//!
//! The search calls [`compound_stems_in`] on each folded German or Danish word at index time
//! (in the document's language) and at query time (in both) and adds the parts as extra
//! terms.

use std::collections::HashSet;
use std::sync::OnceLock;

/// Words longer than this (in bytes) are not split: no real compound is this long, and the
/// splitting work grows with the square of the length.
const MAX_WORD_BYTES: usize = 64;
/// Shortest constituent, so that short letter runs inside words are never taken for words.
const MIN_PART_BYTES: usize = 3;
/// German linking elements between two constituents ("Genesung|s|begleitung"), empty first.
const LINKS: &[&str] = &["", "s", "es", "n", "en", "er", "e"];
/// Inflection endings the last German constituent may carry ("Selbsthilfegruppe|n").
const ENDINGS: &[&str] = &["", "e", "n", "en", "s", "es", "er", "ern", "in", "innen", "nen"];
/// Danish linking elements ("selvhjælp|s|gruppe", "krise|center" needs none).
const DANISH_LINKS: &[&str] = &["", "s", "e"];
/// Inflection endings of the last Danish constituent: plural, definite and genitive forms
/// ("gruppe|r", "gruppe|rne", "plads|er", "plads|erne", "center|et", "aftale|n").
const DANISH_ENDINGS: &[&str] = &["", "e", "en", "er", "et", "ne", "r", "n", "s", "rne", "erne", "ene", "ens", "ets"];

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
signal sozial sprache sprech stadt station stelle stigma stimme storung stress stunde suche sucht
suizid supervision system tag tarif team teil telefon thema therapie training treff treffen
trialog uberblick unterbringung unterstutzung vater verband verdienst verein vereinbarung
verfugung vergutung verlauf versorgung vertrag vertreter vorstellung wahl warn warnzeichen weg
weiter wieder wirkung wissen woche wohn wohnung zahl zeichen zeit ziel zirkel zugang zuverdienst
zwang
";

/// The Danish constituent dictionary, folded (æ → ae, ø → o, å → a): words of peer work,
/// self-help, psychiatry and social services that Danish joins into compounds. As for
/// German, short words that would cut common words wrongly ("bo", "far", "mor", "ret", "syg")
/// are left out.
const DANISH_DICTIONARY: &str = "
aftale afsnit angst ansaettelse ansogning arbejde arbejder arbejdsplads behandling beboer
bisidder born borger bostotte botilbud center depression dag erfaring familie fleks forening
forlob fortid foraeldre frivillig gruppe hjaelp hjem hospital hverdag indlaeggelse job kommune
kontrakt krise laege leder liv lon medarbejder medicin mode netvaerk omsorg online overenskomst
parorende partner patient peer pension person personale plads plan praktik psykiatri psykose
pulje radgivning recovery region regel rettighed samarbejde samtale selvhjaelp selvmord seng
social soskende sparring stemme stotte supervision sygdom tanke tegn telefon tilbud tilskud
tvang uddannelse viden vagt vaerested
";

/// A language's compound rules.
struct Lexicon {
    words: &'static str,
    links: &'static [&'static str],
    endings: &'static [&'static str],
    set: OnceLock<HashSet<&'static str>>,
}

static GERMAN: Lexicon = Lexicon { words: DICTIONARY, links: LINKS, endings: ENDINGS, set: OnceLock::new() };
static DANISH: Lexicon =
    Lexicon { words: DANISH_DICTIONARY, links: DANISH_LINKS, endings: DANISH_ENDINGS, set: OnceLock::new() };

impl Lexicon {
    fn of(language: &str) -> Option<&'static Lexicon> {
        match language {
            "de" => Some(&GERMAN),
            "da" => Some(&DANISH),
            _ => None,
        }
    }

    fn dictionary(&self) -> &HashSet<&'static str> {
        self.set.get_or_init(|| self.words.split_whitespace().collect())
    }
}

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
    compound_parts_in(word, "de")
}

/// [`compound_parts`] with the rules of `language` ("de" or "da"); nothing for any other.
///
/// ```
/// use trialog_core::text::{compound_parts_in, fold};
/// assert_eq!(compound_parts_in(&fold("pårørendegruppe"), "da"), ["parorende", "gruppe"]);
/// assert_eq!(compound_parts_in("selvhjaelpsgrupper", "da"), ["selvhjaelp", "grupper"]);
/// assert!(compound_parts_in("selvhjaelpsgrupper", "en").is_empty());
/// ```
pub fn compound_parts_in(word: &str, language: &str) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(lexicon) = Lexicon::of(language) {
        collect_parts(word, lexicon, &mut out);
    }
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
    compound_stems_in(word, "de")
}

/// [`compound_stems`] with the rules and the stemmer of `language` ("de" or "da").
///
/// ```
/// use trialog_core::text::{analyse, compound_stems_in};
/// let apart = analyse("selvhjælp grupper", Some("da"));
/// assert_eq!(compound_stems_in("selvhjaelpsgrupper", "da"), apart.into_iter().map(|t| t.term).collect::<Vec<_>>());
/// ```
pub fn compound_stems_in(word: &str, language: &str) -> Vec<String> {
    let Some(stemmer) = super::stemmer_for(language) else {
        return Vec::new();
    };
    let whole = stemmer.stem(word).into_owned();
    let mut out: Vec<String> = Vec::new();
    for part in compound_parts_in(word, language) {
        let stem = stemmer.stem(&part).into_owned();
        if stem != whole && !out.contains(&stem) {
            out.push(stem);
        }
    }
    out
}

/// Whether `word` (folded) is a word of `language`'s compound dictionary.
pub(super) fn is_word(word: &str, language: &str) -> bool {
    Lexicon::of(language).is_some_and(|l| l.dictionary().contains(word))
}

/// The German dictionary (for the tests).
#[cfg(test)]
fn dictionary() -> &'static HashSet<&'static str> {
    GERMAN.dictionary()
}

/// Adds the split of `word` and, recursively, of its parts to `out`.
fn collect_parts(word: &str, lexicon: &Lexicon, out: &mut Vec<String>) {
    let Some(parts) = split(word, lexicon) else {
        return;
    };
    let fresh: Vec<&str> = parts.iter().copied().filter(|p| *p != word && !out.iter().any(|o| o == p)).collect();
    out.extend(fresh.iter().map(|p| p.to_string()));
    for part in fresh {
        collect_parts(part, lexicon, out);
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
fn split<'a>(word: &'a str, lexicon: &Lexicon) -> Option<Vec<&'a str>> {
    if word.len() > MAX_WORD_BYTES || word.len() < 2 * MIN_PART_BYTES {
        return None;
    }
    let dict = lexicon.dictionary();
    let n = word.len();
    // best[i]: the best cover of word[i..], filled from the end; one part may cover a tail,
    // but the whole word needs two or more (a dictionary word may still be a compound).
    let mut best: Vec<Option<Cover>> = vec![None; n + 1];
    for i in (0..n).rev().filter(|&i| word.is_char_boundary(i)) {
        best[i] = if i == 0 { None } else { last_part(word, i, lexicon.endings, dict) };
        for end in (i + MIN_PART_BYTES..n).filter(|&e| word.is_char_boundary(e)) {
            let piece = &word[i..end];
            let Some(elided) = head_word(piece, dict) else {
                continue;
            };
            for link in lexicon.links {
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
fn last_part<'a>(word: &'a str, i: usize, endings: &[&str], dict: &HashSet<&str>) -> Option<Cover<'a>> {
    let rest = &word[i..];
    endings
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
