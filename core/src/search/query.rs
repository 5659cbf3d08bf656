//! What a query asks for: its words with every form a document term may have taken, German
//! compound parts, corrected spellings for words the index does not know, and the thesaurus
//! topics its words name (with their labels in other words and languages).

use std::collections::HashSet;
use std::sync::Arc;

use crate::context::Kept;
use crate::error::Result;
use crate::store::Reader;
use crate::text::{self, QueryTerm};
use crate::topics::{self, Topic};

use super::records::Vocabulary;
use super::weights::Weights;

/// Spelling candidates looked at per misspelt word (vocabulary terms sharing its first letter).
const MAX_SPELLING_CANDIDATES: usize = 50_000;
/// Corrections kept per misspelt word.
const MAX_CORRECTIONS: usize = 3;
/// Languages whose compounds a query word is split by (a query is not language-analysed).
const COMPOUND_LANGUAGES: [&str; 2] = ["de", "da"];

/// One term to look up, with how much a match on it counts and why it is asked for.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Form {
    pub term: String,
    pub weight: f64,
    pub why: String,
}

/// One word of the query: a document scores the best of its `forms` (the word's own forms,
/// corrected spellings, one-word thesaurus labels of the topics it names), of its `labels`
/// (thesaurus labels of several words, each counting only for a document holding all of
/// them), or the summed `parts` (compound parts of the word) when that is more.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Clause {
    pub forms: Vec<Form>,
    pub parts: Vec<Form>,
    /// Thesaurus labels of two or more terms ("psychotische Krise"): one word of such a label
    /// is no synonym of the word that named its topic ("Krise" is no "Schizophrenie"), so a
    /// document scores a label only when it holds every term, with their mean.
    pub labels: Vec<Vec<Form>>,
}

/// A topic whose documents get a bonus. A named topic and the topics below it form one
/// `group`: a document carrying several of them gets the largest bonus once, so that an
/// article tagged with both "relatives" and the narrower "young-carers" does not outrank one
/// tagged "relatives" alone for carrying two tags.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TopicBoost {
    pub slug: String,
    pub boost: f64,
    pub group: usize,
}

/// A query made ready for the index.
#[derive(Debug, Clone, Default)]
pub(crate) struct Plan {
    pub clauses: Vec<Clause>,
    /// Topics the query names and the topics below them, with the boost a document carrying
    /// one gets.
    pub topics: Vec<TopicBoost>,
    /// Query words with their variants, for snippets.
    pub words: Vec<QueryTerm>,
}

/// The thesaurus as query plans use it: every topic, each of its labels analysed into query
/// terms, and the forms of the labels of one word. Analysing every label (stemming each word)
/// took about a sixth of a two-word search, and grows with the thesaurus, so a platform keeps
/// the last one made ([`ThesaurusCache`]).
pub(crate) struct Thesaurus {
    topics: Vec<Topic>,
    label_terms: Vec<Vec<Vec<QueryTerm>>>,
    label_words: HashSet<String>,
}

impl Thesaurus {
    /// Analyses `topics`.
    pub(crate) fn of(topics: Vec<Topic>) -> Thesaurus {
        let label_terms: Vec<Vec<Vec<QueryTerm>>> = topics.iter().map(label_terms).collect();
        let label_words = one_word_labels(&label_terms);
        Thesaurus { topics, label_terms, label_words }
    }

    /// The thesaurus stored in `txn`, analysed anew (the tests' reference for the cached one).
    #[cfg(test)]
    pub(crate) fn read(txn: &impl Reader) -> Result<Thesaurus> {
        Ok(Thesaurus::of(topics::all(txn)?))
    }
}

/// The last thesaurus a platform analysed, kept in its context ([`Kept`]). It is used only
/// when it was made from exactly the topics the reading snapshot holds (they are read and
/// compared every time, which costs a small part of analysing them): no version to keep in
/// step, so an edit, an import or a replica's sync shows in the next search. One is kept: a
/// reader whose snapshot holds other topics than the kept one gets a thesaurus made anew.
pub(crate) struct ThesaurusCache;

impl ThesaurusCache {
    /// The analysed thesaurus of the topics stored in `txn`, from `kept` when it was made from
    /// them (and kept there when it is made anew).
    pub(crate) fn get(kept: &Kept, txn: &impl Reader) -> Result<Arc<Thesaurus>> {
        let topics = topics::all(txn)?;
        if let Some(thesaurus) = kept.get::<Thesaurus>().filter(|t| t.topics == topics) {
            return Ok(thesaurus);
        }
        let made = Arc::new(Thesaurus::of(topics));
        kept.set(made.clone());
        Ok(made)
    }
}

/// Plans `query` against the index `vocabulary` reads, with the `thesaurus` of the same
/// snapshot; `language` is the reader's or the filter's language, whose thesaurus labels are added (every language's when
/// `None`).
///
/// A topic's other labels join the clauses of the typed words that named it, as weaker forms:
/// a document scores a word's best form, so a synonym counts instead of the word (never on
/// top of it, which let a document full of synonyms beat one holding the word itself), and a
/// document holding only the synonym still counts as matching the word.
pub(crate) fn plan<R: Reader>(
    vocabulary: &Vocabulary<'_, R>,
    thesaurus: &Thesaurus,
    query: &str,
    language: Option<&str>,
    w: &Weights,
) -> Result<Plan> {
    let words = without_question_words(text::query_terms(query));
    // Words typed with a capital: in German, nouns ("Gehalt" is no participle).
    let capitalised: Vec<String> = text::words(query)
        .into_iter()
        .filter(|(start, _, _)| query[*start..].chars().next().is_some_and(char::is_uppercase))
        .map(|(_, _, word)| word)
        .collect();
    let Thesaurus { topics: thesaurus, label_terms, label_words } = thesaurus;
    let mut plan = Plan::default();
    // Every term each typed word may stand for, to see which words name a topic.
    let mut known: Vec<Vec<String>> = Vec::new();
    for word in &words {
        let label = word.variants.iter().any(|v| label_words.contains(v));
        let clause = word_clause(vocabulary, word, capitalised.contains(&word.word), label, w)?;
        let mut terms: Vec<String> = word.variants.clone();
        terms.extend(clause.forms.iter().chain(&clause.parts).map(|f| f.term.clone()));
        terms.extend(COMPOUND_LANGUAGES.iter().flat_map(|l| text::compound_parts_in(&word.word, l)));
        known.push(terms);
        plan.clauses.push(clause);
    }
    let all_known: Vec<String> = known.iter().flatten().cloned().collect();
    for (topic, labels) in thesaurus.iter().zip(label_terms) {
        let Some(namers) = names(labels, &known) else { continue };
        let group = plan.topics.len();
        plan.topics.push(TopicBoost { slug: topic.slug.clone(), boost: w.topic, group });
        for narrower in below(thesaurus, &topic.slug) {
            plan.topics.push(TopicBoost { slug: narrower, boost: w.narrower_topic, group });
        }
        let synonyms = thesaurus_forms(vocabulary, topic, language, &all_known, w)?;
        for i in namers {
            let clause = &mut plan.clauses[i];
            for label in &synonyms {
                match label.as_slice() {
                    [form] if !clause.forms.iter().any(|f| f.term == form.term) => clause.forms.push(form.clone()),
                    [_] => {}
                    _ if !clause.labels.contains(label) => clause.labels.push(label.clone()),
                    _ => {}
                }
            }
        }
    }
    plan.words = words;
    Ok(plan)
}

/// `words` without the question and function words visitors type around what they ask
/// ("wie lange dauert …", "kan jeg få …", "how do I …"), unless nothing else is left: such a
/// word occurs in many documents and only makes those holding it look more complete.
fn without_question_words(words: Vec<QueryTerm>) -> Vec<QueryTerm> {
    let content: Vec<QueryTerm> = words.iter().filter(|t| !text::is_question_word(&t.word)).cloned().collect();
    if content.is_empty() { words } else { content }
}

/// The clause of one typed word: its forms the index knows, the relatives of a German verb
/// form, its German or Danish compound parts, and when the index knows none, the closest
/// spellings it does know, unless the word is a thesaurus label (`label`): a label the
/// articles never use ("KISS") is no misspelling of a word they do ("Krise").
fn word_clause(
    vocabulary: &Vocabulary<'_, impl Reader>,
    word: &QueryTerm,
    capitalised: bool,
    label: bool,
    w: &Weights,
) -> Result<Clause> {
    let mut clause = Clause::default();
    for variant in &word.variants {
        if vocabulary.known(variant)? && !clause.forms.iter().any(|f| &f.term == variant) {
            clause.forms.push(Form { term: variant.clone(), weight: 1.0, why: word.word.clone() });
        }
    }
    // A capital marks a noun; a word typed in lower case may be a noun or a verb form (people
    // type nouns in lower case too).
    let readings: &[bool] = if capitalised { &[true] } else { &[true, false] };
    let mut relatives: Vec<String> =
        readings.iter().flat_map(|noun| text::german_relatives(&word.word, *noun)).collect();
    if !capitalised {
        relatives.extend(verb_guesses(vocabulary, &word.word, &mut clause, w)?);
    }
    for term in relatives {
        if vocabulary.known(&term)? && !clause.forms.iter().any(|f| f.term == term) {
            clause.forms.push(Form { why: format!("form:{term}"), term, weight: w.inflection });
        }
    }
    for language in COMPOUND_LANGUAGES {
        for part in text::compound_stems_in(&word.word, language) {
            let known = clause.forms.iter().chain(&clause.parts).any(|f| f.term == part);
            if !known && vocabulary.known(&part)? {
                clause.parts.push(Form { term: part.clone(), weight: w.part, why: format!("part:{part}") });
            }
        }
    }
    if clause.forms.is_empty() && clause.parts.is_empty() && !label {
        for term in corrections(vocabulary, word)? {
            clause.forms.push(Form { why: format!("spelling:{term}"), term, weight: w.spelling });
        }
    }
    // A word the index neither holds nor finds a spelling of, and the dictionaries do not
    // split, may still be a compound of words the index holds.
    if clause.forms.is_empty() && clause.parts.is_empty() {
        for part in vocabulary_parts(vocabulary, &word.word)? {
            clause.parts.push(Form { term: part.clone(), weight: w.part, why: format!("part:{part}") });
        }
    }
    Ok(clause)
}

/// Shortest and longest word (in letters) [`vocabulary_parts`] splits, and its shortest piece.
const VOCABULARY_SPLIT_LETTERS: (usize, usize, usize) = (8, 30, 4);

/// The parts of a long word the compound dictionaries do not split ("Gehaltstabelle",
/// "Landesebene"), found in the index's own vocabulary: the word is cut in two at the place
/// that leaves the longest piece the index knows (a head may drop a linking "s"), and the
/// known pieces are its parts, stemmed as a German or Danish document would hold them. At
/// most six vocabulary lookups per cut, 26 cuts for the longest word split.
fn vocabulary_parts(vocabulary: &Vocabulary<'_, impl Reader>, word: &str) -> Result<Vec<String>> {
    let (shortest, longest, piece) = VOCABULARY_SPLIT_LETTERS;
    let cuts: Vec<usize> = word.char_indices().map(|(at, _)| at).collect();
    if cuts.len() < shortest || cuts.len() > longest || !word.chars().all(char::is_alphabetic) {
        return Ok(Vec::new());
    }
    let mut best: (usize, Vec<String>) = (0, Vec::new());
    for &cut in &cuts[piece..=cuts.len() - piece] {
        let (head, tail) = word.split_at(cut);
        let letters = (head.chars().count(), tail.chars().count());
        let mut head_term = known_stem(vocabulary, head)?;
        if head_term.is_none()
            && let Some(linked) = head.strip_suffix('s').filter(|h| h.chars().count() >= piece)
        {
            head_term = known_stem(vocabulary, linked)?;
        }
        let tail_term = known_stem(vocabulary, tail)?;
        let longest_known =
            head_term.as_ref().map_or(0, |_| letters.0).max(tail_term.as_ref().map_or(0, |_| letters.1));
        if longest_known > best.0 {
            let mut found: Vec<String> = head_term.into_iter().collect();
            found.extend(tail_term.filter(|t| !found.contains(t)));
            best = (longest_known, found);
        }
    }
    Ok(best.1)
}

/// The stem of `piece` the index knows, as a German or Danish document would hold it.
fn known_stem(vocabulary: &Vocabulary<'_, impl Reader>, piece: &str) -> Result<Option<String>> {
    for language in COMPOUND_LANGUAGES {
        for token in text::analyse(piece, Some(language)) {
            if vocabulary.known(&token.term)? {
                return Ok(Some(token.term));
            }
        }
    }
    Ok(None)
}

/// Guesses for a German verb form typed in lower case, checked against the index by the
/// caller: the infinitive of a strong participle ("krankgeschrieben" → krankschreib). One
/// with a content particle ("krank|geschrieben") also gets its particle and verb as parts of
/// `clause` when the index knows them. A few lookups per word, whatever the index holds.
fn verb_guesses(
    vocabulary: &Vocabulary<'_, impl Reader>,
    word: &str,
    clause: &mut Clause,
    w: &Weights,
) -> Result<Vec<String>> {
    let (guesses, parts) = text::german_strong_relatives(word);
    for part in parts {
        let known = clause.forms.iter().chain(&clause.parts).any(|f| f.term == part);
        if !known && vocabulary.known(&part)? {
            clause.parts.push(Form { term: part.clone(), weight: w.part, why: format!("part:{part}") });
        }
    }
    Ok(guesses)
}

/// Vocabulary terms within a small edit distance of one of the word's forms (one edit for
/// words of four to seven letters, two from eight), closest first.
fn corrections(vocabulary: &Vocabulary<'_, impl Reader>, word: &QueryTerm) -> Result<Vec<String>> {
    let Some(first) = word.word.chars().next() else { return Ok(Vec::new()) };
    if word.word.chars().count() < 4 {
        return Ok(Vec::new());
    }
    let mut found: Vec<(usize, String)> = Vec::new();
    for term in vocabulary.with_prefix(&first.to_string(), MAX_SPELLING_CANDIDATES)? {
        let best = word
            .variants
            .iter()
            .filter_map(|v| {
                let allowed = if v.chars().count() >= 8 { 2 } else { 1 };
                bounded_distance(v, &term, allowed)
            })
            .min();
        if let Some(d) = best {
            found.push((d, term));
        }
    }
    found.sort();
    Ok(found.into_iter().take(MAX_CORRECTIONS).map(|(_, t)| t).collect())
}

/// The Damerau–Levenshtein distance (adjacent swaps count one) between `a` and `b` when it is
/// at most `limit`, else `None`.
pub(crate) fn bounded_distance(a: &str, b: &str, limit: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let width = b.len() + 1;
    let mut rows = vec![vec![0usize; width]; a.len() + 1];
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        rows[i][0] = i;
        let mut row_min = rows[i][0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (rows[i - 1][j] + 1).min(rows[i][j - 1] + 1).min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = d;
            row_min = row_min.min(d);
        }
        if row_min > limit {
            return None;
        }
    }
    Some(rows[a.len()][b.len()]).filter(|d| *d <= limit)
}

/// Every label of `topic` (in any language: each preferred label, then its other labels) as
/// query terms.
fn label_terms(topic: &Topic) -> Vec<Vec<QueryTerm>> {
    let labels =
        topic.labels.iter().flat_map(|l| std::iter::once(l.pref.as_str()).chain(l.alt.iter().map(String::as_str)));
    labels.map(text::query_terms).collect()
}

/// The typed words (by position) that name a topic: every word that, alone or with others,
/// holds every word of one of the topic's `labels` (as [`label_terms`] gives them), or `None`
/// when no label is named. Every such word gets the topic's other labels: a query naming a
/// topic twice ("restrained … rights") expands both words, not only the first label's.
/// `known[i]` holds every term the `i`th typed word may stand for.
fn names(labels: &[Vec<QueryTerm>], known: &[Vec<String>]) -> Option<Vec<usize>> {
    let mut all: Vec<usize> = Vec::new();
    for terms in labels {
        let namers: Option<Vec<usize>> =
            terms.iter().map(|t| known.iter().position(|k| t.variants.iter().any(|v| k.contains(v)))).collect();
        all.extend(namers.into_iter().flatten());
    }
    all.sort_unstable();
    all.dedup();
    (!all.is_empty()).then_some(all)
}

/// Every form of the labels that are one word (of every topic's `labels`, in any language).
fn one_word_labels(labels: &[Vec<Vec<QueryTerm>>]) -> HashSet<String> {
    labels
        .iter()
        .flatten()
        .filter_map(|terms| match terms.as_slice() {
            [only] => Some(only.variants.iter().cloned()),
            _ => None,
        })
        .flatten()
        .collect()
}

/// Every topic below `slug`, at any depth.
fn below(all: &[Topic], slug: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut pending = vec![slug.to_string()];
    while let Some(parent) = pending.pop() {
        for t in all.iter().filter(|t| t.parent.as_deref() == Some(parent.as_str())) {
            if !found.contains(&t.slug) && t.slug != slug {
                found.push(t.slug.clone());
                pending.push(t.slug.clone());
            }
        }
    }
    found
}

/// The labels of a topic the query named, in `language` (all when `None`), each as the forms
/// of its terms the query does not already hold (synonyms rank below the words typed): one
/// form for a label of one such term, several for a label whose terms must occur together. A
/// label with a term the index does not know is left out (no document holds all of it).
fn thesaurus_forms(
    vocabulary: &Vocabulary<'_, impl Reader>,
    topic: &Topic,
    language: Option<&str>,
    known: &[String],
    w: &Weights,
) -> Result<Vec<Vec<Form>>> {
    let mut labels: Vec<Vec<Form>> = Vec::new();
    for label in topic.labels.iter().filter(|l| language.is_none_or(|lang| l.lang == lang)) {
        'name: for name in std::iter::once(&label.pref).chain(&label.alt) {
            let tokens = text::analyse(name, Some(&label.lang));
            if tokens.len() < 2 {
                // A one-word label: its terms (the word and its compound parts) are each a form.
                for term in super::index::terms(name, &label.lang) {
                    let form = Form { why: format!("thesaurus:{}", text::fold(name)), term, weight: w.thesaurus };
                    let single = vec![form];
                    if !known.contains(&single[0].term)
                        && !labels.contains(&single)
                        && vocabulary.known(&single[0].term)?
                    {
                        labels.push(single);
                    }
                }
                continue;
            }
            let mut forms: Vec<Form> = Vec::new();
            for term in tokens.into_iter().map(|t| t.term) {
                if known.contains(&term) || forms.iter().any(|f| f.term == term) {
                    continue;
                }
                if !vocabulary.known(&term)? {
                    continue 'name;
                }
                forms.push(Form { why: format!("thesaurus:{}", text::fold(name)), term, weight: w.thesaurus });
            }
            if !forms.is_empty() && !labels.contains(&forms) {
                labels.push(forms);
            }
        }
    }
    Ok(labels)
}
