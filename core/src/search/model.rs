//! What the one search takes and returns, and the document a domain hands to its index.

use serde::{Deserialize, Serialize};

use crate::model::audience::Audience;
use crate::orgs::OrgId;
use crate::text::Fragment;

pub use crate::model::search::SearchKind;

/// One query over everything.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SearchQuery {
    /// The words a visitor typed (at most 500 characters).
    pub text: String,
    /// Only these kinds (all when empty).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = []))]
    pub kinds: Vec<SearchKind>,
    /// Only records carrying this topic or a narrower one (a slug).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub topic: Option<String>,
    /// Only records in this language (ISO 639-1).
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub language: Option<String>,
}

/// One record found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SearchHit {
    pub kind: SearchKind,
    /// The record's id within its kind (article, thread, job or course id).
    pub id: u64,
    /// The record's slug where it has one (articles).
    pub slug: Option<String>,
    pub title: String,
    /// A passage with the matched words marked.
    pub snippet: Vec<Fragment>,
    pub language: String,
    /// Topic slugs the record carries.
    pub topics: Vec<String>,
    /// The organisation responsible, where there is one.
    pub org: Option<OrgId>,
    /// Why it matched: the query words, spellings, compound parts, thesaurus labels and topics
    /// that scored (e.g. "netzwerk", "part:arbeit", "spelling:selbsthilfegruppe",
    /// "thesaurus:vernetzung", "topic:cooperation").
    pub matched: Vec<String>,
    /// Higher is better; comparable across kinds (one index, one scoring).
    pub score: f64,
}

/// How many hits share one value of a facet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct FacetCount {
    /// "kind", "topic", "language" or "org".
    pub facet: String,
    pub value: String,
    pub count: u64,
}

/// A page of hits, best first, with the facets and the number of the query's best 1,000 hits
/// the reader may see (the same on every page of the query, not just this page's).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SearchPage {
    pub items: Vec<SearchHit>,
    pub next_cursor: Option<String>,
    /// Counts by kind, topic, language and organisation over the hits `total` counts.
    pub facets: Vec<FacetCount>,
    /// Hits of the query in all (over every page), counted up to the best 1,000.
    pub total: u64,
    /// `false` when the query has more hits than `total` counted: show "more than 1,000". The
    /// pages still reach every hit.
    pub total_exact: bool,
}

/// Who may see an indexed document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Gate {
    /// Decided by the policy as for a published article of this audience.
    Audience(Audience),
    /// Asked of the owning domain for every hit (the context's search gate).
    Domain,
}

/// What a domain hands to the index for one record, in the transaction that writes it.
pub(crate) struct Entry<'a> {
    pub kind: SearchKind,
    pub id: u64,
    pub slug: Option<&'a str>,
    pub title: &'a str,
    /// A short description (an article's summary), weighted between title and body.
    pub summary: &'a str,
    /// Plain text (markup already removed).
    pub body: &'a str,
    pub language: &'a str,
    pub topics: &'a [String],
    pub org: Option<OrgId>,
    pub gate: Gate,
    /// For [`Gate::Domain`]: what the owning domain needs to judge a hit without reading its
    /// record (a thread's board, a posting's end in microseconds); kept in the document's
    /// [`Card`].
    pub hint: Option<u64>,
    /// Whether the document keeps the title and text its hits show. `false` for a domain that
    /// gives them when a hit is shown (`crate::context::SearchGate::shown`): forum threads,
    /// whose title and excerpt are sealed under their author's key, so that the index holds
    /// no plain copy of them (only their terms).
    pub keeps_text: bool,
}

/// What a search reads of every matching document: enough to filter it, count it in the
/// facets and decide whether the reader may see it, without the stored text and terms of its
/// [`Doc`] (read only for the hits on the page). Written and removed with the document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Card {
    pub kind: SearchKind,
    pub id: u64,
    pub language: String,
    pub topics: Vec<String>,
    #[serde(default)]
    pub org: Option<OrgId>,
    pub gate: Gate,
    /// See [`Entry::hint`]; `None` for a card built from a document indexed before cards
    /// existed, whose domain then reads its record.
    #[serde(default)]
    pub hint: Option<u64>,
}

impl Card {
    /// The card of `doc`, with the domain's `hint`.
    pub(crate) fn of(doc: &Doc, hint: Option<u64>) -> Card {
        Card {
            kind: doc.kind,
            id: doc.id,
            language: doc.language.clone(),
            topics: doc.topics.clone(),
            org: doc.org,
            gate: doc.gate.clone(),
            hint,
        }
    }
}

/// An indexed document as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Doc {
    pub kind: SearchKind,
    pub id: u64,
    #[serde(default)]
    pub slug: Option<String>,
    pub title: String,
    /// Summary and body, for snippets.
    pub text: String,
    pub language: String,
    pub topics: Vec<String>,
    #[serde(default)]
    pub org: Option<OrgId>,
    pub gate: Gate,
    /// Terms in all fields.
    pub length: u32,
    /// Every distinct term, so the postings can be removed.
    pub terms: Vec<String>,
}

/// A document's place in the index: its kind's code in the top byte, its record id below.
pub(crate) fn reference(kind: SearchKind, id: u64) -> u64 {
    (u64::from(kind.code()) << 56) | (id & ((1 << 56) - 1))
}
