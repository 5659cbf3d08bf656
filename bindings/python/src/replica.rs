//! The `Replica` class: a device's copy of what one account may see (`docs/replicas.md`), read
//! offline, written to through a send queue. Each method forwards to the core's replica with
//! the GIL released; results are dicts and lists typed like the operations'.

use std::path::PathBuf;

use pyo3::prelude::*;
use trialog_core::replica::{self as core, Writer};
use trialog_core::{BoardId, ThreadId};

use crate::convert::call_typed;
use crate::errors::call;

/// A replica file of one account on one server; safe to share between threads.
#[pyclass(frozen, module = "trialog", name = "Replica")]
pub(crate) struct Replica(core::Replica);

#[pymethods]
impl Replica {
    /// Opens (or creates, readable by its owner only) the replica file at `path` for the
    /// account whose bearer token is `token` on the server at `server_url` (`http://host:port`).
    #[staticmethod]
    fn open(py: Python<'_>, path: PathBuf, server_url: &str, token: &str) -> PyResult<Self> {
        call(py, || core::Replica::open(&path, server_url, token)).map(Replica)
    }

    /// Sends the queued writes in order, then pulls what changed. Offline it reports so and
    /// keeps everything; called again before `retry_in_ms` has passed, it returns at once.
    fn sync(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        call_typed(py, "SyncReport", || self.0.sync())
    }

    /// The boards the account may see, as last synced.
    fn boards(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        call_typed(py, "list:BoardOverview", || self.0.boards())
    }

    /// A board's threads in the replica, pinned first, then the most recently active.
    fn threads(&self, py: Python<'_>, board: u64) -> PyResult<Py<PyAny>> {
        call_typed(py, "list:Thread", || self.0.threads(BoardId(board)))
    }

    /// A thread with its posts and this device's replies still waiting to be sent.
    fn thread(&self, py: Python<'_>, id: u64) -> PyResult<Py<PyAny>> {
        call_typed(py, "ReplicaThread", || self.0.thread(ThreadId(id)))
    }

    /// The inbox as last synced (None before the first sync).
    fn inbox(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        call_typed(py, "opt:NotificationPage", || self.0.inbox())
    }

    /// The verified crisis resources for someone in `country` writing in `language`.
    fn crisis_resources(&self, py: Python<'_>, country: &str, language: &str) -> PyResult<Py<PyAny>> {
        call_typed(py, "list:CrisisResource", || self.0.crisis_resources(country, language))
    }

    /// The queued writes not refused, in order ("pending", or "unknown" when a server stopped
    /// before it could answer).
    fn pending(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        call_typed(py, "list:Queued", || self.0.pending())
    }

    /// The queued writes the server refused, with its reasons.
    fn refusals(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        call_typed(py, "list:Queued", || self.0.refusals())
    }

    /// Drops a queued write that has not been applied.
    fn drop_queued(&self, py: Python<'_>, id: &str) -> PyResult<()> {
        call(py, || self.0.drop_queued(id))
    }

    /// Queues a reply. When the text shows signs of a crisis, the crisis resources for
    /// `country` come back at once, before anything reaches the server.
    #[pyo3(signature = (thread, body, *, language, country))]
    fn reply(&self, py: Python<'_>, thread: u64, body: &str, language: &str, country: &str) -> PyResult<Py<PyAny>> {
        let writer = Writer { language: language.into(), country: country.into() };
        call_typed(py, "QueuedWrite", || self.0.reply(ThreadId(thread), body, &writer))
    }

    /// Queues a new thread (`anonymous`: no author shown but to admins), with the crisis check
    /// of `reply`.
    #[pyo3(signature = (board, title, body, *, language, country, anonymous = false))]
    #[allow(clippy::too_many_arguments)] // the Python signature: keywords with defaults
    fn new_thread(
        &self,
        py: Python<'_>,
        board: u64,
        title: &str,
        body: &str,
        language: &str,
        country: &str,
        anonymous: bool,
    ) -> PyResult<Py<PyAny>> {
        let writer = Writer { language: language.into(), country: country.into() };
        call_typed(py, "QueuedWrite", || self.0.new_thread(BoardId(board), title, body, anonymous, &writer))
    }

    fn __repr__(&self) -> String {
        "<trialog.Replica>".into()
    }
}
