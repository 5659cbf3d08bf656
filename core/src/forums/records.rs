//! What the forums store, and the one place that writes it: a thread's record, its head and
//! its line on the board's page always change together in [`save_thread`], so the board page,
//! the unread counts and the search never disagree with the record.
//!
//! Records are stored compactly (see `crate::store::codec`); the board page's line ([`Summary`]) and the head
//! are derived from the record and packed small, because pages read twenty of them at a time.
//! A thread's counters (replies, last seq, last activity) live only in its head: a reply then
//! rewrites a few fixed-size bytes instead of the thread's JSON. Times are stored as integer
//! microseconds, which read several times faster than RFC 3339 text.

pub(crate) mod following;
mod integrity;
pub(crate) mod personal;
pub(crate) mod stats;
pub(crate) mod texts;

pub(crate) use following::*;
pub(crate) use integrity::check_integrity;
pub(crate) use stats::*;

use std::ops::Bound;

use crate::store::{ReadTable, TableRef, WriteTxn};
use serde::{Deserialize, Serialize};

use super::model::{Board, BoardId, ContentState, PostId, Revision, ThreadId};
use crate::accounts::AccountId;
use crate::clock::Timestamp;
use crate::context::PageHint;
use crate::error::{Error, Result};
use crate::forums::tables::{
    FORUM_BOARD_COUNTS, FORUM_BOARD_SLUGS, FORUM_BOARD_THREADS, FORUM_BOARDS, FORUM_POST_THREADS, FORUM_POSTS,
    FORUM_QUEUE, FORUM_REVISIONS, FORUM_THREAD_HEADS, FORUM_THREAD_VIEWS, FORUM_THREADS,
};
use crate::store::{Ahead, KeyCache, Reader, Sealed, compact_records, decode, encode};
use texts::Shredded;

/// The author as stored: always with the account, whatever the viewer will be shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct StoredAuthor {
    pub account: AccountId,
    /// The pseudonym when the post was written (pseudonyms never change).
    pub name: String,
    #[serde(default)]
    pub anonymous: bool,
}

/// A thread as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct ThreadRecord {
    pub id: ThreadId,
    pub board: BoardId,
    pub title: String,
    pub first_post: PostId,
    pub author: StoredAuthor,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub pinned: bool,
    #[serde(default)]
    pub locked: bool,
    pub state: ContentState,
    #[serde(with = "chrono::serde::ts_microseconds")]
    pub created_at: Timestamp,
    #[serde(default)]
    pub excerpt: String,
    /// Why it waits for a moderator, while it does. (Written even when empty since `sealed`
    /// follows it: the compact form is positional.)
    #[serde(default)]
    pub held: Option<String>,
    /// As stored since schema version 32: the title and excerpt sealed under the author's key,
    /// `title` and `excerpt` then empty ([`texts`]). Only this module reads or writes it: a
    /// thread in memory has `None` here and its text in `title` and `excerpt`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed: Option<Sealed>,
    /// Kept in the head (see the module documentation).
    #[serde(skip)]
    pub last_activity: Timestamp,
    /// Kept in the head.
    #[serde(skip)]
    pub reply_count: u32,
    /// Kept in the head.
    #[serde(skip)]
    pub last_seq: u32,
}

/// A post as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct PostRecord {
    pub id: PostId,
    pub thread: ThreadId,
    #[serde(default)]
    pub seq: u32,
    pub author: StoredAuthor,
    pub body: String,
    #[serde(default)]
    pub excerpt: String,
    /// The language the body is analysed in for search: its board's when it was written.
    pub language: String,
    /// (Optional fields before others are written even when empty: the compact form is
    /// positional, see `crate::store::codec`.)
    #[serde(default)]
    pub reply_to: Option<PostId>,
    pub state: ContentState,
    #[serde(default, with = "chrono::serde::ts_microseconds_option")]
    pub deleted_at: Option<Timestamp>,
    #[serde(with = "chrono::serde::ts_microseconds")]
    pub created_at: Timestamp,
    #[serde(default, with = "chrono::serde::ts_microseconds_option")]
    pub edited_at: Option<Timestamp>,
    /// Versions of the body so far, the current one included.
    #[serde(default = "one")]
    pub revisions: u32,
    /// When the current version was first saved: edits within five minutes of it merge into it.
    #[serde(with = "chrono::serde::ts_microseconds")]
    pub revision_since: Timestamp,
    /// Why it waits for a moderator, while it does.
    #[serde(default)]
    pub held: Option<String>,
    /// As stored since schema version 31: the body and excerpt sealed under the author's key,
    /// `body` and `excerpt` then empty ([`texts`]). Only this module reads or writes it: a
    /// post in memory has `None` here and its text in `body` and `excerpt`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sealed: Option<Sealed>,
}

fn one() -> u32 {
    1
}

/// A thread's line on its board's page: everything the page shows, packed (postcard) and
/// borrowed on decoding, so a page of twenty threads allocates little.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Summary<'a> {
    pub id: ThreadId,
    #[serde(borrow)]
    pub title: &'a str,
    pub first_post: PostId,
    pub author: AccountId,
    #[serde(borrow)]
    pub author_name: &'a str,
    pub anonymous: bool,
    #[serde(borrow)]
    pub tags: Vec<&'a str>,
    pub pinned: bool,
    pub locked: bool,
    pub created_at: i64,
    pub last_activity: i64,
    pub reply_count: u32,
    pub last_seq: u32,
    #[serde(borrow)]
    pub excerpt: &'a str,
    /// Since schema version 32: the title and excerpt sealed under the author's key, as in the
    /// thread's record (`title` and `excerpt` then empty); empty when they are stored plain.
    #[serde(borrow)]
    pub sealed: &'a [u8],
}

/// What [`FORUM_THREAD_HEADS`] holds for a thread: where it is, its state and its counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Head {
    pub board: BoardId,
    pub last_seq: u32,
    pub last_activity: i64,
    pub state: ContentState,
    pub reply_count: u32,
}

/// A head as stored.
pub(crate) type HeadRow = (u64, u32, i64, u8, u32);

impl ThreadRecord {
    /// The thread's key on its board's page: pinned first, then the most recently active.
    pub fn order_key(&self) -> (u64, u8, u64, u64) {
        order_key(self.board, self.pinned, self.last_activity.timestamp_micros(), self.id)
    }

    pub fn summary(&self) -> Summary<'_> {
        Summary {
            id: self.id,
            title: &self.title,
            first_post: self.first_post,
            author: self.author.account,
            author_name: &self.author.name,
            anonymous: self.author.anonymous,
            tags: self.tags.iter().map(String::as_str).collect(),
            pinned: self.pinned,
            locked: self.locked,
            created_at: self.created_at.timestamp_micros(),
            last_activity: self.last_activity.timestamp_micros(),
            reply_count: self.reply_count,
            last_seq: self.last_seq,
            excerpt: &self.excerpt,
            sealed: match &self.sealed {
                Some(Sealed::Sealed(bytes)) => bytes,
                _ => &[],
            },
        }
    }

    fn head(&self) -> HeadRow {
        (self.board.0, self.last_seq, self.last_activity.timestamp_micros(), self.state as u8, self.reply_count)
    }

    /// Whether the stored JSON of the two versions is the same: every field but the counters.
    /// (Destructured in full, so a new field cannot be forgotten here.)
    fn same_record(&self, other: &ThreadRecord) -> bool {
        let ThreadRecord {
            id,
            board,
            title,
            first_post,
            author,
            tags,
            pinned,
            locked,
            state,
            created_at,
            excerpt,
            held,
            sealed: _,
            last_activity: _,
            reply_count: _,
            last_seq: _,
        } = self;
        *id == other.id
            && *board == other.board
            && *title == other.title
            && *first_post == other.first_post
            && *author == other.author
            && *tags == other.tags
            && *pinned == other.pinned
            && *locked == other.locked
            && *state == other.state
            && *created_at == other.created_at
            && *excerpt == other.excerpt
            && *held == other.held
    }
}

/// The key of a thread on its board's page.
pub(crate) fn order_key(board: BoardId, pinned: bool, last_activity_us: i64, thread: ThreadId) -> (u64, u8, u64, u64) {
    (board.0, u8::from(!pinned), u64::MAX - last_activity_us.max(0) as u64, thread.0)
}

impl Summary<'_> {
    pub fn encode(&self) -> Result<Vec<u8>> {
        postcard::to_allocvec(self)
            .map_err(|e| Error::Internal { detail: format!("cannot encode a thread summary: {e}") })
    }

    pub fn decode(bytes: &[u8]) -> Result<Summary<'_>> {
        postcard::from_bytes(bytes).map_err(|e| Error::storage(format!("a thread summary does not decode: {e}")))
    }
}

impl Head {
    pub fn from_row((board, last_seq, last_activity, state, reply_count): HeadRow) -> Self {
        Head { board: BoardId(board), last_seq, last_activity, state: state_from(state), reply_count }
    }
}

/// The state stored as its position in [`ContentState`]; an unknown number reads as removed,
/// so a damaged head hides rather than shows.
pub(crate) fn state_from(n: u8) -> ContentState {
    ContentState::ALL.get(usize::from(n)).copied().unwrap_or(ContentState::Removed)
}

pub(crate) fn load_board(txn: &impl Reader, id: BoardId) -> Result<Board> {
    let table = txn.table(FORUM_BOARDS)?;
    let row = table.get(id.0)?.ok_or_else(|| Error::not_found("board", id))?;
    decode(row.value(), || format!("board {id}"))
}

pub(crate) fn board_id_by_slug(txn: &impl Reader, slug: &str) -> Result<BoardId> {
    let key = slug.trim().to_ascii_lowercase();
    let table = txn.table(FORUM_BOARD_SLUGS)?;
    let id = table.get(key.as_str())?.map(|v| BoardId(v.value()));
    id.ok_or_else(|| Error::not_found("board", slug))
}

/// Every board, in list order (position, then id).
pub(crate) fn all_boards(txn: &impl Reader) -> Result<Vec<Board>> {
    let mut boards = Vec::new();
    for row in txn.table(FORUM_BOARDS)?.iter()? {
        let (id, bytes) = row?;
        boards.push(decode::<Board>(bytes.value(), || format!("board {}", id.value()))?);
    }
    boards.sort_by_key(|b| (b.position, b.id));
    Ok(boards)
}

pub(crate) fn save_board(txn: &WriteTxn, board: &Board) -> Result<()> {
    txn.open_table(FORUM_BOARDS)?.put(board.id.0, encode(board)?.as_slice())?;
    Ok(())
}

/// A thread's head, if the thread exists.
pub(crate) fn find_head(txn: &impl Reader, id: ThreadId) -> Result<Option<Head>> {
    Ok(txn.table(FORUM_THREAD_HEADS)?.get(id.0)?.map(|h| Head::from_row(h.value())))
}

/// A thread: its record with the counters of its head.
/// Reads ahead a thread's rows (its record, head and views, and the reader's position in it)
/// and the keys of `people` (one round trip on PostgreSQL): a reply reads them with its
/// writer's key.
pub(crate) fn read_thread_ahead(
    txn: &impl Reader,
    id: ThreadId,
    reader: Option<AccountId>,
    people: impl IntoIterator<Item = AccountId>,
) -> Result<()> {
    txn.read_ahead(&thread_ahead(Ahead::default(), id, reader).keys(people))
}

/// What [`read_thread_ahead`] reads for a writer who is `reader` (the rows and her key), to be
/// read as the write begins ([`crate::context::Context::write_with`]).
pub(crate) fn thread_write_ahead(id: ThreadId, reader: Option<AccountId>) -> Ahead {
    thread_ahead(Ahead::default(), id, reader).keys(reader)
}

/// The rows [`read_thread_ahead`] reads, added to `ahead`.
fn thread_ahead(ahead: Ahead, id: ThreadId, reader: Option<AccountId>) -> Ahead {
    let ahead = ahead.row(FORUM_THREADS, id.0).row(FORUM_THREAD_HEADS, id.0).row(FORUM_THREAD_VIEWS, id.0);
    match reader {
        Some(me) => ahead.row(super::tables::FORUM_READS, (me.0, id.0)),
        None => ahead,
    }
}

/// What a thread's page reads before its board's rows and its authors' keys, to be read as
/// its snapshot begins ([`crate::store::Store::read_with`]): the thread's rows
/// ([`read_thread_ahead`]) and the first posts after `after` ([`thread_posts_with`]); and, with
/// a `hint` of what the last page of it read after those, that board's rows and those people's
/// keys ([`crate::context::ThreadPageHints`]).
pub(crate) fn thread_page_ahead(
    id: ThreadId,
    reader: Option<AccountId>,
    after: Option<PostId>,
    hint: Option<&PageHint>,
) -> Ahead {
    let ahead = thread_ahead(Ahead::default(), id, reader).range(FORUM_POSTS, posts_after(id, after));
    match hint {
        Some(hint) => board_ahead(ahead, hint.board, reader).keys(hint.people.iter().copied()),
        None => ahead,
    }
}

/// Reads ahead what [`thread_page_ahead`] names (one round trip on PostgreSQL; none when the
/// snapshot began with it).
pub(crate) fn read_thread_page_ahead(
    txn: &impl Reader,
    id: ThreadId,
    reader: Option<AccountId>,
    after: Option<PostId>,
) -> Result<()> {
    txn.read_ahead(&thread_page_ahead(id, reader, after, None))
}

/// Bounds of a range of posts' keys (thread, post).
type PostBounds = (Bound<(u64, u64)>, Bound<(u64, u64)>);

/// The keys of a thread's posts after `after` (all of them: `None`).
fn posts_after(thread: ThreadId, after: Option<PostId>) -> PostBounds {
    let start = after.map_or(Bound::Included((thread.0, 0)), |p| Bound::Excluded((thread.0, p.0)));
    (start, Bound::Included((thread.0, u64::MAX)))
}

/// Reads ahead a board and when the reader last marked it read (one round trip on PostgreSQL).
pub(crate) fn read_board_ahead(txn: &impl Reader, board: BoardId, reader: Option<AccountId>) -> Result<()> {
    txn.read_ahead(&board_ahead(Ahead::default(), board, reader))
}

/// Reads ahead what [`read_board_ahead`] reads, the keys of `people` and the rows of `also`
/// together (one round trip on PostgreSQL): a thread page's board and the authors of its first
/// posts; a reply's board, its thread's author and what the reply reads of other domains.
pub(crate) fn read_board_and_keys_ahead(
    txn: &impl Reader,
    board: BoardId,
    reader: Option<AccountId>,
    people: impl IntoIterator<Item = AccountId>,
    also: Ahead,
) -> Result<()> {
    txn.read_ahead(&board_ahead(also, board, reader).keys(people))
}

/// The rows [`read_board_ahead`] reads, added to `ahead`.
fn board_ahead(ahead: Ahead, board: BoardId, reader: Option<AccountId>) -> Ahead {
    let ahead = ahead.row(FORUM_BOARDS, board.0);
    match reader {
        Some(me) => ahead.row(super::tables::FORUM_BOARD_MARKS, (me.0, board.0)),
        None => ahead,
    }
}

/// A thread: its record, title and excerpt opened, with the counters of its head.
pub(crate) fn load_thread(txn: &impl Reader, id: ThreadId) -> Result<ThreadRecord> {
    load_thread_with(&mut KeyCache::new(txn), txn, id)
}

/// [`load_thread`], its text opened with `keys` (a page that opens posts of its author too).
pub(crate) fn load_thread_with<R: Reader>(keys: &mut KeyCache<'_, R>, txn: &R, id: ThreadId) -> Result<ThreadRecord> {
    open_thread_with(keys, load_thread_unopened(txn, id)?)
}

/// Opens the title and excerpt of a thread from [`load_thread_unopened`] with `keys`.
pub(crate) fn open_thread_with<R: Reader>(keys: &mut KeyCache<'_, R>, thread: ThreadRecord) -> Result<ThreadRecord> {
    texts::open_thread(keys, thread, Shredded::ReadEmpty)
}

/// A thread with the counters of its head, its title and excerpt still sealed: a thread page
/// opens them once its first posts are read, so that its author's key is looked up with
/// theirs.
pub(crate) fn load_thread_unopened(txn: &impl Reader, id: ThreadId) -> Result<ThreadRecord> {
    let mut thread = load_thread_sealed(txn, id)?;
    let heads = txn.table(FORUM_THREAD_HEADS)?;
    let head = heads.get(id.0)?.map(|h| Head::from_row(h.value()));
    let head = head.ok_or_else(|| Error::storage(format!("thread {id} has no head")))?;
    thread.last_seq = head.last_seq;
    thread.reply_count = head.reply_count;
    thread.last_activity = super::micros(head.last_activity)?;
    Ok(thread)
}

/// The title of thread `id` as its page shows it, opened with `keys` and nothing else read (no
/// head, no counters): `None` when the thread is gone; [`texts::SHREDDED_TITLE`] when its
/// author's key is.
pub(crate) fn thread_title<R: Reader>(keys: &mut KeyCache<'_, R>, id: ThreadId) -> Result<Option<String>> {
    let thread = match load_thread_sealed(keys.txn(), id) {
        Ok(thread) => thread,
        Err(Error::NotFound { .. }) => return Ok(None),
        Err(e) => return Err(e),
    };
    Ok(Some(texts::open_thread(keys, thread, Shredded::ReadEmpty)?.title))
}

/// A thread's record as stored: its text still sealed, without its head's counters.
fn load_thread_sealed(txn: &impl Reader, id: ThreadId) -> Result<ThreadRecord> {
    let table = txn.table(FORUM_THREADS)?;
    let row = table.get(id.0)?.ok_or_else(|| Error::not_found("thread", id))?;
    decode(row.value(), || format!("thread {id}"))
}

/// The author of a thread, read without opening its text (moderation seals under it).
pub(crate) fn thread_author(txn: &impl Reader, id: ThreadId) -> Result<AccountId> {
    Ok(load_thread_sealed(txn, id)?.author.account)
}

/// The author of a post, read without opening its text.
pub(crate) fn post_author(txn: &impl Reader, id: PostId) -> Result<AccountId> {
    let thread = thread_of(txn, id)?;
    let table = txn.table(FORUM_POSTS)?;
    let row = table.get((thread.0, id.0))?.ok_or_else(|| Error::not_found("post", id))?;
    Ok(decode::<PostRecord>(row.value(), || format!("post {id}"))?.author.account)
}

/// Stores a thread with its head and its line on the board's page. `before` is the thread as
/// it was stored (absent for a new thread), so its old line can be taken off the page.
/// The title and excerpt are sealed under the author's key ([`texts`]) in the record and the
/// line alike; a write that changes only the counters keeps the sealed value as stored.
pub(crate) fn save_thread(txn: &WriteTxn, thread: &ThreadRecord, before: Option<&ThreadRecord>) -> Result<()> {
    let stored = if before.is_none_or(|b| !b.same_record(thread)) {
        let stored = texts::seal_thread(txn, thread)?;
        txn.open_table(FORUM_THREADS)?.put(thread.id.0, encode(&stored)?.as_slice())?;
        super::finding::index_thread(txn, thread)?;
        stored
    } else {
        ThreadRecord {
            last_activity: thread.last_activity,
            reply_count: thread.reply_count,
            last_seq: thread.last_seq,
            ..load_thread_sealed(txn, thread.id)?
        }
    };
    txn.open_table(FORUM_THREAD_HEADS)?.put(thread.id.0, thread.head())?;
    let mut page = txn.open_table(FORUM_BOARD_THREADS)?;
    if let Some(before) = before.filter(|b| b.state == ContentState::Visible) {
        page.delete(before.order_key())?;
    }
    if thread.state == ContentState::Visible {
        page.put(thread.order_key(), stored.summary().encode()?.as_slice())?;
    }
    Ok(())
}

/// The thread a post belongs to.
pub(crate) fn thread_of(txn: &impl Reader, post: PostId) -> Result<ThreadId> {
    let table = txn.table(FORUM_POST_THREADS)?;
    let thread = table.get(post.0)?.map(|v| ThreadId(v.value()));
    thread.ok_or_else(|| Error::not_found("post", post))
}

pub(crate) fn load_post(txn: &impl Reader, id: PostId) -> Result<PostRecord> {
    let thread = thread_of(txn, id)?;
    load_post_in(txn, thread, id)
}

/// [`load_post`], its text opened with `keys`.
pub(crate) fn load_post_with<R: Reader>(keys: &mut KeyCache<'_, R>, txn: &R, id: PostId) -> Result<PostRecord> {
    let thread = thread_of(txn, id)?;
    let table = txn.table(FORUM_POSTS)?;
    let row = table.get((thread.0, id.0))?.ok_or_else(|| Error::not_found("post", id))?;
    texts::decode_post(keys, id.0, row.value(), Shredded::ReadEmpty)
}

pub(crate) fn load_post_in(txn: &impl Reader, thread: ThreadId, id: PostId) -> Result<PostRecord> {
    let table = txn.table(FORUM_POSTS)?;
    let row = table.get((thread.0, id.0))?.ok_or_else(|| Error::not_found("post", id))?;
    texts::decode_post(&mut KeyCache::new(txn), id.0, row.value(), Shredded::ReadEmpty)
}

/// Writes a post, new or changed, its text sealed under its author's key ([`texts`]).
pub(crate) fn save_post(txn: &WriteTxn, post: &PostRecord) -> Result<()> {
    // `put`, not `insert`: what it replaces is not needed, and on PostgreSQL asking for it
    // cost a new post's reply a round trip.
    txn.open_table(FORUM_POSTS)?.put((post.thread.0, post.id.0), texts::encode_post(txn, post)?.as_slice())
}

/// The board that has `slug` (as stored: trimmed, lower case), if one has.
pub(crate) fn board_with_slug(txn: &impl Reader, slug: &str) -> Result<Option<BoardId>> {
    Ok(txn.table(FORUM_BOARD_SLUGS)?.get(slug)?.map(|v| BoardId(v.value())))
}

/// Claims `slug` for `board` (the uniqueness index).
pub(crate) fn put_board_slug(txn: &WriteTxn, slug: &str, board: BoardId) -> Result<()> {
    txn.open_table(FORUM_BOARD_SLUGS)?.put(slug, board.0)?;
    Ok(())
}

/// The boards' visible threads and posts, opened once for a list of boards.
pub(crate) struct BoardCounts<'t>(TableRef<'t, u64, (u64, u64)>);

impl BoardCounts<'_> {
    /// A board's (visible threads, visible posts).
    pub fn of(&self, board: BoardId) -> Result<(u64, u64)> {
        Ok(self.0.get(board.0)?.map_or((0, 0), |v| v.value()))
    }
}

/// `ahead` with a board's counts row ([`add_board_counts`] reads it).
pub(crate) fn board_counts_ahead(ahead: Ahead, board: BoardId) -> Ahead {
    ahead.row(FORUM_BOARD_COUNTS, board.0)
}

pub(crate) fn board_counts(txn: &impl Reader) -> Result<BoardCounts<'_>> {
    Ok(BoardCounts(txn.table(FORUM_BOARD_COUNTS)?))
}

/// Changes boards' visible threads and posts by the given amounts.
pub(crate) fn add_board_counts(txn: &WriteTxn, changes: impl IntoIterator<Item = (BoardId, (i64, i64))>) -> Result<()> {
    let mut counts = txn.open_table(FORUM_BOARD_COUNTS)?;
    for (board, (threads, posts)) in changes {
        let (t, p) = counts.get(board.0)?.map_or((0, 0), |v| v.value());
        counts.put(board.0, (t.saturating_add_signed(threads), p.saturating_add_signed(posts)))?;
    }
    Ok(())
}

/// Where a line sits on its board's page: (0 if pinned else 1, u64::MAX − last activity in
/// µs, thread), the page's cursor.
pub(crate) type LineKey = (u8, u64, u64);

/// A line of a board's page as it is walked: its key at once, its summary when asked for
/// (a walk that stops at a line does not decode it).
pub(crate) struct Line<'a> {
    pub key: LineKey,
    bytes: &'a [u8],
}

/// The title and excerpt a board page's line shows, opened with `keys` (one key lookup per
/// author on the page, one opening per line shown).
pub(crate) fn line_text<R: Reader>(keys: &mut KeyCache<'_, R>, line: &Summary<'_>) -> Result<(String, String)> {
    if line.sealed.is_empty() {
        return Ok((line.title.to_string(), line.excerpt.to_string()));
    }
    texts::open_thread_text(keys, line.id, line.author, line.sealed, Shredded::ReadEmpty)
}

impl<'a> Line<'a> {
    pub fn summary(&self) -> Result<Summary<'a>> {
        Summary::decode(self.bytes)
    }
}

/// Walks a board's page in order from just after `after` (from the top without), calling
/// `visit` with each line until it returns false.
pub(crate) fn board_lines(
    txn: &impl Reader,
    board: BoardId,
    after: Option<LineKey>,
    mut visit: impl FnMut(&Line<'_>) -> Result<bool>,
) -> Result<()> {
    let start = match after {
        Some((rank, inverted, thread)) => Bound::Excluded((board.0, rank, inverted, thread)),
        None => Bound::Included((board.0, 0, 0, 0)),
    };
    let end = Bound::Included((board.0, u8::MAX, u64::MAX, u64::MAX));
    let lines = txn.table(FORUM_BOARD_THREADS)?;
    for row in lines.range::<(u64, u8, u64, u64)>((start, end))? {
        let (key, bytes) = row?;
        let (_, rank, inverted, thread) = key.value();
        if !visit(&Line { key: (rank, inverted, thread), bytes: bytes.value() })? {
            break;
        }
    }
    Ok(())
}

/// Threads' heads, opened once for a list of threads.
pub(crate) struct Heads<'t>(TableRef<'t, u64, HeadRow>);

impl Heads<'_> {
    /// A thread's head, if the thread exists.
    pub fn of(&self, thread: ThreadId) -> Result<Option<Head>> {
        Ok(self.0.get(thread.0)?.map(|h| Head::from_row(h.value())))
    }
}

pub(crate) fn heads(txn: &impl Reader) -> Result<Heads<'_>> {
    Ok(Heads(txn.table(FORUM_THREAD_HEADS)?))
}

/// Threads' view counts, opened once for a page of threads.
pub(crate) struct ThreadViews<'t>(TableRef<'t, u64, u64>);

impl ThreadViews<'_> {
    pub fn of(&self, thread: ThreadId) -> Result<u64> {
        Ok(self.0.get(thread.0)?.map_or(0, |v| v.value()))
    }
}

pub(crate) fn thread_views(txn: &impl Reader) -> Result<ThreadViews<'_>> {
    Ok(ThreadViews(txn.table(FORUM_THREAD_VIEWS)?))
}

/// Counts one more view of a thread.
pub(crate) fn add_thread_view(txn: &WriteTxn, thread: ThreadId) -> Result<()> {
    let mut views = txn.open_table(FORUM_THREAD_VIEWS)?;
    let n = views.get(thread.0)?.map_or(0, |v| v.value());
    views.put(thread.0, n + 1)?;
    Ok(())
}

/// Walks a thread's posts in the order they were written from just after `after` (from the
/// first without), calling `visit` with each until it returns false. The posts are read in
/// runs of [`WALK_RUN`], and the keys of each run's authors looked up together before their
/// texts are opened: on PostgreSQL one query for a page by five authors, not five. The keys
/// are `keys` (a thread page opened the thread's title with them: its author's key is not
/// looked up twice).
///
/// `first` is called with the authors of the first run (read, none opened yet) before
/// anything is opened or visited, and its error ends the walk: a thread page reads its
/// board's rows with those authors' keys there (one round trip on PostgreSQL), and checks
/// that the viewer may read the thread before any post opens.
pub(crate) fn thread_posts_with<R: Reader>(
    keys: &mut KeyCache<'_, R>,
    txn: &R,
    thread: ThreadId,
    after: Option<PostId>,
    first: impl FnOnce(&[AccountId]) -> Result<()>,
    mut visit: impl FnMut(PostRecord) -> Result<bool>,
) -> Result<()> {
    let table = txn.table(FORUM_POSTS)?;
    let mut rows = table.range::<(u64, u64)>(posts_after(thread, after))?;
    let mut run = Vec::with_capacity(WALK_RUN);
    let mut first = Some(first);
    loop {
        for row in rows.by_ref().take(WALK_RUN) {
            let (key, bytes) = row?;
            run.push(texts::stored_post(key.value().1, bytes.value())?);
        }
        if let Some(first) = first.take() {
            first(&run.iter().filter_map(texts::sealed_by).collect::<Vec<_>>())?;
        }
        if run.is_empty() {
            return Ok(());
        }
        keys.look_up(run.iter().filter_map(texts::sealed_by))?;
        for post in run.drain(..) {
            if !visit(texts::open_post(keys, post, Shredded::ReadEmpty)?)? {
                return Ok(());
            }
        }
    }
}

/// Posts a walk reads before opening them: a page of twenty and the one that says whether
/// there is a next, with room for a few hidden ones.
const WALK_RUN: usize = 24;

/// The thread a post belongs to, if the post exists.
pub(crate) fn post_thread(txn: &impl Reader, post: PostId) -> Result<Option<ThreadId>> {
    Ok(txn.table(FORUM_POST_THREADS)?.get(post.0)?.map(|v| ThreadId(v.value())))
}

/// Files a new post under its thread.
pub(crate) fn put_post_thread(txn: &WriteTxn, post: PostId, thread: ThreadId) -> Result<()> {
    txn.open_table(FORUM_POST_THREADS)?.put(post.0, thread.0)?;
    Ok(())
}

/// Puts a post in the moderators' queue (`true`) or takes it out.
pub(crate) fn set_queued(txn: &WriteTxn, post: PostId, queued: bool) -> Result<()> {
    let mut queue = txn.open_table(FORUM_QUEUE)?;
    if queued {
        queue.put(post.0, ())?;
    } else {
        queue.delete(post.0)?;
    }
    Ok(())
}

/// Up to `limit` posts of the moderators' queue from `start` on, oldest first.
pub(crate) fn queued_posts(txn: &impl Reader, start: PostId, limit: usize) -> Result<Vec<PostId>> {
    let queue = txn.table(FORUM_QUEUE)?;
    queue.range(start.0..)?.take(limit).map(|row| Ok(PostId(row?.0.value()))).collect()
}

/// The earlier versions of a post's body, oldest first, opened with `keys`.
pub(crate) fn revisions_with<R: Reader>(
    keys: &mut KeyCache<'_, R>,
    txn: &R,
    post: &PostRecord,
) -> Result<Vec<Revision>> {
    let mut versions = Vec::new();
    for row in txn.table(FORUM_REVISIONS)?.range((post.id.0, 0)..=(post.id.0, u32::MAX))? {
        versions.push(texts::decode_revision(keys, post, row?.1.value())?);
    }
    Ok(versions)
}

/// The earlier versions of a post's body, oldest first.
pub(crate) fn revisions<R: Reader>(txn: &R, post: &PostRecord) -> Result<Vec<Revision>> {
    revisions_with(&mut KeyCache::new(txn), txn, post)
}

/// One earlier version of a post's body, if it is kept.
pub(crate) fn revision(txn: &impl Reader, post: &PostRecord, number: u32) -> Result<Option<Revision>> {
    let table = txn.table(FORUM_REVISIONS)?;
    let Some(bytes) = table.get((post.id.0, number))? else { return Ok(None) };
    texts::decode_revision(&mut KeyCache::new(txn), post, bytes.value()).map(Some)
}

/// Keeps an earlier version of a post's body, sealed under its author's key.
pub(crate) fn put_revision(txn: &WriteTxn, post: &PostRecord, revision: &Revision) -> Result<()> {
    let bytes = texts::encode_revision(txn, post.id, post.author.account, revision)?;
    txn.open_table(FORUM_REVISIONS)?.insert((post.id.0, revision.number), bytes.as_slice())?;
    Ok(())
}

/// Deletes every earlier version of a post's body (its author deleted the post).
pub(crate) fn drop_revisions(txn: &WriteTxn, post: PostId) -> Result<()> {
    let mut table = txn.open_table(FORUM_REVISIONS)?;
    let numbers: Vec<u32> = table
        .range((post.0, 0)..=(post.0, u32::MAX))?
        .map(|row| row.map(|(k, _)| k.value().1))
        .collect::<std::result::Result<_, _>>()?;
    for number in numbers {
        table.delete((post.0, number))?;
    }
    Ok(())
}

/// A board's (or all boards', board 0) views and readers per month from `first` to `last`
/// (YYYYMM), for the reports.
pub(crate) fn monthly_totals(txn: &impl Reader, board: BoardId, first: u32, last: u32) -> Result<Vec<(u32, u64, u64)>> {
    let mut out = Vec::new();
    for row in txn.table(crate::forums::tables::FORUM_MONTHLY)?.range((board.0, first)..=(board.0, last))? {
        let (key, value) = row?;
        let (views, readers) = value.value();
        out.push((key.value().1, views, readers));
    }
    Ok(out)
}

/// A board's (or all boards', board 0) reader sketches of the quarters from `first` to
/// `last` (YYYY × 10 + 1..=4).
pub(crate) fn quarter_sketches(
    txn: &impl Reader,
    board: BoardId,
    first: u32,
    last: u32,
) -> Result<Vec<(u32, Vec<u8>)>> {
    let mut out = Vec::new();
    for row in txn.table(crate::forums::tables::FORUM_QUARTER_SKETCHES)?.range((board.0, first)..=(board.0, last))? {
        let (key, sketch) = row?;
        out.push((key.value().1, sketch.value().to_vec()));
    }
    Ok(out)
}

/// Version 12: boards, threads, posts and revisions in the compact record form.
pub(crate) fn compact_records_v12(txn: &WriteTxn) -> Result<()> {
    compact_records::<u64, Board>(txn, FORUM_BOARDS, "board")?;
    compact_records::<u64, ThreadRecord>(txn, FORUM_THREADS, "thread")?;
    compact_records::<(u64, u64), PostRecord>(txn, FORUM_POSTS, "post")?;
    compact_records::<(u64, u32), texts::StoredRevision>(txn, FORUM_REVISIONS, "revision")?;
    Ok(())
}

/// Version 29: each visible thread in the one search gets its board on its search card (as
/// [`crate::forums::finding::index_thread`] gives it now), so that an upgraded file's search
/// judges threads by their boards' audiences without reading their records. A thread that is
/// not visible is left as the index has it (its card then reads the record, as before).
pub(crate) fn hint_search_cards_v29(txn: &WriteTxn) -> Result<()> {
    let mut visible = Vec::new();
    for row in txn.table(FORUM_THREADS)?.iter()? {
        let (id, bytes) = row?;
        let thread: ThreadRecord = decode(bytes.value(), || format!("thread {}", id.value()))?;
        if thread.state == ContentState::Visible {
            visible.push((thread.id, thread.board));
        }
    }
    for (thread, board) in visible {
        crate::search::index::give_hint(txn, crate::search::SearchKind::Thread, thread.0, board.0)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinned_threads_and_recent_activity_sort_first() {
        let pinned_old = order_key(BoardId(1), true, 1_000, ThreadId(9));
        let recent = order_key(BoardId(1), false, 5_000, ThreadId(3));
        let old = order_key(BoardId(1), false, 2_000, ThreadId(4));
        let mut keys = vec![old, recent, pinned_old];
        keys.sort();
        assert_eq!(keys, vec![pinned_old, recent, old]);
    }

    #[test]
    fn unknown_states_read_as_removed() {
        assert_eq!(state_from(0), ContentState::Visible);
        assert_eq!(state_from(200), ContentState::Removed);
    }
}
