//! Keyset (cursor) pagination: a page ends with an opaque cursor that the next call passes
//! back. Unlike offsets, cursors stay correct while records are added, and cost the same on
//! page 1 and page 1,000.

use serde::{Deserialize, Serialize};

use crate::accounts::Account;
use crate::audit::AuditEntry;
use crate::error::{Error, Result};
use crate::knowledge::ArticleSummary;
use crate::orgs::Organisation;
use crate::topics::Topic;

/// Default number of items on a page.
pub const DEFAULT_PAGE_SIZE: u32 = 50;
/// Largest page a caller may ask for.
pub const MAX_PAGE_SIZE: u32 = 500;

/// Which page to read: start with no cursor, then pass the previous page's `next_cursor`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct PageRequest {
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub cursor: Option<String>,
    /// Items per page, 1 to 500; 50 when absent.
    #[cfg_attr(feature = "uniffi", uniffi(default = None))]
    pub limit: Option<u32>,
}

impl PageRequest {
    /// The first page with `limit` items.
    pub fn first(limit: u32) -> Self {
        PageRequest { cursor: None, limit: Some(limit) }
    }

    /// The page after `cursor`.
    pub fn after(cursor: impl Into<String>, limit: u32) -> Self {
        PageRequest { cursor: Some(cursor.into()), limit: Some(limit) }
    }

    pub(crate) fn limit(&self) -> Result<usize> {
        match self.limit.unwrap_or(DEFAULT_PAGE_SIZE) {
            n @ 1..=MAX_PAGE_SIZE => Ok(n as usize),
            n => Err(Error::invalid("limit", format!("{n} is not between 1 and {MAX_PAGE_SIZE}"))),
        }
    }

    /// The id the cursor stands for; a cursor not made by trialog is rejected.
    pub(crate) fn cursor_id(&self) -> Result<Option<u64>> {
        let Some(cursor) = &self.cursor else { return Ok(None) };
        cursor.strip_prefix('k').and_then(|n| n.parse().ok()).map(Some).ok_or_else(|| {
            Error::invalid("cursor", "is not a cursor returned by a previous page; start again without one")
        })
    }

    /// The first id of the page in an ascending listing: 0 without a cursor, else the id after
    /// the cursor's (saturating: a cursor at the largest id gives an empty page, not an
    /// overflow back to the first one).
    pub(crate) fn first_id(&self) -> Result<u64> {
        Ok(self.cursor_id()?.map_or(0, |id| id.saturating_add(1)))
    }

    /// The `n` keys a composite cursor stands for (a position in an order of several keys,
    /// such as a board page's pinned flag, activity and thread).
    pub(crate) fn cursor_keys(&self, n: usize) -> Result<Option<Vec<u64>>> {
        let Some(cursor) = &self.cursor else { return Ok(None) };
        let keys: Option<Vec<u64>> =
            cursor.strip_prefix('k').and_then(|rest| rest.split('.').map(|k| k.parse().ok()).collect());
        match keys {
            Some(keys) if keys.len() == n => Ok(Some(keys)),
            _ => Err(Error::invalid("cursor", "is not a cursor returned by a previous page; start again without one")),
        }
    }
}

pub(crate) fn cursor_for(id: u64) -> String {
    format!("k{id}")
}

/// The cursor of a position given by several keys.
pub(crate) fn cursor_for_keys(keys: &[u64]) -> String {
    let parts: Vec<String> = keys.iter().map(u64::to_string).collect();
    format!("k{}", parts.join("."))
}

macro_rules! page_type {
    ($(#[$doc:meta])* $name:ident, $item:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
        pub struct $name {
            pub items: Vec<$item>,
            /// Pass this to get the next page; absent on the last page.
            pub next_cursor: Option<String>,
        }

        impl $name {
            pub(crate) fn new(items: Vec<$item>, next: Option<u64>) -> Self {
                $name { items, next_cursor: next.map(cursor_for) }
            }
        }
    };
}

page_type!(
    /// A page of accounts.
    AccountPage,
    Account
);
page_type!(
    /// A page of organisations.
    OrganisationPage,
    Organisation
);
page_type!(
    /// A page of audit entries, newest first.
    AuditPage,
    AuditEntry
);
page_type!(
    /// A page of topics, in the order they were added.
    TopicPage,
    Topic
);
page_type!(
    /// A page of knowledge-base articles, one language version per article.
    ArticlePage,
    ArticleSummary
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn foreign_cursors_and_bad_limits_are_rejected_by_field() {
        let bad = PageRequest { cursor: Some("42".into()), limit: None };
        assert!(matches!(bad.cursor_id(), Err(Error::InvalidInput { field, .. }) if field == "cursor"));
        assert!(matches!(PageRequest::first(0).limit(), Err(Error::InvalidInput { field, .. }) if field == "limit"));
        assert!(matches!(PageRequest::first(501).limit(), Err(Error::InvalidInput { field, .. }) if field == "limit"));
        assert_eq!(PageRequest::after(cursor_for(9), 5).cursor_id().unwrap(), Some(9));
        assert_eq!(PageRequest::after(cursor_for(9), 5).first_id().unwrap(), 10);
        assert_eq!(PageRequest::after(cursor_for(u64::MAX), 5).first_id().unwrap(), u64::MAX);
        let composite = PageRequest::after(cursor_for_keys(&[1, 20, 300]), 5);
        assert_eq!(composite.cursor_keys(3).unwrap(), Some(vec![1, 20, 300]));
        assert!(matches!(composite.cursor_keys(2), Err(Error::InvalidInput { field, .. }) if field == "cursor"));
    }
}
