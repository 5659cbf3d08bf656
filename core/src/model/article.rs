//! Where a knowledge-base article stands: the knowledge base keeps articles, the policy decides
//! who reads them by it.

use serde::{Deserialize, Serialize};

use super::named_enum;

/// Where an article stands in the editorial workflow: draft → in review → published →
/// archived. Changing the text of an article in review, published or archived takes it back
/// to draft: readers only ever see text a second editor approved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum ArticleState {
    Draft,
    /// Submitted; waits for a second editor's approval.
    InReview,
    /// Approved and shown to its audience.
    Published,
    /// Withdrawn from readers, kept with its history.
    Archived,
}

named_enum!(ArticleState, "state",
    Draft => "draft", InReview => "in_review", Published => "published", Archived => "archived");
