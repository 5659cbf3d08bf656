//! The `iter_*` twin of every paged listing: an iterator that calls the listing again with the
//! previous page's `next_cursor` when its items are used up.

use std::collections::VecDeque;
use std::sync::{Mutex, PoisonError};

use pyo3::prelude::*;
use pyo3::sync::MutexExt;
use pyo3::types::{PyDict, PyList, PyTuple};

/// Walks every page of a listing, fetching the next page when the current one is used up.
#[pyclass(frozen, module = "trialog", name = "PageIterator")]
pub(crate) struct PageIterator {
    listing: Py<PyAny>,
    args: Py<PyTuple>,
    kwargs: Py<PyDict>,
    page_size: Option<u32>,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    buffer: VecDeque<Py<PyAny>>,
    cursor: Option<String>,
    done: bool,
}

impl PageIterator {
    /// Iterates over `listing(*args, **kwargs)` (a bound method returning pages).
    pub(crate) fn new(
        listing: Bound<'_, PyAny>,
        args: Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
        page_size: Option<u32>,
    ) -> PyResult<Self> {
        let py = listing.py();
        let kwargs = match kwargs {
            Some(k) => k.copy()?,
            None => PyDict::new(py),
        };
        let state = Mutex::default();
        Ok(PageIterator { listing: listing.unbind(), args: args.unbind(), kwargs: kwargs.unbind(), page_size, state })
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
                return Ok(Some(item));
            }
            if state.done {
                return Ok(None);
            }
            let kwargs = self.kwargs.bind(py).copy()?;
            kwargs.set_item("cursor", state.cursor.clone())?;
            kwargs.set_item("limit", self.page_size)?;
            let page = self.listing.bind(py).call(self.args.bind(py), Some(&kwargs))?;
            let page = page.cast::<PyDict>()?;
            // A page's items are its one list (`items`, or `threads`, `posts` beside a header).
            for (_, value) in page.iter() {
                if let Ok(items) = value.cast::<PyList>() {
                    state.buffer.extend(items.iter().map(Bound::unbind));
                    break;
                }
            }
            state.cursor = page.get_item("next_cursor")?.filter(|c| !c.is_none()).map(|c| c.extract()).transpose()?;
            state.done = state.cursor.is_none();
        }
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let name = self.listing.bind(py).getattr("__name__").map(|n| n.to_string()).unwrap_or_default();
        format!("<trialog.PageIterator over {name}>")
    }
}
