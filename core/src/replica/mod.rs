//! A device's replica (`docs/replicas.md`): a local file holding what the signed-in account
//! may see, as the server's read operations projected it; reads answer from the file, offline
//! too; writes wait in a persisted send queue with a client id each, shown as pending, and are
//! sent in order when the server answers; the crisis check runs on the device before a write
//! is queued. Behind the `replica` feature (it brings the HTTP client).
//!
//! Why `ureq`: a small blocking client (no async runtime to start on a phone's background
//! thread or in a Python call), few dependencies, and rustls for TLS when it is switched on.

mod http;
mod records;

use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

pub use records::{QueueState, Queued};

use crate::clock::{Clock, SystemClock};
use crate::error::{Error, Result};
use crate::forums::{BoardOverview, Post, Thread};
use crate::ids::{BoardId, ThreadId};
use crate::inbox::NotificationPage;
use crate::moderation::{CrisisResource, crisis, resources_for};
use crate::store::{Durability, Opening, Store};
use crate::sync::Sent;

/// Page-cache size of a replica file: a phone's memory is small.
const CACHE_BYTES: usize = 16 << 20;
/// Pull rounds one [`Replica::sync`] makes at most (each up to 500 feed entries).
const MAX_ROUNDS: u32 = 50;

/// A device's replica of one account.
pub struct Replica {
    store: Store,
    http: http::Client,
    /// One sync at a time, so that queued writes go out once and in order.
    syncing: Mutex<()>,
}

/// What one [`Replica::sync`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
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
}

/// A thread as the replica holds it: the thread, its posts, and this device's pending replies.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicaThread {
    pub thread: Thread,
    pub posts: Vec<Post>,
    pub pending: Vec<Queued>,
}

/// Who writes, for the crisis check on the device: the language of the text and the country
/// whose crisis resources to show (`DE`, `DK`; see [`crate::moderation::country_of`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Writer {
    pub language: String,
    pub country: String,
}

/// What queuing a write gave back: its id, and the crisis resources to show at once when the
/// text shows signs of a crisis (empty otherwise).
#[derive(Debug, Clone, PartialEq)]
pub struct QueuedWrite {
    pub id: String,
    pub crisis_resources: Vec<CrisisResource>,
}

impl Replica {
    /// Opens (or creates, readable by its owner only) the replica file at `path` for the
    /// account of `token` on the server at `server_url` (`http://host:port`).
    pub fn open(path: impl AsRef<Path>, server_url: &str, token: &str) -> Result<Replica> {
        let at = Opening { now: SystemClock.now(), domains: records::DOMAINS, feed: &[] };
        let store = Store::open(path.as_ref(), true, CACHE_BYTES, Durability::Immediate, at)?;
        let http = http::Client::new(server_url, token, Duration::from_secs(30))?;
        Ok(Replica { store, http, syncing: Mutex::new(()) })
    }

    /// Sends the queue in order, then pulls changes (a snapshot the first time or when the
    /// server says the replica is too far behind). Offline, it stops and reports so; nothing
    /// is lost.
    pub fn sync(&self) -> Result<SyncReport> {
        let _one = self.syncing.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut report = SyncReport::default();
        self.send_queue(&mut report)?;
        if !report.offline {
            self.pull(&mut report)?;
        }
        Ok(report)
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
            let Some(batch) = self.http.changes(since)? else {
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

    /// Every queued write in order (pending, failed, unknown).
    pub fn queue(&self) -> Result<Vec<Queued>> {
        Ok(records::queue(&self.store.read()?)?.into_iter().map(|(_, q)| q).collect())
    }

    /// Drops a queued write that has not been applied (a failed one, or a pending one the
    /// person takes back before it is sent).
    pub fn drop_queued(&self, id: &str) -> Result<()> {
        let _one = self.syncing.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        self.store.write(|txn| {
            let found = records::queue(txn)?.into_iter().find(|(_, q)| q.id == id);
            let (position, _) = found.ok_or_else(|| Error::not_found("queued write", id))?;
            records::set_queued(txn, position, None)
        })
    }

    /// Queues a reply; see [`Replica::queue_write`] for the crisis check.
    pub fn reply(&self, thread: ThreadId, body: &str, writer: &Writer) -> Result<QueuedWrite> {
        let (language, country) = (writer.language.as_str(), writer.country.as_str());
        let args = serde_json::json!({ "new": { "thread": thread, "body": body } });
        self.queue_write("reply", args, body, language, country)
    }

    /// Queues a new thread (`anonymous`: shown as "anonymous" to everyone but admins); see
    /// [`Replica::queue_write`] for the crisis check.
    pub fn new_thread(
        &self,
        board: BoardId,
        title: &str,
        body: &str,
        anonymous: bool,
        writer: &Writer,
    ) -> Result<QueuedWrite> {
        let (language, country) = (writer.language.as_str(), writer.country.as_str());
        let args =
            serde_json::json!({ "new": { "board": board, "title": title, "body": body, "anonymous": anonymous } });
        self.queue_write("create_thread", args, &format!("{title}\n{body}"), language, country)
    }

    /// Runs `text` through the crisis rules compiled into the library (the same as the
    /// server's; never the moderators' word lists), then queues the write under a new client
    /// id. When the text shows a crisis sign, the crisis resources for `country` come back at
    /// once, before anything reaches the server.
    fn queue_write(
        &self,
        operation: &str,
        args: serde_json::Value,
        text: &str,
        language: &str,
        country: &str,
    ) -> Result<QueuedWrite> {
        if text.trim().is_empty() {
            return Err(Error::invalid("body", "is empty"));
        }
        let detection = crisis::rules_detector().detect(text, language);
        let crisis_resources =
            if detection.level.is_some() { self.crisis_resources(country, language)? } else { Vec::new() };
        let id = client_id()?;
        let item =
            Queued { id: id.clone(), operation: operation.into(), args, state: QueueState::Pending, attempts: 0 };
        self.store.write(|txn| records::enqueue(txn, &item))?;
        Ok(QueuedWrite { id, crisis_resources })
    }
}

/// A random UUID (version 4) as the client id of a queued write.
fn client_id() -> Result<String> {
    let mut b = [0u8; 16];
    crate::crypto::random(&mut b)?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    Ok(format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..]))
}
