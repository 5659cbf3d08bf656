//! The tables of this domain: the only place they are declared; the domain registers them
//! (see [`super::DOMAIN`]) and only its own modules open them.

use crate::store::{AnyTable, Table};

/// Forum board id → board record (JSON).
pub(crate) const FORUM_BOARDS: Table<u64, &[u8]> = Table::new("forum_boards");
/// Board slug → board id (the uniqueness index).
pub(crate) const FORUM_BOARD_SLUGS: Table<&str, u64> = Table::new("forum_board_slugs");
/// Board id → (visible threads, visible posts).
pub(crate) const FORUM_BOARD_COUNTS: Table<u64, (u64, u64)> = Table::new("forum_board_counts");
/// Thread id → thread record (JSON), in every state.
pub(crate) const FORUM_THREADS: Table<u64, &[u8]> = Table::new("forum_threads");
/// Thread id → (board, last seq, last activity in µs, state, replies): what unread counts and
/// search need without decoding the record, and the thread's counters (see `forums::records`).
pub(crate) const FORUM_THREAD_HEADS: Table<u64, (u64, u32, i64, u8, u32)> = Table::new("forum_thread_heads");
/// (board, 0 if pinned else 1, u64::MAX − last activity in µs, thread) → thread summary
/// (postcard): a board's page in order. Visible threads only.
pub(crate) const FORUM_BOARD_THREADS: Table<(u64, u8, u64, u64), &[u8]> = Table::new("forum_board_threads");
/// Thread id → views.
pub(crate) const FORUM_THREAD_VIEWS: Table<u64, u64> = Table::new("forum_thread_views");
/// (thread, post) → post record (JSON): a thread's posts in the order they were written.
pub(crate) const FORUM_POSTS: Table<(u64, u64), &[u8]> = Table::new("forum_posts");
/// Post id → thread id.
pub(crate) const FORUM_POST_THREADS: Table<u64, u64> = Table::new("forum_post_threads");
/// (post, revision number) → an earlier version of the post's body (JSON).
pub(crate) const FORUM_REVISIONS: Table<(u64, u32), &[u8]> = Table::new("forum_revisions");
/// Post id → (): posts waiting for a moderator, oldest first.
pub(crate) const FORUM_QUEUE: Table<u64, ()> = Table::new("forum_queue");
/// (account, thread) → the highest seq the account has read.
pub(crate) const FORUM_READS: Table<(u64, u64), u32> = Table::new("forum_reads");
/// (account, thread) → the account's read position again: the threads it watches.
pub(crate) const FORUM_WATCHED_THREADS: Table<(u64, u64), u32> = Table::new("forum_watched_threads");
/// (thread, account) → (): who watches a thread.
pub(crate) const FORUM_THREAD_WATCHERS: Table<(u64, u64), ()> = Table::new("forum_thread_watchers");
/// (account, board) → (): the boards an account watches.
pub(crate) const FORUM_WATCHED_BOARDS: Table<(u64, u64), ()> = Table::new("forum_watched_boards");
/// (board, account) → (): who watches a board.
pub(crate) const FORUM_BOARD_WATCHERS: Table<(u64, u64), ()> = Table::new("forum_board_watchers");
/// (account, board) → µs: when the account last marked the board read.
pub(crate) const FORUM_BOARD_MARKS: Table<(u64, u64), i64> = Table::new("forum_board_marks");
/// (term, first post of the block) → a block of postings (see `forums::index`).
pub(crate) const FORUM_TERMS: Table<(&str, u64), &[u8]> = Table::new("forum_terms");
/// Term → number of indexed posts that contain it.
pub(crate) const FORUM_TERM_DOCS: Table<&str, u64> = Table::new("forum_term_docs");
/// Counters of the forum index (`docs`, `terms`: total indexed length, `open_bytes`: the size
/// of its open segments).
pub(crate) const FORUM_INDEX_COUNTERS: Table<&str, u64> = Table::new("forum_index_counters");
/// Segment number → the index changes of one transaction, not merged into `forum_terms` yet
/// (see `text_index`).
pub(crate) const FORUM_TERM_SEGMENTS: Table<u64, &[u8]> = Table::new("forum_term_segments");
/// Statistics period ("2026-03", "2026-Q1") → the random key reader hashes are made with.
pub(crate) const FORUM_STAT_KEYS: Table<&str, &[u8]> = Table::new("forum_stat_keys");
/// (board or 0 for all, month YYYYMM, keyed reader hash) → (): the month's readers.
pub(crate) const FORUM_READERS: Table<(u64, u32, u64), ()> = Table::new("forum_readers");
/// (board or 0 for all, month YYYYMM) → (thread views, unique readers).
pub(crate) const FORUM_MONTHLY: Table<(u64, u32), (u64, u64)> = Table::new("forum_monthly");
/// (board or 0 for all, quarter YYYYQ) → HyperLogLog registers of the quarter's readers.
pub(crate) const FORUM_QUARTER_SKETCHES: Table<(u64, u32), &[u8]> = Table::new("forum_quarter_sketches");

/// Every table of the domain, created when a file is new or older than the domain.
pub(crate) const TABLES: &[&dyn AnyTable] = &[
    &FORUM_BOARDS,
    &FORUM_BOARD_SLUGS,
    &FORUM_BOARD_COUNTS,
    &FORUM_THREADS,
    &FORUM_THREAD_HEADS,
    &FORUM_BOARD_THREADS,
    &FORUM_THREAD_VIEWS,
    &FORUM_POSTS,
    &FORUM_POST_THREADS,
    &FORUM_REVISIONS,
    &FORUM_QUEUE,
    &FORUM_READS,
    &FORUM_WATCHED_THREADS,
    &FORUM_THREAD_WATCHERS,
    &FORUM_WATCHED_BOARDS,
    &FORUM_BOARD_WATCHERS,
    &FORUM_BOARD_MARKS,
    &FORUM_TERMS,
    &FORUM_TERM_DOCS,
    &FORUM_INDEX_COUNTERS,
    &FORUM_TERM_SEGMENTS,
    &FORUM_STAT_KEYS,
    &FORUM_READERS,
    &FORUM_MONTHLY,
    &FORUM_QUARTER_SKETCHES,
];
