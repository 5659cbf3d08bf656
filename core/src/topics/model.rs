//! Topic records: a thesaurus shared by every domain.

use serde::{Deserialize, Serialize};

use crate::clock::Timestamp;
use crate::import::RowProblem;

/// Topics are numbered from 1; people and files name them by their slug.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TopicId(pub u64);

impl std::fmt::Display for TopicId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(feature = "uniffi")]
uniffi::custom_newtype!(TopicId, u64);

/// A topic's names in one language: the preferred label and its synonyms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TopicLabel {
    /// ISO 639-1 code (`de`, `da`, `en`).
    pub lang: String,
    /// The preferred label, shown in listings.
    pub pref: String,
    /// Alternative labels (synonyms, spellings) that a search for them expands to the topic.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub alt: Vec<String>,
}

/// A topic of the thesaurus: articles, boards, threads and postings carry topics by slug.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Topic {
    pub id: TopicId,
    /// Lower-case letters, digits and `-`; never changes.
    pub slug: String,
    /// The broader topic's slug.
    #[serde(default)]
    pub parent: Option<String>,
    /// One per language, sorted by language.
    pub labels: Vec<TopicLabel>,
    /// Slugs of related topics (the relation is kept in both directions).
    #[serde(default)]
    pub related: Vec<String>,
    pub updated_at: Timestamp,
}

/// What a new topic needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewTopic {
    pub slug: String,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub parent: Option<String>,
    pub labels: Vec<TopicLabel>,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub related: Vec<String>,
}

/// Changes to a topic; absent fields stay, an empty `parent` makes it a top-level topic.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TopicUpdate {
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub parent: Option<String>,
    /// Replaces every label.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub labels: Option<Vec<TopicLabel>>,
    /// Replaces the related topics.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub related: Option<Vec<String>>,
}

/// One row of a topics file (`topic,parent,lang,pref,alt,related`): one topic in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TopicRow {
    /// 1-based line in the file (the header is line 1), for problem reports.
    pub line: u64,
    pub topic: String,
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub parent: Option<String>,
    pub lang: String,
    pub pref: String,
    /// `|`-separated alternative labels.
    #[serde(default)]
    pub alt: String,
    /// `|`-separated related slugs; the rows of one topic add up.
    #[serde(default)]
    pub related: String,
}

/// What a topics import did, or would do on a dry run. All or nothing: with any problem,
/// nothing is written.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TopicImport {
    pub created: u64,
    pub updated: u64,
    pub problems: Vec<RowProblem>,
    pub dry_run: bool,
}
