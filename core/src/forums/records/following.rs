//! How following is stored: each account's read position per thread, when it last marked a
//! board read, and the threads and boards it watches (kept from both sides, so that a post
//! finds its watchers and an account its watched list with one range each).

use crate::accounts::AccountId;
use crate::error::Result;
use crate::forums::model::{BoardId, ThreadId};
use crate::forums::tables::{
    FORUM_BOARD_MARKS, FORUM_BOARD_WATCHERS, FORUM_READS, FORUM_THREAD_WATCHERS, FORUM_WATCHED_BOARDS,
    FORUM_WATCHED_THREADS,
};
use crate::store::{Ahead, ReadTable, Reader, TableRef, WriteTxn};

/// One account's read positions, opened once for a page of threads.
pub(crate) struct ReadPositions<'t> {
    table: TableRef<'t, (u64, u64), u32>,
    me: AccountId,
}

impl ReadPositions<'_> {
    /// The highest seq the account has read in `thread`; `None` when it never opened it.
    pub fn of(&self, thread: ThreadId) -> Result<Option<u32>> {
        Ok(self.table.get((self.me.0, thread.0))?.map(|v| v.value()))
    }
}

pub(crate) fn read_positions(txn: &impl Reader, me: AccountId) -> Result<ReadPositions<'_>> {
    Ok(ReadPositions { table: txn.table(FORUM_READS)?, me })
}

/// The account's read position in a thread (0 when never read).
pub(crate) fn read_position(txn: &impl Reader, me: AccountId, thread: ThreadId) -> Result<u32> {
    Ok(txn.table(FORUM_READS)?.get((me.0, thread.0))?.map_or(0, |v| v.value()))
}

/// Moves the account's read position in a thread forward to `seq` (never back), in its
/// watched list too when it watches the thread.
pub(crate) fn advance_read(txn: &WriteTxn, me: AccountId, thread: ThreadId, seq: u32) -> Result<()> {
    let mut reads = txn.open_table(FORUM_READS)?;
    if reads.get((me.0, thread.0))?.is_some_and(|r| r.value() >= seq) {
        return Ok(());
    }
    reads.put((me.0, thread.0), seq)?;
    let mut watched = txn.open_table(FORUM_WATCHED_THREADS)?;
    if watched.get((me.0, thread.0))?.is_some() {
        watched.put((me.0, thread.0), seq)?;
    }
    Ok(())
}

/// When the account last marked the board read (µs), if it ever did.
pub(crate) fn board_mark(txn: &impl Reader, me: AccountId, board: BoardId) -> Result<Option<i64>> {
    Ok(txn.table(FORUM_BOARD_MARKS)?.get((me.0, board.0))?.map(|v| v.value()))
}

pub(crate) fn put_board_mark(txn: &WriteTxn, me: AccountId, board: BoardId, at_us: i64) -> Result<()> {
    txn.open_table(FORUM_BOARD_MARKS)?.put((me.0, board.0), at_us)?;
    Ok(())
}

/// Calls `visit` with every thread the account watches, in thread order, with its read
/// position there.
pub(crate) fn watched_threads(
    txn: &impl Reader,
    me: AccountId,
    mut visit: impl FnMut(ThreadId, u32) -> Result<()>,
) -> Result<()> {
    let watched = txn.table(FORUM_WATCHED_THREADS)?;
    for row in watched.range((me.0, 0)..=(me.0, u64::MAX))? {
        let (key, read) = row?;
        visit(ThreadId(key.value().1), read.value())?;
    }
    Ok(())
}

/// The threads the account watches, in thread order.
pub(crate) fn watched_thread_ids(txn: &impl Reader, me: AccountId) -> Result<Vec<ThreadId>> {
    let table = txn.table(FORUM_WATCHED_THREADS)?;
    let rows = table.range((me.0, 0)..=(me.0, u64::MAX))?;
    rows.map(|r| Ok(ThreadId(r?.0.value().1))).collect()
}

/// The boards the account watches, in board order.
pub(crate) fn watched_board_ids(txn: &impl Reader, me: AccountId) -> Result<Vec<BoardId>> {
    Ok(second_keys(&txn.table(FORUM_WATCHED_BOARDS)?, me.0)?.into_iter().map(BoardId).collect())
}

/// Which boards one account watches, opened once for the list of boards.
pub(crate) struct WatchedBoards<'t>(TableRef<'t, (u64, u64), ()>);

impl WatchedBoards<'_> {
    pub fn has(&self, me: AccountId, board: BoardId) -> Result<bool> {
        Ok(self.0.get((me.0, board.0))?.is_some())
    }
}

pub(crate) fn watched_boards(txn: &impl Reader) -> Result<WatchedBoards<'_>> {
    Ok(WatchedBoards(txn.table(FORUM_WATCHED_BOARDS)?))
}

/// Starts (`on`) or stops the account watching a board.
pub(crate) fn set_board_watch(txn: &WriteTxn, me: AccountId, board: BoardId, on: bool) -> Result<()> {
    if on {
        txn.open_table(FORUM_WATCHED_BOARDS)?.put((me.0, board.0), ())?;
        txn.open_table(FORUM_BOARD_WATCHERS)?.put((board.0, me.0), ())?;
    } else {
        txn.open_table(FORUM_WATCHED_BOARDS)?.delete((me.0, board.0))?;
        txn.open_table(FORUM_BOARD_WATCHERS)?.delete((board.0, me.0))?;
    }
    Ok(())
}

/// Starts the account watching a thread, from its read position there (nothing changes when
/// it already does).
pub(crate) fn watch_thread(txn: &WriteTxn, me: AccountId, thread: ThreadId) -> Result<()> {
    let mut watched = txn.open_table(FORUM_WATCHED_THREADS)?;
    if watched.get((me.0, thread.0))?.is_some() {
        return Ok(());
    }
    let read = read_position(txn, me, thread)?;
    watched.put((me.0, thread.0), read)?;
    txn.open_table(FORUM_THREAD_WATCHERS)?.put((thread.0, me.0), ())?;
    Ok(())
}

pub(crate) fn unwatch_thread(txn: &WriteTxn, me: AccountId, thread: ThreadId) -> Result<()> {
    txn.open_table(FORUM_WATCHED_THREADS)?.delete((me.0, thread.0))?;
    txn.open_table(FORUM_THREAD_WATCHERS)?.delete((thread.0, me.0))?;
    Ok(())
}

/// `ahead` with what a reply by `me` reads of following: whether `me` watches the thread
/// ([`advance_read`]) and the thread's watchers ([`thread_watchers`], the range as it reads it).
pub(crate) fn reply_following_ahead(ahead: Ahead, me: AccountId, thread: ThreadId) -> Ahead {
    ahead
        .row(FORUM_WATCHED_THREADS, (me.0, thread.0))
        .range(FORUM_THREAD_WATCHERS, (thread.0, 0)..=(thread.0, u64::MAX))
}

/// The accounts that watch a thread, in account order.
pub(crate) fn thread_watchers(txn: &impl Reader, thread: ThreadId) -> Result<Vec<AccountId>> {
    Ok(second_keys(&txn.table(FORUM_THREAD_WATCHERS)?, thread.0)?.into_iter().map(AccountId).collect())
}

/// The accounts that watch a board, in account order.
pub(crate) fn board_watchers(txn: &impl Reader, board: BoardId) -> Result<Vec<AccountId>> {
    Ok(second_keys(&txn.table(FORUM_BOARD_WATCHERS)?, board.0)?.into_iter().map(AccountId).collect())
}

/// The second halves of the keys that start with `first`.
fn second_keys(table: &impl ReadTable<(u64, u64), ()>, first: u64) -> Result<Vec<u64>> {
    let rows = table.range((first, 0)..=(first, u64::MAX))?;
    rows.map(|r| Ok(r?.0.value().1)).collect()
}
