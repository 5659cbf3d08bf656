//! Listings, one page at a time (`list_*`) or as an iterator over every page (`iter_*`).

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};

use pyo3::prelude::*;
use pyo3::sync::MutexExt;
use pyo3::types::PyDict;
use trialog_core::{
    AccountFilter, Actor, AuditFilter, BoardId, ForumQuery, JobQuery, MatchRunFilter, OrganisationFilter, PageRequest,
    Platform, ThreadId,
};

use crate::convert::{Node, to_py, to_value};
use crate::errors::call;

/// What is listed, with its filter.
#[derive(Debug, Clone)]
pub(crate) enum Listing {
    Accounts(AccountFilter),
    Organisations(OrganisationFilter),
    Audit(AuditFilter),
    /// Job search hits, flat (see [`crate::jobs::hit`]).
    Jobs(JobQuery),
    /// Stored match runs, newest first.
    MatchRuns(MatchRunFilter),
    /// A board's threads, pinned first, then by last activity.
    Threads(BoardId),
    /// A thread's posts in the order they were written.
    Posts(ThreadId),
    /// Forum search hits, best first.
    ForumHits(ForumQuery),
}

impl Listing {
    /// One page: its items in serde form and the cursor of the next page. Runs without the GIL.
    fn fetch(&self, core: &Platform, actor: &Actor, page: &PageRequest) -> trialog_core::Result<Fetched> {
        fn items<T: serde::Serialize>(items: &[T]) -> trialog_core::Result<Vec<Node>> {
            items.iter().map(to_value).collect()
        }
        Ok(match self {
            Listing::Accounts(filter) => {
                let page = core.accounts().list(actor, filter, page)?;
                (items(&page.items)?, page.next_cursor)
            }
            Listing::Organisations(filter) => {
                let page = core.orgs().list(actor, filter, page)?;
                (items(&page.items)?, page.next_cursor)
            }
            Listing::Audit(filter) => {
                let page = core.audit().list(actor, filter, page)?;
                (items(&page.items)?, page.next_cursor)
            }
            Listing::Jobs(query) => {
                let page = core.jobs().search(actor, query, page)?;
                (page.items.iter().map(crate::jobs::hit).collect::<trialog_core::Result<_>>()?, page.next_cursor)
            }
            Listing::MatchRuns(filter) => {
                let page = core.match_runs().list(actor, filter, page)?;
                (items(&page.items)?, page.next_cursor)
            }
            Listing::Threads(board) => {
                let page = core.forums().board_page(actor, *board, page)?;
                (items(&page.threads)?, page.next_cursor)
            }
            Listing::Posts(thread) => {
                let page = core.forums().thread_page(actor, *thread, page)?;
                (items(&page.posts)?, page.next_cursor)
            }
            Listing::ForumHits(query) => {
                let page = core.forums().search(actor, query, page)?;
                (items(&page.items)?, page.next_cursor)
            }
        })
    }

    /// One page as `{"items": [...], "next_cursor": str | None}`.
    pub(crate) fn page(
        &self,
        py: Python<'_>,
        core: &Platform,
        actor: &Actor,
        page: PageRequest,
    ) -> PyResult<Py<PyAny>> {
        let (items, next) = call(py, || self.fetch(core, actor, &page))?;
        let dict = PyDict::new(py);
        dict.set_item("items", items.iter().map(|v| to_py(py, v)).collect::<PyResult<Vec<_>>>()?)?;
        dict.set_item("next_cursor", next)?;
        Ok(dict.into_any().unbind())
    }
}

type Fetched = (Vec<Node>, Option<String>);

/// Walks every page of a listing, fetching the next page when the current one is used up.
#[pyclass(frozen, module = "trialog", name = "PageIterator")]
pub(crate) struct PageIterator {
    core: Platform,
    actor: Actor,
    listing: Listing,
    page_size: Option<u32>,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    buffer: VecDeque<Node>,
    cursor: Option<String>,
    done: bool,
}

impl PageIterator {
    pub(crate) fn new(core: Platform, actor: Actor, listing: Listing, page_size: Option<u32>) -> Self {
        PageIterator { core, actor, listing, page_size, state: Mutex::default() }
    }
}

#[pymethods]
impl PageIterator {
    fn __iter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        // Waiting for the lock releases the GIL, so threads sharing one iterator cannot
        // deadlock, and each item comes out exactly once.
        let mut state = self.state.lock_py_attached(py).unwrap_or_else(PoisonError::into_inner);
        loop {
            if let Some(item) = state.buffer.pop_front() {
                return to_py(py, &item).map(Some);
            }
            if state.done {
                return Ok(None);
            }
            let request = PageRequest { cursor: state.cursor.clone(), limit: self.page_size };
            let (items, next) = call(py, || self.listing.fetch(&self.core, &self.actor, &request))?;
            state.buffer.extend(items);
            state.done = next.is_none();
            state.cursor = next;
        }
    }

    fn __repr__(&self) -> String {
        let what = match self.listing {
            Listing::Accounts(_) => "accounts",
            Listing::Organisations(_) => "organisations",
            Listing::Audit(_) => "audit entries",
            Listing::Jobs(_) => "job search hits",
            Listing::MatchRuns(_) => "match runs",
            Listing::Threads(_) => "a board's threads",
            Listing::Posts(_) => "a thread's posts",
            Listing::ForumHits(_) => "forum search hits",
        };
        format!("<trialog.PageIterator over {what} as {}>", self.actor)
    }
}
