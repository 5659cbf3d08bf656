//! The tables of the topics thesaurus: the only place they are declared; the domain registers
//! them (see [`super::DOMAIN`]) and only [`super::records`] opens them.

use crate::store::{AnyTable, Table};

/// Topic id → topic record (JSON).
pub(crate) const TOPICS: Table<u64, &[u8]> = Table::new("topics");
/// Topic slug → topic id (the uniqueness index; slugs never change).
pub(crate) const TOPIC_SLUGS: Table<&str, u64> = Table::new("topic_slugs");

/// Every table of the domain, created when a file is new or older than the domain.
pub(crate) const TABLES: &[&dyn AnyTable] = &[&TOPICS, &TOPIC_SLUGS];
