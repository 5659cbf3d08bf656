//! What kinds of records the one search finds. The kind sits below the domains, so that the
//! context's search seam ([`crate::context::SearchGate`]) can name it without a domain module.

use serde::{Deserialize, Serialize};

use super::named_enum;

/// The kind of a search hit: the domain its record belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum SearchKind {
    /// A published knowledge-base article.
    Article,
    /// A forum thread (its title and first post).
    Thread,
    /// A published job posting.
    Job,
    /// A course.
    Course,
}

named_enum!(SearchKind, "kind", Article => "article", Thread => "thread", Job => "job", Course => "course");

impl SearchKind {
    /// The kind's number in index keys (the top byte of a document reference). Never changes.
    pub(crate) fn code(self) -> u8 {
        match self {
            SearchKind::Article => 1,
            SearchKind::Thread => 2,
            SearchKind::Job => 3,
            SearchKind::Course => 4,
        }
    }
}
