//! The replica file's tables and records: only this module opens them. Records are kept as
//! the server sent them (JSON of the read operations' answers).
//!
//! The file's format has its own version ([`FORMAT`], in the meta table), apart from the
//! server's schema: a file of an older format gets the tables it lacks and forgets its cursor,
//! so that its next sync is a snapshot that fills the buckets it did not hold.

mod buckets;
mod content;

use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::Result;
use crate::forums::{Post, Thread, ThreadPage};
use crate::ids::{BoardId, ThreadId};
use crate::store::{AnyTable, Domain, ReadTable, Reader, Table, WriteTxn, decode, encode};
use crate::sync::SyncBatch;

use super::model::Queued;
use content::Content;

pub(super) use buckets::{article, article_id, articles, jobs, saved_searches, seeker_profile};

/// Name → value (JSON): the cursor, the board list, the inbox, the crisis resources.
const META: Table<&str, &[u8]> = Table::new("replica_meta");
/// Thread id → thread (JSON).
const THREADS: Table<u64, &[u8]> = Table::new("replica_threads");
/// (board, thread) → (): a board's threads.
const BOARD_THREADS: Table<(u64, u64), ()> = Table::new("replica_board_threads");
/// (thread, post) → post (JSON).
const POSTS: Table<(u64, u64), &[u8]> = Table::new("replica_posts");
/// Post id → thread id.
const POST_THREADS: Table<u64, u64> = Table::new("replica_post_threads");
/// Queue position → queued write (JSON), in the order they were written.
const QUEUE: Table<u64, &[u8]> = Table::new("replica_queue");

const TABLES: &[&dyn AnyTable] = &[
    &META,
    &THREADS,
    &BOARD_THREADS,
    &POSTS,
    &POST_THREADS,
    &QUEUE,
    &buckets::PERSONAL,
    &buckets::JOBS,
    &buckets::ARTICLES,
    &buckets::ARTICLE_SLUGS,
];

/// The replica file's format: 2 added the job and knowledge buckets (1: none noted).
pub(super) const FORMAT: u32 = 2;
const FORMAT_KEY: &str = "format";

/// The replica file's one domain.
pub(super) const DOMAINS: &[Domain] = &[Domain {
    name: "replica",
    tables: TABLES,
    migrate: Domain::no_migration,
    check: |_, _| Ok(()),
    figures: None,
    tick: Domain::nothing_due,
    personal: None,
}];

pub(super) const CURSOR: &str = "cursor";
pub(super) const BOARDS: &str = "boards";
pub(super) const INBOX: &str = "inbox";
pub(super) const RESOURCES: &str = "crisis_resources";
/// The file's size after its last compaction.
pub(super) const COMPACTED: &str = "compacted_bytes";
/// The language the articles held are in (sent back with each incremental sync).
const KNOWLEDGE_LANGUAGE: &str = "knowledge_language";

pub(super) fn meta<T: DeserializeOwned>(txn: &impl Reader, name: &str) -> Result<Option<T>> {
    let table = txn.table(META)?;
    let Some(bytes) = table.get(name)? else { return Ok(None) };
    decode(bytes.value(), || format!("replica {name}")).map(Some)
}

pub(super) fn set_meta<T: Serialize>(txn: &WriteTxn, name: &str, value: &T) -> Result<()> {
    txn.open_table(META)?.put(name, encode(value)?.as_slice())?;
    Ok(())
}

/// The language the knowledge bucket is in, as the server last said (`None`: none, or a file
/// filled before the server said it: the server then sends the bucket again).
pub(super) fn knowledge_language(txn: &impl Reader) -> Result<Option<String>> {
    Ok(meta::<Option<String>>(txn, KNOWLEDGE_LANGUAGE)?.flatten())
}

/// Whether the file is of an older format than [`FORMAT`].
pub(super) fn outdated(txn: &impl Reader) -> Result<bool> {
    Ok(meta::<u32>(txn, FORMAT_KEY)?.unwrap_or(1) < FORMAT)
}

/// Brings a file of an older format to [`FORMAT`]: creates the tables it lacks and forgets
/// its cursor, so that the next sync is a snapshot (the queue stays).
pub(super) fn upgrade(txn: &WriteTxn) -> Result<()> {
    for table in TABLES {
        table.create(txn)?;
    }
    txn.open_table(META)?.remove(CURSOR)?;
    set_meta(txn, FORMAT_KEY, &FORMAT)
}

/// Applies one batch from the server: a snapshot replaces everything (the queue stays).
pub(super) fn apply(txn: &WriteTxn, batch: &SyncBatch) -> Result<()> {
    if batch.snapshot {
        buckets::clear(txn)?;
        txn.open_table(META)?.retain(|name, _| !name.starts_with("older:"))?;
    }
    if let Some(boards) = &batch.boards {
        set_meta(txn, BOARDS, boards)?;
    }
    for (board, next) in &batch.board_cursors {
        set_meta(txn, &older_key(*board), next)?;
    }
    apply_content(txn, batch)?;
    if let Some(inbox) = &batch.inbox {
        set_meta(txn, INBOX, inbox)?;
    }
    if let Some(resources) = &batch.crisis_resources {
        set_meta(txn, RESOURCES, resources)?;
    }
    if let Some(knowledge) = &batch.knowledge {
        set_meta(txn, KNOWLEDGE_LANGUAGE, &knowledge.language)?;
    }
    buckets::apply(txn, batch)?;
    set_meta(txn, CURSOR, &batch.cursor)
}

/// A batch's threads and posts, through tables opened once: removals first, then what to
/// store.
fn apply_content(txn: &WriteTxn, batch: &SyncBatch) -> Result<()> {
    let mut content = Content::open(txn)?;
    if batch.snapshot {
        content.clear()?;
    }
    for &board in &batch.removed_boards {
        content.remove_board(board)?;
    }
    for &thread in &batch.removed_threads {
        content.remove_thread(thread)?;
    }
    for &post in &batch.removed_posts {
        content.remove_post(post)?;
    }
    content.put(&batch.threads, &batch.posts)
}

/// Empties what the file holds of its person once their account was erased: the send queue,
/// the inbox, the threads and posts they wrote (`yours`; a thread of theirs goes with its
/// replies, since its title and first post are theirs), their saved searches, seeker profile
/// and the postings near its place. Boards, other people's posts, the articles and the crisis
/// resources are no one's personal record and stay until the app deletes the file.
pub(super) fn forget_person(txn: &WriteTxn) -> Result<()> {
    buckets::forget_person(txn)?;
    txn.open_table(QUEUE)?.retain(|_, _| false)?;
    txn.open_table(META)?.delete(INBOX)?;
    let mut content = Content::open(txn)?;
    let (threads, posts) = content.yours()?;
    for thread in threads {
        content.remove_thread(thread)?;
    }
    for post in posts {
        content.remove_post(post)?;
    }
    Ok(())
}

/// The meta key of a board's next page of older threads (`Some(None)`: none left).
pub(super) fn older_key(board: BoardId) -> String {
    format!("older:{board}")
}

/// Keeps a page of older threads and the cursor of the page after it.
pub(super) fn put_older(txn: &WriteTxn, key: &str, pages: &[ThreadPage], next: Option<&str>) -> Result<()> {
    Content::open(txn)?.put(pages, &[])?;
    set_meta(txn, key, &next)
}

pub(super) fn load_thread(txn: &impl Reader, thread: ThreadId) -> Result<Option<Thread>> {
    let table = txn.table(THREADS)?;
    let Some(bytes) = table.get(thread.0)? else { return Ok(None) };
    decode(bytes.value(), || format!("replica thread {thread}")).map(Some)
}

pub(super) fn threads_of(txn: &impl Reader, board: BoardId) -> Result<Vec<ThreadId>> {
    let mut out = Vec::new();
    for row in txn.table(BOARD_THREADS)?.range((board.0, 0)..=(board.0, u64::MAX))? {
        out.push(ThreadId(row?.0.value().1));
    }
    Ok(out)
}

pub(super) fn posts_of(txn: &impl Reader, thread: ThreadId) -> Result<Vec<Post>> {
    let mut out = Vec::new();
    for row in txn.table(POSTS)?.range((thread.0, 0)..=(thread.0, u64::MAX))? {
        let (key, bytes) = row?;
        out.push(decode(bytes.value(), || format!("replica post {}", key.value().1))?);
    }
    Ok(out)
}

/// Appends a write to the queue.
pub(super) fn enqueue(txn: &WriteTxn, item: &Queued) -> Result<()> {
    let mut table = txn.open_table(QUEUE)?;
    let next = table.iter()?.next_back().transpose()?.map_or(1, |(k, _)| k.value() + 1);
    table.put(next, encode(item)?.as_slice())?;
    Ok(())
}

/// The queue in order, with each item's position.
pub(super) fn queue(txn: &impl Reader) -> Result<Vec<(u64, Queued)>> {
    let mut out = Vec::new();
    for row in txn.table(QUEUE)?.iter()? {
        let (key, bytes) = row?;
        out.push((key.value(), decode(bytes.value(), || format!("queued write {}", key.value()))?));
    }
    Ok(out)
}

/// Replaces (`Some`) or removes (`None`) the item at `position`.
pub(super) fn set_queued(txn: &WriteTxn, position: u64, item: Option<&Queued>) -> Result<()> {
    let mut table = txn.open_table(QUEUE)?;
    match item {
        Some(item) => table.insert(position, encode(item)?.as_slice()).map(|_| ()),
        None => table.remove(position).map(|_| ()),
    }
}
