//! The forums' part in the one search ([`crate::search`]): a visible thread is indexed by its
//! title and the opening of its first post, in its board's language, whenever its record is
//! written; a hidden or removed thread leaves the index. Whether a reader may see a thread hit
//! is decided when searching, exactly as the forum search decides: the thread visible and its
//! board in the reader's audience. The index holds visible threads only (a thread's state and
//! board are part of its record, and every write of the record indexes it again), and a hit's
//! card carries its board, so a search asks only for each board's audience.

use crate::actor::Subject;
use crate::clock::Timestamp;
use crate::error::Result;
use crate::search::{self, SearchKind};
use crate::store::{KeyCache, ReadTxn, Reader, WriteTxn};

use super::model::{BoardId, ContentState, ThreadId};
use super::reading::may_read;
use super::records::{ThreadRecord, find_head, load_board};

/// Puts `thread` into the search index when it is visible, takes it out otherwise.
pub(crate) fn index_thread(txn: &WriteTxn, thread: &ThreadRecord) -> Result<()> {
    if thread.state != ContentState::Visible {
        return search::index::remove(txn, SearchKind::Thread, thread.id.0);
    }
    let board = load_board(txn, thread.board)?;
    search::index::put(
        txn,
        &search::Entry {
            kind: SearchKind::Thread,
            id: thread.id.0,
            slug: None,
            title: &thread.title,
            summary: "",
            body: &thread.excerpt,
            language: &board.language,
            topics: &[],
            org: None,
            gate: search::Gate::Domain,
            hint: Some(thread.board.0),
            keeps_text: false,
        },
    )
}

/// The title and excerpt a search hit on thread `id` shows, opened with `keys` (the index keeps
/// no copy of them: they are sealed under the author's key in the thread's record).
pub(crate) fn shown(txn: &ReadTxn, keys: &mut KeyCache<'_, ReadTxn>, id: u64) -> Result<(String, String)> {
    let thread = super::records::load_thread_with(keys, txn, ThreadId(id))?;
    Ok((thread.title, thread.excerpt))
}

/// Whether `subject` may see thread `id` as a search hit now; `board` is the board its card
/// names (`None` for a card from before cards had one: then the thread's head is read); `memo`
/// keeps each board's answer (board id, readable).
pub(crate) fn visible(
    txn: &impl Reader,
    subject: &Subject,
    now: Timestamp,
    id: u64,
    board: Option<u64>,
    memo: &mut Vec<(u64, bool)>,
) -> Result<bool> {
    if let Some(board) = board {
        return may_read(txn, subject, BoardId(board), now, memo);
    }
    match find_head(txn, ThreadId(id))? {
        Some(head) if head.state == ContentState::Visible => may_read(txn, subject, head.board, now, memo),
        _ => Ok(false),
    }
}
