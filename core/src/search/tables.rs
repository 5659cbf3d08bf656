//! The tables of the one search index: the only place they are declared; the domain registers
//! them (see [`super::DOMAIN`]) and only [`super::records`] opens them (the postings through
//! [`crate::text_index`]).

use crate::store::{AnyTable, Table};

/// Document reference (kind code in the top byte, record id below) → document (JSON): what a
/// hit shows, what filters and facets read, and the terms to remove when it changes.
pub(crate) const SEARCH_DOCS: Table<u64, &[u8]> = Table::new("search_docs");
/// Document reference → card (MessagePack, see `model::Card`): the few fields a search reads
/// of every matching document (language, topics, organisation, who may see it).
pub(crate) const SEARCH_CARDS: Table<u64, &[u8]> = Table::new("search_cards");
/// (term, first document reference of the block) → a block of up to 128 postings (see
/// `records::Posting` and `crate::text_index`), since schema 36.
pub(crate) const SEARCH_BLOCKS: Table<(&str, u64), &[u8]> = Table::new("search_blocks");
/// Term → how many documents of the blocks hold it: the vocabulary (with the open segments),
/// looked up for whether a term is known and scanned for misspellings.
pub(crate) const SEARCH_TERM_DOCS: Table<&str, u64> = Table::new("search_term_docs");
/// "docs" → document count, "terms" → summed document lengths (for BM25's average),
/// "open_bytes" → the size of the open segments.
pub(crate) const SEARCH_COUNTERS: Table<&str, u64> = Table::new("search_counters");
/// Segment number → the postings one transaction added and removed, not merged yet.
pub(crate) const SEARCH_SEGMENTS: Table<u64, &[u8]> = Table::new("search_segments");
/// (topic slug, document reference) → (): the documents carrying a topic.
pub(crate) const SEARCH_TOPICS: Table<(&str, u64), ()> = Table::new("search_topics");

/// Every table of the domain, created when a file is new or older than the domain.
pub(crate) const TABLES: &[&dyn AnyTable] = &[
    &SEARCH_DOCS,
    &SEARCH_CARDS,
    &SEARCH_BLOCKS,
    &SEARCH_TERM_DOCS,
    &SEARCH_COUNTERS,
    &SEARCH_SEGMENTS,
    &SEARCH_TOPICS,
];

/// Schema 35's postings, one row per (term, document reference) with the packed frequencies
/// and length (`records::Posting::from_v35`): read and dropped by the migration to 36.
pub(crate) const SEARCH_POSTINGS_V35: Table<(&str, u64), u64> = Table::new("search_postings");
/// Schema 35's vocabulary (term → a number not read), dropped by the migration to 36.
pub(crate) const SEARCH_TERMS_V35: Table<&str, u64> = Table::new("search_terms");
/// Schema 35's corpus statistics ("docs", "length"), moved into [`SEARCH_COUNTERS`] by the
/// migration to 36.
pub(crate) const SEARCH_STATS_V35: Table<&str, u64> = Table::new("search_stats");
