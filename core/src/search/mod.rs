//! The one search over everything ("Themensuche"): one index shared by every domain, one
//! ranked list with comparable scores, facets by kind, topic, language and organisation, and
//! keyset paging.
//!
//! Domains write to the index in the transaction that changes their record
//! ([`index::put`], [`index::remove`]): knowledge articles when published (and out again when
//! not), forum threads, published job postings. Whether a hit may be shown is decided for
//! every hit when searching: by the policy from the audience stored with the document, or by
//! the owning domain through the context's [`crate::context::SearchGate`] (a thread's board
//! audience and state). A new domain (self-help groups) joins by adding a [`SearchKind`],
//! calling [`index::put`] where it writes its records, and answering for its kind in the
//! gate (`crate::sources`).

pub(crate) mod index;
mod model;
mod query;
mod rank;
pub(crate) mod records;
pub(crate) mod tables;
mod weights;

use std::cmp::Ordering;
use std::collections::BTreeMap;

pub(crate) use model::{Entry, Gate};
pub use model::{FacetCount, SearchHit, SearchKind, SearchPage, SearchQuery};

use crate::actor::{Actor, Subject};
use crate::clock::Timestamp;
use crate::context::Context;
use crate::error::{Error, Result};
use crate::model::article::ArticleState;
use crate::page::{PageRequest, cursor_for_keys};
use crate::policy::{self, Action};
use crate::store::ReadTxn;
use crate::text;
use crate::topics;
use crate::validate;

use model::Doc;
use weights::Weights;

/// The longest query, in characters: longer text is refused, never cut.
const MAX_QUERY_CHARS: usize = 500;
/// Characters of text in a snippet.
const SNIPPET_CHARS: usize = 200;

/// The one search.
pub struct Search<'a> {
    pub(crate) ctx: &'a Context,
}

impl Search<'_> {
    /// Finds everything `actor` may see that matches `query`, best first. See the module
    /// documentation.
    pub fn search(&self, actor: &Actor, query: &SearchQuery, page: &PageRequest) -> Result<SearchPage> {
        let limit = page.limit()?;
        let after = page.cursor_keys(2)?.map(|k| (f64::from_bits(k[0]), k[1]));
        let text_chars = query.text.chars().count();
        if text_chars > MAX_QUERY_CHARS {
            return Err(Error::invalid(
                "text",
                format!("a search is at most {MAX_QUERY_CHARS} characters; this one has {text_chars}"),
            ));
        }
        let language = query
            .language
            .as_deref()
            .map(|l| validate::languages("language", &[l.to_string()]).map(|mut v| v.remove(0)))
            .transpose()?;
        if text::query_terms(&query.text).is_empty() {
            return Err(Error::invalid("text", "type at least one word to search for"));
        }
        self.ctx.read(actor, |txn, subject, now| {
            let wanted_topics = query.topic.as_deref().map(|t| topics::narrower_slugs(txn, t)).transpose()?;
            let plan = query::plan(txn, &query.text, language.as_deref(), &Weights::TUNED)?;
            let scored = rank::score(txn, &plan, &Weights::TUNED)?;
            let mut memo = Vec::new();
            let mut hits: Vec<(f64, u64, Doc, Vec<String>)> = Vec::new();
            for (key, found) in scored {
                let Some(doc) = records::load(txn, key)? else { continue };
                let wanted = (query.kinds.is_empty() || query.kinds.contains(&doc.kind))
                    && language.as_deref().is_none_or(|l| doc.language == l)
                    && wanted_topics.as_ref().is_none_or(|w| doc.topics.iter().any(|t| w.contains(t)));
                if wanted && self.visible(txn, subject, now, &doc, &mut memo)? {
                    hits.push((found.score, key, doc, found.matched));
                }
            }
            hits.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            let facets = facets(&hits);
            let total = hits.len() as u64;
            let start = after.map_or(0, |(score, key)| {
                hits.partition_point(|h| match h.0.total_cmp(&score) {
                    Ordering::Greater => true,
                    Ordering::Equal => h.1 <= key,
                    Ordering::Less => false,
                })
            });
            let shown: Vec<_> = hits.into_iter().skip(start).take(limit + 1).collect();
            let next_cursor =
                (shown.len() > limit).then(|| cursor_for_keys(&[shown[limit - 1].0.to_bits(), shown[limit - 1].1]));
            let items = shown
                .into_iter()
                .take(limit)
                .map(|(score, _, doc, matched)| hit(doc, score, matched, &plan.words))
                .collect();
            Ok(SearchPage { items, next_cursor, facets, total })
        })
    }

    /// Whether `subject` may see the indexed `doc` now.
    fn visible(
        &self,
        txn: &ReadTxn,
        subject: &Subject,
        now: Timestamp,
        doc: &Doc,
        memo: &mut Vec<(u64, bool)>,
    ) -> Result<bool> {
        match &doc.gate {
            Gate::Audience(audience) => {
                Ok(policy::allows(subject, Action::ReadArticle { audience, state: ArticleState::Published }, now))
            }
            Gate::Domain => self.ctx.search_gate.visible(txn, subject, now, doc.kind, doc.id, memo),
        }
    }
}

/// A hit as shown: the stored title and a snippet of the stored text around the words.
fn hit(doc: Doc, score: f64, matched: Vec<String>, words: &[text::QueryTerm]) -> SearchHit {
    let language = Some(doc.language.as_str());
    let snippet = text::snippet(&doc.text, words, language, SNIPPET_CHARS);
    SearchHit {
        kind: doc.kind,
        id: doc.id,
        slug: doc.slug,
        title: doc.title,
        snippet: text::fragments(&snippet),
        language: doc.language,
        topics: doc.topics,
        org: doc.org,
        matched,
        score,
    }
}

/// Counts of every hit by kind, language, topic and organisation, most frequent first.
fn facets(hits: &[(f64, u64, Doc, Vec<String>)]) -> Vec<FacetCount> {
    let mut counts: BTreeMap<(&str, String), u64> = BTreeMap::new();
    for (_, _, doc, _) in hits {
        *counts.entry(("kind", doc.kind.to_string())).or_default() += 1;
        *counts.entry(("language", doc.language.clone())).or_default() += 1;
        for topic in &doc.topics {
            *counts.entry(("topic", topic.clone())).or_default() += 1;
        }
        if let Some(org) = doc.org {
            *counts.entry(("org", org.to_string())).or_default() += 1;
        }
    }
    let mut out: Vec<FacetCount> = counts
        .into_iter()
        .map(|((facet, value), count)| FacetCount { facet: facet.to_string(), value, count })
        .collect();
    out.sort_by(|a, b| a.facet.cmp(&b.facet).then(b.count.cmp(&a.count)).then(a.value.cmp(&b.value)));
    out
}

/// Registration of the search index: its tables and integrity check.
pub(crate) const DOMAIN: crate::store::Domain = crate::store::Domain {
    name: "search",
    tick: crate::store::Domain::nothing_due,
    figures: None,
    tables: tables::TABLES,
    migrate: crate::store::Domain::no_migration,
    check: |txn, found| {
        let n = records::check_integrity(txn, &mut found.problems)?;
        found.count("search_docs", n);
        Ok(())
    },
    personal: Some(index::PERSONAL),
};
