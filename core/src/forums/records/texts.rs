//! Post texts sealed under their author's key (crypto-shredding, `docs/erasure.md`), since
//! schema version 31: a post's body and excerpt, and every earlier version of its body, are
//! stored as one sealed value under the data key of the account that wrote it — anonymous
//! posts too. Erasing the author destroys the key, so the texts cannot be read from any copy
//! made before (a backup of the file, PostgreSQL's write-ahead log and old row versions).
//!
//! No key id is stored: a post is opened with the key of its stored author, an account the
//! record names anyway (moderators act on anonymous authors through it), so the sealed value
//! adds no link between a post and a person that the record did not already hold.
//!
//! Posts of "former member" (account 0: an erased author who chose to keep their posts) are
//! stored plain: the erasure rewrites them before it destroys the key, and no key of nobody
//! could be destroyed later anyway. Empty texts (deleted posts) are stored plain too.
//!
//! Since schema version 32 a thread's title and excerpt (the first post's, repeated for the
//! board page) are sealed the same way, as one value under the thread author's key, in the
//! thread's record and in its line on the board's page alike; the one search keeps no copy of
//! them (it opens the thread for the hits it shows). A title whose author's key is gone reads
//! "(deleted)", as an erased author's deleted thread does.
//!
//! A reader opens through a [`KeyCache`], so a thread page looks up each author's key once. A
//! text whose author's key is gone (a copy of the file read after the erasure) reads empty,
//! like a deleted post: the thread still shows. The integrity check names such posts.

use serde::{Deserialize, Serialize};

use super::super::model::{PostId, Revision, ThreadId};
use super::{PostRecord, ThreadRecord};
use crate::clock::Timestamp;
use crate::error::Result;
use crate::forums::tables::{FORUM_POSTS, FORUM_REVISIONS};
use crate::ids::{AccountId, NOBODY};
use crate::store::{KeyCache, ReadTable, Reader, Sealed, WriteTxn, decode, encode, seal_bytes, sealing_many};

/// What a reader does with a text whose author's key is gone.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shredded {
    /// Reads it empty, as a deleted post's (pages, search, export).
    ReadEmpty,
    /// Refuses it as a storage error naming the post (the integrity check).
    Refuse,
}

/// An earlier version of a post's body as stored: a [`Revision`] (same fields, same order)
/// with its body sealed in a trailing field since version 31.
#[derive(Serialize, Deserialize)]
pub(crate) struct StoredRevision {
    number: u32,
    body: String,
    saved_at: Timestamp,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sealed: Option<Sealed>,
}

/// Where a post's text is sealed (its associated data): it opens for no other post.
fn post_place(id: PostId) -> Vec<u8> {
    [b"forum-post\0".as_slice(), &id.0.to_be_bytes()].concat()
}

/// Where a thread's title and excerpt are sealed.
fn thread_place(id: ThreadId) -> Vec<u8> {
    [b"forum-thread\0".as_slice(), &id.0.to_be_bytes()].concat()
}

/// What a thread's title reads once its author's key is gone (a copy of the file read after
/// the erasure): what the erasure writes in place of a deleted thread's title.
pub(crate) const SHREDDED_TITLE: &str = "(deleted)";

/// `thread` as stored: its title and excerpt sealed under its author's key (as it is for
/// "former member" and on a store without a key store).
pub(crate) fn seal_thread(txn: &WriteTxn, thread: &ThreadRecord) -> Result<ThreadRecord> {
    let mut stored = thread.clone();
    stored.sealed = None;
    if !sealable(thread.author.account, &thread.title) {
        return Ok(stored);
    }
    let text = encode(&(&thread.title, &thread.excerpt))?;
    if let Some(sealed) = seal_bytes(txn, thread.author.account, &thread_place(thread.id), &text)? {
        stored.title.clear();
        stored.excerpt.clear();
        stored.sealed = Some(Sealed::Sealed(sealed));
    }
    Ok(stored)
}

/// A stored thread with its title and excerpt opened.
pub(crate) fn open_thread<R: Reader>(
    keys: &mut KeyCache<'_, R>,
    mut thread: ThreadRecord,
    shredded: Shredded,
) -> Result<ThreadRecord> {
    match thread.sealed.take() {
        None => {}
        Some(Sealed::Plain(title)) => thread.title = title,
        Some(Sealed::Sealed(sealed)) => {
            (thread.title, thread.excerpt) =
                open_thread_text(keys, thread.id, thread.author.account, &sealed, shredded)?;
        }
    }
    Ok(thread)
}

/// The title and excerpt of thread `id` by `author` from their sealed value; a board page's
/// line opens through this. [`SHREDDED_TITLE`] and no excerpt once the author's key is gone
/// (a storage error naming the thread with [`Shredded::Refuse`]).
pub(crate) fn open_thread_text<R: Reader>(
    keys: &mut KeyCache<'_, R>,
    id: ThreadId,
    author: AccountId,
    sealed: &[u8],
    shredded: Shredded,
) -> Result<(String, String)> {
    let what = || format!("the title of thread {id}");
    match keys.open_kept(author, &thread_place(id), sealed, what)? {
        Some(plain) => decode(&plain, what),
        None if shredded == Shredded::Refuse => Err(shredded_error(&what)),
        None => Ok((SHREDDED_TITLE.to_string(), String::new())),
    }
}

/// Where an earlier version of a post's body is sealed.
fn revision_place(post: PostId, number: u32) -> Vec<u8> {
    [b"forum-revision\0".as_slice(), &post.0.to_be_bytes(), &number.to_be_bytes()].concat()
}

/// The stored bytes of `post`: its body and excerpt sealed under its author's key.
pub(crate) fn encode_post(txn: &WriteTxn, post: &PostRecord) -> Result<Vec<u8>> {
    if !sealable(post.author.account, &post.body) {
        return encode(post);
    }
    let text = encode(&(&post.body, &post.excerpt))?;
    let Some(sealed) = seal_bytes(txn, post.author.account, &post_place(post.id), &text)? else {
        return encode(post);
    };
    let mut stored = post.clone();
    stored.body.clear();
    stored.excerpt.clear();
    stored.sealed = Some(Sealed::Sealed(sealed));
    encode(&stored)
}

/// Whether a text of `author` is sealed: not for "former member", not when it is empty.
fn sealable(author: AccountId, text: &str) -> bool {
    author != NOBODY && !text.is_empty()
}

/// A post from its stored bytes, its text opened.
pub(crate) fn decode_post<R: Reader>(
    keys: &mut KeyCache<'_, R>,
    id: u64,
    bytes: &[u8],
    shredded: Shredded,
) -> Result<PostRecord> {
    open_post(keys, stored_post(id, bytes)?, shredded)
}

/// A post from its stored bytes, its text still sealed: a walk reads a run of them first, so
/// that their authors' keys are looked up together ([`KeyCache::look_up`]).
pub(crate) fn stored_post(id: u64, bytes: &[u8]) -> Result<PostRecord> {
    decode(bytes, || format!("post {id}"))
}

/// The people whose keys [`open_post`] needs for `post`.
pub(crate) fn sealed_by(post: &PostRecord) -> Option<AccountId> {
    matches!(post.sealed, Some(Sealed::Sealed(_))).then_some(post.author.account)
}

/// Opens the text of a post from [`stored_post`].
pub(crate) fn open_post<R: Reader>(
    keys: &mut KeyCache<'_, R>,
    mut post: PostRecord,
    shredded: Shredded,
) -> Result<PostRecord> {
    let id = post.id;
    let what = || format!("the text of post {id}");
    let Some(sealed) = post.sealed.take() else { return Ok(post) };
    let plain = match &sealed {
        // Never written: a store without a key store leaves the text in `body`.
        Sealed::Plain(body) => {
            post.body.clone_from(body);
            return Ok(post);
        }
        Sealed::Sealed(bytes) => keys.open_kept(post.author.account, &post_place(post.id), bytes, what)?,
    };
    match plain {
        Some(plain) => (post.body, post.excerpt) = decode(&plain, what)?,
        None if shredded == Shredded::Refuse => return Err(shredded_error(&what)),
        None => {}
    }
    Ok(post)
}

fn shredded_error(what: &impl Fn() -> String) -> crate::error::Error {
    crate::error::Error::storage(format!(
        "{} is sealed under a key the key store does not hold (its author was erased, or the key file beside the \
         database is not its own)",
        what()
    ))
}

/// The stored bytes of an earlier version of the body of `post` by `author`, sealed under
/// the author's key.
pub(crate) fn encode_revision(txn: &WriteTxn, post: PostId, author: AccountId, revision: &Revision) -> Result<Vec<u8>> {
    let mut stored =
        StoredRevision { number: revision.number, body: String::new(), saved_at: revision.saved_at, sealed: None };
    let place = revision_place(post, revision.number);
    let sealed = if sealable(author, &revision.body) {
        seal_bytes(txn, author, &place, revision.body.as_bytes())?
    } else {
        None
    };
    match sealed {
        Some(sealed) => stored.sealed = Some(Sealed::Sealed(sealed)),
        None => stored.body.clone_from(&revision.body),
    }
    encode(&stored)
}

/// An earlier version of `post`'s body from its stored bytes, opened (empty when the author's
/// key is gone).
pub(crate) fn decode_revision<R: Reader>(
    keys: &mut KeyCache<'_, R>,
    post: &PostRecord,
    bytes: &[u8],
) -> Result<Revision> {
    let what = || format!("a revision of post {}", post.id);
    let stored: StoredRevision = decode(bytes, what)?;
    let body = match stored.sealed {
        None => stored.body,
        Some(Sealed::Plain(body)) => body,
        Some(Sealed::Sealed(sealed)) => {
            let place = revision_place(post.id, stored.number);
            match keys.open_kept(post.author.account, &place, &sealed, what)? {
                Some(plain) => String::from_utf8(plain.to_vec())
                    .map_err(|_| crate::error::Error::storage(format!("{} is not UTF-8 text", what())))?,
                None => String::new(),
            }
        }
    };
    Ok(Revision { number: stored.number, body, saved_at: stored.saved_at })
}

/// Threads sealed per batch of the version-32 migration.
const THREAD_BATCH: usize = 5_000;

/// Schema 32: every thread is written again, in batches of [`THREAD_BATCH`], the key file
/// synced once: its title and excerpt sealed under its author's key (a new key for an author
/// without one; "former member" stays plain), its line on its board's page in the new shape
/// (the sealed value at its end: every line is rewritten, since a line of the old shape does
/// not decode) and its search document without its text. How many threads.
pub(crate) fn seal_threads_v32(txn: &WriteTxn) -> Result<u64> {
    sealing_many(txn, || {
        let mut after = 0;
        let mut sealed = 0;
        loop {
            let batch = thread_ids(txn, after, THREAD_BATCH)?;
            let Some(last) = batch.last() else { return Ok(sealed) };
            after = last.0 + 1;
            sealed += batch.len() as u64;
            for id in batch {
                let thread = super::load_thread(txn, id)?;
                super::save_thread(txn, &thread, None)?;
            }
        }
    })
}

/// Up to `limit` thread ids from `from` on.
fn thread_ids(txn: &WriteTxn, from: u64, limit: usize) -> Result<Vec<ThreadId>> {
    let mut found = Vec::new();
    for row in txn.table(crate::forums::tables::FORUM_THREADS)?.range::<u64>(from..)?.take(limit) {
        found.push(ThreadId(row?.0.value()));
    }
    Ok(found)
}

/// Posts sealed per batch of the version-31 migration (bounds what it holds at once).
const SEAL_BATCH: usize = 5_000;

/// Schema 31: every post text and earlier version still plain is sealed under its author's key
/// (a new key for an author without one), in batches of [`SEAL_BATCH`], the key file synced
/// once; how many posts and revisions.
pub(crate) fn seal_texts_v31(txn: &WriteTxn) -> Result<(u64, u64)> {
    sealing_many(txn, || Ok((seal_posts(txn)?, seal_revisions(txn)?)))
}

fn seal_posts(txn: &WriteTxn) -> Result<u64> {
    let mut after = None;
    let mut sealed = 0;
    loop {
        let batch = plain_posts(txn, after, SEAL_BATCH)?;
        let Some(last) = batch.last() else { return Ok(sealed) };
        after = Some((last.thread.0, last.id.0));
        sealed += batch.len() as u64;
        for post in &batch {
            super::save_post(txn, post)?;
        }
    }
}

/// Up to `limit` posts with a plain text that is sealed now, after the key `after`.
fn plain_posts(txn: &WriteTxn, after: Option<(u64, u64)>, limit: usize) -> Result<Vec<PostRecord>> {
    use std::ops::Bound::{Excluded, Unbounded};
    let table = txn.table(FORUM_POSTS)?;
    let range = match after {
        Some(key) => table.range::<(u64, u64)>((Excluded(key), Unbounded))?,
        None => table.range::<(u64, u64)>(..)?,
    };
    let mut found = Vec::new();
    for row in range {
        let (key, bytes) = row?;
        let post: PostRecord = decode(bytes.value(), || format!("post {}", key.value().1))?;
        if post.sealed.is_none() && sealable(post.author.account, &post.body) {
            found.push(post);
            if found.len() == limit {
                break;
            }
        }
    }
    Ok(found)
}

fn seal_revisions(txn: &WriteTxn) -> Result<u64> {
    let mut after = None;
    let mut sealed = 0;
    loop {
        let batch = plain_revisions(txn, after, SEAL_BATCH)?;
        let Some((post, revision)) = batch.last() else { return Ok(sealed) };
        after = Some((post.0, revision.number));
        sealed += batch.len() as u64;
        let mut authors = std::collections::HashMap::new();
        for (post, revision) in &batch {
            let author = match authors.get(post) {
                Some(author) => *author,
                None => {
                    let author = super::load_post(txn, *post)?.author.account;
                    authors.insert(*post, author);
                    author
                }
            };
            txn.open_table(FORUM_REVISIONS)?
                .insert((post.0, revision.number), encode_revision(txn, *post, author, revision)?.as_slice())?;
        }
    }
}

/// Up to `limit` earlier versions still plain, after the key `after`.
fn plain_revisions(txn: &WriteTxn, after: Option<(u64, u32)>, limit: usize) -> Result<Vec<(PostId, Revision)>> {
    use std::ops::Bound::{Excluded, Unbounded};
    let table = txn.table(FORUM_REVISIONS)?;
    let range = match after {
        Some(key) => table.range::<(u64, u32)>((Excluded(key), Unbounded))?,
        None => table.range::<(u64, u32)>(..)?,
    };
    let mut found = Vec::new();
    for row in range {
        let (key, bytes) = row?;
        let stored: StoredRevision = decode(bytes.value(), || format!("revision {:?}", key.value()))?;
        if stored.sealed.is_none() && !stored.body.is_empty() {
            let revision = Revision { number: stored.number, body: stored.body, saved_at: stored.saved_at };
            found.push((PostId(key.value().0), revision));
            if found.len() == limit {
                break;
            }
        }
    }
    Ok(found)
}
