//! Read positions and unread counts.
//!
//! Each visible post gets the next number of its thread ("seq") when it first becomes
//! visible; a member's read position in a thread is the highest seq they have read, so the
//! unread count is one subtraction: `last_seq − read`. Threads never opened count as
//! entirely unread when they were active after the member last marked the board read (by
//! default: when the account was created), and as read otherwise — so a new member is not
//! greeted by ten thousand unread threads.
//!
//! A post hidden after it was counted stays counted until the thread is read; that is the
//! price of not scanning threads to count.

use crate::store::WriteTxn;

use super::boards;
use super::model::{BoardId, PostId, ThreadId, ThreadPage, ThreadUnread};
use super::records::{self, ReadPositions, load_board, load_post_in};
use super::threads::{readable_thread, thread_page};
use super::{Forums, Viewer, stats};
use crate::accounts::AccountId;
use crate::actor::{Actor, Subject};
use crate::error::{Error, Result};
use crate::page::PageRequest;
use crate::policy::{self, Action};
use crate::store::Reader;

/// A board's unread threads are counted up to this many.
const MAX_COUNTED: u32 = 1_000;

impl Forums<'_> {
    /// Reads a page of a thread as a person does: returns the page, counts the view in the
    /// statistics and, for an account, moves its read position to the last post shown.
    ///
    /// `visitor` is an opaque token the host keeps for a visitor who is not signed in (a
    /// cookie's value), so that they count once among the month's unique readers; it is only
    /// ever stored as a hash under a key that changes every month.
    pub fn read_thread(
        &self,
        actor: &Actor,
        id: ThreadId,
        page: &PageRequest,
        visitor: Option<&str>,
    ) -> Result<ThreadPage> {
        self.ctx.write(actor, |txn, subject, now| {
            let viewer = Viewer::new(subject, now);
            let mut shown = thread_page(txn, &viewer, id, page)?;
            stats::record_view(txn, subject, shown.thread.board, id, visitor, now)?;
            shown.thread.views += 1;
            if let Some(me) = viewer.account {
                let read = shown.posts.iter().map(|p| p.seq).max().unwrap_or(0);
                set_read(txn, me, id, read)?;
                let counter = UnreadCounter::new(txn, &viewer, shown.thread.board)?;
                let last_activity = shown.thread.last_activity.timestamp_micros();
                shown.thread.unread = counter.count(id, shown.thread.last_seq, last_activity)?;
            }
            Ok(shown)
        })
    }

    /// Marks a thread read up to `up_to` (a post of the thread), or entirely. The read position
    /// never moves back. Returns what is still unread.
    pub fn mark_read(&self, actor: &Actor, thread: ThreadId, up_to: Option<PostId>) -> Result<ThreadUnread> {
        self.ctx.write(actor, |txn, subject, now| {
            let me = follower(subject, now)?;
            let viewer = Viewer::new(subject, now);
            let (_, record) = readable_thread(txn, &viewer, thread)?;
            let seq = match up_to {
                None => record.last_seq,
                Some(post) => {
                    let post = load_post_in(txn, thread, post).map_err(|_| {
                        Error::invalid("up_to", format!("post {post} is not a post of thread {thread}"))
                    })?;
                    post.seq
                }
            };
            set_read(txn, me, thread, seq)?;
            let counter = UnreadCounter::new(txn, &viewer, record.board)?;
            let unread = counter.count(thread, record.last_seq, record.last_activity.timestamp_micros())?;
            Ok(ThreadUnread {
                thread,
                board: record.board,
                unread: unread.unwrap_or(0),
                last_activity: record.last_activity,
            })
        })
    }

    /// Marks everything in a board read: every thread active since the last time moves its
    /// read position to its end, and threads never opened count as read until they are active
    /// again. Returns how many threads were marked.
    pub fn mark_board_read(&self, actor: &Actor, board: BoardId) -> Result<u32> {
        self.ctx.write(actor, |txn, subject, now| {
            let me = follower(subject, now)?;
            let viewer = Viewer::new(subject, now);
            let board = boards::readable(txn, &viewer, board)?;
            let mark = board_mark(txn, subject, me, board.id)?;
            let mut active: Vec<(ThreadId, u32)> = Vec::new();
            records::board_lines(txn, board.id, None, |line| {
                let (rank, inverted, _) = line.key;
                if rank > 0 && activity(inverted) <= mark {
                    return Ok(false);
                }
                let line = line.summary()?;
                active.push((line.id, line.last_seq));
                Ok(true)
            })?;
            for (thread, last_seq) in &active {
                set_read(txn, me, *thread, *last_seq)?;
            }
            records::put_board_mark(txn, me, board.id, now.timestamp_micros())?;
            Ok(u32::try_from(active.len()).unwrap_or(u32::MAX))
        })
    }

    /// Unread posts in every thread the account watches (visible threads it may still read),
    /// in thread order.
    pub fn unread(&self, actor: &Actor) -> Result<Vec<ThreadUnread>> {
        self.ctx.read(actor, |txn, subject, now| {
            let me = follower(subject, now)?;
            let heads = records::heads(txn)?;
            let mut readable: Vec<(u64, bool)> = Vec::new();
            let mut out = Vec::new();
            records::watched_threads(txn, me, |thread, read| {
                let Some(head) = heads.of(thread)? else { return Ok(()) };
                if head.state != super::ContentState::Visible
                    || !may_read(txn, subject, head.board, now, &mut readable)?
                {
                    return Ok(());
                }
                out.push(ThreadUnread {
                    thread,
                    board: head.board,
                    unread: head.last_seq.saturating_sub(read),
                    last_activity: super::micros(head.last_activity)?,
                });
                Ok(())
            })?;
            Ok(out)
        })
    }
}

/// Counts one viewer's unread posts in the threads of one board.
pub(crate) struct UnreadCounter<'t> {
    reads: Option<ReadPositions<'t>>,
    /// When the viewer last marked the board read, µs.
    mark: i64,
}

impl<'t> UnreadCounter<'t> {
    /// The counter for the viewer (counting nothing for a visitor who is not signed in).
    pub fn new(txn: &'t impl Reader, viewer: &Viewer<'_>, board: BoardId) -> Result<Self> {
        Self::of(txn, viewer.subject, viewer.account, board)
    }

    fn of(txn: &'t impl Reader, subject: &Subject, account: Option<AccountId>, board: BoardId) -> Result<Self> {
        let Some(me) = account else {
            return Ok(UnreadCounter { reads: None, mark: 0 });
        };
        let mark = board_mark(txn, subject, me, board)?;
        Ok(UnreadCounter { reads: Some(records::read_positions(txn, me)?), mark })
    }

    /// Unread posts of a thread for the viewer; `None` for a viewer who is not signed in.
    pub fn count(&self, thread: ThreadId, last_seq: u32, last_activity: i64) -> Result<Option<u32>> {
        let Some(reads) = &self.reads else { return Ok(None) };
        Ok(Some(match reads.of(thread)? {
            Some(read) => last_seq.saturating_sub(read),
            None if last_activity > self.mark => last_seq,
            None => 0,
        }))
    }
}

/// How many threads of a board have posts the account has not read (at most 1,000).
pub(crate) fn unread_threads_in(txn: &impl Reader, subject: &Subject, me: AccountId, board: BoardId) -> Result<u32> {
    let counter = UnreadCounter::of(txn, subject, Some(me), board)?;
    let mut unread = 0;
    records::board_lines(txn, board, None, |line| {
        let (rank, inverted, _) = line.key;
        if (rank > 0 && activity(inverted) <= counter.mark) || unread >= MAX_COUNTED {
            return Ok(false);
        }
        let line = line.summary()?;
        if counter.count(line.id, line.last_seq, line.last_activity)?.unwrap_or(0) > 0 {
            unread += 1;
        }
        Ok(true)
    })?;
    Ok(unread)
}

/// Moves the account's read position in a thread forward to `seq` (never back).
pub(crate) fn set_read(txn: &WriteTxn, me: AccountId, thread: ThreadId, seq: u32) -> Result<()> {
    if seq == 0 {
        return Ok(());
    }
    records::advance_read(txn, me, thread, seq)
}

/// When the account last marked the board read (µs); its creation when it never did.
fn board_mark(txn: &impl Reader, subject: &Subject, me: AccountId, board: BoardId) -> Result<i64> {
    let marked = records::board_mark(txn, me, board)?;
    Ok(marked.unwrap_or_else(|| subject.account().map_or(0, |a| a.created_at.timestamp_micros())))
}

fn activity(inverted: u64) -> i64 {
    i64::try_from(u64::MAX - inverted).unwrap_or(i64::MAX)
}

/// Whether the subject may read `board`, remembering the answer per board in `known` (board
/// number, readable: the one search keeps such a memo for every kind of hit).
pub(crate) fn may_read(
    txn: &impl Reader,
    subject: &Subject,
    board: BoardId,
    now: crate::clock::Timestamp,
    known: &mut Vec<(u64, bool)>,
) -> Result<bool> {
    if let Some((_, ok)) = known.iter().find(|(b, _)| *b == board.0) {
        return Ok(*ok);
    }
    let ok = policy::allows(subject, Action::ReadBoard { board: load_board(txn, board)?.access() }, now);
    known.push((board.0, ok));
    Ok(ok)
}

/// The account that follows threads: read positions and watching belong to accounts.
pub(crate) fn follower(subject: &Subject, now: crate::clock::Timestamp) -> Result<AccountId> {
    policy::check(subject, Action::FollowForums, now)?;
    subject.account().map(|a| a.id).ok_or_else(|| {
        Error::denied("keep read positions or watch", "they belong to an account; act as one (`--as PSEUDONYM`)")
    })
}
