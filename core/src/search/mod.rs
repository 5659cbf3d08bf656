//! The one search over everything ("Themensuche"): one index shared by every domain, one
//! ranked list with comparable scores, facets by kind, topic, language and organisation, and
//! keyset paging.
//!
//! Domains write to the index in the transaction that changes their record
//! ([`index::put`], [`index::remove`]): knowledge articles when published (and out again when
//! not), forum threads, published job postings. A new domain (self-help groups) joins by adding
//! a [`SearchKind`], calling [`index::put`] where it writes its records, and answering for its
//! kind in the gate (`crate::sources`).
//!
//! A search scores every matching document from the posting lists alone, merged in reference
//! order ([`rank::Matches`]), and then reads the matches **best first**: each one's small card
//! ([`model::Card`]) says whether the reader wants it (kind, language, topic) and may see it —
//! by the policy from the audience stored with the document, or by the owning domain through
//! the context's [`crate::context::SearchGate`] from the hint on the card (a thread's board,
//! whose audience and state change without the thread being written again; a posting's end).
//! Cards are read only until the page is full and the counted hits (below) are found; only the
//! page's hits read their whole stored document (title and text for the snippet).
//!
//! **Facets and the total count the best [`COUNTED_HITS`] (1,000) hits the reader may see**,
//! and the page says whether the query has more ([`SearchPage::total_exact`]). Counting every
//! match exactly meant reading and judging every match's card: a two-word query matches tens of
//! thousands of forum threads at national scale, and that reading was most of a 0.4 s search.
//! A reader takes "more than 1,000" from the number and which kind, language or topic to
//! narrow to from the facets; the best thousand hits say both, and a filter then counts again
//! within it (as search engines report "about 1,000 results"). The count leaks nothing: a match
//! the reader may not see is skipped before it is counted, and the cap applies to visible hits
//! only, so the total is never larger than what the reader could page through and whether it is
//! exact says nothing about hidden documents. The facets and the total are counted from the top
//! of the list, not from the cursor, so every page of a query shows the same; paging itself is
//! not capped.

pub(crate) mod index;
mod model;
mod query;
mod rank;
pub(crate) mod records;
pub(crate) mod tables;
mod weights;

#[cfg(test)]
mod tests;

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
use rank::{BestFirst, Candidate};
use weights::Weights;

/// The longest query, in characters: longer text is refused, never cut.
const MAX_QUERY_CHARS: usize = 500;
/// Characters of text in a snippet.
const SNIPPET_CHARS: usize = 200;
/// The best hits the facets and the total count (see the module documentation).
pub(crate) const COUNTED_HITS: usize = 1_000;

/// The one search.
pub struct Search<'a> {
    pub(crate) ctx: &'a Context,
}

impl Search<'_> {
    /// Finds everything `actor` may see that matches `query`, best first. See the module
    /// documentation.
    pub fn search(&self, actor: &Actor, query: &SearchQuery, page: &PageRequest) -> Result<SearchPage> {
        self.search_counting(actor, query, page, COUNTED_HITS)
    }

    /// [`Search::search`] with facets and the total counted over the best `counted` hits.
    fn search_counting(
        &self,
        actor: &Actor,
        query: &SearchQuery,
        page: &PageRequest,
        counted: usize,
    ) -> Result<SearchPage> {
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
            let wanted = Wanted {
                kinds: &query.kinds,
                language: language.as_deref(),
                topics: query.topic.as_deref().map(|t| topics::narrower_slugs(txn, t)).transpose()?,
            };
            let vocabulary = records::Vocabulary::read(txn)?;
            let thesaurus = query::ThesaurusCache::get(&self.ctx.thesaurus, txn)?;
            let plan = query::plan(&vocabulary, &thesaurus, &query.text, language.as_deref(), &Weights::TUNED)?;
            let matches = rank::Matches::read(txn, &vocabulary, &plan, &Weights::TUNED)?;
            let read = Reading { txn, subject, now, wanted: &wanted, after, limit, counted };
            let mut candidates = matches.candidates();
            candidates.retain(|c| wanted.may_want(c));
            let walked = self.walk(&read, candidates)?;
            let next_cursor = (walked.shown.len() > limit)
                .then(|| cursor_for_keys(&[walked.shown[limit - 1].score.to_bits(), walked.shown[limit - 1].key]));
            let mut items = Vec::with_capacity(limit.min(walked.shown.len()));
            let mut keys = KeyCache::new(txn);
            for found in walked.shown.into_iter().take(limit) {
                let mut doc = records::load(txn, found.key)?.ok_or_else(|| {
                    Error::storage(format!("search document {:#x} has a card but no record", found.key))
                })?;
                if let Some((title, text)) = self.ctx.search_gate.shown(txn, &mut keys, doc.kind, doc.id)? {
                    (doc.title, doc.text) = (title, text);
                }
                let (_, matched) = matches.explain(found.key);
                items.push(hit(doc, found.score, matched, &plan.words));
            }
            let facets = facets_of(walked.counted.iter());
            let total = walked.counted.len() as u64;
            Ok(SearchPage { items, next_cursor, facets, total, total_exact: !walked.more })
        })
    }

    /// Reads the candidates' cards best first, keeping those the reader wants and may see:
    /// every one after the cursor until the page (and one more) is full, and the first
    /// `counted` from the top for the facets and the total, plus one to know whether more
    /// follow. A card is read only while one of the two still needs it.
    fn walk(&self, read: &Reading<'_, '_>, candidates: Vec<Candidate>) -> Result<Walked> {
        let cards = records::cards(read.txn)?;
        let mut best_first = BestFirst::new(candidates);
        let mut memo = Vec::new();
        let mut walked = Walked { shown: Vec::new(), counted: Vec::new(), more: false };
        while !walked.more || walked.shown.len() <= read.limit {
            let Some(candidate) = best_first.next() else { break };
            let past = read.after.is_none_or(|(score, key)| candidate.comes_after(score, key));
            if !past && walked.more {
                continue;
            }
            let Some(card) = cards.get(candidate.key)? else { continue };
            if !read.wanted.wants(&card) || !self.visible(read.txn, read.subject, read.now, &card, &mut memo)? {
                continue;
            }
            if past && walked.shown.len() <= read.limit {
                walked.shown.push(candidate);
            }
            if walked.counted.len() < read.counted {
                walked.counted.push(card);
            } else {
                walked.more = true;
            }
        }
        Ok(walked)
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

/// What the reader asked for beside the words: kinds, a language, topics (a named one and
/// those below it).
struct Wanted<'q> {
    kinds: &'q [SearchKind],
    language: Option<&'q str>,
    topics: Option<Vec<String>>,
}

impl Wanted<'_> {
    /// Whether the reader may want `candidate`, as far as its reference (the kind) and its
    /// postings (the language) say: a candidate that fails is passed over without reading its
    /// card, which would say the same ([`Wanted::wants`]).
    fn may_want(&self, candidate: &Candidate) -> bool {
        let kind = (candidate.key >> 56) as u8;
        (self.kinds.is_empty() || self.kinds.iter().any(|k| k.code() == kind))
            && (candidate.language == 0
                || self.language.is_none_or(|l| records::language_code(l) == candidate.language))
    }

    fn wants(&self, card: &Card) -> bool {
        (self.kinds.is_empty() || self.kinds.contains(&card.kind))
            && self.language.is_none_or(|l| card.language == l)
            && self.topics.as_ref().is_none_or(|w| card.topics.iter().any(|t| w.contains(t)))
    }
}

/// One search's reading of its candidates: for whom, what, which page and how many to count.
struct Reading<'t, 'q> {
    txn: &'t ReadTxn,
    subject: &'t Subject,
    now: Timestamp,
    wanted: &'q Wanted<'q>,
    /// The cursor: the last hit of the page before.
    after: Option<(f64, u64)>,
    limit: usize,
    counted: usize,
}

/// What [`Search::walk`] found: the hits after the cursor (one more than the page when
/// another page follows), the cards of the best hits counted for facets and the total, and
/// whether the query has more hits than those.
struct Walked {
    shown: Vec<Candidate>,
    counted: Vec<Card>,
    more: bool,
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
    tick: |txn, _, due| records::merge_some(txn, due),
    figures: None,
    tables: tables::TABLES,
    migrate: |txn, migration| {
        if migration.predates(29) {
            records::fill_cards(txn)?;
        }
        if migration.predates(36) {
            records::postings_into_blocks_v36(txn)?;
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
