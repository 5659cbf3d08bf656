//! The forums' part in the person's rights (`crate::rights`).
//!
//! Export: every thread and post the account wrote (anonymous ones included: only the person
//! and admins may link those to them), every earlier version of their posts, their read
//! positions and what they watch.
//!
//! Erasure: their read positions and watches go; their threads and posts stay in their
//! threads (replies and quotes keep their order) as written by "former member", with no link
//! to the account, and with [`PostFate::Delete`] their text, titles and earlier versions go
//! too, and the posts leave the search index. Earlier versions go in both cases: what the
//! person edited out is theirs alone. Their post texts are sealed under their key
//! ([`super::texts`]): each kept post is rewritten here as "former member", which stores its
//! text plain, before the erasure destroys the key; a deleted one is rewritten empty. Copies
//! made before the erasure keep the sealed texts, which no longer open.

use serde::Serialize;

use super::super::effects::Effects;
use super::super::lifecycle::{store_post, store_thread};
use super::super::model::{ContentState, Revision, ThreadId};
use super::texts::{Shredded, decode_post};
use super::{PostRecord, StoredAuthor, ThreadRecord, drop_revisions, load_thread, revisions_with};
use crate::clock::Timestamp;
use crate::error::Result;
use crate::forums::tables::{
    FORUM_BOARD_MARKS, FORUM_BOARD_WATCHERS, FORUM_POSTS, FORUM_READS, FORUM_THREAD_WATCHERS, FORUM_THREADS,
    FORUM_WATCHED_BOARDS, FORUM_WATCHED_THREADS,
};
use crate::ids::{AccountId, NOBODY};
use crate::model::rights::PostFate;
use crate::store::{
    Domain, Dossier, Erasure, KeyCache, Person, Personal, ReadTable, ReadTxn, Reader, WriteTxn, compact_uint,
    is_compact,
};

/// The forums' registration with the person's rights.
pub(crate) const PERSONAL: Personal = Personal { export, erase };

/// The title a thread keeps when its erased author's content is deleted.
const DELETED_TITLE: &str = "(deleted)";

/// A post as the export shows it.
#[derive(Serialize)]
struct ExportedPost<'a> {
    id: u64,
    thread: u64,
    seq: u32,
    anonymous: bool,
    body: &'a str,
    reply_to: Option<u64>,
    state: ContentState,
    deleted_at: Option<Timestamp>,
    created_at: Timestamp,
    edited_at: Option<Timestamp>,
}

#[derive(Serialize)]
struct ExportedThread<'a> {
    id: u64,
    board: u64,
    title: &'a str,
    anonymous: bool,
    first_post: u64,
    tags: &'a [String],
    state: ContentState,
    created_at: Timestamp,
}

#[derive(Serialize)]
struct ExportedRevision {
    post: u64,
    #[serde(flatten)]
    revision: Revision,
}

#[derive(Serialize)]
struct ReadPosition {
    thread: u64,
    /// The highest post number (`seq`) read.
    seq: u32,
}

#[derive(Serialize)]
struct Watched {
    kind: &'static str,
    id: u64,
}

fn export(txn: &ReadTxn, person: &Person, dossier: &mut Dossier) -> Result<()> {
    let me = person.account;
    let threads = threads_by(txn, me)?;
    let exported: Vec<ExportedThread<'_>> = threads
        .iter()
        .map(|t| ExportedThread {
            id: t.id.0,
            board: t.board.0,
            title: &t.title,
            anonymous: t.author.anonymous,
            first_post: t.first_post.0,
            tags: &t.tags,
            state: t.state,
            created_at: t.created_at,
        })
        .collect();
    dossier.add("forum_threads", ABOUT_THREADS, &exported)?;
    let posts = posts_by(txn, me)?;
    let exported: Vec<ExportedPost<'_>> = posts
        .iter()
        .map(|p| ExportedPost {
            id: p.id.0,
            thread: p.thread.0,
            seq: p.seq,
            anonymous: p.author.anonymous,
            body: &p.body,
            reply_to: p.reply_to.map(|r| r.0),
            state: p.state,
            deleted_at: p.deleted_at,
            created_at: p.created_at,
            edited_at: p.edited_at,
        })
        .collect();
    dossier.add("forum_posts", ABOUT_POSTS, &exported)?;
    let mut keys = KeyCache::new(txn);
    let mut versions = Vec::new();
    for post in &posts {
        for revision in revisions_with(&mut keys, txn, post)? {
            versions.push(ExportedRevision { post: post.id.0, revision });
        }
    }
    dossier.add("forum_revisions", ABOUT_REVISIONS, &versions)?;
    let reads: Vec<ReadPosition> = txn
        .table(FORUM_READS)?
        .range((me.0, 0)..=(me.0, u64::MAX))?
        .map(|r| r.map(|(k, v)| ReadPosition { thread: k.value().1, seq: v.value() }))
        .collect::<std::result::Result<_, _>>()?;
    dossier.add("forum_read_positions", ABOUT_READS, &reads)?;
    let mut watched: Vec<Watched> = Vec::new();
    for row in txn.table(FORUM_WATCHED_THREADS)?.range((me.0, 0)..=(me.0, u64::MAX))? {
        watched.push(Watched { kind: "thread", id: row?.0.value().1 });
    }
    for row in txn.table(FORUM_WATCHED_BOARDS)?.range((me.0, 0)..=(me.0, u64::MAX))? {
        watched.push(Watched { kind: "board", id: row?.0.value().1 });
    }
    dossier.add("forum_watching", ABOUT_WATCHING, &watched)
}

fn erase(txn: &WriteTxn, erasure: &mut Erasure) -> Result<()> {
    let me = erasure.person.account;
    let delete = erasure.posts == PostFate::Delete;
    erasure.content_deleted = delete;
    let mut effects = Effects::default();
    let threads = threads_by(txn, me)?;
    for before in &threads {
        let mut thread = before.clone();
        thread.author = former(&before.author);
        if delete {
            thread.title = DELETED_TITLE.to_string();
            thread.excerpt.clear();
        }
        store_thread(txn, &mut effects, &thread, Some(before))?;
        erasure.authored.push(format!("thread:{}", thread.id));
    }
    erasure.count("forum threads", threads.len() as u64);
    let posts = posts_by(txn, me)?;
    for before in &posts {
        let thread = load_thread(txn, before.thread)?;
        let first = thread.first_post == before.id;
        let old_title = threads.iter().find(|t| t.id == thread.id && first).map(|t| t.title.as_str());
        let title = first.then_some(thread.title.as_str());
        let mut post = before.clone();
        post.author = former(&before.author);
        if delete {
            post.body.clear();
            post.excerpt.clear();
            post.deleted_at = post.deleted_at.or(Some(erasure.now));
        }
        drop_revisions(txn, post.id)?;
        store_post(txn, &mut effects, &post, title, Some((before, old_title.or(title))))?;
        erasure.authored.push(format!("post:{}", post.id));
    }
    erasure.count("forum posts", posts.len() as u64);
    effects.finish(txn, erasure.now)?;
    erasure.count("forum read positions and watches", forget_reading(txn, me)?);
    Ok(())
}

/// The author as kept after erasure: nobody, shown as "former member"; anonymous stays
/// anonymous.
fn former(author: &StoredAuthor) -> StoredAuthor {
    StoredAuthor { account: NOBODY, name: Domain::FORMER_MEMBER.to_string(), anonymous: author.anonymous }
}

/// Removes the account's read positions, watches and board marks; how many rows went.
fn forget_reading(txn: &WriteTxn, me: AccountId) -> Result<u64> {
    let mut removed = 0;
    let mut threads = Vec::new();
    txn.open_table(FORUM_READS)?.retain_in((me.0, 0)..=(me.0, u64::MAX), |_, _| {
        removed += 1;
        false
    })?;
    txn.open_table(FORUM_WATCHED_THREADS)?.retain_in((me.0, 0)..=(me.0, u64::MAX), |(_, thread), _| {
        threads.push(thread);
        false
    })?;
    let mut watchers = txn.open_table(FORUM_THREAD_WATCHERS)?;
    for thread in &threads {
        watchers.delete((*thread, me.0))?;
    }
    let mut boards = Vec::new();
    txn.open_table(FORUM_WATCHED_BOARDS)?.retain_in((me.0, 0)..=(me.0, u64::MAX), |(_, board), _| {
        boards.push(board);
        false
    })?;
    let mut watchers = txn.open_table(FORUM_BOARD_WATCHERS)?;
    for board in &boards {
        watchers.delete((*board, me.0))?;
    }
    txn.open_table(FORUM_BOARD_MARKS)?.retain_in((me.0, 0)..=(me.0, u64::MAX), |_, _| {
        removed += 1;
        false
    })?;
    Ok(removed + threads.len() as u64 + boards.len() as u64)
}

/// Every thread `author` started, in id order. A scan: the forums keep no index by author
/// (see benches/README.md for what it costs).
fn threads_by(txn: &impl Reader, author: AccountId) -> Result<Vec<ThreadRecord>> {
    let mut candidates = Vec::new();
    for row in txn.table(FORUM_THREADS)?.range::<u64>(..)? {
        let (id, bytes) = row?;
        if mentions(bytes.value(), author) {
            candidates.push(ThreadId(id.value()));
        }
    }
    let mut found = Vec::new();
    for id in candidates {
        let thread = load_thread(txn, id)?;
        if thread.author.account == author {
            found.push(thread);
        }
    }
    Ok(found)
}

/// Every post `author` wrote, in thread and post order.
fn posts_by(txn: &impl Reader, author: AccountId) -> Result<Vec<PostRecord>> {
    let mut found = Vec::new();
    let mut keys = KeyCache::new(txn);
    for row in txn.table(FORUM_POSTS)?.range::<(u64, u64)>(..)? {
        let (key, bytes) = row?;
        if !mentions(bytes.value(), author) {
            continue;
        }
        let post = decode_post(&mut keys, key.value().1, bytes.value(), Shredded::ReadEmpty)?;
        if post.author.account == author {
            found.push(post);
        }
    }
    Ok(found)
}

/// A cheap test before decoding: whether the record contains the account's id where an
/// author's account number would be — in a compact record the start of a [`StoredAuthor`]
/// (an array of three, the account first), in a JSON one `"account":<id>`. A match is then
/// decoded and checked; a record that does not match cannot be the author's.
fn mentions(record: &[u8], account: AccountId) -> bool {
    let needle = if is_compact(record) {
        let mut needle = vec![STORED_AUTHOR_ARRAY];
        needle.extend(compact_uint(account.0));
        needle
    } else {
        format!("\"account\":{account}").into_bytes()
    };
    record.windows(needle.len()).any(|w| w == needle.as_slice())
}

/// The MessagePack marker of an array of three: a [`StoredAuthor`] in the compact form.
const STORED_AUTHOR_ARRAY: u8 = 0x93;

const ABOUT_THREADS: &str = "Threads the person started, anonymous ones included (`anonymous: true`): board, title, \
tags, state (visible, pending, hidden, removed) and when. The opening post is in forum_posts.";
const ABOUT_POSTS: &str = "Every post the person wrote, anonymous ones included (only they and admins can link \
those to them): thread, place in the thread (`seq`), the text as it stands now (empty when deleted), the post it \
replies to, state, and when it was written, edited or deleted.";
const ABOUT_REVISIONS: &str = "Earlier versions of the person's posts (`post`, version `number`, `body`, \
`saved_at`), kept so moderators can see what was changed; a deleted post has none left.";
const ABOUT_READS: &str = "How far the person has read each thread they opened: the highest post number (`seq`).";
const ABOUT_WATCHING: &str = "Threads and boards the person watches (new replies and threads are sent to the inbox).";
