//! The tables of the one search index: the only place they are declared; the domain registers
//! them (see [`super::DOMAIN`]) and only [`super::records`] opens them.

use crate::store::{AnyTable, Table};

/// Document reference (kind code in the top byte, record id below) → document (JSON): what a
/// hit shows, what filters and facets read, and the terms to remove when it changes.
pub(crate) const SEARCH_DOCS: Table<u64, &[u8]> = Table::new("search_docs");
/// Document reference → card (MessagePack, see `model::Card`): the few fields a search reads
/// of every matching document (language, topics, organisation, who may see it).
pub(crate) const SEARCH_CARDS: Table<u64, &[u8]> = Table::new("search_cards");
/// (term, document reference) → packed field frequencies and length (see `records::Posting`).
pub(crate) const SEARCH_POSTINGS: Table<(&str, u64), u64> = Table::new("search_postings");
/// Term → a number that is not read (files before version 29 counted the documents holding the
/// term here): the vocabulary, every term with at least one posting, looked up for whether a
/// term is known and scanned for misspellings. A term's document frequency is the length of its
/// posting list, counted when the list is read, so adding a document writes only its new terms.
pub(crate) const SEARCH_TERMS: Table<&str, u64> = Table::new("search_terms");
/// (topic slug, document reference) → (): the documents carrying a topic.
pub(crate) const SEARCH_TOPICS: Table<(&str, u64), ()> = Table::new("search_topics");
/// "docs" → document count, "length" → summed document lengths (for BM25's average).
pub(crate) const SEARCH_STATS: Table<&str, u64> = Table::new("search_stats");

/// Every table of the domain, created when a file is new or older than the domain.
pub(crate) const TABLES: &[&dyn AnyTable] =
    &[&SEARCH_DOCS, &SEARCH_CARDS, &SEARCH_POSTINGS, &SEARCH_TERMS, &SEARCH_TOPICS, &SEARCH_STATS];
