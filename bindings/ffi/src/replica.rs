//! The exported [`Replica`]: a device's copy of what its account may see (`docs/replicas.md`),
//! read offline, written to through a send queue. Each method forwards to the core's replica
//! behind the panic guard; the records and the error are the core's.

use std::sync::Arc;

use trialog_core::replica::{self as core, Queued, QueuedWrite, ReplicaThread, SyncReport, Writer};
use trialog_core::{BoardId, BoardOverview, CrisisResource, Error, NotificationPage, Thread, ThreadId};

use crate::guard::guard;

/// A replica file of one account on one server. Safe to share between threads; one `sync`
/// runs at a time.
#[derive(uniffi::Object)]
pub struct Replica(core::Replica);

#[uniffi::export]
impl Replica {
    /// Opens (or creates, readable by its owner only) the replica file at `path` for the
    /// account whose bearer token is `token` on the server at `serverUrl` (`http://host:port`).
    #[uniffi::constructor]
    pub fn open(path: String, server_url: String, token: String) -> Result<Arc<Self>, Error> {
        guard(|| Ok(Arc::new(Replica(core::Replica::open(&path, &server_url, &token)?))))
    }

    /// Sends the queued writes in order, then pulls what changed. Offline it reports so and
    /// keeps everything; called again before `retryInMs` has passed, it returns at once.
    pub fn sync(&self) -> Result<SyncReport, Error> {
        guard(|| self.0.sync())
    }

    /// The boards the account may see, as last synced.
    pub fn boards(&self) -> Result<Vec<BoardOverview>, Error> {
        guard(|| self.0.boards())
    }

    /// A board's threads in the replica, pinned first, then the most recently active.
    pub fn threads(&self, board: BoardId) -> Result<Vec<Thread>, Error> {
        guard(|| self.0.threads(board))
    }

    /// A thread with its posts and this device's replies still waiting to be sent.
    pub fn thread(&self, id: ThreadId) -> Result<ReplicaThread, Error> {
        guard(|| self.0.thread(id))
    }

    /// The inbox as last synced (`null` before the first sync).
    pub fn inbox(&self) -> Result<Option<NotificationPage>, Error> {
        guard(|| self.0.inbox())
    }

    /// The verified crisis resources for someone in `country` writing in `language`.
    pub fn crisis_resources(&self, country: String, language: String) -> Result<Vec<CrisisResource>, Error> {
        guard(|| self.0.crisis_resources(&country, &language))
    }

    /// The queued writes not refused, in order (`Pending`, or `Unknown` when a server stopped
    /// before it could answer).
    pub fn pending(&self) -> Result<Vec<Queued>, Error> {
        guard(|| self.0.pending())
    }

    /// The queued writes the server refused, with its reasons.
    pub fn refusals(&self) -> Result<Vec<Queued>, Error> {
        guard(|| self.0.refusals())
    }

    /// Drops a queued write that has not been applied.
    pub fn drop_queued(&self, id: String) -> Result<(), Error> {
        guard(|| self.0.drop_queued(&id))
    }

    /// Queues a reply. When the text shows signs of a crisis, the crisis resources for the
    /// writer's country come back at once, before anything reaches the server.
    pub fn reply(&self, thread: ThreadId, body: String, writer: Writer) -> Result<QueuedWrite, Error> {
        guard(|| self.0.reply(thread, &body, &writer))
    }

    /// Queues a new thread (`anonymous`: no author shown but to admins), with the crisis check
    /// of `reply`.
    pub fn new_thread(
        &self,
        board: BoardId,
        title: String,
        body: String,
        anonymous: bool,
        writer: Writer,
    ) -> Result<QueuedWrite, Error> {
        guard(|| self.0.new_thread(board, &title, &body, anonymous, &writer))
    }
}
