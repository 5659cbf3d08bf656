//! Scoring: BM25F over the title, summary and body of every document in the one index, so
//! that an article, a thread and a posting get comparable scores; each typed word scores its
//! best form (or its compound parts together; a thesaurus label is a weaker form), a
//! document carrying a topic the query names gets a bonus, and a document matching only some
//! typed words is scaled down.
//!
//! Every list a query reads (a term's postings, a topic's documents) arrives in reference
//! order, so the documents are scored by merging the lists, one document at a time, with no
//! map of partial scores: a query matching tens of thousands of forum threads allocates one
//! vector of (score, reference) and builds the "why it matched" strings only for the hits
//! shown ([`Matches::explain`]), by the same fold that scored them.

use std::cmp::Ordering;
use std::collections::HashMap;

use crate::error::Result;
use crate::store::Reader;
use crate::text;

use super::query::{Form, Plan};
use super::records::{self, Posting, Vocabulary};
use super::weights::Weights;

/// BM25 length normalisation (as in [`crate::text::bm25`]).
pub(super) const BM25_B: f64 = 0.75;

/// A matching document: its score and reference, and its language as its postings say
/// (`records::language_code`; 0 when none says: a document matching only by a topic).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Candidate {
    pub score: f64,
    pub key: u64,
    pub language: u16,
}

/// A document in one of the lists a plan reads: its reference, the points it earns there and
/// its language (0 in a topic's list).
#[derive(Debug, Clone, Copy)]
struct Listed {
    key: u64,
    points: f64,
    language: u16,
}

impl Candidate {
    /// Whether `self` comes after the hit `(score, key)` in the result list.
    pub fn comes_after(&self, score: f64, key: u64) -> bool {
        match self.score.total_cmp(&score) {
            Ordering::Less => true,
            Ordering::Equal => self.key > key,
            Ordering::Greater => false,
        }
    }
}

/// The order of the result list (and its cursor): higher score first, then lower reference.
fn best_first(a: &Candidate, b: &Candidate) -> Ordering {
    b.score.total_cmp(&a.score).then(a.key.cmp(&b.key))
}

/// Candidates sorted in the result list's order a chunk at a time: the best [`BestFirst::CHUNK`]
/// are selected from the rest (linear) and only they are sorted, so a search that needs the
/// first thousand of 75,000 matches sorts a thousand.
pub(crate) struct BestFirst {
    pending: Vec<Candidate>,
    ready: std::vec::IntoIter<Candidate>,
}

impl BestFirst {
    const CHUNK: usize = 2_048;

    pub fn new(candidates: Vec<Candidate>) -> BestFirst {
        BestFirst { pending: candidates, ready: Vec::new().into_iter() }
    }
}

impl Iterator for BestFirst {
    type Item = Candidate;

    fn next(&mut self) -> Option<Candidate> {
        if let Some(next) = self.ready.next() {
            return Some(next);
        }
        let take = Self::CHUNK.min(self.pending.len());
        if take == 0 {
            return None;
        }
        if take < self.pending.len() {
            self.pending.select_nth_unstable_by(take, best_first);
        }
        let rest = self.pending.split_off(take);
        let mut chunk = std::mem::replace(&mut self.pending, rest);
        chunk.sort_unstable_by(best_first);
        self.ready = chunk.into_iter();
        self.ready.next()
    }
}

/// The lists a plan reads, each in reference order with the points a document in it earns.
pub(crate) struct Matches<'p> {
    plan: &'p Plan,
    /// The form or part each list of postings is for, by index.
    forms: Vec<&'p Form>,
    /// Every form's and part's postings as (reference, points), then every topic's documents
    /// (with no points), indexed as [`Matches::clauses`] and [`Matches::topics`] say.
    lists: Vec<Vec<Listed>>,
    /// Per clause of the plan: the indices of its forms' lists, of its parts' lists and of
    /// each of its several-term labels' lists.
    clauses: Vec<ClauseLists>,
    /// The indices of the topics' lists, in the plan's order.
    topics: std::ops::Range<usize>,
    /// The coordination factor of a document matching `i` of the plan's clauses, at `i`:
    /// computed once per query, not once per match (a `powf` each).
    coordination: Vec<f64>,
}

/// The lists of one clause, by index into [`Matches::lists`].
struct ClauseLists {
    forms: std::ops::Range<usize>,
    parts: std::ops::Range<usize>,
    labels: Vec<std::ops::Range<usize>>,
}

/// Why a document earned points, in the order they were added (see [`Matches::explain`]).
enum Reason {
    /// A clause whose best form is this list (`None`: every form it holds earned nothing).
    Form(Option<usize>),
    /// A clause whose compound parts together earned more than any of its forms.
    Parts(std::ops::Range<usize>),
    /// A clause whose several-term thesaurus label (all of its lists) earned the most.
    Label(usize),
    /// A topic bonus (the topic's position in the plan).
    Topic(usize),
}

impl<'p> Matches<'p> {
    /// Reads every list of `plan`: each term's postings once, however many forms name it.
    pub fn read<R: Reader>(
        txn: &R,
        vocabulary: &Vocabulary<'_, R>,
        plan: &'p Plan,
        w: &Weights,
    ) -> Result<Matches<'p>> {
        let stats = records::stats(txn)?;
        let docs = stats.docs.max(1);
        let average = stats.length as f64 / docs as f64;
        let terms: Vec<&str> = plan
            .clauses
            .iter()
            .flat_map(|c| c.forms.iter().chain(&c.parts).chain(c.labels.iter().flatten()))
            .map(|f| f.term.as_str())
            .collect();
        let reading = vocabulary.reading(&terms)?;
        let mut postings: HashMap<&str, Vec<Posting>> = HashMap::new();
        let mut lists = Vec::new();
        let mut named = Vec::new();
        let mut clauses = Vec::with_capacity(plan.clauses.len());
        for clause in &plan.clauses {
            let groups = [&clause.forms, &clause.parts].into_iter().chain(&clause.labels);
            let mut ranges = Vec::with_capacity(2 + clause.labels.len());
            for forms in groups {
                let start = lists.len();
                for form in forms {
                    if !postings.contains_key(form.term.as_str()) {
                        postings.insert(&form.term, records::postings_in(txn, &reading, &form.term)?);
                    }
                    lists.push(points(&postings[form.term.as_str()], form.weight, docs, average, w));
                    named.push(form);
                }
                ranges.push(start..lists.len());
            }
            let labels = ranges.split_off(2);
            let (parts, forms) = (ranges.pop().unwrap_or_default(), ranges.pop().unwrap_or_default());
            clauses.push(ClauseLists { forms, parts, labels });
        }
        let start = lists.len();
        for topic in &plan.topics {
            let keys = records::with_topic(txn, &topic.slug)?;
            lists.push(keys.into_iter().map(|key| Listed { key, points: 0.0, language: 0 }).collect());
        }
        let topics = start..lists.len();
        let count = plan.clauses.len().max(1) as f64;
        let coordination = (0..=plan.clauses.len() as u32)
            .map(|typed| (f64::from(typed.max(1)) / count).min(1.0).powf(w.coordination))
            .collect();
        Ok(Matches { plan, forms: named, lists, clauses, topics, coordination })
    }

    /// Every document matching any clause or topic, scored, in reference order.
    pub fn candidates(&self) -> Vec<Candidate> {
        let mut heads = vec![0usize; self.lists.len()];
        let mut out = Vec::new();
        loop {
            let next = self.lists.iter().zip(&heads).filter_map(|(list, &at)| list.get(at).map(|p| p.key)).min();
            let Some(key) = next else { return out };
            let at = |list: usize| self.lists[list].get(heads[list]).filter(|p| p.key == key);
            if let Some(score) = self.fold(|list| at(list).map(|p| p.points), |_| {}) {
                let language = (0..self.lists.len()).filter_map(at).map(|p| p.language).find(|l| *l != 0);
                out.push(Candidate { score, key, language: language.unwrap_or(0) });
            }
            for (list, at) in self.lists.iter().zip(&mut heads) {
                *at += usize::from(list.get(*at).is_some_and(|p| p.key == key));
            }
        }
    }

    /// The score of the document under `key` (as [`Matches::candidates`] gave it) and why it
    /// matched: the forms and parts that scored, and the topics that gave a bonus (e.g.
    /// "netzwerk", "part:netzwerk part:arbeit", "topic:cooperation").
    pub fn explain(&self, key: u64) -> (f64, Vec<String>) {
        let here = |list: usize| {
            let list = &self.lists[list];
            list.binary_search_by_key(&key, |p| p.key).ok().map(|at| list[at].points)
        };
        let mut matched = Vec::new();
        let score = self.fold(here, |reason| matched.push(self.describe(reason, key)));
        (score.unwrap_or(0.0), matched)
    }

    /// What `reason` reads as in a hit's "matched".
    fn describe(&self, reason: Reason, key: u64) -> String {
        match reason {
            Reason::Form(None) => String::new(),
            Reason::Form(Some(list)) => self.forms[list].why.clone(),
            Reason::Parts(range) => {
                let held = range.filter(|list| self.lists[*list].binary_search_by_key(&key, |p| p.key).is_ok());
                held.map(|list| self.forms[list].why.as_str()).collect::<Vec<_>>().join(" ")
            }
            Reason::Label(first) => self.forms[first].why.clone(),
            Reason::Topic(topic) => format!("topic:{}", self.plan.topics[topic].slug),
        }
    }

    /// A document's score from its points in each list (`here(list)`, `None` when it is not in
    /// it), or `None` when it matches no clause and carries no named topic; `why` hears each
    /// reason as its points are added. The additions happen in one fixed order (clauses, the
    /// coordination factor, topics), so every caller gets the same number to the last bit.
    fn fold(&self, here: impl Fn(usize) -> Option<f64>, mut why: impl FnMut(Reason)) -> Option<f64> {
        let mut score: Option<f64> = None;
        let mut typed = 0u32;
        for lists in &self.clauses {
            let Some((points, reason)) = self.clause(lists, &here) else { continue };
            *score.get_or_insert(0.0) += points;
            typed += 1;
            why(reason);
        }
        if let Some(score) = score.as_mut() {
            *score *= self.coordination[typed as usize];
        }
        let mut given: Option<(usize, f64)> = None;
        for (t, list) in self.topics.clone().enumerate() {
            if here(list).is_none() {
                continue;
            }
            let topic = &self.plan.topics[t];
            // A group's topics are next to each other in the plan.
            let already = given.filter(|(group, _)| *group == topic.group).map_or(0.0, |(_, b)| b);
            let total = score.get_or_insert(0.0);
            if topic.boost > already {
                *total += topic.boost - already;
                given = Some((topic.group, topic.boost));
                why(Reason::Topic(t));
            }
        }
        score
    }

    /// One clause's points for a document: its best form or several-term label, or its
    /// compound parts summed when that is more; `None` when it holds none of them.
    fn clause(&self, lists: &ClauseLists, here: &impl Fn(usize) -> Option<f64>) -> Option<(f64, Reason)> {
        let (forms, parts) = (lists.forms.clone(), lists.parts.clone());
        let mut best: Option<(f64, Reason)> = None;
        for list in forms {
            let Some(points) = here(list) else { continue };
            let slot = best.get_or_insert((0.0, Reason::Form(None)));
            if points > slot.0 {
                *slot = (points, Reason::Form(Some(list)));
            }
        }
        for label in &lists.labels {
            let held: Option<f64> = label.clone().map(&here).sum();
            let Some(held) = held else { continue };
            let points = held / label.len() as f64;
            let slot = best.get_or_insert((0.0, Reason::Form(None)));
            if points > slot.0 {
                *slot = (points, Reason::Label(label.start));
            }
        }
        let share = parts.len() as f64;
        let mut summed: Option<f64> = None;
        for list in parts.clone() {
            if let Some(points) = here(list) {
                *summed.get_or_insert(0.0) += points / share;
            }
        }
        if let Some(summed) = summed {
            let slot = best.get_or_insert((0.0, Reason::Form(None)));
            if summed > slot.0 {
                *slot = (summed, Reason::Parts(parts));
            }
        }
        best
    }
}

/// Every document of `postings` with its weighted BM25F points for a form of `weight`.
fn points(postings: &[Posting], weight: f64, docs: u64, average: f64, w: &Weights) -> Vec<Listed> {
    let idf = text::bm25_idf(postings.len() as u64, docs);
    let points = |p: &Posting| {
        let tf = w.title * f64::from(p.title) + w.summary * f64::from(p.summary) + w.body * f64::from(p.body);
        let relative = if average > 0.0 { f64::from(p.length) / average } else { 1.0 };
        let norm = w.saturation * (1.0 - BM25_B + BM25_B * relative);
        weight * idf * tf * (w.saturation + 1.0) / (tf + norm)
    };
    postings.iter().map(|p| Listed { key: p.doc, points: points(p), language: p.language }).collect()
}
