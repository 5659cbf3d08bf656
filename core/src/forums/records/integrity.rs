//! The forums' part of [`crate::Platform::integrity`]: every record reads, and what is derived
//! from the records — heads, board pages, board counts, the moderation queue — agrees with them.

use std::collections::BTreeMap;

use crate::store::ReadTable;

use super::{Head, ThreadRecord};
use crate::error::Result;
use crate::forums::model::{BoardId, ContentState};
use crate::forums::tables::{
    FORUM_BOARD_COUNTS, FORUM_BOARD_THREADS, FORUM_POSTS, FORUM_QUEUE, FORUM_THREAD_HEADS, FORUM_THREADS,
};
use crate::search::{self, SearchKind};
use crate::store::{KeyCache, Reader, decode};

/// Checks the forums, noting every disagreement in `problems`; returns the number of posts.
pub(crate) fn check_integrity(txn: &impl Reader, problems: &mut Vec<String>) -> Result<u64> {
    let heads = txn.table(FORUM_THREAD_HEADS)?;
    let lines = txn.table(FORUM_BOARD_THREADS)?;
    let indexed = search::index::indexed(txn, SearchKind::Thread)?;
    let mut counts: BTreeMap<BoardId, (u64, u64)> = BTreeMap::new();
    let mut visible_threads = 0;
    for row in txn.table(FORUM_THREADS)?.iter()? {
        let (id, bytes) = row?;
        let stored: ThreadRecord = match decode(bytes.value(), || format!("thread {}", id.value())) {
            Ok(t) => t,
            Err(e) => {
                problems.push(e.to_string());
                continue;
            }
        };
        let head = heads.get(stored.id.0)?.map(|h| Head::from_row(h.value()));
        let Some(head) = head.filter(|h| (h.board, h.state) == (stored.board, stored.state)) else {
            problems.push(format!("thread {}: its head {head:?} does not match the record", stored.id));
            continue;
        };
        check_indexed(&indexed, &stored, problems)?;
        let thread = ThreadRecord {
            last_seq: head.last_seq,
            reply_count: head.reply_count,
            last_activity: crate::forums::micros(head.last_activity)?,
            ..stored
        };
        if thread.state == ContentState::Visible {
            visible_threads += 1;
            let entry = counts.entry(thread.board).or_default();
            entry.0 += 1;
            entry.1 += 1 + u64::from(thread.reply_count);
            if lines.get(thread.order_key())?.is_none() {
                problems.push(format!("visible thread {} is missing from its board's page", thread.id));
            }
        }
    }
    if lines.len()? != visible_threads {
        problems.push(format!("board pages list {} threads; {visible_threads} are visible", lines.len()?));
    }
    for row in txn.table(FORUM_BOARD_COUNTS)?.iter()? {
        let (board, value) = row?;
        let found = value.value();
        let expected = counts.remove(&BoardId(board.value())).unwrap_or_default();
        if found != expected {
            problems.push(format!(
                "board {} counts {found:?} (threads, posts); the records say {expected:?}",
                board.value()
            ));
        }
    }
    for (board, expected) in counts {
        problems.push(format!("board {board} has no counts; the records say {expected:?}"));
    }
    let queue = txn.table(FORUM_QUEUE)?;
    let mut posts = 0;
    let mut pending = 0;
    let mut keys = KeyCache::new(txn);
    for row in txn.table(FORUM_POSTS)?.iter()? {
        let (key, bytes) = row?;
        posts += 1;
        match super::texts::decode_post(&mut keys, key.value().1, bytes.value(), super::texts::Shredded::Refuse) {
            Err(e) => problems.push(e.to_string()),
            Ok(post) if post.state == ContentState::Pending => {
                pending += 1;
                if queue.get(post.id.0)?.is_none() {
                    problems.push(format!("pending post {} is not in the moderation queue", post.id));
                }
            }
            Ok(_) => {}
        }
    }
    if queue.len()? != pending {
        problems.push(format!("the moderation queue holds {} posts; {pending} are pending", queue.len()?));
    }
    Ok(posts)
}

/// A thread the search shows must be visible, and its card name its board (the search asks
/// only for the board's audience).
fn check_indexed(
    indexed: &search::index::Indexed<'_>,
    thread: &ThreadRecord,
    problems: &mut Vec<String>,
) -> Result<()> {
    let Some(hint) = indexed.hint(thread.id.0)? else { return Ok(()) };
    if thread.state != ContentState::Visible || hint.is_some_and(|board| board != thread.board.0) {
        problems.push(format!(
            "thread {} ({:?} on board {}) is in the search index as on board {hint:?}",
            thread.id, thread.state, thread.board
        ));
    }
    Ok(())
}
