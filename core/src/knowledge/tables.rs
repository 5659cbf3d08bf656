//! The tables of the knowledge base: the only place they are declared; the domain registers
//! them (see [`super::DOMAIN`]) and only [`super::records`] opens them.

use crate::store::{AnyTable, Table};

/// Article id → article record (JSON), in every state.
pub(crate) const KNOWLEDGE_ARTICLES: Table<u64, &[u8]> = Table::new("knowledge_articles");
/// Article slug → article id (the uniqueness index).
pub(crate) const KNOWLEDGE_SLUGS: Table<&str, u64> = Table::new("knowledge_slugs");
/// (article, revision number) → revision (JSON): every revision's text.
pub(crate) const KNOWLEDGE_REVISIONS: Table<(u64, u32), &[u8]> = Table::new("knowledge_revisions");
/// (translation group, article) → (): the language versions of an article.
pub(crate) const KNOWLEDGE_TRANSLATIONS: Table<(u64, u64), ()> = Table::new("knowledge_translations");
/// (topic id, article) → (): the articles carrying a topic, in every state.
pub(crate) const KNOWLEDGE_TOPICS: Table<(u64, u64), ()> = Table::new("knowledge_topics");
/// (next check due as days since 1 January of year 1, article) → (): published articles by
/// when their check falls due.
pub(crate) const KNOWLEDGE_DUE: Table<(u64, u64), ()> = Table::new("knowledge_due");
/// (month as YYYYMM, the articles' organisation or 0) → views of published articles: the
/// reports' figure. Who read is not stored.
pub(crate) const KNOWLEDGE_VIEWS: Table<(u32, u64), u64> = Table::new("knowledge_views");

/// Every table of the domain, created when a file is new or older than the domain.
pub(crate) const TABLES: &[&dyn AnyTable] = &[
    &KNOWLEDGE_ARTICLES,
    &KNOWLEDGE_SLUGS,
    &KNOWLEDGE_REVISIONS,
    &KNOWLEDGE_TRANSLATIONS,
    &KNOWLEDGE_TOPICS,
    &KNOWLEDGE_DUE,
    &KNOWLEDGE_VIEWS,
];
