//! A device's replica (`docs/replicas.md`): a local file holding what the signed-in account
//! may see, as the server's read operations projected it; reads answer from the file, offline
//! too; writes wait in a persisted send queue with a client id each, shown as pending, and are
//! sent in order when the server answers; the crisis check runs on the device before a write
//! is queued. Behind the `replica` feature (it brings the HTTP client).
//!
//! Why `ureq`: a small blocking client (no async runtime to start on a phone's background
//! thread or in a Python call), few dependencies, and rustls for TLS (on ring, with Mozilla's
//! roots compiled in: see `http.rs`).

mod backoff;
mod buckets;
mod http;
mod model;
mod older;
mod queue;
mod records;

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

pub use crate::sync::OLDER_PAGE_THREADS;
pub use model::{QueueState, Queued, ReplicaOptions};
pub use older::OlderThreads;

use crate::clock::{Clock, SystemClock};
use crate::error::{Error, Result};
use crate::forums::{BoardOverview, Post, Thread};
use crate::ids::{BoardId, ThreadId};
use crate::inbox::NotificationPage;
use crate::moderation::{CrisisResource, resources_for};
use crate::store::{Durability, Opening, Store};
use crate::sync::Sent;
use backoff::Backoff;

/// Page-cache size of a replica file: a phone's memory is small.
const CACHE_BYTES: usize = 16 << 20;
/// How long one request to the server may take.
const TIMEOUT: Duration = Duration::from_secs(30);
/// Pull rounds one [`Replica::sync`] makes at most (each up to 500 feed entries).
const MAX_ROUNDS: u32 = 50;
/// A replica file is compacted on open once it is at least this large and has doubled since
/// its last compaction: removed records then leave redb's free pages, and a phone gets its
/// space back, without paying for a compaction on every start.
const COMPACT_FROM_BYTES: u64 = 4 << 20;

/// A device's replica of one account.
pub struct Replica {
    store: Store,
    http: http::Client,
    clock: Arc<dyn Clock>,
    /// One sync at a time, so that queued writes go out once and in order; it holds the wait
    /// after failed syncs.
    syncing: Mutex<Backoff>,
}

/// What one [`Replica::sync`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct SyncReport {
    /// Queued writes the server applied (now removed from the queue).
    pub sent: u32,
    /// Queued writes the server refused (marked failed with its reason).
    pub failed: u32,
    /// Whether the server could not be reached (what is left waits for the next sync).
    pub offline: bool,
    /// Whether the replica was filled from a fresh snapshot.
    pub snapshot: bool,
    /// The cursor after the sync.
    pub cursor: u64,
    /// Whether this sync did not try at all: the wait after a failed one had not run out.
    pub skipped: bool,
    /// When the server could not be reached: milliseconds until `sync` tries again (a call
    /// before then returns at once, `skipped`). 0 otherwise.
    pub retry_in_ms: u64,
}

/// A thread as the replica holds it: the thread, its posts, and this device's pending replies.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReplicaThread {
    pub thread: Thread,
    pub posts: Vec<Post>,
    pub pending: Vec<Queued>,
}

/// Who writes, for the crisis check on the device: the language of the text and the country
/// whose crisis resources to show (`DE`, `DK`; see [`crate::moderation::country_of`]).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Writer {
    pub language: String,
    pub country: String,
}

/// What queuing a write gave back: its id, and the crisis resources to show at once when the
/// text shows signs of a crisis (empty otherwise).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct QueuedWrite {
    pub id: String,
    pub crisis_resources: Vec<CrisisResource>,
}

impl Replica {
    /// Opens (or creates, readable by its owner only) the replica file at `path` for the
    /// account of `token` on the server at `server_url` (`https://host`, or `http://` to this
    /// device), with the default [`ReplicaOptions`].
    ///
    /// The file is compacted on open once it is 4 MiB or more and twice its size after its
    /// last compaction.
    pub fn open(path: impl AsRef<Path>, server_url: &str, token: &str) -> Result<Replica> {
        Replica::open_with(path, server_url, token, &ReplicaOptions::default())
    }

    /// [`Replica::open`] with `options`: an organisation's own certificate authority, or plain
    /// HTTP to another host.
    pub fn open_with(
        path: impl AsRef<Path>,
        server_url: &str,
        token: &str,
        options: &ReplicaOptions,
    ) -> Result<Replica> {
        Replica::opened(path.as_ref(), http::Client::new(server_url, token, options, TIMEOUT)?, Arc::new(SystemClock))
    }

    /// [`Replica::open`] with the clock the wait after failed syncs is measured by.
    pub fn open_with_clock(
        path: impl AsRef<Path>,
        server_url: &str,
        token: &str,
        clock: Arc<dyn Clock>,
    ) -> Result<Replica> {
        let http = http::Client::new(server_url, token, &ReplicaOptions::default(), TIMEOUT)?;
        Replica::opened(path.as_ref(), http, clock)
    }

    fn opened(path: &Path, http: http::Client, clock: Arc<dyn Clock>) -> Result<Replica> {
        // A replica is small: after a crash redb's full repair of it takes well under a second,
        // so its commits skip the second fsync quick repair would cost.
        let at = Opening { now: clock.now(), domains: records::DOMAINS, feed: &[], quick_repair: false };
        let store = Store::open(path, true, CACHE_BYTES, Durability::Immediate, at)?;
        compact_if_grown(&store)?;
        if records::outdated(&store.read()?)? {
            store.write(records::upgrade)?;
        }
        Ok(Replica { store, http, clock, syncing: Mutex::new(Backoff::default()) })
    }

    /// Sends the queue in order, then pulls changes (a snapshot the first time or when the
    /// server says the replica is too far behind). Offline, it stops and reports so; nothing
    /// is lost, and the next sync waits (1 s doubling to 5 min, with jitter): called sooner,
    /// it returns at once, `skipped`, with the time left in `retry_in_ms`.
    pub fn sync(&self) -> Result<SyncReport> {
        let mut backoff = self.syncing.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(wait) = backoff.wait_at(self.clock.now()) {
            return Ok(SyncReport { offline: true, skipped: true, retry_in_ms: millis(wait), ..SyncReport::default() });
        }
        let mut report = SyncReport::default();
        self.forget_if_erased(self.exchange(&mut report))?;
        if report.offline {
            report.retry_in_ms = millis(backoff.failed(self.clock.now())?);
        } else {
            backoff.succeeded();
        }
        Ok(report)
    }

    /// [`Replica::sync`] without waiting out the wait after failed syncs: for an app that
    /// learns the network is back. A sync that fails again waits the next, longer step.
    pub fn sync_now(&self) -> Result<SyncReport> {
        self.syncing.lock().unwrap_or_else(PoisonError::into_inner).cut_short();
        self.sync()
    }

    /// Sends the queue, then pulls unless the server could not be reached.
    fn exchange(&self, report: &mut SyncReport) -> Result<()> {
        self.send_queue(report)?;
        if !report.offline {
            self.pull(report)?;
        }
        Ok(())
    }

    /// Passes on what the server answered; when it says the account was erased, first empties
    /// what the file holds of the person — inbox, send queue, their own threads and posts —
    /// in one write, and compacts the file so that the records leave it, not only the
    /// tables. The app should then delete the file (`docs/replicas.md`).
    fn forget_if_erased<T>(&self, answer: Result<T>) -> Result<T> {
        if let Err(Error::AccountErased { .. }) = &answer {
            self.store.write(records::forget_person)?;
            self.store.compact_with(&mut |_| {})?;
        }
        answer
    }

    fn send_queue(&self, report: &mut SyncReport) -> Result<()> {
        let queue = records::queue(&self.store.read()?)?;
        for (position, mut item) in queue.into_iter().filter(|(_, q)| q.state == QueueState::Pending) {
            let Some(outcome) = self.http.send(&item.id, &item.operation, &item.args)? else {
                // Offline: the item keeps its place and id; the next sync resends it.
                item.attempts += 1;
                self.store.write(|txn| records::set_queued(txn, position, Some(&item)))?;
                report.offline = true;
                return Ok(());
            };
            let next = match outcome {
                Sent::Applied { .. } => {
                    report.sent += 1;
                    None
                }
                Sent::Refused { kind, reason } => {
                    report.failed += 1;
                    Some(Queued { state: QueueState::Failed { kind, reason }, ..item.clone() })
                }
                Sent::Running { .. } => Some(Queued { state: QueueState::Unknown, ..item.clone() }),
            };
            self.store.write(|txn| records::set_queued(txn, position, next.as_ref()))?;
        }
        Ok(())
    }

    fn pull(&self, report: &mut SyncReport) -> Result<()> {
        let mut since: Option<u64> = self.store.read().and_then(|t| records::meta(&t, records::CURSOR))?;
        for _ in 0..MAX_ROUNDS {
            let language = records::knowledge_language(&self.store.read()?)?;
            let Some(batch) = self.http.changes(since, language.as_deref())? else {
                report.offline = true;
                return Ok(());
            };
            if batch.resnapshot {
                since = None;
                continue;
            }
            self.store.write(|txn| records::apply(txn, &batch))?;
            report.snapshot |= batch.snapshot;
            report.cursor = batch.cursor;
            since = Some(batch.cursor);
            if !batch.more {
                break;
            }
        }
        Ok(())
    }

    /// The boards the account may see, as last synced.
    pub fn boards(&self) -> Result<Vec<BoardOverview>> {
        Ok(records::meta(&self.store.read()?, records::BOARDS)?.unwrap_or_default())
    }

    /// A board's threads in the replica, pinned first, then the most recently active.
    pub fn threads(&self, board: BoardId) -> Result<Vec<Thread>> {
        let txn = self.store.read()?;
        let mut threads = Vec::new();
        for id in records::threads_of(&txn, board)? {
            threads.extend(records::load_thread(&txn, id)?);
        }
        threads.sort_by_key(|t| (!t.pinned, std::cmp::Reverse(t.last_activity), t.id));
        Ok(threads)
    }

    /// A thread with its posts in order and this device's replies still waiting to be sent.
    pub fn thread(&self, thread: ThreadId) -> Result<ReplicaThread> {
        let txn = self.store.read()?;
        let found =
            records::load_thread(&txn, thread)?.ok_or_else(|| Error::not_found("thread in the replica", thread))?;
        let posts = records::posts_of(&txn, thread)?;
        let pending = records::queue(&txn)?
            .into_iter()
            .map(|(_, q)| q)
            .filter(|q| q.operation == "reply" && q.args["new"]["thread"] == thread.0)
            .collect();
        Ok(ReplicaThread { thread: found, posts, pending })
    }

    /// The inbox as last synced.
    pub fn inbox(&self) -> Result<Option<NotificationPage>> {
        records::meta(&self.store.read()?, records::INBOX)
    }

    /// The verified crisis resources for someone in `country` writing in `language`.
    pub fn crisis_resources(&self, country: &str, language: &str) -> Result<Vec<CrisisResource>> {
        let all: Vec<CrisisResource> = records::meta(&self.store.read()?, records::RESOURCES)?.unwrap_or_default();
        Ok(resources_for(&all, country, language))
    }
}

/// Compacts the file when it has grown to [`COMPACT_FROM_BYTES`] and to twice its size after
/// the last compaction; notes the size it then has.
fn compact_if_grown(store: &Store) -> Result<()> {
    let Some(bytes) = store.file_bytes()? else { return Ok(()) };
    let last: u64 = records::meta(&store.read()?, records::COMPACTED)?.unwrap_or(0);
    if bytes < COMPACT_FROM_BYTES.max(last.saturating_mul(2)) {
        return Ok(());
    }
    store.compact_with(&mut |_| {})?;
    let after = store.file_bytes()?.unwrap_or(bytes);
    store.write(|txn| records::set_meta(txn, records::COMPACTED, &after))
}

fn millis(wait: chrono::Duration) -> u64 {
    u64::try_from(wait.num_milliseconds()).unwrap_or(0)
}
