//! Reading pattern files into rules (the format is described in the module documentation of
//! [`super`]).

use rust_stemmers::{Algorithm, Stemmer};

use super::{CrisisCategory, CrisisLevel};
use crate::error::{Error, Result};
use crate::moderation::words::skeleton;

/// Longest gap a rule may leave between two words.
pub(super) const MAX_GAP: u8 = 9;

/// What a section of a pattern file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Section {
    /// `soft`: a bare mention distancing may set aside; `weak`: a sign that counts only beside
    /// another (see the module documentation of [`super`]).
    Crisis {
        category: CrisisCategory,
        level: CrisisLevel,
        soft: bool,
        weak: bool,
    },
    Exception,
    Cue(Cue),
}

/// Context words the detector reads around a crisis match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Cue {
    Negation,
    Past,
    Recovery,
    Recurrence,
    Topic,
    Time,
    ThirdParty,
    /// People in general ("man", "people", "mennesker"): with a topic, a sentence about others.
    Generic,
    /// An ordinary reason to leave ("new job", "Elternzeit", "flytter"): a farewell beside it
    /// and no other sign is a goodbye to a team or a group.
    Departure,
}

/// One word of a rule: the forms a text word may take to match it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Form {
    Exact(String),
    /// Same stem; the needle is where the word must begin, `stem` what the stemmer must give.
    Stem {
        needle: String,
        stem: String,
    },
    Prefix(String),
    Suffix(String),
    Infix(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Element {
    Word(Vec<Form>),
    /// Up to this many other words.
    Gap(u8),
}

/// One line of a pattern file.
#[derive(Debug, Clone)]
pub(super) struct Rule {
    pub language: String,
    pub section: Section,
    /// As written in the file.
    pub text: String,
    pub elements: Vec<Element>,
}

/// The stemmer of a language, when Snowball has one.
pub(super) fn stemmer(language: &str) -> Option<Stemmer> {
    let algorithm = match language {
        "de" => Algorithm::German,
        "da" => Algorithm::Danish,
        "en" => Algorithm::English,
        "es" => Algorithm::Spanish,
        "nl" => Algorithm::Dutch,
        "ro" => Algorithm::Romanian,
        _ => return None,
    };
    Some(Stemmer::create(algorithm))
}

/// Reads one language's pattern file; a malformed line is `InvalidInput` naming `pattern`,
/// with the file and line.
pub(super) fn parse(language: &str, source: &str) -> Result<Vec<Rule>> {
    let stemmer = stemmer(language);
    let mut section = None;
    let mut rules = Vec::new();
    for (n, raw) in source.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or("").trim();
        if line.is_empty() {
            continue;
        }
        let fail = |reason: String| Error::invalid("pattern", format!("{language}.txt line {}: {reason}", n + 1));
        if let Some(header) = line.strip_prefix('[') {
            let header = header.strip_suffix(']').ok_or_else(|| fail("a section header ends with ]".into()))?;
            section = Some(parse_section(header).map_err(fail)?);
            continue;
        }
        let section = section.ok_or_else(|| fail("a rule before the first [section]".into()))?;
        let elements = parse_elements(line, stemmer.as_ref()).map_err(fail)?;
        rules.push(Rule { language: language.to_string(), section, text: line.to_string(), elements });
    }
    Ok(rules)
}

fn parse_section(header: &str) -> std::result::Result<Section, String> {
    let parts: Vec<&str> = header.split_whitespace().collect();
    match parts.as_slice() {
        ["exception"] => Ok(Section::Exception),
        ["cue", kind] => Ok(Section::Cue(match *kind {
            "negation" => Cue::Negation,
            "past" => Cue::Past,
            "recovery" => Cue::Recovery,
            "recurrence" => Cue::Recurrence,
            "topic" => Cue::Topic,
            "time" => Cue::Time,
            "third_party" => Cue::ThirdParty,
            "generic" => Cue::Generic,
            "departure" => Cue::Departure,
            other => return Err(format!("'{other}' is not a cue")),
        })),
        [category, level, rest @ ..] => {
            let category = category.parse::<CrisisCategory>().map_err(|e| e.to_string())?;
            let level = level.parse::<CrisisLevel>().map_err(|e| e.to_string())?;
            let (mut soft, mut weak) = (false, false);
            for flag in rest {
                match *flag {
                    "soft" if !soft => soft = true,
                    "weak" if !weak => weak = true,
                    _ => {
                        return Err(format!("'{}' after the level: only 'soft' and 'weak' may follow", rest.join(" ")));
                    }
                }
            }
            Ok(Section::Crisis { category, level, soft, weak })
        }
        _ => Err(format!("'[{header}]' is not a section")),
    }
}

fn parse_elements(line: &str, stemmer: Option<&Stemmer>) -> std::result::Result<Vec<Element>, String> {
    let mut elements = Vec::new();
    for token in line.split_whitespace() {
        if let Some(n) = token.strip_prefix("..") {
            let gap: u8 = n.parse().map_err(|_| format!("'{token}' is not a gap like ..3"))?;
            if gap == 0 || gap > MAX_GAP {
                return Err(format!("'{token}': a gap is ..1 to ..{MAX_GAP}"));
            }
            elements.push(Element::Gap(gap));
            continue;
        }
        let forms = token.split('|').map(|f| parse_form(f, stemmer)).collect::<std::result::Result<Vec<_>, _>>()?;
        if forms.len() > 1 && forms.iter().any(|f| f.len() > 1) {
            return Err(format!("'{token}': each alternative is one word (write a hyphenated one as its own rule)"));
        }
        elements.extend(forms_as_elements(forms));
    }
    match (elements.first(), elements.last()) {
        (Some(Element::Word(_)), Some(Element::Word(_))) => Ok(elements),
        (None, _) => Err("an empty rule".into()),
        _ => Err("a rule starts and ends with a word, not a gap".into()),
    }
}

/// A token whose single form folds to several words ("self-harm") becomes several words.
fn forms_as_elements(forms: Vec<Vec<Form>>) -> Vec<Element> {
    if forms.len() == 1 {
        return forms.into_iter().next().unwrap_or_default().into_iter().map(|f| Element::Word(vec![f])).collect();
    }
    vec![Element::Word(forms.into_iter().flatten().collect())]
}

/// One form of a token: usually one word; a hyphenated form gives several (only allowed
/// when the token has no alternatives).
fn parse_form(form: &str, stemmer: Option<&Stemmer>) -> std::result::Result<Vec<Form>, String> {
    let exact = form.starts_with('=');
    let body = form.trim_start_matches('=');
    let open_start = body.starts_with('*');
    let open_end = body.ends_with('*') && body.len() > 1;
    let inner = body.trim_start_matches('*').trim_end_matches('*');
    if inner.is_empty() || inner.contains('*') || inner.contains('=') {
        return Err(format!("'{form}' is not a word form (=word, word, word*, *word, *word*)"));
    }
    let folded = skeleton(inner).text;
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    if words.is_empty() {
        return Err(format!("'{form}' has no letters"));
    }
    if words.len() > 1 && (open_start || open_end) {
        return Err(format!("'{form}': a * goes on a single word"));
    }
    Ok(words
        .into_iter()
        .map(|word| match (open_start, open_end) {
            (true, true) => Form::Infix(word.into()),
            (false, true) => Form::Prefix(word.into()),
            (true, false) => Form::Suffix(word.into()),
            (false, false) if exact => Form::Exact(word.into()),
            (false, false) => stem_form(word, stemmer),
        })
        .collect())
}

/// The stem form of a word, or the exact word when its stem is too short to search for or the
/// language has no stemmer.
fn stem_form(word: &str, stemmer: Option<&Stemmer>) -> Form {
    let Some(stemmer) = stemmer else {
        return Form::Exact(word.into());
    };
    let stem = stemmer.stem(word).into_owned();
    let common = word.chars().zip(stem.chars()).take_while(|(a, b)| a == b).map(|(a, _)| a.len_utf8()).sum::<usize>();
    let needle = &word[..common];
    if needle.chars().count() < 3 {
        return Form::Exact(word.into());
    }
    Form::Stem { needle: needle.into(), stem }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_read_sections_gaps_alternatives_and_forms() {
        let rules =
            parse("de", "# c\n[intent_or_plan imminent]\nmir ..4 das leben nehmen|nimm\n[cue time]\nheute nacht\n")
                .unwrap();
        assert_eq!(rules.len(), 2);
        assert!(matches!(rules[0].section, Section::Crisis { level: CrisisLevel::Imminent, soft: false, .. }));
        assert_eq!(rules[0].elements.len(), 5);
        assert_eq!(rules[0].elements[1], Element::Gap(4));
        assert!(matches!(&rules[0].elements[4], Element::Word(forms) if forms.len() == 2));
        assert_eq!(rules[1].section, Section::Cue(Cue::Time));
    }

    #[test]
    fn malformed_lines_name_file_and_line() {
        for bad in ["tot", "[x y]\ntot", "[self_harm high]\n..2 tot", "[self_harm high]\na ..0 b", "[cue weather]"] {
            let err = parse("de", bad).unwrap_err();
            assert!(
                matches!(&err, Error::InvalidInput { field, reason } if field == "pattern" && reason.contains("de.txt line")),
                "{bad:?}: {err:?}"
            );
        }
    }
}
