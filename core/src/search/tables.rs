//! The tables of the one search index: the only place they are declared; the domain registers
//! them (see [`super::DOMAIN`]) and only [`super::records`] opens them.

use crate::store::{AnyTable, Table};

/// Document reference (kind code in the top byte, record id below) → document (JSON): what a
/// hit shows, what filters and facets read, and the terms to remove when it changes.
pub(crate) const SEARCH_DOCS: Table<u64, &[u8]> = Table::new("search_docs");
/// (term, document reference) → packed field frequencies and length (see `records::Posting`).
pub(crate) const SEARCH_POSTINGS: Table<(&str, u64), u64> = Table::new("search_postings");
/// Term → number of documents holding it (the vocabulary, also scanned for misspellings).
pub(crate) const SEARCH_TERMS: Table<&str, u64> = Table::new("search_terms");
/// (topic slug, document reference) → (): the documents carrying a topic.
pub(crate) const SEARCH_TOPICS: Table<(&str, u64), ()> = Table::new("search_topics");
/// "docs" → document count, "length" → summed document lengths (for BM25's average).
pub(crate) const SEARCH_STATS: Table<&str, u64> = Table::new("search_stats");

/// Every table of the domain, created when a file is new or older than the domain.
pub(crate) const TABLES: &[&dyn AnyTable] =
    &[&SEARCH_DOCS, &SEARCH_POSTINGS, &SEARCH_TERMS, &SEARCH_TOPICS, &SEARCH_STATS];
