//! Scoring: BM25F over the title, summary and body of every document in the one index, so
//! that an article, a thread and a posting get comparable scores; each typed word scores its
//! best form (or its compound parts together; a thesaurus label is a weaker form), a
//! document carrying a topic the query names gets a bonus, and a document matching only some
//! typed words is scaled down.

use std::collections::HashMap;

use crate::error::Result;
use crate::store::Reader;
use crate::text;

use super::query::{Clause, Form, Plan, TopicBoost};
use super::records;
use super::weights::Weights;

/// BM25 length normalisation (as in [`crate::text::bm25`]).
const BM25_B: f64 = 0.75;

/// A document's score so far and why it matched.
#[derive(Debug, Clone, Default)]
pub(crate) struct Scored {
    pub score: f64,
    pub matched: Vec<String>,
    /// Typed words matched (by any of their forms, a thesaurus label included).
    typed: u32,
    /// The topic bonus given per group of named topics ([`TopicBoost::group`]).
    topics: Vec<(usize, f64)>,
}

/// Every document matching any clause or topic of `plan`, by reference, scored.
pub(crate) fn score(txn: &impl Reader, plan: &Plan, w: &Weights) -> Result<HashMap<u64, Scored>> {
    let stats = records::stats(txn)?;
    let docs = stats.docs.max(1);
    let average = stats.length as f64 / docs as f64;
    let mut found: HashMap<u64, Scored> = HashMap::new();
    for clause in &plan.clauses {
        for (key, (points, why)) in clause_scores(txn, clause, docs, average, w)? {
            let entry = found.entry(key).or_default();
            entry.score += points;
            entry.matched.push(why);
            entry.typed += 1;
        }
    }
    let typed = plan.clauses.len().max(1) as f64;
    for entry in found.values_mut() {
        entry.score *= (f64::from(entry.typed.max(1)) / typed).min(1.0).powf(w.coordination);
    }
    for topic in &plan.topics {
        for key in records::with_topic(txn, &topic.slug)? {
            found.entry(key).or_default().topic_bonus(topic);
        }
    }
    Ok(found)
}

impl Scored {
    /// Adds what carrying `topic` adds: its bonus, less what a topic of its group gave already.
    fn topic_bonus(&mut self, topic: &TopicBoost) {
        let given = match self.topics.iter_mut().find(|(group, _)| *group == topic.group) {
            Some(slot) => slot,
            None => {
                self.topics.push((topic.group, 0.0));
                self.topics.last_mut().expect("just pushed")
            }
        };
        if topic.boost > given.1 {
            self.score += topic.boost - given.1;
            given.1 = topic.boost;
            self.matched.push(format!("topic:{}", topic.slug));
        }
    }
}

/// Each document's points for one clause: its best form (the word itself, a corrected
/// spelling or a thesaurus label, each weighted), or its compound parts summed when that is
/// more; with the term that earned them.
fn clause_scores(
    txn: &impl Reader,
    clause: &Clause,
    docs: u64,
    average: f64,
    w: &Weights,
) -> Result<HashMap<u64, (f64, String)>> {
    let mut best: HashMap<u64, (f64, String)> = HashMap::new();
    for form in &clause.forms {
        each_score(txn, form, docs, average, w, |key, points| {
            let slot = best.entry(key).or_insert((0.0, String::new()));
            if points > slot.0 {
                *slot = (points, form.why.clone());
            }
        })?;
    }
    let mut parts: HashMap<u64, (f64, Vec<&str>)> = HashMap::new();
    for form in &clause.parts {
        each_score(txn, form, docs, average, w, |key, points| {
            let slot = parts.entry(key).or_default();
            slot.0 += points / clause.parts.len() as f64;
            slot.1.push(form.why.as_str());
        })?;
    }
    for (key, (points, whys)) in parts {
        let slot = best.entry(key).or_insert((0.0, String::new()));
        if points > slot.0 {
            *slot = (points, whys.join(" "));
        }
    }
    Ok(best)
}

/// Calls `each` with every document holding `form.term` and its weighted BM25F points.
fn each_score(
    txn: &impl Reader,
    form: &Form,
    docs: u64,
    average: f64,
    w: &Weights,
    mut each: impl FnMut(u64, f64),
) -> Result<()> {
    let postings = records::postings(txn, &form.term)?;
    let idf = text::bm25_idf(postings.len() as u64, docs);
    for (key, p) in postings {
        let tf = w.title * f64::from(p.title) + w.summary * f64::from(p.summary) + w.body * f64::from(p.body);
        let relative = if average > 0.0 { f64::from(p.length) / average } else { 1.0 };
        let norm = w.saturation * (1.0 - BM25_B + BM25_B * relative);
        each(key, form.weight * idf * tf * (w.saturation + 1.0) / (tf + norm));
    }
    Ok(())
}
