//! The one search over everything ("Themensuche"): one index shared by every domain, one
//! ranked list with comparable scores, facets by kind, topic, language and organisation, and
//! keyset paging.
//!
//! Domains write to the index in the transaction that changes their record
//! ([`index::put`], [`index::remove`]): knowledge articles when published (and out again when
//! not), forum threads, published job postings. Whether a hit may be shown is decided for
//! every hit when searching, from its small card ([`model::Card`]): by the policy from the
//! audience stored with the document, or by the owning domain through the context's
//! [`crate::context::SearchGate`] from the hint on the card (a thread's board, whose audience
//! and state change without the thread being written again; a posting's end). Only the hits
//! on the page read their whole stored document (title and text for the snippet), so a query
//! matching tens of thousands of forum threads decodes twenty documents, not all of them. A new domain (self-help groups) joins by adding a [`SearchKind`],
//! calling [`index::put`] where it writes its records, and answering for its kind in the
//! gate (`crate::sources`).

pub(crate) mod index;
mod model;
mod query;
mod rank;
pub(crate) mod records;
pub(crate) mod tables;
mod weights;

#[cfg(test)]
mod tests;

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
use crate::store::{KeyCache, ReadTxn};
use crate::text;
use crate::topics;
use crate::validate;

use model::{Card, Doc};
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
            let cards = records::cards(txn)?;
            let mut memo = Vec::new();
            let mut hits: Vec<Found> = Vec::new();
            for (key, found) in scored {
                let Some(card) = cards.get(key)? else { continue };
                let wanted = (query.kinds.is_empty() || query.kinds.contains(&card.kind))
                    && language.as_deref().is_none_or(|l| card.language == l)
                    && wanted_topics.as_ref().is_none_or(|w| card.topics.iter().any(|t| w.contains(t)));
                if wanted && self.visible(txn, subject, now, &card, &mut memo)? {
                    hits.push(Found { score: found.score, key, card, matched: found.matched });
                }
            }
            hits.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.key.cmp(&b.key)));
            let facets = facets_of(hits.iter().map(|h| &h.card));
            let total = hits.len() as u64;
            let start = after.map_or(0, |(score, key)| {
                hits.partition_point(|h| match h.score.total_cmp(&score) {
                    Ordering::Greater => true,
                    Ordering::Equal => h.key <= key,
                    Ordering::Less => false,
                })
            });
            let shown: Vec<_> = hits.into_iter().skip(start).take(limit + 1).collect();
            let next_cursor = (shown.len() > limit)
                .then(|| cursor_for_keys(&[shown[limit - 1].score.to_bits(), shown[limit - 1].key]));
            let mut items = Vec::with_capacity(limit.min(shown.len()));
            let mut keys = KeyCache::new(txn);
            for found in shown.into_iter().take(limit) {
                let mut doc = records::load(txn, found.key)?.ok_or_else(|| {
                    Error::storage(format!("search document {:#x} has a card but no record", found.key))
                })?;
                if let Some((title, text)) = self.ctx.search_gate.shown(txn, &mut keys, doc.kind, doc.id)? {
                    (doc.title, doc.text) = (title, text);
                }
                items.push(hit(doc, found.score, found.matched, &plan.words));
            }
            Ok(SearchPage { items, next_cursor, facets, total })
        })
    }

    /// Whether `subject` may see the document of `card` now.
    fn visible(
        &self,
        txn: &ReadTxn,
        subject: &Subject,
        now: Timestamp,
        card: &Card,
        memo: &mut Vec<(u64, bool)>,
    ) -> Result<bool> {
        match &card.gate {
            Gate::Audience(audience) => {
                Ok(policy::allows(subject, Action::ReadArticle { audience, state: ArticleState::Published }, now))
            }
            Gate::Domain => self.ctx.search_gate.visible(txn, subject, now, card.kind, card.id, card.hint, memo),
        }
    }
}

/// A matching document the reader may see: its score, reference, card and why it matched. Only
/// the hits on the page read their whole stored document.
struct Found {
    score: f64,
    key: u64,
    card: Card,
    matched: Vec<String>,
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
fn facets_of<'a>(cards: impl Iterator<Item = &'a Card>) -> Vec<FacetCount> {
    let mut counts: BTreeMap<(&str, String), u64> = BTreeMap::new();
    for card in cards {
        *counts.entry(("kind", card.kind.to_string())).or_default() += 1;
        *counts.entry(("language", card.language.clone())).or_default() += 1;
        for topic in &card.topics {
            *counts.entry(("topic", topic.clone())).or_default() += 1;
        }
        if let Some(org) = card.org {
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
    migrate: |txn, migration| {
        if migration.predates(29) {
            records::fill_cards(txn)?;
        }
        Ok(())
    },
    check: |txn, found| {
        let n = records::check_integrity(txn, &mut found.problems)?;
        found.count("search_docs", n);
        Ok(())
    },
    personal: Some(index::PERSONAL),
};
